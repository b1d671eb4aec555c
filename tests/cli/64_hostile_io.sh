# Hostile inputs and outputs (the reproducers of the reliability review):
# an output that is its own input is refused and the input survives;
# outputs appear whole or not at all; two writers to one output cannot
# both succeed; pipes are read once; FIFOs, devices and directories are
# refused up front; unbounded lines and too many vCPU threads are errors;
# a lost report on stdout is exit 2.
set -u
T=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$T"' EXIT
fail=0
H=$HVEXIT
H_REL=${HVEXIT_REL:-$HVEXIT}
bad() { echo "$*"; fail=1; }
lines() { wc -l <"$1" | tr -d ' '; }
# want CODE CMD...: run CMD (bounded by timeout so that a hang is a failure,
# not a stuck suite), check the exit code and a one-line error for 2.
want() {
	code=$1; shift
	timeout 60 "$@" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq "$code" ] || { bad "$*: exit $rc, want $code"; sed 's/^/    /' "$T/err" | head -5; return; }
	# The error is the first line (replay adds its run summary after it).
	if [ "$code" -eq 2 ] && ! head -1 "$T/err" | grep -q "^hvexit [a-z0-9]*: "; then
		bad "$*: want a one-line error first"; sed 's/^/    /' "$T/err" | head -5
	fi
	grep -q "Sanitizer\|runtime error" "$T/err" && bad "$*: sanitizer report"
}

"$H" record random --events 500 -o "$T/a.jsonl" 2>/dev/null || bad "record failed"
cp "$T/a.jsonl" "$T/a.orig"

# Output == input: refused, the input untouched (also through a link).
want 2 "$H" convert "$T/a.jsonl" "$T/a.jsonl" --to jsonl
want 2 "$H" convert "$T/a.jsonl" "$T/a.jsonl"
ln -s a.jsonl "$T/link.jsonl"; ln "$T/a.jsonl" "$T/hard.jsonl"
want 2 "$H" convert "$T/a.jsonl" "$T/link.jsonl"
want 2 "$H" convert "$T/hard.jsonl" "$T/a.jsonl"
cmp -s "$T/a.jsonl" "$T/a.orig" || bad "convert IN IN changed the input"
cp corpus/captured/mmio-sweep.ftrace "$T/k.txt"
want 2 "$H" import --ftrace "$T/k.txt" -o "$T/k.txt"
cmp -s "$T/k.txt" corpus/captured/mmio-sweep.ftrace || bad "import F -o F changed the capture"

# Output through a symbolic link: the file it names gets the data, the
# link stays a link.
"$H" record random --events 20 -o "$T/t.jsonl" 2>/dev/null
ln -s t.jsonl "$T/tl.jsonl"
want 0 "$H" convert "$T/a.jsonl" "$T/tl.jsonl" --to jsonl
[ -L "$T/tl.jsonl" ] || bad "-o through a link replaced the link"
[ "$(lines "$T/t.jsonl")" -eq "$(lines "$T/a.jsonl")" ] || bad "-o through a link: target not written"

# A failed run keeps the previous output: an unreadable input, a full
# output device, a directory, an unwritable folder.
cp "$T/t.jsonl" "$T/t.before"
{ head -3 "$T/a.jsonl"; echo '{"type":"exit","seq":'; tail -n +4 "$T/a.jsonl"; } >"$T/bad.jsonl"
want 2 "$H" convert "$T/bad.jsonl" "$T/t.jsonl"
cmp -s "$T/t.jsonl" "$T/t.before" || bad "a failed convert changed its output"
[ ! -e "$T/t.jsonl.part" ] || bad "a failed convert left its temporary file"
want 2 "$H" record random --events 10 -o /dev/full
want 2 "$H" convert "$T/a.jsonl" /dev/full
want 2 "$H" import --ftrace corpus/captured/hvc.ftrace -o /dev/full
mkdir "$T/dir"
want 2 "$H" record random --events 10 -o "$T/dir"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$T/ro"; chmod 555 "$T/ro"
	want 2 "$H" record random --events 10 -o "$T/ro/x.jsonl"
