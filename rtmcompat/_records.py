"""v1 routes as immutable records, and each family's mapping between v1 structures and RTMv2 terms.

A record is what the shim keeps for a route (in its own per-route index, never in the v2 route) and what change
messages carry: plain values copied out of the caller's structure once, so no caller object is ever kept and
records never change (V1-A17, M-COPIES). Each family codec knows how to read and validate a v1 structure
(V1-A23), looking only at exact types so a hostile field value is a bad value like any other (M-HOSTILE); the
route's identity and canonical order (M-CANONICAL-ORDER), its significant fields (V1-5.2), its v2
destination and next-hop addresses, its (Preference, Metric) (V1-A2, V1-A3, V1-A35), and how to present a native
RTMv2 route in v1 shape (mixed tables).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from v2model import AF_INET, AF_IPX, RTM_NET_ADDRESS, ipx_net_address, ipx_node_address

from ._checks import shown
from ._constants import (
    RTM_CURRENT_BEST_ROUTE,
    RTM_NO_CHANGE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
)
from ._v1types import (
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    PROTOCOL_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    bswap32,
    ip_network,
)

DWORD_MAX = 0xFFFFFFFF


class BadRouteError(ValueError):
    """A v1 route structure the family cannot accept (ERROR_INVALID_PARAMETER): ``where`` is the field path below
    the argument (``.RR_Network.N_NetMask``, empty for the structure itself), ``expected`` what it must be."""

    def __init__(self, where: str, expected: str) -> None:
        super().__init__(f"{where}: {expected}")
        self.where = where
        self.expected = expected

    def reason(self, argument: str) -> str:
        """The one-line reason for the argument's name: ``Route.RR_InterfaceID: not a DWORD (got -1)``."""
        return f"{argument}{self.where}: {self.expected}"


class IpRecord(NamedTuple):
    """An IP route: every field of RTM_IP_ROUTE. What most routes share (everything but the timestamp and the
    network number: protocol, interface, PSD, mask, next hop and FSD) is one tuple, ``shape``, shared by the routes
    that have the same (``Interner``); each of its fields is an attribute as well."""

    timestamp: int
    net: int
    #: (protocol, ifindex, psd, mask, nexthop, nexthop_mask, fsd); fsd is the 11 IP_SPECIFIC_DATA fields in C order.
    shape: tuple[int, int, tuple[int, int, int, int], int, int, int, tuple[int, ...]]

    @property
    def protocol(self) -> int:
        """RR_RoutingProtocol."""
        return self.shape[0]

    @property
    def ifindex(self) -> int:
        """RR_InterfaceID."""
        return self.shape[1]

    @property
    def psd(self) -> tuple[int, int, int, int]:
        """RR_ProtocolSpecificData.PSD_Data."""
        return self.shape[2]

    @property
    def mask(self) -> int:
        """RR_Network.N_NetMask."""
        return self.shape[3]

    @property
    def nexthop(self) -> int:
        """RR_NextHopAddress.N_NetNumber."""
        return self.shape[4]

    @property
    def nexthop_mask(self) -> int:
        """RR_NextHopAddress.N_NetMask."""
        return self.shape[5]

    @property
    def fsd(self) -> tuple[int, ...]:
        """The 11 IP_SPECIFIC_DATA fields in C order."""
        return self.shape[6]


def ip_record(
    timestamp: int,
    protocol: int,
    ifindex: int,
    psd: tuple[int, int, int, int],
    net: int,
    mask: int,
    nexthop: int,
    nexthop_mask: int,
    fsd: tuple[int, ...],
) -> IpRecord:
    """An IpRecord from every field of RTM_IP_ROUTE, in C order."""
    return IpRecord(timestamp, net, (protocol, ifindex, psd, mask, nexthop, nexthop_mask, fsd))


class IpxRecord(NamedTuple):
    """An IPX route: every field of RTM_IPX_ROUTE, the shared ones in ``shape`` as for IpRecord."""

    timestamp: int
    net: int
    #: (protocol, ifindex, psd, mac, fsd); fsd is (FSD_Flags, FSD_TickCount, FSD_HopCount).
    shape: tuple[int, int, tuple[int, int, int, int], bytes, tuple[int, int, int]]

    @property
    def protocol(self) -> int:
        """RR_RoutingProtocol."""
        return self.shape[0]

    @property
    def ifindex(self) -> int:
        """RR_InterfaceID."""
        return self.shape[1]

    @property
    def psd(self) -> tuple[int, int, int, int]:
        """RR_ProtocolSpecificData.PSD_Data."""
        return self.shape[2]

    @property
    def mac(self) -> bytes:
        """RR_NextHopAddress.NHA_Mac."""
        return self.shape[3]

    @property
    def fsd(self) -> tuple[int, int, int]:
        """FSD_Flags, FSD_TickCount, FSD_HopCount."""
        return self.shape[4]


