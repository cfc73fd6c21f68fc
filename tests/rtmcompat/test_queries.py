"""RtmIsRoute, RtmGetNetworkCount, RtmGetRouteAge, RtmLookupIPDestination (V1-4.6 to V1-4.8, V1-4.15, V1-A10,
V1-A24 to V1-A28, V1-A31)."""

from __future__ import annotations

import pytest

import v2model
from rtmcompat import (
    ERROR_INVALID_PARAMETER,
    ERROR_NO_SYSTEM_RESOURCES,
    INFINITE,
    IP_NETWORK,
    IPX_NETWORK,
    IPX_PROTOCOL_RIP,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    V1Shim,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import add, filetime, ip_route, ipx_route, register, stored
from v2model import AF_INET, RtmConfig


class TestRtmIsRoute:
    """RtmIsRoute(ProtocolFamily, Network) -> (status, IsRoute, BestRoute)."""

    def test_existing_network(self, shim):
        """A network with routes: TRUE, the best route, last error NO_ERROR (V1-4.6, V1-A24)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(metric=4))
        add(shim, ospf, ip_route(metric=2))
        expected = (NO_ERROR, True, stored(ip_route(metric=2), PROTO_IP_OSPF, 0))
        assert expected == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network("10.1.0.0/16"))

    def test_no_route(self, shim):
        """No route: FALSE with NO_ERROR and no best route (V1-4.6)."""
        assert (NO_ERROR, False, None) == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network("10.1.0.0/16"))

    @pytest.mark.parametrize("net", ["10.1.0.0/24", "10.0.0.0/8", "10.1.0.0/17"])
    def test_exact_match_only(self, shim, net):
        """Both N_NetNumber and N_NetMask must match: no longest-prefix match (V1-4.6, A25)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        assert (NO_ERROR, False, None) == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network(net))

    def test_network_rtmv2_cannot_hold(self, shim):
        """A network with host bits or a non-contiguous mask: FALSE with NO_ERROR (MIGRATION.md "What the shim
        cannot carry over")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        for net in (IP_NETWORK(ip_address("10.1.1.1"), ip_address("255.255.0.0")), IP_NETWORK(10, 0xFF00FF)):
            assert (NO_ERROR, False, None) == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, net)

    def test_ipx_network(self, shim):
        """The IPX table is queried with an IPX_NETWORK (V1-4.6)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
        add(shim, rip, ipx_route(0x1234))
        expected = (NO_ERROR, True, stored(ipx_route(0x1234), IPX_PROTOCOL_RIP, 0))
        assert expected == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IPX, IPX_NETWORK(0x1234))
        assert (NO_ERROR, False, None) == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IPX, IPX_NETWORK(0x1235))

    def test_families_are_separate(self, shim):
        """An IP route is not in the IPX table (V1-1.1)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("0.0.0.10/32"))
        assert (NO_ERROR, False, None) == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IPX, IPX_NETWORK(ip_address("0.0.0.10")))

    @pytest.mark.parametrize("family", [2, -1, "x"])
    def test_bad_family(self, shim, family):
        """A family that is not installed: FALSE with ERROR_INVALID_PARAMETER (V1-4.6, V1-A28)."""
        assert (ERROR_INVALID_PARAMETER, False, None) == shim.RtmIsRoute(family, ip_network("10.1.0.0/16"))

    @pytest.mark.parametrize(
        ("family", "network"),
        [
            (RTM_PROTOCOL_FAMILY_IP, None),
            (RTM_PROTOCOL_FAMILY_IP, IPX_NETWORK(1)),
            (RTM_PROTOCOL_FAMILY_IPX, ip_network("10.0.0.0/8")),
            (RTM_PROTOCOL_FAMILY_IP, IP_NETWORK(-1, 0)),
            (RTM_PROTOCOL_FAMILY_IPX, IPX_NETWORK(2**32)),
        ],
    )
    def test_bad_network(self, shim, family, network):
        """A NULL or mistyped Network, or one holding a non-DWORD: FALSE with ERROR_INVALID_PARAMETER (
        V1-A10, M-BINDING-5)."""
        assert (ERROR_INVALID_PARAMETER, False, None) == shim.RtmIsRoute(family, network)

    def test_best_route_is_a_copy(self, shim):
        """Mutating the returned best route changes nothing (M-BINDING-6)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        first = shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network("10.1.0.0/16")).BestRoute
        assert isinstance(first, RTM_IP_ROUTE)
        first.RR_FamilySpecificData.FSD_Metric = 50
        assert stored(ip_route(), PROTO_IP_RIP, 0) == shim.RtmIsRoute(1, ip_network("10.1.0.0/16")).BestRoute

    def test_no_system_resources(self, clock):
        """When RTM cannot serve the family's table: FALSE with ERROR_NO_SYSTEM_RESOURCES (V1-4.6)."""
        configs = {(0, AF_INET): RtmConfig(max_handles_in_enum=0)}
        with v2model.RoutingTableManager(clock=clock, table_configs=configs) as rtm:
            shim = V1Shim(rtm)
            assert (ERROR_NO_SYSTEM_RESOURCES, False, None) == shim.RtmIsRoute(
                RTM_PROTOCOL_FAMILY_IP, ip_network("10.1.0.0/16")
            )


