"""Reading traces: JSON Lines in, validated records out, one line at a time; JSON mapping logs are converted.

Theory of operation
-------------------
A source is read line by line (never whole), so a full-table trace costs one record at a time here. Each line
must be a UTF-8 JSON object of at most :data:`MAX_LINE_BYTES`. The first record decides the kind of source:

* a ``header`` record: a trace-v1 file. Every record is checked against the format (the checks the JSON Schema
  ``schemas/trace-v1.json`` states, done in code so a million lines read fast, and the ones a schema cannot state:
  handle names bound before use, time that never goes back);
* a structlog JSON object with an ``event`` key: a mapping log of V1Shim. ``rtm.v1_call`` events become call
  records, ``rtm.v1_aging`` events mark time, anything else is skipped (M-TRACE-MAPPING-LOG).

Any problem raises :class:`TraceError` naming the line, the field and what was expected. Nothing is returned past
a bad line; a caller that replays while reading (``rtmcompat compare``) says how far it got.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Final

import attrs

from ._trace_codec import (
    DWORD_MAX,
    FOREIGN_PREFIX,
    FUNCTIONS,
    OPTIONAL,
    PARAMS,
    RESULTS,
    BadValueError,
    decode_out,
    decode_value,
    dword,
    handle_kind_of,
    shorten,
)
from ._trace_records import API, CLOCK_KINDS, FORMAT, VERSION, Advance, Call, Event, Header, Note, Record, TraceError

#: The longest line read (bytes, without the newline): far above any real record, low enough that a corrupt file
#: without newlines cannot exhaust memory.
MAX_LINE_BYTES: Final = 1 << 20
#: Time values (ms) and sequence numbers are 64-bit counters.
INT64_MAX: Final = (1 << 63) - 1
_MAX_THREAD = 200

_CALL_KEYS = frozenset({"type", "seq", "thread", "time_ms", "function", "args", "status", "out", "reason"})
_HEADER_KEYS = frozenset({"type", "format", "version", "api", "recorder", "protocol_priority", "clock"})
_OTHER_KEYS = {
    "advance": frozenset({"type", "ms"}),
    "event": frozenset({"type", "client", "state"}),
    "note": frozenset({"type", "text"}),
}


class NamedLines(list[bytes]):
    """The lines of an input read whole, with the name messages give it: what a command reads from standard
    input, a pipe or a FIFO, which cannot be opened a second time."""

    def __init__(self, name: str, lines: Iterable[bytes]) -> None:
        super().__init__(lines)
        self.name = name


def command_input(path: str) -> str | NamedLines:
    """What a command reads for an input named on its command line: a regular file (or anything that is not a
    stream) stays a path, read as often as needed; ``-`` (standard input), a pipe such as ``<(zcat trace.gz)``
    or a FIFO is read whole once, as :class:`NamedLines`. :class:`OSError` when it cannot be read."""
    if path == "-":
        return NamedLines("<stdin>", sys.stdin.buffer.read().splitlines())
    if not os.path.exists(path) or os.path.isfile(path) or os.path.isdir(path):
        return path
    with open(path, "rb") as handle:
        return NamedLines(path, handle.read().splitlines())


def source_name(source: object) -> str | None:
    """How error messages name a source: the path as given, the name of :class:`NamedLines`, or None for other
    lines passed in."""
    if isinstance(source, str | os.PathLike):
        return str(os.fspath(source))
    if type(source) is NamedLines:
        return source.name
    return None


def _lines(source: Any, name: str | None) -> Iterator[tuple[int, str]]:
    """(line number, text) for every non-blank line, each checked for length and UTF-8."""
    if isinstance(source, str | os.PathLike):
        try:
            handle: IO[bytes] = open(source, "rb")  # noqa: SIM115
        except OSError as exc:
            raise TraceError(f"cannot open: {exc.strerror or exc}", source=name) from None
        with handle:
            number = 0
            while True:
                try:
                    raw = handle.readline(MAX_LINE_BYTES + 2)
                except OSError as exc:
                    raise TraceError(f"cannot read: {exc.strerror or exc}", source=name, line=number + 1) from None
                if not raw:
                    return
                number += 1
                body = raw.rstrip(b"\r\n")
                if len(body) > MAX_LINE_BYTES:
                    raise TraceError(f"line longer than {MAX_LINE_BYTES} bytes", source=name, line=number)
                yield number, _text(body, name, number)
    elif isinstance(source, bytes | bytearray):
        raise TraceError("a source is a path or an iterable of lines, not bytes", source=name)
    else:
        yield from _given_lines(source, name)


def _given_lines(source: Iterable[Any], name: str | None) -> Iterator[tuple[int, str]]:
    for number, item in enumerate(source, 1):
        if isinstance(item, bytes | bytearray):
            body = bytes(item).rstrip(b"\r\n")
            if len(body) > MAX_LINE_BYTES:
                raise TraceError(f"line longer than {MAX_LINE_BYTES} bytes", source=name, line=number)
            yield number, _text(body, name, number)
        elif isinstance(item, str):
            text = item.rstrip("\r\n")
            if len(text) > MAX_LINE_BYTES:
                raise TraceError(f"line longer than {MAX_LINE_BYTES} bytes", source=name, line=number)
            yield number, text
        else:
            raise TraceError(f"expected a line of text, got {type(item).__name__}", source=name, line=number)


def _text(body: bytes, name: str | None, number: int) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TraceError(f"not UTF-8 (byte {exc.start + 1} of the line)", source=name, line=number) from None


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not a JSON number")


def _parse(text: str, name: str | None, number: int) -> dict[str, Any] | None:
    """The line's JSON object; None for a blank line. A UTF-8 byte order mark on the first line (as some Windows
    editors write) is skipped."""
    if number == 1 and text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise TraceError("not valid JSON (nested too deeply)", source=name, line=number) from None
    except ValueError as exc:
        raise TraceError(f"not valid JSON ({exc})", source=name, line=number) from None
    if not isinstance(value, dict):
        raise TraceError(f"expected a JSON object, got {type(value).__name__}", source=name, line=number)
    return value


class _Reader:
    """State carried from line to line: bound handle names, the clock's position, the call count."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.line = 0
        self.calls = 0
        self.bound: set[str] = set()
        self.position: int | None = None
        self.mapping_log = False
        #: Old mapping logs (no ``out``) name enumeration handles only where they are used: their successful
        #: RtmCreateEnumerationHandle calls wait here to be matched, in order (M-TRACE-MAPPING-LOG).
        self.pending_enums = 0

    def fail(self, message: str, field: str | None = None) -> TraceError:
        text = f"{field}: {message}" if field else message
        return TraceError(text, source=self.name, line=self.line, field=field)

    def bad(self, exc: BadValueError) -> TraceError:
        return TraceError(str(exc), source=self.name, line=self.line, field=exc.path)

    # --- keys and simple values -----------------------------------------------------------------------

    def keys(self, obj: dict[str, Any], allowed: frozenset[str], what: str) -> None:
        for key in obj:
            if key not in allowed and not key.startswith("x-"):
                raise self.fail(f"unknown key in a {what} record (allowed: {', '.join(sorted(allowed))})", key)

    def integer(self, obj: dict[str, Any], key: str, low: int, high: int, required: bool = False) -> int | None:
        if key not in obj:
            if required:
                raise self.fail(f"missing (an integer {low}..{high})", key)
            return None
        value = obj[key]
        if type(value) is not int or not low <= value <= high:
            raise self.fail(f"expected an integer {low}..{high}, got {shorten(value)}", key)
        return value

    def string(self, obj: dict[str, Any], key: str, limit: int | None = None, required: bool = False) -> str | None:
        if key not in obj:
            if required:
                raise self.fail("missing (a string)", key)
            return None
        value = obj[key]
        if not isinstance(value, str) or (limit is not None and len(value) > limit):
            more = f" of at most {limit} characters" if limit is not None else ""
            raise self.fail(f"expected a string{more}, got {shorten(value)}", key)
        return value

    # --- time -----------------------------------------------------------------------------------------

    def at(self, time_ms: int | None, key: str) -> None:
        """A call or aging at ``time_ms``: time never goes back."""
        if time_ms is None:
            return
        if self.position is None:
            self.position = time_ms
        elif time_ms < self.position:
            raise self.fail(f"time goes back: {time_ms} ms is before {self.position} ms of the records above", key)
        else:
            self.position = time_ms

    # --- header -------------------------------------------------------------------------------------------

    def header(self, obj: dict[str, Any]) -> Header:
        self.keys(obj, _HEADER_KEYS, "header")
        for key, want in (("format", FORMAT), ("api", API)):
            if obj.get(key) != want:
                raise self.fail(f'expected "{want}", got {shorten(obj.get(key))}', key)
        if obj.get("version") != VERSION:
            raise self.fail(f"unsupported trace version {shorten(obj.get('version'))} (this reader knows 1)", "version")
        recorder = obj.get("recorder", {})
        if not isinstance(recorder, dict):
            raise self.fail(f"expected an object, got {shorten(recorder)}", "recorder")
        priority = obj.get("protocol_priority", {})
        if not isinstance(priority, dict):
            raise self.fail(
                f"expected an object of protocol id -> priority, got {shorten(priority)}", "protocol_priority"
            )
        priorities: dict[int, int] = {}
        for key, value in priority.items():
            path = f"protocol_priority.{key}"
            if not key.isdigit() or len(key) > 10 or int(key) > 0xFFFFFFFF:
                raise self.fail("expected a protocol id (a DWORD written as a decimal string)", path)
            try:
                priorities[int(key)] = dword(value, path)
            except BadValueError as exc:
                raise self.bad(exc) from None
        clock = obj.get("clock", {"kind": "none"})
        if not isinstance(clock, dict):
            raise self.fail(f"expected an object, got {shorten(clock)}", "clock")
        for key in clock:
            if key not in ("kind", "start_ms", "start_filetime") and not key.startswith("x-"):
                raise self.fail("unknown key (allowed: kind, start_ms, start_filetime)", f"clock.{key}")
        kind = clock.get("kind")
        if kind not in CLOCK_KINDS:
            raise self.fail(f"expected one of {', '.join(CLOCK_KINDS)}, got {shorten(kind)}", "clock.kind")
        start = clock.get("start_ms")
        if start is not None and (type(start) is not int or not 0 <= start <= INT64_MAX):
            raise self.fail(f"expected an integer 0..{INT64_MAX}, got {shorten(start)}", "clock.start_ms")
        filetime = clock.get("start_filetime")
        if filetime is not None:
            if not isinstance(filetime, str) or not filetime.isdigit() or len(filetime) > 20:
                raise self.fail("expected a FILETIME as a decimal string", "clock.start_filetime")
            filetime = int(filetime)
        if kind != "none" and start is None:
            start = 0
        self.position = start if kind != "none" else None
        return Header(dict(recorder), priorities, kind, start, filetime, self.line, False)

    # --- calls ----------------------------------------------------------------------------------------

    def call(self, obj: dict[str, Any], function: Any, status_value: Any, key_prefix: str = "") -> Call:
        if not isinstance(function, str) or function not in PARAMS:
            known = ", ".join(FUNCTIONS)
            raise self.fail(f"unknown function {shorten(function)} (known: {known})", key_prefix or "function")
        args_obj = obj.get("args", {})
        if not isinstance(args_obj, dict):
            raise self.fail(f"expected an object of in-parameters, got {shorten(args_obj)}", "args")
        params = PARAMS[function]
        names = {name for name, _ in params}
        for key in args_obj:
            if key not in names:
                raise self.fail(f"not a parameter of {function} ({', '.join(n for n, _ in params)})", f"args.{key}")
        args: list[Any] = []
        optional = OPTIONAL.get(function, {})
        try:
            for name, kind in params:
                if name in args_obj:
                    value = decode_value(kind, args_obj[name], f"args.{name}")
                elif name in optional:
                    value = optional[name]
                else:
                    raise self.fail("missing", f"args.{name}")
                if kind in ("client", "enum") and isinstance(value, str):
                    self.use(value, f"args.{name}")
                args.append(value)
            status = self.status(status_value)
            out = self.out(obj, function)
        except BadValueError as exc:
            raise self.bad(exc) from None
        time_ms = self.integer(obj, "time_ms", 0, INT64_MAX)
        self.at(time_ms, "time_ms")
        self.calls += 1
        call = Call(
            self.calls,
            function,
            tuple(args),
            status,
            out,
            self.integer(obj, "seq", 1, INT64_MAX),
            self.string(obj, "thread", _MAX_THREAD),
            time_ms,
            self.line,
            self.string(obj, "reason"),
        )
        self.bind(call, obj)
        return call

    def status(self, value: Any) -> int:
        if isinstance(value, dict):
            for key in value:
                if key not in ("value", "name"):
                    raise BadValueError(f"status.{key}", "only 'value' and 'name'", value)
            if "name" in value and not isinstance(value["name"], str):
                raise BadValueError("status.name", "a string", value["name"])
            return dword(value.get("value"), "status.value", what="a Win32 status")
        return dword(value, "status", what="a Win32 status")

    def out(self, obj: dict[str, Any], function: str) -> tuple[Any, ...] | None:
        if "out" not in obj or (self.mapping_log and obj["out"] is None):
            return None
        out_obj = obj["out"]
        if not isinstance(out_obj, dict):
            raise BadValueError("out", f"an object of {function}'s result fields", out_obj)
        fields = RESULTS[function]
        if not self.mapping_log:
            known = {name for name, _ in fields}
            for key in out_obj:
                if key not in known:
                    raise BadValueError(
                        f"out.{key}", f"a result field of {function} ({', '.join(known) or 'none'})", None
                    )
            for name, _ in fields:
                if name not in out_obj:
                    raise BadValueError(f"out.{name}", "the field (null when the call did not write it)", None)
        return tuple(decode_out(kind, out_obj.get(name), f"out.{name}") for name, kind in fields)

    def use(self, name: str, field: str) -> None:
        """A handle name used as an argument must have been bound by an earlier call's result."""
        if name in self.bound or name.startswith(FOREIGN_PREFIX):
            return
        if self.mapping_log and handle_kind_of(name) == "enum" and self.pending_enums:
            self.pending_enums -= 1  # an old log: the earliest unnamed enumeration handle is this one
            self.bound.add(name)
            return
        raise self.fail(f"handle {name!r} is never bound (no earlier call returned it)", field)

    def bind(self, call: Call, obj: dict[str, Any]) -> None:
        """Names returned by a call are bound from then on; a name is bound once."""
        if call.out is None:
            if self.mapping_log and call.function == "RtmCreateEnumerationHandle" and call.status == 0:
                self.pending_enums += 1
            return
        for (field, kind), value in zip(RESULTS[call.function], call.out, strict=True):
            if kind not in ("client", "enum") or value is None:
                continue
            if not isinstance(value, str) or handle_kind_of(value) != kind:
                raise self.fail(f"expected a {kind} handle name, got {shorten(value)}", f"out.{field}")
            if value in self.bound:
                raise self.fail(f"handle {value!r} is bound twice", f"out.{field}")
            self.bound.add(value)

    # --- trace records ----------------------------------------------------------------------------------

    def record(self, obj: dict[str, Any]) -> Record:
        kind = obj.get("type")
        if kind == "call":
            self.keys(obj, _CALL_KEYS, "call")
            if "status" not in obj:
                raise self.fail("missing (the status the call returned)", "status")
            if "function" not in obj:
                raise self.fail("missing (a v1 function name)", "function")
            return self.call(obj, obj["function"], obj["status"])
        if kind == "header":
            raise self.fail("a second header (a trace has one, on its first line)", "type")
        if kind not in _OTHER_KEYS:
            raise self.fail(f"unknown record type {shorten(kind)} (header, call, advance, event, note)", "type")
        self.keys(obj, _OTHER_KEYS[kind], str(kind))
        if kind == "advance":
            ms = self.integer(obj, "ms", 0, INT64_MAX, required=True)
            assert ms is not None
            if self.position is not None:
                self.position += ms
            return Advance(ms, self.line)
        if kind == "event":
            client = self.string(obj, "client", 200, required=True)
            assert client is not None
            if handle_kind_of(client) != "client":
                raise self.fail(f"expected a client handle name, got {shorten(client)}", "client")
            if client not in self.bound:
                raise self.fail(f"handle {client!r} is never bound (no earlier call returned it)", "client")
            state = obj.get("state")
            if state not in ("set", "reset"):
                raise self.fail(f'expected "set" or "reset", got {shorten(state)}', "state")
            return Event(client, state == "set", self.line)
        text = self.string(obj, "text", required=True)
        assert text is not None
        return Note(text, self.line)

    # --- mapping logs -----------------------------------------------------------------------------------

    def log_entry(self, obj: dict[str, Any]) -> list[Record]:
        event = obj.get("event")
        if event == "rtm.v1_aging":
            time_ms = self.integer(obj, "time_ms", 0, INT64_MAX)
            before = self.position
            self.at(time_ms, "time_ms")
            if time_ms is not None and before is not None and time_ms > before:
                return [Advance(time_ms - before, self.line)]
            return []
        if event != "rtm.v1_call":
            return []
        if "status" not in obj:
            raise self.fail("missing (the status the call returned)", "status")
        call = self.call(obj, obj.get("v1"), obj["status"], "v1")
        if call.function == "RtmRegisterClient" and call.out is None and call.status == 0:
            # Logs written before ``out`` existed name the new client in ``client``.
            name = obj.get("client")
            if isinstance(name, str) and handle_kind_of(name) == "client" and name not in self.bound:
                self.bound.add(name)
                return [attrs.evolve(call, out=(name,))]
        return [call]


