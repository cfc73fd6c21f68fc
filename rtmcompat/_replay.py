"""Driving one V1Api with a trace's calls: symbolic handle names bound to real handles, fresh events, the clock.

A :class:`Session` is what a replay keeps for one backend. A name a call's recorded result gave (``client:RIP#1``)
is bound to the handle the backend returned for that call, so later calls naming it pass that handle; a name that
is not bound (the backend failed where the recording succeeded, or a ``foreign:`` name) is passed as an object no
API accepts, which gives ERROR_INVALID_HANDLE as a stale handle would. Every ChangeEvent becomes a fresh
``threading.Event`` whose state the session can report. Time: each call waits on the clock for its ``time_ms``,
and ``advance`` records move the clock (M-TRACE-TIME in docs/behaviour.md).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from typing import Any, NamedTuple

import attrs

from v2model import FILETIME_UNIX_EPOCH, ManualClock

from ._handles import protocol_name
from ._trace_codec import BAD_EVENT, EVENT, PARAMS, RESULTS
from ._trace_records import Call, Header, result_json
from ._v1types import RTM_IP_ROUTE, RTM_IPX_ROUTE

_TICKS_PER_MS = 10_000


class Unbound:
    """Stands for a handle name the backend never returned: no API accepts it (M-TRACE-HANDLES)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<unbound {self.name}>"


class _NotAnEvent:
    """A ChangeEvent recorded as ``<invalid event>``: it has neither set() nor clear()."""

    def __repr__(self) -> str:
        return "<invalid event>"


class Observed(NamedTuple):
    """What a backend returned for one call: the status and the result fields after it (handles as their names),
    or ``raised`` (the exception's type and message) when the method raised instead of returning."""

    status: int | None
    out: tuple[Any, ...] | None
    raised: str | None = None

    def json(self, function: str) -> dict[str, Any]:
        """The trace's JSON form of the result (``raised`` added when the method raised)."""
        if self.raised is not None or self.status is None:
            return {"status": None, "out": None, "raised": self.raised}
        return result_json(function, self.status, self.out)


def recorded(call: Call) -> Observed:
    """The result a call record holds, in the same shape as an observed one."""
    return Observed(call.status, call.out)


def same(call: Call, observed: Observed, stamp_tolerance: int = 0) -> bool:
    """Whether the backend returned what the trace recorded (only the status when the trace has no outputs).
    ``stamp_tolerance`` (FILETIME ticks) lets route timestamps differ that much: a system-clock recording replays
    its times only to the millisecond (M-TRACE-TIME)."""
    if observed.raised is not None or observed.status != call.status:
        return False
    if call.out is None or call.out == observed.out:
        return True
    if not stamp_tolerance or observed.out is None or len(call.out) != len(observed.out):
        return False
    return all(_close(a, b, stamp_tolerance) for a, b in zip(call.out, observed.out, strict=True))


def _close(recorded: Any, observed: Any, tolerance: int) -> bool:
    if recorded == observed:
        return True
    if type(recorded) not in (RTM_IP_ROUTE, RTM_IPX_ROUTE) or type(observed) is not type(recorded):
        return False
    if abs(recorded.RR_TimeStamp - observed.RR_TimeStamp) > tolerance:
        return False
    return bool(attrs.evolve(recorded, RR_TimeStamp=0) == attrs.evolve(observed, RR_TimeStamp=0))


