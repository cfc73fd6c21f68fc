"""rtm.statistics(): always-on counts of entities, destinations, routes, next hops and open handles."""

from __future__ import annotations

import v2model
from v2model import PROTO_IP_RIP

from .support import add_route, nexthop, register, route_info


class TestStatistics:
    def test_counts_read_as_attributes_and_as_a_mapping(self, rtm: v2model.RoutingTableManager) -> None:
        """The counts follow the table, and read the same as attributes, items or a plain dict."""
        assert {"entities": 0, "destinations": 0, "routes": 0, "next_hops": 0, "open_handles": 0} == rtm.statistics()
        rip = register(rtm, PROTO_IP_RIP)
        nh = nexthop(rtm, rip, "192.0.2.1", 1)
        add_route(rtm, rip, "10.1.0.0/16", route_info(nh))
        stats = rtm.statistics()
        assert (1, 1, 1, 1, 2) == (
            stats.entities,
            stats.destinations,
            stats.routes,
            stats.next_hops,
            stats.open_handles,
        )
        assert {"entities": 1, "destinations": 1, "routes": 1, "next_hops": 1, "open_handles": 2} == dict(stats)
        assert stats["routes"] == stats.routes
        assert ["entities", "destinations", "routes", "next_hops", "open_handles"] == list(stats)
