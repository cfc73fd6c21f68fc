"""The mapping log (MIGRATION.md "The mapping log") and the generated mapping table."""

from __future__ import annotations

import json
import pathlib
import re
import threading
from collections.abc import Callable
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
    ERROR_MORE_MESSAGES,
    ERROR_NO_MESSAGES,
    ERROR_NO_ROUTES,
    ERROR_NO_SUCH_ROUTE,
    IPX_PROTOCOL_RIP,
    MAPPINGS,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_ONLY_THIS_NETWORK,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    V1Client,
    V1Enum,
    V1Shim,
    ip_address,
    ip_network,
)
from rtmcompat._logging import jsonable
from tests.rtmcompat.support import add, filetime, ip_route, ipx_route, register, stored

MIGRATION = pathlib.Path(__file__).resolve().parents[2] / "MIGRATION.md"
IP = RTM_PROTOCOL_FAMILY_IP


class Logged:
    """A shim with a capturing mapping logger (never a global structlog configuration)."""

    def __init__(self, rtm: v2model.RoutingTableManager, **kwargs: Any) -> None:
        self.cap = LogCapture()
        self.shim = V1Shim(rtm, mapping_logger=structlog.wrap_logger(None, processors=[self.cap]), **kwargs)

    def one(self, call: Callable[[V1Shim], Any]) -> tuple[Any, Any]:
        """Run one v1 call and return its result and the one event it logged."""
        before = len(self.cap.entries)
        result = call(self.shim)
        new = self.cap.entries[before:]
        assert 1 == len(new), new
        return result, new[0]


@pytest.fixture
def logged(rtm: v2model.RoutingTableManager) -> Logged:
    return Logged(rtm)


def world(logged: Logged) -> dict[str, Any]:
    """Clients, routes and handles for the call matrix (set up through the logged shim)."""
    shim = logged.shim
    rip, _ = register(shim, PROTO_IP_RIP)
    ospf, _ = register(shim, PROTO_IP_OSPF)
    quiet, _ = register(shim, PROTO_IP_BGP, event=False)
    ipx, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
    add(shim, rip, ip_route("10.1.0.0/16"))
    add(shim, rip, ip_route("10.2.0.0/16"))
    add(shim, ipx, ipx_route())
    enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    closed = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
    shim.RtmCloseEnumerationHandle(closed)
    gone, _ = register(shim, PROTO_IP_RIP + 1000)
    shim.RtmDeregisterClient(gone)
    return {"rip": rip, "ospf": ospf, "quiet": quiet, "ipx": ipx, "enum": enum, "closed": closed, "gone": gone}


def bad(value: object) -> Any:
    """A deliberately ill-typed argument."""
    return value


def bad_route() -> RTM_IP_ROUTE:
    route = ip_route()
    route.RR_InterfaceID = -1
    return route


