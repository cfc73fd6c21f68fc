"""``rtmcompat compare``: replay traces on V1Reference and V1Shim side by side and report every difference."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from rtmcompat._minimize import minimize, target, write_repro
from rtmcompat._registry import Registry, RegistryError, default_registry, markdown
from rtmcompat._report_junit import junit_report
from rtmcompat._report_text import markdown_report, text_report
from rtmcompat._terminal import Progress
from rtmcompat._trace_reader import NamedLines, command_input, read
from rtmcompat.cli import CommandError, Context, dump_json
from rtmcompat.compare import (
    DEFAULT_CONTEXT,
    DEFAULT_MAX_DIFFERENCES,
    DEFAULT_TABLE_LIMIT,
    Report,
    TraceResult,
    compare_trace,
)
from rtmcompat.trace import TraceError

NAME = "compare"
HELP = "replay traces on the v1 reference and on the shim and report the differences"
DESCRIPTION = (
    "Replays each TRACE (a trace file written by rtmcompat.trace.Recorder, or a JSON mapping log of V1Shim) on "
    "V1Reference (RTMv1 semantics) and on V1Shim (RTMv1 on the RTMv2 model) in lockstep, compares every status, "
    "flag, route, dequeued message and event state, and at the end the tables. Each difference is classified "
    "against the known-differences registry: expected (documented v1/v2 semantics, e.g. RTMC-TIE), todo (a known "
    "shim bug), a consequence of an earlier difference, or unexpected. Each trace gets a verdict: identical, "
    "expected (known differences only), unexpected, or error (unreadable; the other traces are still compared)."
)
EXIT_STATUS = (
    (0, "no unexpected difference (identical, or known differences only)"),
    (1, "some trace has an unexpected difference"),
    (2, "usage error, or some trace cannot be read (verdict error)"),
)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Traces, formats, output, minimisation and limits."""
    parser.add_argument(
        "traces", nargs="*", metavar="TRACE", help="trace files (.jsonl) or JSON mapping logs; - reads standard input"
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json", "junit"),
        default="text",
        help="text for a terminal (default), markdown, json (schema: rtmcompat/schemas/compare-report-v1.json), "
        "or junit (JUnit XML: one test case per trace)",
    )
    parser.add_argument("-o", "--output", metavar="PATH", help="write the report to PATH instead of stdout")
    parser.add_argument(
        "--minimize",
        action="store_true",
        help="shrink each diverging trace to a minimal repro of its first unexpected (else first known) difference "
        "and write it into --repro-dir as a trace, a ready pytest test and the command",
    )
    parser.add_argument(
        "--repro-dir",
        default="rtmcompat-repros",
        metavar="DIR",
        help="where --minimize writes repros (default: %(default)s)",
    )
    parser.add_argument(
        "--context", type=_count, default=DEFAULT_CONTEXT, metavar="N", help="calls shown before the first divergence"
    )
    parser.add_argument(
        "--table-limit",
        type=_count,
        default=DEFAULT_TABLE_LIMIT,
        metavar="N",
        help=f"compare tables route by route only up to N networks (default {DEFAULT_TABLE_LIMIT}); larger tables "
        "are compared by their network counts",
    )
    parser.add_argument(
        "--max-differences",
        type=_count,
        default=DEFAULT_MAX_DIFFERENCES,
        metavar="N",
        help=f"differences listed per trace (default {DEFAULT_MAX_DIFFERENCES}; all are counted)",
    )
    parser.add_argument(
        "--semantics",
        choices=("v1", "native"),
        default="v1",
        help="native: also show what a port that drops the v1 emulation would be told (RTMv2's coalesced "
        "notifications of changed destinations) next to the v1 messages",
    )
    parser.add_argument("--registry", metavar="PATH", help="a known-differences file instead of the shipped one")
    parser.add_argument(
        "--list-differences",
        action="store_true",
        help="print the known-differences registry (text, markdown as in MIGRATION.md, or json) and exit",
    )


