"""The report formats of `rtmcompat scan`: SARIF 2.1.0 against the OASIS schema and GitHub's rules, JSON against
its schema and the documented shape, text, CSV and Markdown."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from rtmcompat._scanformat import markdown, sarif, summary_lines, text_line, write_csv, write_text
from rtmcompat.scan import ScanReport, report_json, scan

from .support import CORPUS, report_validator, sarif_validator

#: sha256 of the OASIS SARIF 2.1.0 (errata 01) schema as published (oasis-tcs/sarif-spec).
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture(scope="module")
def report() -> Iterator[ScanReport]:
    """The corpus scanned from inside it (paths relative to the current directory, as CI runs it)."""
    here = os.getcwd()
    os.chdir(CORPUS)
    try:
        yield scan(["."])
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def log(report: ScanReport) -> dict[str, Any]:
    """The SARIF log of the corpus, relative to the corpus folder."""
    return sarif(report, str(CORPUS))


class TestSarif:
    def test_schema_is_the_official_one(self) -> None:
        """The vendored schema is the OASIS file byte for byte."""
        data = (resources.files("rtmcompat") / "schemas" / "sarif-2.1.0.json").read_bytes()
        assert SARIF_SCHEMA_SHA256 == hashlib.sha256(data).hexdigest()

    def test_validates_with_format_checks(self, log: dict[str, Any]) -> None:
        """The corpus's SARIF log validates against the OASIS 2.1.0 schema, formats (uri, uri-reference) checked."""
        assert [] == [error.message for error in sarif_validator().iter_errors(log)]

    def test_the_validator_is_not_vacuous(self, log: dict[str, Any]) -> None:
        """A Windows path with a blank is not a uri-reference: the same log with one fails (format checks are on)."""
        result = log["runs"][0]["results"][0]
        broken = {
            **log,
            "runs": [
                {
                    **log["runs"][0],
                    "results": [
                        {
                            **result,
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "C:\\src\\rip v1.c"}}}],
                        }
                    ],
                }
            ],
        }
        assert [] != list(sarif_validator().iter_errors(broken))

    def test_every_result_has_a_relative_location(self, log: dict[str, Any]) -> None:
        """GitHub code scanning: every result has a location; URIs are relative under %SRCROOT%."""
        for result in log["runs"][0]["results"]:
            (location,) = result["locations"]
            artifact = location["physicalLocation"]["artifactLocation"]
            assert "%SRCROOT%" == artifact["uriBaseId"]
            assert not artifact["uri"].startswith(("/", "file:", "."))
            assert location["physicalLocation"]["region"]["startLine"] >= 1

    def test_fingerprints_and_rules(self, log: dict[str, Any]) -> None:
        """Every result has a partial fingerprint and a rule with descriptions and help; rule ids are unique."""
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        ids = [rule["id"] for rule in rules]
        assert len(ids) == len(set(ids))
        for rule in rules:
            assert rule["shortDescription"]["text"]
            assert rule["fullDescription"]["text"]
            assert rule["help"]["text"]
            assert rule["help"]["markdown"]
        for result in run["results"]:
            assert 32 == len(result["partialFingerprints"]["rtmcompat/v1"])
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]

    def test_suppressed_results_say_so(self, log: dict[str, Any]) -> None:
        """The inline suppression becomes an inSource suppression with its justification."""
        suppressed = [r for r in log["runs"][0]["results"] if "suppressions" in r]
        assert [("rtmv1/RtmGetRouteAge", [{"kind": "inSource", "justification": "the age only filters adverts"}])] == [
            (r["ruleId"], r["suppressions"]) for r in suppressed
        ]

    def test_rule_ids_are_stable_across_runs(self, report: ScanReport, log: dict[str, Any]) -> None:
        """A second run gives the same rule ids and fingerprints (GitHub matches alerts by them)."""
        again = sarif(scan([str(CORPUS)], root=str(CORPUS)), str(CORPUS))

        def keys(document: dict[str, Any]) -> list[tuple[str, str]]:
            return sorted(
                (r["ruleId"], r["partialFingerprints"]["rtmcompat/v1"]) for r in document["runs"][0]["results"]
            )

        assert keys(log) == keys(again)

    def test_missing_paths_are_notifications(self) -> None:
        """A path that does not exist is an error notification of the run, and the log still validates."""
        document = sarif(scan([str(CORPUS / "rip_v1.c"), str(CORPUS / "nothere.c")], root=str(CORPUS)), str(CORPUS))
        (invocation,) = document["runs"][0]["invocations"]
        assert (False, ["error"]) == (
            invocation["executionSuccessful"],
            [n["level"] for n in invocation["toolExecutionNotifications"]],
        )
        assert [] == [error.message for error in sarif_validator().iter_errors(document)]


class TestJson:
    def test_validates_against_its_schema(self, report: ScanReport) -> None:
        """The JSON report of the corpus validates against rtmcompat/schemas/scan-v1.json."""
        assert [] == [error.message for error in report_validator().iter_errors(report_json(report))]

    def test_the_shape_api_md_fixes(self, report: ScanReport) -> None:
        """findings[] carry path, line, column, api, symbol, kind, function, level, confidence; files[] carry path;
        summary is an object."""
        document = report_json(report)
        required = {"path", "line", "column", "api", "symbol", "kind", "function", "level", "confidence"}
        assert all(required <= finding.keys() for finding in document["findings"])
        assert all("path" in entry for entry in document["files"])
        assert isinstance(document["summary"], dict)

    def test_summary_counts_by_symbol_and_file(self, report: ScanReport) -> None:
        """The summary's counts add up to the findings."""
        summary = report.summary
        total = len(report.findings)
        assert (total, total, total) == (
            sum(row["count"] for row in summary["by_symbol"]),
            sum(row["count"] for row in summary["by_file"]),
            sum(summary["by_level"].values()),
        )


class TestTextCsvMarkdown:
    def test_text_lines(self, report: ScanReport) -> None:
        """Text is `file:line:col: level: message`, then the function and the rule."""
        finding = next(f for f in report.findings if f.symbol == "RtmLookupIPDestination")
        assert text_line(finding).startswith("./rip_v1.c:138:12: warning: RtmLookupIPDestination: RTMv1 call; port to ")
        assert text_line(finding).endswith("(in RipLookup) [rtmv1/RtmLookupIPDestination]")

    def test_text_is_one_line_per_finding(self, report: ScanReport) -> None:
        """stdout carries the findings only; the summary is separate."""
        stream = io.StringIO()
        write_text(report, stream)
        assert len(report.findings) == len(stream.getvalue().splitlines())
        assert summary_lines(report)[0].startswith(f"rtmcompat scan: {len(report.findings)} finding(s)")

    def test_csv(self, report: ScanReport) -> None:
        """CSV has a header and one row per finding."""
        stream = io.StringIO()
        write_csv(report, stream)
        rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
        assert len(report.findings) == len(rows)
        first = next(row for row in rows if row["path"] == "./rip_v1.c")
        assert ("6", "11", "warning", "include", "rtm.h", "") == tuple(
            first[key] for key in ("line", "column", "level", "kind", "symbol", "function")
        )

    def test_markdown(self, report: ScanReport) -> None:
        """Markdown opens with the counts, then tables by symbol and by file, the findings and the files."""
        text = markdown(report)
        assert text.startswith("# RTMv1 scan\n")
        for heading in ("## By symbol", "## By file", "## Findings", "## Files", "### `./broken.c`"):
            assert heading in text
