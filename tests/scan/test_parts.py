"""The scanner's parts: the parser adapter, blanking, reading files, conditionals, flags, the symbol database."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from rtmcompat._cparse import Binary, Name, Number, parse
from rtmcompat._mapping import BY_NAME
from rtmcompat._scanfind import decode_arguments, evaluate
from rtmcompat._scanpp import conditionals
from rtmcompat._scansource import Lines, Source, Unreadable, blank, decode
from rtmcompat._scansymbols import SYMBOLS, V1_FUNCTIONS, V2_FUNCTIONS, v1_port
from rtmcompat.scan import scan

#: The declarations of the public rtm.h (mingw-w64-headers/include/rtm.h, which matches the SDK's).
RTM_H_FUNCTIONS = {
    "RtmRegisterClient",
    "RtmDeregisterClient",
    "RtmDequeueRouteChangeMessage",
    "RtmAddRoute",
    "RtmDeleteRoute",
    "RtmIsRoute",
    "RtmGetNetworkCount",
    "RtmGetRouteAge",
    "RtmCreateEnumerationHandle",
    "RtmEnumerateGetNextRoute",
    "RtmCloseEnumerationHandle",
    "RtmBlockDeleteRoutes",
    "RtmGetFirstRoute",
    "RtmGetNextRoute",
    "RtmLookupIPDestination",
}
RTM_H_MACROS = {
    "RtmGetSpecificRoute",
    "IsRouteValid",
    "SetRouteValid",
    "ClearRouteValid",
    "ClearRouteFlags",
    "IsRouteNonUnicast",
    "IsRouteLoopback",
    "ROUTE_HEADER",
    "DWORD_ALIGN",
}
RTM_H_CONSTANTS = {
    "RTM_PROTOCOL_FAMILY_IPX",
    "RTM_PROTOCOL_FAMILY_IP",
    "ERROR_MORE_MESSAGES",
    "ERROR_CLIENT_ALREADY_EXISTS",
    "ERROR_NO_MESSAGES",
    "ERROR_NO_MORE_ROUTES",
    "ERROR_NO_ROUTES",
    "ERROR_NO_SUCH_ROUTE",
    "IPX_GLOBAL_CLIENT_WAN_ROUTE",
    "IP_VALID_ROUTE",
    "RTM_CURRENT_BEST_ROUTE",
    "RTM_PREVIOUS_BEST_ROUTE",
    "RTM_NO_CHANGE",
    "RTM_ROUTE_ADDED",
    "RTM_ROUTE_DELETED",
    "RTM_ROUTE_CHANGED",
    "RTM_ONLY_THIS_NETWORK",
    "RTM_ONLY_THIS_INTERFACE",
    "RTM_ONLY_THIS_PROTOCOL",
    "RTM_ONLY_BEST_ROUTES",
    "RTM_PROTOCOL_SINGLE_ROUTE",
}
RTM_H_TYPES = {
    prefix + name
    for name in (
        "IPX_NETWORK",
        "IP_NETWORK",
        "IPX_NEXT_HOP_ADDRESS",
        "IP_NEXT_HOP_ADDRESS",
        "IPX_SPECIFIC_DATA",
        "IP_SPECIFIC_DATA",
        "PROTOCOL_SPECIFIC_DATA",
        "RTM_IPX_ROUTE",
        "RTM_IP_ROUTE",
    )
    for prefix in ("", "P")
}
UNDOCUMENTED = {"RtmBlockSetRouteEnable", "RtmBlockConvertRoutesToStatic", "RtmCreateRouteTable", "RtmDeleteRouteTable"}


class TestSymbols:
    def test_the_whole_v1_surface(self) -> None:
        """Every name rtm.h declares is in the database with the right kind, and the undocumented exports too."""
        kinds = {name: symbol.kind for name, symbol in SYMBOLS.items() if symbol.api == "rtmv1"}
        expected = (
            dict.fromkeys(RTM_H_FUNCTIONS | {"RtmGetSpecificRoute"}, "function")
            | dict.fromkeys(RTM_H_MACROS - {"RtmGetSpecificRoute"}, "macro")
            | dict.fromkeys(RTM_H_CONSTANTS, "constant")
            | dict.fromkeys(RTM_H_TYPES, "type")
            | dict.fromkeys(UNDOCUMENTED, "undocumented")
        )
        assert expected == kinds

    def test_v1_levels(self) -> None:
        """v1 calls are warnings, undocumented exports errors, everything of rtmv2.h notes."""
        assert {"warning"} == {SYMBOLS[name].level for name in RTM_H_FUNCTIONS}
        assert {"error"} == {SYMBOLS[name].level for name in UNDOCUMENTED}
        assert {"note"} == {symbol.level for symbol in SYMBOLS.values() if symbol.api == "rtmv2"}

    def test_rtmv2_functions(self) -> None:
        """The 57 functions rtmv2.h declares are known as RTMv2, each with its reference page."""
        assert 57 == len(set(V2_FUNCTIONS))
        assert all(
            SYMBOLS[name].url == f"https://learn.microsoft.com/windows/win32/api/rtmv2/nf-rtmv2-{name.lower()}"
            for name in V2_FUNCTIONS
        )

    def test_function_ports_come_from_the_mapping_table(self) -> None:
        """A v1 function's replacement, caveats and known differences are the mapping table's port sequence
        (what a correct port calls, not the shim's bookkeeping), notes and difference ids."""
        port = v1_port("RtmDeleteRoute")
        row = BY_NAME["RtmDeleteRoute"]
        assert (" + ".join(row.port), (row.notes,), row.differences) == (
            port.replacement,
            port.caveats,
            port.differences,
        )
        assert {"RtmGetSpecificRoute"} | RTM_H_FUNCTIONS | UNDOCUMENTED == set(V1_FUNCTIONS)


class TestAdapter:
    def test_roles(self) -> None:
        """Calls, member calls, declarations, types, macro names and #ifdef names get their roles."""
        source = b"#define M 1\n#ifdef M\nT f(void);\n#endif\nvoid g(void) { f(); p->h(); x = y; }\n"
        syntax = parse(source, "c")
        roles = {name: syntax.roles.get(starts[0], "use") for name, starts in syntax.occurrences.items()}
        assert {"M": "define", "T": "type", "f": "declarator", "g": "declarator", "h": "member-call", "y": "use"} == {
            key: roles[key] for key in ("M", "T", "f", "g", "h", "y")
        }
        assert "call" == syntax.roles[source.index(b"f();")]

    def test_arguments_are_expression_trees(self) -> None:
        """Arguments of wanted calls come back as small expression trees."""
        source = b"void g(void) { RtmGetFirstRoute(1, A | 0x8, &r); }\n"
        syntax = parse(source, "c", frozenset({"RtmGetFirstRoute"}))
        (arguments,) = syntax.arguments.values()
        assert (Number("1"), Binary("|", Name("A"), Number("0x8"))) == (arguments[0].expr, arguments[1].expr)

    def test_method_names_are_qualified(self) -> None:
        """C++ methods defined in a class body are named Class::method; out of class as written."""
        source = b"class C { int m() { return 1; } };\nint C::n() { return 2; }\n"
        assert ["C::m", "C::n"] == [function.name for function in parse(source, "cpp").functions]


class TestBlanking:
    def test_offsets_are_kept(self) -> None:
        """Decorations become blanks of the same length; CONST becomes const; other words stay."""
        source = b"DWORD WINAPI F(IN CONST HANDLE h, _In_reads_(n) PVOID p, INT INX)\n"
        blanked = blank(source)
        assert blanked is not None
        assert b"DWORD        F(   const HANDLE h,               PVOID p, INT INX)\n" == blanked
        assert len(source) == len(blanked)

    def test_directive_lines_are_left_alone(self) -> None:
        """`#define WINAPI __stdcall` keeps its name."""
        assert blank(b"#define WINAPI __stdcall\n") is None

    def test_unclosed_arguments_stop_at_a_statement_end(self) -> None:
        """A SAL name whose parenthesis does not close before `;` is blanked alone."""
        assert b"    ( x; y) z" == blank(b"_In_( x; y) z")

    def test_blanking_makes_the_function_readable(self, tmp_path: Path) -> None:
        """With blanking, a WINAPI/SAL definition parses completely and its sites get the function's name."""
        path = tmp_path / "a.c"
        path.write_text("DWORD WINAPI F(_In_ HANDLE h, OPTIONAL PVOID p)\n{\n    return RtmDeregisterClient(h);\n}\n")
        report = scan([str(path)])
        assert (0, ["F"]) == (report.files[0].unparsed_bytes, [f.function for f in report.findings])


class TestReading:
    def test_utf8_byte_order_mark(self) -> None:
        """A UTF-8 byte-order mark is dropped; columns start after it."""
        source = decode(codecs.BOM_UTF8 + b"int x;")
        assert isinstance(source, Source)
        assert ("utf-8-sig", b"int x;") == (source.encoding, source.data)

    def test_utf16(self) -> None:
        """UTF-16 with a byte-order mark is decoded (it has NUL bytes but is not binary)."""
        source = decode("x = RtmAddRoute;".encode("utf-16"))
        assert isinstance(source, Source)
        assert ("utf-16", b"x = RtmAddRoute;") == (source.encoding, source.data)

    def test_binary(self) -> None:
        """NUL bytes without a UTF-16 mark: binary."""
        assert Unreadable("binary file (NUL byte at offset 1): not scanned", 3) == decode(b"a\0b")

    def test_columns_count_characters(self) -> None:
        """Columns are 1-based characters, not bytes: after `é` (two bytes) the column is the byte offset."""
        source = decode("/* é */ RtmAddRoute\n".encode())
        assert isinstance(source, Source)
        offset = source.data.index(b"Rtm")
        assert ((1, 9), 9) == (Lines(source).position(offset), offset)


class TestConditionals:
    def test_if_zero_and_if_one(self) -> None:
        """#if 0 branches and the #else of #if 1 are dead; #ifdef branches are not."""
        source = b"#if 0\na\n#else\nb\n#endif\n#if 1\nc\n#else\nd\n#endif\n#ifdef X\ne\n#else\nf\n#endif\n"
        found = conditionals(source, parse(source, "c").directives)
        dead = [source[start:end] for start, end in found.dead]
        assert [b"#if 0\na\n", b"#else\nd\n"] == dead

    def test_one_branch_view_keeps_the_first_live_branch(self) -> None:
        """The one-branch view leaves out every branch but the first that is not #if 0."""
        source = b"#ifdef X\nif (a) {\n#else\nif (b) {\n#endif\n"
        found = conditionals(source, parse(source, "c").directives)
        assert [b"if (b) {\n"] == [source[start:end] for start, end in found.alternatives]


class TestFlags:
    @pytest.mark.parametrize(
        ("text", "value"),
        [("0x9", 9), ("011", 9), ("9UL", 9), ("RTM_ONLY_BEST_ROUTES | RTM_ONLY_THIS_NETWORK", 9), ("~0", 0xFFFFFFFF)],
    )
    def test_evaluate(self, text: str, value: int) -> None:
        """Literal flag expressions evaluate to their value (hex, octal, suffixes, rtm.h names, | and ~)."""
        source = f"void g(void) {{ RtmGetFirstRoute(1, {text}, &r); }}\n".encode()
        (arguments,) = parse(source, "c", frozenset({"RtmGetFirstRoute"})).arguments.values()
        assert value == evaluate(arguments[1].expr)

    def test_unknown_bits_are_shown(self) -> None:
        """Bits rtm.h does not define are shown as hex next to the names."""
        source = b"void g(void) { RtmCreateEnumerationHandle(0, 0x19, &r); }\n"
        (arguments,) = parse(source, "c", frozenset({"RtmCreateEnumerationHandle"})).arguments.values()
        decoded = decode_arguments("RtmCreateEnumerationHandle", arguments)
        assert [("RTM_PROTOCOL_FAMILY_IPX",), ("RTM_ONLY_THIS_NETWORK", "RTM_ONLY_BEST_ROUTES", "0x10")] == [
            flag.names for flag in decoded
        ]


class TestGrammarChoice:
    def test_a_cpp_header_is_read_as_cpp(self, tmp_path: Path) -> None:
        """A .h holding a class reads better as C++: it is read as C++, its entry says why, and the method's
        site gets the Class::method name."""
        header = tmp_path / "table.h"
        header.write_text(
            "class Table {\npublic:\n    DWORD Add(PVOID r) { return RtmAddRoute(h_, r, 60, &f_, 0, 0); }\n"
            "private:\n    HANDLE h_;\n    DWORD f_;\n};\n"
        )
        report = scan([str(header)])
        entry = report.files[0]
        assert ("cpp", ["Table::Add"]) == (entry.language, [f.function for f in report.findings])
        assert entry.language_note is not None
        assert entry.language_note.startswith("read as C++: 0 unreadable bytes against ")

    def test_a_c_header_stays_c(self, tmp_path: Path) -> None:
        """A .h that parses as C is read as C without trying C++."""
        header = tmp_path / "decl.h"
        header.write_text("DWORD RipAdd(PRTM_IP_ROUTE route);\n")
        entry = scan([str(header)]).files[0]
        assert ("c", None) == (entry.language, entry.language_note)
