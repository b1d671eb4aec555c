# Reader robustness: malformed lines exit 2 with file:line; a truncated
# trace (no end record) exits 2 saying how many events were read, 1 with
# --allow-truncated, which replays the complete events before the cut.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$HVEXIT" import --ftrace corpus/ftrace/handmade-seed000.txt -o "$T/ok.jsonl" --quiet || exit 1
n=$(wc -l < "$T/ok.jsonl")
tail -n 1 "$T/ok.jsonl" | grep -q '^{"type":"end","events":'"$((n - 2))," || { echo "no end record"; exit 1; }
# truncated: drop the end record and cut the last event in half (no newline)
head -n $((n - 2)) "$T/ok.jsonl" > "$T/trunc.jsonl"
sed -n "$((n - 1))p" "$T/ok.jsonl" | head -c 60 >> "$T/trunc.jsonl"
"$HVEXIT" replay "$T/trunc.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] || { cat "$T/out"; echo "truncated: want 2, got $rc"; exit 1; }
grep -q "trunc.jsonl:$((n - 1)): truncated last line.*: $((n - 3)) events read" "$T/out" ||
	{ cat "$T/out"; echo "truncation not reported"; exit 1; }
"$HVEXIT" replay --allow-truncated "$T/trunc.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || { cat "$T/out"; echo "--allow-truncated: want 1, got $rc"; exit 1; }
grep -q "replay: 1 trace, $((n - 3)) events, 0 differences" "$T/out" || { cat "$T/out"; echo "complete events not kept"; exit 1; }
# cut at a line boundary: only the missing end record tells
head -n $((n - 1)) "$T/ok.jsonl" > "$T/noend.jsonl"
"$HVEXIT" replay "$T/noend.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] || { cat "$T/out"; echo "no end record: want 2, got $rc"; exit 1; }
grep -q "no end record: the trace is truncated after $((n - 2)) events" "$T/out" || { cat "$T/out"; exit 1; }
# malformed JSON in the middle: exit 2 naming line 3
sed '3s/.*/{"type":"exit","seq":/' "$T/ok.jsonl" > "$T/bad.jsonl"
"$HVEXIT" replay "$T/bad.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 2 ] || { cat "$T/out"; echo "malformed: want 2, got $rc"; exit 1; }
grep -q "bad.jsonl:3:.*malformed JSON" "$T/out" || { cat "$T/out"; echo "line number missing"; exit 1; }
# an event whose ESR has RES0 bits set, a vcpu out of range, a bad register
for rec in '{"type":"exit","seq":0,"vcpu":0,"exit":{"esr":"0x100000000000000"}}' \
           '{"type":"exit","seq":0,"vcpu":99999,"exit":{"ec":"0x24"}}' \
           '{"type":"exit","seq":0,"vcpu":0,"exit":{"ec":"0x24","regs":{"x31":"0x1"}}}' \
           '{"type":"exit","seq":0,"vcpu":0,"exit":{"ec":"0x24","esr":"0x5a000000"}}' \
           '{"type":"page","sha256":"00","data":""}' \
           '{"type":"exit","seq":0,"vcpu":0}'; do
	{ head -1 "$T/ok.jsonl"; echo "$rec"; } > "$T/r.jsonl"
	"$HVEXIT" replay "$T/r.jsonl" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 2 ] || { cat "$T/out"; echo "want 2 for $rec"; exit 1; }
	grep -q "r.jsonl:2:" "$T/out" || { cat "$T/out"; echo "no line for $rec"; exit 1; }
done
# not a trace / wrong version / missing file
echo '{"hello":1}' > "$T/nt.jsonl"
"$HVEXIT" replay "$T/nt.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "non-trace: want 2"; exit 1; }
echo '{"hvexit_trace":9,"source":"emu","vcpus":1}' > "$T/v9.jsonl"
"$HVEXIT" replay "$T/v9.jsonl" 2>&1 | grep -q "version 9 not supported" || { echo "version"; exit 1; }
"$HVEXIT" replay "$T/missing.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "missing: want 2"; exit 1; }
: > "$T/empty.jsonl"
"$HVEXIT" replay "$T/empty.jsonl" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "empty: want 2"; exit 1; }
exit 0
