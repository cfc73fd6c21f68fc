"""One routing table (an RTM instance and address family): the destination index and best-route selection.

Theory of operation
-------------------
* ``dests`` maps the key of every *present* destination (spec A-dest-lifetime: at least one live or hold-down
  route) to its object. Exact match is one dict lookup.
* Longest-prefix match probes ``dests`` once per prefix length that occurs in the table, longest first
  (``_lengths``, kept up to date from per-length counts). A real IPv4 table uses ~25 lengths and most lookups end
  at /24 after a handful of probes: no trie walk, no per-node objects, fast on a full Internet table.
* ``order`` keeps the same keys sorted for the enumerations (address order, shorter prefix first).
* Each destination caches its best route per view: ``argmin (Preference, Metric)`` over its live routes in that
  view; ties keep the incumbent, then the earliest created route wins (spec 2.6, A-tie). Selection scans the
  destination's routes, which are few.
* A mutation takes a ``snapshot`` of the best routes first and ``classify`` compares after: which views' best
  route changed (RTM_CHANGE_TYPE_BEST) and which of those changes matter for forwarding (spec A-notify-trigger).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._addr import KEY_SHIFT, Family, dest_key, prefix_mask
from ._config import RtmConfig
from ._constants import RTM_ROUTE_FLAGS_FORWARDING, RTM_ROUTE_FLAGS_INACTIVE
from ._objects import Dest, Entity, NotifyReg, Route
from ._sortedkeys import SortedKeys

#: What BEST/FORWARDING classification compares of a view's best route.
BestSig = tuple[Route, int, int, tuple[Any, ...], int] | None


class Table:
    """The routing table of one (RTM instance, address family)."""

    def __init__(self, instance_id: int, family: Family, config: RtmConfig, manager: object) -> None:
        #: The RoutingTableManager the table belongs to (handles never cross managers).
        self.manager = manager
        self.instance_id = instance_id
        self.family = family
        self.config = config
        self.views_supported = config.views_supported
        self.nviews = config.views_supported.bit_length()
        self.view_ids = tuple(v for v in range(self.nviews) if config.views_supported >> v & 1)
        #: TargetViews mask -> the supported view ids in it (a handful of masks are ever used).
        self.vids_cache: dict[int, tuple[int, ...]] = {}
        #: Registered entities by (protocol id, instance id), in registration order.
        self.entities: dict[tuple[int, int], Entity] = {}
        self.dests: dict[int, Dest] = {}
        self.order: SortedKeys[int] = SortedKeys()
        self._len_counts = [0] * (family.bits + 1)
        #: (length, mask) of every prefix length present, longest first: the probes of longest_match.
        self._lengths: tuple[tuple[int, int], ...] = ()
        self.free_opaque_slots = list(range(config.max_opaque_pointers - 1, -1, -1))
        self.notify_regs: dict[NotifyReg, None] = {}
        self.route_count = 0
        self.nexthop_count = 0
        self._exclude_inactive = config.exclude_inactive_from_best

    # --- the destination index ---------------------------------------------------------------------

    def find(self, addr: int, nbits: int) -> Dest | None:
        """The present destination with exactly this prefix."""
        return self.dests.get((addr << KEY_SHIFT) | nbits)

    def add_present(self, dest: Dest) -> None:
        """Enter a destination in the index (its first route arrived)."""
        dest.present = True
        self.dests[dest.key] = dest
        self.order.add(dest.key)
        counts = self._len_counts
        counts[dest.nbits] += 1
        if counts[dest.nbits] == 1:
            self._update_lengths()

    def remove_present(self, dest: Dest) -> None:
        """Take a destination out of the index (it has no live and no hold-down route left)."""
        dest.present = False
        del self.dests[dest.key]
        self.order.discard(dest.key)
        counts = self._len_counts
        counts[dest.nbits] -= 1
        if counts[dest.nbits] == 0:
            self._update_lengths()

    def _update_lengths(self) -> None:
        counts, width = self._len_counts, self.family.bits
        self._lengths = tuple((n, prefix_mask(width, n)) for n in range(width, -1, -1) if counts[n])

    def longest_match(self, addr: int, max_bits: int, views: int) -> Dest | None:
        """The longest present prefix of at most ``max_bits`` bits covering ``addr`` with a live route in
        ``views`` (any live route when ``views`` is 0; spec A-lpm)."""
        get = self.dests.get
        for n, mask in self._lengths:
            if n <= max_bits:
                dest = get(((addr & mask) << KEY_SHIFT) | n)
                if dest is not None and has_route_in(dest, views):
                    return dest
        return None

    def keys_in_range(self, lo: int, hi: int, after: int | None) -> Iterator[int]:
        """Present destination keys in ``[lo, hi]`` in address order, strictly after ``after`` if given."""
        it = self.order.iter_from(lo) if after is None or after < lo else self.order.iter_from(after, False)
        for key in it:
            if key > hi:
                return
            yield key

    @staticmethod
    def range_of(addr: int, nbits: int, width: int) -> tuple[int, int]:
        """The keys of every prefix inside ``addr/nbits`` (itself included)."""
        last = addr | ((1 << (width - nbits)) - 1)
        return dest_key(addr, nbits), dest_key(last, width)

    # --- best-route selection (spec 2.6, A-tie, A-flags-best) ----------------------------------------

    def select_best(self, dest: Dest, vid: int) -> Route | None:
        """The best route of ``dest`` in view ``vid``: lowest (Preference, Metric); ties keep the incumbent,
        then the earliest created route."""
        bit = 1 << vid
        exclude = RTM_ROUTE_FLAGS_INACTIVE if self._exclude_inactive else 0
        best: Route | None = None
        best_cost = (0, 0)
        for route in dest.routes:  # creation order, so the first of equal cost is the oldest
            if route.views & bit and not route.flags & exclude:
                cost = (route.pref, route.metric)
                if best is None or cost < best_cost:
                    best, best_cost = route, cost
        incumbent = dest.best[vid]
        if (
            best is not None
            and incumbent is not None
            and incumbent is not best
            and incumbent.state == 0
            and incumbent.views & bit
            and not incumbent.flags & exclude
            and (incumbent.pref, incumbent.metric) == best_cost
        ):
            return incumbent
        return best

    def select_best_of_protocol(self, dest: Dest, vid: int, protocol_id: int) -> Route | None:
        """The best route of ``dest`` in view ``vid`` among the routes of one protocol (spec A-thisproto)."""
        overall = dest.best[vid]
        if overall is not None and overall.owner.protocol_id == protocol_id:
            return overall
        bit = 1 << vid
        best: Route | None = None
        best_cost = (0, 0)
        for route in dest.routes:
            if route.views & bit and route.owner.protocol_id == protocol_id:
                cost = (route.pref, route.metric)
                if best is None or cost < best_cost:
                    best, best_cost = route, cost
        return best

    def recompute(self, dest: Dest, views: int) -> None:
        """Recompute the cached best route of every view in ``views``."""
        best = dest.best
        for vid in self.view_ids:
            if views >> vid & 1:
                best[vid] = self.select_best(dest, vid)

    @staticmethod
    def snapshot(dest: Dest) -> list[BestSig]:
        """What ``classify`` needs to know about the best routes before a mutation."""
        return [None if r is None else (r, r.pref, r.metric, r.nexthops, r.flags) for r in dest.best]

    @staticmethod
    def classify(dest: Dest, before: list[BestSig]) -> tuple[int, int]:
        """Compare the best routes with a snapshot: (views whose BEST changed, views whose FORWARDING changed).

        BEST: the best route changed identity (to or from none included), or its PrefInfo, NextHopsList or
        Flags changed. FORWARDING: a BEST change that is not limited to the non-forwarding flag bits.
        """
        best_mask = fwd_mask = 0
        for vid, route in enumerate(dest.best):
            old = before[vid]
            if route is None:
                if old is not None:
                    best_mask |= 1 << vid
                    fwd_mask |= 1 << vid
                continue
            if old is None or old[0] is not route:
                best_mask |= 1 << vid
                fwd_mask |= 1 << vid
                continue
            _, pref, metric, nexthops, flags = old
            if pref != route.pref or metric != route.metric or nexthops != route.nexthops:
                best_mask |= 1 << vid
                fwd_mask |= 1 << vid
            elif flags != route.flags:
                best_mask |= 1 << vid
                if (flags ^ route.flags) & RTM_ROUTE_FLAGS_FORWARDING:
                    fwd_mask |= 1 << vid
        return best_mask, fwd_mask

    def best_views_of(self, route: Route) -> int:
        """The mask of views in which ``route`` is the best route."""
        mask = 0
        for vid, best in enumerate(route.dest.best):
            if best is route:
                mask |= 1 << vid
        return mask


def has_route_in(dest: Dest, views: int) -> bool:
    """Whether ``dest`` has a live route in one of ``views`` (any live route when ``views`` is 0)."""
    if not views:
        return bool(dest.routes)
    return any(route.views & views for route in dest.routes)


def belongs_to_views(dest: Dest) -> int:
    """RTM_DEST_INFO.BelongsToViews: the union of the views of the live routes (spec A-belongs)."""
    mask = 0
    for route in dest.routes:
        mask |= route.views
    return mask
