"""Every RTMv2 constant with its rtmv2.h / routprot.h / winsock value (V2-4)."""

from __future__ import annotations

from typing import Final

# --- Windows values used by the API (V2-4.11) ----------------------------------------------------
INFINITE: Final = 0xFFFFFFFF
AF_INET: Final = 2
AF_IPX: Final = 6  # model extension: Windows served IPX only through RTMv1
AF_INET6: Final = 23
TRUE: Final = 1
FALSE: Final = 0

# --- General / views (4.1) ----------------------------------------------------------------------
RTM_MAX_ADDRESS_SIZE: Final = 16
RTM_MAX_VIEWS: Final = 32
RTM_VIEW_ID_UCAST: Final = 0
RTM_VIEW_ID_MCAST: Final = 1
RTM_VIEW_MASK_SIZE: Final = 0x20
RTM_VIEW_MASK_NONE: Final = 0x00000000
RTM_VIEW_MASK_ANY: Final = 0x00000000
RTM_VIEW_MASK_UCAST: Final = 0x00000001
RTM_VIEW_MASK_MCAST: Final = 0x00000002
RTM_VIEW_MASK_ALL: Final = 0xFFFFFFFF

# --- Destination flags (4.2; semantics undocumented, never set by the model) -----------------------
RTM_DEST_FLAG_NATURAL_NET: Final = 0x01
RTM_DEST_FLAG_FWD_ENGIN_ADD: Final = 0x02
RTM_DEST_FLAG_DONT_FORWARD: Final = 0x04

# --- Route state and flags (4.3, 4.4) -------------------------------------------------------------
RTM_ROUTE_STATE_CREATED: Final = 0
RTM_ROUTE_STATE_DELETING: Final = 1
RTM_ROUTE_STATE_DELETED: Final = 2

RTM_ROUTE_FLAGS_MARTIAN: Final = 0x0001
RTM_ROUTE_FLAGS_BLACKHOLE: Final = 0x0002
RTM_ROUTE_FLAGS_DISCARD: Final = 0x0004
RTM_ROUTE_FLAGS_INACTIVE: Final = 0x0008
RTM_ROUTE_FLAGS_LOCAL: Final = 0x0010
RTM_ROUTE_FLAGS_REMOTE: Final = 0x0020
RTM_ROUTE_FLAGS_MYSELF: Final = 0x0040
RTM_ROUTE_FLAGS_LOOPBACK: Final = 0x0080
RTM_ROUTE_FLAGS_MCAST: Final = 0x0100
RTM_ROUTE_FLAGS_LOCAL_MCAST: Final = 0x0200
RTM_ROUTE_FLAGS_LIMITED_BC: Final = 0x0400
RTM_ROUTE_FLAGS_ZEROS_NETBC: Final = 0x1000
RTM_ROUTE_FLAGS_ZEROS_SUBNETBC: Final = 0x2000
RTM_ROUTE_FLAGS_ONES_NETBC: Final = 0x4000
RTM_ROUTE_FLAGS_ONES_SUBNETBC: Final = 0x8000
RTM_ROUTE_FLAGS_FORWARDING: Final = 0x000F
RTM_ROUTE_FLAGS_ANY_UNICAST: Final = 0x0070
RTM_ROUTE_FLAGS_ANY_MCAST: Final = 0x0300
RTM_ROUTE_FLAGS_NET_BCAST: Final = 0x5000
# The headers spell a member of these two groups RTM_ROUTE_FLAGS_ONES_SUBNET_BC, which is never defined,
# so they do not compile as written; these are the intended values (V2-4.4).
RTM_ROUTE_FLAGS_SUBNET_BCAST: Final = 0xA000
RTM_ROUTE_FLAGS_ANY_BCAST: Final = 0xF400

# --- Next hops (4.5) ------------------------------------------------------------------------------
RTM_NEXTHOP_STATE_CREATED: Final = 0
RTM_NEXTHOP_STATE_DELETED: Final = 1
RTM_NEXTHOP_FLAGS_REMOTE: Final = 0x0001
RTM_NEXTHOP_FLAGS_DOWN: Final = 0x0002
RTM_NEXTHOP_CHANGE_NEW: Final = 0x01

