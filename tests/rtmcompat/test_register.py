"""RtmRegisterClient (V1-4.1, V1-A11, V1-A18, V1-A28, V1-A29, V1-A30; MIGRATION.md "RTMv1 shim")."""

from __future__ import annotations

import re
import threading

import pytest

import v2model
from rtmcompat import (
    ERROR_CLIENT_ALREADY_EXISTS,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_MESSAGES,
    ERROR_NO_SYSTEM_RESOURCES,
    IPX_PROTOCOL_RIP,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_PROTOCOL_FAMILY_IP,
    RTM_PROTOCOL_FAMILY_IPX,
    RTM_PROTOCOL_SINGLE_ROUTE,
    RTM_ROUTE_ADDED,
    V1Client,
    V1Shim,
    ip_network,
)
from tests.rtmcompat.support import Message, add, drain, ip_route, metric_of, register, stored, v2_register
from v2model import AF_INET, AF_IPX, RTM_VIEW_MASK_UCAST, RtmConfig


class _Flag:
    """An event-like object that is not a threading.Event: anything with set() and clear() will do."""

    def __init__(self) -> None:
        self.state = True

    def set(self) -> None:
        self.state = True

    def clear(self) -> None:
        self.state = False


class TestRtmRegisterClient:
    """RtmRegisterClient(ProtocolFamily, RoutingProtocol, ChangeEvent, Flags) -> (status, ClientHandle)."""

    @pytest.mark.parametrize("family", [RTM_PROTOCOL_FAMILY_IP, RTM_PROTOCOL_FAMILY_IPX])
    def test_registers_in_either_family(self, shim, family):
        """Both families are installed: registration returns NO_ERROR and a client handle (V1-4.1, V1-A28)."""
        status, client = shim.RtmRegisterClient(family, PROTO_IP_RIP, threading.Event(), 0)
        assert NO_ERROR == status
        assert isinstance(client, V1Client)

    def test_handle_has_a_readable_name(self, shim):
        """A client handle's repr names the protocol and a serial, e.g. <client RIP#1> (M-BINDING-7)."""
        client, _ = register(shim, PROTO_IP_RIP)
        assert re.fullmatch(r"<client RIP#\d+>", repr(client))

    def test_registers_without_an_event(self, shim):
        """ChangeEvent is optional; without one the client gets no notifications: RtmDequeueRouteChangeMessage
        answers ERROR_INVALID_HANDLE (V1-4.1, V1-4.3)."""
        status, client = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP)
        assert NO_ERROR == status
        assert ERROR_INVALID_HANDLE == shim.RtmDequeueRouteChangeMessage(client).status

    def test_single_route_flag_accepted(self, shim):
        """Flags RTM_PROTOCOL_SINGLE_ROUTE is the one documented flag (V1-2.2, V1-4.1)."""
        status, client = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, RTM_PROTOCOL_SINGLE_ROUTE)
        assert NO_ERROR == status
        assert client is not None

    def test_duplicate_protocol_in_family(self, shim):
        """A second client of the same protocol in the same family gets NULL with ERROR_CLIENT_ALREADY_EXISTS
        (V1-4.1, V1-A29)."""
        register(shim, PROTO_IP_RIP)
        assert (ERROR_CLIENT_ALREADY_EXISTS, None) == shim.RtmRegisterClient(
            RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, threading.Event(), 0
        )

    def test_duplicate_leaves_the_table_unchanged(self, shim, rtm):
        """A refused registration registers nothing (M-BINDING-5)."""
        register(shim, PROTO_IP_RIP)
        before = rtm.statistics()
        shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, 0)
        assert before == rtm.statistics()

    def test_uniqueness_is_per_family(self, shim):
        """The same protocol id may register once in each family (V1-A29, V1-1.1)."""
        register(shim, PROTO_IP_RIP, RTM_PROTOCOL_FAMILY_IP)
        client, _ = register(shim, PROTO_IP_RIP, RTM_PROTOCOL_FAMILY_IPX)
        assert client is not None

    def test_native_v2_entity_takes_the_name(self, shim, rtm):
        """A native v2 entity with the same protocol id and instance 0 makes the name taken
        (MIGRATION.md mapping table, RtmRegisterClient)."""
        v2_register(rtm, PROTO_IP_OSPF, af=AF_INET)
        assert (ERROR_CLIENT_ALREADY_EXISTS, None) == shim.RtmRegisterClient(
            RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, None, 0
        )

    def test_native_v2_entity_of_another_instance_does_not(self, shim, rtm):
        """A v2 entity of the same protocol but instance 1 leaves instance 0 free (MIGRATION.md "Entities")."""
        v2_register(rtm, PROTO_IP_OSPF, 1, af=AF_INET)
        assert NO_ERROR == shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, None, 0).status

    @pytest.mark.parametrize("family", [2, -1, "x", None, 1.0])
    def test_unsupported_family(self, shim, rtm, family):
        """An unsupported family gives NULL with ERROR_INVALID_PARAMETER and registers nothing (V1-4.1,
        V1-A28)."""
        before = rtm.statistics()
        assert (ERROR_INVALID_PARAMETER, None) == shim.RtmRegisterClient(family, PROTO_IP_RIP, None, 0)
        assert before == rtm.statistics()

    @pytest.mark.parametrize("flags", [0x2, 0x3, 0x80000000, -1, 2**32, "1"])
    def test_invalid_flags(self, shim, rtm, flags):
        """Any bit other than RTM_PROTOCOL_SINGLE_ROUTE makes the flags invalid: ERROR_INVALID_PARAMETER
        (V1-2.2, V1-A11)."""
        before = rtm.statistics()
        assert (ERROR_INVALID_PARAMETER, None) == shim.RtmRegisterClient(
            RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, flags
        )
        assert before == rtm.statistics()

    def test_flags_are_checked_before_duplicates(self, shim):
        """Checks run family, then flags, then duplicate: a taken protocol with bad flags gets
        ERROR_INVALID_PARAMETER (V1-4.1)."""
        register(shim, PROTO_IP_RIP)
        assert (ERROR_INVALID_PARAMETER, None) == shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, 4)

    @pytest.mark.parametrize("protocol", [-1, 2**32, "8", None])
    def test_protocol_not_a_dword(self, shim, protocol):
        """A RoutingProtocol that is not a DWORD is a bad value: ERROR_INVALID_PARAMETER (M-BINDING-5)."""
        assert (ERROR_INVALID_PARAMETER, None) == shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, protocol, None, 0)

    @pytest.mark.parametrize("event", [5, "event", object()])
    def test_change_event_without_set_and_clear(self, shim, event):
        """ChangeEvent must have set() and clear(); anything else is a bad value (M-BINDING-3, M-BINDING-5)."""
        assert (ERROR_INVALID_PARAMETER, None) == shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, event, 0)

    def test_any_event_like_object_works(self, shim):
        """Any object with set() and clear() is a ChangeEvent: reset at registration, set on enqueue (V1-A18)."""
        flag = _Flag()
        status, client = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, flag, 0)
        assert NO_ERROR == status
        assert client is not None
        assert not flag.state
        other, _ = register(shim, PROTO_IP_OSPF)
        add(shim, other, ip_route())
        assert flag.state

    def test_event_reset_at_registration(self, shim):
        """A signalled event is reset when the client registers (V1-A18, V1-4.1)."""
        ev = threading.Event()
        ev.set()
        shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, ev, 0)
        assert not ev.is_set()

    def test_new_client_does_not_see_earlier_changes(self, shim):
        """A new client starts with an empty queue (V1-4.1)."""
        first, _ = register(shim, PROTO_IP_OSPF)
        add(shim, first, ip_route("10.1.0.0/16"))
        add(shim, first, ip_route("10.2.0.0/16"))
        late, ev = register(shim, PROTO_IP_RIP)
        assert ev is not None
        assert not ev.is_set()
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(late).status

    def test_late_client_is_told_about_changes_to_existing_routes(self, shim):
        """A client registered after routes exist still gets the previous best route in later messages
        (MIGRATION.md "Keeping the previous best route")."""
        first, _ = register(shim, PROTO_IP_OSPF, event=False)
        add(shim, first, ip_route("10.1.0.0/16", metric=5))
        late, _ = register(shim, PROTO_IP_RIP)
        third, _ = register(shim, PROTO_IP_RIP, RTM_PROTOCOL_FAMILY_IPX)
        add(shim, first, ip_route("10.1.0.0/16", metric=2))
        [message] = drain(shim, late)
        assert (3, 5, 2) == (message.flags, metric_of(message.prev), metric_of(message.cur))
        assert [] == drain(shim, third)

    def test_reregistration_after_deregistration(self, shim):
        """After deregistration the protocol can register again and gets a new handle; the old one stays invalid
        (V1-A29, V1-A30)."""
        old, _ = register(shim, PROTO_IP_RIP)
        assert NO_ERROR == shim.RtmDeregisterClient(old).status
        new, _ = register(shim, PROTO_IP_RIP)
        assert new is not old
        assert repr(new) != repr(old)
        assert ERROR_INVALID_HANDLE == shim.RtmDequeueRouteChangeMessage(old).status
        assert ERROR_NO_MESSAGES == shim.RtmDequeueRouteChangeMessage(new).status

    def test_handle_names_never_reused(self, shim):
        """Handle values are never reused across registrations (V1-4.1, A30)."""
        names = set()
        for _ in range(5):
            client, _ = register(shim, PROTO_IP_RIP)
            names.add(repr(client))
            shim.RtmDeregisterClient(client)
        assert 5 == len(names)

    def test_ipx_client_name(self, shim):
        """IPX protocol ids get IPX names in handle reprs (M-BINDING-7)."""
        client, _ = register(shim, IPX_PROTOCOL_RIP, RTM_PROTOCOL_FAMILY_IPX)
        assert re.fullmatch(r"<client IPX-RIP#\d+>", repr(client))

    def test_no_system_resources_when_notifications_run_out(self, clock):
        """When RTM cannot set up the change notification the registration fails with
        ERROR_NO_SYSTEM_RESOURCES and leaves nothing behind (V1-4.1; M-SHARED-NOTIFY: the first client with an
        event makes the family's one registration)."""
        config = RtmConfig(max_notify_registrations=1)
        with v2model.RoutingTableManager(clock=clock, config=config) as rtm:
            native = v2_register(rtm, PROTO_IP_BGP)
            assert NO_ERROR == rtm.RtmRegisterForChangeNotification(native, RTM_VIEW_MASK_UCAST, 1, None).status
            shim = V1Shim(rtm)
            shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network("10.0.0.0/8"))  # the reader exists already
            before = rtm.statistics()
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == shim.RtmRegisterClient(
                RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, threading.Event(), 0
            )
            assert before == rtm.statistics()
            assert NO_ERROR == shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_OSPF, None, 0).status

    def test_clients_with_events_share_one_registration(self, clock):
        """Every client of a family with an event is served by one change-notification registration, so two
        such clients need only one (M-SHARED-NOTIFY)."""
        config = RtmConfig(max_notify_registrations=1)
        with v2model.RoutingTableManager(clock=clock, config=config) as rtm:
            shim = V1Shim(rtm)
            rip, _ = register(shim, PROTO_IP_RIP)
            ospf, ospf_event = register(shim, PROTO_IP_OSPF)
            add(shim, rip, ip_route())
            assert ospf_event is not None
            assert ospf_event.is_set()
            assert [Message(RTM_ROUTE_ADDED, stored(ip_route(), PROTO_IP_RIP, 0), None)] == drain(shim, ospf)

    def test_no_system_resources_when_the_table_is_misconfigured(self, clock):
        """A table RTM cannot serve (a registry problem on Windows) gives ERROR_NO_SYSTEM_RESOURCES for that
        family only (V1-4.1; MIGRATION.md rtmv2 "Profile and limits")."""
        configs = {(0, AF_IPX): RtmConfig(max_handles_in_enum=0)}
        with v2model.RoutingTableManager(clock=clock, table_configs=configs) as rtm:
            shim = V1Shim(rtm)
            assert (ERROR_NO_SYSTEM_RESOURCES, None) == shim.RtmRegisterClient(
                RTM_PROTOCOL_FAMILY_IPX, IPX_PROTOCOL_RIP, None, 0
            )
            assert NO_ERROR == shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, 0).status
