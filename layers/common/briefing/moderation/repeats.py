"""R11 repeats: exact fingerprints and MinHash near-duplicate signatures, behind a small history port.

The caller owns the storage: ``InMemoryRepeatHistory`` serves the CLI and tests; the Lambda implements
the same three methods over DynamoDB (author + time for ``author_records``, a key index for
``records_with_keys``).  Keys are the fingerprint (``fp:…``) and one key per LSH band (``b0:…``), so a
near-duplicate shares at least one key with high probability when its Jaccard similarity is high.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from msgspec import Struct, field

from briefing.moderation.normalize import is_hangul, normalize

BINS = 16
BANDS = 4
EMPTY = 1 << 28


def canonical_from_squeezed(squeezed: str) -> str:
    return "".join(ch for ch in squeezed if ch.isalnum() or is_hangul(ch))


def canonical(text: str) -> str:
    """Letters and digits of the squeezed view, no spaces or punctuation: what "the same text" means."""
    return canonical_from_squeezed(normalize(text).squeezed.text)


def fingerprint_canonical(canon: str) -> str:
    return hashlib.blake2b(canon.encode(), digest_size=12).hexdigest()


def fingerprint(text: str) -> str:
    """Exact-repeat key: equal for texts that differ only in spacing, symbols, case, evasion fillers."""
    return fingerprint_canonical(canonical(text))


def signature_canonical(canon: str, size: int = 3) -> tuple[int, ...]:
    """One-permutation MinHash: each 3-shingle hashed once, the hash's low bits pick one of 16 bins,
    each bin keeps its smallest value.  Costs one CRC per shingle instead of one per shingle and bin."""
    crc = zlib.crc32
    mins = [EMPTY] * BINS
    grams = {canon[i : i + size] for i in range(max(1, len(canon) - size + 1))} if canon else set()
    for gram in grams:
        h = crc(gram.encode())
        b, v = h & 15, h >> 4
        if v < mins[b]:
            mins[b] = v
    return tuple(mins)


def signature(text: str) -> tuple[int, ...]:
    """Near-duplicate signature of a text (see ``signature_canonical``)."""
    return signature_canonical(canonical(text))


def similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures (bins empty in both are skipped)."""
    used = [(x, y) for x, y in zip(sig_a, sig_b, strict=True) if x != EMPTY or y != EMPTY]
    if not used:
        return 1.0
    return sum(x == y for x, y in used) / len(used)


def lsh_keys(fp: str, sig: Sequence[int]) -> list[str]:
    rows = max(1, len(sig) // BANDS)
    keys = [f"fp:{fp}"]
    for band in range(BANDS):
        part = ",".join(str(x) for x in sig[band * rows : (band + 1) * rows])
        keys.append(f"b{band}:{hashlib.blake2b(part.encode(), digest_size=8).hexdigest()}")
    return keys


def repeat_keys(text: str, min_chars: int) -> list[str]:
    """The keys under which the engine looks ``text`` up for R11 (none when it is too short to
    fingerprint), so that a caller can read them ahead, together with other items."""
    canon = canonical(text)
    if len(canon) < min_chars:
        return []
    return lsh_keys(fingerprint_canonical(canon), signature_canonical(canon))


class RepeatRecord(Struct, frozen=True):
    comment_id: str
    author: str
    fingerprint: str
    signature: tuple[int, ...]
    at: datetime
    article: str | None = None

    @property
    def keys(self) -> list[str]:
        return lsh_keys(self.fingerprint, self.signature)


class RepeatHistory(Protocol):
    """What the engine needs to know about earlier comments; the caller stores them."""

    def author_records(self, author: str, since: datetime) -> Sequence[RepeatRecord]:
        """The author's comments at or after ``since``."""
        ...

    def records_with_keys(self, keys: Sequence[str], since: datetime) -> Sequence[RepeatRecord]:
        """Comments by anyone at or after ``since`` sharing at least one of ``keys``."""
        ...

    def add(self, record: RepeatRecord) -> None:
        """Remember a comment (idempotent on ``comment_id``)."""
        ...


class InMemoryRepeatHistory(Struct):
    """For the CLI and tests: everything in dictionaries."""

    by_author: dict[str, list[RepeatRecord]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, list[RepeatRecord]] = field(default_factory=lambda: defaultdict(list))
    seen: set[str] = field(default_factory=set)

    def author_records(self, author: str, since: datetime) -> Sequence[RepeatRecord]:
        return [r for r in self.by_author.get(author, []) if r.at >= since]

    def records_with_keys(self, keys: Sequence[str], since: datetime) -> Sequence[RepeatRecord]:
        found: dict[str, RepeatRecord] = {}
        for key in keys:
            for r in self.by_key.get(key, []):
                if r.at >= since:
                    found[r.comment_id] = r
        return list(found.values())

    def add(self, record: RepeatRecord) -> None:
        if record.comment_id in self.seen:
            return
        self.seen.add(record.comment_id)
        self.by_author[record.author].append(record)
        for key in record.keys:
            self.by_key[key].append(record)
