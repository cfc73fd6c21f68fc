"""rtmcompat.compare: verdicts, classification against the registry, consequences, checkpoints and the reports."""

from __future__ import annotations

import importlib
import json
import threading
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from rtmcompat import IP_NETWORK, PROTO_IP_OSPF, PROTO_IP_RIP, RTMCOMPAT_READER_PROTOCOL, ip_address
from rtmcompat._registry import Registry, default_registry
from rtmcompat._report_junit import junit_report
from rtmcompat._report_text import markdown_report, text_report
from rtmcompat.compare import Report, TraceResult, compare, compare_trace

from .support import REGISTER_RIP, call, header, hostbits, plain, record, route, tie

#: jsonschema ships no type stubs; reached through importlib it is typed Any.
jsonschema: Any = importlib.import_module("jsonschema")


def _roots(result: TraceResult) -> list[tuple[int, str, str, str | None]]:
    return [(d.call, d.function, d.kind, d.id) for d in result.differences if d.kind != "consequence"]


def _registry(tmp_path: Path, text: str) -> Registry:
    target = tmp_path / "differences.toml"
    target.write_text(text, encoding="utf-8")
    return Registry.load(target)


class TestVerdicts:
    def test_identical(self) -> None:
        """A workload both backends agree on is identical, with every call counted and no difference."""
        result = compare_trace(record(plain))
        assert ("identical", 28, []) == (result.verdict, result.calls, result.differences)

    def test_tie_is_expected(self) -> None:
        """Equal-cost successors: the delete that removes the best route differs in CurBestRoute only and is
        RTMC-TIE; what follows (the other client's message) is its consequence."""
        result = compare_trace(record(tie))
        assert "expected" == result.verdict
        assert [(7, "RtmDeleteRoute", "expected", "RTMC-TIE")] == _roots(result)
        first = result.differences[0]
        assert ("CurBestRoute",) == first.fields
        consequences = [d for d in result.differences if d.kind == "consequence"]
        assert consequences
        assert {7} == {d.cause for d in consequences}
        assert {"RTMC-TIE"} == {d.id for d in consequences}

    def test_host_bits_are_expected(self) -> None:
        """A host-bits network: the add is RTMC-HOSTBITS; RtmIsRoute on that network, the count, the lookup and the
        other client's messages follow from it."""
        result = compare_trace(record(hostbits))
        assert "expected" == result.verdict
        assert {"RTMC-HOSTBITS"} == {d.id for d in result.differences}
        kinds = {(d.function, d.kind) for d in result.differences}
        assert ("RtmAddRoute", "expected") in kinds
        assert ("RtmIsRoute", "consequence") in kinds
        assert ("RtmLookupIPDestination", "consequence") in kinds
        assert ("RtmGetNetworkCount", "consequence") in kinds

    @pytest.mark.parametrize(
        ("network", "hop_mask", "ident"),
        [
            (IP_NETWORK(ip_address("10.0.1.0"), ip_address("255.0.255.0")), "255.255.255.255", "RTMC-NONCONTIG"),
            (IP_NETWORK(ip_address("10.1.0.0"), ip_address("255.255.0.0")), "255.0.255.0", "RTMC-NEXTHOP-MASK"),
        ],
    )
    def test_networks_rtmv2_cannot_hold(self, network: IP_NETWORK, hop_mask: str, ident: str) -> None:
        """Non-contiguous masks (of the network or of the next hop) are refused by the shim: known differences."""

        def workload(api: Any, advance: Any) -> None:
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, None, 0)
            given = route(network)
            given.RR_NextHopAddress.N_NetMask = ip_address(hop_mask)
            api.RtmAddRoute(rip, given, 60)

        result = compare_trace(record(workload))
        assert [(2, "RtmAddRoute", "expected", ident)] == _roots(result)

    def test_name_taken_by_the_shims_reader_entity(self) -> None:
        """A client asking for the protocol id of the shim's own reader entity after a client-less call gets
        ERROR_CLIENT_ALREADY_EXISTS on the shim only: RTMC-NAME-TAKEN; the later uses of the handle follow."""

        def workload(api: Any, advance: Any) -> None:
            api.RtmGetNetworkCount(1)
            _, client = api.RtmRegisterClient(1, RTMCOMPAT_READER_PROTOCOL, None, 0)
            api.RtmAddRoute(client, route("10.0.0.0/8"), 60)

        result = compare_trace(record(workload))
        assert [(2, "RtmRegisterClient", "expected", "RTMC-NAME-TAKEN")] == _roots(result)
        assert ("consequence", 2) == (result.differences[1].kind, result.differences[1].cause)

    def test_unexpected_without_a_registry_entry(self, tmp_path: Path) -> None:
        """With an empty registry the same host-bits difference is unexpected, and so is the verdict."""
        result = compare_trace(record(hostbits), registry=_registry(tmp_path, ""))
        assert "unexpected" == result.verdict
        assert "unexpected" == result.differences[0].kind

    def test_error_keeps_what_was_compared(self) -> None:
        """A trace that breaks off: verdict error, the message names the line, the calls before it count."""
        lines = [*record(plain)[:5], '{"type": "call", "function": "RtmFoo"}']
        result = compare_trace(lines)
        assert ("error", 4) == (result.verdict, result.calls)
        assert result.error is not None
        assert "line 6" in result.error
        assert any("could not be read past the error" in n for n in result.notes)


