"""The ``rtmcompat`` command: the only code in the project that configures structlog."""

from __future__ import annotations

import argparse
import sys
from collections.abc import MutableMapping, Sequence
from typing import Any

import structlog

from ._mapping import mapping_markdown, mapping_text
from ._v1types import IP_NETWORK, ip_address, ip_network
from .demo import run_demo


def _compact_routes(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Show v1 route structures in the console as one readable phrase (the log itself keeps every field)."""
    args = event.get("args")
    if isinstance(args, dict):
        event["args"] = {key: _route_phrase(value) for key, value in args.items()}
    return event


def _route_phrase(value: Any) -> Any:
    if not isinstance(value, dict) or "RR_Network" not in value:
        return value
    network, nexthop = value["RR_Network"], value["RR_NextHopAddress"]
    if "N_NetMask" not in network:
        return f"ipx {network['N_NetNumber']:08x} via {nexthop['NHA_Mac']} if {value['RR_InterfaceID']}"
    metric = value["RR_FamilySpecificData"]["FSD_Metric"]
    where = ip_network(IP_NETWORK(ip_address(network["N_NetNumber"]), ip_address(network["N_NetMask"])))
    return f"{where} via {nexthop['N_NetNumber']} if {value['RR_InterfaceID']} metric {metric}"


def _console_logger() -> structlog.typing.FilteringBoundLogger:
    structlog.configure(
        processors=[
            _compact_routes,
            structlog.processors.add_log_level,
            structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty(), sort_keys=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(0),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=False,
    )
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger("rtmcompat")
    return logger


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``rtmcompat``."""
    parser = argparse.ArgumentParser(prog="rtmcompat", description="Move RTMv1 routing code onto RTMv2 semantics.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="run legacy v1 protocols on the v2 model and show the mapping log")
    mapping = sub.add_parser("mapping", help="print the v1 -> v2 mapping table")
    mapping.add_argument("--markdown", action="store_true", help="the Markdown table MIGRATION.md carries")
    args = parser.parse_args(argv)
    if args.command == "demo":
        run_demo(_console_logger(), sys.stdout)
    elif args.command == "mapping":
        print(mapping_markdown() if args.markdown else mapping_text())
    return 0
