"""ModerateCommentFunction: CommentQueue → decision (publish / review / reject) in CommentsTable.

Each record is decided once: a redelivery finds the decision already stored and is acknowledged.
Comment texts and personal data never reach the logs: ids, actions and rule numbers only.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from briefing.comments.service import ArticleTexts, CommentService, NewComment
from briefing.comments.store import AlreadyDecidedError, CommentStore
from briefing.moderation import get_engine
from briefing.observability import logger, metrics, tracer
from briefing.settings import ModerateSettings
from briefing.sqs_batch import SqsRecord, process_batch
from briefing.storage.articles import ArticleStore


@cache
def service() -> CommentService:
    settings = ModerateSettings.from_env()
    get_engine()  # lexicons and model load once per container, at cold start
    return CommentService(
        CommentStore(settings.comments_table), ArticleTexts(ArticleStore(settings.articles_table))
    )


@tracer.capture_method
def record_handler(record: SqsRecord) -> None:
    try:
        raw = json.loads(record.body)
        new = NewComment(
            id=str(raw["id"]),
            article_id=str(raw["article_id"]),
            author=str(raw["author"]),
            text=str(raw["text"]),
            display_name=raw.get("display_name"),
            posted_at=datetime.fromisoformat(raw["posted_at"]) if raw.get("posted_at") else None,
        )
    except (ValueError, KeyError, TypeError):
        # Only the API writes this queue; a malformed message is a bug, kept for inspection.
        metrics.add_metric(name="CommentMessageInvalid", unit=MetricUnit.Count, value=1)
        logger.error("comment message is malformed", extra={"message_id": record.message_id})
        raise
    try:
        comment = service().moderate_new(new)
    except AlreadyDecidedError:
        metrics.add_metric(name="CommentDuplicate", unit=MetricUnit.Count, value=1)
        logger.info("comment already decided", extra={"comment_id": new.id})
        return
    decision = comment["decision"]
    metrics.add_metric(name=f"Moderation_{decision['action']}", unit=MetricUnit.Count, value=1)
    for rule in decision["rules"]:
        metrics.add_metric(name=f"Rule_R{rule}", unit=MetricUnit.Count, value=1)
    logger.info(
        "comment moderated",
        extra={
            "comment_id": new.id,
            "article_id": new.article_id,
            "action": decision["action"],
            "rules": decision["rules"],
            "reason": decision["reason"],
        },
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_batch(event, record_handler)
