"""A management agent: reads the whole table the ways an SNMP agent does, while RIP keeps changing it.

The agent registers without an event (it polls) and walks the table with enumeration handles (all routes, best
routes only, one protocol, one network), with RtmGetFirstRoute/RtmGetNextRoute, RtmGetSpecificRoute, RtmIsRoute,
RtmLookupIPDestination and RtmGetRouteAge, while RIP adds and deletes routes between its steps (an enumeration is a
live cursor). It also makes the mistakes agents make: reading through a closed enumeration handle, dequeuing
without an event. Administrators add static routes through the agent; one was typed with host bits set
(``10.8.8.1/255.255.255.0``), which v1 stores as a network of its own and the shim refuses (RTMC-HOSTBITS).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rtmcompat import (
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    NO_ERROR,
    PROTO_IP_NETMGMT,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PROTOCOL_FAMILY_IP,
    ip_address,
    ip_network,
)

from ._record import main

PRIORITY = {PROTO_IP_NETMGMT: 3, PROTO_IP_RIP: 120}


def route(network: str | IP_NETWORK, interface: int, hop: str, metric: int, protocol: int = 0) -> RTM_IP_ROUTE:
    """An IP route."""
    return RTM_IP_ROUTE(
        RR_RoutingProtocol=protocol,
        RR_InterfaceID=interface,
        RR_Network=ip_network(network) if isinstance(network, str) else network,
        RR_NextHopAddress=ip_network(hop),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
    )


def enumerate_all(api: Any, flags: int, criteria: RTM_IP_ROUTE | None = None) -> list[RTM_IP_ROUTE]:
    """Read an enumeration to its end."""
    status, handle = api.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, flags, criteria)
    found: list[RTM_IP_ROUTE] = []
    if status != NO_ERROR:
        return found
    while True:
        status, got = api.RtmEnumerateGetNextRoute(handle)
        if status != NO_ERROR:
            break
        found.append(got)
    api.RtmCloseEnumerationHandle(handle)
    return found


def workload(api: Any, advance: Callable[[int], None]) -> None:
    """The agent's session."""
    _, rip = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, threading.Event(), 0)
    _, agent = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_NETMGMT, None, 0)
    for i, network in enumerate(("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16")):
        api.RtmAddRoute(rip, route(network, 1, "192.0.2.1", 2 + i), 180)
        api.RtmAddRoute(rip, route(network, 2, "198.51.100.1", 5), 180)
    # Static routes from the administrator, one with host bits set.
    api.RtmAddRoute(agent, route("10.1.0.0/16", 4, "203.0.113.254", 1), 0xFFFFFFFF)
    typo = IP_NETWORK(ip_address("10.8.8.1"), ip_address("255.255.255.0"))
    api.RtmAddRoute(agent, route(typo, 4, "203.0.113.254", 1), 0xFFFFFFFF)
    advance(5_000)

    api.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP)
    # A live cursor: RIP adds a network ahead of it and deletes one behind and one ahead.
    _, walk = api.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, 0, None)
    for _ in range(3):
        api.RtmEnumerateGetNextRoute(walk)
    api.RtmAddRoute(rip, route("10.9.0.0/16", 1, "192.0.2.1", 4), 180)
    api.RtmDeleteRoute(rip, route("10.1.0.0/16", 2, "198.51.100.1", 0))
    api.RtmDeleteRoute(rip, route("10.4.0.0/16", 2, "198.51.100.1", 0))
    while api.RtmEnumerateGetNextRoute(walk).status == NO_ERROR:
        pass
    api.RtmCloseEnumerationHandle(walk)
    api.RtmEnumerateGetNextRoute(walk)  # closed: ERROR_INVALID_HANDLE

    best = enumerate_all(api, RTM_ONLY_BEST_ROUTES)
    enumerate_all(api, RTM_ONLY_THIS_PROTOCOL, route("0.0.0.0/0", 0, "0.0.0.0", 0, PROTO_IP_RIP))
    enumerate_all(api, RTM_ONLY_THIS_NETWORK, route("10.1.0.0/16", 0, "0.0.0.0", 0))
    advance(20_000)
    for found in best:
        api.RtmGetRouteAge(found)

    # The ipRouteTable walk: first, then next after each.
    status, current = api.RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, None)
    while status == NO_ERROR:
        status, current = api.RtmGetNextRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, current)
    api.RtmGetSpecificRoute(RTM_PROTOCOL_FAMILY_IP, route("10.2.0.0/16", 1, "192.0.2.1", 0, PROTO_IP_RIP))
    for network in ("10.1.0.0/16", "10.8.8.1/32", "10.9.0.0/16"):
        api.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network(network))
    api.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, typo)
    for address in ("10.1.2.3", "10.8.8.200", "192.0.2.77"):
        api.RtmLookupIPDestination(ip_address(address))
    api.RtmDequeueRouteChangeMessage(agent)  # registered without an event: ERROR_INVALID_HANDLE

    api.RtmDeleteRoute(agent, route(typo, 4, "203.0.113.254", 0))
    api.RtmDeregisterClient(agent)
    api.RtmDeregisterClient(rip)


if __name__ == "__main__":
    raise SystemExit(main("agent", workload, PRIORITY))
