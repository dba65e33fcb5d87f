"""What the public API does with comments: list the published ones, accept new ones for moderation."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any

from briefing.comments.service import CommentService
from briefing.comments.store import CommentStore
from briefing.index.reader import NotFoundError, ReadService
from briefing.index.service import visible
from briefing.storage.queues import QueuePublisher


def public_view(comment: dict[str, Any]) -> dict[str, Any]:
    """What readers see of a published comment: never the author's account id."""
    return {
        "id": comment["id"],
        "display_name": comment.get("display_name") or "익명",
        "text": comment["text"],
        "created_at": comment["created_at"],
    }


class CommentsApi:
    def __init__(
        self, store: CommentStore, queue: QueuePublisher, reader: ReadService, max_chars: int = 1000
    ) -> None:
        self.store = store
        self.queue = queue
        self.reader = reader
        self.max_chars = max_chars
        self.service = CommentService(store)

    def _require_visible(self, article_id: str, now: datetime) -> None:
        if not visible(self.reader.index.get_state(article_id), now):
            raise NotFoundError(f"article {article_id} is not published")

    def list_published(
        self, article_id: str, now: datetime, cursor: str | None, limit: int
    ) -> dict[str, Any]:
        self._require_visible(article_id, now)
        items, next_cursor = self.store.listing(f"AC#{article_id}", limit, cursor)
        return {"items": [public_view(c) for c in items], "next_cursor": next_cursor}

    def submit(
        self, article_id: str, author: str, display_name: str | None, text: str, now: datetime
    ) -> dict[str, Any]:
        text = unicodedata.normalize("NFC", text).strip()
        if not text:
            raise ValueError("the comment is empty")
        if len(text) > self.max_chars:
            raise ValueError(
                f"a comment is limited to {self.max_chars} characters (this one has {len(text)})"
            )
        self._require_visible(article_id, now)
        comment_id = str(uuid.uuid4())
        self.queue.publish(
            {
                "id": comment_id,
                "article_id": article_id,
                "author": author,
                "display_name": (display_name or "")[:40] or None,
                "text": text,
                "posted_at": now.astimezone(UTC).isoformat(),
            }
        )
        return {
            "id": comment_id,
            "status": "pending",
            "message": "댓글이 접수되었습니다. 운영원칙에 따라 검토 후 게시됩니다.",
        }

    def review_queue(self, cursor: str | None, limit: int) -> dict[str, Any]:
        return review_queue(self.store, cursor, limit)


def review_queue(store: CommentStore, cursor: str | None, limit: int) -> dict[str, Any]:
    """Held comments, oldest first, with the engine's decision (rules, evidence, message)."""
    items, next_cursor = store.listing("REVIEW", limit, cursor)
    return {
        "items": [
            {
                "id": c["id"],
                "article_id": c["article_id"],
                "author": c["author"],
                "display_name": c.get("display_name"),
                "text": c["text"],
                "created_at": c["created_at"],
                "decision": c.get("decision"),
                "appeal": c.get("appeal"),  # the author's reason, when the comment is back on appeal
            }
            for c in items
        ],
        "next_cursor": next_cursor,
    }
