"""Client-specific route lists (V2-2.11, V2-6.10, V2-A-lists, V2-A-enum-order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_ACCESS_DENIED,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    INFINITE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    net_address,
)

from .scenario_support import (
    SweepWorld,
    loose,
    registrations_of,
    some,
    sweep,
    table_state,
)
from .support import add_route, nexthop, register, route_info


class Lists:
    """RIP with a few routes and two route lists; OSPF with a route of its own."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.rip = register(rtm, PROTO_IP_RIP)
        self.ospf = register(rtm, PROTO_IP_OSPF)
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.ospf_nh = nexthop(rtm, self.ospf, "198.51.100.1", 2)
        self.routes = [add_route(rtm, self.rip, f"10.{i}.0.0/16", route_info(self.nh))[0] for i in range(6)]
        self.ospf_route, _ = add_route(rtm, self.ospf, "10.0.0.0/16", route_info(self.ospf_nh))
        self.list1 = self.create()
        self.list2 = self.create()

    def create(self, ent: Any = None) -> v2model.RouteList:
        status, rlist = self.rtm.RtmCreateRouteList(ent or self.rip)
        assert NO_ERROR == status
        assert rlist is not None
        return rlist

    def insert(self, rlist: Any, routes: list[Any]) -> int:
        return self.rtm.RtmInsertInRouteList(self.rip, rlist, len(routes), routes).status

    def contents(self, rlist: Any, batch: int = 25) -> list[Any]:
        """Every route of the list in list order, by enumerating it the way the sample does."""
        status, enum = self.rtm.RtmCreateRouteListEnum(self.rip, rlist)
        assert NO_ERROR == status
        found = []
        while True:
            status, count, handles = self.rtm.RtmGetListEnumRoutes(self.rip, enum, batch)
            assert NO_ERROR == status
            assert handles is not None
            found += handles
            self.rtm.RtmReleaseRoutes(self.rip, some(count), handles)
            if some(count) < batch:
                break
        self.rtm.RtmDeleteEnumHandle(self.rip, enum)
        return found


@pytest.fixture
def lists(rtm: v2model.RoutingTableManager) -> Lists:
    return Lists(rtm)


class TestRtmCreateRouteList:
    """RtmCreateRouteList (V2-6.10)."""

    def test_creates_an_empty_private_list(self, lists: Lists) -> None:
        """A new list is empty and is listed in the leak report until deleted (V2-6.10)."""
        assert [] == lists.contents(lists.list1)
        assert repr(lists.list1) in registrations_of(lists.rtm, lists.rip)

    def test_bad_handles(self, lists: Lists) -> None:
        """A caller that is not a registered entity: ERROR_INVALID_HANDLE (V2-6.10)."""
        api = loose(lists.rtm)
        for bad in (None, 3, lists.nh, lists.list1):
            assert (ERROR_INVALID_HANDLE, None) == tuple(api.RtmCreateRouteList(bad))


