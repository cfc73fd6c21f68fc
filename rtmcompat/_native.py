"""``--semantics native``: what a port that drops the v1 emulation would see, next to what v1 clients were told.

A trace is replayed twice more. On a V1Reference an observer v1 client (with an event, of each family) collects
every change message v1 queues, call by call. On a V1Shim an observer RTMv2 entity (of each family) registers for
best-route changes in the unicast view, as a native port would, and collects what ``RtmGetChangedDests`` reports
after each call: one entry per changed destination, with its current best route only. Side by side, the two show
what a native port must rebuild by hand (MIGRATION.md "Semantic differences a port must handle", points 2 and 3):
the previous best route v1 messages carried, one message per change where v2 coalesces per destination, and
notifications of the port's own changes, which v1 left out.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any, Final

import attrs

import v2model
from v2model import (
    AF_INET,
    AF_IPX,
    PROTOCOL_ID,
    RTM_CHANGE_TYPE_BEST,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_VIEW_MASK_UCAST,
    format_net_address,
)

from ._constants import RTM_PREVIOUS_BEST_ROUTE, RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX
from ._handles import protocol_name
from ._names import change_flag_names
from ._phrases import call_phrase, route_phrase
from ._reference import V1Reference
from ._replay import Session, clock_for
from ._shim import V1Shim
from ._table_state import network_key
from ._trace_records import Advance, Call, Header, Record

#: The protocol id of the observers (a vendor id next to the shim's reader entity's, RTMCOMPAT_READER_PROTOCOL).
OBSERVER_PROTOCOL: Final = PROTOCOL_ID(0, 0x3FFE, 0x0002)
#: Calls shown side by side in a report.
EXAMPLES: Final = 8
_FAMILIES = ((RTM_PROTOCOL_FAMILY_IP, AF_INET), (RTM_PROTOCOL_FAMILY_IPX, AF_IPX))


@attrs.frozen
class NativeCall:
    """One call: the v1 messages it queued (as phrases) and the v2 changed destinations a native port got."""

    call: int
    what: str
    v1: tuple[str, ...]
    v2: tuple[str, ...]


@attrs.define
class NativeView:
    """The totals over a trace, and the first calls where the two views differ: in how many items they hold, or
    in a previous best route v1 gave and RTMv2 does not."""

    calls: int = 0
    v1_messages: int = 0
    with_previous: int = 0
    v2_changes: int = 0
    #: Messages beyond the first for the same network in one call: v2 reports the network once.
    coalesced: int = 0
    #: Changes made by a call's own client that v1 did not tell it (a native port is told).
    own_changes: int = 0
    examples: list[NativeCall] = attrs.field(factory=list)
    note: str | None = None

    def json(self) -> dict[str, Any]:
        """The view as JSON."""
        return attrs.asdict(self)


class _V1Observer:
    """A v1 client of each family on the reference that only listens."""

    def __init__(self, reference: V1Reference) -> None:
        self.reference = reference
        self.clients: list[Any] = []
        for family, _af in _FAMILIES:
            status, client = reference.RtmRegisterClient(family, OBSERVER_PROTOCOL, threading.Event(), 0)
            if status == 0:
                self.clients.append(client)

    def drain(self) -> list[tuple[int, Any, Any]]:
        messages: list[tuple[int, Any, Any]] = []
        for client in self.clients:
            while True:
                result = self.reference.RtmDequeueRouteChangeMessage(client)
                if result.status not in (0, 234):
                    break
                messages.append((result.Flags or 0, result.CurBestRoute, result.PrevBestRoute))
        return messages


class _V2Observer:
    """A native RTMv2 entity of each family on the shim's RTM, registered for best-route changes."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.entities: list[tuple[Any, Any, int]] = []
        for _family, af in _FAMILIES:
            info = RTM_ENTITY_INFO(0, af, RTM_ENTITY_ID(OBSERVER_PROTOCOL, 0))
            status, profile, entity = rtm.RtmRegisterEntity(info, None, None, False)
            if status != 0 or entity is None or profile is None:
                continue
            status, notify = rtm.RtmRegisterForChangeNotification(entity, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST)
            if status == 0 and notify is not None:
                self.entities.append((entity, notify, profile.MaxHandlesInEnum))

    def drain(self) -> list[str]:
        changes: list[str] = []
        for entity, notify, batch in self.entities:
            while True:
                status, count, dests = self.rtm.RtmGetChangedDests(entity, notify, batch)
                if status not in (0, 259) or not dests:
                    break
                changes += [self._phrase(entity, dest) for dest in dests]
                self.rtm.RtmReleaseChangedDests(entity, notify, count or len(dests), dests)
                if status == 259:
                    break
        return changes

    def _phrase(self, entity: Any, dest: Any) -> str:
        where = format_net_address(dest.DestAddress)
        view = dest.ViewInfo[0] if dest.ViewInfo else None
        if view is None or view.Route is None:
            return f"{where}: no route"
        status, info, _address = self.rtm.RtmGetRouteInfo(entity, view.Route)
        if status != 0 or info is None:
            return f"{where}: a best route"
        owner = "?"
        status, entity_info = self.rtm.RtmGetEntityInfo(entity, info.RouteOwner)
        if status == 0 and entity_info is not None:
            protocol = entity_info.EntityId.EntityProtocolId
            family = RTM_PROTOCOL_FAMILY_IPX if dest.DestAddress.AddressFamily == AF_IPX else RTM_PROTOCOL_FAMILY_IP
            owner = protocol_name(family, protocol)
            self.rtm.RtmReleaseEntityInfo(entity, entity_info)
        pref = info.PrefInfo
        self.rtm.RtmReleaseRouteInfo(entity, info)
        return f"{where}: best {owner} preference {pref.Preference} metric {pref.Metric}"


