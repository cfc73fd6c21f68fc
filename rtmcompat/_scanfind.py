"""The finder of ``rtmcompat scan``: from one file's parse to its findings, then uses across files.

Theory of operation
-------------------
**One file** (:func:`analyse`). The source is parsed with the grammar its name calls for (``.h`` as C and
``.inl`` as C++, each tried with the other grammar when the first leaves ERROR regions, keeping the one that
reads more: docs/behaviour.md M-SCAN-GRAMMAR), decorations blanked (see ``_scansource``). Then:

* every identifier that is a name of rtm.h, an undocumented rtm.dll export or a name of rtmv2.h becomes a finding
  whose kind follows from what the name is and how it is used (called, used as a value, declared, as a type);
  calls of v1 functions get their literal flags, protocol family and TimeToLive decoded;
* ``#include`` of rtm.h or rtmv2.h (any case, any directory), ``#pragma comment(lib, "rtm.lib")``, function names
  in string literals (a string that *is* a name is a dynamic lookup such as ``GetProcAddress``; a name inside a
  longer text is a mention: M-SCAN-STRINGS);
* macro bodies are parsed on their own (all bodies of a file in one parse, each wrapped in a dummy function;
  a body the combined parse cannot read is parsed again alone), so ``#define ADD_ROUTE(r) RtmAddRoute(...)``
  gives a ``call`` finding inside the body; the names each body uses are kept for the next step;
* comments are never searched for names (the grammar keeps them apart); comments carrying ``rtmcompat:`` are
  suppressions;
* each finding's enclosing function comes from the parse, or, when the parse left ERROR regions and the file has
  ``#else`` branches, from the one-branch view (``_scanpp``), whichever reads more; confidence drops inside ERROR
  regions and under ``#if 0`` (M-SCAN-CONFIDENCE).

**Across files** (:func:`resolve`, M-SCAN-MACROS, M-SCAN-WRAPPERS). A user macro whose body names a v1 function, or
another such macro, expands to v1 calls wherever it is used: each use is a ``macro`` finding. A function whose body
calls a v1 function (directly or through such a macro) is a wrapper; each call of it elsewhere is reported as
indirect use (kind ``other``, level note), matched by name. Both need every file's definitions first, so each file
keeps the offsets of its other identifiers, and the few files with indirect uses are read again for their lines.

**Build files** (``.vcxproj``, ``Makefile``, ``.def``...) are read as text: ``rtm.lib`` (``-lrtm``; a bare ``rtm``
in CMake) outside comments is a library reference, and a ``.def`` file listing v1 functions names them.
"""

from __future__ import annotations

import bisect
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import attrs

from . import _cparse as cparse
from ._cparse import Argument, Binary, Dialect, Expr, Function, Macro, Name, Number, Syntax, Unary
from ._scanbaseline import MARKER, SUPPRESSION_RULE, SUPPRESSION_SYMBOL, Suppression, parse_suppression
from ._scanmodel import Confidence, FileEntry, Finding, FlagArgument, Kind, Level
from ._scanpp import blank_ranges, conditionals
from ._scansource import Lines, Source, blank, blankable, read_source
from ._scansymbols import (
    CONSTANT_VALUES,
    FAMILIES,
    FAMILY_ARGUMENTS,
    FLAG_ARGUMENTS,
    FLAG_SETS,
    GET_SPECIFIC_ROUTE_FLAGS,
    HEADERS,
    INCLUDE_URL,
    LIBRARY_URL,
    SYMBOLS,
    V1_FUNCTIONS,
    Api,
    Symbol,
)
from ._scanwalk import Reader

_MARKER_BYTES = MARKER.encode()
#: Role codes kept for identifiers that are not API names (user macros and wrappers are resolved later).
_ROLE_CODES = {"use": 0, "call": 1, "member-call": 2, "type": 3}
_CALL_CODES = (1, 2)
_CONFIDENCE_DOWN: dict[Confidence, Confidence] = {"high": "medium", "medium": "low", "low": "low"}
_UNPARSED = "in a region the parser could not parse"
_DEAD = "under #if 0"
_DUMMY_PREFIX = "__rtmcompat_macro_"
#: bytes.translate table for string contents: identifier characters and dots stay, the rest become blanks.
_TOKEN_TABLE = bytes(byte if byte < 128 and (chr(byte).isalnum() or chr(byte) in "_.") else 0x20 for byte in range(256))
#: The rtm.h names other than functions (types, constants, header macros).
_V1_NAMES = frozenset(name for name, symbol in SYMBOLS.items() if symbol.api == "rtmv1") - V1_FUNCTIONS


class Descriptor(NamedTuple):
    """Everything a finding says apart from where it is."""

    symbol: str
    api: Api
    kind: Kind
    level: Level
    confidence: Confidence
    reason: str
    message: str
    rule: str
    replacement: str | None = None
    caveats: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()
    url: str | None = None
    flags: tuple[FlagArgument, ...] = ()
    macro: str | None = None
    via: tuple[str, ...] = ()


class Site(NamedTuple):
    """Where a finding is: the symbol's byte offset and length, and the offset its function and region are looked
    up at (the ``#define`` of a macro body, else the site itself)."""

    offset: int
    length: int
    anchor: int


@attrs.define
class MacroDefinition:
    """A user macro: its name and the names its body uses."""

    name: str
    names: frozenset[str]


