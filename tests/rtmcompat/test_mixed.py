"""Native RTMv2 entities and v1 clients on one RoutingTableManager (MIGRATION.md "RTMv1 shim", "v2 routes in v1
shape"; V2-8 mapping, A-v1)."""

from __future__ import annotations

import threading
from typing import Any

import rtmcompat
import v2model
from rtmcompat import (
    ERROR_NO_MESSAGES,
    ERROR_NO_SUCH_ROUTE,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_PROTOCOL_RIP,
    IPX_SPECIFIC_DATA,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Shim,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import (
    MAC2,
    Message,
    add,
    as_ip,
    delete,
    drain,
    dump,
    filetime,
    ip_route,
    ipx_route,
    register,
    stored,
    v2_add,
    v2_register,
)
from v2model import (
    AF_INET,
    AF_IPX,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_BEST,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    ipx_net_address,
    ipx_node_address,
    net_address,
)

IP = RTM_PROTOCOL_FAMILY_IP


def v1_shape(
    net: str, protocol: int, ifindex: int, nexthop: str, preference: int, metric: int, at_ms: int
) -> RTM_IP_ROUTE:
    """A native v2 route as v1 clients see it: owner's protocol, first next hop, FSD_Priority = Preference,
    FSD_Metric = Metric, everything else 0, RR_TimeStamp = the destination's LastChanged (MIGRATION.md)."""
    return RTM_IP_ROUTE(
        RR_TimeStamp=filetime(at_ms),
        RR_RoutingProtocol=protocol,
        RR_InterfaceID=ifindex,
        RR_ProtocolSpecificData=PROTOCOL_SPECIFIC_DATA([0, 0, 0, 0]),
        RR_Network=ip_network(net),
        RR_NextHopAddress=ip_network(nexthop),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Priority=preference, FSD_Metric=metric),
    )


