"""보도시점 (embargo) phrases of Korean press releases, read into an aware Korea-time datetime.

Agencies write the embargo line by hand, so it comes in many spellings ("배포 즉시",
"2026. 4. 13.(월) 16:00 이후(4. 14.(화) 조간)", "(월요일 조간)", "보도일시 2026. 4. 13.(월) 12:00",
"4. 14.(화) 석간", "(14조간, 13(월) 14시30분엠바고)" ...). Publishing before the embargo lifts is
the worst error a portal can make, so every rule below leans late:

* Text is NFKC-normalised (full-width digits and brackets), zero-width characters are dropped and
  spaces collapsed before reading.
* 조간 (morning papers) without a time means 06:00 of that day, 석간 (evening papers) 12:00.
* A date introduced by "배포" ("배포 2026. 4. 12.(일)", "배포일시 …") is the distribution date and
  is never the embargo. Labels come first in Korean release headers ("보도시점: … 배포: …"); when
  the phrase starts with a date instead, a marker word labels the dates before it.
* Decision: when a line gives an explicit date+time (online/broadcast) AND a paper edition, ``at``
  is the explicit time (the portal is online) and the edition goes to ``print_edition``. When only
  an edition is given, ``at`` is that edition's time. Several explicit times: the latest wins.
* "즉시" (immediately) with no date anywhere → ``immediate=True, at=None``. "즉시" next to a dated
  reading ("배포 즉시 … 4. 14.(화) 조간") is ambiguous: the dated (later) reading wins.
* A date alone (no time, no edition) means 00:00 of that day.
* Missing year: the nearest such date not more than 61 days before the anchor (the previous
  date in the same line, else ``reference``, the approval time). Reference 2026-12-30 and
  "1. 2.(금) 조간" → 2027-01-02 06:00. Day only ("14조간", "13(월)"): the nearest such day not more
  than 10 days before the anchor.
* A weekday in brackets that disagrees with the date is ignored: the date is trusted.
* Weekday only ("(월요일 조간)"), time only ("14:00") or edition only ("조간"): the first such
  moment at or after ``reference``. Reference Monday 10:00 with "월요일 조간" → NEXT Monday 06:00,
  because this Monday's 06:00 has passed and reading it as "now" could publish a week early.
* "익일/다음날/명일/내일" = the anchor day + 1, "당일/금일/오늘" = the anchor day.
* "오후/저녁/밤/PM" add 12 hours to 1-11 o'clock; "낮" to 1-6; "24:00" and "자정" are the next day's
  00:00; "정오" is 12:00.
* Words outside a small vocabulary of labels and fillers make the phrase unreadable
  (``EmbargoParseError``) rather than silently ignored: an unknown word could change the meaning.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone

from msgspec import Struct, field

__all__ = [
    "KST",
    "Embargo",
    "EmbargoParseError",
    "parse_embargo",
    "parse_korea_time",
    "publish_at",
]

# Korea has had no daylight saving time since 1988; a fixed offset needs no tzdata in Lambda.
KST = timezone(timedelta(hours=9), "KST")

EDITION_TIMES = {"조간": (6, 0), "석간": (12, 0)}  # (hour, minute) of the papers' release
_YEAR_WINDOW = timedelta(days=61)
_DAY_WINDOW = timedelta(days=10)
_WEEKDAYS = "월화수목금토일"  # Monday first, like date.weekday()


class EmbargoParseError(ValueError):
    """A non-empty 보도시점 phrase that cannot be read safely."""


class Embargo(Struct, frozen=True):
    """The reading of one 보도시점 phrase."""

    at: datetime | None
    phrase: str
    immediate: bool
    print_edition: str | None


# ---------------------------------------------------------------------------------------------
# Normalisation

_INVISIBLE = dict.fromkeys([0x00AD, 0x180E, *range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF])
_BRACKETS = str.maketrans(
    {
        "〈": "<",
        "〉": ">",
        "《": "<",
        "》": ">",
        "「": "(",
        "」": ")",
        "『": "(",
        "』": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "｢": "(",
        "｣": ")",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
    }
)


_EDGES = re.compile(
    r"^[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]+|[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]+$"
)


def _normalise(text: str) -> str:
    """NFKC, no invisible characters, one space between words: what the patterns expect."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_BRACKETS)
    text = re.sub(r"(?<=\d)T(?=\d)", " ", text)  # ISO 8601 "2026-04-13T16:00"
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------------------------------------
# Tokens

