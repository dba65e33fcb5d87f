"""Settings per function, read from the environment the template declares, checked at cold start.

A missing or malformed variable fails the first invocation loudly instead of half-working.
Each field names its exact environment variable (a test compares them with template.yaml).
msgspec Structs, not pydantic: functions that validate nothing else (indexing, moderation)
should not pay pydantic's import on every cold start just to read a few strings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, Self

from msgspec import NODEFAULT, Meta, Struct, field
from msgspec.structs import fields

# Normalised release bodies are stored compressed in one DynamoDB item (400 KB at most).
DEFAULT_MAX_BODY_BYTES = 350_000


class SettingsError(ValueError):
    """The function's environment is missing or malforms a variable the template should set."""


def env(name: str, default: Any = NODEFAULT) -> Any:
    """A field read from the environment variable ``name``; its constraints are the ``Meta`` of its type."""
    return field(default=default, name=name)


class _FromEnv:
    __slots__ = ()

    @classmethod
    def env_names(cls) -> set[str]:
        return {f.encode_name for f in fields(cls)}  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        source = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):  # type: ignore[arg-type]
            name, raw = f.encode_name, source.get(f.encode_name)
            if raw is None:
                if f.required:
                    problems.append(f"{name} is not set")
                continue
            try:
                values[f.name] = _checked(raw, f.type)
            except ValueError as exc:
                problems.append(f"{name} {exc}")
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)


def _checked(raw: str, annotation: Any) -> str | int:
    meta = next((m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Meta)), Meta())
    if meta.ge is not None or meta.le is not None:
        try:
            number = int(raw)
        except ValueError:
            raise ValueError(f"must be an integer, got {raw[:40]!r}") from None
        if meta.ge is not None and number < meta.ge:
            raise ValueError(f"must be at least {meta.ge}")
        if meta.le is not None and number > meta.le:
            raise ValueError(f"must be at most {meta.le}")
        return number
    if meta.min_length is not None and len(raw) < meta.min_length:
        raise ValueError(f"must have at least {meta.min_length} characters")
    return raw


# Every field is Annotated with its constraints (read by _checked) and named after its variable.
Name = Annotated[str, Meta(min_length=3)]
Url = Annotated[str, Meta(min_length=10)]


class IngestSettings(Struct, _FromEnv, frozen=True):
    articles_table: Name = env("ARTICLES_TABLE")
    archive_bucket: Name = env("ARCHIVE_BUCKET")
    payload_bucket: Name = env("PAYLOAD_BUCKET")
    index_queue_url: Url = env("INDEX_QUEUE_URL")
    agency_registry: str = env("AGENCY_REGISTRY", "{}")
    rejections_topic_arn: str | None = env("REJECTIONS_TOPIC_ARN", None)
    max_body_bytes: Annotated[int, Meta(ge=10_000, le=390_000)] = env(
        "MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES
    )


class IndexSettings(Struct, _FromEnv, frozen=True):
    articles_table: Name = env("ARTICLES_TABLE")
    index_table: Name = env("INDEX_TABLE")


class ApiSettings(Struct, _FromEnv, frozen=True):
    articles_table: Name = env("ARTICLES_TABLE")
    index_table: Name = env("INDEX_TABLE")
    comments_table: str | None = env("COMMENTS_TABLE", None)
    comment_queue_url: str | None = env("COMMENT_QUEUE_URL", None)
    max_comment_chars: Annotated[int, Meta(ge=10, le=10_000)] = env("MAX_COMMENT_CHARS", 1000)


class ModerateSettings(Struct, _FromEnv, frozen=True):
    comments_table: Name = env("COMMENTS_TABLE")
    articles_table: Name = env("ARTICLES_TABLE")
