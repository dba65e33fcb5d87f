"""What the public HTTP API accepts, declared once: each route's query parameters and JSON body.

ApiFunction checks requests against these declarations with the plain functions below, and
`briefing openapi` prints the OpenAPI document generated from them. Plain records (msgspec Structs), not
pydantic and Powertools' validation: importing those added about half the baseline to the
user-facing function's cold start (benchmarks/cold_start.py) to check a few lengths, ranges and
patterns.

Problems are worded as pydantic worded them before, so clients see the same messages; the checks
are stricter in two places: a query integer is ASCII digits with an optional sign (no spaces,
`_`, `.0` or full-width digits such as "２０"), and a body integer is a JSON number without a
fraction, never `true`, a string or `4.0`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from msgspec import Struct

JSON_TYPES = {str: "string", int: "integer", list: "array"}
PROBLEM = "application/problem+json"
_QUERY_INTEGER = re.compile(r"[+-]?[0-9]+")  # [0-9], not \d: \d also matches "２" and "٣"
_WIDEST_BOUND_DIGITS = 18  # no declared range comes near: a longer number is out of every range


class InvalidRequest(Exception):
    """The request breaks its route's declaration; `errors` says where and how, one per problem."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['where']}: {e['problem']}" for e in errors))
        self.errors = errors


class Field(Struct, frozen=True):
    """One query parameter or body field.

    `kind` is str, int or list (of `items`); `alias` is the name on the wire where that is no
    Python name (`from`, `list`); `min_length`/`max_length` count a string's characters or a
    list's items; `pattern` must match the whole value."""

    name: str
    kind: type = str
    required: bool = False
    default: Any = None
    alias: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None
    pattern: str | None = None
    items: type = str
    description: str | None = None

    @property
    def wire_name(self) -> str:
        return self.alias or self.name

    def default_value(self) -> Any:
        # A fresh list each time: a default list handed out twice could be changed for the next request.
        return list(self.default) if isinstance(self.default, tuple | list) else self.default


class Body(Struct, frozen=True):
    """A JSON object body. Fields it does not declare are refused (no smuggled `author`)."""

    schema_name: str
    fields: tuple[Field, ...]


class Endpoint(Struct, frozen=True):
    """One route: `path` in OpenAPI's style (/articles/{article_id}); `name` makes its operationId."""

    name: str
    method: str
    path: str
    summary: str
    query: tuple[Field, ...] = ()
    body: Body | None = None
    status: int = 200

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)

    def read_query(self, raw: Mapping[str, str] | None) -> dict[str, Any]:
        """The declared parameters by Python name (defaults filled in); others are ignored, as
        API Gateway passes whatever a client appends."""
        raw = raw or {}
        values: dict[str, Any] = {}
        errors: list[dict[str, str]] = []
        for field in self.query:
            where = f"query.{field.wire_name}"
            if field.wire_name not in raw:
                if field.required:
                    errors.append({"where": where, "problem": "Field required"})
                values[field.name] = field.default_value()
                continue
            text = raw[field.wire_name]
            value: Any = _query_integer(text) if field.kind is int else text
            problem: str | None
            if value is None:
                problem = "Input should be a valid integer, unable to parse string as an integer"
            else:
                problem = _type_problem(value, field.kind) or _problem(field, value)
            if problem:
                errors.append({"where": where, "problem": problem})
            values[field.name] = value
        if errors:
            raise InvalidRequest(errors)
        return values

    def read_body(self, raw: str | None) -> dict[str, Any]:
        """The JSON body's declared fields by name (defaults filled in). A body nested too deeply
        for json.loads raises RecursionError, which the caller answers."""
        assert self.body is not None, f"{self.name} declares no body"
        if not raw:
            raise InvalidRequest([{"where": "body", "problem": "Field required"}])
        try:
            document = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidRequest([{"where": "body", "problem": f"Invalid JSON: {exc}"}]) from None
        except ValueError:  # an integer past Python's 4300-digit limit for int()
            raise InvalidRequest(
                [{"where": "body", "problem": "Invalid JSON: a number is too long"}]
            ) from None
        if document is None:
            raise InvalidRequest([{"where": "body", "problem": "Field required"}])
        if not isinstance(document, dict):
            raise InvalidRequest([{"where": "body", "problem": "Input should be a JSON object"}])
        values: dict[str, Any] = {}
        errors: list[dict[str, str]] = []
        for field in self.body.fields:
            where = f"body.{field.name}"
            if field.name not in document:
                if field.required:
                    errors.append({"where": where, "problem": "Field required"})
                values[field.name] = field.default_value()
                continue
            value = values[field.name] = document[field.name]
            errors.extend({"where": w, "problem": p} for w, p in _body_problems(field, value, where))
        declared = {field.name for field in self.body.fields}
        errors.extend(
            {"where": f"body.{key[:40]}", "problem": "Extra inputs are not permitted"}
            for key in document
            if key not in declared
        )
        if errors:
            raise InvalidRequest(errors)
        return values


