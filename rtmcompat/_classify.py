"""Classifying differences: a known one (its registry entry), a consequence of an earlier one, or unexpected.

Theory of operation
-------------------
A difference is a *consequence* when it follows from an earlier difference: once the two tables disagree about a
network, every later difference that involves that network (in the call's arguments or either result) follows from
it, as does every later use of a handle only one side created or an enumeration that already went different ways.
Otherwise it is matched against the registry (``expected`` and ``todo`` entries). Otherwise a *wide* call,
whose result can depend on networks it does not name (a count, a walk, an enumeration or selection without
RTM_ONLY_THIS_NETWORK, a lookup, a dequeue, a deregistration), and an event state follow from the latest difference
that was not itself a consequence, when there was one. Whatever is left is *unexpected*. Each classified
difference taints the networks and handles it involves, so a consequence's own consequences are labelled too, with
the id of the difference they all follow from.

A ``todo`` entry with argument predicates is also checked on calls that show no difference: when its conditions
hold and nothing differs, the bug is fixed, and that is reported (once per entry) as ``fixed: remove the entry``.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._constants import RTM_ONLY_THIS_NETWORK
from ._registry import Entry, Registry, Situation
from ._replay import Observed
from ._table_state import NetworkKey, network_key
from ._trace_codec import PARAMS, RESULTS, ROUTE_FIELDS
from ._trace_records import Call
from ._v1types import IP_NETWORK, IPX_NETWORK, RTM_IP_ROUTE, RTM_IPX_ROUTE

KINDS = ("expected", "todo", "unexpected", "consequence")


@attrs.frozen
class Difference:
    """One difference between the reference and the shim.

    ``call`` is the 1-based call index (at the end-of-trace checkpoint: the number of calls); ``aspect`` what
    differs (``result``, ``event``, ``table``, ``messages``); ``fields`` the result fields that differ;
    ``reference`` / ``shim`` the two sides in trace JSON form; ``cause`` the call of the difference a consequence
    follows from; ``fixed`` marks a todo entry whose bug no longer shows.
    """

    call: int
    function: str
    kind: str
    id: str | None
    aspect: str = "result"
    fields: tuple[str, ...] = ()
    reference: Any = None
    shim: Any = None
    cause: int | None = None
    fixed: bool = False
    client: str | None = None
    networks: tuple[NetworkKey, ...] = ()

    def json(self) -> dict[str, Any]:
        """The report's JSON form: call, function, kind, id, reference, shim, and the keys that say more."""
        data: dict[str, Any] = {
            "call": self.call,
            "function": self.function,
            "kind": self.kind,
            "id": self.id,
            "aspect": self.aspect,
            "fields": list(self.fields),
            "reference": self.reference,
            "shim": self.shim,
        }
        if self.cause is not None:
            data["cause"] = self.cause
        if self.client is not None:
            data["client"] = self.client
        if self.fixed:
            data["fixed"] = True
        return data


def networks_of(values: Any) -> set[NetworkKey]:
    """The networks named by values (networks, routes), in any nesting of tuples."""
    found: set[NetworkKey] = set()
    stack = [values]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is tuple or kind is list:
            stack.extend(value)
        elif kind is RTM_IP_ROUTE or kind is RTM_IPX_ROUTE:
            found.add(network_key(value))
        elif kind is IP_NETWORK:
            found.add(("ip", value.N_NetNumber, value.N_NetMask))
        elif kind is IPX_NETWORK:
            found.add(("ipx", value.N_NetNumber))
    return found


def named_networks(call: Call) -> set[NetworkKey]:
    """The networks a call's arguments name where they matter: a criteria route only selects by its network with
    RTM_ONLY_THIS_NETWORK."""
    args = arguments(call)
    if call.function in _SELECTING and not args.get("EnumerationFlags", 0) & RTM_ONLY_THIS_NETWORK:
        args = {k: v for k, v in args.items() if k not in ("CriteriaRoute", "Route")}
    return networks_of(tuple(args.values()))


def wide(call: Call) -> bool:
    """Whether a call's result can depend on networks it does not name (counts, walks, enumerations, lookups,
    queues, selections without RTM_ONLY_THIS_NETWORK): such a difference follows from any earlier one."""
    if call.function in _WIDE:
        return True
    flags = arguments(call).get("EnumerationFlags", 0)
    return call.function in _SELECTING and not (isinstance(flags, int) and flags & RTM_ONLY_THIS_NETWORK)


_SELECTING = frozenset({"RtmCreateEnumerationHandle", "RtmBlockDeleteRoutes", "RtmGetFirstRoute"})
_WIDE = frozenset(
    {
        "RtmGetNetworkCount",
        "RtmGetNextRoute",
        "RtmEnumerateGetNextRoute",
        "RtmLookupIPDestination",
        "RtmDequeueRouteChangeMessage",
        "RtmDeregisterClient",
    }
)


def arguments(call: Call) -> dict[str, Any]:
    """A call's decoded arguments by parameter name."""
    return {name: value for (name, _), value in zip(PARAMS[call.function], call.args, strict=True)}


