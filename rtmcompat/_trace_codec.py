"""The value encoding of trace-v1: each v1 parameter and result field as JSON, and back, with C-type checks.

Theory of operation
-------------------
Every v1 function has a fixed list of in-parameters and result fields (the C names and order of rtm.h); each has a
*kind* that says how its value is written and read: a DWORD, an enum or flag set written as ``{"value", "names"}``,
a handle written as its symbolic name, a route or network structure written as an object of its C fields. Writing
(:func:`encode_value`) never fails on values the API returns and raises :class:`UnrepresentableError` for arguments
no C caller could pass (a negative TimeToLive, a string where a structure goes). Reading (:func:`decode_value`)
accepts what the trace writer produces and what the mapping log writes (plain ints for flags, every structure
field), checks each value against its C type and raises :class:`BadValueError` naming the field and what was
expected.

Decoded values are what the API takes: ints, attrs structures, ``None`` for NULL, :data:`EVENT` /
:data:`BAD_EVENT` for a ChangeEvent, and handles as their *names* (strings), which a replay binds to the handles the
backend returned (M-TRACE-HANDLES in docs/behaviour.md). Addresses are dotted quads (M-TRACE-ADDRESS), FILETIMEs
decimal strings, NHA_Mac hex; structure fields that are zero are left out when writing and read as zero
(ZeroMemory), which keeps full-table traces small.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, Final

import attrs

from . import _constants as constants
from ._handles import protocol_name
from ._names import change_flag_names, enumeration_flag_names, registration_flag_names, status_name
from ._v1types import (
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
)

DWORD_MAX: Final = 0xFFFFFFFF
USHORT_MAX: Final = 0xFFFF
#: A FILETIME is an unsigned 64-bit count of 100 ns ticks.
FILETIME_MAX: Final = 0xFFFFFFFFFFFFFFFF
#: Handles are pointers: a forged handle value in a trace is an unsigned 64-bit integer.
HANDLE_MAX: Final = 0xFFFFFFFFFFFFFFFF


class _Marker:
    """A named singleton value (printed by its name)."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


#: A ChangeEvent argument that was a usable event object (written ``"<event>"``); a replay passes a fresh event.
EVENT: Final = _Marker("EVENT")
#: A ChangeEvent argument without ``set()``/``clear()`` (written ``"<invalid event>"``); a replay passes an object
#: that has neither, so the call fails as it did when recorded.
BAD_EVENT: Final = _Marker("BAD_EVENT")
EVENT_TEXT: Final = "<event>"
BAD_EVENT_TEXT: Final = "<invalid event>"

# --- parameter and result kinds ------------------------------------------------------------------------

#: The in-parameters of each v1 function in C order, with the kind of each.
PARAMS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "RtmRegisterClient": (
        ("ProtocolFamily", "family"),
        ("RoutingProtocol", "protocol"),
        ("ChangeEvent", "event"),
        ("Flags", "regflags"),
    ),
    "RtmDeregisterClient": (("ClientHandle", "client"),),
    "RtmDequeueRouteChangeMessage": (("ClientHandle", "client"),),
    "RtmAddRoute": (("ClientHandle", "client"), ("Route", "route"), ("TimeToLive", "dword")),
    "RtmDeleteRoute": (("ClientHandle", "client"), ("Route", "route")),
    "RtmIsRoute": (("ProtocolFamily", "family"), ("Network", "network")),
    "RtmGetNetworkCount": (("ProtocolFamily", "family"),),
    "RtmGetRouteAge": (("Route", "route"),),
    "RtmCreateEnumerationHandle": (
        ("ProtocolFamily", "family"),
        ("EnumerationFlags", "enumflags"),
        ("CriteriaRoute", "route"),
    ),
    "RtmEnumerateGetNextRoute": (("EnumerationHandle", "enum"),),
    "RtmCloseEnumerationHandle": (("EnumerationHandle", "enum"),),
    "RtmBlockDeleteRoutes": (("ClientHandle", "client"), ("EnumerationFlags", "enumflags"), ("CriteriaRoute", "route")),
    "RtmGetFirstRoute": (("ProtocolFamily", "family"), ("EnumerationFlags", "enumflags"), ("Route", "route")),
    "RtmGetNextRoute": (("ProtocolFamily", "family"), ("EnumerationFlags", "enumflags"), ("Route", "route")),
    "RtmGetSpecificRoute": (("ProtocolFamily", "family"), ("Route", "route")),
    "RtmLookupIPDestination": (("DestAddress", "ipaddr"),),
}

