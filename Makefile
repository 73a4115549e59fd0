# SpineCare assistant. `make run` to chat, `make test` to test; both set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
SPACY_DIR := build/spacy/en_spinecare
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help setup run run-scaled test test-unit test-integration test-e2e train eval bench profile lint format lock validate

help:
	@echo "make run    set up, train if needed, serve the chat on http://127.0.0.1:8080"
	@echo "make run-scaled  the same ports, served by nginx in front of 2 Rasa replicas (docs/scaling.md)"
	@echo "make test   set up, train if needed, run the whole test suite"
	@echo "make test-unit | test-integration | test-e2e   one layer of it (see docs/architecture.md)"
	@echo "make train  train the model if config, domain or data changed"
	@echo "make eval   evaluate NLU on the held-out test file (reports in results/)"
	@echo "make bench  this assistant against Rasa's stock bot under load (numbers for the README)"
	@echo "make profile  where a loaded Rasa server spends its time (results/profile/)"
	@echo "make lint   ruff check and format check"

$(VENV)/.installed: requirements/constraints.txt requirements/base.in requirements/dev.in pyproject.toml scripts/setup-venv.sh
	@scripts/setup-venv.sh

webchat/node_modules/.installed: webchat/package.json webchat/package-lock.json
	cd webchat && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(SPACY_DIR)/meta.json: $(VENV)/.installed spinecare/nlp/build.py spinecare/nlp/entity_patterns.yml
	$(PY) -m spinecare.nlp.build --output $(SPACY_DIR)
	@touch $@

setup: $(VENV)/.installed webchat/node_modules/.installed $(SPACY_DIR)/meta.json

train: setup
	$(PY) -m spinecare.training

run: train
	$(PY) -m spinecare.devserver

run-scaled: train
	@scripts/ensure-nginx.sh
	$(PY) -m spinecare.scaled

validate: setup
	$(VENV)/bin/rasa data validate --config config.yml --domain domain.yml --data data

test: train
	@scripts/ensure-chromium.sh
	@scripts/ensure-nginx.sh
	$(VENV)/bin/pytest

# The layers of `make test`, by marker: unit tests need no server and no trained model.
test-unit: setup
	$(VENV)/bin/pytest -m "not integration and not e2e"

test-integration: train
	@scripts/ensure-chromium.sh
	@scripts/ensure-nginx.sh
	$(VENV)/bin/pytest -m "integration and not e2e"

test-e2e: train
	$(VENV)/bin/pytest -m e2e

eval: train
	$(PY) -m bench.nlu_eval
	$(PY) -m bench.intake_eval --set $(sort $(notdir $(wildcard tests/eval/fresh*)))

bench: train
	$(PY) -m bench.load

profile: train
	$(PY) -m bench.profile

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock:
	@echo "Resolve requirements/*.in in a scratch venv and write requirements/constraints.txt:"
	rm -rf /tmp/spinecare-lock && $$(scripts/find-python310.sh) -m venv /tmp/spinecare-lock
	/tmp/spinecare-lock/bin/pip install -r requirements/base.in -r requirements/dev.in
	{ echo "# Lock of every Python package, made by 'make lock' from requirements/*.in on Python 3.10."; \
	  /tmp/spinecare-lock/bin/pip freeze; } > requirements/constraints.txt
