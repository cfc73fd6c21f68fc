"""`rtmcompat plan` on the example traces: every number matches the trace files, counted here on their own (plain
JSON, an independent replay of v1 aging and deregistration), and the known differences match `rtmcompat compare`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rtmcompat._registry import Registry
from rtmcompat.compare import compare_trace
from rtmcompat.plan import build_plan, plan_json

from .support import EXAMPLES, ROOT, TraceFacts, facts

CALLS_KEPT = 20


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    """The JSON plan of the four example traces (replayed)."""
    return plan_json(build_plan([str(path) for path in EXAMPLES]))


@pytest.fixture(scope="module")
def trace_facts() -> dict[str, TraceFacts]:
    """The facts of each example trace, by the path the plan names it with."""
    return {str(path): facts(path) for path in EXAMPLES}


def _function(plan: dict[str, Any], name: str) -> dict[str, Any]:
    return next(row for row in plan["functions"] if row["function"] == name)


def _path(plan: dict[str, Any], path_id: str) -> dict[str, Any]:
    return next(row for row in plan["paths"] if row["id"] == path_id)


class TestCalls:
    def test_the_examples_are_there(self) -> None:
        """The four recorded workloads of examples/ are the inputs (the rest of the module relies on them)."""
        assert ["agent.jsonl", "ipx.jsonl", "ospf.jsonl", "rip.jsonl"] == [path.name for path in EXAMPLES]

    def test_calls_per_trace(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Each trace's call count and calls per function are the trace's call records."""
        expected = {path: (f.calls, {n: len(c) for n, c in f.functions.items()}) for path, f in trace_facts.items()}
        actual = {t["path"]: (t["calls"], t["functions"]) for t in plan["traces"]}
        assert expected == actual
        assert sum(f.calls for f in trace_facts.values()) == plan["summary"]["calls"]

    def test_calls_per_function(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Over all traces: calls and the number of traces per v1 function."""
        calls: Counter[str] = Counter()
        traces: Counter[str] = Counter()
        for f in trace_facts.values():
            for name, indices in f.functions.items():
                calls[name] += len(indices)
                traces[name] += 1
        actual = {row["function"]: (row["calls"], row["traces"]) for row in plan["functions"]}
        assert {name: (calls[name], traces[name]) for name in calls} == actual

    def test_statuses_by_name(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Statuses are counted under the name the trace writes (the function's own alias: ERROR_NO_MESSAGES...)."""
        expected: dict[str, Counter[str]] = {}
        for f in trace_facts.values():
            for name, counter in f.statuses.items():
                expected.setdefault(name, Counter()).update(counter)
        assert {n: dict(c) for n, c in expected.items()} == {r["function"]: r["statuses"] for r in plan["functions"]}

    def test_flag_arguments_and_outputs(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Flag-like arguments (families, protocols, events, registration and selection flags, TimeToLive as
        INFINITE or finite) and output Flags are counted by their names."""
        arguments: dict[str, dict[str, Counter[str]]] = {}
        results: dict[str, dict[str, Counter[str]]] = {}
        for f in trace_facts.values():
            for target, source in ((arguments, f.arguments), (results, f.results)):
                for function, table in source.items():
                    for name, counter in table.items():
                        target.setdefault(function, {}).setdefault(name, Counter()).update(counter)

        def plain(table: dict[str, dict[str, Counter[str]]], function: str) -> dict[str, dict[str, int]]:
            return {name: dict(counter) for name, counter in table.get(function, {}).items()}

        for row in plan["functions"]:
            assert (plain(arguments, row["function"]), plain(results, row["function"])) == (
                row["arguments"],
                row["results"],
            )

    def test_port_items_name_the_calls_that_test_them(
        self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]
    ) -> None:
        """Each function's checklist item lists, per trace, how often it is called and its first 20 calls."""
        for item in (i for i in plan["checklist"] if i["id"].startswith("port:")):
            (function,) = item["functions"]
            expected = [
                {"path": path, "count": len(f.functions[function]), "calls": f.functions[function][:CALLS_KEPT]}
                for path, f in trace_facts.items()
                if function in f.functions
            ]
            assert expected == item["tests"]


class TestPaths:
    @pytest.mark.parametrize(
        "path_id",
        [
            "ipx",
            "single-route",
            "no-change-event",
            "client-exists",
            "finite-ttl",
            "no-such-route",
            "no-routes",
            "no-more-routes",
            "more-messages",
            "no-messages",
            "previous-best",
        ],
    )
    def test_paths_read_off_the_calls(
        self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts], path_id: str
    ) -> None:
        """A path read off the call records is counted at exactly the calls that take it, per trace."""
        expected: list[dict[str, Any]] = [
            {"path": path, "count": len(f.paths[path_id]), "calls": f.paths[path_id][:CALLS_KEPT]}
            for path, f in trace_facts.items()
            if f.paths.get(path_id)
        ]
        row = _path(plan, path_id)
        assert (expected, sum(t["count"] for t in expected)) == (row["traces"], row["calls"])

    def test_the_examples_take_the_paths_the_issue_names(self, plan: dict[str, Any]) -> None:
        """The examples exercise ERROR_MORE_MESSAGES, single-route clients, block deletes telling the caller,
        aging and ERROR_NO_ROUTES, so the tests above and below check real counts, not zeros."""
        ids = ("more-messages", "single-route", "block-delete-notifies-caller", "aged-out", "no-routes")
        assert all(_path(plan, path_id)["calls"] for path_id in ids)

    def test_aged_out_routes(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Routes that aged out: the calls at which they did and how many, as v1 aging of the recorded adds and
        deletes at the recorded times gives them."""
        expected: list[dict[str, Any]] = [
            {"path": path, "count": len(f.aged), "calls": sorted(f.aged)[:CALLS_KEPT], "routes": sum(f.aged.values())}
            for path, f in trace_facts.items()
            if f.aged
        ]
        row = _path(plan, "aged-out")
        assert (expected, sum(t["routes"] for t in expected)) == (row["traces"], row["routes"])

    def test_deregistrations_with_routes_left(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Deregistrations that had routes to delete, and how many (what RTMv2 leaves to the port, V1-4.2)."""
        expected = [
            {"path": path, "count": len(f.left), "calls": sorted(f.left), "routes": sum(f.left.values())}
            for path, f in trace_facts.items()
            if f.left
        ]
        assert expected == _path(plan, "deregister-with-routes")["traces"]

    def test_block_deletes_that_tell_the_caller(self, plan: dict[str, Any], trace_facts: dict[str, TraceFacts]) -> None:
        """Block deletes after which the caller's own event is set, as the recorded event records show."""
        expected = [
            {"path": path, "count": len(f.block_told), "calls": f.block_told}
            for path, f in trace_facts.items()
            if f.block_told
        ]
        assert expected == _path(plan, "block-delete-notifies-caller")["traces"]


class TestDifferences:
    def test_known_differences_match_compare(self, plan: dict[str, Any]) -> None:
        """Per trace and id: the differences classified under the id and their consequences, as rtmcompat compare
        reports them; no unexpected difference."""
        expected: dict[tuple[str, str], tuple[int, int]] = {}
        for path in EXAMPLES:
            report = compare_trace(Path(path), path=str(path)).json()
            consequences = Counter(d["id"] for d in report["differences"] if d["kind"] == "consequence")
            for difference_id, hits in report["ids"].items():
                expected[(str(path), difference_id)] = (hits, consequences[difference_id])
        actual = {
            (trace["path"], row["id"]): (trace["count"], trace["consequences"])
            for row in plan["differences"]["known"]
            for trace in row["traces"]
        }
        assert (expected, []) == (actual, plan["differences"]["unexpected"])

    def test_every_registry_entry_of_the_compare_corpus(self) -> None:
        """The compare corpus's traces hit the five observable registry entries between them: the plan counts each
        id per trace as rtmcompat compare does (hits and consequences)."""
        corpus = sorted((ROOT / "tests" / "compare" / "corpus").glob("*.jsonl"))
        document = plan_json(build_plan([str(path) for path in corpus]))
        expected = {}
        for path in corpus:
            report = compare_trace(path, path=str(path)).json()
            consequences = Counter(d["id"] for d in report["differences"] if d["kind"] == "consequence")
            expected.update({(str(path), i): (n, consequences[i]) for i, n in report["ids"].items()})
        actual = {
            (trace["path"], row["id"]): (trace["count"], trace["consequences"])
            for row in document["differences"]["known"]
            for trace in row["traces"]
        }
        ids = {"RTMC-TIE", "RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-NEXTHOP-MASK", "RTMC-NAME-TAKEN"}
        assert (expected, ids) == (actual, {row["id"] for row in document["differences"]["known"]})

    def test_an_unexplained_difference_comes_first(self) -> None:
        """With a registry that knows nothing, the tie trace's difference is unexpected: the plan counts it apart
        and the checklist opens with it."""
        path = str(ROOT / "tests" / "compare" / "corpus" / "expected-tie-handmade.jsonl")
        document = plan_json(build_plan([path], registry=Registry(entries=())))
        first = document["checklist"][0]
        assert ([], 1, f"unexpected:{path}", [{"path": path, "count": 1, "calls": [5]}]) == (
            document["differences"]["known"],
            document["summary"]["unexpected_differences"],
            first["id"],
            first["tests"],
        )

    def test_the_examples_hit_known_differences(self, plan: dict[str, Any]) -> None:
        """rip.jsonl hits RTMC-TIE at call 136 and agent.jsonl RTMC-HOSTBITS at call 12 (the examples' own
        docstrings say so), each once."""
        known = {row["id"]: [(t["path"], t["calls"]) for t in row["traces"]] for row in plan["differences"]["known"]}
        rip, agent = str(EXAMPLES[3]), str(EXAMPLES[0])
        assert {"RTMC-TIE": [(rip, [136])], "RTMC-HOSTBITS": [(agent, [12])]} == known

    def test_difference_items_link_the_registry_anchor(self, plan: dict[str, Any]) -> None:
        """Each difference hit is a checklist item pointing at its section of MIGRATION.md, tested by the calls
        that hit it."""
        items = {i["id"]: i for i in plan["checklist"] if i["id"].startswith("difference:")}
        expected = {
            "difference:RTMC-TIE": ("MIGRATION.md#rtmc-tie", [{"path": str(EXAMPLES[3]), "count": 1, "calls": [136]}]),
            "difference:RTMC-HOSTBITS": (
                "MIGRATION.md#rtmc-hostbits",
                [{"path": str(EXAMPLES[0]), "count": 1, "calls": [12]}],
            ),
        }
        assert expected == {key: (item["migration"], item["tests"]) for key, item in items.items()}


class TestNoReplay:
    def test_without_replay_the_replayed_counts_are_null(self) -> None:
        """--no-replay: no differences section, and paths that need a replay report null rather than 0; the
        paths read off the calls keep their counts."""
        document = plan_json(build_plan([str(EXAMPLES[3])], replay_traces=False))
        paths = {row["id"]: row["calls"] for row in document["paths"]}
        replayed = ("aged-out", "block-delete-notifies-caller", "deregister-with-routes")
        assert (None, False, [None] * 3) == (
            document["differences"],
            document["replayed"],
            [paths[path_id] for path_id in replayed],
        )
        assert 20 == paths["more-messages"]
