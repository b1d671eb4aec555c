# hvexit convert: JSON Lines <-> binary is lossless (binary -> JSONL ->
# binary is byte-identical; diff of the two JSONL forms is empty), binary
# traces replay like JSON ones, and the binary reader rejects damage.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
"$HVEXIT" import --ftrace corpus/ftrace/handmade-seed000.txt -o "$T/a.jsonl" --quiet || exit 1
"$HVEXIT" convert "$T/a.jsonl" "$T/a.bin" 2>/dev/null || { echo "to bin failed"; exit 1; }
head -c 8 "$T/a.bin" | od -c | head -1 | grep -q "H   V   X   T   B" || { echo "no magic"; exit 1; }
"$HVEXIT" convert "$T/a.bin" "$T/b.jsonl" 2>/dev/null || { echo "to jsonl failed"; exit 1; }
"$HVEXIT" convert "$T/b.jsonl" "$T/b.bin" 2>/dev/null || exit 1
cmp "$T/a.bin" "$T/b.bin" || { echo "binary round trip not identical"; exit 1; }
"$HVEXIT" diff "$T/a.jsonl" "$T/b.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "JSONL forms differ"; exit 1; }
"$HVEXIT" replay "$T/a.bin" >"$T/out" 2>&1 || { cat "$T/out"; echo "binary replay"; exit 1; }
# a changed MMIO length is still found through the binary form
sed 's/mmio write len 4 gpa 0x10008000 val 0x31/mmio write len 8 gpa 0x10008000 val 0x31/' \
	corpus/ftrace/handmade-seed000.txt > "$T/bad.txt"
"$HVEXIT" import --ftrace "$T/bad.txt" -o "$T/bad.jsonl" --quiet || exit 1
"$HVEXIT" convert "$T/bad.jsonl" "$T/bad.bin" 2>/dev/null || exit 1
"$HVEXIT" replay "$T/bad.bin" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "want 1"; exit 1; }
expect_finding "$T/out" "kvm.mmio[0].len" 0x4 0x8 ": seq 3 vcpu 1$" || exit 1
# truncated binary: the complete records are kept, warning, exit 0
sz=$(wc -c < "$T/a.bin")
head -c $((sz - 7)) "$T/a.bin" > "$T/t.bin"
"$HVEXIT" replay "$T/t.bin" >"$T/out" 2>&1 || { cat "$T/out"; echo "truncated bin: want 0"; exit 1; }
grep -q "truncated last record ignored" "$T/out" || { cat "$T/out"; exit 1; }
grep -q " 8 events" "$T/out" || { cat "$T/out"; echo "want the 8 complete events"; exit 1; }
# a damaged record length: exit 2 with the record number
python3 - "$T/a.bin" "$T/d.bin" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
# second record (first event) starts after magic + header record
hl = int.from_bytes(b[9:13], 'little')
off = 8 + 5 + hl
b[off + 1:off + 5] = (3).to_bytes(4, 'little')   # event payload cut to 3 bytes
open(sys.argv[2], 'wb').write(bytes(b))
PY
"$HVEXIT" replay "$T/d.bin" >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "damaged bin: want 2"; exit 1; }
grep -q "record 2: event record too short" "$T/out" || { cat "$T/out"; exit 1; }
exit 0
