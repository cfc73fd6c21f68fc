"""The Markdown form of a plan, rendered from its JSON form so the two never disagree (M-PLAN-REPORT).

Sections, in order: a summary, the porting order, the checklist (one Markdown task per work item, with its sites,
the trace calls that test it and the MIGRATION.md section to read), the v1 functions with their sites per module
and per file, what the traces exercised, the known differences they hit, what only one side shows, the effort
estimate with its formula, the inputs and the notes. Long lists of sites or calls show their first
:data:`LIST_LIMIT` entries and say how many there are (the JSON form has them all).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

#: Sites and calls shown per list; the rest is counted.
LIST_LIMIT: Final = 10


def _cell(value: Any) -> str:
    """Text safe inside a table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(value: Any) -> str:
    return "`" + str(value).replace("`", "'") + "`"


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _range(low: float, high: float) -> str:
    return _points(low) if low == high else f"{_points(low)} to {_points(high)}"


def _link(anchor: str | None) -> str:
    if not anchor:
        return "-"
    return f"[{anchor}]({anchor})"


def _table(head: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    head = list(head)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


def _sites(sites: list[dict[str, Any]]) -> str:
    shown = ", ".join(_code(f"{s['path']}:{s['line']}") for s in sites[:LIST_LIMIT])
    more = len(sites) - LIST_LIMIT
    return shown + (f" and {more} more" if more > 0 else "") if sites else "none"


def _calls(test: dict[str, Any]) -> str:
    calls = ", ".join(str(c) for c in test["calls"][:LIST_LIMIT])
    word = "call" if test["count"] == 1 else "calls"
    if test["count"] > min(len(test["calls"]), LIST_LIMIT):
        calls += f", ... ({test['count']} {word})"
    return f"{_code(test['path'])} {word} {calls}"


def _tests(tests: list[dict[str, Any]]) -> str:
    return "; ".join(_calls(t) for t in tests) if tests else "no trace"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} x{n}" for name, n in counts.items()) or "-"


def _summary(plan: dict[str, Any]) -> list[str]:
    summary = plan["summary"]
    lines = ["## Summary", ""]
    if summary["sites"] is None:
        lines.append("- **Sources:** no scan report given.")
    else:
        lines.append(
            f"- **Sources:** {summary['functions_in_sources']} v1 function(s) at {summary['sites']} site(s) in "
            f"{summary['files']} file(s) and {summary['modules']} module(s); {summary['blockers']} use(s) of "
            "undocumented exports."
        )
    if plan["traces"]:
        lines.append(
            f"- **Traces:** {summary['functions_in_traces']} v1 function(s) in {summary['calls']} call(s) over "
            f"{len(plan['traces'])} trace(s)."
        )
    else:
        lines.append("- **Traces:** none given.")
    if summary["differences"] is not None:
        hit = _counts(summary["differences"]) if summary["differences"] else "none"
        lines.append(
            f"- **Known differences hit:** {hit}; unexpected differences: {summary['unexpected_differences']}."
        )
    reconciliation = plan["reconciliation"]
    if reconciliation is not None:
        only_traces = ", ".join(r["function"] for r in reconciliation["only_in_traces"]) or "none"
        only_sources = ", ".join(r["function"] for r in reconciliation["only_in_sources"]) or "none"
        lines.append(f"- **Only in the traces:** {only_traces}. **Only in the sources:** {only_sources}.")
    effort = summary["effort"]
    lines.append(f"- **Effort:** {_range(effort['low'], effort['high'])} points ([how](#effort-estimate)).")
    return [*lines, ""]


def _order(plan: dict[str, Any]) -> list[str]:
    lines = [
        "## Porting order",
        "",
        "Each step builds on the one before and can be tested on its own, with V1Shim running what is not ported "
        "yet ([MIGRATION.md#porting-order](MIGRATION.md#porting-order)).",
        "",
    ]
    rows = [
        (
            step["step"],
            step["title"],
            ", ".join(step["functions"]) or "nothing used",
            step["sites"],
            step["calls"],
            _range(step["low"], step["high"]),
        )
        for step in plan["steps"]
    ]
    return lines + _table(("#", "Step", "Functions used", "Sites", "Calls in traces", "Points"), rows)


def _item(item: dict[str, Any], scanned: bool) -> list[str]:
    lines = [f"- [ ] **{item['title']}**: {item['action']}"]
    if item["sites"] or item["functions"]:
        lines.append(f"  - Sites: {_sites(item['sites']) if scanned else 'unknown (no scan report)'}")
    lines.append(f"  - Tested by: {_tests(item['tests'])}")
    lines.append(f"  - Read: {_link(item['migration'])}")
    return lines


