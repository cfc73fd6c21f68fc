"""Traces of v1 workloads: record any V1Api, read and validate trace files and mapping logs, replay them.

A trace is JSON Lines (``.jsonl``), one record per line, described by the JSON Schema shipped as
``rtmcompat/schemas/trace-v1.json`` (Draft 2020-12)::

    {"type":"header","format":"rtmcompat-trace","version":1,"api":"rtmv1","recorder":{...},
     "protocol_priority":{"8":120},"clock":{"kind":"manual","start_ms":0}}
    {"type":"call","seq":1,"thread":"MainThread","time_ms":0,"function":"RtmRegisterClient",
     "args":{"ProtocolFamily":{"value":1,"names":["RTM_PROTOCOL_FAMILY_IP"]},...},
     "status":{"value":0,"name":"NO_ERROR"},"out":{"ClientHandle":"client:RIP#1"}}
    {"type":"advance","ms":30000}
    {"type":"event","client":"client:RIP#1","state":"set"}
    {"type":"note","text":"..."}

Handles are symbolic names bound by the call that returned them; structures are objects of their C fields (zero
fields left out); addresses are dotted quads; flags and enums ``{"value", "names"}``; FILETIMEs decimal strings.
A JSON mapping log of V1Shim (one ``rtm.v1_call`` event per line) reads as a trace too. The decisions behind the
format are M-TRACE-* in docs/behaviour.md.

>>> import v2model, rtmcompat
>>> from rtmcompat.trace import Recorder, read, replay
>>> clock = v2model.ManualClock()
>>> with Recorder(rtmcompat.V1Reference(clock=clock), "workload.jsonl") as api:  # doctest: +SKIP
...     status, client = api.RtmRegisterClient(rtmcompat.RTM_PROTOCOL_FAMILY_IP, rtmcompat.PROTO_IP_RIP)
>>> shim = rtmcompat.V1Shim(v2model.RoutingTableManager(clock=v2model.ManualClock()))
>>> items = replay(read("workload.jsonl"), shim)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO, Any, NamedTuple

from ._recorder import Recorder
from ._replay import Session, clock_for, find_clock
from ._trace_reader import iter_records, read
from ._trace_records import Advance, Call, Event, Header, Note, Record, TraceError, dumps, record_json, result_json

__all__ = [
    "Advance",
    "Call",
    "Event",
    "Header",
    "Note",
    "Record",
    "Recorder",
    "ReplayItem",
    "TraceError",
    "iter_records",
    "new_clock",
    "read",
    "record_json",
    "replay",
    "write",
]


class ReplayItem(NamedTuple):
    """One replayed call: its 1-based index among the call records, and the recorded and observed results in
    the trace's JSON form (``{"status": {"value", "name"}, "out": {...}}``, handles as symbolic names), so equal
    behaviour compares equal. ``recorded["out"]`` is None when the source did not record outputs (an older mapping
    log); ``observed`` has a ``raised`` key when the method raised instead of returning."""

    call: int
    recorded: dict[str, Any]
    observed: dict[str, Any]


def replay(records: Iterable[Record], api: Any, clock: Any = None) -> list[ReplayItem]:
    """Drive ``api`` with the trace's calls, binding symbolic handles, and return one item per call record.

    ``clock`` is the ManualClock to advance at ``advance`` records and to each call's recorded time (default: the
    clock ``api`` shows as ``api.clock`` or ``api.rtm.clock``, when it can be advanced). The records are consumed
    one at a time, so an :func:`iter_records` stream replays without holding the trace.
    """
    session: Session | None = None
    items: list[ReplayItem] = []
    for record in records:
        if isinstance(record, Header):
            session = Session(api, clock if clock is not None else find_clock(api), record)
            continue
        if session is None:
            session = Session(api, clock if clock is not None else find_clock(api), None)
        if isinstance(record, Advance):
            session.advance(record.ms)
        elif isinstance(record, Call):
            observed = session.call(record)
            items.append(
                ReplayItem(
                    record.call,
                    result_json(record.function, record.status, record.out),
                    observed.json(record.function),
                )
            )
    return items


def write(records: Iterable[Record], sink: str | os.PathLike[str] | IO[str]) -> None:
    """Write records as a trace file (a path, or a text file object left open)."""
    if isinstance(sink, str | os.PathLike):
        with open(sink, "w", encoding="utf-8", newline="\n") as handle:
            write(records, handle)
        return
    for record in records:
        sink.write(dumps(record) + "\n")


def new_clock(header: Header) -> Any:
    """A ManualClock positioned where a trace's recording began (what compare and the replay command use)."""
    return clock_for(header)
