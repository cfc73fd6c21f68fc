"""The baseline: the simplest honest routing table that does the same operations as the benchmarks ask of v2model.

* ``prefixes``: a dict keyed by ``(addr, nbits)`` holding a destination: the list of its routes, each a tuple
  ``(owner, preference, metric, nexthop)``, and its best route, recomputed with ``min()`` over
  ``(preference, metric)`` after every change (ties: the earliest route, as in RTMv2).
* ``by_len``: one dict per prefix length, ``addr -> destination``, for longest-prefix match: probe the lengths
  present in the table, longest first.
* ``owned``: the owner index, ``owner -> {(addr, nbits): None}``, so deregistering an owner touches only its
  routes.

What it leaves out, and v2model does not: handles and their reference counts, argument validation, views,
change notification, hold-down, timers, locks, enumeration order, information structures. The ratio
model/baseline is therefore "what the RTMv2 semantics and API shape cost", not "how far from optimal".
"""

from __future__ import annotations

from collections.abc import Hashable
from operator import itemgetter
from typing import Any

#: ``(owner, preference, metric, nexthop)``
BaseRoute = tuple[Hashable, int, int, Any]

_cost = itemgetter(1, 2)


class BaseDest:
    """A destination: its routes in arrival order and the best of them."""

    __slots__ = ("best", "routes")

    def __init__(self) -> None:
        self.routes: list[BaseRoute] = []
        self.best: BaseRoute | None = None


class BaselineRib:
    """A routing table of one address family ``width`` bits wide."""

    def __init__(self, width: int = 32) -> None:
        self.width = width
        self.prefixes: dict[tuple[int, int], BaseDest] = {}
        self.by_len: list[dict[int, BaseDest]] = [{} for _ in range(width + 1)]
        self.owned: dict[Hashable, dict[tuple[int, int], None]] = {}
        self._masks = [((1 << n) - 1) << (width - n) for n in range(width + 1)]
        self._counts = [0] * (width + 1)
        #: ``(by_len[n], mask of n)`` for every length present, longest first.
        self._probes: list[tuple[dict[int, BaseDest], int]] = []

    def __len__(self) -> int:
        return len(self.prefixes)

    def route_count(self) -> int:
        """Routes in the table."""
        return sum(len(index) for index in self.owned.values())

    def _lengths_changed(self) -> None:
        counts, masks, by_len = self._counts, self._masks, self.by_len
        self._probes = [(by_len[n], masks[n]) for n in range(self.width, -1, -1) if counts[n]]

    def add(self, owner: Hashable, addr: int, nbits: int, pref: int, metric: int, nexthop: Any) -> None:
        """Add ``owner``'s route to ``addr/nbits`` (host bits already clear), or replace the one it has there."""
        key = (addr, nbits)
        dest = self.prefixes.get(key)
        route = (owner, pref, metric, nexthop)
        if dest is None:
            dest = self.prefixes[key] = BaseDest()
            self.by_len[nbits][addr] = dest
            self._counts[nbits] += 1
            if self._counts[nbits] == 1:
                self._lengths_changed()
            dest.routes.append(route)
        else:
            routes = dest.routes
            for i, old in enumerate(routes):
                if old[0] == owner:
                    routes[i] = route
                    break
            else:
                routes.append(route)
        dest.best = min(dest.routes, key=_cost)
        index = self.owned.get(owner)
        if index is None:
            index = self.owned[owner] = {}
        index[key] = None

    def delete(self, owner: Hashable, addr: int, nbits: int) -> bool:
        """Delete ``owner``'s route to ``addr/nbits``; False if it has none."""
        index = self.owned.get(owner)
        key = (addr, nbits)
        if index is None or key not in index:
            return False
        del index[key]
        self._remove(owner, key)
        return True

    def deregister(self, owner: Hashable) -> int:
        """Delete every route of ``owner``; returns how many there were."""
        index = self.owned.pop(owner, {})
        remove = self._remove
        for key in index:
            remove(owner, key)
        return len(index)

    def _remove(self, owner: Hashable, key: tuple[int, int]) -> None:
        dest = self.prefixes[key]
        routes = [r for r in dest.routes if r[0] != owner]
        if routes:
            dest.routes = routes
            dest.best = min(routes, key=_cost)
            return
        del self.prefixes[key]
        addr, nbits = key
        del self.by_len[nbits][addr]
        self._counts[nbits] -= 1
        if not self._counts[nbits]:
            self._lengths_changed()

    def exact(self, addr: int, nbits: int) -> BaseRoute | None:
        """The best route of exactly ``addr/nbits``."""
        dest = self.prefixes.get((addr, nbits))
        return None if dest is None else dest.best

    def lookup(self, addr: int) -> BaseDest | None:
        """Longest-prefix match of a host address: the destination (its ``best`` is the answer), or None.
        Every destination in the table has a route, so the first hit is the answer."""
        for index, mask in self._probes:
            dest = index.get(addr & mask)
            if dest is not None:
                return dest
        return None


def lookup_all(rib: BaselineRib, hosts: list[int]) -> int:
    """The baseline's lookup loop (timed): longest-prefix match per host; returns how many were covered."""
    lookup = rib.lookup
    hits = 0
    for host in hosts:
        dest = lookup(host)
        if dest is not None and dest.best is not None:
            hits += 1
    return hits


def delete_keys(rib: BaselineRib, owner: Hashable, keys: list[tuple[int, int]]) -> int:
    """The baseline's "correct client" exit (timed), before its final ``deregister``: delete each route.
    Returns how many deletes found no route."""
    delete = rib.delete
    missing = 0
    for addr, nbits in keys:
        if not delete(owner, addr, nbits):
            missing += 1
    return missing
