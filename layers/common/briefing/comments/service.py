"""Comments: moderation of new comments with the author's history, and moderator actions.

The engine (`briefing.moderation`) decides on the text; this module adds what needs state: the
author's block and strikes, rate limits, repeats across comments and authors (R11), the article
text for relevance (R10), and an audit record for every decision and every moderator action.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from briefing.comments.store import (
    HELD,
    HIDDEN,
    PUBLISHED,
    REJECTED,
    CommentStore,
    ConflictError,
    iso,
    record_from_dict,
)
from briefing.storage.articles import ArticleStore, record_to_text

if TYPE_CHECKING:  # the engine is imported where a comment is moderated, not by the read API
    from briefing.moderation import ModerationSettings
    from briefing.moderation.repeats import RepeatRecord

STATUS_OF_ACTION = {"publish": PUBLISHED, "review": HELD, "reject": REJECTED}


class CommentPolicy(Struct, frozen=True):
    """Account-level rules of the portal (configurable per deployment)."""

    per_article: int = 5  # comments by one author under one article within the window
    per_day: int = 30
    min_gap: timedelta = timedelta(seconds=20)
    strikes_to_block: int = 5
    # a rejected comment may be appealed once, this long after the rejection (the 30 days of a
    # temporary measure under 정보통신망법 제44조의2)
    appeal_window: timedelta = timedelta(days=30)


class NewComment(Struct, frozen=True):
    id: str
    article_id: str
    author: str
    text: str
    display_name: str | None = None
    posted_at: datetime | None = None


class _History:
    """The engine's RepeatHistory over what one query and one batch read returned; the new
    record is kept for the transaction that stores the decision. The batch holds every repeat key
    the engine can ask for: the service computed them with the engine's own function."""

    def __init__(self, recent: list[dict[str, Any]], keyed: dict[str, dict[str, Any]]) -> None:
        self._recent = [record_from_dict(r) for r in recent]
        self._keyed = keyed
        self.added: RepeatRecord | None = None

    def author_records(self, author: str, since: datetime) -> Sequence[RepeatRecord]:
        return [r for r in self._recent if r.author == author and r.at >= since]

    def records_with_keys(self, keys: Sequence[str], since: datetime) -> Sequence[RepeatRecord]:
        found = []
        for key in dict.fromkeys(keys):
            for record in self._keyed.get(key, {}).values():
                parsed = record_from_dict(record)
                if parsed.at >= since:
                    found.append(parsed)
        return found

    def add(self, record: RepeatRecord) -> None:
        self.added = record


class ArticleTexts:
    """The article text R10 compares a comment with, kept a few minutes per execution environment
    (articles rarely change, and comments gather under a few articles). A miss is read in the same
    batch as the comment's repeat keys, so it costs no call of its own."""

    def __init__(self, articles: ArticleStore, ttl_seconds: float = 300.0) -> None:
        self.articles = articles
        self.ttl_seconds = ttl_seconds
        self._cache: dict[str, tuple[float, str | None]] = {}

    def cached(self, article_id: str) -> tuple[bool, str | None]:
        """(known, text): text None when the article is gone or withdrawn."""
        hit = self._cache.get(article_id)
        if hit and hit[0] > time.monotonic():
            return True, hit[1]
        return False, None

    def key(self, article_id: str) -> tuple[str, dict[str, Any]]:
        return self.articles.table_name, self.articles.head_key(article_id)

    def remember(self, article_id: str, head: dict[str, Any] | None) -> str | None:
        text = None
        if head is not None and head.get("status") != "withdrawn":
            article = record_to_text(head)
            text = f"{article.title}\n{article.body_text}"
        self._cache[article_id] = (time.monotonic() + self.ttl_seconds, text)
        return text