Record = IpRecord | IpxRecord

#: What an add needs of a route (``Codec.add_terms``): network key, next-hop key, (Preference, Metric) and the v2
#: destination address.
AddTerms = tuple[int, int, tuple[int, int], RTM_NET_ADDRESS | None]

_FSD_FIELDS = tuple(attr.name for attr in IP_SPECIFIC_DATA.__attrs_attrs__)


def _is_dword(value: Any) -> bool:
    return type(value) is int and 0 <= value <= DWORD_MAX


def _dword(value: Any, where: str) -> int:
    if type(value) is not int or not 0 <= value <= DWORD_MAX:
        raise BadRouteError(where, f"not a DWORD (got {shown(value)})")
    return value


def _psd(value: Any) -> tuple[int, int, int, int]:
    if type(value) is not PROTOCOL_SPECIFIC_DATA:
        raise BadRouteError(".RR_ProtocolSpecificData", f"not a PROTOCOL_SPECIFIC_DATA (got {shown(value)})")
    data: Any = value.PSD_Data
    kind = type(data)  # exact types only: a subclass could run code in len() or iteration (M-HOSTILE)
    if (kind is not list and kind is not tuple) or len(data) != 4:
        raise BadRouteError(".RR_ProtocolSpecificData.PSD_Data", "not a list of 4 DWORDs")
    where = ".RR_ProtocolSpecificData.PSD_Data"
    return (
        _dword(data[0], f"{where}[0]"),
        _dword(data[1], f"{where}[1]"),
        _dword(data[2], f"{where}[2]"),
        _dword(data[3], f"{where}[3]"),
    )


def _exact(value: Any, kind: type, where: str) -> None:
    if type(value) is not kind:
        raise BadRouteError(where, f"not an {kind.__name__} (got {shown(value)})")


def _ushort(value: Any, where: str) -> int:
    if type(value) is not int or not 0 <= value <= 0xFFFF:
        raise BadRouteError(where, f"not a USHORT (got {shown(value)})")
    return value


def prefix_length(mask_be: int) -> int | None:
    """The prefix length of a big-endian mask, None when the mask is not contiguous."""
    bits = bin(mask_be).count("1")
    return bits if mask_be == (DWORD_MAX << (32 - bits)) & DWORD_MAX else None


#: Every contiguous mask as Windows stores it (first octet in the low byte) -> its prefix length.
_MASK_BITS: dict[int, int] = {bswap32((DWORD_MAX << (32 - n)) & DWORD_MAX): n for n in range(33)}
#: The same masks by prefix length.
_MASK_OF_BITS: tuple[int, ...] = tuple(sorted(_MASK_BITS, key=_MASK_BITS.__getitem__))
_ZEROS_12 = bytes(12)
_from_bytes = int.from_bytes
_tuple_new = tuple.__new__
_new: Any = object.__new__

#: How many distinct field tuples ``IpCodec.read`` remembers per protocol before it starts again.
_SHAPES_KEPT = 1 << 14


class Interner:
    """One shared object per distinct immutable value (FSD and PSD tuples, masks and next-hop addresses repeat
    across most routes): a table of a million routes keeps a handful of each instead of a copy per route. The
    table is bounded; when full it starts again (sharing is an economy, never a meaning)."""

    __slots__ = ("_limit", "_values")

    def __init__(self, limit: int = 1 << 14) -> None:
        self._values: dict[Any, Any] = {}
        self._limit = limit

    def replace(self, value: Any, shared: Any) -> None:
        """Share ``shared`` (equal to ``value``) from now on."""
        self._values[value] = shared

    def __call__(self, value: Any) -> Any:
        """The shared object equal to ``value`` (only exact ints, bytes and tuples of those are ever passed)."""
        values = self._values
        shared = values.get(value)
        if shared is None:
            if len(values) >= self._limit:
                values.clear()
            shared = values[value] = value
        return shared


