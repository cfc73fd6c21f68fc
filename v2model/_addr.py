"""Address families and RTM_NET_ADDRESS conversion: parsing, validation, normalisation, formatting.

Inside the model a prefix is a pair of ints ``(addr, nbits)`` with the host bits cleared (spec 2.3 [REC]:
addresses with host bits set are normalised on input) and a destination's sort key is ``addr << 8 | nbits``,
which orders destinations by address, then by prefix length (shorter first): the pre-order of a prefix trie
(spec A-enum-order).
"""

from __future__ import annotations

import ipaddress

import attrs

from . import _types
from ._constants import AF_INET, AF_INET6, AF_IPX, RTM_MAX_ADDRESS_SIZE
from ._errors import RtmInvalidParameterError
from ._types import RTM_NET_ADDRESS

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

#: ``_MASKS[bits][n]``: the mask of an n-bit prefix in a ``bits``-wide address.
_MASKS: dict[int, tuple[int, ...]] = {
    width: tuple(((1 << n) - 1) << (width - n) for n in range(width + 1)) for width in (32, 80, 128)
}


def prefix_mask(width: int, nbits: int) -> int:
    """The mask of an ``nbits``-long prefix in a ``width``-bit address."""
    return _MASKS[width][nbits]


def dest_key(addr: int, nbits: int) -> int:
    """The sort and lookup key of a destination prefix."""
    return (addr << KEY_SHIFT) | nbits


def _check_address(value: object, family: Family, width: int, what: str) -> tuple[int, int]:
    if type(value) is not RTM_NET_ADDRESS:
        raise RtmInvalidParameterError(f"{what} must be an RTM_NET_ADDRESS")
    if value.AddressFamily != family.af:
        raise RtmInvalidParameterError(f"{what} is not of the table's family {family.name}")
    nbits = value.NumBits
    if type(nbits) is not int or not 0 <= nbits <= width:
        raise RtmInvalidParameterError(f"{what}.NumBits must be 0..{width}")
    raw = value.AddrBits
    if type(raw) is not bytes or len(raw) != RTM_MAX_ADDRESS_SIZE:
        raise RtmInvalidParameterError(f"{what}.AddrBits must be {RTM_MAX_ADDRESS_SIZE} bytes")
    nbytes = (width + 7) // 8
    return int.from_bytes(raw[:nbytes], "big") >> (nbytes * 8 - width), nbits


def parse_prefix(value: object, family: Family, what: str = "DestAddress") -> tuple[int, int]:
    """Validate a destination address of ``family`` and return ``(addr, nbits)`` with host bits cleared."""
    addr, nbits = _check_address(value, family, family.bits, what)
    return addr & _MASKS[family.bits][nbits], nbits


def parse_nexthop_address(value: object, family: Family) -> tuple[int, int]:
    """Validate a next-hop address and return ``(addr, nbits)`` as given (a next hop is a host, not a prefix)."""
    return _check_address(value, family, family.nexthop_bits, "NextHopAddress")


def make_net_address(af: int, addr: int, nbits: int, width: int) -> RTM_NET_ADDRESS:
    """Build an RTM_NET_ADDRESS from an int address of ``width`` bits."""
    nbytes = (width + 7) // 8
    raw = (addr << (nbytes * 8 - width)).to_bytes(nbytes, "big")
    return RTM_NET_ADDRESS(AddressFamily=af, NumBits=nbits, AddrBits=raw)


def net_address(text: str | ipaddress.IPv4Network | ipaddress.IPv6Network) -> RTM_NET_ADDRESS:
    """``net_address("10.1.0.0/16")``: an IPv4 or IPv6 RTM_NET_ADDRESS from a prefix or a host address.

    A bare address gives a host prefix (/32 or /128). Host bits are kept as written (``strict=False``);
    the model clears them when the address is used as a destination.
    """
    if isinstance(text, str):
        net = ipaddress.ip_network(text, strict=False)
        host = ipaddress.ip_address(text.split("/", 1)[0])
    else:
        net, host = text, text.network_address
    if net.version == 4:
        return make_net_address(AF_INET, int(host), net.prefixlen, 32)
    return make_net_address(AF_INET6, int(host), net.prefixlen, 128)


def ipx_net_address(network: int, nbits: int = 32) -> RTM_NET_ADDRESS:
    """An IPX destination: a 32-bit network number (model extension; RTMv2 never served IPX)."""
    return make_net_address(AF_IPX, network & 0xFFFFFFFF, nbits, 32)


def ipx_node_address(mac: bytes) -> RTM_NET_ADDRESS:
    """An IPX next-hop address: a 6-byte node (MAC) address, 48 bits (model extension)."""
    return RTM_NET_ADDRESS(AddressFamily=AF_IPX, NumBits=48, AddrBits=bytes(mac))


def safe_repr(value: object) -> str:
    """``repr(value)``, or the type's name when that repr raises (messages must never raise)."""
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def format_prefix(af: int, addr: int, nbits: int, width: int | None = None) -> str:
    """``10.1.0.0/16``, ``2001:db8::/32`` or ``ipx:0000abcd/32`` for an int prefix."""
    if af == AF_INET:
        return f"{ipaddress.IPv4Address(addr)}/{nbits}"
    if af == AF_INET6:
        return f"{ipaddress.IPv6Address(addr)}/{nbits}"
    if af == AF_IPX:
        digits = ((width or 32) + 3) // 4
        return f"ipx:{addr:0{digits}x}/{nbits}"
    return f"af{af}:{addr:x}/{nbits}"


def format_net_address(value: RTM_NET_ADDRESS) -> str:
    """A readable form of any RTM_NET_ADDRESS, never raising (used by reprs and logs)."""
    af, raw, bits = value.AddressFamily, value.AddrBits, value.NumBits
    family = FAMILIES.get(af) if type(af) is int else None
    if family is None or type(raw) is not bytes or len(raw) != RTM_MAX_ADDRESS_SIZE or type(bits) is not int:
        return f"af={safe_repr(af)} bits={safe_repr(bits)} addr={safe_repr(raw)}"
    if not 0 <= bits <= family.nexthop_bits:
        return f"{family.name} bits={bits} addr={raw.hex()}"
    width = family.nexthop_bits if value.NumBits > family.bits else family.bits
    if value.AddressFamily == AF_IPX and value.NumBits == 48:
        return "ipx-node:" + raw[:6].hex(":")
    nbytes = (width + 7) // 8
    addr = int.from_bytes(raw[:nbytes], "big") >> (nbytes * 8 - width)
    return format_prefix(value.AddressFamily, addr, value.NumBits, width)


_types._format_hook = format_net_address  # RTM_NET_ADDRESS.__repr__ shows "10.1.0.0/16"
