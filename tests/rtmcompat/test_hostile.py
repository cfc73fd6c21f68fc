"""Hostile and arbitrary objects in every argument and every structure field of every v1 method, on V1Shim and
V1Reference: a status, never an exception, and the table unchanged (M-HOSTILE; issue 9 defect 6).

A deterministic sweep puts each object of a catalogue (objects whose comparisons, hashing, repr, length,
iteration or attribute access raise; int, list, bytes and route subclasses; wrong structures; forged handles)
into each argument and each field of each structure argument; a Hypothesis sweep does the same with generated
values. Each call starts from a fresh world (clients with and without events, routes in both families, an open
enumeration) whose table is dumped through the public v1 API before and after.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from typing import Any

import attrs
import pytest
import structlog
from hypothesis import given, settings
from hypothesis import strategies as st
from structlog.testing import LogCapture

import rtmcompat
import v2model
from rtmcompat import (
    ERROR_CLIENT_ALREADY_EXISTS,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_MORE_MESSAGES,
    ERROR_NO_ROUTES,
    IPX_NETWORK,
    IPX_PROTOCOL_RIP,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_ONLY_THIS_NETWORK,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    ip_address,
    ip_network,
)
from tests.rtmcompat.support import filetime, ip_route, ipx_route

IP, IPX = RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX
STATUSES = {NO_ERROR, ERROR_MORE_MESSAGES, ERROR_NO_ROUTES, ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER}
STATUSES.add(ERROR_CLIENT_ALREADY_EXISTS)
#: Calls that change the table when they succeed (a generated value may be a valid one).
MUTATORS = {"RtmAddRoute", "RtmDeleteRoute", "RtmBlockDeleteRoutes", "RtmDeregisterClient"}


class BoomError(Exception):
    """What every hostile method raises."""


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise BoomError("hostile")


class Hostile:
    """Every operation raises, attribute access (so ``isinstance`` through ``__class__``) included."""

    __eq__ = __ne__ = __lt__ = __hash__ = __repr__ = __str__ = __bool__ = _boom
    __len__ = __iter__ = __index__ = __int__ = __call__ = _boom

    def __getattribute__(self, name: str) -> Any:
        raise BoomError(name)


class EvilInt(int):
    """An int whose comparisons, hash, index and repr raise."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __index__ = __int__ = __repr__ = _boom
    __bool__ = __and__ = __rand__ = _boom


class EvilList(list[Any]):
    """A list whose length, iteration, indexing and repr raise."""

    __len__ = __iter__ = __getitem__ = __eq__ = __repr__ = _boom


class EvilBytes(bytes):
    """Bytes whose length, indexing, comparisons and repr raise."""

    __len__ = __getitem__ = __eq__ = __hash__ = __repr__ = __iter__ = _boom


class EvilStr(str):
    """A str whose comparisons, hash and repr raise."""

    __eq__ = __hash__ = __repr__ = __str__ = _boom


class EvilMeta(type):
    """A metaclass whose comparisons raise (so ``type(x) == T`` and ``type(x) in (...)`` raise)."""

    __eq__ = __ne__ = __hash__ = _boom


class WithEvilMeta(metaclass=EvilMeta):
    """An instance of a class with a hostile metaclass."""


class EvilRoute(RTM_IP_ROUTE):
    """A subclass of RTM_IP_ROUTE whose attribute access raises."""

    def __getattribute__(self, name: str) -> Any:
        raise BoomError(name)


class SetOnly:
    """Has set() but no clear()."""

    def set(self) -> None:
        """Nothing."""


def _cyclic_list() -> list[Any]:
    out: list[Any] = []
    out.append(out)
    return out


def _cyclic_route() -> RTM_IP_ROUTE:
    route = ip_route()
    route.RR_Network = route  # type: ignore[assignment]
    return route


def _deleted_field() -> RTM_IP_ROUTE:
    route = ip_route()
    del route.RR_Network
    return route


