"""Official press-release sentences must never be flagged (needs ../shared/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.moderation import CommentInput, moderate

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
POLICY = DATA / "moderation" / "policy-sentences-dev.jsonl"


@pytest.mark.shared
def test_no_official_sentence_is_flagged() -> None:
    if not POLICY.exists():
        pytest.skip(f"shared data not found at {POLICY}")
    flagged = []
    for line in POLICY.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        d = moderate(CommentInput(row["id"], row["text"]))
        if d.action != "publish":
            flagged.append((row["text"][:60], d.rules))
    assert flagged == []
