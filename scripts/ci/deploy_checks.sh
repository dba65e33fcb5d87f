#!/usr/bin/env bash
# Deployability and template security, offline: what would break `sam deploy` fails CI here.
#
#   sam validate --lint    the SAM template, as SAM CLI reads it
#   translate              SAM -> CloudFormation with the local runner's own translator
#   cfn-lint               the translated template (template.yaml itself is linted by `make lint`)
#   checkov                template.yaml and the translated template, zero failed checks
#   sam build              python3.13 / arm64: the layer gets aarch64 wheels, checked on the ELF headers,
#                          and bytecode for every module (Lambda's /opt is read-only: none is cached there)
#   sizes                  unzipped layer and function sizes against Lambda's 250 MB limit
#
# The tools live in their own virtualenvs (.venv-tools/, git-ignored): their pins clash with ours.
# Each is installed from a full freeze in scripts/ci/requirements-*.txt and re-installed only when
# that file changes (a stamp named after its hash). Needs .venv (make venv) and python3.13.
# No AWS account, Docker or network beyond PyPI: sam build downloads wheels, nothing else does.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

export PYENV_VERSION="${PYENV_VERSION:-3.13.0}"
PYTHON="${PYTHON:-python3.13}"
TOOLS="$ROOT/.venv-tools"
REPO_PY="$ROOT/.venv/bin/python"
BUILD_DIR="$ROOT/.aws-sam/build"
TRANSLATED="$ROOT/.aws-sam/translated.json"
# Lambda's limit for a function and all its layers, unzipped.
UNZIPPED_LIMIT_BYTES=$((250 * 1024 * 1024))

# Offline and anonymous: no telemetry, no Bridgecrew platform, a region but no account.
export SAM_CLI_TELEMETRY=0
export BC_SKIP_MAPPING=TRUE
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-ap-northeast-2}"
export AWS_REGION="$AWS_DEFAULT_REGION"

if [[ ! -x "$REPO_PY" ]]; then
    echo "deploy_checks: $REPO_PY is missing; run 'make venv' first" >&2
    exit 2
fi

TIMINGS=()
CURRENT_STEP="setup"
# set -e stops at the first failure; this names the check that failed.
trap 'status=$?; ((status == 0)) || echo "deploy_checks: FAILED at \"$CURRENT_STEP\" (exit $status)" >&2' EXIT

step() { # step NAME COMMAND...: runs and times one check
    CURRENT_STEP="$1"
    shift
    echo "== $CURRENT_STEP"
    local started=$SECONDS
    "$@"
    TIMINGS+=("$(printf '%-28s %4ds' "$CURRENT_STEP" $((SECONDS - started)))")
}

tool_venv() { # tool_venv NAME: .venv-tools/NAME from scripts/ci/requirements-NAME.txt, once per pin set
    local name="$1"
    local requirements="$ROOT/scripts/ci/requirements-$name.txt"
    local venv="$TOOLS/$name"
    local stamp
    stamp="$venv/.installed-$(sha256sum "$requirements" | cut -c1-16)"
    if [[ -f "$stamp" ]]; then
        echo "$venv is up to date"
        return 0
    fi
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    # -qq: the machine's pip config names index folders that may not exist; errors still show.
    "$venv/bin/python" -m pip install -qq --disable-pip-version-check --no-deps -r "$requirements"
    "$venv/bin/python" -m pip check
    touch "$stamp"
}

sam_validate() {
    "$TOOLS/sam/bin/sam" validate --lint --template template.yaml --region "$AWS_DEFAULT_REGION"
}

translate() {
    "$REPO_PY" scripts/ci/translate_template.py template.yaml "$TRANSLATED"
}

cfn_lint_translated() {
    # W2001 (parameter unused) and W1020 (Fn::Sub without variables) are artefacts of the
    # translation: SAM resolves parameters into the API body and layer name itself.
    "$ROOT/.venv/bin/cfn-lint" --ignore-checks W2001 W1020 -- "$TRANSLATED"
}

checkov_skips() { # comma-separated ids from scripts/ci/checkov-skips.txt ("CKV_ID  # reason" lines)
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$ROOT/scripts/ci/checkov-skips.txt" | grep -v '^$' | paste -sd, -
}

checkov_on() {
    local template="$1"
    local args=(--file "$template" --framework cloudformation --skip-download --compact --quiet)
    local skips
    skips="$(checkov_skips || true)"
    if [[ -n "$skips" ]]; then
        args+=(--skip-check "$skips")
    fi
    "$TOOLS/checkov/bin/checkov" "${args[@]}"
}

