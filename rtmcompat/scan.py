"""``rtmcompat scan``: every use of the RTMv1 API (and of RTMv2) in C and C++ sources, found with a real parser.

::

    from rtmcompat.scan import scan
    report = scan(["src/"])
    for finding in report.findings:
        print(finding.path, finding.line, finding.column, finding.symbol, finding.function)

A run walks the paths (``_scanwalk``), reads each file (``_scansource``), parses it with tree-sitter
(``_cparse``, the only binding user) and finds the sites (``_scanfind``); then it resolves user macros and wrapper
functions across files, applies inline suppressions, computes fingerprints, drops what a baseline already holds
(``_scanbaseline``) and counts the rest. The formats are in ``_scanformat``; the decisions behind all of it are
the M-SCAN-* entries of docs/behaviour.md.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from . import __version__
from ._cparse import grammar_versions
from ._scanbaseline import apply_baseline, fingerprints
from ._scanfind import (
    FileScan,
    analyse,
    indirect_findings,
    recovered,
    resolve,
    suppression_problem,
    unused_suppression,
)
from ._scanmodel import (
    LEVELS,
    FileEntry,
    Finding,
    FlagArgument,
    ScanReport,
    Suppressed,
    file_json,
    finding_json,
    with_fingerprint,
)
from ._scansource import DEFAULT_MAX_MIB, Source, read_source
from ._scanwalk import Entry, Problem, Walk

__all__ = [
    "DEFAULT_MAX_MIB",
    "FileEntry",
    "Finding",
    "FlagArgument",
    "ScanReport",
    "Scanner",
    "Suppressed",
    "collector_paused",
    "report_json",
    "scan",
]

MIB = 1024 * 1024
#: Version of the JSON report's shape (rtmcompat/schemas/scan-v1.json).
FORMAT_VERSION = 1


@attrs.define
class Scanner:
    """A configured scan: :meth:`collect` lists what the paths hold, :meth:`run` scans it."""

    #: Files larger than this many bytes are not scanned (their entry says so).
    max_file_size: int = DEFAULT_MAX_MIB * MIB
    #: Fingerprints of a previous run (``--baseline``) with their counts: findings they hold are dropped.
    baseline: Counter[str] | None = None
    #: Where the baseline came from (for the summary).
    baseline_path: str | None = None
    #: Directory that fingerprint paths are relative to (default: the current directory).
    root: str | None = None
    _not_read: Counter[str] = attrs.field(factory=Counter, init=False)
    _named: int = attrs.field(default=0, init=False)

    def collect(self, paths: Sequence[str]) -> list[Entry | Problem]:
        """Walk ``paths``: the files to read and the paths that cannot be (missing, loops, unlistable)."""
        walk = Walk(paths)
        found = list(walk)
        self._not_read = walk.not_read
        self._named = len(paths)
        return found

    def run(self, items: Sequence[Entry | Problem], advance: Callable[[], None] | None = None) -> ScanReport:
        """Scan what :meth:`collect` returned; ``advance`` is called after each item (a progress bar)."""
        scans: list[FileScan] = []
        entries: list[FileEntry] = []
        for item in items:
            if isinstance(item, Problem):
                entries.append(FileEntry(path=item.path, status=item.status, reason=item.reason, coverage=item.reason))
            else:
                source = read_source(item.path, self.max_file_size)
                if isinstance(source, Source):
                    scans.append(analyse(item.path, item.reader, source, item.note))
                    entries.append(scans[-1].entry)
                else:
                    entries.append(
                        FileEntry(
                            path=item.path,
                            status="skipped",
                            reason=source.reason,
                            bytes=source.size,
                            coverage=source.reason,
                        )
                    )
            if advance is not None:
                advance()
        indirect = resolve(scans)
        root = os.path.abspath(self.root or os.getcwd())
        findings: list[Finding] = []
        suppressed: list[Suppressed] = []
        finished: dict[str, FileEntry] = {}
        for file_scan in scans:
            note = indirect_findings(file_scan, indirect, self.max_file_size)
            kept, silenced = _finish(file_scan, root)
            entry = file_scan.entry
            if note is not None:
                entry = attrs.evolve(entry, reason=_join(entry.reason, note))
            entry = attrs.evolve(
                entry,
                findings=len(kept),
                suppressed=len(silenced),
                recovered_sites=sum(1 for finding in kept if recovered(finding)),
            )
            finished[entry.path] = attrs.evolve(entry, coverage=_coverage(entry))
            findings += kept
            suppressed += silenced
            file_scan.user_names.clear()
            file_scan.body_names.clear()
        known = 0
        if self.baseline is not None:
            findings, known = apply_baseline(findings, self.baseline)
        files = tuple(finished.get(entry.path, entry) if entry.status == "scanned" else entry for entry in entries)
        summary = _summary(files, findings, suppressed, self._named, self._not_read)
        if self.baseline is not None:
            summary["baseline"] = {"path": self.baseline_path, "known_findings": known}
        return ScanReport(tuple(findings), tuple(suppressed), files, summary)


def scan(
    paths: Sequence[str],
    *,
    max_file_size: int = DEFAULT_MAX_MIB * MIB,
    baseline: Counter[str] | None = None,
    root: str | None = None,
) -> ScanReport:
    """Scan ``paths`` (files and directories) for RTMv1 and RTMv2 use."""
    scanner = Scanner(max_file_size=max_file_size, baseline=baseline, root=root)
    return scanner.run(scanner.collect(paths))


def _finish(file_scan: FileScan, root: str) -> tuple[list[Finding], list[Suppressed]]:
    """Apply the file's suppressions, add findings about them, sort, and fingerprint."""
    path = file_scan.entry.path
    rows = list(zip(file_scan.findings, file_scan.line_texts, strict=True))
    silenced_by: dict[int, tuple[str, int]] = {}
    used: set[int] = set()
    for number, suppression in enumerate(file_scan.suppressions):
        if suppression.problem is not None:
            rows.append((suppression_problem(path, suppression), suppression.line_text))
            continue
        for index, (finding, _text) in enumerate(rows):
            if finding.rule == "rtmcompat/suppression" or index in silenced_by:
                continue
            if finding.line == suppression.target and (
                suppression.symbols is None or finding.symbol in suppression.symbols
            ):
                silenced_by[index] = (suppression.reason or "", suppression.line)
                used.add(number)
    for number, suppression in enumerate(file_scan.suppressions):
        if suppression.problem is None and number not in used:
            rows.append((unused_suppression(path, suppression), suppression.line_text))
    order = sorted(range(len(rows)), key=lambda i: (rows[i][0].line, rows[i][0].column, rows[i][0].rule, i))
    relative = _relative(path, root)
    prints = fingerprints(relative, [rows[i][0] for i in order], [rows[i][1] for i in order])
    kept: list[Finding] = []
    silenced: list[Suppressed] = []
    for index, fingerprint in zip(order, prints, strict=True):
        finding = with_fingerprint(rows[index][0], fingerprint)
        if index in silenced_by:
            reason, line = silenced_by[index]
            silenced.append(Suppressed(finding, reason, line))
        else:
            kept.append(finding)
    return kept, silenced


