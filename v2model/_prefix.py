"""Prefixes as plain ints: address families, masks, destination keys and readable formatting.

Inside the model a prefix is a pair of ints ``(addr, nbits)`` with the host bits cleared (V2-2.3: addresses with
host bits set are normalised on input) and a destination's sort key is ``addr << 8 | nbits``, which orders
destinations by address, then by prefix length (shorter first): the pre-order of a prefix trie (V2-A-enum-order).
This module knows no structure type, so every layer can use it (``_addr`` converts RTM_NET_ADDRESS to and from it).
"""

from __future__ import annotations

import ipaddress

import attrs

from ._constants import AF_INET, AF_INET6, AF_IPX, RTM_MAX_ADDRESS_SIZE

KEY_SHIFT = 8  # bits of the prefix length in a destination key


@attrs.frozen
class Family:
    """What the model knows about one address family."""

    af: int
    name: str
    #: Longest destination prefix.
    bits: int
    #: Longest next-hop address (IPX next hops are 48-bit node addresses or 80-bit network.node).
    nexthop_bits: int

    @property
    def nbytes(self) -> int:
        """Bytes of AddrBits a destination of this family uses."""
        return (self.bits + 7) // 8


FAMILIES: dict[int, Family] = {
    AF_INET: Family(AF_INET, "IPv4", 32, 32),
    AF_INET6: Family(AF_INET6, "IPv6", 128, 128),
    AF_IPX: Family(AF_IPX, "IPX", 32, 80),
}

#: The address families the model serves by default; IPX is a labelled model extension.
DEFAULT_ADDRESS_FAMILIES = frozenset({AF_INET, AF_INET6, AF_IPX})

#: ``_MASKS[bits][n]``: the mask of an n-bit prefix in a ``bits``-wide address.
_MASKS: dict[int, tuple[int, ...]] = {
    width: tuple(((1 << n) - 1) << (width - n) for n in range(width + 1)) for width in (32, 80, 128)
}


def prefix_masks(width: int) -> tuple[int, ...]:
    """Every prefix mask of a ``width``-bit address, by length."""
    return _MASKS[width]


def prefix_mask(width: int, nbits: int) -> int:
    """The mask of an ``nbits``-long prefix in a ``width``-bit address."""
    return _MASKS[width][nbits]


def dest_key(addr: int, nbits: int) -> int:
    """The sort and lookup key of a destination prefix."""
    return (addr << KEY_SHIFT) | nbits


def addr_of_bytes(raw: bytes, width: int) -> int:
    """The ``width``-bit address held in the first bytes of ``raw`` (network order)."""
    nbytes = (width + 7) // 8
    return int.from_bytes(raw[:nbytes], "big") >> (nbytes * 8 - width)


def bytes_of_addr(addr: int, width: int) -> bytes:
    """A ``width``-bit address as AddrBits: network order, padded to RTM_MAX_ADDRESS_SIZE bytes."""
    nbytes = (width + 7) // 8
    raw = (addr << (nbytes * 8 - width)).to_bytes(nbytes, "big")
    return raw + bytes(RTM_MAX_ADDRESS_SIZE - nbytes)


def safe_repr(value: object) -> str:
    """``repr(value)``, or the type's name when that repr raises (messages must never raise)."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def format_prefix(af: int, addr: int, nbits: int, width: int | None = None) -> str:
    """``10.1.0.0/16``, ``2001:db8::/32`` or ``ipx:0000abcd/32`` for an int prefix."""
    if af == AF_INET and 0 <= addr <= 0xFFFFFFFF:  # what ipaddress.IPv4Address prints, without making one
        return f"{addr >> 24}.{addr >> 16 & 255}.{addr >> 8 & 255}.{addr & 255}/{nbits}"
    if af == AF_INET:
        return f"{ipaddress.IPv4Address(addr)}/{nbits}"
    if af == AF_INET6:
        return f"{ipaddress.IPv6Address(addr)}/{nbits}"
    if af == AF_IPX:
        digits = ((width or 32) + 3) // 4
        return f"ipx:{addr:0{digits}x}/{nbits}"
    return f"af{af}:{addr:x}/{nbits}"


def format_address(af: object, bits: object, raw: object) -> str:
    """A readable form of the three fields of an RTM_NET_ADDRESS, whatever they hold; never raises."""
    family = FAMILIES.get(af) if type(af) is int else None
    if family is None or type(raw) is not bytes or len(raw) != RTM_MAX_ADDRESS_SIZE or type(bits) is not int:
        return f"af={safe_repr(af)} bits={safe_repr(bits)} addr={safe_repr(raw)}"
    if not 0 <= bits <= family.nexthop_bits:
        return f"{family.name} bits={bits} addr={raw.hex()}"
    width = family.nexthop_bits if bits > family.bits else family.bits
    if family.af == AF_IPX and bits == 48:
        return "ipx-node:" + raw[:6].hex(":")
    return format_prefix(family.af, addr_of_bytes(raw, width), bits, width)
