"""Minimal repros: delta debugging shrinks a diverging trace to a few calls showing the same classified difference,
written as a trace, a pytest test and the command."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from rtmcompat._minimize import ddmin, minimize, signature, target, write_repro
from rtmcompat._registry import default_registry
from rtmcompat.compare import compare_trace
from rtmcompat.trace import Call, read

from .support import hostbits, record, tie


def _shrink(lines: list[str]) -> Any:
    records = read(lines)
    wanted = target(compare_trace(records).differences)
    assert wanted is not None
    repro = minimize(records, default_registry(), wanted)
    assert repro is not None
    return repro, wanted


class TestMinimize:
    def test_tie_shrinks_to_the_four_calls_it_needs(self) -> None:
        """A tie needs a registration, the best route, two equal-cost routes and the delete: five calls, and the
        repro shows RTMC-TIE at its last call."""
        repro, wanted = _shrink(record(tie))
        assert 5 == repro.calls
        again = compare_trace(repro.records)
        assert [signature(wanted)] == [signature(d) for d in again.differences if d.kind != "consequence"][:1]
        assert "RtmDeleteRoute" == [r for r in repro.records if isinstance(r, Call)][-1].function

    def test_host_bits_shrinks_to_two_calls(self) -> None:
        """A host-bits network needs a registration and the add."""
        repro, _ = _shrink(record(hostbits))
        assert ["RtmRegisterClient", "RtmAddRoute"] == [r.function for r in repro.records if isinstance(r, Call)]

    def test_the_repro_is_a_clean_recording(self) -> None:
        """The repro is re-recorded on V1Reference: a header, fresh handle names, the reference's results."""
        repro, _ = _shrink(record(tie))
        assert "V1Reference" == repro.records[0].recorder["backend"]
        calls = [r for r in repro.records if isinstance(r, Call)]
        assert list(range(1, len(calls) + 1)) == [c.seq for c in calls]

    def test_files_and_a_passing_test(self, tmp_path: Path) -> None:
        """write_repro writes the trace and a pytest test that passes on it, and gives the command."""
        repro, _ = _shrink(record(tie))
        written = write_repro(repro, "some dir/my-trace.jsonl", tmp_path)
        assert f"rtmcompat compare {tmp_path}/my_trace.min.jsonl" == written["command"]
        assert (5, 12) == (written["calls"], written["original_calls"])
        spec = importlib.util.spec_from_file_location("repro_test", written["test"])
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.test_my_trace_min()

    def test_nothing_to_shrink(self) -> None:
        """A difference the trace does not show (a made-up one) gives None."""
        records = read(record(tie))
        wanted = target(compare_trace(records).differences)
        assert wanted is not None
        fake = type(wanted)(1, "RtmGetNetworkCount", "unexpected", None)
        assert minimize(records, default_registry(), fake) is None


@pytest.mark.parametrize(("size", "needed"), [(1, {0}), (10, {3, 7}), (50, {0, 25, 49}), (30, set(range(30)))])
def test_ddmin_finds_a_one_minimal_subset(size: int, needed: set[int]) -> None:
    """ddmin returns exactly the items the test needs when it needs a fixed set of them."""
    items = [Call(i, "RtmGetNetworkCount", (1,), 0) for i in range(size)]
    found = ddmin(items, lambda chosen: needed <= {c.call for c in chosen})
    assert needed == {c.call for c in found}
