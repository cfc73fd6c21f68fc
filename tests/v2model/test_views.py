"""Views and best-route selection (V2-2.6, V2-A-tie, V2-A-thisproto, V2-A-viewmask, V2-A-belongs, V2-A-destflags,
V2-A-pref,
V2-A-flags-best), as reported by RtmGetDestInfo and RtmIsBestRoute."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_DEST_VIEW_INFO,
    RTM_ROUTE_FLAGS_INACTIVE,
    RTM_ROUTE_FLAGS_LOCAL,
    RTM_ROUTE_FLAGS_MYSELF,
    RTM_ROUTE_FLAGS_REMOTE,
    RTM_THIS_PROTOCOL,
    RTM_VIEW_ID_MCAST,
    RTM_VIEW_ID_UCAST,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    RtmConfig,
)

from .matrix_support import add, add_nexthop, best_in, read_exact, read_route, register_in
from .support import route_info

BOTH = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST
PREFIX = "10.1.0.0/16"


@attrs.define
class Table:
    """RIP, OSPF and BGP entities, each with a next hop, adding routes to PREFIX."""

    rtm: RoutingTableManager
    ents: dict[str, v2model.Entity]
    nhs: dict[str, v2model.NextHop]

    def route(self, who: str, metric: int = 1, preference: int = 0, **kwargs: Any) -> v2model.Route:
        """Add (or update) ``who``'s route to PREFIX."""
        nh = self.nhs[who]
        handle, _ = add(
            self.rtm, self.ents[who], PREFIX, route_info(nh, metric=metric, preference=preference, **kwargs)
        )
        return handle

    def new_route(self, who: str, metric: int = 1, **kwargs: Any) -> v2model.Route:
        """Add one more route of ``who`` to PREFIX (another neighbour)."""
        nh = add_nexthop(self.rtm, self.ents[who], f"192.0.2.{100 + len(self.nhs)}", 1)
        self.nhs[f"{who}-{len(self.nhs)}"] = nh
        handle, _ = add(self.rtm, self.ents[who], PREFIX, route_info(nh, metric=metric, **kwargs))
        return handle

    def best(self, route: v2model.Route) -> int:
        """RtmIsBestRoute."""
        return best_in(self.rtm, self.ents["rip"], route)

    def info(self, who: str = "rip", protocol: int = RTM_BEST_PROTOCOL, views: int = BOTH) -> v2model.RTM_DEST_INFO:
        """PREFIX's destination information as ``who`` asks for it (released)."""
        return read_exact(self.rtm, self.ents[who], PREFIX, protocol, views)


def make_table(rtm: RoutingTableManager) -> Table:
    """A table with RIP, OSPF and BGP."""
    ents = {
        "rip": register_in(rtm, PROTO_IP_RIP),
        "ospf": register_in(rtm, PROTO_IP_OSPF),
        "bgp": register_in(rtm, PROTO_IP_BGP),
    }
    nhs: dict[str, v2model.NextHop] = {
        name: add_nexthop(rtm, ent, f"192.0.2.{i}", 1) for i, (name, ent) in enumerate(ents.items(), 1)
    }
    return Table(rtm, ents, nhs)


@pytest.fixture
def table(rtm: RoutingTableManager) -> Table:
    """RIP, OSPF and BGP on the default configuration."""
    return make_table(rtm)


