"""V1Shim: the RTMv1 API run against the RTMv2 model, each v1 call translated into the RTMv2 calls a correct v2
client would make (STYLE.md habit 3: this module reads as a reference port).

Theory of operation
-------------------
* **Clients are entities.** RtmRegisterClient registers an entity (ProtocolId = RoutingProtocol, instance 0); a
  ChangeEvent becomes a change-notification registration (BEST changes in the unicast view). Each v1 route is a
  v2 route owned by that entity whose neighbour is a next hop per (interface, next-hop address), so the v1 identity
  (network, protocol, interface, next hop) is exactly v2's (destination, owner, neighbour). The client keeps the
  handles of its routes and next hops (as the docs say to), which is what makes deregistration cost in proportion
  to its routes.
* **v1 messages are rebuilt.** v2 reports coalesced per-destination snapshots without the previous best route.
  While some client has an event, the shim keeps its view of every network's best route (``_Family.seen``) and
  turns each change into the v1 message (ADDED / DELETED / CHANGED with Prev and Cur copies), queued per client.
  Changes the shim makes itself are settled right after each v2 call, one route at a time (spec A15), with the
  caller excluded where v1 excludes it; changes made by native v2 entities and by aging reach it through the
  registrations' callbacks and go to every client.
* **One boundary per call** (``_call``): runs what is due on the clock, the call itself, converts a ``StatusError`` into
  the documented status, and emits exactly one ``rtm.v1_call`` event when a logger was given.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

import v2model
from v2model import (
    ERROR_ALREADY_EXISTS,
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_FOUND,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_BEST,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENUM_NEXT,
    RTM_ENUM_START,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_FIRST,
    RTM_ROUTE_EXPIRED,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    WinError,
)

from ._checks import StatusError, dword, enumeration_flags, invalid, registration, route_age, time_to_live
from ._constants import (
    RTM_CURRENT_BEST_ROUTE,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTMCOMPAT_READER_PROTOCOL,
)
from ._handles import RouteEntry, V1Client, V1Enum
from ._logging import jsonable
from ._mapping import mapped
from ._records import BadRouteError, Codec, Criteria, IpCodec, IpxCodec, Record, change_flags, matches, message_of
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
from ._v1types import RTM_IP_ROUTE

R = TypeVar("R", bound=tuple[Any, ...])

_ACCEPTED = (WinError.NO_ERROR, WinError.ERROR_NO_MORE_ITEMS)
_SPECIFIC = RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE

#: How a failed RTMv2 status is reported to the v1 caller (the error column of ``_mapping``).
_V2_TO_V1: dict[int, int] = {
    WinError.ERROR_ALREADY_EXISTS: WinError.ERROR_ALREADY_EXISTS,  # = ERROR_CLIENT_ALREADY_EXISTS
    WinError.ERROR_NOT_ENOUGH_MEMORY: WinError.ERROR_NOT_ENOUGH_MEMORY,
    WinError.ERROR_NO_SYSTEM_RESOURCES: WinError.ERROR_NO_SYSTEM_RESOURCES,
    WinError.ERROR_INVALID_PARAMETER: WinError.ERROR_INVALID_PARAMETER,
    WinError.ERROR_BAD_CONFIGURATION: WinError.ERROR_NO_SYSTEM_RESOURCES,
}


class _Family:
    """What the shim keeps per protocol family."""

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        #: The entity that serves the v1 calls that take no client handle (registered on first use).
        self.reader: v2model.Entity | None = None
        self.clients: dict[V1Client, None] = {}
        #: network -> (best v2 route, its v1 record): the best routes as the clients last heard of them, kept
        #: while some client has an event (None otherwise).
        self.seen: dict[tuple[int, int], tuple[v2model.Route, Record]] | None = None
        self.batch = 25


class _Op:
    """A v1 call that changes routes: whom v1 excludes from its messages, and the networks v2 reported changed
    while it ran (settled by the call itself, after its bookkeeping)."""

    def __init__(self, exclude: V1Client | None) -> None:
        self.exclude = exclude
        self.touched: set[tuple[int, tuple[int, int]]] = set()


class _Recorder:
    """Stands in for the RoutingTableManager while a mapping logger is set: counts each v2 call of the current v1
    call (``current``: name -> [count, failed])."""

    def __init__(self, rtm: RoutingTableManager) -> None:
        self._rtm = rtm
        self.current: dict[str, list[int]] | None = None

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._rtm, name)

        def call(*args: Any) -> Any:
            log = self.current
            if log is None:
                return method(*args)
            counts = log.setdefault(name, [0, 0])  # entered before the call: the order is that of first use
            counts[0] += 1
            result = method(*args)
            if result[0] not in _ACCEPTED:
                counts[1] += 1
            return result

        setattr(self, name, call)
        return call


class V1Shim:
    """The RTMv1 API (rtm.h) on an RTMv2-semantic :class:`v2model.RoutingTableManager`.

    ``rtm``: the RTM to run on (a new one with the system clock when None). ``mapping_logger``: a structlog bound
    logger that receives one ``rtm.v1_call`` event per v1 call, or None (no logging, one branch per call).
    ``protocol_priority``: protocol id -> the administrator's priority, written into every IP route's
    FSD_Priority and used as the v2 Preference (spec A3); absent protocols get 0.
    """

    def __init__(
        self,
        rtm: RoutingTableManager | None = None,
        *,
        mapping_logger: Any = None,
        protocol_priority: dict[int, int] | None = None,
    ) -> None:
        self._owns_rtm = rtm is None
        self._rtm = rtm if rtm is not None else RoutingTableManager()
        self._log = mapping_logger
        self._recorder = _Recorder(self._rtm) if mapping_logger is not None else None
        self._v2 = cast(RoutingTableManager, self._recorder) if self._recorder is not None else self._rtm
        priority = dict(protocol_priority or {})
        self._families = {
            RTM_PROTOCOL_FAMILY_IP: _Family(IpCodec(priority)),
            RTM_PROTOCOL_FAMILY_IPX: _Family(IpxCodec()),
        }
        self._lock = threading.RLock()
        self._by_route: dict[v2model.Route, RouteEntry] = {}
        self._op: _Op | None = None
        #: (deadline, family, canonical key, tiebreak, client, identity, entry): v1 aging order (spec 5.5)
        self._deadlines: list[tuple[int, int, tuple[Any, ...], int, V1Client, tuple[Any, ...], RouteEntry]] = []
        self._tiebreak = itertools.count()
        self._deadlines_limit = 1024

    @property
    def rtm(self) -> RoutingTableManager:
        """The RTMv2 model underneath."""
        return self._rtm

    def close(self) -> None:
        """Deregister the reader entities the shim registered for client-less calls (clients stay), and close the
        RoutingTableManager if the shim created it (stopping its timer thread)."""
        with self._lock:
            for fam in self._families.values():
                if fam.reader is not None:
                    self._rtm.RtmDeregisterEntity(fam.reader)
                    fam.reader = None
        if self._owns_rtm:
            self._rtm.close()

    def __enter__(self) -> V1Shim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ============================================================================================
    # The boundary
    # ============================================================================================

    def _call(
        self,
        name: str,
        fail: Callable[[int], R],
        impl: Callable[..., R],
        names: tuple[str, ...],
        args: tuple[Any, ...],
    ) -> R:
        with self._lock:
            recorder = self._recorder
            if recorder is not None:
                recorder.current = {}
            try:
                self._rtm.process_timers()  # API.md: every call first processes what is due
                self._age(self._rtm.clock.now_ms())
                try:
                    result = impl(*args)
                except StatusError as exc:
                    result = fail(exc.status)
            finally:
                calls = recorder.current if recorder is not None else None
                if recorder is not None:
                    recorder.current = None
            if calls is not None:
                self._emit(name, names, args, result, calls)
            return result

    def _emit(
        self, name: str, names: tuple[str, ...], args: tuple[Any, ...], result: Any, calls: dict[str, list[int]]
    ) -> None:
        fields: dict[str, Any] = {
            "v1": name,
            "args": {n: jsonable(n, a) for n, a in zip(names, args, strict=True)},
            "status": int(result[0]),
            "v2": [{"call": call, "count": c, "failed": f} for call, (c, f) in calls.items()],
        }
        client = args[0] if names[0] == "ClientHandle" and isinstance(args[0], V1Client) else None
        if name == "RtmRegisterClient" and isinstance(result[1], V1Client):
            client = result[1]
        if client is not None:
            fields["client"] = client.name
        self._log.info("rtm.v1_call", **fields)

    # ============================================================================================
    # Checks
    # ============================================================================================

    def _family(self, family: Any) -> _Family:
        if type(family) is not int or family not in self._families:
            raise invalid()  # spec A28
        return self._families[family]

    def _client(self, handle: Any) -> V1Client:
        if type(handle) is not V1Client or not handle.alive or handle.owner is not self:
            raise StatusError(WinError.ERROR_INVALID_HANDLE)  # spec A30
        return handle

    def _check(self, result: tuple[Any, ...], *also: int) -> None:
        """A v2 call failed where the port expects success: report the mapped status."""
        status = result[0]
        if status != WinError.NO_ERROR and status not in also:
            raise StatusError(_V2_TO_V1.get(status, status))

    def _criteria(self, fam: _Family, flags: int, route: Any) -> Criteria | None:
        """The criteria of an RTM_ONLY_* selection (spec A10: a route is needed only with THIS_* bits)."""
        if not flags & _SPECIFIC:
            return None
        if route is None:
            raise invalid()
        record = self._read_any(fam.codec, route)
        return Criteria(fam.codec.network_of(record), record.ifindex, record.protocol)

    def _read_any(self, codec: Codec, route: Any) -> Record:
        """A caller's route structure read as given (its own RR_RoutingProtocol), for criteria and positions."""
        if type(route) is not codec.struct:
            raise invalid()
        try:
            return codec.read(route, dword(route.RR_RoutingProtocol), 0)
        except BadRouteError:
            raise invalid() from None

    # ============================================================================================
    # Registration
    # ============================================================================================

    @mapped("RtmRegisterClient")
    def RtmRegisterClient(
        self, ProtocolFamily: int, RoutingProtocol: int, ChangeEvent: Any = None, Flags: int = 0
    ) -> RegisterClientResult:
        """Register a routing protocol with a family's table; returns the client handle (None on failure)."""
        return self._call(
            "RtmRegisterClient",
            lambda s: RegisterClientResult(s, None),
            self._register,
            ("ProtocolFamily", "RoutingProtocol", "ChangeEvent", "Flags"),
            (ProtocolFamily, RoutingProtocol, ChangeEvent, Flags),
        )

    def _register(self, family: Any, protocol: Any, event: Any, flags: Any) -> RegisterClientResult:
        fam = self._family(family)  # spec 4.1 [R]: family, then flags, then duplicate
        protocol = dword(protocol)
        single = registration(flags, event)
        codec = fam.codec
        client = V1Client(self, codec, protocol, event, single)
        info = RTM_ENTITY_INFO(0, codec.af, RTM_ENTITY_ID(protocol, 0))
        status, profile, entity = self._v2.RtmRegisterEntity(info, None, self._callback(client), False)
        if status != WinError.NO_ERROR or entity is None or profile is None:
            raise StatusError(_V2_TO_V1.get(status, WinError.ERROR_INVALID_PARAMETER))
        client.entity = entity
        fam.batch = profile.MaxHandlesInEnum
        if event is not None:
            status, notify = self._v2.RtmRegisterForChangeNotification(
                entity, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, client
            )
            if status != WinError.NO_ERROR or notify is None:
                self._v2.RtmDeregisterEntity(entity)
                raise StatusError(_V2_TO_V1.get(status, WinError.ERROR_NO_SYSTEM_RESOURCES))
            client.notify = notify
            if fam.seen is None:
                self._learn_best_routes(fam, entity)
            event.clear()  # spec A18: reset at registration
        fam.clients[client] = None
        return RegisterClientResult(WinError.NO_ERROR, client)

    def _callback(self, client: V1Client) -> Callable[[Any, int, Any, Any], int]:
        def on_event(handle: Any, event_type: int, context1: Any, context2: Any) -> int:
            if event_type == RTM_CHANGE_NOTIFICATION:
                self._drain(client)
            elif event_type == RTM_ROUTE_EXPIRED:
                return self._expired(client, context1)
            return WinError.NO_ERROR

        return on_event

    def _learn_best_routes(self, fam: _Family, entity: v2model.Entity) -> None:
        """Walk the unicast view once so v1 messages have a previous best route to report."""
        seen: dict[tuple[int, int], tuple[v2model.Route, Record]] = {}
        for info in self._walk_dests(fam, entity, None):
            view = info.ViewInfo[0]
            if view.Route is not None:
                network = _network_of_dest(fam.codec, info.DestAddress)
                seen[network] = (view.Route, self._record_of(fam, entity, view.Route, info.LastChanged))
        fam.seen = seen

    @mapped("RtmDeregisterClient")
    def RtmDeregisterClient(self, ClientHandle: V1Client | None) -> StatusResult:
        """Deregister a client; every route it added is removed and the remaining clients are told."""
        return self._call("RtmDeregisterClient", StatusResult, self._deregister, ("ClientHandle",), (ClientHandle,))

    def _deregister(self, handle: Any) -> StatusResult:
        client = self._client(handle)
        fam = self._families[client.family]
        entity = client.entity
        assert entity is not None
        codec = client.codec
        client.queue.clear()  # spec 4.2 [R]: pending messages are discarded; the event is left as it is
        for key, entry in sorted(client.routes.items(), key=lambda item: codec.canonical(item[1].record)):
            self._remove_route(client, key, entry, exclude=client)
        for handle_, _users in list(client.nexthops.values()):
            self._check(self._v2.RtmDeleteNextHop(entity, handle_, None))
        client.nexthops.clear()
        if client.notify is not None:
            self._check(self._v2.RtmDeregisterFromChangeNotification(entity, client.notify))
            client.notify = None
            if not any(other.notify is not None for other in fam.clients if other is not client):
                fam.seen = None
        self._check(self._v2.RtmDeregisterEntity(entity))
        client.alive = False
        del fam.clients[client]
        return StatusResult(WinError.NO_ERROR)

    # ============================================================================================
    # Change messages
    # ============================================================================================

    @mapped("RtmDequeueRouteChangeMessage")
    def RtmDequeueRouteChangeMessage(self, ClientHandle: V1Client | None) -> ChangeMessageResult:
        """The client's oldest change message: NO_ERROR for the last one (event reset), ERROR_MORE_MESSAGES when
        more wait, ERROR_NO_MESSAGES when none (event reset)."""
        return self._call(
            "RtmDequeueRouteChangeMessage",
            lambda s: ChangeMessageResult(s, None, None, None),
            self._dequeue,
            ("ClientHandle",),
            (ClientHandle,),
        )

    def _dequeue(self, handle: Any) -> ChangeMessageResult:
        client = self._client(handle)
        if client.event is None:
            raise StatusError(WinError.ERROR_INVALID_HANDLE)  # documented: registered without an event
        queue = client.queue
        if not queue:
            client.event.clear()
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)
        flags, cur, prev = queue.popleft()
        if queue:
            status = WinError.ERROR_MORE_DATA  # ERROR_MORE_MESSAGES
        else:
            status = WinError.NO_ERROR
            client.event.clear()
        to_struct = client.codec.to_struct
        return ChangeMessageResult(
            status,
            flags,
            None if cur is None else to_struct(cur),
            None if prev is None else to_struct(prev),
        )

    def _drain(self, client: V1Client) -> None:
        """RTM_CHANGE_NOTIFICATION: retrieve the changed destinations until none are left (the sample's loop)."""
        with self._lock:
            fam = self._families[client.family]
            entity, notify = client.entity, client.notify
            while client.alive and notify is not None and entity is not None:
                status, count, infos = self._v2.RtmGetChangedDests(entity, notify, fam.batch)
                if status not in _ACCEPTED or infos is None or count is None:
                    return
                for info in infos:
                    network = _network_of_dest(fam.codec, info.DestAddress)
                    if self._op is not None:
                        self._op.touched.add((client.family, network))  # settled by the running call
                    elif fam.seen is not None:
                        route = info.ViewInfo[0].Route if info.ViewInfo else None
                        record = None if route is None else self._record_of(fam, entity, route, info.LastChanged)
                        self._settle(fam, network, route, record, exclude=None)
                self._check(self._v2.RtmReleaseChangedDests(entity, notify, count, infos))
                if status == ERROR_NO_MORE_ITEMS:
                    return

    def _settle(
        self,
        fam: _Family,
        network: tuple[int, int],
        route: v2model.Route | None,
        record: Record | None,
        exclude: V1Client | None,
    ) -> None:
        """The network's best route is now ``record``: queue the v1 message for it, if any (spec 5.2, 5.3)."""
        seen = fam.seen
        if seen is None:
            return
        old = seen.get(network)
        before = None if old is None else old[1]
        if route is None or record is None:
            seen.pop(network, None)
        else:
            seen[network] = (route, record)
        flags = change_flags(fam.codec, before, record)
        if not flags:
            return
        message = message_of(flags, record, before)
        for client in fam.clients:
            if client is not exclude and client.event is not None:
                client.queue.append(message)
                client.event.set()

    def _refresh(
        self,
        fam: _Family,
        entity: v2model.Entity,
        network: tuple[int, int],
        exclude: V1Client | None,
        best_changed: bool = True,
        changed: RouteEntry | None = None,
    ) -> Record | None:
        """After a change the shim made to a route of ``network`` (``changed``, when it still exists): settle the
        network's best route and return it. When RTM says no best route changed (no RTM_ROUTE_CHANGE_BEST) and
        the shim knows the best route, that route is still best, with the changed route's new record if it is
        the one; otherwise the shim reads it."""
        known = fam.seen.get(network) if fam.seen is not None and not best_changed else None
        if known is None:
            route, record = self._best(fam, entity, network)
        elif changed is not None and known[0] is changed.route:
            route, record = changed.route, changed.record
        else:
            route, record = known
        self._settle(fam, network, route, record, exclude)
        return record

    def _previous(self, fam: _Family, entity: v2model.Entity, network: tuple[int, int]) -> Record | None:
        """The network's best route before a change: from what the clients last heard, else read now."""
        if fam.seen is not None:
            known = fam.seen.get(network)
            return None if known is None else known[1]
        return self._best(fam, entity, network)[1]

    def _finish(self, fam: _Family, entity: v2model.Entity, op: _Op, done: tuple[int, int]) -> None:
        """Settle the other networks v2 reported while a call ran (rare: a timer fired meanwhile)."""
        for family, network in op.touched:
            if family == fam.codec.family and network != done:
                self._refresh(fam, entity, network, None)

    # ============================================================================================
    # Reading the table
    # ============================================================================================

    def _best(
        self, fam: _Family, entity: v2model.Entity, network: tuple[int, int]
    ) -> tuple[v2model.Route | None, Record | None]:
        """The network's best route in the unicast view (RtmIsRoute's answer)."""
        address = fam.codec.dest_address(*network)
        if address is None:
            return None, None
        status, info = self._v2.RtmGetExactMatchDestination(entity, address, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
        if status == ERROR_NOT_FOUND or info is None:
            return None, None
        try:
            route = info.ViewInfo[0].Route
            return route, None if route is None else self._record_of(fam, entity, route, info.LastChanged)
        finally:
            self._check(self._v2.RtmReleaseDestInfo(entity, info))

    def _record_of(self, fam: _Family, entity: v2model.Entity, route: v2model.Route, last_changed: int) -> Record:
        """A route in v1 shape: a v1 client's own record, or a native v2 route translated."""
        entry = self._by_route.get(route)
        if entry is not None:
            return entry.record
        status, info, dest = self._v2.RtmGetRouteInfo(entity, route)
        self._check((status,))
        assert info is not None
        assert dest is not None
        try:
            protocol = 0
            owner_info = None
            if info.RouteOwner is not None:
                status, owner_info = self._v2.RtmGetEntityInfo(entity, info.RouteOwner)
            if owner_info is not None:
                protocol = owner_info.EntityId.EntityProtocolId
                self._v2.RtmReleaseEntityInfo(entity, owner_info)
            ifindex, address = 0, None
            if info.NextHopsList.NextHops:
                status, nh_info = self._v2.RtmGetNextHopInfo(entity, info.NextHopsList.NextHops[0])
                if status == WinError.NO_ERROR and nh_info is not None:
                    ifindex, address = nh_info.InterfaceIndex, nh_info.NextHopAddress
                    self._v2.RtmReleaseNextHopInfo(entity, nh_info)
            pref = info.PrefInfo
            return fam.codec.from_v2(last_changed, protocol, dest, ifindex, address, pref.Preference, pref.Metric)
        finally:
            self._check(self._v2.RtmReleaseRouteInfo(entity, info))

    def _reader(self, fam: _Family) -> v2model.Entity:
        """The family's reader entity, registered on first use."""
        if fam.reader is None:
            for instance in range(64):
                info = RTM_ENTITY_INFO(0, fam.codec.af, RTM_ENTITY_ID(RTMCOMPAT_READER_PROTOCOL, instance))
                status, _, entity = self._v2.RtmRegisterEntity(info, None, None, False)
                if status == WinError.NO_ERROR and entity is not None:
                    fam.reader = entity
                    break
                if status != ERROR_ALREADY_EXISTS:
                    raise StatusError(_V2_TO_V1.get(status, WinError.ERROR_INVALID_PARAMETER))
            else:
                raise StatusError(WinError.ERROR_NO_SYSTEM_RESOURCES)
        assert fam.reader is not None
        return fam.reader

    def _walk_dests(
        self, fam: _Family, entity: v2model.Entity, start: RTM_NET_ADDRESS | None
    ) -> Iterator[v2model.RTM_DEST_INFO]:
        """Every destination of the unicast view in address order (from ``start`` on, inclusive)."""
        flags = RTM_ENUM_START if start is None else RTM_ENUM_NEXT
        status, enum = self._v2.RtmCreateDestEnum(entity, RTM_VIEW_MASK_UCAST, flags, start, RTM_BEST_PROTOCOL)
        self._check((status,))
        assert enum is not None
        try:
            while True:
                status, count, infos = self._v2.RtmGetEnumDests(entity, enum, fam.batch)
                self._check((status,), ERROR_NO_MORE_ITEMS)
                assert infos is not None
                assert count is not None
                try:
                    yield from infos
                finally:
                    self._check(self._v2.RtmReleaseDests(entity, count, infos))
                if status == ERROR_NO_MORE_ITEMS:
                    return
        finally:
            self._check(self._v2.RtmDeleteEnumHandle(entity, enum))

    def _routes_of(
        self, fam: _Family, entity: v2model.Entity, info: v2model.RTM_DEST_INFO
    ) -> list[tuple[Record, bool, tuple[Any, ...]]]:
        """A destination's unicast routes in v1 shape, in canonical order, each with whether it is the best and
        its v1 identity."""
        status, enum = self._v2.RtmCreateRouteEnum(
            entity, info.DestHandle, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, 0, None, 0
        )
        self._check((status,))
        assert enum is not None
        best = info.ViewInfo[0].Route if info.ViewInfo else None
        out: list[tuple[Record, bool, tuple[Any, ...]]] = []
        try:
            while True:
                status, count, routes = self._v2.RtmGetEnumRoutes(entity, enum, fam.batch)
                self._check((status,), ERROR_NO_MORE_ITEMS)
                assert routes is not None
                assert count is not None
                for route in routes:
                    entry = self._by_route.get(route)
                    if entry is not None:
                        out.append((entry.record, route is best, entry.identity))
                    else:
                        record = self._record_of(fam, entity, route, info.LastChanged)
                        identity = (record.protocol, *fam.codec.identity(record, False))
                        out.append((record, route is best, identity))
                self._check(self._v2.RtmReleaseRoutes(entity, count, routes))
                if status == ERROR_NO_MORE_ITEMS:
                    break
        finally:
            self._check(self._v2.RtmDeleteEnumHandle(entity, enum))
        out.sort(key=lambda item: fam.codec.canonical(item[0]))
        return out

    def _next_route(
        self,
        fam: _Family,
        after: tuple[Any, ...] | None,
        flags: int,
        criteria: Criteria | None,
        returned: set[tuple[Any, ...]] | frozenset[tuple[Any, ...]] = frozenset(),
    ) -> tuple[Record, tuple[Any, ...]] | None:
        """The first route after the canonical key ``after`` (from the start when None) that matches now and whose
        identity is not in ``returned``, with its identity (spec 4.13, 4.14, A7, A8, A37)."""
        codec = fam.codec
        entity = self._reader(fam)
        if flags & RTM_ONLY_THIS_NETWORK:
            assert criteria is not None
            address = codec.dest_address(*criteria.network)
            if address is None:
                return None
            status, info = self._v2.RtmGetExactMatchDestination(entity, address, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
            if status == ERROR_NOT_FOUND or info is None:
                return None
            try:
                return self._first_match(fam, entity, info, after, flags, criteria, returned)
            finally:
                self._check(self._v2.RtmReleaseDestInfo(entity, info))
        start = None if after is None else _start_of(codec, after)
        for info in self._walk_dests(fam, entity, start):
            found = self._first_match(fam, entity, info, after, flags, criteria, returned)
            if found is not None:
                return found
        return None

    def _first_match(
        self,
        fam: _Family,
        entity: v2model.Entity,
        info: v2model.RTM_DEST_INFO,
        after: tuple[Any, ...] | None,
        flags: int,
        criteria: Criteria | None,
        returned: set[tuple[Any, ...]] | frozenset[tuple[Any, ...]],
    ) -> tuple[Record, tuple[Any, ...]] | None:
        codec = fam.codec
        for record, is_best, identity in self._routes_of(fam, entity, info):
            if after is not None and codec.canonical(record) <= after:
                continue
            if identity not in returned and matches(codec, record, flags, criteria, is_best):
                return record, identity
        return None

    # ============================================================================================
    # Routes
    # ============================================================================================

    @mapped("RtmAddRoute")
    def RtmAddRoute(self, ClientHandle: V1Client | None, Route: V1Route, TimeToLive: int) -> ChangeMessageResult:
        """Add or update a route; Flags says how the network's best route changed (NO_CHANGE, ADDED, CHANGED),
        with CurBestRoute and PrevBestRoute where their bits are set."""
        return self._call(
            "RtmAddRoute",
            lambda s: ChangeMessageResult(s, None, None, None),
            self._add,
            ("ClientHandle", "Route", "TimeToLive"),
            (ClientHandle, Route, TimeToLive),
        )

    def _add(self, handle: Any, route: Any, ttl: Any) -> ChangeMessageResult:
        client = self._client(handle)
        codec = client.codec
        fam = self._families[client.family]
        entity = client.entity
        assert entity is not None
        seconds = time_to_live(ttl)
        try:
            record = codec.read(route, client.protocol, self._rtm.clock.filetime())
        except BadRouteError:
            raise invalid() from None
        dest = codec.dest_of(record)
        nh_address = codec.nexthop_address(record)
        if dest is None or nh_address is None:
            raise invalid()  # RTMv2 cannot hold this network (MIGRATION.md)
        network = codec.network_of(record)
        key = codec.identity(record, client.single)
        before = self._previous(fam, entity, network)
        nh_key = codec.nexthop_key(record)
        nexthop = self._use_nexthop(client, nh_key, nh_address, record.ifindex)
        pref, metric = codec.pref_metric(record)
        info = RTM_ROUTE_INFO(
            Neighbour=nexthop,
            PrefInfo=RTM_PREF_INFO(Metric=metric, Preference=pref),
            BelongsToViews=RTM_VIEW_MASK_UCAST,
            EntitySpecificInfo=record,
            NextHopsList=RTM_NEXTHOP_LIST(1, [nexthop]),
        )
        ttl_ms = INFINITE if seconds == INFINITE else seconds * 1000
        deadline = None if seconds == INFINITE else self._rtm.clock.now_ms() + ttl_ms
        change = RTM_ROUTE_CHANGE_FIRST if client.single else 0
        entry = client.routes.get(key)
        op = self._op = _Op(client)
        try:
            if entry is None:
                status, new_route, best = self._v2.RtmAddRouteToDest(
                    entity, None, dest, info, ttl_ms, None, 0, None, change
                )
                if status != WinError.NO_ERROR or new_route is None:
                    self._unuse_nexthop(client, nh_key)
                    raise StatusError(_V2_TO_V1.get(status, status))
                identity = (client.protocol, *key)
                entry = client.routes[key] = RouteEntry(new_route, record, nh_key, deadline, identity)
                self._by_route[new_route] = entry
            else:
                old_record, old_nh_key, old_deadline = entry.record, entry.nexthop_key, entry.deadline
                entry.record, entry.nexthop_key, entry.deadline = record, nh_key, deadline
                status, _, best = self._v2.RtmAddRouteToDest(
                    entity, entry.route, dest, info, ttl_ms, None, 0, None, change
                )
                if status != WinError.NO_ERROR:
                    entry.record, entry.nexthop_key, entry.deadline = old_record, old_nh_key, old_deadline
                    self._unuse_nexthop(client, nh_key)
                    raise StatusError(_V2_TO_V1.get(status, status))
                self._unuse_nexthop(client, old_nh_key)
            if deadline is not None:
                self._arm(deadline, client, key, entry)
            after = self._refresh(fam, entity, network, client, bool((best or 0) & RTM_ROUTE_CHANGE_BEST), entry)
            self._finish(fam, entity, op, network)
        finally:
            self._op = None
        flags = change_flags(codec, before, after)
        return ChangeMessageResult(
            WinError.NO_ERROR,
            flags,
            codec.to_struct(after) if flags & RTM_CURRENT_BEST_ROUTE and after is not None else None,
            codec.to_struct(before) if flags & RTM_PREVIOUS_BEST_ROUTE and before is not None else None,
        )

    def _arm(self, deadline: int, client: V1Client, key: tuple[Any, ...], entry: RouteEntry) -> None:
        """Remember a v1 route's deadline for aging in v1 order; drop stale entries when they pile up."""
        heap = self._deadlines
        canonical = client.codec.canonical(entry.record)
        heapq.heappush(heap, (deadline, client.codec.family, canonical, next(self._tiebreak), client, key, entry))
        if len(heap) > self._deadlines_limit:
            heap[:] = [item for item in heap if item[4].routes.get(item[5]) is item[6] and item[6].deadline == item[0]]
            heapq.heapify(heap)
            self._deadlines_limit = 2 * len(heap) + 1024

    def _use_nexthop(
        self, client: V1Client, key: tuple[int, Any], address: RTM_NET_ADDRESS, ifindex: int
    ) -> v2model.NextHop:
        """The client's v2 next hop for (interface, next hop), created on first use (the add sample's step 3)."""
        slot = client.nexthops.get(key)
        if slot is None:
            assert client.entity is not None
            info = RTM_NEXTHOP_INFO(NextHopAddress=address, InterfaceIndex=ifindex)
            status, handle, _ = self._v2.RtmAddNextHop(client.entity, info, None)
            if status != WinError.NO_ERROR or handle is None:
                raise StatusError(_V2_TO_V1.get(status, status))
            slot = client.nexthops[key] = [handle, 0]
        slot[1] += 1
        return cast(v2model.NextHop, slot[0])

    def _unuse_nexthop(self, client: V1Client, key: tuple[int, Any]) -> None:
        """One route less uses this next hop; the last one deletes it (its handle is consumed)."""
        slot = client.nexthops[key]
        slot[1] -= 1
        if not slot[1]:
            del client.nexthops[key]
            assert client.entity is not None
            self._check(self._v2.RtmDeleteNextHop(client.entity, slot[0], None))

    def _remove_route(
        self, client: V1Client, key: tuple[Any, ...], entry: RouteEntry, exclude: V1Client | None
    ) -> Record | None:
        """Delete one of the client's routes and settle its network (one step of spec A15); returns the
        network's best route afterwards."""
        fam = self._families[client.family]
        entity = client.entity
        assert entity is not None
        network = client.codec.network_of(entry.record)
        op, outer = _Op(exclude), self._op
        self._op = op
        try:
            status, best = self._v2.RtmDeleteRouteToDest(entity, entry.route)  # consumes the client's handle
            self._check((status,))
            del client.routes[key]
            del self._by_route[entry.route]
            self._unuse_nexthop(client, entry.nexthop_key)
            after = self._refresh(fam, entity, network, exclude, bool((best or 0) & RTM_ROUTE_CHANGE_BEST), None)
            self._finish(fam, entity, op, network)
        finally:
            self._op = outer
        return after

    @mapped("RtmDeleteRoute")
    def RtmDeleteRoute(self, ClientHandle: V1Client | None, Route: V1Route) -> DeleteRouteResult:
        """Delete one of the caller's routes; Flags is NO_CHANGE, DELETED (it was the only route) or CHANGED
        (another route became best: CurBestRoute)."""
        return self._call(
            "RtmDeleteRoute",
            lambda s: DeleteRouteResult(s, None, None),
            self._delete,
            ("ClientHandle", "Route"),
            (ClientHandle, Route),
        )

    def _delete(self, handle: Any, route: Any) -> DeleteRouteResult:
        client = self._client(handle)
        codec = client.codec
        fam = self._families[client.family]
        entity = client.entity
        assert entity is not None
        try:
            record = codec.read(route, client.protocol, 0)
        except BadRouteError:
            raise invalid() from None
        key = codec.identity(record, client.single)
        entry = client.routes.get(key)
        if entry is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)  # ERROR_NO_SUCH_ROUTE
        network = codec.network_of(entry.record)
        before = self._previous(fam, entity, network)
        after = self._remove_route(client, key, entry, exclude=client)
        flags = change_flags(codec, before, after)
        return DeleteRouteResult(
            WinError.NO_ERROR,
            flags,
            codec.to_struct(after) if flags & RTM_CURRENT_BEST_ROUTE and after is not None else None,
        )

    @mapped("RtmBlockDeleteRoutes")
    def RtmBlockDeleteRoutes(
        self, ClientHandle: V1Client | None, EnumerationFlags: int, CriteriaRoute: V1Route | None = None
    ) -> StatusResult:
        """Delete every route of the caller that matches the criteria; every client with an event is told, the
        caller included."""
        return self._call(
            "RtmBlockDeleteRoutes",
            StatusResult,
            self._block_delete,
            ("ClientHandle", "EnumerationFlags", "CriteriaRoute"),
            (ClientHandle, EnumerationFlags, CriteriaRoute),
        )

    def _block_delete(self, handle: Any, flags: Any, criteria_route: Any) -> StatusResult:
        client = self._client(handle)
        fam = self._families[client.family]
        flags = enumeration_flags(flags)
        criteria = self._criteria(fam, flags, criteria_route)
        codec = client.codec
        # spec A36: THIS_PROTOCOL is accepted and the caller's protocol used; ONLY_BEST is redundant (4.12).
        flags &= RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE
        chosen = [
            (key, entry) for key, entry in client.routes.items() if matches(codec, entry.record, flags, criteria, True)
        ]
        if not chosen:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)  # ERROR_NO_ROUTES
        chosen.sort(key=lambda item: codec.canonical(item[1].record))
        for key, entry in chosen:
            self._remove_route(client, key, entry, exclude=None)
        return StatusResult(WinError.NO_ERROR)

    def _expired(self, client: V1Client, route: Any) -> int:
        """RTM_ROUTE_EXPIRED for one of a client's routes. v1 ages routes itself and tells every client, the owner
        included (spec 5.5, A14): the shim deletes every v1 route due by now in (deadline, canonical) order, one
        at a time, and releases the handle that came with the event. When the deadline is reached by the shim's
        own v2 calls in the middle of a v1 call, the route goes at the next v1 call instead (API.md: a TTL of 0
        expires at the next call), like every other due route."""
        with self._lock:
            entry = self._by_route.get(route)
            if entry is None or not client.alive or client.entity is None:
                return ERROR_NOT_SUPPORTED  # not a live v1 route: let RTM delete it
            if self._op is None:
                self._age(max(self._rtm.clock.now_ms(), entry.deadline if entry.deadline is not None else 0))
            self._check(self._v2.RtmReleaseRoutes(client.entity, 1, [route]))
            return WinError.NO_ERROR

    def _age(self, limit: int) -> None:
        """Delete the v1 routes whose deadline is at or before ``limit``, in v1 aging order (spec 5.5)."""
        heap = self._deadlines
        while heap and heap[0][0] <= limit:
            deadline, _, _, _, owner, key, due = heapq.heappop(heap)
            if owner.alive and owner.routes.get(key) is due and due.deadline == deadline:
                self._remove_route(owner, key, due, exclude=None)

    # ============================================================================================
    # Queries
    # ============================================================================================

    @mapped("RtmIsRoute")
    def RtmIsRoute(self, ProtocolFamily: int, Network: Any) -> IsRouteResult:
        """Whether a route to exactly this network exists, and its best route."""
        return self._call(
            "RtmIsRoute",
            lambda s: IsRouteResult(s, False, None),
            self._is_route,
            ("ProtocolFamily", "Network"),
            (ProtocolFamily, Network),
        )

    def _is_route(self, family: Any, network: Any) -> IsRouteResult:
        fam = self._family(family)
        try:
            net = fam.codec.network(network)
        except BadRouteError:
            raise invalid() from None
        record = self._best(fam, self._reader(fam), net)[1]
        if record is None:
            return IsRouteResult(WinError.NO_ERROR, False, None)
        return IsRouteResult(WinError.NO_ERROR, True, fam.codec.to_struct(record))

    @mapped("RtmGetNetworkCount")
    def RtmGetNetworkCount(self, ProtocolFamily: int) -> NetworkCountResult:
        """The number of networks with at least one route (0 with ERROR_INVALID_PARAMETER for a bad family)."""
        return self._call(
            "RtmGetNetworkCount",
            lambda s: NetworkCountResult(s, 0),
            self._network_count,
            ("ProtocolFamily",),
            (ProtocolFamily,),
        )

    def _network_count(self, family: Any) -> NetworkCountResult:
        fam = self._family(family)
        if fam.seen is not None:
            return NetworkCountResult(WinError.NO_ERROR, len(fam.seen))
        return NetworkCountResult(WinError.NO_ERROR, sum(1 for _ in self._walk_dests(fam, self._reader(fam), None)))

    @mapped("RtmGetRouteAge")
    def RtmGetRouteAge(self, Route: V1Route) -> RouteAgeResult:
        """Seconds since the route (the caller's copy) was created or last updated."""
        return self._call(
            "RtmGetRouteAge", lambda s: RouteAgeResult(s, INFINITE), self._route_age, ("Route",), (Route,)
        )

    def _route_age(self, route: Any) -> RouteAgeResult:
        return RouteAgeResult(WinError.NO_ERROR, route_age(route, self._rtm.clock.filetime()))

    @mapped("RtmLookupIPDestination")
    def RtmLookupIPDestination(self, DestAddress: int) -> LookupResult:
        """The best route of the longest network containing the address (spec A26; undocumented in v1)."""
        return self._call(
            "RtmLookupIPDestination",
            lambda s: LookupResult(s, False, None),
            self._lookup,
            ("DestAddress",),
            (DestAddress,),
        )

    def _lookup(self, address: Any) -> LookupResult:
        fam = self._families[RTM_PROTOCOL_FAMILY_IP]
        value = dword(address)
        entity = self._reader(fam)
        target = RTM_NET_ADDRESS(fam.codec.af, 32, value.to_bytes(4, "little"))
        status, info = self._v2.RtmGetMostSpecificDestination(entity, target, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
        if status == ERROR_NOT_FOUND or info is None:
            return LookupResult(WinError.NO_ERROR, False, None)
        try:
            route = info.ViewInfo[0].Route
            if route is None:
                return LookupResult(WinError.NO_ERROR, False, None)
            record = self._record_of(fam, entity, route, info.LastChanged)
        finally:
            self._check(self._v2.RtmReleaseDestInfo(entity, info))
        return LookupResult(WinError.NO_ERROR, True, cast(RTM_IP_ROUTE, fam.codec.to_struct(record)))

    # ============================================================================================
    # Enumeration
    # ============================================================================================

    @mapped("RtmCreateEnumerationHandle")
    def RtmCreateEnumerationHandle(
        self, ProtocolFamily: int, EnumerationFlags: int, CriteriaRoute: V1Route | None = None
    ) -> EnumerationHandleResult:
        """An enumeration of the routes matching the criteria; ERROR_NO_ROUTES when none matches now."""
        return self._call(
            "RtmCreateEnumerationHandle",
            lambda s: EnumerationHandleResult(s, None),
            self._create_enum,
            ("ProtocolFamily", "EnumerationFlags", "CriteriaRoute"),
            (ProtocolFamily, EnumerationFlags, CriteriaRoute),
        )

    def _create_enum(self, family: Any, flags: Any, criteria_route: Any) -> EnumerationHandleResult:
        fam = self._family(family)
        flags = enumeration_flags(flags)
        criteria = self._criteria(fam, flags, criteria_route)
        if self._next_route(fam, None, flags, criteria) is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)  # spec A9: ERROR_NO_ROUTES
        return EnumerationHandleResult(WinError.NO_ERROR, V1Enum(self, fam.codec, flags, criteria))

    @mapped("RtmEnumerateGetNextRoute")
    def RtmEnumerateGetNextRoute(self, EnumerationHandle: V1Enum | None) -> RouteResult:
        """The enumeration's next route; ERROR_NO_MORE_ROUTES when exhausted (and afterwards)."""
        return self._call(
            "RtmEnumerateGetNextRoute",
            lambda s: RouteResult(s, None),
            self._enum_next,
            ("EnumerationHandle",),
            (EnumerationHandle,),
        )

    def _enum_next(self, handle: Any) -> RouteResult:
        if type(handle) is not V1Enum or not handle.alive or handle.owner is not self:
            raise StatusError(WinError.ERROR_INVALID_HANDLE)
        fam = self._families[handle.codec.family]
        found = self._next_route(fam, handle.cursor, handle.flags, handle.criteria, handle.returned)
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)
        record, identity = found
        handle.cursor = fam.codec.canonical(record)
        handle.returned.add(identity)
        return RouteResult(WinError.NO_ERROR, fam.codec.to_struct(record))

    @mapped("RtmCloseEnumerationHandle")
    def RtmCloseEnumerationHandle(self, EnumerationHandle: V1Enum | None) -> StatusResult:
        """End an enumeration; the handle is invalid afterwards."""
        return self._call(
            "RtmCloseEnumerationHandle",
            StatusResult,
            self._close_enum,
            ("EnumerationHandle",),
            (EnumerationHandle,),
        )

    def _close_enum(self, handle: Any) -> StatusResult:
        if type(handle) is not V1Enum or not handle.alive or handle.owner is not self:
            raise StatusError(WinError.ERROR_INVALID_HANDLE)
        handle.alive = False
        handle.returned = set()
        return StatusResult(WinError.NO_ERROR)

    @mapped("RtmGetFirstRoute")
    def RtmGetFirstRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route | None = None) -> RouteResult:
        """The first route in canonical order matching the criteria taken from ``Route``."""
        return self._call(
            "RtmGetFirstRoute",
            lambda s: RouteResult(s, None),
            self._first,
            ("ProtocolFamily", "EnumerationFlags", "Route"),
            (ProtocolFamily, EnumerationFlags, Route),
        )

    def _first(self, family: Any, flags: Any, route: Any) -> RouteResult:
        fam = self._family(family)
        flags = enumeration_flags(flags)
        criteria = self._criteria(fam, flags, route)
        found = self._next_route(fam, None, flags, criteria)
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)  # ERROR_NO_ROUTES
        return RouteResult(WinError.NO_ERROR, fam.codec.to_struct(found[0]))

    @mapped("RtmGetNextRoute")
    def RtmGetNextRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route) -> RouteResult:
        """The first route after ``Route`` in canonical order matching the criteria taken from ``Route``."""
        return self._call(
            "RtmGetNextRoute",
            lambda s: RouteResult(s, None),
            self._next,
            ("ProtocolFamily", "EnumerationFlags", "Route"),
            (ProtocolFamily, EnumerationFlags, Route),
        )

    def _next(self, family: Any, flags: Any, route: Any) -> RouteResult:
        fam = self._family(family)
        flags = enumeration_flags(flags)
        if route is None:
            raise invalid()  # spec A10
        position = self._read_any(fam.codec, route)
        criteria = self._criteria(fam, flags, route)
        found = self._next_route(fam, fam.codec.canonical(position), flags, criteria)
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS)
        return RouteResult(WinError.NO_ERROR, fam.codec.to_struct(found[0]))

    @mapped("RtmGetSpecificRoute")
    def RtmGetSpecificRoute(self, ProtocolFamily: int, Route: V1Route) -> RouteResult:
        """The rtm.h macro: the route with this network, protocol and interface."""
        return self._call(
            "RtmGetSpecificRoute",
            lambda s: RouteResult(s, None),
            lambda family, route: self._first(family, _SPECIFIC, route),
            ("ProtocolFamily", "Route"),
            (ProtocolFamily, Route),
        )


def _network_of_dest(codec: Codec, address: RTM_NET_ADDRESS) -> tuple[int, int]:
    """The v1 network of a v2 destination address."""
    if codec.family == RTM_PROTOCOL_FAMILY_IPX:
        return int.from_bytes(address.AddrBits[:4], "big"), 0
    bits = address.NumBits
    mask_be = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return int.from_bytes(address.AddrBits[:4], "little"), int.from_bytes(mask_be.to_bytes(4, "big"), "little")


def _start_of(codec: Codec, key: tuple[Any, ...]) -> RTM_NET_ADDRESS:
    """Where a v2 destination walk must start to see every network at or after a canonical key: the shortest
    prefix with that address (RTMv2 orders destinations by address, then length)."""
    if codec.family == RTM_PROTOCOL_FAMILY_IPX:
        return RTM_NET_ADDRESS(codec.af, 32, key[0].to_bytes(4, "big"))
    address = key[0]
    bits = 32 - ((address & -address).bit_length() - 1) if address else 0
    return RTM_NET_ADDRESS(codec.af, bits, address.to_bytes(4, "big"))