class IpCodec:
    """RTM_PROTOCOL_FAMILY_IP <-> AF_INET."""

    family = RTM_PROTOCOL_FAMILY_IP
    af = AF_INET
    struct = RTM_IP_ROUTE

    def __init__(self, priority: dict[int, int]) -> None:
        self._priority = priority
        self._shared = Interner()
        self._shapes = Interner()
        #: protocol -> the fields ``read`` validated (a flat tuple) -> their shape: a route like one read before
        #: finds its shape with one hash of plain ints (bounded like an Interner).
        self._by_values: dict[int, dict[tuple[int, ...], Any]] = {}

    def _shape_of(self, protocol: int, values: tuple[int, ...]) -> Any:
        """The shared shape of a route of ``protocol`` whose other fields are ``values`` (``read``'s order: every
        field of RTM_IP_ROUTE but the network number, in C order, the network's mask second)."""
        fsd = values[8:]
        return self._shape(
            (
                protocol,
                values[0],
                values[4:8],
                values[1],
                values[2],
                values[3],
                (fsd[0], fsd[1], fsd[2], self._priority.get(protocol, 0), *fsd[4:]),  # FSD_Priority (V1-A3)
            )
        )

    def _shape(self, shape: tuple[Any, ...]) -> Any:
        """The shared tuple equal to ``shape``; a new one shares its PSD and FSD tuples with the others."""
        shared = self._shapes(shape)
        if shared is shape:  # first seen: let its PSD and FSD be the ones other shapes use
            protocol, ifindex, psd, mask, nexthop, nexthop_mask, fsd = shape
            values = self._shared
            shared = (protocol, ifindex, values(psd), mask, nexthop, nexthop_mask, values(fsd))
            self._shapes.replace(shape, shared)
        return shared

    def priority(self, protocol: int) -> int:
        """The administrator's priority of a protocol (V1-A3): what RTM writes into FSD_Priority."""
        return self._priority.get(protocol, 0)

    def read(self, route: Any, protocol: int, timestamp: int) -> IpRecord:
        """Validate a caller's RTM_IP_ROUTE and make the stored record: the protocol comes from the client's
        handle (V1-A33), the timestamp from the clock, FSD_Priority from the protocol's priority (V1-A3).

        The checks of ``_read_checked`` in line, by exact type (M-HOSTILE), for a structure that passes them all;
        anything else goes through ``_read_checked``, which names the first bad field. The values that repeat
        across routes (FSD and PSD tuples, masks, next hops) are shared (``Interner``)."""
        if type(route) is RTM_IP_ROUTE:
            try:
                net, nexthop, fsd = route.RR_Network, route.RR_NextHopAddress, route.RR_FamilySpecificData
                psd = route.RR_ProtocolSpecificData
                if (
                    type(net) is IP_NETWORK
                    and type(nexthop) is IP_NETWORK
                    and type(fsd) is IP_SPECIFIC_DATA
                    and type(psd) is PROTOCOL_SPECIFIC_DATA
                ):
                    data: Any = psd.PSD_Data
                    kind = type(data)
                    number = net.N_NetNumber
                    if (kind is list or kind is tuple) and len(data) == 4 and type(number) is int:
                        values = (  # every field but the network number, in _shape_of's order
                            route.RR_InterfaceID,
                            net.N_NetMask,
                            nexthop.N_NetNumber,
                            nexthop.N_NetMask,
                            data[0],
                            data[1],
                            data[2],
                            data[3],
                            fsd.FSD_Type,
                            fsd.FSD_Policy,
                            fsd.FSD_NextHopAS,
                            fsd.FSD_Priority,
                            fsd.FSD_Metric,
                            fsd.FSD_Metric1,
                            fsd.FSD_Metric2,
                            fsd.FSD_Metric3,
                            fsd.FSD_Metric4,
                            fsd.FSD_Metric5,
                            fsd.FSD_Flags,
                        )
                        for value in values:
                            if type(value) is not int:
                                break
                        else:  # exact ints only: hashing, comparing, min and max run nobody's code
                            shapes = self._by_values.get(protocol)
                            if shapes is None:
                                shapes = self._by_values[protocol] = {}
                            shape = shapes.get(values)  # found: equal to fields that were DWORDs
                            if shape is None and min(values) >= 0 and max(values) <= DWORD_MAX:
                                if len(shapes) >= _SHAPES_KEPT:
                                    shapes.clear()
                                shape = shapes[values] = self._shape_of(protocol, values)
                            if shape is not None and 0 <= number <= DWORD_MAX:
                                return _tuple_new(IpRecord, (timestamp, number, shape))
            except AttributeError:  # a field deleted from the structure: _read_checked says which
                pass
        return self._read_checked(route, protocol, timestamp)

    def _read_checked(self, route: Any, protocol: int, timestamp: int) -> IpRecord:
        """``read`` one field at a time, raising BadRouteError for the first bad one."""
        _exact(route, RTM_IP_ROUTE, "")
        try:
            net, nexthop, fsd = route.RR_Network, route.RR_NextHopAddress, route.RR_FamilySpecificData
            _exact(net, IP_NETWORK, ".RR_Network")
            _exact(nexthop, IP_NETWORK, ".RR_NextHopAddress")
            _exact(fsd, IP_SPECIFIC_DATA, ".RR_FamilySpecificData")
            values = [_dword(getattr(fsd, name), f".RR_FamilySpecificData.{name}") for name in _FSD_FIELDS]
            values[3] = self.priority(protocol)
            return ip_record(
                timestamp,
                protocol,
                _dword(route.RR_InterfaceID, ".RR_InterfaceID"),
                _psd(route.RR_ProtocolSpecificData),
                _dword(net.N_NetNumber, ".RR_Network.N_NetNumber"),
                _dword(net.N_NetMask, ".RR_Network.N_NetMask"),
                _dword(nexthop.N_NetNumber, ".RR_NextHopAddress.N_NetNumber"),
                _dword(nexthop.N_NetMask, ".RR_NextHopAddress.N_NetMask"),
                tuple(values),
            )
        except AttributeError:  # a field deleted from the structure (``del route.RR_Network``)
            raise BadRouteError("", "a field of the structure is missing") from None

    def network(self, value: Any) -> tuple[int, int]:
        """Validate an IP_NETWORK argument: (N_NetNumber, N_NetMask)."""
        _exact(value, IP_NETWORK, "")
        try:
            return _dword(value.N_NetNumber, ".N_NetNumber"), _dword(value.N_NetMask, ".N_NetMask")
        except AttributeError:
            raise BadRouteError("", "a field of the structure is missing") from None

    def network_of(self, record: Any) -> tuple[int, int]:
        """The route's network as it is compared (V1-A22: the exact pair)."""
        return record.net, record.mask

    @staticmethod
    def network_key(record: Any) -> int:
        """One int per network (the key of the shim's per-network maps): number and prefix length; every network
        RTMv2 cannot hold gets a length no real one has, so it is never found there."""
        key: int = record.net | _MASK_BITS.get(record.shape[3], 64) << 32
        return key

    @staticmethod
    def network_key_of(address: RTM_NET_ADDRESS) -> int:
        """``network_key`` of the network of a v2 destination address."""
        return int.from_bytes(address.AddrBits[:4], "little") | address.NumBits << 32

    @staticmethod
    def hop_key(record: Any) -> int:
        """``nexthop_key`` as one int: (interface, next hop, next-hop mask)."""
        key: int = record.ifindex | record.nexthop << 32 | record.nexthop_mask << 64
        return key

    @staticmethod
    def add_terms(record: Any) -> AddTerms | None:
        """What an add needs of a route, at once: ``network_key``, ``hop_key``, ``pref_metric`` and ``dest_of``;
        None when RTMv2 cannot hold the route (``representable`` is False). Read from the record's fields
        directly (one call instead of five, no attribute properties)."""
        net, shape = record[1], record[2]
        mask = shape[3]
        bits = _MASK_BITS.get(mask)
        if bits is None or net & ~mask & DWORD_MAX or shape[5] not in _MASK_BITS:
            return None
        fsd = shape[6]
        return (
            net | bits << 32,
            shape[1] | shape[4] << 32 | shape[5] << 64,
            (fsd[3], fsd[4]),
            RTM_NET_ADDRESS(AF_INET, bits, net.to_bytes(4, "little") + _ZEROS_12),
        )

    @staticmethod
    def dest_address(net: int, mask: int) -> RTM_NET_ADDRESS | None:
        """The v2 destination of a network, None when RTMv2 cannot hold it (a non-contiguous mask, or host
        bits set, which RTMv2 would merge with the masked prefix). Host bits are tested in the stored byte
        order: swapping bytes moves the bits of the number and of the mask alike."""
        bits = _MASK_BITS.get(mask)
        if bits is None or net & ~mask & DWORD_MAX:
            return None
        return RTM_NET_ADDRESS(AF_INET, bits, net.to_bytes(4, "little") + _ZEROS_12)

    @staticmethod
    def unrepresentable(record: Any) -> str:
        """Why RTMv2 cannot hold the route (its destination or next-hop address is None), as a reason's field
        and expectation (MIGRATION.md "What the shim cannot carry over")."""
        if prefix_length(bswap32(record.mask)) is None:
            return ".RR_Network.N_NetMask: not a contiguous mask (RTMv2 cannot hold it)"
        if bswap32(record.net) & ~bswap32(record.mask) & DWORD_MAX:
            return ".RR_Network.N_NetNumber: host bits set outside N_NetMask (RTMv2 cannot hold it)"
        return ".RR_NextHopAddress.N_NetMask: not a contiguous mask (RTMv2 cannot hold it)"

    def dest_of(self, record: Any) -> RTM_NET_ADDRESS | None:
        """The v2 destination of a route."""
        return self.dest_address(record.net, record.mask)

    @staticmethod
    def nexthop_address(record: Any) -> RTM_NET_ADDRESS | None:
        """The v2 next-hop address (all 8 bytes kept: address and a contiguous mask, V1-A21)."""
        bits = _MASK_BITS.get(record.nexthop_mask)
        if bits is None:
            return None
        return RTM_NET_ADDRESS(AF_INET, bits, record.nexthop.to_bytes(4, "little") + _ZEROS_12)

    @staticmethod
    def representable(record: Any) -> bool:
        """Whether RTMv2 can hold the route: ``dest_of`` and ``nexthop_address`` are not None."""
        shape = record.shape
        fits: bool = shape[5] in _MASK_BITS and shape[3] in _MASK_BITS and not record.net & ~shape[3] & DWORD_MAX
        return fits

    @staticmethod
    def nexthop_key(record: Any) -> tuple[int, Any]:
        """(interface, next hop): one v2 neighbour next hop per pair."""
        return record.ifindex, (record.nexthop, record.nexthop_mask)

    @staticmethod
    def pref_metric(record: Any) -> tuple[int, int]:
        """(Preference, Metric) = (FSD_Priority, FSD_Metric) (V1-5.1)."""
        fsd = record.shape[6]
        return fsd[3], fsd[4]

    @staticmethod
    def identity(record: Any, single: bool) -> tuple[Any, ...]:
        """The route's identity within its client (V1-1.3): (network, interface, next hop), or the network
        alone for an RTM_PROTOCOL_SINGLE_ROUTE client (V1-A20)."""
        if single:
            return record.net, record.mask
        return record.net, record.mask, record.ifindex, record.nexthop, record.nexthop_mask

    @staticmethod
    def canonical(record: Any) -> tuple[int, ...]:
        """Canonical v1 order (M-CANONICAL-ORDER): network and mask big-endian, protocol, interface, next hop
        and its mask."""
        protocol, ifindex, _, mask, nexthop, nexthop_mask, _ = record.shape
        return (  # bswap32 of the four addresses, in line
            _from_bytes(record.net.to_bytes(4, "little"), "big"),
            _from_bytes(mask.to_bytes(4, "little"), "big"),
            protocol,
            ifindex,
            _from_bytes(nexthop.to_bytes(4, "little"), "big"),
            _from_bytes(nexthop_mask.to_bytes(4, "little"), "big"),
        )

    @staticmethod
    def significant(record: Any) -> tuple[Any, ...]:
        """What a change of the best route is judged on (V1-5.2): not the timestamp, not the PSD."""
        return record.protocol, record.ifindex, record.nexthop, record.nexthop_mask, record.fsd

    @staticmethod
    def differ(before: Any, after: Any) -> bool:
        """Whether ``significant`` differs between two records of one network (compared field by field, no tuples
        built; one shared shape holds them all)."""
        if before.shape is after.shape:
            return False
        changed: bool = (
            before.fsd != after.fsd
            or before.protocol != after.protocol
            or before.ifindex != after.ifindex
            or before.nexthop != after.nexthop
            or before.nexthop_mask != after.nexthop_mask
        )
        return changed

    @staticmethod
    def to_struct(record: Any) -> RTM_IP_ROUTE:
        """A fresh RTM_IP_ROUTE, its fields set directly (what the constructors do, without their calls: the
        values are the record's, valid by construction)."""
        timestamp, net, shape = record
        protocol, ifindex, psd, mask, nexthop, nexthop_mask, fsd = shape
        psd_out = _new(PROTOCOL_SPECIFIC_DATA)
        psd_out.PSD_Data = list(psd)
        network = _new(IP_NETWORK)
        network.N_NetNumber = net
        network.N_NetMask = mask
        hop = _new(IP_NETWORK)
        hop.N_NetNumber = nexthop
        hop.N_NetMask = nexthop_mask
        data = _new(IP_SPECIFIC_DATA)
        (
            data.FSD_Type,
            data.FSD_Policy,
            data.FSD_NextHopAS,
            data.FSD_Priority,
            data.FSD_Metric,
            data.FSD_Metric1,
            data.FSD_Metric2,
            data.FSD_Metric3,
            data.FSD_Metric4,
            data.FSD_Metric5,
            data.FSD_Flags,
        ) = fsd
        out: RTM_IP_ROUTE = _new(RTM_IP_ROUTE)
        out.RR_TimeStamp = timestamp
        out.RR_RoutingProtocol = protocol
        out.RR_InterfaceID = ifindex
        out.RR_ProtocolSpecificData = psd_out
        out.RR_Network = network
        out.RR_NextHopAddress = hop
        out.RR_FamilySpecificData = data
        return out

    @staticmethod
    def from_v2(
        timestamp: int,
        protocol: int,
        dest: RTM_NET_ADDRESS,
        ifindex: int,
        nexthop: RTM_NET_ADDRESS | None,
        pref: int,
        metric: int,
    ) -> IpRecord:
        """A native RTMv2 route in v1 shape: the owner's protocol, interface and next hop of its first next
        hop, FSD_Priority = Preference, FSD_Metric = Metric, the destination's LastChanged as timestamp."""
        net = int.from_bytes(dest.AddrBits[:4], "little")
        mask = bswap32((DWORD_MAX << (32 - dest.NumBits)) & DWORD_MAX)
        nh = nh_mask = 0
        if nexthop is not None:
            nh = int.from_bytes(nexthop.AddrBits[:4], "little")
            nh_mask = bswap32((DWORD_MAX << (32 - min(nexthop.NumBits, 32))) & DWORD_MAX)
        fsd = (0, 0, 0, pref, metric, 0, 0, 0, 0, 0, 0)
        return ip_record(timestamp, protocol, ifindex, (0, 0, 0, 0), net, mask, nh, nh_mask, fsd)

    @staticmethod
    def describe(record: Any) -> str:
        """``10.1.0.0/16`` for logs."""
        return ip_network(IP_NETWORK(record.net, record.mask))


