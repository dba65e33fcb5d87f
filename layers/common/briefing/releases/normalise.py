"""Body and title normalisation: safe HTML for the page, plain text for search and moderation.

Sanitising is nh3's job (a maintained Rust sanitiser, ammonia); we only choose what to keep and
then tidy the HWP-conversion leftovers (span soup, empty paragraphs, runs of spaces) on the
already-safe output, walking it with the standard library's HTML parser.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import nh3

from briefing.releases.model import ReleaseKind

# What a press release legitimately uses: paragraphs, lists, tables, links, emphasis, headings.
ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "colgroup", "col", "a", "strong", "b", "em", "i", "u", "sup", "sub", "h2", "h3", "h4", "h5",
    "blockquote", "hr", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "img": {"src", "alt", "width", "height"},
    "col": {"span"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}

BLOCK_TAGS = {
    "p", "br", "ul", "ol", "li", "table", "tr", "caption", "h2", "h3", "h4", "h5", "blockquote", "hr",
    "thead", "tbody", "tfoot",
}  # fmt: skip

# Invisible characters that break matching and can hide text: zero-width, bidi controls, BOM.
INVISIBLE = dict.fromkeys(
    [
        0x200B,
        0x200C,
        0x200D,
        0x2060,
        0xFEFF,
        0x00AD,
        0x180E,
        0x200E,
        0x200F,
        0x061C,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
    None,
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>")


def clean_inline_text(value: str) -> str:
    """Titles and one-line fields: decode entities, drop tags and invisibles, single spaces."""
    text = html.unescape(nh3.clean(value, tags=set()))
    # nh3 escapes what it keeps, so unescape once more only if the source was double-encoded.
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def normalise_text_block(text: str) -> str:
    """Plain-text bodies: NFC, no invisibles, single spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def sanitise_html(raw: str) -> str:
    """Safe HTML: only the tags and attributes above, no scripts, handlers or javascript: URLs."""
    once = _sanitise_once(raw)
    # Mis-nested markup (<li> inside <b>, tables inside links) is repaired by the HTML5 parser in
    # steps: a second pass reaches the fixed point, so re-sanitising stored HTML changes nothing.
    return _sanitise_once(once)


def _sanitise_once(raw: str) -> str:
    raw = unicodedata.normalize("NFC", raw).translate(INVISIBLE)
    cleaned = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _tidy(cleaned)


class _Tidier(HTMLParser):
    """Re-emits sanitised HTML with whitespace collapsed, and renders its plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_parts: list[str] = []
        self.text_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs)
        self.html_parts.append(f"<{tag}{rendered}>")
        if tag in BLOCK_TAGS:
            self.text_parts.append("\n")
        if tag == "li":
            self.text_parts.append("- ")
        if tag in {"td", "th"}:
            self.text_parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"br", "hr", "img", "col"}:
            self.html_parts.append(f"</{tag}>")
        if tag in BLOCK_TAGS:
            self.text_parts.append("\n")

    def handle_data(self, data: str) -> None:
        collapsed = _SPACES.sub(" ", data.replace("\n", " "))
        self.html_parts.append(html.escape(collapsed, quote=False))
        self.text_parts.append(collapsed)


def _tidy(safe_html: str) -> str:
    tidier = _Tidier()
    tidier.feed(safe_html)
    tidier.close()
    out = "".join(tidier.html_parts)
    out = re.sub(r"\s*(<(?:/?(?:p|li|ul|ol|tr|table|tbody|thead|h[2-5])|br)>)\s*", r"\1", out)
    previous = None
    while previous != out:  # nested empties: <p><br></p><p></p>
        previous, out = out, _EMPTY_PARAGRAPH.sub("", out)
    return out.strip()


def html_to_text(safe_html: str) -> str:
    """Plain text of sanitised HTML: one block per line, list items with '- '."""
    tidier = _Tidier()
    tidier.feed(safe_html)
    tidier.close()
    return normalise_text_block("".join(tidier.text_parts))


def text_to_html(text: str) -> str:
    """A text body shown as HTML: paragraphs at blank lines, line breaks inside, all escaped."""
    paragraphs = [p for p in normalise_text_block(text).split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )


def render_body(body: str, *, is_html: bool) -> tuple[str, str]:
    """(safe HTML, plain text) for a release body."""
    if is_html:
        safe = sanitise_html(body)
        return safe, html_to_text(safe)
    text = normalise_text_block(body)
    return text_to_html(text), text


_KIND_MARKERS: list[tuple[re.Pattern[str], ReleaseKind]] = [
    (re.compile(r"^[\[(（]\s*(?:보도)?설명(?:자료)?\s*[\])）]"), ReleaseKind.EXPLANATION),
    (re.compile(r"^[\[(（]\s*(?:보도)?참고(?:자료)?\s*[\])）]"), ReleaseKind.REFERENCE),
    (re.compile(r"^[\[(（]\s*[^\])）]{0,6}동정\s*[\])）]"), ReleaseKind.SCHEDULE),
    (re.compile(r"^[\[(（]\s*공동(?:보도자료)?\s*[\])）]"), ReleaseKind.JOINT),
]
_BODY_HEADINGS: list[tuple[str, ReleaseKind]] = [
    ("보도설명자료", ReleaseKind.EXPLANATION),
    ("보도참고자료", ReleaseKind.REFERENCE),
    ("공동보도자료", ReleaseKind.JOINT),
    ("동정자료", ReleaseKind.SCHEDULE),
]


def detect_kind(title: str, body_text: str = "") -> ReleaseKind:
    """The document type from the title prefix ("[참고]", "(동정)") or the body's heading."""
    for pattern, kind in _KIND_MARKERS:
        if pattern.search(title):
            return kind
    head = body_text[:200]
    for heading, kind in _BODY_HEADINGS:
        if heading in head:
            return kind
    return ReleaseKind.PRESS
