"""Locks, direct pointers and in-place updates (V2-2.14, V2-6.2, V2-6.5, V2-6.7, V2-A-locks, V2-A-route-fields)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_ACCESS_DENIED,
    ERROR_BUSY,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_NEXTHOP_FLAGS_REMOTE,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_FLAGS_DISCARD,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import (
    Recorder,
    SweepWorld,
    dest_info,
    drained_prefixes,
    handles_of,
    route_summary,
    some,
    sweep,
    table_state,
    view_of,
)
from .support import add_route, nexthop, register, route_info


class Locking:
    """RIP owns a route to 10.1/16 through nh1 (nh2 spare); OSPF owns a worse one; BGP watches."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.bgp_events = Recorder()
        self.rip = register(rtm, PROTO_IP_RIP)
        self.ospf = register(rtm, PROTO_IP_OSPF)
        self.bgp = register(rtm, PROTO_IP_BGP, callback=self.bgp_events)
        self.nh1 = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.nh2 = nexthop(rtm, self.rip, "192.0.2.2", 2)
        self.ospf_nh = nexthop(rtm, self.ospf, "198.51.100.1", 3)
        self.route, _ = add_route(rtm, self.rip, "10.1.0.0/16", route_info(self.nh1, metric=2))
        self.ospf_route, _ = add_route(rtm, self.ospf, "10.1.0.0/16", route_info(self.ospf_nh, metric=5))
        self.info = dest_info(rtm, self.bgp, "10.1.0.0/16")
        self.dest = self.info.DestHandle

    def locks(self, ent: v2model.Entity) -> tuple[str, ...]:
        record = self.rtm.leak_report().for_entity(repr(ent))
        return () if record is None else record.locks

    def lock_route(self, exclusive: bool = True) -> v2model.RTM_ROUTE_INFO:
        status, pointer = self.rtm.RtmLockRoute(self.rip, self.route, exclusive, True)
        assert NO_ERROR == status
        assert pointer is not None
        return pointer

    def best(self) -> str | None:
        views = view_of(self.rtm, self.bgp, "10.1.0.0/16")
        assert views is not None
        return views[0].Route


@pytest.fixture
def lk(rtm: v2model.RoutingTableManager) -> Locking:
    return Locking(rtm)


