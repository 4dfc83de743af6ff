# Probono: `make run` serves the seeded demo on 127.0.0.1:8000; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROD_ENV := DJANGO_SETTINGS_MODULE=probono.settings.production SECRET_KEY=check-deploy-only-not-a-real-key-0123456789abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=probono.example.org

.PHONY: install run test lint format migrations-check deploy-check check worker beat bench messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py run_matcher
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

check: lint migrations-check deploy-check

worker: install
	$(VENV)/bin/celery -A probono worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A probono beat --loglevel=INFO

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv
