"""Argument checks for the C-typed parameters; each raises RtmInvalidParameterError on a bad value."""

from __future__ import annotations

from typing import Any

from ._errors import RtmInvalidParameterError
from ._prefix import safe_repr

ULONG_MAX = 0xFFFFFFFF
USHORT_MAX = 0xFFFF
UCHAR_MAX = 0xFF


def ulong(value: Any, what: str) -> int:
    """A ULONG/DWORD/UINT: an int in 0..0xFFFFFFFF."""
    if type(value) is not int or not 0 <= value <= ULONG_MAX:
        if type(value) is bool:
            return int(value)
        raise RtmInvalidParameterError(f"{what} must be an int in 0..0xFFFFFFFF, not {safe_repr(value)}")
    return value


def ushort(value: Any, what: str) -> int:
    """A USHORT: an int in 0..0xFFFF."""
    if type(value) is not int or not 0 <= value <= USHORT_MAX:
        raise RtmInvalidParameterError(f"{what} must be an int in 0..0xFFFF, not {safe_repr(value)}")
    return value


def uchar(value: Any, what: str) -> int:
    """A UCHAR: an int in 0..0xFF."""
    if type(value) is not int or not 0 <= value <= UCHAR_MAX:
        raise RtmInvalidParameterError(f"{what} must be an int in 0..0xFF, not {safe_repr(value)}")
    return value


def boolean(value: Any, what: str) -> bool:
    """A BOOL: ``True``/``False`` or an int (non-zero is TRUE)."""
    if type(value) is bool:
        return value
    if type(value) is int and 0 <= value <= ULONG_MAX:
        return value != 0
    raise RtmInvalidParameterError(f"{what} must be a BOOL, not {safe_repr(value)}")


def count_and_list(count: Any, items: Any, what: str) -> list[Any]:
    """A C count beside an array: ``count`` must be an int equal to ``len(items)`` (API.md: the count equals
    the list's length); returns the items as a list."""
    n = ulong(count, f"Num{what}")
    if not isinstance(items, list | tuple):
        if n == 0 and items is None:
            return []
        raise RtmInvalidParameterError(f"{what} must be a list")
    if n != len(items):
        raise RtmInvalidParameterError(f"Num{what} ({n}) differs from the length of {what} ({len(items)})")
    return list(items)