class TestRtmLockDestination:
    """RtmLockDestination (V2-6.2, V2-A-locks)."""

    def test_shared_locks_coexist(self, lk: Locking) -> None:
        """Several entities (and one entity several times) may hold shared locks at once (V2-6.2, V2-A-locks)."""
        for ent in (lk.rip, lk.ospf, lk.bgp, lk.bgp):
            assert NO_ERROR == lk.rtm.RtmLockDestination(ent, lk.dest, False, True).status
        assert 1 == len(lk.locks(lk.bgp))
        for ent in (lk.rip, lk.ospf, lk.bgp, lk.bgp):
            assert NO_ERROR == lk.rtm.RtmLockDestination(ent, lk.dest, False, False).status
        assert ((), (), ()) == (lk.locks(lk.rip), lk.locks(lk.ospf), lk.locks(lk.bgp))

    def test_conflicting_lock_of_another_entity_is_busy(self, lk: Locking) -> None:
        """Where Windows would block on another entity's lock the model answers ERROR_BUSY (model-local 170)
        and grants nothing (V2-6.2, V2-A-locks)."""
        assert 170 == ERROR_BUSY
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, True).status
        assert ERROR_BUSY == lk.rtm.RtmLockDestination(lk.ospf, lk.dest, True, True).status
        assert ERROR_BUSY == lk.rtm.RtmLockDestination(lk.ospf, lk.dest, False, True).status
        assert ERROR_BUSY == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, True).status
        assert ((), ()) == (lk.locks(lk.ospf), lk.locks(lk.rip))
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, False).status
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, False, True).status
        assert ERROR_BUSY == lk.rtm.RtmLockDestination(lk.ospf, lk.dest, True, True).status
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, False, False).status

    def test_misuse_is_invalid_parameter(self, lk: Locking) -> None:
        """Unlock without a lock, unlock in the other mode, or relocking a destination one already holds
        exclusively: ERROR_INVALID_PARAMETER (A-locks); the lock held is unaffected."""
        lock = lk.rtm.RtmLockDestination
        assert ERROR_INVALID_PARAMETER == lock(lk.bgp, lk.dest, True, False).status
        assert ERROR_INVALID_PARAMETER == lock(lk.bgp, lk.dest, False, False).status
        assert NO_ERROR == lock(lk.bgp, lk.dest, True, True).status
        assert ERROR_INVALID_PARAMETER == lock(lk.bgp, lk.dest, True, True).status
        assert ERROR_INVALID_PARAMETER == lock(lk.bgp, lk.dest, False, True).status
        assert ERROR_INVALID_PARAMETER == lock(lk.bgp, lk.dest, False, False).status
        assert (f"dest {lk.dest!r} (exclusive)",) == lk.locks(lk.bgp)
        assert NO_ERROR == lock(lk.bgp, lk.dest, True, False).status
        assert () == lk.locks(lk.bgp)

    def test_never_access_denied(self, lk: Locking) -> None:
        """Destinations have no owner: any entity may lock any destination (A-locks)."""
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, True).status
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, False).status

    def test_bad_arguments(self, lk: Locking) -> None:
        """Bad handles: ERROR_INVALID_HANDLE; non-BOOL flags: ERROR_INVALID_PARAMETER; nothing is locked (V2-6.2,
        V2-A-locks)."""
        lock = lk.rtm.RtmLockDestination
        for expected, args in (
            (ERROR_INVALID_HANDLE, (lk.bgp, lk.route, True, True)),
            (ERROR_INVALID_HANDLE, (lk.bgp, None, True, True)),
            (ERROR_INVALID_HANDLE, (lk.bgp, 1, True, True)),
            (ERROR_INVALID_HANDLE, (None, lk.dest, True, True)),
            (ERROR_INVALID_PARAMETER, (lk.bgp, lk.dest, "yes", True)),
            (ERROR_INVALID_PARAMETER, (lk.bgp, lk.dest, True, None)),
            (ERROR_INVALID_PARAMETER, (lk.bgp, lk.dest, -1, True)),
        ):
            assert expected == lock(*args).status, args
        assert () == lk.locks(lk.bgp)


