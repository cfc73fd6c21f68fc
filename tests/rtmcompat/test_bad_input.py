"""The bad-input matrix: every v1 function with bad handles, families, flags, routes, networks, TTLs and
criteria (M-BINDING-4, M-BINDING-5, M-BINDING-7; V1-A10 to V1-A12, V1-A23, V1-A28, V1-A30).

Each case checks the documented result tuple (value-returning functions return what C returns on failure:
(status, None), (status, False, None), (87, 0), (87, INFINITE)), that the tables and the RTM's counts are
unchanged (a full v1 dump of both families and rtm.statistics() before and after), that no event changed, and,
implicitly, that nothing raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

import rtmcompat
import v2model
from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    INFINITE,
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_PROTOCOL_RIP,
    IPX_SPECIFIC_DATA,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    V1Client,
    V1Enum,
    V1Shim,
    ip_network,
)
from tests.rtmcompat.support import add, filetime, ip_route, ipx_route, register, snapshot, v2_register

IP = RTM_PROTOCOL_FAMILY_IP
IPX = RTM_PROTOCOL_FAMILY_IPX
EINVAL = ERROR_INVALID_PARAMETER
EHANDLE = ERROR_INVALID_HANDLE
#: NULL where the annotations want a structure (passing it is the point).
NULL: Any = None


class Env(NamedTuple):
    """A populated shim and every kind of handle a caller could get wrong."""

    shim: V1Shim
    rtm: v2model.RoutingTableManager
    rip: V1Client
    ospf: V1Client
    ipx: V1Client
    events: tuple[threading.Event, ...]
    stale: V1Client
    enum: V1Enum
    closed: V1Enum
    v2_entity: v2model.Entity
    reference_client: Any
    foreign_client: V1Client
    foreign_enum: V1Enum
    sibling_client: V1Client
    sibling_enum: V1Enum

    def state(self) -> tuple[Any, ...]:
        return snapshot(self.shim, self.rtm), tuple(ev.is_set() for ev in self.events)


@pytest.fixture
def env(rtm: v2model.RoutingTableManager, clock: v2model.ManualClock) -> Env:
    shim = V1Shim(rtm)
    rip, rip_event = register(shim, PROTO_IP_RIP)
    ospf, ospf_event = register(shim, PROTO_IP_OSPF)
    ipx, ipx_event = register(shim, IPX_PROTOCOL_RIP, IPX)
    add(shim, rip, ip_route("10.1.0.0/16"))
    add(shim, ospf, ip_route("10.1.0.0/16", ifindex=2, metric=5))
    add(shim, ospf, ip_route("10.2.0.0/16"))
    add(shim, ipx, ipx_route(0x10))
    stale, _ = register(shim, PROTO_IP_BGP)
    add(shim, stale, ip_route("10.3.0.0/16"))
    shim.RtmDeregisterClient(stale)
    enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    closed = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    shim.RtmCloseEnumerationHandle(closed)
    assert enum is not None
    assert closed is not None
    # handles of other APIs and other shims
    v2_entity = v2_register(rtm, PROTO_IP_RIP, 7)
    reference = rtmcompat.V1Reference(clock=clock)
    reference_client = reference.RtmRegisterClient(IP, PROTO_IP_RIP, None, 0).ClientHandle
    other_rtm = v2model.RoutingTableManager(clock=clock)
    foreign = V1Shim(other_rtm)
    foreign_client, _ = register(foreign, PROTO_IP_OSPF + 1000)
    add(foreign, foreign_client, ip_route("10.9.0.0/16"))
    foreign_enum = foreign.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    sibling = V1Shim(rtm)
    sibling_client, _ = register(sibling, PROTO_IP_OSPF + 2000)
    sibling_enum = sibling.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    assert foreign_enum is not None
    assert sibling_enum is not None
    for client in (rip, ospf, ipx):  # drain, so every event is clear before a case runs
        while shim.RtmDequeueRouteChangeMessage(client).status == rtmcompat.ERROR_MORE_MESSAGES:
            pass
    events = tuple(ev for ev in (rip_event, ospf_event, ipx_event) if ev is not None)
    snapshot(shim, rtm)  # registers the reader entities before any "before" state is taken
    return Env(
        shim,
        rtm,
        rip,
        ospf,
        ipx,
        events,
        stale,
        enum,
        closed,
        v2_entity,
        reference_client,
        foreign_client,
        foreign_enum,
        sibling_client,
        sibling_enum,
    )


def check(env: Env, call: Callable[[V1Shim], Any], expected: tuple[Any, ...]) -> None:
    """The call returns ``expected`` and changes nothing observable."""
    before = env.state()
    assert expected == tuple(call(env.shim))
    assert before == env.state()


# --- handles ---------------------------------------------------------------------------------------------

#: Values that are never client handles: None, integers, strings, objects, stale/closed/wrong-kind handles,
#: handles of the v2 model and of V1Reference.
NOT_CLIENTS: dict[str, Callable[[Env], Any]] = {
    "None": lambda e: None,
    "zero": lambda e: 0,
    "int": lambda e: 1,
    "negative": lambda e: -1,
    "name": lambda e: repr(e.rip),
    "object": lambda e: object(),
    "stale": lambda e: e.stale,
    "enum": lambda e: e.enum,
    "closed-enum": lambda e: e.closed,
    "v2-entity": lambda e: e.v2_entity,
    "reference-client": lambda e: e.reference_client,
}

#: Handles of another V1Shim: foreign (another RTM) and sibling (the same RTM).
FOREIGN_CLIENTS: dict[str, Callable[[Env], Any]] = {
    "foreign-client": lambda e: e.foreign_client,
    "sibling-client": lambda e: e.sibling_client,
}

NOT_ENUMS: dict[str, Callable[[Env], Any]] = {
    "None": lambda e: None,
    "zero": lambda e: 0,
    "int": lambda e: 1,
    "name": lambda e: repr(e.enum),
    "object": lambda e: object(),
    "closed": lambda e: e.closed,
    "client": lambda e: e.rip,
    "stale-client": lambda e: e.stale,
    "v2-entity": lambda e: e.v2_entity,
}

FOREIGN_ENUMS: dict[str, Callable[[Env], Any]] = {
    "foreign-enum": lambda e: e.foreign_enum,
    "sibling-enum": lambda e: e.sibling_enum,
}


CLIENT_CALLS: dict[str, tuple[Callable[[V1Shim, Any], Any], tuple[Any, ...]]] = {
    "RtmDeregisterClient": (lambda s, h: s.RtmDeregisterClient(h), (EHANDLE,)),
    "RtmDequeueRouteChangeMessage": (lambda s, h: s.RtmDequeueRouteChangeMessage(h), (EHANDLE, None, None, None)),
    "RtmAddRoute": (lambda s, h: s.RtmAddRoute(h, ip_route("10.7.0.0/16"), 60), (EHANDLE, None, None, None)),
    "RtmDeleteRoute": (lambda s, h: s.RtmDeleteRoute(h, ip_route("10.1.0.0/16")), (EHANDLE, None, None)),
    "RtmBlockDeleteRoutes": (lambda s, h: s.RtmBlockDeleteRoutes(h, 0, None), (EHANDLE,)),
}

ENUM_CALLS: dict[str, tuple[Callable[[V1Shim, Any], Any], tuple[Any, ...]]] = {
    "RtmEnumerateGetNextRoute": (lambda s, h: s.RtmEnumerateGetNextRoute(h), (EHANDLE, None)),
    "RtmCloseEnumerationHandle": (lambda s, h: s.RtmCloseEnumerationHandle(h), (EHANDLE,)),
}


#: Which foreign-handle cases the shim already answers with ERROR_INVALID_HANDLE (a foreign RTM refuses the
#: entity); every other one is a bug.
class TestClientHandles:
    """Client-taking functions (RtmDeregisterClient, RtmDequeueRouteChangeMessage, RtmAddRoute, RtmDeleteRoute,
    RtmBlockDeleteRoutes) with handles that are not this shim's live clients."""

    @pytest.mark.parametrize("function", list(CLIENT_CALLS))
    @pytest.mark.parametrize("handle", list(NOT_CLIENTS))
    def test_not_a_client_handle(self, env, function, handle):
        """None, integers, names, stale clients, enumeration handles, v2 and V1Reference handles are never client
        handles: ERROR_INVALID_HANDLE, nothing changes (M-BINDING-5, M-BINDING-7; V1-A30)."""
        call, expected = CLIENT_CALLS[function]
        value = NOT_CLIENTS[handle](env)
        check(env, lambda s: call(s, value), expected)

    @pytest.mark.parametrize(
        ("function", "handle"),
        [pytest.param(f, h, id=f"{f}-{h}") for f in CLIENT_CALLS for h in FOREIGN_CLIENTS],
    )
    def test_foreign_client_handle(self, env, function, handle):
        """A client handle of another V1Shim (on another RTM, or on the same RTM) is a foreign handle:
        ERROR_INVALID_HANDLE, and neither shim changes (M-BINDING-5)."""
        call, expected = CLIENT_CALLS[function]
        value = FOREIGN_CLIENTS[handle](env)
        foreign_state = (value.alive, len(value.routes), len(value.queue))
        check(env, lambda s: call(s, value), expected)
        assert foreign_state == (value.alive, len(value.routes), len(value.queue))


