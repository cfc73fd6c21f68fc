"""Registration (V2-6.1, V2-6.4): RtmRegisterEntity, RtmDeregisterEntity, RtmGetRegisteredEntities,
RtmReleaseEntities, RtmGetEntityInfo, RtmReleaseEntityInfo."""

from __future__ import annotations

import re
from typing import Any

import pytest

import v2model
from v2model import (
    AF_INET,
    AF_INET6,
    AF_IPX,
    ERROR_ALREADY_EXISTS,
    ERROR_BAD_CONFIGURATION,
    ERROR_INSUFFICIENT_BUFFER,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NO_SYSTEM_RESOURCES,
    ERROR_NOT_FOUND,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_OTHER,
    PROTO_IP_RIP,
    RTM_DEST_INFO,
    RTM_ENTITY_DEREGISTERED,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_REGISTERED,
    RTM_REGN_PROFILE,
    RTM_VIEW_MASK_MCAST,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    RtmConfig,
    net_address,
)

from .matrix_support import (
    EventLog,
    add,
    add_nexthop,
    best_in,
    entity_info,
    open_handles,
    read_route,
    register_in,
)
from .support import route_info


def manager(clock: v2model.ManualClock, **kwargs: Any) -> RoutingTableManager:
    """A RoutingTableManager on the test clock with a given configuration."""
    return RoutingTableManager(clock=clock, **kwargs)


