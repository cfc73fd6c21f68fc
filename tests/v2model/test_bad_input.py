"""The bad-input matrix: every foundation method, every argument, every kind of bad value.

M-BINDING-5: no argument value makes an API method raise; a wrong, stale, closed or foreign handle gives
ERROR_INVALID_HANDLE, a bad value ERROR_INVALID_PARAMETER (or the documented code), and the table is left
unchanged. Binding rule 4: on failure every out-parameter is None. Each case starts from a freshly built
:class:`~tests.v2model.matrix_support.World`, makes the valid call of the method with one argument spoiled, and
compares a full snapshot (statistics, leak reports, every destination, route and next hop, delivered events) of
both RoutingTableManagers before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

import v2model
from v2model import (
    AF_INET,
    ERROR_ACCESS_DENIED,
    ERROR_ALREADY_EXISTS,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    PROTO_IP_RIP,
    RTM_DEST_INFO,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_MATCH_OWNER,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    ipx_net_address,
    net_address,
)

from .matrix_support import METHODS, Side, World, build_world, snapshot, valid_args
from .support import route_info

Value = Callable[[World], Any]

ULONG = 1 << 32
USHORT = 1 << 16
UCHAR = 1 << 8


@attrs.frozen
class Case:
    """One spoiled call and the status it must return."""

    method: str
    label: str
    call: Callable[[World], Any]
    expected: int

    def param(self) -> Any:
        """This case as a pytest parameter, named by its label."""
        return pytest.param(self, id=self.label)


# ================================================================================================
# Building blocks
# ================================================================================================


def const(value: Any) -> Value:
    """A value that does not depend on the world (lists are copied per call)."""
    return lambda _w: list(value) if isinstance(value, list) else value


def spoil(method: str, **changes: Value) -> Callable[[World], Any]:
    """The valid call of ``method`` by the local side's ``rip`` with some arguments replaced."""

    def call(w: World) -> Any:
        kwargs = valid_args(method, w.local)
        for name, value in changes.items():
            kwargs[name] = value(w)
        return getattr(w.rtm, method)(**kwargs)

    return call


def with_field(factory: Value, path: str, value: Value) -> Value:
    """``factory(w)`` with the (dotted) field ``path`` set to ``value(w)``."""

    def build(w: World) -> Any:
        obj = factory(w)
        *parents, last = path.split(".")
        target = obj
        for name in parents:
            target = getattr(target, name)
        setattr(target, last, value(w))
        return obj

    return build


def copy_dest_info(info: RTM_DEST_INFO) -> RTM_DEST_INFO:
    """A copy of a destination information structure that keeps the very same handles."""
    return attrs.evolve(info, ViewInfo=[attrs.evolve(view) for view in info.ViewInfo])


def unchecked(value: Any) -> Any:
    """A deliberately ill-typed value (the point of the matrix), hidden from the type checker."""
    return value


def listed(value: Value) -> Value:
    """A one-element list of ``value``."""
    return lambda w: [value(w)]


def make(cls: type) -> Value:
    """A zeroed structure of ``cls``."""
    return lambda _w: cls()


def of_kind(kind: str) -> Value:
    """The local side's live handle of ``kind``."""
    return lambda w: w.local.handle_of_kind(kind)


def local(getter: Callable[[Side], Any]) -> Value:
    """A value taken from the local side."""
    return lambda w: getter(w.local)


def bad_numbers(limit: int = ULONG) -> list[tuple[str, Value]]:
    """Values that are not a C unsigned integer below ``limit``."""
    return [
        ("negative", const(-1)),
        ("too-big", const(limit)),
        ("str", const("x")),
        ("float", const(1.5)),
        ("None", const(None)),
    ]


OTHER_KINDS = ("entity", "route", "nexthop", "dest", "enum", "routelist", "notify")


def bad_handles(kind: str, *, none_valid: bool = False) -> list[tuple[str, Value]]:
    """Values that are not a live handle of ``kind`` in the local table: None, integers, a string, a stale handle,
    handles of every other kind, and handles of the same kind from another table or RoutingTableManager."""
    out: list[tuple[str, Value]] = [] if none_valid else [("None", const(None))]
    out += [("int-0", const(0)), ("int-1", const(1)), ("str", const("x"))]
    if kind in ("entity", "route", "nexthop", "dest"):
        out.append(("stale", local(lambda s: s.stale_of_kind(kind))))
        out += [
            ("other-rtm", lambda w: w.foreign.handle_of_kind(kind)),
            ("ipv6-table", lambda w: w.v6.handle_of_kind(kind)),
            ("instance-1-table", lambda w: w.instance1.handle_of_kind(kind)),
        ]
    out += [(f"kind-{k}", of_kind(k)) for k in OTHER_KINDS if k != kind]
    return out


def bad_addresses(local_address: Callable[[Side], RTM_NET_ADDRESS]) -> list[tuple[str, Value]]:
    """Malformed RTM_NET_ADDRESS values for the local IPv4 table (``local_address`` is a valid one)."""
    return [
        ("None", const(None)),
        ("str", const("10.0.0.0/8")),
        ("route-info", lambda _w: RTM_ROUTE_INFO()),
        ("zeroed", lambda _w: RTM_NET_ADDRESS()),
        ("numbits-33", with_field(local(local_address), "NumBits", const(33))),
        ("numbits-negative", with_field(local(local_address), "NumBits", const(-1))),
        ("numbits-str", with_field(local(local_address), "NumBits", const("x"))),
        ("addrbits-str", with_field(local(local_address), "AddrBits", const("abc"))),
        ("addrbits-17-bytes", with_field(local(local_address), "AddrBits", const(bytes(17)))),
        ("family-str", with_field(local(local_address), "AddressFamily", const("x"))),
        ("family-unhashable", lambda _w: RTM_NET_ADDRESS(AddressFamily=unchecked([]), NumBits=8)),
        ("ipv6-address", lambda _w: net_address("2001:db8::/32")),
        ("ipx-address", lambda _w: ipx_net_address(7)),
    ]