@attrs.define
class FileScan:
    """One file's findings and what the cross-file step needs from it."""

    entry: FileEntry
    findings: list[Finding]
    #: The text of each finding's line (for fingerprints), parallel to ``findings``.
    line_texts: list[str]
    suppressions: list[Suppression] = attrs.Factory(list)
    functions: list[Function] = attrs.Factory(list)
    dead: list[tuple[int, int]] = attrs.Factory(list)
    errors: list[tuple[int, int]] = attrs.Factory(list)
    #: Other identifiers by name: start offsets packed as ``start << 2 | role code``.
    user_names: dict[str, list[int]] = attrs.Factory(dict)
    #: Other identifiers inside macro bodies: (start, role code, macro name).
    body_names: dict[str, list[tuple[int, int, str]]] = attrs.Factory(dict)
    macros: list[MacroDefinition] = attrs.Factory(list)
    #: v1 functions called directly by each function (by its short name), in live code.
    wrapper_calls: dict[str, set[str]] = attrs.Factory(dict)
    #: Bytes parsed, to check the file did not change before it is read again.
    size: int = 0


class Regions:
    """Lookups over one parsed file: the enclosing function, ERROR regions and code under ``#if 0``."""

    def __init__(
        self, functions: Sequence[Function], errors: Sequence[tuple[int, int]], dead: Sequence[tuple[int, int]]
    ) -> None:
        self.functions = sorted(functions, key=lambda f: (f.start, -f.end))
        self._starts = [f.start for f in self.functions]
        self._reach: list[int] = []
        furthest = -1
        for function in self.functions:
            furthest = max(furthest, function.end)
            self._reach.append(furthest)
        self._errors = list(errors)
        self._error_starts = [start for start, _ in self._errors]
        self._dead = list(dead)

    def enclosing(self, offset: int) -> str | None:
        """The innermost function containing ``offset``; a real definition wins over one recovered from an ERROR
        region."""
        index = bisect.bisect_right(self._starts, offset) - 1
        best: Function | None = None
        while index >= 0 and self._reach[index] > offset:
            function = self.functions[index]
            if function.start <= offset < function.end:
                if best is None or (best.recovered and not function.recovered):
                    best = function
                if not best.recovered:
                    break
            index -= 1
        return best.name if best is not None else None

    def unparsed(self, offset: int) -> bool:
        """Whether ``offset`` is inside an ERROR region."""
        index = bisect.bisect_right(self._error_starts, offset) - 1
        return index >= 0 and offset < self._errors[index][1]

    def dead(self, offset: int) -> bool:
        """Whether ``offset`` is in code that can never be compiled (``#if 0``)."""
        return any(start <= offset < end for start, end in self._dead)


def make_finding(path: str, lines: Lines, site: Site, what: Descriptor, regions: Regions | None) -> tuple[Finding, str]:
    """The finding for ``what`` at ``site``, its function looked up and its confidence and level adjusted for
    the region it is in; with the text of its line."""
    line, column = lines.position(site.offset)
    end_line, end_column = lines.position(site.offset + site.length)
    confidence, level, reason = what.confidence, what.level, what.reason
    function = None
    if regions is not None:
        function = regions.enclosing(site.anchor)
        if regions.unparsed(site.offset) or regions.unparsed(site.anchor):
            confidence = _CONFIDENCE_DOWN[confidence]
            reason = f"{reason}; {_UNPARSED}"
        if regions.dead(site.offset) or regions.dead(site.anchor):
            confidence, level = "low", "note"
            reason = f"{reason}; {_DEAD}"
    finding = Finding(
        path=path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        api=what.api,
        symbol=what.symbol,
        kind=what.kind,
        function=function,
        level=level,
        confidence=confidence,
        reason=reason,
        message=what.message,
        rule=what.rule,
        replacement=what.replacement,
        caveats=what.caveats,
        differences=what.differences,
        url=what.url,
        flags=what.flags,
        macro=what.macro,
        via=what.via,
    )
    return finding, lines.text(line)


def recovered(finding: Finding) -> bool:
    """Whether a finding was recovered from a region the parser could not read."""
    return _UNPARSED in finding.reason


# --- one source file ----------------------------------------------------------------------------------------------


def analyse(path: str, reader: Reader, source: Source, note: str | None) -> FileScan:
    """Find everything in one file (its user macros and wrappers are resolved later by :func:`resolve`)."""
    if reader == "build":
        return _build_file(path, source, note)
    return _SourceScan(path, reader, source, note).run()


def _parse_blanked(data: bytes, dialect: Dialect, wanted: frozenset[str], marker: bytes) -> tuple[Syntax, bytes]:
    """Parse ``data`` with its decorations blanked; comments and strings keep their original text."""
    blanked = blank(data)
    if blanked is None:
        return cparse.parse(data, dialect, wanted, marker), data
    syntax = cparse.parse(blanked, dialect, wanted, marker)
    return syntax._replace(
        strings=[item._replace(text=data[item.start : item.start + len(item.text)]) for item in syntax.strings],
        comments=[item._replace(text=data[item.start : item.start + len(item.text)]) for item in syntax.comments],
    ), blanked


def _error_bytes(syntax: Syntax) -> int:
    return sum(end - start for start, end in syntax.errors)


_LANGUAGE_NAMES = {"c": "C", "cpp": "C++"}