class TestEvents:
    def test_deregistration_leaves_the_clients_event_alone(self) -> None:
        """V1-4.2, V1-A18: the deregistering client's routes go without a message to it and its event stays as
        it was; both backends agree (this pins the V1Reference fix), and the event records show it."""

        def workload(api: Any, advance: Any) -> None:
            event = threading.Event()
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, event, 0)
            _, ospf = api.RtmRegisterClient(1, PROTO_IP_OSPF, threading.Event(), 0)
            api.RtmAddRoute(ospf, route("10.2.0.0/16"), 60)  # RIP is told: its event is set
            api.RtmAddRoute(rip, route("10.1.0.0/16"), 60)
            api.RtmDequeueRouteChangeMessage(rip)  # the last message: the event is reset
            api.RtmDeregisterClient(rip)
            assert not event.is_set()

        assert "identical" == compare_trace(record(workload)).verdict
        assert "identical" == compare_trace(record(workload, backend="shim")).verdict

    def test_event_differences_are_reported(self, tmp_path: Path) -> None:
        """An event state that differs after a call is a difference of aspect ``event`` naming the client."""
        result = compare_trace(record(hostbits), registry=_registry(tmp_path, ""))
        events = [d for d in result.differences if d.aspect == "event"]
        assert events
        assert {"client": "client:NT_STATIC#2", "event": "set"} == events[0].reference
        assert {"client": "client:NT_STATIC#2", "event": "reset"} == events[0].shim


