"""Generated workloads: Hypothesis writes v1 call sequences, both backends run them, diverging ones are kept.

Theory of operation
-------------------
A *program* is a list of steps over a small world: IP and IPX clients of a few protocols (with and without an event,
single-route or not), networks that overlap and a few that RTMv2 cannot hold, three next hops (one with a mask RTMv2
cannot hold), metrics from a narrow range (so equal costs are common), times to live that expire, adds, deletes,
block deletes, dequeues, enumerations, walks, lookups, deregistrations and stale or NULL handles. A program is run
on V1Reference through a Recorder, which makes it a trace; the trace is compared like any other. ``hypothesis.find``
looks for a program whose comparison shows a difference (following from no other) with a signature not yet in the
corpus, and shrinks it; the minimiser then shrinks the trace once more, and the result is saved into the corpus
folder. Known signatures are skipped afterwards, so each run adds only new kinds of divergence.

Hypothesis is an optional dependency (``pip install 'rtmcompat[fuzz]'``); only this module imports it.
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

import attrs
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

import v2model

from ._constants import (
    INFINITE,
    IPX_PROTOCOL_RIP,
    IPX_PROTOCOL_SAP,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_PROTOCOL_SINGLE_ROUTE,
)
from ._minimize import minimize, signature, target
from ._recorder import Recorder
from ._reference import V1Reference
from ._registry import Registry
from ._trace_reader import iter_records, read
from ._trace_records import Record
from ._v1types import (
    IP_NETWORK,
    IP_SPECIFIC_DATA,
    IPX_NETWORK,
    IPX_NEXT_HOP_ADDRESS,
    IPX_SPECIFIC_DATA,
    RTM_IP_ROUTE,
    RTM_IPX_ROUTE,
    ip_address,
    ip_network,
)
from .compare import compare_trace
from .trace import write

#: IP networks of the world: nested prefixes, a default route, and (last) two RTMv2 cannot hold.
NETWORKS: Final = (
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.1.0.0/16",
    "10.1.2.0/24",
    "10.1.2.3/32",
    "192.168.0.0/16",
    "10.1.1.1/255.255.0.0",
    "10.0.1.0/255.0.255.0",
)
#: Next hops: two ordinary ones and one whose mask is not contiguous (RTMv2 cannot hold it).
HOPS: Final = ("192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/255.0.255.255")
IP_PROTOCOLS: Final = (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP)
IPX_PROTOCOLS: Final = (IPX_PROTOCOL_RIP, IPX_PROTOCOL_SAP)
IPX_NETS: Final = (0x10, 0x11, 0xABCD)
MACS: Final = (bytes.fromhex("00000c000001"), bytes.fromhex("00000c000002"))
ADDRESSES: Final = ("10.1.2.3", "10.1.9.9", "10.9.9.9", "192.168.4.4", "8.8.8.8", "10.1.1.1")
PRIORITIES: Final[tuple[dict[int, int], ...]] = ({}, {PROTO_IP_RIP: 120, PROTO_IP_OSPF: 110})


def _network(text: str) -> IP_NETWORK:
    address, _, mask = text.partition("/")
    if "." in mask:
        return IP_NETWORK(ip_address(address), ip_address(mask))
    return ip_network(text)


Step = tuple[Any, ...]


def _register() -> st.SearchStrategy[Step]:
    family = st.sampled_from((RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX))
    return st.tuples(st.just("register"), family, st.integers(0, 2), st.booleans(), st.booleans())


def steps() -> st.SearchStrategy[Step]:
    """One step of a program (route changes are drawn more often than the rest)."""
    index = st.integers(0, 7)
    family = st.sampled_from((RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX))
    network = st.integers(0, len(NETWORKS) - 1)
    add = st.tuples(
        st.just("add"),
        index,
        network,
        st.integers(1, 2),
        st.integers(0, len(HOPS) - 1),
        st.integers(0, 2),
        st.sampled_from((INFINITE, INFINITE, 0, 5, 60)),
    )
    delete = st.tuples(st.just("delete"), index, network, st.integers(1, 2), st.integers(0, len(HOPS) - 1))
    return st.one_of(
        add,
        add,
        add,
        delete,
        st.tuples(st.just("dequeue"), index),
        st.tuples(st.just("dequeue"), index),
        _register(),
        st.tuples(st.just("deregister"), index),
        st.tuples(st.just("block"), index, st.sampled_from((0, 1, 2, 3, 4, 8)), network),
        st.tuples(st.just("advance"), st.sampled_from((1000, 5000, 60_000))),
        st.tuples(st.just("is_route"), family, network),
        st.tuples(st.just("lookup"), st.integers(0, len(ADDRESSES) - 1)),
        st.tuples(st.just("count"), family),
        st.tuples(st.just("walk"), family, st.sampled_from((0, 8))),
        st.tuples(st.just("open"), family, st.sampled_from((0, 1, 4, 8)), network),
        st.tuples(st.just("next"), index),
        st.tuples(st.just("close"), index),
    )


def programs(max_steps: int = 40) -> st.SearchStrategy[tuple[int, list[Step]]]:
    """A program: the protocol priorities to use (an index into PRIORITIES), one to four registrations, then
    its steps."""
    return st.builds(
        lambda priority, first, rest: (priority, first + rest),
        st.integers(0, len(PRIORITIES) - 1),
        st.lists(_register(), min_size=1, max_size=4),
        st.lists(steps(), min_size=1, max_size=max_steps),
    )


@attrs.define
class _World:
    """The handles a running program holds (deregistered and closed ones stay: they are the stale handles)."""

    clients: list[tuple[Any, int, int]] = attrs.field(factory=list)
    enums: list[Any] = attrs.field(factory=list)


def _route(family: int, protocol: int, where: int, interface: int, hop: int, metric: int) -> Any:
    if family == RTM_PROTOCOL_FAMILY_IP:
        return RTM_IP_ROUTE(
            RR_RoutingProtocol=protocol,
            RR_InterfaceID=interface,
            RR_Network=_network(NETWORKS[where]),
            RR_NextHopAddress=_network(HOPS[hop]),
            RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
        )
    return RTM_IPX_ROUTE(
        RR_RoutingProtocol=protocol,
        RR_InterfaceID=interface,
        RR_Network=IPX_NETWORK(IPX_NETS[where % len(IPX_NETS)]),
        RR_NextHopAddress=IPX_NEXT_HOP_ADDRESS(MACS[hop % len(MACS)]),
        RR_FamilySpecificData=IPX_SPECIFIC_DATA(FSD_TickCount=metric, FSD_HopCount=1),
    )


def _run(api: Any, world: _World, step: Step) -> None:
    kind = step[0]
    client = world.clients[step[1] % len(world.clients)] if world.clients and isinstance(step[1], int) else None
    handle = client[0] if client is not None else None
    if kind == "register":
        _, family, which, event, single = step
        protocols = IP_PROTOCOLS if family == RTM_PROTOCOL_FAMILY_IP else IPX_PROTOCOLS
        protocol = protocols[which % len(protocols)]
        result = api.RtmRegisterClient(
            family, protocol, threading.Event() if event else None, RTM_PROTOCOL_SINGLE_ROUTE if single else 0
        )
        if result.ClientHandle is not None:
            world.clients.append((result.ClientHandle, family, protocol))
    elif kind == "deregister":
        api.RtmDeregisterClient(handle)
    elif kind in ("add", "delete"):
        family, protocol = (client[1], client[2]) if client is not None else (RTM_PROTOCOL_FAMILY_IP, 0)
        route = _route(family, protocol, step[2], step[3], step[4], step[5] if kind == "add" else 0)
        if kind == "add":
            api.RtmAddRoute(handle, route, step[6])
        else:
            api.RtmDeleteRoute(handle, route)
    elif kind == "block":
        family, protocol = (client[1], client[2]) if client is not None else (RTM_PROTOCOL_FAMILY_IP, 0)
        criteria = _route(family, protocol, step[3], 1, 0, 0) if step[2] & 7 else None
        api.RtmBlockDeleteRoutes(handle, step[2], criteria)
    elif kind == "dequeue":
        api.RtmDequeueRouteChangeMessage(handle)
    elif kind == "advance":
        api.advance(step[1])
    elif kind == "is_route":
        family, where = step[1], step[2]
        network = _network(NETWORKS[where]) if family == RTM_PROTOCOL_FAMILY_IP else IPX_NETWORK(IPX_NETS[where % 3])
        api.RtmIsRoute(family, network)
    elif kind == "lookup":
        api.RtmLookupIPDestination(ip_address(ADDRESSES[step[1]]))
    elif kind == "count":
        api.RtmGetNetworkCount(step[1])
    elif kind == "walk":
        result = api.RtmGetFirstRoute(step[1], step[2], None)
        for _ in range(20):
            if result.status != 0:
                break
            result = api.RtmGetNextRoute(step[1], step[2], result.Route)
    elif kind == "open":
        family, flags, where = step[1:]
        protocols = IP_PROTOCOLS if family == RTM_PROTOCOL_FAMILY_IP else IPX_PROTOCOLS
        criteria = _route(family, protocols[where % len(protocols)], where, 1, 0, 0) if flags & 7 else None
        result = api.RtmCreateEnumerationHandle(family, flags, criteria)
        if result.EnumerationHandle is not None:
            world.enums.append(result.EnumerationHandle)
    elif kind in ("next", "close"):
        enum = world.enums[step[1] % len(world.enums)] if world.enums else None
        if kind == "next":
            api.RtmEnumerateGetNextRoute(enum)
        else:
            api.RtmCloseEnumerationHandle(enum)


def record(program: tuple[int, list[Step]]) -> list[str]:
    """Run a program on V1Reference through a Recorder: the trace's lines."""
    priority = dict(PRIORITIES[program[0]])
    clock = v2model.ManualClock()
    sink = io.StringIO()
    world = _World()
    with Recorder(V1Reference(clock=clock, protocol_priority=priority), sink, protocol_priority=priority) as api:
        for step in program[1]:
            _run(api, world, step)
    return sink.getvalue().splitlines()


