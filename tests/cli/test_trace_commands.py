"""`rtmcompat compare`, `replay` and `fuzz` through the installed entry point (the `rtmcompat` script beside the
interpreter): help and exit statuses, hostile traces, closed pipes, and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rtmcompat._registry import default_registry, markdown

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("rtmcompat")
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.jsonl"))
HEADER = '{"type":"header","format":"rtmcompat-trace","version":1,"api":"rtmv1"}'
REGISTER = (
    '{"type":"call","function":"RtmRegisterClient","args":{"ProtocolFamily":1,"RoutingProtocol":8},'
    '"status":0,"out":{"ClientHandle":"client:RIP#1"}}'
)


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `rtmcompat` script."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=240, check=False, cwd=cwd, env=environment
    )


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert "Traceback" not in done.stdout


class TestHelp:
    @pytest.mark.parametrize("command", ["demo", "mapping", "compare", "replay", "fuzz"])
    def test_every_subcommand_documents_its_exit_statuses(self, command: str) -> None:
        """`rtmcompat COMMAND --help` exits 0 and lists the exit statuses."""
        done = run(command, "--help")
        assert 0 == done.returncode
        assert "exit status:" in done.stdout
        assert "  0 " in done.stdout
        assert "  2 " in done.stdout

    def test_compare_help_states_the_contract(self) -> None:
        """compare's help gives the documented exit statuses and the formats."""
        text = run("compare", "--help").stdout
        assert "1   some trace has an unexpected difference" in text
        assert "text,markdown,json,junit" in text.replace(" ", "").replace("{", "").replace("}", "")

    def test_version(self) -> None:
        """`rtmcompat --version` prints the version."""
        done = run("--version")
        assert (0, "rtmcompat 0.1.0\n") == (done.returncode, done.stdout)

    @pytest.mark.parametrize(
        "args",
        [
            ["frobnicate"],
            ["compare"],
            ["compare", "--format", "xml", "x.jsonl"],
            ["compare", "--context", "-1", "x.jsonl"],
            ["compare", "--table-limit", "many", "x.jsonl"],
            ["replay"],
            ["replay", "--on", "windows", "x.jsonl"],
            ["fuzz", "--examples", "0"],
        ],
    )
    def test_bad_arguments(self, args: list[str]) -> None:
        """Wrong arguments: exit status 2, a usage message on stderr, nothing on stdout."""
        done = run(*args)
        assert (2, "") == (done.returncode, done.stdout)
        assert "error" in done.stderr
        no_traceback(done)