fi
# /dev/null as an output is written in place, never replaced.
want 0 "$H" convert "$T/a.jsonl" /dev/null
[ -c /dev/null ] || bad "/dev/null is no longer a device"

# A writer killed at any moment leaves the old file or the whole new one.
cp "$T/a.orig" "$T/kill.jsonl"
"$H_REL" record random --events 300000 -o "$T/kill.jsonl" 2>/dev/null & p=$!
sleep 0.3; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
if ! cmp -s "$T/kill.jsonl" "$T/a.orig"; then
	"$H_REL" replay "$T/kill.jsonl" --quiet >/dev/null 2>&1 || bad "killed record left a partial trace"
fi

# Two writers to one output: while one holds it, the other fails (exit 2)
# and the first completes whole.
mkfifo "$T/feed"
"$H" convert - "$T/two.jsonl" --to jsonl <"$T/feed" 2>"$T/first.err" & p=$!
exec 3>"$T/feed"
head -1 "$T/a.jsonl" >&3
for i in $(seq 100); do [ -e "$T/two.jsonl.part" ] && break; sleep 0.1; done
want 2 "$H" record random --events 10 -o "$T/two.jsonl"
grep -q "another process is writing" "$T/err" || bad "second writer: $(cat "$T/err")"
tail -n +2 "$T/a.jsonl" >&3; exec 3>&-
wait $p || bad "first writer failed: $(cat "$T/first.err")"
cmp -s "$T/two.jsonl" "$T/a.jsonl" || bad "first writer's output is not whole"

# Strict numbers and names: hex fields need 0x, no "_", exact register
# names; seq increases per vCPU (a duplicated or reordered event is an
# error, not replayed twice).
mk() {	# name sed-expression: a.jsonl's first 3 lines with line 2 edited
	head -3 "$T/a.jsonl" | sed "2$2" >"$T/$1.jsonl"
}
mk dec 's/"esr":"0x[0-9a-f]*"/"esr":"10000046"/'
mk und 's/"esr":"0x[0-9a-f]*"/"esr":"0x_"/'
mk useq 's/"seq":0/"seq":"_"/'
mk reg1 's/"regs":{[^}]*}/"regs":{"x_1":"0x1"}/'
mk reg2 's/"regs":{[^}]*}/"regs":{"x1_0":"0x1"}/'
mk reg3 's/"regs":{[^}]*}/"regs":{"x01":"0x1"}/'
for x in dec und useq reg1 reg2 reg3; do want 2 "$H" replay "$T/$x.jsonl" --quiet; done
seal() { python3 "$(dirname "$0")/lib/seal.py" "$1" "$1"; }	# a new end record
{ head -3 "$T/a.jsonl"; sed -n 3p "$T/a.jsonl"; } >"$T/dup.jsonl"
{ head -1 "$T/a.jsonl"; tail -n +2 "$T/a.jsonl" | grep -v '^{"type":"end"' | tac; } >"$T/rev.jsonl"
seal "$T/dup.jsonl"; seal "$T/rev.jsonl"
for x in dup rev; do
	want 2 "$H" replay "$T/$x.jsonl" --quiet
	grep -q "seq must increase per vCPU" "$T/err" || bad "$x: $(head -1 "$T/err")"
	want 2 "$H" convert "$T/$x.jsonl" "$T/$x.bin"
done
want 2 "$H" decode _
want 2 "$H" decode 0x_
want 2 "$H" exit --esr 0x93c08046 --reg "x+1=5"
want 2 "$H" exit --esr 0x93c08046 --reg "x 1=5"