class TestRtmInsertInRouteList:
    """RtmInsertInRouteList (V2-2.11, V2-6.10, V2-A-lists)."""

    def test_inserts_in_order_without_consuming_handles(self, lists: Lists) -> None:
        """Routes go in insertion order; the caller's handles stay valid and held (V2-6.10)."""
        before = lists.rtm.leak_report()
        assert NO_ERROR == lists.insert(lists.list1, [lists.routes[2], lists.routes[0]])
        assert [lists.routes[2], lists.routes[0]] == lists.contents(lists.list1)
        assert before.entities == lists.rtm.leak_report().entities

    def test_moves_between_lists(self, lists: Lists) -> None:
        """A route is on at most one list: inserting it elsewhere moves it (V2-2.11)."""
        lists.insert(lists.list1, lists.routes[:3])
        lists.insert(lists.list2, [lists.routes[1]])
        assert ([lists.routes[0], lists.routes[2]], [lists.routes[1]]) == (
            lists.contents(lists.list1),
            lists.contents(lists.list2),
        )

    def test_none_list_removes(self, lists: Lists) -> None:
        """A NULL list just takes the routes out of their lists; the routes live on (V2-2.11, V2-6.10, V2-A-lists)."""
        lists.insert(lists.list1, lists.routes[:3])
        assert NO_ERROR == lists.insert(None, [lists.routes[0], lists.routes[4]])
        assert [lists.routes[1], lists.routes[2]] == lists.contents(lists.list1)
        assert 7 == lists.rtm.statistics()["routes"]

    def test_reinsert_goes_to_the_tail(self, lists: Lists) -> None:
        """Inserting a route already on the list moves it to the tail (A-enum-order)."""
        lists.insert(lists.list1, lists.routes[:3])
        lists.insert(lists.list1, [lists.routes[0]])
        assert [lists.routes[1], lists.routes[2], lists.routes[0]] == lists.contents(lists.list1)

    def test_another_owners_route_is_denied_and_nothing_moves(self, lists: Lists) -> None:
        """Only the caller's own routes may be listed: ERROR_ACCESS_DENIED, and the other routes of the call are
        not moved either (A-lists, binding rule 5)."""
        assert ERROR_ACCESS_DENIED == lists.insert(lists.list1, [lists.routes[0], lists.ospf_route])
        assert [] == lists.contents(lists.list1)

    def test_deleted_routes_leave_their_list(self, lists: Lists) -> None:
        """Deleting a route unlinks it from its list (A-lists), and a deleted route cannot be inserted."""
        lists.insert(lists.list1, lists.routes[:2])
        held = lists.routes[0]
        lists.rtm.RtmReferenceHandles(lists.rip, 1, [held])
        assert NO_ERROR == lists.rtm.RtmDeleteRouteToDest(lists.rip, held).status
        assert [lists.routes[1]] == lists.contents(lists.list1)
        assert ERROR_INVALID_HANDLE == lists.insert(lists.list1, [held])
        lists.rtm.RtmReleaseRoutes(lists.rip, 1, [held])

    def test_bad_arguments(self, lists: Lists) -> None:
        """Another entity's list, a wrong kind of handle, a deregistered caller or a non-route:
        ERROR_INVALID_HANDLE; a count that differs from the list: ERROR_INVALID_PARAMETER. Nothing moves (V2-2.11,
        V2-6.10, V2-A-lists)."""
        api = loose(lists.rtm)
        lists.insert(lists.list1, [lists.routes[0]])
        theirs = lists.create(lists.ospf)
        _, enum = api.RtmCreateRouteListEnum(lists.rip, lists.list2)
        before = table_state(lists.rtm, lists.ospf)
        insert = api.RtmInsertInRouteList
        route = lists.routes[1]
        for expected, args in (
            (ERROR_INVALID_HANDLE, (lists.rip, theirs, 1, [route])),
            (ERROR_INVALID_HANDLE, (lists.rip, enum, 1, [route])),
            (ERROR_INVALID_HANDLE, (lists.rip, 1, 1, [route])),
            (ERROR_INVALID_HANDLE, (lists.rip, lists.list2, 1, [lists.nh])),
            (ERROR_INVALID_HANDLE, (lists.rip, lists.list2, 2, [route, None])),
            (ERROR_INVALID_HANDLE, (None, lists.list2, 1, [route])),
            (ERROR_INVALID_PARAMETER, (lists.rip, lists.list2, 2, [route])),
            (ERROR_INVALID_PARAMETER, (lists.rip, lists.list2, 1, route)),
            (ERROR_INVALID_PARAMETER, (lists.rip, lists.list2, -1, [route])),
        ):
            assert expected == insert(*args).status, args
        assert before == table_state(lists.rtm, lists.ospf)
        assert ([lists.routes[0]], []) == (lists.contents(lists.list1), lists.contents(lists.list2))
        api.RtmDeleteEnumHandle(lists.rip, enum)


