"""Routing table query functions: exact, most and less specific destinations, exact-match route, best route."""

from __future__ import annotations

from typing import cast

from ._addr import parse_prefix
from ._boundary import Boundary, api
from ._constants import (
    RTM_ROUTE_STATE_CREATED,
)
from ._errors import (
    RtmInvalidParameterError,
    RtmNotFoundError,
    WinError,
)
from ._matching import match_criteria, route_matches, routes_in_order
from ._objects import Dest, Entity, Route
from ._results import (
    DestInfoResult,
    ExactMatchRouteResult,
    IsBestRouteResult,
)
from ._table import (
    best_views_of,
    find_dest,
    longest_match,
)
from ._types import (
    RTM_NET_ADDRESS,
    RTM_ROUTE_INFO,
)
from ._validate import ULONG_MAX, ulong

_tuple_new = tuple.__new__
NO_ERROR = WinError.NO_ERROR
_NOT_FOUND = DestInfoResult(WinError.ERROR_NOT_FOUND, None)


class TableQueries(Boundary):
    """Lookups in the destination index (V2-6.6, V2-A-lpm, V2-A-exactroute)."""

    @api(DestInfoResult)
    def RtmGetExactMatchDestination(
        self, RtmRegHandle: Entity | None, DestAddress: RTM_NET_ADDRESS, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """The destination whose address and length equal DestAddress (host bits are cleared first);
        ERROR_NOT_FOUND if there is none (V2-A-lpm: regardless of views)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        addr, nbits = parse_prefix(DestAddress, table.family)
        protocol = ulong(ProtocolId, "ProtocolId")
        vids = self._view_ids(table, self._query_views(table, TargetViews))
        dest = find_dest(table, addr, nbits)
        if dest is None:
            raise RtmNotFoundError("no such destination")
        info = self._dest_info(ent, dest, protocol, vids)
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @api(DestInfoResult)
    def RtmGetMostSpecificDestination(
        self, RtmRegHandle: Entity | None, DestAddress: RTM_NET_ADDRESS, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """Longest-prefix match: the longest present prefix covering DestAddress that has a route in one of
        TargetViews (any route for RTM_VIEW_MASK_ANY); ERROR_NOT_FOUND if none (V2-A-lpm)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        addr, nbits = parse_prefix(DestAddress, table.family)
        protocol = ProtocolId
        if type(protocol) is not int or not 0 <= protocol <= ULONG_MAX:
            protocol = ulong(protocol, "ProtocolId")
        requested = TargetViews
        if type(requested) is not int or not 0 <= requested <= ULONG_MAX:
            requested = ulong(requested, "TargetViews")
        views = requested & table.views_supported
        if requested and not views:
            raise RtmNotFoundError("no supported view requested")
        dest = longest_match(table, addr, nbits, views)
        if dest is None:
            return _NOT_FOUND  # what raising RtmNotFoundError gives, without making the exception
        vids = table.vids_cache.get(views)
        info = self._dest_info(ent, dest, protocol, self._view_ids(table, views) if vids is None else vids)
        infos = ent.infos  # _count_info, in line
        infos["dest"] = infos.get("dest", 0) + 1
        return _tuple_new(DestInfoResult, (NO_ERROR, info))

    @api(DestInfoResult)
    def RtmGetLessSpecificDestination(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """The next shorter present prefix covering the given destination ("walk up the prefix tree"), up to
        0/0; then ERROR_NOT_FOUND. A destination no longer in the table gives ERROR_INVALID_PARAMETER."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        protocol = ulong(ProtocolId, "ProtocolId")
        requested = ulong(TargetViews, "TargetViews")
        if not dest.present:
            raise RtmInvalidParameterError("the destination is no longer in the table")
        views = requested & table.views_supported
        if requested and not views:
            raise RtmNotFoundError("no supported view requested")
        found = longest_match(table, dest.addr, dest.nbits - 1, views)
        if found is None:
            raise RtmNotFoundError("no less specific destination")
        info = self._dest_info(ent, found, protocol, self._view_ids(table, views))
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @api(ExactMatchRouteResult)
    def RtmGetExactMatchRoute(
        self,
        RtmRegHandle: Entity | None,
        DestAddress: RTM_NET_ADDRESS,
        MatchingFlags: int,
        RouteInfo: RTM_ROUTE_INFO | None = None,
        InterfaceIndex: int = 0,
        TargetViews: int = 0,
    ) -> ExactMatchRouteResult:
        """On the exact destination, the first route (in route order, best first) matching RouteInfo on the
        fields MatchingFlags selects; returns its information and a referenced handle (V2-A-exactroute)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        addr, nbits = parse_prefix(DestAddress, table.family)
        match, criteria = match_criteria(MatchingFlags, RouteInfo)
        interface = ulong(InterfaceIndex, "InterfaceIndex")
        views = self._query_views(table, TargetViews)
        requested = ulong(TargetViews, "TargetViews")
        dest = find_dest(table, addr, nbits)
        if dest is None or (requested and not views):
            raise RtmNotFoundError("no such destination")
        for route in routes_in_order(dest, views):
            if route_matches(route, match, criteria, interface):
                info = self._route_info(route, ent)
                self._count_info(ent, "route")
                self._ref(ent, route)
                return ExactMatchRouteResult(WinError.NO_ERROR, info, route)
        raise RtmNotFoundError("no matching route")

    @api(IsBestRouteResult)
    def RtmIsBestRoute(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> IsBestRouteResult:
        """The mask of views in which the route is the best route."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.state != RTM_ROUTE_STATE_CREATED:
            return IsBestRouteResult(WinError.NO_ERROR, 0)
        return IsBestRouteResult(WinError.NO_ERROR, best_views_of(route))
