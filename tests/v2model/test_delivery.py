"""Where and when callbacks run (M-DELIVERY): with delivery threads no client holding its own locks across RTM
calls and in its callbacks can deadlock, a slow callback delays only its own entity, and each registration gets
its deliveries in order; with inline delivery (ManualClock) they run at a fixed, documented point.

Every wait is bounded; a timeout fails with every thread's stack. Timings never decide the outcome: the tests
wait for events that happen only when the model is right."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import rtmcompat
import v2model
from v2model import (
    ERROR_INVALID_HANDLE,
    ERROR_NOT_SUPPORTED,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_REGISTERED,
    RTM_ROUTE_EXPIRED,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import (
    WAIT_S,
    drained_prefixes,
    enum_dest_prefixes,
    join_bounded,
    some,
    wait_bounded,
)
from .support import add_route, nexthop, register, route_info

PREFIXES = [f"10.{i // 16}.{i % 16}.0/24" for i in range(64)]


def watch(rtm: v2model.RoutingTableManager, ent: v2model.Entity) -> v2model.NotifyReg:
    """Register ``ent`` for every change of the unicast view."""
    status, reg = rtm.RtmRegisterForChangeNotification(ent, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)
    assert NO_ERROR == status
    return some(reg)


class TestModes:
    """The delivery mode of a manager (M-DELIVERY)."""

    def test_auto_follows_the_clock(self) -> None:
        """``auto`` (the default) delivers on threads with the system clock and inline with a ManualClock."""
        with v2model.RoutingTableManager() as real, v2model.RoutingTableManager(clock=v2model.ManualClock()) as manual:
            assert ("threads", "inline") == (real.delivery, manual.delivery)

    def test_explicit_modes(self) -> None:
        """``threads`` and ``inline`` are taken as given, whatever the clock."""
        with (
            v2model.RoutingTableManager(clock=v2model.ManualClock(), delivery="threads") as threads,
            v2model.RoutingTableManager(delivery="inline") as inline,
        ):
            assert ("threads", "inline") == (threads.delivery, inline.delivery)

    def test_unknown_mode_is_refused(self) -> None:
        """Any other delivery mode is a ValueError at construction (a programming error, not an API status)."""
        with pytest.raises(ValueError, match="delivery"):
            v2model.RoutingTableManager(delivery="sometimes")

    def test_closed_manager_delivers_inline(self) -> None:
        """After close() the delivery threads are gone and callbacks run on the calling thread, before the call
        returns."""
        threads_seen: list[threading.Thread] = []
        rtm = v2model.RoutingTableManager()

        def callback(*args: Any) -> int:
            threads_seen.append(threading.current_thread())
            return NO_ERROR

        register(rtm, PROTO_IP_RIP, callback=callback)
        rtm.close()
        register(rtm, PROTO_IP_OSPF)
        assert ("inline", [threading.current_thread()]) == (rtm.delivery, threads_seen)

    def test_close_joins_the_delivery_threads(self) -> None:
        """close() runs what is queued, then stops and joins every rtm-deliver thread."""
        got = threading.Event()
        rtm = v2model.RoutingTableManager()

        def callback(*args: Any) -> int:
            got.set()
            return NO_ERROR

        register(rtm, PROTO_IP_RIP, callback=callback)
        register(rtm, PROTO_IP_OSPF)
        rtm.close()
        names = [t.name for t in threading.enumerate() if t.name.startswith("rtm-")]
        assert (True, []) == (got.is_set(), names)


class TestClientLocks:
    """The C pattern: a client guards its state with its own lock in its RTM calls and in its callbacks alike."""

    def test_lock_held_across_calls_and_taken_in_the_callback(self) -> None:
        """One thread holds a threading.Lock across each add; its callback takes the same lock and drains. With
        inline delivery this hangs on the first add; with delivery threads every change arrives."""
        lock = threading.Lock()
        seen: set[str] = set()
        failures: list[str] = []
        with v2model.RoutingTableManager() as rtm:

            def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                if not lock.acquire(timeout=WAIT_S):
                    failures.append("the callback could not take the client's lock")
                    return NO_ERROR
                try:
                    if event == RTM_CHANGE_NOTIFICATION:
                        seen.update(drained_prefixes(rtm, handle, context1))
                finally:
                    lock.release()
                return NO_ERROR

            rip = register(rtm, PROTO_IP_RIP, callback=callback)
            watch(rtm, rip)
            nh = nexthop(rtm, rip, "192.0.2.1", 1)

            def client() -> None:
                for prefix in PREFIXES[:16]:
                    with lock:
                        route, _ = add_route(rtm, rip, prefix, route_info(nh))
                        rtm.RtmReleaseRoutes(rip, 1, [route])
                    if failures:
                        return

            worker = threading.Thread(target=client, name="client-rip")
            worker.start()
            join_bounded([worker], 3 * WAIT_S)
            wait_bounded(rtm)
            assert ([], set(PREFIXES[:16])) == (failures, seen)

    def test_two_entities_with_rlocks_several_hundred_operations(self) -> None:
        """Two native entities, each on its own thread holding its own RLock across every call and taking it in
        its callback (which drains its registration), add and delete routes 300 times each. Inline delivery
        deadlocks within a few hundred operations (each thread runs the other's callback); with delivery threads
        both finish and each entity's view of the changes matches the table."""
        with v2model.RoutingTableManager() as rtm:
            failures: list[str] = []
            views: list[dict[str, str | None]] = [{}, {}]
            locks = [threading.RLock(), threading.RLock()]

            def make_callback(k: int) -> Any:
                def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                    if not locks[k].acquire(timeout=WAIT_S):
                        failures.append(f"entity {k}: callback could not take its lock")
                        return NO_ERROR
                    try:
                        if event == RTM_CHANGE_NOTIFICATION:
                            while True:
                                _status, count, infos = rtm.RtmGetChangedDests(handle, context1, 25)
                                for info in some(infos):
                                    route = info.ViewInfo[0].Route
                                    prefix = v2model.format_net_address(info.DestAddress)
                                    views[k][prefix] = None if route is None else repr(route)
                                rtm.RtmReleaseChangedDests(handle, context1, some(count), some(infos))
                                if not count:
                                    break
                    finally:
                        locks[k].release()
                    return NO_ERROR

                return callback

            ents = [register(rtm, p, callback=make_callback(k)) for k, p in enumerate((PROTO_IP_RIP, PROTO_IP_OSPF))]
            for ent in ents:
                watch(rtm, ent)
            start = threading.Barrier(2)

            def client(k: int) -> None:
                ent = ents[k]
                with locks[k]:
                    nh = nexthop(rtm, ent, f"192.0.2.{k + 1}", k + 1)
                start.wait(WAIT_S)
                for i in range(300):
                    with locks[k]:
                        prefix = PREFIXES[i % len(PREFIXES)]
                        status, route, _ = rtm.RtmAddRouteToDest(
                            ent, None, net_address(prefix), route_info(nh, metric=k + 1)
                        )
                        if status != NO_ERROR:
                            failures.append(f"entity {k}: add {status}")
                            return
                        time.sleep(0)  # other work under the client's lock: lets the other thread run
                        if i % 3 == 2:
                            status = rtm.RtmDeleteRouteToDest(ent, route).status
                        else:
                            status = rtm.RtmReleaseRoutes(ent, 1, [some(route)]).status
                        if status != NO_ERROR or failures:
                            failures.append(f"entity {k}: delete/release {status}")
                            return

            workers = [threading.Thread(target=client, args=(k,), name=f"client-{k}") for k in range(2)]
            for worker in workers:
                worker.start()
            join_bounded(workers, 6 * WAIT_S)
            wait_bounded(rtm)
            observer = register(rtm, PROTO_IP_BGP)
            present = set(enum_dest_prefixes(rtm, observer, views=RTM_VIEW_MASK_UCAST))
            seen = [{p for p, route in view.items() if route is not None} for view in views]
            assert ([], [present, present]) == (failures, seen)


class TestIsolation:
    """A slow or stuck callback delays only its own entity's deliveries (M-DELIVERY)."""

    def test_stuck_callback_does_not_delay_others(self) -> None:
        """OSPF's callback blocks until released; meanwhile RIP's calls return and BGP gets its notifications,
        and wait_for_deliveries reports the stuck delivery as pending."""
        release = threading.Event()
        ospf_stuck = threading.Event()
        bgp_got = threading.Semaphore(0)
        with v2model.RoutingTableManager() as rtm:

            def ospf_callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                if event == RTM_CHANGE_NOTIFICATION:
                    ospf_stuck.set()
                    release.wait(WAIT_S)
                    drained_prefixes(rtm, handle, context1)
                return NO_ERROR

            def bgp_callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                if event == RTM_CHANGE_NOTIFICATION:
                    drained_prefixes(rtm, handle, context1)
                    bgp_got.release()
                return NO_ERROR

            ospf = register(rtm, PROTO_IP_OSPF, callback=ospf_callback)
            bgp = register(rtm, PROTO_IP_BGP, callback=bgp_callback)
            watch(rtm, ospf)
            watch(rtm, bgp)
            rip = register(rtm, PROTO_IP_RIP)
            nh = nexthop(rtm, rip, "192.0.2.1", 1)
            add_route(rtm, rip, PROTO_PREFIXES[0], route_info(nh))
            assert ospf_stuck.wait(WAIT_S)
            assert bgp_got.acquire(timeout=WAIT_S)
            add_route(rtm, rip, PROTO_PREFIXES[1], route_info(nh))
            assert bgp_got.acquire(timeout=WAIT_S)
            assert False is rtm.wait_for_deliveries(0.01)
            release.set()
            wait_bounded(rtm)
            rtm.RtmDeregisterEntity(rip)


PROTO_PREFIXES = ["10.1.0.0/16", "10.2.0.0/16"]


class TestOrder:
    """Each registration gets its deliveries in the order the table changed (M-DELIVERY)."""

    def test_entity_events_in_order(self) -> None:
        """Thirty entities register, then deregister, one after another: the watcher hears of each in that
        order, on its delivery thread."""
        heard: list[tuple[int, str]] = []
        threads_seen: set[str] = set()
        with v2model.RoutingTableManager() as rtm:

            def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                threads_seen.add(threading.current_thread().name)
                heard.append((event, context1.name))
                return NO_ERROR

            register(rtm, PROTO_IP_BGP, callback=callback)
            others = [register(rtm, PROTO_IP_RIP, k) for k in range(30)]
            names = [other.name for other in others]
            for other in others:
                assert NO_ERROR == rtm.RtmDeregisterEntity(other).status
            wait_bounded(rtm)
        expected = [(RTM_ENTITY_REGISTERED, n) for n in names] + [(RTM_ENTITY_DEREGISTERED, n) for n in names]
        assert (expected, 1) == (heard, len(threads_seen))
        assert next(iter(threads_seen)).startswith("rtm-deliver-")


class TestDeregisteredContext:
    """The entity handle in Context1 of RTM_ENTITY_DEREGISTERED is borrowed for the callback's duration
    (V2-A-reg-events), however late the delivery runs."""

    def test_context1_valid_until_delivered(self) -> None:
        """The watcher's delivery of OSPF's deregistration waits behind a stuck callback; when it runs, Context1
        can still be referenced; once every delivery ran, the handle is invalid."""
        release = threading.Event()
        referenced: list[int] = []
        with v2model.RoutingTableManager() as rtm:

            def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                if event == RTM_ENTITY_REGISTERED:
                    release.wait(WAIT_S)
                elif event == RTM_ENTITY_DEREGISTERED:
                    referenced.append(rtm.RtmReferenceHandles(handle, 1, [context1]).status)
                    referenced.append(rtm.RtmReleaseEntities(handle, 1, [context1]).status)
                return NO_ERROR

            watcher = register(rtm, PROTO_IP_BGP, callback=callback)
            ospf = register(rtm, PROTO_IP_OSPF)
            assert NO_ERROR == rtm.RtmDeregisterEntity(ospf).status
            release.set()
            wait_bounded(rtm)
            after = rtm.RtmReferenceHandles(watcher, 1, [ospf]).status
        assert ([NO_ERROR, NO_ERROR], ERROR_INVALID_HANDLE) == (referenced, after)


class TestExpiryDelivery:
    """RTM_ROUTE_EXPIRED on a delivery thread: the reference with Context1 is taken when it is delivered, only if
    the owner is still registered and the route still live and not re-armed (M-DELIVERY)."""

    @staticmethod
    def blocked_owner(
        rtm: v2model.RoutingTableManager, inside: threading.Event, release: threading.Event, log: list[int]
    ) -> v2model.Entity:
        """RIP, whose callback blocks on its change notifications until ``release`` is set (``inside`` tells when
        it is blocked)."""

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            log.append(event)
            if event == RTM_CHANGE_NOTIFICATION:
                inside.set()
                release.wait(WAIT_S)
                drained_prefixes(rtm, handle, context1)
            return ERROR_NOT_SUPPORTED if event == RTM_ROUTE_EXPIRED else NO_ERROR

        rip = register(rtm, PROTO_IP_RIP, callback=callback)
        watch(rtm, rip)
        return rip

    def test_rearmed_before_delivery_is_not_delivered(self, clock: v2model.ManualClock) -> None:
        """The expiry is queued behind a stuck callback; the owner re-arms the route (INFINITE) meanwhile: no
        RTM_ROUTE_EXPIRED is delivered, the route stays and no reference is left."""
        inside, release = threading.Event(), threading.Event()
        log: list[int] = []
        with v2model.RoutingTableManager(clock=clock, delivery="threads") as rtm:
            rip = self.blocked_owner(rtm, inside, release, log)
            nh = nexthop(rtm, rip, "192.0.2.1", 1)
            route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh), ttl=0)
            assert inside.wait(WAIT_S)
            rtm.process_timers()
            assert NO_ERROR == rtm.RtmAddRouteToDest(rip, route, None, route_info(nh), INFINITE).status
            release.set()
            wait_bounded(rtm)
            assert NO_ERROR == rtm.RtmReleaseRoutes(rip, 1, [route]).status
            assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [nh]).status
            record = some(rtm.leak_report().for_entity(rip))
            assert ([], 1, {}) == ([e for e in log if e == RTM_ROUTE_EXPIRED], rtm.statistics().routes, record.handles)

    def test_owner_gone_before_delivery_is_not_blamed(self, clock: v2model.ManualClock) -> None:
        """The expiry is queued behind a stuck callback; the owner deletes its route and next hop and
        deregisters meanwhile: nothing is delivered and no deregistration record blames it."""
        inside, release = threading.Event(), threading.Event()
        log: list[int] = []
        with v2model.RoutingTableManager(clock=clock, delivery="threads") as rtm:
            rip = self.blocked_owner(rtm, inside, release, log)
            nh = nexthop(rtm, rip, "192.0.2.1", 1)
            route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh), ttl=0)
            assert inside.wait(WAIT_S)
            rtm.process_timers()
            assert NO_ERROR == rtm.RtmDeleteRouteToDest(rip, route).status
            assert NO_ERROR == rtm.RtmDeleteNextHop(rip, nh, None).status
            regs = rtm.leak_report().for_entity(rip)
            assert regs is not None
            for reg_name in regs.registrations:
                assert reg_name.startswith("<notify")
            rtm.RtmDeregisterEntity(rip)
            release.set()
            wait_bounded(rtm)
            records = [r for r in rtm.leak_report().deregistrations if r.handles]
            assert ([], [RTM_CHANGE_NOTIFICATION]) == (records, log)

    def test_in_flight_reference_is_not_blamed(self, clock: v2model.ManualClock) -> None:
        """The owner's expiry callback is running (stuck) when the owner, from another thread, deletes its route
        and deregisters: the reference lent with Context1 is not in the deregistration record."""
        inside = threading.Event()
        release = threading.Event()

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            if event == RTM_ROUTE_EXPIRED:
                inside.set()
                release.wait(WAIT_S)
            return ERROR_NOT_SUPPORTED

        with v2model.RoutingTableManager(clock=clock, delivery="threads") as rtm:
            rip = register(rtm, PROTO_IP_RIP, callback=callback)
            nh = nexthop(rtm, rip, "192.0.2.1", 1)
            route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh), ttl=0)
            rtm.process_timers()
            assert inside.wait(WAIT_S)
            assert NO_ERROR == rtm.RtmDeleteRouteToDest(rip, route).status
            assert NO_ERROR == rtm.RtmDeleteNextHop(rip, nh, None).status
            assert NO_ERROR == rtm.RtmDeregisterEntity(rip).status
            release.set()
            wait_bounded(rtm)
            assert ((), 0) == (rtm.leak_report().deregistrations, rtm.statistics().open_handles)