sam_build() {
    # --cached reuses unchanged artefacts on a re-run; the python3.13 on PATH drives pip, which
    # fetches manylinux aarch64 wheels for the arm64 architecture (no Docker).
    PATH="$TOOLS/sam/bin:$PATH" "$TOOLS/sam/bin/sam" build --template template.yaml \
        --build-dir "$BUILD_DIR" --cached --parallel --region "$AWS_DEFAULT_REGION"
}

check_arm64() { # every shared object in the build is aarch64 (ELF e_machine 183), none x86_64
    "$REPO_PY" - "$BUILD_DIR" <<'EOF'
import struct
import sys
from pathlib import Path

machines = {183: "aarch64", 62: "x86_64"}
found: dict[str, list[str]] = {}
for path in Path(sys.argv[1]).rglob("*.so*"):
    header = path.read_bytes()[:20]
    if header[:4] != b"\x7fELF":
        continue
    (machine,) = struct.unpack("<H", header[18:20])
    found.setdefault(machines.get(machine, str(machine)), []).append(str(path.relative_to(sys.argv[1])))
for arch, paths in sorted(found.items()):
    print(f"{len(paths)} shared objects for {arch}:", *sorted(paths), sep="\n  ")
if not found:
    print("no shared objects: was the layer built at all?")
    sys.exit(1)
wrong = {arch: paths for arch, paths in found.items() if arch != "aarch64"}
if wrong:
    print("not built for arm64:", *sorted(p for ps in wrong.values() for p in ps), sep="\n  ")
    sys.exit(1)
EOF
}

check_bytecode() { # every module of the layer has CPython 3.13 bytecode that Lambda uses as it is
    "$REPO_PY" - "$BUILD_DIR/CommonLayer/python" <<'EOF'
import importlib.util
import sys
from pathlib import Path

root = Path(sys.argv[1])
sources = sorted(root.rglob("*.py"))
missing, other = [], []
for source in sources:
    compiled = Path(importlib.util.cache_from_source(str(source)))
    if not compiled.exists():
        missing.append(source)
        continue
    header = compiled.read_bytes()[:8]
    # this interpreter's magic number (3.13, the runtime's) and flags 0b01: hash-based, unchecked
    if header[:4] != importlib.util.MAGIC_NUMBER or int.from_bytes(header[4:8], "little") != 1:
        other.append(source)
print(f"{len(sources)} modules: {len(missing)} without bytecode, {len(other)} with other bytecode")
for source in (missing + other)[:20]:
    print("  ", source.relative_to(root))
sys.exit(1 if missing or other or not sources else 0)
EOF
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

report_sizes() {
    local layer_bytes largest=0 name bytes
    layer_bytes=$(du -sb "$BUILD_DIR/CommonLayer" | cut -f1)
    printf '%-28s %8s MiB unzipped; largest parts:\n' "CommonLayer" "$(mib "$layer_bytes")"
    (cd "$BUILD_DIR/CommonLayer/python" && du -sb -- * | sort -rn | head -n 6 |
        awk '{ printf "    %-24s %8.1f MiB\n", $2, $1 / 1048576 }')
    for dir in "$BUILD_DIR"/*Function; do
        name=$(basename "$dir")
        bytes=$(du -sb "$dir" | cut -f1)
        if ((bytes > largest)); then largest=$bytes; fi
        printf '%-28s %8s KiB unzipped\n' "$name" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1024 }')"
    done
    local total=$((layer_bytes + largest))
    printf '%-28s %8s MiB of %d MiB allowed\n' "largest function + layer" "$(mib "$total")" \
        $((UNZIPPED_LIMIT_BYTES / 1048576))
    ((total < UNZIPPED_LIMIT_BYTES))
}

started_all=$SECONDS
step "tools: sam virtualenv" tool_venv sam
step "tools: checkov virtualenv" tool_venv checkov
step "sam validate --lint" sam_validate
step "translate (samtranslator)" translate
step "cfn-lint translated" cfn_lint_translated
step "checkov template.yaml" checkov_on template.yaml
step "checkov translated" checkov_on "$TRANSLATED"
step "sam build (arm64)" sam_build
step "arm64 shared objects" check_arm64
step "layer bytecode" check_bytecode
step "sizes" report_sizes

echo "== timings"
printf '%s\n' "${TIMINGS[@]}"
printf '%-28s %4ds\n' "total" $((SECONDS - started_all))
