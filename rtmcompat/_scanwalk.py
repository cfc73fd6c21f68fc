"""Which files ``rtmcompat scan`` reads: walking the paths given, with symlink loops and odd entries handled.

Theory of operation (docs/behaviour.md M-SCAN-WALK)
---------------------------------------------------
* A path named on the command line is scanned whatever its name: a known source or build-file name picks the
  reader, anything else is read as C (its entry says so). A path that does not exist is reported as missing.
* Directories are walked depth first in name order (reports are reproducible). C and C++ sources (``.c .h .cc
  .cpp .cxx .hh .hpp .hxx .inl``) and build files that may link rtm.lib (``.vcxproj .vcproj .props .targets .def
  .cmake .mak .mk``, ``CMakeLists.txt``, ``Makefile``, ``GNUmakefile``, WDK ``sources``) are read; every other
  file is counted, by reason, in the summary; version-control folders (``.git .hg .svn``) are not entered and are
  counted too.
* Symbolic links to directories are followed once: a link back into a directory being walked is reported as a
  loop and not entered. The same file reached twice (links, overlapping arguments) is scanned once and the second
  path is listed as a duplicate. A directory that cannot be listed gets an entry with the reason.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Literal, NamedTuple

#: How a file is read: ``c`` and ``cpp`` by grammar, ``header`` for ``.h`` (C, or C++ when it reads better),
#: ``inline`` for ``.inl`` (C++, or C when it reads better), ``build`` for build files.
Reader = Literal["c", "cpp", "header", "inline", "build"]

SOURCE_EXTENSIONS: dict[str, Reader] = {
    ".c": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hh": "cpp",
    ".hpp": "cpp",
    ".hxx": "cpp",
    ".h": "header",
    ".inl": "inline",
}
BUILD_EXTENSIONS = frozenset({".vcxproj", ".vcproj", ".props", ".targets", ".def", ".cmake", ".mak", ".mk"})
BUILD_NAMES = frozenset({"cmakelists.txt", "makefile", "gnumakefile", "sources"})
SKIPPED_DIRECTORIES = frozenset({".git", ".hg", ".svn"})


class Entry(NamedTuple):
    """A file to read."""

    #: The path as reported: the argument as given, joined with the path below it.
    path: str
    reader: Reader
    #: Why this reader (for files named explicitly with an unknown suffix), or None.
    note: str | None


class Problem(NamedTuple):
    """A path that was not read, and why."""

    path: str
    reason: str
    #: ``missing`` for a command-line path that does not exist, ``skipped`` for the rest.
    status: Literal["missing", "skipped"]


def reader_for(name: str) -> Reader | None:
    """The reader of a file called ``name``, or None when it is neither a source nor a build file."""
    lower = name.lower()
    suffix = os.path.splitext(lower)[1]
    if suffix in SOURCE_EXTENSIONS:
        return SOURCE_EXTENSIONS[suffix]
    if suffix in BUILD_EXTENSIONS or lower in BUILD_NAMES:
        return "build"
    return None


class Walk:
    """Iterate the files under ``paths``; afterwards :attr:`not_read` counts what was passed over, by reason."""

    def __init__(self, paths: Sequence[str]) -> None:
        self._paths = list(paths)
        self.not_read: Counter[str] = Counter()
        self._seen_files: dict[tuple[int, int], str] = {}

    def __iter__(self) -> Iterator[Entry | Problem]:
        for path in self._paths:
            yield from self._argument(path)

    def _argument(self, path: str) -> Iterator[Entry | Problem]:
        try:
            info = os.stat(path)
        except OSError as exc:
            if os.path.lexists(path):
                yield Problem(path, f"does not exist: broken or looping symbolic link ({exc.strerror})", "missing")
            else:
                yield Problem(path, "does not exist", "missing")
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._directory(path, [(info.st_dev, info.st_ino)])
            return
        reader = reader_for(os.path.basename(path))
        note = None
        if reader is None:
            reader, note = "c", "named on the command line with an unknown suffix: read as C"
        yield from self._file(path, reader, note, info)

    def _file(self, path: str, reader: Reader, note: str | None, info: os.stat_result) -> Iterator[Entry | Problem]:
        key = (info.st_dev, info.st_ino)
        first = self._seen_files.get(key)
        if first is not None:
            yield Problem(path, f"duplicate: the same file as {first}, scanned once", "skipped")
            return
        self._seen_files[key] = path
        yield Entry(path, reader, note)

    def _directory(self, path: str, ancestors: list[tuple[int, int]]) -> Iterator[Entry | Problem]:
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield Problem(path, f"cannot list directory: {exc.strerror or exc}", "skipped")
            return
        for entry in entries:
            child = os.path.join(path, entry.name)
            try:
                info = entry.stat(follow_symlinks=True)
            except OSError as exc:
                if entry.is_symlink():
                    yield Problem(child, f"broken or looping symbolic link ({exc.strerror}): not followed", "skipped")
                elif reader_for(entry.name) is not None:
                    yield Problem(child, f"cannot read: {exc.strerror or exc}", "skipped")
                else:
                    self.not_read["not a C/C++ source or build file"] += 1
                continue
            if stat.S_ISDIR(info.st_mode):
                if entry.name in SKIPPED_DIRECTORIES:
                    self.not_read[f"{entry.name} directory (version control), not entered"] += 1
                    continue
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    yield Problem(
                        child, "symbolic link loop: leads back to a directory being walked; not followed", "skipped"
                    )
                    continue
                yield from self._directory(child, [*ancestors, key])
                continue
            reader = reader_for(entry.name)
            if reader is None:
                self.not_read["not a C/C++ source or build file"] += 1
                continue
            yield from self._file(child, reader, None, info)
