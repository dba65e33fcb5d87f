"""The archive of originals: every received release version as it came, never overwritten."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from botocore.exceptions import ClientError

from briefing.storage.aws import LazyClient


def original_key(agency: str, release_id: str, version: int, original: str, content_type: str) -> str:
    """Deterministic per content: a redelivery maps to the same key, a changed body to a new one."""
    digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:16]
    extension = "xml" if content_type.endswith("xml") else "json"
    return f"originals/{quote(agency, safe='')}/{release_id}/v{version:07d}-{digest}.{extension}"


class Archive:
    s3 = LazyClient("s3")

    def __init__(self, bucket: str, s3: Any | None = None) -> None:
        self.bucket = bucket
        self._s3 = s3

    def put_original(self, key: str, original: str, content_type: str, metadata: dict[str, str]) -> bool:
        """Store once; returns False when the object was already there (a redelivery)."""
        try:
            self.s3.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=original.encode("utf-8"),
                ContentType=f"{content_type}; charset=utf-8",
                Metadata=metadata,
                IfNoneMatch="*",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in (
                "PreconditionFailed",
                "ConditionalRequestConflict",
            ):
                return False
            raise
        return True

    def get_text(self, key: str, bucket: str | None = None) -> str:
        answer = self.s3.get_object(Bucket=bucket or self.bucket, Key=key)
        return str(answer["Body"].read().decode("utf-8"))

    def iter_originals(self, prefix: str = "originals/") -> list[str]:
        keys: list[str] = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return keys
