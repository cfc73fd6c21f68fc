"""Benchmark inputs (real tables when present, synthetic tables and top-ups, lookup addresses), and the run's commit.

A table is read once into plain ``(addr, nbits, origin_as)`` int tuples (host bits cleared, duplicates dropped);
the v2model side turns them into ``RTM_NET_ADDRESS`` structures outside the timed sections, the baseline uses the
ints as they are. Everything random here takes an explicit seed, so two runs see the same inputs.

The real tables are not in the repository (``bench/README.md``, "The data"). Without one, ``table`` draws a
synthetic table of the real table's size with the real prefix-length mix (``REAL_MIX_V4`` / ``REAL_MIX_V6``,
counted from the RouteViews snapshots pyasn converted), and the report says so.
"""

from __future__ import annotations

import gzip
import ipaddress
import os
import random
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import attrs

from v2model import AF_INET, AF_INET6, RTM_NET_ADDRESS

#: Environment variable naming the data file (``--data`` wins over it).
DATA_ENV = "RTM_BENCH_DATA"
#: The default table: the 2014 RouteViews IPv4 RIB (512,621 prefixes).
DEFAULT_FILE = "ipv4-rib-20140513.dat.gz"
#: The repository root (the directory holding ``bench/``); the data is looked for in a ``shared/data`` beside it.
REPO_ROOT = Path(__file__).resolve().parent.parent

#: ``(addr, nbits, origin_as)``: a prefix as ints, host bits cleared.
Prefix = tuple[int, int, int]

_FAMILIES = {4: (AF_INET, 32), 6: (AF_INET6, 128)}

#: The IPv6 table (in the IPv4 + IPv6 snapshot of 2015-11-01).
DEFAULT_FILE_V6 = "ipv4v6-rib-20151101.dat.gz"

#: Prefix length -> prefixes, in the 2014-05-13 RouteViews IPv4 table (512,621 prefixes; pyasn ipasn_20140513,
#: MIT licensed, github.com/hadiasghari/pyasn): the mix of every synthetic IPv4 table.
REAL_MIX_V4: dict[int, int] = {
    8: 16, 9: 12, 10: 30, 11: 90, 12: 259, 13: 487, 14: 974, 15: 1726, 16: 13017, 17: 7050, 18: 11917, 19: 24936,
    20: 35828, 21: 37624, 22: 57782, 23: 47385, 24: 270023, 25: 918, 26: 1060, 27: 537, 28: 138, 29: 292, 30: 331,
    31: 20, 32: 169,
}  # fmt: skip
#: The same for the IPv6 prefixes of the 2015-11-01 table (27,693 prefixes; pyasn ipasn6_20151101).
REAL_MIX_V6: dict[int, int] = {
    16: 1, 19: 2, 20: 9, 21: 3, 22: 4, 23: 4, 24: 19, 25: 5, 26: 14, 27: 16, 28: 70, 29: 859, 30: 100, 31: 71,
    32: 7262, 33: 313, 34: 213, 35: 251, 36: 1004, 37: 95, 38: 203, 39: 73, 40: 1221, 41: 188, 42: 200, 43: 149,
    44: 1125, 45: 119, 46: 379, 47: 191, 48: 12142, 49: 24, 50: 5, 51: 2, 52: 17, 54: 1, 55: 1, 56: 180, 58: 1,
    60: 10, 62: 1, 64: 772, 65: 1, 92: 2, 96: 1, 112: 5, 116: 2, 120: 2, 123: 1, 124: 12, 125: 12, 126: 269,
    127: 25, 128: 42,
}  # fmt: skip
#: Distinct origin ASes in the 2014 table: synthetic prefixes draw theirs from 1..this.
SYNTHETIC_ASNS = 46823


