"""Enumeration: RtmCreateEnumerationHandle / RtmEnumerateGetNextRoute / RtmCloseEnumerationHandle and
RtmGetFirstRoute / RtmGetNextRoute / RtmGetSpecificRoute (V1-4.9 to V1-4.14, V1-A7 to V1-A11, V1-A37;
M-CANONICAL-ORDER)."""

from __future__ import annotations

import copy

import pytest

import v2model
from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MORE_ROUTES,
    ERROR_NO_ROUTES,
    ERROR_NO_SYSTEM_RESOURCES,
    IP_NETWORK,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_SINGLE_ROUTE,
    V1Enum,
    V1Route,
    V1Shim,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import add, as_ip, delete, dump, ip_route, ipx_route, register
from v2model import AF_INET, RtmConfig

IP = RTM_PROTOCOL_FAMILY_IP


def key(route: V1Route | None) -> tuple[str, int, int, str]:
    """(network, protocol, interface, next hop) of an IP route, readable."""
    r = as_ip(route)
    return (
        ip_network(r.RR_Network),
        r.RR_RoutingProtocol,
        r.RR_InterfaceID,
        ip_address(r.RR_NextHopAddress.N_NetNumber),
    )


def walk(shim: V1Shim, enum: V1Enum | None) -> list[tuple[str, int, int, str]]:
    """Every route an enumeration still returns."""
    out: list[tuple[str, int, int, str]] = []
    while True:
        status, route = shim.RtmEnumerateGetNextRoute(enum)
        if status != NO_ERROR:
            assert ERROR_NO_MORE_ROUTES == status
            return out
        out.append(key(route))


def enumerate_all(shim: V1Shim, flags: int, criteria: RTM_IP_ROUTE | None = None) -> list[tuple[str, int, int, str]]:
    """A whole enumeration (empty when the handle cannot be created)."""
    status, enum = shim.RtmCreateEnumerationHandle(IP, flags, criteria)
    if status != NO_ERROR:
        assert (ERROR_NO_ROUTES, None) == (status, enum)
        return []
    out = walk(shim, enum)
    assert NO_ERROR == shim.RtmCloseEnumerationHandle(enum).status
    return out


def first_next(shim: V1Shim, flags: int, criteria: RTM_IP_ROUTE | None = None) -> list[tuple[str, int, int, str]]:
    """The same set through RtmGetFirstRoute / RtmGetNextRoute (criteria from the route passed in)."""
    out: list[tuple[str, int, int, str]] = []
    status, route = shim.RtmGetFirstRoute(IP, flags, criteria)
    while status == NO_ERROR:
        out.append(key(route))
        # the returned route matched, so it carries the criteria values too (V1-4.14)
        status, route = shim.RtmGetNextRoute(IP, flags, copy.deepcopy(as_ip(route)))
    assert ERROR_NO_ROUTES == status
    return out


@pytest.fixture
def table(shim: V1Shim) -> V1Shim:
    """RIP, OSPF and BGP routes on a few networks, added out of canonical order.

    10.1.0.0/16: RIP if1 m1 (best), OSPF if2 m2
    10.2.0.0/16: RIP if1 m5, OSPF if1 m2 (best), OSPF if2 nh .2 m3
    10.1.0.0/24: BGP if2 m1 (best)
    9.0.0.0/8:   OSPF if1 m1 (best)
    """
    rip, _ = register(shim, PROTO_IP_RIP, event=False)
    ospf, _ = register(shim, PROTO_IP_OSPF, event=False)
    bgp, _ = register(shim, PROTO_IP_BGP, event=False)
    add(shim, ospf, ip_route("10.2.0.0/16", ifindex=2, nexthop="192.0.2.2", metric=3))
    add(shim, bgp, ip_route("10.1.0.0/24", ifindex=2, metric=1))
    add(shim, rip, ip_route("10.1.0.0/16", ifindex=1, metric=1))
    add(shim, ospf, ip_route("10.1.0.0/16", ifindex=2, metric=2))
    add(shim, rip, ip_route("10.2.0.0/16", ifindex=1, metric=5))
    add(shim, ospf, ip_route("10.2.0.0/16", ifindex=1, metric=2))
    add(shim, ospf, ip_route("9.0.0.0/8", ifindex=1, metric=1))
    return shim