class IpxCodec:
    """RTM_PROTOCOL_FAMILY_IPX <-> the AF_IPX model extension (32-bit networks, 48-bit node next hops)."""

    family = RTM_PROTOCOL_FAMILY_IPX
    af = AF_IPX
    struct = RTM_IPX_ROUTE

    def __init__(self) -> None:
        self._shared = Interner()

    def priority(self, protocol: int) -> int:
        """IPX has no protocol priority (V1-A35)."""
        return 0

    def read(self, route: Any, protocol: int, timestamp: int) -> IpxRecord:
        """Validate a caller's RTM_IPX_ROUTE and make the stored record."""
        _exact(route, RTM_IPX_ROUTE, "")
        try:
            net, nexthop, fsd = route.RR_Network, route.RR_NextHopAddress, route.RR_FamilySpecificData
            _exact(net, IPX_NETWORK, ".RR_Network")
            _exact(nexthop, IPX_NEXT_HOP_ADDRESS, ".RR_NextHopAddress")
            _exact(fsd, IPX_SPECIFIC_DATA, ".RR_FamilySpecificData")
            mac = nexthop.NHA_Mac
            kind = type(mac)
            if (kind is not bytes and kind is not bytearray) or len(mac) != 6:
                raise BadRouteError(".RR_NextHopAddress.NHA_Mac", f"not 6 bytes (got {shown(mac)})")
            ticks = _ushort(fsd.FSD_TickCount, ".RR_FamilySpecificData.FSD_TickCount")
            hops = _ushort(fsd.FSD_HopCount, ".RR_FamilySpecificData.FSD_HopCount")
            ifindex = _dword(route.RR_InterfaceID, ".RR_InterfaceID")
            psd = _psd(route.RR_ProtocolSpecificData)
            number = _dword(net.N_NetNumber, ".RR_Network.N_NetNumber")
            flags = _dword(fsd.FSD_Flags, ".RR_FamilySpecificData.FSD_Flags")
            return IpxRecord(
                timestamp, number, self._shared((protocol, ifindex, psd, bytes(mac), (flags, ticks, hops)))
            )
        except AttributeError:
            raise BadRouteError("", "a field of the structure is missing") from None

    def network(self, value: Any) -> tuple[int, int]:
        """Validate an IPX_NETWORK argument: (N_NetNumber, 0)."""
        _exact(value, IPX_NETWORK, "")
        try:
            return _dword(value.N_NetNumber, ".N_NetNumber"), 0
        except AttributeError:
            raise BadRouteError("", "a field of the structure is missing") from None

    def network_of(self, record: Any) -> tuple[int, int]:
        """The route's network (no mask in IPX)."""
        return record.net, 0

    @staticmethod
    def network_key(record: Any) -> int:
        """One int per network: the network number."""
        return int(record.net)

    @staticmethod
    def network_key_of(address: RTM_NET_ADDRESS) -> int:
        """``network_key`` of the network of a v2 destination address."""
        return int.from_bytes(address.AddrBits[:4], "big")

    @staticmethod
    def hop_key(record: Any) -> int:
        """``nexthop_key`` as one int: (interface, MAC)."""
        key: int = record.ifindex | int.from_bytes(record.mac, "big") << 32
        return key

    @staticmethod
    def representable(record: Any) -> bool:
        """Every IPX route fits RTMv2 (the AF_IPX model extension)."""
        return True

    def add_terms(self, record: Any) -> AddTerms | None:
        """``network_key``, ``hop_key``, ``pref_metric`` and ``dest_of`` of a route (every IPX route fits)."""
        return self.network_key(record), self.hop_key(record), self.pref_metric(record), self.dest_of(record)

    @staticmethod
    def dest_address(net: int, mask: int) -> RTM_NET_ADDRESS | None:
        """The v2 destination: the network number as a /32 of AF_IPX."""
        return ipx_net_address(net)

    def dest_of(self, record: Any) -> RTM_NET_ADDRESS | None:
        """The v2 destination of a route."""
        return ipx_net_address(record.net)

    @staticmethod
    def unrepresentable(record: Any) -> str:
        """Every IPX route fits RTMv2 (the AF_IPX model extension); never asked."""
        return ": not representable in RTMv2"

    @staticmethod
    def nexthop_address(record: Any) -> RTM_NET_ADDRESS | None:
        """The v2 next-hop address: the MAC as a 48-bit node address."""
        return ipx_node_address(record.mac)

    @staticmethod
    def nexthop_key(record: Any) -> tuple[int, Any]:
        """(interface, MAC)."""
        return record.ifindex, record.mac

    @staticmethod
    def pref_metric(record: Any) -> tuple[int, int]:
        """(Preference, Metric) = (ticks, hops) (V1-A2, V1-A35)."""
        return record.fsd[1], record.fsd[2]

    @staticmethod
    def identity(record: Any, single: bool) -> tuple[Any, ...]:
        """(network, interface, MAC), or the network alone for a single-route client."""
        if single:
            return (record.net,)
        return record.net, record.ifindex, record.mac

    @staticmethod
    def canonical(record: Any) -> tuple[Any, ...]:
        """Canonical v1 order (M-CANONICAL-ORDER): network number, protocol, interface, next-hop MAC bytes."""
        return record.net, record.protocol, record.ifindex, record.mac

    @staticmethod
    def significant(record: Any) -> tuple[Any, ...]:
        """What a change of the best route is judged on (V1-5.2)."""
        return record.protocol, record.ifindex, record.mac, record.fsd

    @staticmethod
    def differ(before: Any, after: Any) -> bool:
        """Whether ``significant`` differs between two records of one network."""
        if before.shape is after.shape:
            return False
        changed: bool = (
            before.fsd != after.fsd
            or before.protocol != after.protocol
            or before.ifindex != after.ifindex
            or before.mac != after.mac
        )
        return changed

    @staticmethod
    def to_struct(record: Any) -> RTM_IPX_ROUTE:
        """A fresh RTM_IPX_ROUTE."""
        return RTM_IPX_ROUTE(
            RR_TimeStamp=record.timestamp,
            RR_RoutingProtocol=record.protocol,
            RR_InterfaceID=record.ifindex,
            RR_ProtocolSpecificData=PROTOCOL_SPECIFIC_DATA(list(record.psd)),
            RR_Network=IPX_NETWORK(record.net),
            RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(record.mac),
            RR_FamilySpecificData=IPX_SPECIFIC_DATA(*record.fsd),
        )

    @staticmethod
    def from_v2(
        timestamp: int,
        protocol: int,
        dest: RTM_NET_ADDRESS,
        ifindex: int,
        nexthop: RTM_NET_ADDRESS | None,
        pref: int,
        metric: int,
    ) -> IpxRecord:
        """A native RTMv2 IPX route in v1 shape (ticks = Preference, hops = Metric, clamped to USHORT)."""
        net = int.from_bytes(dest.AddrBits[:4], "big")
        mac = bytes(nexthop.AddrBits[:6]) if nexthop is not None and nexthop.NumBits == 48 else bytes(6)
        fsd = (0, min(pref, 0xFFFF), min(metric, 0xFFFF))
        return IpxRecord(timestamp, net, (protocol, ifindex, (0, 0, 0, 0), mac, fsd))

    @staticmethod
    def describe(record: Any) -> str:
        """``ipx:0000abcd`` for logs."""
        return f"ipx:{record.net:08x}"


