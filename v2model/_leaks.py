"""The leak report: what each entity still holds, and what RtmDeregisterEntity had to clean up.

RTMv2 makes cleanup the client's duty (V2-2.15): every handle and information structure handed out must be
released, every lock undone, every route and next hop deleted before deregistering. A C port that forgets one
leaks memory inside rtm.dll. The model records who holds what (V2-A-refs) so tests, and porting engineers, can
see exactly which release a port is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._objects import Entity, Route


@attrs.frozen
class EntityLeaks:
    """What one entity holds, or held when it deregistered."""

    #: The entity's readable handle name.
    entity: str
    #: Referenced handles: readable name -> number of references.
    handles: Mapping[str, int] = attrs.field(factory=dict)
    #: Information structures handed out and not released, by kind (dest, route, nexthop, entity, changed).
    info_structures: Mapping[str, int] = attrs.field(factory=dict)
    #: Destination and next-hop locks held.
    locks: tuple[str, ...] = ()
    #: Change-notification registrations, open enumerations and route lists.
    registrations: tuple[str, ...] = ()
    #: Routes the entity owns (for a live entity this is normal; at deregistration it is a leak).
    routes: int = 0
    #: Next hops in the entity's next-hop list (as for routes).
    next_hops: int = 0

    @property
    def holds_nothing(self) -> bool:
        """True when no handle, structure, lock or registration is held."""
        return not (self.handles or self.info_structures or self.locks or self.registrations)

    @property
    def clean(self) -> bool:
        """True when nothing at all is held or owned (what a deregistration record should say)."""
        return self.holds_nothing and not self.routes and not self.next_hops


@attrs.frozen
class LeakReport:
    """``rtm.leak_report()``: per live entity what it holds; per deregistration what had to be cleaned up."""

    #: Live entities that hold at least one handle, structure, lock or registration.
    entities: tuple[EntityLeaks, ...] = ()
    #: One record per RtmDeregisterEntity that found something left behind (routes and next hops included).
    deregistrations: tuple[EntityLeaks, ...] = ()
    #: Misuse the model detected and tolerated (e.g. in-place next-hop edits without reference updates) and
    #: faults of client code (a callback that raised): the newest 1,000 (M-FAULTS) ...
    diagnostics: tuple[str, ...] = ()
    #: ... and how many older ones were dropped.
    diagnostics_dropped: int = 0

    @property
    def empty(self) -> bool:
        """True when nobody holds anything and no deregistration had to clean up."""
        return not self.entities and not self.deregistrations

    def __bool__(self) -> bool:
        return not self.empty

    def for_entity(self, entity: object) -> EntityLeaks | None:
        """The live entry, else the latest deregistration record, of an entity (its handle or its name)."""
        name = getattr(entity, "name", entity)
        for record in self.entities:
            if record.entity == name:
                return record
        for record in reversed(self.deregistrations):
            if record.entity == name:
                return record
        return None


def holdings(ent: Entity, *, blame: bool = False) -> EntityLeaks:
    """What ``ent`` holds and owns now, with readable names. With ``blame`` (a deregistration record), the
    references lent with an RTM_ROUTE_EXPIRED still being delivered are left out: they are RTM's, not leaks."""
    handles: dict[str, int] = {}
    lent = ent.lent if blame else {}
    for obj, held in ent.held.items():
        count = held - lent.get(obj, 0) if lent and type(obj) is Route else held
        if count > 0:
            name = obj.name
            handles[name] = handles.get(name, 0) + count
    locks = [f"dest {dest!r} ({'exclusive' if ex else 'shared'})" for dest, (sh, ex) in ent.locks.items()]
    locks += [f"next hop {nh!r}" for nh in ent.nexthops.values() if nh.lock_writer is ent]
    registrations = [repr(reg) for reg in ent.notify_regs]
    registrations += [repr(enum) for enum in ent.enums]
    registrations += [repr(rlist) for rlist in ent.lists]
    return EntityLeaks(
        entity=ent.name,
        handles=handles,
        info_structures=dict(ent.infos),
        locks=tuple(locks),
        registrations=tuple(registrations),
        routes=len(ent.routes),
        next_hops=len(ent.nexthops),
    )
