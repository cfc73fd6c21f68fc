"""Hostile arguments (M-BINDING-5, M-HANDLES): every public method of RoutingTableManager, called with
arbitrary and hostile objects in every argument and in every field of every structure, returns a status (never
an exception); when the status is a failure the whole state is unchanged and the out-parameters are None
(binding rule 4); and the model's invariants hold after every call.

Hostile objects: every dunder a check might touch raises (``__eq__``, ``__ne__``, ``__hash__``, ``__len__``,
``__iter__``, ``__bool__``, ``__index__``, ``__int__``, ``__repr__``, ``__str__``); list, bytes, int, str and
tuple subclasses that do the same; huge and negative ints; None and NULL; handles of other kinds, stale, copied,
``__new__``-made and of another manager. Each example starts from a freshly built table (ManualClock, inline
delivery), spoils exactly one argument or field of a call that succeeds as given, and calls it.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import v2model
from v2model import (
    AF_INET,
    ERROR_INSUFFICIENT_BUFFER,
    ERROR_IO_PENDING,
    ERROR_NO_MORE_ITEMS,
    INFINITE,
    NO_ERROR,
    NULL,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BEST_PROTOCOL,
    RTM_BLOCK_METHODS,
    RTM_CHANGE_TYPE_ALL,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENUM_NEXT,
    RTM_ENUM_RANGE,
    RTM_MATCH_NEIGHBOUR,
    RTM_MATCH_NEXTHOP,
    RTM_MATCH_OWNER,
    RTM_MATCH_PREF,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .scenario_support import Recorder, some
from .support import add_route, nexthop, register, route_info

# ------------------------------------------------------------------------------------------------------------
# Hostile objects
# ------------------------------------------------------------------------------------------------------------


def _boom(*args: Any) -> Any:
    raise RuntimeError("hostile")


_DUNDERS = ("__eq__", "__ne__", "__hash__", "__len__", "__iter__", "__bool__", "__index__", "__int__", "__repr__")
_HOSTILE = dict.fromkeys((*_DUNDERS, "__str__", "__lt__", "__gt__", "__getitem__", "__contains__"), _boom)

Nasty = type("Nasty", (), dict(_HOSTILE))
NastyList = type("NastyList", (list,), dict(_HOSTILE))
NastyTuple = type("NastyTuple", (tuple,), dict(_HOSTILE))
NastyBytes = type("NastyBytes", (bytes,), {**_HOSTILE, "__bytes__": _boom})
NastyInt = type("NastyInt", (int,), {**_HOSTILE, "__index__": _boom, "__int__": _boom, "__and__": _boom})
NastyStr = type("NastyStr", (str,), dict(_HOSTILE))
PlainInt = type("PlainInt", (int,), {})


class NastyClass:
    """An object whose ``__class__`` raises (isinstance consults it)."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        raise RuntimeError("hostile __class__")


def _plain_values() -> dict[str, Callable[[], Any]]:
    return {
        "nasty": Nasty,
        "nasty-class": NastyClass,
        "nasty-list": lambda: NastyList([1]),
        "nasty-empty-list": NastyList,
        "nasty-tuple": lambda: NastyTuple((1,)),
        "nasty-bytes": lambda: NastyBytes(b"\x0a" * 16),
        "nasty-int": lambda: NastyInt(1),
        "nasty-str": lambda: NastyStr("x"),
        "int-subclass": lambda: PlainInt(1),
        "huge": lambda: 2**1000,
        "big": lambda: 2**64,
        "ulong-max+1": lambda: 2**32,
        "negative": lambda: -1,
        "very-negative": lambda: -(2**63),
        "zero": lambda: 0,
        "true": lambda: True,
        "none": lambda: None,
        "null": lambda: NULL,
        "str": lambda: "x",
        "float": lambda: 1.5,
        "nan": lambda: float("nan"),
        "bytes": lambda: b"\x00\x01",
        "bytearray": lambda: bytearray(16),
        "empty-list": list,
        "list-of-nasty": lambda: [Nasty()],
        "list-of-none": lambda: [None],
        "dict": dict,
        "route-info": RTM_ROUTE_INFO,
        "dest-info": v2model.RTM_DEST_INFO,
        "nexthop-info": RTM_NEXTHOP_INFO,
        "net-address": v2model.RTM_NET_ADDRESS,
        "nasty-address": lambda: v2model.RTM_NET_ADDRESS(AddressFamily=Nasty(), NumBits=Nasty(), AddrBits=Nasty()),
        "entity-info": RTM_ENTITY_INFO,
        "method-input": lambda: RTM_ENTITY_METHOD_INPUT(MethodType=1),
        "callable": lambda: _boom,
    }


