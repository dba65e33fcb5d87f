"""The agency client: read release files, validate them locally, send them to the ingest queue.

Validation runs the same parser the ingest function runs, so an agency learns of a bad release
before sending it, in the same words. Only valid releases are sent, in batches of ten.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.releases.parse import ParsedRelease, Rejection, parse_payload

SQS_BATCH = 10
RETRYABLE_SEND_ERRORS = {"ThrottlingException", "RequestThrottled", "ServiceUnavailable", "InternalError"}


@dataclass(frozen=True)
class Submission:
    """One message to send: a release as the agency wrote it, with where it came from."""

    source: str  # file name and line
    body: str
    ref: str = "?"
    problems: tuple[Rejection, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class SubmitSummary:
    sent: list[Submission] = field(default_factory=list)
    invalid: list[Submission] = field(default_factory=list)
    failed: list[tuple[Submission, str]] = field(default_factory=list)


def read_submissions(path: Path) -> Iterator[Submission]:
    """Files, directories (sorted), JSON lines, single JSON objects and NewsItem XML documents."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        text = file.read_text(encoding="utf-8-sig")
        if file.suffix == ".xml" or text.lstrip().startswith("<"):
            yield _checked(f"{file.name}", text)
        elif file.suffix == ".jsonl":
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    yield _checked(f"{file.name}:{number}", line)
        elif file.suffix == ".json":
            yield _checked(file.name, text)


def _checked(source: str, body: str) -> Submission:
    results = parse_payload(body)
    problems = tuple(r for r in results if isinstance(r, Rejection))
    refs = [r.release.ref for r in results if isinstance(r, ParsedRelease)] or [p.ref for p in problems]
    return Submission(source=source, body=body, ref=", ".join(refs), problems=problems)


def send_batch(
    sqs: Any, queue_url: str, batch: list[Submission], attempts: int = 5
) -> list[tuple[Submission, str]]:
    """SendMessageBatch with backoff for throttled entries; returns what could not be sent."""
    pending = dict(enumerate(batch))
    for attempt in range(attempts):
        answer = sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {
                    "Id": str(i),
                    "MessageBody": s.body,
                    "MessageAttributes": {
                        "briefing-source": {"DataType": "String", "StringValue": s.source[:256]},
                    },
                }
                for i, s in pending.items()
            ],
        )
        retry = {}
        failed = []
        for failure in answer.get("Failed", []):
            entry = pending[int(failure["Id"])]
            if failure.get("SenderFault") and failure.get("Code") not in RETRYABLE_SEND_ERRORS:
                failed.append((entry, f"{failure.get('Code')}: {failure.get('Message')}"))
            else:
                retry[int(failure["Id"])] = entry
        if not retry:
            return failed
        pending = retry
        time.sleep(min(2.0, 0.1 * 2**attempt))
    return failed + [(s, "still throttled after retries") for s in pending.values()]


def submit(sqs: Any, queue_url: str, submissions: list[Submission]) -> SubmitSummary:
    summary = SubmitSummary()
    batch: list[Submission] = []
    for submission in submissions:
        if not submission.valid:
            summary.invalid.append(submission)
            continue
        batch.append(submission)
        if len(batch) == SQS_BATCH:
            summary.failed.extend(send_batch(sqs, queue_url, batch))
            summary.sent.extend(s for s in batch if s not in {f[0] for f in summary.failed})
            batch = []
    if batch:
        summary.failed.extend(send_batch(sqs, queue_url, batch))
        summary.sent.extend(s for s in batch if s not in {f[0] for f in summary.failed})
    return summary


def describe_problems(submission: Submission) -> str:
    return "; ".join(f"{p.reason}: {p.message}" for p in submission.problems)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
