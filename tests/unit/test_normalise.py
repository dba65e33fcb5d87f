"""Body normalisation: safe HTML for the page, clean text for search and moderation."""

from __future__ import annotations

from briefing.releases.normalise import (
    clean_inline_text,
    html_to_text,
    render_body,
    sanitise_html,
    text_to_html,
)


def test_scripts_handlers_and_javascript_urls_are_removed() -> None:
    dirty = (
        '<p onclick="steal()">보도<script>alert(1)</script>자료</p>'
        '<a href="javascript:alert(1)">붙임</a><a href="https://www.korea.kr">정책브리핑</a>'
        '<style>p{}</style><iframe src="https://evil"></iframe><img src=x onerror="alert(1)">'
        '<p style="background:url(javascript:alert(1))">표</p>'
    )
    safe = sanitise_html(dirty)
    for banned in ("script", "onclick", "javascript:", "style", "iframe", "onerror", "alert"):
        assert banned not in safe
    assert '<a href="https://www.korea.kr" rel="noopener noreferrer nofollow">정책브리핑</a>' in safe
    assert "보도자료" in safe


def test_hwp_span_soup_and_empty_paragraphs_collapse() -> None:
    soup = (
        "<p><span style=\"font-family:'휴먼명조'\"><span>&nbsp;&nbsp;□&nbsp;국토교통부는</span>"
        "<span>  시범사업을   추진한다.</span></span></p><p><span>&nbsp;</span></p><p></p>"
        "<p><span><br></span></p>"
    )
    assert sanitise_html(soup) == "<p>□ 국토교통부는 시범사업을 추진한다.</p>"


def test_lists_tables_and_links_are_kept() -> None:
    html_in = (
        '<ul><li>첫째</li><li>둘째</li></ul><table><tr><th colspan="2">구분</th></tr>'
        "<tr><td>담당</td><td>044-201-3504</td></tr></table>"
    )
    safe = sanitise_html(html_in)
    assert "<ul><li>첫째</li><li>둘째</li></ul>" in safe
    assert '<th colspan="2">구분</th>' in safe
    text = html_to_text(safe)
    assert "- 첫째" in text and "- 둘째" in text
    assert "담당 044-201-3504" in text


def test_zero_width_and_bidi_characters_are_dropped_everywhere() -> None:
    assert clean_inline_text("국토\u200b교통부\u202e 발표\ufeff") == "국토교통부 발표"
    _, text = render_body("보\u200d도\u2066자료", is_html=False)
    assert text == "보도자료"


def test_titles_decode_entities_once_and_drop_tags() -> None:
    assert clean_inline_text("교통&middot;안전  <b>문제</b> &amp;lt;x&amp;gt;") == "교통·안전 문제 <x>"


def test_text_bodies_are_escaped_when_shown_as_html() -> None:
    html_out = text_to_html("□ 첫 문단 <script>\n둘째 줄\n\n\n\n※ 다음 문단")
    assert html_out == "<p>□ 첫 문단 &lt;script&gt;<br>둘째 줄</p><p>※ 다음 문단</p>"


def test_full_width_digits_are_kept_as_written_in_bodies() -> None:
    # Normalisation for storage is NFC, not NFKC: the page shows what the agency wrote.
    _, text = render_body("２０２６년 ｢민간건설공사 표준도급계약서｣", is_html=False)
    assert text == "２０２６년 ｢민간건설공사 표준도급계약서｣"
