"""The mutation core: every change to routes, next hops, destinations and registrations, and the deadlines.

A mutation of a destination takes a ``snapshot`` of its best routes, changes the routes, recomputes, classifies
the change and records it for the change-notification registrations (``_commit``; V2-A-notify-trigger). The
deadlines (route TimeToLive, hold-down expiry; V2-A-ttl, V2-A-hold) are armed and fired here; the call boundary
(``_boundary``) decides when they fire and delivers the callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, cast

from ._constants import (
    INFINITE,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_CHANGE_TYPE_FORWARDING,
    RTM_NEXTHOP_STATE_DELETED,
    RTM_ROUTE_FLAGS_INACTIVE,
    RTM_ROUTE_STATE_CREATED,
    RTM_ROUTE_STATE_DELETED,
    RTM_ROUTE_STATE_DELETING,
)
from ._errors import (
    ERROR_NOT_SUPPORTED,
    RtmError,
    RtmInvalidParameterError,
    WinError,
)
from ._objects import Dest, Entity, NextHop, NotifyReg, Route, RouteList, Table
from ._objects import EnumHandle as EnumObj
from ._prefix import KEY_SHIFT
from ._refs import References
from ._table import (
    add_present,
    classify,
    recompute,
    remove_present,
    set_best,
    snapshot,
)
from ._timers import HOLD_EXPIRY, ROUTE_EXPIRY
from ._types import (
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_INFO,
)

_tuple_new = tuple.__new__


class Notice(NamedTuple):
    """An event callback to run: ``receiver``'s callback with ``event`` and its contexts (M-DELIVERY)."""

    receiver: Entity
    event: int
    context1: Any
    context2: Any
    #: Counts the deliveries of one event down; its action runs (under the lock) when the last one ran.
    done: Countdown | None = None


class Expiry(NamedTuple):
    """An RTM_ROUTE_EXPIRED to deliver to the route's owner; ``gen`` is the TimeToLive it was armed with."""

    route: Route
    gen: int


class Step(NamedTuple):
    """An internal step ordered among the deliveries of a call (run under the lock)."""

    action: Callable[[], None]


class Countdown:
    """Runs ``action`` when ``remaining`` deliveries have run (called under the RTM lock)."""

    __slots__ = ("action", "remaining")

    def __init__(self, remaining: int, action: Callable[[], None]) -> None:
        self.remaining = remaining
        self.action = action

    def tick(self) -> None:
        """One delivery ran (or was skipped)."""
        self.remaining -= 1
        if not self.remaining:
            self.action()


class RouteSpec(NamedTuple):
    """A validated RTM_ROUTE_INFO: the fields the caller may set."""

    neighbour: NextHop | None
    flags1: int
    flags: int
    metric: int
    pref: int
    views: int
    esi: Any
    esi_mutable: bool
    nexthops: tuple[NextHop, ...]


