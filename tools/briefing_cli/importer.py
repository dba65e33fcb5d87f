"""`briefing import-page`: a saved korea.kr article page (HTML or its text) → one release in our schema.

A saved page is mostly site furniture around one article. The article is anchored on the line
korea.kr prints under the title ("2024.06.28 외교부"): the title is the line above it, the body
runs from below it to the first closing element of the page (the English-version link, the
reproduction notice "이 자료는 ○○부의 보도자료를 전재하여 제공함", previous/next article,
recommended news, posting rules). Widgets that sit inside that span (목록, share and font-size
buttons) are dropped line by line; a line is furniture only when the whole line is, so a body
sentence that mentions "댓글" or "목록" stays.

HTML goes through the standard library's ``html.parser``: scripts, styles, navigation, forms and
blocks whose class/id names a widget (share, sns, util, gnb, comment, banner …) are dropped with
their content, block elements become line breaks, and the result follows the text path. The
release id is the page's korea.kr ``newsId`` (canonical link, og:url, the browser's
"saved from url" comment, or the only newsId in a text page); otherwise a stable hash of
agency + date + title, so importing the same page twice gives the same release.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from datetime import datetime, time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from briefing.releases.embargo import KST
from briefing.releases.normalise import detect_kind

__all__ = ["PageImportError", "import_page", "split_provenance"]

SCHEMA_ID = "briefing.release/1"
KOREA_KR = "https://www.korea.kr/"


class PageImportError(ValueError):
    """The content is not a korea.kr article page we can read."""


# ---------------------------------------------------------------------------------------------
# HTML → lines

_DROP_WITH_CONTENT = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas",
    "nav", "aside", "form", "button", "select", "textarea", "dialog", "head",
}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption",
    "blockquote", "pre", "hr", "figure", "figcaption", "address", "body", "html",
}  # fmt: skip
_CELL = {"td", "th"}
# class/id words of page widgets; matched against whole words of the attribute, not substrings.
_WIDGET_WORDS = {
    "gnb", "lnb", "snb", "skip", "skipnav", "share", "sns", "util", "utility", "utils", "breadcrumb",
    "location", "banner", "comment", "comments", "reply", "cmt", "fontsize", "font", "print", "popular",
    "recommend", "related", "ranking", "rank", "quick", "sitemap", "navigation", "nav", "popup", "cookie",
    "ad", "ads", "advert", "footer", "prevnext", "prev", "next", "pagination", "paging", "sidebar", "aside",
}  # fmt: skip
_WIDGET_SPLIT = re.compile(r"[\s_\-]+")


class _PageParser(HTMLParser):
    """Visible text with block structure, plus the few links and metadata the import needs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (href, text) of every <a>, wherever it is
        self.page_urls: list[str] = []  # canonical, og:url, <base>, "saved from url"
        self._skip: list[str] = []  # open elements dropped with their content
        self._anchor: tuple[str, list[str]] | None = None
        self._pre = 0

    # -- structure
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._metadata(tag, values)
        if tag == "a":
            self._anchor = (values.get("href", ""), [])
        if self._skip:
            if tag == self._skip[-1] and tag not in _VOID:
                self._skip.append(tag)
            return
        if tag not in _VOID and (tag in _DROP_WITH_CONTENT or self._is_widget(tag, values)):
            self._skip.append(tag)
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")
        elif tag in _CELL:
            self.parts.append(" ")
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            href, text = self._anchor
            self.anchors.append((href, _clean_line(" ".join(text))))
            self._anchor = None
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag in _BLOCK:
            self.parts.append("\n\n")
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._anchor[1].append(data)
        if self._skip:
            return
        self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))

    def handle_comment(self, data: str) -> None:
        # Browsers mark saved pages: <!-- saved from url=(0070)https://www.korea.kr/...?newsId=1 -->
        found = re.search(r"saved from url=\(\d+\)(\S+)", data)
        if found:
            self.page_urls.append(found.group(1))

    # -- helpers
    def _metadata(self, tag: str, values: dict[str, str]) -> None:
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.page_urls.append(values.get("href", ""))
        elif tag == "meta" and values.get("property", values.get("name", "")).lower() == "og:url":
            self.page_urls.append(values.get("content", ""))
        elif tag == "base":
            self.page_urls.append(values.get("href", ""))

    @staticmethod
    def _is_widget(tag: str, values: dict[str, str]) -> bool:
        if tag in {"p", "span", "a", "strong", "em", "b", "i", "td", "th", "tr", "table", "article", "main"}:
            return False  # text-level and article elements are never dropped by their names
        if "hidden" in values or values.get("aria-hidden", "").lower() == "true":
            return True
        words = {w.lower() for key in ("class", "id") for w in _WIDGET_SPLIT.split(values.get(key, "")) if w}
        return bool(words & _WIDGET_WORDS)

    def text(self) -> str:
        return "".join(self.parts)


