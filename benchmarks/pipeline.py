"""What the pipeline costs per item: AWS calls, DynamoDB items, handler time and wall time by scale.

Runs the whole pipeline on the embedded local AWS (template.yaml on moto), in this process, for
releases generated from the dev set (38 -> N: each copy gets its own NewsItemId and a numbered title,
the text is the dev release's), then posts 200 public comments (K-MHaS texts, 50 authors) and runs search queries through the HTTP API.
Every AWS call a handler makes is counted by function and operation, with the DynamoDB items it
writes and reads; handler time is split into time inside AWS calls (moto here, the network in AWS)
and our own code. Prints tables; no assertions.

    .venv/bin/python benchmarks/pipeline.py [--scales 38 380] [--json out.json]

Items: a TransactWriteItems of n items writes n; Get/BatchGet/Query read what they return.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEV_RELEASES = REPO.parent / "shared" / "data" / "releases" / "newsitems-dev.jsonl"
COMMENT_TEXTS = REPO.parent / "shared" / "data" / "moderation" / "kmhas-valid.jsonl"
COMMENTS_PER_RUN = 200
NOW = "2026-04-14T00:00+09:00"
QUERIES = [
    "고유가 피해지원금",
    "스마트도시 데이터",
    "관세청 수출",
    "외교부 장관 회담",
    "청년 일자리 지원",
    "전세사기 피해",
]

_current: ContextVar[str | None] = ContextVar("bench_function", default=None)


@dataclass
class Usage:
    invocations: int = 0
    records: int = 0
    seconds: float = 0.0  # inside the handler, wall
    aws_seconds: float = 0.0  # of which inside AWS calls
    calls: Counter[str] = field(default_factory=Counter)
    items_written: int = 0
    items_read: int = 0
    log_bytes: int = 0
    memory_mb: int = 128
    per_invocation: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # records, calls, written, read


def written(operation: str, params: dict[str, Any]) -> int:
    if operation == "TransactWriteItems":
        return len(params.get("TransactItems", []))
    if operation == "BatchWriteItem":
        return sum(len(v) for v in params.get("RequestItems", {}).values())
    return 1 if operation in ("PutItem", "UpdateItem", "DeleteItem") else 0


def read(operation: str, response: dict[str, Any]) -> int:
    if operation == "GetItem":
        return 1 if response.get("Item") else 0
    if operation == "BatchGetItem":
        return sum(len(v) for v in response.get("Responses", {}).values())
    if operation in ("Query", "Scan"):
        return int(response.get("Count", 0))
    if operation == "TransactGetItems":
        return len(response.get("Responses", []))
    return 0


_usage: defaultdict[str, Usage] = defaultdict(Usage)


class LogSink:
    """CloudWatch Logs' stand-in for the benchmark: counts the bytes each function logs."""

    def write(self, text: str) -> int:
        scope = _current.get()
        if scope is not None:
            _usage[scope].log_bytes += len(text.encode())
        return len(text)

    def flush(self) -> None:
        return None


_patched: list[bool] = []


def install_meter() -> None:
    """Wrap botocore's API call once, before the local runner's instrument wraps it in turn, so the
    runner's fault injection stays below this meter (a faulted call is counted as one call)."""
    if _patched:
        return
    import botocore.client

    original_call = botocore.client.BaseClient._make_api_call

    def call(self: Any, operation: str, params: dict[str, Any]) -> Any:
        scope = _current.get()
        if scope is None:
            return original_call(self, operation, params)
        u = _usage[scope]
        service = self.meta.service_model.service_id.replace(" ", "")
        started = time.perf_counter()
        try:
            response = original_call(self, operation, params)
        finally:
            u.aws_seconds += time.perf_counter() - started
            u.calls[f"{service}.{operation}"] += 1
        if service == "DynamoDB":
            u.items_written += written(operation, params)
            u.items_read += read(operation, response)
        return response

    botocore.client.BaseClient._make_api_call = call
    _patched.append(True)


