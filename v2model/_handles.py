"""Handle management: RtmReferenceHandles (V2-2.13)."""

from __future__ import annotations

from ._boundary import Boundary, api
from ._errors import (
    RtmInvalidHandleError,
    WinError,
)
from ._objects import Entity, Handle
from ._prefix import safe_repr
from ._results import (
    StatusResult,
)
from ._validate import count_and_list

#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class HandleManagement(Boundary):
    """Extra references on handles, released with each type's own release function."""

    @api(StatusResult)
    def RtmReferenceHandles(
        self, RtmRegHandle: Entity | None, NumHandles: int, RtmHandles: list[Handle]
    ) -> StatusResult:
        """Add one reference to each destination, route, next-hop or entity handle (release later with the
        type's own release function)."""
        ent = self._entity(RtmRegHandle)
        handles = count_and_list(NumHandles, RtmHandles, "Handles")
        targets: list[Handle] = []
        for given in handles:
            h = self._referenced(given)  # an entity by either of its handles (M-ENTITY-KEY)
            if h is None or not h._alive or h._table is not ent._table:
                raise RtmInvalidHandleError(f"{safe_repr(given)} cannot be referenced")
            targets.append(h)
        for h in targets:
            self._ref(ent, h)
        return _OK
