"""The objects behind RTM handles: entities, destinations, routes, next hops, registrations, enums, lists.

A handle *is* its object: the API hands out these instances, opaque to the caller (every attribute is private)
and readable in a ``repr``. Validity is a property of the object, so a handle is never reused and a stale one is
recognised without any lookup table (M-BINDING-7): ``_alive`` says whether it is still valid, and
``_token`` proves it is the very object the manager handed out (M-HANDLES): the manager sets it to the object's
own ``id`` when it issues the object (``issue``), so a copy (which carries the original's token), an object made
with ``Cls.__new__`` (which has none) and one made with a public constructor (token 0) never pass validation.
The check is two attribute reads and an ``id``: O(1), no lookup table.

An entity has two handles (M-ENTITY-KEY): the :class:`Entity` itself, the registration handle that acts as the
entity (the first argument of every call), and its :class:`EntityHandle`, which names the entity to the others
(route and next-hop owners, registration events, RtmGetRegisteredEntities). They compare equal and hash alike, as
the one RTM_ENTITY_HANDLE value they are in C.

Reference accounting (V2-2.13, V2-A-refs): ``_refs`` counts every reference to the object, those held by entities
(each also counted in the holder's ``held`` map, which is what the leak report reads) and those RTM holds itself
(a route on its destination and next hops, a pending change entry on its destination, a hold-down route, ...).
An object is freed, and its handle becomes invalid, when it is no longer live *and* ``_refs`` reaches zero.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Final, TypeVar, cast, final

import attrs

from ._config import RtmConfig
from ._constants import PROTOCOL_NAMES, RTM_NEXTHOP_STATE_CREATED, RTM_ROUTE_STATE_CREATED
from ._prefix import KEY_SHIFT, Family, bytes_of_addr, format_address, format_prefix
from ._sortedkeys import SortedKeys

_serials = itertools.count(1)
#: The bits of a destination key that hold the prefix length.
_NBITS_MASK = (1 << KEY_SHIFT) - 1

#: A client callback as the objects keep it (the structure-level signatures are in ``_types``).
Callback = Callable[..., Any]


@attrs.define(eq=False)
class OpaquePointer:
    """The address of an entity's opaque slot in a destination (``PVOID *``): read and write ``value``."""

    value: Any = None


class Table:
    """The state of one routing table (an RTM instance and address family): its entities, its destination
    index and its counters. ``_table`` maintains the index and selects best routes; this class only holds."""

    def __init__(self, instance_id: int, family: Family, config: RtmConfig, manager: object) -> None:
        #: The RoutingTableManager the table belongs to (handles never cross managers).
        self.manager = manager
        self.instance_id = instance_id
        self.family = family
        self.config = config
        self.views_supported = config.views_supported
        self.nviews = config.views_supported.bit_length()
        self.view_ids = tuple(v for v in range(self.nviews) if config.views_supported >> v & 1)
        #: TargetViews mask -> the supported view ids in it (a handful of masks are ever used).
        self.vids_cache: dict[int, tuple[int, ...]] = {}
        #: Registered entities by (protocol id, instance id), in registration order.
        self.entities: dict[tuple[int, int], Entity] = {}
        #: Entities that deregistered with ``strict_dereg`` and left their objects in place (V2-A-dereg).
        self.departed: list[Entity] = []
        #: Every *present* destination (V2-A-dest-lifetime) by key: exact match is one dict lookup.
        self.dests: dict[int, Dest] = {}
        #: The same keys in address order, for the enumerations.
        self.order: SortedKeys[int] = SortedKeys()
        #: Present destinations per prefix length ...
        self.len_counts = [0] * (family.bits + 1)
        #: ... and (length, mask) of every length present, longest first.
        self.lengths: tuple[tuple[int, int], ...] = ()
        #: The probes of longest-prefix match (``_table``): the lengths present near an address, in three tiers.
        self.lpm = LengthIndex(family.bits)
        self.free_opaque_slots = list(range(config.max_opaque_pointers - 1, -1, -1))
        self.notify_regs: dict[NotifyReg, None] = {}
        #: The one-next-hop tuple of each next hop in use, shared by the routes through it (``_mutation``).
        self.singles: dict[NextHop, tuple[NextHop, ...]] = {}
        self.route_count = 0
        self.nexthop_count = 0
        self.exclude_inactive = config.exclude_inactive_from_best


