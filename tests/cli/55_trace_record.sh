# Record -> replay through the exit engine for the seed scenarios, an
# edited outcome found by replay (exit 1, naming the event), and the
# committed traces in corpus/traces/ (ci/record-traces.sh writes them)
# replayed without a difference and re-recorded identically.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
"$HVEXIT" record seed000 -o "$T/seed000.jsonl" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] || { cat "$T/err"; echo "record seed000 failed"; exit 1; }
grep -q 'UART0 "C0!\\n", UART1 "C1!\\n"' "$T/err" || { cat "$T/err"; echo "seed000 output"; exit 1; }
for s in seed003 psci-off ldp-isv0; do
	"$HVEXIT" record "$s" -o "$T/$s.jsonl" 2>"$T/err" || { cat "$T/err"; echo "record $s failed"; exit 1; }
done
"$HVEXIT" record random --events 2000 -o "$T/random.jsonl" 2>/dev/null || { echo "record random"; exit 1; }
for s in seed000 seed003 psci-off ldp-isv0 random; do
	"$HVEXIT" replay "$T/$s.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "replay $s differs"; exit 1; }
done
grep -q '"type":"page"' "$T/ldp-isv0.jsonl" || { echo "ISV=0 trace carries no page"; exit 1; }
# PSCI SYSTEM_OFF must be recorded as a shutdown (DEN0022 SYSTEM_OFF).
grep -q '"action":"shutdown"' "$T/psci-off.jsonl" || { echo "psci-off outcome is not shutdown"; exit 1; }
# Edit one recorded outcome (event seq 2 of seed000, vCPU 0, line 4).
python3 - "$T/seed000.jsonl" "$T/edited.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
ev = json.loads(lines[3])
ev["outcome"]["pc"] = "0xdead0"
lines[3] = json.dumps(ev, separators=(",", ":"))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
# the edit breaks the checksum of the end record: an error, not a difference
"$HVEXIT" replay "$T/edited.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] || { cat "$T/out"; echo "edited without a new end record: want 2, got $rc"; exit 1; }
grep -q "edited.jsonl: line 12: checksum .* (corrupt or edited)" "$T/out" || { cat "$T/out"; exit 1; }
python3 "$(dirname "$0")/lib/seal.py" "$T/edited.jsonl" "$T/edited.jsonl" || exit 1
cmp -s "$T/seed000.jsonl" "$T/edited.jsonl" && { echo "edit did not apply"; exit 1; }
"$HVEXIT" replay "$T/edited.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || { cat "$T/out"; echo "edited outcome: want exit 1, got $rc"; exit 1; }
expect_finding "$T/out" outcome.pc '"0x4000009c"' '"0xdead0"' "edited.jsonl:4: seq 2 vcpu 0$" || exit 1
[ "$(count_findings "$T/out")" -eq 1 ] || { cat "$T/out"; echo "only that field may differ"; exit 1; }
# the same through the binary form
"$HVEXIT" convert "$T/edited.jsonl" "$T/edited.bin" 2>/dev/null || exit 1
"$HVEXIT" replay "$T/edited.bin" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "binary edited: want 1"; exit 1; }
# committed traces
n=0
for f in corpus/traces/*.jsonl; do
	[ -f "$f" ] || continue
	"$HVEXIT" replay "$f" >"$T/out" 2>&1 || { cat "$T/out"; echo "replay of $f differs"; exit 1; }
	s=$(basename "$f" .jsonl)
	"$HVEXIT" diff "$f" "$T/$s.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "re-recorded $s differs from $f"; exit 1; }
	n=$((n + 1))
done
[ $n -ge 4 ] || { echo "want the 4 seed traces in corpus/traces, found $n"; exit 1; }
# --seed: the same seed gives the same trace (apart from the creation
# time), another seed another one; the seed is in the header
nocreated() { sed 's/"created":"[^"]*"//; s/"checksum":"[^"]*"//' "$1"; }
for s in 7 8; do
	"$HVEXIT" record random --events 300 --seed $s -o "$T/r$s.jsonl" 2>/dev/null || { echo "record --seed $s"; exit 1; }
done
"$HVEXIT" record random --events 300 --seed 7 -o "$T/again.jsonl" 2>/dev/null || exit 1
nocreated "$T/r7.jsonl" > "$T/n7"; nocreated "$T/r8.jsonl" > "$T/n8"
nocreated "$T/again.jsonl" | cmp -s - "$T/n7" || { echo "--seed 7 twice: traces differ"; exit 1; }
cmp -s "$T/n7" "$T/n8" && { echo "--seed 7 and 8 gave the same trace"; exit 1; }
head -1 "$T/r8.jsonl" | grep -q '"seed":"0x8"' || { echo "seed not in the header"; exit 1; }
"$HVEXIT" replay --quiet "$T/r8.jsonl" || { echo "replay of --seed 8"; exit 1; }
"$HVEXIT" record seed000 --seed 1 -o "$T/x" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "--seed with seed000: want 2"; exit 1; }
# unknown scenario, missing -o: exit 2
"$HVEXIT" record nosuch -o "$T/x" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "unknown scenario: want 2"; exit 1; }
"$HVEXIT" record seed000 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "no -o: want 2"; exit 1; }
exit 0
