"""A RIP-like distance-vector client: periodic updates from three neighbours, route timeouts, an interface going down.

RIP hears its neighbours every 30 seconds and adds (or refreshes) every route they advertise with a 180-second time
to live, as RIP's route timeout. A router manager (static routes) listens to the change messages and drains its
queue after each round. Then one neighbour falls silent, so its routes age out; then interface 1 goes down and
RIP removes everything learned there with RtmBlockDeleteRoutes(RTM_ONLY_THIS_INTERFACE).

Two neighbours offer 10.3.0.0/16 at the same cost behind the best route, so when the best one goes the successor
is a tie: v1 takes the first in canonical order, RTMv2 the earliest created route (RTMC-TIE).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from rtmcompat import (
    ERROR_NO_MESSAGES,
    IP_SPECIFIC_DATA,
    PROTO_IP_NT_STATIC,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_ONLY_THIS_INTERFACE,
    RTM_PROTOCOL_FAMILY_IP,
    ip_network,
)

from ._record import main

PRIORITY = {PROTO_IP_NT_STATIC: 1, PROTO_IP_RIP: 120}
TIMEOUT = 180  # seconds
ROUND = 30_000  # ms between updates

#: neighbour -> (interface, {network: metric})
NEIGHBOURS = {
    "192.0.2.1": (1, {"10.1.0.0/16": 1, "10.2.0.0/16": 2, "10.3.0.0/16": 1, "172.16.0.0/12": 3}),
    "203.0.113.9": (3, {"10.3.0.0/16": 2, "10.4.0.0/16": 2}),
    "198.51.100.1": (2, {"10.2.0.0/16": 1, "10.3.0.0/16": 2, "10.4.0.0/16": 4}),
    "198.51.100.7": (2, {"10.5.0.0/16": 1, "10.6.0.0/16": 2, "10.4.0.0/16": 1}),
}
SILENT = "198.51.100.7"


def rip_route(neighbour: str, interface: int, network: str, metric: int) -> RTM_IP_ROUTE:
    """The route RIP adds for one advertised network."""
    return RTM_IP_ROUTE(
        RR_InterfaceID=interface,
        RR_Network=ip_network(network),
        RR_NextHopAddress=ip_network(neighbour),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
    )


def drain(api: Any, client: Any) -> int:
    """Dequeue every waiting change message (the router manager's loop); returns how many there were."""
    count = 0
    while api.RtmDequeueRouteChangeMessage(client).status != ERROR_NO_MESSAGES:
        count += 1
    return count


def update_round(api: Any, rip: Any, neighbours: Sequence[str]) -> None:
    """One round of RIP updates from the given neighbours."""
    for neighbour in neighbours:
        interface, networks = NEIGHBOURS[neighbour]
        for network, metric in networks.items():
            api.RtmAddRoute(rip, rip_route(neighbour, interface, network, metric), TIMEOUT)


def workload(api: Any, advance: Callable[[int], None]) -> None:
    """The RIP story."""
    _, manager = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_NT_STATIC, threading.Event(), 0)
    _, rip = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, threading.Event(), 0)
    everyone = list(NEIGHBOURS)
    for _ in range(3):
        update_round(api, rip, everyone)
        drain(api, manager)
        drain(api, rip)
        advance(ROUND)
    # One neighbour falls silent: its routes time out 180 s after their last refresh.
    for _ in range(7):
        update_round(api, rip, [n for n in NEIGHBOURS if n != SILENT])
        advance(ROUND)
        api.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)
        drain(api, manager)
    # Interface 1 goes down: everything learned there goes at once.
    criteria = RTM_IP_ROUTE(RR_InterfaceID=1)
    api.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_INTERFACE, criteria)
    drain(api, manager)
    drain(api, rip)
    api.RtmDeregisterClient(rip)
    drain(api, manager)
    api.RtmDeregisterClient(manager)


if __name__ == "__main__":
    raise SystemExit(main("rip", workload, PRIORITY))
