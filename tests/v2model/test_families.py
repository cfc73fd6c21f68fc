"""Address families and tables (V2-2.1, V2-2.15, V2-A-instances): IPv4, IPv6 and the IPX model extension, one table
per (RTM instance, address family), kept apart."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    AF_INET,
    AF_INET6,
    AF_IPX,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    INFINITE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    ipx_net_address,
    ipx_node_address,
    net_address,
)

from .matrix_support import add, add_nexthop, open_handles, read_exact, read_route, register_in
from .support import route_info


def lpm(rtm: RoutingTableManager, ent: v2model.Entity, address: RTM_NET_ADDRESS) -> Any:
    """The address of the most specific destination (released), or the status."""
    status, info = rtm.RtmGetMostSpecificDestination(ent, address, 0, RTM_VIEW_MASK_UCAST)
    if info is None:
        return status
    rtm.RtmReleaseDestInfo(ent, info)
    return info.DestAddress


class TestIPv6:
    def test_routes_and_lookups(self, rtm: RoutingTableManager) -> None:
        """IPv6 destinations are 128-bit prefixes: add, exact match, longest-prefix match (V2-2.1)."""
        rip = register_in(rtm, PROTO_IP_RIP, af=AF_INET6)
        nh = add_nexthop(rtm, rip, "fe80::1", 3)
        route, _ = add(rtm, rip, "2001:db8:1::/48", route_info(nh))
        add(rtm, rip, "2001:db8::/32", route_info(nh))
        assert re.fullmatch(r"<route 2001:db8:1::/48 RIP#\d+>", repr(route))
        assert re.fullmatch(r"<nexthop fe80::1/128%3 RIP#\d+>", repr(nh))
        assert route == read_exact(rtm, rip, "2001:db8:1::/48").ViewInfo[0].Route
        assert net_address("2001:db8:1::/48") == lpm(rtm, rip, net_address("2001:db8:1:2::5"))
        assert net_address("2001:db8::/32") == lpm(rtm, rip, net_address("2001:db8:2::5"))

    def test_host_bits_are_cleared(self, rtm: RoutingTableManager) -> None:
        """Host bits of an IPv6 destination are cleared (V2-2.3)."""
        rip = register_in(rtm, PROTO_IP_RIP, af=AF_INET6)
        route, _ = add(rtm, rip, "2001:db8::1234/64", route_info(add_nexthop(rtm, rip, "fe80::1", 1)))
        status, _info, address = rtm.RtmGetRouteInfo(rip, route)
        assert (NO_ERROR, net_address("2001:db8::/64")) == (status, address)

    @pytest.mark.parametrize(("bits", "status"), [(128, NO_ERROR), (129, ERROR_INVALID_PARAMETER)])
    def test_prefix_length_limit(self, rtm: RoutingTableManager, bits: int, status: int) -> None:
        """NumBits goes up to 128 for IPv6; beyond is ERROR_INVALID_PARAMETER."""
        rip = register_in(rtm, PROTO_IP_RIP, af=AF_INET6)
        address = net_address("2001:db8::1/128")
        address.NumBits = bits
        result = rtm.RtmAddRouteToDest(rip, None, address, route_info(None), INFINITE, None, 0, None, 0)
        assert status == result.status


class TestIPv4:
    @pytest.mark.parametrize(("bits", "status"), [(32, NO_ERROR), (33, ERROR_INVALID_PARAMETER)])
    def test_prefix_length_limit(self, rtm: RoutingTableManager, bits: int, status: int) -> None:
        """NumBits goes up to 32 for IPv4; beyond is ERROR_INVALID_PARAMETER."""
        rip = register_in(rtm, PROTO_IP_RIP)
        address = net_address("10.1.2.3")
        address.NumBits = bits
        result = rtm.RtmAddRouteToDest(rip, None, address, route_info(None), INFINITE, None, 0, None, 0)
        assert status == result.status

    def test_default_route(self, rtm: RoutingTableManager) -> None:
        """0.0.0.0/0 is a destination like any other and covers every address."""
        rip = register_in(rtm, PROTO_IP_RIP)
        add(rtm, rip, "0.0.0.0/0", route_info(None))
        assert net_address("0.0.0.0/0") == lpm(rtm, rip, net_address("203.0.113.9"))


class TestIPX:
    def test_network_numbers(self, rtm: RoutingTableManager) -> None:
        """The IPX model extension: 32-bit network numbers as destinations, node (MAC) next hops (V2-8 notes
        RTMv2 never served IPX; the model labels it an extension)."""
        ipx = register_in(rtm, PROTO_IP_RIP, af=AF_IPX)
        status, nh, _ = rtm.RtmAddNextHop(
            ipx,
            RTM_NEXTHOP_INFO(NextHopAddress=ipx_node_address(bytes.fromhex("0011223344ab")), InterfaceIndex=2),
            None,
        )
        assert NO_ERROR == status
        assert nh is not None
        status, route, _ = rtm.RtmAddRouteToDest(
            ipx, None, ipx_net_address(0xABCD), route_info(nh), INFINITE, None, 0, None, 0
        )
        assert NO_ERROR == status
        assert route is not None
        assert re.fullmatch(r"<route ipx:0000abcd/32 RIP#\d+>", repr(route))
        info = read_exact(rtm, ipx, ipx_net_address(0xABCD))
        assert (ipx_net_address(0xABCD), route) == (info.DestAddress, info.ViewInfo[0].Route)
        assert [nh] == read_route(rtm, ipx, route).NextHopsList.NextHops

    def test_ipx_net_address(self) -> None:
        """``ipx_net_address`` builds an AF_IPX address of a 32-bit network number, big-endian in AddrBits."""
        address = ipx_net_address(0x0102ABCD)
        assert RTM_NET_ADDRESS(AF_IPX, 32, bytes.fromhex("0102abcd") + bytes(12)) == address
        assert "RTM_NET_ADDRESS('ipx:0102abcd/32')" == repr(address)

    def test_network_number_is_32_bits(self) -> None:
        """Only the low 32 bits of the network number are kept."""
        assert ipx_net_address(0x1_0000_0001) == ipx_net_address(1)

    def test_lookups(self, rtm: RoutingTableManager) -> None:
        """Longest-prefix match works on IPX network numbers too."""
        ipx = register_in(rtm, PROTO_IP_RIP, af=AF_IPX)
        for network, bits in ((0xAB000000, 8), (0xABCD0000, 16)):
            address = ipx_net_address(network, bits)
            assert (
                NO_ERROR == rtm.RtmAddRouteToDest(ipx, None, address, route_info(None), INFINITE, None, 0, None, 0)[0]
            )
        assert ipx_net_address(0xABCD0000, 16) == lpm(rtm, ipx, ipx_net_address(0xABCD1234))
        assert ipx_net_address(0xAB000000, 8) == lpm(rtm, ipx, ipx_net_address(0xAB991234))

    def test_ip_addresses_are_foreign(self, rtm: RoutingTableManager) -> None:
        """An IPv4 address in the IPX table is ERROR_INVALID_PARAMETER."""
        ipx = register_in(rtm, PROTO_IP_RIP, af=AF_IPX)
        result = rtm.RtmAddRouteToDest(
            ipx, None, net_address("10.0.0.0/8"), route_info(None), INFINITE, None, 0, None, 0
        )
        assert (ERROR_INVALID_PARAMETER, None, None) == result


class TestTablesAreApart:
    @pytest.fixture
    def tables(self, rtm: RoutingTableManager) -> dict[str, Any]:
        """RIP with a route and a next hop in IPv4 instance 0, IPv4 instance 1 and IPv6 instance 0."""
        out: dict[str, Any] = {}
        for name, af, instance, prefix, hop in (
            ("v4", AF_INET, 0, "10.1.0.0/16", "192.0.2.1"),
            ("v4i1", AF_INET, 1, "10.1.0.0/16", "192.0.2.1"),
            ("v6", AF_INET6, 0, "2001:db8::/32", "fe80::1"),
        ):
            ent = register_in(rtm, PROTO_IP_RIP, af=af, rtm_instance=instance)
            nh = add_nexthop(rtm, ent, hop, 1)
            route, _ = add(rtm, ent, prefix, route_info(nh))
            dest = read_exact(rtm, ent, prefix).DestHandle
            out[name] = {"ent": ent, "nh": nh, "route": route, "dest": dest}
        return out

    def test_same_prefix_in_two_instances(self, rtm: RoutingTableManager, tables: dict[str, Any]) -> None:
        """The same prefix in two RTM instances is two destinations with their own routes (V2-2.1)."""
        v4, v4i1 = tables["v4"], tables["v4i1"]
        assert v4["dest"] is not v4i1["dest"]
        assert v4["route"] == read_exact(rtm, v4["ent"], "10.1.0.0/16").ViewInfo[0].Route
        assert v4i1["route"] == read_exact(rtm, v4i1["ent"], "10.1.0.0/16").ViewInfo[0].Route
        assert 1 == read_exact(rtm, v4i1["ent"], "10.1.0.0/16").ViewInfo[0].NumRoutes

    def test_statistics_add_up_over_tables(self, rtm: RoutingTableManager, tables: dict[str, Any]) -> None:
        """``statistics()`` counts every table of the RTM."""
        stats = rtm.statistics()
        assert (3, 3, 3, 3) == (stats["entities"], stats["destinations"], stats["routes"], stats["next_hops"])

    @pytest.mark.parametrize("other", ["v4i1", "v6"])
    @pytest.mark.parametrize("kind", ["route", "nh", "dest", "ent"])
    def test_handles_of_another_table_are_invalid(
        self, rtm: RoutingTableManager, tables: dict[str, Any], other: str, kind: str
    ) -> None:
        """A handle of another (instance, family) table is ERROR_INVALID_HANDLE (V2-2.15: information is only
        available within the caller's instance and family)."""
        ent, handle = tables["v4"]["ent"], tables[other][kind]
        calls: dict[str, Callable[[], Any]] = {
            "route": lambda: rtm.RtmGetRouteInfo(ent, handle),
            "nh": lambda: rtm.RtmGetNextHopInfo(ent, handle),
            "dest": lambda: rtm.RtmGetDestInfo(ent, handle, 0, RTM_VIEW_MASK_UCAST),
            "ent": lambda: rtm.RtmGetEntityInfo(ent, handle),
        }
        before = open_handles(rtm)
        result = calls[kind]()
        assert ERROR_INVALID_HANDLE == result.status
        assert before == open_handles(rtm)

    def test_next_hops_of_another_table_cannot_be_used(self, rtm: RoutingTableManager, tables: dict[str, Any]) -> None:
        """A route cannot use a next hop of another table (V2-2.4: only the owner's next hops)."""
        v4, v6 = tables["v4"], tables["v6"]
        result = rtm.RtmAddRouteToDest(
            v4["ent"], None, net_address("10.2.0.0/16"), route_info(v6["nh"]), INFINITE, None, 0, None, 0
        )
        assert ERROR_INVALID_HANDLE == result.status
        assert 3 == rtm.statistics()["routes"]

    @pytest.mark.parametrize(
        ("table", "address"),
        [("v4", "2001:db8::/32"), ("v6", "10.1.0.0/16"), ("v4", None)],
        ids=["ipv6-in-ipv4", "ipv4-in-ipv6", "ipx-in-ipv4"],
    )
    def test_address_of_another_family(
        self, rtm: RoutingTableManager, tables: dict[str, Any], table: str, address: str | None
    ) -> None:
        """An address of another family is ERROR_INVALID_PARAMETER for queries (V2-A-instances)."""
        net = ipx_net_address(5) if address is None else net_address(address)
        assert (ERROR_INVALID_PARAMETER, None) == rtm.RtmGetExactMatchDestination(
            tables[table]["ent"], net, 0, RTM_VIEW_MASK_UCAST
        )

    def test_lookups_stay_in_the_table(self, rtm: RoutingTableManager, tables: dict[str, Any]) -> None:
        """A lookup in IPv4 instance 1 never finds IPv4 instance 0's destinations."""
        v4i1 = tables["v4i1"]
        add(rtm, tables["v4"]["ent"], "10.0.0.0/8", route_info(tables["v4"]["nh"]))
        assert ERROR_NOT_FOUND == lpm(rtm, v4i1["ent"], net_address("10.2.0.1"))

    def test_same_entity_identity_in_each_table(self, rtm: RoutingTableManager, tables: dict[str, Any]) -> None:
        """The same protocol and instance id registers once per table; their handles differ."""
        handles = {tables[name]["ent"] for name in ("v4", "v4i1", "v6")}
        assert 3 == len(handles)
        assert (
            NO_ERROR
            == rtm.RtmRegisterEntity(
                v2model.RTM_ENTITY_INFO(2, AF_INET, v2model.RTM_ENTITY_ID(PROTO_IP_OSPF, 0)), None, None, False
            ).status
        )
