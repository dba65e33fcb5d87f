"""IngestReleaseFunction: releases from IngestQueue → archive, articles table, IndexQueue.

Each SQS record is processed on its own (partial batch failures): a rejected release is recorded
and acknowledged, an AWS error fails only its record so SQS retries it, then dead-letters it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from briefing.observability import logger, metrics, tracer
from briefing.releases.ingest import IngestService, QueuedMessage
from briefing.releases.registry import AgencyRegistry
from briefing.settings import IngestSettings
from briefing.sqs_batch import SqsRecord, process_batch
from briefing.storage.archive import Archive
from briefing.storage.articles import ArticleStore
from briefing.storage.notify import TopicNotifier
from briefing.storage.queues import QueuePublisher


@cache
def service() -> IngestService:
    settings = IngestSettings.from_env()
    return IngestService(
        store=ArticleStore(settings.articles_table),
        archive=Archive(settings.archive_bucket),
        index_queue=QueuePublisher(settings.index_queue_url),
        registry=AgencyRegistry.from_json(settings.agency_registry),
        max_body_bytes=settings.max_body_bytes,
        payload_bucket=settings.payload_bucket,
        notify_rejection=TopicNotifier(settings.rejections_topic_arn)
        if settings.rejections_topic_arn
        else None,
    )


def to_queued_message(record: SqsRecord) -> QueuedMessage:
    return QueuedMessage(
        body=record.body,
        message_id=record.message_id,
        sender_id=record.sender_id,
        sent_at=record.sent_at or datetime.now(UTC),
        attributes=dict(record.attributes),
    )


@tracer.capture_method
def record_handler(record: SqsRecord) -> None:
    message = to_queued_message(record)
    logger.append_keys(message_id=message.message_id)
    try:
        outcomes = service().ingest(message)
    except Exception as exc:
        # Transient or unexpected: this record fails alone and SQS delivers it again.
        metrics.add_metric(name="RecordFailed", unit=MetricUnit.Count, value=1)
        logger.warning(
            "record failed; it will be retried", extra={"error": type(exc).__name__, "detail": str(exc)[:300]}
        )
        raise
    for outcome in outcomes:
        fields = {"ref": outcome.ref, "agency": outcome.agency, "article_id": outcome.article_id}
        if outcome.status == "rejected":
            metrics.add_metric(name=f"Rejected_{outcome.reason}", unit=MetricUnit.Count, value=1)
            metrics.add_metric(name="Rejected", unit=MetricUnit.Count, value=1)
            logger.warning("release rejected", extra={**fields, "reason": outcome.reason})
        else:
            metrics.add_metric(name=outcome.status.capitalize(), unit=MetricUnit.Count, value=1)
            logger.info(f"release {outcome.status}", extra={**fields, "version": outcome.version})


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_batch(event, record_handler)
