# Two commands matter: `make run` and `make test`. Everything else is a step they depend on.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pyenv's python3.10 shim fails when 3.10 is not the selected version, so try real paths too.
PY310 := $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do $$p -c 'import sys' >/dev/null 2>&1 && { echo $$p; break; }; done)
CHROMIUM := /usr/bin/chromium
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run run-scaled test install model validate content-check pytest test-faults test-publish stories nlu-report browser balancer deploy-check bench bench-scaled lint audit clean

run: model
	$(BIN)/councilbot run

# Two replicas of every tier behind HAProxy, on PostgreSQL and Redis (README: scale-out).
SCALED_POSTGRES ?= postgresql://postgres@127.0.0.1:5432
SCALED_ENV = DATABASE_URL=$${DATABASE_URL:-$(SCALED_POSTGRES)/councilbot_gateway} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} RASA_TRACKER_DIALECT=postgresql \
	RASA_TRACKER_DB=$${RASA_TRACKER_DB:-councilbot_tracker} \
	RASA_TRACKER_USER=$${RASA_TRACKER_USER:-postgres}
run-scaled: model balancer
	$(SCALED_ENV) $(BIN)/councilbot run-scaled

# The shipped content's dry-run publish (content-check) runs every story in tests/stories with
# the model `make model` trained, so `make stories` is not run again here.
test: install browser balancer model validate deploy-check content-check pytest test-faults nlu-report
	@echo "All checks passed."

install: $(STAMP)
	@$(BIN)/python -m bot.rasa.assets.sentence_model

$(STAMP): pyproject.toml
	@test -n "$(PY310)" || { echo "python3.10 is needed (Rasa 3.6 supports Python 3.8-3.10)"; exit 1; }
	@test -x $(BIN)/python || $(PY310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools<71" wheel
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip check
	@touch $(STAMP)

# Debian's Chromium for the browser tests; Playwright never downloads a browser here.
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's HAProxy, the load balancer of `make run-scaled` and the scale-out tests.
balancer:
	@command -v haproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }

# The Compose file and Kubernetes manifests against their published schemas. The validators
# need a newer jsonschema than Rasa allows, so they get their own virtualenv.
DEPLOY_VENV := .venv-deploy
$(DEPLOY_VENV)/.installed:
	@test -x $(DEPLOY_VENV)/bin/python || $(PY310) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/pip install --quiet kubernetes-validate==1.37.0 check-jsonschema==0.38.2
	$(DEPLOY_VENV)/bin/pip check
	@touch $@
deploy-check: $(DEPLOY_VENV)/.installed
	$(DEPLOY_VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec deploy/compose.yml
	$(DEPLOY_VENV)/bin/kubernetes-validate --strict --quiet deploy/kubernetes/*.yml
	@echo "deploy files: valid"

model: install
	@mkdir -p var
	$(BIN)/councilbot train > var/train.log 2>&1 || { tail -c 3000 var/train.log; exit 1; }
	@tail -n 1 var/train.log

validate: install
	$(BIN)/councilbot rasa data validate --fail-on-warnings > var/validate.log 2>&1 || { grep -v "Warning\|warn(" var/validate.log | tail -n 40; exit 1; }
	@echo "rasa data validate: no warnings"

# The shipped content passes its own checks and would publish: a dry run on the real data
# (check, train, test, never live). Training after `model` is almost all cache hits.
content-check: model
	$(BIN)/councilbot content check --no-rasa
	@$(BIN)/councilbot content publish --dry-run > var/content-check.log 2>&1 || { cat var/content-check.log; exit 1; }
	@grep -E "^ok  Testing the conversations|^Dry run" var/content-check.log

pytest: install
	$(BIN)/pytest -q --durations=15 --ignore=tests/faults -m "not real_publish"

# In Chromium, an editor changes a shipped answer on the real project and publishes it: a real
# retraining, so minutes long; not part of `make test`.
test-publish: model browser
	$(BIN)/pytest -q -m real_publish tests/e2e

# Parts of the assistant killed, frozen and failing under its supervisor, with a tally of
# what residents got. Its own run, so only one Rasa is up at a time.
test-faults: model
	$(BIN)/pytest -q tests/faults

stories: model
	$(BIN)/councilbot rasa test core --stories tests/stories --model models --fail-on-prediction-errors --out results/stories > var/stories.log 2>&1 || { grep -A 30 "failed\|Failed" var/stories.log | head -n 60; exit 1; }
	@grep -o "Correct: .*" var/stories.log | sed 's/^/rasa test stories: /'
	@echo "rasa test stories: all passed with --fail-on-prediction-errors"

# Held-out NLU evaluation: trains NLU on 80% of the examples, tests on the unseen 20%.
nlu-report: install
	$(BIN)/python -m scripts.nlu_report

# Locust's pins clash with Rasa's: it and py-spy get a virtual environment of their own.
BENCH_VENV := var/bench/venv
$(BENCH_VENV)/.installed:
	@test -n "$(PY310)" || { echo "python3.10 is needed"; exit 1; }
	$(PY310) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet "locust==2.46.0" "py-spy==0.4.3"
	@touch $@

# Load test of scripted conversations: bare Rasa, the project's Rasa and the gateway, one run.
bench: model $(BENCH_VENV)/.installed
	$(BIN)/python -m scripts.bench
	$(BIN)/python -m scripts.bench_insights

# Known vulnerabilities in every installed package (pip-audit in its own virtualenv: its pins
# clash with Rasa's). ARGS are passed on, e.g. make audit ARGS="--vulnerability-service osv".
AUDIT_VENV := var/audit-venv
audit: install
	@test -x $(AUDIT_VENV)/bin/pip-audit || { python3 -m venv $(AUDIT_VENV) && $(AUDIT_VENV)/bin/pip install --quiet "pip-audit>=2.7,<3"; }
	$(BIN)/python -m scripts.audit $(ARGS)

# Throughput of two replicas of every tier against one, and CPU per request of each tier.
bench-scaled: model balancer
	$(BIN)/python -m scripts.bench_scaled

lint: install
	$(BIN)/ruff check bot actions tests scripts

clean:
	rm -rf $(VENV) $(DEPLOY_VENV) models var results .pytest_cache
