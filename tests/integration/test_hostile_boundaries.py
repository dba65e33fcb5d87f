"""Hostile input at the deployed boundaries (template.yaml on moto): SQS bodies through the real
IngestReleaseFunction, HTTP requests through ApiFunction as API Gateway passes them, hostile
comment texts through ModerateCommentFunction. Valid work is never lost, nothing crashes a
neighbour, every refusal is specific, and no request gets a 5xx."""

from __future__ import annotations

import copy
import json
import uuid
from collections import Counter
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
from briefing_cli.local.runtime import dead_letter_counts
from briefing_cli.local.stack import LOCAL_SENDER_ID, deploy, load_template
from tests.conftest import Pipeline, as_json, direct_sqs_record, newsitem

NOW = datetime(2026, 4, 13, 12, 0, tzinfo=KST)
ARTICLE = "156754098"
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    from tests.unit.test_hostile_input import report_tally

    report_tally(request, "integration", dict(CASES))


class Portal:
    """One stack for the module: a published article, the HTTP API, the tables."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.stack = pipeline.stack
        self.api = LocalHttpApi(pipeline.stack, load_template())
        self.articles = ArticleStore(pipeline.stack.outputs["ArticlesTableName"])
        self.comments = CommentStore(pipeline.stack.outputs["CommentsTableName"])

    def request(self, method: str, path: str, **kwargs: Any) -> HttpResponse:
        with simulated_clock(NOW, self.stack):
            return self.api.request(method, path, **kwargs)

    def raw(self, method: str, route: str, path: str, **fields: Any) -> dict[str, Any]:
        """An API Gateway event as it may arrive (raw strings the local player cannot encode)."""
        template = next(r for r in self.api.routes if f"{r.method} {r.path}" == f"{method} {route}")
        event = self.api._event(template, method, "/", {}, {}, None, {})
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event.update(fields)
        with simulated_clock(NOW, self.stack):
            result: dict[str, Any] = self.pipeline.invoke("ApiFunction", event)
        return result


@pytest.fixture(scope="module")
def portal() -> Iterator[Portal]:
    with embedded_aws():
        pipeline = Pipeline(deploy())
        pipeline.send(as_json(newsitem()))
        assert pipeline.drain().failed_records == 0
        yield Portal(pipeline)


def rejections(portal: Portal, *, besides: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every recorded rejection (of every agency), or only those not in `besides`."""
    table = portal.stack.outputs["ArticlesTableName"]
    items = boto3.resource("dynamodb").Table(table).scan()["Items"]
    seen = {(i["pk"], i["sk"]) for i in besides or []}
    return [i for i in items if str(i["pk"]).startswith("REJ#") and (i["pk"], i["sk"]) not in seen]


