"""Opaque pointer functions: RtmLockDestination and RtmGetOpaqueInformationPointer (V2-2.12, V2-A-opaque)."""

from __future__ import annotations

from typing import cast

from ._boundary import Boundary, api
from ._errors import (
    RtmNotFoundError,
    WinError,
)
from ._objects import Dest, Entity, OpaquePointer
from ._results import (
    OpaquePointerResult,
    StatusResult,
)
from ._validate import boolean

#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class OpaquePointers(Boundary):
    """Per-entity opaque slots in destinations, and the destination locks that guard them."""

    @api(StatusResult)
    def RtmLockDestination(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None, Exclusive: bool | int, LockDest: bool | int
    ) -> StatusResult:
        """Lock (LockDest TRUE) or unlock a destination, shared or exclusive; unlock with the mode used to lock.
        The model answers ERROR_BUSY where Windows would block (another entity holds a conflicting lock)."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        exclusive = boolean(Exclusive, "Exclusive")
        if boolean(LockDest, "LockDest"):
            self._lock_dest(ent, dest, exclusive)
        else:
            self._unlock_dest(ent, dest, exclusive)
        return _OK

    @api(OpaquePointerResult)
    def RtmGetOpaqueInformationPointer(
        self, RtmRegHandle: Entity | None, DestHandle: Dest | None
    ) -> OpaquePointerResult:
        """The caller's opaque slot in a destination (a cell: read and write ``.value``); ERROR_NOT_FOUND when
        the caller reserved no slot at registration."""
        ent = self._entity(RtmRegHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        if ent.opaque_slot is None:
            raise RtmNotFoundError("no opaque slot reserved")
        if dest not in ent.locks:
            self._diagnose(f"{ent!r} used its opaque pointer in {dest!r} without locking it")
        if dest.opaque is None:
            dest.opaque = {}
        cell = dest.opaque.get(ent.opaque_slot)
        if cell is None:
            cell = dest.opaque[ent.opaque_slot] = OpaquePointer()
            ent.opaque_dests.add(dest)
        return OpaquePointerResult(WinError.NO_ERROR, cell)
