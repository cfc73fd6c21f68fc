"""CI controls of ``rtmcompat scan``: stable fingerprints, ``--baseline`` and inline suppression comments.

Theory of operation (docs/behaviour.md M-SCAN-FINGERPRINT, M-SCAN-SUPPRESS)
--------------------------------------------------------------------------
* **Fingerprints** identify a finding across runs without its line number, so code moving up or down keeps them:
  a hash of the path, the rule, the symbol, the kind, the enclosing function and the text of the line with all
  blanks removed, plus the finding's occurrence number among findings with the same key in that file. Editing the
  line itself (or renaming the function) makes the finding new, as it should.
* **Baseline.** ``--baseline FILE`` takes a previous JSON report (``findings[].fingerprint``) or SARIF log
  (``partialFingerprints["rtmcompat/v1"]``) and drops every finding whose fingerprint it holds, so CI reports only
  what a change introduced.
* **Suppressions.** ``// rtmcompat: ignore[RtmAddRoute] reason: ported in #42`` (any comment style) silences the
  named symbols (comma-separated; ``*`` or no brackets for every symbol) on its own line when it follows code, or
  on the next line when the comment stands alone. The reason is mandatory: a suppression without one, or a comment
  starting ``rtmcompat:`` that does not parse, is a finding itself and silences nothing; one that silences
  nothing is reported as a note.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ._scanmodel import Finding

#: The key of our fingerprint in SARIF ``partialFingerprints`` (versioned: a new formula gets a new key).
FINGERPRINT_KEY = "rtmcompat/v1"
MARKER = "rtmcompat:"
SUPPRESSION_SYMBOL = "rtmcompat:ignore"
SUPPRESSION_RULE = "rtmcompat/suppression"


def fingerprints(path: str, findings: Sequence[Finding], line_text: Sequence[str]) -> list[str]:
    """The fingerprint of each finding of one file, in order; ``line_text[i]`` is the text of findings[i]'s line."""
    seen: Counter[str] = Counter()
    out = []
    for finding, text in zip(findings, line_text, strict=True):
        key = "\x1f".join(
            (path, finding.rule, finding.symbol, finding.kind, finding.function or "", "".join(text.split()))
        )
        number = seen[key]
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}\x1f{number}".encode()).hexdigest()[:32])
    return out


class BaselineError(Exception):
    """The baseline file cannot be used (unreadable, not JSON, neither a scan report nor a SARIF log)."""


def load_baseline(path: str) -> Counter[str]:
    """The fingerprints of a previous ``rtmcompat scan`` JSON report or SARIF log, with their counts."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
    except RecursionError:
        raise BaselineError(f"baseline {path} is not a usable JSON document: nested too deeply") from None
    found: Counter[str] = Counter()
    if isinstance(document, dict) and isinstance(document.get("findings"), list):
        for item in document["findings"]:
            fingerprint = item.get("fingerprint") if isinstance(item, dict) else None
            if isinstance(fingerprint, str) and fingerprint:
                found[fingerprint] += 1
        return found
    if isinstance(document, dict) and isinstance(document.get("runs"), list):
        for run in document["runs"]:
            for result in _results(run):
                fingerprint = (result.get("partialFingerprints") or {}).get(FINGERPRINT_KEY)
                if isinstance(fingerprint, str) and fingerprint:
                    found[fingerprint] += 1
        return found
    raise BaselineError(
        f"baseline {path} is neither an `rtmcompat scan --format json` report nor a SARIF log from `--format sarif`"
    )


def _results(run: Any) -> Iterable[dict[str, Any]]:
    results = run.get("results") if isinstance(run, dict) else None
    if not isinstance(results, list):
        return ()
    return (result for result in results if isinstance(result, dict))


def apply_baseline(findings: Iterable[Finding], known: Counter[str]) -> tuple[list[Finding], int]:
    """The findings the baseline does not hold, and how many it did."""
    remaining = Counter(known)
    new, old = [], 0
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            old += 1
        else:
            new.append(finding)
    return new, old


@attrs.frozen
class Suppression:
    """One ``rtmcompat:`` comment: what it silences where, or what is wrong with it."""

    #: Line and column of the marker.
    line: int
    column: int
    #: The line it applies to.
    target: int
    #: The symbols it silences, None for every symbol.
    symbols: frozenset[str] | None
    reason: str | None
    #: Why it silences nothing (no reason, does not parse), else None.
    problem: str | None
    #: The text of the comment's line (for the fingerprint of a finding about the comment).
    line_text: str = ""


def parse_suppression(text: str) -> tuple[frozenset[str] | None, str | None, str | None]:
    """``(symbols, reason, problem)`` of the comment text following the ``rtmcompat:`` marker."""
    rest = text.strip()
    if not rest.startswith("ignore"):
        return None, None, "not a suppression: write `rtmcompat: ignore[SYMBOL] reason: why`"
    rest = rest[len("ignore") :]
    symbols: frozenset[str] | None = None
    if rest.startswith("["):
        close = rest.find("]")
        if close < 0:
            return None, None, "suppression without a closing `]`"
        names = frozenset(name.strip() for name in rest[1:close].split(",") if name.strip())
        symbols = None if not names or "*" in names else names
        rest = rest[close + 1 :]
    rest = rest.strip()
    for end in ("*/", "-->"):
        if rest.endswith(end):
            rest = rest[: -len(end)].rstrip()
    if not rest.startswith("reason:") or not rest[len("reason:") :].strip():
        return symbols, None, "suppression without a reason: write `reason: why` after the symbols"
    return symbols, rest[len("reason:") :].strip(), None
