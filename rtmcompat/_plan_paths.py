"""The flags and error paths a plan looks for in traces, and what each means for a port (M-PLAN-PATHS).

Each :class:`PathRule` is data: what to look for, which porting step it belongs to, what the port does about it
(citing docs/behaviour.md ids) and the MIGRATION.md section to read. Most are read off a call record (its
arguments, status and outputs, and the registration of the client it names); the ones marked ``replay`` are
observed by replaying the trace on V1Shim (routes that aged out, what a deregistration left to delete, the caller's
event after a block delete). ``symbols`` are the rtm.h names whose presence in the sources shows the code handles
the path, so a plan can say which handled paths no trace reaches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

import attrs

from ._constants import INFINITE, RTM_PROTOCOL_FAMILY_IPX, RTM_PROTOCOL_SINGLE_ROUTE
from ._names import status_name
from ._trace_codec import PARAMS
from ._trace_records import Call


@attrs.frozen
class Client:
    """What a trace's registration said about a client."""

    family: int
    protocol: int
    single_route: bool
    has_event: bool


Clients = dict[str, Client]
Match = Callable[[Call, Clients], bool]


@attrs.frozen
class PathRule:
    """One flag or error path, how to spot it and what it asks of a port."""

    id: str
    title: str
    #: The v1 functions whose calls show it.
    functions: tuple[str, ...]
    #: The porting step it belongs to (rtmcompat._plan_steps.STEPS).
    step: str
    #: What the port does about it.
    port: str
    #: The MIGRATION.md section to read (``MIGRATION.md#anchor``).
    migration: str
    #: rtm.h names whose presence in the sources shows the code handles it.
    symbols: tuple[str, ...] = ()
    #: Tells a call that takes the path; None: the path is observed by replaying the trace.
    match: Match | None = None
    #: What a hit counts: calls, or (for paths observed in bulk) the routes involved as well.
    unit: Literal["calls", "routes"] = "calls"


def _status(function: str, name: str) -> Match:
    return lambda call, _clients: call.function == function and status_name(function, call.status) == name


def _client(call: Call, clients: Clients) -> Client | None:
    params = PARAMS[call.function]
    if params and params[0][0] == "ClientHandle" and isinstance(call.args[0], str):
        return clients.get(call.args[0])
    return None


def _single_route(call: Call, clients: Clients) -> bool:
    if call.function == "RtmRegisterClient":
        flags = call.args[3]
        return call.status == 0 and type(flags) is int and bool(flags & RTM_PROTOCOL_SINGLE_ROUTE)
    client = _client(call, clients)
    return call.function in ("RtmAddRoute", "RtmDeleteRoute") and client is not None and client.single_route


def _no_event(call: Call, _clients: Clients) -> bool:
    return call.function == "RtmRegisterClient" and call.status == 0 and call.args[2] is None


def _ipx(call: Call, clients: Clients) -> bool:
    params = PARAMS[call.function]
    if params and params[0][0] == "ProtocolFamily":
        return bool(call.args[0] == RTM_PROTOCOL_FAMILY_IPX)
    client = _client(call, clients)
    return client is not None and client.family == RTM_PROTOCOL_FAMILY_IPX


def _finite_ttl(call: Call, _clients: Clients) -> bool:
    return call.function == "RtmAddRoute" and call.status == 0 and call.args[2] != INFINITE


def _previous_best(call: Call, _clients: Clients) -> bool:
    if call.function not in ("RtmAddRoute", "RtmDequeueRouteChangeMessage") or call.out is None:
        return False
    return call.status in (0, 234) and call.out[2] is not None


def _no_routes(call: Call, _clients: Clients) -> bool:
    return status_name(call.function, call.status) == "ERROR_NO_ROUTES"


_SELECTING = ("RtmCreateEnumerationHandle", "RtmGetFirstRoute", "RtmGetNextRoute", "RtmGetSpecificRoute")
_TIME = "MIGRATION.md#time-seconds-become-milliseconds-and-expiry-asks-first"

