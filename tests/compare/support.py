"""Helpers for the comparison tests: record small workloads, write trace lines and mapping logs by hand."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from typing import Any

import structlog

import rtmcompat
import v2model
from rtmcompat import IP_NETWORK, IP_SPECIFIC_DATA, RTM_IP_ROUTE, ip_address, ip_network
from rtmcompat.trace import Recorder

Workload = Callable[[Any, Callable[[int], None]], None]

HEADER = {
    "type": "header",
    "format": "rtmcompat-trace",
    "version": 1,
    "api": "rtmv1",
    "recorder": {"tool": "tests"},
    "protocol_priority": {},
    "clock": {"kind": "manual", "start_ms": 0},
}


def line(data: dict[str, Any]) -> str:
    """One JSON line."""
    return json.dumps(data)


def header(**changes: Any) -> str:
    """A header line, with keys changed or added."""
    return line({**HEADER, **changes})


def call(function: str, args: dict[str, Any], status: int = 0, out: dict[str, Any] | None = None, **more: Any) -> str:
    """A call line."""
    data: dict[str, Any] = {"type": "call", "function": function, "args": args, "status": status}
    if out is not None:
        data["out"] = out
    data.update(more)
    return line(data)


REGISTER_RIP = call(
    "RtmRegisterClient",
    {"ProtocolFamily": 1, "RoutingProtocol": 8, "ChangeEvent": "<event>", "Flags": 0},
    out={"ClientHandle": "client:RIP#1"},
)


def route(network: str | IP_NETWORK, hop: str = "192.0.2.1", metric: int = 1, interface: int = 1) -> RTM_IP_ROUTE:
    """An IP route."""
    return RTM_IP_ROUTE(
        RR_InterfaceID=interface,
        RR_Network=ip_network(network) if isinstance(network, str) else network,
        RR_NextHopAddress=ip_network(hop),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
    )


def host_bits() -> IP_NETWORK:
    """``10.1.1.1/255.255.0.0``: a v1 network RTMv2 cannot hold."""
    return IP_NETWORK(ip_address("10.1.1.1"), ip_address("255.255.0.0"))


def record(workload: Workload, *, backend: str = "reference", priority: dict[int, int] | None = None) -> list[str]:
    """Run a workload through a Recorder on a fresh backend with a ManualClock: the trace's lines."""
    clock = v2model.ManualClock()
    sink = io.StringIO()
    rtm = None
    if backend == "shim":
        rtm = v2model.RoutingTableManager(clock=clock)
        api: Any = rtmcompat.V1Shim(rtm, protocol_priority=priority)
    else:
        api = rtmcompat.V1Reference(clock=clock, protocol_priority=priority)
    with Recorder(api, sink, protocol_priority=priority) as recorder:
        workload(recorder, recorder.advance)
    if rtm is not None:
        rtm.close()
    return sink.getvalue().splitlines()


#: The keys the rtm.v1_call event gained with the mapping log as a trace (and the registrations' priority).
NEW_LOG_KEYS = ("seq", "time_ms", "thread", "status_name", "out", "reason", "priority")


def older_log(lines: list[str]) -> list[str]:
    """A mapping log as V1Shim wrote it before it was a trace: the same events without the newer keys and without
    aging events (their v2 calls went with the next call)."""
    kept = []
    for text in lines:
        obj = json.loads(text)
        if obj.get("event") == "rtm.v1_aging":
            continue
        kept.append(json.dumps({k: v for k, v in obj.items() if k not in NEW_LOG_KEYS}))
    return kept


def mapping_log(workload: Workload, priority: dict[int, int] | None = None) -> list[str]:
    """Run a workload on a V1Shim whose mapping logger renders JSON lines, as an application would log it."""
    clock = v2model.ManualClock()
    sink = io.StringIO()
    logger = structlog.wrap_logger(
        structlog.PrintLogger(file=sink),
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
    )
    rtm = v2model.RoutingTableManager(clock=clock)
    shim = rtmcompat.V1Shim(rtm, mapping_logger=logger, protocol_priority=priority)

    def advance(ms: int) -> None:
        clock.advance(ms)

    workload(shim, advance)
    rtm.close()
    return sink.getvalue().splitlines()


