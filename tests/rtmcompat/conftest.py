"""Fixtures of the RTMv1 shim tests: a V1Shim on the shared manual-clock RTM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import v2model
from rtmcompat import V1Shim


@pytest.fixture
def shim(rtm: v2model.RoutingTableManager) -> Iterator[V1Shim]:
    """A V1Shim without a mapping logger on the test's RTM (manual clock at 0 ms)."""
    facade = V1Shim(rtm)
    yield facade
    facade.close()
