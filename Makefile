# The two commands of the README: `make demo` and `make test`.
# `make demo` installs only what dvk needs to run (the runtime dependencies); `make test` adds the dev tools
# and the Excel extra. Each install has its own stamp, so `make demo` after `make test` installs nothing.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,excel]'
	touch $(RUNTIME) $(STAMP)

demo: $(RUNTIME)
	$(BIN)/dvk demo --out demo-output
	@echo "dvk đã cài trong $(VENV): gọi $(BIN)/dvk …, hoặc kích hoạt trước: . $(BIN)/activate (rồi gõ dvk …)"

test: $(STAMP)
	$(BIN)/pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check schemas workbook sync addin tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/sync_requests.py
	$(BIN)/python bench/master_build.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
