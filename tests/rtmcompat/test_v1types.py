"""The RTMv1 structures, the IP address helpers, the rtm.h macros and the constants (V1-2, V1-3)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rtmcompat
from rtmcompat import (
    IP_NETWORK,
    IP_NEXT_HOP_ADDRESS,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    ClearRouteFlags,
    ClearRouteValid,
    IsRouteLoopback,
    IsRouteNonUnicast,
    IsRouteValid,
    SetRouteValid,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import ip_route

ROUTE_HEADER = ("RR_TimeStamp", "RR_RoutingProtocol", "RR_InterfaceID", "RR_ProtocolSpecificData")


def field_names(cls: type) -> list[str]:
    return [a.name for a in cls.__attrs_attrs__]  # type: ignore[attr-defined]


class TestStructures:
    """The v1 structures: attrs classes with the C field names, zero defaults, equal by value."""

    def test_ip_network_fields_and_defaults(self):
        """IP_NETWORK holds N_NetNumber and N_NetMask, both 0 by default (V1-3.2)."""
        net = IP_NETWORK()
        assert ["N_NetNumber", "N_NetMask"] == field_names(IP_NETWORK)
        assert (0, 0) == (net.N_NetNumber, net.N_NetMask)

    def test_ip_next_hop_address_is_ip_network(self):
        """IP_NEXT_HOP_ADDRESS is a typedef of IP_NETWORK (V1-3.2, V1-7.7)."""
        assert IP_NETWORK is IP_NEXT_HOP_ADDRESS

    def test_ip_specific_data_fields_and_defaults(self):
        """IP_SPECIFIC_DATA has the eleven C fields in C order, all 0 (V1-3.4)."""
        expected = [
            "FSD_Type",
            "FSD_Policy",
            "FSD_NextHopAS",
            "FSD_Priority",
            "FSD_Metric",
            "FSD_Metric1",
            "FSD_Metric2",
            "FSD_Metric3",
            "FSD_Metric4",
            "FSD_Metric5",
            "FSD_Flags",
        ]
        data = IP_SPECIFIC_DATA()
        assert expected == field_names(IP_SPECIFIC_DATA)
        assert [0] * 11 == [getattr(data, name) for name in expected]

    def test_protocol_specific_data_is_four_zero_dwords(self):
        """PROTOCOL_SPECIFIC_DATA.PSD_Data is 4 DWORDs, zero by default (V1-3.1)."""
        assert [0, 0, 0, 0] == PROTOCOL_SPECIFIC_DATA().PSD_Data

    def test_default_psd_is_not_shared(self):
        """Each structure gets its own PSD_Data list, as each C struct has its own memory."""
        first, second = PROTOCOL_SPECIFIC_DATA(), PROTOCOL_SPECIFIC_DATA()
        first.PSD_Data[0] = 5
        assert [0, 0, 0, 0] == second.PSD_Data

    def test_rtm_ip_route_fields_and_defaults(self):
        """RTM_IP_ROUTE: the route header then RR_Network, RR_NextHopAddress, RR_FamilySpecificData, all zero
        (V1-3.1, V1-3.2)."""
        route = RTM_IP_ROUTE()
        assert [*ROUTE_HEADER, "RR_Network", "RR_NextHopAddress", "RR_FamilySpecificData"] == field_names(RTM_IP_ROUTE)
        assert (0, 0, 0) == (route.RR_TimeStamp, route.RR_RoutingProtocol, route.RR_InterfaceID)
        assert PROTOCOL_SPECIFIC_DATA() == route.RR_ProtocolSpecificData
        assert IP_NETWORK() == route.RR_Network
        assert IP_NETWORK() == route.RR_NextHopAddress
        assert IP_SPECIFIC_DATA() == route.RR_FamilySpecificData

    def test_ipx_structures_fields_and_defaults(self):
        """IPX_NETWORK(N_NetNumber), IPX_NEXT_HOP_ADDRESS(NHA_Mac: 6 bytes), IPX_SPECIFIC_DATA(FSD_Flags,
        FSD_TickCount, FSD_HopCount), all zero (V1-3.3, V1-3.5)."""
        assert ["N_NetNumber"] == field_names(IPX_NETWORK)
        assert 0 == IPX_NETWORK().N_NetNumber
        assert ["NHA_Mac"] == field_names(IPX_NEXT_HOP_ADDRESS)
        assert bytes(6) == IPX_NEXT_HOP_ADDRESS().NHA_Mac
        assert ["FSD_Flags", "FSD_TickCount", "FSD_HopCount"] == field_names(IPX_SPECIFIC_DATA)
        data = IPX_SPECIFIC_DATA()
        assert (0, 0, 0) == (data.FSD_Flags, data.FSD_TickCount, data.FSD_HopCount)

    def test_rtm_ipx_route_fields_and_defaults(self):
        """RTM_IPX_ROUTE has the same header fields and IPX network, next hop and family data (V1-3.3)."""
        route = RTM_IPX_ROUTE()
        assert [*ROUTE_HEADER, "RR_Network", "RR_NextHopAddress", "RR_FamilySpecificData"] == field_names(RTM_IPX_ROUTE)
        assert IPX_NETWORK() == route.RR_Network
        assert IPX_NEXT_HOP_ADDRESS() == route.RR_NextHopAddress
        assert IPX_SPECIFIC_DATA() == route.RR_FamilySpecificData

    def test_equal_by_value(self):
        """Two structures with the same field values are equal; a different value makes them differ."""
        assert ip_route("10.1.0.0/16", metric=3) == ip_route("10.1.0.0/16", metric=3)
        assert ip_route("10.1.0.0/16", metric=3) != ip_route("10.1.0.0/16", metric=4)
        assert IPX_NETWORK(5) == IPX_NETWORK(5)
        ipx: object = RTM_IPX_ROUTE()
        assert ipx != RTM_IP_ROUTE()

    def test_mutable_like_c_structs(self):
        """Fields can be assigned, as in C."""
        route = RTM_IP_ROUTE()
        route.RR_InterfaceID = 7
        route.RR_FamilySpecificData.FSD_Metric = 3
        assert (7, 3) == (route.RR_InterfaceID, route.RR_FamilySpecificData.FSD_Metric)

    def test_repr_shows_dotted_quads(self):
        """An IP_NETWORK's repr shows its number and mask as dotted quads (V1-A1)."""
        text = repr(ip_network("10.1.0.0/16"))
        assert "10.1.0.0" in text
        assert "255.255.0.0" in text


