"""Rejection events for agencies: SNS messages they can subscribe to (filtered by agency)."""

from __future__ import annotations

import json
from typing import Any

from briefing.storage.aws import LazyClient


class TopicNotifier:
    sns = LazyClient("sns")

    def __init__(self, topic_arn: str, sns: Any | None = None) -> None:
        self.topic_arn = topic_arn
        self._sns = sns

    def __call__(self, rejection: dict[str, Any]) -> None:
        event = {"type": "release.rejected", **{k: v for k, v in rejection.items() if k not in ("pk", "sk")}}
        self.sns.publish(
            TopicArn=self.topic_arn,
            Subject="briefing: release rejected",
            Message=json.dumps(event, ensure_ascii=False),
            MessageAttributes={
                "agency": {"DataType": "String", "StringValue": rejection.get("agency") or "-"},
                "reason": {"DataType": "String", "StringValue": rejection["reason"]},
            },
        )
