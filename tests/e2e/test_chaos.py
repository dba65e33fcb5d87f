"""Fault injection on the whole pipeline (issue #7): transient AWS faults at 10, 30 and 50 % of
calls, an outage that fills the dead-letter queues, process crashes mid-batch, duplicate
deliveries. Every run must end in the state a run of the same input without faults ends in:
each release stored and indexed once at its newest version, each comment decided once, nothing
left in a dead-letter queue (or, after an outage, nothing after a redrive).

Figures per run go to stdout (`pytest -s`) and, with BRIEFING_CHAOS_REPORT=<file>, to a JSON file.
A longer soak (every rate x several seeds, or the whole dev set) is scripts/soak.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from briefing_cli.client import read_submissions, submit
from briefing_cli.local.chaos import (
    NOW,
    EndState,
    Scenario,
    build_scenario,
    dev_rows,
    end_state,
    figures,
    run_scenario,
)
from briefing_cli.local.http import LocalHttpApi
from briefing_cli.local.instrument import Instrument, instrumented
from briefing_cli.local.pipeline import embedded_aws, post_comments, simulated_clock
from briefing_cli.local.runtime import Poller, dead_letter_counts, function_logs, invoke, sqs_record
from briefing_cli.local.stack import LocalStack, deploy, load_template
from briefing_cli.ops import DeadLetters
from tests.conftest import shared_file

FIGURES: list[dict[str, Any]] = []


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    rows = dev_rows(shared_file("releases/newsitems-dev.jsonl"))
    return build_scenario(rows, articles=6, corrections=2, withdrawals=1, seed=7)


@pytest.fixture(scope="module")
def clean(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> EndState:
    """The same input without faults: the state every faulty run must end in."""
    with embedded_aws():
        result = run_scenario(scenario, tmp_path_factory.mktemp("clean"))
        state = end_state(result.stack.outputs)
    record("clean", figures(scenario, state, result))
    # the reference itself is what the scenario asks for
    assert {i: (v, s == "withdrawn") for i, (v, s, _) in state.heads.items()} == {
        i: (v, s == "withdrawn") for i, (v, s) in scenario.expected.items()
    }
    assert len(state.comments) == len(scenario.comments)
    return state


@pytest.fixture(scope="module", autouse=True)
def figures_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Functions' logs to a file (not the test output); the figures to a file when asked."""
    logs = (tmp_path_factory.mktemp("logs") / "function-logs.jsonl").open("w", encoding="utf-8")
    previous, function_logs.stream = function_logs.stream, logs
    yield
    function_logs.stream = previous
    logs.close()
    target = os.environ.get("BRIEFING_CHAOS_REPORT")
    if target and FIGURES:
        Path(target).write_text(json.dumps(FIGURES, ensure_ascii=False, indent=1), encoding="utf-8")


def record(name: str, numbers: dict[str, Any]) -> None:
    FIGURES.append({"run": name, **numbers})
    print(f"\n{name}: {json.dumps(numbers, ensure_ascii=False)}")


def deployed_with_releases(scenario: Scenario, folder: Path) -> LocalStack:
    """A fresh stack with the scenario's releases sent as an agency sends them (not yet consumed)."""
    stack = deploy()
    submit(
        boto3.client("sqs"),
        stack.outputs["IngestQueueUrl"],
        list(read_submissions(scenario.write_feed(folder / "deliveries.jsonl"))),
        s3=boto3.client("s3"),
        payload_bucket=stack.outputs["PayloadBucketName"],
    )
    return stack


def assert_same_end_state(state: EndState, clean: EndState, scenario: Scenario) -> None:
    """Each accepted release stored once at its newest version and indexed once (lists, postings,
    document frequencies and corpus statistics equal to the clean run's); each comment decided
    once, the same way; no generation left half-applied."""
    assert state.heads == clean.heads
    assert state.lists == clean.lists
    assert state.shards == clean.shards  # the shards that hold entries
    assert state.unregistered == 0  # every entry is in a shard its list names (else readers miss it)
    assert state.postings == clean.postings
    assert state.df == clean.df
    assert state.corpus == clean.corpus
    assert state.states == clean.states
    assert state.pending_steps == 0
    assert state.duplicates == {"list_entries": 0, "postings": 0}
    assert state.comments == clean.comments
    assert set(state.audits.values()) == {1}  # decided once: one audit record per comment
    assert set(state.audits) == set(clean.audits)
    # a stale version may or may not be kept (a version 1 arriving after its correction is not),
    # but every head's version is, each once, and nothing that was not sent
    assert len(state.versions) == len(set(state.versions))
    assert {(i, v) for i, (v, _, _) in state.heads.items()} <= set(state.versions) <= scenario.sent_versions


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_transient_faults_lose_and_duplicate_nothing(
    scenario: Scenario, clean: EndState, rate: float, tmp_path: Path
) -> None:
    with embedded_aws():
        result = run_scenario(scenario, tmp_path, chaos=rate, seed=int(rate * 100))
        state = end_state(result.stack.outputs)
    numbers = figures(scenario, state, result)
    record(f"chaos {rate:.0%}", numbers)
    assert numbers["faults"] > 0
    if rate >= 0.3:  # at 10 % the SDK's retries absorb every fault of this small input
        assert numbers["failed_records"] > 0  # some outlasted them: SQS redelivered
    assert result.report["dead_letter_queues"] == {
        "CommentDeadLetterQueue": 0,
        "IndexDeadLetterQueue": 0,
        "IngestDeadLetterQueue": 0,
    }
    assert (numbers["lost"], numbers["duplicated"]) == (0, 0)
    assert (numbers["comments_lost"], numbers["comments_decided_twice"]) == (0, 0)
    assert_same_end_state(state, clean, scenario)


