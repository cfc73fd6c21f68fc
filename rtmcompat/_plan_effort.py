"""The effort estimate: a range of points from the mapping table's weights and per-site factors (M-PLAN-EFFORT).

Every counted site ``s`` of a v1 function ``f`` adds an interval::

    low(s)  = weight(f) x kind_low(s)  x confidence_low(s)
    high(s) = weight(f) x kind_high(s) x confidence_high(s) x manual(f)

``weight`` is the mapping table's effort weight of ``f`` (1 a rename ... 5 a design change, EFFORT_SCALE);
``kind`` says how the site uses ``f``, ``confidence`` how sure the scanner is of it (KIND_FACTORS,
CONFIDENCE_FACTORS); ``manual`` is MANUAL_FACTOR when a person has to decide something to port ``f`` (the mapping
table's ``manual``), else 1. A function the traces call but no scan report shows (or every traced function, when
no scan report is given) counts one ``assumed`` site: the least a code base that calls it has. The estimate is
the sum over all sites, ``[sum low, sum high]``, in points: one point is a direct call of a weight-1 function (a
rename). Types, constants, header macros, the include and rtm.lib add no points: they change with the calls
around them. Callers of wrapper functions and names inside longer strings add none either (the wrapper's own call
is the site).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

import attrs

from ._mapping import BY_NAME, EFFORT_SCALE
from ._plan_sources import Site

#: (low, high) factor by how a site uses the function.
KIND_FACTORS: Final[dict[str, tuple[float, float]]] = {
    "call": (1.0, 1.0),
    "macro-use": (0.0, 1.0),
    "dynamic": (1.0, 1.0),
    "reference": (0.5, 1.0),
    "assumed": (1.0, 1.0),
}
#: Why each kind factor is what it is (shown with the formula).
KIND_REASONS: Final[dict[str, str]] = {
    "call": "a direct call: the port rewrites it",
    "macro-use": "a use of the code base's own macro: nothing when the macro's ported body keeps its signature, a "
    "rewrite when it cannot",
    "dynamic": "a name looked up at run time (GetProcAddress): the lookup and the call through the pointer",
    "reference": "the name used as a value, a prototype, a member or a .def entry: at least its declaration",
    "assumed": "the traces call the function but no scan report shows it: one site at least",
}
#: (low, high) factor by the scanner's confidence in the site (M-SCAN-CONFIDENCE).
CONFIDENCE_FACTORS: Final[dict[str, tuple[float, float]]] = {
    "high": (1.0, 1.0),
    "medium": (0.5, 1.0),
    "low": (0.0, 1.0),
}
#: (low, high) factor for functions whose port needs a person's decision.
MANUAL_FACTOR: Final = (1.0, 1.5)

FORMULA: Final = (
    "low(site) = weight x kind_low x confidence_low; "
    "high(site) = weight x kind_high x confidence_high x manual_high; "
    "estimate = [sum of low, sum of high] over every counted site"
)
UNIT: Final = "points (1 point = one direct call of a weight-1 function, a rename)"


@attrs.frozen
class Row:
    """The estimate for one v1 function."""

    v1: str
    weight: int
    manual: bool
    #: Counted sites by kind (``assumed`` included).
    sites: dict[str, int]
    low: float
    high: float


@attrs.frozen
class Effort:
    """The whole estimate, per function in mapping-table order."""

    rows: tuple[Row, ...]
    low: float
    high: float


def site_range(v1: str, kind: str, confidence: str) -> tuple[float, float]:
    """The (low, high) points one site adds."""
    mapping = BY_NAME[v1]
    kind_low, kind_high = KIND_FACTORS[kind]
    conf_low, conf_high = CONFIDENCE_FACTORS[confidence]
    manual = MANUAL_FACTOR[1] if mapping.manual else 1.0
    return mapping.effort * kind_low * conf_low, mapping.effort * kind_high * conf_high * manual


def estimate(sites: Iterable[Site], assumed: Iterable[str]) -> Effort:
    """The estimate from the counted sites and the functions that get one assumed site."""
    kinds: dict[str, Counter[str]] = {}
    points: dict[str, list[float]] = {}
    counted: list[tuple[str, str, str]] = [(site.v1, site.kind, site.confidence) for site in sites]
    counted += [(v1, "assumed", "high") for v1 in assumed]
    for v1, kind, confidence in counted:
        kinds.setdefault(v1, Counter())[kind] += 1
        low, high = site_range(v1, kind, confidence)
        total = points.setdefault(v1, [0.0, 0.0])
        total[0] += low
        total[1] += high
    rows = tuple(
        Row(
            v1,
            mapping.effort,
            mapping.manual,
            {kind: kinds[v1][kind] for kind in KIND_FACTORS if kinds[v1][kind]},
            points[v1][0],
            points[v1][1],
        )
        for v1, mapping in BY_NAME.items()
        if v1 in kinds
    )
    return Effort(rows, sum(row.low for row in rows), sum(row.high for row in rows))


def scale() -> dict[str, str]:
    """The mapping table's effort scale, for the report."""
    return {str(weight): meaning for weight, meaning in EFFORT_SCALE.items()}