def wrong_structures(right: type) -> list[tuple[str, Value]]:
    """Values that are not a ``right`` structure."""
    others: list[tuple[str, Value]] = [
        ("None", const(None)),
        ("int", const(5)),
        ("dict", lambda _w: {"AddressFamily": AF_INET}),
    ]
    for other in (RTM_ROUTE_INFO, RTM_NEXTHOP_INFO, RTM_DEST_INFO, RTM_ENTITY_INFO):
        if other is not right:
            others.append((other.__name__, make(other)))
    return others


def cases_for_arg(method: str, arg: str, variants: list[tuple[str, Value]], expected: int) -> list[Case]:
    """One case per variant of argument ``arg``."""
    return [Case(method, f"{arg}-{label}", spoil(method, **{arg: value}), expected) for label, value in variants]


def caller_cases(method: str) -> list[Case]:
    """Every bad RtmRegHandle, including a registration handle of another RoutingTableManager (with that
    manager's own, otherwise valid, arguments)."""
    # An entity of another table is a valid caller; one of another RoutingTableManager is tried below with
    # arguments that are valid in its own manager.
    variants = [(label, value) for label, value in bad_handles("entity") if not label.endswith(("rtm", "table"))]
    out = cases_for_arg(method, "RtmRegHandle", variants, ERROR_INVALID_HANDLE)

    def foreign_caller(w: World) -> Any:
        return getattr(w.rtm, method)(**valid_args(method, w.foreign))

    out.append(Case(method, "RtmRegHandle-of-other-rtm", foreign_caller, ERROR_INVALID_HANDLE))
    return out


def count_cases(method: str, count_arg: str, list_arg: str, good: Value) -> list[Case]:
    """A C count beside an array: bad numbers, a count that differs from the list, and a list that is not one."""
    out = cases_for_arg(method, count_arg, bad_numbers(), ERROR_INVALID_PARAMETER)
    out.append(Case(method, f"{count_arg}-2-for-1", spoil(method, **{count_arg: const(2)}), ERROR_INVALID_PARAMETER))
    out.append(Case(method, f"{count_arg}-0-for-1", spoil(method, **{count_arg: const(0)}), ERROR_INVALID_PARAMETER))
    out.append(Case(method, f"{list_arg}-not-a-list", spoil(method, **{list_arg: good}), ERROR_INVALID_PARAMETER))
    out.append(Case(method, f"{list_arg}-None", spoil(method, **{list_arg: const(None)}), ERROR_INVALID_PARAMETER))
    return out


def handle_list_cases(
    method: str, count_arg: str, list_arg: str, kind: str, *, held_once: Value, not_held: Value
) -> list[Case]:
    """Release lists: each bad element, a handle the caller does not hold, a handle released more often than held
    and a mix of a held and an unheld handle (all or nothing: nothing is released), and the count checks."""
    out = [
        Case(
            method,
            f"{list_arg}-element-{label}",
            spoil(method, **{count_arg: const(1), list_arg: listed(value)}),
            ERROR_INVALID_HANDLE,
        )
        for label, value in bad_handles(kind)
    ]
    for label, count, handles in (
        ("not-held", 1, lambda w: [not_held(w)]),
        ("released-twice", 2, lambda w: [held_once(w), held_once(w)]),
        ("held-and-not-held", 2, lambda w: [held_once(w), not_held(w)]),
        ("element-unprintable", 1, lambda _w: [RTM_NET_ADDRESS(AddressFamily=unchecked([]))]),
    ):
        call = spoil(method, **{count_arg: const(count), list_arg: handles})
        out.append(Case(method, f"{list_arg}-{label}", call, ERROR_INVALID_HANDLE))
    out += count_cases(method, count_arg, list_arg, held_once)
    return out


