"""ApiFunction: the public read API (and comment posting) behind an API Gateway HTTP API.

API Gateway routes: every route is declared in template.yaml, and the event's `routeKey` ("GET
/articles/{article_id}") picks the function here, with API Gateway's path parameters. Each route's
parameters and body are declared in briefing.http_params, which checks them (plain functions, so the
cold start pays no pydantic) and generates the OpenAPI document (`briefing openapi`). Errors are
RFC 9457 problem documents. CORS is answered by API Gateway (the template's CorsConfiguration).
No Powertools resolver: API Gateway already routes, and importing Powertools' event_handler package
(every resolver, asyncio, every event data class) cost about 40 ms of each cold start.
SnapStart (template.yaml) resumes new execution environments from a snapshot taken after this
module's import; nothing unique is made during that import, and `random` is reseeded on resume.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from briefing import clock
from briefing.comments.api import CommentsApi
from briefing.comments.store import CommentStore, ConflictError
from briefing.http_params import (
    APPEAL_COMMENT,
    BLOCK_AUTHOR,
    DECIDE_COMMENT,
    GET_ARTICLE,
    LIST_ARTICLES,
    LIST_COMMENTS,
    OWN_COMMENT,
    POPULAR,
    POST_COMMENT,
    PROBLEM,
    REVIEW_QUEUE,
    SEARCH,
    TAKEDOWN,
    Endpoint,
    InvalidRequest,
    encodable,
)
from briefing.index.reader import BadRequestError, ReadService
from briefing.index.store import IndexStore
from briefing.observability import logger, metrics, tracer
from briefing.settings import ApiSettings
from briefing.storage.articles import ArticleStore
from briefing.storage.queues import QueuePublisher

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

try:  # Lambda's Python runtimes provide it; SnapStart calls these hooks when it resumes a snapshot
    from snapshot_restore_py import register_after_restore
except ImportError:  # outside Lambda and the dev environment: no snapshot to resume from
    pass
else:
    # Environments resumed from one snapshot share `random`'s state, and the SDK draws its retry
    # jitter from it: reseeded (from os.urandom), throttled environments do not retry in step.
    register_after_restore(random.seed)

Event = dict[str, Any]


class Reply:
    """A response other than 200 with a JSON document (routes return a plain dict for those)."""

    __slots__ = ("body", "status")

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body


class RouteNotFoundError(LookupError):
    """The event names no route of this function (API Gateway never sends one; a test may)."""


class UnauthorisedError(Exception):
    pass


class ForbiddenError(Exception):
    pass


# routeKey ("GET /articles/{article_id}") -> its path parameters' names and the function that answers it
ROUTES: dict[str, tuple[list[str], Callable[..., dict[str, Any] | Reply]]] = {}


def route(endpoint: Endpoint) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Every route is registered from its declaration, so the OpenAPI document misses none."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        ROUTES[f"{endpoint.method} {endpoint.path}"] = (endpoint.path_names, function)
        return function

    return register


@cache
def comments() -> CommentsApi:
    settings = ApiSettings.from_env()
    if not settings.comments_table or not settings.comment_queue_url:
        raise RuntimeError("COMMENTS_TABLE and COMMENT_QUEUE_URL are required for comment routes")
    return CommentsApi(
        CommentStore(settings.comments_table),
        QueuePublisher(settings.comment_queue_url),
        reader(),
        max_chars=settings.max_comment_chars,
    )


@cache
def reader() -> ReadService:
    settings = ApiSettings.from_env()
    return ReadService(ArticleStore(settings.articles_table), IndexStore(settings.index_table))


def response(status: int, body: Any, content_type: str = "application/json") -> dict[str, Any]:
    """The HTTP API (payload 2.0) response; JSON in UTF-8, not \\u escapes (Korean halves in size)."""
    # items come from briefing.storage.codec, which already turns DynamoDB's Decimals into int/float
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type},
        "body": text,
        "isBase64Encoded": False,
    }


def problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return response(status, body, PROBLEM)


def query(endpoint: Endpoint, event: Event) -> dict[str, Any]:
    return endpoint.read_query(event.get("queryStringParameters"))


def body(endpoint: Endpoint, event: Event) -> dict[str, Any]:
    raw = event.get("body")
    if raw is not None and event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode()  # binascii.Error and UnicodeDecodeError are ValueErrors: 400
    return endpoint.read_body(raw)


def _day(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadRequestError(f"{field} must be a date like 2026-04-13 or an ISO 8601 time") from exc
    if moment.tzinfo is None:
        from briefing.releases.embargo import KST

        moment = moment.replace(tzinfo=KST)
    try:
        moment.astimezone(UTC)  # list keys are UTC times: 0001-01-01 in Korea time has none
    except OverflowError as exc:
        raise BadRequestError(f"{field} is out of range") from exc
    return moment


@route(LIST_ARTICLES)
def list_articles(event: Event) -> dict[str, Any]:
    params = query(LIST_ARTICLES, event)
    until = params["until"]
    end = _day(until, "to")
    if end is not None and until is not None and len(until) <= 10:
        end = end.replace(hour=23, minute=59, second=59)
    return reader().list_articles(
        clock.now(),
        agency=params["agency"],
        kind=params["kind"],
        since=_day(params["since"], "from"),
        until=end,
        cursor=params["cursor"],
        limit=params["limit"],
    )


@route(POPULAR)
def popular(event: Event) -> dict[str, Any]:
    limit = query(POPULAR, event)["limit"]
    return reader().popular(clock.now(), limit=limit)


@route(GET_ARTICLE)
def get_article(event: Event, article_id: str) -> dict[str, Any]:
    list_name = query(GET_ARTICLE, event)["list_name"]
    return reader().get_article(checked_article_id(article_id), clock.now(), list_name)


def checked_article_id(article_id: str) -> str:
    """Every route that names an article: ids become table keys, so they are bounded here."""
    if not article_id.replace("-", "").replace("_", "").replace(".", "").isalnum() or len(article_id) > 64:
        raise BadRequestError("article id must be 1-64 letters, digits, '.', '_' or '-'")
    return article_id


@route(SEARCH)
def search(event: Event) -> dict[str, Any]:
    params = query(SEARCH, event)
    return reader().search(params["q"], clock.now(), page=params["page"], limit=params["limit"])


# ---------------------------------------------------------------- comments


def author_identity(event: Event) -> tuple[str, str | None]:
    """The portal's login issues a JWT; API Gateway's JWT authoriser validates it and passes its
    claims: `sub` is the author id, `name` (optional) the display name. No claims, no comment."""
    context = event.get("requestContext") or {}
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    subject = claims.get("sub")
    if not subject:
        raise UnauthorisedError(
            "sign in to comment or to follow your comments: anonymous requests are not accepted"
        )
    subject = str(subject)
    # The author id becomes a table key: bound it and keep it printable, whoever issued the token.
    if len(subject) > MAX_SUBJECT or not subject.isprintable() or not encodable(subject):
        raise UnauthorisedError("the sign-in token's subject is not a valid account id")
    name = claims.get("name")
    return subject, name if isinstance(name, str) and encodable(name) else None


MAX_SUBJECT = 255


def moderator_identity(event: Event) -> str:
    """Moderator routes are IAM-authorised by API Gateway; the caller's ARN is the moderator."""
    iam = ((event.get("requestContext") or {}).get("authorizer") or {}).get("iam") or {}
    arn = iam.get("userArn")
    if not arn:
        raise ForbiddenError("moderator routes need an IAM-signed request")
    return str(arn)


