"""The decision a commenter and a moderator see: one action, reason codes, masked evidence, a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefing.moderation import (
    CommentInput,
    InMemoryRepeatHistory,
    ModerationSettings,
    fingerprint,
    moderate,
    signature,
    similarity,
    takedown_decision,
)
from briefing.moderation.engine import get_engine, official_register
from briefing.moderation.normalize import normalize

NOW = datetime(2026, 4, 13, 12, 0, tzinfo=UTC)


def decide(text: str, **kwargs: str) -> dict:
    return moderate(CommentInput("c1", text, **kwargs)).to_dict()


def test_clean_comment_is_published_with_nothing_to_explain() -> None:
    assert decide("좋은 정책 감사합니다. 신청 시 발급까지 며칠 걸리나요?") == {
        "id": "c1", "action": "publish", "rules": [], "evidence": [], "message": "",
    }  # fmt: skip


def test_phone_number_is_rejected_with_masked_evidence_and_a_korean_reason() -> None:
    d = decide("제 번호 010-1234-5678 로 연락주세요")
    assert d["action"] == "reject" and d["rules"] == [1]
    assert d["evidence"][0]["text"] == "010-****-5678"
    assert d["evidence"][0]["span"] == [5, 18]
    assert d["message"] == "개인정보(전화번호)에 해당하는 내용이 포함되어 게시할 수 없습니다 (운영원칙 1)"


def test_an_officials_mobile_posted_with_an_accusation_is_personal_not_a_desk_number() -> None:
    # after a role word a mobile number reads as the office's published contact ...
    assert decide("홍길동 과장 010-1234-5678 로 문의하세요")["action"] == "publish"
    # ... but beside an accusation against that person it exposes them
    d = decide("홍길동 과장은 비리 공무원이다 연락처 010-1234-5678")
    assert d["action"] == "reject" and d["rules"] == [1, 2]
    assert {e["detector"] for e in d["evidence"]} == {"pii.phone", "defamation.accusation"}
    d = decide("홍길동 사무관은 비리 공무원이다 메일 hong@korea.kr")
    assert d["action"] == "reject" and d["rules"] == [1, 2]


def test_evidence_spans_point_into_the_original_text() -> None:
    text = "정말 ｔｌｑｋｆ 이게 뭐냐"
    d = decide(text)
    assert d["action"] == "reject" and 4 in d["rules"]
    start, end = d["evidence"][0]["span"]
    assert text[start:end] == "ｔｌｑｋｆ"


def test_several_rules_are_sorted_reason_codes() -> None:
    d = decide("시1발 내 번호 010-1234-5678 카톡 abc1234 로 대출 문의")
    assert d["action"] == "reject"
    assert d["rules"] == sorted(d["rules"]) and {1, 4, 6} <= set(d["rules"])


def test_review_only_rules_hold_the_comment_for_a_moderator() -> None:
    d = moderate(CommentInput("c1", "좋은 정책입니다", display_name="정책브리핑 운영자")).to_dict()
    assert d["action"] == "review" and d["rules"] == [9]
    assert "관리자 확인 후 게시됩니다" in d["message"]


def test_takedown_carries_rule_13() -> None:
    d = takedown_decision("c9", "수사기관 공문 제2026-123호(정보통신망법 제44조의2)").to_dict()
    assert d["action"] == "reject" and d["rules"] == [13]
    assert "운영원칙 13" in d["message"]


def test_classifier_scores_abuse_without_listed_words_above_polite_text() -> None:
    clf = get_engine().classifier
    rude = clf.probability(normalize("저런 인간은 사람도 아니다 나라 망신이다 꺼지는게 답").squeezed.text)
    polite = clf.probability(
        normalize("청년 지원 확대 소식 반갑습니다. 신청 방법도 안내해 주세요").squeezed.text
    )
    assert rude > 0.5 > polite


def test_settings_change_thresholds() -> None:
    text = "저런 인간은 사람도 아니다 나라 망신이다"
    strict = moderate(CommentInput("c", text), settings=ModerationSettings(classifier_review_at=0.05))
    off = moderate(CommentInput("c", text), settings=ModerationSettings(use_classifier=False))
    assert strict.action == "review" and off.action == "publish"


def test_press_release_register_is_recognised() -> None:
    assert official_register("국토교통부(장관 김윤덕)는 책임준공 기한 연장이 가능할 것이라고 밝혔다.")
    assert not official_register("이딴 걸 정책이라고 ㅋㅋ")


@pytest.mark.parametrize(
    "bad", [{"text": "x"}, {"id": "1"}, {"id": "1", "text": 3}, {"id": "1", "text": "x", "author": 5}]
)
def test_bad_input_is_refused_with_the_field_named(bad: dict) -> None:
    with pytest.raises(ValueError, match=r"'(id|text|author)'"):
        CommentInput.from_dict(bad)


# ------------------------------------------------------------------ R11 repeats
def test_fingerprint_ignores_spacing_symbols_and_evasion_fillers() -> None:
    assert fingerprint("이 정책 반대합니다!!!") == fingerprint("이정책  반대합니다")
    assert fingerprint("이 정책 반대합니다") != fingerprint("이 정책 찬성합니다")


def test_near_duplicate_signature() -> None:
    a = signature("이번 정책 정말 최악입니다 당장 철회하세요 국민을 무시하는 처사")
    b = signature("이번 정책 정말 최악입니다 당장 철회하세요!! 국민을 무시하는 처사네요")
    c = signature("날씨가 좋아서 산책 다녀왔습니다 모두 좋은 하루 보내세요")
    assert similarity(a, b) >= 0.8 > similarity(a, c)


def test_same_author_repeating_within_the_window_is_rejected_and_outside_is_not() -> None:
    history = InMemoryRepeatHistory()
    text = "이번 정책 정말 최악입니다 당장 철회하세요"
    first = moderate(CommentInput("1", text, author="u1"), history=history, now=NOW)
    again = moderate(
        CommentInput("2", text + "!!", author="u1"), history=history, now=NOW + timedelta(hours=1)
    )
    later = moderate(CommentInput("3", text, author="u1"), history=history, now=NOW + timedelta(days=3))
    assert first.action == "publish"
    assert again.action == "reject" and again.rules == [11]
    assert later.action == "publish"


def test_the_same_comment_id_retried_is_not_its_own_repeat() -> None:
    history = InMemoryRepeatHistory()
    comment = CommentInput("1", "이번 정책 정말 최악입니다 당장 철회하세요", author="u1")
    moderate(comment, history=history, now=NOW)
    assert moderate(comment, history=history, now=NOW).action == "publish"


def test_campaign_across_authors_goes_to_review() -> None:
    history = InMemoryRepeatHistory()
    text = "이 법안 통과를 반대합니다 국민의 뜻을 들어주세요"
    actions = [
        moderate(CommentInput(str(i), text, author=f"u{i}"), history=history, now=NOW).action
        for i in range(3)
    ]
    assert actions == ["publish", "publish", "review"]


def test_short_replies_are_not_repeats() -> None:
    history = InMemoryRepeatHistory()
    for i in range(3):
        d = moderate(CommentInput(str(i), "감사합니다", author="u1"), history=history, now=NOW)
        assert d.action == "publish"


def test_someone_asking_how_to_die_is_told_where_help_is() -> None:
    from briefing.moderation import CommentInput, moderate

    asked = moderate(CommentInput("c1", "자살하는 법 알려주세요"))
    assert asked.action == "review" and 3 in asked.rules
    assert "109" in asked.message
    incited = moderate(CommentInput("c2", "그냥 죽어버려라 너같은건"))  # aimed at someone else
    assert "109" not in incited.message


def test_a_suicide_pact_sought_is_held_and_its_writer_told_where_help_is() -> None:
    from briefing.moderation import CommentInput, moderate

    # 자살예방법 names recruiting suicide partners, methods and places 자살유발정보: hidden, a person sees it
    for text in (
        "번개탄 같이 피울 사람 구함",
        "자살하고 싶은 사람 같이 죽자",
        "동반자살 하실 분",
        "투신 장소 추천",
    ):
        d = moderate(CommentInput("c3", text))
        assert d.action == "review" and d.rules == [3] and "109" in d.message, text
    for text in ("이러다 국민 다 같이 죽자는 거냐", "번개탄 판매 규제 찬성합니다", "같이 죽을 각오로 일하겠습니다",
                 "마포대교 투신 방지 시설 늘려주세요"):  # fmt: skip
        assert moderate(CommentInput("c4", text)).action == "publish", text
