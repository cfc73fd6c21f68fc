"""Next-hop insertion and deletion functions, with next-hop pointers and locks (V2-2.5, V2-A-nexthop)."""

from __future__ import annotations

from typing import Any, cast

from ._addr import parse_nexthop_address
from ._boundary import Boundary, api
from ._constants import (
    RTM_NEXTHOP_CHANGE_NEW,
    RTM_NEXTHOP_FLAGS_DOWN,
    RTM_NEXTHOP_FLAGS_REMOTE,
    RTM_NEXTHOP_STATE_CREATED,
)
from ._errors import (
    RtmAccessDeniedError,
    RtmError,
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    RtmNotFoundError,
    WinError,
)
from ._objects import NULL, Dest, Entity, NextHop, NullHandle, absent, issue
from ._results import (
    AddNextHopResult,
    FindNextHopResult,
    NextHopPointerResult,
    StatusResult,
)
from ._types import (
    RTM_NEXTHOP_INFO,
)
from ._validate import boolean, ulong, ushort

#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class NextHops(Boundary):
    """Each entity's next-hop list: RtmAddNextHop, RtmFindNextHop, RtmDeleteNextHop, RtmGetNextHopPointer,
    RtmLockNextHop."""

    def _nexthop_fields(self, ent: Entity, info: RTM_NEXTHOP_INFO) -> tuple[int, Any, bool, Dest | None]:
        """The writable fields of an RTM_NEXTHOP_INFO, validated and copied (M-ESI)."""
        esi, esi_mutable = self._copy_in(info.EntitySpecificInfo, "EntitySpecificInfo")
        flags = ushort(info.Flags, "Flags")
        if flags & ~(RTM_NEXTHOP_FLAGS_REMOTE | RTM_NEXTHOP_FLAGS_DOWN):
            raise RtmInvalidParameterError("next-hop Flags may only be REMOTE and DOWN")
        remote = info.RemoteNextHop
        remote = None if absent(remote) else self._obj(ent, remote, Dest)
        return flags, esi, esi_mutable, remote

    @api(AddNextHopResult)
    def RtmAddNextHop(
        self,
        RtmRegHandle: Entity | None,
        NextHopInfo: RTM_NEXTHOP_INFO,
        NextHopHandle: NextHop | NullHandle | None = None,
    ) -> AddNextHopResult:
        """Find-or-create a next hop in the caller's list by (NextHopAddress, InterfaceIndex) and set its
        writable fields (Flags, EntitySpecificInfo, RemoteNextHop); with a handle, update that next hop.
        RTM_NEXTHOP_CHANGE_NEW when created. A handle is returned (a new reference) when None was passed in; with
        NULL none is returned and no reference taken (M-NULL)."""
        ent = self._entity(RtmRegHandle)
        table = ent._table
        wants_handle = NextHopHandle is not NULL
        if NextHopHandle is NULL:
            NextHopHandle = None
        if type(NextHopInfo) is not RTM_NEXTHOP_INFO:
            raise RtmInvalidParameterError("NextHopInfo must be an RTM_NEXTHOP_INFO")
        if NextHopHandle is not None:
            nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
            if nh.owner is not ent:
                raise RtmAccessDeniedError("the caller does not own this next hop")
            if nh.state != RTM_NEXTHOP_STATE_CREATED:
                raise RtmInvalidHandleError("the next hop was deleted")
            fields = self._nexthop_fields(ent, NextHopInfo)
            self._update_nexthop(nh, *fields)
            return AddNextHopResult(WinError.NO_ERROR, nh, 0)
        addr, nbits = parse_nexthop_address(NextHopInfo.NextHopAddress, table.family)
        key = (addr, nbits, ulong(NextHopInfo.InterfaceIndex, "InterfaceIndex"))
        fields = self._nexthop_fields(ent, NextHopInfo)
        nh_found = ent.nexthops.get(key)
        change = 0
        if nh_found is None:
            a = NextHopInfo.NextHopAddress
            nh_found = issue(NextHop(table, ent, a.AddressFamily, a.NumBits, a.AddrBits, key))
            ent.nexthops[key] = nh_found
            if ent.nexthop_order is not None:
                ent.nexthop_order.add(key)
            table.nexthop_count += 1
            change = RTM_NEXTHOP_CHANGE_NEW
        self._update_nexthop(nh_found, *fields)
        if not wants_handle:
            return AddNextHopResult(WinError.NO_ERROR, None, change)
        self._ref(ent, nh_found)
        return AddNextHopResult(WinError.NO_ERROR, nh_found, change)

    @api(FindNextHopResult)
    def RtmFindNextHop(self, RtmRegHandle: Entity | None, NextHopInfo: RTM_NEXTHOP_INFO) -> FindNextHopResult:
        """Look up (NextHopAddress, InterfaceIndex) in the caller's next-hop list: a referenced handle and a
        direct read-only pointer; ERROR_NOT_FOUND if absent."""
        ent = self._entity(RtmRegHandle)
        if type(NextHopInfo) is not RTM_NEXTHOP_INFO:
            raise RtmInvalidParameterError("NextHopInfo must be an RTM_NEXTHOP_INFO")
        addr, nbits = parse_nexthop_address(NextHopInfo.NextHopAddress, ent._table.family)
        nh = ent.nexthops.get((addr, nbits, ulong(NextHopInfo.InterfaceIndex, "InterfaceIndex")))
        if nh is None:
            raise RtmNotFoundError("no such next hop")
        self._ref(ent, nh)
        return FindNextHopResult(WinError.NO_ERROR, nh, self._nexthop_pointer(nh))

    @api(StatusResult)
    def RtmDeleteNextHop(
        self,
        RtmRegHandle: Entity | None,
        NextHopHandle: NextHop | NullHandle | None = None,
        NextHopInfo: RTM_NEXTHOP_INFO | None = None,
    ) -> StatusResult:
        """Delete a next hop of the caller, by handle (which the call releases) or by address and interface.
        Routes that still use it keep it until they go (V2-A-nexthop)."""
        ent = self._entity(RtmRegHandle)
        if NextHopHandle is NULL:
            NextHopHandle = None
        if NextHopHandle is not None:
            nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
            if nh.owner is not ent:
                raise RtmAccessDeniedError("the caller does not own this next hop")
            if nh.state != RTM_NEXTHOP_STATE_CREATED:
                raise RtmNotFoundError("the next hop is already deleted")
        else:
            if type(NextHopInfo) is not RTM_NEXTHOP_INFO:
                raise RtmInvalidParameterError("NextHopInfo is required without a NextHopHandle")
            addr, nbits = parse_nexthop_address(NextHopInfo.NextHopAddress, ent._table.family)
            found = ent.nexthops.get((addr, nbits, ulong(NextHopInfo.InterfaceIndex, "InterfaceIndex")))
            if found is None:
                raise RtmNotFoundError("no such next hop")
            nh = found
        if NextHopHandle is not None and ent.held.get(nh):
            self._unref(ent, nh)
        self._delete_nexthop(nh)
        return _OK

    @api(NextHopPointerResult)
    def RtmGetNextHopPointer(self, RtmRegHandle: Entity | None, NextHopHandle: NextHop | None) -> NextHopPointerResult:
        """The owner's read-only direct view of its next hop."""
        ent = self._entity(RtmRegHandle)
        nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
        if nh.owner is not ent:
            raise RtmAccessDeniedError("only the owner gets a next-hop pointer")
        return NextHopPointerResult(WinError.NO_ERROR, self._nexthop_pointer(nh))

    @api(NextHopPointerResult)
    def RtmLockNextHop(
        self, RtmRegHandle: Entity | None, NextHopHandle: NextHop | None, Exclusive: bool | int, LockNextHop: bool | int
    ) -> NextHopPointerResult:
        """The owner locks (or unlocks) a next hop to edit Flags, EntitySpecificInfo and RemoteNextHop in place
        through the pointer; the edits take effect when it unlocks. Address and interface are immutable."""
        ent = self._entity(RtmRegHandle)
        nh = cast(NextHop, self._obj(ent, NextHopHandle, NextHop))
        if nh.owner is not ent:
            raise RtmAccessDeniedError("only the owner may lock its next hop")
        if nh.state != RTM_NEXTHOP_STATE_CREATED:
            raise RtmNotFoundError("the next hop was deleted")
        exclusive = boolean(Exclusive, "Exclusive")
        if boolean(LockNextHop, "LockNextHop"):
            if nh.lock_writer is not None or (exclusive and nh.lock_readers):
                raise RtmInvalidParameterError("the next hop is already locked")
            if exclusive:
                nh.lock_writer = ent
            else:
                nh.lock_readers += 1
            return NextHopPointerResult(WinError.NO_ERROR, self._nexthop_pointer(nh))
        if exclusive:
            if nh.lock_writer is not ent:
                raise RtmInvalidParameterError("unlock without a matching lock")
            pointer = nh.pointer
            assert pointer is not None
            try:
                fields = self._nexthop_fields(ent, pointer)
            except RtmError:
                self._sync_nexthop_pointer(nh)  # invalid edits are reverted
                raise
            nh.lock_writer = None
            self._update_nexthop(nh, *fields)
        else:
            if not nh.lock_readers:
                raise RtmInvalidParameterError("unlock without a matching lock")
            nh.lock_readers -= 1
        return NextHopPointerResult(WinError.NO_ERROR, None)
