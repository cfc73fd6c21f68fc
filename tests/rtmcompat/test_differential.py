"""V1Shim against V1Reference on random v1 call sequences: the same workload, call by call,
must give the same statuses, flags, routes and change messages on both, leave every client's event in the same
state (V1-A18) and record the same number of contained event faults (M-EVENT-FAULTS); the v2 model's invariants
are checked after every step where the model offers the check.

The workload avoids the two documented differences (MIGRATION.md "What the shim cannot carry over"): networks
RTMv2 cannot hold, and ties between routes of equal cost (each route's metric ends in a number unique to its
identity, so no two routes of a network ever cost the same).
"""

from __future__ import annotations

import threading
from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import rtmcompat
import v2model
from rtmcompat import (
    INFINITE,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_PROTOCOL_RIP,
    IPX_PROTOCOL_SAP,
    IPX_SPECIFIC_DATA,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_PROTOCOL_SINGLE_ROUTE,
    ip_address,
    ip_network,
)

NETWORKS = ("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32", "192.168.0.0/16")
NEXTHOPS = ("192.0.2.1", "192.0.2.2")
IP_PROTOCOLS = (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP)
IPX_PROTOCOLS = (IPX_PROTOCOL_RIP, IPX_PROTOCOL_SAP)
IPX_NETS = (0x10, 0x11, 0xABCD)
MACS = (bytes.fromhex("00000c000001"), bytes.fromhex("00000c000002"))
PRIORITY = {PROTO_IP_RIP: 120, PROTO_IP_OSPF: 110}
FAMILIES = (RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX)


def _normal(value: Any) -> Any:
    """Results comparable across the two APIs: handles are compared by kind only (their serials differ)."""
    if isinstance(value, tuple):
        return tuple(_normal(v) for v in value)
    if isinstance(value, rtmcompat.V1Client | rtmcompat.ReferenceClient):
        return "client"
    if isinstance(value, rtmcompat.V1Enum | rtmcompat.ReferenceEnum):
        return "enum"
    if attrs.has(type(value)):
        return attrs.asdict(value)
    return value


def _unique(protocol_index: int, interface: int, hop: int) -> int:
    return protocol_index * 4 + (interface - 1) * 2 + hop


