"""The analyser: normalisation traps of real press-release text, and terms usable as DynamoDB keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.index.text import (
    MAX_QUERY_TERMS,
    MAX_TERM_CHARS,
    AnalyzerOptions,
    analyze,
    normalise,
    query_terms,
    strip_particle,
    tokens,
)


def test_normalise_full_width_invisible_and_case() -> None:
    # Given full-width digits and letters, a zero-width space and a bidi mark inside a word
    text = "２０２６년 ＡＩ 국\u200b토교\u200f통부"
    # Then they read as plain digits, lower-case Latin and one unbroken word
    assert normalise(text) == "2026년 ai 국토교통부"


def test_normalise_unifies_middle_dots_and_quotes() -> None:
    assert normalise("건설ㆍ금융・보험‧증권") == "건설·금융·보험·증권"
    assert normalise("‘책임준공’ “확약”") == "'책임준공' \"확약\""


def test_thousands_separators_join_but_decimals_stay() -> None:
    assert analyze("9조 4,880억원") == ["9", "조", "4880", "억원"]
    assert analyze("４，６１４억 원") == ["4614", "억", "원"]
    assert "2.0" in analyze("고용노동교육 2.0 시대")
    # a comma between small numbers is a list, not a thousands separator
    assert analyze("1,2차") == ["1", "2", "차"]


def test_hangul_bigrams_and_single_syllable_words() -> None:
    assert analyze("국토교통부") == ["국토", "토교", "교통", "통부"]
    assert analyze("벼 키다리병") == ["벼", "키다", "다리", "리병"]


def test_latin_and_mixed_tokens() -> None:
    assert analyze("K-방산 R&D PF대출 CNS") == ["k", "방산", "r&d", "pf", "대출", "cns"]
    assert analyze("인공지능(AI)로") == ["인공", "공지", "지능", "ai", "로"]


def test_symbols_separate_words() -> None:
    # 「」, ｢｣, ·, quotes and brackets never glue two words into a bigram
    terms = analyze("｢민간건설공사 표준도급계약서｣·「건설산업기본법」‘모범규준’")
    assert "사표" not in terms and "서건" not in terms and "법모" not in terms
    assert {"민간", "계약", "기본", "모범"} <= set(terms)


STRIP = AnalyzerOptions(strip_particles=True)


def test_particle_stripping_is_query_side_and_optional() -> None:
    # the document keeps its last bigram (a superset); a stripping query drops the particle's bigram
    assert analyze("국토교통부는", STRIP)[-1] == "부는"
    assert query_terms("국토교통부는", STRIP) == ["국토", "토교", "교통", "통부"]
    assert query_terms("재생원료를", STRIP) == query_terms("재생원료")
    # the measured default keeps it: "국토교통부는" is how bodies write it, so "부는" matches there
    assert query_terms("국토교통부는")[-1] == "부는"


def test_ambiguous_endings_are_not_particles() -> None:
    # 이/가/의/도/과 end real nouns: stripping them would lose a bigram from the query
    for word in ["고유가", "어린이", "정부포상의", "제도", "결과"]:
        assert strip_particle(word) == word
    assert "유가" in query_terms("고유가", STRIP)


def test_one_syllable_stem_is_found_under_its_particle() -> None:
    # "말을" in a text is found by the query "말"; "말을" as a query finds "말"
    assert "말" in analyze("왕실의 말을 그린")
    assert query_terms("말을") == ["말을", "말"]
    assert query_terms("말을", STRIP) == ["말을", "말"]  # two syllables: the bigram stays too
    assert "말" not in analyze("말을", AnalyzerOptions(stem_unigrams=False))


def test_query_spacing_variants_meet_the_joined_form() -> None:
    # with join_spaced the query "공기 연장" carries the bigram across its space, as "공기연장" does
    join = AnalyzerOptions(join_spaced=True)
    assert set(query_terms("공기 연장", join)) >= set(analyze("공기연장"))
    # the default (measured no better) does not
    assert "기연" not in query_terms("공기 연장")


def test_no_join_across_punctuation_or_scripts() -> None:
    join = AnalyzerOptions(join_spaced=True)
    assert "업금" not in query_terms("건설업·금융", join)
    assert "ai" in query_terms("인공지능 AI 전환", join) and "능a" not in query_terms("인공지능 AI", join)


def test_tokens_spans_point_into_the_normalised_text() -> None:
    text = "２０２６년 K-방산"
    norm = normalise(text)
    for tok in tokens(text):
        assert norm[tok.start : tok.end] == tok.text


def test_query_terms_are_distinct_and_bounded() -> None:
    q = " ".join(["추가경정예산"] * 3 + [f"단어{i}가나다라" for i in range(40)])
    terms = query_terms(q)
    assert len(terms) == len(set(terms)) == MAX_QUERY_TERMS


def test_nothing_to_index_in_symbols_only() -> None:
    assert analyze("□ ○ ※ - · 「」 \u200b") == []
    assert query_terms("  ") == []


@given(st.text(max_size=200))
def test_terms_are_valid_key_parts(text: str) -> None:
    # DynamoDB key parts: non-empty strings, bounded, no whitespace, stable under re-analysis
    for term in [*analyze(text), *query_terms(text)]:
        assert 0 < len(term) <= MAX_TERM_CHARS
        assert not any(ch.isspace() for ch in term)
        assert analyze(term) and normalise(term) == term


def test_long_latin_tokens_are_cut() -> None:
    assert analyze("x" * 100) == ["x" * MAX_TERM_CHARS]
