# The README's first two commands: `make run` and `make test`. Both go through `make install`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FALTSTOD_DATA ?= ./data
export FALTSTOD_DATA

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "pip>=24,<27"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/faltstod seed-demo --if-empty
	$(BIN)/faltstod serve --host 127.0.0.1 --port 5000

test: install
	$(BIN)/ruff check server sync tests
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: install
	$(BIN)/python -m pytest tests/bench -p no:xdist -s

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
