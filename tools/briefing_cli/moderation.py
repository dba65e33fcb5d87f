"""`briefing moderation …`: the moderators' actions against a stack, the same domain functions the
API's IAM routes call (briefing.comments.service), each one audited.

    briefing moderation queue    [--limit N] [--cursor C]          held comments, oldest first
    briefing moderation show     COMMENT_ID                        a comment, its decision and audit trail
    briefing moderation approve  COMMENT_ID [--note TEXT]
    briefing moderation reject   COMMENT_ID --rules 2,4 [--note TEXT]
    briefing moderation block    AUTHOR --reason TEXT
    briefing moderation unblock  AUTHOR
    briefing moderation takedown --authority A --legal-basis B --reference R COMMENT_ID…   (R13)

The table comes from --table, --stack-name or --stack-output-file (CommentsTableName). Actions are
recorded under --moderator, by default the caller's IAM identity (sts:GetCallerIdentity), which is
also what the API records for its IAM-signed moderator routes. Exit status: 0 done, 1 refused (the
comment does not exist, or is not in a state the action may start from), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from briefing_cli.agency import Connection, UsageError, _aws_options, _dump, _guarded


def _store(args: argparse.Namespace, connection: Connection) -> Any:
    from briefing.comments.store import CommentStore

    table = args.table or connection.outputs.get("CommentsTableName")
    if not table:
        raise UsageError("which table? give --table, --stack-output-file or --stack-name")
    return CommentStore(table, dynamodb=connection.client("dynamodb"))


def _moderator(args: argparse.Namespace, connection: Connection) -> str:
    if args.moderator:
        return str(args.moderator)
    return str(connection.client("sts").get_caller_identity()["Arn"])


def _rules(text: str) -> list[int]:
    try:
        return sorted({int(part) for part in text.replace(" ", "").split(",") if part})
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"rules are numbers 1-13 separated by commas, not {text!r}"
        ) from None


def format_queue(queue: dict[str, Any]) -> str:
    if not queue["items"]:
        return "no comment is waiting for a moderator"
    lines = []
    for c in queue["items"]:
        decision = c.get("decision") or {}
        rules = ", ".join(f"R{r}" for r in decision.get("rules", [])) or "-"
        lines.append(
            f"{c['id']}  {c['created_at']}  article {c['article_id']}  author {c['author']}  [{rules}]"
        )
        lines.append(f"    {c['text'][:200]}")
        for evidence in decision.get("evidence", [])[:5]:
            lines.append(f"    R{evidence['rule']} {evidence['detector']}: {evidence['text']!r}")
        if c.get("appeal"):
            lines.append(f"    appeal by the author, {c['appeal']['at']}: {c['appeal']['reason'][:200]!r}")
    if queue["next_cursor"]:
        lines.append(f"more: --cursor {queue['next_cursor']}")
    return "\n".join(lines)


def cmd_moderation(args: argparse.Namespace) -> int:
    from briefing.comments.api import review_queue
    from briefing.comments.service import CommentService
    from briefing.comments.store import ConflictError

    connection = Connection(args)
    store = _store(args, connection)
    service = CommentService(store)
    action = args.moderation_command
    try:
        if action == "queue":
            queue = review_queue(store, args.cursor, args.limit)
            print(_dump(queue) if args.json else format_queue(queue))
            return 0
        if action == "show":
            comment = store.get(args.comment_id)
            if comment is None:
                raise LookupError(f"comment {args.comment_id} does not exist")
            print(_dump({"comment": comment, "audit": store.audit_trail(args.comment_id)}))
            return 0
        moderator = _moderator(args, connection)
        if action == "approve":
            result = service.approve(args.comment_id, moderator, args.note)
        elif action == "reject":
            result = service.reject(args.comment_id, moderator, args.rules, args.note)
        elif action == "block":
            result = service.block(args.author, moderator, args.reason)
        elif action == "unblock":
            result = service.unblock(args.author, moderator)
        else:
            result = service.takedown(
                args.authority, args.legal_basis, args.reference, args.comment_ids, moderator
            )
    except (LookupError, ConflictError, ValueError) as exc:
        print(f"briefing moderation {action}: {exc}", file=sys.stderr)
        return 1
    print(_dump(result))
    return 0


def register(subparsers: Any) -> None:
    moderation = subparsers.add_parser(
        "moderation", help="moderators' actions on a stack: queue, show, approve, reject, block, takedown"
    )
    sub = moderation.add_subparsers(dest="moderation_command", required=True)
    commands = {
        "queue": "held comments, oldest first, with the rules and evidence that held them",
        "show": "one comment, its decision and its audit trail",
        "approve": "publish a held (or rejected, or hidden) comment",
        "reject": "reject a held or published comment, naming the posting rules it breaks",
        "block": "reject every further comment of an author, with a reason they are shown",
        "unblock": "lift an author's block",
        "takedown": "record an authority's takedown request (R13) and hide its comments",
    }
    for name, text in commands.items():
        command = sub.add_parser(name, help=text, description=text)
        if name == "queue":
            command.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
            command.add_argument("--cursor", help="the next page, as the previous page printed it")
            command.add_argument("--json", action="store_true", help="machine-readable output")
        if name in ("show", "approve", "reject"):
            command.add_argument("comment_id", metavar="COMMENT_ID")
        if name in ("block", "unblock"):
            command.add_argument("author", metavar="AUTHOR", help="the portal's author id")
        if name in ("approve", "reject"):
            command.add_argument("--note", default="", help="why, for the audit trail")
        if name == "reject":
            command.add_argument("--rules", type=_rules, required=True, help="posting rules, e.g. 2,4")
        if name == "block":
            command.add_argument("--reason", required=True, help="shown to the author")
        if name == "takedown":
            command.add_argument(
                "--authority", required=True, help="the requesting authority, e.g. 서울경찰청"
            )
            command.add_argument("--legal-basis", required=True, help="the law and article it invokes")
            command.add_argument("--reference", required=True, help="the request's document number")
            command.add_argument("comment_ids", nargs="+", metavar="COMMENT_ID")
        if name not in ("queue", "show"):
            command.add_argument(
                "--moderator", help="who acts, for the audit trail (default: your IAM identity)"
            )
        command.add_argument(
            "--table", help="the comments table (default: the stack output CommentsTableName)"
        )
        _aws_options(command)
        command.set_defaults(func=_guarded(cmd_moderation))
