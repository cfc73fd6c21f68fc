"""The v2model side of the benchmarks: a RoutingTableManager driven through its public RTMv2 API only, the way
a correct client would drive rtm.dll (every handle the API returns is released or handed back, statuses are
checked and counted, never asserted).

Each ``ModelTable`` method below is one timed loop: the caller prepares the inputs (RTM_NET_ADDRESS and
RTM_ROUTE_INFO structures) beforehand and times only the call. The methods return what they observed (failures,
best-route changes, hits) so the report can show it; they decide nothing.
"""

from __future__ import annotations

from typing import Any

import attrs

import v2model
from v2model import (
    INFINITE,
    NO_ERROR,
    RTM_BEST_PROTOCOL,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
)

from .data import PrefixTable, net_address

#: Next-hop address blocks, one per entity slot (documentation ranges, so nothing looks like the table).
_V4_NEXTHOP_BASES = (0xC0000200, 0xC6336400, 0xCB007100, 0x0A000000)  # 192.0.2/24 198.51.100/24 203.0.113/24 10/8
_V6_NEXTHOP_BASE = 0x20010DB8 << 96


@attrs.frozen
class AddOutcome:
    """What a loop of RtmAddRouteToDest calls saw."""

    calls: int
    failures: int
    #: Calls whose ChangeFlags had RTM_ROUTE_CHANGE_BEST (the new route became a best route).
    best_changes: int

    @staticmethod
    def total(outcomes: list[AddOutcome]) -> AddOutcome:
        """The outcomes of several loops added up."""
        return AddOutcome(
            sum(o.calls for o in outcomes), sum(o.failures for o in outcomes), sum(o.best_changes for o in outcomes)
        )


