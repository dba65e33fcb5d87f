"""Hand-off to the next stage through SQS."""

from __future__ import annotations

import json
from typing import Any

from briefing.storage.aws import LazyClient


class QueuePublisher:
    sqs = LazyClient("sqs")

    def __init__(self, queue_url: str, sqs: Any | None = None) -> None:
        self.queue_url = queue_url
        self._sqs = sqs

    def publish(self, message: dict[str, Any], attributes: dict[str, str] | None = None) -> str:
        answer = self.sqs.send_message(
            QueueUrl=self.queue_url,
            MessageBody=json.dumps(message, ensure_ascii=False, sort_keys=True),
            MessageAttributes={
                name: {"DataType": "String", "StringValue": value}
                for name, value in (attributes or {}).items()
            },
        )
        return str(answer["MessageId"])
