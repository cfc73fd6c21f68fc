"""Fixtures shared by every test: a manual clock, an RTM on it, and a guard against leftover RTM threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

import v2model


@pytest.fixture
def clock() -> v2model.ManualClock:
    """Virtual time starting at 0 ms."""
    return v2model.ManualClock()


@pytest.fixture
def rtm(clock: v2model.ManualClock) -> Iterator[v2model.RoutingTableManager]:
    """An RTM on the manual clock, with the default configuration."""
    with v2model.RoutingTableManager(clock=clock) as manager:
        yield manager


@pytest.fixture(autouse=True)
def no_rtm_threads_left() -> Iterator[None]:
    """Every test leaves no RTM thread running: ``rtm.close()`` stops and joins the timer thread
    (``rtm-timers-...``) and the delivery threads (``rtm-deliver-...``)."""
    yield
    left = [t for t in threading.enumerate() if t.name.startswith("rtm-")]
    assert not left, f"RTM threads left running: {left}"
