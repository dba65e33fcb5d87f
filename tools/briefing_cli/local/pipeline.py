"""`briefing local run`: the whole pipeline on the embedded stack, and its report."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3

from briefing import clock
from briefing.releases.embargo import KST
from briefing.storage.aws import reset_clients
from briefing.storage.codec import all_items
from briefing_cli.client import Submission, describe_problems, read_submissions, submit
from briefing_cli.local.http import LocalHttpApi
from briefing_cli.local.instrument import Instrument, instrumented
from briefing_cli.local.runtime import DrainReport, Poller, dead_letter_counts, load
from briefing_cli.local.stack import LocalStack, apply_local_environment, deploy, load_template


@contextmanager
def embedded_aws() -> Iterator[None]:
    """A fresh moto world for one run (in-process: no server, no Docker, no network)."""
    apply_local_environment()
    from moto import mock_aws

    from briefing_cli.local import moto_patches

    moto_patches.apply()
    with mock_aws(config={"lambda": {"use_docker": False}}):
        reset_clients()
        try:
            yield
        finally:
            reset_clients()
            moto_patches.revert()


@contextmanager
def simulated_clock(now: datetime | None, stack: LocalStack | None = None) -> Iterator[None]:
    """The read side asks `briefing.clock.now()`; a run with --now answers for it, in the
    runner's copy of the core and in every function's own copy."""
    if now is None:
        yield
        return
    clocks: list[Any] = [clock]
    if stack is not None:
        for spec in stack.functions.values():
            load(spec)
            if "briefing.clock" in spec.core_modules:
                clocks.append(spec.core_modules["briefing.clock"])
    originals = [c.now for c in clocks]
    for c in clocks:
        c.now = lambda: now
    try:
        yield
    finally:
        for c, original in zip(clocks, originals, strict=True):
            c.now = original


@dataclass
class RunOptions:
    releases: list[Path] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    now: datetime | None = None
    chaos: float = 0.0
    seed: int = 0
    crash_rate: float = 0.0  # of handlers' AWS calls, those after which the process dies
    max_rounds: int = 10_000
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass
class RunResult:
    report: dict[str, Any]
    stack: LocalStack
    drain: DrainReport
    invalid: list[Submission]
    seconds: float


def run(options: RunOptions) -> RunResult:
    """Deploy, submit as an agency would, drain every queue, and describe the end state.
    Must be called inside `embedded_aws()`."""
    started = time.perf_counter()
    stack = deploy(options.parameters)
    sqs = boto3.client("sqs")
    submissions = [s for path in options.releases for s in read_submissions(path)]
    summary = submit(
        sqs,
        stack.outputs["IngestQueueUrl"],
        submissions,
        s3=boto3.client("s3"),
        payload_bucket=stack.outputs["PayloadBucketName"],
    )
    instrument = Instrument(options.chaos, options.seed, crash_rate=options.crash_rate)
    with instrumented(instrument):
        drain = Poller(stack).drain(options.max_rounds)
    now = options.now or datetime.now(KST)
    report = build_report(stack, now, summary.invalid, summary.sent, drain, instrument)
    api = LocalHttpApi(stack, load_template())
    with simulated_clock(options.now, stack):
        posted = post_comments(api, options.comments)
    if posted:
        with instrumented(instrument):
            more = Poller(stack).drain(options.max_rounds)
        report["comments"] = comment_outcomes(stack, posted)
        report["drain"]["records"] += more.records
        report["drain"]["failed_records"] += more.failed_records
        report["drain"]["handler_crashes"] += more.handler_crashes
        report["drain"]["process_crashes"] += more.process_crashes
        report["drain"]["bounded"] = report["drain"]["bounded"] or more.bounded
        report["aws_calls"] = instrument.log.as_report()
        report["faults_injected"] = instrument.log.faults_injected
        report["dead_letter_queues"] = dead_letter_counts(stack)
    with simulated_clock(options.now, stack):
        for query in options.queries:
            response = api.request("GET", "/search", {"q": query, "limit": "10"})
            hits = (response.json() or {}).get("items", []) if response.status == 200 else []
            report["queries"].append(
                {"q": query, "status": response.status, "results": [h["id"] for h in hits]}
            )
    return RunResult(report, stack, drain, summary.invalid, time.perf_counter() - started)


def post_comments(api: LocalHttpApi, comments: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
    """POST each comment as its author would (a JWT with the author as subject)."""
    posted = []
    for comment in comments:
        claims = {"sub": str(comment.get("author") or "anonymous")}
        if comment.get("display_name"):
            claims["name"] = str(comment["display_name"])
        response = api.request(
            "POST",
            f"/articles/{comment['article_id']}/comments",
            body={"text": comment["text"]},
            jwt_claims=claims,
        )
        posted.append((comment, response))
    return posted


def comment_outcomes(stack: LocalStack, posted: list[tuple[dict[str, Any], Any]]) -> list[dict[str, Any]]:
    from briefing.comments.store import CommentStore

    store = CommentStore(stack.outputs["CommentsTableName"])
    outcomes = []
    for comment, response in posted:
        entry: dict[str, Any] = {"id": comment.get("id"), "article_id": comment["article_id"]}
        if response.status != 202:
            entry.update(
                action="refused", status=response.status, detail=(response.json() or {}).get("detail")
            )
        else:
            stored = store.get(response.json()["id"]) or {}
            decision = stored.get("decision") or {}
            entry.update(
                comment_id=stored.get("id"),
                action=decision.get("action", "pending"),
                rules=decision.get("rules", []),
                evidence=decision.get("evidence", []),
                message=decision.get("message"),
            )
        outcomes.append(entry)
    return outcomes


def scan_table(table: str) -> list[dict[str, Any]]:
    """Every item of a table, decoded (consistent reads: the end state, not a replica's view)."""
    return all_items(boto3.client("dynamodb"), "scan", TableName=table, ConsistentRead=True)


def article_status(head: dict[str, Any], now: datetime) -> str:
    if head.get("status") == "withdrawn":
        return "withdrawn"
    publish_at = head.get("publish_at")
    return "embargoed" if publish_at and datetime.fromisoformat(publish_at) > now else "published"


def build_report(
    stack: LocalStack,
    now: datetime,
    invalid: list[Submission],
    sent: list[Submission],
    drain: DrainReport,
    instrument: Instrument,
) -> dict[str, Any]:
    items = scan_table(stack.outputs["ArticlesTableName"])
    heads = sorted(
        (i for i in items if i["sk"] == "HEAD"), key=lambda i: (i.get("publish_at") or "", i["pk"])
    )
    rejections = sorted((i for i in items if i["pk"].startswith("REJ#")), key=lambda i: i["sk"])
    rejected = [
        {"ref": s.ref or s.source, "reason": describe_problems(s), "stage": "client"} for s in invalid
    ]
    rejected += [
        {"ref": r["ref"], "reason": r["reason"], "message": r["message"], "stage": "ingest"}
        for r in rejections
    ]
    versions = [i for i in items if i["sk"].startswith("V#")]
    return {
        "releases": {
            "submitted": len(sent) + len(invalid),
            "accepted": len(versions),
            "rejected": rejected,
            "dead_lettered": sum(dead_letter_counts(stack).values()),
        },
        "articles": [
            {
                "id": h["article_id"],
                "agency": h["agency"],
                "title": h["title"],
                "version": h["version"],
                "status": article_status(h, now),
                "publish_at": h.get("publish_at"),
            }
            for h in reversed(heads)
        ],
        "comments": [],
        "queries": [],
        "aws_calls": instrument.log.as_report(),
        "faults_injected": instrument.log.faults_injected,
        "dead_letter_queues": dead_letter_counts(stack),
        "drain": {
            "invocations": drain.invocations,
            "records": drain.records,
            "failed_records": drain.failed_records,
            "handler_crashes": drain.handler_crashes,
            "process_crashes": drain.process_crashes,
            "bounded": drain.bounded,
        },
        "now": now.isoformat(),
    }