class TestRtmRegisterEntity:
    def test_returns_default_profile(self, rtm: RoutingTableManager) -> None:
        """The profile is the table's configuration: MaxNextHopsInRoute 3, MaxHandlesInEnum 25, unicast and
        multicast views (NumberOfViews 2) by default (V2-2.1, V2-A-config)."""
        status, profile, handle = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP), None, None, False)
        assert NO_ERROR == status
        assert RTM_REGN_PROFILE(3, 25, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST, 2) == profile
        assert isinstance(handle, v2model.Entity)

    def test_profile_follows_config(self, clock: v2model.ManualClock) -> None:
        """A custom RtmConfig sets every profile field; NumberOfViews is the popcount of ViewsSupported."""
        config = RtmConfig(max_nexthops_in_route=5, max_handles_in_enum=7, views_supported=0b101)
        with manager(clock, config=config) as rtm:
            status, profile, _ = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP), None, None, False)
        assert NO_ERROR == status
        assert RTM_REGN_PROFILE(5, 7, 0b101, 2) == profile

    def test_profile_is_a_fresh_copy(self, rtm: RoutingTableManager) -> None:
        """Mutating a returned profile changes nothing for the next registration (M-BINDING-6)."""
        _, profile, _ = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP), None, None, False)
        assert profile is not None
        profile.MaxNextHopsInRoute = 99
        _, second, _ = rtm.RtmRegisterEntity(entity_info(PROTO_IP_OSPF), None, None, False)
        assert second is not None
        assert 3 == second.MaxNextHopsInRoute

    def test_handle_has_readable_repr(self, rtm: RoutingTableManager) -> None:
        """A registration handle is an opaque object whose repr names the protocol (M-BINDING-7)."""
        rip = register_in(rtm, PROTO_IP_RIP)
        ospf2 = register_in(rtm, PROTO_IP_OSPF, 2)
        assert re.fullmatch(r"<entity RIP#\d+>", repr(rip))
        assert re.fullmatch(r"<entity OSPF\.2#\d+>", repr(ospf2))

    def test_same_identity_twice_is_already_exists(self, rtm: RoutingTableManager) -> None:
        """Registering the same (instance, family, protocol, instance id) again gives ERROR_ALREADY_EXISTS and
        no handle (V2-2.2); the table still has one entity."""
        register_in(rtm, PROTO_IP_RIP)
        assert (ERROR_ALREADY_EXISTS, None, None) == rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP), None, None, False)
        assert 1 == rtm.statistics()["entities"]

    @pytest.mark.parametrize(
        "second",
        [
            entity_info(PROTO_IP_RIP, 1),
            entity_info(PROTO_IP_OSPF, 0),
            entity_info(PROTO_IP_RIP, 0, af=AF_INET6),
            entity_info(PROTO_IP_RIP, 0, rtm_instance=1),
        ],
        ids=["other-entity-instance", "other-protocol", "other-family", "other-rtm-instance"],
    )
    def test_identity_is_the_full_tuple(self, rtm: RoutingTableManager, second: RTM_ENTITY_INFO) -> None:
        """Identity is the full 64-bit EntityId within one (RtmInstanceId, AddressFamily) (V2-A-entity-id,
        V2-A-instances): changing any part of it registers a distinct entity."""
        first = register_in(rtm, PROTO_IP_RIP)
        status, _, handle = rtm.RtmRegisterEntity(second, None, None, False)
        assert NO_ERROR == status
        assert handle is not first

    def test_entity_info_is_copied(self, rtm: RoutingTableManager) -> None:
        """The structure passed in is copied (binding rule 6): mutating it afterwards does not change the entity,
        and the same structure can then register another entity."""
        info = entity_info(PROTO_IP_RIP)
        rip = rtm.RtmRegisterEntity(info, None, None, False).RtmRegHandle
        info.EntityId.EntityProtocolId = PROTO_IP_OSPF
        observer = register_in(rtm, PROTO_IP_OTHER)
        assert (NO_ERROR, entity_info(PROTO_IP_RIP)) == rtm.RtmGetEntityInfo(observer, rip)
        assert NO_ERROR == rtm.RtmRegisterEntity(info, None, None, False).status

    def test_registered_event_goes_to_others(self, rtm: RoutingTableManager) -> None:
        """Every other entity of the table with a callback gets RTM_ENTITY_REGISTERED with the newcomer's handle
        and a copy of its RTM_ENTITY_INFO (V2-2.2, V2-A-reg-events); the newcomer is not told about itself."""
        old_log, new_log = EventLog(), EventLog()
        old = register_in(rtm, PROTO_IP_RIP, callback=old_log)
        new = register_in(rtm, PROTO_IP_OSPF, callback=new_log)
        assert [(old, RTM_ENTITY_REGISTERED, new, entity_info(PROTO_IP_OSPF))] == old_log.events
        assert [] == new_log.events

    def test_no_backfill_of_earlier_registrations(self, rtm: RoutingTableManager) -> None:
        """A newcomer is not told about entities registered before it (V2-A-reg-events: it calls
        RtmGetRegisteredEntities instead)."""
        register_in(rtm, PROTO_IP_RIP)
        log = EventLog()
        register_in(rtm, PROTO_IP_OSPF, callback=log)
        assert [] == log.events

    def test_registered_event_stays_in_the_table(self, rtm: RoutingTableManager) -> None:
        """Registrations in another family or RTM instance are not announced (V2-A-reg-events: same
        (instance, AF) only)."""
        log = EventLog()
        register_in(rtm, PROTO_IP_RIP, callback=log)
        register_in(rtm, PROTO_IP_OSPF, af=AF_INET6)
        register_in(rtm, PROTO_IP_OSPF, rtm_instance=1)
        assert [] == log.events

    def test_event_context1_is_usable_in_the_callback(self, rtm: RoutingTableManager) -> None:
        """Context1 is the newcomer's handle, valid for the callback's duration (V2-A-reg-events): the receiver
        can read the entity's information with it."""
        seen: list[Any] = []

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            seen.append(rtm.RtmGetEntityInfo(handle, context1))
            return NO_ERROR

        register_in(rtm, PROTO_IP_RIP, callback=callback)
        register_in(rtm, PROTO_IP_OSPF)
        assert [(NO_ERROR, entity_info(PROTO_IP_OSPF))] == seen

    def test_event_context2_is_a_copy(self, rtm: RoutingTableManager) -> None:
        """Context2 is a temporary copy (V2-A-reg-events): a callback that mutates it changes nothing."""

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            context2.EntityId.EntityProtocolId = 999
            return NO_ERROR

        rip = register_in(rtm, PROTO_IP_RIP, callback=callback)
        ospf = register_in(rtm, PROTO_IP_OSPF)
        assert (NO_ERROR, entity_info(PROTO_IP_OSPF)) == rtm.RtmGetEntityInfo(rip, ospf)

    def test_a_failing_callback_does_not_make_registration_raise(self, rtm: RoutingTableManager) -> None:
        """No argument value makes an API method raise (binding rule 5): a callback that RTM accepted (any
        callable) but that fails when called must not turn another entity's successful registration into an
        exception."""
        wrong_arity: Any = lambda: 0  # noqa: E731 - a callable RTM accepts, failing when called
        assert NO_ERROR == rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP), None, wrong_arity, False).status
        result = rtm.RtmRegisterEntity(entity_info(PROTO_IP_OSPF), None, None, False)
        assert NO_ERROR == result.status
        assert 2 == rtm.statistics()["entities"]

    def test_forbidden_calls_inside_entity_events(self, rtm: RoutingTableManager) -> None:
        """Inside an RTM_ENTITY_REGISTERED callback, RtmRegisterEntity and RtmGetRegisteredEntities are refused with
        ERROR_INVALID_PARAMETER (V2-2.2 re-entrancy rules, A-cbrules)."""
        answers: list[int] = []

        def callback(handle: Any, event: int, context1: Any, context2: Any) -> int:
            answers.append(rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP), None, None, False).status)
            answers.append(rtm.RtmGetRegisteredEntities(handle, 10).status)
            return NO_ERROR

        register_in(rtm, PROTO_IP_RIP, callback=callback)
        register_in(rtm, PROTO_IP_OSPF)
        assert [ERROR_INVALID_PARAMETER, ERROR_INVALID_PARAMETER] == answers
        assert 2 == rtm.statistics()["entities"]

    @pytest.mark.parametrize("family", [99, AF_IPX])
    def test_family_not_served_is_invalid_parameter(self, clock: v2model.ManualClock, family: int) -> None:
        """An address family the RTM does not serve (unknown, or left out of ``address_families``) gives
        ERROR_INVALID_PARAMETER (V2-A-instances)."""
        with manager(clock, config=RtmConfig(address_families=frozenset({AF_INET, AF_INET6}))) as rtm:
            assert (ERROR_INVALID_PARAMETER, None, None) == rtm.RtmRegisterEntity(
                entity_info(PROTO_IP_RIP, af=family), None, None, False
            )
            assert 0 == rtm.statistics()["entities"]

    @pytest.mark.parametrize("family", [AF_INET, AF_INET6, AF_IPX])
    def test_default_families_are_served(self, rtm: RoutingTableManager, family: int) -> None:
        """By default IPv4, IPv6 and the IPX model extension are served."""
        assert NO_ERROR == rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP, af=family), None, None, False).status

    def test_opaque_slots_run_out(self, clock: v2model.ManualClock) -> None:
        """Opaque-pointer slots are limited and handed out first come first served; when none is left,
        registration with ReserveOpaquePointer gives ERROR_NO_SYSTEM_RESOURCES and registers nothing (V2-2.12,
        V2-A-config). Registering without a slot still works."""
        with manager(clock, config=RtmConfig(max_opaque_pointers=2)) as rtm:
            register_in(rtm, PROTO_IP_RIP, opaque=True)
            register_in(rtm, PROTO_IP_OSPF, opaque=True)
            status, profile, handle = rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP), None, None, True)
            assert (ERROR_NO_SYSTEM_RESOURCES, None, None) == (status, profile, handle)
            assert 2 == rtm.statistics()["entities"]
            assert NO_ERROR == rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP), None, None, False).status

    def test_deregistration_frees_the_opaque_slot(self, clock: v2model.ManualClock) -> None:
        """A deregistered entity's slot can be reserved again (V2-A-opaque)."""
        with manager(clock, config=RtmConfig(max_opaque_pointers=1)) as rtm:
            rip = register_in(rtm, PROTO_IP_RIP, opaque=True)
            assert ERROR_NO_SYSTEM_RESOURCES == rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP), None, None, 1).status
            assert NO_ERROR == rtm.RtmDeregisterEntity(rip).status
            assert NO_ERROR == rtm.RtmRegisterEntity(entity_info(PROTO_IP_BGP), None, None, 1).status

    def test_opaque_slots_are_per_table(self, clock: v2model.ManualClock) -> None:
        """Each (instance, family) table has its own slots (V2-A-config: per table)."""
        with manager(clock, config=RtmConfig(max_opaque_pointers=1)) as rtm:
            register_in(rtm, PROTO_IP_RIP, opaque=True)
            register_in(rtm, PROTO_IP_RIP, af=AF_INET6, opaque=True)
            register_in(rtm, PROTO_IP_RIP, rtm_instance=1, opaque=True)

    @pytest.mark.parametrize(
        "config",
        [
            RtmConfig(max_nexthops_in_route=0),
            RtmConfig(max_nexthops_in_route=0x10000),
            RtmConfig(max_handles_in_enum=0),
            RtmConfig(views_supported=0),
            RtmConfig(views_supported=RTM_VIEW_MASK_MCAST),
            RtmConfig(views_supported=1 << 32),
            RtmConfig(max_opaque_pointers=-1),
            RtmConfig(max_notify_registrations=-1),
            RtmConfig(preference_policy={PROTO_IP_RIP: -1}),
        ],
        ids=[
            "no-next-hops",
            "too-many-next-hops",
            "no-enum-handles",
            "no-views",
            "no-unicast-view",
            "view-mask-too-wide",
            "negative-opaque",
            "negative-notify",
            "bad-preference",
        ],
    )
    def test_bad_configuration(self, clock: v2model.ManualClock, config: RtmConfig) -> None:
        """An unusable configuration surfaces at registration as ERROR_BAD_CONFIGURATION (V2-2.1: registry
        problems), with nothing registered."""
        with manager(clock, config=config) as rtm:
            assert (ERROR_BAD_CONFIGURATION, None, None) == rtm.RtmRegisterEntity(
                entity_info(PROTO_IP_RIP), None, None, False
            )
            assert 0 == rtm.statistics()["entities"]

    def test_table_configs_override_one_table(self, clock: v2model.ManualClock) -> None:
        """``table_configs`` configures single (RtmInstanceId, AddressFamily) tables: a bad one fails only there;
        a good one changes only that table's profile."""
        configs = {(0, AF_INET6): RtmConfig(max_handles_in_enum=0), (1, AF_INET): RtmConfig(max_nexthops_in_route=7)}
        with manager(clock, table_configs=configs) as rtm:
            bad = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP, af=AF_INET6), None, None, False)
            assert ERROR_BAD_CONFIGURATION == bad.status
            default = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP), None, None, False)
            assert (NO_ERROR, 3) == (default.status, default.RtmRegProfile and default.RtmRegProfile.MaxNextHopsInRoute)
            custom = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP, rtm_instance=1), None, None, False)
            assert (NO_ERROR, 7) == (custom.status, custom.RtmRegProfile and custom.RtmRegProfile.MaxNextHopsInRoute)

    def test_table_config_can_leave_a_family_out(self, clock: v2model.ManualClock) -> None:
        """A table whose configuration does not serve its family refuses registration with
        ERROR_INVALID_PARAMETER (V2-A-instances)."""
        configs = {(0, AF_INET6): RtmConfig(address_families=frozenset({AF_INET}))}
        with manager(clock, table_configs=configs) as rtm:
            status = rtm.RtmRegisterEntity(entity_info(PROTO_IP_RIP, af=AF_INET6), None, None, False).status
            assert ERROR_INVALID_PARAMETER == status


