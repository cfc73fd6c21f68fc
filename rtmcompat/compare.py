"""Side-by-side comparison: each trace replayed on V1Reference (v1 semantics) and V1Shim (v1 on RTMv2) in lockstep.

Every call's status and outputs are compared (flags, routes, handles, dequeued messages), every client's event
state after every call, and at the end the network counts, the messages still queued and, for tables up to
``table_limit`` routes, the whole table (every route and the best route per network). Each difference is
classified against the known-differences registry (``rtmcompat/differences.toml``): ``expected`` (documented
v1/v2 semantics, with its MIGRATION.md anchor), ``todo`` (a known shim bug), ``consequence`` (follows from an
earlier difference) or ``unexpected``. A trace's verdict is ``identical``, ``expected`` (known differences
only), ``unexpected`` or ``error`` (it could not be read; what was compared before the bad line is kept).

The first divergence is reported with the calls before it, both results decoded, and the table difference just
before and just after it (found by replaying the trace a second time up to that call).

>>> from rtmcompat.compare import compare
>>> report = compare(["examples/rip.jsonl"])  # doctest: +SKIP
>>> report.traces[0].verdict  # doctest: +SKIP
'expected'
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from . import __version__
from ._classify import KINDS, Classifier, Difference
from ._lockstep import Pair, differing
from ._native import NativeView, native_view
from ._registry import Entry, Registry, default_registry
from ._replay import Observed
from ._table_state import TableDiff, TableState, diff, snapshot
from ._trace_codec import encode_route
from ._trace_reader import iter_records, source_name
from ._trace_records import Advance, Call, Header, Note, Record, TraceError, args_json

__all__ = [
    "KINDS",
    "VERDICTS",
    "CallContext",
    "Difference",
    "Divergence",
    "Report",
    "TraceResult",
    "compare",
    "compare_trace",
]

VERDICTS: Final = ("identical", "expected", "unexpected", "error")
#: Tables with more routes than this are compared at checkpoints by their network counts only (walking a
#: full Internet table through the shim's v1 enumeration takes minutes; M-COMPARE-LOCKSTEP).
DEFAULT_TABLE_LIMIT: Final = 50_000
DEFAULT_CONTEXT: Final = 3
DEFAULT_MAX_DIFFERENCES: Final = 1000
_PROGRESS_EVERY = 2048

Source = str | os.PathLike[str] | Sequence[Record] | Iterable[str | bytes]


@attrs.frozen
class CallContext:
    """A call shown around the first divergence: the call record and what each backend returned."""

    record: Call
    reference: Observed
    shim: Observed

    def json(self) -> dict[str, Any]:
        """Call index, function, arguments and both results in trace JSON form."""
        function = self.record.function
        return {
            "call": self.record.call,
            "function": function,
            "args": args_json(function, self.record.args),
            "reference": self.reference.json(function),
            "shim": self.shim.json(function),
        }


@attrs.frozen
class Divergence:
    """The first difference with what surrounds it: the calls before it (``context``), the call itself, and how the
    shim's table differs from the reference's just before and just after it (None when not taken: a table larger
    than the limit, or a source that cannot be read twice)."""

    difference: Difference
    call: CallContext | None
    context: tuple[CallContext, ...] = ()
    table_before: TableDiff | None = None
    table_after: TableDiff | None = None
    table_note: str | None = None


@attrs.define
class TraceResult:
    """The comparison of one trace."""

    path: str
    verdict: str = "identical"
    calls: int = 0
    differences: list[Difference] = attrs.field(factory=list)
    #: Differences beyond ``max_differences`` (counted, not kept).
    omitted: int = 0
    #: Differences by kind, all of them.
    counts: Counter[str] = attrs.field(factory=Counter)
    #: Registry ids hit (expected, todo and fixed todo), with how often.
    hits: Counter[str] = attrs.field(factory=Counter)
    notes: list[str] = attrs.field(factory=list)
    error: str | None = None
    divergence: Divergence | None = None
    recorder: dict[str, Any] = attrs.field(factory=dict)
    #: Where ``--minimize`` wrote the repro: trace, test, command, calls, original_calls.
    repro: dict[str, Any] | None = None
    #: ``--semantics native``: what a native RTMv2 port would have been told, next to the v1 messages.
    native: NativeView | None = None

    def json(self) -> dict[str, Any]:
        """The report's JSON form of this trace."""
        return {
            "path": self.path,
            "verdict": self.verdict,
            "calls": self.calls,
            "differences": [d.json() for d in self.differences],
            "omitted": self.omitted,
            "counts": {kind: self.counts.get(kind, 0) for kind in KINDS},
            "ids": dict(sorted(self.hits.items())),
            "notes": list(self.notes),
            "error": self.error,
            "first_divergence": _divergence_json(self.divergence),
            "recorder": self.recorder,
            "repro": self.repro,
            "native": self.native.json() if self.native is not None else None,
        }


