"""Fixtures of the search-core tests: the shared dev releases, skipped with a message when absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
DEV_RELEASES = REPO.parent / "shared" / "data" / "releases" / "newsitems-dev.jsonl"


@pytest.fixture(scope="session")
def dev_releases() -> list[dict[str, Any]]:
    """The 38 real NewsItems of ../shared/data (skip where that folder is absent)."""
    if not DEV_RELEASES.exists():
        pytest.skip(f"needs {DEV_RELEASES} (../shared/data is not present here)")
    return [
        json.loads(line) for line in DEV_RELEASES.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
