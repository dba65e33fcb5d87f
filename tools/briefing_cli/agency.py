"""The agencies' and operators' commands: submit, schema, import-page, status, dlq.

Each command is a thin layer over plain functions (client.py, importer.py, ops.py): it resolves
where the stack is (explicit names, a saved outputs file, or the stack's name) the way AWS users
expect (`--profile`, `--region`, `--endpoint-url`), calls one function, and prints the result.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


ID_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"  # the release id's pattern (briefing.releases.model)
# StringConstraints rather than a BeforeValidator: the exported JSON Schema then keeps the pattern.
CommentId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=ID_PATTERN)
]


class CommentSubmission(BaseModel):
    """A comment as posted by a reader (the API's request body and CommentQueue's message)."""

    model_config = ConfigDict(
        extra="forbid",
        title="briefing comment",
        json_schema_extra={"$id": "https://briefing.example/schemas/comment-1.json"},
    )

    id: CommentId | None = Field(
        default=None, description="client-chosen id; a repeated post with the same id is the same comment"
    )
    article_id: CommentId = Field(description="the article commented on (its release id)")
    author: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] = Field(
        description="the portal's opaque author id (never an e-mail address or a real name)"
    )
    display_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None
    ) = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


def schema_for(kind: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of what agencies and the portal send."""
    from briefing.releases.model import NewsItemDocument, ReleaseDocument

    models: dict[str, type[BaseModel]] = {
        "release": ReleaseDocument,
        "newsitem": NewsItemDocument,
        "comment": CommentSubmission,
    }
    schema = models[kind].model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, **schema}


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


# ---------------------------------------------------------------------------------------------
# Reaching a stack


def _aws_options(parser: argparse.ArgumentParser, *, stack: bool = True) -> None:
    group = parser.add_argument_group("AWS")
    if stack:
        group.add_argument("--stack-name", help="read names from this CloudFormation stack's outputs")
        group.add_argument(
            "--stack-output-file",
            type=Path,
            help="outputs saved from `aws cloudformation describe-stacks` (or a CDK outputs file)",
        )
    group.add_argument("--endpoint-url", help="a non-default endpoint (e.g. a local emulator)")
    group.add_argument("--profile", help="an AWS CLI profile")
    group.add_argument("--region", help="the AWS region (default: the profile's, else ap-northeast-2)")


class Connection:
    """A boto3 session and the stack outputs the options name, resolved once."""

    def __init__(self, args: argparse.Namespace) -> None:
        from briefing_cli.client import aws_session, load_stack_outputs

        self.args = args
        self.session = aws_session(args.profile, args.region)
        self.outputs: dict[str, str] = {}
        if getattr(args, "stack_output_file", None):
            self.outputs.update(load_stack_outputs(args.stack_output_file))
        if getattr(args, "stack_name", None):
            from briefing_cli.client import stack_outputs

            self.outputs.update(stack_outputs(self.client("cloudformation"), args.stack_name))

    def client(self, service: str) -> Any:
        from briefing_cli.client import aws_client

        return aws_client(self.session, service, self.args.endpoint_url)


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# submit


def cmd_submit(args: argparse.Namespace) -> int:
    from briefing_cli.client import (
        Progress,
        SubmitState,
        default_state_path,
        describe_problems,
        read_submissions,
        submit,
    )

    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    connection = Connection(args)
    queue_url = args.queue_url or connection.outputs.get("IngestQueueUrl")
    if not queue_url and not args.dry_run:
        raise UsageError("where to send? give --queue-url, --stack-output-file or --stack-name")
    bucket = args.payload_bucket or connection.outputs.get("PayloadBucketName")

    state = None
    if not args.no_state:
        state_path = args.state or default_state_path(paths)
        if not os.access(state_path.parent if state_path.parent.exists() else Path.cwd(), os.W_OK):
            raise UsageError(f"cannot write the state file {state_path}; choose one with --state FILE")
        state = SubmitState.load(state_path)

    submissions = [s for path in paths for s in read_submissions(path, args.threshold)]
    progress = Progress(len(submissions), enabled=not args.quiet and len(submissions) > 1)
    summary = submit(
        connection.client("sqs") if queue_url else None,
        queue_url or "(dry run)",
        submissions,
        s3=connection.client("s3") if bucket else None,
        payload_bucket=bucket,
        threshold=args.threshold,
        state=state,
        dry_run=args.dry_run,
        progress=progress,
    )
    for submission in summary.invalid:
        print(f"invalid  {submission.source} ({submission.ref}): {describe_problems(submission)}")
    for submission, reason in summary.failed:
        print(f"failed   {submission.source} ({submission.ref}): {reason}")
    if args.verbose:
        for submission in summary.sent:
            print(f"{'would send' if args.dry_run else 'sent':<8} {submission.source} ({submission.ref})")
    print(summary.line() + (f"; state: {state.path}" if state and not args.dry_run else ""))
    return 0 if summary.ok else 1


# ---------------------------------------------------------------------------------------------
# schema, import-page


def cmd_schema(args: argparse.Namespace) -> int:
    print(_dump(schema_for(args.kind)))
    return 0


def cmd_import_page(args: argparse.Namespace) -> int:
    from briefing_cli.importer import PageImportError, import_page, split_provenance

    path = Path(args.file)
    try:
        imported = import_page(path.read_text(encoding="utf-8-sig"), source_name=path.name)
    except PageImportError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    release, provenance = split_provenance(imported)
    output = {"release": release, "provenance": provenance} if args.with_provenance else release
    text = _dump(output) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(
            f"{release['agency']}/{release['release_id']}@v{release['version']} → {args.out}", file=sys.stderr
        )
    else:
        sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------------------------------------
