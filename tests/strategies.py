"""Hypothesis strategies for the project's tests, in one module.

Theory of operation
-------------------
Routing-table bugs hide where prefixes collide, nest and tie, so the strategies draw from *small pools* on purpose:
a handful of nested and sibling prefixes per address family (exact collisions, longest-prefix chains, equal
addresses with different lengths), costs with a tiny range (many equal (Preference, Metric) pairs) and the few
view masks RTM supports. Random values from the whole address space would almost never meet each other.

Sections
--------
1. Address families and prefixes: ``ipaddress`` networks from the pools, ``RTM_NET_ADDRESS`` values, host
   addresses inside and around the pools.
2. RTMv2 route attributes: ``RTM_PREF_INFO``, view masks, route flags, ``RTM_ROUTE_CHANGE_*`` input flags.
3. RTMv1 routes (``rtmcompat``): ``RTM_IP_ROUTE`` and friends belong here when the v1 tests need them.

Everything here is a plain function returning a strategy (or a constant pool), so tests combine them freely;
nothing here drives an RTM.
"""

from __future__ import annotations

import ipaddress
from functools import reduce
from operator import or_
from typing import TypeAlias

from hypothesis import strategies as st

from v2model import (
    AF_INET,
    AF_INET6,
    RTM_NET_ADDRESS,
    RTM_PREF_INFO,
    RTM_ROUTE_CHANGE_FIRST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_FLAGS_BLACKHOLE,
    RTM_ROUTE_FLAGS_DISCARD,
    RTM_ROUTE_FLAGS_INACTIVE,
    RTM_ROUTE_FLAGS_LOCAL,
    RTM_ROUTE_FLAGS_MARTIAN,
    RTM_ROUTE_FLAGS_MCAST,
    RTM_ROUTE_FLAGS_REMOTE,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

Network: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
Address: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

# =====================================================================================================
# 1. Address families and prefixes
# =====================================================================================================

#: The address families the v2 model serves for IP (IPX is a model extension and has its own helpers).
IP_FAMILIES = (AF_INET, AF_INET6)

#: IPv4 prefixes: a nested chain 0/0 > 10/8 > 10.1/16 > 10.1.2/24 > 10.1.2.3/32, siblings at each level,
#: one address with two lengths (10.0.0.0/8 and /16) and a second, disjoint tree (192.168/16).
IPV4_PREFIX_POOL: tuple[ipaddress.IPv4Network, ...] = tuple(
    ipaddress.IPv4Network(p)
    for p in (
        "0.0.0.0/0",
        "10.0.0.0/8",
        "10.0.0.0/16",
        "10.1.0.0/16",
        "10.1.2.0/24",
        "10.1.2.3/32",
        "10.1.3.0/24",
        "10.128.0.0/9",
        "192.168.0.0/16",
        "192.168.1.0/24",
    )
)

#: IPv6 prefixes with the same shape as the IPv4 pool.
IPV6_PREFIX_POOL: tuple[ipaddress.IPv6Network, ...] = tuple(
    ipaddress.IPv6Network(p)
    for p in (
        "::/0",
        "2001:db8::/32",
        "2001:db8::/48",
        "2001:db8:1::/48",
        "2001:db8:1:2::/64",
        "2001:db8:1:2::3/128",
        "2001:db8:1:3::/64",
        "2001:db8:8000::/33",
        "fd00::/8",
        "fd00:1::/32",
    )
)

PREFIX_POOLS: dict[int, tuple[Network, ...]] = {AF_INET: IPV4_PREFIX_POOL, AF_INET6: IPV6_PREFIX_POOL}


def ip_families() -> st.SearchStrategy[int]:
    """AF_INET or AF_INET6, shrinking towards AF_INET."""
    return st.sampled_from(IP_FAMILIES)


def networks(family: int = AF_INET) -> st.SearchStrategy[Network]:
    """A prefix from the family's small pool (collisions and nesting are the point)."""
    return st.sampled_from(PREFIX_POOLS[family])


def net_addresses(family: int = AF_INET, *, host_bits: bool = False) -> st.SearchStrategy[RTM_NET_ADDRESS]:
    """A destination ``RTM_NET_ADDRESS`` from the family's pool.

    With ``host_bits`` some of the bits beyond the prefix length may be set, as careless callers do (the model
    must clear them: V2-2.3); by default the address is canonical.
    """
    canonical = networks(family).map(lambda net: net_address(str(net)))
    if not host_bits:
        return canonical

    @st.composite
    def dirty(draw: st.DrawFn) -> RTM_NET_ADDRESS:
        net = draw(networks(family))
        offset = draw(st.integers(0, net.num_addresses - 1))
        host = net.network_address + offset
        return net_address(f"{host}/{net.prefixlen}")

    return st.one_of(canonical, dirty())


def host_addresses(family: int = AF_INET) -> st.SearchStrategy[Address]:
    """A host address that usually falls inside (or just beside) a pool prefix: its first or last address, a
    random address in it, or one address past either end; sometimes any address at all."""
    width = 32 if family == AF_INET else 128
    top = (1 << width) - 1

    def make(value: int) -> Address:
        return ipaddress.ip_address(value) if family == AF_INET else ipaddress.IPv6Address(value)

    @st.composite
    def near_pool(draw: st.DrawFn) -> Address:
        net = draw(networks(family))
        first = int(net.network_address)
        last = int(net.broadcast_address)
        value = draw(
            st.one_of(
                st.sampled_from((first, last, max(first - 1, 0), min(last + 1, top))),
                st.integers(first, last),
            )
        )
        return make(value)

    return st.one_of(near_pool(), st.integers(0, top).map(make))


def host_net_addresses(family: int = AF_INET) -> st.SearchStrategy[RTM_NET_ADDRESS]:
    """A host address (/32 or /128) as an ``RTM_NET_ADDRESS``, for longest-prefix lookups."""
    return host_addresses(family).map(lambda a: net_address(str(a)))


# =====================================================================================================
# 2. RTMv2 route attributes
# =====================================================================================================

#: Preferences and metrics come from tiny ranges so that equal costs (V2-A-tie) are common.
PREFERENCES = (0, 1, 2)
METRICS = (1, 2, 3)


def preferences() -> st.SearchStrategy[int]:
    """An administrative preference from a tiny range (lower is better)."""
    return st.sampled_from(PREFERENCES)


def metrics() -> st.SearchStrategy[int]:
    """A protocol metric from a tiny range (lower is better)."""
    return st.sampled_from(METRICS)


def pref_infos() -> st.SearchStrategy[RTM_PREF_INFO]:
    """An ``RTM_PREF_INFO`` with many ties: 3 x 3 possible (Preference, Metric) pairs."""
    return st.builds(RTM_PREF_INFO, Metric=metrics(), Preference=preferences())


#: The view masks a route or query uses with the default profile: none/ANY, unicast, multicast, both.
VIEW_MASKS = (RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_ANY)


def view_masks(*, allow_none: bool = True) -> st.SearchStrategy[int]:
    """A view mask: UCAST, MCAST, both, or (unless ``allow_none`` is False) 0 (a route in no view / ANY)."""
    return st.sampled_from(VIEW_MASKS if allow_none else VIEW_MASKS[:3])


#: Route flags worth distinguishing: the forwarding bits (Flags & 0x000F; a change limited to the other bits is
#: not an RTM_CHANGE_TYPE_FORWARDING change) and a few non-forwarding ones.
FORWARDING_ROUTE_FLAGS = (
    RTM_ROUTE_FLAGS_MARTIAN,
    RTM_ROUTE_FLAGS_BLACKHOLE,
    RTM_ROUTE_FLAGS_DISCARD,
    RTM_ROUTE_FLAGS_INACTIVE,
)
NON_FORWARDING_ROUTE_FLAGS = (RTM_ROUTE_FLAGS_LOCAL, RTM_ROUTE_FLAGS_REMOTE, RTM_ROUTE_FLAGS_MCAST)


def route_flags() -> st.SearchStrategy[int]:
    """An ``RTM_ROUTE_INFO.Flags`` value: 0 or an OR of a few forwarding and non-forwarding bits."""
    bits = st.sampled_from((RTM_ROUTE_FLAGS_BLACKHOLE, RTM_ROUTE_FLAGS_INACTIVE, *NON_FORWARDING_ROUTE_FLAGS[:2]))
    return st.one_of(st.just(0), st.sets(bits, min_size=1, max_size=2).map(lambda s: reduce(or_, s, 0)))


def route_change_flags() -> st.SearchStrategy[int]:
    """The input ``ChangeFlags`` of RtmAddRouteToDest: 0 (match on identity), RTM_ROUTE_CHANGE_NEW or
    RTM_ROUTE_CHANGE_FIRST."""
    return st.sampled_from((0, RTM_ROUTE_CHANGE_NEW, RTM_ROUTE_CHANGE_FIRST))


# =====================================================================================================
# 3. RTMv1 routes (rtmcompat)
# =====================================================================================================
# Strategies for RTM_IP_ROUTE / RTM_IPX_ROUTE, v1 client registrations and v1 call sequences go here, reusing the
# prefix pools of section 1 (ip_network(str(net)) gives the v1 IP_NETWORK of a pool prefix).


# ---------------------------------------------------------------------------------------------------------------
# v1 routes (rtmcompat): written for tests/rtmcompat; everything above this line belongs to the v2 strategies.
# ---------------------------------------------------------------------------------------------------------------

from typing import NamedTuple  # noqa: E402

from rtmcompat import (  # noqa: E402
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    ip_network,
)

#: Interfaces and next hops of v1 routes: two of each, so identities (network, protocol, interface, next hop)
#: collide often.
V1_INTERFACES = (1, 2)
V1_NEXT_HOPS = ("192.0.2.1", "192.0.2.2")
#: IPX next-hop MAC addresses.
V1_MACS = (bytes.fromhex("00000c000001"), bytes.fromhex("00000c000002"))
#: IPX network numbers: nearby values so that the canonical order is exercised.
V1_IPX_NETWORKS = (0x0000000A, 0x0000000B, 0x00010000)


def v1_ip_networks() -> st.SearchStrategy[IP_NETWORK]:
    """A v1 ``IP_NETWORK`` from the IPv4 prefix pool (V1-A1 byte order via ``ip_network``)."""
    return networks(AF_INET).map(lambda net: ip_network(str(net)))


def v1_ip_routes(nets: st.SearchStrategy[IP_NETWORK] | None = None) -> st.SearchStrategy[RTM_IP_ROUTE]:
    """An ``RTM_IP_ROUTE`` as a caller fills it in: a pool network, one of two interfaces and next hops, a tiny
    metric range (ties are common) and sometimes protocol-specific data (never significant)."""
    return st.builds(
        lambda net, ifindex, nexthop, metric, psd: RTM_IP_ROUTE(
            RR_InterfaceID=ifindex,
            RR_ProtocolSpecificData=PROTOCOL_SPECIFIC_DATA([psd, 0, 0, 0]),
            RR_Network=net,
            RR_NextHopAddress=ip_network(nexthop),
            RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
        ),
        nets if nets is not None else v1_ip_networks(),
        st.sampled_from(V1_INTERFACES),
        st.sampled_from(V1_NEXT_HOPS),
        metrics(),
        st.sampled_from((0, 7)),
    )


def v1_ipx_routes() -> st.SearchStrategy[RTM_IPX_ROUTE]:
    """An ``RTM_IPX_ROUTE``: a pool network number, interface, MAC, and tiny tick and hop ranges."""
    return st.builds(
        lambda net, ifindex, mac, ticks, hops: RTM_IPX_ROUTE(
            RR_InterfaceID=ifindex,
            RR_Network=IPX_NETWORK(net),
            RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(mac),
            RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_TickCount=ticks, FSD_HopCount=hops),
        ),
        st.sampled_from(V1_IPX_NETWORKS),
        st.sampled_from(V1_INTERFACES),
        st.sampled_from(V1_MACS),
        st.sampled_from((1, 2)),
        st.sampled_from((1, 2)),
    )


