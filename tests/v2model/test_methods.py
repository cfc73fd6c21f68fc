"""Exported entity methods: RtmGetEntityMethods, RtmInvokeMethod, RtmBlockMethods (V2-2.2, V2-6.3, V2-A-methods)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import v2model
from v2model import (
    AF_INET,
    DEST_TYPE,
    ERROR_INSUFFICIENT_BUFFER,
    ERROR_INVALID_HANDLE,
    ERROR_INVALID_PARAMETER,
    ERROR_IO_PENDING,
    METHOD_TYPE_ALL_METHODS,
    NO_ERROR,
    PROTO_IP_BGP,
    PROTO_IP_OSPF,
    PROTO_IP_RIP,
    RTM_BLOCK_METHODS,
    RTM_ENTITY_EXPORT_METHODS,
    RTM_ENTITY_ID,
    RTM_ENTITY_INFO,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENTITY_METHOD_OUTPUT,
    RTM_RESUME_METHODS,
    WinError,
)

from .scenario_support import (
    SweepWorld,
    loose,
    run_in_thread,
    sweep,
)
from .support import register

HEADER = 12  # MethodType, MethodStatus, OutputSize


class Callee:
    """OSPF exporting three methods that record their calls and answer with a tag."""

    def __init__(self, rtm: v2model.RoutingTableManager) -> None:
        self.rtm = rtm
        self.calls: list[tuple[str, Any, Any, int, bytes]] = []
        methods = RTM_ENTITY_EXPORT_METHODS(Methods=[self._method("route-type"), None, self._method("metric")])
        methods.Methods.append(self._method("lsdb"))
        methods.NumMethods = 4
        self.ospf = register(rtm, PROTO_IP_OSPF, methods=methods)
        self.bgp = register(rtm, PROTO_IP_BGP)

    def _method(self, tag: str) -> Any:
        def method(caller: Any, callee: Any, inp: RTM_ENTITY_METHOD_INPUT, out: RTM_ENTITY_METHOD_OUTPUT) -> None:
            self.calls.append((tag, caller, callee, inp.MethodType, inp.InputData))
            out.MethodStatus = NO_ERROR
            out.OutputData = tag.encode()

        return method

    def invoke(self, method_type: int, output_size: int = 1000, data: bytes = b"q") -> Any:
        return self.rtm.RtmInvokeMethod(
            self.bgp, self.ospf, RTM_ENTITY_METHOD_INPUT(MethodType=method_type, InputData=data), output_size
        )


@pytest.fixture
def callee(rtm: v2model.RoutingTableManager) -> Callee:
    return Callee(rtm)


class TestRtmGetEntityMethods:
    """RtmGetEntityMethods (V2-6.3, V2-A-bufsize)."""

    def test_capacity_zero_gives_the_count(self, callee: Callee) -> None:
        """NumMethods 0: NO_ERROR with the number of methods exported (as the sample relies on) (V2-6.3,
        V2-A-bufsize)."""
        assert (NO_ERROR, 4, []) == tuple(callee.rtm.RtmGetEntityMethods(callee.bgp, callee.ospf, 0))

    def test_enough_capacity_gives_every_method(self, callee: Callee) -> None:
        """A large enough capacity returns every exported entry, in bit order (V2-6.3, V2-A-bufsize)."""
        status, count, methods = callee.rtm.RtmGetEntityMethods(callee.bgp, callee.ospf, 10)
        assert (NO_ERROR, 4) == (status, count)
        assert methods is not None
        assert [True, False, True, True] == [callable(m) for m in methods]

    def test_too_small_gives_insufficient_buffer(self, callee: Callee) -> None:
        """0 < capacity < count: ERROR_INSUFFICIENT_BUFFER, as many methods as fit, NumMethods = capacity (V2-6.3,
        V2-A-bufsize)."""
        status, count, methods = callee.rtm.RtmGetEntityMethods(callee.bgp, callee.ospf, 2)
        assert (ERROR_INSUFFICIENT_BUFFER, 2) == (status, count)
        assert methods is not None
        assert 2 == len(methods)

    def test_entity_without_methods(self, callee: Callee) -> None:
        """An entity that exported nothing has 0 methods (V2-6.3, V2-A-bufsize)."""
        assert (NO_ERROR, 0, []) == tuple(callee.rtm.RtmGetEntityMethods(callee.ospf, callee.bgp, 0))

    def test_bad_arguments(self, callee: Callee) -> None:
        """A deregistered, wrong-kind or missing entity handle: ERROR_INVALID_HANDLE; a bad capacity:
        ERROR_INVALID_PARAMETER (V2-6.3, V2-A-bufsize)."""
        api = loose(callee.rtm)
        gone = register(callee.rtm, PROTO_IP_RIP)
        api.RtmDeregisterEntity(gone)
        get = api.RtmGetEntityMethods
        for args in ((callee.bgp, gone, 0), (callee.bgp, None, 0), (callee.bgp, 1, 0), (gone, callee.ospf, 0)):
            assert (ERROR_INVALID_HANDLE, None, None) == tuple(get(*args)), args
        for capacity in (-1, 2**32, None, "4"):
            assert (ERROR_INVALID_PARAMETER, None, None) == tuple(get(callee.bgp, callee.ospf, capacity))


class TestRtmInvokeMethod:
    """RtmInvokeMethod (V2-6.3, V2-A-methods)."""

    def test_bits_select_methods_in_ascending_order(self, callee: Callee) -> None:
        """MethodType bit i selects Methods[i]; selected methods run in ascending bit order, each with its own
        output record (MethodType = its bit) (V2-6.3, V2-A-methods)."""
        status, used, outputs = callee.invoke(0b1001)
        assert NO_ERROR == status
        assert outputs is not None
        assert [("route-type", 0b1001), ("lsdb", 0b1001)] == [(c[0], c[3]) for c in callee.calls]
        assert [(0b0001, NO_ERROR, b"route-type"), (0b1000, NO_ERROR, b"lsdb")] == [
            (o.MethodType, o.MethodStatus, o.OutputData) for o in outputs
        ]
        assert [len(b"route-type"), len(b"lsdb")] == [o.OutputSize for o in outputs]
        assert 2 * HEADER + len(b"route-type") + len(b"lsdb") == used

    def test_all_methods(self, callee: Callee) -> None:
        """METHOD_TYPE_ALL_METHODS invokes every exported method (missing entries are skipped) (V2-6.3,
        V2-A-methods)."""
        status, _, outputs = callee.invoke(METHOD_TYPE_ALL_METHODS)
        assert NO_ERROR == status
        assert outputs is not None
        assert [1, 4, 8] == [o.MethodType for o in outputs]

    def test_caller_callee_and_input_are_passed(self, callee: Callee) -> None:
        """Each method is called as Method(CallerHandle, CalleeHandle, Input, Output) with the common input (
        V2-6.3, V2-A-methods)."""
        callee.invoke(0b0100, data=b"hello")
        assert [("metric", callee.bgp, callee.ospf, 0b0100, b"hello")] == callee.calls

    def test_bits_without_a_method_invoke_nothing(self, callee: Callee) -> None:
        """Bits naming no exported method (an empty entry, beyond NumMethods) invoke nothing (V2-6.3, V2-A-methods)."""
        assert (NO_ERROR, 0, []) == tuple(callee.invoke(0b0010 | 0x10000))
        assert [] == callee.calls

    def test_output_capacity_limits_the_records(self, callee: Callee) -> None:
        """Invocation stops when the output buffer is used up, and output data is cut to what fits (V2-6.3,
        V2-A-methods)."""
        status, used, outputs = callee.invoke(0b1101, output_size=HEADER + 10)
        assert (NO_ERROR, HEADER + 10) == (status, used)
        assert outputs is not None
        assert [(1, b"route-type")] == [(o.MethodType, o.OutputData) for o in outputs]
        status, used, outputs = callee.invoke(0b0101, output_size=HEADER + 3)
        assert outputs is not None
        assert (NO_ERROR, HEADER + 3, [b"rou"]) == (status, used, [o.OutputData for o in outputs])

    def test_zero_output_size_runs_nothing(self, callee: Callee) -> None:
        """Without room for one output record no method runs (V2-6.3, V2-A-methods)."""
        calls_before = len(callee.calls)
        assert (NO_ERROR, 0, []) == tuple(callee.invoke(METHOD_TYPE_ALL_METHODS, output_size=0))
        assert calls_before == len(callee.calls)

    def test_methods_run_outside_the_lock(self, callee: Callee) -> None:
        """A method may use RTM itself, and another thread can use RTM while it runs (V2-6.3, V2-A-methods)."""
        seen: list[Any] = []

        def method(caller: Any, me: Any, inp: Any, out: RTM_ENTITY_METHOD_OUTPUT) -> None:
            seen.append(run_in_thread(callee.rtm.statistics)[0])
            status, rlist = callee.rtm.RtmCreateRouteList(me)
            seen.append(status)
            seen.append(callee.rtm.RtmDeleteRouteList(me, rlist).status)

        rip = register(callee.rtm, PROTO_IP_RIP, methods=RTM_ENTITY_EXPORT_METHODS(Methods=[method]))
        status, _, _ = callee.rtm.RtmInvokeMethod(callee.bgp, rip, RTM_ENTITY_METHOD_INPUT(MethodType=1), 100)
        assert NO_ERROR == status
        assert [True, NO_ERROR, NO_ERROR] == seen

    def test_an_entity_may_invoke_itself(self, callee: Callee) -> None:
        """As in the sample, caller and callee may be the same entity (V2-6.3, V2-A-methods)."""
        status, _, outputs = callee.rtm.RtmInvokeMethod(
            callee.ospf, callee.ospf, RTM_ENTITY_METHOD_INPUT(MethodType=METHOD_TYPE_ALL_METHODS), 100
        )
        assert NO_ERROR == status
        assert outputs is not None
        assert [callee.ospf] * 3 == [c[1] for c in callee.calls]

    def test_deregistered_callee(self, callee: Callee) -> None:
        """RTM refuses calls to an entity that has deregistered: ERROR_INVALID_HANDLE (V2-2.2, V2-A-dereg)."""
        assert NO_ERROR == callee.rtm.RtmDeregisterEntity(callee.ospf).status
        assert (ERROR_INVALID_HANDLE, None, None) == tuple(callee.invoke(METHOD_TYPE_ALL_METHODS))
        assert [] == callee.calls

    def test_a_failing_method_does_not_raise_into_the_caller(self, callee: Callee) -> None:
        """An exception raised by the callee's method is the callee's bug: it is recorded in the leak report's
        diagnostics and never reaches the invoking entity, and the other selected methods still run
        (MIGRATION.md "Callbacks", M-BINDING-5)."""

        def broken(*args: Any) -> None:
            raise RuntimeError("callee bug")

        ok_calls: list[Any] = []
        rip = register(
            callee.rtm,
            PROTO_IP_RIP,
            methods=RTM_ENTITY_EXPORT_METHODS(Methods=[broken, lambda *args: ok_calls.append(args)]),
        )
        status, _, _ = callee.rtm.RtmInvokeMethod(
            callee.bgp, rip, RTM_ENTITY_METHOD_INPUT(MethodType=METHOD_TYPE_ALL_METHODS), 100
        )
        assert isinstance(status, int)
        assert 1 == len(ok_calls)
        assert 1 == len(callee.rtm.leak_report().diagnostics)

    def test_bad_arguments(self, callee: Callee) -> None:
        """Bad handles: ERROR_INVALID_HANDLE; an Input that is not the structure, an InputSize that does not
        match the data or a bad OutputSize: ERROR_INVALID_PARAMETER. No method runs (V2-6.3, V2-A-methods)."""
        api = loose(callee.rtm)
        invoke = api.RtmInvokeMethod
        not_bytes: Any = "x"
        good = RTM_ENTITY_METHOD_INPUT(MethodType=1, InputData=b"x")
        cases: list[tuple[int, tuple[Any, ...]]] = [
            (ERROR_INVALID_HANDLE, (None, callee.ospf, good, 100)),
            (ERROR_INVALID_HANDLE, (callee.bgp, None, good, 100)),
            (ERROR_INVALID_HANDLE, (callee.bgp, 5, good, 100)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, None, 100)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, b"x", 100)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, RTM_ENTITY_METHOD_INPUT(1, 5, b"x"), 100)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, RTM_ENTITY_METHOD_INPUT(1, 1, not_bytes), 100)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, RTM_ENTITY_METHOD_INPUT(-1, 1, b"x"), 100)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, good, -1)),
            (ERROR_INVALID_PARAMETER, (callee.bgp, callee.ospf, good, None)),
        ]
        for expected, args in cases:
            assert (expected, None, None) == tuple(invoke(*args)), args
        assert [] == callee.calls


class TestRtmBlockMethods:
    """RtmBlockMethods (V2-6.3, V2-A-methods): the model queues calls to a blocked entity."""

    def test_blocked_calls_are_queued_and_run_on_resume(self, callee: Callee) -> None:
        """While blocked, RtmInvokeMethod answers ERROR_IO_PENDING (model-local 997) and nothing runs; resuming
        runs the queued calls in order (V2-6.3, V2-A-methods)."""
        assert 997 == ERROR_IO_PENDING == WinError.ERROR_IO_PENDING
        assert NO_ERROR == callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_BLOCK_METHODS).status
        assert (ERROR_IO_PENDING, None, None) == tuple(callee.invoke(0b0001, data=b"first"))
        assert (ERROR_IO_PENDING, None, None) == tuple(callee.invoke(0b0100, data=b"second"))
        assert [] == callee.calls
        assert NO_ERROR == callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_RESUME_METHODS).status
        assert [("route-type", b"first"), ("metric", b"second")] == [(c[0], c[4]) for c in callee.calls]
        callee.calls.clear()
        assert NO_ERROR == callee.invoke(0b0001).status
        assert 1 == len(callee.calls)

    def test_blocking_is_not_counted(self, callee: Callee) -> None:
        """Blocking twice and resuming once unblocks (a boolean per entity, A-methods)."""
        callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_BLOCK_METHODS)
        callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_BLOCK_METHODS)
        callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_RESUME_METHODS)
        assert NO_ERROR == callee.invoke(0b0001).status

    def test_only_the_blocking_entity_is_blocked(self, callee: Callee) -> None:
        """Blocking BGP's methods does not block calls to OSPF (V2-6.3, V2-A-methods)."""
        callee.rtm.RtmBlockMethods(callee.bgp, None, 0, RTM_BLOCK_METHODS)
        assert NO_ERROR == callee.invoke(0b0001).status

    def test_target_is_accepted_and_ignored(self, callee: Callee) -> None:
        """A target handle and type are checked but per-target blocking is not supported: the whole entity is
        blocked (V2-6.3)."""
        assert NO_ERROR == callee.rtm.RtmBlockMethods(callee.ospf, callee.bgp, DEST_TYPE, RTM_BLOCK_METHODS).status
        assert ERROR_IO_PENDING == callee.invoke(0b0001).status
        callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_RESUME_METHODS)

    def test_a_failing_queued_call_does_not_raise_into_the_resumer(self, callee: Callee) -> None:
        """Resuming runs the queued calls; one whose method raises is recorded as a diagnostic, RtmBlockMethods
        still answers NO_ERROR and the calls queued after it still run (MIGRATION.md "Callbacks")."""
        runs: list[bytes] = []

        def method(caller: Any, me: Any, inp: RTM_ENTITY_METHOD_INPUT, out: Any) -> None:
            if inp.InputData == b"boom":
                raise RuntimeError("callee bug")
            runs.append(inp.InputData)

        rip = register(callee.rtm, PROTO_IP_RIP, methods=RTM_ENTITY_EXPORT_METHODS(Methods=[method]))
        callee.rtm.RtmBlockMethods(rip, None, 0, RTM_BLOCK_METHODS)
        for data in (b"boom", b"after"):
            status, _, _ = callee.rtm.RtmInvokeMethod(
                callee.bgp, rip, RTM_ENTITY_METHOD_INPUT(MethodType=1, InputData=data), 100
            )
            assert ERROR_IO_PENDING == status
        assert NO_ERROR == callee.rtm.RtmBlockMethods(rip, None, 0, RTM_RESUME_METHODS).status
        assert [b"after"] == runs

    def test_queued_calls_of_a_caller_that_left_are_dropped(self, callee: Callee) -> None:
        """A queued call whose caller deregistered meanwhile does not run (V2-6.3, V2-A-methods)."""
        callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_BLOCK_METHODS)
        callee.invoke(0b0001)
        callee.rtm.RtmDeregisterEntity(callee.bgp)
        callee.rtm.RtmBlockMethods(callee.ospf, None, 0, RTM_RESUME_METHODS)
        assert [] == callee.calls

    def test_bad_arguments(self, callee: Callee) -> None:
        """A bad BlockingFlag or TargetType: ERROR_INVALID_PARAMETER; a bad caller or a target that is not a
        handle: ERROR_INVALID_HANDLE. The entity stays unblocked (V2-6.3, V2-A-methods)."""
        api = loose(callee.rtm)
        block = api.RtmBlockMethods
        for expected, args in (
            (ERROR_INVALID_PARAMETER, (callee.ospf, None, 0, 2)),
            (ERROR_INVALID_PARAMETER, (callee.ospf, None, 0, None)),
            (ERROR_INVALID_PARAMETER, (callee.ospf, None, 0, -1)),
            (ERROR_INVALID_PARAMETER, (callee.ospf, None, 9, RTM_BLOCK_METHODS)),
            (ERROR_INVALID_PARAMETER, (callee.ospf, None, 256, RTM_BLOCK_METHODS)),
            (ERROR_INVALID_HANDLE, (callee.ospf, "target", 0, RTM_BLOCK_METHODS)),
            (ERROR_INVALID_HANDLE, (None, None, 0, RTM_BLOCK_METHODS)),
            (ERROR_INVALID_HANDLE, (3, None, 0, RTM_BLOCK_METHODS)),
        ):
            assert expected == block(*args).status, args
        assert NO_ERROR == callee.invoke(0b0001).status


