"""Change notification (V2-2.9, V2-6.9, V2-A-notify-trigger, V2-A-notify-delivery, V2-A-getchanged)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MORE_ITEMS,
    ERROR_NO_SYSTEM_RESOURCES,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_CHANGE_TYPE_FORWARDING,
    RTM_NEXTHOP_FLAGS_REMOTE,
    RTM_NEXTHOP_INFO,
    RTM_NOTIFY_ONLY_MARKED_DESTS,
    RTM_ROUTE_FLAGS_BLACKHOLE,
    RTM_ROUTE_FLAGS_INACTIVE,
    RTM_ROUTE_FLAGS_LOCAL,
    RTM_VIEW_ID_MCAST,
    RTM_VIEW_ID_UCAST,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    RtmConfig,
    net_address,
)

from .scenario_support import (
    Recorder,
    SweepWorld,
    dest_info,
    drain,
    drained_prefixes,
    loose,
    route_summary,
    run_in_thread,
    some,
    sweep,
    table_state,
)
from .support import add_route, nexthop, register, route_info

UCAST_MCAST = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST


class World:
    """A RIP entity that changes the table and an OSPF entity (with a recording callback) that watches it."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.rip_events = Recorder()
        self.ospf_events = Recorder()
        self.rip = register(rtm, PROTO_IP_RIP, callback=self.rip_events)
        self.ospf = register(rtm, PROTO_IP_OSPF, callback=self.ospf_events)
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.nh2 = nexthop(rtm, self.rip, "192.0.2.2", 2)

    def watch(self, flags: int, views: int = RTM_VIEW_MASK_UCAST, context: Any = "ctx") -> v2model.NotifyReg:
        """Register OSPF for change notification."""
        status, reg = self.rtm.RtmRegisterForChangeNotification(self.ospf, views, flags, context)
        assert status == NO_ERROR, status
        assert reg is not None
        return reg

    def add(self, prefix: str, metric: int = 5, **kwargs: Any) -> v2model.Route:
        """RIP adds (or updates) a route via nh and returns its handle (kept by the test)."""
        route, _ = add_route(self.rtm, self.rip, prefix, route_info(self.nh, metric=metric, **kwargs))
        return route

    def pending(self, reg: v2model.NotifyReg, batch: int = 25) -> list[str]:
        """Drain OSPF's registration."""
        return drained_prefixes(self.rtm, self.ospf, reg, batch)


@pytest.fixture
def world(rtm: v2model.RoutingTableManager) -> World:
    return World(rtm)