def route_info_cases(method: str, arg: str = "RouteInfo") -> list[Case]:
    """Malformed RTM_ROUTE_INFO for RtmAddRouteToDest (V2-2.4, V2-A-match-add (e), A-views0)."""
    good: Value = local(lambda s: route_info(s.nh_rip))
    out = cases_for_arg(method, arg, wrong_structures(RTM_ROUTE_INFO), ERROR_INVALID_PARAMETER)

    def field(label: str, path: str, value: Value, expected: int = ERROR_INVALID_PARAMETER) -> Case:
        return Case(method, f"{arg}-{label}", spoil(method, **{arg: with_field(good, path, value)}), expected)

    for name in ("Metric", "Preference"):
        out += [field(f"{name}-{label}", f"PrefInfo.{name}", v) for label, v in bad_numbers()]
    out += [field(f"BelongsToViews-{label}", "BelongsToViews", v) for label, v in bad_numbers()]
    out.append(field("BelongsToViews-unsupported-view", "BelongsToViews", const(0x4)))
    out += [field(f"Flags-{label}", "Flags", v) for label, v in bad_numbers(USHORT)]
    out += [field(f"Flags1-{label}", "Flags1", v) for label, v in bad_numbers(UCHAR)]
    out += [field(f"NumNextHops-{label}", "NextHopsList.NumNextHops", v) for label, v in bad_numbers(USHORT)]
    out += [
        field("PrefInfo-None", "PrefInfo", const(None)),
        field("PrefInfo-wrong-type", "PrefInfo", lambda _w: RTM_NEXTHOP_LIST()),
        field("NextHopsList-None", "NextHopsList", const(None)),
        field("NextHopsList-wrong-type", "NextHopsList", lambda _w: RTM_PREF_INFO()),
        field("NextHops-not-a-list", "NextHopsList.NextHops", const(5)),
        field("NumNextHops-2-for-1", "NextHopsList.NumNextHops", const(2)),
        field("NumNextHops-0-for-1", "NextHopsList.NumNextHops", const(0)),
        field(
            "too-many-next-hops",
            "NextHopsList",
            local(lambda s: RTM_NEXTHOP_LIST(NumNextHops=4, NextHops=[s.nh_rip] * 4)),
        ),
        field("Neighbour-of-other-entity", "Neighbour", local(lambda s: s.nh_ospf)),
        field("Neighbour-deleted", "Neighbour", local(lambda s: s.deleted_nexthop)),
        field("NextHop-of-other-entity", "NextHopsList.NextHops", local(lambda s: [s.nh_ospf])),
        field("NextHop-deleted", "NextHopsList.NextHops", local(lambda s: [s.deleted_nexthop])),
    ]
    out += [
        field(f"Neighbour-{label}", "Neighbour", v, ERROR_INVALID_HANDLE)
        for label, v in bad_handles("nexthop", none_valid=True)
    ]
    out += [
        field(f"NextHop-{label}", "NextHopsList.NextHops", listed(v), ERROR_INVALID_HANDLE)
        for label, v in bad_handles("nexthop")
    ]
    return out


def nexthop_info_cases(method: str, good: Value) -> list[Case]:
    """Malformed RTM_NEXTHOP_INFO (address, interface) for the next-hop calls."""
    out = cases_for_arg(method, "NextHopInfo", wrong_structures(RTM_NEXTHOP_INFO), ERROR_INVALID_PARAMETER)
    for label, value in bad_addresses(lambda s: s.nexthop_address(1)):
        out.append(
            Case(
                method,
                f"NextHopAddress-{label}",
                spoil(method, NextHopInfo=with_field(good, "NextHopAddress", value)),
                ERROR_INVALID_PARAMETER,
            )
        )
    for label, value in bad_numbers():
        out.append(
            Case(
                method,
                f"InterfaceIndex-{label}",
                spoil(method, NextHopInfo=with_field(good, "InterfaceIndex", value)),
                ERROR_INVALID_PARAMETER,
            )
        )
    return out


def number_cases(method: str, *args: str) -> list[Case]:
    """Bad ULONG values for each listed argument."""
    return [case for arg in args for case in cases_for_arg(method, arg, bad_numbers(), ERROR_INVALID_PARAMETER)]


def address_cases(method: str, arg: str = "DestAddress") -> list[Case]:
    """Malformed destination addresses."""
    return cases_for_arg(method, arg, bad_addresses(lambda s: s.address(1)), ERROR_INVALID_PARAMETER)


# ================================================================================================
# The matrix, method by method
# ================================================================================================


def _register_cases() -> Iterator[Case]:
    m = "RtmRegisterEntity"
    good: Value = local(lambda s: valid_args(m, s)["RtmEntityInfo"])
    yield from cases_for_arg(m, "RtmEntityInfo", wrong_structures(RTM_ENTITY_INFO), ERROR_INVALID_PARAMETER)
    for label, value in (("None", const(None)), ("int", const(5)), ("tuple", const((8, 0)))):
        yield Case(
            m, f"EntityId-{label}", spoil(m, RtmEntityInfo=with_field(good, "EntityId", value)), ERROR_INVALID_PARAMETER
        )
    for path, limit in (
        ("RtmInstanceId", USHORT),
        ("AddressFamily", USHORT),
        ("EntityId.EntityProtocolId", ULONG),
        ("EntityId.EntityInstanceId", ULONG),
    ):
        for label, value in bad_numbers(limit):
            yield Case(
                m, f"{path}-{label}", spoil(m, RtmEntityInfo=with_field(good, path, value)), ERROR_INVALID_PARAMETER
            )
    for label, family in (("unknown", 99), ("zero", 0)):  # V2-A-instances
        yield Case(
            m,
            f"AddressFamily-{label}",
            spoil(m, RtmEntityInfo=with_field(good, "AddressFamily", const(family))),
            ERROR_INVALID_PARAMETER,
        )
    yield Case(
        m,
        "identity-already-registered",
        spoil(m, RtmEntityInfo=with_field(good, "EntityId", lambda _w: RTM_ENTITY_ID(PROTO_IP_RIP, 0))),
        ERROR_ALREADY_EXISTS,
    )
    for label, methods in (
        ("int", const(5)),
        ("list", const([])),
        ("count-mismatch", lambda _w: RTM_ENTITY_EXPORT_METHODS(NumMethods=2, Methods=[_method])),
        ("33-methods", lambda _w: RTM_ENTITY_EXPORT_METHODS(Methods=[_method] * 33)),
        ("not-callable", lambda _w: RTM_ENTITY_EXPORT_METHODS(Methods=unchecked([5]))),
    ):
        yield Case(m, f"ExportMethods-{label}", spoil(m, ExportMethods=methods), ERROR_INVALID_PARAMETER)
    for label, callback in (("int", const(5)), ("str", const("x"))):
        yield Case(m, f"EventCallback-{label}", spoil(m, EventCallback=callback), ERROR_INVALID_PARAMETER)
    for label, value in bad_numbers():
        yield Case(m, f"ReserveOpaquePointer-{label}", spoil(m, ReserveOpaquePointer=value), ERROR_INVALID_PARAMETER)


