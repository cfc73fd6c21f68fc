"""Injected time: a manual clock for deterministic tests and replays, and the system clock.

Nothing else in the project reads the wall clock. Both clocks give milliseconds for
deadlines (``now_ms``) and FILETIMEs for timestamps (``filetime``), which are never 0 (M-TIME).
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

#: FILETIME of 1970-01-01T00:00Z: 100 ns ticks since 1601-01-01.
FILETIME_UNIX_EPOCH = 116444736000000000
#: FILETIME ticks per millisecond.
TICKS_PER_MS = 10_000


@runtime_checkable
class Clock(Protocol):
    """What the RTM needs from a clock."""

    #: True when time moves by itself (a timer thread must age routes while nobody calls).
    realtime: bool

    def now_ms(self) -> int:
        """Milliseconds on a monotonic scale; deadlines are compared against this."""
        ...

    def filetime(self) -> int:
        """The current time as a FILETIME (100 ns ticks since 1601-01-01 UTC), never 0."""
        ...


class ManualClock:
    """Virtual time in milliseconds that moves only on :meth:`advance`.

    Clock time ``t`` ms is FILETIME ``116444736000000000 + t * 10_000`` (time 0 is 1970-01-01T00:00Z).
    """

    realtime = False

    def __init__(self, start_ms: int = 0) -> None:
        if not isinstance(start_ms, int) or start_ms < 0:
            raise ValueError("start_ms must be a non-negative int")
        self._now = start_ms
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        """The current virtual time in milliseconds."""
        return self._now

    def filetime(self) -> int:
        """The current virtual time as a FILETIME."""
        return FILETIME_UNIX_EPOCH + self._now * TICKS_PER_MS

    def advance(self, ms: int) -> int:
        """Move time forward by ``ms`` milliseconds and return the new time."""
        if not isinstance(ms, int) or ms < 0:
            raise ValueError("ms must be a non-negative int")
        with self._lock:
            self._now += ms
            return self._now

    def __repr__(self) -> str:
        return f"ManualClock(now_ms={self._now})"


class SystemClock:
    """The system's monotonic clock for deadlines and the UTC wall clock for timestamps."""

    realtime = True

    def now_ms(self) -> int:
        """Monotonic milliseconds."""
        return time.monotonic_ns() // 1_000_000

    def filetime(self) -> int:
        """The current UTC time as a FILETIME."""
        return FILETIME_UNIX_EPOCH + time.time_ns() // 100

    def __repr__(self) -> str:
        return "SystemClock()"
