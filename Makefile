# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# nbgrader runs `alembic` by name, so the virtual environment's bin/ goes on PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export MPLBACKEND := Agg
# pytest workers (override with `make test WORKERS=1`): one per core, and one more for the whole suite, whose
# kernels, servers, browsers and time limits leave a core idle while they wait (docs/mesures/tests.md, « Où
# passe le temps »: 16 min 44 s with 2 workers, 15 min 08 s with 3, on 2 cores)
ifeq ($(origin WORKERS), undefined)
SUITE_WORKERS := $(shell echo $$(( $$(nproc) + 1 )))
else
SUITE_WORKERS := $(WORKERS)
endif
WORKERS ?= auto

.PHONY: install bytecode lock lint sandbox chromium postgresql proxy hub echange demo test test-rapide test-variantes test-charge lab build clean

# The trainer's environment is installed from a lock file with hashes, one per Python version
# (locks/py3.11.txt: exact versions, so every machine grades with the same pandas and numpy, README
# « Environnement figé »), then the learner runtime (apprenant/, its own distribution mda-apprenant) and the course
# package, both editable and without their dependencies. `make lock` writes it.
# A lock that does not fit this machine (another Python, another platform): a French warning, then
# the newest versions pyproject.toml allows. The lock is complete (every package, with its hash), so pip installs it
# as it stands (--no-deps, as pip-sync does: it leaves out what locks/overrides.txt removes) and `pip check` then
# proves that nothing installed lacks a requirement.
EXTRAS := test,hub,grappe,postgresql,lint
PYTHON_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
LOCK = locks/py$(PYTHON_VERSION).txt
LOCK_PLATFORM ?= x86_64-manylinux_2_28

$(VENV)/.installed: pyproject.toml apprenant/pyproject.toml $(wildcard locks/*.txt)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if [ -f $(LOCK) ] && $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK) \
	  && $(BIN)/python -m pip install --quiet --no-deps -e ./apprenant -e . && $(BIN)/python -m pip check >/dev/null; then \
	  echo "Environnement installé depuis le verrou $(LOCK)."; \
	else \
	  echo "Attention : le fichier de verrouillage $(LOCK) est absent, ne convient pas à cette machine (version de Python,"; \
	  echo "plate-forme) ou ne couvre plus pyproject.toml (make lock le met à jour) :"; \
	  echo "installation des dernières versions que permet pyproject.toml, non figées. Les notes peuvent alors différer"; \
	  echo "de celles d'une machine installée depuis le verrou."; \
	  $(BIN)/python -m pip install --quiet -e ./apprenant -e '.[$(EXTRAS)]'; \
	fi
	touch $@

# Rewrites the lock file from pyproject.toml, keeping the versions already locked where they still fit; the learner
# runtime comes from apprenant/ ([tool.uv.sources]) and is left out of the lock, its dependencies locked
# (`make lock MISE_A_JOUR=1`: the newest versions allowed).
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --python-version $(PYTHON_VERSION) \
	  --python-platform $(LOCK_PLATFORM) --custom-compile-command "make lock" --quiet --override locks/overrides.txt \
	  --no-emit-package mda-apprenant \
	  $(if $(MISE_A_JOUR),--upgrade) --output-file $(LOCK)

# ruff (style and likely bugs) and mypy (types of mda_checks and mda_apprenant), configured in pyproject.toml; CI runs it before the tests.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

install: $(VENV)/.installed bytecode sandbox chromium postgresql proxy echange

# The project's own modules compiled once (.pyc beside them, ignored by git): every `mda` command, grading process,
# Jupyter server and test process imports them, and where PYTHONDONTWRITEBYTECODE is set, or the folder is read-only
# as in a kernel's sandbox, each would compile them again (`mda --help`: 1.2 s of processor without, 0.9 s with;
# docs/mesures/tests.md). Up-to-date files are skipped; a .pyc older than its source is never used.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q -j 0 mda_checks apprenant/mda_apprenant tests

# nbgrader's exchange on this machine (echange/, mode 1777) and, for every Jupyter started from
# .venv (learners' included), the configuration that points nbgrader at it (docs/formateur.md « Installation »).
echange: $(VENV)/.installed
	mda echange --environnement

# A Debian package the project needs from the system, installed when missing and possible
# (root + apt-get); otherwise a French warning says what will not work.
# $(call system-package,COMMAND,PACKAGE,NAME (what it is for),WITHOUT IT)
define system-package
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installation de $(3)…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null) \
	      || echo "Attention : $(2) n'a pas pu être installé ; $(4)."; \
	  else \
	    echo "Attention : $(2) est absent et ne peut pas être installé ici (il faut root et apt-get) ; $(4)."; \
	    echo "Pour l'installer : sudo apt-get install $(2)"; \
	  fi; }
endef

# Grading kernels run inside bubblewrap (see docs/bac-a-sable.md).
sandbox:
	$(call system-package,bwrap,bubblewrap,bubblewrap (isolation des noyaux de correction),la correction tournera SANS isolation)

# The browser tests (tests/browser) drive Debian's Chromium with Playwright (never `playwright install`).
chromium:
	$(call system-package,chromium,chromium,Chromium (tests dans le navigateur et PDF du jury),les tests dans le navigateur (tests/browser) seront ignorés et les PDF du jury (mda jury et mda livrets) ne pourront pas être écrits)

# The shared gradebook (docs/formateur.md « Carnet de notes partagé (PostgreSQL) »): its tests start their own
# server from Debian's binaries (/usr/lib/postgresql/<version>/bin, not on PATH).
postgresql:
	$(call system-package,/usr/lib/postgresql/*/bin/pg_ctl,postgresql,PostgreSQL (carnet de notes partagé),les tests du carnet de notes PostgreSQL (tests/grade/test_postgresql.py) seront ignorés)

