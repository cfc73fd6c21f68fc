"""RoutingTableManager: the RTMv2 API, one C-named method per rtmv2.h function, over an in-memory model.

Theory of operation
-------------------
* **One boundary.** Every public method is wrapped by ``_api``: it runs what is due on the clock (route expiry,
  hold-down expiry), takes the manager's lock, runs the body, converts an ``RtmError`` raised inside into the
  method's result with that status, releases the lock, and then delivers the callbacks the call produced
  (change notifications, registration events). Callbacks therefore never run inside a mutating call or under the
  lock, and a callback may call back into the API (spec A-notify-delivery, issue "thread safety").
* **Validate, then mutate.** Each body checks every argument before touching the table, so a bad argument returns
  its status with the table unchanged (API.md binding rule 5).
* **Handles are the objects** (``_objects``); references are counted per (entity, object) (spec A-refs).
* **Tables** (``_table``) hold the destination index and best-route selection; this module sequences a
  mutation: snapshot the best routes, change the routes, recompute, classify the change, record it for the
  change-notification registrations (``_commit``).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, ParamSpec, TypeVar, cast

from ._addr import (
    FAMILIES,
    dest_key,
    parse_nexthop_address,
    parse_prefix,
    safe_repr,
)
from ._clock import Clock, SystemClock
from ._config import RtmConfig
from ._constants import (
    DEST_TYPE,
    INFINITE,
    METHOD_TYPE_ALL_METHODS,
    NEXTHOP_TYPE,
    ROUTE_TYPE,
    RTM_BEST_PROTOCOL,
    RTM_BLOCK_METHODS,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_CHANGE_TYPE_FORWARDING,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_REGISTERED,
    RTM_ENUM_NEXT,
    RTM_ENUM_OWN_DESTS,
    RTM_ENUM_OWN_ROUTES,
    RTM_ENUM_RANGE,
    RTM_MATCH_FULL,
    RTM_MATCH_INTERFACE,
    RTM_MATCH_NEIGHBOUR,
    RTM_MATCH_NEXTHOP,
    RTM_MATCH_OWNER,
    RTM_MATCH_PREF,
    RTM_NEXTHOP_CHANGE_NEW,
    RTM_NEXTHOP_FLAGS_DOWN,
    RTM_NEXTHOP_FLAGS_REMOTE,
    RTM_NEXTHOP_STATE_CREATED,
    RTM_NEXTHOP_STATE_DELETED,
    RTM_NOTIFY_ONLY_MARKED_DESTS,
    RTM_RESUME_METHODS,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_FIRST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_EXPIRED,
    RTM_ROUTE_STATE_CREATED,
    RTM_ROUTE_STATE_DELETED,
    RTM_ROUTE_STATE_DELETING,
    RTM_THIS_PROTOCOL,
    RTM_VIEW_MASK_ALL,
)
from ._errors import (
    ERROR_NOT_SUPPORTED,
    RtmAccessDeniedError,
    RtmAlreadyExistsError,
    RtmError,
    RtmInternalError,
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    RtmNotFoundError,
    RtmNotSupportedError,
    WinError,
)
from ._leaks import EntityLeaks, LeakReport
from ._objects import Dest, Entity, Handle, NextHop, NotifyReg, Route, RouteList
from ._objects import EnumHandle as EnumObj
from ._results import (
    AddNextHopResult,
    AddRouteResult,
    ChangedDestsResult,
    ChangeFlagsResult,
    ChangeStatusResult,
    DestInfoResult,
    EntityInfoResult,
    EnumDestsResult,
    EnumHandleResult,
    EnumNextHopsResult,
    EnumRoutesResult,
    ExactMatchRouteResult,
    FindNextHopResult,
    GetEntityMethodsResult,
    GetRegisteredEntitiesResult,
    InvokeMethodResult,
    IsBestRouteResult,
    IsMarkedResult,
    NextHopInfoResult,
    NextHopPointerResult,
    NotifyHandleResult,
    OpaquePointerResult,
    RegisterEntityResult,
    RouteInfoResult,
    RouteListResult,
    RoutePointerResult,
    StatusResult,
)
from ._sortedkeys import SortedKeys
from ._stats import RtmStatistics
from ._table import Table, belongs_to_views, has_route_in
from ._timers import HOLD_EXPIRY, ROUTE_EXPIRY, TimerQueue, TimerThread
from ._types import (
    METHOD_OUTPUT_HEADER_SIZE,
    RTM_DEST_INFO,
    RTM_DEST_VIEW_INFO,
    RTM_ENTITY_EXPORT_METHOD,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENTITY_METHOD_OUTPUT,
    RTM_EVENT_CALLBACK,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_REGN_PROFILE,
    RTM_ROUTE_INFO,
    OpaquePointer,
)
from ._validate import boolean, count_and_list, uchar, ulong, ushort

P = ParamSpec("P")
R = TypeVar("R", bound=tuple[Any, ...])

_ROUTE_CHANGE_INPUT = RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST
_NOTIFY_TYPES = RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING
_MAX_METHODS = 32
_FORBIDDEN_IN_ENTITY_EVENTS = frozenset({RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED})


def _api(result: type[R], *, locked: bool = True) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a method an API entry point: the one place where RtmError becomes a status (STYLE.md habit 2)."""
    nones = (None,) * (len(cast("type[NamedTuple]", result)._fields) - 1)
    make = cast(Callable[..., R], result)

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        def fail(code: int) -> R:
            return make(code, *nones)

        @functools.wraps(fn)
        def entry(*args: P.args, **kwargs: P.kwargs) -> R:
            self = cast("RoutingTableManager", args[0])
            return self._call(fn, fail, locked, args, kwargs)

        return entry

    return decorate


class _RouteSpec(NamedTuple):
    """A validated RTM_ROUTE_INFO: the fields the caller may set."""

    neighbour: NextHop | None
    flags1: int
    flags: int
    metric: int
    pref: int
    views: int
    esi: Any
    nexthops: tuple[NextHop, ...]


