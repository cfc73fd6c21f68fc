"""The RTMv1 structures of rtm.h as attrs classes with the C field names, and the IP address helpers.

Mutable like C structs, every field defaulting to zero, equal by value (M-STRUCTURES).
IP addresses are DWORDs holding the address in network byte order in little-endian memory, as Windows does, so
the first octet is the low byte: ``ip_address("10.1.2.3") == 0x0302010A`` (V1-A1).
"""

from __future__ import annotations

import ipaddress
from typing import overload

import attrs

from ._constants import IP_VALID_ROUTE


def _dotted(dword: object) -> str:
    if type(dword) is not int or not 0 <= dword <= 0xFFFFFFFF:
        return repr(dword)
    return ".".join(str(dword >> shift & 0xFF) for shift in (0, 8, 16, 24))


@attrs.define(repr=False)
class IP_NETWORK:
    """An IP network: number and mask, each a DWORD in Windows' byte order (first octet in the low byte)."""

    N_NetNumber: int = 0
    N_NetMask: int = 0

    def __repr__(self) -> str:
        return f"IP_NETWORK({_dotted(self.N_NetNumber)}/{_dotted(self.N_NetMask)})"


#: rtm.h: ``typedef IP_NETWORK IP_NEXT_HOP_ADDRESS`` (the docs show it as a struct of its own; V1-7.7).
IP_NEXT_HOP_ADDRESS = IP_NETWORK


@attrs.define
class IP_SPECIFIC_DATA:
    """IP family data: FSD_Priority (set by RTM) and FSD_Metric decide the best route; the rest is carried."""

    FSD_Type: int = 0
    FSD_Policy: int = 0
    FSD_NextHopAS: int = 0
    FSD_Priority: int = 0
    FSD_Metric: int = 0
    FSD_Metric1: int = 0
    FSD_Metric2: int = 0
    FSD_Metric3: int = 0
    FSD_Metric4: int = 0
    FSD_Metric5: int = 0
    FSD_Flags: int = 0


def _psd_default() -> list[int]:
    return [0, 0, 0, 0]


@attrs.define
class PROTOCOL_SPECIFIC_DATA:
    """Four DWORDs of protocol data, opaque to RTM and never significant."""

    PSD_Data: list[int] = attrs.Factory(_psd_default)


@attrs.define
class RTM_IP_ROUTE:
    """An RTMv1 IP route (RTM_IP_ROUTE, 92 bytes in C)."""

    RR_TimeStamp: int = 0
    RR_RoutingProtocol: int = 0
    RR_InterfaceID: int = 0
    RR_ProtocolSpecificData: PROTOCOL_SPECIFIC_DATA = attrs.Factory(PROTOCOL_SPECIFIC_DATA)
    RR_Network: IP_NETWORK = attrs.Factory(IP_NETWORK)
    RR_NextHopAddress: IP_NETWORK = attrs.Factory(IP_NETWORK)
    RR_FamilySpecificData: IP_SPECIFIC_DATA = attrs.Factory(IP_SPECIFIC_DATA)


@attrs.define
class IPX_NETWORK:
    """An IPX network number."""

    N_NetNumber: int = 0


def _mac_default() -> bytes:
    return bytes(6)


@attrs.define
class IPX_NEXT_HOP_ADDRESS:
    """The 6-byte MAC address of the next-hop router."""

    NHA_Mac: bytes = attrs.Factory(_mac_default)


@attrs.define
class IPX_SPECIFIC_DATA:
    """IPX family data: ticks (the cross-protocol metric) then hops decide the best route."""

    FSD_Flags: int = 0
    FSD_TickCount: int = 0
    FSD_HopCount: int = 0


