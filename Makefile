# Zhengtu: two commands. `make run` sets everything up and serves; `make test` checks everything.
# `make run` never adds demo data: on an empty database it says how to create the first administrator.
# `make demo` is the newcomer's one command: the same setup, demo data (empty or demo database only), serve.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= county
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
PG_ENV = ZHENGTU_TEST_DB=postgresql ZHENGTU_DB_HOST=127.0.0.1 ZHENGTU_DB_PORT=$${ZHENGTU_TEST_PG_PORT:-5433} ZHENGTU_DB_USER=postgres ZHENGTU_DB_NAME=zhengtu

.PHONY: run demo scaled test setup venv system-packages runtime-packages postgres lint typecheck layers check-deploy test-sqlite test-postgres test-e2e bench messages lock clean

run: setup
	$(BIN)/python manage.py create_admin --check
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

demo: setup
	$(BIN)/python manage.py seed_demo --scale $(SCALE)
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

# The scaled shape on this machine: PostgreSQL, Redis, web, gateway, writers, jobs (scripts/scaled.sh).
scaled: venv runtime-packages
	bash scripts/scaled.sh

test: venv system-packages postgres
	$(BIN)/python manage.py compile_catalogues --settings=zhengtu.settings.test
	$(MAKE) --no-print-directory lint typecheck layers check-deploy test-sqlite test-postgres test-e2e

venv: $(STAMP)

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: venv runtime-packages
	$(BIN)/python manage.py compile_catalogues
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py make_vapid_key
	$(BIN)/python manage.py load_workdays
	$(BIN)/python manage.py load_instruments
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

system-packages:
	bash scripts/system-packages.sh test

runtime-packages:
	bash scripts/system-packages.sh runtime

postgres:
	bash scripts/test-postgres.sh start

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy zhengtu

# The spine never imports a domain app (contracts in pyproject.toml, [tool.importlinter]).
layers: venv
	$(BIN)/lint-imports

# The scaled settings must pass Django's deployment checks with no warning (throw-away keys here).
check-deploy: venv
	DJANGO_SETTINGS_MODULE=zhengtu.settings.scaled ZHENGTU_ALLOWED_HOSTS=zhengtu.example.gov.cn \
	ZHENGTU_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ZHENGTU_FIELD_KEY=$$($(BIN)/python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())') \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite: venv
	$(BIN)/pytest -q -n 2 zhengtu

test-postgres: venv postgres
	$(PG_ENV) $(BIN)/pytest -q -n 2 zhengtu

test-e2e: venv
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q e2e

# `make bench` (python -m bench NAME runs one): on PostgreSQL every bench starts a cluster of its own (fsync on),
# throw-away, or for registry and dashboards kept in .bench/ with a seeded template that each run copies
# (bench/seeded.py), so two runs never share a database; ZHENGTU_BENCH_PG=shared (or ZHENGTU_DB_HOST/ZHENGTU_DB_PORT) measures an existing server.
bench: setup system-packages postgres
	$(BIN)/python -m bench

messages: venv
	for app in zhengtu/*/; do if [ -d $$app/locale ]; then (cd $$app && ../../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --ignore 'tests/*' >/dev/null); fi; done

lock:
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) staticfiles
