"""Helpers for the scenario tests of the RTMv2 model: a recording event callback, change draining, enumeration
loops written the way the Microsoft samples write them, and a black-box fingerprint of the whole table.

Every helper releases whatever it obtains, so a test that uses them still ends with an empty leak report.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import pytest

import v2model
from v2model import (
    ERROR_NO_MORE_ITEMS,
    ERROR_NOT_SUPPORTED,
    NO_ERROR,
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_DEST_INFO,
    RTM_ENUM_START,
    RTM_ROUTE_EXPIRED,
    RTM_VIEW_MASK_ALL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_UCAST,
    format_net_address,
    net_address,
)

from .support import add_route, nexthop, register, route_info

#: Generous bound for anything that waits on another thread; never reached when the model is right.
WAIT_S = 10.0

T = TypeVar("T")


def some(value: T | None) -> T:
    """An out-parameter of a successful call, which is never None (binding rule 4)."""
    assert value is not None
    return value


def loose(rtm: v2model.RoutingTableManager) -> Any:
    """The API without static types, for the tests that pass wrong-typed arguments on purpose (binding
    rule 5: no argument value makes a method raise)."""
    return rtm


class Event(NamedTuple):
    """One call of an entity's event callback."""

    handle: Any
    event: int
    context1: Any
    context2: Any


class Recorder:
    """An RTM_EVENT_CALLBACK that records every call.

    ``expired_answer`` is what it returns for RTM_ROUTE_EXPIRED (ERROR_NOT_SUPPORTED: "delete it for me").
    ``on_event`` runs inside the callback (after recording) and, when it returns an int, that is the answer.
    """

    def __init__(
        self,
        expired_answer: int = ERROR_NOT_SUPPORTED,
        on_event: Callable[[Event], int | None] | None = None,
    ) -> None:
        self.events: list[Event] = []
        self.expired_answer = expired_answer
        self.on_event = on_event
        self._mutex = threading.Lock()

    def __call__(self, handle: Any, event: int, context1: Any, context2: Any) -> int:
        record = Event(handle, event, context1, context2)
        with self._mutex:
            self.events.append(record)
        if self.on_event is not None:
            answer = self.on_event(record)
            if answer is not None:
                return answer
        return self.expired_answer if event == RTM_ROUTE_EXPIRED else NO_ERROR

    def of(self, event: int) -> list[Event]:
        """The recorded calls of one event type, in order."""
        with self._mutex:
            return [e for e in self.events if e.event == event]

    def clear(self) -> None:
        """Forget what was recorded."""
        with self._mutex:
            self.events.clear()

    @property
    def notifications(self) -> list[Event]:
        """The RTM_CHANGE_NOTIFICATION calls."""
        return self.of(RTM_CHANGE_NOTIFICATION)


def prefix_of(address: v2model.RTM_NET_ADDRESS) -> str:
    """``"10.1.0.0/16"`` for an RTM_NET_ADDRESS."""
    return format_net_address(address)


class ViewSummary(NamedTuple):
    """One ViewInfo element with handles shown by their readable names."""

    ViewId: int
    NumRoutes: int
    Route: str | None
    Owner: str | None
    DestFlags: int
    HoldRoute: str | None


def _name(handle: Any) -> str | None:
    return None if handle is None else repr(handle)


def summarize_dest(info: RTM_DEST_INFO) -> tuple[str, int, tuple[ViewSummary, ...]]:
    """(prefix, BelongsToViews, view summaries) of a destination information structure."""
    views = tuple(
        ViewSummary(v.ViewId, v.NumRoutes, _name(v.Route), _name(v.Owner), v.DestFlags, _name(v.HoldRoute))
        for v in info.ViewInfo
    )
    return prefix_of(info.DestAddress), info.BelongsToViews, views


def drain(
    rtm: v2model.RoutingTableManager,
    ent: v2model.Entity,
    notify: v2model.NotifyReg | None,
    batch: int,
) -> list[tuple[int, list[tuple[str, int, tuple[ViewSummary, ...]]]]]:
    """Drain a notification registration the way the callback sample does: get up to ``batch`` changed
    destinations, process them, release them with RtmReleaseChangedDests, repeat while the count is not 0.
    Returns one (status, summaries) pair per RtmGetChangedDests call."""
    calls = []
    while True:
        status, count, infos = rtm.RtmGetChangedDests(ent, notify, batch)
        assert status in (NO_ERROR, ERROR_NO_MORE_ITEMS), status
        assert count is not None
        assert infos is not None
        calls.append((status, [summarize_dest(i) for i in infos]))
        assert NO_ERROR == rtm.RtmReleaseChangedDests(ent, notify, count, infos).status
        if count == 0:
            return calls