@route(LIST_COMMENTS)
def list_comments(event: Event, article_id: str) -> dict[str, Any]:
    params = query(LIST_COMMENTS, event)
    return comments().list_published(
        checked_article_id(article_id), clock.now(), params["cursor"], params["limit"]
    )


@route(POST_COMMENT)
def post_comment(event: Event, article_id: str) -> Reply:
    text = body(POST_COMMENT, event)["text"]
    author, display_name = author_identity(event)
    accepted = comments().submit(checked_article_id(article_id), author, display_name, text, clock.now())
    return Reply(202, accepted)


def checked_comment_id(comment_id: str) -> str:
    """Comment ids are UUIDs the API handed out; anything else cannot name one (nor become a key)."""
    if len(comment_id) > 64 or not comment_id.replace("-", "").isalnum() or not comment_id.isascii():
        raise LookupError(f"comment {comment_id[:64]} not found among your moderated comments")
    return comment_id


@route(OWN_COMMENT)
def own_comment(event: Event, comment_id: str) -> dict[str, Any]:
    author, _ = author_identity(event)
    # decisions are stamped in real time, not by the read side's (simulated) clock
    return comments().service.own_comment(checked_comment_id(comment_id), author)


@route(APPEAL_COMMENT)
def appeal_comment(event: Event, comment_id: str) -> Reply:
    reason = body(APPEAL_COMMENT, event)["reason"]
    author, _ = author_identity(event)
    accepted = comments().service.appeal(checked_comment_id(comment_id), author, reason)
    return Reply(202, accepted)