class RoutingTableManager:
    """One router's RTM: every RTM instance and address family, with RTMv2 behaviour.

    ``clock`` defaults to the system clock (a timer thread then ages routes while nobody calls; stop it with
    :meth:`close`); tests and replays pass a :class:`~v2model.ManualClock`. ``config`` sets the registration
    profile and the model's options (:class:`~v2model.RtmConfig`); ``table_configs`` overrides it for given
    ``(RtmInstanceId, AddressFamily)`` tables, as Windows' per-instance registry settings do.
    """

    def __init__(
        self,
        clock: Clock | None = None,
        config: RtmConfig | None = None,
        *,
        table_configs: Mapping[tuple[int, int], RtmConfig] | None = None,
    ) -> None:
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._config = config if config is not None else RtmConfig()
        self._table_configs = dict(table_configs or {})
        self._tables: dict[tuple[int, int], Table] = {}
        self._lock = threading.RLock()
        self._tls = threading.local()
        #: Callbacks to deliver after the current call (event type), and internal steps among them (None).
        self._outbox: list[tuple[Callable[..., Any], tuple[Any, ...], int | None]] = []
        self._timers = TimerQueue()
        self._timer_thread: TimerThread | None = None
        self._closed = False
        self._dereg_records: list[EntityLeaks] = []
        #: In-place edits (spec 2.14): next-hop references an owner gave up for its locked route.
        self._nh_credits: dict[Entity, dict[NextHop, int]] = {}
        self._diagnostics: list[str] = []
        self._open_handles = 0

    # ============================================================================================
    # Lifecycle and introspection (Python API, not rtmv2.h)
    # ============================================================================================

    @property
    def clock(self) -> Clock:
        """The clock deadlines and timestamps come from."""
        return self._clock

    @property
    def config(self) -> RtmConfig:
        """The default configuration of the tables."""
        return self._config

    def close(self) -> None:
        """Stop the timer thread (system clock only). The tables stay usable; timers then run on calls only."""
        with self._lock:
            self._closed = True
            thread, self._timer_thread = self._timer_thread, None
        if thread is not None:
            thread.stop()

    def __enter__(self) -> RoutingTableManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def statistics(self) -> RtmStatistics:
        """Counts of entities, present destinations, live routes, live next hops and open handles."""
        with self._lock:
            tables = list(self._tables.values())
            return RtmStatistics(
                entities=sum(len(t.entities) for t in tables),
                destinations=sum(len(t.dests) for t in tables),
                routes=sum(t.route_count for t in tables),
                next_hops=sum(t.nexthop_count for t in tables),
                open_handles=self._open_handles,
            )

    def leak_report(self) -> LeakReport:
        """What every live entity still holds, and what each RtmDeregisterEntity had to clean up."""
        with self._lock:
            live = []
            for table in self._tables.values():
                for ent in table.entities.values():
                    record = self._holdings(ent)
                    if not record.holds_nothing:
                        live.append(record)
            return LeakReport(
                entities=tuple(live),
                deregistrations=tuple(self._dereg_records),
                diagnostics=tuple(self._diagnostics),
            )

    def process_timers(self) -> int | None:
        """Run whatever is due on the clock now (as every API call does first); return the next deadline."""
        self._call(_no_op, _no_op_fail, True, (self,), {})
        with self._lock:
            return self._timers.next_deadline()

    # ============================================================================================
    # The boundary
    # ============================================================================================

    def _call(
        self,
        fn: Callable[..., R],
        fail: Callable[[int], R],
        locked: bool,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> R:
        tls = self._tls
        nested = getattr(tls, "busy", False)  # a callback calling back in: timers and deliveries are the outer call's
        if not nested:
            tls.busy = True
            heap = self._timers.heap
            if heap and heap[0][0] <= self._clock.now_ms():
                self._run_timers()
        try:
            try:
                if locked:
                    with self._lock:
                        result = fn(*args, **kwargs)
                else:
                    result = fn(*args, **kwargs)
            except RtmError as exc:
                result = fail(exc.code)
            if not nested and self._outbox:
                self._deliver()
            return result
        finally:
            if not nested:
                tls.busy = False

    def _deliver(self) -> None:
        """Run queued callbacks outside the lock until none are left (callbacks may queue more). An internal
        step (event None) runs under the lock, in order with the callbacks around it."""
        while True:
            with self._lock:
                batch, self._outbox = self._outbox, []
            if not batch:
                break
            for callback, args, event in batch:
                if event is None:
                    with self._lock:
                        callback(*args)
                elif args[0]._alive and not args[0].deregistering:  # else the receiver left meanwhile
                    self._run_callback(callback, args, event)

    def _run_callback(self, callback: Callable[..., Any], args: tuple[Any, ...], event: int) -> Any:
        """Call client code. What it raises is a bug of that client: it is recorded in the leak report's
        diagnostics and never reaches an unrelated caller (API.md binding rule 5); None is returned."""
        tls = self._tls
        tls.event = event
        try:
            return callback(*args)
        except Exception as exc:
            with self._lock:
                self._diagnostics.append(f"callback of {args[0]!r} raised {type(exc).__name__}: {safe_repr(exc)}")
            return None
        finally:
            tls.event = None

    def _forbidden_in(self, events: frozenset[int] | int) -> None:
        """Spec A-cbrules: refuse the documented forbidden calls inside callbacks."""
        event = getattr(self._tls, "event", None)
        if event is None:
            return
        if (event in events) if isinstance(events, frozenset) else event == events:
            raise RtmInvalidParameterError("this call is not allowed inside this callback")

    # ============================================================================================
    # Timers (spec 2.7, 2.8, A-ttl, A-hold)
    # ============================================================================================

    def _arm_route(self, route: Route, ttl: int) -> None:
        route.timer_gen += 1
        if ttl == INFINITE:
            return
        deadline = self._clock.now_ms() + ttl
        self._timers.push(deadline, route.dest.key, route._serial, ROUTE_EXPIRY, route.timer_gen, route)
        self._timer_armed(deadline)

    def _timer_armed(self, deadline: int) -> None:
        if len(self._timers) > 1024 and len(self._timers) > 4 * (self._live_timers() + 1):
            self._timers.compact(self._timer_current)
        if not self._clock.realtime or self._closed:
            return
        if self._timer_thread is None:
            thread = TimerThread(self.process_timers, name=f"rtm-timers-{id(self):x}")
            thread.configure(self._clock.now_ms)
            self._timer_thread = thread
            thread.start()
        self._timer_thread.wake(deadline)

    def _live_timers(self) -> int:
        return sum(t.route_count for t in self._tables.values())

    @staticmethod
    def _timer_current(kind: int, gen: int, obj: Any) -> bool:
        if kind == ROUTE_EXPIRY:
            return bool(obj.timer_gen == gen and obj.state == RTM_ROUTE_STATE_CREATED)
        holds = obj.holds
        return bool(holds) and any(route._serial == gen for route, _ in holds.values())

    def _run_timers(self) -> None:
        """Fire everything due now. Expiry callbacks run outside the lock (spec A-ttl)."""
        now = self._clock.now_ms()
        while True:
            job: tuple[Route, Entity, RTM_ROUTE_INFO] | None = None
            with self._lock:
                while job is None:
                    entry = self._timers.pop_due(now)
                    if entry is None:
                        break
                    job = self._fire(entry)
            if job is None:
                return
            route, owner, info = job
            assert owner.callback is not None
            answer = self._run_callback(owner.callback, (owner, RTM_ROUTE_EXPIRED, route, info), RTM_ROUTE_EXPIRED)
            if answer == ERROR_NOT_SUPPORTED or answer is None:  # None: no answer (or it raised): RTM deletes
                # The owner asks RTM to delete the route; RTM also drops the reference it gave with the event.
                with self._lock:
                    if route.state == RTM_ROUTE_STATE_CREATED:
                        self._delete_route(route)
                    if owner.held.get(route):
                        self._unref(owner, route)

    def _fire(self, entry: tuple[int, int, int, Any]) -> tuple[Route, Entity, RTM_ROUTE_INFO] | None:
        deadline, kind, gen, obj = entry
        if kind == HOLD_EXPIRY:
            dest = cast(Dest, obj)
            self._expire_holds(dest, gen, deadline)
            return None
        route = cast(Route, obj)
        if route.timer_gen != gen or route.state != RTM_ROUTE_STATE_CREATED:
            return None
        dest = route.dest
        if dest.lock_writer is not None or dest.lock_readers:
            if dest.deferred_expiry is None:
                dest.deferred_expiry = []
            dest.deferred_expiry.append((route, gen))  # fires when the destination is unlocked (spec A-ttl)
            return None
        owner = route.owner
        if owner.callback is None or not owner._alive:
            self._delete_route(route)  # no callback: delete as if it answered ERROR_NOT_SUPPORTED
            return None
        self._ref(owner, route)  # the handle in Context1 comes with a reference for the owner
        return route, owner, self._route_info(route, None)

    def _expire_holds(self, dest: Dest, serial: int, deadline: int) -> None:
        holds = dest.holds
        if not holds:
            return
        expired = [vid for vid, (route, due) in holds.items() if route._serial == serial and due == deadline]
        if not expired:
            return
        before = Table.snapshot(dest)
        mask = 0
        released = []
        for vid in expired:
            route, _ = holds.pop(vid)
            route.hold_views &= ~(1 << vid)
            mask |= 1 << vid
            released.append(route)
        if not dest.routes and not holds and dest.present:
            self._remove_dest(dest)
        # Hold-down protocols learn they may now advertise the new best route (spec A-hold).
        self._commit(dest, before, mask, mask)
        self._forget_marks(dest)
        for route in released:
            self._drop(route)

    def _unlocked(self, dest: Dest) -> None:
        """A destination lock was released: fire the expiries deferred while it was held."""
        if dest.lock_writer is None and not dest.lock_readers and dest.deferred_expiry:
            deferred, dest.deferred_expiry = dest.deferred_expiry, None
            now = self._clock.now_ms()
            for route, gen in deferred:
                if route.state == RTM_ROUTE_STATE_CREATED and route.timer_gen == gen:  # not re-armed meanwhile
                    self._timers.push(now, dest.key, route._serial, ROUTE_EXPIRY, gen, route)
                    self._timer_armed(now)

    # ============================================================================================
    # Handle validation and reference accounting (spec 2.13, A-refs)
    # ============================================================================================

    def _entity(self, handle: Any) -> Entity:
        """The caller's registration handle: a live entity of this manager."""
        if type(handle) is not Entity or not handle._alive or handle.deregistering or handle._table.manager is not self:
            raise RtmInvalidHandleError("not a registered entity handle")
        return handle

    @staticmethod
    def _obj(ent: Entity, handle: Any, kind: type[Handle]) -> Any:
        """A live handle of ``kind`` from the caller's table."""
        if type(handle) is not kind or not handle._alive or handle._table is not ent._table:
            raise RtmInvalidHandleError(f"not a valid {kind.kind} handle")
        return handle

    def _other_entity(self, ent: Entity, handle: Any) -> Entity:
        other = self._obj(ent, handle, Entity)
        if other.deregistering:
            raise RtmInvalidHandleError("the entity is deregistering")
        return cast(Entity, other)

    def _ref(self, ent: Entity, obj: Handle, n: int = 1) -> None:
        held = ent.held
        held[obj] = held.get(obj, 0) + n
        obj._refs += n
        self._open_handles += n

    def _unref(self, ent: Entity, obj: Handle, n: int = 1) -> None:
        held = ent.held
        count = held.get(obj, 0) - n
        if count < 0:
            raise RtmInternalError(f"{ent!r} releases {obj!r} it does not hold")
        if count:
            held[obj] = count
        else:
            del held[obj]
        self._open_handles -= n
        obj._refs -= n
        if obj._refs == 0:
            self._maybe_free(obj)

    def _drop(self, obj: Handle) -> None:
        """Release a reference RTM holds itself."""
        obj._refs -= 1
        if obj._refs == 0:
            self._maybe_free(obj)
        elif obj._refs < 0:
            raise RtmInternalError(f"reference count of {obj!r} went negative")

    def _maybe_free(self, obj: Handle) -> None:
        """Free an object nobody references any more if it is no longer live (its handle becomes invalid)."""
        if type(obj) is Route:
            if obj.state == RTM_ROUTE_STATE_DELETED and not obj.hold_views and obj._alive:
                obj._alive = False
                self._drop(obj.dest)
                if obj.neighbour is not None:
                    self._drop(obj.neighbour)
                for nh in obj.nexthops:
                    self._drop(nh)
        elif type(obj) is Dest:
            if not obj.present and obj._alive:
                obj._alive = False
        elif type(obj) is NextHop and obj.state == RTM_NEXTHOP_STATE_DELETED and obj._alive:
            obj._alive = False
            if obj.remote is not None:
                remote, obj.remote = obj.remote, None
                self._drop(remote)

    def _release_handles(
        self, ent: Entity, handles: list[Any], kind: type[Handle] | None = None, *, in_structure: bool = False
    ) -> None:
        """Release one reference per listed handle; all or nothing (ERROR_INVALID_HANDLE if any is not held).
        None is an empty field inside an information structure, but never a handle in a list of handles."""
        need: dict[Handle, int] = {}
        for h in handles:
            if h is None and in_structure:
                continue
            if not isinstance(h, Handle) or (kind is not None and type(h) is not kind):
                raise RtmInvalidHandleError(f"{safe_repr(h)} is not a handle of the right kind")
            need[h] = need.get(h, 0) + 1
        held = ent.held
        for h, n in need.items():
            if held.get(h, 0) < n:
                raise RtmInvalidHandleError(f"{h!r} is not held by {ent!r}")
        for h, n in need.items():
            self._unref(ent, h, n)

    def _count_info(self, ent: Entity, kind: str, n: int = 1) -> None:
        if n:
            ent.infos[kind] = ent.infos.get(kind, 0) + n

    def _uncount_info(self, ent: Entity, kind: str, n: int = 1) -> None:
        have = ent.infos.get(kind, 0)
        if have < n:
            raise RtmInvalidHandleError(f"{ent!r} has no {kind} information structure to release")
        if have == n:
            del ent.infos[kind]
        else:
            ent.infos[kind] = have - n

    # ============================================================================================
    # Tables
    # ============================================================================================

    def _table_for(self, instance_id: int, af: int) -> Table:
        key = (instance_id, af)
        table = self._tables.get(key)
        if table is None:
            config = self._table_configs.get(key, self._config)
            if config.problems():
                raise RtmError("invalid RTM configuration", WinError.ERROR_BAD_CONFIGURATION)
            table = Table(instance_id, FAMILIES[af], config, self)
            self._tables[key] = table
        return table

    @staticmethod
    def _view_ids(table: Table, views: int) -> tuple[int, ...]:
        """Supported view ids in a TargetViews mask, ascending (spec A-viewmask)."""
        vids = table.vids_cache.get(views)
        if vids is None:
            vids = table.vids_cache[views] = tuple(v for v in table.view_ids if views >> v & 1)
        return vids

    @staticmethod
    def _strict_views(table: Table, target_views: Any) -> int:
        """TargetViews of an enumeration or registration: unsupported views give ERROR_NOT_SUPPORTED;
        RTM_VIEW_MASK_ALL means every supported view; 0 (ANY) stays 0."""
        views = ulong(target_views, "TargetViews")
        if views == RTM_VIEW_MASK_ALL:
            return table.views_supported
        if views & ~table.views_supported:
            raise RtmNotSupportedError("view not supported")
        return views

    @staticmethod
    def _query_views(table: Table, views: Any) -> int:
        """TargetViews of a query: unsupported bits are ignored (spec A-viewmask)."""
        return ulong(views, "TargetViews") & table.views_supported

    # ============================================================================================
    # Building information structures (each handle inside is referenced for the caller)
    # ============================================================================================

    def _dest_info(self, ent: Entity, dest: Dest, protocol: int, vids: tuple[int, ...]) -> RTM_DEST_INFO:
        table = dest._table
        family = table.family
        view_info = []
        for vid in vids:
            bit = 1 << vid
            count = 0
            for route in dest.routes:
                if route.views & bit:
                    count += 1
            if protocol == RTM_BEST_PROTOCOL:
                best = dest.best[vid]
            else:
                wanted = ent.protocol_id if protocol == RTM_THIS_PROTOCOL else protocol
                best = table.select_best_of_protocol(dest, vid, wanted)
            hold = dest.holds.get(vid) if dest.holds else None
            hold_route = hold[0] if hold is not None else None
            if best is not None:
                self._ref(ent, best)
                self._ref(ent, best.owner)
            if hold_route is not None:
                self._ref(ent, hold_route)
            view_info.append(
                RTM_DEST_VIEW_INFO(
                    ViewId=vid,
                    NumRoutes=count,
                    Route=best,
                    Owner=None if best is None else best.owner,
                    DestFlags=0 if best is None else best.flags,
                    HoldRoute=hold_route,
                )
            )
        self._ref(ent, dest)
        return RTM_DEST_INFO(
            DestHandle=dest,
            DestAddress=RTM_NET_ADDRESS(family.af, dest.nbits, dest.addr_bits()),
            LastChanged=dest.last_changed,
            BelongsToViews=belongs_to_views(dest),
            NumberOfViews=len(view_info),
            ViewInfo=view_info,
        )

    def _route_info(self, route: Route, ent: Entity | None) -> RTM_ROUTE_INFO:
        """A copy of a route's record; with ``ent``, the handles inside are referenced for it."""
        if ent is not None:
            self._ref(ent, route.dest)
            self._ref(ent, route.owner)
            if route.neighbour is not None:
                self._ref(ent, route.neighbour)
            for nh in route.nexthops:
                self._ref(ent, nh)
        return RTM_ROUTE_INFO(
            DestHandle=route.dest,
            RouteOwner=route.owner,
            Neighbour=route.neighbour,
            State=route.state,
            Flags1=route.flags1,
            Flags=route.flags,
            PrefInfo=RTM_PREF_INFO(Metric=route.metric, Preference=route.pref),
            BelongsToViews=route.views,
            EntitySpecificInfo=route.esi,
            NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=len(route.nexthops), NextHops=list(route.nexthops)),
        )

    def _nexthop_info(self, nh: NextHop, ent: Entity | None) -> RTM_NEXTHOP_INFO:
        if ent is not None:
            self._ref(ent, nh.owner)
            if nh.remote is not None:
                self._ref(ent, nh.remote)
        address = nh.address
        return RTM_NEXTHOP_INFO(
            NextHopAddress=RTM_NET_ADDRESS(address.AddressFamily, address.NumBits, address.AddrBits),
            NextHopOwner=nh.owner,
            InterfaceIndex=nh.ifindex,
            State=nh.state,
            Flags=nh.flags,
            EntitySpecificInfo=nh.esi,
            RemoteNextHop=nh.remote,
        )

    @staticmethod
    def _dest_info_handles(info: Any) -> list[Any]:
        if type(info) is not RTM_DEST_INFO or not isinstance(info.ViewInfo, list):
            raise RtmInvalidParameterError("DestInfo must be an RTM_DEST_INFO")
        handles: list[Any] = [info.DestHandle]
        for view in info.ViewInfo:
            if type(view) is not RTM_DEST_VIEW_INFO:
                raise RtmInvalidParameterError("ViewInfo entries must be RTM_DEST_VIEW_INFO")
            handles += (view.Route, view.Owner, view.HoldRoute)
        return handles

    @staticmethod
    def _route_info_handles(info: Any) -> list[Any]:
        if type(info) is not RTM_ROUTE_INFO or type(info.NextHopsList) is not RTM_NEXTHOP_LIST:
            raise RtmInvalidParameterError("RouteInfo must be an RTM_ROUTE_INFO")
        nexthops = count_and_list(info.NextHopsList.NumNextHops, info.NextHopsList.NextHops, "NextHops")
        return [info.DestHandle, info.RouteOwner, info.Neighbour, *nexthops]

    @staticmethod
    def _nexthop_info_handles(info: Any) -> list[Any]:
        if type(info) is not RTM_NEXTHOP_INFO:
            raise RtmInvalidParameterError("NextHopInfo must be an RTM_NEXTHOP_INFO")
        return [info.NextHopOwner, info.RemoteNextHop]

    # ============================================================================================
    # The mutation core
    # ============================================================================================

    def _route_spec(self, ent: Entity, info: Any, table: Table) -> _RouteSpec:
        """Validate the caller-settable fields of an RTM_ROUTE_INFO (spec 2.4, A-match-add (e), A-views0)."""
        if type(info) is not RTM_ROUTE_INFO:
            raise RtmInvalidParameterError("RouteInfo must be an RTM_ROUTE_INFO")
        neighbour = info.Neighbour
        if neighbour is not None:
            neighbour = self._owned_nexthop(ent, neighbour, "Neighbour")
        pref_info = info.PrefInfo
        if type(pref_info) is not RTM_PREF_INFO:
            raise RtmInvalidParameterError("PrefInfo must be an RTM_PREF_INFO")
        metric = ulong(pref_info.Metric, "PrefInfo.Metric")
        pref = ulong(pref_info.Preference, "PrefInfo.Preference")
        policy = table.config.preference_policy
        if policy:
            pref = policy.get(ent.protocol_id, pref)  # spec A-pref
        views = ulong(info.BelongsToViews, "BelongsToViews")
        if views & ~table.views_supported:
            raise RtmInvalidParameterError("BelongsToViews names an unsupported view")
        nh_list = info.NextHopsList
        if type(nh_list) is not RTM_NEXTHOP_LIST:
            raise RtmInvalidParameterError("NextHopsList must be an RTM_NEXTHOP_LIST")
        handles = count_and_list(ushort(nh_list.NumNextHops, "NumNextHops"), nh_list.NextHops, "NextHops")
        if len(handles) > table.config.max_nexthops_in_route:
            raise RtmInvalidParameterError("more next hops than MaxNextHopsInRoute")
        nexthops = tuple(self._owned_nexthop(ent, h, "NextHops") for h in handles)
        return _RouteSpec(
            neighbour,
            uchar(info.Flags1, "Flags1"),
            ushort(info.Flags, "Flags"),
            metric,
            pref,
            views,
            info.EntitySpecificInfo,
            nexthops,
        )

    def _owned_nexthop(self, ent: Entity, handle: Any, what: str) -> NextHop:
        nh = self._obj(ent, handle, NextHop)
        if nh.owner is not ent or nh.state != RTM_NEXTHOP_STATE_CREATED:
            raise RtmInvalidParameterError(f"{what} must be a live next hop of the caller")
        return cast(NextHop, nh)

    def _apply_spec(self, route: Route, spec: _RouteSpec) -> bool:
        """Write a validated spec into a route, moving RTM's next-hop references; True if anything that
        change notification looks at changed (spec A-notify-trigger: not TTL, not EntitySpecificInfo)."""
        significant = (
            route.neighbour is not spec.neighbour
            or route.pref != spec.pref
            or route.metric != spec.metric
            or route.views != spec.views
            or route.flags != spec.flags
            or route.nexthops != spec.nexthops
        )
        old_neighbour, old_nexthops = route.neighbour, route.nexthops
        if spec.neighbour is not None:
            spec.neighbour._refs += 1
        for nh in spec.nexthops:
            nh._refs += 1
        route.neighbour = spec.neighbour
        route.nexthops = spec.nexthops
        route.flags1 = spec.flags1
        route.flags = spec.flags
        route.metric = spec.metric
        route.pref = spec.pref
        route.views = spec.views
        route.esi = spec.esi
        if old_neighbour is not None:
            self._drop(old_neighbour)
        for nh in old_nexthops:
            self._drop(nh)
        if route.pointer is not None:
            self._sync_route_pointer(route)
        return significant

    def _commit(self, dest: Dest, before: list[Any], all_mask: int, extra_best: int = 0) -> int:
        """Finish a mutation of ``dest``: classify it and record it for the notification registrations.
        Returns the mask of views whose best route changed."""
        best_mask, fwd_mask = Table.classify(dest, before)
        best_mask |= extra_best
        if all_mask or best_mask:
            dest.last_changed = self._clock.filetime()
            if dest._table.notify_regs:
                self._record_change(dest, all_mask, best_mask, fwd_mask)
        return best_mask

    def _record_change(self, dest: Dest, all_mask: int, best_mask: int, fwd_mask: int) -> None:
        """Queue ``dest`` on every registration whose change types and views match (spec 2.9, A-notify-*)."""
        for reg in dest._table.notify_regs:
            views = reg.views
            types = reg.types
            if not (
                (types & RTM_CHANGE_TYPE_ALL and all_mask & views)
                or (types & RTM_CHANGE_TYPE_BEST and best_mask & views)
                or (types & RTM_CHANGE_TYPE_FORWARDING and fwd_mask & views)
            ):
                continue
            if (reg.only_marked and dest not in reg.marked) or dest in reg.pending:
                continue
            was_empty = not reg.pending
            reg.pending[dest] = None
            dest._refs += 1
            owner = reg.owner
            if was_empty and owner.callback is not None:
                self._outbox.append(
                    (
                        owner.callback,
                        (owner, RTM_CHANGE_NOTIFICATION, reg, reg.context),
                        RTM_CHANGE_NOTIFICATION,
                    )
                )

    def _new_dest(self, table: Table, addr: int, nbits: int) -> Dest:
        return Dest(table, addr, nbits, dest_key(addr, nbits), table.nviews, self._clock.filetime())

    def _remove_dest(self, dest: Dest) -> None:
        """The destination has no live and no hold-down route: out of the index; its opaque slots go with it,
        and its marks once its last change is recorded (``_forget_marks``) (spec A-dest-lifetime)."""
        dest._table.remove_present(dest)
        dest.opaque = None

    @staticmethod
    def _forget_marks(dest: Dest) -> None:
        if not dest.present:
            for reg in dest._table.notify_regs:
                reg.marked.discard(dest)

    def _add_route(self, ent: Entity, dest: Dest, spec: _RouteSpec) -> tuple[Route, int]:
        table = dest._table
        before = Table.snapshot(dest)
        route = Route(dest, ent)
        dest._refs += 1
        self._apply_spec(route, spec)
        dest.routes.append(route)
        ent.routes[route] = None
        table.route_count += 1
        if not dest.present:
            table.add_present(dest)
        table.recompute(dest, route.views)
        return route, self._commit(dest, before, route.views)

    def _update_route(self, route: Route, spec: _RouteSpec) -> int:
        dest = route.dest
        before = Table.snapshot(dest)
        old_views = route.views
        if not self._apply_spec(route, spec):
            return 0
        touched = old_views | route.views
        dest._table.recompute(dest, touched)
        return self._commit(dest, before, touched)

    def _delete_route(self, route: Route) -> int:
        """Delete a live route: best routes recomputed, hold-down applied, change recorded (spec 6.5)."""
        dest = route.dest
        table = dest._table
        before = Table.snapshot(dest)
        route.state = RTM_ROUTE_STATE_DELETING
        dest.routes.remove(route)
        del route.owner.routes[route]
        table.route_count -= 1
        if route.rlist is not None:
            del route.rlist.routes[route]
            route.rlist = None
        route.timer_gen += 1
        views = route.views
        table.recompute(dest, views)
        route.state = RTM_ROUTE_STATE_DELETED
        held = views & dest.hold_views
        if held:
            self._hold(dest, route, held)
        if not dest.routes and not dest.holds:
            self._remove_dest(dest)
        best_mask = self._commit(dest, before, views)
        self._forget_marks(dest)
        if route._refs == 0:
            self._maybe_free(route)
        return best_mask

    def _hold(self, dest: Dest, route: Route, views: int) -> None:
        """Keep a deleted route as the hold-down route of each view it was the last route of (spec A-hold)."""
        deadline = self._clock.now_ms() + dest.hold_time
        for vid in dest._table.view_ids:
            bit = 1 << vid
            if not views & bit or any(r.views & bit for r in dest.routes):
                continue
            if dest.holds is None:
                dest.holds = {}
            old = dest.holds.get(vid)
            dest.holds[vid] = (route, deadline)
            route.hold_views |= bit
            route._refs += 1
            if old is not None:
                old_route = old[0]
                old_route.hold_views &= ~bit
                self._drop(old_route)
            self._timers.push(deadline, dest.key, -1 - vid, HOLD_EXPIRY, route._serial, dest)
            self._timer_armed(deadline)

    def _sync_route_pointer(self, route: Route) -> None:
        pointer = route.pointer
        assert pointer is not None
        fresh = self._route_info(route, None)
        for field in ("DestHandle", "RouteOwner", "Neighbour", "State", "Flags1", "Flags", "BelongsToViews"):
            setattr(pointer, field, getattr(fresh, field))
        pointer.EntitySpecificInfo = fresh.EntitySpecificInfo
        pointer.PrefInfo = fresh.PrefInfo
        pointer.NextHopsList = fresh.NextHopsList

    def _sync_nexthop_pointer(self, nh: NextHop) -> None:
        pointer = nh.pointer
        assert pointer is not None
        fresh = self._nexthop_info(nh, None)
        for field in ("NextHopAddress", "NextHopOwner", "InterfaceIndex", "State", "Flags"):
            setattr(pointer, field, getattr(fresh, field))
        pointer.EntitySpecificInfo = fresh.EntitySpecificInfo
        pointer.RemoteNextHop = fresh.RemoteNextHop

    # ============================================================================================
    # 6.1 Registration
    # ============================================================================================

    @_api(RegisterEntityResult)
    def RtmRegisterEntity(
        self,
        RtmEntityInfo: RTM_ENTITY_INFO,
        ExportMethods: RTM_ENTITY_EXPORT_METHODS | None = None,
        EventCallback: RTM_EVENT_CALLBACK | None = None,
        ReserveOpaquePointer: bool | int = False,
    ) -> RegisterEntityResult:
        """Register an entity with an RTM instance and address family; returns the instance's profile and the
        registration handle. Other entities of the table with a callback get RTM_ENTITY_REGISTERED."""
        self._forbidden_in(_FORBIDDEN_IN_ENTITY_EVENTS)
        info = RtmEntityInfo
        if type(info) is not RTM_ENTITY_INFO or type(info.EntityId) is not RTM_ENTITY_ID:
            raise RtmInvalidParameterError("RtmEntityInfo must be an RTM_ENTITY_INFO")
        instance_id = ushort(info.RtmInstanceId, "RtmInstanceId")
        af = ushort(info.AddressFamily, "AddressFamily")
        protocol_id = ulong(info.EntityId.EntityProtocolId, "EntityProtocolId")
        entity_instance = ulong(info.EntityId.EntityInstanceId, "EntityInstanceId")
        config = self._table_configs.get((instance_id, af), self._config)
        if af not in FAMILIES or af not in config.address_families:
            raise RtmInvalidParameterError("address family not served")  # spec A-instances
        methods: tuple[RTM_ENTITY_EXPORT_METHOD | None, ...] = ()
        if ExportMethods is not None:
            if type(ExportMethods) is not RTM_ENTITY_EXPORT_METHODS:
                raise RtmInvalidParameterError("ExportMethods must be an RTM_ENTITY_EXPORT_METHODS")
            listed = count_and_list(ExportMethods.NumMethods, ExportMethods.Methods, "Methods")
            if len(listed) > _MAX_METHODS or not all(m is None or callable(m) for m in listed):
                raise RtmInvalidParameterError("at most 32 callable methods may be exported")
            methods = tuple(listed)
        if EventCallback is not None and not callable(EventCallback):
            raise RtmInvalidParameterError("EventCallback must be callable")
        reserve = boolean(ReserveOpaquePointer, "ReserveOpaquePointer")
        table = self._table_for(instance_id, af)
        key = (protocol_id, entity_instance)
        if key in table.entities:
            raise RtmAlreadyExistsError("entity already registered")
        slot = None
        if reserve:
            if not table.free_opaque_slots:
                raise RtmError("no opaque-pointer slot left", WinError.ERROR_NO_SYSTEM_RESOURCES)
            slot = table.free_opaque_slots.pop()
        kept = RTM_ENTITY_INFO(instance_id, af, RTM_ENTITY_ID(protocol_id, entity_instance))
        ent = Entity(table, kept, EventCallback, methods, slot)
        table.entities[key] = ent
        for other in table.entities.values():
            if other is not ent and other.callback is not None:
                event_info = RTM_ENTITY_INFO(instance_id, af, RTM_ENTITY_ID(protocol_id, entity_instance))
                self._outbox.append(
                    (other.callback, (other, RTM_ENTITY_REGISTERED, ent, event_info), RTM_ENTITY_REGISTERED)
                )
        config = table.config
        profile = RTM_REGN_PROFILE(
            MaxNextHopsInRoute=config.max_nexthops_in_route,
            MaxHandlesInEnum=config.max_handles_in_enum,
            ViewsSupported=config.views_supported,
            NumberOfViews=config.number_of_views,
        )
        return RegisterEntityResult(WinError.NO_ERROR, profile, ent)

    @_api(StatusResult)
    def RtmDeregisterEntity(self, RtmRegHandle: Entity | None) -> StatusResult:
        """Deregister; the handle dies. What the entity left behind is force-cleaned with normal best-route
        recomputation and recorded in the leak report (spec A-dereg); others get RTM_ENTITY_DEREGISTERED."""
        self._forbidden_in(_FORBIDDEN_IN_ENTITY_EVENTS)
        ent = self._entity(RtmRegHandle)
        ent.deregistering = True  # RtmInvokeMethod toward it now fails
        left = self._holdings(ent)
        if not left.clean:
            self._dereg_records.append(left)
        table = ent._table
        strict = table.config.strict_dereg
        if not strict:
            self._force_clean(ent)
        del table.entities[(ent.protocol_id, ent.instance_id)]
        if ent.opaque_slot is not None and not strict:
            table.free_opaque_slots.append(ent.opaque_slot)
        info = ent.info
        for other in table.entities.values():
            if other.callback is not None:
                event_info = RTM_ENTITY_INFO(
                    info.RtmInstanceId,
                    info.AddressFamily,
                    RTM_ENTITY_ID(info.EntityId.EntityProtocolId, info.EntityId.EntityInstanceId),
                )
                self._outbox.append(
                    (
                        other.callback,
                        (other, RTM_ENTITY_DEREGISTERED, ent, event_info),
                        RTM_ENTITY_DEREGISTERED,
                    )
                )
        # spec A-dereg: the handle dies after the others heard of it (Context1 is valid during their callbacks).
        self._outbox.append((_invalidate, (ent,), None))
        return StatusResult(WinError.NO_ERROR)

    def _force_clean(self, ent: Entity) -> None:
        """Undo everything a deregistering entity still has, in an order that keeps the table consistent:
        locks, enumerations, lists, notification registrations, routes, next hops, references, opaque slot.
        Costs in proportion to what the entity owns and holds, never the table size."""
        for dest, (_, exclusive) in list(ent.locks.items()):
            if dest.lock_readers is not None:
                dest.lock_readers.pop(ent, None)
            if exclusive and dest.lock_writer is ent:
                dest.lock_writer = None
            del ent.locks[dest]
            self._unlocked(dest)
        for table_nh in list(ent.nexthops.values()):
            if table_nh.lock_writer is ent:
                table_nh.lock_writer = None
        for enum in list(ent.enums):
            self._close_enum(enum)
        for rlist in list(ent.lists):
            self._delete_list(rlist)
        for reg in list(ent.notify_regs):
            self._deregister_notify(reg)
        for route in sorted(ent.routes, key=_route_order):
            if route.state == RTM_ROUTE_STATE_CREATED:
                self._delete_route(route)
        for nh in list(ent.nexthops.values()):
            self._delete_nexthop(nh)
        for obj, count in list(ent.held.items()):
            self._unref(ent, obj, count)
        ent.infos.clear()
        if ent.opaque_slot is not None:
            for dest in ent.opaque_dests:
                if dest.opaque is not None:
                    dest.opaque.pop(ent.opaque_slot, None)
            ent.opaque_dests.clear()

    def _holdings(self, ent: Entity) -> EntityLeaks:
        handles: dict[str, int] = {}
        for obj, count in ent.held.items():
            handles[obj.name] = handles.get(obj.name, 0) + count
        locks = [f"dest {dest!r} ({'exclusive' if ex else 'shared'})" for dest, (sh, ex) in ent.locks.items()]
        locks += [f"next hop {nh!r}" for nh in ent.nexthops.values() if nh.lock_writer is ent]
        registrations = [repr(reg) for reg in ent.notify_regs]
        registrations += [repr(enum) for enum in ent.enums]
        registrations += [repr(rlist) for rlist in ent.lists]
        return EntityLeaks(
            entity=ent.name,
            handles=handles,
            info_structures=dict(ent.infos),
            locks=tuple(locks),
            registrations=tuple(registrations),
            routes=len(ent.routes),
            next_hops=len(ent.nexthops),
        )

    @_api(GetRegisteredEntitiesResult)
    def RtmGetRegisteredEntities(self, RtmRegHandle: Entity | None, NumEntities: int) -> GetRegisteredEntitiesResult:
        """Every entity registered with the caller's instance and address family, with referenced handles and
        copies of their information. Too small a capacity gives ERROR_INSUFFICIENT_BUFFER and the count needed
        (spec A-bufsize)."""
        self._forbidden_in(_FORBIDDEN_IN_ENTITY_EVENTS)
        ent = self._entity(RtmRegHandle)
        capacity = ulong(NumEntities, "NumEntities")
        entities = list(ent._table.entities.values())
        if capacity < len(entities):
            return GetRegisteredEntitiesResult(WinError.ERROR_INSUFFICIENT_BUFFER, len(entities), None, None)
        infos = []
        for other in entities:
            self._ref(ent, other)
            i = other.info
            infos.append(
                RTM_ENTITY_INFO(
                    i.RtmInstanceId,
                    i.AddressFamily,
                    RTM_ENTITY_ID(i.EntityId.EntityProtocolId, i.EntityId.EntityInstanceId),
                )
            )
        return GetRegisteredEntitiesResult(WinError.NO_ERROR, len(entities), entities, infos)

    @_api(StatusResult)
    def RtmReleaseEntities(
        self, RtmRegHandle: Entity | None, NumEntities: int, EntityHandles: list[Entity]
    ) -> StatusResult:
        """Release one reference per entity handle."""
        ent = self._entity(RtmRegHandle)
        handles = count_and_list(NumEntities, EntityHandles, "Entities")
        self._release_handles(ent, handles, Entity)
        return StatusResult(WinError.NO_ERROR)

    # ============================================================================================
    # 6.2 Opaque pointers and destination locks
    # ============================================================================================

    @_api(StatusResult)
    def RtmLockDestination(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, Exclusive: bool | int, LockDest: bool | int
    ) -> StatusResult:
        """Lock (LockDest TRUE) or unlock a destination, shared or exclusive; unlock with the mode used to lock.
        The model answers ERROR_BUSY where Windows would block (another entity holds a conflicting lock)."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        exclusive = boolean(Exclusive, "Exclusive")
        if boolean(LockDest, "LockDest"):
            self._lock_dest(ent, dest, exclusive)
        else:
            self._unlock_dest(ent, dest, exclusive)
        return StatusResult(WinError.NO_ERROR)

    def _lock_dest(self, ent: Entity, dest: Dest, exclusive: bool) -> None:
        """Spec A-locks: reader count + exclusive holder; misuse is ERROR_INVALID_PARAMETER."""
        mine = ent.locks.get(dest)
        if dest.lock_writer is ent or (exclusive and mine is not None):
            raise RtmInvalidParameterError("the caller already holds this destination's lock")
        if dest.lock_writer is not None or (exclusive and dest.lock_readers):
            raise RtmError("another entity holds a conflicting lock", WinError.ERROR_BUSY)
        counts = ent.locks.setdefault(dest, [0, 0])
        if exclusive:
            dest.lock_writer = ent
            counts[1] += 1
        else:
            if dest.lock_readers is None:
                dest.lock_readers = {}
            dest.lock_readers[ent] = dest.lock_readers.get(ent, 0) + 1
            counts[0] += 1

    def _unlock_dest(self, ent: Entity, dest: Dest, exclusive: bool) -> None:
        counts = ent.locks.get(dest)
        if counts is None or not counts[1 if exclusive else 0]:
            raise RtmInvalidParameterError("unlock without a matching lock")
        if exclusive:
            counts[1] -= 1
            dest.lock_writer = None
        else:
            counts[0] -= 1
            assert dest.lock_readers is not None
            left = dest.lock_readers[ent] - 1
            if left:
                dest.lock_readers[ent] = left
            else:
                del dest.lock_readers[ent]
        if counts == [0, 0]:
            del ent.locks[dest]
        self._unlocked(dest)

    @_api(OpaquePointerResult)
    def RtmGetOpaqueInformationPointer(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None
    ) -> OpaquePointerResult:
        """The caller's opaque slot in a destination (a cell: read and write ``.value``); ERROR_NOT_FOUND when
        the caller reserved no slot at registration."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        if ent.opaque_slot is None:
            raise RtmNotFoundError("no opaque slot reserved")
        if dest not in ent.locks:
            self._diagnostics.append(f"{ent!r} used its opaque pointer in {dest!r} without locking it")
        if dest.opaque is None:
            dest.opaque = {}
        cell = dest.opaque.get(ent.opaque_slot)
        if cell is None:
            cell = dest.opaque[ent.opaque_slot] = OpaquePointer()
            ent.opaque_dests.add(dest)
        return OpaquePointerResult(WinError.NO_ERROR, cell)

    # ============================================================================================
    # 6.3 Exported methods (spec 2.2, A-methods)
    # ============================================================================================

    @_api(GetEntityMethodsResult)
    def RtmGetEntityMethods(
        self, RtmRegHandle: Entity | None, EntityHandle: Entity | None, NumMethods: int
    ) -> GetEntityMethodsResult:
        """The methods another entity exports. Capacity 0 gives the count; a capacity smaller than the count
        gives ERROR_INSUFFICIENT_BUFFER with as many methods as fit."""
        ent = self._entity(RtmRegHandle)
        other = self._other_entity(ent, EntityHandle)
        capacity = ulong(NumMethods, "NumMethods")
        methods = list(other.methods)
        if capacity == 0:
            return GetEntityMethodsResult(WinError.NO_ERROR, len(methods), [])
        if capacity < len(methods):
            return GetEntityMethodsResult(WinError.ERROR_INSUFFICIENT_BUFFER, capacity, methods[:capacity])
        return GetEntityMethodsResult(WinError.NO_ERROR, len(methods), methods)

    @_api(InvokeMethodResult, locked=False)
    def RtmInvokeMethod(
        self,
        RtmRegHandle: Entity | None,
        EntityHandle: Entity | None,
        Input: RTM_ENTITY_METHOD_INPUT,
        OutputSize: int,
    ) -> InvokeMethodResult:
        """Invoke the callee's methods selected by the bits of ``Input.MethodType`` in ascending bit order, each
        writing one output record, until ``OutputSize`` bytes are used. A callee that blocked its methods gets the
        call queued (ERROR_IO_PENDING, model-local) and run when it resumes them."""
        with self._lock:
            ent = self._entity(RtmRegHandle)
            callee = self._other_entity(ent, EntityHandle)
            if type(Input) is not RTM_ENTITY_METHOD_INPUT:
                raise RtmInvalidParameterError("Input must be an RTM_ENTITY_METHOD_INPUT")
            method_type = ulong(Input.MethodType, "MethodType")
            data = Input.InputData
            if not isinstance(data, bytes | bytearray) or ulong(Input.InputSize, "InputSize") != len(data):
                raise RtmInvalidParameterError("InputSize must equal len(InputData)")
            capacity = ulong(OutputSize, "OutputSize")
            chosen = [
                (1 << i, m)
                for i, m in enumerate(callee.methods)
                if m is not None and (method_type == METHOD_TYPE_ALL_METHODS or method_type >> i & 1)
            ]
            call_input = RTM_ENTITY_METHOD_INPUT(method_type, len(data), bytes(data))
            if callee.blocked:
                callee.pending_invocations.append((ent, callee, call_input, chosen, capacity))
                return InvokeMethodResult(WinError.ERROR_IO_PENDING, None, None)
        used, outputs = self._run_methods(ent, callee, call_input, chosen, capacity)
        return InvokeMethodResult(WinError.NO_ERROR, used, outputs)

    def _run_methods(
        self,
        caller: Entity,
        callee: Entity,
        call_input: RTM_ENTITY_METHOD_INPUT,
        chosen: list[tuple[int, RTM_ENTITY_EXPORT_METHOD]],
        capacity: int,
    ) -> tuple[int, list[RTM_ENTITY_METHOD_OUTPUT]]:
        """Call the methods outside the lock (they may call RTM themselves)."""
        used = 0
        outputs = []
        for bit, method in chosen:
            room = capacity - used - METHOD_OUTPUT_HEADER_SIZE
            if room < 0:
                break
            output = RTM_ENTITY_METHOD_OUTPUT(MethodType=bit, MethodStatus=0, OutputSize=room, OutputData=b"")
            own_input = RTM_ENTITY_METHOD_INPUT(call_input.MethodType, call_input.InputSize, call_input.InputData)
            try:
                method(caller, callee, own_input, output)
            except Exception as exc:  # the callee's bug: recorded, reported as the method's status
                with self._lock:
                    self._diagnostics.append(f"method {bit:#x} of {callee!r} raised {type(exc).__name__}")
                output.MethodStatus, output.OutputData = WinError.ERROR_INVALID_FUNCTION, b""
            if not isinstance(cast(object, output.MethodStatus), int):  # the method wrote garbage
                output.MethodStatus = WinError.ERROR_INVALID_FUNCTION
            payload = bytes(output.OutputData) if isinstance(output.OutputData, bytes | bytearray) else b""
            payload = payload[:room]
            output.OutputData = payload
            output.OutputSize = len(payload)
            output.MethodType = bit
            outputs.append(output)
            used += METHOD_OUTPUT_HEADER_SIZE + len(payload)
        return used, outputs

    @_api(StatusResult, locked=False)
    def RtmBlockMethods(
        self,
        RtmRegHandle: Entity | None,
        TargetHandle: Handle | None = None,
        TargetType: int = 0,
        BlockingFlag: int | None = None,
    ) -> StatusResult:
        """Block (RTM_BLOCK_METHODS) or resume (RTM_RESUME_METHODS) the caller's methods. Per-target blocking is
        not supported by RTM: the target is checked and ignored. Resuming runs the invocations queued meanwhile."""
        with self._lock:
            ent = self._entity(RtmRegHandle)
            if TargetHandle is not None and not isinstance(TargetHandle, Handle):
                raise RtmInvalidHandleError("TargetHandle must be a handle or None")
            if uchar(TargetType, "TargetType") not in (0, DEST_TYPE, ROUTE_TYPE, NEXTHOP_TYPE):
                raise RtmInvalidParameterError("unknown TargetType")
            flag = ulong(BlockingFlag, "BlockingFlag") if BlockingFlag is not None else None
            if flag not in (RTM_BLOCK_METHODS, RTM_RESUME_METHODS):
                raise RtmInvalidParameterError("BlockingFlag must be RTM_BLOCK_METHODS or RTM_RESUME_METHODS")
            ent.blocked = flag == RTM_BLOCK_METHODS
            queued: list[Any] = []
            if not ent.blocked:
                queued, ent.pending_invocations = ent.pending_invocations, []
        for caller, callee, call_input, chosen, capacity in queued:
            if caller._alive and callee._alive:
                self._run_methods(caller, callee, call_input, chosen, capacity)
        return StatusResult(WinError.NO_ERROR)

    # ============================================================================================
    # 6.4 Handle -> information
    # ============================================================================================

    @_api(EntityInfoResult)
    def RtmGetEntityInfo(self, RtmRegHandle: Entity | None, EntityHandle: Entity | None) -> EntityInfoResult:
        """A copy of an entity's RTM_ENTITY_INFO (it holds no handles)."""
        ent = self._entity(RtmRegHandle)
        other = self._other_entity(ent, EntityHandle)
        i = other.info
        self._count_info(ent, "entity")
        return EntityInfoResult(
            WinError.NO_ERROR,
            RTM_ENTITY_INFO(
                i.RtmInstanceId,
                i.AddressFamily,
                RTM_ENTITY_ID(i.EntityId.EntityProtocolId, i.EntityId.EntityInstanceId),
            ),
        )

    @_api(StatusResult)
    def RtmReleaseEntityInfo(self, RtmRegHandle: Entity | None, EntityInfo: RTM_ENTITY_INFO) -> StatusResult:
        """Release an RTM_ENTITY_INFO (it holds no handles, so this only balances RtmGetEntityInfo)."""
        ent = self._entity(RtmRegHandle)
        if type(EntityInfo) is not RTM_ENTITY_INFO:
            raise RtmInvalidParameterError("EntityInfo must be an RTM_ENTITY_INFO")
        if ent.infos.get("entity"):
            self._uncount_info(ent, "entity")
        return StatusResult(WinError.NO_ERROR)

    @_api(DestInfoResult)
    def RtmGetDestInfo(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """A destination's information for the requested views; ``ProtocolId`` chooses which best route is
        reported (RTM_BEST_PROTOCOL, RTM_THIS_PROTOCOL or a protocol id). A destination that has lost all its
        routes is reported with no routes (spec A-dest-lifetime)."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        protocol = ulong(ProtocolId, "ProtocolId")
        vids = self._view_ids(ent._table, self._query_views(ent._table, TargetViews))
        info = self._dest_info(ent, dest, protocol, vids)
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @_api(StatusResult)
    def RtmReleaseDestInfo(self, RtmRegHandle: Entity | None, DestInfo: RTM_DEST_INFO) -> StatusResult:
        """Release the handles inside an RTM_DEST_INFO."""
        ent = self._entity(RtmRegHandle)
        handles = self._dest_info_handles(DestInfo)
        if not ent.infos.get("dest"):
            raise RtmInvalidHandleError("no destination information structure to release")
        self._release_handles(ent, handles, in_structure=True)
        self._uncount_info(ent, "dest")
        return StatusResult(WinError.NO_ERROR)

    @_api(RouteInfoResult)
    def RtmGetRouteInfo(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> RouteInfoResult:
        """A copy of a route's record and its destination's address (works on deleted routes still held)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        family = ent._table.family
        info = self._route_info(route, ent)
        self._count_info(ent, "route")
        dest = route.dest
        return RouteInfoResult(WinError.NO_ERROR, info, RTM_NET_ADDRESS(family.af, dest.nbits, dest.addr_bits()))

    @_api(StatusResult)
    def RtmReleaseRouteInfo(self, RtmRegHandle: Entity | None, RouteInfo: RTM_ROUTE_INFO) -> StatusResult:
        """Release the handles inside an RTM_ROUTE_INFO."""
        ent = self._entity(RtmRegHandle)
        handles = self._route_info_handles(RouteInfo)
        if not ent.infos.get("route"):
            raise RtmInvalidHandleError("no route information structure to release")
        self._release_handles(ent, handles, in_structure=True)
        self._uncount_info(ent, "route")
        return StatusResult(WinError.NO_ERROR)

    @_api(NextHopInfoResult)
    def RtmGetNextHopInfo(self, RtmRegHandle: Entity | None, NextHopHandle: NextHop | None) -> NextHopInfoResult:
        """A copy of a next hop's record (any caller)."""
        ent = self._entity(RtmRegHandle)
        nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
        info = self._nexthop_info(nh, ent)
        self._count_info(ent, "nexthop")
        return NextHopInfoResult(WinError.NO_ERROR, info)

    @_api(StatusResult)
    def RtmReleaseNextHopInfo(self, RtmRegHandle: Entity | None, NextHopInfo: RTM_NEXTHOP_INFO) -> StatusResult:
        """Release the handles inside an RTM_NEXTHOP_INFO."""
        ent = self._entity(RtmRegHandle)
        handles = self._nexthop_info_handles(NextHopInfo)
        if not ent.infos.get("nexthop"):
            raise RtmInvalidHandleError("no next-hop information structure to release")
        self._release_handles(ent, handles, in_structure=True)
        self._uncount_info(ent, "nexthop")
        return StatusResult(WinError.NO_ERROR)

    # ============================================================================================
    # 6.5 Routes
    # ============================================================================================

    @_api(AddRouteResult)
    def RtmAddRouteToDest(
        self,
        RtmRegHandle: Entity | None,
        RouteHandle: Route | None = None,
        DestAddress: RTM_NET_ADDRESS | None = None,
        RouteInfo: RTM_ROUTE_INFO | None = None,
        TimeToLive: int = INFINITE,
        RouteListHandle: RouteList | None = None,
        NotifyType: int = 0,
        NotifyHandle: NotifyReg | None = None,
        ChangeFlags: int = 0,
    ) -> AddRouteResult:
        """Add a route, or update the route with the same (destination, owner, neighbour) (spec 6.5).

        ``RouteHandle`` given: update that route. ``ChangeFlags`` RTM_ROUTE_CHANGE_NEW always creates,
        RTM_ROUTE_CHANGE_FIRST matches the caller's first route on the destination whatever its neighbour.
        Returns the route handle (a new reference when none was passed in) and RTM_ROUTE_CHANGE_NEW /
        RTM_ROUTE_CHANGE_BEST. NotifyType and NotifyHandle are reserved (0 and None).
        """
        ent = self._entity(RtmRegHandle)
        table = ent._table
        route: Route | None = None
        if RouteHandle is not None:
            route = cast(Route, self._obj(ent, RouteHandle, Route))
            if route.owner is not ent:
                raise RtmAccessDeniedError("the caller does not own this route")
            if route.state != RTM_ROUTE_STATE_CREATED:
                raise RtmInvalidHandleError("the route was deleted")  # spec A-match-add (c)
            if DestAddress is not None and parse_prefix(DestAddress, table.family) != (
                route.dest.addr,
                route.dest.nbits,
            ):
                raise RtmInvalidParameterError("DestAddress differs from the route's destination")
            addr, nbits = route.dest.addr, route.dest.nbits
        else:
            if DestAddress is None:
                raise RtmInvalidParameterError("DestAddress is required without a RouteHandle")
            addr, nbits = parse_prefix(DestAddress, table.family)
        spec = self._route_spec(ent, RouteInfo, table)
        ttl = ulong(TimeToLive, "TimeToLive")
        rlist = None if RouteListHandle is None else self._own_list(ent, RouteListHandle)
        ulong(NotifyType, "NotifyType")
        if NotifyHandle is not None:
            self._own_notify(ent, NotifyHandle)
        flags_in = ulong(ChangeFlags, "ChangeFlags")
        if flags_in & ~_ROUTE_CHANGE_INPUT:
            raise RtmInvalidParameterError("unknown ChangeFlags bits")

        created = False
        if route is None:
            dest = table.find(addr, nbits)
            if dest is not None and not flags_in & RTM_ROUTE_CHANGE_NEW:
                first = bool(flags_in & RTM_ROUTE_CHANGE_FIRST)
                for candidate in dest.routes:
                    if candidate.owner is ent and (first or candidate.neighbour is spec.neighbour):
                        route = candidate
                        break
            if route is None:
                if dest is None:
                    dest = self._new_dest(table, addr, nbits)
                route, best_mask = self._add_route(ent, dest, spec)
                created = True
        if not created:
            best_mask = self._update_route(route, spec)
        self._arm_route(route, ttl)
        if rlist is not None:
            self._move_to_list(route, rlist)
        out_flags = (RTM_ROUTE_CHANGE_NEW if created else 0) | (RTM_ROUTE_CHANGE_BEST if best_mask else 0)
        if RouteHandle is None:
            self._ref(ent, route)
            return AddRouteResult(WinError.NO_ERROR, route, out_flags)
        return AddRouteResult(WinError.NO_ERROR, RouteHandle, out_flags)

    @_api(ChangeFlagsResult)
    def RtmDeleteRouteToDest(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> ChangeFlagsResult:
        """Delete one of the caller's routes; the handle passed in is released by the call. A route already
        deleted (e.g. expired) gives ERROR_NOT_FOUND and its handle stays held (spec A-delete)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("the caller does not own this route")
        if route.state != RTM_ROUTE_STATE_CREATED:
            raise RtmNotFoundError("the route is already deleted")
        best_mask = self._delete_route(route)
        if ent.held.get(route):
            self._unref(ent, route)
        return ChangeFlagsResult(WinError.NO_ERROR, RTM_ROUTE_CHANGE_BEST if best_mask else 0)

    @_api(StatusResult)
    def RtmHoldDestination(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, TargetViews: int, HoldTime: int
    ) -> StatusResult:
        """Arm hold-down for the given views of a destination: when the last route of such a view is deleted it
        is kept as the view's HoldRoute for HoldTime ms. One maximum hold time serves every view (spec 2.7)."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        views = ulong(TargetViews, "TargetViews")
        hold_time = ulong(HoldTime, "HoldTime")
        if hold_time == 0:
            raise RtmInvalidParameterError("HoldTime must not be 0")
        table = ent._table
        views = table.views_supported if views in (0, RTM_VIEW_MASK_ALL) else views & table.views_supported
        if not views:
            raise RtmNotSupportedError("no supported view in TargetViews")
        dest.hold_views |= views
        dest.hold_time = max(dest.hold_time, hold_time)
        return StatusResult(WinError.NO_ERROR)

    @_api(RoutePointerResult)
    def RtmGetRoutePointer(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> RoutePointerResult:
        """The owner's read-only direct view of its route (kept current by RTM)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("only the owner gets a route pointer")
        return RoutePointerResult(WinError.NO_ERROR, self._route_pointer(route))

    def _route_pointer(self, route: Route) -> RTM_ROUTE_INFO:
        if route.pointer is None:
            route.pointer = self._route_info(route, None)
        else:
            self._sync_route_pointer(route)
        return route.pointer

    @_api(RoutePointerResult)
    def RtmLockRoute(
        self, RtmRegHandle: Entity | None, RouteHandle: Route | None, Exclusive: bool | int, LockRoute: bool | int
    ) -> RoutePointerResult:
        """Lock (or unlock) a route, which locks its whole destination; the owner gets a direct pointer to
        edit Neighbour, PrefInfo, BelongsToViews, EntitySpecificInfo, NextHopsList, Flags and Flags1 in place,
        then commits with RtmUpdateAndUnlockRoute (spec 2.14, A-route-fields)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("only the owner may lock its route")
        exclusive = boolean(Exclusive, "Exclusive")
        dest = route.dest
        if boolean(LockRoute, "LockRoute"):
            self._lock_dest(ent, dest, exclusive)
            return RoutePointerResult(WinError.NO_ERROR, self._route_pointer(route))
        counts = ent.locks.get(dest)
        if counts is None or not counts[1 if exclusive else 0]:
            raise RtmInvalidParameterError("unlock without a matching lock")
        if exclusive and route.pointer is not None and route.state == RTM_ROUTE_STATE_CREATED:
            try:
                self._commit_pointer_edits(ent, route, notify=False)
            except RtmError:
                # The unlock after a failed RtmUpdateAndUnlockRoute (spec 2.14): invalid edits are dropped.
                self._nh_credits.pop(ent, None)
                self._sync_route_pointer(route)
                self._diagnostics.append(f"{ent!r} unlocked {route!r} with invalid in-place edits; they were dropped")
        self._unlock_dest(ent, dest, exclusive)
        return RoutePointerResult(WinError.NO_ERROR, None)

    @_api(ChangeFlagsResult)
    def RtmUpdateAndUnlockRoute(
        self,
        RtmRegHandle: Entity | None,
        RouteHandle: Route | None,
        TimeToLive: int = INFINITE,
        RouteListHandle: RouteList | None = None,
        NotifyType: int = 0,
        NotifyHandle: NotifyReg | None = None,
    ) -> ChangeFlagsResult:
        """Commit the in-place edits of a route locked exclusively with RtmLockRoute: re-position it, recompute
        best routes, notify, set the new TimeToLive, optionally move it to a route list, and unlock. On failure
        the route stays locked."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("only the owner may update its route")
        dest = route.dest
        counts = ent.locks.get(dest)
        if counts is None or not counts[1] or route.pointer is None:
            raise RtmInvalidParameterError("the route is not locked exclusively by the caller")  # spec A-locks
        if route.state != RTM_ROUTE_STATE_CREATED:
            raise RtmNotFoundError("the route was deleted")
        ttl = ulong(TimeToLive, "TimeToLive")
        rlist = None if RouteListHandle is None else self._own_list(ent, RouteListHandle)
        ulong(NotifyType, "NotifyType")
        if NotifyHandle is not None:
            self._own_notify(ent, NotifyHandle)
        best_mask = self._commit_pointer_edits(ent, route, notify=True)
        self._arm_route(route, ttl)
        if rlist is not None:
            self._move_to_list(route, rlist)
        self._unlock_dest(ent, dest, True)
        return ChangeFlagsResult(WinError.NO_ERROR, RTM_ROUTE_CHANGE_BEST if best_mask else 0)

    def _commit_pointer_edits(self, ent: Entity, route: Route, *, notify: bool) -> int:
        """Apply what the owner wrote through its route pointer. Read-only fields written are reverted and
        reported (ERROR_INVALID_PARAMETER); next-hop references the owner should have adjusted by hand are
        balanced here and the imbalance is recorded (spec A-route-fields)."""
        pointer = route.pointer
        assert pointer is not None
        if (
            pointer.DestHandle is not route.dest
            or pointer.RouteOwner is not route.owner
            or pointer.State != route.state
        ):
            pointer.DestHandle, pointer.RouteOwner, pointer.State = route.dest, route.owner, route.state
            raise RtmInvalidParameterError("DestHandle, RouteOwner and State are read-only")
        spec = self._route_spec(ent, pointer, ent._table)
        self._balance_inplace_refs(ent, route, spec)
        if notify:
            return self._update_route(route, spec)
        before_views = route.views
        self._apply_spec(route, spec)
        route.dest._table.recompute(route.dest, before_views | route.views)
        self._diagnostics.append(f"{ent!r} edited {route!r} in place and unlocked without RtmUpdateAndUnlockRoute")
        return 0

    def _balance_inplace_refs(self, ent: Entity, route: Route, spec: _RouteSpec) -> None:
        old = list(route.nexthops) + ([route.neighbour] if route.neighbour is not None else [])
        new = list(spec.nexthops) + ([spec.neighbour] if spec.neighbour is not None else [])
        for nh in new:
            if nh in old:
                old.remove(nh)
            elif ent.held.get(nh):
                self._unref(ent, nh)  # the owner's RtmReferenceHandles now stands for the route's reference
            else:
                self._diagnostics.append(f"{ent!r} added {nh!r} to {route!r} in place without RtmReferenceHandles")
        credits = self._nh_credits.pop(ent, {})
        for nh in old:
            if credits.get(nh):
                credits[nh] -= 1
            else:
                self._diagnostics.append(f"{ent!r} removed {nh!r} from {route!r} in place without RtmReleaseNextHops")
        for nh, left in credits.items():
            if left:
                self._diagnostics.append(f"{ent!r} released {nh!r} while editing {route!r} but kept it in the route")

    # ============================================================================================
    # 6.6 Queries
    # ============================================================================================

    @_api(DestInfoResult)
    def RtmGetExactMatchDestination(
        self, RtmRegHandle: Entity | None, DestAddress: RTM_NET_ADDRESS, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """The destination whose address and length equal DestAddress (host bits are cleared first);
        ERROR_NOT_FOUND if there is none (spec A-lpm: regardless of views)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        addr, nbits = parse_prefix(DestAddress, table.family)
        protocol = ulong(ProtocolId, "ProtocolId")
        vids = self._view_ids(table, self._query_views(table, TargetViews))
        dest = table.find(addr, nbits)
        if dest is None:
            raise RtmNotFoundError("no such destination")
        info = self._dest_info(ent, dest, protocol, vids)
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @_api(DestInfoResult)
    def RtmGetMostSpecificDestination(
        self, RtmRegHandle: Entity | None, DestAddress: RTM_NET_ADDRESS, ProtocolId: int, TargetViews: int
    ) -> DestInfoResult:
        """Longest-prefix match: the longest present prefix covering DestAddress that has a route in one of
        TargetViews (any route for RTM_VIEW_MASK_ANY); ERROR_NOT_FOUND if none (spec A-lpm)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        addr, nbits = parse_prefix(DestAddress, table.family)
        protocol = ulong(ProtocolId, "ProtocolId")
        requested = ulong(TargetViews, "TargetViews")
        views = requested & table.views_supported
        if requested and not views:
            raise RtmNotFoundError("no supported view requested")
        dest = table.longest_match(addr, nbits, views)
        if dest is None:
            raise RtmNotFoundError("no covering destination")
        info = self._dest_info(ent, dest, protocol, self._view_ids(table, views))
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @_api(DestInfoResult)
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
        found = table.longest_match(dest.addr, dest.nbits - 1, views)
        if found is None:
            raise RtmNotFoundError("no less specific destination")
        info = self._dest_info(ent, found, protocol, self._view_ids(table, views))
        self._count_info(ent, "dest")
        return DestInfoResult(WinError.NO_ERROR, info)

    @_api(ExactMatchRouteResult)
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
        fields MatchingFlags selects; returns its information and a referenced handle (spec A-exactroute)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        addr, nbits = parse_prefix(DestAddress, table.family)
        match, criteria = self._match_criteria(MatchingFlags, RouteInfo)
        interface = ulong(InterfaceIndex, "InterfaceIndex")
        views = self._query_views(table, TargetViews)
        requested = ulong(TargetViews, "TargetViews")
        dest = table.find(addr, nbits)
        if dest is None or (requested and not views):
            raise RtmNotFoundError("no such destination")
        for route in _routes_in_order(dest, views):
            if _route_matches(route, match, criteria, interface):
                info = self._route_info(route, ent)
                self._count_info(ent, "route")
                self._ref(ent, route)
                return ExactMatchRouteResult(WinError.NO_ERROR, info, route)
        raise RtmNotFoundError("no matching route")

    @staticmethod
    def _match_criteria(flags: Any, criteria: Any) -> tuple[int, RTM_ROUTE_INFO | None]:
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
        if type(criteria.NextHopsList) is not RTM_NEXTHOP_LIST or not isinstance(criteria.NextHopsList.NextHops, list):
            raise RtmInvalidParameterError("the criteria route's NextHopsList is malformed")
        for value, kind in ((criteria.RouteOwner, Entity), (criteria.Neighbour, NextHop)):
            if value is not None and type(value) is not kind:
                raise RtmInvalidParameterError("a criteria handle is of the wrong kind")
        return match, criteria

    @_api(IsBestRouteResult)
    def RtmIsBestRoute(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> IsBestRouteResult:
        """The mask of views in which the route is the best route."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.state != RTM_ROUTE_STATE_CREATED:
            return IsBestRouteResult(WinError.NO_ERROR, 0)
        return IsBestRouteResult(WinError.NO_ERROR, ent._table.best_views_of(route))

    # ============================================================================================
    # 6.7 Next hops (spec 2.5, A-nexthop)
    # ============================================================================================

    def _nexthop_fields(self, ent: Entity, info: RTM_NEXTHOP_INFO) -> tuple[int, Any, Dest | None]:
        flags = ushort(info.Flags, "Flags")
        if flags & ~(RTM_NEXTHOP_FLAGS_REMOTE | RTM_NEXTHOP_FLAGS_DOWN):
            raise RtmInvalidParameterError("next-hop Flags may only be REMOTE and DOWN")
        remote = info.RemoteNextHop
        if remote is not None:
            remote = self._obj(ent, remote, Dest)
        return flags, info.EntitySpecificInfo, remote

    def _update_nexthop(self, nh: NextHop, flags: int, esi: Any, remote: Dest | None) -> None:
        nh.flags = flags
        nh.esi = esi
        if remote is not nh.remote:
            if remote is not None:
                remote._refs += 1
            old, nh.remote = nh.remote, remote
            if old is not None:
                self._drop(old)
        if nh.pointer is not None:
            self._sync_nexthop_pointer(nh)

    @_api(AddNextHopResult)
    def RtmAddNextHop(
        self, RtmRegHandle: Entity | None, NextHopInfo: RTM_NEXTHOP_INFO, NextHopHandle: NextHop | None = None
    ) -> AddNextHopResult:
        """Find-or-create a next hop in the caller's list by (NextHopAddress, InterfaceIndex) and set its
        writable fields (Flags, EntitySpecificInfo, RemoteNextHop); with a handle, update that next hop.
        RTM_NEXTHOP_CHANGE_NEW when created. A handle is returned (a new reference) when none was passed in."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        if type(NextHopInfo) is not RTM_NEXTHOP_INFO:
            raise RtmInvalidParameterError("NextHopInfo must be an RTM_NEXTHOP_INFO")
        if NextHopHandle is not None:
            nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
            if nh.owner is not ent:
                raise RtmAccessDeniedError("the caller does not own this next hop")
            if nh.state != RTM_NEXTHOP_STATE_CREATED:
                raise RtmInvalidHandleError("the next hop was deleted")
            fields = self._nexthop_fields(ent, NextHopInfo)
            self._update_nexthop(nh, *fields)
            return AddNextHopResult(WinError.NO_ERROR, NextHopHandle, 0)
        addr, nbits = parse_nexthop_address(NextHopInfo.NextHopAddress, table.family)
        key = (addr, nbits, ulong(NextHopInfo.InterfaceIndex, "InterfaceIndex"))
        fields = self._nexthop_fields(ent, NextHopInfo)
        nh_found = ent.nexthops.get(key)
        change = 0
        if nh_found is None:
            a = NextHopInfo.NextHopAddress
            nh_found = NextHop(table, ent, RTM_NET_ADDRESS(a.AddressFamily, a.NumBits, a.AddrBits), key)
            ent.nexthops[key] = nh_found
            if ent.nexthop_order is not None:
                ent.nexthop_order.add(key)
            table.nexthop_count += 1
            change = RTM_NEXTHOP_CHANGE_NEW
        self._update_nexthop(nh_found, *fields)
        self._ref(ent, nh_found)
        return AddNextHopResult(WinError.NO_ERROR, nh_found, change)

    @_api(FindNextHopResult)
    def RtmFindNextHop(self, RtmRegHandle: Entity | None, NextHopInfo: RTM_NEXTHOP_INFO) -> FindNextHopResult:
        """Look up (NextHopAddress, InterfaceIndex) in the caller's next-hop list: a referenced handle and a
        direct read-only pointer; ERROR_NOT_FOUND if absent."""
        ent = self._entity(RtmRegHandle)
        if type(NextHopInfo) is not RTM_NEXTHOP_INFO:
            raise RtmInvalidParameterError("NextHopInfo must be an RTM_NEXTHOP_INFO")
        addr, nbits = parse_nexthop_address(NextHopInfo.NextHopAddress, ent._table.family)
        nh = ent.nexthops.get((addr, nbits, ulong(NextHopInfo.InterfaceIndex, "InterfaceIndex")))
        if nh is None:
            raise RtmNotFoundError("no such next hop")
        self._ref(ent, nh)
        return FindNextHopResult(WinError.NO_ERROR, nh, self._nexthop_pointer(nh))

    def _nexthop_pointer(self, nh: NextHop) -> RTM_NEXTHOP_INFO:
        if nh.pointer is None:
            nh.pointer = self._nexthop_info(nh, None)
        else:
            self._sync_nexthop_pointer(nh)
        return nh.pointer

    @_api(StatusResult)
    def RtmDeleteNextHop(
        self,
        RtmRegHandle: Entity | None,
        NextHopHandle: NextHop | None = None,
        NextHopInfo: RTM_NEXTHOP_INFO | None = None,
    ) -> StatusResult:
        """Delete a next hop of the caller, by handle (which the call releases) or by address and interface.
        Routes that still use it keep it until they go (spec A-nexthop)."""
        ent = self._entity(RtmRegHandle)
        if NextHopHandle is not None:
            nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
            if nh.owner is not ent:
                raise RtmAccessDeniedError("the caller does not own this next hop")
            if nh.state != RTM_NEXTHOP_STATE_CREATED:
                raise RtmNotFoundError("the next hop is already deleted")
        else:
            if type(NextHopInfo) is not RTM_NEXTHOP_INFO:
                raise RtmInvalidParameterError("NextHopInfo is required without a NextHopHandle")
            addr, nbits = parse_nexthop_address(NextHopInfo.NextHopAddress, ent._table.family)
            found = ent.nexthops.get((addr, nbits, ulong(NextHopInfo.InterfaceIndex, "InterfaceIndex")))
            if found is None:
                raise RtmNotFoundError("no such next hop")
            nh = found
        if NextHopHandle is not None and ent.held.get(nh):
            self._unref(ent, nh)
        self._delete_nexthop(nh)
        return StatusResult(WinError.NO_ERROR)

    def _delete_nexthop(self, nh: NextHop) -> None:
        owner = nh.owner
        nh.state = RTM_NEXTHOP_STATE_DELETED
        del owner.nexthops[nh.key]
        if owner.nexthop_order is not None:
            owner.nexthop_order.discard(nh.key)
        nh._table.nexthop_count -= 1
        if nh.pointer is not None:
            nh.pointer.State = RTM_NEXTHOP_STATE_DELETED
        if nh._refs == 0:
            self._maybe_free(nh)

    @_api(NextHopPointerResult)
    def RtmGetNextHopPointer(self, RtmRegHandle: Entity | None, NextHopHandle: NextHop | None) -> NextHopPointerResult:
        """The owner's read-only direct view of its next hop."""
        ent = self._entity(RtmRegHandle)
        nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
        if nh.owner is not ent:
            raise RtmAccessDeniedError("only the owner gets a next-hop pointer")
        return NextHopPointerResult(WinError.NO_ERROR, self._nexthop_pointer(nh))

    @_api(NextHopPointerResult)
    def RtmLockNextHop(
        self, RtmRegHandle: Entity | None, NextHopHandle: NextHop | None, Exclusive: bool | int, LockNextHop: bool | int
    ) -> NextHopPointerResult:
        """The owner locks (or unlocks) a next hop to edit Flags, EntitySpecificInfo and RemoteNextHop in place
        through the pointer; the edits take effect when it unlocks. Address and interface are immutable."""
        ent = self._entity(RtmRegHandle)
        nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
        if nh.owner is not ent:
            raise RtmAccessDeniedError("only the owner may lock its next hop")
        if nh.state != RTM_NEXTHOP_STATE_CREATED:
            raise RtmNotFoundError("the next hop was deleted")
        exclusive = boolean(Exclusive, "Exclusive")
        if boolean(LockNextHop, "LockNextHop"):
            if nh.lock_writer is not None or (exclusive and nh.lock_readers):
                raise RtmInvalidParameterError("the next hop is already locked")
            if exclusive:
                nh.lock_writer = ent
            else:
                nh.lock_readers += 1
            return NextHopPointerResult(WinError.NO_ERROR, self._nexthop_pointer(nh))
        if exclusive:
            if nh.lock_writer is not ent:
                raise RtmInvalidParameterError("unlock without a matching lock")
            pointer = nh.pointer
            assert pointer is not None
            try:
                fields = self._nexthop_fields(ent, pointer)
            except RtmError:
                self._sync_nexthop_pointer(nh)  # invalid edits are reverted
                raise
            nh.lock_writer = None
            self._update_nexthop(nh, *fields)
        else:
            if not nh.lock_readers:
                raise RtmInvalidParameterError("unlock without a matching lock")
            nh.lock_readers -= 1
        return NextHopPointerResult(WinError.NO_ERROR, None)

    # ============================================================================================
    # 6.8 Enumerations (spec 2.10, A-enum-order, A-enum-filters)
    # ============================================================================================

    def _enum_range(self, table: Table, flags: int, address: Any, width_of_key: int) -> tuple[int, int]:
        """Key range of an enumeration: START = whole table, NEXT = from the address on (inclusive),
        RANGE = the address's subtree."""
        kind = flags & 0x3
        top = dest_key((1 << width_of_key) - 1, width_of_key)
        if kind == 0:
            return 0, top
        if kind not in (RTM_ENUM_NEXT, RTM_ENUM_RANGE):
            raise RtmInvalidParameterError("EnumFlags must hold one of START, NEXT, RANGE")
        if address is None:
            raise RtmInvalidParameterError("NEXT and RANGE need an address")
        addr, nbits = parse_prefix(address, table.family)
        if kind == RTM_ENUM_NEXT:
            return dest_key(addr, nbits), top
        return table.range_of(addr, nbits, table.family.bits)

    @_api(EnumHandleResult)
    def RtmCreateDestEnum(
        self,
        RtmRegHandle: Entity | None,
        TargetViews: int,
        EnumFlags: int,
        NetAddress: RTM_NET_ADDRESS | None = None,
        ProtocolId: int = RTM_BEST_PROTOCOL,
    ) -> EnumHandleResult:
        """Enumerate destinations in address order: RTM_ENUM_START / NEXT / RANGE, all or RTM_ENUM_OWN_DESTS
        (the caller owns the best route in one of the views). Only RTM_VIEW_MASK_ANY sees destinations that have
        nothing but hold-down routes."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        views = self._strict_views(table, TargetViews)
        flags = ulong(EnumFlags, "EnumFlags")
        if flags & ~(0x3 | RTM_ENUM_OWN_DESTS):
            raise RtmInvalidParameterError("unknown EnumFlags bits")
        lo, hi = self._enum_range(table, flags, NetAddress, table.family.bits)
        enum = EnumObj(table, ent, "dest")
        enum.views, enum.flags, enum.lo, enum.hi = views, flags, lo, hi
        enum.protocol = ulong(ProtocolId, "ProtocolId")
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    def _own_enum(self, ent: Entity, handle: Any, kind: str) -> EnumObj:
        enum = cast(EnumObj, self._obj(ent, handle, EnumObj))
        if enum.owner is not ent or enum.enum_kind != kind:
            raise RtmInvalidHandleError(f"not an open {kind} enumeration of the caller")
        return enum

    def _batch_size(self, ent: Entity, value: Any, what: str) -> int:
        n = ulong(value, what)
        if n > ent._table.config.max_handles_in_enum:
            raise RtmInvalidParameterError(f"{what} exceeds MaxHandlesInEnum")
        return n

    def _dest_matches(self, ent: Entity, dest: Dest, enum: EnumObj) -> bool:
        views = enum.views
        if views and not has_route_in(dest, views):
            return False
        if enum.flags & RTM_ENUM_OWN_DESTS:
            scope = views or ent._table.views_supported
            return any(
                best is not None and best.owner is ent and scope >> vid & 1 for vid, best in enumerate(dest.best)
            )
        return True

    @_api(EnumDestsResult)
    def RtmGetEnumDests(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumDests: int
    ) -> EnumDestsResult:
        """The next batch (at most MaxHandlesInEnum) of destination information; ERROR_NO_MORE_ITEMS comes with
        the last batch, which may hold items. The enumeration is a cursor over the live table."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "dest")
        n = self._batch_size(ent, NumDests, "NumDests")
        table = ent._table
        picked: list[Dest] = []
        more = False
        for key in table.keys_in_range(enum.lo, enum.hi, enum.cursor):
            dest = table.dests[key]
            if not self._dest_matches(ent, dest, enum):
                continue
            if len(picked) == n:
                more = True
                break
            picked.append(dest)
        if picked:
            enum.cursor = picked[-1].key
        vids = self._view_ids(table, enum.views)
        infos = [self._dest_info(ent, dest, enum.protocol, vids) for dest in picked]
        self._count_info(ent, "dest", len(infos))
        status = WinError.NO_ERROR if more else WinError.ERROR_NO_MORE_ITEMS
        return EnumDestsResult(status, len(infos), infos)

    @_api(StatusResult)
    def RtmReleaseDests(
        self, RtmRegHandle: Entity | None, NumDests: int, DestInfos: list[RTM_DEST_INFO]
    ) -> StatusResult:
        """Release the handles inside destination information structures (not those of RtmGetChangedDests)."""
        ent = self._entity(RtmRegHandle)
        infos = count_and_list(NumDests, DestInfos, "Dests")
        handles = [h for info in infos for h in self._dest_info_handles(info)]
        if ent.infos.get("dest", 0) < len(infos):
            raise RtmInvalidHandleError("more destination structures than were handed out")
        self._release_handles(ent, handles, in_structure=True)
        if infos:
            self._uncount_info(ent, "dest", len(infos))
        return StatusResult(WinError.NO_ERROR)

    @_api(EnumHandleResult)
    def RtmCreateRouteEnum(
        self,
        RtmRegHandle: Entity | None,
        DestHandle: Dest | None = None,
        TargetViews: int = 0,
        EnumFlags: int = 0,
        StartDest: RTM_NET_ADDRESS | None = None,
        MatchingFlags: int = 0,
        CriteriaRoute: RTM_ROUTE_INFO | None = None,
        CriteriaInterface: int = 0,
    ) -> EnumHandleResult:
        """Enumerate routes: of one destination (DestHandle) or of all destinations in address order (START /
        NEXT / RANGE from StartDest), all or RTM_ENUM_OWN_ROUTES, filtered by RTM_MATCH_* against CriteriaRoute
        and CriteriaInterface. Within a destination routes come best first. Hold-down routes are enumerated only
        with RTM_VIEW_MASK_ANY."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        dest = None if DestHandle is None else cast(Dest, self._obj(ent, DestHandle, Dest))
        views = self._strict_views(table, TargetViews)
        flags = ulong(EnumFlags, "EnumFlags")
        if flags & ~(0x3 | RTM_ENUM_OWN_ROUTES):
            raise RtmInvalidParameterError("unknown EnumFlags bits")
        match, criteria = self._match_criteria(MatchingFlags, CriteriaRoute)
        interface = ulong(CriteriaInterface, "CriteriaInterface")
        if dest is None:
            lo, hi = self._enum_range(table, flags, StartDest, table.family.bits)
        else:
            if flags & 0x3 == 0x3:
                raise RtmInvalidParameterError("EnumFlags must hold one of START, NEXT, RANGE")
            lo = hi = dest.key
        enum = EnumObj(table, ent, "route")
        enum.views, enum.flags, enum.lo, enum.hi = views, flags, lo, hi
        enum.dest, enum.match, enum.criteria, enum.interface = dest, match, criteria, interface
        if criteria is not None:
            enum.criteria = _copy_criteria(criteria)
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    def _enum_route_candidates(self, ent: Entity, enum: EnumObj) -> Iterator[Route]:
        """Routes after the cursor in enumeration order. The cursor is the key of the destination last returned
        from plus the routes already returned there, so a route that moves within its destination is neither
        repeated nor skipped, and no route is returned twice (spec A-enum-order)."""
        table = ent._table
        cursor = enum.cursor
        if enum.dest is not None:
            dests: Iterator[Dest] = iter((enum.dest,))
        else:
            keys = table.keys_in_range(enum.lo, enum.hi, None if cursor is None else cursor - 1)
            dests = (table.dests[k] for k in keys)
        own = enum.flags & RTM_ENUM_OWN_ROUTES
        for dest in dests:
            skip = enum.returned if dest.key == cursor else ()
            for route in _routes_in_order(dest, enum.views):
                if route in skip or (own and route.owner is not ent):
                    continue
                if _route_matches(route, enum.match, enum.criteria, enum.interface):
                    yield route

    @_api(EnumRoutesResult)
    def RtmGetEnumRoutes(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumRoutes: int
    ) -> EnumRoutesResult:
        """The next batch of referenced route handles; ERROR_NO_MORE_ITEMS with the last batch."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "route")
        n = self._batch_size(ent, NumRoutes, "NumRoutes")
        candidates = list(_take(self._enum_route_candidates(ent, enum), n + 1))
        picked = candidates[:n]
        for route in picked:
            if route.dest.key != enum.cursor:
                enum.cursor = route.dest.key
                enum.returned = set()
            enum.returned.add(route)
            self._ref(ent, route)
        status = WinError.NO_ERROR if len(candidates) > n else WinError.ERROR_NO_MORE_ITEMS
        return EnumRoutesResult(status, len(picked), picked)

    @_api(StatusResult)
    def RtmReleaseRoutes(self, RtmRegHandle: Entity | None, NumRoutes: int, RouteHandles: list[Route]) -> StatusResult:
        """Release one reference per route handle."""
        ent = self._entity(RtmRegHandle)
        self._release_handles(ent, count_and_list(NumRoutes, RouteHandles, "Routes"), Route)
        return StatusResult(WinError.NO_ERROR)

    @_api(EnumHandleResult)
    def RtmCreateNextHopEnum(
        self, RtmRegHandle: Entity | None, EnumFlags: int, NetAddress: RTM_NET_ADDRESS | None = None
    ) -> EnumHandleResult:
        """Enumerate the caller's next hops by address (START / NEXT / RANGE), then interface."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        flags = ulong(EnumFlags, "EnumFlags")
        if flags & ~0x3 or flags == 0x3:
            raise RtmInvalidParameterError("EnumFlags must be one of START, NEXT, RANGE")
        width = table.family.nexthop_bits
        enum = EnumObj(table, ent, "nexthop")
        enum.flags = flags
        if flags == 0:
            enum.lo, enum.hi = (0, 0, 0), (1 << width, 0, 0)
        else:
            if NetAddress is None:
                raise RtmInvalidParameterError("NEXT and RANGE need an address")
            addr, nbits = parse_nexthop_address(NetAddress, table.family)
            if flags == RTM_ENUM_NEXT:
                enum.lo, enum.hi = (addr, nbits, 0), (1 << width, 0, 0)
            else:
                masked = addr >> (width - nbits) << (width - nbits) if nbits else 0
                enum.lo = (masked, 0, 0)
                enum.hi = (masked | ((1 << (width - nbits)) - 1), width, 0xFFFFFFFF)
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    def _nexthop_sources(self, ent: Entity) -> list[Entity]:
        if ent._table.config.enumerate_all_nexthops:
            return list(ent._table.entities.values())
        return [ent]

    @_api(EnumNextHopsResult)
    def RtmGetEnumNextHops(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumNextHops: int
    ) -> EnumNextHopsResult:
        """The next batch of referenced next-hop handles; ERROR_NO_MORE_ITEMS with the last batch."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "nexthop")
        n = self._batch_size(ent, NumNextHops, "NumNextHops")
        found: list[tuple[tuple[int, int, int], int, NextHop]] = []
        for owner in self._nexthop_sources(ent):
            if owner.nexthop_order is None:
                order: SortedKeys[tuple[int, int, int]] = SortedKeys()
                for key in sorted(owner.nexthops):
                    order.add(key)
                owner.nexthop_order = order
            count = 0
            start = enum.lo if enum.cursor is None or enum.cursor[0] < enum.lo else enum.cursor[0]
            for key in owner.nexthop_order.iter_from(start):
                if key > enum.hi:
                    break
                if enum.cursor is not None and (key, owner._serial) <= enum.cursor:
                    continue
                found.append((key, owner._serial, owner.nexthops[key]))
                count += 1
                if count > n:
                    break
        found.sort(key=lambda item: (item[0], item[1]))
        picked = found[:n]
        more = len(found) > n
        if picked:
            enum.cursor = (picked[-1][0], picked[-1][1])
        handles = [nh for _, _, nh in picked]
        for nh in handles:
            self._ref(ent, nh)
        status = WinError.NO_ERROR if more else WinError.ERROR_NO_MORE_ITEMS
        return EnumNextHopsResult(status, len(handles), handles)

    @_api(StatusResult)
    def RtmReleaseNextHops(
        self, RtmRegHandle: Entity | None, NumNextHops: int, NextHopHandles: list[NextHop]
    ) -> StatusResult:
        """Release one reference per next-hop handle. While the caller edits one of its routes in place, this is
        also how it gives up the route's reference on a next hop it removes (spec 2.14)."""
        ent = self._entity(RtmRegHandle)
        handles = count_and_list(NumNextHops, NextHopHandles, "NextHops")
        plain: list[Any] = []
        credits = self._nh_credits.get(ent, {})
        granted: dict[NextHop, int] = {}
        for h in handles:
            if isinstance(h, NextHop) and credits.get(h, 0) + granted.get(h, 0) < self._locked_route_refs(ent, h):
                granted[h] = granted.get(h, 0) + 1
            else:
                plain.append(h)
        self._release_handles(ent, plain, NextHop)
        if granted:
            credits = self._nh_credits.setdefault(ent, {})
            for nh, n in granted.items():
                credits[nh] = credits.get(nh, 0) + n
        return StatusResult(WinError.NO_ERROR)

    @staticmethod
    def _locked_route_refs(ent: Entity, nh: NextHop) -> int:
        """How many references the caller's exclusively locked routes hold on ``nh``."""
        refs = 0
        for dest, (_, exclusive) in ent.locks.items():
            if exclusive:
                for route in dest.routes:
                    if route.owner is ent:
                        refs += route.nexthops.count(nh) + (nh is route.neighbour)
        return refs

    @_api(StatusResult)
    def RtmDeleteEnumHandle(self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None) -> StatusResult:
        """Close any enumeration of the caller; handles it returned stay valid."""
        ent = self._entity(RtmRegHandle)
        enum = cast(EnumObj, self._obj(ent, EnumHandle, EnumObj))
        if enum.owner is not ent:
            raise RtmInvalidHandleError("not an enumeration of the caller")
        self._close_enum(enum)
        return StatusResult(WinError.NO_ERROR)

    def _close_enum(self, enum: EnumObj) -> None:
        enum._alive = False
        enum.returned = set()
        enum.criteria = None
        del enum.owner.enums[enum]

    # ============================================================================================
    # 6.9 Change notification (spec 2.9, A-notify-*, A-getchanged)
    # ============================================================================================

    def _own_notify(self, ent: Entity, handle: Any) -> NotifyReg:
        reg = cast(NotifyReg, self._obj(ent, handle, NotifyReg))
        if reg.owner is not ent:
            raise RtmInvalidHandleError("not a notification registration of the caller")
        return reg

    @_api(NotifyHandleResult)
    def RtmRegisterForChangeNotification(
        self, RtmRegHandle: Entity | None, TargetViews: int, NotifyFlags: int, NotifyContext: Any = None
    ) -> NotifyHandleResult:
        """Register for changes (RTM_CHANGE_TYPE_ALL / BEST / FORWARDING) in the target views, of all
        destinations or only those marked (RTM_NOTIFY_ONLY_MARKED_DESTS). The callback gets
        RTM_CHANGE_NOTIFICATION with NotifyContext when changes become pending."""
        self._forbidden_in(RTM_CHANGE_NOTIFICATION)
        ent = self._entity(RtmRegHandle)
        table = ent._table
        views = self._strict_views(table, TargetViews) or table.views_supported
        flags = ulong(NotifyFlags, "NotifyFlags")
        if flags & ~(_NOTIFY_TYPES | RTM_NOTIFY_ONLY_MARKED_DESTS) or not flags & _NOTIFY_TYPES:
            raise RtmInvalidParameterError("NotifyFlags must name change types")
        if len(table.notify_regs) >= table.config.max_notify_registrations:
            raise RtmError("too many change-notification registrations", WinError.ERROR_NO_SYSTEM_RESOURCES)
        reg = NotifyReg(
            table,
            ent,
            views,
            flags & _NOTIFY_TYPES,
            bool(flags & RTM_NOTIFY_ONLY_MARKED_DESTS),
            NotifyContext,
        )
        reg.views_requested = ulong(TargetViews, "TargetViews")
        table.notify_regs[reg] = None
        ent.notify_regs[reg] = None
        return NotifyHandleResult(WinError.NO_ERROR, reg)

    @_api(ChangedDestsResult)
    def RtmGetChangedDests(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, NumDests: int
    ) -> ChangedDestsResult:
        """Up to NumDests destinations with pending changes, oldest first, each once with its latest state;
        destinations that lost all routes are reported with none. ERROR_NO_MORE_ITEMS when nothing remains after
        this call (the batch may still hold items: always process the count)."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        n = self._batch_size(ent, NumDests, "NumDests")
        if n == 0:
            return ChangedDestsResult(WinError.NO_ERROR, 0, [])
        table = ent._table
        vids = () if reg.views_requested == 0 else self._view_ids(table, reg.views)
        infos = []
        for dest in list(_take(iter(reg.pending), n)):
            del reg.pending[dest]
            infos.append(self._dest_info(ent, dest, RTM_BEST_PROTOCOL, vids))
            reg.handed_out[dest] = reg.handed_out.get(dest, 0) + 1
            self._drop(dest)
        status = WinError.NO_ERROR if reg.pending else WinError.ERROR_NO_MORE_ITEMS
        return ChangedDestsResult(status, len(infos), infos)

    @_api(StatusResult)
    def RtmReleaseChangedDests(
        self,
        RtmRegHandle: Entity | None,
        NotifyHandle: NotifyReg | None,
        NumDests: int,
        ChangedDests: list[RTM_DEST_INFO],
    ) -> StatusResult:
        """Release what RtmGetChangedDests returned (the only valid way to)."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        infos = count_and_list(NumDests, ChangedDests, "Dests")
        handles = [h for info in infos for h in self._dest_info_handles(info)]
        wanted: dict[Any, int] = {}
        for info in infos:
            wanted[info.DestHandle] = wanted.get(info.DestHandle, 0) + 1
        if any(reg.handed_out.get(dest, 0) < n for dest, n in wanted.items()):
            raise RtmInvalidHandleError("these structures did not come from this registration")
        self._release_handles(ent, handles, in_structure=True)
        for dest, n in wanted.items():
            left = reg.handed_out[dest] - n
            if left:
                reg.handed_out[dest] = left
            else:
                del reg.handed_out[dest]
        return StatusResult(WinError.NO_ERROR)

    @_api(StatusResult)
    def RtmIgnoreChangedDests(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, NumDests: int, ChangedDests: list[Dest]
    ) -> StatusResult:
        """Discard the pending changes of these destinations; they come back only if they change again."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dests = [self._obj(ent, h, Dest) for h in count_and_list(NumDests, ChangedDests, "Dests")]
        for dest in dests:
            if dest in reg.pending:
                del reg.pending[dest]
                self._drop(dest)
        return StatusResult(WinError.NO_ERROR)

    @_api(ChangeStatusResult)
    def RtmGetChangeStatus(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, DestHandle: Dest | None
    ) -> ChangeStatusResult:
        """TRUE while a change of the destination is pending on this registration."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dest = self._obj(ent, DestHandle, Dest)
        return ChangeStatusResult(WinError.NO_ERROR, dest in reg.pending)

    @_api(StatusResult)
    def RtmMarkDestForChangeNotification(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, DestHandle: Dest | None, MarkDest: bool | int
    ) -> StatusResult:
        """Mark (or unmark) a destination for an RTM_NOTIFY_ONLY_MARKED_DESTS registration."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        if boolean(MarkDest, "MarkDest"):
            if dest.present:
                reg.marked.add(dest)
        else:
            reg.marked.discard(dest)
        return StatusResult(WinError.NO_ERROR)

    @_api(IsMarkedResult)
    def RtmIsMarkedForChangeNotification(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, DestHandle: Dest
    ) -> IsMarkedResult:
        """Whether the destination is marked on this registration."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dest = self._obj(ent, DestHandle, Dest)
        return IsMarkedResult(WinError.NO_ERROR, dest in reg.marked)

    @_api(StatusResult)
    def RtmDeregisterFromChangeNotification(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None
    ) -> StatusResult:
        """End a registration; its pending changes are dropped."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        self._deregister_notify(reg)
        return StatusResult(WinError.NO_ERROR)

    def _deregister_notify(self, reg: NotifyReg) -> None:
        pending, reg.pending = reg.pending, {}
        for dest in pending:
            self._drop(dest)
        reg.marked.clear()
        reg._alive = False
        del reg._table.notify_regs[reg]
        owner = reg.owner
        del owner.notify_regs[reg]
        if reg.handed_out:
            # Structures still out can be released with RtmReleaseDests from now on.
            self._count_info(owner, "dest", sum(reg.handed_out.values()))
            reg.handed_out = {}

    # ============================================================================================
    # 6.10 Route lists (spec 2.11, A-lists)
    # ============================================================================================

    def _own_list(self, ent: Entity, handle: Any) -> RouteList:
        rlist = cast(RouteList, self._obj(ent, handle, RouteList))
        if rlist.owner is not ent:
            raise RtmInvalidHandleError("not a route list of the caller")
        return rlist

    @staticmethod
    def _move_to_list(route: Route, rlist: RouteList | None) -> None:
        if route.rlist is not None:
            del route.rlist.routes[route]
        route.rlist = rlist
        if rlist is not None:
            rlist.routes[route] = None

    @_api(RouteListResult)
    def RtmCreateRouteList(self, RtmRegHandle: Entity | None) -> RouteListResult:
        """Create a private list for the caller's routes."""
        ent = self._entity(RtmRegHandle)
        rlist = RouteList(ent._table, ent)
        ent.lists[rlist] = None
        return RouteListResult(WinError.NO_ERROR, rlist)

    @_api(StatusResult)
    def RtmInsertInRouteList(
        self,
        RtmRegHandle: Entity | None,
        RouteListHandle: RouteList | None,
        NumRoutes: int,
        RouteHandles: list[Route],
    ) -> StatusResult:
        """Move routes into the list (out of any other; re-inserted routes go to the tail); a None list just
        takes them out of their lists. The handles stay the caller's."""
        ent = self._entity(RtmRegHandle)
        rlist = None if RouteListHandle is None else self._own_list(ent, RouteListHandle)
        routes = [cast(Route, self._obj(ent, h, Route)) for h in count_and_list(NumRoutes, RouteHandles, "Routes")]
        for route in routes:
            if route.owner is not ent:
                raise RtmAccessDeniedError("only the caller's own routes can be listed")  # spec A-lists
            if route.state != RTM_ROUTE_STATE_CREATED:
                raise RtmInvalidHandleError("the route was deleted")
        for route in routes:
            if rlist is not None and route.rlist is rlist:
                del rlist.routes[route]
                rlist.routes[route] = None
            else:
                self._move_to_list(route, rlist)
        return StatusResult(WinError.NO_ERROR)

    @_api(EnumHandleResult)
    def RtmCreateRouteListEnum(
        self, RtmRegHandle: Entity | None, RouteListHandle: RouteList | None
    ) -> EnumHandleResult:
        """Enumerate a route list in insertion order."""
        ent = self._entity(RtmRegHandle)
        rlist = self._own_list(ent, RouteListHandle)
        enum = EnumObj(ent._table, ent, "list")
        enum.rlist = rlist
        enum.criteria = list(rlist.routes)  # the order at creation; routes moved away meanwhile are skipped
        enum.cursor = 0
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    @_api(EnumRoutesResult)
    def RtmGetListEnumRoutes(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumRoutes: int
    ) -> EnumRoutesResult:
        """The next routes of the list (referenced handles). Always NO_ERROR: the end is a batch smaller than
        asked, or empty; a list deleted meanwhile gives nothing (spec A-lists)."""
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

    @_api(StatusResult)
    def RtmDeleteRouteList(self, RtmRegHandle: Entity | None, RouteListHandle: RouteList | None) -> StatusResult:
        """Empty the list (its routes live on) and free it."""
        ent = self._entity(RtmRegHandle)
        self._delete_list(self._own_list(ent, RouteListHandle))
        return StatusResult(WinError.NO_ERROR)

    @staticmethod
    def _delete_list(rlist: RouteList) -> None:
        for route in rlist.routes:
            route.rlist = None
        rlist.routes = {}
        rlist._alive = False
        del rlist.owner.lists[rlist]

    # ============================================================================================
    # 6.11 Handles
    # ============================================================================================

    @_api(StatusResult)
    def RtmReferenceHandles(
        self, RtmRegHandle: Entity | None, NumHandles: int, RtmHandles: list[Handle]
    ) -> StatusResult:
        """Add one reference to each destination, route, next-hop or entity handle (release later with the
        type's own release function)."""
        ent = self._entity(RtmRegHandle)
        handles = count_and_list(NumHandles, RtmHandles, "Handles")
        for h in handles:
            if type(h) not in (Dest, Route, NextHop, Entity) or not h._alive or h._table is not ent._table:
                raise RtmInvalidHandleError(f"{safe_repr(h)} cannot be referenced")
        for h in handles:
            self._ref(ent, h)
        return StatusResult(WinError.NO_ERROR)


# ================================================================================================
# Helpers without state
# ================================================================================================


def _invalidate(obj: Handle) -> None:
    obj._alive = False


def _no_op(self: RoutingTableManager) -> StatusResult:
    return StatusResult(WinError.NO_ERROR)


def _no_op_fail(code: int) -> StatusResult:
    return StatusResult(code)


def _take(it: Iterator[Any], n: int) -> Iterator[Any]:
    for i, item in enumerate(it):
        if i >= n:
            return
        yield item


def _route_order(route: Route) -> tuple[int, int, int, int]:
    """Enumeration order of routes: destination address order, then (Preference, Metric, creation)."""
    return route.dest.key, route.pref, route.metric, route._serial


def _routes_in_order(dest: Dest, views: int) -> list[Route]:
    """A destination's routes best first; only those in ``views``, or with RTM_VIEW_MASK_ANY every live route
    and then the hold-down routes (spec A-enum-order, 6.8)."""
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


def _route_matches(route: Route, match: int, criteria: RTM_ROUTE_INFO | None, interface: int) -> bool:
    """RTM_MATCH_* semantics (spec A-enum-filters)."""
    if not match:
        return True
    if match & RTM_MATCH_INTERFACE and not any(nh.ifindex == interface for nh in route.nexthops):
        return False
    if criteria is None:
        return True
    if match & RTM_MATCH_OWNER and route.owner is not criteria.RouteOwner:
        return False
    if match & RTM_MATCH_NEIGHBOUR and route.neighbour is not criteria.Neighbour:
        return False
    if match & RTM_MATCH_PREF and (route.pref, route.metric) != (
        criteria.PrefInfo.Preference,
        criteria.PrefInfo.Metric,
    ):
        return False
    if match & RTM_MATCH_NEXTHOP:
        wanted = criteria.NextHopsList.NextHops
        if not wanted or wanted[0] not in route.nexthops:
            return False
    return True


def _copy_criteria(criteria: RTM_ROUTE_INFO) -> RTM_ROUTE_INFO:
    """The matching fields of a criteria route, copied: an enumeration keeps it, never the caller's structure
    (API.md binding rule 6)."""
    return RTM_ROUTE_INFO(
        RouteOwner=criteria.RouteOwner,
        Neighbour=criteria.Neighbour,
        PrefInfo=RTM_PREF_INFO(Metric=criteria.PrefInfo.Metric, Preference=criteria.PrefInfo.Preference),
        NextHopsList=RTM_NEXTHOP_LIST(NextHops=list(criteria.NextHopsList.NextHops)),
    )
