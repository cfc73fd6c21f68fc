"""The stress test's bounded waits: a thread that does not finish fails the wait with every thread's stack, and
an exception that leaves any thread is recorded instead of being lost."""

from __future__ import annotations

import threading

from .watchdog import Failures, guarded, join_all, uncaught_thread_exceptions


def _stuck_here(gate: threading.Event) -> None:
    gate.wait(10)


class TestJoinAll:
    """join_all: bounded, and readable when it times out."""

    def test_a_stuck_thread_fails_with_its_stack(self) -> None:
        """A thread blocked past the timeout is named, and the failure shows where it waits."""
        failures = Failures()
        gate = threading.Event()
        thread = threading.Thread(target=_stuck_here, args=(gate,), name="stress-test-stuck", daemon=True)
        thread.start()
        try:
            done = join_all([thread], 0.05, "the stuck one", failures)
            text = failures.summary()
        finally:
            gate.set()
            thread.join(10)
        assert (False, 1) == (done, failures.count)
        assert "stress-test-stuck" in text
        assert "_stuck_here" in text

    def test_finished_threads_pass(self) -> None:
        """Threads that end in time record nothing."""
        failures = Failures()
        thread = threading.Thread(target=lambda: None)
        thread.start()
        assert (True, 0) == (join_all([thread], 10, "quick", failures), failures.count)


class TestExceptions:
    """Nothing a thread raises is lost."""

    def test_guarded_records_and_wakes(self) -> None:
        """An exception in a guarded body is recorded with its traceback and the error hook runs."""
        failures = Failures()
        woken: list[bool] = []

        def body() -> None:
            raise ValueError("boom")

        thread = threading.Thread(target=guarded("worker", failures, body, lambda: woken.append(True)))
        thread.start()
        thread.join(10)
        assert ([True], 1) == (woken, failures.count)
        assert "ValueError: boom" in failures.summary()

    def test_uncaught_exceptions_of_other_threads_are_recorded(self) -> None:
        """Inside the block, an exception that escapes a plain thread is recorded; the previous hook is back
        afterwards."""
        failures = Failures()
        before = threading.excepthook

        def body() -> None:
            raise KeyError("lost")

        with uncaught_thread_exceptions(failures):
            thread = threading.Thread(target=body, name="stress-test-raiser")
            thread.start()
            thread.join(10)
        assert (1, before) == (failures.count, threading.excepthook)
        assert "stress-test-raiser" in failures.summary()

    def test_only_the_first_failures_are_kept(self) -> None:
        """Beyond the kept ones, failures are counted."""
        failures = Failures()
        failures.extend(str(i) for i in range(Failures.KEPT + 3))
        assert (Failures.KEPT + 3, Failures.KEPT) == (failures.count, len(failures.items()))
        assert failures.summary().endswith("... and 3 more")
