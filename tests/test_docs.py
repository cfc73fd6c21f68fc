"""The project's documents stand on their own: MIGRATION.md is generated where it says so, every behaviour id and
every local link resolves, nothing points at files users do not have, and the package metadata and LICENSE agree."""

from __future__ import annotations

import html
import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

import rtmcompat
from rtmcompat import (
    IP_SPECIFIC_DATA,
    NO_ERROR,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_IP_ROUTE,
    RTM_PROTOCOL_FAMILY_IP,
    ip_network,
)
from rtmcompat._mapping import (
    BEHAVIOUR_ID,
    GUIDE_BEGIN,
    GUIDE_END,
    MAPPINGS,
    behaviour_ids,
    mapping_guide,
)
from rtmcompat._registry import MARKDOWN_BEGIN, MARKDOWN_END, default_registry
from rtmcompat.commands import guide

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "MIGRATION.md"
BEHAVIOUR = ROOT / "docs" / "behaviour.md"
#: The project's Python sources: package, tests, benchmarks and examples.
SOURCES = sorted(
    path for top in ("rtmcompat", "v2model", "tests", "bench", "examples") for path in (ROOT / top).rglob("*.py")
)
README = ROOT / "README.md"
#: The documents a user reads.
DOCUMENTS = ("README.md", "MIGRATION.md", "docs/behaviour.md", "bench/README.md")
#: Modules whose comments and docstrings this file checks (the documentation tooling).
MODULES = ("rtmcompat/_mapping.py", "rtmcompat/commands/guide.py", "rtmcompat/commands/mapping.py")

DIFFERENCES_BEGIN = MARKDOWN_BEGIN
DIFFERENCES_END = MARKDOWN_END

#: The open points of RTMv2 that docs/behaviour.md decides (one entry each).
V2_OPEN_POINTS = """
dereg reg-events instances config bufsize entity-id methods pref tie flags-best views0 viewmask thisproto destflags
belongs dest-lifetime match-add delete hold ttl notify-trigger notify-delivery getchanged enum-order enum-filters lpm
exactroute nexthop route-fields locks opaque refs lists cbrules v1
""".split()


def sections(prefix: str, counts: dict[int, int]) -> list[str]:
    """``V1-4``, ``V1-4.1`` ... for each top section and its number of subsections (0: none)."""
    ids = []
    for top, subs in counts.items():
        ids.append(f"{prefix}-{top}")
        ids += [f"{prefix}-{top}.{n}" for n in range(1, subs + 1)]
    return ids


#: Every id docs/behaviour.md must define: the sections of both references and all open points.
EXPECTED_IDS = (
    sections("v1", {1: 8, 2: 8, 3: 7, 4: 15, 5: 5, 6: 6, 7: 9, 8: 0})
    + [f"v1-a{n}" for n in range(1, 39)]
    + sections("v2", {1: 6, 2: 15, 3: 0, 4: 12, 5: 0, 6: 12, 7: 0, 8: 0, 9: 14})
    + [f"v2-a-{name}" for name in V2_OPEN_POINTS]
)


def slug(heading: str) -> str:
    """The anchor GitHub derives from a heading's text."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("`", "")
    text = re.sub(r"[^\w\- ]", "", html.unescape(text).strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> list[str]:
    """The anchors of a Markdown file: explicit ``<a id>`` ones and those of its headings."""
    text = path.read_text(encoding="utf-8")
    explicit = re.findall(r'<a id="([^"]+)"></a>', text)
    headings = [slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)]
    return explicit + headings


def between(text: str, begin: str, end: str) -> str:
    """The text from ``begin`` to ``end``, both included; each must occur exactly once."""
    assert (1, 1) == (text.count(begin), text.count(end))
    return text[text.index(begin) : text.index(end) + len(end)]


class TestGenerated:
    def test_function_guide_matches_the_mapping_table(self) -> None:
        """MIGRATION.md's function-by-function sections, markers included, are exactly mapping_guide(): edit
        rtmcompat/_mapping.py and paste `rtmcompat mapping --guide`, never the other way round."""
        text = MIGRATION.read_text(encoding="utf-8")
        assert mapping_guide() == between(text, GUIDE_BEGIN, GUIDE_END)

    def test_every_function_has_its_section(self) -> None:
        """The guide has one section per mapped v1 function, in the table's order."""
        text = between(MIGRATION.read_text(encoding="utf-8"), GUIDE_BEGIN, GUIDE_END)
        assert [m.v1 for m in MAPPINGS] == re.findall(r"^### (\w+)$", text, flags=re.M)

    def test_mapping_rows_name_registered_differences(self) -> None:
        """Every known-difference id the mapping table names is an entry of the compare registry, so its link
        lands on that entry's anchor in "What the shim cannot carry over"."""
        registered = {entry.id for entry in default_registry().entries}
        assert set() == {d for m in MAPPINGS for d in m.differences} - registered

    def test_differences_section_keeps_its_markers(self) -> None:
        """ "What the shim cannot carry over" keeps its heading and wraps its body in the markers the
        known-differences generator fills."""
        text = MIGRATION.read_text(encoding="utf-8")
        body = between(text, DIFFERENCES_BEGIN, DIFFERENCES_END)
        heading = "## What the shim cannot carry over\n\n"
        assert text.index(heading) + len(heading) == text.index(body)


