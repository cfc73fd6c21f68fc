"""RTM_NET_ADDRESS conversion: parsing and validating the structure into int prefixes, building it back.

The int form and its formatting live in ``_prefix``; this module is where the structure meets them.
"""

from __future__ import annotations

import ipaddress

from ._constants import AF_INET, AF_INET6, AF_IPX, RTM_MAX_ADDRESS_SIZE
from ._errors import RtmInvalidParameterError
from ._prefix import FAMILIES, Family, addr_of_bytes, bytes_of_addr, format_address, prefix_mask, prefix_masks
from ._types import RTM_NET_ADDRESS


def _check_address(value: object, family: Family, width: int, what: str) -> tuple[int, int]:
    if type(value) is not RTM_NET_ADDRESS:
        raise RtmInvalidParameterError(f"{what} must be an RTM_NET_ADDRESS")
    af = value.AddressFamily
    if type(af) is not int or af != family.af:  # exact types first: no comparison runs the caller's code
        raise RtmInvalidParameterError(f"{what} is not of the table's family {family.name}")
    nbits = value.NumBits
    if type(nbits) is not int or not 0 <= nbits <= width:
        raise RtmInvalidParameterError(f"{what}.NumBits must be 0..{width}")
    raw = value.AddrBits
    if type(raw) is not bytes or len(raw) != RTM_MAX_ADDRESS_SIZE:
        raise RtmInvalidParameterError(f"{what}.AddrBits must be {RTM_MAX_ADDRESS_SIZE} bytes")
    return addr_of_bytes(raw, width), nbits


#: Per family: (bytes of AddrBits a destination uses, bits of padding after the address, the prefix masks).
_PREFIX_READ: dict[int, tuple[int, int, tuple[int, ...]]] = {
    family.af: (family.nbytes, family.nbytes * 8 - family.bits, prefix_masks(family.bits))
    for family in FAMILIES.values()
}


def parse_prefix(value: object, family: Family, what: str = "DestAddress") -> tuple[int, int]:
    """Validate a destination address of ``family`` and return ``(addr, nbits)`` with host bits cleared."""
    if type(value) is RTM_NET_ADDRESS:  # the checks of _check_address in line, for the values that pass them
        af, nbits, raw = value.AddressFamily, value.NumBits, value.AddrBits
        if (
            type(af) is int
            and af == family.af
            and type(nbits) is int
            and type(raw) is bytes
            and len(raw) == RTM_MAX_ADDRESS_SIZE
        ):
            nbytes, pad, masks = _PREFIX_READ[af]
            if 0 <= nbits <= family.bits:
                return (int.from_bytes(raw[:nbytes], "big") >> pad) & masks[nbits], nbits
    addr, nbits = _check_address(value, family, family.bits, what)
    return addr & prefix_mask(family.bits, nbits), nbits


def parse_nexthop_address(value: object, family: Family) -> tuple[int, int]:
    """Validate a next-hop address and return ``(addr, nbits)`` as given (a next hop is a host, not a prefix)."""
    return _check_address(value, family, family.nexthop_bits, "NextHopAddress")


def make_net_address(af: int, addr: int, nbits: int, width: int) -> RTM_NET_ADDRESS:
    """Build an RTM_NET_ADDRESS from an int address of ``width`` bits."""
    return RTM_NET_ADDRESS(AddressFamily=af, NumBits=nbits, AddrBits=bytes_of_addr(addr, width))


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


def format_net_address(value: RTM_NET_ADDRESS) -> str:
    """A readable form of any RTM_NET_ADDRESS, never raising (used by reprs and logs)."""
    return format_address(value.AddressFamily, value.NumBits, value.AddrBits)
