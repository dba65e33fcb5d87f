"""Print every moderation figure: abusive-vs-clean F1, reject precision, official text, R1/R6 recall.

    .venv/bin/python scripts/moderation/evaluate.py [--split test] [--sweep] [--seed 2026] [--show N]

* labelled sets: the held-out 'test' split (20 %, by id hash; the classifier never saw it), flagged =
  review or reject;
* official text: policy-sentences-dev.jsonl and every line/sentence of newsitems-dev.jsonl bodies, must
  be 0 flagged;
* R1/R6: comments made by generate_comments.py with --seed (default 2026; thresholds were tuned on
  other seeds), recall per rule and false flags on the hard negatives;
* classifier cost: model load time and CPU time per comment on the split's texts, with a fresh word memo
  (one pass, every word new to the process is scored from its n-grams) and with a warm one.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from common import DATA, MODERATION, labelled, read_jsonl, release_half
from generate_comments import generate
from msgspec.structs import replace

from briefing.moderation import CommentInput, ModerationSettings, get_engine
from briefing.moderation.classifier import load_model
from briefing.moderation.engine import ACTION_RANK, decide, official_register
from briefing.moderation.normalize import normalize


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def labelled_report(split: str, settings: ModerationSettings, sweep: bool, show: int) -> None:
    engine = get_engine()
    rows = labelled(split)
    no_clf = replace(settings, use_classifier=False)
    records = []
    started = time.perf_counter()
    for row in rows:
        comment = CommentInput(row["id"], row["text"])
        norm = normalize(row["text"])
        found, _ = engine.findings(comment, norm, no_clf)
        # as in ModerationEngine.findings: the probability always counts (it can soften a lexicon reject);
        # text in the press-release register only gets no classifier finding
        prob = engine.classifier.probability(norm.squeezed.text) if norm.squeezed.text.strip() else None
        records.append((row, found, prob, official_register(norm.base.text)))
    elapsed = time.perf_counter() - started

    def evaluate(review_at: float, reject_at: float) -> defaultdict[str, Counter[str]]:
        s = replace(settings, classifier_review_at=review_at, classifier_reject_at=reject_at)
        per: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for row, found, prob, official in records:
            extra = list(found)
            if prob is not None and prob >= review_at and not official:
                from briefing.moderation.findings import Finding

                extra.append(Finding(4, 0, len(row["text"]), row["text"][:60], "classifier.abuse", prob))
            action = decide(row["id"], extra, s, prob).action
            source = row["id"].rsplit("-", 1)[0]
            for key in ("all", source):
                c = per[key]
                flagged = ACTION_RANK[action] >= 1
                c[
                    "tp"
                    if flagged and row["abusive"]
                    else "fp"
                    if flagged
                    else "fn"
                    if row["abusive"]
                    else "tn"
                ] += 1
                if action == "reject":
                    c["rej_tp" if row["abusive"] else "rej_fp"] += 1
        return per

    if sweep:
        print(f"sweep on split={split}: classifier review threshold → F1 (flagged) / reject precision")
        for review_at in [x / 100 for x in range(30, 71, 4)]:
            summary = evaluate(review_at, settings.classifier_reject_at)["all"]
            print(f"  review_at={review_at:.2f} F1={prf(summary['tp'], summary['fp'], summary['fn'])[2]:.4f}")
        for reject_at in (0.97, 0.985, 0.99, 0.995, 1.01):
            summary = evaluate(settings.classifier_review_at, reject_at)["all"]
            rp = summary["rej_tp"] / max(1, summary["rej_tp"] + summary["rej_fp"])
            print(
                f"  reject_at={reject_at:.3f} reject precision={rp:.4f} rejected={summary['rej_tp'] + summary['rej_fp']}"
            )
    per = evaluate(settings.classifier_review_at, settings.classifier_reject_at)
    # the replay above must decide as the engine does: check it on a sample
    mismatches = 0
    for row, found, prob, official in records[:500]:
        extra = list(found)
        if prob is not None and prob >= settings.classifier_review_at and not official:
            from briefing.moderation.findings import Finding

            extra.append(Finding(4, 0, len(row["text"]), row["text"][:60], "classifier.abuse", prob))
        replayed = decide(row["id"], extra, settings, prob).action
        mismatches += (
            replayed != engine.moderate(CommentInput(row["id"], row["text"]), settings=settings).action
        )
    if mismatches:
        print(f"   WARNING: replayed decisions differ from the engine on {mismatches} of 500 rows")
    print(
        f"== labelled sets, split={split} ({len(rows)} rows, {len(rows) / elapsed:.0f} rows/s detectors+classifier)"
    )
    print(
        f"   thresholds: classifier review >= {settings.classifier_review_at}, reject >= {settings.classifier_reject_at}"
    )
    for key in ["all", *sorted(k for k in per if k != "all")]:
        c = per[key]
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        rejected = c["rej_tp"] + c["rej_fp"]
        rp = c["rej_tp"] / rejected if rejected else 0.0
        print(f"   {key:22s} flagged P={p:.4f} R={r:.4f} F1={f:.4f} | reject precision={rp:.4f} "
              f"({rejected} rejected, recall {c['rej_tp'] / max(1, c['tp'] + c['fn']):.3f})")  # fmt: skip
    if show:
        s = settings
        shown = 0
        for row, found, prob, _ in records:
            action = decide(row["id"], found, s, prob).action
            if action == "reject" and not row["abusive"] and shown < show:
                print("   REJECTED CLEAN:", row["text"][:100], [f.detector for f in found])
                shown += 1


def official_texts() -> list[tuple[str, str]]:
    texts = [(r["id"], r["text"]) for r in read_jsonl(MODERATION / "policy-sentences-dev.jsonl")]
    for item in read_jsonl(DATA / "releases" / "newsitems-dev.jsonl"):
        body = item.get("DataContents") or ""
        for n, line in enumerate(body.splitlines()):
            for m, sentence in enumerate(re.split(r"(?<=다\.)\s+", line.strip())):
                if len(sentence) >= 5:
                    texts.append((f"news-{item['NewsItemId']}-{n}-{m}", sentence))
        texts.append((f"title-{item['NewsItemId']}", item.get("Title") or ""))
    return texts


def official_report(settings: ModerationSettings, show: int) -> None:
    engine = get_engine()
    flagged: Counter[str] = Counter()
    total: Counter[str] = Counter()
    examples = []
    for tid, text in official_texts():
        release = tid.split("-")[1] if tid.startswith(("news-", "title-")) else tid.split("-")[0]
        kind = (
            "policy-sentences-dev" if not tid.startswith(("news-", "title-")) else "newsitems bodies+titles"
        )
        kind += " (held-out releases)" if release_half(release) == "held" else " (releases seen in training)"
        d = engine.moderate(CommentInput(tid, text), settings=settings)
        total[kind] += 1
        if d.action != "publish":
            flagged[kind] += 1
            examples.append((d.action, d.rules, text[:90], [e["detector"] for e in d.evidence_dicts()]))
    print("== official press-release text (must be 0 flagged)")
    for kind in sorted(total):
        print(f"   {kind:56s} {flagged[kind]} flagged of {total[kind]}")
    for example in examples[: max(show, 10)]:
        print("   FLAGGED:", *example)


def generated_report(seed: int, count: int, settings: ModerationSettings, show: int) -> None:
    engine = get_engine()
    rows = generate(seed, count)
    hits: Counter = Counter()
    totals: Counter = Counter()
    misses = []
    for row in rows:
        d = engine.moderate(CommentInput(row["id"], row["text"]), settings=settings)
        expected = row["expect"]
        if expected:
            rule = expected[0]
            totals[f"R{rule}"] += 1
            if rule in d.rules and d.action != "publish":
                hits[f"R{rule}"] += 1
            else:
                misses.append((row["kind"], row["text"], d.action, d.rules))
        else:
            totals["negative"] += 1
            if d.action != "publish":
                hits["negative"] += 1
                misses.append((row["kind"], row["text"], d.action, d.rules))
    print(f"== generated realistic comments (seed={seed}, {len(rows)} rows)")
    for rule in ("R1", "R6"):
        print(f"   {rule} recall = {hits[rule] / max(1, totals[rule]):.4f} ({hits[rule]}/{totals[rule]})")
    print(f"   hard negatives false flags = {hits['negative'] / max(1, totals['negative']):.4%} "
          f"({hits['negative']}/{totals['negative']})")  # fmt: skip
    for miss in misses[:show]:
        print("   MISS:", *miss)


PROBES = Path(__file__).with_name("data")
# Our own comments, written before the clean training comments of data/clean-policy-comments.txt that
# answer them and never trained on: clean ones must pass, abusive ones be flagged.
PROBE_SETS = (
    # topics the labelled sets mostly saw in abuse (북한, presidents, 김치, 한남 …)
    ("topic probes", PROBES / "topic-probes.jsonl"),
    # blunt criticism of the government and politicians (posting rules: criticism is not a slur), and
    # political abuse beside it
    ("criticism probes", PROBES / "criticism-probes.jsonl"),
)


def probe_report(settings: ModerationSettings, show: int) -> None:
    engine = get_engine()
    for title, path in PROBE_SETS:
        flagged: Counter = Counter()
        totals: Counter = Counter()
        wrong = []
        for row in read_jsonl(path):
            kind = "abusive" if row["abusive"] else "clean"
            d = engine.moderate(CommentInput(row["id"], row["text"]), settings=settings)
            totals[kind] += 1
            flagged[kind] += d.action != "publish"
            if (d.action != "publish") != row["abusive"]:
                wrong.append((kind, d.action, row["text"]))
        print(f"== {title} of our own (never trained on)")
        for kind in ("clean", "abusive"):
            print(f"   {kind:8s} flagged {flagged[kind]} of {totals[kind]}")
        for example in wrong[:show]:
            print("   WRONG:", *example)


def classifier_cost_report(split: str, repeat: int = 3) -> None:
    """CPU time (process time: other processes on a shared box do not count) of the classifier alone on
    the squeezed views of the split, best of ``repeat`` runs each."""
    texts = [normalize(row["text"]).squeezed.text for row in labelled(split)]
    load_ms: list[float] = []
    cold_us: list[float] = []
    warm_us: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        model = load_model()
        load_ms.append((time.perf_counter() - started) * 1e3)
        for costs in (cold_us, warm_us):
            started = time.process_time()
            for text in texts:
                model.probability(text)
            costs.append((time.process_time() - started) / len(texts) * 1e6)
    words = sum(len(text.split()) for text in texts)
    print(f"== classifier cost, split={split} ({len(texts)} comments, {words / len(texts):.1f} words each)")
    print(f"   model load {min(load_ms):.1f} ms; per comment {min(cold_us):.1f} us CPU with a fresh word memo "
          f"({len(model._memo)} distinct words), {min(warm_us):.1f} us once every word was seen")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["train", "tune", "test"])
    parser.add_argument("--sweep", action="store_true", help="also sweep the classifier thresholds")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--show", type=int, default=0, help="print up to N errors of each kind")
    parser.add_argument(
        "--cost-only", action="store_true", help="only the classifier's load time and CPU cost"
    )
    args = parser.parse_args()
    if not (MODERATION / "kmhas-valid.jsonl").exists():
        print(f"no data at {MODERATION}", file=sys.stderr)
        return 2
    if args.cost_only:
        classifier_cost_report(args.split)
        return 0
    settings = ModerationSettings()
    labelled_report(args.split, settings, args.sweep, args.show)
    official_report(settings, args.show)
    generated_report(args.seed, args.count, settings, args.show)
    probe_report(settings, args.show)
    classifier_cost_report(args.split)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
