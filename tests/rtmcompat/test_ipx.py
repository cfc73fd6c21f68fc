"""The IPX family: RTM_PROTOCOL_FAMILY_IPX with RTM_IPX_ROUTE (V1-1.1, V1-3.3, V1-3.5, V1-5.1, V1-A2, V1-A21,
V1-A35)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import v2model
from rtmcompat import (
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MESSAGES,
    ERROR_NO_ROUTES,
    ERROR_NO_SUCH_ROUTE,
    INFINITE,
    IPX_GLOBAL_CLIENT_WAN_ROUTE,
    IPX_NETWORK,
    IPX_PROTOCOL_NLSP,
    IPX_PROTOCOL_RIP,
    IPX_PROTOCOL_SAP,
    NO_ERROR,
    RTM_IPX_ROUTE,
    RTM_NO_CHANGE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_NETWORK,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_PROTOCOL_SINGLE_ROUTE,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Shim,
)
from tests.rtmcompat.support import (
    MAC1,
    MAC2,
    MAC3,
    Message,
    add,
    as_ipx,
    delete,
    drain,
    dump,
    ip_route,
    ipx_route,
    register,
    snapshot,
    stored,
)
from tests.strategies import v1_ipx_routes

IPX = RTM_PROTOCOL_FAMILY_IPX


def ipx_key(route: object) -> tuple[int, int, int, bytes]:
    r = as_ipx(route)
    return r.RR_Network.N_NetNumber, r.RR_RoutingProtocol, r.RR_InterfaceID, r.RR_NextHopAddress.NHA_Mac


class TestRtmAddRoute:
    """RtmAddRoute with IPX routes."""

    def test_first_route_is_added(self, shim):
        """The first IPX route to a network: ADDED with the stored copy; the protocol comes from the handle
        (V1-4.4, V1-A33)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        route = ipx_route(0x10, protocol=IPX_PROTOCOL_SAP)
        assert (NO_ERROR, RTM_ROUTE_ADDED, stored(route, IPX_PROTOCOL_RIP, 0), None) == shim.RtmAddRoute(
            rip, route, INFINITE
        )

    def test_fewer_ticks_win(self, shim):
        """Ticks are the cross-protocol metric: fewer ticks win even with more hops (V1-5.1, V1-A2)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        old, new = ipx_route(ticks=2, hops=1), ipx_route(ticks=1, hops=9)
        add(shim, rip, old)
        assert (RTM_ROUTE_CHANGED, stored(new, IPX_PROTOCOL_SAP, 0), stored(old, IPX_PROTOCOL_RIP, 0)) == add(
            shim, sap, new
        )

    def test_hops_break_tick_ties(self, shim):
        """With equal ticks fewer hops win (V1-5.1, V1-A2)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route(ticks=3, hops=2))
        assert (NO_ERROR, RTM_NO_CHANGE, None, None) == shim.RtmAddRoute(sap, ipx_route(ticks=3, hops=4), INFINITE)
        assert RTM_ROUTE_CHANGED == add(shim, sap, ipx_route(ifindex=2, ticks=3, hops=1))[0]

    def test_full_tie_keeps_the_incumbent(self, shim):
        """Equal ticks and hops: the current best stays (V1-A4)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, sap, ipx_route(ticks=3, hops=3))
        assert (RTM_NO_CHANGE, None, None) == add(shim, rip, ipx_route(ticks=3, hops=3))
        assert IPX_PROTOCOL_SAP == as_ipx(shim.RtmIsRoute(IPX, IPX_NETWORK(0xABCD)).BestRoute).RR_RoutingProtocol

    def test_protocol_priority_does_not_apply(self, rtm):
        """IPX has no priority field: protocol_priority does not change IPX selection (V1-A35)."""
        shim = V1Shim(rtm, protocol_priority={IPX_PROTOCOL_RIP: 100, IPX_PROTOCOL_SAP: 0})
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, sap, ipx_route(ticks=5))
        assert RTM_ROUTE_CHANGED == add(shim, rip, ipx_route(ifindex=2, ticks=1))[0]

    def test_mac_is_part_of_the_identity(self, shim, rtm):
        """Routes differing only in next-hop MAC are separate entries, each with its own next hop (
        V1-1.3, V1-A21)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        add(shim, rip, ipx_route(mac=MAC1))
        add(shim, rip, ipx_route(mac=MAC2))
        assert 2 == len(dump(shim, IPX))
        assert 2 == rtm.statistics()["next_hops"]

    def test_family_data_is_significant(self, shim):
        """A change of FSD_Flags (IPX_GLOBAL_CLIENT_WAN_ROUTE) of the best route is CHANGED (V1-1.6,
        V1-3.5, V1-5.2)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route())
        drain(shim, sap)
        changed = ipx_route(fsd_flags=IPX_GLOBAL_CLIENT_WAN_ROUTE)
        expected = Message(
            RTM_ROUTE_CHANGED, stored(changed, IPX_PROTOCOL_RIP, 0), stored(ipx_route(), IPX_PROTOCOL_RIP, 0)
        )
        assert expected == Message(*add(shim, rip, changed))
        assert [expected] == drain(shim, sap)

    def test_protocol_data_is_not_significant(self, shim):
        """RR_ProtocolSpecificData changes are stored silently (V1-1.6)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route())
        drain(shim, sap)
        assert (RTM_NO_CHANGE, None, None) == add(shim, rip, ipx_route(psd=(5, 6, 7, 8)))
        assert [] == drain(shim, sap)
        assert [stored(ipx_route(psd=(5, 6, 7, 8)), IPX_PROTOCOL_RIP, 0)] == dump(shim, IPX)

    def test_single_route_client(self, shim):
        """An IPX single-route client replaces its route when the interface or MAC changes (V1-A20)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX, flags=RTM_PROTOCOL_SINGLE_ROUTE)
        add(shim, rip, ipx_route(mac=MAC1))
        assert RTM_ROUTE_CHANGED == add(shim, rip, ipx_route(ifindex=3, mac=MAC3))[0]
        assert [stored(ipx_route(ifindex=3, mac=MAC3), IPX_PROTOCOL_RIP, 0)] == dump(shim, IPX)

    @pytest.mark.parametrize(
        "field",
        ["mac5", "mac7", "mac-str", "ticks", "hops", "negative-net", "ip-route"],
    )
    def test_malformed_ipx_route(self, shim, rtm, field):
        """An IPX route with a MAC that is not 6 bytes, ticks or hops beyond a USHORT, a network that is not a
        DWORD, or an IP structure: ERROR_INVALID_PARAMETER, table unchanged (V1-3.3, V1-3.5, V1-A23)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        route: object = ipx_route()
        assert isinstance(route, RTM_IPX_ROUTE)
        if field == "mac5":
            route.RR_NextHopAddress.NHA_Mac = bytes(5)
        elif field == "mac7":
            route.RR_NextHopAddress.NHA_Mac = bytes(7)
        elif field == "mac-str":
            route.RR_NextHopAddress.NHA_Mac = "00000c000001"  # type: ignore[assignment]
        elif field == "ticks":
            route.RR_FamilySpecificData.FSD_TickCount = 0x10000
        elif field == "hops":
            route.RR_FamilySpecificData.FSD_HopCount = -1
        elif field == "negative-net":
            route.RR_Network.N_NetNumber = -1
        else:
            route = ip_route()
        before = snapshot(shim, rtm)
        assert (ERROR_INVALID_PARAMETER, None, None, None) == shim.RtmAddRoute(rip, route, INFINITE)
        assert before == snapshot(shim, rtm)

    def test_mac_as_bytearray(self, shim):
        """A bytearray of 6 bytes is a MAC too; the stored copy holds bytes (V1-3.6)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        route = ipx_route()
        route.RR_NextHopAddress.NHA_Mac = bytearray(MAC1)  # type: ignore[assignment]
        add(shim, rip, route)
        assert [stored(ipx_route(), IPX_PROTOCOL_RIP, 0)] == dump(shim, IPX)

    def test_families_do_not_mix(self, shim):
        """IPX changes reach only IPX clients (V1-1.1, V1-5.3)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        ip_client, _ = register(shim, IPX_PROTOCOL_SAP, RTM_PROTOCOL_FAMILY_IP)
        add(shim, rip, ipx_route())
        assert 1 == len(drain(shim, sap))
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(ip_client).status
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)


