# hvexit diff: same trace -> 0; one changed MMIO value -> 1 naming vCPU,
# exit number and field; a trace with one exit removed -> exactly one
# dropped exit (no shifted field divergences), one added -> one inserted;
# a shorter trace -> its missing exits dropped; a window too small -> 2.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
IN=corpus/ftrace/handmade-seed000.txt
counts() {	# counts FILE: "paired identical changed dropped inserted" of a --json report
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["diff"]; print(d["paired"], d["identical"], d["changed"], d["dropped"], d["inserted"])' "$1"
}
"$HVEXIT" import --ftrace "$IN" -o "$T/a.jsonl" --quiet || exit 1
"$HVEXIT" diff "$T/a.jsonl" "$T/a.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "self diff must be 0"; exit 1; }
sed 's/mmio write len 4 gpa 0x10008000 val 0x31/mmio write len 4 gpa 0x10008000 val 0x32/' "$IN" > "$T/b.txt"
"$HVEXIT" import --ftrace "$T/b.txt" -o "$T/b.jsonl" --quiet || exit 1
"$HVEXIT" diff "$T/a.jsonl" "$T/b.jsonl" >"$T/out" 2>"$T/err"; [ $? -eq 1 ] || { cat "$T/out"; echo "want 1"; exit 1; }
expect_finding "$T/out" 'event.kvm.mmio[0].val' '"0x31"' '"0x32"' "^A $T/a.jsonl:[0-9]*: seq 3 vcpu 1 exit #2; B $T/b.jsonl:[0-9]*: seq 3 vcpu 1 exit #2" || exit 1
[ "$(count_findings "$T/out")" -eq 1 ] || { cat "$T/out"; echo "one changed field"; exit 1; }

# One exit removed from the middle of a recorded trace: exactly one
# dropped exit, every other exit paired and identical.
"$HVEXIT_REL" record random -o "$T/r.jsonl" --events 2000 --seed 3 2>/dev/null || exit 1
n=$(grep -c '"type":"exit"' "$T/r.jsonl")
sed '1000d' "$T/r.jsonl" >"$T/drop.jsonl"
seq=$(sed -n 1000p "$T/r.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
"$HVEXIT" diff "$T/r.jsonl" "$T/drop.jsonl" --json >"$T/j" 2>"$T/err"; [ $? -eq 1 ] || { cat "$T/err"; echo "dropped: want 1"; exit 1; }
[ "$(counts "$T/j")" = "$((n - 1)) $((n - 1)) 0 1 0" ] || { counts "$T/j"; echo "want exactly one dropped exit of $n"; exit 1; }
"$HVEXIT" diff "$T/r.jsonl" "$T/drop.jsonl" >"$T/out" 2>/dev/null
grep -q "^FINDING diff/dropped/exit/.*: 1 instance$" "$T/out" && expect_finding "$T/out" exit "exit seq $seq" "(none)" "^A $T/r.jsonl:1000: seq $seq vcpu" ||
	{ cat "$T/out"; echo "dropped exit not named"; exit 1; }
# the other way round it is one inserted exit
"$HVEXIT" diff "$T/drop.jsonl" "$T/r.jsonl" --json >"$T/j" 2>/dev/null; [ $? -eq 1 ] || exit 1
[ "$(counts "$T/j")" = "$((n - 1)) $((n - 1)) 0 0 1" ] || { counts "$T/j"; echo "want exactly one inserted exit"; exit 1; }
# --quiet: the summary lines only
"$HVEXIT" diff "$T/r.jsonl" "$T/drop.jsonl" --quiet >"$T/q" 2>"$T/qe"; [ $? -eq 1 ] || exit 1
[ ! -s "$T/q" ] && grep -q "1 dropped (only in A), 0 inserted (only in B)$" "$T/qe" || { cat "$T/q" "$T/qe"; echo "--quiet"; exit 1; }

# The first 4 exits in start order (kvm_exit lines 21, 26, 31, 36): 2 per
# vCPU; the rest of A's are dropped.
head -5 "$T/a.jsonl" > "$T/c.jsonl"
na=$(grep -c '"type":"exit"' "$T/a.jsonl")
"$HVEXIT" diff "$T/a.jsonl" "$T/c.jsonl" --json >"$T/j" 2>/dev/null; [ $? -eq 1 ] || { echo "short: want 1"; exit 1; }
[ "$(counts "$T/j")" = "4 4 0 $((na - 4)) 0" ] || { counts "$T/j"; echo "short: want $((na - 4)) dropped"; exit 1; }

# Bounded memory: 40 exits of vCPU 0 that B lacks, one changed exit
# around them, and a window of 8 cannot find where they meet: exit 2
# naming the window; a large enough window reports them.
python3 - "$T/r.jsonl" "$T/gap.jsonl" <<'PY' || exit 1
import json, sys
lines = open(sys.argv[1]).read().splitlines()
out, dropped = [lines[0]], 0
for l in lines[1:]:
    o = json.loads(l)
    if o.get("type") == "exit" and o["vcpu"] == 0 and 500 <= o["seq"] and dropped < 40:
        dropped += 1
        continue
    out.append(l)
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
"$HVEXIT" diff "$T/r.jsonl" "$T/gap.jsonl" --window 8 >/dev/null 2>"$T/err"; [ $? -eq 2 ] || { cat "$T/err"; echo "window: want 2"; exit 1; }
grep -q "vCPU 0: .*window of 8 exits.*raise --window" "$T/err" || { cat "$T/err"; echo "window error"; exit 1; }
"$HVEXIT" diff "$T/r.jsonl" "$T/gap.jsonl" --window 64 --json >"$T/j" 2>/dev/null; [ $? -eq 1 ] || exit 1
[ "$(counts "$T/j" | cut -d' ' -f3-)" = "0 40 0" ] || { counts "$T/j"; echo "gap: want 40 dropped"; exit 1; }

"$HVEXIT" diff "$T/a.jsonl" "$T/nope.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "missing: want 2"; exit 1; }
"$HVEXIT" diff "$T/a.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "one trace: want 2"; exit 1; }
"$HVEXIT" diff "$T/a.jsonl" "$T/a.jsonl" --window 0 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "--window 0: want 2"; exit 1; }
exit 0
