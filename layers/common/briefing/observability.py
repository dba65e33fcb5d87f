"""Logger, metrics and tracer shared by every function; configured by POWERTOOLS_* variables.

Never log bodies, comment texts or personal data: log ids, agencies, reasons and counts.

Tracing: every function runs with Lambda active tracing (template Globals), so X-Ray records each
invocation, its init phase and the queue hops at no cost to the code. Subsegments per method and
per AWS call need the X-Ray SDK, whose import costs about as much as boto3 itself on a cold start
(benchmarks/cold_start.py measures it), so they are opt-in: the template's TraceSubsegments
parameter sets BRIEFING_TRACE_SUBSEGMENTS=true, and only then is Powertools' Tracer created.
The SDK is not in our layer (it would bring its own botocore, shadowing the runtime's): add AWS's
Powertools layer, which carries it, when turning subsegments on.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

F = TypeVar("F", bound=Callable[..., Any])

logger = Logger()
metrics = Metrics()
# A read or a batch with nothing to count publishes no metric, as intended; Powertools warns on each such
# invocation, into the function's logs. Its metrics docs give this filter for functions like ours.
warnings.filterwarnings("ignore", message="No application metrics to publish")


class UntracedTracer:
    """The part of Powertools' Tracer API our handlers use, doing nothing."""

    def capture_lambda_handler(self, handler: F) -> F:
        return handler

    def capture_method(self, method: F) -> F:
        return method


def subsegments_enabled() -> bool:
    return os.environ.get("BRIEFING_TRACE_SUBSEGMENTS", "false").strip().lower() == "true"


def make_tracer() -> Any:
    if not subsegments_enabled():
        return UntracedTracer()
    try:
        import aws_xray_sdk  # noqa: F401  (Powertools' Tracer needs it)
    except ImportError:
        logger.warning("TraceSubsegments is on but the X-Ray SDK is not installed; add a layer with it")
        return UntracedTracer()
    from aws_lambda_powertools import Tracer

    return Tracer()


tracer = make_tracer()
