"""Destination, route and next-hop enumerations (V2-2.10, V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    AF_INET6,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_SUPPORTED,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_ENUM_NEXT,
    RTM_ENUM_OWN_DESTS,
    RTM_ENUM_OWN_ROUTES,
    RTM_ENUM_RANGE,
    RTM_ENUM_START,
    RTM_MATCH_FULL,
    RTM_MATCH_INTERFACE,
    RTM_MATCH_NEIGHBOUR,
    RTM_MATCH_NEXTHOP,
    RTM_MATCH_NONE,
    RTM_MATCH_OWNER,
    RTM_MATCH_PREF,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_INFO,
    RTM_THIS_PROTOCOL,
    RTM_VIEW_ID_UCAST,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    RtmConfig,
    net_address,
)

from .scenario_support import (
    SweepWorld,
    dest_info,
    enum_dest_prefixes,
    enum_dests,
    enum_routes,
    handles_of,
    loose,
    prefix_of,
    registrations_of,
    route_summary,
    some,
    sweep,
    table_state,
)
from .support import add_route, nexthop, register, route_info

UCAST_MCAST = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST

#: Deliberately added out of order; address order is the sorted order below.
PREFIXES = [
    "192.168.1.0/24",
    "10.0.0.0/16",
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.1.0.0/16",
    "10.0.0.0/24",
    "172.16.0.0/12",
    "10.255.255.255/32",
    "11.0.0.0/8",
]
ADDRESS_ORDER = [
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.0.0.0/16",
    "10.0.0.0/24",
    "10.1.0.0/16",
    "10.255.255.255/32",
    "11.0.0.0/8",
    "172.16.0.0/12",
    "192.168.1.0/24",
]


class Table:
    """RIP and OSPF, each with next hops, and a table of destinations."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.rip = register(rtm, PROTO_IP_RIP)
        self.ospf = register(rtm, PROTO_IP_OSPF)
        self.rip_nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.rip_nh2 = nexthop(rtm, self.rip, "192.0.2.2", 2)
        self.ospf_nh = nexthop(rtm, self.ospf, "198.51.100.1", 3)
        self.routes: list[v2model.Route] = []

    def rip_add(self, prefix: str, metric: int = 5, nh: Any = None, **kwargs: Any) -> v2model.Route:
        route, _ = add_route(self.rtm, self.rip, prefix, route_info(nh or self.rip_nh, metric=metric, **kwargs))
        self.routes.append(route)
        return route

    def ospf_add(self, prefix: str, metric: int = 5, **kwargs: Any) -> v2model.Route:
        route, _ = add_route(self.rtm, self.ospf, prefix, route_info(self.ospf_nh, metric=metric, **kwargs))
        self.routes.append(route)
        return route

    def populate(self) -> None:
        for prefix in PREFIXES:
            self.rip_add(prefix)


@pytest.fixture
def table(rtm: v2model.RoutingTableManager) -> Table:
    return Table(rtm)


def get_dests(rtm: v2model.RoutingTableManager, ent: Any, enum: Any, n: int) -> tuple[int, list[str]]:
    """One RtmGetEnumDests call: (status, prefixes), released."""
    status, count, infos = rtm.RtmGetEnumDests(ent, enum, n)
    assert infos is not None, status
    prefixes = [prefix_of(i.DestAddress) for i in infos]
    assert NO_ERROR == rtm.RtmReleaseDests(ent, some(count), infos).status
    return status, prefixes


def get_routes(rtm: v2model.RoutingTableManager, ent: Any, enum: Any, n: int) -> tuple[int, list[Any]]:
    """One RtmGetEnumRoutes call: (status, handles), released."""
    status, count, handles = rtm.RtmGetEnumRoutes(ent, enum, n)
    assert handles is not None, status
    found = list(handles)
    assert NO_ERROR == rtm.RtmReleaseRoutes(ent, some(count), handles).status
    return status, found


