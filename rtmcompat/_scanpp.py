"""Preprocessor conditionals for ``rtmcompat scan``: code under ``#if 0``, and a one-branch view for structure.

Theory of operation (docs/behaviour.md M-SCAN-BRANCHES)
-------------------------------------------------------
The scanner reads every branch of every conditional: a v1 call under ``#ifdef USE_RTMV1`` is v1 use whichever
way the build is configured. Two things need the conditional structure, rebuilt here from the directive tokens the
parser found (wherever it put them, so this works inside ERROR regions too):

* **Dead code.** A branch under ``#if 0`` (or ``#elif 0``), and every branch after one under ``#if 1``, can never
  be compiled: sites there are reported at level note with confidence low, reason "under #if 0".
* **Structure.** An ``#ifdef`` whose branches each open a brace (``if (a) {`` / ``if (b) {``) cannot be parsed
  as one tree (a known limit of every C grammar that keeps directives), and the function around it ends up in an
  ERROR node. The *one-branch view* keeps one branch of each conditional (the first that is not ``#if 0``) and
  overwrites the others with spaces, offsets kept; parsed again, it gives the functions' extents, which the
  finder uses to name the function enclosing each site. Sites themselves still come from the full text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ._cparse import Directive
from ._scansource import BLANK_TABLE

_OPENERS = frozenset({"#if", "#ifdef", "#ifndef"})
_ALTERNATIVES = frozenset({"#elif", "#elifdef", "#elifndef", "#else"})
_VALUED = frozenset({"#if", "#elif"})


class Conditionals(NamedTuple):
    """What the conditional directives of one source say."""

    #: Byte ranges that can never be compiled (#if 0 and friends).
    dead: list[tuple[int, int]]
    #: Byte ranges of the branches the one-branch view leaves out.
    alternatives: list[tuple[int, int]]


class _Branch(NamedTuple):
    start: int
    content_start: int
    value: bool | None


def conditionals(data: bytes, directives: Sequence[Directive]) -> Conditionals:
    """The dead ranges and the left-out branches of ``data``, from its directive tokens (sorted by offset)."""
    dead: list[tuple[int, int]] = []
    alternatives: list[tuple[int, int]] = []
    stack: list[list[_Branch]] = []
    for directive in directives:
        if directive.kind in _OPENERS:
            stack.append([_branch(data, directive)])
        elif directive.kind in _ALTERNATIVES and stack:
            stack[-1].append(_branch(data, directive))
        elif directive.kind == "#endif" and stack:
            branches = stack.pop()
            _close(branches, directive.start, dead, alternatives)
    return Conditionals(dead, alternatives)


def _close(branches: list[_Branch], end: int, dead: list[tuple[int, int]], alternatives: list[tuple[int, int]]) -> None:
    spans = [
        (branch.start, branch.content_start, branches[i + 1].start if i + 1 < len(branches) else end)
        for i, branch in enumerate(branches)
    ]
    taken = False
    for branch, (start, _content, stop) in zip(branches, spans, strict=True):
        if taken or branch.value is False:
            dead.append((start, stop))
        elif branch.value is True:
            taken = True
    keep = next((i for i, branch in enumerate(branches) if branch.value is not False), 0)
    for index, (_start, content, stop) in enumerate(spans):
        if index != keep and content < stop:
            alternatives.append((content, stop))


def _branch(data: bytes, directive: Directive) -> _Branch:
    line_end = _line_end(data, directive.end)
    value = None
    if directive.kind in _VALUED:
        value = _literal_condition(data[directive.end : line_end])
    return _Branch(directive.start, line_end, value)


def _line_end(data: bytes, offset: int) -> int:
    """The end of the directive line that continues at ``offset`` (backslash-newline continues it)."""
    index = data.find(b"\n", offset)
    while index >= 0:
        before = index - 1
        if before >= 0 and data[before] == 0x0D:
            before -= 1
        if before < 0 or data[before] != 0x5C:
            break
        index = data.find(b"\n", index + 1)
    return len(data) if index < 0 else index + 1


def _literal_condition(text: bytes) -> bool | None:
    """True for ``1``, False for ``0`` (parentheses, blanks and a trailing comment allowed), None otherwise."""
    for marker in (b"//", b"/*"):
        cut = text.find(marker)
        if cut >= 0:
            text = text[:cut]
    text = text.replace(b"\\\r\n", b"").replace(b"\\\n", b"").strip()
    while text.startswith(b"(") and text.endswith(b")"):
        text = text[1:-1].strip()
    if text in (b"0", b"0L", b"0U"):
        return False
    if text in (b"1", b"1L", b"1U"):
        return True
    return None


def blank_ranges(data: bytes, ranges: Sequence[tuple[int, int]]) -> bytes:
    """``data`` with ``ranges`` overwritten by spaces, newlines kept (offsets, lines and columns unchanged)."""
    out = bytearray(data)
    for start, end in ranges:
        out[start:end] = data[start:end].translate(BLANK_TABLE)
    return bytes(out)
