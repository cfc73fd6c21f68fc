"""Route insertion and deletion functions, with hold-down, route pointers, route locks and in-place update."""

from __future__ import annotations

from typing import Any, cast

from ._addr import parse_prefix
from ._boundary import Boundary, api
from ._constants import (
    INFINITE,
    RTM_NEXTHOP_STATE_CREATED,
    RTM_ROUTE_CHANGE_BEST,
    RTM_ROUTE_CHANGE_FIRST,
    RTM_ROUTE_CHANGE_NEW,
    RTM_ROUTE_STATE_CREATED,
    RTM_VIEW_MASK_ALL,
)
from ._errors import (
    RtmAccessDeniedError,
    RtmError,
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    RtmNotFoundError,
    RtmNotSupportedError,
    WinError,
)
from ._mutation import RouteSpec
from ._objects import NULL, Dest, Entity, NextHop, NotifyReg, NullHandle, Route, RouteList, Table
from ._prefix import KEY_SHIFT
from ._results import (
    AddRouteResult,
    ChangeFlagsResult,
    RoutePointerResult,
    StatusResult,
)
from ._table import recompute
from ._types import (
    RTM_NET_ADDRESS,
    RTM_NEXTHOP_LIST,
    RTM_PREF_INFO,
    RTM_ROUTE_INFO,
)
from ._validate import UCHAR_MAX, ULONG_MAX, USHORT_MAX, boolean, count_and_list, uchar, ulong, ushort

_ROUTE_CHANGE_INPUT = RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST
_tuple_new = tuple.__new__
NO_ERROR = WinError.NO_ERROR


_DELETED = ChangeFlagsResult(WinError.NO_ERROR, 0)
_DELETED_BEST = ChangeFlagsResult(WinError.NO_ERROR, RTM_ROUTE_CHANGE_BEST)


def _owned_by(handle: Any, ent: Entity) -> bool:
    """Whether ``handle`` is a live next hop of ``ent`` that the manager issued (M-HANDLES): the check of
    ``_owned_nexthop`` in one expression, for the values that pass it; the others go through the named check,
    which says what is wrong."""
    try:
        return (
            type(handle) is NextHop
            and handle._token == id(handle)
            and handle.owner is ent
            and handle._alive
            and handle.state == RTM_NEXTHOP_STATE_CREATED
        )
    except AttributeError:  # made with __new__
        return False


