"""Defects the stress scenario found, each pinned by a deterministic test of its own (ManualClock, one thread)."""

from __future__ import annotations

from typing import Any

import pytest

import v2model
from tests.v2model.support import nexthop, register, route_info
from v2model import NO_ERROR, NULL, PROTO_IP_RIP, RTM_ROUTE_EXPIRED, net_address


class TestReferencesLentWithAnExpiry:
    """RTM_ROUTE_EXPIRED lends the owner a reference with Context1 (V2-A-ttl, M-DELIVERY). A callback that gives it
    back at once, as Microsoft's sample does, left the model counting it as lent after it was gone, so
    ``check_invariants`` failed while the callback ran (seen with delivery threads: an invariant check from
    another thread; M-INVARIANTS: the model is consistent between any two calls)."""

    @pytest.mark.parametrize("give_back", ["delete", "release"])
    def test_invariants_hold_inside_the_callback(
        self, rtm: v2model.RoutingTableManager, clock: v2model.ManualClock, give_back: str
    ) -> None:
        """The callback deletes the route through Context1 (RtmDeleteRouteToDest releases the handle) or
        releases the handle, then checks the invariants: they hold, there and after the callback, and nothing is
        left held."""
        outcome: list[str] = []

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            if event == RTM_ROUTE_EXPIRED:
                if give_back == "delete":
                    outcome.append(f"delete {rtm.RtmDeleteRouteToDest(handle, context1).status}")
                else:
                    outcome.append(f"release {rtm.RtmReleaseRoutes(handle, 1, [context1]).status}")
                try:
                    rtm.check_invariants()
                    outcome.append("invariants hold")
                except v2model.RtmInternalError as exc:
                    outcome.append(str(exc))
            return NO_ERROR

        entity = register(rtm, PROTO_IP_RIP, callback=callback)
        hop = nexthop(rtm, entity, "192.0.2.1", 1)
        added = rtm.RtmAddRouteToDest(entity, NULL, net_address("10.1.0.0/16"), route_info(hop), 10)
        assert NO_ERROR == added.status
        clock.advance(10)
        rtm.process_timers()
        assert [f"{give_back} {int(NO_ERROR)}", "invariants hold"] == outcome
        rtm.check_invariants()
        held = rtm.leak_report().for_entity(entity)
        assert held is not None
        assert {repr(hop): 1} == dict(held.handles)