class LengthIndex:
    """Which prefix lengths are present where, so longest-prefix match probes only lengths that can match
    (``_table`` maintains it; this class only holds).

    Three tiers, by prefix length: a *fine* bucket (the first 16 bits of an IPv4 or IPX address, 32 of IPv6) lists
    the longer lengths present in it; a *coarse* bucket (8 bits, 16 of IPv6) the lengths between coarse and fine;
    the shortest lengths are listed once for the table. Each list holds ``(length, mask)`` pairs, longest first.
    A fine bucket's list may name a length no longer present there (a miss costs one probe): a removal only
    marks it stale (None), and the next lookup there rebuilds it from the ordered keys, so removing destinations
    costs nothing per bucket. The coarse and short tiers are exact (per-length counts)."""

    __slots__ = (
        "coarse",
        "coarse_bits",
        "coarse_counts",
        "coarse_shift",
        "fine",
        "fine_bits",
        "fine_shift",
        "pairs",
        "short",
    )

    def __init__(self, width: int) -> None:
        self.fine_bits = 16 if width <= 32 else 32
        self.coarse_bits = self.fine_bits // 2
        self.fine_shift = width - self.fine_bits
        self.coarse_shift = width - self.coarse_bits
        #: (length, mask) of each length, shared by every list.
        self.pairs = tuple((n, ((1 << n) - 1) << (width - n)) for n in range(width + 1))
        #: fine bucket -> lengths longer than ``fine_bits`` present there (a superset), None when stale.
        self.fine: dict[int, tuple[tuple[int, int], ...] | None] = {}
        #: coarse bucket -> lengths in (coarse_bits, fine_bits] present there, and their counts by
        #: ``coarse bucket << 8 | length``.
        self.coarse: dict[int, tuple[tuple[int, int], ...]] = {}
        self.coarse_counts: dict[int, int] = {}
        #: The lengths up to ``coarse_bits`` present anywhere in the table.
        self.short: tuple[tuple[int, int], ...] = ()


class Handle:
    """Base of every handle object."""

    __slots__ = ("_alive", "_refs", "_serial", "_table", "_token")
    kind: ClassVar[str] = "handle"

    def __init__(self, table: Table) -> None:
        self._table = table
        self._serial = next(_serials)
        self._refs = 0
        self._alive = True
        self._token = 0  # not issued: only ``issue`` makes an object a valid handle

    def _describe(self) -> str:
        return ""

    @property
    def name(self) -> str:
        """The readable name of the handle (its repr without the validity marker)."""
        what = self._describe()
        return f"<{self.kind} {what}#{self._serial}>" if what else f"<{self.kind} #{self._serial}>"

    def __repr__(self) -> str:
        try:
            name = self.name
            valid = self._alive and self._token == id(self)
        except AttributeError:  # made with __new__: nothing set
            return f"<{self.kind} (invalid)>"
        return name if valid else name[:-1] + " (invalid)>"

    def __deepcopy__(self, memo: dict[int, Any]) -> Handle:
        """A deep copy is an inert look-alike, as a shallow copy is (M-HANDLES): copying a handle never copies
        the table behind it."""
        clone = object.__new__(type(self))
        for cls in type(self).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if hasattr(self, slot):
                    setattr(clone, slot, getattr(self, slot))
        return clone


@final
class NullHandle:
    """The type of :data:`NULL`."""

    __slots__ = ()

    def __new__(cls) -> NullHandle:
        return NULL

    def __repr__(self) -> str:
        return "NULL"

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> NullHandle:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> NullHandle:
        return self

    def __reduce__(self) -> str:
        return "NULL"


#: "The C pointer is NULL" for the in/out handle parameters of RtmAddRouteToDest (RouteHandle) and RtmAddNextHop
#: (NextHopHandle): no handle is wanted, none is returned and no reference is taken; None there means "a pointer
#: to a NULL handle", and a new referenced handle is returned (M-NULL). Accepted as None wherever an optional
#: handle may be None.
NULL: Final[NullHandle] = object.__new__(NullHandle)


def absent(value: object) -> bool:
    """Whether an optional handle (a parameter or a structure field) is left out: None or NULL (M-NULL)."""
    return value is None or value is NULL


