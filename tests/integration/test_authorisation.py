"""Authorisation on the deployed stack (template.yaml on moto), with a registry that names who may
send for whom: releases from an unregistered sender are never accepted (directly, through a claim
check, or as a correction or withdrawal of another agency's release); moderator routes refuse calls
without IAM; comment routes refuse calls without a valid sign-in; one author cannot act on
another's comment. Every refusal leaves the original untouched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import pytest

from briefing.comments.store import CommentStore
from briefing.releases.embargo import KST
from briefing.storage.articles import ArticleStore
from briefing_cli.local.http import HttpResponse, LocalHttpApi
from briefing_cli.local.pipeline import embedded_aws, simulated_clock
from briefing_cli.local.stack import deploy, load_template
from tests.conftest import Pipeline, as_json, direct_sqs_record, newsitem

NOW = datetime(2026, 4, 13, 12, 0, tzinfo=KST)
MOLIT = "AROAMOLITSENDER00001"  # 국토교통부's sending role
MOF = "AROAMOFSENDER0000002"  # 해양수산부's sending role
REGISTRY = {"국토교통부": [MOLIT], "해양수산부": [MOF]}  # no relay: the local principal may send nothing
MODERATOR = "arn:aws:iam::123456789012:role/briefing-moderators"
ARTICLE = "7000"


class Stack:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.api = LocalHttpApi(pipeline.stack, load_template())
        self.articles = ArticleStore(pipeline.stack.outputs["ArticlesTableName"])
        self.comments = CommentStore(pipeline.stack.outputs["CommentsTableName"])

    def ingest(self, *records: tuple[str, str]) -> dict[str, Any]:
        """(sender id, body) pairs in one SQS batch to the real IngestReleaseFunction."""
        result: dict[str, Any] = self.pipeline.invoke(
            "IngestReleaseFunction", {"Records": [sqs_record(body, sender) for sender, body in records]}
        )
        self.pipeline.drain()  # index what was accepted
        return result

    def reasons(self, agency: str) -> list[str]:
        return sorted(r["reason"] for r in self.articles.rejections(agency))

    def call(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        with simulated_clock(NOW, self.pipeline.stack):
            return self.api.request(method, path, **kwargs)

    def invoke_route(self, method: str, route: str, path: str, body: Any, authorizer: dict[str, Any]) -> int:
        """ApiFunction called as if API Gateway let the request through with this authoriser
        context: the function's own checks must still refuse it."""
        template = next(r for r in self.api.routes if r.method == method and r.path == route)
        match = template.pattern.match(path)
        assert match, (route, path)
        params = match.groupdict()  # API Gateway passes the route's path parameters
        event = self.api._event(template, method, path, params, {}, json.dumps(body, ensure_ascii=False), {})
        if authorizer:
            event["requestContext"]["authorizer"] = authorizer
        with simulated_clock(NOW, self.pipeline.stack):
            return int(self.pipeline.invoke("ApiFunction", event)["statusCode"])


def sqs_record(body: str, sender: str) -> dict[str, Any]:
    return direct_sqs_record(body, sender, "authorisation")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with embedded_aws():
        deployed = Stack(Pipeline(deploy({"AgencyRegistry": json.dumps(REGISTRY, ensure_ascii=False)})))
        result = deployed.ingest(
            (MOLIT, as_json(newsitem(NewsItemId=ARTICLE, Title="국토교통부의 원본 보도자료")))
        )
        assert result == {"batchItemFailures": []}
        assert deployed.articles.get_head(ARTICLE) is not None
        yield deployed


def head(stack: Stack, article_id: str) -> tuple[Any, ...] | None:
    found = stack.articles.get_head(article_id)
    return None if found is None else (found["agency"], found["version"], found["status"], found["title"])


# ------------------------------------------------------------------ who may send releases
def test_a_release_is_accepted_only_from_a_sender_registered_for_its_agency(stack: Stack) -> None:
    molit = lambda article_id, **extra: as_json(newsitem(NewsItemId=article_id, **extra))  # noqa: E731
    result = stack.ingest(
        (MOF, molit("7001")),  # 해양수산부's role sending for 국토교통부
        (MOLIT + "X", molit("7002")),  # a look-alike principal
        (MOLIT.lower(), molit("7003")),
        ("", molit("7004")),  # no sender at all
        ("123456789012", molit("7005")),  # the account, not the registered role
        (
            MOF,
            molit("7006", MinisterCode="국토\u200b교통부"),
        ),  # an invisible character does not make it another agency
        (MOF, molit("7007", MinisterCode=" 국토교통부 ")),
        (MOLIT + ":session-alice", molit("7008")),  # the registered role in an assumed-role session
        (MOLIT, molit("7009", MinisterCode="\u1100\u116e\u11a8토교통부")),  # NFD spelling of the same agency
    )
    assert result == {"batchItemFailures": []}  # refusals are acknowledged, not retried
    for refused in ("7001", "7002", "7003", "7004", "7005", "7006", "7007"):
        assert stack.articles.get_head(refused) is None, refused
    assert head(stack, "7008") is not None and head(stack, "7009") is not None
    assert stack.articles.get_head("7009")["agency"] == "국토교통부"  # type: ignore[index]
    assert stack.reasons("국토교통부").count("unauthorised-sender") == 7


