"""`rtmcompat scan` through the installed command: exit statuses, bad input (each with its message), CI controls
(--fail-on, --baseline, inline suppressions) and where the summary goes."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from rtmcompat.cli import main

from .support import CORPUS, run_command

V1_CALL = "DWORD f(HANDLE h) { return RtmDeregisterClient(h); }\n"


def _json(stdout: str) -> dict:  # type: ignore[type-arg]
    document: dict = json.loads(stdout)  # type: ignore[type-arg]
    return document


def _files(document: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {Path(entry["path"]).name: entry for entry in document["files"]}


class TestExitStatus:
    def test_findings_without_fail_on_exit_0(self, tmp_path: Path) -> None:
        """Findings alone do not fail the run."""
        (tmp_path / "a.c").write_text(V1_CALL)
        done = run_command("scan", str(tmp_path))
        assert (0, 1) == (done.returncode, len(done.stdout.splitlines()))

    @pytest.mark.parametrize(("level", "status"), [("note", 1), ("warning", 1), ("error", 0)])
    def test_fail_on(self, tmp_path: Path, level: str, status: int) -> None:
        """--fail-on LEVEL exits 1 when a finding is at LEVEL or above (a v1 call is a warning)."""
        (tmp_path / "a.c").write_text(V1_CALL)
        assert status == run_command("scan", "--fail-on", level, str(tmp_path)).returncode

    def test_missing_path_exits_2_and_the_others_are_scanned(self, tmp_path: Path) -> None:
        """A path that does not exist is named on stderr, the run exits 2, and the other paths are still scanned."""
        (tmp_path / "a.c").write_text(V1_CALL)
        missing = tmp_path / "nothere"
        done = run_command("scan", "--format", "json", str(missing), str(tmp_path))
        document = _json(done.stdout)
        assert 2 == done.returncode
        assert f"rtmcompat scan: error: {missing}: does not exist" in done.stderr
        assert (1, "missing") == (document["summary"]["findings"], _files(document)["nothere"]["status"])

    def test_missing_path_wins_over_fail_on(self, tmp_path: Path) -> None:
        """Exit 2 (a path is missing) comes before exit 1 (--fail-on)."""
        (tmp_path / "a.c").write_text(V1_CALL)
        assert 2 == run_command("scan", "--fail-on", "note", str(tmp_path / "x"), str(tmp_path)).returncode

    def test_usage_errors_exit_2(self, tmp_path: Path) -> None:
        """An unknown format, level or a bad size limit is a usage error."""
        assert 2 == run_command("scan", "--format", "xml", str(tmp_path)).returncode
        assert 2 == run_command("scan", "--fail-on", "fatal", str(tmp_path)).returncode
        done = run_command("scan", "--max-file-size", "0", str(tmp_path))
        assert (2, "rtmcompat scan: error: --max-file-size must be a positive number of MiB\n") == (
            done.returncode,
            done.stderr,
        )

    def test_output_file(self, tmp_path: Path) -> None:
        """--output writes the report to a file and nothing to stdout."""
        (tmp_path / "a.c").write_text(V1_CALL)
        target = tmp_path / "report.sarif"
        done = run_command("scan", "--format", "sarif", "--output", str(target), str(tmp_path / "a.c"))
        assert (0, "") == (done.returncode, done.stdout)
        assert "2.1.0" == json.loads(target.read_text())["version"]


class TestBadInput:
    """Each bad input gets a clear entry in `files` (and never a traceback); the scan goes on."""

    def _scan(self, path: Path, *extra: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
        done = run_command("scan", "--format", "json", *extra, str(path))
        assert "Traceback" not in done.stderr
        return done.returncode, _json(done.stdout), done.stderr

    def test_binary_file(self, tmp_path: Path) -> None:
        """A file with NUL bytes is skipped as binary; the next file is scanned."""
        (tmp_path / "blob.c").write_bytes(b"\x7fELF\x00\x01\x02" + bytes(range(256)))
        (tmp_path / "ok.c").write_text(V1_CALL)
        status, document, _ = self._scan(tmp_path)
        assert (0, "skipped", "binary file (NUL byte at offset 4): not scanned", 1) == (
            status,
            _files(document)["blob.c"]["status"],
            _files(document)["blob.c"]["reason"],
            document["summary"]["findings"],
        )

    def test_non_utf8_file(self, tmp_path: Path) -> None:
        """A file that is not UTF-8 is read as Latin-1 (one character per byte), says so, and is scanned."""
        (tmp_path / "latin.c").write_bytes(
            "/* Grüße */\nDWORD f(HANDLE h) { return RtmDeregisterClient(h); }\n".encode("latin-1")
        )
        status, document, _ = self._scan(tmp_path)
        entry = _files(document)["latin.c"]
        assert (0, "latin-1", "not valid UTF-8 (first bad byte on line 1): read as Latin-1") == (
            status,
            entry["encoding"],
            entry["encoding_note"],
        )
        assert [(2, 28, "RtmDeregisterClient")] == [(f["line"], f["column"], f["symbol"]) for f in document["findings"]]

    def test_huge_file(self, tmp_path: Path) -> None:
        """A file over --max-file-size is skipped with the sizes in the message."""
        (tmp_path / "huge.c").write_text(V1_CALL * 2000)
        status, document, _ = self._scan(tmp_path, "--max-file-size", "0.05")
        assert (0, "skipped", "too large: 103.5 KiB is over the 51.2 KiB limit (--max-file-size): not scanned") == (
            status,
            _files(document)["huge.c"]["status"],
            _files(document)["huge.c"]["reason"],
        )

    def test_symlink_loop(self, tmp_path: Path) -> None:
        """A directory link back into the walk is reported as a loop and not followed; a self-referencing link is
        a broken link."""
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "a.c").write_text(V1_CALL)
        os.symlink(tmp_path / "src", tmp_path / "src" / "again")
        os.symlink(tmp_path / "self.c", tmp_path / "self.c")
        status, document, _ = self._scan(tmp_path)
        files = _files(document)
        assert (0, 1) == (status, document["summary"]["findings"])
        assert "symbolic link loop: leads back to a directory being walked; not followed" == files["again"]["reason"]
        assert files["self.c"]["reason"].startswith("broken or looping symbolic link")

    def test_fifo_is_not_opened(self, tmp_path: Path) -> None:
        """A FIFO named like a source is not read (it would block): it gets a reason."""
        os.mkfifo(tmp_path / "pipe.c")
        status, document, _ = self._scan(tmp_path)
        assert (0, "not a regular file (device, FIFO or socket): not read") == (
            status,
            _files(document)["pipe.c"]["reason"],
        )

    def test_thousands_of_files(self, tmp_path: Path) -> None:
        """A directory of 3,000 files (half of them not sources) is walked; the others are counted, not listed."""
        for number in range(1500):
            (tmp_path / f"m{number}.c").write_text(f"int g{number}(void) {{ return RtmGetNetworkCount(1); }}\n")
            (tmp_path / f"n{number}.txt").write_text("notes\n")
        status, document, _ = self._scan(tmp_path)
        summary = document["summary"]
        assert (0, 1500, 1500, {"not a C/C++ source or build file": 1500}) == (
            status,
            summary["files"]["scanned"],
            summary["findings"],
            summary["not_read"],
        )

    def test_unreadable_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file that cannot be opened gets the system's reason (in-process: the tests run as root, who can read
        anything, so the error is injected)."""
        from rtmcompat._scansource import Unreadable, read_source

        target = tmp_path / "secret.c"
        target.write_text(V1_CALL)
        real_open = open

        def refuse(path: object, *args: object, **kwargs: object) -> object:
            if str(path) == str(target):
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr("builtins.open", refuse)
        assert Unreadable("cannot read: Permission denied", len(V1_CALL)) == read_source(str(target), 1 << 20)