class ShimMatchesReference(RuleBasedStateMachine):
    """Drives a V1Shim and a V1Reference with the same calls and compares every result."""

    def __init__(self) -> None:
        super().__init__()
        self.shim_clock = v2model.ManualClock()
        self.ref_clock = v2model.ManualClock()
        self.rtm = v2model.RoutingTableManager(clock=self.shim_clock)
        self.shim = rtmcompat.V1Shim(self.rtm, protocol_priority=PRIORITY)
        self.ref = rtmcompat.V1Reference(clock=self.ref_clock, protocol_priority=PRIORITY)
        self.clients: dict[tuple[int, int], tuple[Any, Any]] = {}
        self.enums: list[tuple[Any, Any]] = []
        self.last_route: tuple[Any, Any] | None = None
        #: (shim event, reference event) of every client ever registered, deregistered ones included: v1 leaves
        #: a leaving client's event as it is (V1-4.2, V1-A18).
        self.events: list[tuple[Any, Any]] = []

    def both(self, name: str, *args: Any) -> tuple[Any, Any]:
        """Call ``name`` on both; args given as (shim value, reference value) pairs where they differ. Then every
        event must be in the same state on both sides, and the same number of faults recorded."""
        shim_args = [a[0] if isinstance(a, _Pair) else a for a in args]
        ref_args = [a[1] if isinstance(a, _Pair) else a for a in args]
        got = getattr(self.shim, name)(*shim_args)
        expected = getattr(self.ref, name)(*ref_args)
        assert _normal(expected) == _normal(got), name
        assert [ref.is_set() for _, ref in self.events] == [shim.is_set() for shim, _ in self.events], name
        assert len(self.ref.diagnostics) == len(self.shim.diagnostics), name
        if hasattr(self.rtm, "check_invariants"):
            self.rtm.check_invariants()
        return got, expected

    # --- routes ---------------------------------------------------------------------------------------

    @staticmethod
    def ip_route(network: str, interface: int, hop: int, metric: int, extra: int) -> RTM_IP_ROUTE:
        return RTM_IP_ROUTE(
            RR_InterfaceID=interface,
            RR_Network=ip_network(network),
            RR_NextHopAddress=ip_network(NEXTHOPS[hop]),
            RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric, FSD_Metric1=extra),
        )

    @staticmethod
    def ipx_route(net: int, interface: int, hop: int, ticks: int, hops: int) -> RTM_IPX_ROUTE:
        return RTM_IPX_ROUTE(
            RR_InterfaceID=interface,
            RR_Network=IPX_NETWORK(net),
            RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(MACS[hop]),
            RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_TickCount=ticks, FSD_HopCount=hops),
        )

    def route_for(self, family: int, protocol: int, where: int, interface: int, hop: int, cost: int, extra: int) -> Any:
        if family == RTM_PROTOCOL_FAMILY_IP:
            metric = cost * 100 + _unique(IP_PROTOCOLS.index(protocol), interface, hop)
            return self.ip_route(NETWORKS[where % len(NETWORKS)], interface, hop, metric, extra)
        hops = cost * 100 + _unique(IPX_PROTOCOLS.index(protocol), interface, hop)
        return self.ipx_route(IPX_NETS[where % len(IPX_NETS)], interface, hop, extra, hops)

    # --- rules ------------------------------------------------------------------------------------------

    @rule(
        family=st.sampled_from(FAMILIES),
        which=st.integers(0, 2),
        event=st.sampled_from(["none", "event", "faulty"]),
        single=st.booleans(),
    )
    def register(self, family: int, which: int, event: str, single: bool) -> None:
        """RtmRegisterClient (a protocol registered twice is ERROR_CLIENT_ALREADY_EXISTS on both); some events
        fail now and then (M-EVENT-FAULTS)."""
        protocols = IP_PROTOCOLS if family == RTM_PROTOCOL_FAMILY_IP else IPX_PROTOCOLS
        protocol = protocols[which % len(protocols)]
        events = None
        if event == "event":
            events = _Pair(threading.Event(), threading.Event())
        elif event == "faulty":
            events = _Pair(_FaultyEvent(), _FaultyEvent())
        flags = RTM_PROTOCOL_SINGLE_ROUTE if single else 0
        got, expected = self.both("RtmRegisterClient", family, protocol, events, flags)
        if got.status == 0:
            self.clients[(family, protocol)] = (got.ClientHandle, expected.ClientHandle)
            if events is not None:
                self.events.append((events.shim, events.ref))

    @precondition(lambda self: bool(self.clients))
    @rule(data=st.data())
    def deregister(self, data: st.DataObject) -> None:
        """RtmDeregisterClient: the remaining clients get the same messages."""
        key = data.draw(st.sampled_from(sorted(self.clients)))
        pair = self.clients.pop(key)
        self.both("RtmDeregisterClient", _Pair(*pair))
        self.both("RtmDeregisterClient", _Pair(*pair))  # twice: ERROR_INVALID_HANDLE

    @precondition(lambda self: bool(self.clients))
    @rule(
        data=st.data(),
        where=st.integers(0, 5),
        interface=st.integers(1, 2),
        hop=st.integers(0, 1),
        cost=st.integers(0, 3),
        extra=st.integers(0, 1),
        ttl=st.sampled_from([INFINITE, 0, 5, 60]),
    )
    def add(self, data: st.DataObject, where: int, interface: int, hop: int, cost: int, extra: int, ttl: int) -> None:
        """RtmAddRoute: flags, current and previous best routes."""
        family, protocol = data.draw(st.sampled_from(sorted(self.clients)))
        route = self.route_for(family, protocol, where, interface, hop, cost, extra)
        got, _ = self.both("RtmAddRoute", _Pair(*self.clients[(family, protocol)]), route, ttl)
        if got.CurBestRoute is not None:
            self.last_route = (family, got.CurBestRoute)

    @precondition(lambda self: bool(self.clients))
    @rule(data=st.data(), where=st.integers(0, 5), interface=st.integers(1, 2), hop=st.integers(0, 1))
    def delete(self, data: st.DataObject, where: int, interface: int, hop: int) -> None:
        """RtmDeleteRoute."""
        family, protocol = data.draw(st.sampled_from(sorted(self.clients)))
        route = self.route_for(family, protocol, where, interface, hop, 0, 0)
        self.both("RtmDeleteRoute", _Pair(*self.clients[(family, protocol)]), route)

    @precondition(lambda self: bool(self.clients))
    @rule(data=st.data(), flags=st.sampled_from([0, 1, 2, 3, 4, 8]), where=st.integers(0, 5))
    def block_delete(self, data: st.DataObject, flags: int, where: int) -> None:
        """RtmBlockDeleteRoutes with and without criteria."""
        family, protocol = data.draw(st.sampled_from(sorted(self.clients)))
        criteria = self.route_for(family, protocol, where, 1, 0, 0, 0) if flags & 7 else None
        self.both("RtmBlockDeleteRoutes", _Pair(*self.clients[(family, protocol)]), flags, criteria)

    @precondition(lambda self: bool(self.clients))
    @rule(data=st.data())
    def dequeue(self, data: st.DataObject) -> None:
        """RtmDequeueRouteChangeMessage: the queues hold the same messages in the same order."""
        key = data.draw(st.sampled_from(sorted(self.clients)))
        self.both("RtmDequeueRouteChangeMessage", _Pair(*self.clients[key]))

    @rule(ms=st.integers(0, 70_000))
    def advance(self, ms: int) -> None:
        """Time passes on both clocks (aging happens at the next call)."""
        self.shim_clock.advance(ms)
        self.ref_clock.advance(ms)

    @rule(family=st.sampled_from(FAMILIES), where=st.integers(0, 5))
    def is_route(self, family: int, where: int) -> None:
        """RtmIsRoute."""
        network = ip_network(NETWORKS[where]) if family == RTM_PROTOCOL_FAMILY_IP else IPX_NETWORK(IPX_NETS[where % 3])
        self.both("RtmIsRoute", family, network)

    @rule(address=st.sampled_from(["10.1.2.3", "10.1.9.9", "10.9.9.9", "192.168.4.4", "8.8.8.8"]))
    def lookup(self, address: str) -> None:
        """RtmLookupIPDestination."""
        self.both("RtmLookupIPDestination", ip_address(address))

    @rule(family=st.sampled_from(FAMILIES), flags=st.sampled_from([0, 8]))
    def walk(self, family: int, flags: int) -> None:
        """RtmGetFirstRoute / RtmGetNextRoute over the whole table in canonical order."""
        got, _ = self.both("RtmGetFirstRoute", family, flags, None)
        steps = 0
        while got.status == 0 and steps < 100:
            got, _ = self.both("RtmGetNextRoute", family, flags, got.Route)
            steps += 1

    @rule(family=st.sampled_from(FAMILIES), flags=st.sampled_from([0, 4, 8]), which=st.integers(0, 2))
    def open_enum(self, family: int, flags: int, which: int) -> None:
        """RtmCreateEnumerationHandle (ERROR_NO_ROUTES on both when nothing matches)."""
        protocols = IP_PROTOCOLS if family == RTM_PROTOCOL_FAMILY_IP else IPX_PROTOCOLS
        criteria = None
        if flags & 4:
            criteria = self.route_for(family, protocols[which % len(protocols)], 0, 1, 0, 0, 0)
            criteria.RR_RoutingProtocol = protocols[which % len(protocols)]
        got, expected = self.both("RtmCreateEnumerationHandle", family, flags, criteria)
        if got.status == 0:
            self.enums.append((got.EnumerationHandle, expected.EnumerationHandle))

    @precondition(lambda self: bool(self.enums))
    @rule(data=st.data())
    def enum_next(self, data: st.DataObject) -> None:
        """RtmEnumerateGetNextRoute: the live cursors agree across mutations."""
        pair = data.draw(st.sampled_from(self.enums))
        self.both("RtmEnumerateGetNextRoute", _Pair(*pair))

    @precondition(lambda self: self.last_route is not None)
    @rule()
    def route_age(self) -> None:
        """RtmGetRouteAge of a route returned earlier."""
        assert self.last_route is not None
        self.both("RtmGetRouteAge", self.last_route[1])

    @invariant()
    def network_counts_agree(self) -> None:
        """RtmGetNetworkCount for both families."""
        for family in FAMILIES:
            self.both("RtmGetNetworkCount", family)

    def teardown(self) -> None:
        """Every client leaves; the v2 model is left with no route and nothing leaked."""
        for shim_client, ref_client in list(self.clients.values()):
            assert _normal(self.ref.RtmDeregisterClient(ref_client)) == _normal(
                self.shim.RtmDeregisterClient(shim_client)
            )
        self.shim.close()
        assert self.rtm.leak_report().empty, self.rtm.leak_report()
        assert 0 == self.rtm.statistics()["routes"]


