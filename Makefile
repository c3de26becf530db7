# salesportal — every target creates the virtual environment it needs when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv local test test-fast synth bench lint format openapi fire clean

help:  ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)  ## Create or update the virtual environment

local: venv  ## Start the whole system offline on 127.0.0.1 (Ctrl-C stops it)
	$(PY) -m infrastructure.local

fire: venv  ## Fire a schedule of the running offline stack now: make fire SCHEDULE=<name>
	$(PY) -m infrastructure.local fire $(SCHEDULE)

test: venv  ## Lint, then every test suite (unit, integration, infrastructure, e2e), offline
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -q tests

test-fast: venv  ## Unit and integration tests only
	$(PY) -m pytest -q tests/unit tests/integration

synth: venv layer  ## Synthesize the CloudFormation template into cdk.out/ (offline)
	$(PY) -m infrastructure.cdk.app

bench: venv  ## Benchmarks: import time, warm latency, AWS calls per request
	$(PY) -m benchmarks.run

lint: venv  ## ruff and mypy
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: venv  ## Apply ruff's fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

openapi: venv  ## Write build/openapi.json for the whole API, generated from the handlers
	@mkdir -p build
	$(PY) -m infrastructure.openapi build/openapi.json
	@echo "wrote build/openapi.json"

clean:  ## Remove build output (keeps the virtual environment)
	rm -rf build cdk.out .local .pytest_cache .mypy_cache .ruff_cache

-include infrastructure/cdk/layer.mk
-include web/web.mk
