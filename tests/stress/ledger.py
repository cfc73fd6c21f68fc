"""What one v1 client heard, replayed: its change messages and its own calls' outputs must account for every
change of every network's best route (V1-4.3 to V1-4.5, V1-5.3, V1-A15 to V1-A17).

Theory of operation
-------------------
v1 tells a client of each change of a network's best route exactly once: by a message in its FIFO queue, or, when
its own ``RtmAddRoute`` / ``RtmDeleteRoute`` made the change, by that call's outputs and not by a message (V1-5.3;
block deletes, deregistrations and aging come as messages to everyone, the caller included). So for a client that
never adds or deletes (a listener), its messages alone replay, in order, from the table it started from to the
table at the end. For a client that does add and delete, the two streams interleave in an order it cannot see:
a message dequeued before a call was queued before it, but one dequeued after may have been queued before as well.
The guarantee is then that *some* interleaving respecting those bounds replays from the start to the end, every
step starting from the best route the previous one left (a message's previous best route, an add's
``PrevBestRoute``, "there was a best route" for a delete). A lost, duplicated, reordered or invented change breaks
every such interleaving (M-STRESS). ``Ledger.check`` searches them per network (a grid walk over messages x own
steps, with the set of best routes reachable at each point).

Routes are compared on what v1 calls significant (V1-5.2): network, protocol, interface, next hop and the whole
family-specific data; not the timestamp, not the protocol-specific data.

A client registered mid-run starts from a table it cannot know (``base=None``): each network then starts
"unknown", which any first step fits, and a network it heard nothing about is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from rtmcompat import (
    RTM_CURRENT_BEST_ROUTE,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    RTM_NO_CHANGE,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    ip_address,
)

#: A network: ("ip", number, mask) or ("ipx", number).
Net = tuple[Any, ...]
#: A best route as v1 compares it (V1-5.2).
Sig = tuple[Any, ...]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: The state of a network a client registered mid-run never heard of: any first step fits.
UNKNOWN = _Marker("unknown")
#: The previous best route of a delete's output: some route, unnamed (RtmDeleteRoute has no previous-route output).
SOME_ROUTE = _Marker("some route")


def network_of(route: RTM_IP_ROUTE | RTM_IPX_ROUTE) -> Net:
    """The network a route belongs to."""
    if type(route) is RTM_IP_ROUTE:
        return ("ip", route.RR_Network.N_NetNumber, route.RR_Network.N_NetMask)
    assert type(route) is RTM_IPX_ROUTE, route
    return ("ipx", route.RR_Network.N_NetNumber)


def significant(route: RTM_IP_ROUTE | RTM_IPX_ROUTE) -> Sig:
    """The fields a v1 change is detected on (V1-5.2): identity and family-specific data."""
    if type(route) is RTM_IP_ROUTE:
        hop, fsd = route.RR_NextHopAddress, route.RR_FamilySpecificData
        return (
            route.RR_Network.N_NetNumber,
            route.RR_Network.N_NetMask,
            route.RR_RoutingProtocol,
            route.RR_InterfaceID,
            hop.N_NetNumber,
            hop.N_NetMask,
            fsd.FSD_Type,
            fsd.FSD_Policy,
            fsd.FSD_NextHopAS,
            fsd.FSD_Priority,
            fsd.FSD_Metric,
            fsd.FSD_Metric1,
            fsd.FSD_Metric2,
            fsd.FSD_Metric3,
            fsd.FSD_Metric4,
            fsd.FSD_Metric5,
            fsd.FSD_Flags,
        )
    assert type(route) is RTM_IPX_ROUTE, route
    data = route.RR_FamilySpecificData
    return (
        route.RR_Network.N_NetNumber,
        route.RR_RoutingProtocol,
        route.RR_InterfaceID,
        bytes(route.RR_NextHopAddress.NHA_Mac),
        data.FSD_Flags,
        data.FSD_TickCount,
        data.FSD_HopCount,
    )


def show_net(net: Net) -> str:
    """``10.1.0.0/255.255.0.0`` or ``ipx 0000abcd`` for failure messages."""
    if net[0] == "ip":
        return f"{ip_address(net[1])}/{ip_address(net[2])}"
    return f"ipx {net[1]:08x}"


def show(state: object) -> str:
    """A best route (or None, or a marker) in a few words: protocol, interface, next hop, metrics."""
    if not isinstance(state, tuple):
        return repr(state)
    if len(state) == 17:
        return f"<proto {state[2]} if {state[3]} via {ip_address(state[4])} pri {state[9]} m {state[10]}/{state[11]}>"
    return f"<proto {state[1]} if {state[2]} via {state[3].hex()} ticks {state[5]} hops {state[6]}>"


class Step(NamedTuple):
    """One change of a network's best route: from ``prev`` (None: no route; SOME_ROUTE: any) to ``cur``."""

    prev: object
    cur: Sig | None
    what: str

    def after(self, state: object) -> object | None:
        """The state this step leaves when taken from ``state``; ``_NO`` when it cannot start there."""
        if state is UNKNOWN:
            return self.cur
        if self.prev is SOME_ROUTE:
            return self.cur if state is not None else _NO
        return self.cur if state == self.prev else _NO


