"""v1 change messages rebuilt from RTMv2 change notification: the best routes as v1 clients last heard of them,
each reported change settled into v1 messages and queued to the clients.

RTMv2 reports coalesced per-destination snapshots (RtmGetChangedDests) without the previous best route; v1 sends
each client a message per change with the previous and the current best route (V1-5.2, V1-5.3). While some client
of a family has a ChangeEvent, the family's reader entity holds one change-notification registration (BEST
changes of the unicast view) for all of them (M-SHARED-NOTIFY), and :class:`BestRoutes` keeps each network's best
route as the clients last heard of it. Settling a destination RTMv2 reports compares its delivered best route
with that and queues the v1 message (ADDED, DELETED or CHANGED, with copies) to every client with an event except
the one v1 excludes.

The shim drains the registration itself right after each of its own RTMv2 mutations, so the caller's outputs and
everyone's messages are settled before its v1 call returns, one route at a time (V1-A15); the registration's
callback drains what other entities and RTM's timers changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import v2model
from v2model import ERROR_NO_MORE_ITEMS, RoutingTableManager, WinError

from ._checks import status_text
from ._constants import RTM_ROUTE_ADDED
from ._cursor import TableReader
from ._records import Codec, Record, change_flags, message_of

if TYPE_CHECKING:
    from ._events import Diagnostics, Message, Signals
    from ._handles import V1Client

_NO_ERROR = int(WinError.NO_ERROR)
_NO_MORE = int(ERROR_NO_MORE_ITEMS)


class BestRoutes:
    """One family's best routes as its v1 clients last heard of them, and the shared registration that keeps
    them current.

    ``notify`` is the reader entity's change-notification registration, None while no client has an event (then
    nothing is kept: ``seen`` is None). ``seen`` maps each network (``codec.network_key``) to the record of its
    best route as last heard; a record belongs to one route (the shim makes one per add), so the record also says
    which route that was. ``dirty`` is set by the registration's callback when RTMv2 has changes pending that
    nobody drained yet."""

    def __init__(self, codec: Codec, clients: dict[V1Client, None], signals: Signals, diagnostics: Diagnostics) -> None:
        self.codec = codec
        self.notify: v2model.NotifyReg | None = None
        #: network key -> the record of its best route, while ``notify`` is held.
        self.seen: dict[int, Record] | None = None
        self.dirty = False
        self._clients = clients
        self._signals = signals
        self._diagnostics = diagnostics
        self._draining = False

    @property
    def listening(self) -> bool:
        """Whether some client has an event (the registration is held and ``seen`` kept)."""
        return self.notify is not None

    def start(self, notify: v2model.NotifyReg, seen: dict[int, Record]) -> None:
        """The registration is held and the current best routes read: keep them from now on."""
        self.notify = notify
        self.seen = seen
        self.dirty = False

    def stop(self) -> v2model.NotifyReg | None:
        """Stop keeping the view; returns the registration, for the caller to deregister."""
        notify, self.notify, self.seen = self.notify, None, None
        self.dirty = False
        return notify

    def heard(self, network: int) -> Record | None:
        """The record of the network's best route as the clients last heard of it."""
        return None if self.seen is None else self.seen.get(network)

    def settle(self, network: int, record: Record | None, exclude: V1Client | None) -> None:
        """The network's best route is now ``record`` (None: it has none): queue the v1 message for the change, if
        any, to every client with an event but ``exclude`` (V1-5.2, V1-5.3)."""
        seen = self.seen
        if seen is None:
            return
        if record is None:
            before = seen.pop(network, None)
        else:
            before = seen.get(network)
            seen[network] = record
        if before is None and record is not None:  # a new best route: change_flags and message_of, in line
            message: Message = (RTM_ROUTE_ADDED, record, None)
        else:
            flags = change_flags(self.codec, before, record)
            if not flags:
                return
            message = message_of(flags, record, before)
        post = self._signals.post
        for client in self._clients:
            if client is not exclude and client.event_methods is not None:
                post(client, message)

    def drain(
        self,
        v2: RoutingTableManager,
        entity: v2model.Entity,
        reader: TableReader,
        own: int | None = None,
        exclude: V1Client | None = None,
        changed: Record | None = None,
        was: Record | None = None,
        quiet: bool = False,
        owns: set[int] | None = None,
        own_route: v2model.Route | None = None,
    ) -> None:
        """Retrieve every pending change (the Microsoft sample's RtmGetChangedDests loop) and settle each from the
        destination information delivered. The network ``own`` is the one the shim just changed: its message
        excludes ``exclude``, and so do the networks in ``owns`` (a batch of the shim's changes, each network changed
        once). ``quiet``: RTMv2 said the shim's change moved no best route (no
        RTM_ROUTE_CHANGE_BEST), so unless a callback flagged other changes there is nothing to retrieve. When RTMv2
        did not report ``own`` but its best route as last heard is the one the shim just updated (``was`` is that
        route's previous record), the new record ``changed`` is settled: a v1-significant field RTMv2 does not see
        may have changed. ``own_route`` is the v2 handle of the shim's route whose record is now ``changed``: its
        record is known without looking it up."""
        notify = self.notify
        if notify is None:
            self.dirty = False  # a late callback of a registration already dropped: nothing to drain
            return
        if self._draining:  # a callback inside this drain: the loop below goes round once more
            self.dirty = True
            return
        self._draining = True
        reported = False
        key_of = self.codec.network_key_of
        clients = reader.clients
        settle = self.settle
        try:
            while not quiet or self.dirty:
                quiet = True
                self.dirty = False
                while True:
                    status, count, infos = v2.RtmGetChangedDests(entity, notify, reader.batch)
                    if status not in (_NO_ERROR, _NO_MORE) or count is None or infos is None:
                        self._diagnostics.record(f"RtmGetChangedDests failed with {status_text(status)}")
                        return
                    if count:
                        try:
                            for info in infos:
                                network = key_of(info.DestAddress)
                                views = info.ViewInfo
                                route = views[0].Route if views else None
                                if route is None:
                                    record = None
                                elif route is own_route and network == own:
                                    record = changed
                                else:  # reader.record_of: the shim's own route's record, else translated
                                    for client in clients:
                                        entry = client.routes.find(network, route)
                                        if entry is not None:
                                            record = entry.record
                                            break
                                    else:
                                        record = reader.record_of(entity, route, info.LastChanged, network)
                                if network == own:
                                    reported = True
                                    settle(own, record, exclude)  # the caller's int: one key object per network
                                elif owns is not None and network in owns:
                                    settle(network, record, exclude)
                                else:
                                    settle(network, record, None)
                        finally:
                            released = v2.RtmReleaseChangedDests(entity, notify, count, infos).status
                            if released != _NO_ERROR:
                                self._diagnostics.record(f"RtmReleaseChangedDests failed with {status_text(released)}")
                    if status == _NO_MORE:
                        break
        finally:
            self._draining = False
        if own is not None and not reported and was is not None and changed is not None and self.heard(own) is was:
            self.settle(own, changed, exclude)