class CommentService:
    def __init__(
        self,
        store: CommentStore,
        articles: ArticleTexts | None = None,
        policy: CommentPolicy | None = None,
        settings: ModerationSettings | None = None,
    ) -> None:
        self.store = store
        self.articles = articles  # None where no comment is moderated (the API's moderator routes)
        self.policy = policy or CommentPolicy()
        self._settings = settings

    @property
    def settings(self) -> ModerationSettings:
        if self._settings is None:
            from briefing.moderation import ModerationSettings

            self._settings = ModerationSettings()
        return self._settings

    def moderate_new(self, new: NewComment, now: datetime | None = None) -> dict[str, Any]:
        """Decide a new comment and store the decision (raises AlreadyDecidedError on a redelivery)."""
        decided = now or datetime.now(UTC)
        # Gaps, daily counts and repeat windows are measured between *posting* times: a queue
        # backlog decided in one burst must not look like a flood.
        now = new.posted_at or decided
        window = max(self.settings.repeat_window, timedelta(days=1))
        state, recent = self.store.author_context(new.author, now - window)
        article, history = self._read(new, recent)
        decision: dict[str, Any]
        if state.get("blocked"):
            decision = {
                "action": "reject",
                "rules": [],
                "evidence": [],
                "message": "운영원칙 위반으로 작성이 제한된 계정입니다. 이 댓글에 이의를 제기해 해제를 요청하실 수 있습니다.",
                "reason": "author-blocked",
            }
        elif article is None:
            decision = {
                "action": "reject",
                "rules": [],
                "evidence": [],
                "message": "댓글을 달 수 없는 기사입니다.",
                "reason": "article-not-available",
            }
        elif limit := self._rate_limited(new, recent, now):
            decision = {
                "action": "reject",
                "rules": [11],
                "evidence": [{"rule": 11, "detector": "rate-limit", "text": limit}],
                "message": f"짧은 시간에 너무 많은 댓글을 작성했습니다 ({limit}). 잠시 후 다시 작성해 주세요. (운영원칙 11)",
                "reason": "rate-limit",
            }
        else:
            from briefing.moderation import CommentInput, moderate

            result = moderate(
                CommentInput(new.id, new.text, new.author, new.display_name, article),
                history=history,
                settings=self.settings,
                now=now,
                record=True,
            )
            decision = {**result.to_dict(), "reason": "engine"}
            decision.pop("id", None)
        strike = decision["action"] == "reject" and decision["reason"] in ("engine", "rate-limit")
        strikes = int(state.get("strikes", 0)) + (1 if strike else 0)
        block = None
        if strike and not state.get("blocked") and strikes >= self.policy.strikes_to_block:
            block = {
                "reason": f"자동 차단: 운영원칙 위반 {strikes}회",
                "by": "system",
                "at": iso(now),
                "rules": decision["rules"],
            }
        comment = {
            "id": new.id,
            "article_id": new.article_id,
            "author": new.author,
            "display_name": new.display_name,
            "text": new.text,
            "created_at": iso(now),
            "decided_at": iso(decided),
            "status": STATUS_OF_ACTION[str(decision["action"])],
            "decision": decision,
        }
        audit = {
            "at": iso(decided),
            "actor": "system",
            "action": decision["action"],
            "rules": decision["rules"],
            "reason": decision["reason"],
            "message": decision["message"],
        }
        self.store.record_decision(comment, audit, history.added, strike, block, window)
        return comment

    def _read(self, new: NewComment, recent: list[dict[str, Any]]) -> tuple[str | None, _History]:
        """The article's text and the comment's repeat keys, in one read: with the author's query
        and the decision's transaction, a comment costs at most three calls."""
        from briefing.moderation.repeats import repeat_keys

        keys = repeat_keys(new.text, self.settings.repeat_min_chars) if new.author else []
        known, article = self.articles.cached(new.article_id) if self.articles else (True, None)
        also = None if known or self.articles is None else self.articles.key(new.article_id)
        keyed, head = self.store.repeat_keys(keys, also)
        if not known and self.articles is not None:
            article = self.articles.remember(new.article_id, head)
        return article, _History(recent, keyed)

    def _rate_limited(self, new: NewComment, recent: list[dict[str, Any]], now: datetime) -> str | None:
        day = [r for r in recent if r["at"] >= iso(now - timedelta(days=1))]
        if len(day) >= self.policy.per_day:
            return f"하루 {self.policy.per_day}개"
        if sum(1 for r in day if r.get("article") == new.article_id) >= self.policy.per_article:
            return f"기사당 {self.policy.per_article}개"
        if any(r["at"] >= iso(now - self.policy.min_gap) for r in day):
            return f"{int(self.policy.min_gap.total_seconds())}초 간격"
        return None

    # ------------------------------------------------------------------ the author's side
    def own_comment(self, comment_id: str, author: str, now: datetime | None = None) -> dict[str, Any]:
        """The author's view of their comment; anyone else is told it does not exist. ``now``
        (default: the time) is compared with the decisions' stamps, which are real times."""
        from briefing.comments.author_view import author_view

        comment = self._authors_comment(comment_id, author)
        trail = self.store.audit_trail(comment_id)
        return author_view(comment, trail, self.policy.appeal_window, now or datetime.now(UTC))

    def appeal(
        self, comment_id: str, author: str, reason: str, now: datetime | None = None
    ) -> dict[str, Any]:
        """The author asks a moderator to look again at a rejected comment: once, within the window.
        The comment goes back to the review queue with the author's reason beside it."""
        from briefing.comments.author_view import appeal_deadline, last_rejection

        reason = reason.strip()
        if not reason:
            raise ValueError("an appeal says why the comment should be published")
        now = now or datetime.now(UTC)
        comment = self._authors_comment(comment_id, author)
        if comment.get("appeal"):
            raise ConflictError(
                f"comment {comment_id} was appealed on {comment['appeal']['at']}; a comment is appealed once"
            )
        if comment["status"] != REJECTED:
            raise ConflictError(
                f"only a rejected comment can be appealed; comment {comment_id} is {comment['status']}"
            )
        trail = self.store.audit_trail(comment_id)
        deadline = appeal_deadline(comment, trail, self.policy.appeal_window)
        if deadline is None or now > deadline:
            rejected = last_rejection(trail)
            raise ConflictError(
                f"the appeal window of {self.policy.appeal_window.days} days after the rejection"
                f" ({iso(rejected) if rejected else 'unknown'}) has closed"
            )
        # stamped when it happens, as moderators' actions are (``now`` is given only by tests)
        at = iso(datetime.now(UTC))
        appeal = {"at": at, "reason": reason}
        audit = {
            "at": at,
            "actor": author,
            "action": "appeal",
            "rules": [],
            "reason": "author",
            "message": reason,
        }
        updated = self.store.change_status(
            comment_id, HELD, audit, allowed_from=(REJECTED,), comment=comment, extra={"appeal": appeal}
        )
        return {
            "id": comment_id,
            "status": updated["status"],
            "appeal": appeal,
            "message": "이의 제기가 접수되었습니다. 관리자가 다시 검토한 뒤 결과를 알려드립니다.",
        }

    def _authors_comment(self, comment_id: str, author: str) -> dict[str, Any]:
        comment = self.store.get(comment_id)
        if comment is None or comment.get("author") != author:
            # the same answer whether it is missing, not decided yet, or someone else's
            raise LookupError(f"comment {comment_id} not found among your moderated comments")
        return comment

    # ------------------------------------------------------------------ moderator actions
    def approve(self, comment_id: str, moderator: str, note: str = "") -> dict[str, Any]:
        return self.store.change_status(
            comment_id,
            PUBLISHED,
            self._audit(moderator, "approve", [], note),
            allowed_from=(HELD, REJECTED, HIDDEN),
        )

    def reject(self, comment_id: str, moderator: str, rules: list[int], note: str = "") -> dict[str, Any]:
        if not rules or any(not 1 <= r <= 13 for r in rules):
            raise ValueError("a rejection names the rules it applies (1-13)")
        return self.store.change_status(
            comment_id,
            REJECTED,
            self._audit(moderator, "reject", sorted(rules), note),
            allowed_from=(HELD, PUBLISHED),
        )

    def block(self, author: str, moderator: str, reason: str) -> dict[str, Any]:
        if not reason.strip():
            raise ValueError("a block needs a reason the author can read")
        block = {"reason": reason, "by": moderator, "at": iso(datetime.now(UTC))}
        self.store.set_block(author, block)
        return {"author": author, "blocked": True, **block}

    def unblock(self, author: str, moderator: str) -> dict[str, Any]:
        self.store.set_block(author, None)
        return {"author": author, "blocked": False, "by": moderator}

    def takedown(
        self, authority: str, legal_basis: str, reference: str, comment_ids: list[str], moderator: str
    ) -> dict[str, Any]:
        """R13: an official request from an investigative authority hides the comments and keeps
        the request (and every comment's audit) on record."""
        if not (authority.strip() and legal_basis.strip() and reference.strip() and comment_ids):
            raise ValueError(
                "a takedown needs the authority, the legal basis, its reference and the comments"
            )
        from briefing.moderation import takedown_decision

        takedown_id = str(uuid.uuid4())
        hidden, missing = [], []
        for comment_id in dict.fromkeys(comment_ids):
            decision = takedown_decision(comment_id, legal_basis)
            note = f"{authority} {reference}: {legal_basis}"
            try:
                self.store.change_status(
                    comment_id,
                    HIDDEN,
                    self._audit(moderator, "takedown", decision.rules, note, takedown=takedown_id),
                    allowed_from=(PUBLISHED, HELD, REJECTED),
                )
                hidden.append(comment_id)
            except LookupError:
                missing.append(comment_id)
            except ConflictError:
                hidden.append(comment_id)  # already hidden: the request still applies
        record = {
            "id": takedown_id,
            "authority": authority,
            "legal_basis": legal_basis,
            "reference": reference,
            "comments": hidden,
            "missing": missing,
            "recorded_by": moderator,
            "at": iso(datetime.now(UTC)),
        }
        self.store.put_takedown(record)
        return record

    def _audit(
        self, moderator: str, action: str, rules: list[int], note: str, **extra: Any
    ) -> dict[str, Any]:
        return {
            "at": iso(datetime.now(UTC)),
            "actor": moderator,
            "action": action,
            "rules": rules,
            "reason": "moderator",
            "message": note,
            **extra,
        }
