"""Where the commands write: ``--output`` to files, symlinks, directories, FIFOs and full devices, and stdout
that cannot be written."""

from __future__ import annotations

import errno
import io
import os
import stat
import threading
from pathlib import Path

import pytest

from rtmcompat.cli import main

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "ospf.jsonl")


class _FullStream(io.StringIO):
    """A stdout on a full disk: every write fails with ENOSPC."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class TestOutputOption:
    def test_a_new_file_is_written_whole(self, tmp_path: Path) -> None:
        """``--output FILE`` writes the report there, nothing on stdout and no temporary file left beside it."""
        out, err = io.StringIO(), io.StringIO()
        target = tmp_path / "report.json"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdout", out)
            patch.setattr("sys.stderr", err)
            status = main(["--quiet", "compare", "--format", "json", "--output", str(target), EXAMPLE])
        assert (0, "", ["report.json"]) == (status, out.getvalue(), sorted(p.name for p in tmp_path.iterdir()))
        assert '"verdict": "identical"' in target.read_text(encoding="utf-8")

    def test_a_directory_is_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A directory as ``--output`` is exit 2 with a one-line message, and the directory is left as it was."""
        (tmp_path / "keep").write_text("x")
        status = main(["--quiet", "compare", "--output", str(tmp_path), EXAMPLE])
        assert (2, f"rtmcompat compare: error: cannot write {tmp_path}: it is a directory\n") == (
            status,
            capsys.readouterr().err,
        )
        assert (True, ["keep"]) == (tmp_path.is_dir(), sorted(p.name for p in tmp_path.iterdir()))

    def test_a_symlink_is_written_through(self, tmp_path: Path) -> None:
        """Through a symlink the report lands in the file it points to, and the link stays a link."""
        real, link = tmp_path / "real.txt", tmp_path / "link.txt"
        real.write_text("old")
        link.symlink_to(real)
        assert 0 == main(["--quiet", "compare", "--output", str(link), EXAMPLE])
        assert (True, True) == (link.is_symlink(), "identical" in real.read_text(encoding="utf-8"))

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
    def test_a_fifo_is_written_in_place(self, tmp_path: Path) -> None:
        """A FIFO (or any other file that is not a regular one) is written, never replaced by a regular file."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
        reader.start()
        status = main(["--quiet", "compare", "--output", str(fifo), EXAMPLE])
        reader.join(timeout=30)
        assert (0, True, True) == (status, stat.S_ISFIFO(os.stat(fifo).st_mode), b"identical" in b"".join(got))

    @pytest.mark.skipif(
        not (os.path.exists("/dev/full") and stat.S_ISCHR(os.stat("/dev/full").st_mode)), reason="needs /dev/full"
    )
    def test_a_full_device_is_a_one_line_error(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """What cannot be written (a full disk, here /dev/full through a link) is exit 2 with the system's reason,
        and the device is still a device afterwards. (Through a link of our own, so code that replaced its output
        would replace the link, never the system's device.)"""
        full = tmp_path / "full"
        full.symlink_to("/dev/full")
        status = main(["--quiet", "compare", "--output", str(full), EXAMPLE])
        assert (2, f"rtmcompat compare: error: cannot write {full}: No space left on device\n") == (
            status,
            capsys.readouterr().err,
        )
        assert (True, True) == (full.is_symlink(), stat.S_ISCHR(os.stat("/dev/full").st_mode))


class TestStdout:
    def test_a_full_stdout_is_a_one_line_error(self) -> None:
        """Results that cannot be written to stdout end the command with exit 2 and one line on stderr."""
        err = io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdout", _FullStream())
            patch.setattr("sys.stderr", err)
            status = main(["mapping"])
        assert (2, "rtmcompat mapping: error: cannot write the output: No space left on device\n") == (
            status,
            err.getvalue(),
        )
