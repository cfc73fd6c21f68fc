"""RtmAddRoute and RtmDeleteRoute (V1-4.4, V1-4.5, V1-5.1 to V1-5.3, V1-A3 to V1-A6, V1-A12, V1-A13, V1-A19 to V1-A23,
V1-A33)."""

from __future__ import annotations

import pytest

from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MESSAGES,
    ERROR_NO_SUCH_ROUTE,
    INFINITE,
    IP_NETWORK,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_NO_CHANGE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_PROTOCOL_SINGLE_ROUTE,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Shim,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import (
    Message,
    add,
    as_ip,
    delete,
    drain,
    dump,
    ip_route,
    ipx_route,
    register,
    snapshot,
    stored,
)


def best(shim: V1Shim, net: str) -> RTM_IP_ROUTE | None:
    """RtmIsRoute's best route for an IP network."""
    status, _found, route = shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network(net))
    assert NO_ERROR == status
    return None if route is None else as_ip(route)


class TestRtmAddRoute:
    """RtmAddRoute(ClientHandle, Route, TimeToLive) -> (status, Flags, CurBestRoute, PrevBestRoute)."""

    def test_first_route_is_added(self, shim):
        """The first route to a network: RTM_ROUTE_ADDED with CurBestRoute = the stored route and no
        PrevBestRoute (V1-4.4, V1-A19)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        route = ip_route("10.1.0.0/16", metric=2)
        assert (NO_ERROR, RTM_ROUTE_ADDED, stored(route, PROTO_IP_RIP, 0), None) == shim.RtmAddRoute(rip, route, 60)

    def test_protocol_comes_from_the_handle(self, shim):
        """RR_RoutingProtocol in the caller's structure is ignored: the handle decides (V1-A33, V1-3.1)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(protocol=PROTO_IP_BGP))
        assert PROTO_IP_RIP == as_ip(best(shim, "10.1.0.0/16")).RR_RoutingProtocol

    def test_timestamp_comes_from_the_clock(self, shim, clock):
        """RR_TimeStamp is set by RTM from the clock; the caller's value is ignored (V1-3.1, M-TIME)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        clock.advance(1234)
        route = ip_route()
        route.RR_TimeStamp = 42
        _flags, cur, _prev = add(shim, rip, route)
        assert stored(route, PROTO_IP_RIP, 1234) == cur

    def test_fsd_priority_written_by_rtm(self, rtm):
        """FSD_Priority is overwritten with the protocol's configured priority, visible in every copy: outputs,
        messages and queries (V1-A3, M-PRIORITY)."""
        shim = V1Shim(rtm, protocol_priority={PROTO_IP_RIP: 7})
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        route = ip_route("10.1.0.0/16", priority=99)
        expected = stored(route, PROTO_IP_RIP, 0, priority=7)
        assert (RTM_ROUTE_ADDED, expected, None) == add(shim, rip, route)
        assert [Message(RTM_ROUTE_ADDED, expected, None)] == drain(shim, ospf)
        assert expected == best(shim, "10.1.0.0/16")
        add(shim, ospf, ip_route("10.2.0.0/16", priority=99))
        assert 0 == as_ip(best(shim, "10.2.0.0/16")).RR_FamilySpecificData.FSD_Priority

    def test_priority_beats_metric(self, rtm):
        """Routes compare by (FSD_Priority, FSD_Metric), lower first: a better priority wins whatever the
        metric (V1-5.1, V1-A2)."""
        shim = V1Shim(rtm, protocol_priority={PROTO_IP_RIP: 2, PROTO_IP_OSPF: 1})
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(metric=1))
        ospf_route = ip_route(metric=10)
        flags, cur, prev = add(shim, ospf, ospf_route)
        assert (RTM_ROUTE_CHANGED, stored(ospf_route, PROTO_IP_OSPF, 0, priority=1)) == (flags, cur)
        assert stored(ip_route(metric=1), PROTO_IP_RIP, 0, priority=2) == prev

    def test_better_route_changes_the_best(self, shim):
        """A better route from another client: RTM_ROUTE_CHANGED, Prev = the old best, Cur = the new one
        (V1-4.4)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        old = ip_route(metric=5)
        add(shim, rip, old)
        new = ip_route(ifindex=2, metric=1)
        expected = (NO_ERROR, RTM_ROUTE_CHANGED, stored(new, PROTO_IP_OSPF, 0), stored(old, PROTO_IP_RIP, 0))
        assert expected == shim.RtmAddRoute(ospf, new, INFINITE)

    def test_worse_route_is_no_change(self, shim):
        """A route that does not become best: RTM_NO_CHANGE with neither buffer (V1-4.4, V1-A19)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(metric=1))
        assert (NO_ERROR, RTM_NO_CHANGE, None, None) == shim.RtmAddRoute(ospf, ip_route(metric=3), INFINITE)
        assert [] == drain(shim, rip)

    def test_flags_is_an_int_on_success(self, shim):
        """Flags in a successful result is always an int, RTM_NO_CHANGE included (M-BINDING-3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(metric=1))
        flags = shim.RtmAddRoute(rip, ip_route(metric=1), INFINITE).Flags
        assert (int, 0) == (type(int(flags)), flags)
        assert isinstance(flags, int)

    def test_update_of_the_best_route(self, shim):
        """Updating a significant field of the best route: CHANGED with the before and after states (
        V1-4.4 step 4, V1-5.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(metric=1))
        assert (RTM_ROUTE_CHANGED, stored(ip_route(metric=2), PROTO_IP_RIP, 0), stored(ip_route(metric=1), 8, 0)) == (
            add(shim, rip, ip_route(metric=2))
        )

    def test_update_that_hands_the_best_to_another_route(self, shim):
        """When an update worsens the best route so another one wins, Cur is that other route and Prev the old
        state of the updated one (V1-4.4)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(metric=1))
        other = ip_route(ifindex=2, metric=3)
        add(shim, ospf, other)
        expected = (RTM_ROUTE_CHANGED, stored(other, PROTO_IP_OSPF, 0), stored(ip_route(metric=1), PROTO_IP_RIP, 0))
        assert expected == add(shim, rip, ip_route(metric=9))

    def test_refresh_is_no_change(self, shim, clock):
        """Re-adding an identical route is RTM_NO_CHANGE and tells nobody, but refreshes the timestamp (V1-4.4 step 2,
        A13)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route())
        drain(shim, ospf)
        clock.advance(3000)
        assert (RTM_NO_CHANGE, None, None) == add(shim, rip, ip_route())
        assert [] == drain(shim, ospf)
        assert stored(ip_route(), PROTO_IP_RIP, 3000) == best(shim, "10.1.0.0/16")

    def test_protocol_specific_data_is_not_significant(self, shim):
        """A change of RR_ProtocolSpecificData only is stored but is no change (V1-1.6, V1-5.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route())
        drain(shim, ospf)
        route = ip_route(psd=(1, 2, 3, 0xFFFFFFFF))
        assert (RTM_NO_CHANGE, None, None) == add(shim, rip, route)
        assert [] == drain(shim, ospf)
        assert stored(route, PROTO_IP_RIP, 0) == best(shim, "10.1.0.0/16")

    @pytest.mark.parametrize(
        "changed",
        [
            ip_route(metric1=5),
            ip_route(fsd_flags=1),
            ip_route(fsd_type=4),
            ip_route(nexthop="192.0.2.9"),
        ],
        ids=["FSD_Metric1", "FSD_Flags", "FSD_Type", "next-hop"],
    )
    def test_family_data_is_significant(self, shim, changed):
        """Every byte of the family-specific data (display metrics, type, flags) is significant, so is the
        next hop: the best route's change is RTM_ROUTE_CHANGED for the caller and the other clients (
        V1-1.6, V1-5.2, V1-A5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route())
        drain(shim, ospf)
        if changed.RR_NextHopAddress != ip_route().RR_NextHopAddress:
            # a different next hop is a different route (V1-1.3): the old one has to go first
            delete(shim, rip, ip_route())
            drain(shim, ospf)
            add(shim, rip, ip_route(metric=9, ifindex=7))
            drain(shim, ospf)
            previous = stored(ip_route(metric=9, ifindex=7), PROTO_IP_RIP, 0)
        else:
            previous = stored(ip_route(), PROTO_IP_RIP, 0)
        expected = Message(RTM_ROUTE_CHANGED, stored(changed, PROTO_IP_RIP, 0), previous)
        assert expected == Message(*add(shim, rip, changed))
        assert [expected] == drain(shim, ospf)

    def test_invalid_type_and_flags_still_take_part(self, shim):
        """FSD_Type 2 ("invalid") and a cleared IP_VALID_ROUTE do not stop a route from being best (
        V1-A5, V1-A6)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(metric=5, fsd_flags=1))
        route = ip_route(ifindex=2, metric=1, fsd_type=2, fsd_flags=0)
        assert RTM_ROUTE_CHANGED == add(shim, ospf, route)[0]
        assert stored(route, PROTO_IP_OSPF, 0) == best(shim, "10.1.0.0/16")

    def test_ties_keep_the_incumbent(self, shim):
        """A route as good as the best does not displace it and produces no message (V1-A4)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(ifindex=2, metric=3))
        drain(shim, rip)
        assert (RTM_NO_CHANGE, None, None) == add(shim, rip, ip_route(ifindex=1, metric=3))
        assert [] == drain(shim, ospf)
        assert PROTO_IP_OSPF == as_ip(best(shim, "10.1.0.0/16")).RR_RoutingProtocol

    def test_identity_includes_interface_and_next_hop(self, shim):
        """Routes differing in interface or next hop are separate entries (V1-1.3, V1-A21)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(ifindex=1))
        add(shim, rip, ip_route(ifindex=2))
        add(shim, rip, ip_route(ifindex=1, nexthop="192.0.2.2"))
        other_mask = ip_route(ifindex=1)
        other_mask.RR_NextHopAddress = IP_NETWORK(ip_address("192.0.2.1"), ip_address("255.255.255.0"))
        add(shim, rip, other_mask)
        assert 4 == len(dump(shim))

    def test_networks_compare_as_number_and_mask(self, shim):
        """10.1.0.0/16 and 10.1.0.0/24 are different networks (V1-A22)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        assert RTM_ROUTE_ADDED == add(shim, rip, ip_route("10.1.0.0/24"))[0]
        assert 2 == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP).NetworkCount

    def test_other_clients_are_told_and_the_caller_is_not(self, shim):
        """A best-route change is queued, with the caller's Flags/Cur/Prev, to every other client with an event
        of the family and not to the caller (V1-4.4 step 7, V1-5.3)."""
        rip, rip_event = register(shim, PROTO_IP_RIP)
        ospf, ospf_event = register(shim, PROTO_IP_OSPF)
        quiet, _ = register(shim, PROTO_IP_BGP, event=False)
        ipx, ipx_event = register(shim, PROTO_IP_RIP, RTM_PROTOCOL_FAMILY_IPX)
        result = add(shim, quiet, ip_route())
        assert [Message(*result)] == drain(shim, rip)
        assert [Message(*result)] == drain(shim, ospf)
        result = add(shim, rip, ip_route(ifindex=2, metric=0))
        assert rip_event is not None
        assert ospf_event is not None
        assert ipx_event is not None
        assert (False, True, False) == (rip_event.is_set(), ospf_event.is_set(), ipx_event.is_set())
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(rip).status
        assert [Message(*result)] == drain(shim, ospf)
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(ipx).status

    def test_single_route_client_replaces_its_route(self, shim, rtm):
        """A RTM_PROTOCOL_SINGLE_ROUTE client keeps one route per network: an add with another interface and
        next hop replaces it and, being the best, is a change (V1-1.3, V1-A20)."""
        rip, _ = register(shim, PROTO_IP_RIP, flags=RTM_PROTOCOL_SINGLE_ROUTE)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        first, second = ip_route(ifindex=1), ip_route(ifindex=4, nexthop="192.0.2.200")
        add(shim, rip, first)
        expected = Message(RTM_ROUTE_CHANGED, stored(second, PROTO_IP_RIP, 0), stored(first, PROTO_IP_RIP, 0))
        assert expected == Message(*add(shim, rip, second))
        assert [stored(second, PROTO_IP_RIP, 0)] == dump(shim)
        assert Message(RTM_ROUTE_ADDED, stored(first, PROTO_IP_RIP, 0), None) == drain(shim, ospf)[0]
        assert (1, 1) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])

    def test_outputs_are_copies(self, shim):
        """Mutating a returned route, or the route passed in, never changes the table (M-BINDING-6)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        route = ip_route(psd=(1, 2, 3, 4))
        _flags, cur, _prev = add(shim, rip, route)
        as_ip(cur).RR_FamilySpecificData.FSD_Metric = 99
        as_ip(cur).RR_Network.N_NetNumber = 0
        route.RR_ProtocolSpecificData.PSD_Data[0] = 77
        route.RR_FamilySpecificData.FSD_Metric = 55
        assert stored(ip_route(psd=(1, 2, 3, 4)), PROTO_IP_RIP, 0) == best(shim, "10.1.0.0/16")

    @pytest.mark.parametrize("ttl", [0, 1, 2_147_483, INFINITE])
    def test_time_to_live_accepted(self, shim, ttl):
        """TimeToLive from 0 to 2,147,483 s, and INFINITE, are accepted (V1-4.4, V1-A12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        assert NO_ERROR == shim.RtmAddRoute(rip, ip_route(), ttl).status

    @pytest.mark.parametrize("ttl", [2_147_484, 0xFFFFFFFE, -1, 2**32, "60", None])
    def test_time_to_live_out_of_range(self, shim, rtm, ttl):
        """A TTL above 2,147,483 s that is not INFINITE, or not a DWORD, is ERROR_INVALID_PARAMETER and the
        table is unchanged (V1-A12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        before = snapshot(shim, rtm)
        assert (ERROR_INVALID_PARAMETER, None, None, None) == shim.RtmAddRoute(rip, ip_route(), ttl)
        assert before == snapshot(shim, rtm)

    def test_bad_handle(self, shim):
        """An unknown handle gives ERROR_INVALID_HANDLE with no outputs (V1-4.4, V1-A19, V1-A30)."""
        assert (ERROR_INVALID_HANDLE, None, None, None) == shim.RtmAddRoute(None, ip_route(), 5)

    def test_route_of_the_other_family(self, shim):
        """An RTM_IPX_ROUTE passed by an IP client is ERROR_INVALID_PARAMETER (V1-A23)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        assert (ERROR_INVALID_PARAMETER, None, None, None) == shim.RtmAddRoute(rip, ipx_route(), 5)

    def test_no_route(self, shim):
        """A NULL route is ERROR_INVALID_PARAMETER (V1-A23)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        assert (ERROR_INVALID_PARAMETER, None, None, None) == shim.RtmAddRoute(rip, None, 5)

    @pytest.mark.parametrize(
        ("number", "mask"),
        [("10.1.1.1", "255.255.0.0"), ("10.0.0.0", "255.0.255.0"), ("10.1.0.0", "0.255.255.255")],
        ids=["host-bits", "non-contiguous", "inverted"],
    )
    def test_network_rtmv2_cannot_hold(self, shim, rtm, number, mask):
        """A network with host bits set or a non-contiguous mask is refused with ERROR_INVALID_PARAMETER
        (MIGRATION.md "What the shim cannot carry over")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        route = ip_route()
        route.RR_Network = IP_NETWORK(ip_address(number), ip_address(mask))
        before = snapshot(shim, rtm)
        assert ERROR_INVALID_PARAMETER == shim.RtmAddRoute(rip, route, 5).status
        assert before == snapshot(shim, rtm)

    def test_next_hop_mask_rtmv2_cannot_hold(self, shim):
        """A next hop whose mask is not contiguous is refused (MIGRATION.md "What the shim cannot carry over")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        route = ip_route()
        route.RR_NextHopAddress = IP_NETWORK(ip_address("192.0.2.1"), ip_address("255.0.255.0"))
        assert ERROR_INVALID_PARAMETER == shim.RtmAddRoute(rip, route, 5).status


class TestRtmDeleteRoute:
    """RtmDeleteRoute(ClientHandle, Route) -> (status, Flags, CurBestRoute)."""

    def test_only_route_is_deleted(self, shim):
        """Deleting the only route: RTM_ROUTE_DELETED with no buffer; the others get DELETED with Prev = the
        deleted route (V1-4.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route())
        drain(shim, ospf)
        assert (NO_ERROR, RTM_ROUTE_DELETED, None) == shim.RtmDeleteRoute(rip, ip_route())
        assert [Message(RTM_ROUTE_DELETED, None, stored(ip_route(), PROTO_IP_RIP, 0))] == drain(shim, ospf)
        assert [] == drain(shim, rip)
        assert None is best(shim, "10.1.0.0/16")

    def test_best_route_deleted_another_takes_over(self, shim):
        """Deleting the best route with another left: RTM_ROUTE_CHANGED with Cur = the new best; the others get
        CHANGED with Prev = the deleted route and Cur = the new best (V1-4.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        bgp, _ = register(shim, PROTO_IP_BGP)
        add(shim, rip, ip_route(metric=1))
        add(shim, ospf, ip_route(ifindex=2, metric=4))
        drain(shim, ospf)
        drain(shim, bgp)
        new_best = stored(ip_route(ifindex=2, metric=4), PROTO_IP_OSPF, 0)
        assert (NO_ERROR, RTM_ROUTE_CHANGED, new_best) == shim.RtmDeleteRoute(rip, ip_route(metric=1))
        expected = [Message(RTM_ROUTE_CHANGED, new_best, stored(ip_route(metric=1), PROTO_IP_RIP, 0))]
        assert expected == drain(shim, ospf)
        assert expected == drain(shim, bgp)
        assert [] == drain(shim, rip)

    def test_non_best_route_deleted(self, shim):
        """Deleting a route that is not the best: RTM_NO_CHANGE and nobody is told (V1-4.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=1))
        add(shim, rip, ip_route(ifindex=2, metric=4))
        drain(shim, rip)
        assert (NO_ERROR, RTM_NO_CHANGE, None) == shim.RtmDeleteRoute(rip, ip_route(ifindex=2))
        assert [] == drain(shim, ospf)
        assert 1 == len(dump(shim))

    def test_matched_on_network_interface_and_next_hop(self, shim):
        """The entry is found by network, interface and next hop plus the handle's protocol; the structure's
        family data and RR_RoutingProtocol do not matter (V1-4.5, V1-A33)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route(ifindex=1, metric=1))
        add(shim, rip, ip_route(ifindex=2, metric=2))
        delete(shim, rip, ip_route(ifindex=2, metric=77, protocol=PROTO_IP_OSPF, psd=(9, 9, 9, 9)))
        assert [stored(ip_route(ifindex=1, metric=1), PROTO_IP_RIP, 0)] == dump(shim)

    def test_route_of_another_client(self, shim, rtm):
        """A client cannot delete another protocol's route: ERROR_NO_SUCH_ROUTE, table unchanged (
        V1-1.4, V1-4.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        before = snapshot(shim, rtm)
        assert (ERROR_NO_SUCH_ROUTE, None, None) == shim.RtmDeleteRoute(rip, ip_route(protocol=PROTO_IP_OSPF))
        assert before == snapshot(shim, rtm)

    @pytest.mark.parametrize(
        "route",
        [ip_route("10.2.0.0/16"), ip_route(ifindex=2), ip_route(nexthop="192.0.2.2"), ip_route("10.1.0.0/24")],
        ids=["network", "interface", "next-hop", "mask"],
    )
    def test_no_such_route(self, shim, rtm, route):
        """No entry with that identity: ERROR_NO_SUCH_ROUTE (259) (V1-4.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        before = snapshot(shim, rtm)
        assert (ERROR_NO_SUCH_ROUTE, None, None) == shim.RtmDeleteRoute(rip, route)
        assert before == snapshot(shim, rtm)

    def test_single_route_client_matches_on_network(self, shim):
        """A RTM_PROTOCOL_SINGLE_ROUTE client's delete matches on the network only (V1-A20)."""
        rip, _ = register(shim, PROTO_IP_RIP, flags=RTM_PROTOCOL_SINGLE_ROUTE)
        add(shim, rip, ip_route(ifindex=1))
        assert (RTM_ROUTE_DELETED, None) == delete(shim, rip, ip_route(ifindex=9, nexthop="198.51.100.1"))
        assert [] == dump(shim)

    def test_next_hop_goes_with_its_last_route(self, shim, rtm):
        """The v2 next hop of (interface, next hop) is deleted when its last route goes (MIGRATION.md mapping
        table, RtmDeleteRoute)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.2.0.0/16"))
        assert 1 == rtm.statistics()["next_hops"]
        delete(shim, rip, ip_route("10.1.0.0/16"))
        assert 1 == rtm.statistics()["next_hops"]
        delete(shim, rip, ip_route("10.2.0.0/16"))
        assert (0, 0) == (rtm.statistics()["next_hops"], rtm.statistics()["routes"])

    def test_network_rtmv2_cannot_hold(self, shim):
        """A network the shim could never have added is simply not found (MIGRATION.md "What the shim cannot
        carry over")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        route = ip_route()
        route.RR_Network = IP_NETWORK(ip_address("10.1.1.1"), ip_address("255.255.0.0"))
        assert (ERROR_NO_SUCH_ROUTE, None, None) == shim.RtmDeleteRoute(rip, route)

    def test_bad_handle(self, shim):
        """An unknown handle: ERROR_INVALID_HANDLE (V1-4.5)."""
        assert (ERROR_INVALID_HANDLE, None, None) == shim.RtmDeleteRoute(object(), ip_route())

    def test_bad_route(self, shim):
        """A route structure of the wrong family, NULL, or holding a non-DWORD: ERROR_INVALID_PARAMETER
        (V1-4.5, V1-A23)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        broken = ip_route()
        broken.RR_InterfaceID = -1
        for route in (ipx_route(), None, broken):
            assert (ERROR_INVALID_PARAMETER, None, None) == shim.RtmDeleteRoute(rip, route)
        assert 1 == len(dump(shim))
