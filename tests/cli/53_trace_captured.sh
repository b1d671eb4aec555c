# Real captures from the KVM-under-QEMU run (corpus/captured/): every
# ftrace text (*.ftrace, *.txt) and trace.dat (*.dat) is imported and its
# KVM events replayed against the decoded syndromes; they must agree.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
n=0
for f in corpus/captured/*.ftrace corpus/captured/*.txt corpus/captured/*.dat; do
	[ -f "$f" ] || continue
	# Leak-checked for trace.dat too: libtracecmd (which leaks 2 x 16
	# bytes per file it opens) runs in a child that ends with _exit.
	case "$f" in *.dat) opt=--trace-dat ;; *) opt=--ftrace ;; esac
	"$HVEXIT" import $opt "$f" -o "$T/c.jsonl" 2>"$T/err" ||
		{ cat "$T/err"; echo "import $f failed"; exit 1; }
	"$HVEXIT" replay "$T/c.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "replay of $f found differences"; exit 1; }
	n=$((n + 1))
done
echo "captured traces imported and replayed: $n"
# The exit traces the KVM backend wrote (source "kvm", corpus/captured/*.jsonl)
# replay without differences, and the ISV=1 data aborts in them carry KVM's
# MMIO events (so the kvm checks ran on real data).
k=0
for f in corpus/captured/*.jsonl; do
	[ -f "$f" ] || continue
	head -1 "$f" | grep -q '"source":"kvm"' || { echo "$f: not a kvm-source trace"; exit 1; }
	"$HVEXIT" replay "$f" >"$T/out" 2>&1 || { cat "$T/out"; echo "replay of $f found differences"; exit 1; }
	k=$((k + 1))
done
if [ -f corpus/captured/hello.jsonl ]; then
	grep -q '"mmio":\[{"op":"write","len":4' corpus/captured/hello.jsonl || { echo "hello.jsonl: no kvm mmio event"; exit 1; }
	# a mutated KVM report (4-byte store reported as 2 bytes) is a difference
	sed '0,/"op":"write","len":4/s//"op":"write","len":2/' corpus/captured/hello.jsonl >"$T/k.jsonl"
	"$HVEXIT" replay "$T/k.jsonl" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 1 ] || { cat "$T/out"; echo "mutated kvm trace: want 1, got $rc"; exit 1; }
	expect_finding "$T/out" "kvm.mmio[0].len" 0x4 0x2 || exit 1
fi
echo "kvm exit traces replayed: $k"
# The checks bite on real data too: make KVM report a 2-byte MMIO for the
# first 4-byte store of the hello capture (ESR SAS=2).
f=corpus/captured/hello.ftrace
if [ -f "$f" ]; then
	sed '0,/kvm_mmio: mmio write len 4/s//kvm_mmio: mmio write len 2/' "$f" > "$T/m.ftrace"
	"$HVEXIT" import --ftrace "$T/m.ftrace" -o "$T/m.jsonl" --quiet || exit 1
	"$HVEXIT" replay "$T/m.jsonl" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 1 ] || { cat "$T/out"; echo "mutated capture: want 1, got $rc"; exit 1; }
	expect_finding "$T/out" "kvm.mmio[0].len" 0x4 0x2 || exit 1
fi
exit 0
