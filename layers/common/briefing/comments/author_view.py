"""What a commenter sees of their own comment: its state, every decision on it with the rules and a
reason they can read, and whether (until when) they may appeal a rejection. Plain functions.

Moderators' identities and private notes stay in the audit trail; the commenter sees that a
moderator acted, on which rules, in the portal's words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from briefing.comments.store import REJECTED, iso

# The portal's words for what moderators did (their own notes are internal)
MODERATOR_MESSAGES = {
    "approve": "관리자 확인 후 게시되었습니다.",
    "reject": "관리자 검토 결과 운영원칙 위반으로 게시되지 않습니다 (운영원칙 {rules}).",
    "takedown": "수사기관 등의 공식 요청에 따라 비공개 처리되었습니다 (운영원칙 13).",
    "appeal": "이의 제기가 접수되어 관리자가 다시 검토합니다.",
}


def _parse(moment: str) -> datetime:
    return datetime.strptime(moment, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def public_entry(audit: dict[str, Any]) -> dict[str, Any]:
    """One audit record as the commenter sees it."""
    action = str(audit["action"])
    rules = [int(r) for r in audit.get("rules") or []]
    if audit.get("actor") == "system":
        by, message = "system", str(audit.get("message") or "")
    elif audit.get("reason") == "author":
        by, message = "author", MODERATOR_MESSAGES["appeal"]
    else:
        by = "moderator"
        message = MODERATOR_MESSAGES.get(action, "").format(rules=", ".join(map(str, rules)))
    return {"at": audit["at"], "by": by, "action": action, "rules": rules, "message": message}


def last_rejection(trail: list[dict[str, Any]]) -> datetime | None:
    """When the comment was last rejected (by the engine or a moderator), if ever."""
    times = [a["at"] for a in trail if a.get("action") == "reject"]
    return _parse(max(times)) if times else None


def appeal_deadline(
    comment: dict[str, Any], trail: list[dict[str, Any]], window: timedelta
) -> datetime | None:
    """Until when the author may appeal: a rejected comment, once, within ``window`` of the rejection."""
    rejected = last_rejection(trail)
    if comment["status"] != REJECTED or comment.get("appeal") or rejected is None:
        return None
    return rejected + window


def author_view(
    comment: dict[str, Any], trail: list[dict[str, Any]], window: timedelta, now: datetime
) -> dict[str, Any]:
    decision = comment.get("decision") or {}
    deadline = appeal_deadline(comment, trail, window)
    return {
        "id": comment["id"],
        "article_id": comment["article_id"],
        "text": comment["text"],
        "created_at": comment["created_at"],
        "status": comment["status"],
        "decision": {key: decision.get(key) for key in ("action", "rules", "message", "evidence")},
        "history": [public_entry(a) for a in sorted(trail, key=lambda a: str(a["at"]))],
        "appeal": comment.get("appeal"),
        "appealable_until": iso(deadline) if deadline is not None and now <= deadline else None,
    }
