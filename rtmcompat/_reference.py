"""V1Reference: RTMv1 semantics implemented directly, with no RTMv2 underneath, for side-by-side comparison.

Theory of operation
-------------------
One table per family: every route by network and identity, the best route of each network, the routes in canonical
order (for GetFirst/GetNext and the enumeration cursors) and the networks by mask (for longest-prefix lookup).
Each mutation (add, update, delete, expiry) changes one route and then re-decides that network's best route
(V1-5.1), compares significant fields before and after (V1-5.2) and queues the message to the clients V1-5.3
says, one route at a time (V1-A15). Everything is in v1 terms: exact (number, mask) networks (V1-A22), TTL in seconds,
FSD_Priority written from the protocol priority (V1-A3), ties kept by the incumbent then canonical order (V1-A4).

It shares with V1Shim what must behave alike for a side-by-side comparison to mean anything: the argument checks
and their reasons (``_checks``), the route records (``_records``), the aging order (``_aging``), handle validity
by identity (M-V1-HANDLES) and the containment of ChangeEvent faults (``_events``, M-EVENT-FAULTS).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from v2model import Clock, SortedKeys, SystemClock, WinError

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
    time_to_live,
)
from ._constants import (
    INFINITE,
    RTM_CURRENT_BEST_ROUTE,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
)
from ._events import Diagnostics, Signaller, Signals, bind_event, clear_event
from ._handles import ClientHandle, V1Enum
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
from ._v1types import bswap32

R = TypeVar("R", bound=tuple[Any, ...])
_SPECIFIC = RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE
Message = tuple[int, Record | None, Record | None]


#: V1Reference's handles are the plain v1 handles.
ReferenceClient = ClientHandle
ReferenceEnum = V1Enum


class _Stored(NamedTuple):
    """A route in the table: its record, owner, deadline (ms, None for INFINITE)."""

    record: Record
    owner: ClientHandle
    deadline: int | None


class _Table:
    """One family's route table."""

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        self.clients: dict[int, ClientHandle] = {}
        #: network -> identity (protocol, *client identity) -> stored route
        self.networks: dict[tuple[int, int], dict[tuple[Any, ...], _Stored]] = {}
        self.best: dict[tuple[int, int], Record] = {}
        #: canonical key -> (network, identity), for ordered walks
        self.by_key: dict[tuple[Any, ...], tuple[tuple[int, int], tuple[Any, ...]]] = {}
        self.order: SortedKeys[tuple[Any, ...]] = SortedKeys()
        #: mask -> (number & mask) -> numbers: the networks by mask, for longest-prefix lookup (V1-A26)
        self.by_mask: dict[int, dict[int, set[int]]] = {}