# --- Route change flags (4.6) ---------------------------------------------------------------------
RTM_ROUTE_CHANGE_FIRST: Final = 0x01
RTM_ROUTE_CHANGE_NEW: Final = 0x02
RTM_ROUTE_CHANGE_BEST: Final = 0x00010000

# --- Matching flags and protocol selectors (4.7) -----------------------------------------------------
RTM_MATCH_NONE: Final = 0x00000000
RTM_MATCH_OWNER: Final = 0x00000001
RTM_MATCH_NEIGHBOUR: Final = 0x00000002
RTM_MATCH_PREF: Final = 0x00000004
RTM_MATCH_NEXTHOP: Final = 0x00000008
RTM_MATCH_INTERFACE: Final = 0x00000010
RTM_MATCH_FULL: Final = 0x0000FFFF
RTM_BEST_PROTOCOL: Final = 0
RTM_THIS_PROTOCOL: Final = 0xFFFFFFFF

# --- Enumeration flags (4.8) ----------------------------------------------------------------------
RTM_ENUM_START: Final = 0x00000000
RTM_ENUM_NEXT: Final = 0x00000001
RTM_ENUM_RANGE: Final = 0x00000002
RTM_ENUM_ALL_DESTS: Final = 0x00000000
RTM_ENUM_OWN_DESTS: Final = 0x01000000
RTM_ENUM_ALL_ROUTES: Final = 0x00000000
RTM_ENUM_OWN_ROUTES: Final = 0x00010000

# --- Notification flags (4.9) ---------------------------------------------------------------------
RTM_NUM_CHANGE_TYPES: Final = 3
RTM_CHANGE_TYPE_ALL: Final = 0x0001
RTM_CHANGE_TYPE_BEST: Final = 0x0002
RTM_CHANGE_TYPE_FORWARDING: Final = 0x0004
RTM_NOTIFY_ONLY_MARKED_DESTS: Final = 0x00010000

# --- Events, methods, blocking (4.10) -----------------------------------------------------------------
RTM_ENTITY_REGISTERED: Final = 0
RTM_ENTITY_DEREGISTERED: Final = 1
RTM_ROUTE_EXPIRED: Final = 2
RTM_CHANGE_NOTIFICATION: Final = 3

METHOD_TYPE_ALL_METHODS: Final = 0xFFFFFFFF
METHOD_RIP2_NEIGHBOUR_ADDR: Final = 0x00000001
METHOD_RIP2_OUTBOUND_INTF: Final = 0x00000002
METHOD_RIP2_ROUTE_TAG: Final = 0x00000004
METHOD_RIP2_ROUTE_TIMESTAMP: Final = 0x00000008
METHOD_OSPF_ROUTE_TYPE: Final = 0x00000001
METHOD_OSPF_ROUTE_METRIC: Final = 0x00000002
METHOD_OSPF_LSDB_TYPE: Final = 0x00000004
METHOD_OSPF_ROUTE_TAG: Final = 0x00000008
METHOD_OSPF_ROUTE_AREA: Final = 0x00000010
METHOD_OSPF_FWD_ADDRESS: Final = 0x00000020
METHOD_BGP4_AS_PATH: Final = 0x00000001
METHOD_BGP4_PEER_ID: Final = 0x00000002
METHOD_BGP4_PA_ORIGIN: Final = 0x00000004
METHOD_BGP4_NEXTHOP_ATTR: Final = 0x00000008
RTM_RESUME_METHODS: Final = 0
RTM_BLOCK_METHODS: Final = 1
# RtmBlockMethods target types: named by the docs, defined by no public header (V2-4.10, V2-A-methods).
# These values are model-local.
DEST_TYPE: Final = 1
ROUTE_TYPE: Final = 2
NEXTHOP_TYPE: Final = 3

# --- Protocol identifiers (4.12, routprot.h) ---------------------------------------------------------
PROTO_TYPE_UCAST: Final = 0
PROTO_TYPE_MCAST: Final = 1
PROTO_TYPE_MS0: Final = 2
PROTO_TYPE_MS1: Final = 3
PROTO_VENDOR_MS0: Final = 0x0000
PROTO_VENDOR_MS1: Final = 0x137
PROTO_VENDOR_MS2: Final = 0x3FFF

