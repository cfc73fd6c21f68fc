"""The mapping log's encoding and loggers: every argument and result as JSON-safe data, and the loggers the shim
accepts (MIGRATION.md "The mapping log").

Handles become their readable names, structures dicts of their C field names, IP addresses (the fields of an
IP_NETWORK, an RtmLookupIPDestination address) dotted quads, bytes hex strings, and a change event the marker
``"<event>"``. The encoding looks at exact types only and never raises, whatever the caller passed
(self-referencing structures, objects whose repr or attribute access fails): logging must not change what a call
does (M-HOSTILE).

A structlog bound logger is used as given. A stdlib :class:`logging.Logger` (or ``LoggerAdapter``) is adapted:
each event becomes one INFO record whose message is the event name and its fields as JSON, with the event name
and the fields also in the record's ``rtm_event`` and ``rtm_fields`` attributes (M-LOG-STDLIB).
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

import attrs

from v2model import RoutingTableManager, WinError

from ._handles import ClientHandle, V1Client, V1Enum
from ._names import status_name
from ._v1types import IP_NETWORK, ip_address

EVENT_MARKER = "<event>"
_MAX_DEPTH = 8
_MAX_ITEMS = 64


def jsonable(name: str, value: Any) -> Any:
    """One in- or out-parameter of a v1 call (by its C name) as JSON-safe data."""
    if name == "ChangeEvent":
        return None if value is None else EVENT_MARKER
    if name == "DestAddress" and type(value) is int and 0 <= value <= 0xFFFFFFFF:
        return ip_address(value)
    try:
        return _encode(value, 0)
    except Exception:  # RecursionError, a hostile attribute: the value is shown by its type instead
        return _safe_repr(value)


def _encode(value: Any, depth: int) -> Any:
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else repr(value)
    if depth >= _MAX_DEPTH:
        return "..."
    if kind is V1Client or kind is V1Enum or kind is ClientHandle:
        return value.name
    if kind is bytes or kind is bytearray:
        return bytes(value).hex()
    if kind is IP_NETWORK:
        return {field: _dotted(getattr(value, field), depth) for field in ("N_NetNumber", "N_NetMask")}
    if attrs.has(kind):
        return {field.name: _encode(getattr(value, field.name), depth + 1) for field in attrs.fields(kind)}
    if kind is list or kind is tuple:
        return [_encode(item, depth + 1) for item in value[:_MAX_ITEMS]]
    return _safe_repr(value)


def _dotted(value: Any, depth: int) -> Any:
    if type(value) is int and 0 <= value <= 0xFFFFFFFF:
        return ip_address(value)
    return _encode(value, depth + 1)


def _safe_repr(value: Any) -> str:
    try:
        text = repr(value)
        if type(text) is not str:
            raise TypeError
    except Exception:
        try:
            return f"<{type(value).__name__}>"
        except Exception:
            return "<object>"
    return text if len(text) <= 200 else text[:197] + "..."


def encode_result(result: tuple[Any, ...]) -> dict[str, Any]:
    """A result's out-parameters after ``status``, by their result field names."""
    fields: tuple[str, ...] = getattr(type(result), "_fields", ())
    return {name: jsonable(name, value) for name, value in zip(fields[1:], result[1:], strict=True)}


class CallRecorder:
    """Stands in for the RoutingTableManager while a mapping logger is set: counts each v2 call of the current v1
    call or aging pass (``current``: name -> [count, failed], in order of first use; None: nothing recorded)."""

    def __init__(self, rtm: RoutingTableManager) -> None:
        self._rtm = rtm
        self.current: dict[str, list[int]] | None = None

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._rtm, name)

        def call(*args: Any) -> Any:
            log = self.current
            if log is None:
                return method(*args)
            counts = log.setdefault(name, [0, 0])  # entered before the call: the order is that of first use
            counts[0] += 1
            result = method(*args)
            if result[0] not in _ACCEPTED:
                counts[1] += 1
            return result

        setattr(self, name, call)
        return call

    def merge(self, calls: dict[str, list[int]]) -> None:
        """Count ``calls`` (recorded apart) with the current ones."""
        current = self.current
        if current is None:
            return
        for call, (count, fail) in calls.items():
            counts = current.setdefault(call, [0, 0])
            counts[0] += count
            counts[1] += fail


