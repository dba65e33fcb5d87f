"""Four performance fixes and one fidelity fix for moto's DynamoDB, applied by the local runner only.

moto 5.2 (1) backs up a *whole table* (deep copy) once per item of every TransactWriteItems call,
and (2) answers every Query on a table's key by sorting *all* the table's items. Both make a call
cost grow with the table: a 38-release run took ten minutes. The fixes keep moto's semantics
(conditions per item, all-or-nothing, cancellation reasons with ALL_OLD items; the same query
results) but back up only the touched items and read only the queried partition.
(3) In a transaction, a plain counter update (``ADD #a :x, #b :y`` of numbers, no condition: the
index's document-frequency counters, half of the items an article writes) is applied directly:
moto parses, validates and deep-copies for every such item, which was a third of a pipeline run.
(4) The answers of reads (Query, Scan, GetItem, BatchGetItem) are written with ``json.dumps``
(binary values base64, as the wire has them) instead of moto's generic serializer, which walks
the response model for every attribute value: a quarter of a run, more as related-article reads
grow with the corpus.

Fidelity: DynamoDB honours TransactWriteItems' ClientRequestToken (which the SDK fills in once per
call and keeps across its retries): a repeat within ten minutes of a completed transaction succeeds
without applying it again. moto ignores the token, so an SDK retry of a transaction whose first
answer was lost met its own condition failures, which AWS would not answer.
Nothing here is used on AWS; it is pinned to the moto version in requirements-dev.lock.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import time
from decimal import Decimal
from typing import Any

from moto.core.responses import ActionResult
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    DynamodbException,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

_original = DynamoDBBackend.transact_write_items
_original_query = Table.query
_original_handler = DynamoHandler.transact_write_items
_original_serialized = DynamoHandler.serialized
_FAST_READS = frozenset({"Query", "Scan", "GetItem", "BatchGetItem"})

TOKEN_WINDOW = 600.0  # seconds a ClientRequestToken is remembered, as DynamoDB documents
_completed: dict[str, tuple[str, float]] = {}  # token → (request digest, completed at)


class IdempotentParameterMismatch(DynamodbException):
    def __init__(self) -> None:
        super().__init__(
            "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
            message="the client request token was used with other parameters",
        )


def _forget_expired_tokens() -> None:
    """Tokens are remembered in completion order: drop those past the window from the front."""
    now = time.monotonic()
    while _completed:
        oldest = next(iter(_completed))
        if now - _completed[oldest][1] < TOKEN_WINDOW:
            return
        del _completed[oldest]


def handle_transact_write_items(self: DynamoHandler) -> ActionResult:
    """TransactWriteItems with its ClientRequestToken honoured (see the module docstring)."""
    token = self.body.get("ClientRequestToken")
    # a digest, not the request: a long run completes tens of thousands of transactions
    request = hashlib.sha256(
        json.dumps(self.body["TransactItems"], sort_keys=True, default=repr).encode()
    ).hexdigest()
    _forget_expired_tokens()
    if token and token in _completed:
        seen, at = _completed[token]
        if time.monotonic() - at < TOKEN_WINDOW:
            if seen != request:
                raise IdempotentParameterMismatch()
            return ActionResult({"ConsumedCapacity": [], "ItemCollectionMetrics": {}})
    result = _original_handler(self)
    if token:
        _completed[token] = (request, time.monotonic())
    return result


def _key(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op["Item"][table.range_key_attr]
    return key


def _undo(backend: DynamoDBBackend, undo_log: list[tuple[str, dict[str, Any], Any]]) -> None:
    for table_name, key, before in reversed(undo_log):
        if before is None:
            backend.delete_item(table_name, key)
        else:
            backend.put_item(table_name, before.to_json()["Attributes"])


_COUNTER_ADD = re.compile(r"ADD (#\w+ :\w+)(, #\w+ :\w+)*")


def _counter_add(current: Any, op: dict[str, Any], key: dict[str, Any]) -> dict[str, Any] | None:
    """The item after a plain numeric ``ADD`` (as DynamoDB applies it), or None for anything else,
    which moto's own update then handles (and validates)."""
    expression = op["UpdateExpression"]
    if "ConditionExpression" in op or not _COUNTER_ADD.fullmatch(expression):
        return None
    names, values = op.get("ExpressionAttributeNames") or {}, op.get("ExpressionAttributeValues") or {}
    attributes = dict(current.to_json()["Attributes"]) if current is not None else dict(key)
    for clause in expression[4:].split(", "):
        name_ref, value_ref = clause.split(" ")
        name, value = names.get(name_ref), values.get(value_ref)
        if name is None or name in key or not isinstance(value, dict) or set(value) != {"N"}:
            return None
        existing = attributes.get(name)
        if existing is not None and set(existing) != {"N"}:
            return None  # ADD of a number to another type: moto answers DynamoDB's validation error
        total = Decimal(value["N"]) + (Decimal(existing["N"]) if existing else 0)
        attributes[name] = {"N": str(total)}
    return attributes


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    seen: set[str] = set()
    undo_log: list[tuple[str, dict[str, Any], Any]] = []
    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        table_name = op["TableName"]
        key = _key(self, op_type, op)
        marker = table_name + json.dumps(key, sort_keys=True)
        if marker in seen:
            _undo(self, undo_log)
            raise MultipleTransactionsException()
        seen.add(marker)
        current = self.get_item(table_name, key)
        old_image = None
        try:
            condition = op.get("ConditionExpression")
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if condition is not None and not get_filter_expression(condition, names, values).expr(current):
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    old_image = current.to_json()["Attributes"]
                raise ConditionalCheckFailed(item=old_image)
            undo_log.append((table_name, key, copy.deepcopy(current)))
            if op_type == "Put":
                self.put_item(table_name, op["Item"])
            elif op_type == "Delete":
                self.delete_item(table_name, key)
            elif op_type == "Update" and (counted := _counter_add(current, op, key)) is not None:
                self.put_item(table_name, counted)
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type != "ConditionCheck":
                raise ValueError("Unsupported transaction operation")
            errors.append((None, None, None))
        except MockValidationException:
            _undo(self, undo_log)
            raise
        except ConditionalCheckFailed as exc:
            errors.append(("ConditionalCheckFailed", str(exc.message), old_image))
        except Exception as exc:
            errors.append((type(exc).__name__, str(exc), old_image))
    if any(code is not None for code, _, _ in errors):
        _undo(self, undo_log)
        raise TransactionCanceledException(errors)


