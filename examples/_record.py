"""What every example shares: run a workload on V1Reference through a Recorder and write its trace."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import rtmcompat
import v2model
from rtmcompat.trace import Recorder

#: A workload: gets the v1 API (any V1Api) and a function that lets virtual time pass (milliseconds).
Workload = Callable[[Any, Callable[[int], None]], None]

HERE = Path(__file__).resolve().parent


def record(workload: Workload, sink: str | Path | IO[str], priority: dict[int, int] | None = None) -> None:
    """Run ``workload`` on a V1Reference with a ManualClock at 0, writing the trace to ``sink``."""
    clock = v2model.ManualClock()
    reference = rtmcompat.V1Reference(clock=clock, protocol_priority=priority)
    with Recorder(reference, sink, clock=clock, protocol_priority=priority) as api:
        workload(api, api.advance)


def main(name: str, workload: Workload, priority: dict[int, int] | None, argv: Sequence[str] | None = None) -> int:
    """Command line of an example: ``--out PATH`` (default: ``examples/<name>.jsonl``)."""
    parser = argparse.ArgumentParser(prog=f"python -m examples.{name}", description=f"record the {name} workload")
    parser.add_argument("--out", default=str(HERE / f"{name}.jsonl"), help="where to write the trace")
    args = parser.parse_args(argv)
    record(workload, args.out, priority)
    print(f"wrote {args.out}")
    return 0
