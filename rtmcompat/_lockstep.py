"""V1Reference and V1Shim built alike from a trace header and driven call by call with the same inputs.

Both run on one ManualClock (moved once per step, by the reference's session), with the header's protocol
priorities, each with its own handles and its own fresh events. After each call the two results are compared field
by field, and every client's event state; at the end the tables, the network counts and the messages still queued.
"""

from __future__ import annotations

from typing import Any, Final

import v2model

from ._constants import RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX
from ._reference import V1Reference
from ._replay import Observed, Session, clock_for
from ._shim import V1Shim
from ._trace_codec import RESULTS
from ._trace_records import Call, Header

#: Messages read per client when draining queues at the end of a trace (a guard against a runaway queue).
DRAIN_LIMIT: Final = 100_000


class Pair:
    """A reference and a shim for one trace, with a replay session each."""

    def __init__(self, header: Header) -> None:
        self.clock = clock_for(header)
        priority = dict(header.protocol_priority)
        self.reference = V1Reference(clock=self.clock, protocol_priority=priority)
        self.rtm = v2model.RoutingTableManager(clock=self.clock)
        self.shim = V1Shim(self.rtm, protocol_priority=priority)
        self.ref_session = Session(self.reference, self.clock, header)
        self.shim_session = Session(self.shim, None, header)  # the clock is shared: moved by the other session

    def advance(self, ms: int) -> None:
        """An ``advance`` record."""
        self.ref_session.advance(ms)

    def call(self, call: Call) -> tuple[Observed, Observed]:
        """One call on both."""
        return self.ref_session.call(call), self.shim_session.call(call)

    def network_counts(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """RtmGetNetworkCount of both families, on the reference and on the shim."""
        families = (RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX)
        ref = tuple(int(self.reference.RtmGetNetworkCount(f).NetworkCount) for f in families)
        shim = tuple(int(self.shim.RtmGetNetworkCount(f).NetworkCount) for f in families)
        return (ref[0], ref[1]), (shim[0], shim[1])

    def drain(self) -> dict[str, tuple[list[Observed], list[Observed]]]:
        """Dequeue every message still queued for each client with an event, on both (the end of a trace)."""
        drained: dict[str, tuple[list[Observed], list[Observed]]] = {}
        for name in self.ref_session.events.keys() & self.shim_session.events.keys():
            drained[name] = (_drain(self.ref_session, name), _drain(self.shim_session, name))
        return drained

    def close(self) -> None:
        """Release the shim's reader entities and the RTM."""
        self.shim.close()
        self.rtm.close()


def _drain(session: Session, name: str) -> list[Observed]:
    handle = session.handle(name, "client")
    messages: list[Observed] = []
    while len(messages) < DRAIN_LIMIT:
        result = session.api.RtmDequeueRouteChangeMessage(handle)
        if result.status not in (0, 234):
            break
        messages.append(Observed(int(result.status), tuple(result[1:])))
    return messages


def differing(function: str, reference: Observed, shim: Observed) -> tuple[str, ...]:
    """The result fields that differ (``status`` first; ``raised`` when either side raised)."""
    if reference.raised is not None or shim.raised is not None:
        return ("raised",)
    fields = ["status"] if reference.status != shim.status else []
    ref_out: tuple[Any, ...] = reference.out or ()
    shim_out: tuple[Any, ...] = shim.out or ()
    for (name, _), a, b in zip(RESULTS[function], ref_out, shim_out, strict=False):
        if a != b:
            fields.append(name)
    return tuple(fields)
