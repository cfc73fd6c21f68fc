"""Faults of client code stay with that client (M-FAULTS): an exception or a hostile value coming out of a
callback never reaches an unrelated caller, never wedges a thread, and is recorded in the leak report's
diagnostics, which stay bounded."""

from __future__ import annotations

from typing import Any

import v2model
from v2model import (
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_ROUTE_EXPIRED,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import Recorder, some
from .support import add_route, nexthop, register, route_info


class Nasty:
    """A value whose comparisons, hash and truth all raise, as hostile client code might return."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__")

    def __ne__(self, other: object) -> bool:
        raise RuntimeError("__ne__")

    def __hash__(self) -> int:
        raise RuntimeError("__hash__")

    def __bool__(self) -> bool:
        raise RuntimeError("__bool__")


class TestExpiryAnswers:
    """What an RTM_ROUTE_EXPIRED callback returns is read without running client code (M-FAULTS)."""

    def test_hostile_answer_does_not_reach_an_unrelated_caller(
        self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock
    ) -> None:
        """An expiry callback returning an object whose __eq__ raises: the unrelated call that fired the timer
        returns its own status, the answer counts as no answer (RTM deletes the route), and it is recorded."""
        rip = register(rtm, PROTO_IP_RIP, callback=lambda h, e, c1, c2: Nasty() if e == RTM_ROUTE_EXPIRED else 0)
        ospf = register(rtm, PROTO_IP_OSPF)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh), ttl=10)
        assert NO_ERROR == rtm.RtmReleaseRoutes(rip, 1, [route]).status
        clock.advance(10)
        other = nexthop(rtm, ospf, "192.0.2.9", 2)
        assert (0, 1) == (rtm.statistics().routes, len(rtm.leak_report().diagnostics))
        assert NO_ERROR == rtm.RtmReleaseNextHops(ospf, 1, [other]).status

    def test_thread_stays_healthy_after_a_hostile_answer(
        self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock
    ) -> None:
        """After a hostile answer the same thread still fires later expiries and delivers notifications: the
        "inside a call" flag is always reset."""
        answers: list[Any] = [Nasty(), v2model.ERROR_NOT_SUPPORTED]
        rip = register(rtm, PROTO_IP_RIP, callback=lambda h, e, c1, c2: answers.pop(0) if e == RTM_ROUTE_EXPIRED else 0)
        events = Recorder()
        ospf = register(rtm, PROTO_IP_OSPF, callback=events)
        status, _ = rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)
        assert NO_ERROR == status
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        for prefix in ("10.1.0.0/16", "10.2.0.0/16"):
            route, _ = add_route(rtm, rip, prefix, route_info(nh), ttl=10)
            rtm.RtmReleaseRoutes(rip, 1, [route])
            clock.advance(10)
            rtm.process_timers()
        assert (0, [], 1) == (rtm.statistics().routes, answers, len(events.of(RTM_CHANGE_NOTIFICATION)))


class TestCallbackExceptions:
    """A callback that raises is recorded; the call that delivered it returns normally (M-FAULTS)."""

    def test_raising_notification_callback_is_recorded(self, rtm: v2model.RoutingTableManager) -> None:
        """A callback that raises (at RTM_ENTITY_REGISTERED, then at RTM_CHANGE_NOTIFICATION): the calls that
        caused them return NO_ERROR and each fault is recorded with the receiver's name."""

        def boom(h: Any, e: int, c1: Any, c2: Any) -> int:
            raise ValueError("client bug")

        ospf = register(rtm, PROTO_IP_OSPF, callback=boom)
        assert NO_ERROR == rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, 0)[0]
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        status, _, _ = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh))
        diagnostics = rtm.leak_report().diagnostics
        assert (NO_ERROR, 2) == (status, len([d for d in diagnostics if repr(ospf) in d]))


class TestBoundedDiagnostics:
    """The diagnostics keep the newest 1,000 records and count the dropped ones (M-FAULTS)."""

    def test_newest_thousand_kept_with_a_count(self, rtm: v2model.RoutingTableManager) -> None:
        """1,500 opaque-pointer uses without a lock (each one diagnostic): 1,000 kept, the newest last, 500
        counted as dropped."""
        rip = register(rtm, PROTO_IP_RIP, opaque=True)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh))
        _status, info, _ = rtm.RtmGetRouteInfo(rip, route)
        dest = some(info).DestHandle
        for _ in range(1500):
            assert NO_ERROR == rtm.RtmGetOpaqueInformationPointer(rip, dest).status
        report = rtm.leak_report()
        assert (1000, 500) == (len(report.diagnostics), report.diagnostics_dropped)
