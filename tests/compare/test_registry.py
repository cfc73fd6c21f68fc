"""The known-differences registry: the shipped file, its checks, and MIGRATION.md's section generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rtmcompat._registry import MARKDOWN_BEGIN, MARKDOWN_END, Registry, RegistryError, default_registry, markdown

MIGRATION = Path(__file__).resolve().parents[2] / "MIGRATION.md"


class TestShippedRegistry:
    def test_pinned_ids(self) -> None:
        """The ids other documents cite are there, with their kinds."""
        kinds = {e.id: e.kind for e in default_registry().entries}
        for ident in ("RTMC-TIE", "RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-NEXTHOP-MASK", "RTMC-NAME-TAKEN"):
            assert "expected" == kinds.get(ident), ident

    def test_expected_entries_point_at_migration_anchors(self) -> None:
        """Every expected entry's anchor is an anchor MIGRATION.md defines."""
        anchors = set(re.findall(r'<a id="([^"]+)"></a>', MIGRATION.read_text(encoding="utf-8")))
        for entry in default_registry().entries:
            if entry.kind == "expected":
                assert entry.anchor is not None
                assert entry.anchor.removeprefix("MIGRATION.md#") in anchors, entry.id

    def test_migration_section_is_generated_from_the_registry(self) -> None:
        """MIGRATION.md's "What the shim cannot carry over" holds exactly what the registry renders (regenerate
        with `rtmcompat compare --list-differences --format markdown`)."""
        text = MIGRATION.read_text(encoding="utf-8")
        start, end = text.index(MARKDOWN_BEGIN), text.index(MARKDOWN_END) + len(MARKDOWN_END)
        assert markdown(default_registry()) == text[start:end]
        assert text.index("## What the shim cannot carry over") < start


class TestChecks:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("[[difference]]\nid = 'X'\n", "RTMC-"),
            ("[[difference]]\nid = 'RTMC-A'\nkind = 'maybe'\n", "kind"),
            ("[[difference]]\nid = 'RTMC-A'\nkind = 'todo'\ntitle = 't'\n", "explanation"),
            (
                "[[difference]]\nid = 'RTMC-A'\nkind = 'expected'\ntitle = 't'\nexplanation = 'e'\n",
                "anchor",
            ),
            (
                "[[difference]]\nid = 'RTMC-A'\nkind = 'todo'\ntitle = 't'\nexplanation = 'e'\nwhen = ['sometimes']\n",
                "unknown 'sometimes'",
            ),
            (
                "[[difference]]\nid = 'RTMC-A'\nkind = 'todo'\ntitle = 't'\nexplanation = 'e'\nfunctions = ['RtmX']\n",
                "unknown 'RtmX'",
            ),
            (
                "[[difference]]\nid = 'RTMC-A'\nkind = 'todo'\ntitle = 't'\nexplanation = 'e'\ncolour = 1\n",
                "unknown key",
            ),
            ("[[difference]]\nid = 'RTMC-A'\nkind = 'todo'\ntitle = 't'\nexplanation = 'e'\n" * 2, "twice"),
            ("difference = 3\n", "only [[difference]]"),
            ("[[difference]\n", "not valid TOML"),
        ],
    )
    def test_bad_registry(self, tmp_path: Path, text: str, message: str) -> None:
        """A malformed registry file is refused with a message naming the entry and the key."""
        target = tmp_path / "r.toml"
        target.write_text(text, encoding="utf-8")
        with pytest.raises(RegistryError, match=re.escape(message)):
            Registry.load(target)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A registry path that does not exist is a RegistryError."""
        with pytest.raises(RegistryError, match="cannot read"):
            Registry.load(tmp_path / "none.toml")
