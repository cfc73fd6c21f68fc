"""Callback delivery threads: one FIFO per receiving entity, run by a worker thread of its own (M-DELIVERY).

Theory of operation
-------------------
* ``post(receiver, item)`` appends to the receiver's FIFO and starts the receiver's worker on first use. It never
  blocks on client code: the only lock it takes is this component's own, which no thread holds while running an
  item. So the RTM may post while holding its lock, and posts made under that lock are queued in the order the
  table changed.
* Each worker runs its receiver's items one at a time, in order, with no lock held: a slow or stuck callback
  delays only its own receiver's deliveries, and a callback may take the client's own locks and call back into
  the RTM.
* ``retire(receiver)`` lets the worker end once its FIFO is empty (the entity deregistered); ``close()`` makes
  every worker finish what is queued, then joins them (never the calling thread itself).
* ``wait(timeout)`` waits until nothing is queued or running; from a worker it returns False at once, as it would
  wait for itself.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Hashable


class _Worker(threading.Thread):
    """The delivery thread of one receiver."""

    def __init__(self, owner: Deliveries, receiver: Hashable, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.owner = owner
        self.receiver = receiver
        self.queue: deque[object] = deque()
        self.wake = threading.Condition(owner._lock)
        self.retired = False

    def run(self) -> None:
        owner = self.owner
        lock = owner._lock
        while True:
            with lock:
                while not self.queue and not (self.retired or owner._closing):
                    self.wake.wait()
                if not self.queue:
                    if owner._workers.get(self.receiver) is self:
                        del owner._workers[self.receiver]
                    return
                item = self.queue.popleft()
            try:
                owner._run(item)
            except Exception as exc:  # a bug of the model, never client code (the RTM wraps that): report it
                # the way an uncaught thread exception is reported, and keep delivering this receiver's FIFO.
                threading.excepthook(threading.ExceptHookArgs((type(exc), exc, exc.__traceback__, self)))
            finally:
                with lock:
                    owner._pending -= 1
                    if not owner._pending:
                        owner._idle.notify_all()


class Deliveries:
    """Per-receiver FIFOs of pending deliveries and their worker threads.

    ``run`` is called with each posted item on the receiver's worker; it must not raise (the RTM wraps client
    code and records what it raises). ``name`` prefixes the threads' names (``rtm-deliver-...``).
    """

    def __init__(self, run: Callable[[object], None], name: str) -> None:
        self._run = run
        self._name = name
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._workers: dict[Hashable, _Worker] = {}
        #: Items queued or running, over all receivers.
        self._pending = 0
        self._closing = False
        self._started: list[_Worker] = []

    def post(self, receiver: Hashable, item: object, label: str) -> bool:
        """Queue ``item`` for ``receiver`` (whose worker is named after ``label``); False once closed."""
        with self._lock:
            if self._closing:
                return False
            worker = self._workers.get(receiver)
            if worker is None:
                worker = _Worker(self, receiver, f"{self._name}-{label}")
                self._workers[receiver] = worker
                self._started = [w for w in self._started if w.is_alive()]
                self._started.append(worker)
                worker.start()
            worker.queue.append(item)
            self._pending += 1
            worker.wake.notify()
            return True

    def retire(self, receiver: Hashable) -> None:
        """The receiver is gone: its worker ends once its FIFO is empty."""
        with self._lock:
            worker = self._workers.get(receiver)
            if worker is not None:
                worker.retired = True
                worker.wake.notify()

    def in_worker(self) -> bool:
        """Whether the calling thread is one of the delivery threads."""
        current = threading.current_thread()
        return isinstance(current, _Worker) and current.owner is self

    def wait(self, timeout: float | None) -> bool:
        """Wait until every queued delivery has run; False on timeout or when called from a delivery thread."""
        if self.in_worker():
            return False
        with self._lock:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    def close(self) -> None:
        """Let every worker finish its FIFO, then join them (except the calling thread)."""
        with self._lock:
            self._closing = True
            for worker in self._workers.values():
                worker.wake.notify()
            started, self._started = self._started, []
        current = threading.current_thread()
        for worker in started:
            if worker is not current:
                worker.join()
