"""IndexArticleFunction + ApiFunction on the stack deployed from template.yaml: every route and
list, and proof that neither embargo nor withdrawal leaks through any read path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import boto3
import pytest

from briefing.index.store import IndexStore
from briefing.releases.embargo import KST
from briefing_cli.local.http import HttpResponse, LocalHttpApi
from briefing_cli.local.pipeline import simulated_clock
from briefing_cli.local.stack import load_template
from tests.conftest import Pipeline, as_json, newsitem

APRIL_13_NOON = datetime(2026, 4, 13, 12, 0, tzinfo=KST)


def release(article_id: str, agency: str, approved: str, title: str, body: str, **extra: Any) -> str:
    return as_json(
        newsitem(
            NewsItemId=article_id,
            MinisterCode=agency,
            ApproveDate=approved,
            Title=title,
            DataContents=body,
            **extra,
        )
    )


CORPUS = [
    release(
        "1001",
        "국토교통부",
        "04/10/2026 09:00:00",
        "도시 데이터로 교통 안전 해결",
        "□ 국토교통부는 도시 데이터 허브로 버스 정류장 혼잡을 분석한다.",
    ),
    release(
        "1002",
        "국토교통부",
        "04/11/2026 09:00:00",
        "[참고] 건설현장 공기연장 유권해석",
        "□ 중동전쟁 상황을 불가항력으로 인정해 건설현장 공기연장이 가능하다.",
    ),
    release(
        "1003",
        "행정안전부",
        "04/12/2026 09:00:00",
        "고유가 피해지원금 4월 27일 지급 시작",
        "□ 행정안전부는 고유가 피해지원금을 지급한다. 지원금 신청은 주민센터에서.",
    ),
    release(
        "1004",
        "국토교통부",
        "04/12/2026 15:00:00",
        "스마트도시 데이터 허브 시범사업 선정",
        "□ 국토교통부는 도시 데이터 허브 시범사업 지자체를 선정했다.",
    ),
    release(
        "1005",
        "기상청",
        "04/13/2026 10:00:00",
        "선진 예보기술로 기후위기 대응",
        "□ 기상청은 예보기술을 아시아 개발도상국에 전수한다.",
        EmbargoPhrase="2026. 4. 13.(월) 16:00 이후(4. 14.(화) 조간)",
    ),
]


class Reader:
    def __init__(self, pipeline: Pipeline) -> None:
        self.api = LocalHttpApi(pipeline.stack, load_template())
        self.stack = pipeline.stack
        self.now = APRIL_13_NOON

    @contextmanager
    def at(self, now: datetime) -> Iterator[None]:
        saved, self.now = self.now, now
        try:
            yield
        finally:
            self.now = saved

    def get(self, path: str, **query: str) -> HttpResponse:
        with simulated_clock(self.now, self.stack):
            return self.api.request("GET", path, query)

    def ids(self, path: str, **query: str) -> list[str]:
        response = self.get(path, **query)
        assert response.status == 200, response.body
        return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def reader(pipeline: Pipeline) -> Reader:
    pipeline.send(*CORPUS)
    report = pipeline.drain()
    assert report.failed_records == 0
    return Reader(pipeline)


def test_latest_list_is_newest_first_and_paged_with_opaque_cursors(reader: Reader) -> None:
    assert reader.ids("/articles") == ["1004", "1003", "1002", "1001"]  # 1005 is embargoed until 16:00
    first = reader.get("/articles", limit="3").json()
    assert [i["id"] for i in first["items"]] == ["1004", "1003", "1002"]
    second = reader.get("/articles", limit="3", cursor=first["next_cursor"]).json()
    assert [i["id"] for i in second["items"]] == ["1001"] and second["next_cursor"] is None
    assert first["items"][0]["publish_at"] == "2026-04-12T15:00:00+09:00"


def test_agency_kind_and_date_filters(reader: Reader) -> None:
    assert reader.ids("/articles", agency="국토교통부") == ["1004", "1002", "1001"]
    assert reader.ids("/articles", kind="reference") == ["1002"]
    assert reader.ids("/articles", agency="국토교통부", kind="press") == ["1004", "1001"]
    assert reader.ids("/articles", **{"from": "2026-04-11", "to": "2026-04-12"}) == ["1004", "1003", "1002"]


def test_article_page_has_previous_next_and_related_and_counts_views(reader: Reader) -> None:
    response = reader.get("/articles/1003")
    page = response.json()
    assert page["title"] == "고유가 피해지원금 4월 27일 지급 시작"
    # sent as UTF-8 text, not as \\u escapes that would double the bytes of every Korean character
    assert page["title"] in response.body
    assert page["previous"]["id"] == "1002" and page["next"]["id"] == "1004"
    assert page["notice"] == "이 자료는 행정안전부의 보도자료를 전재하여 제공함을 알려드립니다."
    within_agency = reader.get("/articles/1004", list="agency").json()
    assert within_agency["previous"]["id"] == "1002" and within_agency["next"] is None
    related = [r["id"] for r in reader.get("/articles/1004").json()["related"]]
    assert related[0] == "1001"  # the other 도시 데이터 허브 release
    for _ in range(3):
        reader.get("/articles/1001")
    oldest = reader.get("/articles").json()["items"][-1]
    assert reader.get("/articles/popular").json()["items"][0] == {**oldest, "views": 3}


def test_search_ranks_and_highlights_safely(reader: Reader) -> None:
    results = reader.get("/search", q="도시 데이터 허브").json()
    assert [i["id"] for i in results["items"]][:2] in (["1004", "1001"], ["1001", "1004"])
    top = results["items"][0]
    assert "<mark>" in top["snippet_html"] and "<script" not in top["snippet_html"]
    assert reader.ids("/search", q="피해지원금")[0] == "1003"


def test_embargoed_article_is_invisible_on_every_read_path_until_it_lifts(reader: Reader) -> None:
    assert "1005" not in reader.ids("/articles")
    assert "1005" not in reader.ids("/articles", agency="기상청")
    assert reader.get("/articles/1005").status == 404
    assert reader.ids("/search", q="예보기술") == []
    assert reader.get("/articles/1004").json()["next"] is None  # no neighbour link into the future
    with reader.at(datetime(2026, 4, 13, 16, 0, tzinfo=KST)):
        assert reader.ids("/articles")[0] == "1005"
        assert reader.get("/articles/1005").status == 200
        assert reader.ids("/search", q="예보기술") == ["1005"]
        assert reader.get("/articles/1004").json()["next"]["id"] == "1005"


def test_withdrawn_article_disappears_everywhere(reader: Reader, pipeline: Pipeline) -> None:
    reader.get("/articles/1001")  # a view, so it is on the popular list
    pipeline.send(
        as_json(
            {
                "NewsItemId": "1001",
                "ContentsStatus": "D",
                "ModifyId": 2,
                "ApproveDate": "04/13/2026 11:00:00",
                "MinisterCode": "국토교통부",
            }
        )
    )
    pipeline.drain()
    assert "1001" not in reader.ids("/articles")
    assert "1001" not in reader.ids("/articles", agency="국토교통부")
    assert reader.get("/articles/1001").status == 404
    assert reader.ids("/search", q="버스 정류장 혼잡") == []
    assert "1001" not in [r["id"] for r in reader.get("/articles/1004").json()["related"]]
    assert reader.get("/articles/1002").json()["previous"] is None
    assert "1001" not in reader.ids("/articles/popular")


def test_correction_is_reindexed_with_no_stale_terms(reader: Reader, pipeline: Pipeline) -> None:
    pipeline.send(
        release(
            "1003",
            "행정안전부",
            "04/12/2026 09:00:00",
            "에너지 바우처 지급 시작",
            "□ 에너지 바우처를 지급한다.",
            ContentsStatus="U",
            ModifyId=2,
        )
    )
    pipeline.drain()
    assert reader.ids("/search", q="피해지원금") == []
    assert reader.ids("/search", q="에너지 바우처") == ["1003"]
    assert reader.get("/articles/1003").json()["version"] == 2
    store = IndexStore(pipeline.stack.outputs["IndexTableName"])
    assert store.document_frequencies(["피해"]).get("피해", 0) == 0  # the counter came back down


def test_index_statistics_are_exact_under_duplicate_and_reordered_messages(
    reader: Reader, pipeline: Pipeline
) -> None:
    store = IndexStore(pipeline.stack.outputs["IndexTableName"])
    before = (store.corpus(), store.document_frequencies(["데이", "이터", "허브"]))
    sqs = boto3.client("sqs")
    for _ in range(3):  # stale duplicates of hand-offs
        sqs.send_message(
            QueueUrl=pipeline.stack.outputs["IndexQueueUrl"],
            MessageBody='{"article_id": "1004", "version": 1}',
        )
    pipeline.drain()
    assert (store.corpus(), store.document_frequencies(["데이", "이터", "허브"])) == before
    assert store.corpus()[0] == 5


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/articles", {"cursor": "not-a-cursor"}, 400),
        ("/articles", {"limit": "0"}, 422),
        ("/articles", {"kind": "rumour"}, 422),
        ("/articles", {"from": "yesterday"}, 400),
        ("/articles/1%27%3B--", {}, 400),
        ("/articles/9999", {}, 404),
        ("/search", {"q": "x" * 500}, 422),
        ("/search", {}, 422),
        ("/nowhere", {}, 404),
    ],
)
def test_bad_requests_get_problem_documents(
    reader: Reader, path: str, query: dict[str, str], status: int
) -> None:
    response = reader.get(path, **query)
    assert response.status == status, response.body
    if status != 404 or path != "/nowhere":
        problem = response.json()
        assert problem["status"] == status and problem["detail"]
