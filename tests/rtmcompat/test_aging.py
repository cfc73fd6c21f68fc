"""Route aging: TimeToLive in seconds on the manual clock (V1-1.8, V1-4.4, V1-5.3, V1-5.5, V1-A12 to V1-A15; M-TIME)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from rtmcompat import (
    ERROR_NO_ROUTES,
    ERROR_NO_SUCH_ROUTE,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_NO_CHANGE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Shim,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import Message, add, drain, dump, filetime, ip_route, register, stored

IP = RTM_PROTOCOL_FAMILY_IP


def count(shim: V1Shim) -> int:
    return shim.RtmGetNetworkCount(IP).NetworkCount


#: v1 calls that look at the table, each with what it answers once the only route (10.1.0.0/16 of RIP, if 1,
#: next hop 192.0.2.1) has aged out.
OBSERVERS: dict[str, tuple[Callable[[V1Shim, Any], Any], Any]] = {
    "RtmGetNetworkCount": (lambda s, c: s.RtmGetNetworkCount(IP), (NO_ERROR, 0)),
    "RtmIsRoute": (lambda s, c: s.RtmIsRoute(IP, ip_network("10.1.0.0/16")), (NO_ERROR, False, None)),
    "RtmLookupIPDestination": (lambda s, c: s.RtmLookupIPDestination(ip_address("10.1.0.1")), (NO_ERROR, False, None)),
    "RtmGetFirstRoute": (lambda s, c: s.RtmGetFirstRoute(IP, 0), (ERROR_NO_ROUTES, None)),
    "RtmGetNextRoute": (lambda s, c: s.RtmGetNextRoute(IP, 0, ip_route("0.0.0.0/0")), (ERROR_NO_ROUTES, None)),
    "RtmGetSpecificRoute": (
        lambda s, c: s.RtmGetSpecificRoute(IP, ip_route(protocol=PROTO_IP_RIP)),
        (ERROR_NO_ROUTES, None),
    ),
    "RtmCreateEnumerationHandle": (lambda s, c: s.RtmCreateEnumerationHandle(IP, 0), (ERROR_NO_ROUTES, None)),
    "RtmDeleteRoute": (lambda s, c: s.RtmDeleteRoute(c, ip_route()), (ERROR_NO_SUCH_ROUTE, None, None)),
    "RtmBlockDeleteRoutes": (lambda s, c: s.RtmBlockDeleteRoutes(c, 0), (ERROR_NO_ROUTES,)),
    "RtmAddRoute": (
        lambda s, c: s.RtmAddRoute(c, ip_route(), INFINITE),
        (NO_ERROR, RTM_ROUTE_ADDED, stored(ip_route(), PROTO_IP_RIP, 10_000), None),
    ),
    "RtmDequeueRouteChangeMessage": (
        lambda s, c: s.RtmDequeueRouteChangeMessage(c),
        (NO_ERROR, RTM_ROUTE_DELETED, None, stored(ip_route(), PROTO_IP_RIP, 0)),
    ),
}

#: v1 calls that do not read the table: after them the RTM holds no route any more.
BYSTANDERS: dict[str, Callable[[V1Shim, Any], Any]] = {
    "RtmGetRouteAge": lambda s, c: s.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=filetime(0))),
    "RtmRegisterClient": lambda s, c: s.RtmRegisterClient(IP, PROTO_IP_BGP, None, 0),
    "RtmCloseEnumerationHandle": lambda s, c: s.RtmCloseEnumerationHandle(None),
    "RtmEnumerateGetNextRoute": lambda s, c: s.RtmEnumerateGetNextRoute(None),
    "RtmDeregisterClient": lambda s, c: s.RtmDeregisterClient(None),
    "RtmGetNetworkCount(bad family)": lambda s, c: s.RtmGetNetworkCount(7),
}


class TestRtmAddRouteTimeToLive:
    """RtmAddRoute's TimeToLive: routes age out and every client is told (V1-5.5)."""

    def test_route_lives_for_its_ttl_in_seconds(self, shim, clock):
        """A route added with TTL 10 s is there at 9.999 s and gone at 10 s (a deadline is due when now >=
        deadline) (V1-4.4, V1-5.5; M-TIME)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), 10)
        clock.advance(9_999)
        assert 1 == count(shim)
        clock.advance(1)
        assert 0 == count(shim)

    @pytest.mark.parametrize("call", list(OBSERVERS), ids=list(OBSERVERS))
    def test_any_call_sees_the_expired_state(self, shim, clock, call):
        """After clock.advance the very next v1 call, whichever it is, already sees the route gone (M-TIME,
        V1-5.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), 10)
        clock.advance(10_000)
        function, expected = OBSERVERS[call]
        assert expected == tuple(function(shim, rip))

    @pytest.mark.parametrize("call", list(BYSTANDERS), ids=list(BYSTANDERS))
    def test_calls_that_do_not_read_the_table_also_age_it(self, shim, rtm, clock, call):
        """Every v1 call first processes what is due, even one that does not look at routes or that fails
        (M-TIME)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), 10)
        clock.advance(10_000)
        assert 1 == rtm.statistics()["routes"]
        BYSTANDERS[call](shim, rip)
        assert (0, 0) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])

    def test_everyone_is_told_the_owner_included(self, shim, clock):
        """An aged-out route is deleted like a deletion with no caller: every client with an event gets the
        message, the owner too (V1-5.3, V1-5.5, V1-A14)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        quiet, _ = register(shim, PROTO_IP_BGP, event=False)
        add(shim, rip, ip_route(), 5)
        drain(shim, ospf)
        clock.advance(5_000)
        expected = [Message(RTM_ROUTE_DELETED, None, stored(ip_route(), PROTO_IP_RIP, 0))]
        assert expected == drain(shim, rip)
        assert expected == drain(shim, ospf)
        assert NO_ERROR == shim.RtmDeregisterClient(quiet).status

    def test_aged_best_route_hands_over(self, shim, clock):
        """When the best route ages out and another remains, everyone gets CHANGED (V1-1.8, V1-5.3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(ifindex=2, metric=5), INFINITE)
        add(shim, rip, ip_route(metric=1), 5)
        drain(shim, ospf)
        drain(shim, rip)
        clock.advance(5_000)
        expected = [
            Message(
                RTM_ROUTE_CHANGED,
                stored(ip_route(ifindex=2, metric=5), PROTO_IP_OSPF, 0),
                stored(ip_route(metric=1), PROTO_IP_RIP, 0),
            )
        ]
        assert expected == drain(shim, rip)
        assert expected == drain(shim, ospf)

    def test_aged_non_best_route_tells_nobody(self, shim, clock):
        """A route that was not the best ages out silently (V1-5.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=1), INFINITE)
        add(shim, rip, ip_route(ifindex=2, metric=5), 5)
        drain(shim, rip)
        clock.advance(5_000)
        assert 1 == len(dump(shim))
        assert [] == drain(shim, rip)
        assert [] == drain(shim, ospf)

    def test_ttl_zero_expires_at_the_next_call(self, shim):
        """TTL 0 is accepted: the add reports ADDED (and the others hear it); the route expires at the next call,
        which tells everyone, the owner included (V1-A12, V1-5.5; M-TIME "a TTL of 0 expires at the
        next call")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        route = stored(ip_route(), PROTO_IP_RIP, 0)
        assert (NO_ERROR, RTM_ROUTE_ADDED, route, None) == shim.RtmAddRoute(rip, ip_route(), 0)
        assert 0 == count(shim)
        assert [Message(RTM_ROUTE_ADDED, route, None), Message(RTM_ROUTE_DELETED, None, route)] == drain(shim, ospf)
        assert [Message(RTM_ROUTE_DELETED, None, route)] == drain(shim, rip)

    def test_ttl_zero_is_gone_by_the_next_call(self, shim):
        """Whatever else happens, a TTL 0 route is gone for the next call (V1-A12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        assert NO_ERROR == shim.RtmAddRoute(rip, ip_route(), 0).status
        assert 0 == count(shim)
        assert [] == dump(shim)

    def test_refresh_restarts_the_ttl(self, shim, clock):
        """Every successful RtmAddRoute of an existing route restarts its TTL, even when it reports NO_CHANGE,
        and refreshes RR_TimeStamp (V1-4.4 step 2, A13)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), 10)
        clock.advance(8_000)
        assert (RTM_NO_CHANGE, None, None) == add(shim, rip, ip_route(), 10)
        clock.advance(8_000)
        assert [stored(ip_route(), PROTO_IP_RIP, 8_000)] == dump(shim)
        clock.advance(1_999)
        assert 1 == count(shim)
        clock.advance(1)
        assert 0 == count(shim)

    def test_refresh_uses_the_new_ttl(self, shim, clock):
        """The refreshed deadline comes from the new call's TTL, shorter or INFINITE (V1-A13)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"), 100)
        add(shim, rip, ip_route("10.2.0.0/16"), 5)
        add(shim, rip, ip_route("10.1.0.0/16"), 3)
        add(shim, rip, ip_route("10.2.0.0/16"), INFINITE)
        clock.advance(3_000)
        assert [stored(ip_route("10.2.0.0/16"), PROTO_IP_RIP, 0)] == dump(shim)
        clock.advance(10**9)
        assert 1 == count(shim)

    def test_infinite_never_expires(self, shim, clock):
        """TimeToLive INFINITE keeps the route until it is deleted (V1-4.4)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), INFINITE)
        clock.advance(2**40)
        assert [stored(ip_route(), PROTO_IP_RIP, 0)] == dump(shim)

    def test_longest_ttl(self, shim, clock):
        """The longest TTL, 2,147,483 s, holds the route that long (V1-4.4, V1-A12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), 2_147_483)
        clock.advance(2_147_483_000 - 1)
        assert 1 == count(shim)
        clock.advance(1)
        assert 0 == count(shim)

    def test_earlier_deadline_first(self, shim, clock):
        """Routes due in one pass expire in deadline order: the non-best route (earlier deadline) goes first and
        silently, then the best one with DELETED (V1-5.5, V1-A14)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        best, other = ip_route(ifindex=1, metric=1), ip_route(ifindex=2, metric=2)
        add(shim, rip, best, 5)
        add(shim, rip, other, 3)
        drain(shim, ospf)
        clock.advance(10_000)
        assert [Message(RTM_ROUTE_DELETED, None, stored(best, PROTO_IP_RIP, 0))] == drain(shim, ospf)

    def test_same_deadline_in_canonical_order(self, shim, clock):
        """Routes with the same deadline expire in canonical order, one at a time: A (best, interface 1) then B
        gives CHANGED(A->B) then DELETED(B), whatever order they were added in (V1-5.5, V1-A14, V1-A15)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        a, b = ip_route(ifindex=1, metric=1), ip_route(ifindex=2, metric=5)
        add(shim, rip, b, 10)
        add(shim, rip, a, 10)
        drain(shim, ospf)
        clock.advance(10_000)
        expected = [
            Message(RTM_ROUTE_CHANGED, stored(b, PROTO_IP_RIP, 0), stored(a, PROTO_IP_RIP, 0)),
            Message(RTM_ROUTE_DELETED, None, stored(b, PROTO_IP_RIP, 0)),
        ]
        assert expected == drain(shim, ospf)

    def test_same_deadline_across_networks(self, shim, clock):
        """Routes of several networks due together each give their message, networks in canonical order (V1-A14)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        nets = ["10.1.0.0/16", "9.0.0.0/8"]
        for net in nets:
            add(shim, rip, ip_route(net), 10)
        drain(shim, ospf)
        clock.advance(10_000)
        expected = [Message(RTM_ROUTE_DELETED, None, stored(ip_route(n), PROTO_IP_RIP, 0)) for n in reversed(nets)]
        assert expected == drain(shim, ospf)

    def test_aging_leaves_no_v2_leftovers(self, shim, rtm, clock):
        """An aged-out route's v2 route and next hop are gone, and the client can still deregister cleanly
        (MIGRATION.md "Messages": aging; mapping table RtmDeregisterClient)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(), 5)
        clock.advance(5_000)
        assert 0 == count(shim)
        assert (0, 0) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])
        assert rip.entity is not None
        name = rip.entity.name
        assert NO_ERROR == shim.RtmDeregisterClient(rip).status
        assert None is rtm.leak_report().for_entity(name)

    def test_system_clock_shim_ages_too(self):
        """With the default (system) clock the shim still constructs and serves calls; aging is driven by time
        (M-TIME). Only non-timing behaviour is checked here."""
        with v2model.RoutingTableManager() as rtm:
            shim = V1Shim(rtm)
            rip, _ = register(shim, PROTO_IP_RIP)
            add(shim, rip, ip_route(), INFINITE)
            assert 1 == count(shim)
            assert NO_ERROR == shim.RtmDeregisterClient(rip).status
            shim.close()
