"""ApiFunction: the public read API (and comment posting) behind an API Gateway HTTP API.

Powertools' resolver routes; each route's parameters and body are declared in briefing.http_params,
which checks them (plain functions, so the cold start pays no pydantic) and generates the OpenAPI
document (`briefing openapi`). Errors are RFC 9457 problem documents.
SnapStart (template.yaml) resumes new execution environments from a snapshot taken after this
module's import; nothing unique is made during that import, and `random` is reseeded on resume.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as RouteNotFoundError
from aws_lambda_powertools.utilities.typing import LambdaContext

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
from briefing.index.reader import BadRequestError, NotFoundError, ReadService
from briefing.index.store import CursorError, IndexStore
from briefing.observability import logger, metrics, tracer
from briefing.settings import ApiSettings
from briefing.storage.articles import ArticleStore
from briefing.storage.queues import QueuePublisher

try:  # Lambda's Python runtimes provide it; SnapStart calls these hooks when it resumes a snapshot
    from snapshot_restore_py import register_after_restore
except ImportError:  # outside Lambda and the dev environment: no snapshot to resume from
    pass
else:
    # Environments resumed from one snapshot share `random`'s state, and the SDK draws its retry
    # jitter from it: reseeded (from os.urandom), throttled environments do not retry in step.
    register_after_restore(random.seed)

app = APIGatewayHttpResolver(
    cors=CORSConfig(allow_origin="*", allow_headers=["Authorization", "Content-Type"], max_age=600),
)


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


def problem(status: int, title: str, detail: str, **extra: Any) -> Response[str]:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(status_code=status, content_type=PROBLEM, body=json.dumps(body, ensure_ascii=False))


@app.exception_handler(NotFoundError)
def _not_found(exc: NotFoundError) -> Response[str]:
    return problem(404, "Not Found", str(exc))


@app.exception_handler(RouteNotFoundError)
def _no_route(exc: RouteNotFoundError) -> Response[str]:
    return problem(404, "Not Found", "no such route")


@app.exception_handler(LookupError)
def _missing(exc: LookupError) -> Response[str]:
    return problem(404, "Not Found", str(exc))


@app.exception_handler([BadRequestError, CursorError, ValueError])
def _bad_request(exc: ValueError) -> Response[str]:
    return problem(400, "Bad Request", str(exc))


@app.exception_handler(InvalidRequest)
def _invalid(exc: InvalidRequest) -> Response[str]:
    return problem(422, "Invalid request", str(exc), errors=exc.errors)


@app.exception_handler(RecursionError)
def _too_deep(exc: RecursionError) -> Response[str]:
    # json.loads gives up on bodies like [[[[…]]]] nested thousands deep: the request's fault.
    return problem(400, "Bad Request", "the request body is nested too deeply")


@app.exception_handler(Exception)
def _unexpected(exc: Exception) -> Response[str]:
    logger.exception("unhandled error")
    return problem(500, "Internal Server Error", "something went wrong on our side; please try again")


def route(endpoint: Endpoint) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Every route is registered from its declaration, so the OpenAPI document misses none."""
    return app.route(endpoint.rule, method=endpoint.method)


def query(endpoint: Endpoint) -> dict[str, Any]:
    return endpoint.read_query(app.current_event.query_string_parameters)


def body(endpoint: Endpoint) -> dict[str, Any]:
    return endpoint.read_body(app.current_event.decoded_body)


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
def list_articles() -> dict[str, Any]:
    params = query(LIST_ARTICLES)
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
def popular() -> dict[str, Any]:
    limit = query(POPULAR)["limit"]
    return reader().popular(clock.now(), limit=limit)


@route(GET_ARTICLE)
def get_article(article_id: str) -> dict[str, Any]:
    list_name = query(GET_ARTICLE)["list_name"]
    return reader().get_article(checked_article_id(article_id), clock.now(), list_name)


def checked_article_id(article_id: str) -> str:
    """Every route that names an article: ids become table keys, so they are bounded here."""
    if not article_id.replace("-", "").replace("_", "").replace(".", "").isalnum() or len(article_id) > 64:
        raise BadRequestError("article id must be 1-64 letters, digits, '.', '_' or '-'")
    return article_id


@route(SEARCH)
def search() -> dict[str, Any]:
    params = query(SEARCH)
    return reader().search(params["q"], clock.now(), page=params["page"], limit=params["limit"])


