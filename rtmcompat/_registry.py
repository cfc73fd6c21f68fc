"""The known-differences registry: ``differences.toml`` loaded and checked, its matchers and named predicates.

An entry matches a difference when the difference's aspect and function are among the entry's, the fields that
differ are among its ``fields``, and all its ``when`` predicates (on the call's arguments) and ``results``
predicates (on the two results) hold. The predicates are the only code; which differences are known, and why,
is data. MIGRATION.md's "What the shim cannot carry over" is rendered from the same entries (:func:`markdown`).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Final

import attrs

from ._constants import RTMCOMPAT_READER_PROTOCOL
from ._replay import Observed
from ._trace_codec import FUNCTIONS, ROUTE_FIELDS
from ._v1types import IP_NETWORK, RTM_IP_ROUTE, RTM_IPX_ROUTE, bswap32

KINDS: Final = ("expected", "todo")
ASPECTS: Final = ("result", "event", "table", "messages")
_ALREADY_EXISTS = 183


class RegistryError(ValueError):
    """The registry file is malformed (named entry and key)."""


@attrs.frozen
class Situation:
    """What a matcher looks at: the aspect that differs, the call (function and decoded arguments by name), the
    two results (for ``result``), the fields that differ, the routes involved (for ``table`` and ``messages``) and
    the pairs of routes that differ between the reference and the shim."""

    aspect: str
    function: str | None
    args: dict[str, Any] = attrs.field(factory=dict)
    reference: Observed | None = None
    shim: Observed | None = None
    fields: tuple[str, ...] = ()
    routes: tuple[Any, ...] = ()
    pairs: tuple[tuple[Any, Any], ...] = ()


# --- predicates ------------------------------------------------------------------------------------------


def _ip_routes(s: Situation) -> list[RTM_IP_ROUTE]:
    found = [v for v in s.args.values() if type(v) is RTM_IP_ROUTE]
    return found + [r for r in s.routes if type(r) is RTM_IP_ROUTE]


def _ip_networks(s: Situation) -> list[IP_NETWORK]:
    nets = [v for v in s.args.values() if type(v) is IP_NETWORK]
    return nets + [r.RR_Network for r in _ip_routes(s)]


def _contiguous(mask: int) -> bool:
    mask_be = bswap32(mask)
    bits = bin(mask_be).count("1")
    return mask_be == (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF


def network_has_host_bits(s: Situation) -> bool:
    """A network argument (or route) has a contiguous mask and bits set outside it (V1-A22)."""
    return any(_contiguous(n.N_NetMask) and n.N_NetNumber & ~n.N_NetMask & 0xFFFFFFFF for n in _ip_networks(s))


def network_mask_not_contiguous(s: Situation) -> bool:
    """A network argument (or route) has a mask that is not a prefix."""
    return any(not _contiguous(n.N_NetMask) for n in _ip_networks(s))


def nexthop_mask_not_contiguous(s: Situation) -> bool:
    """A route argument (or route involved) has a next-hop mask that is not a prefix (V1-A21)."""
    return any(not _contiguous(r.RR_NextHopAddress.N_NetMask) for r in _ip_routes(s))


def protocol_is_reader_entity(s: Situation) -> bool:
    """RtmRegisterClient asks for the protocol id of the entity the shim registers for client-less calls."""
    return s.args.get("RoutingProtocol") == RTMCOMPAT_READER_PROTOCOL


def _cost(route: Any) -> tuple[int, int]:
    fsd = route.RR_FamilySpecificData
    if type(route) is RTM_IP_ROUTE:
        return fsd.FSD_Priority, fsd.FSD_Metric
    return fsd.FSD_TickCount, fsd.FSD_HopCount


def _identity(route: Any) -> tuple[Any, ...]:
    return route.RR_RoutingProtocol, route.RR_InterfaceID, route.RR_NextHopAddress


def equal_cost_routes(s: Situation) -> bool:
    """Every route that differs is, on both sides, a route to the same network at the same cost from a different
    origin: two equally good choices (V1-A4, V2-A-tie)."""
    if not s.pairs:
        return False
    for ref, shim in s.pairs:
        if type(ref) not in (RTM_IP_ROUTE, RTM_IPX_ROUTE) or type(ref) is not type(shim):
            return False
        if ref.RR_Network != shim.RR_Network or _cost(ref) != _cost(shim) or _identity(ref) == _identity(shim):
            return False
    return True


def shim_name_taken(s: Situation) -> bool:
    """The reference registered the client; the shim answered ERROR_CLIENT_ALREADY_EXISTS."""
    ref, shim = s.reference, s.shim
    return ref is not None and shim is not None and ref.status == 0 and shim.status == _ALREADY_EXISTS


#: The predicates entries may name under ``when`` (arguments) and ``results`` (the two results).
WHEN: Final[dict[str, Callable[[Situation], bool]]] = {
    "network_has_host_bits": network_has_host_bits,
    "network_mask_not_contiguous": network_mask_not_contiguous,
    "nexthop_mask_not_contiguous": nexthop_mask_not_contiguous,
    "protocol_is_reader_entity": protocol_is_reader_entity,
}
RESULTS: Final[dict[str, Callable[[Situation], bool]]] = {
    "equal_cost_routes": equal_cost_routes,
    "shim_name_taken": shim_name_taken,
}


# --- entries ------------------------------------------------------------------------------------------------


@attrs.frozen
class Entry:
    """One known difference (see differences.toml for the meaning of each key)."""

    id: str
    kind: str
    title: str
    explanation: str
    anchor: str | None = None
    observable: bool = True
    aspects: tuple[str, ...] = ("result",)
    functions: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    results: tuple[str, ...] = ()

    def applies(self, aspect: str, function: str | None, args: dict[str, Any]) -> bool:
        """The entry's aspect, function and argument predicates hold (a todo entry's trigger)."""
        if not self.observable or aspect not in self.aspects:
            return False
        if self.functions and function not in self.functions:
            return False
        situation = Situation(aspect, function, args)
        return all(WHEN[name](situation) for name in self.when)

    def matches(self, s: Situation) -> bool:
        """Whether this entry explains the difference ``s``."""
        if not self.observable or s.aspect not in self.aspects:
            return False
        if self.functions and s.function not in self.functions:
            return False
        if self.fields and not set(s.fields) <= set(self.fields):
            return False
        return all(WHEN[name](s) for name in self.when) and all(RESULTS[name](s) for name in self.results)


def _strings(entry: dict[str, Any], key: str, where: str, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{where}: {key} must be a list of strings")
    if allowed is not None:
        known = set(allowed)
        for item in value:
            if item not in known:
                raise RegistryError(f"{where}: {key}: unknown {item!r} (known: {', '.join(sorted(known))})")
    return tuple(value)


_KEYS = frozenset(
    {"id", "kind", "title", "anchor", "observable", "aspects", "functions", "fields", "when", "results", "explanation"}
)
_FIELDS = ("status", "raised", "ClientHandle", "EnumerationHandle", "Flags", "IsRoute", "Found", "NetworkCount",
           "RouteAge", *sorted(ROUTE_FIELDS))  # fmt: skip


def _entry(raw: Any, index: int) -> Entry:
    where = f"difference {index + 1}"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: expected a table")
    for key in raw:
        if key not in _KEYS:
            raise RegistryError(f"{where}: unknown key {key!r}")
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident.startswith("RTMC-"):
        raise RegistryError(f"{where}: id must be a string starting with RTMC-")
    where = ident
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RegistryError(f"{where}: kind must be one of {', '.join(KINDS)}")
    for key in ("title", "explanation"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RegistryError(f"{where}: {key} must be a non-empty string")
    anchor = raw.get("anchor")
    if kind == "expected" and not (isinstance(anchor, str) and anchor.startswith("MIGRATION.md#")):
        raise RegistryError(f"{where}: an expected difference needs an anchor 'MIGRATION.md#...'")
    observable = raw.get("observable", True)
    if not isinstance(observable, bool):
        raise RegistryError(f"{where}: observable must be true or false")
    return Entry(
        ident,
        kind,
        raw["title"].strip(),
        raw["explanation"].strip(),
        anchor,
        observable,
        _strings(raw, "aspects", where, ASPECTS) or ("result",),
        _strings(raw, "functions", where, FUNCTIONS),
        _strings(raw, "fields", where, _FIELDS),
        _strings(raw, "when", where, WHEN),
        _strings(raw, "results", where, RESULTS),
    )


@attrs.frozen
class Registry:
    """The entries, in file order."""

    entries: tuple[Entry, ...]

    @classmethod
    def load(cls, path: str | Path | None = None) -> Registry:
        """Load and check a registry file (default: the one shipped in the package)."""
        try:
            if path is None:
                text = resources.files("rtmcompat").joinpath("differences.toml").read_text(encoding="utf-8")
            else:
                text = Path(path).read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryError(f"cannot read the registry: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise RegistryError(f"the registry is not valid TOML: {exc}") from None
        raw = data.get("difference", [])
        if not isinstance(raw, list) or set(data) - {"difference"}:
            raise RegistryError("the registry holds only [[difference]] tables")
        entries = tuple(_entry(item, i) for i, item in enumerate(raw))
        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                raise RegistryError(f"{entry.id}: the id is used twice")
            seen.add(entry.id)
        return cls(entries)

    def get(self, ident: str) -> Entry | None:
        """The entry with this id."""
        return next((e for e in self.entries if e.id == ident), None)

    def match(self, s: Situation) -> Entry | None:
        """The first entry that explains ``s``."""
        return next((e for e in self.entries if e.matches(s)), None)

    def todo_triggers(self) -> tuple[Entry, ...]:
        """The todo entries that can tell when their bug is fixed (they have ``when`` predicates)."""
        return tuple(e for e in self.entries if e.kind == "todo" and e.when and e.observable)

    def json(self) -> list[dict[str, Any]]:
        """Every entry as JSON."""
        return [attrs.asdict(e, retain_collection_types=False) for e in self.entries]


@functools.cache
def default_registry() -> Registry:
    """The shipped registry, loaded once."""
    return Registry.load()


# --- MIGRATION.md -------------------------------------------------------------------------------------------

MARKDOWN_BEGIN: Final = (
    "<!-- known differences: generated from rtmcompat/differences.toml by "
    "`rtmcompat compare --list-differences --format markdown` -->"
)
MARKDOWN_END: Final = "<!-- end of generated known differences -->"


def markdown(registry: Registry) -> str:
    """The section body MIGRATION.md carries between its markers: one subsection per entry, with its anchor."""
    parts = [
        MARKDOWN_BEGIN,
        "",
        "`rtmcompat compare` names each of these when a trace shows it; `expected` ones are documented semantics,",
        "`todo` ones known shim bugs.",
    ]
    for entry in registry.entries:
        anchor = entry.anchor.partition("#")[2] if entry.anchor else entry.id.lower()
        parts += ["", f'<a id="{anchor}"></a>', "", f"### {entry.id}: {entry.title}", ""]
        parts.append(entry.explanation)
        details = [f"Kind: `{entry.kind}`."]
        if not entry.observable:
            details.append("Not visible in a trace of v1 calls alone (it needs native RTMv2 entities).")
        elif entry.functions:
            details.append("Functions: " + ", ".join(f"`{f}`" for f in entry.functions) + ".")
        parts += ["", " ".join(details)]
    parts += ["", MARKDOWN_END]
    return "\n".join(parts)
