"""The destination index and best-route selection of a table (``_objects.Table`` holds the state).

Theory of operation
-------------------
* ``table.dests`` maps the key of every *present* destination (V2-A-dest-lifetime: at least one live or hold-down
  route) to its object. Exact match is one dict lookup.
* Longest-prefix match probes ``dests`` once per prefix length that occurs in the table, longest first
  (``table.lengths``, kept up to date from per-length counts). A real IPv4 table uses ~25 lengths and most
  lookups end at /24 after a handful of probes: no trie walk, no per-node objects, fast on a full Internet table.
* ``table.order`` keeps the same keys sorted for the enumerations (address order, shorter prefix first).
* Each destination caches its best route per view: ``argmin (Preference, Metric)`` over its live routes in that
  view; ties keep the incumbent, then the earliest created route wins (V2-2.6, V2-A-tie). Selection scans the
  destination's routes, which are few.
* A mutation takes a ``snapshot`` of the best routes first and ``classify`` compares after: which views' best
  route changed (RTM_CHANGE_TYPE_BEST) and which of those changes matter for forwarding (V2-A-notify-trigger).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._constants import RTM_ROUTE_FLAGS_FORWARDING, RTM_ROUTE_FLAGS_INACTIVE
from ._objects import Dest, Route, Table
from ._prefix import KEY_SHIFT, dest_key, prefix_mask

#: What BEST/FORWARDING classification compares of a view's best route.
BestSig = tuple[Route, int, int, tuple[Any, ...], int] | None

# --- the destination index -------------------------------------------------------------------------


def find_dest(table: Table, addr: int, nbits: int) -> Dest | None:
    """The present destination with exactly this prefix."""
    return table.dests.get((addr << KEY_SHIFT) | nbits)


def add_present(table: Table, dest: Dest) -> None:
    """Enter a destination in the index (its first route arrived)."""
    dest.present = True
    table.dests[dest.key] = dest
    table.order.add(dest.key)
    n = dest.nbits
    counts = table.len_counts
    counts[n] += 1
    if counts[n] == 1:
        _update_lengths(table)
    lpm = table.lpm
    if n > lpm.fine_bits:
        bucket = dest.addr >> lpm.fine_shift
        probes = lpm.fine.get(bucket, ())
        pair = lpm.pairs[n]
        if probes is not None and pair not in probes:  # a stale list is rebuilt whole by the next lookup
            lpm.fine[bucket] = tuple(sorted((*probes, pair), reverse=True))
    elif n > lpm.coarse_bits:
        _count_coarse(table, dest, 1)


def remove_present(table: Table, dest: Dest) -> None:
    """Take a destination out of the index (it has no live and no hold-down route left)."""
    dest.present = False
    del table.dests[dest.key]
    table.order.discard(dest.key)
    n = dest.nbits
    counts = table.len_counts
    counts[n] -= 1
    if counts[n] == 0:
        _update_lengths(table)
    lpm = table.lpm
    if n > lpm.fine_bits:
        bucket = dest.addr >> lpm.fine_shift
        if lpm.fine.get(bucket) is not None:
            lpm.fine[bucket] = None  # perhaps the last of its length there: rebuilt when next looked up
    elif n > lpm.coarse_bits:
        _count_coarse(table, dest, -1)


def _count_coarse(table: Table, dest: Dest, step: int) -> None:
    lpm = table.lpm
    bucket = dest.addr >> lpm.coarse_shift
    key = (bucket << KEY_SHIFT) | dest.nbits
    count = lpm.coarse_counts.get(key, 0) + step
    if count:
        lpm.coarse_counts[key] = count
    else:
        del lpm.coarse_counts[key]
    if count == (1 if step > 0 else 0):  # the length appeared in, or left, the bucket
        base = bucket << KEY_SHIFT
        found = tuple(
            lpm.pairs[n]
            for n in range(lpm.fine_bits, lpm.coarse_bits, -1)
            if base | n in lpm.coarse_counts  # the keys of this bucket (its lengths fit in KEY_SHIFT bits)
        )
        if found:
            lpm.coarse[bucket] = found
        else:
            del lpm.coarse[bucket]


def _update_lengths(table: Table) -> None:
    counts, width = table.len_counts, table.family.bits
    table.lengths = tuple((n, prefix_mask(width, n)) for n in range(width, -1, -1) if counts[n])
    lpm = table.lpm
    lpm.short = tuple(lpm.pairs[n] for n, _ in table.lengths if n <= lpm.coarse_bits)


def _fine_probes(table: Table, bucket: int) -> tuple[tuple[int, int], ...]:
    """Rebuild a stale fine bucket's list from the ordered keys of the prefixes inside it."""
    lpm = table.lpm
    lo = (bucket << lpm.fine_shift) << KEY_SHIFT
    hi = lo + ((1 << lpm.fine_shift) << KEY_SHIFT) - 1
    lengths = {key & 0xFF for key in keys_in_range(table, lo, hi, None)}
    found = tuple(lpm.pairs[n] for n in sorted(lengths, reverse=True) if n > lpm.fine_bits)
    if found:
        lpm.fine[bucket] = found
    else:
        del lpm.fine[bucket]
    return found


