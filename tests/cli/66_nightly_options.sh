# ci/fuzz-nightly option handling: an option without its value is exit 2
# at once (it looped forever), --budget is read in base 10 ("08" is 8 s,
# "010" is 10 s) and 0 or junk is exit 2 (it fuzzed nothing and exited 0).
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
for o in --engine --targets --out --corpus-root --budget; do
	timeout 30 ci/fuzz-nightly "$o" >/dev/null 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || { echo "$o without a value: exit $rc, want 2"; fail=1; }
done
for b in 0 -1 abc 1.5; do
	timeout 30 ci/fuzz-nightly --targets esr --budget "$b" --no-build --no-merge --out "$T/o" >/dev/null 2>&1; rc=$?
	[ $rc -eq 2 ] || { echo "--budget $b: exit $rc, want 2"; fail=1; }
done
for b in 08 010; do
	timeout 30 ci/fuzz-nightly --targets esr --budget "$b" --no-build --no-merge --out "$T/o$b" >"$T/out" 2>&1
	want=$(echo "$b" | sed "s/^0*//")
	grep -q "budget ${want}s" "$T/out" || { echo "--budget $b: not read as $want s"; head -3 "$T/out"; fail=1; }
done
exit $fail
