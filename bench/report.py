"""``python -m bench.report`` (``make bench``): the numbers of issue 10 in one run, each against the lean baseline.

Theory of operation
-------------------
* **Two workloads.** The real 512k IPv4 table (``data.table``; a synthetic one of the same size and prefix-length
  mix when the file is not there, and the report says so) and a 1.05M table: the same topped up with synthetic
  prefixes of the real mix (``data.top_up``), today's size. IPv6 lookups use the IPv6 prefixes of the 2015 table
  (or a synthetic table with their mix).
* **Every time is a pair.** Each measure times the lean baseline (``bench.baseline``: a dict table, per-length
  longest-prefix probing, an owner index; no handles, checks, views or messages) and then the project on the same
  inputs, in alternating slices (``bench.timing``), and reports both and the ratio. Absolute times drift with the
  machine's load; the ratios are what to compare.
* **The rows.** RTMv2 add; V1Shim.RtmAddRoute with two listening clients; longest-prefix match through
  RtmGetMostSpecificDestination (alone, and with RtmReleaseDestInfo), RtmLookupIPDestination, IPv6; RtmDeregisterClient
  with one listening client, per route, in a 10k and in the 1.05M table; the 1.05M table through V1Shim (seconds);
  the cost of the shim's mapping-log machinery when the log is off; memory per route of the model and of the shim
  at 1.05M routes (child processes, ``bench.memory``).
* Numbers only: nothing is asserted and the exit status is 0. Oddities (failed calls, disagreeing hit counts) are
  printed as notes.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import subprocess
import sys
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rtmcompat import PROTO_IP_OSPF, PROTO_IP_RIP, V1Shim
from v2model import PROTO_IP_BGP, PROTO_IP_NETMGMT

from . import data
from .baseline import BaselineRib, lookup_all
from .timing import GC_POLICIES, Row, pair, pair_chunked, progress
from .v1_table import NEXTHOPS as V1_NEXTHOPS
from .v1_table import ShimTable
from .v2_table import ModelTable
from .workload import NEXTHOPS, PREF_A, PREF_B, baseline_add_all, baseline_items, model_route_infos

DEFAULT_SEED = 20140513
#: Today's full IPv4 table.
FULL_SIZE = 1_050_000
#: The routes of the client that leaves in the deregistration rows.
DEREG_ROUTES = 10_000
#: v1 protocol priorities (lower wins, V1-A3): RIP's 100 beats OSPF's 110 (the deregistration rows), OSPF's
#: 110 beats RIP's 120 (the add rows).
PRIORITY_ADD = {PROTO_IP_RIP: 120, PROTO_IP_OSPF: 110}
PRIORITY_DEREG = {PROTO_IP_RIP: 100, PROTO_IP_OSPF: 110}
#: The sections ``--only`` accepts.
SECTIONS = ("v2", "shim", "lookup", "dereg", "full", "log", "memory")


class _UnloggedShim(V1Shim):
    """V1Shim with its one mapping-log branch taken out of the call boundary: what the shim would cost if the log
    did not exist (``log`` row). Everything else is the shim's own code."""

    def _call(self, name: str, fail: Any, impl: Any, names: Any, args: tuple[Any, ...]) -> Any:
        tenure = self._tenure
        tenure.enter()
        try:
            if tenure.depth == 1:
                self._begin()
            outer, self._in_call = self._in_call, True
            try:
                return impl(*args)
            except Exception as exc:  # StatusError, as in V1Shim._call
                status = getattr(exc, "status", None)
                if status is None:
                    raise
                return fail(status)
            finally:
                self._in_call = outer
        finally:
            tenure.leave()


def _hop(interface: int, asn: int) -> int:
    """The baseline's next hop of a v1 route: one int per (interface, next hop), as the shim keys them."""
    return interface << 8 | asn % V1_NEXTHOPS


def _shim_baseline(prefixes: list[data.Prefix], owners: list[tuple[str, int, int]]) -> BaselineRib:
    """A baseline table holding ``owners``' routes: (owner, preference, interface) per owner."""
    rib = BaselineRib(32)
    for owner, pref, interface in owners:
        for addr, nbits, asn in prefixes:
            rib.add(owner, addr, nbits, pref, 1 + asn % 15, _hop(interface, asn))
    return rib


