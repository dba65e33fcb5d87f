"""Known-item search evaluation: our analyser + BM25 (and variants) against SQLite FTS5.

For every release of ../shared/data/releases/newsitems-dev.jsonl, generate keyword queries the
way people type them (2–4 words from the title or the first sentence, particles kept or dropped,
spacing changed), search the whole set, and score where the source release ranks:
MRR@10 and hit@1 (and hit@10). Deterministic for a seed; several seeds give a spread.

    .venv/bin/python scripts/search/evaluate.py                  # the table
    .venv/bin/python scripts/search/evaluate.py --seeds 1 2 3    # pooled over seeds
    .venv/bin/python scripts/search/evaluate.py --misses         # also list the default's misses

kiwipiepy (morphemes) is compared when it is installed (dev only, never shipped).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from msgspec.structs import replace

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "layers" / "common"), str(REPO / "tools")]

from briefing.index.bm25 import (  # noqa: E402
    BM25Params,
    IndexDocument,
    InMemorySearchIndex,
    Posting,
    score,
)
from briefing.index.text import AnalyzerOptions  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "releases" / "newsitems-dev.jsonl"


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Release:
    doc_id: str
    agency: str
    title: str
    body: str


def load_releases(path: Path) -> list[Release]:
    """Titles and plain bodies as the ingest pipeline produces them (its parser when importable)."""
    out: list[Release] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        title, body = item["Title"], item.get("DataContents", "")
        try:
            from briefing.releases.parse import parse_payload

            parsed = parse_payload(line)[0]
            rel = getattr(parsed, "release", None)
            if rel is not None:
                title, body = rel.title, rel.body_text
        except Exception:  # the ingest core is someone else's moving target: fall back to raw fields
            pass
        out.append(Release(str(item["NewsItemId"]), item.get("MinisterCode", ""), title, body))
    return out


# ---------------------------------------------------------------- queries

# The generator's own idea of particles (users drop them); independent of the analyser's list.
GEN_PARTICLES = sorted(
    [
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "의",
        "에",
        "에서",
        "으로",
        "로",
        "와",
        "과",
        "도",
        "만",
        "까지",
        "부터",
        "에게",
        "께서",
        "처럼",
        "에는",
        "에서는",
        "으로는",
        "이라는",
    ],
    key=len,
    reverse=True,
)
GEN_STOP = set(
    [
        "이번",
        "위해",
        "통해",
        "등",
        "및",
        "관련",
        "대한",
        "따라",
        "또한",
        "이를",
        "이에",
        "앞으로",
        "있는",
        "있다",
        "한다",
        "했다",
        "밝혔다",
        "함께",
        "것으로",
        "이하",
        "지난",
        "오는",
        "인한",
        "우선",
        "대상",
        "대상으로",
        "장관",
        "장관은",
    ]
)  # words nobody searches for
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SPLIT = re.compile(r"[\s·,()\[\]{}<>「」『』｢｣“”‘’\"'/…~!?]+")
_HANGUL = re.compile(r"[가-힣]")
_PREFIX = re.compile(r"^\s*(?:[\[(（][^\])）]{1,8}[\])）]\s*)+")


def _words(text: str) -> list[str]:
    words = []
    for raw in _SPLIT.split(text):
        w = _EDGE.sub("", raw)
        if not w or w in GEN_STOP:
            continue
        hangul = len(_HANGUL.findall(w))
        if hangul == 0 and (len(w) < 2 or (w.isdigit() and len(w) < 4)):
            continue  # single letters and small bare numbers are not what people search for
        if hangul and hangul < 2:
            continue
        if hangul and re.search(r"(다|고|며|서|면|게|니다|겠다)\.?$", w) and len(w) <= 6:
            continue  # verbs ("밝혔다", "강조하며") are not search keywords
        words.append(w)
    return words


def first_sentence(body: str) -> str:
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "|")) or len(_HANGUL.findall(line)) < 10:
            continue  # headings and table rows (the agency banner) are not sentences
        line = re.sub(r"^[□○ㅇ◦•\-*❍▷▶\s]+", "", line)
        m = re.search(r"(.+?(?:다|음)\.)(?:\s|$)", line)
        return m.group(1) if m else line
    return ""


def _user_form(word: str, rng: random.Random) -> str:
    if rng.random() < 0.6 and len(word) >= 3:  # people mostly type the bare noun
        for p in GEN_PARTICLES:
            if word.endswith(p):
                return word[: -len(p)] if len(word) - len(p) >= 2 else word
    return word


def make_queries(rel: Release, rng: random.Random, per_source: int = 3) -> list[tuple[str, str]]:
    """(source, query) pairs: ``per_source`` from the title and from the first sentence."""
    out: list[tuple[str, str]] = []
    for source, text in (("title", _PREFIX.sub("", rel.title)), ("sentence", first_sentence(rel.body))):
        words = list(dict.fromkeys(_words(text)))
        if len(words) < 2:
            continue
        seen: set[str] = set()
        for _ in range(per_source * 4):
            if len(seen) >= per_source:
                break
            k = min(rng.choice((2, 3, 3, 4)), len(words))
            picked = sorted(rng.sample(range(len(words)), k))
            parts = [_user_form(words[i], rng) for i in picked]
            r = rng.random()
            long_ones = [i for i, p in enumerate(parts) if len(_HANGUL.findall(p)) >= 4 and p.isalnum()]
            if r < 0.25 and long_ones:  # 공기연장 → 공기 연장
                i = rng.choice(long_ones)
                cut = len(parts[i]) // 2
                parts[i] = parts[i][:cut] + " " + parts[i][cut:]
            elif r < 0.4 and len(parts) >= 3:  # 민간 건설현장 → 민간건설현장
                i = rng.randrange(len(parts) - 1)
                parts[i : i + 2] = [parts[i] + parts[i + 1]]
            q = " ".join(parts)
            if q not in seen:
                seen.add(q)
                out.append((source, q))
    return out


# ---------------------------------------------------------------- systems

Ranker = Callable[[str], list[str]]


def ours(releases: Sequence[Release], options: AnalyzerOptions, params: BM25Params) -> Ranker:
    index = InMemorySearchIndex(params=params, options=options)
    for r in releases:
        index.put(IndexDocument(r.doc_id, r.title, r.body, r.agency))
    return lambda q: [h.doc_id for h in index.search(q, limit=10).hits]


def generic_bm25(
    releases: Sequence[Release], analyse: Callable[[str], list[str]], params: BM25Params
) -> Ranker:
    """The same BM25 (`score`) over another analyser's terms (morphemes)."""
    postings: dict[str, list[Posting]] = {}
    total = 0
    for r in releases:
        t, b = Counter(analyse(r.title)), Counter(analyse(r.body))
        length = sum(t.values()) + sum(b.values())
        total += length
        for term in {*t, *b}:
            postings.setdefault(term, []).append(Posting(r.doc_id, t[term], b[term], length))
    n, avg = len(releases), total / len(releases)

    def rank(q: str) -> list[str]:
        terms = list(dict.fromkeys(analyse(q)))
        return [d for d, _ in score(terms, postings, n, avg, params=params)[:10]]

    return rank