def subscribe_to_rejections(portal: Portal) -> str:
    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    url = sqs.create_queue(QueueName=f"watch-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(
        TopicArn=portal.stack.outputs["RejectionsTopicArn"],
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    return url


def announced(url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while batch := boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        found.extend(json.loads(m["Body"]) for m in batch)
    return found


def valid(article_id: str, title: str) -> str:
    return as_json(newsitem(NewsItemId=article_id, Title=title))


# ------------------------------------------------------------------ SQS bodies
HOSTILE_BODIES = [
    ("not json", "이것은 JSON이 아닙니다 {", "invalid-json"),
    ("wrong top-level type", "[1, 2, 3]", "invalid-json"),
    ("deep nesting", "[" * 50_000 + "]" * 50_000, "invalid-json"),
    ("5000-digit integer", '{"version": ' + "9" * 5000 + "}", "invalid-json"),
    ("wrong types", as_json(newsitem(NewsItemId="3001", ModifyId=[1], MinisterCode={"x": 1})), "invalid-release"),
    ("missing fields", as_json({"NewsItemId": "3002", "ContentsStatus": "I"}), "invalid-release"),
    ("javascript link", as_json(newsitem(NewsItemId="3003", EnglishUrl="javascript:alert(1)")), "invalid-release"),
    ("out-of-range date", as_json({"agency": "외교부", "release_id": "mofa-x", "version": 1, "title": "제목",
                                    "body": "본문", "approved_at": "0001-01-01T00:00:00+14:00"}), "invalid-release"),
    ("entity bomb", '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><NewsItem><Title>&b;</Title></NewsItem>', "invalid-xml"),
    ("external entity", '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><NewsItem><Title>&x;</Title></NewsItem>', "invalid-xml"),
    ("deep xml", "<response>" + "<b>" * 5000 + "</b>" * 5000 + "</response>", "invalid-xml"),
    ("empty", "   ", "empty-message"),
]  # fmt: skip


def test_a_mixed_batch_of_hostile_and_valid_bodies_stores_every_valid_one(portal: Portal) -> None:
    watch = subscribe_to_rejections(portal)
    before = rejections(portal)
    valid_ids = ["4001", "4002", "4003", "4004"]
    bodies = [body for _, body, _ in HOSTILE_BODIES]
    for position, article_id in enumerate(valid_ids):  # valid ones spread through the batches
        bodies.insert(position * 4, valid(article_id, f"정상 보도자료 {article_id}"))
    portal.pipeline.send(*bodies)
    report = portal.pipeline.drain()
    CASES["sqs bodies"] += len(bodies)

    assert report.failed_records == 0 and report.handler_crashes == 0
    for article_id in valid_ids:
        head = portal.articles.get_head(article_id)
        assert head is not None and head["title"] == f"정상 보도자료 {article_id}"
    recorded = rejections(portal, besides=before)
    assert sorted(r["reason"] for r in recorded) == sorted(reason for _, _, reason in HOSTILE_BODIES)
    assert all(r["message"] for r in recorded)
    assert sorted(m["reason"] for m in announced(watch)) == sorted(reason for _, _, reason in HOSTILE_BODIES)
    assert set(dead_letter_counts(portal.stack).values()) == {0}


def sqs_record(body: str, sender: str = LOCAL_SENDER_ID) -> dict[str, Any]:
    return direct_sqs_record(body, sender, "hostile")


def test_bodies_sqs_would_not_carry_are_refused_without_failing_the_batch(portal: Portal) -> None:
    """A direct invocation can carry what SQS refuses: lone surrogates, megabyte strings."""
    big_korean = as_json(newsitem(NewsItemId="5003", DataContents="□ 본문입니다. " * 120_000))
    records = [
        sqs_record(valid("5001", "정상 보도자료 5001")),
        sqs_record('{"agency": "외교부\ud800", "release_id": "x"}'),
        sqs_record(as_json(newsitem(NewsItemId="5002", Title="가" * 1_000_000))),
        sqs_record(big_korean),
        sqs_record('{"NewsItemId": "5004", "Title": "\\ud800"}'),
        sqs_record(valid("5005", "정상 보도자료 5005")),
    ]
    CASES["direct sqs records"] += len(records)
    before = rejections(portal)
    result = portal.pipeline.invoke("IngestReleaseFunction", {"Records": records})
    assert result == {"batchItemFailures": []}
    assert portal.articles.get_head("5001") is not None and portal.articles.get_head("5005") is not None
    assert all(portal.articles.get_head(i) is None for i in ("5002", "5003", "5004"))
    reasons = sorted(r["reason"] for r in rejections(portal, besides=before))
    assert reasons == ["invalid-encoding", "invalid-release", "invalid-release", "too-large"]


# ------------------------------------------------------------------ HTTP requests
BAD_REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "/articles", {"cursor": "not-a-cursor"}),
    ("GET", "/articles", {"cursor": "eyJsIjoiYWxsIiwicyI6IjIwMjYtMDQiLCJrIjoiOTk5OSJ9"}),  # past now
    ("GET", "/articles", {"cursor": "e30"}),  # {}
    ("GET", "/articles", {"cursor": "W10"}),  # []
    ("GET", "/articles", {"cursor": "x" * 601}),
    ("GET", "/articles", {"limit": "9" * 400}),
    ("GET", "/articles", {"limit": "-1"}),
    ("GET", "/articles", {"from": "0001-01-01"}),
    ("GET", "/articles", {"from": "9999-12-31T23:59:59-23:59"}),
    ("GET", "/articles", {"to": "어제"}),
    ("GET", "/articles", {"agency": "가" * 61}),
    ("GET", "/articles", {"kind": "<script>"}),
    ("GET", "/articles/" + "a" * 65, {}),
    ("GET", "/articles/..%2F..%2Fetc%2Fpasswd", {}),
    ("GET", "/articles/1';DROP TABLE articles;--", {}),
    ("GET", "/articles/%FF%FE", {}),
    ("GET", f"/articles/{ARTICLE}", {"list": "everything"}),
    ("GET", f"/articles/{ARTICLE}/comments", {"cursor": "e30"}),
    (
        "GET",
        f"/articles/{ARTICLE}/comments",
        {"cursor": "eyJsIjoiQUMjMTU2NzU0MDk4IiwiayI6eyJmb28iOiJiYXIifX0"},
    ),
    ("GET", f"/articles/{ARTICLE}/comments", {"cursor": "\x00" * 1001}),
    ("GET", "/articles/" + "가" * 3000 + "/comments", {}),
    ("GET", "/search", {"q": "도" * 201}),
    ("GET", "/search", {"q": "   "}),
    ("GET", "/search", {"q": "도시", "page": "21"}),
    ("GET", "/search", {"q": "x" * 100_000}),
    ("GET", "/articles", {f"p{i}": "값" * 100 for i in range(300)}),  # a huge query string
]