def _message_phrase(flags: int, cur: Any, prev: Any) -> str:
    text = "|".join(change_flag_names(flags))
    if cur is not None:
        text += f" Cur={route_phrase(cur)}"
    if prev is not None:
        text += f" Prev={route_phrase(prev)}"
    return text


def native_view(records: Iterable[Record]) -> NativeView:
    """Replay the records on both observers' backends and collect the two views."""
    view = NativeView()
    reference_session: Session | None = None
    shim_session: Session | None = None
    rtm: v2model.RoutingTableManager | None = None
    shim: V1Shim | None = None
    v1 = v2 = None
    try:
        for record in records:
            if isinstance(record, Header):
                clock = clock_for(record)
                priority = dict(record.protocol_priority)
                reference = V1Reference(clock=clock, protocol_priority=priority)
                rtm = v2model.RoutingTableManager(clock=clock)
                shim = V1Shim(rtm, protocol_priority=priority)
                v1, v2 = _V1Observer(reference), _V2Observer(rtm)
                reference_session = Session(reference, clock, record)
                shim_session = Session(shim, None, record)
                if len(v1.clients) < len(_FAMILIES) or len(v2.entities) < len(_FAMILIES):
                    view.note = "an observer could not register; the views are incomplete"
            elif isinstance(record, Advance) and reference_session is not None:
                reference_session.advance(record.ms)
            elif isinstance(record, Call) and reference_session and shim_session and v1 and v2:
                reference_session.call(record)
                shim_session.call(record)
                _account(view, record, v1.drain(), v2.drain())
    finally:
        if shim is not None:
            shim.close()
        if rtm is not None:
            rtm.close()
    return view


def _account(view: NativeView, call: Call, messages: list[tuple[int, Any, Any]], changes: list[str]) -> None:
    view.calls += 1
    view.v1_messages += len(messages)
    view.v2_changes += len(changes)
    view.with_previous += sum(1 for flags, _c, _p in messages if flags & RTM_PREVIOUS_BEST_ROUTE)
    per_network = Counter(network_key(cur if cur is not None else prev) for _f, cur, prev in messages)
    view.coalesced += sum(n - 1 for n in per_network.values())
    if call.function in ("RtmAddRoute", "RtmDeleteRoute") and messages:
        view.own_changes += 1
    telling = len(messages) != len(changes) or any(flags & RTM_PREVIOUS_BEST_ROUTE for flags, _c, _p in messages)
    if telling and len(view.examples) < EXAMPLES:
        view.examples.append(
            NativeCall(
                call.call,
                call_phrase(call),
                tuple(_message_phrase(*m) for m in messages),
                tuple(changes),
            )
        )


def native_lines(view: NativeView) -> list[str]:
    """The view for the text report."""
    lines = [
        f"native RTMv2 view ({view.calls} calls): v1 queued {view.v1_messages} change messages, a native port gets "
        f"{view.v2_changes} changed destinations",
        f"  {view.with_previous} messages carried the previous best route: RTMv2 reports only the current one, so a "
        "port keeps its own copy",
        f"  {view.coalesced} messages repeated a network within one call: RTMv2 reports each destination once",
        f"  {view.own_changes} adds and deletes changed a best route: v1 told the caller only through the outputs, "
        "RTMv2 notifies the caller's registration too",
    ]
    if view.note:
        lines.append(f"  note: {view.note}")
    for example in view.examples:
        lines.append(f"  call {example.call} {example.what}")
        lines += [f"    v1 message: {m}" for m in example.v1] or ["    v1 message: none"]
        lines += [f"    v2 change:  {c}" for c in example.v2] or ["    v2 change:  none"]
    return lines
