"""Shared helpers for the v2model foundation tests: a populated world of tables, a table snapshot, and small
readers that get an information structure and release it again (so a test's own reads leave no references).

The bad-input matrix (test_bad_input.py) builds a :class:`World` per case: one rich IPv4 table (instance 0), the
same population in an IPv6 table and in an IPv4 table of RTM instance 1, and in a second RoutingTableManager.
Every call the matrix makes is "valid except for one argument", so :func:`valid_args` gives the valid call of each
method and the matrix replaces one argument. :func:`snapshot` captures everything a bad call could disturb:
statistics, the leak report (who holds which reference), every destination and route as an observer sees them,
and the events delivered to callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import attrs

import v2model
from v2model import (
    AF_INET,
    AF_INET6,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_OTHER,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_TYPE_BEST,
    RTM_DEST_INFO,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENUM_START,
    RTM_MATCH_OWNER,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)
from v2model import (
    RoutingTableManager as Rtm,
)

from .support import route_info

# ================================================================================================
# Events
# ================================================================================================


class Event(NamedTuple):
    """One callback invocation: ``(RtmRegHandle, EventType, Context1, Context2)``."""

    receiver: Any
    event: int
    context1: Any
    context2: Any


@attrs.define(eq=False)
class EventLog:
    """An RTM_EVENT_CALLBACK that records every call and answers ``answer``."""

    events: list[Event] = attrs.Factory(list)
    answer: int = NO_ERROR

    def __call__(self, handle: Any, event: int, context1: Any, context2: Any) -> int:
        self.events.append(Event(handle, event, context1, context2))
        return self.answer

    def of_type(self, event: int) -> list[Event]:
        """The recorded events of one type, in order."""
        return [e for e in self.events if e.event == event]


# ================================================================================================
# Small helpers (each asserts success, the way the samples check every status)
# ================================================================================================


def entity_info(protocol: int, instance: int = 0, *, af: int = AF_INET, rtm_instance: int = 0) -> RTM_ENTITY_INFO:
    """An RTM_ENTITY_INFO for (RTM instance, address family, protocol, entity instance)."""
    return RTM_ENTITY_INFO(
        RtmInstanceId=rtm_instance,
        AddressFamily=af,
        EntityId=RTM_ENTITY_ID(EntityProtocolId=protocol, EntityInstanceId=instance),
    )


def register_in(
    rtm: Rtm,
    protocol: int,
    instance: int = 0,
    *,
    af: int = AF_INET,
    rtm_instance: int = 0,
    callback: Any = None,
    opaque: bool = False,
) -> v2model.Entity:
    """Register an entity in any (RTM instance, address family) table and return its handle."""
    info = entity_info(protocol, instance, af=af, rtm_instance=rtm_instance)
    status, profile, handle = rtm.RtmRegisterEntity(info, None, callback, opaque)
    assert NO_ERROR == status
    assert profile is not None
    assert handle is not None
    return handle


def add_nexthop(rtm: Rtm, ent: v2model.Entity, address: str, ifindex: int) -> v2model.NextHop:
    """Find-or-create a next hop (returns a referenced handle)."""
    status, handle, _flags = rtm.RtmAddNextHop(
        ent, RTM_NEXTHOP_INFO(NextHopAddress=net_address(address), InterfaceIndex=ifindex), None
    )
    assert NO_ERROR == status
    assert handle is not None
    return handle


def add(
    rtm: Rtm,
    ent: v2model.Entity,
    prefix: str,
    info: RTM_ROUTE_INFO,
    change_flags: int = 0,
) -> tuple[v2model.Route, int]:
    """Add or update a route by address; returns (referenced handle, output change flags)."""
    status, handle, flags = rtm.RtmAddRouteToDest(
        ent, None, net_address(prefix), info, INFINITE, None, 0, None, change_flags
    )
    assert NO_ERROR == status
    assert handle is not None
    assert flags is not None
    return handle, flags


def exact(
    rtm: Rtm,
    ent: v2model.Entity,
    prefix: str | RTM_NET_ADDRESS,
    protocol: int = RTM_BEST_PROTOCOL,
    views: int = RTM_VIEW_MASK_ALL,
) -> RTM_DEST_INFO:
    """RtmGetExactMatchDestination, asserting success (the caller releases the result)."""
    address = net_address(prefix) if isinstance(prefix, str) else prefix
    status, info = rtm.RtmGetExactMatchDestination(ent, address, protocol, views)
    assert NO_ERROR == status
    assert info is not None
    return info


def read_dest(
    rtm: Rtm,
    ent: v2model.Entity,
    dest: v2model.Dest,
    protocol: int = RTM_BEST_PROTOCOL,
    views: int = RTM_VIEW_MASK_ALL,
) -> RTM_DEST_INFO:
    """RtmGetDestInfo, then RtmReleaseDestInfo: the information, with no reference left behind."""
    status, info = rtm.RtmGetDestInfo(ent, dest, protocol, views)
    assert NO_ERROR == status
    assert info is not None
    assert NO_ERROR == rtm.RtmReleaseDestInfo(ent, info).status
    return info


def read_exact(
    rtm: Rtm,
    ent: v2model.Entity,
    prefix: str | RTM_NET_ADDRESS,
    protocol: int = RTM_BEST_PROTOCOL,
    views: int = RTM_VIEW_MASK_ALL,
) -> RTM_DEST_INFO:
    """RtmGetExactMatchDestination, then RtmReleaseDestInfo."""
    info = exact(rtm, ent, prefix, protocol, views)
    assert NO_ERROR == rtm.RtmReleaseDestInfo(ent, info).status
    return info


def read_route(rtm: Rtm, ent: v2model.Entity, route: v2model.Route) -> RTM_ROUTE_INFO:
    """RtmGetRouteInfo, then RtmReleaseRouteInfo."""
    status, info, _address = rtm.RtmGetRouteInfo(ent, route)
    assert NO_ERROR == status
    assert info is not None
    assert NO_ERROR == rtm.RtmReleaseRouteInfo(ent, info).status
    return info


def read_nexthop(rtm: Rtm, ent: v2model.Entity, nh: v2model.NextHop) -> RTM_NEXTHOP_INFO:
    """RtmGetNextHopInfo, then RtmReleaseNextHopInfo."""
    status, info = rtm.RtmGetNextHopInfo(ent, nh)
    assert NO_ERROR == status
    assert info is not None
    assert NO_ERROR == rtm.RtmReleaseNextHopInfo(ent, info).status
    return info


def best_in(rtm: Rtm, ent: v2model.Entity, route: v2model.Route) -> int:
    """RtmIsBestRoute: the views in which ``route`` is the best route."""
    status, views = rtm.RtmIsBestRoute(ent, route)
    assert NO_ERROR == status
    assert views is not None
    return views


def open_handles(rtm: Rtm) -> int:
    """References currently held by entities (``statistics()["open_handles"]``)."""
    return rtm.statistics()["open_handles"]


# ================================================================================================
# The world of the bad-input matrix
# ================================================================================================


@attrs.frozen
class Addresses:
    """The prefixes and next-hop addresses a side uses, in its address family."""

    af: int
    #: ``prefix(i)``: the i-th /16 (IPv4) or /48 (IPv6) destination.
    prefix: Callable[[int], str]
    #: A prefix covering ``prefix(1)`` (and every ``prefix(i)``).
    wide: str
    #: A host address inside ``prefix(1)``.
    host: str
    #: ``nexthop(i)``: the i-th next-hop address.
    nexthop: Callable[[int], str]


IPV4 = Addresses(AF_INET, lambda i: f"10.{i}.0.0/16", "10.0.0.0/8", "10.1.2.3", lambda i: f"192.0.2.{i}")
IPV6 = Addresses(
    AF_INET6,
    lambda i: f"2001:db8:{i:x}::/48",
    "2001:db8::/32",
    "2001:db8:1::5",
    lambda i: f"2001:db8:ffff::{i:x}",
)


@attrs.define(eq=False)
class Side:
    """One populated table. ``rip`` is the caller of every matrix call; it holds references to its own routes and
    next hops, to a destination, route, next-hop and entity information structure, to every entity registered
    before ``late``, and to a route and a next hop that were deleted while it held them. Nobody but the observer
    holds ``r_ospf_hidden``'s destination (``hidden_dest``)."""

    rtm: Rtm
    addrs: Addresses
    rtm_instance: int
    events: EventLog
    rip: v2model.Entity
    ospf: v2model.Entity
    observer: v2model.Entity
    late: v2model.Entity
    nh_rip: v2model.NextHop
    nh_ospf: v2model.NextHop
    r_rip: v2model.Route
    r_rip_wide: v2model.Route
    r_ospf: v2model.Route
    r_ospf_hidden: v2model.Route
    hidden_dest: v2model.Dest
    dest: v2model.Dest
    dest_info: RTM_DEST_INFO
    route_info: RTM_ROUTE_INFO
    nexthop_info: RTM_NEXTHOP_INFO
    entity_info: RTM_ENTITY_INFO
    deleted_route: v2model.Route
    removed_dest: v2model.Dest
    deleted_nexthop: v2model.NextHop
    stale_route: v2model.Route
    stale_dest: v2model.Dest
    stale_nexthop: v2model.NextHop
    stale_entity: v2model.Entity
    enum: v2model.EnumHandle
    route_list: v2model.RouteList
    ospf_list: v2model.RouteList
    notify: v2model.NotifyReg

    def address(self, i: int) -> RTM_NET_ADDRESS:
        """``net_address(prefix(i))`` in this side's family."""
        return net_address(self.addrs.prefix(i))

    def nexthop_address(self, i: int) -> RTM_NET_ADDRESS:
        """``net_address(nexthop(i))`` in this side's family."""
        return net_address(self.addrs.nexthop(i))

    def handle_of_kind(self, kind: str) -> Any:
        """A live handle of ``kind`` (entity, route, nexthop, dest, enum, routelist, notify) that ``rip`` may use."""
        return {
            "entity": self.ospf,
            "route": self.r_rip,
            "nexthop": self.nh_rip,
            "dest": self.dest,
            "enum": self.enum,
            "routelist": self.route_list,
            "notify": self.notify,
        }[kind]

    def stale_of_kind(self, kind: str) -> Any:
        """A handle of ``kind`` whose object is gone (deleted or deregistered, and released)."""
        return {
            "entity": self.stale_entity,
            "route": self.stale_route,
            "nexthop": self.stale_nexthop,
            "dest": self.stale_dest,
        }[kind]


