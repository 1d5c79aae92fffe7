# Quick start: `make run` (set up, plan the demo school, check the plan) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run demo test lint clean

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

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache *.egg-info
