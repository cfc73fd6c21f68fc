"""Next hops (V2-2.5, V2-6.4, V2-6.7, V2-A-nexthop): RtmAddNextHop, RtmFindNextHop, RtmDeleteNextHop, RtmGetNextHopInfo,
RtmReleaseNextHopInfo, RtmReleaseNextHops."""

from __future__ import annotations

import re
from typing import Any

import pytest

import v2model
from v2model import (
    ERROR_ACCESS_DENIED,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_NEXTHOP_CHANGE_NEW,
    RTM_NEXTHOP_FLAGS_DOWN,
    RTM_NEXTHOP_FLAGS_REMOTE,
    RTM_NEXTHOP_INFO,
    RTM_NEXTHOP_STATE_CREATED,
    RTM_NEXTHOP_STATE_DELETED,
    RTM_VIEW_MASK_UCAST,
    RoutingTableManager,
    net_address,
)

from .matrix_support import add, add_nexthop, best_in, exact, open_handles, read_nexthop, read_route, register_in
from .support import route_info


def nh_info(address: str = "192.0.2.1", ifindex: int = 1, **fields: Any) -> RTM_NEXTHOP_INFO:
    """An RTM_NEXTHOP_INFO with a host address."""
    return RTM_NEXTHOP_INFO(NextHopAddress=net_address(address), InterfaceIndex=ifindex, **fields)


@pytest.fixture
def rip(rtm: RoutingTableManager) -> v2model.Entity:
    """A RIP entity."""
    return register_in(rtm, PROTO_IP_RIP)


@pytest.fixture
def ospf(rtm: RoutingTableManager) -> v2model.Entity:
    """An OSPF entity."""
    return register_in(rtm, PROTO_IP_OSPF)


