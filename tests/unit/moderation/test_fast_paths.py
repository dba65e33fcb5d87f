"""The fast paths decide nothing on their own: string-level views equal the mapped ones, and a gate
never says "cannot match" where its pattern matches."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.moderation import detectors
from briefing.moderation.engine import get_engine
from briefing.moderation.fastre import compile_fast, compile_gate
from briefing.moderation.normalize import (
    _base_view_mapped,
    _squeezed_view_mapped,
    base_view,
    normalize,
    squeezed_view,
)

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "moderation"
ALPHABET = st.sampled_from(
    list(
        "시씨발병신새끼개ㅅㅂㅆㅣㅏㄹㆍ 0123456789-.@＠０aZtlqkfQHIl|공일이\u200b\u202e\u1109\u1175\u11a8ｔ人己"
        "ㅋ카톡대출토토너죽여팝니다 _!?~\t\nΣİſK\u3164"
    )
)
TEXTS = st.text(ALPHABET, max_size=40) | st.text(max_size=30)


def shared_texts() -> list[str]:
    import json

    if not SHARED.exists():
        pytest.skip("shared data not present")
    return [
        json.loads(line)["text"]
        for path in sorted(SHARED.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def assert_same_views(text: str) -> None:
    fast, mapped = base_view(text), _base_view_mapped(text)
    assert fast.text == mapped.text
    assert (fast.starts, fast.ends) == (mapped.starts, mapped.ends)
    fast_sq, mapped_sq = squeezed_view(fast), _squeezed_view_mapped(mapped)
    assert fast_sq.text == mapped_sq.text
    assert (fast_sq.starts, fast_sq.ends) == (mapped_sq.starts, mapped_sq.ends)


def test_string_level_views_equal_the_mapped_views_on_every_shared_text() -> None:
    for text in shared_texts():
        assert_same_views(text)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_string_level_views_equal_the_mapped_views_on_evasion_strings(text: str) -> None:
    assert_same_views(text)


def gated_patterns() -> list[tuple[str, str, Any, Any]]:
    """(name, view, the pattern, its gate) for every gate the engine uses."""
    out: list[tuple[str, str, Any, Any]] = []
    lexicon = get_engine().lexicon
    for view, gate in lexicon.gates.items():
        out.append((f"lexicon.{view}", view, lexicon.by_view[view][0], gate))
    for name in ("AD_CUES", "PIRACY_OFFER", "CRIME", "IMPERSONATION_TEXT"):
        cues = getattr(detectors, name)
        for view, gate in cues.gates.items():
            out.append((f"{name}.{view}", view, cues.any_cue[view], gate))
    assert detectors.ACCUSATION_GATE.gate is not None and detectors.ELECTION_GATE.gate is not None
    out.append(("ACCUSATION", "sq", detectors.ACCUSATION_ANYWHERE, detectors.ACCUSATION_GATE))
    out.append(("ELECTION", "sq", detectors.ELECTION, detectors.ELECTION_GATE))
    return out


def assert_gates_admit(text: str) -> None:
    norm = normalize(text)
    for name, view, regex, gate in gated_patterns():
        seen = (norm.squeezed if view == "sq" else norm.base).text
        if regex.search(seen):
            assert gate.may_match(seen), (name, text)


def test_gates_admit_every_shared_text_their_pattern_matches() -> None:
    assert len(gated_patterns()) >= 4
    for text in shared_texts():
        assert_gates_admit(text)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_gates_admit_every_evasion_string_their_pattern_matches(text: str) -> None:
    assert_gates_admit(text)


def test_a_gate_says_no_only_when_no_match_can_start() -> None:
    gate = compile_gate(r"(?<![가-힣])시이?(?:발|빨)|병신(?!년)|凸", re.IGNORECASE)
    assert gate is not None
    assert gate.may_match("진짜 시이발 뭐냐") and gate.may_match("병신년") and gate.may_match("凸")
    assert not gate.may_match("신청 시 발급 안내") and not gate.may_match("좋은 정책입니다")
    english = compile_gate(r"\bf+u+c+k+", re.IGNORECASE)
    assert english is not None and english.may_match("what the FUCK") and not english.may_match("fine")
    anchored = compile_gate(r"\w*시발")  # any letter may start a match, but every match holds 시발
    assert anchored is not None and anchored.may_match("아시발") and not anchored.may_match("아시아")
    assert compile_gate(r"\w+") is None  # a match may start with any letter: no gate
    assert compile_gate(r"x?") is None  # a match may be empty
    # a later element that every match contains can anchor the gate: here the verb, not the many
    # possible first words
    threat = compile_gate(r"(?:너|니|당신)\S{0,6}\s?(?:죽여\s?버리|찔러\s?죽)")
    assert (
        threat is not None and threat.may_match("너 진짜 죽여버린다") and not threat.may_match("너 진짜 좋다")
    )


def test_case_folding_scoped_to_an_entry_still_finds_upper_case() -> None:
    # the base lexicon folds case only inside entries that spell Latin letters: the look-ahead on first
    # characters must then admit the upper-case ones too
    regex = compile_fast(r"(?<![가-힣])병\s신|(?i:\bf+u+c+k+)")
    assert regex.search("what the FUCK") and regex.search("Fuck") and regex.search("병 신")
    assert not regex.search("fine 병신청")
