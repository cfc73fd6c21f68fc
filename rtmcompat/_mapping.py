"""The one RTMv1 -> RTMv2 mapping table: what a port of each v1 function does, and what V1Shim does.

Each row is data for porting, read by ``rtmcompat mapping`` (text, Markdown, JSON), by MIGRATION.md (its summary
table and its function-by-function sections are generated from here, and a test fails when they drift), by
``rtmcompat scan`` and ``rtmcompat plan``, and by V1Shim's docstrings:

* ``port``: the RTMv2 calls a correct port makes for the v1 call, in order, with the C sketch that shows them
  (``sketch``), the kind of change, whether a person has to decide something (``manual``, the reason is in
  ``notes``), the known differences between V1Shim and RTMv1 it touches and an effort weight for the planner;
* ``v2``: the RTMv2 calls V1Shim makes for it, its own bookkeeping included (what the mapping log reports);
* ``statuses``: how a v2 status, or a condition, becomes the status a v1 caller sees.

Every field was checked against Microsoft's RTMv1 and RTMv2 reference pages (linked from ``doc_url`` and
``v2_docs``) and the public headers; the behaviour the notes cite by id is in docs/behaviour.md.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any, Literal, TypeVar, get_args

import attrs

F = TypeVar("F", bound=Callable[..., object])

#: What kind of change a port faces.
Kind = Literal["rename", "signature", "semantic", "removed"]

#: The kinds, with what each means (shown by ``rtmcompat mapping`` and documented in MIGRATION.md).
KINDS: dict[str, str] = {
    "rename": "a v2 function does the same job: rename the call and pass the registration handle",
    "signature": "the same job through other structures and calls: new arguments, results and releases",
    "semantic": "v2 behaves differently: the port changes logic or keeps state v1 kept for it",
    "removed": "v2 has no such function: the port rebuilds it from other calls or from its own state",
}

#: The known differences between V1Shim and RTMv1 a mapping row may name: ids of the registry of
#: ``rtmcompat compare`` (rtmcompat/differences.toml), each explained under its anchor in MIGRATION.md "What the shim
#: cannot carry over".
DIFFERENCE_IDS: tuple[str, ...] = (
    "RTMC-TIE",
    "RTMC-HOSTBITS",
    "RTMC-NONCONTIG",
    "RTMC-NEXTHOP-MASK",
    "RTMC-NAME-TAKEN",
)

#: The effort weights: relative work to port one call site of the function.
EFFORT_SCALE: dict[int, str] = {
    1: "a direct replacement: rename the call and pass the registration handle",
    2: "a fixed sequence of v2 calls with the structures to fill and release; nothing to decide",
    3: "the port keeps new state or rebuilds v1 behaviour around the call (handles, order, timestamps)",
    5: "a design change beyond the call site: how the program learns of changes or shuts down",
}

#: Microsoft's RTMv1 function pages (MicrosoftDocs/win32, desktop-src/RRAS/).
V1_DOCS = "https://learn.microsoft.com/windows/win32/rras/"
#: Microsoft's RTMv2 function pages (MicrosoftDocs/sdk-api, sdk-api-src/content/rtmv2/).
V2_DOCS = "https://learn.microsoft.com/windows/win32/api/rtmv2/nf-rtmv2-"


def v2_doc_url(function: str) -> str:
    """The learn.microsoft.com page of an RTMv2 function: ``v2_doc_url("RtmAddRouteToDest")``."""
    return V2_DOCS + function.lower()


def _kind(instance: V1Mapping, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in get_args(Kind):
        raise ValueError(f"{instance.v1}: kind {value!r} is not one of {get_args(Kind)}")


def _differences(instance: V1Mapping, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    unknown = [d for d in value if d not in DIFFERENCE_IDS]
    if unknown:
        raise ValueError(f"{instance.v1}: unknown difference ids {unknown}")


def _effort(instance: V1Mapping, attribute: attrs.Attribute[Any], value: int) -> None:
    if value not in EFFORT_SCALE:
        raise ValueError(f"{instance.v1}: effort {value} is not on the scale {sorted(EFFORT_SCALE)}")


@attrs.frozen
class V1Mapping:
    """How one RTMv1 function is ported to RTMv2, and how V1Shim runs it."""

    #: The v1 function (rtm.h), or the header macro RtmGetSpecificRoute.
    v1: str
    #: The RTMv2 calls V1Shim makes for it, in order of first use (its own bookkeeping included).
    v2: tuple[str, ...]
    #: What a port has to know: the semantics that differ, what to rebuild, why manual work is needed.
    notes: str
    #: How a v2 status (or a condition) becomes the status the v1 caller sees: (when, v1 status) pairs.
    statuses: tuple[tuple[str, str], ...] = ()
    #: The RTMv2 calls a correct port makes, in order (without V1Shim's bookkeeping).
    port: tuple[str, ...] = attrs.field(kw_only=True)
    #: The kind of change a port faces (see KINDS).
    kind: Kind = attrs.field(kw_only=True, validator=_kind)
    #: Whether a person has to decide something to port a call site (the notes say what).
    manual: bool = attrs.field(kw_only=True)
    #: The known differences between V1Shim and RTMv1 this function touches (DIFFERENCE_IDS).
    differences: tuple[str, ...] = attrs.field(kw_only=True, default=(), validator=_differences)
    #: Relative work to port one call site (EFFORT_SCALE).
    effort: int = attrs.field(kw_only=True, validator=_effort)
    #: A short C sketch of the v2 calls with the releases a correct port needs (rtmv2.h names and argument order).
    sketch: str = attrs.field(kw_only=True)
    #: Microsoft's page of the v1 function (None: the function has no public page).
    doc_url: str | None = attrs.field(kw_only=True)
    #: Microsoft's pages of the v2 functions of ``port``, as (function, URL) pairs in the order of ``port``.
    v2_docs: tuple[tuple[str, str], ...] = attrs.field(init=False)

    @v2_docs.default
    def _v2_docs(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, v2_doc_url(name)) for name in dict.fromkeys(self.port))


def _sketch(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


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

#: Reading a route the way v1 returned it: the route, then its first next hop (interface and address).
_READ_ROUTE = ("RtmGetRouteInfo", "RtmGetNextHopInfo", "RtmReleaseNextHopInfo", "RtmReleaseRouteInfo")
#: A route enumeration read one handle at a time.
_ROUTE_ENUM = (
    "RtmCreateRouteEnum",
    "RtmGetEnumRoutes",
    "RtmGetRouteInfo",
    "RtmReleaseRouteInfo",
    "RtmReleaseRoutes",
    "RtmDeleteEnumHandle",
)

MAPPINGS: tuple[V1Mapping, ...] = (
    V1Mapping(
        "RtmRegisterClient",
        ("RtmRegisterEntity", "RtmRegisterForChangeNotification", *_DEST_WALK, *_NATIVE, "RtmDeregisterEntity"),
        "A v1 client becomes an RTMv2 entity: RTM_ENTITY_INFO with instance 0, the address family (AF_INET for "
        "RTM_PROTOCOL_FAMILY_IP) and EntityProtocolId = the v1 RoutingProtocol. EntityInstanceId tells several "
        "registrations of one protocol apart, which v1 did not allow. The name is taken when any entity, ported or "
        "native, has the same (instance, family, protocol id, instance id) (M-CLIENT-ENTITY). The ChangeEvent has no "
        "v2 counterpart, hence the manual work: pass an event callback and register for change notification "
        "(RTM_CHANGE_TYPE_BEST in the unicast view is what v1 reported); RTM then calls the callback instead of "
        "setting an event (see RtmDequeueRouteChangeMessage). On Windows, RTMv2 does not serve IPX routing "
        "protocols (V1-6.2): IPX code stays on RTMv1 there (the model's AF_IPX is a test extension, M-IPX-FAMILY).",
        (
            ("ERROR_ALREADY_EXISTS", "ERROR_CLIENT_ALREADY_EXISTS (the same value, 183)"),
            ("unknown family or flags", "ERROR_INVALID_PARAMETER"),
            ("ERROR_BAD_CONFIGURATION, or too many change registrations", "ERROR_NO_SYSTEM_RESOURCES"),
        ),
        port=("RtmRegisterEntity", "RtmRegisterForChangeNotification"),
        kind="semantic",
        manual=True,
        differences=("RTMC-NAME-TAKEN",),
        effort=3,
        doc_url=V1_DOCS + "rtmregisterclient",
        sketch=_sketch(
            """
            RTM_ENTITY_INFO EntityInfo;

            ZeroMemory(&EntityInfo, sizeof(EntityInfo));
            EntityInfo.RtmInstanceId = 0;
            EntityInfo.AddressFamily = AF_INET;                  /* RTM_PROTOCOL_FAMILY_IP */
            EntityInfo.EntityId.EntityProtocolId = PROTO_IP_RIP; /* the v1 RoutingProtocol */
            EntityInfo.EntityId.EntityInstanceId = 0;

            Status = RtmRegisterEntity(&EntityInfo, NULL, EventCallback, FALSE,
                                       &RegnProfile, &RtmRegHandle);
            if (Status != NO_ERROR)
                return Status;                  /* ERROR_ALREADY_EXISTS: the name is taken */

            /* what the v1 ChangeEvent announced: best-route changes of the unicast view */
            Status = RtmRegisterForChangeNotification(RtmRegHandle, RTM_VIEW_MASK_UCAST,
                                                      RTM_CHANGE_TYPE_BEST, NULL, &NotifyHandle);
            if (Status != NO_ERROR)
                RtmDeregisterEntity(RtmRegHandle);
            """
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
        "v1 removed the client's routes for it (V1-4.2); RTMv2 makes that the client's job (V2-6.1): before "
        "RtmDeregisterEntity, delete every route you own, delete your next hops, end your change registrations and "
        "enumerations, delete your route lists and release every handle and information structure you hold. "
        "RtmDeleteRouteToDest and RtmDeleteNextHop consume the handle they are given; a route that aged out "
        "meanwhile answers ERROR_NOT_FOUND and its handle is still yours to release (V2-A-delete). Keep the handles "
        "of your routes (or a route list) so this costs in proportion to your routes; an RTM_ENUM_OWN_ROUTES "
        "enumeration finds them otherwise. The other entities get RTM_ENTITY_DEREGISTERED, and your routes' "
        "successors become best one deletion at a time. Windows promises nothing for what you leave behind; the "
        "model cleans it up and lists it in rtm.leak_report() (V2-A-dereg).",
        (("stale, closed or foreign client handle", "ERROR_INVALID_HANDLE"),),
        port=(
            "RtmDeleteRouteToDest",
            "RtmReleaseRoutes",
            "RtmDeleteNextHop",
            "RtmDeregisterFromChangeNotification",
            "RtmDeregisterEntity",
        ),
        kind="semantic",
        manual=True,
        differences=("RTMC-TIE",),
        effort=5,
        doc_url=V1_DOCS + "rtmderegisterclient",
        sketch=_sketch(
            """
            /* v1 deleted your routes for you; v2 expects them gone first */
            for (My = FirstMyRoute(); My != NULL; My = NextMyRoute(My)) {
                Status = RtmDeleteRouteToDest(RtmRegHandle, My->RouteHandle, &ChangeFlags);
                if (Status == ERROR_NOT_FOUND)  /* aged out already: the handle is still yours */
                    RtmReleaseRoutes(RtmRegHandle, 1, &My->RouteHandle);
                My->RouteHandle = NULL;         /* otherwise consumed by the delete */
            }
            for (i = 0; i < NumNeighbours; i++)
                RtmDeleteNextHop(RtmRegHandle, Neighbours[i], NULL);   /* consumes the handle */

            RtmDeregisterFromChangeNotification(RtmRegHandle, NotifyHandle);
            Status = RtmDeregisterEntity(RtmRegHandle);   /* the others get RTM_ENTITY_DEREGISTERED */
            """
        ),
    ),
    V1Mapping(
        "RtmDequeueRouteChangeMessage",
        (),
        "No v2 function. RTM calls your event callback with RTM_CHANGE_NOTIFICATION and you drain RtmGetChangedDests "
        "until it answers ERROR_NO_MORE_ITEMS (processing the count it returns with that status too), releasing each "
        "batch with RtmReleaseChangedDests, never RtmReleaseDests (V2-2.9). What arrives differs, hence the manual "
        "work: one entry per changed destination with its latest state however often it changed, and no previous "
        "best route, so keep a copy of what you last advertised where you need v1's PrevBestRoute; a destination "
        "whose ViewInfo[0].Route is NULL lost its last route (v1 RTM_ROUTE_DELETED). Your own adds and deletes are "
        "reported to you too, where v1 left the caller out (V1-5.3). The callback runs on RTM's thread: do the work "
        "there or hand it to your own. The expiry of your routes arrives in the same callback (RTM_ROUTE_EXPIRED): "
        "answer ERROR_NOT_SUPPORTED to let RTM delete the route as v1 did.",
        (
            ("client registered without an event", "ERROR_INVALID_HANDLE"),
            ("more messages queued (v2: RtmGetChangedDests answers NO_ERROR)", "ERROR_MORE_MESSAGES (234, a success)"),
            ("queue empty (v2: ERROR_NO_MORE_ITEMS)", "ERROR_NO_MESSAGES (259)"),
        ),
        port=("RtmGetChangedDests", "RtmGetRouteInfo", "RtmReleaseRouteInfo", "RtmReleaseChangedDests"),
        kind="removed",
        manual=True,
        differences=("RTMC-TIE",),
        effort=5,
        doc_url=V1_DOCS + "rtmdequeueroutechangemessage",
        sketch=_sketch(
            """
            DWORD WINAPI EventCallback(RTM_ENTITY_HANDLE RtmRegHandle, RTM_EVENT_TYPE EventType,
                                       PVOID Context1, PVOID Context2)
            {
                RTM_NOTIFY_HANDLE Notify = (RTM_NOTIFY_HANDLE) Context1;
                ULONG DestSize = RTM_SIZE_OF_DEST_INFO(RegnProfile.NumberOfViews);
                PRTM_DEST_INFO Dests = _alloca(DestSize * RegnProfile.MaxHandlesInEnum);
                PRTM_ROUTE_INFO Best = _alloca(RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute));
                PRTM_DEST_INFO Dest;
                UINT NumDests, i;
                DWORD Status;

                if (EventType == RTM_ROUTE_EXPIRED)
                    return ERROR_NOT_SUPPORTED;     /* let RTM delete it, as v1 aging did */
                if (EventType != RTM_CHANGE_NOTIFICATION)
                    return NO_ERROR;
                do {
                    NumDests = RegnProfile.MaxHandlesInEnum;
                    Status = RtmGetChangedDests(RtmRegHandle, Notify, &NumDests, Dests);
                    for (i = 0; i < NumDests; i++) {   /* with ERROR_NO_MORE_ITEMS too */
                        Dest = (PRTM_DEST_INFO) ((PUCHAR) Dests + i * DestSize);
                        if (Dest->ViewInfo[0].Route == NULL) {
                            /* v1 RTM_ROUTE_DELETED: Prev is the copy you kept */
                        } else if (RtmGetRouteInfo(RtmRegHandle, Dest->ViewInfo[0].Route,
                                                   Best, NULL) == NO_ERROR) {
                            /* v1 RTM_ROUTE_ADDED or RTM_ROUTE_CHANGED: compare with your copy */
                            RtmReleaseRouteInfo(RtmRegHandle, Best);
                        }
                    }
                    RtmReleaseChangedDests(RtmRegHandle, Notify, NumDests, Dests);
                } while (Status == NO_ERROR);
                return NO_ERROR;
            }
            """
        ),
    ),
    V1Mapping(
        "RtmAddRoute",
        ("RtmAddNextHop", "RtmAddRouteToDest", *_DRAIN, *_QUERY, "RtmDeleteNextHop", "RtmReleaseRoutes", *_NATIVE),
        "v1 identified a route by (network, protocol, interface, next hop), v2 by (destination, owner, neighbour) "
        "(V2-2.4): make the neighbour a next hop per (interface, next-hop address), kept in your neighbour table, and "
        "the two coincide; a v1 RTM_PROTOCOL_SINGLE_ROUTE client passes RTM_ROUTE_CHANGE_FIRST instead. TimeToLive "
        "goes from seconds to milliseconds (INFINITE stays INFINITE). FSD_Priority was written by RTM from the "
        "administrator's protocol priorities; in v2 you set PrefInfo.Preference yourself from the same "
        "configuration (lower wins, as before), and FSD_Metric becomes PrefInfo.Metric (IPX: ticks, then hops). "
        "The other IP_SPECIFIC_DATA fields and RR_ProtocolSpecificData have no v2 field: keep them in your own route "
        "record and point EntitySpecificInfo at it. Keep the route handle RtmAddRouteToDest returns: deletes need it "
        "and passing it back updates the route without a search. v2 reports only RTM_ROUTE_CHANGE_NEW and "
        "RTM_ROUTE_CHANGE_BEST; v1's Flags, CurBestRoute and PrevBestRoute come from the destination and from the "
        "copy you keep, and your change callback hears of your own add too. RTMv2 destinations are prefixes: a "
        "network with host bits set lands on its prefix (V2-2.3) and a non-contiguous mask has no v2 form, so "
        "check the networks and masks your code produces.",
        (
            (
                "route malformed, TimeToLive above 2,147,483 s and not INFINITE, or a network or next hop RTMv2 "
                "cannot hold",
                "ERROR_INVALID_PARAMETER",
            ),
            ("stale, closed or foreign client handle", "ERROR_INVALID_HANDLE"),
            ("ERROR_NOT_ENOUGH_MEMORY", "ERROR_NOT_ENOUGH_MEMORY"),
        ),
        port=("RtmAddNextHop", "RtmAddRouteToDest"),
        kind="semantic",
        manual=True,
        differences=("RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-NEXTHOP-MASK", "RTMC-TIE"),
        effort=3,
        doc_url=V1_DOCS + "rtmaddroute",
        sketch=_sketch(
            """
            ULONG Size = RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute);
            PRTM_ROUTE_INFO RouteInfo = _alloca(Size);
            PMY_ROUTE My = FindOrAddMyRoute(Route);     /* your record, keyed by the v1 identity */
            RTM_NEXTHOP_HANDLE NextHop = FindNeighbour(Route->RR_InterfaceID,
                                                       Route->RR_NextHopAddress.N_NetNumber);
            RTM_ROUTE_CHANGE_FLAGS ChangeFlags = SingleRoute ? RTM_ROUTE_CHANGE_FIRST : 0;
            RTM_NET_ADDRESS DestAddress;

            if (NextHop == NULL) {                       /* a new neighbour: keep its handle */
                RTM_NEXTHOP_INFO NextHopInfo;
                RTM_NEXTHOP_CHANGE_FLAGS NextHopChange;

                ZeroMemory(&NextHopInfo, sizeof(NextHopInfo));
                RTM_IPV4_MAKE_NET_ADDRESS(&NextHopInfo.NextHopAddress,
                                          Route->RR_NextHopAddress.N_NetNumber, 32);
                NextHopInfo.InterfaceIndex = Route->RR_InterfaceID;
                Status = RtmAddNextHop(RtmRegHandle, &NextHopInfo, &NextHop, &NextHopChange);
                if (Status != NO_ERROR)
                    return Status;
                RememberNeighbour(Route->RR_InterfaceID, Route->RR_NextHopAddress.N_NetNumber, NextHop);
            }

            RTM_IPV4_SET_ADDR_AND_MASK(&DestAddress, Route->RR_Network.N_NetNumber,
                                       Route->RR_Network.N_NetMask);
            ZeroMemory(RouteInfo, Size);
            RouteInfo->Neighbour = NextHop;
            RouteInfo->PrefInfo.Preference = MyPreference;            /* v1: FSD_Priority */
            RouteInfo->PrefInfo.Metric = Route->RR_FamilySpecificData.FSD_Metric;
            RouteInfo->BelongsToViews = RTM_VIEW_MASK_UCAST;
            RouteInfo->EntitySpecificInfo = My;       /* the v1 fields v2 has no place for */
            RouteInfo->NextHopsList.NumNextHops = 1;
            RouteInfo->NextHopsList.NextHops[0] = NextHop;

            /* My->RouteHandle NULL: a new referenced handle comes back; kept: the route is updated */
            Status = RtmAddRouteToDest(RtmRegHandle, &My->RouteHandle, &DestAddress, RouteInfo,
                                       TimeToLive == INFINITE ? INFINITE : TimeToLive * 1000,
                                       NULL, 0, NULL, &ChangeFlags);
            /* ChangeFlags & RTM_ROUTE_CHANGE_BEST: v1 RTM_ROUTE_ADDED or RTM_ROUTE_CHANGED */
            """
        ),
    ),
    V1Mapping(
        "RtmDeleteRoute",
        ("RtmDeleteRouteToDest", *_DRAIN, "RtmDeleteNextHop", *_QUERY, *_NATIVE),
        "v1 found the route from the values in the structure; v2 deletes by handle. Take it from the record you "
        "kept at RtmAddRoute (keyed by the v1 identity); without one, RtmGetExactMatchRoute with "
        "RTM_MATCH_NEIGHBOUR finds it. RtmDeleteRouteToDest consumes the handle, unless the route is already gone "
        "(ERROR_NOT_FOUND, V2-A-delete). ChangeFlags says only whether the best route changed "
        "(RTM_ROUTE_CHANGE_BEST): v1's RTM_ROUTE_DELETED or RTM_ROUTE_CHANGED and the new best route come from the "
        "destination (RtmGetExactMatchDestination), and your change callback now hears of your own delete. The next "
        "hop can stay for the neighbour's other routes; delete it when its last route is gone or at shutdown.",
        (
            ("no such route (v2: ERROR_NOT_FOUND)", "ERROR_NO_SUCH_ROUTE (259)"),
            ("stale, closed or foreign client handle", "ERROR_INVALID_HANDLE"),
            ("route malformed", "ERROR_INVALID_PARAMETER"),
        ),
        port=("RtmDeleteRouteToDest",),
        kind="semantic",
        manual=True,
        differences=("RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-NEXTHOP-MASK", "RTMC-TIE"),
        effort=2,
        doc_url=V1_DOCS + "rtmdeleteroute",
        sketch=_sketch(
            """
            PMY_ROUTE My = FindMyRoute(Route);          /* by network, interface, next hop */
            RTM_ROUTE_CHANGE_FLAGS ChangeFlags;

            if (My == NULL || My->RouteHandle == NULL)
                return ERROR_NO_SUCH_ROUTE;
            Status = RtmDeleteRouteToDest(RtmRegHandle, My->RouteHandle, &ChangeFlags);
            if (Status == ERROR_NOT_FOUND) {            /* aged out already: the handle is still yours */
                RtmReleaseRoutes(RtmRegHandle, 1, &My->RouteHandle);
                Status = ERROR_NO_SUCH_ROUTE;
            }
            My->RouteHandle = NULL;                     /* otherwise consumed by the delete */
            /* ChangeFlags & RTM_ROUTE_CHANGE_BEST: v1 RTM_ROUTE_CHANGED or RTM_ROUTE_DELETED */
            """
        ),
    ),
    V1Mapping(
        "RtmIsRoute",
        (*_READER, *_QUERY, *_NATIVE),
        "RtmGetExactMatchDestination with RTM_BEST_PROTOCOL and the unicast view finds the network and its best "
        "route (ViewInfo[0].Route, NULL when the destination has routes only in other views or in hold-down). The "
        "v1 BestRoute is spread over v2 objects: metric and preference in the route (RtmGetRouteInfo), interface "
        "and next-hop address in its next hop (RtmGetNextHopInfo), the protocol in the owner's RTM_ENTITY_INFO "
        "(RtmGetEntityInfo); release each with its own release function. To test existence only, the first call "
        "and RtmReleaseDestInfo suffice. v1 compared the exact (number, mask) pair (V1-A25); v2 clears the host "
        "bits first, so 10.1.1.1/16 finds 10.1.0.0/16.",
        (
            ("ERROR_NOT_FOUND", "FALSE with NO_ERROR"),
            ("unknown family", "FALSE with ERROR_INVALID_PARAMETER"),
        ),
        port=("RtmGetExactMatchDestination", *_READ_ROUTE, "RtmReleaseDestInfo"),
        kind="signature",
        manual=False,
        differences=("RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-TIE"),
        effort=2,
        doc_url=V1_DOCS + "rtmisroute",
        sketch=_sketch(
            """
            PRTM_DEST_INFO DestInfo = _alloca(RTM_SIZE_OF_DEST_INFO(1));
            PRTM_ROUTE_INFO RouteInfo = _alloca(RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute));
            RTM_NEXTHOP_INFO NextHopInfo;
            RTM_NET_ADDRESS DestAddress;
            BOOL IsRoute = FALSE;

            RTM_IPV4_SET_ADDR_AND_MASK(&DestAddress, Network->N_NetNumber, Network->N_NetMask);
            Status = RtmGetExactMatchDestination(RtmRegHandle, &DestAddress, RTM_BEST_PROTOCOL,
                                                 RTM_VIEW_MASK_UCAST, DestInfo);
            if (Status != NO_ERROR)
                return FALSE;                           /* ERROR_NOT_FOUND: FALSE, last error NO_ERROR */
            if (DestInfo->ViewInfo[0].Route != NULL &&
                RtmGetRouteInfo(RtmRegHandle, DestInfo->ViewInfo[0].Route, RouteInfo, NULL) == NO_ERROR) {
                IsRoute = TRUE;                         /* metric: RouteInfo->PrefInfo.Metric */
                if (RouteInfo->NextHopsList.NumNextHops > 0 &&
                    RtmGetNextHopInfo(RtmRegHandle, RouteInfo->NextHopsList.NextHops[0],
                                      &NextHopInfo) == NO_ERROR) {
                    /* NextHopInfo.InterfaceIndex and .NextHopAddress */
                    RtmReleaseNextHopInfo(RtmRegHandle, &NextHopInfo);
                }
                RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
            }
            RtmReleaseDestInfo(RtmRegHandle, DestInfo);
            """
        ),
    ),
    V1Mapping(
        "RtmGetNetworkCount",
        (*_READER, *_DEST_WALK),
        "No v2 function. Count the destinations of a destination enumeration over the unicast view (batches of "
        "at most MaxHandlesInEnum, each released with RtmReleaseDests), or keep the count yourself from your change "
        "callback. A destination left only with a hold-down route is not listed for the unicast view, as v1 would "
        "not count it.",
        (("unknown family", "0 with ERROR_INVALID_PARAMETER"),),
        port=("RtmCreateDestEnum", "RtmGetEnumDests", "RtmReleaseDests", "RtmDeleteEnumHandle"),
        kind="removed",
        manual=False,
        effort=2,
        doc_url=V1_DOCS + "rtmgetnetworkcount",
        sketch=_sketch(
            """
            ULONG DestSize = RTM_SIZE_OF_DEST_INFO(1);
            PRTM_DEST_INFO Dests = _alloca(DestSize * RegnProfile.MaxHandlesInEnum);
            RTM_ENUM_HANDLE EnumHandle;
            ULONG NetworkCount = 0;
            UINT NumDests;

            Status = RtmCreateDestEnum(RtmRegHandle, RTM_VIEW_MASK_UCAST, RTM_ENUM_START,
                                       NULL, RTM_BEST_PROTOCOL, &EnumHandle);
            if (Status == NO_ERROR) {
                do {
                    NumDests = RegnProfile.MaxHandlesInEnum;
                    Status = RtmGetEnumDests(RtmRegHandle, EnumHandle, &NumDests, Dests);
                    NetworkCount += NumDests;
                    RtmReleaseDests(RtmRegHandle, NumDests, Dests);
                } while (Status == NO_ERROR);
                RtmDeleteEnumHandle(RtmRegHandle, EnumHandle);
            }
            """
        ),
    ),
    V1Mapping(
        "RtmGetRouteAge",
        (),
        "No v2 function and no per-route timestamp: RTM_DEST_INFO.LastChanged belongs to the destination and moves "
        "with any change to it. Record when you last added or updated each route in your own route record and "
        "compute the age from that, hence the manual work. v1 computed the age from the caller's copy, not from the "
        "table (V1-4.8).",
        (("timestamp 0 or in the future", "INFINITE with ERROR_INVALID_PARAMETER"),),
        port=(),
        kind="removed",
        manual=True,
        effort=2,
        doc_url=V1_DOCS + "rtmgetrouteage",
        sketch=_sketch(
            """
            /* no v2 call: keep the time of the last add or update in your own route record */
            FILETIME Now;
            ULARGE_INTEGER Current, Then;

            GetSystemTimeAsFileTime(&Now);
            Current.LowPart = Now.dwLowDateTime;
            Current.HighPart = Now.dwHighDateTime;
            Then.LowPart = My->Updated.dwLowDateTime;   /* set when RtmAddRouteToDest succeeded */
            Then.HighPart = My->Updated.dwHighDateTime;
            RouteAge = (ULONG) ((Current.QuadPart - Then.QuadPart) / 10000000);   /* seconds */
            """
        ),
    ),
    V1Mapping(
        "RtmCreateEnumerationHandle",
        (*_READER, *_WALK, *_NATIVE),
        "A route enumeration over the unicast view. RTM_ONLY_THIS_NETWORK: the destination's handle from "
        "RtmGetExactMatchDestination (keep that DestInfo until the enumeration is deleted). "
        "RTM_ONLY_THIS_INTERFACE: RTM_MATCH_INTERFACE with CriteriaInterface. RTM_ONLY_THIS_PROTOCOL: "
        "RTM_ENUM_OWN_ROUTES for your own routes, RTM_MATCH_OWNER with CriteriaRoute->RouteOwner set to the "
        "entity's handle (RtmGetRegisteredEntities) for another protocol's. RTM_ONLY_BEST_ROUTES has no flag: keep "
        "the routes RtmIsBestRoute reports best in the unicast view, or enumerate destinations and take "
        "ViewInfo[0].Route. Creating a v2 enumeration does not fail for lack of routes: v1's ERROR_NO_ROUTES at "
        "creation becomes ERROR_NO_MORE_ITEMS from the first RtmGetEnumRoutes. The order differs too: v2 gives "
        "destinations in address order and each destination's routes best first.",
        (
            ("nothing matches at creation (v2: the first RtmGetEnumRoutes)", "ERROR_NO_ROUTES (259)"),
            ("unknown family or flags", "ERROR_INVALID_PARAMETER"),
        ),
        port=("RtmGetExactMatchDestination", "RtmCreateRouteEnum"),
        kind="semantic",
        manual=True,
        differences=("RTMC-HOSTBITS", "RTMC-TIE"),
        effort=3,
        doc_url=V1_DOCS + "rtmcreateenumerationhandle",
        sketch=_sketch(
            """
            ULONG Size = RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute);
            PRTM_ROUTE_INFO Criteria = _alloca(Size);
            PRTM_DEST_INFO DestInfo = MyEnum->DestInfo;   /* RTM_SIZE_OF_DEST_INFO(1), kept with it */
            RTM_ENUM_FLAGS EnumFlags = RTM_ENUM_START;
            RTM_MATCH_FLAGS Match = RTM_MATCH_NONE;
            RTM_NET_ADDRESS DestAddress;

            ZeroMemory(Criteria, Size);
            MyEnum->DestHandle = NULL;
            if (Flags & RTM_ONLY_THIS_NETWORK) {        /* DestInfo: released after RtmDeleteEnumHandle */
                RTM_IPV4_SET_ADDR_AND_MASK(&DestAddress, CriteriaRoute->RR_Network.N_NetNumber,
                                           CriteriaRoute->RR_Network.N_NetMask);
                if (RtmGetExactMatchDestination(RtmRegHandle, &DestAddress, RTM_BEST_PROTOCOL,
                                                RTM_VIEW_MASK_UCAST, DestInfo) != NO_ERROR)
                    return ERROR_NO_ROUTES;
                MyEnum->DestHandle = DestInfo->DestHandle;
            }
            if (Flags & RTM_ONLY_THIS_INTERFACE)
                Match |= RTM_MATCH_INTERFACE;
            if (Flags & RTM_ONLY_THIS_PROTOCOL)
                EnumFlags |= RTM_ENUM_OWN_ROUTES;  /* another protocol: RTM_MATCH_OWNER, RouteOwner */
            /* RTM_ONLY_BEST_ROUTES: keep the routes RtmIsBestRoute finds best in the unicast view */
            Status = RtmCreateRouteEnum(RtmRegHandle, MyEnum->DestHandle, RTM_VIEW_MASK_UCAST, EnumFlags,
                                        NULL, Match, Criteria,
                                        CriteriaRoute ? CriteriaRoute->RR_InterfaceID : 0,
                                        &MyEnum->EnumHandle);
            """
        ),
    ),
    V1Mapping(
        "RtmEnumerateGetNextRoute",
        (*_READER, *_WALK, *_NATIVE),
        "RtmGetEnumRoutes returns up to MaxHandlesInEnum referenced route handles per call (asking for more is "
        "ERROR_INVALID_PARAMETER); keep the batch and hand out one route at a time where callers expect v1's one "
        "per call. Read each route with RtmGetRouteInfo (its destination address comes in the same call) and its "
        "next hop with RtmGetNextHopInfo, release both, and release the handles with RtmReleaseRoutes. Both "
        "enumerations are live: routes added ahead of the cursor are seen, deleted ones skipped, none comes twice "
        "(V1-A8, V2-A-enum-order).",
        (
            ("ERROR_NO_MORE_ITEMS", "ERROR_NO_MORE_ROUTES (259)"),
            ("closed or foreign enumeration handle", "ERROR_INVALID_HANDLE"),
        ),
        port=("RtmGetEnumRoutes", *_READ_ROUTE, "RtmReleaseRoutes"),
        kind="semantic",
        manual=True,
        differences=("RTMC-TIE",),
        effort=2,
        doc_url=V1_DOCS + "rtmenumerategetnextroute",
        sketch=_sketch(
            """
            PRTM_ROUTE_HANDLE Handles = _alloca(sizeof(RTM_ROUTE_HANDLE) * RegnProfile.MaxHandlesInEnum);
            PRTM_ROUTE_INFO RouteInfo = _alloca(RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute));
            RTM_NEXTHOP_INFO NextHopInfo;
            RTM_NET_ADDRESS DestAddress;
            UINT NumRoutes, i;

            do {
                NumRoutes = RegnProfile.MaxHandlesInEnum;
                Status = RtmGetEnumRoutes(RtmRegHandle, MyEnum->EnumHandle, &NumRoutes, Handles);
                for (i = 0; i < NumRoutes; i++) {
                    if (RtmGetRouteInfo(RtmRegHandle, Handles[i], RouteInfo, &DestAddress) != NO_ERROR)
                        continue;
                    if (RouteInfo->NextHopsList.NumNextHops > 0 &&
                        RtmGetNextHopInfo(RtmRegHandle, RouteInfo->NextHopsList.NextHops[0],
                                          &NextHopInfo) == NO_ERROR) {
                        /* one v1 route: DestAddress, NextHopInfo.InterfaceIndex, ... */
                        RtmReleaseNextHopInfo(RtmRegHandle, &NextHopInfo);
                    }
                    RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
                }
                RtmReleaseRoutes(RtmRegHandle, NumRoutes, Handles);
            } while (Status == NO_ERROR);               /* ERROR_NO_MORE_ITEMS: ERROR_NO_MORE_ROUTES */
            """
        ),
    ),
    V1Mapping(
        "RtmCloseEnumerationHandle",
        (),
        "RtmDeleteEnumHandle ends any v2 enumeration (destinations, routes, next hops, route lists); the handles it "
        "already returned stay valid until you release them. Release the DestInfo kept for RTM_ONLY_THIS_NETWORK "
        "now.",
        (("closed or foreign enumeration handle", "ERROR_INVALID_HANDLE"),),
        port=("RtmDeleteEnumHandle", "RtmReleaseDestInfo"),
        kind="rename",
        manual=False,
        effort=1,
        doc_url=V1_DOCS + "rtmcloseenumerationhandle",
        sketch=_sketch(
            """
            Status = RtmDeleteEnumHandle(RtmRegHandle, MyEnum->EnumHandle);
            if (MyEnum->DestHandle != NULL)             /* it was limited to RTM_ONLY_THIS_NETWORK */
                RtmReleaseDestInfo(RtmRegHandle, MyEnum->DestInfo);
            """
        ),
    ),
    V1Mapping(
        "RtmBlockDeleteRoutes",
        ("RtmDeleteRouteToDest", *_DRAIN, "RtmDeleteNextHop", *_NATIVE),
        "No v2 function: delete your matching routes one by one with RtmDeleteRouteToDest, from the records you keep "
        "(or a route list, or an RTM_ENUM_OWN_ROUTES enumeration with RTM_MATCH_INTERFACE for "
        "RTM_ONLY_THIS_INTERFACE and a destination handle for RTM_ONLY_THIS_NETWORK; the delete consumes each "
        "handle the enumeration gave, and a handle you also kept must then be released). Deciding where the routes "
        "come from is the manual work. v1 told every client with an event, the caller included; v2's change "
        "notification does too. RTM_ONLY_BEST_ROUTES changes nothing: the best route moves as routes go, so every "
        "matching route goes (V1-4.12).",
        (
            ("nothing matched", "ERROR_NO_ROUTES (259)"),
            ("stale, closed or foreign client handle", "ERROR_INVALID_HANDLE"),
            ("unknown flags", "ERROR_INVALID_PARAMETER"),
        ),
        port=("RtmDeleteRouteToDest", "RtmReleaseRoutes"),
        kind="removed",
        manual=True,
        differences=("RTMC-TIE",),
        effort=3,
        doc_url=V1_DOCS + "rtmblockdeleteroutes",
        sketch=_sketch(
            """
            BOOL Deleted = FALSE;

            for (My = FirstMyRoute(); My != NULL; My = NextMyRoute(My)) {
                if (My->RouteHandle == NULL || !MatchesCriteria(My, EnumerationFlags, CriteriaRoute))
                    continue;
                Status = RtmDeleteRouteToDest(RtmRegHandle, My->RouteHandle, &ChangeFlags);
                if (Status == ERROR_NOT_FOUND)          /* aged out already: the handle is still yours */
                    RtmReleaseRoutes(RtmRegHandle, 1, &My->RouteHandle);
                My->RouteHandle = NULL;                 /* otherwise consumed by the delete */
                Deleted = TRUE;
            }
            return Deleted ? NO_ERROR : ERROR_NO_ROUTES;
            """
        ),
    ),
    V1Mapping(
        "RtmGetFirstRoute",
        (*_READER, *_WALK, *_NATIVE),
        "v1 searched the table for the first route in (network, protocol, interface, next hop) order on every call. "
        "v2 has no stateless search: create a route enumeration with the same criteria (see "
        "RtmCreateEnumerationHandle), take the first route and delete the enumeration; better, turn the "
        "GetFirst/GetNext loop into one enumeration. v2 orders destinations by address and prefix length and each "
        "destination's routes best first: sort a destination's routes yourself where your code relies on v1's order "
        "within a network.",
        (
            ("nothing matches (v2: ERROR_NO_MORE_ITEMS)", "ERROR_NO_ROUTES (259)"),
            ("unknown family or flags", "ERROR_INVALID_PARAMETER"),
        ),
        port=_ROUTE_ENUM,
        kind="semantic",
        manual=True,
        differences=("RTMC-TIE",),
        effort=3,
        doc_url=V1_DOCS + "rtmgetfirstroute",
        sketch=_sketch(
            """
            /* the criteria of RtmCreateEnumerationHandle: Match, Criteria, InterfaceIndex */
            Status = RtmCreateRouteEnum(RtmRegHandle, NULL, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL,
                                        Match, Criteria, InterfaceIndex, &EnumHandle);
            if (Status != NO_ERROR)
                return Status;
            NumRoutes = 1;
            RtmGetEnumRoutes(RtmRegHandle, EnumHandle, &NumRoutes, &RouteHandle);
            Status = ERROR_NO_ROUTES;
            if (NumRoutes == 1) {                       /* v2 order: address, then best first */
                if (RtmGetRouteInfo(RtmRegHandle, RouteHandle, RouteInfo, &DestAddress) == NO_ERROR) {
                    Status = NO_ERROR;                  /* fill the v1 route from RouteInfo */
                    RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
                }
                RtmReleaseRoutes(RtmRegHandle, 1, &RouteHandle);
            }
            RtmDeleteEnumHandle(RtmRegHandle, EnumHandle);
            """
        ),
    ),
    V1Mapping(
        "RtmGetNextRoute",
        (*_READER, *_WALK, *_NATIVE),
        "The first route after the given one in v1 order; the given route need not exist (V1-A37). v2: a route "
        "enumeration with RTM_ENUM_NEXT from the given network (inclusive) and the same criteria, skipping that "
        "network's routes up to the given one in your order. A loop of GetNext calls is better one v2 enumeration "
        "kept open.",
        (
            ("nothing follows (v2: ERROR_NO_MORE_ITEMS)", "ERROR_NO_ROUTES (259)"),
            ("unknown family or flags", "ERROR_INVALID_PARAMETER"),
        ),
        port=_ROUTE_ENUM,
        kind="semantic",
        manual=True,
        differences=("RTMC-TIE",),
        effort=3,
        doc_url=V1_DOCS + "rtmgetnextroute",
        sketch=_sketch(
            """
            RTM_IPV4_SET_ADDR_AND_MASK(&StartDest, Route->RR_Network.N_NetNumber,
                                       Route->RR_Network.N_NetMask);
            Status = RtmCreateRouteEnum(RtmRegHandle, NULL, RTM_VIEW_MASK_UCAST, RTM_ENUM_NEXT,
                                        &StartDest, Match, Criteria, InterfaceIndex, &EnumHandle);
            if (Status != NO_ERROR)
                return Status;
            Status = ERROR_NO_ROUTES;
            do {
                NumRoutes = 1;
                Done = RtmGetEnumRoutes(RtmRegHandle, EnumHandle, &NumRoutes, &RouteHandle) != NO_ERROR;
                if (NumRoutes == 1) {
                    if (RtmGetRouteInfo(RtmRegHandle, RouteHandle, RouteInfo, &DestAddress) == NO_ERROR) {
                        if (ComesAfter(&DestAddress, RouteInfo, Route)) {   /* in your v1 order */
                            Status = NO_ERROR;          /* fill the v1 route from RouteInfo */
                            Done = TRUE;
                        }
                        RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
                    }
                    RtmReleaseRoutes(RtmRegHandle, 1, &RouteHandle);
                }
            } while (!Done);
            RtmDeleteEnumHandle(RtmRegHandle, EnumHandle);
            """
        ),
    ),
    V1Mapping(
        "RtmGetSpecificRoute",
        (*_READER, *_WALK, *_NATIVE),
        "The rtm.h macro for RtmGetFirstRoute with RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_PROTOCOL | "
        "RTM_ONLY_THIS_INTERFACE; it has no page of its own. v2: RtmGetExactMatchRoute on the network with "
        "RTM_MATCH_OWNER (RouteInfo->RouteOwner = the protocol's entity handle; yours is your registration handle) "
        "and RTM_MATCH_INTERFACE (InterfaceIndex). It returns the first match in route order (best first) where v1 "
        "returned the first in next-hop order. The RTM_ROUTE_INFO it fills holds references: release it with "
        "RtmReleaseRouteInfo (V2-A-exactroute).",
        (
            ("ERROR_NOT_FOUND", "ERROR_NO_ROUTES (259)"),
            ("unknown family", "ERROR_INVALID_PARAMETER"),
        ),
        port=("RtmGetExactMatchRoute", "RtmReleaseRouteInfo"),
        kind="signature",
        manual=False,
        differences=("RTMC-HOSTBITS", "RTMC-NONCONTIG"),
        effort=2,
        doc_url=V1_DOCS + "rtmgetfirstroute",
        sketch=_sketch(
            """
            ULONG Size = RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute);
            PRTM_ROUTE_INFO RouteInfo = _alloca(Size);
            RTM_NET_ADDRESS DestAddress;

            RTM_IPV4_SET_ADDR_AND_MASK(&DestAddress, Route->RR_Network.N_NetNumber,
                                       Route->RR_Network.N_NetMask);
            ZeroMemory(RouteInfo, Size);
            RouteInfo->RouteOwner = OwnerHandle;        /* the protocol's entity; yours: RtmRegHandle */
            Status = RtmGetExactMatchRoute(RtmRegHandle, &DestAddress,
                                           RTM_MATCH_OWNER | RTM_MATCH_INTERFACE, RouteInfo,
                                           Route->RR_InterfaceID, RTM_VIEW_MASK_UCAST, NULL);
            if (Status != NO_ERROR)
                return ERROR_NO_ROUTES;                 /* ERROR_NOT_FOUND */
            /* fill the v1 route from RouteInfo */
            RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
            """
        ),
    ),
    V1Mapping(
        "RtmLookupIPDestination",
        (*_READER, "RtmGetMostSpecificDestination", "RtmReleaseDestInfo", *_NATIVE),
        "Declared in rtm.h and exported by rtm.dll, but documented nowhere; this project reads it as a "
        "longest-prefix match of a host address (V1-A26, inferred). RtmGetMostSpecificDestination is that lookup in "
        "v2, documented: pass the address as a /32 RTM_NET_ADDRESS, read the best route from ViewInfo[0].Route and "
        "its next hop as for RtmIsRoute, and release the DestInfo.",
        (("ERROR_NOT_FOUND", "FALSE with NO_ERROR"),),
        port=("RtmGetMostSpecificDestination", *_READ_ROUTE, "RtmReleaseDestInfo"),
        kind="signature",
        manual=False,
        differences=("RTMC-NONCONTIG", "RTMC-TIE"),
        effort=2,
        doc_url=None,
        sketch=_sketch(
            """
            PRTM_DEST_INFO DestInfo = _alloca(RTM_SIZE_OF_DEST_INFO(1));
            PRTM_ROUTE_INFO RouteInfo = _alloca(RTM_SIZE_OF_ROUTE_INFO(RegnProfile.MaxNextHopsInRoute));
            RTM_NEXTHOP_INFO NextHopInfo;
            RTM_NET_ADDRESS DestAddress;
            BOOL Found = FALSE;

            RTM_IPV4_MAKE_NET_ADDRESS(&DestAddress, dwDestAddr, 32);
            Status = RtmGetMostSpecificDestination(RtmRegHandle, &DestAddress, RTM_BEST_PROTOCOL,
                                                   RTM_VIEW_MASK_UCAST, DestInfo);
            if (Status != NO_ERROR)
                return FALSE;                           /* ERROR_NOT_FOUND: FALSE, last error NO_ERROR */
            if (DestInfo->ViewInfo[0].Route != NULL &&
                RtmGetRouteInfo(RtmRegHandle, DestInfo->ViewInfo[0].Route, RouteInfo, NULL) == NO_ERROR) {
                Found = TRUE;
                if (RouteInfo->NextHopsList.NumNextHops > 0 &&
                    RtmGetNextHopInfo(RtmRegHandle, RouteInfo->NextHopsList.NextHops[0],
                                      &NextHopInfo) == NO_ERROR) {
                    /* fill prir from RouteInfo, NextHopInfo and DestInfo->DestAddress */
                    RtmReleaseNextHopInfo(RtmRegHandle, &NextHopInfo);
                }
                RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
            }
            RtmReleaseDestInfo(RtmRegHandle, DestInfo);
            """
        ),
    ),
)

BY_NAME: dict[str, V1Mapping] = {m.v1: m for m in MAPPINGS}


def mapped(name: str) -> Callable[[F], F]:
    """Start a V1Shim method's docstring with the v2 calls it maps to and what a port has to know."""
    mapping = BY_NAME[name]

    def decorate(fn: F) -> F:
        calls = ", ".join(mapping.v2) if mapping.v2 else "no RTMv2 call"
        fn.__doc__ = f"{name} -> {calls}.\n\n{mapping.notes}\n\n{fn.__doc__ or ''}".rstrip() + "\n"
        return fn

    return decorate


