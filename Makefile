# Back-care assistant. `make run` and `make test` do all the set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa Open Source 3.6 supports Python 3.8-3.10 only: find a 3.10 (override with PYTHON=...).
PYTHON ?= $(shell for p in $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python $$HOME/.pyenv/versions/3.10.*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	[ -x "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
BOT := $(VENV)/bin/bot
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: soak insights help run shell train test test-python test-unit test-widget lint format validate conversations eval eval-topics nlu-corpus eval-safety bench facts system-deps widget run-production clean

help:
	@echo "make run     install, train if needed, serve REST + socket.io + widget on http://localhost:5005"
	@echo "make run-production   two Rasa servers on PostgreSQL + Redis (127.0.0.1), ports 5005 and 5006"
	@echo "make test    the whole test suite (unit, end-to-end, browser, conversation tests)"
	@echo "make test-unit   the fast loop: tests that need no server, browser, trained model or PostgreSQL/Redis"
	@echo "make lint / format   ruff check and format check / rewrite the Python in place"
	@echo "make shell   talk to the assistant in the terminal"
	@echo "make train   train only if the training data changed"
	@echo "make facts   check and load the fact base"
	@echo "make eval / eval-topics / eval-safety / bench   reports into reports/"
	@echo "make soak    ten minutes of load on the production profile, one server killed (reports/soak.md)"
	@echo "make clean   remove the environment, models and reports"

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.10 not found. Rasa 3.6 needs Python 3.8-3.10; install 3.10 (e.g. 'pyenv install 3.10') or run 'make PYTHON=/path/to/python3.10 ...'." >&2; exit 1; fi
	@echo "Installing the Python environment in $(VENV) (about two minutes, once)..."
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip<26" wheel "setuptools<71"
	@$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

install: $(STAMP)

# apt-get only when something is missing: a machine that has Chromium is left alone.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The website widget: widget/dist/ rebuilt from package.json + package-lock.json.
widget:
	@echo "Building the website widget..."
	@cd widget && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null && npm run --silent build

facts: $(STAMP)
	$(BOT) facts check
	$(BOT) facts load

train: $(STAMP)
	@echo "Checking the model (it is trained only when the training data changed)..."
	@$(BOT) model train

run: $(STAMP) train widget
	@$(BOT) serve

# The production profile (docs/deploy.md): conversations in PostgreSQL, locks in Redis.
run-production: $(STAMP) train widget
	@BACKCARE_PROFILE=production $(BOT) serve

# Beside a running `make run` it takes a free port and that run's action server.
shell: $(STAMP) train
	@$(PY) -m bot.run.shell

validate: $(STAMP)
	$(BOT) facts check
	$(PY) -m bot.tools.validate

conversations: train
	$(RASA) test core --model $$($(BOT) model path) --stories tests/conversations \
		--fail-on-prediction-errors --out reports/conversations

test-python: $(STAMP) system-deps train widget
	$(PY) -m pytest -q

# The widget's DOM-free modules under Node's own test runner (widget/test/).
test-widget:
	@cd widget && { [ -d node_modules ] || npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null; } && npm test --silent

# The fast loop: no server, browser, trained model, PostgreSQL or Redis, and none of the slow
# whole-corpus checks. Tests that need one carry a marker (pyproject.toml), most of them set by
# the fixture they use (tests/conftest.py); `make test` runs them all.
UNIT_TESTS := not e2e and not browser and not services and not model and not slow
test-unit: $(STAMP) test-widget
	$(PY) -m pytest -q -m "$(UNIT_TESTS)"

test: lint validate test-widget test-python conversations

# ruff (pinned in pyproject.toml): lint rules and the formatter's check; `make format` rewrites in place.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

eval: train
	$(PY) -m bot.tools.nlu_eval

# Topic accuracy on the question corpus over REST (docs/understanding.md): the dev
# split batch by batch, or FILE=path/to/batch.jsonl for one batch (a blind batch: once).
eval-topics: train
	$(PY) -m bot.tools.topic_eval $(if $(FILE),$(FILE),--split dev)

# data/nlu/corpus.yml from the train split of data/nlu_corpus (generated: never edit it by hand).
nlu-corpus: $(STAMP)
	$(PY) -m bot.tools.nlu_corpus_build

# Rules, learned model and both on the dev split, the labelled set and every batch
# (BATCHES=dir adds a directory of *.jsonl batches); docs/safety.md, Evaluation.
eval-safety: train
	$(PY) -m bot.tools.safety_report --out reports $(if $(BATCHES),--batches $(BATCHES))

bench: train
	$(PY) -m bench

# The clinic report (docs/insights.md): reports/insights.html + the unanswered list as CSV.
insights: $(STAMP)
	$(BOT) insights

# Ten minutes of 100 conversations on the production profile, one server killed midway (reports/soak.md).
soak: train widget
	$(PY) -m bench.soak

clean:
	rm -rf $(VENV) models .state reports .rasa results
