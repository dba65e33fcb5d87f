"""The search core on the 38 real dev releases of ../shared/data (skipped where it is absent)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from briefing.index.bm25 import IndexDocument, InMemorySearchIndex
from briefing.index.snippet import snippet
from briefing.index.text import query_terms

pytestmark = pytest.mark.shared
EVALUATE = Path(__file__).resolve().parents[3] / "scripts" / "search" / "evaluate.py"


def _evaluate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("search_evaluate", EVALUATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def index(dev_releases: list[dict[str, Any]]) -> InMemorySearchIndex:
    idx = InMemorySearchIndex()
    for item in dev_releases:
        idx.put(IndexDocument(item["NewsItemId"], item["Title"], item["DataContents"], item["MinisterCode"]))
    return idx


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("공기연장 유권해석", "156754291"),
        ("책임준공 PF 대출", "156754291"),
        ("반려동물 의료제품", "156754286"),
        ("k-방산 칠레", "156754103"),
        ("K방산 세일즈", "156754103"),
        ("키다리병 진단", "156754096"),
        ("４월 ２７일 고유가 피해지원금", "156754095"),
        ("9조 4,880억", "156754093"),
        ("12·29 여객기 재수색", "156754104"),
        ("조선 왕실 말", "156754216"),
        ("버스전용차로 단속", "156754183"),
        ("종량제 봉투 재생원료", "156754246"),
        ("원자력안전협약 CNS", "156754181"),
    ],
)
def test_people_find_the_release_they_mean(index: InMemorySearchIndex, query: str, expected: str) -> None:
    assert index.search(query, limit=1).hits[0].doc_id == expected


def test_known_item_mrr_on_generated_queries(dev_releases: list[dict[str, Any]]) -> None:
    # Given the evaluation script's generated queries (one seed), Then MRR@10 stays at or above 0.95
    ev = _evaluate_module()
    releases = ev.load_releases(ev.DEFAULT_DATA)
    assert len(releases) == len(dev_releases)
    rank = ev.ours(releases, ev.AnalyzerOptions(), ev.BM25Params())
    scores = ev.Scores()
    rng = random.Random(7)
    for rel in releases:
        for _, q in ev.make_queries(rel, rng):
            scores.add(rank(q), rel.doc_id)
    assert scores.n > 150
    assert scores.rr / scores.n >= 0.95


def test_supplementary_budget_releases_are_related(index: InMemorySearchIndex) -> None:
    budget = {"156754093", "156754077", "156754133", "156754052", "156754155"}
    got = {d for d, _ in index.related("156754093", limit=3)}
    assert len(got & budget) >= 2


def test_withdrawing_every_release_empties_the_index(dev_releases: list[dict[str, Any]]) -> None:
    idx = InMemorySearchIndex()
    for item in dev_releases:
        idx.put(IndexDocument(item["NewsItemId"], item["Title"], item["DataContents"]))
    for item in dev_releases:
        idx.remove(item["NewsItemId"])
    assert idx.terms() == set() and idx.n_docs == 0


def test_every_release_gets_a_marked_snippet_for_words_of_its_body(
    dev_releases: list[dict[str, Any]],
) -> None:
    for item in dev_releases:
        body = item["DataContents"]
        tail = body[len(body) // 2 :]  # words from the second half (they may occur earlier too)
        words = [w for w in tail.split() if len(w) >= 3 and w.isalnum()][:2]
        out = snippet(body, query_terms(" ".join(words)))
        assert "<mark>" in out, item["Title"]
        assert len(out) < 400
