"""Faster scanning for big alternations: a look-ahead on the set of possible first characters.

Python's regex engine tries every branch of an alternation at every position.  Prefixing the pattern
with ``(?=[first characters])`` lets it skip positions where no branch can start, which on ordinary
comments is most of them (measured 5x on the lexicon).  When the first characters cannot be derived
(a branch may start with anything) the pattern is compiled unchanged.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any


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
            return _first_chars(av[3], flags)
        if op in (C.ASSERT, C.ASSERT_NOT) and av[0] == -1:
            continue  # a look-behind is zero-width: the match still starts at the next item
        if op is C.AT:
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            return _first_chars(av[2], flags)
        return None
    return None


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
    charset = "".join(sorted(re.escape(c) for c in first))
    return re.compile(f"(?=[{charset}])(?:{pattern})", flags)