class TestRtmRegisterForChangeNotification:
    """RtmRegisterForChangeNotification (V2-6.9)."""

    @pytest.mark.parametrize(
        "flags",
        [
            RTM_CHANGE_TYPE_ALL,
            RTM_CHANGE_TYPE_BEST,
            RTM_CHANGE_TYPE_FORWARDING,
            RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING,
            RTM_CHANGE_TYPE_BEST | RTM_NOTIFY_ONLY_MARKED_DESTS,
        ],
    )
    def test_registers_each_change_type(self, world: World, flags: int) -> None:
        """Every change type, alone or combined, with or without RTM_NOTIFY_ONLY_MARKED_DESTS, registers
        (V2-4.9, V2-6.9)."""
        status, reg = world.rtm.RtmRegisterForChangeNotification(world.ospf, RTM_VIEW_MASK_UCAST, flags, None)
        assert NO_ERROR == status
        assert isinstance(reg, v2model.NotifyReg)

    @pytest.mark.parametrize("views", [RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, UCAST_MCAST, RTM_VIEW_MASK_ALL])
    def test_supported_views_are_accepted(self, world: World, views: int) -> None:
        """Any combination of supported views, and RTM_VIEW_MASK_ALL, is accepted (V2-A-viewmask)."""
        status, _ = world.rtm.RtmRegisterForChangeNotification(world.ospf, views, RTM_CHANGE_TYPE_ALL, None)
        assert NO_ERROR == status

    @pytest.mark.parametrize("views", [0x4, RTM_VIEW_MASK_UCAST | 0x80, 0x80000000])
    def test_unsupported_views_give_not_supported(self, world: World, views: int) -> None:
        """A view the table does not support gives ERROR_NOT_SUPPORTED (V2-6.9, V2-A-viewmask)."""
        status, reg = world.rtm.RtmRegisterForChangeNotification(world.ospf, views, RTM_CHANGE_TYPE_ALL, None)
        assert (ERROR_NOT_SUPPORTED, None) == (status, reg)

    def test_limit_gives_no_system_resources(self, clock: v2model.ManualClock) -> None:
        """Beyond the configured number of registrations: ERROR_NO_SYSTEM_RESOURCES; deregistering one frees a
        slot (V2-6.9, V2-A-config)."""
        with v2model.RoutingTableManager(clock=clock, config=RtmConfig(max_notify_registrations=2)) as rtm:
            rip = register(rtm, PROTO_IP_RIP)
            ospf = register(rtm, PROTO_IP_OSPF)
            first = rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)
            second = rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None)
            assert (NO_ERROR, NO_ERROR) == (first.status, second.status)
            third = rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == tuple(third)
            assert NO_ERROR == rtm.RtmDeregisterFromChangeNotification(rip, first.NotifyHandle).status
            again = rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)
            assert NO_ERROR == again.status

    @pytest.mark.parametrize(
        "flags",
        [0, RTM_NOTIFY_ONLY_MARKED_DESTS, 0x8, RTM_CHANGE_TYPE_ALL | 0x100, -1, 2**32, "1", None, 1.0],
    )
    def test_bad_flags_give_invalid_parameter(self, world: World, flags: Any) -> None:
        """NotifyFlags naming no change type, unknown bits or a non-DWORD: ERROR_INVALID_PARAMETER (V2-6.9)."""
        before = table_state(world.rtm, world.rip)
        status, reg = world.rtm.RtmRegisterForChangeNotification(world.ospf, RTM_VIEW_MASK_UCAST, flags, None)
        assert (ERROR_INVALID_PARAMETER, None) == (status, reg)
        assert before == table_state(world.rtm, world.rip)

    @pytest.mark.parametrize("views", [-1, 2**32, None, "1"])
    def test_bad_views_give_invalid_parameter(self, world: World, views: Any) -> None:
        """TargetViews that is not a DWORD: ERROR_INVALID_PARAMETER (V2-6.9)."""
        api = loose(world.rtm)
        status, reg = api.RtmRegisterForChangeNotification(world.ospf, views, RTM_CHANGE_TYPE_ALL, None)
        assert (ERROR_INVALID_PARAMETER, None) == (status, reg)

    def test_bad_registration_handles(self, world: World) -> None:
        """None, an int, a handle of another kind or a deregistered entity: ERROR_INVALID_HANDLE (binding
        rule 5) (V2-6.9)."""
        api = loose(world.rtm)
        gone = register(world.rtm, PROTO_IP_BGP)
        assert NO_ERROR == api.RtmDeregisterEntity(gone).status
        for bad in (None, 0, 1, world.nh, gone, "RIP"):
            status, reg = api.RtmRegisterForChangeNotification(bad, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
            assert (ERROR_INVALID_HANDLE, None) == (status, reg), bad


class TestChangeTypeAll:
    """RTM_CHANGE_TYPE_ALL: any change to any route of the destination (V2-2.9, V2-A-notify-trigger)."""

    def test_add_update_delete_are_recorded(self, world: World) -> None:
        """Adding a route, changing it and deleting it are each recorded (V2-2.9, V2-A-notify-trigger)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        route = world.add("10.1.0.0/16", metric=5)
        assert ["10.1.0.0/16"] == world.pending(reg)
        world.add("10.1.0.0/16", metric=7)
        assert ["10.1.0.0/16"] == world.pending(reg)
        assert NO_ERROR == world.rtm.RtmDeleteRouteToDest(world.rip, route).status
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_change_of_a_route_that_is_not_best_is_recorded(self, world: World) -> None:
        """A change to a route that is not (and does not become) the best is an ALL change (A-notify-trigger)."""
        world.add("10.1.0.0/16", metric=1)
        status, worse, _ = world.rtm.RtmAddRouteToDest(
            world.rip, None, net_address("10.1.0.0/16"), route_info(world.nh2, metric=9), INFINITE, None, 0, None, 0
        )
        assert NO_ERROR == status
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        best_reg = world.watch(RTM_CHANGE_TYPE_BEST)
        world.rtm.RtmAddRouteToDest(world.rip, worse, None, route_info(world.nh2, metric=8))
        assert ["10.1.0.0/16"] == world.pending(reg)
        assert [] == world.pending(best_reg)

    def test_ttl_only_refresh_is_not_a_change(self, world: World) -> None:
        """Re-adding a route with identical fields and only a new TimeToLive records nothing
        (A-notify-trigger)."""
        world.add("10.1.0.0/16", metric=5)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        status, _, flags = world.rtm.RtmAddRouteToDest(
            world.rip, None, net_address("10.1.0.0/16"), route_info(world.nh, metric=5), 60_000, None, 0, None, 0
        )
        assert (NO_ERROR, 0) == (status, flags)
        assert [] == world.ospf_events.notifications
        assert [] == world.pending(reg)

    def test_entity_specific_info_only_change_is_not_a_change(self, world: World) -> None:
        """Changing only EntitySpecificInfo records nothing (A-notify-trigger)."""
        world.add("10.1.0.0/16", metric=5)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        info = route_info(world.nh, metric=5)
        info.EntitySpecificInfo = {"advertised": True}
        add_route(world.rtm, world.rip, "10.1.0.0/16", info)
        assert [] == world.ospf_events.notifications
        assert [] == world.pending(reg)

    def test_neighbour_only_change_is_all_but_not_best(self, world: World) -> None:
        """A new Neighbour with the same next hops, preference, metric and flags is an ALL change but not a BEST
        one (A-notify-trigger: BEST looks at PrefInfo, NextHopsList and Flags)."""
        route = world.add("10.1.0.0/16", nexthops=[world.nh])
        all_reg = world.watch(RTM_CHANGE_TYPE_ALL)
        best_reg = world.watch(RTM_CHANGE_TYPE_BEST)
        status, _, flags = world.rtm.RtmAddRouteToDest(
            world.rip, route, None, route_info(world.nh2, metric=5, nexthops=[world.nh])
        )
        assert (NO_ERROR, 0) == (status, flags)
        assert (["10.1.0.0/16"], []) == (world.pending(all_reg), world.pending(best_reg))

    def test_flags1_only_change_is_not_a_change(self, world: World) -> None:
        """Flags1 (the RTMv1 compatibility byte) is not among the fields ALL looks at (A-notify-trigger)."""
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        info = route_info(world.nh, metric=5)
        info.Flags1 = 0x5
        add_route(world.rtm, world.rip, "10.1.0.0/16", info)
        assert [] == world.pending(reg)

    def test_moving_to_a_route_list_is_not_a_change(self, world: World) -> None:
        """Putting a route on a route list changes nothing others can see (V2-2.9, V2-A-notify-trigger)."""
        route = world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        _, rlist = world.rtm.RtmCreateRouteList(world.rip)
        assert NO_ERROR == world.rtm.RtmInsertInRouteList(world.rip, rlist, 1, [route]).status
        world.rtm.RtmAddRouteToDest(world.rip, route, None, route_info(world.nh, metric=5), INFINITE, rlist)
        assert [] == world.pending(reg)

    def test_next_hop_object_edits_are_not_changes(self, world: World) -> None:
        """Updating a next hop used by the best route (RtmAddNextHop with its handle) records nothing
        (A-notify-trigger)."""
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING)
        info = RTM_NEXTHOP_INFO(
            NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=1, Flags=RTM_NEXTHOP_FLAGS_REMOTE
        )
        assert NO_ERROR == world.rtm.RtmAddNextHop(world.rip, info, world.nh).status
        assert [] == world.pending(reg)


class TestChangeTypeBest:
    """RTM_CHANGE_TYPE_BEST: the best route changed, or its preference, metric, next hops or flags changed."""

    def test_new_best_route_is_recorded(self, world: World) -> None:
        """A better route taking over is a BEST change (V2-2.9)."""
        world.add("10.1.0.0/16", metric=5)
        reg = world.watch(RTM_CHANGE_TYPE_BEST)
        ospf_nh = nexthop(world.rtm, world.ospf, "192.0.2.9", 3)
        add_route(world.rtm, world.ospf, "10.1.0.0/16", route_info(ospf_nh, metric=1))
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_metric_change_of_the_best_route_is_recorded(self, world: World) -> None:
        """The best route's metric changing is a BEST change (A-notify-trigger)."""
        world.add("10.1.0.0/16", metric=5)
        reg = world.watch(RTM_CHANGE_TYPE_BEST)
        world.add("10.1.0.0/16", metric=6)
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_next_hop_change_of_the_best_route_is_recorded(self, world: World) -> None:
        """The best route's next hops changing is a BEST change (V2-2.9)."""
        world.add("10.1.0.0/16", metric=5)
        reg = world.watch(RTM_CHANGE_TYPE_BEST)
        add_route(world.rtm, world.rip, "10.1.0.0/16", route_info(world.nh, metric=5, nexthops=[world.nh2]))
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_flag_change_of_the_best_route_is_recorded(self, world: World) -> None:
        """The best route's flags changing (even non-forwarding bits) is a BEST change (V2-2.9)."""
        world.add("10.1.0.0/16", metric=5)
        reg = world.watch(RTM_CHANGE_TYPE_BEST)
        world.add("10.1.0.0/16", metric=5, flags=RTM_ROUTE_FLAGS_LOCAL)
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_change_of_a_losing_route_is_not_recorded(self, world: World) -> None:
        """A new route worse than the best changes nothing BEST watches (V2-2.9)."""
        world.add("10.1.0.0/16", metric=1)
        reg = world.watch(RTM_CHANGE_TYPE_BEST)
        ospf_nh = nexthop(world.rtm, world.ospf, "192.0.2.9", 3)
        add_route(world.rtm, world.ospf, "10.1.0.0/16", route_info(ospf_nh, metric=9))
        assert [] == world.pending(reg)
        assert [] == world.ospf_events.notifications

    def test_deleting_the_last_route_is_recorded(self, world: World) -> None:
        """The best route going away (to none) is a BEST change, reported with no route (A-getchanged)."""
        route = world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_BEST)
        assert NO_ERROR == world.rtm.RtmDeleteRouteToDest(world.rip, route).status
        [(status, [(prefix, belongs, views)])] = drain(world.rtm, world.ospf, reg, 25)[:1]
        assert (ERROR_NO_MORE_ITEMS, "10.1.0.0/16", 0) == (status, prefix, belongs)
        assert [(RTM_VIEW_ID_UCAST, 0, None, None)] == [(v.ViewId, v.NumRoutes, v.Route, v.Owner) for v in views]


