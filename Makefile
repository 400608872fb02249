# The project's verbs. `make run` and `make test` work on a fresh machine with
# Python 3.11 and make: everything else is installed into .venv from the lock file.
PYTHON ?= python3
UV_HOME := .cache/uv-tool
UV := $(UV_HOME)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)
PYTEST_ARGS ?=
# Test processes side by side, one per core ("auto"); 0 runs the suite in this process.
PYTEST_WORKERS ?= auto
BENCH_ARGS ?=

.PHONY: install run test lint fmt bench migrate seed clean

$(UV):
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --disable-pip-version-check uv

# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set, every process
# (each test run, each subprocess a test starts) would otherwise compile every library
# from source again, several seconds each.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --quiet --compile-bytecode
	touch $@

install: $(VENV)/.synced

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --if-empty

# The demo's texts carry each patient's personal link to this server, so the patient's
# side can be tried from the console (an address set in the environment wins).
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:8000
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# Beat's first recall sweep is an interval away: run one now so the demo's
	@# recall SMS show up (printed by the worker) within the first minute.
	$(PY) manage.py sweep_recalls
	@# The Procfile's "ready" line prints the address once the server answers.
	$(VENV)/bin/honcho start -f Procfile

# The project's own modules and the rewritten test modules are cached the same way.
# Tests are handed out one by one ("--dist load"): the schemathesis cases share one test
# id, which the grouping modes (loadscope, loadfile, loadgroup) would run only once.
test: install
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .cache var db.sqlite3 staticfiles
