"""Settings per function, read from the environment the template declares, checked at cold start.

A missing or malformed variable fails the first invocation loudly instead of half-working.
Field aliases are the exact environment variable names (a test compares them with template.yaml).
"""

from __future__ import annotations

import os
from typing import Self

from pydantic import BaseModel, ConfigDict, Field


class _FromEnv(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Self:
        return cls.model_validate(dict(os.environ if environ is None else environ))


class IngestSettings(_FromEnv):
    articles_table: str = Field(alias="ARTICLES_TABLE", min_length=3)
    archive_bucket: str = Field(alias="ARCHIVE_BUCKET", min_length=3)
    payload_bucket: str = Field(alias="PAYLOAD_BUCKET", min_length=3)
    index_queue_url: str = Field(alias="INDEX_QUEUE_URL", min_length=10)
    agency_registry: str = Field(alias="AGENCY_REGISTRY", default="{}")
    rejections_topic_arn: str | None = Field(alias="REJECTIONS_TOPIC_ARN", default=None)
    max_body_bytes: int = Field(alias="MAX_BODY_BYTES", default=350_000, ge=10_000, le=390_000)


class IndexSettings(_FromEnv):
    articles_table: str = Field(alias="ARTICLES_TABLE", min_length=3)
    index_table: str = Field(alias="INDEX_TABLE", min_length=3)


class ApiSettings(_FromEnv):
    articles_table: str = Field(alias="ARTICLES_TABLE", min_length=3)
    index_table: str = Field(alias="INDEX_TABLE", min_length=3)
    comments_table: str | None = Field(alias="COMMENTS_TABLE", default=None)
    comment_queue_url: str | None = Field(alias="COMMENT_QUEUE_URL", default=None)
    max_comment_chars: int = Field(alias="MAX_COMMENT_CHARS", default=1000, ge=10, le=10_000)


class ModerateSettings(_FromEnv):
    comments_table: str = Field(alias="COMMENTS_TABLE", min_length=3)
    articles_table: str = Field(alias="ARTICLES_TABLE", min_length=3)
