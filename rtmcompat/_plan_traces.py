"""What one trace exercised: calls per v1 function, their statuses, flag arguments and outputs, and the paths taken.

Everything here is read off the trace's call records (as recorded, the backend that recorded them decided every
status and output), in one pass. A path whose rule needs a replay is filled in by rtmcompat._plan_replay.
Counts are exact; of the call indices only the first :data:`CALLS_KEPT` of each kind are kept, for reports
(M-PLAN-REPORT).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Final

import attrs

from ._constants import INFINITE, RTM_PROTOCOL_SINGLE_ROUTE
from ._names import change_flag_names, enumeration_flag_names, registration_flag_names, status_name
from ._plan_paths import CALL_RULES, Client, Clients
from ._trace_codec import BAD_EVENT, EVENT, PARAMS, RESULTS, family_names, protocol_names
from ._trace_records import Call, Record

#: Call indices kept per function, path or difference and trace (every one is counted).
CALLS_KEPT: Final = 20


@attrs.define
class Hits:
    """How often something happened in a trace, and the first calls where it did."""

    count: int = 0
    calls: list[int] = attrs.field(factory=list)
    #: For paths counted in routes as well (aged-out, deregister-with-routes): the routes involved.
    routes: int = 0

    def add(self, call: int, routes: int = 0) -> None:
        """One more call (with ``routes`` routes involved)."""
        self.count += 1
        self.routes += routes
        if len(self.calls) < CALLS_KEPT:
            self.calls.append(call)


@attrs.define
class FunctionUse:
    """One v1 function in one trace."""

    hits: Hits = attrs.field(factory=Hits)
    #: Calls by status, under the name the function's page uses (ERROR_NO_ROUTES, ERROR_MORE_MESSAGES...).
    statuses: Counter[str] = attrs.field(factory=Counter)
    #: Calls by the value of each flag-like argument: parameter -> label -> calls.
    arguments: dict[str, Counter[str]] = attrs.field(factory=dict)
    #: Calls by the value of each flag-like output: field -> label -> calls.
    results: dict[str, Counter[str]] = attrs.field(factory=dict)


@attrs.define
class TraceUse:
    """What one trace (or mapping log) exercised."""

    path: str
    #: ``trace`` or ``mapping-log``.
    kind: str
    calls: int = 0
    functions: dict[str, FunctionUse] = attrs.field(factory=dict)
    paths: dict[str, Hits] = attrs.field(factory=dict)
    clients: Clients = attrs.field(factory=dict)
    #: Whether the calls carry their outputs (an older mapping log does not).
    outputs: bool = True
    notes: list[str] = attrs.field(factory=list)


def _label(kind: str, value: Any, family: Any) -> str | None:
    """How a flag-like argument or output is counted: its names joined with ``|`` (``0`` for none)."""
    if kind == "family":
        return (family_names(value) or [str(value)])[0]
    if kind == "protocol":
        return (protocol_names(value, family) or [str(value)])[0]
    if kind == "event":
        return "<event>" if value is EVENT else "<invalid event>" if value is BAD_EVENT else "null"
    if kind == "regflags":
        return "|".join(registration_flag_names(value)) or "0"
    if kind == "enumflags":
        return "|".join(enumeration_flag_names(value)) or "0"
    return None


#: Which in-parameters are counted by value, by function (flag-like ones, and TimeToLive as INFINITE or finite).
_COUNTED = frozenset({"family", "protocol", "event", "regflags", "enumflags"})


def observe(records: Iterable[Record], path: str, kind: str) -> TraceUse:
    """One pass over a trace's records."""
    use = TraceUse(path, kind)
    clients = use.clients
    for record in records:
        if not isinstance(record, Call):
            continue
        use.calls = record.call
        function = record.function
        entry = use.functions.get(function)
        if entry is None:
            entry = use.functions[function] = FunctionUse()
        entry.hits.add(record.call)
        entry.statuses[status_name(function, record.status)] += 1
        _count_arguments(entry, record)
        if record.out is None:
            use.outputs = False
        elif record.status in (0, 234):
            for (name, field_kind), value in zip(RESULTS[function], record.out, strict=True):
                if field_kind == "changeflags" and type(value) is int:
                    _tally(entry.results, name, "|".join(change_flag_names(value)))
        for rule in CALL_RULES:
            assert rule.match is not None
            if rule.match(record, clients):
                use.paths.setdefault(rule.id, Hits()).add(record.call)
        if function == "RtmRegisterClient" and record.status == 0 and record.out and isinstance(record.out[0], str):
            family, protocol, event, flags = record.args
            single = type(flags) is int and bool(flags & RTM_PROTOCOL_SINGLE_ROUTE)
            clients[record.out[0]] = Client(family, protocol, single, event is EVENT)
    if not use.outputs:
        use.notes.append(
            f"{path}: the calls carry no outputs (an older mapping log): output flags and the previous-best-route "
            "path are not counted"
        )
    return use


def _count_arguments(entry: FunctionUse, record: Call) -> None:
    params = PARAMS[record.function]
    family = record.args[0] if params and params[0][0] == "ProtocolFamily" else None
    for (name, kind), value in zip(params, record.args, strict=True):
        if kind in _COUNTED:
            label = _label(kind, value, family)
        elif name == "TimeToLive":
            label = "INFINITE" if value == INFINITE else "finite"
        else:
            continue
        if label is not None:
            _tally(entry.arguments, name, label)


def _tally(table: dict[str, Counter[str]], name: str, label: str) -> None:
    counter = table.get(name)
    if counter is None:
        counter = table[name] = Counter()
    counter[label] += 1
