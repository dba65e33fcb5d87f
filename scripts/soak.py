"""Soak the pipeline under faults: every chaos rate x several seeds, on as many dev releases as asked
(all 38 by default), each run compared with a clean run of the same input. Prints one line per
run (the figures of docs/reliability.md) and exits non-zero when any run lost, duplicated,
decided twice, dead-lettered, or ended in another state than the clean run.

    .venv/bin/python scripts/soak.py                      # 38 releases, 10/30/50 %, seeds 1-3
    .venv/bin/python scripts/soak.py --articles 12 --rates 0.5 --seeds 1 2 --crash-rate 0.005
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from briefing_cli.local.chaos import build_scenario, dev_rows, end_state, figures, run_scenario
from briefing_cli.local.pipeline import embedded_aws
from briefing_cli.local.runtime import function_logs

REPO = Path(__file__).resolve().parents[1]

COLUMNS = (
    "run  articles stored indexed lost dup | comments decided lost twice | faults crashes failed "
    "| DLQ ingest index comment | calls index/article | same | s"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--releases", type=Path, default=REPO.parent / "shared/data/releases/newsitems-dev.jsonl"
    )
    parser.add_argument("--articles", type=int, default=38)
    parser.add_argument("--corrections", type=int, default=10)
    parser.add_argument("--withdrawals", type=int, default=3)
    parser.add_argument("--rates", type=float, nargs="+", default=[0.1, 0.3, 0.5])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--crash-rate", type=float, default=0.0)
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args(argv)

    scenario = build_scenario(
        dev_rows(args.releases),
        articles=args.articles,
        corrections=args.corrections,
        withdrawals=args.withdrawals,
        seed=7,
    )
    folder = Path(tempfile.mkdtemp(prefix="briefing-soak-"))
    function_logs.stream = (folder / "function-logs.jsonl").open("w", encoding="utf-8")
    print(f"{len(scenario.deliveries)} deliveries of {len(scenario.expected)} articles; logs in {folder}")
    print(COLUMNS)
    runs = [(0.0, 0)] + [(rate, seed) for rate in args.rates for seed in args.seeds]
    clean = None
    rows, failures = [], 0
    for rate, seed in runs:
        with embedded_aws():
            result = run_scenario(
                scenario, folder, chaos=rate, seed=seed, crash_rate=args.crash_rate if rate else 0
            )
            state = end_state(result.stack.outputs)
        numbers = figures(scenario, state, result)
        if clean is None:
            clean = state
        differences = state.differences(clean)
        same = not differences
        dlq = numbers["dead_letters"]
        per_article = numbers["calls_by_function"].get("IndexArticleFunction", 0) / max(
            1, numbers["articles"]
        )
        print(
            f"{rate:4.0%} s{seed} {numbers['articles']:3} {numbers['stored']:6} {numbers['indexed']:7} "
            f"{numbers['lost']:4} {numbers['duplicated']:3} | {numbers['comments_in']:8} "
            f"{numbers['comments_decided']:7} {numbers['comments_lost']:4} {numbers['comments_decided_twice']:5} | "
            f"{numbers['faults']:6} {numbers['crashes']:7} {numbers['failed_records']:6} | "
            f"{dlq['IngestDeadLetterQueue']:10} {dlq['IndexDeadLetterQueue']:5} {dlq['CommentDeadLetterQueue']:7} | "
            f"{per_article:19.1f} | {'yes' if same else 'NO':4} | {numbers['seconds']} {' '.join(differences)}",
            flush=True,
        )
        bad = (
            numbers["lost"]
            or numbers["duplicated"]
            or numbers["comments_lost"]
            or numbers["comments_decided_twice"]
            or sum(dlq.values())
            or not same
        )
        failures += bool(bad)
        rows.append({"rate": rate, "seed": seed, "differs_from_clean": differences, **numbers})
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{failures} of {len(runs)} runs fell short")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
