"""Small helpers for driving the RTMv2 model in tests, written the way the Microsoft samples do things."""

from __future__ import annotations

from typing import Any

import v2model
from v2model import (
    AF_INET,
    INFINITE,
    NO_ERROR,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
    net_address,
)


def register(
    rtm: v2model.RoutingTableManager,
    protocol: int,
    instance: int = 0,
    *,
    af: int = AF_INET,
    callback: Any = None,
    methods: v2model.RTM_ENTITY_EXPORT_METHODS | None = None,
    opaque: bool = False,
) -> v2model.Entity:
    """Register an entity and return its handle (asserting success)."""
    info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=af, EntityId=RTM_ENTITY_ID(protocol, instance))
    status, _profile, handle = rtm.RtmRegisterEntity(info, methods, callback, opaque)
    assert status == NO_ERROR, status
    assert handle is not None
    return handle


def nexthop(rtm: v2model.RoutingTableManager, ent: v2model.Entity, address: str, ifindex: int) -> v2model.NextHop:
    """Find-or-create a next hop and return its (referenced) handle."""
    info = RTM_NEXTHOP_INFO(NextHopAddress=net_address(address), InterfaceIndex=ifindex)
    status, handle, _flags = rtm.RtmAddNextHop(ent, info, None)
    assert status == NO_ERROR, status
    assert handle is not None
    return handle


def route_info(
    nh: v2model.NextHop | None,
    metric: int = 1,
    preference: int = 0,
    views: int = RTM_VIEW_MASK_UCAST,
    flags: int = 0,
    nexthops: list[v2model.NextHop] | None = None,
) -> RTM_ROUTE_INFO:
    """An RTM_ROUTE_INFO with ``nh`` as neighbour and (by default) only next hop."""
    hops = nexthops if nexthops is not None else ([nh] if nh is not None else [])
    return RTM_ROUTE_INFO(
        Neighbour=nh,
        Flags=flags,
        PrefInfo=RTM_PREF_INFO(Metric=metric, Preference=preference),
        BelongsToViews=views,
        NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=len(hops), NextHops=list(hops)),
    )


def add_route(
    rtm: v2model.RoutingTableManager,
    ent: v2model.Entity,
    prefix: str,
    info: RTM_ROUTE_INFO,
    ttl: int = INFINITE,
    change_flags: int = 0,
) -> tuple[v2model.Route, int]:
    """Add (or update) a route and return (referenced handle, output change flags)."""
    dest = net_address(prefix)
    status, handle, flags = rtm.RtmAddRouteToDest(ent, None, dest, info, ttl, None, 0, None, change_flags)
    assert status == NO_ERROR, status
    assert handle is not None
    assert flags is not None
    return handle, flags