def _wire(value: Any) -> str:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not part of a DynamoDB read answer")


def handler_serialized(self: DynamoHandler, action_result: ActionResult) -> Any:
    """A read's answer as JSON, the same document moto's serializer writes; anything else as moto does."""
    result = action_result.result
    if isinstance(result, dict) and self._get_action() in _FAST_READS:
        headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
        return 200, headers, json.dumps(result, default=_wire)
    return _original_serialized(self, action_result)


def table_query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    """A query on the table's own key reads that partition, not every item of the table."""
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    if index_name is not None or hash_key is None or not self.range_key_attr:
        return _original_query(self, hash_key, *args, **kwargs)
    partition = list(self.items[hash_key].values()) if hash_key in self.items else []
    self.all_items = lambda: partition  # type: ignore[method-assign]
    try:
        return _original_query(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


def apply() -> None:
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    Table.query = table_query  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = handle_transact_write_items  # type: ignore[method-assign]
    DynamoHandler.serialized = handler_serialized  # type: ignore[method-assign,assignment]
    _completed.clear()


def revert() -> None:
    DynamoDBBackend.transact_write_items = _original  # type: ignore[method-assign]
    Table.query = _original_query  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = _original_handler  # type: ignore[method-assign]
    DynamoHandler.serialized = _original_serialized  # type: ignore[method-assign]
    _completed.clear()
