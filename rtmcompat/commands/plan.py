"""``rtmcompat plan``: a migration plan from scan reports, traces and JSON mapping logs, in Markdown or JSON."""

from __future__ import annotations

import argparse

from rtmcompat._registry import Registry, RegistryError
from rtmcompat.cli import EXIT_OK, EXIT_USAGE, CommandError, Context, dump_json
from rtmcompat.plan import make_plan, plan_json, plan_markdown, read_inputs

NAME = "plan"
HELP = "turn scan reports, traces and mapping logs into a migration plan"
DESCRIPTION = (
    "Reads each INPUT, recognised by its content: a JSON report of 'rtmcompat scan --format json', a trace "
    "(rtmcompat.trace.Recorder) or a JSON mapping log of V1Shim. Writes a migration plan: the v1 functions the "
    "sources use and where (per file and per module), what the traces exercised (calls, statuses, flags, error "
    "paths), the known differences between V1Shim and RTMv1 the traces hit (each trace is replayed as 'rtmcompat "
    "compare' does), what only the sources or only the traces show, an effort range with its formula, the order "
    "to port in and a checklist of work items, each with the trace calls that test it and the MIGRATION.md "
    "section to read. If any input cannot be used, each such file is named on stderr and no plan is written."
)
EXIT_STATUS = (
    (EXIT_OK, "the plan was written"),
    (EXIT_USAGE, "usage error, or an input that cannot be read or recognised (no plan is written)"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Inputs, format, output and replay."""
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="scan JSON reports, traces (.jsonl) and JSON mapping logs; - reads standard input",
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown (default) or json (schema: rtmcompat/schemas/plan-v1.json)",
    )
    parser.add_argument("-o", "--output", metavar="PATH", help="write the plan to PATH instead of stdout")
    parser.add_argument(
        "--no-replay",
        action="store_true",
        help="do not replay the traces (faster on very large ones): no known differences, routes that aged out, "
        "routes left at deregistration or block deletes telling the caller",
    )
    parser.add_argument("--registry", metavar="PATH", help="a known-differences file instead of the shipped one")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Read every input, then write the plan (or name every input that cannot be used)."""
    registry = None
    if args.registry is not None:
        try:
            registry = Registry.load(args.registry)
        except RegistryError as exc:
            raise CommandError(f"{args.registry}: {exc}") from None
    inputs, errors = read_inputs(args.inputs)
    if errors:
        for message in errors:
            print(f"rtmcompat plan: error: {message}", file=ctx.stderr)
        return EXIT_USAGE
    with ctx.progress(None, "planning"):
        plan = make_plan(inputs, replay_traces=not args.no_replay, registry=registry)
    document = plan_json(plan)
    with ctx.output(args.output) as out:
        if args.format == "json":
            dump_json(document, out)
        else:
            out.write(plan_markdown(document))
    ctx.log.info("planned", inputs=len(inputs), sites=document["summary"]["sites"], calls=document["summary"]["calls"])
    return EXIT_OK
