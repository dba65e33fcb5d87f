"""The comments table: comments with their decisions and audit trail, authors, repeat history.

Keys (one table, string pk/sk; sparse GSI ``ByList`` on gsi1pk/gsi1sk):
- ``C#<comment id>`` / ``COMMENT``            the comment, its status and decision
- ``C#<comment id>`` / ``AUDIT#<time>#<n>``   who/what decided what, when and why
- ``U#<author>``     / ``STATE``              strikes, block (with reason, who, when)
- ``U#<author>``     / ``R#<time>#<id>``      recent comments (repeats, rate limits; TTL)
- ``K#<repeat key>`` / ``RECENT``             the latest comment per author sharing a fingerprint or
                                               near-duplicate band (campaigns across authors; TTL)
- ``T#<takedown id>``/ ``TAKEDOWN``           an authority's takedown request (R13)
GSI ``ByList``: ``AC#<article id>`` lists an article's published comments, ``REVIEW`` the held ones.

A moderated comment is written in one transaction (comment, audit, author's recent record, repeat
keys, strike), conditioned on the comment being new: a redelivered message cannot decide twice.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from briefing.storage.aws import LazyClient
from briefing.storage.codec import all_items, batch_get, from_item, to_item

# repeat records (and the text normaliser behind them) load where comments are moderated
if TYPE_CHECKING:
    from briefing.moderation.repeats import RepeatRecord

PUBLISHED, HELD, REJECTED, HIDDEN = "published", "held", "rejected", "hidden"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AlreadyDecidedError(Exception):
    """The comment was decided before (a duplicate delivery)."""


class ConflictError(ValueError):
    """A moderator's change meets the comment in another state: decided already, or by someone else
    between reading and writing it (the API answers 409, not 400: the request itself was fine)."""


def _first_condition_failed(exc: ClientError) -> bool:
    """A transaction cancelled because its first item's condition failed (the comment's state)."""
    reasons = [r.get("Code") for r in exc.response.get("CancellationReasons") or []]
    return bool(reasons) and reasons[0] == "ConditionalCheckFailed"


class CommentStore:
    dynamodb = LazyClient("dynamodb")

    def __init__(self, table_name: str, dynamodb: Any | None = None) -> None:
        self.table_name = table_name
        self._dynamodb = dynamodb

    # ------------------------------------------------------------------ author context
    def author_context(self, author: str, since: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The author's state and recent comments, in one query of the author's partition."""
        items = all_items(
            self.dynamodb,
            "query",
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"U#{author}"}},
            ConsistentRead=True,
        )
        state = next((i for i in items if i["sk"] == "STATE"), {})
        recent = [i for i in items if i["sk"].startswith("R#") and i["sk"] >= f"R#{iso(since)}"]
        return state, recent

    def repeat_keys(
        self, keys: list[str], also: tuple[str, dict[str, Any]] | None = None
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
        """{key: {author: record}} for the given repeat keys, and the item ``also`` names
        (table, key) from another table or None: one BatchGetItem for both, none for neither."""
        request: dict[str, Any] = {}
        if keys:
            request[self.table_name] = {
                "Keys": [{"pk": {"S": f"K#{k}"}, "sk": {"S": "RECENT"}} for k in dict.fromkeys(keys)]
            }
        if also is not None:
            assert also[0] != self.table_name, "the other item comes from another table"
            request[also[0]] = {"Keys": [also[1]]}
        if not request:
            return {}, None
        answer = batch_get(self.dynamodb, request)
        found: dict[str, dict[str, Any]] = {}
        extra = None
        for data in answer.get(self.table_name, []):
            if data["pk"].startswith("K#") and data["sk"] == "RECENT":
                found[data["pk"][2:]] = {
                    name[2:]: value for name, value in data.items() if name.startswith("a:")
                }
        if also is not None:  # the one key asked of that table
            extra = next(iter(answer.get(also[0], [])), None)
        return found, extra

    # ------------------------------------------------------------------ writing a decision
    def record_decision(
        self,
        comment: dict[str, Any],
        audit: dict[str, Any],
        repeat_record: RepeatRecord | None,
        strike: bool,
        block: dict[str, Any] | None,
        window: timedelta,
    ) -> None:
        now = datetime.now(UTC)
        expires = int((now + window + timedelta(hours=1)).timestamp())
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": to_item(
                        {"pk": f"C#{comment['id']}", "sk": "COMMENT", **_listing(comment), **comment}
                    ),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Put": {"TableName": self.table_name, "Item": to_item(_audit_item(comment["id"], audit))}},
        ]
        if repeat_record is not None:
            record = _record_dict(repeat_record)
            items.append(
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": to_item(
                            {
                                "pk": f"U#{repeat_record.author}",
                                "sk": f"R#{iso(repeat_record.at)}#{repeat_record.comment_id}",
                                **record,
                                "expires_at": expires,
                            }
                        ),
                    }
                }
            )
            for key in dict.fromkeys(repeat_record.keys):
                items.append(
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": {"pk": {"S": f"K#{key}"}, "sk": {"S": "RECENT"}},
                            # one attribute per author: the latest comment of each author sharing this key
                            "UpdateExpression": "SET #a = :r, expires_at = :exp",
                            "ExpressionAttributeNames": {"#a": f"a:{repeat_record.author}"},
                            "ExpressionAttributeValues": {
                                ":r": to_item({"r": record})["r"],
                                ":exp": {"N": str(expires)},
                            },
                        }
                    }
                )
        if strike or block:
            names = {"#strikes": "strikes"}
            values: dict[str, Any] = {":one": {"N": "1" if strike else "0"}}
            expression = "ADD #strikes :one"
            if block:
                expression += " SET blocked = :true, block_info = :block"
                values[":true"] = {"BOOL": True}
                values[":block"] = to_item({"b": block})["b"]
            items.append(
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": {"pk": {"S": f"U#{comment['author']}"}, "sk": {"S": "STATE"}},
                        "UpdateExpression": expression,
                        "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values,
                    }
                }
            )
        try:
            self.dynamodb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if _first_condition_failed(exc):
                raise AlreadyDecidedError(comment["id"]) from exc
            raise

    # ------------------------------------------------------------------ reading
    def get(self, comment_id: str) -> dict[str, Any] | None:
        answer = self.dynamodb.get_item(
            TableName=self.table_name,
            Key={"pk": {"S": f"C#{comment_id}"}, "sk": {"S": "COMMENT"}},
            ConsistentRead=True,
        )
        return from_item(answer["Item"]) if "Item" in answer else None

    def audit_trail(self, comment_id: str) -> list[dict[str, Any]]:
        answer = self.dynamodb.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :a)",
            ExpressionAttributeValues={":pk": {"S": f"C#{comment_id}"}, ":a": {"S": "AUDIT#"}},
        )
        return [from_item(i) for i in answer.get("Items", [])]

    def listing(
        self, list_key: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "ByList",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": list_key}},
            "ScanIndexForward": list_key == "REVIEW",  # the review queue oldest first
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = _decode_cursor(cursor, list_key)
        answer = self.dynamodb.query(**kwargs)
        items = [from_item(i) for i in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        return items, (_encode_cursor(last, list_key) if last else None)

    def author_state(self, author: str) -> dict[str, Any]:
        answer = self.dynamodb.get_item(
            TableName=self.table_name,
            Key={"pk": {"S": f"U#{author}"}, "sk": {"S": "STATE"}},
            ConsistentRead=True,
        )
        return from_item(answer.get("Item", {}))

    # ------------------------------------------------------------------ moderator actions
    def change_status(
        self,
        comment_id: str,
        status: str,
        audit: dict[str, Any],
        allowed_from: tuple[str, ...],
        comment: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Move a comment between states, with its audit record, only from the allowed states.
        ``comment``: the comment as the caller read it (else it is read here); ``extra``: attributes
        set on it in the same write (an appeal)."""
        comment = comment if comment is not None else self.get(comment_id)
        if comment is None:
            raise LookupError(f"comment {comment_id} does not exist")
        if comment["status"] not in allowed_from:
            raise ConflictError(f"comment {comment_id} is {comment['status']}; cannot become {status}")
        updated = {**comment, **(extra or {}), "status": status}
        listing = _listing(updated)
        names = {"#s": "status"}
        values: dict[str, Any] = {":s": {"S": status}, ":old": {"S": comment["status"]}}
        sets = ["#s = :s"]
        for n, (name, value) in enumerate((extra or {}).items()):
            names[f"#x{n}"] = name
            values[f":x{n}"] = to_item({"v": value})["v"]
            sets.append(f"#x{n} = :x{n}")
        if listing:
            sets += ["gsi1pk = :g", "gsi1sk = :gs"]
            values[":g"], values[":gs"] = {"S": listing["gsi1pk"]}, {"S": listing["gsi1sk"]}
            expression = "SET " + ", ".join(sets)
        else:
            expression = "SET " + ", ".join(sets) + " REMOVE gsi1pk, gsi1sk"
        items = [
            {
                "Update": {
                    "TableName": self.table_name,
                    "Key": {"pk": {"S": f"C#{comment_id}"}, "sk": {"S": "COMMENT"}},
                    "UpdateExpression": expression,
                    "ConditionExpression": "#s = :old",
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            },
            {"Put": {"TableName": self.table_name, "Item": to_item(_audit_item(comment_id, audit))}},
        ]
        try:
            self.dynamodb.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if _first_condition_failed(exc):
                raise ConflictError(
                    f"comment {comment_id} changed while this change was made; reload it and decide again"
                ) from exc
            raise
        return updated

    def set_block(self, author: str, block: dict[str, Any] | None) -> None:
        if block:
            self.dynamodb.update_item(
                TableName=self.table_name,
                Key={"pk": {"S": f"U#{author}"}, "sk": {"S": "STATE"}},
                UpdateExpression="SET blocked = :true, block_info = :b, block_history = list_append(if_not_exists(block_history, :e), :h)",
                ExpressionAttributeValues={
                    ":true": {"BOOL": True},
                    ":b": to_item({"b": block})["b"],
                    ":e": {"L": []},
                    ":h": {"L": [to_item({"b": {"action": "block", **block}})["b"]]},
                },
            )
        else:
            self.dynamodb.update_item(
                TableName=self.table_name,
                Key={"pk": {"S": f"U#{author}"}, "sk": {"S": "STATE"}},
                UpdateExpression="SET blocked = :false, block_history = list_append(if_not_exists(block_history, :e), :h) REMOVE block_info",
                ExpressionAttributeValues={
                    ":false": {"BOOL": False},
                    ":e": {"L": []},
                    ":h": {"L": [to_item({"b": {"action": "unblock", "at": iso(datetime.now(UTC))}})["b"]]},
                },
            )

    def put_takedown(self, takedown: dict[str, Any]) -> None:
        self.dynamodb.put_item(
            TableName=self.table_name,
            Item=to_item({"pk": f"T#{takedown['id']}", "sk": "TAKEDOWN", **takedown}),
            ConditionExpression="attribute_not_exists(pk)",
        )


def _listing(comment: dict[str, Any]) -> dict[str, str]:
    """Sparse index entries: published comments under their article, held ones in the queue."""
    sort = f"{comment['created_at']}#{comment['id']}"
    if comment["status"] == PUBLISHED:
        return {"gsi1pk": f"AC#{comment['article_id']}", "gsi1sk": sort}
    if comment["status"] == HELD:
        return {"gsi1pk": "REVIEW", "gsi1sk": sort}
    return {}


def _audit_item(comment_id: str, audit: dict[str, Any]) -> dict[str, Any]:
    return {"pk": f"C#{comment_id}", "sk": f"AUDIT#{audit['at']}#{uuid.uuid4().hex[:8]}", **audit}


def _record_dict(record: RepeatRecord) -> dict[str, Any]:
    return {
        "comment_id": record.comment_id,
        "author": record.author,
        "fingerprint": record.fingerprint,
        "signature": list(record.signature),
        "at": iso(record.at),
        "article": record.article,
    }


def record_from_dict(data: dict[str, Any]) -> RepeatRecord:
    from briefing.moderation.repeats import RepeatRecord

    return RepeatRecord(
        comment_id=data["comment_id"],
        author=data["author"],
        fingerprint=data["fingerprint"],
        signature=tuple(int(x) for x in data["signature"]),
        at=datetime.strptime(data["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
        article=data.get("article"),
    )


_CURSOR_KEY_NAMES = {"pk", "sk", "gsi1pk", "gsi1sk"}


def _encode_cursor(key: dict[str, Any], list_key: str) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps({"l": list_key, "k": key}).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, list_key: str) -> dict[str, Any]:
    import base64
    import binascii

    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key = data["k"]
        # Exactly the key DynamoDB handed out for this list: anything else makes the query fail.
        if data["l"] != list_key or not isinstance(key, dict) or set(key) != _CURSOR_KEY_NAMES:
            raise ValueError
        if not all(
            isinstance(v, dict) and list(v) == ["S"] and isinstance(v["S"], str) for v in key.values()
        ):
            raise ValueError
        if (
            key["gsi1pk"]["S"] != list_key
            or not key["pk"]["S"].startswith("C#")
            or key["sk"]["S"] != "COMMENT"
        ):
            raise ValueError
        return dict(key)
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError("the cursor is not valid; start again without it") from exc