class TestCiControls:
    def test_baseline_reports_only_new_findings_across_line_shifts(self, tmp_path: Path) -> None:
        """With a previous JSON or SARIF report as --baseline, moved code is not new; an added call is."""
        source = tmp_path / "a.c"
        source.write_text(V1_CALL)
        for form in ("json", "sarif"):
            before = tmp_path / f"before.{form}"
            assert (
                0
                == run_command("scan", "--format", form, "--output", str(before), str(source), cwd=tmp_path).returncode
            )
            source.write_text(
                "\n\n/* moved down */\n" + V1_CALL + "DWORD g(HANDLE h) { return RtmDeleteRoute(h, 0, 0, 0); }\n"
            )
            done = run_command("scan", "--format", "json", "--baseline", str(before), str(source), cwd=tmp_path)
            document = _json(done.stdout)
            assert (["RtmDeleteRoute"], {"path": str(before), "known_findings": 1}) == (
                [f["symbol"] for f in document["findings"]],
                document["summary"]["baseline"],
            ), form
            source.write_text(V1_CALL)

    def test_bad_baseline_is_a_usage_error(self, tmp_path: Path) -> None:
        """A baseline that is not a report of this command stops the run with exit 2 and a message."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"hello": 1}')
        done = run_command("scan", "--baseline", str(bad), str(tmp_path))
        assert 2 == done.returncode
        assert "is neither an `rtmcompat scan --format json` report nor a SARIF log" in done.stderr
        done = run_command("scan", "--baseline", str(tmp_path / "none.json"), str(tmp_path))
        assert (
            2,
            f"rtmcompat scan: error: cannot read baseline {tmp_path / 'none.json'}: No such file or directory\n",
        ) == (
            done.returncode,
            done.stderr,
        )

    def test_baseline_nested_too_deeply_is_a_usage_error(self, tmp_path: Path) -> None:
        """A baseline nested deeper than Python's JSON parser goes is exit 2 with a one-line message, no traceback."""
        deep = tmp_path / "deep.json"
        deep.write_text("[" * 100_000 + "]" * 100_000)
        done = run_command("scan", "--baseline", str(deep), str(tmp_path))
        assert (2, f"rtmcompat scan: error: baseline {deep} is not a usable JSON document: nested too deeply\n") == (
            done.returncode,
            done.stderr,
        )

    def test_suppressions(self, tmp_path: Path) -> None:
        """A suppression with a reason silences its line (or the next line when alone); one without a reason is
        a finding and silences nothing; one that matches nothing is a note."""
        (tmp_path / "a.c").write_text(
            "DWORD f(HANDLE h)\n"
            "{\n"
            "    // rtmcompat: ignore[RtmDeregisterClient] reason: removed in the next release\n"
            "    RtmDeregisterClient(h);\n"
            "    RtmDeregisterClient(h); /* rtmcompat: ignore[RtmDeregisterClient] */\n"
            "    return 0; // rtmcompat: ignore[*] reason: nothing here\n"
            "}\n"
        )
        document = _json(run_command("scan", "--format", "json", str(tmp_path)).stdout)
        assert [
            (5, "RtmDeregisterClient", "warning"),
            (5, "rtmcompat:ignore", "warning"),
            (6, "rtmcompat:ignore", "note"),
        ] == [(f["line"], f["symbol"], f["level"]) for f in document["findings"]]
        assert [(4, "removed in the next release")] == [
            (f["line"], f["suppression"]["reason"]) for f in document["suppressed"]
        ]