class TestIpxRoundTrip:
    """Any IPX route goes in and comes back unchanged but for the fields RTM sets."""

    @settings(max_examples=60, deadline=None)
    @given(v1_ipx_routes(), st.sampled_from((IPX_PROTOCOL_RIP, IPX_PROTOCOL_SAP)))
    def test_add_get_delete(self, route, protocol):
        """RtmAddRoute stores the route with the handle's protocol and the clock's timestamp; RtmGetSpecificRoute
        returns that copy; RtmDeleteRoute of the only route is DELETED (V1-2.5, V1-4.4, V1-4.5, V1-A33)."""
        with v2model.RoutingTableManager(clock=v2model.ManualClock(1_000)) as rtm:
            shim = V1Shim(rtm)
            client, _ = register(shim, protocol, IPX)
            expected = stored(route, protocol, 1_000)
            assert (RTM_ROUTE_ADDED, expected, None) == add(shim, client, route)
            probe = copy.deepcopy(route)
            probe.RR_RoutingProtocol = protocol
            assert (NO_ERROR, expected) == shim.RtmGetSpecificRoute(IPX, probe)
            assert (RTM_ROUTE_DELETED, None) == delete(shim, client, route)
            assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(IPX)


class TestRtmDeleteRoute:
    """RtmDeleteRoute with IPX routes."""

    def test_best_route_deleted(self, shim):
        """Deleting the best IPX route: CHANGED with the new best; the others get Prev/Cur (V1-4.5)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route(ticks=1))
        add(shim, sap, ipx_route(ticks=4))
        drain(shim, sap)
        new_best = stored(ipx_route(ticks=4), IPX_PROTOCOL_SAP, 0)
        assert (NO_ERROR, RTM_ROUTE_CHANGED, new_best) == shim.RtmDeleteRoute(rip, ipx_route())
        assert [Message(RTM_ROUTE_CHANGED, new_best, stored(ipx_route(ticks=1), IPX_PROTOCOL_RIP, 0))] == drain(
            shim, sap
        )
        assert (RTM_ROUTE_DELETED, None) == delete(shim, sap, ipx_route())

    def test_matched_by_mac(self, shim):
        """The MAC is part of what the delete matches (V1-4.5, V1-A21)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        add(shim, rip, ipx_route(mac=MAC1))
        assert (ERROR_NO_SUCH_ROUTE, None, None) == shim.RtmDeleteRoute(rip, ipx_route(mac=MAC2))
        assert (RTM_ROUTE_DELETED, None) == delete(shim, rip, ipx_route(mac=MAC1, ticks=50))


