"""The copy rule (M-BINDING-6, M-ESI): structures passed in are copied, structures returned are fresh
copies, and mutating either never changes the table. EntitySpecificInfo is kept as a private deep copy and handed
out as a deep copy; immutable values are kept as given; a value that cannot be deep-copied is refused.
NotifyContext and opaque-pointer contents are the caller's own pointers and stay references."""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

import pytest

import v2model
from v2model import (
    ERROR_INVALID_PARAMETER,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_NEXTHOP_INFO,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import Recorder, some, table_state
from .support import add_route, nexthop, register, route_info


class Key(NamedTuple):
    """An immutable key a port keeps in EntitySpecificInfo instead of a pointer to mutable state."""

    area: int
    tag: str


class Uncopyable:
    """A value deepcopy cannot copy."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Uncopyable:
        raise TypeError("no copies")


def esi_of(rtm: v2model.RoutingTableManager, ent: v2model.Entity, route: v2model.Route) -> Any:
    status, info, _ = rtm.RtmGetRouteInfo(ent, route)
    assert NO_ERROR == status
    rtm.RtmReleaseRouteInfo(ent, some(info))
    return some(info).EntitySpecificInfo


def with_esi(nh: v2model.NextHop, esi: Any) -> v2model.RTM_ROUTE_INFO:
    info = route_info(nh)
    info.EntitySpecificInfo = esi
    return info


@pytest.fixture
def rip(rtm: v2model.RoutingTableManager) -> v2model.Entity:
    return register(rtm, PROTO_IP_RIP)


class TestRouteEntitySpecificInfo:
    def test_callers_later_mutation_does_not_reach_the_route(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity
    ) -> None:
        """The owner mutates the list it passed as EntitySpecificInfo after the add: the route keeps what was
        passed (M-ESI)."""
        esi = {"cost": [1, 2]}
        route, _ = add_route(rtm, rip, "10.1.0.0/16", with_esi(nexthop(rtm, rip, "192.0.2.1", 1), esi))
        esi["cost"].append(3)
        assert {"cost": [1, 2]} == esi_of(rtm, rip, route)

    def test_mutating_what_was_returned_does_not_reach_the_route(self, rtm: v2model.RoutingTableManager) -> None:
        """Another entity mutates the EntitySpecificInfo RtmGetRouteInfo gave it: the route and the next reader
        are unaffected; each read is a fresh copy (M-ESI)."""
        rip, ospf = register(rtm, PROTO_IP_RIP), register(rtm, PROTO_IP_OSPF)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", with_esi(nexthop(rtm, rip, "192.0.2.1", 1), [1, 2]))
        first = esi_of(rtm, ospf, route)
        first.append(99)
        second = esi_of(rtm, rip, route)
        assert ([1, 2], False) == (second, second is first)

    def test_pointer_edits_count_only_when_committed(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity
    ) -> None:
        """Mutating the EntitySpecificInfo seen through the owner's route pointer changes nothing until the owner
        commits with RtmUpdateAndUnlockRoute (V2-2.14, M-ESI)."""
        route, _ = add_route(rtm, rip, "10.1.0.0/16", with_esi(nexthop(rtm, rip, "192.0.2.1", 1), [1]))
        _status, pointer = rtm.RtmLockRoute(rip, route, True, True)
        some(pointer).EntitySpecificInfo.append(2)
        before_commit = esi_of(rtm, rip, route)
        assert NO_ERROR == rtm.RtmUpdateAndUnlockRoute(rip, route).status
        assert ([1], [1, 2]) == (before_commit, esi_of(rtm, rip, route))

    @pytest.mark.parametrize(
        "value", [None, True, 7, 2.5, "ospf", b"\x01\x02", (1, ("a", b"b")), frozenset({1, 2}), Key(0, "x")]
    )
    def test_immutable_values_are_kept_as_given(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity, value: Any
    ) -> None:
        """Immutable values (None, bool, int, float, str, bytes, tuples and frozensets of those, named tuples of
        those) are stored and handed out as the very object given: no copy is needed (M-ESI fast path)."""
        route, _ = add_route(rtm, rip, "10.1.0.0/16", with_esi(nexthop(rtm, rip, "192.0.2.1", 1), value))
        assert esi_of(rtm, rip, route) is value

    @pytest.mark.parametrize("value", [Uncopyable(), threading.Lock(), [Uncopyable()]])
    def test_uncopyable_value_is_refused(
        self, rtm: v2model.RoutingTableManager, rip: v2model.Entity, value: Any
    ) -> None:
        """A value that cannot be deep-copied: ERROR_INVALID_PARAMETER and the table unchanged (M-ESI)."""
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        observer = register(rtm, PROTO_IP_OSPF)
        before = table_state(rtm, observer)
        status, handle, _ = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), with_esi(nh, value))
        assert (ERROR_INVALID_PARAMETER, None, before) == (status, handle, table_state(rtm, observer))


class TestNextHopEntitySpecificInfo:
    def test_copied_in_and_out(self, rtm: v2model.RoutingTableManager, rip: v2model.Entity) -> None:
        """A next hop's EntitySpecificInfo is copied when set and when read (M-ESI)."""
        esi = [1]
        info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=1, EntitySpecificInfo=esi)
        _, nh, _ = rtm.RtmAddNextHop(rip, info, None)
        esi.append(2)
        _, got = rtm.RtmGetNextHopInfo(rip, nh)
        some(got).EntitySpecificInfo.append(3)
        _status, again = rtm.RtmGetNextHopInfo(rip, nh)
        assert ([1], [1]) == (some(got).EntitySpecificInfo[:1], some(again).EntitySpecificInfo)

    def test_uncopyable_value_is_refused(self, rtm: v2model.RoutingTableManager, rip: v2model.Entity) -> None:
        """An uncopyable next-hop EntitySpecificInfo: ERROR_INVALID_PARAMETER, no next hop created (M-ESI)."""
        info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), EntitySpecificInfo=Uncopyable())
        status, nh, _ = rtm.RtmAddNextHop(rip, info, None)
        assert (ERROR_INVALID_PARAMETER, None, 0) == (status, nh, rtm.statistics().next_hops)


