"""Normalisation: evasions become the plain word, separate words never merge, spans point at the original."""

from __future__ import annotations

import pytest

from briefing.moderation.normalize import keyboard_to_hangul, normalize


@pytest.mark.parametrize(
    ("typed", "squeezed"),
    [
        ("시1발", "시발"),
        ("씨@발", "씨발"),
        ("시.발", "시발"),
        ("ㅅ ㅂ", "ㅅㅂ"),
        ("씨 발 놈", "씨발놈"),
        ("tlqkf", "시발"),
        ("ｔｌｑｋｆ", "시발"),  # full-width Latin on an English layout
        ("시\u200b발", "시발"),  # zero-width space
        ("시\u202e발", "시발"),  # bidi override
        ("ㅅㅣㅂㅏㄹ", "시발"),  # loose compatibility jamo
        ("\u1109\u1175\u1107\u1161\u11af", "시발"),  # conjoining jamo
        ("씨이이이발", "씨이발"),  # repeated letters
        ("ㅅl발", "시발"),  # Latin l standing for ㅣ
        ("ㄱH새끼", "개새끼"),
        ("qudtls", "병신"),
        ("씨\u3164발", "씨발"),  # the Hangul filler, invisible
        ("병ㆍ신", "병신"),  # ㆍ typed as a middle dot
    ],
)
def test_evasions_become_the_word(typed: str, squeezed: str) -> None:
    assert normalize(typed).squeezed.text == squeezed


@pytest.mark.parametrize(
    "text", ["신청 시 발급", "사업 시행 시 발생", "박정희 정부의 경제개발", "김 씨 발언이"]
)
def test_separate_words_are_never_joined(text: str) -> None:
    assert normalize(text).squeezed.text == text


def test_span_in_squeezed_view_maps_back_to_what_was_typed() -> None:
    text = "정말 시1발 이게 뭐냐"
    view = normalize(text).squeezed
    start = view.text.index("시발")
    a, b = view.original_span(start, start + 2)
    assert text[a:b] == "시1발"


def test_full_width_digits_and_at_sign_are_read_as_ascii_in_base_view() -> None:
    base = normalize("０１０－１２３４－５６７８ ｍａｉｌ＠ｎａｖｅｒ．ｃｏｍ").base
    assert base.text == "010-1234-5678 mail@naver.com"


def test_keyboard_spelling_is_only_taken_when_it_makes_whole_syllables() -> None:
    assert keyboard_to_hangul("tlqkf") == "시발"
    assert keyboard_to_hangul("rt") is None  # ㄱㅅ: no syllable
    assert normalize("I love this policy").squeezed.text.startswith("i ")  # 'I' alone is not converted


def test_display_order_reverses_what_a_right_to_left_override_reverses() -> None:
    from briefing.moderation.normalize import display_order

    assert display_order("정책 잘 봤습니다") == ("정책 잘 봤습니다", None)
    assert display_order("ㅋㅋ \u202e발시\u202c 정책") == ("ㅋㅋ 시발 정책", (3, 7))
    assert display_order("\u2067요세하\u2069 \u2067다니합사감") == ("하세요 감사합니다", (0, 5))


def test_a_wall_of_overrides_is_judged_once() -> None:
    from briefing.moderation import CommentInput, moderate
    from briefing.moderation.normalize import display_order

    shown, span = display_order("\u202e" * 5_000 + "발시")
    assert shown == "시발" and span is not None
    assert moderate(CommentInput("c", "\u202e" * 20_000 + "발시")).action == "reject"


@pytest.mark.parametrize(
    ("text", "squeezed"),
    [
        ("씨~~~~발", "씨발"),  # one symbol repeated inside a word is a filler too
        ("병****신", "병신"),
        ("서울...부산 노선", "서울.부산 노선"),  # dots end sentences: not dropped, only collapsed
        ("가~!@#나", "가~!@#나"),  # a mixed run longer than two is not a filler
    ],
)
def test_a_repeated_symbol_inside_a_word_is_dropped_on_both_paths(text: str, squeezed: str) -> None:
    from briefing.moderation.normalize import _squeezed_view_mapped

    norm = normalize(text)
    assert norm.squeezed.text == squeezed
    assert _squeezed_view_mapped(norm.base).text == squeezed
