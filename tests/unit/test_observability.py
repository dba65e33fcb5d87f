"""What the shared logger and metrics write into a function's logs."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# run in a fresh interpreter: pytest's own warning filters (pyproject.toml) must not hide the result
HANDLER = """
from types import SimpleNamespace
from briefing.observability import metrics

@metrics.log_metrics
def handler(event, context):
    return "ok"

context = SimpleNamespace(function_name="f", memory_limit_in_mb=128, invoked_function_arn="arn", aws_request_id="r")
print(handler({}, context))
"""


def test_an_invocation_that_counts_nothing_leaves_no_warning_in_the_logs() -> None:
    """A read, or a batch with nothing to count, publishes no metric; that is not worth a warning."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "layers" / "common"),
        "POWERTOOLS_METRICS_NAMESPACE": "test",
    }
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", HANDLER], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip().endswith("ok")
    assert "No application metrics" not in done.stderr
