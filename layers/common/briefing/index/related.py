"""Related articles, computed at index time from compact signatures (pure functions).

A signature is a document's top-N terms by tf-idf, L2-normalised, leaving out terms no other
document has (they cannot relate it to anything) and stop-terms: small enough to store on the
article item (N=64 bigrams ≈ 1 KB). Two ways to rank, both with a small bonus for the same agency
or topic (the portal prefers the same ministry's releases among equally close ones):

* `more_like_this` (recommended at index time): the signature's heaviest terms run as a weighted
  BM25 query over the postings (Lucene's MoreLikeThis). It sees every indexed document as it is now,
  so a story's first release is found by its second even though its own signature predates it.
* `related`: cosine between stored signatures, when the candidates' signatures are at hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct

if TYPE_CHECKING:
    from briefing.index.bm25 import BM25Params, DocumentTerms, Posting

SIGNATURE_SIZE = 64
MLT_TERMS = 16  # signature terms run as the more-like-this query
STOP_DF_RATIO = 0.5  # as bm25's stop-terms: in more than half of the documents says nothing
TITLE_WEIGHT = 3.0  # title terms say what the release is about
AGENCY_BONUS = 0.15
TOPIC_BONUS = 0.10
MIN_SIMILARITY = 0.05


class Signature(Struct, frozen=True):
    """A document's weighted top terms (unit length), with what `related` prefers to match."""

    doc_id: str
    terms: tuple[tuple[str, float], ...]
    agency: str = ""
    topic: str = ""

    def as_dict(self) -> dict[str, float]:
        return dict(self.terms)


def make_signature(
    doc_id: str,
    doc: DocumentTerms,
    df: Mapping[str, int],
    n_docs: int,
    agency: str = "",
    topic: str = "",
    size: int = SIGNATURE_SIZE,
) -> Signature:
    """Top ``size`` terms by (1 + log tf) · idf; one-syllable terms and bare numbers are left out.

    ``df`` and ``n_docs`` are the corpus statistics at index time (the document itself included):
    terms only this document has (df 1) and stop-terms are left out once the corpus has 3+ documents.
    """
    n = max(n_docs, 1)
    weights: dict[str, float] = {}
    for term, stat in doc.terms.items():
        if len(term) < 2 or term.replace(".", "").isdigit():
            continue
        if n >= 3 and not 2 <= df.get(term, 1) <= STOP_DF_RATIO * n:
            continue
        tf = TITLE_WEIGHT * stat.tf_title + stat.tf_body
        if tf <= 0:
            continue
        d = min(max(df.get(term, 1), 1), n)
        weights[term] = (1.0 + math.log(tf)) * math.log(1.0 + n / d)
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:size]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return Signature(doc_id, tuple((t, w / norm) for t, w in top), agency, topic)


def similarity(a: Signature, b: Signature) -> float:
    """Cosine of two signatures (both are unit vectors over their terms)."""
    small, large = (a, b) if len(a.terms) <= len(b.terms) else (b, a)
    other = large.as_dict()
    return sum(w * other.get(t, 0.0) for t, w in small.terms)


def candidate_terms(signature: Signature, k: int = MLT_TERMS) -> list[str]:
    """The terms whose postings an indexer reads to find candidates (the heaviest ``k``)."""
    return [t for t, _ in signature.terms[:k]]


def _bonus(signature: Signature, agency: str, topic: str) -> float:
    bonus = 1.0
    if signature.agency and agency == signature.agency:
        bonus += AGENCY_BONUS
    if signature.topic and topic == signature.topic:
        bonus += TOPIC_BONUS
    return bonus


def more_like_this(
    signature: Signature,
    postings: Mapping[str, Sequence[Posting]],
    avg_len: float,
    agencies: Mapping[str, str] | None = None,
    topics: Mapping[str, str] | None = None,
    limit: int = 5,
    k: int = MLT_TERMS,
    params: BM25Params | None = None,
) -> list[tuple[str, float]]:
    """Related documents: the signature's top ``k`` terms as a weighted BM25 query, best first.

    ``postings`` holds (at most the cap of) the postings of `candidate_terms`; ``agencies`` and
    ``topics`` map candidate ids to theirs for the bonus. The score is Σ weight(term) · impact.
    """
    from briefing.index.bm25 import DEFAULT_PARAMS, term_impact

    p = params or DEFAULT_PARAMS
    totals: dict[str, float] = {}
    for term, weight in signature.terms[:k]:
        for post in postings.get(term, ()):
            if post.doc_id != signature.doc_id:
                impact = term_impact(post.tf_title, post.tf_body, post.doc_len, avg_len, p)
                totals[post.doc_id] = totals.get(post.doc_id, 0.0) + weight * impact
    scored = [
        (d, s * _bonus(signature, (agencies or {}).get(d, ""), (topics or {}).get(d, "")))
        for d, s in totals.items()
        if s >= MIN_SIMILARITY
    ]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def related(
    signature: Signature,
    candidates: Iterable[Signature],
    limit: int = 5,
    min_similarity: float = MIN_SIMILARITY,
) -> list[tuple[str, float]]:
    """The ``limit`` most similar candidates, best first; same agency/topic gets a bonus."""
    scored: list[tuple[str, float]] = []
    seen: set[str] = {signature.doc_id}
    for cand in candidates:
        if cand.doc_id in seen:
            continue
        seen.add(cand.doc_id)
        sim = similarity(signature, cand)
        if sim >= min_similarity:
            scored.append((cand.doc_id, sim * _bonus(signature, cand.agency, cand.topic)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