class TestRtmIsBestRouteSelection:
    def test_preference_is_compared_first(self, table: Table) -> None:
        """Lower Preference wins whatever the metrics (V2-2.4, V2-2.6)."""
        rip = table.route("rip", metric=1, preference=2)
        ospf = table.route("ospf", metric=50, preference=1)
        assert (0, RTM_VIEW_MASK_UCAST) == (table.best(rip), table.best(ospf))

    def test_metric_breaks_equal_preference(self, table: Table) -> None:
        """With equal Preference the lower Metric wins (V2-2.4)."""
        rip = table.route("rip", metric=3, preference=1)
        ospf = table.route("ospf", metric=4, preference=1)
        assert (RTM_VIEW_MASK_UCAST, 0) == (table.best(rip), table.best(ospf))

    def test_tie_keeps_the_incumbent(self, table: Table) -> None:
        """A newcomer with the same (Preference, Metric) does not displace the best route (V2-A-tie)."""
        first = table.route("rip", metric=5)
        second = table.route("ospf", metric=5)
        assert (RTM_VIEW_MASK_UCAST, 0) == (table.best(first), table.best(second))

    def test_tie_keeps_the_incumbent_even_if_younger(self, table: Table) -> None:
        """The established best stays best when an older route ties with it again (V2-A-tie: no flap)."""
        older = table.route("rip", metric=5)
        younger = table.route("ospf", metric=1)
        table.route("ospf", metric=5)
        assert (0, RTM_VIEW_MASK_UCAST) == (table.best(older), table.best(younger))

    def test_tie_among_new_candidates_goes_to_the_earliest_created(self, table: Table) -> None:
        """When the best route goes, among equal candidates the earliest created wins (V2-A-tie), whatever the
        owners' registration order."""
        earliest = table.route("ospf", metric=5)
        later = table.route("rip", metric=5)
        best = table.route("bgp", metric=1)
        assert NO_ERROR == table.rtm.RtmDeleteRouteToDest(table.ents["bgp"], best).status
        assert (RTM_VIEW_MASK_UCAST, 0) == (table.best(earliest), table.best(later))

    def test_best_route_per_view(self, table: Table) -> None:
        """Each view has its own best route among the routes that belong to it (V2-2.6)."""
        ucast = table.route("rip", metric=1, views=RTM_VIEW_MASK_UCAST)
        both = table.route("ospf", metric=5, views=BOTH)
        mcast = table.route("bgp", metric=9, views=RTM_VIEW_MASK_MCAST)
        assert (RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, 0) == (table.best(ucast), table.best(both), table.best(mcast))
        info = table.info()
        assert [ucast, both] == [view.Route for view in info.ViewInfo]

    def test_changing_views_moves_the_best_route(self, table: Table) -> None:
        """A route leaving a view leaves that view's selection (V2-2.6)."""
        rip = table.route("rip", metric=1, views=BOTH)
        ospf = table.route("ospf", metric=5, views=BOTH)
        table.route("rip", metric=1, views=RTM_VIEW_MASK_MCAST)
        assert (RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_UCAST) == (table.best(rip), table.best(ospf))

    def test_flags_do_not_affect_selection_by_default(self, table: Table) -> None:
        """RTM_ROUTE_FLAGS_INACTIVE and the other flags are carried, not used for selection (V2-A-flags-best)."""
        inactive = table.route("rip", metric=1, flags=RTM_ROUTE_FLAGS_INACTIVE)
        table.route("ospf", metric=5)
        assert RTM_VIEW_MASK_UCAST == table.best(inactive)

    def test_inactive_routes_can_be_excluded(self, clock: v2model.ManualClock) -> None:
        """With ``exclude_inactive_from_best`` an INACTIVE route is never best (V2-A-flags-best option)."""
        with RoutingTableManager(clock=clock, config=RtmConfig(exclude_inactive_from_best=True)) as rtm:
            table = make_table(rtm)
            inactive = table.route("rip", metric=1, flags=RTM_ROUTE_FLAGS_INACTIVE)
            active = table.route("ospf", metric=5)
            assert (0, RTM_VIEW_MASK_UCAST) == (table.best(inactive), table.best(active))

    def test_preference_policy_overrides_preference(self, clock: v2model.ManualClock) -> None:
        """With a ``preference_policy`` the protocol's configured Preference replaces the one supplied
        (V2-A-pref), and selection uses it."""
        with RoutingTableManager(clock=clock, config=RtmConfig(preference_policy={PROTO_IP_RIP: 120})) as rtm:
            table = make_table(rtm)
            rip = table.route("rip", metric=1, preference=0)
            ospf = table.route("ospf", metric=9, preference=110)
            assert (0, RTM_VIEW_MASK_UCAST) == (table.best(rip), table.best(ospf))
            assert 120 == read_route(rtm, table.ents["rip"], rip).PrefInfo.Preference


