"""Write template.yaml translated to plain CloudFormation, offline, for the linters.

The translation is the local runner's own (briefing_cli.local.stack.translate), so what cfn-lint
and checkov read is what `briefing local run` deploys into moto and what `sam deploy` would
create. Parameters keep the template's defaults: the deployed default is what gets checked.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from briefing_cli.local.stack import REGION, load_template, translate


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: translate_template.py TEMPLATE.yaml OUTPUT.json", file=sys.stderr)
        return 2
    # The translator resolves the partition from the region; no credentials are needed.
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    translated, _ = translate(load_template(Path(argv[1])), {})
    out = Path(argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(translated, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"translated template: {out} ({len(translated['Resources'])} resources)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