# A non-UTF-8 trace path keeps the reports whole: JSON with its trace and
# details, baseline entries saved, well-formed JUnit. A seq of 2^63 or more
# stays unsigned in them.
bad8="$T/bad$(printf '\377')name.jsonl"
sed 's/"findings":\[\]}}$/"findings":[{"kind":"x"}]}}/' "$T/a.jsonl" >"$bad8"
"$H" replay "$bad8" --json --junit "$T/u.xml" --baseline "$T/u.json" --update-baseline >"$T/u.out" 2>/dev/null
python3 - "$T/u.out" "$T/u.xml" "$T/u.json" <<'PY' || bad "non-UTF-8 path: reports incomplete"
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
assert j["traces"] and j["cases"] and j["clusters"], j
ET.parse(sys.argv[2])
assert json.load(open(sys.argv[3]))["known"]
PY
{ head -1 "$T/a.jsonl"; sed -n 2p "$T/a.jsonl" | sed 's/"seq":0/"seq":"0x8000000000000000"/; s/"findings":\[\]}}$/"findings":[{"kind":"x"}]}}/'; } >"$T/big.jsonl"
"$H" replay "$T/big.jsonl" --json --junit "$T/big.xml" >"$T/big.out" 2>/dev/null
grep -q "9223372036854775808" "$T/big.out" && ! grep -q -- "-9223372036854775808" "$T/big.out" "$T/big.xml" ||
	bad "seq 2^63 printed signed"
# Standard input that is a directory is a read error, not an empty input.
want 2 "$H" decode - <"$T/dir"

# --update-baseline never drops entries of a trace it could not read (a
# mistyped name, a truncated copy) and says what it added and removed.
known() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['known']))" "$1"; }
sed 's/"findings":\[\]}}$/"findings":[{"kind":"x"}]}}/' "$T/a.jsonl" >"$T/bl.jsonl"
seal "$T/bl.jsonl"
"$H" replay "$T/bl.jsonl" --baseline "$T/b.json" --update-baseline --quiet 2>"$T/err"
n0=$(known "$T/b.json")
[ "$n0" -gt 0 ] && grep -q "$n0 entries added, 0 removed" "$T/err" || bad "baseline: first update: $(cat "$T/err")"
want 2 "$H" replay "$T/typo.jsonl" --baseline "$T/b.json" --update-baseline --quiet
[ "$(known "$T/b.json")" -eq "$n0" ] || bad "baseline lost entries after an unreadable trace"
s=$(wc -c <"$T/bl.jsonl"); head -c $((s / 2)) "$T/bl.jsonl" >"$T/half"; mv "$T/half" "$T/bl.jsonl"
"$H" replay "$T/bl.jsonl" --baseline "$T/b.json" --update-baseline --quiet 2>"$T/err"
[ "$(known "$T/b.json")" -eq "$n0" ] || bad "baseline lost entries after a truncated trace"
grep -q "0 removed" "$T/err" || bad "baseline: truncated trace: $(cat "$T/err")"

# Pipes are read once: stdin, /dev/stdin and <(...) give the file's exits.
"$H" import --ftrace corpus/captured/mmio-sweep.ftrace -o "$T/f.jsonl" 2>/dev/null
n=$(lines "$T/f.jsonl")
cat corpus/captured/mmio-sweep.ftrace | "$H" import --ftrace /dev/stdin -o "$T/p1.jsonl" 2>/dev/null
cat corpus/captured/mmio-sweep.ftrace | "$H" import --ftrace - -o "$T/p2.jsonl" 2>/dev/null
for x in p1 p2; do [ "$(lines "$T/$x.jsonl")" -eq "$n" ] || bad "import from a pipe ($x): $(lines "$T/$x.jsonl") lines, want $n"; done
if [ -e /dev/fd/0 ] && bash -c 'true' 2>/dev/null; then
	bash -c '"$0" import --ftrace <(cat corpus/captured/mmio-sweep.ftrace) -o "$1"' "$H" "$T/p3.jsonl" 2>/dev/null
	[ "$(lines "$T/p3.jsonl")" -eq "$n" ] || bad "import from <(...): wrong line count"
