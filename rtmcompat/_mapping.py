"""The one v1 -> v2 mapping table (STYLE.md habit 4).

Each RTMv1 function, the RTMv2 calls a correct v2 client makes for it (what V1Shim does), what differs in
behaviour, and how statuses map. The shim's docstrings, MIGRATION.md's mapping section, ``rtmcompat mapping``
and the tests all read this table; a test fails when MIGRATION.md drifts from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import attrs

F = TypeVar("F", bound=Callable[..., object])


@attrs.frozen
class V1Mapping:
    """How one RTMv1 function is ported to RTMv2."""

    #: The v1 function (rtm.h).
    v1: str
    #: The RTMv2 calls it becomes, in order of first use.
    v2: tuple[str, ...]
    #: What a port has to know: semantics that differ or have to be rebuilt on the v2 side.
    notes: str
    #: How v2 statuses (or conditions) become the v1 status.
    errors: tuple[tuple[str, str], ...] = ()


#: Calls that take no client are made by the shim's reader entity, registered on first use.
_READER = ("RtmRegisterEntity",)
_DRAIN = ("RtmGetChangedDests", "RtmReleaseChangedDests")
_QUERY = ("RtmGetExactMatchDestination", "RtmReleaseDestInfo")
_DEST_WALK = ("RtmCreateDestEnum", "RtmGetEnumDests", "RtmReleaseDests", "RtmDeleteEnumHandle")
_NATIVE = (
    "RtmGetRouteInfo",
    "RtmGetEntityInfo",
    "RtmReleaseEntityInfo",
    "RtmGetNextHopInfo",
    "RtmReleaseNextHopInfo",
    "RtmReleaseRouteInfo",
)
_WALK = (
    "RtmGetExactMatchDestination",
    "RtmReleaseDestInfo",
    "RtmCreateDestEnum",
    "RtmGetEnumDests",
    "RtmCreateRouteEnum",
    "RtmGetEnumRoutes",
    "RtmReleaseRoutes",
    "RtmDeleteEnumHandle",
    "RtmReleaseDests",
)

MAPPINGS: tuple[V1Mapping, ...] = (
    V1Mapping(
        "RtmRegisterClient",
        ("RtmRegisterEntity", "RtmRegisterForChangeNotification", *_DEST_WALK, *_NATIVE, "RtmDeregisterEntity"),
        "A v1 client is a v2 entity (ProtocolId = RoutingProtocol, InstanceId 0), so a native v2 entity of the same "
        "protocol and instance also makes the name taken. A ChangeEvent becomes a change-notification registration "
        "(BEST changes of the unicast view); its callback rebuilds v1 messages. The first client with an event "
        "walks the table once to learn the current best routes (v1 messages need the previous best route).",
        (
            ("ERROR_ALREADY_EXISTS", "ERROR_CLIENT_ALREADY_EXISTS (same value, 183)"),
            ("unknown family or flags", "ERROR_INVALID_PARAMETER"),
        ),
    ),
    V1Mapping(
        "RtmDeregisterClient",
        (
            "RtmDeregisterFromChangeNotification",
            "RtmDeleteRouteToDest",
            *_DRAIN,
            *_NATIVE,
            "RtmDeleteNextHop",
            "RtmReleaseRoutes",
            "RtmDeregisterEntity",
        ),
        "v1 removed the client's routes for it; v2 requires the client to clean up first. The shim deletes each "
        "route (in canonical order, telling the remaining clients after each step), deletes its next hops, drops "
        "its change registration and deregisters the entity. Costs in proportion to the client's routes.",
        (("stale or foreign handle", "ERROR_INVALID_HANDLE"),),
    ),
    V1Mapping(
        "RtmDequeueRouteChangeMessage",
        (),
        "No v2 call: v2 gives coalesced per-destination snapshots (RtmGetChangedDests) with no previous best route, "
        "so the shim turns each change into v1 messages with Prev/Cur copies as it happens and queues them per "
        "client (FIFO). The event is set on enqueue and reset when the queue empties.",
        (
            ("client registered without an event", "ERROR_INVALID_HANDLE"),
            ("more messages queued", "ERROR_MORE_MESSAGES (234, a success)"),
            ("queue empty", "ERROR_NO_MESSAGES (259)"),
        ),
    ),
    V1Mapping(
        "RtmAddRoute",
        ("RtmAddNextHop", "RtmAddRouteToDest", *_DRAIN, *_QUERY, "RtmDeleteNextHop", "RtmReleaseRoutes", *_NATIVE),
        "v1 identity (network, protocol, interface, next hop) = v2 (destination, owner, neighbour), the neighbour "
        "being a next hop per (interface, next-hop address); SINGLE_ROUTE clients use RTM_ROUTE_CHANGE_FIRST. "
        "TimeToLive seconds x 1000 = ms. FSD_Priority (the protocol's priority) -> Preference, FSD_Metric -> Metric "
        "(IPX: ticks -> Preference, hops -> Metric). The other v1 fields travel in EntitySpecificInfo. The caller "
        "gets Flags/Cur/Prev from the best route before and after; the other clients get the same as a message. "
        "Networks RTMv2 cannot hold (non-contiguous mask, host bits set) are refused.",
        (("v1 route malformed, TTL > 2147483 s, or network not representable", "ERROR_INVALID_PARAMETER"),),
    ),
    V1Mapping(
        "RtmDeleteRoute",
        ("RtmDeleteRouteToDest", *_DRAIN, "RtmDeleteNextHop", *_QUERY, *_NATIVE),
        "Found by the v1 identity in the client's own index; the v2 handle is consumed by the delete. The next hop "
        "goes when its last route goes.",
        (("no such route", "ERROR_NO_SUCH_ROUTE (259)"),),
    ),
    V1Mapping(
        "RtmIsRoute",
        (*_READER, *_QUERY, *_NATIVE),
        "Exact match of the network in the unicast view; a native v2 best route comes back in v1 shape "
        "(owner's protocol, first next hop, FSD_Priority = Preference).",
        (("ERROR_NOT_FOUND", "FALSE with NO_ERROR"),),
    ),
    V1Mapping(
        "RtmGetNetworkCount",
        (*_READER, *_DEST_WALK),
        "No v2 equivalent: counted from the shim's view of the best routes when it keeps one, else by walking "
        "the destinations of the unicast view.",
    ),
    V1Mapping(
        "RtmGetRouteAge",
        (),
        "No v2 call: computed from the caller's copy (RR_TimeStamp) and the clock. v2 keeps only a per-destination "
        "LastChanged.",
        (("timestamp 0 or in the future", "INFINITE with ERROR_INVALID_PARAMETER"),),
    ),
    V1Mapping(
        "RtmCreateEnumerationHandle",
        (*_READER, *_WALK, *_NATIVE),
        "A live cursor in canonical order over the unicast view (one destination with RTM_ONLY_THIS_NETWORK): v2 "
        "enumerations give address order, routes by preference, so the shim re-sorts each destination's routes by "
        "protocol, interface, next hop, and remembers the routes it returned so none comes twice.",
        (("nothing matches at creation", "ERROR_NO_ROUTES (259)"),),
    ),
    V1Mapping(
        "RtmEnumerateGetNextRoute",
        (*_READER, *_WALK, *_NATIVE),
        "Resumes after the last route returned; routes added ahead are seen, deleted ones skipped.",
        (("exhausted", "ERROR_NO_MORE_ROUTES (259)"),),
    ),
    V1Mapping("RtmCloseEnumerationHandle", (), "No v2 call: the cursor holds no v2 resources between calls."),
    V1Mapping(
        "RtmBlockDeleteRoutes",
        ("RtmDeleteRouteToDest", *_DRAIN, "RtmDeleteNextHop", *_NATIVE),
        "No v2 equivalent: the shim selects the caller's matching routes from its own index (the v2 way is a route "
        "list or an OWN_ROUTES enumeration) and deletes them one by one in canonical order; every client with an "
        "event, the caller included, gets the messages.",
        (("nothing matched", "ERROR_NO_ROUTES (259)"),),
    ),
    V1Mapping(
        "RtmGetFirstRoute",
        (*_READER, *_WALK, *_NATIVE),
        "First route in canonical order matching the criteria (slow in v1 too).",
        (("nothing matches", "ERROR_NO_ROUTES (259)"),),
    ),
    V1Mapping(
        "RtmGetNextRoute",
        (*_READER, *_WALK, *_NATIVE),
        "First route after the given one in canonical order; the given route need not exist.",
        (("nothing follows", "ERROR_NO_ROUTES (259)"),),
    ),
    V1Mapping(
        "RtmGetSpecificRoute",
        (*_READER, *_WALK, *_NATIVE),
        "The rtm.h macro: RtmGetFirstRoute with ONLY_THIS_NETWORK | ONLY_THIS_PROTOCOL | ONLY_THIS_INTERFACE.",
        (("no such route", "ERROR_NO_ROUTES (259)"),),
    ),
    V1Mapping(
        "RtmLookupIPDestination",
        (*_READER, "RtmGetMostSpecificDestination", "RtmReleaseDestInfo", *_NATIVE),
        "Undocumented in v1; modelled as longest-prefix match (spec A26), which v2 documents.",
        (("ERROR_NOT_FOUND", "FALSE with NO_ERROR"),),
    ),
)

BY_NAME: dict[str, V1Mapping] = {m.v1: m for m in MAPPINGS}


def mapped(name: str) -> Callable[[F], F]:
    """Start a shim method's docstring with the v2 calls it maps to (STYLE.md habit 7)."""
    mapping = BY_NAME[name]

    def decorate(fn: F) -> F:
        calls = ", ".join(mapping.v2) if mapping.v2 else "no RTMv2 call"
        fn.__doc__ = f"{name} -> {calls}.\n\n{mapping.notes}\n\n{fn.__doc__ or ''}".rstrip() + "\n"
        return fn

    return decorate


