"""R1: the forms people type personal information in, and the numbers that only look like it."""

from __future__ import annotations

import pytest

from briefing.moderation import CommentInput, moderate
from briefing.moderation.normalize import normalize
from briefing.moderation.pii import find_pii, luhn_ok, mask, rrn_checksum_ok


def kinds(text: str) -> list[str]:
    return [f.detector.split(".", 1)[1] for f in find_pii(normalize(text)) if f.rule == 1]


@pytest.mark.parametrize(
    "text",
    [
        "제 번호 010-1234-5678 입니다",
        "010 1234 5678로 연락주세요",
        "010.1234.5678",
        "01012345678",
        "０１０－１２３４－５６７８",
        "공일공 일이삼사 오육칠팔 으로 문자 주세요",
        "010-일이삼사-5678",
        "+82 10-1234-5678",
        "+82-10-1234-5678",
        "(010)1234-5678",
        "010-\u200b1234-5678",
        "우리 집 전화 02-123-4567 이에요",
        "031 1234 5678",
        "070-1234-5678",
    ],
)
def test_phone_numbers_in_the_forms_people_type(text: str) -> None:
    assert "phone" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "메일 hong123@naver.com 로 주세요",
        "hong123＠gmail.com",
        "hong123 @ gmail . com",
        "minsu(at)naver.com",
        "abc12 골뱅이 daum.net",
    ],
)
def test_email_addresses(text: str) -> None:
    assert "email" in kinds(text)


def test_resident_registration_number_needs_a_valid_date_and_checksum_only_raises_confidence() -> None:
    body = "900101" + "1" + "23456"
    check = (
        11 - sum(int(d) * w for d, w in zip(body, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True)) % 11
    ) % 10
    valid = f"{body[:6]}-{body[6:]}{check}"
    wrong_check = f"{body[:6]}-{body[6:]}{(check + 1) % 10}"  # post-2020 numbers have no checksum
    assert rrn_checksum_ok(valid.replace("-", ""))
    scores = {
        t: [f.score for f in find_pii(normalize(t)) if f.detector == "pii.rrn"] for t in (valid, wrong_check)
    }
    assert scores[valid] and scores[wrong_check]
    assert scores[valid][0] > scores[wrong_check][0]
    assert kinds("901301-1234567") == []  # month 13 is no date


def test_card_numbers_need_luhn_or_card_words() -> None:
    assert luhn_ok("4111111111111111")
    assert "card" in kinds("4111-1111-1111-1111 로 결제")
    assert "card" not in kinds("4111-1111-1111-1112 주문번호")
    assert "card" in kinds("신용카드 4111-1111-1111-1112")


def test_bank_accounts_only_near_bank_words() -> None:
    assert "account" in kinds("국민은행 123-45-678901 예금주 홍길동")
    assert "account" in kinds("계좌 110-123-456789 로 보내주세요")
    assert "account" not in kinds("접수번호 110-123-456789 확인했습니다")


@pytest.mark.parametrize(
    "text",
    [
        "국민 123456-01-234567 홍길동",
        "우리 1002-123-456789 으로 보내요",
        "123-456789-01-234 (기업)",
        "하나: 123-456789-12345",
    ],
)
def test_a_bank_named_by_a_word_of_everyday_speech_is_a_bank_beside_the_number(text: str) -> None:
    assert "account" in kinds(text)


@pytest.mark.parametrize(
    "text",
    ["사업자번호 123-45-67890 은 어디서 확인하나요", "국민 여러분 민원 접수번호 1234567890 으로 조회됩니다",
     "우리 동네 우편물 등기번호 1234567890123 조회 안돼요", "우체국 택배 송장번호 6012-3456-7890 배송이 늦네요",
     "부산 시민입니다 민원번호 2026-1203-0001 처리 부탁드려요"],
)  # fmt: skip
def test_numbers_beside_everyday_words_that_also_name_banks_are_not_accounts(text: str) -> None:
    assert "account" not in kinds(text)


def test_passport_licence_and_home_address() -> None:
    assert "passport" in kinds("여권번호 M12345678 입니다")
    assert "licence" in kinds("운전면허 11-12-123456-12")
    assert "address" in kinds("우리집 주소 서울시 강남구 테헤란로 123 101동 202호")


@pytest.mark.parametrize(
    "text",
    ["저희 집은 대구시 수성구 범어동 123-4 입니다", "걔 대구시 수성구 범어동 123-4 에 살아요",
     "우리 엄마 가게가 부산시 해운대구 우동 123 이에요", "집주소 서울시 강남구 테헤란로 123",
     "서울시 강남구 테헤란로 123 찾아가서 따지자"],
)  # fmt: skip
def test_an_address_is_personal_when_someone_lives_there(text: str) -> None:
    assert "address" in kinds(text)


