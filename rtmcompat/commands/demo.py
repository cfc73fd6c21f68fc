"""``rtmcompat demo``: two legacy RTMv1 protocols on the RTMv2 model, with every translation logged."""

from __future__ import annotations

import argparse

import structlog

from rtmcompat.cli import Context
from rtmcompat.demo import run_demo

NAME = "demo"
HELP = "run legacy v1 protocols on the v2 model and show the mapping log"
DESCRIPTION = (
    "Registers RIP and OSPF as RTMv1 clients of the shim, lets a native RTMv2 entity join, deregisters RIP and shows "
    "the best routes before and after. The story goes to stdout; the mapping log (one rtm.v1_call event per v1 "
    "call) goes to stderr, as every log does."
)
EXIT_STATUS = ((0, "the demo ran"), (2, "usage error"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The demo takes only the common options."""


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run the demo."""
    logger = structlog.get_logger("rtmcompat.demo")
    run_demo(logger, ctx.stdout)
    return 0
