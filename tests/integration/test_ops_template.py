"""The operations section of template.yaml: alarms on every queue, the dashboard, and the diagram.

Queues are discovered from the template's redrive policies, functions from their types, so a
queue or function added later without alarms, dashboard widgets or a place in
docs/architecture.md fails here until it gets them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import pytest

from briefing_cli.local.stack import LocalStack, load_template
from tests.conftest import REPO

DIAGRAM_TYPES = {
    "AWS::SQS::Queue",
    "AWS::DynamoDB::Table",
    "AWS::Serverless::Function",
    "AWS::Lambda::Function",
    "AWS::SNS::Topic",
    "AWS::S3::Bucket",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::Api",
    "AWS::CloudWatch::Dashboard",
}


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return dict(load_template()["Resources"])


def redrive_pairs(resources: dict[str, Any]) -> dict[str, str]:
    """{source queue: its dead-letter queue}, from the RedrivePolicy of every queue."""
    return {
        name: r["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for name, r in resources.items()
        if r["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in r["Properties"]
    }


def alarms_on(resources: dict[str, Any], queue: str, metric: str) -> list[dict[str, Any]]:
    found = []
    for resource in resources.values():
        props = resource.get("Properties", {})
        if resource["Type"] != "AWS::CloudWatch::Alarm" or props.get("MetricName") != metric:
            continue
        if props.get("Namespace") == "AWS/SQS" and props.get("Dimensions") == [
            {"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}
        ]:
            found.append(props)
    return found


def test_every_dead_letter_queue_alarms_on_its_first_message(resources: dict[str, Any]) -> None:
    dead_letter_queues = set(redrive_pairs(resources).values())
    assert {"IngestDeadLetterQueue", "IndexDeadLetterQueue"} <= dead_letter_queues
    for queue in sorted(dead_letter_queues):
        [alarm] = alarms_on(resources, queue, "ApproximateNumberOfMessagesVisible") or [None]
        assert alarm is not None, f"no depth alarm on {queue}"
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold"), queue
        assert alarm["Statistic"] == "Maximum" and alarm["TreatMissingData"] == "notBreaching", queue
        assert {"Ref": "OperatorsTopic"} in alarm["AlarmActions"], queue


def test_every_source_queue_alarms_on_the_age_of_its_oldest_message(resources: dict[str, Any]) -> None:
    for queue in sorted(redrive_pairs(resources)):
        [alarm] = alarms_on(resources, queue, "ApproximateAgeOfOldestMessage") or [None]
        assert alarm is not None, f"no age alarm on {queue}"
        assert alarm["Threshold"] == {"Ref": "QueueAgeAlarmSeconds"}, queue
        assert {"Ref": "OperatorsTopic"} in alarm["AlarmActions"], queue


def test_the_operators_topic_is_encrypted_with_a_key_cloudwatch_may_use(resources: dict[str, Any]) -> None:
    topic = resources["OperatorsTopic"]["Properties"]
    key = resources[topic["KmsMasterKeyId"]["Ref"]]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    assert any(
        s["Principal"] == {"Service": "cloudwatch.amazonaws.com"} and "kms:GenerateDataKey*" in s["Action"]
        for s in statements
    )


def dashboard_body(resources: dict[str, Any]) -> str:
    return str(resources["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])


def test_the_dashboard_shows_every_queue_and_function(resources: dict[str, Any]) -> None:
    body = dashboard_body(resources)
    for source, dead_letter_queue in redrive_pairs(resources).items():
        assert f'"ApproximateAgeOfOldestMessage", "QueueName", "${{{source}.QueueName}}"' in body, source
        assert (
            f'"ApproximateNumberOfMessagesVisible", "QueueName", "${{{dead_letter_queue}.QueueName}}"' in body
        ), dead_letter_queue
    functions = [n for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"]
    for function in functions:
        for metric in ("Errors", "Throttles", "Duration"):
            assert f'"{metric}", "FunctionName", "${{{function}}}"' in body, (function, metric)
    for metric in ("Accepted", "Duplicate", "Stale", "Rejected", "RecordFailed"):
        assert f'["Briefing", "{metric}", "service", "ingest-release"]' in body
    assert "Rejected NOT MetricName" in body and "Moderation" in body and "Rule" in body


def test_the_deployed_dashboard_is_valid_json_with_real_names(stack: LocalStack) -> None:
    answer = boto3.client("cloudwatch").get_dashboard(DashboardName="briefing-local-operations")
    body = json.loads(answer["DashboardBody"])
    text = json.dumps(body, ensure_ascii=False)
    ingest_queue = stack.resources["IngestQueue"].rsplit("/", 1)[-1]
    assert f'"QueueName", "{ingest_queue}"' in text
    assert stack.functions["IngestReleaseFunction"].physical_name in text
    assert "${" not in text  # every substitution resolved
    assert "OperatorsTopicArn" in stack.outputs


# ---------------------------------------------------------------------------------------------
# docs/architecture.md


def diagram() -> str:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    found = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert found, "docs/architecture.md has a mermaid diagram"
    return found.group(1)


def test_the_architecture_diagram_names_every_queue_table_function_and_topic(
    resources: dict[str, Any],
) -> None:
    nodes = set(re.findall(r"\b([A-Z][A-Za-z0-9]+)\s*[\[(\{>]", diagram()))
    expected = {n for n, r in resources.items() if r["Type"] in DIAGRAM_TYPES}
    assert expected - nodes == set(), "missing from docs/architecture.md"
    assert nodes - set(resources) == set(), "in docs/architecture.md but not in template.yaml"
