"""RTMv1 constants with their rtm.h / routprot.h / ipxrtdef.h values (V1-2)."""

from __future__ import annotations

from typing import Final

from v2model import (
    INFINITE,
    PROTO_IP_BBN,
    PROTO_IP_BGP,
    PROTO_IP_BOOTP,
    PROTO_IP_CISCO,
    PROTO_IP_EGP,
    PROTO_IP_ES_IS,
    PROTO_IP_GGP,
    PROTO_IP_HELLO,
    PROTO_IP_ICMP,
    PROTO_IP_IS_IS,
    PROTO_IP_LOCAL,
    PROTO_IP_NETMGMT,
    PROTO_IP_NT_AUTOSTATIC,
    PROTO_IP_NT_STATIC,
    PROTO_IP_NT_STATIC_NON_DOD,
    PROTO_IP_OSPF,
    PROTO_IP_OTHER,
    PROTO_IP_RIP,
    PROTOCOL_ID,
    WinError,
)

# --- Protocol families (2.1) ----------------------------------------------------------------------
RTM_PROTOCOL_FAMILY_IPX: Final = 0
RTM_PROTOCOL_FAMILY_IP: Final = 1

# --- Registration flags (2.2) ---------------------------------------------------------------------
RTM_PROTOCOL_SINGLE_ROUTE: Final = 0x00000001

# --- Change flags (2.3) ---------------------------------------------------------------------------
RTM_CURRENT_BEST_ROUTE: Final = 0x00000001
RTM_PREVIOUS_BEST_ROUTE: Final = 0x00000002
RTM_NO_CHANGE: Final = 0
RTM_ROUTE_ADDED: Final = RTM_CURRENT_BEST_ROUTE
RTM_ROUTE_DELETED: Final = RTM_PREVIOUS_BEST_ROUTE
RTM_ROUTE_CHANGED: Final = RTM_CURRENT_BEST_ROUTE | RTM_PREVIOUS_BEST_ROUTE

# --- Enumeration flags (2.4) ----------------------------------------------------------------------
RTM_ONLY_THIS_NETWORK: Final = 0x00000001
RTM_ONLY_THIS_INTERFACE: Final = 0x00000002
RTM_ONLY_THIS_PROTOCOL: Final = 0x00000004
RTM_ONLY_BEST_ROUTES: Final = 0x00000008
#: Every enumeration flag bit (V1-A11: any other bit gives ERROR_INVALID_PARAMETER).
RTM_ENUM_FLAGS_VALID: Final = 0x0000000F

# --- Family-specific flags (2.6) ------------------------------------------------------------------
IPX_GLOBAL_CLIENT_WAN_ROUTE: Final = 0x00000001
IP_VALID_ROUTE: Final = 0x00000001

#: Longest TimeToLive in seconds other than INFINITE (2^31 ms truncated to seconds; V1-A12).
RTM_MAX_TIME_TO_LIVE: Final = 2_147_483

# --- IPX protocol ids (2.8) -----------------------------------------------------------------------
IPX_PROTOCOL_BASE: Final = 0x0001FFFF
IPX_PROTOCOL_RIP: Final = IPX_PROTOCOL_BASE + 1
IPX_PROTOCOL_SAP: Final = IPX_PROTOCOL_BASE + 2
IPX_PROTOCOL_NLSP: Final = IPX_PROTOCOL_BASE + 3
IPX_PROTOCOL_LOCAL: Final = 1
IPX_PROTOCOL_STATIC: Final = 2
#: The router manager's id (MIB calls only).
IPRTRMGR_PID: Final = 10000

