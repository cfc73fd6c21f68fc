"""The symbol database of ``rtmcompat scan``: every public name of rtm.h and rtmv2.h, as data.

Each entry says what the name is (function, header macro, type, constant), which API it belongs to, the level a
use of it gets, what replaces it in RTMv2, what a port has to watch for, and the Microsoft page that documents it.
The v1 names are those of the public rtm.h (the mingw-w64 header matches Microsoft's SDK declarations); the
functions' pages are listed at https://learn.microsoft.com/windows/win32/rras/routing-table-manager-version-1-functions.
The rtmv2.h names are reported as ``rtmv2`` use, so mixed code bases show both sides.

The v2 replacement and caveats of a v1 *function* come from the mapping table through :func:`v1_port` only
(one place to switch when the table grows porting fields). Levels follow docs/behaviour.md M-SCAN-LEVELS.
"""

from __future__ import annotations

from typing import Literal

import attrs

from ._mapping import BY_NAME

Api = Literal["rtmv1", "rtmv2"]
#: What a name is: a function (or a function-like header macro reported as a call: RtmGetSpecificRoute), an
#: undocumented export, a header macro, a type, a constant.
SymbolKind = Literal["function", "undocumented", "macro", "type", "constant"]
Level = Literal["note", "warning", "error"]

_V1_DOCS = "https://learn.microsoft.com/windows/win32/rras/"
_V1_FUNCTIONS_PAGE = _V1_DOCS + "routing-table-manager-version-1-functions"
_V2_DOCS = "https://learn.microsoft.com/windows/win32/api/rtmv2/"
#: The page of rtmv2.h itself: its constants and macros have no page of their own.
V2_HEADER_PAGE = _V2_DOCS
NO_MAPPING = "no public semantics, no mapping"


@attrs.frozen
class Symbol:
    """One name of rtm.h or rtmv2.h."""

    name: str
    api: Api
    kind: SymbolKind
    level: Level
    #: One line: what the name is.
    summary: str
    #: What a port uses instead (RTMv2 names), or why there is nothing.
    replacement: str | None
    #: What a port has to watch for (sentences; known-difference ids where they apply).
    caveats: tuple[str, ...]
    #: Known-difference ids of ``rtmcompat compare`` the name touches.
    differences: tuple[str, ...]
    #: The Microsoft page that documents the name.
    url: str


@attrs.frozen
class Port:
    """How a v1 function is ported: the RTMv2 calls, what to watch for, the known differences it touches."""

    replacement: str | None
    caveats: tuple[str, ...]
    differences: tuple[str, ...]


def v1_port(function: str) -> Port:
    """The port of v1 function ``function`` (RtmGetSpecificRoute included) from the mapping table."""
    mapping = BY_NAME.get(function)
    if mapping is None:
        return Port(NO_MAPPING, (), ())
    replacement = " + ".join(mapping.port) if mapping.port else None
    return Port(replacement, (mapping.notes,), mapping.differences)


def _v1_function(name: str, summary: str, page: str | None = None) -> Symbol:
    port = v1_port(name)
    return Symbol(
        name,
        "rtmv1",
        "function",
        "warning",
        summary,
        port.replacement,
        port.caveats,
        port.differences,
        _V1_DOCS + (page or name.lower()),
    )


def _undocumented(name: str, summary: str) -> Symbol:
    return Symbol(
        name,
        "rtmv1",
        "undocumented",
        "error",
        summary,
        NO_MAPPING,
        (
            "Exported by rtm.dll but neither declared in the public rtm.h nor documented: nothing public says what "
            "it does, so no RTMv2 port can be derived; find out what the code relies on and rebuild it from "
            "documented RTMv2 calls.",
        ),
        (),
        _V1_FUNCTIONS_PAGE,
    )


def _v1(
    name: str,
    kind: SymbolKind,
    summary: str,
    replacement: str | None,
    caveat: str,
    page: str,
    level: Level = "warning",
) -> Symbol:
    return Symbol(name, "rtmv1", kind, level, summary, replacement, (caveat,) if caveat else (), (), _V1_DOCS + page)


_IPX = (
    "RTMv2 does not serve IPX routing protocols (Microsoft's RTMv2 overview); IPX code has no RTMv2 port and stays "
    "on RTMv1 for as long as it runs."
)
_ALIAS = "Defined only in rtm.h: once rtm.h is gone the name no longer compiles; use the Win32 name of the value."

