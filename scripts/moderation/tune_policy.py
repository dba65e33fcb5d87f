"""Choose the reject-vs-review policy on validation data only (never the held-out test split).

    .venv/bin/python scripts/moderation/tune_policy.py [--show 20]

Validation = the 'tune' split (scored by the shipped model, which never saw it) plus the 'train' split
scored out of fold (5 folds, the recipe of train_classifier.py: each fold's model never saw the rows it
scores).  The lexicon is hand-written, not trained, so the train rows are fair evidence about how often
a term's rejects are labelled clean.  Prints, on tune alone and on the whole validation set:
* reject precision and flagged F1 of the current policy and of candidate gates;
* per lexicon label and per matched term: rejects, how many of them are labelled clean, and how many of
  those the probability gate would move to review.
"""

from __future__ import annotations

import argparse
import zlib
from collections import Counter, defaultdict

import numpy as np
from common import labelled, release_sentences
from msgspec.structs import replace
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from briefing.moderation import CommentInput, ModerationSettings, get_engine
from briefing.moderation.classifier import ORDERS, text_features
from briefing.moderation.engine import ACTION_RANK, _action_of, decide, official_register
from briefing.moderation.findings import Finding
from briefing.moderation.normalize import normalize

Record = tuple[dict, list[Finding], float | None, bool, str]


def out_of_fold(rows: list[dict], folds: int = 5) -> list[float]:
    """P(abusive) of each train row from a model trained (as train_classifier.py does) without it."""
    official = [normalize(t).squeezed.text for t in release_sentences("train")]
    texts = [normalize(r["text"]).squeezed.text for r in rows]
    y = np.array([r["abusive"] for r in rows], dtype=int)
    fold = np.array([zlib.crc32(r["id"].encode() + b"#fold") % folds for r in rows])
    prob = np.zeros(len(rows))
    for k in range(folds):
        fit = [t for t, f in zip(texts, fold, strict=True) if f != k] + official
        y_fit = np.concatenate([y[fold != k], np.zeros(len(official), dtype=int)])
        weight = np.concatenate([np.ones(int((fold != k).sum())), np.full(len(official), 12.0)])
        vec = CountVectorizer(analyzer=lambda t: text_features(t, ORDERS), min_df=2, dtype=np.float32)
        x = vec.fit_transform(fit)
        model = LogisticRegression(C=0.5, max_iter=3000, solver="liblinear")
        model.fit(x, y_fit, sample_weight=weight)
        coef = model.coef_[0] * (np.abs(model.coef_[0]) >= 0.03)
        held = [t for t, f in zip(texts, fold, strict=True) if f == k]
        z = model.intercept_[0] + vec.transform(held) @ coef
        prob[fold == k] = 1 / (1 + np.exp(-z))
    return prob.tolist()


def records(split: str) -> list[Record]:
    engine = get_engine()
    rows = labelled(split)
    no_clf = replace(ModerationSettings(), use_classifier=False)
    squeezed = [normalize(r["text"]).squeezed.text for r in rows]
    if split == "train":
        probs: list[float | None] = list(out_of_fold(rows))
    else:
        probs = [engine.classifier.probability(s) for s in squeezed]
    out = []
    for row, sq, prob in zip(rows, squeezed, probs, strict=True):
        norm = normalize(row["text"])
        found, _ = engine.findings(CommentInput(row["id"], row["text"]), norm, no_clf)
        out.append((row, found, prob if sq.strip() else None, official_register(norm.base.text), split))
    return out


def actions(recs: list[Record], settings: ModerationSettings) -> list[str]:
    """Replays ModerationEngine.findings + decide with the given settings (as evaluate.py does)."""
    out = []
    for row, found, prob, official, _ in recs:
        extra = list(found)
        if prob is not None and prob >= settings.classifier_review_at and not official:
            extra.append(Finding(4, 0, len(row["text"]), row["text"][:60], "classifier.abuse", prob))
        out.append(decide(row["id"], extra, settings, prob).action)
    return out


def figures(recs: list[Record], acts: list[str]) -> str:
    c: Counter[str] = Counter()
    for (row, *_), act in zip(recs, acts, strict=True):
        flagged = ACTION_RANK[act] >= 1
        c[("tp" if row["abusive"] else "fp") if flagged else ("fn" if row["abusive"] else "tn")] += 1
        if act == "reject":
            c["rtp" if row["abusive"] else "rfp"] += 1
    p = c["tp"] / max(1, c["tp"] + c["fp"])
    r = c["tp"] / max(1, c["tp"] + c["fn"])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    rej = c["rtp"] + c["rfp"]
    recall = c["rtp"] / max(1, c["tp"] + c["fn"])
    return (
        f"F1={f1:.4f} reject precision={c['rtp'] / max(1, rej):.4f} ({c['rfp']} clean of {rej} rejects, "
        f"reject recall {recall:.3f})"
    )


def term_report(recs: list[Record], settings: ModerationSettings, top: int) -> None:
    """Per lexicon label and matched term, the rows it alone or with others rejects."""
    per_label: defaultdict[str, Counter[str]] = defaultdict(Counter)
    per_term: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row, found, prob, _, _ in recs:
        rejecting = [f for f in found if f.detector.startswith("lexicon.") and f.score >= settings.reject_at]
        for f in {f.detector: f for f in rejecting}.values():
            gated = _action_of(f, settings, prob) != "reject"
            key = "clean" if not row["abusive"] else "abusive"
            for counter in (per_label[f.detector], per_term[(f.detector, f.text.strip()[:12])]):
                counter[key] += 1
                counter[key + ("-gated" if gated else "-kept")] += 1
    print("   label                              abusive(kept) clean(kept)  precision of kept")
    for label, c in sorted(per_label.items(), key=lambda kv: -kv[1]["clean-kept"]):
        kept = c["abusive-kept"] + c["clean-kept"]
        print(f"   {label:34s} {c['abusive']:5d}({c['abusive-kept']:4d}) {c['clean']:5d}({c['clean-kept']:4d})"
              f"  {c['abusive-kept'] / max(1, kept):.3f}")  # fmt: skip
    print(f"   terms with the most clean rows kept as rejects (top {top}):")
    for (label, term), c in sorted(per_term.items(), key=lambda kv: -kv[1]["clean-kept"])[:top]:
        print(f"     {label:30s} {term!r:16s} abusive {c['abusive-kept']:3d} clean {c['clean-kept']:3d} "
              f"(gated: abusive {c['abusive-gated']}, clean {c['clean-gated']})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=25, help="terms listed")
    args = parser.parse_args()
    tune = records("tune")
    valid = tune + records("train")
    base = ModerationSettings()
    print(f"validation: tune {len(tune)} rows, tune+train(out of fold) {len(valid)} rows")
    print(
        f"current policy (lexicon reject needs P >= {base.lexicon_reject_min_probability} for entries scored "
        f">= {base.lexicon_strong_score}, P >= {base.lexicon_weak_reject_min_probability} for the others):"
    )
    print(f"   tune  {figures(tune, actions(tune, base))}")
    print(f"   valid {figures(valid, actions(valid, base))}")
    print(
        "lexicon reject gates swept (strong entries / weaker entries); F1 cannot move, only reject vs review:"
    )
    for strong in (0.5, 0.6):
        for weak in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            s = replace(base, lexicon_reject_min_probability=strong, lexicon_weak_reject_min_probability=weak)
            print(f"   {strong:.2f}/{weak:.2f}: tune  {figures(tune, actions(tune, s))}")
            print(f"              valid {figures(valid, actions(valid, s))}")
    print("per lexicon label, validation set, current policy:")
    term_report(valid, base, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
