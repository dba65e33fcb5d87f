"""SQS records in, a partial batch response out: each record succeeds or fails on its own.

This is the contract of ReportBatchItemFailures (template: FunctionResponseTypes), and all that our
consumers need of Powertools' BatchProcessor. Importing that one costs about a third of a bare
boto3 + Logger cold start (it brings asyncio and every event data class), so the loop lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from msgspec import Struct, field

from briefing.observability import logger


class SqsRecord(Struct, frozen=True):
    message_id: str
    body: str
    sender_id: str | None = None
    sent_at: datetime | None = None
    # message attributes, string values only (binary ones are not part of any of our contracts)
    attributes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_event(cls, raw: Mapping[str, Any]) -> SqsRecord:
        system = raw.get("attributes") or {}
        sent_ms = str(system.get("SentTimestamp") or "")
        return cls(
            message_id=str(raw.get("messageId") or ""),
            body=raw.get("body") or "",
            sender_id=system.get("SenderId"),
            sent_at=datetime.fromtimestamp(int(sent_ms) / 1000, UTC) if sent_ms.isdigit() else None,
            attributes={
                name: str(value.get("stringValue") or "")
                for name, value in (raw.get("messageAttributes") or {}).items()
                if isinstance(value, Mapping)
            },
        )


def process_batch(event: Mapping[str, Any], handle: Callable[[SqsRecord], None]) -> dict[str, Any]:
    """Run ``handle`` on every record; the ones that raise are reported back for SQS to redeliver
    (and, after the queue's maxReceiveCount, to dead-letter). One failure never fails a neighbour."""
    failures: list[dict[str, str]] = []
    for raw in event.get("Records") or []:
        message_id = str(raw.get("messageId") or "")
        try:
            handle(SqsRecord.from_event(raw))
        except Exception as exc:
            # the type only: an exception's message may quote the record's content
            logger.warning("record failed", extra={"message_id": message_id, "error": type(exc).__name__})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
