"""`briefing moderate [FILE]`: the moderation engine on JSON lines, without AWS.

In:  {"id", "text", "author"?, "display_name"?, "article"?} per line.
Out: {"id", "action", "rules", "evidence", "message"} per input line, in order; a bad line gives
     {"id": <id or null>, "action": "error", "rules": [], "evidence": [], "message": "..."}.
Repeats (R11) are checked against the earlier lines of the same run (in-memory history).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TextIO


def run_moderate(lines_in: Iterable[str], out: TextIO) -> int:
    """Moderate every line; returns the number of lines that were errors (0 when all were fine)."""
    from briefing.moderation import CommentInput, InMemoryRepeatHistory, get_engine

    engine = get_engine()
    history = InMemoryRepeatHistory()
    # a fixed clock that advances one second a line: runs are reproducible and stay in one window
    clock = datetime(2026, 1, 1, tzinfo=UTC)
    errors = 0
    write = out.write
    for number, line in enumerate(lines_in, start=1):
        if not line.strip():
            continue
        raw_id = None
        try:
            raw = json.loads(line)
            if isinstance(raw, dict):
                raw_id = raw.get("id")
            comment = CommentInput.from_dict(raw)
            decision = engine.moderate(comment, history=history, now=clock + timedelta(seconds=number))
            result = decision.to_dict()
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            errors += 1
            if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
                raw_id = None
            result = {"id": raw_id, "action": "error", "rules": [], "evidence": [],
                      "message": f"line {number}: {exc}"}  # fmt: skip
        write(json.dumps(result, ensure_ascii=False) + "\n")
    return errors
