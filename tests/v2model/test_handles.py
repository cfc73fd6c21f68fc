"""Handles and reference accounting (M-BINDING-5 to M-BINDING-7, V2-2.13, V2-A-refs, V2-A-dest-lifetime): opaque
handles with readable reprs, per-(entity, object) references, all-or-nothing releases, objects freed when deleted
and unreferenced, and fresh copies in both directions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    INFINITE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_MATCH_OWNER,
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_INFO,
    RTM_ROUTE_STATE_DELETED,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    net_address,
)

from .matrix_support import add, add_nexthop, exact, open_handles, read_route, register_in
from .support import route_info


@attrs.define
class Pair:
    """RIP with a next hop and a route to 10.1.0.0/16; OSPF with nothing."""

    rtm: RoutingTableManager
    rip: v2model.Entity
    ospf: v2model.Entity
    nh: v2model.NextHop
    route: v2model.Route


@pytest.fixture
def pair(rtm: RoutingTableManager) -> Pair:
    """RIP's route and next hop (RIP holds one reference to each)."""
    rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
    nh = add_nexthop(rtm, rip, "192.0.2.1", 7)
    route, _ = add(rtm, rip, "10.1.0.0/16", route_info(nh))
    return Pair(rtm, rip, ospf, nh, route)


def holdings(rtm: RoutingTableManager, ent: v2model.Entity) -> dict[str, int]:
    """The references an entity holds, by handle name (from the leak report)."""
    record = rtm.leak_report().for_entity(repr(ent))
    return {} if record is None else dict(record.handles)


class TestHandleObjects:
    def test_reprs_are_readable(self, pair: Pair) -> None:
        """Every handle is an opaque object with a readable repr naming what it is (binding rule 7)."""
        dest = exact(pair.rtm, pair.rip, "10.1.0.0/16").DestHandle
        assert re.fullmatch(r"<entity RIP#\d+>", repr(pair.rip))
        assert re.fullmatch(r"<nexthop 192\.0\.2\.1/32%7 RIP#\d+>", repr(pair.nh))
        assert re.fullmatch(r"<route 10\.1\.0\.0/16 RIP#\d+>", repr(pair.route))
        assert re.fullmatch(r"<dest 10\.1\.0\.0/16#\d+>", repr(dest))

    def test_handles_are_not_integers(self, pair: Pair) -> None:
        """Handles are objects, never integers (binding rule 7)."""
        assert not any(isinstance(h, int) for h in (pair.rip, pair.nh, pair.route))

    def test_handles_are_never_reused(self, pair: Pair) -> None:
        """A handle is never reused after it is invalidated: the same prefix, owner and neighbour later give a new
        object with a new name (binding rule 7)."""
        old = pair.route
        pair.rtm.RtmDeleteRouteToDest(pair.rip, old)
        new, _ = add(pair.rtm, pair.rip, "10.1.0.0/16", route_info(pair.nh))
        assert new is not old
        assert repr(new) != repr(old).removesuffix(" (invalid)>") + ">"
        assert ERROR_INVALID_HANDLE == pair.rtm.RtmGetRouteInfo(pair.rip, old).status

    def test_invalid_handles_say_so(self, pair: Pair) -> None:
        """An invalidated handle's repr ends with "(invalid)"."""
        pair.rtm.RtmDeleteRouteToDest(pair.rip, pair.route)
        assert repr(pair.route).endswith(" (invalid)>")


