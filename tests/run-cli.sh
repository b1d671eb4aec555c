#!/bin/sh
# Runs each tests/cli/*.sh script with $HVEXIT (the ASan+UBSan CLI) and
# $HVEXIT_REL set; each script exits 0 on pass. Prints one line per script
# and a closing "N passed, N failed" line; exits 1 if any failed.
pass=0; fail=0; failed=""
for t in "$@"; do
	log=$(mktemp)
	if sh "$t" >"$log" 2>&1; then
		pass=$((pass + 1)); echo "PASS $t"
	else
		fail=$((fail + 1)); failed="$failed $t"; echo "FAIL $t"; sed 's/^/    /' "$log" | tail -40
	fi
	rm -f "$log"
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
