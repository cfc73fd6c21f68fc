"""The Microsoft RTMv2 sample pages (MicrosoftDocs/win32, desktop-src/RRAS/) as Python scenarios.

Each test does what one sample does, through the C-named API, and ends the way a well-behaved client ends: the
documented cleanup (V2-2.15, V2-6.1) and an empty leak report. Where a sample has a bug (V2-9) the
scenario does the intended thing and says so.
"""

from __future__ import annotations

from typing import Any

import v2model
from v2model import (
    AF_INET,
    ERROR_INSUFFICIENT_BUFFER,
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_FOUND,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    METHOD_TYPE_ALL_METHODS,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    PROTO_TYPE_UCAST,
    PROTOCOL_ID,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_BEST,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENTITY_METHOD_OUTPUT,
    RTM_ENTITY_REGISTERED,
    RTM_ENUM_OWN_ROUTES,
    RTM_ENUM_RANGE,
    RTM_ENUM_START,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_EXPIRED,
    RTM_ROUTE_INFO,
    RTM_VIEW_ID_UCAST,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import some

#: routprot.h's PROTOCOL_ID(PROTO_TYPE_UCAST, PROTO_VENDOR_ID 0xFFFF, PROTO_IP_RIP), as the samples compute it.
SAMPLE_INSTANCE_ID = PROTOCOL_ID(PROTO_TYPE_UCAST, 0xFFFF, PROTO_IP_RIP)
METRIC_UNREACHABLE = 16
UCAST_MCAST = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST


def sample_entity_info(protocol: int = PROTO_IP_RIP, instance: int = SAMPLE_INSTANCE_ID) -> RTM_ENTITY_INFO:
    """EntityInfo as the samples fill it (RtmInstanceId 0, AF_INET, PROTO_IP_RIP + PROTOCOL_ID(...))."""
    return RTM_ENTITY_INFO(
        RtmInstanceId=0,
        AddressFamily=AF_INET,
        EntityId=RTM_ENTITY_ID(EntityProtocolId=protocol, EntityInstanceId=instance),
    )


def register_entity(
    rtm: v2model.RoutingTableManager,
    info: RTM_ENTITY_INFO | None = None,
    methods: RTM_ENTITY_EXPORT_METHODS | None = None,
    callback: Any = None,
    opaque: bool = False,
) -> tuple[v2model.Entity, v2model.RTM_REGN_PROFILE]:
    """RtmRegisterEntity(&EntityInfo, ..., &RegnProfile, &RtmRegHandle), checking the status."""
    status, profile, handle = rtm.RtmRegisterEntity(info or sample_entity_info(), methods, callback, opaque)
    assert NO_ERROR == status
    assert handle is not None
    assert profile is not None
    return handle, profile


def add_next_hop(rtm: v2model.RoutingTableManager, h: v2model.Entity, address: str, interface: int) -> Any:
    """Steps 2-3 of "add a route": an RTM_NEXTHOP_INFO (address/32 + interface) and RtmAddNextHop."""
    info = RTM_NEXTHOP_INFO(NextHopAddress=net_address(address), InterfaceIndex=interface)
    status, handle, _flags = rtm.RtmAddNextHop(h, info, None)
    assert NO_ERROR == status
    return handle


def sample_route_info(next_hop: Any, metric: int, views: int = UCAST_MCAST) -> RTM_ROUTE_INFO:
    """Step 4: a zeroed RTM_ROUTE_INFO with Neighbour, Metric ("Preference set internally"), views, one hop."""
    return RTM_ROUTE_INFO(
        Neighbour=next_hop,
        PrefInfo=RTM_PREF_INFO(Metric=metric),
        BelongsToViews=views,
        NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=1, NextHops=[next_hop]),
    )


def add_routes(
    rtm: v2model.RoutingTableManager, h: v2model.Entity, prefixes: list[str], ttl: int = INFINITE, rlist: Any = None
) -> Any:
    """Add one route per prefix through one next hop, releasing every handle as the add sample does; returns
    nothing the caller must release."""
    nh = add_next_hop(rtm, h, "192.0.2.1", 1)
    for i, prefix in enumerate(prefixes):
        status, route, _ = rtm.RtmAddRouteToDest(
            h, None, net_address(prefix), sample_route_info(nh, metric=i + 1), ttl, rlist, 0, None, 0
        )
        assert NO_ERROR == status
        assert NO_ERROR == rtm.RtmReleaseRoutes(h, 1, [some(route)]).status
    assert NO_ERROR == rtm.RtmReleaseNextHops(h, 1, [nh]).status