class TestRouteListHandleArgument:
    """The RouteListHandle argument of RtmAddRouteToDest and RtmUpdateAndUnlockRoute (V2-2.11, V2-6.5)."""

    def test_add_puts_a_new_route_on_the_list(self, lists: Lists) -> None:
        """A route added with a list handle is on that list (V2-2.11, V2-6.5)."""
        status, route, _ = lists.rtm.RtmAddRouteToDest(
            lists.rip, None, net_address("10.9.0.0/16"), route_info(lists.nh), INFINITE, lists.list1
        )
        assert NO_ERROR == status
        assert [route] == lists.contents(lists.list1)

    def test_update_moves_an_existing_route(self, lists: Lists) -> None:
        """Updating a route with another list handle moves it there; updating without one leaves it where it
        is (V2-2.11, V2-6.5)."""
        lists.insert(lists.list1, [lists.routes[0]])
        lists.rtm.RtmAddRouteToDest(lists.rip, lists.routes[0], None, route_info(lists.nh, metric=3))
        assert [lists.routes[0]] == lists.contents(lists.list1)
        lists.rtm.RtmAddRouteToDest(
            lists.rip, lists.routes[0], None, route_info(lists.nh, metric=4), 0xFFFFFFFF, lists.list2
        )
        assert ([], [lists.routes[0]]) == (lists.contents(lists.list1), lists.contents(lists.list2))

    def test_update_and_unlock_moves_the_route(self, lists: Lists) -> None:
        """RtmUpdateAndUnlockRoute with a list handle moves the route into it (V2-2.11, V2-6.5)."""
        route = lists.routes[3]
        assert NO_ERROR == lists.rtm.RtmLockRoute(lists.rip, route, True, True).status
        assert NO_ERROR == lists.rtm.RtmUpdateAndUnlockRoute(lists.rip, route, INFINITE, lists.list2).status
        assert [route] == lists.contents(lists.list2)

    def test_another_entitys_list_adds_nothing(self, lists: Lists) -> None:
        """A list handle of another entity: ERROR_INVALID_HANDLE and no route is created (V2-2.11, V2-6.5)."""
        api = loose(lists.rtm)
        theirs = lists.create(lists.ospf)
        before = table_state(lists.rtm, lists.ospf)
        status, route, flags = api.RtmAddRouteToDest(
            lists.rip, None, net_address("10.9.0.0/16"), route_info(lists.nh), INFINITE, theirs
        )
        assert (ERROR_INVALID_HANDLE, None, None) == (status, route, flags)
        assert before == table_state(lists.rtm, lists.ospf)

    def test_update_and_unlock_with_a_bad_list_stays_locked(self, lists: Lists) -> None:
        """A bad list handle makes RtmUpdateAndUnlockRoute fail; the route stays locked (V2-6.5) and is
        unlocked with RtmLockRoute(FALSE)."""
        api = loose(lists.rtm)
        route = lists.routes[3]
        api.RtmLockRoute(lists.rip, route, True, True)
        assert ERROR_INVALID_HANDLE == api.RtmUpdateAndUnlockRoute(lists.rip, route, INFINITE, lists.nh).status
        record = lists.rtm.leak_report().for_entity(repr(lists.rip))
        assert record is not None
        assert 1 == len(record.locks)
        assert NO_ERROR == api.RtmLockRoute(lists.rip, route, True, False).status


class TestRtmCreateRouteListEnum:
    """RtmCreateRouteListEnum (V2-6.10)."""

    def test_bad_handles(self, lists: Lists) -> None:
        """Another entity's list, a wrong kind of handle or a deleted list: ERROR_INVALID_HANDLE (V2-6.10)."""
        api = loose(lists.rtm)
        theirs = lists.create(lists.ospf)
        gone = lists.create()
        api.RtmDeleteRouteList(lists.rip, gone)
        for bad in (theirs, gone, lists.routes[0], None, 1):
            assert (ERROR_INVALID_HANDLE, None) == tuple(api.RtmCreateRouteListEnum(lists.rip, bad)), bad
        assert () == tuple(r for r in registrations_of(lists.rtm, lists.rip) if "enum" in r)


