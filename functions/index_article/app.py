"""IndexArticleFunction: IndexQueue → lists, search postings, related, counters (IndexTable).

A message names an article; the handler indexes that article's current head, so duplicates and
out-of-order messages converge on the same index. Each record fails alone (partial batch).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from briefing.index.service import IndexService
from briefing.index.store import IndexStore
from briefing.observability import logger, metrics, tracer
from briefing.settings import IndexSettings
from briefing.sqs_batch import SqsRecord, process_batch
from briefing.storage.articles import ArticleStore


@cache
def service() -> IndexService:
    settings = IndexSettings.from_env()
    return IndexService(ArticleStore(settings.articles_table), IndexStore(settings.index_table))


@tracer.capture_method
def record_handler(record: SqsRecord) -> None:
    try:
        article_id = str(json.loads(record.body)["article_id"])
    except (ValueError, KeyError, TypeError):
        # Not a message our ingest function writes: retrying cannot help, so it is dropped loudly.
        metrics.add_metric(name="IndexMessageInvalid", unit=MetricUnit.Count, value=1)
        logger.error(
            "index message is not {'article_id': ...}; dropped", extra={"message_id": record.message_id}
        )
        return
    try:
        outcome = service().index_article(article_id)
    except Exception as exc:
        metrics.add_metric(name="IndexFailed", unit=MetricUnit.Count, value=1)
        logger.warning(
            "index failed; it will be retried", extra={"article_id": article_id, "error": type(exc).__name__}
        )
        raise
    metrics.add_metric(name=f"Index_{outcome.action}", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="IndexItemsWritten", unit=MetricUnit.Count, value=outcome.items_written)
    logger.info(
        "article indexed",
        extra={
            "article_id": article_id,
            "action": outcome.action,
            "generation": outcome.generation,
            "items": outcome.items_written,
        },
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_batch(event, record_handler)
