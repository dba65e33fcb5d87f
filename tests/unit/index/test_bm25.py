"""BM25 and the in-memory index: ranking, fields, corrections, withdrawals, caps and stop-terms."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from briefing.index.bm25 import (
    DEFAULT_PARAMS,
    IndexDocument,
    InMemorySearchIndex,
    Posting,
    SearchIndex,
    TermStat,
    document_terms,
    idf,
    score,
    select_terms,
    term_impact,
)
from briefing.index.text import analyze, query_terms

DOCS = [
    IndexDocument(
        "A1",
        "중동발 공사 지연, 민간 건설현장도 공기연장 길 열린다",
        "국토교통부는 중동전쟁 상황을 불가항력 사유로 인정하는 유권해석을 내렸다. 책임준공 기한 연장이 가능하다.",
        "국토교통부",
    ),
    IndexDocument(
        "B2",
        "고유가 피해지원금 4월 27일 지급 시작",
        "정부는 고유가 피해지원금의 신청기간과 지원규모 등 지급 방안을 발표했다. 총 4조 7,930억원.",
        "행정안전부",
    ),
    IndexDocument(
        "C3",
        "2026년 행정안전부 추가경정예산 9조 4,880억원 확정",
        "행정안전부는 고유가 피해지원금 등 추가경정예산이 국회 본회의에서 의결되었다고 밝혔다.",
        "행정안전부",
    ),
    IndexDocument(
        "D4",
        "범정부·기업 방산협력 사절단 칠레·브라질에서 K-방산 세일즈 활동",
        "외교부와 방위사업청은 중남미에 민관 방산협력 사절단을 파견하여 K-방산 세일즈 활동을 수행했다.",
        "외교부",
    ),
    IndexDocument(
        "E5",
        "회화와 유적으로 만나는 '조선 왕실의 말(馬)'",
        "국가유산청은 조선 왕실의 말을 주제로 시민강좌를 연다. 말 그림과 유적을 소개한다.",
        "국가유산청",
    ),
]


@pytest.fixture
def index() -> InMemorySearchIndex:
    idx = InMemorySearchIndex()
    for doc in DOCS:
        idx.put(doc)
    return idx


def top(idx: InMemorySearchIndex, q: str) -> str | None:
    hits = idx.search(q, limit=1).hits
    return hits[0].doc_id if hits else None


def test_in_memory_index_satisfies_the_protocol(index: InMemorySearchIndex) -> None:
    assert isinstance(index, SearchIndex)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("공기 연장", "A1"),  # spaced differently from the text
        ("국토교통부는 유권해석", "A1"),  # with a particle
        ("피해지원금 지급", "B2"),
        ("추경 ９조 ４，８８０억원", "C3"),  # full-width digits and a thousands separator
        ("k방산 세일즈", "D4"),  # no hyphen
        ("K-방산", "D4"),
        ("왕실 말", "E5"),  # a one-syllable word
        ("국\u200b토교통부", "A1"),  # a zero-width space typed into the query
    ],
)
def test_known_items_rank_first(index: InMemorySearchIndex, query: str, expected: str) -> None:
    assert top(index, query) == expected


def test_title_weight_decides_between_title_and_body_mentions() -> None:
    # Given two documents mentioning 추가경정예산 once: one in the title, one in the body
    a = IndexDocument("T", "추가경정예산 확정", "국회 본회의 의결. 여러 사업을 지원한다.")
    b = IndexDocument("B", "국회 본회의 의결", "추가경정예산 확정. 여러 사업을 지원한다.")
    weighted, flat = (
        InMemorySearchIndex(),
        InMemorySearchIndex(params=replace(DEFAULT_PARAMS, title_weight=1.0)),
    )
    for idx in (weighted, flat):
        idx.put(a)
        idx.put(b)
    # Then the weighted index puts the title mention first; with equal weights they tie on tf
    assert [h.doc_id for h in weighted.search("추가경정예산").hits] == ["T", "B"]
    hits = flat.search("추가경정예산").hits
    assert hits[0].score == pytest.approx(hits[1].score)


def test_document_terms_counts_fields_separately() -> None:
    dt = document_terms("방산 세일즈", "K-방산 세일즈 활동, 방산 협력")
    assert dt.terms["방산"] == TermStat(tf_title=1, tf_body=2)
    assert dt.terms["k"] == TermStat(tf_title=0, tf_body=1)
    assert dt.title_len == len(analyze("방산 세일즈")) and dt.length == dt.title_len + dt.body_len


def test_score_matches_hand_computed_bm25() -> None:
    p = Posting("X", tf_title=1, tf_body=2, doc_len=10)
    got = score(["가나"], {"가나": [p]}, n_docs=4, avg_len=10.0, df={"가나": 2})
    tf = 3 * 1 + 2  # title counts three times
    expected = idf(2, 4) * tf * 2.2 / (tf + 1.2)
    assert got == [("X", pytest.approx(expected))]


def test_score_uses_true_df_not_the_capped_list_length() -> None:
    p = Posting("X", 0, 1, 10)
    capped = score(["t"], {"t": [p]}, n_docs=100, avg_len=10.0, df={"t": 90})
    uncapped = score(["t"], {"t": [p]}, n_docs=100, avg_len=10.0)
    assert capped[0][1] < uncapped[0][1]


def test_impact_grows_with_tf_and_shrinks_with_length() -> None:
    assert term_impact(0, 2, 50, 50.0) > term_impact(0, 1, 50, 50.0)
    assert term_impact(0, 1, 20, 50.0) > term_impact(0, 1, 200, 50.0)
    assert term_impact(0, 0, 20, 50.0) == 0.0


def _no_stale_terms(idx: InMemorySearchIndex) -> None:
    expected: set[str] = set()
    for doc_id in [d.doc_id for d in DOCS]:
        if doc_id in idx:
            doc = next(d for d in DOCS if d.doc_id == doc_id)
            expected |= set(document_terms(doc.title, doc.body).terms)
    assert idx.terms() >= expected


def test_correction_replaces_terms_and_statistics(index: InMemorySearchIndex) -> None:
    # Given an indexed release, When a correction re-puts it with another text
    before_len = index.avg_len * index.n_docs
    index.put(IndexDocument("A1", "정정: 다른 제목", "완전히 새로운 본문입니다."))
    # Then the old words find nothing there, the new ones do, and the counts stay consistent
    assert all(h.doc_id != "A1" for h in index.search("유권해석 공기연장").hits)
    assert top(index, "새로운 본문") == "A1"
    assert index.n_docs == len(DOCS)
    assert "유권" not in index.terms() and index.df("정정") == 1
    new_len = document_terms("정정: 다른 제목", "완전히 새로운 본문입니다.").length
    old_len = document_terms(DOCS[0].title, DOCS[0].body).length
    assert index.avg_len * index.n_docs == pytest.approx(before_len - old_len + new_len)


def test_reput_of_the_same_version_is_idempotent(index: InMemorySearchIndex) -> None:
    before = (index.n_docs, index.avg_len, sorted(index.terms()), index.search("고유가").hits)
    index.put(DOCS[1])
    index.put(DOCS[1])
    assert (index.n_docs, index.avg_len, sorted(index.terms()), index.search("고유가").hits) == before


def test_withdrawal_removes_every_trace(index: InMemorySearchIndex) -> None:
    only_e5 = set(document_terms(DOCS[4].title, DOCS[4].body).terms) - {
        t for d in DOCS[:4] for t in document_terms(d.title, d.body).terms
    }
    index.remove("E5")
    index.remove("E5")  # twice: idempotent
    assert "E5" not in index and index.n_docs == len(DOCS) - 1
    assert not (only_e5 & index.terms())
    assert index.search("왕실 말").hits == []
    _no_stale_terms(index)


def test_remove_everything_leaves_an_empty_index(index: InMemorySearchIndex) -> None:
    for doc in DOCS:
        index.remove(doc.doc_id)
    assert index.terms() == set() and index.n_docs == 0 and index.avg_len == 0.0
    assert index.search("고유가").total == 0


def test_visibility_filter_applies_before_paging(index: InMemorySearchIndex) -> None:
    all_hits = [h.doc_id for h in index.search("고유가 피해지원금", limit=10).hits]
    assert all_hits[:2] == ["B2", "C3"]
    # Given B2 still under embargo, Then page one starts with C3 and the total leaves B2 out
    page = index.search("고유가 피해지원금", limit=1, visible=lambda d: d != "B2")
    assert [h.doc_id for h in page.hits] == ["C3"] and page.total == len(all_hits) - 1


def test_paging_is_a_stable_slice(index: InMemorySearchIndex) -> None:
    full = index.search("행정안전부 고유가 방산", limit=10)
    pages = [index.search("행정안전부 고유가 방산", limit=1, offset=i).hits for i in range(full.total)]
    assert [p[0] for p in pages] == full.hits
    assert index.search("행정안전부 고유가 방산", limit=5, offset=full.total).hits == []


def test_stop_terms_are_skipped_unless_alone() -> None:
    df = {"밝혀": 90, "방산": 3, "없음": 0}
    assert select_terms(["밝혀", "방산", "없음"], df, n_docs=100) == ["방산"]
    assert select_terms(["밝혀"], df, n_docs=100) == ["밝혀"]
    # a small corpus has no stop-terms yet
    assert select_terms(["밝혀", "방산"], {"밝혀": 9, "방산": 3}, n_docs=10) == ["밝혀", "방산"]


def test_posting_cap_bounds_what_a_query_reads() -> None:
    # Given 30 documents sharing a term, with a cap of 5 postings per term
    idx = InMemorySearchIndex(params=replace(DEFAULT_PARAMS, posting_cap=5, min_docs_for_stop=1000))
    for i in range(30):
        idx.put(IndexDocument(f"D{i:02}", "예산", "예산 " * (i % 7 + 1) + "기타 내용 " * i))
    results = idx.search("예산", limit=50)
    # Then at most 5 documents are scored, and they are the highest-impact ones
    assert results.total == 5
    impacts = {
        f"D{i:02}": term_impact(
            1, i % 7 + 1, document_terms("예산", "예산 " * (i % 7 + 1) + "기타 내용 " * i).length, idx.avg_len
        )
        for i in range(30)
    }
    best_five = sorted(impacts, key=lambda d: (-impacts[d], d))[:5]
    assert [h.doc_id for h in results.hits] == best_five
    assert results.hits[0].doc_id == "D06"  # tf 7 in the shortest such body
    assert idx.df("예산") == 30


def test_query_with_unknown_terms_finds_nothing(index: InMemorySearchIndex) -> None:
    assert index.search("존재하지않는검색어").hits == []
    assert index.search("").total == 0
    assert query_terms("□ ※") == [] and index.search("□ ※").hits == []