@pytest.mark.parametrize(
    "text",
    ["세종시 한누리대로 2130 정부세종청사 앞 집회 소식", "우리 동네 서울시 강남구 테헤란로 123 에 도서관이 생긴대요",
     "찾아보니 서울시 중구 세종대로 110 에 있네요", "대전시 서구 청사로 189 모집 공고 봤어요"],
)  # fmt: skip
def test_a_public_place_is_not_a_home_address(text: str) -> None:
    assert "address" not in kinds(text)


def test_we_of_an_office_is_not_personal_but_our_home_is() -> None:
    assert "phone" not in kinds("우리 구청 민원실 02-2100-1234 친절해요")
    assert "phone" not in kinds("집회 신고는 종로경찰서 민원실 02-2100-1234")
    assert "phone" in kinds("민원실 말고 우리 아빠 번호 02-2100-1234")
    assert "phone" not in kinds("국내 가족센터 상담실 02-2100-1234")  # 국내 is not 내 (my)


def test_an_office_named_after_its_number_or_a_fax_is_an_office() -> None:
    assert kinds("02-2100-2114 국방부 대표번호 맞나요") == []
    assert kinds("044-215-5099 (기획재정부 민원실) 로 문의") == []
    assert kinds("팩스 044-215-5099 로 서류 보냈습니다") == []
    assert "phone" in kinds("02-2100-2114 우리 집 번호예요 국방부 대표번호 아님")
    assert "phone" in kinds("02-2100-2114 로 연락 주세요")


def test_corporate_numbers_and_placeholder_mobiles_are_not_personal() -> None:
    assert kinds("법인등록번호 110111-1234567 은 공개 정보 아닌가요") == []
    assert kinds("110111-1234567 은 저희 회사 법인등록번호입니다") == []
    assert "rrn" in kinds("9001011234567 이게 제 주민번호에요")  # the words after the number
    assert "rrn" in kinds("주민등록번호 110111-1234567 유출됐어요")
    assert kinds("010-0000-0000 같은 가짜 번호로 가입하는 사람들 막아주세요") == []
    assert "phone" in kinds("010-2000-0000 으로 연락")


def test_the_usual_example_number_is_an_example_only_when_the_words_say_so() -> None:
    for text in (
        "010-1234-5678 같은 형식으로 입력하라는데 하이픈 넣어야 하나요",
        "전화번호 칸에 예: 010-1234-5678 이렇게 써 있어요",
        "010-1111-1111 처럼 가짜 번호 넣으면 인증이 안 되나요",
    ):
        assert moderate(CommentInput("ex", text)).action == "publish", text
    # someone may own it: without the words it is a number
    assert moderate(CommentInput("ex", "제 번호 010-1234-5678 로 연락 주세요")).action == "reject"
    # any other number beside the same words is still a number
    assert moderate(CommentInput("ex", "010-9876-5432 같은 번호로 연락 주세요")).action == "reject"


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-15 부터 시행",
        "지원금 1,234,567원",
        "법률 제12345호 개정",
        "제17조 제2항",
        "7016번 버스",
        "오후 3시 18분",
        "주민등록번호 제도 개선 의견 드립니다",
        "2020~2024년 통계",
        "ISBN 978-89-1234-567-1",
        "인구 51,234,000명",
    ],
)
def test_hard_negatives_are_not_personal_information(text: str) -> None:
    assert kinds(text) == []


def test_published_office_numbers_are_not_personal_but_private_ones_are() -> None:
    assert kinds("담당 부서: 국토교통부 건설정책국 / 책임자 과장 이익진 / (044-201-3504)") == []
    assert kinds("문의: 보건복지부 연금정책과 044-202-1234") == []
    assert "phone" in kinds("담당 공무원 개인 번호가 010-1234-5678 이래요")


def test_an_officials_mobile_is_held_unless_the_article_publishes_it() -> None:
    comment = normalize("담당자 김철수 주무관 010-2345-6789 로 연락해보세요")
    release = "보도자료 … 담당자: 기획재정부 정책조정국 김철수 주무관(044-215-2345, 010-2345-6789)"
    other = "보도자료 … 담당자: 기획재정부 정책조정국 김철수 주무관(044-215-2345)"
    assert find_pii(comment, article=release) == []
    held = find_pii(comment, article=other)
    assert [(f.rule, f.detector, f.text) for f in held] == [(1, "pii.phone", "010-2345-6789")]
    assert held[0].score < 0.9  # review, not reject: it may be a number the office gave out elsewhere
    assert find_pii(comment) == []  # no article: as a release would print it


def test_government_mailboxes_are_published_addresses_unless_made_personal() -> None:
    assert kinds("문의는 help@korea.kr 로 하시면 됩니다") == []
    assert kinds("담당자 메일 kim123@mofa.go.kr 입니다") == []
    assert kinds("제 메일 kim123@korea.kr 로 주세요") == ["email"]
    assert kinds("메일 kim123@naver.com 로 주세요") == ["email"]


