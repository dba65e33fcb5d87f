"""Korean-aware text analysis for search: normalise, tokenise, index terms.

Korean writes particles (조사) onto words and spaces compound nouns freely (공기연장 / 공기 연장),
so whole words match poorly. We index **character bigrams of Hangul runs** (a run of one syllable is
indexed as that syllable), whole Latin/digit tokens ("ai", "pf", "2026", "r&d", "4880"), and
unigrams or bigrams of Han (漢字) runs. A two-syllable word ending in a particle also yields its
one-syllable stem (말을 → 말을, 말), so one-syllable nouns are found under their particles.

Two query-side options were measured and are off by default (scripts/search/evaluate.py): stripping
an unambiguous particle ("국토교통부는" → 국토 토교 교통 통부) and adding the bigram across a space
("공기 연장" → … 기연 …). Neither beat plain bigrams: bodies mostly write the same particle the user
types, and the halves of a split compound already carry most of its bigrams.

Everything is the standard library (cold start). `docs/search.md` has the measurements behind these
choices; a morpheme analyser (kiwipiepy, nori) was compared in scripts/search/evaluate.py only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from msgspec import Struct

# Longest term we emit: terms are DynamoDB key parts (partition key ≤ 2048 bytes; we stay tiny).
MAX_TERM_CHARS = 32
# A query longer than this many terms is cut: bounds the postings read per query.
MAX_QUERY_TERMS = 32

# Zero-width characters, joiners, soft hyphen, bidi controls, variation selectors, Hangul fillers.
_INVISIBLE = dict.fromkeys(
    [
        *(0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F),
        *(0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x3164, 0xFEFF, 0xFFA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xFE00, 0xFE10),
    ]
)
# Middle dots and bullets written between enumerated words (건설·금융, 버스ㆍ택시, 12・29).
_MIDDLE_DOTS = "\u00b7\u2027\u2022\u2219\u22c5\u30fb\uff65\u318d\u119e\u0387"
# Quotes of every shape become plain ASCII quotes (they separate words either way).
_QUOTES = {
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"), '"'),
}
_UNIFY = str.maketrans({**_INVISIBLE, **dict.fromkeys(map(ord, _MIDDLE_DOTS), "·"), **_QUOTES})

_HANGUL = "\uac00-\ud7a3"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Order matters: decimals before integers; Latin/digit tokens may hold an inner "&" (R&D, Q&A).
_TOKEN = re.compile(
    rf"(?P<hangul>[{_HANGUL}]+)|(?P<han>[{_HAN}]+)|(?P<alnum>\d+\.\d+|[a-z0-9]+(?:&[a-z0-9]+)*)"
)
# A thousands separator inside a number (4,880억 → 4880억); only before exactly three digits.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

# Particles (and particle clusters) that do not end Korean nouns, longest first. Deliberately absent:
# 이 가 의 도 로 과 와 만 은 에 — they also end common nouns (어린이, 국가, 회의, 제도, 도로, 결과, …),
# and a wrong strip loses a real bigram from the query.
PARTICLES: tuple[str, ...] = tuple(
    sorted(
        {
            "에서는", "으로는", "에게는", "에서도", "으로도", "까지는", "부터는", "이라는", "이라고",
            "에서의", "으로의", "에게서", "으로서", "으로써", "만으로", "처럼", "보다", "에서", "으로",
            "에게", "께서", "까지", "부터", "마다", "조차", "에는", "에도", "과의", "와의", "이나",
            "이며", "이고", "이란", "라는", "에의", "로는", "로서", "로써", "한테", "는", "를", "을",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip


class Token(Struct, frozen=True):
    """One script run of the normalised text, with its span there (for highlighting)."""

    text: str
    kind: Literal["hangul", "han", "alnum"]
    start: int
    end: int
    # True when this run is glued to the previous one with only spaces between (a spacing variant).
    spaced_after_hangul: bool = False


class AnalyzerOptions(Struct, frozen=True):
    """Switches measured by scripts/search/evaluate.py; the defaults are the measured best."""

    strip_particles: bool = False  # query side: drop an unambiguous particle from a 3+ syllable word
    join_spaced: bool = False  # query side: bigram across the space between two Hangul words
    stem_unigrams: bool = True  # both sides: a two-syllable word + particle also yields its stem (말을 → 말)
    unigram_single: bool = True  # a one-syllable run is indexed as a unigram (말, 벼)
    unigram_all: bool = False  # every syllable as a unigram too (measured: hurts precision)


DEFAULT_OPTIONS = AnalyzerOptions()


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters, ｢｣ → 「」), no invisibles, case-folded, one middle dot."""
    text = unicodedata.normalize("NFKC", text.translate(_UNIFY)).translate(_UNIFY)
    return _THOUSANDS.sub("", text.casefold())


