"""Faster scanning for big alternations: a look-ahead on the set of possible first characters.

Python's regex engine tries every branch of an alternation at every position.  Prefixing the pattern
with ``(?=[first characters])`` lets it skip positions where no branch can start, which on ordinary
comments is most of them (measured 5x on the lexicon).  When the first characters cannot be derived
(a branch may start with anything) the pattern is compiled unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

from msgspec import Struct


def _first_chars(items: Any, flags: int) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
            return out
        if op is C.IN:
            for inner_op, arg in av:
                if inner_op is C.LITERAL:
                    out.add(chr(arg))
                elif inner_op is C.RANGE and arg[1] - arg[0] <= 12000:
                    out.update(chr(c) for c in range(arg[0], arg[1] + 1))
                else:
                    return None
            return out
        if op is C.BRANCH:
            for branch in av[1]:
                first = _first_chars(branch, flags)
                if first is None:
                    return None
                out |= first
            return out
        if op is C.SUBPATTERN:
            inner = _first_chars(av[3], flags | av[1])
            if inner is not None and av[1] & re.IGNORECASE and not flags & re.IGNORECASE:
                inner |= {c.swapcase() for c in inner if c.isascii()}  # a scoped (?i:...)
            return inner
        if op in (C.ASSERT, C.ASSERT_NOT) and av[0] == -1:
            continue  # a look-behind is zero-width: the match still starts at the next item
        if op is C.AT:
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            return _first_chars(av[2], flags)
        return None
    return None


# Per view, the flags its patterns are compiled with. The squeezed view is lower-cased text, so its
# patterns need no case folding; the base view keeps the case people typed. Folding is not free: re
# compiles a Hangul class like [가-힣] about 4x slower with IGNORECASE (2.6 against 0.7 ms here), and a
# cold start compiles dozens of them.
VIEW_FLAGS = {"sq": 0, "base": re.IGNORECASE}
# what a pattern writes that is not text it spells: escapes (\s, \b) and group names ((?P<name>…))
_PATTERN_ESCAPE = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)")
_UPPER_ASCII = re.compile(r"[A-Z]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_DOUBLED_LETTER = re.compile(r"([^\W\d_])\1")


def has_ascii_letters(pattern: str) -> bool:
    """Whether a pattern spells Latin letters (escapes such as \\s or \\b aside): only those need folding."""
    return _ASCII_LETTER.search(_PATTERN_ESCAPE.sub("", pattern)) is not None


def view_flags(view: str, pattern: str) -> int:
    """The flags for ``pattern`` on ``view``. The squeezed view is lower case and has its repeats
    collapsed ("토토" reads "토"), so a pattern for it that spells a capital or a doubled letter could
    never match: refused."""
    if view == "sq":
        bare = _PATTERN_ESCAPE.sub("", pattern)
        if _UPPER_ASCII.search(bare):
            raise ValueError(
                f"the squeezed view is lower case: write this pattern in lower case: {pattern!r}"
            )
        if doubled := _DOUBLED_LETTER.search(bare):
            raise ValueError(
                f"the squeezed view collapses repeats: {doubled.group()!r} can never match there; "
                f"write it once, or match the base view: {pattern!r}"
            )
    return VIEW_FLAGS[view]


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` with a first-character look-ahead when one can be derived."""
    try:
        first = _first_chars(list(P.parse(pattern, flags)), flags)
    except Exception:  # internal parser differences across versions: fall back to the plain pattern
        first = None
    if not first:
        return re.compile(pattern, flags)
    if flags & re.IGNORECASE:
        first |= {c.swapcase() for c in first if c.isascii()}
    # as ranges, not one literal per character: a first character may be any Hangul syllable, and re
    # parses 11,172 literals in Python (measured 20 ms for one pattern against about 1 ms)
    return re.compile(f"(?={_class(first)})(?:{pattern})", flags)