class TestExportMethodsAtRegistration:
    """RTM_ENTITY_EXPORT_METHODS given to RtmRegisterEntity (V2-2.2)."""

    def test_at_most_32_methods(self, rtm: v2model.RoutingTableManager) -> None:
        """Up to 32 methods may be exported; 33 or a non-callable entry: ERROR_INVALID_PARAMETER (V2-2.2)."""
        api = loose(rtm)
        info = RTM_ENTITY_INFO(RtmInstanceId=0, AddressFamily=AF_INET, EntityId=RTM_ENTITY_ID(PROTO_IP_RIP, 0))

        def method(*_: Any) -> None:
            return None

        not_callable: Any = "not callable"
        status, _, handle = api.RtmRegisterEntity(info, RTM_ENTITY_EXPORT_METHODS(Methods=[method] * 33))
        assert (ERROR_INVALID_PARAMETER, None) == (status, handle)
        status, _, handle = api.RtmRegisterEntity(info, RTM_ENTITY_EXPORT_METHODS(Methods=[not_callable]))
        assert (ERROR_INVALID_PARAMETER, None) == (status, handle)
        status, _, handle = api.RtmRegisterEntity(info, RTM_ENTITY_EXPORT_METHODS(Methods=[method] * 32))
        assert NO_ERROR == status
        assert (NO_ERROR, 32, []) == tuple(api.RtmGetEntityMethods(handle, handle, 0))