class TestRtmLockRoute:
    """RtmLockRoute (V2-2.14, V2-6.5)."""

    def test_owner_gets_a_pointer_and_locks_the_destination(self, lk: Locking) -> None:
        """The owner gets a direct pointer to its route; the whole destination is locked (others are told
        ERROR_BUSY) (V2-2.14, V2-6.5)."""
        pointer = lk.lock_route()
        assert (2, lk.dest, lk.rip) == (pointer.PrefInfo.Metric, pointer.DestHandle, pointer.RouteOwner)
        assert (f"dest {lk.dest!r} (exclusive)",) == lk.locks(lk.rip)
        assert ERROR_BUSY == lk.rtm.RtmLockDestination(lk.ospf, lk.dest, False, True).status
        assert ERROR_BUSY == lk.rtm.RtmLockRoute(lk.ospf, lk.ospf_route, True, True).status
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, False).status
        assert () == lk.locks(lk.rip)

    def test_shared_route_lock(self, lk: Locking) -> None:
        """A shared route lock lets other readers in and is undone by a shared unlock (V2-2.14, V2-6.5)."""
        lk.lock_route(exclusive=False)
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, False, True).status
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, False, False).status
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, False, False).status

    def test_other_entities_are_denied(self, lk: Locking) -> None:
        """Only the route's owner may lock it: ERROR_ACCESS_DENIED, no lock taken (V2-2.14, V2-6.5)."""
        assert (ERROR_ACCESS_DENIED, None) == tuple(lk.rtm.RtmLockRoute(lk.ospf, lk.route, True, True))
        assert () == lk.locks(lk.ospf)

    def test_plain_unlock_keeps_edits_without_notifying(self, lk: Locking) -> None:
        """Edits followed by a plain RtmLockRoute(FALSE) instead of RtmUpdateAndUnlockRoute are kept but not
        notified, and the misuse is recorded as a diagnostic (A-locks)."""
        status, reg = lk.rtm.RtmRegisterForChangeNotification(lk.bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        assert NO_ERROR == status
        pointer = lk.lock_route()
        pointer.PrefInfo.Metric = 9
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, False).status
        assert 9 == route_summary(lk.rtm, lk.rip, lk.route).metric
        assert [] == drained_prefixes(lk.rtm, lk.bgp, reg)
        assert 1 == len(lk.rtm.leak_report().diagnostics)

    def test_misuse(self, lk: Locking) -> None:
        """Unlocking a route that is not locked, or locking it twice: ERROR_INVALID_PARAMETER (V2-2.14, V2-6.5)."""
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, False).status
        lk.lock_route()
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, True).status
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmLockRoute(lk.rip, lk.route, False, False).status
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, False).status

    def test_bad_arguments(self, lk: Locking) -> None:
        """A non-route handle, None, an int or a bad caller: ERROR_INVALID_HANDLE; non-BOOL flags:
        ERROR_INVALID_PARAMETER (V2-2.14, V2-6.5)."""
        for expected, args in (
            (ERROR_INVALID_HANDLE, (lk.rip, lk.dest, True, True)),
            (ERROR_INVALID_HANDLE, (lk.rip, None, True, True)),
            (ERROR_INVALID_HANDLE, (lk.rip, 0, True, True)),
            (ERROR_INVALID_HANDLE, (lk.nh1, lk.route, True, True)),
            (ERROR_INVALID_PARAMETER, (lk.rip, lk.route, 2.0, True)),
            (ERROR_INVALID_PARAMETER, (lk.rip, lk.route, True, "no")),
        ):
            assert (expected, None) == tuple(lk.rtm.RtmLockRoute(*args)), args
        assert () == lk.locks(lk.rip)


