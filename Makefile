# Quick start: `make run` (set up, serve the app) and `make check` (set up, every check and test, as CI).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run demo test check lint clean

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/streamlit run ui/app.py --server.headless true --server.address localhost --server.port 8501 \
		--browser.gatherUsageStats false --client.toolbarMode viewer

demo: setup
	$(BIN)/afterschool validate instances/example.json --quiet
	$(BIN)/afterschool solve instances/example.json -o out/example-plan.json --time-limit 20
	$(BIN)/afterschool check instances/example.json out/example-plan.json

# the quick loop: lint and every test not marked slow
test: lint
	$(BIN)/pytest -m "not slow"

# everything, as CI runs it
check: lint
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache *.egg-info