#: (id, v1 function, call, expected status): success and error paths of every v1 function.
CASES: list[tuple[str, str, Callable[[V1Shim, dict[str, Any]], Any], int]] = [
    (
        "register",
        "RtmRegisterClient",
        lambda s, w: s.RtmRegisterClient(IP, PROTO_IP_BGP + 100, threading.Event(), 0),
        NO_ERROR,
    ),
    (
        "register-dup",
        "RtmRegisterClient",
        lambda s, w: s.RtmRegisterClient(IP, PROTO_IP_RIP, None, 0),
        ERROR_CLIENT_ALREADY_EXISTS,
    ),
    ("register-family", "RtmRegisterClient", lambda s, w: s.RtmRegisterClient(2, 1, None, 0), ERROR_INVALID_PARAMETER),
    ("register-flags", "RtmRegisterClient", lambda s, w: s.RtmRegisterClient(IP, 77, None, 2), ERROR_INVALID_PARAMETER),
    ("deregister", "RtmDeregisterClient", lambda s, w: s.RtmDeregisterClient(w["quiet"]), NO_ERROR),
    ("deregister-stale", "RtmDeregisterClient", lambda s, w: s.RtmDeregisterClient(w["gone"]), ERROR_INVALID_HANDLE),
    ("deregister-none", "RtmDeregisterClient", lambda s, w: s.RtmDeregisterClient(None), ERROR_INVALID_HANDLE),
    (
        "dequeue-more",
        "RtmDequeueRouteChangeMessage",
        lambda s, w: s.RtmDequeueRouteChangeMessage(w["ospf"]),
        ERROR_MORE_MESSAGES,
    ),
    (
        "dequeue-empty",
        "RtmDequeueRouteChangeMessage",
        lambda s, w: s.RtmDequeueRouteChangeMessage(w["rip"]),
        ERROR_NO_MESSAGES,
    ),
    (
        "dequeue-no-event",
        "RtmDequeueRouteChangeMessage",
        lambda s, w: s.RtmDequeueRouteChangeMessage(w["quiet"]),
        ERROR_INVALID_HANDLE,
    ),
    (
        "dequeue-enum",
        "RtmDequeueRouteChangeMessage",
        lambda s, w: s.RtmDequeueRouteChangeMessage(w["enum"]),
        ERROR_INVALID_HANDLE,
    ),
    ("add", "RtmAddRoute", lambda s, w: s.RtmAddRoute(w["ospf"], ip_route("10.3.0.0/16"), 60), NO_ERROR),
    ("add-bad-route", "RtmAddRoute", lambda s, w: s.RtmAddRoute(w["ospf"], bad_route(), 60), ERROR_INVALID_PARAMETER),
    ("add-ttl", "RtmAddRoute", lambda s, w: s.RtmAddRoute(w["ospf"], ip_route(), 2_147_484), ERROR_INVALID_PARAMETER),
    ("add-handle", "RtmAddRoute", lambda s, w: s.RtmAddRoute(bad(5), ip_route(), 60), ERROR_INVALID_HANDLE),
    ("delete", "RtmDeleteRoute", lambda s, w: s.RtmDeleteRoute(w["rip"], ip_route("10.2.0.0/16")), NO_ERROR),
    ("delete-missing", "RtmDeleteRoute", lambda s, w: s.RtmDeleteRoute(w["ospf"], ip_route()), ERROR_NO_SUCH_ROUTE),
    ("delete-family", "RtmDeleteRoute", lambda s, w: s.RtmDeleteRoute(w["rip"], ipx_route()), ERROR_INVALID_PARAMETER),
    ("isroute", "RtmIsRoute", lambda s, w: s.RtmIsRoute(IP, ip_network("10.1.0.0/16")), NO_ERROR),
    ("isroute-family", "RtmIsRoute", lambda s, w: s.RtmIsRoute(-1, ip_network("10.1.0.0/16")), ERROR_INVALID_PARAMETER),
    ("count", "RtmGetNetworkCount", lambda s, w: s.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX), NO_ERROR),
    ("count-family", "RtmGetNetworkCount", lambda s, w: s.RtmGetNetworkCount(bad("x")), ERROR_INVALID_PARAMETER),
    ("age", "RtmGetRouteAge", lambda s, w: s.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=filetime(0))), NO_ERROR),
    ("age-zero", "RtmGetRouteAge", lambda s, w: s.RtmGetRouteAge(ip_route()), ERROR_INVALID_PARAMETER),
    ("create", "RtmCreateEnumerationHandle", lambda s, w: s.RtmCreateEnumerationHandle(IP, 0), NO_ERROR),
    (
        "create-none",
        "RtmCreateEnumerationHandle",
        lambda s, w: s.RtmCreateEnumerationHandle(IP, RTM_ONLY_THIS_NETWORK, ip_route("10.9.0.0/16")),
        ERROR_NO_ROUTES,
    ),
    (
        "create-flags",
        "RtmCreateEnumerationHandle",
        lambda s, w: s.RtmCreateEnumerationHandle(IP, 0x10),
        ERROR_INVALID_PARAMETER,
    ),
    ("enum-next", "RtmEnumerateGetNextRoute", lambda s, w: s.RtmEnumerateGetNextRoute(w["enum"]), NO_ERROR),
    (
        "enum-closed",
        "RtmEnumerateGetNextRoute",
        lambda s, w: s.RtmEnumerateGetNextRoute(w["closed"]),
        ERROR_INVALID_HANDLE,
    ),
    (
        "enum-client",
        "RtmEnumerateGetNextRoute",
        lambda s, w: s.RtmEnumerateGetNextRoute(w["rip"]),
        ERROR_INVALID_HANDLE,
    ),
    ("close", "RtmCloseEnumerationHandle", lambda s, w: s.RtmCloseEnumerationHandle(w["enum"]), NO_ERROR),
    (
        "close-twice",
        "RtmCloseEnumerationHandle",
        lambda s, w: s.RtmCloseEnumerationHandle(w["closed"]),
        ERROR_INVALID_HANDLE,
    ),
    ("block", "RtmBlockDeleteRoutes", lambda s, w: s.RtmBlockDeleteRoutes(w["rip"], 0), NO_ERROR),
    ("block-none", "RtmBlockDeleteRoutes", lambda s, w: s.RtmBlockDeleteRoutes(w["ospf"], 0), ERROR_NO_ROUTES),
    (
        "block-criteria",
        "RtmBlockDeleteRoutes",
        lambda s, w: s.RtmBlockDeleteRoutes(w["rip"], 1, None),
        ERROR_INVALID_PARAMETER,
    ),
    ("first", "RtmGetFirstRoute", lambda s, w: s.RtmGetFirstRoute(IP, 0), NO_ERROR),
    ("first-flags", "RtmGetFirstRoute", lambda s, w: s.RtmGetFirstRoute(IP, 0x20), ERROR_INVALID_PARAMETER),
    ("next", "RtmGetNextRoute", lambda s, w: s.RtmGetNextRoute(IP, 0, ip_route("0.0.0.0/0")), NO_ERROR),
    ("next-end", "RtmGetNextRoute", lambda s, w: s.RtmGetNextRoute(IP, 0, ip_route("255.0.0.0/8")), ERROR_NO_ROUTES),
    ("next-none", "RtmGetNextRoute", lambda s, w: s.RtmGetNextRoute(IP, 0, bad(None)), ERROR_INVALID_PARAMETER),
    (
        "specific",
        "RtmGetSpecificRoute",
        lambda s, w: s.RtmGetSpecificRoute(IP, ip_route(protocol=PROTO_IP_RIP)),
        NO_ERROR,
    ),
    ("specific-none", "RtmGetSpecificRoute", lambda s, w: s.RtmGetSpecificRoute(IP, ip_route()), ERROR_NO_ROUTES),
    ("lookup", "RtmLookupIPDestination", lambda s, w: s.RtmLookupIPDestination(ip_address("10.1.0.1")), NO_ERROR),
    ("lookup-bad", "RtmLookupIPDestination", lambda s, w: s.RtmLookupIPDestination(-1), ERROR_INVALID_PARAMETER),
]

