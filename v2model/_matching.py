"""Route order and RTM_MATCH_* criteria, shared by the enumerations and the queries (V2-A-enum-order,
V2-A-enum-filters, V2-A-exactroute)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._constants import (
    RTM_MATCH_FULL,
    RTM_MATCH_INTERFACE,
    RTM_MATCH_NEIGHBOUR,
    RTM_MATCH_NEXTHOP,
    RTM_MATCH_OWNER,
    RTM_MATCH_PREF,
)
from ._errors import RtmInvalidParameterError
from ._objects import Dest, Entity, NextHop, Route
from ._types import RTM_NEXTHOP_LIST, RTM_PREF_INFO, RTM_ROUTE_INFO
from ._validate import ulong


def match_criteria(flags: Any, criteria: Any) -> tuple[int, RTM_ROUTE_INFO | None]:
    """Validate MatchingFlags and the criteria route they need."""
    match = ulong(flags, "MatchingFlags")
    if match & ~RTM_MATCH_FULL:
        raise RtmInvalidParameterError("unknown MatchingFlags bits")
    needs_route = match & (RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR | RTM_MATCH_PREF | RTM_MATCH_NEXTHOP)
    if criteria is None:
        if needs_route:
            raise RtmInvalidParameterError("CriteriaRoute is required with these MatchingFlags")
        return match, None
    if type(criteria) is not RTM_ROUTE_INFO or type(criteria.PrefInfo) is not RTM_PREF_INFO:
        raise RtmInvalidParameterError("the criteria route must be an RTM_ROUTE_INFO")
    if type(criteria.NextHopsList) is not RTM_NEXTHOP_LIST or not isinstance(criteria.NextHopsList.NextHops, list):
        raise RtmInvalidParameterError("the criteria route's NextHopsList is malformed")
    for value, kind in ((criteria.RouteOwner, Entity), (criteria.Neighbour, NextHop)):
        if value is not None and type(value) is not kind:
            raise RtmInvalidParameterError("a criteria handle is of the wrong kind")
    return match, criteria


def take(it: Iterator[Any], n: int) -> Iterator[Any]:
    """The first ``n`` items of ``it``."""
    for i, item in enumerate(it):
        if i >= n:
            return
        yield item


def route_order(route: Route) -> tuple[int, int, int, int]:
    """Enumeration order of routes: destination address order, then (Preference, Metric, creation)."""
    return route.dest.key, route.pref, route.metric, route._serial


def routes_in_order(dest: Dest, views: int) -> list[Route]:
    """A destination's routes best first; only those in ``views``, or with RTM_VIEW_MASK_ANY every live route
    and then the hold-down routes (V2-A-enum-order, V2-6.8)."""
    routes = [r for r in dest.routes if r.views & views] if views else list(dest.routes)
    routes.sort(key=lambda r: (r.pref, r.metric, r._serial))
    if not views and dest.holds:
        seen = set()
        for vid in sorted(dest.holds):
            hold_route = dest.holds[vid][0]
            if hold_route not in seen:
                seen.add(hold_route)
                routes.append(hold_route)
    return routes


def route_matches(route: Route, match: int, criteria: RTM_ROUTE_INFO | None, interface: int) -> bool:
    """RTM_MATCH_* semantics (V2-A-enum-filters)."""
    if not match:
        return True
    if match & RTM_MATCH_INTERFACE and not any(nh.ifindex == interface for nh in route.nexthops):
        return False
    if criteria is None:
        return True
    if match & RTM_MATCH_OWNER and route.owner is not criteria.RouteOwner:
        return False
    if match & RTM_MATCH_NEIGHBOUR and route.neighbour is not criteria.Neighbour:
        return False
    if match & RTM_MATCH_PREF and (route.pref, route.metric) != (
        criteria.PrefInfo.Preference,
        criteria.PrefInfo.Metric,
    ):
        return False
    if match & RTM_MATCH_NEXTHOP:
        wanted = criteria.NextHopsList.NextHops
        if not wanted or wanted[0] not in route.nexthops:
            return False
    return True


def copy_criteria(criteria: RTM_ROUTE_INFO) -> RTM_ROUTE_INFO:
    """The matching fields of a criteria route, copied: an enumeration keeps it, never the caller's structure
    (API.md binding rule 6)."""
    return RTM_ROUTE_INFO(
        RouteOwner=criteria.RouteOwner,
        Neighbour=criteria.Neighbour,
        PrefInfo=RTM_PREF_INFO(Metric=criteria.PrefInfo.Metric, Preference=criteria.PrefInfo.Preference),
        NextHopsList=RTM_NEXTHOP_LIST(NextHops=list(criteria.NextHopsList.NextHops)),
    )
