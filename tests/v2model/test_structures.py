"""Structures, helpers and the API's shape (M-STRUCTURES, binding rules 1-4, "Time"): ``net_address``,
RTM_ENTITY_ID's union view, zero defaults, equality by value, count fields, WinError values, ManualClock and
FILETIMEs, ``statistics()``, result and parameter names."""

from __future__ import annotations

import inspect
import ipaddress
from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    AF_INET,
    AF_INET6,
    FILETIME_UNIX_EPOCH,
    NO_ERROR,
    PROTO_IP_RIP,
    RTM_DEST_INFO,
    RTM_DEST_VIEW_INFO,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENTITY_METHOD_OUTPUT,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_REGN_PROFILE,
    RTM_ROUTE_INFO,
    ManualClock,
    RoutingTableManager,
    WinError,
    ipx_node_address,
    net_address,
)

from .matrix_support import METHODS, add, add_nexthop, register_in
from .support import route_info

STRUCTURES = (
    RTM_NET_ADDRESS,
    RTM_PREF_INFO,
    RTM_NEXTHOP_LIST,
    RTM_DEST_VIEW_INFO,
    RTM_DEST_INFO,
    RTM_ROUTE_INFO,
    RTM_NEXTHOP_INFO,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_REGN_PROFILE,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENTITY_METHOD_OUTPUT,
)


def _zero(value: Any) -> bool:
    """Zero as after ZeroMemory: 0, NULL, empty, all-zero bytes, or a structure of zeros."""
    if attrs.has(type(value)):
        return all(_zero(getattr(value, f.name)) for f in attrs.fields(type(value)))
    if isinstance(value, bytes):
        return not any(value)
    return value in (0, None, [])


class TestNetAddress:
    @pytest.mark.parametrize(
        ("text", "family", "bits", "raw"),
        [
            ("10.1.0.0/16", AF_INET, 16, "0a010000"),
            ("192.0.2.1", AF_INET, 32, "c0000201"),
            ("0.0.0.0/0", AF_INET, 0, "00000000"),
            ("10.10.10.10/24", AF_INET, 24, "0a0a0a0a"),
            ("2001:db8::/32", AF_INET6, 32, "20010db8" + "00" * 12),
            ("fe80::1", AF_INET6, 128, "fe80" + "00" * 13 + "01"),
        ],
    )
    def test_builds_the_structure(self, text: str, family: int, bits: int, raw: str) -> None:
        """``net_address`` gives family, prefix length and AddrBits in network order, padded to 16 bytes; a bare
        address is a host prefix; host bits are kept as written (the model clears them for destinations)."""
        expected = RTM_NET_ADDRESS(AddressFamily=family, NumBits=bits, AddrBits=bytes.fromhex(raw).ljust(16, b"\0"))
        assert expected == net_address(text)

    def test_accepts_ipaddress_networks(self) -> None:
        """``ipaddress`` network objects are accepted too."""
        assert net_address("10.1.0.0/16") == net_address(ipaddress.ip_network("10.1.0.0/16"))
        assert net_address("2001:db8::/32") == net_address(ipaddress.ip_network("2001:db8::/32"))

    @pytest.mark.parametrize("text", ["10.1.0.0/16", "192.0.2.1/32", "2001:db8::/32", "10.10.10.10/24"])
    def test_repr_is_readable(self, text: str) -> None:
        """The repr shows the prefix as text."""
        assert f"RTM_NET_ADDRESS('{text}')" == repr(net_address(text))

    def test_ipx_node_repr(self) -> None:
        """An IPX node address shows as a MAC address."""
        assert "RTM_NET_ADDRESS('ipx-node:00:11:22:33:44:ab')" == repr(ipx_node_address(bytes.fromhex("0011223344ab")))

    def test_short_addr_bits_are_padded(self) -> None:
        """AddrBits shorter than 16 bytes (bytes or a list of octets) are zero-padded, so equal addresses compare
        equal."""
        padded = RTM_NET_ADDRESS(AF_INET, 8, bytes([10]) + bytes(15))
        assert padded == RTM_NET_ADDRESS(AF_INET, 8, b"\x0a")
        octets: Any = [10, 0, 0, 0]
        assert padded == RTM_NET_ADDRESS(AF_INET, 8, octets)

    @pytest.mark.parametrize("family", [0, 99, "x", None])
    def test_repr_never_raises(self, family: Any) -> None:
        """A malformed address still has a repr (it appears in error messages and logs)."""
        assert repr(RTM_NET_ADDRESS(AddressFamily=family, NumBits=8)).startswith("RTM_NET_ADDRESS(")

    def test_repr_of_unhashable_family(self) -> None:
        """``format_net_address`` is documented as never raising, so repr works for any AddressFamily value."""
        assert repr(RTM_NET_ADDRESS(AddressFamily=[], NumBits=8)).startswith("RTM_NET_ADDRESS(")  # type: ignore[arg-type]


