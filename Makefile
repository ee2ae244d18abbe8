# Two commands: `make run` and `make test`. Everything else is plumbing for them.
# Needs only Python 3.11+ and the system's standard tools; installs the rest.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export DJANGO_SETTINGS_MODULE := platform_core.settings

# `make test` runs its own throw-away cluster beside a running `make run`.
# Ports are overridable so several work trees can test side by side on one machine.
TEST_PG_PORT    ?= 55433
TEST_REDIS_PORT ?= 56380
BENCH_PG_PORT    ?= 55434
BENCH_REDIS_PORT ?= 56381
TEST_ENV := BALAI_VAR=$(abspath var/test) BALAI_PG_PORT=$(TEST_PG_PORT) BALAI_REDIS_PORT=$(TEST_REDIS_PORT)

.PHONY: run test lint check bootstrap assets browser bench clean-var help

help:
	@echo "make run    start Balai (PostgreSQL, Redis, web, worker, beat) with a demo province"
	@echo "make test   lint + the whole test suite against real PostgreSQL and Redis"
	@echo "make bench  benchmarks (BENCH=provisioning|routing|footprint)"

## --- bootstrap ------------------------------------------------------------
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	@touch $@

assets: $(VENV)/.synced
	$(BIN)/python -m platform_core.runtime.assets

bootstrap: $(VENV)/.synced assets
	$(BIN)/python -m platform_core.runtime.i18n

browser:
	@bash deploy/bootstrap/ensure-chromium.sh

## --- the two commands ----------------------------------------------------------
run: bootstrap
	$(BIN)/balai run

test: bootstrap browser
	$(TEST_ENV) $(BIN)/balai dev exec -- $(MAKE) --no-print-directory check

## --- what `make test` runs inside the servers ------------------------------------
check: lint
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/balai makemigrations --check --dry-run
	$(BIN)/balai lint_migrations

bench: bootstrap
	BALAI_VAR=$(abspath var/bench) BALAI_PG_PORT=$(BENCH_PG_PORT) BALAI_REDIS_PORT=$(BENCH_REDIS_PORT) \
		$(BIN)/balai dev exec -- $(BIN)/python -m bench $(BENCH)

clean-var:
	$(BIN)/balai dev down || true
	rm -rf var
