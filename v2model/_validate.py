"""Argument checks for the C-typed parameters; each raises RtmInvalidParameterError on a bad value."""

from __future__ import annotations

from typing import Any, cast

from ._errors import RtmInvalidParameterError
from ._prefix import safe_repr

ULONG_MAX = 0xFFFFFFFF
USHORT_MAX = 0xFFFF
UCHAR_MAX = 0xFF


#: Types whose values can be shared as they are (M-ESI).
_SCALARS = frozenset({type(None), bool, int, float, str, bytes})
_MAX_NESTING = 16


def immutable(value: object, depth: int = 0) -> bool:
    """Whether ``value`` is None, bool, int, float, str or bytes, or a tuple (a named tuple included) or frozenset
    of those: a value nobody can change, which the model keeps and hands out as given (M-ESI). Never runs the
    value's own code."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if depth >= _MAX_NESTING:
        return False
    if kind is tuple or kind is frozenset:
        return all(immutable(item, depth + 1) for item in cast("tuple[object, ...]", value))
    if type(kind) is type and issubclass(kind, tuple) and kind.__dictoffset__ == 0:  # a named tuple: no __dict__
        return all(immutable(item, depth + 1) for item in tuple.__iter__(cast("tuple[object, ...]", value)))
    return False


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


def plain_bytes(value: object) -> bytes | None:
    """``value`` as exact bytes when it is bytes or a bytearray (subclasses included, read through the base
    type so no override runs); None for anything else."""
    kind = type(value)
    if kind is bytes:
        return cast(bytes, value)
    if issubclass(kind, bytes):
        return bytes.__getitem__(cast(bytes, value), slice(None))
    if issubclass(kind, bytearray):
        return bytes(bytearray.__getitem__(cast(bytearray, value), slice(None)))
    return None


def count_and_list(count: Any, items: Any, what: str) -> list[Any]:
    """A C count beside an array: ``count`` must be an int equal to ``len(items)`` (M-BINDING-2:
    the count equals the list's length); returns the items as a list."""
    n = ulong(count, f"Num{what}")
    kind = type(items)
    if kind is not list and kind is not tuple:  # exactly: a subclass's len or iter could be anything
        if n == 0 and items is None:
            return []
        raise RtmInvalidParameterError(f"{what} must be a list")
    if n != len(items):
        raise RtmInvalidParameterError(f"Num{what} ({n}) differs from the length of {what} ({len(items)})")
    return list(items)
