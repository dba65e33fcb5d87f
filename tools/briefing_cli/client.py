"""The agency client: read release files, validate them locally, send them to the ingest queue.

Validation runs the same parser the ingest function runs, so an agency learns of a bad release
before sending it, in the same words; only valid releases are sent. Messages go out in batches
(at most ten, and at most one SQS message size per request) with backoff on throttling. A body
too large for SQS is stored in the payload bucket and replaced by a pointer in the format of
AWS's SQS Extended Client libraries (a claim check), which the ingest function resolves.

A state file makes backfills resumable and idempotent: it records, per queue, every release sent
(release key → content fingerprint), so a re-run sends nothing twice, and a changed release with
an unchanged version is caught here as the ingest function would reject it (version-conflict).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from xml.etree.ElementTree import tostring

import defusedxml.ElementTree as SafeET
from botocore.exceptions import BotoCoreError, ClientError

from briefing.releases.parse import ParsedRelease, Rejection, parse_payload
from briefing.settings import DEFAULT_MAX_BODY_BYTES
from briefing.storage.articles import content_hash

SQS_BATCH = 10
# What one SQS message (and one SendMessageBatch request) may carry: the queue's MaximumMessageSize.
SQS_MAX_BYTES = 262_144
# Bodies (plus attributes) above this go to the payload bucket; a margin below SQS_MAX_BYTES.
DEFAULT_THRESHOLD = 250 * 1024
# The format of AWS's SQS Extended Client libraries (Java amazon-sqs-java-extended-client-lib 2.x,
# Python amazon-sqs-extended-client): see docs/agencies.md for the sources.
S3_POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer"
EXTENDED_SIZE_ATTRIBUTE = "ExtendedPayloadSize"
CLAIM_CHECK_PREFIX = "claim-checks/"
# The normalised-body limit of IngestService (bodies are stored compressed, about 3:1).
MAX_NORMALISED_BODY = DEFAULT_MAX_BODY_BYTES * 3

# Throttling and transient codes, as botocore's standard retry mode knows them, plus SQS/KMS ones.
RETRYABLE_SEND_ERRORS = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "LimitExceededException",
    "SlowDown",
    "AWS.SimpleQueueService.RequestThrottled",
    "KMS.ThrottlingException",
    "KmsThrottled",
    "ServiceUnavailable",
    "InternalError",
    "InternalFailure",
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
}
STATE_FILE_NAME = ".briefing-submit-state.json"
STATE_FORMAT = "briefing-submit-state/1"


@dataclass(frozen=True)
class Submission:
    """One message to send: a release (or an envelope of them) as written, and where it came from."""

    source: str  # file name and line / item
    body: str
    ref: str = "?"
    problems: tuple[Rejection, ...] = ()
    # (release key, content fingerprint) of every release the body carries, when valid
    releases: tuple[tuple[str, str], ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def size(self) -> int:
        return len(self.body.encode("utf-8"))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()


@dataclass
class SubmitSummary:
    sent: list[Submission] = field(default_factory=list)
    invalid: list[Submission] = field(default_factory=list)
    failed: list[tuple[Submission, str]] = field(default_factory=list)
    skipped: list[Submission] = field(default_factory=list)  # sent before (state file)
    claim_checks: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.invalid and not self.failed

    def line(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        return (
            f"{verb} {len(self.sent)} ({self.claim_checks} as claim checks), "
            f"already sent {len(self.skipped)}, invalid {len(self.invalid)}, failed {len(self.failed)}"
        )


# ---------------------------------------------------------------------------------------------
# Reading and local validation


def read_submissions(path: Path, threshold: int = DEFAULT_THRESHOLD) -> Iterator[Submission]:
    """Files, directories (sorted; hidden files skipped), JSON lines, JSON objects or arrays of
    them, and NewsItem XML. An XML envelope that is too big for one message, or holds an invalid
    item, is split per NewsItem so that every valid item can still be sent."""
    files = (
        sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        if path.is_dir()
        else [path]
    )
    for file in files:
        text = file.read_text(encoding="utf-8-sig")
        if file.suffix == ".xml" or text.lstrip().startswith("<"):
            yield from _xml_submissions(file.name, text, threshold)
        elif file.suffix == ".jsonl":
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    yield _checked(f"{file.name}:{number}", line)
        elif file.suffix == ".json":
            yield from _json_submissions(file.name, text)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _json_submissions(name: str, text: str) -> Iterator[Submission]:
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, list):  # an array of releases: one message each
        for number, item in enumerate(data, start=1):
            yield _checked(f"{name}[{number}]", json.dumps(item, ensure_ascii=False))
    else:
        yield _checked(name, text)


def _xml_submissions(name: str, text: str, threshold: int) -> Iterator[Submission]:
    whole = _checked(name, text)
    if whole.valid and len(text.encode("utf-8")) <= threshold:
        yield whole
        return
    try:
        root = SafeET.fromstring(text)
    except Exception:  # not well-formed or forbidden constructs: the whole file is reported
        yield whole
        return
    if root.findtext("./header/resultCode") not in (None, "", "0", "00"):
        yield whole
        return
    items = [root] if root.tag == "NewsItem" else root.findall(".//NewsItem")
    if len(items) <= 1:
        yield whole
        return
    for number, item in enumerate(items, start=1):
        yield _checked(f"{name}#{number}", tostring(item, encoding="unicode"))


def _checked(source: str, body: str) -> Submission:
    results = parse_payload(body)
    problems = [r for r in results if isinstance(r, Rejection)]
    parsed = [r for r in results if isinstance(r, ParsedRelease)]
    for item in parsed:  # the ingest function's size limit, checked before sending
        release = item.release
        size = len(release.body_html.encode()) + len(release.body_text.encode())
        if size > MAX_NORMALISED_BODY:
            problems.append(
                Rejection(
                    "too-large",
                    f"the normalised body is {size} bytes; the limit is {MAX_NORMALISED_BODY}. "
                    "Move annexes to attachments.",
                    release.agency,
                    release.release_id,
                    release.version,
                )
            )
    refs = [r.release.ref for r in parsed] or [p.ref for p in problems]
    return Submission(
        source=source,
        body=body,
        ref=", ".join(refs),
        problems=tuple(problems),
        releases=tuple((r.release.ref, content_hash(r.release)) for r in parsed),
    )


def describe_problems(submission: Submission) -> str:
    return "; ".join(f"{p.reason}: {p.message}" for p in submission.problems)


# ---------------------------------------------------------------------------------------------
# The state file


class SubmitState:
    """What was sent, per queue: {release key: {sha256, message_id, sent_at, source}}.

    Saved atomically after every batch, so an interrupted backfill resumes where it stopped and
    at worst re-sends one batch (harmless: ingestion is idempotent)."""

    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.data: dict[str, Any] = data or {"format": STATE_FORMAT, "queues": {}}

    @classmethod
    def load(cls, path: Path) -> SubmitState:
        if not path.exists():
            return cls(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ValueError(f"{path} is not a briefing submit state file ({STATE_FORMAT})")
        return cls(path, data)

    def sent(self, queue_url: str) -> dict[str, dict[str, Any]]:
        queues: dict[str, dict[str, Any]] = self.data.setdefault("queues", {})
        releases: dict[str, dict[str, Any]] = queues.setdefault(queue_url, {}).setdefault("releases", {})
        return releases

    def check(self, queue_url: str, submission: Submission) -> tuple[str, str]:
        """('new' | 'sent' | 'conflict', detail)."""
        sent = self.sent(queue_url)
        known = [(key, sha, sent.get(key)) for key, sha in submission.releases]
        changed = [key for key, sha, entry in known if entry is not None and entry["sha256"] != sha]
        if changed:
            return "conflict", ", ".join(changed)
        if known and all(entry is not None for _, _, entry in known):
            return "sent", ""
        return "new", ""

    def record(self, queue_url: str, submission: Submission, message_id: str) -> None:
        when = datetime.now(UTC).isoformat(timespec="seconds")
        for key, sha in submission.releases:
            self.sent(queue_url)[key] = {
                "sha256": sha,
                "message_id": message_id,
                "sent_at": when,
                "source": submission.source,
            }

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(self.data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)


def default_state_path(paths: list[Path]) -> Path:
    """`.briefing-submit-state.json` in the (first) input folder, or beside the (first) input file."""
    first = paths[0]
    return (first if first.is_dir() else first.parent) / STATE_FILE_NAME


# ---------------------------------------------------------------------------------------------
# Progress on stderr


class Progress:
    """About twenty lines for a whole backfill (or one live line on a terminal), ending with the totals."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.step = max(10, total // 20)
        self.started = time.monotonic()
        self._bucket = 0
        self._printed = ""

    def update(self, done: int, summary: SubmitSummary, force: bool = False) -> None:
        if not self.enabled:
            return
        bucket = done // self.step
        if not (self.live or force or bucket != self._bucket):
            return
        self._bucket = bucket
        rate = done / max(time.monotonic() - self.started, 1e-6)
        text = (
            f"[{done}/{self.total}] sent {len(summary.sent)}, already sent {len(summary.skipped)}, "
            f"invalid {len(summary.invalid)}, failed {len(summary.failed)}"
        )
        if text == self._printed:
            return
        self._printed = text
        line = f"{text} ({rate:.0f}/s)"
        self.stream.write(("\r" + line + ("\n" if force else "")) if self.live else line + "\n")
        self.stream.flush()


