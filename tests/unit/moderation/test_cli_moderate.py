"""`briefing moderate`: one output line per input line, in order; bad lines become "error" lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import briefing_cli.moderate as cli
from briefing_cli.main import main
from briefing_cli.moderate import run_moderate


def test_json_lines_in_and_out_in_order_with_errors_reported() -> None:
    lines = [
        json.dumps({"id": "a", "text": "좋은 정책입니다"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "제 번호 010-1234-5678"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
    ]
    out = io.StringIO()
    errors = run_moderate(lines, out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 3
    assert [r["id"] for r in results] == ["a", None, "b", "c", None]
    assert [r["action"] for r in results] == ["publish", "error", "error", "reject", "error"]
    assert "'text'" in results[2]["message"]
    assert results[3]["evidence"][0]["text"] == "010-****-5678"
    assert "개인정보" in out.getvalue()  # ensure_ascii=False: Korean stays readable


def test_repeats_across_lines_of_one_run() -> None:
    text = "이번 정책 정말 최악입니다 당장 철회하세요"
    lines = [json.dumps({"id": str(i), "text": text, "author": "u1"}, ensure_ascii=False) for i in range(2)]
    out = io.StringIO()
    run_moderate(lines, out)
    assert [json.loads(line)["action"] for line in out.getvalue().splitlines()] == ["publish", "reject"]


def test_worker_processes_give_the_same_lines_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        "좋은 정책입니다",
        "제 번호 010-1234-5678",
        "시1발 이게 뭐냐",
        "이번 정책 정말 최악입니다 당장 철회하세요",
    ]
    lines = [
        json.dumps(
            {"id": str(i), "text": texts[i % 4], **({"author": "u1"} if i % 4 == 3 else {})},
            ensure_ascii=False,
        )
        for i in range(40)
    ]
    lines[7] = "not json"
    one, many = io.StringIO(), io.StringIO()
    errors_one = run_moderate(lines, one, workers=1)
    monkeypatch.setattr(cli, "PARALLEL_MIN_LINES", 10)
    monkeypatch.setattr(cli, "CHUNK_LINES", 4)
    errors_many = run_moderate(lines, many, workers=2)
    assert errors_one == errors_many == 1
    assert many.getvalue() == one.getvalue()
    actions = [json.loads(line)["action"] for line in many.getvalue().splitlines()]
    assert actions[3] == "publish" and actions[11] == "reject"  # R11: the same author again


def test_workers_flag_keeps_to_one_process_or_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "좋은 정책 감사합니다"}\n', encoding="utf-8")
    seen: list[int | None] = []
    real = cli.run_moderate

    def spy(lines: object, out: object, workers: int | None = None) -> int:
        seen.append(workers)
        return real(lines, out, workers=workers)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "run_moderate", spy)
    assert main(["moderate", "--workers", "1", str(source)]) == 0
    assert seen == [1]
    assert json.loads(capsys.readouterr().out)["action"] == "publish"
    assert main(["moderate", "--workers", "0", str(source)]) == 2
    assert "--workers must be 1 or more" in capsys.readouterr().err
