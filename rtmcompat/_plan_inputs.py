"""The inputs of ``rtmcompat plan``: each file recognised by its content as a scan report, a trace or a mapping log.

Theory of operation
-------------------
The first non-blank line decides (M-PLAN-INPUTS). A line that is a whole JSON object is a JSON Lines source: a
``header`` record makes it a trace-v1 file, a structlog event (an ``event`` key) a JSON mapping log of V1Shim;
both are read by :func:`rtmcompat.trace.read`, which validates every record. A line that is not a whole JSON
object (the ``{`` an indented document starts with) makes the file one JSON document, which must be the report of
``rtmcompat scan --format json``: its findings are checked here, field by field, against what the scan report's
shape fixes (only the keys the plan reads are required, so a report reduced to the documented keys still
reads). Anything else is refused with one message that names the file and says what it looks like instead.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from typing import IO, Any, Final, Literal

import attrs

from ._trace_codec import shorten
from ._trace_reader import MAX_LINE_BYTES, NamedLines, command_input, read
from ._trace_records import Record, TraceError

#: The levels, kinds and confidences a scan finding may have (the scan report's shape, M-SCAN-LEVELS).
LEVELS: Final = ("note", "warning", "error")
KINDS: Final = ("call", "macro", "type", "constant", "include", "string", "other")
CONFIDENCES: Final = ("high", "medium", "low")
APIS: Final = ("rtmv1", "rtmv2")

_BOM = b"\xef\xbb\xbf"
#: The ``type`` of trace-v1 records (trace-v1.json).
_RECORD_TYPES: Final = frozenset({"header", "call", "advance", "event", "note"})


class InputError(ValueError):
    """An input that cannot be used: the message is one line that names the file."""


@attrs.frozen
class ScanFlag:
    """A decoded flag argument of a scan finding: its rtm.h parameter and the names of its literal value."""

    parameter: str
    #: None when the argument is not a literal.
    names: tuple[str, ...] | None


@attrs.frozen
class ScanFinding:
    """What the plan reads of one scan finding (the scan report's fields of the same names)."""

    path: str
    line: int
    column: int
    api: str
    symbol: str
    kind: str
    function: str | None
    level: str
    confidence: str
    reason: str = ""
    rule: str | None = None
    via: tuple[str, ...] = ()
    macro: str | None = None
    flags: tuple[ScanFlag, ...] = ()


@attrs.frozen
class ScanFile:
    """One ``files`` entry of a scan report: its path, how it was read and what the parser could not read."""

    path: str
    status: str = "scanned"
    reason: str | None = None
    unparsed_bytes: int = 0
    recovered_sites: int = 0


@attrs.frozen
class ScanInput:
    """A scan report given to the plan."""

    path: str
    findings: tuple[ScanFinding, ...]
    #: Findings silenced by inline comments, with the comment's reason.
    suppressed: tuple[tuple[ScanFinding, str], ...]
    files: tuple[ScanFile, ...]
    #: The ``--baseline`` the scan ran with (its findings are only the new ones), else None.
    baseline: str | None = None


@attrs.frozen
class TraceInput:
    """A trace-v1 file or a JSON mapping log given to the plan, with its validated records."""

    path: str
    kind: Literal["trace", "mapping-log"]
    records: tuple[Record, ...]


Input = ScanInput | TraceInput


def load(path: str) -> Input:
    """Read ``path`` as whatever its content shows it is; :class:`InputError` when it cannot be used."""
    if os.path.isdir(path):
        raise InputError(f"{path}: a directory, not a scan report, trace or mapping log")
    try:
        source = command_input(path)  # standard input and pipes are read once, here
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    first = _first_line(path, source)
    try:
        head = json.loads(first) if first is not None else None
    except (ValueError, RecursionError):  # not one object on this line; a document nested too deeply is told below
        head = None
    kind = head.get("type") if isinstance(head, dict) else None
    if isinstance(head, dict) and (
        (isinstance(kind, str) and kind in _RECORD_TYPES) or isinstance(head.get("event"), str)
    ):
        return _trace(path, source)  # a trace record without its header gets the trace reader's message
    if isinstance(head, dict):
        document: Any = head
    else:
        document = _document(path, source)
    return _scan(path, document)


def _open(path: str, source: str | NamedLines) -> IO[bytes]:
    """The input's bytes: the file, or the lines already read from a stream."""
    return io.BytesIO(b"\n".join(source)) if isinstance(source, NamedLines) else open(path, "rb")


def _first_line(path: str, source: str | NamedLines) -> str | None:
    """The first non-blank line (a UTF-8 byte-order mark dropped), checked to start a JSON object; None when it is
    longer than any trace line may be, so that the file can only be one JSON document (a compact scan report)."""
    try:
        with _open(path, source) as handle:
            number = 0
            while True:
                raw = handle.readline(MAX_LINE_BYTES + 2)
                number += 1
                if not raw:
                    raise InputError(f"{path}: empty: not a scan report, trace or mapping log")
                if number == 1 and raw.startswith(_BOM):
                    raw = raw[len(_BOM) :]
                if raw.strip():
                    break
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw.rstrip(b"\r\n")) > MAX_LINE_BYTES:
        if not raw.lstrip().startswith(b"{"):
            raise InputError(f"{path}: not JSON: expected a scan JSON report, a trace or a JSON mapping log")
        return None
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text: not a scan report, trace or mapping log") from None
    if not text.startswith("{"):
        raise InputError(f"{path}: not JSON: expected a scan JSON report, a trace or a JSON mapping log")
    return text