# ---------------------------------------------------------------------------------------------
# Sending


@dataclass
class Outgoing:
    submission: Submission
    body: str
    attributes: dict[str, dict[str, str]]
    claim_check: str | None = None

    @property
    def size(self) -> int:
        return len(self.body.encode("utf-8")) + attributes_size(self.attributes)


def attributes_size(attributes: dict[str, dict[str, str]]) -> int:
    """As SQS (and the Extended Client) count them: name, data type and value bytes."""
    return sum(
        len(name.encode()) + len(value["DataType"].encode()) + len(value.get("StringValue", "").encode())
        for name, value in attributes.items()
    )


def message_attributes(submission: Submission) -> dict[str, dict[str, str]]:
    """Metadata an operator or consumer can read without parsing the body (never trusted for auth)."""
    agencies = sorted({key.split("/", 1)[0] for key, _ in submission.releases})
    attributes = {
        "briefing-source": {"DataType": "String", "StringValue": submission.source[:256] or "-"},
        "briefing-releases": {"DataType": "String", "StringValue": submission.ref[:1024] or "-"},
        "content-sha256": {"DataType": "String", "StringValue": submission.sha256},
    }
    if len(agencies) == 1:
        attributes["agency"] = {"DataType": "String", "StringValue": agencies[0]}
    return attributes


