# The two commands of a newcomer: `make run` (demo town) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo's FranceConnect: a local OpenID Connect provider (devtools/franceconnect_provider.py).
OIDC_PORT ?= $(shell echo $$(($(PORT) + 1000)))
APPS := $(wildcard portail/*/locale)

.PHONY: run test test-fast test-postgres lint format messages compilemessages check-messages \
        system-deps install demo worker clean bench bench-import load scaleout floor profile

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON))"; exit 1; }
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

install: system-deps $(VENV)/.installed node_modules/.installed
	@$(MAKE) --no-print-directory compilemessages

# The W3C Nu HTML checker (vnu.jar, pinned in package.json), run by the browser tests with Java.
node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# Debian packages from apt.txt, installed only when one is missing.
system-deps:
	@missing=$$(grep -v '^#' apt.txt | xargs -n1 | while read p; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

compilemessages:
	@for d in $(APPS); do (cd $$(dirname $$d) && ../../$(PY) -P -m django compilemessages -v0); done

messages:
	@for d in $(APPS); do (cd $$(dirname $$d) && DJANGO_SETTINGS_MODULE= ../../$(PY) -P -m django makemessages -l fr --no-obsolete --no-location -v0); done

# Every French message translated and none fuzzy; no msgid translated differently by two apps,
# no gettext alias that makemessages does not extract (scripts/check_catalogues.py).
check-messages:
	@status=0; for po in $$(ls portail/*/locale/fr/LC_MESSAGES/django.po 2>/dev/null); do \
	  out=$$(msgfmt --check --statistics -o /dev/null $$po 2>&1); \
	  case "$$out" in *untranslated*|*fuzzy*) echo "$$po: $$out"; status=1;; esac; \
	done; $(PY) scripts/check_catalogues.py || status=1; exit $$status

demo: install
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py demo

run: demo
	@echo ""
	@echo "Portail famille de Viry : http://127.0.0.1:$(PORT)"
	@echo "Comptes de démonstration :"
	@echo "  parent         demo.parent / DemoParent1"
	@echo "  agent          demo.agent  / DemoAgent1"
	@echo "  régisseur      demo.regie  / DemoRegie1"
	@echo "  administrateur demo.admin  / DemoAdmin1   (http://127.0.0.1:$(PORT)/administration/)"
	@echo "E-mails : console et http://127.0.0.1:$(PORT)/dev/mails/"
	@echo "FranceConnect (fournisseur local) : http://127.0.0.1:$(OIDC_PORT), identité « Angela Claire Louise DUBOIS »"
	@echo ""
	DEBUG=1 $(PY) manage.py db_worker --interval 1 & \
	worker=$$!; \
	DEBUG=1 $(PY) manage.py run_scheduler & \
	scheduler=$$!; \
	$(PY) devtools/franceconnect_provider.py --port $(OIDC_PORT) & \
	oidc=$$!; trap "kill $$worker $$scheduler $$oidc 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 PORT=$(PORT) FRANCECONNECT_SERVER_URL=http://127.0.0.1:$(OIDC_PORT) \
	  FRANCECONNECT_CLIENT_ID=portail-demo FRANCECONNECT_CLIENT_SECRET=demo-secret \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# Without the browser tests (quick loop while coding).
test-fast: install
	SKIP_E2E=1 $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks on PostgreSQL (127.0.0.1:5432): a 100-family and a 12,000-family town.
BENCH_DB := postgres://postgres@127.0.0.1:5432
# The rush, the floor and the profile run with sessions in Redis, as production does.
BENCH_CACHE ?= redis://127.0.0.1:6379/3
bench: install
	@for n in 100 12000; do \
	  psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='bench_$$n'" | grep -q 1 \
	    || psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE bench_$$n"; \
	  DATABASE_URL=$(BENCH_DB)/bench_$$n $(PY) -W ignore -m bench.run --families $$n --label $$n || exit 1; \
	done

# 12,000 families with their children and balances imported from generated files (< 2 min).
bench-import: install
	@psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS bench_import" \
	  -c "CREATE DATABASE bench_import"
	DATABASE_URL=$(BENCH_DB)/bench_import $(PY) -W ignore -m bench.import_bench --families 12000

# « Opening day » rush: locust against gunicorn and the 12,000-family PostgreSQL town, by steps
# of simultaneous parents (bench/locustfile.py); summary and worker memory in bench/results.json.
load: install
	@psql -q -h 127.0.0.1 -U postgres -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='bench_12000'" | grep -q 1 \
	  || psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE bench_12000"
	@n=$$(psql -qtA -h 127.0.0.1 -U postgres -d bench_12000 -c "SELECT count(*) FROM families_household" 2>/dev/null); \
	  if [ "$${n:-0}" -lt 12000 ]; then DATABASE_URL=$(BENCH_DB)/bench_12000 $(PY) -W ignore -m bench.run --families 12000 --label 12000; fi
	CACHE_URL=$(BENCH_CACHE) DATABASE_URL=$(BENCH_DB)/bench_12000 $(PY) -W ignore bench/load.py

# Each parent page against the independent floor (bench/floor_project), alternately, over HTTP.
floor: install
	CACHE_URL=$(BENCH_CACHE) DATABASE_URL=$(BENCH_DB)/bench_12000 $(PY) -W ignore bench/floor.py

# Where each parent page's time goes (SQL, template, session, the rest) and each middleware's cost.
profile: install
	CACHE_URL=$(BENCH_CACHE) DATABASE_URL=$(BENCH_DB)/bench_12000 $(PY) -W ignore -m bench.profile

# Two app servers and two task workers sharing PostgreSQL and Redis.
scaleout: install
	$(PY) bench/scaleout.py

clean:
	rm -rf var/test-media .pytest_cache
