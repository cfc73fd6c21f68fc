"""`rtmcompat guide` (the installed porting guide and behaviour reference) and the porting views of
`rtmcompat mapping` (--guide, --json, the text form)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rtmcompat._mapping import BY_NAME, MAPPINGS, mapping_guide, mapping_json
from rtmcompat.cli import main
from rtmcompat.commands import guide

ROOT = Path(__file__).resolve().parents[2]


class TestGuide:
    @pytest.mark.parametrize(
        ("argv", "path"),
        [
            (["guide"], "MIGRATION.md"),
            (["guide", "migration"], "MIGRATION.md"),
            (["guide", "behaviour"], "docs/behaviour.md"),
        ],
    )
    def test_prints_the_document(self, capsys: pytest.CaptureFixture[str], argv: list[str], path: str) -> None:
        """`rtmcompat guide` prints MIGRATION.md unchanged, `rtmcompat guide behaviour` docs/behaviour.md; exit 0."""
        assert 0 == main(argv)
        assert (ROOT / path).read_text(encoding="utf-8") == capsys.readouterr().out

    def test_unknown_topic_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A topic that is not a document is a usage error (exit 2) naming the choices, with nothing on stdout."""
        assert 2 == main(["guide", "spec"])
        captured = capsys.readouterr()
        assert "" == captured.out
        assert "migration" in captured.err

    def test_packaged_copy_comes_first(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Installed from a wheel, the guide reads the copy packaged in rtmcompat/_docs/."""
        (tmp_path / guide.PACKAGED).mkdir()
        (tmp_path / guide.PACKAGED / "MIGRATION.md").write_text("packaged guide\n", encoding="utf-8")
        monkeypatch.setattr("importlib.resources.files", lambda package: tmp_path)
        assert "packaged guide\n" == guide.document("migration")

    def test_missing_document_is_a_clear_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With neither a packaged copy nor a checkout, the command ends with a one-line error and exit 2."""
        monkeypatch.setattr("importlib.resources.files", lambda package: tmp_path)
        monkeypatch.setattr(guide, "__file__", str(tmp_path / "a" / "b" / "guide.py"))
        assert 2 == main(["guide"])
        captured = capsys.readouterr()
        assert ("", "rtmcompat guide: error: MIGRATION.md is not installed with this copy of rtmcompat\n") == (
            captured.out,
            captured.err,
        )


class TestMappingViews:
    def test_guide_view(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`rtmcompat mapping --guide` prints MIGRATION.md's generated function sections."""
        assert 0 == main(["mapping", "--guide"])
        assert mapping_guide() + "\n" == capsys.readouterr().out

    def test_guide_view_filters(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Named functions limit the sections to those, in the table's order."""
        assert 0 == main(["mapping", "--guide", "RtmIsRoute", "RtmAddRoute"])
        expected = mapping_guide((BY_NAME["RtmAddRoute"], BY_NAME["RtmIsRoute"]))
        assert expected + "\n" == capsys.readouterr().out

    def test_json_view(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`rtmcompat mapping --json` prints the documented JSON document; a filter keeps only the named rows."""
        assert 0 == main(["mapping", "--json", "RtmAddRoute"])
        assert mapping_json((BY_NAME["RtmAddRoute"],)) == json.loads(capsys.readouterr().out)

    def test_text_view_separates_the_port_from_the_shim(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The text form gives, per function, the kind, what a port calls and, apart, what V1Shim calls."""
        assert 0 == main(["mapping", "RtmIsRoute"])
        out = capsys.readouterr().out
        row = BY_NAME["RtmIsRoute"]
        assert out.startswith("RtmIsRoute  (signature, no manual work, effort 2)\n")
        assert "  a port calls: " + ", ".join(row.port) + "\n" in out
        assert "  V1Shim calls: " + ", ".join(row.v2) + "\n" in out

    def test_every_function_is_printed(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a filter, every mapped function has its section in --guide."""
        assert 0 == main(["mapping", "--guide"])
        out = capsys.readouterr().out
        assert all(f"\n### {m.v1}\n" in out for m in MAPPINGS)
