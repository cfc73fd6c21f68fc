"""The outputs of ``rtmcompat scan``: text, JSON, SARIF 2.1.0, CSV and Markdown, and the closing summary.

Where the summary goes (docs/behaviour.md M-SCAN-SUMMARY): text and CSV keep stdout to one line (or row) per
finding, so their summary (counts by symbol and by file, the files that were skipped or not fully parsed) is
written to stderr; JSON carries it under ``summary``, SARIF under ``runs[0].properties.summary``, and Markdown
opens with it. Every format also gets a one-line completion message on stderr (unless ``--quiet``).

SARIF follows GitHub code scanning's rules: stable rule ids (``rtmv1/RtmAddRoute``), artifact URIs relative to
the current directory under ``uriBaseId`` ``%SRCROOT%`` (files outside it get an absolute ``file:`` URI),
``partialFingerprints``, one location on every result, rule descriptions and help with the Microsoft page; columns
count Unicode code points (``columnKind``), as the other formats do. Suppressed findings are included with an
``inSource`` suppression; skipped and missing files are tool notifications.
"""

from __future__ import annotations

import csv
import os
import pathlib
import urllib.parse
from typing import IO, Any

from . import __version__
from ._scanbaseline import FINGERPRINT_KEY, SUPPRESSION_RULE
from ._scanfind import describe_flags
from ._scanmodel import Finding, ScanReport
from ._scansymbols import INCLUDE_URL, LIBRARY_URL, SYMBOLS
from ._terminal import Painter

FORMATS = ("text", "json", "sarif", "csv", "markdown")
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL_STYLE = {"error": ("red", "bold"), "warning": ("yellow",), "note": ("blue",)}


# --- text ---------------------------------------------------------------------------------------------------------


def text_line(finding: Finding, paint: Painter | None = None) -> str:
    """``path:line:col: level: message (in function) [rule]``, plus the reason when confidence is not high."""
    level = finding.level if paint is None else paint(finding.level, *_LEVEL_STYLE[finding.level])
    line = f"{finding.path}:{finding.line}:{finding.column}: {level}: {finding.message}"
    if finding.function:
        line += f" (in {finding.function})"
    if finding.confidence != "high":
        line += f" [{finding.confidence} confidence: {finding.reason}]"
    return f"{line} [{finding.rule}]"


def write_text(report: ScanReport, stream: IO[str], paint: Painter | None = None) -> None:
    """One line per finding."""
    for finding in report.findings:
        stream.write(text_line(finding, paint) + "\n")


def summary_lines(report: ScanReport, top: int = 15) -> list[str]:
    """The closing summary for people: files, counts by level, by symbol and by file, and the files that were
    not read or not fully parsed."""
    summary = report.summary
    files = summary["files"]
    levels = summary["by_level"]
    lines = [
        f"rtmcompat scan: {summary['findings']} finding(s) in {files['with_findings']} of {files['scanned']} "
        f"file(s) scanned ({levels['error']} error, {levels['warning']} warning, {levels['note']} note; "
        f"{summary['by_api']['rtmv1']} RTMv1, {summary['by_api']['rtmv2']} RTMv2)"
    ]
    extras = []
    if summary["suppressed"]:
        extras.append(f"{summary['suppressed']} suppressed inline")
    if summary.get("baseline"):
        extras.append(f"{summary['baseline']['known_findings']} already in the baseline")
    if files["skipped"]:
        extras.append(f"{files['skipped']} path(s) skipped")
    if files["missing"]:
        extras.append(f"{files['missing']} path(s) missing")
    for reason, count in summary["not_read"].items():
        extras.append(f"{count} {reason}")
    if extras:
        lines.append("  also: " + "; ".join(extras))
    if summary["by_symbol"]:
        lines.append("  by symbol:")
        for row in summary["by_symbol"][:top]:
            lines.append(f"    {row['count']:6}  {row['symbol']} ({row['api']}, {row['files']} file(s))")
        if len(summary["by_symbol"]) > top:
            lines.append(f"    ... {len(summary['by_symbol']) - top} more symbol(s)")
    if summary["by_file"]:
        lines.append("  by file:")
        ranked = sorted(summary["by_file"], key=lambda row: (-row["count"], row["path"]))
        for row in ranked[:top]:
            lines.append(f"    {row['count']:6}  {row['path']} ({row['rtmv1']} RTMv1, {row['rtmv2']} RTMv2)")
        if len(ranked) > top:
            lines.append(f"    ... {len(ranked) - top} more file(s)")
    troubled = [entry for entry in report.files if entry.status != "scanned" or entry.unparsed_bytes]
    if troubled:
        lines.append("  files not read or not fully parsed:")
        for entry in troubled:
            lines.append(f"    {entry.path}: {entry.status}: {entry.coverage}")
    lines.append(
        f"  parse coverage: {files['parsed_completely']} of {files['scanned']} file(s) parsed completely; "
        f"{files['unparsed_bytes']} byte(s) unreadable; {files['recovered_sites']} site(s) recovered from them"
    )
    return lines


