"""The read-side index in DynamoDB: lists, search postings, corpus statistics, related, views.

Keys (one table, string pk/sk; GSI1 for the most-viewed list):
- ``L#<list>#<shard>`` / ``<publish_at UTC>#<id>``   list entries; shard = month (all) or year
- ``LM#<list>``        / ``SHARDS``                  which shards a list has (a string set)
- ``A#<id>``           / ``STATE``                   what is indexed for an article (and pending work)
- ``A#<id>``           / ``STEPS#<generation>``      steps of a pending generation already applied
- ``A#<id>``           / ``VIEWS``                   view counter; GSI1 = (``POP#<month>``, views)
- ``T#<term>``         / ``<impact rank>#<id>``      postings, best first, carrying tf, length, publish_at
- ``DF#<term>``        / ``DF``                      document frequency of a term
- ``STATS``            / ``CORPUS``                  documents and total length (for BM25)

Embargo is enforced by query design: every list query bounds the sort key by the current time,
and every posting carries ``publish_at`` so search drops what is not yet public. Withdrawn
articles have no list entries and no postings.

Indexing is resumable and exactly-once: an article's writes are applied in numbered steps, one
transaction each, that also record the step in ``A#<id>`` / ``STEPS#<generation>``; STATE (the
target) is written with the first step and marked complete with the last. An attempt that fails
half-way is continued, not redone, by the next one, and counters never change twice.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from msgspec import Struct, field

from briefing.storage.aws import LazyClient
from briefing.storage.codec import all_items, from_item, to_item

LIST_ALL = "all"
STEP = 98  # writes per transaction: DynamoDB allows 100; two are bookkeeping (STATE, step record)
POSTINGS_PER_TERM = 200  # the cap that bounds reads per query term


class CursorError(ValueError):
    """A cursor that is not one of ours (tampered, truncated, or from another list)."""


def utc_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def list_names(agency: str, kind: str) -> list[str]:
    return [LIST_ALL, f"agency#{agency}", f"kind#{kind}"]


def shard_of(list_name: str, publish_at: datetime) -> str:
    """Month shards for the busy overall list, year shards for the per-agency and per-kind lists."""
    utc = publish_at.astimezone(UTC)
    return utc.strftime("%Y-%m") if list_name == LIST_ALL else utc.strftime("%Y")


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, list_name: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise CursorError("the cursor is not valid; start again without it") from exc
    if not isinstance(data, dict) or data.get("l") != list_name or not isinstance(data.get("k"), str):
        raise CursorError("the cursor belongs to another list or is malformed; start again without it")
    if not isinstance(data.get("s"), str):
        raise CursorError("the cursor is malformed; start again without it")
    return data


class ListEntry(Struct, frozen=True):
    article_id: str
    title: str
    agency: str
    kind: str
    publish_at: str  # ISO 8601, Korea time
    version: int
    lead: str = ""

    @classmethod
    def from_item(cls, data: dict[str, Any]) -> ListEntry:
        return cls(
            article_id=data["id"],
            title=data["title"],
            agency=data["agency"],
            kind=data["kind"],
            publish_at=data["publish_at"],
            version=data["version"],
            lead=data.get("lead", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "title": self.title,
            "agency": self.agency,
            "kind": self.kind,
            "publish_at": self.publish_at,
            "version": self.version,
            "lead": self.lead,
        }


class Posting(Struct, frozen=True):
    article_id: str
    tf_title: int
    tf_body: int
    length: int
    publish_at: str  # UTC key


class Page(Struct):
    items: list[ListEntry]
    cursor: str | None


class IndexPlan(Struct):
    """Everything one article's index should hold at one generation (its head version)."""

    article_id: str
    generation: int
    entry: ListEntry | None  # None: withdrawn (nothing visible)
    publish_key: str = ""
    lists: list[str] = field(default_factory=list)  # "<list>|<shard>"
    terms: dict[str, list[int]] = field(default_factory=dict)  # term → [tf_title, tf_body, impact rank]
    length: int = 0
    related: list[dict[str, Any]] = field(default_factory=list)


# Term maps hold hundreds of entries: stored as one compact JSON string, not a DynamoDB map,
# which keeps the STATE item cheap to read, write and (de)serialise.
_PACKED = ("terms", "old_terms")


def _encode_state(state: dict[str, Any]) -> dict[str, Any]:
    return {
        k: json.dumps(v, separators=(",", ":"), ensure_ascii=False) if k in _PACKED else v
        for k, v in state.items()
    }