H = TypeVar("H", bound=Handle)


def issue(obj: H) -> H:
    """Make ``obj`` a valid handle: only the manager calls this, when it creates the object (M-HANDLES)."""
    obj._token = id(obj)
    return obj


def is_issued(obj: object) -> bool:
    """Whether ``obj`` is a handle the manager issued (alive or not), whatever its type; never raises."""
    try:
        return issubclass(type(obj), Handle) and cast(Handle, obj)._token == id(obj)
    except AttributeError:
        return False


class Entity(Handle):
    """A registered client (a routing-protocol instance or a management component)."""

    __slots__ = (
        "blocked",
        "callback",
        "deregistering",
        "enums",
        "held",
        "infos",
        "instance_id",
        "lent",
        "lists",
        "locks",
        "methods",
        "nexthop_order",
        "nexthops",
        "notify_regs",
        "opaque_dests",
        "opaque_slot",
        "pending_invocations",
        "protocol_id",
        "public",
        "routes",
    )
    kind = "entity"

    def __init__(
        self,
        table: Table,
        protocol_id: int,
        instance_id: int,
        callback: Callback | None,
        methods: tuple[Callback | None, ...],
        opaque_slot: int | None,
    ) -> None:
        super().__init__(table)
        self.protocol_id = protocol_id
        self.instance_id = instance_id
        self.callback = callback
        #: The handle that names this entity to the others (M-ENTITY-KEY).
        self.public = EntityHandle(self)
        self.methods = methods
        self.blocked = False
        self.pending_invocations: list[Any] = []
        self.opaque_slot = opaque_slot
        #: Destinations where this entity's opaque slot was handed out (cleared at deregistration).
        self.opaque_dests: set[Dest] = set()
        self.deregistering = False
        #: References this entity holds: object -> count (V2-A-refs).
        self.held: dict[Handle, int] = {}
        #: Of those, the references that came with an RTM_ROUTE_EXPIRED being delivered now: never blamed on
        #: the entity if it deregisters meanwhile (M-DELIVERY).
        self.lent: dict[Route, int] = {}
        #: Information structures handed out and not yet released, by kind.
        self.infos: dict[str, int] = {}
        #: Owner index: the live routes this entity owns, in creation order.
        self.routes = OwnedRoutes()
        #: This entity's next-hop list: (addr, nbits, ifindex) -> next hop.
        self.nexthops: dict[tuple[int, int, int], NextHop] = {}
        self.nexthop_order: SortedKeys[tuple[int, int, int]] | None = None
        self.notify_regs: dict[NotifyReg, None] = {}
        self.enums: dict[EnumHandle, None] = {}
        self.lists: dict[RouteList, None] = {}
        #: Destination locks held: dest -> [shared count, exclusive count].
        self.locks: dict[Dest, list[int]] = {}

    def _describe(self) -> str:
        name = PROTOCOL_NAMES.get(self.protocol_id, str(self.protocol_id))
        return name if self.instance_id == 0 else f"{name}.{self.instance_id}"


class EntityHandle(Handle):
    """The public handle of an entity: what the others see of it (route and next-hop owners, registration events,
    RtmGetRegisteredEntities). It names the entity wherever one is named, never acts as it (M-ENTITY-KEY). Equal
    to the entity's registration handle and hashed alike, as the one RTM_ENTITY_HANDLE they are in C; references
    taken on an entity are counted here."""

    __slots__ = ("_entity",)
    kind = "entity"

    def __init__(self, entity: Entity) -> None:
        super().__init__(entity._table)
        self._entity = entity
        self._serial = entity._serial

    def _describe(self) -> str:
        return self._entity._describe()

    def __eq__(self, other: object) -> bool:
        try:
            mine = self._entity
        except AttributeError:
            return other is self
        if type(other) is Entity:
            return other is mine
        if type(other) is EntityHandle:
            return getattr(other, "_entity", None) is mine
        return NotImplemented

    def __hash__(self) -> int:
        try:
            return object.__hash__(self._entity)
        except AttributeError:
            return object.__hash__(self)