#: Parameters a caller may leave out (rtm.h marks them OPTIONAL), by function, with their defaults.
OPTIONAL: Final[dict[str, dict[str, Any]]] = {
    "RtmRegisterClient": {"ChangeEvent": None, "Flags": 0},
    "RtmCreateEnumerationHandle": {"CriteriaRoute": None},
    "RtmBlockDeleteRoutes": {"CriteriaRoute": None},
    "RtmGetFirstRoute": {"Route": None},
}

#: The result fields after ``status`` of each v1 function, with the kind of each.
RESULTS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "RtmRegisterClient": (("ClientHandle", "client"),),
    "RtmDeregisterClient": (),
    "RtmDequeueRouteChangeMessage": (("Flags", "changeflags"), ("CurBestRoute", "route"), ("PrevBestRoute", "route")),
    "RtmAddRoute": (("Flags", "changeflags"), ("CurBestRoute", "route"), ("PrevBestRoute", "route")),
    "RtmDeleteRoute": (("Flags", "changeflags"), ("CurBestRoute", "route")),
    "RtmIsRoute": (("IsRoute", "bool"), ("BestRoute", "route")),
    "RtmGetNetworkCount": (("NetworkCount", "dword"),),
    "RtmGetRouteAge": (("RouteAge", "dword"),),
    "RtmCreateEnumerationHandle": (("EnumerationHandle", "enum"),),
    "RtmEnumerateGetNextRoute": (("Route", "route"),),
    "RtmCloseEnumerationHandle": (),
    "RtmBlockDeleteRoutes": (),
    "RtmGetFirstRoute": (("Route", "route"),),
    "RtmGetNextRoute": (("Route", "route"),),
    "RtmGetSpecificRoute": (("Route", "route"),),
    "RtmLookupIPDestination": (("Found", "bool"), ("Route", "route")),
}

FUNCTIONS: Final = tuple(PARAMS)
HANDLE_KINDS: Final = frozenset({"client", "enum"})
ROUTE_FIELDS: Final = frozenset({"CurBestRoute", "PrevBestRoute", "BestRoute", "Route"})


class BadValueError(ValueError):
    """A value in a trace that its C type cannot hold: ``path`` names the field, the message what was expected."""

    def __init__(self, path: str, expected: str, got: Any) -> None:
        super().__init__(f"{path}: expected {expected}, got {shorten(got)}")
        self.path = path


class UnrepresentableError(ValueError):
    """An argument no C caller can pass (the recorder writes a note instead of the call)."""


def shorten(value: Any, limit: int = 60) -> str:
    """A short, safe description of a JSON value for an error message."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- names -------------------------------------------------------------------------------------------

_FAMILY_NAMES = {
    constants.RTM_PROTOCOL_FAMILY_IP: "RTM_PROTOCOL_FAMILY_IP",
    constants.RTM_PROTOCOL_FAMILY_IPX: "RTM_PROTOCOL_FAMILY_IPX",
}
_IP_PROTOCOLS = {getattr(constants, n): n for n in dir(constants) if n.startswith("PROTO_IP_")}
_IPX_PROTOCOLS = {
    getattr(constants, n): n for n in dir(constants) if n.startswith("IPX_PROTOCOL_") and n != "IPX_PROTOCOL_BASE"
}


def family_names(value: int) -> list[str]:
    """``[RTM_PROTOCOL_FAMILY_IP]``; empty for a value rtm.h does not name."""
    name = _FAMILY_NAMES.get(value)
    return [name] if name else []


def protocol_names(value: int, family: Any) -> list[str]:
    """The routing protocol's constant in the family's header (routprot.h for IP, ipxrtdef.h for IPX)."""
    table = _IPX_PROTOCOLS if family == constants.RTM_PROTOCOL_FAMILY_IPX else _IP_PROTOCOLS
    name = table.get(value)
    return [name] if name else []


# --- handle names ------------------------------------------------------------------------------------

#: ``client:RIP#1`` / ``enum#3`` (traces), ``<client RIP#1>`` / ``<enum#3>`` (the mapping log), and
#: ``foreign:...`` for a handle the recorder never saw created (never bound; a replay passes an unknown object).
_CLIENT_NAME = re.compile(r"client:[^\s#<>]{1,40}#[0-9A-Za-z.-]{1,40}|<client [^\s#<>]{1,40}#[0-9]{1,20}>")
_ENUM_NAME = re.compile(r"enum#[0-9A-Za-z.-]{1,40}|<enum#[0-9]{1,20}>")
FOREIGN_PREFIX: Final = "foreign:"


def handle_kind_of(name: str) -> str | None:
    """``client`` or ``enum`` for a handle name, ``foreign`` for a foreign one, None for anything else."""
    if _CLIENT_NAME.fullmatch(name):
        return "client"
    if _ENUM_NAME.fullmatch(name):
        return "enum"
    if name.startswith(FOREIGN_PREFIX) and 0 < len(name) <= 200:
        return "foreign"
    return None


def client_name(family: int, protocol: int, serial: int | str) -> str:
    """The trace's name of a client handle: ``client:RIP#1``."""
    return f"client:{protocol_name(family, protocol)}#{serial}"


