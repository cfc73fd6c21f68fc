"""An ordered set of unique keys with O(log n + chunk) insert, delete and successor search.

A list of sorted chunks plus the list of their maxima: the layout sortedcontainers made popular. It gives the
destination and next-hop enumerations their address order on a full Internet table without re-sorting, where
a single sorted Python list would cost O(n) per insert.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from typing import Any, Generic, Protocol, TypeVar


class _Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Comparable)

_LOAD = 1000  # chunks split at twice this size


class SortedKeys(Generic[K]):
    """Unique keys kept in ascending order."""

    __slots__ = ("_chunks", "_len", "_maxes")

    def __init__(self) -> None:
        self._chunks: list[list[K]] = []
        self._maxes: list[K] = []
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def add(self, key: K) -> None:
        """Insert ``key``; the caller guarantees it is not present."""
        maxes = self._maxes
        if not maxes:
            self._chunks.append([key])
            maxes.append(key)
        else:
            i = bisect_left(maxes, key)
            if i == len(maxes):
                i -= 1
                self._chunks[i].append(key)
                maxes[i] = key
            else:
                insort(self._chunks[i], key)
            chunk = self._chunks[i]
            if len(chunk) > 2 * _LOAD:
                half = chunk[_LOAD:]
                del chunk[_LOAD:]
                self._chunks.insert(i + 1, half)
                maxes[i] = chunk[-1]
                maxes.insert(i + 1, half[-1])
        self._len += 1

    def discard(self, key: K) -> None:
        """Remove ``key`` if present."""
        maxes = self._maxes
        i = bisect_left(maxes, key)
        if i == len(maxes):
            return
        chunk = self._chunks[i]
        j = bisect_left(chunk, key)
        if j == len(chunk) or chunk[j] != key:
            return
        del chunk[j]
        self._len -= 1
        if not chunk:
            del self._chunks[i]
            del maxes[i]
        elif j == len(chunk):
            maxes[i] = chunk[-1]

    def iter_from(self, key: K, inclusive: bool = True) -> Iterator[K]:
        """Keys ``>= key`` (or ``> key``) in ascending order; the set must not change while iterating."""
        maxes = self._maxes
        i = bisect_left(maxes, key) if inclusive else bisect_right(maxes, key)
        if i == len(maxes):
            return
        chunk = self._chunks[i]
        j = bisect_left(chunk, key) if inclusive else bisect_right(chunk, key)
        yield from chunk[j:]
        for chunk in self._chunks[i + 1 :]:
            yield from chunk

    def __iter__(self) -> Iterator[K]:
        for chunk in self._chunks:
            yield from chunk
