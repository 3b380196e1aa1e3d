# dutylist — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: setup demo test lint bench schemas samples clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

demo: setup  ## validate the sample catalogues and summarise them
	$(BIN)/dutylist validate --root catalogues
	$(BIN)/dutylist stats 2025 --root catalogues

test: setup  ## the test suite
	$(BIN)/python -m pytest

lint: setup  ## ruff (lint and format) and mypy strict
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

bench: setup  ## speed targets: validate (ratios in the same run), then compile and stats
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_compile.py
	$(BIN)/python benchmarks/bench_diff.py
	$(BIN)/python benchmarks/bench_find.py

schemas: setup  ## regenerate schemas/ and the precompiled validators from the models
	$(BIN)/dutylist schema --out schemas
	$(BIN)/python -m dutylist.model.coreschema --write

samples: setup  ## regenerate catalogues/ from scripts/make_samples.py
	$(BIN)/python scripts/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .bench catalogues/.dutylist