def build_side(rtm: Rtm, addrs: Addresses, rtm_instance: int = 0) -> Side:
    """Populate one table (see :class:`Side`)."""
    af = addrs.af
    events = EventLog()
    rip = register_in(rtm, PROTO_IP_RIP, af=af, rtm_instance=rtm_instance)
    ospf = register_in(rtm, PROTO_IP_OSPF, af=af, rtm_instance=rtm_instance, callback=events)
    observer = register_in(rtm, PROTO_IP_OTHER, af=af, rtm_instance=rtm_instance)
    nh_rip = add_nexthop(rtm, rip, addrs.nexthop(1), 1)
    nh_ospf = add_nexthop(rtm, ospf, addrs.nexthop(2), 1)
    r_rip_wide, _ = add(rtm, rip, addrs.wide, route_info(nh_rip, metric=5))
    r_rip, _ = add(
        rtm, rip, addrs.prefix(1), route_info(nh_rip, metric=5, views=RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST)
    )
    r_ospf, _ = add(rtm, ospf, addrs.prefix(1), route_info(nh_ospf, metric=1))
    r_ospf_hidden, _ = add(rtm, ospf, addrs.prefix(2), route_info(nh_ospf))
    status, _count, _handles, _infos = rtm.RtmGetRegisteredEntities(rip, 10)
    assert NO_ERROR == status
    late = register_in(rtm, PROTO_IP_BGP, 2, af=af, rtm_instance=rtm_instance)

    hidden_dest = exact(rtm, observer, addrs.prefix(2)).DestHandle  # held by the observer only
    assert hidden_dest is not None
    dest_info = exact(rtm, rip, addrs.prefix(1))
    assert dest_info.DestHandle is not None
    status, r_info, _address = rtm.RtmGetRouteInfo(rip, r_rip)
    assert NO_ERROR == status
    assert r_info is not None
    status, nh_info = rtm.RtmGetNextHopInfo(rip, nh_rip)
    assert NO_ERROR == status
    assert nh_info is not None
    status, e_info = rtm.RtmGetEntityInfo(rip, ospf)
    assert NO_ERROR == status
    assert e_info is not None

    # A route deleted while rip still holds a reference (State DELETED), on a destination that is gone from the
    # table but still referenced through a destination information structure.
    deleted_route, _ = add(rtm, rip, addrs.prefix(3), route_info(nh_rip))
    removed_info = exact(rtm, rip, addrs.prefix(3))
    assert removed_info.DestHandle is not None
    assert NO_ERROR == rtm.RtmReferenceHandles(rip, 1, [deleted_route]).status
    assert NO_ERROR == rtm.RtmDeleteRouteToDest(rip, deleted_route).status
    # A next hop deleted while rip still holds a reference.
    deleted_nexthop = add_nexthop(rtm, rip, addrs.nexthop(3), 1)
    assert NO_ERROR == rtm.RtmReferenceHandles(rip, 1, [deleted_nexthop]).status
    assert NO_ERROR == rtm.RtmDeleteNextHop(rip, deleted_nexthop, None).status

    # Stale handles: deleted and no longer referenced by anybody, so the objects are freed.
    stale_route, _ = add(rtm, rip, addrs.prefix(9), route_info(nh_rip))
    stale_info = exact(rtm, rip, addrs.prefix(9))
    stale_dest = stale_info.DestHandle
    assert stale_dest is not None
    assert NO_ERROR == rtm.RtmDeleteRouteToDest(rip, stale_route).status
    assert NO_ERROR == rtm.RtmReleaseDestInfo(rip, stale_info).status
    stale_nexthop = add_nexthop(rtm, rip, addrs.nexthop(9), 1)
    assert NO_ERROR == rtm.RtmDeleteNextHop(rip, stale_nexthop, None).status
    stale_entity = register_in(rtm, PROTO_IP_BGP, 9, af=af, rtm_instance=rtm_instance)
    assert NO_ERROR == rtm.RtmDeregisterEntity(stale_entity).status

    status, enum = rtm.RtmCreateDestEnum(rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_BEST_PROTOCOL)
    assert NO_ERROR == status
    assert enum is not None
    status, route_list = rtm.RtmCreateRouteList(rip)
    assert NO_ERROR == status
    assert route_list is not None
    status, ospf_list = rtm.RtmCreateRouteList(ospf)
    assert NO_ERROR == status
    assert ospf_list is not None
    status, notify = rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None)
    assert NO_ERROR == status
    assert notify is not None

    return Side(
        rtm=rtm,
        addrs=addrs,
        rtm_instance=rtm_instance,
        events=events,
        rip=rip,
        ospf=ospf,
        observer=observer,
        late=late,
        nh_rip=nh_rip,
        nh_ospf=nh_ospf,
        r_rip=r_rip,
        r_rip_wide=r_rip_wide,
        r_ospf=r_ospf,
        r_ospf_hidden=r_ospf_hidden,
        hidden_dest=hidden_dest,
        dest=dest_info.DestHandle,
        dest_info=dest_info,
        route_info=r_info,
        nexthop_info=nh_info,
        entity_info=e_info,
        deleted_route=deleted_route,
        removed_dest=removed_info.DestHandle,
        deleted_nexthop=deleted_nexthop,
        stale_route=stale_route,
        stale_dest=stale_dest,
        stale_nexthop=stale_nexthop,
        stale_entity=stale_entity,
        enum=enum,
        route_list=route_list,
        ospf_list=ospf_list,
        notify=notify,
    )


