# 联户通. Two commands for a newcomer: `make run` and `make test` (README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint bench backup restore messages trim-css clean

# The virtual environment is made when missing and reinstalled only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@scripts/run.sh

# The whole suite (what .ci/run calls). TEST_TODAY=YYYY-MM-DD moves the pinned "today"; TEST_TODAY=now uses the clock.
# It runs in TEST_WORKERS processes (one per core by default; TEST_WORKERS=0 runs in this one), each with its own test
# database and Redis database (config/settings/test.py).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: $(VENV)/.installed-test
	@scripts/ensure-test-services.sh
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The inner loop: everything but the browser journeys and the tests that start a real Celery worker.
test-fast: $(VENV)/.installed-test
	@NO_BROWSER=1 scripts/ensure-test-services.sh
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/pytest -m "not browser and not celery" $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Regenerate the message catalogues after changing strings; then translate the new entries.
messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --no-obsolete --no-wrap
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Bootstrap trimmed to the classes the pages use (static/vendor/bootstrap/bootstrap.used.min.css, committed): run it
# after using a Bootstrap class no page used before (a developer's step: needs Node.js and npm's purgecss).
trim-css: $(VENV)/.installed-test
	mkdir -p var/trim && cd var/trim && npm install --no-save --silent purgecss@6 && cp ../../scripts/trim-bootstrap.mjs . \
		&& node trim-bootstrap.mjs ../..

# Benchmarks (not part of `make test`): builds the datasets in PostgreSQL once, then measures (README.md); then the
# weight of the household head's phone pages in headless Chromium (bench/pageweight.py).
bench: $(VENV)/.installed-test
	@scripts/ensure-test-services.sh
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.pageweight

# Production backups: DATABASE_URL names the PostgreSQL database (see README.md, "Backup and restore").
backup: $(VENV)/.installed-run
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/python manage.py backup_db

restore: $(VENV)/.installed-run
	@test -n "$(FILE)" -a -n "$(DB)" || { echo "usage: make restore FILE=backups/x.dump DB=new_database_name [FORCE=1]"; exit 2; }
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/python manage.py restore_db "$(FILE)" --into "$(DB)" $(if $(FORCE),--force)

clean:
	rm -rf var/broker var/celerybeat-schedule*
