"""`briefing submit` against the stack deployed from template.yaml into moto."""

from __future__ import annotations

import json
import random
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from briefing.releases.model import ReleaseDocument
from briefing.storage.articles import ArticleStore
from briefing_cli.client import (
    EXTENDED_SIZE_ATTRIBUTE,
    S3_POINTER_CLASS,
    Sender,
    SubmitState,
    read_submissions,
    submit,
)
from briefing_cli.local.instrument import Instrument, handler_scope, instrumented
from briefing_cli.local.runtime import DrainReport
from briefing_cli.main import main
from tests.conftest import REPO, Pipeline, as_json, newsitem, shared_file

STACK = ["--stack-name", "briefing-local"]


def drain_ingest(pipeline: Pipeline) -> DrainReport:
    """Drain IngestQueue only: these tests are about what reaches the articles table, and the
    indexer behind IndexQueue has its own tests (and its own pace on moto)."""
    report = DrainReport()
    mappings = [m for m in pipeline.stack.mappings if m.function_logical_id == "IngestReleaseFunction"]
    for _ in range(500):
        if sum(pipeline.poller.poll_once(m, report) for m in mappings) == 0 and all(
            pipeline.poller.queue_depth(m.queue_url) == 0 for m in mappings
        ):
            return report
    report.bounded = True
    return report


def store(pipeline: Pipeline) -> ArticleStore:
    return ArticleStore(pipeline.stack.outputs["ArticlesTableName"])


def heads(pipeline: Pipeline, ids: list[str]) -> dict[str, int]:
    found = {}
    for article_id in ids:
        head = store(pipeline).get_head(article_id)
        if head is not None:
            found[article_id] = head["version"]
    return found


