# Two entry points: `make run` (clean the bundled samples) and `make test`.
# Each builds its own virtual environment from the pinned constraints on first use:
# `run` installs what running needs; `test` adds the test tools, the type checker and Ray.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install -q -c constraints.txt
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint typecheck train characters bench bench-dedup bench-dedup-10m clean-venv

$(RUN_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(PIP) -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(PIP) -e '.[dev,ray]'
	touch $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/harvester clean

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# Retrain the learned models from ../shared/corpus and print their held-out numbers: line breaks
# first (read on raw texts), then boilerplate lines and JD documents (read on what cleaning keeps).
train: $(TEST_STAMP)
	$(BIN)/python -m harvester.train_break_model --loso
	$(BIN)/python -m harvester.train_line_model --loso
	$(BIN)/python -m harvester.train_job_model --loso

# Rebuild the OpenCC part of data/lexicon/characters.toml (traditional -> simplified characters).
characters: $(TEST_STAMP)
	$(BIN)/python -m harvester.build_characters

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_clean.py
	$(BIN)/python benchmarks/bench_site_pages.py

bench-dedup: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_dedup.py

bench-dedup-10m: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_dedup.py --docs 10000000 --baseline-docs 0

clean-venv:
	rm -rf $(VENV)
