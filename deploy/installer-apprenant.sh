#!/bin/sh
# Builds the learners' Python environment for `mda hub` (docs/formateur.md « Une vraie promotion »), as root:
#   deploy/installer-apprenant.sh [PREFIXE] [COURS]          the whole environment (about 20 s)
#   deploy/installer-apprenant.sh --cours [PREFIXE] [COURS]  only the course's learner runtime again
# A learner's server runs from it, never from the course's .venv (which the learners cannot enter). It holds the
# learner runtime (the distribution mda-apprenant, folder apprenant/) and never the trainer's package mda_checks
# (`mda hub demarrer` refuses an environment where mda_checks imports or bin/mda exists).
set -eu

ONLY_RUNTIME=0
if [ "${1:-}" = "--cours" ]; then ONLY_RUNTIME=1; shift; fi
# where the environment goes: outside the course, readable (never writable) by the learners' accounts
PREFIX=${1:-/opt/mda-apprenant}
# the course folder (its apprenant/ is the learner runtime below)
COURSE=$(cd "${2:-.}" && pwd)
# a Python that every account may run: Debian's (a Python under /root, such as pyenv's, cannot be run by learners)
PYTHON=${MDA_PYTHON_APPRENANT:-/usr/bin/python3}
# THE course's learner runtime, what the workbooks import: the distribution mda-apprenant (package mda_apprenant),
# its own pyproject.toml in apprenant/; never the course folder itself (the trainer's package mda_checks)
LEARNER_RUNTIME=${MDA_RUNTIME_APPRENANT:-$COURSE/apprenant}
# uv (PyPI), installed in the course's environment by `make install` (extra « hub »): it downloads in parallel
# and installs from its cache, where pip takes minutes
UV=${MDA_UV:-$(command -v uv || echo "$COURSE/.venv/bin/uv")}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$UV" ]; then
  echo "uv est introuvable ($UV) : make install (il l'installe dans .venv), ou MDA_UV=/chemin/vers/uv" >&2
  exit 1
fi
umask 022  # every file readable by the learners, writable by root only
# copies (never links into root's uv cache), compiled once: the learners cannot write __pycache__ here
INSTALL="$UV pip install --quiet --python $PREFIX/bin/python --link-mode=copy --compile-bytecode"
if [ "$ONLY_RUNTIME" = 1 ]; then
  # a new version of the course's code, same third-party packages
  $INSTALL --no-deps --reinstall "$LEARNER_RUNTIME"
  exit 0
fi
"$UV" venv --quiet --allow-existing --python "$PYTHON" "$PREFIX"
# JupyterLab, its French language pack, nbgrader's learner panel, the workbooks' libraries; the learner runtime
$INSTALL -r "$HERE/apprenant/requirements.txt" "$LEARNER_RUNTIME"
# JupyterLab in French for everyone (a learner may still pick another language in Settings › Language)
install -D -m 644 "$HERE/apprenant/overrides.json" "$PREFIX/share/jupyter/lab/settings/overrides.json"
# nbgrader's trainer panels hidden: « Create Assignment », « Formgrader », the « Validate » button, the course list
install -D -m 644 "$HERE/apprenant/page_config.json" "$PREFIX/etc/jupyter/labconfig/page_config.json"
# ... and their server parts off (read after nbgrader's own jupyter_server_config.d/nbgrader.json, so it wins)
install -D -m 644 "$HERE/apprenant/jupyter_server_config.json" "$PREFIX/etc/jupyter/jupyter_server_config.json"
# the course's exchange, its per-learner copies and Paris time for nbgrader: `mda hub` writes
# $PREFIX/etc/jupyter/nbgrader_config.py from the course's configuration
echo "Environnement des apprenants prêt : $PREFIX"
