# Everything a newcomer needs: `make demo` and `make test` build .venv themselves when missing.
SHELL := /bin/bash
export PYENV_VERSION ?= 3.13.0
PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test unit lint deploy-check bench soak train train-deps format lock clean

venv: $(STAMP)

# Rebuilt when the lock or the project metadata changes; otherwise a no-op.
$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

demo: venv
	$(BIN)/briefing demo

test: venv lint deploy-check
	$(BIN)/python -m pytest -q

unit: venv
	$(BIN)/python -m pytest -q tests/unit

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml
	$(BIN)/mypy

# sam validate --lint, cfn-lint + checkov on the SAM and the translated template, sam build (arm64),
# layer and function sizes. SAM CLI and checkov live in their own virtualenvs (.venv-tools/).
deploy-check: venv
	scripts/ci/deploy_checks.sh

# Benchmarks print tables; nothing here asserts a time. BENCH_SCALES="38 380 3800" for the long run
# (about 2 h 10 min and 23 GB at 3,800: the embedded AWS keeps every item in memory).
BENCH_SCALES ?= 38 380
KORCEN := benchmarks/.venv-korcen
bench: venv $(KORCEN)/.installed
	$(BIN)/python benchmarks/cold_start.py --runs 9
	$(BIN)/python benchmarks/moderation/bench_vs_korcen.py --korcen-python $(KORCEN)/bin/python
	$(BIN)/python benchmarks/pipeline.py --scales $(BENCH_SCALES)

# Faults at 10/30/50 % x seeds 1-3 on the 38 dev releases, each run compared with a clean one (minutes).
soak: venv
	$(BIN)/python scripts/soak.py

# Retrain the abuse classifier (writes the same .bin byte for byte). scikit-learn, numpy and scipy are
# pinned apart (requirements-train.lock): only training needs them, so tests and the layer never install them.
TRAIN_STAMP := $(VENV)/.train-installed
train-deps: $(TRAIN_STAMP)
$(TRAIN_STAMP): $(STAMP) requirements-train.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-train.lock
	@touch $@

train: train-deps
	$(BIN)/python scripts/moderation/train_classifier.py

# korcen, the baseline of the moderation benchmark, never enters our own environment.
$(KORCEN)/.installed:
	@test -x $(KORCEN)/bin/python || $(PYTHON) -m venv $(KORCEN)
	$(KORCEN)/bin/python -m pip install --quiet --disable-pip-version-check korcen==1.0.3
	@touch $@

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-pin after changing dependencies in pyproject.toml.
lock: venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^briefing' | grep -vxF -f requirements-train.lock > requirements-dev.lock

clean:
	rm -rf $(VENV) .venv-tools $(KORCEN) .pytest_cache .mypy_cache .ruff_cache .aws-sam
