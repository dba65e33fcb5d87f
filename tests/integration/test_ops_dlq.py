"""`briefing dlq show|redrive` on the local stack: a poison message, inspected and replayed."""

from __future__ import annotations

import json

import boto3
import pytest

from briefing.storage.articles import ArticleStore
from briefing_cli.local.instrument import Instrument, instrumented
from briefing_cli.local.stack import load_template
from briefing_cli.main import main
from briefing_cli.ops import DeadLetters, summarise_body
from tests.conftest import Pipeline, as_json, newsitem
from tests.integration.test_agency_submit import STACK, drain_ingest


def dead_letter(pipeline: Pipeline, *bodies: str) -> None:
    """Every handler AWS call fails: five receives, then the dead-letter queue."""
    pipeline.send(*bodies)
    with instrumented(Instrument(chaos_rate=1.0, seed=1, long_bursts=1.0)):
        report = drain_ingest(pipeline)
    assert report.failed_records == 5 * len(bodies)


def depth(url: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def test_show_summarises_dead_letters_without_printing_bodies(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(pipeline, as_json(newsitem(DataContents="□ 비공개 초안 문장입니다.\n\nㅇ 세부 내용.")))
    assert main(["dlq", "show", *STACK]) == 0
    out = capsys.readouterr().out
    assert (
        "IngestDeadLetterQueue: 1 dead letter(s); source " + pipeline.stack.outputs["IngestQueueUrl"] in out
    )
    assert "국토교통부/156754098@v1" in out and "receives 6" in out  # 5 in the source queue + this look
    assert "first received 20" in out
    assert "비공개 초안" not in out  # bodies only with --bodies
    assert "IndexDeadLetterQueue: 0 dead letter(s)" in out
    assert depth(pipeline.stack.outputs["IngestDeadLetterQueueUrl"]) == 1  # looking moved nothing

    assert (
        main(
            [
                "dlq",
                "show",
                *STACK,
                "--bodies",
                "--queue-url",
                pipeline.stack.outputs["IngestDeadLetterQueueUrl"],
            ]
        )
        == 0
    )
    assert "비공개 초안" in capsys.readouterr().out


def test_redrive_replays_a_dead_letter_and_the_release_is_stored_exactly_once(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(pipeline, as_json(newsitem()), as_json(newsitem(NewsItemId="156754099")))
    dlq_url = pipeline.stack.outputs["IngestDeadLetterQueueUrl"]

    assert main(["dlq", "redrive", *STACK, "--dry-run"]) == 0
    assert "IngestDeadLetterQueue: would move 2 message(s) to " in capsys.readouterr().out
    assert depth(dlq_url) == 2

    assert main(["dlq", "redrive", *STACK, "--max", "1"]) == 0
    assert "IngestDeadLetterQueue: moved 1 message(s)" in capsys.readouterr().out
    assert main(["dlq", "redrive", *STACK]) == 0
    assert "IngestDeadLetterQueue: moved 1 message(s)" in capsys.readouterr().out
    assert depth(dlq_url) == 0

    [replayed, _] = pipeline.sqs.receive_message(
        QueueUrl=pipeline.stack.outputs["IngestQueueUrl"],
        MaxNumberOfMessages=10,
        MessageAttributeNames=["All"],
        VisibilityTimeout=0,
    )["Messages"]
    assert replayed["MessageAttributes"]["briefing-redrives"]["StringValue"] == "1"

    drain_ingest(pipeline)
    store = ArticleStore(pipeline.stack.outputs["ArticlesTableName"])
    for article_id in ("156754098", "156754099"):
        assert [v["version"] for v in store.versions(article_id)] == [1]
    archived = boto3.client("s3").list_objects_v2(Bucket=pipeline.stack.outputs["ArchiveBucketName"])
    assert len(archived["Contents"]) == 2
    assert depth(dlq_url) == 0


def test_a_failed_redrive_leaves_the_dead_letter_in_place(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(pipeline, as_json(newsitem()))
    dlq_url = pipeline.stack.outputs["IngestDeadLetterQueueUrl"]
    gone = boto3.client("sqs").create_queue(QueueName="deleted-source")["QueueUrl"]
    boto3.client("sqs").delete_queue(QueueUrl=gone)
    code = main(["dlq", "redrive", *STACK, "--queue-url", dlq_url, "--source-queue-url", gone])
    assert code == 1
    assert "1 left in place" in capsys.readouterr().out
    assert depth(dlq_url) == 1


def test_sources_are_found_for_every_dead_letter_queue_of_the_template(pipeline: Pipeline) -> None:
    resources = load_template()["Resources"]
    expected = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]: name
        for name, q in resources.items()
        if q["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in q["Properties"]
    }
    found = DeadLetters(
        boto3.client("sqs"), cloudformation=boto3.client("cloudformation"), stack_name="briefing-local"
    ).resolve(None, None)
    assert {q.name: q.source_url for q in found} == {
        dlq: pipeline.stack.resources[source] for dlq, source in expected.items()
    }


def test_body_summaries_name_the_release_in_every_shape() -> None:
    assert summarise_body(as_json(newsitem()))["release_id"] == "156754098"
    release = {"agency": "외교부", "release_id": "mofa-2026-0001", "version": 2}
    assert {k: summarise_body(json.dumps(release))[k] for k in ("agency", "release_id", "version")} == release
    xml = "<Syndicate><NewsItem><NewsItemId>1</NewsItemId><ModifyId>3</ModifyId><MinisterCode>기상청</MinisterCode></NewsItem><NewsItem/></Syndicate>"
    assert summarise_body(xml) | {"bytes": 0} == {
        "bytes": 0, "format": "xml", "items": 2, "agency": "기상청", "release_id": "1", "version": "3"
    }  # fmt: skip
    pointer = '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b","s3Key":"k.json"}]'
    summary = summarise_body(
        pointer, {"ExtendedPayloadSize": {"DataType": "Number", "StringValue": "300000"}}
    )
    assert summary["format"] == "claim-check" and summary["payload"] == "s3://b/k.json"
    assert summary["payload_bytes"] == 300_000
    assert summarise_body("{not json")["format"] == "unreadable"
