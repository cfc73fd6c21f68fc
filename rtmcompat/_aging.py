"""v1 route deadlines in aging order: (deadline, canonical) (V1-5.5, V1-A14), for V1Shim and V1Reference.

v1 removes expired routes one at a time, earliest deadline first and, among routes due at the same moment, in
canonical order (M-CANONICAL-ORDER), telling the clients after each step. Both APIs keep their deadlines here: a
heap with lazy removal, since a refreshed or deleted route leaves its old entry behind. ``current`` says whether
an entry still describes its route; stale entries are skipped when due, and dropped in one pass when they pile up.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Deadlines(Generic[T]):
    """Deadlines (clock ms) of items in v1 aging order.

    ``current(deadline, item)`` says whether an entry is still the item's deadline (False once the route was
    refreshed, deleted or its client left)."""

    def __init__(self, current: Callable[[int, T], bool]) -> None:
        self._heap: list[tuple[int, int, tuple[Any, ...], int, T]] = []
        self._tiebreak = itertools.count()
        self._current = current
        self._limit = 1024

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, deadline: int, family: int, canonical: tuple[Any, ...], item: T) -> None:
        """Remember ``item``'s deadline; ``family`` and ``canonical`` order the items due at the same time."""
        heap = self._heap
        heapq.heappush(heap, (deadline, family, canonical, next(self._tiebreak), item))
        if len(heap) > self._limit:
            current = self._current
            heap[:] = [entry for entry in heap if current(entry[0], entry[4])]
            heapq.heapify(heap)
            self._limit = 2 * len(heap) + 1024

    def due(self, limit: int) -> bool:
        """Whether some entry (current or stale) is due at ``limit``."""
        heap = self._heap
        return bool(heap) and heap[0][0] <= limit

    def pop_due(self, limit: int) -> Iterator[tuple[int, T]]:
        """The current entries due at ``limit`` (deadline at or before it), in aging order, each removed before
        it is yielded; entries pushed meanwhile are seen when they are due too."""
        heap = self._heap
        current = self._current
        while heap and heap[0][0] <= limit:
            deadline, _, _, _, item = heapq.heappop(heap)
            if current(deadline, item):
                yield deadline, item
