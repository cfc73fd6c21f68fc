"""RtmBlockDeleteRoutes (V1-4.12, V1-5.3, V1-A10, V1-A11, V1-A15, V1-A36)."""

from __future__ import annotations

import pytest

from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_ROUTES,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
)
from tests.rtmcompat.support import Message, add, drain, dump, ip_route, ipx_route, register, snapshot, stored


class TestRtmBlockDeleteRoutes:
    """RtmBlockDeleteRoutes(ClientHandle, EnumerationFlags, CriteriaRoute) -> (status,)."""

    def test_deletes_all_of_the_callers_routes(self, shim, rtm):
        """Flags 0 deletes every route of the caller and none of the others' (V1-4.12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        for net in ("10.1.0.0/16", "10.2.0.0/16"):
            add(shim, rip, ip_route(net))
            add(shim, ospf, ip_route(net, metric=3))
        assert (NO_ERROR,) == shim.RtmBlockDeleteRoutes(rip, 0, None)
        assert [stored(ip_route(n, metric=3), PROTO_IP_OSPF, 0) for n in ("10.1.0.0/16", "10.2.0.0/16")] == dump(shim)
        assert (2, 1) == (rtm.statistics()["routes"], rtm.statistics()["next_hops"])

    def test_everyone_is_told_including_the_caller(self, shim):
        """Every client with an event gets the messages, the caller included (V1-4.12, 5.3)."""
        rip, rip_event = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        quiet, _ = register(shim, PROTO_IP_BGP, event=False)
        add(shim, rip, ip_route("10.1.0.0/16"))
        drain(shim, ospf)
        shim.RtmBlockDeleteRoutes(rip, 0)
        expected = [Message(RTM_ROUTE_DELETED, None, stored(ip_route("10.1.0.0/16"), PROTO_IP_RIP, 0))]
        assert rip_event is not None
        assert rip_event.is_set()
        assert expected == drain(shim, rip)
        assert expected == drain(shim, ospf)
        assert [] == dump(shim)
        assert NO_ERROR == shim.RtmDeregisterClient(quiet).status

    def test_best_then_other_route_of_one_network(self, shim):
        """Deleting both A (best, first in canonical order) and B of one network: CHANGED(A->B) then DELETED(B)
        (V1-A15, V1-4.12 "a message for each deleted route that was best")."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        a, b = ip_route(ifindex=1, metric=1), ip_route(ifindex=2, metric=5)
        add(shim, rip, b)
        add(shim, rip, a)
        drain(shim, ospf)
        shim.RtmBlockDeleteRoutes(rip, 0)
        expected = [
            Message(RTM_ROUTE_CHANGED, stored(b, PROTO_IP_RIP, 0), stored(a, PROTO_IP_RIP, 0)),
            Message(RTM_ROUTE_DELETED, None, stored(b, PROTO_IP_RIP, 0)),
        ]
        assert expected == drain(shim, ospf)
        assert expected == drain(shim, rip)

    def test_non_best_first_gives_one_message(self, shim):
        """When the non-best route comes first in canonical order only DELETED(best) is told (V1-A15)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        worse, better = ip_route(ifindex=1, metric=5), ip_route(ifindex=2, metric=1)
        add(shim, rip, better)
        add(shim, rip, worse)
        drain(shim, ospf)
        shim.RtmBlockDeleteRoutes(rip, 0)
        assert [Message(RTM_ROUTE_DELETED, None, stored(better, PROTO_IP_RIP, 0))] == drain(shim, ospf)

    def test_networks_in_canonical_order(self, shim):
        """Several networks are processed in canonical order, one message each (V1-A15)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        nets = ["192.168.0.0/16", "10.1.0.0/24", "10.1.0.0/16", "9.0.0.0/8"]
        for net in nets:
            add(shim, rip, ip_route(net))
        drain(shim, ospf)
        shim.RtmBlockDeleteRoutes(rip, 0)
        order = ["9.0.0.0/8", "10.1.0.0/16", "10.1.0.0/24", "192.168.0.0/16"]
        assert [Message(RTM_ROUTE_DELETED, None, stored(ip_route(n), PROTO_IP_RIP, 0)) for n in order] == drain(
            shim, ospf
        )

    def test_only_this_network(self, shim):
        """RTM_ONLY_THIS_NETWORK deletes the caller's routes to that network (V1-4.12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=1))
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=2))
        add(shim, rip, ip_route("10.2.0.0/16"))
        assert NO_ERROR == shim.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_NETWORK, ip_route("10.1.0.0/16")).status
        assert [stored(ip_route("10.2.0.0/16"), PROTO_IP_RIP, 0)] == dump(shim)

    def test_only_this_interface(self, shim):
        """RTM_ONLY_THIS_INTERFACE deletes the caller's routes on that interface (V1-4.12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=1))
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=2))
        add(shim, rip, ip_route("10.2.0.0/16", ifindex=2))
        assert NO_ERROR == shim.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_INTERFACE, ip_route(ifindex=2)).status
        assert [stored(ip_route("10.1.0.0/16", ifindex=1), PROTO_IP_RIP, 0)] == dump(shim)

    def test_network_and_interface(self, shim):
        """The criteria combine as a bit mask (V1-2.4, V1-7.3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        for net in ("10.1.0.0/16", "10.2.0.0/16"):
            for ifindex in (1, 2):
                add(shim, rip, ip_route(net, ifindex=ifindex))
        flags = RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE
        assert NO_ERROR == shim.RtmBlockDeleteRoutes(rip, flags, ip_route("10.2.0.0/16", ifindex=1)).status
        assert 3 == len(dump(shim))

    def test_this_protocol_uses_the_callers_protocol(self, shim):
        """RTM_ONLY_THIS_PROTOCOL is accepted and the caller's protocol used whatever the criteria say (V1-A36)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, rip, ip_route())
        add(shim, ospf, ip_route(ifindex=2))
        assert (
            NO_ERROR == shim.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_PROTOCOL, ip_route(protocol=PROTO_IP_OSPF)).status
        )
        assert [stored(ip_route(ifindex=2), PROTO_IP_OSPF, 0)] == dump(shim)

    def test_only_best_routes_is_redundant(self, shim):
        """RTM_ONLY_BEST_ROUTES: the best designation moves as routes go, so every route of the subset is
        deleted (V1-4.12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=1))
        add(shim, rip, ip_route(ifindex=2, metric=5))  # never best
        add(shim, rip, ip_route("10.2.0.0/16"))
        assert NO_ERROR == shim.RtmBlockDeleteRoutes(rip, RTM_ONLY_BEST_ROUTES).status
        assert [stored(ip_route(metric=1), PROTO_IP_OSPF, 0)] == dump(shim)

    def test_nothing_matched(self, shim, rtm):
        """No route of the caller matches: ERROR_NO_ROUTES, nothing changes (V1-4.12)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        before = snapshot(shim, rtm)
        assert (ERROR_NO_ROUTES,) == shim.RtmBlockDeleteRoutes(rip, 0)
        assert (ERROR_NO_ROUTES,) == shim.RtmBlockDeleteRoutes(ospf, RTM_ONLY_THIS_NETWORK, ip_route("10.2.0.0/16"))
        assert before == snapshot(shim, rtm)
        assert [] == drain(shim, ospf)

    @pytest.mark.parametrize("flags", [0x10, 0x80000000, -1, 2**32, None])
    def test_invalid_flags(self, shim, rtm, flags):
        """Bad flags: ERROR_INVALID_PARAMETER, nothing deleted (V1-4.12, V1-A11)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        before = snapshot(shim, rtm)
        assert (ERROR_INVALID_PARAMETER,) == shim.RtmBlockDeleteRoutes(rip, flags, ip_route())
        assert before == snapshot(shim, rtm)

    @pytest.mark.parametrize("flags", [RTM_ONLY_THIS_NETWORK, RTM_ONLY_THIS_INTERFACE, RTM_ONLY_THIS_PROTOCOL])
    def test_criteria_needed_with_this_flags(self, shim, flags):
        """CriteriaRoute NULL with an RTM_ONLY_THIS_* bit: ERROR_INVALID_PARAMETER (V1-A10)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        assert (ERROR_INVALID_PARAMETER,) == shim.RtmBlockDeleteRoutes(rip, flags, None)
        assert 1 == len(dump(shim))

    def test_criteria_of_the_wrong_family(self, shim):
        """An IPX criteria route for an IP client: ERROR_INVALID_PARAMETER (M-BINDING-5)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        assert (ERROR_INVALID_PARAMETER,) == shim.RtmBlockDeleteRoutes(rip, RTM_ONLY_THIS_NETWORK, ipx_route())

    def test_bad_handles(self, shim):
        """None, integers and enumeration handles: ERROR_INVALID_HANDLE (V1-4.12, V1-A30)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        enum = shim.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, 0).EnumerationHandle
        for handle in (None, 0, 1, enum):
            assert (ERROR_INVALID_HANDLE,) == shim.RtmBlockDeleteRoutes(handle, 0)
        assert 1 == len(dump(shim))
