# One command per job. `make run` installs, prepares a SQLite database with places and demo data, and serves.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
# Links in the emails point at the server `make run` starts, unless SITE_URL is given.
SITE_URL ?= http://$(HOST)

.PHONY: install db run test lint bench messages openapi

# An existing environment (possibly shared by several checkouts) is updated in place, never re-created.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || { python3 -m venv $(VENV) && $(PIP) install --quiet --upgrade pip; }
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogs are committed; run this after editing locale/*.po (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --no-location --ignore '$(VENV)/*' --ignore 'static/vendor/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --ignore '$(VENV)'

db: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_places
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py seed_mag_demo --if-empty

run: db
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST)

# All the tests on SQLite, then on PostgreSQL when DATABASE_URL points at one.
test: install
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v 1
	env -u DATABASE_URL $(VENV)/bin/pytest
	@if [ -n "$$DATABASE_URL" ]; then echo "== PostgreSQL: $$DATABASE_URL"; $(VENV)/bin/pytest -m "not browser"; fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The public API's OpenAPI schema, which tests/producers/api/test_contract.py compares with the code: write it again
# only when changing the API on purpose (docs/partners.en.md, "Changing the API").
openapi: install
	env -u DATABASE_URL $(PY) manage.py export_openapi_schema --api producers.api.api --indent 2 --sorted --output docs/api/openapi.json

# Load benchmark of the public pages (docs/performance.md): REUSE=1 keeps the seeded databases, SCALE=1 adds the
# 10k / 1M scaling table, BENCH_ARGS passes more options to bench/run.py (--duration 20, --only department …,
# --no-browser to skip the maps in headless Chromium).
bench: install
	$(PY) bench/run.py $(if $(REUSE),--reuse) $(if $(SCALE),--scale) $(BENCH_ARGS)