@contextmanager
def metered(usage: dict[str, Usage]) -> Iterator[None]:
    """Count every AWS call made while a handler runs, by function, and time the handlers."""
    install_meter()
    from briefing_cli.local import http, runtime

    original_invoke = runtime.invoke
    original_logs = runtime.function_logs.stream
    runtime.function_logs.stream = LogSink()  # type: ignore[assignment]

    def invoke(spec: Any, event: dict[str, Any]) -> Any:
        route = event.get("rawPath", "") if "requestContext" in event else ""
        name = spec.logical_id + (" /search" if route == "/search" else "")
        u = _usage[name]
        u.memory_mb = spec.memory
        before = (sum(u.calls.values()), u.items_written, u.items_read)
        token = _current.set(name)
        started = time.perf_counter()
        try:
            return original_invoke(spec, event)
        finally:
            u.seconds += time.perf_counter() - started
            _current.reset(token)
            records = len(event.get("Records") or []) or 1
            u.invocations += 1
            u.records += records
            u.per_invocation.append(
                (
                    records,
                    sum(u.calls.values()) - before[0],
                    u.items_written - before[1],
                    u.items_read - before[2],
                )
            )

    _usage.clear()
    runtime.invoke, http.invoke = invoke, invoke
    try:
        yield
    finally:
        runtime.invoke, http.invoke = original_invoke, original_invoke
        runtime.function_logs.stream = original_logs
        usage.update(_usage)