CLIENT_CALLS = {
    "RtmDeregisterClient",
    "RtmDequeueRouteChangeMessage",
    "RtmAddRoute",
    "RtmDeleteRoute",
    "RtmBlockDeleteRoutes",
}


class TestMappingLog:
    """V1Shim(rtm, mapping_logger=...): one rtm.v1_call event per v1 call."""

    @pytest.mark.parametrize(("case", "v1", "call", "status"), CASES, ids=[c[0] for c in CASES])
    def test_exactly_one_event_per_call(self, logged, case, v1, call, status):
        """Every v1 call, on every path, errors included, emits exactly one INFO event "rtm.v1_call" with v1,
        args, status (int) and v2, JSON-safe (MIGRATION.md "The mapping log")."""
        w = world(logged)
        result, entry = logged.one(lambda s: call(s, w))
        assert status == result[0]
        assert ("rtm.v1_call", "info", v1, status) == (entry["event"], entry["log_level"], entry["v1"], entry["status"])
        assert type(entry["status"]) is int
        assert {"event", "log_level", "v1", "args", "status", "v2"} <= set(entry)
        json.dumps(entry)
        for item in entry["v2"]:
            assert ["call", "count", "failed"] == sorted(item)
            assert 0 <= item["failed"] <= item["count"]
        assert len({item["call"] for item in entry["v2"]}) == len(entry["v2"])

    @pytest.mark.parametrize(
        ("case", "v1", "call", "status"),
        list(CASES),
        ids=[c[0] for c in CASES],
    )
    def test_client_key(self, logged, case, v1, call, status):
        """Calls that take a client handle, and a successful RtmRegisterClient, carry the client's readable
        name; the others have no client key (MIGRATION.md "The mapping log")."""
        w = world(logged)
        result, entry = logged.one(lambda s: call(s, w))
        handle = entry["args"].get("ClientHandle")
        if v1 in CLIENT_CALLS and isinstance(handle, str) and handle.startswith("<client"):
            assert handle == entry["client"]
        elif v1 == "RtmRegisterClient" and status == NO_ERROR:
            assert repr(result.ClientHandle) == entry["client"]
        elif v1 not in CLIENT_CALLS:
            assert "client" not in entry

    def test_args_are_readable(self, logged):
        """Handles appear as their readable names, structures as dicts of C field names, bytes as hex, the
        change event as "<event>" (MIGRATION.md "The mapping log")."""
        shim = logged.shim
        ev = threading.Event()
        client, entry = logged.one(lambda s: s.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IPX, IPX_PROTOCOL_RIP, ev, 0))
        assert {
            "ProtocolFamily": 0,
            "RoutingProtocol": IPX_PROTOCOL_RIP,
            "ChangeEvent": "<event>",
            "Flags": 0,
        } == entry["args"]
        assert re.fullmatch(r"<client IPX-RIP#\d+>", entry["client"])
        handle = client.ClientHandle
        _, entry = logged.one(lambda s: s.RtmAddRoute(handle, ipx_route(0x10, ifindex=2, ticks=3, hops=4), 60))
        assert {
            "ClientHandle": repr(handle),
            "Route": {
                "RR_TimeStamp": 0,
                "RR_RoutingProtocol": 0,
                "RR_InterfaceID": 2,
                "RR_ProtocolSpecificData": {"PSD_Data": [0, 0, 0, 0]},
                "RR_Network": {"N_NetNumber": 0x10},
                "RR_NextHopAddress": {"NHA_Mac": "00000c000001"},
                "RR_FamilySpecificData": {"FSD_Flags": 0, "FSD_TickCount": 3, "FSD_HopCount": 4},
            },
            "TimeToLive": 60,
        } == entry["args"]
        status, enum = shim.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IPX, 0)
        assert NO_ERROR == status
        _, entry = logged.one(lambda s: s.RtmEnumerateGetNextRoute(enum))
        assert {"EnumerationHandle": repr(enum)} == entry["args"]
        assert repr(enum).startswith("<enum#")
        _, entry = logged.one(lambda s: s.RtmRegisterClient(IP, PROTO_IP_OSPF))
        assert None is entry["args"]["ChangeEvent"]

    def test_ip_structures_as_dicts(self, logged):
        """An IP route in args is a dict of C field names with nested structures; its addresses show as dotted
        quads (MIGRATION.md "The mapping log"; M-STRUCTURES: logs show dotted quads)."""
        rip, _ = register(logged.shim, PROTO_IP_RIP)
        route = ip_route("10.1.0.0/16", metric=3, psd=(1, 2, 3, 4))
        _, entry = logged.one(lambda s: s.RtmAddRoute(rip, route, 60))
        logged_route = entry["args"]["Route"]
        assert [
            "RR_TimeStamp",
            "RR_RoutingProtocol",
            "RR_InterfaceID",
            "RR_ProtocolSpecificData",
            "RR_Network",
            "RR_NextHopAddress",
            "RR_FamilySpecificData",
        ] == list(logged_route)
        assert {"N_NetNumber": "10.1.0.0", "N_NetMask": "255.255.0.0"} == logged_route["RR_Network"]
        assert 3 == logged_route["RR_FamilySpecificData"]["FSD_Metric"]
        assert [1, 2, 3, 4] == logged_route["RR_ProtocolSpecificData"]["PSD_Data"]

    @pytest.mark.parametrize(
        "value",
        [object(), {1, 2}, float("inf"), b"\x00\x01", bytearray(b"\x02"), (1, "a"), {"k": object()}],
        ids=["object", "set", "inf", "bytes", "bytearray", "tuple", "dict"],
    )
    def test_odd_arguments_are_json_safe(self, logged, value):
        """Whatever is passed, the event stays JSON-serialisable (MIGRATION.md "The mapping log")."""
        _, entry = logged.one(lambda s: s.RtmAddRoute(value, value, value))
        assert ERROR_INVALID_HANDLE == entry["status"]
        json.dumps(entry)

    @pytest.mark.parametrize("kind", ["list", "struct"])
    def test_cyclic_argument_does_not_raise(self, logged, kind):
        """No argument value makes a v1 call raise, with or without a logger: a self-referencing argument is a
        bad value (ERROR_INVALID_PARAMETER) and is still logged once (M-BINDING-5, "The mapping
        log")."""
        rip, _ = register(logged.shim, PROTO_IP_RIP)
        cyclic: Any
        if kind == "list":
            cyclic = []
            cyclic.append(cyclic)
        else:
            cyclic = ip_route()
            cyclic.RR_Network = cyclic
        result, entry = logged.one(lambda s: s.RtmAddRoute(rip, cyclic, 60))
        assert (ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER) == (result.status, entry["status"])
        json.dumps(entry)

    def test_argument_with_failing_repr_does_not_raise(self, logged):
        """An argument whose repr() raises is still only a bad value (M-BINDING-5)."""

        class Opaque:
            def __repr__(self) -> str:
                raise RuntimeError("no repr")

        result, entry = logged.one(lambda s: s.RtmGetNetworkCount(Opaque()))
        assert ((ERROR_INVALID_PARAMETER, 0), ERROR_INVALID_PARAMETER) == (tuple(result), entry["status"])

    def test_v2_calls_in_order_of_first_use(self, logged):
        """v2 lists the RTMv2 calls in order of first use with their counts; a not-found lookup counts as
        failed (MIGRATION.md "The mapping log")."""
        rip, _ = register(logged.shim, PROTO_IP_RIP, event=False)
        _, entry = logged.one(lambda s: s.RtmAddRoute(rip, ip_route(), 60))
        calls = [item["call"] for item in entry["v2"]]
        assert calls.index("RtmAddNextHop") < calls.index("RtmAddRouteToDest")
        logged.shim.RtmIsRoute(IP, ip_network("10.9.0.0/16"))  # registers the reader entity
        _, entry = logged.one(lambda s: s.RtmIsRoute(IP, ip_network("10.9.0.0/16")))
        assert [{"call": "RtmGetExactMatchDestination", "count": 1, "failed": 1}] == entry["v2"]

    def test_no_v2_calls_for_pure_v1_functions(self, logged):
        """RtmDequeueRouteChangeMessage, RtmGetRouteAge and RtmCloseEnumerationHandle make no RTMv2 call
        (MIGRATION.md mapping table)."""
        rip, _ = register(logged.shim, PROTO_IP_RIP)
        add(logged.shim, rip, ip_route())
        enum = logged.shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        for call in (
            lambda s: s.RtmDequeueRouteChangeMessage(rip),
            lambda s: s.RtmGetRouteAge(ip_route()),
            lambda s: s.RtmCloseEnumerationHandle(enum),
        ):
            assert [] == logged.one(call)[1]["v2"]

    @pytest.mark.parametrize(
        ("with_event", "others_listen", "expected"),
        [
            (False, False, ["RtmDeleteRouteToDest", "RtmDeleteNextHop", "RtmDeregisterEntity"]),
            (
                True,
                False,
                [
                    "RtmDeregisterFromChangeNotification",
                    "RtmDeleteRouteToDest",
                    "RtmDeleteNextHop",
                    "RtmDeregisterEntity",
                ],
            ),
            (
                True,
                True,
                [
                    "RtmDeleteRouteToDest",
                    "RtmGetChangedDests",
                    "RtmReleaseChangedDests",
                    "RtmDeleteNextHop",
                    "RtmDeregisterEntity",
                ],
            ),
        ],
        ids=["no-event", "last-listener", "others-listen"],
    )
    def test_deregistration_v2_calls(self, logged, with_event, others_listen, expected):
        """RtmDeregisterClient deletes each route, retrieves the changes once for the routes of different networks
        while another client listens (M-BATCH-SETTLE), then deletes the next hops, then the entity; the last client
        with an event drops the shared registration first, since nobody is left to tell (MIGRATION.md mapping
        table RtmDeregisterClient, M-SHARED-NOTIFY)."""
        shim = logged.shim
        rip, _ = register(shim, PROTO_IP_RIP, event=with_event)
        register(shim, PROTO_IP_OSPF, event=others_listen)
        for net, nexthop in (("10.1.0.0/16", "192.0.2.1"), ("10.2.0.0/16", "192.0.2.2"), ("10.3.0.0/16", "192.0.2.1")):
            add(shim, rip, ip_route(net, nexthop=nexthop))
        _, entry = logged.one(lambda s: s.RtmDeregisterClient(rip))
        counts = {item["call"]: item["count"] for item in entry["v2"]}
        assert expected == [item["call"] for item in entry["v2"]]
        assert (3, 2, 1) == (counts["RtmDeleteRouteToDest"], counts["RtmDeleteNextHop"], counts["RtmDeregisterEntity"])
        assert (1 if others_listen else 0) == counts.get("RtmGetChangedDests", 0)
        assert all(item["failed"] == 0 for item in entry["v2"])

    def test_aging_has_its_own_event(self, logged, clock):
        """Aging that runs at the start of a v1 call is one rtm.v1_aging event, logged before that call's
        rtm.v1_call, with the routes it removed and its own v2 calls; the call's v2 list holds none of them
        (MIGRATION.md "The mapping log")."""
        rip, _ = register(logged.shim, PROTO_IP_RIP)
        add(logged.shim, rip, ip_route(), 1)
        clock.advance(1_000)
        before = len(logged.cap.entries)
        result = logged.shim.RtmGetRouteAge(RTM_IP_ROUTE(RR_TimeStamp=filetime(0)))
        aging, call = logged.cap.entries[before:]
        assert (NO_ERROR, 1) == tuple(result)
        assert ("rtm.v1_aging", "rtm.v1_call") == (aging["event"], call["event"])
        assert {"event", "log_level", "time_ms", "routes", "v2"} == set(aging)
        assert 1_000 == aging["time_ms"]
        route = jsonable("Route", stored(ip_route(), PROTO_IP_RIP, 0))
        assert [{"client": repr(rip), "Route": route}] == aging["routes"]
        assert "RtmDeleteRouteToDest" in [item["call"] for item in aging["v2"]]
        assert [] == call["v2"]
        json.dumps(aging)

    def test_v2_changes_outside_v1_calls_log_nothing(self, logged, rtm):
        """Changes native v2 entities make are not v1 calls: they emit no event (MIGRATION.md "The
        mapping log": every v1 call, and only a v1 call, emits one event)."""
        register(logged.shim, PROTO_IP_RIP)
        before = len(logged.cap.entries)
        from tests.rtmcompat.support import v2_add, v2_register

        bgp = v2_register(rtm, PROTO_IP_BGP)
        v2_add(rtm, bgp, "10.1.0.0/16", "192.0.2.1", 1)
        assert before == len(logged.cap.entries)

    def test_without_a_logger_nothing_is_logged(self, rtm, capsys, monkeypatch):
        """mapping_logger=None: nothing is logged and structlog is never asked for a logger (MIGRATION.md "The mapping
        log")."""

        def forbidden(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the library must not get a structlog logger of its own")

        monkeypatch.setattr(structlog, "get_logger", forbidden)
        monkeypatch.setattr(structlog, "getLogger", forbidden)
        shim = V1Shim(rtm, mapping_logger=None)
        for _, _, call, _ in CASES:
            call(shim, dict.fromkeys(("rip", "ospf", "quiet", "ipx", "enum", "closed", "gone")))
        client, _ = register(shim, PROTO_IP_RIP + 500)
        add(shim, client, ip_route())
        shim.RtmDeregisterClient(client)
        captured = capsys.readouterr()
        assert ("", "") == (captured.out, captured.err)

    def test_logger_is_never_configured_globally(self, rtm):
        """The library never calls structlog.configure (MIGRATION.md "The mapping log")."""
        before = structlog.get_config()
        logged = Logged(rtm)
        register(logged.shim, PROTO_IP_RIP)
        assert before == structlog.get_config()

    def test_result_handles_are_the_logged_names(self, rtm):
        """The names in the log are the handles' reprs, so a log line can be matched to the objects (M-BINDING-7)."""
        logged = Logged(rtm)
        result, entry = logged.one(lambda s: s.RtmRegisterClient(IP, PROTO_IP_RIP, None, 0))
        assert isinstance(result.ClientHandle, V1Client)
        assert repr(result.ClientHandle) == entry["client"]
        add(logged.shim, result.ClientHandle, ip_route())
        result, entry = logged.one(lambda s: s.RtmCreateEnumerationHandle(IP, 0))
        enum = result.EnumerationHandle
        assert isinstance(enum, V1Enum)
        name = repr(enum)
        _, entry = logged.one(lambda s: s.RtmCloseEnumerationHandle(enum))
        assert {"EnumerationHandle": name} == entry["args"]


#: The result fields after ``status`` of each v1 function (M-BINDING-3).
OUT_FIELDS = {
    "RtmRegisterClient": ["ClientHandle"],
    "RtmDeregisterClient": [],
    "RtmDequeueRouteChangeMessage": ["Flags", "CurBestRoute", "PrevBestRoute"],
    "RtmAddRoute": ["Flags", "CurBestRoute", "PrevBestRoute"],
    "RtmDeleteRoute": ["Flags", "CurBestRoute"],
    "RtmIsRoute": ["IsRoute", "BestRoute"],
    "RtmGetNetworkCount": ["NetworkCount"],
    "RtmGetRouteAge": ["RouteAge"],
    "RtmCreateEnumerationHandle": ["EnumerationHandle"],
    "RtmEnumerateGetNextRoute": ["Route"],
    "RtmCloseEnumerationHandle": [],
    "RtmBlockDeleteRoutes": [],
    "RtmGetFirstRoute": ["Route"],
    "RtmGetNextRoute": ["Route"],
    "RtmGetSpecificRoute": ["Route"],
    "RtmLookupIPDestination": ["Found", "Route"],
}

#: Statuses that carry no reason: success, ERROR_MORE_MESSAGES, and the 259 ending a dequeue loop or an enumeration.
NO_REASON = {("RtmDequeueRouteChangeMessage", 259), ("RtmEnumerateGetNextRoute", 259)}


class TestExtendedEvent:
    """The keys that make a mapping log a trace (MIGRATION.md "The mapping log"): seq, time_ms, thread,
    status_name, out, and reason on failure."""

    @pytest.mark.parametrize(("case", "v1", "call", "status"), CASES, ids=[c[0] for c in CASES])
    def test_keys_on_every_call(self, logged, case, v1, call, status):
        """Every event has the call's number, clock time, thread, documented status name and out-parameters by
        their result field names; a reason exactly when the call failed."""
        w = world(logged)
        result, entry = logged.one(lambda s: call(s, w))
        assert entry["seq"] == len(logged.cap.entries)
        assert (0, "MainThread") == (entry["time_ms"], entry["thread"])
        assert rtmcompat._names.status_name(v1, status) == entry["status_name"]
        assert OUT_FIELDS[v1] == list(entry["out"])
        assert list(result._fields[1:]) == list(entry["out"])
        fails = status not in (NO_ERROR, ERROR_MORE_MESSAGES) and (v1, status) not in NO_REASON
        assert fails == ("reason" in entry)
        if fails:
            assert type(entry["reason"]) is str
            assert "\n" not in entry["reason"]
            assert entry["reason"]
        json.dumps(entry)

    def test_seq_counts_every_call(self, logged):
        """seq is 1, 2, 3, ... over every v1 call of the shim, failed ones included."""
        shim = logged.shim
        shim.RtmGetNetworkCount(IP)
        shim.RtmGetNetworkCount(-1)
        shim.RtmDeregisterClient(None)
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        assert [1, 2, 3, 4, 5] == [entry["seq"] for entry in logged.cap.entries]

    def test_time_and_thread(self, logged, clock):
        """time_ms is the RTM clock's time when the call started; thread the calling thread's name."""
        clock.advance(1_234)
        seen: list[Any] = []
        worker = threading.Thread(
            target=lambda: seen.append(logged.one(lambda s: s.RtmGetNetworkCount(IP))), name="rip"
        )
        worker.start()
        worker.join()
        [(_, entry)] = seen
        assert (1_234, "rip") == (entry["time_ms"], entry["thread"])

    def test_out_is_encoded_like_args(self, logged):
        """Out-parameters use the args encoding: handles by name, routes as dicts of C fields with dotted quads,
        absent routes as None."""
        result, entry = logged.one(lambda s: s.RtmRegisterClient(IP, PROTO_IP_RIP, threading.Event(), 0))
        assert {"ClientHandle": repr(result.ClientHandle)} == entry["out"]
        _, entry = logged.one(lambda s: s.RtmAddRoute(result.ClientHandle, ip_route(metric=3), 60))
        assert 1 == entry["out"]["Flags"]
        assert None is entry["out"]["PrevBestRoute"]
        cur = entry["out"]["CurBestRoute"]
        assert {"N_NetNumber": "10.1.0.0", "N_NetMask": "255.255.0.0"} == cur["RR_Network"]
        assert (PROTO_IP_RIP, 3) == (cur["RR_RoutingProtocol"], cur["RR_FamilySpecificData"]["FSD_Metric"])
        assert (NO_ERROR, "NO_ERROR") == (entry["status"], entry["status_name"])

    @pytest.mark.parametrize(
        ("call", "reason"),
        [
            (
                lambda s, c: s.RtmAddRoute(c, _route(N_NetMask=ip_address("255.0.255.0")), 60),
                "Route.RR_Network.N_NetMask: not a contiguous mask (RTMv2 cannot hold it)",
            ),
            (
                lambda s, c: s.RtmAddRoute(c, ip_route("10.1.2.3/16"), 60),
                "Route.RR_Network.N_NetNumber: host bits set outside N_NetMask (RTMv2 cannot hold it)",
            ),
            (lambda s, c: s.RtmAddRoute(None, ip_route(), 60), "ClientHandle: not a live client of this shim"),
            (
                lambda s, c: s.RtmAddRoute(c, _route(RR_InterfaceID=-1), 60),
                "Route.RR_InterfaceID: not a DWORD (got -1)",
            ),
            (
                lambda s, c: s.RtmAddRoute(c, ip_route(), 2_147_484),
                "TimeToLive: 2147484 s is above 2147483 and not INFINITE",
            ),
            (lambda s, c: s.RtmGetNetworkCount("x"), "ProtocolFamily: not RTM_PROTOCOL_FAMILY_IP or _IPX (got str)"),
            (
                lambda s, c: s.RtmDeleteRoute(c, ip_route("10.9.0.0/16")),
                "Route: the client has no route with this network, interface and next hop",
            ),
            (
                lambda s, c: s.RtmGetFirstRoute(IP, RTM_ONLY_THIS_NETWORK, None),
                "Route: required with RTM_ONLY_THIS_NETWORK, _INTERFACE or _PROTOCOL",
            ),
        ],
        ids=["mask", "host-bits", "handle", "field", "ttl", "family", "no-such-route", "criteria"],
    )
    def test_reason_names_what_was_wrong(self, logged, call, reason):
        """The reason names the argument, field or handle and what was expected, in one line."""
        client, _ = register(logged.shim, PROTO_IP_RIP)
        _, entry = logged.one(lambda s: call(s, client))
        assert reason == entry["reason"]

    def test_aging_outside_a_call(self, rtm, clock):
        """An expiry RTM reports between v1 calls (here during a native v2 call) is an rtm.v1_aging event of its
        own, with no rtm.v1_call around it."""
        from tests.rtmcompat.support import v2_register

        logged = Logged(rtm)
        rip, _ = register(logged.shim, PROTO_IP_RIP)
        add(logged.shim, rip, ip_route(), 5)
        before = len(logged.cap.entries)
        clock.advance(5_000)
        v2_register(rtm, PROTO_IP_BGP)  # any v2 call runs RTM's timers
        [aging] = logged.cap.entries[before:]
        assert ("rtm.v1_aging", 5_000, 1) == (aging["event"], aging["time_ms"], len(aging["routes"]))
        calls = ["RtmDeleteRouteToDest", "RtmGetChangedDests", "RtmReleaseChangedDests", "RtmDeleteNextHop"]
        assert [*calls, "RtmReleaseRoutes"] == [c["call"] for c in aging["v2"]]


def _route(**fields: Any) -> RTM_IP_ROUTE:
    route = ip_route()
    for name, value in fields.items():
        target = route.RR_Network if name.startswith("N_") else route
        setattr(target, name, value)
    return route


class TestLoggers:
    """What mapping_logger accepts (M-LOG-STDLIB)."""

    def test_stdlib_logger_gets_one_record_per_event(self, rtm):
        """A logging.Logger works: each event is one INFO record whose message is the event and its fields as
        JSON, with rtm_event and rtm_fields attributes (issue 7 item 2: it used to raise after the call took
        effect)."""
        import logging

        records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        logger = logging.getLogger("tests.rtmcompat.mapping")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        handler = Keep()
        logger.addHandler(handler)
        try:
            shim = V1Shim(rtm, mapping_logger=logger)
            rip, _ = register(shim, PROTO_IP_RIP)
            assert NO_ERROR == shim.RtmAddRoute(rip, ip_route(), 60).status
        finally:
            logger.removeHandler(handler)
        assert ["rtm.v1_call", "rtm.v1_call"] == [r.rtm_event for r in records]  # type: ignore[attr-defined]
        fields = records[1].rtm_fields  # type: ignore[attr-defined]
        assert ("RtmAddRoute", 0, 2) == (fields["v1"], fields["status"], fields["seq"])
        event, _, text = records[1].getMessage().partition(" ")
        assert ("rtm.v1_call", fields) == (event, json.loads(text))
        assert logging.INFO == records[1].levelno

    @pytest.mark.parametrize("value", [42, "logger", object()], ids=["int", "str", "object"])
    def test_anything_else_is_refused_at_construction(self, rtm, value):
        """An object that is neither a structlog logger, a stdlib logger nor None is a TypeError at
        construction, before any call."""
        with pytest.raises(TypeError, match="mapping_logger"):
            V1Shim(rtm, mapping_logger=value)

    def test_a_logger_that_raises_changes_nothing(self, rtm):
        """A logger whose info() raises: the call's result stands and the fault is in the diagnostics."""

        class Broken:
            def info(self, event: str, **fields: Any) -> None:
                raise RuntimeError("disk full")

        shim = V1Shim(rtm, mapping_logger=Broken())
        status, client = shim.RtmRegisterClient(IP, PROTO_IP_RIP, None, 0)
        assert NO_ERROR == status
        assert isinstance(client, V1Client)
        assert ("mapping logger raised RuntimeError: disk full for rtm.v1_call",) == shim.diagnostics


class TestMappingTable:
    """MIGRATION.md's mapping section is generated from rtmcompat/_mapping.py."""

    def test_migration_md_matches_mapping_markdown(self):
        """The text between the two marker comments of MIGRATION.md, markers included, equals
        rtmcompat.mapping_markdown(); this fails when either drifts."""
        generated = rtmcompat.mapping_markdown()
        lines = generated.splitlines()
        begin, end = lines[0], lines[-1]
        assert begin.startswith("<!--")
        assert end.startswith("<!--")
        text = MIGRATION.read_text(encoding="utf-8")
        assert 1 == text.count(begin)
        assert 1 == text.count(end)
        start = text.index(begin)
        stop = text.index(end) + len(end)
        assert generated == text[start:stop]

    def test_every_v1_function_is_mapped(self):
        """The table has one row per v1 function of the v1 results table (M-BINDING-3)."""
        expected = {
            "RtmRegisterClient",
            "RtmDeregisterClient",
            "RtmDequeueRouteChangeMessage",
            "RtmAddRoute",
            "RtmDeleteRoute",
            "RtmIsRoute",
            "RtmGetNetworkCount",
            "RtmGetRouteAge",
            "RtmCreateEnumerationHandle",
            "RtmEnumerateGetNextRoute",
            "RtmCloseEnumerationHandle",
            "RtmBlockDeleteRoutes",
            "RtmGetFirstRoute",
            "RtmGetNextRoute",
            "RtmGetSpecificRoute",
            "RtmLookupIPDestination",
        }
        assert expected == {m.v1 for m in MAPPINGS}
        assert len(expected) == len(MAPPINGS)

    def test_shim_docstrings_name_the_v2_calls(self):
        """Each v1 method's docstring starts with the v2 calls of its mapping row."""
        for mapping in MAPPINGS:
            doc = getattr(V1Shim, mapping.v1).__doc__ or ""
            calls = ", ".join(mapping.v2) if mapping.v2 else "no RTMv2 call"
            assert doc.startswith(f"{mapping.v1} -> {calls}.")

    @pytest.mark.parametrize(
        "v1",
        [
            "RtmAddRoute",
            "RtmDeleteRoute",
            "RtmIsRoute",
            "RtmGetNetworkCount",
            "RtmCreateEnumerationHandle",
            "RtmEnumerateGetNextRoute",
            "RtmGetFirstRoute",
            "RtmGetNextRoute",
            "RtmLookupIPDestination",
            "RtmBlockDeleteRoutes",
            "RtmDeregisterClient",
            "RtmGetSpecificRoute",
        ],
    )
    def test_logged_v2_calls_are_in_the_table(self, rtm, v1):
        """In a plain workload (readers already registered, no aging, no native v2 routes) every RTMv2 call the
        log names for a v1 function appears in that function's mapping row."""
        logged = Logged(rtm)
        shim = logged.shim
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        shim.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX)
        shim.RtmIsRoute(IP, ip_network("10.1.0.0/16"))
        add(shim, rip, ip_route("10.1.0.0/16"))
        add(shim, ospf, ip_route("10.1.0.0/16", metric=5))
        add(shim, rip, ip_route("10.2.0.0/16"))
        enum = shim.RtmCreateEnumerationHandle(IP, 0).EnumerationHandle
        calls: dict[str, Callable[[V1Shim], Any]] = {
            "RtmAddRoute": lambda s: s.RtmAddRoute(ospf, ip_route("10.2.0.0/16", metric=0), 60),
            "RtmDeleteRoute": lambda s: s.RtmDeleteRoute(rip, ip_route("10.1.0.0/16")),
            "RtmIsRoute": lambda s: s.RtmIsRoute(IP, ip_network("10.1.0.0/16")),
            "RtmGetNetworkCount": lambda s: s.RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IPX),
            "RtmCreateEnumerationHandle": lambda s: s.RtmCreateEnumerationHandle(IP, 0),
            "RtmEnumerateGetNextRoute": lambda s: s.RtmEnumerateGetNextRoute(enum),
            "RtmGetFirstRoute": lambda s: s.RtmGetFirstRoute(IP, 0),
            "RtmGetNextRoute": lambda s: s.RtmGetNextRoute(IP, 0, ip_route("10.1.0.0/16")),
            "RtmGetSpecificRoute": lambda s: s.RtmGetSpecificRoute(IP, ip_route(protocol=PROTO_IP_RIP)),
            "RtmLookupIPDestination": lambda s: s.RtmLookupIPDestination(ip_address("10.2.0.1")),
            "RtmBlockDeleteRoutes": lambda s: s.RtmBlockDeleteRoutes(rip, 0),
            "RtmDeregisterClient": lambda s: s.RtmDeregisterClient(rip),
        }
        _, entry = logged.one(calls[v1])
        row = {m.v1: set(m.v2) for m in MAPPINGS}[v1]
        assert set() == {item["call"] for item in entry["v2"]} - row