def best_v2_route(rtm: v2model.RoutingTableManager, ent: v2model.Entity, prefix: str) -> Any:
    """The unicast best route of a destination as a v2 entity reads it: (route info, next-hop info, owner info)."""
    status, dest = rtm.RtmGetExactMatchDestination(ent, net_address(prefix), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
    assert NO_ERROR == status
    assert dest is not None
    route = dest.ViewInfo[0].Route
    status, info, _dest_handle = rtm.RtmGetRouteInfo(ent, route)
    assert NO_ERROR == status
    assert info is not None
    status, hop = rtm.RtmGetNextHopInfo(ent, info.NextHopsList.NextHops[0])
    assert NO_ERROR == status
    status, owner = rtm.RtmGetEntityInfo(ent, info.RouteOwner)
    assert NO_ERROR == status
    result = (info, hop, owner)
    rtm.RtmReleaseDestInfo(ent, dest)
    return result


class TestV2EntitySeesV1Routes:
    """A native v2 entity reads the routes v1 clients add (RtmAddRoute -> RtmAddRouteToDest)."""

    def test_route_owner_preference_metric_and_next_hop(self, rtm):
        """A v1 route is a v2 route owned by the client's entity (protocol id, instance 0), Preference =
        FSD_Priority from protocol_priority, Metric = FSD_Metric, one next hop of (interface, next-hop address)
        (MIGRATION.md mapping table RtmAddRoute; V2-8, V2-A-v1)."""
        shim = V1Shim(rtm, protocol_priority={PROTO_IP_RIP: 7})
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=3, nexthop="192.0.2.9", metric=4, priority=99))
        info, hop, owner = best_v2_route(rtm, bgp, "10.1.0.0/16")
        assert info.RouteOwner == rip.entity
        assert (PROTO_IP_RIP, 0) == (owner.EntityId.EntityProtocolId, owner.EntityId.EntityInstanceId)
        assert (7, 4) == (info.PrefInfo.Preference, info.PrefInfo.Metric)
        assert 1 == info.NextHopsList.NumNextHops
        assert (3, net_address("192.0.2.9/32")) == (hop.InterfaceIndex, hop.NextHopAddress)
        assert RTM_VIEW_MASK_UCAST == info.BelongsToViews

    def test_v1_priority_decides_against_v2_preference(self, rtm):
        """v1 and v2 routes compete on one scale: (Preference, Metric) = (FSD_Priority, FSD_Metric) (V2-8
        mapping)."""
        shim = V1Shim(rtm, protocol_priority={PROTO_IP_RIP: 5})
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=100, preference=4)
        add(shim, rip, ip_route(metric=1))
        info, _hop, _owner = best_v2_route(rtm, bgp, "10.1.0.0/16")
        assert (4, 100) == (info.PrefInfo.Preference, info.PrefInfo.Metric)

    def test_v2_entity_is_notified_of_v1_changes(self, rtm):
        """A v2 entity registered for BEST changes hears about v1 adds (V2-2.9; MIGRATION.md)."""
        shim = V1Shim(rtm)
        rip, _ = register(shim, PROTO_IP_RIP)
        events: list[int] = []

        def callback(handle: Any, event_type: int, context1: Any, context2: Any) -> int:
            events.append(event_type)
            return NO_ERROR

        bgp = v2_register(rtm, PROTO_IP_BGP, callback=callback)
        status, notify = rtm.RtmRegisterForChangeNotification(bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None)
        assert NO_ERROR == status
        add(shim, rip, ip_route())
        assert RTM_CHANGE_NOTIFICATION in events
        status, count, dests = rtm.RtmGetChangedDests(bgp, notify, 10)
        assert 1 == count
        assert dests is not None
        assert net_address("10.1.0.0/16") == dests[0].DestAddress
        rtm.RtmReleaseChangedDests(bgp, notify, count, dests)

    def test_v1_route_cannot_be_deleted_by_a_v2_entity(self, rtm):
        """The v1 client's route belongs to its entity: another entity gets ERROR_ACCESS_DENIED (V2-6.5;
        MIGRATION.md rtmv2 "RtmAddRouteToDest" (b))."""
        shim = V1Shim(rtm)
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        add(shim, rip, ip_route())
        status, dest = rtm.RtmGetExactMatchDestination(
            bgp, net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert NO_ERROR == status
        assert dest is not None
        assert v2model.ERROR_ACCESS_DENIED == rtm.RtmDeleteRouteToDest(bgp, dest.ViewInfo[0].Route).status
        rtm.RtmReleaseDestInfo(bgp, dest)
        assert 1 == len(dump(shim))


class TestV1ClientsSeeV2Changes:
    """v1 clients get v1 messages, with v1-shaped routes, for changes native v2 entities make."""

    def test_v2_route_appears(self, shim, rtm, clock):
        """A v2 route to a new network: every v1 client with an event gets ADDED with the route in v1 shape
        (MIGRATION.md "v2 routes in v1 shape"; V1-5.3)."""
        rip, ev = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        clock.advance(5_000)
        v2_add(rtm, bgp, "10.7.0.0/16", "192.0.2.77", 9, metric=2, preference=1)
        expected = [Message(RTM_ROUTE_ADDED, v1_shape("10.7.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 1, 2, 5_000), None)]
        assert ev is not None
        assert ev.is_set()
        assert expected == drain(shim, rip)
        assert expected == drain(shim, ospf)

    def test_v2_route_becomes_best(self, shim, rtm):
        """A better v2 route than the v1 best: CHANGED with Prev = the v1 route, Cur = the v2 route in v1 shape,
        to every v1 client, the v1 route's owner included (V1-5.2, V1-5.3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(metric=4))
        drain(shim, ospf)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=1, preference=0)
        expected = [
            Message(
                RTM_ROUTE_CHANGED,
                v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 1, 0),
                stored(ip_route(metric=4), PROTO_IP_RIP, 0),
            )
        ]
        assert expected == drain(shim, rip)
        assert expected == drain(shim, ospf)

    def test_worse_v2_route_tells_nobody(self, shim, rtm):
        """A v2 route that does not become best produces no v1 message (V1-5.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=1))
        drain(shim, rip)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=5, preference=3)
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(rip).status
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(ospf).status

    def test_v2_best_route_updated(self, shim, rtm):
        """A metric change of the v2 best route: CHANGED with the before and after v1 shapes (V1-5.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=2)
        drain(shim, rip)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=3)
        expected = [
            Message(
                RTM_ROUTE_CHANGED,
                v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 3, 0),
                v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 2, 0),
            )
        ]
        assert expected == drain(shim, rip)

    def test_v2_route_deleted_hands_back_to_v1(self, shim, rtm):
        """Deleting the v2 best route: CHANGED back to the v1 route; deleting the last route: DELETED (V1-5.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=4))
        bgp = v2_register(rtm, PROTO_IP_BGP)
        route, _hops = v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=1)
        drain(shim, rip)
        assert NO_ERROR == rtm.RtmDeleteRouteToDest(bgp, route).status
        v1_route = stored(ip_route(metric=4), PROTO_IP_OSPF, 0)
        bgp_shape = v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 1, 0)
        assert [Message(RTM_ROUTE_CHANGED, v1_route, bgp_shape)] == drain(shim, rip)
        delete(shim, ospf, ip_route())
        assert [Message(RTM_ROUTE_DELETED, None, v1_route)] == drain(shim, rip)

    def test_first_next_hop_is_shown(self, shim, rtm):
        """A v2 route with several next hops shows the interface and address of the first (MIGRATION.md "v2
        routes in v1 shape")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.5", 4, more_nexthops=(("192.0.2.6", 5),))
        [message] = drain(shim, rip)
        assert v1_shape("10.1.0.0/16", PROTO_IP_BGP, 4, "192.0.2.5", 0, 1, 0) == message.cur

    def test_v2_route_without_next_hops(self, shim, rtm):
        """A v2 route with no next hop shows interface 0 and next hop 0.0.0.0/0 (MIGRATION.md "every other field
        0")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", None, 0)
        [message] = drain(shim, rip)
        expected = v1_shape("10.1.0.0/16", PROTO_IP_BGP, 0, "0.0.0.0", 0, 1, 0)
        expected.RR_NextHopAddress.N_NetMask = 0
        assert expected == message.cur

    def test_v2_deregistration_leftovers_are_told(self, shim, rtm):
        """A v2 entity deregistering with routes left: RTM force-cleans them and v1 clients get DELETED (V2-A-dereg;
        V1-5.3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9)
        drain(shim, rip)
        assert NO_ERROR == rtm.RtmDeregisterEntity(bgp).status
        assert [Message(RTM_ROUTE_DELETED, None, v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 1, 0))] == (
            drain(shim, rip)
        )
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(IP)

    def test_v2_route_expiry_is_told(self, shim, rtm, clock):
        """A v2 route aging out (its owner has no callback, so RTM deletes it): DELETED to v1 clients at the next
        call (V2-2.8; M-TIME)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, ttl=3_000)
        drain(shim, rip)
        clock.advance(3_000)
        assert [Message(RTM_ROUTE_DELETED, None, v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 1, 0))] == (
            drain(shim, rip)
        )

    def test_queries_see_v2_routes(self, shim, rtm):
        """RtmIsRoute, RtmGetNetworkCount, RtmLookupIPDestination and RtmGetFirstRoute show v2 routes in v1 shape
        (MIGRATION.md mapping table)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=2, preference=1)
        add(shim, rip, ip_route("10.2.0.0/16"))
        shape = v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 1, 2, 0)
        assert (NO_ERROR, True, shape) == shim.RtmIsRoute(IP, ip_network("10.1.0.0/16"))
        assert (NO_ERROR, 2) == shim.RtmGetNetworkCount(IP)
        assert (NO_ERROR, True, shape) == shim.RtmLookupIPDestination(ip_address("10.1.0.1"))
        assert [shape, stored(ip_route("10.2.0.0/16"), PROTO_IP_RIP, 0)] == dump(shim)

    def test_v1_client_cannot_delete_a_v2_route(self, shim, rtm):
        """A v1 client deleting a network it has no route to gets ERROR_NO_SUCH_ROUTE even if a v2 route is there
        (V1-4.5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.1", 1)
        assert (ERROR_NO_SUCH_ROUTE, None, None) == shim.RtmDeleteRoute(rip, ip_route(protocol=PROTO_IP_BGP))
        assert (NO_ERROR, 1) == shim.RtmGetNetworkCount(IP)

    def test_multicast_only_routes_are_invisible(self, shim, rtm):
        """Routes only in the multicast view are not visible to v1 clients: no message, no count, no route
        (MIGRATION.md "v2 routes in v1 shape")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.5.0.0/16", "192.0.2.5", 2, views=RTM_VIEW_MASK_MCAST)
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(rip).status
        assert (NO_ERROR, 0) == shim.RtmGetNetworkCount(IP)
        assert (NO_ERROR, False, None) == shim.RtmIsRoute(IP, ip_network("10.5.0.0/16"))
        assert (NO_ERROR, False, None) == shim.RtmLookupIPDestination(ip_address("10.5.0.1"))
        assert [] == dump(shim)

    def test_late_v1_client_learns_v2_best_routes(self, shim, rtm):
        """A v1 client registering after v2 routes exist gets the v2 route as PrevBestRoute when it is displaced
        (MIGRATION.md "Keeping the previous best route")."""
        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.77", 9, metric=5)
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        flags, cur, prev = add(shim, rip, ip_route(metric=1))
        shape = v1_shape("10.1.0.0/16", PROTO_IP_BGP, 9, "192.0.2.77", 0, 5, 0)
        assert (RTM_ROUTE_CHANGED, stored(ip_route(metric=1), PROTO_IP_RIP, 0), shape) == (flags, cur, prev)
        assert [Message(flags, cur, prev)] == drain(shim, ospf)


class TestIpxMixed:
    """Native v2 routes of the AF_IPX model extension seen by v1 IPX clients."""

    def test_ipx_v2_route_in_v1_shape(self, shim, rtm):
        """A v2 IPX route shows FSD_TickCount = Preference, FSD_HopCount = Metric (clamped to 65535), the MAC of
        its first next hop (MIGRATION.md "v2 routes in v1 shape")."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
        nlsp = v2_register(rtm, PROTO_IP_BGP, af=AF_IPX)
        v2_add(rtm, nlsp, ipx_net_address(0x10), ipx_node_address(MAC2), 3, metric=70_000, preference=2)
        expected = RTM_IPX_ROUTE(
            RR_TimeStamp=filetime(0),
            RR_RoutingProtocol=PROTO_IP_BGP,
            RR_InterfaceID=3,
            RR_Network=IPX_NETWORK(0x10),
            RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(MAC2),
            RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_TickCount=2, FSD_HopCount=0xFFFF),
        )
        assert [Message(RTM_ROUTE_ADDED, expected, None)] == drain(shim, rip)
        assert (NO_ERROR, True, expected) == shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IPX, IPX_NETWORK(0x10))

    def test_ipx_v1_route_seen_by_v2(self, shim, rtm):
        """A v1 IPX route is a v2 AF_IPX route: Preference = ticks, Metric = hops (MIGRATION.md mapping table
        RtmAddRoute)."""
        rip, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
        reader = v2_register(rtm, PROTO_IP_BGP, af=AF_IPX)
        add(shim, rip, ipx_route(0x10, ifindex=3, mac=MAC2, ticks=4, hops=6))
        status, dest = rtm.RtmGetExactMatchDestination(
            reader, ipx_net_address(0x10), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert NO_ERROR == status
        assert dest is not None
        status, info, _ = rtm.RtmGetRouteInfo(reader, dest.ViewInfo[0].Route)
        assert info is not None
        assert (4, 6) == (info.PrefInfo.Preference, info.PrefInfo.Metric)
        assert info.RouteOwner == rip.entity
        status, hop = rtm.RtmGetNextHopInfo(reader, info.NextHopsList.NextHops[0])
        assert (3, ipx_node_address(MAC2)) == (hop.InterfaceIndex, hop.NextHopAddress)


def registered_ids(rtm: v2model.RoutingTableManager, af: int = AF_INET) -> set[tuple[int, int]]:
    """(protocol id, instance) of every entity in a table, read by a throw-away v2 entity."""
    probe = v2_register(rtm, PROTO_IP_RIP, 99, af=af)
    status, _count, handles, infos = rtm.RtmGetRegisteredEntities(probe, 100)
    assert NO_ERROR == status
    assert handles is not None
    assert infos is not None
    rtm.RtmReleaseEntities(probe, len(handles), handles)
    assert NO_ERROR == rtm.RtmDeregisterEntity(probe).status
    return {(i.EntityId.EntityProtocolId, i.EntityId.EntityInstanceId) for i in infos} - {(PROTO_IP_RIP, 99)}


class TestReaderEntity:
    """Client-less v1 calls are made by one reader entity per family (MIGRATION.md "Entities")."""

    def test_registered_on_first_use_and_closed(self, rtm):
        """The reader (protocol RTMCOMPAT_READER_PROTOCOL) appears with the first client-less call of its family
        and shim.close() deregisters it; clients stay (MIGRATION.md "Entities")."""
        shim = V1Shim(rtm)
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        assert {(PROTO_IP_RIP, 0)} == registered_ids(rtm)
        shim.RtmIsRoute(IP, ip_network("10.1.0.0/16"))
        assert {(PROTO_IP_RIP, 0), (rtmcompat.RTMCOMPAT_READER_PROTOCOL, 0)} == registered_ids(rtm)
        assert set() == registered_ids(rtm, AF_IPX)
        shim.close()
        assert {(PROTO_IP_RIP, 0)} == registered_ids(rtm)
        assert NO_ERROR == shim.RtmDeregisterClient(rip).status

    def test_reader_holds_the_change_registration(self, rtm):
        """The first client with an event registers the reader, which holds the family's change registration
        until the last client with an event leaves; shim.close() then deregisters it (M-SHARED-NOTIFY)."""
        shim = V1Shim(rtm)
        reader = rtmcompat.RTMCOMPAT_READER_PROTOCOL
        quiet, _ = register(shim, PROTO_IP_RIP, event=False)
        assert {(PROTO_IP_RIP, 0)} == registered_ids(rtm)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        assert {(PROTO_IP_RIP, 0), (PROTO_IP_OSPF, 0), (reader, 0)} == registered_ids(rtm)
        assert NO_ERROR == shim.RtmDeregisterClient(ospf).status
        assert NO_ERROR == shim.RtmDeregisterClient(quiet).status
        shim.close()
        assert set() == registered_ids(rtm)
        assert rtm.leak_report().empty, rtm.leak_report()

    def test_reader_uses_the_next_free_instance(self, rtm):
        """When another entity already holds the reader's id, the shim takes the next instance: two shims on one
        RTM both work (MIGRATION.md "Entities")."""
        first, second = V1Shim(rtm), V1Shim(rtm)
        rip, _ = register(first, PROTO_IP_RIP)
        add(first, rip, ip_route())
        expected = (NO_ERROR, True, stored(ip_route(), PROTO_IP_RIP, 0))
        assert expected == first.RtmIsRoute(IP, ip_network("10.1.0.0/16"))
        assert expected == second.RtmIsRoute(IP, ip_network("10.1.0.0/16"))
        reader = rtmcompat.RTMCOMPAT_READER_PROTOCOL
        assert {(reader, 0), (reader, 1)} <= registered_ids(rtm)
        first.close()
        second.close()

    def test_reader_protocol_is_a_vendor_id(self):
        """RTMCOMPAT_READER_PROTOCOL is PROTOCOL_ID(0, 0x3FFE, 1), an id no Microsoft protocol uses (MIGRATION.md
        "Entities")."""
        assert rtmcompat.PROTOCOL_ID(0, 0x3FFE, 0x0001) == rtmcompat.RTMCOMPAT_READER_PROTOCOL


class TestAgingBetweenV1Calls:
    """v1 aging also runs when RTM reports the expiry, e.g. during a native v2 call (MIGRATION.md "Aging")."""

    def test_v2_call_triggers_v1_aging(self, shim, rtm, clock):
        """After the deadline a native v2 call already sees the v1 route gone, and the v1 clients (the owner too)
        have their DELETED message and a signalled event before any v1 call (MIGRATION.md "Aging";
        V1-5.5)."""
        rip, rip_event = register(shim, PROTO_IP_RIP)
        ospf, ospf_event = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route(), 5)
        drain(shim, ospf)
        bgp = v2_register(rtm, PROTO_IP_BGP)
        clock.advance(5_000)
        status, _ = rtm.RtmGetExactMatchDestination(
            bgp, net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert v2model.ERROR_NOT_FOUND == status
        assert rip_event is not None
        assert ospf_event is not None
        assert (True, True) == (rip_event.is_set(), ospf_event.is_set())
        expected = [Message(RTM_ROUTE_DELETED, None, stored(ip_route(), PROTO_IP_RIP, 0))]
        assert expected == drain(shim, rip)
        assert expected == drain(shim, ospf)


class TestConcurrency:
    """Each v1 call is atomic under the shim's lock (V1-A32; MIGRATION.md "Concurrency")."""

    def test_parallel_clients(self, shim, rtm):
        """Four threads add and delete their own routes concurrently: no call fails, the table ends empty, and each
        client saw, per network of another client, ADDED before DELETED (V1-A32, V1-5.3)."""
        protocols = (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP, PROTO_IP_RIP + 100)
        clients = [register(shim, p)[0] for p in protocols]
        errors: list[Any] = []
        start = threading.Barrier(len(clients))

        def work(index: int) -> None:
            client = clients[index]
            start.wait()
            for i in range(25):
                route = ip_route(f"10.{index}.{i}.0/24")
                for result in (shim.RtmAddRoute(client, route, 60), shim.RtmDeleteRoute(client, route)):
                    if result.status != NO_ERROR:
                        errors.append(result)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [] == errors
        assert [] == dump(shim)
        assert (0, 0) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])
        for index, client in enumerate(clients):
            messages = drain(shim, client)
            assert 2 * 25 * (len(clients) - 1) == len(messages)
            seen: dict[str, int] = {}
            for message in messages:
                route = message.cur if message.cur is not None else message.prev
                net = ip_network(as_ip(route).RR_Network)
                assert not net.startswith(f"10.{index}.")
                seen[net] = seen.get(net, 0) + 1
                assert (RTM_ROUTE_ADDED if seen[net] == 1 else RTM_ROUTE_DELETED) == message.flags
