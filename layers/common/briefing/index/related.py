"""Related articles, computed at index time from compact signatures (pure functions).

A signature is a document's top-N terms by tf-idf, L2-normalised: small enough to store on the
article item (N=32 bigrams ≈ 400 bytes). Similarity is the cosine of two signatures; the same
agency or topic multiplies it by a small bonus, so among equally close releases the portal prefers
the same ministry's. Candidates are the documents found in the postings of the signature's terms
(the indexer reads a few postings per term: `candidate_terms`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.index.bm25 import DocumentTerms

SIGNATURE_SIZE = 32
TITLE_WEIGHT = 3.0  # title terms say what the release is about
AGENCY_BONUS = 0.15
TOPIC_BONUS = 0.10
MIN_SIMILARITY = 0.05


@dataclass(frozen=True, slots=True)
class Signature:
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

    ``df`` and ``n_docs`` are the corpus statistics at index time (the document itself included).
    """
    n = max(n_docs, 1)
    weights: dict[str, float] = {}
    for term, stat in doc.terms.items():
        if len(term) < 2 or term.replace(".", "").isdigit():
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


def candidate_terms(signature: Signature, k: int = 8) -> list[str]:
    """The terms whose postings an indexer reads to find candidates (the heaviest ``k``)."""
    return [t for t, _ in signature.terms[:k]]


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
        if sim < min_similarity:
            continue
        bonus = 1.0
        if signature.agency and cand.agency == signature.agency:
            bonus += AGENCY_BONUS
        if signature.topic and cand.topic == signature.topic:
            bonus += TOPIC_BONUS
        scored.append((cand.doc_id, sim * bonus))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