# The hub's proxy (`mda hub`, docs/formateur.md « Une vraie promotion »): npm's configurable-http-proxy, JupyterHub's
# own, in .venv/proxy. Without Node.js and npm, a French warning: only the hub needs it.
PROXY_VERSION ?= 5
proxy: $(VENV)/.installed
	$(call system-package,npm,nodejs npm,Node.js et npm (proxy du JupyterHub),mda hub ne pourra pas démarrer)
	@command -v npm >/dev/null 2>&1 && npm install --no-save --no-audit --no-fund --silent --prefix $(VENV)/proxy \
	  configurable-http-proxy@$(PROXY_VERSION) || echo "Attention : le proxy du hub n'a pas pu être installé ; mda hub ne pourra pas démarrer."

# A class on this machine (as root): the learners' environment, their accounts and the password sheet,
# then the hub. FORMATEUR=compte (required the first time), ENV_APPRENANT=/opt/mda-apprenant.
ENV_APPRENANT ?= /opt/mda-apprenant
hub: install
	mda hub environnement --environnement-apprenant $(ENV_APPRENANT)
	mda hub comptes $(if $(FORMATEUR),--formateur $(FORMATEUR))
	mda hub demarrer --environnement-apprenant $(ENV_APPRENANT)

build: install
	mda build

# The whole job on a simulated cohort, in its own course copy (demo/, git-ignored, made anew from the
# originals): build, simulate, grade, manual grades, feedback, reports. The trainer's course is never touched.
demo: install
	@start=$$(date +%s); \
	set -x; mda demo --copie demo && cd demo && mda build && mda demo && mda grade && mda demo --notes-manuelles \
	  && mda feedback && mda report; \
	status=$$?; set +x; \
	cd $(CURDIR)/demo 2>/dev/null && mda demo --bilan; \
	echo "Durée de make demo (installation non comprise) : $$(( $$(date +%s) - start )) s"; \
	echo "Pour le jury de la démonstration : cd demo && mda jury bloc1 (propositions et procès-verbal), puis mda livrets bloc1 (docs/jury.md)."; \
	exit $$status

test: install
	$(BIN)/python -m pytest -n $(SUITE_WORKERS) --dist loadgroup --durations=25

# The fast tier: no kernel, no sandbox, no nbgrader cycle, no browser (markers set by tests/tiers.py);
# tests/fast_tier_guard fails any test of it that still starts a kernel or bubblewrap.
FAST_TIER := not kernel and not e2e and not browser and not sandbox
test-rapide: $(VENV)/.installed bytecode
	MDA_TEST_RAPIDE=1 $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup -m "$(FAST_TIER)" --durations=10

# The per-learner variant sweep and the copy-detection cohorts on 20 variants per bloc (8 in `make test`).
test-variantes: install
	MDA_VARIANTES_TEST=20 $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup tests/variants/test_many_variants.py \
		tests/copies/test_detection.py

# The grading tests on a busy machine: stress-ng keeps every core busy meanwhile (installed when
# missing and possible). Results: docs/mesures/correction-promotion.md, « Sous charge ».
# What runs under load: the grading (kernels, sandboxes, runs) and the browser (kernel start-up, first paint);
# `make test-charge CHARGE_TESTS=tests` for the whole suite.
CHARGE_TESTS ?= tests/grade tests/browser
test-charge: install
	@command -v stress-ng >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null); } || true
	@command -v stress-ng >/dev/null 2>&1 || { echo "stress-ng est absent : installez-le (apt-get install stress-ng)."; exit 1; }
	stress-ng --cpu 0 --cpu-load 100 --timeout 3600s --quiet & STRESS=$$!; \
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup $(CHARGE_TESTS); STATUS=$$?; \
	kill $$STRESS; exit $$STATUS

# A learner's view: a scratch copy of release/ (never the committed files themselves).
# As root, Jupyter needs --allow-root: given, with a French warning (mda_checks/lab.py).
lab: install
	mkdir -p .lab && cp -rn release/. .lab/
	cd .lab && $(BIN)/python -m mda_checks.lab

clean:
	rm -rf submitted autograded/*/ autograded/etat_correction.json autograded/journal_correction.csv feedback gradebook.db reports exports grades.csv