# ---------------------------------------------------------------- two-character gates
# A gate answers "could this pattern match anywhere in the text?" with two C-level set operations: a
# match has to start with one of the pattern's possible first characters followed by one of the
# characters that may come second.  Python's engine tries every branch of a big alternation at every
# position whose first character fits, which on Korean text is most positions; comparing the text's
# character pairs with a set is much cheaper, and when the gate says no, the pattern cannot match.
# Look-arounds and anchors are ignored, so a gate says yes more often than its pattern, never less.
_WILD = frozenset({"<any>"})  # any character
_Prefix = tuple[frozenset[str], ...]  # the possible first (up to) two characters of a match
_MAX_CLASS = 12000
_MAX_PAIRS = 20000
_SPACE_CHARS = frozenset(chr(c) for c in (*range(9, 14), *range(28, 33), 0x85, 0xA0, 0x1680, 0x2028, 0x2029))
_SPACE_CHARS |= frozenset(chr(c) for c in (*range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000))


def _chars_of(items: list[tuple[Any, Any]]) -> frozenset[str]:
    out: set[str] = set()
    for op, arg in items:
        if op is C.LITERAL:
            out.add(chr(arg))
        elif op is C.RANGE and arg[1] - arg[0] <= _MAX_CLASS:
            out.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is C.CATEGORY and arg is C.CATEGORY_SPACE:
            out |= _SPACE_CHARS
        else:  # NEGATE, other categories (\w, \d), huge ranges
            return _WILD
    return frozenset(out)


def _merge(prefixes: set[_Prefix]) -> set[_Prefix]:
    """One two-character prefix per first-character set (second characters united): the sets stay
    small.  Only widens what may match, never narrows it."""
    out: set[_Prefix] = {p for p in prefixes if len(p) < 2 or p[1] is _WILD}
    seconds: dict[frozenset[str], set[str]] = {}
    for p in prefixes:
        if len(p) == 2 and p[1] is not _WILD:
            seconds.setdefault(p[0], set()).update(p[1])
    out.update((first, frozenset(chars)) for first, chars in seconds.items())
    return out


def _concat(left: set[_Prefix], right: set[_Prefix]) -> set[_Prefix]:
    out: set[_Prefix] = set()
    for a in left:
        if len(a) >= 2:
            out.add(a)
        else:
            out.update((a + b)[:2] for b in right)
    return _merge(out)


def _prefixes(items: Any) -> set[_Prefix]:
    """Every possible start (up to two characters, as character sets) of a match of ``items``; an
    element shorter than two means a match may be that short."""
    result: set[_Prefix] = {()}
    for op, av in items:
        if all(len(p) >= 2 for p in result):
            break
        if op is C.LITERAL:
            step: set[_Prefix] = {(frozenset(chr(av)),)}
        elif op is C.IN:
            step = {(_chars_of(av),)}
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width
        elif op is C.BRANCH:
            step = set().union(*(_prefixes(branch) for branch in av[1]))
        elif op is C.SUBPATTERN:
            step = _prefixes(av[3])
        elif op is C.ATOMIC_GROUP:
            step = _prefixes(av)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, inner = av
            once = _prefixes(inner)
            powers: list[set[_Prefix]] = [{()}]
            for _ in range(2):
                powers.append(_concat(powers[-1], once))
            # two repetitions fix the first two characters of any longer run
            step = powers[2] if low >= 2 else set().union(*powers[low : min(high, 2) + 1])
        else:  # ANY, NOT_LITERAL, back-references: any character
            step = {(_WILD,)}
        result = _concat(result, step)
    return result


def _looseness(prefixes: set[_Prefix]) -> float:
    """How often a gate made of these prefixes would let text through (smaller is tighter)."""
    total = 0.0
    for p in prefixes:
        if not p or p[0] is _WILD:
            return float("inf")
        total += len(p[0]) * (1000 if len(p) == 1 or p[1] is _WILD else len(p[1]))
    return total


def _anchor_prefixes(items: list[Any]) -> set[_Prefix] | None:
    """Prefixes that every match must contain somewhere, chosen to be tight: a match of a sequence
    contains a match of each of its tails, so any consuming element can anchor the gate (the verb of
    "너 … 죽여버린다" rather than its many possible first words); an alternation anchors each branch
    on its own."""
    if len(items) == 1 and items[0][0] is C.SUBPATTERN:
        return _anchor_prefixes(list(items[0][1][3]))
    if len(items) == 1 and items[0][0] is C.BRANCH:
        out: set[_Prefix] = set()
        for branch in items[0][1][1]:
            found = _anchor_prefixes(list(branch))
            if found is None:
                return None
            out |= found
        return out
    best: set[_Prefix] | None = None
    best_score = float("inf")
    for i, (op, av) in enumerate(items):
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] == 0:
            continue  # optional: a match need not contain it
        candidate = _prefixes(items[i:])
        score = _looseness(candidate)
        if score < best_score:
            best, best_score = candidate, score
    if best is None:
        whole = _prefixes(items)
        return None if _looseness(whole) == float("inf") else whole
    return best


