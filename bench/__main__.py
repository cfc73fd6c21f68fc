"""``python -m bench``: time v2model on a real routing table, each operation next to the dict baseline.

Theory of operation
-------------------
* **Pairs, same run, same inputs.** Every benchmark times the baseline (``bench.baseline``) and, right after it,
  v2model (``bench.v2_table``) on the same prepared inputs, and reports both and their ratio. The long ones
  alternate in slices of ``--chunk`` operations (baseline slice, model slice, next slice ...), so a load that
  comes and goes on a noisy machine slows both sides alike and the ratio holds while the absolute numbers drift.
* **One table, one story.** The steps run in order on one RoutingTableManager (and one baseline): A adds every
  prefix, B adds the same prefixes and wins, lookups run on the full table, a small entity C comes and goes,
  B is deregistered (force-clean), re-added keeping its handles, deleted the correct way, re-added releasing its
  handles in batches. ``--only`` runs the steps a selected benchmark needs first, unreported.
* **Only the call is timed.** Inputs (RTM_NET_ADDRESS, RTM_ROUTE_INFO, baseline tuples) are built before the
  clock starts; lookups build their host addresses in chunks between timed sections.
* **Garbage collection.** Before each timed section ``gc.collect()`` then ``gc.freeze()`` (``--gc freeze``, the
  default): the collector keeps running during the section, but over what the section allocates only, so the
  baseline's objects never slow the model's collections or the other way round. ``--gc on`` leaves the collector
  alone; ``--gc off`` disables it inside timed sections.
* **Memory** is measured in two child processes (``bench.memory``), one per side, so the peaks are separate.
* Numbers only: nothing here asserts or decides. Oddities (failed calls, disagreeing hit counts, a leak report
  after a clean exit) are printed as notes.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from v2model import PROTO_IP_BGP, PROTO_IP_NETMGMT, PROTO_IP_OSPF, PROTO_IP_RIP

from . import data
from .baseline import BaselineRib, delete_keys, lookup_all
from .memory import ru_maxrss
from .timing import Row, progress
from .v2_table import AddOutcome, ModelTable
from .workload import (
    NEXTHOPS,
    PREF_A,
    PREF_B,
    BaseItem,
    baseline_add_all,
    baseline_items,
    hop_of,
    metric_of,
    model_route_infos,
)

T = TypeVar("T")

DEFAULT_SEED = 20140513
DEFAULT_LOOKUPS = 1_000_000
#: Sizes of the small entity C, and how many times each deregistration is timed. The fastest run is reported:
#: a deregistration of 1,000 routes takes milliseconds, and on a busy machine noise only ever adds to that.
SMALL_SIZES = (1_000, 10_000)
SMALL_REPEATS = (15, 7)
RELEASE_BATCH = 1_000
#: Operations per alternating baseline/model slice (``--chunk``).
DEFAULT_CHUNK = 50_000

#: The steps, in the order they run on the one table.
STEPS = ("add_a", "add_b", "lookup", "dereg_small", "dereg_force", "add_b_keep", "dereg_clean", "add_b_batch")
#: Steps that leave the table as they found it: skipped unless selected.
SIDE_STEPS = frozenset({"lookup", "dereg_small"})
#: ``--only`` names: a group or a single step.
GROUPS: dict[str, tuple[str, ...]] = {
    "add": ("add_a", "add_b", "add_b_batch"),
    "lookup": ("lookup",),
    "dereg": ("dereg_force", "add_b_keep", "dereg_clean"),
    "dereg-small": ("dereg_small",),
    "memory": (),
    **{step: (step,) for step in STEPS},
}


class Runner:
    """Runs the selected steps on one model table and one baseline, collecting rows."""

    def __init__(self, args: argparse.Namespace, table: data.PrefixTable, selected: set[str]) -> None:
        self.args = args
        self.table = table
        self.selected = selected
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.profiles: dict[str, cProfile.Profile] = {}
        self.main_peak_loaded: int | None = None
        self.model = ModelTable(table)
        self.base = BaselineRib(table.width)
        progress(f"building inputs for {len(table):,} prefixes")
        self.addrs = data.net_addresses(table)
        self.keys = [(addr, nbits) for addr, nbits, _ in table.prefixes]
        self.items_b: list[BaseItem] = baseline_items(table, "B", PREF_B)
        self.ent_b: Any = None
        self.kept: list[Any] = []
        self.nh_b: list[Any] = []
        #: Leak-report records so far, read while no entity holds many handles (the report reprs each one).
        self.dirty = 0

    # --- timing ------------------------------------------------------------------------------------------------

    def time(self, fn: Callable[[], T], profile: str | None = None) -> tuple[float, T]:
        """Seconds taken by ``fn()`` under the ``--gc`` policy (optionally under cProfile, for ``--profile``)."""
        mode = self.args.gc
        if mode != "on":
            gc.collect()
        if mode == "freeze":
            gc.freeze()
        elif mode == "off":
            gc.disable()
        prof = None
        if profile is not None and self.args.profile:
            prof = self.profiles.setdefault(profile, cProfile.Profile())
        try:
            t0 = time.perf_counter()
            result = prof.runcall(fn) if prof is not None else fn()
            elapsed = time.perf_counter() - t0
        finally:
            if mode == "off":
                gc.enable()
        return elapsed, result

    def pair(
        self,
        name: str,
        title: str,
        ops: int,
        unit: str,
        base_fn: Callable[[], Any],
        model_fn: Callable[[], T],
        quiet: bool = False,
    ) -> tuple[Row, Any, T]:
        """Time the baseline, then the model, on the same inputs; returns the row and both results."""
        if not quiet:
            progress(f"{name}: baseline, {ops:,} {unit}s")
        base_s, base_result = self.time(base_fn)
        if not quiet:
            progress(f"{name}: baseline took {base_s:.2f}s; now the model")
        model_s, result = self.time(model_fn, profile=name)
        if not quiet:
            progress(f"{name}: model took {model_s:.2f}s (x{model_s / base_s if base_s else float('inf'):.1f})")
        return Row(name, title, ops, model_s, base_s, unit=unit), base_result, result

    def pair_chunked(
        self,
        name: str,
        title: str,
        total: int,
        unit: str,
        base_at: Callable[[int, int], Callable[[], Any]],
        model_at: Callable[[int, int], Callable[[], T]],
    ) -> tuple[Row, list[Any], list[T]]:
        """Time ``total`` operations in slices of ``--chunk``, baseline then model for each slice, and add up.

        Alternating slices a few seconds long means a load that comes and goes on the machine hits both sides
        alike, which is what keeps the ratio stable. ``base_at(lo, hi)`` / ``model_at(lo, hi)`` build the call for
        one slice (slicing the inputs happens there, outside the timed section).
        """
        row = Row(name, title, total, unit=unit)
        base_results: list[Any] = []
        model_results: list[T] = []
        chunk = max(1, self.args.chunk)
        progress(f"{name}: {total:,} {unit}s, baseline and model alternating {chunk:,} at a time")
        last_report = time.perf_counter()
        for lo in range(0, total, chunk):
            hi = min(total, lo + chunk)
            part, base_result, model_result = self.pair(
                name, "", hi - lo, unit, base_at(lo, hi), model_at(lo, hi), True
            )
            row.base_s += part.base_s
            row.model_s += part.model_s
            base_results.append(base_result)
            model_results.append(model_result)
            if time.perf_counter() - last_report > 10 and hi < total:
                last_report = time.perf_counter()
                progress(f"{name}: {hi:,} of {total:,} done")
        progress(f"{name}: baseline {row.base_s:.2f}s, model {row.model_s:.2f}s (x{row.ratio:.1f})")
        return row, base_results, model_results

    def record(self, row: Row) -> None:
        if row.name in self.selected:
            self.rows.append(row)

    @staticmethod
    def add_notes(row: Row, outcomes: list[AddOutcome]) -> None:
        outcome = AddOutcome.total(outcomes)
        if outcome.failures:
            row.notes.append(f"ODD: {outcome.failures:,} of {outcome.calls:,} adds failed")
        row.notes.append(f"best route changed on {outcome.best_changes:,} of {outcome.calls:,} adds")

    # --- the steps ---------------------------------------------------------------------------------------------

    def run(self) -> None:
        wanted = [i for i, step in enumerate(STEPS) if step in self.selected]
        last = max(wanted, default=-1)
        for step in STEPS[: last + 1]:
            if step in SIDE_STEPS and step not in self.selected:
                continue
            getattr(self, f"step_{step}")()

    def _register_with_hops(
        self, protocol: int, slot: int, pref: int, instance: int = 0
    ) -> tuple[Any, list[Any], list[Any]]:
        """Register an entity, add its 64 next hops; returns (entity, next hops, per-prefix route infos)."""
        ent = self.model.register(protocol, instance)
        hops = self.model.add_nexthops(ent, slot, NEXTHOPS)
        return ent, hops, model_route_infos(self.table, self.model.route_infos(hops, pref))

    def step_add_a(self) -> None:
        items = baseline_items(self.table, "A", PREF_A)
        ent, _hops, infos = self._register_with_hops(PROTO_IP_RIP, 0, PREF_A)
        row, _, outcome = self.pair_chunked(
            "add_a",
            f"add A: {len(self.table):,} routes, add + release each",
            len(self.table),
            "route",
            lambda lo, hi: functools.partial(baseline_add_all, self.base, "A", items[lo:hi]),
            lambda lo, hi: functools.partial(self.model.add_release, ent, self.addrs[lo:hi], infos[lo:hi]),
        )
        self.add_notes(row, outcome)
        row.notes.append("A is RIP-like (Preference 120); every route creates its destination")
        self.record(row)

    def step_add_b(self) -> None:
        ent, hops, infos = self._register_with_hops(PROTO_IP_BGP, 1, PREF_B)
        row, _, outcome = self.pair_chunked(
            "add_b",
            "add B: same prefixes, B wins, add + release each",
            len(self.table),
            "route",
            lambda lo, hi: functools.partial(baseline_add_all, self.base, "B", self.items_b[lo:hi]),
            lambda lo, hi: functools.partial(self.model.add_release, ent, self.addrs[lo:hi], infos[lo:hi]),
        )
        self.add_notes(row, outcome)
        row.notes.append("B is BGP-like (Preference 20 < 120: lower wins), so each add replaces the best route")
        self.record(row)
        self.ent_b, self.nh_b = ent, hops
        gc.collect()
        self.main_peak_loaded = ru_maxrss()
        stats = self.model.statistics()
        progress(f"table loaded: {stats['destinations']:,} destinations, {stats['routes']:,} routes")

    def step_lookup(self) -> None:
        count = self.args.lookups
        ent = self.model.register(PROTO_IP_NETMGMT)
        progress(f"lookup: drawing {count:,} host addresses")
        hosts = data.lookup_addresses(self.table, count, self.args.seed + 1)
        total, base_hits_list, model_hits_list = self.pair_chunked(
            "lookup",
            f"longest-prefix match: {count:,} host lookups",
            count,
            "lookup",
            lambda lo, hi: functools.partial(lookup_all, self.base, hosts[lo:hi]),
            # the host RTM_NET_ADDRESS structures are built here, between timed sections
            lambda lo, hi: functools.partial(self.model.lookup, ent, data.host_addresses(self.table, hosts[lo:hi])),
        )
        base_hits, model_hits = sum(base_hits_list), sum(model_hits_list)
        total.notes.append(
            f"covered: model {model_hits:,}, baseline {base_hits:,} ({100 * base_hits / max(count, 1):.1f}%); "
            "half the hosts are drawn inside the table's prefixes, half uniformly"
        )
        if base_hits != model_hits:
            total.notes.append("ODD: the model and the baseline disagree on how many hosts are covered")
        total.notes.append("model: RtmGetMostSpecificDestination (best route, unicast view) + RtmReleaseDestInfo")
        self.record(total)
        self.model.deregister(ent)

    def _small_entity(
        self, model: ModelTable, base: BaselineRib, addrs: list[Any], prefixes: list[data.Prefix], rep: int
    ) -> tuple[float, float]:
        """Add C's routes to both (untimed), then time deregistering C on each: (baseline s, model s)."""
        ent = model.register(PROTO_IP_OSPF, rep)
        hops = model.add_nexthops(ent, 2, 8)
        per_hop = model.route_infos(hops, 10)
        outcome = model.add_release(ent, addrs, [per_hop[hop_of(asn) % 8] for _, _, asn in prefixes])
        if outcome.failures:
            self.notes.append(f"ODD: {outcome.failures} of C's adds failed")
        owner = ("C", rep)
        for addr, nbits, asn in prefixes:
            base.add(owner, addr, nbits, 10, metric_of(hop_of(asn)), 2 * NEXTHOPS + hop_of(asn) % 8)
        row, _, status = self.pair(
            "dereg_small",
            "",
            len(prefixes),
            "route",
            lambda: base.deregister(owner),
            lambda: model.deregister(ent),
            quiet=True,
        )
        if status:
            self.notes.append(f"ODD: RtmDeregisterEntity of C returned {status}")
        return row.base_s, row.model_s

    def step_dereg_small(self) -> None:
        """Deregistering a small entity in the full table and in an empty one, at two entity sizes: a cost
        proportional to the entity's routes stays flat per route across all four; a cost that grows with the
        table would show as a full/empty factor in the hundreds (the full table has ~1000x the routes)."""
        drawn = data.synthetic_prefixes(self.table, max(SMALL_SIZES), self.args.seed + 2)
        # In address order, as A and B arrive from the (sorted) table file: RtmDeregisterEntity removes routes in
        # canonical order, so routes added in random order are visited in an order unrelated to where they sit in
        # memory, and the per-route cost then climbs with the entity's size (cache misses), not with the table.
        drawn.sort()
        empty_model, empty_base = ModelTable(self.table), BaselineRib(self.table.width)
        others = self.model.statistics()["routes"]
        per_route: dict[tuple[str, int], Row] = {}
        for size, repeats in zip(SMALL_SIZES, SMALL_REPEATS, strict=True):
            prefixes = sorted(drawn[:size])
            addrs = data.net_addresses(self.table, prefixes)
            for where, model, base in (("full", self.model, self.base), ("empty", empty_model, empty_base)):
                progress(f"dereg_small: C with {size:,} routes in the {where} table, {repeats} times")
                times = [self._small_entity(model, base, addrs, prefixes, rep) for rep in range(repeats)]
                what = f"{others:,} other routes" if where == "full" else "no other route"
                row = Row(
                    "dereg_small",
                    f"deregister C ({size:,} routes), {where} table ({what})",
                    size,
                    min(t[1] for t in times),
                    min(t[0] for t in times),
                    unit="route",
                )
                row.notes.append(
                    f"C with {size:,} routes, {where} table: fastest of {repeats}; C's prefixes are synthetic, "
                    f"new to the table and added in address order; the deregistration also removes {size:,} "
                    "destinations"
                )
                per_route[where, size] = row
                self.record(row)
        for size in SMALL_SIZES:
            full, empty = per_route["full", size], per_route["empty", size]
            if empty.model_s and empty.base_s:
                self.notes.append(
                    f"deregistering {size:,} routes, per route, full table / empty table: model "
                    f"{full.model_us:.2f} / {empty.model_us:.2f} us = x{full.model_s / empty.model_s:.2f}; "
                    f"baseline {full.base_us:.2f} / {empty.base_us:.2f} us = x{full.base_s / empty.base_s:.2f}"
                )
        self.notes.append(
            "a deregistration that visited the whole table would cost at least ~0.1 us x "
            f"{others:,} routes = {others * 0.1e-6 * 1e3:.0f} ms even for C; the dict baseline does no per-table "
            "work, so a full/empty factor like the baseline's is cache effects of big dicts"
        )

    def step_dereg_force(self) -> None:
        dirty_before = self.model.dirty_deregistrations()
        row, _, status = self.pair(
            "dereg_force",
            "deregister B (owns a route on every destination), force-clean",
            len(self.table),
            "route",
            lambda: self.base.deregister("B"),
            lambda: self.model.deregister(self.ent_b),
        )
        if status:
            row.notes.append(f"ODD: RtmDeregisterEntity returned {status}")
        self.dirty = self.model.dirty_deregistrations()
        dirty = self.dirty - dirty_before
        row.notes.append(
            "B never deleted its routes nor released its next-hop handles: RtmDeregisterEntity cleans up "
            f"(leak report entries added: {dirty}); every destination falls back to A's route"
        )
        self.record(row)
        self.ent_b = None

    def step_add_b_keep(self) -> None:
        ent, hops, infos = self._register_with_hops(PROTO_IP_BGP, 1, PREF_B)
        self.kept = []
        row, _, outcome = self.pair_chunked(
            "add_b_keep",
            "add B again, keeping every route handle",
            len(self.table),
            "route",
            lambda lo, hi: functools.partial(baseline_add_all, self.base, "B", self.items_b[lo:hi]),
            lambda lo, hi: functools.partial(self.model.add_keep, ent, self.addrs[lo:hi], infos[lo:hi], self.kept),
        )
        self.add_notes(row, outcome)
        row.notes.append("the handles are kept to delete the routes by handle in dereg_clean")
        self.record(row)
        self.ent_b, self.nh_b = ent, hops

    def step_dereg_clean(self) -> None:
        # Not read now: B holds a handle per route and leak_report() would repr each (seconds, untimed but slow).
        dirty_before = self.dirty
        n = len(self.kept)
        row, missing_list, failure_list = self.pair_chunked(
            "dereg_clean",
            "delete B's routes by handle, its next hops, then deregister",
            n,
            "route",
            lambda lo, hi: functools.partial(delete_keys, self.base, "B", self.keys[lo:hi]),
            lambda lo, hi: functools.partial(self.model.delete_routes, self.ent_b, self.kept[lo:hi]),
        )
        # The exit proper, timed as one more slice: the baseline's owner index is empty by now.
        tail, _, tail_failures = self.pair(
            "dereg_clean",
            "",
            0,
            "route",
            lambda: self.base.deregister("B"),
            lambda: self.model.finish_exit(self.ent_b, self.nh_b),
            quiet=True,
        )
        row.base_s += tail.base_s
        row.model_s += tail.model_s
        failures, missing = sum(failure_list) + tail_failures, sum(missing_list)
        if failures or missing:
            row.notes.append(f"ODD: {failures:,} model calls failed, {missing:,} baseline deletes found nothing")
        dirty = self.model.dirty_deregistrations() - dirty_before
        row.notes.append(
            "the correct client's exit: RtmDeleteRouteToDest per kept handle, RtmDeleteNextHop per next hop, "
            "RtmDeregisterEntity" + (f"; ODD: the leak report still gained {dirty} entries" if dirty else "")
        )
        self.record(row)
        self.ent_b, self.kept, self.nh_b = None, [], []

    def step_add_b_batch(self) -> None:
        ent, hops, infos = self._register_with_hops(PROTO_IP_BGP, 1, PREF_B)
        row, _, outcome = self.pair_chunked(
            "add_b_batch",
            f"add B again, releasing handles {RELEASE_BATCH:,} per RtmReleaseRoutes",
            len(self.table),
            "route",
            lambda lo, hi: functools.partial(baseline_add_all, self.base, "B", self.items_b[lo:hi]),
            lambda lo, hi: functools.partial(
                self.model.add_batched, ent, self.addrs[lo:hi], infos[lo:hi], RELEASE_BATCH
            ),
        )
        self.add_notes(row, outcome)
        self.record(row)
        self.ent_b, self.nh_b = ent, hops