class OwnedRoutes:
    """An entity's live routes in creation order (its owner index: deregistration costs what the entity owns,
    never the table). A list, not a dict, since there is one entry per route of a full table: a deleted route
    stays in the list until the dead outnumber the live, then the list is rebuilt (amortised O(1) a deletion);
    iteration, ``len`` and ``in`` see live routes only."""

    __slots__ = ("_items", "_live")

    def __init__(self) -> None:
        self._items: list[Route] = []
        self._live = 0

    def add(self, route: Route) -> None:
        """A new live route (state CREATED)."""
        self._items.append(route)
        self._live += 1

    def discard(self, route: Route) -> None:
        """``route`` (which was live) is no longer CREATED."""
        self._live -= 1
        if len(self._items) > 2 * self._live + 64:
            self._items = [r for r in self._items if r.state == RTM_ROUTE_STATE_CREATED]

    def __iter__(self) -> Iterator[Route]:
        return (r for r in self._items if r.state == RTM_ROUTE_STATE_CREATED)

    def __len__(self) -> int:
        return self._live

    def __bool__(self) -> bool:
        return self._live > 0

    def __contains__(self, route: object) -> bool:
        return any(r is route for r in self) if type(route) is Route else False


class DestExtra:
    """What few destinations need: hold-down, opaque slots, locks, deferred expiries and the readable label.
    Kept apart so that the usual destination carries one empty slot for all of it (``Dest._x``)."""

    __slots__ = (
        "deferred_expiry",
        "hold_time",
        "hold_views",
        "holds",
        "label",
        "lock_readers",
        "lock_writer",
        "opaque",
    )

    def __init__(self) -> None:
        #: Hold-down routes per view id: (route, deadline); None until the first one (V2-A-hold).
        self.holds: dict[int, tuple[Route, int]] | None = None
        self.hold_views = 0
        self.hold_time = 0
        #: Opaque slots: slot index -> cell (V2-2.12).
        self.opaque: dict[int, OpaquePointer] | None = None
        #: Shared lock holders (entity -> count) and the exclusive holder (V2-A-locks).
        self.lock_readers: dict[Entity, int] | None = None
        self.lock_writer: Entity | None = None
        #: Routes (with their timer generation) whose expiry came due while the destination was locked (A-ttl).
        self.deferred_expiry: list[tuple[Route, int]] | None = None
        #: The prefix as text, made on first use (handle names).
        self.label: str | None = None


class RouteExtra:
    """What few routes need: Flags1, EntitySpecificInfo, a route list, a direct pointer, hold-down views
    (``Route._x``)."""

    __slots__ = ("esi", "esi_mutable", "flags1", "hold_views", "pointer", "rlist")

    def __init__(self) -> None:
        self.flags1 = 0
        #: EntitySpecificInfo: a private deep copy, or the value as given when immutable (M-ESI) ...
        self.esi: Any = None
        #: ... which tells whether it must be copied again when handed out.
        self.esi_mutable = False
        self.rlist: RouteList | None = None
        #: The record RtmLockRoute / RtmGetRoutePointer hand out ("a direct pointer"), made on first use.
        #: (An RTM_ROUTE_INFO: structures are a layer above the objects.)
        self.pointer: Any = None
        #: Views in which this (deleted) route is the destination's hold-down route.
        self.hold_views = 0


def _extra(name: str, default: Any, make: type[DestExtra] | type[RouteExtra], doc: str) -> Any:
    """A property that reads ``name`` of the object's extra record (``default`` while it has none) and writes it
    there, making the record on the first value that is not the default."""

    def get(self: Any) -> Any:
        extra = self._x
        return default if extra is None else getattr(extra, name)

    def put(self: Any, value: Any) -> None:
        extra = self._x
        if extra is None:
            if value is default or (type(value) is int and type(default) is int and value == default):
                return
            extra = self._x = make()
        setattr(extra, name, value)

    return property(get, put, doc=doc)