def is_problem(response: HttpResponse) -> bool:
    problem = response.json()
    return (
        response.headers.get("Content-Type", "").startswith("application/problem+json")
        and problem["status"] == response.status
        and bool(problem["detail"])
    )


def test_bad_ids_cursors_and_huge_query_strings_get_4xx_problems_never_5xx(portal: Portal) -> None:
    failures = []
    for method, path, query in BAD_REQUESTS:
        CASES["http requests"] += 1
        response = portal.request(method, path, query=query)
        unknown_params = path == "/articles" and query and next(iter(query)).startswith("p")
        if unknown_params:  # API Gateway passes unknown parameters; they are ignored, not an error
            ok = response.status == 200
        else:
            ok = 400 <= response.status < 500 and is_problem(response)
        if not ok:
            failures.append((path[:60], str(query)[:60], response.status, response.body[:120]))
    assert failures == []


def test_invalid_utf8_and_percent_encoding_get_4xx_never_5xx(portal: Portal) -> None:
    """What API Gateway may hand over: lone surrogates from bad UTF-8, undecoded escapes, NULs."""
    cases: list[tuple[str, str, str, dict[str, Any]]] = [
        ("GET", "/search", "/search", {"queryStringParameters": {"q": "\udcff\udcfe"}, "rawQueryString": "q=%FF%FE"}),
        ("GET", "/search", "/search", {"queryStringParameters": {"q": "%E0%A4%A"}, "rawQueryString": "q=%25E0%25A4%25A"}),
        ("GET", "/articles", "/articles", {"queryStringParameters": {"agency": "\ud800"}}),
        ("GET", "/articles", "/articles", {"queryStringParameters": {"cursor": "\ud800"}}),
        ("GET", "/articles/{article_id}", "/articles/%FF%FE", {"pathParameters": {"article_id": "%FF%FE"}}),
        ("GET", "/articles/{article_id}", "/articles/%00", {"pathParameters": {"article_id": "\x00"}}),
        ("GET", "/articles/{article_id}", "/articles/\udcff", {"pathParameters": {"article_id": "\udcff"}}),
        ("GET", "/articles/{article_id}/comments", "/articles/\udcff/comments", {"pathParameters": {"article_id": "\udcff"}}),
        ("POST", "/articles/{article_id}/comments", f"/articles/{ARTICLE}/comments",
         {"body": "[" * 100_000, "requestContext": None}),
        ("POST", "/articles/{article_id}/comments", f"/articles/{ARTICLE}/comments",
         {"body": '{"text": "\\ud800 안녕"}', "requestContext": None}),
        ("POST", "/articles/{article_id}/comments", f"/articles/{ARTICLE}/comments",
         {"body": "eyJ0ZXh0IjogIv/+In0=", "isBase64Encoded": True, "requestContext": None}),  # invalid UTF-8
        ("POST", "/articles/{article_id}/comments", f"/articles/{ARTICLE}/comments",
         {"body": "%%% not base64", "isBase64Encoded": True, "requestContext": None}),
        ("POST", "/articles/{article_id}/comments", f"/articles/{ARTICLE}/comments",
         {"body": '{"text": ' + "9" * 5000 + "}", "requestContext": None}),
    ]  # fmt: skip
    failures = []
    for method, route, path, fields in cases:
        CASES["raw api gateway events"] += 1
        if fields.get("requestContext", 0) is None:  # a signed-in author, so the body is what is tested
            template = next(r for r in portal.api.routes if r.path == route and r.method == method)
            context = portal.api._event(template, method, path, {}, {}, None, {})["requestContext"]
            context["http"]["method"] = method
            context["authorizer"] = {"jwt": {"claims": {"sub": "user-hostile"}, "scopes": None}}
            fields = {**fields, "requestContext": context, "pathParameters": {"article_id": ARTICLE}}
        result = portal.raw(method, route, path, **copy.deepcopy(fields))
        literal_search = route == "/search" and result["statusCode"] == 200
        if literal_search:  # an undecoded escape is searched for as text: a safe, empty result
            literal_search = json.loads(result["body"])["items"] == []
        if not (400 <= result["statusCode"] < 500 or literal_search):
            failures.append((route, repr(fields)[:80], result["statusCode"], str(result.get("body"))[:120]))
    assert failures == []