ALL = [
    ("9.0.0.0/8", PROTO_IP_OSPF, 1, "192.0.2.1"),
    ("10.1.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
    ("10.1.0.0/16", PROTO_IP_OSPF, 2, "192.0.2.1"),
    ("10.1.0.0/24", PROTO_IP_BGP, 2, "192.0.2.1"),
    ("10.2.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
    ("10.2.0.0/16", PROTO_IP_OSPF, 1, "192.0.2.1"),
    ("10.2.0.0/16", PROTO_IP_OSPF, 2, "192.0.2.2"),
]

SELECTIONS = [
    (0, None, ALL),
    (RTM_ONLY_BEST_ROUTES, None, [ALL[0], ALL[1], ALL[3], ALL[5]]),
    (RTM_ONLY_THIS_NETWORK, ip_route("10.2.0.0/16"), ALL[4:]),
    (RTM_ONLY_THIS_INTERFACE, ip_route(ifindex=2), [ALL[2], ALL[3], ALL[6]]),
    (RTM_ONLY_THIS_PROTOCOL, ip_route(protocol=PROTO_IP_OSPF), [ALL[0], ALL[2], ALL[5], ALL[6]]),
    (RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL, ip_route("10.2.0.0/16", protocol=PROTO_IP_OSPF), ALL[5:]),
    # V1-A7: BEST is the network's table-wide best route, then filtered
    (RTM_ONLY_BEST_ROUTES | RTM_ONLY_THIS_PROTOCOL, ip_route(protocol=PROTO_IP_OSPF), [ALL[0], ALL[5]]),
    (RTM_ONLY_BEST_ROUTES | RTM_ONLY_THIS_PROTOCOL, ip_route(protocol=PROTO_IP_RIP), [ALL[1]]),
    (RTM_ONLY_BEST_ROUTES | RTM_ONLY_THIS_INTERFACE, ip_route(ifindex=2), [ALL[3]]),
    (RTM_ONLY_BEST_ROUTES | RTM_ONLY_THIS_NETWORK, ip_route("10.1.0.0/16"), [ALL[1]]),
    (RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE | RTM_ONLY_THIS_PROTOCOL, ip_route(protocol=PROTO_IP_OSPF), []),
]
SELECTION_IDS = [
    "all",
    "best",
    "net",
    "if",
    "proto",
    "net+proto",
    "best+ospf",
    "best+rip",
    "best+if",
    "best+net",
    "none",
]


class TestRtmCreateEnumerationHandle:
    """RtmCreateEnumerationHandle(ProtocolFamily, EnumerationFlags, CriteriaRoute) -> (status, handle)."""

    def test_returns_a_handle(self, table):
        """A matching set: NO_ERROR and an enumeration handle with a readable name (V1-4.9, M-BINDING-7)."""
        status, enum = table.RtmCreateEnumerationHandle(IP, 0)
        assert NO_ERROR == status
        assert isinstance(enum, V1Enum)
        assert repr(enum).startswith("<enum#")

    def test_nothing_matches_at_creation(self, table):
        """No route matches now: NULL with ERROR_NO_ROUTES (V1-4.9, V1-A9)."""
        assert (ERROR_NO_ROUTES, None) == table.RtmCreateEnumerationHandle(
            IP, RTM_ONLY_THIS_NETWORK, ip_route("10.99.0.0/16")
        )

    def test_empty_table(self, shim):
        """An empty table: ERROR_NO_ROUTES, even though routes may appear later (V1-A9)."""
        assert (ERROR_NO_ROUTES, None) == shim.RtmCreateEnumerationHandle(IP, 0)

    @pytest.mark.parametrize("flags", [0x10, 0x80000000, -1, 2**32, "1", None])
    def test_invalid_flags(self, table, flags):
        """Any bit outside 0xF, or a non-DWORD, is ERROR_INVALID_PARAMETER (V1-A11)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmCreateEnumerationHandle(IP, flags)

    @pytest.mark.parametrize("flags", [RTM_ONLY_THIS_NETWORK, RTM_ONLY_THIS_INTERFACE, RTM_ONLY_THIS_PROTOCOL])
    def test_criteria_needed_with_this_flags(self, table, flags):
        """CriteriaRoute NULL with an RTM_ONLY_THIS_* bit is ERROR_INVALID_PARAMETER (V1-A10)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmCreateEnumerationHandle(IP, flags, None)

    def test_criteria_not_needed_otherwise(self, table):
        """With no RTM_ONLY_THIS_* bit the criteria route may be NULL (V1-A10)."""
        assert NO_ERROR == table.RtmCreateEnumerationHandle(IP, RTM_ONLY_BEST_ROUTES, None).status

    @pytest.mark.parametrize("family", [2, -1, "x"])
    def test_bad_family(self, table, family):
        """An unknown family is ERROR_INVALID_PARAMETER (V1-4.9, V1-A28)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmCreateEnumerationHandle(family, 0)

    def test_criteria_of_the_wrong_family(self, table):
        """A criteria route of the other family's structure is ERROR_INVALID_PARAMETER (M-BINDING-5)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmCreateEnumerationHandle(
            IP, RTM_ONLY_THIS_NETWORK, ipx_route()
        )

    def test_no_system_resources(self, clock):
        """When RTM cannot serve the family's table: ERROR_NO_SYSTEM_RESOURCES (V1-4.9)."""
        configs = {(0, AF_INET): RtmConfig(max_handles_in_enum=0)}
        with v2model.RoutingTableManager(clock=clock, table_configs=configs) as rtm:
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == V1Shim(rtm).RtmCreateEnumerationHandle(IP, 0)


class TestRtmEnumerateGetNextRoute:
    """RtmEnumerateGetNextRoute(EnumerationHandle) -> (status, Route)."""

    @pytest.mark.parametrize(("flags", "criteria", "expected"), SELECTIONS, ids=SELECTION_IDS)
    def test_selection_in_canonical_order(self, table, flags, criteria, expected):
        """Each selection returns its routes in canonical order (network, mask, protocol, interface, next hop);
        RTM_ONLY_BEST_ROUTES is the network's table-wide best route (V1-4.9, V1-A7, V1-A8)."""
        assert expected == enumerate_all(table, flags, criteria)

    def test_more_routes_than_one_v2_batch(self, shim):
        """Tables larger than the v2 enumeration batch (MaxHandlesInEnum 25), and a network with 31 routes, are
        enumerated completely and in canonical order (V1-4.10, V1-A8; MIGRATION.md mapping table)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        for i in range(60):
            add(shim, rip, ip_route(f"10.{i}.0.0/16"))
        for i in range(30):
            add(shim, rip, ip_route("10.5.0.0/16", ifindex=100 + i, metric=i + 2))
        expected = [(f"10.{i}.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1") for i in range(60)]
        expected[6:6] = [("10.5.0.0/16", PROTO_IP_RIP, 100 + i, "192.0.2.1") for i in range(30)]
        assert expected == enumerate_all(shim, 0)
        assert expected == [key(r) for r in dump(shim)]
        assert 60 == len(enumerate_all(shim, RTM_ONLY_BEST_ROUTES))
        assert (NO_ERROR, 60) == shim.RtmGetNetworkCount(IP)

    def test_exhausted_enumeration_keeps_answering(self, table):
        """After exhaustion the handle stays valid and keeps returning ERROR_NO_MORE_ROUTES (V1-4.10)."""
        enum = table.RtmCreateEnumerationHandle(IP, RTM_ONLY_THIS_NETWORK, ip_route("9.0.0.0/8")).EnumerationHandle
        assert NO_ERROR == table.RtmEnumerateGetNextRoute(enum).status
        for _ in range(3):
            assert (ERROR_NO_MORE_ROUTES, None) == table.RtmEnumerateGetNextRoute(enum)

    def test_routes_inserted_ahead_are_seen(self, shim):
        """A live cursor: routes inserted after the cursor are returned, routes inserted behind it are not
        (V1-A8)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        for net in ("10.1.0.0/16", "10.3.0.0/16", "10.5.0.0/16"):
            add(shim, rip, ip_route(net))
        enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        assert ("10.1.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1") == key(shim.RtmEnumerateGetNextRoute(enum).Route)
        add(shim, rip, ip_route("10.0.0.0/16"))  # behind
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=0))  # behind (same network, lower interface)
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=2))  # ahead
        add(shim, rip, ip_route("10.4.0.0/16"))  # ahead
        assert [
            ("10.1.0.0/16", PROTO_IP_RIP, 2, "192.0.2.1"),
            ("10.3.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
            ("10.4.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
            ("10.5.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
        ] == walk(shim, enum)

    def test_deleted_routes_are_skipped(self, shim):
        """Routes deleted before the cursor reaches them are not returned (V1-A8)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        for net in ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"):
            add(shim, rip, ip_route(net))
        enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        assert ("10.1.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1") == key(shim.RtmEnumerateGetNextRoute(enum).Route)
        delete(shim, rip, ip_route("10.2.0.0/16"))
        delete(shim, rip, ip_route("10.4.0.0/16"))
        assert [("10.3.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1")] == walk(shim, enum)

    def test_enumeration_of_a_table_emptied_meanwhile(self, shim):
        """A handle whose routes all went is still valid and answers ERROR_NO_MORE_ROUTES (V1-4.10,
        A8)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        add(shim, rip, ip_route())
        enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        delete(shim, rip, ip_route())
        assert (ERROR_NO_MORE_ROUTES, None) == shim.RtmEnumerateGetNextRoute(enum)
        assert (NO_ERROR,) == shim.RtmCloseEnumerationHandle(enum)

    def test_each_route_at_most_once_while_the_table_changes(self, shim):
        """Updates of routes already returned, or ahead of the cursor, never make a route come twice (V1-4.10,
        V1-A8)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        ospf, _ = register(shim, PROTO_IP_OSPF, event=False)
        for net in ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"):
            add(shim, rip, ip_route(net, metric=2))
        enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        seen = [key(shim.RtmEnumerateGetNextRoute(enum).Route)]
        add(shim, rip, ip_route("10.1.0.0/16", metric=9))  # update behind the cursor
        add(shim, rip, ip_route("10.2.0.0/16", metric=1))  # update ahead
        add(shim, ospf, ip_route("10.2.0.0/16", metric=0))  # a better route ahead
        delete(shim, rip, ip_route("10.3.0.0/16"))
        seen += walk(shim, enum)
        assert [
            ("10.1.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
            ("10.2.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1"),
            ("10.2.0.0/16", PROTO_IP_OSPF, 1, "192.0.2.1"),
        ] == seen

    def test_single_route_entry_returned_once_after_it_moves(self, shim):
        """A RTM_PROTOCOL_SINGLE_ROUTE client's entry keeps its identity (network, protocol) when its interface
        changes, so an enumeration that returned it must not return it again (V1-4.10, A8, A20)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False, flags=RTM_PROTOCOL_SINGLE_ROUTE)
        ospf, _ = register(shim, PROTO_IP_OSPF, event=False)
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=1))
        add(shim, ospf, ip_route("10.2.0.0/16"))
        enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        first = key(shim.RtmEnumerateGetNextRoute(enum).Route)
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=5))  # replaces the entry (same identity)
        assert [("10.2.0.0/16", PROTO_IP_OSPF, 1, "192.0.2.1")] == walk(shim, enum)
        assert ("10.1.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1") == first

    def test_best_is_evaluated_when_fetched(self, shim):
        """RTM_ONLY_BEST_ROUTES is judged when the route is fetched, and the copy reflects current data (V1-A8)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        ospf, _ = register(shim, PROTO_IP_OSPF, event=False)
        add(shim, rip, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.2.0.0/16", metric=1))
        add(shim, ospf, ip_route("10.2.0.0/16", metric=3))
        enum = shim.RtmCreateEnumerationHandle(IP, RTM_ONLY_BEST_ROUTES).EnumerationHandle
        assert ("10.1.0.0/16", PROTO_IP_RIP, 1, "192.0.2.1") == key(shim.RtmEnumerateGetNextRoute(enum).Route)
        add(shim, ospf, ip_route("10.2.0.0/16", metric=0))
        status, route = shim.RtmEnumerateGetNextRoute(enum)
        assert (NO_ERROR, PROTO_IP_OSPF, 0) == (
            status,
            as_ip(route).RR_RoutingProtocol,
            as_ip(route).RR_FamilySpecificData.FSD_Metric,
        )
        assert (ERROR_NO_MORE_ROUTES, None) == shim.RtmEnumerateGetNextRoute(enum)

    def test_returned_route_is_a_copy(self, table):
        """The returned route is a copy: mutating it does not disturb the cursor or the table (M-BINDING-6)."""
        enum = table.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        route = as_ip(table.RtmEnumerateGetNextRoute(enum).Route)
        route.RR_Network = ip_network("200.0.0.0/8")
        assert ALL[1:] == walk(table, enum)
        assert ALL == [key(r) for r in dump(table)]

    def test_bad_handles(self, table):
        """None, integers, client handles and closed handles are ERROR_INVALID_HANDLE (V1-4.10, V1-A30)."""
        client, _ = register(table, PROTO_IP_RIP + 100, event=False)
        enum = table.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        table.RtmCloseEnumerationHandle(enum)
        for handle in (None, 0, 1, client, enum, "<enum#1>"):
            assert (ERROR_INVALID_HANDLE, None) == table.RtmEnumerateGetNextRoute(handle)


class TestRtmCloseEnumerationHandle:
    """RtmCloseEnumerationHandle(EnumerationHandle) -> (status,)."""

    def test_close(self, table):
        """Closing gives NO_ERROR and invalidates the handle (V1-4.11)."""
        enum = table.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        assert (NO_ERROR,) == table.RtmCloseEnumerationHandle(enum)
        assert (ERROR_INVALID_HANDLE, None) == table.RtmEnumerateGetNextRoute(enum)
        assert (ERROR_INVALID_HANDLE,) == table.RtmCloseEnumerationHandle(enum)

    def test_close_an_exhausted_enumeration(self, table):
        """An exhausted enumeration is still closed with NO_ERROR (V1-4.10, 4.11)."""
        enum = table.RtmCreateEnumerationHandle(IP, RTM_ONLY_THIS_NETWORK, ip_route("9.0.0.0/8")).EnumerationHandle
        walk(table, enum)
        assert (NO_ERROR,) == table.RtmCloseEnumerationHandle(enum)

    def test_bad_handles(self, table):
        """None, integers and client handles are ERROR_INVALID_HANDLE (V1-4.11, V1-A30)."""
        client, _ = register(table, PROTO_IP_RIP + 100, event=False)
        for handle in (None, 0, 1, client):
            assert (ERROR_INVALID_HANDLE,) == table.RtmCloseEnumerationHandle(handle)
        assert NO_ERROR == table.RtmDeregisterClient(client).status


class TestRtmGetFirstRoute:
    """RtmGetFirstRoute(ProtocolFamily, EnumerationFlags, Route) -> (status, Route)."""

    def test_first_route_of_the_table(self, table):
        """With flags 0 the input is ignored and the first route in canonical order is returned (V1-4.13
        [R])."""
        status, route = table.RtmGetFirstRoute(IP, 0, ip_route("10.2.0.0/16"))
        assert (NO_ERROR, ALL[0]) == (status, key(route))
        assert ALL[0] == key(table.RtmGetFirstRoute(IP, 0).Route)

    @pytest.mark.parametrize(("flags", "criteria", "expected"), SELECTIONS, ids=SELECTION_IDS)
    def test_selection(self, table, flags, criteria, expected):
        """GetFirst then GetNext walk each selection in canonical order, like an enumeration (V1-4.13,
        V1-4.14, V1-A7)."""
        assert expected == first_next(table, flags, criteria)

    def test_nothing_matches(self, table, shim):
        """No matching route: ERROR_NO_ROUTES and no route (V1-4.13)."""
        assert (ERROR_NO_ROUTES, None) == table.RtmGetFirstRoute(IP, RTM_ONLY_THIS_NETWORK, ip_route("10.9.0.0/16"))

    def test_empty_table(self, shim):
        """An empty table: ERROR_NO_ROUTES (V1-4.13)."""
        assert (ERROR_NO_ROUTES, None) == shim.RtmGetFirstRoute(IP, 0)

    def test_input_is_not_written(self, table):
        """The route is returned as a new structure; the one passed in is left as it was (M-BINDING-6)."""
        criteria = ip_route("10.2.0.0/16")
        table.RtmGetFirstRoute(IP, RTM_ONLY_THIS_NETWORK, criteria)
        assert ip_route("10.2.0.0/16") == criteria

    @pytest.mark.parametrize("flags", [0x10, -1, 2**32, "0"])
    def test_invalid_flags(self, table, flags):
        """Bits outside 0xF are ERROR_INVALID_PARAMETER (V1-4.13, V1-A11)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetFirstRoute(IP, flags, ip_route())

    def test_criteria_needed_with_this_flags(self, table):
        """Route NULL with an RTM_ONLY_THIS_* bit is ERROR_INVALID_PARAMETER (V1-A10)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetFirstRoute(IP, RTM_ONLY_THIS_INTERFACE, None)

    @pytest.mark.parametrize("family", [2, -1, "x"])
    def test_bad_family(self, table, family):
        """An unknown family is ERROR_INVALID_PARAMETER (V1-4.13, V1-A28)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetFirstRoute(family, 0, None)

    def test_no_system_resources(self, clock):
        """When RTM cannot serve the family's table: ERROR_NO_SYSTEM_RESOURCES (V1-4.13)."""
        configs = {(0, AF_INET): RtmConfig(max_handles_in_enum=0)}
        with v2model.RoutingTableManager(clock=clock, table_configs=configs) as rtm:
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == V1Shim(rtm).RtmGetFirstRoute(IP, 0)


