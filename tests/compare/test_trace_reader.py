"""Reading traces: every record type, the value encodings, and a clear TraceError for every malformed input."""

from __future__ import annotations

import importlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import rtmcompat
from rtmcompat import IP_NETWORK, IPX_NETWORK, RTM_IP_ROUTE, RTM_IPX_ROUTE, ip_address
from rtmcompat._trace_codec import OPTIONAL, PARAMS, RESULTS
from rtmcompat.trace import Advance, Call, Event, Header, Note, TraceError, read

from .support import REGISTER_RIP, call, header, hostbits, line, plain, record, tie

#: jsonschema ships no type stubs; reached through importlib it is typed Any.
jsonschema: Any = importlib.import_module("jsonschema")


def _schema() -> Any:
    text = resources.files("rtmcompat").joinpath("schemas/trace-v1.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _error(lines: list[str] | list[bytes]) -> TraceError:
    with pytest.raises(TraceError) as caught:
        read(lines)
    return caught.value


class TestRecords:
    def test_every_record_type(self) -> None:
        """A header, calls (with their decoded arguments and outputs), advance, event and note records read back
        as their record classes, calls numbered from 1."""
        lines = [
            header(protocol_priority={"8": 120}),
            REGISTER_RIP,
            line({"type": "event", "client": "client:RIP#1", "state": "set"}),
            line({"type": "advance", "ms": 5000}),
            line({"type": "note", "text": "hello"}),
            call("RtmGetNetworkCount", {"ProtocolFamily": 1}, out={"NetworkCount": 0}, time_ms=5000),
        ]
        records = read(lines)
        assert [Header, Call, Event, Advance, Note, Call] == [type(r) for r in records]
        first, second = records[1], records[5]
        assert isinstance(first, Call)
        assert isinstance(second, Call)
        assert (1, "RtmRegisterClient", ("client:RIP#1",)) == (first.call, first.function, first.out)
        assert (2, 5000, (0,)) == (second.call, second.time_ms, second.out)
        assert {8: 120} == records[0].protocol_priority  # type: ignore[union-attr]

    def test_structures_decode_to_c_structures(self) -> None:
        """Routes and networks become the attrs structures: dotted quads (or raw DWORDs) are addresses with the
        first octet in the low byte, missing fields are zero, IPX routes are told apart by their fields."""
        ip = {"RR_Network": {"N_NetNumber": "10.1.0.0", "N_NetMask": 0x0000FFFF}, "RR_InterfaceID": 3}
        ipx = {"RR_Network": {"N_NetNumber": 16}, "RR_NextHopAddress": {"NHA_Mac": "00000c000001"}}
        records = read(
            [
                header(),
                REGISTER_RIP,
                call("RtmAddRoute", {"ClientHandle": "client:RIP#1", "Route": ip, "TimeToLive": 60}),
                call("RtmGetSpecificRoute", {"ProtocolFamily": 0, "Route": ipx}, status=259),
                call("RtmIsRoute", {"ProtocolFamily": 0, "Network": {"N_NetNumber": 5}}),
            ]
        )
        add, specific, is_route = records[2], records[3], records[4]
        assert isinstance(add, Call)
        assert isinstance(specific, Call)
        assert isinstance(is_route, Call)
        expected = RTM_IP_ROUTE(RR_InterfaceID=3, RR_Network=IP_NETWORK(ip_address("10.1.0.0"), 0x0000FFFF))
        assert expected == add.args[1]
        assert isinstance(specific.args[1], RTM_IPX_ROUTE)
        assert bytes.fromhex("00000c000001") == specific.args[1].RR_NextHopAddress.NHA_Mac
        assert IPX_NETWORK(5) == is_route.args[1]

    def test_flags_read_as_value_names_or_plain_integers(self) -> None:
        """``{"value", "names"}`` and the mapping log's plain integer read alike; the value decides."""
        records = read(
            [
                header(),
                call("RtmGetFirstRoute", {"ProtocolFamily": 1, "EnumerationFlags": 8}, status=259),
                line(
                    {
                        "type": "call",
                        "function": "RtmGetFirstRoute",
                        "args": {"ProtocolFamily": {"value": 1}, "EnumerationFlags": {"value": 8, "names": ["x"]}},
                        "status": {"value": 259, "name": "ERROR_NO_ROUTES"},
                    }
                ),
            ]
        )
        assert records[1].args == records[2].args  # type: ignore[union-attr]

    def test_blank_lines_and_extension_keys_are_allowed(self) -> None:
        """Blank lines are skipped and ``x-`` keys are extensions any record may carry."""
        records = read([header(), "", "   ", line({"type": "note", "text": "t", "x-mine": [1, 2]})])
        assert [Header, Note] == [type(r) for r in records]

    def test_byte_order_mark(self, tmp_path: Path) -> None:
        """A file saved with a UTF-8 byte order mark reads like one without."""
        target = tmp_path / "bom.jsonl"
        target.write_bytes(b"\xef\xbb\xbf" + header().encode() + b"\n")
        assert [Header] == [type(r) for r in read(target)]

    def test_reads_paths_and_bytes_lines(self, tmp_path: Path) -> None:
        """A path (str or Path) or an iterable of str or bytes lines, with or without newlines."""
        target = tmp_path / "t.jsonl"
        target.write_text(header() + "\r\n" + REGISTER_RIP + "\n", encoding="utf-8")
        expected = read([header(), REGISTER_RIP])
        assert expected == read(target) == read(str(target))
        assert expected == read([(header() + "\n").encode(), REGISTER_RIP.encode()])


class TestErrors:
    @pytest.mark.parametrize(
        ("lines", "where", "what"),
        [
            ([], None, "empty"),
            (["", "  "], None, "empty"),
            ([REGISTER_RIP], 1, "missing header"),
            (["[1, 2]"], 1, "expected a JSON object"),
            ([header(), '{"type": "call", "function": "RtmAddRoute", "ar'], 2, "not valid JSON"),
            ([header(), '{"type": "note", "text": NaN}'], 2, "not valid JSON"),
            ([header(), "[" * 100_000], 2, "not valid JSON"),
            ([header(version=2)], 1, "unsupported trace version"),
            ([header(format="other")], 1, "format"),
            ([header(), header()], 2, "second header"),
            ([header(), line({"type": "mystery"})], 2, "unknown record type"),
            ([header(), line({"type": "note", "text": "t", "extra": 1})], 2, "extra"),
            ([header(), call("RtmFrobnicate", {})], 2, "unknown function"),
            ([header(), call("RtmGetNetworkCount", {})], 2, "args.ProtocolFamily: missing"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 1, "Bogus": 1})], 2, "args.Bogus"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": "1"})], 2, "args.ProtocolFamily"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 1.0})], 2, "args.ProtocolFamily"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": True})], 2, "args.ProtocolFamily"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 2**32})], 2, "0..4294967295"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 10**400})], 2, "args.ProtocolFamily"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": -1})], 2, "args.ProtocolFamily"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 1}, status=-5)], 2, "status"),
            ([header(), call("RtmLookupIPDestination", {"DestAddress": "10.1.2"})], 2, "dotted quad"),
            ([header(), call("RtmLookupIPDestination", {"DestAddress": "10.1.2.256"})], 2, "dotted quad"),
            ([header(), call("RtmDeregisterClient", {"ClientHandle": "client:RIP#1"})], 2, "never bound"),
            ([header(), call("RtmDeregisterClient", {"ClientHandle": "my client"})], 2, "handle name"),
            ([header(), call("RtmDeregisterClient", {"ClientHandle": 2**64})], 2, "args.ClientHandle"),
            ([header(), REGISTER_RIP, REGISTER_RIP], 3, "bound twice"),
            ([header(), line({"type": "event", "client": "client:RIP#1", "state": "set"})], 2, "never bound"),
            ([header(), REGISTER_RIP, line({"type": "event", "client": "client:RIP#1", "state": "on"})], 3, "state"),
            ([header(), line({"type": "advance", "ms": -1})], 2, "ms"),
            ([header(), line({"type": "advance"})], 2, "ms: missing"),
            (
                [
                    header(),
                    call("RtmGetNetworkCount", {"ProtocolFamily": 1}, time_ms=10),
                    call("RtmGetNetworkCount", {"ProtocolFamily": 1}, time_ms=5),
                ],
                3,
                "time goes back",
            ),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 1}, out={"Count": 1})], 2, "out.Count"),
            ([header(), call("RtmGetNetworkCount", {"ProtocolFamily": 1}, out={})], 2, "out.NetworkCount"),
            (
                [
                    header(),
                    REGISTER_RIP,
                    call("RtmAddRoute", {"ClientHandle": "client:RIP#1", "Route": {}, "TimeToLive": 1}),
                ],
                3,
                "args.Route",
            ),
            (
                [
                    header(),
                    REGISTER_RIP,
                    call(
                        "RtmAddRoute",
                        {
                            "ClientHandle": "client:RIP#1",
                            "TimeToLive": 1,
                            "Route": {"RR_Network": {"N_NetNumber": 1}, "RR_FamilySpecificData": {"FSD_Metric": 1}},
                        },
                    ),
                ],
                3,
                "mixed",
            ),
            (
                [
                    header(),
                    call(
                        "RtmGetSpecificRoute",
                        {
                            "ProtocolFamily": 0,
                            "Route": {
                                "RR_Network": {"N_NetNumber": 1},
                                "RR_FamilySpecificData": {"FSD_TickCount": 70000},
                            },
                        },
                    ),
                ],
                2,
                "FSD_TickCount",
            ),
            (
                [
                    header(),
                    call(
                        "RtmGetSpecificRoute",
                        {
                            "ProtocolFamily": 0,
                            "Route": {"RR_Network": {"N_NetNumber": 1}, "RR_NextHopAddress": {"NHA_Mac": "00"}},
                        },
                    ),
                ],
                2,
                "NHA_Mac",
            ),
            (
                [
                    header(),
                    call(
                        "RtmGetSpecificRoute",
                        {
                            "ProtocolFamily": 1,
                            "Route": {
                                "RR_Network": {"N_NetNumber": "1.2.3.4", "N_NetMask": "255.0.0.0"},
                                "RR_TimeStamp": "1e5",
                            },
                        },
                    ),
                ],
                2,
                "RR_TimeStamp",
            ),
            ([header(clock={"kind": "sundial"})], 1, "clock.kind"),
            ([header(protocol_priority={"rip": 1})], 1, "protocol_priority.rip"),
        ],
    )
    def test_malformed(self, lines: list[str], where: int | None, what: str) -> None:
        """Each malformed source raises TraceError naming the line (when one is at fault) and what was wrong."""
        error = _error(lines)
        assert where == error.line
        assert what in str(error)
        if where is not None:
            assert f"line {where}:" in str(error)

    def test_deeply_nested_mapping_log_line(self) -> None:
        """A mapping-log line nested too deeply for Python's JSON parser, even one the priority pre-scan looks at,
        is a TraceError naming its line, not a RecursionError."""
        first = '{"event": "rtm.v1_call", "v1": "RtmGetNetworkCount", "args": {"ProtocolFamily": 1}, "status": 0}'
        deep = '{"event": "rtm.v1_call", "v1": "RtmRegisterClient", "priority": 1, "args": '
        error = _error([first, deep + "[" * 100_000 + "]" * 100_000 + "}"])
        assert (2, True) == (error.line, "nested too deeply" in str(error))

    def test_invalid_utf8(self) -> None:
        """Bytes that are not UTF-8 give the line and the byte."""
        error = _error([header().encode(), b'{"type": "note", "text": "\xff\xfe"}'])
        assert (2, True) == (error.line, "not UTF-8" in str(error))

    def test_line_too_long(self, tmp_path: Path) -> None:
        """A line above 1 MiB is refused by its number, without reading it whole."""
        target = tmp_path / "long.jsonl"
        target.write_text(header() + "\n" + "x" * (2 << 20) + "\n", encoding="utf-8")
        with pytest.raises(TraceError) as caught:
            read(target)
        error = caught.value
        assert (2, True) == (error.line, "longer than" in str(error))

    def test_a_one_megabyte_note_is_read(self) -> None:
        """A line just under the limit (a 1 MB note) is an ordinary record."""
        records = read([header(), line({"type": "note", "text": "n" * 1_000_000})])
        assert 1_000_000 == len(records[1].text)  # type: ignore[union-attr]

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist is a TraceError naming it."""
        with pytest.raises(TraceError, match="cannot open"):
            read(tmp_path / "nope.jsonl")

    def test_error_names_the_source_path(self, tmp_path: Path) -> None:
        """Errors in a file start with its path and the line."""
        target = tmp_path / "bad.jsonl"
        target.write_text(header() + "\n{}\n", encoding="utf-8")
        with pytest.raises(TraceError) as caught:
            read(target)
        assert str(caught.value).startswith(f"{target}:line 2: ")


class TestSchema:
    @pytest.mark.parametrize("workload", [plain, tie, hostbits])
    @pytest.mark.parametrize("backend", ["reference", "shim"])
    def test_recorded_traces_validate_against_the_schema(self, workload: Any, backend: str) -> None:
        """Every line the Recorder writes is valid against rtmcompat/schemas/trace-v1.json (Draft 2020-12)."""
        validator = _schema()
        for text in record(workload, backend=backend):
            errors = [e.message for e in validator.iter_errors(json.loads(text))]
            assert [] == errors, text

    def test_schema_lists_each_functions_parameters_and_results(self) -> None:
        """The schema's per-function branches name exactly the reader's parameters (optional ones not required)
        and result fields, so the two cannot drift apart."""
        branches = {
            b["if"]["properties"]["function"]["const"]: b["then"]["properties"]
            for b in _schema().schema["$defs"]["call"]["allOf"]
        }
        assert set(PARAMS) == set(branches)
        for function, params in PARAMS.items():
            args, out = branches[function]["args"], branches[function]["out"]
            assert [name for name, _ in params] == list(args["properties"]), function
            optional = OPTIONAL.get(function, {})
            assert [name for name, _ in params if name not in optional] == args["required"], function
            assert [name for name, _ in RESULTS[function]] == list(out["properties"]), function

    def test_schema_is_valid_draft_2020_12(self) -> None:
        """The shipped schema is itself a valid Draft 2020-12 schema."""
        jsonschema.Draft202012Validator.check_schema(_schema().schema)

    @pytest.mark.parametrize(
        "record_line",
        [
            call("RtmFrobnicate", {}),
            call("RtmGetNetworkCount", {"ProtocolFamily": 2**32}),
            call("RtmGetNetworkCount", {"ProtocolFamily": True}),
            call("RtmGetNetworkCount", {"ProtocolFamily": 1, "Bogus": 1}),
            call("RtmGetNetworkCount", {}),
            call("RtmLookupIPDestination", {"DestAddress": "10.1.2.256"}),
            call("RtmDeregisterClient", {"ClientHandle": "my client"}),
            line({"type": "advance", "ms": -1}),
            line({"type": "mystery"}),
            line({"type": "note", "text": "t", "extra": 1}),
        ],
    )
    def test_schema_refuses_what_the_reader_refuses(self, record_line: str) -> None:
        """Where a rule can be written as a schema, the schema and the reader agree on refusing a record."""
        assert not _schema().is_valid(json.loads(record_line))
        with pytest.raises(TraceError):
            read([header(), record_line])


def test_rtmcompat_trace_is_reachable_from_the_package() -> None:
    """``rtmcompat.trace`` and ``rtmcompat.compare`` are attributes after a plain ``import rtmcompat``."""
    assert rtmcompat.trace.read is read
    assert callable(rtmcompat.compare.compare)  # type: ignore[attr-defined]
