"""Operations: what happened to an agency's releases, and the dead-letter queues.

`agency_status` reads the articles table (rejections per agency, an article's head and versions).
`DeadLetters` inspects dead letters without printing their bodies and moves them back to their
source queue: send first, delete after, so a crash in between duplicates a message instead of
losing it; ingestion and indexing are idempotent, so a duplicate changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import defusedxml.ElementTree as SafeET

from briefing.storage.articles import ArticleStore

# What each rejection reason means for the agency, and what to do (docs/agencies.md has more).
REASONS: dict[str, str] = {
    "empty-message": "메시지 본문이 비어 있습니다. 보도자료 하나를 JSON 또는 XML로 보내세요.",
    "invalid-json": "JSON이 아닙니다. 보내기 전에 `briefing submit --dry-run`으로 검증하세요.",
    "invalid-xml": "XML이 올바르지 않거나(DTD·엔티티 금지) NewsItem이 없습니다.",
    "invalid-release": "필수 항목이 없거나 형식이 틀립니다. `briefing schema release|newsitem`을 확인하세요.",
    "too-large": "본문이 너무 큽니다. 부록·표는 첨부파일로 옮기세요.",
    "unauthorised-sender": "보낸 AWS 주체가 이 기관으로 등록되어 있지 않습니다. 운영자에게 등록을 요청하세요.",
    "release-id-taken": "다른 기관이 이미 쓰는 보도자료 ID입니다. 자기 기관의 자료만 정정·철회할 수 있습니다.",
    "version-conflict": "같은 버전을 다른 내용으로 보냈습니다. 정정은 버전(ModifyId)을 1 올려 보내세요.",
    "invalid-claim-check": "대용량 포인터가 잘못되었습니다. 페이로드 버킷과 객체 키를 확인하세요.",
}


def explain(reason: str) -> str:
    return REASONS.get(reason, "알 수 없는 사유입니다. 운영자에게 문의하세요.")


# ---------------------------------------------------------------------------------------------
# Agency status


def _head_summary(head: dict[str, Any]) -> dict[str, Any]:
    keys = ("agency", "version", "status", "kind", "title", "approved_at", "publish_at", "received_at")
    summary = {k: head.get(k) for k in keys}
    summary["content_sha256"] = (head.get("content_sha256") or "")[:12]
    summary["withdrawal_reason"] = head.get("withdrawal_reason")
    return {k: v for k, v in summary.items() if v is not None}


def agency_status(
    store: ArticleStore, agency: str, release_id: str | None = None, limit: int = 20
) -> dict[str, Any]:
    """An agency's newest rejections (reason code, its meaning, the message) and, for one release,
    its current head and every stored version."""
    fetched = store.rejections(agency, limit=1000 if release_id else limit)
    if release_id:
        fetched = [r for r in fetched if r.get("release_id") == release_id]
    rejections = [
        {
            "received_at": r.get("received_at"),
            "ref": r.get("ref"),
            "release_id": r.get("release_id"),
            "version": r.get("version"),
            "reason": r["reason"],
            "explanation": explain(r["reason"]),
            "message": r.get("message"),
        }
        for r in fetched[:limit]
    ]
    status: dict[str, Any] = {"agency": agency, "rejections": rejections}
    if release_id:
        head = store.get_head(release_id)
        status["release"] = {
            "release_id": release_id,
            "head": _head_summary(head) if head else None,
            "owned_by_another_agency": bool(head and head.get("agency") != agency),
            "versions": [_head_summary(v) for v in store.versions(release_id)],
        }
    return status


def format_status(status: dict[str, Any]) -> str:
    lines = [f"{status['agency']}: {len(status['rejections'])} rejection(s), newest first"]
    for r in status["rejections"]:
        lines.append(f"  {r['received_at']}  {r['ref']}  [{r['reason']}]")
        lines.append(f"      {r['explanation']}")
        if r.get("message"):
            lines.append(f"      {r['message']}")
    release = status.get("release")
    if release is not None:
        lines.append("")
        head = release["head"]
        if head is None:
            lines.append(f"release {release['release_id']}: not stored (never accepted)")
        else:
            owner = f" — owned by {head.get('agency')}" if release["owned_by_another_agency"] else ""
            lines.append(
                f"release {release['release_id']}: v{head.get('version')} {head.get('status')}{owner}, "
                f"publish at {head.get('publish_at') or '-'}"
            )
            lines.append(f"  {head.get('title', '')}")
        for version in release["versions"]:
            lines.append(
                f"  v{version.get('version')}  {version.get('status'):<9}  received {version.get('received_at', '-')}"
                f"  sha {version.get('content_sha256', '')}  {version.get('title', '')[:60]}"
            )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Dead letters


@dataclass(frozen=True)
class DeadLetterQueue:
    url: str
    name: str
    source_url: str | None = None


@dataclass
class DeadLetter:
    message_id: str
    receive_count: int
    sent_at: str | None
    first_received_at: str | None
    summary: dict[str, Any]
    body: str | None = None


@dataclass
class RedriveResult:
    queue: DeadLetterQueue
    moved: int = 0
    failed: int = 0
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        verb = "would move" if self.dry_run else "moved"
        target = self.queue.source_url or "(unknown source)"
        failed = f", {self.failed} left in place" if self.failed else ""
        return f"{self.queue.name}: {verb} {self.moved} message(s) to {target}{failed}"


def _millis(value: str | None) -> str | None:
    if not value:
        return None
    return datetime.fromtimestamp(int(value) / 1000, UTC).isoformat(timespec="seconds")


def _identity(data: dict[str, Any]) -> dict[str, Any]:
    agency = data.get("agency", data.get("MinisterCode"))
    release_id = data.get("release_id", data.get("NewsItemId", data.get("article_id")))
    version = data.get("version", data.get("ModifyId"))
    found = {"agency": agency, "release_id": release_id, "version": version}
    return {k: v for k, v in found.items() if isinstance(v, str | int) and not isinstance(v, bool)}


def summarise_body(body: str, attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    """Who and what a message is about, read from its body, without keeping the body."""
    attributes = attributes or {}
    summary: dict[str, Any] = {"bytes": len(body.encode("utf-8"))}
    text = body.lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        summary["format"] = "xml"
        try:
            root = SafeET.fromstring(text)
        except Exception:
            summary["format"] = "xml (unreadable)"
            return summary
        items = [root] if root.tag == "NewsItem" else root.findall(".//NewsItem")
        summary["items"] = len(items)
        if items:
            summary.update(_identity({child.tag: (child.text or "").strip() for child in items[0]}))
        return summary
    try:
        data = json.loads(text)
    except ValueError:
        summary["format"] = "unreadable"
        return summary
    if isinstance(data, list) and len(data) == 2 and isinstance(data[1], dict) and "s3Key" in data[1]:
        summary["format"] = "claim-check"
        summary["payload"] = f"s3://{data[1].get('s3BucketName')}/{data[1].get('s3Key')}"
        size = attributes.get("ExtendedPayloadSize", {}).get("StringValue")
        if size:
            summary["payload_bytes"] = int(size)
        agency = attributes.get("agency", {}).get("StringValue")
        if agency:
            summary["agency"] = agency
        releases = attributes.get("briefing-releases", {}).get("StringValue")
        if releases:
            summary["releases"] = releases
        return summary
    summary["format"] = "json"
    if isinstance(data, dict):
        summary.update(_identity(data))
    return summary


def _queue_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


class DeadLetters:
    """The dead-letter queues of a stack, their sources, and moving letters back."""

    def __init__(
        self,
        sqs: Any,
        *,
        cloudformation: Any | None = None,
        stack_name: str | None = None,
        outputs: dict[str, str] | None = None,
    ) -> None:
        self.sqs = sqs
        self.cloudformation = cloudformation
        self.stack_name = stack_name
        self.outputs = outputs or {}

    # -- finding queues
    def stack_queues(self) -> dict[str, str]:
        """{logical id: url} of the stack's SQS queues."""
        if self.cloudformation is None or not self.stack_name:
            return {}
        queues = {}
        paginator = self.cloudformation.get_paginator("list_stack_resources")
        for page in paginator.paginate(StackName=self.stack_name):
            for resource in page["StackResourceSummaries"]:
                if resource["ResourceType"] == "AWS::SQS::Queue" and resource.get("PhysicalResourceId"):
                    queues[resource["LogicalResourceId"]] = resource["PhysicalResourceId"]
        return queues

    def _arn(self, url: str) -> str:
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        return str(attributes["QueueArn"])

    def redrive_map(self, queues: dict[str, str]) -> dict[str, list[str]]:
        """{DLQ arn: [source urls]} from the deployed queues' redrive policies."""
        targets: dict[str, list[str]] = {}
        for url in queues.values():
            attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
            policy = attributes.get("Attributes", {}).get("RedrivePolicy")
            if policy:
                targets.setdefault(json.loads(policy)["deadLetterTargetArn"], []).append(url)
        return targets

    def source_of(self, dlq_url: str, redrive: dict[str, list[str]] | None = None) -> str | None:
        """The one queue whose redrive policy names this DLQ (SQS's own answer as a fallback)."""
        sources = (redrive or {}).get(self._arn(dlq_url), [])
        if not sources:
            answer = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)
            sources = answer.get("queueUrls", [])
        return sources[0] if len(sources) == 1 else None

    def resolve(self, queue_url: str | None, source_queue_url: str | None) -> list[DeadLetterQueue]:
        queues = self.stack_queues()
        redrive = self.redrive_map(queues) if queues else {}
        names = {url: logical for logical, url in queues.items()}
        if queue_url:
            source = source_queue_url or self.source_of(queue_url, redrive)
            return [DeadLetterQueue(queue_url, names.get(queue_url, _queue_name(queue_url)), source)]
        found = []
        if queues:
            arns = {self._arn(url): (logical, url) for logical, url in queues.items()}
            for arn, sources in sorted(redrive.items()):
                if arn in arns:
                    logical, url = arns[arn]
                    source = source_queue_url or (sources[0] if len(sources) == 1 else None)
                    found.append(DeadLetterQueue(url, logical, source))
        else:
            for key, url in sorted(self.outputs.items()):
                if key.endswith("DeadLetterQueueUrl"):
                    found.append(
                        DeadLetterQueue(url, key.removesuffix("Url"), source_queue_url or self.source_of(url))
                    )
        return found

    # -- reading
    def _receive(self, url: str, count: int, visibility: int) -> list[dict[str, Any]]:
        answer = self.sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=max(1, min(10, count)),
            VisibilityTimeout=visibility,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        )
        return list(answer.get("Messages", []))

    def _release(self, url: str, messages: list[dict[str, Any]]) -> None:
        """Make messages visible again at once (they stay in the queue)."""
        for start in range(0, len(messages), 10):
            chunk = messages[start : start + 10]
            self.sqs.change_message_visibility_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(chunk)
                ],
            )

    def _collect(self, url: str, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` messages, each once: received ones stay hidden until we release them."""
        messages: list[dict[str, Any]] = []
        seen: set[str] = set()
        while len(messages) < limit:
            batch = self._receive(url, limit - len(messages), visibility=60)
            fresh = [m for m in batch if m["MessageId"] not in seen]
            if not fresh:
                break
            seen.update(m["MessageId"] for m in fresh)
            messages.extend(fresh)
        return messages

    def peek(self, url: str, limit: int = 100, bodies: bool = False) -> list[DeadLetter]:
        """Summaries of up to `limit` dead letters; reading counts as one more receive."""
        messages = self._collect(url, limit)
        self._release(url, messages)
        return [self._letter(m, bodies) for m in messages]

    @staticmethod
    def _letter(message: dict[str, Any], bodies: bool) -> DeadLetter:
        attributes = message.get("Attributes", {})
        return DeadLetter(
            message_id=message["MessageId"],
            receive_count=int(attributes.get("ApproximateReceiveCount", 0)),
            sent_at=_millis(attributes.get("SentTimestamp")),
            first_received_at=_millis(attributes.get("ApproximateFirstReceiveTimestamp")),
            summary=summarise_body(message["Body"], message.get("MessageAttributes")),
            body=message["Body"] if bodies else None,
        )

    # -- moving back
    def redrive(self, queue: DeadLetterQueue, limit: int = 100, dry_run: bool = False) -> RedriveResult:
        result = RedriveResult(queue, dry_run=dry_run)
        if not queue.source_url:
            result.problems.append("no single source queue found; give --source-queue-url")
            return result
        if dry_run:
            messages = self._collect(queue.url, limit)
            self._release(queue.url, messages)
            result.moved = len(messages)
            return result
        while result.moved + result.failed < limit:
            messages = self._receive(queue.url, limit - result.moved - result.failed, visibility=120)
            if not messages:
                break
            moved, _ = self._move(queue, messages, result)
            if not moved:  # nothing got through: stop rather than spin on the same messages
                break
        return result

    def _move(
        self, queue: DeadLetterQueue, messages: list[dict[str, Any]], result: RedriveResult
    ) -> tuple[int, int]:
        by_id = {str(i): m for i, m in enumerate(messages)}
        try:
            answer = self.sqs.send_message_batch(
                QueueUrl=queue.source_url,
                Entries=[
                    {"Id": i, "MessageBody": m["Body"], "MessageAttributes": redriven_attributes(m)}
                    for i, m in by_id.items()
                ],
            )
        except Exception as exc:  # nothing sent: everything stays in the DLQ
            self._release(queue.url, messages)
            result.failed += len(messages)
            result.problems.append(f"send to {queue.source_url} failed: {exc}")
            return 0, len(messages)
        sent = [by_id[s["Id"]] for s in answer.get("Successful", [])]
        failed = [by_id[f["Id"]] for f in answer.get("Failed", [])]
        for failure in answer.get("Failed", []):
            result.problems.append(
                f"{by_id[failure['Id']]['MessageId']}: {failure.get('Code')} {failure.get('Message')}"
            )
        if sent:  # only what the source queue accepted leaves the DLQ
            self.sqs.delete_message_batch(
                QueueUrl=queue.url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(sent)],
            )
        if failed:
            self._release(queue.url, failed)
        result.moved += len(sent)
        result.failed += len(failed)
        return len(sent), len(failed)


REDRIVES_ATTRIBUTE = "briefing-redrives"


def redriven_attributes(message: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The message's own attributes (claim-check size included), plus a redrive counter."""
    attributes: dict[str, dict[str, Any]] = {}
    for name, value in (message.get("MessageAttributes") or {}).items():
        kept = {k: value[k] for k in ("DataType", "StringValue", "BinaryValue") if k in value}
        attributes[name] = kept
    previous = int(attributes.get(REDRIVES_ATTRIBUTE, {}).get("StringValue", "0") or 0)
    if REDRIVES_ATTRIBUTE in attributes or len(attributes) < 10:
        attributes[REDRIVES_ATTRIBUTE] = {"DataType": "Number", "StringValue": str(previous + 1)}
    return attributes


def format_dead_letters(queue: DeadLetterQueue, letters: list[DeadLetter], bodies: bool = False) -> str:
    lines = [f"{queue.name}: {len(letters)} dead letter(s); source {queue.source_url or '(unknown)'}"]
    for letter in letters:
        s = letter.summary
        who = f"{s.get('agency', '?')}/{s.get('release_id', '?')}@v{s.get('version', '?')}"
        extra = f" {s['payload']}" if "payload" in s else ""
        items = f" ({s['items']} items)" if s.get("items", 1) > 1 else ""
        lines.append(
            f"  {letter.message_id}  {who}{items}  {s.get('format')} {s['bytes']} B{extra}  "
            f"receives {letter.receive_count}  sent {letter.sent_at}  first received {letter.first_received_at}"
        )
        if bodies and letter.body is not None:
            lines.append("    " + letter.body.replace("\n", "\n    "))
    return "\n".join(lines)