class _SourceScan:
    def __init__(self, path: str, reader: Reader, source: Source, note: str | None) -> None:
        self.path = path
        self.reader = reader
        self.source = source
        self.note = note
        self.lines = Lines(source)
        self.findings: list[Finding] = []
        self.line_texts: list[str] = []
        self.regions = Regions((), (), ())
        self.wrapper_calls: dict[str, set[str]] = defaultdict(set)

    def run(self) -> FileScan:
        dialect, syntax, text, language_note = self._choose_parse()
        found = conditionals(text, syntax.directives)
        functions, errors, one_branch = syntax.functions, syntax.errors, None
        if syntax.errors and found.alternatives:
            view = cparse.parse(blank_ranges(text, found.alternatives), dialect)
            if _error_bytes(view) < _error_bytes(syntax):
                # The one-branch view reads more: its functions name the sites, and a site counts as unreadable
                # only where the view could not read it or where it lies in a left-out branch the full parse
                # could not read (M-SCAN-BRANCHES).
                functions, one_branch = view.functions, _error_bytes(view)
                errors = _union([*view.errors, *_intersection(syntax.errors, found.alternatives)])
        self.regions = Regions(functions, errors, found.dead)

        user_names = self._identifiers(syntax, None, (0, 0), False)
        self._includes(syntax)
        self._pragmas(syntax)
        self._strings(syntax.strings, None, (0, 0))
        macros, body_names, unparsed_bodies = self._macro_bodies(syntax.macros, dialect)
        suppressions = self._suppressions(syntax)

        entry = FileEntry(
            path=self.path,
            status="scanned",
            reason=self.note,
            language=dialect,
            language_note=language_note,
            encoding=self.source.encoding,
            encoding_note=self.source.note,
            bytes=self.source.size,
            lines=self.lines.count,
            unparsed_bytes=_error_bytes(syntax),
            unparsed_bytes_one_branch=one_branch,
            error_regions=len(syntax.errors),
            missing_tokens=len(syntax.missing),
            unparsed_macro_bodies=unparsed_bodies,
        )
        return FileScan(
            entry=entry,
            findings=self.findings,
            line_texts=self.line_texts,
            suppressions=suppressions,
            functions=self.regions.functions,
            dead=found.dead,
            errors=errors,
            user_names=user_names,
            body_names=body_names,
            macros=macros,
            wrapper_calls=dict(self.wrapper_calls),
            size=len(self.source.data),
        )

    def _choose_parse(self) -> tuple[Dialect, Syntax, bytes, str | None]:
        data = self.source.data
        order: dict[Reader, tuple[Dialect, Dialect]] = {
            "c": ("c", "c"),
            "cpp": ("cpp", "cpp"),
            "header": ("c", "cpp"),
            "inline": ("cpp", "c"),
        }
        first, second = order[self.reader]
        syntax, text = _parse_blanked(data, first, V1_FUNCTIONS, _MARKER_BYTES)
        if not syntax.errors or first == second:
            return first, syntax, text, None
        other, other_text = _parse_blanked(data, second, V1_FUNCTIONS, _MARKER_BYTES)
        mine, theirs = _error_bytes(syntax), _error_bytes(other)
        if theirs < mine:
            note = (
                f"read as {_LANGUAGE_NAMES[second]}: {theirs} unreadable bytes "
                f"against {mine} as {_LANGUAGE_NAMES[first]}"
            )
            return second, other, other_text, note
        note = (
            f"read as {_LANGUAGE_NAMES[first]}: {mine} unreadable bytes against {theirs} as {_LANGUAGE_NAMES[second]}"
        )
        return first, syntax, text, note

    # -- sites ---------------------------------------------------------------------------------------------------

    def _identifiers(
        self, syntax: Syntax, macro: Macro | None, span: tuple[int, int], body_unparsed: bool
    ) -> dict[str, list[int]]:
        """API names become findings; the other identifiers are returned by name (offsets packed with their role).
        ``span`` maps the offsets of a macro body parse back to the file: (offset of the body in the parse,
        offset of the body in the file)."""
        shift = span[1] - span[0]
        others: dict[str, list[int]] = {}
        for name, starts in syntax.occurrences.items():
            symbol = SYMBOLS.get(name)
            if symbol is None:
                if blankable(name) or name.startswith(_DUMMY_PREFIX):
                    continue
                packed = []
                for start in starts:
                    code = _ROLE_CODES.get(syntax.roles.get(start, "use"))
                    if code is not None:
                        packed.append((start + shift) << 2 | code)
                if packed:
                    others[name] = packed
                continue
            for start in starts:
                role = syntax.roles.get(start, "use")
                if role == "preproc":
                    continue  # `#ifdef NAME` asks whether the name exists; it does not use it
                self._symbol_site(symbol, start + shift, role, syntax.arguments.get(start), macro, body_unparsed)
        return others

    def _symbol_site(
        self,
        symbol: Symbol,
        offset: int,
        role: str,
        arguments: tuple[Argument, ...] | None,
        macro: Macro | None,
        body_unparsed: bool,
    ) -> None:
        kind: Kind
        confidence: Confidence = "high"
        flags: tuple[FlagArgument, ...] = ()
        if symbol.kind in ("function", "undocumented"):
            if role in ("call", "member-call"):
                kind = "call"
                reason = "direct call"
                if role == "member-call":
                    reason = "called through a member of the same name (a function pointer or a method)"
                    confidence = "medium"
                flags = decode_arguments(symbol.name, arguments or ())
                if macro is None:
                    self._wrapper_call(symbol.name, offset)
            elif role == "declarator":
                kind, reason = "other", "declares or defines a function of this name"
            elif role == "define":
                kind, reason = "other", "defines a macro of this name"
            elif role == "field":
                kind, reason = "other", "a structure member of this name (a function pointer loaded at run time?)"
                confidence = "medium"
            else:
                kind, reason = "other", "the function's name used as a value (address taken, passed or cast)"
        elif symbol.kind == "macro":
            kind, reason = "macro", ("defines a macro of this name" if role == "define" else "uses the header macro")
        elif symbol.kind == "type":
            kind, reason = "type", "names the type"
        else:
            kind, reason = "constant", "names the constant"
        if symbol.api == "rtmv2":
            reason = f"RTMv2 use: {reason}"
        if macro is not None:
            reason = f"{reason}; written in the body of macro {macro.name}"
            if body_unparsed:
                reason = f"{reason}, which the parser could not fully read"
                confidence = _CONFIDENCE_DOWN[confidence]
        self._add(
            Site(offset, len(symbol.name), offset if macro is None else macro.directive_start),
            Descriptor(
                symbol=symbol.name,
                api=symbol.api,
                kind=kind,
                level=symbol.level,
                confidence=confidence,
                reason=reason,
                message=_message(symbol, kind, role, flags),
                rule=f"{symbol.api}/{symbol.name}",
                replacement=symbol.replacement,
                caveats=symbol.caveats,
                differences=symbol.differences,
                url=symbol.url,
                flags=flags,
                macro=macro.name if macro is not None else None,
            ),
        )

    def _wrapper_call(self, name: str, offset: int) -> None:
        """Remember a direct v1 call in live code: its function is a wrapper."""
        if name not in V1_FUNCTIONS or self.regions.dead(offset):
            return
        function = self.regions.enclosing(offset)
        if function is not None:
            short = function.rsplit("::", 1)[-1]
            if short not in SYMBOLS:
                self.wrapper_calls[short].add(name)

    def _includes(self, syntax: Syntax) -> None:
        for item in syntax.includes:
            raw = item.text
            if len(raw) < 2 or raw[:1] not in (b"<", b'"'):
                continue  # `#include MACRO`: which header is not known here
            inner = raw[1:-1]
            cut = max(inner.rfind(b"/"), inner.rfind(b"\\")) + 1
            base = inner[cut:].decode("utf-8", "replace")
            api = HEADERS.get(base.lower())
            if api is None:
                continue
            v1 = api == "rtmv1"
            offset = item.start + 1 + cut
            self._add(
                Site(offset, len(base.encode()), offset),
                Descriptor(
                    symbol=base.lower(),
                    api=api,
                    kind="include",
                    level="warning" if v1 else "note",
                    confidence="high",
                    reason="includes the header",
                    message=(
                        "rtm.h: #include of the RTMv1 header; include rtmv2.h once the v1 calls are ported"
                        if v1
                        else "rtmv2.h: #include of the RTMv2 header (already ported code)"
                    ),
                    rule=f"{api}/include",
                    replacement="rtmv2.h" if v1 else None,
                    url=INCLUDE_URL[api],
                ),
            )

    def _pragmas(self, syntax: Syntax) -> None:
        for item in syntax.pragmas:
            raw = item.text
            if not raw.lstrip().startswith(b"comment"):
                continue
            first = raw.find(b'"')
            second = raw.find(b'"', first + 1)
            if first < 0 or second < 0:
                continue
            library = raw[first + 1 : second]
            cut = max(library.rfind(b"/"), library.rfind(b"\\")) + 1
            base = library[cut:]
            if base.lower() not in (b"rtm.lib", b"rtm"):
                continue
            offset = item.start + first + 1 + cut
            self._add(Site(offset, len(base), offset), library_descriptor("#pragma comment(lib) links rtm.lib"))

    def _strings(self, strings: Iterable[cparse.Text], macro: Macro | None, span: tuple[int, int]) -> None:
        shift = span[1] - span[0]
        for item in strings:
            content = item.text
            if b"tm" not in content and b"TM" not in content:
                continue
            exact = content.strip()
            position = 0
            for token in content.translate(_TOKEN_TABLE).split():
                at = content.find(token, position)
                position = at + len(token)
                word = token.rstrip(b".")
                offset = item.start + at + shift
                anchor = offset if macro is None else macro.directive_start
                if word.lower() in (b"rtm.dll", b"rtm.lib"):
                    name = word.decode().lower()
                    what = library_descriptor(f"names {name} in a string", kind="string")._replace(symbol=name)
                    self._add(Site(offset, len(word), anchor), what)
                    continue
                symbol = SYMBOLS.get(word.decode("ascii", "replace"))
                if symbol is None or symbol.kind not in ("function", "undocumented"):
                    continue
                self._add(Site(offset, len(word), anchor), _string_descriptor(symbol, exact == token, macro))

    def _macro_bodies(
        self, macros: Sequence[Macro], dialect: Dialect
    ) -> tuple[list[MacroDefinition], dict[str, list[tuple[int, int, str]]], int]:
        """Parse every macro body (all in one parse, a body that parse cannot read again on its own)."""
        definitions = [MacroDefinition(macro.name, frozenset()) for macro in macros if not macro.body.strip()]
        body_names: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        wrapped = [(macro, _prepare_body(macro.body)) for macro in macros if macro.body.strip()]
        if not wrapped:
            return definitions, {}, 0
        parts, spans, position = [], [], 0
        for index, (_macro, body) in enumerate(wrapped):
            head, tail = _wrapper(index)
            parts += [head, body, tail]
            spans.append((position + len(head), position + len(head) + len(body)))
            position += len(head) + len(body) + len(tail)
        combined, _ = _parse_blanked(b"".join(parts), dialect, V1_FUNCTIONS, b"")
        unparsed = 0
        for index, (macro, body) in enumerate(wrapped):
            syntax, span = combined, spans[index]
            body_unparsed = False
            if _overlaps(span, combined.errors):
                head, tail = _wrapper(0)
                syntax, _ = _parse_blanked(head + body + tail, dialect, V1_FUNCTIONS, b"")
                span = (len(head), len(head) + len(body))
                body_unparsed = _overlaps(span, syntax.errors)
            unparsed += body_unparsed
            inside = _restrict(syntax, span)
            names = self._identifiers(inside, macro, (span[0], macro.body_start), body_unparsed)
            for name, packed in names.items():
                body_names[name] += [(value >> 2, value & 3, macro.name) for value in packed]
            strings = (item for item in syntax.strings if span[0] <= item.start < span[1])
            self._strings(strings, macro, (span[0], macro.body_start))
            definitions.append(MacroDefinition(macro.name, frozenset(inside.occurrences)))
        return definitions, dict(body_names), unparsed

    def _suppressions(self, syntax: Syntax) -> list[Suppression]:
        found = []
        for comment in syntax.comments:
            at = comment.text.find(_MARKER_BYTES)
            text = comment.text[at + len(_MARKER_BYTES) :].decode("utf-8", "replace")
            line, column = self.lines.position(comment.start + at)
            comment_line, comment_column = self.lines.position(comment.start)
            end_line, _ = self.lines.position(comment.start + len(comment.text))
            line_text = self.lines.text(comment_line)
            alone = not line_text[: comment_column - 1].strip()
            symbols, reason, problem = parse_suppression(text)
            target = end_line + 1 if alone else comment_line
            found.append(Suppression(line, column, target, symbols, reason, problem, self.lines.text(line)))
        return found

    def _add(self, site: Site, what: Descriptor) -> None:
        finding, text = make_finding(self.path, self.lines, site, what, self.regions)
        self.findings.append(finding)
        self.line_texts.append(text)


