"""``rtm.check_invariants()``: what must hold between any two calls, checked over the whole model; and a digest
of the whole state, for tests that prove a failed call changed nothing.

Cheap enough for tests to call after every step (linear in the table, nothing cached): every route belongs to a
live entity and a present destination; best routes per view are right; the owner indexes (routes, next hops,
route lists, locks) match the table; reference counts match the outstanding handles (the entities' ``held``
maps plus the references RTM holds itself, V2-A-refs); pending notifications belong to live registrations;
no empty destination is indexed. The first broken invariant raises :class:`~v2model.RtmInternalError` naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._constants import (
    RTM_NEXTHOP_STATE_CREATED,
    RTM_ROUTE_FLAGS_INACTIVE,
    RTM_ROUTE_STATE_CREATED,
    RTM_ROUTE_STATE_DELETED,
)
from ._errors import RtmInternalError
from ._objects import Dest, Entity, Handle, NextHop, Route, Table
from ._prefix import safe_repr


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise RtmInternalError(f"invariant broken: {what}")


def _registered(table: Table, ent: Entity) -> bool:
    return table.entities.get((ent.protocol_id, ent.instance_id)) is ent and ent._alive and not ent.deregistering


def check(tables: Iterable[Table], open_handles: int) -> None:
    """Raise RtmInternalError naming the first broken invariant of ``tables``."""
    held_total = 0
    for table in tables:
        held_total += _check_table(table)
    _require(held_total == open_handles, f"open handles {open_handles} != references held {held_total}")


def _check_table(table: Table) -> int:
    entities = list(table.entities.values())
    for key, ent in table.entities.items():
        _require((ent.protocol_id, ent.instance_id) == key and ent._table is table, f"{ent!r} is indexed as {key}")
        _require(ent._alive and not ent.deregistering, f"{ent!r} is registered but not alive")
        _require(ent.public._entity is ent and ent.public._alive, f"{ent!r}'s public handle")
    _check_index(table)
    _check_routes(table, entities)
    _check_nexthops(table, entities)
    _check_notify(table, entities)
    _check_locks(entities)
    return _check_references(table, [*entities, *table.departed])


def _check_index(table: Table) -> None:
    counts = [0] * len(table.len_counts)
    for key, dest in table.dests.items():
        _require(dest.key == key and dest._table is table, f"{dest!r} is indexed under another key")
        _require(dest.present and dest._alive, f"{dest!r} is indexed but not present")
        _require(bool(dest.routes or dest.holds), f"{dest!r} is indexed with no route and no hold-down route")
        counts[dest.nbits] += 1
    _require(list(table.order) == sorted(table.dests), "the ordered keys differ from the destination index")
    _require(counts == table.len_counts, "per-length counts differ from the destination index")
    lengths = [n for n, _ in table.lengths]
    _require(lengths == [n for n in range(len(counts) - 1, -1, -1) if counts[n]], "longest-match lengths are stale")
    _check_length_index(table)


def _check_length_index(table: Table) -> None:
    """The probes of longest-prefix match: every fine bucket lists at least the lengths present in it (a stale one
    is rebuilt when looked up), the coarse buckets and the shortest tier exactly those present."""
    lpm = table.lpm
    fine: dict[int, set[int]] = {}
    coarse: dict[int, set[int]] = {}
    coarse_counts: dict[int, int] = {}
    for dest in table.dests.values():
        n = dest.nbits
        if n > lpm.fine_bits:
            fine.setdefault(dest.addr >> lpm.fine_shift, set()).add(n)
        elif n > lpm.coarse_bits:
            bucket = dest.addr >> lpm.coarse_shift
            coarse.setdefault(bucket, set()).add(n)
            key = (bucket << 8) | n
            coarse_counts[key] = coarse_counts.get(key, 0) + 1
    for bucket, present in fine.items():
        listed = lpm.fine.get(bucket, ())
        _require(listed is None or present <= {n for n, _ in listed}, f"fine bucket {bucket} misses a length")
    for probes in (*lpm.fine.values(), *lpm.coarse.values(), lpm.short):
        pairs = list(probes or ())
        _require(pairs == sorted(pairs, reverse=True), "a longest-match list is not longest first")
        _require(all(lpm.pairs[n] == (n, mask) for n, mask in pairs), "a longest-match list has a wrong mask")
    _require(
        {bucket: {n for n, _ in probes} for bucket, probes in lpm.coarse.items()} == coarse,
        "coarse buckets differ from the destinations",
    )
    _require(lpm.coarse_counts == coarse_counts, "coarse counts differ from the destinations")
    _require(
        [n for n, _ in lpm.short] == [n for n, _ in table.lengths if n <= lpm.coarse_bits],
        "the shortest lengths are stale",
    )


def _check_routes(table: Table, entities: list[Entity]) -> None:
    live = 0
    exclude = RTM_ROUTE_FLAGS_INACTIVE if table.exclude_inactive else 0
    indexed = {
        route for ent in {route.owner for d in table.dests.values() for route in d.routes} for route in ent.routes
    }
    for dest in table.dests.values():
        _require(
            dest.best_rest is None
            or (len(dest.best_rest) == table.nviews - 1 and any(r is not None for r in dest.best_rest)),
            f"{dest!r} keeps the best routes of views 1.. though none has one, or too few",
        )
        for route in dest.routes:
            live += 1
            _require(route.state == RTM_ROUTE_STATE_CREATED and route._alive, f"{route!r} is listed but not live")
            _require(route.dest is dest, f"{route!r} is listed under {dest!r}")
            _require(_registered(table, route.owner), f"{route!r} belongs to an entity that is not registered")
            _require(route in indexed, f"{route!r} is missing from its owner's index")
            if route.rlist is not None:
                _require(route.rlist._alive and route in route.rlist.routes, f"{route!r}'s route list")
                _require(route.rlist.owner is route.owner, f"{route!r} is in another entity's route list")
        for vid, best in enumerate(dest.best):
            bit = 1 << vid
            candidates = [r for r in dest.routes if r.views & bit and not r.flags & exclude]
            if not candidates or vid not in table.view_ids:
                _require(best is None, f"{dest!r} view {vid} has best route {best!r} but no candidate")
                continue
            lowest = min((r.pref, r.metric) for r in candidates)
            _require(best in candidates, f"{dest!r} view {vid}: best route {best!r} is not a candidate")
            assert best is not None
            _require((best.pref, best.metric) == lowest, f"{dest!r} view {vid}: {best!r} is not the cheapest")
        for vid, (route, _) in (dest.holds or {}).items():
            _require(route.dest is dest and route.state == RTM_ROUTE_STATE_DELETED, f"{dest!r} holds {route!r}")
            _require(bool(route.hold_views >> vid & 1), f"{route!r} does not know it is held in view {vid}")
    _require(live == table.route_count, f"route count {table.route_count} != {live} routes listed")
    owned = 0
    for ent in entities:
        for route in ent.routes:
            owned += 1
            _require(route.owner is ent and route.state == RTM_ROUTE_STATE_CREATED, f"{ent!r} indexes {route!r}")
            _require(route.dest.present and route in route.dest.routes, f"{route!r} is not in its destination")
        for rlist in ent.lists:
            _require(rlist._alive and rlist.owner is ent, f"{ent!r} lists {rlist!r}")
            for route in rlist.routes:
                _require(route.rlist is rlist, f"{route!r} is in {rlist!r} but thinks otherwise")
        for enum in ent.enums:
            _require(enum._alive and enum.owner is ent, f"{ent!r} lists {enum!r}")
    _require(owned == live, f"owners index {owned} routes, destinations {live}")


def _check_nexthops(table: Table, entities: list[Entity]) -> None:
    live = 0
    for ent in entities:
        for key, nh in ent.nexthops.items():
            live += 1
            _require(nh.key == key and nh.owner is ent and nh._table is table, f"{ent!r} indexes {nh!r} under {key}")
            _require(nh.state == RTM_NEXTHOP_STATE_CREATED and nh._alive, f"{nh!r} is indexed but deleted")
        if ent.nexthop_order is not None:
            _require(list(ent.nexthop_order) == sorted(ent.nexthops), f"{ent!r}'s next-hop order is stale")
    _require(live == table.nexthop_count, f"next-hop count {table.nexthop_count} != {live} indexed")


def _check_notify(table: Table, entities: list[Entity]) -> None:
    for reg in table.notify_regs:
        _require(reg._alive and reg._table is table, f"{reg!r} is registered but not alive")
        _require(_registered(table, reg.owner) and reg in reg.owner.notify_regs, f"{reg!r}'s owner")
        for dest in reg.pending:
            _require(dest._alive and dest._table is table, f"{reg!r} has a pending change of a freed {dest!r}")
    for ent in entities:
        for reg in ent.notify_regs:
            _require(reg in table.notify_regs, f"{ent!r} lists {reg!r}, which the table does not")


def _check_locks(entities: list[Entity]) -> None:
    for ent in entities:
        for dest, (shared, exclusive) in ent.locks.items():
            readers = dest.lock_readers or {}
            _require(readers.get(ent, 0) == shared, f"{ent!r}'s shared locks of {dest!r}")
            _require((dest.lock_writer is ent) == bool(exclusive), f"{ent!r}'s exclusive lock of {dest!r}")


def _check_references(table: Table, holders: list[Entity]) -> int:
    """Every object's ``_refs`` equals the references entities hold on it plus those RTM holds itself; returns
    the number of references held by entities."""
    expected: dict[Handle, int] = {}
    held_total = 0
    routes: set[Route] = set()
    dests: set[Dest] = set(table.dests.values())
    nexthops: set[NextHop] = set()
    for ent in holders:
        nexthops.update(ent.nexthops.values())
        for obj, count in ent.held.items():
            _require(count > 0, f"{ent!r} holds {count} references on {obj!r}")
            expected[obj] = expected.get(obj, 0) + count
            held_total += count
            if type(obj) is Route:
                routes.add(obj)
            elif type(obj) is Dest:
                dests.add(obj)
            elif type(obj) is NextHop:
                nexthops.add(obj)
            else:
                _require(type(obj) is Entity, f"{ent!r} holds a reference on {obj!r}")
        for route, lent in ent.lent.items():
            _require(0 < lent <= ent.held.get(route, 0), f"{ent!r} was lent {route!r} {lent} times")
    for dest in list(dests):
        routes.update(dest.routes)
        routes.update(route for route, _ in (dest.holds or {}).values())
    for route in routes:
        dests.add(route.dest)
        if route.neighbour is not None:
            nexthops.add(route.neighbour)
        nexthops.update(route.nexthops)
    for reg in table.notify_regs:
        dests.update(reg.pending)
    for nh in nexthops:
        if nh.remote is not None:
            dests.add(nh.remote)

    def own(obj: Handle, n: int = 1) -> None:
        expected[obj] = expected.get(obj, 0) + n

    for route in routes:
        if route._alive:
            own(route.dest)
            if route.neighbour is not None:
                own(route.neighbour)
            for nh in route.nexthops:
                own(nh)
        own(route, route.hold_views.bit_count())
    for reg in table.notify_regs:
        for dest in reg.pending:
            own(dest)
    for nh in nexthops:
        if nh._alive and nh.remote is not None:
            own(nh.remote)
    for obj in (*routes, *dests, *nexthops):
        _require(
            obj._refs == expected.get(obj, 0), f"{obj!r} counts {obj._refs} references, {expected.get(obj, 0)} exist"
        )
        if obj._alive and not _live(obj):
            _require(obj._refs > 0, f"{obj!r} is neither live nor referenced but not freed")
    for obj, count in expected.items():
        if type(obj) is Entity:
            _require(obj._refs == count, f"{obj!r} counts {obj._refs} references, {count} exist")
    return held_total


def _live(obj: Handle) -> bool:
    if type(obj) is Route:
        return obj.state == RTM_ROUTE_STATE_CREATED
    if type(obj) is Dest:
        return obj.present
    if type(obj) is NextHop:
        return obj.state == RTM_NEXTHOP_STATE_CREATED
    return True


def digest(tables: Iterable[Table], extra: tuple[Any, ...]) -> tuple[Any, ...]:
    """Everything observable about ``tables`` as plain values (handles by name, client values by identity and
    readable form): equal digests mean equal state. Diagnostics are left out (a fault may be recorded)."""
    return (*extra, *(_table_digest(table) for table in tables))


def _value(value: object) -> tuple[int, str]:
    return id(value), safe_repr(value)


def _names(objs: Iterable[Any]) -> tuple[str, ...]:
    return tuple(repr(obj) for obj in objs)


def _table_digest(table: Table) -> tuple[Any, ...]:
    entities = []
    for ent in [*table.entities.values(), *table.departed]:
        entities.append(
            (
                repr(ent),
                ent.deregistering,
                ent.blocked,
                len(ent.pending_invocations),
                tuple(sorted((obj.name, n) for obj, n in ent.held.items())),
                tuple(sorted(ent.infos.items())),
                tuple(sorted((repr(d), tuple(c)) for d, c in ent.locks.items())),
                _names(ent.routes),
                tuple(
                    (key, repr(nh), nh.flags, _value(nh.esi), repr(nh.remote), nh.lock_readers, repr(nh.lock_writer))
                    for key, nh in ent.nexthops.items()
                ),
                tuple(
                    (
                        repr(reg),
                        reg.views,
                        reg.types,
                        reg.only_marked,
                        _names(reg.pending),
                        tuple(sorted(_names(reg.marked))),
                        tuple(sorted((repr(d), n) for d, n in reg.handed_out.items())),
                    )
                    for reg in ent.notify_regs
                ),
                tuple((repr(e), e.cursor, e.done, tuple(sorted(_names(e.returned)))) for e in ent.enums),
                tuple((repr(rlist), _names(rlist.routes)) for rlist in ent.lists),
                tuple(sorted((repr(r), n) for r, n in ent.lent.items())),
            )
        )
    dests = []
    for key in table.order:
        dest = table.dests[key]
        routes = tuple(
            (
                repr(r),
                r.state,
                r.flags1,
                r.flags,
                r.pref,
                r.metric,
                r.views,
                _value(r.esi),
                repr(r.neighbour),
                _names(r.nexthops),
                r.timer_gen,
                repr(r.rlist),
            )
            for r in dest.routes
        )
        dests.append(
            (
                key,
                routes,
                _names(dest.best),
                tuple(sorted((vid, repr(r), due) for vid, (r, due) in (dest.holds or {}).items())),
                dest.hold_views,
                dest.hold_time,
                dest.last_changed,
                tuple(sorted((slot, _value(cell.value)) for slot, cell in (dest.opaque or {}).items())),
                tuple(sorted(_names(dest.lock_readers or {}))),
                repr(dest.lock_writer),
            )
        )
    return (
        table.instance_id,
        table.family.af,
        tuple(entities),
        tuple(dests),
        table.route_count,
        table.nexthop_count,
        tuple(table.free_opaque_slots),
        _names(table.notify_regs),
    )
