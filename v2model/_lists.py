"""Route list functions: an entity's private lists of its own routes (V2-2.11, V2-A-lists)."""

from __future__ import annotations

from typing import cast

from ._boundary import Boundary, api
from ._constants import (
    RTM_ROUTE_STATE_CREATED,
)
from ._errors import (
    RtmAccessDeniedError,
    RtmInvalidHandleError,
    WinError,
)
from ._objects import NULL, Entity, NullHandle, Route, RouteList, issue
from ._objects import EnumHandle as EnumObj
from ._results import (
    EnumHandleResult,
    EnumRoutesResult,
    RouteListResult,
    StatusResult,
)
from ._validate import count_and_list

#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class RouteLists(Boundary):
    """RtmCreateRouteList, RtmInsertInRouteList, RtmCreateRouteListEnum, RtmGetListEnumRoutes,
    RtmDeleteRouteList."""

    @api(RouteListResult)
    def RtmCreateRouteList(self, RtmRegHandle: Entity | None) -> RouteListResult:
        """Create a private list for the caller's routes."""
        ent = self._entity(RtmRegHandle)
        rlist = issue(RouteList(ent._table, ent))
        ent.lists[rlist] = None
        return RouteListResult(WinError.NO_ERROR, rlist)

    @api(StatusResult)
    def RtmInsertInRouteList(
        self,
        RtmRegHandle: Entity | None,
        RouteListHandle: RouteList | NullHandle | None,
        NumRoutes: int,
        RouteHandles: list[Route],
    ) -> StatusResult:
        """Move routes into the list (out of any other; re-inserted routes go to the tail); a None list just
        takes them out of their lists. The handles stay the caller's."""
        ent = self._entity(RtmRegHandle)
        rlist = None if RouteListHandle is None or RouteListHandle is NULL else self._own_list(ent, RouteListHandle)
        routes = [cast(Route, self._obj(ent, h, Route)) for h in count_and_list(NumRoutes, RouteHandles, "Routes")]
        for route in routes:
            if route.owner is not ent:
                raise RtmAccessDeniedError("only the caller's own routes can be listed")  # V2-A-lists
            if route.state != RTM_ROUTE_STATE_CREATED:
                raise RtmInvalidHandleError("the route was deleted")
        for route in routes:
            if rlist is not None and route.rlist is rlist:
                del rlist.routes[route]
                rlist.routes[route] = None
            else:
                self._move_to_list(route, rlist)
        return _OK

    @api(EnumHandleResult)
    def RtmCreateRouteListEnum(
        self, RtmRegHandle: Entity | None, RouteListHandle: RouteList | None
    ) -> EnumHandleResult:
        """Enumerate a route list in insertion order."""
        ent = self._entity(RtmRegHandle)
        rlist = self._own_list(ent, RouteListHandle)
        enum = issue(EnumObj(ent._table, ent, "list"))
        enum.rlist = rlist
        enum.criteria = list(rlist.routes)  # the order at creation; routes moved away meanwhile are skipped
        enum.cursor = 0
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    @api(EnumRoutesResult)
    def RtmGetListEnumRoutes(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumRoutes: int
    ) -> EnumRoutesResult:
        """The next routes of the list (referenced handles). Always NO_ERROR: the end is a batch smaller than
        asked, or empty; a list deleted meanwhile gives nothing (V2-A-lists)."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "list")
        n = self._batch_size(ent, NumRoutes, "NumRoutes")
        rlist = enum.rlist
        snapshot: list[Route] = enum.criteria
        picked: list[Route] = []
        if rlist is not None and rlist._alive:
            while enum.cursor < len(snapshot) and len(picked) < n:
                route = snapshot[enum.cursor]
                enum.cursor += 1
                if route.rlist is rlist and route.state == RTM_ROUTE_STATE_CREATED:
                    picked.append(route)
        for route in picked:
            self._ref(ent, route)
        return EnumRoutesResult(WinError.NO_ERROR, len(picked), picked)

    @api(StatusResult)
    def RtmDeleteRouteList(self, RtmRegHandle: Entity | None, RouteListHandle: RouteList | None) -> StatusResult:
        """Empty the list (its routes live on) and free it."""
        ent = self._entity(RtmRegHandle)
        self._delete_list(self._own_list(ent, RouteListHandle))
        return _OK
