"""Argument checks and the status exception shared by V1Shim and V1Reference (spec rtmv1 A10-A12, A27, A30)."""

from __future__ import annotations

from typing import Any

from v2model import WinError

from ._constants import INFINITE, RTM_ENUM_FLAGS_VALID, RTM_MAX_TIME_TO_LIVE, RTM_PROTOCOL_SINGLE_ROUTE
from ._v1types import RTM_IP_ROUTE, RTM_IPX_ROUTE


class StatusError(Exception):
    """Ends a v1 call with ``status`` (converted at each API's one boundary)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def invalid() -> StatusError:
    """ERROR_INVALID_PARAMETER."""
    return StatusError(WinError.ERROR_INVALID_PARAMETER)


def dword(value: Any) -> int:
    """A DWORD argument."""
    if type(value) is not int or not 0 <= value <= 0xFFFFFFFF:
        raise invalid()
    return value


def enumeration_flags(value: Any) -> int:
    """RTM_ONLY_* flags; any other bit is ERROR_INVALID_PARAMETER (spec A11)."""
    flags = dword(value)
    if flags & ~RTM_ENUM_FLAGS_VALID:
        raise invalid()
    return flags


def registration(flags: Any, event: Any) -> bool:
    """Check RtmRegisterClient's Flags (0 or RTM_PROTOCOL_SINGLE_ROUTE) and ChangeEvent (None, or an object with
    set() and clear()); returns whether the client keeps a single route per network."""
    value = dword(flags)
    if value & ~RTM_PROTOCOL_SINGLE_ROUTE:
        raise invalid()
    if event is not None and not (callable(getattr(event, "set", None)) and callable(getattr(event, "clear", None))):
        raise invalid()
    return bool(value)


def time_to_live(value: Any) -> int:
    """TimeToLive in seconds: INFINITE or at most 2,147,483 (spec A12)."""
    seconds = dword(value)
    if seconds != INFINITE and seconds > RTM_MAX_TIME_TO_LIVE:
        raise invalid()
    return seconds


def route_age(route: Any, now: int) -> int:
    """RtmGetRouteAge from the caller's copy: whole seconds, clamped to 0xFFFFFFFE; a timestamp of 0 or in the
    future is invalid (spec A27)."""
    if type(route) not in (RTM_IP_ROUTE, RTM_IPX_ROUTE):
        raise invalid()
    stamp = route.RR_TimeStamp
    if type(stamp) is not int or stamp <= 0 or stamp > now:
        raise invalid()
    return min((now - stamp) // 10_000_000, 0xFFFFFFFE)
