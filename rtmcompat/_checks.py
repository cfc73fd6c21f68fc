"""Argument checks and the status exception shared by V1Shim and V1Reference (V1-A10 to V1-A12, V1-A27, V1-A30).

Every check looks at exact types (``type(x) is int``) and never calls a method of the caller's object, so a hostile
argument (one whose ``__eq__``, ``__len__`` or ``__getattribute__`` raises) gives a status like any other bad value
(M-HOSTILE). Each failure carries a one-line reason naming the argument or field and what was expected; the
mapping log shows it (MIGRATION.md "The mapping log").
"""

from __future__ import annotations

from typing import Any

from v2model import WinError

from ._constants import INFINITE, RTM_ENUM_FLAGS_VALID, RTM_MAX_TIME_TO_LIVE, RTM_PROTOCOL_SINGLE_ROUTE
from ._v1types import RTM_IP_ROUTE, RTM_IPX_ROUTE

#: How a failed RTMv2 status is reported to the v1 caller (the error column of the mapping table).
V2_TO_V1: dict[int, int] = {
    WinError.ERROR_ALREADY_EXISTS: WinError.ERROR_ALREADY_EXISTS,  # = ERROR_CLIENT_ALREADY_EXISTS
    WinError.ERROR_NOT_ENOUGH_MEMORY: WinError.ERROR_NOT_ENOUGH_MEMORY,
    WinError.ERROR_NO_SYSTEM_RESOURCES: WinError.ERROR_NO_SYSTEM_RESOURCES,
    WinError.ERROR_INVALID_PARAMETER: WinError.ERROR_INVALID_PARAMETER,
    WinError.ERROR_BAD_CONFIGURATION: WinError.ERROR_NO_SYSTEM_RESOURCES,
}


class StatusError(Exception):
    """Ends a v1 call with ``status`` (converted at each API's one boundary); ``reason`` says in one line which
    argument, field or handle was wrong and what was expected."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(status, reason)
        self.status = status
        self.reason = reason


def invalid(reason: str) -> StatusError:
    """ERROR_INVALID_PARAMETER with its reason."""
    return StatusError(WinError.ERROR_INVALID_PARAMETER, reason)


def shown(value: Any) -> str:
    """A value for a reason: an int as itself, anything else by its type name (never the caller's repr)."""
    if type(value) is int:
        return str(value) if -(10**12) < value < 10**12 else "a huge int"
    if value is None:
        return "None"
    try:
        return type(value).__name__
    except Exception:  # a metaclass whose __name__ raises
        return "an object"


def dword(value: Any, name: str) -> int:
    """A DWORD argument (``name`` is the argument's C name, for the reason)."""
    if type(value) is not int or not 0 <= value <= 0xFFFFFFFF:
        raise invalid(f"{name}: not a DWORD (got {shown(value)})")
    return value


def enumeration_flags(value: Any) -> int:
    """EnumerationFlags: RTM_ONLY_* bits; any other bit is ERROR_INVALID_PARAMETER (V1-A11)."""
    flags = dword(value, "EnumerationFlags")
    if flags & ~RTM_ENUM_FLAGS_VALID:
        raise invalid(f"EnumerationFlags: unknown bits {flags & ~RTM_ENUM_FLAGS_VALID:#x} (only RTM_ONLY_* flags)")
    return flags


def registration_flags(value: Any) -> bool:
    """RtmRegisterClient's Flags (0 or RTM_PROTOCOL_SINGLE_ROUTE); returns whether the client keeps a single route
    per network."""
    flags = dword(value, "Flags")
    if flags & ~RTM_PROTOCOL_SINGLE_ROUTE:
        raise invalid(f"Flags: unknown bits {flags & ~RTM_PROTOCOL_SINGLE_ROUTE:#x} (0 or RTM_PROTOCOL_SINGLE_ROUTE)")
    return bool(flags)


def time_to_live(value: Any) -> int:
    """TimeToLive in seconds: INFINITE or at most 2,147,483 (V1-A12)."""
    seconds = dword(value, "TimeToLive")
    if seconds != INFINITE and seconds > RTM_MAX_TIME_TO_LIVE:
        raise invalid(f"TimeToLive: {seconds} s is above {RTM_MAX_TIME_TO_LIVE} and not INFINITE")
    return seconds


def route_age(route: Any, now: int) -> int:
    """RtmGetRouteAge from the caller's copy: whole seconds, clamped to 0xFFFFFFFE; a timestamp of 0 or in the
    future is invalid (V1-A27)."""
    kind = type(route)
    if kind is not RTM_IP_ROUTE and kind is not RTM_IPX_ROUTE:
        raise invalid(f"Route: not an RTM_IP_ROUTE or RTM_IPX_ROUTE (got {shown(route)})")
    try:
        stamp = route.RR_TimeStamp
    except AttributeError:
        raise invalid("Route.RR_TimeStamp: missing") from None
    if type(stamp) is not int or stamp <= 0:
        raise invalid(f"Route.RR_TimeStamp: not a FILETIME after 1601 (got {shown(stamp)})")
    if stamp > now:
        raise invalid("Route.RR_TimeStamp: in the future")
    return min((now - stamp) // 10_000_000, 0xFFFFFFFE)


def priorities(mapping: Any) -> dict[int, int]:
    """A constructor's ``protocol_priority``: protocol id -> priority, both DWORDs (V1-A3); anything else is
    refused at construction (TypeError / ValueError), before any call could store a bad FSD_Priority."""
    if mapping is None:
        return {}
    try:
        items = list(dict(mapping).items())
    except Exception:
        raise TypeError("protocol_priority must be a mapping of protocol id to priority") from None
    for protocol, priority in items:
        if type(protocol) is not int or type(priority) is not int:
            raise TypeError("protocol_priority maps int protocol ids to int priorities")
        if not (0 <= protocol <= 0xFFFFFFFF and 0 <= priority <= 0xFFFFFFFF):
            raise ValueError("protocol_priority: protocol ids and priorities are DWORDs")
    return dict(items)


def v2_failure(call: str, status: int) -> StatusError:
    """A v2 call failed where a port expects success: the mapped v1 status, the v2 call named in the reason."""
    return StatusError(V2_TO_V1.get(status, status), f"RTMv2 {call} failed with {status_text(status)}")


def status_text(status: int) -> str:
    """A status as its Win32 name, else its number."""
    try:
        return WinError(status).name
    except ValueError:
        return str(status)
