"""Paired timing: the lean baseline and the project on the same inputs, back to back, under one gc policy.

``pair`` times the baseline, then the other side; ``pair_chunked`` does that in alternating slices, so a load that
comes and goes on a shared machine slows both sides alike and the ratio holds while absolute times drift. Before
each timed section ``gc.collect()`` then ``gc.freeze()`` (policy ``freeze``): collections still run inside the
section, but only over what the section allocates, so neither side pays to traverse the other's objects, nor its
own table over and over (``bench/README.md``, "Garbage collection"). Only the calls are timed: callers build the
inputs of each slice beforehand, and ``between`` runs untimed after each slice (draining a client's queue, say).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

#: Garbage-collector policies inside timed sections.
GC_POLICIES = ("freeze", "on", "off")

_START = time.perf_counter()


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries the report)."""
    print(f"[bench {time.perf_counter() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)


@attrs.define
class Row:
    """One paired measurement: ``ops`` operations on each side, the seconds each took, and notes."""

    name: str
    title: str
    ops: int
    model_s: float = 0.0
    base_s: float = 0.0
    notes: list[str] = attrs.Factory(list)
    #: What one operation is (``route``, ``lookup``), for the report's column.
    unit: str = "op"

    @property
    def model_us(self) -> float:
        """Microseconds per operation, project side."""
        return self.model_s / self.ops * 1e6 if self.ops else 0.0

    @property
    def base_us(self) -> float:
        """Microseconds per operation, baseline side."""
        return self.base_s / self.ops * 1e6 if self.ops else 0.0

    @property
    def ratio(self) -> float:
        """Project seconds over baseline seconds."""
        return self.model_s / self.base_s if self.base_s else float("inf")

    def as_json(self) -> dict[str, Any]:
        """The row as plain data."""
        return {
            "name": self.name,
            "title": self.title,
            "ops": self.ops,
            "unit": self.unit,
            "model_s": self.model_s,
            "baseline_s": self.base_s,
            "model_us_per_op": self.model_us,
            "baseline_us_per_op": self.base_us,
            "ratio": self.ratio,
            "notes": self.notes,
        }


def timed(fn: Callable[[], Any], policy: str = "freeze") -> tuple[float, Any]:
    """Seconds ``fn()`` took under the gc policy, and what it returned."""
    if policy != "on":
        gc.collect()
    if policy == "freeze":
        gc.freeze()
    elif policy == "off":
        gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    finally:
        if policy == "off":
            gc.enable()
    return elapsed, result


def pair(row: Row, base_fn: Callable[[], Any], model_fn: Callable[[], Any], policy: str) -> tuple[Any, Any]:
    """Time the baseline, then the project, adding the seconds to ``row``; both results."""
    base_s, base_result = timed(base_fn, policy)
    model_s, model_result = timed(model_fn, policy)
    row.base_s += base_s
    row.model_s += model_s
    return base_result, model_result


def pair_chunked(
    row: Row,
    chunk: int,
    base_at: Callable[[int, int], Callable[[], Any]],
    model_at: Callable[[int, int], Callable[[], Any]],
    policy: str,
    between: Callable[[], Any] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Time ``row.ops`` operations in slices of ``chunk``, baseline then project for each; ``base_at(lo, hi)`` and
    ``model_at(lo, hi)`` make the call of one slice (preparing its inputs, untimed). Returns both sides' results."""
    base_results: list[Any] = []
    model_results: list[Any] = []
    last = time.perf_counter()
    for lo in range(0, row.ops, max(1, chunk)):
        hi = min(row.ops, lo + max(1, chunk))
        base_fn, model_fn = base_at(lo, hi), model_at(lo, hi)
        base_result, model_result = pair(row, base_fn, model_fn, policy)
        base_results.append(base_result)
        model_results.append(model_result)
        if between is not None:
            between()
        if time.perf_counter() - last > 15 and hi < row.ops:
            last = time.perf_counter()
            progress(f"{row.name}: {hi:,} of {row.ops:,}")
    return base_results, model_results
