"""The scanner on the test corpus (tests/scan/corpus): every RTMv1 site found, nothing else, with the enclosing
function, the kind and the level pinned; plus what each finding says about flags, confidence and coverage."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rtmcompat.scan import Finding, ScanReport, scan

from .support import CORPUS

#: Every finding of the corpus: (line, column, kind, symbol, enclosing function, level), in report order.
EXPECTED: dict[str, list[tuple[int, int, str, str, str | None, str]]] = {
    "broken.c": [
        (6, 11, "include", "rtm.h", None, "warning"),
        (15, 5, "type", "RTM_IP_ROUTE", "RipUpdateRoutes", "warning"),
        (20, 9, "call", "RtmAddRoute", "RipUpdateRoutes", "warning"),
        (27, 9, "call", "RtmBlockDeleteRoutes", "RipUpdateRoutes", "warning"),
        (27, 41, "constant", "RTM_ONLY_THIS_INTERFACE", "RipUpdateRoutes", "warning"),
        (27, 67, "constant", "RTM_ONLY_THIS_PROTOCOL", "RipUpdateRoutes", "warning"),
        (36, 5, "type", "RTM_IP_ROUTE", "RipSafeDequeue", "warning"),
        (39, 9, "call", "RtmDequeueRouteChangeMessage", "RipSafeDequeue", "warning"),
        (54, 5, "type", "RTM_IP_ROUTE", "CRipDialog_OnRefresh", "warning"),
        (56, 9, "call", "RtmGetFirstRoute", "CRipDialog_OnRefresh", "warning"),
        (56, 26, "constant", "RTM_PROTOCOL_FAMILY_IP", "CRipDialog_OnRefresh", "warning"),
        (56, 50, "constant", "RTM_ONLY_BEST_ROUTES", "CRipDialog_OnRefresh", "warning"),
        (59, 5, "call", "RtmDeregisterClient", "CRipDialog_OnRefresh", "warning"),
        (66, 5, "call", "RtmDeleteRoute", "RipOldCleanup", "note"),
    ],
    "build/CMakeLists.txt": [
        (3, 45, "other", "rtm.lib", None, "note"),
    ],
    "build/Makefile": [
        (3, 17, "other", "rtm.lib", None, "note"),
    ],
    "build/rip.vcxproj": [
        (6, 42, "other", "rtm.lib", None, "note"),
    ],
    "build/ripshim.def": [
        (6, 5, "other", "RtmAddRoute", None, "warning"),
        (6, 23, "other", "RtmAddRoute", None, "warning"),
    ],
    "comments_strings.c": [
        (14, 6, "string", "RtmAddRoute", None, "warning"),
        (15, 6, "string", "RtmBlockConvertRoutesToStatic", None, "error"),
        (21, 34, "string", "rtm.dll", "LoadAddRoute", "note"),
        (24, 31, "string", "rtm.dll", "LoadAddRoute", "note"),
        (24, 43, "string", "RtmAddRoute", "LoadAddRoute", "note"),
        (27, 48, "string", "RtmAddRoute", "LoadAddRoute", "warning"),
        (34, 13, "string", "RtmGetFirstRoute", "Explain", "note"),
        (35, 19, "string", "RtmAddRouteToDest", "Explain", "note"),
    ],
    "mixed_v1_v2.c": [
        (6, 11, "include", "rtm.h", None, "warning"),
        (7, 11, "include", "rtmv2.h", None, "note"),
        (9, 8, "type", "RTM_ENTITY_HANDLE", None, "note"),
        (10, 8, "type", "RTM_REGN_PROFILE", None, "note"),
        (14, 11, "type", "RTM_ENTITY_HANDLE", "OspfEvent", "note"),
        (14, 35, "type", "RTM_EVENT_TYPE", "OspfEvent", "note"),
        (16, 17, "constant", "RTM_CHANGE_NOTIFICATION", "OspfEvent", "note"),
        (25, 5, "type", "RTM_ENTITY_INFO", "OspfRegister", "note"),
        (32, 13, "call", "RtmRegisterEntity", "OspfRegister", "note"),
        (36, 20, "call", "RtmRegisterClient", "OspfRegister", "warning"),
        (36, 38, "constant", "RTM_PROTOCOL_FAMILY_IPX", "OspfRegister", "warning"),
        (41, 36, "type", "RTM_NEXTHOP_HANDLE", "OspfAddRoute", "note"),
        (43, 5, "type", "RTM_NET_ADDRESS", "OspfAddRoute", "note"),
        (44, 5, "type", "RTM_ROUTE_INFO", "OspfAddRoute", "note"),
        (45, 5, "type", "RTM_ROUTE_HANDLE", "OspfAddRoute", "note"),
        (46, 5, "type", "RTM_ROUTE_CHANGE_FLAGS", "OspfAddRoute", "note"),
        (48, 5, "macro", "RTM_IPV4_SET_ADDR_AND_LEN", "OspfAddRoute", "note"),
        (51, 27, "constant", "RTM_VIEW_MASK_UCAST", "OspfAddRoute", "note"),
        (54, 12, "call", "RtmAddRouteToDest", "OspfAddRoute", "note"),
        (58, 13, "type", "RTM_IPX_ROUTE", "IpxAddRoute", "warning"),
        (61, 5, "type", "RTM_IPX_ROUTE", "IpxAddRoute", "warning"),
        (63, 47, "constant", "IPX_GLOBAL_CLIENT_WAN_ROUTE", "IpxAddRoute", "warning"),
        (64, 12, "call", "RtmAddRoute", "IpxAddRoute", "warning"),
        (70, 5, "call", "RtmDeregisterEntity", "OspfStop", "note"),
        (71, 5, "call", "RtmDeregisterClient", "OspfStop", "warning"),
    ],
    "rip_v1.c": [
        (6, 11, "include", "rtm.h", None, "warning"),
        (8, 23, "other", "rtm.lib", None, "note"),
        (26, 24, "call", "RtmRegisterClient", "RipStartProtocol", "warning"),
        (26, 42, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipStartProtocol", "warning"),
        (26, 88, "constant", "RTM_PROTOCOL_SINGLE_ROUTE", "RipStartProtocol", "warning"),
        (29, 25, "constant", "ERROR_CLIENT_ALREADY_EXISTS", "RipStartProtocol", "warning"),
        (43, 5, "type", "RTM_IP_ROUTE", "RipAddRoute", "warning"),
        (52, 5, "macro", "ClearRouteFlags", "RipAddRoute", "warning"),
        (53, 5, "macro", "SetRouteValid", "RipAddRoute", "warning"),
        (54, 12, "call", "RtmAddRoute", "RipAddRoute", "warning"),
        (58, 16, "type", "PRTM_IP_ROUTE", "RipDeleteRoute", "warning"),
        (61, 19, "call", "RtmDeleteRoute", "RipDeleteRoute", "warning"),
        (62, 18, "constant", "ERROR_NO_SUCH_ROUTE", "RipDeleteRoute", "warning"),
        (71, 5, "type", "RTM_IP_ROUTE", "RipProcessChanges", "warning"),
        (75, 17, "call", "RtmDequeueRouteChangeMessage", "RipProcessChanges", "warning"),
        (76, 43, "constant", "ERROR_MORE_MESSAGES", "RipProcessChanges", "warning"),
        (79, 24, "constant", "RTM_ROUTE_ADDED", "RipProcessChanges", "warning"),
        (79, 54, "constant", "RTM_ROUTE_CHANGED", "RipProcessChanges", "warning"),
        (80, 18, "macro", "IsRouteValid", "RipProcessChanges", "warning"),
        (80, 44, "macro", "IsRouteLoopback", "RipProcessChanges", "warning"),
        (84, 30, "constant", "RTM_PREVIOUS_BEST_ROUTE", "RipProcessChanges", "warning"),
        (87, 23, "constant", "ERROR_MORE_MESSAGES", "RipProcessChanges", "warning"),
        (93, 5, "type", "RTM_IP_ROUTE", "RipAdvertiseTable", "warning"),
        (98, 13, "call", "RtmCreateEnumerationHandle", "RipAdvertiseTable", "warning"),
        (98, 40, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipAdvertiseTable", "warning"),
        (98, 64, "constant", "RTM_ONLY_THIS_INTERFACE", "RipAdvertiseTable", "warning"),
        (98, 90, "constant", "RTM_ONLY_BEST_ROUTES", "RipAdvertiseTable", "warning"),
        (102, 21, "call", "RtmEnumerateGetNextRoute", "RipAdvertiseTable", "warning"),
        (108, 5, "call", "RtmCloseEnumerationHandle", "RipAdvertiseTable", "warning"),
        (109, 21, "constant", "ERROR_NO_MORE_ROUTES", "RipAdvertiseTable", "warning"),
        (115, 5, "type", "RTM_IP_ROUTE", "RipWalkTable", "warning"),
        (116, 19, "call", "RtmGetFirstRoute", "RipWalkTable", "warning"),
        (116, 36, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipWalkTable", "warning"),
        (118, 17, "call", "RtmGetNextRoute", "RipWalkTable", "warning"),
        (118, 33, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipWalkTable", "warning"),
        (118, 57, "constant", "RTM_ONLY_BEST_ROUTES", "RipWalkTable", "warning"),
        (120, 21, "constant", "ERROR_NO_ROUTES", "RipWalkTable", "warning"),
        (124, 13, "type", "IP_NETWORK", "RipHasRoute", "warning"),
        (124, 35, "type", "PRTM_IP_ROUTE", "RipHasRoute", "warning"),
        (126, 9, "call", "RtmGetNetworkCount", "RipHasRoute", "warning"),
        (126, 28, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipHasRoute", "warning"),
        (129, 9, "call", "RtmGetSpecificRoute", "RipHasRoute", "warning"),
        (129, 29, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipHasRoute", "warning"),
        (132, 12, "call", "RtmIsRoute", "RipHasRoute", "warning"),
        (132, 23, "constant", "RTM_PROTOCOL_FAMILY_IP", "RipHasRoute", "warning"),
        (136, 28, "type", "PRTM_IP_ROUTE", "RipLookup", "warning"),
        (138, 12, "call", "RtmLookupIPDestination", "RipLookup", "warning"),
        (144, 5, "type", "RTM_IP_ROUTE", "RipInterfaceDown", "warning"),
        (147, 5, "call", "RtmBlockDeleteRoutes", "RipInterfaceDown", "warning"),
        (147, 44, "constant", "RTM_ONLY_THIS_INTERFACE", "RipInterfaceDown", "warning"),
        (153, 19, "other", "RipStartProtocol", "RipInit", "note"),
        (155, 17, "other", "RipAddRoute", "RipInit", "note"),
        (163, 19, "call", "RtmDeregisterClient", "RipStopProtocol", "warning"),
    ],
    "route_table.cpp": [
        (4, 11, "include", "rtm.h", None, "warning"),
        (13, 15, "type", "RTM_IP_ROUTE", "RouteTable::Add", "warning"),
        (16, 18, "call", "RtmAddRoute", "RouteTable::Add", "warning"),
        (19, 17, "type", "RTM_IP_ROUTE", None, "warning"),
        (25, 13, "type", "RTM_IP_ROUTE", "RouteTable::Best", "warning"),
        (27, 17, "type", "RTM_IP_ROUTE", "RouteTable::Best", "warning"),
        (28, 5, "type", "RTM_IP_ROUTE", "RouteTable::Best", "warning"),
        (30, 21, "call", "RtmGetFirstRoute", "RouteTable::Best", "warning"),
        (30, 38, "constant", "RTM_PROTOCOL_FAMILY_IP", "RouteTable::Best", "warning"),
        (33, 19, "call", "RtmGetNextRoute", "RouteTable::Best", "warning"),
        (33, 35, "constant", "RTM_PROTOCOL_FAMILY_IP", "RouteTable::Best", "warning"),
        (36, 11, "constant", "RTM_ONLY_BEST_ROUTES", "RouteTable::Best", "warning"),
        (41, 20, "other", "RtmDeleteRoute", None, "warning"),
        (44, 42, "type", "RTM_IP_ROUTE", "Remove", "warning"),
        (47, 16, "call", "RtmDeleteRoute", "Remove", "warning"),
        (54, 27, "call", "RtmRegisterClient", "main", "warning"),
        (54, 45, "constant", "RTM_PROTOCOL_FAMILY_IP", "main", "warning"),
        (55, 5, "type", "RTM_IP_ROUTE", "main", "warning"),
        (56, 11, "other", "Add", "main", "note"),
    ],
    "rtm_wrappers.h": [
        (5, 11, "include", "rtm.h", None, "warning"),
        (11, 22, "call", "RtmAddRoute", None, "warning"),
        (13, 5, "call", "RtmDeleteRoute", None, "warning"),
        (14, 34, "macro", "DEL_ROUTE", None, "warning"),
        (14, 48, "macro", "ADD_ROUTE", None, "warning"),
        (15, 20, "constant", "RTM_ONLY_BEST_ROUTES", None, "warning"),
        (15, 43, "constant", "RTM_ONLY_THIS_NETWORK", None, "warning"),
        (16, 23, "other", "RtmEnumerateGetNextRoute", None, "warning"),
        (17, 27, "type", "RTM_IP_ROUTE", None, "warning"),
        (19, 20, "type", "PRTM_IP_ROUTE", None, "warning"),
    ],
    "wrapper_macros.c": [
        (9, 14, "type", "PRTM_IP_ROUTE", "RipAddStatic", "warning"),
        (11, 14, "macro", "ADD_ROUTE", "RipAddStatic", "warning"),
        (16, 9, "type", "PRTM_IP_ROUTE", "RipMove", "warning"),
        (16, 29, "type", "PRTM_IP_ROUTE", "RipMove", "warning"),
        (18, 5, "macro", "REPLACE_ROUTE", "RipMove", "warning"),
        (25, 17, "macro", "ROUTE_SIZE", "RipCount", "note"),
        (28, 12, "macro", "RTM_ENUMERATE", "RipCount", "warning"),
        (28, 34, "type", "PRTM_IP_ROUTE", "RipCount", "warning"),
        (35, 14, "type", "PRTM_IP_ROUTE", "RipConfigure", "warning"),
        (40, 9, "other", "RipAddStatic", "RipConfigure", "note"),
        (42, 5, "other", "RipMove", "RipConfigure", "note"),
        (43, 12, "other", "RipCount", "RipConfigure", "note"),
        (43, 29, "macro", "BEST_ONLY", "RipConfigure", "note"),
    ],
}


@pytest.fixture(scope="module")
def report() -> Iterator[ScanReport]:
    """One scan of the whole corpus, run from inside it so paths are short."""
    here = os.getcwd()
    os.chdir(CORPUS)
    try:
        yield scan(["."])
    finally:
        os.chdir(here)


def _by_file(report: ScanReport) -> dict[str, list[tuple[int, int, str, str, str | None, str]]]:
    found: dict[str, list[tuple[int, int, str, str, str | None, str]]] = {}
    for f in report.findings:
        found.setdefault(Path(f.path).as_posix().removeprefix("./"), []).append(
            (f.line, f.column, f.kind, f.symbol, f.function, f.level)
        )
    return found


def _one(report: ScanReport, path: str, line: int, symbol: str) -> Finding:
    matches = [f for f in report.findings if f.path == f"./{path}" and f.line == line and f.symbol == symbol]
    assert 1 == len(matches), matches
    return matches[0]


class TestCorpusFindings:
    @pytest.mark.parametrize("path", sorted(EXPECTED))
    def test_every_site_and_nothing_else(self, report: ScanReport, path: str) -> None:
        """Each corpus file gives exactly the pinned findings: every v1 site, with its enclosing function, kind
        and level, and no finding from comments."""
        assert EXPECTED[path] == _by_file(report).get(path, [])

    def test_no_other_file_has_findings(self, report: ScanReport) -> None:
        """Only the pinned files have findings (no file of the corpus is forgotten in EXPECTED)."""
        assert sorted(EXPECTED) == sorted(_by_file(report))

    def test_the_inline_suppression_is_honoured(self, report: ScanReport) -> None:
        """`// rtmcompat: ignore[RtmGetRouteAge] reason: ...` after the call silences it, with its reason."""
        assert [("./rip_v1.c", 103, "RtmGetRouteAge", "the age only filters adverts")] == [
            (s.finding.path, s.finding.line, s.finding.symbol, s.reason) for s in report.suppressed
        ]

    def test_comments_never_count(self, report: ScanReport) -> None:
        """comments_strings.c names v1 functions in comments and strings: only string findings come out."""
        kinds = {f.kind for f in report.findings if f.path == "./comments_strings.c"}
        assert {"string"} == kinds


class TestWhatFindingsSay:
    def test_literal_flags_are_decoded(self, report: ScanReport) -> None:
        """`RTM_ONLY_THIS_INTERFACE | RTM_ONLY_BEST_ROUTES` and `0x9` are decoded to names and values."""
        enumeration = _one(report, "rip_v1.c", 98, "RtmCreateEnumerationHandle")
        assert [
            ("ProtocolFamily", 1, ("RTM_PROTOCOL_FAMILY_IP",)),
            ("EnumerationFlags", 0xA, ("RTM_ONLY_THIS_INTERFACE", "RTM_ONLY_BEST_ROUTES")),
        ] == [(a.parameter, a.value, a.names) for a in enumeration.flags]
        first = _one(report, "rip_v1.c", 116, "RtmGetFirstRoute")
        assert ("0x9", 9, ("RTM_ONLY_THIS_NETWORK", "RTM_ONLY_BEST_ROUTES")) == (
            first.flags[1].text,
            first.flags[1].value,
            first.flags[1].names,
        )
        assert "EnumerationFlags = RTM_ONLY_THIS_NETWORK | RTM_ONLY_BEST_ROUTES (0x9)" in first.message

    def test_a_non_literal_argument_is_not_decoded(self, report: ScanReport) -> None:
        """`flags` (a variable) in the C++ lambda keeps its text and no value."""
        first = _one(report, "route_table.cpp", 30, "RtmGetFirstRoute")
        assert ("flags", None, None) == (first.flags[1].text, first.flags[1].value, first.flags[1].names)

    def test_the_time_to_live_unit_is_spelled_out(self, report: ScanReport) -> None:
        """RtmAddRoute's TimeToLive is in seconds; the message gives the RTMv2 milliseconds."""
        add = _one(report, "rip_v1.c", 54, "RtmAddRoute")
        assert "TimeToLive = 180 s (RTMv2 counts milliseconds: 180000)" in add.message
        assert ("RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-NEXTHOP-MASK", "RTMC-TIE") == add.differences

    def test_get_specific_route_implies_its_flags(self, report: ScanReport) -> None:
        """The RtmGetSpecificRoute macro is a call finding with the flags rtm.h gives RtmGetFirstRoute."""
        specific = _one(report, "rip_v1.c", 129, "RtmGetSpecificRoute")
        assert ("call", 0x7) == (specific.kind, specific.flags[-1].value)

    def test_confidence_reasons(self, report: ScanReport) -> None:
        """Each confidence comes with its reason: direct call, macro body, string only, unparsed region,
        #if 0, member call, name matched wrapper."""
        cases = {
            ("rip_v1.c", 54, "RtmAddRoute"): ("high", "direct call"),
            ("rtm_wrappers.h", 11, "RtmAddRoute"): ("high", "direct call; written in the body of macro ADD_ROUTE"),
            ("wrapper_macros.c", 11, "ADD_ROUTE"): ("high", "through macro ADD_ROUTE, which expands to RtmAddRoute"),
            ("comments_strings.c", 27, "RtmAddRoute"): (
                "medium",
                "string only: the string is the name (a dynamic lookup such as GetProcAddress)",
            ),
            ("broken.c", 20, "RtmAddRoute"): ("medium", "direct call; in a region the parser could not parse"),
            ("broken.c", 66, "RtmDeleteRoute"): (
                "low",
                "direct call; in a region the parser could not parse; under #if 0",
            ),
            ("route_table.cpp", 47, "RtmDeleteRoute"): (
                "medium",
                "called through a member of the same name (a function pointer or a method)",
            ),
            ("rip_v1.c", 153, "RipStartProtocol"): (
                "medium",
                "calls RipStartProtocol, a function whose body calls RtmRegisterClient (matched by name)",
            ),
        }
        found = {key: (_one(report, *key).confidence, _one(report, *key).reason) for key in cases}
        assert cases == found

    def test_undocumented_exports_have_no_mapping(self, report: ScanReport) -> None:
        """An undocumented export is an error with "no public semantics, no mapping"."""
        export = _one(report, "comments_strings.c", 15, "RtmBlockConvertRoutesToStatic")
        assert ("error", "no public semantics, no mapping") == (export.level, export.replacement)

    def test_every_v1_finding_links_a_microsoft_page(self, report: ScanReport) -> None:
        """Findings on rtm.h names link their page on learn.microsoft.com."""
        urls = {f.url for f in report.findings if f.rule.startswith("rtmv1/Rtm") and f.kind != "other"}
        assert all(url and url.startswith("https://learn.microsoft.com/windows/win32/rras/") for url in urls)


