"""Train the abuse classifier (dev-only: numpy, scipy, scikit-learn) and write the model file.

    .venv/bin/python scripts/moderation/train_classifier.py [--bits 18] [--C 4]

Trains on the 'train' split of the three labelled sets (see common.split_of), reports F1 on the 'tune'
split, and writes layers/common/briefing/moderation/data/abuse-classifier.bin.  The 'test' split is
never read here: scripts/moderation/evaluate.py measures on it.
"""

from __future__ import annotations

import argparse

import numpy as np
from common import labelled, release_sentences
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from briefing.moderation.classifier import MODEL_FILE, features, load_model, save_model
from briefing.moderation.normalize import normalize


def matrix(texts: list[str], bits: int, orders: tuple[int, ...]) -> csr_matrix:
    rows, cols = [], []
    for r, text in enumerate(texts):
        idx = features(normalize(text).squeezed.text, bits, orders)
        rows.extend([r] * len(idx))
        cols.extend(idx)
    data = np.ones(len(rows), dtype=np.float32)
    m = csr_matrix((data, (rows, cols)), shape=(len(texts), 1 << bits))
    m.sum_duplicates()
    return m


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bits", type=int, default=20)
    parser.add_argument("--C", type=float, default=2.0)
    parser.add_argument("--orders", default="1,2,3,4")
    parser.add_argument(
        "--official-weight", type=float, default=12.0, help="weight of official sentences (negatives)"
    )
    parser.add_argument("--dry-run", action="store_true", help="report tune F1 only, do not write the model")
    args = parser.parse_args()
    orders = tuple(int(x) for x in args.orders.split(","))
    train, tune = labelled("train"), labelled("tune")
    official = release_sentences("train")
    texts = [r["text"] for r in train] + official
    x_train = matrix(texts, args.bits, orders)
    y_train = np.array([r["abusive"] for r in train] + [0] * len(official), dtype=int)
    weights = np.array([1.0] * len(train) + [args.official_weight] * len(official))
    model = LogisticRegression(C=args.C, max_iter=3000, solver="liblinear")
    model.fit(x_train, y_train, sample_weight=weights)
    x_tune = matrix([r["text"] for r in tune], args.bits, orders)
    y_tune = np.array([r["abusive"] for r in tune], dtype=int)
    prob = model.predict_proba(x_tune)[:, 1]
    best = max((f1_score(y_tune, prob >= t), t) for t in np.arange(0.2, 0.8, 0.02))
    print(f"official negatives={len(official)} from the 'train' half of the releases")
    print(f"train={len(train)} tune={len(tune)} bits={args.bits} C={args.C} orders={orders}")
    print(f"tune F1@0.5={f1_score(y_tune, prob >= 0.5):.4f} best F1={best[0]:.4f} at threshold {best[1]:.2f}")
    if args.dry_run:
        return
    meta = {
        "trained_on": "train split (70%) of kmhas-valid, kocohub-train, curse-detection; official sentences of half the dev releases",
        "licence": "CC BY-SA 4.0",
        "tune_best_threshold": round(float(best[1]), 2),
    }
    save_model(MODEL_FILE, args.bits, orders, float(model.intercept_[0]), model.coef_[0].tolist(), meta)
    loaded = load_model()
    check = [loaded.probability(normalize(r["text"]).squeezed.text) for r in tune[:200]]
    drift = max(abs(a - b) for a, b in zip(check, prob[:200], strict=True))
    print(
        f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size} bytes); max |p_runtime - p_sklearn| = {drift:.5f}"
    )


if __name__ == "__main__":
    main()