@attrs.frozen
class Found:
    """A diverging sequence saved into the corpus."""

    path: Path
    kind: str
    id: str | None
    function: str
    calls: int


def corpus_signatures(corpus: Path, registry: Registry) -> set[tuple[Any, ...]]:
    """The signatures of the divergences the corpus already holds."""
    known: set[tuple[Any, ...]] = set()
    for path in sorted(corpus.glob("*.jsonl")):
        try:
            result = compare_trace(path, registry=registry, tables_around=False)
        except Exception:
            continue
        wanted = target(result.differences)
        if wanted is not None:
            known.add(signature(wanted))
    return known


def fuzz(
    corpus: Path,
    registry: Registry,
    *,
    examples: int = 200,
    seed: int | None = None,
    max_steps: int = 40,
    include_expected: bool = False,
    max_found: int = 10,
    on_found: Callable[[Found], None] | None = None,
) -> list[Found]:
    """Search for new divergences and save each, minimised, into ``corpus``; returns what was saved."""
    corpus.mkdir(parents=True, exist_ok=True)
    known = corpus_signatures(corpus, registry)
    wanted_kinds = ("unexpected", "todo", "expected") if include_expected else ("unexpected",)
    rng = random.Random(seed)
    found: list[Found] = []

    def new_divergence(program: tuple[int, list[Step]]) -> bool:
        result = compare_trace(record(program), registry=registry, context=0, tables_around=False)
        if result.verdict == "error":
            raise AssertionError(f"a recorded program does not read back: {result.error}")
        wanted = target(result.differences)
        return wanted is not None and wanted.kind in wanted_kinds and signature(wanted) not in known

    config = settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )
    while len(found) < max_found:
        try:
            program = find(programs(max_steps), new_divergence, settings=config, random=rng)
        except (NoSuchExample, Unsatisfiable):
            break
        saved = _save(program, corpus, registry)
        if saved is None:
            break
        known.add(saved[1])
        found.append(saved[0])
        if on_found is not None:
            on_found(saved[0])
    return found


def _save(program: tuple[int, list[Step]], corpus: Path, registry: Registry) -> tuple[Found, tuple[Any, ...]] | None:
    records: list[Record] = read(record(program))
    result = compare_trace(records, registry=registry, context=0, tables_around=False)
    wanted = target(result.differences)
    if wanted is None:
        return None
    repro = minimize(records, registry, wanted)
    final = repro.records if repro is not None else records
    lines = _lines(final)
    digest = hashlib.sha256("\n".join(lines[1:]).encode()).hexdigest()[:10]
    label = (wanted.id or wanted.function).lower().replace("rtmc-", "")
    path = corpus / f"{wanted.kind}-{label}-{digest}.jsonl"
    write(final, path)
    calls = sum(1 for r in iter_records(path) if type(r).__name__ == "Call")
    return Found(path, wanted.kind, wanted.id, wanted.function, calls), signature(wanted)


def _lines(records: Iterable[Record]) -> list[str]:
    sink = io.StringIO()
    write(records, sink)
    return sink.getvalue().splitlines()
