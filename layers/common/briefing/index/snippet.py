"""Highlighted snippets: a window of the plain body around the best match, safe to put in a page.

Matching runs on the same normalised text the analyser sees (NFKC, case-folded, no invisibles), with
every normalised character mapped back to the original, so the output shows what the agency wrote.
Only our own ``<mark>`` tags are markup: every original character goes through `html.escape`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from msgspec import Struct

from briefing.index.text import normalise

SNIPPET_CHARS = 160
MAX_MATCHES = 2000  # a pathological body cannot make the window search quadratic in its length
_ALNUM = re.compile(r"[a-z0-9]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")


class _Match(Struct, frozen=True):
    start: int
    end: int
    term: str


@lru_cache(maxsize=8192)
def _norm_char(ch: str) -> str:
    return normalise(ch)


class _Mapped:
    """The normalised text, and for each of its characters the index of the original one."""

    def __init__(self, original: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(original):
            for n in _norm_char(ch):
                chars.append(n)
                origin.append(i)
        text = "".join(chars)
        drop = {m.start() for m in _THOUSANDS.finditer(text)}  # 4,880 matches the query term 4880
        if drop:
            text = "".join(c for j, c in enumerate(text) if j not in drop)
            origin = [o for j, o in enumerate(origin) if j not in drop]
        self.text = text
        self.origin = origin


def _matches(norm: str, terms: Sequence[str]) -> list[_Match]:
    found: list[_Match] = []
    for term in dict.fromkeys(t for t in terms if t):
        if _ALNUM.match(term):
            # a whole Latin/digit token: not inside a longer one ("ai" is not in "said")
            pattern = rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
            found.extend(_Match(m.start(), m.end(), term) for m in re.finditer(pattern, norm))
            continue
        at = norm.find(term)
        while at >= 0 and len(found) < MAX_MATCHES:
            # a one-syllable term counts only where a word starts (말 in "말을", not in "마지막말")
            if len(term) > 1 or at == 0 or not _HANGUL.match(norm[at - 1]):
                found.append(_Match(at, at + len(term), term))
            at = norm.find(term, at + 1)
    found.sort(key=lambda m: (m.start, m.end))
    return found[:MAX_MATCHES]


def _merged(matches: Sequence[_Match]) -> list[tuple[int, int]]:
    """Overlapping or touching matches become one highlighted stretch (국토+토교+교통 → 국토교통)."""
    spans: list[tuple[int, int]] = []
    for m in matches:
        if spans and m.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], m.end))
        else:
            spans.append((m.start, m.end))
    return spans


def _best_window(matches: Sequence[_Match], length: int, width: int) -> tuple[int, int]:
    """The window covering the most distinct terms (then the most matches), earliest on ties."""
    if not matches:
        return 0, min(length, width)
    lead = width // 4
    best, best_key = (0, min(length, width)), (-1, -1, 0)
    j = 0
    for i, anchor in enumerate(matches):
        start = max(0, anchor.start - lead)
        end = min(length, start + width)
        j = max(j, i)
        while j < len(matches) and matches[j].end <= end:
            j += 1
        inside = matches[i:j]
        key = (len({m.term for m in inside}), len(inside), -start)
        if key > best_key:
            best, best_key = (start, end), key
    return best


def _snap(text: str, start: int, end: int, slack: int = 12) -> tuple[int, int]:
    """Move the window's edges to word boundaries when one is near."""
    if start > 0:
        space = text.rfind(" ", max(0, start - slack), start + 1)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.find(" ", end, min(len(text), end + slack))
        end = space if space >= 0 else end
    return start, end


def _render(original: str, start: int, end: int, marks: Sequence[tuple[int, int]]) -> str:
    parts: list[str] = []
    at = start
    for m_start, m_end in marks:
        m_start, m_end = max(m_start, start), min(m_end, end)
        if m_start >= m_end:
            continue
        parts.append(html.escape(_SPACES.sub(" ", original[at:m_start])))
        parts.append("<mark>" + html.escape(_SPACES.sub(" ", original[m_start:m_end])) + "</mark>")
        at = m_end
    parts.append(html.escape(_SPACES.sub(" ", original[at:end])))
    return "".join(parts)


def _original_spans(mapped: _Mapped, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(mapped.origin[s], mapped.origin[e - 1] + 1) for s, e in spans]


def highlight(text: str, terms: Sequence[str]) -> str:
    """The whole text (a title), HTML-escaped, with every match of the query terms in <mark>."""
    original = unicodedata.normalize("NFC", text)
    mapped = _Mapped(original)
    marks = _original_spans(mapped, _merged(_matches(mapped.text, terms)))
    return _render(original, 0, len(original), marks).strip()


def snippet(body: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of the body around its best match, escaped, matches in <mark>.

    ``terms`` are analysed query terms (`briefing.index.text.query_terms`). With no match, the
    body's beginning. An ellipsis marks text cut at either end.
    """
    original = _SPACES.sub(" ", unicodedata.normalize("NFC", body)).strip()
    if not original:
        return ""
    mapped = _Mapped(original)
    matches = _matches(mapped.text, terms)
    n_start, n_end = _best_window(matches, len(mapped.text), width)
    if not mapped.text:
        return ""
    start = mapped.origin[n_start] if n_start < len(mapped.origin) else len(original)
    end = mapped.origin[n_end - 1] + 1 if n_end > 0 else 0
    start, end = _snap(original, start, end)
    marks = _original_spans(mapped, _merged(matches))
    out = _render(original, start, end, marks).strip()
    return ("…" if start > 0 else "") + out + ("…" if end < len(original) else "")