def _checklist(plan: dict[str, Any]) -> list[str]:
    lines = ["## Checklist", ""]
    scanned = plan["sources"] is not None
    first = [item for item in plan["checklist"] if item["step"] is None]
    if first:
        lines += ["### Before you start", ""]
        for item in first:
            lines += _item(item, scanned)
        lines.append("")
    for step in plan["steps"]:
        items = [item for item in plan["checklist"] if item["step"] == step["name"]]
        lines += [
            f"### {step['step']}. {step['title']}",
            "",
            f"{step['summary'][:1].upper()}{step['summary'][1:]}.",
            "",
        ]
        if not items:
            lines += ["Nothing to do: the sources and traces use none of its functions.", ""]
            continue
        for item in items:
            lines += _item(item, scanned)
        lines.append("")
    return lines


def _functions(plan: dict[str, Any]) -> list[str]:
    lines = ["## v1 functions", ""]
    if not plan["functions"]:
        return [*lines, "The inputs use no v1 function.", ""]
    rows = [
        (
            row["function"],
            row["step"],
            row["change"] + (", manual" if row["manual"] else ""),
            row["weight"],
            row["sites"],
            _counts(row["sites_by_kind"]),
            row["files"],
            row["calls"],
            row["traces"],
            _counts(row["statuses"]),
        )
        for row in plan["functions"]
    ]
    head = ("Function", "Step", "Change", "Weight", "Sites", "Site kinds", "Files", "Calls", "Traces", "Statuses")
    lines += _table(head, rows)
    sources = plan["sources"]
    if sources is None:
        return lines
    lines += ["### By module", ""]
    lines += _table(
        ("Module", "Files", "Sites", "Functions"),
        ((m["module"], m["files"], m["sites"], _counts(m["functions"])) for m in sources["modules"]),
    )
    lines += ["### By file", ""]
    lines += _table(
        ("File", "Sites", "Functions"), ((f["path"], f["sites"], _counts(f["functions"])) for f in sources["files"])
    )
    if sources["indirect"]:
        lines += [
            f"{len(sources['indirect'])} call(s) of wrapper functions (not counted: the wrapper's own call is the "
            f"site): {_sites(sources['indirect'])}.",
            "",
        ]
    if sources["symbols"]:
        lines += ["### Other v1 names in the sources", ""]
        lines += [
            "Types, constants, error aliases, header macros, the include and rtm.lib: they stop compiling once "
            "rtm.h is gone and change with the calls around them.",
            "",
        ]
        lines += _table(
            ("Name", "Kind", "Uses", "Files"),
            ((s["symbol"], s["kind"], s["count"], s["files"]) for s in sources["symbols"]),
        )
    if sources["rtmv2"]:
        lines += ["### Already RTMv2", "", f"RTMv2 names in the sources: {_counts(sources['rtmv2'])}.", ""]
    return lines


def _traces(plan: dict[str, Any]) -> list[str]:
    if not plan["traces"]:
        return []
    lines = ["## What the traces exercised", ""]
    lines += _table(
        ("Trace", "Kind", "Calls", "Verdict", "Clients"),
        (
            (
                t["path"],
                t["kind"],
                t["calls"],
                t["verdict"] or "not replayed",
                ", ".join(c["name"] for c in t["clients"]) or "-",
            )
            for t in plan["traces"]
        ),
    )
    flags = [
        (row["function"], f"{where} {name}", value, calls)
        for row in plan["functions"]
        for where, table in (("argument", row["arguments"]), ("output", row["results"]))
        for name, counts in table.items()
        for value, calls in counts.items()
    ]
    if flags:
        lines += ["### Flags and values", ""]
        lines += _table(("Function", "Parameter", "Value", "Calls"), flags)
    lines += ["### Flags and error paths", ""]
    rows = []
    for row in plan["paths"]:
        if row["calls"] is None:
            reached = "not replayed"
        elif row["unit"] == "routes" and row["calls"]:
            reached = f"{row['calls']} ({row['routes']} routes)"
        else:
            reached = row["calls"]
        in_sources = "-" if row["in_sources"] is None else len(row["in_sources"])
        traces = ", ".join(t["path"] for t in row["traces"]) or "-"
        rows.append((row["title"], row["step"], reached, traces, in_sources, _link(row["migration"])))
    lines += _table(("Path", "Step", "Calls", "Traces", "Lines in the sources", "Read"), rows)
    return lines


def _differences(plan: dict[str, Any]) -> list[str]:
    differences = plan["differences"]
    if differences is None:
        return []
    lines = ["## Known differences the workload hit", ""]
    lines += [
        "Each trace was replayed on V1Reference and V1Shim side by side (`rtmcompat compare`); the differences are "
        "counted by the id of the known-differences registry, with the later differences that follow from them.",
        "",
    ]
    if differences["known"]:
        lines += _table(
            ("Id", "Kind", "Title", "Hits", "Consequences", "Where", "Read"),
            (
                (
                    d["id"],
                    d["kind"],
                    d["title"],
                    d["hits"],
                    d["consequences"],
                    _tests(d["traces"]),
                    _link(d["migration"]),
                )
                for d in differences["known"]
            ),
        )
    else:
        lines += ["None.", ""]
    if differences["unexpected"]:
        lines += ["Unexpected differences (no registry entry explains them):", ""]
        lines += [f"- {_calls(row)}" for row in differences["unexpected"]] + [""]
    return lines