class Codec(Protocol):
    """What the shim needs of a family (IpCodec, IpxCodec)."""

    family: int
    af: int
    struct: type[Any]

    def priority(self, protocol: int) -> int: ...
    def read(self, route: Any, protocol: int, timestamp: int) -> Record: ...
    def network(self, value: Any) -> tuple[int, int]: ...
    def network_of(self, record: Record) -> tuple[int, int]: ...
    def network_key(self, record: Record) -> int: ...
    def network_key_of(self, address: RTM_NET_ADDRESS) -> int: ...
    def hop_key(self, record: Record) -> int: ...
    def representable(self, record: Record) -> bool: ...
    def add_terms(self, record: Record) -> AddTerms | None: ...
    def differ(self, before: Record, after: Record) -> bool: ...
    def dest_address(self, net: int, mask: int) -> RTM_NET_ADDRESS | None: ...
    def dest_of(self, record: Record) -> RTM_NET_ADDRESS | None: ...
    def unrepresentable(self, record: Record) -> str: ...
    def nexthop_address(self, record: Record) -> RTM_NET_ADDRESS | None: ...
    def nexthop_key(self, record: Record) -> tuple[int, Any]: ...
    def pref_metric(self, record: Record) -> tuple[int, int]: ...
    def identity(self, record: Record, single: bool) -> tuple[Any, ...]: ...
    def canonical(self, record: Record) -> tuple[Any, ...]: ...
    def significant(self, record: Record) -> tuple[Any, ...]: ...
    def to_struct(self, record: Record) -> RTM_IP_ROUTE | RTM_IPX_ROUTE: ...
    def from_v2(
        self,
        timestamp: int,
        protocol: int,
        dest: RTM_NET_ADDRESS,
        ifindex: int,
        nexthop: RTM_NET_ADDRESS | None,
        pref: int,
        metric: int,
    ) -> Record: ...
    def describe(self, record: Record) -> str: ...


