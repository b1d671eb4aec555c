# hvexit diff: same trace -> 0; one changed MMIO value -> 1 naming vCPU,
# exit number and field; a shorter trace -> 1 with per-vCPU counts.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
IN=corpus/ftrace/handmade-seed000.txt
"$HVEXIT" import --ftrace "$IN" -o "$T/a.jsonl" --quiet || exit 1
"$HVEXIT" diff "$T/a.jsonl" "$T/a.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "self diff must be 0"; exit 1; }
sed 's/mmio write len 4 gpa 0x10008000 val 0x31/mmio write len 4 gpa 0x10008000 val 0x32/' "$IN" > "$T/b.txt"
"$HVEXIT" import --ftrace "$T/b.txt" -o "$T/b.jsonl" --quiet || exit 1
"$HVEXIT" diff "$T/a.jsonl" "$T/b.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "want 1"; exit 1; }
grep -q 'vcpu 1 exit #2 (A seq 3, B seq 3): event.kvm.mmio\[0\].val: A "0x31", B "0x32"' "$T/out" || { cat "$T/out"; exit 1; }
# the first 4 exits in start order (kvm_exit lines 21, 26, 31, 36): 2 per vCPU
head -5 "$T/a.jsonl" > "$T/c.jsonl"
"$HVEXIT" diff "$T/a.jsonl" "$T/c.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { echo "short: want 1"; exit 1; }
grep -q "vcpu 0: A has 5 exits, B has 2" "$T/out" || { cat "$T/out"; exit 1; }
"$HVEXIT" diff "$T/a.jsonl" "$T/nope.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "missing: want 2"; exit 1; }
exit 0
