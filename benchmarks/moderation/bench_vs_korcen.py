"""Throughput and quality of `briefing moderate` against korcen (PyPI `korcen`) on the same lines.

    python -m venv benchmarks/.venv-korcen && benchmarks/.venv-korcen/bin/pip install korcen==1.0.3
    .venv/bin/python benchmarks/moderation/bench_vs_korcen.py [--repeat 8] [--korcen-python PATH]

Both run as whole processes (start-up, imports, lexicon/model load and every line) on one JSON-lines
file made from the held-out 'test' split of the labelled sets, repeated to --repeat copies; korcen
lives in its own virtualenv and is only ever called through a subprocess.  Quality is measured on one
copy: flagged = our review or reject / korcen check() is True; reject = our reject alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "moderation"))

from common import labelled  # noqa: E402

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


def run(python: str, code: str, source: Path, target: Path, env_path: str | None) -> float:
    env = None
    if env_path:
        import os

        env = {**os.environ, "PYTHONPATH": env_path}
    started = time.perf_counter()
    subprocess.run([python, "-c", code, str(source), str(target)], check=True, env=env)
    return time.perf_counter() - started


def scores(truth: dict[str, bool], flagged: dict[str, bool]) -> tuple[float, float, float]:
    tp = sum(1 for k, v in flagged.items() if v and truth[k])
    fp = sum(1 for k, v in flagged.items() if v and not truth[k])
    fn = sum(1 for k, v in truth.items() if v and not flagged.get(k, False))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument(
        "--korcen-python", default=str(REPO / "benchmarks" / ".venv-korcen" / "bin" / "python")
    )
    args = parser.parse_args()
    rows = labelled("test")
    truth = {r["id"]: bool(r["abusive"]) for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        one, many = Path(tmp) / "one.jsonl", Path(tmp) / "many.jsonl"
        one.write_text(
            "".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
            encoding="utf-8",
        )
        many.write_text(
            "".join(
                json.dumps({"id": f"{r['id']}#{k}", "text": r["text"]}, ensure_ascii=False) + "\n"
                for k in range(args.repeat)
                for r in rows
            ),
            encoding="utf-8",
        )
        lines = len(rows) * args.repeat
        layer = f"{REPO / 'layers' / 'common'}:{REPO / 'tools'}"
        ours_out, korcen_out = Path(tmp) / "ours.jsonl", Path(tmp) / "korcen.jsonl"
        ours_s = run(sys.executable, OURS, many, ours_out, layer)
        has_korcen = Path(args.korcen_python).exists()
        korcen_s = run(args.korcen_python, KORCEN, many, korcen_out, None) if has_korcen else float("nan")
        print(f"lines: {lines} ({len(rows)} held-out comments x {args.repeat}), whole process incl. start-up")
        print(
            f"  briefing moderate : {ours_s:7.2f} s  {lines / ours_s:9.0f} lines/s  ({60 * lines / ours_s:,.0f} lines/min)"
        )
        if has_korcen:
            print(f"  korcen check()    : {korcen_s:7.2f} s  {lines / korcen_s:9.0f} lines/s")
            print(f"  ratio (ours / korcen lines per second): {korcen_s / ours_s:.2f}x")
        else:
            print(f"  korcen not installed at {args.korcen_python}: see the module docstring")
        # quality on one copy
        run(sys.executable, OURS, one, ours_out, layer)
        ours = [json.loads(line) for line in ours_out.read_text(encoding="utf-8").splitlines()]
        flagged = {d["id"]: d["action"] in ("review", "reject") for d in ours}
        rejected = {d["id"]: d["action"] == "reject" for d in ours}
        p, r, f = scores(truth, flagged)
        rp, rr, _ = scores(truth, rejected)
        print(f"quality on the held-out split ({len(rows)} comments, flagged = review or reject):")
        print(f"  briefing moderate : P={p:.4f} R={r:.4f} F1={f:.4f} | reject alone P={rp:.4f} R={rr:.4f}")
        if has_korcen:
            run(args.korcen_python, KORCEN, one, korcen_out, None)
            kflag = {
                d["id"]: d["flag"]
                for d in map(json.loads, korcen_out.read_text(encoding="utf-8").splitlines())
            }
            kp, kr, kf = scores(truth, kflag)
            print(f"  korcen check()    : P={kp:.4f} R={kr:.4f} F1={kf:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
