"""The public names users and tools rely on: pinned so a rename is a deliberate, visible change."""

from __future__ import annotations

import inspect
import typing

import pytest

import rtmcompat
import v2model

#: Every function of rtmv2.h (V2-6).
RTMV2_FUNCTIONS = """
RtmRegisterEntity RtmDeregisterEntity RtmGetRegisteredEntities RtmReleaseEntities RtmLockDestination
RtmGetOpaqueInformationPointer RtmGetEntityMethods RtmInvokeMethod RtmBlockMethods RtmGetEntityInfo RtmGetDestInfo
RtmGetRouteInfo RtmGetNextHopInfo RtmReleaseEntityInfo RtmReleaseDestInfo RtmReleaseRouteInfo RtmReleaseNextHopInfo
RtmAddRouteToDest RtmDeleteRouteToDest RtmHoldDestination RtmGetRoutePointer RtmLockRoute RtmUpdateAndUnlockRoute
RtmGetExactMatchDestination RtmGetMostSpecificDestination RtmGetLessSpecificDestination RtmGetExactMatchRoute
RtmIsBestRoute RtmAddNextHop RtmFindNextHop RtmDeleteNextHop RtmGetNextHopPointer RtmLockNextHop RtmCreateDestEnum
RtmGetEnumDests RtmReleaseDests RtmCreateRouteEnum RtmGetEnumRoutes RtmReleaseRoutes RtmCreateNextHopEnum
RtmGetEnumNextHops RtmReleaseNextHops RtmDeleteEnumHandle RtmRegisterForChangeNotification RtmGetChangedDests
RtmReleaseChangedDests RtmIgnoreChangedDests RtmGetChangeStatus RtmMarkDestForChangeNotification
RtmIsMarkedForChangeNotification RtmDeregisterFromChangeNotification RtmCreateRouteList RtmInsertInRouteList
RtmCreateRouteListEnum RtmGetListEnumRoutes RtmDeleteRouteList RtmReferenceHandles
""".split()

#: M-BINDING-3: method -> (arguments, result fields).
RTMV1 = {
    "RtmRegisterClient": (("ProtocolFamily", "RoutingProtocol", "ChangeEvent", "Flags"), ("status", "ClientHandle")),
    "RtmDeregisterClient": (("ClientHandle",), ("status",)),
    "RtmDequeueRouteChangeMessage": (("ClientHandle",), ("status", "Flags", "CurBestRoute", "PrevBestRoute")),
    "RtmAddRoute": (("ClientHandle", "Route", "TimeToLive"), ("status", "Flags", "CurBestRoute", "PrevBestRoute")),
    "RtmDeleteRoute": (("ClientHandle", "Route"), ("status", "Flags", "CurBestRoute")),
    "RtmIsRoute": (("ProtocolFamily", "Network"), ("status", "IsRoute", "BestRoute")),
    "RtmGetNetworkCount": (("ProtocolFamily",), ("status", "NetworkCount")),
    "RtmGetRouteAge": (("Route",), ("status", "RouteAge")),
    "RtmCreateEnumerationHandle": (
        ("ProtocolFamily", "EnumerationFlags", "CriteriaRoute"),
        ("status", "EnumerationHandle"),
    ),
    "RtmEnumerateGetNextRoute": (("EnumerationHandle",), ("status", "Route")),
    "RtmCloseEnumerationHandle": (("EnumerationHandle",), ("status",)),
    "RtmBlockDeleteRoutes": (("ClientHandle", "EnumerationFlags", "CriteriaRoute"), ("status",)),
    "RtmGetFirstRoute": (("ProtocolFamily", "EnumerationFlags", "Route"), ("status", "Route")),
    "RtmGetNextRoute": (("ProtocolFamily", "EnumerationFlags", "Route"), ("status", "Route")),
    "RtmGetSpecificRoute": (("ProtocolFamily", "Route"), ("status", "Route")),
    "RtmLookupIPDestination": (("DestAddress",), ("status", "Found", "Route")),
}

V1_STRUCTURES = """IP_NETWORK IP_NEXT_HOP_ADDRESS IP_SPECIFIC_DATA PROTOCOL_SPECIFIC_DATA RTM_IP_ROUTE IPX_NETWORK
IPX_NEXT_HOP_ADDRESS IPX_SPECIFIC_DATA RTM_IPX_ROUTE""".split()
V2_STRUCTURES = """RTM_NET_ADDRESS RTM_ENTITY_ID RTM_ENTITY_INFO RTM_PREF_INFO RTM_NEXTHOP_LIST RTM_ROUTE_INFO
RTM_DEST_INFO RTM_NEXTHOP_INFO RTM_REGN_PROFILE RTM_ENTITY_EXPORT_METHODS RTM_ENTITY_METHOD_INPUT
RTM_ENTITY_METHOD_OUTPUT""".split()