def generate(n: int, target: Path) -> int:
    """n releases from the dev set: copy k of release r gets NewsItemId r+k and '(k)' in its title."""
    dev = [json.loads(line) for line in DEV_RELEASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    with target.open("w", encoding="utf-8") as out:
        for i in range(n):
            item = dict(dev[i % len(dev)])
            copy = i // len(dev)
            if copy:
                item["NewsItemId"] = f"{item['NewsItemId']}{copy:03d}"
                item["Title"] = f"{item['Title']} ({copy})"
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return n


def run_scale(n: int, tmp: Path) -> tuple[dict[str, Usage], dict[str, Any], float]:
    install_meter()  # before the runner's modules are imported
    from briefing_cli.local.pipeline import RunOptions, embedded_aws, run

    releases = tmp / f"releases-{n}.jsonl"
    generate(n, releases)
    ids = [json.loads(line)["NewsItemId"] for line in releases.read_text(encoding="utf-8").splitlines()]
    texts = [
        json.loads(line)["text"]
        for line in COMMENT_TEXTS.read_text(encoding="utf-8").splitlines()[:COMMENTS_PER_RUN]
    ]
    comments = [
        {"id": f"bench-{k}", "article_id": ids[k % len(ids)], "author": f"citizen-{k % 50}", "text": text}
        for k, text in enumerate(texts)
    ]
    usage: dict[str, Usage] = {}
    options = RunOptions(
        releases=[releases], comments=comments, queries=QUERIES, now=datetime.fromisoformat(NOW)
    )
    # the functions' own log lines go to the runner's log buffer, not to this table
    with embedded_aws(), metered(usage), redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        result = run(options)
        wall = time.perf_counter() - started
    return usage, result.report, wall


def per(x: float, n: int) -> str:
    return f"{x / n:.2f}" if n else "-"


# On-demand list prices, USD (us-east-1, 2025; Seoul is within about 20 % of these): the figures
# are for comparing designs and sizing a budget, not an invoice.
PRICE = {
    "lambda_gb_second_arm64": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    "dynamodb_wru": 0.625 / 1e6,  # a transactional write of an item <= 1 KB costs 2
    "dynamodb_rru": 0.125 / 1e6,  # an eventually consistent read of <= 4 KB costs 0.5
    "sqs_request": 0.40 / 1e6,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "sns_publish": 0.50 / 1e6,
    "http_api_request": 1.00 / 1e6,
    "logs_gb": 0.50,
}
# Moto answers in-process; in a region an SDK call takes milliseconds. Billed duration is modelled
# as our own code's measured time plus this much per AWS call.
AWS_CALL_MS = 10.0


def cost_per_item(u: Usage) -> dict[str, float]:
    """USD per record (release, comment, request) handled by one function."""
    n = max(u.records, 1)
    calls = sum(u.calls.values()) / n
    own_ms = 1000 * (u.seconds - u.aws_seconds) / n
    billed_ms = own_ms + calls * AWS_CALL_MS
    sqs = (u.calls["SQS.SendMessage"] + u.calls["SQS.SendMessageBatch"]) / n
    if u.records != u.invocations:  # an SQS consumer: the event source mapping receives and deletes
        sqs += 2 * u.invocations / n
    return {
        "lambda": u.memory_mb / 1024 * billed_ms / 1000 * PRICE["lambda_gb_second_arm64"]
        + u.invocations / n * PRICE["lambda_request"],
        "dynamodb": 2 * u.items_written / n * PRICE["dynamodb_wru"]
        + 0.5 * u.items_read / n * PRICE["dynamodb_rru"],
        "sqs": sqs * PRICE["sqs_request"],
        "s3": u.calls["S3.PutObject"] / n * PRICE["s3_put"] + u.calls["S3.GetObject"] / n * PRICE["s3_get"],
        "sns": u.calls["SNS.Publish"] / n * PRICE["sns_publish"],
        "logs": u.log_bytes / n / 1e9 * PRICE["logs_gb"],
        "billed_ms": billed_ms,
    }


def print_costs(usage: dict[str, Usage]) -> dict[str, dict[str, float]]:
    groups = {
        "1,000 releases (ingest + index)": (1_000, ["IngestReleaseFunction", "IndexArticleFunction"], 0),
        "100,000 comments (API POST + moderation)": (100_000, ["ApiFunction", "ModerateCommentFunction"], 1),
        "1,000,000 searches": (1_000_000, ["ApiFunction /search"], 1),
    }
    print(
        f"\ncost at on-demand prices (USD; {AWS_CALL_MS:.0f} ms per AWS call added to our measured code time)"
    )
    print(
        f"{'':<42} {'Lambda':>8} {'DynamoDB':>9} {'SQS':>7} {'S3':>7} {'SNS':>6} {'Logs':>7} {'API GW':>7} {'total':>8}"
    )
    out = {}
    for label, (count, names, api_requests) in groups.items():
        parts: defaultdict[str, float] = defaultdict(float)
        for name in names:
            if name in usage:
                for k, v in cost_per_item(usage[name]).items():
                    if k != "billed_ms":
                        parts[k] += v * count
        parts["api"] = api_requests * count * PRICE["http_api_request"]
        total = sum(parts.values())
        out[label] = {**parts, "total": total}
        print(
            f"{label:<42} {parts['lambda']:>8.3f} {parts['dynamodb']:>9.3f} {parts['sqs']:>7.3f} {parts['s3']:>7.3f} "
            f"{parts['sns']:>6.3f} {parts['logs']:>7.3f} {parts['api']:>7.3f} {total:>8.3f}"
        )
    return out


def print_scale(n: int, usage: dict[str, Usage], report: dict[str, Any], wall: float) -> dict[str, Any]:
    accepted = report["releases"]["accepted"]
    comments = len(report.get("comments", []))
    print(
        f"\n== {n} releases: {accepted} accepted, {comments} comments, {len(QUERIES)} queries; wall {wall:.1f} s"
    )
    print(f"{'function':<30} {'inv':>5} {'items':>6} {'calls/item':>10} {'written/item':>12} {'read/item':>9} "
          f"{'ms/item':>8} {'of which AWS':>12}")  # fmt: skip
    rows = {}
    for name, u in sorted(usage.items()):
        items = u.records
        print(
            f"{name:<30} {u.invocations:>5} {items:>6} {per(sum(u.calls.values()), items):>10} "
            f"{per(u.items_written, items):>12} {per(u.items_read, items):>9} "
            f"{1000 * u.seconds / max(items, 1):>8.1f} {1000 * u.aws_seconds / max(items, 1):>12.1f}"
        )
        rows[name] = {
            "invocations": u.invocations,
            "records": items,
            "calls": dict(u.calls),
            "items_written": u.items_written,
            "items_read": u.items_read,
            "seconds": round(u.seconds, 3),
            "aws_seconds": round(u.aws_seconds, 3),
            "log_bytes": u.log_bytes,
            "billed_ms_per_item": round(cost_per_item(u)["billed_ms"], 1),
        }
    search = usage.get("ApiFunction /search")
    if search and search.per_invocation:
        reads = [r[3] for r in search.per_invocation]
        calls = [r[1] for r in search.per_invocation]
        print(f"search: items read per query median {statistics.median(reads):.0f} max {max(reads)}; "
              f"calls median {statistics.median(calls):.0f} max {max(calls)}")  # fmt: skip
    index = usage.get("IndexArticleFunction")
    if index and index.per_invocation:
        per_article = [w / r for r, _, w, _ in index.per_invocation if r]
        print(f"index: items written per article, by batch: median {statistics.median(per_article):.0f} "
              f"max {max(per_article):.0f}")  # fmt: skip
    costs = print_costs(usage)
    return {
        "releases": n,
        "accepted": accepted,
        "comments": comments,
        "wall_seconds": round(wall, 2),
        "functions": rows,
        "costs": costs,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[38, 380])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tools"))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.scales:
            usage, report, wall = run_scale(n, Path(tmp))
            results.append(print_scale(n, usage, report, wall))
    print("\nwall time by scale (the whole local pipeline: deploy, ingest, index, comments, queries)")
    base = results[0]
    for r in results:
        growth = (r["wall_seconds"] / base["wall_seconds"]) / (r["releases"] / base["releases"])
        print(f"  {r['releases']:>6} releases: {r['wall_seconds']:>8.1f} s  "
              f"{1000 * r['wall_seconds'] / r['releases']:>7.0f} ms/release  (per-release cost x{growth:.2f} of the smallest)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