class TestReferences:
    def test_references_are_per_entity(self, pair: Pair) -> None:
        """References are counted per (entity, object) (V2-A-refs): each entity releases its own."""
        pair.rtm.RtmReferenceHandles(pair.ospf, 2, [pair.route, pair.route])
        assert 2 == holdings(pair.rtm, pair.ospf)[repr(pair.route)]
        assert 1 == holdings(pair.rtm, pair.rip)[repr(pair.route)]
        assert NO_ERROR == pair.rtm.RtmReleaseRoutes(pair.ospf, 2, [pair.route, pair.route]).status
        assert ERROR_INVALID_HANDLE == pair.rtm.RtmReleaseRoutes(pair.ospf, 1, [pair.route]).status
        assert NO_ERROR == pair.rtm.RtmReleaseRoutes(pair.rip, 1, [pair.route]).status

    @pytest.mark.parametrize("kind", ["route", "nexthop", "entity"])
    def test_release_of_what_is_not_held(self, pair: Pair, kind: str) -> None:
        """Releasing a handle the caller does not hold is ERROR_INVALID_HANDLE, and the listed handles it does
        hold are not released either (V2-A-refs, all or nothing)."""
        rtm = pair.rtm
        rtm.RtmGetRegisteredEntities(pair.rip, 5)  # RIP holds both entities once
        release: dict[str, Callable[[list[Any]], Any]] = {
            "route": lambda hs: rtm.RtmReleaseRoutes(pair.rip, len(hs), hs),
            "nexthop": lambda hs: rtm.RtmReleaseNextHops(pair.rip, len(hs), hs),
            "entity": lambda hs: rtm.RtmReleaseEntities(pair.rip, len(hs), hs),
        }
        held = {"route": pair.route, "nexthop": pair.nh, "entity": pair.ospf}[kind]
        before = holdings(rtm, pair.rip)
        assert (ERROR_INVALID_HANDLE,) == release[kind]([held, held])
        assert before == holdings(rtm, pair.rip)

    def test_release_with_a_handle_of_the_wrong_kind(self, pair: Pair) -> None:
        """A release function given a held handle of another kind is ERROR_INVALID_HANDLE (V2-A-refs)."""
        before = open_handles(pair.rtm)
        wrong: list[Any] = [pair.nh]
        assert (ERROR_INVALID_HANDLE,) == pair.rtm.RtmReleaseRoutes(pair.rip, 1, wrong)
        assert before == open_handles(pair.rtm)

    def test_information_structures_reference_their_handles(self, pair: Pair) -> None:
        """Every handle inside an information structure is referenced for the caller (V2-2.13)."""
        info = exact(pair.rtm, pair.ospf, "10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        assert {repr(info.DestHandle): 1, repr(pair.route): 1, repr(pair.rip): 1} == holdings(pair.rtm, pair.ospf)
        pair.rtm.RtmReleaseDestInfo(pair.ospf, info)
        assert {} == holdings(pair.rtm, pair.ospf)

    def test_everything_released_leaves_nothing(self, pair: Pair) -> None:
        """The add sample's clean-up, then deletes and deregistration, leave no reference, no object and an empty
        leak report (V2-7, V2-2.15)."""
        rtm = pair.rtm
        assert NO_ERROR == rtm.RtmReleaseRoutes(pair.rip, 1, [pair.route]).status
        assert NO_ERROR == rtm.RtmReleaseNextHops(pair.rip, 1, [pair.nh]).status
        status, info, route = rtm.RtmGetExactMatchRoute(
            pair.rip, net_address("10.1.0.0/16"), RTM_MATCH_OWNER, RTM_ROUTE_INFO(RouteOwner=pair.rip), 0, 0
        )
        assert (NO_ERROR, pair.route) == (status, route)
        assert info is not None
        assert NO_ERROR == rtm.RtmReleaseRouteInfo(pair.rip, info).status
        assert NO_ERROR == rtm.RtmDeleteRouteToDest(pair.rip, pair.route).status
        nh_info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=7)
        assert NO_ERROR == rtm.RtmDeleteNextHop(pair.rip, None, nh_info).status
        for ent in (pair.rip, pair.ospf):
            assert NO_ERROR == rtm.RtmDeregisterEntity(ent).status
        stats = rtm.statistics()
        assert (0, 0, 0, 0, 0) == tuple(
            stats[k] for k in ("entities", "destinations", "routes", "next_hops", "open_handles")
        )
        assert rtm.leak_report().empty


