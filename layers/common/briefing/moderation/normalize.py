"""Text normalisation that defeats evasion without inventing matches.

Every view keeps, for each of its characters, the span of ORIGINAL characters it came from, so a match
in a view is reported as a span of what the commenter typed.  Views:

* ``base``: invisible and bidi characters removed, NFKC (full-width digits, halfwidth jamo), conjoining
  jamo turned into compatibility jamo, runs of loose jamo composed into syllables (ㅅㅣ발 → 시발),
  Cyrillic/Greek look-alikes turned into Latin, ㆍ (araea) typed as a middle dot read as one (·).  Spaces,
  digits and symbols stay: PII and URLs are found here.
* ``squeezed``: lower case; inside one word, up to two digits/symbols/Latin letters between Hangul are
  dropped (시1발, 씨@발, 시X발); runs of one-letter words are joined (ㅅ ㅂ, 씨 발 놈) but a one-letter word
  is never glued to a longer one, so "신청 시 발급" stays three words; Latin words that spell Hangul on a
  2-beolsik keyboard are replaced by that Hangul (tlqkf → 시발); repeated letters collapse (씨이이발 →
  씨이발, ㅋㅋㅋ → ㅋ).  Profanity lexicons and the classifier read this view.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from msgspec import Struct

from briefing.moderation.fastre import LazyRegex

# Zero-width, joiners, soft hyphen, bidi controls, variation selectors, Hangul fillers.
INVISIBLE = frozenset(
    [
        173,
        847,
        1564,
        4447,
        4448,
        6158,
        8203,
        8204,
        8205,
        8206,
        8207,
        8288,
        8289,
        8290,
        8291,
        8292,
        12644,
        65279,
        65440,
        *list(range(8234, 8239)),
        *list(range(8294, 8298)),
        *list(range(65024, 65040)),
    ]
)

# Cyrillic and Greek letters that look like Latin ones (used to hide "fuck", URLs, "casino").
LOOKALIKE_LATIN = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
        "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "κ": "k", "ι": "i", "υ": "u",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y",
    }
)  # fmt: skip

# Characters that stand for a jamo when written among Hangul (人발 → ㅅ발, ㅅl발 → ㅅㅣ발).
LOOKALIKE_JAMO = {
    "人": "ㅅ",
    "ㅅ": "ㅅ",
    "己": "ㄹ",
    "口": "ㅁ",
    "卜": "ㅏ",
    "H": "ㅐ",
    "l": "ㅣ",
    "I": "ㅣ",
    "|": "ㅣ",
}

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
COMPOUND_VOWEL = {
    ("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ",
}  # fmt: skip
COMPOUND_FINAL = {
    ("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ", ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ", ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}  # fmt: skip
SPLIT_FINAL = {v: k for k, v in COMPOUND_FINAL.items()}

# Conjoining jamo (U+1100…) to compatibility jamo (U+3131…), for leftovers that do not compose.
_CONJ_INITIAL = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CONJ_FINAL = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"

# 2-beolsik keyboard: the Latin key that types each jamo.
KEYBOARD = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ", "y": "ㅛ", "u": "ㅕ", "i": "ㅑ", "o": "ㅐ", "p": "ㅔ",
    "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ", "h": "ㅗ", "j": "ㅓ", "k": "ㅏ", "l": "ㅣ",
    "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ", "n": "ㅜ", "m": "ㅡ",
    "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
}  # fmt: skip


def _conjoining_to_compat(ch: str) -> str:
    code = ord(ch)
    if 0x1100 <= code <= 0x1112:
        return _CONJ_INITIAL[code - 0x1100]
    if 0x1161 <= code <= 0x1175:
        return JUNGSEONG[code - 0x1161]
    if 0x11A8 <= code <= 0x11C2:
        return _CONJ_FINAL[code - 0x11A8]
    return ch


def is_hangul(ch: str) -> bool:
    """A Hangul syllable or a compatibility jamo."""
    code = ord(ch)
    return 0xAC00 <= code <= 0xD7A3 or 0x3131 <= code <= 0x318E


def is_syllable(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7A3


def is_jamo(ch: str) -> bool:
    return 0x3131 <= ord(ch) <= 0x318E


class View:
    """A normalised text and, per character, the original span [starts[i], ends[i]) it stands for.

    The text is made first, with C-level string calls; the per-character map is made only when a
    detector asks for a span (most comments have no finding), by the slower path that builds text and
    map together and gives the same text (tests compare the two on every shared text)."""

    __slots__ = ("_ends", "_make", "_source", "_starts", "text")

    def __init__(
        self,
        text: str,
        starts: tuple[int, ...] | None = None,
        ends: tuple[int, ...] | None = None,
        make: Callable[[Any], View] | None = None,
        source: Any = None,
    ) -> None:
        self.text = text
        self._starts = starts
        self._ends = ends
        self._make = make
        self._source = source

    def _mapped(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        if self._starts is None or self._ends is None:
            if self._make is None:
                n = len(self.text)
                self._starts, self._ends = tuple(range(n)), tuple(range(1, n + 1))
            else:
                full = self._make(self._source)
                self._starts, self._ends = full.starts, full.ends
            self._make = self._source = None
        return self._starts, self._ends

    @property
    def starts(self) -> tuple[int, ...]:
        return self._mapped()[0]

    @property
    def ends(self) -> tuple[int, ...]:
        return self._mapped()[1]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of this view back to the original text."""
        starts, ends = self._mapped()
        if end <= start:
            pos = starts[start] if start < len(starts) else (ends[-1] if ends else 0)
            return pos, pos
        return starts[start], ends[end - 1]

    def __repr__(self) -> str:
        return f"View({self.text!r})"


