"""The compare report for people: plain text for the terminal (colour only where the caller allows it) and Markdown.

Per trace: the verdict with the known differences it hit, then the first divergence (the call, both results with
statuses and flags by name, the calls before it, the tables around it), then one line per difference. At the end,
the registry entries used and unused, and the summary with the exit status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._classify import Difference
from ._native import native_lines
from ._phrases import call_phrase, result_phrase, route_phrase
from ._table_state import TableDiff
from ._trace_codec import BadValueError, decode_route
from .compare import CallContext, Divergence, Report, TraceResult

Paint = Callable[..., str]

_VERDICT_TEXT = {
    "identical": "identical",
    "expected": "known differences only",
    "unexpected": "UNEXPECTED DIFFERENCES",
    "error": "ERROR",
}
_VERDICT_STYLE = {"identical": ("green",), "expected": ("yellow",), "unexpected": ("red", "bold"), "error": ("red",)}


def _plain(text: str, *styles: str) -> str:
    return text


def _kind_label(difference: Difference) -> str:
    if difference.fixed:
        return f"fixed: remove the entry {difference.id}"
    if difference.kind == "consequence":
        origin = f"call {difference.cause}" if difference.cause is not None else "an earlier difference"
        return f"consequence of {origin}" + (f" ({difference.id})" if difference.id else "")
    if difference.kind == "unexpected":
        return "unexpected"
    return f"{difference.kind} {difference.id}"


def _side_phrase(value: Any) -> str:
    """A checkpoint side (JSON) in words."""
    if isinstance(value, dict):
        if "event" in value:
            return str(value["event"])
        if "NetworkCount" in value:
            ip, ipx = value["NetworkCount"]
            return f"{ip} IP and {ipx} IPX networks"
        for label in ("best route", "route"):
            if label in value:
                return "none" if value[label] is None else _route_json_phrase(value[label])
        if "status" in value:
            status = value["status"]
            return "raised " + str(value.get("raised")) if status is None else str(status.get("name"))
    if isinstance(value, list):
        return f"{len(value)} message(s) queued"
    return str(value)


def _route_json_phrase(value: Any) -> str:
    try:
        return route_phrase(decode_route(value, "route"))
    except BadValueError:
        return str(value)


def _difference_line(difference: Difference) -> str:
    what = ", ".join(difference.fields) if difference.fields else difference.aspect
    if difference.aspect == "event":
        what = (
            f"event of {difference.client}: reference {difference.reference['event']}, shim {difference.shim['event']}"
        )
    elif difference.aspect in ("table", "messages"):
        who = f" for {difference.client}" if difference.client else ""
        what = (
            f"{difference.aspect}{who}: reference {_side_phrase(difference.reference)}; "
            f"shim {_side_phrase(difference.shim)}"
        )
    where = (
        f"call {difference.call}" if difference.aspect in ("result", "event") else f"end (after call {difference.call})"
    )
    return f"{where} {difference.function}: {_kind_label(difference)}: {what}"


def _table_lines(title: str, table: TableDiff | None) -> list[str]:
    if table is None:
        return []
    if table.empty:
        return [f"{title}: the same"]
    lines = [f"{title}:"]
    for _network, ref, shim in table.best:
        lines.append(f"  best route: reference {route_phrase(ref)}; shim {route_phrase(shim)}")
    lines += [f"  only in the reference: {route_phrase(r)}" for r in table.missing]
    lines += [f"  only in the shim: {route_phrase(r)}" for r in table.extra]
    lines += [f"  changed: reference {route_phrase(a)}; shim {route_phrase(b)}" for a, b in table.changed]
    return lines


def _call_lines(context: CallContext, prefix: str = "") -> list[str]:
    function = context.record.function
    ref, shim = context.reference, context.shim
    lines = [f"{prefix}call {context.record.call} {call_phrase(context.record)}"]
    if ref == shim:
        lines.append(f"{prefix}  -> {result_phrase(function, ref.status, ref.out, ref.raised)}")
    else:
        lines.append(f"{prefix}  reference: {result_phrase(function, ref.status, ref.out, ref.raised)}")
        lines.append(f"{prefix}  shim:      {result_phrase(function, shim.status, shim.out, shim.raised)}")
    return lines


def _divergence_lines(divergence: Divergence, report: Report, paint: Paint) -> list[str]:
    first = divergence.difference
    lines = [paint("first divergence", "bold") + f": {_difference_line(first)}"]
    entry = report.registry.get(first.id) if first.id else None
    if entry is not None and first.kind != "consequence":
        lines.append(f"  {entry.kind} {entry.id}: {entry.title}" + (f" ({entry.anchor})" if entry.anchor else ""))
    if divergence.context:
        lines.append("  calls before it:")
        for context in divergence.context:
            lines += _call_lines(context, "    ")
    if divergence.call is not None:
        lines.append("  the call:")
        lines += _call_lines(divergence.call, "    ")
    lines += [
        "  " + line for line in _table_lines("tables just before the call (shim vs reference)", divergence.table_before)
    ]
    if divergence.table_before is not None and not divergence.table_before.empty:
        lines.append(
            "  (the tables already differed before this call: an earlier call changed them differently without "
            "showing it in its results)"
        )
    lines += [
        "  " + line for line in _table_lines("tables just after the call (shim vs reference)", divergence.table_after)
    ]
    if divergence.table_note:
        lines.append(f"  ({divergence.table_note})")
    return lines


def _hits(trace: TraceResult) -> str:
    parts = [f"{ident} x{count}" for ident, count in sorted(trace.hits.items())]
    if trace.counts.get("consequence"):
        parts.append(f"{trace.counts['consequence']} consequence(s)")
    return ", ".join(parts)


def trace_text(trace: TraceResult, report: Report, paint: Paint = _plain, limit: int = 20) -> list[str]:
    """One trace's part of the text report."""
    verdict = paint(_VERDICT_TEXT[trace.verdict], *_VERDICT_STYLE[trace.verdict])
    head = f"{trace.path}: {verdict} ({trace.calls} calls"
    hits = _hits(trace)
    head += f"; {hits})" if hits else ")"
    lines = [head]
    if trace.error:
        lines.append(f"  error: {trace.error}")
    lines += [f"  note: {note}" for note in trace.notes]
    if trace.divergence is not None:
        lines += ["  " + line for line in _divergence_lines(trace.divergence, report, paint)]
    if trace.native is not None:
        lines += ["  " + line for line in native_lines(trace.native)]
    if trace.differences:
        lines.append("  differences:")
        for difference in trace.differences[:limit]:
            line = _difference_line(difference)
            if difference.kind == "unexpected":
                line = paint(line, "red")
            lines.append(f"    {line}")
        rest = len(trace.differences) - limit + trace.omitted
        if rest > 0:
            lines.append(f"    ... and {rest} more (--format json lists {len(trace.differences)})")
    return lines


