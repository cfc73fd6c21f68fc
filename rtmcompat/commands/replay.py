"""``rtmcompat replay``: replay a trace or JSON mapping log on one backend and check it does what was recorded."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import IO, Any

import v2model
from rtmcompat._phrases import call_phrase, result_phrase
from rtmcompat._reference import V1Reference
from rtmcompat._replay import Observed, Session, clock_for, same
from rtmcompat._shim import V1Shim
from rtmcompat._trace_reader import command_input, iter_records
from rtmcompat._trace_records import result_json
from rtmcompat.cli import CommandError, Context, dump_json
from rtmcompat.trace import Advance, Call, Header, Recorder, TraceError

NAME = "replay"
HELP = "replay a trace (or JSON mapping log) on the shim or the reference and check the recorded results"
DESCRIPTION = (
    "Replays TRACE on one backend (the shim by default) with a fresh ManualClock positioned where the recording "
    "began, the recorded protocol priorities and symbolic handles bound as the calls return them, and reports "
    "every call whose status or outputs differ from the recorded ones. A JSON mapping log of V1Shim (one "
    "rtm.v1_call event per line) replays as well; --record writes the replay as a trace file, which turns a "
    "mapping log into a trace."
)
EXIT_STATUS = (
    (0, "every call returned what was recorded"),
    (1, "some call returned something else"),
    (2, "usage error, or the trace cannot be read"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The trace, the backend, the formats."""
    parser.add_argument(
        "trace", metavar="TRACE", help="a trace file (.jsonl) or a JSON mapping log; - reads standard input"
    )
    parser.add_argument(
        "--on", choices=("shim", "reference"), default="shim", help="the backend to replay on (default: shim)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default text)")
    parser.add_argument("-o", "--output", metavar="PATH", help="write the report to PATH instead of stdout")
    parser.add_argument("--record", metavar="PATH", help="also write the replay as a trace file")
    parser.add_argument(
        "--max-mismatches", type=int, default=50, metavar="N", help="mismatches listed (all are counted; default 50)"
    )


def _backend(kind: str, header: Header) -> tuple[Any, Any, Any]:
    """(api, clock, closer)."""
    clock = clock_for(header)
    priority = dict(header.protocol_priority)
    if kind == "reference":
        return V1Reference(clock=clock, protocol_priority=priority), clock, None
    rtm = v2model.RoutingTableManager(clock=clock)
    shim = V1Shim(rtm, protocol_priority=priority)
    return shim, clock, rtm


@contextlib.contextmanager
def _recording(path: str | None, api: Any, clock: Any, header: Header) -> Iterator[Any]:
    if path is None:
        yield api
        return
    try:
        recorder = Recorder(api, path, clock=clock, protocol_priority=dict(header.protocol_priority))
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    with recorder:
        yield recorder


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Replay and report."""
    mismatches: list[dict[str, Any]] = []
    lines: list[str] = []
    total = matched = 0
    error: str | None = None
    try:
        records = iter_records(command_input(args.trace))  # standard input and pipes are read once, here
    except OSError as exc:
        raise CommandError(f"cannot read {args.trace}: {exc.strerror or exc}") from None
    rtm = None
    try:
        try:
            header = next(records)
        except StopIteration:  # pragma: no cover - the reader raises on an empty source
            raise CommandError(f"{args.trace}: empty") from None
        assert isinstance(header, Header)
        api, clock, rtm = _backend(args.on, header)
        # A system-clock recording replays its times to the millisecond: compare route timestamps to the second.
        tolerance = 10_000_000 if header.clock == "system" else 0
        with _recording(args.record, api, clock, header) as target, ctx.progress(None, "replaying") as bar:
            session = Session(target, clock, header)
            for record in records:
                if isinstance(record, Advance):
                    session.advance(record.ms)
                elif isinstance(record, Call):
                    observed = session.call(record)
                    total += 1
                    bar.advance()
                    if same(record, observed, tolerance):
                        matched += 1
                        continue
                    mismatches.append(_mismatch(record, observed))
                    if len(mismatches) <= args.max_mismatches:
                        lines += _lines(record, observed)
    except TraceError as exc:
        error = str(exc)
    finally:
        if rtm is not None:
            rtm.close()
    if error is not None and total == 0:
        raise CommandError(error)
    with ctx.output(args.output) as out:
        _write(args, out, ctx, total, matched, mismatches, lines, error)
    if error is not None:
        return 2
    return 0 if not mismatches else 1


def _mismatch(call: Call, observed: Observed) -> dict[str, Any]:
    return {
        "call": call.call,
        "line": call.line,
        "function": call.function,
        "recorded": result_json(call.function, call.status, call.out),
        "observed": observed.json(call.function),
    }


def _lines(call: Call, observed: Observed) -> list[str]:
    return [
        f"call {call.call} (line {call.line}) {call_phrase(call)}",
        f"  recorded: {result_phrase(call.function, call.status, call.out)}",
        f"  observed: {result_phrase(call.function, observed.status, observed.out, observed.raised)}",
    ]


def _write(
    args: argparse.Namespace,
    out: IO[str],
    ctx: Context,
    total: int,
    matched: int,
    mismatches: list[dict[str, Any]],
    lines: list[str],
    error: str | None,
) -> None:
    if args.format == "json":
        dump_json(
            {
                "trace": args.trace,
                "backend": args.on,
                "calls": total,
                "matched": matched,
                "mismatches": mismatches[: args.max_mismatches],
                "mismatch_count": len(mismatches),
                "error": error,
            },
            out,
        )
        return
    paint = ctx.paint(out)  # type: ignore[arg-type]
    for line in lines:
        print(line, file=out)
    if len(mismatches) > args.max_mismatches:
        print(f"... and {len(mismatches) - args.max_mismatches} more mismatches", file=out)
    if error is not None:
        print(paint(f"error: {error} (the calls before it were replayed)", "red"), file=out)
    if mismatches:
        outcome = f"{matched} as recorded; " + paint(f"{len(mismatches)} differ", "red")
    else:
        outcome = paint("all as recorded", "green")
    print(f"{args.trace}: {total} calls replayed on the {args.on}: {outcome}", file=out)
