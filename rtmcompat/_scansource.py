"""Reading a source file for ``rtmcompat scan``: bytes, encoding, lines and columns, and macro blanking.

Theory of operation
-------------------
* **Reading** (docs/behaviour.md M-SCAN-INPUT). Only regular files are opened (a FIFO would block); a file over the
  size limit, a binary file (a NUL byte in the first 8 KiB and no UTF-16 byte-order mark) or one that cannot be
  read is refused with a reason the report shows. UTF-8 is read as is (a UTF-8 byte-order mark is dropped); UTF-16
  with a byte-order mark is decoded and re-encoded as UTF-8; anything else that is not valid UTF-8 is read as
  Latin-1, one character per byte, and the file's entry says so. The parser always gets bytes; positions are byte
  offsets into them.
* **Lines and columns.** Lines are 1-based; columns are 1-based and count characters (code points) of the decoded
  line, a tab being one character, so an editor's "go to column" lands on the symbol.
* **Blanking** (M-SCAN-BLANK). Windows code does not compile here, and calling-convention macros, SAL annotations
  and export decorations in front of a definition push it into an ERROR node, losing the enclosing function's
  name. Before parsing, every whole-word occurrence of a known decoration (by name, or by prefix for the SAL
  families) is overwritten with spaces of the same length, a parenthesised argument list included
  (``_In_reads_(n)``, ``DECLSPEC_ALIGN(16)``), newlines kept, so every byte offset, line and column of the file
  stays what it was. ``CONST`` becomes ``const`` (same length) rather than nothing. Lines that are preprocessor
  directives are left alone (``#define WINAPI __stdcall`` keeps its name). The search is a word search, not a
  parse, so a decoration inside a comment or a string is blanked too: the scanner therefore takes the text of
  comments and strings from the original bytes, never from the blanked ones, and an argument list is only blanked
  when it closes before any ``;``, brace or comment.
"""

from __future__ import annotations

import bisect
import codecs
import os
import stat
from collections.abc import Mapping

import attrs

#: Files over this size are refused unless ``--max-file-size`` says otherwise (MiB).
DEFAULT_MAX_MIB = 10
_BINARY_PROBE = 8192


@attrs.frozen
class Source:
    """A file's text, ready for the parser."""

    #: The bytes the parser reads (a UTF-8 byte-order mark removed; UTF-16 re-encoded as UTF-8).
    data: bytes
    #: ``utf-8``, ``utf-8-sig`` (with byte-order mark), ``utf-16``, or ``latin-1``.
    encoding: str
    #: Bytes on disk.
    size: int
    #: Why the encoding is not plain UTF-8, or None.
    note: str | None = None


@attrs.frozen
class Unreadable:
    """A file that was not scanned, and why."""

    reason: str
    size: int | None = None


def read_source(path: str, max_bytes: int) -> Source | Unreadable:
    """Read ``path`` for scanning, or say why it cannot be."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Unreadable("not a regular file (device, FIFO or socket): not read")
    if info.st_size > max_bytes:
        return Unreadable(
            f"too large: {_mib(info.st_size)} is over the {_mib(max_bytes)} limit (--max-file-size): not scanned",
            info.st_size,
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        return Unreadable(f"cannot read: {exc.strerror or exc}", info.st_size)
    if len(raw) > max_bytes:  # grew since stat
        return Unreadable(f"too large: over the {_mib(max_bytes)} limit (--max-file-size): not scanned", len(raw))
    return decode(raw)


def decode(raw: bytes) -> Source | Unreadable:
    """Turn a file's bytes into a :class:`Source` (see the module docstring for the rules)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            return Unreadable(f"undecodable: UTF-16 byte-order mark but invalid UTF-16 at byte {exc.start}", len(raw))
        return Source(text.encode("utf-8"), "utf-16", len(raw), "UTF-16 (byte-order mark): decoded")
    nul = raw.find(b"\0", 0, _BINARY_PROBE)
    if nul >= 0:
        return Unreadable(f"binary file (NUL byte at offset {nul}): not scanned", len(raw))
    if raw.startswith(codecs.BOM_UTF8):
        data, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    else:
        data, encoding = raw, "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Source(data, "latin-1", len(raw), f"not valid UTF-8 (first bad byte on line {line}): read as Latin-1")
    return Source(data, encoding, len(raw))


