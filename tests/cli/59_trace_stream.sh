# Traces end properly and replay in parallel:
# - record and convert stopped by SIGTERM/SIGINT finish the current record
#   and write an end record marked interrupted; replay then says so and
#   exits 2 (1 with --allow-truncated); a mistyped record type is an error;
# - replay --jobs 1 and --jobs 2 give the same report.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
H=${HVEXIT_REL:-$HVEXIT}
stop_after_start() {	# $1 signal, $2 output, then the command
	sig=$1; out=$2; shift 2
	"$@" 2>"$T/err" & p=$!
	i=0
	while ! ls "$out".part >/dev/null 2>&1 && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.2
	kill -"$sig" $p; wait $p
}
stop_after_start TERM "$T/big.jsonl" "$H" record random --events 50000000 -o "$T/big.jsonl"; rc=$?
[ $rc -eq 143 ] || { cat "$T/err"; echo "record: want 143 after SIGTERM, got $rc"; exit 1; }
grep -q "stopped by signal 15 after [0-9]* events" "$T/err" || { cat "$T/err"; exit 1; }
n=$(sed -n 's/.*stopped by signal 15 after \([0-9]*\) events.*/\1/p' "$T/err")
tail -n 1 "$T/big.jsonl" | grep -q "^{\"type\":\"end\",\"events\":$n,.*\"interrupted\":true}$" || { tail -c 300 "$T/big.jsonl"; echo "no interrupted end record"; exit 1; }
"$H" replay --jobs 1 "$T/big.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] || { tail "$T/out"; echo "interrupted trace: want 2, got $rc"; exit 1; }
grep -q "the writer was interrupted: $n events recorded" "$T/out" || { tail "$T/out"; exit 1; }
"$H" replay --allow-truncated "$T/big.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || { tail "$T/out"; echo "--allow-truncated: want 1, got $rc"; exit 1; }
# convert to binary, interrupted by SIGINT
"$H" record random --events 400000 --binary -o "$T/m.bin" 2>/dev/null || exit 1
stop_after_start INT "$T/m.jsonl" "$H" convert "$T/m.bin" "$T/m.jsonl"; rc=$?
if [ $rc -eq 130 ]; then
	tail -n 1 "$T/m.jsonl" | grep -q '"interrupted":true}$' || { echo "convert: no interrupted end record"; exit 1; }
	"$H" replay "$T/m.jsonl" >"$T/out" 2>&1; [ $? -eq 2 ] || { tail "$T/out"; echo "want 2"; exit 1; }
else
	# the conversion finished before the signal: then it is complete
	[ $rc -eq 0 ] || { cat "$T/err"; echo "convert: got $rc"; exit 1; }
	"$H" replay "$T/m.jsonl" >/dev/null 2>&1 || { echo "complete conversion does not replay"; exit 1; }
fi
# a device or FIFO is written in place, never replaced by a renamed file
"$HVEXIT" record seed000 -o /dev/null 2>/dev/null || { echo "record to /dev/null"; exit 1; }
[ -c /dev/null ] || { echo "/dev/null is no longer a device"; exit 1; }
mkfifo "$T/fifo"
"$HVEXIT" record seed000 -o "$T/fifo" 2>/dev/null & p=$!
tail -n 1 < "$T/fifo" | grep -q '^{"type":"end","events":10,' || { echo "FIFO: no end record"; exit 1; }
wait $p || { echo "record to a FIFO failed"; exit 1; }
# a mistyped record type is an error naming the line, not a skip
"$HVEXIT" record seed000 -o "$T/s.jsonl" 2>/dev/null || exit 1
sed '3s/"type":"exit"/"type":"exti"/' "$T/s.jsonl" > "$T/typo.jsonl"
"$HVEXIT" replay "$T/typo.jsonl" >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "typo: want 2"; exit 1; }
grep -q "typo.jsonl:3: unknown record type \"exti\"" "$T/out" || { cat "$T/out"; exit 1; }
# an edited event (checksum) and a removed one (count) are found
sed '3s/"vcpu":1/"vcpu":0/' "$T/s.jsonl" > "$T/edit.jsonl"
cmp -s "$T/s.jsonl" "$T/edit.jsonl" && { echo "edit did not apply"; exit 1; }
"$HVEXIT" replay "$T/edit.jsonl" >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "edit: want 2"; exit 1; }
grep -q "checksum .* (corrupt or edited)" "$T/out" || { cat "$T/out"; exit 1; }
sed '5d' "$T/s.jsonl" > "$T/drop.jsonl"
"$HVEXIT" replay "$T/drop.jsonl" >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "drop: want 2"; exit 1; }
grep -q "the end record counts 10 events and 0 pages, the trace has 9 and 0" "$T/out" || { cat "$T/out"; exit 1; }
# --jobs: the same report for 1 and 2 processes, differences included
"$HVEXIT" record random --events 2000 --seed 3 -o "$T/j1.jsonl" 2>/dev/null || exit 1
"$HVEXIT" record random --events 2000 --seed 4 --binary -o "$T/j2.bin" 2>/dev/null || exit 1
sed '1!s/"action":"mmio"/"action":"resume"/' "$T/j1.jsonl" | head -n 40 > "$T/j3e.jsonl"
python3 "$(dirname "$0")/lib/seal.py" "$T/j3e.jsonl" "$T/j3.jsonl" || exit 1
for j in 1 2; do
	"$HVEXIT" replay --jobs $j --findings "$T/f$j.jsonl" "$T/j1.jsonl" "$T/j2.bin" \
		"$T/j3.jsonl" "$T/s.jsonl" >"$T/o$j.txt" 2>"$T/e$j.txt"
	echo "rc $?" >> "$T/o$j.txt"
	grep -v "events/s" "$T/e$j.txt" >> "$T/o$j.txt"
done
grep -q "^rc 1$" "$T/o1.txt" || { cat "$T/o1.txt"; echo "want differences"; exit 1; }
grep -q "action" "$T/f1.jsonl" || { echo "no findings"; exit 1; }
cmp "$T/o1.txt" "$T/o2.txt" || { diff "$T/o1.txt" "$T/o2.txt" | head; echo "--jobs 1 and 2 differ"; exit 1; }
cmp "$T/f1.jsonl" "$T/f2.jsonl" || { echo "--jobs findings differ"; exit 1; }
exit 0
