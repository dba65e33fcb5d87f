"""Saved korea.kr article pages → release dicts: the article kept, the site furniture gone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from briefing.releases.model import ReleaseDocument
from briefing_cli.importer import PageImportError, import_page

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "pages"
SEED = REPO.parent / "shared" / "data" / "korea-kr-page-mofa-2024-06-28.txt"

# Strings of the page around the article; none may reach a body.
FURNITURE = [
    "바로가기",
    "메인메뉴",
    "전자정부",
    "누리집입니다",
    "브리핑룸",
    "콘텐츠 영역",
    "목록\n",
    "영문보도자료",
    "Eng. Version",
    "전재하여 제공",
    "이전다음기사",
    "다음기사",
    "이전기사",
    "배너",
    "추천 뉴스",
    "민생토론회",
    "사실은 이렇습니다",
    "많이 본",
    "오늘의 영상",
    "운영원칙",
    "타인의 메일주소",
    "수사기관",
    "공유하기",
    "글자크기",
    "페이스북",
    "URL 복사",
    "Copyright",
    "댓글을 입력하세요",
]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def assert_no_furniture(body: str) -> None:
    found = [s for s in FURNITURE if s in body + "\n"]
    assert not found, f"site furniture in the body: {found}"


def assert_valid_release(release: dict[str, Any]) -> None:
    """The dict is our release schema once the importer's provenance keys are set aside."""
    doc = ReleaseDocument.model_validate(
        {k: v for k, v in release.items() if k not in {"source", "english_version"}}
    )
    assert doc.release_id == release["release_id"]


# --- the seed page (korea.kr text, shared data) ---------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    if not SEED.exists():
        pytest.skip(f"shared data not found at {SEED} (the seed korea.kr page lives in ../shared/data)")
    return import_page(SEED.read_text(encoding="utf-8"), source_name=SEED.name)


@pytest.mark.shared
def test_seed_header(seed: dict[str, Any]) -> None:
    assert seed["title"] == "제15차 한일 차관전략대화 개최 결과"
    assert seed["agency"] == "외교부"
    assert seed["approved_at"] == "2024-06-28T00:00:00+09:00"
    assert seed["kind"] == "press"
    assert seed["source"] == {"kind": "saved-page", "name": SEED.name}
    assert (seed["schema"], seed["version"], seed["licence"], seed["status"], seed["body_format"]) == (
        "briefing.release/1",
        1,
        "KOGL-1",
        "active",
        "text",
    )


@pytest.mark.shared
def test_seed_body(seed: dict[str, Any]) -> None:
    body = seed["body"]
    assert body.startswith("김홍균 외교부 제1차관은 6.28.(금) 일본 동경에서 오카노 마사타카(岡野 正敬)")
    assert body.endswith("외교당국간에 긴밀히 소통해 나가자는 데 공감하였다.")
    assert_no_furniture(body)
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 9
    # bullets keep their markers, without the page's indentation
    assert paragraphs[1].startswith("※ 한일 차관전략대화는")
    assert paragraphs[2].startswith("- 2005-2014년간 13회 개최")
    assert all(p == p.strip() and "\n\n" not in p for p in paragraphs)


@pytest.mark.shared
def test_seed_english_version_without_url(seed: dict[str, Any]) -> None:
    assert seed["english_url"] is None
    assert seed["english_version"] is True


@pytest.mark.shared
def test_seed_id_is_stable_and_valid(seed: dict[str, Any]) -> None:
    assert re.fullmatch(r"page-[0-9a-f]{16}", seed["release_id"])
    again = import_page(SEED.read_text(encoding="utf-8"))
    assert again["release_id"] == seed["release_id"]
    assert_valid_release(seed)


@pytest.mark.shared
def test_seed_with_windows_line_ends_and_bom() -> None:
    if not SEED.exists():
        pytest.skip(f"shared data not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    variant = import_page("\ufeff" + text.replace("\n", "\r\n"))
    assert variant["body"] == import_page(text)["body"]


# --- text variant: same furniture, another agency/title/date, no English version -----------------------


def test_text_variant() -> None:
    release = import_page(fixture("moel-2026-04-13.txt"), source_name="moel.txt")
    assert release["title"] == "[참고] 청년 일경험 지원사업 참여기업 2차 모집"
    assert release["agency"] == "고용노동부"
    assert release["approved_at"] == "2026-04-13T00:00:00+09:00"
    assert release["kind"] == "reference"  # the [참고] prefix
    assert release["english_url"] is None and release["english_version"] is False
    body = release["body"]
    assert body.startswith("□ 고용노동부는 4월 14일(화)부터")
    assert body.endswith("붙임 1. 모집 공고문 1부. 끝.")
    assert_no_furniture(body.replace("목록은", ""))
    # body sentences that merely mention widget words stay
    assert "선정 기업 목록은 5월 중" in body
    assert "현장 멘토의 댓글 피드백" in body
    # zero-width and full-width spaces are cleaned, odd spacing collapsed, markers kept
    assert "\u200b" not in body and "\u3000" not in body and "  " not in body
    assert "- 참여 기업에는 청년 1인당 월 최대 80만 원" in body
    for marker in ("□ ", "○ ", "- ", "※ ", "ㅇ "):
        assert f"\n\n{marker}" in "\n\n" + body
    assert_valid_release(release)


def test_hash_id_depends_on_agency_date_and_title() -> None:
    text = fixture("moel-2026-04-13.txt")
    base = import_page(text)["release_id"]
    assert import_page(text.replace("2026.04.13 고용노동부", "2026.04.14 고용노동부"))["release_id"] != base
    assert import_page(text.replace("2026.04.13 고용노동부", "2026.04.13 노동부"))["release_id"] != base
    assert import_page(text.replace("2차 모집", "3차 모집"))["release_id"] != base
    assert import_page(text.replace("월 최대 50만 원", "월 최대 60만 원"))["release_id"] == base


def test_text_page_with_a_single_news_id_uses_it() -> None:
    text = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156754291\n\n" + fixture(
        "moel-2026-04-13.txt"
    )
    assert import_page(text)["release_id"] == "156754291"


