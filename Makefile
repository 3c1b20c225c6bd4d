# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export LAERINGSARENA_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test install lint typecheck format migrate demo messages clean

$(BIN)/laeringsarena: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/laeringsarena

## make run: install, migrate the embedded SQLite database in var/, load the demo, serve on :$(PORT)
## (gunicorn) with a background worker
run: install
	LAERINGSARENA_DEMO=true $(BIN)/laeringsarena migrate --no-input
	LAERINGSARENA_DEMO=true $(BIN)/laeringsarena demo
	LAERINGSARENA_DEMO=true $(BIN)/laeringsarena collectstatic --no-input --verbosity 0
	@# The background worker (e-mail, reminders) runs beside the web server and stops with it.
	LAERINGSARENA_DEMO=true $(BIN)/laeringsarena worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	LAERINGSARENA_DEMO=true $(BIN)/laeringsarena serve --port $(PORT)

## make test: lint, types and the whole suite on SQLite, PostgreSQL and in a browser
test: install
	@bash scripts/test.sh

lint: install
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src

format: install
	$(BIN)/ruff format src
	$(BIN)/ruff check --fix src

typecheck: install
	$(BIN)/mypy

messages: install
	cd src/laeringsarena && ../../$(BIN)/laeringsarena makemessages -l nb -l nn -l da -l en --no-obsolete
	cd src/laeringsarena && ../../$(BIN)/laeringsarena compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