class TestRtmCreateDestEnum:
    """RtmCreateDestEnum (V2-6.8)."""

    @pytest.mark.parametrize(
        ("flags", "address"),
        [
            (RTM_ENUM_START, None),
            (RTM_ENUM_NEXT, "10.0.0.0/8"),
            (RTM_ENUM_RANGE, "10.0.0.0/8"),
            (RTM_ENUM_START | RTM_ENUM_OWN_DESTS, None),
            (RTM_ENUM_RANGE | RTM_ENUM_OWN_DESTS, "0.0.0.0/0"),
        ],
    )
    def test_valid_flags(self, table: Table, flags: int, address: str | None) -> None:
        """One of START / NEXT / RANGE, with or without RTM_ENUM_OWN_DESTS, creates an enumeration (V2-6.8)."""
        addr = None if address is None else net_address(address)
        status, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, flags, addr, RTM_BEST_PROTOCOL)
        assert NO_ERROR == status
        assert isinstance(enum, v2model.EnumHandle)
        assert NO_ERROR == table.rtm.RtmDeleteEnumHandle(table.rip, enum).status

    @pytest.mark.parametrize(
        ("flags", "address"),
        [
            (RTM_ENUM_NEXT, None),
            (RTM_ENUM_RANGE, None),
            (RTM_ENUM_NEXT | RTM_ENUM_RANGE, "10.0.0.0/8"),
            (RTM_ENUM_OWN_ROUTES, None),
            (0x10, None),
            (-1, None),
            (2**32, None),
            ("0", None),
            (None, None),
        ],
    )
    def test_bad_flags(self, table: Table, flags: Any, address: str | None) -> None:
        """Unknown bits, NEXT together with RANGE, NEXT/RANGE without an address or a non-DWORD:
        ERROR_INVALID_PARAMETER, no enumeration is opened (V2-6.8)."""
        api = loose(table.rtm)
        addr = None if address is None else net_address(address)
        status, enum = api.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, flags, addr, RTM_BEST_PROTOCOL)
        assert (ERROR_INVALID_PARAMETER, None) == (status, enum)
        assert () == registrations_of(table.rtm, table.rip)

    @pytest.mark.parametrize(
        "address",
        [
            net_address("2001:db8::/32"),
            v2model.RTM_NET_ADDRESS(AddressFamily=2, NumBits=33),
            v2model.RTM_NET_ADDRESS(AddressFamily=2, NumBits=8, AddrBits=b"\x0a" * 17),
            "10.0.0.0/8",
            8,
        ],
    )
    def test_bad_addresses(self, table: Table, address: Any) -> None:
        """An address of another family, too long a prefix, malformed bytes or not a structure:
        ERROR_INVALID_PARAMETER (V2-6.8)."""
        api = loose(table.rtm)
        status, enum = api.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_RANGE, address)
        assert (ERROR_INVALID_PARAMETER, None) == (status, enum)

    @pytest.mark.parametrize("views", [0x4, RTM_VIEW_MASK_UCAST | 0x100])
    def test_unsupported_views(self, table: Table, views: int) -> None:
        """A view the table does not support: ERROR_NOT_SUPPORTED (V2-6.8)."""
        assert (ERROR_NOT_SUPPORTED, None) == tuple(table.rtm.RtmCreateDestEnum(table.rip, views, RTM_ENUM_START))

    def test_bad_registration_handles(self, table: Table) -> None:
        """None, an int or a non-entity handle as caller: ERROR_INVALID_HANDLE (V2-6.8)."""
        api = loose(table.rtm)
        for bad in (None, 1, table.rip_nh):
            assert (ERROR_INVALID_HANDLE, None) == tuple(
                api.RtmCreateDestEnum(bad, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
            )


class TestRtmGetEnumDests:
    """RtmGetEnumDests (V2-6.8, V2-A-enum-order)."""

    def test_start_returns_everything_in_address_order(self, table: Table) -> None:
        """RTM_ENUM_START walks the whole table in address order, shorter prefix first for equal addresses (V2-6.8,
        V2-A-enum-order)."""
        table.populate()
        assert ADDRESS_ORDER == enum_dest_prefixes(table.rtm, table.rip, views=RTM_VIEW_MASK_UCAST)

    def test_range_returns_the_subtree(self, table: Table) -> None:
        """RTM_ENUM_RANGE 10/8 returns 10.0.0.0/8 itself and everything inside it, nothing covering it and
        nothing beside it."""
        table.populate()
        assert ["10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.1.0.0/16", "10.255.255.255/32"] == (
            enum_dest_prefixes(table.rtm, table.rip, flags=RTM_ENUM_RANGE, address=net_address("10.0.0.0/8"))
        )

    def test_range_of_the_default_route_is_the_whole_table(self, table: Table) -> None:
        """RANGE 0/0 is the whole table, as the sample says (V2-6.8, V2-A-enum-order)."""
        table.populate()
        assert ADDRESS_ORDER == enum_dest_prefixes(
            table.rtm, table.rip, flags=RTM_ENUM_RANGE, address=net_address("0.0.0.0/0")
        )

    def test_range_of_a_host_prefix(self, table: Table) -> None:
        """RANGE of a /32 is that destination alone (V2-6.8, V2-A-enum-order)."""
        table.populate()
        assert ["10.255.255.255/32"] == enum_dest_prefixes(
            table.rtm, table.rip, flags=RTM_ENUM_RANGE, address=net_address("10.255.255.255/32")
        )

    def test_next_is_inclusive(self, table: Table) -> None:
        """RTM_ENUM_NEXT starts at the given prefix (included) and runs to the end (A-enum-order)."""
        table.populate()
        assert ADDRESS_ORDER[4:] == enum_dest_prefixes(
            table.rtm, table.rip, flags=RTM_ENUM_NEXT, address=net_address("10.1.0.0/16")
        )

    def test_next_from_an_absent_prefix(self, table: Table) -> None:
        """NEXT from a prefix not in the table starts at the next one after it (V2-6.8, V2-A-enum-order)."""
        table.populate()
        assert (
            ADDRESS_ORDER[6:]
            == enum_dest_prefixes(table.rtm, table.rip, flags=RTM_ENUM_NEXT, address=net_address("10.255.255.255/32"))[
                1:
            ]
        )
        assert ADDRESS_ORDER[5:] == enum_dest_prefixes(
            table.rtm, table.rip, flags=RTM_ENUM_NEXT, address=net_address("10.128.0.0/9")
        )

    def test_host_bits_in_the_start_address_are_cleared(self, table: Table) -> None:
        """A RANGE address with host bits set is normalised first (V2-2.3)."""
        table.populate()
        assert ["11.0.0.0/8"] == enum_dest_prefixes(
            table.rtm, table.rip, flags=RTM_ENUM_RANGE, address=net_address("11.22.33.44/8")
        )

    def test_batches_and_end_status(self, table: Table) -> None:
        """Batches hold at most the count asked for; the last comes with ERROR_NO_MORE_ITEMS (A-getchanged)."""
        table.populate()
        status, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert NO_ERROR == status
        calls = []
        for _ in range(4):
            calls.append(get_dests(table.rtm, table.rip, enum, 4))
        assert [
            (NO_ERROR, ADDRESS_ORDER[0:4]),
            (NO_ERROR, ADDRESS_ORDER[4:8]),
            (ERROR_NO_MORE_ITEMS, ADDRESS_ORDER[8:]),
            (ERROR_NO_MORE_ITEMS, []),
        ] == calls
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_exact_multiple_ends_with_a_full_batch(self, table: Table) -> None:
        """Nine destinations in batches of three: the third full batch already says ERROR_NO_MORE_ITEMS (V2-6.8,
        V2-A-enum-order)."""
        table.populate()
        _, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        statuses = [get_dests(table.rtm, table.rip, enum, 3)[0] for _ in range(3)]
        assert [NO_ERROR, NO_ERROR, ERROR_NO_MORE_ITEMS] == statuses
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_empty_table(self, table: Table) -> None:
        """An empty table: ERROR_NO_MORE_ITEMS with nothing (V2-6.8, V2-A-enum-order)."""
        _, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (ERROR_NO_MORE_ITEMS, 0, []) == tuple(table.rtm.RtmGetEnumDests(table.rip, enum, 5))
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_count_above_max_handles_is_invalid_and_does_not_advance(self, table: Table) -> None:
        """NumDests > MaxHandlesInEnum: ERROR_INVALID_PARAMETER; the cursor stays where it was (V2-6.8)."""
        table.populate()
        _, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        too_many = table.rtm.config.max_handles_in_enum + 1
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(table.rtm.RtmGetEnumDests(table.rip, enum, too_many))
        assert (ERROR_NO_MORE_ITEMS, ADDRESS_ORDER) == get_dests(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_count_zero_returns_nothing_and_does_not_advance(self, table: Table) -> None:
        """NumDests 0 returns nothing and does not move the cursor (V2-6.8, V2-A-enum-order)."""
        table.populate()
        _, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        status, count, infos = table.rtm.RtmGetEnumDests(table.rip, enum, 0)
        assert (NO_ERROR, 0, []) == (status, count, infos)
        assert (ERROR_NO_MORE_ITEMS, ADDRESS_ORDER) == get_dests(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_cursor_over_a_live_table(self, table: Table) -> None:
        """Inserts ahead of the cursor are seen, inserts behind it are not, deleted destinations are skipped,
        nothing is returned twice (A-enum-order)."""
        table.populate()
        _, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (NO_ERROR, ADDRESS_ORDER[:3]) == get_dests(table.rtm, table.rip, enum, 3)
        table.rip_add("10.0.0.0/9")  # behind the cursor (10.0.0.0/16)
        table.rip_add("10.0.0.0/20")  # ahead of it
        gone = table.routes[PREFIXES.index("10.1.0.0/16")]
        assert NO_ERROR == table.rtm.RtmDeleteRouteToDest(table.rip, gone).status
        status, rest = get_dests(table.rtm, table.rip, enum, 25)
        assert (ERROR_NO_MORE_ITEMS, ["10.0.0.0/20", "10.0.0.0/24", *ADDRESS_ORDER[5:]]) == (status, rest)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_deleting_the_destination_under_the_cursor(self, table: Table) -> None:
        """The destination last returned may disappear; the enumeration continues after it (V2-6.8, V2-A-enum-order)."""
        table.populate()
        _, enum = table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (NO_ERROR, ADDRESS_ORDER[:2]) == get_dests(table.rtm, table.rip, enum, 2)
        table.rtm.RtmDeleteRouteToDest(table.rip, table.routes[PREFIXES.index("10.0.0.0/8")])
        assert (ERROR_NO_MORE_ITEMS, ADDRESS_ORDER[2:]) == get_dests(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_views_filter_destinations(self, table: Table) -> None:
        """A multicast enumeration returns only destinations with a multicast route; RTM_VIEW_MASK_ANY and
        RTM_VIEW_MASK_ALL return all (V2-6.8, V2-A-enum-order)."""
        table.rip_add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        table.rip_add("10.2.0.0/16", views=RTM_VIEW_MASK_MCAST)
        table.rip_add("10.3.0.0/16", views=UCAST_MCAST)
        assert ["10.2.0.0/16", "10.3.0.0/16"] == enum_dest_prefixes(table.rtm, table.rip, views=RTM_VIEW_MASK_MCAST)
        assert ["10.1.0.0/16", "10.3.0.0/16"] == enum_dest_prefixes(table.rtm, table.rip, views=RTM_VIEW_MASK_UCAST)
        everything = ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]
        assert everything == enum_dest_prefixes(table.rtm, table.rip, views=RTM_VIEW_MASK_ANY)
        assert everything == enum_dest_prefixes(table.rtm, table.rip, views=RTM_VIEW_MASK_ALL)

    def test_view_info_follows_the_target_views(self, table: Table) -> None:
        """UCAST|MCAST gives two ViewInfo entries, unicast first (the sample asserts ViewInfo[0] is unicast);
        RTM_VIEW_MASK_ANY gives none (V2-2.6)."""
        route = table.rip_add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        [(_, _, views)] = enum_dests(table.rtm, table.rip, views=UCAST_MCAST)
        assert [(0, 1, repr(route)), (1, 0, None)] == [(v.ViewId, v.NumRoutes, v.Route) for v in views]
        [(_, _, none)] = enum_dests(table.rtm, table.rip, views=RTM_VIEW_MASK_ANY)
        assert () == none

    def test_own_dests(self, table: Table) -> None:
        """RTM_ENUM_OWN_DESTS: destinations where the caller owns the best route in a target view
        (A-enum-filters)."""
        table.rip_add("10.1.0.0/16", metric=1)
        table.ospf_add("10.1.0.0/16", metric=9)
        table.rip_add("10.2.0.0/16", metric=9)
        table.ospf_add("10.2.0.0/16", metric=1)
        table.ospf_add("10.3.0.0/16")
        table.rip_add("10.4.0.0/16", views=RTM_VIEW_MASK_MCAST)
        own = RTM_ENUM_START | RTM_ENUM_OWN_DESTS
        assert ["10.1.0.0/16"] == enum_dest_prefixes(table.rtm, table.rip, views=RTM_VIEW_MASK_UCAST, flags=own)
        assert ["10.1.0.0/16", "10.4.0.0/16"] == enum_dest_prefixes(
            table.rtm, table.rip, views=RTM_VIEW_MASK_ANY, flags=own
        )
        assert ["10.2.0.0/16", "10.3.0.0/16"] == enum_dest_prefixes(table.rtm, table.ospf, views=UCAST_MCAST, flags=own)

    def test_protocol_id_selects_the_reported_route(self, table: Table) -> None:
        """ProtocolId chooses whose best route each destination reports (V2-2.6, V2-A-thisproto)."""
        rip_route = table.rip_add("10.1.0.0/16", metric=9)
        ospf_route = table.ospf_add("10.1.0.0/16", metric=1)

        def reported(protocol: int) -> tuple[str | None, str | None]:
            [(_, _, (view,))] = enum_dests(table.rtm, table.rip, views=RTM_VIEW_MASK_UCAST, protocol=protocol)
            return view.Route, view.Owner

        assert (repr(ospf_route), repr(table.ospf)) == reported(RTM_BEST_PROTOCOL)
        assert (repr(rip_route), repr(table.rip)) == reported(RTM_THIS_PROTOCOL)
        assert (repr(rip_route), repr(table.rip)) == reported(PROTO_IP_RIP)
        assert (None, None) == reported(PROTO_IP_BGP)

    def test_bad_enumeration_handles(self, table: Table) -> None:
        """Another entity's enumeration, a route enumeration, a closed one, None or an int:
        ERROR_INVALID_HANDLE (V2-6.8, V2-A-enum-order)."""
        api = loose(table.rtm)
        table.populate()
        _, theirs = api.RtmCreateDestEnum(table.ospf, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, routes = api.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, closed = api.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        api.RtmDeleteEnumHandle(table.rip, closed)
        for bad in (theirs, routes, closed, None, 5, table.rip):
            assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetEnumDests(table.rip, bad, 5)), bad
        assert (ERROR_NO_MORE_ITEMS, ADDRESS_ORDER) == get_dests(table.rtm, table.ospf, theirs, 25)
        api.RtmDeleteEnumHandle(table.ospf, theirs)
        api.RtmDeleteEnumHandle(table.rip, routes)

    @pytest.mark.parametrize("count", [-1, 2**32, None, "3", 3.0])
    def test_bad_counts(self, table: Table, count: Any) -> None:
        """A NumDests that is not a UINT: ERROR_INVALID_PARAMETER (V2-6.8, V2-A-enum-order)."""
        api = loose(table.rtm)
        table.populate()
        _, enum = api.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(api.RtmGetEnumDests(table.rip, enum, count))
        api.RtmDeleteEnumHandle(table.rip, enum)


class TestRtmCreateRouteEnum:
    """RtmCreateRouteEnum (V2-6.8)."""

    def test_bad_arguments(self, table: Table) -> None:
        """Bad enum flags, a matching flag without its criteria route, a malformed criteria route or unknown
        matching bits: ERROR_INVALID_PARAMETER; a bad destination handle: ERROR_INVALID_HANDLE; an unsupported
        view: ERROR_NOT_SUPPORTED (V2-6.8)."""
        api = loose(table.rtm)
        wrong_kind: Any = table.rip_nh
        table.rip_add("10.1.0.0/16")
        create = api.RtmCreateRouteEnum
        rip = table.rip
        cases: list[tuple[int, tuple[Any, ...]]] = [
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_OWN_DESTS)),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_NEXT, None)),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_NEXT | RTM_ENUM_RANGE)),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, 0, None, RTM_MATCH_OWNER, None)),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, 0, None, RTM_MATCH_PREF, None)),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, 0, None, 0x10000, None)),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, 0, None, RTM_MATCH_OWNER, "route")),
            (
                ERROR_INVALID_PARAMETER,
                (rip, None, RTM_VIEW_MASK_UCAST, 0, None, RTM_MATCH_OWNER, RTM_ROUTE_INFO(RouteOwner=wrong_kind)),
            ),
            (ERROR_INVALID_PARAMETER, (rip, None, RTM_VIEW_MASK_UCAST, 0, None, RTM_MATCH_INTERFACE, None, -1)),
            (ERROR_INVALID_HANDLE, (rip, table.rip_nh, RTM_VIEW_MASK_UCAST, 0)),
            (ERROR_INVALID_HANDLE, (rip, 7, RTM_VIEW_MASK_UCAST, 0)),
            (ERROR_INVALID_HANDLE, (None, None, RTM_VIEW_MASK_UCAST, 0)),
            (ERROR_NOT_SUPPORTED, (rip, None, 0x8, 0)),
        ]
        for expected, args in cases:
            assert (expected, None) == tuple(create(*args)), args
        assert () == registrations_of(table.rtm, table.rip)

    def test_criteria_route_is_copied(self, table: Table) -> None:
        """The enumeration keeps a copy of CriteriaRoute: changing the caller's structure afterwards changes
        nothing (binding rule 6)."""
        table.rip_add("10.1.0.0/16", metric=1)
        table.rip_add("10.2.0.0/16", metric=2)
        criteria = RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(Metric=1))
        status, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_PREF, criteria
        )
        assert NO_ERROR == status
        criteria.PrefInfo.Metric = 2
        _, found = get_routes(table.rtm, table.rip, enum, 25)
        assert [table.routes[0]] == found
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)