def test_process_crashes_mid_batch_converge(scenario: Scenario, clean: EndState, tmp_path: Path) -> None:
    """A handler's process dies right after a call returned (its write done, nothing acknowledged),
    anywhere in a batch: Lambda retries the whole batch in a fresh environment."""
    with embedded_aws():
        result = run_scenario(scenario, tmp_path, seed=3, crash_rate=0.006)
        state = end_state(result.stack.outputs)
    numbers = figures(scenario, state, result)
    record("crashes", numbers)
    assert numbers["crashes"] >= 1
    assert sum(numbers["dead_letters"].values()) == 0
    assert_same_end_state(state, clean, scenario)


def test_an_outage_dead_letters_and_a_redrive_restores_the_same_state(
    scenario: Scenario, clean: EndState, tmp_path: Path
) -> None:
    """The indexer and the moderator fail every call (outage mode) while releases and comments
    arrive: their messages are dead-lettered after five receives. When the outage ends,
    `briefing dlq redrive` (its ops function) moves them back, and the run ends as a clean one."""
    outage = frozenset({"IndexArticleFunction", "ModerateCommentFunction"})
    with embedded_aws():
        stack = deployed_with_releases(scenario, tmp_path)
        sqs = boto3.client("sqs")
        poller = Poller(stack)
        dead_letters = DeadLetters(
            sqs, cloudformation=boto3.client("cloudformation"), stack_name=stack.stack_name
        )

        def outage_then_redrive() -> dict[str, int]:
            with instrumented(Instrument(1.0, seed=1, long_bursts=1.0, functions=outage)):
                poller.drain(500)
            during = dead_letter_counts(stack)
            for queue in dead_letters.resolve(None, None):
                dead_letters.redrive(queue)
            with instrumented(Instrument(0.1, seed=2)):  # after the outage, everyday faults
                poller.drain(500)
            return during

        releases_during = outage_then_redrive()
        assert releases_during["IngestDeadLetterQueue"] == 0  # ingestion was not affected
        assert releases_during["IndexDeadLetterQueue"] >= len(scenario.expected)  # every article's hand-off
        api = LocalHttpApi(stack, load_template())
        with simulated_clock(NOW, stack):
            posted = post_comments(api, scenario.comments)
        assert {r.status for _, r in posted} == {202}
        comments_during = outage_then_redrive()
        assert comments_during["CommentDeadLetterQueue"] == len(scenario.comments)
        assert dead_letter_counts(stack) == {
            "CommentDeadLetterQueue": 0,
            "IndexDeadLetterQueue": 0,
            "IngestDeadLetterQueue": 0,
        }
        state = end_state(stack.outputs)
    print(f"\noutage: dead-lettered {releases_during} then {comments_during}; after redrive none")
    assert_same_end_state(state, clean, scenario)


def test_the_same_messages_delivered_twice_change_nothing(
    scenario: Scenario, clean: EndState, tmp_path: Path
) -> None:
    """At-least-once delivery: every SQS message of every stage handed to its function twice
    (two invocations with the same records, the second in reverse order) before it is deleted."""
    with embedded_aws():
        stack = deployed_with_releases(scenario, tmp_path)
        sqs = boto3.client("sqs")

        def deliver_twice() -> int:
            handed = 0
            for mapping in stack.mappings:
                spec = stack.functions[mapping.function_logical_id]
                while messages := sqs.receive_message(
                    QueueUrl=mapping.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
                ).get("Messages", []):
                    records = [sqs_record(m, mapping) for m in messages]
                    for batch in (records, list(reversed(records))):
                        assert invoke(spec, {"Records": batch}) == {"batchItemFailures": []}
                    for m in messages:
                        sqs.delete_message(QueueUrl=mapping.queue_url, ReceiptHandle=m["ReceiptHandle"])
                    handed += len(messages)
            return handed

        while deliver_twice():
            pass
        api = LocalHttpApi(stack, load_template())
        with simulated_clock(NOW, stack):
            post_comments(api, scenario.comments)
        while deliver_twice():
            pass
        state = end_state(stack.outputs)
    assert_same_end_state(state, clean, scenario)