class TestRtmDequeueRouteChangeMessage:
    """IPX change messages."""

    def test_messages_carry_ipx_routes(self, shim):
        """ADDED / CHANGED / DELETED messages hold RTM_IPX_ROUTE copies (V1-4.3)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route(hops=2))
        add(shim, rip, ipx_route(hops=1))
        delete(shim, rip, ipx_route())
        first, second = (stored(ipx_route(hops=h), IPX_PROTOCOL_RIP, 0) for h in (2, 1))
        assert [
            Message(RTM_ROUTE_ADDED, first, None),
            Message(RTM_ROUTE_CHANGED, second, first),
            Message(RTM_ROUTE_DELETED, None, second),
        ] == drain(shim, sap)


class TestRtmIsRoute:
    """RtmIsRoute on the IPX table."""

    def test_best_route(self, shim):
        """TRUE and the best route by ticks then hops (V1-4.6, V1-A2)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        add(shim, rip, ipx_route(ifindex=1, ticks=2, hops=1))
        add(shim, rip, ipx_route(ifindex=2, ticks=1, hops=5))
        best = stored(ipx_route(ifindex=2, ticks=1, hops=5), IPX_PROTOCOL_RIP, 0)
        assert (NO_ERROR, True, best) == shim.RtmIsRoute(IPX, IPX_NETWORK(0xABCD))

    def test_network_must_be_an_ipx_network(self, shim):
        """An IP_NETWORK for the IPX family is ERROR_INVALID_PARAMETER (V1-4.6)."""
        from rtmcompat import ip_network

        assert (ERROR_INVALID_PARAMETER, False, None) == shim.RtmIsRoute(IPX, ip_network("10.0.0.0/8"))


