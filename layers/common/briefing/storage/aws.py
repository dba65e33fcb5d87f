"""boto3 clients, created lazily and cached, so that tests (moto) and Lambda share one code path.

Clients use the SDK's standard retry mode: throttling and 5xx answers are retried with backoff
inside a call; what still fails reaches the caller, whose SQS record is then retried.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=3,
    read_timeout=10,
    user_agent_appid="briefing",
)


@cache
def client(service: str) -> Any:
    """A cached boto3 client; endpoint override via AWS_ENDPOINT_URL_<SERVICE> as boto3 supports."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-northeast-2"
    return boto3.session.Session().client(service, region_name=region, config=_CONFIG)


def reset_clients() -> None:
    """Forget cached clients (tests and the local runner start new mocks)."""
    client.cache_clear()