class TestEnumerationHandles:
    """RtmEnumerateGetNextRoute and RtmCloseEnumerationHandle with handles that are not this shim's open
    enumerations."""

    @pytest.mark.parametrize("function", list(ENUM_CALLS))
    @pytest.mark.parametrize("handle", list(NOT_ENUMS))
    def test_not_an_enumeration_handle(self, env, function, handle):
        """None, integers, closed enumerations and client handles: ERROR_INVALID_HANDLE (V1-4.10, V1-4.11,
        V1-A30)."""
        call, expected = ENUM_CALLS[function]
        value = NOT_ENUMS[handle](env)
        check(env, lambda s: call(s, value), expected)

    @pytest.mark.parametrize(
        ("function", "handle"),
        [pytest.param(f, h, id=f"{f}-{h}") for f in ENUM_CALLS for h in FOREIGN_ENUMS],
    )
    def test_foreign_enumeration_handle(self, env, function, handle):
        """An enumeration handle of another V1Shim is foreign: ERROR_INVALID_HANDLE, and it stays open for its
        own shim (M-BINDING-5)."""
        call, expected = ENUM_CALLS[function]
        value = FOREIGN_ENUMS[handle](env)
        check(env, lambda s: call(s, value), expected)
        assert value.alive


# --- families and flags -------------------------------------------------------------------------------------