def test_the_local_principal_sending_through_sqs_is_not_registered(stack: Stack) -> None:
    stack.pipeline.send(as_json(newsitem(NewsItemId="7010")))
    assert stack.pipeline.drain().failed_records == 0
    assert stack.articles.get_head("7010") is None
    [rejection] = [r for r in stack.articles.rejections("국토교통부") if r["release_id"] == "7010"]
    assert rejection["reason"] == "unauthorised-sender"


def test_a_claim_check_is_authorised_by_the_release_inside_not_by_the_pointer(stack: Stack) -> None:
    bucket = stack.pipeline.stack.outputs["PayloadBucketName"]
    s3 = boto3.client("s3")
    s3.put_object(Bucket=bucket, Key="mof/7020.json", Body=as_json(newsitem(NewsItemId="7020")).encode())
    pointer = json.dumps(
        [
            "software.amazon.payloadoffloading.PayloadS3Pointer",
            {"s3BucketName": bucket, "s3Key": "mof/7020.json"},
        ]
    )
    legacy = json.dumps(
        ["com.amazon.sqs.javamessaging.MessageS3Pointer", {"s3BucketName": bucket, "s3Key": "mof/7020.json"}]
    )
    assert stack.ingest((MOF, pointer), (MOF, legacy)) == {"batchItemFailures": []}
    assert stack.articles.get_head("7020") is None
    refused = [r for r in stack.articles.rejections("국토교통부") if r["release_id"] == "7020"]
    assert [r["reason"] for r in refused] == ["unauthorised-sender", "unauthorised-sender"]
    stack.ingest((MOLIT, pointer))  # the same object from the agency's own role is accepted
    assert head(stack, "7020") == (
        "국토교통부",
        1,
        "active",
        "우리 동네 교통·안전 문제, '도시 데이터'로 해결한다",
    )


def test_another_agency_cannot_correct_or_withdraw_a_release_and_the_original_stands(stack: Stack) -> None:
    original = head(stack, ARTICLE)
    withdrawal = {"NewsItemId": ARTICLE, "ContentsStatus": "D", "ApproveDate": "04/13/2026 09:00:00"}
    envelope = (
        "<response><body>"
        "<NewsItem><NewsItemId>7031</NewsItemId><ContentsStatus>I</ContentsStatus><ModifyId>1</ModifyId>"
        "<ApproveDate>04/12/2026 10:00:00</ApproveDate><Title>해양수산부 자체 보도자료</Title>"
        "<DataContents>□ 항만 안전 점검</DataContents><MinisterCode>해양수산부</MinisterCode></NewsItem>"
        f"<NewsItem><NewsItemId>{ARTICLE}</NewsItemId><ContentsStatus>U</ContentsStatus><ModifyId>9</ModifyId>"
        "<ApproveDate>04/12/2026 10:00:00</ApproveDate><Title>봉투 속 가로채기</Title>"
        "<DataContents>□ 가로챈 본문</DataContents><MinisterCode>국토교통부</MinisterCode></NewsItem>"
        "</body></response>"
    )
    result = stack.ingest(
        (MOF, as_json(newsitem(NewsItemId=ARTICLE, MinisterCode="해양수산부", ContentsStatus="U", ModifyId=2, Title="가로채기"))),
        (MOF, as_json({**withdrawal, "ModifyId": 3, "MinisterCode": "해양수산부"})),
        (MOF, as_json(newsitem(NewsItemId=ARTICLE, ContentsStatus="U", ModifyId=4, Title="이름만 빌린 정정"))),
        (MOF, as_json({**withdrawal, "ModifyId": 5, "MinisterCode": "국토교통부"})),
        (MOF, as_json({"agency": "국토교통부", "release_id": ARTICLE, "version": 6, "status": "withdrawn"})),
        (MOF, envelope),
    )  # fmt: skip
    assert result == {"batchItemFailures": []}
    assert head(stack, ARTICLE) == original
    assert [v["version"] for v in stack.articles.versions(ARTICLE)] == [1]
    assert head(stack, "7031") == (
        "해양수산부",
        1,
        "active",
        "해양수산부 자체 보도자료",
    )  # its own item still counts
    mine = [r["reason"] for r in stack.articles.rejections("해양수산부") if r["release_id"] == ARTICLE]
    theirs = [r["reason"] for r in stack.articles.rejections("국토교통부") if r["release_id"] == ARTICLE]
    assert sorted(mine) == ["release-id-taken", "release-id-taken"]
    assert sorted(theirs) == ["unauthorised-sender"] * 4
    page = stack.call("GET", f"/articles/{ARTICLE}")
    assert page.status == 200 and page.json()["title"] == "국토교통부의 원본 보도자료"