class TestRtmUpdateAndUnlockRoute:
    """RtmUpdateAndUnlockRoute (V2-2.14, V2-6.5, V2-A-locks, V2-A-route-fields)."""

    def test_commits_recomputes_notifies_and_unlocks(self, lk: Locking) -> None:
        """A metric edit that loses the best position: ChangeFlags BEST, OSPF's route is best now, watchers
        are told after the call, and the destination is unlocked (V2-2.14, V2-6.5, V2-A-locks, V2-A-route-fields)."""
        status, reg = lk.rtm.RtmRegisterForChangeNotification(lk.bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
        assert NO_ERROR == status
        pointer = lk.lock_route()
        pointer.PrefInfo.Metric = 10
        assert [] == lk.bgp_events.notifications
        assert (NO_ERROR, RTM_ROUTE_CHANGE_BEST) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE))
        assert repr(lk.ospf_route) == lk.best()
        assert 1 == len(lk.bgp_events.notifications)
        assert ["10.1.0.0/16"] == drained_prefixes(lk.rtm, lk.bgp, reg)
        assert () == lk.locks(lk.rip)

    def test_change_not_affecting_the_best_route(self, lk: Locking) -> None:
        """An edit that keeps another route best, e.g. a better metric that still loses: no BEST flag (V2-2.14,
        V2-6.5, V2-A-locks, V2-A-route-fields)."""
        status, pointer = lk.rtm.RtmLockRoute(lk.ospf, lk.ospf_route, True, True)
        assert NO_ERROR == status
        assert pointer is not None
        pointer.PrefInfo.Metric = 4
        assert (NO_ERROR, 0) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.ospf, lk.ospf_route, INFINITE))
        assert repr(lk.route) == lk.best()

    def test_ttl_only_and_esi_only_commits_notify_nobody(self, lk: Locking) -> None:
        """Committing no edit (only a new TTL) or only an EntitySpecificInfo edit records no change
        (A-notify-trigger) and reports no BEST change."""
        status, reg = lk.rtm.RtmRegisterForChangeNotification(lk.bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        assert NO_ERROR == status
        lk.lock_route()
        assert (NO_ERROR, 0) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, 60_000))
        pointer = lk.lock_route()
        pointer.EntitySpecificInfo = {"tag": 1}
        assert (NO_ERROR, 0) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE))
        assert {"tag": 1} == route_summary(lk.rtm, lk.rip, lk.route).esi
        assert ([], []) == (drained_prefixes(lk.rtm, lk.bgp, reg), lk.bgp_events.notifications)

    def test_watchers_are_told_after_the_unlock(self, lk: Locking) -> None:
        """The change callback runs after RtmUpdateAndUnlockRoute has unlocked: the watcher can lock the
        destination exclusively from inside it (A-notify-delivery)."""
        seen: list[int] = []

        def on_event(event: Any) -> None:
            seen.append(lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, True).status)
            seen.append(lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, False).status)

        lk.bgp_events.on_event = on_event
        lk.rtm.RtmRegisterForChangeNotification(lk.bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
        pointer = lk.lock_route()
        pointer.PrefInfo.Metric = 3
        assert NO_ERROR == lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE).status
        assert [NO_ERROR, NO_ERROR] == seen

    def test_every_writable_field(self, lk: Locking) -> None:
        """Neighbour, PrefInfo, BelongsToViews, EntitySpecificInfo, NextHopsList, Flags and Flags1 may be edited
        in place (A-route-fields)."""
        pointer = lk.lock_route()
        old_nh = pointer.NextHopsList.NextHops[0]
        assert NO_ERROR == lk.rtm.RtmReleaseNextHops(lk.rip, 2, [old_nh, old_nh]).status  # neighbour + next hop
        assert NO_ERROR == lk.rtm.RtmReferenceHandles(lk.rip, 2, [lk.nh2, lk.nh2]).status
        pointer.Neighbour = lk.nh2
        pointer.NextHopsList.NextHops[0] = lk.nh2
        pointer.PrefInfo.Preference = 3
        pointer.BelongsToViews = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST
        pointer.EntitySpecificInfo = "esi"
        pointer.Flags = RTM_ROUTE_FLAGS_DISCARD
        pointer.Flags1 = 7
        assert NO_ERROR == lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE).status
        summary = route_summary(lk.rtm, lk.rip, lk.route)
        assert (repr(lk.nh2), (repr(lk.nh2),), 3, 3, "esi", RTM_ROUTE_FLAGS_DISCARD) == (
            summary.neighbour,
            summary.nexthops,
            summary.preference,
            summary.views,
            summary.esi,
            summary.flags,
        )
        assert () == lk.rtm.leak_report().diagnostics

    def test_ttl_and_list(self, lk: Locking, clock: v2model.ManualClock) -> None:
        """The TimeToLive is re-armed and the route moved into the given list (V2-2.14, V2-6.5, V2-A-locks,
        V2-A-route-fields)."""
        status, rlist = lk.rtm.RtmCreateRouteList(lk.rip)
        assert NO_ERROR == status
        lk.lock_route()
        assert NO_ERROR == lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, 100, rlist).status
        _, enum = lk.rtm.RtmCreateRouteListEnum(lk.rip, rlist)
        status, count, handles = lk.rtm.RtmGetListEnumRoutes(lk.rip, enum, 5)
        assert (NO_ERROR, [lk.route]) == (status, handles)
        lk.rtm.RtmReleaseRoutes(lk.rip, some(count), some(handles))
        clock.advance(100)
        assert repr(lk.ospf_route) == lk.best()

    def test_requires_an_exclusive_lock(self, lk: Locking) -> None:
        """Without the route locked exclusively by the caller: ERROR_INVALID_PARAMETER (A-locks); with a
        shared lock the lock stays held."""
        assert (ERROR_INVALID_PARAMETER, None) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE))
        lk.lock_route(exclusive=False)
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE).status
        assert 1 == len(lk.locks(lk.rip))
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, False, False).status

    def test_other_owner_is_denied(self, lk: Locking) -> None:
        """Another entity's route: ERROR_ACCESS_DENIED (V2-2.14, V2-6.5, V2-A-locks, V2-A-route-fields)."""
        lk.lock_route()
        assert (ERROR_ACCESS_DENIED, None) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.ospf, lk.route, INFINITE))
        assert NO_ERROR == lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE).status

    @pytest.mark.parametrize("field", ["DestHandle", "RouteOwner", "State"])
    def test_read_only_fields_are_refused_and_reverted(self, lk: Locking, field: str) -> None:
        """Writing DestHandle, RouteOwner or State: ERROR_INVALID_PARAMETER, the edit is reverted, the route
        stays locked and RtmLockRoute(FALSE) unlocks it (A-route-fields, V2-6.5)."""
        before = table_state(lk.rtm, lk.bgp)
        pointer = lk.lock_route()
        setattr(pointer, field, {"DestHandle": None, "RouteOwner": lk.ospf, "State": 2}[field])
        assert (ERROR_INVALID_PARAMETER, None) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE))
        assert 1 == len(lk.locks(lk.rip))
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, False).status
        assert before == table_state(lk.rtm, lk.bgp)

    @pytest.mark.parametrize(
        ("field", "value"),
        [("BelongsToViews", 0x4), ("Flags", 0x10000), ("PrefInfo", None), ("Neighbour", "ospf_nh")],
    )
    def test_invalid_edits_fail_and_stay_locked(self, lk: Locking, field: str, value: Any) -> None:
        """An invalid value written in place (an unsupported view, a flag beyond USHORT, no PrefInfo, another
        entity's next hop): ERROR_INVALID_PARAMETER and the route still locked (A-match-add (e))."""
        pointer = lk.lock_route()
        setattr(pointer, field, lk.ospf_nh if value == "ospf_nh" else value)
        assert (ERROR_INVALID_PARAMETER, None) == tuple(lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE))
        assert 1 == len(lk.locks(lk.rip))
        assert ERROR_BUSY == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, False, True).status

    def test_unlock_after_a_failed_update(self, lk: Locking) -> None:
        """When RtmUpdateAndUnlockRoute fails the client must unlock with RtmLockRoute(FALSE) (V2-2.14, V2-6.5):
        that unlock succeeds, the route keeps its committed state and other entities can lock again."""
        before = route_summary(lk.rtm, lk.rip, lk.route)
        pointer = lk.lock_route()
        pointer.BelongsToViews = 0x4
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmUpdateAndUnlockRoute(lk.rip, lk.route, INFINITE).status
        assert NO_ERROR == lk.rtm.RtmLockRoute(lk.rip, lk.route, True, False).status
        assert () == lk.locks(lk.rip)
        assert before == route_summary(lk.rtm, lk.rip, lk.route)
        assert NO_ERROR == lk.rtm.RtmLockDestination(lk.bgp, lk.dest, True, True).status

    def test_bad_handles(self, lk: Locking) -> None:
        """Bad route or list handles: ERROR_INVALID_HANDLE; the route stays locked (V2-2.14, V2-6.5, V2-A-locks,
        V2-A-route-fields)."""
        lk.lock_route()
        update = lk.rtm.RtmUpdateAndUnlockRoute
        for args in ((lk.rip, None, INFINITE), (lk.rip, lk.dest, INFINITE), (None, lk.route, INFINITE)):
            assert (ERROR_INVALID_HANDLE, None) == tuple(update(*args)), args
        assert ERROR_INVALID_PARAMETER == update(lk.rip, lk.route, -5).status
        assert 1 == len(lk.locks(lk.rip))
        assert NO_ERROR == update(lk.rip, lk.route, INFINITE).status