class V1Step(NamedTuple):
    """One step of a v1 call sequence by client number ``client`` after the clock moved ``elapse_ms``: ``kind``
    is "add" (RtmAddRoute of ``route``), "delete" (RtmDeleteRoute), "block" (RtmBlockDeleteRoutes with
    ``flags`` and ``route`` as the criteria) or "rereg" (RtmDeregisterClient, then the same protocol registers
    again)."""

    kind: str
    client: int
    route: RTM_IP_ROUTE
    elapse_ms: int
    flags: int = 0
    #: TimeToLive in seconds of an "add" (0xFFFFFFFF: INFINITE)
    ttl: int = 0xFFFFFFFF


V1_STEP_KINDS = ("add", "add", "delete")
#: RTM_ONLY_THIS_NETWORK (1) and RTM_ONLY_THIS_INTERFACE (2): the criteria RtmBlockDeleteRoutes uses.
V1_BLOCK_FLAGS = (0, 1, 2, 3)


def v1_steps(
    clients: int,
    nets: st.SearchStrategy[IP_NETWORK] | None = None,
    kinds: tuple[str, ...] = V1_STEP_KINDS,
    ttls: tuple[int, ...] = (0xFFFFFFFF,),
) -> st.SearchStrategy[V1Step]:
    """A v1 call of a random client (deletes of absent routes included); adds use a TTL from ``ttls``
    (seconds)."""
    return st.builds(
        V1Step,
        st.sampled_from(kinds),
        st.integers(0, clients - 1),
        v1_ip_routes(nets),
        st.sampled_from((0, 0, 1500)),
        st.sampled_from(V1_BLOCK_FLAGS),
        st.sampled_from(ttls),
    )