def claim_check_key(submission: Submission) -> str:
    """Content-addressed, so a retried upload writes the same object (and the same pointer)."""
    extension = "xml" if submission.body.lstrip().startswith("<") else "json"
    return f"{CLAIM_CHECK_PREFIX}{submission.sha256}.{extension}"


def pointer_body(bucket: str, key: str) -> str:
    """`["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":…,"s3Key":…}]`."""
    return json.dumps([S3_POINTER_CLASS, {"s3BucketName": bucket, "s3Key": key}], separators=(",", ":"))


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, ClientError):
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        return _error_code(exc) in RETRYABLE_SEND_ERRORS or status == 429 or status >= 500
    return isinstance(exc, BotoCoreError)  # connection resets, timeouts


class Sender:
    """Sends prepared submissions; claim-checks large ones; retries throttling with jittered backoff."""

    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        *,
        s3: Any | None = None,
        payload_bucket: str | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        attempts: int = 8,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not 1024 <= threshold <= SQS_MAX_BYTES:
            raise ValueError(f"the claim-check threshold must be between 1024 and {SQS_MAX_BYTES} bytes")
        self.sqs = sqs
        self.queue_url = queue_url
        self.s3 = s3
        self.payload_bucket = payload_bucket
        self.threshold = threshold
        self.attempts = attempts
        self.sleep = sleep
        self.random = rng or random.Random()
        self.backoff_seconds = 0.0

    def backoff(self, attempt: int) -> None:
        """Full jitter: a random wait up to 0.2 s × 2^attempt, at most 20 s."""
        seconds = self.random.uniform(0, min(20.0, 0.2 * 2**attempt))
        self.backoff_seconds += seconds
        self.sleep(seconds)

    def prepare(self, submission: Submission, dry_run: bool = False) -> Outgoing | str:
        """The message to send, or why it cannot be sent."""
        attributes = message_attributes(submission)
        outgoing = Outgoing(submission, submission.body, attributes)
        if outgoing.size <= self.threshold:
            return outgoing
        if not self.payload_bucket:
            return (
                f"the message is {outgoing.size} bytes, over the {self.threshold}-byte limit, and no "
                "payload bucket is known for a claim check (--payload-bucket or the stack output "
                "PayloadBucketName)"
            )
        key = claim_check_key(submission)
        if not dry_run:
            error = self._put_payload(key, submission)
            if error:
                return error
        attributes[EXTENDED_SIZE_ATTRIBUTE] = {"DataType": "Number", "StringValue": str(submission.size)}
        return Outgoing(submission, pointer_body(self.payload_bucket, key), attributes, claim_check=key)

    def _put_payload(self, key: str, submission: Submission) -> str | None:
        if self.s3 is None:
            return "no S3 client to store the claim-check payload with"
        content_type = "application/xml" if key.endswith(".xml") else "application/json"
        for attempt in range(self.attempts):
            try:
                self.s3.put_object(
                    Bucket=self.payload_bucket,
                    Key=key,
                    Body=submission.body.encode("utf-8"),
                    ContentType=f"{content_type}; charset=utf-8",
                )
                return None
            except (ClientError, BotoCoreError) as exc:
                if not _retryable(exc) or attempt == self.attempts - 1:
                    return f"could not store the claim-check payload s3://{self.payload_bucket}/{key}: {exc}"
                self.backoff(attempt)
        return None  # pragma: no cover - the loop always returns

    def batches(self, outgoing: Iterable[Outgoing]) -> Iterator[list[Outgoing]]:
        """At most ten messages and at most SQS_MAX_BYTES per SendMessageBatch request."""
        batch: list[Outgoing] = []
        size = 0
        for item in outgoing:
            if batch and (len(batch) == SQS_BATCH or size + item.size > SQS_MAX_BYTES):
                yield batch
                batch, size = [], 0
            batch.append(item)
            size += item.size
        if batch:
            yield batch

    def send(self, batch: list[Outgoing]) -> tuple[list[tuple[Outgoing, str]], list[tuple[Outgoing, str]]]:
        """SendMessageBatch until every entry is sent or fails for good: (sent with ids, failed)."""
        pending = {str(i): item for i, item in enumerate(batch)}
        sent: list[tuple[Outgoing, str]] = []
        failed: list[tuple[Outgoing, str]] = []
        last_error = "still throttled"
        for attempt in range(self.attempts):
            try:
                answer = self.sqs.send_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[
                        {"Id": i, "MessageBody": item.body, "MessageAttributes": item.attributes}
                        for i, item in pending.items()
                    ],
                )
            except (ClientError, BotoCoreError) as exc:
                if not _retryable(exc):
                    reason = (
                        f"{_error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__}: {exc}"
                    )
                    return sent, failed + [(item, reason) for item in pending.values()]
                last_error = str(exc)
            else:
                for success in answer.get("Successful", []):
                    sent.append((pending.pop(success["Id"]), success["MessageId"]))
                for failure in answer.get("Failed", []):
                    code = failure.get("Code", "")
                    if failure.get("SenderFault") and code not in RETRYABLE_SEND_ERRORS:
                        failed.append((pending.pop(failure["Id"]), f"{code}: {failure.get('Message')}"))
                    else:
                        last_error = f"{code}: {failure.get('Message')}"
            if not pending:
                break
            if attempt < self.attempts - 1:
                self.backoff(attempt)
        failed += [(item, f"{last_error} (after {self.attempts} attempts)") for item in pending.values()]
        return sent, failed


