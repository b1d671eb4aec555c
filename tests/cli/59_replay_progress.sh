# replay --progress off a terminal: plain lines with the event count, rate
# and ETA (binary format 2: of the event count in the index footer; JSON
# Lines: of the file's bytes), then one final line; nothing at all without
# --progress when stderr is not a terminal (a CI log).
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$HVEXIT" record random --events 20000 --binary -o "$T/t.bin" 2>/dev/null || exit 1
"$HVEXIT" record random --events 20000 --seed 2 -o "$T/t.jsonl" 2>/dev/null || exit 1
meter='^replay: [0-9][0-9]*.* events.*, [0-9.]* [kM]* *events/s, ETA [0-9]'
final='^replay: [0-9]* events in [0-9.]* s, [0-9.]* [kM]* *events/s$'

"$HVEXIT" replay --progress --jobs 1 "$T/t.bin" >/dev/null 2>"$T/e1" || { cat "$T/e1"; exit 1; }
grep -q "^replay: [0-9]*/20000 events, .* events/s, ETA .* ([0-9]*% done)$" "$T/e1" ||
	{ cat "$T/e1"; echo "binary: no line with the footer's event count and an ETA"; exit 1; }
grep -q "^replay: 20000 events in " "$T/e1" || { cat "$T/e1"; echo "binary: no final line"; exit 1; }
grep -q "$(printf '\r')" "$T/e1" && { echo "carriage return off a terminal"; exit 1; }

"$HVEXIT" replay --progress --jobs 1 "$T/t.jsonl" >/dev/null 2>"$T/e2" || { cat "$T/e2"; exit 1; }
grep -q "$meter" "$T/e2" || { cat "$T/e2"; echo "JSON Lines: no ETA line"; exit 1; }
grep -q "^replay: 20000 events in " "$T/e2" || { cat "$T/e2"; echo "JSON Lines: no final line"; exit 1; }

# several traces in several processes: one meter, the sum of both
"$HVEXIT" replay --progress --jobs 2 "$T/t.bin" "$T/t.jsonl" >/dev/null 2>"$T/e3" ||
	{ cat "$T/e3"; exit 1; }
grep -q "^replay: 40000 events in " "$T/e3" || { cat "$T/e3"; echo "--jobs 2: no final line"; exit 1; }
[ "$(grep -c "$final" "$T/e3")" -eq 1 ] || { cat "$T/e3"; echo "--jobs 2: not one final line"; exit 1; }

# not a terminal, no --progress: only the summary
for f in "$T/t.bin" "$T/t.jsonl"; do
	"$HVEXIT" replay --jobs 1 "$f" >/dev/null 2>"$T/e4" || { cat "$T/e4"; exit 1; }
	if grep -q "ETA\| events in " "$T/e4"; then
		cat "$T/e4"; echo "progress in a log without --progress"; exit 1
	fi
	grep -q "^replay: 1 trace, 20000 events" "$T/e4" || { cat "$T/e4"; echo "no summary"; exit 1; }
done
exit 0
