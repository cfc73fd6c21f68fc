"""``rtmcompat scan``: every use of the RTMv1 API (and of RTMv2) in C and C++ sources, for people and for CI."""

from __future__ import annotations

import argparse
import os

from rtmcompat._scanbaseline import BaselineError, load_baseline
from rtmcompat._scanformat import FORMATS, completion_line, markdown, sarif, summary_lines, write_csv, write_text
from rtmcompat._scanmodel import LEVELS
from rtmcompat._scansource import DEFAULT_MAX_MIB
from rtmcompat.cli import EXIT_FOUND, EXIT_OK, EXIT_USAGE, CommandError, Context, dump_json
from rtmcompat.scan import MIB, Scanner, ScanReport, collector_paused, report_json

NAME = "scan"
HELP = "find RTMv1 (and RTMv2) use in C and C++ sources"
DESCRIPTION = (
    "Parses C and C++ sources (.c .h .cc .cpp .cxx .hh .hpp .hxx .inl; directories are walked) with tree-sitter and "
    "reports every use of the RTMv1 API: calls with their literal flags decoded, rtm.h macros, types and constants, "
    "#include <rtm.h>, rtm.lib in sources and build files, function names in strings, undocumented rtm.dll exports, "
    "and use through the code base's own macros and wrapper functions. RTMv2 use is reported as notes. Each finding "
    "has its enclosing function, a confidence with its reason, the RTMv2 replacement and the Microsoft page. "
    "Silence a finding with a comment on its line (or the line before): "
    "// rtmcompat: ignore[RtmAddRoute] reason: why. "
    "The text and CSV formats write their summary to stderr; the others carry it in the report."
)
EXIT_STATUS = (
    (EXIT_OK, "scanned (and no finding at the --fail-on level or above)"),
    (EXIT_FOUND, "--fail-on LEVEL was given and a finding is at that level or above"),
    (EXIT_USAGE, "usage error, an unusable --baseline, or a path that does not exist (the others are still scanned)"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Paths, format, output, CI controls and limits."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and directories to scan")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument("--output", metavar="PATH", help="write the report to PATH instead of stdout")
    parser.add_argument(
        "--fail-on",
        choices=LEVELS,
        metavar="LEVEL",
        help="exit 1 when a finding is at LEVEL (note, warning, error) or above",
    )
    parser.add_argument(
        "--baseline",
        metavar="FILE",
        help="a previous JSON or SARIF report of this command: report only findings it does not hold",
    )
    parser.add_argument(
        "--max-file-size",
        type=float,
        default=float(DEFAULT_MAX_MIB),
        metavar="MIB",
        help=f"skip (and report) files larger than MIB mebibytes (default: {DEFAULT_MAX_MIB})",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Scan, write the report, and say how it went."""
    if not args.max_file_size > 0:
        raise CommandError("--max-file-size must be a positive number of MiB")
    baseline = None
    if args.baseline is not None:
        try:
            baseline = load_baseline(args.baseline)
        except BaselineError as exc:
            raise CommandError(str(exc)) from None
    scanner = Scanner(max_file_size=int(args.max_file_size * MIB), baseline=baseline, baseline_path=args.baseline)
    with collector_paused():
        items = scanner.collect(args.paths)
        with ctx.progress(len(items), "scanning") as bar:
            report = scanner.run(items, advance=bar.advance)
        _write(args, ctx, report)
    for entry in report.missing:
        print(f"rtmcompat scan: error: {entry.path}: {entry.reason}", file=ctx.stderr)
    if not ctx.quiet:
        lines = summary_lines(report) if args.format in ("text", "csv") else [completion_line(report)]
        print("\n".join(lines), file=ctx.stderr)
    if report.missing:
        return EXIT_USAGE
    if args.fail_on is not None:
        threshold = LEVELS.index(args.fail_on)
        if any(LEVELS.index(finding.level) >= threshold for finding in report.findings):
            return EXIT_FOUND
    return EXIT_OK


def _write(args: argparse.Namespace, ctx: Context, report: ScanReport) -> None:
    """The report in the chosen format, to stdout or --output."""
    with ctx.output(args.output) as stream:
        if args.format == "text":
            write_text(report, stream, ctx.paint(ctx.stdout) if args.output in (None, "-") else None)
        elif args.format == "csv":
            write_csv(report, stream)
        elif args.format == "json":
            dump_json(report_json(report), stream)
        elif args.format == "sarif":
            dump_json(sarif(report, os.getcwd()), stream)
        else:
            stream.write(markdown(report))