# ------------------------------------------------------------------ comment texts
HOSTILE_COMMENTS = {
    "zero-width": "좋은\u200b 정\u200c책\u200d입니다\u2060",
    "bidi": "\u202e다니합원응\u202c 정책을",
    "bidi-isolates": "\u2066도시 데이터\u2069 사업 \u2067기대\u2069",
    "combining": "좋\u0301은 정\u0308책\u20dd",
    "homoglyph": "Ѕеоul 시민으로서 응원합니다",  # Cyrillic letters that look Latin
    "only-emoji": "👍👍👍🇰🇷🙏🏻",
    "nul": "안녕\x00하세요",
    "zalgo": "정" + "\u0336\u0301\u0308" * 300,
    "near-limit": "도시 데이터 " * 142,  # 994 characters
    "hidden-profanity": "시\u200b발 이게 정책이냐",
}
REFUSED_COMMENTS = {
    "100k characters": "가" * 100_000,
    "over the limit after trimming": "  " + "나" * 1001 + "  ",
    "only spaces": " \u3000 \n ",
}


def test_hostile_comment_texts_are_decided_or_refused_never_lost(portal: Portal) -> None:
    accepted: dict[str, str] = {}
    for number, (name, text) in enumerate(HOSTILE_COMMENTS.items()):
        CASES["comment posts"] += 1
        response = portal.request(
            "POST",
            f"/articles/{ARTICLE}/comments",
            body={"text": text},
            jwt_claims={"sub": f"author-{number}"},
        )
        assert response.status == 202, (name, response.body)
        accepted[name] = response.json()["id"]
    for name, text in REFUSED_COMMENTS.items():
        CASES["comment posts"] += 1
        response = portal.request(
            "POST", f"/articles/{ARTICLE}/comments", body={"text": text}, jwt_claims={"sub": "author-x"}
        )
        assert response.status in (400, 422) and is_problem(response), (name, response.status)
    report = portal.pipeline.drain()
    assert report.failed_records == 0 and report.handler_crashes == 0
    for name, comment_id in accepted.items():
        comment = portal.comments.get(comment_id)
        assert comment is not None, name
        assert comment["status"] in ("published", "held", "rejected"), (name, comment["status"])
    assert portal.comments.get(accepted["hidden-profanity"])["status"] == "rejected"  # type: ignore[index]
    assert set(dead_letter_counts(portal.stack).values()) == {0}
