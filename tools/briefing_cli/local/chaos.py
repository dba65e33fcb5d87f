"""Fault-injection scenarios for the whole pipeline: inputs, end-state snapshots, and the counts
that matter (lost, duplicated, decided twice), compared with a run of the same input without faults.

Used by tests/e2e/test_chaos.py and scripts/soak.py. The end state is read from the tables
themselves, not from what the handlers said they did.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from briefing.releases.embargo import KST
from briefing_cli.local.pipeline import RunOptions, RunResult, run, scan_table

NOW = datetime(2026, 4, 14, tzinfo=KST)  # every dev release is public by then

# Comments with distinctive texts and personal data: what moderation decides, and what no log may hold.
COMMENT_TEXTS = [
    "보도자료 잘 읽었습니다. 현장 설명회 일정도 알려주시면 좋겠습니다 (참새미나리 확인용 문구).",
    "문의는 제 휴대폰 010-4823-1957로 연락 주세요. 담당자 회신 부탁드립니다.",
    "자세한 자료를 hong.gildong1984@example.co.kr 로 보내 주실 수 있나요?",
    "주민등록번호 850101-1234567 을 적으면 신청이 되나요? 절차가 궁금합니다.",
    "정책 취지에 공감합니다. 지역 주민 의견도 충분히 들어 주세요 (푸른고래달빛 확인용 문구).",
    "사무실 전화 02-2100-7755, 팩스 02-2100-7756 입니다. 협조 요청드립니다.",
    "이런 것도 정책이라고 내놓냐 멍청한 놈들아",
    "지원 대상 기준이 모호합니다. 소상공인도 포함되는지 명확히 해 주세요.",
]


@dataclass
class Scenario:
    deliveries: list[dict[str, Any]]  # NewsItem JSON objects, in the order the agency sends them
    expected: dict[str, tuple[int, str]]  # article id → (newest version, "published" | "withdrawn")
    comments: list[dict[str, Any]]

    @property
    def sent_versions(self) -> set[tuple[str, int]]:
        return {(str(d["NewsItemId"]), int(d["ModifyId"])) for d in self.deliveries}

    def write_feed(self, path: Path) -> Path:
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in self.deliveries), "utf-8")
        return path


def dev_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def build_scenario(
    rows: list[dict[str, Any]],
    *,
    articles: int,
    corrections: int,
    withdrawals: int,
    seed: int,
    comments: int = len(COMMENT_TEXTS),
) -> Scenario:
    """`articles` releases, each sent twice; the first `corrections` corrected (version 2, sent
    twice), the next `withdrawals` withdrawn (version 2, sent twice); all shuffled, so versions
    arrive out of order. Comments go to the articles that stay published, one author each."""
    chosen = rows[:articles]
    expected = {row["NewsItemId"]: (1, "published") for row in chosen}
    deliveries = [row for row in chosen for _ in range(2)]
    for row in chosen[:corrections]:
        fixed = dict(row, ContentsStatus="U", ModifyId=2, Title=row["Title"] + " (정정)")
        deliveries += [fixed, fixed]
        expected[row["NewsItemId"]] = (2, "published")
    for row in chosen[corrections : corrections + withdrawals]:
        withdrawn = dict(row, ContentsStatus="D", ModifyId=2)
        deliveries += [withdrawn, withdrawn]
        expected[row["NewsItemId"]] = (2, "withdrawn")
    random.Random(seed).shuffle(deliveries)
    published = [i for i, (_, status) in expected.items() if status == "published"]
    posted = [
        {
            "id": f"c{n + 1}",
            "article_id": published[n % len(published)],
            "author": f"citizen-{n + 1}",
            "display_name": "김시민",
            "text": COMMENT_TEXTS[n % len(COMMENT_TEXTS)],
        }
        for n in range(comments)
    ]
    return Scenario(deliveries, expected, posted)


def run_scenario(
    scenario: Scenario, folder: Path, *, chaos: float = 0.0, seed: int = 0, crash_rate: float = 0.0
) -> RunResult:
    """The whole pipeline on the scenario (inside `embedded_aws()`): submit, drain, comment, drain."""
    feed = scenario.write_feed(folder / f"deliveries-{chaos}-{seed}-{crash_rate}.jsonl")
    options = RunOptions(
        releases=[feed], comments=scenario.comments, now=NOW, chaos=chaos, seed=seed, crash_rate=crash_rate
    )
    return run(options)


@dataclass
class EndState:
    """What the tables hold, in a form two runs of the same input can be compared by.

    Left out on purpose: comment ids (made up when posted), postings' impact ranks and related
    lists (both use corpus statistics as they were when the article was indexed, so they depend
    on the order articles happened to be indexed in), view counters."""

    heads: dict[str, tuple[int, str, str]]  # id → (version, status, title)
    versions: list[tuple[str, int]]  # (id, version) of every version item
    lists: dict[str, dict[str, Any]]  # "<pk>|<sk>" → entry
    shards: dict[str, list[str]]  # list → registered shards that hold entries (empty ones depend on order)
    unregistered: int  # list entries in a shard their list does not name: invisible to readers
    postings: list[tuple[str, str, int, int, int, str]]  # term, id, tf title, tf body, length, publish
    df: dict[str, int]  # non-zero document frequencies
    corpus: tuple[int, int]  # documents, total length
    states: dict[str, tuple[int, bool, Any]]  # id → (generation, complete, entry)
    pending_steps: int  # STEPS# records left behind (0 when every generation completed)
    comments: dict[tuple[str, str], tuple[str, list[str]]]  # (article, author) → (status, rules)
    audits: dict[tuple[str, str], int]  # (article, author) → audit records
    duplicates: dict[str, int] = field(default_factory=dict)

    def comparable(self) -> dict[str, Any]:
        """What two runs of one input must agree on. Not the stored versions: a version 1 that
        arrives after its correction is stale and not kept, so which are kept depends on order."""
        return {k: v for k, v in self.__dict__.items() if k not in ("duplicates", "versions")}

    def differences(self, other: EndState) -> list[str]:
        mine, theirs = self.comparable(), other.comparable()
        return [k for k in mine if mine[k] != theirs[k]]


def end_state(outputs: dict[str, str]) -> EndState:
    articles = scan_table(outputs["ArticlesTableName"])
    heads = {
        i["article_id"]: (int(i["version"]), str(i.get("status", "")), str(i["title"]))
        for i in articles
        if i["sk"] == "HEAD"
    }
    versions = sorted((str(i["article_id"]), int(i["sk"][2:])) for i in articles if i["sk"].startswith("V#"))
    index = scan_table(outputs["IndexTableName"])
    lists = {
        f"{i['pk']}|{i['sk']}": {k: v for k, v in i.items() if k not in ("pk", "sk")}
        for i in index
        if i["pk"].startswith("L#")
    }
    registered = {i["pk"][3:]: set(i.get("shards", [])) for i in index if i["pk"].startswith("LM#")}
    held = {tuple(i["pk"][2:].rsplit("#", 1)) for i in index if i["pk"].startswith("L#")}  # (list, shard)
    shards = {
        f"LM#{name}": sorted(s for s in found if (name, s) in held) for name, found in registered.items()
    }
    unregistered = sum(1 for name, shard in held if shard not in registered.get(name, set()))
    postings = sorted(
        (i["pk"][2:], i["id"], int(i["tt"]), int(i["tb"]), int(i["len"]), i["pub"])
        for i in index
        if i["pk"].startswith("T#")
    )
    df = {
        i["pk"][3:]: int(i.get("df", 0)) for i in index if i["pk"].startswith("DF#") and int(i.get("df", 0))
    }
    corpus = next(
        ((int(i.get("docs", 0)), int(i.get("total_len", 0))) for i in index if i["pk"] == "STATS"), (0, 0)
    )
    states = {
        i["article_id"]: (int(i["generation"]), bool(i["complete"]), i.get("entry"))
        for i in index
        if i["sk"] == "STATE"
    }
    pending_steps = sum(1 for i in index if str(i["sk"]).startswith("STEPS#"))
    comments_table = scan_table(outputs["CommentsTableName"])
    by_id = {i["pk"]: i for i in comments_table if i["sk"] == "COMMENT"}
    key_of = {pk: (str(c.get("article_id")), str(c.get("author"))) for pk, c in by_id.items()}
    comments = {
        key_of[pk]: (str(c.get("status")), sorted((c.get("decision") or {}).get("rules", [])))
        for pk, c in by_id.items()
    }
    audits = Counter(key_of[i["pk"]] for i in comments_table if str(i["sk"]).startswith("AUDIT#"))
    # the same article twice in one list, or twice under one term (two ranks): duplicated entries
    in_lists = Counter((i["pk"], i["id"]) for i in index if i["pk"].startswith("L#"))
    in_postings = Counter((i["pk"], i["id"]) for i in index if i["pk"].startswith("T#"))
    duplicates = {
        "list_entries": sum(n - 1 for n in in_lists.values() if n > 1),
        "postings": sum(n - 1 for n in in_postings.values() if n > 1),
    }
    return EndState(
        heads,
        versions,
        lists,
        shards,
        unregistered,
        postings,
        df,
        corpus,
        states,
        pending_steps,
        comments,
        dict(audits),
        duplicates,
    )


def figures(scenario: Scenario, state: EndState, result: RunResult) -> dict[str, Any]:
    """Per run: releases in/stored/indexed/lost/duplicated, comments in/decided/lost/decided twice,
    faults, crashes, dead letters, calls."""
    expected = scenario.expected
    stored = sum(
        1
        for i, (version, status) in expected.items()
        if i in state.heads
        and state.heads[i][0] == version
        and (state.heads[i][1] == "withdrawn") == (status == "withdrawn")
    )
    indexed = sum(
        1
        for i, (version, status) in expected.items()
        if (s := state.states.get(i))
        and s[0] == version
        and s[1]
        and ((s[2] is None) == (status == "withdrawn"))
    )
    accepted = [c for c in result.report["comments"] if c.get("action") != "refused"]
    decided = sum(1 for n in state.audits.values() if n >= 1)
    report = result.report
    return {
        "releases_in": len(scenario.deliveries),
        "articles": len(expected),
        "stored": stored,
        "indexed": indexed,
        "lost": len(expected) - min(stored, indexed),
        "duplicated": sum(state.duplicates.values()),
        "comments_in": len(accepted),
        "comments_decided": decided,
        "comments_lost": len(accepted) - decided,
        "comments_decided_twice": sum(1 for n in state.audits.values() if n > 1),
        "faults": report["faults_injected"],
        "crashes": report["drain"]["process_crashes"],
        "failed_records": report["drain"]["failed_records"],
        "dead_letters": report["dead_letter_queues"],
        "calls": report["aws_calls"]["total"],
        "calls_by_function": report["aws_calls"].get("by_function", {}),
        "seconds": round(result.seconds, 1),
    }
