"""Handle to information structure functions: RtmGet*Info and RtmRelease*Info (V2-6.4)."""

from __future__ import annotations

from typing import cast

from ._boundary import Boundary, api
from ._errors import (
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    WinError,
)
from ._objects import Dest, Entity, EntityHandle, NextHop, Route, is_issued
from ._results import (
    DestInfoResult,
    EntityInfoResult,
    NextHopInfoResult,
    RouteInfoResult,
    StatusResult,
)
from ._types import (
    RTM_DEST_INFO,
    RTM_ENTITY_INFO,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_INFO,
)
from ._validate import ulong

#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class HandleInformation(Boundary):
    """Copies of what a handle refers to, with the handles inside referenced for the caller."""

    @api(EntityInfoResult)
    def RtmGetEntityInfo(
        self, RtmRegHandle: Entity | None, EntityHandle: EntityHandle | Entity | None
    ) -> EntityInfoResult:
        """A copy of an entity's RTM_ENTITY_INFO (it holds no handles)."""
        ent = self._entity(RtmRegHandle)
        other = self._other_entity(ent, EntityHandle)
        self._count_info(ent, "entity")
        return EntityInfoResult(WinError.NO_ERROR, self._entity_info(other))

    @api(StatusResult)
    def RtmReleaseEntityInfo(self, RtmRegHandle: Entity | None, EntityInfo: RTM_ENTITY_INFO) -> StatusResult:
        """Release an RTM_ENTITY_INFO (it holds no handles, so this only balances RtmGetEntityInfo)."""
        ent = self._entity(RtmRegHandle)
        if type(EntityInfo) is not RTM_ENTITY_INFO:
            raise RtmInvalidParameterError("EntityInfo must be an RTM_ENTITY_INFO")
        if ent.infos.get("entity"):
            self._uncount_info(ent, "entity")
        return _OK

    @api(DestInfoResult)
    def RtmGetDestInfo(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """A destination's information for the requested views; ``ProtocolId`` chooses which best route is
        reported (RTM_BEST_PROTOCOL, RTM_THIS_PROTOCOL or a protocol id). A destination that has lost all its
        routes is reported with no routes (V2-A-dest-lifetime)."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        protocol = ulong(ProtocolId, "ProtocolId")
        vids = self._view_ids(ent._table, self._query_views(ent._table, TargetViews))
        info = self._dest_info(ent, dest, protocol, vids)
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @api(StatusResult)
    def RtmReleaseDestInfo(self, RtmRegHandle: Entity | None, DestInfo: RTM_DEST_INFO) -> StatusResult:
        """Release the handles inside an RTM_DEST_INFO."""
        ent = self._entity(RtmRegHandle)
        if type(DestInfo) is RTM_DEST_INFO and ent.infos.get("dest"):  # the usual one-view structure, released
            dest = DestInfo.DestHandle  # without a list of its handles (``_release_dest_info``)
            if type(dest) is Dest and is_issued(dest) and self._release_dest_info(ent, dest, DestInfo):
                self._uncount_info(ent, "dest")
                return _OK
        handles = self._dest_info_handles(DestInfo)
        if not ent.infos.get("dest"):
            raise RtmInvalidHandleError("no destination information structure to release")
        self._release_handles(ent, handles, in_structure=True)
        self._uncount_info(ent, "dest")
        return _OK

    @api(RouteInfoResult)
    def RtmGetRouteInfo(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> RouteInfoResult:
        """A copy of a route's record and its destination's address (works on deleted routes still held)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        family = ent._table.family
        info = self._route_info(route, ent)
        self._count_info(ent, "route")
        dest = route.dest
        return RouteInfoResult(WinError.NO_ERROR, info, RTM_NET_ADDRESS(family.af, dest.nbits, dest.addr_bits()))

    @api(StatusResult)
    def RtmReleaseRouteInfo(self, RtmRegHandle: Entity | None, RouteInfo: RTM_ROUTE_INFO) -> StatusResult:
        """Release the handles inside an RTM_ROUTE_INFO."""
        ent = self._entity(RtmRegHandle)
        handles = self._route_info_handles(RouteInfo)
        if not ent.infos.get("route"):
            raise RtmInvalidHandleError("no route information structure to release")
        self._release_handles(ent, handles, in_structure=True)
        self._uncount_info(ent, "route")
        return _OK

    @api(NextHopInfoResult)
    def RtmGetNextHopInfo(self, RtmRegHandle: Entity | None, NextHopHandle: NextHop | None) -> NextHopInfoResult:
        """A copy of a next hop's record (any caller)."""
        ent = self._entity(RtmRegHandle)
        nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
        info = self._nexthop_info(nh, ent)
        self._count_info(ent, "nexthop")
        return NextHopInfoResult(WinError.NO_ERROR, info)

    @api(StatusResult)
    def RtmReleaseNextHopInfo(self, RtmRegHandle: Entity | None, NextHopInfo: RTM_NEXTHOP_INFO) -> StatusResult:
        """Release the handles inside an RTM_NEXTHOP_INFO."""
        ent = self._entity(RtmRegHandle)
        handles = self._nexthop_info_handles(NextHopInfo)
        if not ent.infos.get("nexthop"):
            raise RtmInvalidHandleError("no next-hop information structure to release")
        self._release_handles(ent, handles, in_structure=True)
        self._uncount_info(ent, "nexthop")
        return _OK