def enum_name(serial: int | str) -> str:
    """The trace's name of an enumeration handle: ``enum#3``."""
    return f"enum#{serial}"


# --- encoding (value -> JSON) ----------------------------------------------------------------------------


def _dotted(value: int) -> str:
    # ip_address(value) spelled out: this runs for every address of every traced route.
    return f"{value & 255}.{value >> 8 & 255}.{value >> 16 & 255}.{value >> 24}"


def _strict_dword(value: Any, what: str) -> int:
    if type(value) is not int or not 0 <= value <= DWORD_MAX:
        raise UnrepresentableError(f"{what}={shorten(value)} is not a DWORD")
    return value


def _encode_network(value: Any, what: str) -> dict[str, Any]:
    if type(value) is IP_NETWORK:
        return {
            "N_NetNumber": _dotted(_strict_dword(value.N_NetNumber, what + ".N_NetNumber")),
            "N_NetMask": _dotted(_strict_dword(value.N_NetMask, what + ".N_NetMask")),
        }
    if type(value) is IPX_NETWORK:
        return {"N_NetNumber": _strict_dword(value.N_NetNumber, what + ".N_NetNumber")}
    raise UnrepresentableError(f"{what} is {shorten(value)}, not an IP_NETWORK or IPX_NETWORK")


_IP_FSD = tuple(a.name for a in attrs.fields(IP_SPECIFIC_DATA))
_IPX_FSD = tuple(a.name for a in attrs.fields(IPX_SPECIFIC_DATA))