@route(REVIEW_QUEUE)
def review_queue(event: Event) -> dict[str, Any]:
    params = query(REVIEW_QUEUE, event)
    moderator_identity(event)
    return comments().review_queue(params["cursor"], params["limit"])


@route(DECIDE_COMMENT)
def decide_comment(event: Event, comment_id: str, decision: str) -> dict[str, Any]:
    note = body(DECIDE_COMMENT, event)
    moderator = moderator_identity(event)
    if decision == "approve":
        return comments().service.approve(comment_id, moderator, note["note"])
    if decision == "reject":
        return comments().service.reject(comment_id, moderator, note["rules"], note["note"])
    raise BadRequestError("decision must be approve or reject")


@route(BLOCK_AUTHOR)
def block_author(event: Event, author: str, action: str) -> dict[str, Any]:
    reason = body(BLOCK_AUTHOR, event)["reason"]
    moderator = moderator_identity(event)
    if action == "block":
        return comments().service.block(author, moderator, reason)
    if action == "unblock":
        return comments().service.unblock(author, moderator)
    raise BadRequestError("action must be block or unblock")


@route(TAKEDOWN)
def takedown(event: Event) -> dict[str, Any]:
    request = body(TAKEDOWN, event)
    moderator = moderator_identity(event)
    return comments().service.takedown(
        request["authority"], request["legal_basis"], request["reference"], request["comment_ids"], moderator
    )


@logger.inject_lambda_context(clear_state=True, correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: Event, context: LambdaContext) -> dict[str, Any]:
    return resolve(event)


# Problems per exception type; the most specific class in the exception's MRO answers, so subclasses
# answer as their base (NotFoundError and RouteNotFoundError are LookupErrors; BadRequestError and
# CursorError are ValueErrors) unless listed: ConflictError is a ValueError that answers 409.
PROBLEMS: dict[type[BaseException], tuple[int, str]] = {
    LookupError: (404, "Not Found"),
    ValueError: (400, "Bad Request"),
    UnauthorisedError: (401, "Unauthorized"),
    ForbiddenError: (403, "Forbidden"),
    ConflictError: (409, "Conflict"),
}


def resolve(event: Event) -> dict[str, Any]:
    """The response to one HTTP API event: the route's answer, or a problem document."""
    try:
        names, function = ROUTES.get(str(event.get("routeKey")), ((), None))
        given = event.get("pathParameters")
        given = given if isinstance(given, dict) else {}
        if function is None or not all(isinstance(given.get(name), str) for name in names):
            raise RouteNotFoundError("no such route")
        result = function(event, *(given[name] for name in names))
        if isinstance(result, Reply):
            return response(result.status, result.body)
        return response(200, result)  # inside the try: a value JSON cannot hold is our 500, logged
    except InvalidRequest as exc:
        return problem(422, "Invalid request", str(exc), errors=exc.errors)
    except RecursionError:
        # json.loads gives up on bodies like [[[[…]]]] nested thousands deep: the request's fault.
        return problem(400, "Bad Request", "the request body is nested too deeply")
    except Exception as exc:
        known = next((PROBLEMS[c] for c in type(exc).__mro__ if c in PROBLEMS), None)
        if known is None:
            logger.exception("unhandled error")
            return problem(500, "Internal Server Error", "something went wrong on our side; please try again")
        return problem(known[0], known[1], str(exc))
