"""Inputs of `rtmcompat plan` recognised by their content, and every way one can be unusable, each with one line
that names the file (M-PLAN-INPUTS)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rtmcompat.plan import build_plan, plan_json, read_inputs
from tests.compare.support import mapping_log, older_log, plain

from .support import EXAMPLES

FINDING = {
    "path": "a.c",
    "line": 3,
    "column": 5,
    "api": "rtmv1",
    "symbol": "RtmAddRoute",
    "kind": "call",
    "function": "f",
    "level": "warning",
    "confidence": "high",
}


def _kinds(*paths: Path | str) -> list[str]:
    inputs, errors = read_inputs([str(p) for p in paths])
    assert [] == errors
    return [type(item).__name__ + ":" + getattr(item, "kind", "scan") for item in inputs]


def _error(path: Path) -> str:
    inputs, errors = read_inputs([str(path)])
    assert [] == inputs
    (message,) = errors
    assert "\n" not in message
    return message


class TestRecognised:
    def test_a_trace(self) -> None:
        """A trace-v1 file (a header line first) is a trace."""
        assert ["TraceInput:trace"] == _kinds(EXAMPLES[0])

    def test_mapping_logs_new_and_old(self, tmp_path: Path) -> None:
        """V1Shim's JSON mapping log is a mapping log, with or without the keys newer logs carry; whatever its name."""
        new, old = tmp_path / "run.log", tmp_path / "older.txt"
        new.write_text("\n".join(mapping_log(plain)) + "\n")
        old.write_text("\n".join(older_log(mapping_log(plain))) + "\n")
        assert ["TraceInput:mapping-log", "TraceInput:mapping-log"] == _kinds(new, old)

    def test_scan_reports_indented_compact_and_minimal(self, tmp_path: Path) -> None:
        """A scan report is recognised indented, on one line, and reduced to the keys its documented shape fixes
        (no format, version, rule or reason)."""
        full = {"format": "rtmcompat-scan", "version": 1, "findings": [FINDING], "files": [], "summary": {}}
        indented, compact, minimal = tmp_path / "a", tmp_path / "b", tmp_path / "c"
        indented.write_text(json.dumps(full, indent=2))
        compact.write_text(json.dumps(full))
        minimal.write_text(json.dumps({"findings": [FINDING], "files": [{"path": "a.c"}], "summary": {}}, indent=1))
        assert ["ScanInput:scan"] * 3 == _kinds(indented, compact, minimal)

    def test_a_compact_report_longer_than_a_trace_line(self, tmp_path: Path) -> None:
        """A scan report written on one line of several MiB is still a scan report (the 1 MiB limit is for the
        lines of traces)."""
        findings = [{**FINDING, "line": n} for n in range(1, 8001)]
        path = tmp_path / "big.json"
        path.write_text(json.dumps({"findings": findings, "files": [], "summary": {}}))
        assert path.stat().st_size > 1 << 20
        inputs, errors = read_inputs([str(path)])
        assert ([], 8000) == (errors, len(getattr(inputs[0], "findings", ())))

    def test_a_byte_order_mark_is_skipped(self, tmp_path: Path) -> None:
        """A UTF-8 byte-order mark (Windows editors write one) does not hide what the file is."""
        path = tmp_path / "bom.jsonl"
        path.write_bytes(b"\xef\xbb\xbf" + EXAMPLES[2].read_bytes())
        assert ["TraceInput:trace"] == _kinds(path)

    def test_a_file_named_twice_is_read_once(self) -> None:
        """The same trace given twice (under two spellings) is one input."""
        assert ["TraceInput:trace"] == _kinds(EXAMPLES[1], EXAMPLES[1].parent / ".." / "examples" / EXAMPLES[1].name)


def _scan(findings: list[Any], **more: Any) -> str:
    return json.dumps({"format": "rtmcompat-scan", "version": 1, "findings": findings, "files": [], **more}, indent=2)