def _mib(size: int) -> str:
    """A size for people: MiB from 1 MiB up, KiB below."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    return f"{size / 1024:.1f} KiB"


class Lines:
    """Byte offset -> (line, column in characters) and line texts for one source."""

    def __init__(self, source: Source) -> None:
        self._data = source.data
        self._codec = "latin-1" if source.encoding == "latin-1" else "utf-8"
        starts = [0]
        find = self._data.find
        at = find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = find(b"\n", at + 1)
        self._starts = starts

    @property
    def count(self) -> int:
        """Number of lines (a final line without a newline counts)."""
        return len(self._starts) if self._starts[-1] < len(self._data) else len(self._starts) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and character column of byte ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[index]
        prefix = self._data[start:offset]
        column = len(prefix) if prefix.isascii() else len(prefix.decode(self._codec, "replace"))
        return index + 1, column + 1

    def text(self, line: int) -> str:
        """Line ``line`` (1-based) without its line ending."""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._data)
        return self._data[start:end].rstrip(b"\r").decode(self._codec, "replace")

    def line_start(self, line: int) -> int:
        """Byte offset of the first byte of line ``line``."""
        return self._starts[line - 1]


# --- blanking ---------------------------------------------------------------------------------------------------

#: Calling conventions, parameter direction and linkage decorations of the Windows headers: blanked by name.
BLANK_NAMES: frozenset[str] = frozenset(
    {
        "WINAPI",
        "WINAPIV",
        "APIENTRY",
        "APIPRIVATE",
        "CALLBACK",
        "PASCAL",
        "NTAPI",
        "STDAPICALLTYPE",
        "STDAPIVCALLTYPE",
        "STDMETHODCALLTYPE",
        "STDMETHODVCALLTYPE",
        "RPC_ENTRY",
        "CDECL",
        "FASTCALL",
        "__stdcall",
        "_stdcall",
        "__cdecl",
        "_cdecl",
        "__fastcall",
        "_fastcall",
        "__thiscall",
        "__clrcall",
        "__vectorcall",
        "__pascal",
        "_pascal",
        "IN",
        "OUT",
        "OPTIONAL",
        "FAR",
        "NEAR",
        "far",
        "near",
        "_far",
        "_near",
        "__far",
        "__near",
        "UNALIGNED",
        "UNALIGNED64",
        "__unaligned",
        "__ptr32",
        "__ptr64",
        "POINTER_32",
        "POINTER_64",
        "RESTRICTED_POINTER",
        "__restrict",
        "INLINE",
        "FORCEINLINE",
        "__forceinline",
        "__inline",
        "EXTERN_C",
        "WINBASEAPI",
        "WINADVAPI",
        "WINUSERAPI",
        "WINGDIAPI",
        "WINSOCK_API_LINKAGE",
        "IPHLPAPI_DLL_LINKAGE",
        "NTSYSAPI",
        "NTSYSCALLAPI",
        "DLLEXPORT",
        "DLLIMPORT",
        "__declspec",
        "STDMETHODIMP_",
        "__checkReturn",
        "__reserved",
        "__success",
        "__callback",
        "__nullterminated",
        "__format_string",
        "__in",
        "__out",
        "__inout",
        "__deref",
        "__bcount",
        "__ecount",
        "__field_bcount",
        "__field_ecount",
    }
)
#: Families blanked by prefix: SAL 2 annotations (``_In_``, ``_Out_writes_(n)``, ``_Success_(x)``...), SAL 1
#: (``__in_opt``, ``__out_bcount(n)``), driver annotations and the DECLSPEC_* decorations.
BLANK_PREFIXES: tuple[str, ...] = (
    "_In_",
    "_Out_",
    "_Inout_",
    "_Outptr_",
    "_COM_Outptr_",
    "_Ret_",
    "_Deref_",
    "_Pre_",
    "_Post_",
    "_Field_",
    "_When_",
    "_Success_",
    "_Check_return_",
    "_Must_inspect_result_",
    "_Use_decl_annotations_",
    "_Printf_format_string_",
    "_Reserved_",
    "_Frees_ptr_",
    "_Null_terminated_",
    "_NullNull_terminated_",
    "_Struct_size_bytes_",
    "_At_",
    "_Always_",
    "_Analysis_",
    "_IRQL_",
    "_Requires_",
    "_Acquires_",
    "_Releases_",
    "_Guarded_by_",
    "_Interlocked_operand_",
    "_Function_class_",
    "_Maybenull_",
    "_Notnull_",
    "_Readable_",
    "_Writable_",
    "_Valid_",
    "_Result_",
    "_Points_to_data_",
    "_Literal_",
    "_Const_",
    "__in_",
    "__out_",
    "__inout_",
    "__deref_",
    "__drv_",
    "DECLSPEC_",
)
#: Replaced by a keyword of the same length rather than blanked.
SUBSTITUTES: Mapping[str, bytes] = {"CONST": b"const"}
#: bytes.translate table: every byte becomes a space except line endings.
BLANK_TABLE: bytes = bytes(byte if byte in (0x0A, 0x0D) else 0x20 for byte in range(256))
_MAX_ARGUMENT_BYTES = 1024
_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") | frozenset(range(0x80, 0x100))
_NAMES = tuple(sorted(name.encode() for name in BLANK_NAMES | set(SUBSTITUTES)))
_PREFIXES = tuple(sorted(prefix.encode() for prefix in BLANK_PREFIXES))


def blankable(name: str) -> bool:
    """Whether ``name`` is a decoration the scanner blanks before parsing."""
    return name in BLANK_NAMES or name in SUBSTITUTES or name.startswith(BLANK_PREFIXES)


def blank(data: bytes) -> bytes | None:
    """``data`` with every decoration overwritten (offsets kept), or None when there is none."""
    spans: list[tuple[int, int, bytes | None]] = []
    for name in _NAMES:
        if name not in data:
            continue
        substitute = SUBSTITUTES.get(name.decode())
        for start in _word_starts(data, name):
            end = start + len(name)
            if end < len(data) and data[end] in _WORD:
                continue  # a longer identifier (INT, OUTPUT)
            spans.append((start, end if substitute is not None else _argument_end(data, end), substitute))
    for prefix in _PREFIXES:
        if prefix not in data:
            continue
        for start in _word_starts(data, prefix):
            end = start + len(prefix)
            while end < len(data) and data[end] in _WORD:
                end += 1
            spans.append((start, _argument_end(data, end), None))
    if not spans:
        return None
    out = bytearray(data)
    for start, end, substitute in spans:
        if substitute is not None:
            out[start:end] = substitute
        else:
            out[start:end] = data[start:end].translate(BLANK_TABLE)
    return bytes(out)


def _word_starts(data: bytes, word: bytes) -> list[int]:
    """Offsets where ``word`` starts a word outside preprocessor directive lines."""
    found = []
    start = data.find(word)
    while start >= 0:
        if (start == 0 or data[start - 1] not in _WORD) and not _directive_line(data, start):
            found.append(start)
        start = data.find(word, start + len(word))
    return found


def _directive_line(data: bytes, offset: int) -> bool:
    """Whether the line holding ``offset`` is a preprocessor directive (first non-blank character ``#``)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    stripped = data[line_start:offset].lstrip(b" \t")
    return stripped.startswith(b"#")


def _argument_end(data: bytes, end: int) -> int:
    """Where a decoration's parenthesised arguments end (``end`` itself when none follow, or when they do not
    close before a ``;``, a brace or a comment)."""
    index = end
    size = len(data)
    while index < size and data[index] in b" \t\r\n":
        index += 1
    if index >= size or data[index] != 0x28:  # "("
        return end
    depth = 0
    limit = min(size, index + _MAX_ARGUMENT_BYTES)
    quote = 0
    while index < limit:
        byte = data[index]
        if quote:
            if byte == 0x5C:  # backslash escapes the next byte
                index += 1
            elif byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte in b";{}" or (byte == 0x2F and data[index + 1 : index + 2] in (b"/", b"*")):
            return end
        elif byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return end