# --- what both V1Shim and V1Reference decide the same way ----------------------------------------------


class Criteria(NamedTuple):
    """The values the RTM_ONLY_THIS_* flags select on, taken from a criteria route (V1-4.9)."""

    network: tuple[int, int]
    ifindex: int
    protocol: int


def matches(codec: Codec, record: Record, flags: int, criteria: Criteria | None, is_best: bool) -> bool:
    """Whether a route passes an RTM_ONLY_* selection (V1-2.4; V1-A7: BEST is the network's overall best route)."""
    if flags & RTM_ONLY_BEST_ROUTES and not is_best:
        return False
    if criteria is None:
        return True
    if flags & RTM_ONLY_THIS_NETWORK and codec.network_of(record) != criteria.network:
        return False
    if flags & RTM_ONLY_THIS_INTERFACE and record.ifindex != criteria.ifindex:
        return False
    return not (flags & RTM_ONLY_THIS_PROTOCOL and record.protocol != criteria.protocol)


def change_flags(codec: Codec, before: Record | None, after: Record | None) -> int:
    """The v1 change flags between a network's best route before and after (V1-5.2)."""
    if before is None:
        return RTM_NO_CHANGE if after is None else RTM_ROUTE_ADDED
    if after is None:
        return RTM_ROUTE_DELETED
    if before is not after and codec.differ(before, after):
        return RTM_ROUTE_CHANGED
    return RTM_NO_CHANGE


def message_of(flags: int, after: Record | None, before: Record | None) -> tuple[int, Record | None, Record | None]:
    """A queued change message: the flags, and each copy only where its presence bit is set (V1-A19)."""
    return flags, after if flags & RTM_CURRENT_BEST_ROUTE else None, before if flags & RTM_PREVIOUS_BEST_ROUTE else None
