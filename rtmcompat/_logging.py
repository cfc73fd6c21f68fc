"""The mapping log's argument encoding: every in-parameter as JSON-safe data (API.md "The mapping log").

Handles become their readable names, structures dicts of their C field names, IP addresses (the fields of an
IP_NETWORK, an RtmLookupIPDestination address) dotted quads, bytes hex strings, and a change event the marker
``"<event>"``. The encoding never raises, whatever the caller passed (self-referencing structures, objects whose
repr fails): logging must not change what a call does.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._handles import V1Client, V1Enum
from ._v1types import IP_NETWORK, ip_address

EVENT_MARKER = "<event>"
_MAX_DEPTH = 8


def jsonable(name: str, value: Any) -> Any:
    """One in-parameter of a v1 call as JSON-safe data."""
    if name == "ChangeEvent":
        return None if value is None else EVENT_MARKER
    if name == "DestAddress" and type(value) is int and 0 <= value <= 0xFFFFFFFF:
        return ip_address(value)
    try:
        return _encode(value, 0)
    except Exception:
        return _safe_repr(value)


def _encode(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool | str | float):
        return value
    if isinstance(value, int):
        return int(value)
    if depth >= _MAX_DEPTH:
        return "..."
    if isinstance(value, V1Client | V1Enum):
        return value.name
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if type(value) is IP_NETWORK:
        return {field: _dotted(getattr(value, field), depth) for field in ("N_NetNumber", "N_NetMask")}
    if attrs.has(type(value)):
        return {field.name: _encode(getattr(value, field.name), depth + 1) for field in attrs.fields(type(value))}
    if isinstance(value, list | tuple):
        return [_encode(item, depth + 1) for item in value]
    return _safe_repr(value)


def _dotted(value: Any, depth: int) -> Any:
    if type(value) is int and 0 <= value <= 0xFFFFFFFF:
        return ip_address(value)
    return _encode(value, depth + 1)


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception:
        return f"<{type(value).__name__}>"