class Dest(Handle):
    """A destination: one prefix of one table, with its routes and per-view best routes.

    Memory matters here (one per prefix of a full table): the address and length live in the key, the best route
    of the unicast view in a slot of its own and those of the other views only when some view has one, the routes
    in a tuple, and everything rare in an extra record (``DestExtra``) made on first use."""

    __slots__ = ("_x", "best0", "best_rest", "key", "last_changed", "present", "routes")
    kind = "dest"

    def __init__(self, table: Table, addr: int, nbits: int, key: int, nviews: int, now_ft: int) -> None:
        self._table = table  # Handle.__init__, in line (a destination is made per new prefix)
        self._serial = next(_serials)
        self._refs = 0
        self._alive = True
        self._token = 0
        #: ``addr << KEY_SHIFT | nbits`` (V2-A-enum-order): ``addr`` and ``nbits`` are read from it.
        self.key = key
        #: Live routes, in creation order.
        self.routes: tuple[Route, ...] = ()
        #: The best route of view 0 (unicast), None when the view has no route here ...
        self.best0: Route | None = None
        #: ... and of views 1.. (a tuple, index vid - 1), None while none of them has one (``best_of``).
        self.best_rest: tuple[Route | None, ...] | None = None
        self.present = False
        self.last_changed = now_ft
        self._x: DestExtra | None = None

    @property
    def addr(self) -> int:
        """The prefix's address (host bits clear)."""
        return self.key >> KEY_SHIFT

    @property
    def nbits(self) -> int:
        """The prefix's length."""
        return self.key & _NBITS_MASK

    @property
    def best(self) -> list[Route | None]:
        """The best route of each view id (index), None when the view has no route here (a fresh list)."""
        rest = self.best_rest
        if rest is None:
            return [self.best0, *(None,) * (self._table.nviews - 1)]
        return [self.best0, *rest]

    holds = _extra("holds", None, DestExtra, "Hold-down routes per view id: (route, deadline), or None.")
    hold_views = _extra("hold_views", 0, DestExtra, "Views armed for hold-down (RtmHoldDestination).")
    hold_time = _extra("hold_time", 0, DestExtra, "The hold-down time, ms.")
    opaque = _extra("opaque", None, DestExtra, "Opaque slots: slot index -> cell (V2-2.12), or None.")
    lock_readers = _extra("lock_readers", None, DestExtra, "Shared lock holders: entity -> count, or None.")
    lock_writer = _extra("lock_writer", None, DestExtra, "The exclusive lock holder, or None.")
    deferred_expiry = _extra("deferred_expiry", None, DestExtra, "Expiries deferred while locked, or None.")
    label = _extra("label", None, DestExtra, "The prefix as text, once made.")

    def addr_bits(self) -> bytes:
        """The prefix as RTM_NET_ADDRESS.AddrBits (network order, padded to 16 bytes)."""
        return bytes_of_addr(self.addr, self._table.family.bits)

    def _describe(self) -> str:
        label: str | None = self.label
        if label is None:
            label = self.label = format_prefix(self._table.family.af, self.addr, self.nbits)
        return label


class Route(Handle):
    """A route: a path to a destination with a cost, owned by one entity (what few routes need besides is in
    an extra record, ``RouteExtra``)."""

    __slots__ = (
        "_x",
        "dest",
        "flags",
        "metric",
        "neighbour",
        "nexthops",
        "owner",
        "pref",
        "state",
        "timer_gen",
        "views",
    )
    kind = "route"

    def __init__(self, dest: Dest, owner: Entity) -> None:
        self._table = dest._table  # Handle.__init__, in line (a route is made per add)
        self._serial = next(_serials)
        self._refs = 0
        self._alive = True
        self._token = 0
        self.dest = dest
        self.owner = owner
        self.neighbour: NextHop | None = None
        self.state = RTM_ROUTE_STATE_CREATED
        self.flags = 0
        self.metric = 0
        self.pref = 0
        self.views = 0
        self.nexthops: tuple[NextHop, ...] = ()
        #: Bumped whenever the TimeToLive is re-armed or cancelled; older timer entries are then ignored.
        self.timer_gen = 0
        self._x: RouteExtra | None = None

    flags1 = _extra("flags1", 0, RouteExtra, "Flags1.")
    esi = _extra("esi", None, RouteExtra, "EntitySpecificInfo: a private deep copy, or as given when immutable.")
    esi_mutable = _extra("esi_mutable", False, RouteExtra, "Whether ``esi`` must be copied when handed out.")
    rlist = _extra("rlist", None, RouteExtra, "The route list the route is in, or None.")
    pointer = _extra("pointer", None, RouteExtra, "The direct pointer (an RTM_ROUTE_INFO), once made.")
    hold_views = _extra("hold_views", 0, RouteExtra, "Views in which this deleted route is the hold-down route.")

    @property
    def seq(self) -> int:
        """Creation order, the last tie-breaker of best-route selection (V2-A-tie)."""
        return self._serial

    def _describe(self) -> str:
        return f"{self.dest._describe()} {self.owner._describe()}"


