"""Hold-down: RtmHoldDestination and the per-view HoldRoute (V2-2.7, V2-6.5, V2-A-hold)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_NOTIFY_ONLY_MARKED_DESTS,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_STATE_DELETED,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import (
    Recorder,
    SweepWorld,
    dest_info,
    drain,
    drained_prefixes,
    enum_dest_prefixes,
    enum_routes,
    loose,
    some,
    sweep,
    table_state,
    view_of,
)
from .support import add_route, nexthop, register, route_info

UCAST_MCAST = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST
HOLD = 30_000


class HoldDown:
    """RIP (a hold-down protocol) with a destination it holds, OSPF watching changes."""

    def __init__(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        self.rtm = rtm
        self.clock = clock
        self.rip = register(rtm, PROTO_IP_RIP)
        self.ospf_events = Recorder()
        self.ospf = register(rtm, PROTO_IP_OSPF, callback=self.ospf_events)
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.nh2 = nexthop(rtm, self.rip, "192.0.2.2", 2)
        self.infos: list[v2model.RTM_DEST_INFO] = []

    def add(self, prefix: str = "10.1.0.0/16", nh: Any = None, **kwargs: Any) -> v2model.Route:
        route, _ = add_route(self.rtm, self.rip, prefix, route_info(nh or self.nh, **kwargs))
        return route

    def dest(self, prefix: str = "10.1.0.0/16") -> v2model.Dest:
        """The destination's handle (its information structure is released at the end of the test)."""
        info = dest_info(self.rtm, self.rip, prefix)
        self.infos.append(info)
        assert info.DestHandle is not None
        return info.DestHandle

    def hold(self, views: int = RTM_VIEW_MASK_UCAST, time: int = HOLD, prefix: str = "10.1.0.0/16") -> None:
        assert NO_ERROR == self.rtm.RtmHoldDestination(self.rip, self.dest(prefix), views, time).status

    def delete(self, route: v2model.Route) -> int:
        status, flags = self.rtm.RtmDeleteRouteToDest(self.rip, route)
        assert NO_ERROR == status
        assert flags is not None
        return flags

    def views(self, views: int = RTM_VIEW_MASK_UCAST, prefix: str = "10.1.0.0/16") -> Any:
        """(NumRoutes, Route, HoldRoute) per view, or None when the destination is gone."""
        summary = view_of(self.rtm, self.ospf, prefix, views)
        return None if summary is None else [(v.NumRoutes, v.Route, v.HoldRoute) for v in summary]

    def release(self) -> None:
        for info in self.infos:
            assert NO_ERROR == self.rtm.RtmReleaseDestInfo(self.rip, info).status
        self.infos.clear()


