"""What a trace does when replayed: the known differences it hits, and what only a running table shows.

Two replays per trace (M-PLAN-REPLAY):

* ``rtmcompat compare``'s lockstep replay on V1Reference and V1Shim classifies every difference against the
  known-differences registry; the plan counts them by id (the difference itself, and the differences that follow
  from it), and the unexpected ones;
* a replay on V1Shim with a mapping logger that keeps the shim's events (M-LOG-TRACE) shows what a call record does
  not: routes that aged out (``rtm.v1_aging``), the routes a deregistration still had to delete (the
  ``RtmDeleteRouteToDest`` calls the shim made for it), and whether the caller's event is set after a block
  delete. Routes age at the next call, as in v1, so a trace that ends before a route's deadline is reached by a call
  shows no aging for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import attrs

import v2model

from ._plan_traces import Hits
from ._registry import Registry, default_registry
from ._replay import Session, clock_for
from ._shim import V1Shim
from ._trace_records import Advance, Call, Header, Record
from .compare import compare_trace

#: Differences compare keeps per trace for the plan (all are counted; the call indices come from the kept ones).
MAX_DIFFERENCES: Final = 100_000


@attrs.define
class DifferenceUse:
    """One known difference in one trace."""

    id: str
    #: The registry's kind: ``expected`` (documented v1/v2 semantics) or ``todo`` (a known shim bug).
    kind: str
    title: str
    migration: str | None
    #: The differences classified under the id (not their consequences).
    hits: Hits = attrs.field(factory=Hits)
    #: Differences that follow from one of them.
    consequences: int = 0
    #: The v1 function of the first hit.
    function: str | None = None


@attrs.define
class Replayed:
    """What the replays of one trace showed."""

    verdict: str = "identical"
    differences: dict[str, DifferenceUse] = attrs.field(factory=dict)
    unexpected: Hits = attrs.field(factory=Hits)
    #: Todo entries whose bug no longer shows (compare reports them as unexpected, marked fixed).
    fixed: list[str] = attrs.field(factory=list)
    #: Paths observed by the shim replay: aged-out, deregister-with-routes, block-delete-notifies-caller.
    paths: dict[str, Hits] = attrs.field(factory=dict)
    error: str | None = None


def replay(records: Sequence[Record], path: str, registry: Registry | None = None) -> Replayed:
    """Both replays of one trace (records as :func:`rtmcompat.trace.read` returns them)."""
    chosen = registry or default_registry()
    result = Replayed()
    _compare(records, path, chosen, result)
    try:
        _shim(records, result)
    except Exception as exc:  # a bug, not the trace's fault (it was validated): report it, keep the rest
        result.error = f"internal error replaying on V1Shim: {type(exc).__name__}: {exc}"
    return result


def _compare(records: Sequence[Record], path: str, registry: Registry, result: Replayed) -> None:
    entries = {entry.id: entry for entry in registry.entries}
    try:
        compared = compare_trace(
            records, path=path, registry=registry, tables_around=False, max_differences=MAX_DIFFERENCES
        )
    except Exception as exc:  # as above: compare's own command reports these the same way
        result.verdict = "error"
        result.error = f"internal error comparing: {type(exc).__name__}: {exc}"
        return
    result.verdict = compared.verdict
    if compared.error is not None:
        result.error = compared.error
    for difference in compared.differences:
        if difference.kind in ("expected", "todo") and difference.id is not None:
            entry = entries.get(difference.id)
            use = result.differences.get(difference.id)
            if use is None:
                use = result.differences[difference.id] = DifferenceUse(
                    difference.id,
                    entry.kind if entry is not None else difference.kind,
                    entry.title if entry is not None else difference.id,
                    entry.anchor if entry is not None else None,
                    function=difference.function,
                )
            use.hits.add(difference.call)
        elif difference.kind == "consequence" and difference.id is not None:
            use = result.differences.get(difference.id)
            if use is not None:
                use.consequences += 1
        elif difference.kind == "unexpected":
            result.unexpected.add(difference.call)
            if difference.fixed and difference.id is not None:
                result.fixed.append(difference.id)
    if compared.omitted:
        result.error = (
            f"more than {MAX_DIFFERENCES} differences: the counts by id cover the first {MAX_DIFFERENCES} "
            f"({compared.omitted} more)"
        )


class _Capture:
    """A mapping logger that keeps what V1Shim emits (one ``rtm.v1_call`` event per call, ``rtm.v1_aging`` per
    aging pass) until it is read."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def info(self, event: str, **fields: Any) -> None:
        """One event of the mapping log."""
        self.events.append((event, fields))


def _deleted(fields: dict[str, Any]) -> int:
    """How many routes the shim deleted for one v1 call (its RtmDeleteRouteToDest calls that did not fail)."""
    return sum(
        int(item.get("count", 0)) - int(item.get("failed", 0))
        for item in fields.get("v2", ())
        if item.get("call") == "RtmDeleteRouteToDest"
    )


def _shim(records: Sequence[Record], result: Replayed) -> None:
    header = records[0] if records and isinstance(records[0], Header) else None
    if header is None:
        return
    clock = clock_for(header)
    rtm = v2model.RoutingTableManager(clock=clock)
    capture = _Capture()
    shim = V1Shim(rtm, mapping_logger=capture, protocol_priority=dict(header.protocol_priority))
    session = Session(shim, clock, header)
    paths = result.paths
    try:
        for record in records:
            if isinstance(record, Advance):
                session.advance(record.ms)
            elif isinstance(record, Call):
                capture.events.clear()
                session.call(record)
                for event, fields in capture.events:
                    if event == "rtm.v1_aging":
                        paths.setdefault("aged-out", Hits()).add(record.call, len(fields.get("routes", ())))
                    elif event == "rtm.v1_call" and fields.get("status") == 0:
                        _after_call(record, fields, session, paths)
    finally:
        shim.close()
        rtm.close()


def _after_call(record: Call, fields: dict[str, Any], session: Session, paths: dict[str, Hits]) -> None:
    if record.function == "RtmDeregisterClient":
        deleted = _deleted(fields)
        if deleted:
            paths.setdefault("deregister-with-routes", Hits()).add(record.call, deleted)
    elif record.function == "RtmBlockDeleteRoutes":
        caller = record.args[0]
        event = session.events.get(caller) if isinstance(caller, str) else None
        if event is not None and event.is_set():
            paths.setdefault("block-delete-notifies-caller", Hits()).add(record.call, _deleted(fields))
