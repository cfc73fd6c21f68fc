"""The registration handle is the only key that acts as an entity (M-ENTITY-KEY).

Everything that names an entity to the others (RtmGetRegisteredEntities, Context1 of RTM_ENTITY_REGISTERED and
DEREGISTERED, RouteOwner, NextHopOwner, ViewInfo.Owner) is the entity's public handle: valid wherever an entity
is named, ERROR_INVALID_HANDLE as a caller. Both compare equal, as in C where they are one RTM_ENTITY_HANDLE."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_ENTITY_REGISTERED,
    RTM_ENUM_START,
    RTM_MATCH_OWNER,
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import Recorder, enum_routes, loose, some, table_state
from .support import add_route, nexthop, register, route_info


def shown_handles(rtm: v2model.RoutingTableManager, ospf: v2model.Entity, rip: v2model.Entity) -> dict[str, Any]:
    """Every handle of RIP that OSPF is shown, by where it came from (OSPF keeps the structures and references)."""
    shown: dict[str, Any] = {}
    statuses = []
    status, _, handles, _ = rtm.RtmGetRegisteredEntities(ospf, 10)
    statuses.append(status)
    shown["RtmGetRegisteredEntities"] = next(h for h in some(handles) if h == rip)
    status, info = rtm.RtmGetExactMatchDestination(ospf, net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, 1)
    statuses.append(status)
    shown["ViewInfo.Owner"] = some(info).ViewInfo[0].Owner
    status, route_info_, _ = rtm.RtmGetRouteInfo(ospf, some(info).ViewInfo[0].Route)
    statuses.append(status)
    shown["RouteOwner"] = some(route_info_).RouteOwner
    status, nh_info = rtm.RtmGetNextHopInfo(ospf, some(route_info_).NextHopsList.NextHops[0])
    statuses.append(status)
    shown["NextHopOwner"] = some(nh_info).NextHopOwner
    assert [NO_ERROR] * 4 == statuses
    return shown


@pytest.fixture
def pair(rtm: v2model.RoutingTableManager) -> tuple[v2model.Entity, v2model.Entity, Recorder]:
    """OSPF (recording its events) registered first, then RIP with a next hop and a route to 10.1.0.0/16."""
    events = Recorder()
    ospf = register(rtm, PROTO_IP_OSPF, callback=events)
    rip = register(rtm, PROTO_IP_RIP)
    nh = nexthop(rtm, rip, "192.0.2.1", 1)
    add_route(rtm, rip, "10.1.0.0/16", route_info(nh))
    return ospf, rip, events


SOURCES = ["RtmGetRegisteredEntities", "ViewInfo.Owner", "RouteOwner", "NextHopOwner", "Context1"]


def handle_from(rtm: v2model.RoutingTableManager, pair: Any, source: str) -> Any:
    ospf, rip, events = pair
    if source == "Context1":
        return events.of(RTM_ENTITY_REGISTERED)[0].context1
    return shown_handles(rtm, ospf, rip)[source]


class TestShownHandlesCannotAct:
    @pytest.mark.parametrize("source", SOURCES)
    def test_cannot_deregister_or_delete(self, rtm: v2model.RoutingTableManager, pair: Any, source: str) -> None:
        """An entity shown RIP's handle cannot deregister RIP, delete its routes or next hops, or add routes as RIP
        with it: ERROR_INVALID_HANDLE and the table unchanged (M-ENTITY-KEY)."""
        ospf, rip, _ = pair
        shown = loose(handle_from(rtm, pair, source))
        before = table_state(rtm, ospf)
        _status, enum = rtm.RtmCreateRouteEnum(ospf, None, RTM_VIEW_MASK_ANY, RTM_ENUM_START)
        _, _, routes = rtm.RtmGetEnumRoutes(ospf, enum, 10)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        statuses = [
            rtm.RtmDeregisterEntity(shown).status,
            rtm.RtmDeleteRouteToDest(shown, some(routes)[0]).status,
            rtm.RtmDeleteNextHop(shown, None, RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"))).status,
            rtm.RtmAddRouteToDest(shown, None, net_address("10.2.0.0/16"), route_info(nh)).status,
        ]
        rtm.RtmReleaseRoutes(ospf, len(some(routes)), some(routes))
        rtm.RtmDeleteEnumHandle(ospf, enum)
        rtm.RtmReleaseNextHops(rip, 1, [nh])
        assert ([ERROR_INVALID_HANDLE] * 4, before) == (statuses, table_state(rtm, ospf))


class TestShownHandlesName:
    @pytest.mark.parametrize("source", SOURCES)
    def test_equal_to_the_registration_handle(self, rtm: v2model.RoutingTableManager, pair: Any, source: str) -> None:
        """The shown handle and RIP's registration handle compare equal, hash alike and read alike, as C ports
        compare them (``if (Owner == MyRegHandle)``) (M-ENTITY-KEY)."""
        _, rip, _ = pair
        shown = handle_from(rtm, pair, source)
        assert (True, False, True, repr(rip)) == (shown == rip, shown != rip, hash(shown) == hash(rip), repr(shown))
        assert type(shown) is v2model.EntityHandle

    @pytest.mark.parametrize("source", SOURCES)
    def test_valid_where_an_entity_is_named(self, rtm: v2model.RoutingTableManager, pair: Any, source: str) -> None:
        """RtmGetEntityInfo, RtmGetEntityMethods, RtmReferenceHandles / RtmReleaseEntities and a criteria route
        accept the shown handle (M-ENTITY-KEY)."""
        ospf, _rip, _ = pair
        shown = handle_from(rtm, pair, source)
        status, info = rtm.RtmGetEntityInfo(ospf, shown)
        statuses = [
            status,
            rtm.RtmReleaseEntityInfo(ospf, some(info)).status,
            rtm.RtmGetEntityMethods(ospf, shown, 0).status,
            rtm.RtmReferenceHandles(ospf, 1, [shown]).status,
            rtm.RtmReleaseEntities(ospf, 1, [shown]).status,
        ]
        criteria = RTM_ROUTE_INFO(RouteOwner=shown)
        owned = enum_routes(rtm, ospf, matching=RTM_MATCH_OWNER, criteria=criteria)
        assert ([NO_ERROR] * 5, PROTO_IP_RIP, ["10.1.0.0/16"]) == (
            statuses,
            some(info).EntityId.EntityProtocolId,
            [r.prefix for r in owned],
        )

    def test_registration_handle_also_names(self, rtm: v2model.RoutingTableManager, pair: Any) -> None:
        """The registration handle stays accepted where an entity is named: another entity may pass it to
        RtmGetEntityInfo and RtmReferenceHandles / RtmReleaseEntities (M-ENTITY-KEY)."""
        ospf, rip, _ = pair
        status, info = rtm.RtmGetEntityInfo(ospf, rip)
        assert (NO_ERROR, NO_ERROR, NO_ERROR) == (
            status,
            rtm.RtmReferenceHandles(ospf, 1, [rip]).status,
            rtm.RtmReleaseEntities(ospf, 1, [rip]).status,
        )
        rtm.RtmReleaseEntityInfo(ospf, some(info))

    def test_copy_of_a_shown_handle_is_invalid(self, rtm: v2model.RoutingTableManager, pair: Any) -> None:
        """A copy of a shown handle still compares equal (it names the same entity) but is no handle: it cannot
        release the reference the original carries (M-HANDLES)."""
        ospf, rip, _ = pair
        shown = shown_handles(rtm, ospf, rip)["RtmGetRegisteredEntities"]
        assert ERROR_INVALID_HANDLE == rtm.RtmReleaseEntities(ospf, 1, [copy.copy(shown)]).status
        rtm.check_invariants()


class TestMethodCallers:
    def test_callee_cannot_act_as_the_caller(self, rtm: v2model.RoutingTableManager) -> None:
        """An exported method gets the caller's public handle: using it as a registration handle fails
        (M-ENTITY-KEY)."""
        tried: list[int] = []

        def method(caller: Any, callee: Any, given: Any, output: Any) -> None:
            tried.append(rtm.RtmDeregisterEntity(caller).status)

        methods = v2model.RTM_ENTITY_EXPORT_METHODS(NumMethods=1, Methods=[method])
        ospf = register(rtm, PROTO_IP_OSPF, methods=methods)
        rip = register(rtm, PROTO_IP_RIP)
        status, _, _ = rtm.RtmInvokeMethod(rip, ospf, v2model.RTM_ENTITY_METHOD_INPUT(MethodType=1), 100)
        assert (NO_ERROR, [ERROR_INVALID_HANDLE]) == (status, tried)
        assert 2 == rtm.statistics().entities


class TestViewInfoOwnerComparison:
    def test_owner_equals_my_registration_handle(self, rtm: v2model.RoutingTableManager) -> None:
        """``DestInfo.ViewInfo[0].Owner == MyRegHandle`` holds for the owner of the best route, as in C ports."""
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        add_route(rtm, rip, "10.1.0.0/16", route_info(nh))
        status, info = rtm.RtmGetExactMatchDestination(rip, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        assert (NO_ERROR, True) == (status, some(info).ViewInfo[0].Owner == rip)
        rtm.RtmReleaseDestInfo(rip, some(info))
