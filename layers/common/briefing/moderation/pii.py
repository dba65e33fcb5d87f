"""R1 personal information: e-mail, phones, registration numbers, cards, accounts, passports, licences.

Decisions (docs/moderation.md):
* Mobile (010/011/016-019), 070 and 050x numbers are always personal.  A landline or a 15xx/16xx/18xx
  number right after words that name a public office or a contact role (담당, 과장, 주무관, 고객센터,
  …부/청/센터) is the published number of an office, as in every press release, and is not flagged.
* Registration numbers must carry a valid date; the checksum only raises the score, because numbers
  issued since October 2020 have no checksum.
* Dates, money, statute numbers (제17조, 법률 제12345호) and bus numbers do not have phone shapes and
  are not matched; digits are never joined across letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from briefing.moderation.fastre import LazyRegex
from briefing.moderation.findings import Finding
from briefing.moderation.normalize import Normalized

# The patterns past the first test of find_pii (a digit, an at sign, a spelt-out number) are compiled
# when the first comment that reaches them arrives (fastre.LazyRegex): most comments never do, and
# compiling them all at import was ~17 ms of the moderator's cold start.
HANGUL_DIGITS = {"공": "0", "영": "0", "빵": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5"}
HANGUL_DIGITS |= {"육": "6", "륙": "6", "칠": "7", "팔": "8", "구": "9"}
_NUMERAL = "0-9공영빵일이삼사오육륙칠팔구"
# A run of at least nine digit-like characters that contains at least one Hangul numeral.
# What may stand between the digits of a number spelt out: spaces, dashes, dots, and the particle 에 after
# a group ("공일공에 이삼사오 육칠팔구"; digit_view reads it as a space, as the length must stay).
_GROUP_GAP = r"(?:[\s\-.·]|에(?=\s)){0,2}"
_NUMERAL_RUN = re.compile(rf"[{_NUMERAL}](?:{_GROUP_GAP}[{_NUMERAL}]){{8,}}")
# Native numerals are words (하나, 다섯), not one character a digit, so a mobile number spelt with them
# ("공일공 하나둘셋넷 다섯여섯일곱여덟") gets a scan of its own, read token by token.
_NATIVE_DIGITS = {"하나": "1", "둘": "2", "셋": "3", "넷": "4", "다섯": "5", "여섯": "6", "일곱": "7"}
_NATIVE_DIGITS |= {"여덟": "8", "여덜": "8", "아홉": "9"}
_NATIVE_WORD = re.compile("|".join(_NATIVE_DIGITS))
_NUMBER_TOKEN = LazyRegex(rf"{'|'.join(_NATIVE_DIGITS)}|[{_NUMERAL}]")
_NUMBER_TOKEN_RUN = LazyRegex(
    rf"(?:{_NUMBER_TOKEN.pattern})(?:{_GROUP_GAP}(?:{_NUMBER_TOKEN.pattern})){{9,}}"
)
_SPELT_MOBILE = LazyRegex(r"01[016789]\d{7,8}")
# digits spaced out anyhow ("010 12 34 56 78", "010 1234 5 6 7 8"): read as one number
_SPACED_DIGITS = LazyRegex(r"(?<![\d\w])\d(?:[\s\-.·]{0,2}\d){9,10}(?![\d\w])")

SEP = r"[\s\-.·・•‧)(/~ㅡ—–_]{0,3}"  # the base view has already made a typed ㆍ a middle dot (·)
MOBILE = LazyRegex(
    rf"(?<![\d\w])(?:\+?\s?82{SEP}\(?0?\)?\s?1[016789]|01[016789]){SEP}\d{{3,4}}{SEP}\d{{4}}(?!\d)"
)
LANDLINE = LazyRegex(
    rf"(?<![\d\w])(?:(?:\+?\s?82{SEP}\(?0?\)?\s?)(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8]|80)"
    rf"|0(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8]|80)){SEP}\d{{3,4}}{SEP}\d{{4}}(?!\d)"
)
BUSINESS = LazyRegex(rf"(?<![\d\w])1[568]\d{{2}}{SEP}\d{{4}}(?!\d)")
RRN = LazyRegex(r"(?<![\d\w])(\d{2})(\d{2})(\d{2})\s?[-–—~]?\s?([1-8])\s?(\d{6})(?!\d)")
RRN_PARTIAL = LazyRegex(r"(?<![\d\w])(\d{2})(\d{2})(\d{2})\s?[-–—]\s?([1-8])[*＊xX●○]{6}")
CARD = LazyRegex(r"(?<![\d\w])(?:\d{4}[\s\-.]?){3}\d{4}(?!\d)|(?<![\d\w])\d{4}[\s\-]?\d{6}[\s\-]?\d{5}(?!\d)")
ACCOUNT = LazyRegex(r"(?<![\d\w])\d{2,6}(?:[\s\-]\d{2,7}){1,4}(?!\d)|(?<![\d\w])\d{10,14}(?!\d)")
PASSPORT = LazyRegex(r"(?<![A-Za-z0-9])[MSRODmsrod]\d{3}[A-Za-z]?\d{4,5}(?![A-Za-z0-9])")
LICENCE = LazyRegex(
    r"(?<![\d\w])(?:1[1-9]|2[0-8]|서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산)\s?-?\s?\d{2}\s?-\s?\d{6}\s?-\s?\d{2}(?!\d)"
)
EMAIL = LazyRegex(
    r"(?<![\w.])[A-Za-z0-9._%+\-]{2,64}\s?[@＠]\s?[A-Za-z0-9\-]+(?:\s?\.\s?[A-Za-z0-9\-]+)*\s?\.\s?[A-Za-z]{2,}"
)
EMAIL_OBFUSCATED = LazyRegex(
    r"(?<![\w.])[A-Za-z0-9._\-]{3,40}\s*(?:\(at\)|\[at\]|[(\[]?골뱅이[)\]]?|\sat\s|@)\s*"
    r"(?:gmail|naver|daum|hanmail|nate|kakao|hotmail|outlook|yahoo|icloud|네이버|다음|한메일|지메일|네이트)"
    r"(?:\s*(?:\.|\(dot\)|\[dot\]|닷|점|\sdot\s)\s*(?:com|net|kr|co\.kr|컴|넷))?",
    re.IGNORECASE,
)
# The numbers everyone writes as an example (010-1234-5678, 010-1111-1111) are one when the words next to
# them say so ("010-1234-5678 같은 형식", "예: 010-1234-5678"); without such words they are numbers (someone
# may own one, and evasions spell them too).
EXAMPLE_SUBSCRIBER = LazyRegex(r"(?:1234(?:5678|1234)|(\d)\1{7})$")
EXAMPLE_AFTER = LazyRegex(r"\s?(?:같은|처럼|형식|형태|식으로|등의|과\s?같|와\s?같|이런\s?식)")
EXAMPLE_BEFORE = LazyRegex(r"(?:예|예시|예를\s?들어|예컨대|가령|ex|e\.g)\s?[:.)]?\s?$", re.IGNORECASE)
RRN_SPLIT = LazyRegex(r"(?<![\d\w])(\d{2})(\d{2})(\d{2})(?!\d)[^\d]{1,10}?(?<!\d)([1-8])(\d{6})(?!\d)")
JIBUN_ADDRESS = LazyRegex(
    r"[가-힣]{1,6}(?:시|군|구)\s+[가-힣\d]{1,8}(?:동|리|가)\s?\d{1,4}(?:-\d{1,4})?(?:\s?번지)?(?![\d가-힣])"
)
ADDRESS_UNIT = LazyRegex(r"(?<![\d])\d{1,4}\s?동\s?\d{2,4}\s?호(?![\d가-힣])")
ROAD_ADDRESS = LazyRegex(
    r"[가-힣]{1,6}(?:시|군|구)\s+[가-힣\d]{1,8}(?<!으)(?:로|길)\s?\d{1,4}(?:번길\s?\d{1,4})?(?:-\d{1,4})?(?![\d가-힣])"
)

OFFICE_CONTEXT = LazyRegex(
    r"담당|부서|과장|국장|팀장|사무관|주무관|연구관|연구사|책임자|대변인실|☎|☏|(?i:tel|fax)|팩스|고객센터|콜센터|상담센터|민원실|"
    r"대표번호|대표전화|안내전화|누리집|홈페이지|문의처|문의\s?:|경장|경사|경위|경감|경정|서기관|"
    # an office by the suffix of its name (외교부, 국세청, 구청, 우체국, 주민센터, 연금정책과) …
    r"[가-힣](?:부|청|처|원|센터|공단|공사|협회|연구소|재단|위원회|조합|학교|실|과|팀|국|관|단)(?![가-힣])|"
    # … or by a name whose suffix is also an everyday ending (-서, -소: 에서, 장소), alone or not
    r"(?:보건소|경찰서|소방서|세무서|등기소)(?![가-힣])"
)  # case folded only for "tel"/"fax": folding the whole pattern makes its Hangul class 4x dearer to compile
# An office named right after the number: "02-2100-2114 국방부 대표번호 맞나요", "(국세청 콜센터)".
OFFICE_AFTER = LazyRegex(
    r"^\s?[(\[]?\s?(?:[가-힣]{1,12}(?:부|청|처|원|센터|공단|공사|위원회|시청|구청|군청|도청|경찰서|소방서|보건소)\s?)?"
    r"(?:대표\s?(?:번호|전화)|민원실|콜센터|고객센터|상담센터|안내\s?전화|팩스)"
)
# A corporation's registration number (법인등록번호) has the shape of a resident's and is public.
CORPORATE_NUMBER = LazyRegex(r"법인\s?(?:등록\s?)?번호")
OFFICE_ROLE = LazyRegex(
    r"담당|과장|국장|팀장|사무관|주무관|연구관|책임자|경장|경사|경위|경감|경정|서기관|대변인"
)
# "집" as the word home (집, 우리집, 저희 집은, 집주소), never inside 집회, 모집, 편집, 집행: a rally at the
# government complex is not a home.  "우리"/"저희" alone are not personal ("우리 동네", "저희 부서" is how
# civil servants speak); with a relative or a home they are.
HOME = (
    r"(?:(?<![가-힣])|(?<=우리)|(?<=저희)|(?<=[제내옆니네]))집"
    r"(?:은|이|에|으로|주소|앞|근처|까지|도|에서|이에요|입니다|이고)?(?![가-힣])"
)
PERSONAL_PEOPLE = r"(?<![가-힣])(?:우리|저희|제|내)\s?(?:집|엄마|아빠|어머니|아버지|남편|아내|와이프|애|아이|딸|아들|가족|동생|형|누나|언니|오빠)"
PERSONAL_CONTEXT = LazyRegex(
    rf"개인|{HOME}|{PERSONAL_PEOPLE}|핸드폰|휴대폰|폰번|폰\s?번호|제\s?번호|내\s?번호|[제내]\s?(?:이\s?)?메일|연락\s?주세요|문자"
)
BANK_CONTEXT = LazyRegex(
    r"은행|계좌|통장|입금|송금|이체|예금주|농협|신한|카카오뱅크|카뱅|케이뱅크|토스|새마을금고|신협|수협|sc제일|씨티|acc",
    re.IGNORECASE,
)
# Banks whose names are everyday words (국민 여러분, 우리 동네, 확인하나요, 기업 지원, 부산 시민, 우체국 택배)
# name a bank only right beside the number: "국민 123456-01-234567", "123-456789-01 (우리)".
_EVERYDAY_BANKS = "국민|우리|하나|기업|새마을|우체국|부산|대구|광주|경남"
BANK_NAME_BEFORE = LazyRegex(rf"(?<![가-힣])(?:{_EVERYDAY_BANKS})\s?[:：(]?\s?$")
BANK_NAME_AFTER = LazyRegex(rf"^\s?[(\[]?\s?(?:{_EVERYDAY_BANKS})(?![가-힣])")
RRN_CONTEXT = LazyRegex(r"주민|등록번호|주민번호|외국인|생년월일")
PASSPORT_CONTEXT = LazyRegex(r"여권|passport", re.IGNORECASE)
CARD_CONTEXT = LazyRegex(r"카드|card|신용|체크|유효기간|cvc", re.IGNORECASE)
# someone's home: where they live, or going there ("찾아가서"); not a public place in "우리 동네"
PERSONAL_ADDRESS_CONTEXT = LazyRegex(
    rf"{HOME}|{PERSONAL_PEOPLE}|사는|살아|거주|주소|아파트|빌라|자택|찾아(?:가|갈|간|와|올|온)|옆집|이웃"
)

_AT_WORDS = re.compile(r"\(at\)|\[at\]|골뱅이|\sat\s", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_TWO_DIGITS = re.compile(r"\d\d")
# everything find_pii looks for needs a digit, an at sign or an at word (_AT_WORDS); a bare class scans
# much faster than the case-insensitive alternation, and every at word holds a t or 골뱅이
_DIGIT_OR_AT = re.compile(r"[\d@＠]")
MAX_MATCHES = 50


def _scan(regex: LazyRegex, text: str) -> Iterator[re.Match[str]]:
    """The first matches only: a wall of 5,000 phone numbers needs no more evidence than 50."""
    return islice(regex.finditer(text), MAX_MATCHES)


_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def office_number_context(text: str, start: int, end: int | None = None) -> bool:
    """Whether a number at ``start`` follows the name of a public office or a contact role (or, when
    its ``end`` is given, is followed by an office's 대표번호, 민원실, 콜센터 …), with no personal word
    around it: the published number of an office, as in every press release."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 20] if end is not None else ""
    office = OFFICE_CONTEXT.search(before) is not None or (
        after != "" and OFFICE_AFTER.search(after) is not None
    )
    return office and PERSONAL_CONTEXT.search(before + " " + after) is None


GOVERNMENT_MAIL = LazyRegex(r"[@＠]\s?(?:korea\.kr|(?:[a-z0-9\-]+\.)*go\.kr)$", re.IGNORECASE)


def office_mailbox(text: str, start: int, address: str) -> bool:
    """A government mailbox (@korea.kr, @….go.kr) with no personal word before it: the address an
    office publishes in every press release, like its desk number."""
    window = text[max(0, start - 30) : start]
    return (
        GOVERNMENT_MAIL.search(address.replace(" ", "")) is not None
        and PERSONAL_CONTEXT.search(window) is None
    )


def byline_mailbox(text: str, address: str) -> bool:
    """A news outlet's address in a copied article that carries its furniture (기자 =, ⓒ, 무단 전재 …):
    the reporter's byline, published with the article. R7 holds the copy; it is not R1 as well."""
    from briefing.moderation.detectors import COPY_MARKERS, NEWS_HOST  # they import this module

    domain = address.replace(" ", "").rsplit("@", 1)[-1].rsplit("＠", 1)[-1].lower()
    return NEWS_HOST.search(domain) is not None and COPY_MARKERS.search(text) is not None


_LETTER_DIGIT_RUN = LazyRegex(r"[0-9OoIl|ㅇ](?:[\s\-.·ㅡ]{0,2}[0-9OoIl|ㅇ]){8,}")
_LETTER_DIGIT = re.compile(r"[OoIl|ㅇ]")
_HANGUL_DIGIT = re.compile(r"[공영빵일이삼사오육륙칠팔구]")
_LETTER_DIGITS = str.maketrans({"O": "0", "o": "0", "ㅇ": "0", "I": "1", "l": "1", "|": "1"})


def digit_view(text: str) -> str:
    """The base text with Hangul numerals read as digits, only inside long numeral runs (공일공…), and
    letters that stand for digits (O1O-1234-5678) only inside runs that are mostly digits."""
    if _LETTER_DIGIT.search(text) and _DIGIT.search(text):  # a run needs >= 7 real digits

        def letters(match: re.Match[str]) -> str:
            run = match.group(0)
            if sum(ch.isdigit() for ch in run) >= 7:
                return run.translate(_LETTER_DIGITS)
            return run

        text = _LETTER_DIGIT_RUN.sub(letters, text)

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        if not any(ch in HANGUL_DIGITS for ch in run):
            return run
        if sum(ch in HANGUL_DIGITS or ch.isdigit() for ch in run) < 9:
            return run
        return "".join(HANGUL_DIGITS.get(ch, ch) for ch in run).replace("에", " ")

    if not _HANGUL_DIGIT.search(text):
        return text
    return _NUMERAL_RUN.sub(convert, text)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def rrn_checksum_ok(number: str) -> bool:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(number[:12], weights, strict=True))
    return (11 - total % 11) % 10 == int(number[12])


