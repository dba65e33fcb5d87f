"""Settings per function, read from the environment the template declares, checked at cold start.

A missing or malformed variable fails the first invocation loudly instead of half-working.
Each field names its exact environment variable (a test compares them with template.yaml).
Plain dataclasses, not pydantic: functions that validate nothing else (indexing, moderation)
should not pay pydantic's import on every cold start just to read a few strings.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

# Normalised release bodies are stored compressed in one DynamoDB item (400 KB at most).
DEFAULT_MAX_BODY_BYTES = 350_000


class SettingsError(ValueError):
    """The function's environment is missing or malforms a variable the template should set."""


def env(name: str, default: Any = dataclasses.MISSING, *, min_length: int = 0, ge: int | None = None,
        le: int | None = None) -> Any:  # fmt: skip
    """A field read from the environment variable ``name``, with the constraints it must meet."""
    metadata = {"env": name, "min_length": min_length, "ge": ge, "le": le}
    return dataclasses.field(default=default, metadata=metadata)


class _FromEnv:
    @classmethod
    def env_names(cls) -> set[str]:
        return {f.metadata["env"] for f in dataclasses.fields(cls)}  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        source = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            name, raw = f.metadata["env"], source.get(f.metadata["env"])
            if raw is None:
                if f.default is dataclasses.MISSING:
                    problems.append(f"{name} is not set")
                continue
            try:
                values[f.name] = _checked(raw, f)
            except ValueError as exc:
                problems.append(f"{name} {exc}")
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)


def _checked(raw: str, f: dataclasses.Field[Any]) -> str | int:
    meta = f.metadata
    if meta["ge"] is not None or meta["le"] is not None:
        try:
            number = int(raw)
        except ValueError:
            raise ValueError(f"must be an integer, got {raw[:40]!r}") from None
        if meta["ge"] is not None and number < meta["ge"]:
            raise ValueError(f"must be at least {meta['ge']}")
        if meta["le"] is not None and number > meta["le"]:
            raise ValueError(f"must be at most {meta['le']}")
        return number
    if len(raw) < meta["min_length"]:
        raise ValueError(f"must have at least {meta['min_length']} characters")
    return raw


@dataclass(frozen=True, slots=True)
class IngestSettings(_FromEnv):
    articles_table: str = env("ARTICLES_TABLE", min_length=3)
    archive_bucket: str = env("ARCHIVE_BUCKET", min_length=3)
    payload_bucket: str = env("PAYLOAD_BUCKET", min_length=3)
    index_queue_url: str = env("INDEX_QUEUE_URL", min_length=10)
    agency_registry: str = env("AGENCY_REGISTRY", "{}")
    rejections_topic_arn: str | None = env("REJECTIONS_TOPIC_ARN", None)
    max_body_bytes: int = env("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, ge=10_000, le=390_000)


@dataclass(frozen=True, slots=True)
class IndexSettings(_FromEnv):
    articles_table: str = env("ARTICLES_TABLE", min_length=3)
    index_table: str = env("INDEX_TABLE", min_length=3)


@dataclass(frozen=True, slots=True)
class ApiSettings(_FromEnv):
    articles_table: str = env("ARTICLES_TABLE", min_length=3)
    index_table: str = env("INDEX_TABLE", min_length=3)
    comments_table: str | None = env("COMMENTS_TABLE", None)
    comment_queue_url: str | None = env("COMMENT_QUEUE_URL", None)
    max_comment_chars: int = env("MAX_COMMENT_CHARS", 1000, ge=10, le=10_000)


@dataclass(frozen=True, slots=True)
class ModerateSettings(_FromEnv):
    comments_table: str = env("COMMENTS_TABLE", min_length=3)
    articles_table: str = env("ARTICLES_TABLE", min_length=3)
