"""BM25 over a storage-agnostic inverted index, and an in-memory index implementing it.

The DynamoDB store keeps, per term, postings ``(doc_id, tf_title, tf_body, doc_len)`` ordered by
`term_impact`, per-term document frequencies, and the corpus size and total length. A query reads
the df of its terms, drops stop-terms (`select_terms`), reads at most ``posting_cap`` postings of each
remaining term, highest impact first, and ranks with `score`. Fields are merged BM25F-style: the
title's term frequency counts ``title_weight`` times. `InMemorySearchIndex` runs the very same steps,
so its behaviour (including the caps) is what the DynamoDB store must reproduce.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from msgspec import Struct, field

from briefing.index.related import Signature, candidate_terms, make_signature, more_like_this
from briefing.index.text import DEFAULT_OPTIONS, AnalyzerOptions, analyze, query_terms


class BM25Params(Struct, frozen=True):
    """Ranking constants; title_weight was measured (docs/search.md), k1/b are the usual values."""

    k1: float = 1.2
    b: float = 0.75
    title_weight: float = 3.0
    # A term in more than this share of the documents is a stop-term: not read, not scored
    # (unless every query term is one). Only applies once the corpus has min_docs_for_stop documents.
    stop_df_ratio: float = 0.5
    min_docs_for_stop: int = 20
    # At most this many postings are read per term, highest impact first.
    posting_cap: int = 1000


DEFAULT_PARAMS = BM25Params()


class TermStat(Struct, frozen=True):
    """How often one term occurs in a document's title and body."""

    tf_title: int = 0
    tf_body: int = 0


class DocumentTerms(Struct, frozen=True):
    """A document's index terms: what an indexer writes as postings. ``length`` = title + body terms."""

    terms: dict[str, TermStat]
    title_len: int
    body_len: int

    @property
    def length(self) -> int:
        return self.title_len + self.body_len


class Posting(Struct, frozen=True):
    """One entry of a term's posting list (doc_len denormalised so scoring needs no other read)."""

    doc_id: str
    tf_title: int
    tf_body: int
    doc_len: int


class IndexDocument(Struct, frozen=True):
    """What the search index needs of an article: its id, texts, agency and optional topic."""

    doc_id: str
    title: str
    body: str
    agency: str = ""
    topic: str = ""


class Hit(Struct, frozen=True):
    doc_id: str
    score: float


class SearchResults(Struct, frozen=True):
    """One page of hits, and how many visible documents matched (of those read under the caps)."""

    hits: list[Hit]
    total: int


@runtime_checkable
class SearchIndex(Protocol):
    """What the API and the index handler need; DynamoDB, in-memory or OpenSearch behind it."""

    def put(self, doc: IndexDocument) -> None:
        """Index a document, replacing any earlier version of the same doc_id (a correction)."""
        ...

    def remove(self, doc_id: str) -> None:
        """Forget a document entirely (withdrawal); unknown ids are ignored (idempotent)."""
        ...

    def search(
        self,
        q: str,
        limit: int = 10,
        offset: int = 0,
        visible: Callable[[str], bool] | None = None,
    ) -> SearchResults:
        """Best matches of a free-text query; ``visible`` hides embargoed/withdrawn ids before paging."""
        ...


def document_terms(title: str, body: str, options: AnalyzerOptions = DEFAULT_OPTIONS) -> DocumentTerms:
    """Per-term title and body frequencies of a document, and its field lengths (pure)."""
    title_terms = analyze(title, options)
    body_terms = analyze(body, options)
    t_counts, b_counts = Counter(title_terms), Counter(body_terms)
    terms = {
        t: TermStat(t_counts.get(t, 0), b_counts.get(t, 0)) for t in dict.fromkeys([*t_counts, *b_counts])
    }
    return DocumentTerms(terms, len(title_terms), len(body_terms))