class TestCompare:
    def test_examples_have_no_unexpected_difference(self) -> None:
        """Every shipped example: exit 0, the known differences named with their ids."""
        done = run("compare", *EXAMPLES)
        assert 0 == done.returncode, done.stdout
        assert "RTMC-TIE" in done.stdout
        assert "RTMC-HOSTBITS" in done.stdout
        assert done.stdout.rstrip().endswith(
            "4 trace(s): 2 identical, 2 expected, 0 unexpected, 0 error; exit status 0"
        )
        assert "\x1b[" not in done.stdout

    def test_json_to_a_file(self, tmp_path: Path) -> None:
        """--format json --output PATH writes the report there (the documented shape) and nothing to stdout."""
        target = tmp_path / "report.json"
        done = run("compare", "--format", "json", "--output", str(target), *EXAMPLES)
        assert (0, "") == (done.returncode, done.stdout)
        data = json.loads(target.read_text(encoding="utf-8"))
        assert EXAMPLES == [t["path"] for t in data["traces"]]
        assert {"identical", "expected"} == {t["verdict"] for t in data["traces"]}

    def test_junit(self) -> None:
        """--format junit writes JUnit XML."""
        done = run("compare", "--format", "junit", EXAMPLES[0])
        assert 0 == done.returncode
        assert done.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')

    def test_unexpected_difference_is_exit_1(self, tmp_path: Path) -> None:
        """With a registry that knows nothing, the agent example's host-bits route is unexpected: exit 1."""
        registry = tmp_path / "empty.toml"
        registry.write_text("", encoding="utf-8")
        done = run("compare", "--registry", str(registry), str(ROOT / "examples" / "agent.jsonl"))
        assert 1 == done.returncode
        assert "UNEXPECTED DIFFERENCES" in done.stdout

    def test_minimize_writes_a_repro(self, tmp_path: Path) -> None:
        """--minimize writes the repro trace and test into --repro-dir, and the report gives the command."""
        done = run("compare", "--minimize", "--repro-dir", str(tmp_path), str(ROOT / "examples" / "rip.jsonl"))
        assert 0 == done.returncode
        assert (tmp_path / "rip.min.jsonl").exists()
        assert (tmp_path / "test_rip_min.py").exists()
        assert f"run: rtmcompat compare {tmp_path / 'rip.min.jsonl'}" in done.stdout
        again = run("compare", str(tmp_path / "rip.min.jsonl"))
        assert "RTMC-TIE" in again.stdout

    def test_list_differences_markdown_is_the_migration_section(self) -> None:
        """`--list-differences --format markdown` prints what MIGRATION.md carries."""
        done = run("compare", "--list-differences", "--format", "markdown")
        assert (0, markdown(default_registry()) + "\n") == (done.returncode, done.stdout)

    def test_closed_pipe(self) -> None:
        """`rtmcompat compare ... | head -1`: the command ends quietly when its reader goes away."""
        script = f"'{SCRIPT}' compare --format json {' '.join(EXAMPLES * 3)} | head -1; echo \"${{PIPESTATUS[0]}}\""
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=240, check=False)
        first, status = done.stdout.splitlines()
        assert "{" == first
        assert status in ("0", "141")
        assert "Traceback" not in done.stderr
        assert "Broken pipe" not in done.stderr

    def test_closed_pipe_before_writing(self) -> None:
        """When stdout is closed before the report is written, the exit status is 141 and stderr is clean."""
        process = subprocess.Popen(
            [str(SCRIPT), "-q", "compare", "--format", "json", *EXAMPLES],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()
        with process.stderr:
            err = process.stderr.read()
        assert (141, "") == (process.wait(timeout=240), err)


def _call(function: str, args: dict[str, object]) -> bytes:
    return (
        HEADER + "\n" + json.dumps({"type": "call", "function": function, "args": args, "status": 0}) + "\n"
    ).encode()


def _hostile_traces(tmp_path: Path) -> dict[str, Path]:
    cases: dict[str, bytes] = {
        "empty": b"",
        "missing-header": REGISTER.encode() + b"\n",
        "wrong-types": _call("RtmGetNetworkCount", {"ProtocolFamily": "IP"}),
        "huge-number": _call("RtmGetNetworkCount", {"ProtocolFamily": 10**40}),
        "unknown-function": _call("RtmReboot", {}),
        "truncated": f"{HEADER}\n{REGISTER[:40]}\n".encode(),
        "not-utf8": HEADER.encode() + b'\n{"type":"note","text":"\xc3\x28"}\n',
        "unbound": _call("RtmDeregisterClient", {"ClientHandle": "client:RIP#9"}),
        "binary": bytes(range(256)) * 4,
        "megabyte-line": HEADER.encode() + b"\n" + b'{"type":"note","text":"' + b"x" * 1_000_000 + b'", "bad": 1}\n',
        "huge-line": HEADER.encode() + b"\n" + b"y" * (3 << 20) + b"\n",
    }  # fmt: skip
    paths = {}
    for name, data in cases.items():
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes(data)
        paths[name] = path
    return paths


class TestHostileTraces:
    def test_each_is_an_error_verdict_naming_the_line(self, tmp_path: Path) -> None:
        """Malformed and hostile traces: each gets the verdict error with a message naming its line; the good
        trace given with them is still compared; exit status 2; never a traceback."""
        paths = _hostile_traces(tmp_path)
        done = run("compare", "--format", "json", *map(str, paths.values()), EXAMPLES[0])
        no_traceback(done)
        assert 2 == done.returncode
        traces = json.loads(done.stdout)["traces"]
        assert ["error"] * len(paths) + ["expected"] == [t["verdict"] for t in traces]
        lines = {name: trace["error"] for name, trace in zip(paths, traces, strict=False)}
        assert "empty" in lines["empty"]
        assert "line 1: missing header" in lines["missing-header"]
        assert "line 2: args.ProtocolFamily" in lines["wrong-types"]
        assert "line 2: args.ProtocolFamily" in lines["huge-number"]
        assert "line 2: function: unknown function 'RtmReboot'" in lines["unknown-function"]
        assert "line 2: not valid JSON" in lines["truncated"]
        assert "line 2: not UTF-8" in lines["not-utf8"]
        assert "never bound" in lines["unbound"]
        assert "line 1:" in lines["binary"]
        assert "line 2: bad: unknown key" in lines["megabyte-line"]
        assert "line 2: line longer than" in lines["huge-line"]

    def test_text_report_of_a_hostile_trace(self, tmp_path: Path) -> None:
        """The text report says ERROR and the reason, on stdout; stderr has no traceback."""
        path = _hostile_traces(tmp_path)["truncated"]
        done = run("compare", str(path))
        no_traceback(done)
        assert 2 == done.returncode
        assert f"{path}: ERROR (0 calls)" in done.stdout
        assert "not valid JSON" in done.stdout

    def test_a_directory_is_an_error(self, tmp_path: Path) -> None:
        """A directory given as a trace: verdict error, exit 2."""
        done = run("compare", str(tmp_path))
        assert 2 == done.returncode
        assert "a directory, not a trace file" in done.stdout

    def test_replay_refuses_an_unreadable_trace_in_one_line(self, tmp_path: Path) -> None:
        """`rtmcompat replay` of a trace broken at its first call: one-line error, exit 2."""
        done = run("replay", str(_hostile_traces(tmp_path)["unknown-function"]))
        assert 2 == done.returncode
        assert 1 == len(done.stderr.strip().splitlines())
        assert "rtmcompat replay: error:" in done.stderr

    def test_output_to_a_missing_directory(self, tmp_path: Path) -> None:
        """--output into a directory that does not exist: one-line error, exit 2."""
        done = run("compare", "--output", str(tmp_path / "no" / "r.txt"), EXAMPLES[0])
        assert 2 == done.returncode
        assert "cannot write" in done.stderr
        no_traceback(done)


class TestReplay:
    def test_on_the_reference_it_matches_the_recording(self) -> None:
        """The examples were recorded on V1Reference: replaying there reproduces every call (exit 0)."""
        done = run("replay", "--on", "reference", str(ROOT / "examples" / "rip.jsonl"))
        assert 0 == done.returncode
        assert "rip.jsonl: 152 calls replayed on the reference: all as recorded\n" in done.stdout

    def test_on_the_shim_it_shows_the_tie(self) -> None:
        """On the shim the tie shows as calls that differ from the recording (exit 1), statuses by name."""
        done = run("replay", str(ROOT / "examples" / "rip.jsonl"))
        assert 1 == done.returncode
        assert "recorded: ERROR_MORE_MESSAGES Flags=RTM_ROUTE_CHANGED" in done.stdout

    def test_json_and_record(self, tmp_path: Path) -> None:
        """--format json reports counts; --record writes the replay as a trace that replays identically."""
        out = tmp_path / "again.jsonl"
        done = run("replay", "--format", "json", "--record", str(out), str(ROOT / "examples" / "ipx.jsonl"))
        assert 0 == done.returncode
        data = json.loads(done.stdout)
        assert (91, 91, 0) == (data["calls"], data["matched"], data["mismatch_count"])
        assert 0 == run("replay", str(out)).returncode

    def test_a_mapping_log_replays(self, tmp_path: Path) -> None:
        """A JSON mapping log written by `rtmcompat --log-format json demo` replays on the shim. The demo's native
        RTMv2 entity makes no v1 calls, so the log cannot hold it: the dequeues of the messages it caused differ
        (exit 1), and the replay says which."""
        demo = run("--log-format", "json", "demo")
        log = tmp_path / "demo.log"
        log.write_text(demo.stderr, encoding="utf-8")
        done = run("replay", str(log))
        no_traceback(done)
        assert 1 == done.returncode
        assert f"{log}: 21 calls replayed on the shim: 17 as recorded; 4 differ" in done.stdout


class TestFuzz:
    def test_a_short_search(self, tmp_path: Path) -> None:
        """A short seeded search ends with a summary line; with documented differences included it saves traces
        (exit 0: nothing unexpected)."""
        corpus = tmp_path / "c"
        done = run("fuzz", "--corpus", str(corpus), "--examples", "100", "--seed", "1", "--include-expected")
        assert 0 == done.returncode, done.stderr
        assert "new divergence(s) saved in" in done.stdout
        assert list(corpus.glob("*.jsonl"))

    def test_corpus_is_a_file(self, tmp_path: Path) -> None:
        """A corpus path that is a file: one-line error, exit 2."""
        target = tmp_path / "f"
        target.write_text("x")
        done = run("fuzz", "--corpus", str(target))
        assert (2, True) == (done.returncode, "not a directory" in done.stderr)


class TestStreams:
    """``-`` reads standard input, and a pipe or FIFO (``<(zcat trace.jsonl.gz)``) is read once, whole: the
    commands that read traces work on streams as on files."""

    OSPF = str(ROOT / "examples" / "ospf.jsonl")

    def _piped(self, *args: str) -> subprocess.CompletedProcess[str]:
        text = Path(self.OSPF).read_text(encoding="utf-8")
        return subprocess.run(
            [str(SCRIPT), *args], input=text, capture_output=True, text=True, timeout=240, check=False
        )

    def test_compare_reads_standard_input(self) -> None:
        """``compare -``: the trace on stdin gets the same verdict as the file, under the name ``-``."""
        done = self._piped("compare", "--format", "json", "-")
        report = json.loads(done.stdout)
        assert (0, [("-", "identical", 55)]) == (
            done.returncode,
            [(t["path"], t["verdict"], t["calls"]) for t in report["traces"]],
        )

    def test_replay_reads_standard_input(self) -> None:
        """``replay -`` replays the trace on stdin."""
        done = self._piped("replay", "--on", "reference", "-")
        assert (0, "-: 55 calls replayed on the reference: all as recorded") == (
            done.returncode,
            done.stdout.splitlines()[0],
        )

    def test_plan_reads_standard_input(self) -> None:
        """``plan -`` recognises the trace on stdin and counts its calls."""
        done = self._piped("plan", "--format", "json", "-")
        plan = json.loads(done.stdout)
        assert (0, [55]) == (done.returncode, [t["calls"] for t in plan["traces"]])

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
    def test_compare_reads_a_fifo(self, tmp_path: Path) -> None:
        """A FIFO is read once and compared like the file it carries: the RIP example, whose tie makes compare
        look at the trace a second time for the tables around the divergence (a second open would wait forever)."""
        fifo = tmp_path / "rip.jsonl"
        os.mkfifo(fifo)
        process = subprocess.Popen(
            [str(SCRIPT), "compare", "--format", "json", str(fifo)], stdout=subprocess.PIPE, text=True
        )
        try:
            fifo.write_bytes((ROOT / "examples" / "rip.jsonl").read_bytes())
            out, _ = process.communicate(timeout=120)
        finally:
            process.kill()
        assert (0, ["expected"]) == (process.returncode, [t["verdict"] for t in json.loads(out)["traces"]])