class TestRtmGetEnumRoutes:
    """RtmGetEnumRoutes (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""

    def test_address_order_then_best_first(self, table: Table) -> None:
        """Routes come in destination address order and, within a destination, by (Preference, Metric) (V2-6.8,
        V2-A-enum-order, V2-A-enum-filters)."""
        b_worse = table.rip_add("10.2.0.0/16", metric=7)
        a = table.ospf_add("10.1.0.0/16", metric=3)
        b_best = table.ospf_add("10.2.0.0/16", metric=2)
        b_pref = table.rip_add("10.2.0.0/16", metric=1, nh=table.rip_nh2, preference=5)
        found = [(r.prefix, r.owner) for r in enum_routes(table.rtm, table.rip, views=RTM_VIEW_MASK_UCAST)]
        assert [
            ("10.1.0.0/16", repr(table.ospf)),
            ("10.2.0.0/16", repr(table.ospf)),
            ("10.2.0.0/16", repr(table.rip)),
            ("10.2.0.0/16", repr(table.rip)),
        ] == found
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (ERROR_NO_MORE_ITEMS, [a, b_best, b_worse, b_pref]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_one_destination(self, table: Table) -> None:
        """With DestHandle, only that destination's routes, best first (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""
        table.rip_add("10.1.0.0/16")
        worse = table.rip_add("10.2.0.0/16", metric=9)
        best = table.ospf_add("10.2.0.0/16", metric=1)
        info = dest_info(table.rtm, table.rip, "10.2.0.0/16")
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, info.DestHandle, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (ERROR_NO_MORE_ITEMS, [best, worse]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)
        table.rtm.RtmReleaseDestInfo(table.rip, info)

    def test_own_routes(self, table: Table) -> None:
        """RTM_ENUM_OWN_ROUTES: only the caller's routes (the "enumerate all routes" sample) (V2-6.8, V2-A-enum-order,
        V2-A-enum-filters)."""
        mine = table.rip_add("10.1.0.0/16")
        table.ospf_add("10.1.0.0/16")
        table.ospf_add("10.2.0.0/16")
        mine2 = table.rip_add("10.3.0.0/16", views=RTM_VIEW_MASK_MCAST)
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, UCAST_MCAST, RTM_ENUM_OWN_ROUTES)
        assert (ERROR_NO_MORE_ITEMS, [mine, mine2]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_range_and_next(self, table: Table) -> None:
        """RANGE and NEXT select destinations as for destination enumerations (V2-6.8, V2-A-enum-order,
        V2-A-enum-filters)."""
        table.populate()
        in_range = [
            r.prefix for r in enum_routes(table.rtm, table.rip, flags=RTM_ENUM_RANGE, start=net_address("10.0.0.0/16"))
        ]
        assert ["10.0.0.0/16", "10.0.0.0/24"] == in_range
        following = [
            r.prefix for r in enum_routes(table.rtm, table.rip, flags=RTM_ENUM_NEXT, start=net_address("11.0.0.0/8"))
        ]
        assert ADDRESS_ORDER[6:] == following

    def test_views_filter_routes(self, table: Table) -> None:
        """Only routes belonging to a target view are returned; RTM_VIEW_MASK_ANY returns every live route,
        even one in no view (A-views0)."""
        u = table.rip_add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        m = table.ospf_add("10.1.0.0/16", views=RTM_VIEW_MASK_MCAST)
        _, none_route, _ = table.rtm.RtmAddRouteToDest(
            table.rip, None, net_address("10.2.0.0/16"), route_info(table.rip_nh, views=0)
        )

        def routes(views: int) -> list[Any]:
            _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, views, RTM_ENUM_START)
            _, found = get_routes(table.rtm, table.rip, enum, 25)
            table.rtm.RtmDeleteEnumHandle(table.rip, enum)
            return found

        assert [u] == routes(RTM_VIEW_MASK_UCAST)
        assert [m] == routes(RTM_VIEW_MASK_MCAST)
        assert [u, m] == routes(RTM_VIEW_MASK_ALL)
        assert {u, m, none_route} == set(routes(RTM_VIEW_MASK_ANY))
        table.rtm.RtmReleaseRoutes(table.rip, 1, [some(none_route)])

    def test_match_owner(self, table: Table) -> None:
        """RTM_MATCH_OWNER: routes whose RouteOwner is the criteria's (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""
        table.rip_add("10.1.0.0/16")
        o1 = table.ospf_add("10.1.0.0/16")
        o2 = table.ospf_add("10.2.0.0/16")
        criteria = RTM_ROUTE_INFO(RouteOwner=table.ospf)
        _, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_OWNER, criteria
        )
        assert (ERROR_NO_MORE_ITEMS, [o1, o2]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_match_neighbour(self, table: Table) -> None:
        """RTM_MATCH_NEIGHBOUR: routes learnt from the criteria's Neighbour (V2-6.8, V2-A-enum-order,
        V2-A-enum-filters)."""
        via1 = table.rip_add("10.1.0.0/16")
        table.rip_add("10.1.0.0/16", nh=table.rip_nh2)
        via1b = table.rip_add("10.2.0.0/16")
        criteria = RTM_ROUTE_INFO(Neighbour=table.rip_nh)
        _, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_NEIGHBOUR, criteria
        )
        assert (ERROR_NO_MORE_ITEMS, [via1, via1b]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_match_pref(self, table: Table) -> None:
        """RTM_MATCH_PREF: routes with equal Preference and Metric (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""
        hit = table.rip_add("10.1.0.0/16", metric=3, preference=2)
        table.rip_add("10.2.0.0/16", metric=3, preference=1)
        table.rip_add("10.3.0.0/16", metric=4, preference=2)
        criteria = RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(Metric=3, Preference=2))
        _, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_PREF, criteria
        )
        assert (ERROR_NO_MORE_ITEMS, [hit]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_match_nexthop(self, table: Table) -> None:
        """RTM_MATCH_NEXTHOP: routes whose next-hop list contains the criteria's first next hop (V2-6.8,
        V2-A-enum-order, V2-A-enum-filters)."""
        both = table.rip_add("10.1.0.0/16", nexthops=[table.rip_nh, table.rip_nh2])
        table.rip_add("10.2.0.0/16")
        only2 = table.rip_add("10.3.0.0/16", nexthops=[table.rip_nh2])
        criteria = route_info(table.rip_nh2)
        _, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_NEXTHOP, criteria
        )
        assert (ERROR_NO_MORE_ITEMS, [both, only2]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_match_interface(self, table: Table) -> None:
        """RTM_MATCH_INTERFACE: routes with a next hop on CriteriaInterface; CriteriaRoute may be NULL (V2-6.8,
        V2-A-enum-order, V2-A-enum-filters)."""
        on2 = table.rip_add("10.1.0.0/16", nexthops=[table.rip_nh, table.rip_nh2])
        table.rip_add("10.2.0.0/16")
        table.ospf_add("10.3.0.0/16")
        _, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_INTERFACE, None, 2
        )
        assert (ERROR_NO_MORE_ITEMS, [on2]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_match_full(self, table: Table) -> None:
        """RTM_MATCH_FULL combines every criterion (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""
        hit = table.rip_add("10.1.0.0/16", metric=3)
        table.rip_add("10.2.0.0/16", metric=4)
        table.rip_add("10.3.0.0/16", metric=3, nh=table.rip_nh2)
        criteria = route_info(table.rip_nh, metric=3)
        criteria.RouteOwner = table.rip
        _, enum = table.rtm.RtmCreateRouteEnum(
            table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_MATCH_FULL, criteria, 1
        )
        assert (ERROR_NO_MORE_ITEMS, [hit]) == get_routes(table.rtm, table.rip, enum, 25)
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_match_none_with_criteria_returns_all(self, table: Table) -> None:
        """RTM_MATCH_NONE ignores CriteriaRoute (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""
        table.rip_add("10.1.0.0/16")
        table.ospf_add("10.1.0.0/16")
        criteria = RTM_ROUTE_INFO(RouteOwner=table.ospf)
        found = enum_routes(table.rtm, table.rip, matching=RTM_MATCH_NONE, criteria=criteria)
        assert 2 == len(found)

    def test_batches_and_end_status(self, table: Table) -> None:
        """Batches of at most the count asked; the last comes with ERROR_NO_MORE_ITEMS; more than
        MaxHandlesInEnum is ERROR_INVALID_PARAMETER (V2-6.8, V2-A-enum-order, V2-A-enum-filters)."""
        table.populate()
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        too_many = table.rtm.config.max_handles_in_enum + 1
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(table.rtm.RtmGetEnumRoutes(table.rip, enum, too_many))
        sizes = []
        while True:
            status, found = get_routes(table.rtm, table.rip, enum, 4)
            sizes.append((status, len(found)))
            if status != NO_ERROR:
                break
        assert [(NO_ERROR, 4), (NO_ERROR, 4), (ERROR_NO_MORE_ITEMS, 1)] == sizes
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_cursor_within_a_destination(self, table: Table) -> None:
        """Enumerating one route at a time: a route whose metric change moves it behind the cursor is not
        returned twice, a new route on the current destination is still seen, deleted routes are skipped
        (A-enum-order)."""
        r1 = table.rip_add("10.1.0.0/16", metric=1)
        r2 = table.ospf_add("10.1.0.0/16", metric=2)
        r3 = table.rip_add("10.1.0.0/16", metric=3, nh=table.rip_nh2)
        r4 = table.rip_add("10.2.0.0/16", metric=1)
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        assert (NO_ERROR, [r1]) == get_routes(table.rtm, table.rip, enum, 1)
        # r1 becomes the worst route of the destination: already returned, not again.
        table.rtm.RtmAddRouteToDest(table.rip, r1, None, route_info(table.rip_nh, metric=9))
        # a new OSPF route on the current destination, better than anything: not returned yet, so seen.
        status, r5, _ = table.rtm.RtmAddRouteToDest(
            table.ospf,
            None,
            net_address("10.1.0.0/16"),
            route_info(table.ospf_nh, metric=0),
            0xFFFFFFFF,
            None,
            0,
            None,
            RTM_ROUTE_CHANGE_NEW,
        )
        assert NO_ERROR == status
        table.rtm.RtmDeleteRouteToDest(table.rip, r3)
        rest = []
        while True:
            status, found = get_routes(table.rtm, table.rip, enum, 1)
            rest += found
            if status != NO_ERROR:
                break
        assert [r5, r2, r4] == rest
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)
        table.rtm.RtmReleaseRoutes(table.ospf, 1, [some(r5)])

    def test_cursor_across_destinations(self, table: Table) -> None:
        """Destinations added ahead of the cursor are seen, behind it not; deleted ones are skipped (V2-6.8,
        V2-A-enum-order, V2-A-enum-filters)."""
        table.populate()
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        status, first = get_routes(table.rtm, table.rip, enum, 3)
        assert NO_ERROR == status
        assert [route_summary(table.rtm, table.rip, r).prefix for r in first] == ADDRESS_ORDER[:3]
        table.rip_add("9.0.0.0/8")
        table.rip_add("12.0.0.0/8")
        table.rtm.RtmDeleteRouteToDest(table.rip, table.routes[PREFIXES.index("172.16.0.0/12")])
        _, rest = get_routes(table.rtm, table.rip, enum, 25)
        prefixes = [route_summary(table.rtm, table.rip, r).prefix for r in rest]
        assert [*ADDRESS_ORDER[3:7], "12.0.0.0/8", "192.168.1.0/24"] == prefixes
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_bad_enumeration_handles(self, table: Table) -> None:
        """A destination enumeration, another entity's, a closed one or a non-handle: ERROR_INVALID_HANDLE (V2-6.8,
        V2-A-enum-order, V2-A-enum-filters)."""
        api = loose(table.rtm)
        table.populate()
        _, dests = api.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, theirs = api.RtmCreateRouteEnum(table.ospf, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, closed = api.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        api.RtmDeleteEnumHandle(table.rip, closed)
        for bad in (dests, theirs, closed, None, 3, table.routes[0]):
            assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetEnumRoutes(table.rip, bad, 5)), bad
        api.RtmDeleteEnumHandle(table.rip, dests)
        api.RtmDeleteEnumHandle(table.ospf, theirs)


class TestRtmCreateNextHopEnum:
    """RtmCreateNextHopEnum (V2-6.8)."""

    @pytest.mark.parametrize(
        ("flags", "address"),
        [
            (RTM_ENUM_NEXT, None),
            (RTM_ENUM_RANGE, None),
            (RTM_ENUM_NEXT | RTM_ENUM_RANGE, net_address("192.0.2.0/24")),
            (RTM_ENUM_OWN_ROUTES, None),
            (-1, None),
            (RTM_ENUM_RANGE, net_address("2001:db8::/32")),
            (RTM_ENUM_RANGE, "192.0.2.0/24"),
        ],
    )
    def test_bad_arguments(self, table: Table, flags: Any, address: Any) -> None:
        """Bad flags, a missing address for NEXT / RANGE or a malformed address: ERROR_INVALID_PARAMETER (V2-6.8)."""
        api = loose(table.rtm)
        assert (ERROR_INVALID_PARAMETER, None) == tuple(api.RtmCreateNextHopEnum(table.rip, flags, address))

    def test_bad_registration_handle(self, table: Table) -> None:
        """A caller that is not a registered entity: ERROR_INVALID_HANDLE (V2-6.8)."""
        api = loose(table.rtm)
        assert (ERROR_INVALID_HANDLE, None) == tuple(api.RtmCreateNextHopEnum(table.rip_nh, RTM_ENUM_START))


class TestRtmGetEnumNextHops:
    """RtmGetEnumNextHops (V2-6.8, V2-A-enum-filters)."""

    def _hops(self, table: Table, flags: int, address: str | None = None, batch: int = 25) -> list[Any]:
        addr = None if address is None else net_address(address)
        status, enum = table.rtm.RtmCreateNextHopEnum(table.rip, flags, addr)
        assert NO_ERROR == status
        found = []
        while True:
            status, count, handles = table.rtm.RtmGetEnumNextHops(table.rip, enum, batch)
            assert handles is not None, status
            found += handles
            table.rtm.RtmReleaseNextHops(table.rip, some(count), handles)
            if status != NO_ERROR:
                assert ERROR_NO_MORE_ITEMS == status
                break
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)
        return found

    def test_own_next_hops_in_address_order(self, table: Table) -> None:
        """START: the caller's own next hops only, by address then interface (A-enum-filters)."""
        extra = nexthop(table.rtm, table.rip, "10.0.0.1", 9)
        same_addr = nexthop(table.rtm, table.rip, "192.0.2.1", 0)
        assert [extra, same_addr, table.rip_nh, table.rip_nh2] == self._hops(table, RTM_ENUM_START)
        assert [extra, same_addr, table.rip_nh, table.rip_nh2] == self._hops(table, RTM_ENUM_START, batch=1)
        table.rtm.RtmReleaseNextHops(table.rip, 2, [extra, same_addr])

    def test_range_and_next(self, table: Table) -> None:
        """RANGE selects next hops inside a prefix; NEXT starts at an address (inclusive) (V2-6.8,
        V2-A-enum-filters)."""
        extra = nexthop(table.rtm, table.rip, "10.0.0.1", 9)
        assert [table.rip_nh, table.rip_nh2] == self._hops(table, RTM_ENUM_RANGE, "192.0.2.0/24")
        assert [extra] == self._hops(table, RTM_ENUM_RANGE, "10.0.0.0/8")
        assert [table.rip_nh2] == self._hops(table, RTM_ENUM_NEXT, "192.0.2.2")
        table.rtm.RtmReleaseNextHops(table.rip, 1, [extra])

    def test_all_owners_option(self, clock: v2model.ManualClock) -> None:
        """With the enumerate_all_nexthops option every owner's next hops are enumerated (A-enum-filters)."""
        with v2model.RoutingTableManager(clock=clock, config=RtmConfig(enumerate_all_nexthops=True)) as rtm:
            t = Table(rtm)
            assert [t.rip_nh, t.rip_nh2, t.ospf_nh] == self._hops(t, RTM_ENUM_START)

    def test_cursor_sees_inserts_ahead_only(self, table: Table) -> None:
        """A next hop added behind the cursor is not returned, one added ahead of it is (A-enum-order)."""
        _, enum = table.rtm.RtmCreateNextHopEnum(table.rip, RTM_ENUM_START)
        status, count, first = table.rtm.RtmGetEnumNextHops(table.rip, enum, 1)
        assert (NO_ERROR, [table.rip_nh]) == (status, first)
        table.rtm.RtmReleaseNextHops(table.rip, some(count), some(first))
        behind = nexthop(table.rtm, table.rip, "192.0.1.1", 1)
        ahead = nexthop(table.rtm, table.rip, "192.0.2.200", 1)
        status, count, rest = table.rtm.RtmGetEnumNextHops(table.rip, enum, 25)
        assert (ERROR_NO_MORE_ITEMS, [table.rip_nh2, ahead]) == (status, rest)
        table.rtm.RtmReleaseNextHops(table.rip, some(count), some(rest))
        table.rtm.RtmReleaseNextHops(table.rip, 2, [behind, ahead])
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_deleted_next_hops_are_skipped(self, table: Table) -> None:
        """A next hop deleted before the enumeration reaches it is not returned (V2-6.8, V2-A-enum-filters)."""
        _, enum = table.rtm.RtmCreateNextHopEnum(table.rip, RTM_ENUM_START)
        status, count, first = table.rtm.RtmGetEnumNextHops(table.rip, enum, 1)
        assert (NO_ERROR, [table.rip_nh]) == (status, first)
        table.rtm.RtmReleaseNextHops(table.rip, some(count), some(first))
        assert NO_ERROR == table.rtm.RtmDeleteNextHop(table.rip, table.rip_nh2).status
        assert (ERROR_NO_MORE_ITEMS, 0, []) == tuple(table.rtm.RtmGetEnumNextHops(table.rip, enum, 5))
        table.rtm.RtmDeleteEnumHandle(table.rip, enum)

    def test_bad_arguments(self, table: Table) -> None:
        """Too many asked: ERROR_INVALID_PARAMETER; a route enumeration or another entity's enumeration:
        ERROR_INVALID_HANDLE (V2-6.8, V2-A-enum-filters)."""
        api = loose(table.rtm)
        _, enum = api.RtmCreateNextHopEnum(table.rip, RTM_ENUM_START)
        _, routes = api.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, theirs = api.RtmCreateNextHopEnum(table.ospf, RTM_ENUM_START)
        too_many = table.rtm.config.max_handles_in_enum + 1
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(api.RtmGetEnumNextHops(table.rip, enum, too_many))
        assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetEnumNextHops(table.rip, routes, 5))
        assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetEnumNextHops(table.rip, theirs, 5))
        for handle in (enum, routes):
            api.RtmDeleteEnumHandle(table.rip, handle)
        api.RtmDeleteEnumHandle(table.ospf, theirs)


