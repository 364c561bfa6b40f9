# Two commands do everything on a fresh machine:
#   make demo   - install, migrate, load demo data, print the accounts, serve on $PORT
#   make test   - install, make sure PostgreSQL and Redis answer, lint, run the tests
# uv installs from uv.lock into .venv; uv itself is bootstrapped into .tools with pip.

PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint typecheck services worker serve install bench fuzz chaos messages messages-compile

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed messages-compile

# The translations (README, "Languages"): one catalog for the five apps, committed as .po; the
# .mo that Django reads is compiled from it here (not committed). `make messages` extracts the
# texts anew after a change (new msgids empty, vanished ones dropped), for translating.
PO := portal/locale/es/LC_MESSAGES/django.po
MO := portal/locale/es/LC_MESSAGES/django.mo
MAKEMESSAGES_IGNORE := --ignore=tests --ignore=bench --ignore=chaos --ignore=scripts --ignore=docs \
	--ignore=staticfiles --ignore=media --ignore=.venv --ignore=.tools

$(MO): $(PO) | $(VENV)/.installed
	bash scripts/ensure-gettext.sh
	$(PY) manage.py compilemessages --locale es --ignore '.*' -v0
	touch $@

messages-compile: $(MO)

messages: install
	bash scripts/ensure-gettext.sh
	$(PY) manage.py makemessages --locale es --no-obsolete --add-location=file --no-wrap $(MAKEMESSAGES_IGNORE)
	$(PY) manage.py compilemessages --locale es --ignore '.*' -v0

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

services:
	bash scripts/ensure-services.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy with the django-stubs and DRF plugins, over the five apps ([tool.mypy] in pyproject.toml).
typecheck: install
	$(VENV)/bin/mypy

test: install services lint typecheck
	$(PY) manage.py makemigrations --check --dry-run --settings=portal.settings.test
	$(VENV)/bin/pytest

# The production recipe (Procfile: gunicorn, a Celery worker, one beat) with prod settings on
# $(PORT), against DATABASE_URL, CELERY_BROKER_URL and CACHE_URL (README, "Deploy").
serve: export DJANGO_SETTINGS_MODULE ?= portal.settings.prod
serve: export PORT := $(PORT)
serve: install
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(PY) scripts/procfile.py Procfile

# A Celery worker with the beat scheduler embedded, against CELERY_BROKER_URL.
worker: install
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to run a worker."; exit 2; }
	$(VENV)/bin/celery -A portal worker --beat --loglevel=info --concurrency=2

# The benchmark at sponsor scale on PostgreSQL (BENCH_DATABASE_URL, default a database
# bench_portal on 127.0.0.1): writes bench/results.json and prints the table.
bench: install services
	$(PY) -m bench.run

# Property-based fuzzing of every operation of the schema, at length: FUZZ_EXAMPLES per operation
# and role, and schemathesis's coverage phase (`make test` runs a few examples, without it).
FUZZ_EXAMPLES ?= 200
fuzz: install services
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_COVERAGE=1 $(VENV)/bin/pytest tests/security/test_fuzz.py

# The fault run (docs/operations.md, "Chaos run"): production settings, 4 gunicorn workers, a
# Celery worker and beat, its own Redis servers and SMTP sink; PostgreSQL sessions killed, the
# broker and the cache stopped, a worker killed. Not part of `make test`. CHAOS_SECONDS a phase.
chaos: install services
	$(PY) -m chaos.run