def submit(
    sqs: Any,
    queue_url: str,
    submissions: Iterable[Submission],
    *,
    s3: Any | None = None,
    payload_bucket: str | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    state: SubmitState | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    sender: Sender | None = None,
) -> SubmitSummary:
    """Send every valid submission once; without a state, send all (the local runner's use)."""
    sender = sender or Sender(sqs, queue_url, s3=s3, payload_bucket=payload_bucket, threshold=threshold)
    summary = SubmitSummary(dry_run=dry_run)
    seen: set[tuple[tuple[str, str], ...]] = set()
    done = 0

    def ready() -> Iterator[Outgoing]:
        nonlocal done
        for submission in submissions:
            done += 1
            if not submission.valid:
                summary.invalid.append(submission)
            elif state is not None and _already(state, queue_url, submission, seen, summary):
                pass
            else:
                prepared = sender.prepare(submission, dry_run=dry_run)
                if isinstance(prepared, str):
                    summary.failed.append((submission, prepared))
                else:
                    yield prepared
            if progress:
                progress.update(done, summary)

    for batch in sender.batches(ready()):
        if dry_run:
            sent = [(item, "dry-run") for item in batch]
            failed: list[tuple[Outgoing, str]] = []
        else:
            sent, failed = sender.send(batch)
        for item, message_id in sent:
            summary.sent.append(item.submission)
            summary.claim_checks += item.claim_check is not None
            if state is not None and not dry_run:
                state.record(queue_url, item.submission, message_id)
        summary.failed.extend((item.submission, reason) for item, reason in failed)
        if state is not None and not dry_run:
            state.save()
        if progress:
            progress.update(done, summary)
    if progress:
        progress.update(done, summary, force=True)
    return summary


