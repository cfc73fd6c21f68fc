"""The records of a trace-v1 file (header, call, advance, event, note), their JSON form, and TraceError.

A trace is JSON Lines (https://jsonlines.org): one record per line, the header first. Records are plain data; the
schema ``rtmcompat/schemas/trace-v1.json`` describes each line, and docs/behaviour.md (M-TRACE-*) the decisions
behind the encoding. Records are immutable and compact (decoded values, no JSON kept), so a million-call trace is
held once.
"""

from __future__ import annotations

import json
from typing import Any, Final, TypeAlias

import attrs

from ._trace_codec import PARAMS, RESULTS, encode_out, encode_status, encode_value

FORMAT: Final = "rtmcompat-trace"
VERSION: Final = 1
API: Final = "rtmv1"
CLOCK_KINDS: Final = ("manual", "system", "none")


class TraceError(ValueError):
    """A trace that cannot be read: the message names the source, the line, the field and what was expected.

    ``line`` is the 1-based line number (None when the whole source is at fault), ``field`` the JSON path of the
    offending value within the record (None when the line as a whole is).
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None, field: str | None = None):
        where = f"{source}:" if source else ""
        where += f"line {line}: " if line is not None else (" " if source else "")
        super().__init__(f"{where}{message}")
        self.source = source
        self.line = line
        self.field = field


@attrs.frozen
class Header:
    """The first record: what recorded the trace, the protocol priorities, and the clock.

    ``clock`` is ``manual`` (a ManualClock: ``start_ms`` is its time when recording began), ``system`` (the system
    clock: ``start_ms`` monotonic, ``start_filetime`` the UTC time then) or ``none`` (no clock known: calls carry
    no time). ``mapping_log`` is True for a header made up for a JSON mapping log, which has none.
    """

    recorder: dict[str, Any] = attrs.field(factory=dict)
    protocol_priority: dict[int, int] = attrs.field(factory=dict)
    clock: str = "manual"
    start_ms: int | None = 0
    start_filetime: int | None = None
    line: int = 1
    mapping_log: bool = False


@attrs.frozen
class Call:
    """One v1 call: ``call`` is its 1-based index among the call records; ``args`` the decoded in-parameters in C
    order (handles as their names); ``status`` and ``out`` (the result fields after status, or None when the source
    did not record them) what the recorded backend returned; ``time_ms`` the clock when the call was made."""

    call: int
    function: str
    args: tuple[Any, ...]
    status: int
    out: tuple[Any, ...] | None = None
    seq: int | None = None
    thread: str | None = None
    time_ms: int | None = None
    line: int = 0
    reason: str | None = None


@attrs.frozen
class Advance:
    """Virtual time moved forward by ``ms`` milliseconds."""

    ms: int
    line: int = 0


@attrs.frozen
class Event:
    """A client's change event was set (``is_set`` True) or reset, as seen after the preceding call."""

    client: str
    is_set: bool
    line: int = 0


@attrs.frozen
class Note:
    """Free text for people (what the recorder could not record, where a trace came from)."""

    text: str
    line: int = 0


Record: TypeAlias = Header | Call | Advance | Event | Note


def _name(value: Any) -> str:
    return str(value)


def args_json(function: str, args: tuple[Any, ...]) -> dict[str, Any]:
    """A call's in-parameters in trace JSON (handles as their names)."""
    params = PARAMS[function]
    family = args[0] if params and params[0][0] == "ProtocolFamily" else None
    return {
        name: encode_value(kind, value, name, _name, family) for (name, kind), value in zip(params, args, strict=True)
    }


def out_json(function: str, out: tuple[Any, ...] | None) -> dict[str, Any] | None:
    """A call's result fields after status in trace JSON (None stays None: the source did not record them)."""
    if out is None:
        return None
    return {
        name: encode_out(kind, value, name, _name) for (name, kind), value in zip(RESULTS[function], out, strict=True)
    }


def result_json(function: str, status: int, out: tuple[Any, ...] | None) -> dict[str, Any]:
    """A result as the trace writes it: ``{"status": {"value", "name"}, "out": {...} | None}``."""
    return {"status": encode_status(function, status), "out": out_json(function, out)}


def record_json(record: Record) -> dict[str, Any]:
    """A record as the JSON object of its trace line."""
    if isinstance(record, Call):
        line: dict[str, Any] = {"type": "call"}
        if record.seq is not None:
            line["seq"] = record.seq
        if record.thread is not None:
            line["thread"] = record.thread
        if record.time_ms is not None:
            line["time_ms"] = record.time_ms
        line["function"] = record.function
        line["args"] = args_json(record.function, record.args)
        line.update(result_json(record.function, record.status, record.out))
        if line["out"] is None:
            del line["out"]
        if record.reason is not None:
            line["reason"] = record.reason
        return line
    if isinstance(record, Header):
        header: dict[str, Any] = {
            "type": "header",
            "format": FORMAT,
            "version": VERSION,
            "api": API,
            "recorder": dict(record.recorder),
            "protocol_priority": {str(k): v for k, v in sorted(record.protocol_priority.items())},
            "clock": {"kind": record.clock},
        }
        if record.start_ms is not None:
            header["clock"]["start_ms"] = record.start_ms
        if record.start_filetime is not None:
            header["clock"]["start_filetime"] = str(record.start_filetime)
        return header
    if isinstance(record, Advance):
        return {"type": "advance", "ms": record.ms}
    if isinstance(record, Event):
        return {"type": "event", "client": record.client, "state": "set" if record.is_set else "reset"}
    return {"type": "note", "text": record.text}


def dumps(record: Record | dict[str, Any]) -> str:
    """One trace line (without the newline): compact JSON, UTF-8 text kept as is."""
    data = record if isinstance(record, dict) else record_json(record)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)