def _browser_visible(content: str) -> str:
    """The page as a browser reads it: a comment never closed hides everything after its ``<!--``
    (html.parser of Python 3.13.0, on this machine, shows that rest as text, markup and all)."""
    at = 0
    while (start := content.find("<!--", at)) != -1:
        end = content.find("-->", start + 4)
        if end == -1:
            return content[:start]
        at = end + 3
    return content


def _looks_like_html(content: str) -> bool:
    return (
        re.search(r"<\s*(?:!doctype|html|head|body|div|p|h1|article|span|a|br)\b", content, re.I) is not None
    )


# ---------------------------------------------------------------------------------------------
# Lines → article

_INVISIBLE = dict.fromkeys([0x00AD, 0x180E, *range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF])
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).translate(_INVISIBLE)
    return _SPACES.sub(" ", line).strip()


_DATE_LINE = re.compile(
    r"^(?P<y>\d{4})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})\.?"
    r"(?:\s*\([월화수목금토일]\))?(?:\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?\s*(?P<agency>.*)$"
)
_AGENCY = re.compile(r"^[가-힣A-Za-z][가-힣A-Za-z0-9·ㆍ&().,\s]{1,59}$")
_NOTICE = re.compile(r"이 자료는\s*(?P<agency>.{2,60}?)\s*의 보도자료를 전재하여 제공")

# Lines that end the article: everything after them is the page around it.
_END_MARKERS = [
    re.compile(p)
    for p in (
        r"^영문\s*보도\s*자료",
        r"Eng\.?\s*Version",
        r"^English\s+version",
        r"이 자료는\s*.{2,60}?\s*의 보도자료를 전재하여 제공",
        r"^이전\s*다음\s*기사",
        r"^(?:이전|다음)\s*기사",
        r"^(?:추천|관련|인기|많이 본|최신)\s*(?:뉴스|기사)",
        r"^많이 본",
        r"^오늘의 (?:영상|사진)",
        r"^정책브리핑 게시물 운영원칙",
        r"^[하히]단\s*배너",
        r"^(?:댓글|의견)\s*(?:\d+|쓰기|작성|달기|목록)?$",
        r"^공공누리",
        r"^(?:Copyright|COPYRIGHT|ⓒ|©)",
    )
]
# Whole lines that are page widgets wherever they appear.
_FURNITURE_LINES = re.compile(
    r"^(?:본문\s*바로\s*가기|메인\s*메뉴\s*바로\s*가기|주메뉴\s*바로\s*가기|본문 바로가기 메인메뉴 바로가기"
    r"|전자정부\s*이?\s*누리집은 대한민국 공식 전자정부 누리집입니다\.?|전자정부"
    r"|이 누리집은 대한민국 공식 전자정부 누리집입니다\.?"
    r"|브리핑룸|보도자료|콘텐츠\s*영역|본문\s*영역|목록|목록\s*보기|목록으로"
    r"|공유하기|SNS\s*공유|공유|페이스북|트위터|엑스|카카오톡|카카오스토리|네이버\s*블로그|밴드|URL\s*복사|링크\s*복사"
    r"|글자\s*크기(?:\s*(?:확대|축소|조절|작게|크게|기본))*|확대|축소|인쇄|프린트|인쇄하기|스크랩|좋아요"
    r"|(?:공유하기|글자\s*크기|확대|축소|인쇄|페이스북|트위터|카카오톡|URL\s*복사)(?:\s+(?:공유하기|글자\s*크기"
    r"|확대|축소|인쇄|페이스북|트위터|카카오톡|URL\s*복사))+"
    r"|첨부\s*파일|다운로드|바로\s*보기|미리\s*보기)$",
    re.IGNORECASE,
)
# Another "date agency" header inside the body means a list of articles, not one article.
_LIST_ITEM = re.compile(r"^\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}\.?\s*[가-힣]{2,20}$")
_ENGLISH = re.compile(r"영문\s*보도\s*자료|Eng\.?\s*Version|English\s+version", re.IGNORECASE)
_NEWS_ID = re.compile(r"[?&]newsId=(\d{5,20})\b")


def _is_furniture(line: str) -> bool:
    return bool(_FURNITURE_LINES.match(line.strip("“”\"'")))


def _is_end(line: str) -> bool:
    return any(p.search(line.strip("“”\"' ")) for p in _END_MARKERS)


def _find_header(lines: list[str]) -> tuple[int, int, str, re.Match[str]]:
    """(index of the title line, index of the last date/agency line, agency, date match)."""
    for i, line in enumerate(lines):
        match = _DATE_LINE.match(line)
        if not match:
            continue
        agency, last = match["agency"].strip(), i
        if not agency:  # date and agency on separate lines (<li>2024.06.28</li><li>외교부</li>)
            following = next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j]), None)
            if following is None:
                continue
            agency, last = lines[following], following
        if not _AGENCY.match(agency) or _is_furniture(agency):
            continue
        title_at = next(
            (j for j in range(i - 1, max(-1, i - 8), -1) if lines[j] and not _is_furniture(lines[j])), None
        )
        if title_at is None or _DATE_LINE.match(lines[title_at]) or _is_end(lines[title_at]):
            continue
        return title_at, last, agency, match
    raise PageImportError(
        "기사 제목과 '날짜 부처' 줄(예: 2024.06.28 외교부)을 찾을 수 없습니다 — "
        "no recognisable korea.kr article (title followed by a 'YYYY.MM.DD agency' line)"
    )


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated blocks; lines inside a block keep their line breaks."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line:
            if blocks[-1]:
                blocks.append([])
        elif not _is_furniture(line):
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks if block]