fi

# Special files as inputs: refused up front (a FIFO without a writer
# would block forever, /dev/zero never ends).
mkfifo "$T/fifo"
for c in "replay $T/fifo" "diff $T/fifo $T/a.jsonl" "convert $T/fifo $T/o.jsonl" \
	 "import --ftrace $T/fifo" "import --trace-dat $T/fifo" "walk --mem $T/fifo@0x0 --vtcr 0x40094 --vttbr 0 --ipa 0" \
	 "s2 build --regions $T/fifo --vtcr 0x40094 -o $T/o.bin --base 0" \
	 "replay $T/a.jsonl --baseline $T/fifo" "report $T/fifo" \
	 "import --ftrace /dev/zero" "replay /dev/zero" "replay $T/dir" "import --ftrace $T/dir"; do
	# shellcheck disable=SC2086
	want 2 "$H" $c
done

# Unbounded lines and vCPU counts are errors, not memory growth or drops.
head -c 3000000 /dev/zero | tr '\0' a >"$T/long.txt"
want 2 "$H" import --ftrace "$T/long.txt" -o "$T/o.jsonl"
grep -q "line longer than" "$T/err" || bad "long line: $(cat "$T/err")"
python3 - "$T/many.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for t in range(600):
        f.write(f" vcpu-{1000+t} [000] .... 1.{t:06d}: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000000000001000\n")
PY
want 2 "$H" import --ftrace "$T/many.txt" -o "$T/o.jsonl"
grep -q "more than 512 vCPU threads" "$T/err" || bad "600 vCPU threads: $(cat "$T/err")"
# Numbers that do not fit are malformed, never saturated or negated.
{
	echo " vcpu-1 [000] .... 1.000001: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000000000001000"
	echo " vcpu-1 [000] .... 1.000002: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xfffffffffffffffffffff"
	echo " vcpu-1 [000] .... 1.000003: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: -0x14"
	echo " vcpu-1 [000] .... 1.000004: kvm_mmio: mmio read len -1 gpa 0x9000000 val 0x0"
} >"$T/num.txt"
want 0 "$H" import --ftrace "$T/num.txt" -o "$T/num.jsonl"
grep -q "3 malformed" "$T/err" || bad "overflowing numbers: $(cat "$T/err")"
grep -q "0xffffffffffffffff" "$T/num.jsonl" && bad "a 21-digit PC was saturated"

# A report on stdout that cannot be written is exit 2 (full device,
# closed descriptor); so is an output file on a full device.
head -c 4096 /dev/zero >"$T/t.bin"
for c in "decode 0x93c08046" "replay $T/a.jsonl --json" "walk --vtcr 0x40094 --vttbr 0x100000 --mem $T/t.bin@0x100000 --ipa 0" \
	 "exit --esr 0x93c08046" "xcheck --esr 0x93c08046 --insn 0xb9400020" "report --help"; do
	# shellcheck disable=SC2086
	timeout 60 "$H" $c >/dev/full 2>"$T/err"; rc=$?
	case "$c" in "report --help") ;; *) [ $rc -eq 2 ] || bad "$c > /dev/full: exit $rc, want 2" ;; esac
	# shellcheck disable=SC2086
	timeout 60 "$H" $c >&- 2>"$T/err"; rc=$?
	case "$c" in "report --help") ;; *) [ $rc -eq 2 ] || bad "$c >&-: exit $rc, want 2" ;; esac
done
# With stdout closed, an output file never receives the report.
"$H" record random --events 30 -o "$T/c.jsonl" >&- 2>/dev/null
"$H_REL" replay "$T/c.jsonl" --quiet >/dev/null 2>&1 || bad "record with stdout closed wrote a bad trace"
exit $fail
