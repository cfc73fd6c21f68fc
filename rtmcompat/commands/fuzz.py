"""``rtmcompat fuzz``: generate v1 workloads with Hypothesis and save the diverging ones into a corpus."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from rtmcompat._registry import default_registry
from rtmcompat.cli import CommandError, Context

NAME = "fuzz"
HELP = "search generated v1 call sequences for differences between the reference and the shim"
DESCRIPTION = (
    "Generates v1 call sequences with Hypothesis (several clients of both families, adds, deletes, block deletes, "
    "enumerations, dequeues, aging, deregistrations, stale and NULL handles), runs each on V1Reference and V1Shim "
    "in lockstep, and saves every sequence whose first divergence is of a kind the corpus does not hold yet, "
    "minimised, as a trace into the corpus folder (replay one with `rtmcompat compare FILE`). By default only "
    "unexpected divergences are saved; --include-expected saves documented ones too. Needs Hypothesis: "
    "pip install 'rtmcompat[fuzz]'."
)
EXIT_STATUS = (
    (0, "no new unexpected divergence"),
    (1, "a new unexpected divergence was found and saved"),
    (2, "usage error, or Hypothesis is not installed"),
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Corpus, budget, seed."""
    parser.add_argument(
        "--corpus", default="rtmcompat-corpus", metavar="DIR", help="where diverging traces go (default: %(default)s)"
    )
    parser.add_argument(
        "--examples", type=_positive, default=200, metavar="N", help="programs tried per search (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=None, metavar="N", help="seed for a reproducible search")
    parser.add_argument(
        "--steps", type=_positive, default=40, metavar="N", help="longest program, in steps (default: %(default)s)"
    )
    parser.add_argument(
        "--max-found", type=_positive, default=10, metavar="N", help="stop after saving N traces (default: %(default)s)"
    )
    parser.add_argument("--include-expected", action="store_true", help="also save divergences the registry documents")


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Search, save, report."""
    if importlib.util.find_spec("hypothesis") is None:
        raise CommandError("rtmcompat fuzz needs Hypothesis: pip install 'rtmcompat[fuzz]'")
    # Imported here: Hypothesis is optional, and only this command needs it.
    from rtmcompat._fuzz import Found, fuzz  # noqa: PLC0415

    corpus = Path(args.corpus)
    if corpus.exists() and not corpus.is_dir():
        raise CommandError(f"{corpus}: not a directory")

    def tell(found: Found) -> None:
        ctx.log.info("saved", trace=str(found.path), kind=found.kind, id=found.id, calls=found.calls)

    try:
        found = fuzz(
            corpus,
            default_registry(),
            examples=args.examples,
            seed=args.seed,
            max_steps=args.steps,
            include_expected=args.include_expected,
            max_found=args.max_found,
            on_found=tell,
        )
    except OSError as exc:
        raise CommandError(f"{corpus}: {exc.strerror or exc}") from None
    paint = ctx.paint(ctx.stdout)
    for item in found:
        what = f"{item.kind} {item.id}" if item.id else item.kind
        style = ("red",) if item.kind == "unexpected" else ("yellow",)
        print(f"{item.path}: {paint(what, *style)} at {item.function} ({item.calls} calls)", file=ctx.stdout)
    unexpected = sum(item.kind == "unexpected" for item in found)
    print(f"{len(found)} new divergence(s) saved in {corpus}; {unexpected} unexpected", file=ctx.stdout)
    return 1 if unexpected else 0