class TestCoverage:
    def test_clean_files_parse_completely(self, report: ScanReport) -> None:
        """The compiling corpus files parse without ERROR regions; broken.c does not."""
        unparsed = {Path(e.path).name: e.unparsed_bytes > 0 for e in report.files if e.language in ("c", "cpp")}
        assert {
            "broken.c": True,
            "comments_strings.c": False,
            "mixed_v1_v2.c": False,
            "rip_v1.c": False,
            "route_table.cpp": False,
            "rtm_wrappers.h": False,
            "wrapper_macros.c": False,
        } == unparsed

    def test_the_broken_file_says_what_was_recovered(self, report: ScanReport) -> None:
        """broken.c's coverage line counts its unreadable bytes, the tokens the parser invented and the sites
        recovered from those regions; the count matches its findings' reasons."""
        entry = next(e for e in report.files if e.path == "./broken.c")
        recovered = sum(1 for f in report.findings if f.path == "./broken.c" and "could not parse" in f.reason)
        assert (True, True, recovered) == (entry.unparsed_bytes > 0, entry.missing_tokens > 0, entry.recovered_sites)
        assert f"{recovered} site(s) recovered from them" in entry.coverage
        assert recovered > 0

    def test_languages(self, report: ScanReport) -> None:
        """.c and .h are read as C, .cpp as C++, build files as text."""
        languages = {Path(e.path).name: e.language for e in report.files}
        assert ("c", "c", "cpp", "build", "build") == (
            languages["rip_v1.c"],
            languages["rtm_wrappers.h"],
            languages["route_table.cpp"],
            languages["rip.vcxproj"],
            languages["Makefile"],
        )
