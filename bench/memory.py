"""Memory of a loaded table, measured in a child process per implementation so the peaks are separate.

``python -m bench.memory --kind model|shim|baseline [--data PATH --limit N --scale N --family 4|6 --seed S]``
loads the inputs (the same ones for every kind: prefix tuples and RTM_NET_ADDRESS structures), then builds the
table, reading the resident set size (RSS, ``/proc/self/statm``) after a ``gc.collect()`` at each stage, and prints
one JSON object. ``model`` and ``baseline`` build entity A's routes and entity B's overlapping routes with the
workload of the timing benchmarks (``bench.workload``); ``shim`` adds one route per prefix through V1Shim, as OSPF
with RIP listening (two clients with events; RIP's queue is drained every 10,000 routes, as a client dequeues its
messages), so stage A is the whole table and there is no stage B:

* ``rss_inputs``: RSS with the inputs loaded and no table yet,
* ``rss_a`` / ``rss_b``: RSS after A's routes, and after B's too,
* ``peak``: the process's peak RSS at the end, inputs included (``VmHWM``; ``ru_maxrss`` without ``/proc``,
  also reported as ``ru_maxrss``),
* ``bytes_per_route_a`` = (rss_a - rss_inputs) / routes (a destination and its first route each),
  ``bytes_per_route_b`` = (rss_b - rss_a) / routes (one more route on an existing destination).

RSS deltas are a tracemalloc-free estimate: they include allocator slack and whatever the interpreter keeps in
its free lists, which a real process pays too. Without ``/proc`` the deltas fall back to ``ru_maxrss`` deltas.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
from typing import Any

from v2model import INFINITE, PROTO_IP_BGP, PROTO_IP_RIP

from . import data
from .baseline import BaselineRib
from .workload import BASE_NEXTHOP_OFFSET, NEXTHOPS, PREF_A, PREF_B, hop_of, metric_of


def current_rss() -> int:
    """Resident set size in bytes (``/proc/self/statm``; the peak RSS where there is no ``/proc``)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return peak_rss()


def peak_rss() -> int:
    """The process's peak RSS in bytes: ``VmHWM`` from ``/proc/self/status`` where there is one, else
    ``ru_maxrss``. On Linux ``ru_maxrss`` survives ``execve``: a child started from a large parent reports the
    parent's peak until it outgrows it, while ``VmHWM`` belongs to the child's own address space."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return ru_maxrss()


def ru_maxrss() -> int:
    """``resource.getrusage(RUSAGE_SELF).ru_maxrss`` in bytes (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def load_inputs(args: argparse.Namespace) -> data.PrefixTable:
    """The table the way ``python -m bench`` reads it."""
    table = data.table(args.data, args.family, args.limit, args.seed)
    if args.scale:
        table = data.top_up(table, args.scale, args.seed if args.scale_seed is None else args.scale_seed)
    return table


def measure(kind: str, table: data.PrefixTable) -> dict[str, Any]:
    """Build A and B in this process and report the RSS at each stage.

    The loops compute each route's arguments on the fly instead of building per-route lists first, so the RSS
    deltas hold only the table; the inputs both kinds hold (prefix tuples, RTM_NET_ADDRESS list) are counted in
    ``rss_inputs`` and in ``peak``, equally for both.
    """
    addrs = data.net_addresses(table)
    n = len(table)
    if kind == "shim":
        return _measure_shim(table, addrs)
    if kind == "model":
        from .v2_table import ModelTable

        model = ModelTable(table)
        rtm = model.rtm
        ent_a = model.register(PROTO_IP_RIP)
        ent_b = model.register(PROTO_IP_BGP)
        infos_a = model.route_infos(model.add_nexthops(ent_a, 0, NEXTHOPS), PREF_A)
        infos_b = model.route_infos(model.add_nexthops(ent_b, 1, NEXTHOPS), PREF_B)
        gc.collect()
        rss = [current_rss()]
        for ent, infos in ((ent_a, infos_a), (ent_b, infos_b)):
            for (_, _, asn), addr in zip(table.prefixes, addrs, strict=True):
                _status, handle, _flags = rtm.RtmAddRouteToDest(
                    ent, None, addr, infos[hop_of(asn)], INFINITE, None, 0, None, 0
                )
                if handle is not None:
                    rtm.RtmReleaseRoutes(ent, 1, [handle])
            gc.collect()
            rss.append(current_rss())
        routes = model.statistics()["routes"]
    else:
        rib = BaselineRib(table.width)
        gc.collect()
        rss = [current_rss()]
        for owner, pref in (("A", PREF_A), ("B", PREF_B)):
            offset = BASE_NEXTHOP_OFFSET[owner]
            for addr_int, nbits, asn in table.prefixes:
                hop = hop_of(asn)
                rib.add(owner, addr_int, nbits, pref, metric_of(hop), offset + hop)
            gc.collect()
            rss.append(current_rss())
        routes = rib.route_count()
    rss_inputs, rss_a, rss_b = rss
    return {
        "kind": kind,
        "prefixes": n,
        "routes": routes,
        "rss_inputs": rss_inputs,
        "rss_a": rss_a,
        "rss_b": rss_b,
        "peak": peak_rss(),
        "ru_maxrss": ru_maxrss(),
        "bytes_per_route_a": (rss_a - rss_inputs) / n if n else 0.0,
        "bytes_per_route_b": (rss_b - rss_a) / n if n else 0.0,
        "rss_source": "/proc/self/statm" if os.path.exists("/proc/self/statm") else "ru_maxrss",
    }


def _measure_shim(table: data.PrefixTable, addrs: list[Any]) -> dict[str, Any]:
    """The ``shim`` kind: OSPF adds every prefix through V1Shim while RIP listens."""
    from rtmcompat import PROTO_IP_OSPF, PROTO_IP_RIP

    from .v1_table import ShimTable

    shim = ShimTable({PROTO_IP_RIP: 120, PROTO_IP_OSPF: 110})
    ospf, rip = shim.register(PROTO_IP_OSPF), shim.register(PROTO_IP_RIP)
    gc.collect()
    rss_inputs = current_rss()
    prefixes = table.prefixes
    for lo in range(0, len(prefixes), 10_000):
        shim.add(ospf, shim.routes(prefixes[lo : lo + 10_000], 2))
        shim.drain(rip)
    gc.collect()
    rss_a = current_rss()
    n = len(prefixes)
    return {
        "kind": "shim",
        "prefixes": n,
        "routes": shim.rtm.statistics()["routes"],
        "rss_inputs": rss_inputs,
        "rss_a": rss_a,
        "rss_b": rss_a,
        "peak": peak_rss(),
        "ru_maxrss": ru_maxrss(),
        "bytes_per_route_a": (rss_a - rss_inputs) / n if n else 0.0,
        "bytes_per_route_b": 0.0,
        "rss_source": "/proc/self/statm" if os.path.exists("/proc/self/statm") else "ru_maxrss",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=("model", "shim", "baseline"), required=True)
    parser.add_argument("--data", default=str(data.default_data_path()))
    parser.add_argument("--family", type=int, choices=(4, 6), default=4)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--scale", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale-seed", type=int, default=None, help="seed of the top-up (default: --seed)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.kind, load_inputs(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
