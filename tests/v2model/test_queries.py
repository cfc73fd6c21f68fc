"""Destinations and queries (V2-2.3, V2-6.4, V2-6.6, V2-6.11, V2-A-lpm, V2-A-exactroute, V2-A-dest-lifetime):
RtmGetDestInfo,
RtmReleaseDestInfo, RtmReleaseDests, RtmGetExactMatchDestination, RtmGetMostSpecificDestination,
RtmGetLessSpecificDestination, RtmGetExactMatchRoute, RtmReferenceHandles."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    FILETIME_UNIX_EPOCH,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_DEST_INFO,
    RTM_DEST_VIEW_INFO,
    RTM_MATCH_FULL,
    RTM_MATCH_INTERFACE,
    RTM_MATCH_NEIGHBOUR,
    RTM_MATCH_NEXTHOP,
    RTM_MATCH_NONE,
    RTM_MATCH_OWNER,
    RTM_MATCH_PREF,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    net_address,
)

from .matrix_support import add, add_nexthop, exact, open_handles, read_dest, read_exact, read_route, register_in
from .support import route_info

BOTH = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST


@attrs.define
class Table:
    """RIP and OSPF with one next hop each."""

    rtm: RoutingTableManager
    rip: v2model.Entity
    ospf: v2model.Entity
    nh: v2model.NextHop
    other_nh: v2model.NextHop

    def add(self, prefix: str, metric: int = 1, views: int = RTM_VIEW_MASK_UCAST) -> v2model.Route:
        """A RIP route."""
        route, _ = add(self.rtm, self.rip, prefix, route_info(self.nh, metric=metric, views=views))
        return route

    def most_specific(self, address: str, views: int = RTM_VIEW_MASK_UCAST) -> Any:
        """RtmGetMostSpecificDestination for RIP; the address of the result (released) or the status."""
        status, info = self.rtm.RtmGetMostSpecificDestination(self.rip, net_address(address), 0, views)
        if info is None:
            return status
        self.rtm.RtmReleaseDestInfo(self.rip, info)
        return info.DestAddress

    def less_specific(self, dest: v2model.Dest | None, views: int = RTM_VIEW_MASK_UCAST) -> Any:
        """RtmGetLessSpecificDestination for RIP; the address of the result (released) or the status."""
        status, info = self.rtm.RtmGetLessSpecificDestination(self.rip, dest, 0, views)
        if info is None:
            return status
        self.rtm.RtmReleaseDestInfo(self.rip, info)
        return info.DestAddress

    def dest(self, prefix: str) -> v2model.Dest:
        """The destination handle of a present prefix (no reference left)."""
        handle = read_exact(self.rtm, self.rip, prefix).DestHandle
        assert handle is not None
        return handle


@pytest.fixture
def table(rtm: RoutingTableManager) -> Table:
    """An empty IPv4 table with two entities."""
    rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
    return Table(rtm, rip, ospf, add_nexthop(rtm, rip, "192.0.2.1", 1), add_nexthop(rtm, ospf, "192.0.2.2", 2))


class TestRtmGetDestInfo:
    def test_reports_the_destination(self, table: Table, clock: v2model.ManualClock) -> None:
        """Handle, address, LastChanged (a FILETIME from the clock), views and per-view best route (V2-3, V2-6.4)."""
        clock.advance(1500)
        route = table.add("10.1.0.0/16", views=BOTH)
        dest = table.dest("10.1.0.0/16")
        view = RTM_DEST_VIEW_INFO(NumRoutes=1, Route=route, Owner=table.rip, DestFlags=0, HoldRoute=None)
        expected = RTM_DEST_INFO(
            DestHandle=dest,
            DestAddress=net_address("10.1.0.0/16"),
            LastChanged=FILETIME_UNIX_EPOCH + 1500 * 10_000,
            BelongsToViews=BOTH,
            NumberOfViews=2,
            ViewInfo=[attrs.evolve(view, ViewId=0), attrs.evolve(view, ViewId=1)],
        )
        assert (NO_ERROR, expected) == table.rtm.RtmGetDestInfo(table.ospf, dest, RTM_BEST_PROTOCOL, BOTH)

    def test_last_changed_follows_changes(self, table: Table, clock: v2model.ManualClock) -> None:
        """LastChanged moves when a route of the destination changes (V2-2.3), not on reads."""
        table.add("10.1.0.0/16")
        dest = table.dest("10.1.0.0/16")
        clock.advance(250)
        assert FILETIME_UNIX_EPOCH == read_dest(table.rtm, table.rip, dest).LastChanged
        table.add("10.1.0.0/16", metric=7)
        assert FILETIME_UNIX_EPOCH + 250 * 10_000 == read_dest(table.rtm, table.rip, dest).LastChanged

    def test_handles_inside_are_referenced(self, table: Table) -> None:
        """DestHandle and each view's Route and Owner carry a reference until RtmReleaseDestInfo (V2-2.13)."""
        table.add("10.1.0.0/16", views=BOTH)
        dest = table.dest("10.1.0.0/16")
        before = open_handles(table.rtm)
        info = table.rtm.RtmGetDestInfo(table.ospf, dest, RTM_BEST_PROTOCOL, BOTH).DestInfo
        assert info is not None
        assert before + 5 == open_handles(table.rtm)
        assert (NO_ERROR,) == table.rtm.RtmReleaseDestInfo(table.ospf, info)
        assert before == open_handles(table.rtm)

    def test_removed_destination_reads_empty(self, table: Table) -> None:
        """A destination that lost all its routes, still referenced, is reported with no routes (
        V2-A-dest-lifetime), not as an error."""
        route = table.add("10.1.0.0/16")
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        table.rtm.RtmDeleteRouteToDest(table.rip, route)
        assert info.DestHandle is not None
        again = read_dest(table.rtm, table.rip, info.DestHandle)
        assert (0, [0, 0]) == (again.BelongsToViews, [v.NumRoutes for v in again.ViewInfo])
        assert [None, None] == [v.Route for v in again.ViewInfo]

    def test_removed_destination_is_freed_after_release(self, table: Table) -> None:
        """Once nothing references a removed destination its handle is invalid (V2-A-dest-lifetime, V2-A-refs)."""
        route = table.add("10.1.0.0/16")
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        table.rtm.RtmDeleteRouteToDest(table.rip, route)
        table.rtm.RtmReleaseDestInfo(table.rip, info)
        assert (ERROR_INVALID_HANDLE, None) == table.rtm.RtmGetDestInfo(table.rip, info.DestHandle, 0, 1)

    def test_new_route_to_removed_prefix_makes_a_new_destination(self, table: Table) -> None:
        """A later route to the same prefix creates a new destination object with a new handle (
        V2-A-dest-lifetime); the old handle keeps reading empty."""
        route = table.add("10.1.0.0/16")
        old = exact(table.rtm, table.rip, "10.1.0.0/16")
        table.rtm.RtmDeleteRouteToDest(table.rip, route)
        table.add("10.1.0.0/16")
        new = table.dest("10.1.0.0/16")
        assert old.DestHandle is not None
        assert new is not old.DestHandle
        assert 0 == read_dest(table.rtm, table.rip, old.DestHandle).ViewInfo[0].NumRoutes

    def test_is_a_fresh_copy(self, table: Table) -> None:
        """Mutating returned information changes nothing (binding rule 6)."""
        table.add("10.1.0.0/16")
        dest = table.dest("10.1.0.0/16")
        info = read_dest(table.rtm, table.rip, dest)
        info.ViewInfo[0].NumRoutes = 9
        info.DestAddress.NumBits = 8
        again = read_dest(table.rtm, table.rip, dest)
        assert (1, 16) == (again.ViewInfo[0].NumRoutes, again.DestAddress.NumBits)


