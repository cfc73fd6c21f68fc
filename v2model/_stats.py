"""``rtm.statistics()``: always-on counts, cheap to read (after trio's ``statistics()``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs


@attrs.frozen
class RtmStatistics(Mapping[str, int]):
    """Counts across every table of a RoutingTableManager. Read as attributes (``stats.routes``) or as a mapping
    (``stats["routes"]``, ``dict(stats)``); equal to a dict with the same counts."""

    #: Registered entities.
    entities: int
    #: Present destinations (with at least one live or hold-down route).
    destinations: int
    #: Live routes.
    routes: int
    #: Live next hops.
    next_hops: int
    #: References held by entities on handles (what a clean shutdown brings to 0).
    open_handles: int

    def __getitem__(self, key: str) -> int:
        if key not in _FIELDS:
            raise KeyError(key)
        value: int = getattr(self, key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(_FIELDS)

    def __len__(self) -> int:
        return len(_FIELDS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.items()))


_FIELDS = tuple(field.name for field in attrs.fields(RtmStatistics))
