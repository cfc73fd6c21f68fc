"""The shipped example workloads: each committed trace is what its script records, and its compare outcome is
pinned (no unexpected difference; each expected one named by its id)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from examples import agent, full_table, ipx, ospf, rip
from examples._record import HERE, record
from rtmcompat._registry import default_registry
from rtmcompat._report_text import text_report
from rtmcompat.compare import Report, compare_trace

EXAMPLES = {"rip": rip, "ospf": ospf, "agent": agent, "ipx": ipx}

#: Each example's verdict and its differences that follow from no other: (function, kind, id).
OUTCOMES = {
    "rip": ("expected", [("RtmDequeueRouteChangeMessage", "expected", "RTMC-TIE")]),
    "ospf": ("identical", []),
    "agent": ("expected", [("RtmAddRoute", "expected", "RTMC-HOSTBITS")]),
    "ipx": ("identical", []),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_committed_trace_is_what_the_script_records(name: str) -> None:
    """Re-running the example's workload writes its committed trace byte for byte (run `python -m examples.NAME`
    after changing a script)."""
    module = EXAMPLES[name]
    sink = io.StringIO()
    record(module.workload, sink, getattr(module, "PRIORITY", None))
    assert (HERE / f"{name}.jsonl").read_text(encoding="utf-8") == sink.getvalue()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_compare_outcome(name: str) -> None:
    """`rtmcompat compare examples/NAME.jsonl` gives the pinned verdict and known differences."""
    result = compare_trace(HERE / f"{name}.jsonl")
    roots = [(d.function, d.kind, d.id) for d in result.differences if d.kind != "consequence"]
    assert OUTCOMES[name] == (result.verdict, roots)


def test_full_table_from_a_table_file(tmp_path: Path) -> None:
    """The full-table generator reads a prefix<TAB>AS table (comments, duplicates, IPv6 and host bits handled),
    adds every prefix, drains the manager's messages and records a trace both backends agree on."""
    table = tmp_path / "rib.dat.gz"
    with gzip.open(table, "wt", encoding="ascii") as handle:
        handle.write("; a comment\n10.0.0.0/8\t100\n10.1.0.0/16\t200\n10.1.0.0/16\t300\n2001:db8::/32\t5\n")
        handle.write("192.0.2.77/24\t{64512}\n198.51.100.0/24\t64513\n")
    out = tmp_path / "ft.jsonl"
    assert 4 == full_table.record(table, out, batch=2)
    result = compare_trace(out)
    assert ("identical", 20) == (result.verdict, result.calls)
    assert 0 == full_table.main(["--data", str(table), "--out", str(tmp_path / "b.jsonl"), "--limit", "2"])


def test_readme_report_excerpt_is_real() -> None:
    """The report excerpt in README.md's "Compare your own workload" is what `rtmcompat compare examples/rip.jsonl`
    prints (lines cut at "..." are compared up to the cut)."""
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("```text\n", 1)[1].split("```", 1)[0]
    report = Report([compare_trace(HERE / "rip.jsonl", path="examples/rip.jsonl")], default_registry())
    printed = [line.rstrip() for line in text_report(report).splitlines()]
    for line in excerpt.splitlines():
        wanted = line[3:].removesuffix(" ...")  # the excerpt is indented by three spaces in its list item
        assert any(p.startswith(wanted) for p in printed), wanted