_V1_SYMBOLS: tuple[Symbol, ...] = (
    # The 15 functions of rtm.h and the RtmGetSpecificRoute macro (reported as a call of its own).
    _v1_function("RtmRegisterClient", "registers a routing protocol as an RTMv1 client"),
    _v1_function("RtmDeregisterClient", "deregisters an RTMv1 client and removes all its routes"),
    _v1_function("RtmDequeueRouteChangeMessage", "takes the next best-route change message from the client's queue"),
    _v1_function("RtmAddRoute", "adds or updates a route (TimeToLive in seconds)"),
    _v1_function("RtmDeleteRoute", "deletes a route"),
    _v1_function("RtmIsRoute", "tells whether a network has a route and returns its best route"),
    _v1_function("RtmGetNetworkCount", "counts the networks of a protocol family"),
    _v1_function("RtmGetRouteAge", "seconds since a route was created or last updated"),
    _v1_function("RtmCreateEnumerationHandle", "starts an enumeration of the routes matching a criteria route"),
    _v1_function("RtmEnumerateGetNextRoute", "returns the next route of an enumeration"),
    _v1_function("RtmCloseEnumerationHandle", "ends an enumeration"),
    _v1_function("RtmBlockDeleteRoutes", "deletes every route of the client that matches a criteria route"),
    _v1_function("RtmGetFirstRoute", "returns the first route, in table order, that matches the flags"),
    _v1_function("RtmGetNextRoute", "returns the route after the given one, in table order"),
    _v1_function(
        "RtmLookupIPDestination",
        "longest-prefix match of an IP address (declared in rtm.h, undocumented)",
        "routing-table-manager-version-1-functions",
    ),
    _v1_function(
        "RtmGetSpecificRoute",
        "rtm.h macro: RtmGetFirstRoute with RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_THIS_INTERFACE",
        "rtmgetfirstroute",
    ),
    # Exported by rtm.dll, not declared in rtm.h, not documented.
    _undocumented("RtmBlockSetRouteEnable", "undocumented rtm.dll export (enables or disables a block of routes)"),
    _undocumented("RtmBlockConvertRoutesToStatic", "undocumented rtm.dll export (converts a block of routes)"),
    _undocumented("RtmCreateRouteTable", "undocumented rtm.dll export (creates a route table)"),
    _undocumented("RtmDeleteRouteTable", "undocumented rtm.dll export (deletes a route table)"),
    # Header macros.
    _v1(
        "IsRouteValid",
        "macro",
        "rtm.h macro: tests IP_VALID_ROUTE in FSD_Flags",
        None,
        "RTMv2 has no validity flag: the v1 'invalid for other protocols' state has no direct equivalent "
        "(RTM_ROUTE_INFO.Flags has RTM_ROUTE_FLAGS_INACTIVE, whose meaning Microsoft does not document).",
        "ip-specific-data",
    ),
    _v1(
        "SetRouteValid",
        "macro",
        "rtm.h macro: sets IP_VALID_ROUTE in FSD_Flags",
        None,
        "RTMv2 has no validity flag (see IsRouteValid).",
        "ip-specific-data",
    ),
    _v1(
        "ClearRouteValid",
        "macro",
        "rtm.h macro: clears IP_VALID_ROUTE in FSD_Flags",
        None,
        "RTMv2 has no validity flag (see IsRouteValid).",
        "ip-specific-data",
    ),
    _v1(
        "ClearRouteFlags",
        "macro",
        "rtm.h macro: sets FSD_Flags to 0",
        "RTM_ROUTE_INFO.Flags",
        "RTM_ROUTE_INFO.Flags holds RTM_ROUTE_FLAGS_* forwarding flags, not the v1 validity flag.",
        "ip-specific-data",
    ),
    _v1(
        "IsRouteNonUnicast",
        "macro",
        "rtm.h macro: first octet of RR_Network >= 224",
        "RTM_ROUTE_FLAGS_MCAST and the other RTM_ROUTE_FLAGS_* bits",
        "The macro reads the first address octet from the low-order byte of N_NetNumber; RTM_NET_ADDRESS holds the "
        "address as bytes in network order.",
        "rtm-ip-route",
    ),
    _v1(
        "IsRouteLoopback",
        "macro",
        "rtm.h macro: first octet of RR_Network is 127, or the next hop is 127.0.0.1",
        "RTM_ROUTE_FLAGS_LOOPBACK",
        "The macro assumes the first address octet is in the low-order byte of N_NetNumber; RTM_NET_ADDRESS holds "
        "the address as bytes in network order.",
        "rtm-ip-route",
    ),
    _v1(
        "ROUTE_HEADER",
        "macro",
        "rtm.h macro: the common first members of RTM_IP_ROUTE and RTM_IPX_ROUTE",
        "RTM_ROUTE_INFO",
        "RTMv2 routes are objects reached through handles, not structures with a shared header: RR_TimeStamp, "
        "RR_RoutingProtocol, RR_InterfaceID and RR_ProtocolSpecificData become RTM_DEST_INFO.LastChanged, "
        "RTM_ROUTE_INFO.RouteOwner, the next hop's InterfaceIndex and RTM_ROUTE_INFO.EntitySpecificInfo.",
        "rtm-ip-route",
    ),
    _v1(
        "DWORD_ALIGN",
        "macro",
        "rtm.h macro: a member in a union with a DWORD, to force DWORD alignment",
        None,
        "Only needed by the v1 route layouts; RTMv2 structures are declared with their natural alignment.",
        "rtm-ip-route",
    ),
    # Types.
    _v1(
        "RTM_IP_ROUTE",
        "type",
        "the RTMv1 IP route structure",
        "RTM_NET_ADDRESS + RTM_ROUTE_INFO + RTM_NEXTHOP_INFO",
        "One flat v1 structure becomes a destination address, a route and a next hop, each with its own handle "
        "to release; FSD_Priority and FSD_Metric become RTM_PREF_INFO.Preference and .Metric.",
        "rtm-ip-route",
    ),
    _v1(
        "PRTM_IP_ROUTE",
        "type",
        "pointer to RTM_IP_ROUTE",
        "PRTM_ROUTE_INFO (with PRTM_NET_ADDRESS and PRTM_NEXTHOP_INFO)",
        "See RTM_IP_ROUTE.",
        "rtm-ip-route",
    ),
    _v1("RTM_IPX_ROUTE", "type", "the RTMv1 IPX route structure", None, _IPX, "rtm-ipx-route"),
    _v1("PRTM_IPX_ROUTE", "type", "pointer to RTM_IPX_ROUTE", None, _IPX, "rtm-ipx-route"),
    _v1(
        "IP_NETWORK",
        "type",
        "an IP network: N_NetNumber and N_NetMask",
        "RTM_NET_ADDRESS (RTM_IPV4_SET_ADDR_AND_MASK)",
        "RTM_NET_ADDRESS stores a prefix length, so a non-contiguous v1 mask has no v2 form (RTMC-NONCONTIG).",
        "ip-network",
    ),
    _v1(
        "PIP_NETWORK",
        "type",
        "pointer to IP_NETWORK",
        "PRTM_NET_ADDRESS",
        "See IP_NETWORK.",
        "ip-network",
    ),
    _v1(
        "IP_NEXT_HOP_ADDRESS",
        "type",
        "an IP next hop (a typedef of IP_NETWORK)",
        "RTM_NEXTHOP_INFO.NextHopAddress (RTM_NET_ADDRESS)",
        "RTMv2 next hops are objects of their own (RtmAddNextHop), shared by routes through their handles.",
        "ip-next-hop-address",
    ),
    _v1(
        "PIP_NEXT_HOP_ADDRESS",
        "type",
        "pointer to IP_NEXT_HOP_ADDRESS",
        "PRTM_NEXTHOP_INFO",
        "See IP_NEXT_HOP_ADDRESS.",
        "ip-next-hop-address",
    ),
    _v1(
        "IP_SPECIFIC_DATA",
        "type",
        "the IP family-specific part of a route (type, priority, metrics, flags)",
        "RTM_ROUTE_INFO.PrefInfo (RTM_PREF_INFO) and RTM_ROUTE_INFO.Flags",
        "FSD_Priority becomes Preference and FSD_Metric becomes Metric (lower wins in both); FSD_Metric1..5, "
        "FSD_Type, FSD_Policy and FSD_NextHopAS have no RTMv2 member.",
        "ip-specific-data",
    ),
    _v1(
        "PIP_SPECIFIC_DATA",
        "type",
        "pointer to IP_SPECIFIC_DATA",
        "PRTM_PREF_INFO",
        "See IP_SPECIFIC_DATA.",
        "ip-specific-data",
    ),
    _v1("IPX_NETWORK", "type", "an IPX network number", None, _IPX, "ipx-network"),
    _v1("PIPX_NETWORK", "type", "pointer to IPX_NETWORK", None, _IPX, "ipx-network"),
    _v1("IPX_NEXT_HOP_ADDRESS", "type", "an IPX next hop (MAC address)", None, _IPX, "ipx-next-hop-address"),
    _v1("PIPX_NEXT_HOP_ADDRESS", "type", "pointer to IPX_NEXT_HOP_ADDRESS", None, _IPX, "ipx-next-hop-address"),
    _v1("IPX_SPECIFIC_DATA", "type", "the IPX family-specific part of a route", None, _IPX, "ipx-specific-data"),
    _v1("PIPX_SPECIFIC_DATA", "type", "pointer to IPX_SPECIFIC_DATA", None, _IPX, "ipx-specific-data"),
    _v1(
        "PROTOCOL_SPECIFIC_DATA",
        "type",
        "four DWORDs of protocol data carried with a route",
        "RTM_ROUTE_INFO.EntitySpecificInfo",
        "EntitySpecificInfo is one pointer private to the route's owner, not 16 bytes copied with the route.",
        "protocol-specific-data",
    ),
    _v1(
        "PPROTOCOL_SPECIFIC_DATA",
        "type",
        "pointer to PROTOCOL_SPECIFIC_DATA",
        "RTM_ROUTE_INFO.EntitySpecificInfo",
        "See PROTOCOL_SPECIFIC_DATA.",
        "protocol-specific-data",
    ),
    # Constants.
    _v1(
        "RTM_PROTOCOL_FAMILY_IP",
        "constant",
        "protocol family IP (1)",
        "RTM_ENTITY_INFO.AddressFamily = AF_INET",
        "",
        "routing-table-manager-version-1-protocol-family-identifiers",
    ),
    _v1(
        "RTM_PROTOCOL_FAMILY_IPX",
        "constant",
        "protocol family IPX (0)",
        None,
        _IPX,
        "routing-table-manager-version-1-protocol-family-identifiers",
    ),
    _v1(
        "RTM_PROTOCOL_SINGLE_ROUTE",
        "constant",
        "RtmRegisterClient flag: one route per network for this protocol (0x1)",
        "RTM_ROUTE_CHANGE_FIRST in each RtmAddRouteToDest call",
        "The v1 flag holds for the client's lifetime; in RTMv2 the caller asks for it on every add.",
        "rtmregisterclient",
    ),
    _v1(
        "RTM_ONLY_THIS_NETWORK",
        "constant",
        "enumeration flag: only routes of the criteria route's network (0x1)",
        "RtmGetExactMatchDestination, or RtmCreateRouteEnum on one destination",
        "RTMv2 selects by destination (a prefix), so a non-contiguous v1 mask has no v2 form (RTMC-NONCONTIG).",
        "rtmcreateenumerationhandle",
    ),
    _v1(
        "RTM_ONLY_THIS_INTERFACE",
        "constant",
        "enumeration flag: only routes on the criteria route's interface (0x2)",
        "RTM_MATCH_INTERFACE",
        "",
        "rtmcreateenumerationhandle",
    ),
    _v1(
        "RTM_ONLY_THIS_PROTOCOL",
        "constant",
        "enumeration flag: only routes of the criteria route's protocol (0x4)",
        "RTM_MATCH_OWNER, or RTM_ENUM_OWN_ROUTES for the caller's own routes",
        "",
        "rtmcreateenumerationhandle",
    ),
    _v1(
        "RTM_ONLY_BEST_ROUTES",
        "constant",
        "enumeration flag: only best routes (0x8)",
        "RTM_DEST_INFO.ViewInfo[].Route (the best route of each view), or RtmIsBestRoute",
        "Which route is best can differ where v1 and v2 break ties differently (RTMC-TIE).",
        "rtmcreateenumerationhandle",
    ),
    _v1(
        "RTM_CURRENT_BEST_ROUTE",
        "constant",
        "change flag: CurBestRoute was filled (0x1)",
        "RTM_ROUTE_CHANGE_BEST (ChangeFlags of RtmAddRouteToDest / RtmDeleteRouteToDest)",
        "RTMv2 returns no copy of the best route: read it with RtmGetDestInfo / RtmGetRouteInfo.",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "RTM_PREVIOUS_BEST_ROUTE",
        "constant",
        "change flag: PrevBestRoute was filled (0x2)",
        None,
        "RTMv2 keeps no previous best route: a client that needs it must remember it.",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "RTM_NO_CHANGE",
        "constant",
        "change flag: no best-route change (0)",
        "ChangeFlags without RTM_ROUTE_CHANGE_BEST",
        "",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "RTM_ROUTE_ADDED",
        "constant",
        "change flag: the first route of a network appeared (1)",
        "RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST, or a changed destination from RtmGetChangedDests",
        "RTMv2 change notification coalesces changes per destination and reports the latest state only.",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "RTM_ROUTE_DELETED",
        "constant",
        "change flag: the last route of a network went (2)",
        "a changed destination without routes from RtmGetChangedDests",
        "RTMv2 change notification coalesces changes per destination and reports the latest state only.",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "RTM_ROUTE_CHANGED",
        "constant",
        "change flag: the best route changed (3)",
        "RTM_ROUTE_CHANGE_BEST, or a changed destination from RtmGetChangedDests",
        "RTMv2 reports no previous best route.",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "IP_VALID_ROUTE",
        "constant",
        "FSD_Flags bit: the route is valid for other protocols (0x1)",
        None,
        "RTMv2 has no validity flag (see IsRouteValid).",
        "ip-specific-data",
    ),
    _v1(
        "IPX_GLOBAL_CLIENT_WAN_ROUTE",
        "constant",
        "IPX FSD_Flags bit: the global WAN client network (0x1)",
        None,
        _IPX,
        "ipx-specific-data",
    ),
    _v1(
        "ERROR_MORE_MESSAGES",
        "constant",
        "rtm.h alias of ERROR_MORE_DATA (234)",
        "ERROR_MORE_DATA",
        _ALIAS + " RTMv2 change notification has no message queue.",
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "ERROR_CLIENT_ALREADY_EXISTS",
        "constant",
        "rtm.h alias of ERROR_ALREADY_EXISTS (183)",
        "ERROR_ALREADY_EXISTS",
        _ALIAS,
        "rtmregisterclient",
    ),
    _v1(
        "ERROR_NO_MESSAGES",
        "constant",
        "rtm.h alias of ERROR_NO_MORE_ITEMS (259)",
        "ERROR_NO_MORE_ITEMS",
        _ALIAS,
        "rtmdequeueroutechangemessage",
    ),
    _v1(
        "ERROR_NO_MORE_ROUTES",
        "constant",
        "rtm.h alias of ERROR_NO_MORE_ITEMS (259)",
        "ERROR_NO_MORE_ITEMS",
        _ALIAS,
        "rtmenumerategetnextroute",
    ),
    _v1(
        "ERROR_NO_ROUTES",
        "constant",
        "rtm.h alias of ERROR_NO_MORE_ITEMS (259)",
        "ERROR_NO_MORE_ITEMS, or ERROR_NOT_FOUND from the RTMv2 lookups",
        _ALIAS,
        "rtmgetfirstroute",
    ),
    _v1(
        "ERROR_NO_SUCH_ROUTE",
        "constant",
        "rtm.h alias of ERROR_NO_MORE_ITEMS (259)",
        "ERROR_NOT_FOUND from the RTMv2 lookups",
        _ALIAS,
        "rtmdeleteroute",
    ),
)

