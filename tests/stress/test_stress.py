"""The stress scenario in CI: v1 clients and native RTMv2 entities on many threads at once with the system clock
(M-DELIVERY, M-SHIM-THREADS, M-EVENT-SIGNAL, M-EVENT-FAULTS, M-FAULTS, M-ENTITY-KEY, M-HANDLES, M-V1-HANDLES,
M-INVARIANTS), briefly; ``make soak`` runs the same for minutes.

Pass or fail never depends on timing: only on whether everything finished within generous bounds and whether the
checks held (see ``scenario``'s theory of operation).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from rtmcompat._events import Signals

from .scenario import Config, run
from .world import V1_LISTENER_PROTOCOL

#: Twelve threads: one of each role (``scenario.ROLES``).
CI = Config(threads=12, seed=20, ops_per_round=200, rounds=3)


class TestEveryoneAtOnce:
    """The whole scenario, three rounds."""

    def test_nothing_breaks(self) -> None:
        """No exception escapes, nothing deadlocks, the invariants hold at every quiescent point and while the
        workers run, every v1 client's messages replay to the table's best routes, every watcher's mirror is the
        table, nobody acts as anybody else, and once everyone left the leak report holds only the careless
        entity's deregistrations and the diagnostics exactly the faults client code raised on purpose."""
        report = run(CI)
        assert "" == report.failures, report.text()
        assert (CI.rounds, report.invariant_checks) == (report.quiescent_points, report.invariant_passed)
        assert [] == [name for name, ops in report.ops.items() if sum(ops.values()) < 2 * CI.ops_per_round]
        assert report.injected == report.recorded
        assert {"v1 event", "v2 callback"} == set(+report.injected)
        assert all(n > 0 for n in (report.messages_replayed, report.networks_checked, report.callbacks["change"]))
        assert report.careless_deregistrations >= 1


class TestTheChecksBite:
    """The scenario fails when the shim misbehaves (so a pass means something)."""

    def test_a_lost_message_fails_the_run(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Sabotage: the tenth message for the IP listener is never queued. Its replay no longer reaches the
        table, and the run fails saying so."""
        original = Signals.post
        counter = itertools.count()

        def post(self: Signals, client: Any, message: Any) -> None:
            if client.protocol == V1_LISTENER_PROTOCOL and next(counter) == 9:
                return
            original(self, client, message)

        monkeypatch.setattr(Signals, "post", post)
        report = run(Config(threads=4, seed=3, ops_per_round=100, rounds=1))
        assert "v1 IP listener" in report.failures
        assert "does not replay" in report.failures
