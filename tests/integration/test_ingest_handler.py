"""IngestReleaseFunction on the stack deployed from template.yaml into moto."""

from __future__ import annotations

import json

import boto3
import pytest

from briefing.storage.articles import ArticleStore
from briefing_cli.local.instrument import Instrument, instrumented
from briefing_cli.local.stack import LocalStack
from tests.conftest import EVENTS, Pipeline, as_json, newsitem


def store(stack: LocalStack) -> ArticleStore:
    return ArticleStore(stack.outputs["ArticlesTableName"])


def archived_keys(stack: LocalStack) -> list[str]:
    answer = boto3.client("s3").list_objects_v2(Bucket=stack.outputs["ArchiveBucketName"])
    return sorted(o["Key"] for o in answer.get("Contents", []))


def test_a_release_is_archived_stored_and_handed_on_for_indexing(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem()))
    report = pipeline.drain_only("IngestReleaseFunction")
    assert report.failed_records == 0

    head = store(pipeline.stack).get_head("156754098")
    assert head is not None
    assert (head["agency"], head["version"], head["status"]) == ("국토교통부", 1, "active")
    assert head["publish_at"] == "2026-04-12T11:00:00+09:00"

    keys = archived_keys(pipeline.stack)
    assert len(keys) == 1 and keys[0].startswith("originals/%EA%B5%AD%ED%86%A0")  # 국토교통부, URL-quoted
    original = boto3.client("s3").get_object(Bucket=pipeline.stack.outputs["ArchiveBucketName"], Key=keys[0])
    assert json.loads(original["Body"].read())["NewsItemId"] == "156754098"

    [handoff] = pipeline.messages("IndexQueueUrl")
    assert json.loads(handoff["Body"]) == {
        "agency": "국토교통부",
        "article_id": "156754098",
        "release_id": "156754098",
        "status": "active",
        "version": 1,
    }


def test_duplicate_deliveries_store_one_version_and_archive_one_object(pipeline: Pipeline) -> None:
    body = as_json(newsitem())
    pipeline.send(body, body, body)
    pipeline.drain()
    assert [v["version"] for v in store(pipeline.stack).versions("156754098")] == [1]
    assert len(archived_keys(pipeline.stack)) == 1


def test_a_correction_before_its_original_still_ends_at_the_correction(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem(ContentsStatus="U", ModifyId=2, Title="정정된 제목")))
    pipeline.drain()
    pipeline.send(as_json(newsitem()))  # the original, late
    pipeline.drain()
    head = store(pipeline.stack).get_head("156754098")
    assert head is not None and head["version"] == 2 and head["title"] == "정정된 제목"
    assert [v["version"] for v in store(pipeline.stack).versions("156754098")] == [2]


def test_a_withdrawal_tombstones_the_article_and_keeps_its_history(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem()))
    pipeline.drain()
    pipeline.send(as_json({"NewsItemId": "156754098", "ContentsStatus": "D", "ModifyId": 2,
                           "ApproveDate": "04/12/2026 18:00:00", "MinisterCode": "국토교통부"}))  # fmt: skip
    pipeline.drain()
    head = store(pipeline.stack).get_head("156754098")
    assert head is not None and head["status"] == "withdrawn" and head["version"] == 2
    assert [v["status"] for v in store(pipeline.stack).versions("156754098")] == ["active", "withdrawn"]


def test_same_version_with_different_content_is_a_conflict_not_an_overwrite(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem()))
    pipeline.drain()
    pipeline.send(as_json(newsitem(Title="몰래 바꾼 제목")))
    pipeline.drain()
    head = store(pipeline.stack).get_head("156754098")
    assert head is not None and head["title"] != "몰래 바꾼 제목"
    [rejection] = store(pipeline.stack).rejections("국토교통부")
    assert rejection["reason"] == "version-conflict"
    assert "version 2" in rejection["message"]


def test_another_agency_cannot_correct_or_withdraw_a_release_it_does_not_own(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem()))
    pipeline.drain()
    pipeline.send(
        as_json(newsitem(MinisterCode="해양수산부", ModifyId=5, ContentsStatus="U", Title="가로채기"))
    )
    pipeline.send(as_json({"NewsItemId": "156754098", "ContentsStatus": "D", "ModifyId": 6,
                           "ApproveDate": "04/12/2026 18:00:00", "MinisterCode": "해양수산부"}))  # fmt: skip
    pipeline.drain()
    head = store(pipeline.stack).get_head("156754098")
    assert head is not None and (head["agency"], head["version"], head["status"]) == (
        "국토교통부",
        1,
        "active",
    )
    reasons = [r["reason"] for r in store(pipeline.stack).rejections("해양수산부")]
    assert reasons == ["release-id-taken", "release-id-taken"]