class TestRtmGetNextRoute:
    """RtmGetNextRoute(ProtocolFamily, EnumerationFlags, Route) -> (status, Route)."""

    def test_route_after_the_given_one(self, table):
        """The first route strictly after the input in canonical order (V1-4.14, A37)."""
        status, route = table.RtmGetNextRoute(IP, 0, ip_route("10.1.0.0/16", protocol=PROTO_IP_RIP))
        assert (NO_ERROR, ALL[2]) == (status, key(route))

    def test_key_need_not_exist(self, table):
        """The input need not be in the table: the search is strictly greater (V1-4.14, A37)."""
        probes = [
            (ip_route("10.1.0.0/16", protocol=PROTO_IP_RIP, ifindex=1, nexthop="192.0.2.0"), ALL[1]),
            (ip_route("10.1.0.0/16", protocol=PROTO_IP_BGP, ifindex=0), ALL[3]),
            (ip_route("10.1.0.0/20", protocol=0), ALL[3]),
            (ip_route("10.0.0.0/8", protocol=0), ALL[1]),
            (ip_route("0.0.0.0/0"), ALL[0]),
        ]
        for position, expected in probes:
            status, route = table.RtmGetNextRoute(IP, 0, position)
            assert (NO_ERROR, expected) == (status, key(route))

    def test_position_with_unusual_network(self, table):
        """A position whose network has host bits or a non-contiguous mask still orders canonically (M-CANONICAL-ORDER,
        V1-A37)."""
        position = ip_route()
        position.RR_Network = IP_NETWORK(ip_address("10.1.0.0"), ip_address("255.0.255.0"))
        assert ALL[1] == key(table.RtmGetNextRoute(IP, 0, position).Route)
        position.RR_Network = IP_NETWORK(ip_address("10.1.0.5"), ip_address("255.255.0.0"))
        assert ALL[4] == key(table.RtmGetNextRoute(IP, 0, position).Route)

    def test_nothing_follows(self, table):
        """After the last route: ERROR_NO_ROUTES (V1-4.14)."""
        last = ip_route("10.2.0.0/16", protocol=PROTO_IP_OSPF, ifindex=2, nexthop="192.0.2.2")
        assert (ERROR_NO_ROUTES, None) == table.RtmGetNextRoute(IP, 0, last)
        assert (ERROR_NO_ROUTES, None) == table.RtmGetNextRoute(IP, 0, ip_route("255.0.0.0/8"))

    def test_criteria_come_from_the_same_route(self, table):
        """The input supplies both the position and the criteria values (V1-4.14)."""
        position = ip_route("10.1.0.0/16", protocol=PROTO_IP_OSPF, ifindex=2)
        assert ALL[6] == key(
            table.RtmGetNextRoute(IP, RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE, position).Route
        )

    def test_route_is_required(self, table):
        """Route NULL is ERROR_INVALID_PARAMETER, even without RTM_ONLY_THIS_* (V1-A10)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetNextRoute(IP, 0, None)

    @pytest.mark.parametrize("flags", [0x10, 0xFFFFFFFF, -1])
    def test_invalid_flags(self, table, flags):
        """Bits outside 0xF are ERROR_INVALID_PARAMETER (V1-4.14, V1-A11)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetNextRoute(IP, flags, ip_route())

    @pytest.mark.parametrize("family", [2, -1, "x"])
    def test_bad_family(self, table, family):
        """An unknown family is ERROR_INVALID_PARAMETER (V1-4.14, V1-A28)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetNextRoute(family, 0, ip_route())

    def test_no_system_resources(self, clock):
        """When RTM cannot serve the family's table: ERROR_NO_SYSTEM_RESOURCES (V1-4.14 = 4.13)."""
        configs = {(0, AF_INET): RtmConfig(max_handles_in_enum=0)}
        with v2model.RoutingTableManager(clock=clock, table_configs=configs) as rtm:
            shim = V1Shim(rtm)
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == shim.RtmGetNextRoute(IP, 0, ip_route())
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == shim.RtmGetSpecificRoute(IP, ip_route())


