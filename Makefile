# marsad — one command to run the demo, one to run the tests. Both set themselves up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(VENV)/.installed-base
STAMP := $(VENV)/.installed-dev

.PHONY: demo test dev lint typecheck smoke system-deps axe bench clean

$(BASE): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(BASE)

$(STAMP): $(BASE)
	$(BIN)/pip install -q -e '.[dev,ray]'
	touch $(STAMP)

dev: $(STAMP)

# Debian chromium and Arabic fonts for the browser tests (root on the CI machine; skipped if present).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "browser tests need: sudo apt-get install chromium fonts-noto-core"; fi; \
	fi

# axe-core from the npm registry for the accessibility checks in the browser tests (tests/web skip
# them, saying why, when it is absent). Kept out of git in .cache/npm.
AXE := .cache/npm/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@if command -v npm >/dev/null; then npm install --no-save --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null; \
	else echo "accessibility tests need npm (apt-get install npm) to fetch axe-core"; fi

# The main job on the embedded default store: ingest the sample corpus, print the stories.
demo: $(BASE)
	$(BIN)/marsad ingest samples/corpus
	$(BIN)/marsad stories

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	bash -n tools/smoke.sh

typecheck: $(STAMP)
	$(BIN)/mypy src

# What users install: build the wheel, install it wheels-only into a fresh venv (no dev extras) and run
# every command from outside the checkout, with loopback as the only network when run as root.
smoke:
	PY=$(PY) bash tools/smoke.sh

test: $(STAMP) system-deps axe lint typecheck smoke
	$(BIN)/pytest -q

bench: $(STAMP)
	for b in extraction dedup cluster similarity speed_cluster compare load scale; do \
	  nice $(BIN)/python bench/$$b.py || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache/npm test-artifacts bench/out