class TestBehaviourIds:
    def test_every_rule_and_open_point_has_an_anchor(self) -> None:
        """docs/behaviour.md defines an anchor for every section of both references and every open point
        (V1-A1..V1-A38, the V2-A-* list)."""
        defined = set(anchors(BEHAVIOUR))
        assert [] == [i for i in EXPECTED_IDS if i not in defined]

    def test_explicit_anchors_are_unique(self) -> None:
        """No id is defined twice, so a link lands on one entry."""
        explicit = re.findall(r'<a id="([^"]+)"></a>', BEHAVIOUR.read_text(encoding="utf-8"))
        assert sorted({i for i in explicit if explicit.count(i) > 1}) == []

    def test_entries_are_headed_by_their_id(self) -> None:
        """An entry's anchor sits right before its id written out (``<a id="v1-a26"></a>V1-A26``), so the id a
        reader sees is the one a link uses."""
        text = BEHAVIOUR.read_text(encoding="utf-8")
        pairs = re.findall(r'<a id="([^"]+)"></a>(\S+)', text)
        ids = [(anchor, shown) for anchor, shown in pairs if BEHAVIOUR_ID.fullmatch(shown)]
        assert [] == [(anchor, shown) for anchor, shown in ids if anchor != shown.lower()]
        assert len(ids) >= len(EXPECTED_IDS)

    @pytest.mark.parametrize("path", [*DOCUMENTS, *MODULES])
    def test_cited_ids_exist(self, path: str) -> None:
        """Every V1-/V2-/M- id a document, a module of the documentation tooling or a mapping note cites is an
        anchor of docs/behaviour.md."""
        defined = set(anchors(BEHAVIOUR))
        text = (ROOT / path).read_text(encoding="utf-8")
        if path == "rtmcompat/_mapping.py":
            text += " ".join(m.notes for m in MAPPINGS)
        cited = {i.lower() for i in behaviour_ids(text)}
        assert set() == cited - defined

    def test_code_cites_existing_ids(self) -> None:
        """Every V1-/V2-/M- id a comment or docstring of the code, the tests, the benchmarks or the examples
        cites is an anchor of docs/behaviour.md, so a reader can look each one up."""
        defined = set(anchors(BEHAVIOUR))
        missing = [
            (str(path.relative_to(ROOT)), cited)
            for path in SOURCES
            for cited in behaviour_ids(path.read_text(encoding="utf-8"))
            if cited.lower() not in defined
        ]
        assert [] == missing

    def test_code_cites_only_the_projects_own_documents(self) -> None:
        """The project stands on its own: no source file points readers at documents it does not ship."""
        outside = re.compile("|".join(re.escape(name) for name in ("API" + ".md", "STYLE" + ".md", "../" + "shared")))
        assert [] == [str(path.relative_to(ROOT)) for path in SOURCES if outside.search(path.read_text("utf-8"))]

    def test_notes_cite_behaviour_ids(self) -> None:
        """The mapping notes cite behaviour ids (they render as links in MIGRATION.md)."""
        assert sum(len(behaviour_ids(m.notes)) for m in MAPPINGS) >= len(MAPPINGS)