def rrn_date_ok(month: str, day: str) -> bool:
    m, d = int(month), int(day)
    return 1 <= m <= 12 and 1 <= d <= _DAYS[m - 1]


def mask(kind: str, text: str) -> str:
    """The evidence as shown and stored: enough to see what kind of item it was, never the item."""
    if kind == "email":
        at = max(text.find("@"), text.find("＠"))
        if at > 0:
            return text[: min(2, at)] + "*" * max(1, at - 2) + text[at:]
        return text[:2] + "*" * max(1, len(text) - 2)
    phone = kind == "phone" or kind == "business_phone"
    # every letter of a phone number's span stands for a digit (O1O, 하나둘셋); elsewhere only digits do
    digit_positions = [
        i for i, ch in enumerate(text) if ch.isalnum() if phone or ch.isdigit() or ch in HANGUL_DIGITS
    ]
    keep: set[int] = set()
    if phone:
        groups = re.split(r"[\s\-.·ㆍ・•‧)(/~ㅡ—–_]+", text.strip())
        if len(groups) >= 3 and len(groups[-2]) >= 3:
            # 010-****-5678: the middle group masked, the last four kept (a number spaced out in
            # small groups, "010 12 34 56 78", keeps only its first three and last four digits below)
            middle_start = text.find(groups[-2], len(groups[0]))
            out = list(text)
            for i in range(middle_start, middle_start + len(groups[-2])):
                out[i] = "*"
            return "".join(out)
        keep = set(digit_positions[:3] + digit_positions[-4:])
    elif kind in ("card", "account"):
        keep = set(digit_positions[-4:])
    out = [("*" if (i in digit_positions and i not in keep) else ch) for i, ch in enumerate(text)]
    if kind in ("passport", "licence"):
        out = [ch if i == 0 or not ch.isalnum() else "*" for i, ch in enumerate(text)]
    if kind == "address":
        out = [("*" if ch.isdigit() else ch) for ch in text]
    return "".join(out)