class TestRtmGetNetworkCount:
    """RtmGetNetworkCount(ProtocolFamily) -> (status, NetworkCount)."""

    def test_empty_table(self, shim):
        """No routes: 0 with NO_ERROR (V1-4.7)."""
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX)

    @pytest.mark.parametrize("with_event", [True, False], ids=["event-client", "no-event-client"])
    def test_counts_networks_not_routes(self, shim, with_event):
        """Each network with at least one route counts once, whatever its routes' flags (V1-4.7, V1-A31).
        Counted both ways the shim has (from its view of the best routes, and by walking the table)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=with_event)
        ospf, _ = register(shim, PROTO_IP_OSPF, event=False)
        add(shim, rip, ip_route("10.1.0.0/16"))
        add(shim, ospf, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=2, fsd_flags=0, fsd_type=2))
        add(shim, rip, ip_route("10.1.0.0/24"))
        add(shim, ospf, ip_route("0.0.0.0/0"))
        assert (NO_ERROR, 3) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX)
        shim.RtmDeleteRoute(rip, ip_route("10.1.0.0/24"))
        assert (NO_ERROR, 2) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)

    def test_ipx_count(self, shim):
        """The IPX table is counted on its own (V1-1.1, V1-4.7)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
        add(shim, rip, ipx_route(1))
        add(shim, rip, ipx_route(2))
        add(shim, rip, ipx_route(2, ifindex=3))
        assert (NO_ERROR, 2) == shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX)

    @pytest.mark.parametrize("family", [2, -1, "x", None])
    def test_bad_family(self, shim, family):
        """An unknown family: 0 with ERROR_INVALID_PARAMETER (V1-4.7, V1-A28)."""
        assert (ERROR_INVALID_PARAMETER, 0) == shim.RtmGetNetworkCount(family)


class TestRtmGetRouteAge:
    """RtmGetRouteAge(Route) -> (status, RouteAge)."""

    def test_age_in_whole_seconds(self, shim, clock):
        """The age is now minus RR_TimeStamp, truncated to seconds (V1-4.8)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        _flags, cur, _prev = add(shim, rip, ip_route())
        assert (NO_ERROR, 0) == shim.RtmGetRouteAge(cur)
        clock.advance(5999)
        assert (NO_ERROR, 5) == shim.RtmGetRouteAge(cur)
        clock.advance(1)
        assert (NO_ERROR, 6) == shim.RtmGetRouteAge(cur)

    def test_reads_the_callers_copy(self, shim, clock):
        """The age comes from the caller's copy, not the table: an old copy keeps its age after an update
        (V1-4.8)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        _flags, old, _prev = add(shim, rip, ip_route())
        clock.advance(10_000)
        add(shim, rip, ip_route())
        assert (NO_ERROR, 10) == shim.RtmGetRouteAge(old)
        fresh = shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network("10.1.0.0/16")).BestRoute
        assert (NO_ERROR, 0) == shim.RtmGetRouteAge(fresh)

    def test_any_structure_with_a_timestamp(self, shim, clock):
        """The route need not be in the table, and both families work (V1-4.8)."""
        clock.advance(20_000)
        route = RTM_IPX_ROUTE(RR_TimeStamp=filetime(7_000))
        assert (NO_ERROR, 13) == shim.RtmGetRouteAge(route)
        assert (NO_ERROR, 20) == shim.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=filetime(0)))

    def test_age_is_clamped(self, shim):
        """An age beyond a ULONG is clamped to 0xFFFFFFFE, never INFINITE (V1-A27)."""
        assert (NO_ERROR, 0xFFFFFFFE) == shim.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=1))

    @pytest.mark.parametrize("stamp", [0, "x", None, -5], ids=["zero", "str", "none", "negative"])
    def test_invalid_timestamp(self, shim, stamp):
        """A timestamp of 0 (or not a FILETIME) is invalid: INFINITE with ERROR_INVALID_PARAMETER (
        V1-4.8, V1-A27)."""
        assert (ERROR_INVALID_PARAMETER, INFINITE) == shim.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=stamp))

    def test_future_timestamp(self, shim, clock):
        """A timestamp later than the clock is invalid (V1-A27)."""
        clock.advance(1000)
        assert (ERROR_INVALID_PARAMETER, INFINITE) == shim.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=filetime(1001)))
        assert (NO_ERROR, 0) == shim.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=filetime(1000)))

    @pytest.mark.parametrize("route", [None, 5, IP_NETWORK(), "route"])
    def test_not_a_route(self, shim, route):
        """Anything but a route structure: INFINITE with ERROR_INVALID_PARAMETER (V1-4.8)."""
        assert (ERROR_INVALID_PARAMETER, INFINITE) == shim.RtmGetRouteAge(route)