@attrs.define(eq=False)
class World:
    """The matrix's world: ``local`` is the table every call targets; the others hold foreign handles."""

    rtm: Rtm
    other_rtm: Rtm
    local: Side
    v6: Side
    instance1: Side
    foreign: Side


def build_world(rtm: Rtm, other_rtm: Rtm) -> World:
    """IPv4 instance 0 (local), IPv6 instance 0 and IPv4 instance 1 in ``rtm``; IPv4 in ``other_rtm``."""
    return World(
        rtm=rtm,
        other_rtm=other_rtm,
        local=build_side(rtm, IPV4),
        v6=build_side(rtm, IPV6),
        instance1=build_side(rtm, IPV4, rtm_instance=1),
        foreign=build_side(other_rtm, IPV4),
    )


def _side_view(side: Side) -> tuple[Any, ...]:
    """Everything the observer of a side can read about its table (balanced: every reference is released)."""
    rtm, obs = side.rtm, side.observer
    dests: list[tuple[int, RTM_DEST_INFO | None]] = []
    for prefix in (side.addrs.wide, *(side.addrs.prefix(i) for i in (1, 2, 3, 4, 9))):
        status, info = rtm.RtmGetExactMatchDestination(obs, net_address(prefix), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL)
        if info is not None:
            assert NO_ERROR == rtm.RtmReleaseDestInfo(obs, info).status
        dests.append((status, info))
    status, removed = rtm.RtmGetDestInfo(obs, side.removed_dest, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL)
    if removed is not None:
        assert NO_ERROR == rtm.RtmReleaseDestInfo(obs, removed).status
    dests.append((status, removed))
    routes: list[tuple[int, RTM_ROUTE_INFO | None]] = []
    for route in (side.r_rip, side.r_rip_wide, side.r_ospf, side.r_ospf_hidden, side.deleted_route):
        status, r_info, _address = rtm.RtmGetRouteInfo(obs, route)
        if r_info is not None:
            assert NO_ERROR == rtm.RtmReleaseRouteInfo(obs, r_info).status
        routes.append((status, r_info))
    nexthops: list[tuple[int, RTM_NEXTHOP_INFO | None]] = []
    for nh in (side.nh_rip, side.nh_ospf, side.deleted_nexthop):
        status, nh_info = rtm.RtmGetNextHopInfo(obs, nh)
        if nh_info is not None:
            assert NO_ERROR == rtm.RtmReleaseNextHopInfo(obs, nh_info).status
        nexthops.append((status, nh_info))
    return tuple(dests), tuple(routes), tuple(nexthops), tuple(side.events.events)


