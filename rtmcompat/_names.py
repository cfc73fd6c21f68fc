"""Readable names for the numbers RTMv1 returns: statuses under the alias each function documents, and flags.

RTMv1 gives one Win32 value several names: 259 is ``ERROR_NO_MESSAGES`` from RtmDequeueRouteChangeMessage,
``ERROR_NO_MORE_ROUTES`` from RtmEnumerateGetNextRoute, ``ERROR_NO_SUCH_ROUTE`` from RtmDeleteRoute and
``ERROR_NO_ROUTES`` from the calls that select routes (rtm.h and the function pages of the RTMv1 reference,
https://learn.microsoft.com/windows/win32/rras/routing-table-manager-version-1-functions). A person reading a trace,
a log or a report wants the name the function's page uses; programs keep the number.
"""

from __future__ import annotations

from v2model import WinError

from ._constants import (
    RTM_NO_CHANGE,
    RTM_ONLY_BEST_ROUTES,
    RTM_ONLY_THIS_INTERFACE,
    RTM_ONLY_THIS_NETWORK,
    RTM_ONLY_THIS_PROTOCOL,
    RTM_PROTOCOL_SINGLE_ROUTE,
    RTM_ROUTE_ADDED,
    RTM_ROUTE_CHANGED,
    RTM_ROUTE_DELETED,
)

#: The v1 alias of ERROR_NO_MORE_ITEMS (259) each function documents.
_NO_MORE_ITEMS = {
    "RtmDequeueRouteChangeMessage": "ERROR_NO_MESSAGES",
    "RtmEnumerateGetNextRoute": "ERROR_NO_MORE_ROUTES",
    "RtmDeleteRoute": "ERROR_NO_SUCH_ROUTE",
    "RtmCreateEnumerationHandle": "ERROR_NO_ROUTES",
    "RtmBlockDeleteRoutes": "ERROR_NO_ROUTES",
    "RtmGetFirstRoute": "ERROR_NO_ROUTES",
    "RtmGetNextRoute": "ERROR_NO_ROUTES",
    "RtmGetSpecificRoute": "ERROR_NO_ROUTES",
}

#: Aliases rtm.h gives other values, whatever the function.
_ALIASES = {
    int(WinError.ERROR_ALREADY_EXISTS): "ERROR_CLIENT_ALREADY_EXISTS",
    int(WinError.ERROR_MORE_DATA): "ERROR_MORE_MESSAGES",
}

_CHANGE_FLAGS = {
    RTM_NO_CHANGE: "RTM_NO_CHANGE",
    RTM_ROUTE_ADDED: "RTM_ROUTE_ADDED",
    RTM_ROUTE_DELETED: "RTM_ROUTE_DELETED",
    RTM_ROUTE_CHANGED: "RTM_ROUTE_CHANGED",
}

_ENUMERATION_FLAGS = (
    (RTM_ONLY_THIS_NETWORK, "RTM_ONLY_THIS_NETWORK"),
    (RTM_ONLY_THIS_INTERFACE, "RTM_ONLY_THIS_INTERFACE"),
    (RTM_ONLY_THIS_PROTOCOL, "RTM_ONLY_THIS_PROTOCOL"),
    (RTM_ONLY_BEST_ROUTES, "RTM_ONLY_BEST_ROUTES"),
)


def status_name(function: str, status: int) -> str:
    """The name a v1 function's documentation gives ``status``: ``status_name("RtmDeleteRoute", 259)`` is
    ``ERROR_NO_SUCH_ROUTE``. Values no v1 page names fall back to the Win32 name, then to ``STATUS_<n>``."""
    if status == WinError.ERROR_NO_MORE_ITEMS and function in _NO_MORE_ITEMS:
        return _NO_MORE_ITEMS[function]
    if status in _ALIASES:
        return _ALIASES[status]
    try:
        return WinError(status).name
    except ValueError:
        return f"STATUS_{status}"


def change_flag_names(value: int) -> list[str]:
    """The ``Flags`` of RtmAddRoute, RtmDeleteRoute and RtmDequeueRouteChangeMessage: one name per value
    (``RTM_ROUTE_CHANGED``, not its two presence bits); unknown values give ``0x...``."""
    name = _CHANGE_FLAGS.get(value)
    return [name] if name is not None else [f"{value:#x}"]


def enumeration_flag_names(value: int) -> list[str]:
    """The RTM_ONLY_* bits set in ``value`` (empty for 0); unknown bits as one ``0x...`` entry."""
    names = [name for bit, name in _ENUMERATION_FLAGS if value & bit]
    rest = value & ~(RTM_ONLY_THIS_NETWORK | RTM_ONLY_THIS_INTERFACE | RTM_ONLY_THIS_PROTOCOL | RTM_ONLY_BEST_ROUTES)
    if rest:
        names.append(f"{rest:#x}")
    return names


def registration_flag_names(value: int) -> list[str]:
    """RtmRegisterClient's ``Flags``: ``RTM_PROTOCOL_SINGLE_ROUTE`` or nothing; unknown bits as ``0x...``."""
    names = ["RTM_PROTOCOL_SINGLE_ROUTE"] if value & RTM_PROTOCOL_SINGLE_ROUTE else []
    rest = value & ~RTM_PROTOCOL_SINGLE_ROUTE
    if rest:
        names.append(f"{rest:#x}")
    return names
