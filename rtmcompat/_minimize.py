"""Minimal repros: shrink a diverging trace to a shortest sub-trace with the same classified divergence.

Theory of operation
-------------------
The *target* is a difference that follows from no other (the first unexpected one, else the first known one); its
signature is (kind, id, function, aspect, fields). A candidate is a subset of the trace's calls, in order, each
keeping the clock time it was made at, minus any call that names a handle no kept call returned. A candidate
*reproduces* when comparing it yields a difference with the target's signature. Delta debugging (Zeller's ddmin)
then removes chunks of calls, then single calls, until no single call can go. Calls after the target cannot matter
and are cut first; before ddmin, the calls that touch neither the target's networks nor a registration are tried
away in one go, which makes full-table traces quick to shrink.

The result is re-recorded on V1Reference through a :class:`Recorder`, so the repro is a clean trace (fresh handle
names, the reference's results, ``advance`` records where time moves); with it come a ready pytest test and the
command that shows the divergence.
"""

from __future__ import annotations

import io
import keyword
import re
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from ._classify import Difference, networks_of
from ._recorder import Recorder
from ._reference import V1Reference
from ._registry import Registry
from ._replay import Session, clock_for
from ._trace_codec import PARAMS, RESULTS
from ._trace_reader import read
from ._trace_records import Advance, Call, Header, Record
from .compare import compare_trace
from .trace import write

#: Comparisons tried at most while shrinking one trace.
DEFAULT_BUDGET: Final = 3000


def signature(difference: Difference) -> tuple[Any, ...]:
    """What "the same classified divergence" means."""
    return difference.kind, difference.id, difference.function, difference.aspect, difference.fields


def target(differences: Sequence[Difference]) -> Difference | None:
    """The difference to reproduce: the first unexpected one that follows from no other, else the first known."""
    roots = [d for d in differences if d.kind != "consequence" and not d.fixed]
    unexpected = [d for d in roots if d.kind == "unexpected"]
    chosen = unexpected or roots
    return chosen[0] if chosen else None


def _timed_calls(records: Sequence[Record]) -> tuple[Header, list[Call]]:
    """The header, and every call with the clock time it was made at (advance records folded into time_ms)."""
    header = records[0]
    assert isinstance(header, Header)
    position = header.start_ms if header.clock != "none" else None
    calls: list[Call] = []
    for record in records[1:]:
        if isinstance(record, Advance) and position is not None:
            position += record.ms
        elif isinstance(record, Advance):
            position = record.ms
        elif isinstance(record, Call):
            time = record.time_ms if record.time_ms is not None else position
            if time is not None and position is not None:
                time = max(time, position)
            position = time
            calls.append(attrs.evolve(record, time_ms=time))
    if header.clock == "none" and any(c.time_ms is not None for c in calls):
        header = attrs.evolve(header, clock="manual", start_ms=0)
    return header, calls


def _closed(calls: Sequence[Call]) -> list[Call]:
    """The calls, renumbered, without those naming a handle no kept call returned."""
    bound: set[str] = set()
    kept: list[Call] = []
    for call in calls:
        names = [v for (_, k), v in zip(PARAMS[call.function], call.args, strict=True)
                 if k in ("client", "enum") and isinstance(v, str) and not v.startswith("foreign:")]  # fmt: skip
        if any(name not in bound for name in names):
            continue
        if call.out is not None:
            bound.update(
                v for (_, k), v in zip(RESULTS[call.function], call.out, strict=True) if k in ("client", "enum") and v
            )
        kept.append(attrs.evolve(call, call=len(kept) + 1))
    return kept


class _Search:
    """Comparisons of candidate sub-traces against the target's signature, within a budget."""

    def __init__(self, header: Header, wanted: tuple[Any, ...], registry: Registry, budget: int) -> None:
        self.header = header
        self.wanted = wanted
        self.registry = registry
        self.budget = budget
        self.tests = 0

    def reproduces(self, calls: Sequence[Call]) -> bool:
        if self.tests >= self.budget:
            return False
        self.tests += 1
        records: list[Record] = [self.header, *_closed(calls)]
        result = compare_trace(records, registry=self.registry, context=0, tables_around=False)
        return any(signature(d) == self.wanted for d in result.differences if d.kind != "consequence")