class TestEntityId:
    def test_union_view(self) -> None:
        """``EntityId`` is the little-endian 64-bit view of the union: ProtocolId | InstanceId << 32 (V2-2.2)."""
        assert 0x3FFF0008_00000008 == RTM_ENTITY_ID(PROTO_IP_RIP, 0x3FFF0008).EntityId

    def test_setting_the_union(self) -> None:
        """Writing ``EntityId`` sets both halves."""
        entity_id = RTM_ENTITY_ID()
        entity_id.EntityId = 0x00000002_0000000D
        assert RTM_ENTITY_ID(EntityProtocolId=13, EntityInstanceId=2) == entity_id


class TestStructures:
    @pytest.mark.parametrize("cls", STRUCTURES, ids=lambda cls: cls.__name__)
    def test_defaults_are_zero(self, cls: type) -> None:
        """Every field defaults to zero, as after ZeroMemory (M-STRUCTURES, same conventions)."""
        assert _zero(cls())

    @pytest.mark.parametrize("cls", STRUCTURES, ids=lambda cls: cls.__name__)
    def test_equal_by_value(self, cls: type) -> None:
        """Two separately built structures with the same values are equal, and fresh defaults are independent
        objects (no shared mutable default)."""
        one, two = cls(), cls()
        assert one == two
        for field in attrs.fields(cls):
            value = getattr(one, field.name)
            if isinstance(value, list) or attrs.has(type(value)):
                assert value is not getattr(two, field.name)

    def test_unequal_when_a_field_differs(self) -> None:
        """Equality compares every field, nested structures included."""
        base = RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(Metric=1))
        assert base != RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(Metric=2))
        assert base != attrs.evolve(base, BelongsToViews=1)

    def test_mutable_like_c_structs(self) -> None:
        """Fields can be assigned, as in C."""
        info = RTM_ROUTE_INFO()
        info.PrefInfo.Metric = 5
        info.Flags = 0x10
        assert RTM_ROUTE_INFO(Flags=0x10, PrefInfo=RTM_PREF_INFO(Metric=5)) == info

    def test_handles_compare_by_identity(self, rtm: RoutingTableManager) -> None:
        """Handle fields compare by identity: the same prefix in two RTMs is two different destinations."""
        assert route_info(None) == route_info(None)
        rip = register_in(rtm, PROTO_IP_RIP)
        one = add_nexthop(rtm, rip, "192.0.2.1", 1)
        two = add_nexthop(rtm, rip, "192.0.2.2", 1)
        assert route_info(one) != route_info(two)

    @pytest.mark.parametrize(
        ("build", "count"),
        [
            (lambda: RTM_NEXTHOP_LIST(NextHops=[None, None]).NumNextHops, 2),  # type: ignore[list-item]
            (lambda: RTM_DEST_INFO(ViewInfo=[RTM_DEST_VIEW_INFO()]).NumberOfViews, 1),
            (lambda: RTM_ENTITY_EXPORT_METHODS(Methods=[None, None, None]).NumMethods, 3),
            (lambda: RTM_ENTITY_METHOD_INPUT(InputData=b"abcd").InputSize, 4),
        ],
        ids=["NumNextHops", "NumberOfViews", "NumMethods", "InputSize"],
    )
    def test_count_fields_follow_the_lists(self, build: Any, count: int) -> None:
        """A count that C keeps beside an array is filled in from the list when left at 0."""
        assert count == build()

    def test_explicit_count_is_kept(self) -> None:
        """An explicit count is kept as given (the API then checks it against the list)."""
        assert 5 == RTM_NEXTHOP_LIST(NumNextHops=5, NextHops=[]).NumNextHops


