"""The abuse classifier: exact word memo, model file round trip, and the policy thresholds it ships with."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from briefing.moderation import CommentInput, moderate
from briefing.moderation import classifier as clf
from briefing.moderation.classifier import (
    AbuseClassifier,
    load_model,
    save_model,
    text_features,
    word_features,
)
from briefing.moderation.normalize import normalize

COMMENTS = [
    "정책 설명 감사합니다 많은 도움이 되었어요",
    "이런 걸 정책이라고 내놓냐 한심한 것들",
    "주민센터 방문 전에 서류 꼭 챙기세요",
    "머리는 장식으로 달고 다니냐 ㅋㅋㅋ",
    "",
    "   ",
    "ㅋㅋ",
]


def squeezed(text: str) -> str:
    return normalize(text).squeezed.text


def from_scratch(model: AbuseClassifier, text: str) -> float:
    """The probability computed straight from the text's features, without the memo."""
    z = model.bias + sum(model.weights.get(g, 0.0) for g in text_features(text, model.orders))
    return 1.0 / (1.0 + math.exp(-z))


def test_word_features_are_padded_ngrams_plus_the_whole_word() -> None:
    assert word_features("바보", (2, 3)) == [" 바", "바보", "보 ", " 바보", "바보 ", " 바보 "]
    # a one-letter word is already its own trigram: no duplicate whole-word feature
    assert word_features("개", (2, 3)) == [" 개", "개 ", " 개 "]


def test_memo_gives_the_same_probability_as_scoring_from_scratch() -> None:
    model = load_model()
    texts = [squeezed(t) for t in COMMENTS]
    first = [model.probability(t) for t in texts]  # fills the memo
    again = [model.probability(t) for t in texts]  # every word from the memo
    assert first == again
    for text, p in zip(texts, first, strict=True):
        assert p == pytest.approx(from_scratch(model, text), abs=1e-12)


def test_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clf, "MEMO_LIMIT", 10)
    model = load_model()
    for n in range(50):
        model.probability(f"단어{n} 다른말{n}")
    assert len(model._memo) <= 12
    assert model.probability("단어3 다른말3") == pytest.approx(from_scratch(model, "단어3 다른말3"))


def test_model_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    save_model(path, -1.0, (2, 3), {" 바": 0.5, "바보": 2.0, " 바보 ": 1.0}, {"licence": "CC BY-SA 4.0"})
    model = load_model(path)
    # 바보 (twice: counted, not deduplicated) and an unknown word
    z = -1.0 + 2 * (0.5 + 2.0 + 1.0)
    assert model.probability("바보 바보 하늘") == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-6)
    assert model.probability("") == pytest.approx(1 / (1 + math.exp(1.0)), rel=1e-6)


def test_a_file_in_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.bin"
    path.write_bytes(b'{"bits": 20, "orders": [1, 2]}\n' + b"\x00" * 16)
    with pytest.raises(ValueError, match="word-ngrams/1"):
        load_model(path)


def test_shipped_model_is_small_and_names_its_licence() -> None:
    assert clf.MODEL_FILE.stat().st_size < 5_000_000
    header = clf.MODEL_FILE.read_bytes().split(b"\n", 1)[0].decode()
    assert "CC BY-SA 4.0" in header


def test_insults_without_listed_words_are_held_for_review_and_polite_text_is_published() -> None:
    insult = moderate(CommentInput("c-1", "머리는 장식으로 달고 다니냐 한심한 인간아"))
    polite = moderate(CommentInput("c-2", "좋은 정책 안내 감사합니다. 신청 방법도 알려주세요"))
    assert (insult.action, insult.rules) == ("review", [4])
    assert polite.action == "publish"


def test_a_profane_word_in_a_clearly_casual_comment_is_reviewed_not_rejected() -> None:
    # lexicon rejects need the classifier to agree (P >= LEXICON_REJECT_MIN_PROBABILITY)
    casual = moderate(CommentInput("c-3", "존나 멋있음 노래도 잘하는데 퍼포먼스도 완벽"))
    abusive = moderate(CommentInput("c-4", "존나 못생긴 새끼가 어디서 나대"))
    assert casual.action == "review"
    assert abusive.action == "reject"


def test_a_milder_lexicon_word_needs_a_surer_classifier_than_hard_profanity() -> None:
    # entries scored below LEXICON_STRONG_SCORE reject only at P >= LEXICON_WEAK_REJECT_MIN_PROBABILITY
    mild = moderate(CommentInput("c-7", "개소리 하지마"))
    mild_abuse = moderate(CommentInput("c-8", "개소리 집어치워라 이 한심한 새끼야"))
    hard = moderate(CommentInput("c-9", "병신"))
    assert (mild.action, mild.rules) == ("review", [4])
    assert mild_abuse.action == "reject"
    assert hard.action == "reject"


def test_the_ugly_duckling_is_not_rejected_as_profanity() -> None:
    assert moderate(CommentInput("c-5", "미운 오리 새끼 동화책 읽어줬어요")).action != "reject"
    assert moderate(CommentInput("c-6", "진짜 미운오리새끼네 제발 잘 좀 해라")).action != "reject"


@pytest.mark.parametrize(
    "text",
    [
        "이 정부 들어서 좋아진 게 하나도 없다",
        "물가 잡는다더니 장바구니 물가 미쳤다",
        "또 보여주기식 행사네 한심하다",
    ],
)
def test_blunt_criticism_of_the_government_is_published(text: str) -> None:
    # posting rules: "criticism of a policy or politician is not a slur" (these are criticism probes,
    # not training lines; before the criticism comments joined training each was held for review)
    assert moderate(CommentInput("c-10", text)).action == "publish"


@pytest.mark.parametrize("text", ["문죄인 감옥 보내라", "윤두창 탄핵하라", "빨갱이 정권 물러가라"])
def test_nicknames_that_demean_a_politician_are_flagged_beside_criticism(text: str) -> None:
    assert 4 in moderate(CommentInput("c-11", text)).rules