def drained_prefixes(
    rtm: v2model.RoutingTableManager, ent: v2model.Entity, notify: v2model.NotifyReg | None, batch: int = 25
) -> list[str]:
    """The prefixes of every pending changed destination, in the order RtmGetChangedDests returns them."""
    return [summary[0] for _, batch_summaries in drain(rtm, ent, notify, batch) for summary in batch_summaries]


def dest_info(
    rtm: v2model.RoutingTableManager, ent: v2model.Entity, prefix: str, views: int = RTM_VIEW_MASK_ALL
) -> RTM_DEST_INFO:
    """RtmGetExactMatchDestination (asserting success); the caller releases it with RtmReleaseDestInfo."""
    status, info = rtm.RtmGetExactMatchDestination(ent, net_address(prefix), RTM_BEST_PROTOCOL, views)
    assert status == NO_ERROR, (prefix, status)
    assert info is not None
    return info


def view_of(
    rtm: v2model.RoutingTableManager, ent: v2model.Entity, prefix: str, views: int = RTM_VIEW_MASK_UCAST
) -> list[ViewSummary] | None:
    """The view summaries of a destination (None when it is not in the table); everything is released."""
    status, info = rtm.RtmGetExactMatchDestination(ent, net_address(prefix), RTM_BEST_PROTOCOL, views)
    if status != NO_ERROR:
        return None
    assert info is not None
    summary = list(summarize_dest(info)[2])
    assert NO_ERROR == rtm.RtmReleaseDestInfo(ent, info).status
    return summary


class RouteSummary(NamedTuple):
    """What RtmGetRouteInfo says about a route, handles by readable names."""

    prefix: str
    owner: str | None
    neighbour: str | None
    state: int
    flags: int
    preference: int
    metric: int
    views: int
    esi: Any
    nexthops: tuple[str | None, ...]


def route_summary(rtm: v2model.RoutingTableManager, ent: v2model.Entity, route: Any) -> RouteSummary:
    """RtmGetRouteInfo + RtmReleaseRouteInfo of one route."""
    status, info, address = rtm.RtmGetRouteInfo(ent, route)
    assert status == NO_ERROR, status
    assert info is not None
    assert address is not None
    summary = RouteSummary(
        prefix_of(address),
        _name(info.RouteOwner),
        _name(info.Neighbour),
        info.State,
        info.Flags,
        info.PrefInfo.Preference,
        info.PrefInfo.Metric,
        info.BelongsToViews,
        info.EntitySpecificInfo,
        tuple(_name(h) for h in info.NextHopsList.NextHops),
    )
    assert NO_ERROR == rtm.RtmReleaseRouteInfo(ent, info).status
    return summary


def enum_dests(
    rtm: v2model.RoutingTableManager,
    ent: v2model.Entity,
    views: int = RTM_VIEW_MASK_ANY,
    flags: int = RTM_ENUM_START,
    address: v2model.RTM_NET_ADDRESS | None = None,
    batch: int = 25,
    protocol: int = RTM_BEST_PROTOCOL,
) -> list[tuple[str, int, tuple[ViewSummary, ...]]]:
    """Enumerate destinations as the "enumerate all destinations" sample does (loop while NO_ERROR, release
    each batch, delete the enumeration) and return their summaries."""
    status, enum = rtm.RtmCreateDestEnum(ent, views, flags, address, protocol)
    assert status == NO_ERROR, status
    found = []
    while True:
        status, count, infos = rtm.RtmGetEnumDests(ent, enum, batch)
        assert status in (NO_ERROR, ERROR_NO_MORE_ITEMS), status
        assert count is not None
        assert infos is not None
        found += [summarize_dest(i) for i in infos]
        assert NO_ERROR == rtm.RtmReleaseDests(ent, count, infos).status
        if status != NO_ERROR:
            break
    assert NO_ERROR == rtm.RtmDeleteEnumHandle(ent, enum).status
    return found


def enum_dest_prefixes(rtm: v2model.RoutingTableManager, ent: v2model.Entity, **kwargs: Any) -> list[str]:
    """The prefixes :func:`enum_dests` finds, in order."""
    return [summary[0] for summary in enum_dests(rtm, ent, **kwargs)]


