"""Layering (STYLE.md habit 1): rtmcompat uses only v2model's public names; v2model never imports rtmcompat,
and v2model does no I/O and never logs."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> list[tuple[Path, str, list[str]]]:
    found: list[tuple[Path, str, list[str]]] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name, []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((path, node.module, [alias.name for alias in node.names]))
    return found


class TestLayering:
    def test_v2model_never_imports_rtmcompat(self) -> None:
        """The model is the lower layer: no import of rtmcompat anywhere in v2model."""
        offenders = [(p.name, m) for p, m, _ in _imports("v2model") if m.split(".")[0] == "rtmcompat"]
        assert [] == offenders

    def test_rtmcompat_uses_only_public_v2model_names(self) -> None:
        """rtmcompat imports v2model itself, never a private module, and only names in v2model.__all__."""
        import v2model

        offenders = []
        for path, module, names in _imports("rtmcompat"):
            if module.split(".")[0] != "v2model":
                continue
            if module != "v2model":
                offenders.append((path.name, module))
            offenders += [(path.name, name) for name in names if name not in v2model.__all__]
        assert [] == offenders

    def test_v2model_is_pure(self) -> None:
        """v2model neither logs nor prints nor opens files (API.md: pure, no I/O, never logs)."""
        forbidden = {"logging", "structlog", "socket", "subprocess"}
        offenders = [(p.name, m) for p, m, _ in _imports("v2model") if m.split(".")[0] in forbidden]
        calls = []
        for path in (ROOT / "v2model").rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"print", "open"}:
                    calls.append((path.name, node.func.id))
        assert ([], []) == (offenders, calls)

    def test_only_the_cli_configures_structlog(self) -> None:
        """Libraries never configure logging (STYLE.md, structlog): only rtmcompat/cli.py calls configure."""
        users = sorted(
            path.name
            for package in ("v2model", "rtmcompat")
            for path in (ROOT / package).rglob("*.py")
            if "structlog.configure(" in path.read_text()
        )
        assert ["cli.py"] == users
