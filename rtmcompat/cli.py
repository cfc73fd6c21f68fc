"""The ``rtmcompat`` command: options every subcommand shares, logging, output streams and exit statuses.

This is the only code in the project that configures structlog. Each subcommand lives in its own module of
:mod:`rtmcompat.commands`; this module builds the parser from them and runs the one that was asked for.

Behaviour shared by every subcommand (a good Unix tool's manners):

* results on stdout (or ``--output PATH`` where a command has it), logs and progress on stderr;
* ``--log-format console|json`` and ``--quiet`` (warnings and errors only) before or after the subcommand;
* colour only on a terminal and never when ``NO_COLOR`` is set;
* exit statuses: 0 success, 1 what the command was asked to find was found (documented per command), 2 a usage
  error or an input that cannot be read, 130 interrupted; a closed output pipe (``rtmcompat demo | head``)
  ends the command quietly with 141, as a Unix tool killed by SIGPIPE would;
* errors are one line on stderr (``rtmcompat compare: error: ...``), never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import ipaddress
import json
import os
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from typing import IO, Any, Protocol, TextIO, cast

import attrs
import structlog

from . import __version__
from ._terminal import Painter, Progress, is_terminal, wants_color

#: The subcommands, in the order ``--help`` lists them; each is a module of rtmcompat.commands.
COMMANDS: tuple[str, ...] = ("demo", "mapping", "guide", "scan", "compare", "replay", "fuzz", "plan")

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class CommandError(Exception):
    """Ends a command with a one-line message on stderr and ``status`` (2 unless said otherwise)."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


@attrs.frozen
class Context:
    """What a subcommand gets besides its arguments: the streams, the logger and the terminal's manners."""

    #: Where results go (the real stdout; ``output`` below honours ``--output``).
    stdout: TextIO
    #: Where logs, progress and error messages go.
    stderr: TextIO
    #: A structlog logger writing to stderr in the chosen format.
    log: Any
    #: ``--quiet``: no progress, info logs suppressed.
    quiet: bool

    def paint(self, stream: TextIO) -> Painter:
        """A painter that colours text for ``stream`` only where colour is allowed."""
        return Painter(wants_color(stream))

    def progress(self, total: int | None, label: str) -> Progress:
        """A progress bar on stderr (drawn only on a terminal, never with ``--quiet``)."""
        return Progress(self.stderr, total, label, enabled=not self.quiet and is_terminal(self.stderr))

    @contextlib.contextmanager
    def output(self, path: str | None, *, binary: bool = False) -> Iterator[IO[Any]]:
        """The stream results are written to: stdout, or the file ``path`` (``-`` means stdout).

        A regular file (new, or reached through a symlink) is written next to its final name and moved into place
        when the command finishes without an error, so a failed run never leaves half a report behind. Anything
        else that exists (``/dev/null``, a FIFO, a terminal) is written in place and never replaced; a directory
        is an error. Failing to write is a one-line :class:`CommandError`.
        """
        if path is None or path == "-":
            yield self.stdout.buffer if binary else self.stdout
            return
        mode, encoding = ("wb", None) if binary else ("w", "utf-8")
        target = os.path.realpath(path)
        if os.path.isdir(target):
            raise CommandError(f"cannot write {path}: it is a directory")
        in_place = os.path.exists(target) and not os.path.isfile(target)
        written = target if in_place else f"{target}.tmp{os.getpid()}"
        try:
            handle = open(written, mode, encoding=encoding)  # noqa: SIM115 - closed below, before the move
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        body_done = False
        try:
            try:
                yield handle
                body_done = True
            except OSError as exc:
                if exc.errno not in _WRITE_ERRNOS:
                    raise
                raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
            finally:
                if not body_done:
                    with contextlib.suppress(OSError):  # the body's error is the one to report
                        handle.close()
            try:
                handle.close()  # what the buffer still held meets a full disk (or /dev/full) here
                if not in_place:
                    os.replace(written, target)
            except OSError as exc:
                raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
        except BaseException:
            if not in_place:
                with contextlib.suppress(OSError):
                    os.unlink(written)
            raise


#: The errors of a failed write (full disk, quota, file too large, I/O error) that ``Context.output`` reports as
#: "cannot write"; any other error comes from the command itself and is not relabelled.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