def _method(caller: Any, callee: Any, inp: Any, out: Any) -> None:
    """An exported method that does nothing."""


def _entity_cases() -> Iterator[Case]:
    yield from caller_cases("RtmDeregisterEntity")
    m = "RtmGetRegisteredEntities"
    yield from caller_cases(m)
    yield from number_cases(m, "NumEntities")
    yield Case(
        m,
        "NumEntities-unprintable",
        spoil(m, NumEntities=lambda _w: RTM_NET_ADDRESS(AddressFamily=unchecked([]))),
        ERROR_INVALID_PARAMETER,
    )
    m = "RtmReleaseEntities"
    yield from caller_cases(m)
    yield from handle_list_cases(
        m,
        "NumEntities",
        "EntityHandles",
        "entity",
        held_once=local(lambda s: s.observer),
        not_held=local(lambda s: s.late),
    )
    m = "RtmGetEntityInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "EntityHandle", bad_handles("entity"), ERROR_INVALID_HANDLE)
    m = "RtmReleaseEntityInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "EntityInfo", wrong_structures(RTM_ENTITY_INFO), ERROR_INVALID_PARAMETER)


def _info_cases() -> Iterator[Case]:
    m = "RtmGetDestInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "DestHandle", bad_handles("dest"), ERROR_INVALID_HANDLE)
    yield from number_cases(m, "ProtocolId", "TargetViews")

    m = "RtmReleaseDestInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "DestInfo", wrong_structures(RTM_DEST_INFO), ERROR_INVALID_PARAMETER)
    good_dest: Value = local(lambda s: copy_dest_info(s.dest_info))
    for label, path, value in (
        ("ViewInfo-None", "ViewInfo", const(None)),
        ("ViewInfo-element-None", "ViewInfo", const([None])),
        ("ViewInfo-element-wrong-type", "ViewInfo", lambda _w: [RTM_ROUTE_INFO()]),
    ):
        yield Case(
            m, f"DestInfo-{label}", spoil(m, DestInfo=with_field(good_dest, path, value)), ERROR_INVALID_PARAMETER
        )
    for label, path, value in (
        ("DestHandle-stale", "DestHandle", local(lambda s: s.stale_dest)),
        ("DestHandle-int", "DestHandle", const(5)),
        ("DestHandle-of-other-rtm", "DestHandle", lambda w: w.foreign.dest),
        ("DestHandle-of-other-table", "DestHandle", lambda w: w.v6.dest),
        ("DestHandle-not-held", "DestHandle", local(lambda s: s.hidden_dest)),
    ):
        yield Case(m, f"DestInfo-{label}", spoil(m, DestInfo=with_field(good_dest, path, value)), ERROR_INVALID_HANDLE)

    def view_route_not_held(w: World) -> RTM_DEST_INFO:
        info = copy_dest_info(w.local.dest_info)
        info.ViewInfo[0] = attrs.evolve(info.ViewInfo[0], Route=w.local.r_ospf_hidden)
        return info

    yield Case(m, "DestInfo-ViewInfo-Route-not-held", spoil(m, DestInfo=view_route_not_held), ERROR_INVALID_HANDLE)
    yield Case(
        m,
        "DestInfo-released-by-another-entity",
        lambda w: w.rtm.RtmReleaseDestInfo(w.local.ospf, w.local.dest_info),
        ERROR_INVALID_HANDLE,
    )

    m = "RtmGetRouteInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "RouteHandle", bad_handles("route"), ERROR_INVALID_HANDLE)

    m = "RtmReleaseRouteInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "RouteInfo", wrong_structures(RTM_ROUTE_INFO), ERROR_INVALID_PARAMETER)

    def good_route(w: World) -> RTM_ROUTE_INFO:
        info = w.local.route_info
        hops = info.NextHopsList
        return attrs.evolve(
            info, NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=hops.NumNextHops, NextHops=list(hops.NextHops))
        )

    for label, path, value in (
        ("NextHopsList-None", "NextHopsList", const(None)),
        ("NumNextHops-2-for-1", "NextHopsList.NumNextHops", const(2)),
        ("NextHops-not-a-list", "NextHopsList.NextHops", const(5)),
    ):
        yield Case(
            m, f"RouteInfo-{label}", spoil(m, RouteInfo=with_field(good_route, path, value)), ERROR_INVALID_PARAMETER
        )
    for label, path, value in (
        ("RouteOwner-not-held", "RouteOwner", local(lambda s: s.late)),
        ("DestHandle-stale", "DestHandle", local(lambda s: s.stale_dest)),
        ("Neighbour-int", "Neighbour", const(1)),
        ("NextHop-of-other-rtm", "NextHopsList.NextHops", lambda w: [w.foreign.nh_rip]),
    ):
        yield Case(
            m, f"RouteInfo-{label}", spoil(m, RouteInfo=with_field(good_route, path, value)), ERROR_INVALID_HANDLE
        )
    yield Case(
        m,
        "RouteInfo-released-by-another-entity",
        lambda w: w.rtm.RtmReleaseRouteInfo(w.local.ospf, w.local.route_info),
        ERROR_INVALID_HANDLE,
    )

    m = "RtmGetNextHopInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "NextHopHandle", bad_handles("nexthop"), ERROR_INVALID_HANDLE)

    m = "RtmReleaseNextHopInfo"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "NextHopInfo", wrong_structures(RTM_NEXTHOP_INFO), ERROR_INVALID_PARAMETER)
    good_nh: Value = local(lambda s: attrs.evolve(s.nexthop_info))
    for label, path, value in (
        ("NextHopOwner-not-held", "NextHopOwner", local(lambda s: s.late)),
        ("NextHopOwner-int", "NextHopOwner", const(3)),
        ("RemoteNextHop-stale", "RemoteNextHop", local(lambda s: s.stale_dest)),
    ):
        yield Case(
            m, f"NextHopInfo-{label}", spoil(m, NextHopInfo=with_field(good_nh, path, value)), ERROR_INVALID_HANDLE
        )
    yield Case(
        m,
        "NextHopInfo-released-by-another-entity",
        lambda w: w.rtm.RtmReleaseNextHopInfo(w.local.ospf, w.local.nexthop_info),
        ERROR_INVALID_HANDLE,
    )


