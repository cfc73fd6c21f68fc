"""A careless client deregisters without cleaning up (V2-2.2, V2-2.15, V2-6.1, V2-A-dereg).

RTMv2 makes cleanup the client's duty; the model force-cleans what is left, keeps the table consistent, tells
the others, and names every leftover in the leak report.
"""

from __future__ import annotations

from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_TYPE_BEST,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENUM_START,
    RTM_ROUTE_EXPIRED,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import Recorder, dest_info, drain, enum_dest_prefixes, some, view_of
from .support import add_route, nexthop, register, route_info


class Careless:
    """RIP (careless), BGP (backup routes, tidy) and OSPF (watching best routes, tidy)."""

    def __init__(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        self.rtm = rtm
        self.clock = clock
        self.rip_events = Recorder()
        self.ospf_events = Recorder()
        self.bgp = register(rtm, PROTO_IP_BGP)
        self.ospf = register(rtm, PROTO_IP_OSPF, callback=self.ospf_events)
        status, self.notify = rtm.RtmRegisterForChangeNotification(
            self.ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, "ospf"
        )
        assert NO_ERROR == status
        self.bgp_nh = nexthop(rtm, self.bgp, "203.0.113.1", 9)
        self.bgp_routes = [
            add_route(rtm, self.bgp, prefix, route_info(self.bgp_nh, metric=5))[0]
            for prefix in ("10.1.0.0/16", "10.3.0.0/16")
        ]
        self.rip = register(
            rtm,
            PROTO_IP_RIP,
            callback=self.rip_events,
            opaque=True,
            methods=RTM_ENTITY_EXPORT_METHODS(Methods=[lambda *args: None]),
        )
        self.rip_name = repr(self.rip)

    def make_a_mess(self) -> dict[str, Any]:
        """Everything RIP leaves behind: routes (one with a TTL), next hops, an enumeration with a batch of
        destination information not released, a destination information, a route list, a notification
        registration, a shared lock, an opaque-slot value."""
        rtm, rip = self.rtm, self.rip
        nh1 = nexthop(rtm, rip, "192.0.2.1", 1)
        nh2 = nexthop(rtm, rip, "192.0.2.2", 2)
        best, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh1, metric=1))
        only, _ = add_route(rtm, rip, "10.2.0.0/16", route_info(nh2, metric=1), ttl=1000)
        worse, _ = add_route(rtm, rip, "10.3.0.0/16", route_info(nh1, metric=9))
        _, enum = rtm.RtmCreateDestEnum(rip, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        status, count, batch = rtm.RtmGetEnumDests(rip, enum, 2)
        assert (NO_ERROR, 2, 2) == (status, count, len(batch or ()))
        single = dest_info(rtm, rip, "10.3.0.0/16")
        _, rlist = rtm.RtmCreateRouteList(rip)
        rtm.RtmInsertInRouteList(rip, rlist, 2, [best, only])
        _, notify = rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
        rtm.RtmLockDestination(rip, single.DestHandle, False, True)
        _, cell = rtm.RtmGetOpaqueInformationPointer(rip, single.DestHandle)
        assert cell is not None
        cell.value = "rip state"
        return {"enum": enum, "rlist": rlist, "notify": notify, "single": single, "routes": [best, only, worse]}

    def drain_ospf(self) -> list[tuple[str, str | None]]:
        """What OSPF's BEST registration has pending: (prefix, best route owner)."""
        return [
            (prefix, views[0].Owner)
            for _, batch in drain(self.rtm, self.ospf, self.notify, 25)
            for prefix, _, views in batch
        ]


@pytest.fixture
def careless(rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> Careless:
    return Careless(rtm, clock)


class TestCarelessDeregistration:
    """RtmDeregisterEntity of an entity that still owns and holds things (V2-A-dereg)."""

    def test_table_stays_consistent(self, careless: Careless) -> None:
        """RIP's routes are deleted with normal best-route recomputation: BGP's backup becomes best where RIP
        was best, RIP's only-route destination disappears, and the statistics count only what is left (V2-A-dereg)."""
        careless.make_a_mess()
        careless.drain_ospf()
        assert NO_ERROR == careless.rtm.RtmDeregisterEntity(careless.rip).status
        stats = careless.rtm.statistics()
        assert {"entities": 2, "destinations": 2, "routes": 2, "next_hops": 1, "open_handles": 3} == {
            k: stats[k] for k in ("entities", "destinations", "routes", "next_hops", "open_handles")
        }
        assert ["10.1.0.0/16", "10.3.0.0/16"] == enum_dest_prefixes(careless.rtm, careless.ospf)
        for prefix, route in zip(("10.1.0.0/16", "10.3.0.0/16"), careless.bgp_routes, strict=True):
            views = view_of(careless.rtm, careless.ospf, prefix)
            assert views is not None
            assert (1, repr(route), repr(careless.bgp)) == (views[0].NumRoutes, views[0].Route, views[0].Owner)

    def test_others_get_their_notifications(self, careless: Careless) -> None:
        """OSPF is told of the best-route changes the cleanup caused (10.1 now BGP's, 10.2 withdrawn; 10.3's
        best did not change) and gets RTM_ENTITY_DEREGISTERED with RIP's handle and identity."""
        careless.make_a_mess()
        careless.drain_ospf()
        careless.ospf_events.clear()
        rip_info = careless.rip and v2model.RTM_ENTITY_INFO(
            RtmInstanceId=0, AddressFamily=v2model.AF_INET, EntityId=v2model.RTM_ENTITY_ID(PROTO_IP_RIP, 0)
        )
        assert NO_ERROR == careless.rtm.RtmDeregisterEntity(careless.rip).status
        assert [("ospf", careless.notify)] == [(e.context2, e.context1) for e in careless.ospf_events.notifications]
        [deregistered] = careless.ospf_events.of(RTM_ENTITY_DEREGISTERED)
        assert (careless.rip, rip_info) == (deregistered.context1, deregistered.context2)
        assert [("10.1.0.0/16", repr(careless.bgp)), ("10.2.0.0/16", None)] == careless.drain_ospf()

    def test_leak_report_names_what_was_left(self, careless: Careless) -> None:
        """The deregistration record names the routes and next hops owned, the handles and information
        structures held, the lock, and the open enumeration, route list and notification registration (V2-A-dereg)."""
        mess = careless.make_a_mess()
        dest_name = repr(mess["single"].DestHandle)
        registrations = {repr(mess["notify"]), repr(mess["enum"]), repr(mess["rlist"])}
        route_names = {repr(r) for r in mess["routes"]}
        assert NO_ERROR == careless.rtm.RtmDeregisterEntity(careless.rip).status
        report = careless.rtm.leak_report()
        [record] = report.deregistrations
        assert record == report.for_entity(careless.rip_name)
        assert (careless.rip_name, 3, 2) == (record.entity, record.routes, record.next_hops)
        assert {"dest": 3} == dict(record.info_structures)
        assert (f"dest {dest_name} (shared)",) == record.locks
        assert registrations == set(record.registrations)
        assert route_names <= set(record.handles)
        assert dest_name in record.handles
        assert all(r.entity != careless.rip_name for r in report.entities)

    def test_the_handle_and_its_objects_are_dead(self, careless: Careless) -> None:
        """Afterwards RIP's handle, enumeration, list and registration are invalid; RIP's methods cannot be
        invoked; its pending expiry never fires; its callback hears nothing more (V2-A-dereg)."""
        mess = careless.make_a_mess()
        careless.rip_events.clear()
        rtm, rip = careless.rtm, careless.rip
        assert NO_ERROR == rtm.RtmDeregisterEntity(rip).status
        assert ERROR_INVALID_HANDLE == rtm.RtmDeregisterEntity(rip).status
        assert ERROR_INVALID_HANDLE == rtm.RtmGetEnumDests(rip, mess["enum"], 1).status
        assert ERROR_INVALID_HANDLE == rtm.RtmGetEnumDests(careless.ospf, mess["enum"], 1).status
        assert ERROR_INVALID_HANDLE == rtm.RtmCreateRouteListEnum(careless.ospf, mess["rlist"]).status
        assert ERROR_INVALID_HANDLE == rtm.RtmGetChangedDests(careless.ospf, mess["notify"], 1).status
        assert (
            ERROR_INVALID_HANDLE
            == rtm.RtmAddRouteToDest(rip, None, net_address("10.9.0.0/16"), route_info(None), INFINITE).status
        )
        assert (
            ERROR_INVALID_HANDLE
            == rtm.RtmInvokeMethod(careless.ospf, rip, RTM_ENTITY_METHOD_INPUT(MethodType=1), 100).status
        )
        careless.clock.advance(1000)
        rtm.process_timers()
        assert [] == careless.rip_events.of(RTM_ROUTE_EXPIRED)
        assert [] == careless.rip_events.events

    def test_resources_are_free_for_others(self, careless: Careless) -> None:
        """The lock RIP held is gone (BGP can lock exclusively) and its opaque slot is free and reset for the
        next entity to reserve one (V2-A-dereg)."""
        careless.make_a_mess()
        assert NO_ERROR == careless.rtm.RtmDeregisterEntity(careless.rip).status
        dest = careless.rtm.RtmGetExactMatchDestination(
            careless.bgp, net_address("10.3.0.0/16"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        ).DestInfo
        assert dest is not None
        assert NO_ERROR == careless.rtm.RtmLockDestination(careless.bgp, dest.DestHandle, True, True).status
        newcomer = register(careless.rtm, PROTO_IP_RIP, 2, opaque=True)
        status, cell = careless.rtm.RtmGetOpaqueInformationPointer(newcomer, dest.DestHandle)
        assert (NO_ERROR, None) == (status, cell and cell.value)
        assert NO_ERROR == careless.rtm.RtmLockDestination(careless.bgp, dest.DestHandle, True, False).status
        careless.rtm.RtmReleaseDestInfo(careless.bgp, dest)

    def test_held_destination_keeps_a_hold_route(self, careless: Careless) -> None:
        """RIP had armed hold-down on its only-route destination: the forced deletion leaves the usual hold
        route, which others can read and which expires cleanly (V2-2.7, V2-A-dereg)."""
        careless.make_a_mess()
        info = dest_info(careless.rtm, careless.rip, "10.2.0.0/16")
        assert NO_ERROR == careless.rtm.RtmHoldDestination(careless.rip, some(info.DestHandle), 1, 2000).status
        assert NO_ERROR == careless.rtm.RtmDeregisterEntity(careless.rip).status
        held = dest_info(careless.rtm, careless.ospf, "10.2.0.0/16", RTM_VIEW_MASK_UCAST)
        hold_route = held.ViewInfo[0].HoldRoute
        status, route_info_, _ = careless.rtm.RtmGetRouteInfo(careless.ospf, hold_route)
        assert (NO_ERROR, v2model.RTM_ROUTE_STATE_DELETED) == (status, some(route_info_).State)
        assert NO_ERROR == careless.rtm.RtmReleaseRouteInfo(careless.ospf, some(route_info_)).status
        assert NO_ERROR == careless.rtm.RtmReleaseDestInfo(careless.ospf, held).status
        careless.clock.advance(2000)
        assert view_of(careless.rtm, careless.ospf, "10.2.0.0/16") is None
        assert ["10.1.0.0/16", "10.3.0.0/16"] == enum_dest_prefixes(careless.rtm, careless.ospf)

    def test_others_references_to_its_objects_stay_valid(self, careless: Careless) -> None:
        """OSPF took a destination information naming RIP's best route before RIP left: releasing it later
        still works, and then OSPF and BGP can clean up to an empty live report (V2-A-dereg)."""
        careless.make_a_mess()
        info = dest_info(careless.rtm, careless.ospf, "10.1.0.0/16", RTM_VIEW_MASK_UCAST)
        assert careless.rip == info.ViewInfo[0].Owner
        assert NO_ERROR == careless.rtm.RtmDeregisterEntity(careless.rip).status
        status, route_info_, _ = careless.rtm.RtmGetRouteInfo(careless.ospf, info.ViewInfo[0].Route)
        assert (NO_ERROR, v2model.RTM_ROUTE_STATE_DELETED) == (status, route_info_ and route_info_.State)
        careless.rtm.RtmReleaseRouteInfo(careless.ospf, some(route_info_))
        assert NO_ERROR == careless.rtm.RtmReleaseDestInfo(careless.ospf, info).status
        careless.drain_ospf()
        assert NO_ERROR == careless.rtm.RtmDeregisterFromChangeNotification(careless.ospf, careless.notify).status
        assert NO_ERROR == careless.rtm.RtmReleaseRoutes(careless.bgp, 2, careless.bgp_routes).status
        assert NO_ERROR == careless.rtm.RtmReleaseNextHops(careless.bgp, 1, [careless.bgp_nh]).status
        report = careless.rtm.leak_report()
        assert ((), [careless.rip_name]) == (report.entities, [r.entity for r in report.deregistrations])
        assert 0 == careless.rtm.statistics()["open_handles"]
