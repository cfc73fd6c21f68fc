"""RtmDeregisterClient (V1-4.2, V1-5.3, V1-A15, V1-A18, V1-A29, V1-A30; MIGRATION.md mapping table)."""

from __future__ import annotations

import threading
from typing import Any

import attrs
import pytest
import structlog
from structlog.testing import LogCapture

import rtmcompat
import v2model
from rtmcompat import (
    ERROR_INVALID_HANDLE,
    ERROR_NO_MESSAGES,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
    V1Client,
    V1Shim,
)
from tests.rtmcompat.support import (
    Message,
    add,
    drain,
    dump,
    ip_route,
    ipx_route,
    register,
    snapshot,
    stored,
)


def stale_calls(shim: V1Shim, client: V1Client) -> list[int]:
    """The status of every client-taking v1 function called with ``client``."""
    return [
        shim.RtmDeregisterClient(client).status,
        shim.RtmDequeueRouteChangeMessage(client).status,
        shim.RtmAddRoute(client, ip_route(), 60).status,
        shim.RtmDeleteRoute(client, ip_route()).status,
        shim.RtmBlockDeleteRoutes(client, 0, None).status,
    ]


def entity_name(client: V1Client) -> str:
    """The readable name of the client's v2 entity."""
    assert client.entity is not None
    return client.entity.name