BAD_FAMILIES = [2, -1, "x", None, 1.5, 2**32]


class TestRtmRegisterClient:
    """RtmRegisterClient with bad arguments: (status, None)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """An unsupported family: (ERROR_INVALID_PARAMETER, None) (V1-4.1, V1-A28)."""
        check(env, lambda s: s.RtmRegisterClient(family, 77, None, 0), (EINVAL, None))

    @pytest.mark.parametrize("flags", [2, 4, 0x80000000, 0xFFFFFFFF, -1, 2**32, "1", None, 1.0])
    def test_bad_flags(self, env, flags):
        """Flags other than 0 and RTM_PROTOCOL_SINGLE_ROUTE: (ERROR_INVALID_PARAMETER, None) (V1-2.2,
        V1-A11)."""
        check(env, lambda s: s.RtmRegisterClient(IP, 77, None, flags), (EINVAL, None))

    @pytest.mark.parametrize("protocol", [-1, 2**32, "8", None, 8.0])
    def test_bad_protocol(self, env, protocol):
        """A RoutingProtocol that is not a DWORD: (ERROR_INVALID_PARAMETER, None) (M-BINDING-5)."""
        check(env, lambda s: s.RtmRegisterClient(IP, protocol, None, 0), (EINVAL, None))

    @pytest.mark.parametrize("event", [1, "event", object(), threading.Lock()])
    def test_bad_event(self, env, event):
        """A ChangeEvent without set() and clear(): (ERROR_INVALID_PARAMETER, None) (M-BINDING-3)."""
        check(env, lambda s: s.RtmRegisterClient(IP, 77, event, 0), (EINVAL, None))


class TestRtmIsRoute:
    """RtmIsRoute with bad arguments: (status, False, None)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """(ERROR_INVALID_PARAMETER, False, None) (V1-4.6, V1-A28)."""
        check(env, lambda s: s.RtmIsRoute(family, ip_network("10.1.0.0/16")), (EINVAL, False, None))

    @pytest.mark.parametrize(
        ("family", "network"),
        [
            (IP, None),
            (IP, 5),
            (IP, IPX_NETWORK(1)),
            (IP, ip_route()),
            (IP, IP_NETWORK(-1, 0)),
            (IP, IP_NETWORK(2**32, 0)),
            (IP, IP_NETWORK("10.0.0.0", 0)),  # type: ignore[arg-type]
            (IP, IP_NETWORK(10, None)),  # type: ignore[arg-type]
            (IPX, None),
            (IPX, ip_network("10.0.0.0/8")),
            (IPX, IPX_NETWORK(-1)),
            (IPX, IPX_NETWORK(2**32)),
        ],
    )
    def test_bad_network(self, env, family, network):
        """A NULL, mistyped or out-of-DWORD Network: (ERROR_INVALID_PARAMETER, False, None) (V1-A10,
        M-BINDING-5)."""
        check(env, lambda s: s.RtmIsRoute(family, network), (EINVAL, False, None))