def _query_integer(text: str) -> int | None:
    if not _QUERY_INTEGER.fullmatch(text):
        return None
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > _WIDEST_BOUND_DIGITS:  # int() refuses past 4300 digits; it is out of range anyway
        return -(10**_WIDEST_BOUND_DIGITS) if text.startswith("-") else 10**_WIDEST_BOUND_DIGITS
    return int(text)


def _type_problem(value: Any, kind: type) -> str | None:
    # JSON true/false load as bool, a subclass of int: not a number here.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        return f"Input should be a valid {_TYPE_WORDS[kind]}"
    if isinstance(value, str) and not encodable(value):
        # Lone surrogates: what API Gateway or a JSON \ud800 escape makes of bytes that are no UTF-8.
        return "Input should be a valid string, unable to parse raw data as a unicode string"
    return None


_TYPE_WORDS = {str: "string", int: "integer", list: "list"}


def encodable(text: str) -> bool:
    """False for text holding lone surrogates (JSON can carry them; UTF-8 and DynamoDB cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _body_problems(field: Field, value: Any, where: str) -> list[tuple[str, str]]:
    problem = _type_problem(value, field.kind) or _problem(field, value)
    if problem:
        return [(where, problem)]
    if field.kind is list:
        item_problems = ((index, _type_problem(item, field.items)) for index, item in enumerate(value))
        return [(f"{where}.{index}", problem) for index, problem in item_problems if problem]
    return []


def _problem(field: Field, value: str | int | list[Any]) -> str | None:
    """The first constraint a value of the right type breaks, worded as pydantic did."""
    if isinstance(value, int):
        if field.ge is not None and value < field.ge:
            return f"Input should be greater than or equal to {field.ge}"
        if field.le is not None and value > field.le:
            return f"Input should be less than or equal to {field.le}"
        return None
    noun = "String" if isinstance(value, str) else "List"
    unit = "character" if isinstance(value, str) else "item"
    if field.min_length is not None and len(value) < field.min_length:
        plural = "" if field.min_length == 1 else "s"
        return f"{noun} should have at least {field.min_length} {unit}{plural}"
    if field.max_length is not None and len(value) > field.max_length:
        return f"{noun} should have at most {field.max_length} {unit}s"
    if field.pattern is not None and isinstance(value, str) and not re.fullmatch(field.pattern, value):
        return f"String should match pattern '{field.pattern}'"
    return None


# ---------------------------------------------------------------- the OpenAPI document
def openapi_document(endpoints: tuple[Endpoint, ...], *, title: str, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Problem": _PROBLEM_SCHEMA}
    for endpoint in endpoints:
        operation: dict[str, Any] = {
            "summary": endpoint.summary,
            # As Powertools derived it before, so clients generated from the document keep their names.
            "operationId": re.sub(r"\W", "_", endpoint.name + endpoint.path) + "_" + endpoint.method.lower(),
        }
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "title": _title(name)},
            }
            for name in endpoint.path_names
        ]
        parameters += [
            {"name": f.wire_name, "in": "query", "required": f.required, "schema": _schema(f)}
            | ({"description": f.description} if f.description else {})
            for f in endpoint.query
        ]
        if parameters:
            operation["parameters"] = parameters
        if endpoint.body is not None:
            schemas[endpoint.body.schema_name] = _body_schema(endpoint.body)
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{endpoint.body.schema_name}"}
                    }
                },
            }
        operation["responses"] = {
            str(endpoint.status): {
                "description": "Accepted" if endpoint.status == 202 else "Successful Response",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "422": _problem_response("Invalid request: a parameter or body field breaks its declaration"),
            "4XX": _problem_response(
                "Refused: a bad id or cursor, not found, not signed in, not allowed, or (409) a moderator's"
                " decision on a comment that changed since it was read"
            ),
        }
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _title(name: str) -> str:
    return name.replace("_", " ").title()


def _schema(field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": JSON_TYPES[field.kind], "title": _title(field.wire_name)}
    if field.kind is list:
        schema["items"] = {"type": JSON_TYPES[field.items]}
    length_words = ("minItems", "maxItems") if field.kind is list else ("minLength", "maxLength")
    for word, bound in zip(
        (*length_words, "minimum", "maximum", "pattern"),
        (field.min_length, field.max_length, field.ge, field.le, field.pattern),
        strict=True,
    ):
        if bound is not None:
            schema[word] = bound
    if not field.required and field.default is not None:
        schema["default"] = field.default_value()
    if field.description:
        schema["description"] = field.description
    return schema


def _body_schema(body: Body) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "title": body.schema_name,
        "properties": {f.name: _schema(f) for f in body.fields},
        "additionalProperties": False,
    }
    required = [f.name for f in body.fields if f.required]
    if required:
        schema["required"] = required
    return schema


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem document; `errors` lists each invalid parameter or field (422)",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "where": {"type": "string", "examples": ["query.limit", "body.text", "body"]},
                    "problem": {"type": "string"},
                },
                "required": ["where", "problem"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


# ---------------------------------------------------------------- the public API's routes
KINDS = "^(press|joint|reference|explanation|schedule|notice)$"


def _limit(default: int) -> Field:
    return Field("limit", int, default=default, ge=1, le=50)


LIST_ARTICLES = Endpoint(
    "list_articles",
    "GET",
    "/articles",
    "Latest articles, newest first (optionally one agency or kind, a date range)",
    query=(
        Field("agency", max_length=60),
        Field("kind", pattern=KINDS),
        Field("since", alias="from", max_length=40, description="A date like 2026-04-13 or an ISO 8601 time"),
        Field("until", alias="to", max_length=40, description="A date (the whole day) or an ISO 8601 time"),
        Field("cursor", max_length=600),
        _limit(20),
    ),
)
POPULAR = Endpoint(
    "popular", "GET", "/articles/popular", "Most viewed articles of the last 30 days", query=(_limit(10),)
)
GET_ARTICLE = Endpoint(
    "get_article",
    "GET",
    "/articles/{article_id}",
    "One article with previous/next and related articles (counts a view)",
    query=(Field("list_name", alias="list", default="all", pattern="^(all|agency|kind)$"),),
)
SEARCH = Endpoint(
    "search",
    "GET",
    "/search",
    "Korean full-text search, ranked, with highlighted snippets",
    query=(
        Field("q", required=True, min_length=1, max_length=200),
        Field("page", int, default=1, ge=1, le=20),
        _limit(10),
    ),
)
LIST_COMMENTS = Endpoint(
    "list_comments",
    "GET",
    "/articles/{article_id}/comments",
    "Published comments of an article, oldest first",
    query=(Field("cursor", max_length=1000), _limit(20)),
)
POST_COMMENT = Endpoint(
    "post_comment",
    "POST",
    "/articles/{article_id}/comments",
    "Post a comment (JWT); moderated before it is shown",
    # 2000, not 1000: the domain trims the text, then refuses one over MAX_COMMENT_CHARS with the
    # limit in its message; this bound only stops the absurd before it is parsed further.
    body=Body(
        "CommentBody",
        (
            Field(
                "text",
                required=True,
                min_length=1,
                max_length=2000,
                description="The comment, 1-1000 characters after trimming",
            ),
        ),
    ),
    status=202,
)
OWN_COMMENT = Endpoint(
    "own_comment",
    "GET",
    "/comments/{comment_id}",
    "Your comment, its decisions with rules and reasons, and until when you may appeal (JWT)",
)
APPEAL_COMMENT = Endpoint(
    "appeal_comment",
    "POST",
    "/comments/{comment_id}/appeal",
    "Appeal a rejection of your comment: once, within 30 days; a moderator looks again (JWT)",
    body=Body("AppealBody", (Field("reason", required=True, min_length=1, max_length=1000),)),
    status=202,
)
REVIEW_QUEUE = Endpoint(
    "review_queue",
    "GET",
    "/moderation/queue",
    "Comments held for review, oldest first (IAM)",
    query=(Field("cursor", max_length=1000), _limit(20)),
)
DECIDE_COMMENT = Endpoint(
    "decide_comment",
    "POST",
    "/moderation/comments/{comment_id}/{decision}",
    "Approve or reject a comment (IAM)",
    body=Body(
        "ModeratorNote",
        (
            Field("note", default="", max_length=1000),
            Field("rules", list, items=int, default=(), max_length=13),
        ),
    ),
)
BLOCK_AUTHOR = Endpoint(
    "block_author",
    "POST",
    "/moderation/authors/{author}/{action}",
    "Block or unblock an author (IAM)",
    body=Body("BlockBody", (Field("reason", default="", max_length=1000),)),
)
TAKEDOWN = Endpoint(
    "takedown",
    "POST",
    "/moderation/takedowns",
    "Record an authority's takedown request (R13) and hide the comments (IAM)",
    body=Body(
        "TakedownBody",
        (
            Field("authority", required=True, min_length=2, max_length=200),
            Field("legal_basis", required=True, min_length=2, max_length=500),
            Field("reference", required=True, min_length=1, max_length=200),
            Field("comment_ids", list, required=True, min_length=1, max_length=500),
        ),
    ),
)
ENDPOINTS = (
    LIST_ARTICLES,
    POPULAR,
    GET_ARTICLE,
    SEARCH,
    LIST_COMMENTS,
    POST_COMMENT,
    OWN_COMMENT,
    APPEAL_COMMENT,
    REVIEW_QUEUE,
    DECIDE_COMMENT,
    BLOCK_AUTHOR,
    TAKEDOWN,
)