def _route_cases() -> Iterator[Case]:
    m = "RtmAddRouteToDest"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "RouteHandle", bad_handles("route", none_valid=True), ERROR_INVALID_HANDLE)
    yield Case(m, "RouteHandle-of-other-entity", spoil(m, RouteHandle=local(lambda s: s.r_ospf)), ERROR_ACCESS_DENIED)
    yield Case(m, "RouteHandle-deleted", spoil(m, RouteHandle=local(lambda s: s.deleted_route)), ERROR_INVALID_HANDLE)
    yield Case(
        m,  # V2-A-match-add (a)
        "RouteHandle-with-other-DestAddress",
        spoil(m, RouteHandle=local(lambda s: s.r_rip), DestAddress=local(lambda s: s.address(4))),
        ERROR_INVALID_PARAMETER,
    )
    yield from address_cases(m)
    yield from route_info_cases(m)
    yield from number_cases(m, "TimeToLive", "NotifyType", "ChangeFlags")
    yield Case(m, "ChangeFlags-unknown-bit", spoil(m, ChangeFlags=const(0x4)), ERROR_INVALID_PARAMETER)
    yield from cases_for_arg(m, "RouteListHandle", bad_handles("routelist", none_valid=True), ERROR_INVALID_HANDLE)
    yield Case(
        m,
        "RouteListHandle-of-other-entity",
        spoil(m, RouteListHandle=local(lambda s: s.ospf_list)),
        ERROR_INVALID_HANDLE,
    )
    yield from cases_for_arg(m, "NotifyHandle", bad_handles("notify", none_valid=True), ERROR_INVALID_HANDLE)

    m = "RtmDeleteRouteToDest"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "RouteHandle", bad_handles("route"), ERROR_INVALID_HANDLE)
    yield Case(m, "RouteHandle-of-other-entity", spoil(m, RouteHandle=local(lambda s: s.r_ospf)), ERROR_ACCESS_DENIED)
    yield Case(m, "RouteHandle-deleted", spoil(m, RouteHandle=local(lambda s: s.deleted_route)), ERROR_NOT_FOUND)

    m = "RtmIsBestRoute"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "RouteHandle", bad_handles("route"), ERROR_INVALID_HANDLE)


def _query_cases() -> Iterator[Case]:
    m = "RtmGetExactMatchDestination"
    yield from caller_cases(m)
    yield from address_cases(m)
    yield from number_cases(m, "ProtocolId", "TargetViews")
    yield Case(m, "DestAddress-absent", spoil(m, DestAddress=local(lambda s: s.address(5))), ERROR_NOT_FOUND)

    m = "RtmGetMostSpecificDestination"
    yield from caller_cases(m)
    yield from address_cases(m)
    yield from number_cases(m, "ProtocolId", "TargetViews")
    yield Case(m, "DestAddress-not-covered", spoil(m, DestAddress=const(net_address("11.0.0.1"))), ERROR_NOT_FOUND)

    m = "RtmGetLessSpecificDestination"
    yield from caller_cases(m)
    yield from cases_for_arg(m, "DestHandle", bad_handles("dest"), ERROR_INVALID_HANDLE)
    yield Case(
        m,  # V2-A-lpm
        "DestHandle-removed-from-table",
        spoil(m, DestHandle=local(lambda s: s.removed_dest)),
        ERROR_INVALID_PARAMETER,
    )
    yield from number_cases(m, "ProtocolId", "TargetViews")

    m = "RtmGetExactMatchRoute"
    yield from caller_cases(m)
    yield from address_cases(m)
    yield from number_cases(m, "MatchingFlags", "InterfaceIndex", "TargetViews")
    yield Case(m, "MatchingFlags-unknown-bit", spoil(m, MatchingFlags=const(0x10000)), ERROR_INVALID_PARAMETER)
    yield Case(m, "RouteInfo-None-with-MATCH_OWNER", spoil(m, RouteInfo=const(None)), ERROR_INVALID_PARAMETER)
    yield Case(m, "RouteInfo-int", spoil(m, RouteInfo=const(5)), ERROR_INVALID_PARAMETER)
    yield Case(
        m,
        "RouteInfo-RouteOwner-wrong-kind",
        spoil(m, RouteInfo=local(lambda s: RTM_ROUTE_INFO(RouteOwner=unchecked(s.nh_rip)))),
        ERROR_INVALID_PARAMETER,
    )
    yield Case(
        m,
        "RouteInfo-PrefInfo-None",
        spoil(m, RouteInfo=local(lambda s: RTM_ROUTE_INFO(RouteOwner=s.rip, PrefInfo=unchecked(None)))),
        ERROR_INVALID_PARAMETER,
    )
    yield Case(m, "DestAddress-absent", spoil(m, DestAddress=local(lambda s: s.address(5))), ERROR_NOT_FOUND)
    yield Case(
        m,
        "no-route-of-owner",
        spoil(m, RouteInfo=local(lambda s: RTM_ROUTE_INFO(RouteOwner=s.late)), MatchingFlags=const(RTM_MATCH_OWNER)),
        ERROR_NOT_FOUND,
    )