class TestInPlaceSample:
    """The "update a route in place using RtmUpdateAndUnlockRoute" sample (V2-2.14, V2-7)."""

    def test_sample_runs_and_leaves_nothing(self, rtm: v2model.RoutingTableManager) -> None:
        """Lock; set Metric 16, views multicast only and EntitySpecificInfo; release the old next hop with
        RtmReleaseNextHops and RtmReferenceHandles the new one; RtmUpdateAndUnlockRoute with INFINITE. Then the
        usual cleanup leaves an empty leak report with no diagnostics (V2-2.14, V2-7)."""
        rip = register(rtm, PROTO_IP_RIP)
        nh1 = nexthop(rtm, rip, "192.0.2.1", 1)
        nh2 = nexthop(rtm, rip, "192.0.2.2", 2)
        info = route_info(None, metric=1, nexthops=[nh1])
        route, _ = add_route(rtm, rip, "10.1.0.0/16", info)

        status, pointer = rtm.RtmLockRoute(rip, route, True, True)
        assert NO_ERROR == status
        assert pointer is not None
        pointer.PrefInfo.Metric = 16
        pointer.BelongsToViews = RTM_VIEW_MASK_MCAST
        pointer.EntitySpecificInfo = "X"
        old = pointer.NextHopsList.NextHops[0]
        assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [old]).status
        pointer.NextHopsList.NextHops[0] = nh2
        assert NO_ERROR == rtm.RtmReferenceHandles(rip, 1, [nh2]).status
        status, flags = rtm.RtmUpdateAndUnlockRoute(rip, route, INFINITE, None, 0, None)
        assert (NO_ERROR, RTM_ROUTE_CHANGE_BEST) == (status, flags)

        summary = route_summary(rtm, rip, route)
        assert (16, RTM_VIEW_MASK_MCAST, "X", (repr(nh2),)) == (
            summary.metric,
            summary.views,
            summary.esi,
            summary.nexthops,
        )
        assert {repr(nh1): 1, repr(nh2): 1, repr(route): 1} == handles_of(rtm, rip)
        assert NO_ERROR == rtm.RtmDeleteRouteToDest(rip, route).status
        assert NO_ERROR == rtm.RtmDeleteNextHop(rip, nh1).status
        assert NO_ERROR == rtm.RtmDeleteNextHop(rip, nh2).status
        assert NO_ERROR == rtm.RtmDeregisterEntity(rip).status
        report = rtm.leak_report()
        assert report.empty
        assert () == report.diagnostics
        assert {"routes": 0, "next_hops": 0, "open_handles": 0} == {
            k: rtm.statistics()[k] for k in ("routes", "next_hops", "open_handles")
        }

    def test_forgetting_the_reference_updates_is_diagnosed(self, rtm: v2model.RoutingTableManager) -> None:
        """Swapping the next hop in place without RtmReleaseNextHops / RtmReferenceHandles still commits, and the
        imbalance is reported as diagnostics (A-route-fields)."""
        rip = register(rtm, PROTO_IP_RIP)
        nh1 = nexthop(rtm, rip, "192.0.2.1", 1)
        nh2 = nexthop(rtm, rip, "192.0.2.2", 2)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(None, nexthops=[nh1]))
        assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [nh2]).status  # nh2 stays in RIP's list, unreferenced
        _, pointer = rtm.RtmLockRoute(rip, route, True, True)
        assert pointer is not None
        pointer.NextHopsList.NextHops[0] = nh2
        assert NO_ERROR == rtm.RtmUpdateAndUnlockRoute(rip, route, INFINITE).status
        assert 2 == len(rtm.leak_report().diagnostics)


