"""Properties over arbitrary text: never crash, spans always point into what was typed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.moderation import CommentInput, moderate
from briefing.moderation.normalize import normalize

ALPHABET = st.sampled_from(
    list(
        "시씨발병신새끼개ㅅㅂㅆㅣㅏㄹ 0123456789-.@＠０１２aZtlqkf공일이삼\u200b\u202e\u1109\u1175ｔ人l|!?ㅋ카톡대출"
    )
)
TEXTS = st.text(ALPHABET, max_size=60) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_views_map_every_character_into_the_original(text: str) -> None:
    norm = normalize(text)
    for view in (norm.base, norm.squeezed):
        assert len(view.starts) == len(view.ends) == len(view.text)
        assert all(0 <= a <= b <= len(text) for a, b in zip(view.starts, view.ends, strict=True))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_decision_is_well_formed_and_evidence_is_the_typed_text(text: str) -> None:
    decision = moderate(CommentInput("p", text))
    d = decision.to_dict()
    assert d["action"] in ("publish", "review", "reject")
    assert d["rules"] == sorted(set(d["rules"])) and all(1 <= r <= 13 for r in d["rules"])
    assert (d["action"] == "publish") == (d["rules"] == [])
    for f in decision.evidence:
        assert 0 <= f.start <= f.end <= len(text)
        if f.detector.startswith(("lexicon.", "pii.", "ads.", "link.")):
            assert f.text == text[f.start : f.end]