def text_report(report: Report, paint: Paint = _plain, limit: int = 20) -> str:
    """The whole report as text."""
    lines: list[str] = []
    for trace in report.traces:
        lines += trace_text(trace, report, paint, limit)
        lines.append("")
    used = report.used()
    if used:
        lines.append("known differences seen:")
        for ident, count in sorted(used.items()):
            entry = report.registry.get(ident)
            title = f" {entry.title} ({entry.anchor})" if entry is not None and entry.anchor else ""
            lines.append(f"  {ident} x{count}:{title}")
    unused = report.unused()
    if unused:
        lines.append("known differences no trace showed: " + ", ".join(e.id for e in unused))
    lines.append(_summary(report))
    return "\n".join(lines)


def _summary(report: Report) -> str:
    counts = dict.fromkeys(_VERDICT_TEXT, 0)
    for trace in report.traces:
        counts[trace.verdict] += 1
    parts = ", ".join(f"{n} {v}" for v, n in counts.items())
    return f"{len(report.traces)} trace(s): {parts}; exit status {report.exit_status()}"


# --- Markdown ---------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_report(report: Report, limit: int = 50) -> str:
    """The whole report as Markdown (a summary table, then one section per trace)."""
    lines = ["# rtmcompat compare", "", "| trace | verdict | calls | known differences |", "|---|---|---|---|"]
    for trace in report.traces:
        lines.append(
            f"| `{_cell(trace.path)}` | {_VERDICT_TEXT[trace.verdict]} | {trace.calls} | {_cell(_hits(trace)) or '-'} |"
        )
    for trace in report.traces:
        lines += ["", f"## `{trace.path}`", "", f"Verdict: **{_VERDICT_TEXT[trace.verdict]}**."]
        if trace.error:
            lines += ["", f"Error: `{_cell(trace.error)}`"]
        lines += [f"- note: {note}" for note in trace.notes]
        if trace.divergence is not None:
            lines += ["", "### First divergence", "", "```text"]
            lines += _divergence_lines(trace.divergence, report, _plain)
            lines.append("```")
        if trace.differences:
            lines += ["", "| call | function | kind | id | what |", "|---|---|---|---|---|"]
            for d in trace.differences[:limit]:
                what = ", ".join(d.fields) or d.aspect
                lines.append(f"| {d.call} | `{d.function}` | {_kind_label(d)} | {d.id or '-'} | {_cell(what)} |")
            rest = len(trace.differences) - limit + trace.omitted
            if rest > 0:
                lines.append(f"\n{rest} more differences are in the JSON report.")
    used = report.used()
    if used:
        lines += ["", "## Known differences seen", ""]
        for ident, count in sorted(used.items()):
            entry = report.registry.get(ident)
            if entry is not None:
                target = f"[{entry.title}]({entry.anchor})" if entry.anchor else entry.title
                lines.append(f"- `{ident}` x{count}: {target}")
    unused = report.unused()
    if unused:
        lines += ["", "Known differences no trace showed: " + ", ".join(f"`{e.id}`" for e in unused) + "."]
    lines += ["", _summary(report) + "."]
    return "\n".join(lines)
