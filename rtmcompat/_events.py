"""A v1 client's ChangeEvent, contained: the one place that touches the caller's event object, and the bounded
diagnostics where its faults are recorded (M-EVENT-FAULTS).

A ChangeEvent is the caller's object: any object with ``set()`` and ``clear()``. Its methods are looked up once,
at registration, inside a ``try`` (a hostile ``__getattribute__`` is a bad argument, M-HOSTILE). ``clear()`` is
called under the API's lock, where the queue it describes is decided. ``set()`` is never called under the lock
(M-EVENT-SIGNAL). A ``threading.Event``'s ``set()`` never blocks (like Win32's SetEvent), so it is called on the
calling thread right after the lock is released, before the call returns. Any other event object's ``set()`` may
block (on the client's own lock, say): with a real-time clock it runs on the API's own event thread, so it never
blocks another client's thread; with ManualClock it too runs on the calling thread, so tests and replays stay
deterministic. Whatever either raises is recorded with the client's name and never reaches another
client's call, and no message is lost for it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from types import MethodType
from typing import TYPE_CHECKING, Any, cast

from ._checks import invalid
from ._handles import ClientHandle, EventMethods

if TYPE_CHECKING:
    from ._records import Record

#: How many diagnostics are kept (the newest); older ones are only counted.
DIAGNOSTICS_KEPT = 1000

Message = tuple[int, "Record | None", "Record | None"]


class Diagnostics:
    """Faults of caller objects the API contained: the newest ``limit`` lines, and how many older ones were
    dropped. Thread-safe; recording never raises."""

    def __init__(self, limit: int = DIAGNOSTICS_KEPT) -> None:
        self._lines: deque[str] = deque(maxlen=limit)
        self._limit = limit
        self._dropped = 0
        self._lock = threading.Lock()

    def record(self, line: str) -> None:
        """Keep ``line`` (dropping the oldest when full)."""
        with self._lock:
            if len(self._lines) == self._limit:
                self._dropped += 1
            self._lines.append(line)

    @property
    def lines(self) -> tuple[str, ...]:
        """The kept lines, oldest first."""
        with self._lock:
            return tuple(self._lines)

    @property
    def dropped(self) -> int:
        """How many lines were dropped to keep the newest."""
        return self._dropped


def describe(exc: BaseException) -> str:
    """``RuntimeError: text`` for a diagnostic line, whatever the exception's ``str`` does."""
    try:
        name = type(exc).__name__
    except Exception:
        name = "exception"
    try:
        text = str(exc)
    except Exception:
        text = "<unprintable>"
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{name}: {text}" if text else name


def bind_event(event: Any) -> EventMethods | None:
    """The ``(set, clear, never blocks)`` of a ChangeEvent argument, None for no event; anything else is
    ERROR_INVALID_PARAMETER. The only attribute lookups on the caller's object happen here."""
    if event is None:
        return None
    try:
        set_event = event.set
        clear_event = event.clear
    except Exception:
        raise invalid("ChangeEvent: not an object with set() and clear() (a threading.Event) or None") from None
    if not callable(set_event) or not callable(clear_event):
        raise invalid("ChangeEvent: set and clear must be callable (a threading.Event) or None")
    plain = type(event) is threading.Event
    if plain and type(set_event) is MethodType and set_event.__func__ is _EVENT_SET and set_event.__self__ is event:
        set_event = _setter(cast(threading.Event, event))
    return set_event, clear_event, plain


_EVENT_SET = threading.Event.set
_EVENT_IS_SET = threading.Event.is_set


def _setter(event: threading.Event) -> Callable[[], None]:
    """``event.set`` for a plain ``threading.Event`` whose ``set`` is the class's own: a set event is left as it
    is. That is the same as setting it again: the flag stays set and, the flag being set, no thread waits on it
    (``wait`` only waits while the flag is clear, and ``set`` wakes every waiter), so nothing is lost whatever
    another thread does to the event meanwhile; it only saves ``set``'s lock and notification on every change
    (M-EVENT-SIGNAL)."""

    def set_event() -> None:
        if _EVENT_IS_SET(event) is not True:
            _EVENT_SET(event)

    return set_event