# --- memory ---------------------------------------------------------------------------------------------------


def run_memory(args: argparse.Namespace) -> dict[str, Any]:
    """Run ``bench.memory`` once per side in a child process; the two results."""
    out: dict[str, Any] = {}
    for kind in ("baseline", "model"):
        cmd = [sys.executable, "-m", "bench.memory", "--kind", kind, "--data", str(args.data)]
        cmd += ["--family", str(args.family), "--seed", str(args.seed)]
        if args.limit is not None:
            cmd += ["--limit", str(args.limit)]
        if args.scale is not None:
            cmd += ["--scale", str(args.scale)]
        progress(f"memory: child process for the {kind}")
        done = subprocess.run(cmd, cwd=data.REPO_ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            out[kind] = {"error": done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]}
            continue
        result = json.loads(done.stdout)
        # ru_maxrss is sampled by the kernel and can trail the last RSS reading by a few pages.
        result["peak"] = max(result["peak"], result["rss_b"])
        out[kind] = result
    return out


# --- the report -----------------------------------------------------------------------------------------------


def _mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def format_report(meta: dict[str, Any], rows: list[Row], memory: dict[str, Any] | None, notes: list[str]) -> str:
    lines = [
        f"v2model benchmarks: {meta['data_name']}, {meta['prefixes']:,} IPv{meta['family']} prefixes "
        f"({meta['real']:,} real, {meta['synthetic']:,} synthetic); seed {meta['seed']}; gc {meta['gc']}",
        f"v2model at {meta['git']}; python {meta['python']} on {meta['platform']}, {meta['cpus']} cpus, "
        f"load average at start {meta['load_start']}"
        + (" (PROFILED: model times include cProfile overhead)" if meta["profile"] else ""),
        "",
    ]
    if rows:
        head = f"{'benchmark':<66} {'ops':>10} {'model s':>9} {'us/op':>8} {'base s':>8} {'us/op':>7} {'ratio':>7}"
        lines += [head, "-" * len(head)]
        for r in rows:
            lines.append(
                f"{r.title:<66} {r.ops:>10,} {r.model_s:>9.3f} {r.model_us:>8.2f} {r.base_s:>8.3f} "
                f"{r.base_us:>7.2f} {r.ratio:>6.1f}x"
            )
        lines += ["", "ratio = model seconds / baseline seconds, both measured back to back in this run.", ""]
        for r in rows:
            for note in r.notes:
                lines.append(f"  {r.name}: {note}")
        lines.append("")
    if meta.get("main_peak_loaded"):
        lines.append(
            f"main process ru_maxrss once A and B were loaded: {_mib(meta['main_peak_loaded'])} "
            "(both tables, both sides' inputs)"
        )
        lines.append("")
    if memory:
        model, base = memory.get("model", {}), memory.get("baseline", {})
        if "error" in model or "error" in base:
            lines.append(f"memory: a child failed: {model.get('error') or base.get('error')}")
        else:
            head = f"{'memory (one child process per side)':<58} {'model':>14} {'baseline':>14} {'ratio':>7}"
            lines += [head, "-" * len(head)]
            entries = [
                ("RSS with the inputs loaded, no table", "rss_inputs", _mib),
                ("RSS after A's routes", "rss_a", _mib),
                ("RSS after B's routes too", "rss_b", _mib),
                ("peak RSS (VmHWM, i.e. ru_maxrss of this process image)", "peak", _mib),
                ("bytes per route, A (new destination + its route)", "bytes_per_route_a", lambda v: f"{v:,.0f} B"),
                ("bytes per route, B (second route of a destination)", "bytes_per_route_b", lambda v: f"{v:,.0f} B"),
            ]
            for label, key, fmt in entries:
                ratio = model[key] / base[key] if base[key] else float("inf")
                lines.append(f"{label:<58} {fmt(model[key]):>14} {fmt(base[key]):>14} {ratio:>6.2f}x")
            tables = (model["rss_b"] - model["rss_inputs"], base["rss_b"] - base["rss_inputs"])
            lines.append(
                f"{'table A+B (RSS delta)':<58} {_mib(tables[0]):>14} {_mib(tables[1]):>14} "
                f"{tables[0] / tables[1] if tables[1] else float('inf'):>6.2f}x"
            )
            lines += [
                "",
                "method: each side builds A then B in its own child process (python -m bench.memory); RSS is read from",
                f"{model['rss_source']} after gc.collect() at each stage; bytes per route are RSS deltas / prefixes",
                "(allocator slack included, no tracemalloc); both children hold the same inputs, so the peaks compare.",
                "",
            ]
    if notes:
        lines += [f"note: {n}" for n in notes]
    return "\n".join(lines).rstrip() + "\n"


