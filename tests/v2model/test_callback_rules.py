"""Calls the docs forbid inside event callbacks are refused with ERROR_INVALID_PARAMETER (V2-2.2, V2-A-cbrules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import v2model
from v2model import (
    AF_INET,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_SUPPORTED,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_REGISTERED,
    RTM_ROUTE_EXPIRED,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import Event, Recorder, run_in_thread, some
from .support import nexthop, register, route_info


def entity_info(protocol: int, instance: int = 0) -> RTM_ENTITY_INFO:
    return RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(protocol, instance))


class Probe:
    """An event callback that, on one event type, runs the given calls once and records their statuses."""

    def __init__(self, rtm: v2model.RoutingTableManager, on: int, calls: dict[str, Callable[[Event], Any]]) -> None:
        self.rtm = rtm
        self.on = on
        self.calls = calls
        self.results: dict[str, int] = {}
        self.recorder = Recorder(on_event=self._probe)

    def _probe(self, event: Event) -> int | None:
        if event.event == self.on and not self.results:
            for name, call in self.calls.items():
                self.results[name] = call(event).status
        return ERROR_NOT_SUPPORTED if event.event == RTM_ROUTE_EXPIRED else None


class TestInsideEntityEvents:
    """Inside RTM_ENTITY_REGISTERED / RTM_ENTITY_DEREGISTERED: no RtmRegisterEntity, RtmDeregisterEntity,
    RtmGetRegisteredEntities (V2-2.2)."""

    def _calls(self, rtm: v2model.RoutingTableManager, holder: list[Any]) -> dict[str, Callable[[Event], Any]]:
        return {
            "register": lambda e: rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP, 7)),
            "deregister": lambda e: rtm.RtmDeregisterEntity(e.handle),
            "get_registered": lambda e: rtm.RtmGetRegisteredEntities(e.handle, 10),
            "reference": lambda e: rtm.RtmReferenceHandles(e.handle, 1, [holder[0]]),
            "route_list": lambda e: rtm.RtmCreateRouteList(e.handle),
        }

    def test_registered(self, rtm: v2model.RoutingTableManager) -> None:
        """The three forbidden calls give ERROR_INVALID_PARAMETER and do nothing; other calls work (V2-2.2)."""
        kept: list[Any] = []
        probe = Probe(rtm, RTM_ENTITY_REGISTERED, self._calls(rtm, kept))
        probe.calls["reference"] = lambda e: rtm.RtmReferenceHandles(e.handle, 1, [e.context1])
        watcher = register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        newcomer = register(rtm, PROTO_IP_RIP)
        assert {
            "register": ERROR_INVALID_PARAMETER,
            "deregister": ERROR_INVALID_PARAMETER,
            "get_registered": ERROR_INVALID_PARAMETER,
            "reference": NO_ERROR,
            "route_list": NO_ERROR,
        } == probe.results
        assert 2 == rtm.statistics()["entities"]
        assert NO_ERROR == rtm.RtmReleaseEntities(watcher, 1, [newcomer]).status

    def test_deregistered(self, rtm: v2model.RoutingTableManager) -> None:
        """The same rules inside RTM_ENTITY_DEREGISTERED (V2-2.2)."""
        probe = Probe(rtm, RTM_ENTITY_DEREGISTERED, self._calls(rtm, [None]))
        del probe.calls["reference"]
        watcher = register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        leaving = register(rtm, PROTO_IP_RIP)
        assert NO_ERROR == rtm.RtmDeregisterEntity(leaving).status
        assert {
            "register": ERROR_INVALID_PARAMETER,
            "deregister": ERROR_INVALID_PARAMETER,
            "get_registered": ERROR_INVALID_PARAMETER,
            "route_list": NO_ERROR,
        } == probe.results
        assert 1 == rtm.statistics()["entities"]
        assert NO_ERROR == rtm.RtmDeregisterEntity(watcher).status

    def test_deregistered_handle_is_borrowed_for_the_callback(self, rtm: v2model.RoutingTableManager) -> None:
        """Context1 of RTM_ENTITY_DEREGISTERED is a valid handle while the callback runs (it may be referenced
        and released) and dead afterwards (V2-A-reg-events, V2-A-dereg: the handle dies after the others heard)."""
        probe = Probe(
            rtm,
            RTM_ENTITY_DEREGISTERED,
            {
                "reference": lambda e: rtm.RtmReferenceHandles(e.handle, 1, [e.context1]),
                "release": lambda e: rtm.RtmReleaseEntities(e.handle, 1, [e.context1]),
            },
        )
        watcher = register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        leaving = register(rtm, PROTO_IP_RIP)
        assert NO_ERROR == rtm.RtmDeregisterEntity(leaving).status
        assert {"reference": NO_ERROR, "release": NO_ERROR} == probe.results
        assert v2model.ERROR_INVALID_HANDLE == rtm.RtmReferenceHandles(watcher, 1, [leaving]).status
        assert rtm.leak_report().empty

    def test_allowed_again_after_the_callback(self, rtm: v2model.RoutingTableManager) -> None:
        """Once the callback has returned the same calls work (V2-2.2)."""
        probe = Probe(rtm, RTM_ENTITY_REGISTERED, {"register": lambda e: rtm.RtmRegisterEntity(entity_info(9))})
        watcher = register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        register(rtm, PROTO_IP_RIP)
        assert {"register": ERROR_INVALID_PARAMETER} == probe.results
        assert NO_ERROR == rtm.RtmRegisterEntity(entity_info(9)).status
        status, count, handles, _ = rtm.RtmGetRegisteredEntities(watcher, 10)
        assert (NO_ERROR, 3) == (status, count)
        assert handles is not None
        assert NO_ERROR == rtm.RtmReleaseEntities(watcher, some(count), handles).status

    def test_other_threads_are_not_restricted(self, rtm: v2model.RoutingTableManager) -> None:
        """The rule binds the thread running the callback only: another thread may register meanwhile (V2-2.2)."""
        probe = Probe(
            rtm,
            RTM_ENTITY_REGISTERED,
            {"other_thread": lambda e: run_in_thread(lambda: rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP)))[1]},
        )
        register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        register(rtm, PROTO_IP_RIP)
        assert {"other_thread": NO_ERROR} == probe.results
        assert 3 == rtm.statistics()["entities"]


class TestInsideChangeNotification:
    """Inside RTM_CHANGE_NOTIFICATION: no RtmRegisterForChangeNotification (V2-2.2, V2-6.9)."""

    def test_register_for_change_notification_is_refused(self, rtm: v2model.RoutingTableManager) -> None:
        """RtmRegisterForChangeNotification gives ERROR_INVALID_PARAMETER and registers nothing; draining and
        even registering an entity are allowed (V2-2.2, V2-6.9)."""
        probe = Probe(
            rtm,
            RTM_CHANGE_NOTIFICATION,
            {
                "register_notify": lambda e: rtm.RtmRegisterForChangeNotification(
                    e.handle, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL
                ),
                "get_changed": lambda e: rtm.RtmGetChangedDests(e.handle, e.context1, 0),
                "register_entity": lambda e: rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP)),
                "get_registered": lambda e: rtm.RtmGetRegisteredEntities(e.handle, 0),
            },
        )
        ospf = register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        status, reg = rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        assert NO_ERROR == status
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh))
        assert {
            "register_notify": ERROR_INVALID_PARAMETER,
            "get_changed": NO_ERROR,
            "register_entity": NO_ERROR,
            "get_registered": v2model.ERROR_INSUFFICIENT_BUFFER,
        } == probe.results
        record = rtm.leak_report().for_entity(repr(ospf))
        assert record is not None
        assert (repr(reg),) == record.registrations
        assert NO_ERROR == rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL).status

    def test_entity_calls_are_allowed(self, rtm: v2model.RoutingTableManager) -> None:
        """RtmDeregisterEntity is only forbidden in entity events: inside a change notification it works (V2-2.2,
        V2-6.9)."""
        probe = Probe(rtm, RTM_CHANGE_NOTIFICATION, {"deregister": lambda e: rtm.RtmDeregisterEntity(e.handle)})
        ospf = register(rtm, PROTO_IP_OSPF, callback=probe.recorder)
        rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh))
        assert {"deregister": NO_ERROR} == probe.results
        assert 1 == rtm.statistics()["entities"]


class TestInsideRouteExpired:
    """RTM_ROUTE_EXPIRED has no forbidden calls (V2-2.2)."""

    def test_nothing_is_forbidden(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """Registering entities and notifications and listing entities all work inside the expiry callback (
        V2-2.2)."""
        probe = Probe(
            rtm,
            RTM_ROUTE_EXPIRED,
            {
                "register_notify": lambda e: rtm.RtmRegisterForChangeNotification(
                    e.handle, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL
                ),
                "register_entity": lambda e: rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP)),
                "get_registered": lambda e: rtm.RtmGetRegisteredEntities(e.handle, 0),
            },
        )
        rip = register(rtm, PROTO_IP_RIP, callback=probe.recorder)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh), 10)
        clock.advance(10)
        rtm.process_timers()
        assert {
            "register_notify": NO_ERROR,
            "register_entity": NO_ERROR,
            "get_registered": v2model.ERROR_INSUFFICIENT_BUFFER,
        } == probe.results