def encode_route(route: Any, what: str = "Route") -> dict[str, Any]:
    """An RTM_IP_ROUTE or RTM_IPX_ROUTE as an object of its C fields, zero fields left out (but the network and
    next hop always written, so the family shows)."""
    ip = type(route) is RTM_IP_ROUTE
    if not ip and type(route) is not RTM_IPX_ROUTE:
        raise UnrepresentableError(f"{what} is {shorten(route)}, not an RTM_IP_ROUTE or RTM_IPX_ROUTE")
    out: dict[str, Any] = {}
    stamp = route.RR_TimeStamp
    if type(stamp) is not int or not 0 <= stamp <= FILETIME_MAX:
        raise UnrepresentableError(f"{what}.RR_TimeStamp={shorten(stamp)} is not a FILETIME")
    if stamp:
        out["RR_TimeStamp"] = str(stamp)
    for name in ("RR_RoutingProtocol", "RR_InterfaceID"):
        value = _strict_dword(getattr(route, name), f"{what}.{name}")
        if value:
            out[name] = value
    psd = route.RR_ProtocolSpecificData
    if type(psd) is not PROTOCOL_SPECIFIC_DATA:
        raise UnrepresentableError(f"{what}.RR_ProtocolSpecificData is not a PROTOCOL_SPECIFIC_DATA")
    data = psd.PSD_Data
    if not isinstance(data, list | tuple) or len(data) != 4:
        raise UnrepresentableError(f"{what}.RR_ProtocolSpecificData.PSD_Data does not hold 4 DWORDs")
    words = [_strict_dword(x, f"{what}.RR_ProtocolSpecificData.PSD_Data") for x in data]
    if any(words):
        out["RR_ProtocolSpecificData"] = {"PSD_Data": words}
    network = route.RR_Network
    if type(network) is not (IP_NETWORK if ip else IPX_NETWORK):
        raise UnrepresentableError(f"{what}.RR_Network does not match the route's family")
    out["RR_Network"] = _encode_network(network, f"{what}.RR_Network")
    hop = route.RR_NextHopAddress
    if ip:
        if type(hop) is not IP_NETWORK:
            raise UnrepresentableError(f"{what}.RR_NextHopAddress is not an IP_NEXT_HOP_ADDRESS")
        out["RR_NextHopAddress"] = _encode_network(hop, f"{what}.RR_NextHopAddress")
    else:
        mac = hop.NHA_Mac if type(hop) is IPX_NEXT_HOP_ADDRESS else None
        if not isinstance(mac, bytes | bytearray) or len(mac) != 6:
            raise UnrepresentableError(f"{what}.RR_NextHopAddress.NHA_Mac is not 6 bytes")
        out["RR_NextHopAddress"] = {"NHA_Mac": bytes(mac).hex()}
    fsd = route.RR_FamilySpecificData
    if type(fsd) is not (IP_SPECIFIC_DATA if ip else IPX_SPECIFIC_DATA):
        raise UnrepresentableError(f"{what}.RR_FamilySpecificData does not match the route's family")
    fields: dict[str, int] = {}
    for name in _IP_FSD if ip else _IPX_FSD:
        value = getattr(fsd, name)
        limit = USHORT_MAX if name in ("FSD_TickCount", "FSD_HopCount") else DWORD_MAX
        if type(value) is not int or not 0 <= value <= limit:
            raise UnrepresentableError(f"{what}.RR_FamilySpecificData.{name}={shorten(value)} is out of range")
        if value:
            fields[name] = value
    if fields:
        out["RR_FamilySpecificData"] = fields
    return out


def encode_value(kind: str, value: Any, what: str, names: Callable[[Any], str], family: Any = None) -> Any:
    """One parameter or result value as trace JSON. ``names`` gives a handle object's symbolic name."""
    if kind in HANDLE_KINDS:
        if value is None:
            return None
        if type(value) is int and 0 <= value <= HANDLE_MAX:
            return value  # a forged handle value: no API accepts one (M-TRACE-HANDLES)
        return names(value)
    if value is None and kind in ("route", "network"):
        return None
    if kind == "route":
        return encode_route(value, what)
    if kind == "network":
        return _encode_network(value, what)
    if kind == "event":
        if value is None or value is EVENT or value is BAD_EVENT:
            return None if value is None else EVENT_TEXT if value is EVENT else BAD_EVENT_TEXT
        usable = callable(getattr(value, "set", None)) and callable(getattr(value, "clear", None))
        return EVENT_TEXT if usable else BAD_EVENT_TEXT
    if kind == "bool":
        if type(value) is not bool:
            raise UnrepresentableError(f"{what}={shorten(value)} is not a BOOL")
        return value
    if kind == "ipaddr":
        return _dotted(_strict_dword(value, what))
    number = _strict_dword(value, what)
    if kind == "dword":
        return number
    if kind == "family":
        return {"value": number, "names": family_names(number)}
    if kind == "protocol":
        return {"value": number, "names": protocol_names(number, family)}
    if kind == "regflags":
        return {"value": number, "names": registration_flag_names(number)}
    if kind == "enumflags":
        return {"value": number, "names": enumeration_flag_names(number)}
    if kind == "changeflags":
        return {"value": number, "names": change_flag_names(number)}
    raise AssertionError(kind)


def encode_out(kind: str, value: Any, what: str, names: Callable[[Any], str]) -> Any:
    """One result field as trace JSON: None (a field the call did not write) stays null."""
    return None if value is None else encode_value(kind, value, what, names)


def encode_status(function: str, status: int) -> dict[str, Any]:
    """``{"value": 259, "name": "ERROR_NO_ROUTES"}``: the name the function's page uses."""
    return {"value": int(status), "name": status_name(function, int(status))}


# --- decoding (JSON -> value) --------------------------------------------------------------------------