# --- Rendering ------------------------------------------------------------------------------------------------

MARKDOWN_BEGIN = "<!-- mapping table: generated from rtmcompat/_mapping.py by `rtmcompat mapping --markdown` -->"
MARKDOWN_END = "<!-- end of generated mapping table -->"
GUIDE_BEGIN = "<!-- function guide: generated from rtmcompat/_mapping.py by `rtmcompat mapping --guide` -->"
GUIDE_END = "<!-- end of generated function guide -->"

#: The behaviour reference, from MIGRATION.md.
BEHAVIOUR_DOC = "docs/behaviour.md"

#: Ids of docs/behaviour.md as the notes write them: V1-A26, V1-4.2, V2-2.13, V2-A-ttl, M-CLIENT-ENTITY.
BEHAVIOUR_ID = re.compile(
    r"\b((?>V1-(?:A\d+|\d+(?:\.\d+)?)|V2-(?:A-[a-z0-9]+(?:-[a-z0-9]+)*|\d+(?:\.\d+)?)|M-[A-Z0-9]+(?:-[A-Z0-9]+)*))"
    r"(?!-\*)"  # a family such as M-SCAN-* names no single entry
)


def behaviour_ids(text: str) -> list[str]:
    """The docs/behaviour.md ids ``text`` cites, in order."""
    return BEHAVIOUR_ID.findall(text)