# --- Error aliases of rtm.h (2.7); the values are winerror.h's ----------------------------------------
NO_ERROR: Final = WinError.NO_ERROR
ERROR_INVALID_HANDLE: Final = WinError.ERROR_INVALID_HANDLE
ERROR_NOT_ENOUGH_MEMORY: Final = WinError.ERROR_NOT_ENOUGH_MEMORY
ERROR_INVALID_PARAMETER: Final = WinError.ERROR_INVALID_PARAMETER
ERROR_CLIENT_ALREADY_EXISTS: Final = WinError.ERROR_ALREADY_EXISTS
ERROR_MORE_MESSAGES: Final = WinError.ERROR_MORE_DATA
ERROR_NO_MESSAGES: Final = WinError.ERROR_NO_MORE_ITEMS
ERROR_NO_MORE_ROUTES: Final = WinError.ERROR_NO_MORE_ITEMS
ERROR_NO_ROUTES: Final = WinError.ERROR_NO_MORE_ITEMS
ERROR_NO_SUCH_ROUTE: Final = WinError.ERROR_NO_MORE_ITEMS
ERROR_NO_SYSTEM_RESOURCES: Final = WinError.ERROR_NO_SYSTEM_RESOURCES

#: The protocol id of the entity a V1Shim registers per family to serve the v1 calls that need no client
#: (RtmIsRoute, enumerations, ...): a vendor id no Microsoft protocol uses.
RTMCOMPAT_READER_PROTOCOL: Final = PROTOCOL_ID(0, 0x3FFE, 0x0001)

__all__ = [
    "ERROR_CLIENT_ALREADY_EXISTS",
    "ERROR_INVALID_HANDLE",
    "ERROR_INVALID_PARAMETER",
    "ERROR_MORE_MESSAGES",
    "ERROR_NOT_ENOUGH_MEMORY",
    "ERROR_NO_MESSAGES",
    "ERROR_NO_MORE_ROUTES",
    "ERROR_NO_ROUTES",
    "ERROR_NO_SUCH_ROUTE",
    "ERROR_NO_SYSTEM_RESOURCES",
    "INFINITE",
    "IPRTRMGR_PID",
    "IPX_GLOBAL_CLIENT_WAN_ROUTE",
    "IPX_PROTOCOL_BASE",
    "IPX_PROTOCOL_LOCAL",
    "IPX_PROTOCOL_NLSP",
    "IPX_PROTOCOL_RIP",
    "IPX_PROTOCOL_SAP",
    "IPX_PROTOCOL_STATIC",
    "IP_VALID_ROUTE",
    "NO_ERROR",
    "PROTOCOL_ID",
    "PROTO_IP_BBN",
    "PROTO_IP_BGP",
    "PROTO_IP_BOOTP",
    "PROTO_IP_CISCO",
    "PROTO_IP_EGP",
    "PROTO_IP_ES_IS",
    "PROTO_IP_GGP",
    "PROTO_IP_HELLO",
    "PROTO_IP_ICMP",
    "PROTO_IP_IS_IS",
    "PROTO_IP_LOCAL",
    "PROTO_IP_NETMGMT",
    "PROTO_IP_NT_AUTOSTATIC",
    "PROTO_IP_NT_STATIC",
    "PROTO_IP_NT_STATIC_NON_DOD",
    "PROTO_IP_OSPF",
    "PROTO_IP_OTHER",
    "PROTO_IP_RIP",
    "RTMCOMPAT_READER_PROTOCOL",
    "RTM_CURRENT_BEST_ROUTE",
    "RTM_ENUM_FLAGS_VALID",
    "RTM_MAX_TIME_TO_LIVE",
    "RTM_NO_CHANGE",
    "RTM_ONLY_BEST_ROUTES",
    "RTM_ONLY_THIS_INTERFACE",
    "RTM_ONLY_THIS_NETWORK",
    "RTM_ONLY_THIS_PROTOCOL",
    "RTM_PREVIOUS_BEST_ROUTE",
    "RTM_PROTOCOL_FAMILY_IP",
    "RTM_PROTOCOL_FAMILY_IPX",
    "RTM_PROTOCOL_SINGLE_ROUTE",
    "RTM_ROUTE_ADDED",
    "RTM_ROUTE_CHANGED",
    "RTM_ROUTE_DELETED",
]