# --- the command ----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time v2model on a real routing table, each operation next to a minimal dict baseline.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help=f"gz table (default: ${data.DATA_ENV}, else shared/data/{data.DEFAULT_FILE} beside the checkout)",
    )
    parser.add_argument("--family", type=int, choices=(4, 6), default=4, help="address family to load (default 4)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N prefixes (quick run)")
    parser.add_argument(
        "--scale",
        type=int,
        default=None,
        help="top the table up to N prefixes with synthetic ones of the same length mix (e.g. 1050000)",
    )
    parser.add_argument("--lookups", type=int, default=DEFAULT_LOOKUPS, help="host lookups (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of every random draw")
    parser.add_argument(
        "--only",
        action="append",
        default=None,
        metavar="NAME",
        help=f"run only these benchmarks (repeat or comma-separate): {', '.join(GROUPS)}",
    )
    parser.add_argument(
        "--chunk",
        type=int,
        default=DEFAULT_CHUNK,
        help=f"operations per alternating baseline/model slice (default {DEFAULT_CHUNK:,})",
    )
    parser.add_argument("--gc", choices=("freeze", "on", "off"), default="freeze", help="gc policy in timed sections")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--profile", action="store_true", help="run the model side under cProfile; print the hot spots to stderr"
    )
    args = parser.parse_args(argv)
    if args.data is None:
        args.data = data.default_data_path()
    return args


