"""The RTMv2 structures of rtmv2.h as attrs classes with the C field names (M-STRUCTURES).

Mutable like C structs, every field defaulting to zero (as after ``ZeroMemory``), equal by value. C arrays are
Python lists; a count field that C keeps beside an array is kept too and must equal the list's length (the
constructors fill it in when it is left at 0). Handle fields hold the opaque handle objects the API hands out.
The model copies every structure it is given and returns fresh copies, so mutating one never changes the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, cast

import attrs

from . import _objects
from ._constants import RTM_MAX_ADDRESS_SIZE
from ._objects import Dest, Entity, EntityHandle, Handle, NextHop
from ._prefix import format_address

RTM_EVENT_CALLBACK: TypeAlias = Callable[[Any, int, Any, Any], Any]
"""``(RtmRegHandle, EventType, Context1, Context2) -> int``; the return value matters only for
RTM_ROUTE_EXPIRED (``ERROR_NOT_SUPPORTED`` asks RTM to delete the route)."""

RTM_ENTITY_EXPORT_METHOD: TypeAlias = Callable[[Any, Any, "RTM_ENTITY_METHOD_INPUT", "RTM_ENTITY_METHOD_OUTPUT"], Any]
"""``(CallerHandle, CalleeHandle, Input, Output) -> None``: fills ``Output`` (MethodStatus, OutputData)."""


_set_slot = object.__setattr__


def _addr_bits(value: object) -> object:
    """Pad AddrBits to RTM_MAX_ADDRESS_SIZE bytes so equal addresses compare equal.

    Anything that is not bytes-like is kept as given: the API rejects it with ERROR_INVALID_PARAMETER instead of
    the constructor raising.
    """
    kind = type(value)
    if kind is bytes and len(cast(bytes, value)) == RTM_MAX_ADDRESS_SIZE:
        return value
    bytes_like = kind is bytes or kind is bytearray or kind is memoryview
    if not bytes_like and not (
        (kind is list or kind is tuple) and all(type(b) is int and 0 <= b <= 255 for b in cast(list[int], value))
    ):
        return value
    raw = bytes(cast("bytes", value))
    if len(raw) < RTM_MAX_ADDRESS_SIZE:
        raw += bytes(RTM_MAX_ADDRESS_SIZE - len(raw))
    return raw


@attrs.define(repr=False, init=False)
class RTM_NET_ADDRESS:
    """A network address: family, prefix length ``NumBits`` and up to 16 address bytes in network order."""

    AddressFamily: int = 0
    NumBits: int = 0
    AddrBits: bytes = attrs.field(default=bytes(RTM_MAX_ADDRESS_SIZE), converter=_addr_bits)

    def __init__(  # the parameters are the C field names, as attrs names them
        self,
        AddressFamily: int = 0,  # noqa: N803
        NumBits: int = 0,  # noqa: N803
        AddrBits: bytes = bytes(RTM_MAX_ADDRESS_SIZE),  # noqa: N803
    ) -> None:
        # attrs' own __init__, written out so that AddrBits already RTM_MAX_ADDRESS_SIZE bytes long (what callers
        # usually pass) skips the converter call; assigning a field later still converts (on_setattr).
        _set_slot(self, "AddressFamily", AddressFamily)
        _set_slot(self, "NumBits", NumBits)
        raw = AddrBits
        if type(raw) is not bytes or len(raw) != RTM_MAX_ADDRESS_SIZE:
            raw = cast(bytes, _addr_bits(raw))
        _set_slot(self, "AddrBits", raw)

    def __repr__(self) -> str:
        return f"RTM_NET_ADDRESS({format_address(self.AddressFamily, self.NumBits, self.AddrBits)!r})"


@attrs.define
class RTM_PREF_INFO:
    """A route's cost: ``Preference`` (administrative, compared first) then ``Metric``; lower wins."""

    Metric: int = 0
    Preference: int = 0


