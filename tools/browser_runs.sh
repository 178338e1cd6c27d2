#!/usr/bin/env bash
# The editorial browser journey N times in a row (default 10) while the other core is kept busy
# (stress-ng --cpu 1): it must pass every time, because it waits on the editor's saved state,
# never on time. Prints one line a run and the count.
set -u
cd "$(dirname "$0")/.."
runs=${1:-10}
command -v stress-ng >/dev/null || { echo "install stress-ng (apt-get install stress-ng)"; exit 1; }
stress-ng --cpu 1 --quiet &
stress=$!
trap 'kill $stress 2>/dev/null' EXIT
passed=0
for run in $(seq 1 "$runs"); do
    if .venv/bin/pytest -n0 -p no:cacheprovider -q tests/browser/test_editorial_journey.py > "var/browser-run-$run.log" 2>&1; then
        passed=$((passed + 1)); echo "run $run: passed ($(tail -1 "var/browser-run-$run.log"))"
    else
        echo "run $run: FAILED (var/browser-run-$run.log)"
    fi
done
echo "$passed of $runs runs passed, with one core kept busy by stress-ng"
[ "$passed" -eq "$runs" ]
