"""ApiFunction: the public read API (and comment posting) behind an API Gateway HTTP API.

Routes are declared here with Powertools' resolver, which validates parameters and generates
the OpenAPI document (`briefing openapi`). Errors are RFC 9457 problem documents.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as RouteNotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from briefing import clock
from briefing.comments.api import CommentsApi, ConflictError
from briefing.comments.store import CommentStore
from briefing.index.reader import BadRequestError, NotFoundError, ReadService
from briefing.index.store import CursorError, IndexStore
from briefing.observability import logger, metrics, tracer
from briefing.settings import ApiSettings
from briefing.storage.articles import ArticleStore
from briefing.storage.queues import QueuePublisher

PROBLEM = "application/problem+json"

app = APIGatewayHttpResolver(
    enable_validation=True,
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


@app.exception_handler(RequestValidationError)
def _invalid(exc: RequestValidationError) -> Response[str]:
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
        for e in exc.errors()
    ]
    return problem(
        422, "Invalid request", "; ".join(f"{e['where']}: {e['problem']}" for e in errors), errors=errors
    )


@app.exception_handler(RecursionError)
def _too_deep(exc: RecursionError) -> Response[str]:
    # json.loads gives up on bodies like [[[[…]]]] nested thousands deep: the request's fault.
    return problem(400, "Bad Request", "the request body is nested too deeply")


@app.exception_handler(Exception)
def _unexpected(exc: Exception) -> Response[str]:
    logger.exception("unhandled error")
    return problem(500, "Internal Server Error", "something went wrong on our side; please try again")


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


@app.get("/articles", summary="Latest articles, newest first (optionally one agency or kind, a date range)")
def list_articles(
    agency: Annotated[str | None, Query(max_length=60)] = None,
    kind: Annotated[
        str | None, Query(pattern="^(press|joint|reference|explanation|schedule|notice)$")
    ] = None,
    since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=600)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> dict[str, Any]:
    end = _day(until, "to")
    if end is not None and until is not None and len(until) <= 10:
        end = end.replace(hour=23, minute=59, second=59)
    return reader().list_articles(
        clock.now(),
        agency=agency,
        kind=kind,
        since=_day(since, "from"),
        until=end,
        cursor=cursor,
        limit=limit,
    )


@app.get("/articles/popular", summary="Most viewed articles of the last 30 days")
def popular(limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    return reader().popular(clock.now(), limit=limit)


@app.get(
    "/articles/<article_id>", summary="One article with previous/next and related articles (counts a view)"
)
def get_article(
    article_id: str,
    list_name: Annotated[str, Query(alias="list", pattern="^(all|agency|kind)$")] = "all",
) -> dict[str, Any]:
    return reader().get_article(checked_article_id(article_id), clock.now(), list_name)


def checked_article_id(article_id: str) -> str:
    """Every route that names an article: ids become table keys, so they are bounded here."""
    if not article_id.replace("-", "").replace("_", "").replace(".", "").isalnum() or len(article_id) > 64:
        raise BadRequestError("article id must be 1-64 letters, digits, '.', '_' or '-'")
    return article_id


@app.get("/search", summary="Korean full-text search, ranked, with highlighted snippets")
def search(
    q: Annotated[str, Query(min_length=1, max_length=200)],
    page: Annotated[int, Query(ge=1, le=20)] = 1,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    return reader().search(q, clock.now(), page=page, limit=limit)


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


class CommentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, max_length=2000, description="The comment, 1-1000 characters after trimming"
    )


def author_identity() -> tuple[str, str | None]:
    """The portal's login issues a JWT; API Gateway's JWT authoriser validates it and passes its
    claims: `sub` is the author id, `name` (optional) the display name. No claims, no comment."""
    context = app.current_event.raw_event.get("requestContext") or {}
    claims = ((context.get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    subject = claims.get("sub")
    if not subject:
        raise UnauthorisedError("sign in to comment: anonymous comments are not accepted")
    subject = str(subject)
    # The author id becomes a table key: bound it and keep it printable, whoever issued the token.
    if len(subject) > MAX_SUBJECT or not subject.isprintable() or not _encodable(subject):
        raise UnauthorisedError("the sign-in token's subject is not a valid account id")
    name = claims.get("name")
    return subject, name if isinstance(name, str) and _encodable(name) else None


MAX_SUBJECT = 255


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def moderator_identity() -> str:
    """Moderator routes are IAM-authorised by API Gateway; the caller's ARN is the moderator."""
    iam = ((app.current_event.raw_event.get("requestContext") or {}).get("authorizer") or {}).get("iam") or {}
    arn = iam.get("userArn")
    if not arn:
        raise ForbiddenError("moderator routes need an IAM-signed request")
    return str(arn)


@app.get("/articles/<article_id>/comments", summary="Published comments of an article, oldest first")
def list_comments(
    article_id: str,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> dict[str, Any]:
    return comments().list_published(checked_article_id(article_id), clock.now(), cursor, limit)


@app.post("/articles/<article_id>/comments", summary="Post a comment (JWT); moderated before it is shown")
def post_comment(article_id: str, body: CommentBody) -> Response[str]:
    author, display_name = author_identity()
    accepted = comments().submit(checked_article_id(article_id), author, display_name, body.text, clock.now())
    return Response(
        status_code=202, content_type="application/json", body=json.dumps(accepted, ensure_ascii=False)
    )


@app.get("/moderation/queue", summary="Comments held for review, oldest first (IAM)")
def review_queue(
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> dict[str, Any]:
    moderator_identity()
    return comments().review_queue(cursor, limit)


class ModeratorNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=1000)
    rules: list[int] = Field(default_factory=list, max_length=13)


@app.post("/moderation/comments/<comment_id>/<decision>", summary="Approve or reject a comment (IAM)")
def decide_comment(comment_id: str, decision: str, body: ModeratorNote) -> dict[str, Any]:
    moderator = moderator_identity()
    if decision == "approve":
        return comments().service.approve(comment_id, moderator, body.note)
    if decision == "reject":
        return comments().service.reject(comment_id, moderator, body.rules, body.note)
    raise BadRequestError("decision must be approve or reject")


class BlockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=1000)


@app.post("/moderation/authors/<author>/<action>", summary="Block or unblock an author (IAM)")
def block_author(author: str, action: str, body: BlockBody) -> dict[str, Any]:
    moderator = moderator_identity()
    if action == "block":
        return comments().service.block(author, moderator, body.reason)
    if action == "unblock":
        return comments().service.unblock(author, moderator)
    raise BadRequestError("action must be block or unblock")


class TakedownBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    authority: str = Field(min_length=2, max_length=200)
    legal_basis: str = Field(min_length=2, max_length=500)
    reference: str = Field(min_length=1, max_length=200)
    comment_ids: list[str] = Field(min_length=1, max_length=500)


@app.post(
    "/moderation/takedowns",
    summary="Record an authority's takedown request (R13) and hide the comments (IAM)",
)
def takedown(body: TakedownBody) -> dict[str, Any]:
    moderator = moderator_identity()
    return comments().service.takedown(
        body.authority, body.legal_basis, body.reference, body.comment_ids, moderator
    )


@logger.inject_lambda_context(clear_state=True, correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