def _slice(
    fn: Callable[[Any, Any, list[Any]], Any], target: Any, who: Any, items: list[Any]
) -> Callable[[int, int], Callable[[], Any]]:
    """``base_at`` of ``pair_chunked``: ``fn(target, who, items[lo:hi])``."""
    return lambda lo, hi: functools.partial(fn, target, who, items[lo:hi])


def _slice2(
    fn: Callable[[Any, list[Any], list[Any]], Any], who: Any, first: list[Any], second: list[Any]
) -> Callable[[int, int], Callable[[], Any]]:
    """``model_at`` of ``pair_chunked``: ``fn(who, first[lo:hi], second[lo:hi])``."""
    return lambda lo, hi: functools.partial(fn, who, first[lo:hi], second[lo:hi])


def _add_slice(shim: ShimTable, client: Any, prefixes: list[data.Prefix], interface: int, lo: int, hi: int) -> Any:
    """``model_at`` of ``pair_chunked`` for v1 adds: the slice's route structures are made here, untimed."""
    return functools.partial(shim.add, client, shim.routes(prefixes[lo:hi], interface))


class Report:
    """Runs the selected sections and collects rows, absolute figures and notes."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows: list[Row] = []
        self.figures: list[tuple[str, str, str]] = []
        self.notes: list[str] = []
        progress("loading the tables")
        self.real = data.table(args.data, 4, args.limit, args.seed)
        self.big = data.top_up(self.real, args.full, args.seed + 7)
        self.real6 = data.table(args.data6, 6, args.limit, args.seed)
        self.meta: dict[str, Any] = {}

    # --- helpers -------------------------------------------------------------------------------------------

    def _row(self, name: str, title: str, ops: int) -> Row:
        row = Row(name, title, ops)
        self.rows.append(row)
        progress(f"{name}: {ops:,} operations")
        return row

    def _done(self, row: Row) -> None:
        progress(f"{row.name}: baseline {row.base_s:.2f}s, project {row.model_s:.2f}s (x{row.ratio:.1f})")

    # --- RTMv2 ---------------------------------------------------------------------------------------------

    def v2(self) -> ModelTable:
        """RTMv2 add on the real table: A's routes create the destinations, B's are the second routes and win."""
        table, args = self.real, self.args
        model, base = ModelTable(table), BaselineRib(32)
        addrs = data.net_addresses(table)
        for slot, (owner, protocol, pref) in enumerate((("A", PROTO_IP_RIP, PREF_A), ("B", PROTO_IP_BGP, PREF_B))):
            ent = model.register(protocol)
            infos = model_route_infos(table, model.route_infos(model.add_nexthops(ent, slot, NEXTHOPS), pref))
            items = baseline_items(table, owner, pref)
            what = "new destinations" if owner == "A" else "second route of each destination, it wins"
            row = self._row(
                f"v2-add-{owner.lower()}",
                f"RTMv2 add (RtmAddRouteToDest + RtmReleaseRoutes), {what}",
                len(table),
            )
            _, outcomes = pair_chunked(
                row,
                args.chunk,
                _slice(baseline_add_all, base, owner, items),
                _slice2(model.add_release, ent, addrs, infos),
                args.gc,
            )
            failures = sum(o.failures for o in outcomes)
            if failures:
                row.notes.append(f"ODD: {failures:,} adds failed")
            self._done(row)
        self._model, self._model_base = model, base
        return model

    def lookup(self) -> None:
        """Longest-prefix match: RTMv2 IPv4 (alone and with the release), RtmLookupIPDestination, RTMv2 IPv6."""
        args = self.args
        if not hasattr(self, "_model"):
            self.v2()
        model, base = self._model, self._model_base
        ent = model.register(PROTO_IP_NETMGMT)
        hosts = data.lookup_addresses(self.real, args.lookups, args.seed + 1)
        row = self._row("v2-lpm", "RtmGetMostSpecificDestination (IPv4), infos released untimed", len(hosts))
        held: list[Any] = []
        base_hits, model_hits = pair_chunked(
            row,
            args.chunk,
            lambda lo, hi: functools.partial(lookup_all, base, hosts[lo:hi]),
            lambda lo, hi: functools.partial(
                model.lookup_only, ent, data.host_addresses(self.real, hosts[lo:hi]), held
            ),
            args.gc,
            between=lambda: model.release_infos(ent, held),
        )
        self._hits(row, sum(base_hits), sum(model_hits))
        row = self._row("v2-lpm-release", "RtmGetMostSpecificDestination + RtmReleaseDestInfo (IPv4)", len(hosts))
        base_hits, model_hits = pair_chunked(
            row,
            args.chunk,
            lambda lo, hi: functools.partial(lookup_all, base, hosts[lo:hi]),
            lambda lo, hi: functools.partial(model.lookup, ent, data.host_addresses(self.real, hosts[lo:hi])),
            args.gc,
        )
        self._hits(row, sum(base_hits), sum(model_hits))
        # IPv6, on a table of its own
        table6 = self.real6
        model6, base6 = ModelTable(table6), BaselineRib(128)
        ent6 = model6.register(PROTO_IP_RIP)
        infos6 = model_route_infos(table6, model6.route_infos(model6.add_nexthops(ent6, 0, NEXTHOPS), PREF_A))
        model6.add_release(ent6, data.net_addresses(table6), infos6)
        baseline_add_all(base6, "A", baseline_items(table6, "A", PREF_A))
        reader6 = model6.register(PROTO_IP_NETMGMT)
        hosts6 = data.lookup_addresses(table6, args.lookups, args.seed + 2)
        row = self._row(
            "v2-lpm6",
            f"RtmGetMostSpecificDestination + RtmReleaseDestInfo (IPv6, {len(table6):,} prefixes)",
            len(hosts6),
        )
        base_hits, model_hits = pair_chunked(
            row,
            args.chunk,
            lambda lo, hi: functools.partial(lookup_all, base6, hosts6[lo:hi]),
            lambda lo, hi: functools.partial(model6.lookup, reader6, data.host_addresses(table6, hosts6[lo:hi])),
            args.gc,
        )
        self._hits(row, sum(base_hits), sum(model_hits))
        # v1, through the shim over the same prefixes (RIP and OSPF routes, as in the shim rows)
        shim, _ = self._shim_with_table()
        base1 = _shim_baseline(self.real.prefixes, [("RIP", 120, 1), ("OSPF", 110, 2)])
        row = self._row("v1-lookup", "RtmLookupIPDestination (V1Shim, IPv4)", len(hosts))
        base_hits, model_hits = pair_chunked(
            row,
            args.chunk,
            lambda lo, hi: functools.partial(lookup_all, base1, hosts[lo:hi]),
            lambda lo, hi: functools.partial(shim.lookup, hosts[lo:hi]),
            args.gc,
        )
        self._hits(row, sum(base_hits), sum(model_hits))

    def _hits(self, row: Row, base_hits: int, model_hits: int) -> None:
        row.notes.append(f"covered: {model_hits:,} of {row.ops:,} ({100 * model_hits / max(row.ops, 1):.1f}%)")
        if base_hits != model_hits:
            row.notes.append(f"ODD: the baseline found {base_hits:,}")
        self._done(row)

    # --- V1Shim --------------------------------------------------------------------------------------------

    def _shim_with_table(self) -> tuple[ShimTable, Any]:
        """The shim of the ``shim`` section (RIP's and OSPF's routes on the real table), built if not yet."""
        if not hasattr(self, "_shim"):
            self.shim()
        return self._shim, self._shim_rip

    def shim(self) -> None:
        """V1Shim.RtmAddRoute with two listening clients: RIP adds every prefix, then OSPF adds them again and
        wins (OSPF's priority 110 beats RIP's 120)."""
        args, prefixes = self.args, self.real.prefixes
        shim = ShimTable(PRIORITY_ADD)
        rip, ospf = shim.register(PROTO_IP_RIP), shim.register(PROTO_IP_OSPF)
        base = BaselineRib(32)
        for name, client, other, interface, pref in (("rip", rip, ospf, 1, 120), ("ospf", ospf, rip, 2, 110)):
            owner = name.upper()
            items = [(a, n, pref, 1 + asn % 15, _hop(interface, asn)) for a, n, asn in prefixes]
            title = (
                "V1Shim.RtmAddRoute, 2 listening clients, new networks (RIP)"
                if name == "rip"
                else "V1Shim.RtmAddRoute, 2 listening clients, the route wins (OSPF)"
            )
            row = self._row(f"shim-add-{name}", title, len(prefixes))
            _, failures = pair_chunked(
                row,
                args.chunk,
                _slice(baseline_add_all, base, owner, items),
                functools.partial(_add_slice, shim, client, prefixes, interface),
                args.gc,
                between=functools.partial(shim.drain, other),
            )
            if sum(failures):
                row.notes.append(f"ODD: {sum(failures):,} adds failed")
            row.notes.append("RIP and OSPF registered with a ChangeEvent; the other client's queue drained untimed")
            self._done(row)
        self._shim, self._shim_rip = shim, rip

    def full(self) -> None:
        """The 1.05M table through V1Shim: OSPF adds every route while RIP listens; then RtmDeregisterClient of a
        client with 10,000 routes in that table."""
        args, prefixes = self.args, self.big.prefixes
        shim = ShimTable(PRIORITY_DEREG)
        ospf, rip = shim.register(PROTO_IP_OSPF), shim.register(PROTO_IP_RIP)
        base = BaselineRib(32)
        items = [(a, n, 110, 1 + asn % 15, _hop(2, asn)) for a, n, asn in prefixes]
        row = self._row(
            "full", f"the {len(prefixes):,}-route table through V1Shim.RtmAddRoute (OSPF; RIP listens)", len(prefixes)
        )

        pair_chunked(
            row,
            args.chunk,
            _slice(baseline_add_all, base, "OSPF", items),
            functools.partial(_add_slice, shim, ospf, prefixes, 2),
            args.gc,
            between=functools.partial(shim.drain, rip),
        )
        row.notes.append(f"{self.big.real:,} real prefixes and {self.big.synthetic:,} synthetic ones of the real mix")
        self._done(row)
        self.figures.append(
            (
                "full table through V1Shim",
                f"{row.model_s:.1f} s",
                f"{len(prefixes):,} routes; baseline {row.base_s:.1f} s",
            )
        )
        shim.deregister(rip)
        self._dereg("dereg-1m", shim, base, prefixes, ospf)

    def dereg(self) -> None:
        """RtmDeregisterClient with one listening client in a 10k table (see ``full`` for the 1.05M table)."""
        prefixes = self.big.prefixes[: self.args.dereg_routes]
        shim = ShimTable(PRIORITY_DEREG)
        ospf = shim.register(PROTO_IP_OSPF)
        base = BaselineRib(32)
        shim.add(ospf, shim.routes(prefixes, 2))
        baseline_add_all(base, "OSPF", [(a, n, 110, 1 + asn % 15, _hop(2, asn)) for a, n, asn in prefixes])
        shim.drain(ospf)
        self._dereg("dereg-10k", shim, base, prefixes, ospf)

    def _dereg(self, name: str, shim: ShimTable, base: BaselineRib, table: list[data.Prefix], listener: Any) -> None:
        """RIP adds routes to the first ``--dereg-routes`` prefixes of ``table`` (winning each), OSPF listens;
        RtmDeregisterClient(RIP) is timed, the fastest of ``--repeats`` runs kept (per route)."""
        n = self.args.dereg_routes
        prefixes = table[:n]
        items = [(a, nb, 100, 1 + asn % 15, _hop(1, asn)) for a, nb, asn in prefixes]
        row = Row(name, f"RtmDeregisterClient, 1 listening client, per owned route ({len(table):,}-route table)", n)
        best_model = best_base = float("inf")
        for _ in range(self.args.repeats):
            rip = shim.register(PROTO_IP_RIP)
            shim.add(rip, shim.routes(prefixes, 1))
            shim.drain(listener)
            baseline_add_all(base, "RIP", items)
            trial = Row(name, "", n)
            _, status = pair(
                trial, lambda: base.deregister("RIP"), functools.partial(shim.deregister, rip), self.args.gc
            )
            if status:
                row.notes.append(f"ODD: RtmDeregisterClient returned {status}")
            told = shim.drain(listener)
            if told != n:
                row.notes.append(f"ODD: the listening client got {told:,} messages for {n:,} routes")
            best_model, best_base = min(best_model, trial.model_s), min(best_base, trial.base_s)
        row.model_s, row.base_s = best_model, best_base
        row.notes.append(
            f"RIP's {n:,} routes each beat OSPF's, so every step of the deregistration is a change OSPF is told; "
            f"fastest of {self.args.repeats}"
        )
        self.rows.append(row)
        self._done(row)

    # --- the mapping log, off --------------------------------------------------------------------------------

    def log(self) -> None:
        """What the mapping-log machinery costs when the log is off (``mapping_logger=None``): V1Shim against the
        same shim with its one log branch taken out (``_UnloggedShim``), on the same adds, alternating; and the
        branch itself timed alone, per call."""
        args = self.args
        prefixes = self.real.prefixes[: args.log_routes]
        sides = {}
        for label, cls in (("unlogged", _UnloggedShim), ("shim", V1Shim)):
            table = ShimTable(PRIORITY_ADD, cls=cls)
            sides[label] = (table, table.register(PROTO_IP_RIP), table.register(PROTO_IP_OSPF))
        row = Row(
            "log-off",
            "V1Shim.RtmAddRoute with mapping_logger=None, against the shim without the log branch",
            len(prefixes),
        )
        for lo in range(0, len(prefixes), args.chunk):
            routes = ShimTable.routes(prefixes[lo : lo + args.chunk], 1)
            unlogged, shim = sides["unlogged"], sides["shim"]
            pair(
                row,
                functools.partial(unlogged[0].add, unlogged[1], routes),
                functools.partial(shim[0].add, shim[1], routes),
                args.gc,
            )
            unlogged[0].drain(unlogged[2])
            shim[0].drain(shim[2])
        row.notes.append("'baseline' here is the shim without the branch, not the dict baseline")
        self.rows.append(row)
        self._done(row)
        logged = sides["shim"][0].shim
        per_call = min(timeit.repeat("s._log is not None", globals={"s": logged}, number=1_000_000, repeat=5)) / 1e6
        per_add = row.model_s / row.ops if row.ops else 0.0
        self.figures.append(
            (
                "mapping log off",
                f"{100 * (row.model_s / row.base_s - 1) if row.base_s else 0:+.1f}% measured",
                f"the branch alone: {per_call * 1e9:.0f} ns per v1 call = {100 * per_call / per_add:.2f}% of an add"
                if per_add
                else "",
            )
        )

    # --- memory ----------------------------------------------------------------------------------------------

    def memory(self) -> None:
        """Bytes per route at the full table's size: the model (a destination and its route), the shim (OSPF's
        route per prefix with RIP listening) and the baseline, each in its own child process."""
        args = self.args
        results: dict[str, Any] = {}
        for kind in ("baseline", "model", "shim"):
            cmd = [sys.executable, "-m", "bench.memory", "--kind", kind, "--family", "4", "--seed", str(args.seed)]
            cmd += ["--scale", str(args.full), "--scale-seed", str(args.seed + 7)]
            if args.data is not None:
                cmd += ["--data", str(args.data)]
            if args.limit is not None:
                cmd += ["--limit", str(args.limit)]
            progress(f"memory: child process for the {kind}")
            done = subprocess.run(cmd, cwd=data.REPO_ROOT, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                self.notes.append(f"memory: the {kind} child failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            results[kind] = json.loads(done.stdout)
        self.meta["memory"] = results
        base = results.get("baseline", {}).get("bytes_per_route_a")
        for kind, label in (("model", "memory per route, RTMv2 model"), ("shim", "memory per route, V1Shim")):
            if kind in results:
                got = results[kind]["bytes_per_route_a"]
                ratio = f" = {got / base:.2f}x the baseline's {base:,.0f} B" if base else ""
                self.figures.append(
                    (label, f"{got:,.0f} B", f"at {results[kind]['prefixes']:,} routes, one per destination{ratio}")
                )
        if "model" in results:
            model = results["model"]
            both = (model["bytes_per_route_a"] + model["bytes_per_route_b"]) / 2
            self.figures.append(("memory per route, model, two per destination", f"{both:,.0f} B", "A and B alike"))

    # --- the run ---------------------------------------------------------------------------------------------

    def run(self, sections: list[str]) -> None:
        for section in SECTIONS:
            if section in sections:
                getattr(self, section)()
                gc.collect()
        flat = {r.name: r for r in self.rows}
        if "dereg-10k" in flat and "dereg-1m" in flat and flat["dereg-10k"].model_s:
            small, large = flat["dereg-10k"], flat["dereg-1m"]
            self.figures.append(
                (
                    f"deregistration, {self.args.full:,} / {self.args.dereg_routes:,}-route table",
                    f"x{large.model_us / small.model_us:.2f}",
                    f"per route: {large.model_us:.2f} / {small.model_us:.2f} us; baseline "
                    f"x{large.base_us / small.base_us if small.base_us else 0:.2f}",
                )
            )


def format_report(report: Report, meta: dict[str, Any]) -> str:
    """The report as text."""
    lines = [
        f"rtmcompat benchmarks: {meta['tables']}",
        f"commit {meta['git']}; python {meta['python']} on {meta['platform']}, {meta['cpus']} cpus; "
        f"load average {meta['load_start']} at the start, {meta['load_end']} at the end; gc {meta['gc']}",
        "",
    ]
    if report.rows:
        head = f"{'measure':<84} {'ops':>9} {'s':>7} {'us/op':>7} {'base s':>7} {'us/op':>6} {'ratio':>6}"
        lines += [head, "-" * len(head)]
        for r in report.rows:
            lines.append(
                f"{r.title:<84} {r.ops:>9,} {r.model_s:>7.2f} {r.model_us:>7.2f} {r.base_s:>7.2f} "
                f"{r.base_us:>6.2f} {r.ratio:>5.1f}x"
            )
        lines += ["", "ratio = project seconds / lean baseline seconds, measured back to back in this run", ""]
    if report.figures:
        for label, value, detail in report.figures:
            lines.append(f"{label:<48} {value:>16}   {detail}")
        lines.append("")
    for r in report.rows:
        lines += [f"  {r.name}: {note}" for note in r.notes]
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines).rstrip() + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the IPv4 table (default: as bench/README.md says)")
    parser.add_argument("--data6", type=Path, default=None, help="the IPv6 table (default: the 2015 IPv4+IPv6 file)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a run of a minute or two")
    parser.add_argument("--limit", type=int, default=None, help="use the first N prefixes of the tables")
    parser.add_argument("--full", type=int, default=FULL_SIZE, help=f"the full table's size (default {FULL_SIZE:,})")
    parser.add_argument("--lookups", type=int, default=200_000, help="host lookups per lookup row")
    parser.add_argument("--dereg-routes", type=int, default=DEREG_ROUTES, help="routes of the client that leaves")
    parser.add_argument("--repeats", type=int, default=3, help="deregistrations timed per row (the fastest is kept)")
    parser.add_argument("--log-routes", type=int, default=100_000, help="adds timed by the log row")
    parser.add_argument("--chunk", type=int, default=25_000, help="operations per alternating slice")
    parser.add_argument("--gc", choices=GC_POLICIES, default="freeze", help="gc policy inside timed sections")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--only", action="append", default=None, metavar="SECTION", help=", ".join(SECTIONS))
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit = args.limit or 50_000
        args.full = min(args.full, 100_000)
        args.lookups = min(args.lookups, 50_000)
        args.log_routes = min(args.log_routes, 25_000)
        args.dereg_routes = min(args.dereg_routes, 5_000)
        args.chunk = min(args.chunk, 10_000)
    if args.data is None:
        args.data = data.default_data_path(4)
    if args.data6 is None:
        args.data6 = data.default_data_path(6)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the report; print it; exit 0."""
    args = parse_args(argv)
    sections = [s.strip() for item in (args.only or SECTIONS) for s in item.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    load_start = data.loadavg()
    report = Report(args)
    real, real6 = report.real, report.real6
    tables = (
        f"IPv4 {len(real):,} prefixes ({real.source}), full table {len(report.big):,}; "
        f"IPv6 {len(real6):,} prefixes ({real6.source})"
    )
    if not real.real:
        report.notes.append(f"no real IPv4 table at {args.data}: the tables are synthetic, with the real prefix mix")
    report.run(sections)
    meta = {
        "command": " ".join(["python -m bench.report", *(argv if argv is not None else sys.argv[1:])]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
        "git": data.git_state(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "load_start": load_start,
        "load_end": data.loadavg(),
        "gc": args.gc,
        **report.meta,
    }
    sys.stdout.write(format_report(report, meta))
    if args.json is not None:
        payload = {
            "meta": meta,
            "rows": [r.as_json() for r in report.rows],
            "figures": report.figures,
            "notes": report.notes,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