class TestRtmGetNetworkCount:
    """RtmGetNetworkCount with bad families: (87, 0)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """(ERROR_INVALID_PARAMETER, 0) (V1-4.7)."""
        check(env, lambda s: s.RtmGetNetworkCount(family), (EINVAL, 0))


class TestRtmGetRouteAge:
    """RtmGetRouteAge with invalid routes: (87, INFINITE)."""

    @pytest.mark.parametrize(
        "route",
        [
            None,
            5,
            "route",
            IP_NETWORK(),
            RTM_IP_ROUTE(),
            RTM_IPX_ROUTE(),
            RTM_IP_ROUTE(RR_TimeStamp=-1),
            RTM_IP_ROUTE(RR_TimeStamp="x"),  # type: ignore[arg-type]
            RTM_IP_ROUTE(RR_TimeStamp=1.5),  # type: ignore[arg-type]
            RTM_IP_ROUTE(RR_TimeStamp=filetime(10**9)),
        ],
        ids=["None", "int", "str", "network", "ip-zero", "ipx-zero", "negative", "str-stamp", "float", "future"],
    )
    def test_invalid_route(self, env, route):
        """(ERROR_INVALID_PARAMETER, INFINITE) (V1-4.8, V1-A27)."""
        check(env, lambda s: s.RtmGetRouteAge(route), (EINVAL, INFINITE))


class TestRtmLookupIPDestination:
    """RtmLookupIPDestination with bad addresses: (status, False, None)."""

    @pytest.mark.parametrize("address", [-1, 2**32, "10.1.0.1", None, 1.5, ip_network("10.1.0.0/16")])
    def test_bad_address(self, env, address):
        """(ERROR_INVALID_PARAMETER, False, None) (M-BINDING-4, M-BINDING-5)."""
        check(env, lambda s: s.RtmLookupIPDestination(address), (EINVAL, False, None))


BAD_ENUM_FLAGS = [0x10, 0x80000000, 0xFFFFFFFF, -1, 2**32, "1", None, 1.0]
THIS_FLAGS = [RTM_ONLY_THIS_NETWORK, RTM_ONLY_THIS_INTERFACE, RTM_ONLY_THIS_PROTOCOL, 0xF]


# --- malformed routes -------------------------------------------------------------------------------------


def _ip(mutate: Callable[[RTM_IP_ROUTE], Any]) -> Callable[[], RTM_IP_ROUTE]:
    def build() -> RTM_IP_ROUTE:
        route = ip_route("10.1.0.0/16")
        mutate(route)
        return route

    return build


def _ipx(mutate: Callable[[RTM_IPX_ROUTE], Any]) -> Callable[[], RTM_IPX_ROUTE]:
    def build() -> RTM_IPX_ROUTE:
        route = ipx_route(0x10)
        mutate(route)
        return route

    return build


def _set(path: str, value: Any) -> Callable[[Any], None]:
    """A mutator setting a dotted attribute path to a (usually bad) value."""

    def mutate(route: Any) -> None:
        *parents, last = path.split(".")
        target = route
        for name in parents:
            target = getattr(target, name)
        if last.isdigit():
            target[int(last)] = value
        else:
            setattr(target, last, value)

    return mutate


#: IP route structures an IP client must not get accepted: wrong structure, non-int fields, values outside a
#: DWORD, PSD_Data of the wrong length.
MALFORMED_IP: dict[str, Callable[[], Any]] = {
    "None": lambda: None,
    "int": lambda: 5,
    "ipx-struct": ipx_route,
    "network-struct": lambda: ip_network("10.1.0.0/16"),
    "if-str": _ip(_set("RR_InterfaceID", "1")),
    "if-float": _ip(_set("RR_InterfaceID", 1.0)),
    "if-negative": _ip(_set("RR_InterfaceID", -1)),
    "if-too-big": _ip(_set("RR_InterfaceID", 2**32)),
    "net-negative": _ip(_set("RR_Network.N_NetNumber", -1)),
    "mask-too-big": _ip(_set("RR_Network.N_NetMask", 2**32)),
    "mask-str": _ip(_set("RR_Network.N_NetMask", "255.255.0.0")),
    "nexthop-too-big": _ip(_set("RR_NextHopAddress.N_NetNumber", 2**32)),
    "nexthop-none": _ip(_set("RR_NextHopAddress", None)),
    "network-ipx": _ip(_set("RR_Network", IPX_NETWORK(1))),
    "fsd-ipx": _ip(_set("RR_FamilySpecificData", IPX_SPECIFIC_DATA())),
    "fsd-none": _ip(_set("RR_FamilySpecificData", None)),
    "metric-negative": _ip(_set("RR_FamilySpecificData.FSD_Metric", -1)),
    "metric-too-big": _ip(_set("RR_FamilySpecificData.FSD_Metric", 2**32)),
    "priority-str": _ip(_set("RR_FamilySpecificData.FSD_Priority", "0")),
    "flags-too-big": _ip(_set("RR_FamilySpecificData.FSD_Flags", 2**32)),
    "psd-none": _ip(_set("RR_ProtocolSpecificData", None)),
    "psd-3": _ip(_set("RR_ProtocolSpecificData.PSD_Data", [0, 0, 0])),
    "psd-5": _ip(_set("RR_ProtocolSpecificData.PSD_Data", [0, 0, 0, 0, 0])),
    "psd-not-list": _ip(_set("RR_ProtocolSpecificData.PSD_Data", 0)),
    "psd-too-big": _ip(_set("RR_ProtocolSpecificData.PSD_Data.3", 2**32)),
    "psd-str": _ip(_set("RR_ProtocolSpecificData.PSD_Data.0", "0")),
}

#: IPX route structures an IPX client must not get accepted (MAC not 6 bytes, USHORT overflow, ...).
MALFORMED_IPX: dict[str, Callable[[], Any]] = {
    "None": lambda: None,
    "ip-struct": ip_route,
    "mac-5": _ipx(_set("RR_NextHopAddress.NHA_Mac", bytes(5))),
    "mac-7": _ipx(_set("RR_NextHopAddress.NHA_Mac", bytes(7))),
    "mac-str": _ipx(_set("RR_NextHopAddress.NHA_Mac", "00000c000001")),
    "mac-none": _ipx(_set("RR_NextHopAddress.NHA_Mac", None)),
    "mac-list": _ipx(_set("RR_NextHopAddress.NHA_Mac", [0, 0, 12, 0, 0, 1])),
    "net-negative": _ipx(_set("RR_Network.N_NetNumber", -1)),
    "net-too-big": _ipx(_set("RR_Network.N_NetNumber", 2**32)),
    "network-ip": _ipx(_set("RR_Network", ip_network("10.0.0.0/8"))),
    "ticks-too-big": _ipx(_set("RR_FamilySpecificData.FSD_TickCount", 0x10000)),
    "hops-negative": _ipx(_set("RR_FamilySpecificData.FSD_HopCount", -1)),
    "fsd-flags-too-big": _ipx(_set("RR_FamilySpecificData.FSD_Flags", 2**32)),
    "fsd-ip": _ipx(_set("RR_FamilySpecificData", IP_SPECIFIC_DATA())),
    "if-str": _ipx(_set("RR_InterfaceID", "1")),
    "psd-3": _ipx(_set("RR_ProtocolSpecificData.PSD_Data", [0, 0, 0])),
}


class TestRtmAddRoute:
    """RtmAddRoute with malformed routes and TTLs: (status, None, None, None)."""

    @pytest.mark.parametrize("route", list(MALFORMED_IP))
    def test_malformed_ip_route(self, env, route):
        """(ERROR_INVALID_PARAMETER, None, None, None), table unchanged (V1-4.4, V1-A23)."""
        value = MALFORMED_IP[route]()
        check(env, lambda s: s.RtmAddRoute(env.rip, value, 60), (EINVAL, None, None, None))

    @pytest.mark.parametrize("route", list(MALFORMED_IPX))
    def test_malformed_ipx_route(self, env, route):
        """(ERROR_INVALID_PARAMETER, None, None, None), table unchanged (V1-4.4, V1-A23)."""
        value = MALFORMED_IPX[route]()
        check(env, lambda s: s.RtmAddRoute(env.ipx, value, 60), (EINVAL, None, None, None))

    @pytest.mark.parametrize("ttl", [2_147_484, 0xFFFFFFFE, 2**32, -1, "60", None, 60.0])
    def test_bad_time_to_live(self, env, ttl):
        """A TTL above 2,147,483 s that is not INFINITE, or not a DWORD (V1-A12)."""
        check(env, lambda s: s.RtmAddRoute(env.rip, ip_route("10.7.0.0/16"), ttl), (EINVAL, None, None, None))

    def test_update_with_bad_ttl_keeps_the_route(self, env):
        """An update of an existing route with a bad TTL changes nothing, not even the timestamp (M-BINDING-5)."""
        check(
            env,
            lambda s: s.RtmAddRoute(env.rip, ip_route("10.1.0.0/16", metric=9), 2_147_484),
            (EINVAL, None, None, None),
        )


class TestRtmDeleteRoute:
    """RtmDeleteRoute with malformed routes: (status, None, None)."""

    @pytest.mark.parametrize("route", list(MALFORMED_IP))
    def test_malformed_ip_route(self, env, route):
        """(ERROR_INVALID_PARAMETER, None, None), table unchanged (V1-4.5)."""
        value = MALFORMED_IP[route]()
        check(env, lambda s: s.RtmDeleteRoute(env.rip, value), (EINVAL, None, None))

    @pytest.mark.parametrize("route", list(MALFORMED_IPX))
    def test_malformed_ipx_route(self, env, route):
        """(ERROR_INVALID_PARAMETER, None, None), table unchanged (V1-4.5)."""
        value = MALFORMED_IPX[route]()
        check(env, lambda s: s.RtmDeleteRoute(env.ipx, value), (EINVAL, None, None))


#: A criteria/position route whose RR_RoutingProtocol is not a DWORD (criteria routes are read as given).
BAD_CRITERIA: dict[str, Callable[[], Any]] = {
    **{k: v for k, v in MALFORMED_IP.items() if k != "None"},
    "protocol-negative": _ip(_set("RR_RoutingProtocol", -1)),
    "protocol-str": _ip(_set("RR_RoutingProtocol", "8")),
}


class TestRtmCreateEnumerationHandle:
    """RtmCreateEnumerationHandle with bad arguments: (status, None)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """(ERROR_INVALID_PARAMETER, None) (V1-4.9, V1-A28)."""
        check(env, lambda s: s.RtmCreateEnumerationHandle(family, 0, None), (EINVAL, None))

    @pytest.mark.parametrize("flags", BAD_ENUM_FLAGS)
    def test_bad_flags(self, env, flags):
        """Bits outside 0xF or a non-DWORD (V1-A11)."""
        check(env, lambda s: s.RtmCreateEnumerationHandle(IP, flags, ip_route()), (EINVAL, None))

    @pytest.mark.parametrize("flags", THIS_FLAGS)
    def test_no_criteria_with_this_flags(self, env, flags):
        """CriteriaRoute None with an RTM_ONLY_THIS_* bit (V1-A10)."""
        check(env, lambda s: s.RtmCreateEnumerationHandle(IP, flags, None), (EINVAL, None))

    @pytest.mark.parametrize("route", list(BAD_CRITERIA))
    def test_malformed_criteria(self, env, route):
        """A malformed criteria route with RTM_ONLY_THIS_NETWORK (M-BINDING-5)."""
        value = BAD_CRITERIA[route]()
        check(env, lambda s: s.RtmCreateEnumerationHandle(IP, RTM_ONLY_THIS_NETWORK, value), (EINVAL, None))

    def test_ipx_criteria_for_ipx(self, env):
        """An IPX criteria route with a 5-byte MAC for the IPX family (V1-3.3)."""
        value = MALFORMED_IPX["mac-5"]()
        check(env, lambda s: s.RtmCreateEnumerationHandle(IPX, RTM_ONLY_THIS_INTERFACE, value), (EINVAL, None))


