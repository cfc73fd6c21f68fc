"""The order to port in: five steps, each a group of v1 functions, as MIGRATION.md "Porting order" sets them out.

Each step builds on the one before and can be tested on its own, with V1Shim running the parts not yet ported:
registration first (everything needs the registration handle), then routes (the neighbour table and the route
records that keep route handles), then the read-only queries and enumerations, then change notification, and
cleanup last (the duties v1 did for the caller: deregistration, block deletes, aging). Every v1 function of the
mapping table belongs to exactly one step (a test holds this).
"""

from __future__ import annotations

from typing import Final

import attrs


@attrs.frozen
class Step:
    """One porting step."""

    #: Stable name used in the JSON report and by path rules.
    name: str
    title: str
    #: What the step sets up, for people.
    summary: str
    functions: tuple[str, ...]
    #: The MIGRATION.md section that explains the step's central change.
    migration: str


STEPS: Final[tuple[Step, ...]] = (
    Step(
        "registration",
        "Registration",
        "the entity, its registration profile and its event callback; everything else needs the registration handle",
        ("RtmRegisterClient",),
        "MIGRATION.md#rtmregisterclient",
    ),
    Step(
        "routes",
        "Routes",
        "the neighbour table (next hops) and route records that keep route handles, for deletes, updates and cleanup",
        ("RtmAddRoute", "RtmDeleteRoute"),
        "MIGRATION.md#route-identity-and-next-hops",
    ),
    Step(
        "enumeration",
        "Queries and enumerations",
        "read-only lookups and walks, each with its releases",
        (
            "RtmIsRoute",
            "RtmGetSpecificRoute",
            "RtmLookupIPDestination",
            "RtmGetNetworkCount",
            "RtmGetRouteAge",
            "RtmCreateEnumerationHandle",
            "RtmEnumerateGetNextRoute",
            "RtmCloseEnumerationHandle",
            "RtmGetFirstRoute",
            "RtmGetNextRoute",
        ),
        "MIGRATION.md#enumeration-order",
    ),
    Step(
        "notification",
        "Change notification",
        "the event callback and the drain loop, and a copy of what was last advertised where the code needs v1's "
        "previous best route",
        ("RtmDequeueRouteChangeMessage",),
        "MIGRATION.md#change-messages-become-change-notification",
    ),
    Step(
        "cleanup",
        "Cleanup",
        "the duties RTMv1 did for the caller: routes deleted at deregistration, block deletes, aging",
        ("RtmDeregisterClient", "RtmBlockDeleteRoutes"),
        "MIGRATION.md#cleanup-is-now-your-job",
    ),
)

BY_NAME: Final[dict[str, Step]] = {step.name: step for step in STEPS}
#: The step of each v1 function.
STEP_OF: Final[dict[str, str]] = {function: step.name for step in STEPS for function in step.functions}
