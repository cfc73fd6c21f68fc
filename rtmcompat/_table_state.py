"""Whole-table checkpoints: every route and each network's best route, read through the public v1 API, and the
difference between two such states (routes missing, extra, changed; best route per network).

A snapshot uses enumeration handles (all routes, then RTM_ONLY_BEST_ROUTES) of both families. These are read-only
calls at the clock's current time: every call first processes what is due, so the call before already did, and
taking a snapshot changes nothing a later call can observe.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from ._constants import RTM_ONLY_BEST_ROUTES, RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX
from ._v1types import RTM_IP_ROUTE, bswap32

FAMILIES: Final = (RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX)
#: A route's place in the table: family, network, protocol, interface, next hop.
RouteKey = tuple[Any, ...]
NetworkKey = tuple[Any, ...]


def network_key(route: Any) -> NetworkKey:
    """(``ip``, number, mask) or (``ipx``, number)."""
    if type(route) is RTM_IP_ROUTE:
        return ("ip", route.RR_Network.N_NetNumber, route.RR_Network.N_NetMask)
    return ("ipx", route.RR_Network.N_NetNumber)


def route_key(route: Any) -> RouteKey:
    """The route's identity in the table (V1-1.3): network, protocol, interface, next hop."""
    hop = route.RR_NextHopAddress
    nexthop = (hop.N_NetNumber, hop.N_NetMask) if type(route) is RTM_IP_ROUTE else bytes(hop.NHA_Mac)
    return (*network_key(route), route.RR_RoutingProtocol, route.RR_InterfaceID, nexthop)


@attrs.frozen
class TableState:
    """Every route by key, and the key of each network's best route."""

    routes: dict[RouteKey, Any]
    best: dict[NetworkKey, RouteKey]


def _walk(api: Any, family: int, flags: int, limit: int) -> list[Any]:
    status, handle = api.RtmCreateEnumerationHandle(family, flags, None)
    if status != 0 or handle is None:
        return []
    found: list[Any] = []
    try:
        while len(found) < limit:
            result = api.RtmEnumerateGetNextRoute(handle)
            if result.status != 0 or result.Route is None:
                break
            found.append(result.Route)
    finally:
        api.RtmCloseEnumerationHandle(handle)
    return found


def snapshot(api: Any, limit: int = 1 << 30) -> TableState:
    """The table of ``api`` as its v1 enumerations show it (at most ``limit`` routes per family and walk)."""
    routes: dict[RouteKey, Any] = {}
    best: dict[NetworkKey, RouteKey] = {}
    for family in FAMILIES:
        for route in _walk(api, family, 0, limit):
            routes[route_key(route)] = route
        for route in _walk(api, family, RTM_ONLY_BEST_ROUTES, limit):
            best[network_key(route)] = route_key(route)
    return TableState(routes, best)


@attrs.frozen
class TableDiff:
    """How the shim's table differs from the reference's: routes only in the reference (``missing``), only in the
    shim (``extra``), in both with different fields (``changed``: pairs), and networks whose best route differs
    (``best``: network key, the reference's best, the shim's best; None where a side has none)."""

    missing: tuple[Any, ...] = ()
    extra: tuple[Any, ...] = ()
    changed: tuple[tuple[Any, Any], ...] = ()
    best: tuple[tuple[NetworkKey, Any, Any], ...] = ()

    @property
    def empty(self) -> bool:
        """No difference at all."""
        return not (self.missing or self.extra or self.changed or self.best)


def order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Canonical v1 order of a route or network key: network and mask as big-endian numbers (shorter prefixes
    first), protocol, interface, next hop."""
    if key[0] != "ip":
        return key
    parts: list[Any] = ["ip", bswap32(key[1]), bswap32(key[2]), *key[3:5]]
    if len(key) > 5:
        parts += [bswap32(key[5][0]), bswap32(key[5][1])]
    return tuple(parts)


def diff(reference: TableState, shim: TableState) -> TableDiff:
    """The table difference, each part in canonical order."""
    missing = tuple(reference.routes[k] for k in sorted(reference.routes.keys() - shim.routes.keys(), key=order))
    extra = tuple(shim.routes[k] for k in sorted(shim.routes.keys() - reference.routes.keys(), key=order))
    changed = tuple(
        (reference.routes[k], shim.routes[k])
        for k in sorted(reference.routes.keys() & shim.routes.keys(), key=order)
        if reference.routes[k] != shim.routes[k]
    )
    best: list[tuple[NetworkKey, Any, Any]] = []
    for network in sorted(reference.best.keys() | shim.best.keys(), key=order):
        ref_key, shim_key = reference.best.get(network), shim.best.get(network)
        if ref_key != shim_key:
            best.append(
                (
                    network,
                    reference.routes.get(ref_key) if ref_key is not None else None,
                    shim.routes.get(shim_key) if shim_key is not None else None,
                )
            )
    return TableDiff(missing, extra, changed, tuple(best))