class Normalized(Struct, frozen=True):
    original: str
    base: View
    squeezed: View


def _compose(
    chars: list[str], starts: Sequence[int], ends: Sequence[int]
) -> tuple[list[str], list[int], list[int]]:
    """Compose runs of compatibility jamo into syllables (ㅅㅣㅂㅏㄹ → 시발); other characters pass."""
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    i = 0
    n = len(chars)
    while i < n:
        ch = chars[i]
        if ch in CHOSEONG and i + 1 < n and chars[i + 1] in JUNGSEONG:
            lead = CHOSEONG.index(ch)
            vowel = chars[i + 1]
            j = i + 2
            if j < n and (vowel, chars[j]) in COMPOUND_VOWEL:
                vowel = COMPOUND_VOWEL[(vowel, chars[j])]
                j += 1
            tail = ""
            # A consonant is a final unless a vowel follows it (then it starts the next syllable).
            if (
                j < n
                and chars[j] in JONGSEONG
                and chars[j] != " "
                and not (j + 1 < n and chars[j + 1] in JUNGSEONG)
            ):
                tail = chars[j]
                j += 1
                if (
                    j < n
                    and (tail, chars[j]) in COMPOUND_FINAL
                    and not (j + 1 < n and chars[j + 1] in JUNGSEONG)
                ):
                    tail = COMPOUND_FINAL[(tail, chars[j])]
                    j += 1
            code = 0xAC00 + (lead * 21 + JUNGSEONG.index(vowel)) * 28 + JONGSEONG.index(tail or " ")
            out_c.append(chr(code))
            out_s.append(starts[i])
            out_e.append(ends[j - 1])
            i = j
            continue
        out_c.append(ch)
        out_s.append(starts[i])
        out_e.append(ends[i])
        i += 1
    return out_c, out_s, out_e


def keyboard_to_hangul(token: str) -> str | None:
    """The Hangul a Latin word types on a 2-beolsik keyboard, if it is made only of whole syllables."""
    jamo = []
    for ch in token:
        mapped = KEYBOARD.get(ch) or KEYBOARD.get(ch.lower())
        if mapped is None:
            return None
        jamo.append(mapped)
    idx = list(range(len(jamo)))
    chars, _, _ = _compose(jamo, idx, [k + 1 for k in idx])
    if len(chars) < 2 or not all(is_syllable(c) for c in chars):
        return None
    return "".join(chars)