def _wrapper(index: int) -> tuple[bytes, bytes]:
    """The dummy function a macro body is parsed in."""
    return f"void {_DUMMY_PREFIX}{index}(void){{\n".encode(), b"\n;}\n"


def library_descriptor(reason: str, kind: Kind = "other") -> Descriptor:
    """A reference to rtm.lib (level note: the library serves both APIs, M-SCAN-LEVELS)."""
    return Descriptor(
        symbol="rtm.lib",
        api="rtmv1",
        kind=kind,
        level="note",
        confidence="high",
        reason=reason,
        message=(
            "rtm.lib: the library of both RTMv1 and RTMv2 (rtm.dll); keep it, only the v1 calls have to go "
            "(Microsoft supports them up to Windows Server 2003)"
        ),
        rule="rtmv1/library",
        replacement="rtm.lib (the same library serves RTMv2)",
        url=LIBRARY_URL,
    )


def _string_descriptor(symbol: Symbol, exact: bool, macro: Macro | None) -> Descriptor:
    confidence: Confidence
    if exact:
        reason = "string only: the string is the name (a dynamic lookup such as GetProcAddress)"
        confidence, level = "medium", symbol.level
    else:
        reason = "string only: named inside the text of a string (a message, a log line)"
        confidence, level = "low", "note"
    if symbol.api == "rtmv2":
        level = "note"
    if macro is not None:
        reason = f"{reason}; written in the body of macro {macro.name}"
    what = "RTMv2 function" if symbol.api == "rtmv2" else "RTMv1 function"
    if symbol.kind == "undocumented":
        what = "undocumented rtm.dll export"
    message = f"{symbol.name}: {what} named in a string"
    if exact and symbol.api == "rtmv1":
        message += f" (dynamic lookup); port to {symbol.replacement}" if symbol.replacement else ""
    return Descriptor(
        symbol=symbol.name,
        api=symbol.api,
        kind="string",
        level=level,
        confidence=confidence,
        reason=reason,
        message=message,
        rule=f"{symbol.api}/{symbol.name}",
        replacement=symbol.replacement,
        caveats=symbol.caveats,
        differences=symbol.differences,
        url=symbol.url,
        macro=macro.name if macro is not None else None,
    )


