"""The story `make demo` tells: two legacy RTMv1 protocols on the RTMv2 model, a native v2 entity joining, and
one v1 client leaving, with every v1 call's translation logged and the best routes shown before and after."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TextIO

import v2model
from v2model import (
    AF_INET,
    INFINITE,
    PROTO_IP_NT_STATIC,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from ._constants import (
    ERROR_MORE_MESSAGES,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_ONLY_BEST_ROUTES,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
)
from ._handles import protocol_name
from ._shim import V1Shim
from ._v1types import IP_SPECIFIC_DATA, RTM_IP_ROUTE, ip_address, ip_network

#: (network, RIP next hop, RIP metric, OSPF next hop, OSPF metric); None: that protocol has no route there.
ROUTES = (
    ("0.0.0.0/0", "192.0.2.1", 5, None, 0),
    ("10.1.0.0/16", "192.0.2.1", 2, "198.51.100.7", 20),
    ("10.2.0.0/16", "192.0.2.9", 3, None, 0),
    ("172.16.0.0/12", None, 0, "198.51.100.7", 30),
    ("192.168.10.0/24", "192.0.2.9", 1, "198.51.100.8", 10),
)
PRIORITY = {PROTO_IP_OSPF: 110, PROTO_IP_RIP: 120, PROTO_IP_NT_STATIC: 1}
_KINDS = {RTM_ROUTE_ADDED: "ADDED", RTM_ROUTE_DELETED: "DELETED", RTM_ROUTE_CHANGED: "CHANGED"}


def best_route_table(shim: V1Shim) -> str:
    """The best route of every network, read through the v1 API (RtmGetFirstRoute/RtmGetNextRoute)."""
    rows = [("network", "protocol", "interface", "next hop", "priority", "metric")]
    status, route = shim.RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, None)
    while status == NO_ERROR and isinstance(route, RTM_IP_ROUTE):
        fsd = route.RR_FamilySpecificData
        rows.append(
            (
                ip_network(route.RR_Network),
                protocol_name(RTM_PROTOCOL_FAMILY_IP, route.RR_RoutingProtocol),
                str(route.RR_InterfaceID),
                ip_address(route.RR_NextHopAddress.N_NetNumber),
                str(fsd.FSD_Priority),
                str(fsd.FSD_Metric),
            )
        )
        status, route = shim.RtmGetNextRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, route)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _v1_route(network: str, nexthop: str, interface: int, metric: int) -> RTM_IP_ROUTE:
    return RTM_IP_ROUTE(
        RR_Network=ip_network(network),
        RR_InterfaceID=interface,
        RR_NextHopAddress=ip_network(nexthop),
        RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric, FSD_Metric1=metric),
    )


def _add_static_route(rtm: v2model.RoutingTableManager) -> tuple[v2model.Entity, v2model.Route]:
    """A native RTMv2 entity (static routes) joins and adds a route, the way Microsoft's add sample does."""
    info = RTM_ENTITY_INFO(0, AF_INET, RTM_ENTITY_ID(PROTO_IP_NT_STATIC, 0))
    status, _, static = rtm.RtmRegisterEntity(info, None, None, False)
    assert status == NO_ERROR
    assert static is not None
    nh_info = RTM_NEXTHOP_INFO(NextHopAddress=net_address("203.0.113.1"), InterfaceIndex=9)
    status, nexthop, _ = rtm.RtmAddNextHop(static, nh_info, None)
    assert nexthop is not None
    route_info = RTM_ROUTE_INFO(
        Neighbour=nexthop,
        PrefInfo=RTM_PREF_INFO(Metric=1, Preference=PRIORITY[PROTO_IP_NT_STATIC]),
        BelongsToViews=RTM_VIEW_MASK_UCAST,
        NextHopsList=RTM_NEXTHOP_LIST(NextHops=[nexthop]),
    )
    status, route, _ = rtm.RtmAddRouteToDest(static, None, net_address("10.2.0.0/16"), route_info, INFINITE)
    assert route is not None
    rtm.RtmReleaseNextHops(static, 1, [nexthop])
    return static, route


def _remove_static_route(rtm: v2model.RoutingTableManager, static: v2model.Entity, route: v2model.Route) -> None:
    """The documented cleanup order before deregistering: routes, then next hops, then the entity."""
    _, info, _ = rtm.RtmGetRouteInfo(static, route)
    assert info is not None
    nexthop = info.NextHopsList.NextHops[0]
    rtm.RtmReleaseRouteInfo(static, info)
    rtm.RtmDeleteRouteToDest(static, route)
    rtm.RtmDeleteNextHop(static, nexthop, None)
    rtm.RtmDeregisterEntity(static)


def _drain(shim: V1Shim, client: Any, name: str, out: Callable[[str], None]) -> None:
    while True:
        status, flags, cur, prev = shim.RtmDequeueRouteChangeMessage(client)
        if status not in (NO_ERROR, ERROR_MORE_MESSAGES) or flags is None:
            return
        shown = cur if cur is not None else prev
        assert isinstance(shown, RTM_IP_ROUTE)
        what = protocol_name(RTM_PROTOCOL_FAMILY_IP, shown.RR_RoutingProtocol)
        via = "was via" if cur is None else "now via"
        out(f"  {name} hears: {_KINDS.get(flags, flags)} {ip_network(shown.RR_Network)} ({via} {what})")
        if status == NO_ERROR:
            return


def run_demo(logger: Any, stream: TextIO) -> None:
    """Run the demo, printing to ``stream``; ``logger`` receives the mapping log."""

    def out(text: str = "") -> None:
        print(text, file=stream, flush=True)

    clock = v2model.ManualClock()
    rtm = v2model.RoutingTableManager(clock=clock)
    shim = V1Shim(rtm, mapping_logger=logger, protocol_priority=PRIORITY)
    reader = V1Shim(rtm, protocol_priority=PRIORITY)  # a second, quiet v1 view for printing the tables

    out("== RIP and OSPF register as RTMv1 clients and add overlapping routes ==")
    rip_event, ospf_event = threading.Event(), threading.Event()
    _, rip = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, rip_event, 0)
    _, ospf = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, ospf_event, 0)
    for network, rip_nh, rip_metric, ospf_nh, ospf_metric in ROUTES:
        if rip_nh is not None:
            shim.RtmAddRoute(rip, _v1_route(network, rip_nh, 1, rip_metric), 180)
        if ospf_nh is not None:
            shim.RtmAddRoute(ospf, _v1_route(network, ospf_nh, 2, ospf_metric), INFINITE)
    _drain(shim, rip, "RIP", out)
    out()
    out("== A native RTMv2 entity (static routes, preference 1) joins ==")
    static, static_route = _add_static_route(rtm)
    _drain(shim, rip, "RIP", out)
    _drain(shim, ospf, "OSPF", out)
    out()
    out("Best routes before RIP leaves:")
    out(best_route_table(reader))
    out()
    out("== RIP deregisters: the shim deletes its routes and next hops, then the entity ==")
    shim.RtmDeregisterClient(rip)
    _drain(shim, ospf, "OSPF", out)
    out()
    out("Best routes after RIP left:")
    out(best_route_table(reader))
    out()
    shim.RtmDeregisterClient(ospf)
    _remove_static_route(rtm, static, static_route)
    shim.close()
    reader.close()
    leaks = rtm.leak_report()
    out(f"Leak report after everyone left: {'empty' if leaks.empty else leaks}")
    rtm.close()
