"""The stress scenario (M-STRESS): v1 clients, native RTMv2 entities and a prober on their own threads, all at once
on one RoutingTableManager with the system clock, in rounds separated by quiescent points where everything is
checked.

Theory of operation
-------------------
* **Setup** (nothing runs yet): the v2 sentinel and its routes, the v1 sentinel and its routes, two listeners (IP,
  IPX), then one actor per thread, the roles taken in turn from ``ROLES``. Every ledger starts from the table read
  then, and every watcher's mirror too.
* **Rounds.** Each worker thread does ``ops_per_round`` operations, then waits at a barrier. The listeners keep
  draining on their own threads throughout, and an invariant checker calls ``rtm.check_invariants()`` every few
  milliseconds while the workers run (it takes the RTM lock, so the model must be consistent between any two calls).
* **Quiescent points.** With every worker parked: wait until every deadline has passed and every callback has run
  (``process_timers``, ``wait_for_deliveries``, a v1 call per family to run v1 aging), then check: the invariants;
  every v1 ledger against the best routes read through the v1 API (``Ledger``); each v1 worker's routes in the
  table are exactly the lasting ones it added; each entity owns exactly its lasting routes, with the costs it set;
  each watcher's mirror is the table; the sentinels' routes are intact. Then the next round.
* **The end.** Workers leave (v1 clients deregister, entities clean up and deregister, the careless one leaks on
  purpose); the listeners' ledgers must then replay to a table holding only the sentinels' routes; then everyone
  leaves, the shim and the RTM close, and the leak report must hold only the careless deregistrations, and the
  diagnostics exactly the faults client code raised on purpose.
* **Bounded waits.** Every join and barrier has a timeout; a timeout fails with every thread's stack. The whole run
  is one coordinator thread joined with a deadline, so even a stuck coordinator fails readably.

Choices are deterministic per thread (``seed``); the interleaving is not, which is the point.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import attrs

import v2model
from rtmcompat import RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX, V1Shim, ip_network

from .ledger import Net, Sig
from .probes import Prober
from .v1actors import V1Actor, V1Listener, V1Worker, best_routes, sentinel_route
from .v2actors import InjectedFaultError, V2Entity, V2Sentinel
from .watchdog import Failures, guarded, join_all, thread_stacks, uncaught_thread_exceptions
from .world import (
    V1_LISTENER_PROTOCOL,
    V1_SENTINEL_NETWORKS,
    V1_SENTINEL_PROTOCOL,
    V1_WORKER_PROTOCOL,
    V2_SENTINEL_PREFIXES,
    World,
    priorities,
)

IP = RTM_PROTOCOL_FAMILY_IP
IPX = RTM_PROTOCOL_FAMILY_IPX

#: The networks left when only the sentinels remain (v2 routes are seen through v1 too, M-V2-IN-V1-SHAPE).
SENTINEL_NETWORKS = {
    ("ip", n.N_NetNumber, n.N_NetMask) for n in map(ip_network, V1_SENTINEL_NETWORKS + V2_SENTINEL_PREFIXES)
}

#: The roles threads take in turn: (kind, details). v1: (family, event kind, single-route); v2: (role, faulty).
ROLES: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("v1", (IP, "locked", False)),
    ("v2", ("watcher", True)),
    ("v1", (IPX, "locked", False)),
    ("v1", (IP, None, True)),
    ("v2", ("careless", False)),
    ("v1", (IPX, "plain", True)),
    ("prober", ()),
    ("v1", (IP, "faulty", False)),
    ("v2", ("worker", False)),
    ("v1", (IPX, None, False)),
    ("v2", ("watcher", False)),
    ("v1", (IP, "plain", True)),
)


@attrs.frozen
class Config:
    """How long and how wide the scenario runs."""

    #: Worker threads (listeners, the invariant checker and the coordinator come on top).
    threads: int = 8
    seed: int = 1
    #: Operations each worker does between two quiescent points.
    ops_per_round: int = 120
    #: Stop after this many rounds ...
    rounds: int | None = 3
    #: ... or once this many seconds have passed (the soak).
    seconds: float | None = None
    #: The longest any single wait may take before it counts as a deadlock.
    wait_s: float = 20.0
    #: The bound of the whole run.
    deadline_s: float = 120.0
    #: sys.setswitchinterval during the run: a short one makes threads interleave more finely.
    switch_interval: float = 0.0005


@attrs.define
class Report:
    """What a run did and found."""

    config: Config
    roles: list[str] = attrs.field(factory=list)
    #: Operations by actor name, then by kind.
    ops: dict[str, Counter[str]] = attrs.field(factory=dict)
    duration_s: float = 0.0
    quiescent_points: int = 0
    invariant_checks: int = 0
    invariant_passed: int = 0
    #: rtm.check_invariants() calls made while the workers ran.
    concurrent_invariant_checks: int = 0
    messages_replayed: int = 0
    networks_checked: int = 0
    destinations_mirrored: int = 0
    #: Callbacks of the native entities by kind (change, expired, entity, lock busy retries).
    callbacks: Counter[str] = attrs.field(factory=Counter)
    injected: Counter[str] = attrs.field(factory=Counter)
    recorded: Counter[str] = attrs.field(factory=Counter)
    careless_deregistrations: int = 0
    failures: str = ""

    @property
    def operations(self) -> int:
        """Operations done by the worker threads, over the whole run."""
        return sum(sum(c.values()) for c in self.ops.values())

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failures

    def text(self) -> str:
        """The report as the soak prints it."""
        seconds = max(self.duration_s, 1e-9)
        per_thread = ", ".join(f"{name} {sum(c.values()):,}" for name, c in self.ops.items())
        lines = [
            f"threads: {self.config.threads} workers x {self.operations / max(1, len(self.ops)):,.0f} operations"
            f" on average = {self.operations:,} operations (seed {self.config.seed})",
            f"roles: {', '.join(self.roles)}",
            f"per worker: {per_thread}",
            f"duration: {self.duration_s:,.1f} s, {self.operations / seconds:,.0f} operations/s",
            f"quiescent points: {self.quiescent_points}",
            f"invariant checks: {self.invariant_passed:,} of {self.invariant_checks:,} passed at quiescent points;"
            f" {self.concurrent_invariant_checks:,} more while the workers ran",
            f"v1 messages replayed: {self.messages_replayed:,} ({self.networks_checked:,} network replays checked)",
            f"v2 callbacks: {dict(self.callbacks) or 'none'}; destinations compared with watchers' mirrors:"
            f" {self.destinations_mirrored:,}",
            f"faults injected: {dict(self.injected) or 'none'}; recorded: {dict(self.recorded) or 'none'}",
            f"careless deregistrations (deliberate leaks): {self.careless_deregistrations}",
            "result: " + ("PASS" if self.ok else "FAIL"),
        ]
        if self.failures:
            lines.append(self.failures)
        return "\n".join(lines)


@contextlib.contextmanager
def switch_interval(seconds: float) -> Iterator[None]:
    """Run the block with ``sys.setswitchinterval(seconds)``, then restore it."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


