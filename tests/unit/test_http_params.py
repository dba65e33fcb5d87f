"""The public API's request declarations (briefing.http_params): the checks ApiFunction answers
422 with, the OpenAPI document `briefing openapi` prints, and that ApiFunction routes and checks
every declared route."""

from __future__ import annotations

import base64
import importlib.util
import json
from types import ModuleType
from typing import Any

import pytest

from briefing.http_params import (
    APPEAL_COMMENT,
    BLOCK_AUTHOR,
    DECIDE_COMMENT,
    ENDPOINTS,
    GET_ARTICLE,
    LIST_ARTICLES,
    LIST_COMMENTS,
    POPULAR,
    POST_COMMENT,
    REVIEW_QUEUE,
    SEARCH,
    TAKEDOWN,
    Endpoint,
    InvalidRequest,
    openapi_document,
)
from briefing_cli.local.stack import REPO_ROOT, load_template


def refusals(call: Any, *args: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidRequest) as refused:
        call(*args)
    return [(e["where"], e["problem"]) for e in refused.value.errors]


# ------------------------------------------------------------------ query parameters
def test_defaults_fill_in_what_the_query_leaves_out() -> None:
    assert LIST_ARTICLES.read_query(None) == {
        "agency": None,
        "kind": None,
        "since": None,
        "until": None,
        "cursor": None,
        "limit": 20,
    }
    assert POPULAR.read_query({})["limit"] == 10
    assert GET_ARTICLE.read_query({}) == {"list_name": "all"}


@pytest.mark.parametrize(("text", "value"), [("1", 1), ("50", 50), ("007", 7), ("+20", 20)])
def test_limits_within_range_are_integers(text: str, value: int) -> None:
    assert LIST_ARTICLES.read_query({"limit": text})["limit"] == value


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0", "Input should be greater than or equal to 1"),
        ("-1", "Input should be greater than or equal to 1"),
        ("51", "Input should be less than or equal to 50"),
        ("9" * 5000, "Input should be less than or equal to 50"),  # past int()'s 4300-digit limit
        ("-" + "9" * 5000, "Input should be greater than or equal to 1"),
    ],
)
def test_limits_out_of_range_are_refused(text: str, problem: str) -> None:
    assert refusals(LIST_ARTICLES.read_query, {"limit": text}) == [("query.limit", problem)]


@pytest.mark.parametrize(
    "text",
    [
        "２０",  # full-width digits: int() would read 20, but the API's numbers are ASCII
        "٢٠",  # Arabic-Indic digits, likewise
        "abc",
        "",
        " 20 ",
        "2_0",
        "20.0",
        "1e1",
        "0x14",
        "true",
    ],
)
def test_anything_but_ascii_digits_is_not_an_integer(text: str) -> None:
    assert refusals(SEARCH.read_query, {"q": "도시", "page": text}) == [
        ("query.page", "Input should be a valid integer, unable to parse string as an integer")
    ]


def test_patterns_must_match_the_whole_value() -> None:
    assert LIST_ARTICLES.read_query({"kind": "press"})["kind"] == "press"
    pattern = "String should match pattern '^(press|joint|reference|explanation|schedule|notice)$'"
    for kind in ("rumour", "press\n", "xpress", "Press", "<script>"):
        assert refusals(LIST_ARTICLES.read_query, {"kind": kind}) == [("query.kind", pattern)], kind


def test_aliases_are_the_names_on_the_wire() -> None:
    query = LIST_ARTICLES.read_query({"from": "2026-04-11", "to": "2026-04-12", "since": "ignored"})
    assert query["since"] == "2026-04-11" and query["until"] == "2026-04-12"
    assert GET_ARTICLE.read_query({"list": "agency"}) == {"list_name": "agency"}
    assert GET_ARTICLE.read_query({"list_name": "agency"}) == {"list_name": "all"}  # not its wire name
    assert refusals(GET_ARTICLE.read_query, {"list": "everything"}) == [
        ("query.list", "String should match pattern '^(all|agency|kind)$'")
    ]
    assert refusals(LIST_ARTICLES.read_query, {"from": "x" * 41}) == [
        ("query.from", "String should have at most 40 characters")
    ]


def test_a_missing_required_parameter_is_named() -> None:
    assert refusals(SEARCH.read_query, {"page": "2"}) == [("query.q", "Field required")]
    assert refusals(SEARCH.read_query, {"q": ""}) == [("query.q", "String should have at least 1 character")]