class TestRtmGetRoutePointer:
    """RtmGetRoutePointer: the owner's read-only direct pointer (V2-2.14, V2-6.5)."""

    def test_owner_gets_a_current_view(self, lk: Locking) -> None:
        """The pointer shows the route as RTM has it, and is brought up to date by later changes (V2-2.14, V2-6.5)."""
        status, pointer = lk.rtm.RtmGetRoutePointer(lk.rip, lk.route)
        assert NO_ERROR == status
        assert pointer is not None
        assert 2 == pointer.PrefInfo.Metric
        lk.rtm.RtmAddRouteToDest(lk.rip, lk.route, None, route_info(lk.nh1, metric=4))
        assert 4 == pointer.PrefInfo.Metric

    def test_writing_through_it_changes_nothing(self, lk: Locking) -> None:
        """The pointer is for reading: a write through it does not change the route (V2-2.14, V2-6.5)."""
        _, pointer = lk.rtm.RtmGetRoutePointer(lk.rip, lk.route)
        assert pointer is not None
        pointer.PrefInfo.Metric = 99
        assert 2 == route_summary(lk.rtm, lk.rip, lk.route).metric
        assert repr(lk.route) == lk.best()

    def test_other_entities_are_denied(self, lk: Locking) -> None:
        """Only the owner: ERROR_ACCESS_DENIED; bad handles: ERROR_INVALID_HANDLE (V2-2.14, V2-6.5)."""
        assert (ERROR_ACCESS_DENIED, None) == tuple(lk.rtm.RtmGetRoutePointer(lk.ospf, lk.route))
        for args in ((lk.rip, lk.dest), (lk.rip, None), (None, lk.route), (lk.rip, 3)):
            assert (ERROR_INVALID_HANDLE, None) == tuple(lk.rtm.RtmGetRoutePointer(*args))


