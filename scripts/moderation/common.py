"""Shared by the training and evaluation scripts: where the data is and how it is split."""

from __future__ import annotations

import json
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "layers" / "common"), str(REPO / "tools")]
DATA = REPO / ".." / "shared" / "data"
MODERATION = DATA / "moderation"
LABELLED = ("kmhas-valid.jsonl", "kocohub-train.jsonl", "curse-detection.jsonl")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_of(row_id: str) -> str:
    """A fixed split by hash of the id: 70 % train, 10 % tune (thresholds), 20 % test (held out)."""
    bucket = zlib.crc32(row_id.encode()) % 10
    return "train" if bucket < 7 else ("tune" if bucket == 7 else "test")


def labelled(split: str) -> list[dict]:
    rows = []
    for name in LABELLED:
        for row in read_jsonl(MODERATION / name):
            if split_of(row["id"]) == split:
                rows.append(row)
    return rows


def release_half(news_item_id: str) -> str:
    """Releases are split in two by id: 'train' releases may teach the classifier what official text
    looks like; 'held' releases (and their policy sentences) are only ever measured."""
    return "train" if zlib.crc32(news_item_id.encode()) % 2 == 0 else "held"


OWN_CLEAN = Path(__file__).with_name("data") / "clean-policy-comments.txt"


def own_clean_comments() -> list[str]:
    """Our own clean comments (training only): on topics the labelled sets mostly saw in abuse, and blunt
    criticism of the government, which they often label hate."""
    lines = OWN_CLEAN.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def release_sentences(half: str) -> list[str]:
    import re

    out = []
    for item in read_jsonl(DATA / "releases" / "newsitems-dev.jsonl"):
        if release_half(str(item["NewsItemId"])) != half:
            continue
        for line in (item.get("DataContents") or "").splitlines():
            for sentence in re.split(r"(?<=다\.)\s+", line.strip().lstrip("#□ㅇ○-*▪◦ ").strip()):
                if len(sentence) >= 5:
                    out.append(sentence)
        out.append(item.get("Title") or "")
    page = DATA / "korea-kr-page-mofa-2024-06-28.txt"
    if half == "train" and page.exists():
        out += [
            line.strip() for line in page.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= 10
        ]
    return out
