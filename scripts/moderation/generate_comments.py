"""Realistic comments for R1 (personal information) and R6 (ads), and hard negatives, from templates.

    .venv/bin/python scripts/moderation/generate_comments.py --seed 2026 --count 4000 > out/gen.jsonl

Written independently of the detectors' patterns: the forms are the ones people type (spaced, dotted,
full-width, Hangul numerals, +82, zero-width characters, look-alike letters), the numbers are random.
Each row: {"id", "text", "expect": [1] | [6] | [], "kind"}.
"""

from __future__ import annotations

import argparse
import json
import random
import sys

HANGUL_NUM = "공일이삼사오육칠팔구"
FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")
NAMES = ["김민수", "이서연", "박지훈", "최유진", "정하늘", "강도윤", "윤서아", "임재현", "한지민", "오세훈"]
BANKS = [
    "국민은행",
    "신한은행",
    "우리은행",
    "하나은행",
    "농협",
    "기업은행",
    "카카오뱅크",
    "토스뱅크",
    "새마을금고",
    "우체국",
]
DOMAINS = ["naver.com", "gmail.com", "daum.net", "hanmail.net", "nate.com", "kakao.com", "hotmail.com"]


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def mobile(rng: random.Random) -> str:
    a, b = digits(rng, 4), digits(rng, 4)
    prefix = rng.choice(["010"] * 8 + ["011", "016", "019"])
    form = rng.randrange(12)
    if form == 0:
        return f"{prefix}{a}{b}"
    if form == 1:
        return f"{prefix} {a} {b}"
    if form == 2:
        return f"{prefix}.{a}.{b}"
    if form == 3:
        return f"{prefix}-{a}-{b}".translate(FULL)
    if form == 4:
        return (
            "".join(HANGUL_NUM[int(c)] for c in prefix)
            + " "
            + "".join(HANGUL_NUM[int(c)] for c in a)
            + " "
            + "".join(HANGUL_NUM[int(c)] for c in b)
        )
    if form == 5:
        return f"+82 10-{a}-{b}"
    if form == 6:
        return f"({prefix}){a}-{b}"
    if form == 7:
        return f"{prefix}-\u200b{a}-{b}"
    if form == 8:
        return f"{prefix} - {a} - {b}"
    if form == 9:
        return f"+82-10-{a}-{b}"
    if form == 10:
        return f"{prefix}-" + "".join(HANGUL_NUM[int(c)] for c in a) + f"-{b}"
    return f"{prefix}-{a}-{b}"


def landline(rng: random.Random) -> str:
    area = rng.choice(["02", "031", "032", "051", "053", "042", "062", "064", "070", "0505"])
    mid = digits(rng, rng.choice([3, 4]))
    return rng.choice(
        [
            f"{area}-{mid}-{digits(rng, 4)}",
            f"{area} {mid} {digits(rng, 4)}",
            f"{area}.{mid}.{digits(rng, 4)}",
            f"({area}) {mid}-{digits(rng, 4)}",
        ]
    )


def email(rng: random.Random) -> str:
    user = rng.choice(["hong", "minsu", "seoyeon", "abc", "kim", "park", "jjang", "love"]) + digits(
        rng, rng.randrange(1, 5)
    )
    domain = rng.choice(DOMAINS)
    form = rng.randrange(6)
    if form == 1:
        return f"{user}＠{domain}"
    if form == 2:
        return f"{user} @ {domain}"
    if form == 3:
        return f"{user}(at){domain}"
    if form == 4:
        return f"{user} 골뱅이 {domain}"
    return f"{user}@{domain}"


def rrn(rng: random.Random) -> str:
    yy, mm, dd = rng.randrange(40, 100), rng.randrange(1, 13), rng.randrange(1, 29)
    sex = rng.choice("1234" if rng.random() < 0.8 else "5678")
    body = f"{yy:02d}{mm:02d}{dd:02d}{sex}{digits(rng, 5)}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = (
        (11 - sum(int(d) * w for d, w in zip(body, weights, strict=False)) % 11) % 10
        if rng.random() < 0.6
        else rng.randrange(10)
    )
    number = body + str(check)
    return rng.choice(
        [
            f"{number[:6]}-{number[6:]}",
            f"{number[:6]} - {number[6:]}",
            f"{number[:6]}-{number[6:]}".translate(FULL),
        ]
    )