def _fold(chars: frozenset[str], ignorecase: bool) -> frozenset[str]:
    """Under IGNORECASE, what a character of the pattern may match, in lower case (the gate compares
    the lower-cased text)."""
    if not ignorecase:
        return chars
    fixes = getattr(re._compiler, "_ignorecase_fixes", {})  # type: ignore[attr-defined]
    out = set(chars)
    for ch in chars:
        out.add(ch.lower())
        out.update(chr(c).lower() for c in fixes.get(ord(ch.lower()), ()))
    return frozenset(c for c in out if len(c) == 1)


def _class(chars: frozenset[str] | set[str]) -> str:
    codes = sorted(ord(c) for c in chars)
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(a if i == j else f"{a}-{b}")
        i = j + 1
    return "[" + "".join(parts) + "]"


class Gate(Struct, frozen=True):
    """One alternation of literal first characters, each followed by the class of characters that may
    come second: the engine skips in C to a possible first character and then compares one literal per
    branch, instead of entering every branch of the pattern."""

    regex: re.Pattern[str]
    ignorecase: bool

    def may_match(self, text: str) -> bool:
        if self.ignorecase:
            lowered = text.lower()
            if len(lowered) != len(text) or "\u03a3" in text:  # lower case that moves characters
                return True
            text = lowered
        return self.regex.search(text) is not None


def _follow(table: dict[Any, set[str] | None], key: Any, second: frozenset[str] | None) -> None:
    if second is None or (key in table and table[key] is None):
        table[key] = None
    else:
        table.setdefault(key, set()).update(second)  # type: ignore[union-attr]


def compile_gate(pattern: str, flags: int = 0) -> Gate | None:
    """The gate of ``re.compile(pattern, flags)`` (see above), or None when a match may start with any
    character or be empty (no gate can say no)."""
    try:
        prefixes = _anchor_prefixes(list(P.parse(pattern, flags)))
    except Exception:  # internal parser differences across versions: no gate
        return None
    if prefixes is None:
        return None
    ignorecase = bool(flags & re.IGNORECASE)
    # first character -> characters that may follow it (None: it may match alone); first-character
    # classes wider than 64 characters (e.g. any Hangul) stay one class
    narrow: dict[str, set[str] | None] = {}
    wide: dict[frozenset[str], set[str] | None] = {}
    for p in prefixes:
        if not p or p[0] is _WILD:
            return None
        first = _fold(p[0], ignorecase)
        second = None if len(p) == 1 or p[1] is _WILD else _fold(p[1], ignorecase)
        if len(first) > 64:
            _follow(wide, first, second)
        else:
            for ch in first:
                _follow(narrow, ch, second)
    seconds = narrow
    branches = [re.escape(c) + ("" if rest is None else _class(rest)) for c, rest in sorted(seconds.items())]
    branches += sorted(_class(f) + ("" if rest is None else _class(rest)) for f, rest in wide.items())
    return Gate(re.compile("|".join(branches)), ignorecase)


class LazyRegex:
    """A regex compiled on first use: importing the engine stays cheap (a Lambda cold start), and a
    pattern that only rare comments reach (links, accusations, long texts) is compiled only then."""

    __slots__ = ("_args", "_fast", "_regex")

    def __init__(self, pattern: str, flags: int = 0, fast: bool = False) -> None:
        self._args = (pattern, flags)
        self._fast = fast
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = compile_fast(*self._args) if self._fast else re.compile(*self._args)
        return self._regex

    @property
    def pattern(self) -> str:
        return self._args[0]

    def search(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self.regex.findall(text)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.regex.sub(repl, text)


class LazyGate:
    """``compile_gate`` on first use; without a possible gate, every text may match."""

    __slots__ = ("_args", "_built", "_gate")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._gate: Gate | None = None
        self._built = False

    @property
    def gate(self) -> Gate | None:
        if not self._built:
            self._gate, self._built = compile_gate(*self._args), True
        return self._gate

    def may_match(self, text: str) -> bool:
        gate = self.gate
        return gate is None or gate.may_match(text)