class TestChangeTypeForwarding:
    """RTM_CHANGE_TYPE_FORWARDING: BEST changes except those limited to non-forwarding flag bits."""

    def test_non_forwarding_flag_change_is_not_recorded(self, world: World) -> None:
        """Flipping RTM_ROUTE_FLAGS_LOCAL on the best route is BEST but not FORWARDING (V2-4.4,
        V2-A-notify-trigger)."""
        world.add("10.1.0.0/16", metric=5)
        fwd = world.watch(RTM_CHANGE_TYPE_FORWARDING)
        world.add("10.1.0.0/16", metric=5, flags=RTM_ROUTE_FLAGS_LOCAL)
        assert [] == world.pending(fwd)
        assert [] == world.ospf_events.notifications

    @pytest.mark.parametrize("flag", [RTM_ROUTE_FLAGS_BLACKHOLE, RTM_ROUTE_FLAGS_INACTIVE])
    def test_forwarding_flag_change_is_recorded(self, world: World, flag: int) -> None:
        """Flipping a forwarding flag (Flags & 0x000F) on the best route is a FORWARDING change (V2-2.9)."""
        world.add("10.1.0.0/16", metric=5)
        fwd = world.watch(RTM_CHANGE_TYPE_FORWARDING)
        world.add("10.1.0.0/16", metric=5, flags=flag)
        assert ["10.1.0.0/16"] == world.pending(fwd)

    def test_mixed_flag_change_is_recorded(self, world: World) -> None:
        """A change touching forwarding and non-forwarding bits together is a FORWARDING change (V2-2.9)."""
        world.add("10.1.0.0/16", metric=5)
        fwd = world.watch(RTM_CHANGE_TYPE_FORWARDING)
        world.add("10.1.0.0/16", metric=5, flags=RTM_ROUTE_FLAGS_LOCAL | RTM_ROUTE_FLAGS_BLACKHOLE)
        assert ["10.1.0.0/16"] == world.pending(fwd)

    def test_metric_change_of_the_best_route_is_recorded(self, world: World) -> None:
        """A metric change of the best route matters for forwarding (V2-2.9)."""
        world.add("10.1.0.0/16", metric=5)
        fwd = world.watch(RTM_CHANGE_TYPE_FORWARDING)
        world.add("10.1.0.0/16", metric=3)
        assert ["10.1.0.0/16"] == world.pending(fwd)

    def test_change_of_a_losing_route_is_not_recorded(self, world: World) -> None:
        """Changes to a route that is not best never reach a FORWARDING registration (V2-2.9)."""
        world.add("10.1.0.0/16", metric=1)
        _, worse, _ = world.rtm.RtmAddRouteToDest(
            world.rip, None, net_address("10.1.0.0/16"), route_info(world.nh2, metric=9)
        )
        fwd = world.watch(RTM_CHANGE_TYPE_FORWARDING)
        world.rtm.RtmAddRouteToDest(world.rip, worse, None, route_info(world.nh2, metric=8, flags=1))
        assert [] == world.pending(fwd)


