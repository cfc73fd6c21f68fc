"""Route order and RTM_MATCH_* criteria, shared by the enumerations and the queries (V2-A-enum-order,
V2-A-enum-filters, V2-A-exactroute)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ._constants import (
    RTM_MATCH_FULL,
    RTM_MATCH_INTERFACE,
    RTM_MATCH_NEIGHBOUR,
    RTM_MATCH_NEXTHOP,
    RTM_MATCH_OWNER,
    RTM_MATCH_PREF,
)
from ._errors import RtmInvalidParameterError
from ._objects import Dest, Entity, EntityHandle, NextHop, Route, absent
from ._types import RTM_NEXTHOP_LIST, RTM_PREF_INFO, RTM_ROUTE_INFO
from ._validate import ulong


class Criteria(NamedTuple):
    """What a criteria route (RTM_ROUTE_INFO) says for RTM_MATCH_*, copied into plain values at the boundary."""

    #: RTM_MATCH_OWNER: the entity, whichever of its handles named it (M-ENTITY-KEY).
    owner: Entity | None
    #: RTM_MATCH_NEIGHBOUR.
    neighbour: NextHop | None
    #: RTM_MATCH_PREF: (Preference, Metric).
    cost: tuple[int, int]
    #: RTM_MATCH_NEXTHOP: the first of NextHopsList.NextHops (None: matches nothing).
    nexthop: NextHop | None


def match_criteria(flags: Any, criteria: Any) -> tuple[int, Criteria | None]:
    """Validate MatchingFlags and the criteria route they need; the criteria come back as plain values, so a
    later change of the caller's structure changes nothing (M-BINDING-6)."""
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
    nh_list = criteria.NextHopsList
    if type(nh_list) is not RTM_NEXTHOP_LIST or type(nh_list.NextHops) is not list:
        raise RtmInvalidParameterError("the criteria route's NextHopsList is malformed")
    given = criteria.RouteOwner
    owner: Entity | None
    if type(given) is EntityHandle:
        owner = getattr(given, "_entity", None)  # whichever handle names the entity (M-ENTITY-KEY)
    elif absent(given):
        owner = None
    elif type(given) is Entity:
        owner = given
    else:
        raise RtmInvalidParameterError("the criteria's RouteOwner is not an entity handle")
    neighbour = criteria.Neighbour
    if absent(neighbour):
        neighbour = None
    elif type(neighbour) is not NextHop:
        raise RtmInvalidParameterError("the criteria's Neighbour is not a next-hop handle")
    cost = (0, 0)
    if match & RTM_MATCH_PREF:
        cost = (ulong(criteria.PrefInfo.Preference, "Preference"), ulong(criteria.PrefInfo.Metric, "Metric"))
    wanted = list(nh_list.NextHops)
    nexthop = wanted[0] if wanted else None
    if match & RTM_MATCH_NEXTHOP and nexthop is not None and type(nexthop) is not NextHop:
        raise RtmInvalidParameterError("the criteria's next hop is not a next-hop handle")
    return match, Criteria(owner, neighbour, cost, nexthop)


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


def route_matches(route: Route, match: int, criteria: Criteria | None, interface: int) -> bool:
    """RTM_MATCH_* semantics (V2-A-enum-filters)."""
    if not match:
        return True
    if match & RTM_MATCH_INTERFACE and not any(nh.ifindex == interface for nh in route.nexthops):
        return False
    if criteria is None:
        return True
    if match & RTM_MATCH_OWNER and route.owner is not criteria.owner:
        return False
    if match & RTM_MATCH_NEIGHBOUR and route.neighbour is not criteria.neighbour:
        return False
    if match & RTM_MATCH_PREF and (route.pref, route.metric) != criteria.cost:
        return False
    return not match & RTM_MATCH_NEXTHOP or any(nh is criteria.nexthop for nh in route.nexthops)