PLAIN = _plain_values()
HANDLE_NAMES = [
    "rip",
    "rip-public",
    "ospf",
    "ospf-public",
    "route",
    "route2",
    "ospf-route",
    "dest",
    "nh",
    "ospf-nh",
    "notify",
    "dest-enum",
    "rlist",
    "stale-route",
    "stale-entity",
    "stale-nh",
    "stale-enum",
    "copy-route",
    "copy-rip",
    "copy-rip-public",
    "deepcopy-dest",
    "copy-nh",
    "new-route",
    "new-entity",
    "new-entity-handle",
    "foreign-rip",
    "foreign-route",
    "foreign-dest",
    "foreign-nh",
]
VALUE_NAMES = sorted(PLAIN) + HANDLE_NAMES

# ------------------------------------------------------------------------------------------------------------
# The world each example starts from
# ------------------------------------------------------------------------------------------------------------


def _method(caller: Any, callee: Any, given: Any, output: Any) -> None:
    output.OutputData = b"ok"


@functools.cache
def _foreign() -> dict[str, Any]:
    """Handles of another RoutingTableManager (built once; nothing here may ever change it)."""
    other = v2model.RoutingTableManager(clock=v2model.ManualClock())
    rip = register(other, PROTO_IP_RIP)
    nh = nexthop(other, rip, "192.0.2.1", 1)
    route, _ = add_route(other, rip, "10.1.0.0/16", route_info(nh))
    _, info, _ = other.RtmGetRouteInfo(rip, route)
    return {"rtm": other, "rip": rip, "nh": nh, "route": route, "dest": some(info).DestHandle}


