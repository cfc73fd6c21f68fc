"""The RTM's configuration: the registration profile and the model's limits and options (V2-A-config)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._constants import RTM_MAX_VIEWS, RTM_VIEW_MASK_MCAST, RTM_VIEW_MASK_UCAST
from ._prefix import DEFAULT_ADDRESS_FAMILIES


@attrs.frozen
class RtmConfig:
    """Configuration of the tables of one RoutingTableManager.

    The first four values are the RTM_REGN_PROFILE every registration receives (Windows reads them from the
    registry; registry problems surface at registration as ERROR_BAD_CONFIGURATION, and so does an invalid
    configuration here). The rest are the model's limits and the optional behaviours of the V2-A entries.
    """

    #: RTM_REGN_PROFILE.MaxNextHopsInRoute: equal-cost next hops per route.
    max_nexthops_in_route: int = 3
    #: RTM_REGN_PROFILE.MaxHandlesInEnum: items per enumeration / change-retrieval call.
    max_handles_in_enum: int = 25
    #: RTM_REGN_PROFILE.ViewsSupported: view mask (unicast and multicast by default).
    views_supported: int = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST
    #: Opaque-pointer slots per table, handed out first come first served (V2-2.12).
    max_opaque_pointers: int = 5
    #: Change-notification registrations per table (ERROR_NO_SYSTEM_RESOURCES beyond).
    max_notify_registrations: int = 32
    #: Address families served (AF_INET, AF_INET6 and the IPX model extension by default).
    address_families: frozenset[int] = DEFAULT_ADDRESS_FAMILIES
    #: V2-A-pref: protocol id -> Preference that overrides what the route's owner supplies.
    preference_policy: Mapping[int, int] = attrs.field(factory=dict)
    #: V2-A-flags-best: leave RTM_ROUTE_FLAGS_INACTIVE routes out of best-route selection.
    exclude_inactive_from_best: bool = False
    #: V2-A-dereg: True leaves what a deregistering entity did not clean up in place (a faithful leak)
    #: instead of force-cleaning it.
    strict_dereg: bool = False
    #: V2-A-enum-filters: next-hop enumerations cover every owner's next hops, not only the caller's.
    enumerate_all_nexthops: bool = False

    def problems(self) -> list[str]:
        """What makes this configuration unusable (empty when it is valid)."""
        out = []
        if not 1 <= self.max_nexthops_in_route <= 0xFFFF:
            out.append("max_nexthops_in_route must be 1..65535")
        if self.max_handles_in_enum < 1:
            out.append("max_handles_in_enum must be at least 1")
        if not self.views_supported & RTM_VIEW_MASK_UCAST or not 0 < self.views_supported < 1 << RTM_MAX_VIEWS:
            out.append("views_supported must be a 32-bit view mask that includes the unicast view")
        if self.max_opaque_pointers < 0 or self.max_notify_registrations < 0:
            out.append("limits must not be negative")
        for protocol, pref in self.preference_policy.items():
            if not 0 <= protocol <= 0xFFFFFFFF or not 0 <= pref <= 0xFFFFFFFF:
                out.append(f"preference_policy[{protocol}] is not a ULONG pair")
        return out

    @property
    def number_of_views(self) -> int:
        """RTM_REGN_PROFILE.NumberOfViews: the number of supported views."""
        return bin(self.views_supported).count("1")
