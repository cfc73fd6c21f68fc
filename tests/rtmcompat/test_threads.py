"""V1Shim under threads with the system clock (M-SHIM-THREADS, M-EVENT-SIGNAL): v1 clients and a native RTMv2
entity on their own threads, events that take their client's own lock, routes that expire on RTM's timer thread.
Nothing may deadlock, and a listening client's messages, replayed in order, must account for every change.

Waits are bounded; on a timeout the test fails with every thread's stack. Timing never decides the outcome: only
whether everything finished and whether the messages add up.
"""

from __future__ import annotations

import sys
import threading
import traceback
from typing import Any

import v2model
from rtmcompat import (
    ERROR_MORE_MESSAGES,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Shim,
)
from tests.rtmcompat.support import ip_route, v2_register
from v2model import RTM_NEXTHOP_INFO, RTM_NEXTHOP_LIST, RTM_PREF_INFO, RTM_ROUTE_INFO, RTM_VIEW_MASK_UCAST, net_address

IP = RTM_PROTOCOL_FAMILY_IP
NETWORKS = [f"10.{i}.0.0/16" for i in range(12)]
OPERATIONS = 150


class LockedEvent(threading.Event):
    """A change event whose set() takes its client's own (re-entrant) lock, as C code guards its state with one
    critical section in its RTM calls and in its callbacks alike."""

    def __init__(self, lock: threading.RLock) -> None:
        super().__init__()
        self.lock = lock

    def set(self) -> None:
        with self.lock:
            super().set()


def _significant(route: Any) -> tuple[Any, ...]:
    """What a v1 message's route is compared on (V1-5.2): not the timestamp, not the protocol data."""
    return (
        route.RR_Network.N_NetNumber,
        route.RR_Network.N_NetMask,
        route.RR_RoutingProtocol,
        route.RR_InterfaceID,
        route.RR_NextHopAddress.N_NetNumber,
        route.RR_FamilySpecificData.FSD_Metric,
    )


class Listener:
    """A client with an event and no routes, on its own thread, that replays every message onto its own view of
    the best routes and records any message that does not follow from the previous ones."""

    def __init__(self, shim: V1Shim, protocol: int) -> None:
        self.lock = threading.RLock()
        self.event = LockedEvent(self.lock)
        self.shim = shim
        status, self.client = shim.RtmRegisterClient(IP, protocol, self.event, 0)
        assert NO_ERROR == status
        self.view: dict[tuple[int, int], tuple[Any, ...]] = {}
        self.errors: list[str] = []
        self.stop = threading.Event()

    def drain(self) -> None:
        """Dequeue every message (holding the client's own lock, as its callback would), checking each."""
        with self.lock:
            while True:
                status, flags, cur, prev = self.shim.RtmDequeueRouteChangeMessage(self.client)
                if status not in (NO_ERROR, ERROR_MORE_MESSAGES):
                    return
                assert flags is not None
                self.apply(flags, cur, prev)
                if status == NO_ERROR:
                    return

    def apply(self, flags: int, cur: Any, prev: Any) -> None:
        if flags in (RTM_ROUTE_DELETED, RTM_ROUTE_CHANGED):
            key = (prev.RR_Network.N_NetNumber, prev.RR_Network.N_NetMask)
            if self.view.get(key) != _significant(prev):
                self.errors.append(f"prev {prev} does not match {self.view.get(key)}")
            del self.view[key]
        if flags in (RTM_ROUTE_ADDED, RTM_ROUTE_CHANGED):
            key = (cur.RR_Network.N_NetNumber, cur.RR_Network.N_NetMask)
            if flags == RTM_ROUTE_ADDED and key in self.view:
                self.errors.append(f"added {cur} over {self.view[key]}")
            self.view[key] = _significant(cur)

    def run(self) -> None:
        while not self.stop.is_set():
            if self.event.wait(0.01):
                self.drain()