@attrs.define
class World:
    """RIP (callback, opaque slot, one method) with next hops, routes (one locked exclusively), a destination it
    references, a notification registration with changes handed out, enumerations of every kind, a route list and
    information structures it holds; OSPF with a route and a method; stale handles; another manager's handles."""

    rtm: v2model.RoutingTableManager
    h: dict[str, Any] = attrs.Factory(dict)

    @classmethod
    def build(cls) -> World:
        rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        methods = RTM_ENTITY_EXPORT_METHODS(Methods=[_method])
        rip = register(rtm, PROTO_IP_RIP, callback=Recorder(), opaque=True, methods=methods)
        ospf = register(rtm, PROTO_IP_OSPF, callback=Recorder(), methods=RTM_ENTITY_EXPORT_METHODS(Methods=[_method]))
        nh, nh2, spare = (nexthop(rtm, rip, f"192.0.2.{i}", 1) for i in (1, 2, 3))
        ospf_nh = nexthop(rtm, ospf, "198.51.100.1", 2)
        notify = some(rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)[1])
        notify2 = some(rtm.RtmRegisterForChangeNotification(rip, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, None)[1])
        route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(nh, metric=2))
        route2, _ = add_route(rtm, rip, "10.2.0.0/16", route_info(nh2))
        add_route(rtm, rip, "10.0.0.0/8", route_info(nh))
        ospf_route, _ = add_route(rtm, ospf, "10.1.0.0/16", route_info(ospf_nh, metric=9))
        status, changed_count, changed = rtm.RtmGetChangedDests(rip, notify2, 2)
        dest_status, info = rtm.RtmGetExactMatchDestination(rip, net_address("10.1.0.0/16"), 0, RTM_VIEW_MASK_UCAST)
        dest = some(info).DestHandle
        rtm.RtmReferenceHandles(rip, 1, [some(dest)])
        _, r_info, _ = rtm.RtmGetRouteInfo(rip, route)
        _, nh_info = rtm.RtmGetNextHopInfo(rip, nh)
        _, e_info = rtm.RtmGetEntityInfo(rip, ospf)
        _, _, entities, _ = rtm.RtmGetRegisteredEntities(rip, 10)
        ospf_public = next(e for e in some(entities) if e == ospf)
        rlist = some(rtm.RtmCreateRouteList(rip)[1])
        rtm.RtmInsertInRouteList(rip, rlist, 1, [route])
        _, pointer2 = rtm.RtmLockRoute(rip, route2, True, True)
        _, nh_pointer2 = rtm.RtmLockNextHop(rip, nh2, True, True)
        dest_enum = some(rtm.RtmCreateDestEnum(rip, RTM_VIEW_MASK_UCAST, 0, None, RTM_BEST_PROTOCOL)[1])
        route_enum = some(rtm.RtmCreateRouteEnum(rip, None, RTM_VIEW_MASK_UCAST, 0)[1])
        nh_enum = some(rtm.RtmCreateNextHopEnum(rip, 0)[1])
        list_enum = some(rtm.RtmCreateRouteListEnum(rip, rlist)[1])
        stale_route, _ = add_route(rtm, rip, "10.9.0.0/16", route_info(nh))
        rtm.RtmDeleteRouteToDest(rip, stale_route)
        stale_nh = nexthop(rtm, rip, "192.0.2.99", 9)
        rtm.RtmDeleteNextHop(rip, stale_nh, None)
        stale_enum = some(rtm.RtmCreateDestEnum(rip, RTM_VIEW_MASK_UCAST, 0, None, RTM_BEST_PROTOCOL)[1])
        rtm.RtmDeleteEnumHandle(rip, stale_enum)
        gone = register(rtm, PROTO_IP_BGP)
        rtm.RtmDeregisterEntity(gone)
        foreign = _foreign()
        world = cls(rtm)
        world.h.update(
            {
                "rip": rip,
                "rip-public": rip.public,
                "ospf": ospf,
                "ospf-public": ospf_public,
                "nh": nh,
                "nh2": nh2,
                "spare-nh": spare,
                "ospf-nh": ospf_nh,
                "route": route,
                "route2": route2,
                "ospf-route": ospf_route,
                "dest": dest,
                "notify": notify,
                "notify2": notify2,
                "changed": some(changed),
                "changed-count": some(changed_count),
                "info": info,
                "r-info": r_info,
                "nh-info": nh_info,
                "e-info": e_info,
                "rlist": rlist,
                "pointer2": pointer2,
                "nh-pointer2": nh_pointer2,
                "dest-enum": dest_enum,
                "route-enum": route_enum,
                "nh-enum": nh_enum,
                "list-enum": list_enum,
                "stale-route": stale_route,
                "stale-entity": gone,
                "stale-nh": stale_nh,
                "stale-enum": stale_enum,
                "copy-route": copy.copy(route),
                "copy-rip": copy.copy(rip),
                "copy-rip-public": copy.copy(rip.public),
                "deepcopy-dest": copy.deepcopy(dest),
                "copy-nh": copy.copy(nh),
                "new-route": v2model.Route.__new__(v2model.Route),
                "new-entity": v2model.Entity.__new__(v2model.Entity),
                "new-entity-handle": v2model.EntityHandle.__new__(v2model.EntityHandle),
                "foreign-rip": foreign["rip"],
                "foreign-route": foreign["route"],
                "foreign-dest": foreign["dest"],
                "foreign-nh": foreign["nh"],
            }
        )
        assert (NO_ERROR, NO_ERROR) == (status, dest_status)
        return world

    def value(self, name: str) -> Any:
        return PLAIN[name]() if name in PLAIN else self.h[name]