def delete_own_routes_and_next_hops(rtm: v2model.RoutingTableManager, h: v2model.Entity, profile: Any) -> None:
    """The documented cleanup before deregistering (V2-2.15, V2-6.1): enumerate and delete every own route, then
    every own next hop; the delete calls consume the handles they are given."""
    status, enum = rtm.RtmCreateRouteEnum(h, None, RTM_VIEW_MASK_ANY, RTM_ENUM_OWN_ROUTES)
    assert NO_ERROR == status
    while True:
        status, _, routes = rtm.RtmGetEnumRoutes(h, enum, profile.MaxHandlesInEnum)
        assert routes is not None
        for route in routes:
            assert NO_ERROR == rtm.RtmDeleteRouteToDest(h, route).status
        if status != NO_ERROR:
            break
    assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum).status
    status, enum = rtm.RtmCreateNextHopEnum(h, RTM_ENUM_START)
    assert NO_ERROR == status
    while True:
        status, _, hops = rtm.RtmGetEnumNextHops(h, enum, profile.MaxHandlesInEnum)
        assert hops is not None
        for hop in hops:
            assert NO_ERROR == rtm.RtmDeleteNextHop(h, hop).status
        if status != NO_ERROR:
            break
    assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum).status


def clean_deregister(rtm: v2model.RoutingTableManager, h: v2model.Entity, profile: Any) -> None:
    delete_own_routes_and_next_hops(rtm, h, profile)
    assert NO_ERROR == rtm.RtmDeregisterEntity(h).status


class TestRegisterWithTheRoutingTableManager:
    """register-with-the-routing-table-manager.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """Register RIP with the sample's EntityInfo (no methods, no callback, no opaque pointer), read the
        profile, deregister (V2-7)."""
        handle, profile = register_entity(rtm)
        assert (0x3FFF0008, 25, UCAST_MCAST, 2) == (
            SAMPLE_INSTANCE_ID,
            profile.MaxHandlesInEnum,
            profile.ViewsSupported,
            profile.NumberOfViews,
        )
        assert NO_ERROR == rtm.RtmDeregisterEntity(handle).status
        assert rtm.leak_report().empty, rtm.leak_report()


class TestRegisterForChangeNotification:
    """register-for-change-notification.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """Register with one exported method, register for BEST changes in the unicast view with the entity
        handle as context, then deregister from notifications and deregister (V2-7)."""
        calls: list[Any] = []
        methods = RTM_ENTITY_EXPORT_METHODS(NumMethods=1, Methods=[lambda *args: calls.append(args)])
        this_client, _ = register_entity(rtm, methods=methods)
        other_client = this_client
        status, notify = rtm.RtmRegisterForChangeNotification(
            this_client, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, other_client
        )
        assert NO_ERROR == status
        status = rtm.RtmDeregisterFromChangeNotification(this_client, notify).status
        status |= rtm.RtmDeregisterEntity(this_client).status
        assert NO_ERROR == status
        assert [] == calls
        assert rtm.leak_report().empty, rtm.leak_report()