# Text made only of printable ASCII, Hangul syllables and jamo that cannot compose needs no base work.
# Not plain: the Hangul filler U+3164 (invisible, dropped) and ㆍ U+318D (a middle dot, in practice).
_PLAIN = re.compile(r"[ -~\uac00-\ud7a3\u3131-\u3163\u3165-\u318c\u318e]*")
_COMPOSABLE = re.compile(r"[\u3131-\u314e][\u314f-\u3163]")
# Anything the squeezed view would change besides collapsing repeats and lower-casing.  This and
# _FILLER_BETWEEN_HANGUL serve only the views with a map (made when a finding needs a span), so they
# compile on first use: ~6.7 ms of the moderator's cold start.
_SQUEEZE_WORK = LazyRegex(
    r"[A-Za-z]{3}|[가-힣ㄱ-ㅣ](?:[^\s가-힣ㄱ-ㅣ]{1,2}|([^\w\s.,])\1{2,9})[가-힣ㄱ-ㅣ]|(?<!\S)[가-힣ㄱ-ㅣ]\s|\s\s|^\s|\s$"
)
_REPEAT = re.compile(r"(.)\1+")
_REPEAT_ANY = re.compile(r"(.)\1+", re.DOTALL)
_WORD = re.compile(r"[^ ]+")
# one or two characters that are neither Hangul nor spaces between two Hangul, or one symbol repeated
# ("씨~~~~발"; not dots or commas, which end sentences): a filler to drop
_LONG_FILLER = r"([^\w\s.,])\1{2,9}"
_FILLER_BETWEEN_HANGUL = LazyRegex(
    r"[\uac00-\ud7a3\u3131-\u318e](?:[^\s\uac00-\ud7a3\u3131-\u318e]{1,2}|"
    + _LONG_FILLER
    + r")[\uac00-\ud7a3\u3131-\u318e]"
)
_LONG_FILLER_RUN = LazyRegex(_LONG_FILLER)


