"""``rtmcompat plan``: a migration plan from scan reports, traces and JSON mapping logs.

::

    from rtmcompat.plan import build_plan, plan_json, plan_markdown
    plan = build_plan(["rtm-scan.json", "examples/rip.jsonl"])
    print(plan_markdown(plan_json(plan)))

A plan says which v1 functions the code base uses and where (per file and per module, from ``rtmcompat scan``
reports), which of them the traces exercised and with which flags and error paths (``_plan_traces``,
``_plan_paths``), which known differences between V1Shim and RTMv1 the workload hit (``_plan_replay``), what is
seen on one side only, an effort range with its formula (``_plan_effort``), the order to port in
(``_plan_steps``) and a checklist of work items, each with the traces and calls that test it and the MIGRATION.md
section to read. Inputs are recognised by their content (``_plan_inputs``). The JSON form
(:func:`plan_json`, schema ``rtmcompat/schemas/plan-v1.json``) holds everything; the Markdown form
(``_plan_markdown``) is rendered from it. The decisions behind all of it are the M-PLAN-* entries of
docs/behaviour.md.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Final

from . import __version__
from ._mapping import BY_NAME as MAPPING
from ._plan_checklist import BLOCKERS_SECTION, checklist
from ._plan_effort import (
    CONFIDENCE_FACTORS,
    FORMULA,
    KIND_FACTORS,
    KIND_REASONS,
    MANUAL_FACTOR,
    UNIT,
    Effort,
    estimate,
    scale,
)
from ._plan_inputs import Input, InputError, ScanFinding, ScanInput, TraceInput, load
from ._plan_markdown import plan_markdown
from ._plan_model import Plan, TracePlan, hits_json, migration_anchor, silenced, where
from ._plan_paths import PATHS, PathRule
from ._plan_replay import replay
from ._plan_sources import SITE_KINDS, Site, Sources, collect, module_of
from ._plan_steps import STEP_OF, STEPS
from ._plan_traces import Hits, observe
from ._registry import Registry
from ._trace_records import Call

__all__ = [
    "BLOCKERS_SECTION",
    "FORMAT",
    "FORMAT_VERSION",
    "InputError",
    "Plan",
    "build_plan",
    "make_plan",
    "plan_json",
    "plan_markdown",
    "read_inputs",
]

FORMAT: Final = "rtmcompat-plan"
#: Version of the JSON plan's shape (rtmcompat/schemas/plan-v1.json).
FORMAT_VERSION: Final = 1


def read_inputs(paths: Iterable[str]) -> tuple[list[Input], list[str]]:
    """Read every input: the usable ones, and one message per file that is not (M-PLAN-INPUTS). A file named twice
    is read once."""
    inputs: list[Input] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        key = os.path.realpath(path)
        if key in seen:
            continue
        seen[key] = path
        try:
            inputs.append(load(path))
        except InputError as exc:
            errors.append(str(exc))
    return inputs, errors


def build_plan(paths: Iterable[str], *, replay_traces: bool = True, registry: Registry | None = None) -> Plan:
    """The plan of the given files; :class:`InputError` (the first bad file's message) when any cannot be used."""
    inputs, errors = read_inputs(paths)
    if errors:
        raise InputError(errors[0])
    return make_plan(inputs, replay_traces=replay_traces, registry=registry)


def make_plan(inputs: Sequence[Input], *, replay_traces: bool = True, registry: Registry | None = None) -> Plan:
    """The plan of inputs already read. ``replay_traces`` False skips the replays (M-PLAN-REPLAY); ``registry``
    is the known-differences registry the replays classify with (default: the shipped one)."""
    scans = [item for item in inputs if isinstance(item, ScanInput)]
    sources = collect(scans) if scans else None
    traces: list[TracePlan] = []
    for item in inputs:
        if isinstance(item, TraceInput):
            use = observe(item.records, item.path, item.kind)
            replayed = replay(item.records, item.path, registry) if replay_traces else None
            traces.append(TracePlan(use, replayed))
    traced = {name for trace in traces for name in trace.use.functions}
    sited = {site.v1 for site in sources.sites} if sources is not None else set()
    assumed = [name for name in MAPPING if name in traced and name not in sited]
    effort = estimate(sources.sites if sources is not None else (), assumed)
    plan = Plan(list(inputs), sources, traces, effort, replay_traces)
    plan.notes = _notes(plan)
    return plan


# --- notes ------------------------------------------------------------------------------------------------


def _few(paths: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _notes(plan: Plan) -> list[str]:
    """What a reader must know to trust the numbers."""
    notes: list[str] = []
    sources = plan.sources
    if sources is None:
        notes.append(
            "No scan report was given: the sites are unknown, and the estimate counts one site per function the "
            "traces call. Run `rtmcompat scan SOURCES --format json --output scan.json` and add scan.json."
        )
    else:
        for report, baseline in sources.baselines:
            notes.append(
                f"{report} was scanned with --baseline {baseline}: it holds only the findings that are new since, "
                "so every count from it is too low. Scan without --baseline for a plan."
            )
        skipped = [path for path, entry in sources.files.items() if entry[0] != "scanned"]
        if skipped:
            notes.append(
                f"{len(skipped)} file(s) named in the scan reports were not scanned ({_few(skipped)}): "
                "their v1 use is not counted."
            )
        partial = [path for path, entry in sources.files.items() if entry[0] == "scanned" and entry[2]]
        recovered = sum(entry[3] for entry in sources.files.values())
        if partial:
            notes.append(
                f"{len(partial)} file(s) were parsed only in part ({_few(partial)}); {recovered} site(s) were "
                "recovered from the parts the parser could not read, with their confidence lowered."
            )
        if sources.suppressed:
            notes.append(
                f"{len(sources.suppressed)} finding(s) are silenced by `rtmcompat: ignore` comments in the sources "
                "and are not counted (listed under sources.suppressed in the JSON plan)."
            )
    if not plan.traces:
        notes.append(
            "No trace was given: nothing shows which functions, flags and error paths a workload exercises. "
            "Record one with rtmcompat.trace.Recorder, or give V1Shim's JSON mapping log of a run."
        )
    elif not plan.replayed:
        notes.append(
            "The traces were not replayed (--no-replay): known differences, routes that aged out, routes left at "
            "deregistration and block deletes telling the caller are not counted."
        )
    for trace in plan.traces:
        notes.extend(trace.use.notes)
        if trace.replayed is not None and trace.replayed.error is not None:
            notes.append(f"{trace.use.path}: {trace.replayed.error}")
    return notes


# --- JSON -------------------------------------------------------------------------------------------------


def _site_json(site: Site) -> dict[str, Any]:
    return {
        "v1": site.v1,
        "kind": site.kind,
        **where(site),
        "function": site.function,
        "confidence": site.confidence,
        "reason": site.reason,
        "symbol": site.symbol,
        "flags": [{"parameter": name, "names": None if names is None else list(names)} for name, names in site.flags],
    }


def _finding_json(finding: ScanFinding) -> dict[str, Any]:
    return {
        **where(finding),
        "symbol": finding.symbol,
        "kind": finding.kind,
        "function": finding.function,
        "via": list(finding.via),
    }


def _counter(counter: Counter[str]) -> dict[str, int]:
    """Most frequent first, then by name."""
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _sources_json(sources: Sources) -> dict[str, Any]:
    files: dict[str, Counter[str]] = {}
    for site in sources.sites:
        files.setdefault(site.path, Counter())[site.v1] += 1
    modules: dict[str, tuple[set[str], Counter[str]]] = {}
    for path, counts in files.items():
        entry = modules.setdefault(module_of(path), (set(), Counter()))
        entry[0].add(path)
        entry[1].update(counts)
    ranked = sorted(sources.symbols.items(), key=lambda item: (-len(item[1]), item[0]))
    symbols = [
        {"symbol": symbol, "kind": kind, "count": len(items), "files": len({f.path for f in items})}
        for (symbol, kind), items in ranked
    ]
    return {
        "reports": sources.reports,
        "sites": [_site_json(site) for site in sources.sites],
        "files": [
            {"path": path, "module": module_of(path), "sites": sum(counts.values()), "functions": _counter(counts)}
            for path, counts in sorted(files.items())
        ],
        "modules": [
            {"module": module, "files": len(paths), "sites": sum(counts.values()), "functions": _counter(counts)}
            for module, (paths, counts) in sorted(modules.items())
        ],
        "indirect": [_finding_json(f) for f in sources.indirect],
        "mentions": [_finding_json(f) for f in sources.mentions],
        "blockers": [_finding_json(f) for f in sources.blockers],
        "symbols": symbols,
        "rtmv2": _counter(sources.rtmv2),
        "suppressed": [_finding_json(f) | {"reason": reason} for f, reason in sources.suppressed],
        "not_scanned": [
            {"path": path, "status": status, "reason": reason}
            for path, (status, reason, _, _) in sources.files.items()
            if status != "scanned"
        ],
    }


def _merged(traces: list[TracePlan], v1: str) -> dict[str, Any]:
    """A function's use over every trace: calls, traces, statuses, arguments and outputs."""
    statuses: Counter[str] = Counter()
    arguments: dict[str, Counter[str]] = {}
    results: dict[str, Counter[str]] = {}
    calls = count = 0
    for trace in traces:
        use = trace.use.functions.get(v1)
        if use is None:
            continue
        count += 1
        calls += use.hits.count
        statuses.update(use.statuses)
        for name, counter in use.arguments.items():
            arguments.setdefault(name, Counter()).update(counter)
        for name, counter in use.results.items():
            results.setdefault(name, Counter()).update(counter)
    return {
        "calls": calls,
        "traces": count,
        "statuses": _counter(statuses),
        "arguments": {name: _counter(c) for name, c in arguments.items()},
        "results": {name: _counter(c) for name, c in results.items()},
    }


def _functions_json(plan: Plan) -> list[dict[str, Any]]:
    sources = plan.sources
    rows = []
    for v1, mapping in MAPPING.items():
        sites = sources.sites_of(v1) if sources is not None else []
        traced = _merged(plan.traces, v1)
        if not sites and not traced["calls"]:
            continue
        kinds = Counter(site.kind for site in sites)
        rows.append(
            {
                "function": v1,
                "step": STEP_OF[v1],
                "change": mapping.kind,
                "manual": mapping.manual,
                "weight": mapping.effort,
                "migration": migration_anchor(v1),
                "sites": len(sites),
                "sites_by_kind": {kind: kinds[kind] for kind in SITE_KINDS if kinds[kind]},
                "files": len({site.path for site in sites}),
                "modules": len({module_of(site.path) for site in sites}),
                **traced,
                "seen": "both" if sites and traced["calls"] else "sources" if sites else "traces",
            }
        )
    return rows


def _path_hits(plan: Plan, rule: PathRule) -> list[tuple[str, Hits]] | None:
    """Each trace's hits of a path; None when the path needs a replay that did not run."""
    if rule.match is None and not plan.replayed:
        return None
    found = []
    for trace in plan.traces:
        table = trace.use.paths if rule.match is not None else (trace.replayed.paths if trace.replayed else {})
        hits = table.get(rule.id)
        if hits is not None and hits.count:
            found.append((trace.use.path, hits))
    return found


def _paths_json(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for rule in PATHS:
        hits = _path_hits(plan, rule)
        in_sources = None
        if plan.sources is not None and rule.symbols:
            in_sources = [where(f) | {"symbol": f.symbol} for f in plan.sources.symbol_sites(rule.symbols)]
        routes = rule.unit == "routes"
        rows.append(
            {
                "id": rule.id,
                "title": rule.title,
                "step": rule.step,
                "functions": list(rule.functions),
                "port": rule.port,
                "migration": rule.migration,
                "symbols": list(rule.symbols),
                "unit": rule.unit,
                "calls": None if hits is None else sum(h.count for _, h in hits),
                "routes": (None if hits is None else sum(h.routes for _, h in hits)) if routes else None,
                "traces": [] if hits is None else [hits_json(path, h, routes) for path, h in hits],
                "in_sources": in_sources,
            }
        )
    return rows


def _differences_json(plan: Plan) -> dict[str, Any] | None:
    if not plan.replayed or not plan.traces:
        return None
    known: dict[str, dict[str, Any]] = {}
    unexpected = []
    for trace in plan.traces:
        replayed = trace.replayed
        assert replayed is not None
        for use in replayed.differences.values():
            row = known.setdefault(
                use.id,
                {
                    "id": use.id,
                    "kind": use.kind,
                    "title": use.title,
                    "migration": use.migration,
                    "function": use.function,
                    "hits": 0,
                    "consequences": 0,
                    "traces": [],
                },
            )
            row["hits"] += use.hits.count
            row["consequences"] += use.consequences
            row["traces"].append(hits_json(trace.use.path, use.hits) | {"consequences": use.consequences})
        if replayed.unexpected.count:
            unexpected.append(hits_json(trace.use.path, replayed.unexpected) | {"fixed": list(replayed.fixed)})
    return {
        "known": sorted(known.values(), key=lambda row: (-row["hits"], row["id"])),
        "unexpected": unexpected,
        "verdicts": [
            {"path": trace.use.path, "verdict": trace.replayed.verdict if trace.replayed else None}
            for trace in plan.traces
        ],
    }


def _reconciliation_json(plan: Plan, functions: list[dict[str, Any]], paths: list[dict[str, Any]]) -> Any:
    sources = plan.sources
    if sources is None or not plan.traces:
        return None
    mentions: dict[str, list[ScanFinding]] = {}
    for finding in sources.mentions:
        mentions.setdefault(finding.symbol, []).append(finding)
    hidden = silenced(sources)
    return {
        "only_in_traces": [
            {
                "function": row["function"],
                "calls": row["calls"],
                "traces": row["traces"],
                "mentions": [where(f) for f in mentions.get(row["function"], [])],
                "suppressed": [where(f) | {"reason": reason} for f, reason in hidden.get(row["function"], [])],
            }
            for row in functions
            if row["seen"] == "traces"
        ],
        "only_in_sources": [
            {"function": row["function"], "sites": row["sites"], "files": row["files"]}
            for row in functions
            if row["seen"] == "sources"
        ],
        "paths_not_reached": [
            {"id": row["id"], "title": row["title"], "in_sources": len(row["in_sources"])}
            for row in paths
            if row["in_sources"] and row["calls"] == 0
        ],
    }


def _effort_json(effort: Effort) -> dict[str, Any]:
    return {
        "unit": UNIT,
        "formula": FORMULA,
        "low": effort.low,
        "high": effort.high,
        "factors": {
            "kind": {
                kind: {"low": lo, "high": hi, "why": KIND_REASONS[kind]} for kind, (lo, hi) in KIND_FACTORS.items()
            },
            "confidence": {level: {"low": lo, "high": hi} for level, (lo, hi) in CONFIDENCE_FACTORS.items()},
            "manual": {"low": MANUAL_FACTOR[0], "high": MANUAL_FACTOR[1]},
        },
        "scale": scale(),
        "functions": [
            {
                "function": row.v1,
                "weight": row.weight,
                "manual": row.manual,
                "sites": row.sites,
                "low": row.low,
                "high": row.high,
            }
            for row in effort.rows
        ],
    }


def _steps_json(effort: Effort, functions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_function = {row["function"]: row for row in functions}
    points = {row.v1: (row.low, row.high) for row in effort.rows}
    steps = []
    for number, step in enumerate(STEPS, start=1):
        used = [name for name in step.functions if name in by_function]
        steps.append(
            {
                "step": number,
                "name": step.name,
                "title": step.title,
                "summary": step.summary,
                "migration": step.migration,
                "functions": used,
                "sites": sum(by_function[name]["sites"] for name in used),
                "calls": sum(by_function[name]["calls"] for name in used),
                "low": sum(points.get(name, (0.0, 0.0))[0] for name in used),
                "high": sum(points.get(name, (0.0, 0.0))[1] for name in used),
            }
        )
    return steps


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON document ``--format json`` writes (schema rtmcompat/schemas/plan-v1.json)."""
    functions = _functions_json(plan)
    paths = _paths_json(plan)
    differences = _differences_json(plan)
    sources = plan.sources
    inputs = []
    for item in plan.inputs:
        if isinstance(item, ScanInput):
            inputs.append({"path": item.path, "kind": "scan", "findings": len(item.findings), "files": len(item.files)})
        else:
            calls = sum(1 for record in item.records if isinstance(record, Call))
            inputs.append({"path": item.path, "kind": item.kind, "calls": calls})
    traces = [
        {
            "path": trace.use.path,
            "kind": trace.use.kind,
            "calls": trace.use.calls,
            "verdict": trace.replayed.verdict if trace.replayed is not None else None,
            "functions": {name: use.hits.count for name, use in trace.use.functions.items()},
            "clients": [
                {
                    "name": name,
                    "family": client.family,
                    "protocol": client.protocol,
                    "single_route": client.single_route,
                    "event": client.has_event,
                }
                for name, client in trace.use.clients.items()
            ],
        }
        for trace in plan.traces
    ]
    site_files = {site.path for site in sources.sites} if sources is not None else set()
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "tool": {"name": "rtmcompat", "version": __version__},
        "inputs": inputs,
        "replayed": plan.replayed and bool(plan.traces),
        "summary": {
            "functions_in_sources": sum(1 for row in functions if row["sites"]),
            "sites": len(sources.sites) if sources is not None else None,
            "files": len(site_files) if sources is not None else None,
            "modules": len({module_of(path) for path in site_files}) if sources is not None else None,
            "functions_in_traces": sum(1 for row in functions if row["calls"]),
            "calls": sum(trace.use.calls for trace in plan.traces),
            "blockers": len(sources.blockers) if sources is not None else None,
            "differences": {row["id"]: row["hits"] for row in differences["known"]} if differences else None,
            "unexpected_differences": sum(r["count"] for r in differences["unexpected"]) if differences else None,
            "effort": {"low": plan.effort.low, "high": plan.effort.high},
        },
        "functions": functions,
        "sources": _sources_json(sources) if sources is not None else None,
        "traces": traces,
        "paths": paths,
        "differences": differences,
        "reconciliation": _reconciliation_json(plan, functions, paths),
        "effort": _effort_json(plan.effort),
        "steps": _steps_json(plan.effort, functions),
        "checklist": checklist(plan, functions, paths, differences),
        "notes": list(plan.notes),
    }
