"""A full-table load from a real routing table file: a BGP-like client adds every prefix, a router manager listens.

Reads a ``prefix<TAB>origin-AS`` table (gzip or plain text; ``;`` starts a comment), such as the RouteViews
snapshots the benchmarks use (``$RTM_BENCH_DATA``), and records a trace of: a router manager registering with an
event, a BGP client adding one route per prefix (next hop and interface chosen by the origin AS, metric by the AS
path stand-in), the manager draining its change messages every ``--batch`` adds, a sample of longest-prefix lookups,
then both deregistering. With the 2014 table that is about a million calls (512,621 adds and as many dequeues)::

    python -m examples.full_table --out full-table.jsonl                 # the whole 2014 table
    python -m examples.full_table --limit 20000 --out small.jsonl        # the first 20,000 prefixes
    rtmcompat compare --table-limit 0 full-table.jsonl

The trace is written as it is recorded (nothing is held), on V1Reference by default (``--backend shim`` records
what the shim returns instead).
"""

from __future__ import annotations

import argparse
import gzip
import ipaddress
import os
import random
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import rtmcompat
import v2model
from rtmcompat import (
    ERROR_NO_MESSAGES,
    INFINITE,
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    PROTO_IP_BGP,
    PROTO_IP_NT_STATIC,
    RTM_IP_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    ip_address,
)
from rtmcompat.trace import Recorder

REPO = Path(__file__).resolve().parent.parent
#: The 2014 RouteViews table in ``shared/data`` beside the repository (or beside the worktree's parent).
DEFAULT_DATA = (
    next((p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()), REPO.parent / "shared")
    / "data"
    / "ipv4-rib-20140513.dat.gz"
)
PRIORITY = {PROTO_IP_NT_STATIC: 1, PROTO_IP_BGP: 20}
NEXT_HOPS = ("192.0.2.1", "192.0.2.2", "198.51.100.1", "198.51.100.2", "203.0.113.1", "203.0.113.2")


def prefixes(path: str | os.PathLike[str], limit: int | None = None) -> Iterator[tuple[int, int, int]]:
    """(network DWORD, mask DWORD, origin AS) of each IPv4 prefix in file order, host bits cleared, duplicates
    dropped, at most ``limit``."""
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    seen: set[tuple[int, int]] = set()
    with opener(path, "rt", encoding="ascii", errors="replace") as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line.startswith(";"):
                continue
            text, _, origin = line.partition("\t")
            if ":" in text:
                continue
            try:
                network = ipaddress.IPv4Network(text, strict=False)
            except ValueError:
                continue
            key = (int(network.network_address), network.prefixlen)
            if key in seen:
                continue
            seen.add(key)
            digits = "".join(ch for ch in origin.split(" ")[0] if ch.isdigit())
            yield (
                ip_address(str(network.network_address)),
                ip_address(str(network.netmask)),
                int(digits) if digits else 0,
            )
            if limit is not None and len(seen) >= limit:
                return


def drain(api: Any, client: Any) -> None:
    """Dequeue every waiting change message."""
    while api.RtmDequeueRouteChangeMessage(client).status != ERROR_NO_MESSAGES:
        pass


def workload(
    api: Any, table: Iterator[tuple[int, int, int]], batch: int = 1000, lookups: int = 1000, seed: int = 1
) -> int:
    """The full-table load; returns the number of prefixes added."""
    hops = [IP_NETWORK(ip_address(h), 0xFFFFFFFF) for h in NEXT_HOPS]
    _, manager = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_NT_STATIC, threading.Event(), 0)
    _, bgp = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_BGP, None, 0)
    sample: list[int] = []
    rng = random.Random(seed)
    added = 0
    for net, mask, origin in table:
        choice = origin % len(hops)
        route = RTM_IP_ROUTE(
            RR_InterfaceID=1 + choice,
            RR_Network=IP_NETWORK(net, mask),
            RR_NextHopAddress=hops[choice],
            RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=1 + origin % 15),
        )
        api.RtmAddRoute(bgp, route, INFINITE)
        added += 1
        if len(sample) < lookups:
            sample.append(net)
        elif rng.random() < lookups / added:
            sample[rng.randrange(lookups)] = net
        if added % batch == 0:
            drain(api, manager)
    drain(api, manager)
    api.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)
    for net in sample:
        api.RtmLookupIPDestination(net | 0x01000000)  # an address inside the network (last octet 1)
    api.RtmDeregisterClient(manager)
    api.RtmDeregisterClient(bgp)
    return added


def record(data: str | os.PathLike[str], sink: str | Path | IO[str], *, limit: int | None = None,
           backend: str = "reference", batch: int = 1000) -> int:  # fmt: skip
    """Record the load on a fresh backend; returns the number of prefixes added."""
    clock = v2model.ManualClock()
    api: Any
    if backend == "shim":
        rtm = v2model.RoutingTableManager(clock=clock)
        api = rtmcompat.V1Shim(rtm, protocol_priority=PRIORITY)
    else:
        rtm = None
        api = rtmcompat.V1Reference(clock=clock, protocol_priority=PRIORITY)
    try:
        with Recorder(api, sink, clock=clock, protocol_priority=PRIORITY) as recorder:
            return workload(recorder, prefixes(data, limit), batch=batch)
    finally:
        if rtm is not None:
            rtm.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m examples.full_table``."""
    parser = argparse.ArgumentParser(prog="python -m examples.full_table", description="record a full-table load")
    parser.add_argument(
        "--data",
        default=os.environ.get("RTM_BENCH_DATA", str(DEFAULT_DATA)),
        help="prefix<TAB>origin-AS table, .gz or text (default: $RTM_BENCH_DATA or the 2014 RouteViews table)",
    )
    parser.add_argument("--limit", type=int, default=None, help="use only the first N prefixes")
    parser.add_argument("--out", default="full-table.jsonl", help="trace to write (default: %(default)s)")
    parser.add_argument("--backend", choices=("reference", "shim"), default="reference")
    parser.add_argument("--batch", type=int, default=1000, help="adds between two drains of the manager's queue")
    args = parser.parse_args(argv)
    if not os.path.exists(args.data):
        parser.error(f"no table at {args.data} (give --data)")
    added = record(args.data, args.out, limit=args.limit, backend=args.backend, batch=args.batch)
    print(f"wrote {args.out}: {added} prefixes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