def queue_depth(pipeline: Pipeline) -> int:
    attributes = pipeline.sqs.get_queue_attributes(
        QueueUrl=pipeline.stack.outputs["IngestQueueUrl"], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


@pytest.mark.shared
def test_backfill_of_the_dev_releases_stores_each_once_and_a_rerun_sends_nothing(
    pipeline: Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    releases = shared_file("releases/newsitems-dev.jsonl")
    ids = [json.loads(line)["NewsItemId"] for line in releases.read_text("utf-8").splitlines()]
    state = tmp_path / "state.json"

    assert main(["submit", str(releases), *STACK, "--state", str(state)]) == 0
    first = capsys.readouterr()
    assert "sent 38 (0 as claim checks), already sent 0, invalid 0, failed 0" in first.out
    assert "[38/38]" in first.err  # progress on stderr
    drain_ingest(pipeline)
    assert heads(pipeline, ids) == dict.fromkeys(ids, 1)
    assert store(pipeline).rejections("-") == []

    assert main(["submit", str(releases), *STACK, "--state", str(state)]) == 0
    second = capsys.readouterr()
    assert "sent 0 (0 as claim checks), already sent 38, invalid 0, failed 0" in second.out
    assert queue_depth(pipeline) == 0
    recorded = json.loads(state.read_text("utf-8"))["queues"][pipeline.stack.outputs["IngestQueueUrl"]]
    assert len(recorded["releases"]) == 38
    print(first.out + first.err + second.out)  # the figures quoted in the hand-over note


def test_a_body_too_large_for_sqs_travels_as_an_extended_client_claim_check(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    big = newsitem(DataContents="□ 대용량 보도자료 본문입니다.\n\n" + "ㅇ 세부 내용 문단입니다. " * 9000)
    body = as_json(big)
    (tmp_path / "big.json").write_text(body, encoding="utf-8")
    assert len(body.encode()) > 262_144

    assert main(["submit", str(tmp_path / "big.json"), *STACK, "--state", str(tmp_path / "s.json")]) == 0

    url = pipeline.stack.outputs["IngestQueueUrl"]
    [message] = pipeline.sqs.receive_message(  # a look that leaves it visible for the drain
        QueueUrl=url, MessageAttributeNames=["All"], VisibilityTimeout=0
    )["Messages"]
    bucket = pipeline.stack.outputs["PayloadBucketName"]
    pointer = json.loads(message["Body"])
    assert pointer[0] == S3_POINTER_CLASS and set(pointer[1]) == {"s3BucketName", "s3Key"}
    assert message["Body"] == json.dumps(pointer, separators=(",", ":"))  # Jackson's compact form
    assert pointer[1]["s3BucketName"] == bucket
    stored = boto3.client("s3").get_object(Bucket=bucket, Key=pointer[1]["s3Key"])["Body"].read()
    assert stored.decode() == body
    assert message["MessageAttributes"][EXTENDED_SIZE_ATTRIBUTE] == {
        "DataType": "Number",
        "StringValue": str(len(body.encode())),
    }

    drain_ingest(pipeline)
    head = store(pipeline).get_head("156754098")
    assert head is not None and head["version"] == 1


def test_invalid_releases_are_reported_per_file_and_nothing_of_them_is_sent(
    pipeline: Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.json").write_text(as_json(newsitem()), encoding="utf-8")
    (tmp_path / "bad.json").write_text(
        as_json(newsitem(NewsItemId="156754100", ModifyId=0)), encoding="utf-8"
    )
    (tmp_path / "broken.jsonl").write_text('{"agency": "외교부", \n', encoding="utf-8")

    assert main(["submit", str(tmp_path), *STACK, "--state", str(tmp_path / "s.json")]) == 1
    out = capsys.readouterr().out
    assert "invalid  bad.json (국토교통부/156754100" in out and "ModifyId" in out
    assert "invalid  broken.jsonl:1" in out and "invalid-json" in out
    assert "sent 1 " in out
    drain_ingest(pipeline)
    assert heads(pipeline, ["156754098", "156754100"]) == {"156754098": 1}
    assert store(pipeline).rejections("국토교통부") == []  # caught before sending, not at ingest


def test_a_changed_release_with_an_unchanged_version_is_caught_before_sending(
    pipeline: Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "release.json"
    release.write_text(as_json(newsitem()), encoding="utf-8")
    assert main(["submit", str(release), *STACK]) == 0  # default state file beside the input
    assert (tmp_path / ".briefing-submit-state.json").exists()

    release.write_text(as_json(newsitem(Title="고친 제목")), encoding="utf-8")
    assert main(["submit", str(release), *STACK]) == 1
    assert "version-conflict" in capsys.readouterr().out

    release.write_text(as_json(newsitem(Title="고친 제목", ModifyId=2, ContentsStatus="U")), encoding="utf-8")
    assert main(["submit", str(release), *STACK]) == 0
    drain_ingest(pipeline)
    assert [v["version"] for v in store(pipeline).versions("156754098")] == [1, 2]


def test_a_dry_run_validates_and_plans_but_sends_and_records_nothing(
    pipeline: Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.json").write_text(as_json(newsitem()), encoding="utf-8")
    assert main(["submit", str(tmp_path / "a.json"), *STACK, "--dry-run"]) == 0
    assert "would send 1" in capsys.readouterr().out
    assert queue_depth(pipeline) == 0
    assert not (tmp_path / ".briefing-submit-state.json").exists()


def test_an_xml_envelope_too_big_for_one_message_is_split_per_newsitem(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    paragraph = "ㅇ 항만 물동량 통계 세부 내용입니다. " * 1500  # ~70 KB of Korean per item
    items = "".join(
        f"<NewsItem><NewsItemId>{156754200 + n}</NewsItemId><ContentsStatus>I</ContentsStatus>"
        f"<ModifyId>1</ModifyId><ApproveDate>04/13/2026 09:00:00</ApproveDate>"
        f"<Title><![CDATA[항만 물동량 {n}월 동향]]></Title><ContentsType>T</ContentsType>"
        f"<DataContents><![CDATA[□ 해양수산부는 {n}월 물동량을 발표했다.\n\n{paragraph}]]></DataContents>"
        f"<MinisterCode>해양수산부</MinisterCode></NewsItem>"
        for n in range(1, 6)
    )
    envelope = f"<response><header><resultCode>0</resultCode></header><body>{items}</body></response>"
    (tmp_path / "feed.xml").write_text(envelope, encoding="utf-8")
    assert len(envelope.encode()) > 262_144

    submissions = list(read_submissions(tmp_path / "feed.xml"))
    assert [s.source for s in submissions] == [f"feed.xml#{n}" for n in range(1, 6)]
    assert all(s.valid and s.size < 250 * 1024 for s in submissions)

    assert main(["submit", str(tmp_path / "feed.xml"), *STACK, "--state", str(tmp_path / "s.json")]) == 0
    drain_ingest(pipeline)
    ids = [str(156754200 + n) for n in range(1, 6)]
    assert heads(pipeline, ids) == dict.fromkeys(ids, 1)


@pytest.mark.shared
def test_throttled_and_failing_sends_are_retried_until_every_release_is_stored(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    releases = shared_file("releases/newsitems-dev.jsonl")
    ids = [json.loads(line)["NewsItemId"] for line in releases.read_text("utf-8").splitlines()]
    # No SDK retries: every injected throttle, 5xx or timeout reaches the client's own loop.
    sqs = boto3.client("sqs", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
    waits: list[float] = []
    url = pipeline.stack.outputs["IngestQueueUrl"]
    sender = Sender(sqs, url, attempts=12, sleep=waits.append, rng=random.Random(7))
    state = SubmitState(tmp_path / "state.json")
    with instrumented(Instrument(chaos_rate=0.7, seed=2)) as instrument, handler_scope():
        summary = submit(sqs, url, list(read_submissions(releases)), state=state, sender=sender)
    assert instrument.log.faults_injected > 0 and waits  # faults happened and were waited out
    assert summary.failed == [] and len(summary.sent) == 38
    drain_ingest(pipeline)  # some faults hit after SQS had the message: duplicates, which change nothing
    assert heads(pipeline, ids) == dict.fromkeys(ids, 1)
    assert all(len(store(pipeline).versions(i)) == 1 for i in ids)


def test_an_imported_page_is_a_valid_release_and_ingests(
    pipeline: Pipeline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "release.json"
    page = REPO / "tests" / "fixtures" / "pages" / "mois-2026-04-10.html"
    assert main(["import-page", str(page), "--out", str(out)]) == 0
    release = json.loads(out.read_text("utf-8"))
    assert "source" not in release and "english_version" not in release
    document = ReleaseDocument.model_validate(release)

    assert main(["import-page", str(page), "--with-provenance"]) == 0
    wrapped = json.loads(capsys.readouterr().out)
    assert wrapped["release"] == release
    assert wrapped["provenance"]["source"] == {"kind": "saved-page", "name": page.name}

    assert main(["submit", str(out), *STACK, "--state", str(tmp_path / "s.json")]) == 0
    drain_ingest(pipeline)
    head = store(pipeline).get_head(document.release_id)
    assert head is not None and head["agency"] == document.agency and head["title"] == document.title