class TestWinError:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("NO_ERROR", 0),
            ("ERROR_SUCCESS", 0),
            ("ERROR_FILE_NOT_FOUND", 2),
            ("ERROR_ACCESS_DENIED", 5),
            ("ERROR_INVALID_HANDLE", 6),
            ("ERROR_NOT_ENOUGH_MEMORY", 8),
            ("ERROR_INVALID_DATA", 13),
            ("ERROR_NOT_SUPPORTED", 50),
            ("ERROR_INVALID_PARAMETER", 87),
            ("ERROR_INSUFFICIENT_BUFFER", 122),
            ("ERROR_ALREADY_EXISTS", 183),
            ("ERROR_MORE_DATA", 234),
            ("ERROR_NO_MORE_ITEMS", 259),
            ("ERROR_NOT_FOUND", 1168),
            ("ERROR_NO_SYSTEM_RESOURCES", 1450),
            ("ERROR_BAD_CONFIGURATION", 1610),
        ],
    )
    def test_winerror_h_values(self, name: str, value: int) -> None:
        """Status codes are the winerror.h numbers (V2-5), as WinError members and module constants."""
        assert value == WinError[name]
        assert value == getattr(v2model, name)

    def test_statuses_are_ints(self, rtm: RoutingTableManager) -> None:
        """A result's status is an int (a WinError member) (binding rule 3)."""
        status = rtm.RtmDeregisterEntity(None).status
        assert isinstance(status, int)
        assert WinError.ERROR_INVALID_HANDLE is status


class TestManualClock:
    def test_filetime_of_clock_time(self) -> None:
        """Clock time t ms is FILETIME 116444736000000000 + t * 10_000 (M-TIME)."""
        clock = ManualClock()
        assert (0, 116444736000000000) == (clock.now_ms(), clock.filetime())
        assert 1500 == clock.advance(1500)
        assert FILETIME_UNIX_EPOCH + 1500 * 10_000 == clock.filetime()

    def test_start_time(self) -> None:
        """``start_ms`` sets the initial time."""
        assert (42, FILETIME_UNIX_EPOCH + 420_000) == (ManualClock(start_ms=42).now_ms(), ManualClock(42).filetime())

    def test_moves_only_on_advance(self) -> None:
        """Virtual time does not move by itself."""
        clock = ManualClock()
        clock.filetime()
        assert 0 == clock.now_ms()

    def test_rtm_uses_the_clock(self, rtm: RoutingTableManager, clock: ManualClock) -> None:
        """The RTM's clock is the injected one."""
        assert clock is rtm.clock


class TestStatistics:
    def test_fresh_rtm(self, rtm: RoutingTableManager) -> None:
        """A fresh RTM counts nothing."""
        stats = rtm.statistics()
        keys = ("entities", "destinations", "routes", "next_hops", "open_handles")
        assert dict.fromkeys(keys, 0) == {key: stats[key] for key in keys}

    def test_counts(self, rtm: RoutingTableManager) -> None:
        """Entities, present destinations, live routes, live next hops and the references entities hold."""
        rip = register_in(rtm, PROTO_IP_RIP)
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        add(rtm, rip, "10.1.0.0/16", route_info(nh))
        add(rtm, rip, "10.2.0.0/16", route_info(nh))
        stats = rtm.statistics()
        assert (1, 2, 2, 1, 3) == tuple(
            stats[k] for k in ("entities", "destinations", "routes", "next_hops", "open_handles")
        )