class _BaseChars(dict[int, str]):
    """``str.translate`` table of the base view, filled per character on first sight: what one
    character becomes does not depend on its neighbours (composing jamo is a later, separate step)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if code in INVISIBLE or (unicodedata.category(ch) == "Mn" and not (0x1160 <= code <= 0x11FF)):
            out = ""
        elif code == 0x318D:  # ㆍ typed as a middle dot ("교통ㆍ안전", "병ㆍ신"), as people use it
            out = "·"
        elif code < 0x80 or 0x3131 <= code <= 0x318E or 0xAC00 <= code <= 0xD7A3:
            out = ch
        else:
            out = "".join(_conjoining_to_compat(c) for c in unicodedata.normalize("NFKC", ch))
            out = out.translate(LOOKALIKE_LATIN)
        out = out.translate(_SPACES)
        if len(self) < 65536:  # hostile input cannot grow the table without bound
            self[code] = out
        return out


_SPACES = str.maketrans(dict.fromkeys("\t\r\n\u3000\xa0", " "))
_BASE_CHARS = _BaseChars()


def _compose_text(text: str) -> str:
    positions = range(len(text))
    return "".join(_compose(list(text), positions, positions)[0])


def base_view(text: str) -> View:
    """Invisible characters out, NFKC, compatibility jamo, look-alike Latin, loose jamo composed."""
    if _PLAIN.fullmatch(text):
        if not _COMPOSABLE.search(text):
            return View(text)  # identity map, made on demand
        return View(_compose_text(text), make=_base_view_mapped, source=text)
    out = text.translate(_BASE_CHARS)
    if _COMPOSABLE.search(out):
        out = _compose_text(out)
    return View(out, make=_base_view_mapped, source=text)


def _base_view_mapped(text: str) -> View:
    """``base_view`` with its map built character by character."""
    n = len(text)
    if _PLAIN.fullmatch(text) and not _COMPOSABLE.search(text):
        return View(text, tuple(range(n)), tuple(range(1, n + 1)))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for pos, ch in enumerate(text):
        # what the character becomes is what base_view's table says (one place for the rules)
        for piece in _BASE_CHARS[ord(ch)]:
            chars.append(piece)
            starts.append(pos)
            ends.append(pos + 1)
    chars, starts, ends = _compose(chars, starts, ends)
    return View("".join(chars), tuple(starts), tuple(ends))


def _is_filler(ch: str) -> bool:
    """Characters people put inside a word to break it: digits, symbols, stray Latin letters."""
    return not is_hangul(ch) and not ch.isspace()


def _collapse_repeats(base: View, text: str) -> View:
    """Runs of one character become one character spanning the whole run (identity elsewhere)."""
    if not _REPEAT.search(text):
        return View(text, base.starts, base.ends)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _REPEAT.finditer(text):
        a, b = m.span()
        chars.append(text[pos:a])
        starts.extend(base.starts[pos:a])
        ends.extend(base.ends[pos:a])
        chars.append(text[a])
        starts.append(base.starts[a])
        ends.append(base.ends[b - 1])
        pos = b
    chars.append(text[pos:])
    starts.extend(base.starts[pos:])
    ends.extend(base.ends[pos:])
    return View("".join(chars), tuple(starts), tuple(ends))


def _collapse_lists(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """``_collapse_repeats`` over plain lists (one element per character of ``text``)."""
    if not _REPEAT_ANY.search(text):
        return text, starts, ends
    chars: list[str] = []
    s2: list[int] = []
    e2: list[int] = []
    pos = 0
    for m in _REPEAT_ANY.finditer(text):
        a, b = m.span()
        chars.append(text[pos:a])
        s2.extend(starts[pos:a])
        e2.extend(ends[pos:a])
        chars.append(text[a])
        s2.append(starts[a])
        e2.append(ends[b - 1])
        pos = b
    chars.append(text[pos:])
    s2.extend(starts[pos:])
    e2.extend(ends[pos:])
    return "".join(chars), s2, e2


# Text the string-level squeeze does not handle (other whitespace than spaces; a capital sigma, whose
# lower case depends on its neighbours): the character-by-character path takes it.
_SQUEEZE_BY_CHARACTER = re.compile(
    r"[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u03a3]"
)
_ARCHAIC_JAMO = re.compile(r"[\u3164-\u318e]")
_KEYBOARD_WORD = re.compile(r"(?<![^ ])[A-Za-z]{3,}(?![^ ])")
# a filler run (one or two characters, neither Hangul nor space, or one symbol repeated) between two
# Hangul of one word
_FILLER_RUN = re.compile(
    r"(?<=[\uac00-\ud7a3\u3131-\u318e])(?:[^\s\uac00-\ud7a3\u3131-\u318e]{1,2}|" + _LONG_FILLER + r")"
    r"(?=[\uac00-\ud7a3\u3131-\u318e])"
)
# two one-letter Hangul words with only spaces and symbol-only words between them: a run to join
_ONE_LETTER_PAIR = re.compile(
    r"(?<![^ ])[\uac00-\ud7a3\u3131-\u318e] +(?:(?:[^\w ]|_)+ +)*[\uac00-\ud7a3\u3131-\u318e](?![^ ])"
)
_SYMBOL_WORD = re.compile(r"(?:[^\w ]|_)+")


def _keyboard_word(m: re.Match[str]) -> str:
    return keyboard_to_hangul(m.group(0)) or m.group(0)


def _filler(m: re.Match[str]) -> str:
    filler = m.group(0)
    if len(filler) == 1 and filler in LOOKALIKE_JAMO and is_jamo(m.string[m.start() - 1]):
        return LOOKALIKE_JAMO[filler]
    return ""


def _join_one_letter_runs(words: list[str]) -> list[str]:
    """Runs of one-letter words (symbol-only words between them skipped) become one word when they
    are three or more letters, or two with a jamo; a one-letter word never joins a longer one."""
    out: list[str] = []
    w, n = 0, len(words)
    while w < n:
        word = words[w]
        if len(word) == 1 and is_hangul(word):
            run, x = [word], w + 1
            while x < n:
                nxt = words[x]
                if len(nxt) == 1 and is_hangul(nxt):
                    run.append(nxt)
                    x += 1
                elif x + 1 < n and _SYMBOL_WORD.fullmatch(nxt):
                    x += 1
                else:
                    break
            if len(run) >= 3 or (len(run) == 2 and (is_jamo(run[0]) or is_jamo(run[1]))):
                out.append("".join(run))
                w = x
                continue
        out.append(word)
        w += 1
    return out


def _squeezed_text(text: str) -> tuple[str | None, bool]:
    """The squeezed view's text from string-level calls (None when only the character-by-character
    path, ``_squeezed_view_mapped``, handles the text), and whether it was only lower-cased and had
    its repeats collapsed (then ``_lowered_map`` makes its map)."""
    # the mapped path's first step reads only modern jamo as Hangul; with archaic jamo (U+3165…
    # U+318E) in the text its answer can differ from the steps below, so take it the same way
    if _ARCHAIC_JAMO.search(text) and not _SQUEEZE_WORK.search(text):
        lowered = text.lower()
        if len(lowered) == len(text):
            return _REPEAT.sub(r"\1", lowered), False
    if _SQUEEZE_BY_CHARACTER.search(text):
        return None, False
    simple = True
    if _KEYBOARD_WORD.search(text):
        text, simple = _KEYBOARD_WORD.sub(_keyboard_word, text), False
    if _FILLER_RUN.search(text):
        text, simple = _FILLER_RUN.sub(_filler, text), False
    lowered = text.lower()
    if len(lowered) != len(text):
        return None, False
    if _ONE_LETTER_PAIR.search(lowered):
        joined, simple = " ".join(_join_one_letter_runs(lowered.split())), False
    else:
        joined = " ".join(lowered.split())
        simple = simple and len(joined) == len(lowered)
    joined = _REPEAT_ANY.sub(r"\1", joined)
    if _COMPOSABLE.search(joined):
        joined, simple = _compose_text(joined), False
    return joined, simple


def _lowered_map(base: View) -> View:
    """The map of a squeezed view that only lower-cased the base text (single spaces, nothing dropped)
    and collapsed repeats, made with slices instead of word by word: the same as the mapped path,
    which maps a space between words to the empty span at the next word's start."""
    text = base.text.lower()
    starts, ends = list(base.starts), list(base.ends)
    if _SQUEEZE_WORK.search(base.text):  # otherwise the mapped path keeps spaces as they are
        for m in _SPACE.finditer(text):
            i = m.start()
            starts[i] = ends[i] = starts[i + 1]
    joined, s2, e2 = _collapse_lists(text, starts, ends)
    return View(joined, tuple(s2), tuple(e2))