class TestWaitForDeliveries:
    """rtm.wait_for_deliveries (M-DELIVERY)."""

    def test_from_a_delivery_thread_returns_false_at_once(self) -> None:
        """Called inside a callback (on a delivery thread) it would wait for itself: False, at once."""
        answers: list[bool] = []
        with v2model.RoutingTableManager() as rtm:

            def callback(*args: Any) -> int:
                answers.append(rtm.wait_for_deliveries(WAIT_S))
                return NO_ERROR

            register(rtm, PROTO_IP_RIP, callback=callback)
            register(rtm, PROTO_IP_OSPF)
            wait_bounded(rtm)
        assert [False] == answers

    def test_inline_has_nothing_pending(self, rtm: v2model.RoutingTableManager) -> None:
        """With inline delivery every callback has run when a call returns: True."""
        register(rtm, PROTO_IP_RIP, callback=lambda *args: 0)
        register(rtm, PROTO_IP_OSPF)
        assert True is rtm.wait_for_deliveries(0)


class TestShimClients:
    """A V1Shim client thread and a native v2 entity thread holding its own lock across calls (the third pattern
    that deadlocked with inline delivery)."""

    def test_v1_client_and_native_entity(self) -> None:
        """The v1 client adds and deletes routes through the shim while OSPF, holding its RLock across each add
        and taking it in its callback, adds routes natively; both finish, and the v1 client's messages name only
        networks that exist or existed."""
        with v2model.RoutingTableManager() as rtm:
            shim = rtmcompat.V1Shim(rtm)
            event = threading.Event()
            status, client = shim.RtmRegisterClient(rtmcompat.RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, event, 0)
            assert NO_ERROR == status
            lock = threading.RLock()
            failures: list[str] = []

            def ospf_callback(handle: Any, event_type: int, context1: Any, context2: Any) -> int:
                if not lock.acquire(timeout=WAIT_S):
                    failures.append("OSPF callback could not take its lock")
                    return NO_ERROR
                try:
                    if event_type == RTM_CHANGE_NOTIFICATION:
                        drained_prefixes(rtm, handle, context1)
                finally:
                    lock.release()
                return NO_ERROR

            ospf = register(rtm, PROTO_IP_OSPF, callback=ospf_callback)
            watch(rtm, ospf)

            def v1_client() -> None:
                for i in range(40):
                    route = rtmcompat.RTM_IP_ROUTE(
                        RR_Network=rtmcompat.ip_network(f"10.9.{i}.0/24"),
                        RR_InterfaceID=1,
                        RR_NextHopAddress=rtmcompat.ip_network("192.0.2.7/32"),
                        RR_FamilySpecificData=rtmcompat.IP_SPECIFIC_DATA(FSD_Metric=3),
                    )
                    if shim.RtmAddRoute(client, route, INFINITE).status != NO_ERROR:
                        failures.append("v1 add failed")
                        return
                    time.sleep(0)
                    while shim.RtmDequeueRouteChangeMessage(client).status in (NO_ERROR, 234):
                        pass

            def native() -> None:
                with lock:
                    nh = nexthop(rtm, ospf, "192.0.2.9", 2)
                for i in range(40):
                    with lock:
                        route, _ = add_route(rtm, ospf, f"10.9.{i}.0/24", route_info(nh, metric=9))
                        time.sleep(0)  # other work under the client's lock
                        rtm.RtmReleaseRoutes(ospf, 1, [route])

            workers = [threading.Thread(target=v1_client, name="v1-rip"), threading.Thread(target=native, name="ospf")]
            for worker in workers:
                worker.start()
            join_bounded(workers, 6 * WAIT_S)
            wait_bounded(rtm)
            assert NO_ERROR == shim.RtmDeregisterClient(client).status
            shim.close()
            assert [] == failures


class TestModelFaultInDelivery:
    def test_delivery_thread_survives_and_reports(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Should delivering one item fail inside the model (a bug, simulated here), the failure is reported
        like an uncaught thread exception and the entity's later deliveries still run."""
        reported: list[BaseException | None] = []
        monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
        heard: list[int] = []
        with v2model.RoutingTableManager() as rtm:
            original = rtm._run_delivery
            calls = iter(range(1000))

            def flaky(item: object) -> None:
                if next(calls) == 0:
                    raise RuntimeError("simulated model bug")
                original(item)

            def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
                heard.append(event)
                return NO_ERROR

            monkeypatch.setattr(rtm, "_run_delivery", flaky)
            register(rtm, PROTO_IP_BGP, callback=callback)
            register(rtm, PROTO_IP_RIP)
            register(rtm, PROTO_IP_OSPF)
            wait_bounded(rtm)
        assert (1, [RTM_ENTITY_REGISTERED]) == (len(reported), heard)