def selected_steps(only: list[str] | None) -> tuple[set[str], bool]:
    """The steps to report and whether to measure memory."""
    if not only:
        return set(STEPS), True
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise SystemExit(f"unknown --only name(s): {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    return {step for n in names for step in GROUPS[n]}, "memory" in names


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    steps, memory_wanted = selected_steps(args.only)
    if not Path(args.data).exists():
        progress(f"no data file at {args.data}: a synthetic table with the real prefix-length mix instead")
    progress(f"loading {args.data}")
    table = data.table(args.data, args.family, args.limit, args.seed)
    if args.scale:
        progress(f"topping up to {args.scale:,} prefixes")
        table = data.top_up(table, args.scale, args.seed)
    progress(f"{len(table):,} prefixes ({table.real:,} real, {table.synthetic:,} synthetic)")
    meta: dict[str, Any] = {
        "command": " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": str(args.data),
        "data_name": Path(args.data).name if table.real else table.source,
        "family": args.family,
        "prefixes": len(table),
        "real": table.real,
        "synthetic": table.synthetic,
        "duplicates_dropped": table.duplicates,
        "limit": args.limit,
        "scale": args.scale,
        "lookups": args.lookups,
        "seed": args.seed,
        "gc": args.gc,
        "profile": args.profile,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "load_start": data.loadavg(),
        "git": data.git_state(),
    }
    runner = Runner(args, table, steps)
    runner.run()
    meta["main_peak_loaded"] = runner.main_peak_loaded
    del runner.model, runner.base  # free the tables before the memory children start
    gc.collect()
    memory = run_memory(args) if memory_wanted else None
    meta["load_end"] = data.loadavg()
    sys.stdout.write(format_report(meta, runner.rows, memory, runner.notes))
    if args.profile:
        for name, prof in runner.profiles.items():
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(20)
            print(f"\n===== cProfile, model side of {name} (by tottime) =====\n{buf.getvalue()}", file=sys.stderr)
    if args.json is not None:
        payload = {
            "meta": meta,
            "timings": [r.as_json() for r in runner.rows],
            "memory": memory,
            "notes": runner.notes,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        progress(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
