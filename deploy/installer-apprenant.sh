#!/bin/sh
# Builds the learners' Python environment for `mda hub` (README « Une vraie promotion »), as root:
#   deploy/installer-apprenant.sh [PREFIXE] [COURS]          the whole environment (a few minutes)
#   deploy/installer-apprenant.sh --cours [PREFIXE] [COURS]  only the course's learner runtime again
# A learner's server runs from it, never from the course's .venv (which the learners cannot enter).
set -eu

ONLY_RUNTIME=0
if [ "${1:-}" = "--cours" ]; then ONLY_RUNTIME=1; shift; fi
# where the environment goes: outside the course, readable (never writable) by the learners' accounts
PREFIX=${1:-/opt/mda-apprenant}
# the course folder (its package is the learner runtime below)
COURSE=$(cd "${2:-.}" && pwd)
# a Python that every account may run: Debian's (a Python under /root, such as pyenv's, cannot be run by learners)
PYTHON=${MDA_PYTHON_APPRENANT:-/usr/bin/python3}
# THE course's learner runtime, what the workbooks import (today the course package mda_checks; the one line to
# change for a learner-only package, e.g. LEARNER_RUNTIME="$COURSE/apprenant")
LEARNER_RUNTIME=${MDA_RUNTIME_APPRENANT:-$COURSE}
HERE=$(cd "$(dirname "$0")" && pwd)

umask 022  # every file readable by the learners, writable by root only
if [ "$ONLY_RUNTIME" = 1 ]; then
  # a new version of the course's code, same third-party packages
  "$PREFIX/bin/python" -m pip install --quiet --no-deps --force-reinstall "$LEARNER_RUNTIME"
  exit 0
fi
"$PYTHON" -m venv "$PREFIX"
"$PREFIX/bin/python" -m pip install --quiet --upgrade pip
# JupyterLab, its French language pack, nbgrader's learner panel, the workbooks' libraries
"$PREFIX/bin/python" -m pip install --quiet -r "$HERE/apprenant/requirements.txt"
"$PREFIX/bin/python" -m pip install --quiet "$LEARNER_RUNTIME"
# JupyterLab in French for everyone (a learner may still pick another language in Settings › Language)
install -D -m 644 "$HERE/apprenant/overrides.json" "$PREFIX/share/jupyter/lab/settings/overrides.json"
# nbgrader's trainer panels hidden: « Create Assignment », « Formgrader », the « Validate » button, the course list
install -D -m 644 "$HERE/apprenant/page_config.json" "$PREFIX/etc/jupyter/labconfig/page_config.json"
# ... and their server parts off (read after nbgrader's own jupyter_server_config.d/nbgrader.json, so it wins)
install -D -m 644 "$HERE/apprenant/jupyter_server_config.json" "$PREFIX/etc/jupyter/jupyter_server_config.json"
# the course's exchange, its per-learner copies and Paris time for nbgrader: `mda hub` writes
# $PREFIX/etc/jupyter/nbgrader_config.py from the course's configuration
echo "Environnement des apprenants prêt : $PREFIX"
