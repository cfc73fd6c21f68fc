"""rtm.check_invariants(): silent on a consistent model whatever was done to it, and a broken invariant raises
RtmInternalError naming it (the corruptions below are made on purpose, by hand, on the model's internals)."""

from __future__ import annotations

from typing import Any

import pytest

import v2model
from v2model import (
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CHANGE_TYPE_ALL,
    RTM_VIEW_MASK_UCAST,
    RtmInternalError,
)

from .scenario_support import some
from .support import add_route, nexthop, register, route_info


@pytest.fixture
def busy(rtm: v2model.RoutingTableManager) -> dict[str, Any]:
    """Three entities, next hops, competing routes, a pending change, a hold-down route and held handles."""
    rip, ospf, bgp = (register(rtm, p) for p in (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP))
    assert NO_ERROR == rtm.RtmRegisterForChangeNotification(bgp, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, 0)[0]
    rip_nh, ospf_nh = nexthop(rtm, rip, "192.0.2.1", 1), nexthop(rtm, ospf, "192.0.2.2", 2)
    rip_route, _ = add_route(rtm, rip, "10.1.0.0/16", route_info(rip_nh, metric=5))
    ospf_route, _ = add_route(rtm, ospf, "10.1.0.0/16", route_info(ospf_nh, metric=3))
    add_route(rtm, ospf, "10.2.0.0/16", route_info(ospf_nh))
    _status, info, _ = rtm.RtmGetRouteInfo(rip, rip_route)
    rtm.RtmHoldDestination(rip, some(info).DestHandle, RTM_VIEW_MASK_UCAST, 1000)
    rtm.RtmReleaseRouteInfo(rip, some(info))
    rtm.RtmDeleteRouteToDest(ospf, ospf_route)
    return {"rtm": rtm, "rip": rip, "ospf": ospf, "route": rip_route, "nh": rip_nh}


class TestCheckInvariants:
    def test_consistent_model_passes(self, busy: dict[str, Any]) -> None:
        """A model exercised through the API satisfies every invariant (no exception)."""
        rtm = busy["rtm"]
        rtm.check_invariants()
        rtm.RtmDeregisterEntity(busy["rip"])
        rtm.check_invariants()

    @pytest.mark.parametrize(
        ("corrupt", "named"),
        [
            (lambda b: setattr(b["route"], "_refs", b["route"]._refs + 1), "references"),
            (lambda b: setattr(b["route"].dest, "routes", ()), "no route and no hold-down route"),
            (lambda b: b["route"]._table.dests.clear(), "ordered keys"),
            (lambda b: setattr(b["route"].dest, "best0", None), "not a candidate"),
            (lambda b: setattr(b["rip"], "routes", type(b["rip"].routes)()), "missing from its owner's index"),
            (lambda b: b["rip"].nexthops.clear(), "next-hop count"),
        ],
    )
    def test_broken_invariant_is_named(self, busy: dict[str, Any], corrupt: Any, named: str) -> None:
        """A corrupted reference count, index, best route or owner index raises RtmInternalError naming it."""
        corrupt(busy)
        with pytest.raises(RtmInternalError, match=named):
            busy["rtm"].check_invariants()