class TestRtmGetSpecificRoute:
    """RtmGetSpecificRoute(ProtocolFamily, Route) -> (status, Route): the rtm.h macro."""

    def test_finds_the_route_by_network_protocol_and_interface(self, table):
        """RtmGetFirstRoute with ONLY_THIS_NETWORK | ONLY_THIS_PROTOCOL | ONLY_THIS_INTERFACE (V1-2.5)."""
        probe = ip_route("10.2.0.0/16", protocol=PROTO_IP_OSPF, ifindex=2, metric=77)
        status, route = table.RtmGetSpecificRoute(IP, probe)
        assert (NO_ERROR, ALL[6], 3) == (status, key(route), as_ip(route).RR_FamilySpecificData.FSD_Metric)

    def test_same_as_get_first_route(self, table):
        """The macro's answer equals RtmGetFirstRoute with the three flags (V1-2.5)."""
        probe = ip_route("10.1.0.0/16", protocol=PROTO_IP_RIP, ifindex=1)
        flags = RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE
        assert table.RtmGetFirstRoute(IP, flags, probe) == table.RtmGetSpecificRoute(IP, probe)

    def test_no_such_route(self, table):
        """Nothing with that network, protocol and interface: ERROR_NO_ROUTES (V1-2.5, V1-4.13)."""
        assert (ERROR_NO_ROUTES, None) == table.RtmGetSpecificRoute(IP, ip_route("10.2.0.0/16", protocol=PROTO_IP_BGP))

    def test_route_is_required(self, table):
        """Route NULL is ERROR_INVALID_PARAMETER (V1-A10)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetSpecificRoute(IP, None)

    @pytest.mark.parametrize("family", [2, -1, "x"])
    def test_bad_family(self, table, family):
        """An unknown family is ERROR_INVALID_PARAMETER (V1-A28)."""
        assert (ERROR_INVALID_PARAMETER, None) == table.RtmGetSpecificRoute(family, ip_route())
