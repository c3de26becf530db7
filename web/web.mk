# The customer portal (web/): included by the Makefile. Node and npm from the machine.
.PHONY: web web-deps web-api web-test web-dev web-sizes chromium test-portal

WEB_DEPS := web/node_modules/.package-lock.json

$(WEB_DEPS): web/package.json web/package-lock.json
	@bash scripts/ensure-tools.sh npm
	cd web && npm ci --no-audit --no-fund
	@touch $@

web-deps: $(WEB_DEPS)

web-api: venv $(WEB_DEPS)  ## Regenerate the portal's API types from the OpenAPI (make openapi first)
	@mkdir -p build
	$(PY) -m infrastructure.openapi build/openapi.json
	cd web && npx openapi-typescript ../build/openapi.json -o src/api/schema.d.ts

# Rebuilt only when a source changed, so make local starts at once the second time.
WEB_DIST := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.ts web/tsconfig*.json -type f 2>/dev/null)

$(WEB_DIST): $(WEB_DEPS) $(WEB_SOURCES)
	cd web && npx tsc --noEmit && npx vite build --logLevel warn
	cd web && node scripts/sizes.mjs 150

web: $(WEB_DIST)  ## Build the portal into web/dist (typecheck, bundle, chunk sizes) when its sources changed

web-test: $(WEB_DEPS)  ## The portal's component tests (Vitest)
	cd web && npx vitest run

web-sizes:  ## Each chunk of the built portal, and the initial JavaScript against its budget
	cd web && node scripts/sizes.mjs 150

web-dev: $(WEB_DEPS)  ## Vite's dev server on :5173 against the running offline stack (make local)
	@test -f .local/stack.json || { echo "start the stack first: make local"; exit 1; }
	$(PYTHON) -c 'import json; s = json.load(open(".local/stack.json")); c = s["portal_config"]; c.update(redirectUri="http://localhost:5173/callback", logoutUri="http://localhost:5173/"); open("web/public/config.json", "w").write(json.dumps(c))'
	cd web && npx vite

chromium: tools  ## Debian's chromium for the browser tests (scripts/ensure-tools.sh), installed when missing

test-portal: venv web chromium  ## The portal's browser journeys (Playwright + Chromium) on the offline stack
	$(PY) -m pytest -q tests/e2e/test_portal_journeys.py tests/e2e/test_portal_a11y.py

# make test runs the browser journeys too: they need a browser (and the built portal, which
# its recipe builds beside the Python checks).
test: chromium

# The CDK app deploys web/dist: synthesizing or deploying builds the portal first.
synth: web
deploy: web