def test_korean_text_counts_characters_not_bytes() -> None:
    assert SEARCH.read_query({"q": "고유가 피해지원금"})["q"] == "고유가 피해지원금"
    assert SEARCH.read_query({"q": "도" * 200})["q"] == "도" * 200  # 600 bytes of UTF-8
    assert refusals(SEARCH.read_query, {"q": "도" * 201}) == [
        ("query.q", "String should have at most 200 characters")
    ]
    assert LIST_ARTICLES.read_query({"agency": "가" * 60})["agency"] == "가" * 60


def test_lone_surrogates_are_not_text() -> None:
    """What API Gateway makes of bytes that are no UTF-8: refused before they reach a table key."""
    problem = "Input should be a valid string, unable to parse raw data as a unicode string"
    assert refusals(SEARCH.read_query, {"q": "\udcff\udcfe"}) == [("query.q", problem)]
    assert refusals(LIST_ARTICLES.read_query, {"agency": "국토\ud800"}) == [("query.agency", problem)]


def test_every_problem_is_reported_at_once_in_declaration_order() -> None:
    with pytest.raises(InvalidRequest) as refused:
        SEARCH.read_query({"q": "도시", "page": "0", "limit": "x"})
    assert str(refused.value) == (
        "query.page: Input should be greater than or equal to 1; "
        "query.limit: Input should be a valid integer, unable to parse string as an integer"
    )


def test_unknown_parameters_are_ignored() -> None:
    """API Gateway passes whatever a client appends (cache busters, trackers)."""
    assert POPULAR.read_query({"utm_source": "x", "limit": "5"}) == {"limit": 5}


# ------------------------------------------------------------------ JSON bodies
def test_a_korean_comment_is_read() -> None:
    body = json.dumps({"text": "고유가 피해지원금 신청은 어디서 하나요?"}, ensure_ascii=False)
    assert POST_COMMENT.read_body(body) == {"text": "고유가 피해지원금 신청은 어디서 하나요?"}
    assert POST_COMMENT.read_body('{"text": "\\uace0\\uc720\\uac00"}') == {"text": "고유가"}


@pytest.mark.parametrize(
    ("raw", "refused"),
    [
        ('{"text": 5}', [("body.text", "Input should be a valid string")]),
        ('{"text": true}', [("body.text", "Input should be a valid string")]),
        ('{"text": null}', [("body.text", "Input should be a valid string")]),
        ('{"text": ["a"]}', [("body.text", "Input should be a valid string")]),
        ('{"text": ""}', [("body.text", "String should have at least 1 character")]),
        ('{"text": "' + "가" * 2001 + '"}', [("body.text", "String should have at most 2000 characters")]),
        ("{}", [("body.text", "Field required")]),
        ('{"text": "x", "author": "spoof"}', [("body.author", "Extra inputs are not permitted")]),
        ('{"author": "spoof"}', [("body.text", "Field required"), ("body.author", "Extra inputs are not permitted")]),
        ('{"text": "\\ud800 안녕"}', [("body.text", "Input should be a valid string, unable to parse raw data as a unicode string")]),
    ],
)  # fmt: skip
def test_comment_bodies_that_break_the_declaration(raw: str, refused: list[tuple[str, str]]) -> None:
    assert refusals(POST_COMMENT.read_body, raw) == refused


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, "Field required"),
        ("", "Field required"),
        ("null", "Field required"),
        ("[1, 2]", "Input should be a JSON object"),
        ('"text"', "Input should be a JSON object"),
        ("5", "Input should be a JSON object"),
        ("not json {", "Invalid JSON: Expecting value: line 1 column 1 (char 0)"),
        ('{"text": "x"', "Invalid JSON: Expecting ',' delimiter: line 1 column 13 (char 12)"),
        ('{"text": ' + "9" * 5000 + "}", "Invalid JSON: a number is too long"),
    ],
)
def test_a_body_that_is_no_json_object_is_refused_as_a_whole(raw: str | None, problem: str) -> None:
    assert refusals(POST_COMMENT.read_body, raw) == [("body", problem)]


def test_a_body_nested_too_deeply_is_left_to_the_caller() -> None:
    """ApiFunction answers RecursionError with its own 400: the body's fault, not a parse bug."""
    with pytest.raises(RecursionError):
        POST_COMMENT.read_body("[" * 100_000)


