"""`rtmcompat plan` through the installed command: formats, --output, exit statuses, and bad inputs each named on
stderr in one line with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .support import CORPUS, EXAMPLES, plan_validator, run_command


@pytest.fixture(scope="module")
def scan_json(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The corpus scanned by the installed command, as a user would run it."""
    path = tmp_path_factory.mktemp("scan") / "scan.json"
    done = run_command("scan", str(CORPUS), "--format", "json", "--output", str(path))
    assert 0 == done.returncode, done.stderr
    return str(path)


class TestFormats:
    def test_markdown_is_the_default(self, scan_json: str) -> None:
        """Without --format the plan is Markdown on stdout, exit 0, with its sections in order."""
        done = run_command("plan", scan_json, *map(str, EXAMPLES))
        headings = [line for line in done.stdout.splitlines() if line.startswith("## ")]
        assert (0, "# RTMv1 to RTMv2 migration plan") == (done.returncode, done.stdout.splitlines()[0])
        assert [
            "## Summary",
            "## Porting order",
            "## Checklist",
            "## v1 functions",
            "## What the traces exercised",
            "## Known differences the workload hit",
            "## Sources and traces compared",
            "## Effort estimate",
            "## Inputs",
            "## Notes",
        ] == headings

    def test_json_validates_and_matches_the_markdown(self, scan_json: str, tmp_path: Path) -> None:
        """--format json validates against plan-v1.json; the Markdown of the same inputs shows the same totals."""
        out = tmp_path / "plan.json"
        done = run_command("plan", "--format", "json", "--output", str(out), scan_json, *map(str, EXAMPLES))
        document = json.loads(out.read_text())
        assert (0, "", []) == (done.returncode, done.stdout, list(plan_validator().iter_errors(document)))
        markdown = run_command("plan", scan_json, *map(str, EXAMPLES)).stdout
        summary = document["summary"]
        line = f"at {summary['sites']} site(s) in {summary['files']} file(s)"
        assert (True, True) == (line in markdown, f"in {summary['calls']} call(s) over 4 trace(s)" in markdown)

    def test_output_file(self, tmp_path: Path) -> None:
        """--output writes the plan to a file and nothing to stdout."""
        out = tmp_path / "plan.md"
        done = run_command("plan", "-q", "--output", str(out), str(EXAMPLES[3]))
        assert (0, "", "# RTMv1 to RTMv2 migration plan") == (
            done.returncode,
            done.stdout,
            out.read_text().splitlines()[0],
        )

    def test_no_replay(self, tmp_path: Path) -> None:
        """--no-replay writes a plan without the differences section and says so in a note."""
        done = run_command("plan", "--format", "json", "--no-replay", str(EXAMPLES[3]))
        document = json.loads(done.stdout)
        assert (0, None) == (done.returncode, document["differences"])
        assert any("--no-replay" in note for note in document["notes"])

    def test_registry(self, tmp_path: Path) -> None:
        """--registry replaces the shipped known-differences registry: with an empty one, rip.jsonl's RTMC-TIE is
        an unexpected difference; a registry that cannot be read is a usage error."""
        empty = tmp_path / "none.toml"
        empty.write_text("")
        done = run_command("plan", "--format", "json", "--registry", str(empty), str(EXAMPLES[3]))
        document = json.loads(done.stdout)
        assert (0, [], 1) == (
            done.returncode,
            document["differences"]["known"],
            len(document["differences"]["unexpected"]),
        )
        missing = run_command("plan", "--registry", str(tmp_path / "gone.toml"), str(EXAMPLES[3]))
        assert (2, "") == (missing.returncode, missing.stdout)
        assert missing.stderr.startswith(f"rtmcompat plan: error: {tmp_path / 'gone.toml'}: ")


class TestBadInput:
    def test_each_bad_input_is_named_and_no_plan_is_written(self, tmp_path: Path) -> None:
        """Two unusable files among good ones: each is named in one stderr line, exit 2, stdout and --output stay
        empty (a plan of fewer inputs than given would match none of them)."""
        empty, sarif, out = tmp_path / "empty.json", tmp_path / "scan.sarif", tmp_path / "plan.md"
        empty.write_text("")
        sarif.write_text(json.dumps({"version": "2.1.0", "runs": []}))
        done = run_command("plan", "--output", str(out), str(EXAMPLES[0]), str(empty), str(sarif))
        errors = [line for line in done.stderr.splitlines() if "error:" in line]
        assert (2, "", False) == (done.returncode, done.stdout, out.exists())
        assert [
            f"rtmcompat plan: error: {empty}: empty: not a scan report, trace or mapping log",
            f"rtmcompat plan: error: {sarif}: a SARIF log: give plan the output of rtmcompat scan --format json "
            "instead",
        ] == errors

    @pytest.mark.parametrize(
        "content",
        [b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xfe\xfd", b"not json at all\n", b'{"findings": [{"line": -1}]}'],
    )
    def test_unusable_files_never_give_a_traceback(self, tmp_path: Path, content: bytes) -> None:
        """Binary, undecodable, non-JSON and malformed files: one error line naming the file, exit 2."""
        path = tmp_path / "input"
        path.write_bytes(content)
        done = run_command("plan", str(path))
        assert (2, "", 1, True) == (
            done.returncode,
            done.stdout,
            len(done.stderr.splitlines()),
            done.stderr.startswith(f"rtmcompat plan: error: {path}: "),
        ), done.stderr

    def test_missing_file_and_directory(self, tmp_path: Path) -> None:
        """A path that does not exist and a directory are each named."""
        missing = tmp_path / "gone.jsonl"
        done = run_command("plan", str(missing), str(tmp_path))
        assert (2, 2) == (done.returncode, len(done.stderr.splitlines()))
        assert f"{missing}: cannot read" in done.stderr
        assert f"{tmp_path}: a directory" in done.stderr

    @pytest.mark.parametrize("args", [[], ["--format", "html", "x.jsonl"], ["--bogus", "x.jsonl"]])
    def test_usage_errors_exit_2(self, args: list[str]) -> None:
        """No input, an unknown format or option: argparse's usage error, exit 2."""
        done = run_command("plan", *args)
        assert (2, "") == (done.returncode, done.stdout)

    def test_help_documents_the_exit_statuses(self) -> None:
        """--help ends with the exit statuses."""
        done = run_command("plan", "--help")
        tail = done.stdout.split("exit status:")[1].split()
        assert (0, ["0", "the", "plan", "was", "written", "2"]) == (done.returncode, tail[:6])