class TestRtmGetNextHopPointer:
    """RtmGetNextHopPointer: the owner's read-only direct pointer to a next hop (V2-6.7)."""

    def test_owner_only(self, lk: Locking) -> None:
        """The owner gets the pointer; others ERROR_ACCESS_DENIED; bad handles ERROR_INVALID_HANDLE (V2-6.7)."""
        status, pointer = lk.rtm.RtmGetNextHopPointer(lk.rip, lk.nh1)
        assert NO_ERROR == status
        assert pointer is not None
        assert (net_address("192.0.2.1"), 1, lk.rip) == (
            pointer.NextHopAddress,
            pointer.InterfaceIndex,
            pointer.NextHopOwner,
        )
        assert (ERROR_ACCESS_DENIED, None) == tuple(lk.rtm.RtmGetNextHopPointer(lk.ospf, lk.nh1))
        for args in ((lk.rip, lk.route), (lk.rip, None), (None, lk.nh1)):
            assert (ERROR_INVALID_HANDLE, None) == tuple(lk.rtm.RtmGetNextHopPointer(*args))


class TestRtmLockNextHop:
    """RtmLockNextHop: owner locks a next hop and edits it in place (V2-2.5, V2-6.7)."""

    def test_edit_in_place(self, lk: Locking) -> None:
        """Flags and EntitySpecificInfo written through the pointer take effect on unlock; address and
        interface cannot change; no change notification results (A-notify-trigger)."""
        status, reg = lk.rtm.RtmRegisterForChangeNotification(lk.bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        assert NO_ERROR == status
        status, pointer = lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, True)
        assert NO_ERROR == status
        assert pointer is not None
        pointer.Flags = RTM_NEXTHOP_FLAGS_REMOTE
        pointer.EntitySpecificInfo = "peer"
        pointer.InterfaceIndex = 42
        pointer.NextHopAddress = net_address("203.0.113.9")
        assert (NO_ERROR, None) == tuple(lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, False))
        status, info = lk.rtm.RtmGetNextHopInfo(lk.bgp, lk.nh1)
        assert info is not None
        assert (RTM_NEXTHOP_FLAGS_REMOTE, "peer", 1, net_address("192.0.2.1")) == (
            info.Flags,
            info.EntitySpecificInfo,
            info.InterfaceIndex,
            info.NextHopAddress,
        )
        lk.rtm.RtmReleaseNextHopInfo(lk.bgp, info)
        assert [] == drained_prefixes(lk.rtm, lk.bgp, reg)

    def test_shared_lock_for_reading(self, lk: Locking) -> None:
        """A shared lock gives the pointer for reading and is undone by a shared unlock (V2-2.5, V2-6.7)."""
        status, pointer = lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, False, True)
        assert (NO_ERROR, 1) == (status, pointer and pointer.InterfaceIndex)
        assert NO_ERROR == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, False, False).status

    def test_owner_only_and_misuse(self, lk: Locking) -> None:
        """Another entity: ERROR_ACCESS_DENIED; a deleted next hop: ERROR_NOT_FOUND; locking twice or
        unlocking without a lock: ERROR_INVALID_PARAMETER; bad handles: ERROR_INVALID_HANDLE (V2-2.5, V2-6.7)."""
        assert (ERROR_ACCESS_DENIED, None) == tuple(lk.rtm.RtmLockNextHop(lk.ospf, lk.nh1, True, True))
        assert (ERROR_INVALID_PARAMETER, None) == tuple(lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, False))
        assert NO_ERROR == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, True).status
        assert (f"next hop {lk.nh1!r}",) == lk.locks(lk.rip)
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, True).status
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, False, True).status
        assert NO_ERROR == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, False).status
        spare = nexthop(lk.rtm, lk.rip, "192.0.2.99", 9)
        lk.rtm.RtmReferenceHandles(lk.rip, 1, [spare])
        lk.rtm.RtmDeleteNextHop(lk.rip, spare)
        assert (ERROR_NOT_FOUND, None) == tuple(lk.rtm.RtmLockNextHop(lk.rip, spare, True, True))
        lk.rtm.RtmReleaseNextHops(lk.rip, 1, [spare])
        for args in ((lk.rip, lk.route, True, True), (lk.rip, None, True, True), (None, lk.nh1, True, True)):
            assert (ERROR_INVALID_HANDLE, None) == tuple(lk.rtm.RtmLockNextHop(*args))

    def test_invalid_flags_are_refused_and_reverted(self, lk: Locking) -> None:
        """A flag the model does not allow (not REMOTE / DOWN) written in place: the unlock fails with
        ERROR_INVALID_PARAMETER and reverts the edit; a second unlock succeeds (V2-2.5, V2-6.7)."""
        _, pointer = lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, True)
        assert pointer is not None
        pointer.Flags = 0x80
        assert ERROR_INVALID_PARAMETER == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, False).status
        assert 0 == pointer.Flags
        assert NO_ERROR == lk.rtm.RtmLockNextHop(lk.rip, lk.nh1, True, False).status
        assert () == lk.locks(lk.rip)


def locked_route(w: SweepWorld) -> list[Any]:
    """RIP's route locked exclusively, ready for RtmUpdateAndUnlockRoute."""
    assert NO_ERROR == w.rtm.RtmLockRoute(w.rip, w.route, True, True).status
    return [w.rip, w.route, INFINITE, None, 0, None]


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmLockDestination", lambda w: [w.ospf, w.dest, False, True], 4),
    ("RtmLockRoute", lambda w: [w.rip, w.route, True, True], 4),
    ("RtmUpdateAndUnlockRoute", locked_route, 6),
    ("RtmLockNextHop", lambda w: [w.rip, w.nh, True, True], 4),
    ("RtmGetRoutePointer", lambda w: [w.rip, w.route], 2),
    ("RtmGetNextHopPointer", lambda w: [w.rip, w.nh], 2),
    ("RtmReferenceHandles", lambda w: [w.rip, 1, [w.route]], 3),
]


class TestBadInputSweep:
    """Every argument position of the lock and pointer functions given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.14, V2-A-locks)."""
        assert [] == sweep(clock, method, args, position)