def snapshot(world: World) -> tuple[Any, ...]:
    """Statistics, leak reports (who holds what) and every side's observable table state."""
    counters = (
        world.rtm.statistics(),
        world.other_rtm.statistics(),
        world.rtm.leak_report(),
        world.other_rtm.leak_report(),
    )
    views = tuple(_side_view(side) for side in (world.local, world.v6, world.instance1, world.foreign))
    return counters, views


# ================================================================================================
# The valid call of each method (made by side.rip), which the matrix spoils one argument at a time
# ================================================================================================


def valid_args(method: str, s: Side) -> dict[str, Any]:
    """Keyword arguments of a call of ``method`` that succeeds on a freshly built side."""
    builders: dict[str, Callable[[], dict[str, Any]]] = {
        "RtmRegisterEntity": lambda: {
            "RtmEntityInfo": entity_info(PROTO_IP_BGP, 7, af=s.addrs.af, rtm_instance=s.rtm_instance),
            "ExportMethods": None,
            "EventCallback": None,
            "ReserveOpaquePointer": False,
        },
        "RtmDeregisterEntity": lambda: {"RtmRegHandle": s.rip},
        "RtmGetRegisteredEntities": lambda: {"RtmRegHandle": s.rip, "NumEntities": 10},
        "RtmReleaseEntities": lambda: {"RtmRegHandle": s.rip, "NumEntities": 1, "EntityHandles": [s.ospf]},
        "RtmGetEntityInfo": lambda: {"RtmRegHandle": s.rip, "EntityHandle": s.ospf},
        "RtmReleaseEntityInfo": lambda: {"RtmRegHandle": s.rip, "EntityInfo": s.entity_info},
        "RtmAddNextHop": lambda: {
            "RtmRegHandle": s.rip,
            "NextHopInfo": RTM_NEXTHOP_INFO(NextHopAddress=s.nexthop_address(50), InterfaceIndex=1),
            "NextHopHandle": None,
        },
        "RtmFindNextHop": lambda: {
            "RtmRegHandle": s.rip,
            "NextHopInfo": RTM_NEXTHOP_INFO(NextHopAddress=s.nexthop_address(1), InterfaceIndex=1),
        },
        "RtmDeleteNextHop": lambda: {
            "RtmRegHandle": s.rip,
            "NextHopHandle": None,
            "NextHopInfo": RTM_NEXTHOP_INFO(NextHopAddress=s.nexthop_address(1), InterfaceIndex=1),
        },
        "RtmGetNextHopInfo": lambda: {"RtmRegHandle": s.rip, "NextHopHandle": s.nh_rip},
        "RtmReleaseNextHopInfo": lambda: {"RtmRegHandle": s.rip, "NextHopInfo": s.nexthop_info},
        "RtmReleaseNextHops": lambda: {"RtmRegHandle": s.rip, "NumNextHops": 1, "NextHopHandles": [s.nh_rip]},
        "RtmAddRouteToDest": lambda: {
            "RtmRegHandle": s.rip,
            "RouteHandle": None,
            "DestAddress": s.address(4),
            "RouteInfo": route_info(s.nh_rip),
            "TimeToLive": INFINITE,
            "RouteListHandle": None,
            "NotifyType": 0,
            "NotifyHandle": None,
            "ChangeFlags": 0,
        },
        "RtmDeleteRouteToDest": lambda: {"RtmRegHandle": s.rip, "RouteHandle": s.r_rip},
        "RtmGetRouteInfo": lambda: {"RtmRegHandle": s.rip, "RouteHandle": s.r_rip},
        "RtmReleaseRouteInfo": lambda: {"RtmRegHandle": s.rip, "RouteInfo": s.route_info},
        "RtmReleaseRoutes": lambda: {"RtmRegHandle": s.rip, "NumRoutes": 1, "RouteHandles": [s.r_rip_wide]},
        "RtmIsBestRoute": lambda: {"RtmRegHandle": s.rip, "RouteHandle": s.r_rip},
        "RtmGetDestInfo": lambda: {
            "RtmRegHandle": s.rip,
            "DestHandle": s.dest,
            "ProtocolId": RTM_BEST_PROTOCOL,
            "TargetViews": RTM_VIEW_MASK_ALL,
        },
        "RtmReleaseDestInfo": lambda: {"RtmRegHandle": s.rip, "DestInfo": s.dest_info},
        "RtmReleaseDests": lambda: {"RtmRegHandle": s.rip, "NumDests": 1, "DestInfos": [s.dest_info]},
        "RtmGetExactMatchDestination": lambda: {
            "RtmRegHandle": s.rip,
            "DestAddress": s.address(1),
            "ProtocolId": RTM_BEST_PROTOCOL,
            "TargetViews": RTM_VIEW_MASK_UCAST,
        },
        "RtmGetMostSpecificDestination": lambda: {
            "RtmRegHandle": s.rip,
            "DestAddress": net_address(s.addrs.host),
            "ProtocolId": RTM_BEST_PROTOCOL,
            "TargetViews": RTM_VIEW_MASK_UCAST,
        },
        "RtmGetLessSpecificDestination": lambda: {
            "RtmRegHandle": s.rip,
            "DestHandle": s.dest,
            "ProtocolId": RTM_BEST_PROTOCOL,
            "TargetViews": RTM_VIEW_MASK_UCAST,
        },
        "RtmGetExactMatchRoute": lambda: {
            "RtmRegHandle": s.rip,
            "DestAddress": s.address(1),
            "MatchingFlags": RTM_MATCH_OWNER,
            "RouteInfo": RTM_ROUTE_INFO(RouteOwner=s.rip),
            "InterfaceIndex": 0,
            "TargetViews": RTM_VIEW_MASK_UCAST,
        },
        "RtmReferenceHandles": lambda: {"RtmRegHandle": s.rip, "NumHandles": 1, "RtmHandles": [s.r_rip]},
    }
    return builders[method]()


#: Every method the foundation tests cover, in V2-6 order.
METHODS = (
    "RtmRegisterEntity",
    "RtmDeregisterEntity",
    "RtmGetRegisteredEntities",
    "RtmReleaseEntities",
    "RtmGetEntityInfo",
    "RtmReleaseEntityInfo",
    "RtmGetDestInfo",
    "RtmReleaseDestInfo",
    "RtmGetRouteInfo",
    "RtmReleaseRouteInfo",
    "RtmGetNextHopInfo",
    "RtmReleaseNextHopInfo",
    "RtmAddRouteToDest",
    "RtmDeleteRouteToDest",
    "RtmGetExactMatchDestination",
    "RtmGetMostSpecificDestination",
    "RtmGetLessSpecificDestination",
    "RtmGetExactMatchRoute",
    "RtmIsBestRoute",
    "RtmAddNextHop",
    "RtmFindNextHop",
    "RtmDeleteNextHop",
    "RtmReleaseDests",
    "RtmReleaseRoutes",
    "RtmReleaseNextHops",
    "RtmReferenceHandles",
)