class TestRtmBlockDeleteRoutes:
    """RtmBlockDeleteRoutes with bad flags and criteria: (status,)."""

    @pytest.mark.parametrize("flags", BAD_ENUM_FLAGS)
    def test_bad_flags(self, env, flags):
        """(ERROR_INVALID_PARAMETER,), nothing deleted (V1-4.12, V1-A11)."""
        check(env, lambda s: s.RtmBlockDeleteRoutes(env.rip, flags, ip_route()), (EINVAL,))

    @pytest.mark.parametrize("flags", THIS_FLAGS)
    def test_no_criteria_with_this_flags(self, env, flags):
        """CriteriaRoute None with an RTM_ONLY_THIS_* bit (V1-A10)."""
        check(env, lambda s: s.RtmBlockDeleteRoutes(env.rip, flags, None), (EINVAL,))

    @pytest.mark.parametrize("route", list(BAD_CRITERIA))
    def test_malformed_criteria(self, env, route):
        """A malformed criteria route with RTM_ONLY_THIS_INTERFACE (M-BINDING-5)."""
        value = BAD_CRITERIA[route]()
        check(env, lambda s: s.RtmBlockDeleteRoutes(env.rip, RTM_ONLY_THIS_INTERFACE, value), (EINVAL,))


class TestRtmGetFirstRoute:
    """RtmGetFirstRoute with bad arguments: (status, None)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """(ERROR_INVALID_PARAMETER, None) (V1-4.13)."""
        check(env, lambda s: s.RtmGetFirstRoute(family, 0, None), (EINVAL, None))

    @pytest.mark.parametrize("flags", BAD_ENUM_FLAGS)
    def test_bad_flags(self, env, flags):
        """(ERROR_INVALID_PARAMETER, None) (V1-4.13, V1-A11)."""
        check(env, lambda s: s.RtmGetFirstRoute(IP, flags, ip_route()), (EINVAL, None))

    @pytest.mark.parametrize("flags", THIS_FLAGS)
    def test_no_route_with_this_flags(self, env, flags):
        """Route None with an RTM_ONLY_THIS_* bit (V1-A10)."""
        check(env, lambda s: s.RtmGetFirstRoute(IP, flags, None), (EINVAL, None))

    @pytest.mark.parametrize("route", list(BAD_CRITERIA))
    def test_malformed_criteria(self, env, route):
        """A malformed criteria route with RTM_ONLY_THIS_PROTOCOL (M-BINDING-5)."""
        value = BAD_CRITERIA[route]()
        check(env, lambda s: s.RtmGetFirstRoute(IP, RTM_ONLY_THIS_PROTOCOL, value), (EINVAL, None))


class TestRtmGetNextRoute:
    """RtmGetNextRoute with bad arguments: (status, None)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """(ERROR_INVALID_PARAMETER, None) (V1-4.14)."""
        check(env, lambda s: s.RtmGetNextRoute(family, 0, ip_route()), (EINVAL, None))

    @pytest.mark.parametrize("flags", BAD_ENUM_FLAGS)
    def test_bad_flags(self, env, flags):
        """(ERROR_INVALID_PARAMETER, None) (V1-4.14, V1-A11)."""
        check(env, lambda s: s.RtmGetNextRoute(IP, flags, ip_route()), (EINVAL, None))

    @pytest.mark.parametrize("flags", [0, RTM_ONLY_BEST_ROUTES, *THIS_FLAGS])
    def test_no_route(self, env, flags):
        """Route None, whatever the flags: the position is always needed (V1-A10, V1-4.14)."""
        check(env, lambda s: s.RtmGetNextRoute(IP, flags, NULL), (EINVAL, None))

    @pytest.mark.parametrize("route", list(BAD_CRITERIA))
    def test_malformed_position(self, env, route):
        """A malformed position route, even with flags 0 (M-BINDING-5)."""
        value = BAD_CRITERIA[route]()
        check(env, lambda s: s.RtmGetNextRoute(IP, 0, value), (EINVAL, None))

    @pytest.mark.parametrize("route", list(MALFORMED_IPX))
    def test_malformed_ipx_position(self, env, route):
        """A malformed IPX position for the IPX family (V1-3.3)."""
        value = MALFORMED_IPX[route]()
        check(env, lambda s: s.RtmGetNextRoute(IPX, 0, value), (EINVAL, None))


