"""What a plan is made of before it is written out (the inputs read, the sources sorted, each trace's use and
replays, the estimate), and the small JSON pieces the plan's sections share."""

from __future__ import annotations

from typing import Any

import attrs

from ._mapping import BY_NAME as MAPPING
from ._plan_effort import Effort
from ._plan_inputs import Input, ScanFinding
from ._plan_replay import Replayed
from ._plan_sources import Site, Sources
from ._plan_traces import Hits, TraceUse


@attrs.define
class TracePlan:
    """One trace's part of a plan: what it exercised, and what its replays showed (None: not replayed)."""

    use: TraceUse
    replayed: Replayed | None = None


@attrs.define
class Plan:
    """Everything a plan is made of, before it is written out."""

    inputs: list[Input]
    sources: Sources | None
    traces: list[TracePlan]
    effort: Effort
    replayed: bool
    notes: list[str] = attrs.field(factory=list)


def migration_anchor(v1: str) -> str:
    """The MIGRATION.md section of a v1 function (the guide's headings are the function names)."""
    return f"MIGRATION.md#{v1.lower()}"


def hits_json(path: str, hits: Hits, routes: bool = False) -> dict[str, Any]:
    """A trace's hits: ``{"path", "count", "calls"}`` (and ``routes`` for paths counted in routes)."""
    data: dict[str, Any] = {"path": path, "count": hits.count, "calls": list(hits.calls)}
    if routes:
        data["routes"] = hits.routes
    return data


def where(item: Site | ScanFinding) -> dict[str, Any]:
    """``{"path", "line", "column"}`` of a site or finding."""
    return {"path": item.path, "line": item.line, "column": item.column}


def silenced(sources: Sources) -> dict[str, list[tuple[ScanFinding, str]]]:
    """Suppressed findings of v1 functions (what a reader looks at when a traced function has no site)."""
    found: dict[str, list[tuple[ScanFinding, str]]] = {}
    for finding, reason in sources.suppressed:
        if finding.api == "rtmv1" and finding.symbol in MAPPING:
            found.setdefault(finding.symbol, []).append((finding, reason))
    return found