def card(rng: random.Random) -> str:
    body = rng.choice(["4", "5", "9"]) + digits(rng, 14)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    number = body + str((10 - total % 10) % 10)
    sep = rng.choice(["-", " ", ""])
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def account(rng: random.Random) -> str:
    shape = rng.choice([(3, 2, 6), (3, 3, 6), (4, 2, 7), (3, 6, 5), (6, 2, 6), (3, 4, 4, 2)])
    return "-".join(digits(rng, n) for n in shape)


R1_TEMPLATES = [
    ("phone", "제 번호 {m} 입니다 연락주세요"),
    ("phone", "{name} 씨 핸드폰 {m} 이에요 다들 전화해서 따지세요"),
    ("phone", "담당 공무원 개인 번호가 {m} 이라던데 왜 안받음?"),
    ("phone", "궁금한 분은 {m}로 문자 주세요"),
    ("phone", "우리 아파트 관리소장 번호 {l} 민원 넣읍시다"),
    ("phone", "저희 집 전화 {l} 입니다. 피해사례 모으고 있어요"),
    ("phone", "연락처: {m}"),
    ("phone", "{m} 이 사람이 사기쳤어요"),
    ("phone", "번호 남깁니다 {m}"),
    ("email", "자료 필요하신 분은 {e} 로 메일 주세요"),
    ("email", "제 메일 {e} 입니다"),
    ("email", "{name} 이메일 주소 {e} 여기로 항의 메일 보냅시다"),
    ("rrn", "제 주민번호 {r} 인데 왜 지원금 조회가 안되나요"),
    ("rrn", "아버지 주민등록번호 {r} 로 신청했는데 오류납니다"),
    ("rrn", "{r} 이걸로 조회해 주세요"),
    ("card", "카드번호 {c} 로 결제됐는데 환불 언제 되나요"),
    ("card", "{c} 이 카드로 신청했어요"),
    ("account", "{bank} {a} 으로 후원해 주세요"),
    ("account", "환불은 {bank} 계좌 {a} 예금주 {name}으로 부탁드립니다"),
    ("account", "계좌번호 {a} ({bank}) 입금 확인 바랍니다"),
    ("passport", "여권번호 M{p} 로 예약했는데 확인 부탁드려요"),
    ("licence", "운전면허번호 {lic} 인데 갱신 안내가 안 와요"),
    ("address", "우리집 주소 서울시 강남구 테헤란로 {n} {dong}동 {ho}호 인데 택배가 안와요"),
    ("address", "저 {dong}동 {ho}호 사는데 층간소음 신고합니다"),
]

R6_TEMPLATES = [
    "저금리 대출 당일 승인 무직자 가능 카톡 {id}",
    "급전 필요하신 분 {biz} 상담 환영",
    "[광고] 개인돈 소액대출 신용 무관 텔레그램 @{id}",
    "재택알바 하루 2시간 월 300 보장 오픈채팅 검색 {id}",
    "토토사이트 첫충 20% 매충 10% 가입코드 {code} {url}",
    "바카라 꽁머니 지급 이벤트 {url}",
    "온라인카지노 안전놀이터 추천 카톡 {id}",
    "주식 리딩방 무료 입장 수익 보장 {url}",
    "부업 문의 주세요 카톡 아이디 {id}",
    "최저가 보장 명품 레플리카 {url}",
    "코인 무료 리딩 원금 보장 텔레 {id}",
    "고수익 알바 일당 30만원 문의는 {biz}",
    "제 유튜브 채널 구독 부탁드려요 {url}",
    "다이어트 한약 무료 상담 {biz}",
    "스포츠 픽 적중률 90% 오픈톡 검색 {id}",
    "비대면 대출 한도 조회 {url}",
    "타이핑 알바 모집 하루 1시간 월 100 가능 카톡 {id}",
    "파워볼 픽 무료 제공 텔레그램 {id}",
    "팔로워 구매 최저가 {url}",
    "네이버에 {kw} 검색하세요 할인 이벤트 중",
]

