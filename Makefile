# Neural Networks in Python — course tasks. Every target creates .venv first when it is missing.
#   make book       build the website into book/_build/html (every notebook executed)
#   make test       run the whole test suite (nnlib parity, exercises' grading pipeline, book build)
#   make lab        JupyterLab on exercises/ with nbgrader's Validate button (127.0.0.1:8888)
#   make grade      autograde submitted/ in sandboxed kernels, export grades.csv (README, "Instructors");
#                   UNSANDBOXED=1 grades without the sandbox, on purpose
#   make solutions  write solutions/*/*.ipynb from their authoring sources tools/author/*.py
#   make exercises  regenerate the student release exercises/ from solutions/ (after `solutions`)
#   make bench      time nnlib's fit against Keras' fit
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MATHJAX_VERSION := 3.2.2
MATHJAX_SHA256 := 1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09
MATHJAX := book/_extra/mathjax/tex-mml-chtml.js
PORT ?= 8888
JOBS ?= 2
# Quiet kernels: TensorFlow's C++ and oneDNN banners go to stderr, which nbgrader scores as failure
# and the book shows on the page.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0

.PHONY: all venv book test test-fast lab grade bench solutions exercises mathjax sandbox clean distclean

all: test

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required (TensorFlow 2.21 + nbgrader 0.9 resolve there); set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip check
	@touch $@

venv: $(STAMP)

# A local MathJax, so formulas render on the website without network. From the npm registry at
# set-up time, checked against a pinned hash; served from the site root (html_extra_path).
$(MATHJAX):
	@rm -rf .cache/mathjax && mkdir -p .cache/mathjax book/_extra/mathjax
	cd .cache/mathjax && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null
	echo "$(MATHJAX_SHA256)  .cache/mathjax/mathjax-$(MATHJAX_VERSION).tgz" | sha256sum --check --quiet
	tar -xzf .cache/mathjax/mathjax-$(MATHJAX_VERSION).tgz -C .cache/mathjax
	cd .cache/mathjax/package/es5 && cp -r tex-mml-chtml.js input output a11y ui sre adaptors \
	  ../../../../book/_extra/mathjax/

mathjax: $(MATHJAX)

# The grading sandbox (grading/sandbox.py) needs bubblewrap and util-linux' prlimit. Installed from
# the system package manager when missing and run as root; otherwise it says what to install.
sandbox:
	@command -v bwrap >/dev/null && command -v prlimit >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing bubblewrap (the grading sandbox) with apt-get"; \
	    apt-get install -y -qq bubblewrap util-linux >/dev/null || \
	      { apt-get update -qq >/dev/null && apt-get install -y -qq bubblewrap util-linux >/dev/null; }; \
	  else \
	    echo "The grading sandbox needs bubblewrap: sudo apt-get install bubblewrap (Debian/Ubuntu)," \
	         "sudo dnf install bubblewrap (Fedora), then run make again; or grade unsandboxed on" \
	         "purpose with make grade UNSANDBOXED=1" >&2; exit 1; \
	  fi; }

book: venv mathjax
	$(VENV)/bin/jupyter-book build --all -W -n --keep-going book
	@echo "Website: book/_build/html/index.html"

test: venv mathjax sandbox
	# loadscope: each test module, and each assignment's class in tests/test_grading.py, on one
	# worker (its autograde run happens once). xdist's loadgroup does nothing under pytest 9.
	$(PY) -m pytest -n $(JOBS) --dist loadscope

# nnlib's unit and parity tests only (no notebooks, no nbgrader, no book): seconds.
test-fast: venv
	$(PY) -m pytest -m "not slow and not book"

lab: venv
	$(VENV)/bin/jupyter lab --no-browser --ip 127.0.0.1 --port $(PORT) \
	  --ServerApp.root_dir=exercises $(if $(filter 0,$(shell id -u)),--allow-root,)

grade: venv $(if $(UNSANDBOXED),,sandbox)
	$(PY) -m grading $(if $(UNSANDBOXED),--unsandboxed,) $(ASSIGNMENT)

bench: venv
	$(PY) benchmarks/bench_fit.py

# Write nbgrader's source notebooks solutions/<assignment>/*.ipynb from tools/author/<assignment>.py,
# their only source (never edit the notebooks by hand). `python -m tools.author --check` compares.
solutions: venv
	$(PY) -m tools.author

# Regenerate the student release exercises/ from solutions/ (written first). Commit the sources,
# solutions/ and exercises/ together; tests/test_authoring.py and tests/test_grading.py fail on drift.
exercises: solutions
	$(PY) -m grading.release

clean:
	rm -rf book/_build .pytest_cache .hypothesis autograded feedback gradebook.db .nbgrader.log

distclean: clean
	rm -rf $(VENV) .cache book/_extra/mathjax