def _log_priorities(lines: Iterable[tuple[int, str]]) -> dict[int, int]:
    """The protocol priorities a mapping log's RtmRegisterClient events carry (``priority``, M-TRACE-MAPPING-LOG):
    what the shim that wrote it was built with, for every protocol whose routes it holds. Only the lines that name
    RtmRegisterClient are parsed; anything malformed is left for the reading proper to report."""
    found: dict[int, int] = {}
    for _, text in lines:
        if "RtmRegisterClient" not in text or '"priority"' not in text:
            continue
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError):
            continue
        if not isinstance(obj, dict) or obj.get("event") != "rtm.v1_call" or obj.get("v1") != "RtmRegisterClient":
            continue
        args, priority = obj.get("args"), obj.get("priority")
        protocol = args.get("RoutingProtocol") if isinstance(args, dict) else None
        if (
            type(protocol) is int
            and type(priority) is int
            and 0 <= protocol <= DWORD_MAX
            and 0 <= priority <= DWORD_MAX
        ):
            found.setdefault(protocol, priority)
    return found


def _prepared(source: Any, name: str | None) -> tuple[Iterator[tuple[int, str]], dict[int, int]]:
    """The source's lines and, when it is a mapping log (its first object is a structlog event), the protocol
    priorities its registrations carry. A log has to be read twice for that: a file is opened again, lines passed in
    (which can be read only once) are kept."""
    lines = _lines(source, name)
    head: list[tuple[int, str]] = []
    first: dict[str, Any] | None = None
    for number, text in lines:
        head.append((number, text))
        first = _parse(text, name, number)
        if first is not None:
            break
    if first is None or not isinstance(first.get("event"), str):
        return itertools.chain(head, lines), {}
    if name is None:
        head += lines
        return iter(head), _log_priorities(head)
    return itertools.chain(head, lines), _log_priorities(_lines(source, name))