# ------------------------------------------------------------------ moderator routes
def post_comment(stack: Stack, author: str, text: str) -> str:
    response = stack.call(
        "POST",
        f"/articles/{ARTICLE}/comments",
        body={"text": text},
        jwt_claims={"sub": author, "name": "시민"},
    )
    assert response.status == 202, response.body
    stack.pipeline.drain()
    return str(response.json()["id"])


@pytest.fixture(scope="module")
def comment_of_a(stack: Stack) -> str:
    comment_id = post_comment(stack, "author-a", "도시 데이터 사업 소식 잘 읽었습니다. 기대가 큽니다.")
    assert stack.comments.get(comment_id)["status"] == "published"  # type: ignore[index]
    return comment_id


def moderator_requests(comment_id: str) -> list[tuple[str, str, str, Any]]:
    return [
        ("GET", "/moderation/queue", "/moderation/queue", None),
        ("POST", "/moderation/comments/{comment_id}/{decision}", f"/moderation/comments/{comment_id}/reject",
         {"rules": [4], "note": "남의 댓글"}),
        ("POST", "/moderation/comments/{comment_id}/{decision}", f"/moderation/comments/{comment_id}/approve", {}),
        ("POST", "/moderation/authors/{author}/{action}", "/moderation/authors/author-a/block", {"reason": "보복"}),
        ("POST", "/moderation/takedowns", "/moderation/takedowns",
         {"authority": "사칭 기관", "legal_basis": "없음", "reference": "0", "comment_ids": [comment_id]}),
    ]  # fmt: skip


def unchanged(stack: Stack, comment_id: str) -> None:
    comment = stack.comments.get(comment_id)
    assert comment is not None and comment["status"] == "published"
    assert [a["actor"] for a in stack.comments.audit_trail(comment_id)] == ["system"]
    assert not stack.comments.author_state("author-a").get("blocked")


def test_moderator_routes_refuse_calls_without_iam(stack: Stack, comment_of_a: str) -> None:
    for method, _, path, body in moderator_requests(comment_of_a):
        assert stack.call(method, path, body=body).status == 403, path
        # a signed-in author is still not a moderator
        assert stack.call(method, path, body=body, jwt_claims={"sub": "author-b"}).status == 403, path
    unchanged(stack, comment_of_a)


def test_the_function_itself_refuses_moderation_without_an_iam_caller(
    stack: Stack, comment_of_a: str
) -> None:
    """Defence in depth: if the route's IAM authoriser were ever dropped, the function still refuses."""
    b_signed_in: dict[str, Any] = {"jwt": {"claims": {"sub": "author-b"}, "scopes": None}}
    contexts: list[dict[str, Any]] = [{}, b_signed_in, {"iam": {}}]
    for method, route, path, body in moderator_requests(comment_of_a):
        for authorizer in contexts:
            assert stack.invoke_route(method, route, path, body, authorizer) == 403, (path, authorizer)
    unchanged(stack, comment_of_a)


# ------------------------------------------------------------------ comment routes and authors
def test_posting_needs_a_valid_sign_in(stack: Stack) -> None:
    path = f"/articles/{ARTICLE}/comments"
    assert stack.call("POST", path, body={"text": "익명 댓글"}).status == 401
    route = "/articles/{article_id}/comments"
    for claims in ({}, {"sub": ""}, {"sub": "a" * 256}, {"sub": "author\nb"}, {"sub": "author\u202eb"}):
        authorizer = {"jwt": {"claims": claims, "scopes": None}} if claims else {}
        assert stack.invoke_route("POST", route, path, {"text": "서명이 이상한 댓글"}, authorizer) == 401, (
            claims
        )
    spoof = stack.call(
        "POST", path, body={"text": "대신 쓰기", "author": "author-a"}, jwt_claims={"sub": "author-b"}
    )
    assert spoof.status == 422


def test_author_b_cannot_act_on_author_as_comment(stack: Stack, comment_of_a: str) -> None:
    """There are no author edit or delete routes; every route that changes a comment is a
    moderator route, so B's sign-in gets B nowhere, and nothing public names A's account."""
    for method, _, path, body in moderator_requests(comment_of_a):
        assert stack.call(method, path, body=body, jwt_claims={"sub": "author-b"}).status == 403
    for method in ("PUT", "PATCH", "DELETE"):
        response = stack.call(method, f"/articles/{ARTICLE}/comments", jwt_claims={"sub": "author-b"})
        assert response.status in (403, 404, 405), method
    listing = stack.call("GET", f"/articles/{ARTICLE}/comments")
    assert comment_of_a in listing.body and "author-a" not in listing.body
    unchanged(stack, comment_of_a)
