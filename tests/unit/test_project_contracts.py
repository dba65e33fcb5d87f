"""Contracts between the code and the template/packaging that would otherwise drift apart."""

from __future__ import annotations

import tomllib

from briefing.settings import IngestSettings
from briefing_cli.local.stack import load_template
from tests.conftest import REPO


def function_environment(logical_id: str) -> set[str]:
    template = load_template()
    own = template["Resources"][logical_id]["Properties"].get("Environment", {}).get("Variables", {})
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    return set(own) | set(shared)


def test_ingest_settings_read_exactly_what_the_template_sets() -> None:
    declared = function_environment("IngestReleaseFunction")
    read = IngestSettings.env_names()
    optional = {"MAX_BODY_BYTES"}  # has a safe default; set it in the template to change it
    assert read - optional <= declared, f"settings read variables the template never sets: {read - declared}"


def test_every_sqs_consumer_reports_partial_batch_failures_and_every_queue_has_a_dlq() -> None:
    resources = load_template()["Resources"]
    queues = {k for k, v in resources.items() if v["Type"] == "AWS::SQS::Queue"}
    dead_letter_targets = {
        v["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for v in resources.values()
        if v["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in v["Properties"]
    }
    assert queues == dead_letter_targets | {
        k for k in queues if "RedrivePolicy" in resources[k]["Properties"]
    }
    timeout = load_template()["Globals"]["Function"]["Timeout"]
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name
                queue = event["Properties"]["Queue"]["Fn::GetAtt"][0]
                assert resources[queue]["Properties"]["VisibilityTimeout"] >= 6 * timeout, queue


def test_layer_requirements_pin_the_same_runtime_versions_as_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = dict(dep.split("==") for dep in project["dependencies"])
    layer = dict(
        line.split("==")
        for line in (REPO / "layers/common/requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert layer, "the layer ships its dependencies"
    for name, version in layer.items():
        assert pinned.get(name) == version, name
    lock = (REPO / "requirements-dev.lock").read_text(encoding="utf-8")
    for name, version in pinned.items():
        assert f"{name}=={version}".lower() in lock.lower().replace("_", "-"), name


def test_a_bad_environment_fails_loudly_naming_every_variable() -> None:
    from briefing.settings import SettingsError

    env = {"ARTICLES_TABLE": "t", "ARCHIVE_BUCKET": "archive", "MAX_BODY_BYTES": "lots"}
    try:
        IngestSettings.from_env(env)
    except SettingsError as exc:
        message = str(exc)
    else:
        raise AssertionError("settings accepted a broken environment")
    for problem in (
        "ARTICLES_TABLE must have at least 3",
        "PAYLOAD_BUCKET is not set",
        "MAX_BODY_BYTES must be an integer",
    ):
        assert problem in message
    good = {
        **env,
        "ARTICLES_TABLE": "articles",
        "PAYLOAD_BUCKET": "payloads",
        "INDEX_QUEUE_URL": "https://sqs/q",
    }
    settings = IngestSettings.from_env({**good, "MAX_BODY_BYTES": "200000"})
    assert (settings.max_body_bytes, settings.agency_registry, settings.rejections_topic_arn) == (
        200_000,
        "{}",
        None,
    )
