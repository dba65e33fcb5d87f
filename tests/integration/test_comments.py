"""Comments end to end: POST through the HTTP API, ModerateCommentFunction, published lists, the
review queue and moderator actions, on the stack deployed from template.yaml."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from briefing.comments.service import CommentService
from briefing.comments.store import CommentStore, ConflictError
from briefing.releases.embargo import KST
from briefing_cli.local.http import HttpResponse, LocalHttpApi
from briefing_cli.local.instrument import Instrument, instrumented
from briefing_cli.local.pipeline import simulated_clock
from briefing_cli.local.runtime import function_logs
from briefing_cli.local.stack import load_template
from tests.conftest import Pipeline, as_json, newsitem

NOW = datetime(2026, 4, 13, 12, 0, tzinfo=KST)
MODERATOR = "arn:aws:iam::123456789012:role/briefing-moderators"


class Portal:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.api = LocalHttpApi(pipeline.stack, load_template())
        self.store = CommentStore(pipeline.stack.outputs["CommentsTableName"])

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        with simulated_clock(NOW, self.pipeline.stack):
            return self.api.request(method, path, **kwargs)

    def post(
        self,
        text: str,
        author: str = "user-1",
        article: str = "156754098",
        name: str = "시민",
        at: datetime = NOW,
    ) -> str:
        with simulated_clock(at, self.pipeline.stack):
            response = self.api.request(
                "POST",
                f"/articles/{article}/comments",
                body={"text": text},
                jwt_claims={"sub": author, "name": name},
            )
        assert response.status == 202, response.body
        return str(response.json()["id"])

    def decided(self, comment_id: str) -> dict[str, Any]:
        self.pipeline.drain()
        comment = self.store.get(comment_id)
        assert comment is not None
        return comment


@pytest.fixture
def portal(pipeline: Pipeline) -> Iterator[Portal]:
    pipeline.send(as_json(newsitem()))
    pipeline.drain()
    logs = io.StringIO()
    saved, function_logs.stream = function_logs.stream, logs
    try:
        yield Portal(pipeline)
    finally:
        function_logs.stream = saved
        # No comment text or phone number ever reaches the function logs.
        assert "010-9876" not in logs.getvalue() and "시1발" not in logs.getvalue()


def test_clean_comment_is_published_and_listed_without_the_author_id(portal: Portal) -> None:
    comment_id = portal.post("신청 시 발급되는 서류는 무엇인가요? 도시 데이터 사업 기대합니다.")
    assert portal.decided(comment_id)["status"] == "published"
    listing = portal.call("GET", "/articles/156754098/comments").json()
    assert listing["items"] == [
        {
            "id": comment_id,
            "display_name": "시민",
            "text": "신청 시 발급되는 서류는 무엇인가요? 도시 데이터 사업 기대합니다.",
            "created_at": listing["items"][0]["created_at"],
        }
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [("시1발 이딴 게 정책이냐", 4), ("제 번호 010-9876-5432로 연락 주세요", 1)],
)
def test_violations_are_rejected_with_rule_evidence_and_an_audit_record(
    portal: Portal, text: str, rule: int
) -> None:
    comment = portal.decided(portal.post(text))
    assert comment["status"] == "rejected"
    assert rule in comment["decision"]["rules"]
    assert f"운영원칙 {rule}" in comment["decision"]["message"]
    evidence = comment["decision"]["evidence"]
    assert evidence and evidence[0]["rule"] == rule
    assert "9876-5432" not in json.dumps(comment["decision"], ensure_ascii=False)  # R1 evidence is masked
    [audit] = portal.store.audit_trail(comment["id"])
    assert audit["actor"] == "system" and audit["action"] == "reject"
    assert portal.call("GET", "/articles/156754098/comments").json()["items"] == []


def test_anonymous_posting_is_refused_and_bad_bodies_get_problems(portal: Portal) -> None:
    assert portal.call("POST", "/articles/156754098/comments", body={"text": "익명"}).status == 401
    too_long = portal.call(
        "POST", "/articles/156754098/comments", body={"text": "가" * 1500}, jwt_claims={"sub": "u"}
    )
    assert too_long.status == 400 and "1000" in too_long.json()["detail"]
    unknown = portal.call(
        "POST", "/articles/9999/comments", body={"text": "안녕하세요"}, jwt_claims={"sub": "u"}
    )
    assert unknown.status == 404
    extra = portal.call(
        "POST", "/articles/156754098/comments", body={"text": "x", "author": "spoof"}, jwt_claims={"sub": "u"}
    )
    assert extra.status == 422


def test_repeats_by_one_author_are_rejected_as_r11(portal: Portal) -> None:
    first = portal.decided(portal.post("도시 데이터 허브 사업 정말 좋은 정책입니다 응원합니다"))
    assert first["status"] == "published"
    later = NOW.replace(minute=5)  # well past the minimum gap: only the repeat can stop it
    second = portal.decided(portal.post("도시 데이터 허브 사업 정말 좋은 정책입니다 응원합니다!!", at=later))
    assert second["status"] == "rejected" and second["decision"]["rules"] == [11]
    assert second["decision"]["reason"] == "engine"
    assert second["decision"]["evidence"][0]["detector"].startswith("repeat.author")


def test_rate_limits_count_posting_times_not_decision_times(portal: Portal) -> None:
    # All three are decided in one drain; what counts is that two were written seconds apart.
    first = portal.post("버스 노선 개편 소식 반갑습니다", author="user-5")
    second = portal.post("정류장 안내판도 함께 바뀌면 좋겠습니다", author="user-5", at=NOW.replace(second=5))
    third = portal.post("지하철 환승 정보도 알려 주세요", author="user-5", at=NOW.replace(minute=3))
    assert portal.decided(first)["status"] == "published"
    limited = portal.decided(second)
    assert limited["status"] == "rejected" and limited["decision"]["reason"] == "rate-limit"
    assert portal.decided(third)["status"] == "published"


def test_a_comment_costs_at_most_three_aws_calls(portal: Portal) -> None:
    """The author's query, one batch read (the article's text with the repeat keys), the decision's
    transaction. The text is then cached by the execution environment, so the short comment after
    it in the same batch (too short for repeat keys) takes two."""
    posted = [
        portal.post(
            "도시 데이터 허브 사업이 지역 교통 문제 해결에 도움이 되기를 기대합니다", author="user-7"
        ),
        portal.post("좋아요", author="user-8", at=NOW.replace(minute=1)),
    ]
    with instrumented(Instrument()) as counting:
        portal.pipeline.drain()
    assert [portal.decided(c)["status"] for c in posted] == ["published", "published"]
    assert counting.log.by_operation == {
        "DynamoDB.Query": 2,
        "DynamoDB.BatchGetItem": 1,
        "DynamoDB.TransactWriteItems": 2,
    }


def test_duplicate_delivery_is_decided_once(portal: Portal) -> None:
    comment_id = portal.post("버스 정류장 혼잡도 분석 결과가 궁금합니다")
    sqs_body = portal.pipeline.messages("CommentQueueUrl")
    assert len(sqs_body) == 1
    # deliver the same message again, as SQS may
    portal.pipeline.sqs.send_message(
        QueueUrl=portal.pipeline.stack.outputs["CommentQueueUrl"], MessageBody=sqs_body[0]["Body"]
    )
    portal.pipeline.sqs.change_message_visibility(
        QueueUrl=portal.pipeline.stack.outputs["CommentQueueUrl"],
        ReceiptHandle=sqs_body[0]["ReceiptHandle"],
        VisibilityTimeout=0,
    )
    portal.pipeline.drain()
    assert len(portal.store.audit_trail(comment_id)) == 1
    assert len(portal.call("GET", "/articles/156754098/comments").json()["items"]) == 1


def test_moderator_routes_need_iam_and_act_with_an_audit_trail(portal: Portal) -> None:
    assert portal.call("GET", "/moderation/queue").status == 403
    held = portal.decided(portal.post("홍길동 과장은 비리 공무원이다 횡령했다", author="user-7"))
    assert held["status"] == "held", held["decision"]  # R2: an accusation without a source is reviewed
    queue = portal.call("GET", "/moderation/queue", iam_principal=MODERATOR).json()
    assert [c["id"] for c in queue["items"]] == [held["id"]]
    approved = portal.call(
        "POST",
        f"/moderation/comments/{held['id']}/approve",
        body={"note": "사실 확인"},
        iam_principal=MODERATOR,
    )
    assert approved.status == 200
    assert portal.store.get(held["id"])["status"] == "published"
    trail = portal.store.audit_trail(held["id"])
    assert [a["actor"] for a in trail] == ["system", MODERATOR]


def test_a_decision_made_twice_or_on_a_stale_read_answers_409_and_changes_nothing(
    portal: Portal,
) -> None:
    held = portal.decided(portal.post("김철수 주무관이 뇌물을 받았다는 소문이 있다", author="user-8"))
    assert held["status"] == "held", held["decision"]
    path = f"/moderation/comments/{held['id']}"
    first = portal.call("POST", f"{path}/approve", body={"note": "확인"}, iam_principal=MODERATOR)
    assert first.status == 200
    again = portal.call("POST", f"{path}/approve", body={"note": "확인"}, iam_principal=MODERATOR)
    assert again.status == 409 and "is published" in again.json()["detail"], again.body
    assert len(portal.store.audit_trail(held["id"])) == 2  # the engine's decision and the approval

    # two moderators at once: the second read the comment while it was still held
    raced = portal.decided(portal.post("이영희 과장은 비리 공무원이다 횡령했다", author="user-8b"))
    assert raced["status"] == "held", raced["decision"]
    stale = CommentStore(portal.store.table_name)
    stale.get = lambda comment_id: raced  # type: ignore[method-assign]  # what it saw before the other
    portal.call("POST", f"/moderation/comments/{raced['id']}/reject", body={"rules": [2], "note": ""},
                iam_principal=MODERATOR)  # fmt: skip
    with pytest.raises(ConflictError, match="changed while"):
        CommentService(stale).approve(raced["id"], "arn:aws:iam::123456789012:role/second-moderator")
    assert portal.store.get(raced["id"])["status"] == "rejected"
    assert [a["actor"] for a in portal.store.audit_trail(raced["id"])] == ["system", MODERATOR]


def test_block_unblock_and_takedown(portal: Portal) -> None:
    published = portal.decided(portal.post("좋은 정책 감사합니다 잘 읽었습니다", author="user-9"))
    assert published["status"] == "published"
    blocked = portal.call(
        "POST", "/moderation/authors/user-9/block", body={"reason": "반복 위반"}, iam_principal=MODERATOR
    )
    assert blocked.status == 200 and blocked.json()["blocked"] is True
    refused = portal.decided(portal.post("차단 후에 쓰는 댓글입니다 반갑습니다", author="user-9"))
    assert refused["status"] == "rejected" and refused["decision"]["reason"] == "author-blocked"
    # the refusal says how to ask for the block to be lifted: by appealing that comment
    assert "이의를 제기해 해제를 요청" in refused["decision"]["message"]
    asked = portal.call("POST", f"/comments/{refused['id']}/appeal", body={"reason": "차단을 풀어 주세요"},
                        jwt_claims={"sub": "user-9"})  # fmt: skip
    assert asked.status == 202
    queue = portal.call("GET", "/moderation/queue", iam_principal=MODERATOR).json()["items"]
    [request] = [c for c in queue if c["id"] == refused["id"]]
    assert (
        request["decision"]["reason"] == "author-blocked"
        and request["appeal"]["reason"] == "차단을 풀어 주세요"
    )
    assert (
        portal.call("POST", "/moderation/authors/user-9/unblock", body={}, iam_principal=MODERATOR).status
        == 200
    )
    assert portal.store.author_state("user-9")["blocked"] is False
    takedown = portal.call(
        "POST",
        "/moderation/takedowns",
        body={
            "authority": "서울경찰청",
            "legal_basis": "형사소송법 제215조",
            "reference": "2026-수사-0413",
            "comment_ids": [published["id"], "nope"],
        },
        iam_principal=MODERATOR,
    ).json()
    assert takedown["comments"] == [published["id"]] and takedown["missing"] == ["nope"]
    assert portal.store.get(published["id"])["status"] == "hidden"
    assert portal.call("GET", "/articles/156754098/comments").json()["items"] == []
    assert portal.store.audit_trail(published["id"])[-1]["rules"] == [13]


def test_the_author_sees_why_and_may_appeal_a_rejection_once(portal: Portal) -> None:
    rejected = portal.decided(portal.post("제 번호 010-9876-5432 로 연락주세요", author="user-31"))
    assert rejected["status"] == "rejected"
    me = {"sub": "user-31"}
    path = f"/comments/{rejected['id']}"
    mine = portal.call("GET", path, jwt_claims=me)
    assert mine.status == 200, mine.body
    view = mine.json()
    assert view["status"] == "rejected" and view["decision"]["rules"] == [1]
    assert "운영원칙 1" in view["decision"]["message"]
    assert "9876-5432" not in json.dumps(view["decision"], ensure_ascii=False)  # evidence stays masked
    assert view["text"] == "제 번호 010-9876-5432 로 연락주세요"  # their own words, to them alone
    assert [(h["by"], h["action"]) for h in view["history"]] == [("system", "reject")]
    assert view["appealable_until"] is not None and view["appeal"] is None
    # for anyone else the comment does not exist; without a token nobody is asking
    assert portal.call("GET", path, jwt_claims={"sub": "user-32"}).status == 404
    assert portal.call("GET", path).status == 401
    assert (
        portal.call("POST", f"{path}/appeal", body={"reason": "제 것"}, jwt_claims={"sub": "user-32"}).status
        == 404
    )

    appealed = portal.call("POST", f"{path}/appeal", body={"reason": "사무실 대표번호입니다"}, jwt_claims=me)
    assert appealed.status == 202 and appealed.json()["status"] == "held", appealed.body
    queue = portal.call("GET", "/moderation/queue", iam_principal=MODERATOR).json()["items"]
    assert [(c["id"], c["appeal"]["reason"]) for c in queue] == [(rejected["id"], "사무실 대표번호입니다")]
    twice = portal.call("POST", f"{path}/appeal", body={"reason": "다시"}, jwt_claims=me)
    assert twice.status == 409 and "appealed once" in twice.json()["detail"]

    # the moderator upholds the rejection: final, and the author sees it without the moderator's
    # identity or private note
    upheld = portal.call("POST", f"/moderation/comments/{rejected['id']}/reject",
                         body={"rules": [1], "note": "개인 휴대전화로 확인됨"}, iam_principal=MODERATOR)  # fmt: skip
    assert upheld.status == 200
    final = portal.call("GET", path, jwt_claims=me)
    view = final.json()
    assert view["status"] == "rejected" and view["appealable_until"] is None
    assert [(h["by"], h["action"]) for h in view["history"]] == [
        ("system", "reject"), ("author", "appeal"), ("moderator", "reject")
    ]  # fmt: skip
    assert "운영원칙 1" in view["history"][-1]["message"]
    assert MODERATOR not in final.body and "개인 휴대전화로" not in final.body
    assert portal.call("POST", f"{path}/appeal", body={"reason": "다시"}, jwt_claims=me).status == 409
    actors = [(a["actor"], a["action"]) for a in portal.store.audit_trail(rejected["id"])]
    assert actors == [("system", "reject"), ("user-31", "appeal"), (MODERATOR, "reject")]


def test_appeals_only_of_rejections_and_only_within_30_days(portal: Portal) -> None:
    published = portal.decided(portal.post("좋은 정책 감사합니다 잘 읽었습니다", author="user-33"))
    refused = portal.call(
        "POST", f"/comments/{published['id']}/appeal", body={"reason": "왜요"}, jwt_claims={"sub": "user-33"}
    )
    assert refused.status == 409 and "only a rejected comment" in refused.json()["detail"]

    late = portal.decided(portal.post("씨발 이게 정책이냐", author="user-34"))
    assert late["status"] == "rejected"
    rejected_at = datetime.strptime(late["decided_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    service = CommentService(portal.store)
    with pytest.raises(ConflictError, match="30 days"):
        service.appeal(
            late["id"], "user-34", "욕이 아닙니다", now=rejected_at + timedelta(days=30, seconds=1)
        )
    assert (
        service.own_comment(late["id"], "user-34", rejected_at + timedelta(days=31))["appealable_until"]
        is None
    )
    within = service.appeal(late["id"], "user-34", "욕이 아닙니다", now=rejected_at + timedelta(days=29))
    assert within["status"] == "held" and portal.store.get(late["id"])["status"] == "held"
    assert (
        portal.call(
            "POST", f"/comments/{'x' * 80}/appeal", body={"reason": "r"}, jwt_claims={"sub": "u"}
        ).status
        == 404
    )