class TestRtmGetFirstRoute:
    """Ordered IPX enumeration."""

    def test_canonical_ipx_order(self, shim):
        """IPX routes order by network number, protocol, interface, then next-hop MAC bytes (M-CANONICAL-ORDER)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        nlsp, _ = register(shim, IPX_PROTOCOL_NLSP, IPX)
        add(shim, nlsp, ipx_route(0x10))
        add(shim, sap, ipx_route(0x10, ifindex=1, mac=MAC2))
        add(shim, rip, ipx_route(0x10, ifindex=2, mac=MAC1))
        add(shim, sap, ipx_route(0x10, ifindex=1, mac=MAC1))
        add(shim, rip, ipx_route(0x0F, ifindex=9))
        add(shim, rip, ipx_route(0x10000, ifindex=1))
        expected = [
            (0x0F, IPX_PROTOCOL_RIP, 9, MAC1),
            (0x10, IPX_PROTOCOL_RIP, 2, MAC1),
            (0x10, IPX_PROTOCOL_SAP, 1, MAC1),
            (0x10, IPX_PROTOCOL_SAP, 1, MAC2),
            (0x10, IPX_PROTOCOL_NLSP, 1, MAC1),
            (0x10000, IPX_PROTOCOL_RIP, 1, MAC1),
        ]
        assert expected == [ipx_key(r) for r in dump(shim, IPX)]
        status, enum = shim.RtmCreateEnumerationHandle(IPX, 0)
        assert NO_ERROR == status
        walked = []
        while (result := shim.RtmEnumerateGetNextRoute(enum)).status == NO_ERROR:
            walked.append(ipx_key(result.Route))
        assert expected == walked

    def test_selection(self, shim):
        """RTM_ONLY_THIS_NETWORK and RTM_ONLY_BEST_ROUTES work on IPX routes (V1-4.13, V1-A7)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        add(shim, rip, ipx_route(0x10, ifindex=1, ticks=5))
        add(shim, rip, ipx_route(0x10, ifindex=2, ticks=1))
        add(shim, rip, ipx_route(0x11))
        status, route = shim.RtmGetFirstRoute(IPX, RTM_ONLY_THIS_NETWORK | RTM_ONLY_BEST_ROUTES, ipx_route(0x10))
        assert (NO_ERROR, (0x10, IPX_PROTOCOL_RIP, 2, MAC1)) == (status, ipx_key(route))
        assert (ERROR_NO_ROUTES, None) == shim.RtmGetFirstRoute(IPX, RTM_ONLY_THIS_NETWORK, ipx_route(0x12))

    def test_get_specific_route(self, shim):
        """RtmGetSpecificRoute finds an IPX route by network, protocol and interface (V1-2.5)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        add(shim, rip, ipx_route(0x10, ifindex=4, mac=MAC2))
        status, route = shim.RtmGetSpecificRoute(IPX, ipx_route(0x10, ifindex=4, protocol=IPX_PROTOCOL_RIP))
        assert (NO_ERROR, stored(ipx_route(0x10, ifindex=4, mac=MAC2), IPX_PROTOCOL_RIP, 0)) == (status, route)

    def test_get_next_route(self, shim):
        """RtmGetNextRoute continues strictly after an IPX key (V1-4.14, V1-A37)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        add(shim, rip, ipx_route(0x10, mac=MAC1))
        add(shim, rip, ipx_route(0x10, mac=MAC2))
        position = ipx_route(0x10, mac=MAC1, protocol=IPX_PROTOCOL_RIP)
        assert (0x10, IPX_PROTOCOL_RIP, 1, MAC2) == ipx_key(shim.RtmGetNextRoute(IPX, 0, position).Route)
        position.RR_NextHopAddress.NHA_Mac = MAC2
        assert (ERROR_NO_ROUTES, None) == shim.RtmGetNextRoute(IPX, 0, position)


class TestRtmBlockDeleteRoutes:
    """RtmBlockDeleteRoutes on IPX routes."""

    def test_block_delete(self, shim):
        """The caller's IPX routes on a network go in canonical order; everyone, the caller too, is told
        (V1-4.12, V1-A15)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        a, b = ipx_route(mac=MAC1, ticks=1), ipx_route(mac=MAC2, ticks=2)
        add(shim, rip, b)
        add(shim, rip, a)
        drain(shim, sap)
        assert NO_ERROR == shim.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_NETWORK, ipx_route()).status
        expected = [
            Message(RTM_ROUTE_CHANGED, stored(b, IPX_PROTOCOL_RIP, 0), stored(a, IPX_PROTOCOL_RIP, 0)),
            Message(RTM_ROUTE_DELETED, None, stored(b, IPX_PROTOCOL_RIP, 0)),
        ]
        assert expected == drain(shim, sap)
        assert expected == drain(shim, rip)


class TestAging:
    """IPX routes age like IP routes (V1-5.5)."""

    def test_ipx_route_ages_out_and_everyone_is_told(self, shim, clock):
        """An IPX route with TTL 3 s is gone at 3 s; owner and others get DELETED (V1-5.3, V1-5.5, V1-A14)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route(), 3)
        drain(shim, sap)
        clock.advance(2_999)
        assert (NO_ERROR, 1) == shim.RtmGetNetworkCount(IPX)
        clock.advance(1)
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(IPX)
        expected = [Message(RTM_ROUTE_DELETED, None, stored(ipx_route(), IPX_PROTOCOL_RIP, 0))]
        assert expected == drain(shim, rip)
        assert expected == drain(shim, sap)


class TestRtmDeregisterClient:
    """Deregistering an IPX client."""

    def test_deregistration_removes_ipx_routes(self, shim, rtm):
        """The client's IPX routes and next hops go; the remaining clients are told (V1-4.2)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, IPX)
        sap, _ = register(shim, IPX_PROTOCOL_SAP, IPX)
        add(shim, rip, ipx_route(0x10))
        add(shim, rip, ipx_route(0x11, mac=MAC2))
        drain(shim, sap)
        assert NO_ERROR == shim.RtmDeregisterClient(rip).status
        assert [
            Message(RTM_ROUTE_DELETED, None, stored(ipx_route(n, mac=m), IPX_PROTOCOL_RIP, 0))
            for n, m in ((0x10, MAC1), (0x11, MAC2))
        ] == drain(shim, sap)
        assert (0, 0) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])
