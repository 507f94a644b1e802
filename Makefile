# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# nbgrader runs `alembic` by name, so the virtual environment's bin/ goes on PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export MPLBACKEND := Agg
# pytest workers: one per core (override with `make test WORKERS=1`)
WORKERS ?= auto

.PHONY: install sandbox chromium postgresql proxy hub echange demo test test-rapide test-variantes test-charge lab build clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,hub]'
	touch $@

install: $(VENV)/.installed sandbox chromium postgresql proxy echange

# nbgrader's exchange on this machine (echange/, mode 1777) and, for every Jupyter started from
# .venv (learners' included), the configuration that points nbgrader at it (README « Pour les formateurs »).
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

# Grading kernels run inside bubblewrap (see the README, « Bac à sable »).
sandbox:
	$(call system-package,bwrap,bubblewrap,bubblewrap (isolation des noyaux de correction),la correction tournera SANS isolation)

# The browser tests (tests/browser) drive Debian's Chromium with Playwright (never `playwright install`).
chromium:
	$(call system-package,chromium,chromium,Chromium (tests dans le navigateur et PDF du jury),les tests dans le navigateur (tests/browser) seront ignorés et les PDF du jury (mda jury et mda livrets) ne pourront pas être écrits)

# The shared gradebook (README « Carnet de notes partagé (PostgreSQL) »): its tests start their own
# server from Debian's binaries (/usr/lib/postgresql/<version>/bin, not on PATH).
postgresql:
	$(call system-package,/usr/lib/postgresql/*/bin/pg_ctl,postgresql,PostgreSQL (carnet de notes partagé),les tests du carnet de notes PostgreSQL (tests/grade/test_postgresql.py) seront ignorés)

# The hub's proxy (`mda hub`, README « Une vraie promotion »): npm's configurable-http-proxy, JupyterHub's
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
	echo "Pour le jury de la démonstration : cd demo && mda jury bloc1 (propositions et procès-verbal), puis mda livrets bloc1 (README « Le jury et l'école »)."; \
	exit $$status

test: install
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --durations=25

# The fast tier: no kernel, no sandbox, no nbgrader cycle, no browser (markers set by tests/tiers.py);
# tests/fast_tier_guard fails any test of it that still starts a kernel or bubblewrap.
FAST_TIER := not kernel and not e2e and not browser and not sandbox
test-rapide: $(VENV)/.installed
	MDA_TEST_RAPIDE=1 $(BIN)/python -m pytest -n $(WORKERS) -m "$(FAST_TIER)" --durations=10

# The per-learner variant sweep on 20 variants per bloc (8 in `make test`).
test-variantes: install
	MDA_VARIANTES_TEST=20 $(BIN)/python -m pytest -n $(WORKERS) tests/variants/test_many_variants.py

# The grading tests on a busy machine: stress-ng keeps every core busy meanwhile (installed when
# missing and possible). Results: docs/correction-promotion.md, « Sous charge ».
test-charge: install
	@command -v stress-ng >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null); } || true
	@command -v stress-ng >/dev/null 2>&1 || { echo "stress-ng est absent : installez-le (apt-get install stress-ng)."; exit 1; }
	stress-ng --cpu 0 --cpu-load 100 --timeout 1800s --quiet & STRESS=$$!; \
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup tests/grade; STATUS=$$?; \
	kill $$STRESS; exit $$STATUS

# A learner's view: a scratch copy of release/ (never the committed files themselves).
# As root, Jupyter needs --allow-root: given, with a warning (a learner's account should not be root).
lab: install
	mkdir -p .lab && cp -rn release/. .lab/
	@if [ "$$(id -u)" = 0 ]; then \
	  echo "Attention : JupyterLab tourne en root (--allow-root) ; un apprenant travaille sous son propre compte."; \
	  cd .lab && jupyter lab --allow-root; \
	else cd .lab && jupyter lab; fi

clean:
	rm -rf submitted autograded/*/ autograded/etat_correction.json autograded/journal_correction.csv feedback gradebook.db reports exports grades.csv
