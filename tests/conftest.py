"""Shared fixtures: the embedded stack built from template.yaml (moto, in-process), and data paths."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from briefing_cli.local.pipeline import embedded_aws
from briefing_cli.local.runtime import DrainReport, Poller, invoke
from briefing_cli.local.stack import LocalStack, deploy

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLES = REPO / "samples" / "releases"
EVENTS = REPO / "events"


def shared_file(relative: str) -> Path:
    """A file of ../shared/data, or a clear skip where that folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"needs ../shared/data/{relative} (the shared development data is not present here)")
    return path


@pytest.fixture
def stack() -> Iterator[LocalStack]:
    """A fresh deployment of template.yaml into moto for one test."""
    with embedded_aws():
        yield deploy()


class Pipeline:
    """Send like an agency, drain like Lambda, look at the tables: the tests' vocabulary."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.sqs = boto3.client("sqs")
        self.poller = Poller(stack)

    def send(self, *bodies: str) -> None:
        for body in bodies:
            self.sqs.send_message(QueueUrl=self.stack.outputs["IngestQueueUrl"], MessageBody=body)

    def drain(self) -> Any:
        return self.poller.drain(max_rounds=500)

    def drain_only(self, function: str) -> Any:
        """Run one stage only (e.g. ingestion, leaving the index hand-off on its queue)."""
        report = DrainReport()
        for mapping in [m for m in self.stack.mappings if m.function_logical_id == function]:
            while self.poller.poll_once(mapping, report):
                pass
        return report

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return invoke(self.stack.functions[function], event)

    def messages(self, output: str) -> list[dict[str, Any]]:
        """Everything waiting on a queue (received then left invisible: tests look, once)."""
        found: list[dict[str, Any]] = []
        while True:
            batch = self.sqs.receive_message(
                QueueUrl=self.stack.outputs[output], MaxNumberOfMessages=10, AttributeNames=["All"]
            ).get("Messages", [])
            if not batch:
                return found
            found.extend(batch)


@pytest.fixture
def pipeline(stack: LocalStack) -> Pipeline:
    return Pipeline(stack)


def newsitem(**overrides: Any) -> dict[str, Any]:
    """A realistic NewsItem (국토교통부 text release) to vary in tests."""
    item: dict[str, Any] = {
        "NewsItemId": "156754098",
        "ContentsStatus": "I",
        "ModifyId": 1,
        "ApproveDate": "04/12/2026 11:00:00",
        "EmbargoDate": "",
        "GroupingCode": "brief",
        "Title": "우리 동네 교통&middot;안전 문제,  &#39;도시 데이터&#39;로 해결한다",
        "ContentsType": "T",
        "DataContents": "□ 국토교통부는 도시 데이터 시범사업 지자체 5곳을 선정했다.\n\nㅇ 버스 정류장 혼잡도를 분석한다.",
        "MinisterCode": "국토교통부",
        "OriginalUrl": "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156754098",
        "FileName": ["보도자료.hwpx"],
        "FileUrl": ["https://www.korea.kr/common/download.do?fileId=1"],
    }
    item.update(overrides)
    return item


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def direct_sqs_record(body: str, sender: str, receipt: str = "direct") -> dict[str, Any]:
    """An IngestQueue record as Lambda would hand it over, for bodies SQS itself would refuse
    (lone surrogates, oversize) or senders the local queue cannot impersonate."""
    return {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": receipt,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1776045609000",
            "SenderId": sender,
            "ApproximateFirstReceiveTimestamp": "1776045609500",
        },
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:ap-northeast-2:123456789012:briefing-IngestQueue",
        "awsRegion": "ap-northeast-2",
    }