class TestRtmGetDestInfoProtocolId:
    @pytest.fixture
    def routes(self, table: Table) -> dict[str, v2model.Route]:
        """RIP (metric 5, LOCAL) and OSPF (metric 1, REMOTE, the overall best)."""
        return {
            "rip": table.route("rip", metric=5, flags=RTM_ROUTE_FLAGS_LOCAL),
            "ospf": table.route("ospf", metric=1, flags=RTM_ROUTE_FLAGS_REMOTE),
        }

    def view(self, table: Table, who: str, protocol: int) -> RTM_DEST_VIEW_INFO:
        """The unicast ViewInfo as ``who`` asks with ``protocol``."""
        return table.info(who, protocol, RTM_VIEW_MASK_UCAST).ViewInfo[0]

    def test_best_protocol_reports_the_overall_best(self, table: Table, routes: dict[str, v2model.Route]) -> None:
        """RTM_BEST_PROTOCOL reports the overall best route, its owner and its flags (V2-2.6)."""
        expected = RTM_DEST_VIEW_INFO(
            RTM_VIEW_ID_UCAST, 2, routes["ospf"], table.ents["ospf"], RTM_ROUTE_FLAGS_REMOTE, None
        )
        assert expected == self.view(table, "rip", RTM_BEST_PROTOCOL)

    def test_this_protocol_reports_the_callers_protocol(self, table: Table, routes: dict[str, v2model.Route]) -> None:
        """RTM_THIS_PROTOCOL reports the best route of the caller's protocol; NumRoutes still counts every route
        of the view (V2-2.6, V2-A-thisproto)."""
        expected = RTM_DEST_VIEW_INFO(RTM_VIEW_ID_UCAST, 2, routes["rip"], table.ents["rip"], RTM_ROUTE_FLAGS_LOCAL)
        assert expected == self.view(table, "rip", RTM_THIS_PROTOCOL)
        assert routes["ospf"] == self.view(table, "ospf", RTM_THIS_PROTOCOL).Route

    def test_explicit_protocol(self, table: Table, routes: dict[str, v2model.Route]) -> None:
        """An explicit protocol id reports that protocol's best route even when another protocol's route is the
        overall best (V2-2.6)."""
        assert (routes["rip"], table.ents["rip"]) == attrs.astuple(self.view(table, "bgp", PROTO_IP_RIP))[2:4]

    def test_protocol_without_routes(self, table: Table, routes: dict[str, v2model.Route]) -> None:
        """A protocol with no route in the view reports no route, no owner, no flags (V2-A-thisproto)."""
        assert RTM_DEST_VIEW_INFO(RTM_VIEW_ID_UCAST, 2, None, None, 0, None) == self.view(
            table, "bgp", RTM_THIS_PROTOCOL
        )

    def test_protocol_not_entity(self, table: Table) -> None:
        """THIS means the caller's protocol, not the caller: another instance of RIP's route counts
        (V2-A-entity-id, V2-A-thisproto)."""
        rip2 = register_in(table.rtm, PROTO_IP_RIP, 2)
        theirs, _ = add(table.rtm, rip2, PREFIX, route_info(add_nexthop(table.rtm, rip2, "192.0.2.50", 1), metric=1))
        table.route("rip", metric=5)
        table.route("ospf", metric=0, preference=0)
        assert theirs == self.view(table, "rip", RTM_THIS_PROTOCOL).Route

    def test_hold_route_is_not_filtered(self, table: Table, routes: dict[str, v2model.Route]) -> None:
        """HoldRoute is reported whatever the protocol selector (V2-A-thisproto)."""
        bgp_route = table.route("bgp", metric=1, views=RTM_VIEW_MASK_MCAST)
        dest = table.info().DestHandle
        assert NO_ERROR == table.rtm.RtmHoldDestination(table.ents["bgp"], dest, RTM_VIEW_MASK_MCAST, 1000).status
        table.rtm.RtmReferenceHandles(table.ents["bgp"], 1, [bgp_route])
        assert NO_ERROR == table.rtm.RtmDeleteRouteToDest(table.ents["bgp"], bgp_route).status
        view = table.info("rip", PROTO_IP_OSPF, RTM_VIEW_MASK_MCAST).ViewInfo[0]
        assert (None, bgp_route) == (view.Route, view.HoldRoute)


