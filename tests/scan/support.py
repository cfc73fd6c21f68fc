"""Shared helpers of the scanner tests: the corpus, the installed command, schema validators."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev environment

CORPUS = Path(__file__).resolve().parent / "corpus"
#: The `rtmcompat` script installed next to the interpreter running the tests.
COMMAND = str(Path(sys.executable).with_name("rtmcompat"))


def run_command(*args: str, cwd: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `rtmcompat` command (no terminal: no colour, no progress bar)."""
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, timeout=120, check=False, cwd=cwd, env=env)


def schema(name: str) -> dict[str, Any]:
    """A schema shipped in rtmcompat/schemas."""
    loaded: dict[str, Any] = json.loads((resources.files("rtmcompat") / "schemas" / name).read_text(encoding="utf-8"))
    return loaded


def sarif_validator() -> jsonschema.Draft4Validator:
    """The OASIS SARIF 2.1.0 schema (draft-04) with every format check jsonschema knows: draft-04's own checker
    lacks ``uri-reference``, which the schema uses for artifact URIs."""
    checker = jsonschema.FormatChecker()
    assert {"uri", "uri-reference", "date-time"} <= set(checker.checkers), "install jsonschema[format-nongpl]"
    return jsonschema.Draft4Validator(schema("sarif-2.1.0.json"), format_checker=checker)


def report_validator() -> jsonschema.Draft202012Validator:
    """The scan report's JSON schema with format checks."""
    checker = jsonschema.FormatChecker()
    assert {"uri"} <= set(checker.checkers), "install jsonschema[format-nongpl]"
    return jsonschema.Draft202012Validator(schema("scan-v1.json"), format_checker=checker)
