# Wire and Spin: `make book` builds the HTML book, `make test` runs every check.
# Both create .venv from the pins when it is missing and reuse it afterwards.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: book book-for test unit nbval browser bench bench-scale bench-archive bundle clean execute run

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

bundle: $(STAMP)
	$(PY) -m booktools.bundle

# The book's stored run: every method once, into _build/run; the chapters read it. Stages whose
# inputs, settings and code are unchanged are reused, so a second call does nothing.
run: $(STAMP)
	$(PY) -m analysis run data --out _build/run

book: bundle run
	@# Figures are written when a chapter runs: without them, run the chapters again.
	@test -d _static/figures || rm -rf _build/.jupyter_cache
	@# The execution cache matches a chapter by its code only, and Sphinx re-reads only pages
	@# whose own file changed: booktools.cachekey drops both when the corpus, analysis/ or
	@# data/ changed since they were filled (a fingerprint of their files, in _build/.cache-key).
	@$(PY) -m booktools.cachekey _build
	$(BIN)/jupyter-book build . -W -n --keep-going

# Build the book for another corpus into another folder, leaving the main build alone:
#   make book-for CORPUS=path/to/corpus OUT=path/to/out        (HTML in OUT/_build/html)
#   make book-for CORPUS=... OUT=... CHAPTERS="01_corpus"     (only these chapters; not strict)
# OUT must be new, empty or an earlier book-for output (see booktools/book_for.py).
# Each value reaches the tool as written (spaces, quotes, $ and ; included): $(value ...) keeps
# make from expanding it and shell_word quotes it for the shell; CHAPTERS is split at spaces.
shell_word = '$(subst ','\'',$(1))'
# Not exported either: make would expand them (and run any $(shell ...) in them) for the
# environment of every recipe.
unexport CORPUS OUT CHAPTERS
book-for: $(STAMP)
	@test -n $(call shell_word,$(value CORPUS)) -a -n $(call shell_word,$(value OUT)) || { echo "usage: make book-for CORPUS=dir OUT=dir [CHAPTERS=...]"; exit 2; }
	$(PY) -m booktools.book_for $(call shell_word,$(value CORPUS)) $(call shell_word,$(value OUT)) $(foreach c,$(value CHAPTERS),$(call shell_word,$(c)))

unit: $(STAMP)
	$(PY) -m pytest -m "not browser"

nbval: run
	$(PY) -m pytest --nbval book --nbval-sanitize-with tests/sanitize.cfg

browser: $(STAMP)
	$(PY) -m pytest -m browser

test: unit nbval book browser

bench: $(STAMP)
	$(PY) -m benchmarks

# Reuse at archive scale (1,000 / 10,000 / 100,000 synthetic articles): make bench-scale
# SIZES="1000 10000" for fewer; text-matcher is compared only when installed.
SIZES ?=
bench-scale: $(STAMP)
	$(PY) -m benchmarks.scale $(SIZES)

# The whole pipeline on the Reuters-21578 archive at 1,000, 5,000 and all 19,043 articles:
# wall seconds, peak memory, output size, seconds per stage, growth exponent (prints only).
# make bench-archive SIZES="1000 5000" for fewer.
bench-archive: $(STAMP)
	$(PY) -m benchmarks.archive $(SIZES)

# Re-run chapters in place so their stored outputs (compared by nbval) are current:
#   make execute            every chapter
#   make execute NB=book/02_reuse.ipynb
NB ?= $(wildcard book/*.ipynb)
execute: run
	$(PY) -m booktools.execute $(NB)

clean:
	rm -rf _build _static/vega-bundle.js _static/figures
