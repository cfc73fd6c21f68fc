"""The v1 side of the stress scenario: V1Shim clients on their own threads (IP and IPX, multi- and single-route,
with and without a ChangeEvent), listeners that only hear, and the reads every check uses.

Each client guards its state with its own lock, held across each of its v1 calls, and its ChangeEvent takes that
lock too (the usual C pattern: one critical section in the calls and in whatever the event wakes). What a client
knows for certain is checked on the spot: nobody but itself removes its routes before they expire (V1-A30, V1-4.2,
V1-4.12), so its routes without a time-to-live are always found; enumerations never return a route twice (V1-4.10)
and walks go strictly forward (V1-4.14).
"""

from __future__ import annotations

import copy
import random
import threading
from collections import Counter
from typing import Any, NamedTuple

from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_MORE_MESSAGES,
    ERROR_NO_MESSAGES,
    ERROR_NO_MORE_ROUTES,
    ERROR_NO_ROUTES,
    ERROR_NO_SUCH_ROUTE,
    INFINITE,
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    NO_ERROR,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_PROTOCOL_SINGLE_ROUTE,
    V1Client,
    ip_address,
    ip_network,
)

from .ledger import Ledger, Net, Sig, network_of, significant
from .world import IP_NETWORKS, IP_PAIRS, IPX_NETWORKS, World

IP = RTM_PROTOCOL_FAMILY_IP
IPX = RTM_PROTOCOL_FAMILY_IPX
V1Route = RTM_IP_ROUTE | RTM_IPX_ROUTE

#: A host address inside each IP network of the universe (for RtmLookupIPDestination).
IP_HOSTS = [ip_address(text.rsplit(".", 1)[0] + ".9") for text in (n.split("/")[0] for n in IP_NETWORKS)]
#: Next hops of v1 routes: three IP addresses, three MACs.
IP_HOPS = [ip_address(f"192.0.2.{k}") for k in (1, 2, 3)]
MACS = [bytes.fromhex(f"00000c00000{k}") for k in (1, 2, 3)]
#: How many steps any walk may take: far more than the table ever holds, so only a loop reaches it.
WALK_LIMIT = 2000

_ANY_MESSAGE = (NO_ERROR, ERROR_MORE_MESSAGES, ERROR_NO_MESSAGES)


def big_endian(dword: int) -> int:
    """An IP DWORD (network order in little-endian memory, V1-A1) as the number a person reads."""
    return int.from_bytes(dword.to_bytes(4, "little"), "big")


def canonical(route: V1Route) -> tuple[Any, ...]:
    """The route's place in the canonical v1 order (M-CANONICAL-ORDER), which is also its identity."""
    if type(route) is RTM_IP_ROUTE:
        net, hop = route.RR_Network, route.RR_NextHopAddress
        return (
            big_endian(net.N_NetNumber),
            big_endian(net.N_NetMask),
            route.RR_RoutingProtocol,
            route.RR_InterfaceID,
            big_endian(hop.N_NetNumber),
            big_endian(hop.N_NetMask),
        )
    assert type(route) is RTM_IPX_ROUTE, route
    return (
        route.RR_Network.N_NetNumber,
        route.RR_RoutingProtocol,
        route.RR_InterfaceID,
        bytes(route.RR_NextHopAddress.NHA_Mac),
    )


def make_route(family: int, net: int, ifindex: int, hop: int, metric: int, extra: int, psd: int) -> V1Route:
    """A route of network ``net`` (an index into the family's networks) as a caller fills it in. ``extra`` goes
    into a field v1 calls significant but that does not rank (IP FSD_Metric1, V1-5.2; IPX hops rank after ticks)."""
    data = PROTOCOL_SPECIFIC_DATA([psd, 0, 0, 0])
    if family == IP:
        number, mask = IP_PAIRS[net]
        return RTM_IP_ROUTE(
            RR_InterfaceID=ifindex,
            RR_ProtocolSpecificData=data,
            RR_Network=IP_NETWORK(number, mask),
            RR_NextHopAddress=IP_NETWORK(IP_HOPS[hop], 0xFFFFFFFF),
            RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric, FSD_Metric1=extra),
        )
    return RTM_IPX_ROUTE(
        RR_InterfaceID=ifindex,
        RR_ProtocolSpecificData=data,
        RR_Network=IPX_NETWORK(IPX_NETWORKS[net]),
        RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(MACS[hop]),
        RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_TickCount=metric, FSD_HopCount=1 + extra),
    )


