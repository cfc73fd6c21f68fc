"""``rtmcompat guide``: the porting guide (MIGRATION.md) and the behaviour reference, as installed with the package.

A wheel carries both documents as package data (``rtmcompat/_docs/``, mapped from the repository's MIGRATION.md and
docs/behaviour.md by ``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml); a source checkout or an
editable install reads them where they live in the repository.
"""

from __future__ import annotations

import argparse
import importlib.resources
from pathlib import Path

from rtmcompat.cli import CommandError, Context

NAME = "guide"
HELP = "print the porting guide (MIGRATION.md) or the behaviour reference"
DESCRIPTION = (
    "Prints the RTMv1 -> RTMv2 porting guide (MIGRATION.md): why both APIs exist, the concept map, one section per "
    "v1 function with the RTMv2 calls and a C sketch, and the decisions this project took. 'rtmcompat guide "
    "behaviour' prints the behaviour reference (docs/behaviour.md) whose ids (V1-A26, V2-A-ttl, M-...) the guide, "
    "the code and the reports cite. Both are Markdown."
)
EXIT_STATUS = ((0, "the document was printed"), (2, "usage error, or the document is not installed"))

#: topic -> (file name inside the package's _docs folder, path in a source checkout relative to the repository)
DOCUMENTS: dict[str, tuple[str, str]] = {
    "migration": ("MIGRATION.md", "MIGRATION.md"),
    "behaviour": ("behaviour.md", "docs/behaviour.md"),
}

#: The folder of the package that holds the documents in a wheel.
PACKAGED = "_docs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Which document."""
    parser.add_argument(
        "topic",
        nargs="?",
        default="migration",
        choices=tuple(DOCUMENTS),
        help="migration (the porting guide, the default) or behaviour (the behaviour reference)",
    )


def document(topic: str) -> str:
    """The text of a document: the copy packaged in the wheel, else the repository's file beside the package."""
    packaged, source = DOCUMENTS[topic]
    resource = importlib.resources.files("rtmcompat").joinpath(PACKAGED, packaged)
    if resource.is_file():
        return resource.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / source
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise CommandError(f"{source} is not installed with this copy of rtmcompat")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Print the document."""
    ctx.stdout.write(document(args.topic))
    return 0