#: The functions of rtmv2.h.
V2_FUNCTIONS: tuple[str, ...] = (
    "RtmRegisterEntity",
    "RtmDeregisterEntity",
    "RtmGetRegisteredEntities",
    "RtmReleaseEntities",
    "RtmLockDestination",
    "RtmGetOpaqueInformationPointer",
    "RtmGetEntityMethods",
    "RtmInvokeMethod",
    "RtmBlockMethods",
    "RtmGetEntityInfo",
    "RtmGetDestInfo",
    "RtmGetRouteInfo",
    "RtmGetNextHopInfo",
    "RtmReleaseEntityInfo",
    "RtmReleaseDestInfo",
    "RtmReleaseRouteInfo",
    "RtmReleaseNextHopInfo",
    "RtmAddRouteToDest",
    "RtmDeleteRouteToDest",
    "RtmHoldDestination",
    "RtmGetRoutePointer",
    "RtmLockRoute",
    "RtmUpdateAndUnlockRoute",
    "RtmGetExactMatchDestination",
    "RtmGetMostSpecificDestination",
    "RtmGetLessSpecificDestination",
    "RtmGetExactMatchRoute",
    "RtmIsBestRoute",
    "RtmAddNextHop",
    "RtmFindNextHop",
    "RtmDeleteNextHop",
    "RtmGetNextHopPointer",
    "RtmLockNextHop",
    "RtmCreateDestEnum",
    "RtmGetEnumDests",
    "RtmReleaseDests",
    "RtmCreateRouteEnum",
    "RtmGetEnumRoutes",
    "RtmReleaseRoutes",
    "RtmCreateNextHopEnum",
    "RtmGetEnumNextHops",
    "RtmReleaseNextHops",
    "RtmDeleteEnumHandle",
    "RtmRegisterForChangeNotification",
    "RtmGetChangedDests",
    "RtmReleaseChangedDests",
    "RtmIgnoreChangedDests",
    "RtmGetChangeStatus",
    "RtmMarkDestForChangeNotification",
    "RtmIsMarkedForChangeNotification",
    "RtmDeregisterFromChangeNotification",
    "RtmCreateRouteList",
    "RtmInsertInRouteList",
    "RtmCreateRouteListEnum",
    "RtmGetListEnumRoutes",
    "RtmDeleteRouteList",
    "RtmReferenceHandles",
)

