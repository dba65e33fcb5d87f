"""The partial batch loop every SQS consumer uses: one bad record never fails its neighbours."""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.sqs_batch import SqsRecord, process_batch


def sqs_record(message_id: str, body: str, **system: str) -> dict:
    return {
        "messageId": message_id,
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1", **system},
        "messageAttributes": {"kind": {"stringValue": "release", "dataType": "String"}},
    }


def test_only_the_failing_records_are_reported_for_redelivery() -> None:
    seen: list[str] = []

    def handle(record: SqsRecord) -> None:
        seen.append(record.message_id)
        if "실패" in record.body:
            raise RuntimeError("transient")

    event = {
        "Records": [sqs_record("m1", "외교부 보도자료"), sqs_record("m2", "실패"), sqs_record("m3", "관세청")]
    }
    assert process_batch(event, handle) == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert seen == ["m1", "m2", "m3"]


def test_record_fields_are_read_from_the_lambda_event() -> None:
    raw = sqs_record(
        "m1", "본문", SenderId="AROAEXAMPLE", SentTimestamp="1767225600000", ApproximateReceiveCount="3"
    )
    record = SqsRecord.from_event(raw)
    assert record.sender_id == "AROAEXAMPLE"
    assert record.sent_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert record.attributes == {"kind": "release"}


def test_an_empty_or_odd_event_is_an_empty_success() -> None:
    assert process_batch({}, lambda r: None) == {"batchItemFailures": []}
    record = SqsRecord.from_event({"messageId": "m", "attributes": {"SentTimestamp": "soon"}})
    assert (record.body, record.sent_at, record.sender_id) == ("", None, None)