def clock_for(header: Header) -> ManualClock:
    """A ManualClock at the time the recording began, so replayed timestamps are the recorded ones. A system-clock
    recording starts at its UTC start time (FILETIMEs then match to the millisecond)."""
    if header.clock == "system" and header.start_filetime is not None:
        return ManualClock(max(0, (header.start_filetime - FILETIME_UNIX_EPOCH) // _TICKS_PER_MS))
    return ManualClock(header.start_ms or 0)


def find_clock(api: Any) -> Any:
    """The clock a backend runs on, if it shows one: ``V1Reference.clock`` or ``V1Shim.rtm.clock``."""
    clock = getattr(api, "clock", None)
    if clock is None:
        clock = getattr(getattr(api, "rtm", None), "clock", None)
    return clock


class Session:
    """One backend being replayed: bindings, events and the clock."""

    def __init__(self, api: Any, clock: Any, header: Header | None) -> None:
        self.api = api
        #: The clock moved by the replay, or None when it cannot be moved (time records are then ignored).
        self.clock = clock if callable(getattr(clock, "advance", None)) else None
        self._objects: dict[str, Any] = {}
        self._names: dict[int, tuple[Any, str]] = {}
        #: Client name -> the event given at its registration.
        self.events: dict[str, threading.Event] = {}
        self._pending: deque[Any] = deque()
        self._fresh = itertools.count(1)
        self.offset = 0
        start = header.start_ms if header is not None and header.clock != "none" else None
        if self.clock is not None and start is not None:
            now = self.clock.now_ms()
            if now < start:
                self.clock.advance(start - now)
                now = start
            self.offset = now - start

    # --- time -----------------------------------------------------------------------------------------------

    def advance(self, ms: int) -> None:
        """An ``advance`` record."""
        if self.clock is not None and ms:
            self.clock.advance(ms)

    def at(self, time_ms: int | None) -> None:
        """Move the clock to a call's recorded time (never back)."""
        if self.clock is None or time_ms is None:
            return
        target = time_ms + self.offset
        now = self.clock.now_ms()
        if target > now:
            self.clock.advance(target - now)

    # --- handles --------------------------------------------------------------------------------------

    def handle(self, name: str, kind: str) -> Any:
        """The backend's handle for a name (an :class:`Unbound` when it has none)."""
        found = self._objects.get(name)
        if found is not None:
            return found
        if kind == "enum" and self._pending and name.startswith("<enum#"):
            # An old mapping log: its enumeration handles are named where first used, in creation order.
            obj = self._pending.popleft()
            self._bind(name, obj)
            return obj
        return Unbound(name)

    def name_of(self, obj: Any) -> str | None:
        """The name a handle object is bound to."""
        entry = self._names.get(id(obj))
        return entry[1] if entry is not None and entry[0] is obj else None

    def _bind(self, name: str, obj: Any) -> None:
        self._objects[name] = obj
        self._names[id(obj)] = (obj, name)

    def _new_name(self, kind: str, call: Call, wanted: Any) -> str:
        if isinstance(wanted, str) and wanted not in self._objects:
            return wanted
        serial = f"unrecorded-{next(self._fresh)}"
        if kind == "client":
            family, protocol = call.args[0], call.args[1]
            label = protocol_name(family, protocol) if type(protocol) is int else "?"
            return f"client:{label}#{serial}"
        return f"enum#{serial}"

    # --- calls ----------------------------------------------------------------------------------------

    def arguments(self, call: Call) -> tuple[list[Any], Any]:
        """The API arguments of a call, and the event created for it (if any)."""
        args: list[Any] = []
        event: Any = None
        for (_name, kind), given in zip(PARAMS[call.function], call.args, strict=True):
            value = given
            if isinstance(given, str) and kind in ("client", "enum"):
                value = self.handle(given, kind)
            elif given is EVENT:
                value = event = threading.Event()
            elif given is BAD_EVENT:
                value = _NotAnEvent()
            args.append(value)
        return args, event

    def call(self, call: Call) -> Observed:
        """Make one call on the backend and name what it returned."""
        self.at(call.time_ms)
        args, event = self.arguments(call)
        try:
            result = getattr(self.api, call.function)(*args)
            status = int(result[0])
            values = tuple(result[1:])
        except Exception as exc:
            return Observed(None, None, f"{type(exc).__name__}: {exc}")
        fields = RESULTS[call.function]
        if len(values) != len(fields):
            return Observed(None, None, f"returned {len(values) + 1} fields, not {len(fields) + 1}")
        out: list[Any] = []
        for index, ((_field, kind), returned) in enumerate(zip(fields, values, strict=True)):
            value = returned
            if kind in ("client", "enum") and returned is not None:
                name = self.name_of(returned)
                if name is None:
                    wanted = call.out[index] if call.out is not None else None
                    name = self._new_name(kind, call, wanted)
                    self._bind(name, returned)
                    if call.out is None and kind == "enum":
                        self._pending.append(returned)
                if kind == "client" and event is not None:
                    self.events[name] = event
                value = name
            out.append(value)
        return Observed(status, tuple(out))

    def event_states(self) -> dict[str, bool]:
        """Whether each client's event is set, by client name."""
        return {name: event.is_set() for name, event in self.events.items()}