class TestLinks:
    @pytest.mark.parametrize("path", DOCUMENTS)
    def test_local_links_resolve(self, path: str) -> None:
        """Every relative link of a document names a file of the repository, and its fragment an anchor there."""
        source = ROOT / path
        broken = []
        for target in re.findall(r"\]\(([^)\s]+)\)", source.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, fragment = target.partition("#")
            resolved = (source.parent / file).resolve() if file else source
            if not resolved.exists() or (fragment and resolved.suffix == ".md" and fragment not in anchors(resolved)):
                broken.append(target)
        assert [] == broken

    @pytest.mark.parametrize("path", [*DOCUMENTS, *MODULES, "LICENSE"])
    def test_no_pointers_to_files_users_do_not_have(self, path: str) -> None:
        """Documents and the documentation tooling cite the project's own files and Microsoft's pages, never the
        working notes that are not in the repository or the wheel, nor "V1-A26"-style references to them."""
        text = (ROOT / path).read_text(encoding="utf-8")
        pattern = r"API\.md|STYLE\.md|\bspec/|\.\./shared|/work/|\bspec (?:rtmv[12] )?A?-?\d|\bspec A-"
        assert [] == re.findall(pattern, text)


@pytest.fixture
def pyproject() -> dict[str, Any]:
    """pyproject.toml, parsed."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


class TestPackage:
    def test_license_is_mit(self, pyproject: dict[str, Any]) -> None:
        """LICENSE holds the MIT license the metadata declares."""
        text = (ROOT / "LICENSE").read_text(encoding="utf-8")
        assert "MIT" == pyproject["project"]["license"]
        assert text.startswith("MIT License\n")
        assert "Permission is hereby granted, free of charge" in text

    def test_python_versions_agree(self, pyproject: dict[str, Any]) -> None:
        """The Python classifiers lie within requires-python, and the README states the same lower bound."""
        project = pyproject["project"]
        minimum = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
        assert minimum is not None
        versions = [c.rsplit(":: ", 1)[1] for c in project["classifiers"] if re.search(r"Python :: 3\.\d+$", c)]
        assert versions
        assert all(int(v.split(".")[1]) >= int(minimum[1]) for v in versions)
        assert f"Python 3.{minimum[1]} or later" in README.read_text(encoding="utf-8")

    def test_metadata_is_complete(self, pyproject: dict[str, Any]) -> None:
        """Keywords, classifiers and project URLs are present, and the URLs are real public pages (https)."""
        project = pyproject["project"]
        assert project["keywords"]
        assert "Typing :: Typed" in project["classifiers"]
        assert all(url.startswith("https://learn.microsoft.com/") for url in project["urls"].values())

    def test_guide_documents_are_packaged(self, pyproject: dict[str, Any]) -> None:
        """The wheel maps MIGRATION.md and docs/behaviour.md to the package paths `rtmcompat guide` reads."""
        included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
        expected = {source: f"rtmcompat/{guide.PACKAGED}/{name}" for name, source in guide.DOCUMENTS.values()}
        assert expected == included

    def test_wheel_carries_the_guide(self, tmp_path: Path) -> None:
        """A wheel built from the repository contains both documents, the schema and the LICENSE (runs where
        hatchling is installed)."""
        wheel = pytest.importorskip("hatchling.builders.wheel")
        built = list(wheel.WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
        with zipfile.ZipFile(built[0]) as archive:
            names = set(archive.namelist())
            packaged = archive.read(f"rtmcompat/{guide.PACKAGED}/MIGRATION.md").decode("utf-8")
        assert {f"rtmcompat/{guide.PACKAGED}/behaviour.md", "rtmcompat/schemas/mapping.schema.json"} <= names
        assert any(name.endswith(("/licenses/LICENSE", "/LICENSE")) for name in names)
        assert MIGRATION.read_text(encoding="utf-8") == packaged


class TestReadme:
    def test_example_ranks_protocols_by_priority(self) -> None:
        """The README example's shim carries the administrator's priorities: an OSPF route (110) beats a RIP
        route (120) to the same network whatever their metrics (docs/behaviour.md M-PRIORITY)."""
        block = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)[0]
        namespace: dict[str, Any] = {}
        exec(compile(block, "README.md", "exec"), namespace)
        shim = namespace["shim"]
        status, rip = shim.RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, None, 0)
        assert NO_ERROR == status

        def route(metric: int) -> RTM_IP_ROUTE:
            return RTM_IP_ROUTE(
                RR_Network=ip_network("10.9.0.0/16"),
                RR_InterfaceID=1,
                RR_NextHopAddress=ip_network("192.0.2.9/32"),
                RR_FamilySpecificData=IP_SPECIFIC_DATA(FSD_Metric=metric),
            )

        assert NO_ERROR == shim.RtmAddRoute(rip, route(1), rtmcompat.INFINITE).status
        assert NO_ERROR == shim.RtmAddRoute(namespace["ospf"], route(50), rtmcompat.INFINITE).status
        best = shim.RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, ip_network("10.9.0.0/16")).BestRoute
        assert (PROTO_IP_OSPF, 110) == (best.RR_RoutingProtocol, best.RR_FamilySpecificData.FSD_Priority)
