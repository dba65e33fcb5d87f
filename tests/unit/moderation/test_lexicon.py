"""R3/R4 lexicon: profanity and slurs through evasions; the ordinary words that contain them pass."""

from __future__ import annotations

import pytest

from briefing.moderation.engine import get_engine
from briefing.moderation.lexicon import parse_lexicon
from briefing.moderation.normalize import normalize


def lexicon_rules(text: str) -> set[int]:
    return {f.rule for f in get_engine().lexicon.find(normalize(text))}


@pytest.mark.parametrize(
    "text",
    ["시1발 이게 정책이냐", "씨@발", "ㅅ ㅂ 진짜", "tlqkf 뭐하냐", "병1신들", "개새끼들", "ㅂㅅ같은 정책", "아18 짜증나", "지랄하네",
     "미친놈들", "니애미", "fuck this", "씨 발 놈", "개ㅅㄲ들", "ㅅㄲ야", "시ㅣ발", "씨ㅣ발",
     "ㅈㄹ하네 진짜", "ㅈㄹ떨지 마", "지x하고 자빠졌네", "지**하네", "s1발 진짜", "sㅣ발",
     "fxxk 정부", "ｓｉｂａｌ", "병 신 같은 정책", "븅 신들", "엠창 정부", "엠생들", "gaesaekki 장관", "개쉐이", "이 쉐이 끌어내려라", "씨bal 정책",
     "씨~~~~발", "씨!!!발 진짜", "f u c k", "C발", "C빨놈들", "미1친 놈", "미친 새끼들",
     "이 개돼지들아", "개돼지만도 못한 놈들", "시부럴", "씨부랄 새끼들", "육시랄 놈", "시댕",
     "시ㅂ 뭐야", "씨ㅃ", "시foot", "좃까", "ㅈ까", "조낸 별로", "닥치세요", "꺼지세요", "개만도 못한 놈", "벌레만도 못한",
     "ㄲㅈ", "ㄴㄱㅁ", "너네 엄마 없냐", "시파", "ㅆㅍ", "십새", "십쌔끼", "존만한",
     "병쉰 같은 정책", "븅쉰들", "빠가야로 장관", "s i b a l 정부", "병 1 신 같은 정책", "시 1 발 진짜", "개 1 새 끼들"],
)  # fmt: skip
def test_profanity_and_its_evasions(text: str) -> None:
    assert 4 in lexicon_rules(text)


@pytest.mark.parametrize(
    "text",
    ["한남충들", "틀딱들 때문에", "전라디언", "쪽바리", "빨갱이 새끼들", "개독 먹사",
     # a whole group called criminals or vermin, or called 놈/년/새끼 (held for review)
     "동남아 노동자들 다 범죄자임", "조선족들은 전부 쓰레기", "난민은 다 잠재적 범죄자다", "외국인 놈들 다 내쫓아야",
     "깽깽이들", "nigger", "저능아 집단이냐", "페미 나치들", "경찰 짭새들", "견찰들", "김치남들 수준", "퐁퐁남",
     # a whole group "all like that" or untrustworthy by birth (held for review)
     "전라도 사람들은 원래 다 그래", "전라도 출신이라 믿을 수가 없다", "중국인들은 종특이 원래 그래", "흑형들 몸 좋더라",
     "장애인 주제에 무슨", "여자 주제에 나서긴",
     # insults in ordinary words
     "머리에 총 맞았냐", "너 같은 건 태어나지 말았어야 했다"],
)  # fmt: skip
def test_slurs_against_groups(text: str) -> None:
    assert 4 in lexicon_rules(text)