def _intersection(ranges: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The byte ranges covered by both lists."""
    return [
        (max(start, other_start), min(end, other_end))
        for start, end in ranges
        for other_start, other_end in others
        if max(start, other_start) < min(end, other_end)
    ]


def _union(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges covering the same bytes."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(span: tuple[int, int], ranges: Iterable[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in ranges)


def _restrict(syntax: Syntax, span: tuple[int, int]) -> Syntax:
    """The identifiers of ``syntax`` inside ``span`` (one macro body of a combined parse)."""
    low, high = span
    occurrences = {}
    for name, starts in syntax.occurrences.items():
        inside = [start for start in starts if low <= start < high]
        if inside:
            occurrences[name] = inside
    return syntax._replace(occurrences=occurrences)


def _prepare_body(body: bytes) -> bytes:
    """A macro body as C the grammar can read, same length: line continuations and ``#``/``##`` become blanks."""
    out = bytearray(body)
    index = body.find(b"\\")
    while index >= 0:
        after = body[index + 1 : index + 3]
        if after.startswith(b"\n") or after == b"\r\n":
            out[index] = 0x20
        index = body.find(b"\\", index + 1)
    return bytes(out).replace(b"#", b" ")


# --- flags ----------------------------------------------------------------------------------------------------------

_OPERATIONS: dict[str, Callable[[int, int], int]] = {
    "|": lambda a, b: a | b,
    "+": lambda a, b: a + b,
    "&": lambda a, b: a & b,
    "^": lambda a, b: a ^ b,
    "<<": lambda a, b: a << b if b < 32 else 0,
}


def evaluate(expr: Expr) -> int | None:
    """The value of a literal argument: numbers, rtm.h constants, and ``| + & ^ << ~`` of them; None otherwise."""
    if isinstance(expr, Number):
        return _number(expr.text)
    if isinstance(expr, Name):
        return CONSTANT_VALUES.get(expr.text)
    if isinstance(expr, Binary):
        left, right = evaluate(expr.left), evaluate(expr.right)
        operation = _OPERATIONS.get(expr.op)
        if left is None or right is None or operation is None:
            return None
        return operation(left, right) & 0xFFFFFFFF
    if isinstance(expr, Unary) and expr.op == "~":
        value = evaluate(expr.operand)
        return None if value is None else ~value & 0xFFFFFFFF
    return None


def _number(text: str) -> int | None:
    digits = text.rstrip("uUlL")
    try:
        if digits.lower().startswith("0x"):
            return int(digits, 16)
        if len(digits) > 1 and digits.startswith("0"):
            return int(digits, 8)
        return int(digits, 10)
    except ValueError:
        return None


def _flag_names(value: int, flag_set: str) -> tuple[str, ...]:
    known = FLAG_SETS[flag_set]
    names = [name for bit, name in known if value & bit]
    rest = value
    for bit, _name in known:
        rest &= ~bit
    if rest:
        names.append(f"{rest:#x}")
    return tuple(names)


def decode_arguments(function: str, arguments: Sequence[Argument]) -> tuple[FlagArgument, ...]:
    """The arguments of a v1 call the scanner decodes: protocol family, flags, TimeToLive."""
    decoded = []
    family_at = FAMILY_ARGUMENTS.get(function)
    if family_at is not None and family_at < len(arguments):
        argument = arguments[family_at]
        value = evaluate(argument.expr)
        names = None if value is None else (FAMILIES.get(value, f"{value:#x}"),)
        decoded.append(FlagArgument("ProtocolFamily", argument.text, value, names))
    flags_at = FLAG_ARGUMENTS.get(function)
    if flags_at is not None and flags_at[0] < len(arguments):
        index, parameter, flag_set = flags_at
        argument = arguments[index]
        value = evaluate(argument.expr)
        decoded.append(
            FlagArgument(parameter, argument.text, value, None if value is None else _flag_names(value, flag_set))
        )
    if function == "RtmGetSpecificRoute":
        value = GET_SPECIFIC_ROUTE_FLAGS
        decoded.append(
            FlagArgument("EnumerationFlags", "(implied by the macro)", value, _flag_names(value, "enumeration"))
        )
    if function == "RtmAddRoute" and len(arguments) > 2:
        argument = arguments[2]
        if isinstance(argument.expr, Name) and argument.expr.text == "INFINITE":
            decoded.append(FlagArgument("TimeToLive", argument.text, 0xFFFFFFFF, ("INFINITE",)))
        else:
            value = evaluate(argument.expr)
            decoded.append(FlagArgument("TimeToLive", argument.text, value, None if value is None else ()))
    return tuple(decoded)


def describe_flags(flags: Iterable[FlagArgument]) -> str:
    """``EnumerationFlags = RTM_ONLY_THIS_NETWORK | RTM_ONLY_BEST_ROUTES (0x9)`` for each literal argument."""
    parts = []
    for flag in flags:
        if flag.value is None or flag.names is None:
            continue
        if flag.parameter == "TimeToLive":
            if flag.names == ("INFINITE",):
                parts.append("TimeToLive = INFINITE")
            else:
                parts.append(f"TimeToLive = {flag.value} s (RTMv2 counts milliseconds: {flag.value * 1000})")
        elif flag.parameter == "ProtocolFamily":
            parts.append(f"ProtocolFamily = {flag.names[0]}")
        else:
            shown = " | ".join(flag.names) if flag.names else "0"
            parts.append(f"{flag.parameter} = {shown} ({flag.value:#x})")
    return "; ".join(parts)


def _message(symbol: Symbol, kind: Kind, role: str, flags: Sequence[FlagArgument]) -> str:
    if symbol.api == "rtmv2":
        return f"{symbol.name}: RTMv2 {symbol.kind} (already ported code)"
    if symbol.kind == "undocumented":
        head = f"{symbol.name}: undocumented rtm.dll export"
        tail = "no public semantics, no mapping"
    else:
        what = {
            "function": "RTMv1 call" if kind == "call" else "RTMv1 function",
            "macro": "rtm.h macro",
            "type": "RTMv1 type",
            "constant": "RTMv1 constant",
        }[symbol.kind]
        if symbol.name == "RtmGetSpecificRoute" and kind == "call":
            what = "RTMv1 call (rtm.h macro over RtmGetFirstRoute)"
        head = f"{symbol.name}: {what}"
        if role == "declarator":
            head += " declared here"
        tail = f"port to {symbol.replacement}" if symbol.replacement else "no direct RTMv2 equivalent (see caveats)"
    decoded = describe_flags(flags)
    return f"{head}; {tail}" + (f"; {decoded}" if decoded else "")


# --- build files ----------------------------------------------------------------------------------------------------


def _build_file(path: str, source: Source, note: str | None) -> FileScan:
    """rtm.lib references (and v1 names in .def files) outside the comments of a build file."""
    lines = Lines(source)
    name = os.path.basename(path).lower()
    suffix = os.path.splitext(name)[1]
    cmake = name == "cmakelists.txt" or suffix == ".cmake"
    make = name in ("makefile", "gnumakefile", "sources") or suffix in (".mak", ".mk")
    text = source.data.decode("latin-1" if source.encoding == "latin-1" else "utf-8", "replace")
    if suffix in (".vcxproj", ".vcproj", ".props", ".targets"):
        spans = _xml_text_spans(text)
    else:
        spans = _line_comment_spans(text, ";" if suffix == ".def" else "#")
    scan = FileScan(
        entry=FileEntry(
            path=path,
            status="scanned",
            reason=note,
            language="build",
            encoding=source.encoding,
            encoding_note=source.note,
            bytes=source.size,
            lines=lines.count,
        ),
        findings=[],
        line_texts=[],
        size=len(source.data),
    )

    def emit(offset: int, length: int, what: Descriptor) -> None:
        start = len(text[:offset].encode("utf-8"))
        size = len(text[offset : offset + length].encode("utf-8"))
        finding, line_text = make_finding(path, lines, Site(start, size, start), what, None)
        scan.findings.append(finding)
        scan.line_texts.append(line_text)

    for start, end in spans:
        for offset, token in _tokens(text, start, end):
            lower = token.lower()
            if lower.endswith(("rtm.lib", "rtm.dll")) and lower[-8:-7] in ("", "\\", "/", ")"):
                emit(offset + len(token) - 7, 7, library_descriptor("links rtm.lib in a build file"))
            elif (make and lower.strip("()") == "-lrtm") or (cmake and lower.strip("()") == "rtm"):
                bare = token.strip("()")
                what = library_descriptor("links rtm in a build file (a bare library name)")
                emit(offset + token.index(bare), len(bare), what._replace(confidence="medium"))
            elif suffix == ".def" and token.rsplit(".", 1)[-1] in V1_FUNCTIONS:
                # `RtmAddRoute` as an export, `rtm.RtmAddRoute` as a forwarder or an import
                name = token.rsplit(".", 1)[-1]
                symbol = SYMBOLS[name]
                what = Descriptor(
                    symbol=name,
                    api="rtmv1",
                    kind="other",
                    level=symbol.level,
                    confidence="high",
                    reason="listed in a module-definition file",
                    message=f"{name}: RTMv1 function listed in a .def file",
                    rule=f"rtmv1/{name}",
                    replacement=symbol.replacement,
                    caveats=symbol.caveats,
                    differences=symbol.differences,
                    url=symbol.url,
                )
                emit(offset + len(token) - len(name), len(name), what)
    return scan


def _line_comment_spans(text: str, marker: str) -> list[tuple[int, int]]:
    """The part of each line before ``marker`` (names in comments never count)."""
    spans = []
    position = 0
    for line in text.splitlines(keepends=True):
        cut = line.find(marker)
        spans.append((position, position + (cut if cut >= 0 else len(line))))
        position += len(line)
    return spans


def _xml_text_spans(text: str) -> list[tuple[int, int]]:
    """The parts of an MSBuild file outside ``<!-- -->`` comments."""
    spans = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            spans.append((position, len(text)))
            return spans
        spans.append((position, start))
        end = text.find("-->", start + 4)
        if end < 0:
            return spans
        position = end + 3


def _tokens(text: str, start: int, end: int) -> Iterable[tuple[int, str]]:
    """Words of a build file: runs of letters, digits and ``_ . - $ ( ) / \\`` between other characters."""
    index = start
    while index < end:
        while index < end and not _word_char(text[index]):
            index += 1
        first = index
        while index < end and _word_char(text[index]):
            index += 1
        if index > first:
            yield first, text[first:index]


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "_.-$()/\\"


# --- across files ---------------------------------------------------------------------------------------------------


@attrs.frozen
class Indirect:
    """What the cross-file step found: user macros and wrapper functions that lead to RTMv1."""

    #: User macro -> the v1 functions its expansion calls.
    macro_calls: dict[str, frozenset[str]]
    #: User macro -> the other v1 names (types, constants, header macros) its expansion uses, for macros that
    #: call no v1 function.
    macro_names: dict[str, frozenset[str]]
    #: Function (short name) -> the v1 functions its body calls.
    wrappers: dict[str, frozenset[str]]


def resolve(scans: Sequence[FileScan]) -> Indirect:
    """Find the user macros and wrapper functions that lead to RTMv1, across all scanned files."""
    bodies: dict[str, set[str]] = defaultdict(set)
    for scan in scans:
        for definition in scan.macros:
            if definition.name in SYMBOLS or blankable(definition.name):
                continue
            bodies[definition.name] |= definition.names
    interesting = V1_FUNCTIONS | _V1_NAMES | bodies.keys()
    relevant = {name: (names & interesting) - {name} for name, names in bodies.items()}
    calls = {name: set(names & V1_FUNCTIONS) for name, names in relevant.items()}
    others = {name: set(names & _V1_NAMES) for name, names in relevant.items()}
    changed = True
    while changed:  # a macro reaches whatever the macros its body names reach
        changed = False
        for name, names in relevant.items():
            for inner in names & bodies.keys():
                if not calls[inner] <= calls[name] or not others[inner] <= others[name]:
                    calls[name] |= calls[inner]
                    others[name] |= others[inner]
                    changed = True
    macro_calls = {name: frozenset(found) for name, found in calls.items() if found}
    macro_names = {name: frozenset(found) for name, found in others.items() if found and name not in macro_calls}

    wrappers: dict[str, set[str]] = defaultdict(set)
    for scan in scans:
        for caller, called in scan.wrapper_calls.items():
            wrappers[caller] |= called
        used = scan.user_names.keys() & macro_calls.keys()
        if not used or not scan.functions:
            continue
        regions = Regions(scan.functions, (), scan.dead)
        for name in used:
            for packed in scan.user_names[name]:
                offset = packed >> 2
                function = regions.enclosing(offset)
                if function is None or regions.dead(offset):
                    continue
                short = function.rsplit("::", 1)[-1]
                if short not in SYMBOLS:
                    wrappers[short] |= macro_calls[name]
    for name in macro_calls:
        wrappers.pop(name, None)  # a function-like macro of that name is what calls resolve to
    return Indirect(macro_calls, macro_names, {name: frozenset(found) for name, found in wrappers.items()})


def indirect_findings(scan: FileScan, indirect: Indirect, max_bytes: int) -> str | None:
    """Add ``scan``'s uses of user macros and its calls of wrappers to its findings, reading the file again for
    its lines; returns a note when the file changed since it was scanned (nothing is added then)."""
    names = scan.user_names.keys() | scan.body_names.keys()
    macros = names & (indirect.macro_calls.keys() | indirect.macro_names.keys())
    wrappers = names & indirect.wrappers.keys()
    if not macros and not wrappers:
        return None
    source = read_source(scan.entry.path, max_bytes)
    if not isinstance(source, Source) or len(source.data) != scan.size:
        return "changed while it was scanned: uses through macros and wrappers not reported"
    lines = Lines(source)
    regions = Regions(scan.functions, scan.errors, scan.dead)
    sites: list[tuple[int, int, str, str | None]] = []  # (offset, role code, name, enclosing macro)
    for name in macros | wrappers:
        sites += [(packed >> 2, packed & 3, name, None) for packed in scan.user_names.get(name, ())]
        sites += [(offset, code, name, macro) for offset, code, macro in scan.body_names.get(name, ())]
    for offset, code, name, macro in sorted(sites, key=lambda site: (site[0], site[2])):
        what = _indirect_descriptor(name, code, indirect)
        if what is None:
            continue
        anchor = offset
        if macro is not None:
            what = what._replace(reason=f"{what.reason}; written in the body of macro {macro}", macro=macro)
        elif what.kind == "other":
            function = regions.enclosing(offset)
            if function is not None and function.rsplit("::", 1)[-1] == name:
                continue  # a wrapper calling itself
        finding, text = make_finding(scan.entry.path, lines, Site(offset, len(name.encode()), anchor), what, regions)
        scan.findings.append(finding)
        scan.line_texts.append(text)
    return None


def _indirect_descriptor(name: str, code: int, indirect: Indirect) -> Descriptor | None:
    calls = indirect.macro_calls.get(name)
    if calls is not None or name in indirect.macro_names:
        via = tuple(sorted(calls or indirect.macro_names[name]))
        listed = ", ".join(via)
        return Descriptor(
            symbol=name,
            api="rtmv1",
            kind="macro",
            level="warning" if calls else "note",
            confidence="high",
            reason=f"through macro {name}, which expands to {listed}",
            message=(
                f"{name}: macro expanding to RTMv1 calls of {listed}; port the macro's body"
                if calls
                else f"{name}: macro expanding to RTMv1 names {listed}"
            ),
            rule="rtmv1/user-macro",
            via=via,
        )
    if code not in _CALL_CODES:
        return None
    via = tuple(sorted(indirect.wrappers[name]))
    listed = ", ".join(via)
    return Descriptor(
        symbol=name,
        api="rtmv1",
        kind="other",
        level="note",
        confidence="medium",
        reason=f"calls {name}, a function whose body calls {listed} (matched by name)",
        message=f"{name}: indirect RTMv1 use: calls a wrapper of {listed}",
        rule="rtmv1/wrapper-call",
        via=via,
    )


def suppression_problem(path: str, suppression: Suppression) -> Finding:
    """The finding about a suppression comment that silences nothing because it is wrong."""
    return Finding(
        path=path,
        line=suppression.line,
        column=suppression.column,
        end_line=suppression.line,
        end_column=suppression.column + len(MARKER),
        api="rtmv1",
        symbol=SUPPRESSION_SYMBOL,
        kind="other",
        function=None,
        level="warning",
        confidence="high",
        reason="suppression comment",
        message=f"{suppression.problem}; it silences nothing",
        rule=SUPPRESSION_RULE,
    )


def unused_suppression(path: str, suppression: Suppression) -> Finding:
    """The note about a suppression comment that matched no finding."""
    return attrs.evolve(
        suppression_problem(path, suppression),
        level="note",
        message=f"suppression matches no finding on line {suppression.target}; remove it",
    )
