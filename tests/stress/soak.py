"""``make soak``: the stress scenario of ``tests/stress`` for minutes instead of seconds, with a report.

    python -m tests.stress.soak --minutes 10 --threads 12 --seed 1

Prints a progress line each minute to stderr and the report to stdout: threads x operations, duration, operations
per second, quiescent points, invariant checks run and passed, v1 messages replayed, v2 callbacks, faults injected
and recorded, deliberate leaks. Exit status 0 when every check held, 1 on any failure (the report then lists the
failures, with every thread's stack for a deadlock), 2 for a bad argument.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .scenario import Config, run


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be positive, not {text}")
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    """Run the soak; the exit status says whether every check held."""
    parser = argparse.ArgumentParser(prog="python -m tests.stress.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=_positive(float), default=10.0, help="how long to run (default 10)")
    parser.add_argument("--threads", type=_positive(int), default=12, help="worker threads (default 12)")
    parser.add_argument("--seed", type=int, default=1, help="seed of every thread's choices (default 1)")
    parser.add_argument(
        "--ops-per-round", type=_positive(int), default=300, help="operations per worker between quiescent points"
    )
    parser.add_argument(
        "--wait", type=_positive(float), default=60.0, help="seconds any wait may take before it is a deadlock"
    )
    args = parser.parse_args(argv)
    seconds = args.minutes * 60
    config = Config(
        threads=args.threads,
        seed=args.seed,
        ops_per_round=args.ops_per_round,
        rounds=None,
        seconds=seconds,
        wait_s=args.wait,
        deadline_s=seconds + 20 * args.wait,
    )
    next_report = [60.0]

    def progress(points: int, elapsed: float, operations: int) -> None:
        if elapsed >= next_report[0]:
            next_report[0] += 60.0
            rate = operations / max(elapsed, 1e-9)
            print(
                f"{elapsed / 60:5.1f} min: {points} quiescent points, {operations:,} operations, {rate:,.0f}/s",
                file=sys.stderr,
                flush=True,
            )

    report = run(config, progress)
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
