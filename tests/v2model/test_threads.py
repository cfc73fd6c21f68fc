"""Thread safety: concurrent clients end in a consistent table; callbacks run outside the lock (V2-A-notify-delivery;
_manager "Theory of operation")."""

from __future__ import annotations

import threading
import time
from typing import Any

import v2model
from v2model import (
    ERROR_NOT_SUPPORTED,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import WAIT_S, Event, Recorder, drained_prefixes, enum_dest_prefixes, enum_routes, some, view_of
from .support import nexthop, register, route_info

THREADS = 4
PREFIXES = [f"10.{i // 16}.{i % 16}.0/24" for i in range(96)]


def run_all(workers: list[threading.Thread]) -> None:
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(WAIT_S * 3)
    assert [] == [w.name for w in workers if w.is_alive()]


class TestConcurrentClients:
    """Several entities adding and deleting routes from their own threads at once."""

    def test_adds_and_deletes_end_consistent(self, rtm: v2model.RoutingTableManager) -> None:
        """Four threads each add a route to every prefix (thread k with metric k+1), then delete the routes of
        every other prefix. Whatever the interleaving: the counts are exact, each remaining destination's best
        route is the lowest metric, deleted ones are gone, no call failed, and cleanup leaves nothing (
        V2-A-notify-delivery)."""
        protocols = [PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP, v2model.PROTO_IP_IS_IS]
        entities = [register(rtm, p) for p in protocols]
        failures: list[Any] = []
        start = threading.Barrier(THREADS)
        kept: dict[int, list[Any]] = {}

        def client(k: int) -> None:
            ent = entities[k]
            nh = nexthop(rtm, ent, f"192.0.2.{k + 1}", k + 1)
            routes = {}
            start.wait(WAIT_S)
            for prefix in PREFIXES:
                status, route, _ = rtm.RtmAddRouteToDest(ent, None, net_address(prefix), route_info(nh, metric=k + 1))
                if status != NO_ERROR:
                    failures.append(("add", k, prefix, status))
                routes[prefix] = route
            for i, prefix in enumerate(PREFIXES):
                if i % 2 == 0 or (i % 3 == 0 and k == 0):
                    status, _ = rtm.RtmDeleteRouteToDest(ent, routes.pop(prefix))
                    if status != NO_ERROR:
                        failures.append(("delete", k, prefix, status))
            kept[k] = [*routes.values(), nh]

        run_all([threading.Thread(target=client, args=(k,), name=f"client-{k}") for k in range(THREADS)])
        assert [] == failures
        remaining = [p for i, p in enumerate(PREFIXES) if i % 2]
        rip_gone = {p for i, p in enumerate(PREFIXES) if i % 2 and i % 3 == 0}
        stats = rtm.statistics()
        assert (len(remaining), THREADS * len(remaining) - len(rip_gone)) == (stats["destinations"], stats["routes"])
        observer = entities[0]
        assert sorted(remaining, key=lambda p: tuple(map(int, p[:-3].split(".")))) == enum_dest_prefixes(
            rtm, observer, views=RTM_VIEW_MASK_UCAST
        )
        for prefix in remaining:
            views = view_of(rtm, observer, prefix)
            assert views is not None
            owner = entities[1] if prefix in rip_gone else entities[0]
            assert (THREADS - (prefix in rip_gone), repr(owner)) == (views[0].NumRoutes, views[0].Owner), prefix
        for k, ent in enumerate(entities):
            *routes, nh = kept[k]
            assert NO_ERROR == rtm.RtmReleaseRoutes(ent, len(routes), routes).status
            assert NO_ERROR == rtm.RtmReleaseNextHops(ent, 1, [nh]).status
            assert NO_ERROR == rtm.RtmDeregisterEntity(ent).status
        assert {"entities": 0, "destinations": 0, "routes": 0, "next_hops": 0, "open_handles": 0} == dict(
            rtm.statistics()
        )
        assert len(rtm.leak_report().deregistrations) == THREADS

    def test_watcher_sees_every_destination(self, rtm: v2model.RoutingTableManager) -> None:
        """A watcher draining in its callback while four threads add routes: together with a final drain it
        has seen every destination exactly once (V2-A-notify-delivery)."""
        seen: list[str] = []
        lock = threading.Lock()
        watcher_ref: list[Any] = []

        def on_event(event: Event) -> None:
            if event.event == RTM_CHANGE_NOTIFICATION:
                got = drained_prefixes(rtm, watcher_ref[0], event.context1)
                with lock:
                    seen.extend(got)

        watcher = register(rtm, PROTO_IP_BGP, callback=Recorder(on_event=on_event))
        watcher_ref.append(watcher)
        status, reg = rtm.RtmRegisterForChangeNotification(watcher, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        assert NO_ERROR == status
        start = threading.Barrier(THREADS)

        def client(k: int) -> None:
            ent = register(rtm, PROTO_IP_RIP, k)
            nh = nexthop(rtm, ent, f"192.0.2.{k + 1}", k + 1)
            start.wait(WAIT_S)
            for prefix in PREFIXES[k::THREADS]:
                rtm.RtmAddRouteToDest(ent, None, net_address(prefix), route_info(nh))

        run_all([threading.Thread(target=client, args=(k,), name=f"client-{k}") for k in range(THREADS)])
        seen.extend(drained_prefixes(rtm, watcher, reg))
        assert sorted(PREFIXES) == sorted(set(seen))
        assert len(seen) == len(PREFIXES)


class TestCallbacksOutsideTheLock:
    """Callbacks run after the mutating call's body, with no RTM lock held (V2-A-notify-delivery)."""

    def test_another_thread_can_call_while_a_callback_runs(self, rtm: v2model.RoutingTableManager) -> None:
        """While OSPF's change callback is running, another thread completes API calls (it would deadlock if
        RTM still held its lock) (V2-A-notify-delivery)."""
        outcome: list[Any] = []

        def on_event(event: Event) -> None:
            if event.event != RTM_CHANGE_NOTIFICATION:
                return
            done = threading.Event()

            def other() -> None:
                outcome.append(
                    rtm.RtmGetExactMatchDestination(rip, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST).status
                )
                outcome.append(rtm.RtmAddRouteToDest(rip, None, net_address("10.2.0.0/16"), route_info(nh)).status)
                done.set()

            worker = threading.Thread(target=other, name="other-client")
            worker.start()
            outcome.append(done.wait(WAIT_S))
            worker.join(WAIT_S)

        ospf = register(rtm, PROTO_IP_OSPF, callback=Recorder(on_event=on_event))
        rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        assert NO_ERROR == rtm.RtmAddRouteToDest(rip, None, net_address("10.1.0.0/16"), route_info(nh)).status
        assert [NO_ERROR, NO_ERROR, True] == outcome[:3]

    def test_callbacks_may_cascade(self, rtm: v2model.RoutingTableManager) -> None:
        """A callback that changes the table (re-entering the API) causes further notifications, which are
        delivered too, outside any call's body (V2-A-notify-delivery)."""
        ospf_nh: list[Any] = []

        def ospf_reacts(event: Event) -> None:
            if event.event == RTM_CHANGE_NOTIFICATION:
                for prefix in drained_prefixes(rtm, event.handle, event.context1):
                    if prefix.startswith("10."):
                        mirrored = "172.16." + prefix.split(".")[1] + ".0/24"
                        rtm.RtmAddRouteToDest(event.handle, None, net_address(mirrored), route_info(ospf_nh[0]))

        bgp_events = Recorder()
        bgp = register(rtm, PROTO_IP_BGP, callback=bgp_events)
        ospf = register(rtm, PROTO_IP_OSPF, callback=Recorder(on_event=ospf_reacts))
        ospf_nh.append(nexthop(rtm, ospf, "198.51.100.1", 2))
        _, ospf_reg = rtm.RtmRegisterForChangeNotification(ospf, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        _, bgp_reg = rtm.RtmRegisterForChangeNotification(bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL)
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmAddRouteToDest(rip, None, net_address("10.5.0.0/16"), route_info(nh))
        assert ["10.5.0.0/16", "172.16.5.0/24"] == drained_prefixes(rtm, bgp, bgp_reg)
        assert 1 <= len(bgp_events.notifications)
        assert [] == drained_prefixes(rtm, ospf, ospf_reg)


class TestTimerThreadConcurrency:
    """The system clock's timer thread ages routes while client threads are busy (M-TIME)."""

    def test_short_lived_routes_from_several_threads_all_age_out(self) -> None:
        """Threads add routes with TTLs of a few ms on the real clock; the timer thread deletes them all
        (callbacks answer ERROR_NOT_SUPPORTED). Waits with a generous timeout only (V2-A-notify-delivery)."""
        with v2model.RoutingTableManager() as rtm:
            start = threading.Barrier(THREADS)
            failures: list[Any] = []

            def client(k: int) -> None:
                ent = register(rtm, PROTO_IP_RIP, k, callback=Recorder(expired_answer=ERROR_NOT_SUPPORTED))
                nh = nexthop(rtm, ent, f"192.0.2.{k + 1}", k + 1)
                start.wait(WAIT_S)
                for i, prefix in enumerate(PREFIXES[:24]):
                    status, route, _ = rtm.RtmAddRouteToDest(
                        ent, None, net_address(prefix), route_info(nh, metric=k + 1), i % 7
                    )
                    if status != NO_ERROR:
                        failures.append(status)
                    rtm.RtmReleaseRoutes(ent, 1, [some(route)])

            run_all([threading.Thread(target=client, args=(k,), name=f"client-{k}") for k in range(THREADS)])
            deadline = time.monotonic() + WAIT_S
            while rtm.statistics()["routes"] and time.monotonic() < deadline:
                time.sleep(0.01)
            assert ([], 0, 0) == (failures, rtm.statistics()["routes"], rtm.statistics()["destinations"])
            observer = register(rtm, PROTO_IP_OSPF)
            assert [] == enum_routes(rtm, observer)