def default_data_path(family: int = 4) -> Path:
    """``$RTM_BENCH_DATA`` if set, else the family's default file in the first ``shared/data/`` beside the
    repository or one of its parent directories (a worktree sits a level deeper than the main checkout); the
    path may not exist (see ``table``)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    name = DEFAULT_FILE if family == 4 else DEFAULT_FILE_V6
    candidates = [parent / "shared" / "data" / name for parent in REPO_ROOT.parents[:3]]
    return next((path for path in candidates if path.is_file()), candidates[0])


def table(path: str | os.PathLike[str] | None, family: int = 4, limit: int | None = None, seed: int = 1) -> PrefixTable:
    """The family's real table from ``path`` when that file exists and holds prefixes of the family, else a
    synthetic table of the real table's size (at most ``limit``) with the real prefix-length mix (``source`` then
    starts with "synthetic")."""
    if path is not None and Path(path).is_file():
        loaded = load(path, family, limit)
        if len(loaded):
            return loaded
    size = sum((REAL_MIX_V4 if family == 4 else REAL_MIX_V6).values())
    return synthetic_table(family, size if limit is None else min(limit, size), seed)


def synthetic_table(family: int, count: int, seed: int, mix: dict[int, int] | None = None) -> PrefixTable:
    """``count`` distinct random prefixes with the real prefix-length mix (or ``mix``) and random origin ASes,
    in address order (as a table file lists them)."""
    af, width = _FAMILIES[family]
    mix = mix or (REAL_MIX_V4 if family == 4 else REAL_MIX_V6)
    lengths = sorted(mix)
    weights = [mix[n] for n in lengths]
    rng = random.Random(seed)
    taken: set[tuple[int, int]] = set()
    out: list[Prefix] = []
    base = 0 if family == 4 else 0b001 << 125  # IPv6: inside 2000::/3, where the real prefixes are
    span = width if family == 4 else 125
    while len(out) < count:
        for nbits in rng.choices(lengths, weights, k=min(65536, 2 * (count - len(out)))):
            key = ((base | rng.getrandbits(span)) & _mask(width, nbits), nbits)
            if key in taken:
                continue
            taken.add(key)
            out.append((key[0], nbits, rng.randrange(1, SYNTHETIC_ASNS + 1)))
            if len(out) == count:
                break
    out.sort()
    return PrefixTable(af, width, out, f"synthetic (seed {seed}, the real prefix-length mix)", real=0, synthetic=count)


@attrs.frozen
class PrefixTable:
    """The prefixes of one address family, in file order (synthetic ones, if any, after the real ones)."""

    af: int
    width: int
    prefixes: list[Prefix]
    source: str
    #: How many prefixes came from the file, and how many were made up by :func:`top_up`.
    real: int
    synthetic: int = 0
    #: Lines dropped because their prefix was already read.
    duplicates: int = 0

    def __len__(self) -> int:
        return len(self.prefixes)

    def keys(self) -> set[tuple[int, int]]:
        """Every ``(addr, nbits)`` of the table."""
        return {(addr, nbits) for addr, nbits, _ in self.prefixes}

    def length_histogram(self) -> Counter[int]:
        """Prefix length -> number of prefixes."""
        return Counter(nbits for _, nbits, _ in self.prefixes)


def _mask(width: int, nbits: int) -> int:
    return ((1 << nbits) - 1) << (width - nbits)


def _parse_v4(text: str) -> tuple[int, int]:
    # ~3x faster than ipaddress on half a million lines; the file is machine-written dotted quads.
    address, _, length = text.partition("/")
    a, b, c, d = address.split(".")
    nbits = int(length) if length else 32
    addr = (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)
    return addr & _mask(32, nbits), nbits


def _parse_v6(text: str) -> tuple[int, int]:
    net = ipaddress.IPv6Network(text, strict=False)
    return int(net.network_address), net.prefixlen


def _parse_asn(text: str) -> int:
    """The origin AS; AS sets and other oddities keep their first number (0 if there is none)."""
    digits = ""
    for ch in text.strip():
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits else 0


def load(path: str | os.PathLike[str], family: int = 4, limit: int | None = None) -> PrefixTable:
    """Read the ``family`` (4 or 6) prefixes of a ``prefix<TAB>origin-AS`` gz file, at most ``limit`` of them."""
    af, width = _FAMILIES[family]
    parse = _parse_v4 if family == 4 else _parse_v6
    seen: set[tuple[int, int]] = set()
    out: list[Prefix] = []
    duplicates = 0
    with gzip.open(path, "rt", encoding="ascii") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line[0] == ";":
                continue
            prefix, _, asn = line.partition("\t")
            if (":" in prefix) != (family == 6):
                continue
            key = parse(prefix)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            out.append((key[0], key[1], _parse_asn(asn)))
            if limit is not None and len(out) >= limit:
                break
    return PrefixTable(af, width, out, os.fspath(path), real=len(out), duplicates=duplicates)


def synthetic_prefixes(
    table: PrefixTable, count: int, seed: int, exclude: set[tuple[int, int]] | None = None
) -> list[Prefix]:
    """``count`` new prefixes with the table's prefix-length distribution and origin ASes, none in ``exclude``
    (default: the table's own prefixes); ``exclude`` is extended with the new ones."""
    rng = random.Random(seed)
    histogram = table.length_histogram()
    if not histogram:
        raise ValueError("cannot draw synthetic prefixes from an empty table")
    lengths = sorted(histogram)
    weights = [histogram[n] for n in lengths]
    asns = sorted({asn for _, _, asn in table.prefixes})
    taken = table.keys() if exclude is None else exclude
    width = table.width
    out: list[Prefix] = []
    misses = 0
    while len(out) < count:
        for nbits in rng.choices(lengths, weights, k=min(65536, 2 * (count - len(out)))):
            key = (rng.getrandbits(width) & _mask(width, nbits), nbits)
            if key in taken:
                misses += 1
                if misses > 100 * count + 1000:
                    raise ValueError("the address space is too full to draw more distinct prefixes")
                continue
            taken.add(key)
            out.append((key[0], nbits, asns[rng.randrange(len(asns))]))
            if len(out) == count:
                break
    return out


def top_up(table: PrefixTable, target: int, seed: int) -> PrefixTable:
    """The table with synthetic prefixes appended until it has ``target`` prefixes (today's full IPv4 table
    is about 1,050,000); unchanged when it is already that large."""
    missing = target - len(table)
    if missing <= 0:
        return table
    extra = synthetic_prefixes(table, missing, seed)
    return attrs.evolve(table, prefixes=table.prefixes + extra, synthetic=table.synthetic + len(extra))


def net_address(af: int, width: int, addr: int, nbits: int) -> RTM_NET_ADDRESS:
    """The RTM_NET_ADDRESS of an int prefix (AddrBits in network order, padded by the structure)."""
    return RTM_NET_ADDRESS(AddressFamily=af, NumBits=nbits, AddrBits=addr.to_bytes(width // 8, "big"))


def net_addresses(table: PrefixTable, prefixes: Iterable[Prefix] | None = None) -> list[RTM_NET_ADDRESS]:
    """RTM_NET_ADDRESS structures for the table's prefixes (or the given ones), in order."""
    af, width = table.af, table.width
    return [
        net_address(af, width, addr, nbits) for addr, nbits, _ in (table.prefixes if prefixes is None else prefixes)
    ]


def host_addresses(table: PrefixTable, hosts: Iterable[int]) -> list[RTM_NET_ADDRESS]:
    """Host (/32 or /128) RTM_NET_ADDRESS structures for int addresses."""
    af, width = table.af, table.width
    return [net_address(af, width, host, width) for host in hosts]


def lookup_addresses(table: PrefixTable, count: int, seed: int, inside: float = 0.5) -> list[int]:
    """``count`` host addresses: a fraction ``inside`` are random hosts of random prefixes of the table (always
    covered), the rest uniform over the address space (IPv6: over 2000::/3), covered or not."""
    rng = random.Random(seed)
    prefixes = table.prefixes
    width = table.width
    n = len(prefixes)
    out: list[int] = []
    append = out.append
    for _ in range(count):
        if n and rng.random() < inside:
            addr, nbits, _ = prefixes[rng.randrange(n)]
            append(addr | rng.getrandbits(width - nbits) if nbits < width else addr)
        elif width == 32:
            append(rng.getrandbits(32))
        else:
            append((0b001 << 125) | rng.getrandbits(125))
    return out


def git_state() -> str:
    """The commit benchmarked, marked when the project's code has uncommitted changes ("unknown" outside a
    checkout)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "v2model", "rtmcompat"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (modified)" if dirty else head


def loadavg() -> str:
    """The load averages, or "n/a" where the system has none."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"