class TestRtmDeregisterEntity:
    def test_clean_deregistration(self, rtm: RoutingTableManager) -> None:
        """An entity that holds and owns nothing deregisters with NO_ERROR and leaves no leak-report record
        (V2-A-dereg)."""
        rip = register_in(rtm, PROTO_IP_RIP)
        assert (NO_ERROR,) == rtm.RtmDeregisterEntity(rip)
        assert 0 == rtm.statistics()["entities"]
        assert rtm.leak_report().empty

    def test_handle_dies(self, rtm: RoutingTableManager) -> None:
        """After deregistration the handle is invalid everywhere (V2-2.15, V2-A-dereg): as caller, as argument,
        and for a second deregistration; its repr says so."""
        rip = register_in(rtm, PROTO_IP_RIP)
        ospf = register_in(rtm, PROTO_IP_OSPF)
        assert NO_ERROR == rtm.RtmDeregisterEntity(rip).status
        assert (ERROR_INVALID_HANDLE,) == rtm.RtmDeregisterEntity(rip)
        assert (ERROR_INVALID_HANDLE, None, None, None) == rtm.RtmGetRegisteredEntities(rip, 10)
        assert (ERROR_INVALID_HANDLE, None) == rtm.RtmGetEntityInfo(ospf, rip)
        assert repr(rip).endswith("(invalid)>")

    def test_same_identity_registers_again_with_a_new_handle(self, rtm: RoutingTableManager) -> None:
        """The identity is free again after deregistration; the new handle is a new object (binding rule 7:
        handles are never reused)."""
        old = register_in(rtm, PROTO_IP_RIP)
        rtm.RtmDeregisterEntity(old)
        new = register_in(rtm, PROTO_IP_RIP)
        assert new is not old
        assert repr(new) != repr(old)

    def test_deregistered_event_goes_to_others(self, rtm: RoutingTableManager) -> None:
        """Every other entity with a callback gets RTM_ENTITY_DEREGISTERED with the leaving entity's handle and a
        copy of its information (V2-6.1, V2-A-reg-events)."""
        log = EventLog()
        observer = register_in(rtm, PROTO_IP_OTHER, callback=log)
        rip = register_in(rtm, PROTO_IP_RIP)
        rtm.RtmDeregisterEntity(rip)
        assert [(observer, RTM_ENTITY_DEREGISTERED, rip, entity_info(PROTO_IP_RIP))] == log.of_type(
            RTM_ENTITY_DEREGISTERED
        )

    def test_leaving_entity_is_not_told(self, rtm: RoutingTableManager) -> None:
        """The leaving entity gets no RTM_ENTITY_DEREGISTERED about itself; other tables hear nothing."""
        own, elsewhere = EventLog(), EventLog()
        rip = register_in(rtm, PROTO_IP_RIP, callback=own)
        register_in(rtm, PROTO_IP_RIP, af=AF_INET6, callback=elsewhere)
        rtm.RtmDeregisterEntity(rip)
        assert [] == own.events
        assert [] == elsewhere.events

    def test_force_cleans_routes_with_best_route_recomputation(self, rtm: RoutingTableManager) -> None:
        """Routes and next hops left behind are deleted as if by the entity, with normal best-route
        recomputation (V2-A-dereg): the remaining route becomes best, and counts drop."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        r_rip, _ = add(rtm, rip, "10.1.0.0/16", route_info(add_nexthop(rtm, rip, "192.0.2.1", 1), metric=1))
        r_ospf, _ = add(rtm, ospf, "10.1.0.0/16", route_info(add_nexthop(rtm, ospf, "192.0.2.2", 1), metric=9))
        assert (RTM_VIEW_MASK_UCAST, 0) == (best_in(rtm, ospf, r_rip), best_in(rtm, ospf, r_ospf))
        assert NO_ERROR == rtm.RtmDeregisterEntity(rip).status
        assert RTM_VIEW_MASK_UCAST == best_in(rtm, ospf, r_ospf)
        stats = rtm.statistics()
        assert (1, 1, 1, 1) == (stats["entities"], stats["destinations"], stats["routes"], stats["next_hops"])

    def test_force_clean_removes_emptied_destinations(self, rtm: RoutingTableManager) -> None:
        """A destination whose only route was force-deleted leaves the table (V2-A-dest-lifetime)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        add(rtm, rip, "10.1.0.0/16", route_info(add_nexthop(rtm, rip, "192.0.2.1", 1)))
        rtm.RtmDeregisterEntity(rip)
        assert 0 == rtm.statistics()["destinations"]
        assert (ERROR_NOT_FOUND, None) == rtm.RtmGetExactMatchDestination(ospf, net_address("10.1.0.0/16"), 0, 1)

    def test_leftovers_are_recorded(self, rtm: RoutingTableManager) -> None:
        """What the entity left behind is recorded in the leak report under its name (V2-A-dereg): routes,
        next hops and the references it held; its references are released."""
        rip = register_in(rtm, PROTO_IP_RIP)
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add(rtm, rip, "10.1.0.0/16", route_info(nh))
        name, held = repr(rip), {repr(nh): 1, repr(route): 1}
        rtm.RtmDeregisterEntity(rip)
        report = rtm.leak_report()
        assert 1 == len(report.deregistrations)
        record = report.for_entity(name)
        assert record is not None
        assert (1, 1) == (record.routes, record.next_hops)
        assert held == dict(record.handles)
        assert 0 == open_handles(rtm)

    def test_leftover_info_structures_are_recorded(self, rtm: RoutingTableManager) -> None:
        """Unreleased information structures are part of the record (V2-A-dereg, V2-2.15)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        rtm.RtmGetEntityInfo(rip, ospf)
        name = repr(rip)
        rtm.RtmDeregisterEntity(rip)
        record = rtm.leak_report().for_entity(name)
        assert record is not None
        assert {"entity": 1} == dict(record.info_structures)

    def test_others_keep_reading_leftover_routes_they_hold(self, rtm: RoutingTableManager) -> None:
        """A route force-deleted at deregistration stays readable, State DELETED, through another entity's
        reference until that reference is released; then its handle is invalid (V2-2.13, V2-A-refs)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        route, _ = add(rtm, rip, "10.1.0.0/16", route_info(add_nexthop(rtm, rip, "192.0.2.1", 1)))
        assert NO_ERROR == rtm.RtmReferenceHandles(ospf, 1, [route]).status
        rtm.RtmDeregisterEntity(rip)
        assert v2model.RTM_ROUTE_STATE_DELETED == read_route(rtm, ospf, route).State
        assert NO_ERROR == rtm.RtmReleaseRoutes(ospf, 1, [route]).status
        assert ERROR_INVALID_HANDLE == rtm.RtmGetRouteInfo(ospf, route).status

    def test_others_release_their_reference_to_the_leaver(self, rtm: RoutingTableManager) -> None:
        """An entity that cached another entity's handle (RtmGetRegisteredEntities) releases it after the
        RTM_ENTITY_DEREGISTERED event; the release succeeds (V2-2.13: release every handle you hold)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        assert NO_ERROR == rtm.RtmGetRegisteredEntities(ospf, 10).status
        rtm.RtmDeregisterEntity(rip)
        assert NO_ERROR == rtm.RtmReleaseEntities(ospf, 2, [rip, ospf]).status
        assert 0 == open_handles(rtm)


class TestRtmGetRegisteredEntities:
    def test_lists_every_entity_of_the_table(self, rtm: RoutingTableManager) -> None:
        """All entities of the caller's (instance, family), the caller included, with copies of their
        information; other tables are not listed (V2-6.1, V2-A-instances)."""
        rip, ospf, bgp = (register_in(rtm, p) for p in (PROTO_IP_RIP, PROTO_IP_OSPF, PROTO_IP_BGP))
        register_in(rtm, PROTO_IP_RIP, af=AF_INET6)
        register_in(rtm, PROTO_IP_RIP, rtm_instance=1)
        status, count, handles, infos = rtm.RtmGetRegisteredEntities(rip, 10)
        assert (NO_ERROR, 3) == (status, count)
        assert handles is not None
        assert infos is not None
        assert {rip: entity_info(PROTO_IP_RIP), ospf: entity_info(PROTO_IP_OSPF), bgp: entity_info(PROTO_IP_BGP)} == (
            dict(zip(handles, infos, strict=True))
        )

    def test_handles_are_referenced(self, rtm: RoutingTableManager) -> None:
        """Each returned handle carries a reference, released with RtmReleaseEntities (V2-2.13)."""
        rip, _ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        _, _, handles, _ = rtm.RtmGetRegisteredEntities(rip, 2)
        assert handles is not None
        assert 2 == open_handles(rtm)
        assert NO_ERROR == rtm.RtmReleaseEntities(rip, 2, handles).status
        assert 0 == open_handles(rtm)

    @pytest.mark.parametrize("capacity", [0, 1, 2])
    def test_too_small_capacity(self, rtm: RoutingTableManager, capacity: int) -> None:
        """Spec A-bufsize: a capacity below the total gives ERROR_INSUFFICIENT_BUFFER with the total count, fills
        nothing and takes no reference (the sample asks with 0 first)."""
        rip = register_in(rtm, PROTO_IP_RIP)
        register_in(rtm, PROTO_IP_OSPF)
        register_in(rtm, PROTO_IP_BGP)
        assert (ERROR_INSUFFICIENT_BUFFER, 3, None, None) == rtm.RtmGetRegisteredEntities(rip, capacity)
        assert 0 == open_handles(rtm)

    @pytest.mark.parametrize("capacity", [3, 4, 0xFFFFFFFF])
    def test_enough_capacity(self, rtm: RoutingTableManager, capacity: int) -> None:
        """A capacity at least the total fills every entry with NO_ERROR (V2-A-bufsize)."""
        rip = register_in(rtm, PROTO_IP_RIP)
        register_in(rtm, PROTO_IP_OSPF)
        register_in(rtm, PROTO_IP_BGP)
        status, count, handles, infos = rtm.RtmGetRegisteredEntities(rip, capacity)
        assert (NO_ERROR, 3) == (status, count)
        assert handles is not None
        assert infos is not None
        assert (3, 3) == (len(handles), len(infos))

    def test_infos_are_fresh_copies(self, rtm: RoutingTableManager) -> None:
        """Returned infos are copies (binding rule 6): mutating them changes no entity."""
        rip = register_in(rtm, PROTO_IP_RIP)
        _, _, _, infos = rtm.RtmGetRegisteredEntities(rip, 1)
        assert infos is not None
        infos[0].EntityId.EntityProtocolId = PROTO_IP_OSPF
        assert (NO_ERROR, entity_info(PROTO_IP_RIP)) == rtm.RtmGetEntityInfo(rip, rip)


class TestRtmReleaseEntities:
    def test_release_drops_one_reference_each(self, rtm: RoutingTableManager) -> None:
        """One reference per listed handle; a handle listed twice needs two references (V2-6.1)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        rtm.RtmGetRegisteredEntities(rip, 2)
        rtm.RtmReferenceHandles(rip, 1, [ospf])
        assert NO_ERROR == rtm.RtmReleaseEntities(rip, 2, [ospf, ospf]).status
        assert 1 == open_handles(rtm)

    def test_release_more_than_held_releases_nothing(self, rtm: RoutingTableManager) -> None:
        """Releasing a handle not held (here: once too often) is ERROR_INVALID_HANDLE and releases nothing
        (V2-A-refs)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        rtm.RtmGetRegisteredEntities(rip, 2)
        assert (ERROR_INVALID_HANDLE,) == rtm.RtmReleaseEntities(rip, 3, [rip, ospf, ospf])
        assert 2 == open_handles(rtm)

    def test_empty_release(self, rtm: RoutingTableManager) -> None:
        """Releasing zero handles is a no-op success."""
        rip = register_in(rtm, PROTO_IP_RIP)
        assert (NO_ERROR,) == rtm.RtmReleaseEntities(rip, 0, [])


class TestRtmGetEntityInfo:
    def test_returns_the_identity(self, rtm: RoutingTableManager) -> None:
        """Any entity of the table can read any other's RTM_ENTITY_INFO (V2-6.4)."""
        rip = register_in(rtm, PROTO_IP_RIP)
        ospf = register_in(rtm, PROTO_IP_OSPF, 0x3FFF000D)
        expected = RTM_ENTITY_INFO(0, AF_INET, RTM_ENTITY_ID(PROTO_IP_OSPF, 0x3FFF000D))
        assert (NO_ERROR, expected) == rtm.RtmGetEntityInfo(rip, ospf)

    def test_holds_no_handles(self, rtm: RoutingTableManager) -> None:
        """The structure holds no handles, so no reference is taken (V2-2.13)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        rtm.RtmGetEntityInfo(rip, ospf)
        assert 0 == open_handles(rtm)

    def test_is_a_fresh_copy(self, rtm: RoutingTableManager) -> None:
        """Mutating the returned structure changes nothing (binding rule 6)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        info = rtm.RtmGetEntityInfo(rip, ospf).EntityInfo
        assert info is not None
        info.AddressFamily = AF_INET6
        assert (NO_ERROR, entity_info(PROTO_IP_OSPF)) == rtm.RtmGetEntityInfo(rip, ospf)

    def test_entity_of_other_table_is_invalid(self, rtm: RoutingTableManager) -> None:
        """Information is available only within the caller's instance and family (V2-2.15)."""
        rip = register_in(rtm, PROTO_IP_RIP)
        other = register_in(rtm, PROTO_IP_RIP, af=AF_INET6)
        assert (ERROR_INVALID_HANDLE, None) == rtm.RtmGetEntityInfo(rip, other)


class TestRtmReleaseEntityInfo:
    def test_balances_get(self, rtm: RoutingTableManager) -> None:
        """Releasing the structure succeeds and leaves the caller holding nothing (V2-6.4)."""
        rip, ospf = register_in(rtm, PROTO_IP_RIP), register_in(rtm, PROTO_IP_OSPF)
        info = rtm.RtmGetEntityInfo(rip, ospf).EntityInfo
        assert info is not None
        assert not rtm.leak_report().empty
        assert (NO_ERROR,) == rtm.RtmReleaseEntityInfo(rip, info)
        assert rtm.leak_report().empty

    def test_not_an_entity_info(self, rtm: RoutingTableManager) -> None:
        """Anything but an RTM_ENTITY_INFO is ERROR_INVALID_PARAMETER."""
        rip = register_in(rtm, PROTO_IP_RIP)
        wrong: Any = RTM_DEST_INFO()
        assert (ERROR_INVALID_PARAMETER,) == rtm.RtmReleaseEntityInfo(rip, wrong)
