"""Feedback to agencies: `briefing status` and the rejections topic, on the local stack."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from briefing_cli.main import main
from tests.conftest import Pipeline, as_json, newsitem
from tests.integration.test_agency_submit import STACK, drain_ingest


def subscribe(pipeline: Pipeline, name: str, agency: str) -> str:
    """An agency's own queue on RejectionsTopic, filtered on the `agency` message attribute."""
    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(
        TopicArn=pipeline.stack.outputs["RejectionsTopicArn"],
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps({"agency": [agency]}), "RawMessageDelivery": "true"},
    )
    return url


def received(url: str) -> list[dict[str, object]]:
    messages = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_rejection_reaches_only_the_subscribed_agency(pipeline: Pipeline) -> None:
    mofa = subscribe(pipeline, "mofa-rejections", "외교부")
    molit = subscribe(pipeline, "molit-rejections", "국토교통부")
    pipeline.send(as_json(newsitem()))
    pipeline.send(as_json(newsitem(Title="몰래 바꾼 제목")))  # same version, other content
    pipeline.send(
        as_json({"agency": "외교부", "release_id": "mofa-2026-0001", "version": 1, "title": "제목만 있음"})
    )
    drain_ingest(pipeline)

    [for_mofa] = received(mofa)
    assert for_mofa["type"] == "release.rejected" and for_mofa["reason"] == "invalid-release"
    assert for_mofa["agency"] == "외교부" and for_mofa["release_id"] == "mofa-2026-0001"
    [for_molit] = received(molit)
    assert for_molit["reason"] == "version-conflict" and "version 2" in str(for_molit["message"])


def test_status_shows_rejections_in_words_and_the_version_history(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    pipeline.send(as_json(newsitem()))
    drain_ingest(pipeline)
    pipeline.send(as_json(newsitem(ContentsStatus="U", ModifyId=2, Title="도시 데이터 시범사업 (정정)")))
    pipeline.send(as_json(newsitem(Title="몰래 바꾼 제목")))
    drain_ingest(pipeline)

    assert main(["status", "--agency", "국토교통부", "--release", "156754098", *STACK]) == 0
    out = capsys.readouterr().out
    assert "국토교통부: 1 rejection(s)" in out
    assert "[version-conflict]" in out and "정정은 버전(ModifyId)을 1 올려 보내세요" in out
    assert "send the change as version 3" in out  # the ingest function's own words
    assert "release 156754098: v2 active" in out and "도시 데이터 시범사업 (정정)" in out
    assert out.count("  v1  active") == 1 and out.count("  v2  active") == 1

    table = pipeline.stack.outputs["ArticlesTableName"]
    assert main(["status", "--agency", "외교부", "--table", table, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"agency": "외교부", "rejections": []}


def test_status_of_another_agencys_release_says_who_owns_it(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pipeline.send(as_json(newsitem()))
    pipeline.send(as_json(newsitem(MinisterCode="해양수산부", ModifyId=2, ContentsStatus="U")))
    drain_ingest(pipeline)
    assert main(["status", "--agency", "해양수산부", "--release", "156754098", *STACK, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert [r["reason"] for r in status["rejections"]] == ["release-id-taken"]
    assert status["release"]["owned_by_another_agency"] is True
    assert status["release"]["head"]["agency"] == "국토교통부"


def test_status_without_a_table_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--agency", "외교부"]) == 2
    assert "--table" in capsys.readouterr().err
