"""Reliability of the v1 side: handles that cannot be forged (M-V1-HANDLES), ChangeEvent faults contained
(M-EVENT-FAULTS), the copy rule (M-COPIES), and callbacks that never wait for the shim's lock (M-SHIM-THREADS,
M-EXPIRY-INFLIGHT). Each behaviour is checked on V1Shim and, where the reference has it, on V1Reference."""

from __future__ import annotations

import copy
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog
from structlog.testing import LogCapture

import rtmcompat
import v2model
from rtmcompat import (
    ERROR_CLIENT_ALREADY_EXISTS,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    INFINITE,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    V1Client,
    V1Enum,
    V1Reference,
    V1Shim,
    ip_network,
)
from tests.rtmcompat.support import (
    Message,
    add,
    as_ip,
    drain,
    dump,
    ip_route,
    metric_of,
    stored,
    v2_add,
    v2_register,
)
from v2model import RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL, RTM_VIEW_MASK_UCAST

IP = RTM_PROTOCOL_FAMILY_IP
Api = V1Shim | V1Reference


@pytest.fixture(params=["shim", "reference"])
def api(request: pytest.FixtureRequest, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> Iterator[Api]:
    """Each test runs on V1Shim and on V1Reference (same clock)."""
    if request.param == "shim":
        shim = V1Shim(rtm)
        yield shim
        shim.close()
    else:
        yield V1Reference(clock=clock)


def register(api: Api, protocol: int, event: Any = None) -> Any:
    """RtmRegisterClient asserting success."""
    status, client = api.RtmRegisterClient(IP, protocol, event, 0)
    assert NO_ERROR == status
    return client


class FailingEvent(threading.Event):
    """A ChangeEvent whose set() (and, when asked, clear()) raise after doing their work."""

    def __init__(self, fail_set: bool = True, fail_clear: bool = False) -> None:
        super().__init__()
        self.fail_set = fail_set
        self.fail_clear = fail_clear

    def set(self) -> None:
        super().set()
        if self.fail_set:
            raise RuntimeError("set failed")

    def clear(self) -> None:
        super().clear()
        if self.fail_clear:
            raise RuntimeError("clear failed")


class TestForgedHandles:
    """Only the handles an API handed out are valid, by identity: copies, ``__new__``-made objects and handles
    built by hand are ERROR_INVALID_HANDLE and change nothing (M-V1-HANDLES, issue 9 defect 4)."""

    @staticmethod
    def forgeries(real: Any) -> list[Any]:
        made = object.__new__(type(real))
        return [copy.copy(real), made]

    def test_copied_client_is_refused_everywhere(self, api):
        """A copy of a live client (and an object made with __new__) is no client: deregistration, add, delete,
        dequeue and block delete all give ERROR_INVALID_HANDLE, the table and the real client unchanged."""
        rip = register(api, PROTO_IP_RIP, threading.Event())
        add(api, rip, ip_route())
        before = dump(api)
        for fake in self.forgeries(rip):
            assert (ERROR_INVALID_HANDLE,) == api.RtmDeregisterClient(fake)
            assert ERROR_INVALID_HANDLE == api.RtmAddRoute(fake, ip_route("10.9.0.0/16"), INFINITE).status
            assert ERROR_INVALID_HANDLE == api.RtmDeleteRoute(fake, ip_route()).status
            assert ERROR_INVALID_HANDLE == api.RtmDequeueRouteChangeMessage(fake).status
            assert (ERROR_INVALID_HANDLE,) == api.RtmBlockDeleteRoutes(fake, 0, None)
        assert before == dump(api)
        assert (NO_ERROR,) == api.RtmDeregisterClient(rip)
        assert [] == dump(api)

    def test_client_built_by_hand_cannot_free_the_protocol(self, clock):
        """A ReferenceClient built by hand with the real client's protocol is refused; the protocol stays taken
        (issue 9 defect 4: it used to free the real client's slot)."""
        ref = V1Reference(clock=clock)
        real = register(ref, PROTO_IP_RIP)
        fake = rtmcompat.ReferenceClient(ref, real.codec, PROTO_IP_RIP, None, False, None)
        assert (ERROR_INVALID_HANDLE,) == ref.RtmDeregisterClient(fake)
        assert ERROR_CLIENT_ALREADY_EXISTS == ref.RtmRegisterClient(IP, PROTO_IP_RIP, None, 0).status
        assert (NO_ERROR,) == ref.RtmDeregisterClient(real)

    def test_deregistering_a_copy_of_a_shim_client_raises_nothing(self, rtm):
        """Deregistering a copy of a V1Shim client is ERROR_INVALID_HANDLE and leaves the entity registered (it
        used to raise KeyError after deregistering the entity); the real client then deregisters cleanly."""
        shim = V1Shim(rtm)
        rip = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        assert (ERROR_INVALID_HANDLE,) == shim.RtmDeregisterClient(copy.copy(rip))
        assert 1 == rtm.statistics()["routes"]
        assert (NO_ERROR,) == shim.RtmDeregisterClient(rip)
        assert 0 == rtm.statistics()["routes"]
        shim.close()
        assert rtm.leak_report().empty, rtm.leak_report()

    def test_copied_enumeration_is_refused(self, api):
        """A copy of an open enumeration is no enumeration; the real one goes on and closes normally."""
        rip = register(api, PROTO_IP_RIP)
        add(api, rip, ip_route())
        status, enum = api.RtmCreateEnumerationHandle(IP, 0)
        assert NO_ERROR == status
        for fake in self.forgeries(enum):
            assert (ERROR_INVALID_HANDLE, None) == api.RtmEnumerateGetNextRoute(fake)
            assert (ERROR_INVALID_HANDLE,) == api.RtmCloseEnumerationHandle(fake)
        assert NO_ERROR == api.RtmEnumerateGetNextRoute(enum).status
        assert (NO_ERROR,) == api.RtmCloseEnumerationHandle(enum)

    def test_handles_do_not_cross_apis(self, rtm, clock):
        """A shim's client is not a handle of another shim, nor of the reference, and the other way round."""
        first, second, ref = V1Shim(rtm), V1Shim(rtm), V1Reference(clock=clock)
        shim_client = register(first, PROTO_IP_RIP)
        ref_client = register(ref, PROTO_IP_RIP)
        assert (ERROR_INVALID_HANDLE,) == second.RtmDeregisterClient(shim_client)
        assert (ERROR_INVALID_HANDLE,) == ref.RtmDeregisterClient(shim_client)
        assert (ERROR_INVALID_HANDLE,) == first.RtmDeregisterClient(ref_client)
        assert (NO_ERROR,) == first.RtmDeregisterClient(shim_client)
        first.close()
        second.close()


class TestEventFaults:
    """A ChangeEvent whose set() or clear() raises breaks nobody else, loses no message and is recorded with its
    client's name (M-EVENT-FAULTS, issue 9 defect 5)."""

    def test_failing_set_does_not_reach_another_clients_call(self, api):
        """RIP's event fails on set(): OSPF's add and delete still return NO_ERROR with their flags, BGP (after
        RIP in line) still gets its messages and its event set, and each fault is recorded naming RIP."""
        rip = register(api, PROTO_IP_RIP, FailingEvent())
        bgp_event = threading.Event()
        bgp = register(api, PROTO_IP_BGP, bgp_event)
        ospf = register(api, PROTO_IP_OSPF)
        result = api.RtmAddRoute(ospf, ip_route(), INFINITE)
        assert (NO_ERROR, RTM_ROUTE_ADDED) == (result.status, result.Flags)
        assert bgp_event.is_set()
        assert (NO_ERROR, rtmcompat.RTM_ROUTE_DELETED) == tuple(api.RtmDeleteRoute(ospf, ip_route()))[:2]
        assert [RTM_ROUTE_ADDED, rtmcompat.RTM_ROUTE_DELETED] == [m.flags for m in drain(api, bgp)]
        assert 2 == len(drain(api, rip))
        assert 2 == len(api.diagnostics)
        assert all(line.startswith(f"{rip!r}: ChangeEvent.set() raised RuntimeError") for line in api.diagnostics)

    def test_failing_clear_at_registration_leaves_nothing(self, api):
        """An event whose clear() raises makes RtmRegisterClient fail with ERROR_INVALID_PARAMETER and register
        nothing: a retry with a good event succeeds (it used to get ERROR_ALREADY_EXISTS)."""
        bad = FailingEvent(fail_set=False, fail_clear=True)
        assert (ERROR_INVALID_PARAMETER, None) == api.RtmRegisterClient(IP, PROTO_IP_RIP, bad, 0)
        assert 1 == len(api.diagnostics)
        assert "ChangeEvent.clear() raised RuntimeError" in api.diagnostics[0]
        status, client = api.RtmRegisterClient(IP, PROTO_IP_RIP, threading.Event(), 0)
        assert NO_ERROR == status
        assert (NO_ERROR,) == api.RtmDeregisterClient(client)

    def test_failing_clear_at_registration_leaves_no_entity(self, rtm):
        """On the shim, the failed registration also leaves no v2 entity behind."""
        shim = V1Shim(rtm)
        before = rtm.statistics()["entities"]
        assert ERROR_INVALID_PARAMETER == shim.RtmRegisterClient(IP, PROTO_IP_RIP, FailingEvent(False, True)).status
        assert before == rtm.statistics()["entities"]
        shim.close()

    def test_failing_clear_at_dequeue_loses_no_message(self, api):
        """RtmDequeueRouteChangeMessage returns the last message even when the event's clear() raises, and
        records the fault."""
        event = FailingEvent(fail_set=False)
        rip = register(api, PROTO_IP_RIP, event)
        ospf = register(api, PROTO_IP_OSPF)
        event.fail_clear = True
        add(api, ospf, ip_route())
        expected = (NO_ERROR, RTM_ROUTE_ADDED, stored(ip_route(), PROTO_IP_OSPF, 0), None)
        assert expected == tuple(api.RtmDequeueRouteChangeMessage(rip))
        assert 1 == len(api.diagnostics)
        assert "ChangeEvent.clear() raised" in api.diagnostics[0]

    def test_event_with_hostile_attribute_access(self, api):
        """An object whose attribute access raises is no event: ERROR_INVALID_PARAMETER, nothing registered
        (M-HOSTILE)."""

        class Hostile:
            def __getattribute__(self, name: str) -> Any:
                raise RuntimeError(name)

        assert (ERROR_INVALID_PARAMETER, None) == api.RtmRegisterClient(IP, PROTO_IP_RIP, Hostile(), 0)
        assert NO_ERROR == api.RtmRegisterClient(IP, PROTO_IP_RIP, None, 0).status

    def test_diagnostics_keep_the_newest_thousand(self, api):
        """1,005 faults keep the newest 1,000 lines and count 5 dropped."""
        register(api, PROTO_IP_RIP, FailingEvent())
        ospf = register(api, PROTO_IP_OSPF)
        for i in range(1005):
            add(api, ospf, ip_route("10.1.0.0/16", metric=1 + i % 2))
        assert (1000, 5) == (len(api.diagnostics), api.diagnostics_dropped)


class TestCopies:
    """Structures passed in are never kept; structures returned are fresh (M-COPIES)."""

    def test_route_passed_in_is_not_kept(self, api):
        """Mutating the route (and its nested structures) after RtmAddRoute changes nothing stored."""
        rip = register(api, PROTO_IP_RIP)
        route = ip_route(psd=(1, 2, 3, 4))
        add(api, rip, route)
        route.RR_FamilySpecificData.FSD_Metric = 99
        route.RR_ProtocolSpecificData.PSD_Data[0] = 77
        route.RR_Network.N_NetMask = 0
        assert [stored(ip_route(psd=(1, 2, 3, 4)), PROTO_IP_RIP, 0)] == dump(api)

    def test_returned_routes_are_fresh(self, api):
        """Mutating what RtmAddRoute, RtmIsRoute, RtmGetFirstRoute and a dequeued message returned changes
        neither the table nor another client's copy of the same message."""
        rip = register(api, PROTO_IP_RIP)
        events = [threading.Event(), threading.Event()]
        listeners = [register(api, PROTO_IP_OSPF, events[0]), register(api, PROTO_IP_BGP, events[1])]
        cur = api.RtmAddRoute(rip, ip_route(psd=(1, 2, 3, 4)), INFINITE).CurBestRoute
        assert cur is not None
        for route in (cur, api.RtmIsRoute(IP, ip_network("10.1.0.0/16")).BestRoute, api.RtmGetFirstRoute(IP, 0).Route):
            assert route is not None
            route.RR_FamilySpecificData.FSD_Metric = 99
            route.RR_ProtocolSpecificData.PSD_Data.append(5)
        first = drain(api, listeners[0])
        as_ip(first[0].cur).RR_FamilySpecificData.FSD_Metric = 42
        expected = stored(ip_route(psd=(1, 2, 3, 4)), PROTO_IP_RIP, 0)
        assert [Message(RTM_ROUTE_ADDED, expected, None)] == drain(api, listeners[1])
        assert [expected] == dump(api)

    def test_the_shim_keeps_no_v1_record_in_the_v2_route(self, rtm):
        """The v2 route carries nothing of the v1 record in EntitySpecificInfo (the shim keeps its records in its
        own index, M-COPIES)."""
        shim = V1Shim(rtm)
        rip = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        reader = v2_register(rtm, PROTO_IP_BGP)
        status, info = rtm.RtmGetExactMatchDestination(
            reader, v2model.net_address("10.1.0.0/16"), v2model.RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
        )
        assert NO_ERROR == status
        assert info is not None
        route = info.ViewInfo[0].Route
        status, route_info, _dest = rtm.RtmGetRouteInfo(reader, route)
        assert NO_ERROR == status
        assert route_info is not None
        assert not route_info.EntitySpecificInfo
        rtm.RtmReleaseRouteInfo(reader, route_info)
        rtm.RtmReleaseDestInfo(reader, info)
        rtm.RtmDeregisterEntity(reader)
        shim.close()


def _wait_until(predicate: Callable[[], bool], what: str) -> None:
    """Wait (bounded) for another thread; on timeout fail with every thread's stack."""
    done = threading.Event()
    for _ in range(2000):
        if predicate():
            return
        done.wait(0.005)
    frames = "\n".join(f"{tid}: {frame.f_code.co_name}" for tid, frame in sys._current_frames().items())
    pytest.fail(f"timed out waiting for {what}\n{frames}")


class _HookLogger:
    """A mapping logger that runs ``hook`` once, under the shim's lock, when the named v1 call is logged."""

    def __init__(self, v1: str, hook: Callable[[], None]) -> None:
        self.v1 = v1
        self.hook: Callable[[], None] | None = hook
        self.cap = LogCapture()
        self.logger = structlog.wrap_logger(None, processors=[self.cap])

    def info(self, event: str, **fields: Any) -> None:
        if self.hook is not None and fields.get("v1") == self.v1:
            hook, self.hook = self.hook, None
            hook()
        self.logger.info(event, **fields)


class TestCallbacksNeverWait:
    """RTMv2 callbacks never wait for the shim's lock: what they bring is done by the lock's holder before it
    lets go (M-SHIM-THREADS, issue 9 defect 1)."""

    def test_native_change_on_another_thread_is_settled_by_the_holder(self, rtm):
        """While a v1 call holds the lock, a native entity on another thread adds a route: that thread is not
        blocked, and the change reaches the v1 client before the v1 call returns."""
        native = v2_register(rtm, PROTO_IP_BGP)
        finished: list[bool] = []

        def other_thread() -> None:
            v2_add(rtm, native, "10.7.0.0/16", "192.0.2.9", 4)
            finished.append(True)

        def hook() -> None:
            worker = threading.Thread(target=other_thread)
            worker.start()
            worker.join(10)
            finished.append(not worker.is_alive())

        logger = _HookLogger("RtmGetNetworkCount", hook)
        shim = V1Shim(rtm, mapping_logger=logger)
        ospf_event = threading.Event()
        ospf = register(shim, PROTO_IP_OSPF, ospf_event)
        assert (NO_ERROR, 0) == tuple(shim.RtmGetNetworkCount(IP))
        assert [True, True] == finished
        assert ospf_event.is_set()
        [message] = drain(shim, ospf)
        assert (RTM_ROUTE_ADDED, None) == (message.flags, message.prev)
        assert message.cur is not None
        assert ip_network("10.7.0.0/16") == message.cur.RR_Network
        shim.close()

    def test_event_that_takes_the_callers_lock_does_not_deadlock(self, rtm):
        """A ChangeEvent whose set() takes a lock that another thread holds while calling the shim: the events
        are set after the shim's lock is released, so both calls finish (M-EVENT-SIGNAL)."""
        user_lock = threading.Lock()

        class LockingEvent(threading.Event):
            def set(self) -> None:
                with user_lock:
                    super().set()

        holding = threading.Event()
        results: list[int] = []

        def other_thread() -> None:
            with user_lock:
                holding.set()
                results.append(shim.RtmGetNetworkCount(IP).status)

        def on_change(handle: Any, event: int, context1: Any, context2: Any) -> int:
            # Runs inside the shim's RtmAddRoute, under its lock, before the listeners are told: the other thread
            # takes its lock, then waits for the shim's.
            if event == RTM_CHANGE_NOTIFICATION and not holding.is_set():
                threading.Thread(target=other_thread, daemon=True).start()
                _wait_until(holding.is_set, "the other thread to hold its lock")
            return NO_ERROR

        watcher = v2_register(rtm, PROTO_IP_BGP, callback=on_change)
        assert (
            NO_ERROR == rtm.RtmRegisterForChangeNotification(watcher, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL).status
        )
        shim = V1Shim(rtm)
        register(shim, PROTO_IP_RIP, LockingEvent())
        ospf = register(shim, PROTO_IP_OSPF)
        caller = threading.Thread(
            target=lambda: results.append(shim.RtmAddRoute(ospf, ip_route(), INFINITE).status), daemon=True
        )
        caller.start()
        caller.join(10)
        assert not caller.is_alive(), "deadlock: the event was set under the shim's lock"
        _wait_until(lambda: len(results) == 2, "both calls")
        assert [NO_ERROR, NO_ERROR] == sorted(results)

    def test_expiry_in_flight_during_deregistration(self, rtm, clock):
        """RIP deregisters while RTM_ROUTE_EXPIRED for its second route arrives on another thread: the other
        thread is not blocked, the expiry is answered, and RIP's deregistration leaves no record in the leak
        report (M-EXPIRY-INFLIGHT, issue 9 item 9)."""
        shim = V1Shim(rtm)
        rip = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.2.0.0/16"), 5)
        fired: list[bool] = []

        def on_change(handle: Any, event: int, context1: Any, context2: Any) -> int:
            # Runs on this thread inside the shim's deregistration (after its first RTMv2 delete).
            if event == RTM_CHANGE_NOTIFICATION and not fired:
                clock.advance(5_000)
                timers = threading.Thread(target=rtm.process_timers)
                timers.start()
                timers.join(10)
                fired.append(not timers.is_alive())
            return NO_ERROR

        watcher = v2_register(rtm, PROTO_IP_BGP, callback=on_change)
        status, notify = rtm.RtmRegisterForChangeNotification(watcher, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)
        assert NO_ERROR == status
        name = rip.entity.name
        assert (NO_ERROR,) == shim.RtmDeregisterClient(rip)
        report = rtm.leak_report()
        assert [] == [record for record in report.deregistrations if record.entity == name]
        assert [True] == fired
        while True:  # the watcher cleans up after itself
            status, count, infos = rtm.RtmGetChangedDests(watcher, notify, 10)
            if count:
                rtm.RtmReleaseChangedDests(watcher, notify, count, infos)
            if status != NO_ERROR:
                break
        rtm.RtmDeregisterFromChangeNotification(watcher, notify)
        rtm.RtmDeregisterEntity(watcher)
        shim.close()
        assert rtm.leak_report().empty, rtm.leak_report()


class TestEventsWithTheSystemClock:
    """With the system clock a threading.Event is still set before the call returns; other event objects are set
    on the API's event thread (M-EVENT-SIGNAL)."""

    @pytest.mark.parametrize("kind", ["shim", "reference"])
    def test_plain_event_is_set_before_the_call_returns(self, kind):
        """One thread: after OSPF's add returns, RIP's threading.Event is already set."""
        with v2model.RoutingTableManager() as rtm:
            api: Any = V1Shim(rtm) if kind == "shim" else V1Reference()
            event = threading.Event()
            rip = register(api, PROTO_IP_RIP, event)
            ospf = register(api, PROTO_IP_OSPF)
            add(api, ospf, ip_route())
            assert event.is_set()
            assert [RTM_ROUTE_ADDED] == [m.flags for m in drain(api, rip)]
            if kind == "shim":
                api.close()

    def test_other_events_are_set_on_the_event_thread(self):
        """An event object of another type is set off the calling thread, and close() waits for it."""
        with v2model.RoutingTableManager() as system:
            shim = V1Shim(system)
            threads: list[str] = []

            class Recording(threading.Event):
                def set(self) -> None:
                    threads.append(threading.current_thread().name)
                    super().set()

            register(shim, PROTO_IP_RIP, Recording())
            ospf = register(shim, PROTO_IP_OSPF)
            add(shim, ospf, ip_route())
            shim.close()
            assert 1 == len(threads)
            assert threads[0].startswith("rtmcompat-events-")


class TestEventSetAgain:
    """A threading.Event already set is left as it is; one its client cleared is set again; an event whose set()
    is not the class's own is called for every change (M-EVENT-SIGNAL)."""

    def test_event_cleared_by_its_client_is_set_again(self, api):
        """RIP clears its event without dequeuing: the next change sets it again."""
        event = threading.Event()
        rip = register(api, PROTO_IP_RIP, event)
        ospf = register(api, PROTO_IP_OSPF)
        add(api, ospf, ip_route("10.1.0.0/16"))
        assert event.is_set()
        add(api, ospf, ip_route("10.2.0.0/16"))
        assert event.is_set()
        event.clear()
        add(api, ospf, ip_route("10.3.0.0/16"))
        assert event.is_set()
        assert [RTM_ROUTE_ADDED] * 3 == [m.flags for m in drain(api, rip)]
        assert not event.is_set()

    def test_replaced_set_is_called_for_every_change(self, api):
        """A threading.Event whose instance's set was replaced: the replacement is called after each add, event
        set or not."""
        event = threading.Event()
        calls: list[bool] = []

        def counting_set() -> None:
            calls.append(event.is_set())
            threading.Event.set(event)

        event.set = counting_set  # type: ignore[method-assign]
        register(api, PROTO_IP_RIP, event)
        ospf = register(api, PROTO_IP_OSPF)
        add(api, ospf, ip_route("10.1.0.0/16"))
        add(api, ospf, ip_route("10.2.0.0/16"))
        assert [False, True] == calls


class TestSharedRegistration:
    """One change registration per family serves every client with an event (M-SHARED-NOTIFY)."""

    def test_adds_cost_three_v2_calls(self, rtm):
        """With an owner and two listening clients, a v1 add makes RtmAddRouteToDest, RtmGetChangedDests and
        RtmReleaseChangedDests (and RtmAddNextHop for a new next hop), and no best-route re-read."""
        cap = LogCapture()
        shim = V1Shim(rtm, mapping_logger=structlog.wrap_logger(None, processors=[cap]))
        rip = register(shim, PROTO_IP_RIP, threading.Event())
        register(shim, PROTO_IP_OSPF, threading.Event())
        register(shim, PROTO_IP_BGP, threading.Event())
        add(shim, rip, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.2.0.0/16", metric=3))
        first, second = ({c["call"]: c["count"] for c in e["v2"]} for e in cap.entries[-2:])
        drain_calls = {"RtmAddRouteToDest": 1, "RtmGetChangedDests": 1, "RtmReleaseChangedDests": 1}
        assert {"RtmAddNextHop": 1, **drain_calls} == first
        assert drain_calls == second
        shim.close()

    def test_update_of_a_field_v2_does_not_see(self, api):
        """Changing only FSD_Metric1 of the best route (RTMv2 sees no BEST change) is still a v1 CHANGED message
        with Prev and Cur (V1-5.2)."""
        rip = register(api, PROTO_IP_RIP)
        ospf = register(api, PROTO_IP_OSPF, threading.Event())
        add(api, rip, ip_route())
        drain(api, ospf)
        flags, cur, prev = add(api, rip, ip_route(metric1=7))
        assert (RTM_ROUTE_CHANGED, 7, 0) == (
            flags,
            cur.RR_FamilySpecificData.FSD_Metric1,
            prev.RR_FamilySpecificData.FSD_Metric1,
        )
        [message] = drain(api, ospf)
        assert Message(RTM_ROUTE_CHANGED, cur, prev) == message
        assert 1 == metric_of(message[1])

    def test_client_objects_identify(self, rtm):
        """Handles returned are V1Client / V1Enum objects (the registries hold exactly these)."""
        shim = V1Shim(rtm)
        rip = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        assert type(rip) is V1Client
        assert type(shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle) is V1Enum
        shim.close()
