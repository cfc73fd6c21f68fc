"""Export method functions: RtmGetEntityMethods, RtmInvokeMethod, RtmBlockMethods (V2-2.2, V2-A-methods)."""

from __future__ import annotations

from typing import Any

from ._boundary import Boundary, api
from ._constants import (
    DEST_TYPE,
    METHOD_TYPE_ALL_METHODS,
    NEXTHOP_TYPE,
    ROUTE_TYPE,
    RTM_BLOCK_METHODS,
    RTM_RESUME_METHODS,
)
from ._errors import (
    RtmInvalidHandleError,
    RtmInvalidParameterError,
    WinError,
)
from ._objects import NULL, Entity, EntityHandle, Handle, NullHandle
from ._results import (
    GetEntityMethodsResult,
    InvokeMethodResult,
    StatusResult,
)
from ._types import (
    METHOD_OUTPUT_HEADER_SIZE,
    RTM_ENTITY_EXPORT_METHOD,
    RTM_ENTITY_METHOD_INPUT,
    RTM_ENTITY_METHOD_OUTPUT,
)
from ._validate import ULONG_MAX, plain_bytes, uchar, ulong

#: The result of every call that succeeds with no out-parameter (a tuple: one object serves them all).
_OK = StatusResult(WinError.NO_ERROR)


