"""``rtmcompat mapping``: the RTMv1 -> RTMv2 mapping table, for people (text, Markdown) and programs (JSON)."""

from __future__ import annotations

import argparse

import attrs

from rtmcompat._mapping import MAPPINGS, mapping_markdown, mapping_text
from rtmcompat.cli import CommandError, Context, dump_json

NAME = "mapping"
HELP = "print the v1 -> v2 mapping table"
DESCRIPTION = (
    "Prints how each RTMv1 function is ported to RTMv2: the v2 calls, what a port has to know, and how statuses map. "
    "Name functions to print only those."
)
EXIT_STATUS = ((0, "the table was printed"), (2, "usage error (e.g. an unknown function name)"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Format and function filter."""
    parser.add_argument("functions", nargs="*", metavar="FUNCTION", help="only these v1 functions (e.g. RtmAddRoute)")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--markdown", action="store_true", help="the Markdown table MIGRATION.md carries")
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
        dump_json({"mappings": [attrs.asdict(m) for m in chosen]}, ctx.stdout)
    elif args.markdown:
        print(mapping_markdown(chosen), file=ctx.stdout)
    else:
        print(mapping_text(chosen), file=ctx.stdout)
    return 0
