"""Every sample event in events/ runs through its handler on the stack deployed from template.yaml
(holding the bundled sample releases, as `briefing invoke` sets it up), and does what it says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.comments.store import CommentStore
from briefing_cli.local.pipeline import embedded_aws
from briefing_cli.local.runtime import invoke
from briefing_cli.local.stack import LocalStack, load_template
from briefing_cli.main import sample_stack

EVENTS = Path(__file__).resolve().parents[2] / "events"
SAMPLE_EVENTS = sorted(EVENTS.glob("*/*.json"))

# what each HTTP API sample answers on the sample stack
API_STATUS = {
    "list-articles.json": 200,
    "get-article.json": 200,
    "search.json": 200,
    "popular.json": 200,
    "post-comment.json": 202,
    "post-comment-anonymous.json": 401,  # behind the JWT authoriser on AWS; refused here too
    "own-comment.json": 404,  # nobody's comment: the same answer as someone else's
    "moderation-queue.json": 200,
}


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with embedded_aws():
        yield sample_stack()


def test_every_function_of_the_template_has_sample_events() -> None:
    functions = {
        name
        for name, resource in load_template()["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert functions == {path.parent.name for path in SAMPLE_EVENTS}
    assert {p.name for p in (EVENTS / "ApiFunction").glob("*.json")} == set(API_STATUS)


@pytest.mark.parametrize("path", SAMPLE_EVENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_sample_event_runs_through_its_handler(stack: LocalStack, path: Path) -> None:
    event = json.loads(path.read_text(encoding="utf-8"))
    result: dict[str, Any] = invoke(stack.functions[path.parent.name], event)
    if "Records" in event:  # queue consumers: every record handled (or rejected in words), none retried
        assert result == {"batchItemFailures": []}
        return
    assert result["statusCode"] == API_STATUS[path.name], result.get("body")
    body = json.loads(result["body"])
    if path.name in ("list-articles.json", "search.json"):
        assert body["items"], "the sample stack's articles answer the sample queries"


def test_sample_comments_are_decided_with_their_rules(stack: LocalStack) -> None:
    event = json.loads((EVENTS / "ModerateCommentFunction" / "comments.json").read_text(encoding="utf-8"))
    invoke(stack.functions["ModerateCommentFunction"], event)  # a redelivery: decided once, acknowledged
    store = CommentStore(stack.outputs["CommentsTableName"])
    decided = {c: store.get(c) for c in ("sample-comment-1", "sample-comment-2", "sample-comment-3")}
    assert {c: (d["status"], d["decision"]["rules"]) for c, d in decided.items() if d} == {
        "sample-comment-1": ("published", []),
        "sample-comment-2": ("rejected", [1]),
        "sample-comment-3": ("rejected", [4]),
    }
