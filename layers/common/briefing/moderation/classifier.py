"""Abuse classifier: a hashed character n-gram logistic regression, scored in pure Python.

The model file is a small header line (JSON) followed by int16 weights, ``2**bits`` of them.  Training
(scripts/moderation/train_classifier.py) uses scikit-learn once on a developer machine; here only the
standard library runs, so a Lambda cold start pays a file read and no numpy import.
"""

from __future__ import annotations

import json
import math
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("data") / "abuse-classifier.bin"

# Policy thresholds calibrated for the model file above (scripts/moderation/evaluate.py measures them).
CLASSIFIER_REVIEW_AT = 0.45
# above 1: the classifier alone never rejects (measured: it costs precision)
CLASSIFIER_REJECT_AT = 1.01
# an explicit lexicon word rejects only when the classifier does not find the comment clearly benign
# ("존나 힘듬" is casual, "존나 못생긴 새끼" is abuse); below this probability it is held for review
LEXICON_REJECT_MIN_PROBABILITY = 0.2


def features(squeezed: str, bits: int, orders: tuple[int, ...] = (2, 3, 4)) -> list[int]:
    """Hashed indices of the character n-grams of the whole text (space-padded, so word edges and
    word pairs show) and of its words.  UTF-32 makes every character 4 bytes, so an n-gram is a plain
    byte slice and all hashing runs in comprehensions over C calls."""
    mask = (1 << bits) - 1
    crc = zlib.crc32
    words = squeezed.split()
    raw = (" " + " ".join(words) + " ").encode("utf-32-le")
    n = len(raw) // 4
    out = [crc(raw[4 * i : 4 * (i + o)]) & mask for o in orders for i in range(n - o + 1)]
    out += [crc(b"w:" + w.encode()) & mask for w in words]
    return out


@dataclass(frozen=True, slots=True)
class AbuseClassifier:
    bits: int
    orders: tuple[int, ...]
    scale: float
    bias: float
    weights: array[int]

    def probability(self, squeezed: str) -> float:
        """P(abusive) for the squeezed view of a comment."""
        idx = features(squeezed, self.bits, self.orders)
        if not idx:
            return 1.0 / (1.0 + math.exp(-self.bias))
        z = self.bias + self.scale * sum(map(self.weights.__getitem__, idx))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


def save_model(
    path: Path, bits: int, orders: tuple[int, ...], bias: float, weights: list[float], meta: dict
) -> None:
    peak = max(abs(x) for x in weights) or 1.0
    scale = peak / 32767.0
    quantised = array("h", (round(x / scale) for x in weights))
    header = {"bits": bits, "orders": list(orders), "scale": scale, "bias": bias, **meta}
    with path.open("wb") as fh:
        fh.write(json.dumps(header, ensure_ascii=False).encode() + b"\n")
        fh.write(quantised.tobytes())


def load_model(path: Path = MODEL_FILE) -> AbuseClassifier:
    raw = path.read_bytes()
    newline = raw.index(b"\n")
    header = json.loads(raw[:newline])
    weights = array("h")
    weights.frombytes(raw[newline + 1 :])
    if len(weights) != 1 << header["bits"]:
        raise ValueError(f"model file {path} has {len(weights)} weights, expected 2**{header['bits']}")
    return AbuseClassifier(header["bits"], tuple(header["orders"]), header["scale"], header["bias"], weights)
