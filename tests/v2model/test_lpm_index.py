"""Longest-prefix match against a brute-force oracle (V2-A-lpm), on tables that grow and shrink.

The model probes only the prefix lengths its index lists near an address (fine bucket, coarse bucket, the
table's shortest lengths), and a removal only marks a fine bucket stale. These tests drive random adds, deletes
and lookups, IPv4 and IPv6, with prefixes drawn close together so buckets fill, empty and fill again, and compare
every RtmGetMostSpecificDestination and RtmGetLessSpecificDestination with the longest covering prefix computed
the slow way; ``check_invariants`` checks the index itself after every step.
"""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

import v2model
from v2model import (
    AF_INET,
    AF_INET6,
    ERROR_NOT_FOUND,
    NO_ERROR,
    NULL,
    PROTO_IP_OSPF,
    RTM_BEST_PROTOCOL,
    RTM_VIEW_MASK_ANY,
    RTM_VIEW_MASK_UCAST,
    net_address,
)

from .support import nexthop, register, route_info

#: (family, width, a base address the prefixes cluster around, where the next hop lives)
FAMILIES = {
    4: (AF_INET, 32, int(ipaddress.IPv4Address("10.20.0.0")), "192.0.2.1"),
    6: (AF_INET6, 128, int(ipaddress.IPv6Address("2001:db8::")), "2001:db8:ffff::1"),
}


def _text(version: int, addr: int, nbits: int) -> str:
    address = ipaddress.IPv4Address(addr) if version == 4 else ipaddress.IPv6Address(addr)
    return f"{address}/{nbits}"


@st.composite
def _prefix(draw: st.DrawFn, version: int) -> tuple[int, int]:
    """A prefix near the family's base: the top bits shared, so several land in one bucket; any length."""
    _, width, base, _ = FAMILIES[version]
    nbits = draw(st.integers(0, width))
    spread = draw(st.integers(0, width))  # how many low bits vary: near or far from the base
    addr = base ^ draw(st.integers(0, (1 << spread) - 1))
    mask = ((1 << nbits) - 1) << (width - nbits)
    return addr & mask, nbits


def _host(data: st.DataObject, version: int, prefixes: list[tuple[int, int]]) -> int:
    """A host inside one of the prefixes (most), or anywhere near the base."""
    _, width, base, _ = FAMILIES[version]
    inside = data.draw(st.booleans())
    if prefixes and inside:
        addr, nbits = data.draw(st.sampled_from(prefixes))
        return addr | data.draw(st.integers(0, (1 << (width - nbits)) - 1))
    return base ^ data.draw(st.integers(0, (1 << data.draw(st.integers(0, width))) - 1))


def _oracle(present: set[tuple[int, int]], width: int, host: int, max_bits: int) -> tuple[int, int] | None:
    """The longest present prefix of at most ``max_bits`` bits covering ``host``, by trying them all."""
    best = None
    for addr, nbits in present:
        mask = ((1 << nbits) - 1) << (width - nbits)
        if nbits <= max_bits and host & mask == addr and (best is None or nbits > best[1]):
            best = (addr, nbits)
    return best


class TestLongestPrefixMatchIndex:
    @settings(max_examples=60, deadline=None)
    @given(data=st.data(), version=st.sampled_from((4, 6)))
    def test_most_and_less_specific_agree_with_the_oracle(self, data: st.DataObject, version: int) -> None:
        """After every add or delete, lookups of random hosts find the longest covering present prefix (or
        ERROR_NOT_FOUND), and walking up from a destination finds the next shorter covering one."""
        af, _, _, hop = FAMILIES[version]
        rtm = v2model.RoutingTableManager(clock=v2model.ManualClock())
        ent = register(rtm, PROTO_IP_OSPF, af=af)
        info = route_info(nexthop(rtm, ent, hop, 1))
        present: set[tuple[int, int]] = set()
        for _ in range(data.draw(st.integers(1, 40))):
            if present and data.draw(st.integers(0, 2)) == 0:
                addr, nbits = data.draw(st.sampled_from(sorted(present)))
                status, dest_info = rtm.RtmGetExactMatchDestination(
                    ent, net_address(_text(version, addr, nbits)), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST
                )
                assert NO_ERROR == status
                assert dest_info is not None
                route = dest_info.ViewInfo[0].Route
                assert route is not None
                assert NO_ERROR == rtm.RtmReleaseDestInfo(ent, dest_info).status
                assert NO_ERROR == rtm.RtmReferenceHandles(ent, 1, [route]).status
                assert NO_ERROR == rtm.RtmDeleteRouteToDest(ent, route).status
                present.discard((addr, nbits))
            else:
                addr, nbits = data.draw(_prefix(version))
                dest = net_address(_text(version, addr, nbits))
                assert NO_ERROR == rtm.RtmAddRouteToDest(ent, NULL, dest, info, 0xFFFFFFFF, None, 0, None, 0).status
                present.add((addr, nbits))
            rtm.check_invariants()
            for _ in range(3):
                host = _host(data, version, sorted(present))
                self._check_lookup(rtm, ent, version, present, host)

    @staticmethod
    def _check_lookup(
        rtm: v2model.RoutingTableManager, ent: v2model.Entity, version: int, present: set[tuple[int, int]], host: int
    ) -> None:
        _, width, _, _ = FAMILIES[version]
        expected = _oracle(present, width, host, width)
        status, info = rtm.RtmGetMostSpecificDestination(
            ent, net_address(_text(version, host, width)), RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY
        )
        found = None
        if info is not None:
            found = (int.from_bytes(info.DestAddress.AddrBits[: width // 8], "big"), info.DestAddress.NumBits)
        assert (ERROR_NOT_FOUND if expected is None else NO_ERROR, expected) == (status, found)
        if info is None:
            return
        status, less = rtm.RtmGetLessSpecificDestination(ent, info.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY)
        up = _oracle(present, width, host, found[1] - 1) if found is not None and found[1] else None
        got = None
        if less is not None:
            got = (int.from_bytes(less.DestAddress.AddrBits[: width // 8], "big"), less.DestAddress.NumBits)
            assert NO_ERROR == rtm.RtmReleaseDestInfo(ent, less).status
        assert (ERROR_NOT_FOUND if up is None else NO_ERROR, up) == (status, got)
        assert NO_ERROR == rtm.RtmReleaseDestInfo(ent, info).status