class TestCheckpoints:
    def test_tables_around_the_first_divergence(self) -> None:
        """The first divergence comes with both tables diffed just before (the same) and just after the call
        (the best route of the network differs)."""
        divergence = compare_trace(record(tie)).divergence
        assert divergence is not None
        assert divergence.table_before is not None
        assert divergence.table_before.empty
        assert divergence.table_after is not None
        assert 1 == len(divergence.table_after.best)
        _, reference_best, shim_best = divergence.table_after.best[0]
        assert ip_address("192.0.2.3") == reference_best.RR_NextHopAddress.N_NetNumber
        assert ip_address("192.0.2.9") == shim_best.RR_NextHopAddress.N_NetNumber

    def test_context_lists_the_calls_before(self) -> None:
        """``context`` calls before the first divergence are kept, with both results."""
        divergence = compare_trace(record(tie), context=2).divergence
        assert divergence is not None
        assert [5, 6] == [c.record.call for c in divergence.context]

    def test_end_of_trace_table(self) -> None:
        """A route only the reference holds at the end is a table difference (and the network counts differ)."""

        def workload(api: Any, advance: Any) -> None:
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, None, 0)
            api.RtmAddRoute(rip, route(IP_NETWORK(ip_address("10.1.1.1"), ip_address("255.255.0.0"))), 60)

        result = compare_trace(record(workload))
        table = [d for d in result.differences if d.aspect == "table"]
        assert {"RtmGetNetworkCount", "checkpoint"} == {d.function for d in table}
        assert {"RTMC-HOSTBITS"} == {d.id for d in table}

    def test_table_limit_skips_the_walk(self) -> None:
        """Above the limit the tables are compared by their network counts only, and a note says so."""

        def workload(api: Any, advance: Any) -> None:
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, None, 0)
            api.RtmAddRoute(rip, route("10.0.0.0/8"), 60)

        result = compare_trace(record(workload), table_limit=0)
        assert any("network counts only" in note for note in result.notes)

    def test_queued_messages_are_compared_at_the_end(self, tmp_path: Path) -> None:
        """Messages left queued at the end are drained on both and compared (aspect ``messages``)."""

        def workload(api: Any, advance: Any) -> None:
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, None, 0)
            _, _ospf = api.RtmRegisterClient(1, PROTO_IP_OSPF, threading.Event(), 0)
            api.RtmAddRoute(rip, route(IP_NETWORK(ip_address("10.1.1.1"), ip_address("255.255.0.0"))), 60)

        result = compare_trace(record(workload), registry=_registry(tmp_path, ""))
        messages = [d for d in result.differences if d.aspect == "messages"]
        assert 1 == len(messages)
        assert ("client:OSPF#2", 1, 0) == (messages[0].client, len(messages[0].reference), len(messages[0].shim))


class TestRegistryUse:
    TODO = """
[[difference]]
id = "RTMC-FAKE-BUG"
kind = "todo"
title = "a pretend shim bug on host-bits networks"
when = ["network_has_host_bits"]
functions = ["{function}"]
explanation = "For the test."
"""

    def test_todo_matches_keep_the_verdict_known(self, tmp_path: Path) -> None:
        """A difference a todo entry explains is known: verdict expected, exit status 0."""
        registry = _registry(tmp_path, self.TODO.format(function="RtmAddRoute"))
        result = compare_trace(record(hostbits), registry=registry)
        assert "expected" == result.verdict
        assert [(4, "RtmAddRoute", "todo", "RTMC-FAKE-BUG")] == _roots(result)
        assert 0 == Report([result], registry).exit_status()

    def test_a_fixed_todo_is_reported(self, tmp_path: Path) -> None:
        """A call that meets a todo entry's conditions but shows no difference is reported once as fixed (an
        unexpected difference: remove the entry), like Wine's todo_wine succeeding."""

        def workload(api: Any, advance: Any) -> None:
            api.RtmIsRoute(1, IP_NETWORK(ip_address("10.1.1.1"), ip_address("255.255.0.0")))
            api.RtmIsRoute(1, IP_NETWORK(ip_address("10.1.1.2"), ip_address("255.255.0.0")))

        result = compare_trace(record(workload), registry=_registry(tmp_path, self.TODO.format(function="RtmIsRoute")))
        assert "unexpected" == result.verdict
        assert [(1, "RtmIsRoute", "unexpected", "RTMC-FAKE-BUG")] == _roots(result)
        assert result.differences[0].fixed
        assert "fixed: remove the entry RTMC-FAKE-BUG" in text_report(Report([result], Registry(())))

    def test_used_and_unused_entries(self) -> None:
        """The report lists the ids each trace hit and the observable entries none hit."""
        report = Report([compare_trace(record(tie)), compare_trace(record(plain))], default_registry())
        assert {"RTMC-TIE": 1} == dict(report.used())
        unused = [e.id for e in report.unused()]
        assert "RTMC-HOSTBITS" in unused
        assert "RTMC-TIE" not in unused
        assert "RTMC-V2-SHAPE" not in unused