@pytest.fixture
def hd(rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> HoldDown:
    return HoldDown(rtm, clock)


class TestRtmHoldDestination:
    """RtmHoldDestination (V2-6.5)."""

    def test_last_route_becomes_the_hold_route(self, hd: HoldDown) -> None:
        """When the last unicast route of a held destination is deleted it moves from ViewInfo.Route to
        ViewInfo.HoldRoute, in state DELETED; the destination stays in the table (V2-2.7, V2-A-dest-lifetime)."""
        route = hd.add()
        hd.hold()
        assert RTM_ROUTE_CHANGE_BEST == hd.delete(route)
        assert [(0, None, repr(route))] == hd.views()
        info = dest_info(hd.rtm, hd.ospf, "10.1.0.0/16", RTM_VIEW_MASK_UCAST)
        [hold_route] = [v.HoldRoute for v in info.ViewInfo]
        status, route_info_, _ = hd.rtm.RtmGetRouteInfo(hd.ospf, hold_route)
        assert (NO_ERROR, RTM_ROUTE_STATE_DELETED) == (status, route_info_ and route_info_.State)
        hd.rtm.RtmReleaseRouteInfo(hd.ospf, some(route_info_))
        hd.rtm.RtmReleaseDestInfo(hd.ospf, info)
        hd.release()

    def test_no_hold_route_while_another_route_remains(self, hd: HoldDown) -> None:
        """Hold-down takes effect only when the last route of the view goes (V2-6.5)."""
        first = hd.add()
        second = hd.add(nh=hd.nh2, metric=9)
        hd.hold()
        hd.delete(first)
        assert [(1, repr(second), None)] == hd.views()
        hd.release()

    def test_only_the_held_views(self, hd: HoldDown) -> None:
        """A route in both views, held in unicast only: the hold route appears in the unicast view only (V2-6.5)."""
        route = hd.add(views=UCAST_MCAST)
        hd.hold(RTM_VIEW_MASK_UCAST)
        hd.delete(route)
        assert [(0, None, repr(route)), (0, None, None)] == hd.views(UCAST_MCAST)
        hd.release()

    def test_both_views(self, hd: HoldDown) -> None:
        """Held in both views, the same deleted route is the hold route of each (V2-6.5)."""
        route = hd.add(views=UCAST_MCAST)
        hd.hold(RTM_VIEW_MASK_ALL)
        hd.delete(route)
        assert [(0, None, repr(route)), (0, None, repr(route))] == hd.views(UCAST_MCAST)
        hd.release()

    def test_hold_time_expiry(self, hd: HoldDown) -> None:
        """The hold route lasts HoldTime ms; then it is released and the now empty destination leaves the
        table (A-hold, A-dest-lifetime)."""
        route = hd.add()
        hd.hold()
        hd.delete(route)
        hd.release()
        hd.clock.advance(HOLD - 1)
        assert [(0, None, repr(route))] == hd.views()
        hd.clock.advance(1)
        assert hd.views() is None
        assert 0 == hd.rtm.statistics()["destinations"]

    def test_one_maximum_hold_time_for_all_views(self, hd: HoldDown) -> None:
        """The documented quirk: every hold route is kept for the single maximum HoldTime requested, whatever
        the view and whatever order the requests came in (V2-2.7)."""
        route = hd.add(views=UCAST_MCAST)
        hd.hold(RTM_VIEW_MASK_UCAST, time=HOLD)
        hd.hold(RTM_VIEW_MASK_MCAST, time=1_000)
        hd.delete(route)
        hd.release()
        hd.clock.advance(1_000)
        assert [(0, None, repr(route)), (0, None, repr(route))] == hd.views(UCAST_MCAST)
        hd.clock.advance(HOLD - 1_000)
        assert hd.views(UCAST_MCAST) is None

    def test_new_routes_do_not_clear_the_hold_route(self, hd: HoldDown) -> None:
        """A route arriving during hold-down is used (ViewInfo.Route) while the HoldRoute is still advertised
        until the hold time is over (V2-2.7, V2-A-hold)."""
        old = hd.add()
        hd.hold()
        hd.delete(old)
        new = hd.add(metric=3)
        assert [(1, repr(new), repr(old))] == hd.views()
        hd.clock.advance(HOLD)
        assert [(1, repr(new), None)] == hd.views()
        hd.release()

    def test_a_second_deletion_replaces_the_hold_route_and_restarts_the_timer(self, hd: HoldDown) -> None:
        """Deleting the last route again during hold-down replaces the hold route and restarts the timer
        (A-hold)."""
        first = hd.add()
        hd.hold()
        hd.delete(first)
        hd.clock.advance(HOLD // 2)
        second = hd.add(metric=3)
        hd.delete(second)
        assert [(0, None, repr(second))] == hd.views()
        hd.clock.advance(HOLD // 2)
        assert [(0, None, repr(second))] == hd.views()
        hd.clock.advance(HOLD // 2)
        assert hd.views() is None
        hd.release()

    def test_arming_is_sticky_until_the_destination_goes(self, hd: HoldDown) -> None:
        """Hold-down stays armed across routes coming and going, but a destination created anew after the old
        one left the table is not held (A-hold)."""
        first = hd.add()
        hd.hold()
        hd.release()
        second = hd.add(nh=hd.nh2)
        hd.delete(first)
        hd.delete(second)
        assert [(0, None, repr(second))] == hd.views()
        hd.clock.advance(HOLD)
        third = hd.add()
        hd.delete(third)
        assert hd.views() is None

    def test_hold_expiry_is_a_change(self, hd: HoldDown) -> None:
        """Creating the hold route and its expiry are both ALL and BEST changes, so hold-down protocols learn
        when they may advertise the new best route (A-hold, A-notify-trigger)."""
        route = hd.add()
        hd.hold()
        hd.release()
        status, reg = hd.rtm.RtmRegisterForChangeNotification(hd.ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
        assert NO_ERROR == status
        hd.delete(route)
        [(_, [(prefix, _, (view,))])] = drain(hd.rtm, hd.ospf, reg, 25)[:1]
        assert ("10.1.0.0/16", repr(route)) == (prefix, view.HoldRoute)
        new = hd.add(metric=4)
        assert ["10.1.0.0/16"] == drained_prefixes(hd.rtm, hd.ospf, reg)
        hd.ospf_events.clear()
        hd.clock.advance(HOLD)
        hd.rtm.process_timers()
        assert 1 == len(hd.ospf_events.notifications)
        [(_, [(prefix, _, (view,))])] = drain(hd.rtm, hd.ospf, reg, 25)[:1]
        assert ("10.1.0.0/16", repr(new), None) == (prefix, view.Route, view.HoldRoute)

    def test_hold_expiry_of_a_marked_destination_is_recorded(self, hd: HoldDown) -> None:
        """An ONLY_MARKED registration that marked the destination learns when its hold route expires and the
        destination goes (V2-2.9, V2-A-hold)."""
        route = hd.add()
        hd.hold()
        status, reg = hd.rtm.RtmRegisterForChangeNotification(
            hd.ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS
        )
        assert NO_ERROR == status
        info = dest_info(hd.rtm, hd.ospf, "10.1.0.0/16")
        hd.rtm.RtmMarkDestForChangeNotification(hd.ospf, reg, info.DestHandle, True)
        hd.rtm.RtmReleaseDestInfo(hd.ospf, info)
        hd.delete(route)
        hd.release()
        assert ["10.1.0.0/16"] == drained_prefixes(hd.rtm, hd.ospf, reg)
        hd.clock.advance(HOLD)
        assert ["10.1.0.0/16"] == drained_prefixes(hd.rtm, hd.ospf, reg)

    def test_holding_a_hold_only_destination(self, hd: HoldDown) -> None:
        """RtmHoldDestination on a destination that has no live route is allowed (A-hold)."""
        route = hd.add()
        hd.hold()
        hd.delete(route)
        assert NO_ERROR == hd.rtm.RtmHoldDestination(hd.rip, hd.dest(), RTM_VIEW_MASK_UCAST, HOLD * 2).status
        hd.release()

    def test_zero_hold_time_is_invalid(self, hd: HoldDown) -> None:
        """HoldTime 0: ERROR_INVALID_PARAMETER (V2-2.7); nothing is armed."""
        api = loose(hd.rtm)
        route = hd.add()
        dest = hd.dest()
        assert ERROR_INVALID_PARAMETER == api.RtmHoldDestination(hd.rip, dest, RTM_VIEW_MASK_UCAST, 0).status
        hd.delete(route)
        assert hd.views() is None
        hd.release()

    @pytest.mark.parametrize("hold_time", [-1, 2**32, None, "30000", 1.0])
    def test_bad_hold_times(self, hd: HoldDown, hold_time: Any) -> None:
        """A HoldTime that is not a ULONG: ERROR_INVALID_PARAMETER, the table unchanged (V2-6.5)."""
        api = loose(hd.rtm)
        hd.add()
        dest = hd.dest()
        before = table_state(hd.rtm, hd.ospf)
        assert ERROR_INVALID_PARAMETER == api.RtmHoldDestination(hd.rip, dest, RTM_VIEW_MASK_UCAST, hold_time).status
        assert before == table_state(hd.rtm, hd.ospf)
        hd.release()

    def test_bad_handles(self, hd: HoldDown) -> None:
        """A destination handle of another kind, None or an int, or a bad caller: ERROR_INVALID_HANDLE (V2-6.5)."""
        api = loose(hd.rtm)
        route = hd.add()
        dest = hd.dest()
        for caller, handle in (
            (hd.rip, route),
            (hd.rip, hd.nh),
            (hd.rip, None),
            (hd.rip, 1),
            (None, dest),
            (dest, dest),
        ):
            assert ERROR_INVALID_HANDLE == api.RtmHoldDestination(caller, handle, RTM_VIEW_MASK_UCAST, HOLD).status
        hd.delete(route)
        assert hd.views() is None
        hd.release()


class TestHoldOnlyDestinations:
    """Destinations with nothing but hold-down routes (V2-2.7, V2-6.8, V2-A-belongs)."""

    def _hold_only(self, hd: HoldDown) -> v2model.Route:
        hd.add("10.2.0.0/16")
        route = hd.add()
        hd.hold()
        hd.delete(route)
        hd.release()
        return route

    def test_destination_enumeration_needs_view_mask_any(self, hd: HoldDown) -> None:
        """A unicast enumeration skips the hold-only destination; RTM_VIEW_MASK_ANY returns it (V2-2.7, V2-6.8,
        V2-A-belongs)."""
        self._hold_only(hd)
        assert ["10.2.0.0/16"] == enum_dest_prefixes(hd.rtm, hd.ospf, views=RTM_VIEW_MASK_UCAST)
        assert ["10.2.0.0/16"] == enum_dest_prefixes(hd.rtm, hd.ospf, views=RTM_VIEW_MASK_ALL)
        assert ["10.1.0.0/16", "10.2.0.0/16"] == enum_dest_prefixes(hd.rtm, hd.ospf, views=RTM_VIEW_MASK_ANY)

    def test_route_enumeration_needs_view_mask_any(self, hd: HoldDown) -> None:
        """Hold routes are enumerated only with RTM_VIEW_MASK_ANY (V2-2.10)."""
        self._hold_only(hd)
        assert ["10.2.0.0/16"] == [r.prefix for r in enum_routes(hd.rtm, hd.ospf, views=RTM_VIEW_MASK_UCAST)]
        everything = enum_routes(hd.rtm, hd.ospf, views=RTM_VIEW_MASK_ANY)
        assert [("10.1.0.0/16", RTM_ROUTE_STATE_DELETED), ("10.2.0.0/16", 0)] == [
            (r.prefix, r.state) for r in everything
        ]

    def test_belongs_to_no_view(self, hd: HoldDown) -> None:
        """A hold-only destination belongs to no view (A-belongs) but is still found by exact match."""
        self._hold_only(hd)
        info = dest_info(hd.rtm, hd.ospf, "10.1.0.0/16", RTM_VIEW_MASK_ANY)
        assert (0, 0, []) == (info.BelongsToViews, info.NumberOfViews, info.ViewInfo)
        hd.rtm.RtmReleaseDestInfo(hd.ospf, info)

    def test_not_a_longest_prefix_match(self, hd: HoldDown) -> None:
        """Longest-prefix match ignores destinations without a live route (A-lpm)."""
        self._hold_only(hd)
        status, info = hd.rtm.RtmGetMostSpecificDestination(
            hd.ospf, net_address("10.1.2.3/32"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert (ERROR_NOT_FOUND, None) == (status, info)

    def test_the_sample_reads_the_hold_route(self, hd: HoldDown) -> None:
        """As the hold-down sample does: enumerate with RTM_VIEW_MASK_ANY, then RtmGetDestInfo in the unicast
        view to choose between the HoldRoute and the best route (V2-2.7, V2-6.8, V2-A-belongs)."""
        route = self._hold_only(hd)
        advertised = {}
        status, enum = hd.rtm.RtmCreateDestEnum(
            hd.ospf, RTM_VIEW_MASK_ANY, 2, net_address("0.0.0.0/0"), RTM_BEST_PROTOCOL
        )
        assert NO_ERROR == status
        while True:
            status, count, infos = hd.rtm.RtmGetEnumDests(hd.ospf, enum, 25)
            assert infos is not None
            for info in infos:
                got, actual = hd.rtm.RtmGetDestInfo(hd.ospf, info.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
                assert NO_ERROR == got
                assert actual is not None
                view = actual.ViewInfo[0]
                advertised[repr(info.DestHandle)] = view.HoldRoute or view.Route
                hd.rtm.RtmReleaseDestInfo(hd.ospf, actual)
            hd.rtm.RtmReleaseDests(hd.ospf, some(count), infos)
            if status != NO_ERROR:
                break
        hd.rtm.RtmDeleteEnumHandle(hd.ospf, enum)
        assert route in advertised.values()
        assert 2 == len(advertised)


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmHoldDestination", lambda w: [w.rip, w.dest, RTM_VIEW_MASK_UCAST, 100], 4),
]


class TestBadInputSweep:
    """Every argument position of RtmHoldDestination given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.7, V2-A-hold)."""
        assert [] == sweep(clock, method, args, position)