#: Factories of objects that are wrong (or hostile) wherever they go.
CATALOGUE: list[tuple[str, Callable[[], Any]]] = [
    ("hostile", Hostile),
    ("evil-int", lambda: EvilInt(1)),
    ("evil-list", lambda: EvilList([0, 0, 0, 0])),
    ("evil-bytes", lambda: EvilBytes(bytes(6))),
    ("evil-str", lambda: EvilStr("x")),
    ("evil-meta", WithEvilMeta),
    ("evil-route", EvilRoute),
    ("set-only", SetOnly),
    ("cyclic-list", _cyclic_list),
    ("cyclic-route", _cyclic_route),
    ("deleted-field", _deleted_field),
    ("bool", lambda: True),
    ("negative", lambda: -1),
    ("huge", lambda: 2**200),
    ("float", lambda: 1.5),
    ("nan", lambda: float("nan")),
    ("str", lambda: "10.1.0.0"),
    ("bytes", lambda: bytes(6)),
    ("list", lambda: [0, 0, 0, 0]),
    ("dict", dict),
    ("object", object),
    ("ip-network", lambda: ip_network("10.1.0.0/16")),
    ("ipx-network", lambda: IPX_NETWORK(1)),
    ("ipx-route", ipx_route),
    ("event", threading.Event),
]


@attrs.define
class World:
    """One API with two IP clients (with and without an event), an IPX client, routes in both families and an
    open enumeration; ``table`` is its dump, ``logged`` how many log entries were already checked."""

    api: Any
    rip: Any
    quiet: Any
    ipx: Any
    enum: Any
    cap: LogCapture | None
    table: tuple[Any, ...] = ()
    logged: int = 0

    def dump(self) -> tuple[Any, ...]:
        """Both tables, route by route in canonical order, and the network counts, through the v1 API."""
        out: list[Any] = []
        for family in (IP, IPX):
            status, route = self.api.RtmGetFirstRoute(family, 0, None)
            routes = []
            while status == NO_ERROR:
                routes.append(attrs.asdict(route))
                status, route = self.api.RtmGetNextRoute(family, 0, route)
            out.append(routes)
            out.append(self.api.RtmGetNetworkCount(family).NetworkCount)
        return tuple(out)


def make_world(kind: str) -> World:
    """A fresh world on V1Shim (with a capturing mapping logger) or V1Reference."""
    clock = v2model.ManualClock()
    cap: LogCapture | None = None
    if kind == "shim":
        cap = LogCapture()
        api: Any = rtmcompat.V1Shim(
            v2model.RoutingTableManager(clock=clock), mapping_logger=structlog.wrap_logger(None, processors=[cap])
        )
    else:
        api = rtmcompat.V1Reference(clock=clock)
    rip = api.RtmRegisterClient(IP, PROTO_IP_RIP, threading.Event(), 0).ClientHandle
    quiet = api.RtmRegisterClient(IP, PROTO_IP_OSPF, None, 0).ClientHandle
    ipx = api.RtmRegisterClient(IPX, IPX_PROTOCOL_RIP, threading.Event(), 0).ClientHandle
    for net in ("10.1.0.0/16", "10.2.0.0/16"):
        assert NO_ERROR == api.RtmAddRoute(rip, ip_route(net), 60).status
    assert NO_ERROR == api.RtmAddRoute(quiet, ip_route("10.1.0.0/16", metric=5, ifindex=2), 60).status
    assert NO_ERROR == api.RtmAddRoute(ipx, ipx_route(), 60).status
    enum = api.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    clock.advance(1_000)
    world = World(api, rip, quiet, ipx, enum, cap)
    world.table = world.dump()
    return world


def _aged() -> RTM_IP_ROUTE:
    route = ip_route()
    route.RR_TimeStamp = filetime(0)
    return route


