"""`briefing moderation …` on the local stack: the moderators' actions from a terminal, audited like
the API's, refused in words when the comment is not in a state the action may start from."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from briefing_cli.main import main
from tests.conftest import Pipeline, as_json, newsitem
from tests.integration.test_comments import NOW, Portal

MODERATOR = "arn:aws:iam::123456789012:role/briefing-moderators"


@pytest.fixture
def desk(pipeline: Pipeline) -> Portal:
    """The stack with one published article, and a portal to post comments under it."""
    pipeline.send(as_json(newsitem()))
    pipeline.drain()
    return Portal(pipeline)


def run(capsys: pytest.CaptureFixture[str], desk: Portal, *argv: str) -> tuple[int, str, str]:
    table = desk.pipeline.stack.outputs["CommentsTableName"]
    status = main(["moderation", *argv, "--table", table])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_moderator_works_the_queue_from_a_terminal(
    desk: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    held = desk.decided(desk.post("홍길동 과장은 비리 공무원이다 횡령했다", author="user-21"))
    # a minute later: at the same instant the queue's order between the two is the ids' order
    later = NOW + timedelta(minutes=1)
    other = desk.decided(desk.post("이순신 과장은 비리 공무원이다 횡령했다", author="user-22", at=later))
    assert held["status"] == other["status"] == "held"

    status, out, _ = run(capsys, desk, "queue")
    assert status == 0 and out.index(held["id"]) < out.index(other["id"])  # oldest first
    assert "R2" in out and "defamation." in out  # the rule and the evidence that held it

    status, out, _ = run(capsys, desk, "approve", held["id"], "--note", "출처 확인", "--moderator", MODERATOR)
    assert status == 0 and json.loads(out)["status"] == "published"
    status, _, err = run(capsys, desk, "approve", held["id"], "--moderator", MODERATOR)
    assert status == 1 and "is published" in err  # refused in words, nothing recorded

    # without --moderator the caller's IAM identity is recorded (moto's default caller here)
    status, out, _ = run(capsys, desk, "reject", other["id"], "--rules", "2, 10", "--note", "근거 없음")
    assert status == 0 and json.loads(out)["status"] == "rejected"
    status, out, _ = run(capsys, desk, "show", other["id"])
    shown = json.loads(out)
    assert shown["comment"]["status"] == "rejected"
    actors = [(a["actor"], a["action"], a["rules"]) for a in shown["audit"]]
    assert actors[0][0] == "system" and actors[1][1:] == ("reject", [2, 10])
    assert actors[1][0].startswith("arn:aws:")

    status, out, _ = run(capsys, desk, "queue", "--json")
    assert status == 0 and json.loads(out)["items"] == []
    status, _, err = run(capsys, desk, "show", "no-such-comment")
    assert status == 1 and "does not exist" in err


def test_block_unblock_and_a_takedown_from_a_terminal(
    desk: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    published = desk.decided(desk.post("좋은 정책 감사합니다 잘 읽었습니다", author="user-31"))
    assert published["status"] == "published"
    status, out, _ = run(capsys, desk, "block", "user-31", "--reason", "반복 위반", "--moderator", MODERATOR)
    assert status == 0 and json.loads(out)["blocked"] is True
    refused = desk.decided(desk.post("차단 뒤에 다시 쓰는 댓글입니다", author="user-31"))
    assert refused["status"] == "rejected" and refused["decision"]["reason"] == "author-blocked"
    status, _, _ = run(capsys, desk, "unblock", "user-31", "--moderator", MODERATOR)
    assert status == 0 and desk.store.author_state("user-31")["blocked"] is False

    status, out, _ = run(
        capsys, desk, "takedown", "--authority", "서울경찰청", "--legal-basis", "정보통신망법 제44조의2",
        "--reference", "수사-2026-0413", published["id"], "missing-comment", "--moderator", MODERATOR,
    )  # fmt: skip
    record = json.loads(out)
    assert (
        status == 0 and record["comments"] == [published["id"]] and record["missing"] == ["missing-comment"]
    )
    assert desk.store.get(published["id"])["status"] == "hidden"
    assert desk.call("GET", "/articles/156754098/comments").json()["items"] == []


def test_a_usage_error_names_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["moderation", "reject", "c-1", "--rules", "two"])
    assert "rules are numbers" in capsys.readouterr().err
    assert main(["moderation", "queue", "--region", "ap-northeast-2"]) == 2
    assert "which table?" in capsys.readouterr().err
