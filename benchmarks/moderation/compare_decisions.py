"""Do two versions of the moderation engine decide the same?  Speed work must not change decisions.

    .venv/bin/python benchmarks/moderation/compare_decisions.py [--baseline REF] [--show 10]

Runs `briefing moderate` (one process, no workers) of the working tree and of the layer at git REF
(default HEAD) on the same JSON-lines file and compares the output lines byte for byte: action, rules,
evidence spans and texts, messages.  The inputs are every row of the four shared moderation sets, the
generated R1/R6 comments and hard negatives (seeds 2026 and 7), the sentences and titles of the
shared press releases, and evasion strings; some lines carry an author (R11 repeats), a display name
(R9) or an article (R10).  The baseline is given the working tree's classifier (classifier.py and its
model file), so a classifier change made elsewhere is not counted as a difference of this engine;
its lexicon too, unless --baseline-lexicon (then a lexicon edit shows as the lines it changes), and its
model file, unless --baseline-model (then a retrained model shows as the lines it changes).
Prints the number of lines that differ, per input set and old -> new action; no assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "moderation"))

from common import DATA, MODERATION, read_jsonl, release_sentences  # noqa: E402
from generate_comments import generate  # noqa: E402

SETS = ("kmhas-valid.jsonl", "kocohub-train.jsonl", "curse-detection.jsonl", "policy-sentences-dev.jsonl")
RUN = """
import sys
from briefing_cli.moderate import run_moderate
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    run_moderate(src, out, workers=1)
"""
EVASIONS = [
    "시1발", "씨@발", "ㅅ ㅂ", "ㅅ.ㅣ.발", "tlqkf", "ｔｌｑｋｆ", "시\u200b발", "씨이이이발", "ㅆ ㅣ 발 놈",
    "ㅅl발", "人ㅣ발", "시 발급", "신청 시 발급", "사업 시행 시 발생", "병1신", "개 새 끼", "ㅂ ㅅ 같은",
    "공일공 일이삼사 오육칠팔", "０１０－１２３４－５６７８", "010\u200b1234\u200b5678", "\u202e발시",
    "ㅋㅋㅋㅋ ㅋ ㅋ 진짜 웃기네", "Σ ΑΣ σς", "İstanbul 시 발", "A B C 가 나 다",
]  # fmt: skip
NAMES = ["홍길동", "외교부 대변인", "운영자", "김민수", "정책브리핑", "시민1"]


def inputs() -> list[dict]:
    rows: list[dict] = []
    for name in SETS:
        rows += [{"id": r["id"], "text": r["text"]} for r in read_jsonl(MODERATION / name)]
    for seed in (2026, 7):
        rows += [{"id": r["id"], "text": r["text"]} for r in generate(seed, 4000)]
    for half in ("train", "held"):
        rows += [{"id": f"rel-{half}-{i}", "text": t} for i, t in enumerate(release_sentences(half))]
    rows += [{"id": f"evasion-{i}", "text": t} for i, t in enumerate(EVASIONS)]
    rng = random.Random(4)
    alphabet = "시씨발병신새끼개ㅅㅂㆍㅆㅣㅏㄹ 0123456789-.@＠０aZtlqkf공일이\u200b\u202e\u1109\u1175ｔ人l|!?ㅋ카톡 대출 ."
    rows += [
        {"id": f"random-{i}", "text": "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))}
        for i in range(5000)
    ]
    articles = [
        f"{item.get('Title') or ''}\n{item.get('DataContents') or ''}"
        for item in read_jsonl(DATA / "releases" / "newsitems-dev.jsonl")[:40]
    ]
    for i, row in enumerate(rows):
        if i % 7 == 0:
            row["author"] = f"u{i % 300}"
        if i % 41 == 0:
            row["display_name"] = NAMES[i % len(NAMES)]
        if i % 53 == 0:
            row["article"] = articles[i % len(articles)]
    # repeats: some texts again, by the same author and by others
    rows += [{**rows[i], "id": f"again-{i}", "author": f"u{i % 3}"} for i in range(0, len(rows), 97)]
    return rows


def run(layer: Path, tools: Path, source: Path, target: Path) -> None:
    env = {"PYTHONPATH": f"{layer}:{tools}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", RUN, str(source), str(target)], check=True, env=env)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="HEAD", help="git ref of the engine to compare with")
    parser.add_argument("--baseline-tree", type=Path, help="or a directory holding layers/common and tools")
    parser.add_argument("--show", type=int, default=10, help="print up to N differing lines")
    parser.add_argument(
        "--baseline-lexicon", action="store_true", help="the baseline keeps its own lexicon.txt"
    )
    parser.add_argument(
        "--baseline-model", action="store_true", help="the baseline keeps its own abuse-classifier.bin"
    )
    args = parser.parse_args()
    kept = [
        name
        for name, keep in (
            ("lexicon.txt", args.baseline_lexicon),
            ("abuse-classifier.bin", args.baseline_model),
        )
        if keep
    ]
    rows = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.baseline_tree:
            shutil.copytree(args.baseline_tree / "layers" / "common", root / "old" / "layers" / "common")
            shutil.copytree(args.baseline_tree / "tools", root / "old" / "tools")
        else:
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", args.baseline, "layers/common", "tools/briefing_cli"],
                check=True,
                capture_output=True,
            ).stdout
            (root / "old").mkdir()
            subprocess.run(["tar", "-x", "-C", str(root / "old")], input=archive, check=True)
        moderation = root / "old" / "layers" / "common" / "briefing" / "moderation"
        shutil.copy2(REPO / "layers/common/briefing/moderation/classifier.py", moderation / "classifier.py")
        shutil.copytree(
            REPO / "layers/common/briefing/moderation/data",
            moderation / "data",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(*kept) if kept else None,
        )
        source = root / "in.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        run(root / "old" / "layers" / "common", root / "old" / "tools", source, root / "old.jsonl")
        run(REPO / "layers" / "common", REPO / "tools", source, root / "new.jsonl")
        old = (root / "old.jsonl").read_text(encoding="utf-8").splitlines()
        new = (root / "new.jsonl").read_text(encoding="utf-8").splitlines()
    differ = [(row, a, b) for row, a, b in zip(rows, old, new, strict=True) if a != b]
    actions = sum(json.loads(a)["action"] != json.loads(b)["action"] for _, a, b in differ)
    flagged = sum(json.loads(line)["action"] != "publish" for line in new)
    print(f"inputs: {len(rows)} lines ({flagged} flagged by the working tree)")
    print(
        f"differing output lines vs {args.baseline_tree or args.baseline}: {len(differ)} (different action: {actions})"
    )
    # where the differences are: per input set (the id without its number), old -> new action
    by_set = Counter(
        (str(row["id"]).rsplit("-", 1)[0], json.loads(a)["action"], json.loads(b)["action"])
        for row, a, b in differ
    )
    for (name, before, after), count in sorted(by_set.items()):
        print(f"  {name}: {before} -> {after}: {count}")
    for row, a, b in differ[: args.show]:
        print(f"- {json.dumps(row, ensure_ascii=False)[:200]}\n  old {a[:300]}\n  new {b[:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