# status


def cmd_status(args: argparse.Namespace) -> int:
    from briefing.storage.articles import ArticleStore
    from briefing_cli.ops import agency_status, format_status

    connection = Connection(args)
    table = args.table or connection.outputs.get("ArticlesTableName")
    if not table:
        raise UsageError("which table? give --table, --stack-output-file or --stack-name")
    store = ArticleStore(table, dynamodb=connection.client("dynamodb"))
    status = agency_status(store, args.agency, release_id=args.release, limit=args.limit)
    print(_dump(status) if args.json else format_status(status))
    return 0


# ---------------------------------------------------------------------------------------------
# dlq


def cmd_dlq(args: argparse.Namespace) -> int:
    from briefing_cli.ops import DeadLetters, format_dead_letters

    connection = Connection(args)
    dead_letters = DeadLetters(
        connection.client("sqs"),
        cloudformation=connection.client("cloudformation") if args.stack_name else None,
        stack_name=args.stack_name,
        outputs=connection.outputs,
    )
    queues = dead_letters.resolve(args.queue_url, args.source_queue_url)
    if not queues:
        raise UsageError("which dead-letter queue? give --queue-url, --stack-name or --stack-output-file")
    status = 0
    for queue in queues:
        if args.dlq_command == "show":
            letters = dead_letters.peek(queue.url, limit=args.max, bodies=args.bodies)
            print(format_dead_letters(queue, letters, bodies=args.bodies))
        else:
            result = dead_letters.redrive(queue, limit=args.max, dry_run=args.dry_run)
            print(result.line())
            for problem in result.problems:
                print(f"  {problem}")
            status = status or (1 if result.failed else 0)
    return status


# ---------------------------------------------------------------------------------------------
# registration


def _guarded(func: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except UsageError as exc:
            print(f"briefing {args.command}: {exc}", file=sys.stderr)
            return 2

    return run


def register(subparsers: Any) -> None:
    from briefing_cli.client import DEFAULT_THRESHOLD

    submit = subparsers.add_parser(
        "submit",
        help="validate releases locally and send them to the ingest queue",
        description="Validate releases (JSON, JSON lines, NewsItem XML; files or folders) and send the "
        "valid ones. Large bodies go to the payload bucket as SQS Extended Client claim checks. "
        "A state file makes re-runs send nothing twice. Exit status 1 when anything was invalid "
        "or failed.",
    )
    submit.add_argument("paths", nargs="+", metavar="PATH")
    submit.add_argument("--queue-url", help="the ingest queue (default: the stack output IngestQueueUrl)")
    submit.add_argument(
        "--payload-bucket", help="for claim checks (default: the stack output PayloadBucketName)"
    )
    submit.add_argument(
        "--state", type=Path, help="the state file (default: .briefing-submit-state.json beside the input)"
    )
    submit.add_argument("--no-state", action="store_true", help="send everything, remember nothing")
    submit.add_argument("--dry-run", action="store_true", help="validate and plan; send nothing")
    submit.add_argument(
        "--threshold",
        type=int,
        default=DEFAULT_THRESHOLD,
        help=f"messages above this many bytes become claim checks (default {DEFAULT_THRESHOLD})",
    )
    submit.add_argument("--quiet", action="store_true", help="no progress on stderr")
    submit.add_argument("--verbose", action="store_true", help="list every message sent")
    _aws_options(submit)
    submit.set_defaults(func=_guarded(cmd_submit))

    schema = subparsers.add_parser("schema", help="print a JSON Schema (draft 2020-12)")
    schema.add_argument("kind", choices=["release", "newsitem", "comment"])
    schema.set_defaults(func=cmd_schema)

    page = subparsers.add_parser(
        "import-page", help="turn a saved korea.kr article page (HTML or text) into a release"
    )
    page.add_argument("file", metavar="FILE")
    page.add_argument("--out", help="write the release here instead of stdout")
    page.add_argument(
        "--with-provenance",
        action="store_true",
        help='print {"release": …, "provenance": {"source", "english_version"}} instead of the bare release',
    )
    page.set_defaults(func=cmd_import_page)

    status = subparsers.add_parser(
        "status", help="an agency's rejections (with reasons) and a release's version history"
    )
    status.add_argument("--agency", required=True, help="the agency's name as in releases, e.g. 외교부")
    status.add_argument("--release", help="a release (article) id: its current head and every version")
    status.add_argument("--limit", type=int, default=20, help="newest rejections to show (default 20)")
    status.add_argument("--table", help="the articles table (default: the stack output ArticlesTableName)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    _aws_options(status)
    status.set_defaults(func=_guarded(cmd_status))

    dlq = subparsers.add_parser("dlq", help="inspect and redrive dead-letter queues")
    dlq_sub = dlq.add_subparsers(dest="dlq_command", required=True)
    for name, text in (
        ("show", "summarise dead letters (agency, release, version, receives) without printing bodies"),
        ("redrive", "move dead letters back to their source queue: send, then delete"),
    ):
        command = dlq_sub.add_parser(name, help=text)
        command.add_argument("--queue-url", help="one dead-letter queue (default: every DLQ of the stack)")
        command.add_argument(
            "--source-queue-url", help="where to redrive (default: from the queues' redrive policies)"
        )
        command.add_argument("--max", type=int, default=100, help="at most this many messages (default 100)")
        if name == "show":
            command.add_argument("--bodies", action="store_true", help="also print whole message bodies")
        else:
            command.add_argument("--dry-run", action="store_true", help="say what would move; move nothing")
        _aws_options(command)
        command.set_defaults(func=_guarded(cmd_dlq))