class TestRtmReleaseDestInfo:
    def test_second_release_is_invalid(self, table: Table) -> None:
        """A destination information structure is released once; again gives ERROR_INVALID_HANDLE with nothing
        released (V2-A-refs)."""
        table.add("10.1.0.0/16")
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        assert (NO_ERROR,) == table.rtm.RtmReleaseDestInfo(table.rip, info)
        before = open_handles(table.rtm)
        assert (ERROR_INVALID_HANDLE,) == table.rtm.RtmReleaseDestInfo(table.rip, info)
        assert before == open_handles(table.rtm)

    def test_structure_with_an_unheld_handle_releases_nothing(self, table: Table) -> None:
        """If the structure names a handle the caller does not hold, ERROR_INVALID_HANDLE and none of its handles
        is released (V2-A-refs, all or nothing); the genuine structure still releases afterwards."""
        table.add("10.1.0.0/16")
        theirs, _ = add(table.rtm, table.ospf, "10.2.0.0/16", route_info(table.other_nh))
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        forged = attrs.evolve(info, ViewInfo=[attrs.evolve(info.ViewInfo[0], Route=theirs)])
        before = open_handles(table.rtm)
        assert (ERROR_INVALID_HANDLE,) == table.rtm.RtmReleaseDestInfo(table.rip, forged)
        assert before == open_handles(table.rtm)
        assert (NO_ERROR,) == table.rtm.RtmReleaseDestInfo(table.rip, info)


