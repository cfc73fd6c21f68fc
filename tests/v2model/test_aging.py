"""Route aging: TimeToLive, RTM_ROUTE_EXPIRED and the timer thread (V2-2.8, V2-A-ttl; M-TIME)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_TYPE_BEST,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_EXPIRED,
    RTM_ROUTE_INFO,
    RTM_ROUTE_STATE_DELETED,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import (
    WAIT_S,
    Event,
    Recorder,
    dest_info,
    drained_prefixes,
    handles_of,
    route_summary,
    some,
    table_state,
    view_of,
)
from .support import add_route, nexthop, register, route_info

METRIC_UNREACHABLE = 16


class Aging:
    """RIP (with a recording callback) adding routes with a TimeToLive, OSPF watching."""

    def __init__(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock, answer: int) -> None:
        self.rtm = rtm
        self.clock = clock
        self.events = Recorder(expired_answer=answer)
        self.ospf_events = Recorder()
        self.rip = register(rtm, PROTO_IP_RIP, callback=self.events)
        self.ospf = register(rtm, PROTO_IP_OSPF, callback=self.ospf_events)
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)

    def add(self, prefix: str, ttl: int, metric: int = 5) -> v2model.Route:
        route, _ = add_route(self.rtm, self.rip, prefix, route_info(self.nh, metric=metric), ttl=ttl)
        return route

    def live(self, prefix: str) -> bool:
        """Whether the destination still has a live unicast route (an API call: timers run first)."""
        views = view_of(self.rtm, self.ospf, prefix)
        return views is not None and views[0].NumRoutes > 0

    @property
    def expired(self) -> list[Event]:
        return self.events.of(RTM_ROUTE_EXPIRED)


@pytest.fixture
def deleting(rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> Aging:
    """The owner's callback answers ERROR_NOT_SUPPORTED: "delete it"."""
    return Aging(rtm, clock, ERROR_NOT_SUPPORTED)