def _relative(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes (fingerprints and SARIF URIs)."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows)
        relative = absolute
    return relative.replace(os.sep, "/")


def _join(first: str | None, second: str) -> str:
    return second if not first else f"{first}; {second}"


def _coverage(entry: FileEntry) -> str:
    """The file's parse-coverage line."""
    if entry.status != "scanned":
        return entry.reason or entry.status
    size = f"{entry.lines} lines, {entry.bytes} bytes"
    if entry.language == "build":
        return f"{size}, build file read as text (comments skipped)"
    language = {"c": "C", "cpp": "C++"}.get(entry.language or "", entry.language or "?")
    head = f"{size}, parsed as {language}"
    if entry.encoding not in ("utf-8", None):
        head += f" ({entry.encoding})"
    if entry.unparsed_bytes == 0 and entry.missing_tokens == 0:
        body = "parsed completely"
    else:
        share = 100.0 * entry.unparsed_bytes / max(1, entry.bytes or 1)
        body = (
            f"{entry.unparsed_bytes} bytes ({share:.1f}%) unreadable in {entry.error_regions} region(s), "
            f"{entry.missing_tokens} missing token(s); {entry.recovered_sites} site(s) recovered from them"
        )
    if entry.unparsed_bytes_one_branch is not None:
        body += (
            f"; {entry.unparsed_bytes_one_branch} bytes unreadable with one branch of each #if kept "
            "(function names taken from that reading)"
        )
    if entry.unparsed_macro_bodies:
        body += f"; {entry.unparsed_macro_bodies} macro body(ies) not fully read"
    return f"{head}: {body}"


def _summary(
    files: Sequence[FileEntry],
    findings: Sequence[Finding],
    suppressed: Sequence[Suppressed],
    named: int,
    not_read: Counter[str],
) -> dict[str, Any]:
    by_symbol: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_symbol.setdefault((finding.symbol, finding.api), []).append(finding)
    by_file: dict[str, Counter[str]] = {}
    for finding in findings:
        counts = by_file.setdefault(finding.path, Counter())
        counts["count"] += 1
        counts[finding.api] += 1
        counts[finding.level] += 1
    scanned = [entry for entry in files if entry.status == "scanned"]
    return {
        "files": {
            "named": named,
            "scanned": len(scanned),
            "skipped": sum(1 for entry in files if entry.status == "skipped"),
            "missing": sum(1 for entry in files if entry.status == "missing"),
            "with_findings": len(by_file),
            "parsed_completely": sum(1 for entry in scanned if entry.unparsed_bytes == 0 and entry.missing_tokens == 0),
            "unparsed_bytes": sum(entry.unparsed_bytes for entry in scanned),
            "recovered_sites": sum(entry.recovered_sites for entry in scanned),
        },
        "not_read": dict(sorted(not_read.items())),
        "findings": len(findings),
        "suppressed": len(suppressed),
        "by_level": {level: sum(1 for f in findings if f.level == level) for level in reversed(LEVELS)},
        "by_api": {api: sum(1 for f in findings if f.api == api) for api in ("rtmv1", "rtmv2")},
        "by_kind": dict(sorted(Counter(finding.kind for finding in findings).items())),
        "by_symbol": [
            {"symbol": symbol, "api": api, "count": len(items), "files": len({f.path for f in items})}
            for (symbol, api), items in sorted(by_symbol.items(), key=lambda item: (-len(item[1]), item[0]))
        ],
        "by_file": [
            {
                "path": path,
                "count": counts["count"],
                "rtmv1": counts["rtmv1"],
                "rtmv2": counts["rtmv2"],
                "error": counts["error"],
                "warning": counts["warning"],
                "note": counts["note"],
            }
            for path, counts in by_file.items()
        ],
        "baseline": None,
    }


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a run (what the ``rtmcompat scan`` command does).

    A scan of a large tree allocates hundreds of thousands of small objects that form no reference cycles
    (findings, tuples, strings); the cyclic collector rescans them again and again while they accumulate, which
    took 40% of the run time on the benchmark tree, and frees nothing. Reference counting still frees everything.
    The library leaves the collector alone unless asked: this is for applications.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def report_json(report: ScanReport) -> dict[str, Any]:
    """The report as the JSON document ``--format json`` writes (schema rtmcompat/schemas/scan-v1.json)."""
    return {
        "format": "rtmcompat-scan",
        "version": FORMAT_VERSION,
        "tool": {"name": "rtmcompat", "version": __version__, "parsers": grammar_versions()},
        "findings": [finding_json(finding) for finding in report.findings],
        "suppressed": [
            finding_json(item.finding) | {"suppression": {"reason": item.reason, "line": item.comment_line}}
            for item in report.suppressed
        ],
        "files": [file_json(entry) for entry in report.files],
        "summary": report.summary,
    }