class TestRtmGetDestInfoViews:
    @pytest.mark.parametrize(
        ("views", "ids"),
        [
            (RTM_VIEW_MASK_UCAST, [RTM_VIEW_ID_UCAST]),
            (RTM_VIEW_MASK_MCAST, [RTM_VIEW_ID_MCAST]),
            (BOTH, [RTM_VIEW_ID_UCAST, RTM_VIEW_ID_MCAST]),
            (RTM_VIEW_MASK_ALL, [RTM_VIEW_ID_UCAST, RTM_VIEW_ID_MCAST]),
            (RTM_VIEW_MASK_ANY, []),
            (RTM_VIEW_MASK_UCAST | 0x4, [RTM_VIEW_ID_UCAST]),
            (0x4, []),
        ],
        ids=["ucast", "mcast", "both", "all", "any", "ucast-and-unsupported", "unsupported-only"],
    )
    def test_view_info_per_requested_view(self, table: Table, views: int, ids: list[int]) -> None:
        """ViewInfo holds one record per requested supported view in ascending view id; NumberOfViews is their
        number; RTM_VIEW_MASK_ALL means every supported view, RTM_VIEW_MASK_ANY gives no ViewInfo, unsupported bits
        are ignored (V2-2.6, V2-A-viewmask)."""
        table.route("rip", views=BOTH)
        info = table.info(views=views)
        assert (len(ids), ids) == (info.NumberOfViews, [view.ViewId for view in info.ViewInfo])

    def test_any_still_reports_the_destination(self, table: Table) -> None:
        """RTM_VIEW_MASK_ANY reports the destination itself (address, BelongsToViews) without per-view records."""
        table.route("rip", views=RTM_VIEW_MASK_MCAST)
        info = table.info(views=RTM_VIEW_MASK_ANY)
        assert (RTM_VIEW_MASK_MCAST, 0, []) == (info.BelongsToViews, info.NumberOfViews, info.ViewInfo)

    def test_multicast_only_route(self, table: Table) -> None:
        """A route only in the multicast view is best there and absent from the unicast view (V2-2.1)."""
        route = table.route("rip", views=RTM_VIEW_MASK_MCAST)
        info = table.info()
        assert [
            RTM_DEST_VIEW_INFO(RTM_VIEW_ID_UCAST),
            RTM_DEST_VIEW_INFO(RTM_VIEW_ID_MCAST, 1, route, table.ents["rip"]),
        ] == (info.ViewInfo)
        assert RTM_VIEW_MASK_MCAST == table.best(route)

    def test_num_routes_counts_each_view(self, table: Table) -> None:
        """NumRoutes is the number of routes of the destination in that view (V2-3)."""
        table.route("rip", views=BOTH)
        table.route("ospf", views=RTM_VIEW_MASK_UCAST)
        table.route("bgp", views=RTM_VIEW_MASK_UCAST)
        assert [3, 1] == [view.NumRoutes for view in table.info().ViewInfo]

    def test_custom_view_set(self, clock: v2model.ManualClock) -> None:
        """With views 0 and 2 supported, ALL reports views 0 and 2 in order and view 2 selects its own best route
        (V2-2.1: up to 32 views, A-viewmask)."""
        with RoutingTableManager(clock=clock, config=RtmConfig(views_supported=0b101)) as rtm:
            table = make_table(rtm)
            third = table.route("rip", views=0b100)
            info = table.info(views=RTM_VIEW_MASK_ALL)
            assert (2, [0, 2]) == (info.NumberOfViews, [view.ViewId for view in info.ViewInfo])
            assert [None, third] == [view.Route for view in info.ViewInfo]
            assert 0b100 == table.best(third)