class TestRtmAddNextHop:
    def test_creates_a_next_hop(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """A new (address, interface) creates a next hop: RTM_NEXTHOP_CHANGE_NEW and a referenced handle
        (V2-6.7)."""
        status, handle, flags = rtm.RtmAddNextHop(rip, nh_info(), None)
        assert (NO_ERROR, RTM_NEXTHOP_CHANGE_NEW) == (status, flags)
        assert isinstance(handle, v2model.NextHop)
        assert re.fullmatch(r"<nexthop 192\.0\.2\.1/32%1 RIP#\d+>", repr(handle))
        assert (1, 1) == (rtm.statistics()["next_hops"], open_handles(rtm))

    def test_finds_an_existing_next_hop(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """The same (address, interface) finds the existing next hop: same handle, ChangeFlags 0 (updated), and
        one more reference for the caller (V2-6.7, V2-7 "existing one returned")."""
        first = add_nexthop(rtm, rip, "192.0.2.1", 1)
        status, again, flags = rtm.RtmAddNextHop(rip, nh_info(), None)
        assert (NO_ERROR, first, 0) == (status, again, flags)
        assert (1, 2) == (rtm.statistics()["next_hops"], open_handles(rtm))

    def test_interface_is_part_of_the_identity(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """The same address on another interface is another next hop (V2-2.5)."""
        first = add_nexthop(rtm, rip, "192.0.2.1", 1)
        status, second, flags = rtm.RtmAddNextHop(rip, nh_info(ifindex=2), None)
        assert (NO_ERROR, RTM_NEXTHOP_CHANGE_NEW) == (status, flags)
        assert second is not first

    def test_lists_are_per_entity(self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity) -> None:
        """Every entity owns a private next-hop list (V2-2.5): another entity adding the same address and
        interface creates its own next hop."""
        mine = add_nexthop(rtm, rip, "192.0.2.1", 1)
        status, theirs, flags = rtm.RtmAddNextHop(ospf, nh_info(), None)
        assert (NO_ERROR, RTM_NEXTHOP_CHANGE_NEW) == (status, flags)
        assert theirs is not None
        assert theirs is not mine
        assert ospf == read_nexthop(rtm, rip, theirs).NextHopOwner

    def test_find_or_create_updates_writable_fields(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Adding an existing next hop again sets its writable fields Flags and EntitySpecificInfo (V2-2.5)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmAddNextHop(rip, nh_info(Flags=RTM_NEXTHOP_FLAGS_REMOTE, EntitySpecificInfo="cookie"), None)
        info = read_nexthop(rtm, rip, nh)
        assert (RTM_NEXTHOP_FLAGS_REMOTE, "cookie") == (info.Flags, info.EntitySpecificInfo)

    def test_owner_and_state_inputs_are_ignored(
        self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity
    ) -> None:
        """NextHopOwner and State are set by RTM and ignored on input (V2-2.5)."""
        status, nh, _ = rtm.RtmAddNextHop(rip, nh_info(NextHopOwner=ospf, State=RTM_NEXTHOP_STATE_DELETED), None)
        assert NO_ERROR == status
        assert nh is not None
        info = read_nexthop(rtm, rip, nh)
        assert (rip, RTM_NEXTHOP_STATE_CREATED) == (info.NextHopOwner, info.State)

    def test_update_by_handle(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """With a handle, that next hop is updated: same handle back, ChangeFlags 0 and no new reference
        (V2-6.7)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        result = rtm.RtmAddNextHop(rip, nh_info(Flags=RTM_NEXTHOP_FLAGS_DOWN), nh)
        assert (NO_ERROR, nh, 0) == result
        assert RTM_NEXTHOP_FLAGS_DOWN == read_nexthop(rtm, rip, nh).Flags
        assert 1 == open_handles(rtm)

    def test_update_by_handle_keeps_its_identity(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Address and interface can never change: with a handle, a different NextHopInfo address and interface
        are ignored and only the writable fields change (V2-2.5, V2-A-nexthop)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        assert NO_ERROR == rtm.RtmAddNextHop(rip, nh_info("198.51.100.7", 9, EntitySpecificInfo=7), nh).status
        info = read_nexthop(rtm, rip, nh)
        assert (net_address("192.0.2.1"), 1, 7) == (info.NextHopAddress, info.InterfaceIndex, info.EntitySpecificInfo)
        assert 1 == rtm.statistics()["next_hops"]

    def test_update_of_another_owners_next_hop_is_denied(
        self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity
    ) -> None:
        """Only the owner updates a next hop: another owner's handle gives ERROR_ACCESS_DENIED and changes
        nothing (V2-6.7, V2-A-nexthop)."""
        theirs = add_nexthop(rtm, ospf, "192.0.2.2", 1)
        assert (ERROR_ACCESS_DENIED, None, None) == rtm.RtmAddNextHop(rip, nh_info(Flags=1), theirs)
        assert 0 == read_nexthop(rtm, ospf, theirs).Flags

    def test_flags_other_than_remote_and_down(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Flags may be REMOTE and DOWN only (V2-6.7); other bits are ERROR_INVALID_PARAMETER."""
        assert (ERROR_INVALID_PARAMETER, None, None) == rtm.RtmAddNextHop(rip, nh_info(Flags=0x4), None)
        assert 0 == rtm.statistics()["next_hops"]

    def test_remote_next_hop_is_kept(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """RemoteNextHop (the destination resolving a remote next hop) is stored and reported; RTM keeps its own
        reference, so the caller may release its destination information (V2-2.5, V2-A-nexthop)."""
        local = add_nexthop(rtm, rip, "192.0.2.1", 1)
        add(rtm, rip, "198.51.100.0/24", route_info(local))
        dest_info = exact(rtm, rip, "198.51.100.0/24")
        status, remote, _ = rtm.RtmAddNextHop(
            rip,
            nh_info("198.51.100.9", 0, Flags=RTM_NEXTHOP_FLAGS_REMOTE, RemoteNextHop=dest_info.DestHandle),
            None,
        )
        assert NO_ERROR == status
        assert remote is not None
        assert NO_ERROR == rtm.RtmReleaseDestInfo(rip, dest_info).status
        assert dest_info.DestHandle == read_nexthop(rtm, rip, remote).RemoteNextHop

    def test_structure_is_copied(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Mutating the NextHopInfo passed in afterwards changes nothing (binding rule 6)."""
        info = nh_info()
        _, nh, _ = rtm.RtmAddNextHop(rip, info, None)
        assert nh is not None
        info.NextHopAddress.NumBits = 8
        info.InterfaceIndex = 5
        info.Flags = RTM_NEXTHOP_FLAGS_REMOTE
        stored = read_nexthop(rtm, rip, nh)
        assert (net_address("192.0.2.1"), 1, 0) == (stored.NextHopAddress, stored.InterfaceIndex, stored.Flags)


class TestRtmFindNextHop:
    def test_finds_with_a_reference_and_a_pointer(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """The caller's next hop is found by (address, interface): a referenced handle and a read-only pointer
        with its fields (V2-6.7)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 3)
        status, found, pointer = rtm.RtmFindNextHop(rip, nh_info(ifindex=3))
        assert (NO_ERROR, nh) == (status, found)
        assert pointer is not None
        assert (net_address("192.0.2.1"), 3, rip) == (
            pointer.NextHopAddress,
            pointer.InterfaceIndex,
            pointer.NextHopOwner,
        )
        assert 2 == open_handles(rtm)

    def test_absent_is_not_found(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """An address or interface not in the caller's list gives ERROR_NOT_FOUND (V2-6.7)."""
        add_nexthop(rtm, rip, "192.0.2.1", 3)
        assert (ERROR_NOT_FOUND, None, None) == rtm.RtmFindNextHop(rip, nh_info(ifindex=4))
        assert (ERROR_NOT_FOUND, None, None) == rtm.RtmFindNextHop(rip, nh_info("192.0.2.2", 3))

    def test_searches_only_the_callers_list(
        self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity
    ) -> None:
        """Another entity's next hop is not found (V2-A-nexthop: only the caller's list is searched)."""
        add_nexthop(rtm, ospf, "192.0.2.1", 1)
        assert (ERROR_NOT_FOUND, None, None) == rtm.RtmFindNextHop(rip, nh_info())

    def test_deleted_next_hop_is_not_found(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """A deleted next hop leaves the owner's list (V2-A-nexthop)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmDeleteNextHop(rip, nh, None)
        assert (ERROR_NOT_FOUND, None, None) == rtm.RtmFindNextHop(rip, nh_info())


class TestRtmDeleteNextHop:
    def test_delete_by_handle_consumes_it(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Deleting by handle releases that handle (V2-2.13): the caller holds nothing, a second release is
        ERROR_INVALID_HANDLE, and the unreferenced next hop is freed (its handle invalid, V2-A-refs)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        assert (NO_ERROR,) == rtm.RtmDeleteNextHop(rip, nh, None)
        assert (0, 0) == (rtm.statistics()["next_hops"], open_handles(rtm))
        assert (ERROR_INVALID_HANDLE,) == rtm.RtmReleaseNextHops(rip, 1, [nh])
        assert (ERROR_INVALID_HANDLE, None) == rtm.RtmGetNextHopInfo(rip, nh)
        assert repr(nh).endswith("(invalid)>")

    def test_delete_by_info(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Without a handle the next hop is found by address and interface; the caller's own handle is not
        consumed (V2-6.7)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        assert (NO_ERROR,) == rtm.RtmDeleteNextHop(rip, None, nh_info())
        assert (0, 1) == (rtm.statistics()["next_hops"], open_handles(rtm))
        assert RTM_NEXTHOP_STATE_DELETED == read_nexthop(rtm, rip, nh).State
        assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [nh]).status

    def test_delete_by_info_absent(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Deleting by information that matches nothing gives ERROR_NOT_FOUND (V2-A-nexthop)."""
        add_nexthop(rtm, rip, "192.0.2.1", 1)
        assert (ERROR_NOT_FOUND,) == rtm.RtmDeleteNextHop(rip, None, nh_info(ifindex=2))
        assert 1 == rtm.statistics()["next_hops"]

    def test_another_owners_next_hop_is_denied(
        self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity
    ) -> None:
        """Only the owner deletes its next hop: ERROR_ACCESS_DENIED otherwise (V2-6.7)."""
        theirs = add_nexthop(rtm, ospf, "192.0.2.2", 1)
        rtm.RtmReferenceHandles(rip, 1, [theirs])
        assert (ERROR_ACCESS_DENIED,) == rtm.RtmDeleteNextHop(rip, theirs, None)
        assert RTM_NEXTHOP_STATE_CREATED == read_nexthop(rtm, rip, theirs).State

    def test_already_deleted_is_not_found(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """A next hop already deleted (handle still held) gives ERROR_NOT_FOUND and the handle is not consumed
        (V2-A-nexthop, as A-delete for routes)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmReferenceHandles(rip, 1, [nh])
        rtm.RtmDeleteNextHop(rip, nh, None)
        assert (ERROR_NOT_FOUND,) == rtm.RtmDeleteNextHop(rip, nh, None)
        assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [nh]).status

    def test_routes_using_it_keep_working(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Routes that reference a deleted next hop are left untouched: the route stays best and still lists
        the next hop, which reads as DELETED while referenced (V2-A-nexthop)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add(rtm, rip, "10.1.0.0/16", route_info(nh))
        assert NO_ERROR == rtm.RtmDeleteNextHop(rip, nh, None).status
        info = read_route(rtm, rip, route)
        assert (nh, [nh]) == (info.Neighbour, info.NextHopsList.NextHops)
        assert RTM_VIEW_MASK_UCAST == best_in(rtm, rip, route)
        assert RTM_NEXTHOP_STATE_DELETED == read_nexthop(rtm, rip, nh).State

    def test_deleted_next_hop_is_freed_with_its_last_route(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Once the last route using a deleted next hop is deleted, nothing references it and its handle is
        invalid (V2-A-refs)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        route, _ = add(rtm, rip, "10.1.0.0/16", route_info(nh))
        rtm.RtmDeleteNextHop(rip, nh, None)
        assert NO_ERROR == rtm.RtmDeleteRouteToDest(rip, route).status
        assert (ERROR_INVALID_HANDLE, None) == rtm.RtmGetNextHopInfo(rip, nh)

    def test_same_address_later_is_a_new_next_hop(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """After deletion the same (address, interface) creates a new next hop with a new handle
        (binding rule 7)."""
        old = add_nexthop(rtm, rip, "192.0.2.1", 1)
        rtm.RtmDeleteNextHop(rip, old, None)
        status, new, flags = rtm.RtmAddNextHop(rip, nh_info(), None)
        assert (NO_ERROR, RTM_NEXTHOP_CHANGE_NEW) == (status, flags)
        assert new is not old


class TestRtmGetNextHopInfo:
    def test_reports_the_record(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """A copy of the next-hop record: address, owner, interface, state, flags, owner data, no remote
        (V2-6.4)."""
        _, nh, _ = rtm.RtmAddNextHop(rip, nh_info(ifindex=4, EntitySpecificInfo="esi"), None)
        assert nh is not None
        expected = RTM_NEXTHOP_INFO(
            NextHopAddress=net_address("192.0.2.1"),
            NextHopOwner=rip,
            InterfaceIndex=4,
            State=RTM_NEXTHOP_STATE_CREATED,
            Flags=0,
            EntitySpecificInfo="esi",
            RemoteNextHop=None,
        )
        assert (NO_ERROR, expected) == rtm.RtmGetNextHopInfo(rip, nh)

    def test_any_caller_may_read(self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity) -> None:
        """Next-hop information is available to any entity of the table (V2-6.4)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        assert rip == read_nexthop(rtm, ospf, nh).NextHopOwner

    def test_owner_handle_is_referenced(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """NextHopOwner inside the structure carries a reference until RtmReleaseNextHopInfo (V2-2.13)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        before = open_handles(rtm)
        info = rtm.RtmGetNextHopInfo(rip, nh).NextHopInfo
        assert info is not None
        assert before + 1 == open_handles(rtm)
        rtm.RtmReleaseNextHopInfo(rip, info)
        assert before == open_handles(rtm)

    def test_is_a_fresh_copy(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Mutating the returned structure changes nothing (binding rule 6)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        info = read_nexthop(rtm, rip, nh)
        info.Flags = RTM_NEXTHOP_FLAGS_REMOTE
        info.NextHopAddress.NumBits = 0
        again = read_nexthop(rtm, rip, nh)
        assert (0, 32) == (again.Flags, again.NextHopAddress.NumBits)


class TestRtmReleaseNextHopInfo:
    def test_second_release_is_invalid(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """A structure is released once; again is ERROR_INVALID_HANDLE with nothing released (V2-A-refs)."""
        nh = add_nexthop(rtm, rip, "192.0.2.1", 1)
        info = rtm.RtmGetNextHopInfo(rip, nh).NextHopInfo
        assert info is not None
        assert (NO_ERROR,) == rtm.RtmReleaseNextHopInfo(rip, info)
        assert (ERROR_INVALID_HANDLE,) == rtm.RtmReleaseNextHopInfo(rip, info)
        assert 1 == open_handles(rtm)

    def test_not_a_next_hop_info(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """Anything but an RTM_NEXTHOP_INFO is ERROR_INVALID_PARAMETER."""
        wrong: Any = v2model.RTM_ROUTE_INFO()
        assert (ERROR_INVALID_PARAMETER,) == rtm.RtmReleaseNextHopInfo(rip, wrong)


class TestRtmReleaseNextHops:
    def test_releases_each_listed_reference(self, rtm: RoutingTableManager, rip: v2model.Entity) -> None:
        """One reference per listed handle (V2-6.8)."""
        one = add_nexthop(rtm, rip, "192.0.2.1", 1)
        two = add_nexthop(rtm, rip, "192.0.2.2", 1)
        assert (NO_ERROR,) == rtm.RtmReleaseNextHops(rip, 2, [one, two])
        assert 0 == open_handles(rtm)
        assert 2 == rtm.statistics()["next_hops"]

    def test_all_or_nothing(self, rtm: RoutingTableManager, rip: v2model.Entity, ospf: v2model.Entity) -> None:
        """If any listed handle is not held by the caller, ERROR_INVALID_HANDLE and none is released
        (V2-A-refs)."""
        mine = add_nexthop(rtm, rip, "192.0.2.1", 1)
        theirs = add_nexthop(rtm, ospf, "192.0.2.2", 1)
        assert (ERROR_INVALID_HANDLE,) == rtm.RtmReleaseNextHops(rip, 2, [mine, theirs])
        assert 2 == open_handles(rtm)
        assert NO_ERROR == rtm.RtmReleaseNextHops(rip, 1, [mine]).status
