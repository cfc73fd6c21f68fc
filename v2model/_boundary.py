"""The call boundary: every public method enters here once (lock, due timers, errors to statuses, callbacks).

Theory of operation
-------------------
* **One boundary.** Every public method is wrapped by ``api``: it runs what is due on the clock (route expiry,
  hold-down expiry), takes the manager's lock, runs the body, converts an ``RtmError`` raised inside into the
  method's result with that status, releases the lock, and then runs what the call left in the outbox. The
  per-thread "inside a call" flag is reset in a ``finally`` whatever happens (M-FAULTS).
* **Callbacks never run under the lock** (M-DELIVERY). With delivery threads (``threads``) the core posts each
  callback, under the lock, to the receiving entity's FIFO (``_delivery``) and that entity's thread runs it
  (``_run_posted``); the outbox then only holds internal steps. Inline (``inline``), the outbox holds the callbacks
  and the outermost call runs them on the calling thread before it returns; an RTM_ROUTE_EXPIRED due at the start
  of a call is delivered there and then. Either way a callback may call back into the API.
* **Validate, then mutate.** Each body checks every argument with the helpers here (exact types, issued handles,
  M-TYPES, M-HANDLES) before touching the table, so a bad argument returns its status with the table unchanged
  (M-BINDING-5).
"""

from __future__ import annotations

import functools
import inspect
import math
import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, ParamSpec, Self, TypeVar, cast

from ._clock import Clock
from ._config import RtmConfig
from ._constants import (
    RTM_ROUTE_EXPIRED,
    RTM_VIEW_MASK_ALL,
)
from ._delivery import Deliveries
from ._errors import (
    RtmError,
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    RtmNotSupportedError,
    WinError,
)
from ._invariants import check, digest
from ._leaks import LeakReport, holdings
from ._mutation import Expiry, Mutations, Notice, Step
from ._objects import Entity, EntityHandle, Handle, NotifyReg, RouteList, Table
from ._objects import EnumHandle as EnumObj
from ._prefix import safe_repr
from ._results import (
    StatusResult,
)
from ._stats import RtmStatistics
from ._timers import TimerThread
from ._validate import ulong

P = ParamSpec("P")
R = TypeVar("R", bound=tuple[Any, ...])


_tuple_new = tuple.__new__