class TestRtmGetListEnumRoutes:
    """RtmGetListEnumRoutes: NO_ERROR always, the end is a short batch (V2-2.11, V2-6.10, V2-A-lists)."""

    def test_never_no_more_items(self, lists: Lists) -> None:
        """Five routes asked two at a time: 2, 2, 1, then 0, each with NO_ERROR (V2-2.11, V2-6.10, V2-A-lists)."""
        lists.insert(lists.list1, lists.routes[:5])
        _, enum = lists.rtm.RtmCreateRouteListEnum(lists.rip, lists.list1)
        calls = []
        for _ in range(4):
            status, count, handles = lists.rtm.RtmGetListEnumRoutes(lists.rip, enum, 2)
            calls.append((status, handles))
            lists.rtm.RtmReleaseRoutes(lists.rip, some(count), some(handles))
        assert [
            (NO_ERROR, lists.routes[0:2]),
            (NO_ERROR, lists.routes[2:4]),
            (NO_ERROR, lists.routes[4:5]),
            (NO_ERROR, []),
        ] == calls
        lists.rtm.RtmDeleteEnumHandle(lists.rip, enum)

    def test_moving_routes_while_enumerating(self, lists: Lists) -> None:
        """The route-list sample: each batch is moved to another list while enumerating; every route is
        returned exactly once and ends on the other list (V2-2.11, V2-6.10, V2-A-lists)."""
        lists.insert(lists.list1, lists.routes)
        _, enum = lists.rtm.RtmCreateRouteListEnum(lists.rip, lists.list1)
        seen = []
        while True:
            status, count, handles = lists.rtm.RtmGetListEnumRoutes(lists.rip, enum, 4)
            assert NO_ERROR == status
            assert handles is not None
            seen += handles
            assert NO_ERROR == lists.rtm.RtmInsertInRouteList(lists.rip, lists.list2, some(count), handles).status
            lists.rtm.RtmReleaseRoutes(lists.rip, some(count), handles)
            if count != 4:
                break
        lists.rtm.RtmDeleteEnumHandle(lists.rip, enum)
        assert (lists.routes, [], lists.routes) == (seen, lists.contents(lists.list1), lists.contents(lists.list2))

    def test_routes_moved_away_or_deleted_are_skipped(self, lists: Lists) -> None:
        """Routes taken off the list or deleted before the enumeration reaches them are not returned (V2-2.11,
        V2-6.10, V2-A-lists)."""
        lists.insert(lists.list1, lists.routes[:4])
        _, enum = lists.rtm.RtmCreateRouteListEnum(lists.rip, lists.list1)
        lists.insert(lists.list2, [lists.routes[1]])
        lists.rtm.RtmReferenceHandles(lists.rip, 1, [lists.routes[2]])
        lists.rtm.RtmDeleteRouteToDest(lists.rip, lists.routes[2])
        status, count, handles = lists.rtm.RtmGetListEnumRoutes(lists.rip, enum, 25)
        assert (NO_ERROR, [lists.routes[0], lists.routes[3]]) == (status, handles)
        lists.rtm.RtmReleaseRoutes(lists.rip, some(count), some(handles))
        lists.rtm.RtmReleaseRoutes(lists.rip, 1, [lists.routes[2]])
        lists.rtm.RtmDeleteEnumHandle(lists.rip, enum)

    def test_walks_the_list_as_it_was_when_created(self, lists: Lists) -> None:
        """Model decision (MIGRATION.md "Enumerations", deviating from A-enum-order's live cursors): a route-list
        enumeration walks the list as it was when created, so a route appended afterwards is not returned and
        routes moved between lists while enumerating are never returned twice."""
        lists.insert(lists.list1, lists.routes[:2])
        _, enum = lists.rtm.RtmCreateRouteListEnum(lists.rip, lists.list1)
        lists.insert(lists.list1, [lists.routes[4]])
        status, count, handles = lists.rtm.RtmGetListEnumRoutes(lists.rip, enum, 25)
        lists.rtm.RtmReleaseRoutes(lists.rip, some(count), some(handles))
        lists.rtm.RtmDeleteEnumHandle(lists.rip, enum)
        assert (NO_ERROR, lists.routes[:2]) == (status, handles)

    def test_list_deleted_while_enumerating(self, lists: Lists) -> None:
        """A list deleted under its enumeration: the enumeration returns nothing more (A-lists)."""
        lists.insert(lists.list1, lists.routes[:4])
        _, enum = lists.rtm.RtmCreateRouteListEnum(lists.rip, lists.list1)
        status, count, handles = lists.rtm.RtmGetListEnumRoutes(lists.rip, enum, 1)
        assert (NO_ERROR, 1) == (status, count)
        lists.rtm.RtmReleaseRoutes(lists.rip, some(count), some(handles))
        assert NO_ERROR == lists.rtm.RtmDeleteRouteList(lists.rip, lists.list1).status
        assert (NO_ERROR, 0, []) == tuple(lists.rtm.RtmGetListEnumRoutes(lists.rip, enum, 5))
        lists.rtm.RtmDeleteEnumHandle(lists.rip, enum)

    def test_count_limits(self, lists: Lists) -> None:
        """More than MaxHandlesInEnum: ERROR_INVALID_PARAMETER without advancing; 0: nothing (V2-2.11, V2-6.10,
        V2-A-lists)."""
        api = loose(lists.rtm)
        lists.insert(lists.list1, lists.routes[:2])
        _, enum = api.RtmCreateRouteListEnum(lists.rip, lists.list1)
        too_many = lists.rtm.config.max_handles_in_enum + 1
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(api.RtmGetListEnumRoutes(lists.rip, enum, too_many))
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(api.RtmGetListEnumRoutes(lists.rip, enum, -1))
        assert (NO_ERROR, 0, []) == tuple(api.RtmGetListEnumRoutes(lists.rip, enum, 0))
        status, count, handles = api.RtmGetListEnumRoutes(lists.rip, enum, 25)
        assert (NO_ERROR, lists.routes[:2]) == (status, handles)
        api.RtmReleaseRoutes(lists.rip, some(count), some(handles))
        api.RtmDeleteEnumHandle(lists.rip, enum)

    def test_bad_enumeration_handles(self, lists: Lists) -> None:
        """A destination or route enumeration, another entity's list enumeration or a closed one:
        ERROR_INVALID_HANDLE (V2-2.11, V2-6.10, V2-A-lists)."""
        api = loose(lists.rtm)
        theirs_list = lists.create(lists.ospf)
        _, theirs = api.RtmCreateRouteListEnum(lists.ospf, theirs_list)
        _, dests = api.RtmCreateDestEnum(lists.rip, 1, 0)
        _, closed = api.RtmCreateRouteListEnum(lists.rip, lists.list1)
        api.RtmDeleteEnumHandle(lists.rip, closed)
        for bad in (theirs, dests, closed, lists.list1, None):
            assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetListEnumRoutes(lists.rip, bad, 5))
        api.RtmDeleteEnumHandle(lists.rip, dests)