def enum_routes(
    rtm: v2model.RoutingTableManager,
    ent: v2model.Entity,
    dest: Any = None,
    views: int = RTM_VIEW_MASK_ANY,
    flags: int = RTM_ENUM_START,
    start: v2model.RTM_NET_ADDRESS | None = None,
    matching: int = 0,
    criteria: v2model.RTM_ROUTE_INFO | None = None,
    interface: int = 0,
    batch: int = 25,
) -> list[RouteSummary]:
    """Enumerate routes as the "enumerate all routes" sample does and return their summaries."""
    status, enum = rtm.RtmCreateRouteEnum(ent, dest, views, flags, start, matching, criteria, interface)
    assert status == NO_ERROR, status
    found = []
    while True:
        status, count, handles = rtm.RtmGetEnumRoutes(ent, enum, batch)
        assert status in (NO_ERROR, ERROR_NO_MORE_ITEMS), status
        assert count is not None
        assert handles is not None
        found += [route_summary(rtm, ent, h) for h in handles]
        assert NO_ERROR == rtm.RtmReleaseRoutes(ent, count, handles).status
        if status != NO_ERROR:
            break
    assert NO_ERROR == rtm.RtmDeleteEnumHandle(ent, enum).status
    return found


def table_state(rtm: v2model.RoutingTableManager, observer: v2model.Entity) -> tuple[Any, ...]:
    """A black-box fingerprint of the table as ``observer`` sees it: every destination (all views, hold-only
    ones included) with its LastChanged, every route's record, the statistics and who holds what.
    Used to check that a call that failed left the table unchanged (M-BINDING-5)."""
    dests = []
    status, enum = rtm.RtmCreateDestEnum(observer, RTM_VIEW_MASK_ANY, RTM_ENUM_START, None, RTM_BEST_PROTOCOL)
    assert status == NO_ERROR, status
    while True:
        status, count, infos = rtm.RtmGetEnumDests(observer, enum, 25)
        assert count is not None
        assert infos is not None
        for info in infos:
            got, full = rtm.RtmGetDestInfo(observer, info.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL)
            assert got == NO_ERROR
            assert full is not None
            dests.append((summarize_dest(full), full.LastChanged))
            assert NO_ERROR == rtm.RtmReleaseDestInfo(observer, full).status
        assert NO_ERROR == rtm.RtmReleaseDests(observer, count, infos).status
        if status != NO_ERROR:
            break
    assert NO_ERROR == rtm.RtmDeleteEnumHandle(observer, enum).status
    routes = enum_routes(rtm, observer)
    stats = rtm.statistics()
    report = rtm.leak_report()
    return tuple(dests), tuple(routes), stats, report.entities, report.deregistrations


def run_in_thread(fn: Callable[[], Any]) -> tuple[bool, Any]:
    """Run ``fn`` in another thread and wait for it (generously); (finished, result)."""
    box: list[Any] = []
    worker = threading.Thread(target=lambda: box.append(fn()), name="test-helper")
    worker.start()
    worker.join(WAIT_S)
    return (not worker.is_alive()), (box[0] if box else None)


def thread_stacks() -> str:
    """Every live thread's name and stack (``sys._current_frames()``): what a bounded wait reports when it
    times out, so a deadlock shows who waits for what."""
    frames = sys._current_frames()
    out = []
    for thread in threading.enumerate():
        frame = frames.get(thread.ident) if thread.ident is not None else None
        stack = "".join(traceback.format_stack(frame)) if frame is not None else "  (no frame)\n"
        out.append(f"--- {thread.name}\n{stack}")
    return "".join(out)


def join_bounded(threads: list[threading.Thread], timeout: float = WAIT_S) -> None:
    """Join ``threads`` within ``timeout`` seconds in all; on timeout fail with every thread's stack."""
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        pytest.fail(f"still running after {timeout} s: {stuck}\n{thread_stacks()}")


def wait_bounded(rtm: v2model.RoutingTableManager, timeout: float = WAIT_S) -> None:
    """``rtm.wait_for_deliveries`` within ``timeout`` seconds; on timeout fail with every thread's stack."""
    if not rtm.wait_for_deliveries(timeout):
        pytest.fail(f"deliveries still pending after {timeout} s\n{thread_stacks()}")


def registrations_of(rtm: v2model.RoutingTableManager, ent: v2model.Entity) -> tuple[str, ...]:
    """The notification registrations, open enumerations and route lists the leak report lists for ``ent``."""
    record = rtm.leak_report().for_entity(repr(ent))
    return () if record is None else tuple(record.registrations)


def handles_of(rtm: v2model.RoutingTableManager, ent: v2model.Entity) -> dict[str, int]:
    """The referenced handles the leak report lists for ``ent`` (readable name -> count)."""
    record = rtm.leak_report().for_entity(repr(ent))
    return {} if record is None else dict(record.handles)


# ------------------------------------------------------------------------------------------------------------
# Bad-input sweep (binding rule 5): every argument position of a method, given values of every wrong kind
# ------------------------------------------------------------------------------------------------------------