def _decode_state(state: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in _PACKED and isinstance(v, str) else v for k, v in state.items()}


class IndexStore:
    dynamodb = LazyClient("dynamodb")

    def __init__(self, table_name: str, dynamodb: Any | None = None) -> None:
        self.table_name = table_name
        self._dynamodb = dynamodb

    # ------------------------------------------------------------------ state
    def get_state(self, article_id: str) -> dict[str, Any] | None:
        answer = self.dynamodb.get_item(
            TableName=self.table_name,
            Key={"pk": {"S": f"A#{article_id}"}, "sk": {"S": "STATE"}},
            ConsistentRead=True,
        )
        return _decode_state(from_item(answer["Item"])) if "Item" in answer else None

    def get_states(self, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(article_ids))
        for start in range(0, len(ids), 100):
            request = {
                self.table_name: {
                    "Keys": [{"pk": {"S": f"A#{i}"}, "sk": {"S": "STATE"}} for i in ids[start : start + 100]],
                    "ProjectionExpression": "article_id, entry, publish_key, related, generation, complete",
                }
            }
            while request:
                answer = self.dynamodb.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self.table_name, []):
                    state = from_item(item)
                    found[state["article_id"]] = state
                request = answer.get("UnprocessedKeys") or {}
        return found

    def indexing_state(self, article_id: str) -> dict[str, Any] | None:
        """STATE, and for a pending generation the steps already applied (``done``): one query."""
        items = {
            item["sk"]: item
            for item in all_items(
                self.dynamodb,
                "query",
                TableName=self.table_name,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"A#{article_id}"}},
                ConsistentRead=True,
            )
        }
        if "STATE" not in items:
            return None
        state = _decode_state(items["STATE"])
        progress = items.get(f"STEPS#{state['generation']}", {})
        state["done"] = sorted(int(n) for n in progress.get("done", []))
        return state

    def start(self, plan: IndexPlan, previous: dict[str, Any] | None) -> int:
        """Begin a new generation and apply it. The STATE item (the target, and what to undo of the
        previous generation) is written in the same transaction as the first step, so a crash at any
        point leaves a pending generation that the next attempt resumes. Returns items written;
        0 when another generation is pending (the caller reads it and resumes that one)."""
        old = previous or {}
        state = {
            "pk": f"A#{plan.article_id}",
            "sk": "STATE",
            "article_id": plan.article_id,
            "generation": plan.generation,
            "complete": False,
            "entry": plan.entry.to_dict() if plan.entry else None,
            "publish_key": plan.publish_key or None,
            "lists": plan.lists,
            "terms": plan.terms,
            "length": plan.length,
            "old_lists": list(old.get("lists", [])),
            "old_terms": dict(old.get("terms", {})),
            "old_length": int(old.get("length", 0)),
            "old_publish_key": old.get("publish_key"),
            "related": plan.related,
        }
        return self._apply_steps(state, done=set(), begin=True)

    def resume(self, state: dict[str, Any]) -> int:
        """Apply the steps of a pending generation that earlier attempts did not. Returns items written."""
        return self._apply_steps(state, done=set(state.get("done", [])), begin=False)

    # ------------------------------------------------------------------ applying a generation
    def _apply_steps(self, state: dict[str, Any], done: set[int], begin: bool) -> int:
        """Make the index match a generation's STATE in numbered steps, one transaction each.

        Each step records itself in the article's ``STEPS#<generation>`` item in the same
        transaction, so an attempt that fails half-way leaves a record of what it did and the next
        attempt continues from there. Every step is also conditional on the generation still being
        pending, and steps with counter updates on not having been applied yet: counters change
        exactly once, even when a retried call already succeeded or a duplicate runs concurrently.
        The last step marks STATE complete and drops the step record."""
        steps = self._steps(state)
        written = 0
        for number, operations in enumerate(steps):
            if number in done:
                continue
            last = number == len(steps) - 1
            guard = self._state_guard(state, first=begin and number == 0, last=last)
            progress = self._progress_update(state, number, last=last, counts=any(c for _, c in operations))
            try:
                self.dynamodb.transact_write_items(
                    TransactItems=[guard, progress, *(o for o, _ in operations)]
                )
            except ClientError as exc:
                reasons = [r.get("Code") for r in exc.response.get("CancellationReasons") or []]
                if reasons[:1] == ["ConditionalCheckFailed"]:
                    return written  # generation finished (or, when beginning, another is pending)
                if reasons[1:2] == ["ConditionalCheckFailed"]:
                    continue  # an earlier attempt applied this step (its answer was lost)
                raise
            written += len(operations)
        return written

    def _state_guard(self, state: dict[str, Any], *, first: bool, last: bool) -> dict[str, Any]:
        key = {"pk": {"S": f"A#{state['article_id']}"}, "sk": {"S": "STATE"}}
        generation = {":g": {"N": str(state["generation"])}}
        if first:
            item = {k: v for k, v in state.items() if k != "done"} | {"complete": last}
            return {
                "Put": {
                    "TableName": self.table_name,
                    "Item": to_item(_encode_state(item)),
                    "ConditionExpression": "attribute_not_exists(pk) OR (generation < :g AND complete = :true)",
                    "ExpressionAttributeValues": {**generation, ":true": {"BOOL": True}},
                }
            }
        pending = {**generation, ":false": {"BOOL": False}}
        if last:
            return {
                "Update": {
                    "TableName": self.table_name,
                    "Key": key,
                    "UpdateExpression": "SET complete = :true "
                    "REMOVE old_terms, old_lists, old_length, old_publish_key",
                    "ConditionExpression": "generation = :g AND complete = :false",
                    "ExpressionAttributeValues": {**pending, ":true": {"BOOL": True}},
                }
            }
        return {
            "ConditionCheck": {
                "TableName": self.table_name,
                "Key": key,
                "ConditionExpression": "generation = :g AND complete = :false",
                "ExpressionAttributeValues": pending,
            }
        }

    def _progress_update(
        self, state: dict[str, Any], number: int, *, last: bool, counts: bool
    ) -> dict[str, Any]:
        key = {"pk": {"S": f"A#{state['article_id']}"}, "sk": {"S": f"STEPS#{state['generation']}"}}
        if last:
            return {"Delete": {"TableName": self.table_name, "Key": key}}
        update: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": key,
            "UpdateExpression": "ADD done :n",
            "ExpressionAttributeValues": {":n": {"NS": [str(number)]}, ":number": {"N": str(number)}},
        }
        if counts:  # puts and deletes may be repeated harmlessly; counter updates may not
            update["ConditionExpression"] = "attribute_not_exists(done) OR NOT contains(done, :number)"
        else:
            del update["ExpressionAttributeValues"][":number"]
        return {"Update": update}

    def _steps(self, state: dict[str, Any]) -> list[list[tuple[dict[str, Any], bool]]]:
        """The generation's writes, in a fixed order (every attempt numbers the steps alike), as
        (transaction item, changes a counter) in chunks of STEP. Never empty: the last step
        completes the generation even when nothing else changes."""
        article_id, table = state["article_id"], self.table_name
        entry = state.get("entry")
        operations: list[tuple[dict[str, Any], bool]] = []

        def put(item: dict[str, Any]) -> None:
            operations.append(({"Put": {"TableName": table, "Item": to_item(item)}}, False))

        def delete(pk: str, sk: str) -> None:
            operations.append(
                ({"Delete": {"TableName": table, "Key": {"pk": {"S": pk}, "sk": {"S": sk}}}}, False)
            )

        new_lists, old_lists = sorted(set(state.get("lists", []))), sorted(set(state.get("old_lists", [])))
        for key in new_lists:
            list_name, shard = key.split("|", 1)
            put(
                {
                    "pk": f"L#{list_name}#{shard}",
                    "sk": f"{state['publish_key']}#{article_id}",
                    **(entry or {}),
                }
            )
        moved = state.get("old_publish_key") not in (None, state.get("publish_key"))
        for key in old_lists:
            if key not in new_lists or moved:
                list_name, shard = key.split("|", 1)
                delete(f"L#{list_name}#{shard}", self._old_sort_key(state, article_id))
        new_terms: dict[str, list[int]] = state.get("terms", {})
        old_terms: dict[str, list[int]] = state.get("old_terms", {})
        for term in sorted(new_terms):
            tf_title, tf_body, rank = new_terms[term]
            put(
                {
                    "pk": f"T#{term}",
                    "sk": f"{rank:06d}#{article_id}",
                    "id": article_id,
                    "tt": tf_title,
                    "tb": tf_body,
                    "len": state.get("length", 0),
                    "pub": state["publish_key"],
                }
            )
        for term in sorted(old_terms):
            rank = old_terms[term][2]
            if term not in new_terms or new_terms[term][2] != rank:
                delete(f"T#{term}", f"{rank:06d}#{article_id}")
        for key in sorted(set(new_lists) - set(old_lists)):
            list_name, shard = key.split("|", 1)
            operations.append(
                (
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"pk": {"S": f"LM#{list_name}"}, "sk": {"S": "SHARDS"}},
                            "UpdateExpression": "ADD shards :s",
                            "ExpressionAttributeValues": {":s": {"SS": [shard]}},
                        }
                    },
                    False,
                )
            )
        if entry is None:
            # A withdrawn article leaves the most-viewed index (its count stays for the record).
            operations.append(
                (
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"pk": {"S": f"A#{article_id}"}, "sk": {"S": "VIEWS"}},
                            "UpdateExpression": "REMOVE gsi1pk",
                        }
                    },
                    False,
                )
            )
        added, removed = sorted(set(new_terms) - set(old_terms)), sorted(set(old_terms) - set(new_terms))
        for term, delta in [(t, 1) for t in added] + [(t, -1) for t in removed]:
            operations.append((self._counter_update(f"DF#{term}", "DF", {"df": delta}), True))
        doc_delta = (1 if new_terms else 0) - (1 if old_terms else 0)
        length_delta = int(state.get("length", 0)) - int(state.get("old_length", 0))
        if doc_delta or length_delta:
            operations.append(
                (
                    self._counter_update("STATS", "CORPUS", {"docs": doc_delta, "total_len": length_delta}),
                    True,
                )
            )
        return [operations[i : i + STEP] for i in range(0, len(operations), STEP)] or [[]]

    def _old_sort_key(self, state: dict[str, Any], article_id: str) -> str:
        return f"{state.get('old_publish_key') or state.get('publish_key')}#{article_id}"

    def _counter_update(self, pk: str, sk: str, deltas: dict[str, int]) -> dict[str, Any]:
        names = {f"#f{i}": name for i, name in enumerate(deltas)}
        values = {f":v{i}": {"N": str(delta)} for i, delta in enumerate(deltas.values())}
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": {"pk": {"S": pk}, "sk": {"S": sk}},
                "UpdateExpression": "ADD " + ", ".join(f"#f{i} :v{i}" for i in range(len(deltas))),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    # ------------------------------------------------------------------ lists
    def list_page(
        self,
        list_name: str,
        now: datetime,
        limit: int = 20,
        cursor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        kind: str | None = None,
    ) -> Page:
        """Newest first, only what is public at ``now`` (the sort key is bounded by it)."""
        upper = min(now, until) if until else now
        upper_key = utc_key(upper) + "~"  # '~' sorts after '#<id>': includes entries at exactly `upper`
        lower_key = utc_key(since) if since else "0"  # sorts before every time key
        shards = self._shards(list_name, upper, since)
        start_shard, start_key = None, None
        if cursor:
            data = decode_cursor(cursor, list_name)
            start_shard, start_key = data["s"], data["k"]
            shards = [s for s in shards if s <= start_shard]
        items: list[ListEntry] = []
        for shard in shards:
            key_upper = start_key if (start_key and shard == start_shard) else upper_key
            for raw in self._query_entries(
                list_name, shard, lower_key, key_upper, limit - len(items) + 1, kind
            ):
                if len(items) == limit:
                    last = items[-1]
                    next_cursor = encode_cursor(
                        {"l": list_name, "s": self._entry_shard(list_name, last), "k": self._entry_key(last)}
                    )
                    return Page(items, next_cursor)
                items.append(raw)
        return Page(items, None)

    def _entry_shard(self, list_name: str, entry: ListEntry) -> str:
        return shard_of(list_name, datetime.fromisoformat(entry.publish_at))

    def _entry_key(self, entry: ListEntry) -> str:
        return f"{utc_key(datetime.fromisoformat(entry.publish_at))}#{entry.article_id}"

    def _shards(self, list_name: str, upper: datetime, since: datetime | None) -> list[str]:
        answer = self.dynamodb.get_item(
            TableName=self.table_name, Key={"pk": {"S": f"LM#{list_name}"}, "sk": {"S": "SHARDS"}}
        )
        shards = sorted(from_item(answer.get("Item", {})).get("shards", []), reverse=True)
        top = shard_of(list_name, upper)
        bottom = shard_of(list_name, since) if since else ""
        return [s for s in shards if bottom <= s <= top]

    def _query_entries(
        self, list_name: str, shard: str, lower: str, upper: str, want: int, kind: str | None
    ) -> Iterator[ListEntry]:
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {
                ":pk": {"S": f"L#{list_name}#{shard}"},
                ":lo": {"S": lower},
                ":hi": {"S": upper},
            },
            "ScanIndexForward": False,
            "Limit": max(1, min(want, 100)),
        }
        if kind:
            kwargs["FilterExpression"] = "kind = :kind"
            kwargs["ExpressionAttributeValues"][":kind"] = {"S": kind}
        while True:
            page = self.dynamodb.query(**kwargs)
            for item in page.get("Items", []):
                data = from_item(item)
                if data["sk"] == upper:  # an exclusive upper bound when resuming from a cursor
                    continue
                yield ListEntry.from_item(data)
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def neighbours(self, list_name: str, state: dict[str, Any], now: datetime) -> dict[str, ListEntry | None]:
        """Previous (older) and next (newer, but already public) article in the same list."""
        entry = state["entry"]
        publish_at = datetime.fromisoformat(entry["publish_at"])
        key = f"{state['publish_key']}#{state['article_id']}"
        shards = self._shards(list_name, now, None)
        older = self._step(
            list_name, [s for s in shards if s <= shard_of(list_name, publish_at)], key, older=True
        )
        newer = self._step(
            list_name,
            sorted(s for s in shards if s >= shard_of(list_name, publish_at)),
            key,
            older=False,
            upper=utc_key(now) + "~",
        )
        return {"previous": older, "next": newer}

    def _step(
        self, list_name: str, shards: list[str], key: str, *, older: bool, upper: str = ""
    ) -> ListEntry | None:
        for shard in shards:
            condition = "pk = :pk AND sk < :k" if older else "pk = :pk AND sk BETWEEN :k AND :hi"
            values = {":pk": {"S": f"L#{list_name}#{shard}"}, ":k": {"S": key}}
            if not older:
                values[":hi"] = {"S": upper}
            page = self.dynamodb.query(
                TableName=self.table_name,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=values,
                ScanIndexForward=not older,
                Limit=2,
            )
            for item in page.get("Items", []):
                data = from_item(item)
                if data["sk"] == key:
                    continue
                return ListEntry.from_item(data)
        return None

    # ------------------------------------------------------------------ search
    def corpus(self) -> tuple[int, float]:
        answer = self.dynamodb.get_item(
            TableName=self.table_name, Key={"pk": {"S": "STATS"}, "sk": {"S": "CORPUS"}}
        )
        data = from_item(answer.get("Item", {}))
        docs = int(data.get("docs", 0))
        return docs, (int(data.get("total_len", 0)) / docs if docs else 0.0)

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(terms))
        for start in range(0, len(unique), 100):
            request = {
                self.table_name: {
                    "Keys": [{"pk": {"S": f"DF#{t}"}, "sk": {"S": "DF"}} for t in unique[start : start + 100]]
                }
            }
            while request:
                answer = self.dynamodb.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self.table_name, []):
                    data = from_item(item)
                    found[data["pk"][3:]] = int(data.get("df", 0))
                request = answer.get("UnprocessedKeys") or {}
        return found

    def postings(self, term: str, limit: int = POSTINGS_PER_TERM) -> list[Posting]:
        """The best ``limit`` postings of a term (impact-ordered: reads per term stay bounded)."""
        answer = self.dynamodb.query(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"T#{term}"}},
            Limit=limit,
        )
        return [
            Posting(d["id"], int(d["tt"]), int(d["tb"]), int(d["len"]), d["pub"])
            for d in (from_item(i) for i in answer.get("Items", []))
        ]

    # ------------------------------------------------------------------ views
    def count_view(self, article_id: str, publish_at: datetime) -> int:
        """Atomic increment: concurrent readers never lose a view."""
        answer = self.dynamodb.update_item(
            TableName=self.table_name,
            Key={"pk": {"S": f"A#{article_id}"}, "sk": {"S": "VIEWS"}},
            UpdateExpression="ADD #views :one SET gsi1pk = :bucket, article_id = :id",
            ExpressionAttributeNames={"#views": "views"},
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":bucket": {"S": f"POP#{publish_at.astimezone(UTC).strftime('%Y-%m')}"},
                ":id": {"S": article_id},
            },
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["views"]["N"])

    def most_viewed(self, months: Sequence[str], limit: int) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        for month in months:
            answer = self.dynamodb.query(
                TableName=self.table_name,
                IndexName="ByViews",
                KeyConditionExpression="gsi1pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"POP#{month}"}},
                ScanIndexForward=False,
                Limit=limit,
            )
            found.extend(
                (d["pk"][2:], int(d["views"])) for d in (from_item(i) for i in answer.get("Items", []))
            )
        return sorted(found, key=lambda pair: -pair[1])[:limit]