class V1Reference:
    """RTMv1 semantics on plain Python data (docs/behaviour.md, V1-*), for comparing a v1 workload against V1Shim.

    ``clock`` defaults to the system clock; routes age on every call (no thread). ``protocol_priority``: protocol
    id -> FSD_Priority written into every IP route (V1-A3).
    """

    def __init__(self, clock: Clock | None = None, protocol_priority: dict[int, int] | None = None) -> None:
        self._clock: Clock = clock if clock is not None else SystemClock()
        priority = priorities(protocol_priority)
        self._tables = {
            RTM_PROTOCOL_FAMILY_IP: _Table(IpCodec(priority)),
            RTM_PROTOCOL_FAMILY_IPX: _Table(IpxCodec()),
        }
        self._deadlines: Deadlines[tuple[tuple[int, int], tuple[Any, ...], int]] = Deadlines(self._deadline_current)
        self._lock = threading.RLock()
        self._signals = Signals()
        self._diagnostics = Diagnostics()
        self._signaller = Signaller(self._diagnostics, self._clock.realtime)
        #: The live clients and open enumerations: the only valid handles, by identity (M-V1-HANDLES).
        self._clients: dict[ClientHandle, None] = {}
        self._enums: dict[V1Enum, None] = {}

    @property
    def clock(self) -> Clock:
        """The clock timestamps and deadlines come from."""
        return self._clock

    @property
    def diagnostics(self) -> tuple[str, ...]:
        """Faults of caller objects contained (a ChangeEvent whose set() or clear() raised), newest last; the
        newest 1,000 are kept (M-EVENT-FAULTS)."""
        return self._diagnostics.lines

    @property
    def diagnostics_dropped(self) -> int:
        """How many older diagnostics were dropped to keep the newest 1,000."""
        return self._diagnostics.dropped

    # --- the boundary -----------------------------------------------------------------------------------

    def _call(self, fail: Callable[[int], R], impl: Callable[..., R], *args: Any) -> R:
        with self._lock:
            try:
                self._age()
                try:
                    result = impl(*args)
                except StatusError as exc:
                    result = fail(exc.status)
            finally:
                owed = self._signals.take()
        self._signaller.deliver(owed)  # after the lock, like V1Shim (M-EVENT-SIGNAL)
        return result

    def _table(self, family: Any) -> _Table:
        if type(family) is not int or family not in self._tables:
            raise invalid(f"ProtocolFamily: not RTM_PROTOCOL_FAMILY_IP or _IPX (got {shown(family)})")
        return self._tables[family]

    def _client(self, handle: Any) -> ClientHandle:
        if type(handle) is not ClientHandle or handle not in self._clients:
            raise StatusError(WinError.ERROR_INVALID_HANDLE, "ClientHandle: not a live client of this reference")
        return handle

    def _enum(self, handle: Any) -> V1Enum:
        if type(handle) is not V1Enum or handle not in self._enums:
            raise StatusError(
                WinError.ERROR_INVALID_HANDLE, "EnumerationHandle: not an open enumeration of this reference"
            )
        return handle

    @staticmethod
    def _read(table: _Table, route: Any, argument: str, protocol: int, timestamp: int) -> Record:
        try:
            return table.codec.read(route, protocol, timestamp)
        except BadRouteError as exc:
            raise invalid(exc.reason(argument)) from None

    def _read_any(self, table: _Table, route: Any, argument: str) -> Record:
        if type(route) is not table.codec.struct:
            raise invalid(f"{argument}: not an {table.codec.struct.__name__} (got {shown(route)})")
        try:
            protocol = route.RR_RoutingProtocol
        except AttributeError:
            raise invalid(f"{argument}.RR_RoutingProtocol: missing") from None
        return self._read(table, route, argument, dword(protocol, f"{argument}.RR_RoutingProtocol"), 0)

    def _criteria(self, table: _Table, flags: int, route: Any, argument: str) -> Criteria | None:
        if not flags & _SPECIFIC:
            return None
        if route is None:
            raise invalid(f"{argument}: required with RTM_ONLY_THIS_NETWORK, _INTERFACE or _PROTOCOL")
        record = self._read_any(table, route, argument)
        return Criteria(table.codec.network_of(record), record.ifindex, record.protocol)

    # --- the table ----------------------------------------------------------------------------------

    def _cost(self, table: _Table, record: Record) -> tuple[int, int]:
        return table.codec.pref_metric(record)

    def _choose(self, table: _Table, network: tuple[int, int]) -> Record | None:
        """V1-5.1 / V1-A4: lowest cost; the current best stays on a tie; else the first in canonical order."""
        routes = table.networks.get(network)
        if not routes:
            return None
        codec = table.codec
        best = min(routes.values(), key=lambda s: (self._cost(table, s.record), codec.canonical(s.record))).record
        current = table.best.get(network)
        if current is not None and current is not best:
            held = routes.get(self._identity(table, current))
            if held is not None and self._cost(table, held.record) == self._cost(table, best):
                return held.record
        return best

    def _identity(self, table: _Table, record: Record) -> tuple[Any, ...]:
        client = table.clients.get(record.protocol)
        single = client.single if client is not None else False
        return (record.protocol, *table.codec.identity(record, single))

    def _settle(self, table: _Table, network: tuple[int, int], before: Record | None) -> Message:
        after = self._choose(table, network)
        if after is None:
            table.best.pop(network, None)
        else:
            table.best[network] = after
        return (change_flags(table.codec, before, after), after, before)

    def _tell(self, table: _Table, message: Message, exclude: ClientHandle | None) -> None:
        flags, cur, prev = message
        if not flags:
            return
        queued = message_of(flags, cur, prev)
        for client in table.clients.values():
            if client is not exclude and client.event_methods is not None:
                self._signals.post(client, queued)

    def _put(self, table: _Table, stored: _Stored) -> None:
        record = stored.record
        network = table.codec.network_of(record)
        identity = self._identity(table, record)
        routes = table.networks.setdefault(network, {})
        old = routes.get(identity)
        if old is not None:
            self._unindex(table, old.record)
        elif not routes:
            net, mask = network
            table.by_mask.setdefault(mask, {}).setdefault(net & mask, set()).add(net)
        routes[identity] = stored
        key = table.codec.canonical(record)
        table.by_key[key] = (network, identity)
        table.order.add(key)
        if stored.deadline is not None:
            self._deadlines.push(stored.deadline, table.codec.family, key, (network, identity, table.codec.family))

    def _unindex(self, table: _Table, record: Record) -> None:
        key = table.codec.canonical(record)
        del table.by_key[key]
        table.order.discard(key)

    def _remove(self, table: _Table, network: tuple[int, int], identity: tuple[Any, ...]) -> None:
        routes = table.networks[network]
        stored = routes.pop(identity)
        self._unindex(table, stored.record)
        if not routes:
            del table.networks[network]
            net, mask = network
            by_masked = table.by_mask[mask]
            nets = by_masked[net & mask]
            nets.discard(net)
            if not nets:
                del by_masked[net & mask]
                if not by_masked:
                    del table.by_mask[mask]

    def _deadline_current(self, deadline: int, item: tuple[tuple[int, int], tuple[Any, ...], int]) -> bool:
        network, identity, family = item
        stored = self._tables[family].networks.get(network, {}).get(identity)
        return stored is not None and stored.deadline == deadline

    def _age(self) -> None:
        """V1-5.5: routes past their deadline go, in (deadline, canonical) order, each like a deletion that
        every client hears of, the owner included (V1-A14)."""
        for _, (network, identity, family) in self._deadlines.pop_due(self._clock.now_ms()):
            table = self._tables[family]
            before = table.best.get(network)
            self._remove(table, network, identity)
            self._tell(table, self._settle(table, network, before), None)

    def _deadline(self, seconds: int) -> int | None:
        return None if seconds == INFINITE else self._clock.now_ms() + seconds * 1000

    # --- registration ---------------------------------------------------------------------------------

    def RtmRegisterClient(
        self, ProtocolFamily: int, RoutingProtocol: int, ChangeEvent: Any = None, Flags: int = 0
    ) -> RegisterClientResult:
        """Register a routing protocol (V1-4.1)."""
        return self._call(
            lambda s: RegisterClientResult(s, None), self._register, ProtocolFamily, RoutingProtocol, ChangeEvent, Flags
        )

    def _register(self, family: Any, protocol: Any, event: Any, flags: Any) -> RegisterClientResult:
        table = self._table(family)  # V1-4.1: family, then flags, then duplicate
        protocol = dword(protocol, "RoutingProtocol")
        single = registration_flags(flags)
        methods = bind_event(event)
        if protocol in table.clients:
            raise StatusError(
                WinError.ERROR_ALREADY_EXISTS, f"RoutingProtocol: {protocol} is already registered in this family"
            )
        client = ClientHandle(self, table.codec, protocol, event, single, methods)
        # V1-A18: reset at registration; M-EVENT-FAULTS: a clear() that raises leaves nothing registered.
        if not clear_event(client, self._diagnostics, "RtmRegisterClient"):
            raise invalid("ChangeEvent: clear() raised (recorded in diagnostics); nothing was registered")
        table.clients[protocol] = client
        self._clients[client] = None
        return RegisterClientResult(WinError.NO_ERROR, client)  # type: ignore[arg-type]

    def RtmDeregisterClient(self, ClientHandle: Any) -> StatusResult:
        """Deregister; every route of the client is removed, the others are told (V1-4.2)."""
        return self._call(StatusResult, self._deregister, ClientHandle)

    def _deregister(self, handle: Any) -> StatusResult:
        client = self._client(handle)
        table = self._tables[client.family]
        client.queue.clear()
        client.alive = False
        # V1-4.2, V1-A18: only the remaining clients are told; the leaving client's event is left as it is.
        self._delete_many(table, lambda stored: stored.owner is client, client)
        del table.clients[client.protocol]
        del self._clients[client]
        return StatusResult(WinError.NO_ERROR)

    def _delete_many(self, table: _Table, chosen: Callable[[_Stored], bool], exclude: ClientHandle | None) -> int:
        """Delete route by route in canonical order, telling after each step (V1-A15)."""
        victims = sorted(
            (
                (table.codec.canonical(stored.record), network, identity)
                for network, routes in table.networks.items()
                for identity, stored in routes.items()
                if chosen(stored)
            ),
        )
        for _, network, identity in victims:
            before = table.best.get(network)
            self._remove(table, network, identity)
            self._tell(table, self._settle(table, network, before), exclude)
        return len(victims)

    # --- messages -------------------------------------------------------------------------------------

    def RtmDequeueRouteChangeMessage(self, ClientHandle: Any) -> ChangeMessageResult:
        """The oldest change message (V1-4.3)."""
        return self._call(lambda s: ChangeMessageResult(s, None, None, None), self._dequeue, ClientHandle)

    def _dequeue(self, handle: Any) -> ChangeMessageResult:
        client = self._client(handle)
        if client.event_methods is None:
            raise StatusError(WinError.ERROR_INVALID_HANDLE, "ClientHandle: registered without a ChangeEvent")
        if not client.queue:
            self._signals.discard(client)
            clear_event(client, self._diagnostics, "RtmDequeueRouteChangeMessage")
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no message is queued")
        flags, cur, prev = client.queue.popleft()
        status = WinError.ERROR_MORE_DATA if client.queue else WinError.NO_ERROR
        if not client.queue:
            self._signals.discard(client)
            clear_event(client, self._diagnostics, "RtmDequeueRouteChangeMessage")  # a fault loses no message
        codec = self._tables[client.family].codec
        return ChangeMessageResult(
            status,
            flags,
            None if cur is None else codec.to_struct(cur),
            None if prev is None else codec.to_struct(prev),
        )

    # --- routes ------------------------------------------------------------------------------------------

    def RtmAddRoute(self, ClientHandle: Any, Route: V1Route, TimeToLive: int) -> ChangeMessageResult:
        """Add or update a route (V1-4.4)."""
        return self._call(
            lambda s: ChangeMessageResult(s, None, None, None), self._add, ClientHandle, Route, TimeToLive
        )

    def _add(self, handle: Any, route: Any, ttl: Any) -> ChangeMessageResult:
        client = self._client(handle)
        table = self._tables[client.family]
        seconds = time_to_live(ttl)
        record = self._read(table, route, "Route", client.protocol, self._clock.filetime())
        network = table.codec.network_of(record)
        before = table.best.get(network)
        self._put(table, _Stored(record, client, self._deadline(seconds)))
        message = self._settle(table, network, before)
        self._tell(table, message, client)
        flags, cur, prev = message
        codec = table.codec
        return ChangeMessageResult(
            WinError.NO_ERROR,
            flags,
            codec.to_struct(cur) if flags & RTM_CURRENT_BEST_ROUTE and cur is not None else None,
            codec.to_struct(prev) if flags & RTM_PREVIOUS_BEST_ROUTE and prev is not None else None,
        )

    def RtmDeleteRoute(self, ClientHandle: Any, Route: V1Route) -> DeleteRouteResult:
        """Delete one of the caller's routes (V1-4.5)."""
        return self._call(lambda s: DeleteRouteResult(s, None, None), self._delete, ClientHandle, Route)

    def _delete(self, handle: Any, route: Any) -> DeleteRouteResult:
        client = self._client(handle)
        table = self._tables[client.family]
        record = self._read(table, route, "Route", client.protocol, 0)
        network = table.codec.network_of(record)
        identity = self._identity(table, record)
        if identity not in table.networks.get(network, {}):
            what = "network" if client.single else "network, interface and next hop"
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, f"Route: the client has no route with this {what}")
        before = table.best.get(network)
        self._remove(table, network, identity)
        message = self._settle(table, network, before)
        self._tell(table, message, client)
        flags, cur, _ = message
        return DeleteRouteResult(
            WinError.NO_ERROR,
            flags,
            table.codec.to_struct(cur) if flags & RTM_CURRENT_BEST_ROUTE and cur is not None else None,
        )

    def RtmBlockDeleteRoutes(
        self, ClientHandle: Any, EnumerationFlags: int, CriteriaRoute: V1Route | None = None
    ) -> StatusResult:
        """Delete the caller's matching routes; everyone is told, the caller included (V1-4.12)."""
        return self._call(StatusResult, self._block_delete, ClientHandle, EnumerationFlags, CriteriaRoute)

    def _block_delete(self, handle: Any, flags: Any, criteria_route: Any) -> StatusResult:
        client = self._client(handle)
        table = self._tables[client.family]
        flags = enumeration_flags(flags)
        criteria = self._criteria(table, flags, criteria_route, "CriteriaRoute")
        codec = table.codec

        selection = flags & (RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE)  # V1-A36, V1-4.12

        def chosen(stored: _Stored) -> bool:
            return stored.owner is client and matches(codec, stored.record, selection, criteria, True)

        if not self._delete_many(table, chosen, None):
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "CriteriaRoute: no route of the client matches")
        return StatusResult(WinError.NO_ERROR)

    # --- queries ----------------------------------------------------------------------------------------

    def RtmIsRoute(self, ProtocolFamily: int, Network: Any) -> IsRouteResult:
        """Exact-match best route of a network (V1-4.6, V1-A25)."""
        return self._call(lambda s: IsRouteResult(s, False, None), self._is_route, ProtocolFamily, Network)

    def _is_route(self, family: Any, network: Any) -> IsRouteResult:
        table = self._table(family)
        try:
            key = table.codec.network(network)
        except BadRouteError as exc:
            raise invalid(exc.reason("Network")) from None
        best = table.best.get(key)
        if best is None:
            return IsRouteResult(WinError.NO_ERROR, False, None)
        return IsRouteResult(WinError.NO_ERROR, True, table.codec.to_struct(best))

    def RtmGetNetworkCount(self, ProtocolFamily: int) -> NetworkCountResult:
        """Networks with at least one route (V1-4.7, V1-A31)."""
        return self._call(
            lambda s: NetworkCountResult(s, 0),
            lambda f: NetworkCountResult(WinError.NO_ERROR, len(self._table(f).best)),
            ProtocolFamily,
        )

    def RtmGetRouteAge(self, Route: V1Route) -> RouteAgeResult:
        """Seconds since the caller's copy was stamped (V1-4.8, V1-A27)."""
        return self._call(lambda s: RouteAgeResult(s, INFINITE), self._route_age, Route)

    def _route_age(self, route: Any) -> RouteAgeResult:
        return RouteAgeResult(WinError.NO_ERROR, route_age(route, self._clock.filetime()))

    def RtmLookupIPDestination(self, DestAddress: int) -> LookupResult:
        """Longest-prefix match (V1-A26)."""
        return self._call(lambda s: LookupResult(s, False, None), self._lookup, DestAddress)

    def _lookup(self, address: Any) -> LookupResult:
        value = dword(address, "DestAddress")
        table = self._tables[RTM_PROTOCOL_FAMILY_IP]
        for mask in sorted(table.by_mask, key=lambda m: (-bin(m).count("1"), bswap32(m))):
            nets = table.by_mask[mask].get(value & mask)
            if nets:
                network = (min(nets, key=bswap32), mask)
                best = table.best[network]
                return LookupResult(WinError.NO_ERROR, True, table.codec.to_struct(best))  # type: ignore[arg-type]
        return LookupResult(WinError.NO_ERROR, False, None)

    # --- enumeration ------------------------------------------------------------------------------------

    def _next(
        self,
        table: _Table,
        after: tuple[Any, ...] | None,
        flags: int,
        criteria: Criteria | None,
        returned: set[Any] | frozenset[Any] = frozenset(),
    ) -> tuple[Record, Any] | None:
        """The first matching route after ``after`` in canonical order whose identity is not in ``returned``."""
        codec = table.codec
        keys = table.order.iter_from(after, inclusive=False) if after is not None else iter(table.order)
        for key in keys:
            where = table.by_key[key]
            network, identity = where
            record = table.networks[network][identity].record
            if where not in returned and matches(codec, record, flags, criteria, table.best.get(network) is record):
                return record, where
        return None

    def RtmCreateEnumerationHandle(
        self, ProtocolFamily: int, EnumerationFlags: int, CriteriaRoute: V1Route | None = None
    ) -> EnumerationHandleResult:
        """Start an enumeration; ERROR_NO_ROUTES when nothing matches now (V1-4.9, V1-A9)."""
        return self._call(
            lambda s: EnumerationHandleResult(s, None),
            self._create_enum,
            ProtocolFamily,
            EnumerationFlags,
            CriteriaRoute,
        )

    def _create_enum(self, family: Any, flags: Any, criteria_route: Any) -> EnumerationHandleResult:
        table = self._table(family)
        flags = enumeration_flags(flags)
        criteria = self._criteria(table, flags, criteria_route, "CriteriaRoute")
        if self._next(table, None, flags, criteria) is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no route matches EnumerationFlags and CriteriaRoute")
        enum = V1Enum(self, table.codec, flags, criteria)
        self._enums[enum] = None
        return EnumerationHandleResult(WinError.NO_ERROR, enum)

    def RtmEnumerateGetNextRoute(self, EnumerationHandle: Any) -> RouteResult:
        """The next route of an enumeration (V1-4.10, V1-A8)."""
        return self._call(lambda s: RouteResult(s, None), self._enum_next, EnumerationHandle)

    def _enum_next(self, handle: Any) -> RouteResult:
        enum = self._enum(handle)
        table = self._tables[enum.codec.family]
        found = self._next(table, enum.cursor, enum.flags, enum.criteria, enum.returned)
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "the enumeration is exhausted")
        record, where = found
        enum.cursor = table.codec.canonical(record)
        enum.returned.add(where)
        return RouteResult(WinError.NO_ERROR, table.codec.to_struct(record))

    def RtmCloseEnumerationHandle(self, EnumerationHandle: Any) -> StatusResult:
        """End an enumeration (V1-4.11)."""
        return self._call(StatusResult, self._close_enum, EnumerationHandle)

    def _close_enum(self, handle: Any) -> StatusResult:
        enum = self._enum(handle)
        del self._enums[enum]
        enum.alive = False
        return StatusResult(WinError.NO_ERROR)

    def RtmGetFirstRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route | None = None) -> RouteResult:
        """The first matching route in canonical order (V1-4.13)."""
        return self._call(lambda s: RouteResult(s, None), self._first, ProtocolFamily, EnumerationFlags, Route)

    def _first(self, family: Any, flags: Any, route: Any) -> RouteResult:
        table = self._table(family)
        flags = enumeration_flags(flags)
        found = self._next(table, None, flags, self._criteria(table, flags, route, "Route"))
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no route matches EnumerationFlags and Route")
        return RouteResult(WinError.NO_ERROR, table.codec.to_struct(found[0]))

    def RtmGetNextRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route) -> RouteResult:
        """The first matching route strictly after ``Route`` (V1-4.14, V1-A37)."""
        return self._call(lambda s: RouteResult(s, None), self._after, ProtocolFamily, EnumerationFlags, Route)

    def _after(self, family: Any, flags: Any, route: Any) -> RouteResult:
        table = self._table(family)
        flags = enumeration_flags(flags)
        if route is None:
            raise invalid("Route: required (the position to continue after)")
        position = self._read_any(table, route, "Route")
        found = self._next(table, table.codec.canonical(position), flags, self._criteria(table, flags, route, "Route"))
        if found is None:
            raise StatusError(WinError.ERROR_NO_MORE_ITEMS, "no route after Route matches EnumerationFlags")
        return RouteResult(WinError.NO_ERROR, table.codec.to_struct(found[0]))

    def RtmGetSpecificRoute(self, ProtocolFamily: int, Route: V1Route) -> RouteResult:
        """The rtm.h macro: RtmGetFirstRoute with THIS_NETWORK | THIS_PROTOCOL | THIS_INTERFACE."""
        return self._call(lambda s: RouteResult(s, None), self._first, ProtocolFamily, _SPECIFIC, Route)