def _document(path: str, source: str | NamedLines) -> Any:
    """The whole file as one JSON document."""
    try:
        with _open(path, source) as handle:
            body = handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if body.startswith(_BOM):
        body = body[len(_BOM) :]
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text: not a scan report, trace or mapping log") from None
    except ValueError as exc:
        raise InputError(f"{path}: not a JSON document, nor JSON Lines starting with a trace header: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: not a usable JSON document: nested too deeply") from None


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _trace(path: str, source: str | NamedLines) -> TraceInput:
    try:
        records = read(source)
    except TraceError as exc:
        raise InputError(str(exc)) from None
    mapping_log = bool(records) and bool(getattr(records[0], "mapping_log", False))
    return TraceInput(path, "mapping-log" if mapping_log else "trace", tuple(records))


#: Other JSON documents people may pass by mistake, recognised to say what they are.
_OTHER_FORMATS: Final = {
    "rtmcompat-compare-report": "a report of rtmcompat compare: give plan the traces it compared",
    "rtmcompat-plan": "a plan written by rtmcompat plan, not one of its inputs",
    "rtmcompat-trace": "a trace header spread over several lines: a trace has one record per line",
}


def _scan(path: str, document: Any) -> ScanInput:
    """A scan report, checked."""
    if not isinstance(document, dict):
        raise InputError(f"{path}: a JSON {type(document).__name__}, not a scan report (a JSON object)")
    form = document.get("format")
    if isinstance(form, str) and form in _OTHER_FORMATS:
        raise InputError(f"{path}: {_OTHER_FORMATS[form]}")
    if "runs" in document and "version" in document:
        raise InputError(f"{path}: a SARIF log: give plan the output of rtmcompat scan --format json instead")
    if form is None and "findings" not in document:
        raise InputError(f"{path}: not a scan report (no findings), trace or mapping log")
    if form is not None and form != "rtmcompat-scan":
        raise InputError(f"{path}: format {shorten(form)} is not a scan report, trace or mapping log")
    version = document.get("version", 1)
    if version != 1:
        raise InputError(f"{path}: scan report version {shorten(version)}: this rtmcompat reads version 1")
    check = _Checker(path)
    findings = tuple(check.finding(item, f"findings[{i}]") for i, item in enumerate(check.array(document, "findings")))
    suppressed: list[tuple[ScanFinding, str]] = []
    for i, item in enumerate(check.array(document, "suppressed", required=False)):
        where = f"suppressed[{i}]"
        finding = check.finding(item, where)
        note = item.get("suppression") if isinstance(item, dict) else None
        reason = note.get("reason") if isinstance(note, dict) else None
        suppressed.append((finding, reason if isinstance(reason, str) else ""))
    files = tuple(check.file(item, f"files[{i}]") for i, item in enumerate(check.array(document, "files")))
    summary = document.get("summary")
    baseline = summary.get("baseline") if isinstance(summary, dict) else None
    named = baseline.get("path") if isinstance(baseline, dict) else None
    return ScanInput(
        path,
        findings,
        tuple(suppressed),
        files,
        (named if isinstance(named, str) else "a baseline") if baseline else None,
    )


