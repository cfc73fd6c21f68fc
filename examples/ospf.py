"""An OSPF-like client with RTM_PROTOCOL_SINGLE_ROUTE next to RIP: one route per network, replaced after each SPF run.

OSPF registers as a single-route client, so each network holds at most one OSPF route: after each shortest-path
run it adds every network again with the path it computed, and an add with another interface or next hop replaces
the old route (RTM_ROUTE_CHANGED where it is the best). Networks that became unreachable are deleted. RIP carries
a few of the same networks at a worse administrative priority (OSPF 110, RIP 120), so RIP's routes take over only
where OSPF has none. Both clients drain their change messages after every run; RIP also checks a few networks with
RtmIsRoute and RtmLookupIPDestination.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rtmcompat import (
    ERROR_NO_MESSAGES,
    INFINITE,
    IP_SPECIFIC_DATA,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_SINGLE_ROUTE,
    ip_address,
    ip_network,
)

from ._record import main

PRIORITY = {PROTO_IP_OSPF: 110, PROTO_IP_RIP: 120}

#: Each SPF run's result: network -> (interface, next hop, cost); a network missing from a run is unreachable.
SPF_RUNS = (
    {
        "10.10.0.0/16": (1, "192.0.2.10", 10),
        "10.20.0.0/16": (1, "192.0.2.10", 20),
        "10.30.0.0/16": (2, "198.51.100.30", 10),
        "10.40.0.0/24": (2, "198.51.100.30", 30),
    },
    {  # link 1 got slower: 10.20/16 now goes via interface 2
        "10.10.0.0/16": (1, "192.0.2.10", 40),
        "10.20.0.0/16": (2, "198.51.100.30", 25),
        "10.30.0.0/16": (2, "198.51.100.30", 10),
        "10.40.0.0/24": (2, "198.51.100.30", 30),
    },
    {  # 10.40.0.0/24 is unreachable; a new area appears
        "10.10.0.0/16": (1, "192.0.2.10", 40),
        "10.20.0.0/16": (2, "198.51.100.30", 25),
        "10.30.0.0/16": (2, "198.51.100.30", 10),
        "10.50.0.0/16": (1, "192.0.2.10", 15),
    },
)
RIP_ROUTES = {"10.20.0.0/16": 3, "10.40.0.0/24": 2, "192.168.0.0/16": 1}


def route(network: str, interface: int, hop: str, metric: int) -> RTM_IP_ROUTE:
    """An IP route."""
    return RTM_IP_ROUTE(
        RR_InterfaceID=interface,
        RR_Network=ip_network(network),
        RR_NextHopAddress=ip_network(hop),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
    )


def drain(api: Any, client: Any) -> None:
    """Dequeue every waiting change message."""
    while api.RtmDequeueRouteChangeMessage(client).status != ERROR_NO_MESSAGES:
        pass


def workload(api: Any, advance: Callable[[int], None]) -> None:
    """The OSPF story."""
    _, ospf = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, threading.Event(), RTM_PROTOCOL_SINGLE_ROUTE)
    _, rip = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, threading.Event(), 0)
    for network, metric in RIP_ROUTES.items():
        api.RtmAddRoute(rip, route(network, 3, "203.0.113.1", metric), 180)
    previous: dict[str, tuple[int, str, int]] = {}
    for run in SPF_RUNS:
        for network, (interface, hop, cost) in run.items():
            api.RtmAddRoute(ospf, route(network, interface, hop, cost), INFINITE)
        for network in previous.keys() - run.keys():
            interface, hop, _ = previous[network]
            api.RtmDeleteRoute(ospf, route(network, interface, hop, 0))
        previous = dict(run)
        drain(api, ospf)
        drain(api, rip)
        for network in ("10.20.0.0/16", "10.40.0.0/24", "10.99.0.0/16"):
            api.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network(network))
        api.RtmLookupIPDestination(ip_address("10.40.0.77"))
        advance(10_000)
    api.RtmDeregisterClient(ospf)
    drain(api, rip)
    api.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)
    api.RtmDeregisterClient(rip)


if __name__ == "__main__":
    raise SystemExit(main("ospf", workload, PRIORITY))