def _views() -> int:
    return RTM_VIEW_MASK_UCAST


#: Every API method -> the arguments of a call that succeeds on a freshly built world (positional, C order).
#: A key with "/" is a variant of the method before it (the name after the slash says which).
CALLS: dict[str, Callable[[World], list[Any]]] = {
    "RtmRegisterEntity": lambda w: [
        RTM_ENTITY_INFO(0, AF_INET, RTM_ENTITY_ID(PROTO_IP_BGP, 5)),
        RTM_ENTITY_EXPORT_METHODS(Methods=[_method]),
        Recorder(),
        True,
    ],
    "RtmDeregisterEntity": lambda w: [w.h["rip"]],
    "RtmGetRegisteredEntities": lambda w: [w.h["rip"], 10],
    "RtmReleaseEntities": lambda w: [w.h["rip"], 1, [w.h["ospf-public"]]],
    "RtmLockDestination": lambda w: [w.h["rip"], w.h["dest"], False, True],
    "RtmGetOpaqueInformationPointer": lambda w: [w.h["rip"], w.h["dest"]],
    "RtmGetEntityMethods": lambda w: [w.h["rip"], w.h["ospf-public"], 1],
    "RtmInvokeMethod": lambda w: [w.h["rip"], w.h["ospf-public"], RTM_ENTITY_METHOD_INPUT(1, 2, b"ab"), 100],
    "RtmBlockMethods": lambda w: [w.h["rip"], None, 0, RTM_BLOCK_METHODS],
    "RtmGetEntityInfo": lambda w: [w.h["rip"], w.h["ospf-public"]],
    "RtmReleaseEntityInfo": lambda w: [w.h["rip"], w.h["e-info"]],
    "RtmGetDestInfo": lambda w: [w.h["rip"], w.h["dest"], RTM_BEST_PROTOCOL, _views()],
    "RtmReleaseDestInfo": lambda w: [w.h["rip"], w.h["info"]],
    "RtmGetRouteInfo": lambda w: [w.h["rip"], w.h["route"]],
    "RtmReleaseRouteInfo": lambda w: [w.h["rip"], w.h["r-info"]],
    "RtmGetNextHopInfo": lambda w: [w.h["rip"], w.h["nh"]],
    "RtmReleaseNextHopInfo": lambda w: [w.h["rip"], w.h["nh-info"]],
    "RtmAddRouteToDest": lambda w: [
        w.h["rip"],
        None,
        net_address("10.4.0.0/16"),
        RTM_ROUTE_INFO(
            Neighbour=w.h["nh"],
            PrefInfo=RTM_PREF_INFO(3, 1),
            BelongsToViews=RTM_VIEW_MASK_UCAST,
            EntitySpecificInfo=(1, "x"),
            NextHopsList=RTM_NEXTHOP_LIST(1, [w.h["nh"]]),
        ),
        INFINITE,
        w.h["rlist"],
        0,
        w.h["notify"],
        0,
    ],
    "RtmDeleteRouteToDest": lambda w: [w.h["rip"], w.h["route"]],
    "RtmHoldDestination": lambda w: [w.h["rip"], w.h["dest"], RTM_VIEW_MASK_UCAST, 1000],
    "RtmGetRoutePointer": lambda w: [w.h["rip"], w.h["route"]],
    "RtmLockRoute": lambda w: [w.h["rip"], w.h["route"], True, True],
    "RtmLockRoute/unlock": lambda w: [w.h["rip"], w.h["route2"], True, False],
    "RtmUpdateAndUnlockRoute": lambda w: [w.h["rip"], w.h["route2"], INFINITE, w.h["rlist"], 0, w.h["notify"]],
    "RtmGetExactMatchDestination": lambda w: [w.h["rip"], net_address("10.1.0.0/16"), RTM_BEST_PROTOCOL, _views()],
    "RtmGetMostSpecificDestination": lambda w: [w.h["rip"], net_address("10.1.2.3"), RTM_BEST_PROTOCOL, _views()],
    "RtmGetLessSpecificDestination": lambda w: [w.h["rip"], w.h["dest"], RTM_BEST_PROTOCOL, _views()],
    "RtmGetExactMatchRoute": lambda w: [
        w.h["rip"],
        net_address("10.1.0.0/16"),
        RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR,
        RTM_ROUTE_INFO(RouteOwner=w.h["rip-public"], Neighbour=w.h["nh"]),
        0,
        _views(),
    ],
    "RtmIsBestRoute": lambda w: [w.h["rip"], w.h["route"]],
    "RtmAddNextHop": lambda w: [
        w.h["rip"],
        RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.50"), InterfaceIndex=3, EntitySpecificInfo=7),
        None,
    ],
    "RtmAddNextHop/update": lambda w: [w.h["rip"], RTM_NEXTHOP_INFO(Flags=0, RemoteNextHop=w.h["dest"]), w.h["nh"]],
    "RtmFindNextHop": lambda w: [
        w.h["rip"],
        RTM_NEXTHOP_INFO(NextHopAddress=net_address("192.0.2.1"), InterfaceIndex=1),
    ],
    "RtmDeleteNextHop": lambda w: [w.h["rip"], w.h["spare-nh"], None],
    "RtmGetNextHopPointer": lambda w: [w.h["rip"], w.h["nh"]],
    "RtmLockNextHop": lambda w: [w.h["rip"], w.h["nh"], True, True],
    "RtmLockNextHop/unlock": lambda w: [w.h["rip"], w.h["nh2"], True, False],
    "RtmCreateDestEnum": lambda w: [
        w.h["rip"],
        RTM_VIEW_MASK_UCAST,
        RTM_ENUM_RANGE,
        net_address("10.0.0.0/8"),
        RTM_BEST_PROTOCOL,
    ],
    "RtmGetEnumDests": lambda w: [w.h["rip"], w.h["dest-enum"], 5],
    "RtmReleaseDests": lambda w: [w.h["rip"], 1, [w.h["info"]]],
    "RtmCreateRouteEnum": lambda w: [
        w.h["rip"],
        None,
        RTM_VIEW_MASK_UCAST,
        RTM_ENUM_RANGE,
        net_address("10.0.0.0/8"),
        RTM_MATCH_OWNER | RTM_MATCH_PREF | RTM_MATCH_NEXTHOP,
        RTM_ROUTE_INFO(
            RouteOwner=w.h["rip-public"],
            PrefInfo=RTM_PREF_INFO(2, 0),
            NextHopsList=RTM_NEXTHOP_LIST(1, [w.h["nh"]]),
        ),
        0,
    ],
    "RtmGetEnumRoutes": lambda w: [w.h["rip"], w.h["route-enum"], 5],
    "RtmReleaseRoutes": lambda w: [w.h["rip"], 1, [w.h["route"]]],
    "RtmCreateNextHopEnum": lambda w: [w.h["rip"], RTM_ENUM_NEXT, net_address("192.0.2.0")],
    "RtmGetEnumNextHops": lambda w: [w.h["rip"], w.h["nh-enum"], 5],
    "RtmReleaseNextHops": lambda w: [w.h["rip"], 1, [w.h["nh"]]],
    "RtmDeleteEnumHandle": lambda w: [w.h["rip"], w.h["dest-enum"]],
    "RtmRegisterForChangeNotification": lambda w: [w.h["rip"], RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, "context"],
    "RtmGetChangedDests": lambda w: [w.h["rip"], w.h["notify"], 5],
    "RtmReleaseChangedDests": lambda w: [w.h["rip"], w.h["notify2"], w.h["changed-count"], w.h["changed"]],
    "RtmIgnoreChangedDests": lambda w: [w.h["rip"], w.h["notify"], 1, [w.h["dest"]]],
    "RtmGetChangeStatus": lambda w: [w.h["rip"], w.h["notify"], w.h["dest"]],
    "RtmMarkDestForChangeNotification": lambda w: [w.h["rip"], w.h["notify"], w.h["dest"], True],
    "RtmIsMarkedForChangeNotification": lambda w: [w.h["rip"], w.h["notify"], w.h["dest"]],
    "RtmDeregisterFromChangeNotification": lambda w: [w.h["rip"], w.h["notify"]],
    "RtmCreateRouteList": lambda w: [w.h["rip"]],
    "RtmInsertInRouteList": lambda w: [w.h["rip"], w.h["rlist"], 1, [w.h["route"]]],
    "RtmCreateRouteListEnum": lambda w: [w.h["rip"], w.h["rlist"]],
    "RtmGetListEnumRoutes": lambda w: [w.h["rip"], w.h["list-enum"], 5],
    "RtmDeleteRouteList": lambda w: [w.h["rip"], w.h["rlist"]],
    "RtmReferenceHandles": lambda w: [w.h["rip"], 2, [w.h["route"], w.h["ospf-public"]]],
}

