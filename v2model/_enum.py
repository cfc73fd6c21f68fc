"""Routing table enumeration functions: destinations, routes and next hops, and their release functions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from ._addr import parse_nexthop_address, parse_prefix
from ._boundary import Boundary, api
from ._constants import (
    RTM_BEST_PROTOCOL,
    RTM_ENUM_NEXT,
    RTM_ENUM_OWN_DESTS,
    RTM_ENUM_OWN_ROUTES,
    RTM_ENUM_RANGE,
)
from ._errors import (
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    WinError,
)
from ._matching import match_criteria, route_matches, routes_in_order, take
from ._objects import NULL, Dest, Entity, NextHop, NullHandle, Route, Table, is_issued, issue
from ._objects import EnumHandle as EnumObj
from ._prefix import dest_key
from ._results import (
    EnumDestsResult,
    EnumHandleResult,
    EnumNextHopsResult,
    EnumRoutesResult,
    StatusResult,
)
from ._sortedkeys import SortedKeys
from ._table import (
    has_route_in,
    keys_in_range,
    range_of,
)
from ._types import (
    RTM_DEST_INFO,
    RTM_NET_ADDRESS,
    RTM_ROUTE_INFO,
)
from ._validate import count_and_list, ulong

_OK = StatusResult(WinError.NO_ERROR)


class Enumerations(Boundary):
    """Cursors over the live table (V2-2.10, V2-A-enum-order, V2-A-enum-filters)."""

    def _enum_range(self, table: Table, flags: int, address: Any, width_of_key: int) -> tuple[int, int]:
        """Key range of an enumeration: START = whole table, NEXT = from the address on (inclusive),
        RANGE = the address's subtree."""
        kind = flags & 0x3
        top = dest_key((1 << width_of_key) - 1, width_of_key)
        if kind == 0:
            return 0, top
        if kind not in (RTM_ENUM_NEXT, RTM_ENUM_RANGE):
            raise RtmInvalidParameterError("EnumFlags must hold one of START, NEXT, RANGE")
        if address is None:
            raise RtmInvalidParameterError("NEXT and RANGE need an address")
        addr, nbits = parse_prefix(address, table.family)
        if kind == RTM_ENUM_NEXT:
            return dest_key(addr, nbits), top
        return range_of(addr, nbits, table.family.bits)

    @api(EnumHandleResult)
    def RtmCreateDestEnum(
        self,
        RtmRegHandle: Entity | None,
        TargetViews: int,
        EnumFlags: int,
        NetAddress: RTM_NET_ADDRESS | None = None,
        ProtocolId: int = RTM_BEST_PROTOCOL,
    ) -> EnumHandleResult:
        """Enumerate destinations in address order: RTM_ENUM_START / NEXT / RANGE, all or RTM_ENUM_OWN_DESTS
        (the caller owns the best route in one of the views). Only RTM_VIEW_MASK_ANY sees destinations that have
        nothing but hold-down routes."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        views = self._strict_views(table, TargetViews)
        flags = ulong(EnumFlags, "EnumFlags")
        if flags & ~(0x3 | RTM_ENUM_OWN_DESTS):
            raise RtmInvalidParameterError("unknown EnumFlags bits")
        lo, hi = self._enum_range(table, flags, NetAddress, table.family.bits)
        enum = issue(EnumObj(table, ent, "dest"))
        enum.views, enum.flags, enum.lo, enum.hi = views, flags, lo, hi
        enum.protocol = ulong(ProtocolId, "ProtocolId")
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    def _dest_matches(self, ent: Entity, dest: Dest, enum: EnumObj) -> bool:
        views = enum.views
        if views and not has_route_in(dest, views):
            return False
        if enum.flags & RTM_ENUM_OWN_DESTS:
            scope = views or ent._table.views_supported
            return any(
                best is not None and best.owner is ent and scope >> vid & 1 for vid, best in enumerate(dest.best)
            )
        return True

    @api(EnumDestsResult)
    def RtmGetEnumDests(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumDests: int
    ) -> EnumDestsResult:
        """The next batch (at most MaxHandlesInEnum) of destination information; ERROR_NO_MORE_ITEMS comes with
        the last batch, which may hold items. The enumeration is a cursor over the live table."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "dest")
        n = self._batch_size(ent, NumDests, "NumDests")
        table = ent._table
        picked: list[Dest] = []
        more = False
        for key in keys_in_range(table, enum.lo, enum.hi, enum.cursor):
            dest = table.dests[key]
            if not self._dest_matches(ent, dest, enum):
                continue
            if len(picked) == n:
                more = True
                break
            picked.append(dest)
        if picked:
            enum.cursor = picked[-1].key
        vids = self._view_ids(table, enum.views)
        infos = [self._dest_info(ent, dest, enum.protocol, vids) for dest in picked]
        self._count_info(ent, "dest", len(infos))
        status = WinError.NO_ERROR if more else WinError.ERROR_NO_MORE_ITEMS
        return EnumDestsResult(status, len(infos), infos)

    @api(StatusResult)
    def RtmReleaseDests(
        self, RtmRegHandle: Entity | None, NumDests: int, DestInfos: list[RTM_DEST_INFO]
    ) -> StatusResult:
        """Release the handles inside destination information structures (not those of RtmGetChangedDests)."""
        ent = self._entity(RtmRegHandle)
        infos = count_and_list(NumDests, DestInfos, "Dests")
        handles = [h for info in infos for h in self._dest_info_handles(info)]
        if ent.infos.get("dest", 0) < len(infos):
            raise RtmInvalidHandleError("more destination structures than were handed out")
        self._release_handles(ent, handles, in_structure=True)
        if infos:
            self._uncount_info(ent, "dest", len(infos))
        return _OK

    @api(EnumHandleResult)
    def RtmCreateRouteEnum(
        self,
        RtmRegHandle: Entity | None,
        DestHandle: Dest | NullHandle | None = None,
        TargetViews: int = 0,
        EnumFlags: int = 0,
        StartDest: RTM_NET_ADDRESS | None = None,
        MatchingFlags: int = 0,
        CriteriaRoute: RTM_ROUTE_INFO | None = None,
        CriteriaInterface: int = 0,
    ) -> EnumHandleResult:
        """Enumerate routes: of one destination (DestHandle) or of all destinations in address order (START /
        NEXT / RANGE from StartDest), all or RTM_ENUM_OWN_ROUTES, filtered by RTM_MATCH_* against CriteriaRoute
        and CriteriaInterface. Within a destination routes come best first. Hold-down routes are enumerated only
        with RTM_VIEW_MASK_ANY."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        dest = None if DestHandle is None or DestHandle is NULL else cast(Dest, self._obj(ent, DestHandle, Dest))
        views = self._strict_views(table, TargetViews)
        flags = ulong(EnumFlags, "EnumFlags")
        if flags & ~(0x3 | RTM_ENUM_OWN_ROUTES):
            raise RtmInvalidParameterError("unknown EnumFlags bits")
        match, criteria = match_criteria(MatchingFlags, CriteriaRoute)
        interface = ulong(CriteriaInterface, "CriteriaInterface")
        if dest is None:
            lo, hi = self._enum_range(table, flags, StartDest, table.family.bits)
        else:
            if flags & 0x3 == 0x3:
                raise RtmInvalidParameterError("EnumFlags must hold one of START, NEXT, RANGE")
            lo = hi = dest.key
        enum = issue(EnumObj(table, ent, "route"))
        enum.views, enum.flags, enum.lo, enum.hi = views, flags, lo, hi
        enum.dest, enum.match, enum.criteria, enum.interface = dest, match, criteria, interface
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    def _enum_route_candidates(self, ent: Entity, enum: EnumObj) -> Iterator[Route]:
        """Routes after the cursor in enumeration order. The cursor is the key of the destination last returned
        from plus the routes already returned there, so a route that moves within its destination is neither
        repeated nor skipped, and no route is returned twice (V2-A-enum-order)."""
        table = ent._table
        cursor = enum.cursor
        if enum.dest is not None:
            dests: Iterator[Dest] = iter((enum.dest,))
        else:
            keys = keys_in_range(table, enum.lo, enum.hi, None if cursor is None else cursor - 1)
            dests = (table.dests[k] for k in keys)
        own = enum.flags & RTM_ENUM_OWN_ROUTES
        for dest in dests:
            skip = enum.returned if dest.key == cursor else ()
            for route in routes_in_order(dest, enum.views):
                if route in skip or (own and route.owner is not ent):
                    continue
                if route_matches(route, enum.match, enum.criteria, enum.interface):
                    yield route

    @api(EnumRoutesResult)
    def RtmGetEnumRoutes(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumRoutes: int
    ) -> EnumRoutesResult:
        """The next batch of referenced route handles; ERROR_NO_MORE_ITEMS with the last batch."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "route")
        n = self._batch_size(ent, NumRoutes, "NumRoutes")
        candidates = list(take(self._enum_route_candidates(ent, enum), n + 1))
        picked = candidates[:n]
        for route in picked:
            if route.dest.key != enum.cursor:
                enum.cursor = route.dest.key
                enum.returned = set()
            enum.returned.add(route)
            self._ref(ent, route)
        status = WinError.NO_ERROR if len(candidates) > n else WinError.ERROR_NO_MORE_ITEMS
        return EnumRoutesResult(status, len(picked), picked)

    @api(StatusResult)
    def RtmReleaseRoutes(self, RtmRegHandle: Entity | None, NumRoutes: int, RouteHandles: list[Route]) -> StatusResult:
        """Release one reference per route handle."""
        ent = self._entity(RtmRegHandle)
        if (  # one handle, the usual case: exact types before anything else is asked of the arguments (M-TYPES)
            type(NumRoutes) is int
            and type(RouteHandles) is list
            and NumRoutes == len(RouteHandles) == 1
            and self._release_one(ent, RouteHandles[0], Route)
        ):
            return _OK
        self._release_handles(ent, count_and_list(NumRoutes, RouteHandles, "Routes"), Route)
        return _OK

    @api(EnumHandleResult)
    def RtmCreateNextHopEnum(
        self, RtmRegHandle: Entity | None, EnumFlags: int, NetAddress: RTM_NET_ADDRESS | None = None
    ) -> EnumHandleResult:
        """Enumerate the caller's next hops by address (START / NEXT / RANGE), then interface."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        flags = ulong(EnumFlags, "EnumFlags")
        if flags & ~0x3 or flags == 0x3:
            raise RtmInvalidParameterError("EnumFlags must be one of START, NEXT, RANGE")
        width = table.family.nexthop_bits
        enum = issue(EnumObj(table, ent, "nexthop"))
        enum.flags = flags
        if flags == 0:
            enum.lo, enum.hi = (0, 0, 0), (1 << width, 0, 0)
        else:
            if NetAddress is None:
                raise RtmInvalidParameterError("NEXT and RANGE need an address")
            addr, nbits = parse_nexthop_address(NetAddress, table.family)
            if flags == RTM_ENUM_NEXT:
                enum.lo, enum.hi = (addr, nbits, 0), (1 << width, 0, 0)
            else:
                masked = addr >> (width - nbits) << (width - nbits) if nbits else 0
                enum.lo = (masked, 0, 0)
                enum.hi = (masked | ((1 << (width - nbits)) - 1), width, 0xFFFFFFFF)
        ent.enums[enum] = None
        return EnumHandleResult(WinError.NO_ERROR, enum)

    def _nexthop_sources(self, ent: Entity) -> list[Entity]:
        if ent._table.config.enumerate_all_nexthops:
            return list(ent._table.entities.values())
        return [ent]

    @api(EnumNextHopsResult)
    def RtmGetEnumNextHops(
        self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None, NumNextHops: int
    ) -> EnumNextHopsResult:
        """The next batch of referenced next-hop handles; ERROR_NO_MORE_ITEMS with the last batch."""
        ent = self._entity(RtmRegHandle)
        enum = self._own_enum(ent, EnumHandle, "nexthop")
        n = self._batch_size(ent, NumNextHops, "NumNextHops")
        found: list[tuple[tuple[int, int, int], int, NextHop]] = []
        for owner in self._nexthop_sources(ent):
            if owner.nexthop_order is None:
                order: SortedKeys[tuple[int, int, int]] = SortedKeys()
                for key in sorted(owner.nexthops):
                    order.add(key)
                owner.nexthop_order = order
            count = 0
            start = enum.lo if enum.cursor is None or enum.cursor[0] < enum.lo else enum.cursor[0]
            for key in owner.nexthop_order.iter_from(start):
                if key > enum.hi:
                    break
                if enum.cursor is not None and (key, owner._serial) <= enum.cursor:
                    continue
                found.append((key, owner._serial, owner.nexthops[key]))
                count += 1
                if count > n:
                    break
        found.sort(key=lambda item: (item[0], item[1]))
        picked = found[:n]
        more = len(found) > n
        if picked:
            enum.cursor = (picked[-1][0], picked[-1][1])
        handles = [nh for _, _, nh in picked]
        for nh in handles:
            self._ref(ent, nh)
        status = WinError.NO_ERROR if more else WinError.ERROR_NO_MORE_ITEMS
        return EnumNextHopsResult(status, len(handles), handles)

    @api(StatusResult)
    def RtmReleaseNextHops(
        self, RtmRegHandle: Entity | None, NumNextHops: int, NextHopHandles: list[NextHop]
    ) -> StatusResult:
        """Release one reference per next-hop handle. While the caller edits one of its routes in place, this is
        also how it gives up the route's reference on a next hop it removes (V2-2.14)."""
        ent = self._entity(RtmRegHandle)
        handles = count_and_list(NumNextHops, NextHopHandles, "NextHops")
        plain: list[Any] = []
        credits = self._nh_credits.get(ent, {})
        granted: dict[NextHop, int] = {}
        for h in handles:
            if (
                type(h) is NextHop
                and is_issued(h)
                and credits.get(h, 0) + granted.get(h, 0) < self._locked_route_refs(ent, h)
            ):
                granted[h] = granted.get(h, 0) + 1
            else:
                plain.append(h)
        self._release_handles(ent, plain, NextHop)
        if granted:
            credits = self._nh_credits.setdefault(ent, {})
            for nh, n in granted.items():
                credits[nh] = credits.get(nh, 0) + n
        return _OK

    @staticmethod
    def _locked_route_refs(ent: Entity, nh: NextHop) -> int:
        """How many references the caller's exclusively locked routes hold on ``nh``."""
        refs = 0
        for dest, (_, exclusive) in ent.locks.items():
            if exclusive:
                for route in dest.routes:
                    if route.owner is ent:
                        refs += route.nexthops.count(nh) + (nh is route.neighbour)
        return refs

    @api(StatusResult)
    def RtmDeleteEnumHandle(self, RtmRegHandle: Entity | None, EnumHandle: EnumObj | None) -> StatusResult:
        """Close any enumeration of the caller; handles it returned stay valid."""
        ent = self._entity(RtmRegHandle)
        enum = cast(EnumObj, self._obj(ent, EnumHandle, EnumObj))
        if enum.owner is not ent:
            raise RtmInvalidHandleError("not an enumeration of the caller")
        self._close_enum(enum)
        return _OK
