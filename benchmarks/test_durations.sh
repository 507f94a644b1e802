#!/usr/bin/env bash
# Wall time of the test suite, one directory at a time (never the whole suite at once on a shared machine),
# with pytest's --durations=40 and a log of which tests start a kernel or a sandbox (tests/fast_tier_guard).
# Usage: benchmarks/test_durations.sh OUT_DIR [tests/dir ...]   Figures: docs/mesures/tests.md.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?dossier de sortie}; shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
export PATH=$PWD/.venv/bin:$PATH MPLBACKEND=Agg
export PYTHONPATH=$PWD/tests/fast_tier_guard${PYTHONPATH:+:$PYTHONPATH}
export MDA_TEST_JOURNAL_LANCEMENTS=$out/lancements.tsv
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(ls -d tests/*/ | grep -v fast_tier_guard) "tests/test_*.py")
fi
echo "machine: $(nproc) cœurs, $(uname -r), début $(date -u +%FT%TZ), charge $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/resume.txt"
for target in "${targets[@]}"; do
  name=$(echo "$target" | tr '/*' '__')
  start=$(date +%s)
  load0=$(cut -d' ' -f1 /proc/loadavg)
  python -m pytest -n 2 --dist loadgroup --durations=40 -q -p no:cacheprovider $target > "$out/$name.log" 2>&1
  status=$?
  echo "$target	$(( $(date +%s) - start )) s	rc=$status	charge $load0→$(cut -d' ' -f1 /proc/loadavg)	$(tail -1 "$out/$name.log")" >> "$out/resume.txt"
done
