"""Snippets: the right window, marks around matches, nothing of the source ever becomes markup."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from briefing.index.snippet import highlight, snippet
from briefing.index.text import query_terms

BODY = (
    "□ 국토교통부(장관 김윤덕)와 금융위원회는 건설·금융업권 합동 간담회의 후속조치로 중동전쟁 상황을 "
    "불가항력 사유로 인정하는 유권해석을 내렸다. "
    + "ㅇ 관계기관과 협력하여 지원해 나가겠다고 밝혔다. "
    * 8
    + "□ 금융위원회는 ‘책임준공확약 PF 대출 관련 업무 처리 모범규준’에 따라 "
    "중동전쟁 상황을 책임준공 연장사유로 인정할 수 있다고 밝혔다."
)


def marked(html_text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html_text)


def test_window_goes_to_the_best_match_and_is_cut_with_ellipses() -> None:
    out = snippet(BODY, query_terms("책임준공 연장"), width=80)
    assert out.startswith("…") and "<mark>책임준공</mark>" in out and "<mark>연장</mark>" in out
    assert len(re.sub(r"</?mark>", "", out)) <= 80 + 2 * 12 + 2


def test_overlapping_bigrams_make_one_mark_and_particles_stay_outside() -> None:
    out = snippet(BODY, query_terms("국토교통부는 유권해석"))
    assert marked(out) == ["국토교통부", "유권해석"]
    assert "<mark>유권해석</mark>을" in out


def test_latin_terms_match_whole_tokens_only() -> None:
    out = highlight("PF 대출과 PFX 상품, apf", query_terms("pf"))
    assert marked(out) == ["PF"]


def test_full_width_and_thousands_in_the_text_are_marked_as_written() -> None:
    out = highlight("추경 ４，８８０억원 확정", query_terms("4880억원"))
    assert marked(out) == ["４，８８０억원"]


def test_zero_width_characters_inside_a_word_do_not_break_the_match() -> None:
    out = highlight("국\u200b토교통부 발표", query_terms("국토교통부"))
    assert marked(out) == ["국\u200b토교통부"]


def test_one_syllable_terms_only_mark_word_starts() -> None:
    out = highlight("조선 왕실의 말(馬)과 마지막말", query_terms("말"))
    assert marked(out) == ["말"] and out.count("<mark>") == 1


def test_source_markup_is_escaped_never_injected() -> None:
    body = '<script>alert("x")</script> 고유가 피해지원금 <img src=x onerror=alert(1)> & 지급'
    out = snippet(body, query_terms("피해지원금 script"))
    assert "<script>" not in out and "<img" not in out
    assert "&lt;<mark>script</mark>&gt;" in out and "&amp;" in out
    assert marked(out) == ["script", "script", "피해지원금"]  # <script> and </script>


def test_no_match_gives_the_beginning_and_empty_body_gives_nothing() -> None:
    assert snippet("첫 문장입니다. 둘째 문장.", query_terms("방산")) == "첫 문장입니다. 둘째 문장."
    assert snippet("  \n ", query_terms("방산")) == ""


def test_whitespace_runs_collapse() -> None:
    assert snippet("국토교통부\n\n\n   발표", query_terms("발표")) == "국토교통부 <mark>발표</mark>"


@given(st.text(max_size=300), st.text(max_size=20))
def test_output_is_always_safe_html(body: str, q: str) -> None:
    out = snippet(body, query_terms(q), width=60)
    # the only tags are our marks, balanced; every other "<" or ">" is escaped
    stripped = out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert out.count("<mark>") == out.count("</mark>")
    assert "<mark></mark>" not in out
