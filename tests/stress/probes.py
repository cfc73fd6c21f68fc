"""The prober of the stress scenario: a v1 client and a native entity that try, while everyone works, to act as
someone else. Every attempt must fail with the documented status and change nothing; the victims' own checks (their
routes, their messages) show that nothing changed.

- v1: copies of live client handles, a handle built with ``__new__``, handles of clients that deregistered
  (M-V1-HANDLES, V1-A30: ERROR_INVALID_HANDLE), and its own handle on another client's route (V1-4.5, V1-4.12: only
  the caller's own routes).
- RTMv2: the public handles every entity can see (RtmGetRegisteredEntities, a route's RouteOwner) and a copy of a
  registration handle used as the caller (M-ENTITY-KEY, M-HANDLES: ERROR_INVALID_HANDLE), and its own registration
  on another entity's route (V2-A-match-add (b): ERROR_ACCESS_DENIED).
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_NO_ROUTES,
    ERROR_NO_SUCH_ROUTE,
    INFINITE,
    NO_ERROR,
    RTM_ONLY_THIS_NETWORK,
    RTM_PROTOCOL_FAMILY_IP,
    V1Client,
)
from v2model import (
    AF_INET,
    ERROR_ACCESS_DENIED,
    RTM_BEST_PROTOCOL,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NEXTHOP_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .v1actors import V1Actor, V1Listener, make_route, sentinel_route
from .v2actors import V2Sentinel
from .world import V1_PROBER_PROTOCOL, V1_SENTINEL_NETWORKS, V2_PROBER_PROTOCOL, V2_SENTINEL_PREFIXES, World

_INVALID = (ERROR_INVALID_HANDLE,)


class Prober:
    """Tries to act as others, one attempt per step."""

    def __init__(
        self,
        world: World,
        name: str,
        index: int,
        seed: int,
        victims: Callable[[], list[V1Actor]],
        v1_sentinel: V1Listener,
        v2_sentinel: V2Sentinel,
    ) -> None:
        self.world = world
        self.name = name
        self.rng = random.Random(seed)
        self.victims = victims
        self.v1_sentinel = v1_sentinel
        self.v2_sentinel = v2_sentinel
        self.ops: Counter[str] = Counter()
        status, self.client = world.shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, V1_PROBER_PROTOCOL + index, None, 0)
        assert NO_ERROR == status
        info = RTM_ENTITY_INFO(
            RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(V2_PROBER_PROTOCOL, index)
        )
        status, _profile, entity = world.rtm.RtmRegisterEntity(info, None, None, False)
        assert NO_ERROR == status
        assert entity is not None
        self.entity = entity
        self._probes: list[tuple[str, Callable[[], None]]] = [
            ("v1 copied handle", self.v1_copy),
            ("v1 stale handle", self.v1_stale),
            ("v1 hand-made handle", self.v1_handmade),
            ("v1 another's route", self.v1_foreign_route),
            ("v2 public handle as caller", self.v2_public_handle),
            ("v2 copied registration", self.v2_copy),
            ("v2 another's route", self.v2_foreign_route),
        ]

    def _expect(self, what: str, status: object, allowed: tuple[int, ...]) -> bool:
        return self.world.expect(self.name, what, status, allowed)

    def step(self) -> None:
        """One attempt, chosen by the prober's own random sequence."""
        name, probe = self.rng.choice(self._probes)
        probe()
        self.ops[name] += 1

    def v1_copy(self) -> None:
        """A copy of a live client's handle is no handle (M-V1-HANDLES)."""
        victim = self.rng.choice(self.victims())
        live = victim.client
        if live is None:
            return
        forged = copy.copy(live)
        shim = self.world.shim
        route = make_route(victim.family, 0, 1, 0, 1, 0, 0)
        which = self.rng.randrange(5)
        if which == 0:
            self._expect("RtmAddRoute(copy)", shim.RtmAddRoute(forged, route, INFINITE).status, _INVALID)
        elif which == 1:
            self._expect("RtmDeleteRoute(copy)", shim.RtmDeleteRoute(forged, route).status, _INVALID)
        elif which == 2:
            self._expect(
                "RtmDequeueRouteChangeMessage(copy)", shim.RtmDequeueRouteChangeMessage(forged).status, _INVALID
            )
        elif which == 3:
            self._expect("RtmBlockDeleteRoutes(copy)", shim.RtmBlockDeleteRoutes(forged, 0, None).status, _INVALID)
        else:
            self._expect("RtmDeregisterClient(copy)", shim.RtmDeregisterClient(forged).status, _INVALID)

    def v1_stale(self) -> None:
        """A deregistered client's handle is never valid again (V1-A30)."""
        with self.world.lock:
            if not self.world.stale_clients:
                return
            stale = self.rng.choice(self.world.stale_clients)
        shim = self.world.shim
        route = make_route(RTM_PROTOCOL_FAMILY_IP, 0, 1, 0, 1, 0, 0)
        self._expect("RtmAddRoute(stale)", shim.RtmAddRoute(stale, route, INFINITE).status, _INVALID)
        self._expect("RtmDeregisterClient(stale)", shim.RtmDeregisterClient(stale).status, _INVALID)

    def v1_handmade(self) -> None:
        """An object made with ``__new__`` is no handle (M-V1-HANDLES)."""
        forged = V1Client.__new__(V1Client)
        shim = self.world.shim
        self._expect(
            "RtmDequeueRouteChangeMessage(__new__)", shim.RtmDequeueRouteChangeMessage(forged).status, _INVALID
        )
        self._expect("RtmDeregisterClient(__new__)", shim.RtmDeregisterClient(forged).status, _INVALID)

    def v1_foreign_route(self) -> None:
        """The prober's own handle deletes only its own routes: the sentinel's are not its (V1-4.5, V1-4.12)."""
        shim = self.world.shim
        k = self.rng.randrange(len(V1_SENTINEL_NETWORKS))
        route = sentinel_route(V1_SENTINEL_NETWORKS[k], k + 1)
        self._expect(
            "RtmDeleteRoute(another's route)", shim.RtmDeleteRoute(self.client, route).status, (ERROR_NO_SUCH_ROUTE,)
        )
        status = shim.RtmBlockDeleteRoutes(self.client, RTM_ONLY_THIS_NETWORK, route).status
        self._expect("RtmBlockDeleteRoutes(another's network)", status, (ERROR_NO_ROUTES,))

    def v2_public_handle(self) -> None:
        """Handles that name other entities never act as them (M-ENTITY-KEY)."""
        rtm: Any = self.world.rtm  # wrong handle types on purpose
        status, count, handles, _infos = rtm.RtmGetRegisteredEntities(self.entity, 1024)
        if not self._expect("RtmGetRegisteredEntities", status, (NO_ERROR,)) or not handles or count is None:
            return
        other = self.rng.choice(handles)
        which = self.rng.randrange(3)
        if which == 0:
            self._expect("RtmDeregisterEntity(public handle)", rtm.RtmDeregisterEntity(other).status, _INVALID)
        elif which == 1:
            info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("203.0.113.9"), InterfaceIndex=1)
            self._expect("RtmAddNextHop(public handle)", rtm.RtmAddNextHop(other, info, None).status, _INVALID)
        else:
            status = rtm.RtmCreateDestEnum(other, RTM_VIEW_MASK_UCAST, 0, None, RTM_BEST_PROTOCOL).status
            self._expect("RtmCreateDestEnum(public handle)", status, _INVALID)
        self._expect("RtmReleaseEntities", rtm.RtmReleaseEntities(self.entity, count, handles).status, (NO_ERROR,))

    def v2_copy(self) -> None:
        """A copy of a registration handle is no handle (M-HANDLES)."""
        rtm = self.world.rtm
        forged = copy.copy(self.v2_sentinel.entity)
        self._expect("RtmDeregisterEntity(copy)", rtm.RtmDeregisterEntity(forged).status, _INVALID)
        route = self.v2_sentinel.routes[self.rng.randrange(len(self.v2_sentinel.routes))]
        self._expect("RtmDeleteRouteToDest(copy)", rtm.RtmDeleteRouteToDest(forged, route).status, _INVALID)

    def v2_foreign_route(self) -> None:
        """Another entity's route, found by a lookup: the prober may read it, not delete, update or lock it
        (V2-A-match-add (b)); its RouteOwner names the owner but cannot act as it (M-ENTITY-KEY)."""
        rtm: Any = self.world.rtm  # a wrong handle type on purpose
        me = self.entity
        prefix = V2_SENTINEL_PREFIXES[self.rng.randrange(len(V2_SENTINEL_PREFIXES))]
        status, dest = rtm.RtmGetExactMatchDestination(me, net_address(prefix), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST)
        if not self._expect("RtmGetExactMatchDestination", status, (NO_ERROR,)) or dest is None:
            return
        route = dest.ViewInfo[0].Route
        assert route is not None
        denied = (ERROR_ACCESS_DENIED,)
        self._expect("RtmDeleteRouteToDest(another's route)", rtm.RtmDeleteRouteToDest(me, route).status, denied)
        status = rtm.RtmAddRouteToDest(me, route, None, RTM_ROUTE_INFO(), INFINITE).status
        self._expect("RtmAddRouteToDest(another's route)", status, denied)
        self._expect("RtmLockRoute(another's route)", rtm.RtmLockRoute(me, route, True, True).status, denied)
        status, info, _ = rtm.RtmGetRouteInfo(me, route)
        if self._expect("RtmGetRouteInfo(another's route)", status, (NO_ERROR,)) and info is not None:
            owner = info.RouteOwner
            status = rtm.RtmDeleteRouteToDest(owner, route).status
            self._expect("RtmDeleteRouteToDest(as RouteOwner)", status, _INVALID)
            self._expect("RtmReleaseRouteInfo", rtm.RtmReleaseRouteInfo(me, info).status, (NO_ERROR,))
        self._expect("RtmReleaseDestInfo", rtm.RtmReleaseDestInfo(me, dest).status, (NO_ERROR,))

    def leave(self) -> None:
        """Deregister both registrations (nothing held, so no leak)."""
        status = self.world.shim.RtmDeregisterClient(self.client).status
        self._expect("RtmDeregisterClient", status, (NO_ERROR,))
        self._expect("RtmDeregisterEntity", self.world.rtm.RtmDeregisterEntity(self.entity).status, (NO_ERROR,))