def sentinel_route(network: str, ifindex: int) -> RTM_IP_ROUTE:
    """A route of the v1 sentinel, on a network nobody else uses."""
    return RTM_IP_ROUTE(
        RR_InterfaceID=ifindex,
        RR_Network=ip_network(network),
        RR_NextHopAddress=IP_NETWORK(IP_HOPS[0], 0xFFFFFFFF),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=7),
    )


def best_routes(world: World, family: int) -> dict[Net, Sig]:
    """The family's best route per network, read through the v1 API (RtmGetFirstRoute / RtmGetNextRoute with
    RTM_ONLY_BEST_ROUTES, V1-4.13); at a quiescent point there is one per network and the count agrees
    (RtmGetNetworkCount, V1-4.7)."""
    shim = world.shim
    table: dict[Net, Sig] = {}
    status, route = shim.RtmGetFirstRoute(family, RTM_ONLY_BEST_ROUTES, None)
    for _ in range(WALK_LIMIT):
        if status != NO_ERROR:
            break
        assert route is not None
        net = network_of(route)
        if net in table:
            world.failures.add(f"best routes of family {family}: two for {net}: {table[net]} and {route}")
        table[net] = significant(route)
        status, route = shim.RtmGetNextRoute(family, RTM_ONLY_BEST_ROUTES, route)
    world.expect("quiescent read", f"RtmGetNextRoute(family {family})", status, (ERROR_NO_ROUTES,))
    count = shim.RtmGetNetworkCount(family)
    if (NO_ERROR, len(table)) != (count.status, count.NetworkCount):
        world.failures.add(f"family {family}: {len(table)} networks with a best route, RtmGetNetworkCount {count}")
    return table


class LockedEvent(threading.Event):
    """A ChangeEvent whose set() takes its client's own lock (M-EVENT-SIGNAL: never called under the shim's lock,
    so this cannot deadlock)."""

    def __init__(self, lock: threading.RLock) -> None:
        super().__init__()
        self.lock = lock

    def set(self) -> None:
        with self.lock:
            super().set()


class FaultyEvent:
    """A ChangeEvent (not a threading.Event) that takes its client's lock and raises from every third set(),
    after setting itself (M-EVENT-FAULTS: contained, recorded, no message lost). Each raise is counted."""

    def __init__(self, lock: threading.RLock, world: World) -> None:
        self.lock = lock
        self.world = world
        self.flag = threading.Event()
        self.sets = 0

    def set(self) -> None:
        with self.lock:
            self.flag.set()
            self.sets += 1
            if self.sets % 3 == 0:
                self.world.inject("v1 event")
                raise RuntimeError("stress: injected ChangeEvent.set() fault")

    def clear(self) -> None:
        self.flag.clear()

    def wait(self, timeout: float) -> bool:
        return self.flag.wait(timeout)


class Held(NamedTuple):
    """A route a client added and has not deleted: the structure it passed and whether it may expire."""

    route: V1Route
    lasting: bool