class TestTargetViews:
    """A change is recorded only if it happened in one of the registration's TargetViews (V2-2.9)."""

    def test_change_outside_the_views_is_not_recorded(self, world: World) -> None:
        """A multicast registration ignores a unicast-only route (V2-2.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL, views=RTM_VIEW_MASK_MCAST)
        world.add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        assert [] == world.pending(reg)
        assert [] == world.ospf_events.notifications

    def test_change_in_one_of_the_views_is_recorded_with_those_views(self, world: World) -> None:
        """A multicast registration sees a route in both views, and the changed destination carries
        ViewInfo for the multicast view only (A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_BEST, views=RTM_VIEW_MASK_MCAST)
        world.add("10.1.0.0/16", views=UCAST_MCAST)
        [(_, [(prefix, belongs, views)])] = drain(world.rtm, world.ospf, reg, 25)[:1]
        assert ("10.1.0.0/16", UCAST_MCAST) == (prefix, belongs)
        assert [(RTM_VIEW_ID_MCAST, 1)] == [(v.ViewId, v.NumRoutes) for v in views]

    def test_view_info_in_ascending_view_order(self, world: World) -> None:
        """A registration for both views gets ViewInfo[0] = unicast, ViewInfo[1] = multicast (V2-2.6)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL, views=RTM_VIEW_MASK_ALL)
        world.add("10.1.0.0/16", views=RTM_VIEW_MASK_MCAST)
        [(_, [(_, _, views)])] = drain(world.rtm, world.ospf, reg, 25)[:1]
        assert [(RTM_VIEW_ID_UCAST, 0, None), (RTM_VIEW_ID_MCAST, 1, "set")] == [
            (v.ViewId, v.NumRoutes, v.Route and "set") for v in views
        ]

    def test_any_view_registration_sees_all_views_without_view_info(self, world: World) -> None:
        """RTM_VIEW_MASK_ANY watches every view and returns no per-view information (V2-2.6, V2-A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL, views=RTM_VIEW_MASK_ANY)
        world.add("10.1.0.0/16", views=RTM_VIEW_MASK_MCAST)
        [(_, [(prefix, _, views)])] = drain(world.rtm, world.ospf, reg, 25)[:1]
        assert ("10.1.0.0/16", ()) == (prefix, views)

    def test_moving_a_route_between_views_is_recorded_in_both(self, world: World) -> None:
        """A route moved from unicast to multicast changes both views: watchers of either see it (V2-2.9)."""
        world.add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        ucast = world.watch(RTM_CHANGE_TYPE_BEST, views=RTM_VIEW_MASK_UCAST)
        mcast = world.watch(RTM_CHANGE_TYPE_BEST, views=RTM_VIEW_MASK_MCAST)
        world.add("10.1.0.0/16", views=RTM_VIEW_MASK_MCAST)
        assert (["10.1.0.0/16"], ["10.1.0.0/16"]) == (world.pending(ucast), world.pending(mcast))


class TestRtmMarkDestForChangeNotification:
    """RtmMarkDestForChangeNotification and RTM_NOTIFY_ONLY_MARKED_DESTS (V2-2.9, V2-6.9)."""

    def test_only_marked_destinations_are_recorded(self, world: World) -> None:
        """With RTM_NOTIFY_ONLY_MARKED_DESTS only destinations marked on this registration are recorded (V2-2.9,
        V2-6.9)."""
        world.add("10.1.0.0/16")
        world.add("10.2.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        assert NO_ERROR == world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, info.DestHandle, True).status
        world.add("10.1.0.0/16", metric=9)
        world.add("10.2.0.0/16", metric=9)
        world.add("10.3.0.0/16", metric=9)
        assert ["10.1.0.0/16"] == world.pending(reg)
        assert NO_ERROR == world.rtm.RtmReleaseDestInfo(world.ospf, info).status

    def test_unmarking_stops_recording(self, world: World) -> None:
        """MarkDest FALSE takes the destination off the registration (V2-2.9, V2-6.9)."""
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, info.DestHandle, True)
        assert NO_ERROR == world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, info.DestHandle, False).status
        world.add("10.1.0.0/16", metric=9)
        assert [] == world.pending(reg)
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_marks_are_per_registration(self, world: World) -> None:
        """A mark on one registration does not mark the destination on another (V2-2.9, V2-6.9)."""
        world.add("10.1.0.0/16")
        marked = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        other = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        world.rtm.RtmMarkDestForChangeNotification(world.ospf, marked, info.DestHandle, True)
        world.add("10.1.0.0/16", metric=9)
        assert (["10.1.0.0/16"], []) == (world.pending(marked), world.pending(other))
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_marks_are_ignored_without_only_marked(self, world: World) -> None:
        """A registration without RTM_NOTIFY_ONLY_MARKED_DESTS records all destinations, marked or not (V2-2.9,
        V2-6.9)."""
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.2.0.0/16")
        assert ["10.2.0.0/16"] == world.pending(reg)

    def test_bad_arguments(self, world: World) -> None:
        """Bad registration, notification or destination handles give ERROR_INVALID_HANDLE; a non-BOOL
        MarkDest gives ERROR_INVALID_PARAMETER; nothing is marked (V2-2.9, V2-6.9)."""
        api = loose(world.rtm)
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        rip_status, rip_reg = api.RtmRegisterForChangeNotification(
            world.rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS
        )
        assert NO_ERROR == rip_status
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        dest = some(info.DestHandle)
        mark = api.RtmMarkDestForChangeNotification
        assert ERROR_INVALID_HANDLE == mark(None, reg, dest, True).status
        assert ERROR_INVALID_HANDLE == mark(world.ospf, None, dest, True).status
        assert ERROR_INVALID_HANDLE == mark(world.ospf, 7, dest, True).status
        assert ERROR_INVALID_HANDLE == mark(world.ospf, rip_reg, dest, True).status
        assert ERROR_INVALID_HANDLE == mark(world.ospf, dest, dest, True).status
        assert ERROR_INVALID_HANDLE == mark(world.ospf, reg, None, True).status
        assert ERROR_INVALID_HANDLE == mark(world.ospf, reg, world.nh, True).status
        assert ERROR_INVALID_PARAMETER == mark(world.ospf, reg, dest, "yes").status
        assert ERROR_INVALID_PARAMETER == mark(world.ospf, reg, dest, -1).status
        assert (NO_ERROR, False) == tuple(api.RtmIsMarkedForChangeNotification(world.ospf, reg, dest))
        api.RtmReleaseDestInfo(world.ospf, info)

    def test_withdrawal_of_a_marked_destination_is_recorded(self, world: World) -> None:
        """Deleting the last route of a marked destination is a change of a marked destination: an
        ONLY_MARKED registration must learn of the withdrawal (V2-2.9, V2-A-getchanged: deleted destinations
        are reported so clients can withdraw them)."""
        route = world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_BEST | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, info.DestHandle, True)
        world.rtm.RtmReleaseDestInfo(world.ospf, info)
        assert NO_ERROR == world.rtm.RtmDeleteRouteToDest(world.rip, route).status
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_marks_are_discarded_with_the_destination(self, world: World) -> None:
        """When a destination leaves the table its marks go with it; a new destination for the same prefix
        is not marked (V2-A-dest-lifetime)."""
        route = world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, info.DestHandle, True)
        world.rtm.RtmDeleteRouteToDest(world.rip, route)
        world.pending(reg)
        world.add("10.1.0.0/16")
        assert [] == world.pending(reg)
        new = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        assert (NO_ERROR, False) == tuple(
            world.rtm.RtmIsMarkedForChangeNotification(world.ospf, reg, some(new.DestHandle))
        )
        world.rtm.RtmReleaseDestInfo(world.ospf, info)
        world.rtm.RtmReleaseDestInfo(world.ospf, new)


