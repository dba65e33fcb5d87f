"""Train the abuse classifier (dev-only: numpy, scipy, scikit-learn) and write the model file.

    .venv/bin/python scripts/moderation/train_classifier.py [--C 0.5] [--prune 0.03] [--orders 2,3] [--dry-run]

scikit-learn, numpy and scipy come from requirements-train.lock (`make train-deps`), never from the layer.
Trains on the 'train' split of the three labelled sets (see common.split_of) plus official
press-release sentences of the 'train' half of the releases and our own clean policy comments
(scripts/moderation/data, both as clean text), reports F1 on the 'tune' split, and writes layers/common/briefing/moderation/data/abuse-classifier.bin.  The 'test' split is
never read here: scripts/moderation/evaluate.py measures on it.  liblinear is deterministic for a fixed
input, so the same data gives the same file.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import labelled, own_clean_comments, release_sentences
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from briefing.moderation.classifier import MODEL_FILE, ORDERS, load_model, save_model, text_features
from briefing.moderation.normalize import normalize

OWN_WEIGHT = 3.0  # chosen on the tune split and held-out topic probes (docs/model-card.md)


def squeezed(texts: list[str]) -> list[str]:
    return [normalize(text).squeezed.text for text in texts]


def best_f1(y: np.ndarray, prob: np.ndarray) -> tuple[float, float]:
    return max((float(f1_score(y, prob >= t)), float(t)) for t in np.arange(0.2, 0.8, 0.02))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--C", type=float, default=0.5, help="inverse L2 strength of the regression")
    parser.add_argument(
        "--min-df", type=int, default=2, help="n-grams seen in fewer training texts are dropped"
    )
    parser.add_argument("--prune", type=float, default=0.03, help="weights smaller than this are dropped")
    parser.add_argument(
        "--official-weight", type=float, default=12.0, help="weight of official sentences (negatives)"
    )
    parser.add_argument(
        "--own-weight", type=float, default=OWN_WEIGHT,
        help="weight of our own clean policy comments (scripts/moderation/data); 0 leaves them out",
    )  # fmt: skip
    parser.add_argument("--orders", default=",".join(map(str, ORDERS)), help="n-gram lengths inside a word")
    parser.add_argument("--dry-run", action="store_true", help="report tune F1 only, do not write the model")
    args = parser.parse_args()
    train, tune = labelled("train"), labelled("tune")
    official = release_sentences("train")
    own = own_clean_comments() if args.own_weight > 0 else []
    texts = squeezed([r["text"] for r in train] + official + own)
    y_train = np.array([r["abusive"] for r in train] + [0] * (len(official) + len(own)), dtype=int)
    sample_weight = np.array(
        [1.0] * len(train) + [args.official_weight] * len(official) + [args.own_weight] * len(own)
    )
    # counts, not presence: a comment's score must be the sum of its words' scores (see classifier.py)
    orders = tuple(int(o) for o in args.orders.split(","))
    vectoriser = CountVectorizer(
        analyzer=lambda text: text_features(text, orders), min_df=args.min_df, dtype=np.float32
    )
    x_train = vectoriser.fit_transform(texts)
    started = time.perf_counter()
    model = LogisticRegression(C=args.C, max_iter=3000, solver="liblinear")
    model.fit(x_train, y_train, sample_weight=sample_weight)
    fitted = time.perf_counter() - started
    tune_texts = squeezed([r["text"] for r in tune])
    y_tune = np.array([r["abusive"] for r in tune], dtype=int)
    prob = model.predict_proba(vectoriser.transform(tune_texts))[:, 1]
    best = best_f1(y_tune, prob)
    coef = model.coef_[0]
    keep = np.abs(coef) >= args.prune
    pruned = dict(zip(vectoriser.get_feature_names_out()[keep].tolist(), coef[keep].tolist(), strict=True))
    z = model.intercept_[0] + vectoriser.transform(tune_texts)[:, keep] @ coef[keep]
    pruned_best = best_f1(y_tune, 1 / (1 + np.exp(-z)))
    print(
        f"train={len(train)} (+{len(official)} official sentences, +{len(own)} own comments) tune={len(tune)} C={args.C} orders={orders} fit {fitted:.1f}s"
    )
    print(
        f"n-grams: {x_train.shape[1]} seen >= {args.min_df} times, {len(pruned)} kept with |w| >= {args.prune}"
    )
    print(f"tune F1@0.5={f1_score(y_tune, prob >= 0.5):.4f} best F1={best[0]:.4f} at {best[1]:.2f}; "
          f"pruned best F1={pruned_best[0]:.4f} at {pruned_best[1]:.2f}")  # fmt: skip
    if args.dry_run:
        return
    meta = {
        "trained_on": "train split (70%) of kmhas-valid, kocohub-train, curse-detection; "
        "official sentences of half the dev releases"
        + (f"; {len(own)} clean policy comments of our own (weight {args.own_weight:g})" if own else ""),
        "licence": "CC BY-SA 4.0",
        "C": args.C,
        "min_df": args.min_df,
        "prune": args.prune,
        "tune_best_threshold": round(pruned_best[1], 2),
    }
    save_model(MODEL_FILE, float(model.intercept_[0]), orders, pruned, meta)
    loaded = load_model()
    check = [loaded.probability(text) for text in tune_texts]
    expected = 1 / (1 + np.exp(-z))
    drift = max(abs(a - b) for a, b in zip(check, expected, strict=True))
    print(
        f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size} bytes); max |p_runtime - p_sklearn| = {drift:.6f}"
    )


if __name__ == "__main__":
    main()