#: The structures of rtmv2.h that have a page of their own, and their pointer types.
_V2_STRUCTURES: tuple[str, ...] = (
    "RTM_REGN_PROFILE",
    "RTM_NET_ADDRESS",
    "RTM_PREF_INFO",
    "RTM_NEXTHOP_LIST",
    "RTM_DEST_INFO",
    "RTM_ROUTE_INFO",
    "RTM_NEXTHOP_INFO",
    "RTM_ENTITY_ID",
    "RTM_ENTITY_INFO",
    "RTM_ENTITY_METHOD_INPUT",
    "RTM_ENTITY_METHOD_OUTPUT",
    "RTM_ENTITY_EXPORT_METHODS",
)

#: The other types of rtmv2.h (handles, flag words, callbacks, the event enumeration).
_V2_TYPES: tuple[str, ...] = (
    "RTM_VIEW_ID",
    "PRTM_VIEW_ID",
    "RTM_VIEW_SET",
    "PRTM_VIEW_SET",
    "RTM_ENTITY_HANDLE",
    "PRTM_ENTITY_HANDLE",
    "RTM_DEST_HANDLE",
    "PRTM_DEST_HANDLE",
    "RTM_ROUTE_HANDLE",
    "PRTM_ROUTE_HANDLE",
    "RTM_NEXTHOP_HANDLE",
    "PRTM_NEXTHOP_HANDLE",
    "RTM_ENUM_HANDLE",
    "PRTM_ENUM_HANDLE",
    "RTM_ROUTE_LIST_HANDLE",
    "PRTM_ROUTE_LIST_HANDLE",
    "RTM_NOTIFY_HANDLE",
    "PRTM_NOTIFY_HANDLE",
    "RTM_EVENT_TYPE",
    "PRTM_EVENT_TYPE",
    "RTM_EVENT_CALLBACK",
    "PRTM_EVENT_CALLBACK",
    "RTM_ENTITY_METHOD_TYPE",
    "PRTM_ENTITY_METHOD_TYPE",
    "RTM_ENTITY_EXPORT_METHOD",
    "PRTM_ENTITY_EXPORT_METHOD",
    "RTM_ROUTE_CHANGE_FLAGS",
    "PRTM_ROUTE_CHANGE_FLAGS",
    "RTM_NEXTHOP_CHANGE_FLAGS",
    "PRTM_NEXTHOP_CHANGE_FLAGS",
    "RTM_MATCH_FLAGS",
    "PRTM_MATCH_FLAGS",
    "RTM_ENUM_FLAGS",
    "PRTM_ENUM_FLAGS",
    "RTM_NOTIFY_FLAGS",
    "PRTM_NOTIFY_FLAGS",
)