class TestAddAndUpdateRoutes:
    """add-and-update-routes-using-rtmaddroutetodest.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """Add a next hop, add a route in both views with a 1000 ms TTL into route list 1 (NEW and BEST), add
        it again (an update of the same route: not NEW), update it from RtmGetRouteInfo, release everything,
        clean up (V2-7)."""
        h, profile = register_entity(rtm)
        _, route_list1 = rtm.RtmCreateRouteList(h)
        next_hop = add_next_hop(rtm, h, "192.0.2.1", 3)
        again = add_next_hop(rtm, h, "192.0.2.1", 3)
        assert next_hop is again  # an existing next hop is returned, not added
        route_info = sample_route_info(next_hop, metric=2)
        status, route, change_flags = rtm.RtmAddRouteToDest(
            h, None, net_address("10.1.0.0/16"), route_info, 1000, route_list1, 0, None, 0
        )
        assert (NO_ERROR, RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST) == (status, change_flags)
        status, same, change_flags = rtm.RtmAddRouteToDest(
            h, None, net_address("10.1.0.0/16"), route_info, 1000, route_list1, 0, None, 0
        )
        assert (NO_ERROR, route, 0) == (status, same, change_flags)

        # To update: RtmGetRouteInfo, change the copy, RtmAddRouteToDest with the handle.
        status, info, _ = rtm.RtmGetRouteInfo(h, route)
        assert NO_ERROR == status
        assert info is not None
        update = RTM_ROUTE_INFO(
            Neighbour=info.Neighbour,
            PrefInfo=RTM_PREF_INFO(Metric=7),
            BelongsToViews=info.BelongsToViews,
            NextHopsList=RTM_NEXTHOP_LIST(NextHops=list(info.NextHopsList.NextHops)),
        )
        assert NO_ERROR == rtm.RtmReleaseRouteInfo(h, info).status
        status, _, change_flags = rtm.RtmAddRouteToDest(h, route, None, update, INFINITE, None, 0, None, 0)
        assert (NO_ERROR, RTM_ROUTE_CHANGE_BEST) == (status, change_flags)
        clock.advance(1000)
        status, dest = rtm.RtmGetExactMatchDestination(
            h, net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert NO_ERROR == status  # INFINITE on update: the 1000 ms timer was cancelled
        assert NO_ERROR == rtm.RtmReleaseDestInfo(h, some(dest)).status

        assert NO_ERROR == rtm.RtmReleaseRoutes(h, 2, [some(route), some(same)]).status
        assert NO_ERROR == rtm.RtmReleaseNextHops(h, 2, [next_hop, again]).status
        assert NO_ERROR == rtm.RtmDeleteRouteList(h, route_list1).status
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestEventNotificationCallback:
    """use-the-event-notification-callback.md: the callback handles every event type."""

    def test_sample(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """REGISTERED / DEREGISTERED are noted; CHANGE_NOTIFICATION drains with RtmGetChangedDests in batches of
        MaxHandlesInEnum until the count is 0, releasing with RtmReleaseChangedDests; ROUTE_EXPIRED locks the
        route, sets the metric to unreachable, RtmUpdateAndUnlockRoute(INFINITE), releases the handle (V2-7)."""
        log: list[Any] = []
        best_routes: dict[str, Any] = {}
        state: dict[str, Any] = {}

        def entity_event_callback(h: Any, event_type: int, context1: Any, context2: Any) -> int:
            status = ERROR_NOT_SUPPORTED
            if event_type in (RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED):
                log.append((event_type, context2.EntityId.EntityProtocolId))
                status = NO_ERROR
            elif event_type == RTM_CHANGE_NOTIFICATION:
                profile = state["profile"]
                while True:
                    got, num_dests, dest_infos = rtm.RtmGetChangedDests(h, context1, profile.MaxHandlesInEnum)
                    assert got in (NO_ERROR, ERROR_NO_MORE_ITEMS)
                    assert dest_infos is not None
                    for dest in dest_infos:
                        assert RTM_VIEW_ID_UCAST == dest.ViewInfo[0].ViewId
                        best_routes[v2model.format_net_address(dest.DestAddress)] = dest.ViewInfo[0].Route
                    rtm.RtmReleaseChangedDests(h, context1, some(num_dests), dest_infos)
                    if num_dests == 0:
                        break
                status = NO_ERROR
            elif event_type == RTM_ROUTE_EXPIRED:
                route_handle = context1
                locked, pointer = rtm.RtmLockRoute(h, route_handle, True, True)
                if locked == NO_ERROR:
                    assert pointer is not None
                    pointer.PrefInfo.Metric = METRIC_UNREACHABLE
                    assert NO_ERROR == rtm.RtmUpdateAndUnlockRoute(h, route_handle, INFINITE, None, 0, None).status
                rtm.RtmReleaseRoutes(h, 1, [route_handle])
                log.append((event_type, METRIC_UNREACHABLE))
                status = NO_ERROR
            return status

        h, profile = register_entity(rtm, callback=entity_event_callback)
        state["profile"] = profile
        status, notify = rtm.RtmRegisterForChangeNotification(h, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None)
        assert NO_ERROR == status
        ospf, _ = register_entity(rtm, sample_entity_info(PROTO_IP_OSPF, 0))
        add_routes(rtm, h, [f"10.{i}.0.0/16" for i in range(30)], ttl=500)
        assert 30 == len(best_routes)
        clock.advance(500)
        rtm.process_timers()
        assert 30 == log.count((RTM_ROUTE_EXPIRED, METRIC_UNREACHABLE))
        assert 30 == rtm.statistics()["routes"]
        assert NO_ERROR == rtm.RtmDeregisterEntity(ospf).status
        assert [(RTM_ENTITY_REGISTERED, PROTO_IP_OSPF), (RTM_ENTITY_DEREGISTERED, PROTO_IP_OSPF)] == [
            e for e in log if e[0] != RTM_ROUTE_EXPIRED
        ]
        assert NO_ERROR == rtm.RtmDeregisterFromChangeNotification(h, notify).status
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestEventNotificationCallbackContext2:
    """use-the-event-notification-callback.md, RTM_ROUTE_EXPIRED exactly as written: the edit goes through
    Context2, the route pointer (V2-A-ttl)."""

    def test_edit_through_context2_takes_effect(
        self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock
    ) -> None:
        """The sample locks the route (RoutePointer NULL), sets ``RoutePointer->PrefInfo.Metric`` where
        RoutePointer is Context2, calls RtmUpdateAndUnlockRoute(INFINITE) and releases the handle: the route
        stays with the unreachable metric; Context2 is the object RtmGetRoutePointer returns."""
        same_as_pointer: list[bool] = []

        def entity_event_callback(h: Any, event_type: int, context1: Any, context2: Any) -> int:
            status = ERROR_NOT_SUPPORTED
            if event_type == RTM_ROUTE_EXPIRED:
                route_handle, route_pointer = context1, context2
                if rtm.RtmLockRoute(h, route_handle, True, True).status == NO_ERROR:
                    route_pointer.PrefInfo.Metric = METRIC_UNREACHABLE
                    assert NO_ERROR == rtm.RtmUpdateAndUnlockRoute(h, route_handle, INFINITE, None, 0, None).status
                same_as_pointer.append(rtm.RtmGetRoutePointer(h, route_handle).RoutePointer is route_pointer)
                rtm.RtmReleaseRoutes(h, 1, [route_handle])
                status = NO_ERROR
            return status

        h, profile = register_entity(rtm, callback=entity_event_callback)
        add_routes(rtm, h, ["10.1.0.0/16"], ttl=500)
        clock.advance(500)
        status, info = rtm.RtmGetExactMatchDestination(h, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        assert NO_ERROR == status
        got, route_info, _ = rtm.RtmGetRouteInfo(h, some(info).ViewInfo[0].Route)
        assert (NO_ERROR, METRIC_UNREACHABLE, [True]) == (got, some(route_info).PrefInfo.Metric, same_as_pointer)
        rtm.RtmReleaseRouteInfo(h, some(route_info))
        rtm.RtmReleaseDestInfo(h, some(info))
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestRouteHoldDownState:
    """use-the-route-hold-down-state.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """Hold a destination for 30 s in the unicast view, delete its last route, enumerate RANGE 0/0 with
        RTM_VIEW_MASK_ANY and read each destination's HoldRoute / Route with RtmGetDestInfo in the unicast
        view; the held destination advertises its hold route (V2-7)."""
        h, profile = register_entity(rtm)
        nh = add_next_hop(rtm, h, "192.0.2.1", 1)
        status, route, _ = rtm.RtmAddRouteToDest(h, None, net_address("10.1.0.0/16"), sample_route_info(nh, 1))
        status, other, _ = rtm.RtmAddRouteToDest(h, None, net_address("10.2.0.0/16"), sample_route_info(nh, 1))
        assert NO_ERROR == rtm.RtmReleaseRoutes(h, 1, [some(other)]).status
        status, dest_info = rtm.RtmGetExactMatchDestination(h, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        assert dest_info is not None
        assert NO_ERROR == rtm.RtmHoldDestination(h, dest_info.DestHandle, RTM_VIEW_MASK_UCAST, 30 * 1000).status
        assert NO_ERROR == rtm.RtmReleaseDestInfo(h, dest_info).status
        assert NO_ERROR == rtm.RtmDeleteRouteToDest(h, route).status

        advertised: dict[str, str] = {}
        status, enum = rtm.RtmCreateDestEnum(
            h, RTM_VIEW_MASK_ANY, RTM_ENUM_RANGE, net_address("0.0.0.0/0"), RTM_BEST_PROTOCOL
        )
        assert NO_ERROR == status
        while True:
            status, num_infos, dest_infos = rtm.RtmGetEnumDests(h, enum, profile.MaxHandlesInEnum)
            assert dest_infos is not None
            for info in dest_infos:
                assert 0 == info.NumberOfViews  # RTM_VIEW_MASK_ANY: no view information
                got, actual = rtm.RtmGetDestInfo(h, info.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
                if got == NO_ERROR:
                    assert actual is not None
                    view = actual.ViewInfo[0]
                    advertised[v2model.format_net_address(info.DestAddress)] = "hold" if view.HoldRoute else "best"
                    rtm.RtmReleaseDestInfo(h, actual)
            rtm.RtmReleaseDests(h, some(num_infos), dest_infos)
            if status != NO_ERROR:
                break
        assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum).status
        assert {"10.1.0.0/16": "hold", "10.2.0.0/16": "best"} == advertised

        clock.advance(30 * 1000)
        assert NO_ERROR == rtm.RtmReleaseNextHops(h, 1, [nh]).status
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestEnumerateAllDestinations:
    """enumerate-all-destinations.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """RANGE 0/0 over UCAST|MCAST in batches of MaxHandlesInEnum (loop while NO_ERROR), ViewInfo[0] is the
        unicast view; each destination's routes enumerated with RtmCreateRouteEnum(DestHandle) (V2-7)."""
        h, profile = register_entity(rtm)
        prefixes = [f"10.{i}.0.0/16" for i in range(60)]
        add_routes(rtm, h, prefixes)
        seen: list[str] = []
        routes_seen = 0
        status, enum1 = rtm.RtmCreateDestEnum(
            h, UCAST_MCAST, RTM_ENUM_RANGE, net_address("0.0.0.0/0"), RTM_BEST_PROTOCOL
        )
        assert NO_ERROR == status
        while True:
            status, num_infos, dest_infos = rtm.RtmGetEnumDests(h, enum1, profile.MaxHandlesInEnum)
            assert dest_infos is not None
            for info in dest_infos:
                assert RTM_VIEW_ID_UCAST == info.ViewInfo[0].ViewId
                assert info.ViewInfo[0].Route is not None
                seen.append(v2model.format_net_address(info.DestAddress))
                _, route_enum = rtm.RtmCreateRouteEnum(h, info.DestHandle, UCAST_MCAST, RTM_ENUM_START)
                got, count, routes = rtm.RtmGetEnumRoutes(h, route_enum, profile.MaxHandlesInEnum)
                assert (ERROR_NO_MORE_ITEMS, [info.ViewInfo[0].Route]) == (got, routes)
                routes_seen += some(count)
                rtm.RtmReleaseRoutes(h, some(count), some(routes))
                rtm.RtmDeleteEnumHandle(h, route_enum)
            rtm.RtmReleaseDests(h, some(num_infos), dest_infos)
            if status != NO_ERROR:
                break
        assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum1).status
        assert (sorted(prefixes, key=lambda p: int(p.split(".")[1])), 60) == (seen, routes_seen)
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestEnumerateAllRoutes:
    """enumerate-all-routes.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """A route enumeration over the whole table (NULL destination), UCAST|MCAST, RTM_ENUM_OWN_ROUTES; each
        handle's RtmGetRouteInfo is read and released, each batch released; other entities' routes are not
        returned (V2-7)."""
        h, profile = register_entity(rtm)
        ospf, ospf_profile = register_entity(rtm, sample_entity_info(PROTO_IP_OSPF, 0))
        add_routes(rtm, h, [f"10.{i}.0.0/16" for i in range(40)])
        add_routes(rtm, ospf, ["10.0.0.0/16", "172.16.0.0/12"])
        owners = set()
        count_routes = 0
        status, enum2 = rtm.RtmCreateRouteEnum(h, None, UCAST_MCAST, RTM_ENUM_OWN_ROUTES, None, 0, None, 0)
        assert NO_ERROR == status
        while True:
            status, num_handles, route_handles = rtm.RtmGetEnumRoutes(h, enum2, profile.MaxHandlesInEnum)
            assert route_handles is not None
            for route in route_handles:
                got, info, _ = rtm.RtmGetRouteInfo(h, route)
                if got == NO_ERROR:
                    assert info is not None
                    owners.add(info.RouteOwner)
                    count_routes += 1
                    rtm.RtmReleaseRouteInfo(h, info)
            rtm.RtmReleaseRoutes(h, some(num_handles), route_handles)
            if status != NO_ERROR:
                break
        assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum2).status
        assert ({h}, 40) == (owners, count_routes)
        clean_deregister(rtm, ospf, ospf_profile)
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestAccessTheOpaquePointer:
    """access-the-opaque-pointer-in-a-destination.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """Lock the destination exclusively, get the slot; when empty create the blob {Info1: 1, Info2: 2},
        when present set 3 and 4; unlock. Run twice: the second run finds the blob (V2-7)."""
        mgm, profile = register_entity(rtm, sample_entity_info(v2model.PROTO_IP_MGM, 0), opaque=True)
        rip, rip_profile = register_entity(rtm)
        add_routes(rtm, rip, ["10.1.0.0/16"])
        _, info = rtm.RtmGetExactMatchDestination(mgm, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        assert info is not None
        dest_handle = info.DestHandle

        def access() -> dict[str, int]:
            assert NO_ERROR == rtm.RtmLockDestination(mgm, dest_handle, True, True).status
            status, slot = rtm.RtmGetOpaqueInformationPointer(mgm, dest_handle)
            assert NO_ERROR == status
            assert slot is not None
            if slot.value is None:
                slot.value = {"Info1": 1, "Info2": 2}
            else:
                slot.value["Info1"], slot.value["Info2"] = 3, 4
            blob = dict(slot.value)
            assert NO_ERROR == rtm.RtmLockDestination(mgm, dest_handle, True, False).status
            return blob

        assert ({"Info1": 1, "Info2": 2}, {"Info1": 3, "Info2": 4}) == (access(), access())
        assert () == rtm.leak_report().diagnostics
        assert NO_ERROR == rtm.RtmReleaseDestInfo(mgm, info).status
        clean_deregister(rtm, rip, rip_profile)
        clean_deregister(rtm, mgm, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestClientSpecificRouteList:
    """use-a-client-specific-route-list.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """Two lists; routes added with list 1; enumerate list 1 in batches of MaxHandlesInEnum, moving each
        batch to list 2, until a batch comes back short (RtmGetListEnumRoutes always says NO_ERROR); delete
        both lists; the routes survive (V2-7)."""
        h, profile = register_entity(rtm)
        _, route_list1 = rtm.RtmCreateRouteList(h)
        _, route_list2 = rtm.RtmCreateRouteList(h)
        add_routes(rtm, h, [f"10.{i}.0.0/16" for i in range(60)], rlist=route_list1)
        status, enum = rtm.RtmCreateRouteListEnum(h, route_list1)
        assert NO_ERROR == status
        max_handles = profile.MaxHandlesInEnum
        moved = 0
        while True:
            status, num_handles, route_handles = rtm.RtmGetListEnumRoutes(h, enum, max_handles)
            assert NO_ERROR == status
            assert num_handles is not None
            assert NO_ERROR == rtm.RtmInsertInRouteList(h, route_list2, num_handles, some(route_handles)).status
            rtm.RtmReleaseRoutes(h, num_handles, some(route_handles))
            moved += num_handles
            if num_handles != max_handles:
                break
        assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum).status
        assert 60 == moved
        assert NO_ERROR == rtm.RtmDeleteRouteList(h, route_list1).status
        assert NO_ERROR == rtm.RtmDeleteRouteList(h, route_list2).status
        assert 60 == rtm.statistics()["routes"]
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestRouteExpiry:
    """RTM_ROUTE_EXPIRED handled both ways (use-the-event-notification-callback.md, V2-2.8)."""

    def test_let_rtm_delete(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """The callback answers ERROR_NOT_SUPPORTED: RTM deletes the route and keeps no reference for us
        (use-the-event-notification-callback.md, V2-2.8)."""
        expired: list[Any] = []

        def callback(h: Any, event_type: int, context1: Any, context2: Any) -> int:
            if event_type == RTM_ROUTE_EXPIRED:
                expired.append(context2.PrefInfo.Metric)
            return ERROR_NOT_SUPPORTED

        h, profile = register_entity(rtm, callback=callback)
        add_routes(rtm, h, ["10.1.0.0/16", "10.2.0.0/16"], ttl=1000)
        clock.advance(1000)
        assert (
            ERROR_NOT_FOUND
            == rtm.RtmGetMostSpecificDestination(
                h, net_address("10.1.2.3/32"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
            ).status
        )
        assert ([1, 2], 0) == (expired, rtm.statistics()["routes"])
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()

    def test_handle_it_ourselves(self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> None:
        """The callback keeps the route (metric unreachable, INFINITE) and releases the handle it was given
        (use-the-event-notification-callback.md, V2-2.8)."""

        def callback(h: Any, event_type: int, context1: Any, context2: Any) -> int:
            if event_type == RTM_ROUTE_EXPIRED:
                status, pointer = rtm.RtmLockRoute(h, context1, True, True)
                if status == NO_ERROR:
                    assert pointer is not None
                    pointer.PrefInfo.Metric = METRIC_UNREACHABLE
                    rtm.RtmUpdateAndUnlockRoute(h, context1, INFINITE, None, 0, None)
                rtm.RtmReleaseRoutes(h, 1, [context1])
            return NO_ERROR

        h, profile = register_entity(rtm, callback=callback)
        add_routes(rtm, h, ["10.1.0.0/16"], ttl=1000)
        clock.advance(5000)
        status, info = rtm.RtmGetExactMatchDestination(h, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        assert NO_ERROR == status
        assert info is not None
        got, route_info, _ = rtm.RtmGetRouteInfo(h, info.ViewInfo[0].Route)
        assert (NO_ERROR, METRIC_UNREACHABLE) == (got, route_info and route_info.PrefInfo.Metric)
        rtm.RtmReleaseRouteInfo(h, some(route_info))
        rtm.RtmReleaseDestInfo(h, info)
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestObtainAndCallExportedMethods:
    """obtain-and-call-the-exported-methods-for-a-client.md."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """Register with one method; RtmGetEntityMethods with NumMethods 0 gives the count, then the methods;
        RtmInvokeMethod with METHOD_TYPE_ALL_METHODS, the input string and OutputSize = header + one DWORD; the
        method reports ERROR_SUCCESS in its output (V2-7)."""

        def method(caller: Any, callee: Any, inp: RTM_ENTITY_METHOD_INPUT, out: RTM_ENTITY_METHOD_OUTPUT) -> None:
            out.OutputData = (NO_ERROR if inp is not None else v2model.ERROR_INVALID_DATA).to_bytes(4, "little")

        this_client, _ = register_entity(rtm, methods=RTM_ENTITY_EXPORT_METHODS(NumMethods=1, Methods=[method]))
        other_client = this_client
        status, num_methods, _ = rtm.RtmGetEntityMethods(this_client, other_client, 0)
        assert (NO_ERROR, 1) == (status, num_methods)
        status, num_methods, export_methods = rtm.RtmGetEntityMethods(this_client, other_client, some(num_methods))
        assert (NO_ERROR, [method]) == (status, export_methods)
        input_string = "Hello world from the exported method!".encode("utf-16-le") + b"\0\0"
        method_input = RTM_ENTITY_METHOD_INPUT(
            MethodType=METHOD_TYPE_ALL_METHODS, InputSize=len(input_string), InputData=input_string
        )
        output_size = 12 + 4
        status, used, output = rtm.RtmInvokeMethod(this_client, other_client, method_input, output_size)
        assert (NO_ERROR, 16) == (status, used)
        assert output is not None
        assert NO_ERROR == int.from_bytes(output[0].OutputData, "little")
        assert NO_ERROR == rtm.RtmDeregisterEntity(this_client).status
        assert rtm.leak_report().empty, rtm.leak_report()


class TestEnumerateTheRegisteredEntities:
    """enumerate-the-registered-entities.md (the sample loops to ``<= NumEntities``, one too far; V2-9.13)."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """Capacity 0 gives ERROR_INSUFFICIENT_BUFFER and the number needed; the second call fills handles and
        infos; each entity is looked at by protocol id; the handles are released (the sample loops to ``<=
        NumEntities``, one too far; V2-9.13)."""
        h, _ = register_entity(rtm)
        ospf, _ = register_entity(rtm, sample_entity_info(PROTO_IP_OSPF, 0))
        status, num_entities, _, _ = rtm.RtmGetRegisteredEntities(h, 0)
        assert (ERROR_INSUFFICIENT_BUFFER, 2) == (status, num_entities)
        status, num_entities, handles, infos = rtm.RtmGetRegisteredEntities(h, some(num_entities))
        assert (NO_ERROR, 2) == (status, num_entities)
        assert infos is not None
        protocols = [infos[i].EntityId.EntityProtocolId for i in range(some(num_entities))]
        assert [PROTO_IP_RIP, PROTO_IP_OSPF] == protocols
        assert NO_ERROR == rtm.RtmReleaseEntities(h, some(num_entities), some(handles)).status
        assert NO_ERROR == rtm.RtmDeregisterEntity(ospf).status
        assert NO_ERROR == rtm.RtmDeregisterEntity(h).status
        assert rtm.leak_report().empty, rtm.leak_report()


class TestSearchForTheBestRoute:
    """search-for-the-best-route.md and search-for-routes-using-rtmgetmostspecificdestination-and-
    rtmgetlessspecificdestination.md."""

    def test_best_route(self, rtm: v2model.RoutingTableManager) -> None:
        """RtmGetMostSpecificDestination in the unicast view, ViewInfo[0].Route's information, release (V2-7)."""
        h, profile = register_entity(rtm)
        add_routes(rtm, h, ["10.0.0.0/8", "10.1.0.0/16"])
        status, info = rtm.RtmGetMostSpecificDestination(
            h, net_address("10.1.2.3/32"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert NO_ERROR == status
        assert info is not None
        assert RTM_VIEW_ID_UCAST == info.ViewInfo[0].ViewId
        got, route_info, address = rtm.RtmGetRouteInfo(h, info.ViewInfo[0].Route)
        assert (NO_ERROR, net_address("10.1.0.0/16")) == (got, address)
        rtm.RtmReleaseRouteInfo(h, some(route_info))
        assert NO_ERROR == rtm.RtmReleaseDestInfo(h, info).status
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()

    def test_walk_up_the_prefix_tree(self, rtm: v2model.RoutingTableManager) -> None:
        """Most specific first, then RtmGetLessSpecificDestination alternating two buffers, releasing the
        previous one each time, until ERROR_NOT_FOUND."""
        h, profile = register_entity(rtm)
        add_routes(rtm, h, ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.2.0.0/16"])
        lengths = []
        status, dest_info1 = rtm.RtmGetMostSpecificDestination(
            h, net_address("10.1.2.0/24"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        while status == NO_ERROR:
            assert dest_info1 is not None
            lengths.append(dest_info1.DestAddress.NumBits)
            status, dest_info2 = rtm.RtmGetLessSpecificDestination(
                h, dest_info1.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
            )
            rtm.RtmReleaseDestInfo(h, dest_info1)
            if status != NO_ERROR:
                break
            assert dest_info2 is not None
            lengths.append(dest_info2.DestAddress.NumBits)
            status, dest_info1 = rtm.RtmGetLessSpecificDestination(
                h, dest_info2.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
            )
            rtm.RtmReleaseDestInfo(h, dest_info2)
        assert (ERROR_NOT_FOUND, [24, 16, 8, 0]) == (status, lengths)
        clean_deregister(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()


class TestCleanupBeforeDeregistering:
    """The documented cleanup order (V2-2.2, V2-2.15, V2-6.1): release locks, then handles and information
    structures, end registrations, delete routes and next hops, and only then RtmDeregisterEntity."""

    def test_sample(self, rtm: v2model.RoutingTableManager) -> None:
        """A client that used most of the API cleans up in the documented order; the deregistration records
        nothing and the report is empty (V2-2.2, V2-2.15, V2-6.1)."""
        h, profile = register_entity(rtm, opaque=True)
        watcher_events: list[int] = []
        watcher, _ = register_entity(
            rtm, sample_entity_info(PROTO_IP_OSPF, 0), callback=lambda *args: watcher_events.append(args[1])
        )
        _, notify = rtm.RtmRegisterForChangeNotification(h, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None)
        _, rlist = rtm.RtmCreateRouteList(h)
        add_routes(rtm, h, ["10.1.0.0/16", "10.2.0.0/16"], rlist=rlist)
        _, dest = rtm.RtmGetExactMatchDestination(h, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        assert dest is not None
        rtm.RtmLockDestination(h, dest.DestHandle, True, True)
        _, cell = rtm.RtmGetOpaqueInformationPointer(h, dest.DestHandle)
        assert cell is not None
        cell.value = "state"
        _, enum = rtm.RtmCreateDestEnum(h, RTM_VIEW_MASK_UCAST, RTM_ENUM_START)
        _, count, infos = rtm.RtmGetEnumDests(h, enum, 1)
        _, changed_count, changed = rtm.RtmGetChangedDests(h, notify, profile.MaxHandlesInEnum)

        # 1. locks (and the opaque data they protect)
        cell.value = None
        assert NO_ERROR == rtm.RtmLockDestination(h, dest.DestHandle, True, False).status
        # 2. handles and information structures
        assert NO_ERROR == rtm.RtmReleaseDestInfo(h, dest).status
        assert NO_ERROR == rtm.RtmReleaseDests(h, some(count), some(infos)).status
        assert NO_ERROR == rtm.RtmReleaseChangedDests(h, notify, some(changed_count), some(changed)).status
        # 3. enumerations, route lists, notification registrations
        assert NO_ERROR == rtm.RtmDeleteEnumHandle(h, enum).status
        assert NO_ERROR == rtm.RtmDeleteRouteList(h, rlist).status
        assert NO_ERROR == rtm.RtmDeregisterFromChangeNotification(h, notify).status
        # 4. routes and next hops
        delete_own_routes_and_next_hops(rtm, h, profile)
        assert rtm.leak_report().empty, rtm.leak_report()
        # 5. deregister
        assert NO_ERROR == rtm.RtmDeregisterEntity(h).status
        assert RTM_ENTITY_DEREGISTERED in watcher_events
        assert NO_ERROR == rtm.RtmDeregisterEntity(watcher).status
        report = rtm.leak_report()
        assert (True, (), ()) == (report.empty, report.deregistrations, report.diagnostics)
        assert {"entities": 0, "destinations": 0, "routes": 0, "next_hops": 0, "open_handles": 0} == dict(
            rtm.statistics()
        )