@attrs.define
class RTM_IPX_ROUTE:
    """An RTMv1 IPX route (RTM_IPX_ROUTE, 52 bytes in C)."""

    RR_TimeStamp: int = 0
    RR_RoutingProtocol: int = 0
    RR_InterfaceID: int = 0
    RR_ProtocolSpecificData: PROTOCOL_SPECIFIC_DATA = attrs.Factory(PROTOCOL_SPECIFIC_DATA)
    RR_Network: IPX_NETWORK = attrs.Factory(IPX_NETWORK)
    RR_NextHopAddress: IPX_NEXT_HOP_ADDRESS = attrs.Factory(IPX_NEXT_HOP_ADDRESS)
    RR_FamilySpecificData: IPX_SPECIFIC_DATA = attrs.Factory(IPX_SPECIFIC_DATA)


# --- helpers -------------------------------------------------------------------------------------------


def bswap32(value: int) -> int:
    """Reverse the bytes of a DWORD (Windows' stored order <-> the address as a big-endian number)."""
    return int.from_bytes(value.to_bytes(4, "little"), "big")


@overload
def ip_address(value: str) -> int: ...
@overload
def ip_address(value: int) -> str: ...
def ip_address(value: str | int) -> int | str:
    """``"10.1.2.3"`` -> ``0x0302010A`` (first octet in the low byte); an int converts back to dotted form."""
    if isinstance(value, int):
        return _dotted(value)
    return bswap32(int(ipaddress.IPv4Address(value)))


@overload
def ip_network(value: str) -> IP_NETWORK: ...
@overload
def ip_network(value: IP_NETWORK) -> str: ...
def ip_network(value: str | IP_NETWORK) -> IP_NETWORK | str:
    """``"10.1.0.0/16"`` -> ``IP_NETWORK(ip_address("10.1.0.0"), ip_address("255.255.0.0"))``; a bare address is
    a /32. An IP_NETWORK converts back: ``"10.1.0.0/16"``, or ``"a.b.c.d/m.m.m.m"`` for a non-contiguous mask."""
    if isinstance(value, IP_NETWORK):
        mask = bswap32(value.N_NetMask)
        bits = bin(mask).count("1")
        contiguous = mask == (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
        suffix = str(bits) if contiguous else _dotted(value.N_NetMask)
        return f"{_dotted(value.N_NetNumber)}/{suffix}"
    address, _, length = value.partition("/")
    bits = int(length) if length else 32
    if not 0 <= bits <= 32:
        raise ValueError(f"prefix length out of range: {value!r}")
    mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return IP_NETWORK(N_NetNumber=ip_address(address), N_NetMask=bswap32(mask))


# --- the IP route macros of rtm.h --------------------------------------------------------------------


def ClearRouteFlags(route: RTM_IP_ROUTE) -> None:  # noqa: N802
    """``FSD_Flags = 0``."""
    route.RR_FamilySpecificData.FSD_Flags = 0


def IsRouteValid(route: RTM_IP_ROUTE) -> bool:  # noqa: N802
    """``FSD_Flags & IP_VALID_ROUTE``."""
    return bool(route.RR_FamilySpecificData.FSD_Flags & IP_VALID_ROUTE)


def SetRouteValid(route: RTM_IP_ROUTE) -> None:  # noqa: N802
    """``FSD_Flags |= IP_VALID_ROUTE``."""
    route.RR_FamilySpecificData.FSD_Flags |= IP_VALID_ROUTE


def ClearRouteValid(route: RTM_IP_ROUTE) -> None:  # noqa: N802
    """``FSD_Flags &= ~IP_VALID_ROUTE``."""
    route.RR_FamilySpecificData.FSD_Flags &= ~IP_VALID_ROUTE


def IsRouteNonUnicast(route: RTM_IP_ROUTE) -> bool:  # noqa: N802
    """First octet of the network >= 224 (the macro reads the low byte: V1-A1)."""
    return (route.RR_Network.N_NetNumber & 0xFF) >= 0xE0


def IsRouteLoopback(route: RTM_IP_ROUTE) -> bool:  # noqa: N802
    """Network 127/8, or next hop 127.0.0.1."""
    return (route.RR_Network.N_NetNumber & 0xFF) == 0x7F or route.RR_NextHopAddress.N_NetNumber == 0x0100007F
