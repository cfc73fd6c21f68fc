"""The plan's two forms: the JSON validates against plan-v1.json for every mix of inputs and the schema describes
every key it writes; every MIGRATION.md section a plan names exists; the Markdown is rendered from the JSON alone
and keeps its tables intact (M-PLAN-REPORT)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rtmcompat._plan_paths import PATHS
from rtmcompat._plan_steps import STEPS
from rtmcompat.plan import BLOCKERS_SECTION, build_plan, plan_json, plan_markdown
from rtmcompat.scan import report_json, scan
from tests.compare.support import mapping_log, plain
from tests.test_docs import anchors

from .support import CORPUS, EXAMPLES, ROOT, plan_validator


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A scan report of the corpus, a mapping log, and the example traces."""
    folder = tmp_path_factory.mktemp("inputs")
    scan_path, log_path = folder / "scan.json", folder / "shim.log"
    scan_path.write_text(json.dumps(report_json(scan([str(CORPUS)]))))
    log_path.write_text("\n".join(mapping_log(plain)) + "\n")
    return {"scan": str(scan_path), "log": str(log_path)} | {p.stem: str(p) for p in EXAMPLES}


MIXES = {
    "scan only": (["scan"], True),
    "traces only": (["rip", "ipx"], True),
    "mapping log": (["log"], True),
    "everything": (["scan", "log", "agent", "ipx", "ospf", "rip"], True),
    "everything, not replayed": (["scan", "agent", "rip"], False),
}


@pytest.fixture(scope="module")
def plans(inputs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The JSON plan of each mix of inputs."""
    return {
        name: plan_json(build_plan([inputs[key] for key in keys], replay_traces=replay))
        for name, (keys, replay) in MIXES.items()
    }


def _resolved(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].split("/")[-1]]
    return schema


def _undescribed(instance: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    """Keys of ``instance`` that the schema does not name (following $ref, anyOf and allOf)."""
    schema = _resolved(schema, root)
    if "anyOf" in schema:
        return min((_undescribed(instance, branch, root, where) for branch in schema["anyOf"]), key=len)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for branch in schema["allOf"]:
            merged.update(_resolved(branch, root).get("properties", {}))
        schema = {"properties": merged}
    found: list[str] = []
    if isinstance(instance, dict):
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for name, value in instance.items():
            if properties is not None and name in properties:
                found += _undescribed(value, properties[name], root, f"{where}.{name}")
            elif isinstance(extra, dict):
                found += _undescribed(value, extra, root, f"{where}.{name}")
            else:
                found.append(f"{where}.{name}")
    elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(instance):
            found += _undescribed(item, schema["items"], root, f"{where}[{index}]")
    return found


class TestJson:
    @pytest.mark.parametrize("mix", list(MIXES))
    def test_validates_against_the_schema(self, plans: dict[str, dict[str, Any]], mix: str) -> None:
        """Every mix of inputs gives a plan that plan-v1.json accepts."""
        errors = [f"{e.json_path}: {e.message}" for e in plan_validator().iter_errors(plans[mix])]
        assert [] == errors

    @pytest.mark.parametrize("mix", list(MIXES))
    def test_the_schema_describes_every_key(self, plans: dict[str, dict[str, Any]], mix: str) -> None:
        """No key of the plan is missing from the schema (the schema allows later additions, so validation alone
        would not notice one)."""
        schema = plan_validator().schema
        assert [] == _undescribed(plans[mix], schema, schema, "$")

    def test_a_broken_plan_does_not_validate(self, plans: dict[str, dict[str, Any]]) -> None:
        """The schema is not vacuous: a negative count, an unknown step or a checklist item without its section
        is refused."""
        plan = json.loads(json.dumps(plans["everything"]))
        plan["summary"]["calls"] = -1
        plan["steps"][0]["name"] = "warp"
        del plan["checklist"][0]["migration"]
        paths = sorted(str(e.json_path) for e in plan_validator().iter_errors(plan))
        assert ["$.checklist[0]", "$.steps[0].name", "$.summary.calls"] == paths

    def test_every_section_named_exists_in_migration_md(self, plans: dict[str, dict[str, Any]]) -> None:
        """Every MIGRATION.md section a plan, a path rule or a step names is an anchor of MIGRATION.md."""
        named = {BLOCKERS_SECTION, *(rule.migration for rule in PATHS), *(step.migration for step in STEPS)}
        for plan in plans.values():
            named.update(item["migration"] for item in plan["checklist"])
            named.update(row["migration"] for row in plan["functions"])
        existing = set(anchors(ROOT / "MIGRATION.md"))
        assert [] == sorted(a for a in named if a.removeprefix("MIGRATION.md#") not in existing)

    def test_inputs_are_listed_as_given(self, plans: dict[str, dict[str, Any]], inputs: dict[str, str]) -> None:
        """The inputs section lists each input with its kind, in the order given."""
        assert [(inputs["scan"], "scan"), (inputs["log"], "mapping-log")] + [
            (inputs[k], "trace") for k in ("agent", "ipx", "ospf", "rip")
        ] == [(i["path"], i["kind"]) for i in plans["everything"]["inputs"]]


class TestMarkdown:
    def test_rendered_from_the_json_alone(self, plans: dict[str, dict[str, Any]]) -> None:
        """The Markdown is a function of the JSON plan: rendering a copy read back from JSON text gives the same
        text."""
        plan = plans["everything"]
        assert plan_markdown(plan) == plan_markdown(json.loads(json.dumps(plan)))

    @pytest.mark.parametrize("mix", list(MIXES))
    def test_one_task_per_checklist_item(self, plans: dict[str, dict[str, Any]], mix: str) -> None:
        """Each work item is one Markdown task with its title, in the JSON's order, and each says what to read."""
        plan = plans[mix]
        text = plan_markdown(plan)
        tasks = [line for line in text.splitlines() if line.startswith("- [ ] ")]
        reads = [line for line in text.splitlines() if line.startswith("  - Read: ")]
        expected = [f"- [ ] **{item['title']}**: {item['action']}" for item in plan["checklist"]]
        assert (expected, len(expected)) == (tasks, len(reads))

    def test_tables_keep_their_columns(self, tmp_path: Path) -> None:
        """A path with a pipe in it does not break a table row: every row of a table has the header's columns."""
        odd = tmp_path / "a|b.c"
        odd.write_text("void f(HANDLE h) { RtmDeregisterClient(h); }\n")
        report = tmp_path / "scan.json"
        report.write_text(json.dumps(report_json(scan([str(odd)]))))
        text = plan_markdown(plan_json(build_plan([str(report)])))
        rows = [line for line in text.splitlines() if line.startswith("| ")]
        columns = {line.replace("\\|", "").count("|") for line in rows}
        assert any("a\\|b.c" in line for line in rows)
        assert 4 <= min(columns)
        tables = [block for block in text.split("\n\n") if block.startswith("| ")]
        for table in tables:
            widths = {line.replace("\\|", "").count("|") for line in table.splitlines()}
            assert 1 == len(widths), table

    def test_long_lists_are_cut_and_counted(self, plans: dict[str, dict[str, Any]]) -> None:
        """A function called more than ten times shows its first ten calls and the total."""
        text = plan_markdown(plans["traces only"])
        assert "calls 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, ... (99 calls)" in text