def _news_id(urls: list[str]) -> str | None:
    for url in urls:
        found = _NEWS_ID.search(html.unescape(url))
        if found:
            return found.group(1)
    return None


def _english_url(anchors: list[tuple[str, str]], base: str) -> str | None:
    for href, text in anchors:
        if _ENGLISH.search(text) and href:
            url = urljoin(base, html.unescape(href).strip())
            if urlsplit(url).scheme in {"http", "https"}:
                return url
    return None


def import_page(content: str, *, source_name: str = "") -> dict[str, Any]:
    """Read a saved korea.kr article page; raises PageImportError with a readable reason."""
    if not content or not content.strip():
        raise PageImportError("빈 파일입니다 — the page is empty")
    anchors: list[tuple[str, str]] = []
    page_urls: list[str] = []
    if _looks_like_html(content):
        parser = _PageParser()
        parser.feed(_browser_visible(content))
        parser.close()
        text = parser.text()
        anchors, page_urls = parser.anchors, [u for u in parser.page_urls if u]
    else:
        text = content
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _clean_line(raw)
        if line or (lines and lines[-1]):  # runs of blank lines count as one
            lines.append(line)

    title_at, header_end, agency, date_match = _find_header(lines)
    title = lines[title_at]
    body_lines: list[str] = []
    for line in lines[header_end + 1 :]:
        if line and _is_end(line):
            break
        body_lines.append(line)
    if any(_LIST_ITEM.match(line) for line in body_lines):
        raise PageImportError(
            "기사 하나가 아니라 기사 목록으로 보입니다 — "
            "the page looks like a list of articles, not one article"
        )
    paragraphs = _paragraphs(body_lines)
    if not paragraphs:
        raise PageImportError(f"기사 본문이 없습니다 — no article body under {title!r}")

    try:
        approved = datetime.combine(
            datetime(int(date_match["y"]), int(date_match["m"]), int(date_match["d"])).date(),
            time(int(date_match["H"] or 0), int(date_match["M"] or 0)),
            KST,
        )
    except ValueError as exc:
        raise PageImportError(
            f"기사 날짜가 잘못되었습니다 — invalid article date {date_match.group(0)!r}"
        ) from exc

    page_text = "\n".join(lines)
    notice = _NOTICE.search(page_text)
    if notice and not agency:
        agency = notice["agency"]
    english_version = any(_ENGLISH.search(line) for line in lines) or any(
        _ENGLISH.search(t) for _, t in anchors
    )
    base = next((u for u in page_urls if urlsplit(u).scheme in {"http", "https"}), KOREA_KR)

    news_id = _news_id(page_urls)
    if news_id is None and not anchors:  # text page: trust a newsId only when it is the only one
        ids = set(_NEWS_ID.findall(page_text))
        news_id = ids.pop() if len(ids) == 1 else None
    if news_id is None:
        digest = hashlib.sha256(f"{agency}\n{approved.date().isoformat()}\n{title}".encode()).hexdigest()
        release_id = f"page-{digest[:16]}"
    else:
        release_id = news_id

    body = "\n\n".join(paragraphs)
    release = {
        "schema": SCHEMA_ID,
        "agency": agency,
        "release_id": release_id,
        "version": 1,
        "kind": detect_kind(title, body).value,
        "title": title,
        "subtitles": [],
        "body": body,
        "body_format": "text",
        "approved_at": approved.isoformat(),
        "english_url": _english_url(anchors, base),
        "english_version": english_version,
        "licence": "KOGL-1",
        "status": "active",
        "source": {"kind": "saved-page", "name": source_name},
    }
    _refuse_what_ingestion_would(release)
    return release


# the import's provenance, reported beside the release, never sent with it
PROVENANCE_KEYS = ("source", "english_version")


def split_provenance(imported: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The importer's extra keys (where the page came from, whether it linked an English version)
    are not part of `briefing.release/1`: the release goes without them."""
    release = {k: v for k, v in imported.items() if k not in PROVENANCE_KEYS}
    provenance = {k: imported[k] for k in PROVENANCE_KEYS if k in imported}
    return release, provenance


def _refuse_what_ingestion_would(release: dict[str, Any]) -> None:
    """Check the release as ingestion will, so a page it would reject is refused here, in its words."""
    from briefing.releases.parse import ParsedRelease, parse_payload

    [parsed] = parse_payload(json.dumps(split_provenance(release)[0], ensure_ascii=False))
    if not isinstance(parsed, ParsedRelease):
        raise PageImportError(
            f"수집 단계에서 거부될 기사입니다 — ingestion would reject it: {parsed.message}"
        )