class TestReports:
    @staticmethod
    def _report(tmp_path: Path) -> Report:
        paths = []
        for name, lines in (("tie", record(tie)), ("plain", record(plain)), ("broken", [header(), "{"])):
            target = tmp_path / f"{name}.jsonl"
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            paths.append(target)
        return compare(paths)

    def test_json_validates_against_the_report_schema(self, tmp_path: Path) -> None:
        """The JSON report has the documented shape and validates against schemas/compare-report-v1.json."""
        data = self._report(tmp_path).json()
        schema = json.loads(resources.files("rtmcompat").joinpath("schemas/compare-report-v1.json").read_text())
        jsonschema.Draft202012Validator(schema).validate(data)
        assert ["expected", "identical", "error"] == [t["verdict"] for t in data["traces"]]
        assert [12, 28, 0] == [t["calls"] for t in data["traces"]]
        first = data["traces"][0]["differences"][0]
        assert {"call": 7, "function": "RtmDeleteRoute", "kind": "expected", "id": "RTMC-TIE"} == {
            k: first[k] for k in ("call", "function", "kind", "id")
        }
        assert 2 == data["exit_status"]

    def test_text_names_statuses_and_flags(self, tmp_path: Path) -> None:
        """The text report shows the first divergence with flags and statuses by name and routes in words, and
        the summary line."""
        text = text_report(self._report(tmp_path))
        assert "first divergence: call 7 RtmDeleteRoute: expected RTMC-TIE: CurBestRoute" in text
        assert "Flags=RTM_ROUTE_CHANGED CurBestRoute=10.1.0.0/16 RIP if 1 via 192.0.2.3" in text
        assert "MIGRATION.md#rtmc-tie" in text
        assert text.rstrip().endswith("3 trace(s): 1 identical, 1 expected, 0 unexpected, 1 error; exit status 2")
        assert "\x1b[" not in text

    def test_markdown(self, tmp_path: Path) -> None:
        """The Markdown report starts with a table of traces and links the known differences."""
        text = markdown_report(self._report(tmp_path))
        assert "| trace | verdict | calls | known differences |" in text
        assert "(MIGRATION.md#rtmc-tie)" in text

    def test_junit(self, tmp_path: Path) -> None:
        """JUnit XML: one test case per trace, an error for the unreadable one, properties with the verdicts."""
        root = ET.fromstring(junit_report(self._report(tmp_path)))
        cases = root.findall("./testsuite/testcase")
        assert 3 == len(cases)
        assert ("3", "0", "1") == (root.get("tests"), root.get("failures"), root.get("errors"))
        assert cases[2].find("error") is not None
        verdicts = [c.find("./properties/property[@name='verdict']").get("value") for c in cases]  # type: ignore[union-attr]
        assert ["expected", "identical", "error"] == verdicts


def test_compare_goes_on_after_an_unreadable_trace(tmp_path: Path) -> None:
    """A missing file is an error verdict; the next trace is still compared (exit status 2)."""
    target = tmp_path / "plain.jsonl"
    target.write_text("\n".join([header(), REGISTER_RIP, call("RtmGetNetworkCount", {"ProtocolFamily": 1})]))
    report = compare([tmp_path / "missing.jsonl", target])
    assert (["error", "identical"], 2) == ([t.verdict for t in report.traces], report.exit_status())


class TestNativeSemantics:
    def test_native_view_counts(self) -> None:
        """--semantics native: v1 sends ADDED, then CHANGED and DELETED for one network at deregistration (both
        with a previous route); a native RTMv2 registration gets that network once per call, without previous
        routes."""

        def workload(api: Any, advance: Any) -> None:
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, threading.Event(), 0)
            _, _ospf = api.RtmRegisterClient(1, PROTO_IP_OSPF, threading.Event(), 0)
            api.RtmAddRoute(rip, route("10.1.0.0/16", "192.0.2.1", 1), 60)
            api.RtmAddRoute(rip, route("10.1.0.0/16", "192.0.2.2", 2), 60)
            api.RtmDeregisterClient(rip)

        view = compare_trace(record(workload), semantics="native").native
        assert view is not None
        totals = (view.calls, view.v1_messages, view.with_previous, view.v2_changes, view.coalesced, view.own_changes)
        assert (5, 3, 2, 2, 1, 1) == totals
        last = view.examples[-1]
        assert (5, ("10.1.0.0/16: no route",)) == (last.call, last.v2)
        assert 2 == len(last.v1)