def kiwi_analyser() -> Callable[[str], list[str]] | None:
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return None
    kiwi = Kiwi()
    keep = {"NNG", "NNP", "NNB", "NR", "SL", "SN", "SH", "XR", "VV", "VA"}

    def analyse(text: str) -> list[str]:
        return [t.form.lower() for t in kiwi.tokenize(text) if t.tag in keep]

    return analyse


def fts5(releases: Sequence[Release], tokenizer: str, title_weight: float, prefix: bool = False) -> Ranker:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(doc_id UNINDEXED, title, body, tokenize='{tokenizer}')")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", [(r.doc_id, r.title, r.body) for r in releases])
    min_len = 3 if tokenizer == "trigram" else 1

    def rank(q: str) -> list[str]:
        words = [w for w in _SPLIT.split(q) if len(w) >= min_len]
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' + ("*" if prefix else "") for w in words)
        rows = db.execute(
            "SELECT doc_id FROM t WHERE t MATCH ? ORDER BY bm25(t, 0.0, ?, ?) LIMIT 10",
            (match, title_weight, 1.0),
        )
        return [row[0] for row in rows]

    return rank


# ---------------------------------------------------------------- related articles

# Stories of the dev set, labelled by hand from titles and first paragraphs (not by any system).
STORIES: dict[str, set[str]] = {
    "2026 first supplementary budget (추경)": {
        "156754093",
        "156754077",
        "156754133",
        "156754052",
        "156754155",
    },
    "special performance awards (특별성과 포상)": {"156754205", "156754117", "156754149", "156754290"},
    "oceans ministry minister's schedule (동정)": {"156754280", "156754130"},
    "IP office (지식재산처)": {"156754155", "156754154"},
    "high oil price relief payment (고유가 피해지원금)": {"156754095", "156754093"},
    "farm ministry field work (농식품부)": {"156754286", "156754285", "156754209"},
}


def related_precision(releases: Sequence[Release]) -> list[tuple[str, float]]:
    """Share of a story member's top-3 related that belong to its story (capped by story size)."""
    from briefing.index.related import make_signature, related

    index = InMemorySearchIndex()
    for r in releases:
        index.put(IndexDocument(r.doc_id, r.title, r.body, r.agency))
    known = {r.doc_id for r in releases}
    signatures = {d: index.signature(d) for d in known}

    def cosine(doc_id: str) -> list[str]:
        own = signatures[doc_id]
        assert own is not None
        return [d for d, _ in related(own, [s for s in signatures.values() if s is not None], 3)]

    def precision(rank: Callable[[str], list[str]]) -> float:
        total, count = 0.0, 0
        for story in STORIES.values():
            for doc_id in story & known:
                got = set(rank(doc_id)[:3])
                total += len(got & (story - {doc_id})) / min(3, len(story) - 1)
                count += 1
        return total / max(count, 1)

    _ = make_signature  # the signatures above are make_signature's, under the final statistics
    return [
        ("more_like_this (postings, default)", precision(lambda d: [x for x, _ in index.related(d, 3)])),
        ("signature cosine", precision(cosine)),
    ]


