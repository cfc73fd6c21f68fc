"""Routes (V2-2.4, V2-6.4, V2-6.5, V2-A-match-add, V2-A-delete): RtmAddRouteToDest, RtmDeleteRouteToDest,
RtmGetRouteInfo,
RtmReleaseRouteInfo, RtmReleaseRoutes, RtmIsBestRoute."""

from __future__ import annotations

import re
from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    ERROR_ACCESS_DENIED,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    INFINITE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_FIRST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_FLAGS_LOCAL,
    RTM_ROUTE_FLAGS_REMOTE,
    RTM_ROUTE_INFO,
    RTM_ROUTE_STATE_CREATED,
    RTM_ROUTE_STATE_DELETED,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    net_address,
)

from .matrix_support import add, add_nexthop, best_in, open_handles, read_exact, read_route, register_in
from .support import route_info

BOTH = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST


@attrs.define
class Two:
    """Two entities of one table, each with two next hops."""

    rtm: RoutingTableManager
    rip: v2model.Entity
    ospf: v2model.Entity
    nh1: v2model.NextHop
    nh2: v2model.NextHop
    other_nh: v2model.NextHop


@pytest.fixture
def two(rtm: RoutingTableManager) -> Two:
    """RIP with next hops nh1, nh2; OSPF with other_nh."""
    rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
    return Two(
        rtm,
        rip,
        ospf,
        add_nexthop(rtm, rip, "192.0.2.1", 1),
        add_nexthop(rtm, rip, "192.0.2.5", 2),
        add_nexthop(rtm, ospf, "192.0.2.2", 1),
    )


def add_call(
    t: Two,
    prefix: str | None,
    info: RTM_ROUTE_INFO,
    *,
    handle: v2model.Route | None = None,
    flags: int = 0,
    ent: v2model.Entity | None = None,
) -> Any:
    """RtmAddRouteToDest with the defaults of the add sample (INFINITE, no list, no notify)."""
    address = None if prefix is None else net_address(prefix)
    return t.rtm.RtmAddRouteToDest(ent or t.rip, handle, address, info, INFINITE, None, 0, None, flags)


def routes_of(t: Two, prefix: str) -> int:
    """The number of routes on a destination (unicast and multicast views together)."""
    info = read_exact(t.rtm, t.rip, prefix, views=RTM_VIEW_MASK_ALL)
    return max(view.NumRoutes for view in info.ViewInfo)