class TestIpAddress:
    """ip_address: dotted quad <-> DWORD with the first octet in the low byte (V1-A1)."""

    def test_first_octet_is_low_byte(self):
        """ip_address("10.1.2.3") == 0x0302010A (V1-A1)."""
        assert 0x0302010A == ip_address("10.1.2.3")

    def test_loopback_matches_the_header_macro_convention(self):
        """127.0.0.1 reads as 0x0100007F, the value IsRouteLoopback compares with (V1-2.6)."""
        assert 0x0100007F == ip_address("127.0.0.1")

    @given(st.ip_addresses(v=4))
    def test_any_address(self, address):
        """For every IPv4 address the DWORD is the network-order bytes read little-endian, and it converts back
        (V1-A1)."""
        value = ip_address(str(address))
        assert int.from_bytes(address.packed, "little") == value
        assert str(address) == ip_address(value)

    @pytest.mark.parametrize("text", ["0.0.0.0", "10.1.2.3", "192.0.2.255", "255.255.255.255", "1.0.0.0"])
    def test_converts_back_to_dotted_form(self, text):
        """An int converts back to the dotted quad it came from."""
        assert text == ip_address(ip_address(text))


class TestIpNetwork:
    """ip_network: "a.b.c.d/len" <-> IP_NETWORK."""

    def test_prefix_gives_number_and_mask(self):
        """ip_network("10.1.0.0/16") is IP_NETWORK(ip_address("10.1.0.0"), ip_address("255.255.0.0"))."""
        assert IP_NETWORK(N_NetNumber=ip_address("10.1.0.0"), N_NetMask=ip_address("255.255.0.0")) == ip_network(
            "10.1.0.0/16"
        )

    def test_bare_address_is_a_host(self):
        """An address without a length is a /32 (V1-A1)."""
        assert IP_NETWORK(ip_address("192.0.2.1"), 0xFFFFFFFF) == ip_network("192.0.2.1")

    @pytest.mark.parametrize("text", ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/25", "10.1.2.3/32"])
    def test_converts_back(self, text):
        """An IP_NETWORK converts back to its "a.b.c.d/len" text."""
        assert text == ip_network(ip_network(text))

    @given(st.integers(0, 32), st.ip_addresses(v=4))
    def test_any_prefix(self, length, address):
        """Every prefix converts both ways and its mask has the prefix's bits in A1 order."""
        net = ipaddress.IPv4Network(f"{address}/{length}", strict=False)
        value = ip_network(str(net))
        assert int.from_bytes(net.netmask.packed, "little") == value.N_NetMask
        assert int.from_bytes(net.network_address.packed, "little") == value.N_NetNumber
        assert str(net) == ip_network(value)

    def test_mask_is_in_the_same_byte_order(self):
        """The mask follows the A1 convention too: /8 is 0x000000FF (V1-A1)."""
        assert 0x000000FF == ip_network("10.0.0.0/8").N_NetMask


class TestRouteMacros:
    """The IP route macros of rtm.h (V1-2.6)."""

    def test_set_and_clear_valid(self):
        """SetRouteValid sets IP_VALID_ROUTE, ClearRouteValid clears only it, IsRouteValid tests it (V1-2.6)."""
        route = ip_route(fsd_flags=0x10)
        assert not IsRouteValid(route)
        SetRouteValid(route)
        assert IsRouteValid(route)
        assert 0x11 == route.RR_FamilySpecificData.FSD_Flags
        ClearRouteValid(route)
        assert not IsRouteValid(route)
        assert 0x10 == route.RR_FamilySpecificData.FSD_Flags

    def test_clear_route_flags(self):
        """ClearRouteFlags sets FSD_Flags to 0 (V1-2.6)."""
        route = ip_route(fsd_flags=0xFF)
        ClearRouteFlags(route)
        assert 0 == route.RR_FamilySpecificData.FSD_Flags

    @pytest.mark.parametrize(
        ("net", "expected"),
        [("224.0.0.0/4", True), ("239.1.2.3/32", True), ("255.255.255.255/32", True), ("223.255.0.0/16", False)],
    )
    def test_is_route_non_unicast(self, net, expected):
        """IsRouteNonUnicast: the first octet (low byte) is 224 or more (V1-2.6, V1-A1)."""
        assert expected == IsRouteNonUnicast(ip_route(net))

    @pytest.mark.parametrize(
        ("net", "nexthop", "expected"),
        [
            ("127.0.0.0/8", "192.0.2.1", True),
            ("10.0.0.0/8", "127.0.0.1", True),
            ("10.0.0.0/8", "127.0.0.2", False),
            ("10.0.0.0/8", "192.0.2.1", False),
        ],
    )
    def test_is_route_loopback(self, net, nexthop, expected):
        """IsRouteLoopback: network 127/8, or next hop 127.0.0.1 (0x0100007F) (V1-2.6)."""
        assert expected == IsRouteLoopback(ip_route(net, nexthop=nexthop))


class TestConstants:
    """Constants keep their rtm.h / routprot.h / winerror.h values (V1-2.1 to V1-2.8)."""

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("RTM_PROTOCOL_FAMILY_IPX", 0),
            ("RTM_PROTOCOL_FAMILY_IP", 1),
            ("RTM_PROTOCOL_SINGLE_ROUTE", 0x1),
            ("RTM_CURRENT_BEST_ROUTE", 0x1),
            ("RTM_PREVIOUS_BEST_ROUTE", 0x2),
            ("RTM_NO_CHANGE", 0),
            ("RTM_ROUTE_ADDED", 1),
            ("RTM_ROUTE_DELETED", 2),
            ("RTM_ROUTE_CHANGED", 3),
            ("RTM_ONLY_THIS_NETWORK", 0x1),
            ("RTM_ONLY_THIS_INTERFACE", 0x2),
            ("RTM_ONLY_THIS_PROTOCOL", 0x4),
            ("RTM_ONLY_BEST_ROUTES", 0x8),
            ("IPX_GLOBAL_CLIENT_WAN_ROUTE", 0x1),
            ("IP_VALID_ROUTE", 0x1),
            ("INFINITE", 0xFFFFFFFF),
            ("NO_ERROR", 0),
            ("ERROR_INVALID_HANDLE", 6),
            ("ERROR_NOT_ENOUGH_MEMORY", 8),
            ("ERROR_INVALID_PARAMETER", 87),
            ("ERROR_NO_SYSTEM_RESOURCES", 1450),
        ],
    )
    def test_rtm_values(self, name, value):
        """Families, flags, change flags, enumeration flags, family flags and status codes (V1-2.1 to V1-2.7)."""
        assert value == getattr(rtmcompat, name)

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("PROTO_IP_OTHER", 1),
            ("PROTO_IP_LOCAL", 2),
            ("PROTO_IP_NETMGMT", 3),
            ("PROTO_IP_ICMP", 4),
            ("PROTO_IP_EGP", 5),
            ("PROTO_IP_GGP", 6),
            ("PROTO_IP_HELLO", 7),
            ("PROTO_IP_RIP", 8),
            ("PROTO_IP_IS_IS", 9),
            ("PROTO_IP_ES_IS", 10),
            ("PROTO_IP_CISCO", 11),
            ("PROTO_IP_BBN", 12),
            ("PROTO_IP_OSPF", 13),
            ("PROTO_IP_BGP", 14),
            ("PROTO_IP_BOOTP", 9999),
            ("PROTO_IP_NT_AUTOSTATIC", 10002),
            ("PROTO_IP_NT_STATIC", 10006),
            ("PROTO_IP_NT_STATIC_NON_DOD", 10007),
            ("IPRTRMGR_PID", 10000),
            ("IPX_PROTOCOL_BASE", 0x0001FFFF),
            ("IPX_PROTOCOL_RIP", 0x00020000),
            ("IPX_PROTOCOL_SAP", 0x00020001),
            ("IPX_PROTOCOL_NLSP", 0x00020002),
            ("IPX_PROTOCOL_LOCAL", 1),
            ("IPX_PROTOCOL_STATIC", 2),
        ],
    )
    def test_protocol_ids(self, name, value):
        """Routing protocol ids of routprot.h, iprtrmib.h and ipxrtdef.h (V1-2.8)."""
        assert value == getattr(rtmcompat, name)

    def test_protocol_id_macro(self):
        """PROTOCOL_ID(type, vendor, id) = ((type&3)<<30)|((vendor&0x3FFF)<<16)|(id&0xFFFF); MS_IP_RIP is 8
        (V1-2.8)."""
        assert 8 == rtmcompat.PROTOCOL_ID(0, 0, 8)
        assert 0xFFFFFFFF == rtmcompat.PROTOCOL_ID(3, 0x3FFF, 0xFFFF)
        assert (1 << 30) | (0x137 << 16) | 5 == rtmcompat.PROTOCOL_ID(1, 0x137, 5)

    def test_valid_enumeration_flags(self):
        """The valid enumeration flag mask is 0xF and the longest TTL 2,147,483 s (V1-2.4, V1-A12)."""
        assert 0xF == rtmcompat.RTM_ENUM_FLAGS_VALID
        assert 2_147_483 == rtmcompat.RTM_MAX_TIME_TO_LIVE


