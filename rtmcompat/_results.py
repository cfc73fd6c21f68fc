"""The results of the RTMv1 methods: ``status``, then the out-parameters under their rtm.h names."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from ._v1types import RTM_IP_ROUTE, RTM_IPX_ROUTE

if TYPE_CHECKING:
    from ._handles import V1Client, V1Enum

#: A route of either family.
V1Route: TypeAlias = RTM_IP_ROUTE | RTM_IPX_ROUTE


class RegisterClientResult(NamedTuple):
    """RtmRegisterClient: the client handle, None on failure."""

    status: int
    ClientHandle: V1Client | None


class StatusResult(NamedTuple):
    """RtmDeregisterClient, RtmCloseEnumerationHandle, RtmBlockDeleteRoutes."""

    status: int


class ChangeMessageResult(NamedTuple):
    """RtmDequeueRouteChangeMessage and RtmAddRoute: the change flags and the current / previous best route."""

    status: int
    Flags: int | None
    CurBestRoute: V1Route | None
    PrevBestRoute: V1Route | None


class DeleteRouteResult(NamedTuple):
    """RtmDeleteRoute."""

    status: int
    Flags: int | None
    CurBestRoute: V1Route | None


class IsRouteResult(NamedTuple):
    """RtmIsRoute: the BOOL result and the best route."""

    status: int
    IsRoute: bool
    BestRoute: V1Route | None


class NetworkCountResult(NamedTuple):
    """RtmGetNetworkCount."""

    status: int
    NetworkCount: int


class RouteAgeResult(NamedTuple):
    """RtmGetRouteAge: seconds, INFINITE on failure."""

    status: int
    RouteAge: int


class EnumerationHandleResult(NamedTuple):
    """RtmCreateEnumerationHandle: the handle, None on failure."""

    status: int
    EnumerationHandle: V1Enum | None


class RouteResult(NamedTuple):
    """RtmEnumerateGetNextRoute, RtmGetFirstRoute, RtmGetNextRoute, RtmGetSpecificRoute."""

    status: int
    Route: V1Route | None


class LookupResult(NamedTuple):
    """RtmLookupIPDestination: the BOOL result and the matching network's best route."""

    status: int
    Found: bool
    Route: RTM_IP_ROUTE | None
