# The README's first two commands: `make run` and `make test`. Both go through `make install`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FALTSTOD_DATA ?= ./data
export FALTSTOD_DATA
PORT ?= 5000

.PHONY: install run test bench clean chromium

install: $(STAMP) pwa/dist/index.html

# The phone app: `npm ci` installs exactly the committed lock file (which lists every
# platform's optional packages, so no install rewrites it), then a build prints the size budget.
PWA_SOURCES := $(shell find pwa/src pwa/public pwa/scripts pwa/index.html pwa/vite.config.js contract \( -name __pycache__ -o -name '*.py' \) -prune -o -type f -print 2>/dev/null)

pwa/node_modules/.package-lock.json: pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund
	touch $@

pwa/dist/index.html: pwa/node_modules/.package-lock.json $(PWA_SOURCES)
	cd pwa && npm run build

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "pip>=24,<27"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The demo: the web server and, beside it, the reminder scheduler (Ctrl-C stops both).
run: install
	$(BIN)/faltstod seed-demo --if-empty
	$(BIN)/faltstod scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/faltstod serve --host 127.0.0.1 --port $(PORT)

test: install chromium
	$(BIN)/ruff check server sync tests
	cd pwa && npx vitest run
	$(BIN)/python -m pytest -n 2 --dist loadgroup --ignore=tests/bench

# The end-to-end tests (tests/e2e) drive a real Chromium; Playwright cannot download one here.
chromium:
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

bench: install
	$(BIN)/python -m pytest tests/bench -p no:xdist -s

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis pwa/node_modules pwa/dist