def _nexthop_cases() -> Iterator[Case]:
    m = "RtmAddNextHop"
    yield from caller_cases(m)
    good: Value = local(lambda s: valid_args(m, s)["NextHopInfo"])
    yield from nexthop_info_cases(m, good)
    for label, value in [*bad_numbers(USHORT), ("unknown-bit", const(0x4))]:
        yield Case(m, f"Flags-{label}", spoil(m, NextHopInfo=with_field(good, "Flags", value)), ERROR_INVALID_PARAMETER)
    for label, value in bad_handles("dest", none_valid=True):
        yield Case(
            m,
            f"RemoteNextHop-{label}",
            spoil(m, NextHopInfo=with_field(good, "RemoteNextHop", value)),
            ERROR_INVALID_HANDLE,
        )
    yield from cases_for_arg(m, "NextHopHandle", bad_handles("nexthop", none_valid=True), ERROR_INVALID_HANDLE)
    yield Case(
        m, "NextHopHandle-of-other-entity", spoil(m, NextHopHandle=local(lambda s: s.nh_ospf)), ERROR_ACCESS_DENIED
    )
    yield Case(
        m, "NextHopHandle-deleted", spoil(m, NextHopHandle=local(lambda s: s.deleted_nexthop)), ERROR_INVALID_HANDLE
    )
    yield Case(
        m,
        "update-with-bad-Flags",
        spoil(m, NextHopHandle=local(lambda s: s.nh_rip), NextHopInfo=with_field(good, "Flags", const(0x4))),
        ERROR_INVALID_PARAMETER,
    )

    m = "RtmFindNextHop"
    yield from caller_cases(m)
    find_good: Value = local(lambda s: valid_args(m, s)["NextHopInfo"])
    yield from nexthop_info_cases(m, find_good)
    yield Case(
        m,  # V2-A-nexthop: only the caller's list is searched
        "next-hop-of-other-entity",
        spoil(m, NextHopInfo=with_field(find_good, "NextHopAddress", local(lambda s: s.nexthop_address(2)))),
        ERROR_NOT_FOUND,
    )
    yield Case(
        m,
        "other-interface",
        spoil(m, NextHopInfo=with_field(find_good, "InterfaceIndex", const(2))),
        ERROR_NOT_FOUND,
    )

    m = "RtmDeleteNextHop"
    yield from caller_cases(m)
    delete_good: Value = local(lambda s: valid_args(m, s)["NextHopInfo"])
    yield from nexthop_info_cases(m, delete_good)
    yield from cases_for_arg(m, "NextHopHandle", bad_handles("nexthop", none_valid=True), ERROR_INVALID_HANDLE)
    yield Case(
        m, "NextHopHandle-of-other-entity", spoil(m, NextHopHandle=local(lambda s: s.nh_ospf)), ERROR_ACCESS_DENIED
    )
    yield Case(m, "NextHopHandle-deleted", spoil(m, NextHopHandle=local(lambda s: s.deleted_nexthop)), ERROR_NOT_FOUND)
    yield Case(
        m,
        "NextHopInfo-absent",
        spoil(m, NextHopInfo=with_field(delete_good, "InterfaceIndex", const(2))),
        ERROR_NOT_FOUND,
    )


def _release_cases() -> Iterator[Case]:
    m = "RtmReleaseDests"
    yield from caller_cases(m)
    yield from count_cases(m, "NumDests", "DestInfos", local(lambda s: s.dest_info))
    for label, value in wrong_structures(RTM_DEST_INFO):
        yield Case(
            m,
            f"DestInfos-element-{label}",
            spoil(m, DestInfos=listed(value)),
            ERROR_INVALID_PARAMETER,
        )
    yield Case(
        m,
        "DestInfos-same-twice",
        spoil(m, NumDests=const(2), DestInfos=local(lambda s: [s.dest_info, s.dest_info])),
        ERROR_INVALID_HANDLE,
    )
    yield Case(
        m,
        "DestInfos-more-than-handed-out",
        spoil(m, NumDests=const(3), DestInfos=local(lambda s: [s.dest_info] * 3)),
        ERROR_INVALID_HANDLE,
    )

    yield from caller_cases("RtmReleaseRoutes")
    yield from handle_list_cases(
        "RtmReleaseRoutes",
        "NumRoutes",
        "RouteHandles",
        "route",
        held_once=local(lambda s: s.r_rip_wide),
        not_held=local(lambda s: s.r_ospf_hidden),
    )
    yield from caller_cases("RtmReleaseNextHops")
    yield from handle_list_cases(
        "RtmReleaseNextHops",
        "NumNextHops",
        "NextHopHandles",
        "nexthop",
        held_once=local(lambda s: s.deleted_nexthop),
        not_held=local(lambda s: s.nh_ospf),
    )
    m = "RtmReferenceHandles"
    yield from caller_cases(m)
    for kind in ("entity", "route", "nexthop", "dest"):
        for label, value in bad_handles(kind):
            if label.startswith("kind-") and label[5:] in ("entity", "route", "nexthop", "dest"):
                continue  # those kinds may be referenced
            if label in ("None", "int-0", "int-1", "str") and kind != "route":
                continue  # not kind specific: once is enough
            yield Case(
                m,
                f"RtmHandles-{kind}-{label}",
                spoil(m, RtmHandles=listed(value)),
                ERROR_INVALID_HANDLE,
            )
    yield Case(
        m,  # all or nothing: the valid handle is not referenced either
        "RtmHandles-valid-and-None",
        spoil(m, NumHandles=const(2), RtmHandles=local(lambda s: [s.r_rip, None])),
        ERROR_INVALID_HANDLE,
    )
    yield from count_cases(m, "NumHandles", "RtmHandles", local(lambda s: s.r_rip))


