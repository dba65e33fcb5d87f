"""Cold-start import cost of each handler vs a bare boto3 + Powertools baseline.

Each sample is a fresh interpreter (bytecode already compiled) importing one module; the figure is
the median wall time of `import` measured inside that interpreter. Prints a table; no assertions.
    .venv/bin/python benchmarks/cold_start.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINES = {
    "import boto3": "import boto3",
    "boto3 + Powertools Logger/Metrics": (
        "import boto3\nfrom aws_lambda_powertools import Logger, Metrics\nLogger(); Metrics(namespace='x')"
    ),
}
HANDLERS = {
    "IngestReleaseFunction": "functions/ingest_release",
    "IndexArticleFunction": "functions/index_article",
    "ApiFunction": "functions/api",
    "ModerateCommentFunction": "functions/moderate_comment",
}


def sample(code: str, path: str | None) -> float:
    program = (
        "import time, sys\n"
        + (f"sys.path[:0] = [{path!r}, {str(REPO / 'layers/common')!r}]\n" if path else "")
        + "t = time.perf_counter()\n"
        + code
        + "\nprint(time.perf_counter() - t)\n"
    )
    env = {**os.environ, "POWERTOOLS_SERVICE_NAME": "bench", "POWERTOOLS_METRICS_NAMESPACE": "bench",
           "AWS_DEFAULT_REGION": "ap-northeast-2"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def median_ms(code: str, path: str | None, runs: int) -> float:
    sample(code, path)  # warm the bytecode cache
    return statistics.median(sample(code, path) for _ in range(runs)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    rows = [(name, median_ms(code, None, args.runs)) for name, code in BASELINES.items()]
    baseline = rows[-1][1]
    for name, folder in HANDLERS.items():
        rows.append((name, median_ms("import app", str(REPO / folder), args.runs)))
    print(f"{'module':<36} {'median ms':>10} {'× baseline':>11}")
    for name, ms in rows:
        print(f"{name:<36} {ms:>10.1f} {ms / baseline:>11.2f}")


if __name__ == "__main__":
    main()
