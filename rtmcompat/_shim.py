"""V1Shim: the RTMv1 API run against the RTMv2 model, each v1 call translated into the RTMv2 calls a correct v2
client would make. This module reads as a reference port: one method per v1 call and the boundary they share;
message synthesis lives in ``_messages``, aging order in ``_aging``, canonical-order walks in ``_cursor``.

Theory of operation
-------------------
* **Clients are entities.** RtmRegisterClient registers an entity (ProtocolId = RoutingProtocol, instance 0).
  Each v1 route is a v2 route owned by that entity whose neighbour is a next hop per (interface, next-hop
  address), so the v1 identity (network, protocol, interface, next hop) is exactly v2's (destination, owner,
  neighbour). The client keeps the handles of its routes and next hops, and the shim its own index of v1 records
  by route handle (nothing of v1 is stored in the v2 route, M-COPIES); deregistration costs in proportion to the
  client's routes.
* **One change registration per family** (M-SHARED-NOTIFY). While some client of a family has a ChangeEvent,
  the family's reader entity holds one change-notification registration (BEST changes of the unicast view).
  After each of its own RTMv2 mutations the shim drains it itself (RtmGetChangedDests may be called at any time)
  and settles each change from the destination information delivered, so a v1 add costs RtmAddRouteToDest,
  RtmGetChangedDests and RtmReleaseChangedDests; the registration's callback drains what other entities and
  timers changed. With no event anywhere nothing is registered and the best route is read when an output needs
  it.
* **One boundary per call** (``_call``): runs what is due on the clock (v2 timers, then v1 aging), the call,
  converts a ``StatusError`` into the documented status, and emits exactly one ``rtm.v1_call`` event when a
  logger was given; an aging pass emits its own ``rtm.v1_aging`` event (MIGRATION.md "The mapping log").
* **Threads** (M-SHIM-THREADS). One re-entrant lock makes each v1 call atomic. RTMv2 callbacks never wait for it:
  a callback that finds it held leaves its work (a pending change, an expiry) for the holder, who does it before
  letting go; the shim never waits for a delivery while holding it. Change events are set after the lock is
  released (M-EVENT-SIGNAL), so the same code is correct whether RTMv2 delivers callbacks inline at the end of
  the shim's own call (ManualClock) or later on a delivery thread (system clock).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar, cast

import v2model
from v2model import (
    ERROR_ALREADY_EXISTS,
    ERROR_NOT_FOUND,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_BEST,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
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

from ._aging import Deadlines
from ._checks import (
    StatusError,
    dword,
    enumeration_flags,
    invalid,
    priorities,
    registration_flags,
    route_age,
    shown,
    status_text,
    time_to_live,
    v2_failure,
)
from ._constants import (
    RTM_CURRENT_BEST_ROUTE,
    RTM_MAX_TIME_TO_LIVE,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_ROUTE_ADDED,
    RTMCOMPAT_READER_PROTOCOL,
)
from ._cursor import TableReader
from ._events import Diagnostics, Signaller, Signals, bind_event, clear_event, describe
from ._handles import HopSlot, RouteEntry, V1Client, V1Enum
from ._logging import CallRecorder, adapt_logger, aging_event, call_event
from ._mapping import mapped
from ._messages import BestRoutes
from ._records import BadRouteError, Codec, Criteria, IpCodec, IpxCodec, Record, change_flags, matches
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
from ._tenure import Tenure
from ._v1types import RTM_IP_ROUTE

R = TypeVar("R", bound=tuple[Any, ...])

_NO_ERROR = int(WinError.NO_ERROR)
_SPECIFIC = RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE
_BAD_CLIENT = "ClientHandle: not a live client of this shim"
_BAD_ENUM = "EnumerationHandle: not an open enumeration of this shim"
_NO_ERROR_STATUS = WinError.NO_ERROR
_tuple_new = tuple.__new__
#: Route information structures kept per next hop (one per distinct cost; a bound, not a meaning).
_INFOS_PER_HOP = 64
_ADD_NAMES = ("ClientHandle", "Route", "TimeToLive")


#: The 12 bytes after an IPv4 address in RTM_NET_ADDRESS.AddrBits.
_ZEROS_12 = bytes(12)


def _fail_lookup(status: int) -> LookupResult:
    return LookupResult(status, False, None)


def _fail_message(status: int) -> ChangeMessageResult:
    return ChangeMessageResult(status, None, None, None)


#: Networks a multi-route deletion changes before it retrieves the changes (M-BATCH-SETTLE).
_SETTLE_BATCH = 1000


class _Family:
    """What the shim keeps per protocol family: its clients, the reader entity that serves the calls taking no
    client handle and holds the change registration, the reads (``tables``) and the heard best routes."""

    def __init__(self, codec: Codec, tables: TableReader, best: BestRoutes, clients: dict[V1Client, None]) -> None:
        self.codec = codec
        self.reader: v2model.Entity | None = None
        self.clients = clients
        self.tables = tables
        self.best = best


class V1Shim:
    """The RTMv1 API (rtm.h) on an RTMv2-semantic :class:`v2model.RoutingTableManager`.

    ``rtm``: the RTM to run on (a new one with the system clock when None). ``mapping_logger``: a structlog bound
    logger or a stdlib :class:`logging.Logger` that receives one ``rtm.v1_call`` event per v1 call (and an
    ``rtm.v1_aging`` event per aging pass that removed routes), or None (no logging, one branch per call); any
    other object is refused with TypeError. ``protocol_priority``: protocol id -> the administrator's priority,
    written into every IP route's FSD_Priority and used as the v2 Preference (V1-A3); absent protocols get 0.
    """

    def __init__(
        self,
        rtm: RoutingTableManager | None = None,
        *,
        mapping_logger: Any = None,
        protocol_priority: dict[int, int] | None = None,
    ) -> None:
        priority = priorities(protocol_priority)
        self._log = adapt_logger(mapping_logger)
        self._owns_rtm = rtm is None
        self._rtm = rtm if rtm is not None else RoutingTableManager()
        self._recorder = CallRecorder(self._rtm) if self._log is not None else None
        self._v2 = cast(RoutingTableManager, self._recorder) if self._recorder is not None else self._rtm
        self._signals = Signals()
        self._diagnostics = Diagnostics()
        self._signaller = Signaller(self._diagnostics, self._rtm.clock.realtime)
        self._tenure = Tenure(self._has_deferred, self._run_deferred, self._signals, self._signaller)
        #: Whether a v1 call's body runs, whether an aging pass runs (read and written by the lock's holder).
        self._in_call = False
        self._aging = False
        self._seq = 0
        #: The live clients and open enumerations: the only valid handles, by identity (M-V1-HANDLES).
        self._clients: dict[V1Client, None] = {}
        self._enums: dict[V1Enum, None] = {}
        #: Every v1 route by its v2 handle (the shim's own per-route index).
        #: The routes that ever had a TimeToLive, by v2 handle (what an RTM_ROUTE_EXPIRED names); a route leaves
        #: when it is deleted, so a late expiry of a route made INFINITE since still finds it.
        self._expiring: dict[v2model.Route, RouteEntry] = {}
        self._families = {
            RTM_PROTOCOL_FAMILY_IP: self._new_family(IpCodec(priority)),
            RTM_PROTOCOL_FAMILY_IPX: self._new_family(IpxCodec()),
        }
        self._family_list = tuple(self._families.values())
        self._clock = self._rtm.clock
        #: The last timestamp handed out: routes stamped at the same moment share one int.
        self._last_stamp = 0
        self._deadlines: Deadlines[tuple[V1Client, int, RouteEntry]] = Deadlines(self._deadline_current)
        #: RTM_ROUTE_EXPIRED callbacks that found the lock held: done by the holder before it lets go.
        self._expiries: deque[tuple[V1Client, v2model.Route]] = deque()

    def _new_family(self, codec: Codec) -> _Family:
        clients: dict[V1Client, None] = {}
        tables = TableReader(self._v2, codec, clients)
        return _Family(codec, tables, BestRoutes(codec, clients, self._signals, self._diagnostics), clients)

    @property
    def rtm(self) -> RoutingTableManager:
        """The RTMv2 model underneath."""
        return self._rtm

    @property
    def diagnostics(self) -> tuple[str, ...]:
        """Faults of caller objects the shim contained (a ChangeEvent whose set() or clear() raised, a mapping
        logger that raised), newest last; the newest 1,000 are kept (M-EVENT-FAULTS)."""
        return self._diagnostics.lines

    @property
    def diagnostics_dropped(self) -> int:
        """How many older diagnostics were dropped to keep the newest 1,000."""
        return self._diagnostics.dropped

    def close(self) -> None:
        """End the shim's own RTMv2 registrations: the change registrations and the reader entities (clients
        stay registered, but hear of no further change); wait until every owed event is set; close the
        RoutingTableManager if the shim created it (stopping its timer thread)."""
        self._tenure.enter()
        try:
            for fam in self._families.values():
                try:
                    self._unlisten(fam)
                except StatusError as exc:  # the RTM was closed first: nothing is left to end
                    self._diagnostics.record(f"close: {exc.reason}")
                if fam.reader is not None:
                    self._rtm.RtmDeregisterEntity(fam.reader)
                    fam.reader = None
        finally:
            self._tenure.leave()
        self._signaller.flush()
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
        if self._log is not None:
            return self._logged_call(name, fail, impl, names, args)
        tenure = self._tenure
        tenure.enter()
        try:
            if tenure.depth == 1:  # _begin; a v1 call made from inside another leaves it to the outer one
                self._begin()
            outer, self._in_call = self._in_call, True
            try:
                return impl(*args)
            except StatusError as exc:
                return fail(exc.status)
            finally:
                self._in_call = outer
        finally:
            tenure.leave()

    def _logged_call(
        self,
        name: str,
        fail: Callable[[int], R],
        impl: Callable[..., R],
        names: tuple[str, ...],
        args: tuple[Any, ...],
    ) -> R:
        recorder = self._recorder
        assert recorder is not None
        self._tenure.enter()
        try:
            self._seq += 1
            seq = self._seq
            time_ms = self._rtm.clock.now_ms()
            thread = threading.current_thread().name
            outer_calls, recorder.current = recorder.current, None  # what the boundary drains is no call's
            self._begin()
            recorder.current = {}
            outer, self._in_call = self._in_call, True
            reason = ""
            try:
                result = impl(*args)
            except StatusError as exc:
                result = fail(exc.status)
                reason = exc.reason
            finally:
                self._in_call = outer
                calls, recorder.current = recorder.current, outer_calls
            where = (seq, time_ms, thread, reason)
            fields = call_event(name, names, args, result, calls, where)
            client = result[1] if name == "RtmRegisterClient" else None
            if type(client) is V1Client and client.codec.family == RTM_PROTOCOL_FAMILY_IP:
                # The FSD_Priority RTM writes into this protocol's routes (V1-A3): a replay of the log rebuilds the
                # shim's protocol priorities from it (M-LOG-TRACE).
                fields["priority"] = client.codec.priority(client.protocol)
            self._log_event("rtm.v1_call", fields)
            return result
        finally:
            self._tenure.leave()

    def _begin(self) -> None:
        """What every v1 call does first (MIGRATION.md "RTMv1 shim", Aging): RTM's due timers, the work callbacks
        left, v1 aging."""
        if self._tenure.depth != 1:
            return  # a v1 call made from inside another (a caller's object calling back): the outer did this
        self._rtm.process_timers()
        if self._expiries or self._dirty():
            self._run_deferred()
        deadlines = self._deadlines
        if deadlines:  # _age's first tests, here: most calls have nothing due
            now = self._clock.now_ms()
            if deadlines.due(now):
                self._age(now)

    def _dirty(self) -> bool:
        """Whether a registration's callback flagged changes nobody drained yet."""
        for fam in self._family_list:  # noqa: SIM110 - a loop: no generator made on every call
            if fam.best.dirty:
                return True
        return False

    def _has_deferred(self) -> bool:
        if self._expiries:
            return True
        for fam in self._family_list:
            best = fam.best
            if best.dirty and best.listening:
                return True
        return False

    def _run_deferred(self) -> None:
        """Expiries that found the lock held, then changes nobody drained yet (M-SHIM-THREADS)."""
        if not self._expiries and not self._dirty():
            return
        try:
            while self._expiries:
                client, route = self._expiries.popleft()
                self._expired_now(client, route, answered=True)
            for fam in self._family_list:
                if fam.best.dirty:
                    if fam.reader is None:
                        fam.best.dirty = False
                    else:
                        fam.best.drain(self._v2, fam.reader, fam.tables)
        except StatusError as exc:  # an RTMv2 call failed where it cannot: contained, it is no caller's status
            self._diagnostics.record(f"deferred work failed: {exc.reason}")

    def _log_event(self, event: str, fields: dict[str, Any]) -> None:
        try:
            self._log.info(event, **fields)
        except Exception as exc:  # logging must not change what a call does
            self._diagnostics.record(f"mapping logger raised {describe(exc)} for {event}")

    # ============================================================================================
    # Checks
    # ============================================================================================

    def _family(self, family: Any) -> _Family:
        if type(family) is not int or family not in self._families:
            raise invalid(f"ProtocolFamily: not RTM_PROTOCOL_FAMILY_IP or _IPX (got {shown(family)})")  # V1-A28
        return self._families[family]

    def _client(self, handle: Any) -> V1Client:
        # V1-A30, M-V1-HANDLES: only the objects this shim handed out and that are still registered, by identity.
        if type(handle) is not V1Client or handle not in self._clients:
            raise StatusError(WinError.ERROR_INVALID_HANDLE, _BAD_CLIENT)
        return handle

    def _enum(self, handle: Any) -> V1Enum:
        if type(handle) is not V1Enum or handle not in self._enums:
            raise StatusError(WinError.ERROR_INVALID_HANDLE, _BAD_ENUM)
        return handle

    @staticmethod
    def _read(codec: Codec, route: Any, argument: str, protocol: int, timestamp: int) -> Record:
        try:
            return codec.read(route, protocol, timestamp)
        except BadRouteError as exc:
            raise invalid(exc.reason(argument)) from None

    def _read_any(self, codec: Codec, route: Any, argument: str) -> Record:
        """A caller's route structure read as given (its own RR_RoutingProtocol), for criteria and positions."""
        if type(route) is not codec.struct:
            raise invalid(f"{argument}: not an {codec.struct.__name__} (got {shown(route)})")
        try:
            protocol = route.RR_RoutingProtocol
        except AttributeError:
            raise invalid(f"{argument}.RR_RoutingProtocol: missing") from None
        return self._read(codec, route, argument, dword(protocol, f"{argument}.RR_RoutingProtocol"), 0)

    def _criteria(self, fam: _Family, flags: int, route: Any, argument: str) -> Criteria | None:
        """The criteria of an RTM_ONLY_* selection (V1-A10: a route is needed only with THIS_* bits)."""
        if not flags & _SPECIFIC:
            return None
        if route is None:
            raise invalid(f"{argument}: required with RTM_ONLY_THIS_NETWORK, _INTERFACE or _PROTOCOL")
        record = self._read_any(fam.codec, route, argument)
        return Criteria(fam.codec.network_of(record), record.ifindex, record.protocol)

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
        fam = self._family(family)  # V1-4.1: family, then flags, then duplicate
        protocol = dword(protocol, "RoutingProtocol")
        single = registration_flags(flags)
        methods = bind_event(event)
        codec = fam.codec
        client = V1Client(self, codec, protocol, event, single, methods)
        info = RTM_ENTITY_INFO(0, codec.af, RTM_ENTITY_ID(protocol, 0))
        status, profile, entity = self._v2.RtmRegisterEntity(info, None, self._client_callback(client), False)
        if status == ERROR_ALREADY_EXISTS:
            raise StatusError(status, f"RoutingProtocol: {protocol} is already registered in this family")
        if status != _NO_ERROR or entity is None or profile is None:
            raise v2_failure("RtmRegisterEntity", status)
        client.entity = entity
        fam.tables.batch = profile.MaxHandlesInEnum
        if methods is not None:
            try:
                # V1-A18: the event is reset at registration. M-EVENT-FAULTS: one whose clear() raises leaves
                # nothing registered.
                if not clear_event(client, self._diagnostics, "RtmRegisterClient"):
                    raise invalid("ChangeEvent: clear() raised (recorded in diagnostics); nothing was registered")
                if not fam.best.listening:
                    self._listen(fam)
            except StatusError:
                self._v2.RtmDeregisterEntity(entity)
                raise
        fam.clients[client] = None
        self._clients[client] = None
        return RegisterClientResult(WinError.NO_ERROR, client)

    def _client_callback(self, client: V1Client) -> Callable[[Any, int, Any, Any], int]:
        def on_event(handle: Any, event_type: int, context1: Any, context2: Any) -> int:
            if event_type == RTM_ROUTE_EXPIRED:
                return self._on_expired(client, context1)
            return _NO_ERROR

        return on_event

    def _reader_callback(self, fam: _Family) -> Callable[[Any, int, Any, Any], int]:
        def on_event(handle: Any, event_type: int, context1: Any, context2: Any) -> int:
            if event_type == RTM_CHANGE_NOTIFICATION:
                fam.best.dirty = True  # before trying the lock: a holder letting go meanwhile sees it
                self._tenure.poke()
            return _NO_ERROR

        return on_event

    def _reader(self, fam: _Family) -> v2model.Entity:
        """The family's reader entity, registered on first use (the next free instance of its protocol id)."""
        if fam.reader is None:
            callback = self._reader_callback(fam)
            for instance in range(64):
                info = RTM_ENTITY_INFO(0, fam.codec.af, RTM_ENTITY_ID(RTMCOMPAT_READER_PROTOCOL, instance))
                status, _, entity = self._v2.RtmRegisterEntity(info, None, callback, False)
                if status == _NO_ERROR and entity is not None:
                    fam.reader = entity
                    break
                if status != ERROR_ALREADY_EXISTS:
                    raise v2_failure("RtmRegisterEntity", status)
            else:
                raise StatusError(WinError.ERROR_NO_SYSTEM_RESOURCES, "no free instance for the reader entity")
        assert fam.reader is not None
        return fam.reader

    def _listen(self, fam: _Family) -> None:
        """The first client with an event: the reader registers for BEST changes of the unicast view, then reads
        every network's best route once (v1 messages need the previous best route) (M-SHARED-NOTIFY)."""
        reader = self._reader(fam)
        status, notify = self._v2.RtmRegisterForChangeNotification(
            reader, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None
        )
        if status != _NO_ERROR or notify is None:
            raise v2_failure("RtmRegisterForChangeNotification", status)
        try:
            seen = fam.tables.best_routes(reader)
        except StatusError:
            self._v2.RtmDeregisterFromChangeNotification(reader, notify)
            raise
        fam.best.start(notify, seen)

    def _unlisten(self, fam: _Family) -> None:
        """No client with an event is left: drop the shared registration (its pending changes go with it)."""
        notify = fam.best.stop()
        if notify is not None and fam.reader is not None:
            status = self._v2.RtmDeregisterFromChangeNotification(fam.reader, notify).status
            if status != _NO_ERROR:
                raise v2_failure("RtmDeregisterFromChangeNotification", status)

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
        client.queue.clear()  # V1-4.2: pending messages are discarded; the event is left as it is (V1-A18)
        if fam.best.listening and not any(c.event_methods is not None for c in fam.clients if c is not client):
            self._unlisten(fam)  # nobody is left to tell: the routes can go without draining after each
        victims = sorted(client.routes, key=lambda entry: codec.canonical(entry.record))
        self._delete_routes(client, victims, exclude=client)  # V1-A15: one at a time, the others told
        for hop in list(client.nexthops.values()):
            self._ok("RtmDeleteNextHop", self._v2.RtmDeleteNextHop(entity, hop.handle, None).status)
        client.nexthops.clear()
        self._release_expiries(client)
        self._ok("RtmDeregisterEntity", self._v2.RtmDeregisterEntity(entity).status)
        client.alive = False
        del fam.clients[client]
        del self._clients[client]
        return StatusResult(WinError.NO_ERROR)

    def _release_expiries(self, client: V1Client) -> None:
        """Release the handles of RTM_ROUTE_EXPIRED events the client's entity received while the lock was held,
        before the entity deregisters: its deregistration then leaves nothing behind (M-EXPIRY-INFLIGHT)."""
        mine: list[v2model.Route] = []
        others: list[tuple[V1Client, v2model.Route]] = []
        queue = self._expiries
        while queue:
            try:
                item = queue.popleft()
            except IndexError:
                break
            if item[0] is client:
                mine.append(item[1])
            else:
                others.append(item)
        queue.extendleft(reversed(others))
        entity = client.entity
        assert entity is not None
        for route in mine:
            self._ok("RtmReleaseRoutes", self._v2.RtmReleaseRoutes(entity, 1, [route]).status)

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
        if client.event_methods is None:  # documented: registered without an event
            raise StatusError(WinError.ERROR_INVALID_HANDLE, "ClientHandle: registered without a ChangeEvent")
        queue = client.queue
        if not queue:
            self._signals.discard(client)
            clear_event(client, self._diagnostics, "RtmDequeueRouteChangeMessage")
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no message is queued")
        flags, cur, prev = queue.popleft()
        if queue:
            status = WinError.ERROR_MORE_DATA  # ERROR_MORE_MESSAGES
        else:
            status = WinError.NO_ERROR
            self._signals.discard(client)
            clear_event(client, self._diagnostics, "RtmDequeueRouteChangeMessage")  # a fault loses no message
        to_struct = client.codec.to_struct
        return ChangeMessageResult(
            status,
            flags,
            None if cur is None else to_struct(cur),
            None if prev is None else to_struct(prev),
        )

    # ============================================================================================
    # Routes
    # ============================================================================================

    @mapped("RtmAddRoute")
    def RtmAddRoute(self, ClientHandle: V1Client | None, Route: V1Route, TimeToLive: int) -> ChangeMessageResult:
        """Add or update a route; Flags says how the network's best route changed (NO_CHANGE, ADDED, CHANGED),
        with CurBestRoute and PrevBestRoute where their bits are set."""
        if self._log is not None:
            return self._logged_call(
                "RtmAddRoute", _fail_message, self._add, _ADD_NAMES, (ClientHandle, Route, TimeToLive)
            )
        tenure = self._tenure  # _call, in line: the v1 call a full table is made of
        tenure.enter()
        try:
            if tenure.depth == 1:
                self._begin()
            outer, self._in_call = self._in_call, True
            try:
                return self._add(ClientHandle, Route, TimeToLive)
            except StatusError as exc:
                return _fail_message(exc.status)
            finally:
                self._in_call = outer
        finally:
            tenure.leave()

    def _add(self, handle: Any, route: Any, ttl: Any) -> ChangeMessageResult:
        if type(handle) is not V1Client or handle not in self._clients:  # _client, in line
            raise StatusError(WinError.ERROR_INVALID_HANDLE, _BAD_CLIENT)
        client: V1Client = handle
        codec = client.codec
        fam = self._families[codec.family]
        entity = client.entity
        assert entity is not None
        if type(ttl) is int and (ttl == INFINITE or 0 <= ttl <= RTM_MAX_TIME_TO_LIVE):  # time_to_live, in line
            seconds = ttl
        else:
            seconds = time_to_live(ttl)
        clock = self._clock
        stamp = clock.filetime()
        if stamp == self._last_stamp:  # routes stamped at the same moment share one int
            stamp = self._last_stamp
        else:
            self._last_stamp = stamp
        try:
            record = codec.read(route, client.protocol, stamp)  # _read, in line
        except BadRouteError as exc:
            raise invalid(exc.reason("Route")) from None
        terms = codec.add_terms(record)
        if terms is None:
            raise invalid("Route" + codec.unrepresentable(record))  # MIGRATION.md "What the shim cannot carry over"
        network, hop_key, cost, dest = terms
        best = fam.best
        seen = best.seen
        before = (None, seen.get(network)) if seen is not None else fam.tables.best(entity, codec.network_of(record))
        single = client.single
        hop = client.nexthops.get(hop_key)
        if hop is None:
            hop = self._use_nexthop(client, hop_key, record)
        else:  # _use_nexthop of a next hop in use, in line
            hop.users += 1
        info = hop.infos.get(cost)
        if info is None:
            info = self._route_info(hop, cost)
        if seconds == INFINITE:
            ttl_ms = INFINITE
            deadline = None
        else:
            ttl_ms = seconds * 1000
            deadline = clock.now_ms() + ttl_ms
        change = RTM_ROUTE_CHANGE_FIRST if single else 0
        entry = client.routes.get(network, None if single else hop_key)
        was: Record | None = None
        if entry is None:
            status, new_route, v2flags = self._v2.RtmAddRouteToDest(
                entity, None, dest, info, ttl_ms, None, 0, None, change
            )
            if status != _NO_ERROR or new_route is None:
                self._unuse_nexthop(client, hop)
                raise v2_failure("RtmAddRouteToDest", status)
            entry = RouteEntry(new_route, record, hop, deadline)
            client.routes.put(network, entry, single)
            if deadline is not None:  # before any other v2 call: a TTL of 0 is due at the next one (M-SHIM-AGING)
                self._expiring[new_route] = entry
        else:
            status, _, v2flags = self._v2.RtmAddRouteToDest(
                entity, entry.route, dest, info, ttl_ms, None, 0, None, change
            )
            if status != _NO_ERROR:
                self._unuse_nexthop(client, hop)
                raise v2_failure("RtmAddRouteToDest", status)
            old_hop, was = entry.hop, entry.record
            entry.record, entry.hop, entry.deadline = record, hop, deadline
            if deadline is not None:  # before the next v2 call, where a TTL of 0 is due (M-SHIM-AGING)
                self._expiring[entry.route] = entry
            self._unuse_nexthop(client, old_hop)  # V1-A13: an update refreshes the route and restarts its TTL
        if deadline is not None:
            self._deadlines.push(deadline, codec.family, codec.canonical(record), (client, network, entry))
        if best.notify is not None:
            assert fam.reader is not None
            quiet = not (v2flags or 0) & RTM_ROUTE_CHANGE_BEST
            best.drain(
                self._v2, fam.reader, fam.tables, network, client, record, was, quiet, None, entry.route
            )  # V1-5.3
            after = best.heard(network)
        else:
            after = self._after(fam, entity, record, before, v2flags, entry)
        old = before[1]
        flags = RTM_ROUTE_ADDED if old is None and after is not None else change_flags(codec, old, after)
        return _tuple_new(
            ChangeMessageResult,
            (
                _NO_ERROR_STATUS,
                flags,
                codec.to_struct(after) if flags & RTM_CURRENT_BEST_ROUTE and after is not None else None,
                codec.to_struct(old) if flags & RTM_PREVIOUS_BEST_ROUTE and old is not None else None,
            ),
        )

    def _before(
        self, fam: _Family, entity: v2model.Entity, record: Record
    ) -> tuple[v2model.Route | None, Record | None]:
        """The network's best route before a change: as the clients last heard of it, else read now."""
        best = fam.best
        if best.listening:
            return None, best.heard(fam.codec.network_key(record))
        return fam.tables.best(entity, fam.codec.network_of(record))

    def _after(
        self,
        fam: _Family,
        entity: v2model.Entity,
        record: Record,
        before: tuple[v2model.Route | None, Record | None],
        v2flags: int | None,
        changed: RouteEntry | None,
    ) -> Record | None:
        """The network's best route after the shim changed ``changed`` (None: deleted it); ``record`` is one of the
        network's routes. Listening, it is what was just settled. Otherwise, when RTMv2 says the best route did not
        change (no RTM_ROUTE_CHANGE_BEST), it is the one before (with the changed route's new record if that is
        the one), else it is read."""
        if fam.best.listening:
            return fam.best.heard(fam.codec.network_key(record))
        route = before[0]
        if (v2flags or 0) & RTM_ROUTE_CHANGE_BEST or route is None:
            return fam.tables.best(entity, fam.codec.network_of(record))[1]
        if changed is not None and route is changed.route:
            return changed.record
        return before[1]

    def _use_nexthop(self, client: V1Client, key: int, record: Record) -> HopSlot:
        """The client's v2 next hop for the route's (interface, next hop), created on first use (the add sample's
        step 3)."""
        hop = client.nexthops.get(key)
        if hop is None:
            assert client.entity is not None
            address = client.codec.nexthop_address(record)
            assert address is not None  # representable (checked before)
            info = RTM_NEXTHOP_INFO(NextHopAddress=address, InterfaceIndex=record.ifindex)
            status, handle, _ = self._v2.RtmAddNextHop(client.entity, info, None)
            if status != _NO_ERROR or handle is None:
                raise v2_failure("RtmAddNextHop", status)
            hop = client.nexthops[key] = HopSlot(handle, key)
        hop.users += 1
        return hop

    @staticmethod
    def _route_info(hop: HopSlot, cost: tuple[int, int]) -> RTM_ROUTE_INFO:
        """The RTM_ROUTE_INFO of a route through ``hop`` with (Preference, Metric) ``cost``: made once per cost
        and reused, as C code reuses a structure on its stack (RTMv2 copies what it is given; the shim never
        changes it nor hands it out)."""
        info = hop.infos.get(cost)
        if info is None:
            if len(hop.infos) >= _INFOS_PER_HOP:
                hop.infos.clear()
            pref, metric = cost
            info = hop.infos[cost] = RTM_ROUTE_INFO(
                Neighbour=hop.handle,
                PrefInfo=RTM_PREF_INFO(Metric=metric, Preference=pref),
                BelongsToViews=RTM_VIEW_MASK_UCAST,
                NextHopsList=RTM_NEXTHOP_LIST(1, [hop.handle]),
            )
        return info

    def _unuse_nexthop(self, client: V1Client, hop: HopSlot) -> None:
        """One route less uses this next hop; the last one deletes it (its handle is consumed)."""
        hop.users -= 1
        if not hop.users:
            del client.nexthops[hop.key]
            assert client.entity is not None
            self._ok("RtmDeleteNextHop", self._v2.RtmDeleteNextHop(client.entity, hop.handle, None).status)

    def _delete_route(self, client: V1Client, network: int, entry: RouteEntry, exclude: V1Client | None) -> int:
        """Delete one of the client's routes and settle its network (one step of V1-A15); returns RTMv2's change
        flags."""
        fam = self._families[client.family]
        entity = client.entity
        assert entity is not None
        status, v2flags = self._v2.RtmDeleteRouteToDest(entity, entry.route)  # consumes the client's handle
        if status != _NO_ERROR:
            raise v2_failure("RtmDeleteRouteToDest", status)
        client.routes.remove(network, entry)
        if self._expiring:
            self._expiring.pop(entry.route, None)
        if fam.best.listening:
            assert fam.reader is not None
            quiet = not (v2flags or 0) & RTM_ROUTE_CHANGE_BEST
            fam.best.drain(self._v2, fam.reader, fam.tables, network, exclude, None, None, quiet)
        self._unuse_nexthop(client, entry.hop)
        return v2flags or 0

    def _delete_routes(self, client: V1Client, victims: list[RouteEntry], exclude: V1Client | None) -> None:
        """Delete several of the client's routes in the given order, each settled as if alone (V1-A15,
        M-BATCH-SETTLE): the changes are retrieved once per batch of routes whose networks differ, so RTMv2 reports
        each network once with the state its one change left, and the messages are queued in the order of the
        deletions, as one drain per route would queue them."""
        fam = self._families[client.family]
        best = fam.best
        network_key = client.codec.network_key
        if best.notify is None:
            for entry in victims:
                self._delete_route(client, network_key(entry.record), entry, exclude)
            return
        entity = client.entity
        reader = fam.reader
        assert entity is not None
        assert reader is not None
        delete = self._v2.RtmDeleteRouteToDest
        expiring = self._expiring
        routes = client.routes
        batch: set[int] = set()
        spent: list[HopSlot] = []  # next hops no route uses any more, deleted once the batch is settled
        for entry in victims:
            network = network_key(entry.record)
            if network in batch or len(batch) >= _SETTLE_BATCH:
                best.drain(self._v2, reader, fam.tables, None, exclude, owns=batch)
                batch = set()
                self._drop_nexthops(client, spent)
            status, v2flags = delete(entity, entry.route)  # consumes the client's handle
            if status != _NO_ERROR:
                raise v2_failure("RtmDeleteRouteToDest", status)
            routes.remove(network, entry)
            if expiring:
                expiring.pop(entry.route, None)
            if (v2flags or 0) & RTM_ROUTE_CHANGE_BEST:
                batch.add(network)
            hop = entry.hop
            hop.users -= 1
            if not hop.users:
                spent.append(hop)
        best.drain(self._v2, reader, fam.tables, None, exclude, quiet=not batch, owns=batch)
        self._drop_nexthops(client, spent)

    def _drop_nexthops(self, client: V1Client, hops: list[HopSlot]) -> None:
        """Delete next hops no route of the client uses any more (each handle is consumed); ``hops`` is emptied."""
        assert client.entity is not None
        for hop in hops:
            del client.nexthops[hop.key]
            self._ok("RtmDeleteNextHop", self._v2.RtmDeleteNextHop(client.entity, hop.handle, None).status)
        hops.clear()

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
        record = self._read(codec, route, "Route", client.protocol, 0)
        network = codec.network_key(record)
        entry = client.routes.get(network, None if client.single else codec.hop_key(record))
        if entry is None:  # ERROR_NO_SUCH_ROUTE
            what = "network" if client.single else "network, interface and next hop"
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, f"Route: the client has no route with this {what}")
        kept = entry.record
        before = self._before(fam, entity, kept)
        v2flags = self._delete_route(client, network, entry, exclude=client)
        after = self._after(fam, entity, kept, before, v2flags, None)
        flags = change_flags(codec, before[1], after)
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
        criteria = self._criteria(fam, flags, criteria_route, "CriteriaRoute")
        codec = client.codec
        # V1-A36: THIS_PROTOCOL is accepted and the caller's protocol used; ONLY_BEST is redundant (V1-4.12).
        flags &= RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE
        chosen = [entry for entry in client.routes if matches(codec, entry.record, flags, criteria, True)]
        if not chosen:  # ERROR_NO_ROUTES
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "CriteriaRoute: no route of the client matches")
        chosen.sort(key=lambda entry: codec.canonical(entry.record))
        self._delete_routes(client, chosen, exclude=None)
        return StatusResult(WinError.NO_ERROR)

    # ============================================================================================
    # Aging (V1-5.5, V1-A12 to V1-A14)
    # ============================================================================================

    def _deadline_current(self, deadline: int, item: tuple[V1Client, int, RouteEntry]) -> bool:
        client, network, entry = item
        return client in self._clients and entry.deadline == deadline and client.routes.holds(network, entry)

    def _on_expired(self, client: V1Client, route: Any) -> int:
        """RTM_ROUTE_EXPIRED for one of a client's routes. With the lock free (or held by this thread) it is
        handled now; else it is left for the lock's holder, and the answer is that the shim keeps the route and
        releases the event's handle itself (M-SHIM-THREADS)."""
        tenure = self._tenure
        if tenure.try_enter():
            try:
                return self._expired_now(client, route, answered=False)
            finally:
                tenure.leave()
        self._expiries.append((client, route))
        tenure.poke()  # the holder may have let go between the try and the append
        return _NO_ERROR

    def _expired_now(self, client: V1Client, route: Any, answered: bool) -> int:
        """v1 ages routes itself and tells every client, the owner included (V1-5.5, V1-A14): the shim deletes
        every v1 route due by now in (deadline, canonical) order, one at a time, and releases the handle that came
        with the event. A deadline the shim's own v2 calls reach in the middle of a v1 call takes effect at the
        next v1 call (a TTL of 0 expires at the next call, MIGRATION.md "RTMv1 shim"), like every other due
        route."""
        entry = self._expiring.get(route)
        live = client in self._clients
        if entry is None or not live:
            if not answered:
                return ERROR_NOT_SUPPORTED  # not a live v1 route: RTM deletes it if need be and drops the handle
            if live:
                assert client.entity is not None
                self._release(client.entity, route)
            return _NO_ERROR
        assert client.entity is not None
        if self._in_call or self._aging:
            self._release(client.entity, route)
        else:
            deadline = entry.deadline if entry.deadline is not None else 0
            self._age(max(self._rtm.clock.now_ms(), deadline), (client.entity, route))
        return _NO_ERROR

    def _release(self, entity: v2model.Entity, route: v2model.Route) -> None:
        status = self._v2.RtmReleaseRoutes(entity, 1, [route]).status
        if status != _NO_ERROR:
            self._diagnostics.record(f"RtmReleaseRoutes of an expired route failed with {status_text(status)}")

    def _age(self, limit: int, release: tuple[v2model.Entity, v2model.Route] | None = None) -> None:
        """One aging pass: delete the v1 routes whose deadline is at or before ``limit``, in v1 aging order
        (V1-5.5), then release the expiry event's handle if one came. When routes went, the pass is logged as one
        ``rtm.v1_aging`` event; otherwise its v2 calls count with the v1 call around it."""
        deadlines = self._deadlines
        if release is None and not deadlines.due(limit):
            return
        recorder = self._recorder
        outer: dict[str, list[int]] | None = None
        if recorder is not None:
            outer, recorder.current = recorder.current, {}
        removed: list[tuple[V1Client, Record]] = []
        self._aging = True
        try:
            for _, (owner, network, entry) in deadlines.pop_due(limit):
                try:
                    self._delete_route(owner, network, entry, exclude=None)
                except StatusError as exc:
                    self._diagnostics.record(f"aging {owner.name}: {exc.reason}")
                    continue
                removed.append((owner, entry.record))
            if release is not None:
                self._release(*release)
        finally:
            self._aging = False
            if recorder is not None:
                calls, recorder.current = recorder.current, outer
        if recorder is None:
            return
        if removed:
            structs = [(owner, owner.codec.to_struct(record)) for owner, record in removed]
            self._log_event("rtm.v1_aging", aging_event(self._rtm.clock.now_ms(), structs, calls))
        elif calls:
            recorder.merge(calls)

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
        except BadRouteError as exc:
            raise invalid(exc.reason("Network")) from None
        record = fam.tables.best(self._reader(fam), net)[1]
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
        seen = fam.best.seen
        if seen is not None:
            return NetworkCountResult(WinError.NO_ERROR, len(seen))
        return NetworkCountResult(WinError.NO_ERROR, fam.tables.count(self._reader(fam)))

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
        """The best route of the longest network containing the address (V1-A26; undocumented in v1)."""
        return self._call("RtmLookupIPDestination", _fail_lookup, self._lookup, ("DestAddress",), (DestAddress,))

    def _lookup(self, address: Any) -> LookupResult:
        fam = self._families[RTM_PROTOCOL_FAMILY_IP]
        value = dword(address, "DestAddress")
        entity = self._reader(fam)
        target = RTM_NET_ADDRESS(fam.codec.af, 32, value.to_bytes(4, "little") + _ZEROS_12)  # 16 bytes: no padding
        status, info = self._v2.RtmGetMostSpecificDestination(entity, target, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
        if status == ERROR_NOT_FOUND or info is None:
            return LookupResult(WinError.NO_ERROR, False, None)
        try:
            route = info.ViewInfo[0].Route
            if route is None:
                return LookupResult(WinError.NO_ERROR, False, None)
            record = fam.tables.record_of(entity, route, info.LastChanged, fam.codec.network_key_of(info.DestAddress))
        finally:
            self._ok("RtmReleaseDestInfo", self._v2.RtmReleaseDestInfo(entity, info).status)
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
        criteria = self._criteria(fam, flags, criteria_route, "CriteriaRoute")
        if fam.tables.next_route(self._reader(fam), None, flags, criteria) is None:  # V1-A9: ERROR_NO_ROUTES
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no route matches EnumerationFlags and CriteriaRoute")
        enum = V1Enum(self, fam.codec, flags, criteria)
        self._enums[enum] = None
        return EnumerationHandleResult(WinError.NO_ERROR, enum)

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
        enum = self._enum(handle)
        fam = self._families[enum.codec.family]
        found = fam.tables.next_route(self._reader(fam), enum.cursor, enum.flags, enum.criteria, enum.returned)
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "the enumeration is exhausted")
        record, identity = found
        enum.cursor = fam.codec.canonical(record)
        enum.returned.add(identity)
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
        enum = self._enum(handle)
        del self._enums[enum]
        enum.alive = False
        enum.returned = set()
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
        criteria = self._criteria(fam, flags, route, "Route")
        found = fam.tables.next_route(self._reader(fam), None, flags, criteria)
        if found is None:  # ERROR_NO_ROUTES
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no route matches EnumerationFlags and Route")
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
            raise invalid("Route: required (the position to continue after)")  # V1-A10
        position = self._read_any(fam.codec, route, "Route")
        criteria = self._criteria(fam, flags, route, "Route")
        found = fam.tables.next_route(self._reader(fam), fam.codec.canonical(position), flags, criteria)
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no route after Route matches EnumerationFlags")
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

    # ============================================================================================
    # Helpers
    # ============================================================================================

    @staticmethod
    def _ok(call: str, status: int) -> None:
        if status != _NO_ERROR:
            raise v2_failure(call, status)