class TestRtmLookupIPDestination:
    """RtmLookupIPDestination(DestAddress) -> (status, Found, Route)."""

    def test_longest_prefix_match(self, shim):
        """The best route of the longest network containing the address (V1-A26)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        for net in ("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"):
            add(shim, rip, ip_route(net))
        cases = {
            "10.1.2.3": "10.1.2.0/24",
            "10.1.3.3": "10.1.0.0/16",
            "10.200.0.1": "10.0.0.0/8",
            "192.0.2.1": "0.0.0.0/0",
        }
        for address, net in cases.items():
            expected = (NO_ERROR, True, stored(ip_route(net), PROTO_IP_RIP, 0))
            assert expected == shim.RtmLookupIPDestination(ip_address(address))

    def test_returns_the_best_route_of_that_network(self, shim):
        """The network's best route, not just any (V1-A26)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route("10.1.0.0/16", metric=5))
        add(shim, ospf, ip_route("10.1.0.0/16", metric=1))
        expected = (NO_ERROR, True, stored(ip_route(metric=1), PROTO_IP_OSPF, 0))
        assert expected == shim.RtmLookupIPDestination(ip_address("10.1.0.1"))

    def test_nothing_matches(self, shim):
        """No covering network: FALSE with NO_ERROR (V1-A26)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        assert (NO_ERROR, False, None) == shim.RtmLookupIPDestination(ip_address("10.2.0.1"))
        assert (NO_ERROR, False, None) == shim.RtmLookupIPDestination(ip_address("0.0.0.0"))

    def test_address_uses_the_a1_convention(self, shim):
        """DestAddress is a DWORD with the first octet in the low byte (V1-A1, V1-A26): the big-endian
        number of 10.1.0.1 does not match 10.1/16."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        assert (NO_ERROR, False, None) == shim.RtmLookupIPDestination(0x0A010001)
        assert shim.RtmLookupIPDestination(ip_address("10.1.0.1")).Found

    def test_ipx_routes_are_not_looked_up(self, shim):
        """Only the IP table is searched (V1-4.15)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
        add(shim, rip, ipx_route(ip_address("10.1.0.1")))
        assert (NO_ERROR, False, None) == shim.RtmLookupIPDestination(ip_address("10.1.0.1"))

    @pytest.mark.parametrize("address", [-1, 2**32, "10.1.0.1", None, 1.5])
    def test_not_a_dword(self, shim, address):
        """An address that is not a DWORD: FALSE with ERROR_INVALID_PARAMETER (M-BINDING-5)."""
        assert (ERROR_INVALID_PARAMETER, False, None) == shim.RtmLookupIPDestination(address)

    def test_no_system_resources(self, clock):
        """When RTM cannot serve the IP table: FALSE with ERROR_NO_SYSTEM_RESOURCES (V1-A24, V1-4.6 by
        analogy)."""
        configs = {(0, AF_INET): RtmConfig(max_handles_in_enum=0)}
        with v2model.RoutingTableManager(clock=clock, table_configs=configs) as rtm:
            assert (ERROR_NO_SYSTEM_RESOURCES, False, None) == V1Shim(rtm).RtmLookupIPDestination(1)

    def test_route_is_a_copy(self, shim):
        """Mutating the returned route changes nothing (M-BINDING-6)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        route = shim.RtmLookupIPDestination(ip_address("10.1.0.1")).Route
        assert route is not None
        route.RR_InterfaceID = 99
        assert stored(ip_route(), PROTO_IP_RIP, 0) == shim.RtmLookupIPDestination(ip_address("10.1.0.1")).Route