class ExportMethods(Boundary):
    """Methods an entity exports to the others, invoked through RTM."""

    @api(GetEntityMethodsResult)
    def RtmGetEntityMethods(
        self, RtmRegHandle: Entity | None, EntityHandle: EntityHandle | Entity | None, NumMethods: int
    ) -> GetEntityMethodsResult:
        """The methods another entity exports. Capacity 0 gives the count; a capacity smaller than the count
        gives ERROR_INSUFFICIENT_BUFFER with as many methods as fit."""
        ent = self._entity(RtmRegHandle)
        other = self._other_entity(ent, EntityHandle)
        capacity = ulong(NumMethods, "NumMethods")
        methods = list(other.methods)
        if capacity == 0:
            return GetEntityMethodsResult(WinError.NO_ERROR, len(methods), [])
        if capacity < len(methods):
            return GetEntityMethodsResult(WinError.ERROR_INSUFFICIENT_BUFFER, capacity, methods[:capacity])
        return GetEntityMethodsResult(WinError.NO_ERROR, len(methods), methods)

    @api(InvokeMethodResult, locked=False)
    def RtmInvokeMethod(
        self,
        RtmRegHandle: Entity | None,
        EntityHandle: EntityHandle | Entity | None,
        Input: RTM_ENTITY_METHOD_INPUT,
        OutputSize: int,
    ) -> InvokeMethodResult:
        """Invoke the callee's methods selected by the bits of ``Input.MethodType`` in ascending bit order, each
        writing one output record, until ``OutputSize`` bytes are used. A callee that blocked its methods gets the
        call queued (ERROR_IO_PENDING, model-local) and run when it resumes them."""
        with self._lock:
            ent = self._entity(RtmRegHandle)
            callee = self._other_entity(ent, EntityHandle)
            if type(Input) is not RTM_ENTITY_METHOD_INPUT:
                raise RtmInvalidParameterError("Input must be an RTM_ENTITY_METHOD_INPUT")
            method_type = ulong(Input.MethodType, "MethodType")
            data = plain_bytes(Input.InputData)
            if data is None or ulong(Input.InputSize, "InputSize") != len(data):
                raise RtmInvalidParameterError("InputSize must equal len(InputData)")
            capacity = ulong(OutputSize, "OutputSize")
            chosen = [
                (1 << i, m)
                for i, m in enumerate(callee.methods)
                if m is not None and (method_type == METHOD_TYPE_ALL_METHODS or method_type >> i & 1)
            ]
            call_input = RTM_ENTITY_METHOD_INPUT(method_type, len(data), bytes(data))
            if callee.blocked:
                callee.pending_invocations.append((ent, callee, call_input, chosen, capacity))
                return InvokeMethodResult(WinError.ERROR_IO_PENDING, None, None)
        used, outputs = self._run_methods(ent, callee, call_input, chosen, capacity)
        return InvokeMethodResult(WinError.NO_ERROR, used, outputs)

    def _run_methods(
        self,
        caller: Entity,
        callee: Entity,
        call_input: RTM_ENTITY_METHOD_INPUT,
        chosen: list[tuple[int, RTM_ENTITY_EXPORT_METHOD]],
        capacity: int,
    ) -> tuple[int, list[RTM_ENTITY_METHOD_OUTPUT]]:
        """Call the methods outside the lock (they may call RTM themselves)."""
        used = 0
        outputs = []
        for bit, method in chosen:
            room = capacity - used - METHOD_OUTPUT_HEADER_SIZE
            if room < 0:
                break
            output = RTM_ENTITY_METHOD_OUTPUT(MethodType=bit, MethodStatus=0, OutputSize=room, OutputData=b"")
            own_input = RTM_ENTITY_METHOD_INPUT(call_input.MethodType, call_input.InputSize, call_input.InputData)
            try:
                method(caller.public, callee, own_input, output)  # the caller's name, not its key
            except Exception as exc:  # the callee's bug: recorded, reported as the method's status
                with self._lock:
                    self._diagnose(f"method {bit:#x} of {callee!r} raised {type(exc).__name__}")
                output.MethodStatus, output.OutputData = WinError.ERROR_INVALID_FUNCTION, b""
            # What the method wrote is read without running its code, then copied into a fresh record
            # (M-BINDING-5, M-BINDING-6); garbage is the method's failure.
            status = output.MethodStatus
            status = int.__int__(status) if issubclass(type(status), int) else -1
            payload = plain_bytes(output.OutputData)
            if payload is None or not 0 <= status <= ULONG_MAX:
                status, payload = WinError.ERROR_INVALID_FUNCTION, b""
            payload = payload[:room]
            outputs.append(RTM_ENTITY_METHOD_OUTPUT(bit, status, len(payload), payload))
            used += METHOD_OUTPUT_HEADER_SIZE + len(payload)
        return used, outputs

    @api(StatusResult, locked=False)
    def RtmBlockMethods(
        self,
        RtmRegHandle: Entity | None,
        TargetHandle: Handle | NullHandle | None = None,
        TargetType: int = 0,
        BlockingFlag: int | None = None,
    ) -> StatusResult:
        """Block (RTM_BLOCK_METHODS) or resume (RTM_RESUME_METHODS) the caller's methods. Per-target blocking is
        not supported by RTM: the target is checked and ignored. Resuming runs the invocations queued meanwhile."""
        with self._lock:
            ent = self._entity(RtmRegHandle)
            if TargetHandle is not None and TargetHandle is not NULL and not issubclass(type(TargetHandle), Handle):
                raise RtmInvalidHandleError("TargetHandle must be a handle or None")
            if uchar(TargetType, "TargetType") not in (0, DEST_TYPE, ROUTE_TYPE, NEXTHOP_TYPE):
                raise RtmInvalidParameterError("unknown TargetType")
            flag = ulong(BlockingFlag, "BlockingFlag") if BlockingFlag is not None else None
            if flag not in (RTM_BLOCK_METHODS, RTM_RESUME_METHODS):
                raise RtmInvalidParameterError("BlockingFlag must be RTM_BLOCK_METHODS or RTM_RESUME_METHODS")
            ent.blocked = flag == RTM_BLOCK_METHODS
            queued: list[Any] = []
            if not ent.blocked:
                queued, ent.pending_invocations = ent.pending_invocations, []
        for caller, callee, call_input, chosen, capacity in queued:
            if caller._alive and callee._alive:
                self._run_methods(caller, callee, call_input, chosen, capacity)
        return _OK
