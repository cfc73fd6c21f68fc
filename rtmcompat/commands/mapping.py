"""``rtmcompat mapping``: the RTMv1 -> RTMv2 mapping table, for people (text, Markdown) and programs (JSON)."""

from __future__ import annotations

import argparse

from rtmcompat._mapping import MAPPINGS, mapping_guide, mapping_json, mapping_markdown, mapping_text
from rtmcompat.cli import CommandError, Context, dump_json

NAME = "mapping"
HELP = "print the v1 -> v2 mapping table"
DESCRIPTION = (
    "Prints how each RTMv1 function is ported to RTMv2: the RTMv2 calls a port makes, the kind of change, whether "
    "manual work is needed, the effort weight, the known differences it touches, what a port has to know and how "
    "statuses map (and the RTMv2 calls V1Shim makes for it). --guide prints MIGRATION.md's function-by-function "
    "sections with their C sketches; --json the table as data (shape in MIGRATION.md, 'The mapping table as data'). "
    "Name functions to print only those."
)
EXIT_STATUS = ((0, "the table was printed"), (2, "usage error (e.g. an unknown function name)"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Format and function filter."""
    parser.add_argument("functions", nargs="*", metavar="FUNCTION", help="only these v1 functions (e.g. RtmAddRoute)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true", help="the summary table MIGRATION.md carries")
    form.add_argument("--guide", action="store_true", help="MIGRATION.md's per-function sections, with C sketches")
    form.add_argument("--json", action="store_true", help="the table as JSON")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Print the table."""
    known = {m.v1 for m in MAPPINGS}
    unknown = [name for name in args.functions if name not in known]
    if unknown:
        raise CommandError(f"unknown v1 function {unknown[0]!r} (known: {', '.join(m.v1 for m in MAPPINGS)})")
    wanted = set(args.functions) or known
    chosen = tuple(m for m in MAPPINGS if m.v1 in wanted)
    if args.json:
        dump_json(mapping_json(chosen), ctx.stdout)
    elif args.markdown:
        print(mapping_markdown(chosen), file=ctx.stdout)
    elif args.guide:
        print(mapping_guide(chosen), file=ctx.stdout)
    else:
        print(mapping_text(chosen), file=ctx.stdout)
    return 0