@pytest.fixture
def keeping(rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> Aging:
    """The owner's callback answers NO_ERROR: "I handled it"."""
    return Aging(rtm, clock, NO_ERROR)


class TestTimeToLive:
    """TimeToLive of RtmAddRouteToDest, in milliseconds on the RTM's clock (V2-2.8, V2-6.5, V2-A-ttl)."""

    def test_due_exactly_at_the_deadline(self, deleting: Aging) -> None:
        """A route with TTL 1000 is live at 999 ms and gone at the first call at 1000 ms (now >= deadline) (V2-2.8,
        V2-6.5, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=1000)
        deleting.clock.advance(999)
        assert deleting.live("10.1.0.0/16")
        deleting.clock.advance(1)
        assert not deleting.live("10.1.0.0/16")
        assert 1 == len(deleting.expired)

    def test_zero_expires_at_the_next_call(self, deleting: Aging) -> None:
        """TTL 0 is due at once: the add returns normally and the next call of any kind sees it expired (V2-2.8,
        V2-6.5, V2-A-ttl)."""
        status, route, flags = deleting.rtm.RtmAddRouteToDest(
            deleting.rip, None, net_address("10.1.0.0/16"), route_info(deleting.nh), 0
        )
        assert (NO_ERROR, RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST) == (status, flags)
        assert [] == deleting.expired
        status, info = deleting.rtm.RtmGetExactMatchDestination(
            deleting.ospf, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST
        )
        assert (ERROR_NOT_FOUND, None) == (status, info)
        assert [route] == [e.context1 for e in deleting.expired]
        deleting.rtm.RtmReleaseRoutes(deleting.rip, 1, [some(route)])

    def test_infinite_never_expires(self, deleting: Aging) -> None:
        """INFINITE: never expires, however far the clock moves (V2-2.8, V2-6.5, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=INFINITE)
        deleting.clock.advance(10**12)
        assert deleting.live("10.1.0.0/16")
        assert [] == deleting.expired

    def test_any_call_sees_the_expiry(self, deleting: Aging) -> None:
        """After clock.advance the next call of any kind, even one about something else, runs the expiry (V2-2.8,
        V2-6.5, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=10)
        deleting.clock.advance(10)
        assert NO_ERROR == deleting.rtm.RtmCreateRouteList(deleting.ospf).status
        assert 0 == deleting.rtm.statistics()["routes"]

    def test_process_timers_runs_the_expiry_and_returns_the_next_deadline(self, deleting: Aging) -> None:
        """rtm.process_timers() runs what is due and says when the next deadline is (M-TIME)."""
        deleting.add("10.1.0.0/16", ttl=10)
        deleting.add("10.2.0.0/16", ttl=30)
        deleting.clock.advance(10)
        assert 30 == deleting.rtm.process_timers()
        assert 1 == deleting.rtm.statistics()["routes"]

    def test_update_rearms(self, deleting: Aging) -> None:
        """Updating the route (even with identical fields) re-arms the timer from now (A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=1000)
        deleting.clock.advance(800)
        deleting.add("10.1.0.0/16", ttl=1000)
        deleting.clock.advance(800)
        assert deleting.live("10.1.0.0/16")
        deleting.clock.advance(200)
        assert not deleting.live("10.1.0.0/16")

    def test_update_to_infinite_cancels(self, deleting: Aging) -> None:
        """Updating with INFINITE cancels a pending expiry (V2-2.8, V2-6.5, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=1000)
        deleting.add("10.1.0.0/16", ttl=INFINITE)
        deleting.clock.advance(5000)
        assert deleting.live("10.1.0.0/16")

    def test_update_can_shorten(self, deleting: Aging) -> None:
        """A shorter TTL on update wins over the longer one armed before (V2-2.8, V2-6.5, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=10_000)
        deleting.add("10.1.0.0/16", ttl=100)
        deleting.clock.advance(100)
        assert not deleting.live("10.1.0.0/16")

    def test_update_and_unlock_sets_the_ttl(self, deleting: Aging) -> None:
        """RtmUpdateAndUnlockRoute's TimeToLive re-arms the timer like an add (V2-6.5)."""
        route = deleting.add("10.1.0.0/16", ttl=INFINITE)
        assert NO_ERROR == deleting.rtm.RtmLockRoute(deleting.rip, route, True, True).status
        assert NO_ERROR == deleting.rtm.RtmUpdateAndUnlockRoute(deleting.rip, route, 300, None, 0, None).status
        deleting.clock.advance(299)
        assert deleting.live("10.1.0.0/16")
        deleting.clock.advance(1)
        assert not deleting.live("10.1.0.0/16")

    def test_expiry_recomputes_the_best_route_and_notifies(self, deleting: Aging) -> None:
        """An expired best route gives way to the next best, and watchers get a BEST change (V2-2.8, V2-6.5,
        V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=100, metric=1)
        ospf_nh = nexthop(deleting.rtm, deleting.ospf, "198.51.100.1", 2)
        backup, _ = add_route(deleting.rtm, deleting.ospf, "10.1.0.0/16", route_info(ospf_nh, metric=9))
        status, reg = deleting.rtm.RtmRegisterForChangeNotification(
            deleting.ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None
        )
        assert NO_ERROR == status
        deleting.clock.advance(100)
        views = view_of(deleting.rtm, deleting.ospf, "10.1.0.0/16")
        assert views is not None
        assert (1, repr(backup)) == (views[0].NumRoutes, views[0].Route)
        assert 1 == len(deleting.ospf_events.notifications)
        assert ["10.1.0.0/16"] == drained_prefixes(deleting.rtm, deleting.ospf, reg)

    def test_several_routes_expire_in_one_step(self, deleting: Aging) -> None:
        """Routes due at the same time all expire in the same call, each with its own event (V2-2.8, V2-6.5,
        V2-A-ttl)."""
        routes = [deleting.add(f"10.{i}.0.0/16", ttl=50) for i in range(5)]
        deleting.clock.advance(60)
        assert NO_ERROR == deleting.rtm.RtmReleaseRoutes(deleting.rip, 5, routes).status
        assert sorted(map(repr, routes)) == sorted(repr(e.context1) for e in deleting.expired)
        assert 0 == deleting.rtm.statistics()["routes"]

    def test_simultaneous_expiries_in_address_order(self, deleting: Aging) -> None:
        """Routes due at the same millisecond expire in destination address order, shorter prefix first
        (MIGRATION.md "Aging")."""
        order: list[str] = []

        def note(event: Event) -> None:
            if event.event == RTM_ROUTE_EXPIRED:
                order.append(route_summary(deleting.rtm, deleting.rip, event.context1).prefix)

        deleting.events.on_event = note
        for prefix in ("10.9.0.0/16", "10.3.0.0/24", "10.5.0.0/16", "10.3.0.0/16"):
            deleting.add(prefix, ttl=50)
        deleting.clock.advance(50)
        deleting.rtm.process_timers()
        assert ["10.3.0.0/16", "10.3.0.0/24", "10.5.0.0/16", "10.9.0.0/16"] == order

    def test_expiry_in_a_held_destination_leaves_a_hold_route(self, deleting: Aging) -> None:
        """An expired last route of a held destination becomes its hold-down route (V2-2.7, V2-2.8)."""
        route = deleting.add("10.1.0.0/16", ttl=100)
        info = dest_info(deleting.rtm, deleting.rip, "10.1.0.0/16")
        assert NO_ERROR == deleting.rtm.RtmHoldDestination(deleting.rip, some(info.DestHandle), 1, 5000).status
        deleting.rtm.RtmReleaseDestInfo(deleting.rip, info)
        deleting.clock.advance(100)
        views = view_of(deleting.rtm, deleting.ospf, "10.1.0.0/16")
        assert views is not None
        assert (0, None, repr(route)) == (views[0].NumRoutes, views[0].Route, views[0].HoldRoute)
        deleting.clock.advance(5000)
        assert view_of(deleting.rtm, deleting.ospf, "10.1.0.0/16") is None

    def test_callback_may_delete_the_route_itself(
        self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock
    ) -> None:
        """The owner may delete the route inside the callback (RtmDeleteRouteToDest consumes the handle it was
        given) and answer NO_ERROR; nothing is left over (V2-2.8, V2-6.5, V2-A-ttl)."""

        def delete_it(event: Event) -> int | None:
            if event.event == RTM_ROUTE_EXPIRED:
                assert NO_ERROR == rtm.RtmDeleteRouteToDest(event.handle, event.context1).status
                return NO_ERROR
            return None

        rip = register(rtm, PROTO_IP_RIP, callback=Recorder(on_event=delete_it))
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh), ttl=10)
        clock.advance(10)
        assert view_of(rtm, rip, "10.1.0.0/16") is None
        assert NO_ERROR == rtm.RtmReleaseRoutes(rip, 1, [route]).status
        assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [nh]).status
        assert rtm.leak_report().empty

    @pytest.mark.parametrize("ttl", [-1, 2**32, None, "1000", 1.5])
    def test_bad_ttl_is_invalid(self, deleting: Aging, ttl: Any) -> None:
        """A TimeToLive that is not a ULONG: ERROR_INVALID_PARAMETER and the table unchanged (V2-2.8, V2-6.5,
        V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=INFINITE, metric=5)
        before = table_state(deleting.rtm, deleting.ospf)
        status, route, flags = deleting.rtm.RtmAddRouteToDest(
            deleting.rip, None, net_address("10.1.0.0/16"), route_info(deleting.nh, metric=1), ttl
        )
        assert (ERROR_INVALID_PARAMETER, None, None) == (status, route, flags)
        assert before == table_state(deleting.rtm, deleting.ospf)


class TestRouteExpiredEvent:
    """RTM_ROUTE_EXPIRED to the owner's callback and what its answer means (V2-2.2, V2-2.8, V2-A-ttl)."""

    def test_owner_gets_a_referenced_handle_and_the_route_info(self, keeping: Aging) -> None:
        """Context1 is the route handle, with a new reference for the owner; Context2 an RTM_ROUTE_INFO of
        the route as it was (V2-2.2, V2-2.8, V2-A-ttl)."""
        inside: list[Any] = []

        def look(event: Event) -> None:
            inside.append(handles_of(keeping.rtm, keeping.rip).get(repr(event.context1)))
            inside.append(route_summary(keeping.rtm, keeping.rip, event.context1))

        keeping.events.on_event = look
        route = keeping.add("10.1.0.0/16", ttl=100, metric=7)
        expected_info = route_summary(keeping.rtm, keeping.rip, route)
        keeping.clock.advance(100)
        keeping.rtm.process_timers()
        [event] = keeping.expired
        assert (keeping.rip, RTM_ROUTE_EXPIRED, route) == event[:3]
        assert isinstance(event.context2, RTM_ROUTE_INFO)
        assert (keeping.rip, 7) == (event.context2.RouteOwner, event.context2.PrefInfo.Metric)
        assert [2, expected_info] == inside
        keeping.rtm.RtmReleaseRoutes(keeping.rip, 2, [route, route])

    def test_not_supported_deletes_and_drops_the_reference(self, deleting: Aging) -> None:
        """Answer ERROR_NOT_SUPPORTED: RTM deletes the route and drops the reference it gave; the owner's own
        handle now names a deleted route, which RtmDeleteRouteToDest reports as ERROR_NOT_FOUND without
        consuming it (A-ttl, A-delete)."""
        route = deleting.add("10.1.0.0/16", ttl=100)
        deleting.clock.advance(100)
        assert not deleting.live("10.1.0.0/16")
        assert {repr(route): 1} == {k: v for k, v in handles_of(deleting.rtm, deleting.rip).items() if "route" in k}
        assert RTM_ROUTE_STATE_DELETED == route_summary(deleting.rtm, deleting.rip, route).state
        assert ERROR_NOT_FOUND == deleting.rtm.RtmDeleteRouteToDest(deleting.rip, route).status
        assert NO_ERROR == deleting.rtm.RtmReleaseRoutes(deleting.rip, 1, [route]).status
        assert NO_ERROR == deleting.rtm.RtmReleaseNextHops(deleting.rip, 1, [deleting.nh]).status
        assert deleting.rtm.leak_report().empty

    def test_other_answer_keeps_the_route_and_the_reference(self, keeping: Aging) -> None:
        """Any other answer: the route stays live (it is not expired again) and the event's reference is the
        owner's to release (V2-2.2, V2-2.8, V2-A-ttl)."""
        route = keeping.add("10.1.0.0/16", ttl=100)
        keeping.clock.advance(100)
        assert keeping.live("10.1.0.0/16")
        assert 2 == handles_of(keeping.rtm, keeping.rip)[repr(route)]
        keeping.clock.advance(10_000)
        assert keeping.live("10.1.0.0/16")
        assert 1 == len(keeping.expired)
        assert NO_ERROR == keeping.rtm.RtmReleaseRoutes(keeping.rip, 1, [keeping.expired[0].context1]).status
        assert 1 == handles_of(keeping.rtm, keeping.rip)[repr(route)]

    def test_no_callback_deletes(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """An owner registered without a callback: the route is deleted as if it answered
        ERROR_NOT_SUPPORTED (A-ttl)."""
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        status, route, _ = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh), 100)
        assert NO_ERROR == status
        clock.advance(100)
        assert view_of(rtm, rip, "10.1.0.0/16") is None
        rtm.RtmReleaseRoutes(rip, 1, [some(route)])
        rtm.RtmReleaseNextHops(rip, 1, [nh])
        assert rtm.leak_report().empty

    def test_only_the_owner_is_told(self, deleting: Aging) -> None:
        """Other entities never get RTM_ROUTE_EXPIRED for a route they do not own (V2-2.2, V2-2.8, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=100)
        deleting.clock.advance(100)
        deleting.rtm.process_timers()
        assert (1, []) == (len(deleting.expired), deleting.ospf_events.of(RTM_ROUTE_EXPIRED))

    def test_handled_like_the_sample(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """The callback sample's way: lock the route, set the metric to unreachable, RtmUpdateAndUnlockRoute
        with INFINITE, release the handle, answer NO_ERROR; the route stays with metric 16 for good (V2-2.2, V2-2.8,
        V2-A-ttl)."""
        results: list[int] = []

        def handle_expiry(event: Event) -> int | None:
            if event.event != RTM_ROUTE_EXPIRED:
                return None
            status, pointer = rtm.RtmLockRoute(event.handle, event.context1, True, True)
            results.append(status)
            if status == NO_ERROR:
                assert pointer is not None
                pointer.PrefInfo.Metric = METRIC_UNREACHABLE
                results.append(rtm.RtmUpdateAndUnlockRoute(event.handle, event.context1, INFINITE).status)
            results.append(rtm.RtmReleaseRoutes(event.handle, 1, [event.context1]).status)
            return NO_ERROR

        rip = register(rtm, PROTO_IP_RIP, callback=Recorder(on_event=handle_expiry))
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh, metric=3), ttl=1000)
        clock.advance(1000)
        assert METRIC_UNREACHABLE == route_summary(rtm, rip, route).metric
        clock.advance(10**9)
        assert [NO_ERROR, NO_ERROR, NO_ERROR] == results
        rtm.RtmReleaseRoutes(rip, 1, [route])
        rtm.RtmReleaseNextHops(rip, 1, [nh])
        assert rtm.leak_report().empty


class TestExpiryWhileLocked:
    """Expiry never fires while the route's destination is locked; it is deferred to the unlock (A-ttl)."""

    def test_deferred_by_another_entitys_lock(self, deleting: Aging) -> None:
        """OSPF holds a shared lock on the destination past the deadline: no expiry until it unlocks (A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=100)
        info = dest_info(deleting.rtm, deleting.ospf, "10.1.0.0/16")
        assert NO_ERROR == deleting.rtm.RtmLockDestination(deleting.ospf, info.DestHandle, False, True).status
        deleting.clock.advance(500)
        assert deleting.live("10.1.0.0/16")
        assert [] == deleting.expired
        assert NO_ERROR == deleting.rtm.RtmLockDestination(deleting.ospf, info.DestHandle, False, False).status
        assert not deleting.live("10.1.0.0/16")
        assert 1 == len(deleting.expired)
        deleting.rtm.RtmReleaseDestInfo(deleting.ospf, info)

    def test_deferred_by_the_owners_route_lock(self, deleting: Aging) -> None:
        """The owner's RtmLockRoute also defers the expiry until its plain unlock (A-ttl)."""
        route = deleting.add("10.1.0.0/16", ttl=100)
        deleting.rtm.RtmLockRoute(deleting.rip, route, True, True)
        deleting.clock.advance(100)
        deleting.rtm.process_timers()
        assert [] == deleting.expired
        assert NO_ERROR == deleting.rtm.RtmLockRoute(deleting.rip, route, True, False).status
        assert not deleting.live("10.1.0.0/16")

    def test_refresh_while_locked_wins(self, deleting: Aging) -> None:
        """The owner locks its route, the deadline passes, and it commits with RtmUpdateAndUnlockRoute and
        INFINITE: the update re-armed the timer, so the stale expiry must not fire (A-ttl: each update
        re-arms, INFINITE cancels)."""
        route = deleting.add("10.1.0.0/16", ttl=100)
        status, pointer = deleting.rtm.RtmLockRoute(deleting.rip, route, True, True)
        assert NO_ERROR == status
        assert pointer is not None
        deleting.clock.advance(100)
        deleting.rtm.process_timers()
        pointer.PrefInfo.Metric = 2
        assert NO_ERROR == deleting.rtm.RtmUpdateAndUnlockRoute(deleting.rip, route, INFINITE).status
        assert deleting.live("10.1.0.0/16")
        assert [] == deleting.expired

    def test_refresh_by_add_while_another_entity_locks(self, deleting: Aging) -> None:
        """OSPF holds a lock past the deadline; meanwhile RIP refreshes the route with a new TTL through
        RtmAddRouteToDest. When OSPF unlocks, the route must live until its new deadline (A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=100)
        info = dest_info(deleting.rtm, deleting.ospf, "10.1.0.0/16")
        deleting.rtm.RtmLockDestination(deleting.ospf, info.DestHandle, False, True)
        deleting.clock.advance(100)
        deleting.rtm.process_timers()
        deleting.add("10.1.0.0/16", ttl=1000)
        deleting.rtm.RtmLockDestination(deleting.ospf, info.DestHandle, False, False)
        deleting.rtm.RtmReleaseDestInfo(deleting.ospf, info)
        assert deleting.live("10.1.0.0/16")
        deleting.clock.advance(1000)
        assert not deleting.live("10.1.0.0/16")


class TestSystemClock:
    """With the default system clock a timer thread ages routes while nobody calls (M-TIME)."""

    def test_route_expires_without_any_call(self) -> None:
        """A 50 ms route on RoutingTableManager() disappears by itself; the owner's callback runs on the
        timer thread. Only waits, with a generous timeout; timing never decides the outcome (V2-2.8, V2-A-ttl)."""
        expired = threading.Event()

        def on_event(event: Event) -> None:
            if event.event == RTM_ROUTE_EXPIRED:
                expired.set()

        with v2model.RoutingTableManager() as rtm:
            rip = register(rtm, PROTO_IP_RIP, callback=Recorder(on_event=on_event))
            nh = nexthop(rtm, rip, "192.0.2.1", 1)
            status, _, _ = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh), 50)
            assert NO_ERROR == status
            assert expired.wait(WAIT_S)
            deadline = time.monotonic() + WAIT_S
            while rtm.statistics()["routes"] and time.monotonic() < deadline:
                time.sleep(0.01)
            assert 0 == rtm.statistics()["routes"]

    def test_close_stops_the_timer_thread(self) -> None:
        """rtm.close() stops and joins the timer thread; the table stays usable afterwards (V2-2.8, V2-A-ttl)."""
        rtm = v2model.RoutingTableManager()
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh), 3_600_000)
        assert any(t.name.startswith("rtm-timers-") for t in threading.enumerate())
        rtm.close()
        assert [] == [t for t in threading.enumerate() if t.name.startswith("rtm-timers-")]
        assert NO_ERROR == rtm.RtmAddRouteToDest(rip, None, net_address("10.2.0.0/16"), route_info(nh), 1).status
        assert [] == [t for t in threading.enumerate() if t.name.startswith("rtm-timers-")]
        assert 2 == rtm.statistics()["routes"]

    def test_manual_clock_starts_no_thread(self, deleting: Aging) -> None:
        """On a ManualClock no timer thread is ever started: time moves only on advance (V2-2.8, V2-A-ttl)."""
        deleting.add("10.1.0.0/16", ttl=1)
        assert [] == [t for t in threading.enumerate() if t.name.startswith("rtm-timers-")]
