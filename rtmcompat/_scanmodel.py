"""The results of ``rtmcompat scan`` as values: findings, per-file entries, the report.

A :class:`Finding` is one site; :class:`FileEntry` is one path (scanned, skipped or missing) with its parse
coverage; :class:`ScanReport` is a whole run. They turn into the JSON shape of ``rtmcompat scan --format json``
(schema ``rtmcompat/schemas/scan-v1.json``) with :func:`finding_json` and :func:`file_json`.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

Level = Literal["note", "warning", "error"]
Kind = Literal["call", "macro", "type", "constant", "include", "string", "other"]
Confidence = Literal["high", "medium", "low"]
#: Levels in order: ``--fail-on LEVEL`` fails on that level and above.
LEVELS: tuple[Level, ...] = ("note", "warning", "error")


@attrs.frozen
class FlagArgument:
    """An argument the scanner decodes: flags, a protocol family, a TimeToLive."""

    #: The parameter's name in rtm.h (``EnumerationFlags``, ``ProtocolFamily``, ``TimeToLive``).
    parameter: str
    #: The argument as written.
    text: str
    #: Its value when it is literal (numbers and rtm.h constants), else None.
    value: int | None
    #: The value's names (``RTM_ONLY_THIS_NETWORK``...; unknown bits as ``0x...``), None when not literal.
    names: tuple[str, ...] | None


@attrs.frozen
class Finding:
    """One use of an RTMv1 or RTMv2 name, or a problem with a suppression comment."""

    path: str
    line: int
    #: 1-based, in characters, at the first character of ``symbol``.
    column: int
    end_line: int
    end_column: int
    api: Literal["rtmv1", "rtmv2"]
    symbol: str
    kind: Kind
    #: The enclosing function (``Class::method`` for C++ methods), None at file scope.
    function: str | None
    level: Level
    confidence: Confidence
    #: Why this confidence: direct call, through a macro, string only, unparsed region, under #if 0...
    reason: str
    message: str
    #: Stable rule id (SARIF ``ruleId``): ``rtmv1/RtmAddRoute``, ``rtmv1/include``, ``rtmv2/use``...
    rule: str
    replacement: str | None = None
    caveats: tuple[str, ...] = ()
    #: Known-difference ids (``RTMC-...``) the symbol touches.
    differences: tuple[str, ...] = ()
    url: str | None = None
    flags: tuple[FlagArgument, ...] = ()
    #: The user macro whose body holds this site, if any.
    macro: str | None = None
    #: For uses through user macros and wrapper functions: the RTMv1 names reached.
    via: tuple[str, ...] = ()
    #: Stable under line shifts: path, rule, symbol, kind, function, the line's text and its occurrence number.
    fingerprint: str = ""


def with_fingerprint(finding: Finding, fingerprint: str) -> Finding:
    """``finding`` with its fingerprint set (``attrs.evolve`` without its generic cost: run once per finding)."""
    return Finding(
        finding.path,
        finding.line,
        finding.column,
        finding.end_line,
        finding.end_column,
        finding.api,
        finding.symbol,
        finding.kind,
        finding.function,
        finding.level,
        finding.confidence,
        finding.reason,
        finding.message,
        finding.rule,
        finding.replacement,
        finding.caveats,
        finding.differences,
        finding.url,
        finding.flags,
        finding.macro,
        finding.via,
        fingerprint,
    )


@attrs.frozen
class Suppressed:
    """A finding silenced by an inline ``rtmcompat: ignore[...]`` comment, with the comment's reason."""

    finding: Finding
    reason: str
    #: Line of the suppression comment.
    comment_line: int


@attrs.frozen
class FileEntry:
    """One path of the run: how it was read and how well it parsed."""

    path: str
    #: ``scanned``, ``skipped`` (not read: binary, too large, unreadable, duplicate, loop) or ``missing``.
    status: Literal["scanned", "skipped", "missing"]
    #: Why the file was not scanned or not fully read, else None.
    reason: str | None = None
    #: ``c``, ``cpp`` or ``build``.
    language: str | None = None
    #: How the language was chosen, where there was a choice.
    language_note: str | None = None
    encoding: str | None = None
    encoding_note: str | None = None
    bytes: int | None = None
    lines: int | None = None
    #: Bytes inside ERROR regions of the parse.
    unparsed_bytes: int = 0
    #: Bytes inside ERROR regions of the one-branch view (one branch of each #if kept), when it read more.
    unparsed_bytes_one_branch: int | None = None
    error_regions: int = 0
    #: Tokens the parser had to invent (a missing ``;``).
    missing_tokens: int = 0
    #: Findings inside ERROR regions (recovered from the parts the parser could not read).
    recovered_sites: int = 0
    #: Macro bodies the parser could not fully read.
    unparsed_macro_bodies: int = 0
    findings: int = 0
    suppressed: int = 0
    #: One line for people: what was read and how well.
    coverage: str = ""


@attrs.frozen
class ScanReport:
    """A whole ``rtmcompat scan`` run."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]
    files: tuple[FileEntry, ...]
    summary: dict[str, Any]

    @property
    def missing(self) -> tuple[FileEntry, ...]:
        """Paths named on the command line that do not exist."""
        return tuple(entry for entry in self.files if entry.status == "missing")


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding in the JSON report's shape."""
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "api": finding.api,
        "symbol": finding.symbol,
        "kind": finding.kind,
        "function": finding.function,
        "level": finding.level,
        "confidence": finding.confidence,
        "reason": finding.reason,
        "message": finding.message,
        "rule": finding.rule,
        "replacement": finding.replacement,
        "caveats": list(finding.caveats),
        "differences": list(finding.differences),
        "url": finding.url,
        "flags": [attrs.asdict(flag) | {"names": _names(flag.names)} for flag in finding.flags],
        "macro": finding.macro,
        "via": list(finding.via),
        "fingerprint": finding.fingerprint,
    }


def _names(names: tuple[str, ...] | None) -> list[str] | None:
    return None if names is None else list(names)


def file_json(entry: FileEntry) -> dict[str, Any]:
    """A file entry in the JSON report's shape."""
    return attrs.asdict(entry)