def _linked(text: str, base: str) -> str:
    """``text`` with every behaviour id turned into a Markdown link into docs/behaviour.md."""
    return BEHAVIOUR_ID.sub(lambda m: f"[{m[1]}]({base}#{m[1].lower()})", text)


def _anchor(name: str) -> str:
    return "#" + name.lower()


def _differences_md(m: V1Mapping) -> str:
    return ", ".join(f"[{d}](#{d.lower()})" for d in m.differences) or "none"  # the registry's anchors


def _port_md(m: V1Mapping) -> str:
    return ", ".join(f"[`{name}`]({url})" for name, url in m.v2_docs) or "no RTMv2 call"


def mapping_markdown(mappings: tuple[V1Mapping, ...] = MAPPINGS) -> str:
    """The summary table MIGRATION.md carries between its two marker comments (markers included)."""
    lines = [
        MARKDOWN_BEGIN,
        "",
        "| RTMv1 | Kind | Manual work | Effort | A port calls | Known differences |",
        "|---|---|---|---|---|---|",
    ]
    for m in mappings:
        calls = ", ".join(f"`{c}`" for c in m.port) or "none"
        manual = "yes" if m.manual else "no"
        lines.append(
            f"| [`{m.v1}`]({_anchor(m.v1)}) | {m.kind} | {manual} | {m.effort} | {calls} | {_differences_md(m)} |"
        )
    lines += ["", MARKDOWN_END]
    return "\n".join(lines)