#: The constants, enumerators and helper macros of rtmv2.h.
_V2_CONSTANTS: tuple[str, ...] = (
    "RTM_MAX_ADDRESS_SIZE",
    "RTM_MAX_VIEWS",
    "RTM_VIEW_ID_UCAST",
    "RTM_VIEW_ID_MCAST",
    "RTM_VIEW_MASK_SIZE",
    "RTM_VIEW_MASK_NONE",
    "RTM_VIEW_MASK_ANY",
    "RTM_VIEW_MASK_UCAST",
    "RTM_VIEW_MASK_MCAST",
    "RTM_VIEW_MASK_ALL",
    "RTM_BASIC_DEST_INFO_SIZE",
    "RTM_DEST_VIEW_INFO_SIZE",
    "RTM_SIZE_OF_DEST_INFO",
    "RTM_DEST_FLAG_NATURAL_NET",
    "RTM_DEST_FLAG_FWD_ENGIN_ADD",
    "RTM_DEST_FLAG_DONT_FORWARD",
    "RTM_BASIC_ROUTE_INFO_SIZE",
    "RTM_SIZE_OF_ROUTE_INFO",
    "RTM_ROUTE_STATE_CREATED",
    "RTM_ROUTE_STATE_DELETING",
    "RTM_ROUTE_STATE_DELETED",
    "RTM_ROUTE_FLAGS_MARTIAN",
    "RTM_ROUTE_FLAGS_BLACKHOLE",
    "RTM_ROUTE_FLAGS_DISCARD",
    "RTM_ROUTE_FLAGS_INACTIVE",
    "RTM_ROUTE_FLAGS_LOCAL",
    "RTM_ROUTE_FLAGS_REMOTE",
    "RTM_ROUTE_FLAGS_MYSELF",
    "RTM_ROUTE_FLAGS_LOOPBACK",
    "RTM_ROUTE_FLAGS_MCAST",
    "RTM_ROUTE_FLAGS_LOCAL_MCAST",
    "RTM_ROUTE_FLAGS_LIMITED_BC",
    "RTM_ROUTE_FLAGS_ZEROS_NETBC",
    "RTM_ROUTE_FLAGS_ZEROS_SUBNETBC",
    "RTM_ROUTE_FLAGS_ONES_NETBC",
    "RTM_ROUTE_FLAGS_ONES_SUBNETBC",
    "RTM_ROUTE_FLAGS_FORWARDING",
    "RTM_ROUTE_FLAGS_ANY_UNICAST",
    "RTM_ROUTE_FLAGS_ANY_MCAST",
    "RTM_ROUTE_FLAGS_SUBNET_BCAST",
    "RTM_ROUTE_FLAGS_NET_BCAST",
    "RTM_ROUTE_FLAGS_ANY_BCAST",
    "RTM_NEXTHOP_STATE_CREATED",
    "RTM_NEXTHOP_STATE_DELETED",
    "RTM_NEXTHOP_FLAGS_REMOTE",
    "RTM_NEXTHOP_FLAGS_DOWN",
    "METHOD_TYPE_ALL_METHODS",
    "METHOD_RIP2_NEIGHBOUR_ADDR",
    "METHOD_RIP2_OUTBOUND_INTF",
    "METHOD_RIP2_ROUTE_TAG",
    "METHOD_RIP2_ROUTE_TIMESTAMP",
    "METHOD_OSPF_ROUTE_TYPE",
    "METHOD_OSPF_ROUTE_METRIC",
    "METHOD_OSPF_LSDB_TYPE",
    "METHOD_OSPF_ROUTE_TAG",
    "METHOD_OSPF_ROUTE_AREA",
    "METHOD_OSPF_FWD_ADDRESS",
    "METHOD_BGP4_AS_PATH",
    "METHOD_BGP4_PEER_ID",
    "METHOD_BGP4_PA_ORIGIN",
    "METHOD_BGP4_NEXTHOP_ATTR",
    "RTM_RESUME_METHODS",
    "RTM_BLOCK_METHODS",
    "RTM_ROUTE_CHANGE_FIRST",
    "RTM_ROUTE_CHANGE_NEW",
    "RTM_ROUTE_CHANGE_BEST",
    "RTM_NEXTHOP_CHANGE_NEW",
    "RTM_MATCH_NONE",
    "RTM_MATCH_OWNER",
    "RTM_MATCH_NEIGHBOUR",
    "RTM_MATCH_PREF",
    "RTM_MATCH_NEXTHOP",
    "RTM_MATCH_INTERFACE",
    "RTM_MATCH_FULL",
    "RTM_BEST_PROTOCOL",
    "RTM_THIS_PROTOCOL",
    "RTM_ENUM_START",
    "RTM_ENUM_NEXT",
    "RTM_ENUM_RANGE",
    "RTM_ENUM_ALL_DESTS",
    "RTM_ENUM_OWN_DESTS",
    "RTM_ENUM_ALL_ROUTES",
    "RTM_ENUM_OWN_ROUTES",
    "RTM_NUM_CHANGE_TYPES",
    "RTM_CHANGE_TYPE_ALL",
    "RTM_CHANGE_TYPE_BEST",
    "RTM_CHANGE_TYPE_FORWARDING",
    "RTM_NOTIFY_ONLY_MARKED_DESTS",
    "RTM_ENTITY_REGISTERED",
    "RTM_ENTITY_DEREGISTERED",
    "RTM_ROUTE_EXPIRED",
    "RTM_CHANGE_NOTIFICATION",
)

