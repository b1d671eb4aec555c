# Corrupt trace.dat files (mutants of corpus/captured/hello.dat that
# crashed libtracecmd in-process: SIGSEGV in tracecmd_close, heap-buffer-
# overflow in a strdup) give exit 2 and one line naming the file: the
# library runs in a sandboxed child. The good file imports with no leak
# report (the child never returns through exit handlers).
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
src=corpus/captured/hello.dat
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 0; }
"$HVEXIT" import --trace-dat "$src" -o "$T/ok.jsonl" 2>"$T/ok.err"; rc=$?
if grep -q "libtracecmd is not installed" "$T/ok.err"; then echo "SKIP: no libtracecmd"; exit 0; fi
[ $rc -eq 0 ] || { echo "hello.dat: exit $rc"; cat "$T/ok.err"; fail=1; }
grep -q "Sanitizer" "$T/ok.err" && { echo "hello.dat: sanitizer report"; fail=1; }

# kind offset: zero8 / ff8 overwrite 8 bytes at offset; trunc cuts there.
while read -r kind off; do
	m="$T/$kind-$off.dat"
	python3 - "$src" "$m" "$kind" "$off" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read()); kind, off = sys.argv[3], int(sys.argv[4])
if kind == "zero8": d[off:off + 8] = bytes(8)
elif kind == "ff8": d[off:off + 8] = b"\xff" * 8
elif kind == "trunc": d = d[:off]
open(sys.argv[2], "wb").write(d)
PY
	timeout 120 "$HVEXIT" import --trace-dat "$m" -o "$T/x.jsonl" >/dev/null 2>"$T/err"; rc=$?
	if [ $rc -ne 2 ]; then
		echo "$kind $off: exit $rc, want 2"; head -5 "$T/err"; fail=1
	elif [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q "$kind-$off.dat: not a readable" "$T/err"; then
		echo "$kind $off: want one line naming the file:"; head -5 "$T/err"; fail=1
	fi
	[ -e "$T/x.jsonl" ] && { echo "$kind $off: an output was written"; fail=1; rm -f "$T/x.jsonl"; }
done <<'EOF_LIST'
zero8 8480
ff8 5300
zero8 8452
zero8 8487
zero8 714
ff8 8253
ff8 8214
ff8 8278
trunc 10759
trunc 0
EOF_LIST
exit $fail
