"""The workload both implementations run: who adds which routes with which cost, shared by the timing run
(``bench.__main__``) and the memory children (``bench.memory``) so they measure the same thing.

* Entity A is RIP-like (Preference 120): one route per prefix, through one of 64 next hops chosen by the
  prefix's origin AS (``asn % 64``), metric ``1 + hop % 15``.
* Entity B is BGP-like (Preference 20) with its own 64 next hops and the same prefixes: lower Preference wins
  in RTMv2, so **B's routes win** and every one of B's adds changes a best route, and deregistering B hands every
  destination back to A. That is the expensive side of both operations.
"""

from __future__ import annotations

from collections.abc import Hashable

from v2model import RTM_ROUTE_INFO

from .baseline import BaselineRib
from .data import PrefixTable

NEXTHOPS = 64
PREF_A = 120
PREF_B = 20
#: Baseline next hops are ints; B's are offset so they differ from A's, as the model's do.
BASE_NEXTHOP_OFFSET = {"A": 0, "B": NEXTHOPS, "C": 2 * NEXTHOPS}

#: ``(addr, nbits, preference, metric, nexthop)``: one baseline add.
BaseItem = tuple[int, int, int, int, int]


def hop_of(asn: int) -> int:
    """The next hop (0..63) a prefix's route goes through."""
    return asn % NEXTHOPS


def metric_of(hop: int) -> int:
    """The metric of a route through next hop ``hop`` (the model's route_infos use the same rule)."""
    return 1 + hop % 15


def model_route_infos(table: PrefixTable, per_hop: list[RTM_ROUTE_INFO]) -> list[RTM_ROUTE_INFO]:
    """The RTM_ROUTE_INFO of each prefix's route (references to the per-next-hop structures)."""
    return [per_hop[hop_of(asn)] for _, _, asn in table.prefixes]


def baseline_items(table: PrefixTable, owner: str, preference: int) -> list[BaseItem]:
    """The baseline's add arguments for each prefix."""
    offset = BASE_NEXTHOP_OFFSET[owner]
    return [
        (addr, nbits, preference, metric_of(hop_of(asn)), offset + hop_of(asn)) for addr, nbits, asn in table.prefixes
    ]


def baseline_add_all(rib: BaselineRib, owner: Hashable, items: list[BaseItem]) -> None:
    """The baseline's add loop (timed)."""
    add = rib.add
    for addr, nbits, pref, metric, nexthop in items:
        add(owner, addr, nbits, pref, metric, nexthop)