class _FaultyEvent(threading.Event):
    """A change event whose every third set() and every second clear() raise after doing their work (the same
    sequence of calls fails the same way on both sides)."""

    def __init__(self) -> None:
        super().__init__()
        self.sets = 0
        self.clears = 0

    def set(self) -> None:
        super().set()
        self.sets += 1
        if self.sets % 3 == 0:
            raise RuntimeError("set failed")

    def clear(self) -> None:
        super().clear()
        self.clears += 1
        if self.clears % 2 == 0:
            raise RuntimeError("clear failed")


@attrs.frozen
class _Pair:
    """An argument that differs between the shim and the reference (handles, events)."""

    shim: Any
    ref: Any

    def __getitem__(self, index: int) -> Any:
        return (self.shim, self.ref)[index]


ShimMatchesReference.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestShimMatchesReference = ShimMatchesReference.TestCase


class TestDeregistrationTellsOnlyTheOthers:
    """RtmDeregisterClient tells the remaining clients and leaves the leaving client's event untouched, on both
    APIs (V1-4.2, V1-A18; the reference used to queue to the leaving client and set its event)."""

    def test_same_on_both(self):
        """RIP leaves with its route the best one: OSPF hears RTM_ROUTE_CHANGED, RIP's own (reset) event stays
        reset, on the shim and on the reference alike."""
        observed = []
        for make in (
            lambda clock: rtmcompat.V1Shim(v2model.RoutingTableManager(clock=clock)),
            lambda clock: rtmcompat.V1Reference(clock=clock),
        ):
            api = make(v2model.ManualClock())
            rip_event, ospf_event = threading.Event(), threading.Event()
            _, rip = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, rip_event, 0)
            _, ospf = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, ospf_event, 0)
            api.RtmAddRoute(ospf, ShimMatchesReference.ip_route("10.1.0.0/16", 1, 0, 5, 0), INFINITE)
            api.RtmAddRoute(rip, ShimMatchesReference.ip_route("10.1.0.0/16", 2, 1, 1, 0), INFINITE)
            while api.RtmDequeueRouteChangeMessage(rip).status in (0, 234):
                pass
            while api.RtmDequeueRouteChangeMessage(ospf).status in (0, 234):
                pass
            assert api.RtmDeregisterClient(rip).status == 0
            events = (rip_event.is_set(), ospf_event.is_set())
            observed.append((*events, api.RtmDequeueRouteChangeMessage(ospf).Flags))
        assert [(False, True, rtmcompat.RTM_ROUTE_CHANGED)] * 2 == observed
