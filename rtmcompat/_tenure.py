"""The shim's lock discipline: one re-entrant lock that callbacks never wait for (M-SHIM-THREADS).

A v1 call holds the lock for its whole length, so each v1 call is atomic. An RTMv2 callback (a change
notification, a route expiry) may arrive on the thread that holds the lock (RTMv2 delivering inline at the end
of the shim's own v2 call) or on another thread (a delivery or timer thread). It never blocks on the lock: it
leaves its work (a flag, a queued expiry) and *pokes*: if the lock is free it takes it and does the work; if not,
the holder does it before letting go, and, having let go, looks once more, so work left during the release is not
stranded. The shim therefore never waits for a delivery while holding its lock, and a callback never waits for the
shim. Change events are set after the lock is released, by the ``deliver`` it is given (M-EVENT-SIGNAL).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from threading import get_ident

from ._events import Signaller, Signals


class Tenure:
    """Who holds the shim's lock, how deep, and what the outermost holder does on its way out.

    ``pending()`` says whether callbacks left work; ``work()`` does it (under the lock). ``signals`` collects the
    events owed, which ``signaller`` sets once the lock is released."""

    def __init__(
        self, pending: Callable[[], bool], work: Callable[[], None], signals: Signals, signaller: Signaller
    ) -> None:
        self._lock = threading.RLock()
        self._pending = pending
        self._work = work
        self._signals = signals
        self._signaller = signaller
        #: How deep the holder is (0: free). Read and written only by the holder.
        self.depth = 0
        #: The holder's thread id (0: free). Written only by the holder; another thread reading it can only ever
        #: find its own id there if it is the holder.
        self._owner = 0

    def enter(self) -> None:
        """Take the lock (waiting for it: only v1 calls and close() do)."""
        self._lock.acquire()
        self.depth += 1
        self._owner = get_ident()

    def try_enter(self) -> bool:
        """Take the lock if that needs no waiting (the holder's own thread always can)."""
        if not self._lock.acquire(blocking=False):
            return False
        self.depth += 1
        self._owner = get_ident()
        return True

    def leave(self) -> None:
        """Let go once. The outermost holder first does the work callbacks left, then releases the lock, then
        sets the events it owes; if work was left meanwhile and the lock is free, it goes round again."""
        while True:
            if self.depth > 1:
                self.depth -= 1
                self._lock.release()
                return
            try:
                self._work()
            finally:
                owed = self._signals.take()
                self.depth = 0
                self._owner = 0
                self._lock.release()
            if owed:
                self._signaller.deliver(owed)
            if not self._pending() or not self.try_enter():
                return  # nothing left, or the new holder does it

    def poke(self) -> None:
        """A callback left work: do it now if nobody holds the lock (else the holder does it on its way out,
        having necessarily looked after the work was left). A callback running on the holder's own thread (RTMv2
        delivering inline at the end of the holder's v2 call) leaves it to the holder at once."""
        if self._owner == get_ident():
            return
        if self.try_enter():
            self.leave()