def _all_cases() -> dict[str, list[Case]]:
    by_method: dict[str, list[Case]] = {m: [] for m in METHODS}
    groups = (_register_cases, _entity_cases, _info_cases, _route_cases, _query_cases, _nexthop_cases, _release_cases)
    for group in groups:
        for case in group():
            by_method[case.method].append(case)
    return by_method


CASES = _all_cases()


def params(method: str) -> list[Any]:
    """The matrix rows of one method."""
    return [case.param() for case in CASES[method]]


# ================================================================================================
# Fixtures and the check every row makes
# ================================================================================================


@pytest.fixture
def other_rtm(clock: v2model.ManualClock) -> Iterator[v2model.RoutingTableManager]:
    """A second, independent RoutingTableManager (another router)."""
    with v2model.RoutingTableManager(clock=clock) as manager:
        yield manager


@pytest.fixture
def world(rtm: v2model.RoutingTableManager, other_rtm: v2model.RoutingTableManager) -> World:
    """A freshly populated world (see matrix_support)."""
    return build_world(rtm, other_rtm)


def check(world: World, case: Case) -> None:
    """The call returns the expected status and no out-parameter, and changes nothing anywhere."""
    before = snapshot(world)
    result = case.call(world)
    assert case.expected == result.status
    assert [None] * (len(result) - 1) == list(result[1:])
    assert before == snapshot(world)


# ================================================================================================
# The matrix is sound: the valid calls succeed and the snapshot sees what they do
# ================================================================================================


class TestMatrixBaseline:
    """The rows spoil a call that is otherwise valid; if the valid call failed or the snapshot were blind, the
    matrix would prove nothing."""

    @pytest.mark.parametrize("method", METHODS)
    def test_valid_call_succeeds(self, world: World, method: str) -> None:
        """The unspoiled call of every method returns NO_ERROR (binding rule 3)."""
        result = getattr(world.rtm, method)(**valid_args(method, world.local))
        assert 0 == result.status

    @pytest.mark.parametrize("method", [m for m in METHODS if m != "RtmIsBestRoute"])
    def test_snapshot_sees_valid_call(self, world: World, method: str) -> None:
        """Every valid call except the read-only RtmIsBestRoute changes something the snapshot captures
        (a reference, an information structure, a route, a next hop or an entity)."""
        before = snapshot(world)
        getattr(world.rtm, method)(**valid_args(method, world.local))
        assert before != snapshot(world)

    def test_every_method_has_rows(self) -> None:
        """Each method of the foundation has a caller row and at least one argument row."""
        assert all(len(CASES[m]) > 10 for m in METHODS)


# ================================================================================================
# One class per API operation
# ================================================================================================


