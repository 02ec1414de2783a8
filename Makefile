# xiaoneng — two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
# Everything else here serves those two.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/xiaoneng
# pytest workers: both cores by default
WORKERS ?= 2

.PHONY: run test lint check venv venv-dev messages bench clean demo-reset

$(VENV)/.base: requirements/base.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
	$(PY) -m pip install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PY) -m pip install --quiet -r requirements/dev.txt
	@touch $@

venv: $(VENV)/.base
venv-dev: $(VENV)/.dev

## make run: migrate, load the demo city on first run, serve on 127.0.0.1:$(PORT)
run: $(VENV)/.base
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "效能监督平台: http://127.0.0.1:$(PORT)/  (SQLite, tasks in-process; Ctrl-C stops)"
	XN_SCHEDULER=1 $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

## make test: lint, checks, migrations check, unit + integration + browser tests
test: $(VENV)/.dev
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "make test: database from DATABASE_URL ($${DATABASE_URL%%:*})"; \
	elif $(PY) -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',5432)))"; then \
		echo "make test: PostgreSQL answers on 127.0.0.1:5432 — using it"; \
	else \
		echo "make test: no PostgreSQL on 127.0.0.1:5432 — using SQLite"; \
	fi
	@test -x /usr/bin/chromium || { echo "make test: browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium fonts-noto-cjk)"; exit 1; }
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check
	@DB="$${DATABASE_URL:-}"; \
	if [ -z "$$DB" ] && $(PY) -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',5432)))"; then DB="$(PG_URL)"; fi; \
	if [ -n "$$DB" ]; then export DATABASE_URL="$$DB"; fi; \
	XN_ENV=test $(PY) -m pytest -n $(WORKERS) --dist loadgroup -q $(PYTEST_ARGS)

# packages type-checked with mypy (django-stubs); every app joins this list
TYPED := core org accounts supervisors inspections cases evaluations accountability xiaoneng

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	XN_ENV=test $(VENV)/bin/mypy $(TYPED)

check: $(VENV)/.dev
	XN_ENV=test $(PY) manage.py check
	XN_ENV=test $(PY) manage.py makemigrations --check --dry-run

## make messages: regenerate and compile the English catalogue (needs GNU gettext)
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages_py

## make bench: print performance figures (not timed tests)
bench: $(VENV)/.dev
	$(PY) bench/run.py

demo-reset:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache .ruff_cache