@attrs.define
class Report:
    """The comparison of several traces, and which registry entries they hit."""

    traces: list[TraceResult]
    registry: Registry

    def used(self) -> Counter[str]:
        """How often each registry id was hit, over all traces."""
        total: Counter[str] = Counter()
        for trace in self.traces:
            total.update(trace.hits)
        return total

    def unused(self) -> list[Entry]:
        """Entries no trace hit (documentation-only entries aside)."""
        used = self.used()
        return [e for e in self.registry.entries if e.observable and e.id not in used]

    def exit_status(self) -> int:
        """2 if a trace could not be read, else 1 if a trace has an unexpected difference, else 0."""
        verdicts = {t.verdict for t in self.traces}
        if "error" in verdicts:
            return 2
        return 1 if "unexpected" in verdicts else 0

    def json(self) -> dict[str, Any]:
        """The whole report as JSON (schema: rtmcompat/schemas/compare-report-v1.json)."""
        summary = Counter(t.verdict for t in self.traces)
        return {
            "format": "rtmcompat-compare-report",
            "version": 1,
            "tool": {"name": "rtmcompat", "version": __version__},
            "traces": [t.json() for t in self.traces],
            "summary": {v: summary.get(v, 0) for v in VERDICTS},
            "registry": {
                "used": dict(sorted(self.used().items())),
                "unused": [e.id for e in self.unused()],
            },
            "exit_status": self.exit_status(),
        }


def _divergence_json(divergence: Divergence | None) -> dict[str, Any] | None:
    if divergence is None:
        return None

    def table(t: TableDiff | None) -> dict[str, Any] | None:
        if t is None:
            return None
        return {
            "missing": [encode_route(r) for r in t.missing],
            "extra": [encode_route(r) for r in t.extra],
            "changed": [{"reference": encode_route(a), "shim": encode_route(b)} for a, b in t.changed],
            "best": [
                {
                    "reference": None if a is None else encode_route(a),
                    "shim": None if b is None else encode_route(b),
                }
                for _, a, b in t.best
            ],
        }

    return {
        "call": divergence.difference.call,
        "function": divergence.difference.function,
        "divergent_call": divergence.call.json() if divergence.call is not None else None,
        "context": [c.json() for c in divergence.context],
        "table_before": table(divergence.table_before),
        "table_after": table(divergence.table_after),
        "table_note": divergence.table_note,
    }


# --- one trace --------------------------------------------------------------------------------------------


