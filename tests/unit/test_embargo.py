"""보도시점 phrases as agencies really write them, and the traps that would publish a release early."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.releases.embargo import (
    KST,
    Embargo,
    EmbargoParseError,
    parse_embargo,
    parse_korea_time,
    publish_at,
)

# Sunday 2026-04-12 11:00 KST: the approval time of several real releases for Monday's papers.
REF = datetime(2026, 4, 12, 11, 0, tzinfo=KST)


def kst(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=KST)


# --- the spellings of korea-kr-conventions.md and the forms the brief lists --------------------------


@pytest.mark.parametrize(
    ("phrase", "at", "edition"),
    [
        # explicit online time + paper edition: the explicit time wins, the edition is recorded
        ("2026. 4. 13.(월) 16:00 이후(4. 14.(화) 조간)", kst(2026, 4, 13, 16, 0), "2026-04-14 조간"),
        ("2026. 4. 12.(일) 11:00 < 4. 13.(월) 조간 >", kst(2026, 4, 12, 11, 0), "2026-04-13 조간"),
        ("(14조간, 13(월) 14시30분엠바고)", kst(2026, 4, 13, 14, 30), "2026-04-14 조간"),
        # edition only: that edition's time
        ("(월요일 조간)", kst(2026, 4, 13, 6, 0), "2026-04-13 조간"),
        ("4. 14.(화) 석간", kst(2026, 4, 14, 12, 0), "2026-04-14 석간"),
        ("4월 14일(화) 조간", kst(2026, 4, 14, 6, 0), "2026-04-14 조간"),
        ("(4.13. 조간)", kst(2026, 4, 13, 6, 0), "2026-04-13 조간"),
        ("2026년 4월 14일 화요일 석간", kst(2026, 4, 14, 12, 0), "2026-04-14 석간"),
        ("4. 14.(화) 조간부터 보도 가능", kst(2026, 4, 14, 6, 0), "2026-04-14 조간"),
        ("익일 조간", kst(2026, 4, 13, 6, 0), "2026-04-13 조간"),
        ("다음날 조간", kst(2026, 4, 13, 6, 0), "2026-04-13 조간"),
        ("다음 날 석간", kst(2026, 4, 13, 12, 0), "2026-04-13 석간"),
        # explicit times
        ("보도일시 2026. 4. 13.(월) 12:00", kst(2026, 4, 13, 12, 0), None),
        ("2026-04-13 16:00", kst(2026, 4, 13, 16, 0), None),
        ("2026.4.13 16시", kst(2026, 4, 13, 16, 0), None),
        ("2026. 4. 13.(월) 14:00", kst(2026, 4, 13, 14, 0), None),
        ("2026. 4. 13.(월) 오후 2시", kst(2026, 4, 13, 14, 0), None),
        ("2026. 4. 13. 14시 30분", kst(2026, 4, 13, 14, 30), None),
        ("2026. 4. 13. 14시 반", kst(2026, 4, 13, 14, 30), None),
        ("2026. 4. 13.(월) 정오", kst(2026, 4, 13, 12, 0), None),
        ("4. 13. 밤 10시", kst(2026, 4, 13, 22, 0), None),
        ("2026-04-13T16:00", kst(2026, 4, 13, 16, 0), None),
        ("2026-04-13T07:00:00+00:00", kst(2026, 4, 13, 16, 0), None),
        ("26. 4. 13. 12:00", kst(2026, 4, 13, 12, 0), None),
        # a date alone: that day's 00:00
        ("보도일자: 2026. 4. 14.(화)", kst(2026, 4, 14, 0, 0), None),
    ],
)
def test_spellings(phrase: str, at: datetime, edition: str | None) -> None:
    result = parse_embargo(phrase, REF)
    assert result == Embargo(at=at, phrase=phrase, immediate=False, print_edition=edition)
    assert result.at is not None and result.at.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    "phrase",
    [
        "보도시점 :",
        "보도 일시:",
        "엠바고",
        "보도시점: 엠바고",
        "이후",
        "1234",
        "내일 아침",
        "추후 공지",
        "보도 유예",
    ],
)
def test_labels_and_words_without_a_time(phrase: str) -> None:
    # A bare form label is an empty field; anything else without a time must not pass as "no embargo".
    if phrase in {"보도시점 :", "보도 일시:"}:
        assert parse_embargo(phrase, REF) == Embargo(None, phrase, False, None)
    else:
        with pytest.raises(EmbargoParseError):
            parse_embargo(phrase, REF)


@pytest.mark.parametrize(
    "phrase",
    [
        "배포 즉시",
        "배포 즉시 보도 가능",
        "  배포즉시  ",
        "즉시 보도",
        "［배포 즉시］",
        "보도시점: 즉시 / 배포: 2026. 4. 12.",
    ],
)
def test_immediate(phrase: str) -> None:
    assert parse_embargo(phrase, REF) == Embargo(None, phrase.strip(), True, None)


def test_empty_phrase_is_no_embargo() -> None:
    assert parse_embargo("", REF) == Embargo(None, "", False, None)
    assert parse_embargo(" \u200b\u3000 ", REF) == Embargo(None, "", False, None)


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "２０２６．４．１３．（월）　１６：００",  # full-width digits, brackets, ideographic space
        "2026.\u200b4.\u200b13.(월)\u00a016:00",  # zero-width space, no-break space
        "  2026 .  4 .  13 . ( 월 )   16 : 00  ",  # odd spacing
        "보도시점 : 2026. 4. 13.(월) 16:00",
        "보도 일시: 2026. 4. 13.(월) 16:00",
        "보\u200d도시점: 2026. 4. 13.(월) 16:00",  # a zero-width joiner inside the label
        "엠바고 2026. 4. 13.(월) 16:00",
        "Embargo: 2026-04-13 16:00 KST",
        "2026. 4. 13.(금) 16:00",  # the weekday disagrees: the date is trusted
        "2026년 4월 13일 16시",
        "2026/04/13 16:00:00",
        "16:00, 2026. 4. 13.",  # the time before its date
    ],
)
def test_same_moment_in_any_dress(phrase: str) -> None:
    assert parse_embargo(phrase, REF).at == kst(2026, 4, 13, 16, 0)


# --- traps -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "at"),
    [
        ("보도시점: 2026. 4. 13.(월) 12:00 / 배포일시: 2026. 4. 12.(일) 10:00", kst(2026, 4, 13, 12, 0)),
        ("배포 2026. 4. 12.(일) 보도 2026. 4. 13.(월) 조간", kst(2026, 4, 13, 6, 0)),
        ("배포일시 2026. 4. 12. 09:00, 보도일시 2026. 4. 13. 12:00", kst(2026, 4, 13, 12, 0)),
        ("2026. 4. 12.(일) 배포 / 익일 조간", kst(2026, 4, 13, 6, 0)),  # 익일 counts from the 배포 date
    ],
)
def test_distribution_date_is_not_the_embargo(phrase: str, at: datetime) -> None:
    assert parse_embargo(phrase, REF).at == at


def test_a_distribution_date_alone_holds_nothing_back() -> None:
    assert parse_embargo("배포 2026. 4. 12.(일)", REF) == Embargo(None, "배포 2026. 4. 12.(일)", False, None)
    assert parse_embargo("배포일시: 2026. 4. 20. 10:00", REF).at is None


def test_immediate_next_to_a_paper_edition_waits_for_the_paper() -> None:
    # "배포 즉시" may describe the distribution only: the dated (later) reading wins.
    result = parse_embargo("배포 즉시 (지면 4. 14.(화) 조간)", REF)
    assert (result.at, result.immediate, result.print_edition) == (
        kst(2026, 4, 14, 6, 0),
        False,
        "2026-04-14 조간",
    )


def test_explicit_time_with_immediate_distribution() -> None:
    assert parse_embargo("보도시점: 2026. 4. 13. 12:00 / 배포: 즉시", REF).at == kst(2026, 4, 13, 12, 0)


@pytest.mark.parametrize(
    ("reference", "phrase", "at"),
    [
        (kst(2026, 12, 30, 15, 0), "1. 2.(금) 조간", kst(2027, 1, 2, 6, 0)),
        (kst(2026, 12, 30, 15, 0), "2027. 1. 2.(토) 조간", kst(2027, 1, 2, 6, 0)),
        (kst(2026, 12, 30, 15, 0), "12. 31.(목) 14:00 이후(1. 1.(금) 조간)", kst(2026, 12, 31, 14, 0)),
        (kst(2027, 1, 4, 9, 0), "12. 31. 조간", kst(2026, 12, 31, 6, 0)),  # a few days back: same season
        (kst(2027, 1, 4, 9, 0), "3. 2. 조간", kst(2027, 3, 2, 6, 0)),  # far back: next year's
        (kst(2026, 4, 30, 9, 0), "(2조간, 1(금) 10시엠바고)", kst(2026, 5, 1, 10, 0)),  # day only, next month
        (kst(2026, 12, 31, 9, 0), "익일 조간", kst(2027, 1, 1, 6, 0)),
        (kst(2027, 12, 1, 9, 0), "2. 29. 조간", kst(2028, 2, 29, 6, 0)),  # next leap year
    ],
)
def test_missing_year_or_month(reference: datetime, phrase: str, at: datetime) -> None:
    assert parse_embargo(phrase, reference).at == at


def test_year_boundary_keeps_the_edition_year() -> None:
    result = parse_embargo("12. 31.(목) 14:00 이후(1. 1.(금) 조간)", kst(2026, 12, 30, 15, 0))
    assert result.print_edition == "2027-01-01 조간"


@pytest.mark.parametrize(
    ("reference", "at"),
    [
        (kst(2026, 4, 11, 9, 0), kst(2026, 4, 13, 6, 0)),  # Saturday → the coming Monday
        (kst(2026, 4, 13, 5, 59), kst(2026, 4, 13, 6, 0)),  # Monday before 06:00 → today
        (kst(2026, 4, 13, 6, 0), kst(2026, 4, 13, 6, 0)),
        (kst(2026, 4, 13, 10, 0), kst(2026, 4, 20, 6, 0)),  # Monday 10:00: today's has passed → next
    ],
)
def test_weekday_only(reference: datetime, at: datetime) -> None:
    assert parse_embargo("(월요일 조간)", reference).at == at


def test_time_only_is_the_next_such_moment() -> None:
    assert parse_embargo("14시 30분", REF).at == kst(2026, 4, 12, 14, 30)
    assert parse_embargo("오전 10시", REF).at == kst(2026, 4, 13, 10, 0)  # 10:00 today has passed
    assert parse_embargo("조간", REF).at == kst(2026, 4, 13, 6, 0)


def test_a_weekday_before_the_date_is_not_a_second_embargo() -> None:
    # Reference Monday: a stray "(월)" read alone would be NEXT Monday.
    assert parse_embargo("(월) 4. 13. 12:00", kst(2026, 4, 13, 9, 0)).at == kst(2026, 4, 13, 12, 0)


def test_midnight_rolls_over() -> None:
    assert parse_embargo("2026. 4. 13.(월) 24:00", REF).at == kst(2026, 4, 14, 0, 0)
    assert parse_embargo("2026. 4. 13.(월) 자정", REF).at == kst(2026, 4, 14, 0, 0)


def test_several_explicit_times_the_latest_wins() -> None:
    assert parse_embargo("2026. 4. 13. 12:00, 2026. 4. 13. 15:00", REF).at == kst(2026, 4, 13, 15, 0)


def test_naive_and_foreign_reference_are_read_as_the_same_instant() -> None:
    naive = datetime(2026, 12, 30, 15, 0)
    utc = datetime(2026, 12, 30, 6, 0, tzinfo=UTC)
    assert (
        parse_embargo("1. 2. 조간", naive).at == parse_embargo("1. 2. 조간", utc).at == kst(2027, 1, 2, 6, 0)
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "2026. 2. 30.(월) 조간",  # no such date
        "2026. 13. 1. 12:00",
        "2026. 4. 13. 25:00",
        "2026. 4. 13. 12:75",
        "4. 32. 조간",
        "2026. 4. 13. 12:00 보류",  # an unknown word could change the meaning
        "보도시점: 추후 공지",
        "lorem ipsum",
        "?????",
        "2026. 4. 13. 조간 <script>",
    ],
)
def test_garbage_is_refused(phrase: str) -> None:
    with pytest.raises(EmbargoParseError) as info:
        parse_embargo(phrase, REF)
    message = str(info.value)
    assert "보도시점" in message and "embargo" in message
    assert isinstance(info.value, ValueError)


# --- properties --------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_cleanly(text: str) -> None:
    try:
        result = parse_embargo(text, REF)
    except EmbargoParseError:
        return
    assert result.at is None or result.at.utcoffset() == timedelta(hours=9)
    assert not (result.immediate and result.at is not None)


@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    spelling=st.sampled_from(
        [
            "{y}. {m}. {d}.({w}) {H:02d}:{M:02d}",
            "보도시점: {y}-{m:02d}-{d:02d} {H}:{M:02d}",
            "{y}년 {m}월 {d}일 {H}시 {M}분",
            "엠바고 {y}.{m}.{d} {H:02d}:{M:02d} 이후",
            "{m}. {d}.({w}) {H:02d}:{M:02d} 이후({m}. {d}. 석간)",
        ]
    ),
)
def test_explicit_time_is_never_read_earlier(day: date, hour: int, minute: int, spelling: str) -> None:
    phrase = spelling.format(
        y=day.year, m=day.month, d=day.day, H=hour, M=minute, w="월화수목금토일"[day.weekday()]
    )
    reference = datetime.combine(day, datetime.min.time(), KST) - timedelta(days=3)
    assert parse_embargo(phrase, reference).at == datetime.combine(day, datetime.min.time(), KST).replace(
        hour=hour, minute=minute
    )


# --- publish_at and parse_korea_time -------------------------------------------------------------


def test_publish_at_is_the_later_of_approval_and_embargo() -> None:
    approved = kst(2026, 4, 12, 11, 0)
    assert publish_at(approved, None) == approved
    assert publish_at(approved, kst(2026, 4, 13, 6, 0)) == kst(2026, 4, 13, 6, 0)
    assert publish_at(approved, kst(2026, 4, 11, 6, 0)) == approved
    # different offsets compare as instants; naive means Korea time
    assert publish_at(datetime(2026, 4, 12, 2, 0, tzinfo=UTC), datetime(2026, 4, 12, 10, 0)) == approved
    assert publish_at(approved, None).tzinfo is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("04/13/2026 16:31:00", kst(2026, 4, 13, 16, 31)),
        ("04/13/2026 16:31", kst(2026, 4, 13, 16, 31)),
        (" 4/3/2026 06:00:00 ", kst(2026, 4, 3, 6, 0)),
        ("０４/１３/２０２６ １６:３１:００", kst(2026, 4, 13, 16, 31)),
        ("2026-04-13T16:31:00", kst(2026, 4, 13, 16, 31)),
        ("2026-04-13 16:31:00+09:00", kst(2026, 4, 13, 16, 31)),
        ("2026-04-13T07:31:00Z", kst(2026, 4, 13, 16, 31)),
    ],
)
def test_parse_korea_time(value: str, expected: datetime) -> None:
    parsed = parse_korea_time(value)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(hours=9)


def test_parse_korea_time_converts_to_korea_time() -> None:
    parsed = parse_korea_time("2026-04-13T00:00:00-05:00")
    assert (parsed.hour, parsed.tzinfo) == (14, KST)


@pytest.mark.parametrize(
    "value", ["", "   ", "13/04/2026 16:31:00", "04/13/2026 25:00:00", "어제", "2026.04.13"]
)
def test_parse_korea_time_refuses(value: str) -> None:
    with pytest.raises(ValueError, match=r"MM/DD/YYYY|empty"):
        parse_korea_time(value)