class TestRtmGetDestInfoBelongsToViews:
    def test_union_of_the_routes_views(self, table: Table) -> None:
        """A destination belongs to the union of its live routes' views (V2-A-belongs)."""
        table.route("rip", views=RTM_VIEW_MASK_UCAST)
        mcast = table.route("ospf", views=RTM_VIEW_MASK_MCAST)
        assert BOTH == table.info().BelongsToViews
        table.rtm.RtmDeleteRouteToDest(table.ents["ospf"], mcast)
        assert RTM_VIEW_MASK_UCAST == table.info().BelongsToViews

    def test_hold_routes_do_not_count(self, table: Table) -> None:
        """A hold-down route keeps its view's HoldRoute but not the destination's membership of that view
        (V2-A-belongs)."""
        table.route("rip", views=RTM_VIEW_MASK_UCAST)
        mcast = table.route("ospf", views=RTM_VIEW_MASK_MCAST)
        dest = table.info().DestHandle
        assert NO_ERROR == table.rtm.RtmHoldDestination(table.ents["ospf"], dest, RTM_VIEW_MASK_MCAST, 5000).status
        table.rtm.RtmReferenceHandles(table.ents["ospf"], 1, [mcast])
        table.rtm.RtmDeleteRouteToDest(table.ents["ospf"], mcast)
        info = table.info()
        assert (RTM_VIEW_MASK_UCAST, mcast) == (info.BelongsToViews, info.ViewInfo[1].HoldRoute)

    def test_route_in_no_view(self, table: Table) -> None:
        """A route with BelongsToViews 0 adds no view (V2-A-views0, V2-A-belongs)."""
        table.route("rip", views=0)
        assert 0 == table.info().BelongsToViews


class TestRtmGetDestInfoDestFlags:
    def test_best_routes_flags(self, table: Table) -> None:
        """DestFlags are the best route's Flags, zero-extended; RTM_DEST_FLAG_* are never set (V2-A-destflags)."""
        table.route("rip", metric=1, flags=RTM_ROUTE_FLAGS_LOCAL | RTM_ROUTE_FLAGS_MYSELF)
        table.route("ospf", metric=5, flags=RTM_ROUTE_FLAGS_REMOTE)
        assert RTM_ROUTE_FLAGS_LOCAL | RTM_ROUTE_FLAGS_MYSELF == table.info().ViewInfo[0].DestFlags

    def test_follow_the_best_route(self, table: Table) -> None:
        """When another route becomes best, DestFlags are its flags."""
        table.route("rip", metric=1, flags=0x8000)
        table.route("ospf", metric=5, flags=RTM_ROUTE_FLAGS_REMOTE)
        table.route("rip", metric=9, flags=0x8000)
        assert RTM_ROUTE_FLAGS_REMOTE == table.info().ViewInfo[0].DestFlags

    def test_no_route_no_flags(self, table: Table) -> None:
        """A view without a route has DestFlags 0 and no route or owner."""
        table.route("rip", flags=RTM_ROUTE_FLAGS_LOCAL, views=RTM_VIEW_MASK_UCAST)
        assert RTM_DEST_VIEW_INFO(RTM_VIEW_ID_MCAST) == table.info().ViewInfo[1]

    def test_protocol_filtered_flags(self, table: Table) -> None:
        """With a protocol selector, DestFlags are the flags of that protocol's reported route (V2-A-thisproto)."""
        table.route("rip", metric=5, flags=RTM_ROUTE_FLAGS_LOCAL)
        table.route("ospf", metric=1, flags=RTM_ROUTE_FLAGS_REMOTE)
        assert RTM_ROUTE_FLAGS_LOCAL == table.info("ospf", PROTO_IP_RIP).ViewInfo[0].DestFlags