_SPACE = re.compile(" ")


def squeezed_view(base: View) -> View:
    """The matching view: see the module docstring."""
    text, simple = _squeezed_text(base.text)
    if text is None:
        return _squeezed_view_mapped(base)
    return View(text, make=_lowered_map if simple else _squeezed_view_mapped, source=base)


def _squeezed_view_mapped(base: View) -> View:
    """``squeezed_view`` with its map built word by word."""
    text = base.text
    if not _SQUEEZE_WORK.search(text):
        lowered = text.lower()
        if len(lowered) == len(text):
            return _collapse_repeats(base, lowered)
    bstarts, bends = base.starts, base.ends
    # 1. split into words with their positions in the base view
    words = [m.span() for m in _WORD.finditer(text)]
    # chunks of text; starts/ends hold one entry per character of the joined chunks
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []

    def emit(ch: str, k: int) -> None:
        out_c.append(ch)
        out_s.append(bstarts[k])
        out_e.append(bends[k])

    def emit_word(a: int, b: int) -> None:
        word = text[a:b]
        if word.isascii() and word.isalpha() and len(word) >= 3:
            hangul = keyboard_to_hangul(word)
            if hangul is not None:
                out_c.append(hangul)
                out_s.extend([bstarts[a]] * len(hangul))
                out_e.extend([bends[b - 1]] * len(hangul))
                return
        if not _FILLER_BETWEEN_HANGUL.search(word):
            lowered = word.lower()
            if len(lowered) == len(word):  # the whole word as it is (most words)
                out_c.append(lowered)
                out_s.extend(bstarts[a:b])
                out_e.extend(bends[a:b])
                return
        k = a
        while k < b:
            ch = word[k - a]
            if _is_filler(ch) and k > a and is_hangul(text[k - 1]):
                # look for a short filler run between two Hangul characters
                m = k
                while m < b and _is_filler(text[m]):
                    m += 1
                if (
                    m < b
                    and (m - k <= 2 or _LONG_FILLER_RUN.regex.fullmatch(text, k, m))
                    and is_hangul(text[m])
                ):
                    filler = text[k:m]
                    if len(filler) == 1 and filler in LOOKALIKE_JAMO and is_jamo(text[k - 1]):
                        emit(LOOKALIKE_JAMO[filler], k)
                    k = m
                    continue
            low = ch.lower()
            emit(low if len(low) == 1 else ch, k)
            k += 1

    w = 0
    nwords = len(words)
    while w < nwords:
        a, b = words[w]
        # a run of one-letter words (ignoring words that are only symbols) is one word spelt out
        run = [w]
        x = w + 1
        while b - a == 1 and is_hangul(text[a]) and x < nwords:
            xa, xb = words[x]
            if xb - xa == 1 and is_hangul(text[xa]):
                run.append(x)
                x += 1
            elif all(not c.isalnum() and not is_hangul(c) for c in text[xa:xb]) and x + 1 < nwords:
                x += 1
            else:
                break
        joinable = len(run) >= 3 or (len(run) == 2 and any(is_jamo(text[words[r][0]]) for r in run))
        if out_c and out_c[-1][-1:] != " ":
            out_c.append(" ")
            out_s.append(bstarts[a])
            out_e.append(bstarts[a])
        if joinable:
            for r in run:
                emit(text[words[r][0]], words[r][0])
            w = x
            continue
        emit_word(a, b)
        w += 1
    # 2. collapse repeated characters (ㅋㅋㅋ → ㅋ, 씨이이발 → 씨이발)
    joined, s2, e2 = _collapse_lists("".join(out_c), out_s, out_e)
    # 3. compose jamo that fillers had kept apart (ㅅ.ㅣ.발 → 시발)
    if _COMPOSABLE.search(joined):
        c3, s3, e3 = _compose(list(joined), s2, e2)
        return View("".join(c3), tuple(s3), tuple(e3))
    return View(joined, tuple(s2), tuple(e2))


