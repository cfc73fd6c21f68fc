"""The V1Api protocol: the RTMv1 surface shared by V1Shim and V1Reference, so a workload runs on either."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from ._results import (
    ChangeMessageResult,
    DeleteRouteResult,
    EnumerationHandleResult,
    IsRouteResult,
    LookupResult,
    NetworkCountResult,
    RegisterClientResult,
    RouteAgeResult,
    RouteResult,
    StatusResult,
    V1Route,
)


@runtime_checkable
class V1Api(Protocol):
    """Every RTMv1 function of rtm.h (and the RtmGetSpecificRoute macro), with the C names and argument names."""

    def RtmRegisterClient(
        self, ProtocolFamily: int, RoutingProtocol: int, ChangeEvent: Any = None, Flags: int = 0
    ) -> RegisterClientResult:
        """Register a routing protocol with a family's route table."""
        ...

    def RtmDeregisterClient(self, ClientHandle: Any) -> StatusResult:
        """Deregister a client, removing every route it added."""
        ...

    def RtmDequeueRouteChangeMessage(self, ClientHandle: Any) -> ChangeMessageResult:
        """The client's oldest best-route change message."""
        ...

    def RtmAddRoute(self, ClientHandle: Any, Route: V1Route, TimeToLive: int) -> ChangeMessageResult:
        """Add or update a route."""
        ...

    def RtmDeleteRoute(self, ClientHandle: Any, Route: V1Route) -> DeleteRouteResult:
        """Delete a route of the caller."""
        ...

    def RtmIsRoute(self, ProtocolFamily: int, Network: Any) -> IsRouteResult:
        """Whether a route to exactly this network exists, and its best route."""
        ...

    def RtmGetNetworkCount(self, ProtocolFamily: int) -> NetworkCountResult:
        """The number of networks with a route."""
        ...

    def RtmGetRouteAge(self, Route: V1Route) -> RouteAgeResult:
        """Seconds since the route was created or updated."""
        ...

    def RtmCreateEnumerationHandle(
        self, ProtocolFamily: int, EnumerationFlags: int, CriteriaRoute: V1Route | None = None
    ) -> EnumerationHandleResult:
        """Start an enumeration."""
        ...

    def RtmEnumerateGetNextRoute(self, EnumerationHandle: Any) -> RouteResult:
        """The enumeration's next route."""
        ...

    def RtmCloseEnumerationHandle(self, EnumerationHandle: Any) -> StatusResult:
        """End an enumeration."""
        ...

    def RtmBlockDeleteRoutes(
        self, ClientHandle: Any, EnumerationFlags: int, CriteriaRoute: V1Route | None = None
    ) -> StatusResult:
        """Delete the caller's routes matching the criteria."""
        ...

    def RtmGetFirstRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route | None = None) -> RouteResult:
        """The first matching route in canonical order."""
        ...

    def RtmGetNextRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route) -> RouteResult:
        """The next matching route after the given one."""
        ...

    def RtmGetSpecificRoute(self, ProtocolFamily: int, Route: V1Route) -> RouteResult:
        """The route with this network, protocol and interface."""
        ...

    def RtmLookupIPDestination(self, DestAddress: int) -> LookupResult:
        """Longest-prefix match of an IP address."""
        ...
