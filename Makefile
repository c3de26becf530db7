# salesportal — every target creates the virtual environment it needs when it is missing.
SHELL := /bin/bash
# Tests run on the Python the functions deploy on (python3.13 on Lambda): the first python3.13
# found that really is 3.13 (pyenv shims answer to the name without one installed).
PYTHON ?= $(shell for p in python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13); do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null && command -v $$p && break; done)
VENV ?= .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.txt | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.package-lock.json
# The running offline stack (make local writes it; make fire reads it)
STACK ?= .local/stack.json
# CDK's CLI and jsii (which synthesizes under pytest too) run the Node LTS pinned in
# package.json, not whatever node the machine has.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
# Bytecode is compiled on first import (compiling the whole venv at install would take minutes),
# into the venv, not beside the sources (CDK packages functions/ and layers/ as they are).
export PYTHONPYCACHEPREFIX := $(abspath $(VENV))/pycache
export UV_PYTHON_DOWNLOADS := never

.PHONY: help tools venv node lock local test test-fast synth bench lint format openapi fire clean

help:  ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt requirements/uv.txt
	@test -e $(PY) || { test -n "$(PYTHON)" || { echo "Python 3.13 not found (the Lambda runtime's version, which" \
		"the tests run on): install it, or pass PYTHON=/path/to/python3.13" >&2; exit 1; }; \
		echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@$(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' || { echo "$(VENV) is not Python 3.13," \
		"the version the functions deploy on: remove it (rm -rf $(VENV)) and run make venv again" >&2; exit 1; }
	@test -x $(UV) || $(PY) -m pip install --disable-pip-version-check --no-deps --require-hashes -r requirements/uv.txt
	$(UV) pip sync --python $(PY) --require-hashes requirements/dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)  ## Create or update the virtual environment (Python 3.13) from requirements/dev.txt

tools:  ## Install what the tests need besides Python 3.13, when missing (npm, curl, jq, chromium)
	@bash scripts/ensure-tools.sh

$(NODE_STAMP): package-lock.json
	@bash scripts/ensure-tools.sh npm
	npm ci --no-audit --no-fund

node: $(NODE_STAMP)  ## Install the pinned CDK CLI and Node.js LTS from package-lock.json

lock: venv  ## Lock pyproject.toml's dependencies into requirements/*.txt (UPGRADE=1: newest allowed)
	$(UV) pip compile --quiet pyproject.toml --python-version 3.13 --python-platform aarch64-manylinux_2_34 \
		--only-binary :all: --generate-hashes $(if $(UPGRADE),--upgrade) -o requirements/lambda.txt
	$(UV) pip compile --quiet pyproject.toml --extra dev --universal --python-version 3.13 --generate-hashes \
		$(if $(UPGRADE),--upgrade) -c requirements/lambda.txt -o requirements/dev.txt
	sed -n 's/^uv==\([^ ]*\).*/uv==\1/p' requirements/dev.txt | $(UV) pip compile --quiet - --universal \
		--python-version 3.13 --generate-hashes --no-header --no-annotate -o requirements/uv.txt

local: venv web  ## Start the whole system offline on 127.0.0.1, the portal included (Ctrl-C stops it); ARGS="--api-port 0" etc.
	$(PY) -m infrastructure.local --state-dir $(dir $(STACK)) $(ARGS)

fire: venv  ## Fire a schedule of the running offline stack now: make fire SCHEDULE=<name>
	@$(PY) -m infrastructure.local fire $(SCHEDULE) --state-dir $(dir $(STACK))

COVERAGE_FLOOR := 95

test: tools venv node  ## Lint, then every test suite (unit, integration, infrastructure, e2e), offline
	@# ruff and mypy beside the portal's build and component tests: each keeps about one core
	@# busy (mypy alone takes 1-2 minutes from a clean clone), so side by side they take the
	@# time of the longer. Each one's output is printed whole when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target lint web web-test
	@# Coverage of the layer and the handlers by the in-process suites (the offline stack's
	@# own processes are not measured); below COVERAGE_FLOOR percent the run fails.
	@# Schemathesis' cases run in the same two processes (its file on one of them, with its own stack).
	COVERAGE_CORE=sysmon $(PY) -m pytest -q -n 2 --dist loadfile --durations=15 --junitxml=build/junit.xml tests \
		--cov=layers/shared/python/salesportal --cov=functions --cov-report=term:skip-covered \
		--cov-report=xml:build/coverage.xml --cov-fail-under=$(COVERAGE_FLOOR)

test-fast: venv  ## Unit and integration tests only
	$(PY) -m pytest -q -n 2 --dist loadfile tests/unit tests/integration

synth: venv node layer  ## Synthesize the CloudFormation template into cdk.out/ (offline)
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

.PHONY: deploy secrets
deploy: venv node layer  ## Deploy to your AWS account and region (README: Deploying): make deploy ARGS="-c alarmEmail=..."
	$(PY) -m infrastructure.deploy -- $(ARGS)

secrets: venv  ## Check the deployed secrets, or set them: make secrets FILE=secrets.json
	$(PY) -m infrastructure.secrets $(if $(FILE),--file $(FILE))

bench-load: venv  ## Load: virtual customers run the funnel and plan searches on the offline stack (USERS="10 50")
	$(PY) -m benchmarks.load --users $(or $(USERS),10 50)
