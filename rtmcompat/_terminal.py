"""What the commands may do to a terminal: colour only for a person, progress only on a terminal.

Colour follows the NO_COLOR convention (https://no-color.org): never when ``NO_COLOR`` is set to anything non-empty,
never when the stream is not a terminal or ``TERM`` is ``dumb``. A progress bar is drawn on stderr, only when stderr
is a terminal and the command was not asked to be quiet; piped or redirected runs get no bar at all.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

_CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "bold": "1", "dim": "2"}


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal (False for files, pipes and closed streams)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def wants_color(stream: TextIO) -> bool:
    """Whether text written to ``stream`` may carry ANSI colour."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


class Painter:
    """Wraps text in ANSI colour codes, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        """``text`` in the given styles (``red``, ``green``, ``yellow``, ``blue``, ``bold``, ``dim``)."""
        if not self.enabled or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


class Progress:
    """A one-line progress bar on ``stream`` that redraws at most ten times a second; silent when disabled.

    ``with Progress(stderr, total, "replaying", enabled) as bar: bar.advance()``. The line is erased when the
    block ends, so the terminal keeps only the command's real output.
    """

    def __init__(self, stream: TextIO, total: int | None, label: str, enabled: bool) -> None:
        self._stream = stream
        self._total = total
        self._label = label
        self._enabled = enabled
        self._done = 0
        self._last_draw = 0.0
        self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def advance(self, n: int = 1, note: str = "") -> None:
        """Count ``n`` more units of work; redraw if enough time passed."""
        self._done += n
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last_draw < 0.1 and (self._total is None or self._done < self._total):
            return
        self._last_draw = now
        self._draw(note)

    def _draw(self, note: str) -> None:
        if self._total:
            width = 30
            filled = min(width, width * self._done // self._total)
            bar = "#" * filled + "-" * (width - filled)
            text = f"{self._label} [{bar}] {self._done}/{self._total}"
        else:
            text = f"{self._label} {self._done}"
        if note:
            text += f" {note}"
        try:
            self._stream.write("\r\x1b[2K" + text[:200])
            self._stream.flush()
            self._drawn = True
        except (OSError, ValueError):
            self._enabled = False

    def close(self) -> None:
        """Erase the bar (if one was drawn)."""
        if self._drawn:
            try:
                self._stream.write("\r\x1b[2K")
                self._stream.flush()
            except (OSError, ValueError):
                pass
            self._drawn = False