class Command(Protocol):
    """What a module of rtmcompat.commands provides."""

    NAME: str
    HELP: str
    DESCRIPTION: str
    #: (status, meaning) pairs listed under "exit status" in the command's --help.
    EXIT_STATUS: tuple[tuple[int, str], ...]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...
    def run(self, args: argparse.Namespace, ctx: Context) -> int: ...


def version() -> str:
    """``rtmcompat X.Y.Z``."""
    return f"rtmcompat {__version__}"


def _command(name: str) -> Command:
    return cast(Command, importlib.import_module(f"rtmcompat.commands.{name}"))


def _common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options every level accepts; a subcommand's copies default to SUPPRESS so the top level's value stands."""

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("logging")
    group.add_argument(
        "--log-format",
        choices=("console", "json"),
        default=default("console"),
        help="how logs on stderr look (default: console)",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="no progress; warnings and errors only"
    )


def _epilog(exit_status: tuple[tuple[int, str], ...]) -> str:
    lines = ["exit status:"]
    lines += [f"  {status:<3} {meaning}" for status, meaning in exit_status]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The full parser: common options and one subparser per command."""
    parser = argparse.ArgumentParser(
        prog="rtmcompat",
        description="Move routing software from Windows' RTMv1 API (rtm.h) onto RTMv2 (rtmv2.h) semantics.",
        epilog=_epilog(
            (
                (EXIT_OK, "success"),
                (EXIT_FOUND, "the command found what it reports (see each command's --help)"),
                (EXIT_USAGE, "usage error, an input that cannot be read, or an output that cannot be written"),
                (EXIT_BROKEN_PIPE, "the output pipe was closed early"),
            )
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=version())
    _common_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        command = _command(name)
        child = sub.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.DESCRIPTION,
            epilog=_epilog(command.EXIT_STATUS),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(child)
        _common_options(child, suppress=True)
        child.set_defaults(_run=command.run, _name=command.NAME)
    return parser


def _compact_routes(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """In console logs, show the v1 route structures of a call's arguments and outputs as one readable phrase each
    (JSON logs keep every field)."""
    for key in ("args", "out"):
        fields = event.get(key)
        if isinstance(fields, dict):
            event[key] = {name: _route_phrase(value) for name, value in fields.items()}
    return event


def _route_phrase(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("RR_Network"), dict):
        return value
    network, nexthop = value["RR_Network"], value.get("RR_NextHopAddress") or {}
    if "N_NetMask" not in network:
        return f"ipx {network.get('N_NetNumber')} via {nexthop.get('NHA_Mac')} if {value.get('RR_InterfaceID')}"
    metric = (value.get("RR_FamilySpecificData") or {}).get("FSD_Metric")
    try:
        where = str(ipaddress.IPv4Network(f"{network.get('N_NetNumber')}/{network.get('N_NetMask')}", strict=False))
    except ValueError:
        where = f"{network.get('N_NetNumber')}/{network.get('N_NetMask')}"
    return f"{where} via {nexthop.get('N_NetNumber')} if {value.get('RR_InterfaceID')} metric {metric}"


def configure_logging(log_format: str, quiet: bool, stream: TextIO) -> Any:
    """Configure structlog for a run of the command (never called by the library) and return a logger."""
    processors: list[Any] = [structlog.processors.add_log_level]
    if log_format == "json":
        processors += [structlog.processors.TimeStamper(fmt="iso", utc=True), structlog.processors.JSONRenderer()]
    else:
        processors.append(_compact_routes)
        processors.append(structlog.dev.ConsoleRenderer(colors=wants_color(stream), sort_keys=False))
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(30 if quiet else 20),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=False,
    )
    return structlog.get_logger("rtmcompat")


def _fail(prog: str, message: str, stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"{prog}: error: {message}", file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``rtmcompat``; returns the exit status."""
    stdout, stderr = sys.stdout, sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: argparse has printed what it had to
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    prog = f"rtmcompat {args._name}"
    ctx = Context(stdout, stderr, configure_logging(args.log_format, args.quiet, stderr), args.quiet)
    try:
        status = int(args._run(args, ctx))
        stdout.flush()
        return status
    except CommandError as exc:
        _fail(prog, str(exc), stderr)
        return exc.status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS:
            raise
        _fail(prog, f"cannot write the output: {exc.strerror or exc}", stderr)  # stdout on a full disk
        _silence_stdout()
        return EXIT_USAGE


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def dump_json(value: Any, stream: IO[str]) -> None:
    """Write ``value`` as indented JSON followed by a newline (the machine-readable outputs)."""
    json.dump(value, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