class TestRtmDeregisterClient:
    """RtmDeregisterClient(ClientHandle) -> (status,)."""

    def test_client_without_routes(self, shim, rtm):
        """A client with no routes deregisters with NO_ERROR, tells nobody and leaves nothing behind (
        V1-4.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        entities = rtm.statistics()["entities"]
        name = entity_name(rip)
        assert (NO_ERROR,) == shim.RtmDeregisterClient(rip)
        assert [] == drain(shim, ospf)
        assert entities - 1 == rtm.statistics()["entities"]
        assert None is rtm.leak_report().for_entity(name)

    def test_routes_are_removed(self, shim, rtm):
        """Every route the client added is removed, best or not, with its next hops (V1-4.2)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=False)
        ospf, _ = register(shim, PROTO_IP_OSPF, event=False)
        add(shim, rip, ip_route("10.1.0.0/16", metric=1))  # best
        add(shim, ospf, ip_route("10.1.0.0/16", metric=5))
        add(shim, rip, ip_route("10.2.0.0/16", metric=9))  # not best
        add(shim, ospf, ip_route("10.2.0.0/16", metric=1))
        add(shim, rip, ip_route("10.3.0.0/16", nexthop="192.0.2.3"))
        shim.RtmDeregisterClient(rip)
        expected = [
            stored(ip_route(n, metric=m), PROTO_IP_OSPF, 0) for n, m in (("10.1.0.0/16", 5), ("10.2.0.0/16", 1))
        ]
        assert expected == dump(shim)
        stats = rtm.statistics()
        assert (2, 1) == (stats["routes"], stats["next_hops"])

    def test_remaining_clients_get_exactly_the_v1_messages(self, shim):
        """The remaining clients with events are told: DELETED where the route was the only one, CHANGED to the
        other client's route where that becomes best, nothing where it was not best; the deregistering client's
        routes go in canonical order (V1-4.2, 5.3, A15)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        bgp, _ = register(shim, PROTO_IP_BGP)
        only = ip_route("10.1.0.0/16")
        best, runner_up = ip_route("10.2.0.0/16", metric=1), ip_route("10.2.0.0/16", ifindex=2, metric=4)
        worse, better = ip_route("10.3.0.0/16", metric=9), ip_route("10.3.0.0/16", ifindex=2, metric=1)
        add(shim, rip, only)
        add(shim, rip, best)
        add(shim, ospf, runner_up)
        add(shim, ospf, better)
        add(shim, rip, worse)
        drain(shim, ospf)
        drain(shim, bgp)
        assert NO_ERROR == shim.RtmDeregisterClient(rip).status
        expected = [
            Message(RTM_ROUTE_DELETED, None, stored(only, PROTO_IP_RIP, 0)),
            Message(RTM_ROUTE_CHANGED, stored(runner_up, PROTO_IP_OSPF, 0), stored(best, PROTO_IP_RIP, 0)),
        ]
        assert expected == drain(shim, ospf)
        assert expected == drain(shim, bgp)

    def test_two_routes_on_one_network_go_one_at_a_time(self, shim):
        """Deleting both routes (best first in canonical order) of one network tells CHANGED(A->B) then
        DELETED(B) (V1-A15)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        a, b = ip_route(ifindex=1, metric=1), ip_route(ifindex=2, metric=5)
        add(shim, rip, a)
        add(shim, rip, b)
        drain(shim, ospf)
        shim.RtmDeregisterClient(rip)
        expected = [
            Message(RTM_ROUTE_CHANGED, stored(b, PROTO_IP_RIP, 0), stored(a, PROTO_IP_RIP, 0)),
            Message(RTM_ROUTE_DELETED, None, stored(b, PROTO_IP_RIP, 0)),
        ]
        assert expected == drain(shim, ospf)

    def test_pending_messages_are_discarded_and_the_event_left_alone(self, shim):
        """Pending messages are discarded; the event is left as it is (V1-4.2, A18)."""
        rip, ev = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16"))
        add(shim, ospf, ip_route("10.2.0.0/16"))
        assert NO_ERROR == shim.RtmDeregisterClient(rip).status
        assert ev is not None
        assert ev.is_set()
        again, _ = register(shim, PROTO_IP_RIP)
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(again).status

    def test_deregistering_twice(self, shim):
        """The handle is invalid after deregistration: a second call gives ERROR_INVALID_HANDLE (V1-4.2,
        V1-A30)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        assert NO_ERROR == shim.RtmDeregisterClient(rip).status
        assert (ERROR_INVALID_HANDLE,) == shim.RtmDeregisterClient(rip)

    def test_stale_handle_everywhere(self, shim, rtm):
        """Every function that takes a client handle answers ERROR_INVALID_HANDLE for a deregistered client, and
        changes nothing (V1-4.2, A30)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route())
        shim.RtmDeregisterClient(rip)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        before = snapshot(shim, rtm)
        assert [ERROR_INVALID_HANDLE] * 5 == stale_calls(shim, rip)
        assert before == snapshot(shim, rtm)

    def test_stale_handle_stays_stale_after_reregistration(self, shim):
        """Re-registering the protocol works and does not revive the old handle (V1-A29, V1-A30)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        add(shim, rip, ip_route("10.9.0.0/16"))
        shim.RtmDeregisterClient(rip)
        again, _ = register(shim, PROTO_IP_RIP)
        assert [ERROR_INVALID_HANDLE] * 5 == stale_calls(shim, rip)
        add(shim, again, ip_route())
        assert [stored(ip_route(), PROTO_IP_RIP, 0)] == dump(shim)

    def test_other_family_is_untouched(self, shim):
        """Deregistering an IP client leaves an IPX client of the same protocol id alone (V1-1.1)."""
        ip_client, _ = register(shim, PROTO_IP_RIP)
        ipx_client, _ = register(shim, PROTO_IP_RIP, RTM_PROTOCOL_FAMILY_IPX)
        add(shim, ip_client, ip_route())
        add(shim, ipx_client, ipx_route())
        shim.RtmDeregisterClient(ip_client)
        assert [stored(ipx_route(), PROTO_IP_RIP, 0)] == dump(shim, RTM_PROTOCOL_FAMILY_IPX)
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(ipx_client).status

    def test_open_enumerations_stay_valid(self, shim):
        """Open enumeration handles stay valid and no longer see the removed routes (V1-4.2)."""
        rip, _ = register(shim, PROTO_IP_RIP)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.2.0.0/16"))
        add(shim, ospf, ip_route("10.3.0.0/16"))
        enum = shim.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, 0).EnumerationHandle
        assert NO_ERROR == shim.RtmEnumerateGetNextRoute(enum).status
        shim.RtmDeregisterClient(rip)
        assert (NO_ERROR, stored(ip_route("10.3.0.0/16"), PROTO_IP_OSPF, 0)) == shim.RtmEnumerateGetNextRoute(enum)
        assert NO_ERROR == shim.RtmCloseEnumerationHandle(enum).status

    @pytest.mark.parametrize("with_event", [True, False])
    def test_entity_leaves_nothing_behind(self, shim, rtm, with_event):
        """The client's v2 entity cleaned up before RtmDeregisterEntity: no cleanup record in the leak report,
        its routes and next hops gone from rtm.statistics() (MIGRATION.md mapping table, RtmDeregisterClient)."""
        rip, _ = register(shim, PROTO_IP_RIP, event=with_event)
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route("10.1.0.0/16"))
        add(shim, rip, ip_route("10.1.0.0/16", ifindex=2, metric=0))
        add(shim, rip, ip_route("10.2.0.0/16", nexthop="192.0.2.7"))
        add(shim, rip, ip_route("10.3.0.0/16"), 600)
        name = entity_name(rip)
        before = rtm.statistics()
        shim.RtmDeregisterClient(rip)
        after = rtm.statistics()
        report = rtm.leak_report()
        assert None is report.for_entity(name)
        assert [] == [r for r in report.deregistrations if r.entity == name]
        assert (before["routes"] - 3, before["next_hops"] - 3) == (after["routes"], after["next_hops"])
        assert (1, 1) == (after["routes"], after["next_hops"])

    def test_cost_is_proportional_to_the_clients_routes(self, rtm):
        """Deregistering a 3-route client makes the same v2 calls whether the table also holds 20 or 2,000
        routes of another client (MIGRATION.md mapping table: "Costs in proportion to the client's routes")."""

        def v2_calls(other_routes: int) -> list[dict[str, Any]]:
            cap = LogCapture()
            shim = V1Shim(rtm, mapping_logger=structlog.wrap_logger(None, processors=[cap]))
            big, _ = register(shim, PROTO_IP_OSPF)
            for i in range(other_routes):
                add(shim, big, ip_route(f"172.{16 + i // 256}.{i % 256}.0/24"))
            small, _ = register(shim, PROTO_IP_RIP)
            for i in range(3):
                add(shim, small, ip_route(f"10.{i}.0.0/16"))
            cap.entries.clear()
            shim.RtmDeregisterClient(small)
            shim.RtmDeregisterClient(big)
            shim.close()
            [entry, _] = cap.entries
            return list(entry["v2"])

        small_table, big_table = v2_calls(20), v2_calls(2000)
        assert small_table == big_table
        assert 3 == {c["call"]: c["count"] for c in big_table}["RtmDeleteRouteToDest"]
        assert sum(c["count"] for c in big_table) < 100

    def test_bad_handles(self, shim):
        """None, integers, other objects and enumeration handles are not client handles (V1-A30)."""
        ospf, _ = register(shim, PROTO_IP_OSPF)
        add(shim, ospf, ip_route())
        enum = shim.RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, 0).EnumerationHandle
        for handle in (None, 0, 1, "client", threading.Event(), enum):
            assert (ERROR_INVALID_HANDLE,) == shim.RtmDeregisterClient(handle)
        assert 1 == len(dump(shim))


class TestBatchedSettlement:
    """RtmDeregisterClient and RtmBlockDeleteRoutes retrieve RTMv2's changes once per batch of routes whose
    networks differ (M-BATCH-SETTLE); what the other clients are told must be what one retrieval per route would
    tell them, and what V1Reference tells them (V1-A15: one route at a time, in canonical order)."""

    @staticmethod
    def _both(clock: v2model.ManualClock) -> list[Any]:
        priority = {PROTO_IP_RIP: 100, PROTO_IP_OSPF: 110}
        shim = V1Shim(v2model.RoutingTableManager(clock=clock), protocol_priority=priority)
        return [shim, rtmcompat.V1Reference(clock=clock, protocol_priority=priority)]

    @staticmethod
    def _load(api: Any) -> tuple[Any, Any]:
        """OSPF holds three networks; RIP beats it on each, twice on 10.2/16 (two next hops: the better one is
        best, the other takes over when it goes), and adds a network of its own."""
        rip, _ = register(api, PROTO_IP_RIP)
        ospf, _ = register(api, PROTO_IP_OSPF)
        for net in ("10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"):
            add(api, ospf, ip_route(net, ifindex=2, nexthop="192.0.2.9", metric=5))
        add(api, rip, ip_route("10.2.0.0/16", nexthop="192.0.2.1", metric=1))
        add(api, rip, ip_route("10.2.0.0/16", nexthop="192.0.2.2", metric=2))
        add(api, rip, ip_route("10.1.0.0/16", nexthop="192.0.2.1", metric=1))
        add(api, rip, ip_route("10.3.0.0/16", nexthop="192.0.2.2", metric=3))
        add(api, rip, ip_route("10.4.0.0/16", nexthop="192.0.2.2", metric=3))
        drain(api, ospf)
        return rip, ospf

    def test_deregistration_tells_what_the_reference_tells(self) -> None:
        """Every route of the leaving client is one message to the listener, in canonical order, the network that
        had two of its routes twice (CHANGED to its second route, then CHANGED back to OSPF's)."""
        told = []
        for api in self._both(v2model.ManualClock()):
            rip, ospf = self._load(api)
            assert NO_ERROR == api.RtmDeregisterClient(rip).status
            told.append([(m.flags, as_dict_or_none(m.cur), as_dict_or_none(m.prev)) for m in drain(api, ospf)])
        shim_told, reference_told = told
        assert reference_told == shim_told
        assert 5 == len(shim_told)

    def test_block_delete_tells_every_client(self) -> None:
        """A block delete tells the caller too; the messages equal the reference's."""
        told = []
        for api in self._both(v2model.ManualClock()):
            rip, ospf = self._load(api)
            drain(api, rip)
            assert NO_ERROR == api.RtmBlockDeleteRoutes(rip, 0, None).status
            told.append([[(m.flags, as_dict_or_none(m.cur)) for m in drain(api, c)] for c in (rip, ospf)])
        assert told[1] == told[0]


def as_dict_or_none(route: Any) -> Any:
    """A route structure as plain data (None stays None)."""
    return None if route is None else attrs.asdict(route)