def longest_match(table: Table, addr: int, max_bits: int, views: int) -> Dest | None:
    """The longest present prefix of at most ``max_bits`` bits covering ``addr`` with a live route in ``views``
    (any live route when ``views`` is 0; V2-A-lpm). Probes only the lengths present near ``addr``: those of its
    fine bucket, then of its coarse bucket, then the table's shortest ones (``LengthIndex``)."""
    get = table.dests.get
    lpm = table.lpm
    fine = lpm.fine.get(addr >> lpm.fine_shift, ())
    if fine is None:
        fine = _fine_probes(table, addr >> lpm.fine_shift)
    for probes in (fine, lpm.coarse.get(addr >> lpm.coarse_shift, ()), lpm.short):
        for n, mask in probes:
            if n <= max_bits:
                dest = get(((addr & mask) << KEY_SHIFT) | n)
                if dest is not None:
                    if not views:
                        if dest.routes:
                            return dest
                    else:
                        for route in dest.routes:
                            if route.views & views:
                                return dest
    return None


def keys_in_range(table: Table, lo: int, hi: int, after: int | None) -> Iterator[int]:
    """Present destination keys in ``[lo, hi]`` in address order, strictly after ``after`` if given."""
    it = table.order.iter_from(lo) if after is None or after < lo else table.order.iter_from(after, False)
    for key in it:
        if key > hi:
            return
        yield key


def range_of(addr: int, nbits: int, width: int) -> tuple[int, int]:
    """The keys of every prefix inside ``addr/nbits`` (itself included)."""
    last = addr | ((1 << (width - nbits)) - 1)
    return dest_key(addr, nbits), dest_key(last, width)


# --- best-route selection (V2-2.6, V2-A-tie, V2-A-flags-best) ------------------------------------------


def best_of(dest: Dest, vid: int) -> Route | None:
    """The cached best route of view ``vid`` (``Dest.best0`` / ``Dest.best_rest``)."""
    if vid == 0:
        return dest.best0
    rest = dest.best_rest
    return None if rest is None else rest[vid - 1]


def set_best(dest: Dest, vid: int, route: Route | None) -> None:
    """Cache ``route`` as the best route of view ``vid``."""
    if vid == 0:
        dest.best0 = route
        return
    rest = dest.best_rest
    if rest is None:
        if route is None:
            return
        changed: list[Route | None] = [None] * (dest._table.nviews - 1)
    else:
        changed = list(rest)
    changed[vid - 1] = route
    dest.best_rest = tuple(changed) if any(r is not None for r in changed) else None


def select_best(table: Table, dest: Dest, vid: int) -> Route | None:
    """The best route of ``dest`` in view ``vid``: lowest (Preference, Metric); ties keep the incumbent, then the
    earliest created route."""
    bit = 1 << vid
    exclude = RTM_ROUTE_FLAGS_INACTIVE if table.exclude_inactive else 0
    best: Route | None = None
    best_cost = (0, 0)
    for route in dest.routes:  # creation order, so the first of equal cost is the oldest
        if route.views & bit and not route.flags & exclude:
            cost = (route.pref, route.metric)
            if best is None or cost < best_cost:
                best, best_cost = route, cost
    incumbent = best_of(dest, vid)
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


def select_best_of_protocol(dest: Dest, vid: int, protocol_id: int) -> Route | None:
    """The best route of ``dest`` in view ``vid`` among the routes of one protocol (V2-A-thisproto)."""
    overall = best_of(dest, vid)
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


def recompute(table: Table, dest: Dest, views: int) -> None:
    """Recompute the cached best route of every view in ``views``."""
    if views == 1:  # the unicast view alone, the usual case
        dest.best0 = select_best(table, dest, 0)
        return
    for vid in table.view_ids:
        if views >> vid & 1:
            set_best(dest, vid, select_best(table, dest, vid))


def snapshot(dest: Dest) -> list[BestSig]:
    """What ``classify`` needs to know about the best routes before a mutation (views past the list's end had
    none)."""
    r = dest.best0
    first = None if r is None else (r, r.pref, r.metric, r.nexthops, r.flags)
    rest = dest.best_rest
    if rest is None:
        return [first]
    return [first, *(None if r is None else (r, r.pref, r.metric, r.nexthops, r.flags) for r in rest)]


def classify(dest: Dest, before: list[BestSig]) -> tuple[int, int]:
    """Compare the best routes with a snapshot: (views whose BEST changed, views whose FORWARDING changed).

    BEST: the best route changed identity (to or from none included), or its PrefInfo, NextHopsList or Flags
    changed. FORWARDING: a BEST change that is not limited to the non-forwarding flag bits.
    """
    best_mask = fwd_mask = 0
    rest = dest.best_rest
    current = [dest.best0] if rest is None else [dest.best0, *rest]
    if len(before) > len(current):
        current += [None] * (len(before) - len(current))
    for vid, route in enumerate(current):
        old = before[vid] if vid < len(before) else None
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


def best_views_of(route: Route) -> int:
    """The mask of views in which ``route`` is the best route."""
    dest = route.dest
    mask = 1 if dest.best0 is route else 0
    for vid, best in enumerate(dest.best_rest or (), 1):
        if best is route:
            mask |= 1 << vid
    return mask


def has_route_in(dest: Dest, views: int) -> bool:
    """Whether ``dest`` has a live route in one of ``views`` (any live route when ``views`` is 0)."""
    if not views:
        return bool(dest.routes)
    return any(route.views & views for route in dest.routes)


def belongs_to_views(dest: Dest) -> int:
    """RTM_DEST_INFO.BelongsToViews: the union of the views of the live routes (V2-A-belongs)."""
    mask = 0
    for route in dest.routes:
        mask |= route.views
    return mask