#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class RouteUpdates(Boundary):
    """RtmAddRouteToDest, RtmDeleteRouteToDest, RtmHoldDestination, RtmGetRoutePointer, RtmLockRoute and
    RtmUpdateAndUnlockRoute (V2-6.5, V2-2.14)."""

    def _route_spec(self, ent: Entity, info: Any, table: Table) -> RouteSpec:
        """Validate the caller-settable fields of an RTM_ROUTE_INFO (V2-2.4, V2-A-match-add (e), A-views0).

        Each field is read once and checked by exact type in line (M-TYPES); only a value that fails a check goes
        through the named helper, which raises with the message. The usual single next hop that is also the
        neighbour is checked once."""
        if type(info) is not RTM_ROUTE_INFO:
            raise RtmInvalidParameterError("RouteInfo must be an RTM_ROUTE_INFO")
        esi = info.EntitySpecificInfo
        if esi is None:
            esi_mutable = False
        else:
            esi, esi_mutable = self._copy_in(esi, "EntitySpecificInfo")
        neighbour: Any = info.Neighbour
        if neighbour is None or neighbour is NULL:
            neighbour = None
        elif not _owned_by(neighbour, ent):
            neighbour = self._owned_nexthop(ent, neighbour, "Neighbour")
        pref_info = info.PrefInfo
        if type(pref_info) is not RTM_PREF_INFO:
            raise RtmInvalidParameterError("PrefInfo must be an RTM_PREF_INFO")
        metric = pref_info.Metric
        if type(metric) is not int or not 0 <= metric <= ULONG_MAX:
            metric = ulong(metric, "PrefInfo.Metric")
        pref = pref_info.Preference
        if type(pref) is not int or not 0 <= pref <= ULONG_MAX:
            pref = ulong(pref, "PrefInfo.Preference")
        config = table.config
        policy = config.preference_policy
        if policy:
            pref = policy.get(ent.protocol_id, pref)  # V2-A-pref
        views = info.BelongsToViews
        if type(views) is not int or not 0 <= views <= ULONG_MAX:
            views = ulong(views, "BelongsToViews")
        if views & ~table.views_supported:
            raise RtmInvalidParameterError("BelongsToViews names an unsupported view")
        nh_list = info.NextHopsList
        if type(nh_list) is not RTM_NEXTHOP_LIST:
            raise RtmInvalidParameterError("NextHopsList must be an RTM_NEXTHOP_LIST")
        count: Any = nh_list.NumNextHops
        handles: Any = nh_list.NextHops
        kind = type(handles)
        if type(count) is not int or not 0 <= count <= USHORT_MAX or (kind is not list and kind is not tuple):
            handles = count_and_list(ushort(count, "NumNextHops"), handles, "NextHops")
        elif count != len(handles):
            raise RtmInvalidParameterError(
                f"NumNextHops ({count}) differs from the length of NextHops ({len(handles)})"
            )
        if len(handles) > config.max_nexthops_in_route:
            raise RtmInvalidParameterError("more next hops than MaxNextHopsInRoute")
        if len(handles) == 1:
            only = handles[0]
            if only is not neighbour and not _owned_by(only, ent):
                only = self._owned_nexthop(ent, only, "NextHops")
            nexthops = table.singles.get(only)  # _single_nexthops, in line for a next hop in use
            if nexthops is None:
                nexthops = self._single_nexthops(ent, only)
        else:
            nexthops = tuple(h if _owned_by(h, ent) else self._owned_nexthop(ent, h, "NextHops") for h in handles)
        flags1 = info.Flags1
        if type(flags1) is not int or not 0 <= flags1 <= UCHAR_MAX:
            flags1 = uchar(flags1, "Flags1")
        flags = info.Flags
        if type(flags) is not int or not 0 <= flags <= USHORT_MAX:
            flags = ushort(flags, "Flags")
        return _tuple_new(RouteSpec, (neighbour, flags1, flags, metric, pref, views, esi, esi_mutable, nexthops))

    def _owned_nexthop(self, ent: Entity, handle: Any, what: str) -> NextHop:
        nh = self._obj(ent, handle, NextHop)
        if nh.owner is not ent or nh.state != RTM_NEXTHOP_STATE_CREATED:
            raise RtmInvalidParameterError(f"{what} must be a live next hop of the caller")
        return cast(NextHop, nh)

    @api(AddRouteResult)
    def RtmAddRouteToDest(
        self,
        RtmRegHandle: Entity | None,
        RouteHandle: Route | NullHandle | None = None,
        DestAddress: RTM_NET_ADDRESS | None = None,
        RouteInfo: RTM_ROUTE_INFO | None = None,
        TimeToLive: int = INFINITE,
        RouteListHandle: RouteList | NullHandle | None = None,
        NotifyType: int = 0,
        NotifyHandle: NotifyReg | NullHandle | None = None,
        ChangeFlags: int = 0,
    ) -> AddRouteResult:
        """Add a route, or update the route with the same (destination, owner, neighbour) (V2-6.5).

        ``RouteHandle`` given: update that route. ``ChangeFlags`` RTM_ROUTE_CHANGE_NEW always creates,
        RTM_ROUTE_CHANGE_FIRST matches the caller's first route on the destination whatever its neighbour.
        Returns the route handle (a new reference when none was passed in) and RTM_ROUTE_CHANGE_NEW /
        RTM_ROUTE_CHANGE_BEST. NotifyType and NotifyHandle are reserved (0 and None).
        """
        ent: Any = RtmRegHandle  # _entity, in line: the registration handle as RtmRegisterEntity returned it
        try:
            valid = (
                type(ent) is Entity
                and ent._token == id(ent)
                and ent._alive
                and not ent.deregistering
                and ent._table.manager is self
            )
        except AttributeError:  # made with __new__
            valid = False
        if not valid:
            ent = self._entity(RtmRegHandle)  # raises, saying why
        table = ent._table
        route: Route | None = None
        wants_handle = RouteHandle is not NULL  # NULL: no handle wanted, none referenced (M-NULL)
        if RouteHandle is NULL:
            RouteHandle = None
        if RouteListHandle is NULL:
            RouteListHandle = None
        if NotifyHandle is NULL:
            NotifyHandle = None
        if RouteHandle is not None:
            route = cast(Route, self._obj(ent, RouteHandle, Route))
            if route.owner is not ent:
                raise RtmAccessDeniedError("the caller does not own this route")
            if route.state != RTM_ROUTE_STATE_CREATED:
                raise RtmInvalidHandleError("the route was deleted")  # V2-A-match-add (c)
            if DestAddress is not None and parse_prefix(DestAddress, table.family) != (
                route.dest.addr,
                route.dest.nbits,
            ):
                raise RtmInvalidParameterError("DestAddress differs from the route's destination")
            addr, nbits = route.dest.addr, route.dest.nbits
        else:
            if DestAddress is None:
                raise RtmInvalidParameterError("DestAddress is required without a RouteHandle")
            addr, nbits = parse_prefix(DestAddress, table.family)
        spec = self._route_spec(ent, RouteInfo, table)
        ttl = TimeToLive
        if type(ttl) is not int or not 0 <= ttl <= ULONG_MAX:
            ttl = ulong(ttl, "TimeToLive")
        rlist = None if RouteListHandle is None else self._own_list(ent, RouteListHandle)
        if type(NotifyType) is not int or not 0 <= NotifyType <= ULONG_MAX:
            ulong(NotifyType, "NotifyType")
        if NotifyHandle is not None:
            self._own_notify(ent, NotifyHandle)
        flags_in = ChangeFlags
        if type(flags_in) is not int or not 0 <= flags_in <= ULONG_MAX:
            flags_in = ulong(flags_in, "ChangeFlags")
        if flags_in & ~_ROUTE_CHANGE_INPUT:
            raise RtmInvalidParameterError("unknown ChangeFlags bits")

        created = False
        if route is None:
            dest = table.dests.get((addr << KEY_SHIFT) | nbits)
            if dest is not None and not flags_in & RTM_ROUTE_CHANGE_NEW:
                first = flags_in & RTM_ROUTE_CHANGE_FIRST
                neighbour = spec.neighbour
                for candidate in dest.routes:
                    if candidate.owner is ent and (first or candidate.neighbour is neighbour):
                        route = candidate
                        break
            if route is None:
                if dest is None:
                    dest = self._new_dest(table, addr, nbits)
                route, best_mask = self._add_route(ent, dest, spec)
                created = True
        if not created:
            best_mask = self._update_route(route, spec)
        if ttl != INFINITE or route.timer_gen:
            self._arm_route(route, ttl)
        if rlist is not None:
            self._move_to_list(route, rlist)
        out_flags = (RTM_ROUTE_CHANGE_NEW if created else 0) | (RTM_ROUTE_CHANGE_BEST if best_mask else 0)
        if RouteHandle is None and wants_handle:
            held = ent.held  # _ref, in line
            held[route] = held.get(route, 0) + 1
            route._refs += 1
            self._open_handles += 1
        elif RouteHandle is None:
            return _tuple_new(AddRouteResult, (NO_ERROR, None, out_flags))
        return _tuple_new(AddRouteResult, (NO_ERROR, route, out_flags))

    @api(ChangeFlagsResult)
    def RtmDeleteRouteToDest(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> ChangeFlagsResult:
        """Delete one of the caller's routes; the handle passed in is released by the call. A route already
        deleted (e.g. expired) gives ERROR_NOT_FOUND and its handle stays held (V2-A-delete)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("the caller does not own this route")
        if route.state != RTM_ROUTE_STATE_CREATED:
            raise RtmNotFoundError("the route is already deleted")
        best_mask = self._delete_route(route)
        if ent.held.get(route):
            self._unref(ent, route)
        return _DELETED_BEST if best_mask else _DELETED

    @api(StatusResult)
    def RtmHoldDestination(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, TargetViews: int, HoldTime: int
    ) -> StatusResult:
        """Arm hold-down for the given views of a destination: when the last route of such a view is deleted it
        is kept as the view's HoldRoute for HoldTime ms. One maximum hold time serves every view (V2-2.7)."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        views = ulong(TargetViews, "TargetViews")
        hold_time = ulong(HoldTime, "HoldTime")
        if hold_time == 0:
            raise RtmInvalidParameterError("HoldTime must not be 0")
        table = ent._table
        views = table.views_supported if views in (0, RTM_VIEW_MASK_ALL) else views & table.views_supported
        if not views:
            raise RtmNotSupportedError("no supported view in TargetViews")
        dest.hold_views |= views
        dest.hold_time = max(dest.hold_time, hold_time)
        return _OK

    @api(RoutePointerResult)
    def RtmGetRoutePointer(self, RtmRegHandle: Entity | None, RouteHandle: Route | None) -> RoutePointerResult:
        """The owner's read-only direct view of its route (kept current by RTM)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("only the owner gets a route pointer")
        return RoutePointerResult(WinError.NO_ERROR, self._route_pointer(route))

    @api(RoutePointerResult)
    def RtmLockRoute(
        self, RtmRegHandle: Entity | None, RouteHandle: Route | None, Exclusive: bool | int, LockRoute: bool | int
    ) -> RoutePointerResult:
        """Lock (or unlock) a route, which locks its whole destination; the owner gets a direct pointer to
        edit Neighbour, PrefInfo, BelongsToViews, EntitySpecificInfo, NextHopsList, Flags and Flags1 in place,
        then commits with RtmUpdateAndUnlockRoute (V2-2.14, V2-A-route-fields)."""
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("only the owner may lock its route")
        exclusive = boolean(Exclusive, "Exclusive")
        dest = route.dest
        if boolean(LockRoute, "LockRoute"):
            self._lock_dest(ent, dest, exclusive)
            return RoutePointerResult(WinError.NO_ERROR, self._route_pointer(route))
        counts = ent.locks.get(dest)
        if counts is None or not counts[1 if exclusive else 0]:
            raise RtmInvalidParameterError("unlock without a matching lock")
        if exclusive and route.pointer is not None and route.state == RTM_ROUTE_STATE_CREATED:
            try:
                self._commit_pointer_edits(ent, route, notify=False)
            except RtmError:
                # The unlock after a failed RtmUpdateAndUnlockRoute (V2-2.14): invalid edits are dropped.
                self._nh_credits.pop(ent, None)
                self._sync_route_pointer(route)
                self._diagnose(f"{ent!r} unlocked {route!r} with invalid in-place edits; they were dropped")
        self._unlock_dest(ent, dest, exclusive)
        return RoutePointerResult(WinError.NO_ERROR, None)

    @api(ChangeFlagsResult)
    def RtmUpdateAndUnlockRoute(
        self,
        RtmRegHandle: Entity | None,
        RouteHandle: Route | None,
        TimeToLive: int = INFINITE,
        RouteListHandle: RouteList | NullHandle | None = None,
        NotifyType: int = 0,
        NotifyHandle: NotifyReg | NullHandle | None = None,
    ) -> ChangeFlagsResult:
        """Commit the in-place edits of a route locked exclusively with RtmLockRoute: re-position it, recompute
        best routes, notify, set the new TimeToLive, optionally move it to a route list, and unlock. On failure
        the route stays locked."""
        if RouteListHandle is NULL:
            RouteListHandle = None
        if NotifyHandle is NULL:
            NotifyHandle = None
        ent = self._entity(RtmRegHandle)
        route = cast(Route, self._obj(ent, RouteHandle, Route))
        if route.owner is not ent:
            raise RtmAccessDeniedError("only the owner may update its route")
        dest = route.dest
        counts = ent.locks.get(dest)
        if counts is None or not counts[1] or route.pointer is None:
            raise RtmInvalidParameterError("the route is not locked exclusively by the caller")  # V2-A-locks
        if route.state != RTM_ROUTE_STATE_CREATED:
            raise RtmNotFoundError("the route was deleted")
        ttl = ulong(TimeToLive, "TimeToLive")
        rlist = None if RouteListHandle is None else self._own_list(ent, RouteListHandle)
        ulong(NotifyType, "NotifyType")
        if NotifyHandle is not None:
            self._own_notify(ent, NotifyHandle)
        best_mask = self._commit_pointer_edits(ent, route, notify=True)
        self._arm_route(route, ttl)
        if rlist is not None:
            self._move_to_list(route, rlist)
        self._unlock_dest(ent, dest, True)
        return ChangeFlagsResult(WinError.NO_ERROR, RTM_ROUTE_CHANGE_BEST if best_mask else 0)

    def _commit_pointer_edits(self, ent: Entity, route: Route, *, notify: bool) -> int:
        """Apply what the owner wrote through its route pointer. Read-only fields written are reverted and
        reported (ERROR_INVALID_PARAMETER); next-hop references the owner should have adjusted by hand are
        balanced here and the imbalance is recorded (V2-A-route-fields)."""
        pointer = route.pointer
        assert pointer is not None
        if (
            pointer.DestHandle is not route.dest
            or pointer.RouteOwner is not route.owner.public
            or type(pointer.State) is not int  # exact type first: no comparison runs the caller's code
            or pointer.State != route.state
        ):
            pointer.DestHandle, pointer.RouteOwner, pointer.State = route.dest, route.owner.public, route.state
            raise RtmInvalidParameterError("DestHandle, RouteOwner and State are read-only")
        spec = self._route_spec(ent, pointer, ent._table)
        self._balance_inplace_refs(ent, route, spec)
        if notify:
            return self._update_route(route, spec)
        before_views = route.views
        self._apply_spec(route, spec)
        recompute(route.dest._table, route.dest, before_views | route.views)
        self._diagnose(f"{ent!r} edited {route!r} in place and unlocked without RtmUpdateAndUnlockRoute")
        return 0

    def _balance_inplace_refs(self, ent: Entity, route: Route, spec: RouteSpec) -> None:
        old = list(route.nexthops) + ([route.neighbour] if route.neighbour is not None else [])
        new = list(spec.nexthops) + ([spec.neighbour] if spec.neighbour is not None else [])
        for nh in new:
            if nh in old:
                old.remove(nh)
            elif ent.held.get(nh):
                self._unref(ent, nh)  # the owner's RtmReferenceHandles now stands for the route's reference
            else:
                self._diagnose(f"{ent!r} added {nh!r} to {route!r} in place without RtmReferenceHandles")
        credits = self._nh_credits.pop(ent, {})
        for nh in old:
            if credits.get(nh):
                credits[nh] -= 1
            else:
                self._diagnose(f"{ent!r} removed {nh!r} from {route!r} in place without RtmReleaseNextHops")
        for nh, left in credits.items():
            if left:
                self._diagnose(f"{ent!r} released {nh!r} while editing {route!r} but kept it in the route")
