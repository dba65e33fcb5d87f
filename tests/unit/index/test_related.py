"""Related articles: signatures, similarity, agency preference, visibility."""

from __future__ import annotations

import pytest

from briefing.index.bm25 import IndexDocument, InMemorySearchIndex, document_terms
from briefing.index.related import Signature, candidate_terms, make_signature, related, similarity


def sig(doc_id: str, terms: dict[str, float], agency: str = "", topic: str = "") -> Signature:
    norm = sum(w * w for w in terms.values()) ** 0.5
    return Signature(doc_id, tuple((t, w / norm) for t, w in terms.items()), agency, topic)


def test_similarity_is_a_cosine() -> None:
    a = sig("a", {"추경": 1.0, "예산": 1.0})
    assert similarity(a, a) == pytest.approx(1.0)
    assert similarity(a, sig("b", {"방산": 1.0})) == 0.0
    assert similarity(a, sig("c", {"추경": 1.0})) == pytest.approx(2**-0.5)


def test_same_agency_wins_between_equally_close_candidates() -> None:
    me = sig("me", {"추경": 1.0, "예산": 1.0}, agency="행정안전부")
    other = sig("x", {"추경": 1.0, "예산": 1.0}, agency="문화체육관광부")
    same = sig("y", {"추경": 1.0, "예산": 1.0}, agency="행정안전부")
    assert [d for d, _ in related(me, [other, same])] == ["y", "x"]


def test_topic_bonus_and_unrelated_candidates_dropped() -> None:
    me = sig("me", {"추경": 1.0, "예산": 1.0}, topic="budget")
    assert [
        d for d, _ in related(me, [sig("t", {"추경": 1.0}, topic="budget"), sig("u", {"추경": 1.0})])
    ] == [
        "t",
        "u",
    ]
    assert related(me, [sig("z", {"방산": 1.0})]) == []


def test_self_and_duplicates_are_skipped_and_limit_holds() -> None:
    me = sig("me", {"추경": 1.0})
    cands = [sig("me", {"추경": 1.0}), *[sig(f"d{i}", {"추경": 1.0, f"x{i}": 0.1 * i}) for i in range(9)]]
    out = related(me, cands + cands, limit=5)
    assert len(out) == 5 and "me" not in {d for d, _ in out} and len({d for d, _ in out}) == 5


def test_signature_is_compact_unit_and_skips_numbers_and_unigrams() -> None:
    dt = document_terms("추가경정예산 9조 확정", "행정안전부 추가경정예산 2026 말 " * 5)
    s = make_signature("X", dt, dict.fromkeys(dt.terms, 2), n_docs=10, size=4)
    terms = dict(s.terms)
    assert len(terms) == 4 and sum(w * w for w in terms.values()) == pytest.approx(1.0)
    assert not {"9", "2026", "말", "조"} & set(terms)
    assert candidate_terms(s, 2) == [t for t, _ in s.terms[:2]]


def test_signature_leaves_out_terms_no_other_document_has_and_stop_terms() -> None:
    dt = document_terms("방산 세일즈 활동", "방산 세일즈 활동")
    s = make_signature("X", dt, {"방산": 3, "세일": 1, "일즈": 1, "활동": 9}, n_docs=10)
    assert [t for t, _ in s.terms] == ["방산"]


def test_in_memory_related_prefers_the_same_story_and_respects_visibility() -> None:
    idx = InMemorySearchIndex()
    docs = [
        IndexDocument(
            "A", "행정안전부 추가경정예산 확정", "추가경정예산 고유가 피해지원금 국회 의결", "행정안전부"
        ),
        IndexDocument(
            "B", "문체부 추가경정예산 확정", "추가경정예산 문화 관광 지원 국회 의결", "문화체육관광부"
        ),
        IndexDocument("C", "K-방산 세일즈", "방산협력 사절단 중남미 파견", "외교부"),
        IndexDocument("D", "고유가 피해지원금 지급", "고유가 피해지원금 신청 지급 시작", "행정안전부"),
    ]
    for d in docs:
        idx.put(d)
    got = [d for d, _ in idx.related("A")]
    assert set(got[:2]) == {"B", "D"} and "C" not in got
    assert [d for d, _ in idx.related("A", visible=lambda d: d != "B")] == ["D"]
    assert idx.related("missing") == []
