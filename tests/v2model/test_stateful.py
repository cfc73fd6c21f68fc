"""The RTMv2 model against a plain-Python oracle, on random sequences of route changes.

Theory of operation
-------------------
``RtmModelMachine`` drives one ``RoutingTableManager`` (on a ``ManualClock``) with three registered entities, each
with two next hops, through random route additions (matched by identity, RTM_ROUTE_CHANGE_NEW,
RTM_ROUTE_CHANGE_FIRST, by handle), changes of metric, preference, views, flags, next hops, neighbour and owner
data (in place, or read-edit-add by handle) and deletions. Every mutation is applied to ``Oracle`` too: a
dictionary of routes per prefix that knows nothing of the model's data structures and follows the documented rules
directly:

* best route per (destination, view): lowest (Preference, Metric); ties keep the incumbent, then the earliest
  created route wins (V2-2.6, V2-A-tie);
* a destination is present while it has a live route; a later route to the prefix makes a new destination object
  (A-dest-lifetime), so the oracle keys destinations by (prefix, generation);
* which destinations each change-notification registration must have pending, and which registrations go from
  "nothing pending" to "something pending" and so get exactly one RTM_CHANGE_NOTIFICATION callback
  (A-notify-trigger, A-notify-delivery).

After every step the invariant compares model and oracle through the public API only: statistics, exact-match
destination information per view (best route, owner, flags, NumRoutes, BelongsToViews), the best route of one
protocol, RtmIsBestRoute, longest-prefix matches and one RtmGetLessSpecificDestination step per view (A-lpm,
A-belongs, A-viewmask, A-thisproto), the pending state of every registration (RtmGetChangeStatus), and the fate of
removed destinations' handles. Rules drain registrations (each changed destination exactly once, oldest first,
latest state: A-getchanged), step destination enumerations kept open across mutations (cursor semantics, address
order, nothing twice, stable destinations exactly once: A-enum-order) and walk up the prefix tree from random
host addresses. A callback checks from a second thread that RTM's lock is free and the mutation complete.
Every handle and information structure the test obtains is released; teardown deletes everything, deregisters and
requires an empty ``leak_report()``.

Bugs this test found
--------------------
Two model bugs, fixed since (the regression tests at the end of this module keep them fixed): deleting the last
route of a marked destination dropped its marks before the change was recorded, so RTM_NOTIFY_ONLY_MARKED_DESTS
registrations never heard of it; an empty RtmGetEnumDests batch left a phantom zero count of destination
structures in ``leak_report()``.
"""

from __future__ import annotations

