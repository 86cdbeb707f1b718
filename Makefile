# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in messages and on pages point at the server `make run` starts (RUN_SITE_URL), unless SITE_URL
# is set in the environment or .env.
MANAGE = RUN_SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py

.PHONY: run test install install-dev setup static worker web clean bench bench-smoke

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Migrate, register schedules, load demo data, create the admin user and, with DEBUG on, web push keys
## for the local store when none are set (idempotent).
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_project
	$(MANAGE) generate_vapid_keys --local
	$(MANAGE) seed_demo_stock
	$(MANAGE) seed_demo
	$(MANAGE) seed_demo_checkouts

## Collect the static files into STATIC_ROOT (./staticfiles by default) for WhiteNoise to serve; with
## DEBUG=false they get content-hashed names and compressed copies. A production deploy step.
static: install
	$(PY) manage.py collectstatic --noinput

## Start the web server and the task worker together; Ctrl-C stops both.
run: setup
	@echo "Admin: http://$(HOST):$(PORT)/admin/"
	@$(MANAGE) qcluster & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

## The whole test suite (uses DATABASE_URL when set; SQLite otherwise).
test: install-dev
	$(VENV)/bin/pytest

## Benchmarks and fault drills on PostgreSQL (started if needed) into their own database
## (BENCH_DATABASE_URL, default orders_bench); writes bench/RESULTS.md. bench-smoke: seconds-long sizes.
bench: install-dev
	$(PY) -m bench

bench-smoke: install-dev
	$(PY) -m bench --smoke

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .hypothesis