#: What a variant spoils besides the arguments: fields of the pointer the owner edits in place.
POINTERS = {
    "RtmUpdateAndUnlockRoute": "pointer2",
    "RtmLockRoute/unlock": "pointer2",
    "RtmLockNextHop/unlock": "nh-pointer2",
}

#: Statuses that are not plain failures: they come with data or queue work (binding rule 4).
NOT_FAILURES = frozenset({NO_ERROR, ERROR_NO_MORE_ITEMS, ERROR_INSUFFICIENT_BUFFER, ERROR_IO_PENDING})

# ------------------------------------------------------------------------------------------------------------
# Where a hostile value can go
# ------------------------------------------------------------------------------------------------------------

Path = tuple[Any, ...]


def _paths(value: Any, prefix: Path, depth: int = 0) -> list[Path]:
    """Every place inside ``value`` a value can be put: attrs fields (recursively), list items, one past a list."""
    found: list[Path] = []
    if depth > 3:
        return found
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            found.append((*prefix, field.name))
            found += _paths(getattr(value, field.name), (*prefix, field.name), depth + 1)
    elif type(value) is list:
        for i, item in enumerate(value):
            found.append((*prefix, i))
            found += _paths(item, (*prefix, i), depth + 1)
        found.append((*prefix, len(value)))
    return found