#: Statuses that are not a plain failure: they come with data or queue work.
NOT_FAILURES = frozenset(
    {
        NO_ERROR,
        ERROR_NO_MORE_ITEMS,
        v2model.ERROR_INSUFFICIENT_BUFFER,
        v2model.ERROR_IO_PENDING,
    }
)


class SweepWorld:
    """A small table with one live handle of every kind for RIP, stale ones, handles of the manager's IPv6
    table and of another RoutingTableManager, to feed wrong arguments from.

    RIP (opaque slot, one exported method, callback) owns a next hop and a route to 10.1/16 and holds a
    destination information, a notification registration, a route list and open enumerations of every kind;
    OSPF has a route list, a registration and an enumeration of its own; the stale handles belong to objects
    already gone."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        api = loose(rtm)
        methods = v2model.RTM_ENTITY_EXPORT_METHODS(Methods=[lambda *args: None])
        self.rip = register(rtm, v2model.PROTO_IP_RIP, callback=Recorder(), opaque=True, methods=methods)
        self.ospf = register(rtm, v2model.PROTO_IP_OSPF, callback=Recorder())
        self.nh = nexthop(rtm, self.rip, "192.0.2.1", 1)
        self.ospf_nh = nexthop(rtm, self.ospf, "198.51.100.1", 2)
        self.route, _ = add_route(rtm, self.rip, "10.1.0.0/16", route_info(self.nh))
        self.ospf_route, _ = add_route(rtm, self.ospf, "10.1.0.0/16", route_info(self.ospf_nh, metric=9))
        self.info = dest_info(rtm, self.rip, "10.1.0.0/16")
        self.dest = self.info.DestHandle
        self.notify = api.RtmRegisterForChangeNotification(self.rip, 1, 1, None).NotifyHandle
        self.rlist = api.RtmCreateRouteList(self.rip).RouteListHandle
        self.dest_enum = api.RtmCreateDestEnum(self.rip, 1, 0).RtmEnumHandle
        self.route_enum = api.RtmCreateRouteEnum(self.rip, None, 1, 0).RtmEnumHandle
        self.nh_enum = api.RtmCreateNextHopEnum(self.rip, 0).RtmEnumHandle
        self.list_enum = api.RtmCreateRouteListEnum(self.rip, self.rlist).RtmEnumHandle
        self.ospf_notify = api.RtmRegisterForChangeNotification(self.ospf, 1, 1, None).NotifyHandle
        self.ospf_rlist = api.RtmCreateRouteList(self.ospf).RouteListHandle
        self.ospf_enum = api.RtmCreateDestEnum(self.ospf, 1, 0).RtmEnumHandle
        gone = register(rtm, v2model.PROTO_IP_BGP)
        stale_list = api.RtmCreateRouteList(self.rip).RouteListHandle
        stale_enum = api.RtmCreateDestEnum(self.rip, 1, 0).RtmEnumHandle
        stale_notify = api.RtmRegisterForChangeNotification(self.rip, 1, 1, None).NotifyHandle
        api.RtmDeleteRouteList(self.rip, stale_list)
        api.RtmDeleteEnumHandle(self.rip, stale_enum)
        api.RtmDeregisterFromChangeNotification(self.rip, stale_notify)
        api.RtmDeregisterEntity(gone)
        self.stale = {"entity": gone, "list": stale_list, "enum": stale_enum, "notify": stale_notify}
        # Handles of the IPv6 table of the same manager.
        v6 = register(rtm, v2model.PROTO_IP_RIP, af=v2model.AF_INET6)
        v6_nh = nexthop(rtm, v6, "fe80::1", 1)
        v6_route, _ = add_route(rtm, v6, "2001:db8::/32", route_info(v6_nh))
        self.v6 = {
            "entity": v6,
            "nh": v6_nh,
            "route": v6_route,
            "dest": dest_info(rtm, v6, "2001:db8::/32").DestHandle,
            "notify": api.RtmRegisterForChangeNotification(v6, 1, 1, None).NotifyHandle,
            "list": api.RtmCreateRouteList(v6).RouteListHandle,
        }
        # The same kinds of handles from another RoutingTableManager (another table altogether).
        other = v2model.RoutingTableManager(clock=v2model.ManualClock())
        other_api = loose(other)
        foreign = register(other, v2model.PROTO_IP_RIP)
        foreign_nh = nexthop(other, foreign, "192.0.2.1", 1)
        foreign_route, _ = add_route(other, foreign, "10.1.0.0/16", route_info(foreign_nh))
        self.foreign = {
            "entity": foreign,
            "nh": foreign_nh,
            "route": foreign_route,
            "dest": dest_info(other, foreign, "10.1.0.0/16").DestHandle,
            "notify": other_api.RtmRegisterForChangeNotification(foreign, 1, 1, None).NotifyHandle,
            "list": other_api.RtmCreateRouteList(foreign).RouteListHandle,
            "enum": other_api.RtmCreateDestEnum(foreign, 1, 0).RtmEnumHandle,
        }

    def value(self, name: str) -> Any:
        """A wrong (or at least suspicious) argument value by name."""
        plain: dict[str, Any] = {
            "None": None,
            "zero": 0,
            "minus": -1,
            "big": 2**32,
            "huge": 2**64,
            "str": "x",
            "float": 1.5,
            "object": object(),
            "list": [],
            "list-of-None": [None],
            "dict": {},
            "bytes": b"\x00",
            "route-info": v2model.RTM_ROUTE_INFO(),
            "dest-info": v2model.RTM_DEST_INFO(),
            "net-address": v2model.RTM_NET_ADDRESS(),
            "bad-address": v2model.RTM_NET_ADDRESS(AddressFamily=2, NumBits=40),
            "nexthop-info": v2model.RTM_NEXTHOP_INFO(),
            "method-input": v2model.RTM_ENTITY_METHOD_INPUT(MethodType=1),
        }
        if name in plain:
            return plain[name]
        handles: dict[str, Any] = {
            "nh": self.nh,
            "ospf-nh": self.ospf_nh,
            "route": self.route,
            "ospf-route": self.ospf_route,
            "dest": self.dest,
            "notify": self.notify,
            "ospf-notify": self.ospf_notify,
            "rlist": self.rlist,
            "ospf-rlist": self.ospf_rlist,
            "dest-enum": self.dest_enum,
            "ospf-enum": self.ospf_enum,
            "ospf": self.ospf,
            "info": self.info,
        }
        if name in handles:
            return handles[name]
        if name.startswith("v6-"):
            return self.v6[name.removeprefix("v6-")]
        if name.startswith("foreign-"):
            return self.foreign[name.removeprefix("foreign-")]
        return self.stale[name.removeprefix("stale-")]


#: Every value name :meth:`SweepWorld.value` knows.
SWEEP_VALUES = (
    "None zero minus big huge str float object list list-of-None dict bytes route-info dest-info net-address "
    "bad-address nexthop-info method-input nh ospf-nh route ospf-route dest notify ospf-notify rlist ospf-rlist "
    "dest-enum ospf-enum ospf info stale-entity stale-list stale-enum stale-notify foreign-nh foreign-route "
    "foreign-dest foreign-notify foreign-list foreign-enum v6-entity v6-nh v6-route v6-dest v6-notify v6-list "
    "foreign-entity"
).split()


#: Argument positions that take any value: NotifyContext, the ignored TargetHandle of RtmBlockMethods, and the
#: start address that RTM_ENUM_START ignores (V2-6.8).
FREE_POSITIONS = frozenset(
    {
        ("RtmRegisterForChangeNotification", 3),
        ("RtmBlockMethods", 1),
        ("RtmCreateDestEnum", 3),
        ("RtmCreateRouteEnum", 4),
        ("RtmCreateNextHopEnum", 2),
    }
)


def sweep(clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int) -> list[str]:
    """Call ``method`` once per wrong value at ``position`` (each on a fresh table); return what went wrong:
    an exception, out-parameters on a failure, a failure that changed the table, or a handle of another table,
    another manager or a dead object accepted (binding rules 4, 5, 7)."""
    problems = []
    for name in SWEEP_VALUES:
        with v2model.RoutingTableManager(clock=clock) as rtm:
            world = SweepWorld(rtm)
            call_args = args(world)
            call_args[position] = world.value(name)
            before = table_state(rtm, world.ospf)
            try:
                result = getattr(loose(rtm), method)(*call_args)
            except Exception as exc:  # the property under test: nothing may escape
                problems.append(f"{name}: raised {exc!r}")
                continue
            never_valid = (
                name.startswith(("foreign-", "v6-", "stale-"))
                and (method, position) not in FREE_POSITIONS
                and not (name == "v6-entity" and position == 0)  # a caller of its own (IPv6) table
            )
            if result.status in NOT_FAILURES:
                if never_valid:
                    problems.append(f"{name}: accepted (status {result.status})")
                continue
            if any(field is not None for field in result[1:]):
                problems.append(f"{name}: status {result.status} with out-parameters {result[1:]!r}")
            if before != table_state(rtm, world.ospf):
                problems.append(f"{name}: status {result.status} but the table changed")
    return problems