class TestRefused:
    @pytest.mark.parametrize(
        ("content", "says"),
        [
            (b"", "empty"),
            (b"\n\n  \n", "empty"),
            (b"\x00\x01\x02\xff\xfe binary", "not UTF-8"),
            (b"\xff\xfe{\x00", "not UTF-8"),
            (b"int main(void) { return 0; }\n", "not JSON"),
            (b"[1, 2, 3]\n", "not JSON"),
            (b'{"findings": [\n', "not a JSON document"),
            (b'{"hello": "world"}\n', "not a scan report (no findings)"),
            (b'{"format": "rtmcompat-compare-report", "version": 1, "traces": []}', "a report of rtmcompat compare"),
            (b'{"version": "2.1.0", "runs": []}', "a SARIF log"),
            (b'{"format": "rtmcompat-plan", "version": 1}', "a plan written by rtmcompat plan"),
            (b'{"format": "rtmcompat-scan", "version": 2, "findings": []}', "scan report version 2"),
            (b'{"type": "call", "function": "RtmGetNetworkCount", "args": {}, "status": 0}\n', "missing header"),
            (b'{"type": "header", "format": "rtmcompat-trace"}\n', "line 1"),
            (b"{" + b" " * (1 << 20) + b"}\n" + b'{"type": "call"}\n', "not a JSON document"),
            (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "nested too deeply"),
            (b'{\n"findings": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "nested too deeply"),
        ],
    )
    def test_unusable_content(self, tmp_path: Path, content: bytes, says: str) -> None:
        """Each kind of unusable file gets one line that names it and says what is wrong."""
        path = tmp_path / "input.json"
        path.write_bytes(content)
        message = _error(path)
        assert (True, True) == (str(path) in message, says in message), message

    @pytest.mark.parametrize(
        ("findings", "says"),
        [
            ("not a list", "findings: expected an array"),
            ([42], "findings[0]: expected an object"),
            ([{**FINDING, "line": 0}], "findings[0].line: expected an integer >= 1"),
            ([{**FINDING, "line": True}], "findings[0].line: expected an integer >= 1"),
            ([{**FINDING, "kind": "lambda"}], "findings[0].kind: expected one of call"),
            ([{**FINDING, "confidence": "sure"}], "findings[0].confidence: expected high, medium or low"),
            ([{k: v for k, v in FINDING.items() if k != "symbol"}], "findings[0].symbol: missing"),
            ([{**FINDING, "via": "RtmAddRoute"}], "findings[0].via: expected an array of strings"),
            ([{**FINDING, "flags": [{"parameter": 7}]}], "findings[0].flags[0].parameter: expected a non-empty"),
        ],
    )
    def test_malformed_scan_reports(self, tmp_path: Path, findings: Any, says: str) -> None:
        """A scan report with a malformed finding names the file and the field."""
        path = tmp_path / "scan.json"
        path.write_text(_scan(findings))
        message = _error(path)
        assert (True, True) == (str(path) in message, says in message), message

    def test_a_bad_trace_line_is_named(self, tmp_path: Path) -> None:
        """A trace that breaks further down gets the trace reader's message: file, line and field."""
        lines = EXAMPLES[2].read_text().splitlines()
        lines[5] = lines[5].replace('"RtmAddRoute"', '"RtmAddRoutes"')
        path = tmp_path / "broken.jsonl"
        path.write_text("\n".join(lines) + "\n")
        assert _error(path).startswith(f"{path}:line 6: ")

    def test_missing_and_directory(self, tmp_path: Path) -> None:
        """A path that does not exist, and a directory, are named too."""
        missing = tmp_path / "nothere.json"
        assert f"{missing}: cannot read: No such file or directory" == _error(missing)
        assert f"{tmp_path}: a directory, not a scan report, trace or mapping log" == _error(tmp_path)

    def test_every_bad_input_is_named_and_the_good_ones_read(self, tmp_path: Path) -> None:
        """read_inputs reads them all, so every bad file is named in one pass; build_plan refuses with the first."""
        bad1, bad2 = tmp_path / "one", tmp_path / "two"
        bad1.write_text("")
        bad2.write_text("x")
        inputs, errors = read_inputs([str(bad1), str(EXAMPLES[0]), str(bad2)])
        assert (1, [str(bad1), str(bad2)]) == (len(inputs), [e.split(":")[0] for e in errors])
        with pytest.raises(ValueError, match="empty"):
            build_plan([str(bad1), str(EXAMPLES[0])])


class TestMappingLogPlan:
    def test_a_mapping_log_counts_like_its_calls(self, tmp_path: Path) -> None:
        """A mapping log's plan counts its rtm.v1_call events by function and status (the log's own ``v1`` and
        ``status`` keys), and the older log without outputs says what it cannot count."""
        lines = mapping_log(plain)
        events = [json.loads(line) for line in lines if '"rtm.v1_call"' in line]
        expected: dict[str, int] = {}
        for event in events:
            expected[event["v1"]] = expected.get(event["v1"], 0) + 1
        path = tmp_path / "log.json"
        path.write_text("\n".join(lines) + "\n")
        old = tmp_path / "old.json"
        old.write_text("\n".join(older_log(lines)) + "\n")
        document = plan_json(build_plan([str(path), str(old)]))
        assert [("mapping-log", len(events), expected)] * 2 == [
            (t["kind"], t["calls"], t["functions"]) for t in document["traces"]
        ]
        assert any("carry no outputs" in note and str(old) in note for note in document["notes"])
