"""The manager's shared state, handle reference accounting and the information structures it builds.

The lowest of the manager's layers (``_refs`` < ``_mutation`` < ``_boundary`` < the function groups). References
(V2-2.13, V2-A-refs) are counted per (entity, object) in the entity's ``held`` map and on the object's ``_refs``,
beside the references RTM holds itself; an object is freed, and its handle dies, when it is no longer live and
nobody references it. Every handle placed in an information structure is referenced for the caller.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

from ._clock import Clock, SystemClock
from ._config import RtmConfig
from ._constants import (
    RTM_BEST_PROTOCOL,
    RTM_MAX_ADDRESS_SIZE,
    RTM_NEXTHOP_STATE_DELETED,
    RTM_ROUTE_STATE_DELETED,
    RTM_THIS_PROTOCOL,
)
from ._delivery import Deliveries
from ._errors import (
    RtmError,
    RtmInternalError,
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    WinError,
)
from ._leaks import EntityLeaks
from ._objects import NULL, Dest, Entity, EntityHandle, Handle, NextHop, Route, Table
from ._prefix import FAMILIES, KEY_SHIFT, safe_repr
from ._table import (
    best_of,
    select_best_of_protocol,
)
from ._timers import TimerQueue, TimerThread
from ._types import (
    RTM_DEST_INFO,
    RTM_DEST_VIEW_INFO,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
    build_dest_info,
    build_net_address,
    build_view_info,
)
from ._validate import count_and_list, immutable

#: The view ids of RTM_VIEW_MASK_UCAST alone.
_UCAST_ONLY = (0,)
_NBITS_MASK = (1 << KEY_SHIFT) - 1

#: The objects an entity can hold references on (V2-2.13).
REFERENCED_TYPES = frozenset({Dest, Route, NextHop, Entity})

#: Diagnostics kept in the leak report (M-FAULTS).
DIAGNOSTICS_KEPT = 1000


#: Per address family: (family, bytes of AddrBits an address uses, bits of padding after it, the zero bytes
#: that fill AddrBits up to RTM_MAX_ADDRESS_SIZE): ``bytes_of_addr`` for a destination, in line.
_ADDR_WRITE = {
    af: (af, family.nbytes, family.nbytes * 8 - family.bits, bytes(RTM_MAX_ADDRESS_SIZE - family.nbytes))
    for af, family in FAMILIES.items()
}


class CallState(threading.local):
    """What the manager knows about the calling thread: ``busy`` while one of its calls is inside the boundary
    (a callback calling back in then leaves timers and deliveries to the outer call), ``copying`` while a caller's
    value is being deep-copied (M-ESI) and ``event`` while a callback runs (V2-A-cbrules). Class attributes are the
    defaults every thread starts from, so reading them needs no per-thread set-up."""

    busy: bool = False
    copying: bool = False
    event: int | None = None


class References:
    """State every function group shares, reference accounting and the builders of information structures."""

    def __init__(
        self,
        clock: Clock | None = None,
        config: RtmConfig | None = None,
        *,
        table_configs: Mapping[tuple[int, int], RtmConfig] | None = None,
    ) -> None:
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._config = config if config is not None else RtmConfig()
        self._table_configs = dict(table_configs or {})
        self._tables: dict[tuple[int, int], Table] = {}
        self._lock = threading.RLock()
        self._tls = CallState()
        #: Deliveries to run on the calling thread when the outermost call ends (``inline`` delivery, and the
        #: internal steps ordered among them); ``_mutation`` defines the records.
        self._outbox: list[Any] = []
        #: The delivery threads (``threads`` delivery; None when inline or closed), set up by ``_boundary``.
        self._deliveries: Deliveries | None = None
        self._timers = TimerQueue()
        #: The earliest deadline armed since the timer thread last heard (system clock only; ``_boundary``
        #: wakes the thread at the end of the call).
        self._armed: int | None = None
        self._timer_thread: TimerThread | None = None
        self._closed = False
        self._dereg_records: list[EntityLeaks] = []
        #: In-place edits (V2-2.14): next-hop references an owner gave up for its locked route.
        self._nh_credits: dict[Entity, dict[NextHop, int]] = {}
        #: Misuse and client faults detected and tolerated (M-FAULTS): the newest DIAGNOSTICS_KEPT, and a count of
        #: the older ones dropped, so a long-running faulty client cannot grow memory without bound.
        self._diagnostics: deque[str] = deque(maxlen=DIAGNOSTICS_KEPT)
        self._diagnostics_dropped = 0
        self._open_handles = 0
        #: The last FILETIME read from the clock (``_mutation._filetime`` shares it).
        self._last_stamp = 0

    def _diagnose(self, message: str) -> None:
        """Record a diagnostic (under the lock), dropping the oldest beyond DIAGNOSTICS_KEPT."""
        if len(self._diagnostics) == DIAGNOSTICS_KEPT:
            self._diagnostics_dropped += 1
        self._diagnostics.append(message)

    def _copy_in(self, value: object, what: str) -> tuple[Any, bool]:
        """A caller's value to keep: as given when immutable, else a private deep copy (M-ESI); a value that cannot
        be deep-copied is ERROR_INVALID_PARAMETER. Returns (what to keep, whether it is mutable). The copy may run
        the value's own code: API calls from there are refused (they would change the table mid-call)."""
        if immutable(value):
            return value, False
        tls = self._tls
        tls.copying = True
        try:
            return copy.deepcopy(value), True
        except Exception:
            raise RtmInvalidParameterError(f"{what} cannot be copied") from None
        finally:
            tls.copying = False

    def _copy_out(self, value: object) -> Any:
        """A fresh deep copy of a kept mutable value for a caller (M-ESI); immutable ones are handed out as kept."""
        tls = self._tls
        tls.copying = True
        try:
            return copy.deepcopy(value)
        except Exception as exc:  # copied once already; only hostile copy hooks fail now
            self._diagnose(f"EntitySpecificInfo could not be copied out ({type(exc).__name__}); None given instead")
            return None
        finally:
            tls.copying = False

    @staticmethod
    def _entity_info(ent: Entity) -> RTM_ENTITY_INFO:
        """A fresh RTM_ENTITY_INFO of an entity (it holds no handles)."""
        table = ent._table
        return RTM_ENTITY_INFO(table.instance_id, table.family.af, RTM_ENTITY_ID(ent.protocol_id, ent.instance_id))

    def _ref(self, ent: Entity, obj: Handle, n: int = 1) -> None:
        held = ent.held
        held[obj] = held.get(obj, 0) + n
        obj._refs += n
        self._open_handles += n

    def _unref(self, ent: Entity, obj: Handle, n: int = 1) -> None:
        held = ent.held
        count = held.get(obj, 0) - n
        if count < 0:
            raise RtmInternalError(f"{ent!r} releases {obj!r} it does not hold")
        if count:
            held[obj] = count
        else:
            del held[obj]
        if ent.lent:
            self._cap_lent(ent, obj, count)
        self._open_handles -= n
        obj._refs -= n
        if obj._refs == 0:
            self._maybe_free(obj)

    @staticmethod
    def _cap_lent(ent: Entity, obj: Handle, count: int) -> None:
        """After ``ent`` gave back references on ``obj`` and holds ``count``: a reference lent with
        RTM_ROUTE_EXPIRED and given back during the callback (the sample releases it, or deletes the route) stops
        counting as lent, so no more is lent than is held (M-DELIVERY, M-INVARIANTS)."""
        lent = ent.lent
        if type(obj) is Route and lent.get(obj, 0) > count:
            if count:
                lent[obj] = count
            else:
                del lent[obj]

    def _drop(self, obj: Handle) -> None:
        """Release a reference RTM holds itself."""
        obj._refs -= 1
        if obj._refs == 0:
            self._maybe_free(obj)
        elif obj._refs < 0:
            raise RtmInternalError(f"reference count of {obj!r} went negative")

    def _maybe_free(self, obj: Handle) -> None:
        """Free an object nobody references any more if it is no longer live (its handle becomes invalid)."""
        if type(obj) is Route:
            if obj.state == RTM_ROUTE_STATE_DELETED and obj._alive and (obj._x is None or not obj._x.hold_views):
                obj._alive = False
                self._drop(obj.dest)
                if obj.neighbour is not None:
                    self._drop(obj.neighbour)
                for nh in obj.nexthops:
                    self._drop(nh)
        elif type(obj) is Dest:
            if not obj.present and obj._alive:
                obj._alive = False
        elif type(obj) is NextHop and obj.state == RTM_NEXTHOP_STATE_DELETED and obj._alive:
            obj._alive = False
            obj._table.singles.pop(obj, None)
            if obj.remote is not None:
                remote, obj.remote = obj.remote, None
                self._drop(remote)

    def _release_handles(
        self, ent: Entity, handles: list[Any], kind: type[Handle] | None = None, *, in_structure: bool = False
    ) -> None:
        """Release one reference per listed handle; all or nothing (ERROR_INVALID_HANDLE if any is not held).
        None is an empty field inside an information structure, but never a handle in a list of handles."""
        need: dict[Handle, int] = {}
        for given in handles:
            if in_structure and (given is None or given is NULL):
                continue
            # ``_referenced`` in line: exact types and the issue token first, so no caller code runs (M-HANDLES)
            given_kind = type(given)
            try:
                if given_kind in REFERENCED_TYPES and given._token == id(given):
                    h = given
                elif given_kind is EntityHandle and given._token == id(given):
                    h = given._entity
                else:
                    h = None
            except AttributeError:  # made with __new__
                h = None
            if h is None or (kind is not None and type(h) is not kind):
                raise RtmInvalidHandleError(f"{safe_repr(given)} is not a handle of the right kind")
            need[h] = need.get(h, 0) + 1
        held = ent.held
        for h, n in need.items():
            if held.get(h, 0) < n:
                raise RtmInvalidHandleError(f"{h!r} is not held by {ent!r}")
        for h, n in need.items():
            count = held[h] - n
            if count:
                held[h] = count
            else:
                del held[h]
            if ent.lent:
                self._cap_lent(ent, h, count)
            self._open_handles -= n
            h._refs -= n
            if h._refs == 0:
                self._maybe_free(h)

    def _release_dest_info(self, ent: Entity, dest: Dest, info: RTM_DEST_INFO) -> bool:
        """Release the handles of one RTM_DEST_INFO of ``dest`` (an issued destination) with one view, as
        ``_release_handles`` of its handles would: the usual structure, released without a list of its handles or
        a count per handle. False, with nothing done, for any other shape or a handle ``ent`` does not hold: the
        caller then goes the general way, which says what is wrong. Never runs the caller's code."""
        views: Any = info.ViewInfo
        if type(views) is not list or len(views) != 1:
            return False
        view = views[0]
        if type(view) is not RTM_DEST_VIEW_INFO or view.HoldRoute is not None:
            return False
        route: Any = view.Route
        owner: Any = view.Owner
        held = ent.held
        try:
            if route is None and owner is None:
                if held.get(dest, 0) < 1:
                    return False
                handles: tuple[Handle, ...] = (dest,)
            elif (
                type(route) is Route
                and route._token == id(route)
                and type(owner) is EntityHandle
                and owner._token == id(owner)
            ):
                entity = owner._entity
                if held.get(dest, 0) < 1 or held.get(route, 0) < 1 or held.get(entity, 0) < 1:
                    return False
                handles = (dest, route, entity)
            else:
                return False
        except AttributeError:  # made with __new__
            return False
        lent = ent.lent
        for h in handles:  # _release_handles' loop, each handle once
            count = held[h] - 1
            if count:
                held[h] = count
            else:
                del held[h]
            if lent:
                self._cap_lent(ent, h, count)
            h._refs -= 1
            if h._refs == 0:
                self._maybe_free(h)
        self._open_handles -= len(handles)
        return True

    def _release_one(self, ent: Entity, given: Any, kind: type[Handle]) -> bool:
        """Release a single handle of ``kind`` if it is one the manager issued and ``ent`` holds it; False (nothing
        done) otherwise, for ``_release_handles`` to say what is wrong. Never runs the caller's code."""
        try:
            if type(given) is not kind or given._token != id(given):
                return False
        except AttributeError:  # made with __new__
            return False
        held = ent.held
        count = held.get(given, 0)
        if not count:
            return False
        if count == 1:
            del held[given]
        else:
            held[given] = count - 1
        if ent.lent:
            self._cap_lent(ent, given, count - 1)
        self._open_handles -= 1
        given._refs -= 1
        if given._refs == 0:
            self._maybe_free(given)
        return True

    @staticmethod
    def _referenced(given: Any) -> Handle | None:
        """The object a reference on ``given`` is counted on, if ``given`` is a handle the manager issued that
        can be referenced: a destination, route or next hop, or an entity by either of its handles (references on
        an entity are counted on the entity itself, M-ENTITY-KEY); None otherwise. Never runs the caller's code."""
        kind = type(given)
        try:
            if kind in REFERENCED_TYPES:
                return given if given._token == id(given) else None
            if kind is EntityHandle and given._token == id(given):
                return given._entity  # type: ignore[no-any-return]
        except AttributeError:  # made with __new__
            pass
        return None

    def _count_info(self, ent: Entity, kind: str, n: int = 1) -> None:
        if n:
            ent.infos[kind] = ent.infos.get(kind, 0) + n

    def _uncount_info(self, ent: Entity, kind: str, n: int = 1) -> None:
        have = ent.infos.get(kind, 0)
        if have < n:
            raise RtmInvalidHandleError(f"{ent!r} has no {kind} information structure to release")
        if have == n:
            del ent.infos[kind]
        else:
            ent.infos[kind] = have - n

    def _table_for(self, instance_id: int, af: int) -> Table:
        key = (instance_id, af)
        table = self._tables.get(key)
        if table is None:
            config = self._table_configs.get(key, self._config)
            if config.problems():
                raise RtmError("invalid RTM configuration", WinError.ERROR_BAD_CONFIGURATION)
            table = Table(instance_id, FAMILIES[af], config, self)
            self._tables[key] = table
        return table

    @staticmethod
    def _view_ids(table: Table, views: int) -> tuple[int, ...]:
        """Supported view ids in a TargetViews mask, ascending (V2-A-viewmask)."""
        vids = table.vids_cache.get(views)
        if vids is None:
            vids = table.vids_cache[views] = tuple(v for v in table.view_ids if views >> v & 1)
        return vids

    def _dest_info(self, ent: Entity, dest: Dest, protocol: int, vids: tuple[int, ...]) -> RTM_DEST_INFO:
        """A fresh RTM_DEST_INFO of ``dest`` for the views ``vids``, every handle in it referenced for ``ent``."""
        held = ent.held
        routes = dest.routes
        if vids == _UCAST_ONLY and protocol == RTM_BEST_PROTOCOL and dest._x is None:
            # The unicast view's best route, no hold-down (what a change registration for BEST changes of the
            # unicast view asks for, M-SHARED-NOTIFY): the loop below with its view fixed, the routes read once.
            views = count = 0
            for route in routes:
                bits = route.views
                views |= bits
                count += bits & 1
            key = dest.key
            af, nbytes, pad, zeros = _ADDR_WRITE[dest._table.family.af]
            raw = ((key >> KEY_SHIFT) << pad).to_bytes(nbytes, "big") + zeros
            address = build_net_address(af, key & _NBITS_MASK, raw)
            best = dest.best0
            if best is None:
                self._open_handles += 1
                view = build_view_info(0, count, None, None, 0, None)
            else:  # referenced in the loop's order: the route, its owner, then the destination
                owner = best.owner
                held[best] = held.get(best, 0) + 1
                best._refs += 1
                held[owner] = held.get(owner, 0) + 1
                owner._refs += 1
                self._open_handles += 3
                view = build_view_info(0, count, best, owner.public, best.flags, None)
            held[dest] = held.get(dest, 0) + 1
            dest._refs += 1
            return build_dest_info(dest, address, dest.last_changed, views, [view])
        view_info = []
        refs = 1
        for vid in vids:
            bit = 1 << vid
            count = 0
            for route in routes:
                if route.views & bit:
                    count += 1
            if protocol == RTM_BEST_PROTOCOL:
                best = dest.best0 if vid == 0 else best_of(dest, vid)
            else:
                wanted = ent.protocol_id if protocol == RTM_THIS_PROTOCOL else protocol
                best = select_best_of_protocol(dest, vid, wanted)
            extra = dest._x
            hold = extra.holds.get(vid) if extra is not None and extra.holds else None
            hold_route = hold[0] if hold is not None else None
            if best is None:
                view_info.append(build_view_info(vid, count, None, None, 0, hold_route))
            else:
                owner = best.owner  # _ref of the route and of its owner, in line
                held[best] = held.get(best, 0) + 1
                best._refs += 1
                held[owner] = held.get(owner, 0) + 1
                owner._refs += 1
                refs += 2
                view_info.append(build_view_info(vid, count, best, owner.public, best.flags, hold_route))
            if hold_route is not None:
                self._ref(ent, hold_route)
        held[dest] = held.get(dest, 0) + 1
        dest._refs += 1
        self._open_handles += refs
        views = 0
        for route in routes:
            views |= route.views
        af, nbytes, pad, zeros = _ADDR_WRITE[dest._table.family.af]
        raw = (dest.addr << pad).to_bytes(nbytes, "big") + zeros
        return build_dest_info(dest, build_net_address(af, dest.nbits, raw), dest.last_changed, views, view_info)

    def _route_info(self, route: Route, ent: Entity | None) -> RTM_ROUTE_INFO:
        """A copy of a route's record; with ``ent``, the handles inside are referenced for it."""
        if ent is not None:
            self._ref(ent, route.dest)
            self._ref(ent, route.owner)
            if route.neighbour is not None:
                self._ref(ent, route.neighbour)
            for nh in route.nexthops:
                self._ref(ent, nh)
        return RTM_ROUTE_INFO(
            DestHandle=route.dest,
            RouteOwner=route.owner.public,
            Neighbour=route.neighbour,
            State=route.state,
            Flags1=route.flags1,
            Flags=route.flags,
            PrefInfo=RTM_PREF_INFO(Metric=route.metric, Preference=route.pref),
            BelongsToViews=route.views,
            EntitySpecificInfo=self._copy_out(route.esi) if route.esi_mutable else route.esi,
            NextHopsList=RTM_NEXTHOP_LIST(NumNextHops=len(route.nexthops), NextHops=list(route.nexthops)),
        )

    def _nexthop_info(self, nh: NextHop, ent: Entity | None) -> RTM_NEXTHOP_INFO:
        if ent is not None:
            self._ref(ent, nh.owner)
            if nh.remote is not None:
                self._ref(ent, nh.remote)
        return RTM_NEXTHOP_INFO(
            NextHopAddress=RTM_NET_ADDRESS(nh.af, nh.nbits, nh.raw),
            NextHopOwner=nh.owner.public,
            InterfaceIndex=nh.ifindex,
            State=nh.state,
            Flags=nh.flags,
            EntitySpecificInfo=self._copy_out(nh.esi) if nh.esi_mutable else nh.esi,
            RemoteNextHop=nh.remote,
        )

    @staticmethod
    def _dest_info_handles(info: Any) -> list[Any]:
        if type(info) is not RTM_DEST_INFO or type(info.ViewInfo) is not list:
            raise RtmInvalidParameterError("DestInfo must be an RTM_DEST_INFO")
        handles: list[Any] = [info.DestHandle]
        for view in info.ViewInfo:
            if type(view) is not RTM_DEST_VIEW_INFO:
                raise RtmInvalidParameterError("ViewInfo entries must be RTM_DEST_VIEW_INFO")
            handles += (view.Route, view.Owner, view.HoldRoute)
        return handles

    @staticmethod
    def _route_info_handles(info: Any) -> list[Any]:
        if type(info) is not RTM_ROUTE_INFO or type(info.NextHopsList) is not RTM_NEXTHOP_LIST:
            raise RtmInvalidParameterError("RouteInfo must be an RTM_ROUTE_INFO")
        nexthops = count_and_list(info.NextHopsList.NumNextHops, info.NextHopsList.NextHops, "NextHops")
        return [info.DestHandle, info.RouteOwner, info.Neighbour, *nexthops]

    @staticmethod
    def _nexthop_info_handles(info: Any) -> list[Any]:
        if type(info) is not RTM_NEXTHOP_INFO:
            raise RtmInvalidParameterError("NextHopInfo must be an RTM_NEXTHOP_INFO")
        return [info.NextHopOwner, info.RemoteNextHop]