@functools.cache
def slots(key: str) -> list[Path]:
    """Every argument and every field of every structure of a call (and of the pointer it commits)."""
    world = World.build()
    args = CALLS[key](world)
    found: list[Path] = []
    for position, arg in enumerate(args):
        found.append(("arg", position))
        found += _paths(arg, ("arg", position))
    if key in POINTERS:
        found += _paths(world.h[POINTERS[key]], ("pointer",))
    return found


def put(target: Any, path: Path, value: Any) -> None:
    """Set ``value`` at ``path`` inside ``target`` (a list index one past the end appends)."""
    *parents, last = path
    for step in parents:
        target = target[step] if type(step) is int else getattr(target, step)
    if type(last) is int:
        if last == len(target):
            target.append(value)
        else:
            target[last] = value
    else:
        setattr(target, last, value)


def call_spoiled(world: World, key: str, path: Path, value: Any) -> Any:
    """Make the call of ``key`` with ``value`` at ``path`` (an argument, a field of one, or a pointer field)."""
    args = CALLS[key](world)
    if path[0] == "arg":
        if len(path) == 2:
            args[path[1]] = value
        else:
            put(args[path[1]], path[2:], value)
    else:
        put(world.h[POINTERS[key]], path[1:], value)
    return getattr(world.rtm, key.split("/", maxsplit=1)[0])(*args)