class V1Actor:
    """A v1 client: its handle, its own lock, its event and what it heard (a Ledger, when it has an event)."""

    def __init__(self, world: World, name: str, family: int, protocol: int, event: str | None, single: bool) -> None:
        self.world = world
        self.name = name
        self.family = family
        self.protocol = protocol
        self.event_kind = event
        self.single = single
        self.lock = threading.RLock()
        self.event: Any = None
        self.client: V1Client | None = None
        self.ledger: Ledger | None = None
        self.ops: Counter[str] = Counter()
        #: Messages heard and networks checked by the ledgers of earlier registrations.
        self.earlier_messages = 0
        self.earlier_checked = 0

    def register(self, base: dict[Net, Sig] | None) -> None:
        """RtmRegisterClient, with a fresh event; ``base`` is the table now when known (else None)."""
        with self.lock:
            if self.event_kind == "locked":
                self.event = LockedEvent(self.lock)
            elif self.event_kind == "plain":
                self.event = threading.Event()
            elif self.event_kind == "faulty":
                self.event = FaultyEvent(self.lock, self.world)
            flags = RTM_PROTOCOL_SINGLE_ROUTE if self.single else 0
            status, client = self.world.shim.RtmRegisterClient(self.family, self.protocol, self.event, flags)
            if self.world.expect(self.name, "RtmRegisterClient", status, (NO_ERROR,)):
                self.client = client
                if self.ledger is not None:
                    self.earlier_messages += self.ledger.messages
                    self.earlier_checked += self.ledger.networks_checked
                self.ledger = Ledger(self.name, base) if self.event is not None else None

    @property
    def messages(self) -> tuple[int, int]:
        """Messages heard and networks checked, over every registration of this client."""
        ledger = self.ledger
        now = (ledger.messages, ledger.networks_checked) if ledger is not None else (0, 0)
        return self.earlier_messages + now[0], self.earlier_checked + now[1]

    def drain(self) -> None:
        """Dequeue every message into the ledger (holding the client's own lock, as its event handler would)."""
        with self.lock:
            if self.client is None or self.ledger is None:
                return
            for _ in range(100_000):
                status, flags, cur, prev = self.world.shim.RtmDequeueRouteChangeMessage(self.client)
                if not self.world.expect(self.name, "RtmDequeueRouteChangeMessage", status, _ANY_MESSAGE):
                    return
                if status == ERROR_NO_MESSAGES:
                    return
                assert flags is not None
                self.ledger.heard(flags, cur, prev)
                if status == NO_ERROR:
                    return
            self.world.failures.add(f"{self.name}: RtmDequeueRouteChangeMessage never ran dry")

    def check_heard(self, table: dict[Net, Sig]) -> None:
        """At a quiescent point: drain, replay what was heard against the table's best routes, start again."""
        with self.lock:
            if self.ledger is None or self.client is None:
                return
            self.drain()
            self.world.failures.extend(self.ledger.check(table))
            self.ledger.rebase(table)

    def deregister(self) -> V1Client | None:
        """Drain (what was heard must still form one consistent history), then RtmDeregisterClient; the old handle
        is returned and kept for the prober (V1-A30: never valid again)."""
        with self.lock:
            if self.client is None:
                return None
            if self.ledger is not None:
                self.drain()
                self.world.failures.extend(self.ledger.check(None))
            old, self.client = self.client, None
            status = self.world.shim.RtmDeregisterClient(old).status
            self.world.expect(self.name, "RtmDeregisterClient", status, (NO_ERROR,))
            with self.world.lock:
                self.world.stale_clients.append(old)
            self.ops["deregister"] += 1
            return old


class V1Listener(V1Actor):
    """A client with an event that only listens, on its own thread: every change reaches it as a message (V1-5.3).
    As the v1 sentinel it also holds a few routes nobody else may touch."""

    def __init__(self, world: World, name: str, family: int, protocol: int) -> None:
        super().__init__(world, name, family, protocol, "locked", False)
        self.stop = threading.Event()
        self.routes: list[RTM_IP_ROUTE] = []

    def hold(self, routes: list[RTM_IP_ROUTE]) -> None:
        """Add the sentinel's routes (before the run, so they are part of every ledger's base)."""
        with self.lock:
            assert self.client is not None
            for route in routes:
                status = self.world.shim.RtmAddRoute(self.client, route, INFINITE).status
                self.world.expect(self.name, "RtmAddRoute", status, (NO_ERROR,))
            self.routes = list(routes)

    def run(self) -> None:
        """Wait for the event (bounded), drain; until stopped."""
        while not self.stop.is_set() and not self.world.failures.seen.is_set():
            if self.event.wait(0.02):
                self.drain()
                self.ops["drain"] += 1

    def intact(self) -> None:
        """The sentinel's routes are all still there (nobody acted as it, V1-A30)."""
        for held in self.routes:
            route = copy.deepcopy(held)
            route.RR_RoutingProtocol = self.protocol
            status, found = self.world.shim.RtmGetSpecificRoute(IP, route)
            if status != NO_ERROR or found is None or found.RR_RoutingProtocol != self.protocol:
                self.world.failures.add(f"{self.name}: its route {route} is gone or changed: {status} {found}")