#: The function-like helper macros of rtmv2.h.
_V2_MACROS: tuple[str, ...] = (
    "RTM_IPV4_MAKE_NET_ADDRESS",
    "RTM_CHECK_NTH_BIT",
    "RTM_IPV4_LEN_FROM_MASK",
    "RTM_IPV4_MASK_FROM_LEN",
    "RTM_IPV4_SET_ADDR_AND_LEN",
    "RTM_IPV4_GET_ADDR_AND_LEN",
    "RTM_IPV4_SET_ADDR_AND_MASK",
    "RTM_IPV4_GET_ADDR_AND_MASK",
)


def _v2(name: str, kind: SymbolKind, url: str) -> Symbol:
    return Symbol(name, "rtmv2", kind, "note", "RTMv2 (rtmv2.h)", None, (), (), url)


def _v2_struct_page(name: str) -> str:
    base = name[1:] if name.startswith("PRTM_") else name
    return f"{_V2_DOCS}ns-rtmv2-{base.lower()}"


_V2_SYMBOLS: tuple[Symbol, ...] = (
    *(_v2(name, "function", f"{_V2_DOCS}nf-rtmv2-{name.lower()}") for name in V2_FUNCTIONS),
    *(_v2(name, "type", _v2_struct_page(name)) for name in _V2_STRUCTURES),
    *(_v2("P" + name, "type", _v2_struct_page(name)) for name in _V2_STRUCTURES),
    *(
        _v2(name, "type", f"{_V2_DOCS}ne-rtmv2-rtm_event_type" if "EVENT_TYPE" in name else V2_HEADER_PAGE)
        for name in _V2_TYPES
    ),
    *(_v2(name, "constant", V2_HEADER_PAGE) for name in _V2_CONSTANTS),
    *(_v2(name, "macro", V2_HEADER_PAGE) for name in _V2_MACROS),
)