class TestRtmDeleteRouteList:
    """RtmDeleteRouteList (V2-2.11, V2-6.10)."""

    def test_routes_survive_and_the_handle_dies(self, lists: Lists) -> None:
        """The list is emptied and freed; its routes live on and can join another list; the handle is
        invalid afterwards and the leak report no longer lists it (V2-2.11, V2-6.10)."""
        lists.insert(lists.list1, lists.routes[:3])
        assert NO_ERROR == lists.rtm.RtmDeleteRouteList(lists.rip, lists.list1).status
        assert 7 == lists.rtm.statistics()["routes"]
        assert ERROR_INVALID_HANDLE == lists.insert(lists.list1, [lists.routes[0]])
        assert ERROR_INVALID_HANDLE == lists.rtm.RtmDeleteRouteList(lists.rip, lists.list1).status
        assert NO_ERROR == lists.insert(lists.list2, lists.routes[:3])
        assert lists.routes[:3] == lists.contents(lists.list2)
        assert repr(lists.list1) not in registrations_of(lists.rtm, lists.rip)

    def test_bad_handles(self, lists: Lists) -> None:
        """Another entity's list, a route or None: ERROR_INVALID_HANDLE; the list survives (V2-2.11, V2-6.10)."""
        api = loose(lists.rtm)
        theirs = lists.create(lists.ospf)
        for caller, bad in ((lists.rip, theirs), (lists.rip, lists.routes[0]), (lists.rip, None), (None, lists.list1)):
            assert ERROR_INVALID_HANDLE == api.RtmDeleteRouteList(caller, bad).status
        assert NO_ERROR == lists.insert(lists.list1, [lists.routes[0]])
        assert NO_ERROR == api.RtmDeleteRouteList(lists.ospf, theirs).status


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmCreateRouteList", lambda w: [w.rip], 1),
    ("RtmInsertInRouteList", lambda w: [w.rip, w.rlist, 1, [w.route]], 4),
    ("RtmCreateRouteListEnum", lambda w: [w.rip, w.rlist], 2),
    ("RtmGetListEnumRoutes", lambda w: [w.rip, w.list_enum, 5], 3),
    ("RtmDeleteRouteList", lambda w: [w.rip, w.rlist], 2),
]


class TestBadInputSweep:
    """Every argument position of the route-list methods given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.11, V2-A-lists)."""
        assert [] == sweep(clock, method, args, position)