def test_body_integers_are_json_integers_never_booleans_strings_or_fractions() -> None:
    assert DECIDE_COMMENT.read_body('{"rules": [4, 11]}') == {"note": "", "rules": [4, 11]}
    assert refusals(DECIDE_COMMENT.read_body, '{"rules": [true, "4", 4.0, 2, null]}') == [
        ("body.rules.0", "Input should be a valid integer"),
        ("body.rules.1", "Input should be a valid integer"),
        ("body.rules.2", "Input should be a valid integer"),
        ("body.rules.4", "Input should be a valid integer"),
    ]
    assert refusals(DECIDE_COMMENT.read_body, '{"rules": 4}') == [
        ("body.rules", "Input should be a valid list")
    ]
    assert refusals(DECIDE_COMMENT.read_body, json.dumps({"rules": list(range(14))})) == [
        ("body.rules", "List should have at most 13 items")
    ]


def test_default_lists_are_fresh_for_every_request() -> None:
    first = DECIDE_COMMENT.read_body("{}")
    first["rules"].append(4)
    assert DECIDE_COMMENT.read_body("{}")["rules"] == []


def test_takedowns_need_every_field() -> None:
    assert refusals(TAKEDOWN.read_body, "{}") == [
        ("body.authority", "Field required"),
        ("body.legal_basis", "Field required"),
        ("body.reference", "Field required"),
        ("body.comment_ids", "Field required"),
    ]
    short = {"authority": "경", "legal_basis": "법", "reference": "", "comment_ids": []}
    assert refusals(TAKEDOWN.read_body, json.dumps(short, ensure_ascii=False)) == [
        ("body.authority", "String should have at least 2 characters"),
        ("body.legal_basis", "String should have at least 2 characters"),
        ("body.reference", "String should have at least 1 character"),
        ("body.comment_ids", "List should have at least 1 item"),
    ]
    valid = {
        "authority": "서울경찰청",
        "legal_basis": "형사소송법 제215조",
        "reference": "r",
        "comment_ids": ["c1"],
    }
    assert TAKEDOWN.read_body(json.dumps(valid, ensure_ascii=False)) == valid
    assert refusals(TAKEDOWN.read_body, json.dumps({**valid, "comment_ids": [1]})) == [
        ("body.comment_ids.0", "Input should be a valid string")
    ]


def test_a_hostile_extra_key_is_not_echoed_whole() -> None:
    [(where, _)] = refusals(BLOCK_AUTHOR.read_body, json.dumps({"가" * 10_000: 1}))
    assert where == "body." + "가" * 40


# ------------------------------------------------------------------ the OpenAPI document
def test_the_openapi_document_is_valid_and_lists_every_route_with_its_parameters() -> None:
    document = openapi_document(ENDPOINTS, title="briefing public API", version="1.0.0")
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations == {(e.path, e.method.lower()) for e in ENDPOINTS}
    articles = document["paths"]["/articles"]["get"]
    limit = next(p for p in articles["parameters"] if p["name"] == "limit")
    assert limit == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "title": "Limit", "minimum": 1, "maximum": 50, "default": 20},
    }
    assert [p["name"] for p in articles["parameters"]] == ["agency", "kind", "from", "to", "cursor", "limit"]
    article = document["paths"]["/articles/{article_id}"]["get"]
    assert [(p["name"], p["in"]) for p in article["parameters"]] == [
        ("article_id", "path"),
        ("list", "query"),
    ]
    comment = document["components"]["schemas"]["CommentBody"]
    assert comment["required"] == ["text"] and comment["additionalProperties"] is False
    post = document["paths"]["/articles/{article_id}/comments"]["post"]
    assert set(post["responses"]) == {"202", "422", "4XX"}
    assert post["operationId"] == "post_comment_articles__article_id__comments_post"  # as Powertools named it
    operation_ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert len(operation_ids) == len(ENDPOINTS)


# ------------------------------------------------------------------ ApiFunction and the template
def test_the_template_routes_exactly_the_declared_endpoints_to_apifunction() -> None:
    function = load_template()["Resources"]["ApiFunction"]["Properties"]
    routed = {
        (event["Properties"]["Method"].upper(), event["Properties"]["Path"])
        for event in function["Events"].values()
        if event["Type"] == "HttpApi"
    }
    assert routed == {(e.method, e.path) for e in ENDPOINTS}


@pytest.fixture(scope="module")
def api_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_app_under_test", REPO_ROOT / "functions/api/app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


