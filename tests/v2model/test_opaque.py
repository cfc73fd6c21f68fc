"""Opaque pointers: one private slot per entity in every destination (V2-2.12, V2-6.2, V2-A-opaque)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    AF_INET,
    AF_INET6,
    ERROR_INVALID_HANDLE,
    ERROR_NO_SYSTEM_RESOURCES,
    ERROR_NOT_FOUND,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_MGM,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    OpaquePointer,
    RtmConfig,
)

from .scenario_support import (
    SweepWorld,
    dest_info,
    loose,
    sweep,
    table_state,
)
from .support import add_route, nexthop, register, route_info


class Slots:
    """RIP owning routes to two destinations; MGM and OSPF with opaque slots; BGP without one."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.rip = register(rtm, PROTO_IP_RIP)
        self.mgm = register(rtm, PROTO_IP_MGM, opaque=True)
        self.ospf = register(rtm, PROTO_IP_OSPF, opaque=True)
        self.bgp = register(rtm, PROTO_IP_BGP)
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.route1, _ = add_route(rtm, self.rip, "10.1.0.0/16", route_info(self.nh))
        self.route2, _ = add_route(rtm, self.rip, "10.2.0.0/16", route_info(self.nh))
        self.info1 = dest_info(rtm, self.rip, "10.1.0.0/16")
        self.info2 = dest_info(rtm, self.rip, "10.2.0.0/16")
        self.dest1 = self.info1.DestHandle
        self.dest2 = self.info2.DestHandle

    def slot(self, ent: v2model.Entity, dest: v2model.Dest | None = None) -> OpaquePointer:
        """The sample's way: exclusive lock, get the slot, unlock (the cell stays usable)."""
        dest = dest or self.dest1
        assert NO_ERROR == self.rtm.RtmLockDestination(ent, dest, True, True).status
        status, cell = self.rtm.RtmGetOpaqueInformationPointer(ent, dest)
        assert NO_ERROR == status
        assert cell is not None
        assert NO_ERROR == self.rtm.RtmLockDestination(ent, dest, True, False).status
        return cell


@pytest.fixture
def slots(rtm: v2model.RoutingTableManager) -> Slots:
    return Slots(rtm)


class TestRtmGetOpaqueInformationPointer:
    """RtmGetOpaqueInformationPointer (V2-2.12, V2-6.2, V2-A-opaque)."""

    def test_starts_empty_and_keeps_what_is_written(self, slots: Slots) -> None:
        """The slot starts as NULL (None); what the owner writes through ``.value`` is there next time (V2-2.12,
        V2-6.2, V2-A-opaque)."""
        cell = slots.slot(slots.mgm)
        assert cell.value is None
        cell.value = {"Info1": 1, "Info2": 2}
        assert {"Info1": 1, "Info2": 2} == slots.slot(slots.mgm).value

    def test_no_slot_reserved_gives_not_found(self, slots: Slots) -> None:
        """An entity that reserved no slot at registration: ERROR_NOT_FOUND and no pointer (V2-2.12, V2-6.2,
        V2-A-opaque)."""
        assert (ERROR_NOT_FOUND, None) == tuple(slots.rtm.RtmGetOpaqueInformationPointer(slots.bgp, slots.dest1))
        assert (ERROR_NOT_FOUND, None) == tuple(slots.rtm.RtmGetOpaqueInformationPointer(slots.rip, slots.dest1))

    def test_private_to_each_entity(self, slots: Slots) -> None:
        """Two entities' slots in one destination are distinct; writing one leaves the other alone (V2-2.12, V2-6.2,
        V2-A-opaque)."""
        mgm_cell = slots.slot(slots.mgm)
        ospf_cell = slots.slot(slots.ospf)
        mgm_cell.value = "mgm"
        assert (mgm_cell is not ospf_cell, None) == (True, ospf_cell.value)
        assert "mgm" == slots.slot(slots.mgm).value

    def test_one_slot_in_every_destination(self, slots: Slots) -> None:
        """The same entity has a separate slot in each destination (V2-2.12, V2-6.2, V2-A-opaque)."""
        slots.slot(slots.mgm, slots.dest1).value = "one"
        assert slots.slot(slots.mgm, slots.dest2).value is None
        slots.slot(slots.mgm, slots.dest2).value = "two"
        assert ("one", "two") == (slots.slot(slots.mgm, slots.dest1).value, slots.slot(slots.mgm, slots.dest2).value)

    def test_reset_when_the_entity_deregisters(self, slots: Slots) -> None:
        """At deregistration the slot is freed and its contents in every destination reset: the next entity
        to reserve it finds NULL (A-opaque)."""
        slots.slot(slots.mgm, slots.dest1).value = "stale"
        slots.slot(slots.mgm, slots.dest2).value = "stale"
        assert NO_ERROR == slots.rtm.RtmDeregisterEntity(slots.mgm).status
        newcomer = register(slots.rtm, PROTO_IP_MGM, 1, opaque=True)
        assert (None, None) == (slots.slot(newcomer, slots.dest1).value, slots.slot(newcomer, slots.dest2).value)
        assert "stale" not in {slots.slot(slots.ospf, d).value for d in (slots.dest1, slots.dest2)}

    def test_reset_when_the_destination_is_recreated(self, slots: Slots) -> None:
        """A destination that left the table takes its slots with it; a new one for the same prefix starts
        empty (A-dest-lifetime)."""
        slots.slot(slots.mgm, slots.dest1).value = "old"
        assert NO_ERROR == slots.rtm.RtmDeleteRouteToDest(slots.rip, slots.route1).status
        add_route(slots.rtm, slots.rip, "10.1.0.0/16", route_info(slots.nh))
        info = dest_info(slots.rtm, slots.rip, "10.1.0.0/16")
        assert info.DestHandle is not slots.dest1
        assert slots.slot(slots.mgm, info.DestHandle).value is None
        slots.rtm.RtmReleaseDestInfo(slots.rip, info)

    def test_unlocked_access_is_a_diagnostic(self, slots: Slots) -> None:
        """Access without the destination lock is allowed but recorded as a diagnostic; the sample's locked
        access is not (A-opaque)."""
        slots.slot(slots.mgm)
        assert () == slots.rtm.leak_report().diagnostics
        assert NO_ERROR == slots.rtm.RtmGetOpaqueInformationPointer(slots.mgm, slots.dest1).status
        assert 1 == len(slots.rtm.leak_report().diagnostics)

    def test_shared_lock_is_enough_to_read(self, slots: Slots) -> None:
        """Readers may use a shared lock (V2-2.12); two readers at once are fine."""
        slots.slot(slots.mgm).value = 42
        assert NO_ERROR == slots.rtm.RtmLockDestination(slots.mgm, slots.dest1, False, True).status
        assert NO_ERROR == slots.rtm.RtmLockDestination(slots.ospf, slots.dest1, False, True).status
        status, cell = slots.rtm.RtmGetOpaqueInformationPointer(slots.mgm, slots.dest1)
        assert (NO_ERROR, 42) == (status, cell and cell.value)
        assert NO_ERROR == slots.rtm.RtmLockDestination(slots.mgm, slots.dest1, False, False).status
        assert NO_ERROR == slots.rtm.RtmLockDestination(slots.ospf, slots.dest1, False, False).status
        assert () == slots.rtm.leak_report().diagnostics

    def test_bad_handles(self, slots: Slots) -> None:
        """A destination handle of another kind, None, an int or a bad caller: ERROR_INVALID_HANDLE, no
        pointer, the table unchanged (V2-2.12, V2-6.2, V2-A-opaque)."""
        api = loose(slots.rtm)
        before = table_state(slots.rtm, slots.rip)
        for caller, handle in (
            (slots.mgm, slots.route1),
            (slots.mgm, slots.nh),
            (slots.mgm, None),
            (slots.mgm, 0),
            (None, slots.dest1),
            (slots.dest1, slots.dest1),
        ):
            assert (ERROR_INVALID_HANDLE, None) == tuple(api.RtmGetOpaqueInformationPointer(caller, handle))
        assert before == table_state(slots.rtm, slots.rip)


