"""Counting and fault injection for AWS calls made by handlers in the local runner.

Every botocore API call made while a handler runs is counted by operation. With a chaos rate,
that fraction of calls fails transiently — throttling, a 5xx, a timeout — either before the call
reaches the service or after it has succeeded (the caller cannot tell it did), which is what
retries and idempotency must survive.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError, ReadTimeoutError

_in_handler: ContextVar[bool] = ContextVar("briefing_in_handler", default=False)

FAULTS = (
    ("ThrottlingException", 400, "Rate exceeded"),
    ("ProvisionedThroughputExceededException", 400, "The level of configured provisioned throughput was exceeded"),
    ("InternalServerError", 500, "We encountered an internal error. Please try again."),
    ("ServiceUnavailable", 503, "Service is unavailable. Please try again."),
    ("timeout", 0, "Read timeout"),
)


@dataclass
class CallLog:
    by_operation: Counter[str] = field(default_factory=Counter)
    faults_injected: int = 0
    faults_after_success: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())

    def as_report(self) -> dict[str, Any]:
        return {"total": self.total, "by_operation": dict(sorted(self.by_operation.items()))}


class Instrument:
    def __init__(self, chaos_rate: float = 0.0, seed: int = 0) -> None:
        self.chaos_rate = chaos_rate
        self.random = random.Random(seed)
        self.log = CallLog()

    def _fault(self, operation: str) -> Exception:
        code, status, message = self.random.choice(FAULTS)
        if code == "timeout":
            return ReadTimeoutError(endpoint_url=f"https://{operation}")
        return ClientError(
            {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}},
            operation,
        )

    def around(self, client: BaseClient, operation: str, call: Any) -> Any:
        if not _in_handler.get():
            return call()
        name = f"{client.meta.service_model.service_id.replace(' ', '')}.{operation}"
        self.log.by_operation[name] += 1
        if self.chaos_rate and self.random.random() < self.chaos_rate:
            self.log.faults_injected += 1
            if self.random.random() < 0.5:
                raise self._fault(operation)
            call()  # the write happened; the caller only sees the error
            self.log.faults_after_success += 1
            raise self._fault(operation)
        return call()


_active: list[Instrument] = []
_original = BaseClient._make_api_call


def _patched(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    call = lambda: _original(self, operation_name, api_params)  # noqa: E731
    return _active[-1].around(self, operation_name, call) if _active else call()


@contextmanager
def instrumented(instrument: Instrument) -> Iterator[Instrument]:
    """Count (and maybe fail) handlers' AWS calls for the duration of the block."""
    _active.append(instrument)
    BaseClient._make_api_call = _patched  # type: ignore[method-assign]
    try:
        yield instrument
    finally:
        _active.pop()
        if not _active:
            BaseClient._make_api_call = _original  # type: ignore[method-assign]


@contextmanager
def handler_scope() -> Iterator[None]:
    token = _in_handler.set(True)
    try:
        yield
    finally:
        _in_handler.reset(token)
