"""R3/R4 lexicon: regex entries from ``data/lexicon.txt`` matched on the normalised views."""

from __future__ import annotations

import re
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import replace

from briefing.moderation.fastre import (
    VIEW_FLAGS,
    Gate,
    compile_fast,
    compile_gate,
    has_ascii_letters,
    view_flags,
)
from briefing.moderation.findings import Finding, finding_from_view
from briefing.moderation.normalize import Normalized

LEXICON_FILE = Path(__file__).with_name("data") / "lexicon.txt"
# A word followed by reported speech ("틀딱이라고 욕하고", "시발이란 단어", "개독이라 생각했는데") or named
# as a kind of word ("김치녀 같은 혐오 표현") is mentioned, not used: its finding is kept (review) but
# scores below the reject threshold.
MENTION = re.compile(
    r"\s?(?:이?라고\s?(?:하|한|했|할|해|부르|불러|불렀|욕|말|생각)|이?라\s?(?:생각|부르|불러|불렀)"
    r"|이?(?:란|라는)\s?(?:단어|말|표현|욕)"
    # named as hate speech to condemn it: "김치녀 같은 혐오 표현 쓰지 맙시다"
    # ("병신 같은 말" is the insult used, so a bare 말 or 소리 does not count)
    r"|\s?같은\s?(?:(?:혐오|비하)\s?(?:표현|단어|용어|발언|말)|표현|단어|용어))"
)
MENTION_SCORE = 0.85


class Entry(Struct, frozen=True):
    rule: int
    score: float
    view: str
    label: str
    pattern: str


class Lexicon(Struct, frozen=True):
    """Entries compiled into one alternation per view (one regex pass per view, not per entry)."""

    entries: tuple[Entry, ...]
    by_view: dict[str, tuple[re.Pattern[str], tuple[Entry, ...]]]
    # per view, a cheap test that no entry can match (fastre.Gate), where one pays
    gates: dict[str, Gate] = field(default_factory=dict)

    def find(self, norm: Normalized) -> list[Finding]:
        found: list[Finding] = []
        for view_name, (regex, entries) in self.by_view.items():
            view = norm.squeezed if view_name == "sq" else norm.base
            gate = self.gates.get(view_name)
            if gate is not None and not gate.may_match(view.text):
                continue
            for match in regex.finditer(view.text):
                group = match.lastgroup
                if group is None:
                    continue
                entry = entries[int(group[1:])]
                finding = finding_from_view(
                    view, norm.original, match.start(), match.end(), entry.rule,
                    f"lexicon.{entry.label}", entry.score,
                )  # fmt: skip
                if finding.score > MENTION_SCORE and MENTION.match(norm.original, finding.end):
                    finding = replace(finding, score=MENTION_SCORE)
                found.append(finding)
        return found


def parse_lexicon(lines: list[str]) -> tuple[Entry, ...]:
    entries = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        rule, score, view, label, pattern = line.rstrip("\n").split("\t", 4)
        if view not in VIEW_FLAGS:
            raise ValueError(f"unknown view {view!r} in lexicon line: {line!r}")
        view_flags(view, pattern)  # an entry for the lower-cased view must be lower case
        entries.append(Entry(int(rule), float(score), view, label, pattern))
    return tuple(entries)


def _compile_entries(alternation: str, flags: int, entries: tuple[Entry, ...]) -> re.Pattern[str]:
    try:
        return compile_fast(alternation, flags)
    except re.error:
        for entry in entries:  # name the entry at fault (compiling each one is only worth it here)
            try:
                re.compile(entry.pattern, flags)
            except re.error as error:
                raise ValueError(f"lexicon entry {entry.label}: {error}: {entry.pattern!r}") from error
        raise


def build_lexicon(entries: tuple[Entry, ...]) -> Lexicon:
    by_view: dict[str, tuple[re.Pattern[str], tuple[Entry, ...]]] = {}
    gates: dict[str, Gate] = {}
    for view, flags in VIEW_FLAGS.items():
        chosen = tuple(e for e in entries if e.view == view)
        if not chosen:
            continue
        if flags & re.IGNORECASE:
            # fold case only inside the entries that spell Latin letters: most are Hangul only, and
            # folding makes their Hangul classes several times dearer to compile
            flags &= ~re.IGNORECASE
            patterns = [f"(?i:{e.pattern})" if has_ascii_letters(e.pattern) else e.pattern for e in chosen]
        else:
            patterns = [e.pattern for e in chosen]
        alternation = "|".join(f"(?P<e{i}>{p})" for i, p in enumerate(patterns))
        by_view[view] = (_compile_entries(alternation, flags, chosen), chosen)
        gate = compile_gate(alternation, flags) if view == "sq" else None  # base: measured no gain
        if gate is not None:
            gates[view] = gate
    return Lexicon(entries, by_view, gates)


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return build_lexicon(parse_lexicon(path.read_text(encoding="utf-8").splitlines()))