def _already(
    state: SubmitState,
    queue_url: str,
    submission: Submission,
    seen: set[tuple[tuple[str, str], ...]],
    summary: SubmitSummary,
) -> bool:
    """True when the submission must not be sent: sent before, repeated in this run, or changed."""
    verdict, detail = state.check(queue_url, submission)
    if verdict == "sent" or submission.releases in seen:
        summary.skipped.append(submission)
        return True
    if verdict == "conflict":
        summary.invalid.append(
            Submission(
                submission.source,
                submission.body,
                submission.ref,
                (
                    Rejection(
                        "version-conflict",
                        f"{detail} was already sent with different content; send the change as a "
                        "new version (ModifyId/version + 1)",
                    ),
                ),
                submission.releases,
            )
        )
        return True
    seen.add(submission.releases)
    return False


# ---------------------------------------------------------------------------------------------
# Reaching a stack: sessions, clients and outputs, as AWS users expect


def aws_session(profile: str | None = None, region: str | None = None) -> Any:
    import boto3

    session = boto3.session.Session(profile_name=profile, region_name=region)
    if session.region_name is None:  # the portal lives in Seoul unless told otherwise
        session = boto3.session.Session(profile_name=profile, region_name="ap-northeast-2")
    return session


def aws_client(session: Any, service: str, endpoint_url: str | None = None) -> Any:
    """Adaptive retries: the SDK also slows itself down when a backfill is throttled."""
    from botocore.config import Config

    config = Config(retries={"mode": "adaptive", "max_attempts": 5}, user_agent_appid="briefing-cli")
    return session.client(service, endpoint_url=endpoint_url, config=config)


def load_stack_outputs(path: Path) -> dict[str, str]:
    """Outputs saved from `aws cloudformation describe-stacks` (whole answer or the Outputs list),
    a CDK `--outputs-file`, or a plain {"OutputKey": "value"} map."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "Stacks" in data:
        data = data["Stacks"][0].get("Outputs", [])
    if isinstance(data, list):
        return {o["OutputKey"]: o["OutputValue"] for o in data}
    if isinstance(data, dict) and data and all(isinstance(v, dict) for v in data.values()):
        return {k: str(v) for stack in data.values() for k, v in stack.items()}
    if isinstance(data, dict):
        return {k: str(v) for k, v in data.items()}
    raise ValueError(f"{path}: not a stack outputs file")


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
