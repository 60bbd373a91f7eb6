# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SEED ?= 7
RECORDS ?= 6000

.PHONY: install demo test test-fast lint clean vendor reports stack stack-stop stack-status docs console dashboards

LOCK := constraints.txt

# Every package at the version constraints.txt locks (pyproject.toml pins only the direct ones).
$(STAMP): pyproject.toml $(LOCK) Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[dev,celery]'
	touch $(STAMP)

install: $(STAMP)

## lock: regenerate constraints.txt after changing a pin in pyproject.toml: a fresh venv (var/lock-venv)
## resolves pyproject.toml alone, and `pip freeze` writes every package it installed, indirect ones too
.PHONY: lock
LOCK_VENV := var/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[dev,celery]'
	{ sed -n '/^#/p' $(LOCK); $(LOCK_VENV)/bin/pip freeze --exclude-editable; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

## demo: install, generate the four sources, run the whole DAG with `airflow dags test`, print the summary
demo: install
	$(PY) scripts/demo.py --seed $(SEED) --records $(RECORDS)

## test: install and run every test (PostgreSQL tests run when HUB_TEST_POSTGRES_URL is set)
test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow"

## lint: ruff (rules and formatting) and mypy strict over the packages, dags, scripts, benchmarks and tests
## (the files mypy checks are listed in pyproject.toml); .ci/run runs it before the tests
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

## vendor: fetch the pinned Data Docs scripts and styles from the npm registry into var/vendor/ (once)
vendor: install
	$(PY) -c "from pathlib import Path; from expectations._docs_assets import ensure_assets; ensure_assets(Path('var/vendor'))"

## reports: GX Data Docs and the auditor report for DAY (make reports DAY=2026-11-20) under var/reports/
reports: install
	test -n "$(DAY)" || { echo "usage: make reports DAY=YYYY-MM-DD" >&2; exit 2; }
	$(PY) scripts/data_docs.py --day $(DAY)
	$(PY) -m warehouse report --day $(DAY) --out var/reports/

## stack: the production-like stack natively (no Docker), under supervisord: Airflow scheduler, DAG processor,
## triggerer and API server (http://localhost:8080) on the local PostgreSQL (databases hub_airflow, hub_warehouse),
## LocalExecutor (EXECUTOR=celery: Celery on the local Redis), simulators serving the sources; state, logs and
## var/stack/supervisord.conf in var/stack/ (`$(VENV)/bin/supervisorctl -c var/stack/supervisord.conf status`)
EXECUTOR ?= local
stack: install
	$(PY) scripts/stack.py start --executor $(EXECUTOR)

stack-stop:
	$(PY) scripts/stack.py stop

stack-status:
	$(PY) scripts/stack.py status

## console: the clerks' and auditors' web console on the warehouse (after `make demo`) at http://127.0.0.1:8090;
## the first start creates users `clerk` and `auditor` and prints their passwords once (docs/console.md)
CONSOLE_PORT ?= 8090
console: install
	$(PY) -m console serve --port $(CONSOLE_PORT)

## dashboards: Apache Superset in its own venv (var/superset-venv, dashboards/requirements.txt), metadata in
## var/superset, the dashboards of dashboards/assets imported against the warehouse (the embedded var/hub.db
## after `make demo`, or $$HUB_DATABASE_URL as the reader/auditor roles), served on http://127.0.0.1:8088
## (admin / $$SUPERSET_ADMIN_PASSWORD, default admin) until Ctrl-C
SUPERSET_PORT ?= 8088
dashboards:
	$(PYTHON) scripts/superset_venv.py var/superset-venv
	var/superset-venv/bin/python dashboards/deploy.py up --home var/superset --port $(SUPERSET_PORT) \
		--warehouse-url "$${HUB_DATABASE_URL:-sqlite:///$(CURDIR)/var/hub.db}"

## docs: build the documentation site from docs/ (MkDocs, strict: a broken link or anchor fails) into var/site/
docs: install
	$(VENV)/bin/mkdocs build --strict --site-dir var/site

## clean: forget the local warehouse, Airflow metadata and generated sources (var/)
clean:
	rm -rf var