@attrs.define
class RTM_NEXTHOP_LIST:
    """The equal-cost next hops of a route: ``NumNextHops`` handles in ``NextHops``."""

    NumNextHops: int = 0
    NextHops: list[NextHop] = attrs.Factory(list)

    def __attrs_post_init__(self) -> None:
        if self.NumNextHops == 0 and isinstance(self.NextHops, list):
            self.NumNextHops = len(self.NextHops)


@attrs.define
class RTM_DEST_VIEW_INFO:
    """One element of ``RTM_DEST_INFO.ViewInfo``: a destination as seen in one view."""

    ViewId: int = 0
    NumRoutes: int = 0
    Route: _objects.Route | None = None
    Owner: EntityHandle | Entity | None = None
    DestFlags: int = 0
    HoldRoute: _objects.Route | None = None


@attrs.define
class RTM_DEST_INFO:
    """A destination: its address, when it last changed, its views and, per requested view, its best route."""

    DestHandle: Dest | None = None
    DestAddress: RTM_NET_ADDRESS = attrs.Factory(RTM_NET_ADDRESS)
    LastChanged: int = 0
    BelongsToViews: int = 0
    NumberOfViews: int = 0
    ViewInfo: list[RTM_DEST_VIEW_INFO] = attrs.Factory(list)

    def __attrs_post_init__(self) -> None:
        if self.NumberOfViews == 0 and isinstance(self.ViewInfo, list):
            self.NumberOfViews = len(self.ViewInfo)


@attrs.define
class RTM_ROUTE_INFO:
    """A route: destination, owner, neighbour, state, flags, cost, views, owner data and next hops."""

    DestHandle: Dest | None = None
    RouteOwner: EntityHandle | Entity | None = None
    Neighbour: NextHop | None = None
    State: int = 0
    Flags1: int = 0
    Flags: int = 0
    PrefInfo: RTM_PREF_INFO = attrs.Factory(RTM_PREF_INFO)
    BelongsToViews: int = 0
    EntitySpecificInfo: Any = None
    NextHopsList: RTM_NEXTHOP_LIST = attrs.Factory(RTM_NEXTHOP_LIST)


@attrs.define
class RTM_NEXTHOP_INFO:
    """A next hop: address and interface (its identity), owner, state, flags, owner data, remote resolution."""

    NextHopAddress: RTM_NET_ADDRESS = attrs.Factory(RTM_NET_ADDRESS)
    NextHopOwner: EntityHandle | Entity | None = None
    InterfaceIndex: int = 0
    State: int = 0
    Flags: int = 0
    EntitySpecificInfo: Any = None
    RemoteNextHop: Dest | None = None


@attrs.define
class RTM_ENTITY_ID:
    """An entity's protocol id and instance id; ``EntityId`` is the union's 64-bit view of both."""

    EntityProtocolId: int = 0
    EntityInstanceId: int = 0

    @property
    def EntityId(self) -> int:  # noqa: N802 - the C union member
        """``EntityProtocolId | EntityInstanceId << 32`` (the little-endian ULONGLONG of the union)."""
        return (self.EntityProtocolId & 0xFFFFFFFF) | ((self.EntityInstanceId & 0xFFFFFFFF) << 32)

    @EntityId.setter
    def EntityId(self, value: int) -> None:  # noqa: N802
        self.EntityProtocolId = value & 0xFFFFFFFF
        self.EntityInstanceId = (value >> 32) & 0xFFFFFFFF


@attrs.define
class RTM_ENTITY_INFO:
    """An entity's identity: RTM instance, address family and entity id."""

    RtmInstanceId: int = 0
    AddressFamily: int = 0
    EntityId: RTM_ENTITY_ID = attrs.Factory(RTM_ENTITY_ID)


@attrs.define
class RTM_REGN_PROFILE:
    """The instance's profile, returned at registration (V2-2.1)."""

    MaxNextHopsInRoute: int = 0
    MaxHandlesInEnum: int = 0
    ViewsSupported: int = 0
    NumberOfViews: int = 0


