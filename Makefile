# Two commands for a fresh machine (see README): `make run` and `make test`.
# Each creates .venv on first use and reinstalls when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps postgres-deps run test train benchmark benchmark-load clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "familybot needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

train: $(STAMP)
	$(BIN)/familybot train

run: $(STAMP)
	$(BIN)/familybot db upgrade
	$(BIN)/familybot db seed
	$(BIN)/familybot serve

# The browser tests drive Debian's Chromium (no browser download): install it if missing.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The tests start their own PostgreSQL server from Debian's binaries: install them if missing.
postgres-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }

test: $(STAMP) system-deps postgres-deps
	$(BIN)/familybot train
	$(BIN)/pytest -n auto --maxprocesses=4

benchmark: $(STAMP)
	$(BIN)/python benchmarks/nlu_bench.py

# Real `familybot serve` processes under SMS and web-chat traffic, SQLite and PostgreSQL (a few minutes).
benchmark-load: $(STAMP) postgres-deps
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) var build *.egg-info
