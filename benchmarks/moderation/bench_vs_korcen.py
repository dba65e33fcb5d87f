"""Throughput and quality of `briefing moderate` against korcen (PyPI `korcen`) on the same lines.

    python -m venv benchmarks/.venv-korcen && benchmarks/.venv-korcen/bin/pip install korcen==1.0.3
    .venv/bin/python benchmarks/moderation/bench_vs_korcen.py [--copies 1] [--korcen-python PATH]

The timed file holds distinct texts only: every row of the four shared moderation sets (exact
duplicate texts dropped), and with --copies N, N-1 more variants of each made distinct by a neutral
closing phrase.  Nothing in the engine caches whole-text results, and distinct texts make sure none
could help.  Both sides run as whole processes (start-up, imports, lexicon/model load and every line);
korcen lives in its own virtualenv and is only ever called through a subprocess.  Also printed: the
engine's own cost per comment in one process (no JSON, no workers; CPU and wall time), the start-up
and first-comment latency, and quality on the held-out split (flagged = our review or reject / korcen
check() is True; reject = our reject alone).  No assertions: the figures are for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "moderation"))

from common import MODERATION, labelled, read_jsonl  # noqa: E402

SETS = ("kmhas-valid.jsonl", "kocohub-train.jsonl", "curse-detection.jsonl", "policy-sentences-dev.jsonl")
# closing phrases that change no decision of either side; copy k of a text ends with CLOSINGS[k - 1]
CLOSINGS = [
    f" {a} {b}"
    for a in ("음", "그렇군요", "그러게요", "아무튼", "어쨌든", "글쎄요", "그냥", "여하튼")
    for b in ("생각해봅니다", "적어봅니다", "남깁니다", "올립니다", "말해봅니다", "써봅니다")
]

OURS = """
import sys
from briefing_cli.moderate import run_moderate
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    run_moderate(src, out)
"""
KORCEN = """
import json, sys
from korcen import korcen
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        row = json.loads(line)
        out.write(json.dumps({"id": row["id"], "flag": bool(korcen.check(row["text"]))}) + "\\n")
"""
# the engine alone in one process: start-up, first comment, then every text once (CPU and wall)
ENGINE = """
import json, sys, time
wall0, cpu0 = time.perf_counter(), time.process_time()
from briefing.moderation import CommentInput, get_engine
imported = time.perf_counter()
engine = get_engine()
loaded = time.perf_counter()
engine.moderate(CommentInput("first", "처음 보는 댓글입니다 시1발 ㅋㅋ"))
first = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as src:
    comments = [CommentInput(row["id"], row["text"]) for row in map(json.loads, src)]
wall, cpu = time.perf_counter(), time.process_time()
for comment in comments:
    engine.moderate(comment)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"n": len(comments), "wall": wall, "cpu": cpu, "import": imported - wall0,
                  "load": loaded - imported, "first": first - loaded}))
"""


def run(python: str, code: str, source: Path, target: Path | None, env_path: str | None) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": env_path} if env_path else None
    args = [python, "-c", code, str(source)] + ([str(target)] if target else [])
    started = time.perf_counter()
    done = subprocess.run(args, check=True, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def scores(truth: dict[str, bool], flagged: dict[str, bool]) -> tuple[float, float, float]:
    tp = sum(1 for k, v in flagged.items() if v and truth[k])
    fp = sum(1 for k, v in flagged.items() if v and not truth[k])
    fn = sum(1 for k, v in truth.items() if v and not flagged.get(k, False))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def distinct_rows(copies: int) -> list[dict[str, str]]:
    seen: set[str] = set()
    rows = []
    for name in SETS:
        for row in read_jsonl(MODERATION / name):
            if row["text"] not in seen:
                seen.add(row["text"])
                rows.append({"id": row["id"], "text": row["text"]})
    variants = [
        {"id": f"{r['id']}#{k}", "text": r["text"] + CLOSINGS[(k - 1) % len(CLOSINGS)]}
        for k in range(1, copies)
        for r in rows
    ]
    return rows + [v for v in variants if v["text"] not in seen]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1, help="distinct variants of each text (>= 1)")
    parser.add_argument(
        "--korcen-python", default=str(REPO / "benchmarks" / ".venv-korcen" / "bin" / "python")
    )
    args = parser.parse_args()
    rows = distinct_rows(max(1, args.copies))
    test = labelled("test")
    truth = {r["id"]: bool(r["abusive"]) for r in test}
    layer = f"{REPO / 'layers' / 'common'}:{REPO / 'tools'}"
    has_korcen = Path(args.korcen_python).exists()
    with tempfile.TemporaryDirectory() as tmp:
        timed, held = Path(tmp) / "timed.jsonl", Path(tmp) / "held.jsonl"
        timed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        held.write_text(
            "".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in test),
            encoding="utf-8",
        )
        ours_out, korcen_out = Path(tmp) / "ours.jsonl", Path(tmp) / "korcen.jsonl"
        lines = len(rows)
        ours_s, _ = run(sys.executable, OURS, timed, ours_out, layer)
        korcen_s = run(args.korcen_python, KORCEN, timed, korcen_out, None)[0] if has_korcen else float("nan")
        print(
            f"lines: {lines:,} distinct texts (shared moderation sets, copies={args.copies}), whole process"
        )
        print(
            f"  briefing moderate : {ours_s:7.2f} s {lines / ours_s:9.0f} lines/s ({60 * lines / ours_s:,.0f} lines/min)"
        )
        if has_korcen:
            print(f"  korcen check()    : {korcen_s:7.2f} s {lines / korcen_s:9.0f} lines/s")
            print(f"  ratio (ours / korcen lines per second): {korcen_s / ours_s:.2f}x")
        else:
            print(f"  korcen not installed at {args.korcen_python}: see the module docstring")
        engine = json.loads(run(sys.executable, ENGINE, timed, None, layer)[1])
        n = engine["n"]
        print(
            f"engine alone, one process, {n:,} comments: {1e6 * engine['cpu'] / n:.1f} us/comment CPU, "
            f"{1e6 * engine['wall'] / n:.1f} us/comment wall"
        )
        print(
            f"  start-up: import {1000 * engine['import']:.0f} ms, load {1000 * engine['load']:.0f} ms, "
            f"first comment {1000 * engine['first']:.1f} ms"
        )
        run(sys.executable, OURS, held, ours_out, layer)
        ours = [json.loads(line) for line in ours_out.read_text(encoding="utf-8").splitlines()]
        flagged = {d["id"]: d["action"] in ("review", "reject") for d in ours}
        rejected = {d["id"]: d["action"] == "reject" for d in ours}
        p, r, f = scores(truth, flagged)
        rp, rr, _ = scores(truth, rejected)
        print(f"quality on the held-out split ({len(test)} comments, flagged = review or reject):")
        print(f"  briefing moderate : P={p:.4f} R={r:.4f} F1={f:.4f} | reject alone P={rp:.4f} R={rr:.4f}")
        if has_korcen:
            run(args.korcen_python, KORCEN, held, korcen_out, None)
            kflag = {
                d["id"]: d["flag"]
                for d in map(json.loads, korcen_out.read_text(encoding="utf-8").splitlines())
            }
            kp, kr, kf = scores(truth, kflag)
            print(f"  korcen check()    : P={kp:.4f} R={kr:.4f} F1={kf:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
