"""An IPX RIP/SAP pair: IPX RIP learns networks from its neighbours, SAP follows the routes to the servers it knows.

IPX RIP broadcasts every 60 seconds; each route it adds lives 180 seconds (three missed broadcasts) and costs ticks
then hops. Static IPX routes (from the configuration) never expire. SAP registers with an event, drains the route
changes after each broadcast and checks with RtmIsRoute that the networks of its servers are still reachable.
Then a WAN link (interface 7) goes down: RIP deletes what it learned there with RtmBlockDeleteRoutes, and one
neighbour stops broadcasting, so its routes age out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rtmcompat import (
    ERROR_NO_MESSAGES,
    INFINITE,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_PROTOCOL_RIP,
    IPX_PROTOCOL_SAP,
    IPX_PROTOCOL_STATIC,
    IPX_SPECIFIC_DATA,
    RTM_IPX_ROUTE,
    RTM_ONLY_THIS_INTERFACE,
    RTM_PROTOCOL_FAMILY_IPX,
)

from ._record import main

#: neighbour MAC -> (interface, {network: (ticks, hops)})
NEIGHBOURS = {
    "00000c1a2b01": (1, {0x00000010: (2, 1), 0x00000020: (3, 2), 0x0000BEEF: (8, 4)}),
    "00000c1a2b02": (7, {0x00000020: (30, 1), 0x00000030: (31, 2), 0x0000BEEF: (8, 3)}),
    "00000c1a2b03": (2, {0x00000040: (2, 1), 0x00000030: (40, 5)}),
}
#: The networks of the file servers SAP knows.
SERVER_NETWORKS = (0x00000010, 0x00000030, 0x0000BEEF, 0x00000040)
STATIC = {0x000000FF: (1, 1)}


def route(interface: int, mac: str, network: int, ticks: int, hops: int) -> RTM_IPX_ROUTE:
    """An IPX route."""
    return RTM_IPX_ROUTE(
        RR_InterfaceID=interface,
        RR_Network=IPX_NETWORK(network),
        RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(bytes.fromhex(mac)),
        RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_TickCount=ticks, FSD_HopCount=hops),
    )


def broadcast(api: Any, rip: Any, neighbours: list[str]) -> None:
    """One round of IPX RIP broadcasts heard."""
    for mac in neighbours:
        interface, networks = NEIGHBOURS[mac]
        for network, (ticks, hops) in networks.items():
            api.RtmAddRoute(rip, route(interface, mac, network, ticks, hops), 180)


def sap_check(api: Any, sap: Any) -> None:
    """SAP drains its messages, then checks its servers' networks."""
    while api.RtmDequeueRouteChangeMessage(sap).status != ERROR_NO_MESSAGES:
        pass
    for network in SERVER_NETWORKS:
        api.RtmIsRoute(RTM_PROTOCOL_FAMILY_IPX, IPX_NETWORK(network))


def workload(api: Any, advance: Callable[[int], None]) -> None:
    """The IPX story."""
    _, static = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IPX, IPX_PROTOCOL_STATIC, None, 0)
    _, rip = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IPX, IPX_PROTOCOL_RIP, threading.Event(), 0)
    _, sap = api.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IPX, IPX_PROTOCOL_SAP, threading.Event(), 0)
    for network, (ticks, hops) in STATIC.items():
        api.RtmAddRoute(static, route(3, "00000c1a2bff", network, ticks, hops), INFINITE)
    everyone = list(NEIGHBOURS)
    for _ in range(2):
        broadcast(api, rip, everyone)
        sap_check(api, sap)
        advance(60_000)
    # The WAN link goes down.
    api.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_INTERFACE, RTM_IPX_ROUTE(RR_InterfaceID=7))
    sap_check(api, sap)
    # 00000c1a2b03 stops broadcasting: its routes age out after 180 s.
    for _ in range(4):
        broadcast(api, rip, ["00000c1a2b01"])
        advance(60_000)
        api.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX)
        sap_check(api, sap)
    status, first = api.RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IPX, 0, None)
    while status == 0:
        status, first = api.RtmGetNextRoute(RTM_PROTOCOL_FAMILY_IPX, 0, first)
    for client in (rip, sap, static):
        api.RtmDeregisterClient(client)


if __name__ == "__main__":
    raise SystemExit(main("ipx", workload, None))