@attrs.define
class RTM_ENTITY_EXPORT_METHODS:
    """The methods an entity exports at registration; ``Methods[i]`` is the method of bit ``1 << i``."""

    NumMethods: int = 0
    Methods: list[RTM_ENTITY_EXPORT_METHOD | None] = attrs.Factory(list)

    def __attrs_post_init__(self) -> None:
        if self.NumMethods == 0 and isinstance(self.Methods, list):
            self.NumMethods = len(self.Methods)


@attrs.define
class RTM_ENTITY_METHOD_INPUT:
    """The input of RtmInvokeMethod: which methods (bits) and one common input buffer."""

    MethodType: int = 0
    InputSize: int = 0
    InputData: bytes = b""

    def __attrs_post_init__(self) -> None:
        if self.InputSize == 0 and isinstance(self.InputData, bytes | bytearray):
            self.InputSize = len(self.InputData)


@attrs.define
class RTM_ENTITY_METHOD_OUTPUT:
    """One invoked method's output record: its bit, its status and its output bytes."""

    MethodType: int = 0
    MethodStatus: int = 0
    OutputSize: int = 0
    OutputData: bytes = b""


#: Bytes of RTM_ENTITY_METHOD_OUTPUT before its OutputData (MethodType, MethodStatus, OutputSize).
METHOD_OUTPUT_HEADER_SIZE = 12

#: Any handle the API hands out (for annotations).
RTM_HANDLE: TypeAlias = Handle


# --- builders for the structures the model fills itself ------------------------------------------------------
#
# What the model hands out it builds from values it already holds, valid by construction: these builders set the
# slots directly, skipping the keyword handling, the factories, the AddrBits converter (``raw`` is already
# RTM_MAX_ADDRESS_SIZE bytes) and the count fill-in of the post-init hooks (the count is passed). The structures are
# the same classes, indistinguishable from constructed ones.

_new = object.__new__
_set_address_family = cast(Any, RTM_NET_ADDRESS).AddressFamily.__set__
_set_num_bits = cast(Any, RTM_NET_ADDRESS).NumBits.__set__
_set_addr_bits = cast(Any, RTM_NET_ADDRESS).AddrBits.__set__


def build_net_address(af: int, nbits: int, raw: bytes) -> RTM_NET_ADDRESS:
    """An RTM_NET_ADDRESS; ``raw`` is exactly RTM_MAX_ADDRESS_SIZE bytes."""
    out: RTM_NET_ADDRESS = _new(RTM_NET_ADDRESS)
    _set_address_family(out, af)
    _set_num_bits(out, nbits)
    _set_addr_bits(out, raw)
    return out


def build_dest_info(
    dest: Dest,
    address: RTM_NET_ADDRESS,
    last_changed: int,
    views: int,
    view_info: list[RTM_DEST_VIEW_INFO],
) -> RTM_DEST_INFO:
    """An RTM_DEST_INFO (NumberOfViews is the length of ``view_info``)."""
    out: RTM_DEST_INFO = _new(RTM_DEST_INFO)
    out.DestHandle = dest
    out.DestAddress = address
    out.LastChanged = last_changed
    out.BelongsToViews = views
    out.NumberOfViews = len(view_info)
    out.ViewInfo = view_info
    return out


def build_view_info(
    vid: int,
    count: int,
    route: _objects.Route | None,
    owner: EntityHandle | None,
    flags: int,
    hold: _objects.Route | None,
) -> RTM_DEST_VIEW_INFO:
    """An RTM_DEST_VIEW_INFO."""
    out: RTM_DEST_VIEW_INFO = _new(RTM_DEST_VIEW_INFO)
    out.ViewId = vid
    out.NumRoutes = count
    out.Route = route
    out.Owner = owner
    out.DestFlags = flags
    out.HoldRoute = hold
    return out