def ddmin(items: list[Call], test: Callable[[list[Call]], bool]) -> list[Call]:
    """Zeller's delta debugging: a 1-minimal sublist of ``items`` for which ``test`` holds (it holds for items)."""
    n = 2
    while len(items) >= 2:
        size = -(-len(items) // n)
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        for chunk in chunks:
            if test(chunk):
                items, n = chunk, 2
                break
        else:
            for index in range(len(chunks)):
                rest = [c for i, chunk in enumerate(chunks) if i != index for c in chunk]
                if test(rest):
                    items, n = rest, max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    break
                n = min(len(items), n * 2)
    return items


@attrs.frozen
class Repro:
    """A minimal repro: the records (re-recorded on V1Reference), how many calls, and the target it shows."""

    records: list[Record]
    calls: int
    difference: Difference
    original_calls: int
    tests: int


def minimize(
    records: Sequence[Record], registry: Registry, wanted: Difference, budget: int = DEFAULT_BUDGET
) -> Repro | None:
    """Shrink ``records`` to a shortest sub-trace still showing ``wanted``; None when even the whole trace does not
    (an end-of-trace difference that needs every call, say, within the budget)."""
    header, calls = _timed_calls(records)
    search = _Search(header, signature(wanted), registry, budget)
    if wanted.aspect in ("result", "event"):
        calls = [c for c in calls if c.call <= wanted.call]
    if not search.reproduces(calls):
        return None
    networks = set(wanted.networks) or networks_of(calls[-1].args if calls else ())
    keep = ("RtmRegisterClient", "RtmDeregisterClient", "RtmCreateEnumerationHandle")
    relevant = [c for c in calls if c.function in keep or networks_of(c.args) & networks or c.call == wanted.call]
    if len(relevant) < len(calls) and search.reproduces(relevant):
        calls = relevant
    calls = ddmin(calls, search.reproduces)
    final = _closed(calls)
    recorded = _rerecord(header, final)
    original = sum(isinstance(r, Call) for r in records)
    return Repro(recorded, len(final), wanted, original, search.tests)


def _rerecord(header: Header, calls: Sequence[Call]) -> list[Record]:
    """Replay calls on V1Reference through a Recorder: a clean trace with the reference's results."""
    clock = clock_for(header)
    reference = V1Reference(clock=clock, protocol_priority=dict(header.protocol_priority))
    sink = io.StringIO()
    with Recorder(reference, sink, clock=clock, protocol_priority=dict(header.protocol_priority)) as recorder:
        session = Session(recorder, None, header)
        position = clock.now_ms()
        for call in calls:
            if call.time_ms is not None and call.time_ms > position:
                recorder.advance(call.time_ms - position)
                position = call.time_ms
            session.call(attrs.evolve(call, time_ms=None))
    return read(sink.getvalue().splitlines())


def _identifier(text: str) -> str:
    name = re.sub(r"\W+", "_", text).strip("_").lower() or "trace"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = "t_" + name
    return name


def write_repro(repro: Repro, source: str, directory: Path) -> dict[str, Any]:
    """Write the repro trace, a pytest test and the command; returns their paths and the command."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = _identifier(Path(source).stem)
    trace_path = directory / f"{stem}.min.jsonl"
    test_path = directory / f"test_{stem}_min.py"
    write(repro.records, trace_path)
    wanted = repro.difference
    what = f"{wanted.kind} {wanted.id}" if wanted.id else wanted.kind
    if wanted.kind == "unexpected":
        doc = (
            "The shim matches V1Reference on this trace: it fails while the shim bug it shows is there, "
            "and passes once it is fixed."
        )
        check = '    assert [] == [r for r in roots if r[1] == "unexpected"]'
    else:
        doc = f"The trace shows {wanted.id} first, and nothing unexpected."
        check = (
            f"    assert ({wanted.function!r}, {wanted.kind!r}, {wanted.id!r}) == roots[0]\n"
            '    assert [] == [r for r in roots if r[1] == "unexpected"]'
        )
    test_path.write_text(
        f'"""Minimal repro ({repro.calls} calls) of the {what} difference at call {wanted.call} ({wanted.function}) '
        f'of {Path(source).name}, found by `rtmcompat compare --minimize`."""\n\n'
        "from pathlib import Path\n\n"
        "from rtmcompat.compare import compare_trace\n\n"
        f'TRACE = Path(__file__).with_name("{trace_path.name}")\n\n\n'
        f"def test_{stem}_min() -> None:\n"
        f'    """{doc}"""\n'
        "    result = compare_trace(TRACE)\n"
        '    roots = [(d.function, d.kind, d.id) for d in result.differences if d.kind != "consequence"]\n'
        f"{check}\n",
        encoding="utf-8",
    )
    return {
        "trace": str(trace_path),
        "test": str(test_path),
        "command": f"rtmcompat compare {shlex.quote(str(trace_path))}",
        "calls": repro.calls,
        "original_calls": repro.original_calls,
    }
