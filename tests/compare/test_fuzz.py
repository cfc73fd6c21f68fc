"""Generated workloads: `rtmcompat fuzz` saves each new kind of divergence, minimised, as a trace in a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from rtmcompat._fuzz import fuzz, record
from rtmcompat._minimize import signature, target
from rtmcompat._registry import default_registry
from rtmcompat.cli import main
from rtmcompat.compare import compare_trace


def test_saves_new_divergences_once(tmp_path: Path) -> None:
    """With documented differences included, a short seeded search saves minimised traces, each showing a
    different signature, and a second search over the same corpus saves none of those again."""
    corpus = tmp_path / "corpus"
    first = fuzz(corpus, default_registry(), examples=150, seed=1, include_expected=True, max_found=3)
    assert first
    signatures = []
    for found in first:
        result = compare_trace(found.path)
        wanted = target(result.differences)
        assert wanted is not None
        assert (found.kind, found.id) == (wanted.kind, wanted.id)
        assert found.calls <= 4
        signatures.append(signature(wanted))
    assert len(set(signatures)) == len(signatures)
    again = fuzz(corpus, default_registry(), examples=150, seed=1, include_expected=True, max_found=3)
    for found in again:
        wanted = target(compare_trace(found.path).differences)
        assert wanted is not None
        assert signature(wanted) not in signatures


def test_recorded_programs_are_readable_traces() -> None:
    """A program of every step kind runs on the reference and records a trace both backends replay."""
    program = (
        1,
        [
            ("register", 1, 0, True, False),
            ("register", 0, 1, True, True),
            ("add", 0, 2, 1, 0, 1, 60),
            ("add", 1, 0, 2, 1, 2, 5),
            ("delete", 0, 2, 1, 0),
            ("block", 0, 1, 2),
            ("dequeue", 0),
            ("advance", 60_000),
            ("is_route", 1, 2),
            ("lookup", 0),
            ("count", 0),
            ("walk", 1, 0),
            ("open", 1, 0, 0),
            ("next", 0),
            ("close", 0),
            ("deregister", 1),
        ],
    )
    result = compare_trace(record(program))
    assert ("identical", 15) == (result.verdict, result.calls)


def test_without_hypothesis_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """When Hypothesis is missing, `rtmcompat fuzz` ends with one line naming the extra to install (status 2)."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "hypothesis" else real(name, *a))
    assert 2 == main(["fuzz", "--corpus", "unused"])
    assert "rtmcompat fuzz: error: rtmcompat fuzz needs Hypothesis: pip install 'rtmcompat[fuzz]'\n" == (
        capsys.readouterr().err
    )