# --- HTML variant ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_release() -> dict[str, Any]:
    return import_page(fixture("mois-2026-04-10.html"), source_name="mois.html")


def test_html_header(html_release: dict[str, Any]) -> None:
    assert html_release["title"] == "지역 소멸 대응 기금 2단계 배분 결과 발표"
    assert html_release["agency"] == "행정안전부"
    assert html_release["approved_at"] == "2026-04-10T00:00:00+09:00"
    assert html_release["release_id"] == "156753901"  # the page's own newsId, not prev/next
    assert_valid_release(html_release)


def test_html_english_link(html_release: dict[str, Any]) -> None:
    assert html_release["english_url"] == (
        "https://www.korea.net/Government/Briefing-Room/Press-Releases/view?articleId=999001"
    )
    assert html_release["english_version"] is True


def test_html_body(html_release: dict[str, Any]) -> None:
    body = html_release["body"]
    assert body.startswith("□ 행정안전부는 지역 소멸 대응 기금 2단계 배분 결과를 4월 10일(금) 발표했다.")
    assert body.endswith("붙임 배분 결과 1부. 끝.")
    assert_no_furniture(body)
    # no script or style text, wherever the script sat
    for leaked in ("스크립트", "alert", "document.write", "trap", "evil", "스타일", "가짜부", "<", "&nbsp;"):
        assert leaked not in body.replace("<70점>", ""), leaked
    # entities decoded, <br> kept as a line break inside its paragraph, source line wraps joined
    assert "우수 기관·개선 기관의 사업 계획은 누리집에 공개\n- 평가 점수 <70점> 미만" in body
    assert "대상으로 하며, 평가 결과에 따라" in body
    assert "담당 부서 균형발전제도과 책임자 과장 김지역 (044-205-0000)" in body


def test_html_relative_english_link_and_no_news_id() -> None:
    page = """<html><body>
    <h1>(동정) 장관, 전통시장 현장 방문</h1>
    <ul class="info"><li>2026.04.11</li><li>중소벤처기업부</li></ul>
    <div class="view_cont"><p>□ 장관은 4월 11일(토) 전통시장을 방문했다.</p></div>
    <a href="/eng/view.do?id=7">영문보도자료 바로가기(Eng. Version)</a>
    <a href="/briefing/pressReleaseView.do?newsId=156000001">다음기사 다른 기사</a>
    </body></html>"""
    release = import_page(page)
    assert (release["title"], release["agency"], release["kind"]) == (
        "(동정) 장관, 전통시장 현장 방문",
        "중소벤처기업부",
        "schedule",
    )
    assert release["body"] == "□ 장관은 4월 11일(토) 전통시장을 방문했다."
    assert release["english_url"] == "https://www.korea.kr/eng/view.do?id=7"
    assert release["release_id"].startswith("page-")  # a prev/next newsId is not this page's


def test_html_javascript_english_link_is_recorded_without_url() -> None:
    page = """<html><body><h1>제목 하나</h1><p>2026.04.11 외교부</p><p>본문 한 줄.</p>
    <a href="javascript:openEng(3)">영문보도자료 바로가기(Eng. Version)</a></body></html>"""
    release = import_page(page)
    assert (release["english_url"], release["english_version"]) == (None, True)


# --- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty"),
        ("   \n\n  ", "empty"),
        ("그냥 아무 글입니다.\n날짜도 부처도 없습니다.", "no recognisable"),
        (fixture("not-found.html"), "no recognisable"),
        (fixture("list-page.html"), "list of articles"),
        ("제목\n\n2024.06.28 외교부\n목록\n\n영문보도자료 바로가기(Eng. Version)\n", "no article body"),
        ("제목\n\n2024.13.45 외교부\n\n본문입니다.\n", "invalid article date"),
    ],
)
def test_refused(content: str, reason: str) -> None:
    with pytest.raises(PageImportError, match=reason) as info:
        import_page(content)
    assert isinstance(info.value, ValueError)
    assert re.search(r"[가-힣]", str(info.value))  # a Korean reason beside the English one