def test_spoofed_sender_is_rejected_recorded_and_announced(pipeline: Pipeline) -> None:
    event = json.loads((EVENTS / "IngestReleaseFunction" / "spoofed-sender.json").read_text(encoding="utf-8"))
    result = pipeline.invoke("IngestReleaseFunction", event)
    assert result == {"batchItemFailures": []}  # acknowledged: retrying cannot help
    assert store(pipeline.stack).get_head("148930617") is None
    [rejection] = store(pipeline.stack).rejections("외교부")
    assert rejection["reason"] == "unauthorised-sender"
    assert "AROASPOOFEDROLEID:mallory" in rejection["message"]


def test_one_invalid_record_never_fails_its_neighbours(pipeline: Pipeline) -> None:
    event = json.loads(
        (EVENTS / "IngestReleaseFunction" / "batch-with-one-invalid.json").read_text(encoding="utf-8")
    )
    result = pipeline.invoke("IngestReleaseFunction", event)
    assert result == {"batchItemFailures": []}
    assert store(pipeline.stack).get_head("156754098") is not None
    assert store(pipeline.stack).get_head("148930617") is not None
    [rejection] = store(pipeline.stack).rejections("고용노동부")
    assert rejection["reason"] == "invalid-release" and "version" in rejection["message"]


def test_transient_aws_errors_are_retried_by_the_sdk_then_by_sqs(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem()), as_json(newsitem(NewsItemId="156754099")))
    with instrumented(Instrument(chaos_rate=0.7, seed=3)) as instrument:
        report = pipeline.drain()
    assert instrument.log.faults_injected > 0
    assert report.failed_records > 0  # some faults outlasted the SDK's retries: the record failed...
    for article_id in ("156754098", "156754099"):
        head = store(pipeline.stack).get_head(article_id)
        assert head is not None and head["version"] == 1  # ...and SQS's redelivery finished the job
    assert len(archived_keys(pipeline.stack)) == 2
    assert pipeline.messages("IngestDeadLetterQueueUrl") == []


def test_a_poison_message_ends_in_the_dead_letter_queue(pipeline: Pipeline) -> None:
    pipeline.send(as_json(newsitem()))
    with instrumented(Instrument(chaos_rate=1.0, seed=1, long_bursts=1.0)):  # an outage, not a blip
        report = pipeline.drain()
    assert report.failed_records == 5  # maxReceiveCount in template.yaml
    [dead] = pipeline.messages("IngestDeadLetterQueueUrl")
    assert json.loads(dead["Body"])["NewsItemId"] == "156754098"
    assert store(pipeline.stack).get_head("156754098") is None


def test_claim_check_pointer_in_extended_client_format_is_resolved(pipeline: Pipeline) -> None:
    bucket = pipeline.stack.outputs["PayloadBucketName"]
    big = newsitem(DataContents="□ 대용량 본문입니다.\n\n" + "ㅇ 세부 내용 문단입니다. " * 8000)
    assert len(as_json(big).encode()) > 262_144  # more than an SQS message may carry
    boto3.client("s3").put_object(Bucket=bucket, Key="agency/big.json", Body=as_json(big).encode())
    pointer = [
        "software.amazon.payloadoffloading.PayloadS3Pointer",
        {"s3BucketName": bucket, "s3Key": "agency/big.json"},
    ]
    pipeline.send(json.dumps(pointer))
    pipeline.drain()
    head = store(pipeline.stack).get_head("156754098")
    assert head is not None and head["version"] == 1


def test_a_body_too_large_to_store_is_rejected_with_advice(pipeline: Pipeline) -> None:
    bucket = pipeline.stack.outputs["PayloadBucketName"]
    huge = newsitem(DataContents="ㅇ 세부 내용 문단입니다. " * 40000)
    boto3.client("s3").put_object(Bucket=bucket, Key="agency/huge.json", Body=as_json(huge).encode())
    pipeline.send(
        json.dumps(
            [
                "software.amazon.payloadoffloading.PayloadS3Pointer",
                {"s3BucketName": bucket, "s3Key": "agency/huge.json"},
            ]
        )
    )
    pipeline.drain()
    assert store(pipeline.stack).get_head("156754098") is None
    [rejection] = store(pipeline.stack).rejections("국토교통부")
    assert rejection["reason"] == "too-large" and "attachments" in rejection["message"]


@pytest.mark.parametrize("bucket", ["someone-elses-bucket", None])
def test_claim_checks_pointing_outside_the_payload_bucket_are_rejected(
    pipeline: Pipeline, bucket: str | None
) -> None:
    target = bucket or pipeline.stack.outputs["PayloadBucketName"]
    key = "missing.json" if bucket is None else "x.json"
    pipeline.send(
        json.dumps(
            ["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": target, "s3Key": key}]
        )
    )
    pipeline.drain()
    [rejection] = store(pipeline.stack).rejections("-")
    assert rejection["reason"] == "invalid-claim-check"


def test_every_sample_event_invokes_cleanly(pipeline: Pipeline) -> None:
    files = sorted((EVENTS / "IngestReleaseFunction").glob("*.json"))
    assert len(files) >= 7
    for file in files:
        event = json.loads(file.read_text(encoding="utf-8"))
        assert pipeline.invoke("IngestReleaseFunction", event) == {"batchItemFailures": []}, file.name