class TestErrorAliases:
    """The rtm.h error aliases share winerror.h values (V1-2.7)."""

    def test_no_more_items_aliases(self):
        """ERROR_NO_MESSAGES == ERROR_NO_MORE_ROUTES == ERROR_NO_ROUTES == ERROR_NO_SUCH_ROUTE == 259 (
        V1-2.7)."""
        values = {
            rtmcompat.ERROR_NO_MESSAGES,
            rtmcompat.ERROR_NO_MORE_ROUTES,
            rtmcompat.ERROR_NO_ROUTES,
            rtmcompat.ERROR_NO_SUCH_ROUTE,
        }
        assert {259} == values

    def test_more_messages(self):
        """ERROR_MORE_MESSAGES is ERROR_MORE_DATA, 234 (V1-2.7)."""
        assert 234 == int(rtmcompat.ERROR_MORE_MESSAGES)

    def test_client_already_exists(self):
        """ERROR_CLIENT_ALREADY_EXISTS is ERROR_ALREADY_EXISTS, 183 (V1-2.7)."""
        assert 183 == int(rtmcompat.ERROR_CLIENT_ALREADY_EXISTS)

    def test_statuses_are_win_errors(self):
        """Statuses are members of the WinError IntEnum (M-BINDING-3)."""
        assert rtmcompat.WinError(259) == rtmcompat.ERROR_NO_SUCH_ROUTE
        assert isinstance(rtmcompat.ERROR_INVALID_PARAMETER, int)