_DOTTED = re.compile(
    r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
)
_HEX_MAC = re.compile(r"[0-9a-fA-F]{12}")
_DIGITS = re.compile(r"[0-9]{1,20}")


def dword(value: Any, path: str, limit: int = DWORD_MAX, what: str = "a DWORD") -> int:
    """An integer in ``0..limit`` (JSON true/false and floats are not integers)."""
    if type(value) is not int or not 0 <= value <= limit:
        raise BadValueError(path, f"{what} (an integer 0..{limit})", value)
    return value


def _flag_value(value: Any, path: str) -> int:
    """A flag set or enum: ``{"value": n, "names": [...]}`` or a plain integer (the mapping log's form)."""
    if isinstance(value, dict):
        unknown = set(value) - {"value", "names"}
        if unknown:
            raise BadValueError(f"{path}.{sorted(unknown)[0]}", "only 'value' and 'names'", value)
        names = value.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise BadValueError(f"{path}.names", "a list of names", names)
        if "value" not in value:
            raise BadValueError(f"{path}.value", "a DWORD", None)
        return dword(value["value"], f"{path}.value")
    return dword(value, path)


@functools.lru_cache(maxsize=4096)
def _quad(text: str) -> int | None:
    if not _DOTTED.fullmatch(text):
        return None
    a, b, c, d = text.split(".")
    return int(a) | int(b) << 8 | int(c) << 16 | int(d) << 24  # first octet in the low byte (V1-A1)


def address(value: Any, path: str) -> int:
    """An IP address DWORD: a dotted quad (first octet in the low byte, V1-A1) or the raw DWORD."""
    if isinstance(value, str):
        number = _quad(value) if len(value) <= 15 else None
        if number is None:
            raise BadValueError(path, "a dotted quad such as 10.1.0.0", value)
        return number
    return dword(value, path, what="a dotted quad or a DWORD")


def _filetime(value: Any, path: str) -> int:
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    elif type(value) is int:
        number = value
    else:
        raise BadValueError(path, "a FILETIME (a decimal string of 100 ns ticks)", value)
    if not 0 <= number <= FILETIME_MAX:
        raise BadValueError(path, f"a FILETIME (0..{FILETIME_MAX})", value)
    return number