class TestEveryMethodIsCovered:
    def test_calls_cover_every_rtm_method(self) -> None:
        """The sweep has a valid call for every rtmv2.h method of RoutingTableManager."""
        methods = {name for name in dir(v2model.RoutingTableManager) if name.startswith("Rtm")}
        assert methods == {key.split("/")[0] for key in CALLS}

    @pytest.mark.parametrize("key", sorted(CALLS))
    def test_valid_call_succeeds(self, key: str) -> None:
        """Each valid call succeeds on a fresh world, so a failure in the sweep is the spoiled value's doing."""
        world = World.build()
        result = getattr(world.rtm, key.split("/", maxsplit=1)[0])(*CALLS[key](world))
        assert result[0] in NOT_FAILURES
        world.rtm.check_invariants()


class TestHostileArguments:
    @pytest.mark.parametrize("key", sorted(CALLS))
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_status_never_exception_and_nothing_changes(self, key: str, data: st.DataObject) -> None:
        """One argument or field spoiled with a hostile value: a status comes back; a failure leaves the whole
        state as it was (and no out-parameter); the invariants hold either way (binding rules 4 and 5)."""
        path = data.draw(st.sampled_from(slots(key)), label="where")
        name = data.draw(st.sampled_from(VALUE_NAMES), label="value")
        world = World.build()
        rtm = world.rtm
        before = rtm._state_digest()
        foreign_before = _foreign()["rtm"]._state_digest()
        result = call_spoiled(world, key, path, world.value(name))
        status = result[0]
        assert issubclass(type(status), int), result
        assert type(result) is not tuple, result  # a result NamedTuple
        if status not in NOT_FAILURES:
            assert (before, (None,) * (len(result) - 1)) == (rtm._state_digest(), tuple(result[1:]))
        assert foreign_before == _foreign()["rtm"]._state_digest()
        rtm.check_invariants()


class TestPythonMethods:
    @pytest.mark.parametrize("name", VALUE_NAMES)
    def test_wait_for_deliveries_timeout(self, name: str) -> None:
        """wait_for_deliveries is plain Python: a number (huge and negative ones clamped) waits and answers True
        when nothing is pending; anything else is a TypeError, NaN a ValueError; nothing else escapes."""
        world = World.build()
        value = world.value(name)
        with v2model.RoutingTableManager(delivery="threads") as threads:
            for rtm in (world.rtm, threads):
                if name == "nan":
                    with pytest.raises(ValueError, match="NaN"):
                        rtm.wait_for_deliveries(value)
                elif value is None or type(value) in (int, float):
                    assert True is rtm.wait_for_deliveries(value)
                else:
                    with pytest.raises(TypeError, match="timeout"):
                        rtm.wait_for_deliveries(value)

    def test_no_argument_methods(self) -> None:
        """The methods without arguments run on a spoiled-looking world and change nothing by themselves."""
        world = World.build()
        rtm = world.rtm
        before = rtm._state_digest()
        rtm.statistics()
        rtm.leak_report()
        rtm.check_invariants()
        rtm.process_timers()
        assert before == rtm._state_digest()
        assert [] == [n for n, p in inspect.signature(rtm.statistics).parameters.items()]


