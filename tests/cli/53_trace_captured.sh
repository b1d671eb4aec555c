# Real captures from the KVM-under-QEMU run (corpus/captured/): every
# ftrace text (*.ftrace, *.txt) and trace.dat (*.dat) is imported and its
# KVM events replayed against the decoded syndromes; they must agree.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
n=0
for f in corpus/captured/*.ftrace corpus/captured/*.txt corpus/captured/*.dat; do
	[ -f "$f" ] || continue
	case "$f" in *.dat) opt=--trace-dat ;; *) opt=--ftrace ;; esac
	"$HVEXIT" import $opt "$f" -o "$T/c.jsonl" 2>"$T/err" || { cat "$T/err"; echo "import $f failed"; exit 1; }
	"$HVEXIT" replay "$T/c.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "replay of $f found differences"; exit 1; }
	n=$((n + 1))
done
echo "captured traces imported and replayed: $n"
exit 0
