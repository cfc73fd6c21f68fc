"""`rtmcompat plan` on scan reports: the sites it counts in the scanner's test corpus (per function, file and
module), what it lists without counting, the effort formula, the porting order and the reconciliation of sources
with traces (M-PLAN-SITES, M-PLAN-EFFORT, M-PLAN-ORDER, M-PLAN-RECONCILE)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rtmcompat import MAPPINGS
from rtmcompat._plan_steps import STEPS
from rtmcompat.plan import build_plan, plan_json
from rtmcompat.scan import report_json, scan

from .support import CORPUS, EXAMPLES

#: The sites of the corpus (M-PLAN-SITES), by file: (line, v1 function, site kind, confidence). Calls are sites;
#: so are the names in .def files and a member of a function's name (references), whole-name strings (dynamic)
#: and each v1 function a user macro reaches (macro uses). Wrapper calls, names inside longer strings, the
#: undocumented export and the suppressed RtmGetRouteAge are not.
SITES: dict[str, list[tuple[int, str, str, str]]] = {
    "broken.c": [
        (20, "RtmAddRoute", "call", "medium"),
        (27, "RtmBlockDeleteRoutes", "call", "medium"),
        (39, "RtmDequeueRouteChangeMessage", "call", "medium"),
        (56, "RtmGetFirstRoute", "call", "medium"),
        (59, "RtmDeregisterClient", "call", "medium"),
        (66, "RtmDeleteRoute", "call", "low"),
    ],
    "build/ripshim.def": [(6, "RtmAddRoute", "reference", "high"), (6, "RtmAddRoute", "reference", "high")],
    "comments_strings.c": [(14, "RtmAddRoute", "dynamic", "medium"), (27, "RtmAddRoute", "dynamic", "medium")],
    "mixed_v1_v2.c": [
        (36, "RtmRegisterClient", "call", "high"),
        (64, "RtmAddRoute", "call", "high"),
        (71, "RtmDeregisterClient", "call", "high"),
    ],
    "rip_v1.c": [
        (26, "RtmRegisterClient", "call", "high"),
        (54, "RtmAddRoute", "call", "high"),
        (61, "RtmDeleteRoute", "call", "high"),
        (75, "RtmDequeueRouteChangeMessage", "call", "high"),
        (98, "RtmCreateEnumerationHandle", "call", "high"),
        (102, "RtmEnumerateGetNextRoute", "call", "high"),
        (108, "RtmCloseEnumerationHandle", "call", "high"),
        (116, "RtmGetFirstRoute", "call", "high"),
        (118, "RtmGetNextRoute", "call", "high"),
        (126, "RtmGetNetworkCount", "call", "high"),
        (129, "RtmGetSpecificRoute", "call", "high"),
        (132, "RtmIsRoute", "call", "high"),
        (138, "RtmLookupIPDestination", "call", "high"),
        (147, "RtmBlockDeleteRoutes", "call", "high"),
        (163, "RtmDeregisterClient", "call", "high"),
    ],
    "route_table.cpp": [
        (16, "RtmAddRoute", "call", "high"),
        (30, "RtmGetFirstRoute", "call", "high"),
        (33, "RtmGetNextRoute", "call", "high"),
        (41, "RtmDeleteRoute", "reference", "medium"),
        (47, "RtmDeleteRoute", "call", "medium"),
        (54, "RtmRegisterClient", "call", "high"),
    ],
    "rtm_wrappers.h": [
        (11, "RtmAddRoute", "call", "high"),
        (13, "RtmDeleteRoute", "call", "high"),
        (14, "RtmAddRoute", "macro-use", "high"),
        (14, "RtmDeleteRoute", "macro-use", "high"),
        (16, "RtmEnumerateGetNextRoute", "reference", "high"),
    ],
    "wrapper_macros.c": [
        (11, "RtmAddRoute", "macro-use", "high"),
        (18, "RtmAddRoute", "macro-use", "high"),
        (18, "RtmDeleteRoute", "macro-use", "high"),
        (28, "RtmEnumerateGetNextRoute", "macro-use", "high"),
    ],
}

#: The effort factors as docs/behaviour.md M-PLAN-EFFORT states them.
KIND = {"call": (1.0, 1.0), "dynamic": (1.0, 1.0), "reference": (0.5, 1.0), "macro-use": (0.0, 1.0)}
CONFIDENCE = {"high": (1.0, 1.0), "medium": (0.5, 1.0), "low": (0.0, 1.0)}
WEIGHT = {m.v1: (m.effort, 1.5 if m.manual else 1.0) for m in MAPPINGS}


def _relative(path: str) -> str:
    return Path(path).relative_to(CORPUS).as_posix()


def _write(tmp: Path, name: str, document: dict[str, Any]) -> str:
    path = tmp / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The corpus scanned as `rtmcompat scan --format json` would write it."""
    return _write(tmp_path_factory.mktemp("scan"), "scan.json", report_json(scan([str(CORPUS)])))


