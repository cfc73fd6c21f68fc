"""Layering: rtmcompat uses only v2model's public names; v2model never imports rtmcompat,
and v2model does no I/O and never logs; no import cycle inside a package; v2model's modules import downwards only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: v2model's layers, lowest first: a module imports only modules of strictly lower layers (RoutingTableManager's
#: "where to find what" in v2model/_manager.py). Every module of the package is listed exactly once.
V2MODEL_LAYERS: list[set[str]] = [
    {"_constants", "_errors", "_sortedkeys", "_stats"},  # values, status codes, a container
    {"_prefix", "_clock"},  # int prefixes and families, time
    {"_config"},  # the configuration (families, limits)
    {"_objects"},  # handles and the table's state
    {"_types"},  # the rtmv2.h structures (their handle fields name the objects)
    {"_addr", "_validate", "_results"},  # structure <-> int conversion, argument checks, results
    {"_table", "_timers", "_delivery", "_leaks", "_matching"},  # index, best route; timer and delivery threads; leaks
    {"_invariants"},  # the invariants and the state digest
    {"_refs"},  # manager core: shared state, references, information structures
    {"_mutation"},  # manager core: mutations and deadlines
    {"_boundary"},  # the call boundary
    {  # one module per RTMv2 function group
        "_registration",
        "_opaque",
        "_methods",
        "_info",
        "_routes",
        "_queries",
        "_nexthops",
        "_enum",
        "_notify",
        "_lists",
        "_handles",
    },
    {"_manager"},  # RoutingTableManager: the groups composed
    {"__init__"},  # the public surface
]


def _module_name(package: str, path: Path) -> str:
    rel = path.relative_to(ROOT / package).with_suffix("")
    return ".".join((package, *rel.parts))


def _internal_imports(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports, wherever the import is written (inside functions
    and under ``if TYPE_CHECKING:`` too: a cycle of annotations is still a cycle of concepts, and mypy and any
    tool that evaluates annotations follow it)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        name = _module_name(package, path)
        here = name.split(".")[:-1]  # the package a relative import starts from
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - node.level + 1]
                    if node.module:
                        targets.add(".".join((*base, node.module)))
                    else:
                        targets.update(".".join((*base, alias.name)) for alias in node.names)
                elif node.module:
                    targets.add(node.module)
                    targets.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = targets
    modules = set(graph)
    return {name: {t for t in targets if t in modules and t != name} for name, targets in graph.items()}


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` (module names, first repeated at the end), or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


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


class TestImportGraph:
    @pytest.mark.parametrize("package", ["v2model", "rtmcompat"])
    def test_no_import_cycle_inside_a_package(self, package: str) -> None:
        """No module of a package imports, directly or through others, a module that imports it back
        (TYPE_CHECKING and function-level imports included)."""
        assert [] == _find_cycle(_internal_imports(package))

    def test_cycle_finder_finds_cycles(self) -> None:
        """The cycle check itself: a two-module cycle and a self-contained chain (guards against a vacuous pass)."""
        assert ["a", "b", "a"] == _find_cycle({"a": {"b"}, "b": {"a"}, "c": set()})
        assert [] == _find_cycle({"a": {"b"}, "b": {"c"}, "c": set()})

    def test_every_v2model_module_has_a_layer(self) -> None:
        """The layer table lists every module of v2model exactly once (a new module must be placed)."""
        listed = [name for layer in V2MODEL_LAYERS for name in layer]
        modules = sorted(name.split(".", 1)[1] for name in _internal_imports("v2model"))
        assert (modules, len(listed)) == (sorted(listed), len(set(listed)))

    def test_v2model_imports_only_downwards(self) -> None:
        """A v2model module imports only modules of strictly lower layers (V2MODEL_LAYERS)."""
        layer_of = {f"v2model.{name}": i for i, layer in enumerate(V2MODEL_LAYERS) for name in layer}
        offenders = [
            (module, target)
            for module, targets in _internal_imports("v2model").items()
            for target in sorted(targets)
            if layer_of[target] >= layer_of[module]
        ]
        assert [] == offenders


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
        """v2model neither logs nor prints nor opens files (pure: no I/O, never logs)."""
        forbidden = {"logging", "structlog", "socket", "subprocess"}
        offenders = [(p.name, m) for p, m, _ in _imports("v2model") if m.split(".")[0] in forbidden]
        calls = []
        for path in (ROOT / "v2model").rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"print", "open"}:
                    calls.append((path.name, node.func.id))
        assert ([], []) == (offenders, calls)

    def test_only_the_cli_configures_structlog(self) -> None:
        """Libraries never configure logging: only rtmcompat/cli.py calls configure."""
        users = sorted(
            path.name
            for package in ("v2model", "rtmcompat")
            for path in (ROOT / package).rglob("*.py")
            if "structlog.configure(" in path.read_text()
        )
        assert ["cli.py"] == users
