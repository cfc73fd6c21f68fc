"""The committed corpus (tests/compare/corpus/): diverging sequences `rtmcompat fuzz` found, minimised, plus
hand-made repros of the differences generation rarely reaches. Each replays to its pinned outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

import v2model
from rtmcompat import V1Reference
from rtmcompat.compare import compare_trace
from rtmcompat.trace import Call, Header, read, replay

CORPUS = Path(__file__).resolve().parent / "corpus"

#: file -> (verdict, the first difference that follows from no other: function, kind, id)
OUTCOMES = {
    "expected-hostbits-707491cbda.jsonl": ("expected", ("RtmAddRoute", "expected", "RTMC-HOSTBITS")),
    "expected-name-taken-handmade.jsonl": ("expected", ("RtmRegisterClient", "expected", "RTMC-NAME-TAKEN")),
    "expected-nexthop-mask-25c1f6c230.jsonl": ("expected", ("RtmAddRoute", "expected", "RTMC-NEXTHOP-MASK")),
    "expected-nexthop-mask-b6075341db.jsonl": ("expected", ("RtmAddRoute", "expected", "RTMC-NEXTHOP-MASK")),
    "expected-noncontig-3f523947b0.jsonl": ("expected", ("RtmAddRoute", "expected", "RTMC-NONCONTIG")),
    "expected-tie-handmade.jsonl": ("expected", ("RtmDeleteRoute", "expected", "RTMC-TIE")),
}


def test_every_corpus_file_is_pinned() -> None:
    """The table above lists exactly the corpus's files (a new fuzz find gets its outcome pinned here)."""
    assert sorted(OUTCOMES) == sorted(p.name for p in CORPUS.glob("*.jsonl"))


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_corpus_outcome(name: str) -> None:
    """The trace replays on both backends to its pinned verdict and first difference, in a handful of calls."""
    path = CORPUS / name
    result = compare_trace(path)
    roots = [(d.function, d.kind, d.id) for d in result.differences if d.kind != "consequence"]
    verdict, first = OUTCOMES[name]
    assert (verdict, first) == (result.verdict, roots[0])
    assert sum(isinstance(r, Call) for r in read(path)) <= 6


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_corpus_replays_as_recorded_on_the_reference(name: str) -> None:
    """Corpus traces are recordings on V1Reference: replaying one there reproduces every recorded result."""
    records = read(CORPUS / name)
    header = records[0]
    assert isinstance(header, Header)
    reference = V1Reference(clock=v2model.ManualClock(), protocol_priority=header.protocol_priority)
    items = replay(records, reference)
    assert [] == [item.call for item in items if item.recorded != item.observed]