@pytest.fixture(scope="module")
def corpus_plan(corpus_report: str) -> dict[str, Any]:
    """The plan of the corpus report alone."""
    return plan_json(build_plan([corpus_report]))


def _finding(symbol: str, kind: str = "call", line: int = 1, **more: Any) -> dict[str, Any]:
    """A scan finding with only the keys the scan report's documented shape fixes, plus ``more``."""
    return {
        "path": "src/a.c",
        "line": line,
        "column": 5,
        "api": "rtmv1",
        "symbol": symbol,
        "kind": kind,
        "function": "f",
        "level": "warning",
        "confidence": "high",
        **more,
    }


def _report(*findings: dict[str, Any]) -> dict[str, Any]:
    return {"findings": list(findings), "files": [{"path": "src/a.c"}], "summary": {}}


class TestCorpusSites:
    def test_every_site(self, corpus_plan: dict[str, Any]) -> None:
        """The plan counts exactly the corpus's sites, each with its kind and confidence."""
        actual: dict[str, list[tuple[int, str, str, str]]] = {}
        for site in corpus_plan["sources"]["sites"]:
            entry = (site["line"], site["v1"], site["kind"], site["confidence"])
            actual.setdefault(_relative(site["path"]), []).append(entry)
        assert {k: sorted(v) for k, v in SITES.items()} == {k: sorted(v) for k, v in actual.items()}

    def test_per_function(self, corpus_plan: dict[str, Any]) -> None:
        """Sites, site kinds and files per v1 function follow from the sites."""
        sites: dict[str, Counter[str]] = {}
        files: dict[str, set[str]] = {}
        for path, entries in SITES.items():
            for _, v1, kind, _ in entries:
                sites.setdefault(v1, Counter())[kind] += 1
                files.setdefault(v1, set()).add(path)
        expected = {v1: (sum(c.values()), dict(c), len(files[v1])) for v1, c in sites.items()}
        actual = {
            r["function"]: (r["sites"], r["sites_by_kind"], r["files"]) for r in corpus_plan["functions"] if r["sites"]
        }
        assert expected == actual

    def test_per_file_and_module(self, corpus_plan: dict[str, Any]) -> None:
        """Per file: sites and sites per function; per module (the file's directory): files, sites, functions."""
        files = {path: Counter(v1 for _, v1, _, _ in entries) for path, entries in SITES.items()}
        modules: dict[str, tuple[int, Counter[str]]] = {}
        for path, counts in files.items():
            module = str(Path("corpus", path).parent)
            seen, total = modules.get(module, (0, Counter()))
            modules[module] = (seen + 1, total + counts)
        sources = corpus_plan["sources"]
        assert {p: dict(c) for p, c in files.items()} == {
            _relative(f["path"]): f["functions"] for f in sources["files"]
        }
        assert {m: (n, sum(c.values()), dict(c)) for m, (n, c) in modules.items()} == {
            str(Path("corpus") / Path(m["module"]).relative_to(CORPUS)): (m["files"], m["sites"], m["functions"])
            for m in sources["modules"]
        }

    def test_what_is_listed_but_not_counted(self, corpus_plan: dict[str, Any]) -> None:
        """Wrapper calls, names inside longer strings, the undocumented export (a blocker) and the suppressed
        finding are listed with their places; none is a site."""
        sources = corpus_plan["sources"]

        def places(items: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
            return [(_relative(i["path"]), i["line"], i["symbol"]) for i in items]

        assert [
            ("rip_v1.c", 153, "RipStartProtocol"),
            ("rip_v1.c", 155, "RipAddRoute"),
            ("route_table.cpp", 56, "Add"),
            ("wrapper_macros.c", 40, "RipAddStatic"),
            ("wrapper_macros.c", 42, "RipMove"),
            ("wrapper_macros.c", 43, "RipCount"),
        ] == places(sources["indirect"])
        assert [("comments_strings.c", 24, "RtmAddRoute"), ("comments_strings.c", 34, "RtmGetFirstRoute")] == places(
            sources["mentions"]
        )
        assert [("comments_strings.c", 15, "RtmBlockConvertRoutesToStatic")] == places(sources["blockers"])
        assert [("rip_v1.c", 103, "RtmGetRouteAge", "the age only filters adverts")] == [
            (*p, i["reason"]) for p, i in zip(places(sources["suppressed"]), sources["suppressed"], strict=True)
        ]

    def test_blockers_come_first_in_the_checklist(self, corpus_plan: dict[str, Any]) -> None:
        """The undocumented export is the first work item, pointing at MIGRATION.md's section on them."""
        first = corpus_plan["checklist"][0]
        assert ("blocker:RtmBlockConvertRoutesToStatic", None, "MIGRATION.md#undocumented-rtmdll-exports") == (
            first["id"],
            first["step"],
            first["migration"],
        )

    def test_effort_follows_the_documented_formula(self, corpus_plan: dict[str, Any]) -> None:
        """The estimate is the sum over the sites of weight x kind x confidence (x 1.5 for manual work at the
        high end), per function and in total."""
        expected: dict[str, list[float]] = {}
        for entries in SITES.values():
            for _, v1, kind, confidence in entries:
                weight, manual = WEIGHT[v1]
                total = expected.setdefault(v1, [0.0, 0.0])
                total[0] += weight * KIND[kind][0] * CONFIDENCE[confidence][0]
                total[1] += weight * KIND[kind][1] * CONFIDENCE[confidence][1] * manual
        effort = corpus_plan["effort"]
        assert {v1: (lo, hi) for v1, (lo, hi) in expected.items()} == {
            row["function"]: (row["low"], row["high"]) for row in effort["functions"]
        }
        low, high = sum(v[0] for v in expected.values()), sum(v[1] for v in expected.values())
        assert (low, high) == (effort["low"], effort["high"])
        assert (low, high) == (corpus_plan["summary"]["effort"]["low"], corpus_plan["summary"]["effort"]["high"])

    def test_steps_add_up(self, corpus_plan: dict[str, Any]) -> None:
        """Each step's sites and points are the sums over its functions; the steps add up to the whole."""
        rows = {row["function"]: row for row in corpus_plan["effort"]["functions"]}
        sites = {row["function"]: row["sites"] for row in corpus_plan["functions"]}
        for step in corpus_plan["steps"]:
            used = step["functions"]
            assert (sum(sites[f] for f in used), sum(rows[f]["low"] for f in used)) == (step["sites"], step["low"])
        assert corpus_plan["effort"]["high"] == sum(step["high"] for step in corpus_plan["steps"])

    def test_no_traces_no_reconciliation(self, corpus_plan: dict[str, Any]) -> None:
        """Without traces there is nothing to compare the sources with, and the plan says how to get traces."""
        assert (None, None, []) == (corpus_plan["reconciliation"], corpus_plan["differences"], corpus_plan["traces"])
        assert any("No trace was given" in note for note in corpus_plan["notes"])


class TestEffort:
    def test_a_small_plan_by_hand(self, tmp_path: Path) -> None:
        """RtmAddRoute called directly (3, manual: 3 to 4.5), RtmCloseEnumerationHandle at medium confidence (1: 0.5
        to 1), a user macro reaching RtmDeleteRoute (2, manual: 0 to 3), and RtmGetNetworkCount only in a trace
        (one assumed site, 2: 2 to 2): 5.5 to 10.5 points."""
        report = _report(
            _finding("RtmAddRoute", line=1),
            _finding("RtmCloseEnumerationHandle", line=2, confidence="medium"),
            _finding("MY_DELETE", kind="macro", line=3, via=["RtmDeleteRoute"]),
        )
        trace = tmp_path / "count.jsonl"
        header = {"type": "header", "format": "rtmcompat-trace", "version": 1, "api": "rtmv1", "recorder": {}}
        call = {"type": "call", "function": "RtmGetNetworkCount", "args": {"ProtocolFamily": 1}, "status": 0}
        trace.write_text(
            json.dumps(header | {"protocol_priority": {}, "clock": {"kind": "manual", "start_ms": 0}})
            + "\n"
            + json.dumps(call)
            + "\n"
        )
        document = plan_json(build_plan([_write(tmp_path, "scan.json", report), str(trace)]))
        rows = {r["function"]: (r["sites"], r["low"], r["high"]) for r in document["effort"]["functions"]}
        assert {
            "RtmAddRoute": ({"call": 1}, 3.0, 4.5),
            "RtmCloseEnumerationHandle": ({"call": 1}, 0.5, 1.0),
            "RtmDeleteRoute": ({"macro-use": 1}, 0.0, 3.0),
            "RtmGetNetworkCount": ({"assumed": 1}, 2.0, 2.0),
        } == rows
        assert (5.5, 10.5) == (document["effort"]["low"], document["effort"]["high"])

    def test_traces_alone_assume_one_site_per_function(self) -> None:
        """Without a scan report every function the traces call counts one assumed site, and a note says so."""
        document = plan_json(build_plan([str(EXAMPLES[3])], replay_traces=False))
        expected = {m.v1: m.effort for m in MAPPINGS if m.v1 in document["traces"][0]["functions"]}
        assert expected == {r["function"]: r["low"] for r in document["effort"]["functions"]}
        assert all(r["sites"] == {"assumed": 1} for r in document["effort"]["functions"])
        assert any("No scan report was given" in note for note in document["notes"])

    def test_the_formula_and_factors_are_in_the_plan(self, corpus_plan: dict[str, Any]) -> None:
        """The plan carries the formula and every factor it used, so the range can be checked by hand."""
        factors = corpus_plan["effort"]["factors"]
        assert (
            {k: (v["low"], v["high"]) for k, v in factors["kind"].items()},
            {k: (v["low"], v["high"]) for k, v in factors["confidence"].items()},
            (factors["manual"]["low"], factors["manual"]["high"]),
        ) == ({**KIND, "assumed": (1.0, 1.0)}, CONFIDENCE, (1.0, 1.5))
        assert "weight x kind_low x confidence_low" in corpus_plan["effort"]["formula"]


class TestOrder:
    def test_every_function_belongs_to_exactly_one_step(self) -> None:
        """The five steps of MIGRATION.md's porting order partition the mapping table's functions."""
        placed = [function for step in STEPS for function in step.functions]
        assert (sorted(m.v1 for m in MAPPINGS), len(placed)) == (sorted(placed), len(set(placed)))

    def test_steps_are_in_porting_order(self, corpus_plan: dict[str, Any]) -> None:
        """Registration, routes, enumeration, notification, cleanup; the checklist follows the same order."""
        names = ["registration", "routes", "enumeration", "notification", "cleanup"]
        assert names == [step["name"] for step in corpus_plan["steps"]]
        order = [item["step"] for item in corpus_plan["checklist"] if item["step"] is not None]
        assert order == sorted(order, key=names.index)


class TestReconciliation:
    def test_each_side_alone(self, tmp_path: Path) -> None:
        """Functions only in the traces (with their string mentions), only in the sources, and paths the sources
        handle that no trace takes."""
        report = _report(
            _finding("RtmAddRoute", line=1),
            _finding("RtmGetRouteAge", line=2),
            _finding("ERROR_NO_SUCH_ROUTE", kind="constant", line=3),
            _finding("RtmRegisterClient", kind="string", line=4, level="note", confidence="low"),
        )
        document = plan_json(build_plan([_write(tmp_path, "scan.json", report), str(EXAMPLES[3])]))
        reconciliation = document["reconciliation"]
        traced = ["RtmRegisterClient", "RtmDeregisterClient", "RtmDequeueRouteChangeMessage"]
        traced += ["RtmGetNetworkCount", "RtmBlockDeleteRoutes"]
        assert (traced, [{"path": "src/a.c", "line": 4, "column": 5}]) == (
            [row["function"] for row in reconciliation["only_in_traces"]],
            reconciliation["only_in_traces"][0]["mentions"],
        )
        assert [{"function": "RtmGetRouteAge", "sites": 1, "files": 1}] == reconciliation["only_in_sources"]
        assert [{"id": "no-such-route", "title": "ERROR_NO_SUCH_ROUTE", "in_sources": 1}] == reconciliation[
            "paths_not_reached"
        ]

    def test_a_suppressed_site_explains_a_traced_function(self, corpus_report: str) -> None:
        """RtmGetRouteAge is called by agent.jsonl and silenced in rip_v1.c: the plan names the silenced site and
        its reason instead of guessing at dynamic loading."""
        document = plan_json(build_plan([corpus_report, str(EXAMPLES[0])], replay_traces=False))
        (row,) = [r for r in document["reconciliation"]["only_in_traces"] if r["function"] == "RtmGetRouteAge"]
        assert [("rip_v1.c", 103, "the age only filters adverts")] == [
            (_relative(s["path"]), s["line"], s["reason"]) for s in row["suppressed"]
        ]
        item = next(i for i in document["checklist"] if i["id"] == "port:RtmGetRouteAge")
        assert [("rip_v1.c", 103)] == [(_relative(s["path"]), s["line"]) for s in item["sites"]]

    def test_notes_say_what_the_counts_miss(self, tmp_path: Path) -> None:
        """A report scanned with --baseline (only new findings), files the scan skipped, and files parsed only in
        part are each named in a note."""
        report = _report(_finding("RtmAddRoute"))
        report["files"] = [
            {"path": "src/a.c", "status": "scanned", "unparsed_bytes": 40, "recovered_sites": 2},
            {"path": "src/blob.c", "status": "skipped", "reason": "binary"},
        ]
        report["summary"] = {"baseline": {"path": "old.sarif", "known_findings": 3}}
        path = _write(tmp_path, "scan.json", report)
        notes = plan_json(build_plan([path]))["notes"]
        assert [True, True, True] == [
            any(f"{path} was scanned with --baseline old.sarif" in n for n in notes),
            any("1 file(s) named in the scan reports were not scanned (src/blob.c)" in n for n in notes),
            any("1 file(s) were parsed only in part (src/a.c); 2 site(s) were recovered" in n for n in notes),
        ]

    def test_the_same_place_in_two_reports_counts_once(self, tmp_path: Path) -> None:
        """Two reports of the same sources do not double the counts."""
        report = _report(_finding("RtmAddRoute", line=1), _finding("RtmDeleteRoute", line=2))
        first, second = _write(tmp_path, "a.json", report), _write(tmp_path, "b.json", report)
        document = plan_json(build_plan([first, second]))
        assert (2, 2) == (document["summary"]["sites"], len(document["inputs"]))
