"""``python -m bench.replay``: how fast traces replay, next to calling the v1 API directly, on the full-table example.

The trace is the full-table example (``examples/full_table.py``: a BGP-like client adds every prefix of a real
table, a router manager drains its messages every 1,000 adds, then lookups and deregistrations; about a million
calls for the 2014 table), recorded on V1Reference into a temporary file unless ``--trace`` names one. Then, on
V1Reference and on V1Shim, each on a fresh backend:

* **direct**: the same workload calling the API (route structures built as it goes, as a program does);
* **replay (stream)**: ``iter_records`` reads the file line by line (JSON, validation, decoding) and a replay
  session makes each call and checks the result against the recorded one (what ``rtmcompat replay`` does);
* **replay (records)**: the same from the list ``rtmcompat.trace.read`` returned (no parsing in the loop);

and ``rtmcompat compare`` (both backends in lockstep, streamed, network counts at the end). The report gives calls
per second and the ratio to the direct run, plus the time and the memory ``read`` takes to hold the whole trace.
Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rtmcompat
import v2model
from examples import full_table
from rtmcompat._replay import Session, same
from rtmcompat.compare import compare_trace
from rtmcompat.trace import Advance, Call, Header, iter_records, read


def _rss_mb() -> float | None:
    """The process's resident memory in MB (Linux), or None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _backend(kind: str) -> tuple[Any, Any, Callable[[], None]]:
    clock = v2model.ManualClock()
    if kind == "shim":
        rtm = v2model.RoutingTableManager(clock=clock)
        return rtmcompat.V1Shim(rtm, protocol_priority=full_table.PRIORITY), clock, rtm.close
    return rtmcompat.V1Reference(clock=clock, protocol_priority=full_table.PRIORITY), clock, lambda: None


def _timed(work: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    count = work()
    return time.perf_counter() - start, count


def _replay(records: Any, kind: str) -> int:
    api, clock, close = _backend(kind)
    session: Session | None = None
    calls = mismatches = 0
    for record in records:
        if isinstance(record, Header):
            session = Session(api, clock, record)
        elif isinstance(record, Advance) and session is not None:
            session.advance(record.ms)
        elif isinstance(record, Call) and session is not None:
            calls += 1
            mismatches += not same(record, session.call(record))
    close()
    if kind == "reference" and mismatches:
        print(f"warning: {mismatches} calls replayed differently on the reference", file=sys.stderr)
    return calls


def _stream(trace: Path, kind: str) -> int:
    return _replay(iter_records(trace), kind)


def _from_records(trace: Path, backends: list[str], rows: list[tuple[str, str, int, float]]) -> tuple[int, float, str]:
    """Read the whole trace (timed, with the memory it holds), then replay the list on each backend."""
    gc.collect()
    before = _rss_mb()
    start = time.perf_counter()
    records = read(trace)
    seconds = time.perf_counter() - start
    after = _rss_mb()
    for kind in backends:
        print(f"{kind}: replay (records) ...", file=sys.stderr)
        took, calls = _timed(functools.partial(_replay, records, kind))
        rows.append((kind, "replay (records)", calls, took))
    memory = f"{after - before:.0f} MB more resident" if before is not None and after is not None else "n/a"
    return len(records), seconds, memory


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.replay", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.environ.get("RTM_BENCH_DATA", str(full_table.DEFAULT_DATA)))
    parser.add_argument("--limit", type=int, default=None, help="prefixes to use (default: the whole table)")
    parser.add_argument("--trace", default=None, help="an existing full-table trace instead of recording one")
    parser.add_argument("--only", choices=("reference", "shim"), default=None, help="one backend only")
    args = parser.parse_args(argv)
    backends = [args.only] if args.only else ["reference", "shim"]

    with tempfile.TemporaryDirectory() as scratch:
        trace = Path(args.trace) if args.trace else Path(scratch) / "full-table.jsonl"
        table = list(full_table.prefixes(args.data, args.limit))
        if not args.trace:
            print(f"recording {len(table)} prefixes on V1Reference ...", file=sys.stderr)
            seconds, _ = _timed(lambda: full_table.record(args.data, trace, limit=args.limit))
            print(f"recorded in {seconds:.1f} s ({trace.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        with open(trace, encoding="utf-8") as handle:
            total = sum('"type":"call"' in line for line in handle)
        rows: list[tuple[str, str, int, float]] = []
        for kind in backends:

            def direct(kind: str = kind) -> int:
                api, _clock, close = _backend(kind)
                full_table.workload(api, iter(table))
                close()
                return total

            for mode, work in (
                ("direct", direct),
                ("replay (stream)", functools.partial(_stream, trace, kind)),
            ):
                print(f"{kind}: {mode} ...", file=sys.stderr)
                seconds, calls = _timed(work)
                rows.append((kind, mode, calls, seconds))
        held, read_seconds, memory = _from_records(trace, backends, rows)
        print("compare ...", file=sys.stderr)
        seconds, calls = _timed(lambda: compare_trace(trace, table_limit=0, tables_around=False).calls)
        rows.append(("both", "compare (stream)", calls, seconds))

    print(f"full-table trace: {total} calls ({len(table)} prefixes from {args.data})")
    print(f"{'backend':<10} {'mode':<18} {'calls':>9} {'seconds':>9} {'calls/s':>10} {'vs direct':>10}")
    direct_speed = {kind: calls / seconds for kind, mode, calls, seconds in rows if mode == "direct"}
    for kind, mode, count, seconds in rows:
        speed = count / seconds if seconds else float("inf")
        ratio = f"{direct_speed[kind] / speed:.2f}x" if kind in direct_speed else "-"
        print(f"{kind:<10} {mode:<18} {count:>9} {seconds:>9.1f} {speed:>10.0f} {ratio:>10}")
    print(f"read(): {held} records in {read_seconds:.1f} s; {memory}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
