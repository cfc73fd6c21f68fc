"""The results of the RTMv2 methods: ``status`` first, then the out-parameters in C order with the header's
names (M-BINDING-3). On failure every out-parameter is None unless the docs return data with the
status (binding rule 4)."""

from __future__ import annotations

from typing import NamedTuple

from ._objects import Dest, Entity, EntityHandle, EnumHandle, NextHop, NotifyReg, OpaquePointer, Route, RouteList
from ._types import (
    RTM_DEST_INFO,
    RTM_ENTITY_EXPORT_METHOD,
    RTM_ENTITY_INFO,
    RTM_ENTITY_METHOD_OUTPUT,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_REGN_PROFILE,
    RTM_ROUTE_INFO,
)


class StatusResult(NamedTuple):
    """A call with no out-parameters."""

    status: int


class RegisterEntityResult(NamedTuple):
    """RtmRegisterEntity."""

    status: int
    RtmRegProfile: RTM_REGN_PROFILE | None
    RtmRegHandle: Entity | None


class GetRegisteredEntitiesResult(NamedTuple):
    """RtmGetRegisteredEntities (NumEntities is also set with ERROR_INSUFFICIENT_BUFFER: the count needed)."""

    status: int
    NumEntities: int | None
    EntityHandles: list[EntityHandle] | None
    EntityInfos: list[RTM_ENTITY_INFO] | None


class OpaquePointerResult(NamedTuple):
    """RtmGetOpaqueInformationPointer."""

    status: int
    OpaqueInfoPointer: OpaquePointer | None


class GetEntityMethodsResult(NamedTuple):
    """RtmGetEntityMethods."""

    status: int
    NumMethods: int | None
    ExptMethods: list[RTM_ENTITY_EXPORT_METHOD | None] | None


class InvokeMethodResult(NamedTuple):
    """RtmInvokeMethod: one output record per invoked method; OutputSize is the bytes produced."""

    status: int
    OutputSize: int | None
    Output: list[RTM_ENTITY_METHOD_OUTPUT] | None


class EntityInfoResult(NamedTuple):
    """RtmGetEntityInfo."""

    status: int
    EntityInfo: RTM_ENTITY_INFO | None


class DestInfoResult(NamedTuple):
    """RtmGetDestInfo, RtmGetExactMatchDestination, RtmGetMostSpecificDestination,
    RtmGetLessSpecificDestination."""

    status: int
    DestInfo: RTM_DEST_INFO | None


class RouteInfoResult(NamedTuple):
    """RtmGetRouteInfo."""

    status: int
    RouteInfo: RTM_ROUTE_INFO | None
    DestAddress: RTM_NET_ADDRESS | None


class NextHopInfoResult(NamedTuple):
    """RtmGetNextHopInfo."""

    status: int
    NextHopInfo: RTM_NEXTHOP_INFO | None


class AddRouteResult(NamedTuple):
    """RtmAddRouteToDest: the route handle (a new reference when none was passed in) and the change flags."""

    status: int
    RouteHandle: Route | None
    ChangeFlags: int | None


class ChangeFlagsResult(NamedTuple):
    """RtmDeleteRouteToDest, RtmUpdateAndUnlockRoute."""

    status: int
    ChangeFlags: int | None


class RoutePointerResult(NamedTuple):
    """RtmGetRoutePointer, RtmLockRoute."""

    status: int
    RoutePointer: RTM_ROUTE_INFO | None


class ExactMatchRouteResult(NamedTuple):
    """RtmGetExactMatchRoute: the found route's information and a referenced handle."""

    status: int
    RouteInfo: RTM_ROUTE_INFO | None
    RouteHandle: Route | None


class IsBestRouteResult(NamedTuple):
    """RtmIsBestRoute."""

    status: int
    BestInViews: int | None


class AddNextHopResult(NamedTuple):
    """RtmAddNextHop."""

    status: int
    NextHopHandle: NextHop | None
    ChangeFlags: int | None


class FindNextHopResult(NamedTuple):
    """RtmFindNextHop."""

    status: int
    NextHopHandle: NextHop | None
    NextHopPointer: RTM_NEXTHOP_INFO | None


class NextHopPointerResult(NamedTuple):
    """RtmGetNextHopPointer, RtmLockNextHop."""

    status: int
    NextHopPointer: RTM_NEXTHOP_INFO | None


class EnumHandleResult(NamedTuple):
    """RtmCreateDestEnum, RtmCreateRouteEnum, RtmCreateNextHopEnum, RtmCreateRouteListEnum."""

    status: int
    RtmEnumHandle: EnumHandle | None


class EnumDestsResult(NamedTuple):
    """RtmGetEnumDests (the last batch comes with ERROR_NO_MORE_ITEMS)."""

    status: int
    NumDests: int | None
    DestInfos: list[RTM_DEST_INFO] | None


class EnumRoutesResult(NamedTuple):
    """RtmGetEnumRoutes, RtmGetListEnumRoutes."""

    status: int
    NumRoutes: int | None
    RouteHandles: list[Route] | None


class EnumNextHopsResult(NamedTuple):
    """RtmGetEnumNextHops."""

    status: int
    NumNextHops: int | None
    NextHopHandles: list[NextHop] | None


class NotifyHandleResult(NamedTuple):
    """RtmRegisterForChangeNotification."""

    status: int
    NotifyHandle: NotifyReg | None


class ChangedDestsResult(NamedTuple):
    """RtmGetChangedDests (the last batch comes with ERROR_NO_MORE_ITEMS)."""

    status: int
    NumDests: int | None
    ChangedDests: list[RTM_DEST_INFO] | None


class ChangeStatusResult(NamedTuple):
    """RtmGetChangeStatus."""

    status: int
    ChangeStatus: bool | None


class IsMarkedResult(NamedTuple):
    """RtmIsMarkedForChangeNotification."""

    status: int
    DestMarked: bool | None


class RouteListResult(NamedTuple):
    """RtmCreateRouteList."""

    status: int
    RouteListHandle: RouteList | None


#: Handle types as the header names them.
RTM_ENTITY_HANDLE = Entity | EntityHandle
RTM_DEST_HANDLE = Dest
RTM_ROUTE_HANDLE = Route
RTM_NEXTHOP_HANDLE = NextHop
RTM_ENUM_HANDLE = EnumHandle
RTM_ROUTE_LIST_HANDLE = RouteList
RTM_NOTIFY_HANDLE = NotifyReg