class Classifier:
    """Classifies the differences of one trace, in order."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._networks: dict[NetworkKey, Difference] = {}
        self._handles: dict[str, Difference] = {}
        self.first_root: Difference | None = None
        #: The latest difference that follows from no other: what a count or an event difference is put down to.
        self.last_root: Difference | None = None
        self._roots: dict[int, Difference] = {}
        self._todo = registry.todo_triggers()
        self._fixed: set[str] = set()

    # --- bookkeeping ----------------------------------------------------------------------------------

    def _tainted(self, networks: set[NetworkKey], handles: list[str]) -> Difference | None:
        for name in handles:
            if name in self._handles:
                return self._handles[name]
        for network in networks:
            if network in self._networks:
                return self._networks[network]
        return None

    def _settle(
        self,
        base: Difference,
        situation: Situation,
        networks: set[NetworkKey],
        handles: list[str],
        taint_handles: list[str],
        wide: bool,
        preferred: Difference | None = None,
    ) -> Difference:
        """Consequence of a tainted network or handle, else the registry's entry, else (for a wide call) a
        consequence of the latest root, else unexpected; then taint what the difference involves."""
        cause = preferred or self._tainted(networks, handles)
        entry: Entry | None = None
        if cause is None:
            entry = self.registry.match(situation)
            if entry is None and wide:
                cause = self.last_root
        if cause is not None:
            diff = attrs.evolve(base, kind="consequence", id=cause.id, cause=cause.call)
            root = cause
        elif entry is not None:
            diff = attrs.evolve(base, kind=entry.kind, id=entry.id)
            root = diff
        else:
            diff = attrs.evolve(base, kind="unexpected", id=None)
            root = diff
        for network in networks:
            self._networks.setdefault(network, root)
        for name in taint_handles:
            self._handles.setdefault(name, root)
        if diff.kind != "consequence":
            self._roots.setdefault(diff.call, diff)
            self.last_root = diff
            if self.first_root is None:
                self.first_root = diff
        return diff

    # --- the aspects ------------------------------------------------------------------------------------

    def result(self, call: Call, reference: Observed, shim: Observed, fields: tuple[str, ...]) -> Difference:
        """A call whose results differ."""
        args = arguments(call)
        names = [name for name, _ in RESULTS[call.function]]
        ref_out: tuple[Any, ...] = reference.out or (None,) * len(names)
        shim_out: tuple[Any, ...] = shim.out or (None,) * len(names)
        pairs = tuple(
            (ref_out[names.index(f)], shim_out[names.index(f)]) for f in fields if f in ROUTE_FIELDS and f in names
        )
        situation = Situation("result", call.function, args, reference, shim, fields, pairs=pairs)
        networks = named_networks(call) | networks_of((ref_out, shim_out))
        handles = [v for (_, kind), v in zip(PARAMS[call.function], call.args, strict=True)
                   if kind in ("client", "enum") and isinstance(v, str)]  # fmt: skip
        taint = [v for v in args.values() if isinstance(v, str) and v.startswith(("enum#", "<enum#"))]
        for field in ("ClientHandle", "EnumerationHandle"):
            if field in fields:
                i = names.index(field)
                taint += [v for v in (ref_out[i], shim_out[i]) if isinstance(v, str)]
        base = Difference(
            call.call,
            call.function,
            "unexpected",
            None,
            "result",
            fields,
            reference.json(call.function),
            shim.json(call.function),
            networks=tuple(networks),
        )
        return self._settle(base, situation, networks, handles, taint, wide(call))

    def event(self, call: Call, client: str, reference: bool, shim: bool, same_call: Difference | None) -> Difference:
        """A client's event state differs after a call: it follows from a difference of the same call, else from
        the latest one (an event reflects messages queued by any earlier change)."""
        base = Difference(
            call.call,
            call.function,
            "unexpected",
            None,
            "event",
            ("event",),
            {"client": client, "event": "set" if reference else "reset"},
            {"client": client, "event": "set" if shim else "reset"},
            client=client,
        )
        preferred = None
        if same_call is not None:
            preferred = same_call if same_call.kind != "consequence" else self._roots.get(same_call.cause or 0)
        situation = Situation("event", call.function, arguments(call), fields=("event",))
        return self._settle(base, situation, set(), [], [], True, preferred)

    def checkpoint(
        self,
        call: int,
        aspect: str,
        routes: tuple[Any, ...],
        pairs: tuple[tuple[Any, Any], ...],
        reference: Any,
        shim: Any,
        client: str | None = None,
        function: str = "checkpoint",
    ) -> Difference:
        """A difference found at the end of the trace: in the tables, the counts, or the queued messages."""
        networks = networks_of((routes, pairs))
        situation = Situation(aspect, None, {}, routes=routes, pairs=pairs)
        base = Difference(call, function, "unexpected", None, aspect, (), reference, shim, client=client)
        return self._settle(base, situation, networks, [], [], not networks)

    def quiet(self, call: Call) -> Difference | None:
        """A call without any difference: a todo entry whose conditions hold here is fixed."""
        if not self._todo:
            return None
        args = None
        for entry in self._todo:
            if entry.id in self._fixed:
                continue
            args = args if args is not None else arguments(call)
            if entry.applies("result", call.function, args):
                self._fixed.add(entry.id)
                return Difference(call.call, call.function, "unexpected", entry.id, "result", fixed=True)
        return None