class TestV2Surface:
    @pytest.mark.parametrize("name", RTMV2_FUNCTIONS)
    def test_every_rtmv2_function_is_a_method(self, name: str) -> None:
        """Binding rule 1: each rtmv2.h function is a RoutingTableManager method taking RtmRegHandle first."""
        method = getattr(v2model.RoutingTableManager, name)
        params = list(inspect.signature(method).parameters)
        assert ["self", "RtmRegHandle"] == params[:2] or (name == "RtmRegisterEntity" and params[1] == "RtmEntityInfo")

    def test_results_start_with_status(self) -> None:
        """Binding rule 3: every method returns a NamedTuple whose first field is status."""
        for name in RTMV2_FUNCTIONS:
            result = typing.get_type_hints(getattr(v2model.RoutingTableManager, name))["return"]
            assert "status" == result._fields[0], name

    @pytest.mark.parametrize("name", V2_STRUCTURES)
    def test_structures_exported(self, name: str) -> None:
        """The RTMv2 structures keep their C names (M-STRUCTURES)."""
        assert name in v2model.__all__

    def test_helpers_exported(self) -> None:
        """The main objects: net_address, ManualClock, RoutingTableManager, WinError."""
        for name in ("net_address", "ManualClock", "RoutingTableManager", "WinError", "RtmConfig", "LeakReport"):
            assert name in v2model.__all__

    def test_handle_types_exported(self) -> None:
        """The handle types, the registration handle (Entity) and the public entity handle (EntityHandle) of
        M-ENTITY-KEY among them."""
        for name in ("Entity", "EntityHandle", "Dest", "Route", "NextHop", "NotifyReg", "EnumHandle", "RouteList"):
            assert name in v2model.__all__

    def test_null_exported(self) -> None:
        """v2model.NULL, the C NULL pointer for in/out handle parameters (M-NULL), and its type."""
        assert ("NULL" in v2model.__all__, "NullHandle" in v2model.__all__) == (True, True)

    def test_manager_introspection(self) -> None:
        """The Python-level API beside the rtmv2.h functions: delivery mode, waiting for deliveries, invariants."""
        for name in ("delivery", "wait_for_deliveries", "check_invariants", "close", "process_timers", "leak_report"):
            assert hasattr(v2model.RoutingTableManager, name), name


class TestV1Surface:
    @pytest.mark.parametrize("name", sorted(RTMV1))
    def test_methods_arguments_and_results(self, name: str) -> None:
        """M-BINDING-3: exact argument names (in C order) and result field names."""
        arguments, fields = RTMV1[name]
        method = getattr(rtmcompat.V1Shim, name)
        assert ("self", *arguments) == tuple(inspect.signature(method).parameters)
        assert fields == typing.get_type_hints(method)["return"]._fields

    @pytest.mark.parametrize("name", sorted(RTMV1))
    def test_v1api_protocol_lists_the_method(self, name: str) -> None:
        """V1Shim and V1Reference share the V1Api protocol."""
        assert hasattr(rtmcompat.V1Api, name)

    @pytest.mark.parametrize("name", V1_STRUCTURES)
    def test_structures_exported(self, name: str) -> None:
        """The RTMv1 structures keep their C names (M-STRUCTURES)."""
        assert name in rtmcompat.__all__

    def test_shim_and_reference_satisfy_v1api(self) -> None:
        """A V1Shim and a V1Reference are both V1Api, so any v1 workload runs on either."""
        assert isinstance(rtmcompat.V1Shim(v2model.RoutingTableManager(clock=v2model.ManualClock())), rtmcompat.V1Api)
        assert isinstance(rtmcompat.V1Reference(clock=v2model.ManualClock()), rtmcompat.V1Api)

    @pytest.mark.parametrize("name", sorted(RTMV1))
    def test_reference_has_the_same_signatures(self, name: str) -> None:
        """V1Reference takes the same arguments and returns the same result fields as V1Shim."""
        arguments, fields = RTMV1[name]
        method = getattr(rtmcompat.V1Reference, name)
        assert ("self", *arguments) == tuple(inspect.signature(method).parameters)
        assert fields == typing.get_type_hints(method)["return"]._fields

    def test_shim_without_rtm_makes_and_closes_its_own(self) -> None:
        """V1Shim() with no rtm creates its own RoutingTableManager, which close() shuts."""
        with rtmcompat.V1Shim() as shim:
            assert isinstance(shim.rtm, v2model.RoutingTableManager)

    def test_main_objects(self) -> None:
        """The main objects are importable from rtmcompat."""
        for name in ("V1Shim", "ip_network", "ip_address", "NO_ERROR", "WinError", "INFINITE"):
            assert name in rtmcompat.__all__