_WD = f"[{_WEEKDAYS}]"
_AMPM = r"(?:오전|오후|낮|밤|저녁|새벽|아침|a\.?m\.?|p\.?m\.?)"
_TOKEN = re.compile(
    rf"""
    (?P<full>(?<!\d)(?P<fy>\d{{4}})\s*(?:[./-]|년)\s*(?P<fm>\d{{1,2}})\s*(?:[./-]|월)\s*(?P<fd>\d{{1,2}})
        (?!\d)(?!\s*:)\s*(?:일(?!\s*요)|\.)?)
  | (?P<short>(?<![\d:])'?(?P<sy>1[3-9]|[2-9]\d)\.\s*(?P<sm>\d{{1,2}})\.\s*(?P<sd>\d{{1,2}})
        (?![\d:])(?!\s*:)\s*\.?)
  | (?P<md>(?<![\d:])(?P<mm>\d{{1,2}})\s*(?:[./]|월)\s*(?P<md_d>\d{{1,2}})
        (?![\d:])(?!\s*:)\s*(?:일(?!\s*요)|\.)?)
  | (?P<clock>(?:(?P<cap>{_AMPM})\s*)?(?<!\d)(?P<ch>\d{{1,2}})\s*:\s*(?P<cm>\d{{2}})(?:\s*:\s*\d{{2}})?(?!\d))
  | (?P<hour>(?:(?P<hap>{_AMPM})\s*)?(?<!\d)(?P<hh>\d{{1,2}})\s*시(?!간|점)
        (?:\s*(?P<hm>\d{{1,2}})\s*분|\s*(?P<half>반))?)
  | (?P<noon>정오)
  | (?P<midnight>자정)
  | (?P<day>(?<![\d.:/])(?P<dd>\d{{1,2}})(?:\s*일(?!\s*요)|(?=\s*\(\s*{_WD}|\s*자?\s*(?:조간|석간))))
  | (?P<wd>\(\s*(?P<wd1>{_WD})\s*(?:요일)?\s*\)|(?P<wd2>{_WD})\s*요일)
  | (?P<edition>조간|석간)
  | (?P<rel>익일|다음\s*날|명일|내일|당일|금일|오늘)
  | (?P<imm>즉시)
  | (?P<filler>보도\s*자료|보도\s*가능|보도\s*금지|보도\s*불가)
  | (?P<dist>배포\s*(?:일시|일자|시점|시각|시간)?)
  | (?P<label>보도\s*(?:시점|일시|일자|시각|시간|예정\s*일?)?|엠바고|embargo)
  | (?P<word>이후|부터|까지|가능|해제|허용|금지|불가|지면|신문|온라인|인터넷|방송|통신|매체|게재|기준|예정
        |KST|용|자)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s()<>,.:;~/|·\-–—_*'\"“”‘’!?&+=]*")
_REL_OFFSETS = {"익일": 1, "다음날": 1, "명일": 1, "내일": 1, "당일": 0, "금일": 0, "오늘": 0}


class _Group(Struct):
    """One dated reading inside a phrase: a date-ish head with its time and edition."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # only when no calendar date is given
    rel: int | None = None
    clock: tuple[int, int] | None = None
    edition: str | None = None
    role: str | None = None  # "dist", "label" or None
    has_head: bool = False
    tokens: list[str] = field(default_factory=list)


def _fail(phrase: str, reason_ko: str, reason_en: str) -> EmbargoParseError:
    return EmbargoParseError(
        f"보도시점을 해석할 수 없습니다 ({reason_ko}): {phrase!r} — cannot read embargo phrase ({reason_en})"
    )


def _clock(hour: int, minute: int, ampm: str | None, phrase: str) -> tuple[int, int]:
    """Apply 오전/오후 words and check ranges (24:00 is allowed: the next day's midnight)."""
    if ampm:
        word = ampm.lower().replace(".", "")
        if word in {"오후", "저녁", "밤", "pm"} and 1 <= hour < 12:
            hour += 12
        elif word == "밤" and hour == 12:
            hour = 24
        elif word == "낮" and 1 <= hour <= 6:
            hour += 12
    if not (0 <= hour <= 24 and 0 <= minute <= 59) or (hour == 24 and minute):
        raise _fail(phrase, f"없는 시각 {hour}:{minute:02d}", f"no such time {hour}:{minute:02d}")
    return hour, minute


def _tokenise(text: str, phrase: str) -> list[tuple[str, re.Match[str]]]:
    """Split into known tokens; anything left over that is not punctuation is an error."""
    tokens: list[tuple[str, re.Match[str]]] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        gap = text[pos : match.start()]
        if not _PUNCTUATION.fullmatch(gap):
            raise _fail(phrase, f"알 수 없는 표현 {gap.strip()!r}", f"unknown words {gap.strip()!r}")
        kind = match.lastgroup  # the top-level alternative: it is the last group to close
        assert kind is not None
        tokens.append((kind, match))
        pos = match.end()
    rest = text[pos:]
    if not _PUNCTUATION.fullmatch(rest):
        raise _fail(phrase, f"알 수 없는 표현 {rest.strip()!r}", f"unknown words {rest.strip()!r}")
    return tokens


def _groups(tokens: list[tuple[str, re.Match[str]]], phrase: str) -> tuple[list[_Group], bool, bool]:
    """Assemble tokens into dated readings; returns (groups, saw 즉시, saw an embargo label)."""
    groups: list[_Group] = []
    current: _Group | None = None
    immediate = False
    embargo_word = False
    marker_first = bool(tokens) and tokens[0][0] in {"dist", "label"}
    prefix_role: str | None = None
    unlabeled_since = 0  # index in groups of the first group not yet labeled (postfix style)

    def start(**kwargs: object) -> _Group:
        if kwargs.get("day") is not None and current is not None and current.tokens == ["wd"]:
            groups.remove(current)  # "(월) 4. 13.": the weekday only announces the date
        group = _Group(role=prefix_role if marker_first else None, **kwargs)  # type: ignore[arg-type]
        groups.append(group)
        return group

    for kind, m in tokens:
        if kind == "full":
            current = start(year=int(m["fy"]), month=int(m["fm"]), day=int(m["fd"]), has_head=True)
        elif kind == "short":
            current = start(year=2000 + int(m["sy"]), month=int(m["sm"]), day=int(m["sd"]), has_head=True)
        elif kind == "md":
            current = start(month=int(m["mm"]), day=int(m["md_d"]), has_head=True)
        elif kind == "day":
            current = start(day=int(m["dd"]), has_head=True)
        elif kind == "wd":
            weekday = _WEEKDAYS.index(m["wd1"] or m["wd2"])
            if (
                current is not None
                and current.day is not None
                and current.clock is None
                and (current.edition is None and current.tokens[-1:] == ["date"])
            ):
                pass  # a check on the date just given; the date is trusted
            else:
                current = start(weekday=weekday, has_head=True)
        elif kind == "rel":
            current = start(rel=_REL_OFFSETS[re.sub(r"\s", "", m["rel"])], has_head=True)
        elif kind in {"clock", "hour", "noon", "midnight"}:
            if kind == "clock":
                value = _clock(int(m["ch"]), int(m["cm"]), m["cap"], phrase)
            elif kind == "hour":
                minute = 30 if m["half"] else int(m["hm"] or 0)
                value = _clock(int(m["hh"]), minute, m["hap"], phrase)
            else:
                value = (12, 0) if kind == "noon" else (24, 0)
            if current is None or current.clock is not None:
                current = start()
            current.clock = value
        elif kind == "edition":
            if current is None or current.edition is not None:
                current = start()
            current.edition = m["edition"]
        elif kind == "imm":
            immediate = True
            if prefix_role == "dist":
                prefix_role = None  # "배포 즉시": the distribution value ends here
        elif kind in {"dist", "label"}:
            role = "dist" if kind == "dist" else "label"
            if kind == "label" and not re.match(r"보도", m.group(0)):
                embargo_word = True
            if marker_first:
                prefix_role = role
            else:
                for group in groups[unlabeled_since:]:
                    group.role = role
                unlabeled_since = len(groups)
            current = None
            continue
        else:  # filler words
            continue
        if current is not None:
            current.tokens.append("date" if kind in {"full", "short", "md", "day"} else kind)

    # "16:00 2026. 4. 13.": a lone time before the date it belongs to.
    merged: list[_Group] = []
    for group in groups:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.has_head
            and previous.edition is None
            and group.has_head
            and group.clock is None
            and previous.role == group.role
        ):
            group.clock = previous.clock
            merged[-1] = group
        else:
            merged.append(group)
    return merged, immediate, embargo_word


