"""Random v1 call sequences against an oracle written from V1-5.1 to V1-5.5 (Hypothesis).

The oracle keeps the routes per network, picks the best by (FSD_Priority, FSD_Metric) with the incumbent kept
on ties (V1-A4), classifies each change as ADDED / DELETED / CHANGED / NO_CHANGE (5.2) and queues the message
to the clients 5.3 names: for Add/Delete every client with an event except the caller; for BlockDelete every
client with an event; for deregistration every remaining one; for aging every client with an event, the owner
included, routes going in (deadline, canonical) order (5.5, A14). When the incumbent leaves and several routes
tie, the successor is the earliest created one: the tie rule MIGRATION.md documents for the shim ("What the shim
cannot carry over: Ties").
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import v2model
from rtmcompat import (
    ERROR_NO_ROUTES,
    ERROR_NO_SUCH_ROUTE,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CURRENT_BEST_ROUTE,
    RTM_IP_ROUTE,
    RTM_NO_CHANGE,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_SINGLE_ROUTE,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Client,
    V1Shim,
)
from tests.rtmcompat.support import Message, drain, dump, filetime
from tests.strategies import V1Step, v1_steps

PROTOCOLS = (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP)
Change = tuple[int, Any, Any]


@attrs.define
class _Entry:
    route: RTM_IP_ROUTE
    seq: int
    #: clock ms when the TimeToLive runs out (None: INFINITE)
    deadline: int | None = None


def canonical(route: RTM_IP_ROUTE) -> tuple[int, ...]:
    """The canonical v1 order (M-CANONICAL-ORDER): network and mask big-endian, protocol, interface, next hop and its
    mask."""

    def be(value: int) -> int:
        return int.from_bytes(value.to_bytes(4, "little"), "big")

    net, nh = route.RR_Network, route.RR_NextHopAddress
    return (
        be(net.N_NetNumber),
        be(net.N_NetMask),
        route.RR_RoutingProtocol,
        route.RR_InterfaceID,
        be(nh.N_NetNumber),
        be(nh.N_NetMask),
    )


class Oracle:
    """The v1 IP table as V1-5.1 to V1-5.5 describes it."""

    def __init__(self, priority: dict[int, int], single: frozenset[int] = frozenset()) -> None:
        self.priority = priority
        #: protocols registered with RTM_PROTOCOL_SINGLE_ROUTE: one route per network (V1-A20)
        self.single = single
        #: network -> identity -> entry
        self.nets: dict[tuple[int, int], dict[tuple[Any, ...], _Entry]] = {}
        self.best: dict[tuple[int, int], tuple[Any, ...]] = {}
        self.seq = 0

    def identity(self, route: RTM_IP_ROUTE) -> tuple[Any, ...]:
        if route.RR_RoutingProtocol in self.single:
            return (route.RR_RoutingProtocol,)
        nh = route.RR_NextHopAddress
        return route.RR_RoutingProtocol, route.RR_InterfaceID, nh.N_NetNumber, nh.N_NetMask

    @staticmethod
    def network(route: RTM_IP_ROUTE) -> tuple[int, int]:
        return route.RR_Network.N_NetNumber, route.RR_Network.N_NetMask

    @staticmethod
    def cost(route: RTM_IP_ROUTE) -> tuple[int, int]:
        fsd = route.RR_FamilySpecificData
        return fsd.FSD_Priority, fsd.FSD_Metric

    @staticmethod
    def significant(route: RTM_IP_ROUTE) -> tuple[Any, ...]:
        return (
            route.RR_RoutingProtocol,
            route.RR_InterfaceID,
            attrs.astuple(route.RR_NextHopAddress),
            attrs.astuple(route.RR_FamilySpecificData),
        )

    def best_route(self, net: tuple[int, int]) -> RTM_IP_ROUTE | None:
        key = self.best.get(net)
        return None if key is None else copy.deepcopy(self.nets[net][key].route)

    def _rerank(self, net: tuple[int, int]) -> None:
        entries = self.nets.get(net, {})
        if not entries:
            self.nets.pop(net, None)
            self.best.pop(net, None)
            return
        low = min(self.cost(e.route) for e in entries.values())
        incumbent = self.best.get(net)
        if incumbent in entries and self.cost(entries[incumbent].route) == low:
            return  # V1-A4: ties keep the incumbent
        tied = [(e.seq, key) for key, e in entries.items() if self.cost(e.route) == low]
        self.best[net] = min(tied)[1]

    def change(self, net: tuple[int, int], mutate: Any) -> Change:
        """Apply ``mutate`` to the network and classify the change (V1-5.2): (flags, cur, prev)."""
        before = self.best_route(net)
        mutate(self.nets.setdefault(net, {}))
        self._rerank(net)
        after = self.best_route(net)
        if before is None and after is None:
            return RTM_NO_CHANGE, None, None
        if before is None:
            return RTM_ROUTE_ADDED, after, None
        if after is None:
            return RTM_ROUTE_DELETED, None, before
        if self.significant(before) != self.significant(after):
            return RTM_ROUTE_CHANGED, after, before
        return RTM_NO_CHANGE, None, None

    def add(self, protocol: int, route: RTM_IP_ROUTE, now_ms: int, ttl: int = INFINITE) -> Change:
        deadline = None if ttl == INFINITE else now_ms + ttl * 1000  # V1-A13: every add restarts the TTL
        stored = copy.deepcopy(route)
        stored.RR_RoutingProtocol = protocol  # V1-A33
        stored.RR_TimeStamp = filetime(now_ms)
        stored.RR_FamilySpecificData.FSD_Priority = self.priority.get(protocol, 0)  # V1-A3
        key = self.identity(stored)

        def mutate(entries: dict[tuple[Any, ...], _Entry]) -> None:
            old = entries.get(key)
            if old is None:
                self.seq += 1
                entries[key] = _Entry(stored, self.seq, deadline)
            else:
                old.route, old.deadline = stored, deadline

        return self.change(self.network(stored), mutate)

    def delete(self, protocol: int, route: RTM_IP_ROUTE) -> Change | None:
        probe = copy.deepcopy(route)
        probe.RR_RoutingProtocol = protocol
        key, net = self.identity(probe), self.network(probe)
        if key not in self.nets.get(net, {}):
            return None

        def mutate(entries: dict[tuple[Any, ...], _Entry]) -> None:
            del entries[key]

        return self.change(net, mutate)

    def expire(self, now_ms: int) -> list[Change]:
        """Age out every route due at ``now_ms``, in (deadline, canonical) order, one at a time (V1-5.5, V1-A14,
        V1-A15)."""
        due = sorted(
            (e.deadline, canonical(e.route), e.route)
            for entries in self.nets.values()
            for e in entries.values()
            if e.deadline is not None and e.deadline <= now_ms
        )
        changes = []
        for _deadline, _key, route in due:
            change = self.delete(route.RR_RoutingProtocol, route)
            assert change is not None
            changes.append(change)
        return changes

    def routes_of(self, protocol: int) -> list[RTM_IP_ROUTE]:
        """The routes of one protocol in canonical order."""
        return [r for r in self.table() if r.RR_RoutingProtocol == protocol]

    def table(self) -> list[RTM_IP_ROUTE]:
        """Every route in the canonical order (M-CANONICAL-ORDER)."""
        routes = [e.route for entries in self.nets.values() for e in entries.values()]
        return sorted(routes, key=canonical)


Scenario = tuple[list[bool], dict[int, int], list[V1Step], frozenset[int]]


@st.composite
def scenarios(
    draw: st.DrawFn, kinds: tuple[str, ...], ttls: tuple[int, ...] = (INFINITE,), single: bool = False
) -> Scenario:
    clients = draw(st.integers(2, 3))
    events = [True, True, draw(st.booleans())][:clients]
    priority = {p: draw(st.sampled_from((0, 1))) for p in PROTOCOLS}
    steps = draw(st.lists(v1_steps(clients, kinds=kinds, ttls=ttls), max_size=25))
    singles = frozenset(p for p in PROTOCOLS[:clients] if single and draw(st.booleans()))
    return events, priority, steps, singles


def _matches(route: RTM_IP_ROUTE, flags: int, criteria: RTM_IP_ROUTE) -> bool:
    if flags & RTM_ONLY_THIS_NETWORK and route.RR_Network != criteria.RR_Network:
        return False
    return not (flags & RTM_ONLY_THIS_INTERFACE and route.RR_InterfaceID != criteria.RR_InterfaceID)


def run(scenario: Scenario) -> None:
    """Play a scenario on a fresh shim and check every step against the oracle."""
    events, priority, steps, singles = scenario
    clock = v2model.ManualClock()
    with v2model.RoutingTableManager(clock=clock) as rtm:
        shim = V1Shim(rtm, protocol_priority=priority)
        oracle = Oracle(priority, singles)
        clients: list[tuple[V1Client, threading.Event | None]] = []

        def register(protocol: int, has_event: bool) -> tuple[V1Client, threading.Event | None]:
            ev = threading.Event() if has_event else None
            flags = RTM_PROTOCOL_SINGLE_ROUTE if protocol in singles else 0
            status, client = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, protocol, ev, flags)
            assert status == NO_ERROR
            assert client is not None
            return client, ev

        for protocol, has_event in zip(PROTOCOLS, events, strict=False):
            clients.append(register(protocol, has_event))

        for step in steps:
            clock.advance(step.elapse_ms)
            client, _ = clients[step.client]
            protocol = PROTOCOLS[step.client]
            # (message, the clients it is queued to) in the order they are queued
            told: list[tuple[Message, list[V1Client]]] = []

            def tell(
                change: Change,
                exclude: V1Client | None,
                told: list[tuple[Message, list[V1Client]]] = told,
            ) -> None:
                if change[0]:
                    to = [c for c, ev in clients if ev is not None and c is not exclude]
                    told.append((Message(*change), to))

            for aged in oracle.expire(clock.now_ms()):  # every call first ages what is due (M-SHIM-AGING)
                tell(aged, None)

            if step.kind == "add":
                expected = oracle.add(protocol, step.route, clock.now_ms(), step.ttl)
                result = shim.RtmAddRoute(client, step.route, step.ttl)
                assert (NO_ERROR, *expected) == tuple(result)
                assert bool(expected[0] & RTM_CURRENT_BEST_ROUTE) == (expected[1] is not None)
                assert bool(expected[0] & RTM_PREVIOUS_BEST_ROUTE) == (expected[2] is not None)
                tell(expected, client)
            elif step.kind == "delete":
                outcome = oracle.delete(protocol, step.route)
                deleted = shim.RtmDeleteRoute(client, step.route)
                if outcome is None:
                    assert (ERROR_NO_SUCH_ROUTE, None, None) == tuple(deleted)
                else:
                    assert (NO_ERROR, outcome[0], outcome[1]) == tuple(deleted)
                    tell(outcome, client)
            elif step.kind == "block":
                chosen = [r for r in oracle.routes_of(protocol) if _matches(r, step.flags, step.route)]
                status = shim.RtmBlockDeleteRoutes(client, step.flags, step.route).status
                assert (NO_ERROR if chosen else ERROR_NO_ROUTES) == status
                for route in chosen:  # V1-A15: one at a time, canonical order, the caller told too
                    removed = oracle.delete(protocol, route)
                    assert removed is not None
                    tell(removed, None)
            else:  # "rereg"
                for route in oracle.routes_of(protocol):  # V1-4.2, A15: the remaining clients are told
                    removed = oracle.delete(protocol, route)
                    assert removed is not None
                    tell(removed, client)
                assert NO_ERROR == shim.RtmDeregisterClient(client).status
                clients[step.client] = register(protocol, clients[step.client][1] is not None)

            queued = len(told)
            # A TTL of 0 set by this step expires at the next call: the first dequeue below (M-TIME).
            for aged in oracle.expire(clock.now_ms()):
                tell(aged, None)

            for other, ev in clients:  # every event first: the first dequeue below may age routes
                if ev is not None:
                    assert any(other in to for _m, to in told[:queued]) == ev.is_set()
            for other, ev in clients:
                if ev is not None:
                    assert [m for m, to in told if other in to] == drain(shim, other)
                    assert not ev.is_set()
            assert oracle.table() == dump(shim)
        shim.close()


class TestRandomSequences:
    """RtmAddRoute / RtmDeleteRoute / RtmBlockDeleteRoutes / RtmDeregisterClient / RtmDequeueRouteChangeMessage
    on random call sequences of two or three clients."""

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios(("add", "add", "delete")))
    def test_add_delete_match_the_oracle(self, scenario):
        """After every add or delete, the caller's Flags/Cur/Prev, every client's queue (FIFO, the caller
        excluded, only clients with an event), every event and the whole table match the oracle (
        V1-5.1 to V1-5.3, V1-4.3, V1-4.4, V1-4.5, V1-A3, V1-A4, V1-A16, V1-A18, V1-A19, V1-A33)."""
        run(scenario)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios(("add", "add", "add", "delete", "block", "rereg")))
    def test_block_delete_and_deregistration_match_the_oracle(self, scenario):
        """Multi-route operations go route by route in canonical order with a message after each step:
        RtmBlockDeleteRoutes tells every client with an event including the caller, RtmDeregisterClient the
        remaining ones; a client registered again starts with an empty queue (V1-4.1, V1-4.2, V1-4.12, V1-5.3,
        V1-A15)."""
        run(scenario)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios(("add", "add", "add", "delete", "block"), ttls=(INFINITE, INFINITE, 0, 1, 2, 3)))
    def test_aging_matches_the_oracle(self, scenario):
        """With TimeToLive 0-3 s and the clock moving, routes age out at the first call at or after their
        deadline, in (deadline, canonical) order, one at a time, telling every client with an event, the owner
        included; every add restarts the TTL (V1-5.3, V1-5.5, V1-A12 to V1-A15; M-TIME)."""
        run(scenario)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios(("add", "add", "add", "delete", "block", "rereg"), ttls=(INFINITE, INFINITE, 2), single=True))
    def test_single_route_clients_match_the_oracle(self, scenario):
        """Clients registered with RTM_PROTOCOL_SINGLE_ROUTE keep one route per network: an add with another
        interface or next hop replaces it, a delete matches the network only (V1-1.3, V1-A20)."""
        run(scenario)