@pytest.mark.parametrize(
    "text",
    ["자살해라 그냥", "한강 가라", "조건만남 하실분", "야동 링크", "딸딸이 영상",
     # asking how to take one's life is held for a person to see
     "자살하는 법 알려주세요", "고통 없이 죽는 방법", "목을 매달아야 정신차리지",
     "자위 영상 공유", "다들 자살해버려라", "목 잘린 영상 공유합니다",
     # a brothel recommended, a lethal dose asked for (held for review)
     "성매매 업소 추천 강남", "수면제 몇 알 먹어야 죽나요"],
)  # fmt: skip
def test_obscene_and_suicide_incitement(text: str) -> None:
    assert 3 in lexicon_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "신청 시 발급됩니다",
        "사업 시행 시 발생하는 비용",
        "박정희 정부의 경제개발 5개년 계획",
        "경부선의 시발점인 서울역",
        "병신년 새해",
        "질병시 신고",
        "전염병 예방",
        "위탁연구개발기관 신청",
        "경제에 영향을 미친다",
        "새끼손가락 부상",
        "오후 3시 18분",
        "2018년 통계",
        "꺼져가는 불씨를 살렸다",
        "사재기해서 공간이 없다",
        "김 씨 발언",
        "홍어회 맛집",
        "시바견 입양",
        "BTS발 한류 열풍",
        "ms 발표 자료",
        "s 발급 절차 안내",
        "2년 x 하루 지 x 하 계산",
        "지하철 x 하나 더",
        "맥주 병 신고 안하면 과태료",
        "병 신청서 제출",
        "Sibalsan mountain",
        "Shitake 버섯 수입 규제",
        "Essex 대학 교류 프로그램",
        "Middlesex 병원 연수",
        "밀크쉐이크 맛집",
        "교통ㆍ안전 정책 환영",
        "지랄탄 진압의 역사에 대한 다큐",  # the 1980s' tear-gas grenades
        "외국인 노동자를 모두 범죄자로 취급해서는 안 됩니다",  # refuting the generalisation
        "난민이 다 범죄자라는 편견을 버려야 합니다",
        "중국인 관광객 모두 환영합니다",
        "외국인 노동자들 다 고생하시는데 지원 늘려주세요",
        "제 딸이 학교에서 상을 받았어요",  # 딸딸이 reads 딸이 in the squeezed view: matched as typed
        "Niger 대사관 연락처",
        "오후 3시..발표 예정",  # 발표, 발급, 발송 … after 시 are words of their own
        "신청 시..발급됩니다",
        "시발 버스 첫차 시간",  # 始發: the first bus of a line
        "좋아요~~~~ 정책 환영",
        "C언어 강의 지원",
        "학점 C발표 점수",
        "화염병 투척 사건 재판 결과",
        "자살 예방법 교육 확대",
        "빠가사리 매운탕 맛집",  # a catfish
        "전라도 사람들은 다 그렇다는 편견은 버려야 합니다",  # the prejudice named to refute it
        "경상도 사람들이 다 그렇지는 않아요",
        "전라도 사람들은 원래 다 그래서 정이 많아요",
        "중국인 관광객 다 그래도 환영합니다",
        "외국인 근로자 정책은 다 그래",
        "맥주병쉰개 샀어요",  # fifty bottles, written together
        "오후 3시 1 발 남았다",
        "성매매 업소 단속 강화해 주세요",
        "성매매 처벌 강화 법안 환영",
        "1 병 1 신청",
        "머리에 총 맞은 군인 치료 지원",
        "그 법은 태어나지 말았어야 했다",
        "장애인 주제 토론회 열립니다",
        "정부가 국민을 개돼지로 아나",  # the complaint of being treated so, not an insult
        "국민을 개돼지 취급하네",
        "시부모님 모시고 사는 가구 지원",
        "시부야 여행 후기",
        "교육 시간 육시간 넘게 걸렸다",
        "댕기 머리 시댕기",
        "저능력자 지원 대책",
        "의견 찰떡같이 알아들었어요",
        "자위대 영상 보도 잘 봤습니다",
        "자위권 행사 요건",
        "닥치는 대로 먹었다",
        "불이 꺼지면 대피하세요",
        "시부모님과 함께 사는 가구",
        "김치 남기지 마세요",
        "십세 아동 지원",
        "시파티 참석 후기",
        "우리 엄마 없는 동안 돌봄 지원",
        "새끼 고양이 구조 지원 감사",  # an animal's young, written apart
    ],
)
def test_ordinary_words_are_not_profanity(text: str) -> None:
    assert lexicon_rules(text) == set()


def test_a_word_mentioned_in_reported_speech_is_held_for_review_not_rejected() -> None:
    from briefing.moderation import CommentInput, moderate

    mentioned = moderate(CommentInput("c-1", "시발이란 단어 하나 썼다고 난리네"))
    used = moderate(CommentInput("c-2", "시발 진짜 짜증나네"))
    assert (mentioned.action, mentioned.rules) == ("review", [4])
    assert used.action == "reject"


def test_a_slur_named_as_hate_speech_to_condemn_it_is_held_not_rejected_but_an_insult_is_rejected() -> None:
    from briefing.moderation import CommentInput, moderate

    named = moderate(CommentInput("c-1", "김치녀 같은 혐오 표현 쓰지 맙시다"))
    insult = moderate(CommentInput("c-2", "병신 같은 말 하네"))
    assert (named.action, named.rules) == ("review", [4])
    assert insult.action == "reject"


def test_patterns_for_the_lower_cased_view_must_be_written_in_lower_case() -> None:
    with pytest.raises(ValueError, match="lower case"):
        parse_lexicon(["4\t0.9\tsq\tprofanity:en\tFuck"])
    assert (
        parse_lexicon(["4\t0.9\tsq\tprofanity:x\t\\bfuck\\s"])[0].label == "profanity:x"
    )  # escapes are no letters
    assert lexicon_rules("FUCK this 정책") == {4} and lexicon_rules("ＦＵＣＫ") == {4}


@pytest.mark.parametrize(
    "text", ["공무원 놈들 일 안 하지", "쓰레기 같은 국회의원 놈들", "의원놈들 세비 올리는 건 빠르지"]
)
def test_public_servants_called_nom_are_held(text: str) -> None:
    assert 4 in lexicon_rules(text)


@pytest.mark.parametrize(
    "text", ["공무원 연금 개혁", "경찰 년도별 통계", "의원님들 수고하셨습니다", "공무원 노조 입장"]
)
def test_public_servants_named_plainly_are_not_a_slur(text: str) -> None:
    assert lexicon_rules(text) == set()
