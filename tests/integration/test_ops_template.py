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

from briefing_cli.local.stack import LocalStack, load_template, translate
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
        found = alarms_on(resources, queue, "ApproximateNumberOfMessagesVisible")
        assert len(found) == 1, f"{len(found)} depth alarms on {queue}"
        [alarm] = found
        assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold"), queue
        assert alarm["Statistic"] == "Maximum" and alarm["TreatMissingData"] == "notBreaching", queue
        assert {"Ref": "OperatorsTopic"} in alarm["AlarmActions"], queue


def test_every_source_queue_alarms_on_the_age_of_its_oldest_message(resources: dict[str, Any]) -> None:
    for queue in sorted(redrive_pairs(resources)):
        found = alarms_on(resources, queue, "ApproximateAgeOfOldestMessage")
        assert len(found) == 1, f"{len(found)} age alarms on {queue}"
        [alarm] = found
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


# ---------------------------------------------------------------------------------------------
# Template security: encryption at rest, TLS in transit, narrow policies, log retention.
# scripts/ci/deploy_checks.sh runs checkov and cfn-lint too; these pin the properties we chose
# (SSE-SQS rather than KMS on queues, for instance) so a change to them is a visible decision.


def of_type(resources: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def policy_statements(resources: dict[str, Any], policy_type: str, target_key: str, target: str) -> list[Any]:
    """Statements of every resource policy of policy_type that names target in target_key."""
    found = []
    for resource in of_type(resources, policy_type).values():
        props = resource["Properties"]
        targets = props[target_key] if isinstance(props[target_key], list) else [props[target_key]]
        if {"Ref": target} in targets:
            found.extend(props["PolicyDocument"]["Statement"])
    return found


def actions_of(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


def denies_plain_http(statements: list[Any]) -> bool:
    return any(
        s["Effect"] == "Deny"
        and s["Principal"] == "*"
        and s["Condition"] == {"Bool": {"aws:SecureTransport": False}}
        for s in statements
    )


def test_every_queue_is_encrypted_and_refuses_plain_http(resources: dict[str, Any]) -> None:
    queues = of_type(resources, "AWS::SQS::Queue")
    assert len(queues) >= 6
    for name, queue in queues.items():
        # SSE-SQS, so agencies in other accounts can send without grants on a KMS key.
        assert queue["Properties"].get("SqsManagedSseEnabled") is True, name
        statements = policy_statements(resources, "AWS::SQS::QueuePolicy", "Queues", name)
        assert denies_plain_http(statements), f"{name} accepts requests without TLS"


def test_every_bucket_is_encrypted_private_and_refuses_plain_http(resources: dict[str, Any]) -> None:
    buckets = of_type(resources, "AWS::S3::Bucket")
    assert {"ArchiveBucket", "PayloadBucket", "AccessLogsBucket"} <= set(buckets)
    for name, bucket in buckets.items():
        props = bucket["Properties"]
        [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms"), name
        assert set(props["PublicAccessBlockConfiguration"].values()) == {True}, name
        assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}], name
        statements = policy_statements(resources, "AWS::S3::BucketPolicy", "Bucket", name)
        assert denies_plain_http(statements), f"{name} accepts requests without TLS"
        if name != "AccessLogsBucket":
            assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "AccessLogsBucket"}, name


def test_every_topic_is_encrypted_and_refuses_plain_http(resources: dict[str, Any]) -> None:
    for name, topic in of_type(resources, "AWS::SNS::Topic").items():
        assert topic["Properties"].get("KmsMasterKeyId"), name
        statements = policy_statements(resources, "AWS::SNS::TopicPolicy", "Topics", name)
        assert denies_plain_http(statements), f"{name} accepts publishing without TLS"


def test_resource_policies_admit_named_principals_and_actions_only(resources: dict[str, Any]) -> None:
    for kind in ("AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy"):
        for name, policy in of_type(resources, kind).items():
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                if statement["Effect"] != "Allow":
                    continue
                assert statement["Principal"] != "*" and statement["Principal"] != {"AWS": "*"}, name
                actions = actions_of(statement)
                assert not any(a == "*" or a.endswith(":*") for a in actions), (name, actions)


def test_no_function_role_allows_every_action_or_every_resource() -> None:
    """Checked on the translated template: SAM's policy templates and event-source policies included."""
    translated, _ = translate(load_template(), {})
    roles = of_type(translated["Resources"], "AWS::IAM::Role")
    assert len(roles) >= 4
    xray = {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess"}
    for name, role in roles.items():
        # X-Ray's policy is the one managed policy: tracing has no resource-level permissions.
        assert role["Properties"].get("ManagedPolicyArns", []) in ([], [xray]), name
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = actions_of(statement)
                assert not any(a == "*" or a.endswith(":*") for a in actions), (name, actions)
                assert statement.get("Resource") not in ("*", ["*"]), (name, policy["PolicyName"], actions)


def test_every_function_logs_with_retention_and_has_a_concurrency_ceiling(resources: dict[str, Any]) -> None:
    log_groups = of_type(resources, "AWS::Logs::LogGroup")
    for name, function in of_type(resources, "AWS::Serverless::Function").items():
        # An undeclared group would be created by Lambda itself, without retention.
        log_group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert log_group in log_groups, name
        assert function["Properties"]["ReservedConcurrentExecutions"] > 0, name
    for name, log_group in log_groups.items():
        assert log_group["Properties"]["RetentionInDays"] > 0, name


def test_every_checkov_skip_gives_its_reason(resources: dict[str, Any]) -> None:
    skips = [
        (name, skip)
        for name, r in resources.items()
        for skip in r.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips
    for name, skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), (name, skip)
        assert len(skip.get("comment", "").split()) >= 5, f"{name} skips {skip['id']} without a reason"