class TestOpaqueReservation:
    """ReserveOpaquePointer at RtmRegisterEntity: slots are limited, first come first served (V2-2.12)."""

    def test_exhausted_slots(self, clock: v2model.ManualClock) -> None:
        """With one slot configured the second reservation fails with ERROR_NO_SYSTEM_RESOURCES (and does not
        register); a registration without a reservation still works; the slot is free again once its holder
        deregisters (A-config)."""
        with v2model.RoutingTableManager(clock=clock, config=RtmConfig(max_opaque_pointers=1)) as rtm:
            first = register(rtm, PROTO_IP_MGM, opaque=True)
            info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(PROTO_IP_OSPF, 0))
            assert (ERROR_NO_SYSTEM_RESOURCES, None, None) == tuple(rtm.RtmRegisterEntity(info, None, None, True))
            assert 1 == rtm.statistics()["entities"]
            plain = register(rtm, PROTO_IP_RIP)
            assert NO_ERROR == rtm.RtmDeregisterEntity(first).status
            status, _, second = rtm.RtmRegisterEntity(info, None, None, True)
            assert NO_ERROR == status
            assert NO_ERROR == rtm.RtmDeregisterEntity(second).status
            assert NO_ERROR == rtm.RtmDeregisterEntity(plain).status

    def test_slots_are_counted_per_table(self, clock: v2model.ManualClock) -> None:
        """Each (instance, address family) table has its own slots (V2-2.12)."""
        with v2model.RoutingTableManager(clock=clock, config=RtmConfig(max_opaque_pointers=1)) as rtm:
            register(rtm, PROTO_IP_MGM, opaque=True)
            register(rtm, PROTO_IP_MGM, af=AF_INET6, opaque=True)

    def test_zero_slots(self, clock: v2model.ManualClock) -> None:
        """With no slot configured every reservation fails (V2-2.12)."""
        with v2model.RoutingTableManager(clock=clock, config=RtmConfig(max_opaque_pointers=0)) as rtm:
            info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(PROTO_IP_MGM, 0))
            assert ERROR_NO_SYSTEM_RESOURCES == rtm.RtmRegisterEntity(info, None, None, 1).status


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmGetOpaqueInformationPointer", lambda w: [w.rip, w.dest], 2),
]


class TestBadInputSweep:
    """Every argument position of RtmGetOpaqueInformationPointer given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.12, V2-A-opaque)."""
        assert [] == sweep(clock, method, args, position)