class TestStructuresIn:
    def test_route_info_passed_in_is_not_kept(self, rtm: v2model.RoutingTableManager, rip: v2model.Entity) -> None:
        """Changing the RTM_ROUTE_INFO after passing it changes nothing (binding rule 6)."""
        info = route_info(nexthop(rtm, rip, "192.0.2.1", 1), metric=4)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", info)
        info.PrefInfo.Metric = 40
        info.NextHopsList.NextHops.clear()
        _status, got, _ = rtm.RtmGetRouteInfo(rip, route)
        assert (4, 1) == (some(got).PrefInfo.Metric, some(got).NextHopsList.NumNextHops)


class TestCallersPointers:
    def test_notify_context_is_kept_by_reference(self, rtm: v2model.RoutingTableManager) -> None:
        """NotifyContext is the caller's own pointer: Context2 of RTM_CHANGE_NOTIFICATION is that very object
        (M-ESI)."""
        context = {"mine": True}
        events = Recorder()
        ospf = register(rtm, PROTO_IP_OSPF, callback=events)
        rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, context)
        rip = register(rtm, PROTO_IP_RIP)
        add_route(rtm, rip, "10.1.0.0/16", route_info(nexthop(rtm, rip, "192.0.2.1", 1)))
        assert context is events.of(RTM_CHANGE_NOTIFICATION)[0].context2

    def test_opaque_pointer_contents_are_kept_by_reference(self, rtm: v2model.RoutingTableManager) -> None:
        """What an entity stores in its opaque slot is its own pointer: it reads back the same object (M-ESI)."""
        rip = register(rtm, PROTO_IP_RIP, opaque=True)
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nexthop(rtm, rip, "192.0.2.1", 1)))
        _status, info, _ = rtm.RtmGetRouteInfo(rip, route)
        dest = some(info).DestHandle
        mine = {"area": 0}
        rtm.RtmLockDestination(rip, dest, True, True)
        some(rtm.RtmGetOpaqueInformationPointer(rip, dest).OpaqueInfoPointer).value = mine
        again = some(rtm.RtmGetOpaqueInformationPointer(rip, dest).OpaqueInfoPointer).value
        rtm.RtmLockDestination(rip, dest, True, False)
        assert mine is again