#: Called after each quiescent point with (quiescent points so far, seconds since the start, operations so far).
Progress = Callable[[int, float, int], None]


def run(config: Config, progress: Progress | None = None) -> Report:
    """Run the scenario; the report's ``failures`` is empty when every check held."""
    failures = Failures()
    report = Report(config)
    scenario = _Scenario(config, failures, report, progress)
    started = time.monotonic()
    with uncaught_thread_exceptions(failures), switch_interval(config.switch_interval):
        coordinator = threading.Thread(
            target=guarded("coordinator", failures, scenario.coordinate, scenario.abort),
            name="stress-coordinator",
            daemon=True,
        )
        coordinator.start()
        if not join_all([coordinator], config.deadline_s, "the stress run", failures):
            scenario.abort()
    report.duration_s = time.monotonic() - started
    report.ops = {actor.name: actor.ops for actor in scenario.workers}
    report.failures = failures.summary() if failures.count else ""
    return report


class _Scenario:
    def __init__(self, config: Config, failures: Failures, report: Report, progress: Progress | None) -> None:
        self.config = config
        self.progress = progress
        self.failures = failures
        self.report = report
        self.barrier = threading.Barrier(config.threads + 1)
        self.world: World
        self.v1: list[V1Actor] = []
        self.workers: list[V1Worker | V2Entity | Prober] = []
        self.entities: list[V2Entity] = []
        self.listeners: list[V1Listener] = []
        self.running = threading.Event()

    # --- the run ------------------------------------------------------------------------------------------------

    def coordinate(self) -> None:
        config = self.config
        rtm = v2model.RoutingTableManager()
        shim = V1Shim(rtm, protocol_priority=priorities(config.threads))
        self.world = world = World(rtm, shim, self.failures, config.wait_s)
        if rtm.delivery != "threads":
            self.failures.add(f"the system clock should deliver on threads, delivery is {rtm.delivery!r}")
            return
        self._setup()
        threads = [
            threading.Thread(
                target=self._guard(f"worker {a.name}", self._work, a), name=f"stress {a.name}", daemon=True
            )
            for a in self.workers
        ]
        listening = [
            threading.Thread(target=self._guard(f"listener {x.name}", x.run), name=f"stress {x.name}", daemon=True)
            for x in self.listeners
        ]
        checker = threading.Thread(target=self._guard("invariant checker", self._check_while_running), daemon=True)
        for thread in [*listening, *threads]:
            thread.start()
        self.running.set()
        checker.start()
        started = time.monotonic()
        while True:
            if not self._meet("the workers did not reach the quiescent point"):
                break
            self.running.clear()
            self._quiescent()
            self.report.quiescent_points += 1
            elapsed = time.monotonic() - started
            if self.progress is not None:
                done = sum(sum(actor.ops.values()) for actor in self.workers)
                self.progress(self.report.quiescent_points, elapsed, done)
            world.stopping = bool(
                self.failures.count
                or (config.rounds is not None and self.report.quiescent_points >= config.rounds)
                or (config.seconds is not None and elapsed >= config.seconds)
            )
            self.running.set()
            if not self._meet("the workers did not leave the quiescent point") or world.stopping:
                break
        self.running.clear()
        if not join_all(threads, config.wait_s, "workers leaving", self.failures):
            return
        self._stop_checker(checker)
        if self.failures.count:
            self._close_bounded()
            return
        self._finish(listening)

    def _guard(self, name: str, body: Any, *args: Any) -> Any:
        return guarded(name, self.failures, lambda: body(*args), self.abort)

    def abort(self) -> None:
        """Wake everyone after a failure: the barrier breaks and the loops see the failure."""
        self.barrier.abort()

    def _meet(self, what: str) -> bool:
        try:
            self.barrier.wait(self.config.wait_s)
        except threading.BrokenBarrierError:
            if not self.failures.count:
                self.failures.add(f"{what} within {self.config.wait_s} s\n{thread_stacks()}")
            return False
        return True

    def _work(self, actor: V1Worker | V2Entity | Prober) -> None:
        """A worker thread: rounds of operations, parked at each quiescent point, then it leaves."""
        seen = self.failures.seen
        while True:
            for _ in range(self.config.ops_per_round):
                if seen.is_set():
                    break
                actor.step()
            try:
                self.barrier.wait(self.config.wait_s * 3)  # arrive; the coordinator checks
                self.barrier.wait(self.config.wait_s * 3)  # leave
            except threading.BrokenBarrierError:
                return
            if self.world.stopping:
                break
        actor.leave()

    _stop = False

    def _check_while_running(self) -> None:
        """rtm.check_invariants() every few milliseconds while the workers run (the RTM lock makes every call
        atomic, so the model is consistent between any two)."""
        while not self._stop and not self.failures.seen.is_set():
            if not self.running.wait(0.05):
                continue
            try:
                self.world.rtm.check_invariants()
            except Exception as exc:
                self.failures.add(f"rtm.check_invariants() while the workers ran: {exc!r}")
                return
            self.report.concurrent_invariant_checks += 1
            time.sleep(0.005)

    def _stop_checker(self, checker: threading.Thread) -> None:
        self._stop = True
        join_all([checker], self.config.wait_s, "the invariant checker", self.failures)

    # --- setup --------------------------------------------------------------------------------------------------

    def _setup(self) -> None:
        world, config = self.world, self.config
        self.v2_sentinel = V2Sentinel(world)
        self.v1_sentinel = V1Listener(world, "v1 sentinel", IP, V1_SENTINEL_PROTOCOL)
        self.v1_sentinel.register({})
        self.v1_sentinel.hold([sentinel_route(n, k + 1) for k, n in enumerate(V1_SENTINEL_NETWORKS)])
        self.listeners = [
            self.v1_sentinel,
            V1Listener(world, "v1 IP listener", IP, V1_LISTENER_PROTOCOL),
            V1Listener(world, "v1 IPX listener", IPX, V1_LISTENER_PROTOCOL + 1),
        ]
        for listener in self.listeners[1:]:
            listener.register(None)
        self.v1 = list(self.listeners)
        for i in range(config.threads):
            kind, details = ROLES[i % len(ROLES)]
            seed = config.seed * 1_000_003 + i
            if kind == "v1":
                family, event, single = details
                name = f"v1 {'IP' if family == IP else 'IPX'}{' single' if single else ''} {event or 'no event'} #{i}"
                worker = V1Worker(world, name, family, V1_WORKER_PROTOCOL + i, event, single, seed)
                worker.register(None)
                self.v1.append(worker)
                self.workers.append(worker)
            elif kind == "v2":
                role, faulty = details
                entity = V2Entity(world, f"v2 {role}{' faulty' if faulty else ''} #{i}", i, role, faulty, seed)
                entity.register()
                self.entities.append(entity)
                self.workers.append(entity)
            else:
                self.workers.append(
                    Prober(world, f"prober #{i}", i, seed, lambda: self.v1, self.v1_sentinel, self.v2_sentinel)
                )
            self.report.roles.append(self.workers[-1].name)
        if not self._settle():
            return
        tables = self._tables()
        for actor in self.v1:
            if actor.ledger is not None:
                actor.ledger.rebase(tables[actor.family])
        for entity in self.entities:
            entity.rebase()
        self._invariants()

    # --- quiescent points -----------------------------------------------------------------------------------

    def _settle(self) -> bool:
        """Wait (bounded) until no deadline is pending and every callback has run, running v1 aging too."""
        world = self.world
        rtm, shim = world.rtm, world.shim
        deadline = time.monotonic() + self.config.wait_s
        while True:
            pending = rtm.process_timers()
            for _ in range(2):
                if not rtm.wait_for_deliveries(max(0.0, deadline - time.monotonic())):
                    self.failures.add(f"callbacks still running after {self.config.wait_s} s\n{thread_stacks()}")
                    return False
                for family in (IP, IPX):
                    shim.RtmGetNetworkCount(family)  # runs v1 aging and the work callbacks left (M-SHIM-THREADS)
            if pending is None and rtm.process_timers() is None and rtm.wait_for_deliveries(0):
                return True
            if time.monotonic() > deadline:
                self.failures.add(f"deadlines still pending after {self.config.wait_s} s: next at {pending}")
                return False
            time.sleep(0.005)

    def _tables(self) -> dict[int, dict[Net, Sig]]:
        return {family: best_routes(self.world, family) for family in (IP, IPX)}

    def _invariants(self) -> None:
        self.report.invariant_checks += 1
        try:
            self.world.rtm.check_invariants()
        except Exception as exc:
            self.failures.add(f"rtm.check_invariants(): {exc!r}")
            return
        self.report.invariant_passed += 1

    def _check_heard(self, tables: dict[int, dict[Net, Sig]]) -> None:
        for actor in self.v1:
            actor.check_heard(tables[actor.family])

    def _quiescent(self) -> None:
        if not self._settle():
            return
        self._invariants()
        tables = self._tables()
        self._check_heard(tables)
        for actor in self.workers:
            if isinstance(actor, V1Worker):
                actor.check_routes()
            elif isinstance(actor, V2Entity):
                self.report.destinations_mirrored += actor.check()
        self.v1_sentinel.intact()
        self.v2_sentinel.intact()
        self._invariants()

    # --- the end ------------------------------------------------------------------------------------------------

    def _finish(self, listening: list[threading.Thread]) -> None:
        """Everyone but the sentinels and listeners left: they must have heard of it all; then they leave too and
        nothing may be left but the deliberate leaks."""
        world, report = self.world, self.report
        rtm, shim = world.rtm, world.shim
        if not self._settle():
            return
        self._invariants()
        tables = self._tables()
        if set(tables[IP]) != SENTINEL_NETWORKS or tables[IPX]:
            self.failures.add(f"routes left after the workers left: {tables}")
        self._check_heard(tables)
        for listener in self.listeners:
            listener.stop.set()
        if not join_all(listening, self.config.wait_s, "listeners", self.failures):
            return
        for actor in self.v1:
            heard, checked = actor.messages
            report.messages_replayed += heard
            report.networks_checked += checked
        for listener in self.listeners:
            listener.deregister()
        self.v2_sentinel.leave()
        self._settle()
        self._invariants()
        shim.close()
        rtm.close()
        self._final_accounts()
        for entity in self.entities:
            report.callbacks.update(entity.callbacks)

    def _final_accounts(self) -> None:
        world, report = self.world, self.report
        rtm, shim = world.rtm, world.shim
        stats = dict(rtm.statistics())
        stats.pop("pending_timers", None)
        if any(stats.values()):
            self.failures.add(f"the RTM is not empty after everyone left: {stats}")
        leaks = rtm.leak_report()
        careless = [name for e in self.entities for name in e.careless_names]
        report.careless_deregistrations = len(careless)
        if leaks.entities or sorted(r.entity for r in leaks.deregistrations) != sorted(careless):
            self.failures.add(f"leak report: {leaks.entities} live, deregistrations {leaks.deregistrations}")
        report.injected = Counter(world.injected)
        recorded_v2 = len(leaks.diagnostics) + leaks.diagnostics_dropped
        recorded_v1 = len(shim.diagnostics) + shim.diagnostics_dropped
        report.recorded = Counter({"v1 event": recorded_v1, "v2 callback": recorded_v2})
        unexpected = [d for d in leaks.diagnostics if InjectedFaultError.__name__ not in d]
        unexpected += [d for d in shim.diagnostics if "stress: injected" not in d]
        if unexpected or +report.recorded != +report.injected:
            self.failures.add(
                f"faults injected {dict(report.injected)}, recorded {dict(report.recorded)}; unexpected: {unexpected}"
            )

    def _close_bounded(self) -> None:
        """After a failure: close the RTM (joining its threads) unless that would wait for a stuck thread."""
        rtm = self.world.rtm
        closer = threading.Thread(target=rtm.close, name="stress closer", daemon=True)
        closer.start()
        closer.join(self.config.wait_s)
        if closer.is_alive():
            self.failures.add(f"rtm.close() did not return\n{thread_stacks()}")
