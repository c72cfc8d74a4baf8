# The two commands: `make run` and `make test`. Both set up .venv and node_modules when needed.
# requirements.txt is what the app needs to run; requirements-dev.txt adds the tests and tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000

.PHONY: run test lint setup bench test-fast clean

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The clause editor (CodeMirror 6) bundled by esbuild; drafting/static/build/ is not in git.
EDITOR_BUNDLE := drafting/static/build/text-editor.js
$(EDITOR_BUNDLE): node_modules/.installed $(wildcard drafting/static/js/editor/*.js)
	npm run --silent build

setup: $(VENV)/.installed node_modules/.installed $(EDITOR_BUNDLE)

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo-if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check drafting tests bench wsgi.py

test-fast: setup
	$(BIN)/python -m pytest -q -m "not browser and not slow"

# PostgreSQL and Redis too with DRAFTING_BENCH_DATABASE_URL (a database of its own: its tables are
# dropped) and DRAFTING_BENCH_MESSAGE_QUEUE, e.g. postgresql+psycopg://postgres@127.0.0.1/bench, redis://127.0.0.1:6379/0
bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules
