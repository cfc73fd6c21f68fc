"""``python -m bench.shim``: the cost of the v1 shim over calling v2model directly, on one workload, in one run.

The same v1 workload runs twice on fresh RoutingTableManagers, alternating in slices so machine load hits both
alike:

* **v1 via the shim**: RIP and OSPF register as V1Shim clients with change events; RIP adds every prefix of the
  real table, OSPF adds them all again and wins; longest-prefix lookups (RtmLookupIPDestination); RIP
  deregisters (RtmDeregisterClient), OSPF's queue is drained.
* **v2 directly**: what a native RTMv2 port of the same two protocols does for the same work: two entities, each
  with a BEST change registration drained in its callback; next hops per (interface, next hop); RtmAddRouteToDest
  keeping the handle; RtmGetMostSpecificDestination + RtmReleaseDestInfo; deleting RIP's routes by handle, its
  next hops and its registration, then RtmDeregisterEntity.

The v2 side does less: it builds no v1 messages, keeps no v1 records, and needs no before/after reads. The ratio
is what the v1 semantics cost on top of the v2 work, per operation. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import rtmcompat
import v2model
from rtmcompat import (
    INFINITE,
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
)
from v2model import (
    AF_INET,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_BEST,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
)

from . import data


def bswap32(value: int) -> int:
    """A big-endian address as Windows stores it in a DWORD (first octet in the low byte)."""
    return int.from_bytes(value.to_bytes(4, "big"), "little")


PRIORITY = {PROTO_IP_RIP: 120, PROTO_IP_OSPF: 110}
NEXTHOPS = 16


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class V1Side:
    """The workload through V1Shim."""

    def __init__(self) -> None:
        self.rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        self.shim = rtmcompat.V1Shim(self.rtm, protocol_priority=PRIORITY)
        _, self.rip = self.shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, threading.Event(), 0)
        _, self.ospf = self.shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, threading.Event(), 0)

    @staticmethod
    def route(addr: int, nbits: int, hop: int, interface: int, metric: int) -> RTM_IP_ROUTE:
        mask = (0xFFFFFFFF << (32 - nbits)) & 0xFFFFFFFF
        return RTM_IP_ROUTE(
            RR_InterfaceID=interface,
            RR_Network=IP_NETWORK(bswap32(addr), bswap32(mask)),
            RR_NextHopAddress=IP_NETWORK(bswap32(0xC0000200 + hop), 0xFFFFFFFF),
            RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
        )

    def add(self, client: Any, routes: list[RTM_IP_ROUTE]) -> None:
        for route in routes:
            self.shim.RtmAddRoute(client, route, INFINITE)

    def lookup(self, hosts: list[int]) -> int:
        found = 0
        for host in hosts:
            found += self.shim.RtmLookupIPDestination(bswap32(host)).Found
        return found

    def deregister_rip(self) -> int:
        self.shim.RtmDeregisterClient(self.rip)
        drained = 0
        while self.shim.RtmDequeueRouteChangeMessage(self.ospf).status in (0, 234):
            drained += 1
        return drained


class V2Side:
    """The same work as a native RTMv2 port does it."""

    def __init__(self) -> None:
        self.rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        self.rip = self._entity(PROTO_IP_RIP)
        self.ospf = self._entity(PROTO_IP_OSPF)
        self.handles: dict[Any, list[Any]] = {self.rip[0]: [], self.ospf[0]: []}
        self.nexthops: dict[Any, list[Any]] = {}

    def _entity(self, protocol: int) -> tuple[Any, Any]:
        holder: list[Any] = []

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            if event == RTM_CHANGE_NOTIFICATION:
                self._drain(handle, context1)
            return 0

        info = RTM_ENTITY_INFO(0, AF_INET, RTM_ENTITY_ID(protocol, 0))
        _, _, entity = self.rtm.RtmRegisterEntity(info, None, callback, False)
        _, notify = self.rtm.RtmRegisterForChangeNotification(entity, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None)
        holder.append(notify)
        return entity, notify

    def _drain(self, entity: Any, notify: Any) -> None:
        while True:
            status, count, infos = self.rtm.RtmGetChangedDests(entity, notify, 25)
            if count and infos is not None:
                self.rtm.RtmReleaseChangedDests(entity, notify, count, infos)
            if status != 0:
                return

    def infos(self, entity: Any, interface: int) -> list[RTM_ROUTE_INFO]:
        hops = []
        for hop in range(NEXTHOPS):
            address = v2model.RTM_NET_ADDRESS(AF_INET, 32, (0xC0000200 + hop).to_bytes(4, "big"))
            _, handle, _ = self.rtm.RtmAddNextHop(
                entity, RTM_NEXTHOP_INFO(NextHopAddress=address, InterfaceIndex=interface), None
            )
            assert handle is not None
            hops.append(handle)
        self.nexthops[entity] = hops
        return [
            RTM_ROUTE_INFO(Neighbour=h, BelongsToViews=RTM_VIEW_MASK_UCAST, NextHopsList=RTM_NEXTHOP_LIST(1, [h]))
            for h in hops
        ]

    def add(self, entity: Any, work: list[tuple[RTM_NET_ADDRESS, RTM_ROUTE_INFO]]) -> None:
        keep = self.handles[entity].append
        add = self.rtm.RtmAddRouteToDest
        for dest, info in work:
            keep(add(entity, None, dest, info, INFINITE, None, 0, None, 0)[1])

    def lookup(self, hosts: list[RTM_NET_ADDRESS]) -> int:
        found = 0
        entity = self.ospf[0]
        for host in hosts:
            _, info = self.rtm.RtmGetMostSpecificDestination(entity, host, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
            if info is not None:
                found += 1
                self.rtm.RtmReleaseDestInfo(entity, info)
        return found

    def deregister_rip(self) -> int:
        entity, notify = self.rip
        for route in self.handles.pop(entity):
            self.rtm.RtmDeleteRouteToDest(entity, route)
        for hop in self.nexthops.pop(entity):
            self.rtm.RtmDeleteNextHop(entity, hop, None)
        self.rtm.RtmDeregisterFromChangeNotification(entity, notify)
        self.rtm.RtmDeregisterEntity(entity)
        return 0


def _route_info(template: RTM_ROUTE_INFO, metric: int, preference: int) -> RTM_ROUTE_INFO:
    return RTM_ROUTE_INFO(
        Neighbour=template.Neighbour,
        PrefInfo=RTM_PREF_INFO(Metric=metric, Preference=preference),
        BelongsToViews=RTM_VIEW_MASK_UCAST,
        NextHopsList=template.NextHopsList,
    )


def _timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    gc.unfreeze()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Run the shim-overhead benchmark and print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.shim", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", default=None, help="gz table (default: the 2014 IPv4 RIB, else a synthetic table of its prefix mix)"
    )
    parser.add_argument("--limit", type=int, default=100_000, help="prefixes to use (default 100,000)")
    parser.add_argument("--lookups", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    args = parser.parse_args(argv)
    table = data.table(args.data or data.default_data_path(), 4, args.limit, 20140513)
    prefixes = table.prefixes
    _progress(f"{len(prefixes):,} prefixes from {table.source}")
    v1, v2 = V1Side(), V2Side()
    v1_rip = [V1Side.route(a, n, asn % NEXTHOPS, 1, 1 + asn % 15) for a, n, asn in prefixes]
    v1_ospf = [V1Side.route(a, n, asn % NEXTHOPS, 2, 1 + asn % 7) for a, n, asn in prefixes]
    rip_infos, ospf_infos = v2.infos(v2.rip[0], 1), v2.infos(v2.ospf[0], 2)
    dests = data.net_addresses(table)
    v2_rip, v2_ospf = [], []
    for (_, _, asn), dest in zip(prefixes, dests, strict=True):
        rip = rip_infos[asn % NEXTHOPS]
        ospf = ospf_infos[asn % NEXTHOPS]
        v2_rip.append((dest, _route_info(rip, 1 + asn % 15, 120)))
        v2_ospf.append((dest, _route_info(ospf, 1 + asn % 7, 110)))
    hosts = data.lookup_addresses(table, args.lookups, seed=20140513)
    host_addresses = data.host_addresses(table, hosts)

    rows = []

    def pair(name: str, ops: int, v1_fn: Callable[[int, int], Any], v2_fn: Callable[[int, int], Any]) -> None:
        t1 = t2 = 0.0
        for start in range(0, ops, args.chunk):
            stop = min(ops, start + args.chunk)
            t2 += _timed(functools.partial(v2_fn, start, stop))
            t1 += _timed(functools.partial(v1_fn, start, stop))
        rows.append((name, ops, t1, t2))
        _progress(f"{name}: shim {t1:.2f}s, v2 {t2:.2f}s")

    pair(
        "RIP adds every prefix",
        len(prefixes),
        lambda i, j: v1.add(v1.rip, v1_rip[i:j]),
        lambda i, j: v2.add(v2.rip[0], v2_rip[i:j]),
    )
    pair(
        "OSPF adds them again and wins",
        len(prefixes),
        lambda i, j: v1.add(v1.ospf, v1_ospf[i:j]),
        lambda i, j: v2.add(v2.ospf[0], v2_ospf[i:j]),
    )
    pair(
        "longest-prefix lookups",
        len(hosts),
        lambda i, j: v1.lookup(hosts[i:j]),
        lambda i, j: v2.lookup(host_addresses[i:j]),
    )
    t2 = _timed(v2.deregister_rip)
    t1 = _timed(v1.deregister_rip)
    rows.append(("RIP deregisters (per route)", len(prefixes), t1, t2))

    print(f"v1 shim over direct v2 calls, {len(prefixes):,} prefixes of {table.source}")
    print(f"{'operation':34} {'ops':>9} {'shim s':>8} {'v2 s':>8} {'shim us/op':>11} {'v2 us/op':>9} {'ratio':>6}")
    for name, ops, t1, t2 in rows:
        print(f"{name:34} {ops:9,} {t1:8.2f} {t2:8.2f} {t1 / ops * 1e6:11.1f} {t2 / ops * 1e6:9.1f} {t1 / t2:6.1f}x")
    for side, rtm in (("shim", v1.rtm), ("v2", v2.rtm)):
        print(f"{side}: {rtm.statistics()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