class _Run:
    """The state of one trace's comparison while its records stream by."""

    def __init__(self, path: str, registry: Registry, context: int, max_differences: int, table_limit: int) -> None:
        self.result = TraceResult(path)
        self.registry = registry
        self.classifier = Classifier(registry)
        self.recent: deque[CallContext] = deque(maxlen=max(context, 0))
        self.max_differences = max_differences
        self.table_limit = table_limit
        self.pair: Pair | None = None
        self.first: tuple[Difference, CallContext | None, tuple[CallContext, ...]] | None = None

    def add(self, difference: Difference) -> None:
        result = self.result
        result.counts[difference.kind] += 1
        if difference.kind in ("expected", "todo") or difference.fixed:
            assert difference.id is not None
            result.hits[difference.id] += 1
        if len(result.differences) < self.max_differences:
            result.differences.append(difference)
        else:
            result.omitted += 1

    def record(self, record: Record) -> None:
        if isinstance(record, Header):
            self.pair = Pair(record)
            self.result.recorder = dict(record.recorder)
            return
        pair = self.pair
        assert pair is not None  # the reader yields the header first
        if isinstance(record, Advance):
            pair.advance(record.ms)
        elif isinstance(record, Note):
            if len(self.result.notes) < 20:
                self.result.notes.append(f"trace note (line {record.line}): {record.text}")
        elif isinstance(record, Call):
            self.call(pair, record)

    def call(self, pair: Pair, call: Call) -> None:
        self.result.calls = call.call
        reference, shim = pair.call(call)
        same_call: Difference | None = None
        if reference != shim:
            fields = differing(call.function, reference, shim)
            same_call = self.classifier.result(call, reference, shim, fields)
            self.add(same_call)
            self._first(same_call, call, reference, shim)
        else:
            fixed = self.classifier.quiet(call)
            if fixed is not None:
                self.add(fixed)
        ref_events, shim_events = pair.ref_session.event_states(), pair.shim_session.event_states()
        if ref_events != shim_events:
            for client in sorted(ref_events.keys() & shim_events.keys()):
                if ref_events[client] != shim_events[client]:
                    event = self.classifier.event(call, client, ref_events[client], shim_events[client], same_call)
                    self.add(event)
                    self._first(event, call, reference, shim)
        if self.first is None and self.recent.maxlen:
            self.recent.append(CallContext(call, reference, shim))

    def _first(self, difference: Difference, call: Call, reference: Observed, shim: Observed) -> None:
        if self.first is None:
            self.first = (difference, CallContext(call, reference, shim), tuple(self.recent))

    def finish(self) -> None:
        """The end-of-trace checkpoint: network counts, queued messages, and the tables within the limit."""
        pair = self.pair
        if pair is None:
            return
        at = self.result.calls
        ref_counts, shim_counts = pair.network_counts()
        if ref_counts != shim_counts:
            self.add(
                self.classifier.checkpoint(
                    at, "table", (), (), {"NetworkCount": list(ref_counts)}, {"NetworkCount": list(shim_counts)},
                    function="RtmGetNetworkCount",
                )
            )  # fmt: skip
        for client, (ref_msgs, shim_msgs) in sorted(pair.drain().items()):
            if ref_msgs != shim_msgs:
                routes = tuple(r for m in ref_msgs + shim_msgs for r in (m.out or ()) if r is not None)
                pairs = tuple(
                    (a, b)
                    for rm, sm in zip(ref_msgs, shim_msgs, strict=False)
                    for a, b in zip(rm.out or (), sm.out or (), strict=False)
                    if a != b and not isinstance(a, int)
                )
                difference = self.classifier.checkpoint(
                    at,
                    "messages",
                    routes,
                    pairs if len(ref_msgs) == len(shim_msgs) else (),
                    [m.json("RtmDequeueRouteChangeMessage") for m in ref_msgs],
                    [m.json("RtmDequeueRouteChangeMessage") for m in shim_msgs],
                    client=client,
                    function="RtmDequeueRouteChangeMessage",
                )
                self.add(difference)
                self._first_checkpoint(difference)
        if max(sum(ref_counts), sum(shim_counts)) > self.table_limit:
            self.result.notes.append(
                f"the tables hold more than {self.table_limit} networks: compared at the end by their network "
                "counts only (raise --table-limit to walk them)"
            )
            return
        table = diff(snapshot(pair.reference), snapshot(pair.shim))
        for route in table.missing:
            self._table_difference(at, (route,), (), route, None)
        for route in table.extra:
            self._table_difference(at, (route,), (), None, route)
        for a, b in table.changed:
            self._table_difference(at, (a, b), ((a, b),), a, b)
        for _network, a, b in table.best:
            routes = tuple(r for r in (a, b) if r is not None)
            pairs = ((a, b),) if a is not None and b is not None else ()
            self._table_difference(at, routes, pairs, a, b, best=True)

    def _table_difference(
        self, at: int, routes: tuple[Any, ...], pairs: tuple[tuple[Any, Any], ...], ref: Any, shim: Any,
        best: bool = False,
    ) -> None:  # fmt: skip
        label = "best route" if best else "route"
        difference = self.classifier.checkpoint(
            at,
            "table",
            routes,
            pairs,
            {label: None if ref is None else encode_route(ref)},
            {label: None if shim is None else encode_route(shim)},
        )
        self.add(difference)
        self._first_checkpoint(difference)

    def _first_checkpoint(self, difference: Difference) -> None:
        if self.first is None:
            self.first = (difference, None, tuple(self.recent))

    def verdict(self) -> None:
        result = self.result
        if result.error is not None:
            result.verdict = "error"
        elif result.counts["unexpected"]:
            result.verdict = "unexpected"
        elif sum(result.counts.values()):
            result.verdict = "expected"
        else:
            result.verdict = "identical"


