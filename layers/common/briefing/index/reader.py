"""The read side as the public sees it: lists, one article, search, most viewed.

Every method takes `now` and shows only what is public at that moment: embargo is a property of
each query, not of a job that must run on time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from briefing.index import analysis
from briefing.index.service import visible
from briefing.index.store import LIST_ALL, CursorError, IndexStore, Posting, decode_cursor, utc_key
from briefing.storage.articles import ArticleStore, record_to_release

MAX_PAGE = 50
MAX_SEARCH_PAGES = 20


class NotFoundError(LookupError):
    pass


class BadRequestError(ValueError):
    pass


def list_for(agency: str | None, kind: str | None) -> tuple[str, str | None]:
    """Which stored list serves a filter; a kind filter on an agency list is applied while reading."""
    if agency:
        return f"agency#{agency}", kind
    if kind:
        return f"kind#{kind}", None
    return LIST_ALL, None


class ReadService:
    def __init__(self, articles: ArticleStore, index: IndexStore) -> None:
        self.articles = articles
        self.index = index

    def list_articles(
        self,
        now: datetime,
        *,
        agency: str | None = None,
        kind: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> dict[str, Any]:
        list_name, kind_filter = list_for(agency, kind)
        if cursor:
            resume_after = decode_cursor(cursor, list_name)["k"]
            # Cursors are not signed: one that resumes after `now` would list embargoed articles.
            if resume_after > utc_key(min(now, until) if until else now) + "~":
                raise CursorError("the cursor points past what is published; start again without it")
        page = self.index.list_page(
            list_name, now, min(max(limit, 1), MAX_PAGE), cursor, since=since, until=until, kind=kind_filter
        )
        return {"items": [e.to_dict() for e in page.items], "next_cursor": page.cursor}

    def get_article(self, article_id: str, now: datetime, list_name: str = LIST_ALL) -> dict[str, Any]:
        state = self.index.get_state(article_id)
        if not visible(state, now):
            # Embargoed, withdrawn and unknown look the same from outside: nothing to show.
            raise NotFoundError(f"article {article_id} is not published")
        assert state is not None
        head = self.articles.get_head(article_id)
        if head is None or head.get("status") == "withdrawn":
            raise NotFoundError(f"article {article_id} is not published")
        release = record_to_release(head)
        entry = state["entry"]
        chosen = {"all": LIST_ALL, "agency": f"agency#{entry['agency']}", "kind": f"kind#{entry['kind']}"}
        if list_name not in chosen:
            raise BadRequestError("list must be one of all, agency, kind")
        neighbours = self.index.neighbours(chosen[list_name], state, now)
        views = self.index.count_view(article_id, release.publish_at or now)
        return {
            "id": article_id,
            "agency": release.agency,
            "kind": release.kind.value,
            "kind_label": release.kind.label,
            "title": release.title,
            "subtitles": release.subtitles,
            "body_html": release.body_html,
            "approved_at": release.approved_at.isoformat() if release.approved_at else None,
            "publish_at": entry["publish_at"],
            "modified_at": release.modified_at.isoformat() if release.modified_at else None,
            "version": release.version,
            "english_url": release.english_url,
            "attachments": [a.model_dump(mode="json") for a in release.attachments],
            "contacts": [c.model_dump(mode="json", exclude_none=True) for c in release.contacts],
            "licence": release.licence,
            "notice": f"이 자료는 {release.agency}의 보도자료를 전재하여 제공함을 알려드립니다.",
            "previous": neighbours["previous"].to_dict() if neighbours["previous"] else None,
            "next": neighbours["next"].to_dict() if neighbours["next"] else None,
            "related": self._visible_related(state.get("related", []), now),
            "views": views,
        }

    def _visible_related(self, related: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
        """Related lists are computed at index time; visibility is checked now (a withdrawn or
        still-embargoed neighbour must not leak through an older article's list)."""
        states = self.index.get_states([r["id"] for r in related])
        shown = []
        for item in related:
            state = states.get(item["id"])
            if visible(state, now):
                assert state is not None
                shown.append(state["entry"])
        return shown

    def search(self, query: str, now: datetime, page: int = 1, limit: int = 10) -> dict[str, Any]:
        query = query.strip()
        if not query:
            raise BadRequestError("q must not be empty")
        if len(query) > 200:
            raise BadRequestError("q is limited to 200 characters")
        if not 1 <= page <= MAX_SEARCH_PAGES:
            raise BadRequestError(f"page must be between 1 and {MAX_SEARCH_PAGES}")
        limit = min(max(limit, 1), MAX_PAGE)
        terms = analysis.query_terms(query)
        if not terms:
            return {"query": query, "total": 0, "items": [], "page": page}
        now_key = utc_key(now)
        docs, average = self.index.corpus()
        df = self.index.document_frequencies(terms)
        postings: dict[str, list[Posting]] = {}
        for term in analysis.selected_terms(terms, df, docs):  # stop-terms are never read
            postings[term] = [p for p in self.index.postings(term) if p.publish_at <= now_key]
        ranked = analysis.rank(postings, df, docs, average)
        window = ranked[(page - 1) * limit : page * limit]
        states = self.index.get_states([article_id for article_id, _ in window])
        heads = self.articles.get_heads([article_id for article_id, _ in window])
        items = []
        for article_id, score in window:
            state, head = states.get(article_id), heads.get(article_id)
            if not visible(state, now) or head is None:
                continue
            assert state is not None
            release = record_to_release(head)
            items.append(
                {
                    **state["entry"],
                    "score": round(score, 4),
                    "title_html": analysis.highlight(release.title, terms),
                    "snippet_html": analysis.snippet(release.body_text, terms),
                }
            )
        return {"query": query, "total": len(ranked), "page": page, "items": items}

    def popular(self, now: datetime, limit: int = 10, days: int = 30) -> dict[str, Any]:
        limit = min(max(limit, 1), MAX_PAGE)
        months = sorted(
            {(now - timedelta(days=d)).astimezone(UTC).strftime("%Y-%m") for d in range(0, days + 1, 1)}
        )
        candidates = self.index.most_viewed(months, limit * 2)
        states = self.index.get_states([article_id for article_id, _ in candidates])
        items = []
        for article_id, views in candidates:
            state = states.get(article_id)
            if visible(state, now):
                assert state is not None
                items.append({**state["entry"], "views": views})
        return {"items": items[:limit], "window_days": days}
