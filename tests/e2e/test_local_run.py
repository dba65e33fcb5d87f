"""The whole pipeline through the local runner: what `briefing local run` and `briefing demo` do.
Faults, crashes and redelivery: tests/e2e/test_chaos.py."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from briefing.releases.embargo import KST
from briefing_cli.local.pipeline import RunOptions, embedded_aws, run
from briefing_cli.main import main
from tests.conftest import SAMPLES, shared_file


def write_deliveries(path: Path, *, corrections: int, seed: int) -> dict[str, int]:
    """Every dev release twice, plus corrections (ModifyId 2) for some, in a shuffled order.
    Returns the newest version expected per article id."""
    rows = [
        json.loads(line)
        for line in shared_file("releases/newsitems-dev.jsonl").read_text("utf-8").splitlines()
    ]
    expected = {row["NewsItemId"]: 1 for row in rows}
    deliveries = [row for row in rows for _ in range(2)]
    for row in rows[:corrections]:
        fixed = dict(row, ContentsStatus="U", ModifyId=2, Title=row["Title"] + " (정정)")
        deliveries += [fixed, fixed]
        expected[row["NewsItemId"]] = 2
    random.Random(seed).shuffle(deliveries)
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in deliveries), encoding="utf-8")
    return expected


def assert_exactly_once(report: dict[str, Any], expected: dict[str, int]) -> None:
    articles = report["articles"]
    assert sorted(a["id"] for a in articles) == sorted(expected)  # each once, none lost
    assert {a["id"]: a["version"] for a in articles} == expected  # at its newest version
    # stored versions: at least one per article, never more than were sent (stale ones are not kept)
    assert len(expected) <= report["releases"]["accepted"] <= sum(expected.values())
    assert report["releases"]["dead_lettered"] == 0
    assert not [r for r in report["releases"]["rejected"] if r["reason"] != "version-conflict"]


def test_dev_releases_delivered_twice_out_of_order_with_corrections(tmp_path: Path) -> None:
    feed = tmp_path / "deliveries.jsonl"
    expected = write_deliveries(feed, corrections=10, seed=3)
    with embedded_aws():
        result = run(RunOptions(releases=[feed], now=datetime(2026, 4, 14, tzinfo=KST)))
    report = result.report
    assert report["releases"]["submitted"] == 96
    assert_exactly_once(report, expected)
    # a version 1 that arrives after its correction is stale: 38 + 10 versions kept, no more
    assert report["releases"]["accepted"] <= 48
    corrected = [a for a in report["articles"] if a["version"] == 2]
    assert len(corrected) == 10 and all(a["title"].endswith("(정정)") for a in corrected)
    assert {a["status"] for a in report["articles"]} == {"published"}


def test_demo_samples_end_in_the_expected_states() -> None:
    with embedded_aws():
        result = run(RunOptions(releases=[SAMPLES], now=datetime(2026, 4, 13, 12, 0, tzinfo=KST)))
    report = result.report
    states = {a["id"]: (a["status"], a["version"]) for a in report["articles"]}
    assert states == {
        "148930617": ("published", 1),  # the seed's 외교부 release
        "156754098": ("published", 2),  # correction sent before its original
        "156754290": ("embargoed", 1),  # 2026. 4. 13.(월) 16:00 이후: not yet at 12:00
        "156754277": ("withdrawn", 2),
    }
    reasons = sorted((r["stage"], r["reason"].split(":")[0]) for r in report["releases"]["rejected"])
    assert reasons == [("client", "invalid-release"), ("ingest", "release-id-taken")]
    assert report["releases"]["dead_lettered"] == 0
    for section in ("comments", "queries"):
        assert report[section] == []  # present, empty until those stages exist


def test_cli_local_run_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert (
        main(["local", "run", "--releases", str(SAMPLES), "--now", "2026-04-20T09:00", "--report", str(out)])
        == 0
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report) >= {"releases", "articles", "comments", "queries", "aws_calls", "faults_injected"}
    assert report["aws_calls"]["by_operation"]["DynamoDB.TransactWriteItems"] >= 4
    assert "embargoed" not in {a["status"] for a in report["articles"]}  # a week later, it is out
    assert "submitted 7" in capsys.readouterr().out


def test_cli_invoke_runs_a_sample_event(capsys: pytest.CaptureFixture[str]) -> None:
    event = Path(__file__).resolve().parents[2] / "events" / "IngestReleaseFunction" / "newsitem-release.json"
    assert main(["invoke", "IngestReleaseFunction", "--event", str(event)]) == 0
    assert json.loads(capsys.readouterr().out) == {"batchItemFailures": []}


def test_cli_invoke_runs_on_a_stack_holding_the_samples(capsys: pytest.CaptureFixture[str]) -> None:
    event = Path(__file__).resolve().parents[2] / "events" / "ApiFunction" / "get-article.json"
    assert main(["invoke", "ApiFunction", "--event", str(event)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["id"] == "156754098"
    assert main(["invoke", "ApiFunction", "--event", str(event), "--bare"]) == 0
    assert json.loads(capsys.readouterr().out)["statusCode"] == 404  # an empty stack has no article


def test_reindex_rebuilds_the_read_side_from_the_archive(capsys: pytest.CaptureFixture[str]) -> None:
    from briefing.index.rebuild import rebuild
    from briefing.index.service import IndexService
    from briefing.index.store import IndexStore
    from briefing.storage.archive import Archive
    from briefing.storage.articles import ArticleStore

    with embedded_aws():
        result = run(RunOptions(releases=[SAMPLES]))
        outputs = result.stack.outputs
        index = IndexStore(outputs["IndexTableName"])
        before = (index.corpus(), index.document_frequencies(["도시", "데이", "차관"]))
        # lose the read side entirely, then rebuild it from the originals
        table = boto3.resource("dynamodb").Table(outputs["IndexTableName"])
        with table.batch_writer() as batch:
            for item in table.scan()["Items"]:
                batch.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
        articles = ArticleStore(outputs["ArticlesTableName"])
        report = rebuild(Archive(outputs["ArchiveBucketName"]), articles, IndexService(articles, index))
        assert report.unreadable == [] and report.restored_versions == 0
        assert set(report.indexed) == {"148930617", "156754098", "156754290", "156754277"}
        assert (index.corpus(), index.document_frequencies(["도시", "데이", "차관"])) == before


def test_demo_tells_the_commenters_side(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    told = capsys.readouterr().out
    side = told[told.index("The commenter's side") :]
    assert "citizen-3 reads c4: rejected" in side and "운영원칙 1" in side
    assert "→ 202 held" in side and "with the appeal: True" in side
    assert "(system reject → author appeal → moderator reject), appeal again: 409" in side
