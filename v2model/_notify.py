"""Change notification functions (V2-2.9, V2-A-notify-trigger, V2-A-notify-delivery, V2-A-getchanged)."""

from __future__ import annotations

from itertools import islice
from typing import Any, cast

from ._boundary import Boundary, api
from ._constants import (
    RTM_BEST_PROTOCOL,
    RTM_CHANGE_NOTIFICATION,
    RTM_CHANGE_TYPE_ALL,
    RTM_CHANGE_TYPE_BEST,
    RTM_CHANGE_TYPE_FORWARDING,
    RTM_NOTIFY_ONLY_MARKED_DESTS,
)
from ._errors import (
    RtmError,
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    WinError,
)
from ._objects import Dest, Entity, NotifyReg, is_issued, issue
from ._results import (
    ChangedDestsResult,
    ChangeStatusResult,
    IsMarkedResult,
    NotifyHandleResult,
    StatusResult,
)
from ._types import (
    RTM_DEST_INFO,
)
from ._validate import boolean, count_and_list, ulong

_NOTIFY_TYPES = RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING
_NO_ERROR = WinError.NO_ERROR
_NO_MORE_ITEMS = WinError.ERROR_NO_MORE_ITEMS
_OK = StatusResult(WinError.NO_ERROR)
_tuple_new = tuple.__new__


