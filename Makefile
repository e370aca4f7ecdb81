# Indgang — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

-include .env
export

VENV        ?= .venv
PY          := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
RASA_PORT    ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT     ?= 8000
MODEL       := models/indgang.tar.gz
TRAIN_INPUTS := config.yml domain.yml rasa_addons/intent_classifier.py $(shell find nlu_data -name '*.yml' 2>/dev/null)
CATALOG_INPUTS := $(shell find catalog_data -type f 2>/dev/null)
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=3
export SQLALCHEMY_SILENCE_UBER_WARNING=1
# Secrets made once per checkout by the targets that start servers, readable by this user only
# (var/ is 0700, the files 0600); read lazily, so `make help` and other read-only targets create
# no files. Set RASA_TOKEN / ACTION_SECRET in the environment or .env to use your own.
SECRETS     := var/rasa-token var/action-secret
ifeq ($(strip $(RASA_TOKEN)),)
RASA_TOKEN   = $(if $(wildcard var/rasa-token),$(file < var/rasa-token))
endif
ifeq ($(strip $(ACTION_SECRET)),)
ACTION_SECRET = $(if $(wildcard var/action-secret),$(file < var/action-secret))
endif
CHROMIUM    ?= /usr/bin/chromium
export RASA_PORT ACTIONS_PORT WEB_PORT RASA_TOKEN ACTION_SECRET CHROMIUM

.PHONY: help install browser pdf-libs catalog publish train run run-prod test test-unit test-stories validate eval eval-conversations eval-cv bench clean clean-data lock

$(SECRETS):
	@umask 077; mkdir -p var; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > $@

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt scripts/find-python.sh
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	 if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYTHON"; "$$PYTHON" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip check
	@touch $@

install: $(VENV)/.installed ## create .venv (Python 3.10) and install the pinned dependencies

browser: ## Debian's chromium for the browser tests (apt-get, as root; no browser downloads)
	@test -x $(CHROMIUM) || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ; } || \
	  { echo "Browser tests need Chromium at $(CHROMIUM): install Debian's 'chromium' package (or set CHROMIUM)."; exit 1; }

pdf-libs: install ## Debian's pango and DejaVu fonts, which WeasyPrint draws the printed catalogue with (apt-get, as root)
	@$(PY) -c "import weasyprint" 2>/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	    fonts-dejavu-core >/dev/null; } ; } || \
	  { echo "The printed catalogue needs pango: install Debian's libpango-1.0-0 and libpangoft2-1.0-0."; exit 1; }

var/.catalog-imported: $(VENV)/.installed $(CATALOG_INPUTS)
	@umask 077; mkdir -p var
	umask 077; $(PY) -m bot catalog import  # the database also keeps praise and ended staff sessions: private
	@touch $@

catalog: var/.catalog-imported ## validate catalog_data/ and build the catalogue database

$(MODEL): $(VENV)/.installed $(TRAIN_INPUTS)
	$(RASA) train --data nlu_data --config config.yml --domain domain.yml --out models --fixed-model-name indgang

train: $(MODEL) ## train the model when it is older than its inputs

validate: install ## validate the catalogue and the Rasa training data
	$(PY) -m bot catalog validate
	$(RASA) data validate --data nlu_data --domain domain.yml --config config.yml --fail-on-warnings

run: install catalog train | $(SECRETS) ## start action server, Rasa server and web app; Ctrl-C stops all
	@echo ""
	@echo "  Rasa server:    http://localhost:$(RASA_PORT)/  (chat webhook: /webhooks/chat/webhook)"
	@echo "  Action server:  http://localhost:$(ACTIONS_PORT)/health"
	@echo "  Web (widget):   http://localhost:$(WEB_PORT)/   staff lookup: http://localhost:$(WEB_PORT)/staff"
	@test -s var/staff_users.yml || echo "  (no staff account yet: python -m bot web adduser NAME — see README)"
	@echo ""
	umask 077; $(VENV)/bin/honcho -f Procfile start  # tracker.db and logs readable by this user only

run-prod: install catalog train | $(SECRETS) ## production layout: 2 Rasa servers + nginx, PostgreSQL tracker, Redis locks
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	$(PY) scripts/run_prod.py

publish: catalog pdf-libs ## the external catalogue for the website and print: published/katalog.html and katalog.pdf
	$(PY) -m bot catalog publish --out published

test: install browser pdf-libs catalog train | $(SECRETS) ## everything CI runs: units, actions, browser, data validation, conversation tests
	$(PY) -m bot catalog validate
	$(RASA) data validate --data nlu_data --domain domain.yml --config config.yml
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory test-stories

test-unit: install ## pytest only (no trained model needed)
	$(PY) -m pytest -q -m "not model"

test-stories: install catalog train | $(SECRETS) ## conversation tests (tests/test_stories.yml) against the trained model
	@mkdir -p results
	@$(PY) scripts/with_action_server.py $(RASA) test core --stories tests/test_stories.yml --model $(MODEL) \
	   --endpoints endpoints.yml --fail-on-prediction-errors --out results/stories

eval: install catalog train ## routing figures: development set (misses listed), then the locked test set (figures only)
	$(PY) -m bot.evaluate --model $(MODEL) --data tests/data/eval_enquiries.yml
	@echo ""
	@mkdir -p results
	$(PY) -m bot.evaluate_locked --model $(MODEL) --json results/locked.json

eval-conversations: install catalog train | $(SECRETS) ## the scripted multi-turn conversations, judged turn by turn (starts the servers)
	@mkdir -p results
	$(PY) scripts/eval_conversations.py --model $(MODEL) --json results/conversations.json

eval-cv: install ## NLU cross-validation (slow: trains 5 models)
	$(RASA) test nlu --nlu nlu_data --config config.yml --cross-validation --folds 5 --out results/cv

bench: install catalog train | $(SECRETS) ## benchmarks: write docs/benchmarks.md (report only)
	$(PY) -m bench $(BENCH_ARGS)

lock: ## re-resolve requirements.in into requirements.txt (needs network to PyPI)
	@PYTHON=$$(scripts/find-python.sh) && rm -rf /tmp/indgang-lock && "$$PYTHON" -m venv /tmp/indgang-lock && \
	 /tmp/indgang-lock/bin/pip install --quiet "pip==24.0" && /tmp/indgang-lock/bin/pip install --quiet -r requirements.in && \
	 { echo "# Generated from requirements.in by 'make lock' on Python 3.10; install with pip install -r requirements.txt"; \
	   /tmp/indgang-lock/bin/pip freeze; } > requirements.txt

clean: ## remove what can be rebuilt: models, results, screenshots, caches (keeps .venv and everything in var/)
	rm -rf models results artifacts published .pytest_cache var/.catalog-imported
	@test ! -d var || echo "Kept var/ (staff accounts, conversations, call-back requests, praise, secrets): 'make clean-data CONFIRM=yes' deletes it."

clean-data: ## DELETE var/: staff accounts, conversations, call-back requests, praise, feedback, secrets (needs CONFIRM=yes)
	@test -d var || { echo "Nothing to delete: there is no var/."; exit 0; }; \
	 if [ "$(CONFIRM)" != "yes" ]; then \
	   echo "This deletes var/: staff accounts, the conversation tracker, the catalogue database with call-back"; \
	   echo "requests, praise and feedback, and the secrets. Nothing was deleted. To do it: make clean-data CONFIRM=yes"; \
	   exit 1; fi; \
	 rm -rf var && echo "Deleted var/."
