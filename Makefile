# 工会通 — `make run` to try it, `make test` to check it.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# An installed Python >= 3.12 (pyenv versions and Debian's python3.13 included); empty lets uv download one.
PYTHON := $(shell scripts/find-python)
BOOT_PY := $(or $(PYTHON),$(shell command -v python3))
# uv itself: the one on PATH if it runs, else installed with pip into the interpreter found above.
UV := $(shell if uv --version >/dev/null 2>&1; then echo uv; else echo "$(BOOT_PY) -m uv"; fi)
UV_PY := $(if $(PYTHON),--python $(PYTHON),--python 3.12)
GONGHUI := .venv/bin/gonghui
PORT ?= 8000
MEMBERS ?= 40000
PYTEST_ARGS ?=

.PHONY: run setup test lint typecheck vendor bench clean

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || { echo "安装 uv …"; $(BOOT_PY) -m pip install --quiet --user uv 2>/dev/null || $(BOOT_PY) -m pip install --quiet uv; }
	$(UV) sync --locked $(UV_PY)
	@touch $@

setup: .venv/.synced

run: setup
	@$(GONGHUI) migrate
	@$(GONGHUI) demo --if-empty --members $(MEMBERS)
	@echo ""
	@echo "工会通： http://127.0.0.1:$(PORT)/"
	@echo "演示账号（密码相同）："
	@$(GONGHUI) logins
	@echo ""
	@$(GONGHUI) serve --port $(PORT)

test: setup
	scripts/run-tests $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check src tests benchmarks

typecheck: setup
	.venv/bin/mypy src/gonghui

vendor:
	scripts/vendor-static

bench: setup
	@for b in benchmarks/*.py; do echo "== $$b"; .venv/bin/python $$b || exit 1; done

clean:
	rm -rf .venv var
