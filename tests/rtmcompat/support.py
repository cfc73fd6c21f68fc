"""Helpers for driving the RTMv1 shim in tests: route builders, message draining, table dumps.

Everything here goes through the public v1 API (or the public v2 API for native entities), the way a legacy
RTMv1 client would; nothing reaches into the shim's internals.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, NamedTuple

import attrs

import v2model
from rtmcompat import (
    ERROR_MORE_MESSAGES,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    NO_ERROR,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    V1Client,
    V1Route,
    V1Shim,
    ip_network,
)
from v2model import (
    AF_INET,
    FILETIME_UNIX_EPOCH,
    INFINITE,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

#: A default MAC for IPX next hops.
MAC1 = bytes.fromhex("00000c000001")
MAC2 = bytes.fromhex("00000c000002")
MAC3 = bytes.fromhex("00000c000003")


def filetime(ms: int) -> int:
    """The FILETIME of ManualClock time ``ms`` (M-TIME)."""
    return FILETIME_UNIX_EPOCH + ms * 10_000


def ip_route(
    net: str = "10.1.0.0/16",
    ifindex: int = 1,
    nexthop: str = "192.0.2.1",
    metric: int = 1,
    *,
    protocol: int = 0,
    priority: int = 0,
    psd: tuple[int, int, int, int] = (0, 0, 0, 0),
    fsd_type: int = 0,
    fsd_flags: int = 0,
    metric1: int = 0,
) -> RTM_IP_ROUTE:
    """An RTM_IP_ROUTE as a caller fills it in."""
    return RTM_IP_ROUTE(
        RR_RoutingProtocol=protocol,
        RR_InterfaceID=ifindex,
        RR_ProtocolSpecificData=PROTOCOL_SPECIFIC_DATA(list(psd)),
        RR_Network=ip_network(net),
        RR_NextHopAddress=ip_network(nexthop),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(
            FSD_Type=fsd_type, FSD_Priority=priority, FSD_Metric=metric, FSD_Metric1=metric1, FSD_Flags=fsd_flags
        ),
    )


def ipx_route(
    net: int = 0x0000ABCD,
    ifindex: int = 1,
    mac: bytes = MAC1,
    ticks: int = 1,
    hops: int = 1,
    *,
    protocol: int = 0,
    psd: tuple[int, int, int, int] = (0, 0, 0, 0),
    fsd_flags: int = 0,
) -> RTM_IPX_ROUTE:
    """An RTM_IPX_ROUTE as a caller fills it in."""
    return RTM_IPX_ROUTE(
        RR_RoutingProtocol=protocol,
        RR_InterfaceID=ifindex,
        RR_ProtocolSpecificData=PROTOCOL_SPECIFIC_DATA(list(psd)),
        RR_Network=IPX_NETWORK(net),
        RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(mac),
        RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_Flags=fsd_flags, FSD_TickCount=ticks, FSD_HopCount=hops),
    )


def stored(route: V1Route, protocol: int, at_ms: int, priority: int = 0) -> V1Route:
    """What RTM stores for ``route`` added by ``protocol`` at clock time ``at_ms``: the protocol from the handle
    (V1-A33), the timestamp from the clock (V1-3.1) and, for IP, FSD_Priority from the protocol's priority
    (V1-A3)."""
    out = copy.deepcopy(route)
    out.RR_RoutingProtocol = protocol
    out.RR_TimeStamp = filetime(at_ms)
    if isinstance(out, RTM_IP_ROUTE):
        out.RR_FamilySpecificData.FSD_Priority = priority
    return out


def register(
    shim: V1Shim,
    protocol: int,
    family: int = RTM_PROTOCOL_FAMILY_IP,
    *,
    event: bool = True,
    flags: int = 0,
) -> tuple[V1Client, threading.Event | None]:
    """Register a client (asserting success); returns it and its event (None when registered without)."""
    ev = threading.Event() if event else None
    status, client = shim.RtmRegisterClient(family, protocol, ev, flags)
    assert status == NO_ERROR, status
    assert client is not None
    return client, ev


def add(shim: V1Shim, client: V1Client, route: V1Route, ttl: int = INFINITE) -> tuple[int, Any, Any]:
    """RtmAddRoute asserting success; returns (Flags, CurBestRoute, PrevBestRoute)."""
    result = shim.RtmAddRoute(client, route, ttl)
    assert result.status == NO_ERROR, result
    assert result.Flags is not None
    return result.Flags, result.CurBestRoute, result.PrevBestRoute


def delete(shim: V1Shim, client: V1Client, route: V1Route) -> tuple[int, Any]:
    """RtmDeleteRoute asserting success; returns (Flags, CurBestRoute)."""
    result = shim.RtmDeleteRoute(client, route)
    assert result.status == NO_ERROR, result
    assert result.Flags is not None
    return result.Flags, result.CurBestRoute


class Message(NamedTuple):
    """One dequeued change message."""

    flags: int
    cur: V1Route | None
    prev: V1Route | None


def drain(shim: V1Shim, client: V1Client) -> list[Message]:
    """Dequeue every pending message (234 while more wait, 0 for the last, 259 when empty)."""
    out: list[Message] = []
    while True:
        status, flags, cur, prev = shim.RtmDequeueRouteChangeMessage(client)
        if status not in (NO_ERROR, ERROR_MORE_MESSAGES):
            return out
        assert flags is not None
        out.append(Message(flags, cur, prev))
        if status == NO_ERROR:
            return out


def dump(shim: V1Shim, family: int = RTM_PROTOCOL_FAMILY_IP) -> list[V1Route]:
    """Every route of a family in canonical order, via RtmGetFirstRoute / RtmGetNextRoute."""
    out: list[V1Route] = []
    status, route = shim.RtmGetFirstRoute(family, 0, None)
    while status == NO_ERROR:
        assert route is not None
        out.append(route)
        status, route = shim.RtmGetNextRoute(family, 0, copy.deepcopy(route))
    return out


def snapshot(shim: V1Shim, rtm: v2model.RoutingTableManager) -> tuple[Any, ...]:
    """The whole observable state: both v1 tables and the RTM's counts (pending timers excepted: expired
    timer entries may be dropped lazily)."""
    tables = dump(shim, RTM_PROTOCOL_FAMILY_IP), dump(shim, RTM_PROTOCOL_FAMILY_IPX)
    stats = dict(rtm.statistics())
    return *tables, stats


def as_dict(route: Any) -> Any:
    """A structure as nested dicts (for readable assertion failures)."""
    return attrs.asdict(route) if route is not None else None


# --- native RTMv2 entities ---------------------------------------------------------------------------


def v2_register(
    rtm: v2model.RoutingTableManager, protocol: int, instance: int = 0, *, af: int = AF_INET, callback: Any = None
) -> v2model.Entity:
    """Register a native RTMv2 entity."""
    info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=af, EntityId=RTM_ENTITY_ID(protocol, instance))
    status, _profile, handle = rtm.RtmRegisterEntity(info, None, callback, False)
    assert status == NO_ERROR, status
    assert handle is not None
    return handle


def v2_add(
    rtm: v2model.RoutingTableManager,
    ent: v2model.Entity,
    prefix: str | v2model.RTM_NET_ADDRESS,
    nexthop: str | v2model.RTM_NET_ADDRESS | None,
    ifindex: int,
    *,
    metric: int = 1,
    preference: int = 0,
    ttl: int = INFINITE,
    views: int = RTM_VIEW_MASK_UCAST,
    more_nexthops: tuple[tuple[str, int], ...] = (),
) -> tuple[v2model.Route, list[v2model.NextHop]]:
    """Add a native v2 route the way the add sample does: next hops first, then the route (first next hop as
    neighbour); returns the route and next-hop handles."""
    hops: list[v2model.NextHop] = []
    wanted: list[tuple[str | v2model.RTM_NET_ADDRESS, int]] = [] if nexthop is None else [(nexthop, ifindex)]
    wanted += list(more_nexthops)
    for address, index in wanted:
        addr = net_address(address) if isinstance(address, str) else address
        status, nh, _ = rtm.RtmAddNextHop(ent, RTM_NEXTHOP_INFO(NextHopAddress=addr, InterfaceIndex=index), None)
        assert status == NO_ERROR, status
        assert nh is not None
        hops.append(nh)
    info = RTM_ROUTE_INFO(
        Neighbour=hops[0] if hops else None,
        PrefInfo=RTM_PREF_INFO(Metric=metric, Preference=preference),
        BelongsToViews=views,
        NextHopsList=RTM_NEXTHOP_LIST(len(hops), list(hops)),
    )
    dest = net_address(prefix) if isinstance(prefix, str) else prefix
    status, route, _flags = rtm.RtmAddRouteToDest(ent, None, dest, info, ttl, None, 0, None, 0)
    assert status == NO_ERROR, status
    assert route is not None
    return route, hops


FAMILIES = (RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX)


def as_ip(route: object) -> RTM_IP_ROUTE:
    """``route`` checked to be an RTM_IP_ROUTE (for field access in tests)."""
    assert isinstance(route, RTM_IP_ROUTE), route
    return route


def as_ipx(route: object) -> RTM_IPX_ROUTE:
    """``route`` checked to be an RTM_IPX_ROUTE."""
    assert isinstance(route, RTM_IPX_ROUTE), route
    return route


def metric_of(route: object) -> int:
    """FSD_Metric of an IP route."""
    return as_ip(route).RR_FamilySpecificData.FSD_Metric