def _registry(args: argparse.Namespace) -> Registry:
    if args.registry is None:
        return default_registry()
    try:
        return Registry.load(args.registry)
    except RegistryError as exc:
        raise CommandError(f"{args.registry}: {exc}") from None


def _list(registry: Registry, args: argparse.Namespace, ctx: Context) -> int:
    with ctx.output(args.output) as out:
        if args.format == "json":
            dump_json({"differences": registry.json()}, out)
        elif args.format == "markdown":
            print(markdown(registry), file=out)
        else:
            for entry in registry.entries:
                anchor = f" ({entry.anchor})" if entry.anchor else ""
                print(f"{entry.id} [{entry.kind}] {entry.title}{anchor}", file=out)
    return 0


def _repro(
    result: TraceResult, source: str | NamedLines, path: str, registry: Registry, directory: str, ctx: Context
) -> None:
    wanted = target(result.differences)
    if wanted is None or result.verdict == "error":
        return
    try:
        records = read(source)
    except TraceError:
        return
    repro = minimize(records, registry, wanted)
    if repro is None:
        result.notes.append("--minimize: the difference needs the whole trace (or more comparisons than allowed)")
        return
    try:
        written = write_repro(repro, path, Path(directory))
    except OSError as exc:
        raise CommandError(f"cannot write the repro to {directory}: {exc.strerror or exc}") from None
    result.repro = written
    result.notes.append(
        f"minimal repro: {written['calls']} of {written['original_calls']} calls in {written['trace']}; "
        f"test: {written['test']}; run: {written['command']}"
    )
    ctx.log.info("minimized", trace=path, calls=written["calls"], repro=written["trace"])


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Compare every trace, then write the report."""
    registry = _registry(args)
    if args.list_differences:
        return _list(registry, args, ctx)
    if not args.traces:
        raise CommandError("give at least one TRACE (or --list-differences)")
    results: list[TraceResult] = []
    for path in args.traces:
        source: str | NamedLines = path
        if os.path.isdir(path):
            result = TraceResult(path, verdict="error", error=f"{path}: a directory, not a trace file")
        else:
            try:
                source = command_input(path)  # standard input and pipes are read once, here
            except OSError as exc:
                result = TraceResult(path, verdict="error", error=f"{path}: cannot read: {exc.strerror or exc}")
            else:
                result = _compare(source, path, registry, args, ctx)
        ctx.log.info("compared", trace=path, verdict=result.verdict, calls=result.calls)
        if args.minimize and result.verdict in ("expected", "unexpected"):
            _repro(result, source, path, registry, args.repro_dir, ctx)
        results.append(result)
    report = Report(results, registry)
    with ctx.output(args.output) as out:
        if args.format == "json":
            dump_json(report.json(), out)
        elif args.format == "junit":
            print(junit_report(report), file=out)
        elif args.format == "markdown":
            print(markdown_report(report), file=out)
        else:
            print(text_report(report, ctx.paint(out)), file=out)  # type: ignore[arg-type]
    return report.exit_status()


def _compare(
    source: str | NamedLines, path: str, registry: Registry, args: argparse.Namespace, ctx: Context
) -> TraceResult:
    with ctx.progress(None, f"comparing {path}") as bar:
        try:
            return compare_trace(
                source,
                path=path,
                registry=registry,
                context=args.context,
                table_limit=args.table_limit,
                max_differences=args.max_differences,
                progress=_follow(bar),
                semantics=args.semantics,
            )
        except Exception as exc:  # a bug, not the trace's fault: report it, go on with the other traces
            return TraceResult(path, verdict="error", error=f"internal error: {type(exc).__name__}: {exc}")


def _follow(bar: Progress) -> Callable[[int], None]:
    """A progress callback taking the number of calls done so far."""
    last = 0

    def update(done: int) -> None:
        nonlocal last
        bar.advance(done - last)
        last = done

    return update