NEGATIVE_TEMPLATES = [
    "{year}-0{mon}-1{d} 부터 시행된다니 다행입니다",
    "지원금이 1,234,567원이라니 너무 적네요",
    "법률 제1{n4}호 개정안 언제 통과되나요",
    "제17조 제2항 해석이 궁금합니다",
    "7016번 버스 배차간격 좀 줄여주세요",
    "간선 470번 노선 유지해 주세요",
    "오후 3시 18분쯤 현장에 도착했습니다",
    "주민등록번호 제도 개선 의견 드립니다",
    "주민등록번호 뒷자리 공개 문제를 해결해야 합니다",
    "전세대출 금리 인하 환영합니다",
    "강원랜드 카지노 규제도 강화해야 합니다",
    "스포츠토토 수익금이 체육 발전에 제대로 쓰이길 바랍니다",
    "부업 소득 과세 기준이 궁금합니다",
    "카카오톡 알림으로 안내받으니 편하네요",
    "문의: 보건복지부 연금정책과 044-202-{n4}",
    "정부24(www.gov.kr)에서 신청하면 됩니다",
    "계좌 개설 절차가 간소화되면 좋겠어요",
    "2020~2024년 통계를 보면 증가 추세네요",
    "3억 5천만원 예산이면 충분한가요",
    "고객센터 1588 번호는 항상 통화중이에요",
    "신청 시 발급까지 며칠 걸리나요",
    "사업 시행 시 발생하는 문제도 검토해 주세요",
    "박정희 정부의 경제개발 5개년 계획과 비교하면 흥미롭네요",
    "인구 51,234,000명 중 몇 명이 혜택을 받나요",
    "2024년 12월 31일 이전 출생자만 해당되나요",
    "보이스피싱 대포통장 단속을 강화해 주세요",
    "불법 대출 광고 문자 좀 막아주세요",
    "텔레그램 마약 거래 단속 강화 환영합니다",
    "010 번호 변경 서비스가 생긴다니 좋네요",
    "사업자등록번호 조회가 홈페이지에서 안 되네요",
    "국민은행 창구에서 신청했는데 잘 처리됐습니다",
    "ISBN 978-89-{n4}-{n3}-1 책을 참고했습니다",
    "전화 상담은 평일 9시부터 18시까지라네요",
    "3.1절 기념식 잘 봤습니다",
    "1인당 25만원 지급이면 4인 가구는 100만원이네요",
]


def generate(seed: int, count: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        roll = rng.random()
        fill = {
            "m": mobile(rng), "l": landline(rng), "e": email(rng), "r": rrn(rng), "c": card(rng), "a": account(rng),
            "name": rng.choice(NAMES), "bank": rng.choice(BANKS), "p": digits(rng, 8),
            "lic": f"{rng.randrange(11, 29)}-{digits(rng, 2)}-{digits(rng, 6)}-{digits(rng, 2)}",
            "n": rng.randrange(1, 500), "dong": rng.randrange(101, 120), "ho": rng.randrange(101, 2505),
            "id": rng.choice(["money", "vip", "king", "dd", "loan", "job", "toto"]) + digits(rng, rng.randrange(2, 5)),
            "biz": rng.choice(["1588", "1644", "1800", "1566", "1661"]) + rng.choice(["-", " ", ""]) + digits(rng, 4),
            "code": digits(rng, 4),
            "url": rng.choice(["https://", "", "www."]) + rng.choice(["toto", "vip", "win", "bet", "shop", "best", "lucky"])
            + digits(rng, 2) + rng.choice([".com", ".net", ".xyz", ".kr", ".site"]),
            "kw": rng.choice(["행복쇼핑", "머니짱", "럭키몰"]),
            "year": rng.randrange(2020, 2027), "mon": rng.randrange(1, 10), "d": rng.randrange(0, 10),
            "n4": digits(rng, 4), "n3": digits(rng, 3),
        }  # fmt: skip
        if roll < 0.4:
            kind, template = rng.choice(R1_TEMPLATES)
            expect = [1]
        elif roll < 0.7:
            kind, template = "ad", rng.choice(R6_TEMPLATES)
            expect = [6]
        else:
            kind, template = "negative", rng.choice(NEGATIVE_TEMPLATES)
            expect = []
        rows.append(
            {"id": f"gen-{seed}-{i}", "text": template.format(**fill), "expect": expect, "kind": kind}
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--count", type=int, default=4000)
    args = parser.parse_args()
    for row in generate(args.seed, args.count):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
