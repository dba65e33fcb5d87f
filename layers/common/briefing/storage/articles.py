"""The articles table: every accepted version, the current head, and rejections per agency.

Keys (one table, string pk/sk):
- ``ART#<article id>`` / ``HEAD``          current version, owned by one agency, full document
- ``ART#<article id>`` / ``V#<version>``   every accepted version (history, audit)
- ``REJ#<agency>``     / ``<time>#<ref>``  rejections, queryable per agency

One TransactWriteItems stores a version and moves the head; its conditions make delivery order
and duplicates harmless: a version is written once, the head only moves forward, and an article
id belongs to the agency that first used it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from msgspec import Struct

from briefing.storage.aws import LazyClient
from briefing.storage.codec import all_items, batch_get, from_item, pack_text, to_item, unpack_text

if TYPE_CHECKING:  # the pydantic model is imported only by the code that builds one
    from briefing.releases.model import Release

HEAD_SK = "HEAD"


def article_pk(article_id: str) -> str:
    return f"ART#{article_id}"


def version_sk(version: int) -> str:
    return f"V#{version:07d}"


class StoreOutcome(StrEnum):
    STORED = "stored"  # new version, now the head
    DUPLICATE = "duplicate"  # this exact version was stored before
    STALE = "stale"  # a newer version is already the head
    CONFLICT = "conflict"  # same version number, different content
    FOREIGN = "foreign"  # the article id belongs to another agency


class StoreResult(Struct, frozen=True):
    outcome: StoreOutcome
    head_version: int | None = None
    owner_agency: str | None = None


def content_hash(release: Release) -> str:
    """A fingerprint of what the agency said, so a re-sent version can be told from a changed one."""
    payload = release.model_dump(mode="json")
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def release_to_record(release: Release, **meta: Any) -> dict[str, Any]:
    """The stored form: JSON-safe fields, bodies compressed, plus ingestion metadata."""
    data = release.model_dump(mode="json", exclude={"body_html", "body_text"})
    data["article_id"] = release.article_id
    data["body_html_z"] = pack_text(release.body_html)
    data["body_text_z"] = pack_text(release.body_text)
    data["content_sha256"] = content_hash(release)
    data.update(meta)
    return data


def record_to_release(record: dict[str, Any]) -> Release:
    from briefing.releases.model import Release

    fields = {k: v for k, v in record.items() if k in Release.model_fields}
    fields["body_html"] = unpack_text(record.get("body_html_z"))
    fields["body_text"] = unpack_text(record.get("body_text_z"))
    return Release.model_validate(fields)


class ArticleText(Struct, frozen=True):
    """What indexing and moderation read of a stored version: no validation, no pydantic import
    (the record was validated when it was stored)."""

    article_id: str
    version: int
    agency: str
    kind: str
    status: str
    title: str
    body_text: str
    publish_at: datetime | None

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"


def record_to_text(record: dict[str, Any]) -> ArticleText:
    publish_at = record.get("publish_at")
    return ArticleText(
        article_id=str(record.get("article_id") or record["release_id"]),
        version=int(record["version"]),
        agency=str(record["agency"]),
        kind=str(record["kind"]),
        status=str(record["status"]),
        title=str(record["title"]),
        body_text=unpack_text(record.get("body_text_z")),
        publish_at=datetime.fromisoformat(publish_at) if publish_at else None,
    )


class ArticleStore:
    dynamodb = LazyClient("dynamodb")

    def __init__(self, table_name: str, dynamodb: Any | None = None) -> None:
        self.table_name = table_name
        self._dynamodb = dynamodb

    def store_version(self, release: Release, **meta: Any) -> StoreResult:
        record = release_to_record(release, **meta)
        pk = article_pk(release.article_id)
        version_item = to_item({"pk": pk, "sk": version_sk(release.version), **record})
        head_item = to_item({"pk": pk, "sk": HEAD_SK, **record})
        try:
            self.dynamodb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": version_item,
                            "ConditionExpression": "attribute_not_exists(pk)",
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": head_item,
                            "ConditionExpression": "attribute_not_exists(pk) OR "
                            "(agency = :agency AND release_id = :release_id AND version < :version)",
                            "ExpressionAttributeValues": {
                                ":agency": {"S": release.agency},
                                ":release_id": {"S": release.release_id},
                                ":version": {"N": str(release.version)},
                            },
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                        }
                    },
                ]
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            return self._explain_cancellation(exc, release, record["content_sha256"])
        return StoreResult(StoreOutcome.STORED, head_version=release.version, owner_agency=release.agency)

    def _explain_cancellation(self, exc: ClientError, release: Release, sha: str) -> StoreResult:
        reasons = exc.response.get("CancellationReasons") or []
        codes = [r.get("Code") for r in reasons]
        if any(code not in (None, "None", "ConditionalCheckFailed") for code in codes):
            raise exc  # a conflict with a concurrent transaction or throttling: retry the record
        old_version = from_item(reasons[0].get("Item") or {}) if reasons else {}
        old_head = from_item(reasons[1].get("Item") or {}) if len(reasons) > 1 else {}
        if not old_head and len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
            old_head = self.get_head(release.article_id) or {}
        owner = old_head.get("agency")
        head_version = old_head.get("version")
        if owner is not None and (
            owner != release.agency or old_head.get("release_id") != release.release_id
        ):
            return StoreResult(StoreOutcome.FOREIGN, head_version=head_version, owner_agency=owner)
        if codes and codes[0] == "ConditionalCheckFailed":
            if not old_version:
                old_version = self.get_version(release.article_id, release.version) or {}
            same = old_version.get("content_sha256") == sha
            outcome = StoreOutcome.DUPLICATE if same else StoreOutcome.CONFLICT
            return StoreResult(outcome, head_version=head_version, owner_agency=owner)
        return StoreResult(StoreOutcome.STALE, head_version=head_version, owner_agency=owner)

    def get_head(self, article_id: str) -> dict[str, Any] | None:
        return self._get(article_pk(article_id), HEAD_SK)

    def get_heads(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Several heads in one round trip (search results, related lists)."""
        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(article_ids))
        for start in range(0, len(ids), 100):
            keys = [self.head_key(i) for i in ids[start : start + 100]]
            for head in batch_get(self.dynamodb, {self.table_name: {"Keys": keys}})[self.table_name]:
                found[head["article_id"]] = head
        return found

    @staticmethod
    def head_key(article_id: str) -> dict[str, Any]:
        """The head's key, for callers that fetch it together with other items in one batch."""
        return {"pk": {"S": article_pk(article_id)}, "sk": {"S": HEAD_SK}}

    def get_version(self, article_id: str, version: int) -> dict[str, Any] | None:
        return self._get(article_pk(article_id), version_sk(version))

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        answer = self.dynamodb.get_item(
            TableName=self.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
        )
        return from_item(answer["Item"]) if "Item" in answer else None

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """Every stored version of an article, oldest first (the history kept for audit)."""
        return all_items(
            self.dynamodb,
            "query",
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :v)",
            ExpressionAttributeValues={":pk": {"S": article_pk(article_id)}, ":v": {"S": "V#"}},
        )

    def record_rejection(
        self,
        *,
        agency: str | None,
        reason: str,
        message: str,
        ref: str,
        message_id: str,
        sender_id: str | None,
        release_id: str | None = None,
        version: int | None = None,
        received_at: datetime | None = None,
    ) -> dict[str, Any]:
        """A rejection the agency can look up; keyed by message so a redelivery writes the same item."""
        when = (received_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")
        record = {
            "pk": f"REJ#{agency or '-'}",
            "sk": f"{when}#{message_id}#{ref}",
            "agency": agency,
            "reason": reason,
            "message": message,
            "ref": ref,
            "release_id": release_id,
            "version": version,
            "message_id": message_id,
            "sender_id": sender_id,
            "received_at": when,
        }
        self.dynamodb.put_item(TableName=self.table_name, Item=to_item(record))
        return record

    def rejections(self, agency: str, limit: int = 100) -> list[dict[str, Any]]:
        """Newest rejections of one agency first."""
        page = self.dynamodb.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"REJ#{agency}"}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [from_item(i) for i in page.get("Items", [])]
