# The two commands of the README: `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,excel]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dvk demo --out demo-output

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