class TestRtmIsMarkedForChangeNotification:
    """RtmIsMarkedForChangeNotification (V2-6.9)."""

    def test_reports_the_mark(self, world: World) -> None:
        """FALSE before marking, TRUE after, FALSE after unmarking (V2-6.9)."""
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        dest = some(info.DestHandle)
        is_marked = world.rtm.RtmIsMarkedForChangeNotification
        assert (NO_ERROR, False) == tuple(is_marked(world.ospf, reg, some(dest)))
        world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, dest, True)
        assert (NO_ERROR, True) == tuple(is_marked(world.ospf, reg, some(dest)))
        world.rtm.RtmMarkDestForChangeNotification(world.ospf, reg, dest, False)
        assert (NO_ERROR, False) == tuple(is_marked(world.ospf, reg, some(dest)))
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_bad_handles(self, world: World) -> None:
        """Bad registration, notification or destination handles give ERROR_INVALID_HANDLE and no answer (V2-6.9)."""
        api = loose(world.rtm)
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        is_marked = api.RtmIsMarkedForChangeNotification
        for args in (
            (None, reg, info.DestHandle),
            (world.rip, reg, info.DestHandle),
            (world.ospf, None, info.DestHandle),
            (world.ospf, info.DestHandle, info.DestHandle),
            (world.ospf, reg, None),
            (world.ospf, reg, 3),
            (world.ospf, reg, reg),
        ):
            assert (ERROR_INVALID_HANDLE, None) == tuple(is_marked(*args)), args
        api.RtmReleaseDestInfo(world.ospf, info)


