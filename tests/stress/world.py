"""The setting every actor of the stress scenario shares: the RTM and the shim, the networks they compete for, the
administrator's priorities, the failures, and the status check every call goes through."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Collection

import attrs

import v2model
from rtmcompat import V1Client, V1Shim, ip_network

from .watchdog import Failures

#: IP networks everyone competes for: /16s with some /24s inside them (so longest-prefix lookups have a choice).
IP_NETWORKS = [f"10.{i}.0.0/16" for i in range(6)] + [f"10.{i}.{j}.0/24" for i in range(3) for j in range(2)]
#: Their (number, mask) pairs, as v1 structures hold them.
IP_PAIRS = [(n.N_NetNumber, n.N_NetMask) for n in map(ip_network, IP_NETWORKS)]
#: IPX network numbers everyone competes for.
IPX_NETWORKS = [0x0000A000 + k for k in range(8)]
#: Networks only the v1 sentinel adds to, and destinations only the v2 sentinel adds to.
V1_SENTINEL_NETWORKS = ["172.17.0.0/24", "172.17.1.0/24"]
V2_SENTINEL_PREFIXES = ["172.16.0.0/24", "172.16.1.0/24"]

#: v1 protocol ids: workers 200+i, listeners 300+i, the sentinel 400, the prober 500 (any DWORD is a v1 protocol).
V1_WORKER_PROTOCOL = 200
V1_LISTENER_PROTOCOL = 300
V1_SENTINEL_PROTOCOL = 400
V1_PROBER_PROTOCOL = 500
#: Native entities use vendor protocol ids of their own (M-CLIENT-ENTITY: never a v1 client's id).
V2_PROTOCOL = 0x00010100
V2_SENTINEL_PROTOCOL = 0x000101F0
V2_PROBER_PROTOCOL = 0x000101F1


def priorities(workers: int) -> dict[int, int]:
    """The administrator's priorities of the v1 protocols (M-PRIORITY): 100, 110 or 120, so that v1 clients and
    native entities (preferences 100 to 130) compete for the best route."""
    return {V1_WORKER_PROTOCOL + i: 100 + 10 * (i % 3) for i in range(workers)}


@attrs.define(eq=False)
class World:
    """What the actors share. ``stopping`` is read by the workers after each quiescent point."""

    rtm: v2model.RoutingTableManager
    shim: V1Shim
    failures: Failures
    #: Seconds any single wait may take before it counts as a deadlock.
    wait_s: float
    stopping: bool = False
    #: Handles of deregistered v1 clients, for the prober (V1-A30: never valid again).
    stale_clients: list[V1Client] = attrs.field(factory=list)
    lock: threading.Lock = attrs.field(factory=threading.Lock)
    #: What client code deliberately raised: "v1 event" and "v2 callback" counts.
    injected: Counter[str] = attrs.field(factory=Counter)

    def expect(self, who: str, what: str, status: object, allowed: Collection[int]) -> bool:
        """Record a failure unless ``status`` is one of ``allowed``; True when it is."""
        if status in allowed:
            return True
        self.failures.add(f"{who}: {what} returned {status!r}, expected one of {sorted(allowed)}")
        return False

    def inject(self, kind: str) -> None:
        """Count one deliberate fault of client code."""
        with self.lock:
            self.injected[kind] += 1