SWEEP_CALLS: list[tuple[str, Callable[[SweepWorld], list[Any]], int]] = [
    ("RtmGetEntityMethods", lambda w: [w.ospf, w.rip, 0], 3),
    ("RtmInvokeMethod", lambda w: [w.ospf, w.rip, RTM_ENTITY_METHOD_INPUT(MethodType=1), 100], 4),
    ("RtmBlockMethods", lambda w: [w.rip, None, 0, RTM_BLOCK_METHODS], 4),
]


class TestBadInputSweep:
    """Every argument position of the entity-method functions given wrong values of every kind (None, out-of-range
    ints, strings, structures, handles of other kinds, other entities' and stale handles): no exception, no
    out-parameters on failure, and a failed call leaves the table unchanged (M-BINDING-4, M-BINDING-5)."""

    @pytest.mark.parametrize(
        ("method", "args", "position"),
        [pytest.param(m, a, i, id=f"{m}-{i}") for m, a, n in SWEEP_CALLS for i in range(n)],
    )
    def test_never_raises_and_fails_cleanly(
        self, clock: v2model.ManualClock, method: str, args: Callable[[SweepWorld], list[Any]], position: int
    ) -> None:
        """No wrong value makes the method raise or leave a trace when it fails (V2-2.2, V2-A-methods)."""
        assert [] == sweep(clock, method, args, position)