class TestRtmGetChangedDests:
    """RtmGetChangedDests (V2-6.9, V2-A-getchanged)."""

    def test_batches_respect_the_count_and_end_with_no_more_items(self, world: World) -> None:
        """Five pending destinations retrieved two at a time: 2, 2, then the last one with
        ERROR_NO_MORE_ITEMS; then nothing (A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        for i in range(5):
            world.add(f"10.{i}.0.0/16")
        calls = drain(world.rtm, world.ospf, reg, 2)
        assert [(NO_ERROR, 2), (NO_ERROR, 2), (ERROR_NO_MORE_ITEMS, 1), (ERROR_NO_MORE_ITEMS, 0)] == [
            (status, len(batch)) for status, batch in calls
        ]

    def test_exact_multiple_ends_with_a_full_batch(self, world: World) -> None:
        """When the pending set divides evenly, the last full batch comes with ERROR_NO_MORE_ITEMS (V2-6.9,
        V2-A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        for i in range(4):
            world.add(f"10.{i}.0.0/16")
        status, count, infos = world.rtm.RtmGetChangedDests(world.ospf, reg, 2)
        assert (NO_ERROR, 2) == (status, count)
        world.rtm.RtmReleaseChangedDests(world.ospf, reg, some(count), some(infos))
        status, count, infos = world.rtm.RtmGetChangedDests(world.ospf, reg, 2)
        assert (ERROR_NO_MORE_ITEMS, 2) == (status, count)
        world.rtm.RtmReleaseChangedDests(world.ospf, reg, some(count), some(infos))

    def test_nothing_pending(self, world: World) -> None:
        """With nothing pending: ERROR_NO_MORE_ITEMS, count 0, an empty list (V2-6.9, V2-A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        assert (ERROR_NO_MORE_ITEMS, 0, []) == tuple(world.rtm.RtmGetChangedDests(world.ospf, reg, 5))

    def test_in_order_of_first_change(self, world: World) -> None:
        """Pending destinations come oldest first (FIFO), not in address order (A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        for prefix in ("10.3.0.0/16", "10.1.0.0/16", "10.2.0.0/16"):
            world.add(prefix)
        world.add("10.3.0.0/16", metric=1)
        assert ["10.3.0.0/16", "10.1.0.0/16", "10.2.0.0/16"] == world.pending(reg)

    def test_coalesced_with_latest_state(self, world: World) -> None:
        """A destination changed three times is returned once, with its latest state (V2-2.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16", metric=5)
        world.add("10.1.0.0/16", metric=6)
        route = world.add("10.1.0.0/16", metric=7)
        calls = drain(world.rtm, world.ospf, reg, 25)
        assert 1 == sum(len(batch) for _, batch in calls)
        [(_, _, (view,))] = calls[0][1]
        assert (1, repr(route)) == (view.NumRoutes, view.Route)
        assert 7 == route_summary(world.rtm, world.ospf, route).metric

    def test_coalesced_deleted_destination_is_reported_without_routes(self, world: World) -> None:
        """A destination added and deleted before retrieval is reported once, with no routes, so the client
        can withdraw it (A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        route = world.add("10.1.0.0/16")
        world.rtm.RtmDeleteRouteToDest(world.rip, route)
        [(status, [(prefix, belongs, (view,))])] = drain(world.rtm, world.ospf, reg, 25)[:1]
        assert (ERROR_NO_MORE_ITEMS, "10.1.0.0/16", 0) == (status, prefix, belongs)
        assert (0, None, None) == (view.NumRoutes, view.Route, view.HoldRoute)

    def test_count_zero_returns_nothing(self, world: World) -> None:
        """NumDests 0: NO_ERROR and nothing returned; the pending change stays (A-getchanged)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        assert (NO_ERROR, 0, []) == tuple(world.rtm.RtmGetChangedDests(world.ospf, reg, 0))
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_count_above_max_handles_is_invalid(self, world: World) -> None:
        """NumDests > MaxHandlesInEnum: ERROR_INVALID_PARAMETER and the pending change stays (V2-6.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        max_handles = world.rtm.config.max_handles_in_enum
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(
            world.rtm.RtmGetChangedDests(world.ospf, reg, max_handles + 1)
        )
        assert ["10.1.0.0/16"] == world.pending(reg, max_handles)

    @pytest.mark.parametrize("count", [-1, 2**32, "2", None, 2.0])
    def test_bad_counts(self, world: World, count: Any) -> None:
        """A NumDests that is not a UINT: ERROR_INVALID_PARAMETER; nothing is popped (V2-6.9, V2-A-getchanged)."""
        api = loose(world.rtm)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        before = table_state(world.rtm, world.rip)
        assert (ERROR_INVALID_PARAMETER, None, None) == tuple(api.RtmGetChangedDests(world.ospf, reg, count))
        assert before == table_state(world.rtm, world.rip)
        assert ["10.1.0.0/16"] == world.pending(reg)

    def test_bad_handles(self, world: World) -> None:
        """Another entity's, a deregistered, a wrong-kind or a non-handle notification handle:
        ERROR_INVALID_HANDLE; nothing is popped (V2-6.9, V2-A-getchanged)."""
        api = loose(world.rtm)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        gone = world.watch(RTM_CHANGE_TYPE_ALL)
        api.RtmDeregisterFromChangeNotification(world.ospf, gone)
        world.add("10.1.0.0/16")
        for caller, handle in ((world.rip, reg), (world.ospf, gone), (world.ospf, world.nh), (world.ospf, 1)):
            assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetChangedDests(caller, handle, 5))
        assert (ERROR_INVALID_HANDLE, None, None) == tuple(api.RtmGetChangedDests(None, reg, 5))
        assert ["10.1.0.0/16"] == world.pending(reg)


class TestRtmReleaseChangedDests:
    """RtmReleaseChangedDests: the only way to release RtmGetChangedDests output (V2-2.13, V2-6.9)."""

    def _one_changed(self, world: World) -> tuple[v2model.NotifyReg, list[v2model.RTM_DEST_INFO]]:
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        status, count, infos = world.rtm.RtmGetChangedDests(world.ospf, reg, 5)
        assert (ERROR_NO_MORE_ITEMS, 1) == (status, count)
        assert infos is not None
        return reg, infos

    def test_release_leaves_nothing_held(self, world: World) -> None:
        """After releasing the batch and deregistering, OSPF holds nothing (V2-2.13)."""
        reg, infos = self._one_changed(world)
        assert NO_ERROR == world.rtm.RtmReleaseChangedDests(world.ospf, reg, 1, infos).status
        world.rtm.RtmDeregisterFromChangeNotification(world.ospf, reg)
        assert world.rtm.leak_report().for_entity(repr(world.ospf)) is None

    def test_rtm_release_dests_is_not_the_way(self, world: World) -> None:
        """RtmReleaseDests refuses changed-destination structures (ERROR_INVALID_HANDLE); they stay held (V2-2.13,
        V2-6.9)."""
        reg, infos = self._one_changed(world)
        assert ERROR_INVALID_HANDLE == world.rtm.RtmReleaseDests(world.ospf, 1, infos).status
        assert NO_ERROR == world.rtm.RtmReleaseChangedDests(world.ospf, reg, 1, infos).status

    def test_another_registration_is_refused(self, world: World) -> None:
        """Releasing with a registration that did not hand the structures out: ERROR_INVALID_HANDLE
        (A-getchanged)."""
        reg, infos = self._one_changed(world)
        other = world.watch(RTM_CHANGE_TYPE_BEST)
        assert ERROR_INVALID_HANDLE == world.rtm.RtmReleaseChangedDests(world.ospf, other, 1, infos).status
        assert NO_ERROR == world.rtm.RtmReleaseChangedDests(world.ospf, reg, 1, infos).status

    def test_structures_of_another_registration_are_refused(self, world: World) -> None:
        """Two registrations of OSPF hand out different changed destinations; releasing the first one's batch
        with the second registration is a handle mismatch: ERROR_INVALID_HANDLE, nothing released
        (A-getchanged)."""
        first = world.watch(RTM_CHANGE_TYPE_ALL, views=RTM_VIEW_MASK_UCAST)
        second = world.watch(RTM_CHANGE_TYPE_ALL, views=RTM_VIEW_MASK_MCAST)
        world.add("10.1.0.0/16", views=RTM_VIEW_MASK_UCAST)
        world.add("10.2.0.0/16", views=RTM_VIEW_MASK_MCAST)
        _, count1, infos1 = world.rtm.RtmGetChangedDests(world.ospf, first, 5)
        _, count2, infos2 = world.rtm.RtmGetChangedDests(world.ospf, second, 5)
        assert (1, 1) == (count1, count2)
        before = world.rtm.leak_report()
        assert ERROR_INVALID_HANDLE == world.rtm.RtmReleaseChangedDests(world.ospf, second, 1, some(infos1)).status
        assert before == world.rtm.leak_report()
        assert NO_ERROR == world.rtm.RtmReleaseChangedDests(world.ospf, first, 1, some(infos1)).status
        assert NO_ERROR == world.rtm.RtmReleaseChangedDests(world.ospf, second, 1, some(infos2)).status

    def test_double_release_is_refused(self, world: World) -> None:
        """Releasing the same batch twice: the second gives ERROR_INVALID_HANDLE (V2-A-refs)."""
        reg, infos = self._one_changed(world)
        assert NO_ERROR == world.rtm.RtmReleaseChangedDests(world.ospf, reg, 1, infos).status
        assert ERROR_INVALID_HANDLE == world.rtm.RtmReleaseChangedDests(world.ospf, reg, 1, infos).status

    def test_malformed_arguments(self, world: World) -> None:
        """A count that differs from the list, a non-list or a list of non-structures:
        ERROR_INVALID_PARAMETER; bad handles ERROR_INVALID_HANDLE; the structures stay held (V2-2.13, V2-6.9)."""
        api = loose(world.rtm)
        reg, infos = self._one_changed(world)
        release = api.RtmReleaseChangedDests
        assert ERROR_INVALID_PARAMETER == release(world.ospf, reg, 2, infos).status
        assert ERROR_INVALID_PARAMETER == release(world.ospf, reg, 1, infos[0]).status
        assert ERROR_INVALID_PARAMETER == release(world.ospf, reg, 1, ["info"]).status
        assert ERROR_INVALID_PARAMETER == release(world.ospf, reg, -1, infos).status
        assert ERROR_INVALID_HANDLE == release(world.ospf, None, 1, infos).status
        assert ERROR_INVALID_HANDLE == release(None, reg, 1, infos).status
        assert ERROR_INVALID_HANDLE == release(world.rip, reg, 1, infos).status
        assert NO_ERROR == release(world.ospf, reg, 1, infos).status


class TestRtmGetChangeStatus:
    """RtmGetChangeStatus (V2-2.9, V2-6.9)."""

    def test_true_while_pending(self, world: World) -> None:
        """TRUE from the change until it is retrieved, FALSE afterwards (V2-2.9, V2-6.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        assert (NO_ERROR, True) == tuple(world.rtm.RtmGetChangeStatus(world.ospf, reg, info.DestHandle))
        world.pending(reg)
        assert (NO_ERROR, False) == tuple(world.rtm.RtmGetChangeStatus(world.ospf, reg, info.DestHandle))
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_per_registration(self, world: World) -> None:
        """A change retrieved on one registration is still pending on another (V2-2.9, V2-6.9)."""
        first = world.watch(RTM_CHANGE_TYPE_ALL)
        second = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        world.pending(first)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        status = world.rtm.RtmGetChangeStatus
        assert ((NO_ERROR, False), (NO_ERROR, True)) == (
            tuple(status(world.ospf, first, info.DestHandle)),
            tuple(status(world.ospf, second, info.DestHandle)),
        )
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_bad_handles(self, world: World) -> None:
        """Bad registration, notification or destination handles: ERROR_INVALID_HANDLE, no answer (V2-2.9, V2-6.9)."""
        api = loose(world.rtm)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        for args in (
            (None, reg, info.DestHandle),
            (world.rip, reg, info.DestHandle),
            (world.ospf, 0, info.DestHandle),
            (world.ospf, reg, None),
            (world.ospf, reg, world.ospf),
        ):
            assert (ERROR_INVALID_HANDLE, None) == tuple(api.RtmGetChangeStatus(*args)), args
        api.RtmReleaseDestInfo(world.ospf, info)


class TestRtmIgnoreChangedDests:
    """RtmIgnoreChangedDests (V2-2.9, V2-6.9)."""

    def test_discards_pending_changes(self, world: World) -> None:
        """Ignored destinations are not returned; the others are (V2-2.9, V2-6.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        world.add("10.2.0.0/16")
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        assert NO_ERROR == world.rtm.RtmIgnoreChangedDests(world.ospf, reg, 1, [some(info.DestHandle)]).status
        assert ["10.2.0.0/16"] == world.pending(reg)
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_comes_back_only_on_a_new_change(self, world: World) -> None:
        """An ignored destination is returned again once it changes again (V2-2.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        world.rtm.RtmIgnoreChangedDests(world.ospf, reg, 1, [some(info.DestHandle)])
        assert (NO_ERROR, False) == tuple(world.rtm.RtmGetChangeStatus(world.ospf, reg, info.DestHandle))
        world.add("10.1.0.0/16", metric=1)
        assert ["10.1.0.0/16"] == world.pending(reg)
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_ignoring_a_destination_without_changes_is_harmless(self, world: World) -> None:
        """Ignoring a destination with nothing pending succeeds and changes nothing (V2-2.9, V2-6.9)."""
        world.add("10.1.0.0/16")
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        assert NO_ERROR == world.rtm.RtmIgnoreChangedDests(world.ospf, reg, 1, [some(info.DestHandle)]).status
        assert NO_ERROR == world.rtm.RtmIgnoreChangedDests(world.ospf, reg, 0, []).status
        world.rtm.RtmReleaseDestInfo(world.ospf, info)

    def test_bad_arguments_ignore_nothing(self, world: World) -> None:
        """A bad handle anywhere in the list gives ERROR_INVALID_HANDLE and no change is discarded; a count
        mismatch gives ERROR_INVALID_PARAMETER (V2-2.9, V2-6.9)."""
        api = loose(world.rtm)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        info = dest_info(world.rtm, world.ospf, "10.1.0.0/16")
        ignore = api.RtmIgnoreChangedDests
        assert ERROR_INVALID_HANDLE == ignore(world.ospf, reg, 2, [info.DestHandle, world.nh]).status
        assert ERROR_INVALID_HANDLE == ignore(world.ospf, reg, 2, [info.DestHandle, None]).status
        assert ERROR_INVALID_HANDLE == ignore(world.rip, reg, 1, [info.DestHandle]).status
        assert ERROR_INVALID_HANDLE == ignore(world.ospf, None, 1, [info.DestHandle]).status
        assert ERROR_INVALID_PARAMETER == ignore(world.ospf, reg, 3, [info.DestHandle]).status
        assert ["10.1.0.0/16"] == world.pending(reg)
        api.RtmReleaseDestInfo(world.ospf, info)


class TestRtmDeregisterFromChangeNotification:
    """RtmDeregisterFromChangeNotification (V2-6.9)."""

    def test_handle_is_dead_and_nothing_more_arrives(self, world: World) -> None:
        """After deregistering, the notification handle is invalid, pending changes are dropped and no
        further callback arrives (V2-6.9)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        world.ospf_events.clear()
        assert NO_ERROR == world.rtm.RtmDeregisterFromChangeNotification(world.ospf, reg).status
        world.add("10.2.0.0/16")
        assert [] == world.ospf_events.notifications
        assert (ERROR_INVALID_HANDLE, None, None) == tuple(world.rtm.RtmGetChangedDests(world.ospf, reg, 5))
        assert ERROR_INVALID_HANDLE == world.rtm.RtmDeregisterFromChangeNotification(world.ospf, reg).status
        assert world.rtm.leak_report().for_entity(repr(world.ospf)) is None

    def test_bad_handles(self, world: World) -> None:
        """Another entity's registration, a wrong kind or no handle: ERROR_INVALID_HANDLE; the registration
        keeps working (V2-6.9)."""
        api = loose(world.rtm)
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        for caller, handle in ((world.rip, reg), (world.ospf, None), (world.ospf, world.ospf), (None, reg)):
            assert ERROR_INVALID_HANDLE == api.RtmDeregisterFromChangeNotification(caller, handle).status
        world.add("10.1.0.0/16")
        assert ["10.1.0.0/16"] == world.pending(reg)


class TestChangeNotificationCallback:
    """Delivery of RTM_CHANGE_NOTIFICATION to the registration owner's callback (V2-2.2, V2-A-notify-delivery)."""

    def test_contexts(self, world: World) -> None:
        """Context1 is the notification handle, Context2 the NotifyContext given at registration (V2-2.2,
        V2-A-notify-delivery)."""
        marker = object()
        reg = world.watch(RTM_CHANGE_TYPE_ALL, context=marker)
        world.add("10.1.0.0/16")
        assert [(world.ospf, RTM_CHANGE_NOTIFICATION, reg, marker)] == [tuple(e) for e in world.ospf_events.events]

    def test_once_per_drain_cycle(self, world: World) -> None:
        """Several changes before a drain give one callback; the next change after the drain gives another
        (A-notify-delivery)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        for i in range(3):
            world.add(f"10.{i}.0.0/16")
        world.add("10.0.0.0/16", metric=1)
        assert 1 == len(world.ospf_events.notifications)
        world.pending(reg)
        assert 1 == len(world.ospf_events.notifications)
        world.add("10.9.0.0/16")
        assert 2 == len(world.ospf_events.notifications)

    def test_a_partial_drain_gives_no_new_callback(self, world: World) -> None:
        """While changes are still pending (partly drained), new changes give no new callback (V2-2.2,
        V2-A-notify-delivery)."""
        reg = world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        world.add("10.2.0.0/16")
        status, count, infos = world.rtm.RtmGetChangedDests(world.ospf, reg, 1)
        assert (NO_ERROR, 1) == (status, count)
        world.rtm.RtmReleaseChangedDests(world.ospf, reg, some(count), some(infos))
        world.add("10.3.0.0/16")
        assert 1 == len(world.ospf_events.notifications)
        assert ["10.2.0.0/16", "10.3.0.0/16"] == world.pending(reg)

    def test_each_registration_is_told_separately(self, world: World) -> None:
        """Two registrations of one entity: one callback each, with their own handle and context (V2-2.2,
        V2-A-notify-delivery)."""
        first = world.watch(RTM_CHANGE_TYPE_ALL, context="first")
        second = world.watch(RTM_CHANGE_TYPE_BEST, context="second")
        world.add("10.1.0.0/16")
        assert {(first, "first"), (second, "second")} == {
            (e.context1, e.context2) for e in world.ospf_events.notifications
        }

    def test_the_entity_causing_the_change_is_told_too(self, world: World) -> None:
        """Self-notification: RIP's own change reaches RIP's registration (A-notify-delivery)."""
        status, reg = world.rtm.RtmRegisterForChangeNotification(world.rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
        assert NO_ERROR == status
        world.add("10.1.0.0/16")
        assert [(world.rip, reg)] == [(e.handle, e.context1) for e in world.rip_events.notifications]
        assert ["10.1.0.0/16"] == drained_prefixes(world.rtm, world.rip, reg)

    def test_delivered_after_the_change_and_outside_the_lock(self, world: World) -> None:
        """When the callback runs, the change is already in the table and RTM holds no lock: another thread
        can use the API, and the callback itself can drain (A-notify-delivery: never inside the call)."""
        seen: list[Any] = []

        def on_event(event: Any) -> None:
            if event.event != RTM_CHANGE_NOTIFICATION:
                return
            finished, stats = run_in_thread(world.rtm.statistics)
            seen.append((finished, stats and stats["routes"]))
            seen.append(drained_prefixes(world.rtm, world.ospf, event.context1))

        world.ospf_events.on_event = on_event
        world.watch(RTM_CHANGE_TYPE_ALL)
        world.add("10.1.0.0/16")
        assert [(True, 1), ["10.1.0.0/16"]] == seen

    def test_entity_without_callback_can_poll(self, world: World) -> None:
        """An entity registered without a callback still gets its changes recorded and can poll them (V2-2.2,
        V2-A-notify-delivery)."""
        silent = register(world.rtm, PROTO_IP_BGP)
        status, reg = world.rtm.RtmRegisterForChangeNotification(silent, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        assert NO_ERROR == status
        world.add("10.1.0.0/16")
        assert ["10.1.0.0/16"] == drained_prefixes(world.rtm, silent, reg)

    def test_no_callback_for_a_failed_call(self, world: World) -> None:
        """A call that fails changes nothing and so notifies nobody (V2-2.2, V2-A-notify-delivery)."""
        world.watch(RTM_CHANGE_TYPE_ALL)
        status, _, _ = world.rtm.RtmAddRouteToDest(
            world.rip, None, net_address("10.1.0.0/16"), route_info(world.nh, views=0x4)
        )
        assert ERROR_INVALID_PARAMETER == status
        assert [] == world.ospf_events.notifications


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmRegisterForChangeNotification", lambda w: [w.rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None], 4),
    ("RtmGetChangedDests", lambda w: [w.rip, w.notify, 5], 3),
    ("RtmReleaseChangedDests", lambda w: [w.rip, w.notify, 0, []], 4),
    ("RtmIgnoreChangedDests", lambda w: [w.rip, w.notify, 1, [w.dest]], 4),
    ("RtmGetChangeStatus", lambda w: [w.rip, w.notify, w.dest], 3),
    ("RtmMarkDestForChangeNotification", lambda w: [w.rip, w.notify, w.dest, True], 4),
    ("RtmIsMarkedForChangeNotification", lambda w: [w.rip, w.notify, w.dest], 3),
    ("RtmDeregisterFromChangeNotification", lambda w: [w.rip, w.notify], 2),
]


class TestBadInputSweep:
    """Every argument position of the change-notification methods given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.9)."""
        assert [] == sweep(clock, method, args, position)
