# One command each: `make book` builds the site, `make test` runs every test.
# Both create the virtual environment (.venv, with uv) and the vendored front-end files on
# first use, from the pinned requirements.lock and package-lock.json.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(PYTHON) -m uv
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MATHJAX := _vendor/mathjax/tex-mml-chtml.js
PORT ?= 8000
JB_FLAGS := -W -n --keep-going
EDITION ?= public

.PHONY: help book test serve lab bench lint check lock clean clean-all setup pdf dist new-chapter

help:
	@echo "make book   build the site into _build/html (creates .venv on first use)"
	@echo "           EDITION=student: no solutions, answers or instructor guide"
	@echo "make test   run every test (models, notebooks, build, browser)"
	@echo "make serve  preview the built site on http://localhost:$(PORT)"
	@echo "make pdf    print the whole book to _build/pdf/book.pdf (and the site's book.pdf)"
	@echo "make dist   zip the built site (with the PDF) into _build/dist/rewiring-book-site.zip"
	@echo "make lab    open the labs in JupyterLab"
	@echo "make bench  print build, test and explorer benchmarks"
	@echo "make check  content checks (chapter structure, citations, glossary, notebooks)"
	@echo "make new-chapter NAME=sleep TITLE=\"Sleep and spines\"  scaffold a chapter, lab, quiz"
	@echo "make lint   ruff check"
	@echo "make lock   re-pin requirements.lock from requirements.in"

setup: $(STAMP) $(MATHJAX)

$(STAMP): requirements.lock pyproject.toml
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"
	UV_PYTHON_DOWNLOADS=never $(UV) venv --allow-existing --python 3.11 $(VENV)
	$(UV) pip sync --python $(PY) --compile-bytecode requirements.lock
	$(UV) pip install --python $(PY) --compile-bytecode --no-deps -e .
	@touch $@

$(MATHJAX): package.json package-lock.json scripts/vendor-mathjax.js
	npm ci --no-audit --no-fund
	@touch $@

# EDITION=public (default): the book with solutions collapsed and the instructor guide.
# EDITION=student: no solutions, no answer keys, no instructor guide (src/booktools/editions.py
# writes that copy of the book to _build/student-src); the site is _build/student/_build/html.
book: setup
ifeq ($(EDITION),public)
	$(PY) scripts/cache_guard.py _build
	$(VENV)/bin/jupyter-book build . $(JB_FLAGS)
	@echo ""
	@echo "Built. Open _build/html/index.html, or run 'make serve' for http://localhost:$(PORT)"
else ifeq ($(EDITION),student)
	$(PY) scripts/cache_guard.py _build
	$(PY) -m booktools.editions student-tree _build/student-src
	$(PY) -m booktools.editions seed-cache _build/student/_build --cache-from _build
	$(PY) scripts/cache_guard.py _build/student/_build
	$(VENV)/bin/jupyter-book build _build/student-src --path-output _build/student $(JB_FLAGS)
	@echo ""
	@echo "Built the student edition. Open _build/student/_build/html/index.html"
else
	$(error EDITION must be 'public' or 'student', got '$(EDITION)')
endif

test: setup
	$(PY) scripts/run_tests.py $(PYTEST_ARGS)

# One PDF of the whole book, made offline: a single-page HTML build (reusing the execution
# cache) printed by Debian chromium through Playwright; copied into the site as book.pdf.
pdf: book
	$(PY) scripts/pdf.py _build

# The built site, PDF included, as one zip for any static web server.
dist: pdf
	$(PY) scripts/dist.py _build

serve: book
	@echo "Serving on http://localhost:$(PORT) (Ctrl-C to stop)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lab: setup
	$(VENV)/bin/jupyter lab notebooks/

bench: setup
	$(PY) benchmarks/run.py
	$(PY) benchmarks/pages.py
	$(PY) benchmarks/live.py

check: setup
	$(PY) -m booktools.check

# A new chapter with its lab, lesson plan, quiz and toc entries (scripts/new_chapter.py).
new-chapter: setup
	$(PY) scripts/new_chapter.py --name "$(NAME)" --title "$(TITLE)"

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts

lock:
	$(UV) pip compile requirements.in --python-version 3.11 -o requirements.lock

clean:
	rm -rf _build

clean-all: clean
	rm -rf $(VENV) node_modules _vendor