def iter_records(source: str | os.PathLike[str] | Iterable[str | bytes]) -> Iterator[Record]:
    """The validated records of a trace or JSON mapping log, one at a time (the header first)."""
    name = source_name(source)
    reader = _Reader(name)
    started = False
    announced_old = False
    lines, priorities = _prepared(source, name)
    for number, text in lines:
        reader.line = number
        obj = _parse(text, name, number)
        if obj is None:
            continue
        if not started:
            started = True
            if obj.get("type") == "header":
                yield reader.header(obj)
                continue
            if isinstance(obj.get("event"), str):
                reader.mapping_log = True
            else:
                raise reader.fail(
                    f'missing header: a trace starts with {{"type": "header", "format": "{FORMAT}", ...}} '
                    "(or is a JSON mapping log, one structlog event per line)"
                )
        if not reader.mapping_log:
            yield reader.record(obj)
            continue
        for record in reader.log_entry(obj):
            if isinstance(record, Call) and reader.calls == 1:
                clock = "none" if record.time_ms is None else "manual"
                yield Header({"tool": "V1Shim mapping log"}, priorities, clock, record.time_ms, None, number, True)
                yield Note("converted from a JSON mapping log (rtm.v1_call events)", number)
            if isinstance(record, Call) and record.time_ms is None and not announced_old:
                announced_old = True
                yield Note(
                    "the mapping log has no time_ms: clock steps cannot be recovered, so routes age only as far as "
                    "other time marks say",
                    number,
                )
            if reader.calls == 0 and isinstance(record, Advance):
                continue  # aging before the first call only moves where the clock starts
            yield record
    if not started:
        raise TraceError("empty: no records (a trace starts with a header line)", source=name)
    if reader.mapping_log and reader.calls == 0:
        raise TraceError("a JSON log without rtm.v1_call events is not a trace", source=name)


def read(source: str | Path | Iterable[str | bytes]) -> list[Record]:
    """Every validated record of a trace or JSON mapping log (see :func:`iter_records`)."""
    # Holding a million records makes each cyclic-GC pass walk all of them (40% of the time here); records hold
    # no cycles, so collection waits until the list is built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(iter_records(source))
    finally:
        if enabled:
            gc.enable()
