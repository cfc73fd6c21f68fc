"""Win32 status codes (winerror.h values) and the exceptions that carry them inside the model.

Internals raise an :class:`RtmError` subclass; each public method converts it to its status at exactly one
boundary (``_manager._api``), so no bad argument ever escapes as an exception (M-BINDING-5).
"""

from __future__ import annotations

import enum


class WinError(enum.IntEnum):
    """Win32 status codes used by RTMv2, with their winerror.h values (V2-5)."""

    NO_ERROR = 0
    ERROR_SUCCESS = 0
    #: The status of an exported method that raised instead of answering.
    ERROR_INVALID_FUNCTION = 1
    ERROR_FILE_NOT_FOUND = 2
    ERROR_ACCESS_DENIED = 5
    ERROR_INVALID_HANDLE = 6
    ERROR_NOT_ENOUGH_MEMORY = 8
    ERROR_INVALID_DATA = 13
    ERROR_NOT_SUPPORTED = 50
    ERROR_INVALID_PARAMETER = 87
    ERROR_INSUFFICIENT_BUFFER = 122
    #: Model-local: a lock request that real RTM would block on (another entity holds the lock).
    ERROR_BUSY = 170
    ERROR_ALREADY_EXISTS = 183
    ERROR_MORE_DATA = 234
    ERROR_NO_MORE_ITEMS = 259
    #: Model-local: an RtmInvokeMethod call queued because the callee blocked its methods (V2-A-methods).
    ERROR_IO_PENDING = 997
    ERROR_NOT_FOUND = 1168
    ERROR_NO_SYSTEM_RESOURCES = 1450
    ERROR_BAD_CONFIGURATION = 1610


NO_ERROR = WinError.NO_ERROR
ERROR_SUCCESS = WinError.ERROR_SUCCESS
ERROR_INVALID_FUNCTION = WinError.ERROR_INVALID_FUNCTION
ERROR_FILE_NOT_FOUND = WinError.ERROR_FILE_NOT_FOUND
ERROR_ACCESS_DENIED = WinError.ERROR_ACCESS_DENIED
ERROR_INVALID_HANDLE = WinError.ERROR_INVALID_HANDLE
ERROR_NOT_ENOUGH_MEMORY = WinError.ERROR_NOT_ENOUGH_MEMORY
ERROR_INVALID_DATA = WinError.ERROR_INVALID_DATA
ERROR_NOT_SUPPORTED = WinError.ERROR_NOT_SUPPORTED
ERROR_INVALID_PARAMETER = WinError.ERROR_INVALID_PARAMETER
ERROR_INSUFFICIENT_BUFFER = WinError.ERROR_INSUFFICIENT_BUFFER
ERROR_BUSY = WinError.ERROR_BUSY
ERROR_ALREADY_EXISTS = WinError.ERROR_ALREADY_EXISTS
ERROR_MORE_DATA = WinError.ERROR_MORE_DATA
ERROR_NO_MORE_ITEMS = WinError.ERROR_NO_MORE_ITEMS
ERROR_IO_PENDING = WinError.ERROR_IO_PENDING
ERROR_NOT_FOUND = WinError.ERROR_NOT_FOUND
ERROR_NO_SYSTEM_RESOURCES = WinError.ERROR_NO_SYSTEM_RESOURCES
ERROR_BAD_CONFIGURATION = WinError.ERROR_BAD_CONFIGURATION


class RtmError(Exception):
    """A failed RTM operation; ``code`` is the Win32 status the public method returns."""

    code: WinError = WinError.ERROR_INVALID_PARAMETER

    def __init__(self, message: str = "", code: WinError | None = None) -> None:
        super().__init__(message or self.__class__.__name__)
        if code is not None:
            self.code = code


class RtmInvalidHandleError(RtmError, ValueError):
    """A handle that is None, of another kind, stale, closed or from another table (ERROR_INVALID_HANDLE)."""

    code = WinError.ERROR_INVALID_HANDLE


class RtmInvalidParameterError(RtmError, ValueError):
    """A value out of range or a malformed structure (ERROR_INVALID_PARAMETER)."""

    code = WinError.ERROR_INVALID_PARAMETER


class RtmAccessDeniedError(RtmError, PermissionError):
    """The caller does not own the route or next hop (ERROR_ACCESS_DENIED)."""

    code = WinError.ERROR_ACCESS_DENIED


class RtmNotFoundError(RtmError, LookupError):
    """No such destination, route, next hop or opaque slot (ERROR_NOT_FOUND)."""

    code = WinError.ERROR_NOT_FOUND


class RtmAlreadyExistsError(RtmError, FileExistsError):
    """The entity identity is already registered (ERROR_ALREADY_EXISTS)."""

    code = WinError.ERROR_ALREADY_EXISTS


class RtmNotSupportedError(RtmError, ValueError):
    """A view the table does not support (ERROR_NOT_SUPPORTED)."""

    code = WinError.ERROR_NOT_SUPPORTED


class RtmInternalError(RuntimeError):
    """A broken internal invariant: always a bug in the model, never the caller's fault."""
