"""The RTMv2 side of the stress scenario: native entities on their own threads, on the system clock, so their
callbacks come on RTM's delivery threads (M-DELIVERY).

Each entity guards its state with its own ``threading.Lock`` (not re-entrant), held across each RTM call and taken
by its callback: a callback run on the calling thread, or under an RTM lock the calling thread waits for, would
deadlock at once. Entities keep handles of their lasting routes and add short-lived ones with ``v2model.NULL``
(M-NULL), answering RTM_ROUTE_EXPIRED three ways: refresh through Context2 and RtmUpdateAndUnlockRoute as
Microsoft's sample does, delete it themselves, or ERROR_NOT_SUPPORTED (V2-A-ttl). Watchers keep every destination's
best route from their change notifications (V2-A-notify-delivery) and must agree with the table at quiescent points.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections import Counter
from typing import Any, NamedTuple

import v2model
from rtmcompat import ip_address
from v2model import (
    AF_INET,
    ERROR_BUSY,
    ERROR_INVALID_HANDLE,
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_FOUND,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    NO_ERROR,
    NULL,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_BEST,
    RTM_DEST_INFO,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_REGISTERED,
    RTM_ENUM_OWN_ROUTES,
    RTM_ENUM_START,
    RTM_MATCH_NONE,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_EXPIRED,
    RTM_ROUTE_INFO,
    RTM_VIEW_ID_UCAST,
    RTM_VIEW_MASK_UCAST,
    format_net_address,
    net_address,
)

from .world import (
    IP_NETWORKS,
    IP_PAIRS,
    V1_SENTINEL_NETWORKS,
    V2_PROTOCOL,
    V2_SENTINEL_PREFIXES,
    V2_SENTINEL_PROTOCOL,
    World,
)

#: The destinations native entities compete for (the v1 clients' IP networks), and a host inside each.
NET_ADDRS = [net_address(p) for p in IP_NETWORKS]
HOSTS = [text.rsplit(".", 1)[0] + ".9" for text in (p.split("/")[0] for p in IP_NETWORKS)]
HOST_ADDRS = [net_address(h) for h in HOSTS]
HOST_DWORDS = [ip_address(h) for h in HOSTS]
#: Every IP destination the scenario can create, for the watchers' comparison.
ALL_PREFIXES = IP_NETWORKS + V1_SENTINEL_NETWORKS + V2_SENTINEL_PREFIXES
#: Time-to-live of short-lived routes, in ms (0 expires at once, V2-A-ttl).
TTLS_MS = (0, 5, 20, 50, 150)
#: Batch size of enumerations and change retrieval (at most the profile's MaxHandlesInEnum, V2-A-config).
BATCH = 10
LOOP_LIMIT = 10_000

#: A watcher's record of a destination's best route: (owner, preference, metric), or None.
Best = tuple[str, int, int] | None


class InjectedFaultError(RuntimeError):
    """What a faulty callback raises on purpose (M-FAULTS: recorded in diagnostics, never reaches a caller)."""


class Kept(NamedTuple):
    """A lasting route an entity holds a handle of, with the cost it gave it."""

    handle: v2model.Route
    metric: int
    preference: int


def route_info(hop: v2model.NextHop, metric: int, preference: int) -> RTM_ROUTE_INFO:
    """A unicast route through ``hop`` (also its neighbour)."""
    return RTM_ROUTE_INFO(
        Neighbour=hop,
        PrefInfo=RTM_PREF_INFO(Metric=metric, Preference=preference),
        BelongsToViews=RTM_VIEW_MASK_UCAST,
        NextHopsList=RTM_NEXTHOP_LIST(1, [hop]),
    )


def dest_key(info: RTM_DEST_INFO) -> tuple[int, int]:
    """A destination's place in enumeration order (V2-A-enum-order)."""
    address = info.DestAddress
    return int.from_bytes(bytes(address.AddrBits)[:4], "big"), address.NumBits


