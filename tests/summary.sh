#!/bin/sh
# Closing line of `make check`: counts from the log of every suite.
#   cmocka: "[  PASSED  ] N test(s)."  and "[  FAILED  ] N test(s)"
#   cli:    "PASS tests/cli/..." / "FAIL tests/cli/..."
#   fuzz:   "driver: replayed N inputs" (each input one passed case)
log=$1
cm_pass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
cm_fail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
cli_pass=$(grep -c '^PASS ' "$log")
cli_fail=$(grep -c '^FAIL ' "$log")
fz=$(sed -n 's/^driver: replayed \([0-9]*\) input.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
echo "unit: $cm_pass passed, $cm_fail failed; cli: $cli_pass passed, $cli_fail failed; fuzz replay: $fz inputs"
echo "check: $((cm_pass + cli_pass + fz)) passed, $((cm_fail + cli_fail)) failed"
[ $((cm_fail + cli_fail)) -eq 0 ]