def clear_event(client: ClientHandle, diagnostics: Diagnostics, where: str) -> bool:
    """Reset the client's event; False (and a diagnostic) when its ``clear()`` raised."""
    methods = client.event_methods
    if methods is None:
        return True
    try:
        methods[1]()
    except Exception as exc:
        diagnostics.record(f"{client.name}: ChangeEvent.clear() raised {describe(exc)} in {where}")
        return False
    return True


class Signals:
    """Change messages for the clients' queues, and the clients whose event must then be set.

    ``post`` runs under the API's lock; ``take`` hands the pending set-list to the thread that releases the lock,
    which calls ``fire`` after releasing it (M-EVENT-SIGNAL)."""

    def __init__(self) -> None:
        self._pending: dict[ClientHandle, None] = {}

    def post(self, client: ClientHandle, message: Message) -> None:
        """Queue ``message`` to ``client`` (FIFO, V1-A16) and remember to set its event."""
        client.queue.append(message)
        self._pending[client] = None

    def discard(self, client: ClientHandle) -> None:
        """The client just emptied its queue and reset its event: a set still pending from this lock tenure would
        only wake it for nothing."""
        self._pending.pop(client, None)

    def take(self) -> list[ClientHandle]:
        """The clients to signal, oldest first; the pending list starts again empty."""
        if not self._pending:
            return []
        pending, self._pending = self._pending, {}
        return list(pending)


def fire(clients: list[ClientHandle], diagnostics: Diagnostics) -> None:
    """Set each client's event; a ``set()`` that raises is recorded and the others are still set."""
    for client in clients:
        methods = client.event_methods
        if methods is None:
            continue
        try:
            methods[0]()
        except Exception as exc:
            diagnostics.record(f"{client.name}: ChangeEvent.set() raised {describe(exc)}")


class Signaller:
    """Sets the events a lock holder owes, outside the lock: on the calling thread (``threaded`` False, or a
    ``threading.Event``), else in order on one event thread of its own, started when needed and ended after a
    second without work."""

    IDLE_SECONDS = 1.0

    def __init__(self, diagnostics: Diagnostics, threaded: bool) -> None:
        self._diagnostics = diagnostics
        self._threaded = threaded
        self._batches: deque[list[ClientHandle]] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False

    def deliver(self, clients: list[ClientHandle]) -> None:
        """Set these clients' events (now, or soon on the event thread)."""
        if not clients:
            return
        if len(clients) == 1:  # the usual one client: fire, in line, when it is set here
            client = clients[0]
            methods = client.event_methods
            if methods is None:
                return
            if not self._threaded or methods[2]:
                try:
                    methods[0]()
                except Exception as exc:
                    self._diagnostics.record(f"{client.name}: ChangeEvent.set() raised {describe(exc)}")
                return
        if not self._threaded:
            fire(clients, self._diagnostics)
            return
        may_block = [c for c in clients if c.event_methods is not None and not c.event_methods[2]]
        if len(may_block) < len(clients):
            fire([c for c in clients if c.event_methods is not None and c.event_methods[2]], self._diagnostics)
        if not may_block:
            return
        with self._cond:
            self._batches.append(may_block)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"rtmcompat-events-{id(self):x}", daemon=True)
                self._thread.start()
            else:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
                while not self._batches:
                    if not self._cond.wait(self.IDLE_SECONDS) and not self._batches:
                        self._thread = None
                        self._cond.notify_all()
                        return
                batch = self._batches.popleft()
                self._busy = True
            fire(batch, self._diagnostics)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait (at most ``timeout`` seconds) until every owed event is set; True when done. Never call it with
        the API's lock held."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._batches and not self._busy, timeout)