import functools
import ipaddress
import itertools
import sys
import threading
from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Any, TypeAlias

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import v2model
from tests import strategies
from tests.strategies import Network
from v2model import (
    AF_INET,
    AF_INET6,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_FOUND,
    INFINITE,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_CHANGE_TYPE_FORWARDING,
    RTM_DEST_INFO,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_REGISTERED,
    RTM_ENUM_START,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_NOTIFY_ONLY_MARKED_DESTS,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_FIRST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_FLAGS_FORWARDING,
    RTM_ROUTE_INFO,
    RTM_ROUTE_STATE_CREATED,
    RTM_THIS_PROTOCOL,
    RTM_VIEW_ID_MCAST,
    RTM_VIEW_ID_UCAST,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

#: The supported views of the default profile, by id.
VIEW_IDS = (RTM_VIEW_ID_UCAST, RTM_VIEW_ID_MCAST)
BOTH_VIEWS = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST

#: The entities: (EntityProtocolId, EntityInstanceId). Two RIP instances share a protocol (RTM_THIS_PROTOCOL).
ENTITIES = ((PROTO_IP_RIP, 0), (PROTO_IP_OSPF, 0), (PROTO_IP_RIP, 1))
#: Each entity's two next hops: (address, interface index); every entity has its own next-hop objects.
NEXT_HOPS = {
    AF_INET: (("192.0.2.1", 1), ("192.0.2.2", 2)),
    AF_INET6: (("2001:db8:ffff::1", 1), ("2001:db8:ffff::2", 2)),
}


@attrs.frozen
class RegSpec:
    """One change-notification registration the machine makes at start-up."""

    owner: int
    types: int
    views: int
    only_marked: bool = False


#: ALL over both views, BEST over unicast, FORWARDING over unicast, BEST over multicast for marked dests only.
REGISTRATIONS = (
    RegSpec(0, RTM_CHANGE_TYPE_ALL, BOTH_VIEWS),
    RegSpec(1, RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_UCAST),
    RegSpec(2, RTM_CHANGE_TYPE_FORWARDING, RTM_VIEW_MASK_UCAST),
    RegSpec(1, RTM_CHANGE_TYPE_BEST, RTM_VIEW_MASK_MCAST, only_marked=True),
)

#: The destination enumerations the machine keeps open across mutations: name -> TargetViews.
ENUM_VIEWS = {"any": RTM_VIEW_MASK_ANY, "ucast": RTM_VIEW_MASK_UCAST}

#: The target views lookups are checked with after every step.
LOOKUP_VIEWS = (RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_ANY)

#: The target views exact matches rotate through, one per step (A-viewmask: ALL = every supported view).
EXACT_VIEWS = (RTM_VIEW_MASK_ALL, BOTH_VIEWS, RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_ANY)

#: One destination object: (prefix, generation). A prefix gets a new generation each time it reappears.
Key: TypeAlias = tuple[Network, int]


def view_ids(views: int) -> tuple[int, ...]:
    """The supported view ids of a TargetViews mask, ascending (RTM_VIEW_MASK_ALL: every supported view)."""
    return tuple(v for v in VIEW_IDS if views >> v & 1)


def sort_key(net: Network) -> tuple[int, int]:
    """Destination order: address, then prefix length, shorter first (V2-A-enum-order)."""
    return int(net.network_address), net.prefixlen


@functools.cache
def _address_fields(net: Network) -> tuple[int, int, bytes]:
    address = net_address(str(net))
    return address.AddressFamily, address.NumBits, address.AddrBits


def address_of(net: Network) -> RTM_NET_ADDRESS:
    """A fresh RTM_NET_ADDRESS for a prefix (the conversion is cached: the checks make many)."""
    return RTM_NET_ADDRESS(*_address_fields(net))


@functools.cache
def _network(af: int, nbits: int, raw: bytes) -> Network:
    if af == AF_INET:
        return ipaddress.IPv4Network((int.from_bytes(raw[:4], "big"), nbits), strict=False)
    return ipaddress.IPv6Network((int.from_bytes(raw[:16], "big"), nbits), strict=False)


def to_network(address: RTM_NET_ADDRESS) -> Network:
    """The prefix an RTM_NET_ADDRESS names, host bits cleared."""
    return _network(address.AddressFamily, address.NumBits, bytes(address.AddrBits))


# =====================================================================================================
# The oracle
# =====================================================================================================


@attrs.frozen
class RouteAttrs:
    """What a route's owner sets: neighbour and next hops (indices into the owner's two next hops), cost, views,
    flags and owner data (EntitySpecificInfo)."""

    neighbour: int | None
    nexthops: tuple[int, ...]
    preference: int
    metric: int
    views: int
    flags: int
    esi: int

    def significant(self, other: RouteAttrs) -> bool:
        """Whether going from ``self`` to ``other`` is a change RTM_CHANGE_TYPE_ALL reports: anything but owner
        data (A-notify-trigger)."""
        return attrs.evolve(self, esi=0) != attrs.evolve(other, esi=0)


@attrs.define(eq=False)
class ORoute:
    """A live route as the oracle knows it."""

    seq: int
    prefix: Network
    owner: int
    attrs: RouteAttrs
    handle: v2model.Route

    @property
    def cost(self) -> tuple[int, int]:
        """(Preference, Metric): lower is better, preference first (V2-2.4)."""
        return self.attrs.preference, self.attrs.metric


@attrs.define(eq=False)
class ODest:
    """A present destination: its live routes in creation order and its best route per view."""

    prefix: Network
    gen: int
    routes: list[ORoute] = attrs.Factory(list)
    best: list[ORoute | None] = attrs.Factory(lambda: [None] * len(VIEW_IDS))

    @property
    def key(self) -> Key:
        """The destination object's identity."""
        return self.prefix, self.gen

    def has_route_in(self, views: int) -> bool:
        """A live route in one of ``views``; any live route for RTM_VIEW_MASK_ANY (V2-A-lpm)."""
        return any(not views or r.attrs.views & views for r in self.routes)


@attrs.define(eq=False)
class OReg:
    """A change-notification registration: its definition, its marked destinations and what is pending."""

    spec: RegSpec
    handle: v2model.NotifyReg
    marked: set[Key] = attrs.Factory(set)
    #: Destinations with a change not yet retrieved, in the order they were first recorded.
    pending: dict[Key, None] = attrs.Factory(dict)


@attrs.frozen
class Change:
    """What one mutation did, as view masks, and what it means for the registrations."""

    all_mask: int
    best_mask: int
    fwd_mask: int
    #: Registrations (indices) whose pending set went from empty to non-empty: one callback each.
    woken: tuple[int, ...]
    #: The destination the mutation removed (its last route went), if any.
    removed: Key | None


BestSig: TypeAlias = tuple[ORoute, RouteAttrs] | None


class Oracle:
    """The routing table as a dictionary of routes per prefix, with the documented rules written out directly."""

    def __init__(self) -> None:
        self.dests: dict[Network, ODest] = {}
        self.generations: dict[Network, int] = {}
        self.regs: list[OReg] = []
        self._seq = itertools.count(1)

    # --- queries ---------------------------------------------------------------------------------

    def routes(self) -> list[ORoute]:
        """Every live route, oldest first."""
        return sorted((r for d in self.dests.values() for r in d.routes), key=lambda r: r.seq)

    def present(self, views: int = RTM_VIEW_MASK_ANY) -> list[Network]:
        """Present prefixes with a live route in ``views`` (every present one for ANY), in destination order."""
        return sorted((p for p, d in self.dests.items() if d.has_route_in(views)), key=sort_key)

    def longest_match(self, net: Network, max_len: int, views: int) -> ODest | None:
        """The longest present prefix of at most ``max_len`` bits covering ``net`` that has a live route in
        ``views`` (V2-A-lpm)."""
        found: ODest | None = None
        for prefix, dest in self.dests.items():
            if prefix.prefixlen > max_len or not dest.has_route_in(views):
                continue
            covers = net.prefixlen >= prefix.prefixlen and net.supernet(new_prefix=prefix.prefixlen) == prefix
            if covers and (found is None or prefix.prefixlen > found.prefix.prefixlen):
                found = dest
        return found

    @staticmethod
    def best_of_protocol(dest: ODest, vid: int, protocol_of: Callable[[int], int], protocol: int) -> ORoute | None:
        """The best route of one protocol in a view (V2-A-thisproto, V2-A-tie): the overall best if that protocol
        owns it (the established best), else the cheapest of the protocol's routes, the earliest among equals."""
        overall = dest.best[vid]
        if overall is not None and protocol_of(overall.owner) == protocol:
            return overall
        candidates = [r for r in dest.routes if r.attrs.views >> vid & 1 and protocol_of(r.owner) == protocol]
        return min(candidates, key=lambda r: (r.cost, r.seq), default=None)

    def find(self, prefix: Network, owner: int, neighbour: int | None, *, first: bool) -> ORoute | None:
        """The route RtmAddRouteToDest updates: the owner's first route on the destination with the same
        neighbour, or with any neighbour for RTM_ROUTE_CHANGE_FIRST (V2-2.4)."""
        dest = self.dests.get(prefix)
        if dest is None:
            return None
        for route in dest.routes:
            if route.owner == owner and (first or route.attrs.neighbour == neighbour):
                return route
        return None

    # --- mutations -------------------------------------------------------------------------------

    def add(self, prefix: Network, owner: int, route_attrs: RouteAttrs, handle: v2model.Route) -> Change:
        """A new route, and a new destination if the prefix had none."""
        dest = self.dests.get(prefix)
        if dest is None:
            gen = self.generations.get(prefix, 0) + 1
            self.generations[prefix] = gen
            dest = self.dests[prefix] = ODest(prefix, gen)
        before = self._snapshot(dest)
        dest.routes.append(ORoute(next(self._seq), prefix, owner, route_attrs, handle))
        return self._commit(dest, before, route_attrs.views)

    def update(self, route: ORoute, route_attrs: RouteAttrs) -> Change:
        """A route's owner-settable fields change; ALL covers its old and new views (A-notify-trigger)."""
        dest = self.dests[route.prefix]
        before = self._snapshot(dest)
        old, route.attrs = route.attrs, route_attrs
        return self._commit(dest, before, old.views | route_attrs.views if old.significant(route_attrs) else 0)

    def delete(self, route: ORoute) -> Change:
        """A route goes, and its destination with it when it was the last one (A-dest-lifetime)."""
        dest = self.dests[route.prefix]
        before = self._snapshot(dest)
        dest.routes.remove(route)
        return self._commit(dest, before, route.attrs.views)

    @staticmethod
    def _snapshot(dest: ODest) -> list[BestSig]:
        return [None if r is None else (r, r.attrs) for r in dest.best]

    def _commit(self, dest: ODest, before: list[BestSig], all_mask: int) -> Change:
        best_mask = fwd_mask = 0
        for vid in VIEW_IDS:
            dest.best[vid] = self._select_best(dest, vid)
            bit = 1 << vid
            new, old = dest.best[vid], before[vid]
            if new is None and old is None:
                continue
            if new is None or old is None or old[0] is not new:
                best_mask |= bit  # the best route changed identity (to or from none included)
                fwd_mask |= bit
                continue
            was, now = old[1], new.attrs
            if (was.preference, was.metric, was.nexthops) != (now.preference, now.metric, now.nexthops):
                best_mask |= bit
                fwd_mask |= bit
            elif was.flags != now.flags:
                best_mask |= bit
                if (was.flags ^ now.flags) & RTM_ROUTE_FLAGS_FORWARDING:
                    fwd_mask |= bit  # not limited to the non-forwarding bits (Flags & ~0x000F)
        woken = []
        for index, reg in enumerate(self.regs):
            spec = reg.spec
            recorded = (
                (spec.types & RTM_CHANGE_TYPE_ALL and all_mask & spec.views)
                or (spec.types & RTM_CHANGE_TYPE_BEST and best_mask & spec.views)
                or (spec.types & RTM_CHANGE_TYPE_FORWARDING and fwd_mask & spec.views)
            )
            if not recorded or (spec.only_marked and dest.key not in reg.marked) or dest.key in reg.pending:
                continue
            if not reg.pending:
                woken.append(index)
            reg.pending[dest.key] = None  # coalesced: a pending destination keeps its place
        removed = None
        if not dest.routes:
            # The destination goes, and its marks with it, once the change that emptied it is recorded.
            del self.dests[dest.prefix]
            removed = dest.key
            for reg in self.regs:
                reg.marked.discard(dest.key)
        return Change(all_mask, best_mask, fwd_mask, tuple(woken), removed)

    @staticmethod
    def _select_best(dest: ODest, vid: int) -> ORoute | None:
        """Lowest (Preference, Metric) in the view; ties keep the incumbent, then the earliest created wins."""
        candidates = [r for r in dest.routes if r.attrs.views >> vid & 1]
        if not candidates:
            return None
        cheapest = min(r.cost for r in candidates)
        incumbent = dest.best[vid]
        if incumbent is not None and incumbent in candidates and incumbent.cost == cheapest:
            return incumbent
        return min((r for r in candidates if r.cost == cheapest), key=lambda r: r.seq)


# =====================================================================================================
# The machine
# =====================================================================================================


@attrs.define(eq=False)
class OpenEnum:
    """A destination enumeration kept open across mutations."""

    views: int
    handle: v2model.EnumHandle
    #: Sort key of the last destination returned (None before the first).
    cursor: tuple[int, int] | None = None
    returned: list[Network] = attrs.Factory(list)
    #: Destinations that matched the enumeration all the time since it was opened.
    stable: set[Network] = attrs.Factory(set)


@attrs.frozen
class Event:
    """One callback invocation, with what a second thread saw of the RTM meanwhile."""

    entity: int
    handle: Any
    event_type: int
    context1: Any
    context2: Any
    #: rtm.statistics() read from another thread while the callback ran (None: RTM's lock was held).
    seen: dict[str, int] | None


def route_attrs() -> st.SearchStrategy[RouteAttrs]:
    """Route attributes with few distinct values: equal costs, shared neighbours, all four view masks."""
    return st.builds(
        RouteAttrs,
        neighbour=st.sampled_from((None, 0, 1)),
        nexthops=st.lists(st.sampled_from((0, 1)), max_size=2, unique=True).map(tuple),
        preference=strategies.preferences(),
        metric=strategies.metrics(),
        views=strategies.view_masks(),
        flags=strategies.route_flags(),
        esi=st.integers(0, 2),
    )


#: The fields a change rule may touch; "nothing" re-submits the route unchanged (a TTL refresh).
CHANGE_FIELDS = ("metric", "preference", "views", "flags", "nexthops", "neighbour", "esi", "nothing")


@settings(max_examples=200, stateful_step_count=40, deadline=None)
class RtmModelMachine(RuleBasedStateMachine):
    """Random route changes by three entities, checked against ``Oracle`` after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        self.oracle = Oracle()
        self.family = AF_INET
        self.pool: tuple[Network, ...] = ()
        self.ents: list[v2model.Entity] = []
        self.nexthops: list[list[v2model.NextHop]] = []
        self.events: list[Event] = []
        self.enums: dict[str, OpenEnum] = {}
        #: Every destination object seen, by key and back (learned through exact-match lookups).
        self.dest_handles: dict[Key, v2model.Dest] = {}
        self.key_of: dict[v2model.Dest, Key] = {}
        #: Removed destinations whose handle may still be alive (a registration may still have them pending).
        self.removed: set[Key] = set()
        self.steps = 0
        self.ready = False

    # --- set-up ----------------------------------------------------------------------------------

    def _callback(self, index: int) -> Callable[[Any, int, Any, Any], int]:
        def callback(handle: Any, event_type: int, context1: Any, context2: Any) -> int:
            seen = self._stats_from_another_thread() if event_type == RTM_CHANGE_NOTIFICATION else None
            self.events.append(Event(index, handle, event_type, context1, context2, seen))
            return NO_ERROR

        return callback

    def _stats_from_another_thread(self) -> dict[str, int] | None:
        """rtm.statistics() from a second thread: it only gets through if RTM's lock is free (A-notify-delivery:
        callbacks run after the mutating call's work, outside RTM's locks)."""
        box: list[dict[str, int]] = []
        reader = threading.Thread(
            target=lambda: box.append(dict(self.rtm.statistics())), name="stateful-probe", daemon=True
        )
        reader.start()
        reader.join(timeout=5)
        return box[0] if box else None

    @initialize(family=strategies.ip_families())
    def set_up(self, family: int) -> None:
        """Register the entities (each announced to those registered before), their next hops and the
        change-notification registrations."""
        self.family = family
        self.pool = strategies.PREFIX_POOLS[family]
        rtm = self.rtm
        for index, (protocol, instance) in enumerate(ENTITIES):
            info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=family, EntityId=RTM_ENTITY_ID(protocol, instance))
            status, _profile, ent = rtm.RtmRegisterEntity(info, None, self._callback(index), False)
            assert status == NO_ERROR
            assert ent is not None
            self.ents.append(ent)
            hops = []
            for address, ifindex in NEXT_HOPS[family]:
                nh_info = RTM_NEXTHOP_INFO(NextHopAddress=net_address(address), InterfaceIndex=ifindex)
                status, nh, _flags = rtm.RtmAddNextHop(ent, nh_info, None)
                assert status == NO_ERROR
                assert nh is not None
                hops.append(nh)
            self.nexthops.append(hops)
        announced = [(0, RTM_ENTITY_REGISTERED, self.ents[1]), (0, RTM_ENTITY_REGISTERED, self.ents[2])]
        announced.append((1, RTM_ENTITY_REGISTERED, self.ents[2]))
        assert announced == [(e.entity, e.event_type, e.context1) for e in self.events]
        self.events.clear()
        for index, spec in enumerate(REGISTRATIONS):
            flags = spec.types | (RTM_NOTIFY_ONLY_MARKED_DESTS if spec.only_marked else 0)
            status, reg = rtm.RtmRegisterForChangeNotification(self.ents[spec.owner], spec.views, flags, index)
            assert status == NO_ERROR
            assert reg is not None
            self.oracle.regs.append(OReg(spec, reg))
        self.ready = True

    # --- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _protocol_of(owner: int) -> int:
        return ENTITIES[owner][0]

    def _route_info(self, owner: int, a: RouteAttrs) -> RTM_ROUTE_INFO:
        hops = self.nexthops[owner]
        return RTM_ROUTE_INFO(
            Neighbour=None if a.neighbour is None else hops[a.neighbour],
            Flags=a.flags,
            PrefInfo=RTM_PREF_INFO(Metric=a.metric, Preference=a.preference),
            BelongsToViews=a.views,
            EntitySpecificInfo=a.esi,
            NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=len(a.nexthops), NextHops=[hops[i] for i in a.nexthops]),
        )

    def _check_route_info(self, info: RTM_ROUTE_INFO, route: ORoute) -> None:
        """A route's record as the model reports it equals the oracle's."""
        expected = self._route_info(route.owner, route.attrs)
        expected.DestHandle = self.dest_handles[self.oracle.dests[route.prefix].key]
        expected.RouteOwner = self.ents[route.owner]
        expected.State = RTM_ROUTE_STATE_CREATED
        assert expected == info

    def _check_dest_info(
        self, info: RTM_DEST_INFO | None, key: Key, views: int, protocol: int = RTM_BEST_PROTOCOL, caller: int = 0
    ) -> None:
        """A destination's information equals the oracle's view of it: handle, address, BelongsToViews, and per
        requested view (ascending) NumRoutes and the reported best route (per ``protocol``) with its owner and
        flags; no hold-down route (V2-2.6, V2-A-belongs, V2-A-thisproto, V2-A-viewmask)."""
        assert info is not None
        prefix, gen = key
        if key in self.dest_handles:
            assert self.dest_handles[key] is info.DestHandle, key
        assert address_of(prefix) == info.DestAddress
        dest = self.oracle.dests.get(prefix)
        live = dest if dest is not None and dest.gen == gen else None  # None: removed, reported empty
        routes = live.routes if live is not None else []
        assert reduce(or_, (r.attrs.views for r in routes), 0) == info.BelongsToViews, key
        vids = view_ids(views)
        assert len(vids) == info.NumberOfViews
        assert list(vids) == [v.ViewId for v in info.ViewInfo]
        for view in info.ViewInfo:
            vid = view.ViewId
            assert sum(1 for r in routes if r.attrs.views >> vid & 1) == view.NumRoutes, (key, vid)
            best: ORoute | None = None
            if live is not None:
                if protocol == RTM_BEST_PROTOCOL:
                    best = live.best[vid]
                else:
                    wanted = self._protocol_of(caller) if protocol == RTM_THIS_PROTOCOL else protocol
                    best = self.oracle.best_of_protocol(live, vid, self._protocol_of, wanted)
            if best is None:
                assert (view.Route, view.Owner, view.DestFlags) == (None, None, 0), (key, vid, view)
            else:
                expected = (best.handle, self.ents[best.owner], best.attrs.flags)
                assert expected == (view.Route, view.Owner, view.DestFlags), (key, vid)
            assert view.HoldRoute is None

    def _release_dest_info(self, ent: v2model.Entity, info: RTM_DEST_INFO) -> None:
        assert self.rtm.RtmReleaseDestInfo(ent, info).status == NO_ERROR

    def _stats(self) -> dict[str, int]:
        """What rtm.statistics() must say about the table."""
        return {
            "entities": len(self.ents),
            "destinations": len(self.oracle.dests),
            "routes": len(self.oracle.routes()),
            "next_hops": sum(len(h) for h in self.nexthops),
        }

    def _after_mutation(self, change: Change, flags: int | None, *, created: bool = False) -> None:
        """Check a mutating call's output ChangeFlags and its callbacks, and tell the open enumerations."""
        expected_flags = (RTM_ROUTE_CHANGE_BEST if change.best_mask else 0) | (RTM_ROUTE_CHANGE_NEW if created else 0)
        assert expected_flags == flags, change
        events, self.events = self.events, []
        assert [RTM_CHANGE_NOTIFICATION] * len(events) == [e.event_type for e in events], events
        # One callback per registration that went from nothing pending to something pending (A-notify-delivery).
        assert sorted(change.woken) == sorted(e.context2 for e in events), (events, change)
        stats = self._stats()
        for event in events:
            reg = self.oracle.regs[event.context2]
            assert (reg.spec.owner, self.ents[reg.spec.owner], reg.handle) == (
                event.entity,
                event.handle,
                event.context1,
            )
            # The callback ran outside RTM's lock, after the whole mutation.
            assert event.seen is not None, "RTM's lock was held while a change callback ran"
            assert stats == {k: event.seen[k] for k in stats}
        if change.removed is not None:
            assert change.removed in self.dest_handles
            self.removed.add(change.removed)
        for open_enum in self.enums.values():
            open_enum.stable &= set(self.oracle.present(open_enum.views))

    def _pick_route(self, data: st.DataObject) -> ORoute:
        return data.draw(st.sampled_from(self.oracle.routes()), label="route")

    def _has_routes(self) -> bool:
        return bool(self.oracle.dests)

    # --- mutations -------------------------------------------------------------------------------

    @rule(
        owner=st.integers(0, len(ENTITIES) - 1),
        data=st.data(),
        change_flags=strategies.route_change_flags(),
        new=route_attrs(),
    )
    def add_route(self, owner: int, data: st.DataObject, change_flags: int, new: RouteAttrs) -> None:
        """RtmAddRouteToDest without a handle creates a route, or updates the owner's first route on the
        destination with the same neighbour (any neighbour with RTM_ROUTE_CHANGE_FIRST; never with
        RTM_ROUTE_CHANGE_NEW); it returns a referenced handle and RTM_ROUTE_CHANGE_NEW / _BEST; host bits of the
        address are ignored (V2-2.3, V2-2.4, V2-6.5, V2-A-match-add)."""
        address = data.draw(strategies.net_addresses(self.family, host_bits=True), label="DestAddress")
        prefix = to_network(address)
        ent = self.ents[owner]
        existing = None
        if not change_flags & RTM_ROUTE_CHANGE_NEW:
            existing = self.oracle.find(prefix, owner, new.neighbour, first=bool(change_flags & RTM_ROUTE_CHANGE_FIRST))
        info = self._route_info(owner, new)
        result = self.rtm.RtmAddRouteToDest(ent, None, address, info, INFINITE, None, 0, None, change_flags)
        assert result.status == NO_ERROR, result
        assert result.RouteHandle is not None
        if existing is None:
            change = self.oracle.add(prefix, owner, new, result.RouteHandle)
        else:
            assert existing.handle is result.RouteHandle
            change = self.oracle.update(existing, new)
            # The handle came with another reference: give it back.
            assert self.rtm.RtmReleaseRoutes(ent, 1, [result.RouteHandle]).status == NO_ERROR
        self._after_mutation(change, result.ChangeFlags, created=existing is None)

    @precondition(_has_routes)
    @rule(data=st.data(), new=route_attrs(), with_address=st.booleans())
    def update_route_by_handle(self, data: st.DataObject, new: RouteAttrs, with_address: bool) -> None:
        """RtmAddRouteToDest with a route handle replaces every owner-settable field of that very route, whatever
        its neighbour, and hands the same handle back without a new reference (V2-6.5 step 1)."""
        route = self._pick_route(data)
        address = address_of(route.prefix) if with_address else None
        info = self._route_info(route.owner, new)
        result = self.rtm.RtmAddRouteToDest(self.ents[route.owner], route.handle, address, info, INFINITE)
        assert result.status == NO_ERROR, result
        assert route.handle is result.RouteHandle
        self._after_mutation(self.oracle.update(route, new), result.ChangeFlags)

    @precondition(_has_routes)
    @rule(
        data=st.data(),
        field=st.sampled_from(CHANGE_FIELDS),
        in_place=st.booleans(),
        views=strategies.view_masks(),
        flags=strategies.route_flags(),
        value=st.sampled_from(strategies.METRICS),
    )
    def change_route(self, data: st.DataObject, field: str, in_place: bool, views: int, flags: int, value: int) -> None:
        """One field of a route changes, in place (RtmLockRoute, edit, RtmUpdateAndUnlockRoute) or by the
        documented read-edit-add sequence (RtmGetRouteInfo, RtmAddRouteToDest by handle, RtmReleaseRouteInfo);
        owner data alone or an unchanged route notify nobody (V2-2.14, V2-7, V2-A-notify-trigger)."""
        route = self._pick_route(data)
        old = route.attrs
        new = {
            "metric": attrs.evolve(old, metric=value),
            "preference": attrs.evolve(old, preference=value - 1),
            "views": attrs.evolve(old, views=views),
            "flags": attrs.evolve(old, flags=flags),
            "nexthops": attrs.evolve(old, nexthops=old.nexthops[1:] if old.nexthops else (value % 2,)),
            "neighbour": attrs.evolve(old, neighbour=None if old.neighbour is not None else value % 2),
            "esi": attrs.evolve(old, esi=old.esi + 1),
            "nothing": old,
        }[field]
        ent = self.ents[route.owner]
        rtm = self.rtm
        if in_place and field not in ("nexthops", "neighbour"):
            # (Next hops edited in place would need manual reference juggling, V2-2.14; not this test's topic.)
            status, pointer = rtm.RtmLockRoute(ent, route.handle, True, True)
            assert status == NO_ERROR
            assert pointer is not None
            self._check_route_info(pointer, route)
            pointer.PrefInfo.Metric = new.metric
            pointer.PrefInfo.Preference = new.preference
            pointer.BelongsToViews = new.views
            pointer.Flags = new.flags
            pointer.EntitySpecificInfo = new.esi
            status, out_flags = rtm.RtmUpdateAndUnlockRoute(ent, route.handle, INFINITE, None, 0, None)
            assert status == NO_ERROR
        else:
            status, info, dest_address = rtm.RtmGetRouteInfo(ent, route.handle)
            assert status == NO_ERROR
            assert info is not None
            assert address_of(route.prefix) == dest_address
            self._check_route_info(info, route)
            result = rtm.RtmAddRouteToDest(ent, route.handle, None, self._route_info(route.owner, new), INFINITE)
            assert result.status == NO_ERROR
            assert route.handle is result.RouteHandle
            out_flags = result.ChangeFlags
            assert rtm.RtmReleaseRouteInfo(ent, info).status == NO_ERROR
        self._after_mutation(self.oracle.update(route, new), out_flags)

    @precondition(_has_routes)
    @rule(data=st.data())
    def delete_route(self, data: st.DataObject) -> None:
        """RtmDeleteRouteToDest deletes the route and consumes its handle; RTM_ROUTE_CHANGE_BEST says a view's
        best route changed; the last route takes the destination with it (V2-6.5, V2-A-dest-lifetime)."""
        self._delete(self._pick_route(data))

    def _delete(self, route: ORoute) -> None:
        status, flags = self.rtm.RtmDeleteRouteToDest(self.ents[route.owner], route.handle)
        assert status == NO_ERROR
        self._after_mutation(self.oracle.delete(route), flags)

    # --- change notification ---------------------------------------------------------------------

    @precondition(_has_routes)
    @rule(data=st.data(), reg_index=st.integers(0, len(REGISTRATIONS) - 1), mark=st.booleans())
    def mark_destination(self, data: st.DataObject, reg_index: int, mark: bool) -> None:
        """RtmMarkDestForChangeNotification marks or unmarks a present destination on a registration and
        RtmIsMarkedForChangeNotification says so; only RTM_NOTIFY_ONLY_MARKED_DESTS registrations care (2.9)."""
        prefix = data.draw(st.sampled_from(self.oracle.present()), label="prefix")
        reg = self.oracle.regs[reg_index]
        ent = self.ents[reg.spec.owner]
        rtm = self.rtm
        status, info = rtm.RtmGetExactMatchDestination(ent, address_of(prefix), RTM_BEST_PROTOCOL, 0)
        assert status == NO_ERROR
        assert info is not None
        dest = info.DestHandle
        assert dest is not None
        assert rtm.RtmMarkDestForChangeNotification(ent, reg.handle, dest, mark).status == NO_ERROR
        assert (NO_ERROR, mark) == tuple(rtm.RtmIsMarkedForChangeNotification(ent, reg.handle, dest))
        self._release_dest_info(ent, info)
        key = self.oracle.dests[prefix].key
        if mark:
            reg.marked.add(key)
        else:
            reg.marked.discard(key)

    @rule(reg_index=st.integers(0, len(REGISTRATIONS) - 1), batch=st.integers(1, 3), complete=st.booleans())
    def drain(self, reg_index: int, batch: int, complete: bool) -> None:
        """RtmGetChangedDests returns each destination recorded for the registration exactly once (coalesced),
        oldest first, with its latest state (removed ones without routes), in batches; ERROR_NO_MORE_ITEMS comes
        with the last one; RtmReleaseChangedDests releases them. Stopping early leaves the rest pending
        (A-getchanged, A-notify-delivery)."""
        self._drain(reg_index, batch, complete=complete)

    @rule(batch=st.integers(1, 3))
    def drain_all(self, batch: int) -> None:
        """Every registration drained: the next change of any kind is recorded afresh, which exposes changes
        recorded for the wrong registrations (A-notify-trigger) that coalescing would otherwise hide."""
        for index in range(len(REGISTRATIONS)):
            self._drain(index, batch)

    def _drain(self, reg_index: int, batch: int, *, complete: bool = True) -> None:
        reg = self.oracle.regs[reg_index]
        ent = self.ents[reg.spec.owner]
        expected = list(reg.pending)
        got: list[Key] = []
        for _ in range(len(expected) // batch + 1):
            status, count, infos = self.rtm.RtmGetChangedDests(ent, reg.handle, batch)
            assert infos is not None
            assert count == len(infos)
            for info in infos:
                assert info.DestHandle is not None
                key = self.key_of[info.DestHandle]
                self._check_dest_info(info, key, reg.spec.views)
                got.append(key)
            assert self.rtm.RtmReleaseChangedDests(ent, reg.handle, count, infos).status == NO_ERROR
            assert expected[: len(got)] == got
            assert (ERROR_NO_MORE_ITEMS if len(got) == len(expected) else NO_ERROR) == status
            if status == ERROR_NO_MORE_ITEMS or not complete:
                break
        assert expected == got or not complete
        for key in got:
            del reg.pending[key]
        assert not self.events, "a change callback during RtmGetChangedDests"

    # --- enumerations ----------------------------------------------------------------------------

    @precondition(lambda self: len(self.enums) < len(ENUM_VIEWS))
    @rule(data=st.data())
    def open_dest_enum(self, data: st.DataObject) -> None:
        """RtmCreateDestEnum(RTM_ENUM_START) opens a destination enumeration (ANY or UCAST) that stays open
        while the table changes."""
        name = data.draw(st.sampled_from(sorted(set(ENUM_VIEWS) - set(self.enums))), label="enum")
        views = ENUM_VIEWS[name]
        status, handle = self.rtm.RtmCreateDestEnum(self.ents[2], views, RTM_ENUM_START, None, RTM_BEST_PROTOCOL)
        assert status == NO_ERROR
        assert handle is not None
        self.enums[name] = OpenEnum(views, handle, stable=set(self.oracle.present(views)))

    @precondition(lambda self: bool(self.enums))
    @rule(data=st.data(), count=st.integers(1, 3))
    def enum_step(self, data: st.DataObject, count: int) -> None:
        """RtmGetEnumDests resumes strictly after the last destination returned, in address order (shorter prefix
        first), over the table as it is now, with current information; it never returns a destination twice, and
        by the end every destination that matched throughout came exactly once (A-enum-order, A-enum-filters)."""
        name = data.draw(st.sampled_from(sorted(self.enums)), label="enum")
        open_enum = self.enums[name]
        ent = self.ents[2]
        status, num, infos = self.rtm.RtmGetEnumDests(ent, open_enum.handle, count)
        assert infos is not None
        assert num == len(infos)
        cursor = open_enum.cursor
        after = [p for p in self.oracle.present(open_enum.views) if cursor is None or sort_key(p) > cursor]
        got = [to_network(info.DestAddress) for info in infos]
        assert after[:count] == got
        assert (NO_ERROR if len(after) > count else ERROR_NO_MORE_ITEMS) == status
        for prefix, info in zip(got, infos, strict=True):
            self._check_dest_info(info, self.oracle.dests[prefix].key, open_enum.views)
        assert self.rtm.RtmReleaseDests(ent, num, infos).status == NO_ERROR
        if got:
            open_enum.cursor = sort_key(got[-1])
        open_enum.returned += got
        assert len(set(open_enum.returned)) == len(open_enum.returned)
        if status == ERROR_NO_MORE_ITEMS:
            assert open_enum.stable <= set(open_enum.returned), open_enum.stable - set(open_enum.returned)
            self._close_enum(name)

    def _close_enum(self, name: str) -> None:
        open_enum = self.enums.pop(name)
        assert self.rtm.RtmDeleteEnumHandle(self.ents[2], open_enum.handle).status == NO_ERROR

    # --- lookups ---------------------------------------------------------------------------------

    @rule(data=st.data(), views=st.sampled_from((*LOOKUP_VIEWS, BOTH_VIEWS, RTM_VIEW_MASK_ALL)))
    def walk_up_from_address(self, data: st.DataObject, views: int) -> None:
        """RtmGetMostSpecificDestination for a host address, then RtmGetLessSpecificDestination until
        ERROR_NOT_FOUND, visits exactly the present prefixes covering the address that have a route in the
        target views, longest first (V2-7 "prefix walk", A-lpm, A-viewmask)."""
        address = data.draw(strategies.host_net_addresses(self.family), label="address")
        host = to_network(address)
        query_views = views & BOTH_VIEWS
        expected: list[Network] = []
        found = self.oracle.longest_match(host, host.prefixlen, query_views)
        while found is not None:
            expected.append(found.prefix)
            found = self.oracle.longest_match(host, found.prefix.prefixlen - 1, query_views)
        rtm = self.rtm
        ent = self.ents[1]
        walked: list[Network] = []
        status, info = rtm.RtmGetMostSpecificDestination(ent, address, RTM_BEST_PROTOCOL, views)
        while status == NO_ERROR:
            assert info is not None
            assert info.DestHandle is not None
            prefix = to_network(info.DestAddress)
            walked.append(prefix)
            assert expected[: len(walked)] == walked
            self._check_dest_info(info, self.oracle.dests[prefix].key, query_views)
            status, next_info = rtm.RtmGetLessSpecificDestination(ent, info.DestHandle, RTM_BEST_PROTOCOL, views)
            self._release_dest_info(ent, info)
            info = next_info
        assert (status, info) == (ERROR_NOT_FOUND, None)
        assert expected == walked

    # --- the comparison after every step ---------------------------------------------------------

    @invariant()
    def model_is_consistent(self) -> None:
        """After every step the model's own invariants hold: indexes, best routes, reference counts and
        registrations agree with each other (rtm.check_invariants)."""
        self.rtm.check_invariants()

    @invariant()
    def model_matches_oracle(self) -> None:
        """After every step the model's statistics, destinations, best routes, lookups, pending notifications and
        handles agree with the oracle (V2-2.6, V2-A-tie, V2-A-belongs, V2-A-dest-lifetime, V2-A-lpm, V2-A-viewmask)."""
        assert not self.events, self.events  # callbacks come only from mutations, and each was checked there
        self.steps += 1
        rtm = self.rtm
        caller = self.ents[0]
        oracle = self.oracle
        routes = oracle.routes()
        expected_stats = self._stats()
        expected_stats["open_handles"] = len(routes) + expected_stats["next_hops"]  # the test holds one of each
        assert expected_stats == rtm.statistics()

        # Exact match finds present destinations whatever their views (A-lpm); the target views rotate.
        views = EXACT_VIEWS[self.steps % len(EXACT_VIEWS)]
        for prefix in self.pool:
            status, info = rtm.RtmGetExactMatchDestination(caller, address_of(prefix), RTM_BEST_PROTOCOL, views)
            dest = oracle.dests.get(prefix)
            if dest is None:
                assert (status, info) == (ERROR_NOT_FOUND, None), prefix
                continue
            assert status == NO_ERROR
            assert info is not None
            self._learn(dest.key, info.DestHandle)
            self._check_dest_info(info, dest.key, views & BOTH_VIEWS)
            self._release_dest_info(caller, info)
            # The best route of one protocol: RIP for entity 0 (two RIP instances), OSPF by its id (A-thisproto).
            for protocol in (RTM_THIS_PROTOCOL, PROTO_IP_OSPF):
                status, info = rtm.RtmGetDestInfo(caller, self.dest_handles[dest.key], protocol, BOTH_VIEWS)
                assert status == NO_ERROR
                assert info is not None
                self._check_dest_info(info, dest.key, BOTH_VIEWS, protocol)
                self._release_dest_info(caller, info)

        for route in routes:
            best = oracle.dests[route.prefix].best
            expected_mask = reduce(or_, (1 << v for v in VIEW_IDS if best[v] is route), 0)
            assert (NO_ERROR, expected_mask) == tuple(rtm.RtmIsBestRoute(caller, route.handle))

        # Longest-prefix match with each pool prefix as the address, and one step up from each destination.
        for views in LOOKUP_VIEWS:
            for prefix in self.pool:
                status, info = rtm.RtmGetMostSpecificDestination(caller, address_of(prefix), RTM_BEST_PROTOCOL, views)
                self._check_lookup(status, info, oracle.longest_match(prefix, prefix.prefixlen, views), views)
            for prefix, dest in oracle.dests.items():
                status, info = rtm.RtmGetLessSpecificDestination(
                    caller, self.dest_handles[dest.key], RTM_BEST_PROTOCOL, views
                )
                found = oracle.longest_match(prefix, prefix.prefixlen - 1, views) if prefix.prefixlen else None
                self._check_lookup(status, info, found, views)

        # What each registration has pending (A-notify-trigger), for present and removed-but-pending dests.
        pending_anywhere = {key for reg in oracle.regs for key in reg.pending}
        keys = {d.key for d in oracle.dests.values()} | pending_anywhere
        for reg in oracle.regs:
            ent = self.ents[reg.spec.owner]
            for key in keys:
                status, pending = rtm.RtmGetChangeStatus(ent, reg.handle, self.dest_handles[key])
                assert (NO_ERROR, key in reg.pending) == (status, pending), (reg.spec, key)

        # A removed destination lives on while a registration has it pending, reported without routes and no
        # longer a starting point for walks; after that its handle is invalid (A-dest-lifetime, A-lpm, A-refs).
        for key in sorted(self.removed, key=lambda k: (sort_key(k[0]), k[1])):
            handle = self.dest_handles[key]
            status, info = rtm.RtmGetDestInfo(caller, handle, RTM_BEST_PROTOCOL, BOTH_VIEWS)
            if key in pending_anywhere:
                assert status == NO_ERROR
                self._check_dest_info(info, key, BOTH_VIEWS)
                assert info is not None
                self._release_dest_info(caller, info)
                less = rtm.RtmGetLessSpecificDestination(caller, handle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY)
                assert (ERROR_INVALID_PARAMETER, None) == tuple(less)
            else:
                assert (ERROR_INVALID_HANDLE, None) == (status, info), key
                self.removed.discard(key)

        # Every handle and structure this step obtained was released again.
        assert expected_stats["open_handles"] == rtm.statistics()["open_handles"]

    def _learn(self, key: Key, handle: v2model.Dest | None) -> None:
        """Remember a destination object's handle: one object per (prefix, generation), never reused."""
        assert handle is not None
        known = self.dest_handles.get(key)
        if known is None:
            assert handle not in self.key_of, (key, self.key_of.get(handle))
            self.dest_handles[key] = handle
            self.key_of[handle] = key
        else:
            assert known is handle, key

    def _check_lookup(self, status: int, info: RTM_DEST_INFO | None, found: ODest | None, views: int) -> None:
        if found is None:
            assert (status, info) == (ERROR_NOT_FOUND, None)
            return
        assert status == NO_ERROR
        assert info is not None
        assert found.prefix == to_network(info.DestAddress)
        self._check_dest_info(info, found.key, views)
        self._release_dest_info(self.ents[0], info)

    # --- the end ---------------------------------------------------------------------------------

    def teardown(self) -> None:
        """Clean up like a well-behaved client (close enumerations, delete routes, drain and deregister the
        notifications, delete next hops, deregister) and require an empty leak report (V2-2.15, V2-A-dereg)."""
        if sys.exc_info()[0] is not None or not self.ready:
            self.rtm.close()  # a step already failed: that failure is the report, don't mask it
            return
        rtm = self.rtm
        for name in list(self.enums):
            self._close_enum(name)
        for route in self.oracle.routes():
            self._delete(route)
        for index in range(len(self.oracle.regs)):
            self._drain(index, 3)
        for reg in self.oracle.regs:
            assert rtm.RtmDeregisterFromChangeNotification(self.ents[reg.spec.owner], reg.handle).status == NO_ERROR
        for ent, hops in zip(self.ents, self.nexthops, strict=True):
            for nh in hops:
                assert rtm.RtmDeleteNextHop(ent, nh, None).status == NO_ERROR
        assert v2model.LeakReport() == rtm.leak_report()
        for ent in self.ents:
            assert rtm.RtmDeregisterEntity(ent).status == NO_ERROR
        assert v2model.LeakReport() == rtm.leak_report()
        stats = ("entities", "destinations", "routes", "next_hops", "open_handles")
        assert dict.fromkeys(stats, 0) == rtm.statistics()
        rtm.close()


class TestRtmModelAgainstOracle(RtmModelMachine.TestCase):  # type: ignore[misc,valid-type]
    """The model agrees with the oracle after every step of random route changes, notifications, enumerations and
    lookups, and every run ends with an empty leak report."""


# =====================================================================================================
# Regression tests for the model bugs this test found (plain call sequences)
# =====================================================================================================


def _register(rtm: v2model.RoutingTableManager, callback: Any = None) -> v2model.Entity:
    info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(PROTO_IP_RIP, 0))
    status, _profile, ent = rtm.RtmRegisterEntity(info, None, callback, False)
    assert status == NO_ERROR
    assert ent is not None
    return ent


