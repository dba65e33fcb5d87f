"""No personal data in logs: a full run (releases, comments through the HTTP API, moderation, with
faults so that warnings and retries are logged too) must leave no comment text, phone number,
e-mail address or resident registration number in any function's logs."""

from __future__ import annotations

import io
import re
from pathlib import Path

from briefing_cli.local.chaos import build_scenario, dev_rows, run_scenario
from briefing_cli.local.pipeline import embedded_aws
from briefing_cli.local.runtime import function_logs
from tests.conftest import shared_file

# What the scenario's comments carry (briefing_cli.local.chaos.COMMENT_TEXTS), in every spelling
# a log line could hold it: as written, digits only, JSON-escaped.
PERSONAL = [
    "010-4823-1957",
    "01048231957",
    "4823-1957",
    "hong.gildong1984@example.co.kr",
    "hong.gildong1984",
    "850101-1234567",
    "8501011234567",
    "02-2100-7755",
    "02-2100-7756",
]
DISTINCTIVE = ["참새미나리", "푸른고래달빛", "멍청한 놈들아", "소상공인도 포함되는지"]


def escaped(text: str) -> str:
    """How json.dumps with ensure_ascii (the default of many loggers) writes Korean text."""
    return text.encode("ascii", "backslashreplace").decode()


def test_a_full_run_logs_no_comment_text_or_personal_data(tmp_path: Path) -> None:
    rows = dev_rows(shared_file("releases/newsitems-dev.jsonl"))
    scenario = build_scenario(rows, articles=4, corrections=1, withdrawals=1, seed=5)
    captured = io.StringIO()
    previous, function_logs.stream = function_logs.stream, captured
    try:
        with embedded_aws():
            result = run_scenario(scenario, tmp_path, chaos=0.3, seed=4)
    finally:
        function_logs.stream = previous
    logs = captured.getvalue()
    # the run did moderate every comment, and logged about it
    assert {c["action"] for c in result.report["comments"]} <= {"publish", "review", "reject"}
    assert logs.count('"comment moderated"') >= len(scenario.comments)
    assert re.search(r"\bWARNING\b", logs), "faults should have produced warnings to scan as well"
    for needle in PERSONAL + DISTINCTIVE + [c["text"] for c in scenario.comments]:
        for form in {needle, escaped(needle)}:
            assert form not in logs, f"logged: {needle!r}"