def _reconciliation(plan: dict[str, Any]) -> list[str]:
    reconciliation = plan["reconciliation"]
    if reconciliation is None:
        return []
    lines = ["## Sources and traces compared", ""]
    lines += ["### Seen in the traces, not in the sources", ""]
    if reconciliation["only_in_traces"]:
        for row in reconciliation["only_in_traces"]:
            seen = f"- {row['function']}: {row['calls']} call(s) in {row['traces']} trace(s)"
            if row["mentions"]:
                seen += f"; named in strings at {_sites(row['mentions'])}"
            if row["suppressed"]:
                seen += f"; its sites are silenced by rtmcompat: ignore comments ({_sites(row['suppressed'])})."
            else:
                seen += ". Loaded at run time, called from a module that was not scanned, or from a library."
            lines.append(seen)
        lines.append("")
    else:
        lines += ["None.", ""]
    lines += ["### In the sources, never called by the traces", ""]
    if reconciliation["only_in_sources"]:
        lines += [
            f"- {row['function']}: {row['sites']} site(s) in {row['files']} file(s). Dead code, or a path no "
            "recorded workload reaches."
            for row in reconciliation["only_in_sources"]
        ]
        lines.append("")
    else:
        lines += ["None.", ""]
    if reconciliation["paths_not_reached"]:
        lines += ["### Paths the sources handle that no trace reaches", ""]
        lines += [
            f"- {row['title']} ({row['in_sources']} line(s) in the sources)"
            for row in reconciliation["paths_not_reached"]
        ]
        lines.append("")
    return lines


def _effort(plan: dict[str, Any]) -> list[str]:
    effort = plan["effort"]
    factors = effort["factors"]
    lines = [
        "## Effort estimate",
        "",
        f"**{_range(effort['low'], effort['high'])} points**; unit: {effort['unit']}.",
        "",
        "```text",
        *effort["formula"].split("; "),
        "```",
        "",
        "weight: the mapping table's effort weight of the function ("
        + "; ".join(f"{w}: {meaning}" for w, meaning in effort["scale"].items())
        + "). manual_high: "
        + f"{_points(factors['manual']['high'])} for functions whose port needs a person's decision, else 1.",
        "",
    ]
    lines += _table(
        ("Site kind", "kind_low", "kind_high", "Why"),
        ((kind, _points(f["low"]), _points(f["high"]), f["why"]) for kind, f in factors["kind"].items()),
    )
    lines += _table(
        ("Confidence", "confidence_low", "confidence_high"),
        ((level, _points(f["low"]), _points(f["high"])) for level, f in factors["confidence"].items()),
    )
    lines += _table(
        ("Function", "Weight", "Manual", "Sites", "Points"),
        (
            (row["function"], row["weight"], "yes" if row["manual"] else "no", _counts(row["sites"]),
             _range(row["low"], row["high"]))
            for row in effort["functions"]
        ),
    )  # fmt: skip
    return lines


def _inputs(plan: dict[str, Any]) -> list[str]:
    rows = []
    for item in plan["inputs"]:
        what = (
            f"{item['findings']} findings, {item['files']} files"
            if item["kind"] == "scan"
            else f"{item['calls']} calls"
        )
        rows.append((item["path"], item["kind"], what))
    return ["## Inputs", "", *_table(("Input", "Kind", "Holds"), rows)]


def plan_markdown(plan: dict[str, Any]) -> str:
    """The Markdown plan from the JSON one (:func:`rtmcompat.plan.plan_json`)."""
    sources = sum(1 for item in plan["inputs"] if item["kind"] == "scan")
    traces = len(plan["inputs"]) - sources
    lines = [
        "# RTMv1 to RTMv2 migration plan",
        "",
        f"Made by rtmcompat {plan['tool']['version']} from {sources} scan report(s) and {traces} trace(s). "
        "MIGRATION.md is the porting guide (`rtmcompat guide` prints it); ids such as V1-4.12 and M-PLAN-EFFORT "
        "name entries of docs/behaviour.md (`rtmcompat guide behaviour`).",
        "",
    ]
    lines += _summary(plan)
    lines += _order(plan)
    lines += _checklist(plan)
    lines += _functions(plan)
    lines += _traces(plan)
    lines += _differences(plan)
    lines += _reconciliation(plan)
    lines += _effort(plan)
    lines += _inputs(plan)
    if plan["notes"]:
        lines += ["## Notes", "", *(f"- {note}" for note in plan["notes"]), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
