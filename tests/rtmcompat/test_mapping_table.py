"""The mapping table as porting data (rtmcompat/_mapping.py; MIGRATION.md "Function by function" and "The mapping
table as data"): what a port calls, the kind of change, the C sketches, the links, the JSON form."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import attrs
import jsonschema  # type: ignore[import-untyped]
import pytest

import rtmcompat
import v2model
from rtmcompat._mapping import (
    BY_NAME,
    DIFFERENCE_IDS,
    EFFORT_SCALE,
    KINDS,
    MAPPINGS,
    V1_DOCS,
    V1Mapping,
    mapping_json,
    v2_doc_url,
)
from tests.test_public_names import RTMV2_FUNCTIONS

#: Macros of rtmv2.h the sketches use (they are not functions of the model).
HEADER_MACROS = {
    "RTM_SIZE_OF_DEST_INFO",
    "RTM_SIZE_OF_ROUTE_INFO",
    "RTM_IPV4_MAKE_NET_ADDRESS",
    "RTM_IPV4_SET_ADDR_AND_MASK",
}

#: Type names of rtmv2.h the sketches declare variables with (the model has no Python object for them).
HEADER_TYPES = {
    "RTM_ENUM_FLAGS",
    "RTM_EVENT_TYPE",
    "RTM_MATCH_FLAGS",
    "RTM_NEXTHOP_CHANGE_FLAGS",
    "RTM_ROUTE_CHANGE_FLAGS",
}

#: What each call hands out, and the call that gives it back (docs/behaviour.md V2-2.13).
RELEASES = {
    "RtmGetExactMatchDestination": "RtmReleaseDestInfo",
    "RtmGetMostSpecificDestination": "RtmReleaseDestInfo",
    "RtmGetRouteInfo": "RtmReleaseRouteInfo",
    "RtmGetExactMatchRoute": "RtmReleaseRouteInfo",
    "RtmGetNextHopInfo": "RtmReleaseNextHopInfo",
    "RtmGetEnumDests": "RtmReleaseDests",
    "RtmGetEnumRoutes": "RtmReleaseRoutes",
    "RtmGetChangedDests": "RtmReleaseChangedDests",
    "RtmCreateDestEnum": "RtmDeleteEnumHandle",
    "RtmCreateRouteEnum": "RtmDeleteEnumHandle",
}

#: A v1 call whose v2 resources outlive it and are released by another v1 call's port.
RELEASED_ELSEWHERE = {"RtmCreateEnumerationHandle": "RtmCloseEnumerationHandle"}

CALL = re.compile(r"\b(Rtm[A-Za-z]+|RTM_[A-Z0-9_]+)\s*\(")
CONSTANT = re.compile(r"\b(RTM_[A-Z0-9_]+|ERROR_[A-Z_]+|PROTO_[A-Z_]+|AF_[A-Z0-9]+|NO_ERROR|INFINITE)\b")


def sketch_calls(mapping: V1Mapping) -> list[str]:
    """The functions and macros a sketch calls, in order (comments removed)."""
    code = re.sub(r"/\*.*?\*/", "", mapping.sketch, flags=re.S)
    return CALL.findall(code)


@pytest.fixture(params=MAPPINGS, ids=lambda m: m.v1)
def mapping(request: pytest.FixtureRequest) -> V1Mapping:
    return request.param  # type: ignore[no-any-return]


class TestPort:
    def test_port_calls_are_rtmv2_functions(self, mapping: V1Mapping) -> None:
        """Every call of a port is an RTMv2 function of rtmv2.h, present on RoutingTableManager."""
        assert set() == set(mapping.port) - set(RTMV2_FUNCTIONS)
        assert all(callable(getattr(v2model.RoutingTableManager, name)) for name in mapping.port)

    def test_port_leaves_out_the_shims_reader_entity(self) -> None:
        """Only RtmRegisterClient's port registers an entity: the reader entity V1Shim registers for client-less
        calls is its own bookkeeping (docs/behaviour.md M-READER), listed in ``v2`` and never in ``port``."""
        registering = {m.v1 for m in MAPPINGS if "RtmRegisterEntity" in m.port}
        shim_registering = {m.v1 for m in MAPPINGS if "RtmRegisterEntity" in m.v2}
        assert {"RtmRegisterClient"} == registering
        assert {"RtmRegisterClient", "RtmIsRoute", "RtmLookupIPDestination"} <= shim_registering

    def test_every_acquisition_is_released(self, mapping: V1Mapping) -> None:
        """A port that gets a structure, a batch or an enumeration from RTM also calls its release function
        (docs/behaviour.md V2-2.13), in the same v1 call or, for an enumeration, in the call that closes it."""
        releases = set(mapping.port)
        if mapping.v1 in RELEASED_ELSEWHERE:
            releases |= set(BY_NAME[RELEASED_ELSEWHERE[mapping.v1]].port)
        missing = {RELEASES[c] for c in mapping.port if c in RELEASES} - releases
        assert set() == missing

    def test_releases_come_after_what_they_release(self, mapping: V1Mapping) -> None:
        """Within one port, a release follows the call whose result it releases."""
        for index, call in enumerate(mapping.port):
            release = RELEASES.get(call)
            if release in mapping.port:
                assert index < mapping.port.index(release), (call, release)

    def test_deregistration_cleans_up_before_deregistering(self) -> None:
        """The port of RtmDeregisterClient deletes routes, then next hops, then the change registration, and calls
        RtmDeregisterEntity last (docs/behaviour.md V2-6.1: cleanup is the client's job)."""
        port = BY_NAME["RtmDeregisterClient"].port
        order = ["RtmDeleteRouteToDest", "RtmDeleteNextHop", "RtmDeregisterFromChangeNotification"]
        assert order == [c for c in port if c in order]
        assert "RtmDeregisterEntity" == port[-1]

    def test_functions_without_a_v2_counterpart_are_removed(self) -> None:
        """RTMv2 has no counterpart for the message queue, the network count, the route age and the block delete
        (docs/behaviour.md V1-6.6): those rows are of kind ``removed``, and they alone."""
        removed = {m.v1 for m in MAPPINGS if m.kind == "removed"}
        expected = {"RtmDequeueRouteChangeMessage", "RtmGetNetworkCount", "RtmGetRouteAge", "RtmBlockDeleteRoutes"}
        assert expected == removed

    def test_known_differences(self) -> None:
        """The rows name the known differences of V1Shim where they arise: unrepresentable networks at add and
        delete, the client name at registration (docs/behaviour.md M-UNREPRESENTABLE, M-CLIENT-ENTITY)."""
        add = set(BY_NAME["RtmAddRoute"].differences)
        assert {"RTMC-HOSTBITS", "RTMC-NONCONTIG", "RTMC-NEXTHOP-MASK"} <= add
        assert ("RTMC-NAME-TAKEN",) == BY_NAME["RtmRegisterClient"].differences
        named = {d for m in MAPPINGS for d in m.differences}
        assert set(DIFFERENCE_IDS) == named

    def test_fields_are_on_their_scales(self, mapping: V1Mapping) -> None:
        """Kind, effort and difference ids take documented values, and manual work is explained in the notes."""
        assert mapping.kind in KINDS
        assert mapping.effort in EFFORT_SCALE
        assert set(mapping.differences) <= set(DIFFERENCE_IDS)
        assert len(set(mapping.differences)) == len(mapping.differences)
        assert mapping.notes.strip()

    @pytest.mark.parametrize(
        ("field", "value"),
        [("kind", "renamed"), ("effort", 4), ("differences", ("RTMC-UNKNOWN",))],
    )
    def test_rows_reject_values_off_the_scales(self, field: str, value: Any) -> None:
        """A row with a kind, an effort or a difference id outside the documented ones cannot be built."""
        with pytest.raises(ValueError, match=field if field != "differences" else "difference"):
            attrs.evolve(BY_NAME["RtmAddRoute"], **{field: value})


class TestLinks:
    def test_v1_pages(self, mapping: V1Mapping) -> None:
        """Each v1 function links its learn.microsoft.com page; the header macro links RtmGetFirstRoute's (the
        function it expands to) and the undocumented RtmLookupIPDestination links nothing."""
        expected = {"RtmGetSpecificRoute": V1_DOCS + "rtmgetfirstroute", "RtmLookupIPDestination": None}
        assert expected.get(mapping.v1, V1_DOCS + mapping.v1.lower()) == mapping.doc_url

    def test_v2_docs_follow_port(self, mapping: V1Mapping) -> None:
        """``v2_docs`` has one page per distinct function of ``port``, in the same order."""
        names = list(dict.fromkeys(mapping.port))
        assert [(name, v2_doc_url(name)) for name in names] == list(mapping.v2_docs)

    def test_v2_doc_url(self) -> None:
        """The RTMv2 page of a function is the sdk-api reference page under its lower-case name."""
        expected = "https://learn.microsoft.com/windows/win32/api/rtmv2/nf-rtmv2-rtmaddroutetodest"
        assert expected == v2_doc_url("RtmAddRouteToDest")


class TestSketches:
    def test_sketch_shows_every_call_of_the_port(self, mapping: V1Mapping) -> None:
        """Each function a port calls appears in its C sketch."""
        assert set() == set(mapping.port) - set(sketch_calls(mapping))

    def test_sketch_calls_only_rtmv2_functions_and_macros(self, mapping: V1Mapping) -> None:
        """The sketches call RTMv2 functions by their rtmv2.h names, or the header's macros, and nothing invented."""
        unknown = {c for c in sketch_calls(mapping) if c not in RTMV2_FUNCTIONS and c not in HEADER_MACROS}
        assert set() == unknown

    def test_sketch_constants_exist(self, mapping: V1Mapping) -> None:
        """Every constant a sketch names is a real rtm.h / rtmv2.h / winerror.h value (exported by v2model or
        rtmcompat), or a macro or type of the header."""
        names = set(CONSTANT.findall(mapping.sketch)) - HEADER_MACROS - HEADER_TYPES
        unknown = {n for n in names if not hasattr(v2model, n) and not hasattr(rtmcompat, n)}
        assert set() == unknown

    def test_sketch_brackets_balance(self, mapping: V1Mapping) -> None:
        """Parentheses and braces of each sketch balance, as compilable C's do."""
        code = re.sub(r"/\*.*?\*/", "", mapping.sketch, flags=re.S)
        assert (code.count("("), code.count("{")) == (code.count(")"), code.count("}"))

    def test_add_converts_seconds_to_milliseconds(self) -> None:
        """RtmAddRoute's sketch passes TimeToLive in ms, keeping INFINITE (docs/behaviour.md V2-1.3)."""
        assert "TimeToLive == INFINITE ? INFINITE : TimeToLive * 1000" in BY_NAME["RtmAddRoute"].sketch

    def test_deletes_release_handles_of_routes_already_gone(self) -> None:
        """Where a port deletes a kept route handle, its sketch releases the handle when the route was already gone,
        because the delete then does not consume it (docs/behaviour.md V2-A-delete)."""
        for name in ("RtmDeleteRoute", "RtmDeregisterClient", "RtmBlockDeleteRoutes"):
            sketch = BY_NAME[name].sketch
            assert "ERROR_NOT_FOUND" in sketch
            assert "RtmReleaseRoutes" in sketch


class TestJson:
    def test_validates_against_the_shipped_schema(self) -> None:
        """The JSON form of the whole table, and of a filtered one, validates against the schema shipped in the
        package (rtmcompat/schemas/mapping.schema.json), which is itself a valid 2020-12 schema."""
        text = resources.files("rtmcompat").joinpath("schemas", "mapping.schema.json").read_text(encoding="utf-8")
        schema = json.loads(text)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        validator.validate(mapping_json())
        validator.validate(mapping_json(MAPPINGS[:1]))
        wrong = mapping_json(MAPPINGS[:1])
        wrong["mappings"][0]["kind"] = "renamed"
        assert not validator.is_valid(wrong)

    def test_keys_are_stable(self) -> None:
        """The documented keys (MIGRATION.md "The mapping table as data"), in that order."""
        document = mapping_json()
        assert ["mappings", "kinds", "effort_scale", "differences"] == list(document)
        expected = [
            "v1", "doc_url", "kind", "manual", "effort", "port", "v2_docs", "differences", "notes", "statuses",
            "sketch", "v2",
        ]  # fmt: skip
        assert all(expected == list(row) for row in document["mappings"])

    def test_carries_the_table(self) -> None:
        """Each JSON row carries its mapping's values, statuses as when/status objects."""
        for row, m in zip(mapping_json()["mappings"], MAPPINGS, strict=True):
            assert (m.v1, list(m.port), list(m.v2), m.effort) == (row["v1"], row["port"], row["v2"], row["effort"])
            assert [{"when": w, "status": s} for w, s in m.statuses] == row["statuses"]
            assert [{"function": f, "url": u} for f, u in m.v2_docs] == row["v2_docs"]

    def test_is_json(self) -> None:
        """The document survives a JSON round trip unchanged (no tuples, no objects)."""
        document = mapping_json()
        assert document == json.loads(json.dumps(document))
