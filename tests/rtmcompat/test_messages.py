"""RtmDequeueRouteChangeMessage and the change-message queue (V1-4.3, V1-5.2, V1-5.3, V1-A15 to V1-A19)."""

from __future__ import annotations

import pytest

from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_MORE_MESSAGES,
    ERROR_NO_MESSAGES,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_CURRENT_BEST_ROUTE,
    RTM_PREVIOUS_BEST_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
)
from tests.rtmcompat.support import (
    Message,
    add,
    as_ip,
    delete,
    drain,
    dump,
    ip_route,
    register,
    stored,
)


class TestRtmDequeueRouteChangeMessage:
    """RtmDequeueRouteChangeMessage(ClientHandle) -> (status, Flags, CurBestRoute, PrevBestRoute)."""

    def test_empty_queue(self, shim):
        """An unsolicited call: ERROR_NO_MESSAGES with no outputs, and the event is reset (V1-4.3,
        V1-A18)."""
        rip, ev = register(shim, PROTO_IP_RIP)
        assert ev is not None
        ev.set()
        assert (ERROR_NO_MESSAGES, None, None, None) == shim.RtmDequeueRouteChangeMessage(rip)
        assert not ev.is_set()

    def test_last_message(self, shim):
        """The last queued message comes with NO_ERROR and resets the event (V1-4.3, V1-A18)."""
        rip, ev = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        assert ev is not None
        assert ev.is_set()
        expected = (NO_ERROR, RTM_ROUTE_ADDED, stored(ip_route(), PROTO_IP_OSPF, 0), None)
        assert expected == shim.RtmDequeueRouteChangeMessage(rip)
        assert not ev.is_set()

    def test_more_messages_leave_the_event_alone(self, shim):
        """While more messages wait the status is ERROR_MORE_MESSAGES, a success carrying a message, and the
        event is untouched: still set (V1-4.3, V1-A18)."""
        rip, ev = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16"))
        add(shim, ospf, ip_route("10.2.0.0/16"))
        expected = (ERROR_MORE_MESSAGES, RTM_ROUTE_ADDED, stored(ip_route("10.1.0.0/16"), PROTO_IP_OSPF, 0), None)
        assert expected == shim.RtmDequeueRouteChangeMessage(rip)
        assert ev is not None
        assert ev.is_set()

    def test_more_messages_do_not_set_a_cleared_event(self, shim):
        """ "Untouched" also means a caller-cleared event stays clear after ERROR_MORE_MESSAGES (V1-A18)."""
        rip, ev = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16"))
        add(shim, ospf, ip_route("10.2.0.0/16"))
        assert ev is not None
        ev.clear()
        assert ERROR_MORE_MESSAGES == shim.RtmDequeueRouteChangeMessage(rip).status
        assert not ev.is_set()

    def test_event_set_on_every_enqueue(self, shim):
        """Every queued message sets the event again, even after the client cleared it (V1-A18, V1-5.3)."""
        _rip, ev = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16"))
        assert ev is not None
        ev.clear()
        add(shim, ospf, ip_route("10.2.0.0/16"))
        assert ev.is_set()

    def test_fifo_order(self, shim):
        """Messages come oldest first (V1-A16)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        nets = ["10.3.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]
        for net in nets:
            add(shim, ospf, ip_route(net))
        assert [Message(RTM_ROUTE_ADDED, stored(ip_route(n), PROTO_IP_OSPF, 0), None) for n in nets] == drain(shim, rip)

    def test_statuses_over_a_whole_queue(self, shim):
        """Three messages: 234, 234, then NO_ERROR, then ERROR_NO_MESSAGES (V1-4.3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        for net in ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"):
            add(shim, ospf, ip_route(net))
        statuses = [shim.RtmDequeueRouteChangeMessage(rip).status for _ in range(4)]
        assert [ERROR_MORE_MESSAGES, ERROR_MORE_MESSAGES, NO_ERROR, ERROR_NO_MESSAGES] == statuses

    def test_no_coalescing(self, shim):
        """Each change of one network is its own message: ADDED, CHANGED, CHANGED, DELETED (V1-A16)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        routes = [stored(ip_route(metric=m), PROTO_IP_OSPF, 0) for m in (1, 2, 3)]
        for m in (1, 2, 3):
            add(shim, ospf, ip_route(metric=m))
        delete(shim, ospf, ip_route())
        expected = [
            Message(RTM_ROUTE_ADDED, routes[0], None),
            Message(RTM_ROUTE_CHANGED, routes[1], routes[0]),
            Message(RTM_ROUTE_CHANGED, routes[2], routes[1]),
            Message(RTM_ROUTE_DELETED, None, routes[2]),
        ]
        assert expected == drain(shim, rip)

    def test_presence_bits_match_the_buffers(self, shim):
        """ADDED carries Cur only, DELETED Prev only, CHANGED both: each buffer is present exactly when its bit
        is set (V1-2.3, V1-A19)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=2))
        add(shim, ospf, ip_route(metric=1))
        delete(shim, ospf, ip_route())
        messages = drain(shim, rip)
        assert [RTM_ROUTE_ADDED, RTM_ROUTE_CHANGED, RTM_ROUTE_DELETED] == [m.flags for m in messages]
        for m in messages:
            assert (bool(m.flags & RTM_CURRENT_BEST_ROUTE), bool(m.flags & RTM_PREVIOUS_BEST_ROUTE)) == (
                m.cur is not None,
                m.prev is not None,
            )

    def test_payload_is_a_copy_taken_when_queued(self, shim):
        """A message shows the route as it was when the message was queued (V1-A17)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(metric=1, psd=(1, 0, 0, 0)))
        add(shim, ospf, ip_route(metric=1, psd=(2, 0, 0, 0)))  # not significant: no message, data changed
        add(shim, ospf, ip_route(metric=5))
        first, second = drain(shim, rip)
        assert stored(ip_route(metric=1, psd=(1, 0, 0, 0)), PROTO_IP_OSPF, 0) == first.cur
        assert stored(ip_route(metric=1, psd=(2, 0, 0, 0)), PROTO_IP_OSPF, 0) == second.prev

    def test_dequeued_routes_are_deep_copies(self, shim):
        """Mutating a dequeued route changes neither the table nor another client's copy (M-BINDING-6, V1-A17)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp, _ = register(shim, PROTO_IP_BGP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route(psd=(1, 2, 3, 4)))
        [message] = drain(shim, rip)
        cur = as_ip(message.cur)
        cur.RR_ProtocolSpecificData.PSD_Data[0] = 99
        cur.RR_FamilySpecificData.FSD_Metric = 99
        cur.RR_Network.N_NetNumber = 1
        expected = stored(ip_route(psd=(1, 2, 3, 4)), PROTO_IP_OSPF, 0)
        assert [expected] == dump(shim)
        assert [Message(RTM_ROUTE_ADDED, expected, None)] == drain(shim, bgp)

    def test_queues_are_per_client(self, shim):
        """Dequeuing on one client leaves another's queue alone (V1-A16, V1-5.3)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        bgp, bgp_event = register(shim, PROTO_IP_BGP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        drain(shim, rip)
        assert bgp_event is not None
        assert bgp_event.is_set()
        assert 1 == len(drain(shim, bgp))

    def test_client_without_event(self, shim):
        """A client registered without an event has no queue: ERROR_INVALID_HANDLE (V1-4.3)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        assert (ERROR_INVALID_HANDLE, None, None, None) == shim.RtmDequeueRouteChangeMessage(rip)

    def test_enumeration_handle_is_not_a_client(self, shim):
        """An enumeration handle where a client handle is expected: ERROR_INVALID_HANDLE (V1-A30)."""
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        enum = shim.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, 0).EnumerationHandle
        assert (ERROR_INVALID_HANDLE, None, None, None) == shim.RtmDequeueRouteChangeMessage(enum)

    @pytest.mark.parametrize("handle", [None, 0, 1, "<client RIP#1>"])
    def test_bad_handle(self, shim, handle):
        """None, integers and strings are never handles: ERROR_INVALID_HANDLE (M-BINDING-7)."""
        register(shim, PROTO_IP_RIP)
        assert (ERROR_INVALID_HANDLE, None, None, None) == shim.RtmDequeueRouteChangeMessage(handle)