def idf(df: int, n_docs: int) -> float:
    """Lucene's BM25 idf: always positive, so a very common term never subtracts."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def term_impact(
    tf_title: int, tf_body: int, doc_len: int, avg_len: float, params: BM25Params = DEFAULT_PARAMS
) -> float:
    """The BM25 term-frequency part of a posting (no idf): the order in which postings are read.

    A store computes it with the average length known at write time; `score` recomputes it with
    the current one, so a drifting average only perturbs which postings fall under the cap.
    """
    tf = params.title_weight * tf_title + tf_body
    if tf <= 0:
        return 0.0
    norm = params.k1 * (1.0 - params.b + params.b * doc_len / max(avg_len, 1e-9))
    return tf * (params.k1 + 1.0) / (tf + norm)


def is_stop_term(df: int, n_docs: int, params: BM25Params = DEFAULT_PARAMS) -> bool:
    return n_docs >= params.min_docs_for_stop and df > params.stop_df_ratio * n_docs


def select_terms(
    terms: Sequence[str], df: Mapping[str, int], n_docs: int, params: BM25Params = DEFAULT_PARAMS
) -> list[str]:
    """The query terms worth reading postings for: known ones, stop-terms dropped unless all are."""
    known = [t for t in dict.fromkeys(terms) if df.get(t, 0) > 0]
    kept = [t for t in known if not is_stop_term(df[t], n_docs, params)]
    return kept or known


def score(
    terms: Sequence[str],
    postings: Mapping[str, Sequence[Posting]],
    n_docs: int,
    avg_len: float,
    df: Mapping[str, int] | None = None,
    params: BM25Params = DEFAULT_PARAMS,
) -> list[tuple[str, float]]:
    """BM25 scores of every document in the given postings, best first (ties: doc_id).

    ``df`` gives the true document frequencies; without it the posting-list lengths are used,
    which is only right when the lists were not cut by the cap.
    """
    totals: dict[str, float] = {}
    for term in dict.fromkeys(terms):
        plist = postings.get(term, ())
        if not plist:
            continue
        weight = idf(df[term] if df is not None and term in df else len(plist), n_docs)
        for p in plist:
            impact = term_impact(p.tf_title, p.tf_body, p.doc_len, avg_len, params)
            totals[p.doc_id] = totals.get(p.doc_id, 0.0) + weight * impact
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


class _Indexed(Struct):
    terms: DocumentTerms
    agency: str
    topic: str


class InMemorySearchIndex(Struct):
    """The reference SearchIndex: dictionaries, the same caps and steps as the DynamoDB store."""

    params: BM25Params = DEFAULT_PARAMS
    options: AnalyzerOptions = DEFAULT_OPTIONS
    _docs: dict[str, _Indexed] = field(default_factory=dict)
    _postings: dict[str, dict[str, Posting]] = field(default_factory=dict)
    _total_len: int = 0

    # -- corpus statistics (what the store keeps in its stats items) --
    @property
    def n_docs(self) -> int:
        return len(self._docs)

    @property
    def avg_len(self) -> float:
        return self._total_len / self.n_docs if self._docs else 0.0

    def df(self, term: str) -> int:
        return len(self._postings.get(term, ()))

    def terms(self) -> set[str]:
        """Every term with at least one posting (tests check no stale term survives)."""
        return set(self._postings)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    # -- SearchIndex --
    def put(self, doc: IndexDocument) -> None:
        self.remove(doc.doc_id)
        dt = document_terms(doc.title, doc.body, self.options)
        for term, stat in dt.terms.items():
            self._postings.setdefault(term, {})[doc.doc_id] = Posting(
                doc.doc_id, stat.tf_title, stat.tf_body, dt.length
            )
        self._total_len += dt.length
        self._docs[doc.doc_id] = _Indexed(dt, doc.agency, doc.topic)

    def remove(self, doc_id: str) -> None:
        old = self._docs.pop(doc_id, None)
        if old is None:
            return
        for term in old.terms.terms:
            plist = self._postings.get(term)
            if plist is not None:
                plist.pop(doc_id, None)
                if not plist:
                    del self._postings[term]
        self._total_len -= old.terms.length

    def search(
        self,
        q: str,
        limit: int = 10,
        offset: int = 0,
        visible: Callable[[str], bool] | None = None,
    ) -> SearchResults:
        ranked = self.rank(query_terms(q, self.options))
        if visible is not None:
            ranked = [(d, s) for d, s in ranked if visible(d)]
        page = ranked[max(offset, 0) : max(offset, 0) + max(limit, 0)]
        return SearchResults([Hit(d, s) for d, s in page], len(ranked))

    def rank(self, terms: Iterable[str]) -> list[tuple[str, float]]:
        """Ranked doc ids for analysed query terms, reading postings under the store's caps."""
        n = self.n_docs
        dfs = {t: self.df(t) for t in dict.fromkeys(terms)}
        chosen = select_terms(list(dfs), dfs, n, self.params)
        avg = self.avg_len
        postings = {term: self._capped(term, avg) for term in chosen}
        return score(chosen, postings, n, avg, dfs, self.params)

    def _capped(self, term: str, avg: float) -> list[Posting]:
        """A term's postings, highest impact first, cut at the cap: what the store's query returns."""
        plist = sorted(
            self._postings.get(term, {}).values(),
            key=lambda p: (-term_impact(p.tf_title, p.tf_body, p.doc_len, avg, self.params), p.doc_id),
        )
        return plist[: self.params.posting_cap]

    # -- related articles (computed from signatures, as the indexer does at write time) --
    def signature(self, doc_id: str) -> Signature | None:
        """The document's signature under the current corpus statistics."""
        entry = self._docs.get(doc_id)
        if entry is None:
            return None
        dfs = {t: self.df(t) for t in entry.terms.terms}
        return make_signature(doc_id, entry.terms, dfs, self.n_docs, entry.agency, entry.topic)

    def related(
        self, doc_id: str, limit: int = 5, visible: Callable[[str], bool] | None = None
    ) -> list[tuple[str, float]]:
        """Related articles (more-like-this over the capped postings), visible ones only."""
        own = self.signature(doc_id)
        if own is None:
            return []
        postings = {
            t: [p for p in self._capped(t, self.avg_len) if visible is None or visible(p.doc_id)]
            for t in candidate_terms(own)
        }
        agencies = {d: e.agency for d, e in self._docs.items()}
        topics = {d: e.topic for d, e in self._docs.items()}
        return more_like_this(own, postings, self.avg_len, agencies, topics, limit, params=self.params)
