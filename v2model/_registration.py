"""Registration functions: RtmRegisterEntity, RtmDeregisterEntity, RtmGetRegisteredEntities, RtmReleaseEntities."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ._boundary import Boundary, api
from ._constants import (
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_REGISTERED,
    RTM_ROUTE_STATE_CREATED,
)
from ._errors import (
    RtmAlreadyExistsError,
    RtmError,
    RtmInvalidParameterError,
    WinError,
)
from ._leaks import holdings
from ._matching import route_order
from ._objects import Entity, EntityHandle, issue
from ._prefix import FAMILIES
from ._results import (
    GetRegisteredEntitiesResult,
    RegisterEntityResult,
    StatusResult,
)
from ._types import (
    RTM_ENTITY_EXPORT_METHOD,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_EVENT_CALLBACK,
    RTM_REGN_PROFILE,
)
from ._validate import boolean, count_and_list, ulong, ushort

_MAX_METHODS = 32
_FORBIDDEN_IN_ENTITY_EVENTS = frozenset({RTM_ENTITY_REGISTERED, RTM_ENTITY_DEREGISTERED})


#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class Registration(Boundary):
    """Entities join and leave a table (V2-6.1, V2-A-reg-events, V2-A-dereg)."""

    @api(RegisterEntityResult)
    def RtmRegisterEntity(
        self,
        RtmEntityInfo: RTM_ENTITY_INFO,
        ExportMethods: RTM_ENTITY_EXPORT_METHODS | None = None,
        EventCallback: RTM_EVENT_CALLBACK | None = None,
        ReserveOpaquePointer: bool | int = False,
    ) -> RegisterEntityResult:
        """Register an entity with an RTM instance and address family; returns the instance's profile and the
        registration handle. Other entities of the table with a callback get RTM_ENTITY_REGISTERED."""
        self._forbidden_in(_FORBIDDEN_IN_ENTITY_EVENTS)
        info = RtmEntityInfo
        if type(info) is not RTM_ENTITY_INFO or type(info.EntityId) is not RTM_ENTITY_ID:
            raise RtmInvalidParameterError("RtmEntityInfo must be an RTM_ENTITY_INFO")
        instance_id = ushort(info.RtmInstanceId, "RtmInstanceId")
        af = ushort(info.AddressFamily, "AddressFamily")
        protocol_id = ulong(info.EntityId.EntityProtocolId, "EntityProtocolId")
        entity_instance = ulong(info.EntityId.EntityInstanceId, "EntityInstanceId")
        config = self._table_configs.get((instance_id, af), self._config)
        if af not in FAMILIES or af not in config.address_families:
            raise RtmInvalidParameterError("address family not served")  # V2-A-instances
        methods: tuple[RTM_ENTITY_EXPORT_METHOD | None, ...] = ()
        if ExportMethods is not None:
            if type(ExportMethods) is not RTM_ENTITY_EXPORT_METHODS:
                raise RtmInvalidParameterError("ExportMethods must be an RTM_ENTITY_EXPORT_METHODS")
            listed = count_and_list(ExportMethods.NumMethods, ExportMethods.Methods, "Methods")
            if len(listed) > _MAX_METHODS or not all(m is None or callable(m) for m in listed):
                raise RtmInvalidParameterError("at most 32 callable methods may be exported")
            methods = tuple(listed)
        if EventCallback is not None and not callable(EventCallback):
            raise RtmInvalidParameterError("EventCallback must be callable")
        reserve = boolean(ReserveOpaquePointer, "ReserveOpaquePointer")
        table = self._table_for(instance_id, af)
        key = (protocol_id, entity_instance)
        if key in table.entities:
            raise RtmAlreadyExistsError("entity already registered")
        slot = None
        if reserve:
            if not table.free_opaque_slots:
                raise RtmError("no opaque-pointer slot left", WinError.ERROR_NO_SYSTEM_RESOURCES)
            slot = table.free_opaque_slots.pop()
        ent = issue(Entity(table, protocol_id, entity_instance, EventCallback, methods, slot))
        issue(ent.public)
        table.entities[key] = ent
        self._announce(RTM_ENTITY_REGISTERED, ent)
        config = table.config
        profile = RTM_REGN_PROFILE(
            MaxNextHopsInRoute=config.max_nexthops_in_route,
            MaxHandlesInEnum=config.max_handles_in_enum,
            ViewsSupported=config.views_supported,
            NumberOfViews=config.number_of_views,
        )
        return RegisterEntityResult(WinError.NO_ERROR, profile, ent)

    @api(StatusResult)
    def RtmDeregisterEntity(self, RtmRegHandle: Entity | None) -> StatusResult:
        """Deregister; the handle dies. What the entity left behind is force-cleaned with normal best-route
        recomputation and recorded in the leak report (V2-A-dereg); others get RTM_ENTITY_DEREGISTERED."""
        self._forbidden_in(_FORBIDDEN_IN_ENTITY_EVENTS)
        ent = self._entity(RtmRegHandle)
        ent.deregistering = True  # RtmInvokeMethod toward it now fails
        left = holdings(ent, blame=True)
        if not left.clean:
            self._dereg_records.append(left)
        table = ent._table
        strict = table.config.strict_dereg
        if strict:
            table.departed.append(ent)  # its leftovers stay referenced (a faithful leak)
        else:
            self._force_clean(ent)
        del table.entities[(ent.protocol_id, ent.instance_id)]
        if ent.opaque_slot is not None and not strict:
            table.free_opaque_slots.append(ent.opaque_slot)
        # V2-A-dereg: the handle dies once the others heard of it (Context1 is valid during their callbacks).
        self._announce(RTM_ENTITY_DEREGISTERED, ent, then=functools.partial(self._entity_gone, ent))
        return _OK

    def _force_clean(self, ent: Entity) -> None:
        """Undo everything a deregistering entity still has, in an order that keeps the table consistent:
        locks, enumerations, lists, notification registrations, routes, next hops, references, opaque slot.
        Costs in proportion to what the entity owns and holds, never the table size."""
        for dest, (_, exclusive) in list(ent.locks.items()):
            if dest.lock_readers is not None:
                dest.lock_readers.pop(ent, None)
            if exclusive and dest.lock_writer is ent:
                dest.lock_writer = None
            del ent.locks[dest]
            self._unlocked(dest)
        for table_nh in list(ent.nexthops.values()):
            if table_nh.lock_writer is ent:
                table_nh.lock_writer = None
        for enum in list(ent.enums):
            self._close_enum(enum)
        for rlist in list(ent.lists):
            self._delete_list(rlist)
        for reg in list(ent.notify_regs):
            self._deregister_notify(reg)
        for route in sorted(ent.routes, key=route_order):  # live routes only (OwnedRoutes)
            if route.state == RTM_ROUTE_STATE_CREATED:
                self._delete_route(route)
        for nh in list(ent.nexthops.values()):
            self._delete_nexthop(nh)
        for obj, count in list(ent.held.items()):
            self._unref(ent, obj, count)
        ent.infos.clear()
        if ent.opaque_slot is not None:
            for dest in ent.opaque_dests:
                if dest.opaque is not None:
                    dest.opaque.pop(ent.opaque_slot, None)
            ent.opaque_dests.clear()

    @api(GetRegisteredEntitiesResult)
    def RtmGetRegisteredEntities(self, RtmRegHandle: Entity | None, NumEntities: int) -> GetRegisteredEntitiesResult:
        """Every entity registered with the caller's instance and address family, with referenced handles and
        copies of their information. Too small a capacity gives ERROR_INSUFFICIENT_BUFFER and the count needed
        (V2-A-bufsize)."""
        self._forbidden_in(_FORBIDDEN_IN_ENTITY_EVENTS)
        ent = self._entity(RtmRegHandle)
        capacity = ulong(NumEntities, "NumEntities")
        entities = list(ent._table.entities.values())
        if capacity < len(entities):
            return GetRegisteredEntitiesResult(WinError.ERROR_INSUFFICIENT_BUFFER, len(entities), None, None)
        handles = [other.public for other in entities]  # names, never keys (M-ENTITY-KEY)
        for other in entities:
            self._ref(ent, other)
        infos = [self._entity_info(other) for other in entities]
        return GetRegisteredEntitiesResult(WinError.NO_ERROR, len(entities), handles, infos)

    @api(StatusResult)
    def RtmReleaseEntities(
        self, RtmRegHandle: Entity | None, NumEntities: int, EntityHandles: Sequence[EntityHandle | Entity]
    ) -> StatusResult:
        """Release one reference per entity handle."""
        ent = self._entity(RtmRegHandle)
        handles = count_and_list(NumEntities, EntityHandles, "Entities")
        self._release_handles(ent, handles, Entity)
        return _OK