def api(result: type[R], *, locked: bool = True) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a method an API entry point: the one place where RtmError becomes a status.

    The entry is the boundary of the module docstring written out once per method, with the method's own
    parameters (``_entry_source``), so a call costs one Python frame besides its body and no argument packing:
    the flag saying this thread is inside a call, the due-timer check (a read of the heap's head), the lock, the
    conversion of RtmError into the result, and the deliveries the call left.
    """
    nones = (None,) * (len(cast("type[NamedTuple]", result)._fields) - 1)

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        def fail(code: int) -> R:
            return _tuple_new(result, (code, *nones))

        namespace: dict[str, Any] = {"body": fn, "fail": fail, "RtmError": RtmError}
        params = list(inspect.signature(fn).parameters.values())
        for param in params:
            if param.default is not param.empty:
                namespace[f"_default_{param.name}"] = param.default
        exec(_entry_source(params, locked), namespace)  # our own text, made from the method's signature
        entry = cast(Callable[P, R], namespace["entry"])
        return functools.wraps(fn)(entry)

    return decorate


def _entry_source(params: list[inspect.Parameter], locked: bool) -> str:
    """The text of an API entry with the parameters of its method (all positional-or-keyword, as in C)."""
    if any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in params):
        raise TypeError("an API method takes positional-or-keyword parameters only")
    declared = ", ".join(p.name if p.default is p.empty else f"{p.name}=_default_{p.name}" for p in params)
    passed = ", ".join(p.name for p in params)
    call = f"with self._lock:\n                out = body({passed})" if locked else f"out = body({passed})"
    return f"""
def entry({declared}):
    tls = self._tls
    if tls.busy:  # a callback calling back in: timers and deliveries are the outer call's
        return self._reentered(body, fail, {locked}, ({passed},), {{}})
    tls.busy = True
    try:
        heap = self._timers.heap
        if heap:
            try:
                due = heap[0][0] <= self._clock.now_ms()
            except IndexError:  # emptied by the timer thread since the test above
                due = False
            if due:
                self._run_timers()
        try:
            {call}
        except RtmError as exc:
            out = fail(exc.code)
        if self._outbox:
            self._deliver()
        if self._armed is not None:
            self._wake_timers()
        return out
    finally:
        tls.busy = False  # always: a thread whose flag stayed set would never fire timers again (M-FAULTS)
"""


_NO_ERROR_RESULT = StatusResult(WinError.NO_ERROR)

#: Delivery modes (M-DELIVERY): ``auto`` is ``threads`` on a real-time clock and ``inline`` on a ManualClock.
DELIVERY_MODES = ("auto", "threads", "inline")


class Boundary(Mutations):
    """The entry of every call, the validation helpers the function groups share, and the manager's lifecycle."""

    def __init__(
        self,
        clock: Clock | None = None,
        config: RtmConfig | None = None,
        *,
        table_configs: Mapping[tuple[int, int], RtmConfig] | None = None,
        delivery: str = "auto",
    ) -> None:
        if delivery not in DELIVERY_MODES:
            raise ValueError(f"delivery must be one of {', '.join(DELIVERY_MODES)}, not {safe_repr(delivery)}")
        super().__init__(clock, config, table_configs=table_configs)
        if delivery == "threads" or (delivery == "auto" and self._clock.realtime):
            self._deliveries = Deliveries(self._run_posted, f"rtm-deliver-{id(self):x}")

    @property
    def clock(self) -> Clock:
        """The clock deadlines and timestamps come from."""
        return self._clock

    @property
    def config(self) -> RtmConfig:
        """The default configuration of the tables."""
        return self._config

    @property
    def delivery(self) -> str:
        """How callbacks are delivered now: ``"threads"`` (each entity's own delivery thread) or ``"inline"`` (on
        the calling thread, when the outermost call ends; also every closed manager) (M-DELIVERY)."""
        return "inline" if self._deliveries is None else "threads"

    def wait_for_deliveries(self, timeout: float | None = None) -> bool:
        """Wait until every queued callback has run; False on timeout, and at once when called from a delivery
        thread (it would wait for itself). Inline delivery has nothing queued between calls: True. ``timeout`` is
        None (no limit) or a number of seconds (a TypeError otherwise, a ValueError for NaN)."""
        if timeout is not None:
            if type(timeout) is not int and type(timeout) is not float:
                raise TypeError("timeout must be None or a number of seconds")
            if math.isnan(timeout):
                raise ValueError("timeout must not be NaN")
            timeout = max(0.0, min(timeout, threading.TIMEOUT_MAX))
        deliveries = self._deliveries
        return True if deliveries is None else deliveries.wait(timeout)

    def close(self) -> None:
        """Stop and join the timer thread and the delivery threads (after they ran what was queued). The tables
        stay usable: timers then run on calls only and callbacks are delivered inline."""
        with self._lock:
            self._closed = True
            thread, self._timer_thread = self._timer_thread, None
            deliveries = self._deliveries
        if thread is not None:
            thread.stop()
        if deliveries is not None:
            deliveries.close()
            with self._lock:
                self._deliveries = None

    def __enter__(self) -> Self:
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
                    record = holdings(ent)
                    if not record.holds_nothing:
                        live.append(record)
            return LeakReport(
                entities=tuple(live),
                deregistrations=tuple(self._dereg_records),
                diagnostics=tuple(self._diagnostics),
                diagnostics_dropped=self._diagnostics_dropped,
            )

    def check_invariants(self) -> None:
        """Check everything that must hold between calls over the whole model (indexes, best routes, reference
        counts, registrations); raise :class:`~v2model.RtmInternalError` naming the first broken one. Linear in
        the size of the tables: cheap enough for tests to call after every step."""
        with self._lock:
            check(self._tables.values(), self._open_handles)

    def _state_digest(self) -> tuple[Any, ...]:
        """The whole state as plain values (tests compare it around a call that must change nothing)."""
        with self._lock:
            credits = tuple(
                sorted(
                    (repr(e), tuple(sorted((repr(n), c) for n, c in cr.items()))) for e, cr in self._nh_credits.items()
                )
            )
            extra = (self._open_handles, len(self._timers), self._armed, len(self._dereg_records), credits)
            return digest(self._tables.values(), extra)

    def process_timers(self) -> int | None:
        """Run whatever is due on the clock now (as every API call does first); return the next deadline."""
        if not self._timers.heap and not self._outbox and self._armed is None and not self._tls.busy:
            return None  # nothing is due and nothing waits to be delivered: what the call below would find
        self._process_timers()
        with self._lock:
            return self._timers.next_deadline()

    @api(StatusResult)
    def _process_timers(self) -> StatusResult:
        """An API call that does nothing but what every call does first (due timers, then deliveries)."""
        return _NO_ERROR_RESULT

    def _reentered(
        self,
        fn: Callable[..., R],
        fail: Callable[[int], R],
        locked: bool,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> R:
        """A call made while this thread is already inside one (a callback calling back in): the outer call runs
        the timers and the deliveries; a call from a value's copy hook, mid-call, is refused (M-ESI)."""
        if self._tls.copying:
            return fail(WinError.ERROR_INVALID_PARAMETER)
        try:
            if locked:
                with self._lock:
                    return fn(*args, **kwargs)
            return fn(*args, **kwargs)
        except RtmError as exc:
            return fail(exc.code)

    def _wake_timers(self) -> None:
        """Start or wake the timer thread for the deadlines armed during the call (system clock only)."""
        with self._lock:
            deadline, self._armed = self._armed, None
            if deadline is None or self._closed:
                return
            thread = self._timer_thread
            if thread is None:
                thread = self._timer_thread = TimerThread(self.process_timers, name=f"rtm-timers-{id(self):x}")
                thread.configure(self._clock.now_ms)
                thread.start()
        thread.wake(deadline)

    def _deliver(self) -> None:
        """Run the outbox on the calling thread, outside the lock, until it stays empty (callbacks may add to it).
        The outbox is taken under the lock; an empty one is seen without it (a call that fills it later delivers
        it itself when it ends)."""
        while self._outbox:
            with self._lock:
                batch, self._outbox = self._outbox, []
            for item in batch:
                if type(item) is Notice:  # _run_delivery's first case, in line (a change notification, usually)
                    receiver = item.receiver
                    if receiver._alive and not receiver.deregistering and receiver.callback is not None:
                        self._run_callback(
                            receiver.callback, (receiver, item.event, item.context1, item.context2), item.event
                        )
                    if item.done is not None:
                        with self._lock:
                            item.done.tick()
                else:
                    self._run_delivery(item)

    def _run_posted(self, item: object) -> None:
        """What a delivery thread runs for each item of its FIFO: the delivery, then what it left behind."""
        self._run_delivery(item)
        if self._outbox:
            self._deliver()
        if self._armed is not None:
            self._wake_timers()

    def _run_delivery(self, item: object) -> None:
        """Deliver one item with no lock held: an event callback (skipped when the receiver left meanwhile), an
        RTM_ROUTE_EXPIRED (which takes its reference and applies its answer under the lock), or an internal step."""
        if type(item) is Notice:
            receiver = item.receiver
            if receiver._alive and not receiver.deregistering and receiver.callback is not None:
                self._run_callback(receiver.callback, (receiver, item.event, item.context1, item.context2), item.event)
            if item.done is not None:
                with self._lock:
                    item.done.tick()
        elif type(item) is Expiry:
            with self._lock:
                started = self._begin_expiry(item)
            if started is None:
                return
            owner, pointer = started
            assert owner.callback is not None
            answer = self._run_callback(
                owner.callback, (owner, RTM_ROUTE_EXPIRED, item.route, pointer), RTM_ROUTE_EXPIRED
            )
            with self._lock:
                self._end_expiry(item.route, owner, answer)
        else:
            with self._lock:
                cast(Step, item).action()

    def _run_callback(self, callback: Callable[..., Any], args: tuple[Any, ...], event: int) -> Any:
        """Call client code. What it raises is a bug of that client: it is recorded in the leak report's
        diagnostics and never reaches an unrelated caller (M-BINDING-5, M-FAULTS); None is returned."""
        tls = self._tls
        tls.event = event
        try:
            return callback(*args)
        except Exception as exc:
            with self._lock:
                self._diagnose(f"callback of {args[0]!r} raised {type(exc).__name__}: {safe_repr(exc)}")
            return None
        finally:
            tls.event = None

    def _forbidden_in(self, events: frozenset[int] | int) -> None:
        """Spec A-cbrules: refuse the documented forbidden calls inside callbacks."""
        event = self._tls.event
        if event is None:
            return
        if (event in events) if isinstance(events, frozenset) else event == events:
            raise RtmInvalidParameterError("this call is not allowed inside this callback")

    def _run_timers(self) -> None:
        """Fire everything due now (V2-A-ttl, V2-A-hold). An expiry to deliver inline is delivered at once, with no
        lock held, before the next deadline is fired; with delivery threads it was posted to the owner's."""
        now = self._clock.now_ms()
        while True:
            expiry: Expiry | None = None
            with self._lock:
                while expiry is None:
                    entry = self._timers.pop_due(now)
                    if entry is None:
                        return
                    expiry = self._fire(entry)
            self._run_delivery(expiry)

    def _entity(self, handle: Any) -> Entity:
        """The caller's registration handle: a live entity of this manager, the very object RtmRegisterEntity
        returned (M-HANDLES, M-ENTITY-KEY: the public handle others see of it never acts as it)."""
        try:
            if (
                type(handle) is Entity
                and handle._token == id(handle)
                and handle._alive
                and not handle.deregistering
                and handle._table.manager is self
            ):
                return handle
        except AttributeError:  # made with __new__: no slot is set
            pass
        raise RtmInvalidHandleError("not a registered entity handle")

    @staticmethod
    def _obj(ent: Entity, handle: Any, kind: type[Handle]) -> Any:
        """A live handle of ``kind`` from the caller's table, the very object the manager handed out (M-HANDLES)."""
        try:
            if type(handle) is kind and handle._token == id(handle) and handle._alive and handle._table is ent._table:
                return handle
        except AttributeError:
            pass
        raise RtmInvalidHandleError(f"not a valid {kind.kind} handle")

    @staticmethod
    def _other_entity(ent: Entity, handle: Any) -> Entity:
        """An entity named as an argument, by its public handle or its registration handle (M-ENTITY-KEY): live,
        not deregistering, in the caller's table."""
        try:
            kind = type(handle)
            if kind is EntityHandle and handle._token == id(handle):
                other = handle._entity
            elif kind is Entity and handle._token == id(handle):
                other = handle
            else:
                other = None
            if other is not None and other._alive and not other.deregistering and other._table is ent._table:
                return cast(Entity, other)
        except AttributeError:
            pass
        raise RtmInvalidHandleError("not a valid entity handle")

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
        """TargetViews of a query: unsupported bits are ignored (V2-A-viewmask)."""
        return ulong(views, "TargetViews") & table.views_supported

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

    @staticmethod
    def _own_notify(ent: Entity, handle: Any) -> NotifyReg:
        """A live change-notification registration of the caller (``_obj`` and the owner, in one expression)."""
        try:
            if type(handle) is NotifyReg and handle._token == id(handle) and handle._alive and handle.owner is ent:
                return handle
        except AttributeError:  # made with __new__
            pass
        reg = cast(NotifyReg, Boundary._obj(ent, handle, NotifyReg))  # raises ERROR_INVALID_HANDLE, saying why
        if reg.owner is not ent:
            raise RtmInvalidHandleError("not a notification registration of the caller")
        return reg

    def _own_list(self, ent: Entity, handle: Any) -> RouteList:
        rlist = cast(RouteList, self._obj(ent, handle, RouteList))
        if rlist.owner is not ent:
            raise RtmInvalidHandleError("not a route list of the caller")
        return rlist