class TestHostileWritesThroughPointers:
    @pytest.mark.parametrize("name", ["nasty", "nasty-int", "nasty-list", "nasty-class", "huge", "stale-route"])
    @pytest.mark.parametrize("field", ["State", "Flags", "Neighbour", "PrefInfo", "BelongsToViews", "NextHopsList"])
    def test_route_pointer_cannot_leave_the_destination_locked(self, field: str, name: str) -> None:
        """A hostile value written through the route pointer: RtmUpdateAndUnlockRoute fails with a status (the
        route stays locked, as documented), and the unlock RtmLockRoute(FALSE) then succeeds, drops the edit and
        leaves the destination unlocked (V2-2.14)."""
        world = World.build()
        rtm, rip, route2 = world.rtm, world.h["rip"], world.h["route2"]
        before = route_view(rtm, rip, route2)
        setattr(world.h["pointer2"], field, world.value(name))
        status = rtm.RtmUpdateAndUnlockRoute(rip, route2).status
        unlocked = rtm.RtmLockRoute(rip, route2, True, False).status
        relocked = rtm.RtmLockDestination(world.h["ospf"], some(world.h["info"]).DestHandle, True, True).status
        assert (True, NO_ERROR, NO_ERROR, before) == (
            status not in NOT_FAILURES,
            unlocked,
            relocked,
            route_view(rtm, rip, route2),
        )
        rtm.check_invariants()

    @pytest.mark.parametrize("name", ["nasty", "nasty-int", "nasty-class", "huge", "stale-dest"])
    @pytest.mark.parametrize("field", ["Flags", "RemoteNextHop", "EntitySpecificInfo"])
    def test_next_hop_pointer_edit_is_refused_cleanly(self, field: str, name: str) -> None:
        """A hostile value written through a locked next hop's pointer: the unlock returns a status, the next hop
        keeps its fields, and a second unlock (after the edit was reverted) frees it (V2-2.14)."""
        world = World.build()
        rtm, rip, nh2 = world.rtm, world.h["rip"], world.h["nh2"]
        value = world.value(name) if name != "stale-dest" else world.h["foreign-dest"]
        setattr(world.h["nh-pointer2"], field, value)
        first = rtm.RtmLockNextHop(rip, nh2, True, False).status
        second = rtm.RtmLockNextHop(rip, nh2, True, False).status
        assert NO_ERROR in (first, second)
        assert NO_ERROR == rtm.RtmLockNextHop(rip, nh2, True, True).status
        rtm.check_invariants()


class TestHostileMethodOutput:
    @pytest.mark.parametrize(
        "written",
        [
            pytest.param(lambda: (Nasty(), b"x"), id="nasty-status"),
            pytest.param(lambda: (NastyInt(0), b"x"), id="nasty-int-status"),
            pytest.param(lambda: (0, NastyBytes(b"abc")), id="nasty-bytes"),
            pytest.param(lambda: (0, NastyList()), id="nasty-list"),
            pytest.param(lambda: (2**40, b"x"), id="status-out-of-range"),
            pytest.param(lambda: (-1, b""), id="negative-status"),
        ],
    )
    def test_garbage_written_by_a_method(self, written: Callable[[], tuple[Any, Any]]) -> None:
        """An exported method that writes a hostile MethodStatus or OutputData: RtmInvokeMethod returns NO_ERROR
        with a fresh output record (garbage becomes ERROR_INVALID_FUNCTION; a bytes subclass is read through the
        base type), never an exception (binding rules 5 and 6)."""

        def method(caller: Any, callee: Any, given: Any, output: Any) -> None:
            output.MethodStatus, output.OutputData = written()

        rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        callee = register(rtm, PROTO_IP_OSPF, methods=RTM_ENTITY_EXPORT_METHODS(Methods=[method]))
        caller = register(rtm, PROTO_IP_RIP)
        result, size, outputs = rtm.RtmInvokeMethod(caller, callee, RTM_ENTITY_METHOD_INPUT(MethodType=1), 100)
        record = some(outputs)[0]
        assert (NO_ERROR, bytes, True) == (result, type(record.OutputData), isinstance(record.MethodStatus, int))
        assert some(size) == 12 + len(record.OutputData)


def route_view(rtm: v2model.RoutingTableManager, ent: v2model.Entity, route: Any) -> tuple[Any, ...]:
    """What RtmGetRouteInfo says of a route, its handles by name (released)."""
    status, info, _ = rtm.RtmGetRouteInfo(ent, route)
    assert NO_ERROR == status
    rtm.RtmReleaseRouteInfo(ent, some(info))
    got = some(info)
    return (
        repr(got.Neighbour),
        got.Flags,
        got.PrefInfo.Metric,
        got.BelongsToViews,
        [repr(h) for h in got.NextHopsList.NextHops],
    )