class V2Entity:
    """A native RTMv2 entity: ``role`` is "worker", "watcher" (with a BEST change registration it mirrors) or
    "careless" (it deregisters still holding routes, next hops and handles: a deliberate leak, V2-A-dereg).
    ``faulty`` makes its change callback raise after every fifth drain."""

    def __init__(self, world: World, name: str, index: int, role: str, faulty: bool, seed: int) -> None:
        self.world = world
        self.rtm = world.rtm
        self.name = name
        self.index = index
        self.role = role
        self.faulty = faulty
        self.protocol = V2_PROTOCOL + index
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.entity: v2model.Entity | None = None
        self.hops: tuple[v2model.NextHop, v2model.NextHop] | None = None
        self.notify: v2model.NotifyReg | None = None
        #: Lasting routes by index into NET_ADDRS.
        self.kept: dict[int, Kept] = {}
        #: The watcher's mirror: best route per destination prefix.
        self.view: dict[str, Best] = {}
        self.ops: Counter[str] = Counter()
        #: Callbacks by kind ("change", "expired", "entity", and "lock busy" retries), apart from the operations.
        self.callbacks: Counter[str] = Counter()
        #: Names of the registrations this (careless) entity left holding everything: the deliberate leaks.
        self.careless_names: list[str] = []
        ops = [
            ("add", 25, self.add),
            ("update", 10, self.update),
            ("add short-lived", 20, self.add_short),
            ("delete", 12, self.delete),
            ("lookup", 10, self.lookup),
            ("route info", 6, self.check_route),
            ("dest enum", 4, self.dest_enum),
            ("own route enum", 4, self.own_enum),
        ]
        if role != "watcher":
            ops.append(("reregister", 1, self.reregister))
        self._names = [name for name, _, _ in ops]
        self._weights = [weight for _, weight, _ in ops]
        self._calls = {name: call for name, _, call in ops}

    def _expect(self, what: str, status: object, allowed: tuple[int, ...] = (NO_ERROR,)) -> bool:
        return self.world.expect(self.name, what, status, allowed)

    # --- registration -------------------------------------------------------------------------------------------

    def register(self) -> None:
        """RtmRegisterEntity with the callback, two next hops (one for lasting, one for short-lived routes) and,
        for a watcher, a BEST change registration of the unicast view."""
        with self.lock:
            self._register()

    def _register(self) -> None:
        rtm = self.rtm
        info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(self.protocol, 0))
        status, _profile, entity = rtm.RtmRegisterEntity(info, None, self.callback, False)
        if not self._expect("RtmRegisterEntity", status) or entity is None:
            return
        self.entity = entity
        hops = []
        for block in (100, 101):
            hop_info = RTM_NEXTHOP_INFO(
                NextHopAddress=net_address(f"198.51.{block}.{self.index + 1}"), InterfaceIndex=10 + self.index
            )
            status, hop, _ = rtm.RtmAddNextHop(entity, hop_info, None)
            self._expect("RtmAddNextHop", status)
            assert hop is not None
            hops.append(hop)
        self.hops = (hops[0], hops[1])
        if self.role == "watcher":
            status, self.notify = rtm.RtmRegisterForChangeNotification(
                entity, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, None
            )
            self._expect("RtmRegisterForChangeNotification", status)

    def leave(self) -> None:
        """Leave: a careless entity just deregisters; the others clean up first (V2-2.15), so that their
        deregistration leaves no record."""
        with self.lock:
            self._leave()

    def _leave(self) -> None:
        entity, hops = self.entity, self.hops
        if entity is None or hops is None:
            return
        rtm = self.rtm
        if self.role == "careless":
            self.careless_names.append(repr(entity))
            self._expect("RtmDeregisterEntity (careless)", rtm.RtmDeregisterEntity(entity).status)
        else:
            if self.notify is not None:
                status = rtm.RtmDeregisterFromChangeNotification(entity, self.notify).status
                self._expect("RtmDeregisterFromChangeNotification", status)
            for kept in self.kept.values():
                self._expect("RtmDeleteRouteToDest", rtm.RtmDeleteRouteToDest(entity, kept.handle).status)
            for route in self._own_routes():
                status = rtm.RtmDeleteRouteToDest(entity, route).status
                if self._expect("RtmDeleteRouteToDest", status, (NO_ERROR, ERROR_NOT_FOUND)) and status:
                    rtm.RtmReleaseRoutes(entity, 1, [route])  # it expired meanwhile: the handle stays ours
            for hop in hops:
                self._expect("RtmDeleteNextHop", rtm.RtmDeleteNextHop(entity, hop, None).status)
            self._expect("RtmDeregisterEntity", rtm.RtmDeregisterEntity(entity).status)
            status = rtm.RtmDeregisterEntity(entity).status
            self._expect("RtmDeregisterEntity (again)", status, (ERROR_INVALID_HANDLE,))
        self.entity = self.hops = self.notify = None
        self.kept.clear()
        self.ops["deregister"] += 1

    def reregister(self) -> None:
        """Leave, then register again (a new registration handle; the old one is dead). The lock is held."""
        self._leave()
        self._register()

    def _own_routes(self) -> list[v2model.Route]:
        """Every route of the caller (RTM_ENUM_OWN_ROUTES), referenced; the caller releases or deletes them."""
        rtm, entity = self.rtm, self.entity
        assert entity is not None
        status, enum = rtm.RtmCreateRouteEnum(
            entity, None, RTM_VIEW_MASK_UCAST, RTM_ENUM_START | RTM_ENUM_OWN_ROUTES, None, RTM_MATCH_NONE, None, 0
        )
        routes: list[v2model.Route] = []
        if not self._expect("RtmCreateRouteEnum", status) or enum is None:
            return routes
        for _ in range(LOOP_LIMIT):
            status, _count, handles = rtm.RtmGetEnumRoutes(entity, enum, BATCH)
            if not self._expect("RtmGetEnumRoutes", status, (NO_ERROR, ERROR_NO_MORE_ITEMS)):
                break
            routes.extend(handles or ())
            if status == ERROR_NO_MORE_ITEMS:
                break
        self._expect("RtmDeleteEnumHandle", rtm.RtmDeleteEnumHandle(entity, enum).status)
        return routes

    # --- operations ---------------------------------------------------------------------------------------------

    def step(self) -> None:
        """One operation, chosen by the entity's own random sequence."""
        name = self.rng.choices(self._names, self._weights)[0]
        with self.lock:
            if self.entity is None:
                return
            self._calls[name]()
        self.ops[name] += 1

    def add(self, where: int | None = None) -> None:
        """A lasting route (RtmAddRouteToDest with a pointer to a NULL handle: a new referenced handle, M-OUT-HANDLES),
        or an update of the one already there through its handle (the same handle comes back)."""
        entity, hops = self.entity, self.hops
        assert entity is not None
        assert hops is not None
        rng = self.rng
        p = rng.randrange(len(NET_ADDRS)) if where is None else where
        metric, preference = rng.randint(1, 15), rng.choice((100, 110, 120, 130))
        info = route_info(hops[0], metric, preference)
        kept = self.kept.get(p)
        if kept is None:
            status, handle, _ = self.rtm.RtmAddRouteToDest(entity, None, NET_ADDRS[p], info, INFINITE)
        else:
            status, handle, _ = self.rtm.RtmAddRouteToDest(entity, kept.handle, None, info, INFINITE)
            if status == NO_ERROR and handle is not kept.handle:
                self.world.failures.add(f"{self.name}: an update by handle returned another handle")
        if self._expect("RtmAddRouteToDest", status) and handle is not None:
            self.kept[p] = Kept(handle, metric, preference)

    def update(self) -> None:
        """An update of a lasting route through its handle."""
        self.add(self.rng.choice(list(self.kept)) if self.kept else None)

    def add_short(self) -> None:
        """A short-lived route through the second next hop, added with NULL (no handle, no reference, M-NULL)."""
        entity, hops = self.entity, self.hops
        assert entity is not None
        assert hops is not None
        rng = self.rng
        info = route_info(hops[1], rng.randint(1, 9), rng.choice((100, 110, 120, 130)))
        where = NET_ADDRS[rng.randrange(len(NET_ADDRS))]
        status, handle, _ = self.rtm.RtmAddRouteToDest(entity, NULL, where, info, rng.choice(TTLS_MS))
        if self._expect("RtmAddRouteToDest(NULL)", status) and handle is not None:
            self.world.failures.add(f"{self.name}: RtmAddRouteToDest(NULL) returned a handle")

    def delete(self) -> None:
        """RtmDeleteRouteToDest of a lasting route: always there (nobody else can delete it, V2-A-match-add)."""
        if not self.kept:
            return
        p = self.rng.choice(list(self.kept))
        entity = self.entity
        assert entity is not None
        self._expect("RtmDeleteRouteToDest", self.rtm.RtmDeleteRouteToDest(entity, self.kept.pop(p).handle).status)

    def lookup(self) -> None:
        """Longest-prefix match of a host (V2-A-lpm): found, and at least as specific as, the entity's own
        lasting route covering it; then an exact match of a lasting route's destination."""
        rtm, entity = self.rtm, self.entity
        assert entity is not None
        p = self.rng.randrange(len(HOST_ADDRS))
        host = HOST_DWORDS[p]
        covering = [bin(IP_PAIRS[q][1]).count("1") for q in self.kept if host & IP_PAIRS[q][1] == IP_PAIRS[q][0]]
        status, info = rtm.RtmGetMostSpecificDestination(entity, HOST_ADDRS[p], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
        allowed = (NO_ERROR,) if covering else (NO_ERROR, ERROR_NOT_FOUND)
        if self._expect("RtmGetMostSpecificDestination", status, allowed) and info is not None:
            if covering and info.DestAddress.NumBits < max(covering):
                self.world.failures.add(
                    f"{self.name}: lookup of {HOSTS[p]} gave {format_net_address(info.DestAddress)}"
                )
            self._expect("RtmReleaseDestInfo", rtm.RtmReleaseDestInfo(entity, info).status)
        if self.kept:
            q = self.rng.choice(list(self.kept))
            status, info = rtm.RtmGetExactMatchDestination(entity, NET_ADDRS[q], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
            if self._expect("RtmGetExactMatchDestination(own destination)", status) and info is not None:
                self._expect("RtmReleaseDestInfo", rtm.RtmReleaseDestInfo(entity, info).status)

    def check_route(self, p: int | None = None) -> None:
        """RtmGetRouteInfo of a lasting route: the caller's, with the cost it gave (V2-A-match-add: nobody else
        can change it); RtmIsBestRoute answers."""
        if not self.kept:
            return
        rtm, entity = self.rtm, self.entity
        assert entity is not None
        p = self.rng.choice(list(self.kept)) if p is None else p
        kept = self.kept[p]
        status, info, _ = rtm.RtmGetRouteInfo(entity, kept.handle)
        if not self._expect("RtmGetRouteInfo(own route)", status) or info is None:
            return
        got = (info.RouteOwner == entity, info.PrefInfo.Metric, info.PrefInfo.Preference)
        if got != (True, kept.metric, kept.preference):
            self.world.failures.add(f"{self.name}: its route on {IP_NETWORKS[p]} reads {got}, it set {kept}")
        self._expect("RtmReleaseRouteInfo", rtm.RtmReleaseRouteInfo(entity, info).status)
        self._expect("RtmIsBestRoute", rtm.RtmIsBestRoute(entity, kept.handle).status)

    def dest_enum(self) -> None:
        """A destination enumeration from the start: strictly ascending (a live cursor never goes back or repeats,
        V2-A-enum-order), everything released."""
        rtm, entity = self.rtm, self.entity
        assert entity is not None
        status, enum = rtm.RtmCreateDestEnum(entity, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_BEST_PROTOCOL)
        if not self._expect("RtmCreateDestEnum", status) or enum is None:
            return
        last: tuple[int, int] | None = None
        for _ in range(LOOP_LIMIT):
            status, count, infos = rtm.RtmGetEnumDests(entity, enum, BATCH)
            if not self._expect("RtmGetEnumDests", status, (NO_ERROR, ERROR_NO_MORE_ITEMS)):
                break
            assert count is not None
            assert infos is not None
            for info in infos:
                key = dest_key(info)
                if last is not None and key <= last:
                    self.world.failures.add(f"{self.name}: destination enumeration went from {last} to {key}")
                last = key
            self._expect("RtmReleaseDests", rtm.RtmReleaseDests(entity, count, infos).status)
            if status == ERROR_NO_MORE_ITEMS:
                break
        self._expect("RtmDeleteEnumHandle", rtm.RtmDeleteEnumHandle(entity, enum).status)

    def own_enum(self, exact: bool = False) -> None:
        """RTM_ENUM_OWN_ROUTES: every lasting route is among them (with ``exact``, at a quiescent point when the
        short-lived ones are gone: exactly them)."""
        entity = self.entity
        assert entity is not None
        routes = self._own_routes()
        found = {id(r) for r in routes}
        kept = {id(k.handle) for k in self.kept.values()}
        if not kept <= found or (exact and kept != found):
            self.world.failures.add(f"{self.name}: its own routes are {len(found)}, it keeps {len(kept)}: {routes}")
        if routes:
            self._expect("RtmReleaseRoutes", self.rtm.RtmReleaseRoutes(entity, len(routes), routes).status)

    # --- the callback -------------------------------------------------------------------------------------------

    def callback(self, handle: Any, event: int, context1: Any, context2: Any) -> int:
        """RTM_EVENT_CALLBACK: takes the entity's own lock, as C code takes its critical section."""
        try:
            with self.lock:
                return self._on_event(handle, event, context1, context2)
        except InjectedFaultError:
            raise
        except Exception as exc:
            self.world.failures.add(f"{self.name}: callback failed:\n{''.join(traceback.format_exception(exc))}")
            return NO_ERROR

    def _on_event(self, handle: Any, event: int, context1: Any, context2: Any) -> int:
        rtm, entity = self.rtm, self.entity
        if entity is None or handle is not entity:
            # A delivery to a registration that has since left: nothing of ours to act on.
            return ERROR_NOT_SUPPORTED if event == RTM_ROUTE_EXPIRED else NO_ERROR
        if event == RTM_CHANGE_NOTIFICATION:
            self.callbacks["change"] += 1
            self._drain()
            if self.faulty and self.callbacks["change"] % 5 == 0:
                self.world.inject("v2 callback")
                raise InjectedFaultError("stress: injected callback fault")
            return NO_ERROR
        if event == RTM_ROUTE_EXPIRED:
            return self._expired(entity, context1, context2)
        self.callbacks["entity"] += 1
        if event == RTM_ENTITY_DEREGISTERED:
            # The leaving entity's handle may still be referenced while its event is handled (V2-A-dereg).
            status = rtm.RtmReferenceHandles(handle, 1, [context1]).status
            if self._expect("RtmReferenceHandles(leaving entity)", status):
                self._expect("RtmReleaseEntities", rtm.RtmReleaseEntities(handle, 1, [context1]).status)
        if event in (RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED):
            # Context1 names the other entity; as a caller it is no registration (M-ENTITY-KEY). (Deregistering is
            # refused inside a callback whatever the handle, V2-A-cbrules, so another call is tried.)
            status = rtm.RtmCreateDestEnum(
                context1, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, None, RTM_BEST_PROTOCOL
            ).status
            self._expect("RtmCreateDestEnum(another's public handle)", status, (ERROR_INVALID_HANDLE,))
        return NO_ERROR

    def _expired(self, handle: v2model.Entity, route: v2model.Route, pointer: RTM_ROUTE_INFO) -> int:
        """RTM_ROUTE_EXPIRED (V2-A-ttl): Context1 is a referenced handle, Context2 the route's own record."""
        rtm = self.rtm
        self.callbacks["expired"] += 1
        metric = pointer.PrefInfo.Metric
        if metric <= 2:  # refresh, as Microsoft's event notification sample does: edit through Context2
            if not self._expect("RtmLockRoute", self._lock(handle, route)):
                return ERROR_NOT_SUPPORTED  # RTM deletes it and drops the reference
            pointer.PrefInfo.Metric = metric + 3
            status = rtm.RtmUpdateAndUnlockRoute(handle, route, 30, None, 0, None).status
            self._expect("RtmUpdateAndUnlockRoute", status)
            self._expect("RtmReleaseRoutes", rtm.RtmReleaseRoutes(handle, 1, [route]).status)
            return NO_ERROR
        if metric <= 5:  # delete it ourselves: the handle is released by the call
            self._expect("RtmDeleteRouteToDest(expired)", rtm.RtmDeleteRouteToDest(handle, route).status)
            return NO_ERROR
        return ERROR_NOT_SUPPORTED  # RTM deletes it and drops the reference

    def _lock(self, handle: v2model.Entity, route: v2model.Route) -> int:
        """RtmLockRoute (exclusive), waiting while another entity holds the destination's lock: Windows blocks
        there, the model answers ERROR_BUSY, "try again later" (M-MODEL-STATUSES). Bounded by the run's wait."""
        deadline = time.monotonic() + self.world.wait_s
        while True:
            status = self.rtm.RtmLockRoute(handle, route, True, True).status
            if status != ERROR_BUSY or time.monotonic() > deadline:
                return status
            self.callbacks["lock busy"] += 1
            time.sleep(0.001)

    # --- the watcher's mirror -----------------------------------------------------------------------------------

    def _drain(self) -> None:
        """Retrieve every changed destination and record its best route (as the callback sample does)."""
        rtm, entity = self.rtm, self.entity
        if self.notify is None or entity is None:
            return
        for _ in range(LOOP_LIMIT):
            status, count, infos = rtm.RtmGetChangedDests(entity, self.notify, BATCH)
            if not self._expect("RtmGetChangedDests", status, (NO_ERROR, ERROR_NO_MORE_ITEMS)):
                return
            assert count is not None
            assert infos is not None
            for info in infos:
                self.view[format_net_address(info.DestAddress)] = self._best(info)
            status_release = rtm.RtmReleaseChangedDests(entity, self.notify, count, infos).status
            self._expect("RtmReleaseChangedDests", status_release)
            if status == ERROR_NO_MORE_ITEMS or count == 0:
                return

    def _best(self, info: RTM_DEST_INFO) -> Best:
        rtm, entity = self.rtm, self.entity
        assert entity is not None
        views = [v for v in info.ViewInfo if v.ViewId == RTM_VIEW_ID_UCAST]
        if not views or views[0].Route is None:
            return None
        status, route, _ = rtm.RtmGetRouteInfo(entity, views[0].Route)
        if not self._expect("RtmGetRouteInfo(best route)", status) or route is None:
            return None
        best = (repr(route.RouteOwner), route.PrefInfo.Preference, route.PrefInfo.Metric)
        self._expect("RtmReleaseRouteInfo", rtm.RtmReleaseRouteInfo(entity, route).status)
        return best

    def table(self) -> dict[str, Best]:
        """Every destination's best route now (RtmGetExactMatchDestination), as the watcher records them."""
        rtm, entity = self.rtm, self.entity
        assert entity is not None
        out: dict[str, Best] = {}
        for prefix in ALL_PREFIXES:
            status, info = rtm.RtmGetExactMatchDestination(
                entity, net_address(prefix), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
            )
            if status == ERROR_NOT_FOUND:
                continue
            if self._expect("RtmGetExactMatchDestination", status) and info is not None:
                best = self._best(info)
                if best is not None:
                    out[prefix] = best
                self._expect("RtmReleaseDestInfo", rtm.RtmReleaseDestInfo(entity, info).status)
        return out

    # --- quiescent points ---------------------------------------------------------------------------------------

    def rebase(self) -> None:
        """A watcher starts its mirror from the table (at setup, when nothing moves)."""
        with self.lock:
            if self.notify is not None:
                self._drain()
                self.view = dict(self.table())

    def check(self) -> int:
        """At a quiescent point: the routes the entity owns are exactly its lasting ones, with the cost it gave;
        a watcher's mirror (after a last drain) is the table. Returns the destinations compared."""
        with self.lock:
            if self.entity is None:
                return 0
            self.own_enum(exact=True)
            for p in list(self.kept):
                self.check_route(p)
            if self.notify is None:
                return 0
            self._drain()
            mirror = {p: best for p, best in self.view.items() if best is not None}
            actual = self.table()
            if mirror != actual:
                wrong = sorted(p for p in set(mirror) | set(actual) if mirror.get(p) != actual.get(p))
                detail = "; ".join(f"{p}: heard {mirror.get(p)}, table {actual.get(p)}" for p in wrong)
                self.world.failures.add(f"{self.name}: change notifications missed: {detail}")
            return len(ALL_PREFIXES)


class V2Sentinel:
    """A native entity whose routes nobody else may delete or change (M-ENTITY-KEY, M-HANDLES): the prober tries."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.name = "v2 sentinel"
        self.lock = threading.Lock()
        rtm = world.rtm
        info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(V2_SENTINEL_PROTOCOL, 0))
        status, _profile, entity = rtm.RtmRegisterEntity(info, None, self.callback, False)
        assert NO_ERROR == status
        assert entity is not None
        self.entity = entity
        hop_info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("203.0.113.1"), InterfaceIndex=99)
        status, hop, _ = rtm.RtmAddNextHop(entity, hop_info, None)
        assert NO_ERROR == status
        assert hop is not None
        self.hop = hop
        self.routes: list[v2model.Route] = []
        for prefix in V2_SENTINEL_PREFIXES:
            status, route, _ = rtm.RtmAddRouteToDest(entity, None, net_address(prefix), route_info(hop, 3, 50))
            assert NO_ERROR == status
            assert route is not None
            self.routes.append(route)

    def callback(self, handle: Any, event: int, context1: Any, context2: Any) -> int:
        """Takes the sentinel's lock and does nothing else."""
        with self.lock:
            return NO_ERROR

    def intact(self) -> None:
        """Each of its routes is live, its own, with the cost it was given."""
        rtm = self.world.rtm
        for route in self.routes:
            status, info, _ = rtm.RtmGetRouteInfo(self.entity, route)
            got = None if info is None else (info.RouteOwner == self.entity, info.PrefInfo.Metric, info.State)
            if (status, got) != (NO_ERROR, (True, 3, v2model.RTM_ROUTE_STATE_CREATED)):
                self.world.failures.add(f"v2 sentinel: its route {route} reads {status} {got}")
            if info is not None:
                rtm.RtmReleaseRouteInfo(self.entity, info)

    def leave(self) -> None:
        """Clean exit: delete the routes (releasing their handles), the next hop, then deregister."""
        rtm = self.world.rtm
        for route in self.routes:
            self.world.expect(
                self.name, "RtmDeleteRouteToDest", rtm.RtmDeleteRouteToDest(self.entity, route).status, (NO_ERROR,)
            )
        self.world.expect(
            self.name, "RtmDeleteNextHop", rtm.RtmDeleteNextHop(self.entity, self.hop, None).status, (NO_ERROR,)
        )
        self.world.expect(self.name, "RtmDeregisterEntity", rtm.RtmDeregisterEntity(self.entity).status, (NO_ERROR,))