class TestRtmReleaseDests:
    def test_releases_several(self, table: Table) -> None:
        """Several destination structures are released at once (V2-6.8)."""
        table.add("10.1.0.0/16")
        table.add("10.2.0.0/16")
        before = open_handles(table.rtm)
        infos = [exact(table.rtm, table.rip, p) for p in ("10.1.0.0/16", "10.2.0.0/16")]
        assert (NO_ERROR,) == table.rtm.RtmReleaseDests(table.rip, 2, infos)
        assert before == open_handles(table.rtm)

    def test_more_than_handed_out(self, table: Table) -> None:
        """Releasing more structures than were handed out is ERROR_INVALID_HANDLE, nothing released."""
        table.add("10.1.0.0/16")
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        before = open_handles(table.rtm)
        assert (ERROR_INVALID_HANDLE,) == table.rtm.RtmReleaseDests(table.rip, 2, [info, info])
        assert before == open_handles(table.rtm)

    def test_count_must_match(self, table: Table) -> None:
        """NumDests must equal the list's length: ERROR_INVALID_PARAMETER."""
        table.add("10.1.0.0/16")
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        assert (ERROR_INVALID_PARAMETER,) == table.rtm.RtmReleaseDests(table.rip, 2, [info])


class TestRtmGetExactMatchDestination:
    def test_found(self, table: Table) -> None:
        """The destination with exactly this address and length (V2-6.6)."""
        route = table.add("10.1.0.0/16")
        info = read_exact(table.rtm, table.ospf, "10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        assert (net_address("10.1.0.0/16"), route) == (info.DestAddress, info.ViewInfo[0].Route)

    def test_length_must_match(self, table: Table) -> None:
        """A covering or covered prefix is not an exact match: ERROR_NOT_FOUND (V2-6.6)."""
        table.add("10.1.0.0/16")
        for prefix in ("10.1.0.0/24", "10.0.0.0/8", "10.1.0.0/17"):
            assert (ERROR_NOT_FOUND, None) == table.rtm.RtmGetExactMatchDestination(
                table.rip, net_address(prefix), 0, RTM_VIEW_MASK_UCAST
            )

    def test_host_bits_are_cleared(self, table: Table) -> None:
        """10.1.2.3/16 finds 10.1.0.0/16 (V2-2.3)."""
        table.add("10.1.0.0/16")
        assert net_address("10.1.0.0/16") == read_exact(table.rtm, table.rip, "10.1.2.3/16").DestAddress

    def test_found_regardless_of_views(self, table: Table) -> None:
        """A present destination is found even when it has no route in the requested views (V2-A-lpm)."""
        table.add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        info = read_exact(table.rtm, table.rip, "10.1.0.0/16", views=RTM_VIEW_MASK_MCAST)
        assert [RTM_DEST_VIEW_INFO(ViewId=1)] == info.ViewInfo

    def test_not_found_takes_no_reference(self, table: Table) -> None:
        """ERROR_NOT_FOUND with no DestInfo and no reference taken (binding rule 4)."""
        before = open_handles(table.rtm)
        assert (ERROR_NOT_FOUND, None) == table.rtm.RtmGetExactMatchDestination(
            table.rip, net_address("10.9.0.0/16"), 0, RTM_VIEW_MASK_UCAST
        )
        assert before == open_handles(table.rtm)


class TestRtmGetMostSpecificDestination:
    def test_longest_prefix_wins(self, table: Table) -> None:
        """The longest present prefix covering the address (V2-6.6)."""
        for prefix in ("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"):
            table.add(prefix)
        assert net_address("10.1.2.0/24") == table.most_specific("10.1.2.3")
        assert net_address("10.1.0.0/16") == table.most_specific("10.1.3.3")
        assert net_address("10.0.0.0/8") == table.most_specific("10.2.0.1")
        assert net_address("0.0.0.0/0") == table.most_specific("192.168.1.1")

    def test_exact_match_first(self, table: Table) -> None:
        """An exact match is returned when present (V2-6.6)."""
        table.add("10.0.0.0/8")
        table.add("10.1.0.0/16")
        assert net_address("10.1.0.0/16") == table.most_specific("10.1.0.0/16")

    def test_nothing_covers(self, table: Table) -> None:
        """No covering destination: ERROR_NOT_FOUND (V2-6.6)."""
        table.add("10.1.0.0/16")
        assert ERROR_NOT_FOUND == table.most_specific("10.2.0.1")

    def test_only_destinations_with_a_route_in_the_views(self, table: Table) -> None:
        """Only destinations with a live route in one of the target views are considered; RTM_VIEW_MASK_ANY
        considers every destination (V2-A-lpm)."""
        table.add("10.0.0.0/8", views=RTM_VIEW_MASK_MCAST)
        table.add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        assert net_address("10.0.0.0/8") == table.most_specific("10.1.2.3", RTM_VIEW_MASK_MCAST)
        assert net_address("10.1.0.0/16") == table.most_specific("10.1.2.3", RTM_VIEW_MASK_UCAST)
        assert net_address("10.1.0.0/16") == table.most_specific("10.1.2.3", RTM_VIEW_MASK_ANY)

    def test_protocol_does_not_filter(self, table: Table) -> None:
        """ProtocolId selects the reported route, never the destination (V2-2.6, V2-A-lpm)."""
        table.add("10.1.0.0/16")
        status, info = table.rtm.RtmGetMostSpecificDestination(
            table.rip, net_address("10.1.2.3"), PROTO_IP_OSPF, RTM_VIEW_MASK_UCAST
        )
        assert NO_ERROR == status
        assert info is not None
        assert (net_address("10.1.0.0/16"), None) == (info.DestAddress, info.ViewInfo[0].Route)


class TestRtmGetLessSpecificDestination:
    def test_walks_up_to_the_default_route(self, table: Table) -> None:
        """From a destination, each call returns the next shorter covering prefix, up to 0/0, then
        ERROR_NOT_FOUND (V2-6.6, V2-7 prefix walk)."""
        for prefix in ("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.2.0.0/16"):
            table.add(prefix)
        walk = []
        dest: v2model.Dest | None = table.dest("10.1.2.0/24")
        while True:
            status, info = table.rtm.RtmGetLessSpecificDestination(table.rip, dest, 0, RTM_VIEW_MASK_UCAST)
            if info is None:
                break
            walk.append(info.DestAddress)
            table.rtm.RtmReleaseDestInfo(table.rip, info)
            dest = info.DestHandle
        assert [net_address(p) for p in ("10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0")] == walk
        assert ERROR_NOT_FOUND == status

    def test_without_default_route(self, table: Table) -> None:
        """Without 0/0 the walk ends at the shortest covering prefix with ERROR_NOT_FOUND."""
        table.add("10.0.0.0/8")
        assert ERROR_NOT_FOUND == table.less_specific(table.dest("10.0.0.0/8"))

    def test_skips_missing_lengths(self, table: Table) -> None:
        """Intermediate prefix lengths that are absent are skipped (longest present shorter prefix)."""
        table.add("10.0.0.0/8")
        table.add("10.1.2.0/24")
        assert net_address("10.0.0.0/8") == table.less_specific(table.dest("10.1.2.0/24"))

    def test_views_filter(self, table: Table) -> None:
        """Only destinations with a route in the target views count (V2-A-lpm)."""
        table.add("10.0.0.0/8", views=RTM_VIEW_MASK_MCAST)
        table.add("0.0.0.0/0", views=RTM_VIEW_MASK_UCAST)
        table.add("10.1.0.0/16", views=BOTH)
        dest = table.dest("10.1.0.0/16")
        assert net_address("0.0.0.0/0") == table.less_specific(dest, RTM_VIEW_MASK_UCAST)
        assert net_address("10.0.0.0/8") == table.less_specific(dest, RTM_VIEW_MASK_MCAST)

    def test_removed_destination_is_invalid_parameter(self, table: Table) -> None:
        """Starting from a destination no longer in the table is ERROR_INVALID_PARAMETER (V2-6.6, V2-A-lpm)."""
        table.add("10.0.0.0/8")
        route = table.add("10.1.0.0/16")
        info = exact(table.rtm, table.rip, "10.1.0.0/16")
        table.rtm.RtmDeleteRouteToDest(table.rip, route)
        assert ERROR_INVALID_PARAMETER == table.less_specific(info.DestHandle)


class TestRtmGetExactMatchRoute:
    @pytest.fixture
    def routes(self, table: Table) -> dict[str, Any]:
        """Three routes to 10.1.0.0/16: OSPF (metric 2), RIP via nh (metric 5), RIP via nh2 on interface 7
        (metric 9, multicast only)."""
        nh2 = add_nexthop(table.rtm, table.rip, "192.0.2.9", 7)
        ospf, _ = add(table.rtm, table.ospf, "10.1.0.0/16", route_info(table.other_nh, metric=2))
        rip1 = table.add("10.1.0.0/16", metric=5)
        rip2, _ = add(table.rtm, table.rip, "10.1.0.0/16", route_info(nh2, metric=9, views=RTM_VIEW_MASK_MCAST))
        return {"ospf": ospf, "rip1": rip1, "rip2": rip2, "nh2": nh2}

    def match(self, table: Table, flags: int, criteria: RTM_ROUTE_INFO | None, ifindex: int = 0, views: int = 0) -> Any:
        """The matched route handle (its information and handle released), or the status."""
        status, info, handle = table.rtm.RtmGetExactMatchRoute(
            table.rip, net_address("10.1.0.0/16"), flags, criteria, ifindex, views
        )
        if handle is None:
            return status
        assert info is not None
        assert NO_ERROR == table.rtm.RtmReleaseRouteInfo(table.rip, info).status
        assert NO_ERROR == table.rtm.RtmReleaseRoutes(table.rip, 1, [handle]).status
        return handle

    def test_match_none_returns_the_best_first(self, table: Table, routes: dict[str, Any]) -> None:
        """With RTM_MATCH_NONE the first route in route order, best first, is returned (V2-A-exactroute)."""
        assert routes["ospf"] is self.match(table, RTM_MATCH_NONE, None)

    def test_match_owner(self, table: Table, routes: dict[str, Any]) -> None:
        """RTM_MATCH_OWNER: same RouteOwner; the best of that owner's routes first (V2-A-enum-filters)."""
        assert routes["rip1"] is self.match(table, RTM_MATCH_OWNER, RTM_ROUTE_INFO(RouteOwner=table.rip))

    def test_match_neighbour(self, table: Table, routes: dict[str, Any]) -> None:
        """RTM_MATCH_NEIGHBOUR: same Neighbour handle."""
        assert routes["rip2"] is self.match(table, RTM_MATCH_NEIGHBOUR, RTM_ROUTE_INFO(Neighbour=routes["nh2"]))

    def test_match_pref(self, table: Table, routes: dict[str, Any]) -> None:
        """RTM_MATCH_PREF: equal Preference and Metric."""
        criteria = RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(Metric=5, Preference=0))
        assert routes["rip1"] is self.match(table, RTM_MATCH_PREF, criteria)
        assert ERROR_NOT_FOUND == self.match(table, RTM_MATCH_PREF, RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(4, 0)))

    def test_match_nexthop(self, table: Table, routes: dict[str, Any]) -> None:
        """RTM_MATCH_NEXTHOP: the route's next hops contain the criteria's first next hop."""
        criteria = RTM_ROUTE_INFO(NextHopsList=RTM_NEXTHOP_LIST(NextHops=[routes["nh2"]]))
        assert routes["rip2"] is self.match(table, RTM_MATCH_NEXTHOP, criteria)

    def test_match_interface(self, table: Table, routes: dict[str, Any]) -> None:
        """RTM_MATCH_INTERFACE: some next hop of the route is on InterfaceIndex; no criteria route needed."""
        assert routes["rip2"] is self.match(table, RTM_MATCH_INTERFACE, None, ifindex=7)
        assert ERROR_NOT_FOUND == self.match(table, RTM_MATCH_INTERFACE, None, ifindex=8)

    def test_match_full(self, table: Table, routes: dict[str, Any]) -> None:
        """RTM_MATCH_FULL: every criterion at once."""
        criteria = RTM_ROUTE_INFO(
            RouteOwner=table.rip,
            Neighbour=table.nh,
            PrefInfo=RTM_PREF_INFO(Metric=5),
            NextHopsList=RTM_NEXTHOP_LIST(NextHops=[table.nh]),
        )
        assert routes["rip1"] is self.match(table, RTM_MATCH_FULL, criteria, ifindex=1)
        assert ERROR_NOT_FOUND == self.match(table, RTM_MATCH_FULL, criteria, ifindex=7)

    def test_target_views(self, table: Table, routes: dict[str, Any]) -> None:
        """Only routes in the target views are candidates (V2-A-exactroute)."""
        assert routes["rip2"] is self.match(table, RTM_MATCH_NONE, None, views=RTM_VIEW_MASK_MCAST)
        assert ERROR_NOT_FOUND == self.match(table, RTM_MATCH_INTERFACE, None, ifindex=7, views=RTM_VIEW_MASK_UCAST)

    def test_returns_information_and_a_reference(self, table: Table, routes: dict[str, Any]) -> None:
        """The found route's information (handles referenced) and a referenced handle (V2-6.6)."""
        before = open_handles(table.rtm)
        status, info, handle = table.rtm.RtmGetExactMatchRoute(
            table.rip, net_address("10.1.0.0/16"), RTM_MATCH_NONE, None, 0, RTM_VIEW_MASK_UCAST
        )
        assert (NO_ERROR, routes["ospf"]) == (status, handle)
        assert read_route(table.rtm, table.rip, routes["ospf"]) == info
        assert before + 5 == open_handles(table.rtm)

    def test_no_destination(self, table: Table, routes: dict[str, Any]) -> None:
        """No destination with that exact prefix: ERROR_NOT_FOUND (V2-6.6)."""
        status, info, handle = table.rtm.RtmGetExactMatchRoute(
            table.rip, net_address("10.1.0.0/24"), RTM_MATCH_NONE, None, 0, 0
        )
        assert (ERROR_NOT_FOUND, None, None) == (status, info, handle)


