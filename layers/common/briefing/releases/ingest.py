"""Ingest one queued message: parse, authorise, archive, store the version, hand on for indexing.

Permanent problems become `Rejection`s: recorded for the agency and acknowledged. AWS errors
propagate, so the SQS record fails and is retried (and finally dead-lettered). Every step is
idempotent, so a retry after a partial success (archive written, store not; stored, not handed
on) finishes the job without duplicating it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from botocore.exceptions import ClientError
from msgspec import Struct, field

from briefing.releases.parse import ParsedRelease, Rejection, parse_payload
from briefing.releases.registry import AgencyRegistry
from briefing.storage.archive import original_key
from briefing.storage.articles import StoreOutcome, StoreResult

# The format of AWS's SQS Extended Client libraries (Java, Python amazon-sqs-extended-client).
S3_POINTER_CLASS = "software.amazon.payloadoffloading.PayloadS3Pointer"
LEGACY_POINTER_CLASS = "com.amazon.sqs.javamessaging.MessageS3Pointer"  # older Java / use_legacy_attribute
RESERVED_SIZE_ATTRIBUTES = ("ExtendedPayloadSize", "SQSLargePayloadSize")

Status = Literal["accepted", "duplicate", "stale", "rejected"]


class IngestOutcome(Struct, frozen=True):
    status: Status
    ref: str
    agency: str | None = None
    article_id: str | None = None
    version: int | None = None
    reason: str | None = None
    message: str | None = None


class QueuedMessage(Struct, frozen=True):
    """What the ingest step needs of an SQS record."""

    body: str
    message_id: str
    sender_id: str | None
    sent_at: datetime
    attributes: dict[str, str] = field(default_factory=dict)


class ArticleStorePort(Protocol):
    def store_version(self, release: Any, **meta: Any) -> StoreResult: ...
    def record_rejection(self, **kwargs: Any) -> dict[str, Any]: ...


class ArchivePort(Protocol):
    def put_original(self, key: str, original: str, content_type: str, metadata: dict[str, str]) -> bool: ...
    def get_text(self, key: str, bucket: str | None = None) -> str: ...


class PublisherPort(Protocol):
    def publish(self, message: dict[str, Any], attributes: dict[str, str] | None = None) -> str: ...


class RejectionNotifier(Protocol):
    def __call__(self, rejection: dict[str, Any]) -> None: ...


class IngestService(Struct):
    store: ArticleStorePort
    archive: ArchivePort
    index_queue: PublisherPort
    registry: AgencyRegistry
    max_body_bytes: int = 350_000
    payload_bucket: str | None = None
    notify_rejection: RejectionNotifier | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def ingest(self, message: QueuedMessage) -> list[IngestOutcome]:
        body_or_rejection = self._resolve_claim_check(message)
        if isinstance(body_or_rejection, Rejection):
            return [self._reject(body_or_rejection, message, 0)]
        outcomes = []
        for position, parsed in enumerate(parse_payload(body_or_rejection)):
            if isinstance(parsed, Rejection):
                outcomes.append(self._reject(parsed, message, position))
            else:
                outcomes.append(self._ingest_release(parsed, message, position))
        return outcomes

    def _resolve_claim_check(self, message: QueuedMessage) -> str | Rejection:
        """Large bodies arrive as an S3 pointer; only our payload bucket is ever read."""
        text = message.body.lstrip()
        if not text.startswith("[") or not any(
            c in text[:200] for c in (S3_POINTER_CLASS, LEGACY_POINTER_CLASS)
        ):
            return message.body
        try:
            pointer = json.loads(text)[1]
            bucket, key = pointer["s3BucketName"], pointer["s3Key"]
        except (ValueError, LookupError, TypeError):
            return Rejection(
                "invalid-claim-check", f"the body looks like a {S3_POINTER_CLASS} but is malformed"
            )
        if not self.payload_bucket or bucket != self.payload_bucket:
            return Rejection(
                "invalid-claim-check",
                f"large payloads must be stored in the payload bucket {self.payload_bucket or '(none configured)'}, "
                f"not {bucket!r}",
            )
        try:
            return self.archive.get_text(key, bucket=bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return Rejection("invalid-claim-check", f"the claim-check object {key!r} does not exist")
            raise

    def _ingest_release(self, parsed: ParsedRelease, message: QueuedMessage, position: int) -> IngestOutcome:
        release = parsed.release
        if not self.registry.allows(release.agency, message.sender_id):
            return self._reject(
                Rejection(
                    "unauthorised-sender",
                    f"sender {message.sender_id or '(unknown)'} is not registered to publish for {release.agency}",
                    release.agency,
                    release.release_id,
                    release.version,
                ),
                message,
                position,
            )
        size = len(release.body_html.encode()) + len(release.body_text.encode())
        if size > self.max_body_bytes * 3:  # stored compressed; Korean text compresses about 3:1
            return self._reject(
                Rejection(
                    "too-large",
                    f"the normalised body is {size} bytes; the limit is {self.max_body_bytes * 3}. "
                    "Move annexes to attachments.",
                    release.agency,
                    release.release_id,
                    release.version,
                ),
                message,
                position,
            )
        key = original_key(
            release.agency, release.release_id, release.version, parsed.original, parsed.content_type
        )
        self.archive.put_original(
            key,
            parsed.original,
            parsed.content_type,
            {
                "message-id": message.message_id,
                "sender-id": message.sender_id or "",
                "version": str(release.version),
            },
        )
        result = self.store.store_version(
            release,
            archive_key=key,
            message_id=message.message_id,
            sender_id=message.sender_id,
            received_at=message.sent_at.astimezone(UTC).isoformat(timespec="milliseconds"),
        )
        ids: dict[str, Any] = {
            "agency": release.agency,
            "article_id": release.article_id,
            "version": release.version,
        }
        if result.outcome is StoreOutcome.FOREIGN:
            return self._reject(
                Rejection(
                    "release-id-taken",
                    f"release id {release.release_id} already belongs to {result.owner_agency}; "
                    "an agency can only publish, correct or withdraw its own releases",
                    release.agency,
                    release.release_id,
                    release.version,
                ),
                message,
                position,
            )
        if result.outcome is StoreOutcome.CONFLICT:
            return self._reject(
                Rejection(
                    "version-conflict",
                    f"version {release.version} was already accepted with different content; "
                    f"send the change as version {max(result.head_version or 0, release.version) + 1}",
                    release.agency,
                    release.release_id,
                    release.version,
                ),
                message,
                position,
            )
        if result.outcome is StoreOutcome.STALE:
            return IngestOutcome(
                "stale", release.ref, message=f"version {result.head_version} is newer", **ids
            )
        # Stored now or before: hand on (again) for indexing. A redelivery after a crash between
        # storing and sending must not leave the article unindexed; the indexer is idempotent.
        self.index_queue.publish(
            {**ids, "release_id": release.release_id, "status": release.status.value},
            attributes={"agency": release.agency, "kind": release.kind.value},
        )
        status: Status = "accepted" if result.outcome is StoreOutcome.STORED else "duplicate"
        return IngestOutcome(status, release.ref, **ids)

    def _reject(self, rejection: Rejection, message: QueuedMessage, position: int) -> IngestOutcome:
        record = self.store.record_rejection(
            agency=rejection.agency,
            reason=rejection.reason,
            message=rejection.message,
            ref=f"{rejection.ref}#{position}",
            message_id=message.message_id,
            sender_id=message.sender_id,
            release_id=rejection.release_id,
            version=rejection.version,
            received_at=message.sent_at,
        )
        if self.notify_rejection is not None:
            self.notify_rejection(record)
        return IngestOutcome(
            "rejected",
            rejection.ref,
            agency=rejection.agency,
            article_id=rejection.release_id,
            version=rejection.version,
            reason=rejection.reason,
            message=rejection.message,
        )