class TestRtmRegisterEntity:
    @pytest.mark.parametrize("case", params("RtmRegisterEntity"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed entity info, unknown family (V2-A-instances), duplicate identity (ERROR_ALREADY_EXISTS),
        malformed exported methods, callback or BOOL: documented status, nobody registered, no event sent."""
        check(world, case)


class TestRtmDeregisterEntity:
    @pytest.mark.parametrize("case", params("RtmDeregisterEntity"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A bad or stale registration handle gives ERROR_INVALID_HANDLE and deregisters nobody (V2-6.1)."""
        check(world, case)


class TestRtmGetRegisteredEntities:
    @pytest.mark.parametrize("case", params("RtmGetRegisteredEntities"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Bad caller or capacity: the documented status, no reference taken."""
        check(world, case)


class TestRtmReleaseEntities:
    @pytest.mark.parametrize("case", params("RtmReleaseEntities"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A handle that is not an entity the caller holds gives ERROR_INVALID_HANDLE and nothing is released
        (V2-A-refs, all or nothing); a count that differs from the list is ERROR_INVALID_PARAMETER."""
        check(world, case)


class TestRtmGetEntityInfo:
    @pytest.mark.parametrize("case", params("RtmGetEntityInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A bad, stale or foreign entity handle gives ERROR_INVALID_HANDLE (V2-6.4)."""
        check(world, case)


class TestRtmReleaseEntityInfo:
    @pytest.mark.parametrize("case", params("RtmReleaseEntityInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Something that is not an RTM_ENTITY_INFO is ERROR_INVALID_PARAMETER."""
        check(world, case)


class TestRtmGetDestInfo:
    @pytest.mark.parametrize("case", params("RtmGetDestInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Bad destination handle: ERROR_INVALID_HANDLE; bad ProtocolId or TargetViews: ERROR_INVALID_PARAMETER."""
        check(world, case)


class TestRtmReleaseDestInfo:
    @pytest.mark.parametrize("case", params("RtmReleaseDestInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A malformed structure is ERROR_INVALID_PARAMETER; one holding a handle the caller does not hold is
        ERROR_INVALID_HANDLE and releases none of its other handles (V2-A-refs)."""
        check(world, case)


class TestRtmGetRouteInfo:
    @pytest.mark.parametrize("case", params("RtmGetRouteInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A bad, stale or foreign route handle gives ERROR_INVALID_HANDLE."""
        check(world, case)


class TestRtmReleaseRouteInfo:
    @pytest.mark.parametrize("case", params("RtmReleaseRouteInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed structure: ERROR_INVALID_PARAMETER; unheld handle inside: ERROR_INVALID_HANDLE, nothing
        released."""
        check(world, case)


class TestRtmGetNextHopInfo:
    @pytest.mark.parametrize("case", params("RtmGetNextHopInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A bad, stale or foreign next-hop handle gives ERROR_INVALID_HANDLE."""
        check(world, case)


class TestRtmReleaseNextHopInfo:
    @pytest.mark.parametrize("case", params("RtmReleaseNextHopInfo"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed structure: ERROR_INVALID_PARAMETER; unheld handle inside: ERROR_INVALID_HANDLE."""
        check(world, case)


class TestRtmAddRouteToDest:
    @pytest.mark.parametrize("case", params("RtmAddRouteToDest"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Spec 6.5 and A-match-add: another entity's route is ERROR_ACCESS_DENIED (b), a deleted one
        ERROR_INVALID_HANDLE (c), a handle with another DestAddress ERROR_INVALID_PARAMETER (a), next hops not the
        caller's or too many ERROR_INVALID_PARAMETER (e), unsupported views ERROR_INVALID_PARAMETER (A-views0);
        no route or destination is created or changed."""
        check(world, case)


class TestRtmDeleteRouteToDest:
    @pytest.mark.parametrize("case", params("RtmDeleteRouteToDest"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Another entity's route: ERROR_ACCESS_DENIED; an already deleted route: ERROR_NOT_FOUND with the handle
        not consumed (V2-A-delete); bad handles: ERROR_INVALID_HANDLE."""
        check(world, case)


class TestRtmIsBestRoute:
    @pytest.mark.parametrize("case", params("RtmIsBestRoute"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """A bad, stale or foreign route handle gives ERROR_INVALID_HANDLE (V2-6.6)."""
        check(world, case)


class TestRtmGetExactMatchDestination:
    @pytest.mark.parametrize("case", params("RtmGetExactMatchDestination"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed or foreign-family address, bad numbers: ERROR_INVALID_PARAMETER; absent: ERROR_NOT_FOUND."""
        check(world, case)


class TestRtmGetMostSpecificDestination:
    @pytest.mark.parametrize("case", params("RtmGetMostSpecificDestination"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed address or numbers: ERROR_INVALID_PARAMETER; nothing covers it: ERROR_NOT_FOUND."""
        check(world, case)


class TestRtmGetLessSpecificDestination:
    @pytest.mark.parametrize("case", params("RtmGetLessSpecificDestination"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Bad handle: ERROR_INVALID_HANDLE; a destination no longer in the table: ERROR_INVALID_PARAMETER
        (V2-A-lpm); bad numbers: ERROR_INVALID_PARAMETER."""
        check(world, case)


class TestRtmGetExactMatchRoute:
    @pytest.mark.parametrize("case", params("RtmGetExactMatchRoute"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed address, flags, criteria route or numbers: ERROR_INVALID_PARAMETER; no match:
        ERROR_NOT_FOUND; no reference taken."""
        check(world, case)


class TestRtmAddNextHop:
    @pytest.mark.parametrize("case", params("RtmAddNextHop"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed next-hop info: ERROR_INVALID_PARAMETER; another owner's handle: ERROR_ACCESS_DENIED
        (V2-A-nexthop); bad handles: ERROR_INVALID_HANDLE; no next hop created or changed."""
        check(world, case)


class TestRtmFindNextHop:
    @pytest.mark.parametrize("case", params("RtmFindNextHop"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Malformed next-hop info: ERROR_INVALID_PARAMETER; not in the caller's list: ERROR_NOT_FOUND."""
        check(world, case)


class TestRtmDeleteNextHop:
    @pytest.mark.parametrize("case", params("RtmDeleteNextHop"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Another owner's next hop: ERROR_ACCESS_DENIED; already deleted or absent: ERROR_NOT_FOUND (handle not
        consumed); malformed info: ERROR_INVALID_PARAMETER."""
        check(world, case)


class TestRtmReleaseDests:
    @pytest.mark.parametrize("case", params("RtmReleaseDests"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Count/list mismatch and malformed structures: ERROR_INVALID_PARAMETER; releasing more than was handed
        out: ERROR_INVALID_HANDLE, nothing released."""
        check(world, case)


class TestRtmReleaseRoutes:
    @pytest.mark.parametrize("case", params("RtmReleaseRoutes"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Spec A-refs: a handle that is not a route the caller holds gives ERROR_INVALID_HANDLE and none of the
        listed handles is released."""
        check(world, case)


class TestRtmReleaseNextHops:
    @pytest.mark.parametrize("case", params("RtmReleaseNextHops"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Spec A-refs: a handle that is not a next hop the caller holds gives ERROR_INVALID_HANDLE and none of
        the listed handles is released."""
        check(world, case)


class TestRtmReferenceHandles:
    @pytest.mark.parametrize("case", params("RtmReferenceHandles"))
    def test_bad_input(self, world: World, case: Case) -> None:
        """Spec 6.11: only live destination, route, next-hop and entity handles of the caller's table can be
        referenced; otherwise ERROR_INVALID_HANDLE and none of the listed handles is referenced."""
        check(world, case)
