"""Bounded waits for the stress scenario: every wait has a timeout, and a timeout fails with every thread's stack,
so a deadlock fails fast and says where each thread is stuck. Also the collection of failures from all threads,
uncaught thread exceptions included."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any


def thread_stacks() -> str:
    """Every live thread's name and current stack (``sys._current_frames``)."""
    names = {t.ident: t.name for t in threading.enumerate()}
    parts = []
    for ident, frame in sorted(sys._current_frames().items(), key=lambda item: names.get(item[0], "")):
        stack = "".join(traceback.format_stack(frame))
        parts.append(f"--- thread {names.get(ident, '?')} ({ident})\n{stack}")
    return "\n".join(parts)


class Failures:
    """Failures reported by any thread, thread-safe; the first ones are kept in full, later ones only counted."""

    KEPT = 50

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[str] = []
        self.count = 0
        #: Set at the first failure, so that every thread can stop early.
        self.seen = threading.Event()

    def add(self, text: str) -> None:
        """Record one failure."""
        with self._lock:
            self.count += 1
            if len(self._items) < self.KEPT:
                self._items.append(text)
        self.seen.set()

    def extend(self, texts: Iterable[str]) -> None:
        """Record several failures."""
        for text in texts:
            self.add(text)

    def items(self) -> list[str]:
        """The failures kept, oldest first."""
        with self._lock:
            return list(self._items)

    def summary(self) -> str:
        """All kept failures, and how many more there were."""
        items = self.items()
        more = self.count - len(items)
        return "\n\n".join(items) + (f"\n\n... and {more} more" if more > 0 else "")


def join_all(threads: Iterable[threading.Thread], timeout: float, what: str, failures: Failures) -> bool:
    """Join every thread within ``timeout`` seconds in all; on a timeout record the stuck ones with every
    thread's stack and return False."""
    threads = list(threads)
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        failures.add(f"{what}: threads still running after {timeout} s: {stuck}\n{thread_stacks()}")
        return False
    return True


def guarded(
    name: str, failures: Failures, body: Callable[[], None], on_error: Callable[[], None]
) -> Callable[[], None]:
    """``body`` as a thread target whose exception is recorded (with its traceback) instead of escaping, followed
    by ``on_error`` (which wakes whoever waits for the thread)."""

    def run() -> None:
        try:
            body()
        except BaseException as exc:
            failures.add(f"{name}: exception escaped the thread:\n{''.join(traceback.format_exception(exc))}")
            on_error()

    return run


@contextmanager
def uncaught_thread_exceptions(failures: Failures) -> Iterator[None]:
    """Record what any thread lets escape (RTM's delivery threads report a model fault this way, M-FAULTS) for the
    duration of the block, then restore the previous hook."""
    previous = threading.excepthook

    def hook(args: Any) -> None:
        thread = args.thread.name if args.thread is not None else "?"
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        failures.add(f"uncaught exception in thread {thread}:\n{text}")

    threading.excepthook = hook
    try:
        yield
    finally:
        threading.excepthook = previous