class TestObjectLifetime:
    def test_deleted_route_is_readable_while_held(self, pair: Pair) -> None:
        """A deleted route whose handle is still held stays readable with State RTM_ROUTE_STATE_DELETED; its
        destination, though gone from the table, is still named (V2-2.4, V2-2.13)."""
        info = exact(pair.rtm, pair.ospf, "10.1.0.0/16")
        pair.rtm.RtmDeleteRouteToDest(pair.rip, pair.route)
        route_info_now = read_route(pair.rtm, pair.ospf, pair.route)
        assert (RTM_ROUTE_STATE_DELETED, info.DestHandle) == (route_info_now.State, route_info_now.DestHandle)

    def test_route_is_freed_at_the_last_release(self, pair: Pair) -> None:
        """Deleted and unreferenced: the route is freed and its handle is ERROR_INVALID_HANDLE everywhere
        (V2-A-refs)."""
        info = exact(pair.rtm, pair.ospf, "10.1.0.0/16")
        pair.rtm.RtmDeleteRouteToDest(pair.rip, pair.route)
        assert RTM_ROUTE_STATE_DELETED == read_route(pair.rtm, pair.ospf, pair.route).State
        pair.rtm.RtmReleaseDestInfo(pair.ospf, info)
        assert (ERROR_INVALID_HANDLE, None, None) == pair.rtm.RtmGetRouteInfo(pair.ospf, pair.route)
        assert (ERROR_INVALID_HANDLE, None) == pair.rtm.RtmIsBestRoute(pair.ospf, pair.route)
        assert (ERROR_INVALID_HANDLE,) == pair.rtm.RtmReferenceHandles(pair.ospf, 1, [pair.route])

    def test_destination_is_freed_with_its_last_reference(self, pair: Pair) -> None:
        """A destination that left the table lives while referenced (its routes' references included) and is
        freed after (V2-A-dest-lifetime)."""
        info = exact(pair.rtm, pair.ospf, "10.1.0.0/16")
        dest = info.DestHandle
        pair.rtm.RtmDeleteRouteToDest(pair.rip, pair.route)
        status, again = pair.rtm.RtmGetDestInfo(pair.ospf, dest, 0, RTM_VIEW_MASK_ALL)
        assert NO_ERROR == status
        assert again is not None
        pair.rtm.RtmReleaseDestInfo(pair.ospf, again)
        pair.rtm.RtmReleaseDestInfo(pair.ospf, info)
        assert (ERROR_INVALID_HANDLE, None) == pair.rtm.RtmGetDestInfo(pair.ospf, dest, 0, RTM_VIEW_MASK_ALL)

    def test_live_objects_survive_release(self, pair: Pair) -> None:
        """Releasing every reference to a live route does not free it: the table itself keeps it (V2-2.13)."""
        pair.rtm.RtmReleaseRoutes(pair.rip, 1, [pair.route])
        assert repr(pair.route) not in holdings(pair.rtm, pair.rip)
        assert pair.route == exact(pair.rtm, pair.ospf, "10.1.0.0/16").ViewInfo[0].Route

    def test_deregistered_entity_handle_is_dead(self, pair: Pair) -> None:
        """A deregistered entity's handle is ERROR_INVALID_HANDLE as a caller and as an argument (V2-A-dereg)."""
        pair.rtm.RtmDeregisterEntity(pair.ospf)
        assert (ERROR_INVALID_HANDLE, None) == pair.rtm.RtmGetEntityInfo(pair.rip, pair.ospf)
        assert (ERROR_INVALID_HANDLE, None, None) == pair.rtm.RtmGetRouteInfo(pair.ospf, pair.route)


class TestCopies:
    @pytest.mark.parametrize("getter", ["dest", "route", "nexthop", "entity"])
    def test_each_call_returns_a_fresh_structure(self, pair: Pair, getter: str) -> None:
        """Two reads return equal but distinct structures, nested parts included (binding rule 6)."""
        rtm = pair.rtm
        reads: dict[str, Callable[[], Any]] = {
            "dest": lambda: rtm.RtmGetExactMatchDestination(pair.ospf, net_address("10.1.0.0/16"), 0, 3)[1],
            "route": lambda: rtm.RtmGetRouteInfo(pair.ospf, pair.route)[1],
            "nexthop": lambda: rtm.RtmGetNextHopInfo(pair.ospf, pair.nh)[1],
            "entity": lambda: rtm.RtmGetEntityInfo(pair.ospf, pair.rip)[1],
        }
        one, two = reads[getter](), reads[getter]()
        assert one == two
        assert one is not two
        for field in attrs.fields(type(one)):
            value = getattr(one, field.name)
            if isinstance(value, list) or attrs.has(type(value)):
                assert value is not getattr(two, field.name)

    def test_mutating_returned_structures_changes_nothing(self, pair: Pair) -> None:
        """Scribbling over every returned structure leaves the table as it was (binding rule 6)."""
        rtm = pair.rtm
        before = (exact(rtm, pair.ospf, "10.1.0.0/16"), read_route(rtm, pair.ospf, pair.route))
        dest_info, r_info = exact(rtm, pair.ospf, "10.1.0.0/16"), read_route(rtm, pair.ospf, pair.route)
        dest_info.ViewInfo[0].Route = None
        dest_info.ViewInfo.clear()
        dest_info.BelongsToViews = 0
        r_info.PrefInfo.Preference = 99
        r_info.NextHopsList.NextHops.clear()
        r_info.State = RTM_ROUTE_STATE_DELETED
        assert before == (exact(rtm, pair.ospf, "10.1.0.0/16"), read_route(rtm, pair.ospf, pair.route))

    def test_structures_passed_in_are_not_kept(self, pair: Pair) -> None:
        """A RouteInfo passed to RtmAddRouteToDest is not kept: changing it, or its next-hop list, afterwards does
        not change the route (binding rule 6)."""
        info = route_info(pair.nh, metric=3)
        hops = info.NextHopsList.NextHops
        status, route, _ = pair.rtm.RtmAddRouteToDest(
            pair.rip, None, net_address("10.2.0.0/16"), info, INFINITE, None, 0, None, 0
        )
        assert NO_ERROR == status
        assert route is not None
        hops.clear()
        info.PrefInfo = v2model.RTM_PREF_INFO(Metric=0)
        stored = read_route(pair.rtm, pair.rip, route)
        assert ([pair.nh], 3) == (stored.NextHopsList.NextHops, stored.PrefInfo.Metric)