# ---------------------------------------------------------------- comments
class UnauthorisedError(Exception):
    pass


class ForbiddenError(Exception):
    pass


@app.exception_handler(UnauthorisedError)
def _unauthorised(exc: UnauthorisedError) -> Response[str]:
    return problem(401, "Unauthorized", str(exc))


@app.exception_handler(ForbiddenError)
def _forbidden(exc: ForbiddenError) -> Response[str]:
    return problem(403, "Forbidden", str(exc))


@app.exception_handler(ConflictError)
def _conflict(exc: ConflictError) -> Response[str]:
    return problem(409, "Conflict", str(exc))


def author_identity() -> tuple[str, str | None]:
    """The portal's login issues a JWT; API Gateway's JWT authoriser validates it and passes its
    claims: `sub` is the author id, `name` (optional) the display name. No claims, no comment."""
    context = app.current_event.raw_event.get("requestContext") or {}
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


def moderator_identity() -> str:
    """Moderator routes are IAM-authorised by API Gateway; the caller's ARN is the moderator."""
    iam = ((app.current_event.raw_event.get("requestContext") or {}).get("authorizer") or {}).get("iam") or {}
    arn = iam.get("userArn")
    if not arn:
        raise ForbiddenError("moderator routes need an IAM-signed request")
    return str(arn)


@route(LIST_COMMENTS)
def list_comments(article_id: str) -> dict[str, Any]:
    params = query(LIST_COMMENTS)
    return comments().list_published(
        checked_article_id(article_id), clock.now(), params["cursor"], params["limit"]
    )


@route(POST_COMMENT)
def post_comment(article_id: str) -> Response[str]:
    text = body(POST_COMMENT)["text"]
    author, display_name = author_identity()
    accepted = comments().submit(checked_article_id(article_id), author, display_name, text, clock.now())
    return Response(
        status_code=202, content_type="application/json", body=json.dumps(accepted, ensure_ascii=False)
    )


def checked_comment_id(comment_id: str) -> str:
    """Comment ids are UUIDs the API handed out; anything else cannot name one (nor become a key)."""
    if len(comment_id) > 64 or not comment_id.replace("-", "").isalnum() or not comment_id.isascii():
        raise LookupError(f"comment {comment_id[:64]} not found among your moderated comments")
    return comment_id


@route(OWN_COMMENT)
def own_comment(comment_id: str) -> dict[str, Any]:
    author, _ = author_identity()
    # decisions are stamped in real time, not by the read side's (simulated) clock
    return comments().service.own_comment(checked_comment_id(comment_id), author)


@route(APPEAL_COMMENT)
def appeal_comment(comment_id: str) -> Response[str]:
    reason = body(APPEAL_COMMENT)["reason"]
    author, _ = author_identity()
    accepted = comments().service.appeal(checked_comment_id(comment_id), author, reason)
    return Response(
        status_code=202, content_type="application/json", body=json.dumps(accepted, ensure_ascii=False)
    )


@route(REVIEW_QUEUE)
def review_queue() -> dict[str, Any]:
    params = query(REVIEW_QUEUE)
    moderator_identity()
    return comments().review_queue(params["cursor"], params["limit"])


@route(DECIDE_COMMENT)
def decide_comment(comment_id: str, decision: str) -> dict[str, Any]:
    note = body(DECIDE_COMMENT)
    moderator = moderator_identity()
    if decision == "approve":
        return comments().service.approve(comment_id, moderator, note["note"])
    if decision == "reject":
        return comments().service.reject(comment_id, moderator, note["rules"], note["note"])
    raise BadRequestError("decision must be approve or reject")


@route(BLOCK_AUTHOR)
def block_author(author: str, action: str) -> dict[str, Any]:
    reason = body(BLOCK_AUTHOR)["reason"]
    moderator = moderator_identity()
    if action == "block":
        return comments().service.block(author, moderator, reason)
    if action == "unblock":
        return comments().service.unblock(author, moderator)
    raise BadRequestError("action must be block or unblock")


@route(TAKEDOWN)
def takedown() -> dict[str, Any]:
    request = body(TAKEDOWN)
    moderator = moderator_identity()
    return comments().service.takedown(
        request["authority"], request["legal_basis"], request["reference"], request["comment_ids"], moderator
    )


@logger.inject_lambda_context(clear_state=True, correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