class TestStreams:
    def test_text_summary_goes_to_stderr(self) -> None:
        """Text: stdout is one line per finding (greppable); the summary with counts by symbol and file is on
        stderr."""
        done = run_command("scan", str(CORPUS / "rip_v1.c"))
        assert all(line.startswith(f"{CORPUS / 'rip_v1.c'}:") for line in done.stdout.splitlines())
        assert "  by symbol:" in done.stderr
        assert "  by file:" in done.stderr

    def test_quiet_keeps_stderr_for_errors(self, tmp_path: Path) -> None:
        """--quiet drops the summary; a missing path is still named."""
        done = run_command("scan", "-q", str(tmp_path / "gone"))
        assert (2, f"rtmcompat scan: error: {tmp_path / 'gone'}: does not exist\n") == (done.returncode, done.stderr)

    def test_json_summary_is_in_the_report(self) -> None:
        """JSON carries the summary; stderr gets one completion line."""
        done = run_command("scan", "--format", "json", str(CORPUS / "rip_v1.c"))
        assert 1 == len(done.stderr.splitlines())
        assert _json(done.stdout)["summary"]["by_symbol"]

    def test_corpus_copy_scans_the_same(self, tmp_path: Path) -> None:
        """Scanning a copy of the corpus gives the same counts (nothing depends on the checkout's location)."""
        shutil.copytree(CORPUS, tmp_path / "corpus")
        here = _json(run_command("scan", "--format", "json", ".", cwd=CORPUS).stdout)["summary"]
        there = _json(run_command("scan", "--format", "json", ".", cwd=tmp_path / "corpus").stdout)["summary"]
        assert here == there


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class TestProgress:
    def test_a_bar_on_a_terminal_only(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """On a terminal, stderr shows a progress bar over the files (erased at the end); piped, there is none
        (the subprocess tests above see no escape codes)."""
        for number in range(3):
            (tmp_path / f"m{number}.c").write_text(V1_CALL)
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        monkeypatch.setattr(sys, "stdout", io.StringIO())
        assert 0 == main(["scan", "--format", "json", str(tmp_path)])
        assert "scanning [##############################] 3/3" in terminal.getvalue()
        piped = run_command("scan", str(tmp_path))
        assert "\x1b" not in piped.stderr
