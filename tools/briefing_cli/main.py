"""`briefing`: the command line of agencies, operators and developers."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from briefing_cli.local.http import LocalHttpApi
from briefing_cli.local.pipeline import simulated_clock
from briefing_cli.local.stack import REPO_ROOT, LocalStack, load_template

SAMPLES = REPO_ROOT / "samples"
DEMO_NOW = "2026-04-13T12:00:00+09:00"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


LOG_FILE = REPO_ROOT / "out" / "function-logs.jsonl"


def _logs_to_file() -> None:
    """Handlers' JSON logs and metrics go to a file, so the command's own output stays readable."""
    from briefing_cli.local.runtime import function_logs

    LOG_FILE.parent.mkdir(exist_ok=True)
    function_logs.stream = LOG_FILE.open("w", encoding="utf-8")


def sample_stack(bare: bool = False) -> LocalStack:
    """The stack `briefing invoke` runs on: deployed from template.yaml and, unless ``bare``, holding
    the bundled sample releases (ingested and indexed), so sample events can name their articles.
    Must be called inside `embedded_aws()`."""
    import io

    from briefing_cli.local.pipeline import RunOptions, run
    from briefing_cli.local.runtime import function_logs
    from briefing_cli.local.stack import deploy

    if bare:
        return deploy()
    saved, function_logs.stream = function_logs.stream, io.StringIO()  # the seeding's logs are not news
    try:
        return run(RunOptions(releases=[SAMPLES / "releases"])).stack
    finally:
        function_logs.stream = saved


def cmd_invoke(args: argparse.Namespace) -> int:
    from briefing_cli.local.pipeline import embedded_aws
    from briefing_cli.local.runtime import invoke

    event = json.loads(Path(args.event).read_text(encoding="utf-8"))
    with embedded_aws():
        stack = sample_stack(args.bare)
        if args.function not in stack.functions:
            print(
                f"unknown function {args.function}; the template has: {', '.join(stack.functions)}",
                file=sys.stderr,
            )
            return 2
        result = invoke(stack.functions[args.function], event)
    print(_dump(result))
    return 0


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    from briefing.releases.embargo import KST

    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def cmd_local_run(args: argparse.Namespace) -> int:
    from briefing_cli.local.pipeline import RunOptions, embedded_aws, run

    options = RunOptions(
        releases=[Path(p) for p in args.releases or []],
        comments=_json_lines(args.comments),
        queries=[str(q["q"]) for q in _json_lines(args.queries)],
        now=_parse_now(args.now),
        chaos=args.chaos,
        seed=args.seed,
    )
    _logs_to_file()
    with embedded_aws():
        result = run(options)
    report = result.report
    report["seconds"] = round(result.seconds, 3)
    if args.report:
        Path(args.report).write_text(_dump(report) + "\n", encoding="utf-8")
    releases = report["releases"]
    print(
        f"submitted {releases['submitted']}, accepted {releases['accepted']} versions, "
        f"rejected {len(releases['rejected'])}, dead-lettered {releases['dead_lettered']}; "
        f"{len(report['articles'])} articles; {report['aws_calls']['total']} AWS calls by handlers, "
        f"{report['faults_injected']} faults injected; {result.seconds:.2f} s"
        + (f"; report: {args.report}" if args.report else "")
    )
    return 0 if not report["drain"]["bounded"] else 1


def _json_lines(path: str | None) -> list[dict[str, Any]]:
    if not path:
        return []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def cmd_demo(args: argparse.Namespace) -> int:
    from briefing_cli.local.pipeline import RunOptions, embedded_aws, run

    now = _parse_now(args.now or DEMO_NOW)
    _logs_to_file()
    with embedded_aws():
        result = run(
            RunOptions(
                releases=[SAMPLES / "releases"],
                now=now,
                comments=_json_lines(str(SAMPLES / "comments.jsonl")),
                queries=["한일 차관전략대화", "도시 데이터", "정부포상 재검토"],
            )
        )
        api = LocalHttpApi(result.stack, load_template())
        with simulated_clock(now, result.stack):
            listing = api.request("GET", "/articles").json()
            page = api.request("GET", "/articles/156754098").json()
            search = api.request("GET", "/search", {"q": "도시 데이터"}).json()
            appeal = demo_appeal(api, result.report["comments"])
    print_account(result.report, result.seconds)
    print_read_side(listing, page, search)
    print("\n".join(appeal))
    return 0


DEMO_MODERATOR = "arn:aws:iam::123456789012:role/briefing-moderators"


def demo_appeal(api: LocalHttpApi, outcomes: list[dict[str, Any]]) -> list[str]:
    """The commenter's side: the author of the sample comment rejected for a phone number reads why,
    appeals, and the moderator, seeing the appeal in the queue, upholds the rejection."""
    rejected = next((c for c in outcomes if c.get("id") == "c4" and c.get("action") == "reject"), None)
    if rejected is None:
        return []
    author = {"sub": "citizen-3"}
    path = f"/comments/{rejected['comment_id']}"
    lines = ["\nThe commenter's side (GET /comments/{id}, POST /comments/{id}/appeal):"]
    view = api.request("GET", path, jwt_claims=author).json()
    lines.append(f"  citizen-3 reads c4: {view['status']}, {view['decision']['message']}")
    lines.append(
        f"      may appeal: {'yes, once, within 30 days of the rejection' if view['appealable_until'] else 'no'}"
    )
    reason = "번호를 알려 드리려던 것이니 다시 봐 주세요"
    appealed = api.request("POST", f"{path}/appeal", body={"reason": reason}, jwt_claims=author)
    lines.append(f"  citizen-3 appeals ({reason!r}) → {appealed.status} {appealed.json()['status']}")
    queue = api.request("GET", "/moderation/queue", iam_principal=DEMO_MODERATOR).json()["items"]
    waiting = [c for c in queue if c["id"] == rejected["comment_id"]]
    lines.append(
        f"  moderator's queue: {len(queue)} held, c4 among them with the appeal: {bool(waiting and waiting[0]['appeal'])}"
    )
    api.request("POST", f"/moderation/comments/{rejected['comment_id']}/reject",
                body={"rules": [1], "note": "개인 휴대전화 번호"}, iam_principal=DEMO_MODERATOR)  # fmt: skip
    final = api.request("GET", path, jwt_claims=author).json()
    steps = " → ".join(f"{h['by']} {h['action']}" for h in final["history"])
    lines.append(f"  the moderator upholds R1; citizen-3 reads: {final['status']} ({steps}), appeal again: "
                 f"{api.request('POST', f'{path}/appeal', body={'reason': '다시'}, jwt_claims=author).status}")  # fmt: skip
    return lines


def print_read_side(listing: dict[str, Any], page: dict[str, Any], search: dict[str, Any]) -> None:
    print("\nPublic API at the demo clock:")
    print("  GET /articles →", ", ".join(f"{i['id']} ({i['agency']})" for i in listing["items"]))
    print(f"  GET /articles/{page['id']} → {page['title']}")
    print(f"      previous: {(page['previous'] or {}).get('id')}, next: {(page['next'] or {}).get('id')}, "
          f"related: {[r['id'] for r in page['related']]}, views: {page['views']}")  # fmt: skip
    print(f"  GET /search?q={search['query']} → {[(i['id'], i['score']) for i in search['items']]}")
    if search["items"]:
        print(f"      snippet: {search['items'][0]['snippet_html'][:120]}")


def print_account(report: dict[str, Any], seconds: float) -> None:
    releases = report["releases"]
    print("briefing demo: the whole pipeline from template.yaml on the embedded local AWS (moto)")
    print(f"clock: {report['now']}\n")
    print(f"Releases: {releases['submitted']} submitted, {releases['accepted']} versions accepted")
    for rejection in releases["rejected"]:
        print(f"  rejected {rejection['ref']} at {rejection['stage']}: {rejection['reason']}")
        if rejection.get("message"):
            print(f"           {rejection['message']}")
    print(f"  dead-lettered: {releases['dead_lettered']}\n")
    print("Articles (newest first):")
    for article in report["articles"]:
        print(
            f"  [{article['status']:<9}] {article['id']:<10} v{article['version']} {article['agency']:<8} "
            f"{article['publish_at'] or '-':<26} {article['title'][:50]}"
        )
    if report["comments"]:
        print("\nComments (moderated against the 13 posting rules):")
        for comment in report["comments"]:
            rules = ", ".join(f"R{r}" for r in comment.get("rules", [])) or "-"
            print(
                f"  {comment.get('id')}: {comment['action']:<7} {rules:<8} {comment.get('message') or comment.get('detail') or ''}"
            )
    if report["queries"]:
        print("\nSearch:")
        for query in report["queries"]:
            print(f"  {query['q']!r} → {query['results']}")
    calls = report["aws_calls"]
    print(f"\nAWS calls by handlers: {calls['total']} ({_dump(calls['by_operation'])})")
    print(f"done in {seconds:.2f} s; function logs in {LOG_FILE.relative_to(REPO_ROOT)}")


def cmd_moderate(args: argparse.Namespace) -> int:
    from briefing_cli.moderate import run_moderate

    if args.workers is not None and args.workers < 1:
        print("briefing moderate: --workers must be 1 or more", file=sys.stderr)
        return 2
    if args.file:
        with Path(args.file).open(encoding="utf-8") as source:
            errors = run_moderate(source, sys.stdout, workers=args.workers)
    else:
        errors = run_moderate(sys.stdin, sys.stdout, workers=args.workers)
    return 1 if errors else 0


def cmd_openapi(args: argparse.Namespace) -> int:
    """The OpenAPI document of the public API, generated from the declarations ApiFunction routes
    and validates by (briefing.http_params)."""
    from briefing.http_params import ENDPOINTS, openapi_document

    document = openapi_document(ENDPOINTS, title="briefing public API", version="1.0.0")
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    """Rebuild the index from the archive: on the local stack (after replaying releases) or on AWS."""
    from briefing.index.rebuild import rebuild
    from briefing.index.service import IndexService
    from briefing.index.store import IndexStore
    from briefing.storage.archive import Archive
    from briefing.storage.articles import ArticleStore

    def run_on(archive_bucket: str, articles_table: str, index_table: str) -> int:
        articles = ArticleStore(articles_table)
        report = rebuild(Archive(archive_bucket), articles, IndexService(articles, IndexStore(index_table)))
        print(
            f"{report.originals} originals, {report.restored_versions} versions restored, "
            f"{len(report.indexed)} articles re-indexed, {len(report.unreadable)} unreadable"
        )
        return 1 if report.unreadable else 0

    if args.archive_bucket:
        return run_on(args.archive_bucket, args.articles_table, args.index_table)
    from briefing_cli.local.pipeline import RunOptions, embedded_aws, run

    _logs_to_file()
    with embedded_aws():
        result = run(RunOptions(releases=[Path(p) for p in args.releases or [str(SAMPLES / "releases")]]))
        outputs = result.stack.outputs
        return run_on(outputs["ArchiveBucketName"], outputs["ArticlesTableName"], outputs["IndexTableName"])


# Command groups living in their own modules; each has register(subparsers).
COMMAND_MODULES: list[str] = ["briefing_cli.agency", "briefing_cli.moderation"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)

    moderate = sub.add_parser("moderate", help="moderate JSON lines of comments (no AWS): stdin or FILE")
    moderate.add_argument(
        "file", nargs="?", help='JSON lines {"id","text","author"?,"display_name"?,"article"?}'
    )
    moderate.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for large inputs (default: one per usable core; 1 keeps to this process)",
    )
    moderate.set_defaults(func=cmd_moderate)

    reindex = sub.add_parser("reindex", help="rebuild the index from the archive of originals")
    reindex.add_argument("--archive-bucket", help="on AWS: the ArchiveBucketName output")
    reindex.add_argument("--articles-table", help="on AWS: the ArticlesTableName output")
    reindex.add_argument("--index-table", help="on AWS: the IndexTableName output")
    reindex.add_argument(
        "--releases", action="append", help="locally: releases to replay first (default: samples)"
    )
    reindex.set_defaults(func=cmd_reindex)

    openapi = sub.add_parser("openapi", help="print the public API's OpenAPI document")
    openapi.set_defaults(func=cmd_openapi)

    invoke = sub.add_parser("invoke", help="run one handler on a sample event against the embedded stack")
    invoke.add_argument("function", help="the function's logical id in template.yaml")
    invoke.add_argument(
        "--event", required=True, help="an event file, e.g. events/IngestReleaseFunction/x.json"
    )
    invoke.add_argument(
        "--bare", action="store_true", help="on an empty stack (default: one holding the sample releases)"
    )
    invoke.set_defaults(func=cmd_invoke)

    local = sub.add_parser("local", help="the embedded local AWS")
    local_sub = local.add_subparsers(dest="local_command", required=True)
    run = local_sub.add_parser("run", help="run the whole pipeline on moto and write a report")
    run.add_argument("--releases", action="append", help="file or folder: JSON, JSON lines, NewsItem XML")
    run.add_argument("--now", help="simulated clock (ISO 8601; Korea time when no offset)")
    run.add_argument("--chaos", type=float, default=0.0, help="fraction of AWS calls that fail transiently")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument(
        "--comments", help='JSON lines {"id","article_id","author","text"} posted after ingestion'
    )
    run.add_argument("--queries", help='JSON lines {"q"} run through the public search API')
    run.add_argument("--report", help="write the JSON report here")
    run.set_defaults(func=cmd_local_run)

    demo = sub.add_parser("demo", help="the pipeline on the bundled samples, told in words")
    demo.add_argument("--now", help=f"simulated clock (default {DEMO_NOW})")
    demo.set_defaults(func=cmd_demo)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