def tokens(text: str) -> list[Token]:
    """Script runs of the normalised text: Hangul, Han and Latin/digit tokens; the rest separates."""
    norm = normalise(text)
    out: list[Token] = []
    prev_end = -1
    prev_kind = ""
    for m in _TOKEN.finditer(norm):
        kind = m.lastgroup or "alnum"
        gap = norm[prev_end : m.start()] if prev_end >= 0 else "x"
        spaced = kind == "hangul" and prev_kind == "hangul" and gap.isspace()
        out.append(Token(m.group(), kind, m.start(), m.end(), spaced))  # type: ignore[arg-type]
        prev_end, prev_kind = m.end(), kind
    return out


def strip_particle(word: str, *, min_stem: int = 1) -> str:
    """The word without an unambiguous trailing particle (국토교통부는 → 국토교통부), else the word."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= min_stem:
            return word[: -len(particle)]
    return word


def _grams(run: str, options: AnalyzerOptions) -> list[str]:
    if len(run) == 1:
        return [run] if options.unigram_single else []
    grams = [run[i : i + 2] for i in range(len(run) - 1)]
    if options.unigram_all:
        grams.extend(run)
    return grams


def _alnum_term(text: str) -> str:
    return text[:MAX_TERM_CHARS]


def analyze(text: str, options: AnalyzerOptions = DEFAULT_OPTIONS) -> list[str]:
    """Index terms of a document field, with repeats (term frequency counts them).

    A two-syllable word ending in a particle also yields its one-syllable stem (말을 → 말을, 말), so a
    one-syllable query word finds it; longer stems are already covered by the word's own bigrams.
    """
    terms: list[str] = []
    for tok in tokens(text):
        if tok.kind == "alnum":
            terms.append(_alnum_term(tok.text))
            continue
        terms.extend(_grams(tok.text, options))
        if tok.kind == "hangul" and options.stem_unigrams:
            terms.extend(_stem_unigram(tok.text))
    return terms


def _stem_unigram(word: str) -> list[str]:
    if len(word) == 2:
        stem = strip_particle(word)
        if len(stem) == 1:
            return [stem]
    return []


def query_terms(q: str, options: AnalyzerOptions = DEFAULT_OPTIONS) -> list[str]:
    """Distinct terms of a search query, in query order, at most MAX_QUERY_TERMS."""
    terms: list[str] = []
    prev_word = ""
    for tok in tokens(q):
        if tok.kind == "alnum":
            terms.append(_alnum_term(tok.text))
            prev_word = ""
            continue
        word = tok.text
        if tok.kind == "hangul" and options.strip_particles:
            word = strip_particle(word, min_stem=2)
        if options.join_spaced and tok.spaced_after_hangul and prev_word:
            terms.append(prev_word[-1] + word[0])
        terms.extend(_grams(word, options))
        if tok.kind == "hangul" and options.stem_unigrams:
            terms.extend(_stem_unigram(word))
        prev_word = word if tok.kind == "hangul" else ""
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