#: Every known name: rtm.h, the undocumented rtm.dll exports and rtmv2.h.
SYMBOLS: dict[str, Symbol] = {symbol.name: symbol for symbol in (*_V1_SYMBOLS, *_V2_SYMBOLS)}
#: The names a parse has to record arguments for (calls whose flags can be decoded).
CALLABLE: frozenset[str] = frozenset(
    name for name, symbol in SYMBOLS.items() if symbol.kind in ("function", "undocumented", "macro")
)
#: The v1 functions (and the RtmGetSpecificRoute macro and the undocumented exports): a call of one is a
#: ``call`` finding; a function whose body makes one is a wrapper.
V1_FUNCTIONS: frozenset[str] = frozenset(
    name for name, symbol in SYMBOLS.items() if symbol.api == "rtmv1" and symbol.kind in ("function", "undocumented")
)

#: Header file names (compared case-insensitively, last path component) and the API they declare.
HEADERS: dict[str, Api] = {"rtm.h": "rtmv1", "rtmv2.h": "rtmv2"}
INCLUDE_URL: dict[Api, str] = {
    "rtmv1": "https://learn.microsoft.com/windows/win32/rras/routing-table-manager-version-1",
    "rtmv2": V2_HEADER_PAGE,
}
#: The import library and DLL shared by both APIs (each function page: "Library Rtm.lib, DLL Rtm.dll").
LIBRARY_URL = "https://learn.microsoft.com/windows/win32/rras/routing-table-manager-version-1-functions"

