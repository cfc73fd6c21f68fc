"""Recorder: wraps any V1Api and writes every call, with its results, as a trace-v1 line.

The recorder holds a lock around forwarding a call and writing its line, so the trace lists calls in the order
they took effect even when several threads call (the lock is taken before the API's own; nothing else is held
across user code). Handles are named by the recorder (``client:RIP#1``, ``enum#2``: one serial counter per
trace), events are polled after each call and written as ``event`` records when their state changed. A call
with an argument no C caller could pass (a negative TimeToLive, a string where a route goes) is written as a
``note`` instead of a call: such a call fails without changing the table (bad input never does), so leaving it
out keeps the trace replayable and loses only its status (M-TRACE-RECORDER in docs/behaviour.md).
"""

from __future__ import annotations

import os
import threading
from typing import IO, Any

from . import __version__
from ._replay import find_clock
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
from ._trace_codec import (
    FOREIGN_PREFIX,
    PARAMS,
    RESULTS,
    UnrepresentableError,
    client_name,
    encode_out,
    encode_status,
    encode_value,
    enum_name,
    shorten,
)
from ._trace_records import Advance, Header, Note, dumps, record_json


class Recorder:
    """Forwards every v1 call to ``api``, returns its result unchanged, and writes the call to ``sink``.

    ``sink`` is a path (opened, and closed by :meth:`close`) or a text file object (left open). ``clock`` is the
    ManualClock the workload runs on (default: ``api.clock`` or ``api.rtm.clock``); ``protocol_priority`` the
    priorities the backend was built with, written into the header so a replay rebuilds backends alike.
    """

    def __init__(
        self,
        api: Any,
        sink: str | os.PathLike[str] | IO[str],
        *,
        clock: Any = None,
        protocol_priority: dict[int, int] | None = None,
    ) -> None:
        self._api = api
        self._clock = clock if clock is not None else find_clock(api)
        if isinstance(sink, str | os.PathLike):
            self._sink: IO[str] = open(sink, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            self._owned = True
        elif callable(getattr(sink, "write", None)):
            self._sink = sink
            self._owned = False
        else:
            raise TypeError(f"sink must be a path or a text file object, not {type(sink).__name__}")
        self._lock = threading.RLock()
        self._seq = 0
        self._serial = 0
        self._names: dict[int, tuple[Any, str]] = {}
        #: [client name, event object, state last written]
        self._events: list[list[Any]] = []
        self._closed = False
        priority = dict(protocol_priority or {})
        clock_kind, start, filetime = self._clock_header()
        recorder = {"tool": "rtmcompat", "version": __version__, "backend": type(api).__name__}
        self._write(record_json(Header(recorder, priority, clock_kind, start, filetime)))

    def _clock_header(self) -> tuple[str, int | None, int | None]:
        clock = self._clock
        if clock is None:
            return "none", None, None
        start = int(clock.now_ms())
        if getattr(clock, "realtime", False):
            return "system", start, int(clock.filetime())
        return "manual", start, None

    # --- writing ------------------------------------------------------------------------------------------

    def _write(self, data: dict[str, Any]) -> None:
        if self._closed:
            raise ValueError("the recorder is closed")
        self._sink.write(dumps(data) + "\n")

    def _name_of(self, obj: Any) -> str:
        entry = self._names.get(id(obj))
        if entry is not None and entry[0] is obj:
            return str(entry[1])
        return FOREIGN_PREFIX + shorten(obj, 150)

    def _name_new(self, obj: Any, kind: str, args: tuple[Any, ...]) -> None:
        if obj is None or self._names.get(id(obj), (None,))[0] is obj:
            return
        self._serial += 1
        name = client_name(args[0], args[1], self._serial) if kind == "client" else enum_name(self._serial)
        self._names[id(obj)] = (obj, name)

    def _record(self, function: str, args: tuple[Any, ...]) -> Any:
        with self._lock:
            if self._closed:
                raise ValueError("the recorder is closed")
            params = PARAMS[function]
            time_ms = int(self._clock.now_ms()) if self._clock is not None else None
            family = args[0] if params[0][0] == "ProtocolFamily" else None
            try:
                encoded: dict[str, Any] | None = {
                    name: encode_value(kind, value, name, self._name_of, family)
                    for (name, kind), value in zip(params, args, strict=True)
                }
                why = ""
            except UnrepresentableError as exc:
                encoded, why = None, str(exc)
            result = getattr(self._api, function)(*args)
            self._seq += 1
            status = int(result[0])
            if encoded is None:
                self._write(
                    record_json(
                        Note(
                            f"call {self._seq} ({function}) not recorded: {why}; no C caller can pass it, and the "
                            f"call returned {encode_status(function, status)['name']} without changing the table"
                        )
                    )
                )
                return result
            fields = RESULTS[function]
            for (_field, kind), value in zip(fields, result[1:], strict=True):
                if kind in ("client", "enum"):
                    self._name_new(value, kind, args)
            try:
                out = {
                    name: encode_out(kind, value, name, self._name_of)
                    for (name, kind), value in zip(fields, result[1:], strict=True)
                }
            except UnrepresentableError as exc:
                self._write(record_json(Note(f"call {self._seq} ({function}): result not recorded: {exc}")))
                return result
            line: dict[str, Any] = {"type": "call", "seq": self._seq, "thread": threading.current_thread().name}
            if time_ms is not None:
                line["time_ms"] = time_ms
            line.update(function=function, args=encoded, status=encode_status(function, status), out=out)
            self._write(line)
            if function == "RtmRegisterClient" and result[1] is not None and args[2] is not None:
                self._events.append([out["ClientHandle"], args[2], False])
            self._poll_events()
            return result

    def _poll_events(self) -> None:
        for entry in self._events:
            name, event, last = entry
            try:
                state = bool(event.is_set())
            except Exception:
                continue  # an event object without is_set(): nothing to report
            if state != last:
                entry[2] = state
                self._write({"type": "event", "client": name, "state": "set" if state else "reset"})

    # --- the recorder's own methods -----------------------------------------------------------------------

    def advance(self, ms: int) -> None:
        """Advance the clock by ``ms`` milliseconds and record it."""
        with self._lock:
            if type(ms) is not int or ms < 0:
                raise ValueError("ms must be a non-negative int")
            if not callable(getattr(self._clock, "advance", None)):
                raise TypeError("advance() needs a clock that can be advanced (a v2model.ManualClock)")
            self._clock.advance(ms)
            self._write(record_json(Advance(ms)))

    def note(self, text: str) -> None:
        """Write a note record (free text for people)."""
        with self._lock:
            self._write(record_json(Note(str(text))))

    def close(self) -> None:
        """Flush the trace, and close the sink if the recorder opened it. Closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._sink.flush()
            finally:
                if self._owned:
                    self._sink.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the v1 API ---------------------------------------------------------------------------------------

    def RtmRegisterClient(  # noqa: N802
        self,
        ProtocolFamily: int,  # noqa: N803
        RoutingProtocol: int,  # noqa: N803
        ChangeEvent: Any = None,  # noqa: N803
        Flags: int = 0,  # noqa: N803
    ) -> RegisterClientResult:
        """Forwarded and recorded."""
        result: RegisterClientResult = self._record(
            "RtmRegisterClient", (ProtocolFamily, RoutingProtocol, ChangeEvent, Flags)
        )
        return result

    def RtmDeregisterClient(self, ClientHandle: Any) -> StatusResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: StatusResult = self._record("RtmDeregisterClient", (ClientHandle,))
        return result

    def RtmDequeueRouteChangeMessage(self, ClientHandle: Any) -> ChangeMessageResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: ChangeMessageResult = self._record("RtmDequeueRouteChangeMessage", (ClientHandle,))
        return result

    def RtmAddRoute(self, ClientHandle: Any, Route: V1Route, TimeToLive: int) -> ChangeMessageResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: ChangeMessageResult = self._record("RtmAddRoute", (ClientHandle, Route, TimeToLive))
        return result

    def RtmDeleteRoute(self, ClientHandle: Any, Route: V1Route) -> DeleteRouteResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: DeleteRouteResult = self._record("RtmDeleteRoute", (ClientHandle, Route))
        return result

    def RtmIsRoute(self, ProtocolFamily: int, Network: Any) -> IsRouteResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: IsRouteResult = self._record("RtmIsRoute", (ProtocolFamily, Network))
        return result

    def RtmGetNetworkCount(self, ProtocolFamily: int) -> NetworkCountResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: NetworkCountResult = self._record("RtmGetNetworkCount", (ProtocolFamily,))
        return result

    def RtmGetRouteAge(self, Route: V1Route) -> RouteAgeResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: RouteAgeResult = self._record("RtmGetRouteAge", (Route,))
        return result

    def RtmCreateEnumerationHandle(  # noqa: N802
        self,
        ProtocolFamily: int,  # noqa: N803
        EnumerationFlags: int,  # noqa: N803
        CriteriaRoute: V1Route | None = None,  # noqa: N803
    ) -> EnumerationHandleResult:
        """Forwarded and recorded."""
        result: EnumerationHandleResult = self._record(
            "RtmCreateEnumerationHandle", (ProtocolFamily, EnumerationFlags, CriteriaRoute)
        )
        return result

    def RtmEnumerateGetNextRoute(self, EnumerationHandle: Any) -> RouteResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: RouteResult = self._record("RtmEnumerateGetNextRoute", (EnumerationHandle,))
        return result

    def RtmCloseEnumerationHandle(self, EnumerationHandle: Any) -> StatusResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: StatusResult = self._record("RtmCloseEnumerationHandle", (EnumerationHandle,))
        return result

    def RtmBlockDeleteRoutes(  # noqa: N802
        self,
        ClientHandle: Any,  # noqa: N803
        EnumerationFlags: int,  # noqa: N803
        CriteriaRoute: V1Route | None = None,  # noqa: N803
    ) -> StatusResult:
        """Forwarded and recorded."""
        result: StatusResult = self._record("RtmBlockDeleteRoutes", (ClientHandle, EnumerationFlags, CriteriaRoute))
        return result

    def RtmGetFirstRoute(  # noqa: N802
        self,
        ProtocolFamily: int,  # noqa: N803
        EnumerationFlags: int,  # noqa: N803
        Route: V1Route | None = None,  # noqa: N803
    ) -> RouteResult:
        """Forwarded and recorded."""
        result: RouteResult = self._record("RtmGetFirstRoute", (ProtocolFamily, EnumerationFlags, Route))
        return result

    def RtmGetNextRoute(self, ProtocolFamily: int, EnumerationFlags: int, Route: V1Route) -> RouteResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: RouteResult = self._record("RtmGetNextRoute", (ProtocolFamily, EnumerationFlags, Route))
        return result

    def RtmGetSpecificRoute(self, ProtocolFamily: int, Route: V1Route) -> RouteResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: RouteResult = self._record("RtmGetSpecificRoute", (ProtocolFamily, Route))
        return result

    def RtmLookupIPDestination(self, DestAddress: int) -> LookupResult:  # noqa: N802, N803
        """Forwarded and recorded."""
        result: LookupResult = self._record("RtmLookupIPDestination", (DestAddress,))
        return result
