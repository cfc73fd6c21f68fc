"""Status and flag names: each v1 function's documented alias of a shared Win32 value."""

from __future__ import annotations

import pytest

from rtmcompat._names import change_flag_names, enumeration_flag_names, registration_flag_names, status_name


class TestStatusName:
    @pytest.mark.parametrize(
        ("function", "name"),
        [
            ("RtmDequeueRouteChangeMessage", "ERROR_NO_MESSAGES"),
            ("RtmEnumerateGetNextRoute", "ERROR_NO_MORE_ROUTES"),
            ("RtmDeleteRoute", "ERROR_NO_SUCH_ROUTE"),
            ("RtmCreateEnumerationHandle", "ERROR_NO_ROUTES"),
            ("RtmBlockDeleteRoutes", "ERROR_NO_ROUTES"),
            ("RtmGetFirstRoute", "ERROR_NO_ROUTES"),
            ("RtmGetNextRoute", "ERROR_NO_ROUTES"),
            ("RtmGetSpecificRoute", "ERROR_NO_ROUTES"),
        ],
    )
    def test_259_has_the_alias_each_function_documents(self, function: str, name: str) -> None:
        """rtm.h gives ERROR_NO_MORE_ITEMS four v1 names; each function's page uses one of them."""
        assert name == status_name(function, 259)

    def test_other_aliases_and_plain_names(self) -> None:
        """234 is ERROR_MORE_MESSAGES and 183 ERROR_CLIENT_ALREADY_EXISTS; others keep their Win32 names."""
        assert "ERROR_MORE_MESSAGES" == status_name("RtmDequeueRouteChangeMessage", 234)
        assert "ERROR_CLIENT_ALREADY_EXISTS" == status_name("RtmRegisterClient", 183)
        assert "NO_ERROR" == status_name("RtmAddRoute", 0)
        assert "ERROR_INVALID_HANDLE" == status_name("RtmAddRoute", 6)
        assert "ERROR_NO_MORE_ITEMS" == status_name("RtmIsRoute", 259)
        assert "STATUS_4242" == status_name("RtmAddRoute", 4242)


class TestFlagNames:
    def test_change_flags_are_one_name_each(self) -> None:
        """RTM_ROUTE_CHANGED is reported as such, not as its two presence bits."""
        assert (["RTM_NO_CHANGE"], ["RTM_ROUTE_ADDED"], ["RTM_ROUTE_DELETED"], ["RTM_ROUTE_CHANGED"], ["0x10"]) == (
            change_flag_names(0),
            change_flag_names(1),
            change_flag_names(2),
            change_flag_names(3),
            change_flag_names(16),
        )

    def test_enumeration_flags_are_bits(self) -> None:
        """RTM_ONLY_* combine as a mask (the RtmGetSpecificRoute macro ORs three); unknown bits are shown raw."""
        assert [] == enumeration_flag_names(0)
        assert ["RTM_ONLY_THIS_NETWORK", "RTM_ONLY_THIS_INTERFACE", "RTM_ONLY_THIS_PROTOCOL"] == enumeration_flag_names(
            7
        )
        assert ["RTM_ONLY_BEST_ROUTES", "0x30"] == enumeration_flag_names(0x38)

    def test_registration_flags(self) -> None:
        """RTM_PROTOCOL_SINGLE_ROUTE is the only registration flag."""
        assert ([], ["RTM_PROTOCOL_SINGLE_ROUTE"], ["RTM_PROTOCOL_SINGLE_ROUTE", "0x2"]) == (
            registration_flag_names(0),
            registration_flag_names(1),
            registration_flag_names(3),
        )
