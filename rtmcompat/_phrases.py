"""How v1 values read to a person: routes, networks, results, in reports and on the terminal.

``10.1.0.0/16 RIP if 3 via 192.0.2.1 metric 2``: the network as a prefix (or ``net/mask`` when the mask is not one),
the protocol by name, the interface, the next hop and the cost fields the best-route choice uses. Statuses and
flags use the names of ``_names`` (the alias each function documents).
"""

from __future__ import annotations

from typing import Any

from ._handles import protocol_name
from ._names import change_flag_names, enumeration_flag_names, registration_flag_names, status_name
from ._trace_codec import EVENT, PARAMS, RESULTS, family_names, protocol_names
from ._trace_records import Call
from ._v1types import IP_NETWORK, IPX_NETWORK, RTM_IP_ROUTE, RTM_IPX_ROUTE, ip_address, ip_network


def network_phrase(network: Any) -> str:
    """``10.1.0.0/16``, ``10.0.1.0/255.0.255.0`` or ``ipx 0000abcd``."""
    if type(network) is IP_NETWORK:
        return ip_network(network)
    if type(network) is IPX_NETWORK:
        return f"ipx {network.N_NetNumber:08x}"
    return repr(network)


def route_phrase(route: Any) -> str:
    """A route in one line."""
    if type(route) is RTM_IP_ROUTE:
        fsd = route.RR_FamilySpecificData
        cost = f"metric {fsd.FSD_Metric}"
        if fsd.FSD_Priority:
            cost = f"priority {fsd.FSD_Priority} {cost}"
        hop = route.RR_NextHopAddress
        via = ip_network(hop) if hop.N_NetMask != 0xFFFFFFFF else ip_network(hop).removesuffix("/32")
        name = f" {protocol_name(1, route.RR_RoutingProtocol)}" if route.RR_RoutingProtocol else ""
        return f"{network_phrase(route.RR_Network)}{name} if {route.RR_InterfaceID} via {via} {cost}"
    if type(route) is RTM_IPX_ROUTE:
        ipx = route.RR_FamilySpecificData
        name = f" {protocol_name(0, route.RR_RoutingProtocol)}" if route.RR_RoutingProtocol else ""
        mac = bytes(route.RR_NextHopAddress.NHA_Mac).hex()
        return (
            f"{network_phrase(route.RR_Network)}{name} if {route.RR_InterfaceID} via {mac} "
            f"ticks {ipx.FSD_TickCount} hops {ipx.FSD_HopCount}"
        )
    return "none" if route is None else repr(route)


def value_phrase(kind: str, value: Any) -> str:
    """A result field's value."""
    if value is None:
        return "-"
    if kind == "route":
        return route_phrase(value)
    if kind == "changeflags":
        return "|".join(change_flag_names(value))
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    return str(value)


def result_phrase(function: str, status: int | None, out: tuple[Any, ...] | None, raised: str | None = None) -> str:
    """``ERROR_NO_ROUTES`` or ``NO_ERROR Flags=RTM_ROUTE_ADDED CurBestRoute=10.1.0.0/16 RIP ...``."""
    if raised is not None or status is None:
        return f"raised {raised}"
    text = status_name(function, status)
    if out is None:
        return text
    parts = [text]
    for (name, kind), value in zip(RESULTS[function], out, strict=True):
        if value is None or (kind == "route" and value is None):
            continue
        parts.append(f"{name}={value_phrase(kind, value)}")
    return " ".join(parts)


def arg_phrase(kind: str, value: Any) -> str:
    """An in-parameter's value."""
    if value is None:
        return "NULL"
    if kind == "route":
        return route_phrase(value)
    if kind == "network":
        return network_phrase(value)
    if kind == "event":
        return "event" if value is EVENT else "invalid event"
    if kind == "ipaddr":
        return str(ip_address(value))
    if kind == "family":
        return "|".join(family_names(value)) or str(value)
    if kind == "enumflags":
        return "|".join(enumeration_flag_names(value)) or "0"
    if kind == "regflags":
        return "|".join(registration_flag_names(value)) or "0"
    if kind in ("client", "enum") and type(value) is int:
        return f"{value:#x}"
    return str(value)


def call_phrase(call: Call) -> str:
    """``RtmAddRoute(client:RIP#1, 10.1.0.0/16 RIP if 3 via 192.0.2.1 metric 2, 60)``."""
    params = PARAMS[call.function]
    family = call.args[0] if params and params[0][0] == "ProtocolFamily" else None
    parts = []
    for (_name, kind), value in zip(params, call.args, strict=True):
        if kind == "protocol" and type(value) is int:
            names = protocol_names(value, family)
            parts.append(names[0] if names else str(value))
        else:
            parts.append(arg_phrase(kind, value))
    return f"{call.function}({', '.join(parts)})"
