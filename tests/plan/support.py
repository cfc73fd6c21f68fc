"""Helpers of the plan tests: the example traces, the installed command, the plan's schema, and counts computed
from trace files on their own (plain JSON, none of rtmcompat's trace reading), to check the plan against."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev environment

from tests.scan.support import COMMAND, CORPUS, run_command

__all__ = ["COMMAND", "CORPUS", "EXAMPLES", "ROOT", "TraceFacts", "facts", "plan_validator", "run_command"]

ROOT = Path(__file__).resolve().parents[2]
#: The example traces shipped with the project.
EXAMPLES = sorted((ROOT / "examples").glob("*.jsonl"))

INFINITE = 0xFFFFFFFF


def plan_validator() -> jsonschema.Draft202012Validator:
    """The plan's JSON schema."""
    text = (resources.files("rtmcompat") / "schemas" / "plan-v1.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


class TraceFacts:
    """What a trace-v1 file holds, counted line by line from its JSON: calls per function, statuses by the name the
    trace writes, flag-like arguments and outputs by their names, the calls of each flag and error path, and an
    independent replay of v1 aging and deregistration from the recorded calls and clock (V1-1.8, V1-4.2)."""

    def __init__(self, path: Path) -> None:
        self.calls = 0
        self.functions: dict[str, list[int]] = {}
        self.statuses: dict[str, Counter[str]] = {}
        self.arguments: dict[str, dict[str, Counter[str]]] = {}
        self.results: dict[str, dict[str, Counter[str]]] = {}
        self.paths: dict[str, list[int]] = {}
        #: Calls at which routes aged out, and how many.
        self.aged: dict[int, int] = {}
        #: Successful deregistrations that still had routes, and how many.
        self.left: dict[int, int] = {}
        #: Successful block deletes after which the caller's event is set.
        self.block_told: list[int] = []
        self._clients: dict[str, dict[str, Any]] = {}
        self._routes: dict[tuple[Any, ...], tuple[str, int | None, int]] = {}
        self._events: dict[str, bool] = {}
        self._pending_block: tuple[int, str] | None = None
        with open(path, encoding="utf-8") as handle:
            for text in handle:
                record = json.loads(text)
                if record["type"] == "call":
                    self._settle_block()
                    self._call(record)
                elif record["type"] == "event":
                    self._events[record["client"]] = record["state"] == "set"
        self._settle_block()

    def _hit(self, path: str, call: int) -> None:
        self.paths.setdefault(path, []).append(call)

    def _settle_block(self) -> None:
        if self._pending_block is not None:
            call, caller = self._pending_block
            if self._events.get(caller):
                self.block_told.append(call)
            self._pending_block = None

    def _key(self, client: str, route: dict[str, Any]) -> tuple[Any, ...]:
        network = route["RR_Network"]
        if self._clients[client]["single"]:
            return (client, json.dumps(network, sort_keys=True))
        nexthop = route.get("RR_NextHopAddress")
        return (client, json.dumps(network, sort_keys=True), route.get("RR_InterfaceID", 0), json.dumps(nexthop))

    def _call(self, record: dict[str, Any]) -> None:
        self.calls += 1
        call, function, args = self.calls, record["function"], record["args"]
        status = record["status"]["name"]
        out = record.get("out") or {}
        self.functions.setdefault(function, []).append(call)
        self.statuses.setdefault(function, Counter())[status] += 1
        for name, value in args.items():
            if isinstance(value, dict) and "names" in value:
                if name in ("ProtocolFamily", "RoutingProtocol"):
                    label = (value["names"] or [str(value["value"])])[0]
                else:
                    label = "|".join(value["names"]) or "0"
            elif name == "ChangeEvent":
                label = value if value is not None else "null"
            elif name == "TimeToLive":
                label = "INFINITE" if value == INFINITE else "finite"
            else:
                continue
            self.arguments.setdefault(function, {}).setdefault(name, Counter())[label] += 1
        if status in ("NO_ERROR", "ERROR_MORE_MESSAGES") and isinstance(out.get("Flags"), dict):
            self.results.setdefault(function, {}).setdefault("Flags", Counter())["|".join(out["Flags"]["names"])] += 1
        self._paths(call, function, args, status, out)
        self._age(call, record["time_ms"])
        self._table(call, function, args, status, out, record["time_ms"])

    def _paths(self, call: int, function: str, args: dict[str, Any], status: str, out: dict[str, Any]) -> None:
        client = self._clients.get(args.get("ClientHandle", ""), {})
        family = args.get("ProtocolFamily", {}).get("value", client.get("family"))
        if family == 0:
            self._hit("ipx", call)
        if function == "RtmRegisterClient" and status == "NO_ERROR":
            if "RTM_PROTOCOL_SINGLE_ROUTE" in args["Flags"]["names"]:
                self._hit("single-route", call)
            if args["ChangeEvent"] is None:
                self._hit("no-change-event", call)
        if function in ("RtmAddRoute", "RtmDeleteRoute") and client.get("single"):
            self._hit("single-route", call)
        if function == "RtmAddRoute" and status == "NO_ERROR" and args["TimeToLive"] != INFINITE:
            self._hit("finite-ttl", call)
        if status == "ERROR_CLIENT_ALREADY_EXISTS":
            self._hit("client-exists", call)
        if status == "ERROR_NO_ROUTES":
            self._hit("no-routes", call)
        named = {
            "ERROR_NO_SUCH_ROUTE": "no-such-route",
            "ERROR_NO_MORE_ROUTES": "no-more-routes",
            "ERROR_MORE_MESSAGES": "more-messages",
            "ERROR_NO_MESSAGES": "no-messages",
        }
        if status in named:
            self._hit(named[status], call)
        if status in ("NO_ERROR", "ERROR_MORE_MESSAGES") and out.get("PrevBestRoute") is not None:
            self._hit("previous-best", call)

    def _age(self, call: int, now: int) -> None:
        due = [key for key, (_, deadline, _) in self._routes.items() if deadline is not None and deadline <= now]
        for key in due:
            del self._routes[key]
        if due:
            self.aged[call] = len(due)

    def _table(
        self, call: int, function: str, args: dict[str, Any], status: str, out: dict[str, Any], now: int
    ) -> None:
        if status != "NO_ERROR":
            return
        if function == "RtmRegisterClient":
            flags = args["Flags"]["names"]
            name = out["ClientHandle"]
            self._clients[name] = {
                "family": args["ProtocolFamily"]["value"],
                "single": "RTM_PROTOCOL_SINGLE_ROUTE" in flags,
            }
            self._events[name] = False  # a new client starts with its event reset (V1-A18)
        elif function == "RtmAddRoute":
            client, route, ttl = args["ClientHandle"], args["Route"], args["TimeToLive"]
            deadline = None if ttl == INFINITE else now + ttl * 1000
            self._routes[self._key(client, route)] = (client, deadline, route.get("RR_InterfaceID", 0))
        elif function == "RtmDeleteRoute":
            self._routes.pop(self._key(args["ClientHandle"], args["Route"]), None)
        elif function == "RtmBlockDeleteRoutes":
            client, names = args["ClientHandle"], args["EnumerationFlags"]["names"]
            assert set(names) <= {"RTM_ONLY_THIS_INTERFACE"}, "the examples block-delete by interface only"
            interface = (args.get("CriteriaRoute") or {}).get("RR_InterfaceID", 0)
            for key in [k for k, (owner, _, i) in self._routes.items() if owner == client and i == interface]:
                del self._routes[key]
            self._pending_block = (call, client)
        elif function == "RtmDeregisterClient":
            client = args["ClientHandle"]
            mine = [key for key, (owner, _, _) in self._routes.items() if owner == client]
            for key in mine:
                del self._routes[key]
            if mine:
                self.left[call] = len(mine)


def facts(path: Path) -> TraceFacts:
    """The facts of one trace file."""
    return TraceFacts(path)
