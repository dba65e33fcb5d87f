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


class LazyClient:
    """An adapter's boto3 client: the one injected in its constructor (tests, the local runner),
    else built on first use, so no client exists before it is needed (or before moto starts)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.slot = f"_{service}"

    def __get__(self, adapter: object, owner: type | None = None) -> Any:
        if adapter is None:
            return self
        value = adapter.__dict__.get(self.slot)
        if value is None:
            value = adapter.__dict__[self.slot] = client(self.service)
        return value