class TestRtmReferenceHandles:
    def test_adds_a_reference_released_by_type(self, table: Table) -> None:
        """Each listed handle (destination, route, next hop, entity) gains one reference, released later with
        the type's own function (V2-6.11)."""
        route = table.add("10.1.0.0/16")
        dest = table.dest("10.1.0.0/16")
        before = open_handles(table.rtm)
        handles: list[Any] = [dest, route, table.nh, table.rip]
        assert (NO_ERROR,) == table.rtm.RtmReferenceHandles(table.ospf, 4, handles)
        assert before + 4 == open_handles(table.rtm)
        assert NO_ERROR == table.rtm.RtmReleaseRoutes(table.ospf, 1, [route]).status
        assert NO_ERROR == table.rtm.RtmReleaseNextHops(table.ospf, 1, [table.nh]).status
        assert NO_ERROR == table.rtm.RtmReleaseEntities(table.ospf, 1, [table.rip]).status
        assert before + 1 == open_handles(table.rtm)

    def test_keeps_a_handle_out_of_a_released_structure(self, table: Table) -> None:
        """To keep a handle from an information structure, reference it before releasing the structure
        (V2-2.13): it then outlives the structure and the route's deletion."""
        route = table.add("10.1.0.0/16")
        info = exact(table.rtm, table.ospf, "10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        kept = info.ViewInfo[0].Route
        assert kept is route
        table.rtm.RtmReferenceHandles(table.ospf, 1, [kept])
        table.rtm.RtmReleaseDestInfo(table.ospf, info)
        table.rtm.RtmDeleteRouteToDest(table.rip, route)
        assert NO_ERROR == table.rtm.RtmGetRouteInfo(table.ospf, route).status

    def test_all_or_nothing(self, table: Table) -> None:
        """One invalid handle in the list: ERROR_INVALID_HANDLE and none is referenced."""
        route = table.add("10.1.0.0/16")
        before = open_handles(table.rtm)
        handles: list[Any] = [route, 5]
        assert (ERROR_INVALID_HANDLE,) == table.rtm.RtmReferenceHandles(table.ospf, 2, handles)
        assert before == open_handles(table.rtm)

    def test_deleted_but_held_route_can_be_referenced(self, table: Table) -> None:
        """A deleted route is still an object while held, so it can be referenced (V2-2.13)."""
        route = table.add("10.1.0.0/16")
        table.rtm.RtmReferenceHandles(table.rip, 1, [route])
        table.rtm.RtmDeleteRouteToDest(table.rip, route)
        assert (NO_ERROR,) == table.rtm.RtmReferenceHandles(table.ospf, 1, [route])

    def test_handle_of_another_table(self, table: Table) -> None:
        """A handle of another table cannot be referenced (V2-2.15)."""
        v6 = register_in(table.rtm, PROTO_IP_RIP, af=v2model.AF_INET6)
        assert (ERROR_INVALID_HANDLE,) == table.rtm.RtmReferenceHandles(table.rip, 1, [v6])

    def test_empty_list(self, table: Table) -> None:
        """Referencing nothing is a no-op success."""
        assert (NO_ERROR,) == table.rtm.RtmReferenceHandles(table.rip, 0, [])