class TestRtmGetSpecificRoute:
    """RtmGetSpecificRoute with bad arguments: (status, None)."""

    @pytest.mark.parametrize("family", BAD_FAMILIES)
    def test_bad_family(self, env, family):
        """(ERROR_INVALID_PARAMETER, None) (V1-2.5, V1-4.13)."""
        check(env, lambda s: s.RtmGetSpecificRoute(family, ip_route()), (EINVAL, None))

    def test_no_route(self, env):
        """Route None (V1-A10)."""
        check(env, lambda s: s.RtmGetSpecificRoute(IP, NULL), (EINVAL, None))

    @pytest.mark.parametrize("route", list(BAD_CRITERIA))
    def test_malformed_route(self, env, route):
        """A malformed route (M-BINDING-5)."""
        value = BAD_CRITERIA[route]()
        check(env, lambda s: s.RtmGetSpecificRoute(IP, value), (EINVAL, None))


class TestRtmDequeueRouteChangeMessage:
    """Bad handles for RtmDequeueRouteChangeMessage are covered by TestClientHandles; a client registered
    without an event is a handle with no queue."""

    def test_client_without_event(self, env):
        """(ERROR_INVALID_HANDLE, None, None, None) (V1-4.3)."""
        quiet, _ = register(env.shim, PROTO_IP_RIP + 300, event=False)
        check(env, lambda s: s.RtmDequeueRouteChangeMessage(quiet), (EHANDLE, None, None, None))