_ACCEPTED = (WinError.NO_ERROR, WinError.ERROR_NO_MORE_ITEMS)


def v2_list(calls: dict[str, list[int]] | None) -> list[dict[str, Any]]:
    """The ``v2`` key: ``{"call", "count", "failed"}`` per RTMv2 function, in order of first use."""
    return [{"call": call, "count": c, "failed": f} for call, (c, f) in (calls or {}).items()]


def call_event(
    function: str,
    names: tuple[str, ...],
    args: tuple[Any, ...],
    result: tuple[Any, ...],
    calls: dict[str, list[int]] | None,
    where: tuple[int, int, str, str],
) -> dict[str, Any]:
    """The fields of one ``rtm.v1_call`` event; ``where`` is (seq, time_ms, thread, reason)."""
    seq, time_ms, thread, reason = where
    status = int(result[0])
    fields: dict[str, Any] = {
        "v1": function,
        "args": {n: jsonable(n, a) for n, a in zip(names, args, strict=True)},
        "status": status,
        "v2": v2_list(calls),
    }
    client = args[0] if names[0] == "ClientHandle" and type(args[0]) is V1Client else None
    if function == "RtmRegisterClient" and type(result[1]) is V1Client:
        client = result[1]
    if client is not None:
        fields["client"] = jsonable("ClientHandle", client)
    fields["seq"] = seq
    fields["time_ms"] = time_ms
    fields["thread"] = thread
    fields["status_name"] = status_name(function, status)
    fields["out"] = encode_result(result)
    if failed(function, status):
        fields["reason"] = reason or fields["status_name"]
    return fields


def aging_event(time_ms: int, removed: list[tuple[Any, Any]], calls: dict[str, list[int]] | None) -> dict[str, Any]:
    """The fields of one ``rtm.v1_aging`` event: ``removed`` holds (client, route structure) in removal order."""
    routes = [
        {"client": jsonable("ClientHandle", client), "Route": jsonable("Route", route)} for client, route in removed
    ]
    return {"time_ms": time_ms, "routes": routes, "v2": v2_list(calls)}


#: v1 functions whose ERROR_NO_MORE_ITEMS (259) ends a successful walk or drain: it carries no reason.
_ENDS_AT_259 = frozenset({"RtmDequeueRouteChangeMessage", "RtmEnumerateGetNextRoute"})


def failed(function: str, status: int) -> bool:
    """Whether a v1 call failed: any status but NO_ERROR, ERROR_MORE_MESSAGES, and the 259 that ends a dequeue
    loop or an enumeration (M-LOG-TRACE; MIGRATION.md "The mapping log")."""
    if status in (WinError.NO_ERROR, WinError.ERROR_MORE_DATA):
        return False
    return not (status == WinError.ERROR_NO_MORE_ITEMS and function in _ENDS_AT_259)


class _LazyJson:
    """The fields as JSON, rendered only when a handler formats the record."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = fields

    def __str__(self) -> str:
        return json.dumps(self._fields, default=str, sort_keys=False)


class StdlibMappingLogger:
    """A stdlib logger as a mapping logger: ``info(event, **fields)`` becomes one INFO record (M-LOG-STDLIB)."""

    def __init__(self, logger: logging.Logger | logging.LoggerAdapter[Any]) -> None:
        self.logger = logger

    def info(self, event: str, **fields: Any) -> None:
        """Log one event: message ``"<event> <fields as JSON>"``, attributes ``rtm_event`` and ``rtm_fields``."""
        logger = self.logger
        if logger.isEnabledFor(logging.INFO):
            logger.info("%s %s", event, _LazyJson(fields), extra={"rtm_event": event, "rtm_fields": fields})


def adapt_logger(logger: Any) -> Any:
    """The logger the shim emits to: None, a structlog bound logger as given, a stdlib logger adapted; anything
    else is refused with TypeError (at construction, before any call takes effect)."""
    if logger is None:
        return None
    if isinstance(logger, logging.Logger | logging.LoggerAdapter):
        return StdlibMappingLogger(logger)
    try:
        info = logger.info
    except Exception:
        info = None
    if not callable(info):
        raise TypeError(
            "mapping_logger must be a structlog bound logger (with .info(event, **fields)), a logging.Logger, "
            f"or None; got {_safe_repr(logger)}"
        )
    return logger
