"""Counting and fault injection for AWS calls made by handlers in the local runner.

Every botocore API call made while a handler runs is counted by operation. With a chaos rate,
that fraction of API calls meets a transient fault — throttling, a 5xx, a timeout — either before
the request reaches the service or after it has succeeded (the caller cannot tell it did), which
is what retries and idempotency must survive. A faulted call fails its first attempt; one in twenty
also fails all its retries, a burst longer than the SDK's retry loop, so the record
fails and SQS redelivers it. Faults are injected below the SDK's retry loop, as real ones arrive.
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

_in_handler: ContextVar[bool] = ContextVar("briefing_in_handler", default=False)

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


@dataclass
class CallLog:
    by_operation: Counter[str] = field(default_factory=Counter)
    faults_injected: int = 0
    faults_after_success: int = 0
    backoff_seconds: float = 0.0  # SDK retry back-off, counted instead of slept

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def as_report(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_operation": dict(sorted(self.by_operation.items())),
            "sdk_backoff_seconds": round(self.backoff_seconds, 3),
        }


class Instrument:
    """Counts API calls (what the code asks for: the billing unit) and, with a chaos rate, makes
    that fraction of calls meet a transient fault (see the module docstring)."""

    def __init__(self, chaos_rate: float = 0.0, seed: int = 0, long_bursts: float = LONG_BURST_SHARE) -> None:
        self.chaos_rate = chaos_rate
        self.long_bursts = long_bursts  # share of faulted calls whose fault outlasts the SDK's retries
        self.random = random.Random(seed)
        self.log = CallLog()
        self._failing_attempts = 0

    def count(self, client: BaseClient, operation: str) -> None:
        """Called once per API call: counts it and decides how many of its attempts fail."""
        self._failing_attempts = 0
        if _in_handler.get():
            name = f"{client.meta.service_model.service_id.replace(' ', '')}.{operation}"
            self.log.by_operation[name] += 1
            if self.chaos_rate and self.random.random() < self.chaos_rate:
                self._failing_attempts = LONG_BURST if self.random.random() < self.long_bursts else 1

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
    if _active:
        _active[-1].count(self, operation_name)
    return _original_call(self, operation_name, api_params)


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
def handler_scope() -> Iterator[None]:
    token = _in_handler.set(True)
    try:
        yield
    finally:
        _in_handler.reset(token)