# ---------------------------------------------------------------------------------------------
# Resolution


def _make_date(year: int, month: int, day: int, phrase: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        reason = f"없는 날짜 {year}. {month}. {day}."
        raise _fail(phrase, reason, f"no such date {year}-{month}-{day}") from None


def _infer_year(month: int, day: int, anchor: date, phrase: str) -> date:
    """The nearest month/day not more than ~2 months before the anchor."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise _fail(phrase, f"없는 날짜 {month}. {day}.", f"no such date {month}/{day}")
    for year in range(anchor.year - 1, anchor.year + 5):  # +5: 29 February
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February in a common year
        if candidate >= anchor - _YEAR_WINDOW:
            return candidate
    raise _fail(phrase, f"없는 날짜 {month}. {day}.", f"no such date {month}/{day}")


def _infer_month(day: int, anchor: date, phrase: str) -> date:
    """The nearest day-of-month not more than 10 days before the anchor."""
    if not 1 <= day <= 31:
        raise _fail(phrase, f"없는 날짜 {day}일", f"no such day {day}")
    year, month = anchor.year, anchor.month - 1
    if month == 0:
        year, month = year - 1, 12
    for _ in range(4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= anchor - _DAY_WINDOW:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise _fail(phrase, f"없는 날짜 {day}일", f"no such day {day}")


def _at(day: date, clock: tuple[int, int]) -> datetime:
    hour, minute = clock
    return datetime.combine(day, time(hour % 24, minute), KST) + timedelta(days=hour // 24)


def _first_at_or_after(reference: datetime, clock: tuple[int, int], weekday: int | None) -> datetime:
    """The first moment at ``clock`` (on ``weekday`` if given) not before ``reference``."""
    day = reference.date()
    for _ in range(15):
        if (weekday is None or day.weekday() == weekday) and _at(day, clock) >= reference:
            return _at(day, clock)
        day += timedelta(days=1)
    raise AssertionError("unreachable: a week always contains the weekday")  # pragma: no cover


def _as_kst(value: datetime) -> datetime:
    """Aware datetimes convert to Korea time; naive ones are taken to be Korea time already."""
    return value.replace(tzinfo=KST) if value.tzinfo is None else value.astimezone(KST)


def parse_embargo(phrase: str, reference: datetime) -> Embargo:
    """Read a 보도시점 phrase; ``reference`` (the approval time) fills a missing year or day.

    Raises EmbargoParseError when a non-empty phrase cannot be read safely.
    """
    stripped = _EDGES.sub("", phrase)
    reference = _as_kst(reference)
    text = _normalise(phrase)
    if not text:
        return Embargo(at=None, phrase=stripped, immediate=False, print_edition=None)
    try:  # a bare ISO 8601 timestamp, possibly with its own offset
        at = _as_kst(datetime.fromisoformat(text))
        return Embargo(at=at, phrase=stripped, immediate=False, print_edition=None)
    except ValueError:
        pass

    groups, immediate, embargo_word = _groups(_tokenise(text, stripped), stripped)

    anchor = reference.date()
    explicit: list[datetime] = []
    plain: list[datetime] = []
    editions: list[tuple[datetime, str]] = []
    for group in groups:
        clock = group.clock or (EDITION_TIMES[group.edition] if group.edition else (0, 0))
        if group.year is not None and group.month is not None and group.day is not None:
            when = _at(_make_date(group.year, group.month, group.day, stripped), clock)
        elif group.month is not None and group.day is not None:
            when = _at(_infer_year(group.month, group.day, anchor, stripped), clock)
        elif group.day is not None:
            when = _at(_infer_month(group.day, anchor, stripped), clock)
        elif group.rel is not None:
            when = _at(anchor + timedelta(days=group.rel), clock)
        else:  # weekday, time or edition alone
            when = _first_at_or_after(reference, clock, group.weekday)
        if group.has_head:
            anchor = when.date() if group.clock != (24, 0) else (when - timedelta(days=1)).date()
        if group.role == "dist" and not group.edition:  # papers are never a distribution date
            continue
        if group.edition:
            editions.append((when, f"{_edition_day(when, group).isoformat()} {group.edition}"))
        if group.clock is not None:
            explicit.append(when)
        elif not group.edition:
            plain.append(when)

    print_edition = max(editions)[1] if editions else None
    candidates = explicit + plain if explicit else [when for when, _ in editions] + plain
    if candidates:
        return Embargo(at=max(candidates), phrase=stripped, immediate=False, print_edition=print_edition)
    if immediate:
        return Embargo(at=None, phrase=stripped, immediate=True, print_edition=None)
    if groups:  # only a distribution date: nothing holds the release back
        return Embargo(at=None, phrase=stripped, immediate=False, print_edition=None)
    if embargo_word:
        raise _fail(stripped, "엠바고 시각이 없음", "an embargo without a date or time")
    if any(ch.isdigit() for ch in text) or not re.search(r"보도|배포", text):
        raise _fail(stripped, "날짜나 시각이 없음", "no date or time found")
    return Embargo(at=None, phrase=stripped, immediate=False, print_edition=None)  # a bare "보도시점:" label


def _edition_day(when: datetime, group: _Group) -> date:
    """The paper's date: the day of the reading, not the day an explicit late time rolls into."""
    if group.clock == (24, 0):
        return (when - timedelta(days=1)).date()
    return when.date()


def publish_at(approved: datetime, embargo_at: datetime | None) -> datetime:
    """When the public may see a release: never before approval, never before its embargo."""
    approved = _as_kst(approved)
    if embargo_at is None:
        return approved
    return max(approved, _as_kst(embargo_at))


_NEWSITEM_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def parse_korea_time(value: str) -> datetime:
    """NewsItem times ("MM/DD/YYYY HH24:MI:SS", "…HH24:MI") or ISO 8601 → aware Korea time.

    Naive input is Korea time (that is what korea.kr sends); an explicit offset is converted.
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value).translate(_INVISIBLE)).strip()
    if not text:
        raise ValueError("시각 값이 비어 있습니다 — empty time value")
    for fmt in _NEWSITEM_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=KST)
        except ValueError:
            continue
    try:
        return _as_kst(datetime.fromisoformat(text))
    except ValueError:
        pass
    raise ValueError(
        f"시각을 해석할 수 없습니다: {value!r} — cannot read time "
        "(expected MM/DD/YYYY HH24:MI:SS, MM/DD/YYYY HH24:MI or ISO 8601)"
    )