class ChangeNotification(Boundary):
    """Registrations for changed destinations, and their retrieval."""

    def _notify_pair(self, handle: Any, notify: Any) -> tuple[Entity, NotifyReg]:
        """The caller's entity and one of its live change-notification registrations: ``_entity`` and
        ``_own_notify`` in one expression for the handles that pass them (a drain makes two calls per change);
        anything else goes through them, which raise saying why (M-HANDLES)."""
        try:
            if (
                type(handle) is Entity
                and handle._token == id(handle)
                and handle._alive
                and not handle.deregistering
                and handle._table.manager is self
                and type(notify) is NotifyReg
                and notify._token == id(notify)
                and notify._alive
                and notify.owner is handle
            ):
                return handle, notify
        except AttributeError:  # made with __new__
            pass
        ent = self._entity(handle)
        return ent, self._own_notify(ent, notify)

    @api(NotifyHandleResult)
    def RtmRegisterForChangeNotification(
        self, RtmRegHandle: Entity | None, TargetViews: int, NotifyFlags: int, NotifyContext: Any = None
    ) -> NotifyHandleResult:
        """Register for changes (RTM_CHANGE_TYPE_ALL / BEST / FORWARDING) in the target views, of all
        destinations or only those marked (RTM_NOTIFY_ONLY_MARKED_DESTS). The callback gets
        RTM_CHANGE_NOTIFICATION with NotifyContext when changes become pending."""
        self._forbidden_in(RTM_CHANGE_NOTIFICATION)
        ent = self._entity(RtmRegHandle)
        table = ent._table
        views = self._strict_views(table, TargetViews) or table.views_supported
        flags = ulong(NotifyFlags, "NotifyFlags")
        if flags & ~(_NOTIFY_TYPES | RTM_NOTIFY_ONLY_MARKED_DESTS) or not flags & _NOTIFY_TYPES:
            raise RtmInvalidParameterError("NotifyFlags must name change types")
        if len(table.notify_regs) >= table.config.max_notify_registrations:
            raise RtmError("too many change-notification registrations", WinError.ERROR_NO_SYSTEM_RESOURCES)
        reg = issue(
            NotifyReg(
                table,
                ent,
                views,
                flags & _NOTIFY_TYPES,
                bool(flags & RTM_NOTIFY_ONLY_MARKED_DESTS),
                NotifyContext,
            )
        )
        reg.views_requested = ulong(TargetViews, "TargetViews")
        table.notify_regs[reg] = None
        ent.notify_regs[reg] = None
        return NotifyHandleResult(WinError.NO_ERROR, reg)

    @api(ChangedDestsResult)
    def RtmGetChangedDests(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, NumDests: int
    ) -> ChangedDestsResult:
        """Up to NumDests destinations with pending changes, oldest first, each once with its latest state;
        destinations that lost all routes are reported with none. ERROR_NO_MORE_ITEMS when nothing remains after
        this call (the batch may still hold items: always process the count)."""
        ent, reg = self._notify_pair(RtmRegHandle, NotifyHandle)
        table = ent._table
        n = NumDests
        if type(n) is not int or not 0 <= n <= table.config.max_handles_in_enum:
            n = self._batch_size(ent, n, "NumDests")
        if n == 0:
            return ChangedDestsResult(WinError.NO_ERROR, 0, [])
        vids = () if reg.views_requested == 0 else self._view_ids(table, reg.views)
        pending = reg.pending
        if len(pending) == 1:  # one destination (a client that drains as changes come): no lists but the result
            (dest,) = pending
            pending.clear()
            handed_out = reg.handed_out
            info = self._dest_info(ent, dest, RTM_BEST_PROTOCOL, vids)
            handed_out[dest] = handed_out.get(dest, 0) + 1
            dest._refs -= 1  # the pending entry's reference (as below)
            return _tuple_new(ChangedDestsResult, (_NO_MORE_ITEMS, 1, [info]))
        if len(pending) <= n:  # everything pending fits: take it all (the usual case of a prompt client)
            taken = list(pending)
            pending.clear()
        else:
            taken = list(islice(pending, n))
            for dest in taken:
                del pending[dest]
        handed_out = reg.handed_out
        dest_info = self._dest_info
        infos = []
        for dest in taken:
            infos.append(dest_info(ent, dest, RTM_BEST_PROTOCOL, vids))
            handed_out[dest] = handed_out.get(dest, 0) + 1
            dest._refs -= 1  # the pending entry's reference (_drop; the structure just took one, so never freed)
        status = _NO_ERROR if pending else _NO_MORE_ITEMS
        return _tuple_new(ChangedDestsResult, (status, len(infos), infos))

    @api(StatusResult)
    def RtmReleaseChangedDests(
        self,
        RtmRegHandle: Entity | None,
        NotifyHandle: NotifyReg | None,
        NumDests: int,
        ChangedDests: list[RTM_DEST_INFO],
    ) -> StatusResult:
        """Release what RtmGetChangedDests returned (the only valid way to)."""
        ent, reg = self._notify_pair(RtmRegHandle, NotifyHandle)
        infos: Any = ChangedDests
        if type(NumDests) is int and NumDests == 1 and type(infos) is list and len(infos) == 1:
            info = infos[0]  # one structure, the usual case of a client that drains as changes come
            dest = info.DestHandle if type(info) is RTM_DEST_INFO else None
            if type(dest) is Dest and is_issued(dest) and reg.handed_out.get(dest, 0) >= 1:
                if not self._release_dest_info(ent, dest, info):
                    self._release_handles(ent, self._dest_info_handles(info), in_structure=True)
                handed_out = reg.handed_out
                left = handed_out[dest] - 1
                if left:
                    handed_out[dest] = left
                else:
                    del handed_out[dest]
                return _OK
        kind = type(infos)
        if type(NumDests) is not int or (kind is not list and kind is not tuple) or NumDests != len(infos):
            infos = count_and_list(NumDests, infos, "Dests")
        handles: list[Any] = []
        for info in infos:  # every structure checked before any handle is looked at
            handles += self._dest_info_handles(info)
        wanted: dict[Dest, int] = {}
        for info in infos:
            dest = info.DestHandle
            if type(dest) is not Dest or not is_issued(dest):  # checked before it is hashed
                raise RtmInvalidHandleError("a DestHandle is not a destination handle")
            wanted[dest] = wanted.get(dest, 0) + 1
        handed_out = reg.handed_out
        for dest, n in wanted.items():
            if handed_out.get(dest, 0) < n:
                raise RtmInvalidHandleError("these structures did not come from this registration")
        self._release_handles(ent, handles, in_structure=True)
        for dest, n in wanted.items():
            left = handed_out[dest] - n
            if left:
                handed_out[dest] = left
            else:
                del handed_out[dest]
        return _OK

    @api(StatusResult)
    def RtmIgnoreChangedDests(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, NumDests: int, ChangedDests: list[Dest]
    ) -> StatusResult:
        """Discard the pending changes of these destinations; they come back only if they change again."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dests = [self._obj(ent, h, Dest) for h in count_and_list(NumDests, ChangedDests, "Dests")]
        for dest in dests:
            if dest in reg.pending:
                del reg.pending[dest]
                self._drop(dest)
        return _OK

    @api(ChangeStatusResult)
    def RtmGetChangeStatus(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, DestHandle: Dest | None
    ) -> ChangeStatusResult:
        """TRUE while a change of the destination is pending on this registration."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dest = self._obj(ent, DestHandle, Dest)
        return ChangeStatusResult(WinError.NO_ERROR, dest in reg.pending)

    @api(StatusResult)
    def RtmMarkDestForChangeNotification(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, DestHandle: Dest | None, MarkDest: bool | int
    ) -> StatusResult:
        """Mark (or unmark) a destination for an RTM_NOTIFY_ONLY_MARKED_DESTS registration."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dest = cast(Dest, self._obj(ent, DestHandle, Dest))
        if boolean(MarkDest, "MarkDest"):
            if dest.present:
                reg.marked.add(dest)
        else:
            reg.marked.discard(dest)
        return _OK

    @api(IsMarkedResult)
    def RtmIsMarkedForChangeNotification(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None, DestHandle: Dest
    ) -> IsMarkedResult:
        """Whether the destination is marked on this registration."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        dest = self._obj(ent, DestHandle, Dest)
        return IsMarkedResult(WinError.NO_ERROR, dest in reg.marked)

    @api(StatusResult)
    def RtmDeregisterFromChangeNotification(
        self, RtmRegHandle: Entity | None, NotifyHandle: NotifyReg | None
    ) -> StatusResult:
        """End a registration; its pending changes are dropped."""
        ent = self._entity(RtmRegHandle)
        reg = self._own_notify(ent, NotifyHandle)
        self._deregister_notify(reg)
        return _OK
