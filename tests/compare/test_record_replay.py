"""Recorder and replay: a recorded workload replays to identical results on the same backend, mapping logs replay,
and the recorder writes what a replay needs (events, time, notes for what cannot be recorded)."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest

import rtmcompat
import v2model
from rtmcompat import NO_ERROR, PROTO_IP_RIP, RTM_PROTOCOL_FAMILY_IP
from rtmcompat.trace import Call, Header, Note, Recorder, TraceError, read, replay

from .support import REGISTER_RIP, call, header, hostbits, line, mapping_log, older_log, plain, record, route, tie


def _backend(kind: str, priority: dict[int, int] | None = None) -> Any:
    clock = v2model.ManualClock()
    if kind == "shim":
        return rtmcompat.V1Shim(v2model.RoutingTableManager(clock=clock), protocol_priority=priority)
    return rtmcompat.V1Reference(clock=clock, protocol_priority=priority)


class TestRoundTrip:
    @pytest.mark.parametrize("workload", [plain, tie, hostbits])
    @pytest.mark.parametrize("backend", ["reference", "shim"])
    def test_recorded_replays_identically_on_the_same_backend(self, workload: Any, backend: str) -> None:
        """Record a workload on a backend, replay it on a fresh one of the same kind: every call's observed result
        equals the recorded one, handles, flags, routes and timestamps included."""
        records = read(record(workload, backend=backend, priority={PROTO_IP_RIP: 120}))
        items = replay(records, _backend(backend, {PROTO_IP_RIP: 120}))
        assert sum(isinstance(r, Call) for r in records) == len(items)
        assert [] == [item for item in items if item.recorded != item.observed]

    def test_replay_returns_trace_json_forms(self) -> None:
        """Each item is (call index, recorded, observed) with statuses by name and handles by symbolic name."""
        items = replay(read(record(plain)), _backend("reference"))
        first = items[0]
        assert 1 == first.call
        expected = {"status": {"value": 0, "name": "NO_ERROR"}, "out": {"ClientHandle": "client:RIP#1"}}
        assert expected == first.observed == first.recorded

    def test_replay_shows_a_different_backend(self) -> None:
        """Replaying a reference recording on the shim shows the host-bits call differently (and nothing raises)."""
        items = replay(read(record(hostbits)), _backend("shim"))
        differing = [item.call for item in items if item.recorded != item.observed]
        assert 4 == differing[0]
        assert {"value": 87, "name": "ERROR_INVALID_PARAMETER"} == items[3].observed["status"]

    def test_replay_advances_the_clock(self) -> None:
        """Advance records and each call's time move the backend's ManualClock (routes age on replay)."""
        clock = v2model.ManualClock()
        records = read(record(plain))
        replay(records, rtmcompat.V1Reference(clock=clock))
        assert 31_000 == clock.now_ms()

    def test_unbound_at_replay_is_an_invalid_handle(self) -> None:
        """A name the recording bound but the backend did not return (its registration failed) is passed as an
        object no API accepts: ERROR_INVALID_HANDLE, no exception."""
        lines = [header(), REGISTER_RIP, call("RtmDeregisterClient", {"ClientHandle": "client:RIP#1"})]
        reference = _backend("reference")
        reference.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, 0)  # the protocol is taken
        items = replay(read(lines), reference)
        assert [183, 6] == [item.observed["status"]["value"] for item in items]

    def test_a_raising_api_is_reported(self) -> None:
        """A user's V1Api that raises shows as ``raised`` in the observed result."""

        class Broken:
            def RtmGetNetworkCount(self, ProtocolFamily: int) -> Any:
                raise RuntimeError("boom")

        items = replay(read([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 1})]), Broken())
        assert {"status": None, "out": None, "raised": "RuntimeError: boom"} == items[0].observed


