"""The leak report: who holds what, and what RtmDeregisterEntity had to clean up (V2-2.13, V2-2.15, V2-A-refs,
V2-A-dereg; v2model/_leaks.py)."""

from __future__ import annotations

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
    RTM_VIEW_MASK_UCAST,
    EntityLeaks,
    LeakReport,
    RtmConfig,
    net_address,
)

from .scenario_support import (
    dest_info,
    enum_dest_prefixes,
    loose,
    some,
    view_of,
)
from .support import add_route, nexthop, register, route_info


class Holder:
    """RIP with a next hop and a route (both handles still held); OSPF and BGP registered, holding nothing."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.rip = register(rtm, PROTO_IP_RIP)
        self.ospf = register(rtm, PROTO_IP_OSPF)
        self.bgp = register(rtm, PROTO_IP_BGP)
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.route, _ = add_route(rtm, self.rip, "10.1.0.0/16", route_info(self.nh))

    def record(self, ent: v2model.Entity) -> EntityLeaks | None:
        return self.rtm.leak_report().for_entity(repr(ent))

    def release_own(self) -> None:
        assert NO_ERROR == self.rtm.RtmReleaseRoutes(self.rip, 1, [self.route]).status
        assert NO_ERROR == self.rtm.RtmReleaseNextHops(self.rip, 1, [self.nh]).status


@pytest.fixture
def holder(rtm: v2model.RoutingTableManager) -> Holder:
    return Holder(rtm)


class TestLeakReport:
    """rtm.leak_report() for live entities (V2-A-refs)."""

    def test_fresh_rtm_is_empty(self, rtm: v2model.RoutingTableManager) -> None:
        """No entity, nothing held: an empty report, falsy (V2-A-refs)."""
        report = rtm.leak_report()
        assert (True, False, LeakReport()) == (report.empty, bool(report), report)

    def test_owning_routes_is_not_holding(self, holder: Holder) -> None:
        """An entity that owns routes and next hops but holds no handle is not listed (owning is normal while
        registered); the report is empty (V2-A-refs)."""
        holder.release_own()
        assert holder.rtm.leak_report().empty
        assert holder.record(holder.rip) is None

    def test_handles_from_adds(self, holder: Holder) -> None:
        """The handles RtmAddNextHop and RtmAddRouteToDest returned are listed with their counts; owned routes
        and next hops are counted too (V2-A-refs)."""
        record = holder.record(holder.rip)
        assert record == EntityLeaks(
            entity=repr(holder.rip), handles={repr(holder.nh): 1, repr(holder.route): 1}, routes=1, next_hops=1
        )
        assert (False, True) == (record.holds_nothing, bool(holder.rtm.leak_report()))

    def test_information_structures(self, holder: Holder) -> None:
        """Each information structure handed out is counted by kind, and the handles inside it are listed;
        releasing it takes both away (V2-A-refs)."""
        holder.release_own()
        dest = dest_info(holder.rtm, holder.ospf, "10.1.0.0/16", RTM_VIEW_MASK_UCAST)
        _, route_info_, _ = holder.rtm.RtmGetRouteInfo(holder.ospf, holder.route)
        _, nh_info = holder.rtm.RtmGetNextHopInfo(holder.ospf, holder.nh)
        _, entity_info = holder.rtm.RtmGetEntityInfo(holder.ospf, holder.rip)
        record = holder.record(holder.ospf)
        assert record is not None
        assert {"dest": 1, "route": 1, "nexthop": 1, "entity": 1} == record.info_structures
        assert {
            repr(dest.DestHandle): 2,  # dest info + route info
            repr(holder.route): 1,  # ViewInfo[0].Route
            repr(holder.rip): 3,  # ViewInfo[0].Owner, RouteOwner, NextHopOwner
            repr(holder.nh): 2,  # Neighbour, NextHops[0]
        } == record.handles
        assert NO_ERROR == holder.rtm.RtmReleaseDestInfo(holder.ospf, dest).status
        assert NO_ERROR == holder.rtm.RtmReleaseRouteInfo(holder.ospf, some(route_info_)).status
        assert NO_ERROR == holder.rtm.RtmReleaseNextHopInfo(holder.ospf, some(nh_info)).status
        assert NO_ERROR == holder.rtm.RtmReleaseEntityInfo(holder.ospf, some(entity_info)).status
        assert holder.rtm.leak_report().empty

    def test_locks_and_registrations(self, holder: Holder) -> None:
        """Destination and next-hop locks, notification registrations, open enumerations and route lists are
        listed by name (V2-A-refs)."""
        holder.release_own()
        info = dest_info(holder.rtm, holder.ospf, "10.1.0.0/16")
        holder.rtm.RtmLockDestination(holder.ospf, info.DestHandle, True, True)
        holder.rtm.RtmLockNextHop(holder.rip, holder.nh, True, True)
        _, reg = holder.rtm.RtmRegisterForChangeNotification(holder.ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        _, enum = holder.rtm.RtmCreateDestEnum(holder.ospf, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, rlist = holder.rtm.RtmCreateRouteList(holder.ospf)
        ospf = holder.record(holder.ospf)
        rip = holder.record(holder.rip)
        assert ospf is not None
        assert rip is not None
        assert (f"dest {info.DestHandle!r} (exclusive)",) == ospf.locks
        assert (repr(reg), repr(enum), repr(rlist)) == ospf.registrations
        assert ((f"next hop {holder.nh!r}",), {}) == (rip.locks, dict(rip.handles))
        holder.rtm.RtmLockDestination(holder.ospf, info.DestHandle, True, False)
        holder.rtm.RtmLockNextHop(holder.rip, holder.nh, True, False)
        holder.rtm.RtmDeregisterFromChangeNotification(holder.ospf, reg)
        holder.rtm.RtmDeleteEnumHandle(holder.ospf, enum)
        holder.rtm.RtmDeleteRouteList(holder.ospf, rlist)
        holder.rtm.RtmReleaseDestInfo(holder.ospf, info)
        assert holder.rtm.leak_report().empty

    def test_references_are_per_entity(self, holder: Holder) -> None:
        """A reference is attributed to the entity that took it: OSPF cannot release RIP's reference
        (ERROR_INVALID_HANDLE) and nothing changes (A-refs)."""
        before = holder.rtm.leak_report()
        assert ERROR_INVALID_HANDLE == holder.rtm.RtmReleaseRoutes(holder.ospf, 1, [holder.route]).status
        assert ERROR_INVALID_HANDLE == holder.rtm.RtmReleaseNextHops(holder.ospf, 1, [holder.nh]).status
        assert before == holder.rtm.leak_report()

    def test_double_release(self, holder: Holder) -> None:
        """Releasing more references than held: ERROR_INVALID_HANDLE, all or nothing (A-refs)."""
        holder.rtm.RtmReferenceHandles(holder.rip, 1, [holder.route])
        before = holder.rtm.leak_report()
        assert ERROR_INVALID_HANDLE == holder.rtm.RtmReleaseRoutes(holder.rip, 3, [holder.route] * 3).status
        assert before == holder.rtm.leak_report()
        assert NO_ERROR == holder.rtm.RtmReleaseRoutes(holder.rip, 2, [holder.route] * 2).status
        assert ERROR_INVALID_HANDLE == holder.rtm.RtmReleaseRoutes(holder.rip, 1, [holder.route]).status

    def test_wrong_release_function(self, holder: Holder) -> None:
        """A handle given to the release function of another type: ERROR_INVALID_HANDLE (A-refs)."""
        api = loose(holder.rtm)
        assert ERROR_INVALID_HANDLE == api.RtmReleaseNextHops(holder.rip, 1, [holder.route]).status
        assert ERROR_INVALID_HANDLE == api.RtmReleaseRoutes(holder.rip, 1, [holder.nh]).status
        assert ERROR_INVALID_HANDLE == api.RtmReleaseEntities(holder.rip, 1, [holder.nh]).status
        assert 1 == holder.rtm.leak_report().entities[0].handles[repr(holder.route)]

    def test_open_handles_statistic(self, holder: Holder) -> None:
        """statistics()["open_handles"] counts every reference held by entities (V2-A-refs)."""
        assert 2 == holder.rtm.statistics()["open_handles"]
        holder.release_own()
        assert 0 == holder.rtm.statistics()["open_handles"]


class TestRtmDeregisterEntityRecord:
    """What RtmDeregisterEntity records about leftovers (V2-2.15, V2-A-dereg)."""

    def test_clean_deregistration_leaves_no_record(self, holder: Holder) -> None:
        """An entity that cleaned up first (released, deleted) leaves no deregistration record (V2-2.15, V2-A-dereg)."""
        holder.release_own()
        assert (NO_ERROR, v2model.RTM_ROUTE_CHANGE_BEST) == tuple(
            holder.rtm.RtmDeleteRouteToDest(holder.rip, holder.route)
        )
        assert (
            NO_ERROR
            == holder.rtm.RtmDeleteNextHop(
                holder.rip, None, v2model.RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=1)
            ).status
        )
        assert NO_ERROR == holder.rtm.RtmDeregisterEntity(holder.rip).status
        assert holder.rtm.leak_report().empty

    def test_record_is_what_it_held_and_owned(self, holder: Holder) -> None:
        """The record is exactly the entity's entry just before deregistering, plus its routes and next hops;
        the live list no longer names it (V2-2.15, V2-A-dereg)."""
        info = dest_info(holder.rtm, holder.rip, "10.1.0.0/16")
        holder.rtm.RtmLockDestination(holder.rip, info.DestHandle, False, True)
        assert (
            NO_ERROR
            == holder.rtm.RtmRegisterForChangeNotification(holder.rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL).status
        )
        name = repr(holder.rip)
        before = holder.record(holder.rip)
        assert NO_ERROR == holder.rtm.RtmDeregisterEntity(holder.rip).status
        report = holder.rtm.leak_report()
        assert ((), (before,)) == (report.entities, report.deregistrations)
        assert before is not None
        assert (1, 1, {"dest": 1}) == (before.routes, before.next_hops, dict(before.info_structures))
        assert before == report.for_entity(name)
        assert (False, False) == (before.clean, report.empty)

    def test_only_owning_routes_is_still_recorded(self, holder: Holder) -> None:
        """Routes and next hops left behind are a leak at deregistration even with every handle released (V2-2.15,
        V2-A-dereg)."""
        holder.release_own()
        assert NO_ERROR == holder.rtm.RtmDeregisterEntity(holder.rip).status
        [record] = holder.rtm.leak_report().deregistrations
        assert (True, 1, 1) == (record.holds_nothing, record.routes, record.next_hops)

    def test_force_clean_releases_everything(self, holder: Holder) -> None:
        """After the forced cleanup nothing of the entity remains in the table (A-dereg)."""
        assert NO_ERROR == holder.rtm.RtmCreateRouteEnum(holder.rip, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START).status
        assert NO_ERROR == holder.rtm.RtmDeregisterEntity(holder.rip).status
        assert {"entities": 2, "destinations": 0, "routes": 0, "next_hops": 0, "open_handles": 0} == dict(
            holder.rtm.statistics()
        )
        assert [] == enum_dest_prefixes(holder.rtm, holder.ospf)

    def test_strict_dereg_leaves_objects_in_place(self, clock: v2model.ManualClock) -> None:
        """With strict_dereg the leftovers stay where they were (a faithful leak) and are still recorded
        (A-dereg)."""
        with v2model.RoutingTableManager(clock=clock, config=RtmConfig(strict_dereg=True)) as rtm:
            holder = Holder(rtm)
            assert NO_ERROR == rtm.RtmDeregisterEntity(holder.rip).status
            assert 1 == len(rtm.leak_report().deregistrations)
            assert (1, 1) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])
            views = view_of(rtm, holder.ospf, "10.1.0.0/16")
            assert views is not None
            assert repr(holder.route) == views[0].Route

    def test_records_accumulate(self, holder: Holder) -> None:
        """Each careless deregistration adds its own record, in order (V2-2.15, V2-A-dereg)."""
        nexthop(holder.rtm, holder.bgp, "203.0.113.1", 4)
        names = [repr(holder.rip), repr(holder.bgp)]
        holder.rtm.RtmDeregisterEntity(holder.rip)
        holder.rtm.RtmDeregisterEntity(holder.bgp)
        assert names == [r.entity for r in holder.rtm.leak_report().deregistrations]
        status, info = holder.rtm.RtmGetExactMatchDestination(
            holder.ospf, net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert (v2model.ERROR_NOT_FOUND, None) == (status, info)
