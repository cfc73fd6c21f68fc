"""The compare report as JUnit XML, so CI systems show each trace as a test case.

A trace with an unexpected difference is a failed test case, an unreadable trace an errored one; identical traces
and traces with known differences only pass, and their known differences are listed as properties. The text
report of each trace is its ``system-out``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ._report_text import trace_text
from .compare import Report

#: Characters XML 1.0 cannot carry (a hostile trace's path or error message may hold them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_report(report: Report) -> str:
    """The report as one ``<testsuites>`` document."""
    failures = sum(t.verdict == "unexpected" for t in report.traces)
    errors = sum(t.verdict == "error" for t in report.traces)
    attrs = {"name": "rtmcompat compare", "tests": str(len(report.traces)), "failures": str(failures)}
    attrs["errors"] = str(errors)
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", {**attrs, "skipped": "0"})
    for trace in report.traces:
        case = ET.SubElement(suite, "testcase", {"classname": "rtmcompat.compare", "name": _safe(trace.path)})
        properties = ET.SubElement(case, "properties")
        ET.SubElement(properties, "property", {"name": "verdict", "value": trace.verdict})
        ET.SubElement(properties, "property", {"name": "calls", "value": str(trace.calls)})
        for ident, count in sorted(trace.hits.items()):
            ET.SubElement(properties, "property", {"name": f"known:{ident}", "value": str(count)})
        text = _safe("\n".join(trace_text(trace, report)))
        if trace.verdict == "unexpected":
            first = next((d for d in trace.differences if d.kind == "unexpected"), None)
            message = f"{trace.counts['unexpected']} unexpected difference(s)"
            if first is not None:
                message += f"; first at call {first.call} {first.function}"
            failure = ET.SubElement(case, "failure", {"message": _safe(message), "type": "unexpected"})
            failure.text = text
        elif trace.verdict == "error":
            error = ET.SubElement(case, "error", {"message": _safe(trace.error or "error"), "type": "error"})
            error.text = _safe(trace.error or "")
        out = ET.SubElement(case, "system-out")
        out.text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
