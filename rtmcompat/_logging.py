"""The mapping log's argument encoding: every in-parameter as JSON-safe data (API.md "The mapping log").

Handles become their readable names, structures dicts of their C field names, bytes hex strings and a change
event the marker ``"<event>"``; the same encoding is what a trace line holds, so a recorded log replays.
"""

from __future__ import annotations

from typing import Any

import attrs

from ._handles import V1Client, V1Enum

EVENT_MARKER = "<event>"


def jsonable(name: str, value: Any) -> Any:
    """One in-parameter of a v1 call as JSON-safe data."""
    if name == "ChangeEvent":
        return None if value is None else EVENT_MARKER
    return _encode(value)


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, V1Client | V1Enum):
        return value.name
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if attrs.has(type(value)):
        return {field.name: _encode(getattr(value, field.name)) for field in attrs.fields(type(value))}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, float):
        return value
    return repr(value)