class TestRtmDeleteEnumHandle:
    """RtmDeleteEnumHandle (V2-6.8)."""

    def test_closes_and_keeps_returned_handles_valid(self, table: Table) -> None:
        """After closing, the enumeration handle is invalid but handles it returned still work (V2-6.8)."""
        table.populate()
        _, enum = table.rtm.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        status, count, returned = table.rtm.RtmGetEnumRoutes(table.rip, enum, 2)
        assert (NO_ERROR, 2) == (status, count)
        handles = some(returned)
        assert NO_ERROR == table.rtm.RtmDeleteEnumHandle(table.rip, enum).status
        assert (ERROR_INVALID_HANDLE, None, None) == tuple(table.rtm.RtmGetEnumRoutes(table.rip, enum, 2))
        assert ADDRESS_ORDER[0] == route_summary(table.rtm, table.rip, handles[0]).prefix
        held = handles_of(table.rtm, table.rip)
        assert NO_ERROR == table.rtm.RtmReleaseRoutes(table.rip, some(count), some(handles)).status
        after = handles_of(table.rtm, table.rip)
        assert {repr(h): 1 for h in handles} == {k: n - after.get(k, 0) for k, n in held.items() if n != after.get(k)}

    def test_every_kind_of_enumeration(self, table: Table) -> None:
        """Destination, route, next-hop and route-list enumerations are all closed by it; the leak report then
        lists none of them (V2-6.8)."""
        _, rlist = table.rtm.RtmCreateRouteList(table.rip)
        enums = [
            table.rtm.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START).RtmEnumHandle,
            table.rtm.RtmCreateRouteEnum(table.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START).RtmEnumHandle,
            table.rtm.RtmCreateNextHopEnum(table.rip, RTM_ENUM_START).RtmEnumHandle,
            table.rtm.RtmCreateRouteListEnum(table.rip, rlist).RtmEnumHandle,
        ]
        record = table.rtm.leak_report().for_entity(repr(table.rip))
        assert record is not None
        assert {repr(e) for e in enums} <= set(record.registrations)
        for enum in enums:
            assert NO_ERROR == table.rtm.RtmDeleteEnumHandle(table.rip, enum).status
        table.rtm.RtmDeleteRouteList(table.rip, rlist)
        assert () == registrations_of(table.rtm, table.rip)

    def test_bad_handles(self, table: Table) -> None:
        """Another entity's enumeration, a closed one, a route list, None or an int: ERROR_INVALID_HANDLE;
        the other entity's enumeration keeps working (V2-6.8)."""
        api = loose(table.rtm)
        table.populate()
        before = table_state(table.rtm, table.rip)
        _, theirs = api.RtmCreateDestEnum(table.ospf, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, closed = api.RtmCreateDestEnum(table.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        api.RtmDeleteEnumHandle(table.rip, closed)
        _, rlist = api.RtmCreateRouteList(table.rip)
        for bad in (theirs, closed, rlist, None, 0):
            assert ERROR_INVALID_HANDLE == api.RtmDeleteEnumHandle(table.rip, bad).status, bad
        assert ERROR_INVALID_HANDLE == api.RtmDeleteEnumHandle(None, theirs).status
        assert (ERROR_NO_MORE_ITEMS, ADDRESS_ORDER) == get_dests(table.rtm, table.ospf, theirs, 25)
        api.RtmDeleteEnumHandle(table.ospf, theirs)
        api.RtmDeleteRouteList(table.rip, rlist)
        assert before == table_state(table.rtm, table.rip)


class TestIPv6Enumeration:
    """Enumerations work the same on an IPv6 table (V2-2.1: one table per address family)."""

    def test_address_order(self, rtm: v2model.RoutingTableManager) -> None:
        """IPv6 destinations in address order, shorter prefix first (V2-2.1: one table per address family)."""
        ent = register(rtm, PROTO_IP_RIP, af=AF_INET6)
        nh = nexthop(rtm, ent, "fe80::1", 1)
        for prefix in ("2001:db8:1::/48", "2001:db8::/32", "::/0", "2001:db8::/48"):
            add_route(rtm, ent, prefix, route_info(nh))
        assert ["::/0", "2001:db8::/32", "2001:db8::/48", "2001:db8:1::/48"] == enum_dest_prefixes(
            rtm, ent, views=RTM_VIEW_MASK_UCAST
        )
        assert [RTM_VIEW_ID_UCAST] == [v.ViewId for v in enum_dests(rtm, ent, views=RTM_VIEW_MASK_UCAST)[0][2]]


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmCreateDestEnum", lambda w: [w.rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_BEST_PROTOCOL], 5),
    ("RtmGetEnumDests", lambda w: [w.rip, w.dest_enum, 5], 3),
    ("RtmReleaseDests", lambda w: [w.rip, 0, []], 3),
    ("RtmCreateRouteEnum", lambda w: [w.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, 0, None, 0], 8),
    ("RtmGetEnumRoutes", lambda w: [w.rip, w.route_enum, 5], 3),
    ("RtmCreateNextHopEnum", lambda w: [w.rip, RTM_ENUM_START, None], 3),
    ("RtmGetEnumNextHops", lambda w: [w.rip, w.nh_enum, 5], 3),
    ("RtmDeleteEnumHandle", lambda w: [w.rip, w.dest_enum], 2),
]


class TestBadInputSweep:
    """Every argument position of the enumeration methods given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.10, V2-A-enum-order)."""
        assert [] == sweep(clock, method, args, position)