class V1Worker(V1Actor):
    """A v1 client that adds, updates, deletes, block-deletes, dequeues, enumerates, looks up, lets routes age and
    deregisters and registers again, all on its own thread with deterministic choices (its own seed)."""

    def __init__(
        self, world: World, name: str, family: int, protocol: int, event: str | None, single: bool, seed: int
    ) -> None:
        super().__init__(world, name, family, protocol, event, single)
        self.rng = random.Random(seed)
        self.networks = len(IP_PAIRS) if family == IP else len(IPX_NETWORKS)
        #: The client's routes by identity (V1-A20: the network alone for a single-route client).
        self.routes: dict[tuple[int, ...], Held] = {}
        ops = [
            ("add", 30, self.add),
            ("update", 10, self.update),
            ("delete", 14, self.delete),
            ("lookup", 10, self.lookup),
            ("specific", 6, self.specific),
            ("enumerate", 5, self.enumerate),
            ("walk", 4, self.walk),
            ("block delete", 3, self.block_delete),
            ("reregister", 1, self.reregister),
        ]
        if event is not None:
            ops.append(("dequeue", 10, self.dequeue))
        self._names = [name for name, _, _ in ops]
        self._weights = [weight for _, weight, _ in ops]
        self._calls = {name: call for name, _, call in ops}

    def step(self) -> None:
        """One operation, chosen by the worker's own random sequence."""
        name = self.rng.choices(self._names, self._weights)[0]
        self._calls[name]()
        self.ops[name] += 1

    # --- changes ------------------------------------------------------------------------------------------------

    def _key(self, net: int, ifindex: int, hop: int) -> tuple[int, ...]:
        return (net,) if self.single else (net, ifindex, hop)

    def _add(self, net: int, ifindex: int, hop: int) -> None:
        rng = self.rng
        ttl = rng.choices([INFINITE, 0, 1], [80, 18, 2])[0]
        route = make_route(self.family, net, ifindex, hop, rng.randint(1, 15), rng.randint(0, 2), rng.randrange(99))
        with self.lock:
            if self.client is None:
                return
            key = network_of(route)
            lower = self.ledger.mark(key) if self.ledger is not None else 0
            status, flags, cur, prev = self.world.shim.RtmAddRoute(self.client, route, ttl)
            if self.world.expect(self.name, "RtmAddRoute", status, (NO_ERROR,)):
                assert flags is not None
                if self.ledger is not None:
                    self.ledger.added(key, lower, flags, cur, prev)
                self.routes[self._key(net, ifindex, hop)] = Held(route, ttl == INFINITE)

    def add(self) -> None:
        """RtmAddRoute of any route of this protocol: INFINITE, or a time-to-live of 0 or 1 s (V1-A12)."""
        rng = self.rng
        self._add(rng.randrange(self.networks), rng.randint(1, 3), rng.randrange(3))

    def update(self) -> None:
        """RtmAddRoute of a route the client already has, with new metrics (V1-4.4: an update)."""
        if not self.routes:
            return self.add()
        held = self.rng.choice(list(self.routes.values())).route
        net, ifindex, hop = self._indexes(held)
        self._add(net, ifindex, hop)
        return None

    def _indexes(self, route: V1Route) -> tuple[int, int, int]:
        if type(route) is RTM_IP_ROUTE:
            net = IP_PAIRS.index((route.RR_Network.N_NetNumber, route.RR_Network.N_NetMask))
            hop = IP_HOPS.index(route.RR_NextHopAddress.N_NetNumber)
        else:
            assert type(route) is RTM_IPX_ROUTE
            net = IPX_NETWORKS.index(route.RR_Network.N_NetNumber)
            hop = MACS.index(bytes(route.RR_NextHopAddress.NHA_Mac))
        return net, route.RR_InterfaceID, hop

    def delete(self) -> None:
        """RtmDeleteRoute of one of the client's routes (always found unless it may have expired), or of a route
        it never added (ERROR_NO_SUCH_ROUTE, V1-4.5)."""
        rng = self.rng
        with self.lock:
            if self.client is None:
                return
            if self.routes and rng.random() < 0.8:
                key, held = rng.choice(list(self.routes.items()))
                route = held.route
                allowed = (NO_ERROR,) if held.lasting else (NO_ERROR, ERROR_NO_SUCH_ROUTE)
            else:
                net, ifindex, hop = rng.randrange(self.networks), rng.randint(1, 3), rng.randrange(3)
                key = self._key(net, ifindex, hop)
                route = make_route(self.family, net, ifindex, hop, 1, 0, 0)
                held_now = self.routes.get(key)
                if held_now is None:
                    allowed = (ERROR_NO_SUCH_ROUTE,)
                else:
                    allowed = (NO_ERROR,) if held_now.lasting else (NO_ERROR, ERROR_NO_SUCH_ROUTE)
            net_key = network_of(route)
            lower = self.ledger.mark(net_key) if self.ledger is not None else 0
            status, flags, cur = self.world.shim.RtmDeleteRoute(self.client, route)
            if self.world.expect(self.name, f"RtmDeleteRoute({key})", status, allowed) and status == NO_ERROR:
                assert flags is not None
                if self.ledger is not None:
                    self.ledger.deleted(net_key, lower, flags, cur)
            self.routes.pop(key, None)

    def block_delete(self) -> None:
        """RtmBlockDeleteRoutes of the client's routes on one interface or one network (V1-4.12); every client
        with an event hears of it, the caller included."""
        rng = self.rng
        with self.lock:
            if self.client is None:
                return
            ifindex, net = rng.randint(1, 3), rng.randrange(self.networks)
            criteria = make_route(self.family, net, ifindex, 0, 1, 0, 0)
            if rng.random() < 0.5:
                flags = RTM_ONLY_THIS_INTERFACE
                matched = [k for k, h in self.routes.items() if h.route.RR_InterfaceID == ifindex]
            else:
                flags = RTM_ONLY_THIS_NETWORK
                matched = [k for k, h in self.routes.items() if network_of(h.route) == network_of(criteria)]
            if any(self.routes[k].lasting for k in matched):
                allowed: tuple[int, ...] = (NO_ERROR,)
            else:
                allowed = (NO_ERROR, ERROR_NO_ROUTES) if matched else (ERROR_NO_ROUTES,)
            status = self.world.shim.RtmBlockDeleteRoutes(self.client, flags, criteria).status
            self.world.expect(self.name, "RtmBlockDeleteRoutes", status, allowed)
            for key in matched:
                del self.routes[key]

    def dequeue(self) -> None:
        """Drain the queue (V1-4.3)."""
        self.drain()

    def reregister(self) -> None:
        """RtmDeregisterClient (its routes go, the others hear of it, V1-4.2), then register again: the protocol
        is free again (V1-A29) and the new handle is a new one (V1-A30)."""
        with self.lock:
            stale = self.deregister()
            self.routes.clear()
            self.register(None)
            if stale is None:
                return
            status = self.world.shim.RtmDequeueRouteChangeMessage(stale).status
            self.world.expect(self.name, "RtmDequeueRouteChangeMessage(old handle)", status, (ERROR_INVALID_HANDLE,))

    # --- reads --------------------------------------------------------------------------------------------------

    def lookup(self) -> None:
        """RtmIsRoute, RtmGetNetworkCount and (IP) RtmLookupIPDestination: a network where the client holds a
        lasting route always has one."""
        rng = self.rng
        shim = self.world.shim
        net = rng.randrange(self.networks)
        probe = make_route(self.family, net, 1, 0, 1, 0, 0)
        with self.lock:
            lasting = [h.route for h in self.routes.values() if h.lasting]
            status, is_route, best = shim.RtmIsRoute(self.family, probe.RR_Network)
            self.world.expect(self.name, "RtmIsRoute", status, (NO_ERROR,))
            if any(network_of(r) == network_of(probe) for r in lasting) and not is_route:
                self.world.failures.add(f"{self.name}: RtmIsRoute({probe.RR_Network}) is FALSE over its own route")
            if is_route and (best is None or network_of(best) != network_of(probe)):
                self.world.failures.add(f"{self.name}: RtmIsRoute({probe.RR_Network}) gave {best}")
            if self.event is None and self.client is not None:
                status = shim.RtmDequeueRouteChangeMessage(self.client).status  # no event, no queue (V1-4.3)
                self.world.expect(self.name, "RtmDequeueRouteChangeMessage(no event)", status, (ERROR_INVALID_HANDLE,))
            status, count = shim.RtmGetNetworkCount(self.family)
            self.world.expect(self.name, "RtmGetNetworkCount", status, (NO_ERROR,))
            if count is None or count < len({network_of(r) for r in lasting}):
                self.world.failures.add(f"{self.name}: RtmGetNetworkCount {count} below its own networks")
            if self.family == IP:
                self._lookup_ip(net, lasting)

    def _lookup_ip(self, net: int, lasting: list[V1Route]) -> None:
        host = IP_HOSTS[net]
        status, found, route = self.world.shim.RtmLookupIPDestination(host)
        self.world.expect(self.name, "RtmLookupIPDestination", status, (NO_ERROR,))
        covering = [
            big_endian(r.RR_Network.N_NetMask).bit_count()
            for r in lasting
            if type(r) is RTM_IP_ROUTE and host & r.RR_Network.N_NetMask == r.RR_Network.N_NetNumber
        ]
        if not found:
            if covering:
                self.world.failures.add(f"{self.name}: RtmLookupIPDestination({ip_address(host)}) found nothing")
            return
        assert type(route) is RTM_IP_ROUTE
        network = route.RR_Network
        if host & network.N_NetMask != network.N_NetNumber or (
            covering and big_endian(network.N_NetMask).bit_count() < max(covering)
        ):
            self.world.failures.add(f"{self.name}: RtmLookupIPDestination({ip_address(host)}) gave {network}")

    def specific(self) -> None:
        """RtmGetSpecificRoute of one of the client's lasting routes finds one of its routes on that network and
        interface (V1-A30: nobody else can remove it), and RtmGetRouteAge of the copy works (V1-4.8)."""
        with self.lock:
            lasting = [h.route for h in self.routes.values() if h.lasting]
            if not lasting:
                return
            mine = self._stored(self.rng.choice(lasting))
            status, found = self.world.shim.RtmGetSpecificRoute(self.family, mine)
            if not self.world.expect(self.name, "RtmGetSpecificRoute(own route)", status, (NO_ERROR,)):
                return
            assert found is not None
            # The macro selects on network, protocol and interface, not the next hop (V1-4.13).
            width = 4 if self.family == IP else 3
            if canonical(mine)[:width] != canonical(found)[:width]:
                self.world.failures.add(f"{self.name}: RtmGetSpecificRoute({mine}) gave {found}")
            status, _age = self.world.shim.RtmGetRouteAge(found)
            self.world.expect(self.name, "RtmGetRouteAge", status, (NO_ERROR,))

    def enumerate(self) -> None:
        """An enumeration handle (V1-4.9 to V1-4.11): no route twice, each matching the selection; over the
        client's own protocol, every lasting route of the client is among them (its lock is held throughout)."""
        rng = self.rng
        shim = self.world.shim
        choice = rng.randrange(4)
        flags = (0, RTM_ONLY_BEST_ROUTES, RTM_ONLY_THIS_NETWORK, RTM_ONLY_THIS_PROTOCOL)[choice]
        criteria = make_route(self.family, rng.randrange(self.networks), 1, 0, 1, 0, 0)
        criteria.RR_RoutingProtocol = self.protocol
        with self.lock:
            status, handle = shim.RtmCreateEnumerationHandle(self.family, flags, criteria)
            if not self.world.expect(self.name, "RtmCreateEnumerationHandle", status, (NO_ERROR, ERROR_NO_ROUTES)):
                return
            seen: set[tuple[Any, ...]] = set()
            for _ in range(WALK_LIMIT):
                if handle is None:
                    break
                status, route = shim.RtmEnumerateGetNextRoute(handle)
                if status != NO_ERROR:
                    self.world.expect(self.name, "RtmEnumerateGetNextRoute", status, (ERROR_NO_MORE_ROUTES,))
                    break
                assert route is not None
                key = canonical(route)
                if key in seen:
                    self.world.failures.add(f"{self.name}: enumeration (flags {flags}) returned {route} twice")
                seen.add(key)
                self._check_selected(flags, criteria, route)
            if handle is not None:
                status = shim.RtmCloseEnumerationHandle(handle).status
                self.world.expect(self.name, "RtmCloseEnumerationHandle", status, (NO_ERROR,))
                status = shim.RtmEnumerateGetNextRoute(handle).status
                self.world.expect(self.name, "RtmEnumerateGetNextRoute(closed)", status, (ERROR_INVALID_HANDLE,))
            if flags == RTM_ONLY_THIS_PROTOCOL and self.client is not None:
                mine = {canonical(self._stored(h.route)) for h in self.routes.values() if h.lasting}
                if not mine <= seen:
                    self.world.failures.add(f"{self.name}: own enumeration misses {sorted(mine - seen)}")

    def _stored(self, route: V1Route) -> V1Route:
        """``route``'s identity as the table holds it: with this client's protocol (V1-A33)."""
        copy = make_route(self.family, *self._indexes(route), 1, 0, 0)
        copy.RR_RoutingProtocol = self.protocol
        return copy

    def _check_selected(self, flags: int, criteria: V1Route, route: V1Route) -> None:
        if flags == RTM_ONLY_THIS_NETWORK and network_of(route) != network_of(criteria):
            self.world.failures.add(f"{self.name}: RTM_ONLY_THIS_NETWORK enumeration returned {route}")
        if flags == RTM_ONLY_THIS_PROTOCOL and route.RR_RoutingProtocol != self.protocol:
            self.world.failures.add(f"{self.name}: RTM_ONLY_THIS_PROTOCOL enumeration returned {route}")

    def walk(self) -> None:
        """RtmGetFirstRoute then RtmGetNextRoute to the end: strictly forward in canonical order (V1-4.14)."""
        shim = self.world.shim
        flags = self.rng.choice((0, RTM_ONLY_BEST_ROUTES))
        status, route = shim.RtmGetFirstRoute(self.family, flags, None)
        last: tuple[Any, ...] | None = None
        for _ in range(WALK_LIMIT):
            if status != NO_ERROR:
                self.world.expect(self.name, "RtmGetFirstRoute/RtmGetNextRoute", status, (ERROR_NO_ROUTES,))
                return
            assert route is not None
            key = canonical(route)
            if last is not None and key <= last:
                self.world.failures.add(f"{self.name}: RtmGetNextRoute went from {last} back to {key}")
            last = key
            status, route = shim.RtmGetNextRoute(self.family, flags, route)
        self.world.failures.add(f"{self.name}: RtmGetNextRoute did not reach the end in {WALK_LIMIT} steps")

    # --- quiescent points and the end ---------------------------------------------------------------------------

    def check_routes(self) -> None:
        """At a quiescent point (every deadline passed): the table holds exactly this client's lasting routes
        under its protocol; the others have expired (V1-5.5) and are forgotten."""
        with self.lock:
            self.routes = {k: h for k, h in self.routes.items() if h.lasting}
            if self.client is None:
                return
            shim = self.world.shim
            criteria = make_route(self.family, 0, 1, 0, 1, 0, 0)
            criteria.RR_RoutingProtocol = self.protocol
            status, handle = shim.RtmCreateEnumerationHandle(self.family, RTM_ONLY_THIS_PROTOCOL, criteria)
            found: set[tuple[Any, ...]] = set()
            while status == NO_ERROR and handle is not None and len(found) < WALK_LIMIT:
                status, route = shim.RtmEnumerateGetNextRoute(handle)
                if status == NO_ERROR:
                    assert route is not None
                    found.add(canonical(route))
            if handle is not None:
                shim.RtmCloseEnumerationHandle(handle)
            expected = {canonical(self._stored(h.route)) for h in self.routes.values()}
            got = found
            if expected != got:
                self.world.failures.add(
                    f"{self.name}: table holds {sorted(got)} for its protocol, it added {sorted(expected)}"
                )

    def leave(self) -> None:
        """The end of the run: deregister."""
        self.deregister()
        self.routes.clear()