class _Checker:
    """Field checks of a scan report, each failure one message naming the file and the field."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, expected: str, value: Any) -> InputError:
        return InputError(f"{self.path}: not a usable scan report: {where}: expected {expected}, got {shorten(value)}")

    def array(self, document: dict[str, Any], key: str, required: bool = True) -> list[Any]:
        if key not in document and not required:
            return []
        value = document.get(key)
        if not isinstance(value, list):
            raise self.fail(key, "an array", value)
        return value

    def get(self, obj: dict[str, Any], key: str, where: str, test: Callable[[Any], bool], expected: str) -> Any:
        if key not in obj:
            raise InputError(f"{self.path}: not a usable scan report: {where}.{key}: missing ({expected})")
        value = obj[key]
        if not test(value):
            raise self.fail(f"{where}.{key}", expected, value)
        return value

    def optional(self, obj: dict[str, Any], key: str, where: str, test: Callable[[Any], bool], expected: str) -> Any:
        return self.get(obj, key, where, test, expected) if key in obj else None

    def finding(self, item: Any, where: str) -> ScanFinding:
        if not isinstance(item, dict):
            raise self.fail(where, "an object", item)
        text, maybe = _text, _text_or_null
        via = self.optional(item, "via", where, _texts, "an array of strings") or []
        flags = self.optional(item, "flags", where, lambda v: isinstance(v, list), "an array") or []
        return ScanFinding(
            path=self.get(item, "path", where, text, "a non-empty string"),
            line=self.get(item, "line", where, _positive, "an integer >= 1"),
            column=self.get(item, "column", where, _positive, "an integer >= 1"),
            api=self.get(item, "api", where, lambda v: v in APIS, " or ".join(APIS)),
            symbol=self.get(item, "symbol", where, text, "a non-empty string"),
            kind=self.get(item, "kind", where, lambda v: v in KINDS, "one of " + ", ".join(KINDS)),
            function=self.get(item, "function", where, maybe, "a string or null"),
            level=self.get(item, "level", where, lambda v: v in LEVELS, "one of " + ", ".join(LEVELS)),
            confidence=self.get(item, "confidence", where, lambda v: v in CONFIDENCES, "high, medium or low"),
            reason=self.optional(item, "reason", where, lambda v: isinstance(v, str), "a string") or "",
            rule=self.optional(item, "rule", where, maybe, "a string or null"),
            via=tuple(via),
            macro=self.optional(item, "macro", where, maybe, "a string or null"),
            flags=tuple(self.flag(flag, f"{where}.flags[{i}]") for i, flag in enumerate(flags)),
        )

    def flag(self, item: Any, where: str) -> ScanFlag:
        if not isinstance(item, dict):
            raise self.fail(where, "an object", item)
        names = self.optional(item, "names", where, lambda v: v is None or _texts(v), "an array of strings or null")
        return ScanFlag(
            self.get(item, "parameter", where, _text, "a non-empty string"),
            None if names is None else tuple(names),
        )

    def file(self, item: Any, where: str) -> ScanFile:
        if not isinstance(item, dict):
            raise self.fail(where, "an object", item)
        count = _count
        return ScanFile(
            self.get(item, "path", where, _text, "a non-empty string"),
            self.optional(item, "status", where, lambda v: isinstance(v, str), "a string") or "scanned",
            self.optional(item, "reason", where, _text_or_null, "a string or null"),
            self.optional(item, "unparsed_bytes", where, count, "an integer >= 0") or 0,
            self.optional(item, "recovered_sites", where, count, "an integer >= 0") or 0,
        )


def _text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _text_or_null(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _positive(value: Any) -> bool:
    return type(value) is int and value >= 1


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0
