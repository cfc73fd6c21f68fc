"""Canonical-order walks over RTMv2 enumerations: how V1Shim reads a family's unicast view in v1 terms.

RTMv2 enumerates destinations in address order and a destination's routes by preference; v1 walks routes in
canonical order (M-CANONICAL-ORDER). A v1 cursor (RtmGetFirstRoute, RtmGetNextRoute, an enumeration handle) is a
canonical key: the next route is found by starting a destination enumeration at the shortest prefix with the
key's address and re-sorting each destination's routes (V1-4.13, V1-4.14, V1-A7, V1-A8, V1-A37). Every handle
and information structure RTMv2 hands out here is released before the method returns, as a port must.

A route in v1 shape is the v1 client's own record when the route is one of the shim's (found through the
family's clients by network), else a native RTMv2 route translated (owner's protocol, first next hop, Preference
and Metric).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

import v2model
from v2model import (
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_FOUND,
    RTM_BEST_PROTOCOL,
    RTM_ENUM_NEXT,
    RTM_ENUM_START,
    RTM_NET_ADDRESS,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    WinError,
)

from ._checks import v2_failure
from ._constants import RTM_ONLY_THIS_NETWORK, RTM_PROTOCOL_FAMILY_IPX
from ._records import Codec, Criteria, Record, matches

if TYPE_CHECKING:
    from ._handles import RouteEntry, V1Client

_NO_ERROR = int(WinError.NO_ERROR)
_NO_MORE = int(ERROR_NO_MORE_ITEMS)

#: A route found by a walk: its record and its v1 identity (protocol, identity within the client).
Found = tuple[Record, tuple[Any, ...]]


def start_of(codec: Codec, key: tuple[Any, ...]) -> RTM_NET_ADDRESS:
    """Where a v2 destination walk must start to see every network at or after a canonical key: the shortest
    prefix with that address (RTMv2 orders destinations by address, then length)."""
    if codec.family == RTM_PROTOCOL_FAMILY_IPX:
        return RTM_NET_ADDRESS(codec.af, 32, key[0].to_bytes(4, "big"))
    address = key[0]
    bits = 32 - ((address & -address).bit_length() - 1) if address else 0
    return RTM_NET_ADDRESS(codec.af, bits, address.to_bytes(4, "big"))


def _ok(call: str, status: int, also: int = _NO_ERROR) -> None:
    if status not in (_NO_ERROR, also):
        raise v2_failure(call, status)


class TableReader:
    """Reads one family's unicast view through an entity of the caller's choosing, in v1 terms.

    ``v2`` is the RoutingTableManager (or the shim's counting stand-in for it); ``clients`` the family's v1
    clients (whose routes are the shim's); ``batch`` the number of handles asked per enumeration call (the
    registration profile's MaxHandlesInEnum)."""

    def __init__(self, v2: RoutingTableManager, codec: Codec, clients: Mapping[V1Client, None]) -> None:
        self.v2 = v2
        self.codec = codec
        self.clients = clients
        self.batch = 25

    def own(self, network: int, route: v2model.Route) -> tuple[V1Client, RouteEntry] | None:
        """The v1 client and route entry of ``route`` (of the network ``network``), None for a native RTMv2 route."""
        for client in self.clients:
            entry = client.routes.find(network, route)
            if entry is not None:
                return client, entry
        return None

    def record_of(self, entity: v2model.Entity, route: v2model.Route, last_changed: int, network: int) -> Record:
        """A route in v1 shape: a v1 client's own record, or a native v2 route translated."""
        for client in self.clients:
            entry = client.routes.find(network, route)
            if entry is not None:
                return entry.record
        v2 = self.v2
        status, info, dest = v2.RtmGetRouteInfo(entity, route)
        if status != _NO_ERROR or info is None or dest is None:
            raise v2_failure("RtmGetRouteInfo", status)
        try:
            protocol = 0
            if info.RouteOwner is not None:
                status, owner_info = v2.RtmGetEntityInfo(entity, info.RouteOwner)
                if status == _NO_ERROR and owner_info is not None:
                    protocol = owner_info.EntityId.EntityProtocolId
                    v2.RtmReleaseEntityInfo(entity, owner_info)
            ifindex, address = 0, None
            if info.NextHopsList.NextHops:
                status, nh_info = v2.RtmGetNextHopInfo(entity, info.NextHopsList.NextHops[0])
                if status == _NO_ERROR and nh_info is not None:
                    ifindex, address = nh_info.InterfaceIndex, nh_info.NextHopAddress
                    v2.RtmReleaseNextHopInfo(entity, nh_info)
            pref = info.PrefInfo
            return self.codec.from_v2(last_changed, protocol, dest, ifindex, address, pref.Preference, pref.Metric)
        finally:
            _ok("RtmReleaseRouteInfo", v2.RtmReleaseRouteInfo(entity, info).status)

    def best(self, entity: v2model.Entity, network: tuple[int, int]) -> tuple[v2model.Route | None, Record | None]:
        """The network's best route in the unicast view (RtmIsRoute's answer), read now."""
        address = self.codec.dest_address(*network)
        if address is None:
            return None, None
        v2 = self.v2
        status, info = v2.RtmGetExactMatchDestination(entity, address, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
        if status == ERROR_NOT_FOUND or info is None:
            return None, None
        try:
            route = info.ViewInfo[0].Route
            if route is None:
                return None, None
            return route, self.record_of(entity, route, info.LastChanged, self.codec.network_key_of(info.DestAddress))
        finally:
            _ok("RtmReleaseDestInfo", v2.RtmReleaseDestInfo(entity, info).status)

    def walk(
        self, entity: v2model.Entity, start: RTM_NET_ADDRESS | None
    ) -> Generator[v2model.RTM_DEST_INFO, None, None]:
        """Every destination of the unicast view in address order (from ``start`` on, inclusive); the enumeration
        and each batch are released even when the caller stops early."""
        v2 = self.v2
        flags = RTM_ENUM_START if start is None else RTM_ENUM_NEXT
        status, enum = v2.RtmCreateDestEnum(entity, RTM_VIEW_MASK_UCAST, flags, start, RTM_BEST_PROTOCOL)
        if status != _NO_ERROR or enum is None:
            raise v2_failure("RtmCreateDestEnum", status)
        try:
            while True:
                status, count, infos = v2.RtmGetEnumDests(entity, enum, self.batch)
                _ok("RtmGetEnumDests", status, _NO_MORE)
                if count and infos is not None:
                    try:
                        yield from infos
                    finally:
                        _ok("RtmReleaseDests", v2.RtmReleaseDests(entity, count, infos).status)
                if status == _NO_MORE:
                    return
        finally:
            _ok("RtmDeleteEnumHandle", v2.RtmDeleteEnumHandle(entity, enum).status)

    def best_routes(self, entity: v2model.Entity) -> dict[int, Record]:
        """Every network's best route in the unicast view (by ``codec.network_key``), read once (what v1 clients
        are told about first)."""
        seen: dict[int, Record] = {}
        key_of = self.codec.network_key_of
        for info in self.walk(entity, None):
            route = info.ViewInfo[0].Route
            if route is not None:
                network = key_of(info.DestAddress)
                seen[network] = self.record_of(entity, route, info.LastChanged, network)
        return seen

    def count(self, entity: v2model.Entity) -> int:
        """The networks with a route in the unicast view (RtmGetNetworkCount without a kept view)."""
        return sum(1 for _ in self.walk(entity, None))

    def routes_of(
        self, entity: v2model.Entity, info: v2model.RTM_DEST_INFO
    ) -> list[tuple[Record, bool, tuple[Any, ...]]]:
        """A destination's unicast routes in v1 shape and canonical order, each with whether it is the best and
        its v1 identity."""
        v2 = self.v2
        codec = self.codec
        status, enum = v2.RtmCreateRouteEnum(
            entity, info.DestHandle, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, 0, None, 0
        )
        if status != _NO_ERROR or enum is None:
            raise v2_failure("RtmCreateRouteEnum", status)
        best = info.ViewInfo[0].Route if info.ViewInfo else None
        network = codec.network_key_of(info.DestAddress)
        out: list[tuple[Record, bool, tuple[Any, ...]]] = []
        try:
            while True:
                status, count, routes = v2.RtmGetEnumRoutes(entity, enum, self.batch)
                _ok("RtmGetEnumRoutes", status, _NO_MORE)
                if count and routes is not None:
                    try:
                        for route in routes:
                            owned = self.own(network, route)
                            if owned is not None:
                                client, entry = owned
                                identity = (client.protocol, *codec.identity(entry.record, client.single))
                                out.append((entry.record, route is best, identity))
                            else:
                                record = self.record_of(entity, route, info.LastChanged, network)
                                out.append((record, route is best, (record.protocol, *codec.identity(record, False))))
                    finally:
                        _ok("RtmReleaseRoutes", v2.RtmReleaseRoutes(entity, count, routes).status)
                if status == _NO_MORE:
                    break
        finally:
            _ok("RtmDeleteEnumHandle", v2.RtmDeleteEnumHandle(entity, enum).status)
        out.sort(key=lambda item: codec.canonical(item[0]))
        return out

    def next_route(
        self,
        entity: v2model.Entity,
        after: tuple[Any, ...] | None,
        flags: int,
        criteria: Criteria | None,
        returned: set[tuple[Any, ...]] | frozenset[tuple[Any, ...]] = frozenset(),
    ) -> Found | None:
        """The first route after the canonical key ``after`` (from the start when None) that matches now and whose
        identity is not in ``returned``, with its identity."""
        if flags & RTM_ONLY_THIS_NETWORK:
            assert criteria is not None
            address = self.codec.dest_address(*criteria.network)
            if address is None:
                return None
            v2 = self.v2
            status, info = v2.RtmGetExactMatchDestination(entity, address, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
            if status == ERROR_NOT_FOUND or info is None:
                return None
            try:
                return self._first_match(entity, info, after, flags, criteria, returned)
            finally:
                _ok("RtmReleaseDestInfo", v2.RtmReleaseDestInfo(entity, info).status)
        start = None if after is None else start_of(self.codec, after)
        walk = self.walk(entity, start)
        try:
            for info in walk:
                found = self._first_match(entity, info, after, flags, criteria, returned)
                if found is not None:
                    return found
        finally:
            walk.close()  # releases the batch and deletes the enumeration now, not when collected
        return None

    def _first_match(
        self,
        entity: v2model.Entity,
        info: v2model.RTM_DEST_INFO,
        after: tuple[Any, ...] | None,
        flags: int,
        criteria: Criteria | None,
        returned: set[tuple[Any, ...]] | frozenset[tuple[Any, ...]],
    ) -> Found | None:
        codec = self.codec
        for record, is_best, identity in self.routes_of(entity, info):
            if after is not None and codec.canonical(record) <= after:
                continue
            if identity not in returned and matches(codec, record, flags, criteria, is_best):
                return record, identity
        return None