def test_business_numbers_are_an_ad_signal_not_personal_information() -> None:
    found = find_pii(normalize("급전 상담 1588-1234"))
    assert [f.rule for f in found] == [6]


def test_masking_keeps_the_kind_visible_and_the_number_hidden() -> None:
    assert mask("phone", "010-1234-5678") == "010-****-5678"
    assert mask("email", "hong123@naver.com") == "ho*****@naver.com"
    assert "1234567" not in mask("rrn", "900101-1234567")
    assert mask("card", "4111-1111-1111-1234").endswith("1234") and "4111" not in mask(
        "card", "4111-1111-1111-1234"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("O1O-1234-5678로 연락", "phone"),  # letters standing for digits
        ("010ㅡ1234ㅡ5678", "phone"),  # the vowel ㅡ as a dash
        ("주민번호 앞자리 900101 뒷자리 1234567", "rrn"),
        ("서울 강남구 역삼동 123-45 우리집", "address"),
        ("제 번호 공일공-하나둘셋넷-다섯여섯일곱여덟 입니다", "phone"),  # native numerals
        ("공일공하나둘셋넷다섯여섯일곱여덟 로 연락", "phone"),
        ("010 하나둘셋넷 5678 이에요", "phone"),  # mixed with digits
        ("010 12 34 56 78 입니다", "phone"),  # spaced out in small groups
        ("010 1234 5 6 7 8 문자요", "phone"),
        ("010ㆍ1234ㆍ5678", "phone"),  # the araea as a middle dot
    ],
)
def test_more_evasive_forms(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_a_number_spaced_out_is_masked_to_its_first_three_and_last_four_digits() -> None:
    assert mask("phone", "010 12 34 56 78") == "010 ** ** 56 78"
    assert mask("phone", "010 1234 5 6 7 8") == "010 **** 5 6 7 8"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0 1 0 2 3 4 5 6 7 8 9", "phone"),  # every digit on its own: no two in a row
        ("제 번호는 공일공에 이삼사오 육칠팔구입니다", "phone"),  # a particle between the groups
        ("hong(골뱅이)naver.com", "email"),
    ],
)
def test_numbers_spelt_one_digit_at_a_time_or_with_particles_and_bracketed_at_words(
    text: str, kind: str
) -> None:
    assert kind in kinds(text)


def test_a_landline_after_an_office_named_alone_is_the_offices() -> None:
    assert kinds("보건소 031-123-4567 로 전화했어요") == []
    assert kinds("우리집 031-123-4567 로 전화주세요") == ["phone"]


def test_spaced_digits_that_are_not_a_mobile_number_are_not_one() -> None:
    assert kinds("2026 12 03 10 30 회의") == []
    assert kinds("점수는 10 20 30 40 50 순서") == []
    assert kinds("1 2 3 4 5 6 7 8 9 10 순서대로 세세요") == []
    assert kinds("공일공에 관한 이야기") == []


def test_letters_are_not_read_as_digits_outside_number_runs() -> None:
    assert kinds("Oil 1234 and IIOO") == []


@pytest.mark.parametrize(
    "text",
    [
        "하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉 열 세어봤어요",
        "이 정책은 하나 둘 따져보면 문제가 많습니다",
        "둘째 셋째 아이 지원금 이백만 원",
    ],
)
def test_counting_in_native_numerals_is_not_a_phone_number(text: str) -> None:
    assert kinds(text) == []


def test_a_spelt_number_is_masked_whatever_letters_spell_it() -> None:
    evidence = [f.text for f in find_pii(normalize("공일공 하나둘셋넷 다섯여섯일곱여덟 로 연락"))]
    assert [mask("phone", e) for e in evidence] == ["공일공 ***** 다섯여섯일곱여덟"]
    assert mask("phone", "공일공하나둘셋넷다섯여섯일곱여덟").count("*") >= 5
    assert mask("phone", "O1Ol2345678") == "O1O****5678"  # the l is a digit too


def test_a_reporters_address_in_a_copied_article_is_its_byline_not_personal_information() -> None:
    from briefing.moderation import CommentInput, moderate

    article = (
        "[서울=뉴시스] 홍길동 기자 = 정부는 27일 세종청사에서 국무회의를 열고 저출산 대책을 확정했다. "
        + "이번 대책은 주거, 일자리, 육아 지원을 포함한다. " * 12
        + "hong@newsis.com ⓒ 뉴시스 무단 전재 및 재배포 금지"
    )
    copied = moderate(CommentInput("c1", article))
    assert copied.action == "review" and copied.rules == [7]  # the copy, not R1
    # the same address without an article around it is still someone's e-mail
    assert 1 in moderate(CommentInput("c2", "이 기자 메일 hong@newsis.com 으로 항의하자")).rules