INVALID_REQUESTS: dict[str, tuple[dict[str, str] | None, str | None, str]] = {
    LIST_ARTICLES.name: ({"limit": "0"}, None, "query.limit"),
    POPULAR.name: ({"limit": "２０"}, None, "query.limit"),
    GET_ARTICLE.name: ({"list": "everything"}, None, "query.list"),
    SEARCH.name: ({}, None, "query.q"),
    LIST_COMMENTS.name: ({"limit": "abc"}, None, "query.limit"),
    POST_COMMENT.name: (None, '{"text": 5}', "body.text"),
    APPEAL_COMMENT.name: (None, '{"reason": ""}', "body.reason"),
    REVIEW_QUEUE.name: ({"cursor": "x" * 1001}, None, "query.cursor"),
    DECIDE_COMMENT.name: (None, '{"rules": [true]}', "body.rules.0"),
    BLOCK_AUTHOR.name: (None, "[]", "body"),
    TAKEDOWN.name: (None, '{"comment_ids": []}', "body.authority"),
}


def event_for(route_key: str, path_parameters: dict[str, str] | None, **fields: Any) -> dict[str, Any]:
    method, _, path = route_key.partition(" ")
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "headers": {},
        "pathParameters": path_parameters,
        "requestContext": {"http": {"method": method, "path": path}, "stage": "$default"},
        "isBase64Encoded": False,
        **fields,
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_apifunction_routes_every_endpoint_and_checks_it_before_any_aws_call(
    api_module: ModuleType, endpoint: Endpoint
) -> None:
    route_key = f"{endpoint.method} {endpoint.path}"
    params = {name: name for name in endpoint.path_names} or None  # any id will do, as API Gateway passes it
    if not endpoint.query and endpoint.body is None:  # nothing to check: routed, and asks who you are
        assert api_module.resolve(event_for(route_key, params))["statusCode"] == 401
        return
    query, body, where = INVALID_REQUESTS[endpoint.name]
    event = event_for(route_key, params, queryStringParameters=query, body=body)
    response = api_module.resolve(event)
    assert response["statusCode"] == 422, response["body"]
    assert response["headers"]["Content-Type"] == "application/problem+json"
    problem = json.loads(response["body"])
    assert problem["title"] == "Invalid request" and problem["status"] == 422
    assert problem["errors"][0]["where"] == where
    assert problem["detail"].startswith(f"{where}: ")


def test_apifunction_answers_exactly_the_route_keys_api_gateway_sends(api_module: ModuleType) -> None:
    """API Gateway routes; the function dispatches on the event's routeKey, spelt as in the template."""
    events = load_template()["Resources"]["ApiFunction"]["Properties"]["Events"].values()
    sent = {f"{e['Properties']['Method'].upper()} {e['Properties']['Path']}" for e in events}
    assert set(api_module.ROUTES) == sent


@pytest.mark.parametrize(
    ("route_key", "path_parameters"),
    [
        ("GET /unknown", None),  # no such route
        ("$default", None),  # API Gateway's catch-all key: this API declares none
        ("GET /articles/{article_id}", None),  # a declared parameter missing
        ("GET /articles/{article_id}", {"id": "1"}),  # another name than the route's
        ("GET /articles/{article_id}", ["156754098"]),  # not an object at all
    ],
)
def test_an_event_for_no_route_of_the_function_is_a_404_problem_not_a_crash(
    api_module: ModuleType, route_key: str, path_parameters: dict[str, str] | None
) -> None:
    response = api_module.resolve(event_for(route_key, path_parameters))
    assert response["statusCode"] == 404
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(response["body"])["detail"] == "no such route"


def test_a_base64_body_is_decoded_before_it_is_checked(api_module: ModuleType) -> None:
    """API Gateway base64-encodes bodies it does not take for text; the checks see the JSON inside."""
    raw = json.dumps({"text": 5}).encode()
    event = event_for(
        "POST /articles/{article_id}/comments",
        {"article_id": "156754098"},
        body=base64.b64encode(raw).decode(),
        isBase64Encoded=True,
    )
    response = api_module.resolve(event)
    assert response["statusCode"] == 422
    assert json.loads(response["body"])["errors"][0]["where"] == "body.text"


def test_an_answer_json_cannot_hold_is_a_logged_500_problem_not_a_crash(api_module: ModuleType) -> None:
    api_module.ROUTES["GET /broken"] = ([], lambda event: {"value": object()})
    try:
        response = api_module.resolve(event_for("GET /broken", None))
    finally:
        del api_module.ROUTES["GET /broken"]
    assert response["statusCode"] == 500
    assert json.loads(response["body"])["title"] == "Internal Server Error"
