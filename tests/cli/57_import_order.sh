# hvexit import numbers exits in the order their kvm_exit appears (exit
# start order) and writes them in that order, although an exit is only
# complete at its task's next kvm_exit. Two vCPU threads interleaved; then
# a thread that exits once and never again while the other exits 1500
# times (beyond the importer's 1024-exit reorder window): every exit is
# kept, seq numbers stay unique and start-ordered, the long-open exit is
# written late (once it completes, at the end) with its start seq.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
gen() {	# out  pid:pc ...
	out=$1; shift
	python3 - "$out" "$@" <<'PY'
import sys
out = open(sys.argv[1], "w")
t = 1.0
for a in sys.argv[2:]:
    pid, pc = a.split(":")
    if pc.startswith("x"):
        pc, n = int(pc[1:].split("*")[0], 16), int(pc.split("*")[1])
    else:
        pc, n = int(pc, 16), 1
    for i in range(n):
        t += 0.000001
        out.write("          vcpu-%s      [001] .....     %.6f: kvm_exit: TRAP: HSR_EC: 0x0001 (WFx), PC: 0x%016x\n"
                  % (pid, t, pc + 4 * i))
PY
}
pcs() { python3 -c 'import json,sys
for l in open(sys.argv[1]).read().splitlines()[1:]:
    e = json.loads(l); print(e["seq"], e["vcpu"], e["exit"]["pc"])' "$1"; }

# A0 B0 B1 A1 B2: B0 completes (at B1) before A0 does (at A1)
gen "$T/a.txt" 10:0xa0 20:0xb0 20:0xb4 10:0xa4 20:0xb8
"$HVEXIT" import --ftrace "$T/a.txt" -o "$T/a.jsonl" --quiet || { echo "import failed"; exit 1; }
pcs "$T/a.jsonl" > "$T/a.out"
printf '0 0 0xa0\n1 1 0xb0\n2 1 0xb4\n3 0 0xa4\n4 1 0xb8\n' > "$T/a.want"
cmp -s "$T/a.out" "$T/a.want" || { echo "want start order:"; cat "$T/a.want"; echo "got:"; cat "$T/a.out"; exit 1; }

# A0 then 1500 exits of B: A0 stays open to the end
gen "$T/b.txt" 10:0xa0 20:x1000*1500
"$HVEXIT" import --ftrace "$T/b.txt" -o "$T/b.jsonl" --quiet || { echo "import failed"; exit 1; }
pcs "$T/b.jsonl" > "$T/b.out"
[ "$(wc -l < "$T/b.out")" -eq 1501 ] || { echo "want 1501 exits, got $(wc -l < "$T/b.out")"; exit 1; }
[ "$(cut -d' ' -f1 "$T/b.out" | sort -n | uniq | wc -l)" -eq 1501 ] || { echo "seq not unique"; exit 1; }
n=$(grep -n '^0 0 0xa0$' "$T/b.out" | cut -d: -f1)
[ -n "$n" ] && [ "$n" -gt 1024 ] || { echo "A0: want seq 0, written after the window (line $n)"; exit 1; }
grep ' 1 ' "$T/b.out" | cut -d' ' -f1 > "$T/bseq"
seq 1 1500 | cmp -s - "$T/bseq" || { echo "B exits not in start order"; exit 1; }
"$HVEXIT" replay --quiet "$T/b.jsonl" || { echo "replay of the reordered import"; exit 1; }
exit 0