def find_pii(norm: Normalized, accuses: bool = False, article: str | None = None) -> list[Finding]:
    """R1 findings (and R6 for 15xx/16xx/18xx business numbers without an office around them).

    ``accuses``: the comment accuses a named person (R2). A mobile number after that person's office
    is then posted to expose them, not to publish a desk number, and is personal again.
    ``article``: the text the comment is posted under, when known. Releases name their contacts, some
    with a mobile number ("경장 최승봉(010-…)"); an official's mobile that the article does not publish
    is held for review."""
    base = norm.base
    seen = base.text
    if (
        not _DIGIT_OR_AT.search(seen)
        and not (("t" in seen or "T" in seen or "골뱅이" in seen) and _AT_WORDS.search(seen))
        and not _NUMERAL_RUN.search(seen)
        and not _NATIVE_WORD.search(seen)
    ):
        return []  # no digit, no @, no spelt-out number: nothing personal to find (most comments)
    text = digit_view(base.text)
    original = norm.original
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(a: int, b: int, rule: int, kind: str, score: float) -> None:
        oa, ob = base.original_span(a, b)
        taken.append((a, b))
        found.append(Finding(rule, oa, ob, original[oa:ob], f"pii.{kind}", score))

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def office_around(a: int, b: int | None = None) -> bool:
        return office_number_context(text, a, b)

    if "@" in text or "＠" in text or _AT_WORDS.search(text):
        for m in _scan(EMAIL, text):
            if not accuses and (
                office_mailbox(text, m.start(), m.group(0)) or byline_mailbox(text, m.group(0))
            ):
                taken.append((m.start(), m.end()))  # not personal, and not a link either
                continue
            add(m.start(), m.end(), 1, "email", 0.98)
        for m in _scan(EMAIL_OBFUSCATED, text):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), 1, "email", 0.9)
    if _NATIVE_WORD.search(text):
        _find_spelt_mobiles(text, add, free)
    if not _DIGIT.search(text):
        return found
    if _TWO_DIGITS.search(text) or _SPACED_DIGITS.search(text):  # "0 1 0 2 3 4 …" has no two in a row
        _find_numbers(text, add, free, office_around, taken, accuses, article)
    _find_addresses(text, add, free, office_around)
    return found


