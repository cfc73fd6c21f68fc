"""The rtmcompat command: demo and mapping."""

from __future__ import annotations

import io
import subprocess
import sys

import structlog
from structlog.testing import LogCapture

import rtmcompat
from rtmcompat.cli import main
from rtmcompat.demo import run_demo


class TestDemo:
    def test_demo_tells_the_story_and_ends_clean(self) -> None:
        """The demo registers RIP and OSPF, lets a v2 entity join, deregisters RIP, logs every v1 call and ends
        with an empty leak report."""
        cap = LogCapture()
        out = io.StringIO()
        run_demo(structlog.wrap_logger(None, processors=[cap]), out)
        text = out.getvalue()
        calls = [entry["v1"] for entry in cap.entries]
        assert "RtmRegisterClient" == calls[0]
        assert "RtmDeregisterClient" in calls
        assert {"rtm.v1_call"} == {entry["event"] for entry in cap.entries}
        assert "Best routes before RIP leaves" in text
        assert "Best routes after RIP left" in text
        assert text.rstrip().endswith("Leak report after everyone left: empty")

    def test_module_entry_point_runs(self) -> None:
        """`python -m rtmcompat demo` (what make demo runs) exits 0, tells the story on stdout and logs the mapping
        on stderr."""
        done = subprocess.run(
            [sys.executable, "-m", "rtmcompat", "demo"], capture_output=True, text=True, timeout=120, check=False
        )
        assert 0 == done.returncode, done.stderr
        assert "rtm.v1_call" in done.stderr
        assert "rtm.v1_call" not in done.stdout
        assert "Leak report after everyone left: empty" in done.stdout


class TestMapping:
    def test_markdown(self, capsys: object) -> None:
        """`rtmcompat mapping --markdown` prints the generated table."""
        assert 0 == main(["mapping", "--markdown"])
        printed = capsys.readouterr().out  # type: ignore[attr-defined]
        assert rtmcompat.mapping_markdown() + "\n" == printed

    def test_text_names_every_v1_function(self, capsys: object) -> None:
        """`rtmcompat mapping` lists every mapped v1 function."""
        assert 0 == main(["mapping"])
        printed = capsys.readouterr().out  # type: ignore[attr-defined]
        for mapping in rtmcompat.MAPPINGS:
            assert mapping.v1 in printed