class Mutations(References):
    """The shared mutation core of the function groups."""

    def _arm_route(self, route: Route, ttl: int) -> None:
        route.timer_gen += 1
        if ttl == INFINITE:
            return
        deadline = self._clock.now_ms() + ttl
        self._timers.push(deadline, route.dest.key, route._serial, ROUTE_EXPIRY, route.timer_gen, route)
        self._timer_armed(deadline)

    def _timer_armed(self, deadline: int) -> None:
        if len(self._timers) > 1024 and len(self._timers) > 4 * (self._live_timers() + 1):
            self._timers.compact(self._timer_current)
        if self._clock.realtime and (self._armed is None or deadline < self._armed):
            self._armed = deadline  # the boundary wakes the timer thread when the call ends

    def _live_timers(self) -> int:
        return sum(t.route_count for t in self._tables.values())

    @staticmethod
    def _timer_current(kind: int, gen: int, obj: Any) -> bool:
        if kind == ROUTE_EXPIRY:
            return bool(obj.timer_gen == gen and obj.state == RTM_ROUTE_STATE_CREATED)
        holds = obj.holds
        return bool(holds) and any(route._serial == gen for route, _ in holds.values())

    def _emit(self, notice: Notice) -> None:
        """Queue an event callback: on the receiver's delivery thread (``threads``), else for the calling thread
        when the outermost call ends (``inline``). Called under the lock, so every receiver's deliveries are
        queued in the order the table changed (M-DELIVERY)."""
        deliveries = self._deliveries
        if deliveries is None:
            self._outbox.append(notice)
            return
        receiver = notice.receiver
        if not deliveries.post(receiver, notice, str(receiver._serial)):
            self._outbox.append(notice)

    def _announce(self, event: int, subject: Entity, then: Callable[[], None] | None = None) -> None:
        """RTM_ENTITY_REGISTERED / DEREGISTERED to every other entity of the table with a callback
        (V2-A-reg-events); ``then`` runs once every one of those deliveries has run (or at once after the call's
        other deliveries when there are none)."""
        receivers = [e for e in subject._table.entities.values() if e is not subject and e.callback is not None]
        done = None
        if then is not None:
            if receivers:
                done = Countdown(len(receivers), then)
            else:
                self._outbox.append(Step(then))
        for receiver in receivers:
            self._emit(Notice(receiver, event, subject.public, self._entity_info(subject), done))

    def _fire(self, entry: tuple[int, int, int, Any]) -> Expiry | None:
        """Fire a due deadline. A route expiry for an owner with a callback becomes an Expiry: posted to the
        owner's delivery thread (``threads``) or returned for the caller to deliver now (``inline``)."""
        deadline, kind, gen, obj = entry
        if kind == HOLD_EXPIRY:
            dest = cast(Dest, obj)
            self._expire_holds(dest, gen, deadline)
            return None
        route = cast(Route, obj)
        if route.timer_gen != gen or route.state != RTM_ROUTE_STATE_CREATED:
            return None
        dest = route.dest
        if dest.lock_writer is not None or dest.lock_readers:
            if dest.deferred_expiry is None:
                dest.deferred_expiry = []
            dest.deferred_expiry.append((route, gen))  # fires when the destination is unlocked (V2-A-ttl)
            return None
        owner = route.owner
        if owner.callback is None or not owner._alive or owner.deregistering:
            self._delete_route(route)  # nobody to ask: delete as if it answered ERROR_NOT_SUPPORTED
            return None
        expiry = Expiry(route, gen)
        deliveries = self._deliveries
        if deliveries is not None and deliveries.post(owner, expiry, str(owner._serial)):
            return None
        return expiry

    def _entity_gone(self, ent: Entity) -> None:
        """The last step of a deregistration: the handle dies and its delivery thread may end."""
        ent._alive = ent.public._alive = False
        if self._deliveries is not None:
            self._deliveries.retire(ent)

    def _begin_expiry(self, expiry: Expiry) -> tuple[Entity, RTM_ROUTE_INFO] | None:
        """At delivery time: the owner and Context2 when the expiry still stands (the owner registered, the
        route live and not re-armed, its destination unlocked), with the reference that comes with Context1 taken
        for the owner (V2-A-ttl, M-DELIVERY); None otherwise."""
        route = expiry.route
        owner = route.owner
        if (
            route.state != RTM_ROUTE_STATE_CREATED
            or route.timer_gen != expiry.gen
            or not owner._alive
            or owner.deregistering
            or owner.callback is None
        ):
            return None
        dest = route.dest
        if dest.lock_writer is not None or dest.lock_readers:
            if dest.deferred_expiry is None:
                dest.deferred_expiry = []
            dest.deferred_expiry.append((route, expiry.gen))  # fires when the destination is unlocked (V2-A-ttl)
            return None
        self._ref(owner, route)
        owner.lent[route] = owner.lent.get(route, 0) + 1
        # Context2 is the route's own record, the one RtmGetRoutePointer returns: an edit through it followed by
        # RtmUpdateAndUnlockRoute takes effect (use-the-event-notification-callback sample; V2-A-ttl).
        return owner, self._route_pointer(route)

    def _end_expiry(self, route: Route, owner: Entity, answer: object) -> None:
        """After the owner's callback: apply its answer. ERROR_NOT_SUPPORTED, no answer (None, or the callback
        raised) or an answer that is not an int asks RTM to delete the route and drop the reference it gave;
        anything else leaves both to the owner (V2-2.8, M-FAULTS). The answer is read without running client code."""
        left = owner.lent.get(route, 0) - 1
        if left > 0:
            owner.lent[route] = left
        else:
            owner.lent.pop(route, None)
        if answer is None:
            delete = True
        elif issubclass(type(answer), int):
            delete = int.__eq__(cast(int, answer), int(ERROR_NOT_SUPPORTED)) is True
        else:
            self._diagnose(
                f"the RTM_ROUTE_EXPIRED callback of {owner!r} returned a {type(answer).__name__}, not a status"
            )
            delete = True
        if delete:
            if route.state == RTM_ROUTE_STATE_CREATED:
                self._delete_route(route)
            if owner.held.get(route):
                self._unref(owner, route)

    def _expire_holds(self, dest: Dest, serial: int, deadline: int) -> None:
        holds = dest.holds
        if not holds:
            return
        expired = [vid for vid, (route, due) in holds.items() if route._serial == serial and due == deadline]
        if not expired:
            return
        before = snapshot(dest)
        mask = 0
        released = []
        for vid in expired:
            route, _ = holds.pop(vid)
            route.hold_views &= ~(1 << vid)
            mask |= 1 << vid
            released.append(route)
        if not dest.routes and not holds and dest.present:
            self._remove_dest(dest)
        # Hold-down protocols learn they may now advertise the new best route (V2-A-hold).
        self._commit(dest, before, mask, mask)
        self._forget_marks(dest)
        for route in released:
            self._drop(route)

    def _unlocked(self, dest: Dest) -> None:
        """A destination lock was released: fire the expiries deferred while it was held."""
        if dest.lock_writer is None and not dest.lock_readers and dest.deferred_expiry:
            deferred, dest.deferred_expiry = dest.deferred_expiry, None
            now = self._clock.now_ms()
            for route, gen in deferred:
                if route.state == RTM_ROUTE_STATE_CREATED and route.timer_gen == gen:  # not re-armed meanwhile
                    self._timers.push(now, dest.key, route._serial, ROUTE_EXPIRY, gen, route)
                    self._timer_armed(now)

    @staticmethod
    def _single_nexthops(ent: Entity, nh: NextHop) -> tuple[NextHop, ...]:
        """The one-next-hop NextHopsList of a route, as a tuple shared by every route through ``nh`` (most routes
        have one next hop: one tuple per next hop instead of one per route)."""
        singles = ent._table.singles
        shared = singles.get(nh)
        if shared is None:
            shared = singles[nh] = (nh,)
        return shared

    def _apply_spec(self, route: Route, spec: RouteSpec) -> bool:
        """Write a validated spec into a route, moving RTM's next-hop references; True if anything that
        change notification looks at changed (V2-A-notify-trigger: not TTL, not EntitySpecificInfo)."""
        significant = (
            route.neighbour is not spec.neighbour
            or route.pref != spec.pref
            or route.metric != spec.metric
            or route.views != spec.views
            or route.flags != spec.flags
            or route.nexthops != spec.nexthops
        )
        old_neighbour, old_nexthops = route.neighbour, route.nexthops
        if spec.neighbour is not None:
            spec.neighbour._refs += 1
        for nh in spec.nexthops:
            nh._refs += 1
        route.neighbour = spec.neighbour
        route.nexthops = spec.nexthops
        route.flags1 = spec.flags1
        route.flags = spec.flags
        route.metric = spec.metric
        route.pref = spec.pref
        route.views = spec.views
        route.esi, route.esi_mutable = spec.esi, spec.esi_mutable
        if old_neighbour is not None:
            self._drop(old_neighbour)
        for nh in old_nexthops:
            self._drop(nh)
        if route._x is not None and route._x.pointer is not None:
            self._sync_route_pointer(route)
        return significant

    def _commit(self, dest: Dest, before: list[Any], all_mask: int, extra_best: int = 0) -> int:
        """Finish a mutation of ``dest``: classify it and record it for the notification registrations.
        Returns the mask of views whose best route changed."""
        best_mask, fwd_mask = classify(dest, before)
        best_mask |= extra_best
        if all_mask or best_mask:
            dest.last_changed = self._filetime()
            if dest._table.notify_regs:
                self._record_change(dest, all_mask, best_mask, fwd_mask)
        return best_mask

    def _record_change(self, dest: Dest, all_mask: int, best_mask: int, fwd_mask: int) -> None:
        """Queue ``dest`` on every registration whose change types and views match (V2-2.9, V2-A-notify-*)."""
        for reg in dest._table.notify_regs:
            views = reg.views
            types = reg.types
            if not (
                (types & RTM_CHANGE_TYPE_ALL and all_mask & views)
                or (types & RTM_CHANGE_TYPE_BEST and best_mask & views)
                or (types & RTM_CHANGE_TYPE_FORWARDING and fwd_mask & views)
            ):
                continue
            if (reg.only_marked and dest not in reg.marked) or dest in reg.pending:
                continue
            pending = reg.pending
            was_empty = not pending
            pending[dest] = None
            dest._refs += 1
            owner = reg.owner
            if was_empty and owner.callback is not None:
                notice = _tuple_new(Notice, (owner, RTM_CHANGE_NOTIFICATION, reg, reg.context, None))
                if self._deliveries is None:  # _emit, in line for inline delivery
                    self._outbox.append(notice)
                else:
                    self._emit(notice)

    def _filetime(self) -> int:
        """The clock's FILETIME, one int shared by everything stamped at the same moment (LastChanged of every
        destination a burst of changes touches)."""
        stamp = self._clock.filetime()
        if stamp == self._last_stamp:
            return self._last_stamp
        self._last_stamp = stamp
        return stamp

    def _new_dest(self, table: Table, addr: int, nbits: int) -> Dest:
        dest = Dest(table, addr, nbits, (addr << KEY_SHIFT) | nbits, table.nviews, self._filetime())
        dest._token = id(dest)  # issued (M-HANDLES)
        return dest

    def _remove_dest(self, dest: Dest) -> None:
        """The destination has no live and no hold-down route: out of the index; its opaque slots go with it,
        and its marks once its last change is recorded (``_forget_marks``) (V2-A-dest-lifetime)."""
        remove_present(dest._table, dest)
        dest.opaque = None

    @staticmethod
    def _forget_marks(dest: Dest) -> None:
        if not dest.present:
            for reg in dest._table.notify_regs:
                reg.marked.discard(dest)

    def _add_route(self, ent: Entity, dest: Dest, spec: RouteSpec) -> tuple[Route, int]:
        table = dest._table
        neighbour, flags1, flags, metric, pref, views, esi, esi_mutable, nexthops = spec
        route = Route(dest, ent)
        route._token = id(route)  # issued (M-HANDLES)
        route.neighbour, route.nexthops, route.flags = neighbour, nexthops, flags
        route.metric, route.pref, route.views = metric, pref, views
        if flags1 or esi is not None:  # the rare fields: an extra record only when one is set
            route.flags1, route.esi, route.esi_mutable = flags1, esi, esi_mutable
        dest._refs += 1  # RTM's references: the route on its destination, neighbour and next hops
        if neighbour is not None:
            neighbour._refs += 1
        for nh in nexthops:
            nh._refs += 1
        ent.routes.add(route)
        table.route_count += 1
        if dest.routes:
            before = snapshot(dest)
            dest.routes += (route,)
            recompute(table, dest, views)
            return route, self._commit(dest, before, views)
        # The destination's first route (a new destination, or one kept only by hold-down): no view had a best
        # route, so the route is the best of each of its views unless selection leaves it out (V2-A-flags-best),
        # and every such view changed for BEST and FORWARDING alike (what ``classify`` would find).
        dest.routes = (route,)
        if not dest.present:
            add_present(table, dest)
        best_mask = 0
        if views and not (table.exclude_inactive and flags & RTM_ROUTE_FLAGS_INACTIVE):
            if views == 1:
                dest.best0 = route
            else:
                for vid in table.view_ids:
                    if views >> vid & 1:
                        set_best(dest, vid, route)
            best_mask = views
        if views:
            dest.last_changed = self._filetime()
            if table.notify_regs:
                self._record_change(dest, views, best_mask, best_mask)
        return route, best_mask

    def _update_route(self, route: Route, spec: RouteSpec) -> int:
        dest = route.dest
        before = snapshot(dest)
        old_views = route.views
        if not self._apply_spec(route, spec):
            return 0
        touched = old_views | route.views
        recompute(dest._table, dest, touched)
        return self._commit(dest, before, touched)

    def _delete_route(self, route: Route) -> int:
        """Delete a live route: best routes recomputed, hold-down applied, change recorded (V2-6.5). A route that
        is the best of none of its views leaves every best route as it is (the cached best routes are the
        selection's answer, V2-A-tie keeps the incumbent): nothing is recomputed and no BEST change is recorded."""
        dest = route.dest
        table = dest._table
        was_best = dest.best0 is route or (dest.best_rest is not None and route in dest.best_rest)
        before = snapshot(dest) if was_best else None
        route.state = RTM_ROUTE_STATE_DELETING
        routes = dest.routes
        dest.routes = routes[:-1] if routes[-1] is route else tuple(r for r in routes if r is not route)
        route.owner.routes.discard(route)
        table.route_count -= 1
        extra = route._x
        if extra is not None and extra.rlist is not None:
            del extra.rlist.routes[route]
            extra.rlist = None
        route.timer_gen += 1
        views = route.views
        if was_best:
            recompute(table, dest, views)
        route.state = RTM_ROUTE_STATE_DELETED
        dest_extra = dest._x
        held = views & dest_extra.hold_views if dest_extra is not None else 0
        if held:
            self._hold(dest, route, held)
        if not dest.routes and (dest_extra is None or not dest_extra.holds):
            self._remove_dest(dest)
        if before is not None:
            best_mask = self._commit(dest, before, views)
        else:
            best_mask = 0
            if views:  # _commit with no BEST and no FORWARDING change
                dest.last_changed = self._filetime()
                if table.notify_regs:
                    self._record_change(dest, views, 0, 0)
        if not dest.present:
            self._forget_marks(dest)
        if route._refs == 0:
            self._maybe_free(route)
        return best_mask

    def _hold(self, dest: Dest, route: Route, views: int) -> None:
        """Keep a deleted route as the hold-down route of each view it was the last route of (V2-A-hold)."""
        deadline = self._clock.now_ms() + dest.hold_time
        for vid in dest._table.view_ids:
            bit = 1 << vid
            if not views & bit or any(r.views & bit for r in dest.routes):
                continue
            if dest.holds is None:
                dest.holds = {}
            old = dest.holds.get(vid)
            dest.holds[vid] = (route, deadline)
            route.hold_views |= bit
            route._refs += 1
            if old is not None:
                old_route = old[0]
                old_route.hold_views &= ~bit
                self._drop(old_route)
            self._timers.push(deadline, dest.key, -1 - vid, HOLD_EXPIRY, route._serial, dest)
            self._timer_armed(deadline)

    def _sync_route_pointer(self, route: Route) -> None:
        pointer = route.pointer
        assert pointer is not None
        fresh = self._route_info(route, None)
        for field in ("DestHandle", "RouteOwner", "Neighbour", "State", "Flags1", "Flags", "BelongsToViews"):
            setattr(pointer, field, getattr(fresh, field))
        pointer.EntitySpecificInfo = fresh.EntitySpecificInfo
        pointer.PrefInfo = fresh.PrefInfo
        pointer.NextHopsList = fresh.NextHopsList

    def _sync_nexthop_pointer(self, nh: NextHop) -> None:
        pointer = nh.pointer
        assert pointer is not None
        fresh = self._nexthop_info(nh, None)
        for field in ("NextHopAddress", "NextHopOwner", "InterfaceIndex", "State", "Flags"):
            setattr(pointer, field, getattr(fresh, field))
        pointer.EntitySpecificInfo = fresh.EntitySpecificInfo
        pointer.RemoteNextHop = fresh.RemoteNextHop

    def _route_pointer(self, route: Route) -> RTM_ROUTE_INFO:
        pointer: RTM_ROUTE_INFO | None = route.pointer
        if pointer is None:
            pointer = route.pointer = self._route_info(route, None)
        else:
            self._sync_route_pointer(route)
        return pointer

    def _nexthop_pointer(self, nh: NextHop) -> RTM_NEXTHOP_INFO:
        pointer: RTM_NEXTHOP_INFO | None = nh.pointer
        if pointer is None:
            pointer = nh.pointer = self._nexthop_info(nh, None)
        else:
            self._sync_nexthop_pointer(nh)
        return pointer

    def _update_nexthop(self, nh: NextHop, flags: int, esi: Any, esi_mutable: bool, remote: Dest | None) -> None:
        nh.flags = flags
        nh.esi, nh.esi_mutable = esi, esi_mutable
        if remote is not nh.remote:
            if remote is not None:
                remote._refs += 1
            old, nh.remote = nh.remote, remote
            if old is not None:
                self._drop(old)
        if nh.pointer is not None:
            self._sync_nexthop_pointer(nh)

    def _delete_nexthop(self, nh: NextHop) -> None:
        owner = nh.owner
        nh.state = RTM_NEXTHOP_STATE_DELETED
        del owner.nexthops[nh.key]
        if owner.nexthop_order is not None:
            owner.nexthop_order.discard(nh.key)
        nh._table.nexthop_count -= 1
        if nh.pointer is not None:
            nh.pointer.State = RTM_NEXTHOP_STATE_DELETED
        if nh._refs == 0:
            self._maybe_free(nh)

    def _lock_dest(self, ent: Entity, dest: Dest, exclusive: bool) -> None:
        """Spec A-locks: reader count + exclusive holder; misuse is ERROR_INVALID_PARAMETER."""
        mine = ent.locks.get(dest)
        if dest.lock_writer is ent or (exclusive and mine is not None):
            raise RtmInvalidParameterError("the caller already holds this destination's lock")
        if dest.lock_writer is not None or (exclusive and dest.lock_readers):
            raise RtmError("another entity holds a conflicting lock", WinError.ERROR_BUSY)
        counts = ent.locks.setdefault(dest, [0, 0])
        if exclusive:
            dest.lock_writer = ent
            counts[1] += 1
        else:
            if dest.lock_readers is None:
                dest.lock_readers = {}
            dest.lock_readers[ent] = dest.lock_readers.get(ent, 0) + 1
            counts[0] += 1

    def _unlock_dest(self, ent: Entity, dest: Dest, exclusive: bool) -> None:
        counts = ent.locks.get(dest)
        if counts is None or not counts[1 if exclusive else 0]:
            raise RtmInvalidParameterError("unlock without a matching lock")
        if exclusive:
            counts[1] -= 1
            dest.lock_writer = None
        else:
            counts[0] -= 1
            assert dest.lock_readers is not None
            left = dest.lock_readers[ent] - 1
            if left:
                dest.lock_readers[ent] = left
            else:
                del dest.lock_readers[ent]
        if counts == [0, 0]:
            del ent.locks[dest]
        self._unlocked(dest)

    def _close_enum(self, enum: EnumObj) -> None:
        enum._alive = False
        enum.returned = set()
        enum.criteria = None
        del enum.owner.enums[enum]

    @staticmethod
    def _move_to_list(route: Route, rlist: RouteList | None) -> None:
        if route.rlist is not None:
            del route.rlist.routes[route]
        route.rlist = rlist
        if rlist is not None:
            rlist.routes[route] = None

    @staticmethod
    def _delete_list(rlist: RouteList) -> None:
        for route in rlist.routes:
            route.rlist = None
        rlist.routes = {}
        rlist._alive = False
        del rlist.owner.lists[rlist]

    def _deregister_notify(self, reg: NotifyReg) -> None:
        pending, reg.pending = reg.pending, {}
        for dest in pending:
            self._drop(dest)
        reg.marked.clear()
        reg._alive = False
        del reg._table.notify_regs[reg]
        owner = reg.owner
        del owner.notify_regs[reg]
        if reg.handed_out:
            # Structures still out can be released with RtmReleaseDests from now on.
            self._count_info(owner, "dest", sum(reg.handed_out.values()))
            reg.handed_out = {}