class TestRtmAddRouteToDest:
    def test_first_route_is_new_and_best(self, two: Two) -> None:
        """A route to a new destination creates both: RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST and a new
        referenced handle (V2-6.5, V2-A-match-add (g))."""
        status, handle, flags = add_call(two, "10.1.0.0/16", route_info(two.nh1))
        assert (NO_ERROR, RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST) == (status, flags)
        assert isinstance(handle, v2model.Route)
        assert re.fullmatch(r"<route 10\.1\.0\.0/16 RIP#\d+>", repr(handle))
        stats = two.rtm.statistics()
        assert (1, 1) == (stats["destinations"], stats["routes"])

    def test_returned_handle_is_a_new_reference(self, two: Two) -> None:
        """With no RouteHandle, the handle returned carries a reference the caller releases (model decision;
        V2-6.5 step 3, the sample releases it)."""
        before = open_handles(two.rtm)
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        assert before + 1 == open_handles(two.rtm)
        assert NO_ERROR == two.rtm.RtmReleaseRoutes(two.rip, 1, [route]).status
        assert before == open_handles(two.rtm)
        assert RTM_ROUTE_STATE_CREATED == read_route(two.rtm, two.rip, route).State

    def test_stores_the_callers_fields(self, two: Two) -> None:
        """Flags1, Flags, PrefInfo, BelongsToViews, EntitySpecificInfo and NextHopsList come from RouteInfo;
        DestHandle, RouteOwner and State are set by RTM whatever the input says (V2-6.5)."""
        info = RTM_ROUTE_INFO(
            DestHandle=None,
            RouteOwner=two.ospf,
            Neighbour=two.nh1,
            State=RTM_ROUTE_STATE_DELETED,
            Flags1=0x5,
            Flags=RTM_ROUTE_FLAGS_REMOTE,
            PrefInfo=RTM_PREF_INFO(Metric=7, Preference=3),
            BelongsToViews=BOTH,
            EntitySpecificInfo=("private", 1),
            NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=2, NextHops=[two.nh1, two.nh2]),
        )
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", info)
        stored = read_route(two.rtm, two.rip, route)
        dest = read_exact(two.rtm, two.rip, "10.1.0.0/16").DestHandle
        expected = attrs.evolve(info, DestHandle=dest, RouteOwner=two.rip, State=RTM_ROUTE_STATE_CREATED)
        assert expected == stored

    def test_host_bits_are_cleared(self, two: Two) -> None:
        """10.10.10.10/24 is the destination 10.10.10.0/24 (V2-2.3: normalise on input)."""
        route, _ = add(two.rtm, two.rip, "10.10.10.10/24", route_info(two.nh1))
        status, _info, address = two.rtm.RtmGetRouteInfo(two.rip, route)
        assert (NO_ERROR, net_address("10.10.10.0/24")) == (status, address)
        assert read_exact(two.rtm, two.rip, "10.10.10.0/24") == read_exact(two.rtm, two.rip, "10.10.10.99/24")

    def test_same_owner_and_neighbour_updates(self, two: Two) -> None:
        """Identity is (destination, owner, neighbour): adding again updates that route, flags without NEW, and
        returns the same route with another reference (V2-2.4, V2-6.5)."""
        first, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5))
        second, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=6))
        assert second is first
        assert 0 == flags & RTM_ROUTE_CHANGE_NEW
        assert 6 == read_route(two.rtm, two.rip, first).PrefInfo.Metric
        assert 1 == routes_of(two, "10.1.0.0/16")

    def test_other_neighbour_is_another_route(self, two: Two) -> None:
        """A different neighbour makes a different route of the same owner (V2-2.4)."""
        first, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        second, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh2))
        assert second is not first
        assert RTM_ROUTE_CHANGE_NEW == flags & RTM_ROUTE_CHANGE_NEW
        assert 2 == routes_of(two, "10.1.0.0/16")

    def test_other_owner_is_another_route(self, two: Two) -> None:
        """Another entity's route to the same destination is a different route (V2-2.4)."""
        mine, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(None))
        theirs, _ = add(two.rtm, two.ospf, "10.1.0.0/16", route_info(None))
        assert theirs is not mine
        assert 2 == routes_of(two, "10.1.0.0/16")

    def test_no_neighbour_is_an_identity_too(self, two: Two) -> None:
        """A NULL neighbour (link-state protocols) identifies the owner's route like any other neighbour."""
        first, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(None))
        second, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(None, metric=9))
        assert second is first

    def test_change_new_always_creates(self, two: Two) -> None:
        """RTM_ROUTE_CHANGE_NEW skips matching and always creates a new route (V2-4.6, V2-6.5)."""
        first, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        second, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1), RTM_ROUTE_CHANGE_NEW)
        assert second is not first
        assert RTM_ROUTE_CHANGE_NEW == flags & RTM_ROUTE_CHANGE_NEW
        assert 2 == routes_of(two, "10.1.0.0/16")

    def test_change_first_ignores_the_neighbour(self, two: Two) -> None:
        """RTM_ROUTE_CHANGE_FIRST updates the caller's first route on the destination whatever its neighbour
        (V2-4.6), here changing the neighbour."""
        first, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        second, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh2), RTM_ROUTE_CHANGE_FIRST)
        assert (first, 0) == (second, flags & RTM_ROUTE_CHANGE_NEW)
        assert two.nh2 == read_route(two.rtm, two.rip, first).Neighbour
        assert 1 == routes_of(two, "10.1.0.0/16")

    def test_change_first_creates_when_the_owner_has_no_route(self, two: Two) -> None:
        """With RTM_ROUTE_CHANGE_FIRST and no route of the caller on the destination, a route is created (
        V2-6.5: no match -> create); other owners' routes are not candidates."""
        add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1), RTM_ROUTE_CHANGE_FIRST)
        assert RTM_ROUTE_CHANGE_NEW == flags & RTM_ROUTE_CHANGE_NEW
        assert 2 == routes_of(two, "10.1.0.0/16")

    def test_new_wins_over_first(self, two: Two) -> None:
        """FIRST and NEW together: NEW wins (V2-A-match-add (d))."""
        add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        _, flags = add(
            two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1), RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW
        )
        assert RTM_ROUTE_CHANGE_NEW == flags & RTM_ROUTE_CHANGE_NEW
        assert 2 == routes_of(two, "10.1.0.0/16")

    @pytest.mark.parametrize("flags_in", [0, RTM_ROUTE_CHANGE_FIRST, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_CHANGE_BEST])
    def test_output_has_only_new_and_best(self, two: Two, flags_in: int) -> None:
        """Output ChangeFlags hold only NEW and BEST; input bits are cleared (V2-A-match-add (f))."""
        add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=3), flags_in)
        assert 0 == flags & ~(RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST)

    def test_worse_new_route_is_not_best(self, two: Two) -> None:
        """A route created behind a better one: NEW without BEST (V2-A-match-add (g))."""
        add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=1))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5))
        assert RTM_ROUTE_CHANGE_NEW == flags

    def test_better_new_route_is_best(self, two: Two) -> None:
        """A route created ahead of the current best: NEW and BEST (V2-A-match-add (g))."""
        add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=5))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=1))
        assert RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST == flags

    @pytest.mark.parametrize(
        "change",
        [{"metric": 2}, {"preference": 1}, {"flags": RTM_ROUTE_FLAGS_LOCAL}, {"nexthops": "two"}],
        ids=["metric", "preference", "flags", "next-hops"],
    )
    def test_changing_the_best_route_is_best(self, two: Two, change: dict[str, Any]) -> None:
        """Updating the best route's PrefInfo, Flags or NextHopsList sets BEST while it stays best
        (V2-A-match-add (g))."""
        add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=1))
        if change.get("nexthops"):
            change = {"nexthops": [two.nh1, two.nh2]}
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, **change))
        assert RTM_ROUTE_CHANGE_BEST == flags

    def test_unchanged_update_of_best_route_is_not_best(self, two: Two) -> None:
        """Re-adding the best route with identical values changes nothing: no BEST (V2-A-match-add (g))."""
        add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=1))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=1))
        assert 0 == flags

    def test_changing_a_route_that_stays_worse_is_not_best(self, two: Two) -> None:
        """Updating a route that is not best before or after sets no BEST (V2-A-match-add (g))."""
        add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=1))
        add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=7))
        assert 0 == flags

    def test_worsening_the_best_route_makes_another_best(self, two: Two) -> None:
        """When an update makes another route best, BEST is set (V2-4.6: "the change made a different route
        become best")."""
        ospf_route, _ = add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=5))
        add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=1))
        _, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=9))
        assert RTM_ROUTE_CHANGE_BEST == flags
        assert RTM_VIEW_MASK_UCAST == best_in(two.rtm, two.rip, ospf_route)

    def test_update_by_handle(self, two: Two) -> None:
        """With RouteHandle the route is updated without a search; the handle comes back unchanged and no
        reference is added (V2-6.5 step 1)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5))
        before = open_handles(two.rtm)
        result = add_call(two, None, route_info(two.nh2, metric=2), handle=route)
        assert (NO_ERROR, route, RTM_ROUTE_CHANGE_BEST) == result
        assert before == open_handles(two.rtm)
        stored = read_route(two.rtm, two.rip, route)
        assert (two.nh2, 2) == (stored.Neighbour, stored.PrefInfo.Metric)

    def test_update_by_handle_with_its_own_address(self, two: Two) -> None:
        """A DestAddress equal to the route's destination (host bits aside) is accepted with a handle."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        assert NO_ERROR == add_call(two, "10.1.99.1/16", route_info(two.nh1, metric=3), handle=route).status

    def test_update_by_handle_with_another_address(self, two: Two) -> None:
        """A handle with a DestAddress of another destination is ERROR_INVALID_PARAMETER (V2-A-match-add (a))."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        assert (ERROR_INVALID_PARAMETER, None, None) == add_call(
            two, "10.2.0.0/16", route_info(two.nh1, metric=3), handle=route
        )
        assert 1 == read_route(two.rtm, two.rip, route).PrefInfo.Metric

    def test_update_of_another_entitys_route_is_denied(self, two: Two) -> None:
        """A handle of another entity's route is ERROR_ACCESS_DENIED (V2-6.5, V2-A-match-add (b))."""
        theirs, _ = add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh))
        assert (ERROR_ACCESS_DENIED, None, None) == add_call(two, None, route_info(None), handle=theirs)

    def test_update_of_a_deleted_route_is_invalid(self, two: Two) -> None:
        """A handle of a deleted route is ERROR_INVALID_HANDLE (V2-A-match-add (c)); nothing is re-created."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        two.rtm.RtmReferenceHandles(two.rip, 1, [route])
        two.rtm.RtmDeleteRouteToDest(two.rip, route)
        assert (ERROR_INVALID_HANDLE, None, None) == add_call(two, None, route_info(two.nh1), handle=route)
        assert 0 == two.rtm.statistics()["routes"]

    @pytest.mark.parametrize("where", ["Neighbour", "NextHops"])
    def test_next_hops_must_be_the_callers(self, two: Two, where: str) -> None:
        """A route may only use its owner's next hops (V2-2.4, V2-A-match-add (e)): ERROR_INVALID_PARAMETER."""
        info = route_info(two.nh1)
        if where == "Neighbour":
            info.Neighbour = two.other_nh
        else:
            info.NextHopsList = RTM_NEXTHOP_LIST(NextHops=[two.nh1, two.other_nh])
        assert (ERROR_INVALID_PARAMETER, None, None) == add_call(two, "10.1.0.0/16", info)
        assert 0 == two.rtm.statistics()["routes"]

    def test_max_next_hops(self, two: Two) -> None:
        """Up to MaxNextHopsInRoute (3) next hops are accepted; more is ERROR_INVALID_PARAMETER (V2-2.4,
        V2-A-match-add (e))."""
        nh3 = add_nexthop(two.rtm, two.rip, "192.0.2.9", 3)
        nh4 = add_nexthop(two.rtm, two.rip, "192.0.2.10", 4)
        three = route_info(two.nh1, nexthops=[two.nh1, two.nh2, nh3])
        four = route_info(two.nh1, nexthops=[two.nh1, two.nh2, nh3, nh4])
        assert (ERROR_INVALID_PARAMETER, None, None) == add_call(two, "10.1.0.0/16", four)
        assert NO_ERROR == add_call(two, "10.1.0.0/16", three).status

    def test_views_zero_is_accepted_but_never_best(self, two: Two) -> None:
        """BelongsToViews 0 is accepted: the route exists but is best nowhere and counted in no view
        (V2-A-views0)."""
        route, flags = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, views=0))
        assert RTM_ROUTE_CHANGE_NEW == flags
        assert 0 == best_in(two.rtm, two.rip, route)
        assert [0, 0] == [v.NumRoutes for v in read_exact(two.rtm, two.rip, "10.1.0.0/16").ViewInfo]

    def test_unsupported_view_is_invalid(self, two: Two) -> None:
        """BelongsToViews naming a view the table does not support is ERROR_INVALID_PARAMETER (V2-A-views0)."""
        assert (ERROR_INVALID_PARAMETER, None, None) == add_call(two, "10.1.0.0/16", route_info(two.nh1, views=0x4))

    def test_route_info_is_copied(self, two: Two) -> None:
        """Mutating the RouteInfo (or the address) passed in afterwards changes nothing (binding rule 6)."""
        info = route_info(two.nh1, metric=4)
        address = net_address("10.1.0.0/16")
        status, route, _ = two.rtm.RtmAddRouteToDest(two.rip, None, address, info, INFINITE, None, 0, None, 0)
        assert route is not None
        info.PrefInfo.Metric = 99
        info.NextHopsList.NextHops.append(two.nh2)
        address.NumBits = 8
        assert NO_ERROR == status
        stored = read_route(two.rtm, two.rip, route)
        assert (4, [two.nh1]) == (stored.PrefInfo.Metric, stored.NextHopsList.NextHops)
        assert net_address("10.1.0.0/16") == read_exact(two.rtm, two.rip, "10.1.0.0/16").DestAddress

    def test_rtm_references_the_next_hops(self, two: Two) -> None:
        """RTM takes its own references on the route's next hops (V2-6.5): after the caller releases its
        next-hop handle, the route still uses a live next hop."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        assert NO_ERROR == two.rtm.RtmReleaseNextHops(two.rip, 1, [two.nh1]).status
        assert [two.nh1] == read_route(two.rtm, two.rip, route).NextHopsList.NextHops
        assert NO_ERROR == two.rtm.RtmGetNextHopInfo(two.rip, two.nh1).status


class TestRtmDeleteRouteToDest:
    def test_deletes_and_consumes_the_handle(self, two: Two) -> None:
        """The route is deleted and the handle passed in is released by the call (V2-6.5, V2-2.13): releasing it
        again is ERROR_INVALID_HANDLE, and the freed route's handle is invalid."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        before = open_handles(two.rtm)
        assert (NO_ERROR, RTM_ROUTE_CHANGE_BEST) == two.rtm.RtmDeleteRouteToDest(two.rip, route)
        assert before - 1 == open_handles(two.rtm)
        assert (ERROR_INVALID_HANDLE,) == two.rtm.RtmReleaseRoutes(two.rip, 1, [route])
        assert ERROR_INVALID_HANDLE == two.rtm.RtmGetRouteInfo(two.rip, route).status
        assert 0 == two.rtm.statistics()["routes"]

    def test_last_route_removes_the_destination(self, two: Two) -> None:
        """A destination whose last route is deleted leaves the table (V2-A-dest-lifetime)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        two.rtm.RtmDeleteRouteToDest(two.rip, route)
        assert 0 == two.rtm.statistics()["destinations"]
        assert (ERROR_NOT_FOUND, None) == two.rtm.RtmGetExactMatchDestination(
            two.rip, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST
        )

    def test_deleting_a_worse_route_is_not_best(self, two: Two) -> None:
        """Deleting a route that is not best leaves the best route: ChangeFlags 0 (V2-6.5)."""
        add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=1))
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5))
        assert (NO_ERROR, 0) == two.rtm.RtmDeleteRouteToDest(two.rip, route)

    def test_deleting_the_best_route_promotes_the_next(self, two: Two) -> None:
        """Deleting the best route: BEST, and the next route by (Preference, Metric) becomes best (V2-2.6)."""
        ospf_route, _ = add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=5))
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=1))
        assert (NO_ERROR, RTM_ROUTE_CHANGE_BEST) == two.rtm.RtmDeleteRouteToDest(two.rip, route)
        assert RTM_VIEW_MASK_UCAST == best_in(two.rtm, two.ospf, ospf_route)

    def test_another_entitys_route_is_denied(self, two: Two) -> None:
        """Only the owner deletes its route: ERROR_ACCESS_DENIED (V2-6.5)."""
        theirs, _ = add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh))
        two.rtm.RtmReferenceHandles(two.rip, 1, [theirs])
        assert (ERROR_ACCESS_DENIED, None) == two.rtm.RtmDeleteRouteToDest(two.rip, theirs)
        assert 1 == two.rtm.statistics()["routes"]

    def test_already_deleted_is_not_found_and_not_consumed(self, two: Two) -> None:
        """Deleting a route already deleted gives ERROR_NOT_FOUND and the handle stays held (V2-A-delete)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        two.rtm.RtmReferenceHandles(two.rip, 1, [route])
        two.rtm.RtmDeleteRouteToDest(two.rip, route)
        before = open_handles(two.rtm)
        assert (ERROR_NOT_FOUND, None) == two.rtm.RtmDeleteRouteToDest(two.rip, route)
        assert before == open_handles(two.rtm)
        assert NO_ERROR == two.rtm.RtmReleaseRoutes(two.rip, 1, [route]).status

    def test_deleted_route_stays_readable_while_held(self, two: Two) -> None:
        """A deleted route whose handle is still held reads as RTM_ROUTE_STATE_DELETED with its last values
        (V2-2.4, V2-2.13); after the last release it is freed."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=4))
        two.rtm.RtmReferenceHandles(two.ospf, 1, [route])
        two.rtm.RtmDeleteRouteToDest(two.rip, route)
        info = read_route(two.rtm, two.ospf, route)
        assert (RTM_ROUTE_STATE_DELETED, 4, two.rip) == (info.State, info.PrefInfo.Metric, info.RouteOwner)
        assert 0 == best_in(two.rtm, two.ospf, route)
        two.rtm.RtmReleaseRoutes(two.ospf, 1, [route])
        assert ERROR_INVALID_HANDLE == two.rtm.RtmGetRouteInfo(two.ospf, route).status


class TestRtmGetRouteInfo:
    def test_returns_record_and_address(self, two: Two) -> None:
        """A copy of the route record and the destination's address (V2-6.4)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=3, views=BOTH))
        status, info, address = two.rtm.RtmGetRouteInfo(two.rip, route)
        assert (NO_ERROR, net_address("10.1.0.0/16")) == (status, address)
        assert info is not None
        assert (two.rip, two.nh1, 3, BOTH) == (
            info.RouteOwner,
            info.Neighbour,
            info.PrefInfo.Metric,
            info.BelongsToViews,
        )
        assert RTM_NEXTHOP_LIST(1, [two.nh1]) == info.NextHopsList

    def test_any_caller_may_read(self, two: Two) -> None:
        """Another entity can read the route (V2-6.4: route information is not owner-only)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        assert two.rip == read_route(two.rtm, two.ospf, route).RouteOwner

    def test_handles_inside_are_referenced(self, two: Two) -> None:
        """DestHandle, RouteOwner, Neighbour and each next hop carry a reference until RtmReleaseRouteInfo
        (V2-2.13)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, nexthops=[two.nh1, two.nh2]))
        before = open_handles(two.rtm)
        info = two.rtm.RtmGetRouteInfo(two.ospf, route).RouteInfo
        assert info is not None
        assert before + 5 == open_handles(two.rtm)
        assert (NO_ERROR,) == two.rtm.RtmReleaseRouteInfo(two.ospf, info)
        assert before == open_handles(two.rtm)

    def test_is_a_fresh_copy(self, two: Two) -> None:
        """Mutating the returned structure changes nothing (binding rule 6)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=3))
        info = read_route(two.rtm, two.rip, route)
        info.PrefInfo.Metric = 0
        info.NextHopsList.NextHops.clear()
        again = read_route(two.rtm, two.rip, route)
        assert (3, [two.nh1]) == (again.PrefInfo.Metric, again.NextHopsList.NextHops)
        assert RTM_VIEW_MASK_UCAST == best_in(two.rtm, two.rip, route)


class TestRtmReleaseRouteInfo:
    def test_second_release_is_invalid(self, two: Two) -> None:
        """A route information structure is released once; again is ERROR_INVALID_HANDLE (V2-A-refs)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        info = two.rtm.RtmGetRouteInfo(two.rip, route).RouteInfo
        assert info is not None
        before = open_handles(two.rtm)
        assert (NO_ERROR,) == two.rtm.RtmReleaseRouteInfo(two.rip, info)
        assert (ERROR_INVALID_HANDLE,) == two.rtm.RtmReleaseRouteInfo(two.rip, info)
        assert before - 4 == open_handles(two.rtm)

    def test_count_must_match(self, two: Two) -> None:
        """NumNextHops must equal the list's length: ERROR_INVALID_PARAMETER, nothing released."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        info = two.rtm.RtmGetRouteInfo(two.rip, route).RouteInfo
        assert info is not None
        before = open_handles(two.rtm)
        info.NextHopsList.NumNextHops = 2
        assert (ERROR_INVALID_PARAMETER,) == two.rtm.RtmReleaseRouteInfo(two.rip, info)
        assert before == open_handles(two.rtm)


class TestRtmReleaseRoutes:
    def test_releases_each_listed_reference(self, two: Two) -> None:
        """One reference per listed route handle (V2-6.8)."""
        one, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        other, _ = add(two.rtm, two.rip, "10.2.0.0/16", route_info(two.nh1))
        before = open_handles(two.rtm)
        assert (NO_ERROR,) == two.rtm.RtmReleaseRoutes(two.rip, 2, [one, other])
        assert before - 2 == open_handles(two.rtm)

    def test_another_entitys_reference_is_not_the_callers(self, two: Two) -> None:
        """References are per (entity, object) (V2-A-refs): releasing a route held only by another entity is
        ERROR_INVALID_HANDLE and leaves that entity's reference in place."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        assert (ERROR_INVALID_HANDLE,) == two.rtm.RtmReleaseRoutes(two.ospf, 1, [route])
        assert NO_ERROR == two.rtm.RtmReleaseRoutes(two.rip, 1, [route]).status

    def test_all_or_nothing(self, two: Two) -> None:
        """A list with one handle too many releases nothing (V2-A-refs)."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        before = open_handles(two.rtm)
        assert (ERROR_INVALID_HANDLE,) == two.rtm.RtmReleaseRoutes(two.rip, 2, [route, route])
        assert before == open_handles(two.rtm)


class TestRtmIsBestRoute:
    def test_best_in_each_view(self, two: Two) -> None:
        """The mask of views in which the route is best (V2-2.6, V2-6.6)."""
        both, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5, views=BOTH))
        assert BOTH == best_in(two.rtm, two.rip, both)
        ucast, _ = add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=1))
        assert (RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_UCAST) == (
            best_in(two.rtm, two.rip, both),
            best_in(two.rtm, two.rip, ucast),
        )

    def test_not_best_anywhere(self, two: Two) -> None:
        """A route beaten in all its views is best nowhere: 0."""
        add(two.rtm, two.ospf, "10.1.0.0/16", route_info(two.other_nh, metric=1))
        worse, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1, metric=5))
        assert (NO_ERROR, 0) == two.rtm.RtmIsBestRoute(two.rip, worse)

    def test_deleted_route_is_best_nowhere(self, two: Two) -> None:
        """A deleted route still held is best in no view."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        two.rtm.RtmReferenceHandles(two.rip, 1, [route])
        two.rtm.RtmDeleteRouteToDest(two.rip, route)
        assert (NO_ERROR, 0) == two.rtm.RtmIsBestRoute(two.rip, route)

    def test_uses_no_reference(self, two: Two) -> None:
        """RtmIsBestRoute hands out no handle, so it takes no reference."""
        route, _ = add(two.rtm, two.rip, "10.1.0.0/16", route_info(two.nh1))
        before = open_handles(two.rtm)
        two.rtm.RtmIsBestRoute(two.ospf, route)
        assert before == open_handles(two.rtm)