def _worker(shim: V1Shim, protocol: int, seed: int, errors: list[str]) -> None:
    """A v1 client adding, updating and deleting routes (some with a TTL of 0, which expire at once), holding its
    own lock across each call; it deregisters at the end."""
    own = threading.RLock()
    status, client = shim.RtmRegisterClient(IP, protocol, LockedEvent(own), 0)
    assert NO_ERROR == status
    state = seed
    for _ in range(OPERATIONS):
        state = (state * 1103515245 + 12345) % 2**31
        network = NETWORKS[state % len(NETWORKS)]
        with own:
            result: tuple[Any, ...]
            if state % 5 == 0:
                result = shim.RtmDeleteRoute(client, ip_route(network))
                ok = result[0] in (NO_ERROR, 259)
            else:
                ttl = 0 if state % 7 == 0 else INFINITE
                result = shim.RtmAddRoute(client, ip_route(network, metric=1 + state % 9), ttl)
                ok = result[0] == NO_ERROR
            if state % 3 == 0:
                while shim.RtmDequeueRouteChangeMessage(client).status == ERROR_MORE_MESSAGES:
                    pass
        if not ok:
            errors.append(f"{protocol}: {result}")
    if shim.RtmDeregisterClient(client).status != NO_ERROR:
        errors.append(f"{protocol}: deregistration failed")


def _native(rtm: v2model.RoutingTableManager, errors: list[str]) -> None:
    """A native RTMv2 entity on its own thread: adds a route to a network it has none in, else deletes its route
    there; at the end it deletes what is left, its next hop, and leaves cleanly."""
    entity = v2_register(rtm, 0x000100FF)  # a vendor protocol id of the test's own
    status, hop, _ = rtm.RtmAddNextHop(
        entity, RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.200"), InterfaceIndex=9)
    )
    assert NO_ERROR == status
    assert hop is not None
    routes: dict[str, Any] = {}
    for i in range(OPERATIONS // 2):
        network = NETWORKS[(i * 5) % len(NETWORKS)]
        if network in routes:
            status = rtm.RtmDeleteRouteToDest(entity, routes.pop(network)).status
        else:
            info = RTM_ROUTE_INFO(
                Neighbour=hop,
                PrefInfo=RTM_PREF_INFO(Metric=5 + i % 4),
                BelongsToViews=RTM_VIEW_MASK_UCAST,
                NextHopsList=RTM_NEXTHOP_LIST(1, [hop]),
            )
            status, routes[network], _ = rtm.RtmAddRouteToDest(entity, None, net_address(network), info, INFINITE)
        if status != NO_ERROR:
            errors.append(f"native: {status}")
    for route in routes.values():
        rtm.RtmDeleteRouteToDest(entity, route)
    rtm.RtmDeleteNextHop(entity, hop, None)
    rtm.RtmDeregisterEntity(entity)


def _join(threads: list[threading.Thread], what: str) -> None:
    for thread in threads:
        thread.join(15)
    stuck = [t for t in threads if t.is_alive()]
    if stuck:
        stacks = "\n".join(
            f"--- {tid}\n{''.join(traceback.format_stack(frame))}" for tid, frame in sys._current_frames().items()
        )
        raise AssertionError(f"{what}: threads did not finish: {stuck}\n{stacks}")


class TestThreads:
    """Several v1 clients and a native entity at once, with the system clock."""

    def test_no_deadlock_and_every_change_heard(self):
        """Three v1 clients whose events take their own lock, two listening clients and a native entity, each on
        its own thread: all finish, and each listener's messages replayed in order end at an empty table (every
        route was deleted, expired or went with its client) without a message that does not follow from the
        previous ones."""
        with v2model.RoutingTableManager() as rtm:
            shim = V1Shim(rtm)
            listeners = [Listener(shim, PROTO_IP_BGP + 100), Listener(shim, PROTO_IP_BGP + 101)]
            errors: list[str] = []
            watching = [threading.Thread(target=listener.run, daemon=True) for listener in listeners]
            working = [
                threading.Thread(target=_worker, args=(shim, protocol, seed, errors), daemon=True)
                for seed, protocol in enumerate((PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP))
            ]
            working.append(threading.Thread(target=_native, args=(rtm, errors), daemon=True))
            for thread in watching + working:
                thread.start()
            _join(working, "clients")
            for listener in listeners:
                listener.stop.set()
            _join(watching, "listeners")
            rtm.process_timers()
            assert 0 == shim.RtmGetNetworkCount(IP).NetworkCount
            for listener in listeners:
                listener.drain()
            assert [] == errors
            assert [([], {}), ([], {})] == [(listener.errors, listener.view) for listener in listeners]
            if hasattr(rtm, "check_invariants"):
                rtm.check_invariants()
            for listener in listeners:
                assert NO_ERROR == shim.RtmDeregisterClient(listener.client).status
            shim.close()
            assert () == shim.diagnostics
            assert rtm.leak_report().empty, rtm.leak_report()