class TestWrongFamilyStructures:
    """Structures of one family passed to calls of the other."""

    @pytest.mark.parametrize(
        ("name", "call"),
        [
            ("IsRoute", lambda s, e: s.RtmIsRoute(IPX, ip_network("10.1.0.0/16"))),
            ("GetNextRoute", lambda s, e: s.RtmGetNextRoute(IPX, 0, ip_route())),
            ("GetSpecificRoute", lambda s, e: s.RtmGetSpecificRoute(IPX, ip_route())),
            ("GetFirstRoute", lambda s, e: s.RtmGetFirstRoute(IP, RTM_ONLY_THIS_NETWORK, ipx_route())),
            ("AddRoute", lambda s, e: s.RtmAddRoute(e.ipx, ip_route(), 60)),
            ("DeleteRoute", lambda s, e: s.RtmDeleteRoute(e.rip, ipx_route(0x10))),
        ],
    )
    def test_family_mismatch(self, env, name, call):
        """A family mismatch is ERROR_INVALID_PARAMETER (V1-A23)."""
        before = env.state()
        result = tuple(call(env.shim, env))
        assert EINVAL == result[0]
        assert all(value in (None, False) for value in result[1:])
        assert before == env.state()


class TestRouteLikeOneReadBefore:
    """A route whose fields equal those of a route the shim already took, but one of them is not an exact DWORD
    int (a bool, a float, an int subclass), is still refused with ERROR_INVALID_PARAMETER, the table unchanged
    (V1-A23, M-HOSTILE)."""

    class _Int(int):
        pass

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("FSD_Metric", True),
            ("FSD_Metric", 1.0),
            ("FSD_Metric", _Int(1)),
            ("FSD_Type", False),
            ("RR_InterfaceID", 1.0),
            ("N_NetNumber", 10.0),
        ],
    )
    def test_refused_after_an_equal_valid_route(self, shim, rtm, field, value):
        """OSPF adds 10.1.0.0/16 (metric 1, interface 1); the same route with one field replaced by an equal
        value of another type is refused, and nothing changes."""
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16", metric=1))
        route = ip_route("10.1.0.0/16", metric=1)
        if field.startswith("FSD_"):
            setattr(route.RR_FamilySpecificData, field, value)
        elif field == "N_NetNumber":
            route.RR_Network.N_NetNumber = value
        else:
            setattr(route, field, value)
        before = snapshot(shim, rtm)
        assert EINVAL == shim.RtmAddRoute(ospf, route, INFINITE).status
        assert before == snapshot(shim, rtm)
