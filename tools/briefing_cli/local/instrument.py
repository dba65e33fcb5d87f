"""Counting and fault injection for AWS calls made by handlers in the local runner.

Every botocore API call made while a handler runs is counted by operation. With a chaos rate,
that fraction of API calls meets a transient fault — throttling, a 5xx, a timeout — either before
the request reaches the service or after it has succeeded (the caller cannot tell it did), which
is what retries and idempotency must survive. A faulted call fails its first attempt; one in twenty
also fails all its retries, a burst longer than the SDK's retry loop, so the record
fails and SQS redelivers it. Faults are injected below the SDK's retry loop, as real ones arrive.

Faults may be limited to some functions (an outage of one consumer), and a crash rate makes the
handler's process die right after a call returned (its write done, nothing acknowledged): not an
AWS error that code could catch, but the end of the invocation, as an out-of-memory kill would be.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import botocore.endpoint
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.endpoint import Endpoint
from botocore.exceptions import ReadTimeoutError

_in_handler: ContextVar[str] = ContextVar("briefing_in_handler", default="")  # the function running

LONG_BURST = 1_000  # attempts: longer than any SDK retry loop, so the call fails
LONG_BURST_SHARE = 0.05  # of faulted calls, those whose fault outlasts every retry of the SDK

FAULTS = (
    ("ThrottlingException", 400, "Rate exceeded"),
    (
        "ProvisionedThroughputExceededException",
        400,
        "The level of configured provisioned throughput was exceeded",
    ),
    ("InternalServerError", 500, "We encountered an internal error. Please try again."),
    ("ServiceUnavailable", 503, "Service is unavailable. Please try again."),
    ("timeout", 0, "Read timeout"),
)


class HandlerCrash(BaseException):
    """The function's process died mid-invocation. A BaseException, so no handler code (nor the
    batch processor) catches it: the whole batch fails and Lambda starts a fresh environment."""


@dataclass
class CallLog:
    by_operation: Counter[str] = field(default_factory=Counter)
    by_function: Counter[str] = field(default_factory=Counter)
    faults_injected: int = 0
    faults_after_success: int = 0
    crashes: int = 0
    backoff_seconds: float = 0.0  # SDK retry back-off, counted instead of slept

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def as_report(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_operation": dict(sorted(self.by_operation.items())),
            "by_function": dict(sorted(self.by_function.items())),
            "sdk_backoff_seconds": round(self.backoff_seconds, 3),
        }


class Instrument:
    """Counts API calls (what the code asks for: the billing unit) and, with a chaos rate, makes
    that fraction of calls meet a transient fault (see the module docstring)."""

    def __init__(
        self,
        chaos_rate: float = 0.0,
        seed: int = 0,
        long_bursts: float = LONG_BURST_SHARE,
        functions: frozenset[str] | None = None,
        crash_rate: float = 0.0,
    ) -> None:
        self.chaos_rate = chaos_rate
        self.long_bursts = long_bursts  # share of faulted calls whose fault outlasts the SDK's retries
        self.functions = functions  # logical ids whose calls may fault or crash; None: every function
        self.crash_rate = crash_rate  # of calls, those after which the handler's process dies
        self.random = random.Random(seed)
        self.log = CallLog()
        self._failing_attempts = 0

    def count(self, client: BaseClient, operation: str) -> None:
        """Called once per API call: counts it and decides how many of its attempts fail."""
        self._failing_attempts = 0
        if function := _in_handler.get():
            name = f"{client.meta.service_model.service_id.replace(' ', '')}.{operation}"
            self.log.by_operation[name] += 1
            self.log.by_function[function] += 1
            if self.functions is not None and function not in self.functions:
                return
            if self.chaos_rate and self.random.random() < self.chaos_rate:
                self._failing_attempts = LONG_BURST if self.random.random() < self.long_bursts else 1

    def returned(self) -> None:
        """Called after each API call returned: maybe the process dies now."""
        function = _in_handler.get()
        if (
            not function
            or not self.crash_rate
            or (self.functions is not None and function not in self.functions)
        ):
            return
        if self.random.random() < self.crash_rate:
            self.log.crashes += 1
            raise HandlerCrash(f"{function} died after a call")

    def attempt(self, endpoint: Endpoint, request: Any, operation_model: Any, context: Any) -> Any:
        if not (_in_handler.get() and self._failing_attempts > 0):
            return _original_send(endpoint, request, operation_model, context)
        self._failing_attempts -= 1
        self.log.faults_injected += 1
        if self.random.random() < 0.5:
            self.log.faults_after_success += 1
            _original_send(endpoint, request, operation_model, context)  # it happened; the answer is lost
        code, status, message = self.random.choice(FAULTS)
        if code == "timeout":
            return None, ReadTimeoutError(endpoint_url=request.url)
        parsed = {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}},
        }
        return (AWSResponse(request.url, status, {}, _EmptyBody()), parsed), None


class _EmptyBody:
    """The raw body of an injected error response (botocore may stream it)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield b""

    def read(self, *_: Any) -> bytes:
        return b""


_active: list[Instrument] = []
_original_call = BaseClient._make_api_call
_original_send = Endpoint._do_get_response


def _patched_call(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    if not _active:
        return _original_call(self, operation_name, api_params)
    _active[-1].count(self, operation_name)
    answer = _original_call(self, operation_name, api_params)
    _active[-1].returned()
    return answer


class _VirtualSleep:
    """botocore's endpoint sleeps between retries; locally the wait is recorded, not slept, so a
    chaos run takes seconds while the report still says how long the back-off would have been."""

    def __init__(self, log: CallLog) -> None:
        self.log = log

    def sleep(self, seconds: float) -> None:
        self.log.backoff_seconds += seconds


def _patched_send(self: Endpoint, request: Any, operation_model: Any, context: Any) -> Any:
    if _active:
        return _active[-1].attempt(self, request, operation_model, context)
    return _original_send(self, request, operation_model, context)


@contextmanager
def instrumented(instrument: Instrument) -> Iterator[Instrument]:
    """Count (and maybe fail) handlers' AWS calls for the duration of the block."""
    _active.append(instrument)
    BaseClient._make_api_call = _patched_call
    Endpoint._do_get_response = _patched_send
    botocore.endpoint.time = _VirtualSleep(instrument.log)
    try:
        yield instrument
    finally:
        _active.pop()
        if not _active:
            BaseClient._make_api_call = _original_call
            Endpoint._do_get_response = _original_send
            botocore.endpoint.time = time


@contextmanager
def handler_scope(function: str = "handler") -> Iterator[None]:
    """Calls made inside the block are a handler's (of `function`, a logical id): counted, maybe faulted."""
    token = _in_handler.set(function)
    try:
        yield
    finally:
        _in_handler.reset(token)