# ---------------------------------------------------------------- metrics


@dataclass
class Scores:
    rr: float = 0.0
    hit1: int = 0
    hit10: int = 0
    n: int = 0

    def add(self, ranked: list[str], target: str) -> int | None:
        self.n += 1
        rank = ranked.index(target) + 1 if target in ranked[:10] else None
        if rank is not None:
            self.rr += 1.0 / rank
            self.hit10 += 1
            self.hit1 += rank == 1
        return rank


def systems(releases: Sequence[Release]) -> list[tuple[str, Ranker]]:
    base = BM25Params()
    best = AnalyzerOptions()  # bigrams + one-syllable stems
    bare = AnalyzerOptions(stem_unigrams=False)
    strip = replace(best, strip_particles=True)
    join = replace(best, join_spaced=True)
    out: list[tuple[str, Ranker]] = [
        ("ours: bigram only, title w=1", ours(releases, bare, replace(base, title_weight=1.0))),
        ("ours: bigram only, title w=3", ours(releases, bare, base)),
        ("ours: bigram+stems, w=1", ours(releases, best, replace(base, title_weight=1.0))),
        ("ours: bigram+stems, w=2", ours(releases, best, replace(base, title_weight=2.0))),
        ("ours: DEFAULT (bigram+stems, w=3)", ours(releases, best, base)),
        ("ours: bigram+stems, w=5", ours(releases, best, replace(base, title_weight=5.0))),
        ("ours: +query particle strip, w=3", ours(releases, strip, base)),
        ("ours: +query space join, w=3", ours(releases, join, base)),
        ("ours: +strip+join, w=3", ours(releases, replace(strip, join_spaced=True), base)),
        ("ours: DEFAULT + all unigrams", ours(releases, replace(best, unigram_all=True), base)),
        ("fts5 unicode61", fts5(releases, "unicode61", 1.0)),
        ("fts5 unicode61, title w=3", fts5(releases, "unicode61", 3.0)),
        ("fts5 unicode61 prefix*, w=3", fts5(releases, "unicode61", 3.0, prefix=True)),
        ("fts5 trigram, w=3", fts5(releases, "trigram", 3.0)),
    ]
    kiwi = kiwi_analyser()
    if kiwi is not None:
        out.append(("kiwipiepy morphemes + BM25, w=3", generic_bm25(releases, kiwi, base)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seeds", type=int, nargs="+", default=[20260413])
    ap.add_argument("--per-source", type=int, default=3, help="queries per release from title and sentence")
    ap.add_argument("--misses", action="store_true", help="list queries the default misses at rank 1")
    ap.add_argument("--stats", action="store_true", help="distinct terms per release (index items written)")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data} (needs ../shared/data)", file=sys.stderr)
        return 2
    releases = load_releases(args.data)
    if args.stats:
        from statistics import mean, median

        from briefing.index.bm25 import document_terms

        counts = [len(document_terms(r.title, r.body).terms) for r in releases]
        print(
            f"distinct terms per release: median {median(counts):.0f}, mean {mean(counts):.0f}, "
            f"max {max(counts)}, min {min(counts)}; longest body {max(len(r.body) for r in releases)} chars"
        )
        return 0
    queries: list[tuple[str, str, str]] = []  # (target, source, query)
    for seed in args.seeds:
        rng = random.Random(seed)
        for rel in releases:
            queries.extend((rel.doc_id, src, q) for src, q in make_queries(rel, rng, args.per_source))
    by_source = Counter(src for _, src, _ in queries)
    print(
        f"{len(releases)} releases, {len(queries)} queries (seeds {args.seeds}; "
        f"{by_source['title']} from titles, {by_source['sentence']} from first sentences)\n"
    )
    header = (
        f"{'system':36} {'MRR@10':>7} {'hit@1':>7} {'hit@10':>7} {'MRR title':>9} {'MRR sent':>9} {'ms/q':>6}"
    )
    print(header)
    print("-" * len(header))
    misses: list[str] = []
    for name, rank in systems(releases):
        total, per = Scores(), {"title": Scores(), "sentence": Scores()}
        started = time.perf_counter()
        for target, src, q in queries:
            ranked = rank(q)
            r = total.add(ranked, target)
            per[src].add(ranked, target)
            if name.startswith("ours: DEFAULT (") and r != 1:
                misses.append(f"  rank {r or '>10'}: {q!r} → {target}; top: {ranked[:3]}")
        ms = (time.perf_counter() - started) * 1000 / max(len(queries), 1)
        print(
            f"{name:36} {total.rr / total.n:7.3f} {total.hit1 / total.n:7.3f} {total.hit10 / total.n:7.3f} "
            f"{per['title'].rr / max(per['title'].n, 1):9.3f} "
            f"{per['sentence'].rr / max(per['sentence'].n, 1):9.3f} {ms:6.2f}"
        )
    print(f"\nrelated articles, precision of the top 3 on {len(STORIES)} hand-labelled stories:")
    for name, value in related_precision(releases):
        print(f"  {name:36} {value:.3f}")
    if args.misses:
        print(f"\nDEFAULT misses at rank 1 ({len(misses)}):")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