#: Which argument of which call carries flags, and how to name them: (0-based index, parameter name, flag set).
FLAG_ARGUMENTS: dict[str, tuple[int, str, str]] = {
    "RtmRegisterClient": (3, "Flags", "registration"),
    "RtmCreateEnumerationHandle": (1, "EnumerationFlags", "enumeration"),
    "RtmBlockDeleteRoutes": (1, "EnumerationFlags", "enumeration"),
    "RtmGetFirstRoute": (1, "EnumerationFlags", "enumeration"),
    "RtmGetNextRoute": (1, "EnumerationFlags", "enumeration"),
}
#: Calls whose first argument (or the argument given) is a protocol family.
FAMILY_ARGUMENTS: dict[str, int] = {
    "RtmRegisterClient": 0,
    "RtmIsRoute": 0,
    "RtmGetNetworkCount": 0,
    "RtmCreateEnumerationHandle": 0,
    "RtmGetFirstRoute": 0,
    "RtmGetNextRoute": 0,
    "RtmGetSpecificRoute": 0,
}
#: Flag values by flag set (rtm.h).
FLAG_SETS: dict[str, tuple[tuple[int, str], ...]] = {
    "enumeration": (
        (0x1, "RTM_ONLY_THIS_NETWORK"),
        (0x2, "RTM_ONLY_THIS_INTERFACE"),
        (0x4, "RTM_ONLY_THIS_PROTOCOL"),
        (0x8, "RTM_ONLY_BEST_ROUTES"),
    ),
    "registration": ((0x1, "RTM_PROTOCOL_SINGLE_ROUTE"),),
}
#: The value of each rtm.h constant an argument expression may name.
CONSTANT_VALUES: dict[str, int] = {
    "RTM_ONLY_THIS_NETWORK": 0x1,
    "RTM_ONLY_THIS_INTERFACE": 0x2,
    "RTM_ONLY_THIS_PROTOCOL": 0x4,
    "RTM_ONLY_BEST_ROUTES": 0x8,
    "RTM_PROTOCOL_SINGLE_ROUTE": 0x1,
    "RTM_PROTOCOL_FAMILY_IPX": 0,
    "RTM_PROTOCOL_FAMILY_IP": 1,
}
FAMILIES: dict[int, str] = {0: "RTM_PROTOCOL_FAMILY_IPX", 1: "RTM_PROTOCOL_FAMILY_IP"}
#: The flags RtmGetSpecificRoute passes to RtmGetFirstRoute (rtm.h).
GET_SPECIFIC_ROUTE_FLAGS = 0x1 | 0x4 | 0x2