def _find_spelt_mobiles(text: str, add: Any, free: Any) -> None:
    """Mobile numbers spelt with native numerals, mixed with Sino-Korean ones or digits as people do."""
    for run in _scan(_NUMBER_TOKEN_RUN, text):
        if not _NATIVE_WORD.search(run.group(0)):
            continue  # digits and 공일공… alone are read by digit_view and the number scans
        tokens = list(_NUMBER_TOKEN.regex.finditer(text, run.start(), run.end()))
        digits = "".join(
            _NATIVE_DIGITS.get(t.group(0)) or HANGUL_DIGITS.get(t.group(0), t.group(0)) for t in tokens
        )
        number = _SPELT_MOBILE.search(digits)
        if number is None:
            continue
        a, b = tokens[number.start()].start(), tokens[number.end() - 1].end()
        if free(a, b):
            add(a, b, 1, "phone", 0.95)


def _find_numbers(
    text: str,
    add: Any,
    free: Any,
    office_around: Any,
    taken: list[tuple[int, int]],
    accuses: bool,
    article: str | None = None,
) -> None:
    """Registration, card, phone, licence, account, business, passport numbers and address units:
    each needs two digits in a row or ten spaced out (so "1등", "2번" skip all of them)."""
    for m in _scan(RRN, text):
        yy, mm, dd, sex, rest = m.groups()
        if not rrn_date_ok(mm, dd):
            continue
        # the words may come after the number too: "9001011234567 이게 제 주민번호에요"
        around = text[max(0, m.start() - 20) : m.start()] + " " + text[m.end() : m.end() + 15]
        if CORPORATE_NUMBER.search(around):
            taken.append((m.start(), m.end()))  # public, and not an account either
            continue
        number = yy + mm + dd + sex + rest
        separated = not m.group(0).isdigit()
        checksum = rrn_checksum_ok(number)
        context = RRN_CONTEXT.search(around) is not None
        if separated or checksum or context:
            add(m.start(), m.end(), 1, "rrn", 0.99 if checksum or context else 0.95)
    for m in _scan(RRN_SPLIT, text):
        before = text[max(0, m.start() - 20) : m.start()]
        context = RRN_CONTEXT.search(before) is not None and CORPORATE_NUMBER.search(before) is None
        if context and free(m.start(), m.end()) and rrn_date_ok(m.group(2), m.group(3)):
            add(m.start(), m.end(), 1, "rrn", 0.95)
    for m in _scan(RRN_PARTIAL, text):
        if rrn_date_ok(m.group(2), m.group(3)) and free(m.start(), m.end()):
            add(m.start(), m.end(), 1, "rrn", 0.75)
    for m in _scan(CARD, text):
        if not free(m.start(), m.end()):
            continue
        digits = _digits(m.group(0))
        if luhn_ok(digits):
            add(m.start(), m.end(), 1, "card", 0.97)
        elif CARD_CONTEXT.search(text[max(0, m.start() - 20) : m.start()]):
            add(m.start(), m.end(), 1, "card", 0.9)
    for m in _scan(MOBILE, text):
        digits = _digits(m.group(0))
        if set(digits[-8:-4] if len(digits) >= 11 else digits[-7:-4]) == {"0"}:
            taken.append((m.start(), m.end()))  # 010-0000-…: no number has a middle group of zeros
            continue
        if EXAMPLE_SUBSCRIBER.search(digits) and (
            EXAMPLE_AFTER.regex.match(text, m.end())
            or EXAMPLE_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
        ):
            taken.append((m.start(), m.end()))
            continue
        role = not accuses and OFFICE_ROLE.search(text[max(0, m.start() - 30) : m.start()]) is not None
        if free(m.start(), m.end()) and not (role and office_around(m.start())):
            add(m.start(), m.end(), 1, "phone", 0.98)
        elif free(m.start(), m.end()) and article is not None and digits not in _digits(article):
            add(m.start(), m.end(), 1, "phone", 0.75)  # an official's, but not the one the article gives
        elif free(m.start(), m.end()):
            taken.append((m.start(), m.end()))  # an office's: no later scan may read it again
    for m in _scan(_SPACED_DIGITS, text):  # after MOBILE, which reads the usual groupings
        if free(m.start(), m.end()) and _SPELT_MOBILE.regex.fullmatch(_digits(m.group(0))):
            add(m.start(), m.end(), 1, "phone", 0.95)
    for m in _scan(LANDLINE, text):
        if free(m.start(), m.end()) and not office_around(m.start(), m.end()):
            add(m.start(), m.end(), 1, "phone", 0.95)
        elif free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
    for m in _scan(LICENCE, text):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), 1, "licence", 0.95)
    for m in _scan(ACCOUNT, text):
        if not free(m.start(), m.end()):
            continue
        digits = _digits(m.group(0))
        if not 10 <= len(digits) <= 16:
            continue
        before, after = text[max(0, m.start() - 25) : m.start()], text[m.end() : m.end() + 12]
        if (
            BANK_CONTEXT.search(before + " " + after)
            or BANK_NAME_BEFORE.search(before)
            or BANK_NAME_AFTER.search(after)
        ):
            add(m.start(), m.end(), 1, "account", 0.95)
    for m in _scan(BUSINESS, text):
        if free(m.start(), m.end()) and not office_around(m.start(), m.end()):
            add(m.start(), m.end(), 6, "business_phone", 0.7)
        elif free(m.start(), m.end()):
            taken.append((m.start(), m.end()))
    for m in _scan(PASSPORT, text):
        if not free(m.start(), m.end()):
            continue
        context = PASSPORT_CONTEXT.search(text[max(0, m.start() - 20) : m.start()]) is not None
        add(m.start(), m.end(), 1, "passport", 0.95 if context else 0.7)
    for m in _scan(ADDRESS_UNIT, text):
        start = m.start()
        road = None
        for r in ROAD_ADDRESS.finditer(text[max(0, start - 40) : start]):
            road = r
        if road is not None:
            start = max(0, start - 40) + road.start()
        window = text[max(0, start - 30) : start]
        score = 0.95 if road is not None or PERSONAL_ADDRESS_CONTEXT.search(window) else 0.75
        add(start, m.end(), 1, "address", score)


def _find_addresses(text: str, add: Any, free: Any, office_around: Any) -> None:
    """Lot-number and road addresses with personal context (one digit is enough)."""
    for m in _scan(JIBUN_ADDRESS, text):
        if not free(m.start(), m.end()):
            continue
        window = text[max(0, m.start() - 20) : m.start()] + " " + text[m.end() : m.end() + 12]
        if PERSONAL_ADDRESS_CONTEXT.search(window) and not office_around(m.start()):
            add(m.start(), m.end(), 1, "address", 0.9)
    for m in _scan(ROAD_ADDRESS, text):
        if not free(m.start(), m.end()):
            continue
        window = text[max(0, m.start() - 30) : m.start()] + " " + text[m.end() : m.end() + 12]
        if PERSONAL_ADDRESS_CONTEXT.search(window) and not office_around(m.start()):
            add(m.start(), m.end(), 1, "address", 0.9)