_NO = _Marker("impossible")


class Ledger:
    """The change messages one client dequeued and the outputs of its own adds and deletes, per network, since
    its base (the table when it registered, or when the ledger was last checked at a quiescent point)."""

    def __init__(self, name: str, base: Mapping[Net, Sig] | None) -> None:
        self.name = name
        self._base = dict(base) if base is not None else None
        self._messages: dict[Net, list[Step]] = {}
        #: Own steps with the number of this network's messages dequeued before the call (its lower bound).
        self._own: dict[Net, list[tuple[int, Step]]] = {}
        #: Malformed messages or outputs (a presence bit without its route, an unknown flag).
        self.problems: list[str] = []
        #: Messages heard since the ledger was made (never reset: the run's count).
        self.messages = 0
        #: Networks checked against a known end state, over every check.
        self.networks_checked = 0

    # --- what the client heard ------------------------------------------------------------------------------

    def heard(self, flags: int, cur: Any, prev: Any) -> None:
        """A message from RtmDequeueRouteChangeMessage (V1-4.3)."""
        self.messages += 1
        if flags == RTM_ROUTE_ADDED and cur is not None and prev is None:
            net, step = network_of(cur), Step(None, significant(cur), "message ADDED")
        elif flags == RTM_ROUTE_DELETED and prev is not None and cur is None:
            net, step = network_of(prev), Step(significant(prev), None, "message DELETED")
        elif flags == RTM_ROUTE_CHANGED and cur is not None and prev is not None:
            net = network_of(cur)
            if net != network_of(prev):
                self.problems.append(f"{self.name}: CHANGED message across networks: {prev} -> {cur}")
                return
            step = Step(significant(prev), significant(cur), "message CHANGED")
        else:
            self.problems.append(f"{self.name}: malformed message flags={flags} cur={cur} prev={prev}")
            return
        self._messages.setdefault(net, []).append(step)

    def mark(self, net: Net) -> int:
        """How many messages of ``net`` were heard so far: taken just before an own call on it."""
        return len(self._messages.get(net, ()))

    def added(self, net: Net, lower: int, flags: int, cur: Any, prev: Any) -> None:
        """The outputs of the client's own successful RtmAddRoute on ``net`` (V1-4.4)."""
        if not self._outputs_ok("RtmAddRoute", flags, cur, prev, net):
            return
        if flags == RTM_ROUTE_ADDED:
            self._own.setdefault(net, []).append((lower, Step(None, significant(cur), "own add ADDED")))
        elif flags == RTM_ROUTE_CHANGED:
            step = Step(significant(prev), significant(cur), "own add CHANGED")
            self._own.setdefault(net, []).append((lower, step))
        elif flags != RTM_NO_CHANGE:
            self.problems.append(f"{self.name}: RtmAddRoute on {show_net(net)} returned Flags={flags}")

    def deleted(self, net: Net, lower: int, flags: int, cur: Any) -> None:
        """The outputs of the client's own successful RtmDeleteRoute on ``net`` (V1-4.5)."""
        if not self._outputs_ok("RtmDeleteRoute", flags, cur, None, net, has_previous=False):
            return
        if flags == RTM_ROUTE_DELETED:
            self._own.setdefault(net, []).append((lower, Step(SOME_ROUTE, None, "own delete DELETED")))
        elif flags == RTM_ROUTE_CHANGED:
            step = Step(SOME_ROUTE, significant(cur), "own delete CHANGED")
            self._own.setdefault(net, []).append((lower, step))
        elif flags != RTM_NO_CHANGE:
            self.problems.append(f"{self.name}: RtmDeleteRoute on {show_net(net)} returned Flags={flags}")

    def _outputs_ok(self, call: str, flags: Any, cur: Any, prev: Any, net: Net, *, has_previous: bool = True) -> bool:
        """Each output is written exactly when its presence bit is set (V1-A19; RtmDeleteRoute has no previous
        route output, V1-4.5), for the call's network."""
        ok = (
            type(flags) is int
            and (cur is not None) == bool(flags & RTM_CURRENT_BEST_ROUTE)
            and (prev is not None) == (has_previous and bool(flags & RTM_PREVIOUS_BEST_ROUTE))
            and all(r is None or network_of(r) == net for r in (cur, prev))
        )
        if not ok:
            self.problems.append(f"{self.name}: {call} on {show_net(net)}: Flags={flags} cur={cur} prev={prev}")
        return ok

    # --- the check --------------------------------------------------------------------------------------------

    def check(self, final: Mapping[Net, Sig] | None) -> list[str]:
        """Whether what was heard replays from the base to ``final`` (the table's best routes now, read through
        the v1 API at a quiescent point), or, with ``final`` None (the client is leaving, or the table is moving),
        at least forms one consistent history. Returns the failures (empty when it replays)."""
        failures = list(self.problems)
        nets: set[Net] = set(self._messages) | set(self._own)
        if final is not None:
            nets |= set(final)
            if self._base is not None:
                nets |= set(self._base)
        for net in sorted(nets, key=repr):
            start: object = UNKNOWN if self._base is None else self._base.get(net)
            messages = self._messages.get(net, [])
            own = self._own.get(net, [])
            ends = _reachable(start, messages, own)
            if final is None:
                ok = bool(ends)
            elif start is UNKNOWN and not messages and not own:
                continue  # registered mid-run and heard nothing of it: nothing to hold it to
            else:
                self.networks_checked += 1
                ok = final.get(net) in ends
            if not ok:
                failures.append(self._explain(net, start, messages, own, final))
        return failures

    def rebase(self, table: Mapping[Net, Sig]) -> None:
        """Start again from ``table`` (after a check at a quiescent point)."""
        self._base = dict(table)
        self._messages.clear()
        self._own.clear()
        self.problems.clear()

    def _explain(
        self,
        net: Net,
        start: object,
        messages: list[Step],
        own: list[tuple[int, Step]],
        final: Mapping[Net, Sig] | None,
    ) -> str:
        lines = [f"{self.name}: {show_net(net)}: what it heard does not replay from {show(start)}"]
        for step in messages:
            lines.append(f"  {step.what}: {show(step.prev)} -> {show(step.cur)}")
        for lower, step in own:
            lines.append(f"  {step.what} (after message {lower}): {show(step.prev)} -> {show(step.cur)}")
        end = "(any)" if final is None else show(final.get(net))
        lines.append(f"  to {end}")
        return "\n".join(lines)


def _reachable(start: object, messages: list[Step], own: list[tuple[int, Step]]) -> set[object]:
    """The best routes some allowed interleaving of ``messages`` (in order) and ``own`` steps (in order, the j-th
    after at least its lower bound of messages) can end at, each step starting where the previous one ended."""
    n, m = len(messages), len(own)
    grid: list[list[set[object]]] = [[set() for _ in range(m + 1)] for _ in range(n + 1)]
    grid[0][0].add(start)
    for i in range(n + 1):
        row = grid[i]
        for j in range(m + 1):
            states = row[j]
            if not states:
                continue
            if i < n:
                _take(states, messages[i], grid[i + 1][j])
            if j < m and i >= own[j][0]:
                _take(states, own[j][1], row[j + 1])
    return grid[n][m]


def _take(states: Iterable[object], step: Step, into: set[object]) -> None:
    for state in states:
        after = step.after(state)
        if after is not _NO:
            into.add(after)