PROTO_IP_OTHER: Final = 1
PROTO_IP_LOCAL: Final = 2
PROTO_IP_NETMGMT: Final = 3
PROTO_IP_ICMP: Final = 4
PROTO_IP_EGP: Final = 5
PROTO_IP_GGP: Final = 6
PROTO_IP_HELLO: Final = 7
PROTO_IP_RIP: Final = 8
PROTO_IP_IS_IS: Final = 9
PROTO_IP_ES_IS: Final = 10
PROTO_IP_CISCO: Final = 11
PROTO_IP_BBN: Final = 12
PROTO_IP_OSPF: Final = 13
PROTO_IP_BGP: Final = 14
PROTO_IP_MSDP: Final = 9
PROTO_IP_IGMP: Final = 10
PROTO_IP_BGMP: Final = 11
PROTO_IP_VRRP: Final = 112
PROTO_IP_BOOTP: Final = 9999
PROTO_IP_NT_AUTOSTATIC: Final = 10002
PROTO_IP_DNS_PROXY: Final = 10003
PROTO_IP_DHCP_ALLOCATOR: Final = 10004
PROTO_IP_NAT: Final = 10005
PROTO_IP_NT_STATIC: Final = 10006
PROTO_IP_NT_STATIC_NON_DOD: Final = 10007
PROTO_IP_DIFFSERV: Final = 10008
PROTO_IP_MGM: Final = 10009
PROTO_IP_ALG: Final = 10010
PROTO_IP_H323: Final = 10011
PROTO_IP_FTP: Final = 10012
PROTO_IP_DTP: Final = 10013


def PROTOCOL_ID(Type: int, VendorId: int, ProtocolId: int) -> int:  # noqa: N802, N803
    """The routprot.h macro: ``((Type & 3) << 30) | ((VendorId & 0x3FFF) << 16) | (ProtocolId & 0xFFFF)``."""
    return ((Type & 0x3) << 30) | ((VendorId & 0x3FFF) << 16) | (ProtocolId & 0xFFFF)


MS_IP_RIP: Final = PROTOCOL_ID(PROTO_TYPE_UCAST, PROTO_VENDOR_MS0, PROTO_IP_RIP)
MS_IP_OSPF: Final = PROTOCOL_ID(PROTO_TYPE_UCAST, PROTO_VENDOR_MS0, PROTO_IP_OSPF)
MS_IP_BGP: Final = PROTOCOL_ID(PROTO_TYPE_UCAST, PROTO_VENDOR_MS1, PROTO_IP_BGP)

#: Short names of the unicast protocol ids, for readable handle names (``<entity OSPF#3>``).
PROTOCOL_NAMES: Final[dict[int, str]] = {
    PROTO_IP_OTHER: "OTHER",
    PROTO_IP_LOCAL: "LOCAL",
    PROTO_IP_NETMGMT: "NETMGMT",
    PROTO_IP_ICMP: "ICMP",
    PROTO_IP_EGP: "EGP",
    PROTO_IP_GGP: "GGP",
    PROTO_IP_HELLO: "HELLO",
    PROTO_IP_RIP: "RIP",
    PROTO_IP_IS_IS: "IS_IS",
    PROTO_IP_ES_IS: "ES_IS",
    PROTO_IP_CISCO: "CISCO",
    PROTO_IP_BBN: "BBN",
    PROTO_IP_OSPF: "OSPF",
    PROTO_IP_BGP: "BGP",
    MS_IP_BGP: "BGP",
    PROTO_IP_VRRP: "VRRP",
    PROTO_IP_BOOTP: "BOOTP",
    PROTO_IP_NT_AUTOSTATIC: "NT_AUTOSTATIC",
    PROTO_IP_DNS_PROXY: "DNS_PROXY",
    PROTO_IP_DHCP_ALLOCATOR: "DHCP_ALLOCATOR",
    PROTO_IP_NAT: "NAT",
    PROTO_IP_NT_STATIC: "NT_STATIC",
    PROTO_IP_NT_STATIC_NON_DOD: "NT_STATIC_NON_DOD",
    PROTO_IP_DIFFSERV: "DIFFSERV",
    PROTO_IP_MGM: "MGM",
    PROTO_IP_ALG: "ALG",
    PROTO_IP_H323: "H323",
    PROTO_IP_FTP: "FTP",
    PROTO_IP_DTP: "DTP",
}
