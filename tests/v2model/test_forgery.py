"""Handles cannot be forged (M-HANDLES): only the objects the manager handed out are valid, by identity. A copy
(``copy.copy``, ``copy.deepcopy``), an object made with ``Cls.__new__`` and one made with a public constructor
are ERROR_INVALID_HANDLE wherever a handle is expected, and the table is left unchanged."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_TYPE_ALL,
    RTM_ENUM_START,
    RTM_NEXTHOP_INFO,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import loose, some, table_state
from .support import add_route, nexthop, register, route_info


@attrs.define
class World:
    """RIP with a next hop, a route, a notification registration, an enumeration and a route list; OSPF and an
    observer (BGP) with nothing."""

    rtm: v2model.RoutingTableManager
    rip: v2model.Entity
    ospf: v2model.Entity
    observer: v2model.Entity
    nh: v2model.NextHop
    route: v2model.Route
    dest: v2model.Dest
    notify: v2model.NotifyReg
    enum: v2model.EnumHandle
    rlist: v2model.RouteList


@pytest.fixture
def world(rtm: v2model.RoutingTableManager) -> World:
    """The handles every forgery starts from."""
    rip, ospf, observer = (register(rtm, p) for p in (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP))
    nh = nexthop(rtm, rip, "192.0.2.1", 1)
    route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh))
    _status, info, _ = rtm.RtmGetRouteInfo(rip, route)
    dest = some(some(info).DestHandle)
    rtm.RtmReferenceHandles(rip, 1, [dest])
    rtm.RtmReleaseRouteInfo(rip, some(info))
    notify = some(rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)[1])
    enum = some(rtm.RtmCreateDestEnum(rip, RTM_VIEW_MASK_ANY, RTM_ENUM_START, None, RTM_BEST_PROTOCOL)[1])
    rlist = some(rtm.RtmCreateRouteList(rip)[1])
    return World(rtm, rip, ospf, observer, nh, route, dest, notify, enum, rlist)


def forgeries(original: Any) -> dict[str, Any]:
    """Every way to make a look-alike of a handle without the manager."""
    cls: Any = type(original)
    return {"copy": copy.copy(original), "deepcopy": copy.deepcopy(original), "new": cls.__new__(cls)}


#: handle attribute of World -> calls that use a handle of that kind (the forged handle is ``h``).
USES: dict[str, list[Callable[[World, Any], Any]]] = {
    "rip": [
        lambda w, h: w.rtm.RtmDeregisterEntity(h),
        lambda w, h: w.rtm.RtmDeleteRouteToDest(h, w.route),
        lambda w, h: w.rtm.RtmAddRouteToDest(h, None, net_address("10.2.0.0/16"), route_info(w.nh)),
        lambda w, h: w.rtm.RtmGetRegisteredEntities(h, 10),
    ],
    "dest": [
        lambda w, h: w.rtm.RtmGetDestInfo(w.rip, h, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST),
        lambda w, h: w.rtm.RtmLockDestination(w.rip, h, True, True),
        lambda w, h: w.rtm.RtmHoldDestination(w.rip, h, RTM_VIEW_MASK_UCAST, 1000),
        lambda w, h: w.rtm.RtmReleaseDests(w.rip, 1, [v2model.RTM_DEST_INFO(DestHandle=h)]),
    ],
    "route": [
        lambda w, h: w.rtm.RtmDeleteRouteToDest(w.rip, h),
        lambda w, h: w.rtm.RtmGetRouteInfo(w.rip, h),
        lambda w, h: w.rtm.RtmReleaseRoutes(w.rip, 1, [h]),
        lambda w, h: w.rtm.RtmLockRoute(w.rip, h, True, True),
        lambda w, h: w.rtm.RtmInsertInRouteList(w.rip, w.rlist, 1, [h]),
    ],
    "nh": [
        lambda w, h: w.rtm.RtmDeleteNextHop(w.rip, h, None),
        lambda w, h: w.rtm.RtmReleaseNextHops(w.rip, 1, [h]),
        lambda w, h: w.rtm.RtmAddNextHop(w.rip, RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1")), h),
        lambda w, h: w.rtm.RtmAddRouteToDest(w.rip, None, net_address("10.3.0.0/16"), route_info(h)),
        lambda w, h: w.rtm.RtmLockNextHop(w.rip, h, True, True),
    ],
    "notify": [
        lambda w, h: w.rtm.RtmGetChangedDests(w.rip, h, 1),
        lambda w, h: w.rtm.RtmDeregisterFromChangeNotification(w.rip, h),
    ],
    "enum": [
        lambda w, h: w.rtm.RtmGetEnumDests(w.rip, h, 1),
        lambda w, h: w.rtm.RtmDeleteEnumHandle(w.rip, h),
    ],
    "rlist": [
        lambda w, h: w.rtm.RtmDeleteRouteList(w.rip, h),
        lambda w, h: w.rtm.RtmInsertInRouteList(w.rip, h, 1, [w.route]),
    ],
}

CASES = [(kind, i, how) for kind, uses in USES.items() for i in range(len(uses)) for how in ("copy", "deepcopy", "new")]


class TestForgedHandles:
    @pytest.mark.parametrize(("kind", "use", "how"), CASES)
    def test_forged_handle_is_invalid(self, world: World, kind: str, use: int, how: str) -> None:
        """A handle made without the manager (copy, deepcopy, __new__) gives ERROR_INVALID_HANDLE and leaves the
        table unchanged (M-HANDLES)."""
        forged = forgeries(getattr(world, kind))[how]
        before = table_state(world.rtm, world.observer)
        result = USES[kind][use](world, loose(forged))
        assert (ERROR_INVALID_HANDLE, before) == (result[0], table_state(world.rtm, world.observer))
        world.rtm.check_invariants()

    def test_constructed_entity_is_invalid(self, world: World) -> None:
        """An Entity built with its public constructor cannot act: ERROR_INVALID_HANDLE (M-HANDLES)."""
        made = v2model.Entity(world.rip._table, PROTO_IP_RIP, 0, None, (), None)
        before = table_state(world.rtm, world.observer)
        status = world.rtm.RtmDeleteRouteToDest(made, world.route).status
        assert (ERROR_INVALID_HANDLE, before) == (status, table_state(world.rtm, world.observer))

    def test_constructed_route_is_invalid(self, world: World) -> None:
        """A Route built with its public constructor over real objects: ERROR_INVALID_HANDLE (M-HANDLES)."""
        made = v2model.Route(world.route.dest, world.rip)
        before = table_state(world.rtm, world.observer)
        status = world.rtm.RtmDeleteRouteToDest(world.rip, made).status
        assert (ERROR_INVALID_HANDLE, before) == (status, table_state(world.rtm, world.observer))

    def test_copied_entity_leaves_no_zombie(self, world: World) -> None:
        """Deregistering a copy of an entity fails, and the original stays fully usable (the audit found the
        copy deregistered and the original a zombie)."""
        assert ERROR_INVALID_HANDLE == world.rtm.RtmDeregisterEntity(copy.copy(world.rip)).status
        assert NO_ERROR == world.rtm.RtmDeleteRouteToDest(world.rip, world.route).status

    def test_copied_next_hop_keeps_the_index(self, world: World) -> None:
        """Deleting a copy of a next hop fails; the original is still found by address and deleted normally
        (the audit found the next-hop index corrupted)."""
        info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=1)
        assert ERROR_INVALID_HANDLE == world.rtm.RtmDeleteNextHop(world.rip, copy.copy(world.nh), None).status
        status, found, _ = world.rtm.RtmFindNextHop(world.rip, info)
        assert (NO_ERROR, True) == (status, found is world.nh)
        world.rtm.RtmReleaseNextHops(world.rip, 1, [some(found)])
        assert NO_ERROR == world.rtm.RtmDeleteNextHop(world.rip, world.nh, None).status
        world.rtm.check_invariants()

    def test_handles_of_another_manager_are_invalid(self, world: World) -> None:
        """A handle another manager handed out is ERROR_INVALID_HANDLE here (binding rule 5)."""
        with v2model.RoutingTableManager(clock=v2model.ManualClock()) as other:
            stranger = register(other, PROTO_IP_RIP)
            other_nh = nexthop(other, stranger, "192.0.2.1", 1)
            assert ERROR_INVALID_HANDLE == world.rtm.RtmDeregisterEntity(stranger).status
            assert ERROR_INVALID_HANDLE == world.rtm.RtmDeleteNextHop(world.rip, other_nh, None).status

    def test_copies_read_as_copies(self, world: World) -> None:
        """A copy's repr says it is not a valid handle, and a __new__-made object's repr does not raise."""
        cls = type(world.route)
        assert (repr(world.route)[:-1] + " (invalid)>", True) == (
            repr(copy.copy(world.route)),
            repr(cls.__new__(cls)).startswith("<route"),
        )