MARKDOWN_BEGIN = "<!-- mapping table: generated from rtmcompat/_mapping.py by `rtmcompat mapping --markdown` -->"
MARKDOWN_END = "<!-- end of generated mapping table -->"


def mapping_markdown(mappings: tuple[V1Mapping, ...] = MAPPINGS) -> str:
    """The mapping table as the Markdown MIGRATION.md carries (between the two marker comments)."""
    lines = [MARKDOWN_BEGIN, "", "| RTMv1 | RTMv2 calls | What a port has to know | Statuses |", "|---|---|---|---|"]
    for m in mappings:
        calls = ", ".join(f"`{c}`" for c in m.v2) if m.v2 else "none"
        errors = "; ".join(f"{cond} -> {status}" for cond, status in m.errors) or "-"
        lines.append(f"| `{m.v1}` | {calls} | {m.notes} | {errors} |")
    lines += ["", MARKDOWN_END]
    return "\n".join(lines)


def mapping_text(mappings: tuple[V1Mapping, ...] = MAPPINGS) -> str:
    """The mapping table for a terminal."""
    out = []
    for m in mappings:
        out.append(m.v1)
        out.append("  v2: " + (", ".join(m.v2) if m.v2 else "(none)"))
        out.append("  " + m.notes)
        for cond, status in m.errors:
            out.append(f"  {cond} -> {status}")
        out.append("")
    return "\n".join(out)
