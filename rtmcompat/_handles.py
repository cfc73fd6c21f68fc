"""The v1 handles: clients and enumerations. Opaque objects with readable names, never reused (V1-A30).

A handle is valid only while it is in its API object's own registry of live clients or open enumerations, and
the registry holds the very objects it handed out: a copy, an object made with ``__new__`` or one built by hand is
never in it, whatever its fields say (M-V1-HANDLES)."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from v2model import PROTOCOL_NAMES

from ._constants import (
    IPX_PROTOCOL_LOCAL,
    IPX_PROTOCOL_NLSP,
    IPX_PROTOCOL_RIP,
    IPX_PROTOCOL_SAP,
    IPX_PROTOCOL_STATIC,
    RTM_PROTOCOL_FAMILY_IPX,
)

if TYPE_CHECKING:
    import v2model

    from ._records import Codec, Record

#: A ChangeEvent's (set, clear, whether set() is known never to block).
EventMethods = tuple[Callable[[], Any], Callable[[], Any], bool]

_serials = itertools.count(1)

_IPX_NAMES = {
    IPX_PROTOCOL_RIP: "IPX-RIP",
    IPX_PROTOCOL_SAP: "IPX-SAP",
    IPX_PROTOCOL_NLSP: "IPX-NLSP",
    IPX_PROTOCOL_LOCAL: "IPX-LOCAL",
    IPX_PROTOCOL_STATIC: "IPX-STATIC",
}


def protocol_name(family: int, protocol: int) -> str:
    """A readable protocol name: ``RIP``, ``OSPF``, ``IPX-RIP`` or the number."""
    if family == RTM_PROTOCOL_FAMILY_IPX:
        return _IPX_NAMES.get(protocol, f"IPX-{protocol}")
    return PROTOCOL_NAMES.get(protocol, str(protocol))


class HopSlot:
    """One v2 next hop of a v1 client, per (interface, next hop): its handle (referenced by the client's entity),
    how many of the client's routes use it, its key in the client's map, and the route information structures
    the client passes RTMv2 for routes through it, one per (Preference, Metric), reused the way C code reuses a
    structure on its stack (RTMv2 copies what it is given)."""

    __slots__ = ("handle", "infos", "key", "users")

    def __init__(self, handle: v2model.NextHop, key: int) -> None:
        self.handle = handle
        self.key = key
        self.users = 0
        self.infos: dict[tuple[int, int], v2model.RTM_ROUTE_INFO] = {}


class RouteEntry:
    """One route of a v1 client: its v2 handle (referenced by the client's entity), its record, its next hop and its
    TimeToLive deadline (clock ms, None for INFINITE). Keys are derived from the record when needed, not stored."""

    __slots__ = ("deadline", "hop", "record", "route")

    def __init__(self, route: v2model.Route, record: Record, hop: HopSlot, deadline: int | None) -> None:
        self.route = route
        self.record = record
        self.hop = hop
        self.deadline = deadline


class ClientRoutes:
    """A v1 client's routes by v1 identity (V1-1.3, V1-A20): by network (``codec.network_key``, the key the shim's
    map of heard best routes uses too), then, for a network where the client has several routes (other interfaces
    or next hops; never for an RTM_PROTOCOL_SINGLE_ROUTE client), by next hop (``HopSlot.key``). One int per
    network instead of an identity tuple per route."""

    __slots__ = ("_by_network", "_count")

    def __init__(self) -> None:
        self._by_network: dict[int, RouteEntry | dict[int, RouteEntry]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def get(self, network: int, hop: int | None) -> RouteEntry | None:
        """The route with this identity: the network's route (``hop`` None: a single-route client), else the one
        through next hop ``hop``."""
        found: Any = self._by_network.get(network)
        if found is None or type(found) is RouteEntry:
            if hop is None or found is None or found.hop.key == hop:
                return found
            return None
        return found.get(hop) if hop is not None else None

    def put(self, network: int, entry: RouteEntry, single: bool) -> None:
        """A new route (no route of the client has its identity)."""
        by_network = self._by_network
        found: Any = by_network.get(network)
        if found is None or single:
            by_network[network] = entry
        elif type(found) is RouteEntry:
            by_network[network] = {found.hop.key: found, entry.hop.key: entry}
        else:
            found[entry.hop.key] = entry
        self._count += 1

    def remove(self, network: int, entry: RouteEntry) -> None:
        """The route left (it is in the map)."""
        by_network = self._by_network
        found: Any = by_network[network]
        if type(found) is RouteEntry:
            del by_network[network]
        else:
            del found[entry.hop.key]
            if len(found) == 1:
                by_network[network] = next(iter(found.values()))
        self._count -= 1

    def holds(self, network: int, entry: RouteEntry) -> bool:
        """Whether ``entry`` is (still) one of the client's routes."""
        found: Any = self._by_network.get(network)
        if found is None or type(found) is RouteEntry:
            return found is entry
        return any(e is entry for e in found.values())

    def find(self, network: int, route: object) -> RouteEntry | None:
        """The client's route of the network whose v2 handle is ``route``, if any."""
        found: Any = self._by_network.get(network)
        if found is None or type(found) is RouteEntry:
            return found if found is not None and found.route is route else None
        entry: RouteEntry
        for entry in found.values():
            if entry.route is route:
                return entry
        return None

    def __iter__(self) -> Iterator[RouteEntry]:
        found: Any
        for found in self._by_network.values():
            if type(found) is RouteEntry:
                yield found
            else:
                yield from found.values()


class ClientHandle:
    """What every RTMv1 client handle has: its API object, family, protocol, event (with its ``set``/``clear``
    methods, looked up once at registration), single-route flag and change-message queue. V1Reference uses it as
    is; V1Shim's clients add the v2 side."""

    __slots__ = ("alive", "codec", "event", "event_methods", "owner", "protocol", "queue", "serial", "single")

    def __init__(
        self, owner: object, codec: Codec, protocol: int, event: Any, single: bool, methods: EventMethods | None
    ) -> None:
        self.serial = next(_serials)
        self.owner = owner
        self.codec = codec
        self.protocol = protocol
        self.event = event
        #: The event's (set, clear), None when registered without an event.
        self.event_methods = methods
        self.single = single
        #: Change messages (flags, current record, previous record), oldest first (V1-A16).
        self.queue: deque[tuple[int, Record | None, Record | None]] = deque()
        self.alive = True

    @property
    def family(self) -> int:
        """RTM_PROTOCOL_FAMILY_IP or RTM_PROTOCOL_FAMILY_IPX."""
        return self.codec.family

    @property
    def name(self) -> str:
        """The readable handle name, e.g. ``<client RIP#1>``."""
        return f"<client {protocol_name(self.codec.family, self.protocol)}#{self.serial}>"

    def __repr__(self) -> str:
        return self.name if self.alive else self.name[:-1] + " (invalid)>"


class V1Client(ClientHandle):
    """A registered client of V1Shim: one v2 entity, its routes and next hops."""

    __slots__ = ("entity", "nexthops", "routes")

    def __init__(
        self, owner: object, codec: Codec, protocol: int, event: Any, single: bool, methods: EventMethods | None
    ) -> None:
        super().__init__(owner, codec, protocol, event, single, methods)
        self.entity: v2model.Entity | None = None
        #: The client's routes by v1 identity (V1-1.3, V1-A20).
        self.routes = ClientRoutes()
        #: v2 next hops by (interface, next hop), as ``codec.hop_key``.
        self.nexthops: dict[int, HopSlot] = {}


class V1Enum:
    """An RTMv1 enumeration handle (of V1Shim or V1Reference): a live cursor in canonical order (V1-A8)."""

    __slots__ = ("alive", "codec", "criteria", "cursor", "flags", "owner", "returned", "serial")

    def __init__(self, owner: object, codec: Codec, flags: int, criteria: Any) -> None:
        self.serial = next(_serials)
        self.owner = owner
        self.codec = codec
        self.flags = flags
        self.criteria = criteria
        #: Canonical key of the last route returned (None before the first).
        self.cursor: tuple[Any, ...] | None = None
        #: Identities of the routes returned: each at most once, even when a route moves (V1-4.10, V1-A8).
        self.returned: set[Any] = set()
        self.alive = True

    @property
    def name(self) -> str:
        """The readable handle name, e.g. ``<enum#3>``."""
        return f"<enum#{self.serial}>"

    def __repr__(self) -> str:
        return self.name if self.alive else self.name[:-1] + " (invalid)>"