def tie(api: Any, advance: Callable[[int], None]) -> None:
    """Three equal-cost successors behind a best route that goes: v1 and RTMv2 pick differently (RTMC-TIE)."""
    _, rip = api.RtmRegisterClient(1, rtmcompat.PROTO_IP_RIP, threading.Event(), 0)
    _, ospf = api.RtmRegisterClient(1, rtmcompat.PROTO_IP_OSPF, threading.Event(), 0)
    api.RtmAddRoute(rip, route("10.1.0.0/16", "192.0.2.1", 1), 60)
    api.RtmAddRoute(rip, route("10.1.0.0/16", "192.0.2.9", 5), 60)
    api.RtmAddRoute(rip, route("10.1.0.0/16", "192.0.2.3", 5), 60)
    api.RtmGetNetworkCount(1)
    api.RtmDeleteRoute(rip, route("10.1.0.0/16", "192.0.2.1", 1))
    while api.RtmDequeueRouteChangeMessage(ospf).status in (0, 234):
        pass
    api.RtmDeregisterClient(rip)
    api.RtmDeregisterClient(ospf)


def hostbits(api: Any, advance: Callable[[int], None]) -> None:
    """A route to 10.1.1.1/255.255.0.0 among ordinary ones (RTMC-HOSTBITS and what follows from it)."""
    _, rip = api.RtmRegisterClient(1, rtmcompat.PROTO_IP_RIP, threading.Event(), 0)
    _, static = api.RtmRegisterClient(1, rtmcompat.PROTO_IP_NT_STATIC, threading.Event(), 0)
    api.RtmAddRoute(rip, route("10.2.0.0/16"), 60)
    api.RtmAddRoute(rip, route(host_bits()), 60)
    api.RtmAddRoute(rip, route("10.3.0.0/16"), 60)
    api.RtmIsRoute(1, host_bits())
    api.RtmGetNetworkCount(1)
    api.RtmLookupIPDestination(ip_address("10.1.1.7"))
    api.RtmDequeueRouteChangeMessage(static)
    api.RtmDequeueRouteChangeMessage(static)
    advance(61_000)
    api.RtmGetNetworkCount(1)


def plain(api: Any, advance: Callable[[int], None]) -> None:
    """A workload both backends agree on: registrations, adds, a walk, aging, messages, deregistration."""
    _, rip = api.RtmRegisterClient(1, rtmcompat.PROTO_IP_RIP, threading.Event(), 0)
    _, static = api.RtmRegisterClient(1, rtmcompat.PROTO_IP_NT_STATIC, threading.Event(), 0)
    _, ipx = api.RtmRegisterClient(0, rtmcompat.IPX_PROTOCOL_RIP, None, rtmcompat.RTM_PROTOCOL_SINGLE_ROUTE)
    for i in range(4):
        api.RtmAddRoute(rip, route(f"10.{i}.0.0/16", metric=i + 1), 30)
    api.RtmAddRoute(
        ipx,
        rtmcompat.RTM_IPX_ROUTE(
            RR_InterfaceID=2,
            RR_Network=rtmcompat.IPX_NETWORK(0xABCD),
            RR_NextHopAddress=rtmcompat.IPX_NEXT_HOP_ADDRESS(bytes.fromhex("00000c000001")),
            RR_FamilySpecificData=rtmcompat.IPX_SPECIFIC_DATA(FSD_TickCount=3, FSD_HopCount=2),
        ),
        rtmcompat.INFINITE,
    )
    _, walk = api.RtmCreateEnumerationHandle(1, 0, None)
    api.RtmEnumerateGetNextRoute(walk)
    api.RtmCloseEnumerationHandle(walk)
    api.RtmEnumerateGetNextRoute(walk)
    _status, first = api.RtmGetFirstRoute(1, 0, None)
    api.RtmGetRouteAge(first)
    advance(31_000)
    api.RtmGetNetworkCount(1)
    while api.RtmDequeueRouteChangeMessage(static).status in (0, 234):
        pass
    api.RtmDeregisterClient(rip)
    api.RtmDeregisterClient(rip)
    api.RtmDeregisterClient(static)
    api.RtmDeregisterClient(ipx)
