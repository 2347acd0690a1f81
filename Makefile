# Two commands: `make run` sets everything up and serves the portal; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs only what the portal needs; `make test` adds the dev extra (pytest, mypy,
# playwright, schemathesis, locust...), so a test after a run installs only the difference.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python scripts/run.py

test: $(TEST_STAMP)
	$(BIN)/python scripts/test.py $(ARGS)

clean:
	rm -rf $(VENV) var