def normalize(text: str) -> Normalized:
    """All views of one comment."""
    base = base_view(text)
    return Normalized(text, base, squeezed_view(base))


def collapse_for_lexicon(word: str) -> str:
    """The squeezed form of a lexicon entry, so entries and comments meet in the same view."""
    return squeezed_view(base_view(word)).text


# A right-to-left override (U+202E) or isolate (U+2067) shows the characters after it reversed, up to
# its closing U+202C / U+2069 or the end of the line: "\u202e발시" is *seen* as 시발.
_RTL_RUN = re.compile("[\u202e\u2067]([^\u202c\u2069\n]*)[\u202c\u2069]?")
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def display_order(text: str) -> tuple[str, tuple[int, int] | None]:
    """The text in the order a reader sees it when it contains right-to-left overrides, and the span
    of the original the first reversed run covers (None when nothing is reversed)."""
    if "\u202e" not in text and "\u2067" not in text:
        return text, None  # two C-level tests instead of a regex scan (most comments)
    first = _RTL_RUN.search(text)
    if first is None:
        return text, None
    # no bidi control survives, so the display text is judged once (a wall of overrides is no deeper)
    shown = _BIDI_CONTROLS.sub("", _RTL_RUN.sub(lambda m: m.group(1)[::-1], text))
    return shown, (first.start(), first.end())
