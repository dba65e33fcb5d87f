"""Cold-start cost of each handler vs a bare boto3 + Powertools baseline, measured in the same run.

Each sample is a fresh interpreter (bytecode already compiled) importing one module; the figure is
the median wall time of `import` measured inside that interpreter (the Lambda init phase). A second
column adds, in the same interpreter, the handler's first piece of core work without AWS (parse and
normalise a release, analyse an article, moderate a comment, refuse an invalid request): what the
first invocation pays for anything the module defers, so deferring is never mistaken for saving.
Prints a table; no assertions.
    .venv/bin/python benchmarks/cold_start.py [--runs 9] [--layer-without-bytecode]

--layer-without-bytecode imports the layer's packages from a copy without any .pyc and lets no
process write one: what Lambda paid when the layer shipped sources only (its /opt is read-only, so
nothing is cached there). The layer is now built with bytecode (layers/common/Makefile).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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
# The first core work of each function, no AWS calls (run after the import, timed separately).
FIRST_WORK = {
    "IngestReleaseFunction": (
        "import json\nfrom briefing.releases.parse import parse_payload\n"
        f"parse_payload(json.load(open({str(REPO / 'events/IngestReleaseFunction/newsitem-release.json')!r}))"
        "['Records'][0]['body'])"
    ),
    "IndexArticleFunction": (
        "from briefing.index.analysis import document_terms\n"
        "document_terms('관세청, 수출입 통관 절차 간소화', '관세청은 27일 수출입 기업의 통관 절차를 간소화한다고 밝혔다.')"
    ),
    # A request the parameter checks refuse (limit=abc): routing, validation and the problem
    # document, all before the first AWS call.
    "ApiFunction": (
        "app.resolve({'version': '2.0', 'routeKey': 'GET /articles', 'rawPath': '/articles',"
        " 'rawQueryString': 'limit=abc', 'queryStringParameters': {'limit': 'abc'}, 'headers': {},"
        " 'requestContext': {'http': {'method': 'GET', 'path': '/articles'}, 'stage': '$default'},"
        " 'isBase64Encoded': False})"
    ),
    "ModerateCommentFunction": (
        "from briefing.moderation import CommentInput, moderate\n"
        "moderate(CommentInput('c1', '정책 설명 잘 봤습니다. 신청 시 발급은 언제부터인가요?'))"
    ),
}


# the layer's top-level packages (layers/common/requirements.txt and what they need, and ours)
LAYER_PACKAGES = ("aws_lambda_powertools", "pydantic", "pydantic_core", "annotated_types", "typing_extensions",
                  "typing_inspection", "nh3", "defusedxml", "jmespath", "msgspec")  # fmt: skip
LAYER = str(REPO / "layers/common")
NO_BYTECODE: dict[str, str] = {}  # environment additions when the layer has no bytecode


def layer_without_bytecode(into: Path) -> str:
    """A copy of the layer's packages (the installed ones, and briefing) with no .pyc files."""
    for name in LAYER_PACKAGES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        origin = Path(spec.origin)
        if origin.name == "__init__.py":
            shutil.copytree(origin.parent, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, into / origin.name)
    shutil.copytree(
        REPO / "layers/common/briefing", into / "briefing", ignore=shutil.ignore_patterns("__pycache__")
    )
    return str(into)


def sample(code: str, path: str | None, then: str = "") -> tuple[float, float]:
    """(import seconds, import + first work seconds) in one fresh interpreter."""
    program = (
        "import time, sys\n"
        # the layer is on the path of the baselines too: Powertools comes from it in Lambda
        + f"sys.path[:0] = {[path, LAYER] if path else [LAYER]!r}\n"
        + "t = time.perf_counter()\n"
        + code
        + "\na = time.perf_counter() - t\n"
        + then
        + "\nprint(a, time.perf_counter() - t)\n"
    )
    env = {**os.environ, "POWERTOOLS_SERVICE_NAME": "bench", "POWERTOOLS_METRICS_NAMESPACE": "bench",
           "AWS_DEFAULT_REGION": "ap-northeast-2"}  # fmt: skip
    # "bytecode available": a shell that sets PYTHONDONTWRITEBYTECODE would leave our own modules
    # uncompiled (the installed packages were compiled by pip) and charge the handlers a compile
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(NO_BYTECODE)
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)
    imported, first = out.stdout.strip().splitlines()[-1].split()
    return float(imported), float(first)


def medians_ms(
    subjects: dict[str, tuple[str, str | None, str]], runs: int, baseline: str
) -> dict[str, tuple[float, float, float]]:
    """(import ms, + first work ms, paired ratio) per subject. Rounds take one sample of every subject
    in turn, so a change in the machine's load touches all of them alike instead of one module's block;
    the paired ratio is the median over rounds of import / the baseline's import in the same round."""
    for code, path, then in subjects.values():
        sample(code, path, then)  # warm the bytecode cache
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in subjects}
    for _ in range(runs):
        for name, (code, path, then) in subjects.items():
            samples[name].append(sample(code, path, then))
    base = [s[0] for s in samples[baseline]]
    return {
        name: (
            statistics.median(s[0] for s in got) * 1000,
            statistics.median(s[1] for s in got) * 1000,
            statistics.median(s[0] / b for s, b in zip(got, base, strict=True)),
        )
        for name, got in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--layer-without-bytecode", action="store_true")
    args = parser.parse_args()
    if args.layer_without_bytecode:
        global LAYER
        LAYER = layer_without_bytecode(Path(tempfile.mkdtemp(prefix="layer-")))
        NO_BYTECODE["PYTHONDONTWRITEBYTECODE"] = "1"
    subjects: dict[str, tuple[str, str | None, str]] = {
        name: (code, None, "") for name, code in BASELINES.items()
    }
    for name, folder in HANDLERS.items():
        subjects[name] = ("import app", str(REPO / folder), FIRST_WORK[name])
    medians = medians_ms(subjects, args.runs, list(BASELINES)[-1])
    rows = [(name, *medians[name]) for name in subjects]
    baseline = medians[list(BASELINES)[-1]][0]
    bytecode = "layer WITHOUT bytecode" if args.layer_without_bytecode else "bytecode available"
    print(f"cold start ({bytecode}), median of {args.runs} fresh interpreters; goal: import <= 1.3x baseline")
    print(
        "x baseline: ratio of the medians; paired x: median of the ratios to the baseline of the same round"
    )
    print(
        f"{'module':<36} {'import ms':>10} {'x baseline':>11} {'paired x':>9} {'+ first work ms':>16} {'x baseline':>11}"
    )
    for name, ms, first, paired in rows:
        print(
            f"{name:<36} {ms:>10.1f} {ms / baseline:>11.2f} {paired:>9.2f} {first:>16.1f} {first / baseline:>11.2f}"
        )


if __name__ == "__main__":
    main()
