"""Index one article: make the read side match the article's current head, idempotently.

The message only says *which* article changed; the head in the articles table says *what* it is
now. Indexing the head (not the message's version) makes duplicates, reordering and stale
messages harmless: every run converges on the same state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from msgspec import Struct

from briefing.index import analysis
from briefing.index.store import IndexPlan, IndexStore, ListEntry, list_names, shard_of, utc_key
from briefing.storage.articles import ArticleStore, record_to_text

RELATED_LIMIT = 5
RELATED_POSTINGS = 200


class IndexOutcome(Struct, frozen=True):
    article_id: str
    action: str  # indexed | removed | up-to-date | unknown
    generation: int | None = None
    items_written: int = 0


class IndexService:
    def __init__(self, articles: ArticleStore, index: IndexStore) -> None:
        self.articles = articles
        self.index = index

    def index_article(self, article_id: str) -> IndexOutcome:
        head = self.articles.get_head(article_id)
        if head is None:
            return IndexOutcome(article_id, "unknown")
        written = 0
        # A pending generation is finished first; then, if the head is newer, a new one is begun.
        # Four rounds cover: resume, begin (or find another attempt's), resume that, confirm.
        for _ in range(4):
            state = self.index.indexing_state(article_id)
            if state and not state.get("complete"):
                written += self.index.resume(state)  # continue where an earlier attempt stopped
                continue
            if state and int(state["generation"]) >= int(head["version"]):
                action = (
                    "up-to-date" if written == 0 else ("removed" if state.get("entry") is None else "indexed")
                )
                return IndexOutcome(article_id, action, int(state["generation"]), written)
            written += self.index.start(self.plan(head, state), state)
        state = self.index.get_state(article_id) or {}
        action = "removed" if state.get("entry") is None else "indexed"
        return IndexOutcome(article_id, action, state.get("generation"), written)

    def plan(self, head: dict[str, Any], previous: dict[str, Any] | None = None) -> IndexPlan:
        release = record_to_text(head)
        article_id = release.article_id
        if release.withdrawn or release.publish_at is None:
            return IndexPlan(article_id=article_id, generation=release.version, entry=None)
        publish_key = utc_key(release.publish_at)
        entry = ListEntry(
            article_id=article_id,
            title=release.title,
            agency=release.agency,
            kind=release.kind,
            publish_at=release.publish_at.isoformat(),
            version=release.version,
            lead=analysis.lead(release.body_text),
        )
        stats, length = analysis.document_terms(release.title, release.body_text)
        docs, average = self.index.corpus()
        average = average or float(length or 1)
        terms = {
            term: [tf_title, tf_body, analysis.impact_rank(tf_title, tf_body, length, average)]
            for term, (tf_title, tf_body) in stats.items()
        }
        lists = [
            f"{name}|{shard_of(name, release.publish_at)}"
            for name in list_names(release.agency, release.kind)
        ]
        counted = set((previous or {}).get("terms", {}))
        related = self.related(
            article_id, release.title, release.body_text, release.agency, list(stats), docs, average, counted
        )
        return IndexPlan(article_id, release.version, entry, publish_key, lists, terms, length, related)

    def related(
        self,
        article_id: str,
        title: str,
        body: str,
        agency: str,
        terms: list[str],
        docs: int,
        average: float,
        counted: set[str],
    ) -> list[dict[str, Any]]:
        """Content neighbours computed once, at index time (visibility is checked when read)."""
        if not terms:
            return []
        # Statistics as they will be once this article is counted (it is not yet, or only with
        # the terms of its previous version).
        df = {t: n + (0 if t in counted else 1) for t, n in self.index.document_frequencies(terms).items()}
        df.update({t: 1 for t in terms if t not in df})
        docs += 0 if counted else 1

        def agencies(ids: Sequence[str]) -> dict[str, str]:
            states = self.index.get_states(ids)
            return {i: (s.get("entry") or {}).get("agency", "") for i, s in states.items() if s.get("entry")}

        found = analysis.related_articles(
            article_id,
            title,
            body,
            agency,
            df,
            docs,
            average,
            lambda term: self.index.postings(term, RELATED_POSTINGS),
            agencies,
            RELATED_LIMIT * 2,
        )
        return [{"id": other, "score": round(score, 4)} for other, score in found]


def visible(state: dict[str, Any] | None, now: datetime) -> bool:
    """Public at `now`: indexed, not withdrawn, embargo lifted."""
    return bool(
        state and state.get("entry") and state.get("publish_key") and state["publish_key"] <= utc_key(now)
    )