#: The C parameter names of each method, in C order (rtmv2.h; out-only parameters are not arguments).
PARAMETERS = {
    "RtmRegisterEntity": "RtmEntityInfo ExportMethods EventCallback ReserveOpaquePointer",
    "RtmDeregisterEntity": "RtmRegHandle",
    "RtmGetRegisteredEntities": "RtmRegHandle NumEntities",
    "RtmReleaseEntities": "RtmRegHandle NumEntities EntityHandles",
    "RtmGetEntityInfo": "RtmRegHandle EntityHandle",
    "RtmReleaseEntityInfo": "RtmRegHandle EntityInfo",
    "RtmGetDestInfo": "RtmRegHandle DestHandle ProtocolId TargetViews",
    "RtmReleaseDestInfo": "RtmRegHandle DestInfo",
    "RtmGetRouteInfo": "RtmRegHandle RouteHandle",
    "RtmReleaseRouteInfo": "RtmRegHandle RouteInfo",
    "RtmGetNextHopInfo": "RtmRegHandle NextHopHandle",
    "RtmReleaseNextHopInfo": "RtmRegHandle NextHopInfo",
    "RtmAddRouteToDest": (
        "RtmRegHandle RouteHandle DestAddress RouteInfo TimeToLive RouteListHandle NotifyType NotifyHandle ChangeFlags"
    ),
    "RtmDeleteRouteToDest": "RtmRegHandle RouteHandle",
    "RtmGetExactMatchDestination": "RtmRegHandle DestAddress ProtocolId TargetViews",
    "RtmGetMostSpecificDestination": "RtmRegHandle DestAddress ProtocolId TargetViews",
    "RtmGetLessSpecificDestination": "RtmRegHandle DestHandle ProtocolId TargetViews",
    "RtmGetExactMatchRoute": "RtmRegHandle DestAddress MatchingFlags RouteInfo InterfaceIndex TargetViews",
    "RtmIsBestRoute": "RtmRegHandle RouteHandle",
    "RtmAddNextHop": "RtmRegHandle NextHopInfo NextHopHandle",
    "RtmFindNextHop": "RtmRegHandle NextHopInfo",
    "RtmDeleteNextHop": "RtmRegHandle NextHopHandle NextHopInfo",
    "RtmReleaseDests": "RtmRegHandle NumDests DestInfos",
    "RtmReleaseRoutes": "RtmRegHandle NumRoutes RouteHandles",
    "RtmReleaseNextHops": "RtmRegHandle NumNextHops NextHopHandles",
    "RtmReferenceHandles": "RtmRegHandle NumHandles RtmHandles",
}

#: The OPTIONAL parameters, which default to None (binding rule 2).
OPTIONAL = {
    "RtmRegisterEntity": ["ExportMethods"],
    "RtmAddRouteToDest": ["RouteHandle", "RouteListHandle", "NotifyHandle"],
    "RtmAddNextHop": ["NextHopHandle"],
    "RtmDeleteNextHop": ["NextHopHandle"],
}

#: Result fields: status, then the out-parameters in C order (binding rule 3).
RESULTS = {
    "RtmRegisterEntity": "status RtmRegProfile RtmRegHandle",
    "RtmDeregisterEntity": "status",
    "RtmGetRegisteredEntities": "status NumEntities EntityHandles EntityInfos",
    "RtmGetEntityInfo": "status EntityInfo",
    "RtmGetDestInfo": "status DestInfo",
    "RtmGetRouteInfo": "status RouteInfo DestAddress",
    "RtmGetNextHopInfo": "status NextHopInfo",
    "RtmAddRouteToDest": "status RouteHandle ChangeFlags",
    "RtmDeleteRouteToDest": "status ChangeFlags",
    "RtmGetExactMatchDestination": "status DestInfo",
    "RtmGetMostSpecificDestination": "status DestInfo",
    "RtmGetLessSpecificDestination": "status DestInfo",
    "RtmGetExactMatchRoute": "status RouteInfo RouteHandle",
    "RtmIsBestRoute": "status BestInViews",
    "RtmAddNextHop": "status NextHopHandle ChangeFlags",
    "RtmFindNextHop": "status NextHopHandle NextHopPointer",
    "RtmDeleteNextHop": "status",
    "RtmReleaseRoutes": "status",
}


class TestApiShape:
    @pytest.mark.parametrize("method", METHODS)
    def test_parameter_names(self, method: str) -> None:
        """In-parameters keep the header's names and C order (binding rule 2)."""
        params = list(inspect.signature(getattr(RoutingTableManager, method)).parameters)[1:]
        assert PARAMETERS[method].split() == params

    @pytest.mark.parametrize(("method", "names"), OPTIONAL.items())
    def test_optional_parameters_default_to_none(self, method: str, names: list[str]) -> None:
        """OPTIONAL parameters default to None (binding rule 2)."""
        params = inspect.signature(getattr(RoutingTableManager, method)).parameters
        assert [None] * len(names) == [params[name].default for name in names]

    @pytest.mark.parametrize(("method", "fields"), RESULTS.items())
    def test_result_fields(self, rtm: RoutingTableManager, method: str, fields: str) -> None:
        """Results are NamedTuples: status, then the out-parameters in C order with the header's names; on
        failure every out-parameter is None (binding rules 3, 4)."""
        params = list(inspect.signature(getattr(RoutingTableManager, method)).parameters)[1:]
        result = getattr(rtm, method)(*([None] * len(params)))
        assert fields.split() == list(result._fields)
        assert NO_ERROR != result.status
        assert [None] * (len(result) - 1) == list(result[1:])