def completion_line(report: ScanReport) -> str:
    """A one-line completion message (the formats whose summary is in the report)."""
    summary = report.summary
    levels = summary["by_level"]
    return (
        f"rtmcompat scan: {summary['files']['scanned']} file(s) scanned, {summary['findings']} finding(s) "
        f"({levels['error']} error, {levels['warning']} warning, {levels['note']} note)"
    )


# --- CSV ----------------------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "path",
    "line",
    "column",
    "level",
    "api",
    "kind",
    "symbol",
    "function",
    "confidence",
    "reason",
    "message",
    "flags",
    "replacement",
    "differences",
    "via",
    "macro",
    "url",
    "rule",
    "fingerprint",
)


def write_csv(report: ScanReport, stream: IO[str]) -> None:
    """One row per finding, a header row first (spreadsheets: check off the sites one by one)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for finding in report.findings:
        writer.writerow(
            (
                finding.path,
                finding.line,
                finding.column,
                finding.level,
                finding.api,
                finding.kind,
                finding.symbol,
                finding.function or "",
                finding.confidence,
                finding.reason,
                finding.message,
                describe_flags(finding.flags),
                finding.replacement or "",
                " ".join(finding.differences),
                " ".join(finding.via),
                finding.macro or "",
                finding.url or "",
                finding.rule,
                finding.fingerprint,
            )
        )


# --- Markdown -----------------------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def markdown(report: ScanReport) -> str:
    """The report as a Markdown document: summary first, then the findings by file, then parse coverage."""
    summary = report.summary
    files = summary["files"]
    levels = summary["by_level"]
    out = [
        "# RTMv1 scan",
        "",
        f"rtmcompat {__version__}: {summary['findings']} finding(s) in {files['with_findings']} of "
        f"{files['scanned']} file(s) scanned: {levels['error']} error, {levels['warning']} warning, "
        f"{levels['note']} note ({summary['by_api']['rtmv1']} RTMv1, {summary['by_api']['rtmv2']} RTMv2)."
        + (f" {summary['suppressed']} suppressed inline." if summary["suppressed"] else "")
        + (f" {summary['baseline']['known_findings']} already in the baseline." if summary.get("baseline") else ""),
        "",
    ]
    if summary["by_symbol"]:
        out += ["## By symbol", "", "| symbol | API | findings | files |", "|---|---|---:|---:|"]
        out += [
            f"| `{_cell(row['symbol'])}` | {row['api']} | {row['count']} | {row['files']} |"
            for row in summary["by_symbol"]
        ]
        out.append("")
    if summary["by_file"]:
        out += [
            "## By file",
            "",
            "| file | findings | RTMv1 | RTMv2 | error | warning | note |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        out += [
            f"| `{_cell(row['path'])}` | {row['count']} | {row['rtmv1']} | {row['rtmv2']} | {row['error']} | "
            f"{row['warning']} | {row['note']} |"
            for row in summary["by_file"]
        ]
        out.append("")
    if report.findings:
        out += ["## Findings", ""]
        current = None
        for finding in report.findings:
            if finding.path != current:
                if current is not None:
                    out.append("")
                current = finding.path
                out += [
                    f"### `{_cell(current)}`",
                    "",
                    "| line:col | level | symbol | kind | function | confidence | what to do |",
                    "|---|---|---|---|---|---|---|",
                ]
            link = f"[`{_cell(finding.symbol)}`]({finding.url})" if finding.url else f"`{_cell(finding.symbol)}`"
            out.append(
                f"| {finding.line}:{finding.column} | {finding.level} | {link} | {finding.kind} | "
                f"{_cell(finding.function) or '(file scope)'} | {finding.confidence}: {_cell(finding.reason)} | "
                f"{_cell(finding.message)} |"
            )
        out.append("")
    out += ["## Files", "", "| file | status | coverage |", "|---|---|---|"]
    out += [f"| `{_cell(entry.path)}` | {entry.status} | {_cell(entry.coverage)} |" for entry in report.files]
    return "\n".join(out) + "\n"


# --- SARIF --------------------------------------------------------------------------------------------------------


def artifact_location(path: str, root: str) -> dict[str, str]:
    """A SARIF artifactLocation: relative to ``root`` under ``%SRCROOT%`` when inside it, else an absolute URI."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:
        relative = os.pardir
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return {"uri": pathlib.Path(absolute).as_uri()}
    return {"uri": urllib.parse.quote(relative.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def _rule(rule_id: str, sample: Finding) -> dict[str, Any]:
    """The reportingDescriptor of ``rule_id`` (``sample`` is one of its findings)."""
    api, _, name = rule_id.partition("/")
    symbol = SYMBOLS.get(name)
    tags = [api if api in ("rtmv1", "rtmv2") else "rtmcompat"]
    lines: list[str]
    url: str | None
    level: str
    if symbol is not None:
        title = f"{name}: {symbol.summary}"
        lines = [f"{name} ({'rtm.h' if symbol.api == 'rtmv1' else 'rtmv2.h'}): {symbol.summary}."]
        if symbol.api == "rtmv1":
            lines.append(f"RTMv2 replacement: {symbol.replacement or 'none (see the caveats)'}.")
        lines += list(symbol.caveats)
        if symbol.differences:
            lines.append("Known differences: " + ", ".join(symbol.differences) + ".")
        url, level, pascal = symbol.url, symbol.level, name
        tags.append(symbol.kind)
    else:
        title, help_lines, url, level, pascal = _GENERIC_RULES[rule_id]
        lines = list(help_lines)
    markdown_help = "\n\n".join(lines) + (f"\n\n[Microsoft documentation]({url})" if url else "")
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": pascal,
        "shortDescription": {"text": title},
        "fullDescription": {"text": " ".join(lines)},
        "help": {"text": "\n".join(lines) + (f"\nSee {url}" if url else ""), "markdown": markdown_help},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": tags, "precision": "high" if sample.confidence == "high" else "medium"},
    }
    if url:
        rule["helpUri"] = url
    return rule


#: Rules that are not one symbol: (title, help lines, url, default level, name).
_GENERIC_RULES: dict[str, tuple[str, tuple[str, ...], str | None, str, str]] = {
    "rtmv1/include": (
        "#include of rtm.h, the RTMv1 header",
        ("The file includes rtm.h. Once its v1 calls are ported, include rtmv2.h instead.",),
        INCLUDE_URL["rtmv1"],
        "warning",
        "IncludeRtmH",
    ),
    "rtmv2/include": (
        "#include of rtmv2.h, the RTMv2 header",
        ("The file already uses RTMv2 (informational, for mixed code bases).",),
        INCLUDE_URL["rtmv2"],
        "note",
        "IncludeRtmv2H",
    ),
    "rtmv1/library": (
        "rtm.lib or rtm.dll is linked or loaded",
        (
            "rtm.lib and rtm.dll serve both RTMv1 and RTMv2, so the reference stays; it shows where the v1 API "
            "can enter the program (informational).",
        ),
        LIBRARY_URL,
        "note",
        "RtmLibrary",
    ),
    "rtmv1/user-macro": (
        "Use of a macro that expands to RTMv1",
        (
            "A macro of the code base expands to RTMv1 calls or names; every use of it is a v1 use. "
            "Port the macro's body, or the uses.",
        ),
        None,
        "warning",
        "UserMacroExpandsToRtmv1",
    ),
    "rtmv1/wrapper-call": (
        "Call of a function that calls RTMv1",
        (
            "The called function's body calls RTMv1 functions (matched by name across the scanned files): "
            "indirect use, ported with the wrapper.",
        ),
        None,
        "note",
        "CallsRtmv1Wrapper",
    ),
    SUPPRESSION_RULE: (
        "Inline suppression comment problem",
        (
            "A `rtmcompat: ignore[SYMBOL] reason: why` comment that silences nothing: it has no reason, does not "
            "parse, or matches no finding on its line.",
        ),
        None,
        "warning",
        "SuppressionComment",
    ),
}


def _result(finding: Finding, rule_index: int, root: str, suppression: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact_location(finding.path, root),
            "region": {
                "startLine": finding.line,
                "startColumn": finding.column,
                "endLine": finding.end_line,
                "endColumn": finding.end_column,
            },
        }
    }
    if finding.function:
        location["logicalLocations"] = [{"name": finding.function, "kind": "function"}]
    properties: dict[str, Any] = {
        "api": finding.api,
        "kind": finding.kind,
        "symbol": finding.symbol,
        "confidence": finding.confidence,
        "reason": finding.reason,
    }
    for key, value in (
        ("replacement", finding.replacement),
        ("caveats", list(finding.caveats)),
        ("differences", list(finding.differences)),
        ("flags", describe_flags(finding.flags)),
        ("via", list(finding.via)),
        ("macro", finding.macro),
    ):
        if value:
            properties[key] = value
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    if suppression is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": suppression}]
    return result


def sarif(report: ScanReport, root: str | None = None) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (one run)."""
    root = os.path.abspath(root or os.getcwd())
    everything: list[tuple[Finding, str | None]] = [(finding, None) for finding in report.findings]
    everything += [(item.finding, item.reason) for item in report.suppressed]
    rule_ids: list[str] = []
    samples: dict[str, Finding] = {}
    for finding, _ in everything:
        if finding.rule not in samples:
            samples[finding.rule] = finding
            rule_ids.append(finding.rule)
    rule_ids.sort()
    index = {rule_id: number for number, rule_id in enumerate(rule_ids)}
    notifications = [
        {
            "level": "error" if entry.status == "missing" else "warning",
            "message": {"text": f"{entry.path}: {entry.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(entry.path, root)}}],
        }
        for entry in report.files
        if entry.status != "scanned"
    ]
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rtmcompat",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(rule_id, samples[rule_id]) for rule_id in rule_ids],
                    }
                },
                "automationDetails": {"id": "rtmcompat/scan/"},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": pathlib.Path(root).as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not any(entry.status == "missing" for entry in report.files),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": [
                    _result(finding, index[finding.rule], root, suppression) for finding, suppression in everything
                ],
                "properties": {"summary": report.summary},
            }
        ],
    }