def _tables_around(
    records: Iterable[Record], call_index: int, table_limit: int
) -> tuple[TableDiff | None, TableDiff | None, str | None]:
    """Replay again up to ``call_index`` and diff the two tables just before and just after that call."""
    pair: Pair | None = None
    try:
        for record in records:
            if isinstance(record, Header):
                pair = Pair(record)
            elif pair is None:
                continue
            elif isinstance(record, Advance):
                pair.advance(record.ms)
            elif isinstance(record, Call):
                if record.call == call_index:
                    counts = pair.network_counts()
                    if max(sum(counts[0]), sum(counts[1])) > table_limit:
                        return None, None, f"tables larger than {table_limit} networks: not compared around the call"
                    before = _both(pair)
                    pair.call(record)
                    after = _both(pair)
                    return diff(*before), diff(*after), None
                pair.call(record)
    finally:
        if pair is not None:
            pair.close()
    return None, None, None


def _both(pair: Pair) -> tuple[TableState, TableState]:
    return snapshot(pair.reference), snapshot(pair.shim)


def _reiterable(source: Source) -> Callable[[], Iterable[Record]] | None:
    """A way to read the source again (for the tables around the first divergence), or None."""
    if isinstance(source, str | os.PathLike):
        return lambda: iter_records(source)
    if isinstance(source, Sequence):
        items: Sequence[Any] = source
        if items and isinstance(items[0], Header):
            return lambda: iter(items)
        return lambda: iter_records(items)
    return None


def compare_trace(
    source: Source,
    *,
    path: str | None = None,
    registry: Registry | None = None,
    context: int = DEFAULT_CONTEXT,
    table_limit: int = DEFAULT_TABLE_LIMIT,
    max_differences: int = DEFAULT_MAX_DIFFERENCES,
    progress: Callable[[int], None] | None = None,
    tables_around: bool = True,
    semantics: str = "v1",
) -> TraceResult:
    """Compare one trace: a path, a list of records (from :func:`rtmcompat.trace.read`) or lines.

    ``path`` names the trace in the report (default: the path given). ``context`` is how many calls before the
    first divergence are shown; ``table_limit`` the largest table (networks) compared route by route;
    ``max_differences`` how many differences are kept (all are counted). ``progress`` is called now and then with
    the number of calls replayed so far. ``tables_around`` replays the trace a second time to diff the tables just
    before and after the first divergence. ``semantics="native"`` also replays it to show what a native RTMv2 port
    would be told (:class:`NativeView`).
    """
    name = path if path is not None else (source_name(source) or "<trace>")
    run = _Run(name, registry or default_registry(), context, max_differences, table_limit)
    again = _reiterable(source)
    records: Iterable[Record] = again() if again is not None else iter_records(source)  # type: ignore[arg-type]
    try:
        try:
            for record in records:
                run.record(record)
                if progress is not None and isinstance(record, Call) and record.call % _PROGRESS_EVERY == 0:
                    progress(record.call)
            run.finish()
        except TraceError as exc:
            run.result.error = str(exc)
            if run.result.calls:
                run.result.notes.append(
                    f"the trace could not be read past the error: {run.result.calls} calls were replayed and "
                    "compared before it; the rest was not"
                )
    finally:
        if run.pair is not None:
            run.pair.close()
    if run.first is not None:
        difference, call_context, before = run.first
        divergence = Divergence(difference, call_context, before)
        if tables_around and call_context is not None and again is not None and run.result.error is None:
            table_before, table_after, note = _tables_around(again(), difference.call, table_limit)
            divergence = attrs.evolve(divergence, table_before=table_before, table_after=table_after, table_note=note)
        run.result.divergence = divergence
    if semantics == "native" and again is not None and run.result.error is None:
        run.result.native = native_view(again())
    run.verdict()
    return run.result


def compare(
    sources: Iterable[str | os.PathLike[str]],
    *,
    registry: Registry | None = None,
    on_trace: Callable[[TraceResult], None] | None = None,
    **options: Any,
) -> Report:
    """Compare each trace file; a trace that cannot be read gets the verdict ``error`` and the others go on."""
    chosen = registry or default_registry()
    results: list[TraceResult] = []
    for source in sources:
        path = os.fspath(source)
        try:
            result = compare_trace(Path(path), path=path, registry=chosen, **options)
        except Exception as exc:  # a bug, not the trace's fault: report it and go on with the other traces
            result = TraceResult(path, verdict="error", error=f"internal error: {type(exc).__name__}: {exc}")
        results.append(result)
        if on_trace is not None:
            on_trace(result)
    return Report(results, chosen)
