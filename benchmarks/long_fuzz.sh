#!/usr/bin/env bash
# The long fuzz run (not in CI): every hypothesis property in tests/test_properties.py for
# MINUTES minutes each (default 5; 6 properties = 30 minutes), with a huge example budget, so each
# runs until its time is up. A falsifying example stops with exit 1 and prints the input.
set -u
cd "$(dirname "$0")/.."
minutes=${MINUTES:-5}
status=0
for t in $(.venv/bin/python -m pytest --collect-only -q -o addopts= tests/test_properties.py | grep '::' | sed 's/.*:://'); do
  start=$(date +%s)
  HYPOTHESIS_EXAMPLES=100000000 timeout $((minutes * 60)) .venv/bin/python -m pytest -q -x -p no:cacheprovider \
    "tests/test_properties.py::$t" > "/tmp/fuzz-$t.log" 2>&1
  rc=$?
  if grep -q "Falsifying\|FAILED\|Error" "/tmp/fuzz-$t.log"; then
    echo "$t: FAILED after $(( $(date +%s) - start )) s (see /tmp/fuzz-$t.log)"; status=1
  else
    echo "$t: nothing found in $(( $(date +%s) - start )) s (exit $rc: 124 = time up)"
  fi
done
exit $status
