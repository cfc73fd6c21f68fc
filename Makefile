# Two commands do everything on a fresh machine: `make demo` and `make test`.
# Each target bootstraps .venv from pyproject.toml on first use (and again when pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench bench-quick bench-all soak format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m rtmcompat demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The numbers of issue 10, each against the lean baseline (bench/README.md): about 6 minutes on 2 cores.
bench: $(STAMP)
	$(BIN)/python -m bench.report

# The same, small (about a minute).
bench-quick: $(STAMP)
	$(BIN)/python -m bench.report --quick

# Everything: the report, the RTMv2 model's detailed story, the shim against a native port, the scanner.
bench-all: bench
	$(BIN)/python -m bench
	$(BIN)/python -m bench.shim
	$(BIN)/python -m bench.scan
	$(BIN)/python -m bench.replay --limit 100000

# The stress scenario of tests/stress for minutes (exit 1 on any failure), e.g.
# make soak SOAK_ARGS="--minutes 2 --threads 16 --seed 7"
SOAK_ARGS ?= --minutes 10

soak: $(STAMP)
	$(BIN)/python -m tests.stress.soak $(SOAK_ARGS)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
