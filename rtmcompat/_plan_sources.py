"""What the sources use, from scan reports: the sites of each v1 function, by file and by module (M-PLAN-SITES).

Each finding of a scan report is sorted into one of these:

* a **site** of a v1 function, the unit the plan counts and estimates: a direct call (``call``), a use of the code
  base's own macro that expands to v1 calls (``macro-use``, one site per v1 function it reaches), the function's
  name as a whole string (``dynamic``: a run-time lookup such as ``GetProcAddress``), or its name used otherwise
  (``reference``: address taken, a prototype, a structure member, a ``.def`` entry);
* an **indirect use**: a call of a wrapper function whose body calls v1 (M-SCAN-WRAPPERS); the wrapper's own call
  is the site, so these are listed, not counted;
* a **mention**: a v1 function named inside the text of a longer string (a log message); listed, not counted;
* a **blocker**: an undocumented rtm.dll export, which has no public semantics and no mapping;
* another **v1 symbol** (types, constants, error aliases, header macros, the include, rtm.lib): counted by name;
* **RTMv2** use already present (mixed code bases): counted by name.

Findings at the same place (path, line, column, symbol, kind, rule) in several reports count once.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable
from typing import Final, Literal

import attrs

from ._mapping import BY_NAME
from ._plan_inputs import ScanFinding, ScanInput
from ._scansymbols import SYMBOLS

SiteKind = Literal["call", "macro-use", "dynamic", "reference"]
#: The site kinds in the order reports list them.
SITE_KINDS: Final[tuple[SiteKind, ...]] = ("call", "macro-use", "dynamic", "reference")


@attrs.frozen
class Site:
    """One place in the sources that uses a v1 function."""

    #: The v1 function used (for a macro use, one of the functions the macro reaches).
    v1: str
    kind: SiteKind
    path: str
    line: int
    column: int
    #: The enclosing function in the sources (None at file scope).
    function: str | None
    confidence: str
    reason: str
    #: The name written at the site: the v1 function, or the user macro's name for a macro use.
    symbol: str
    #: Decoded literal flag arguments: (rtm.h parameter, names or None when not literal).
    flags: tuple[tuple[str, tuple[str, ...] | None], ...] = ()


def module_of(path: str) -> str:
    """The module a file belongs to: its directory as the scan report writes it (``.`` for the current one)."""
    return posixpath.dirname(path.replace("\\", "/")) or "."


@attrs.define
class Sources:
    """Everything the scan reports say, sorted (see the module's docstring)."""

    reports: int = 0
    sites: list[Site] = attrs.field(factory=list)
    indirect: list[ScanFinding] = attrs.field(factory=list)
    mentions: list[ScanFinding] = attrs.field(factory=list)
    blockers: list[ScanFinding] = attrs.field(factory=list)
    #: Other v1 names: (symbol, scan kind) -> the findings.
    symbols: dict[tuple[str, str], list[ScanFinding]] = attrs.field(factory=dict)
    rtmv2: Counter[str] = attrs.field(factory=Counter)
    suppressed: list[tuple[ScanFinding, str]] = attrs.field(factory=list)
    #: Files the scans list, by path: (status, reason, unparsed bytes, recovered sites).
    files: dict[str, tuple[str, str | None, int, int]] = attrs.field(factory=dict)
    #: Scan reports that ran with a baseline (path of the report, baseline).
    baselines: list[tuple[str, str]] = attrs.field(factory=list)
    #: The findings of v1 calls, whose decoded flag arguments show paths the sources take.
    calls: list[ScanFinding] = attrs.field(factory=list)
    #: The sites by v1 function (filled when the reports are all sorted).
    by_function: dict[str, list[Site]] = attrs.field(factory=dict)

    def sites_of(self, v1: str) -> list[Site]:
        """The sites of one v1 function, in source order."""
        return self.by_function.get(v1, [])

    def symbol_sites(self, names: Iterable[str]) -> list[ScanFinding]:
        """Where the sources write any of the given v1 names: as a constant, or as the decoded value of a literal
        flag argument of a call; one finding per line, in source order."""
        wanted = set(names)
        found = [f for (symbol, _), items in self.symbols.items() if symbol in wanted for f in items]
        found += [f for f in self.calls if any(flag.names and wanted.intersection(flag.names) for flag in f.flags)]
        by_line: dict[tuple[str, int], ScanFinding] = {}
        for finding in sorted(found, key=_where):
            by_line.setdefault((finding.path, finding.line), finding)
        return list(by_line.values())


def _where(finding: ScanFinding) -> tuple[str, int, int, str]:
    return (finding.path, finding.line, finding.column, finding.symbol)


def collect(reports: Iterable[ScanInput]) -> Sources:
    """Sort the findings of every scan report."""
    sources = Sources()
    seen: set[tuple[str, int, int, str, str, str | None]] = set()
    for report in reports:
        sources.reports += 1
        if report.baseline is not None:
            sources.baselines.append((report.path, report.baseline))
        for entry in report.files:
            sources.files.setdefault(
                entry.path, (entry.status, entry.reason, entry.unparsed_bytes, entry.recovered_sites)
            )
        for finding, reason in report.suppressed:
            sources.suppressed.append((finding, reason))
        for finding in report.findings:
            key = (finding.path, finding.line, finding.column, finding.symbol, finding.kind, finding.rule)
            if key in seen:
                continue
            seen.add(key)
            _sort(sources, finding)
    sources.sites.sort(key=lambda s: (s.path, s.line, s.column, s.v1))
    for site in sources.sites:
        sources.by_function.setdefault(site.v1, []).append(site)
    for items in (sources.indirect, sources.mentions, sources.blockers):
        items.sort(key=_where)
    return sources


def _site(finding: ScanFinding, v1: str, kind: SiteKind) -> Site:
    flags = tuple((flag.parameter, flag.names) for flag in finding.flags)
    return Site(
        v1,
        kind,
        finding.path,
        finding.line,
        finding.column,
        finding.function,
        finding.confidence,
        finding.reason,
        finding.symbol,
        flags,
    )


def _sort(sources: Sources, finding: ScanFinding) -> None:
    """File one finding where it belongs (the module's docstring gives the rules)."""
    if finding.rule is not None and finding.rule.startswith("rtmcompat/"):
        return  # a problem with a suppression comment, not a use of either API
    symbol = finding.symbol
    if finding.api == "rtmv2":
        sources.rtmv2[symbol] += 1
        return
    reached = tuple(name for name in finding.via if name in BY_NAME)
    if finding.rule == "rtmv1/wrapper-call" or (finding.kind == "other" and finding.via and symbol not in BY_NAME):
        sources.indirect.append(finding)
        return
    if finding.kind == "macro" and finding.via:
        if reached:
            sources.sites.extend(_site(finding, v1, "macro-use") for v1 in dict.fromkeys(reached))
        else:
            sources.symbols.setdefault((symbol, finding.kind), []).append(finding)
        return
    entry = SYMBOLS.get(symbol)
    if entry is not None and entry.kind == "undocumented":
        if finding.kind == "string" and finding.level == "note":
            sources.mentions.append(finding)
        else:
            sources.blockers.append(finding)
        return
    if symbol in BY_NAME:
        if finding.kind == "call":
            sources.sites.append(_site(finding, symbol, "call"))
            sources.calls.append(finding)
        elif finding.kind == "string":
            if finding.level == "note":
                sources.mentions.append(finding)  # named inside a longer text (M-SCAN-STRINGS)
            else:
                sources.sites.append(_site(finding, symbol, "dynamic"))
        else:
            sources.sites.append(_site(finding, symbol, "reference"))
        return
    sources.symbols.setdefault((symbol, finding.kind), []).append(finding)
