"""The V1Shim side of the benchmarks: v1 clients driven through the public RTMv1 API, as a v1 routing protocol
drives rtm.dll (statuses counted, never asserted).

Clients register with a ``threading.Event``, so every one of them *listens* (gets change messages). A route's
next hop and metric follow its prefix's origin AS, like the v2 side's (``bench.workload``): next hop ``asn % 16``
on the client's interface, metric ``1 + asn % 15``. The route structures of a slice are made before it is timed
(``routes``), and a listening client's queue is drained between slices (``drain``): v1 clients dequeue their
messages as they come, so a benchmark that never did would measure a queue growing without bound.
"""

from __future__ import annotations

import threading
from typing import Any

import v2model
from rtmcompat import (
    INFINITE,
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    NO_ERROR,
    RTM_IP_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    V1Shim,
)

from .data import Prefix

#: Next hops per client (192.0.2.1 .. 192.0.2.16 on the client's interface).
NEXTHOPS = 16


def bswap32(value: int) -> int:
    """A big-endian address as Windows stores it in a DWORD (first octet in the low byte)."""
    return int.from_bytes(value.to_bytes(4, "big"), "little")


_MASKS = [bswap32((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF) for n in range(33)]


class ShimTable:
    """A V1Shim over its own RoutingTableManager (ManualClock: no timer thread, deterministic)."""

    def __init__(self, priority: dict[int, int], mapping_logger: Any = None, cls: type[V1Shim] = V1Shim) -> None:
        self.rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        self.shim = cls(self.rtm, protocol_priority=priority, mapping_logger=mapping_logger)
        self.events: dict[Any, threading.Event] = {}

    def register(self, protocol: int) -> Any:
        """RtmRegisterClient with a ChangeEvent (a listening client)."""
        event = threading.Event()
        status, client = self.shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, protocol, event, 0)
        if status != NO_ERROR or client is None:
            raise RuntimeError(f"RtmRegisterClient failed with {status}")
        self.events[client] = event
        return client

    @staticmethod
    def routes(prefixes: list[Prefix], interface: int) -> list[RTM_IP_ROUTE]:
        """The RTM_IP_ROUTE of each prefix (made before timing)."""
        out = []
        for addr, nbits, asn in prefixes:
            out.append(
                RTM_IP_ROUTE(
                    RR_InterfaceID=interface,
                    RR_Network=IP_NETWORK(bswap32(addr), _MASKS[nbits]),
                    RR_NextHopAddress=IP_NETWORK(bswap32(0xC0000201 + asn % NEXTHOPS), 0xFFFFFFFF),
                    RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=1 + asn % 15),
                )
            )
        return out

    def add(self, client: Any, routes: list[RTM_IP_ROUTE]) -> int:
        """RtmAddRoute (TimeToLive INFINITE) per route; returns the number of failed calls."""
        add = self.shim.RtmAddRoute
        failures = 0
        for route in routes:
            if add(client, route, INFINITE).status != NO_ERROR:
                failures += 1
        return failures

    def drain(self, client: Any) -> int:
        """RtmDequeueRouteChangeMessage until ERROR_NO_MESSAGES; returns how many messages there were."""
        dequeue = self.shim.RtmDequeueRouteChangeMessage
        count = 0
        while dequeue(client).status in (0, 234):  # NO_ERROR, ERROR_MORE_MESSAGES
            count += 1
        return count

    def lookup(self, hosts: list[int]) -> int:
        """RtmLookupIPDestination per host (int addresses, big-endian); returns how many were covered."""
        lookup = self.shim.RtmLookupIPDestination
        found = 0
        for host in hosts:
            if lookup(bswap32(host)).Found:
                found += 1
        return found

    def deregister(self, client: Any) -> int:
        """RtmDeregisterClient; returns its status."""
        return int(self.shim.RtmDeregisterClient(client).status)