def _object(value: Any, path: str, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadValueError(path, f"{what} (an object of its C fields)", value)
    for key in value:
        if key not in allowed:
            raise BadValueError(f"{path}.{key}", f"a field of {what} ({', '.join(allowed)})", value[key])
    return value


def _unknown_key(obj: dict[str, Any], path: str, allowed: Any, what: str) -> BadValueError:
    key = next(k for k in obj if k not in allowed)
    return BadValueError(f"{path}.{key}", f"a field of {what} ({', '.join(allowed)})", obj[key])


def _field(value: Any, path: str, field: str, limit: int = DWORD_MAX, what: str = "a DWORD") -> int:
    """A DWORD (or smaller) field; the error's path is built only when there is an error."""
    if type(value) is int and 0 <= value <= limit:
        return value
    raise BadValueError(f"{path}.{field}", f"{what} (an integer 0..{limit})", value)


def _ip_address_field(value: Any, path: str, field: str) -> int:
    if type(value) is str:
        number = _quad(value) if len(value) <= 15 else None
        if number is not None:
            return number
    elif type(value) is int and 0 <= value <= DWORD_MAX:
        return value
    return address(value, f"{path}.{field}")  # raises with the right message


def decode_network(value: Any, path: str, family: str | None = None) -> IP_NETWORK | IPX_NETWORK:
    """An IP_NETWORK (it has ``N_NetMask``) or an IPX_NETWORK (only ``N_NetNumber``)."""
    if type(value) is not dict:
        raise BadValueError(path, "an IP_NETWORK or IPX_NETWORK object", value)
    ip = "N_NetMask" in value if family is None else family == "ip"
    if ip:
        if len(value) > 2 or any(k not in _IP_NETWORK_KEYS for k in value):
            raise _unknown_key(value, path, _IP_NETWORK_KEYS, "IP_NETWORK")
        return IP_NETWORK(
            _ip_address_field(value.get("N_NetNumber", 0), path, "N_NetNumber"),
            _ip_address_field(value.get("N_NetMask", 0), path, "N_NetMask"),
        )
    if len(value) > 1 or any(k != "N_NetNumber" for k in value):
        raise _unknown_key(value, path, ("N_NetNumber",), "IPX_NETWORK")
    return IPX_NETWORK(_field(value.get("N_NetNumber", 0), path, "N_NetNumber"))


_IP_NETWORK_KEYS = ("N_NetNumber", "N_NetMask")


_ROUTE_KEYS = (
    "RR_TimeStamp",
    "RR_RoutingProtocol",
    "RR_InterfaceID",
    "RR_ProtocolSpecificData",
    "RR_Network",
    "RR_NextHopAddress",
    "RR_FamilySpecificData",
)
_IP_ONLY_FSD = frozenset(_IP_FSD) - {"FSD_Flags"}
_IPX_ONLY_FSD = frozenset(_IPX_FSD) - {"FSD_Flags"}


def _route_family(obj: dict[str, Any], path: str) -> str:
    """Which structure a route object is, from its shape: IP has a network mask and IP next-hop address, IPX a MAC
    and tick/hop counts. Conflicting or missing clues are an error, never a guess."""
    ip = ipx = False
    net = obj.get("RR_Network")
    if type(net) is dict:
        if "N_NetMask" in net:
            ip = True
        else:
            ipx = True
    hop = obj.get("RR_NextHopAddress")
    if type(hop) is dict and hop:
        if "NHA_Mac" in hop:
            ipx = True
        else:
            ip = True
    fsd = obj.get("RR_FamilySpecificData")
    if type(fsd) is dict:
        for key in fsd:
            if key in _IPX_ONLY_FSD:
                ipx = True
            elif key in _IP_ONLY_FSD:
                ip = True
    if ip != ipx:
        return "ip" if ip else "ipx"
    if not ip:
        raise BadValueError(
            path, "an RTM_IP_ROUTE or RTM_IPX_ROUTE with RR_Network (IP: N_NetNumber and N_NetMask)", obj
        )
    raise BadValueError(path, "the fields of one family (IP and IPX fields are mixed)", obj)


def decode_route(value: Any, path: str) -> RTM_IP_ROUTE | RTM_IPX_ROUTE:
    """An RTM_IP_ROUTE or RTM_IPX_ROUTE; missing fields are zero. (Full-table traces hold two routes a line, so
    this avoids building anything, error paths included, that a valid route does not need.)"""
    if type(value) is not dict:
        raise BadValueError(path, "RTM_IP_ROUTE or RTM_IPX_ROUTE (an object of its C fields)", value)
    if any(k not in _ROUTE_KEY_SET for k in value):
        raise _unknown_key(value, path, _ROUTE_KEYS, "RTM_IP_ROUTE or RTM_IPX_ROUTE")
    family = _route_family(value, path)
    stamp = value.get("RR_TimeStamp", 0)
    if type(stamp) is not int or not 0 <= stamp <= FILETIME_MAX:
        stamp = _filetime(stamp, f"{path}.RR_TimeStamp")
    protocol = _field(value.get("RR_RoutingProtocol", 0), path, "RR_RoutingProtocol")
    interface = _field(value.get("RR_InterfaceID", 0), path, "RR_InterfaceID")
    psd = _decode_psd(value["RR_ProtocolSpecificData"], path) if "RR_ProtocolSpecificData" in value else None
    fsd_obj = value.get("RR_FamilySpecificData", _EMPTY)
    if type(fsd_obj) is not dict:
        raise BadValueError(f"{path}.RR_FamilySpecificData", "an object of its C fields", fsd_obj)
    if family == "ip":
        values = [0] * len(_IP_FSD)
        for key, number in fsd_obj.items():
            index = _IP_FSD_INDEX.get(key)
            if index is None:
                raise _unknown_key(fsd_obj, f"{path}.RR_FamilySpecificData", _IP_FSD, "IP_SPECIFIC_DATA")
            values[index] = _field(number, f"{path}.RR_FamilySpecificData", key)
        route = RTM_IP_ROUTE(
            stamp,
            protocol,
            interface,
            RR_Network=decode_network(value.get("RR_Network", _EMPTY), f"{path}.RR_Network", "ip"),  # type: ignore[arg-type]
            RR_NextHopAddress=decode_network(value.get("RR_NextHopAddress", _EMPTY), f"{path}.RR_NextHopAddress", "ip"),  # type: ignore[arg-type]
            RR_FamilySpecificData=IP_SPECIFIC_DATA(*values),
        )
    else:
        hop_path = f"{path}.RR_NextHopAddress"
        hop_obj = _object(value.get("RR_NextHopAddress", _EMPTY), hop_path, ("NHA_Mac",), "IPX_NEXT_HOP_ADDRESS")
        mac = hop_obj.get("NHA_Mac", "000000000000")
        if not isinstance(mac, str) or not _HEX_MAC.fullmatch(mac):
            raise BadValueError(f"{hop_path}.NHA_Mac", "6 bytes as 12 hex digits", mac)
        fsd_path = f"{path}.RR_FamilySpecificData"
        fsd = _object(fsd_obj, fsd_path, _IPX_FSD, "IPX_SPECIFIC_DATA")
        route = RTM_IPX_ROUTE(  # type: ignore[assignment]
            stamp,
            protocol,
            interface,
            RR_Network=decode_network(value.get("RR_Network", _EMPTY), f"{path}.RR_Network", "ipx"),  # type: ignore[arg-type]
            RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(bytes.fromhex(mac)),
            RR_FamilySpecificData=IPX_SPECIFIC_DATA(
                _field(fsd.get("FSD_Flags", 0), fsd_path, "FSD_Flags"),
                _field(fsd.get("FSD_TickCount", 0), fsd_path, "FSD_TickCount", USHORT_MAX, "a USHORT"),
                _field(fsd.get("FSD_HopCount", 0), fsd_path, "FSD_HopCount", USHORT_MAX, "a USHORT"),
            ),
        )
    if psd is not None:
        route.RR_ProtocolSpecificData = psd
    return route


def _decode_psd(value: Any, path: str) -> PROTOCOL_SPECIFIC_DATA:
    psd_path = f"{path}.RR_ProtocolSpecificData"
    psd_obj = _object(value, psd_path, ("PSD_Data",), "PROTOCOL_SPECIFIC_DATA")
    data = psd_obj.get("PSD_Data", [0, 0, 0, 0])
    if not isinstance(data, list) or len(data) != 4:
        raise BadValueError(f"{psd_path}.PSD_Data", "a list of 4 DWORDs", data)
    return PROTOCOL_SPECIFIC_DATA([dword(x, f"{psd_path}.PSD_Data[{i}]") for i, x in enumerate(data)])


_EMPTY: Final[dict[str, Any]] = {}
_ROUTE_KEY_SET = frozenset(_ROUTE_KEYS)
_IP_FSD_INDEX = {name: index for index, name in enumerate(_IP_FSD)}


def decode_handle(value: Any, path: str, kind: str) -> str | int | None:
    """A handle: its symbolic name (bound by the replay), NULL, or a forged value (an unsigned 64-bit integer)."""
    if value is None:
        return None
    if type(value) is int:
        return dword(value, path, HANDLE_MAX, "a handle value")
    if isinstance(value, str):
        found = handle_kind_of(value)
        if found is not None:
            return value
    label = "client:RIP#1" if kind == "client" else "enum#3"
    raise BadValueError(path, f"a handle name such as {label}, null or an integer", value)


def decode_out(kind: str, value: Any, path: str) -> Any:
    """One result field from trace JSON: null is a field the call did not write."""
    return None if value is None else decode_value(kind, value, path)


def decode_value(kind: str, value: Any, path: str) -> Any:
    """One parameter or result value from trace JSON (or the mapping log's encoding)."""
    if kind in HANDLE_KINDS:
        return decode_handle(value, path, kind)
    if kind == "route":
        return None if value is None else decode_route(value, path)
    if kind == "network":
        return None if value is None else decode_network(value, path)
    if kind == "event":
        if value is None:
            return None
        if value == EVENT_TEXT:
            return EVENT
        if value == BAD_EVENT_TEXT:
            return BAD_EVENT
        raise BadValueError(path, f'"{EVENT_TEXT}", "{BAD_EVENT_TEXT}" or null', value)
    if kind == "bool":
        if type(value) is not bool:
            raise BadValueError(path, "true or false", value)
        return value
    if kind == "ipaddr":
        return address(value, path)
    if kind == "dword":
        return dword(value, path)
    return _flag_value(value, path)
