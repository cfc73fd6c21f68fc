"""``v2model.NULL`` (M-NULL): the C NULL pointer for the in/out handle parameters of RtmAddRouteToDest and
RtmAddNextHop. NULL: no handle wanted, none returned, no reference taken; None: a pointer to a NULL handle, so a
new referenced handle is returned. NULL is also accepted wherever an optional handle may be None."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    NO_ERROR,
    NULL,
    PROTO_IP_RIP,
    RTM_BLOCK_METHODS,
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_CHANGE_NEW,
    RTM_VIEW_MASK_ANY,
    net_address,
)

from .scenario_support import loose, some
from .support import nexthop, register, route_info


@pytest.fixture
def rip(rtm: v2model.RoutingTableManager) -> v2model.Entity:
    return register(rtm, PROTO_IP_RIP)


class TestAddRouteToDest:
    def test_null_route_handle_returns_none_and_holds_nothing(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity
    ) -> None:
        """RouteHandle NULL: the route is added, no handle comes back and no reference is held, so the leak report
        stays clean once the next hop is released (M-NULL)."""
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        status, handle, flags = rtm.RtmAddRouteToDest(rip, NULL, net_address("10.1.0.0/16"), route_info(nh))
        rtm.RtmReleaseNextHops(rip, 1, [nh])
        new = some(flags) & RTM_ROUTE_CHANGE_NEW
        assert (NO_ERROR, None, RTM_ROUTE_CHANGE_NEW, 1) == (status, handle, new, rtm.statistics().routes)
        assert 0 == rtm.statistics().open_handles

    def test_none_route_handle_returns_a_referenced_handle(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity
    ) -> None:
        """RouteHandle None (a pointer to a NULL handle): a new handle comes back with a reference (M-NULL)."""
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        status, handle, _ = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh))
        assert (NO_ERROR, True, 2) == (status, type(handle) is v2model.Route, rtm.statistics().open_handles)

    def test_null_for_the_other_optional_handles(self, rtm: v2model.RoutingTableManager, rip: v2model.Entity) -> None:
        """RouteListHandle and NotifyHandle NULL mean none, as None does (M-NULL)."""
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        status, _, _ = rtm.RtmAddRouteToDest(rip, NULL, net_address("10.1.0.0/16"), route_info(nh), 0, NULL, 0, NULL)
        assert NO_ERROR == status


class TestAddNextHop:
    def test_null_next_hop_handle_returns_none_and_holds_nothing(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity
    ) -> None:
        """NextHopHandle NULL: the next hop is created, no handle comes back, no reference is held (M-NULL)."""
        info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=1)
        status, handle, _ = rtm.RtmAddNextHop(rip, info, NULL)
        stats = rtm.statistics()
        assert (NO_ERROR, None, 1, 0) == (status, handle, stats.next_hops, stats.open_handles)
        assert NO_ERROR == rtm.RtmDeleteNextHop(rip, NULL, info).status


class TestOptionalHandles:
    def test_null_where_none_is_allowed(self, rtm: v2model.RoutingTableManager, rip: v2model.Entity) -> None:
        """DestHandle of RtmCreateRouteEnum, TargetHandle of RtmBlockMethods, a route's Neighbour and
        RtmInsertInRouteList's list accept NULL as None (M-NULL)."""
        status, enum = rtm.RtmCreateRouteEnum(rip, NULL, RTM_VIEW_MASK_ANY, 0)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        info: Any = route_info(nh)
        info.Neighbour = NULL
        added, route, _ = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), info)
        assert [NO_ERROR] * 5 == [
            status,
            rtm.RtmDeleteEnumHandle(rip, some(enum)).status,
            rtm.RtmBlockMethods(rip, NULL, 0, RTM_BLOCK_METHODS).status,
            added,
            rtm.RtmInsertInRouteList(rip, NULL, 1, [some(route)]).status,
        ]

    def test_null_is_no_handle_where_one_is_required(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity
    ) -> None:
        """Where a handle is required NULL is ERROR_INVALID_HANDLE, as None is (binding rule 7)."""
        api = loose(rtm)
        assert (ERROR_INVALID_HANDLE, ERROR_INVALID_HANDLE) == (
            api.RtmDeleteRouteToDest(rip, NULL).status,
            api.RtmDeregisterEntity(NULL).status,
        )


class TestTheValue:
    def test_singleton(self) -> None:
        """NULL is one value: copies are itself, it reads as NULL and is false (M-NULL)."""
        assert (True, True, "NULL", False) == (
            copy.copy(NULL) is NULL,
            copy.deepcopy(NULL) is NULL,
            repr(NULL),
            bool(NULL),
        )