class NextHop(Handle):
    """A next hop in its owner's next-hop list, identified by (address, interface)."""

    __slots__ = (
        "af",
        "esi",
        "esi_mutable",
        "flags",
        "ifindex",
        "key",
        "lock_readers",
        "lock_writer",
        "nbits",
        "owner",
        "pointer",
        "raw",
        "remote",
        "state",
    )
    kind = "nexthop"

    def __init__(self, table: Table, owner: Entity, af: int, nbits: int, raw: bytes, key: tuple[int, int, int]) -> None:
        super().__init__(table)
        self.owner = owner
        #: NextHopAddress as given: AddressFamily, NumBits and AddrBits.
        self.af = af
        self.nbits = nbits
        self.raw = raw
        self.key = key
        self.ifindex = key[2]
        self.state = RTM_NEXTHOP_STATE_CREATED
        self.flags = 0
        self.esi: Any = None  # as Route.esi (M-ESI)
        self.esi_mutable = False
        self.remote: Dest | None = None
        #: (An RTM_NEXTHOP_INFO, as for Route.pointer.)
        self.pointer: Any = None
        self.lock_readers = 0
        self.lock_writer: Entity | None = None

    def _describe(self) -> str:
        return f"{format_address(self.af, self.nbits, self.raw)}%{self.ifindex} {self.owner._describe()}"


class NotifyReg(Handle):
    """A change-notification registration (V2-2.9)."""

    __slots__ = (
        "context",
        "handed_out",
        "marked",
        "only_marked",
        "owner",
        "pending",
        "types",
        "views",
        "views_requested",
    )
    kind = "notify"

    def __init__(self, table: Table, owner: Entity, views: int, types: int, only_marked: bool, context: Any) -> None:
        super().__init__(table)
        self.owner = owner
        #: The views changes are recorded for (RTM_VIEW_MASK_ANY resolved to every supported view) ...
        self.views = views
        #: ... and the TargetViews as given (RTM_VIEW_MASK_ANY: changed destinations carry no ViewInfo).
        self.views_requested = views
        self.types = types
        self.only_marked = only_marked
        self.context = context
        #: Destinations with a change not yet retrieved, oldest first (each holds a reference).
        self.pending: dict[Dest, None] = {}
        self.marked: set[Dest] = set()
        #: Changed-destination structures handed out and not yet released, by destination.
        self.handed_out: dict[Dest, int] = {}

    def _describe(self) -> str:
        return self.owner._describe()


class EnumHandle(Handle):
    """A destination, route, next-hop or route-list enumeration: a cursor over the live table."""

    __slots__ = (
        "criteria",
        "cursor",
        "dest",
        "done",
        "enum_kind",
        "flags",
        "hi",
        "interface",
        "lo",
        "match",
        "owner",
        "protocol",
        "returned",
        "rlist",
        "views",
    )
    kind = "enum"

    def __init__(self, table: Table, owner: Entity, enum_kind: str) -> None:
        super().__init__(table)
        self.owner = owner
        self.enum_kind = enum_kind
        self.views = 0
        self.flags = 0
        self.protocol = 0
        self.lo: Any = None
        self.hi: Any = None
        #: Last key returned; None before the first call.
        self.cursor: Any = None
        self.done = False
        self.dest: Dest | None = None
        self.match = 0
        self.criteria: Any = None
        self.interface = 0
        #: Route enums: routes already returned from the destination under the cursor.
        self.returned: set[Route] = set()
        self.rlist: RouteList | None = None

    def _describe(self) -> str:
        return f"{self.enum_kind} {self.owner._describe()}"


class RouteList(Handle):
    """An entity's private list of its own routes (V2-2.11)."""

    __slots__ = ("owner", "routes")
    kind = "routelist"

    def __init__(self, table: Table, owner: Entity) -> None:
        super().__init__(table)
        self.owner = owner
        #: Routes in insertion order (a re-inserted route moves to the tail).
        self.routes: dict[Route, None] = {}

    def _describe(self) -> str:
        return self.owner._describe()