class TestRecorder:
    def test_results_are_returned_unchanged(self) -> None:
        """The recorder returns exactly what the backend returned (the same objects)."""

        class Fixed:
            result = rtmcompat.NetworkCountResult(NO_ERROR, 7)

            def RtmGetNetworkCount(self, ProtocolFamily: int) -> Any:
                return self.result

        sink = io.StringIO()
        api = Fixed()
        with Recorder(api, sink) as recorder:
            assert api.result is recorder.RtmGetNetworkCount(1)
        records = read(sink.getvalue().splitlines())
        assert ("none", (7,)) == (records[0].clock, records[1].out)  # type: ignore[union-attr]

    def test_a_recorder_is_a_v1api(self) -> None:
        """The recorder has every v1 method with the C signatures: it satisfies the V1Api protocol."""
        with Recorder(_backend("reference"), io.StringIO()) as recorder:
            assert isinstance(recorder, rtmcompat.V1Api)

    def test_header_carries_priorities_and_clock(self) -> None:
        """The header holds the priorities given and the ManualClock's time when recording began."""
        clock = v2model.ManualClock(start_ms=500)
        sink = io.StringIO()
        Recorder(rtmcompat.V1Reference(clock=clock), sink, protocol_priority={8: 120}).close()
        head = read(sink.getvalue().splitlines())[0]
        assert Header({"tool": "rtmcompat", "version": rtmcompat.__version__, "backend": "V1Reference"},
                      {8: 120}, "manual", 500, None, 1, False) == head  # fmt: skip

    def test_events_are_recorded(self) -> None:
        """Event records follow the call after which a client's event changed state."""
        lines = record(tie)
        events = [json.loads(x) for x in lines if '"type":"event"' in x]
        assert {"type": "event", "client": "client:OSPF#2", "state": "set"} == events[0]
        assert "reset" in {e["state"] for e in events}

    def test_unrepresentable_arguments_become_notes(self) -> None:
        """A call no C caller could make (a negative TimeToLive, a string as route) is forwarded and written as a
        note, so the trace stays readable."""

        def workload(api: Any, advance: Any) -> None:
            _, rip = api.RtmRegisterClient(1, PROTO_IP_RIP, None, 0)
            assert 87 == api.RtmAddRoute(rip, route("10.0.0.0/8"), -1).status
            assert 87 == api.RtmAddRoute(rip, "10.0.0.0/8", 60).status
            assert 6 == api.RtmDeregisterClient(object()).status

        records = read(record(workload))
        notes = [r.text for r in records if isinstance(r, Note)]
        assert 2 == len(notes)
        assert "TimeToLive=-1 is not a DWORD" in notes[0]
        last = records[-1]
        assert isinstance(last, Call)
        assert last.args[0].startswith("foreign:")

    def test_writes_to_a_path_and_closes_it(self, tmp_path: Path) -> None:
        """With a path the recorder opens, writes and closes the file; calls after close are refused."""
        target = tmp_path / "t.jsonl"
        recorder = Recorder(_backend("reference"), target)
        recorder.RtmGetNetworkCount(1)
        recorder.close()
        recorder.close()
        assert 2 == len(read(target))
        with pytest.raises(ValueError, match="closed"):
            recorder.RtmGetNetworkCount(1)

    def test_advance_needs_a_manual_clock(self) -> None:
        """advance() without a clock that can move is a TypeError; negative time a ValueError."""

        class NoClock:
            pass

        with Recorder(NoClock(), io.StringIO()) as recorder, pytest.raises(TypeError):
            recorder.advance(5)
        with (
            Recorder(_backend("reference"), io.StringIO()) as recorder,
            pytest.raises(ValueError, match="non-negative"),
        ):
            recorder.advance(-5)

    def test_threads_record_in_call_order(self) -> None:
        """Calls from several threads are numbered and written in the order they took effect, each with its
        thread's name."""
        sink = io.StringIO()
        recorder = Recorder(_backend("reference"), sink)

        def worker(n: int) -> None:
            for _ in range(50):
                recorder.RtmGetNetworkCount(n % 2)

        threads = [threading.Thread(target=worker, args=(n,), name=f"w{n}") for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        recorder.close()
        calls = [r for r in read(sink.getvalue().splitlines()) if isinstance(r, Call)]
        assert list(range(1, 201)) == [c.seq for c in calls]
        assert {"w0", "w1", "w2", "w3"} == {c.thread for c in calls}


class TestMappingLogs:
    def test_an_older_mapping_log_replays(self) -> None:
        """A JSON mapping log as V1Shim wrote it before the log became a trace (no seq, time or outputs) reads as a
        trace, says that its clock steps are lost, and replays on the shim with the recorded statuses up to the first
        step of time."""
        lines = older_log(mapping_log(plain))
        records = read(lines)
        assert records[0].mapping_log  # type: ignore[union-attr]
        assert any("no time_ms" in r.text for r in records if isinstance(r, Note))
        items = replay(records, _backend("shim"))
        assert sum('"rtm.v1_call"' in x for x in lines) == len(items)
        time_moved = next(r.call for r in records if isinstance(r, Call) and r.function == "RtmGetNetworkCount")
        differing = [i.call for i in items if i.recorded["status"] != i.observed["status"]]
        assert differing
        assert time_moved < min(differing)

    def test_a_current_mapping_log_replays_as_recorded(self) -> None:
        """A mapping log as V1Shim writes it now replays on a shim exactly as recorded, clock steps, outputs and the
        protocol priorities (recovered from the registrations' ``priority``) included."""
        priority = {PROTO_IP_RIP: 120}
        records = read(mapping_log(plain, priority))
        recovered = records[0].protocol_priority  # type: ignore[union-attr]
        assert priority == {protocol: value for protocol, value in recovered.items() if value}
        items = replay(records, _backend("shim", priority))
        assert [] == [i.call for i in items if i.recorded != i.observed]

    def test_old_log_enumeration_handles_are_matched_in_order(self) -> None:
        """Logs without outputs name an enumeration handle only where it is used: the reader binds it to the
        earliest unnamed successful RtmCreateEnumerationHandle, and so does the replay."""
        lines = older_log(mapping_log(plain))
        uses = [json.loads(x) for x in lines if "RtmEnumerateGetNextRoute" in x]
        assert [0, 6] == [u["status"] for u in uses]
        records = read(lines)
        wanted = {r.call for r in records if isinstance(r, Call) and r.function == "RtmEnumerateGetNextRoute"}
        items = replay(records, _backend("reference"))
        assert [0, 6] == [i.observed["status"]["value"] for i in items if i.call in wanted]

    def test_a_log_with_the_new_keys_replays_with_time_and_outputs(self) -> None:
        """A log with seq, time_ms, status_name, out and aging events (the extended rtm.v1_call event) replays
        with its clock steps and compares outputs too."""

        def event(**fields: Any) -> str:
            return line({"level": "info", "timestamp": "2024-01-01T00:00:00Z", "logger": "app", **fields})

        net = {"N_NetNumber": "10.1.0.0", "N_NetMask": "255.255.0.0"}
        hop = {"N_NetNumber": "192.0.2.1", "N_NetMask": "255.255.255.255"}
        given = {"RR_InterfaceID": 1, "RR_Network": net, "RR_NextHopAddress": hop,
                 "RR_FamilySpecificData": {"FSD_Metric": 2}}  # fmt: skip
        stored = {**given, "RR_TimeStamp": 116444736000000000 + 1000 * 10_000, "RR_RoutingProtocol": 8,
                  "RR_ProtocolSpecificData": {"PSD_Data": [0, 0, 0, 0]}}  # fmt: skip
        lines = [
            event(event="app.start"),
            event(event="rtm.v1_call", v1="RtmRegisterClient", seq=1, time_ms=1000, thread="MainThread",
                  args={"ProtocolFamily": 1, "RoutingProtocol": 8, "ChangeEvent": "<event>", "Flags": 0},
                  status=0, status_name="NO_ERROR", out={"ClientHandle": "<client RIP#4>"},
                  v2=[{"call": "RtmRegisterEntity", "count": 1, "failed": 0}], client="<client RIP#4>"),
            event(event="rtm.v1_call", v1="RtmAddRoute", seq=2, time_ms=1000, thread="MainThread",
                  args={"ClientHandle": "<client RIP#4>", "Route": given, "TimeToLive": 5}, status=0,
                  status_name="NO_ERROR", out={"Flags": 1, "CurBestRoute": stored, "PrevBestRoute": None}, v2=[],
                  client="<client RIP#4>"),
            event(event="rtm.v1_aging", time_ms=6000, routes=[{"client": "<client RIP#4>", "Route": stored}], v2=[]),
            event(event="rtm.v1_call", v1="RtmDequeueRouteChangeMessage", seq=3, time_ms=6000,
                  args={"ClientHandle": "<client RIP#4>"}, status=0, status_name="NO_ERROR",
                  out={"Flags": 2, "CurBestRoute": None, "PrevBestRoute": stored}, v2=[], client="<client RIP#4>"),
            event(event="rtm.v1_call", v1="RtmDeleteRoute", seq=4, time_ms=6000,
                  args={"ClientHandle": "<client RIP#4>", "Route": given}, status=259,
                  status_name="ERROR_NO_SUCH_ROUTE", reason="no such route", out={"Flags": None, "CurBestRoute": None},
                  v2=[], client="<client RIP#4>"),
        ]  # fmt: skip
        records = read(lines)
        assert ("manual", 1000) == (records[0].clock, records[0].start_ms)  # type: ignore[union-attr]
        for backend in ("reference", "shim"):
            items = replay(records, _backend(backend))
            assert [] == [i.call for i in items if i.recorded != i.observed], backend

    def test_a_log_without_calls_is_not_a_trace(self) -> None:
        """A JSON log holding no rtm.v1_call event is refused."""
        with pytest.raises(TraceError, match=r"without rtm\.v1_call"):
            read([line({"event": "app.start"})])

    def test_a_log_with_a_non_json_line_names_it(self) -> None:
        """A stray text line in a mapping log is an error naming its line."""
        lines = [*mapping_log(plain)[:3], "Traceback (most recent call last):"]
        with pytest.raises(TraceError, match="line 4"):
            read(lines)
