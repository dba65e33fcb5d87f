"""The local runner's moto patches change speed, not answers: the same transactions give the same
items and the same errors with and without them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from briefing_cli.local import moto_patches

TABLE = "counters"


def counter(pk: str, deltas: dict[str, str], **extra: Any) -> dict[str, Any]:
    names = {f"#f{i}": name for i, name in enumerate(deltas)}
    values = {f":v{i}": {"N": delta} for i, delta in enumerate(deltas.values())}
    update = {
        "TableName": TABLE,
        "Key": {"pk": {"S": pk}, "sk": {"S": "DF"}},
        "UpdateExpression": "ADD " + ", ".join(f"#f{i} :v{i}" for i in range(len(deltas))),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        **extra,
    }
    return {"Update": update}


SCENARIOS: list[list[dict[str, Any]]] = [
    [counter("DF#정책", {"df": "1"})],  # a new counter
    [counter("DF#정책", {"df": "1"}), counter("DF#교통", {"df": "2"})],
    [counter("DF#정책", {"df": "-1"})],  # back down to zero
    [counter("STATS", {"docs": "1", "total_len": "-37"})],  # two attributes, a negative delta
    [counter("DF#정책", {"df": "1"}, ConditionExpression="attribute_exists(pk)")],  # conditional
    [counter("DF#이름", {"name": "1"})],  # ADD of a number to a string: DynamoDB refuses
    [counter("DF#교통", {"df": "1"}), counter("DF#이름", {"name": "1"})],  # all or nothing
]


def new_table() -> Any:
    """A client and the pk/sk table of these tests, in the current mock."""
    client = boto3.client("dynamodb", region_name="ap-northeast-2")
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


def run(patched: bool) -> tuple[list[dict[str, Any]], list[str]]:
    with mock_aws():
        if patched:
            moto_patches.apply()
        try:
            client = new_table()
            client.put_item(
                TableName=TABLE, Item={"pk": {"S": "DF#이름"}, "sk": {"S": "DF"}, "name": {"S": "가나다"}}
            )
            errors = [
                outcome(lambda s=scenario: client.transact_write_items(TransactItems=s))
                for scenario in SCENARIOS
            ]
            items = sorted(client.scan(TableName=TABLE)["Items"], key=lambda i: i["pk"]["S"])
            return items, errors
        finally:
            if patched:
                moto_patches.revert()


def outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as exc:
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        return f"{exc.response['Error']['Code']} {reasons}"
    return "ok"


@pytest.mark.parametrize("scenario", range(len(SCENARIOS)))
def test_counter_updates_give_what_moto_gives(scenario: int) -> None:
    items, errors = run(patched=True)
    expected_items, expected_errors = run(patched=False)
    assert errors[scenario] == expected_errors[scenario]
    assert items == expected_items


def test_the_scenarios_reach_both_outcomes() -> None:
    items, errors = run(patched=True)
    assert errors[:5] == ["ok"] * 5 and "ok" not in errors[5:]
    counts = {i["pk"]["S"]: i.get("df", {}).get("N") for i in items}
    # 정책: +1 +1 -1, then +1 under its condition; 교통: +2, and the failed transaction's +1 undone
    assert counts["DF#정책"] == "2" and counts["DF#교통"] == "2"


def read_answers(patched: bool) -> list[dict[str, Any]]:
    """What the SDK decodes from each read, over items holding every attribute type."""
    with mock_aws():
        if patched:
            moto_patches.apply()
        try:
            client = new_table()
            for n in range(3):
                client.put_item(
                    TableName=TABLE,
                    Item={
                        "pk": {"S": "ART#1"},
                        "sk": {"S": f"V#{n}"},
                        "body": {"B": "보도자료 본문".encode() + bytes([0, 255, n])},
                        "score": {"N": "6.3098"},
                        "related": {
                            "L": [{"M": {"id": {"S": "156754285"}, "score": {"N": "1.5"}}}, {"NULL": True}]
                        },
                        "agencies": {"SS": ["외교부", "관세청"]},
                        "hashes": {"BS": [b"\x01", b"\x02"]},
                        "counts": {"NS": ["1", "20"]},
                        "withdrawn": {"BOOL": False},
                    },
                )
            key = {"pk": {"S": "ART#1"}, "sk": {"S": "V#1"}}
            return [
                client.query(
                    TableName=TABLE,
                    KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "ART#1"}},
                    Limit=2,
                ),
                client.scan(TableName=TABLE),
                client.get_item(TableName=TABLE, Key=key),
                client.get_item(TableName=TABLE, Key={"pk": {"S": "ART#2"}, "sk": {"S": "V#1"}}),
                client.batch_get_item(
                    RequestItems={TABLE: {"Keys": [key, {"pk": {"S": "없음"}, "sk": {"S": "V#1"}}]}}
                ),
            ]
        finally:
            if patched:
                moto_patches.revert()


def test_read_answers_are_what_moto_answers() -> None:
    patched, plain = read_answers(patched=True), read_answers(patched=False)
    for answer in patched + plain:
        answer.pop("ResponseMetadata")
    assert patched == plain
    assert patched[2]["Item"]["body"]["B"].endswith(bytes([0, 255, 1]))  # binary survives the wire
    assert patched[0]["LastEvaluatedKey"] == {"pk": {"S": "ART#1"}, "sk": {"S": "V#1"}}


def test_a_client_request_token_makes_a_repeat_harmless_and_a_reuse_an_error() -> None:
    """As DynamoDB does: the SDK's retry of a transaction that did complete (its answer lost)
    succeeds without applying it twice; the same token with other items is refused."""
    with mock_aws():
        moto_patches.apply()
        try:
            client = new_table()
            once = [counter("DF#정책", {"df": "1"})]
            client.transact_write_items(TransactItems=once, ClientRequestToken="token-1")
            client.transact_write_items(TransactItems=once, ClientRequestToken="token-1")
            other = outcome(
                lambda: client.transact_write_items(
                    TransactItems=[counter("DF#정책", {"df": "5"})], ClientRequestToken="token-1"
                )
            )
            item = client.get_item(TableName=TABLE, Key={"pk": {"S": "DF#정책"}, "sk": {"S": "DF"}})["Item"]
        finally:
            moto_patches.revert()
    assert item["df"] == {"N": "1"}
    assert other.startswith("IdempotentParameterMismatch")