#: method -> (argument names, valid arguments for a world, which arguments are structures of which kind)
CALLS: dict[str, tuple[tuple[str, ...], Callable[[World], list[Any]], dict[int, str]]] = {
    "RtmRegisterClient": (
        ("ProtocolFamily", "RoutingProtocol", "ChangeEvent", "Flags"),
        lambda w: [IP, PROTO_IP_BGP, threading.Event(), 0],
        {},
    ),
    "RtmDeregisterClient": (("ClientHandle",), lambda w: [w.rip], {}),
    "RtmDequeueRouteChangeMessage": (("ClientHandle",), lambda w: [w.rip], {}),
    "RtmAddRoute": (
        ("ClientHandle", "Route", "TimeToLive"),
        lambda w: [w.rip, ip_route("10.5.0.0/16"), 60],
        {1: "ip"},
    ),
    "RtmAddRoute/ipx": (
        ("ClientHandle", "Route", "TimeToLive"),
        lambda w: [w.ipx, ipx_route(0x77), 60],
        {1: "ipx"},
    ),
    "RtmDeleteRoute": (("ClientHandle", "Route"), lambda w: [w.rip, ip_route("10.1.0.0/16")], {1: "ip"}),
    "RtmIsRoute": (("ProtocolFamily", "Network"), lambda w: [IP, ip_network("10.1.0.0/16")], {1: "ip-network"}),
    "RtmGetNetworkCount": (("ProtocolFamily",), lambda w: [IP], {}),
    "RtmGetRouteAge": (("Route",), lambda w: [_aged()], {0: "ip"}),
    "RtmCreateEnumerationHandle": (
        ("ProtocolFamily", "EnumerationFlags", "CriteriaRoute"),
        lambda w: [IP, RTM_ONLY_THIS_NETWORK, ip_route()],
        {2: "ip"},
    ),
    "RtmEnumerateGetNextRoute": (("EnumerationHandle",), lambda w: [w.enum], {}),
    "RtmCloseEnumerationHandle": (("EnumerationHandle",), lambda w: [w.enum], {}),
    "RtmBlockDeleteRoutes": (
        ("ClientHandle", "EnumerationFlags", "CriteriaRoute"),
        lambda w: [w.rip, RTM_ONLY_THIS_NETWORK, ip_route("10.2.0.0/16")],
        {2: "ip"},
    ),
    "RtmGetFirstRoute": (
        ("ProtocolFamily", "EnumerationFlags", "Route"),
        lambda w: [IP, RTM_ONLY_THIS_NETWORK, ip_route()],
        {2: "ip"},
    ),
    "RtmGetNextRoute": (("ProtocolFamily", "EnumerationFlags", "Route"), lambda w: [IP, 0, ip_route()], {2: "ip"}),
    "RtmGetSpecificRoute": (("ProtocolFamily", "Route"), lambda w: [IP, ip_route(protocol=PROTO_IP_RIP)], {1: "ip"}),
    "RtmLookupIPDestination": (("DestAddress",), lambda w: [ip_address("10.1.0.1")], {}),
}

#: Every field path of each structure argument kind (a path into nested structures).
FIELDS: dict[str, list[str]] = {
    "ip": [
        "RR_TimeStamp",
        "RR_RoutingProtocol",
        "RR_InterfaceID",
        "RR_ProtocolSpecificData",
        "RR_ProtocolSpecificData.PSD_Data",
        "RR_Network",
        "RR_Network.N_NetNumber",
        "RR_Network.N_NetMask",
        "RR_NextHopAddress",
        "RR_NextHopAddress.N_NetNumber",
        "RR_NextHopAddress.N_NetMask",
        "RR_FamilySpecificData",
        *(f"RR_FamilySpecificData.{a.name}" for a in attrs.fields(rtmcompat.IP_SPECIFIC_DATA)),
    ],
    "ipx": [
        "RR_TimeStamp",
        "RR_RoutingProtocol",
        "RR_InterfaceID",
        "RR_ProtocolSpecificData",
        "RR_ProtocolSpecificData.PSD_Data",
        "RR_Network",
        "RR_Network.N_NetNumber",
        "RR_NextHopAddress",
        "RR_NextHopAddress.NHA_Mac",
        "RR_FamilySpecificData",
        "RR_FamilySpecificData.FSD_Flags",
        "RR_FamilySpecificData.FSD_TickCount",
        "RR_FamilySpecificData.FSD_HopCount",
    ],
    "ip-network": ["N_NetNumber", "N_NetMask"],
}


