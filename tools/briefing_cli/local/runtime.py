"""Drive the deployed stack's event sources in-process, the way the Lambda service would.

For each SQS event-source mapping: receive up to BatchSize messages, build real SQS event
records, call the handler with a Lambda context, delete what succeeded, make failures visible
again (SQS then counts the receive and, after maxReceiveCount, moves them to the DLQ).

Like the Lambda service, which starts five concurrent pollers per SQS event source, a function's
batches go round-robin to up to five execution environments. Each has its own module state: its
own SDK clients (and so its own retry quota), caches and settings.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from typing import Any, TextIO, cast

import boto3

from briefing_cli.local.instrument import HandlerCrash, handler_scope
from briefing_cli.local.stack import REGION, EventSourceMapping, FunctionSpec, LocalStack


@dataclass
class LambdaContext:
    """The context object Lambda passes to a handler (the fields Powertools reads)."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"local/{self.aws_request_id}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self.started)) * 1000))


@contextmanager
def function_environment(spec: FunctionSpec) -> Iterator[None]:
    """The function's environment variables, as Lambda would set them, for one invocation."""
    variables = {
        **spec.environment,
        "AWS_LAMBDA_FUNCTION_NAME": spec.physical_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    saved = {k: os.environ.get(k) for k in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class FunctionLogs:
    """Where handlers' stdout goes (JSON logs, EMF metrics): CloudWatch Logs' stand-in.
    Defaults to stderr; the CLI points it at a file to keep its own output readable.

    Handlers write to this object, which passes each write on to the current `stream`: loggers
    keep the stream they were created with (and Powertools loggers are shared by service name
    across functions' copies of the core), so re-pointing `stream` must reach them too."""

    def __init__(self) -> None:
        self.stream: TextIO = sys.stderr

    def write(self, text: str) -> int:
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


function_logs = FunctionLogs()


def load(spec: FunctionSpec) -> Any:
    """Run a function's init phase (module import) in its environment, as Lambda does."""
    with function_environment(spec), redirect_stdout(cast(TextIO, function_logs)):
        return spec.load_module()


def invoke(spec: FunctionSpec, event: dict[str, Any]) -> Any:
    """Call a handler in-process with its environment and a Lambda context."""
    context = LambdaContext(spec.physical_name, spec.memory, spec.timeout)
    with (
        function_environment(spec),
        handler_scope(spec.logical_id),
        redirect_stdout(cast(TextIO, function_logs)),
    ):
        module = spec.load_module()  # the init phase sees the function's environment too
        handler = getattr(module, spec.handler.rsplit(".", 1)[1])
        return handler(event, context)


def sqs_record(message: dict[str, Any], mapping: EventSourceMapping) -> dict[str, Any]:
    """An SQS event record exactly as Lambda builds it from a received message."""
    attributes = message.get("Attributes", {})
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {
            "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
            "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
            "SenderId": attributes.get("SenderId", ""),
            "ApproximateFirstReceiveTimestamp": attributes.get(
                "ApproximateFirstReceiveTimestamp", str(int(time.time() * 1000))
            ),
        },
        "messageAttributes": {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": value.get("BinaryValue"),
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": value.get("DataType", "String"),
            }
            for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": mapping.queue_arn,
        "awsRegion": REGION,
    }


@dataclass
class DrainReport:
    invocations: int = 0
    records: int = 0
    failed_records: int = 0
    handler_crashes: int = 0  # invocations that raised (the whole batch is retried)
    process_crashes: int = 0  # of those, the process died (injected crashes)
    bounded: bool = False  # True when the round limit stopped the drain before the queues emptied
    by_function: dict[str, int] = field(default_factory=dict)


# The SQS event source starts with five concurrent batches (AWS Lambda developer guide, "scaling").
SQS_POLLERS = 5


@dataclass
class Environments:
    """A function's execution environments: (handler module, its core package), None until used."""

    slots: list[tuple[Any, dict[str, Any]] | None]
    turn: int = 0

    def enter(self, spec: FunctionSpec) -> int:
        """Make the next environment the one ``spec`` loads and runs in; returns its slot."""
        slot = self.turn % len(self.slots)
        self.turn += 1
        loaded = self.slots[slot]
        spec.module, spec.core_modules = (loaded[0], loaded[1]) if loaded else (None, {})
        return slot

    def leave(self, spec: FunctionSpec, slot: int) -> None:
        self.slots[slot] = (spec.module, spec.core_modules) if spec.module is not None else None


class Poller:
    def __init__(self, stack: LocalStack, environments: int = SQS_POLLERS) -> None:
        self.stack = stack
        self.sqs = boto3.client("sqs")
        # the environment already loaded (by an earlier drain or an API call) is the first one
        self.environments = {
            name: Environments(
                [(spec.module, spec.core_modules) if spec.module is not None else None]
                + [None] * (environments - 1)
            )
            for name, spec in stack.functions.items()
        }

    def poll_once(self, mapping: EventSourceMapping, report: DrainReport) -> int:
        """One receive + invoke for one mapping; returns how many messages were received."""
        answer = self.sqs.receive_message(
            QueueUrl=mapping.queue_url,
            MaxNumberOfMessages=min(10, mapping.batch_size),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        )
        messages = answer.get("Messages", [])
        if not messages:
            return 0
        spec = self.stack.functions[mapping.function_logical_id]
        event = {"Records": [sqs_record(m, mapping) for m in messages]}
        report.invocations += 1
        report.records += len(messages)
        report.by_function[spec.logical_id] = report.by_function.get(spec.logical_id, 0) + len(messages)
        environments = self.environments[spec.logical_id]
        slot = environments.enter(spec)
        try:
            result = invoke(spec, event)
            failed_ids = (
                {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
                if mapping.report_batch_item_failures
                else set()
            )
        except Exception:  # a failed invocation: Lambda retries the whole batch
            report.handler_crashes += 1
            failed_ids = {m["MessageId"] for m in messages}
        except HandlerCrash:  # the process died: the whole batch again, in a fresh environment
            report.handler_crashes += 1
            report.process_crashes += 1
            spec.module = None
            failed_ids = {m["MessageId"] for m in messages}
        finally:
            environments.leave(spec, slot)
        for message in messages:
            if message["MessageId"] in failed_ids:
                report.failed_records += 1
                # Visible again now instead of after the visibility timeout, to keep runs short.
                self.sqs.change_message_visibility(
                    QueueUrl=mapping.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                self.sqs.delete_message(QueueUrl=mapping.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def queue_depth(self, queue_url: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )

    def drain(self, max_rounds: int = 10_000) -> DrainReport:
        """Poll every mapping until every source queue is empty, or the round limit is hit."""
        report = DrainReport()
        for _ in range(max_rounds):
            received = sum(self.poll_once(mapping, report) for mapping in self.stack.mappings)
            if received == 0 and all(self.queue_depth(m.queue_url) == 0 for m in self.stack.mappings):
                return report
        report.bounded = True
        return report


def dead_letter_queues(stack: LocalStack) -> dict[str, str]:
    """{logical id: url} of every queue that another queue's redrive policy points at."""
    targets = set()
    for resource in stack.translated["Resources"].values():
        if resource["Type"] == "AWS::SQS::Queue":
            target = (resource["Properties"].get("RedrivePolicy") or {}).get("deadLetterTargetArn")
            if isinstance(target, dict) and "Fn::GetAtt" in target:
                targets.add(target["Fn::GetAtt"][0])
    return {logical_id: stack.resources[logical_id] for logical_id in sorted(targets)}


def dead_letter_counts(stack: LocalStack) -> dict[str, int]:
    """Messages waiting in each dead-letter queue."""
    sqs = boto3.client("sqs")
    return {
        logical_id: int(
            sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
                "Attributes"
            ]["ApproximateNumberOfMessages"]
        )
        for logical_id, url in dead_letter_queues(stack).items()
    }