def _guide_section(m: V1Mapping) -> list[str]:
    page = f"[Microsoft's page]({m.doc_url})" if m.doc_url else "no Microsoft page"
    manual = "yes" if m.manual else "no"
    lines = [
        f"### {m.v1}",
        "",
        f"{page} · kind: **{m.kind}** · manual work: **{manual}** · effort: **{m.effort}** · "
        f"known differences: {_differences_md(m)}",
        "",
        f"A port calls: {_port_md(m)}.",
        "",
        "```c",
        m.sketch,
        "```",
        "",
        *textwrap.wrap(_linked(m.notes, BEHAVIOUR_DOC), width=120, break_long_words=False, break_on_hyphens=False),
        "",
    ]
    if m.statuses:
        lines += ["| When | The v1 caller gets |", "|---|---|"]
        lines += [f"| {when} | {status} |" for when, status in m.statuses]
        lines.append("")
    return lines


def mapping_guide(mappings: tuple[V1Mapping, ...] = MAPPINGS) -> str:
    """MIGRATION.md's function-by-function sections, between their two marker comments (markers included)."""
    lines = [GUIDE_BEGIN, ""]
    for m in mappings:
        lines += _guide_section(m)
    lines.append(GUIDE_END)
    return "\n".join(lines)


def mapping_text(mappings: tuple[V1Mapping, ...] = MAPPINGS) -> str:
    """The mapping table for a terminal (everything but the sketches, which ``--guide`` shows)."""

    def wrapped(text: str) -> list[str]:
        return textwrap.wrap(text, width=100, initial_indent="  ", subsequent_indent="  ")

    out: list[str] = []
    for m in mappings:
        manual = "manual work" if m.manual else "no manual work"
        out.append(f"{m.v1}  ({m.kind}, {manual}, effort {m.effort})")
        out.append(f"  Microsoft: {m.doc_url or '(no page)'}")
        out.append("  a port calls: " + (", ".join(m.port) or "(no RTMv2 call)"))
        out.append("  V1Shim calls: " + (", ".join(m.v2) or "(no RTMv2 call)"))
        out.append("  known differences: " + (", ".join(m.differences) or "none"))
        out += wrapped(m.notes)
        if m.statuses:
            out.append("  statuses:")
            out += [f"    {when} -> {status}" for when, status in m.statuses]
        out.append("")
    return "\n".join(out)


def mapping_json(mappings: tuple[V1Mapping, ...] = MAPPINGS) -> dict[str, Any]:
    """The table as the JSON document ``rtmcompat mapping --json`` prints (shape documented in MIGRATION.md
    "The mapping table as data" and in ``rtmcompat/schemas/mapping.schema.json``)."""
    return {
        "mappings": [
            {
                "v1": m.v1,
                "doc_url": m.doc_url,
                "kind": m.kind,
                "manual": m.manual,
                "effort": m.effort,
                "port": list(m.port),
                "v2_docs": [{"function": name, "url": url} for name, url in m.v2_docs],
                "differences": list(m.differences),
                "notes": m.notes,
                "statuses": [{"when": when, "status": status} for when, status in m.statuses],
                "sketch": m.sketch,
                "v2": list(m.v2),
            }
            for m in mappings
        ],
        "kinds": dict(KINDS),
        "effort_scale": {str(weight): meaning for weight, meaning in EFFORT_SCALE.items()},
        "differences": list(DIFFERENCE_IDS),
    }
