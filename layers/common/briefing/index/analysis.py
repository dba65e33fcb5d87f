"""The bridge between the DynamoDB index and the pure search core (text, bm25, snippet).

The index store and service speak in plain tuples and strings; everything about Korean terms and
BM25 lives in `briefing.index.text` and `briefing.index.bm25`, and is used only through here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from briefing.index import bm25, related, text
from briefing.index import snippet as snippets
from briefing.index.store import Posting

LEAD_CHARS = 140


def document_terms(title: str, body: str) -> tuple[dict[str, tuple[int, int]], int]:
    """{term: (tf in title, tf in body)} and the document length in terms."""
    doc = bm25.document_terms(title, body)
    return {term: (stat.tf_title, stat.tf_body) for term, stat in doc.terms.items()}, doc.length


def related_articles(
    article_id: str,
    title: str,
    body: str,
    agency: str,
    df: Mapping[str, int],
    n_docs: int,
    average: float,
    read_postings: Callable[[str], Sequence[Posting]],
    agency_of: Callable[[Sequence[str]], Mapping[str, str]],
    limit: int,
) -> list[tuple[str, float]]:
    """More-like-this at index time: the article's most distinctive terms as a weighted query."""
    doc = bm25.document_terms(title, body)
    signature = related.make_signature(article_id, doc, df, max(n_docs, 1), agency=agency)
    terms = related.candidate_terms(signature)
    postings = {
        term: [bm25.Posting(p.article_id, p.tf_title, p.tf_body, p.length) for p in read_postings(term)]
        for term in terms
    }
    candidates = {p.doc_id for plist in postings.values() for p in plist} - {article_id}
    return related.more_like_this(
        signature, postings, average or 1.0, agencies=agency_of(sorted(candidates)), limit=limit
    )


def impact_rank(tf_title: int, tf_body: int, length: int, average: float) -> int:
    """Postings are stored best-first: a smaller rank is a higher BM25 term impact."""
    impact = bm25.term_impact(tf_title, tf_body, length, average)
    return 999_999 - min(999_999, round(impact * 100_000))


def query_terms(query: str) -> list[str]:
    return text.query_terms(query)


def rank(
    postings: Mapping[str, Sequence[Posting]], df: Mapping[str, int], n_docs: int, average: float
) -> list[tuple[str, float]]:
    """BM25 over the postings read for the selected query terms (see `selected_terms`)."""
    converted = {
        term: [bm25.Posting(p.article_id, p.tf_title, p.tf_body, p.length) for p in plist]
        for term, plist in postings.items()
    }
    return bm25.score(list(converted), converted, max(n_docs, 1), average or 1.0, df=df)


def selected_terms(terms: Sequence[str], df: Mapping[str, int], n_docs: int) -> list[str]:
    return bm25.select_terms(terms, df, n_docs)


def lead(body_text: str) -> str:
    """The first words of the body, for list pages."""
    flat = " ".join(body_text.split())
    return flat if len(flat) <= LEAD_CHARS else flat[: LEAD_CHARS - 1].rstrip() + "…"


def highlight(title: str, terms: Sequence[str]) -> str:
    """The title, HTML-escaped, with query matches in <mark>."""
    return snippets.highlight(title, terms)


def snippet(body_text: str, terms: Sequence[str]) -> str:
    """A window of the body around the best match, HTML-escaped, matches in <mark>."""
    return snippets.snippet(body_text, terms)
