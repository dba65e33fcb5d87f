"""Parsing what agencies send into one normalised Release, and rejecting the rest in words."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from briefing.releases.embargo import KST
from briefing.releases.model import ReleaseKind, ReleaseStatus
from briefing.releases.parse import ParsedRelease, Rejection, parse_payload
from tests.conftest import SAMPLES, as_json, newsitem, shared_file


def only_release(body: str) -> ParsedRelease:
    results = parse_payload(body)
    assert len(results) == 1
    assert isinstance(results[0], ParsedRelease), results[0]
    return results[0]


def only_rejection(body: str) -> Rejection:
    results = parse_payload(body)
    assert len(results) == 1
    assert isinstance(results[0], Rejection), results[0]
    return results[0]


def test_newsitem_json_becomes_a_release_in_korea_time() -> None:
    release = only_release(as_json(newsitem())).release
    assert release.agency == "국토교통부"
    assert release.release_id == release.article_id == "156754098"
    assert release.version == 1
    assert release.approved_at == datetime(2026, 4, 12, 11, 0, tzinfo=KST)
    assert release.publish_at == release.approved_at
    # entities decoded, double spaces collapsed
    assert release.title == "우리 동네 교통·안전 문제, '도시 데이터'로 해결한다"
    assert release.attachments[0].name == "보도자료.hwpx"
    assert "<p>□ 국토교통부는" in release.body_html
    assert release.body_text.startswith("□ 국토교통부는 도시 데이터")


def test_newsitem_status_d_is_our_withdrawal_extension_and_needs_no_body() -> None:
    item = {
        k: v
        for k, v in newsitem(ContentsStatus="D", ModifyId=3).items()
        if k not in ("Title", "DataContents")
    }
    release = only_release(as_json(item)).release
    assert release.status is ReleaseStatus.WITHDRAWN
    assert release.version == 3


def test_newsitem_that_is_not_withdrawn_needs_title_and_body() -> None:
    item = newsitem()
    del item["DataContents"]
    rejection = only_rejection(as_json(item))
    assert rejection.reason == "invalid-release"
    assert "DataContents" in rejection.message
    assert (rejection.agency, rejection.release_id) == ("국토교통부", "156754098")


def test_our_schema_with_embargo_phrase_publishes_at_the_embargo() -> None:
    body = {
        "agency": "행정안전부",
        "release_id": "mois-2026-0414-01",
        "version": 1,
        "title": "재난안전 특별교부세 지원",
        "body": "□ 행정안전부는 특별교부세를 지원한다.",
        "body_format": "text",
        "approved_at": "2026-04-13T10:00:00",  # naive: Korea time
        "embargo": {"phrase": "2026. 4. 13.(월) 12:00 이후(4. 14.(화) 조간)"},
    }
    release = only_release(as_json(body)).release
    assert release.approved_at == datetime(2026, 4, 13, 10, 0, tzinfo=KST)
    assert release.publish_at == datetime(2026, 4, 13, 12, 0, tzinfo=KST)
    assert release.embargo.phrase.startswith("2026. 4. 13.")


def test_embargo_machine_time_and_phrase_the_later_wins() -> None:
    body = {
        "agency": "행정안전부",
        "release_id": "mois-1",
        "version": 1,
        "title": "제목",
        "body": "본문",
        "body_format": "text",
        "approved_at": "2026-04-13T10:00:00+09:00",
        "embargo": {"at": "2026-04-13T11:00:00+09:00", "phrase": "4. 14.(화) 조간"},
    }
    release = only_release(as_json(body)).release
    assert release.publish_at == datetime(2026, 4, 14, 6, 0, tzinfo=KST)


def test_a_distribution_date_is_not_an_embargo() -> None:
    item = newsitem(EmbargoPhrase="배포 즉시 보도 가능")
    release = only_release(as_json(item)).release
    assert release.embargo.immediate
    assert release.publish_at == release.approved_at


def test_validation_errors_name_the_field_in_words_an_agency_can_act_on() -> None:
    rejection = only_rejection(as_json({"agency": "고용노동부", "release_id": "a b", "version": 0}))
    assert rejection.reason == "invalid-release"
    assert "release_id" in rejection.message and "version" in rejection.message


def test_links_of_our_schema_are_normalised_like_a_browser_and_scripts_refused() -> None:
    body = {
        "agency": "외교부",
        "release_id": "mofa-2026-1203-01",
        "version": 1,
        "title": "재외국민 안전 공지",
        "body": "□ 외교부는 재외국민 안전 공지를 발표했다.",
        "body_format": "text",
        "approved_at": "2026-12-03T10:00:00",
        "english_url": " HTTPS://WWW.MOFA.GO.KR/eng/보도 자료 ",
        "attachments": [{"name": "붙임.hwpx", "url": "https://한국.kr"}],
    }
    release = only_release(as_json(body)).release
    # host lower-cased, Hangul and spaces percent-encoded, an internationalised host in punycode
    assert release.english_url == "https://www.mofa.go.kr/eng/%EB%B3%B4%EB%8F%84%20%EC%9E%90%EB%A3%8C"
    assert release.attachments[0].url == "https://xn--3e0b707e.kr/"
    for link in ("javascript:alert(1)", "data:text/html,<b>x</b>", "//x.kr/a", "https://x.kr:99999/"):
        rejection = only_rejection(as_json({**body, "english_url": link}))
        assert rejection.reason == "invalid-release" and "english_url" in rejection.message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "empty-message"),
        ("not json at all", "invalid-json"),
        ("[1, 2, 3]", "invalid-json"),
        ('{"agency": ', "invalid-json"),
        ("<response><body></body></response>", "invalid-xml"),
        ("<response><body><NewsItem>", "invalid-xml"),
    ],
)
def test_unreadable_bodies_are_rejected_with_a_reason(body: str, reason: str) -> None:
    assert only_rejection(body).reason == reason


def test_xml_entity_expansion_is_refused_not_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<response><body><NewsItem><Title>&b;</Title></NewsItem></body></response>"
    )
    rejection = only_rejection(bomb)
    assert rejection.reason == "invalid-xml"
    assert "entities" in rejection.message


def test_external_entities_are_refused() -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><NewsItem><Title>&x;</Title></NewsItem>'
    assert only_rejection(xxe).reason == "invalid-xml"


def test_xml_envelope_with_many_items_parses_each_on_its_own() -> None:
    envelope = (SAMPLES / "03-newsitem-envelope.xml").read_text(encoding="utf-8")
    broken = envelope.replace("<MinisterCode>기상청</MinisterCode>", "")
    results = parse_payload(broken)
    assert [type(r).__name__ for r in results] == ["ParsedRelease", "Rejection"]
    first = results[0]
    assert isinstance(first, ParsedRelease)
    assert first.release.title == "훈장의 가치 바로잡는다·부적절한 정부포상 전면 재검토 착수"
    assert first.release.publish_at == datetime(2026, 4, 13, 16, 0, tzinfo=KST)
    assert first.original.startswith("<NewsItem>")  # each item is archived on its own
    assert "<span>" not in first.release.body_html


def test_syndicate_root_is_accepted() -> None:
    xml = (
        "<Syndicate><NewsItem><NewsItemId>1</NewsItemId><ContentsStatus>I</ContentsStatus><ModifyId>2</ModifyId>"
        "<ApproveDate>04/13/2026 09:00:00</ApproveDate><Title><![CDATA[제목]]></Title><ContentsType>T</ContentsType>"
        "<DataContents><![CDATA[본문]]></DataContents><MinisterCode>관세청</MinisterCode>"
        "<FileName>a.pdf</FileName><FileUrl>https://x.kr/a</FileUrl><FileName>b.hwp</FileName>"
        "<FileUrl>https://x.kr/b</FileUrl></NewsItem></Syndicate>"
    )
    release = only_release(xml).release
    assert release.version == 2 and release.agency == "관세청"
    assert [a.name for a in release.attachments] == ["a.pdf", "b.hwp"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ('[참고] "중동발 공사 지연, 민간 건설현장도 공기연장 길 열린다"', ReleaseKind.REFERENCE),
        ("(참고) 2026년 고용노동부 소관 제1회 추가경정예산 주요 내용", ReleaseKind.REFERENCE),
        ("(동정) 청년 공무원 만나 조직문화·업무 혁신 이끈다", ReleaseKind.SCHEDULE),
        ("[차관동정] 홍지선 2차관, 시·도 교통물류 관계자 간담회", ReleaseKind.SCHEDULE),
        ("(설명) 보도 내용은 사실과 다릅니다", ReleaseKind.EXPLANATION),
        ("고유가 피해지원금 4월 27일 지급 시작", ReleaseKind.PRESS),
    ],
)
def test_kind_from_title_prefix(title: str, kind: ReleaseKind) -> None:
    assert only_release(as_json(newsitem(Title=title))).release.kind is kind


def test_seed_release_sample_is_parsed_and_sanitised() -> None:
    release = only_release((SAMPLES / "01-mofa-seed-release.json").read_text(encoding="utf-8")).release
    assert release.agency == "외교부"
    assert release.title == "제15차 한일 차관전략대화 개최 결과"
    assert release.english_url and release.english_url.startswith("https://www.mofa.go.kr/")
    for unsafe in ("<script", "onclick", "javascript:", "<span", "&nbsp;"):
        assert unsafe not in release.body_html
    assert release.body_text.startswith("□ 김홍균 외교부 제1차관은 6.28.(금) 일본 동경에서")


def test_every_dev_release_parses() -> None:
    path = shared_file("releases/newsitems-dev.jsonl")
    releases = [only_release(line).release for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(releases) == 38
    assert len({r.article_id for r in releases}) == 38
    assert all(r.approved_at and r.approved_at.tzinfo is not None for r in releases)
    assert {r.agency for r in releases} >= {"외교부", "국토교통부", "고용노동부", "기후에너지환경부"}
    # the markdown headings of the dev bodies stay text; nothing is lost from the body
    for line, release in zip(path.read_text(encoding="utf-8").splitlines(), releases, strict=True):
        source_words = set(json.loads(line)["DataContents"].split())
        kept = set(release.body_text.split())
        assert len(source_words - kept) <= 2, (release.ref, sorted(source_words - kept)[:5])