def test_marked_destination_losing_its_last_route_is_reported(rtm: v2model.RoutingTableManager) -> None:
    """An RTM_NOTIFY_ONLY_MARKED_DESTS registration learns that a marked destination lost its last route: the
    change happens while the destination is marked, and empty destinations are reported so clients can withdraw
    them; the marks go with the destination afterwards (V2-2.9, V2-A-dest-lifetime, V2-A-getchanged)."""
    notified: list[Any] = []

    def callback(*args: Any) -> int:
        notified.append(args)
        return NO_ERROR

    rip = _register(rtm, callback)
    flags = RTM_CHANGE_TYPE_BEST | RTM_NOTIFY_ONLY_MARKED_DESTS
    status, reg = rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, flags, None)
    assert status == NO_ERROR
    assert reg is not None
    info = RTM_ROUTE_INFO(PrefInfo=RTM_PREF_INFO(Metric=1), BelongsToViews=RTM_VIEW_MASK_UCAST)
    status, route, _flags = rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), info, INFINITE)
    assert status == NO_ERROR
    assert route is not None
    status, dest_info = rtm.RtmGetExactMatchDestination(rip, net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, 0)
    assert status == NO_ERROR
    assert dest_info is not None
    assert dest_info.DestHandle is not None
    assert rtm.RtmMarkDestForChangeNotification(rip, reg, dest_info.DestHandle, True).status == NO_ERROR
    assert rtm.RtmReleaseDestInfo(rip, dest_info).status == NO_ERROR

    assert (NO_ERROR, RTM_ROUTE_CHANGE_BEST) == tuple(rtm.RtmDeleteRouteToDest(rip, route))

    _status, _count, changed = rtm.RtmGetChangedDests(rip, reg, 10)
    assert changed is not None
    assert [("10.1.0.0/16", 0)] == [(str(to_network(d.DestAddress)), d.ViewInfo[0].NumRoutes) for d in changed]
    assert 1 == len(notified)
    assert rtm.RtmReleaseChangedDests(rip, reg, len(changed), changed).status == NO_ERROR


def test_empty_enum_batch_leaves_no_information_structure(rtm: v2model.RoutingTableManager) -> None:
    """An RtmGetEnumDests call that returns no destination hands out no information structure, so a client that
    releases what it got and closes the enumeration holds nothing (V2-2.13, V2-A-refs)."""
    rip = _register(rtm)
    status, enum = rtm.RtmCreateDestEnum(rip, RTM_VIEW_MASK_ANY, RTM_ENUM_START, None, RTM_BEST_PROTOCOL)
    assert status == NO_ERROR
    assert enum is not None
    status, count, infos = rtm.RtmGetEnumDests(rip, enum, 1)
    assert (ERROR_NO_MORE_ITEMS, 0, []) == (status, count, infos)
    assert rtm.RtmReleaseDests(rip, 0, []).status == NO_ERROR
    assert rtm.RtmDeleteEnumHandle(rip, enum).status == NO_ERROR
    assert v2model.LeakReport() == rtm.leak_report()
