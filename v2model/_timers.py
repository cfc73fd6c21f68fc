"""Deadlines (route TimeToLive, hold-down expiry) and the thread that fires them on the system clock.

The queue is a heap with lazy invalidation: re-arming an object bumps its generation and leaves the old entry
to be skipped when popped. Entries due at the same millisecond come out in destination address order, then
creation order, so a batch of expiries is processed in a stable, readable order.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from typing import Any

ROUTE_EXPIRY = 0
HOLD_EXPIRY = 1


class TimerQueue:
    """Pending deadlines, earliest first."""

    def __init__(self) -> None:
        #: The entries, earliest first (read directly by the API boundary's "anything due?" check).
        self.heap: list[tuple[int, int, int, int, int, int, Any]] = []
        self._tiebreak = itertools.count()

    def push(self, deadline: int, order1: int, order2: int, kind: int, gen: int, obj: Any) -> None:
        """Arm ``obj`` (whose current generation is ``gen``) to fire at ``deadline``."""
        heapq.heappush(self.heap, (deadline, order1, order2, next(self._tiebreak), kind, gen, obj))

    def next_deadline(self) -> int | None:
        """The earliest deadline in the queue (possibly of a cancelled entry), None when empty."""
        return self.heap[0][0] if self.heap else None

    def pop_due(self, now: int) -> tuple[int, int, int, Any] | None:
        """Remove and return ``(deadline, kind, gen, obj)`` of the earliest entry due at ``now``."""
        heap = self.heap
        if not heap or heap[0][0] > now:
            return None
        deadline, _, _, _, kind, gen, obj = heapq.heappop(heap)
        return deadline, kind, gen, obj

    def __len__(self) -> int:
        return len(self.heap)

    def compact(self, is_current: Callable[[int, int, Any], bool]) -> None:
        """Drop cancelled entries once they outnumber the live ones (keeps memory bounded under churn)."""
        kept = [e for e in self.heap if is_current(e[4], e[5], e[6])]
        heapq.heapify(kept)
        self.heap = kept


class TimerThread(threading.Thread):
    """Fires due deadlines by itself when the clock is real time (M-TIME: a route ages out while
    nobody calls). Sleeps until the next deadline or until woken by a nearer one; stopped by ``stop``."""

    def __init__(self, fire: Callable[[], int | None], name: str) -> None:
        super().__init__(name=name, daemon=True)
        self._fire = fire
        self._wake = threading.Condition()
        self._stopping = False
        self._next: int | None = None
        self._now: Callable[[], int] | None = None

    def configure(self, now: Callable[[], int]) -> None:
        """Tell the thread how to read the clock (before ``start``)."""
        self._now = now

    def wake(self, deadline: int) -> None:
        """A deadline was armed; wake up if it is earlier than the one being waited for."""
        with self._wake:
            if self._next is None or deadline < self._next:
                self._next = deadline
                self._wake.notify()

    def stop(self) -> None:
        """Stop and join the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self.is_alive() and threading.current_thread() is not self:
            self.join()

    def run(self) -> None:
        assert self._now is not None
        while True:
            with self._wake:
                while not self._stopping:
                    if self._next is not None:
                        delay = self._next - self._now()
                        if delay <= 0:
                            break
                        self._wake.wait(delay / 1000)
                    else:
                        self._wake.wait()
                if self._stopping:
                    return
                self._next = None
            self._next_from_fire(self._fire())

    def _next_from_fire(self, deadline: int | None) -> None:
        if deadline is not None:
            self.wake(deadline)