class ModelTable:
    """One ``RoutingTableManager`` (with a ManualClock: no timer thread, deterministic) for one address family."""

    def __init__(self, table: PrefixTable) -> None:
        self.af = table.af
        self.width = table.width
        self.rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())

    # --- setup (untimed) ---------------------------------------------------------------------------------------

    def register(self, protocol: int, instance: int = 0) -> v2model.Entity:
        """RtmRegisterEntity for ``(protocol, instance)`` in RTM instance 0 of the table's family."""
        info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=self.af, EntityId=RTM_ENTITY_ID(protocol, instance))
        status, _profile, handle = self.rtm.RtmRegisterEntity(info, None, None, False)
        if status != NO_ERROR or handle is None:
            raise RuntimeError(f"RtmRegisterEntity failed with {status}")
        return handle

    def nexthop_address(self, slot: int, index: int) -> RTM_NET_ADDRESS:
        """The address of next hop ``index`` of entity slot ``slot`` (a host address)."""
        if self.width == 32:
            return net_address(self.af, 32, _V4_NEXTHOP_BASES[slot % 4] + index + 1, 32)
        return net_address(self.af, 128, _V6_NEXTHOP_BASE | (slot << 32) | (index + 1), 128)

    def add_nexthops(self, ent: v2model.Entity, slot: int, count: int) -> list[v2model.NextHop]:
        """RtmAddNextHop ``count`` next hops (interfaces 1..4); the referenced handles are returned."""
        out = []
        for i in range(count):
            info = RTM_NEXTHOP_INFO(NextHopAddress=self.nexthop_address(slot, i), InterfaceIndex=1 + i % 4)
            status, handle, _flags = self.rtm.RtmAddNextHop(ent, info, None)
            if status != NO_ERROR or handle is None:
                raise RuntimeError(f"RtmAddNextHop failed with {status}")
            out.append(handle)
        return out

    @staticmethod
    def route_infos(nexthops: list[v2model.NextHop], preference: int) -> list[RTM_ROUTE_INFO]:
        """One RTM_ROUTE_INFO per next hop (neighbour = the only next hop, RIP-style), metric 1 + index % 15.
        The model copies what it is given, so a client may reuse one structure per next hop, as C code reuses
        one on the stack."""
        return [
            RTM_ROUTE_INFO(
                Neighbour=nh,
                PrefInfo=RTM_PREF_INFO(Metric=1 + i % 15, Preference=preference),
                BelongsToViews=RTM_VIEW_MASK_UCAST,
                NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=1, NextHops=[nh]),
            )
            for i, nh in enumerate(nexthops)
        ]

    # --- timed loops -------------------------------------------------------------------------------------------

    def add_release(self, ent: v2model.Entity, addrs: list[RTM_NET_ADDRESS], infos: list[RTM_ROUTE_INFO]) -> AddOutcome:
        """RtmAddRouteToDest (RouteHandle=None) then RtmReleaseRoutes of the returned handle, per route."""
        add = self.rtm.RtmAddRouteToDest
        release = self.rtm.RtmReleaseRoutes
        failures = best = 0
        for addr, info in zip(addrs, infos, strict=True):
            status, handle, flags = add(ent, None, addr, info, INFINITE, None, 0, None, 0)
            if status != NO_ERROR or handle is None or flags is None:
                failures += 1
                continue
            if flags & RTM_ROUTE_CHANGE_BEST:
                best += 1
            release(ent, 1, [handle])
        return AddOutcome(len(addrs), failures, best)

    def add_batched(
        self, ent: v2model.Entity, addrs: list[RTM_NET_ADDRESS], infos: list[RTM_ROUTE_INFO], batch: int
    ) -> AddOutcome:
        """RtmAddRouteToDest per route, the returned handles released ``batch`` at a time by RtmReleaseRoutes."""
        add = self.rtm.RtmAddRouteToDest
        release = self.rtm.RtmReleaseRoutes
        failures = best = 0
        pending: list[v2model.Route] = []
        for addr, info in zip(addrs, infos, strict=True):
            status, handle, flags = add(ent, None, addr, info, INFINITE, None, 0, None, 0)
            if status != NO_ERROR or handle is None or flags is None:
                failures += 1
                continue
            if flags & RTM_ROUTE_CHANGE_BEST:
                best += 1
            pending.append(handle)
            if len(pending) >= batch:
                release(ent, len(pending), pending)
                pending = []
        if pending:
            release(ent, len(pending), pending)
        return AddOutcome(len(addrs), failures, best)

    def add_keep(
        self,
        ent: v2model.Entity,
        addrs: list[RTM_NET_ADDRESS],
        infos: list[RTM_ROUTE_INFO],
        handles: list[v2model.Route],
    ) -> AddOutcome:
        """RtmAddRouteToDest per route, keeping every returned handle in ``handles`` (to delete the routes by
        handle later, which releases them)."""
        add = self.rtm.RtmAddRouteToDest
        keep = handles.append
        failures = best = 0
        for addr, info in zip(addrs, infos, strict=True):
            status, handle, flags = add(ent, None, addr, info, INFINITE, None, 0, None, 0)
            if status != NO_ERROR or handle is None or flags is None:
                failures += 1
                continue
            if flags & RTM_ROUTE_CHANGE_BEST:
                best += 1
            keep(handle)
        return AddOutcome(len(addrs), failures, best)

    def lookup(self, ent: v2model.Entity, hosts: list[RTM_NET_ADDRESS]) -> int:
        """RtmGetMostSpecificDestination (best route, unicast view) and RtmReleaseDestInfo per address; returns
        how many addresses were covered."""
        get = self.rtm.RtmGetMostSpecificDestination
        release = self.rtm.RtmReleaseDestInfo
        hits = 0
        for host in hosts:
            status, info = get(ent, host, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
            if status == NO_ERROR and info is not None:
                hits += 1
                release(ent, info)
        return hits

    def lookup_only(self, ent: v2model.Entity, hosts: list[RTM_NET_ADDRESS], infos: list[Any]) -> int:
        """RtmGetMostSpecificDestination (best route, unicast view) per address, the structures kept in ``infos``
        for ``release_infos`` (untimed); returns how many addresses were covered."""
        get = self.rtm.RtmGetMostSpecificDestination
        keep = infos.append
        hits = 0
        for host in hosts:
            status, info = get(ent, host, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
            if status == NO_ERROR and info is not None:
                hits += 1
                keep(info)
        return hits

    def release_infos(self, ent: v2model.Entity, infos: list[Any]) -> None:
        """RtmReleaseDestInfo of every structure ``lookup_only`` kept; ``infos`` is emptied."""
        release = self.rtm.RtmReleaseDestInfo
        for info in infos:
            release(ent, info)
        infos.clear()

    def deregister(self, ent: v2model.Entity) -> int:
        """RtmDeregisterEntity: whatever the entity still owns and holds is force-cleaned by the model."""
        return int(self.rtm.RtmDeregisterEntity(ent).status)

    def delete_routes(self, ent: v2model.Entity, handles: list[v2model.Route]) -> int:
        """The correct client's exit, first part: RtmDeleteRouteToDest per kept route handle (the call releases
        the handle). Returns the number of failed calls."""
        delete = self.rtm.RtmDeleteRouteToDest
        failures = 0
        for handle in handles:
            if delete(ent, handle).status != NO_ERROR:
                failures += 1
        return failures

    def finish_exit(self, ent: v2model.Entity, nexthops: list[v2model.NextHop]) -> int:
        """The correct client's exit, second part: RtmDeleteNextHop per next hop by its handle (released by the
        call), then RtmDeregisterEntity with nothing left to clean. Returns the number of failed calls."""
        rtm = self.rtm
        failures = 0
        for nh in nexthops:
            if rtm.RtmDeleteNextHop(ent, nh, None).status != NO_ERROR:
                failures += 1
        if rtm.RtmDeregisterEntity(ent).status != NO_ERROR:
            failures += 1
        return failures

    # --- observations (untimed) --------------------------------------------------------------------------------

    def statistics(self) -> dict[str, int]:
        """The manager's always-on counters."""
        return dict(self.rtm.statistics())

    def dirty_deregistrations(self) -> int:
        """How many RtmDeregisterEntity calls had to clean up after their entity (the leak report)."""
        return len(self.rtm.leak_report().deregistrations)