#: The paths, in porting-step order.
PATHS: Final[tuple[PathRule, ...]] = (
    PathRule(
        "ipx",
        "The IPX family",
        ("RtmRegisterClient",),
        "registration",
        "RTMv2 serves no IPX routing protocol on Windows: IPX code stays on RTMv1 (V1-6.2) and is planned apart; "
        "the model's IPX family is a test extension only (M-IPX-FAMILY).",
        "MIGRATION.md#why-there-are-two-apis",
        ("RTM_PROTOCOL_FAMILY_IPX",),
        _ipx,
    ),
    PathRule(
        "single-route",
        "RTM_PROTOCOL_SINGLE_ROUTE clients",
        ("RtmRegisterClient", "RtmAddRoute", "RtmDeleteRoute"),
        "registration",
        "A single-route client keeps one route per network, which its adds replace whatever the next hop "
        "(V1-A20). RTMv2 has no such registration: pass RTM_ROUTE_CHANGE_FIRST to every RtmAddRouteToDest.",
        "MIGRATION.md#route-identity-and-next-hops",
        ("RTM_PROTOCOL_SINGLE_ROUTE",),
        _single_route,
    ),
    PathRule(
        "no-change-event",
        "Clients registered without a change event",
        ("RtmRegisterClient",),
        "registration",
        "v1 tells such a client of no change (V1-4.1): the port registers for no change notification.",
        "MIGRATION.md#rtmregisterclient",
        (),
        _no_event,
    ),
    PathRule(
        "client-exists",
        "ERROR_CLIENT_ALREADY_EXISTS",
        ("RtmRegisterClient",),
        "registration",
        "RtmRegisterEntity answers ERROR_ALREADY_EXISTS (the same value, 183) when the entity id is taken, by a "
        "ported or by a native entity (M-CLIENT-ENTITY).",
        "MIGRATION.md#rtmregisterclient",
        ("ERROR_CLIENT_ALREADY_EXISTS",),
        _status("RtmRegisterClient", "ERROR_CLIENT_ALREADY_EXISTS"),
    ),
    PathRule(
        "finite-ttl",
        "Routes added with a finite TimeToLive",
        ("RtmAddRoute",),
        "routes",
        "v1's TimeToLive is in seconds, RTMv2's in milliseconds: multiply by 1000 and keep INFINITE as it is "
        "(V1-1.8, V2-2.8).",
        _TIME,
        (),
        _finite_ttl,
    ),
    PathRule(
        "no-such-route",
        "ERROR_NO_SUCH_ROUTE",
        ("RtmDeleteRoute",),
        "routes",
        "RtmDeleteRouteToDest takes a route handle: the port looks the route up in its own records, and finds "
        "none where v1 answered ERROR_NO_SUCH_ROUTE.",
        "MIGRATION.md#rtmdeleteroute",
        ("ERROR_NO_SUCH_ROUTE",),
        _status("RtmDeleteRoute", "ERROR_NO_SUCH_ROUTE"),
    ),
    PathRule(
        "no-routes",
        "ERROR_NO_ROUTES",
        (*_SELECTING, "RtmBlockDeleteRoutes"),
        "enumeration",
        "RTMv2 says nothing at creation: an enumeration is created and its first read answers "
        "ERROR_NO_MORE_ITEMS; exact-match lookups answer ERROR_NOT_FOUND.",
        "MIGRATION.md#enumeration-order",
        ("ERROR_NO_ROUTES",),
        _no_routes,
    ),
    PathRule(
        "no-more-routes",
        "ERROR_NO_MORE_ROUTES",
        ("RtmEnumerateGetNextRoute",),
        "enumeration",
        "RtmGetEnumDests and RtmGetEnumRoutes end with ERROR_NO_MORE_ITEMS, which may come with the last batch.",
        "MIGRATION.md#rtmenumerategetnextroute",
        ("ERROR_NO_MORE_ROUTES",),
        _status("RtmEnumerateGetNextRoute", "ERROR_NO_MORE_ROUTES"),
    ),
    PathRule(
        "more-messages",
        "ERROR_MORE_MESSAGES",
        ("RtmDequeueRouteChangeMessage",),
        "notification",
        "RtmGetChangedDests hands out changed destinations in batches, coalesced: the drain loop runs until "
        "ERROR_NO_MORE_ITEMS, which may come with the last batch (V2-6.9).",
        "MIGRATION.md#change-messages-become-change-notification",
        ("ERROR_MORE_MESSAGES",),
        _status("RtmDequeueRouteChangeMessage", "ERROR_MORE_MESSAGES"),
    ),
    PathRule(
        "no-messages",
        "ERROR_NO_MESSAGES",
        ("RtmDequeueRouteChangeMessage",),
        "notification",
        "The end of the queue is ERROR_NO_MORE_ITEMS from RtmGetChangedDests.",
        "MIGRATION.md#change-messages-become-change-notification",
        ("ERROR_NO_MESSAGES",),
        _status("RtmDequeueRouteChangeMessage", "ERROR_NO_MESSAGES"),
    ),
    PathRule(
        "previous-best",
        "Results that carry the previous best route",
        ("RtmAddRoute", "RtmDequeueRouteChangeMessage"),
        "notification",
        "RTMv2 reports a destination's latest state only: where the code reads PrevBestRoute, keep a copy of "
        "what you last advertised (M-PREVIOUS-BEST).",
        "MIGRATION.md#change-messages-become-change-notification",
        (),
        _previous_best,
    ),
    PathRule(
        "aged-out",
        "Routes that aged out",
        ("RtmAddRoute",),
        "cleanup",
        "v1 deleted an aged route itself and told every client, the owner included (V1-A14); RTMv2 calls the "
        "owner with RTM_ROUTE_EXPIRED first: answer ERROR_NOT_SUPPORTED to have it deleted, or handle it "
        "(V2-A-ttl).",
        _TIME,
        unit="routes",
    ),
    PathRule(
        "block-delete-notifies-caller",
        "RtmBlockDeleteRoutes telling the caller",
        ("RtmBlockDeleteRoutes",),
        "cleanup",
        "v1 tells every client with an event of a block delete, the caller included, unlike its own "
        "RtmDeleteRoute (V1-4.12). RTMv2 has no block delete: the port deletes route by route and, like every "
        "entity registered for changes, hears of its own deletions.",
        "MIGRATION.md#rtmblockdeleteroutes",
    ),
    PathRule(
        "deregister-with-routes",
        "RtmDeregisterClient with routes left",
        ("RtmDeregisterClient",),
        "cleanup",
        "v1 removed the client's routes at deregistration and told the others (V1-4.2); RtmDeregisterEntity "
        "expects them gone: delete routes and next hops, end change registrations and enumerations and release "
        "every handle first (V2-6.1).",
        "MIGRATION.md#cleanup-is-now-your-job",
        unit="routes",
    ),
)

BY_ID: Final[dict[str, PathRule]] = {rule.id: rule for rule in PATHS}
#: The rules read off call records.
CALL_RULES: Final[tuple[PathRule, ...]] = tuple(rule for rule in PATHS if rule.match is not None)