def _set_path(structure: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = structure
    for name in parents:
        target = getattr(target, name)
    setattr(target, last, value)


def check_call(world: World, method: str, position: int, path: str | None, value: Any) -> bool:
    """Call ``method`` with ``value`` in argument ``position`` (or in field ``path`` of that structure argument)
    and the world's valid values elsewhere: a documented status, no exception, and the table unchanged unless a
    mutating call succeeded. Returns whether the world is unchanged (the call failed) and can be used again."""
    names, valid, _ = CALLS[method]
    args = valid(world)
    if path is None:
        args[position] = value
    else:
        _set_path(args[position], path, value)
    name = method.partition("/")[0]
    result = getattr(world.api, name)(*args)
    assert type(result[0]) is not bool
    status = int(result[0])
    assert status in STATUSES, (method, names[position], path, result)
    succeeded = status in (NO_ERROR, ERROR_MORE_MESSAGES)
    if not (name in MUTATORS and succeeded):
        assert world.table == world.dump(), (method, names[position], path)
    if world.cap is not None:
        json.dumps(world.cap.entries[world.logged :])
        world.logged = len(world.cap.entries)
    assert () == world.api.diagnostics
    return not succeeded


def sweep(kind: str, method: str, position: int, path: str | None, make: list[Callable[[], Any]]) -> None:
    """``check_call`` with each value ``make`` builds, a fresh world whenever a call succeeded."""
    world = make_world(kind)
    for factory in make:
        if not check_call(world, method, position, path, factory()):
            world = make_world(kind)


TARGETS = [
    (method, position, path)
    for method, (names, _, structures) in CALLS.items()
    for position in range(len(names))
    for path in [None, *FIELDS.get(structures.get(position, ""), [])]
]


class TestHostileCatalogue:
    """Each catalogue object in each argument and field of each v1 method (M-HOSTILE)."""

    @pytest.mark.parametrize("kind", ["shim", "reference"])
    @pytest.mark.parametrize(("method", "position", "path"), TARGETS)
    def test_every_argument_and_field(self, kind, method, position, path):
        """No catalogue object makes a call raise or change the table."""
        sweep(kind, method, position, path, [factory for _name, factory in CATALOGUE])

    @pytest.mark.parametrize("kind", ["shim", "reference"])
    def test_forged_handles_everywhere(self, kind):
        """Copies of live handles, and handles made with ``__new__``, in every handle argument."""
        for method, (names, _, _) in CALLS.items():
            for position, name in enumerate(names):
                if name not in ("ClientHandle", "EnumerationHandle"):
                    continue
                world = make_world(kind)
                real = world.rip if name == "ClientHandle" else world.enum
                for fake in (copy.copy(real), object.__new__(type(real))):
                    assert check_call(world, method, position, None, fake)


#: Generated values, plus catalogue objects drawn by name and built in the test (Hypothesis itself must never
#: touch a hostile object: it compares and prints what it draws).
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=4),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=5),
    st.tuples(st.integers(), st.integers()),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sampled_from([name for name, _ in CATALOGUE]).map(lambda name: ("catalogue", name)),
)
_BY_NAME = dict(CATALOGUE)


class TestHostileGenerated:
    """Generated values in a random argument or field (Hypothesis)."""

    @settings(max_examples=300, deadline=None)
    @given(kind=st.sampled_from(["shim", "reference"]), target=st.sampled_from(TARGETS), value=values)
    def test_generated_values(self, kind, target, value):
        """Whatever the value, a documented status, no exception, the table unchanged unless it succeeded."""
        method, position, path = target
        if type(value) is tuple and value[:1] == ("catalogue",):
            value = _BY_NAME[value[1]]()
        check_call(make_world(kind), method, position, path, value)
