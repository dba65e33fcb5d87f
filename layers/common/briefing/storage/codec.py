"""DynamoDB attribute (de)serialisation for plain dicts, and compression of large texts."""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _prepare(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _prepare(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_prepare(v) for v in value]
    return value


def all_items(dynamodb: Any, operation: str, **request: Any) -> list[dict[str, Any]]:
    """Every item a Query or Scan returns, across all its pages (the SDK's paginator), decoded."""
    pages = dynamodb.get_paginator(operation).paginate(**request)
    return [from_item(item) for page in pages for item in page.get("Items", [])]


def batch_get(dynamodb: Any, request: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The items one BatchGetItem (at most 100 keys, any number of tables) finds, decoded, by table.
    Keys DynamoDB leaves unprocessed under load are asked for again until none are left."""
    found: dict[str, list[dict[str, Any]]] = {table: [] for table in request}
    while request:
        answer = dynamodb.batch_get_item(RequestItems=request)
        for table, items in answer.get("Responses", {}).items():
            found[table].extend(from_item(item) for item in items)
        request = answer.get("UnprocessedKeys") or {}
    return found


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    """A plain dict as a DynamoDB item; None values are left out (DynamoDB has no use for them)."""
    return {k: _serializer.serialize(_prepare(v)) for k, v in data.items() if v is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary):
        return bytes(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return sorted(_plain(v) for v in value)
    return value


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def pack_text(text: str) -> bytes:
    """Bodies are stored compressed: Korean text is 3 bytes a character and compresses ~3x."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(data: bytes | None) -> str:
    return zlib.decompress(data).decode("utf-8") if data else ""
