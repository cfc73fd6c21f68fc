"""The checklist of a plan: the work items, in porting order, each with its sites, the trace calls that test it
and the MIGRATION.md section to read (M-PLAN-ORDER).

Items without a step come first: undocumented exports (``blocker:``), which may decide how the rest is ported,
and traces with unexpected differences (``unexpected:``), which cannot be relied on until they are explained. Then,
for each porting step: one item per v1 function used (``port:``), per flag or error path taken or handled
(``path:``) and per known difference hit (``difference:``, in the step of the function where it was first hit).
The items are built from the plan's JSON sections, so they say what those say.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from ._mapping import BY_NAME as MAPPING
from ._plan_inputs import ScanFinding
from ._plan_model import Plan, hits_json, migration_anchor, silenced, where
from ._plan_sources import Site
from ._plan_steps import STEP_OF, STEPS

#: MIGRATION.md's section on undocumented rtm.dll exports (what a blocker item points at).
BLOCKERS_SECTION: Final = "MIGRATION.md#undocumented-rtmdll-exports"
#: MIGRATION.md's section on the known differences.
DIFFERENCES_SECTION: Final = "MIGRATION.md#what-the-shim-cannot-carry-over"


def _tests(plan: Plan, v1: str) -> list[dict[str, Any]]:
    return [
        hits_json(trace.use.path, trace.use.functions[v1].hits) for trace in plan.traces if v1 in trace.use.functions
    ]


def _function_item(plan: Plan, row: dict[str, Any]) -> dict[str, Any]:
    v1 = row["function"]
    sites: Sequence[Site | ScanFinding] = plan.sources.sites_of(v1) if plan.sources is not None else []
    if row["seen"] == "both":
        action = (
            f"{row['sites']} site(s) in {row['files']} file(s); the traces call it {row['calls']} time(s): port "
            "the sites, then replay the traces on the port."
        )
    elif row["seen"] == "sources":
        action = f"{row['sites']} site(s) in {row['files']} file(s)" + (
            "; no trace calls it: dead code, or a path no recorded workload reaches. Record one that does before "
            "porting, or delete the code."
            if plan.traces
            else "."
        )
    elif plan.sources is not None:
        hidden = [f for f, _ in silenced(plan.sources).get(v1, [])]
        if hidden:
            sites = hidden
            action = (
                f"The traces call it {row['calls']} time(s); its only sites in the scan reports are silenced by "
                "rtmcompat: ignore comments. Port them too, or record why they stay."
            )
        else:
            action = (
                f"The traces call it {row['calls']} time(s) but no scan report shows where: a name built at run "
                "time, a module that was not scanned, or a library. Find the callers."
            )
    else:
        action = f"The traces call it {row['calls']} time(s); scan the sources to find its sites."
    errors = {name: n for name, n in row["statuses"].items() if name not in ("NO_ERROR", "ERROR_MORE_MESSAGES")}
    if errors:
        action += " Statuses the traces reach besides success: " + ", ".join(f"{k} x{n}" for k, n in errors.items())
        action += "."
    mapping = MAPPING[v1]
    if mapping.manual:
        action += " Manual work: MIGRATION.md says what to decide."
    return {
        "id": f"port:{v1}",
        "step": row["step"],
        "title": f"Port {v1}",
        "action": action,
        "functions": [v1],
        "sites": [where(site) for site in sites],
        "tests": _tests(plan, v1),
        "migration": migration_anchor(v1),
    }


def _path_sites(plan: Plan, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Where a path item's work is: the lines that write its rtm.h names, else the sites of its functions."""
    if row["in_sources"]:
        return [{k: s[k] for k in ("path", "line", "column")} for s in row["in_sources"]]
    if plan.sources is None:
        return []
    sites = [site for site in plan.sources.sites if site.v1 in row["functions"]]
    return [where(site) for site in sites]


def checklist(
    plan: Plan, functions: list[dict[str, Any]], paths: list[dict[str, Any]], differences: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The work items, from the plan and its JSON sections (functions, paths, differences)."""
    items: list[dict[str, Any]] = []
    sources = plan.sources
    if sources is not None:
        blockers: dict[str, list[ScanFinding]] = {}
        for finding in sources.blockers:
            blockers.setdefault(finding.symbol, []).append(finding)
        for symbol, found in sorted(blockers.items()):
            items.append(
                {
                    "id": f"blocker:{symbol}",
                    "step": None,
                    "title": f"Replace {symbol}",
                    "action": "An undocumented rtm.dll export: no public semantics, no mapping (V1-8). Find out what "
                    "the code relies on it for and rebuild that from documented RTMv2 calls before porting the rest.",
                    "functions": [],
                    "sites": [where(f) for f in found],
                    "tests": [],
                    "migration": BLOCKERS_SECTION,
                }
            )
    if differences is not None:
        for row in differences["unexpected"]:
            items.append(
                {
                    "id": f"unexpected:{row['path']}",
                    "step": None,
                    "title": f"Investigate the unexpected differences of {row['path']}",
                    "action": f"{row['count']} difference(s) between V1Shim and RTMv1 that no registry entry explains: "
                    f"run `rtmcompat compare {row['path']} --minimize` and read the first one before relying on "
                    "this trace.",
                    "functions": [],
                    "sites": [],
                    "tests": [{"path": row["path"], "count": row["count"], "calls": row["calls"]}],
                    "migration": DIFFERENCES_SECTION,
                }
            )
    by_function = {row["function"]: row for row in functions}
    for step in STEPS:
        for v1 in step.functions:
            if v1 in by_function:
                items.append(_function_item(plan, by_function[v1]))
        for row in paths:
            if row["step"] != step.name or not (row["calls"] or row["in_sources"]):
                continue
            action = row["port"]
            if row["in_sources"] and plan.traces and row["calls"] == 0:
                action += " The sources handle it but no trace reaches it: record a workload that does."
            items.append(
                {
                    "id": f"path:{row['id']}",
                    "step": step.name,
                    "title": row["title"],
                    "action": action,
                    "functions": row["functions"],
                    "sites": _path_sites(plan, row),
                    "tests": [{k: t[k] for k in ("path", "count", "calls")} for t in row["traces"]],
                    "migration": row["migration"],
                }
            )
        for row in differences["known"] if differences is not None else ():
            if STEP_OF.get(row["function"] or "", "cleanup") != step.name:
                continue
            bug = " It is a known V1Shim bug (todo), not v1/v2 semantics." if row["kind"] == "todo" else ""
            items.append(
                {
                    "id": f"difference:{row['id']}",
                    "step": step.name,
                    "title": f"{row['id']}: {row['title']}",
                    "action": f"The workload hit it {row['hits']} time(s), and {row['consequences']} later "
                    f"difference(s) follow from it: RTMv2 behaves differently here, so decide what the port does."
                    + bug,
                    "functions": [row["function"]] if row["function"] else [],
                    "sites": [
                        where(s) for s in (sources.sites_of(row["function"]) if sources and row["function"] else [])
                    ],
                    "tests": [{k: t[k] for k in ("path", "count", "calls")} for t in row["traces"]],
                    "migration": row["migration"] or DIFFERENCES_SECTION,
                }
            )
    return items
