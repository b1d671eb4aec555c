# hvexit convert: JSON Lines <-> binary is lossless (binary -> JSONL ->
# binary is byte-identical; diff of the two JSONL forms is empty), binary
# traces replay like JSON ones, format 1 binaries are still read, and the
# binary reader rejects damage: a cut file, a flipped byte, a wrong kind.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
"$HVEXIT" import --ftrace corpus/ftrace/handmade-seed000.txt -o "$T/a.jsonl" --quiet || exit 1
"$HVEXIT" convert "$T/a.jsonl" "$T/a.bin" 2>/dev/null || { echo "to bin failed"; exit 1; }
head -c 8 "$T/a.bin" | od -c | head -1 | grep -q "H   V   X   T   B 002" || { echo "no v2 magic"; exit 1; }
"$HVEXIT" convert "$T/a.bin" "$T/b.jsonl" 2>/dev/null || { echo "to jsonl failed"; exit 1; }
"$HVEXIT" convert "$T/b.jsonl" "$T/b.bin" 2>/dev/null || exit 1
cmp "$T/a.bin" "$T/b.bin" || { echo "binary round trip not identical"; exit 1; }
"$HVEXIT" diff "$T/a.jsonl" "$T/b.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "JSONL forms differ"; exit 1; }
"$HVEXIT" replay "$T/a.bin" >"$T/out" 2>&1 || { cat "$T/out"; echo "binary replay"; exit 1; }
# recorded outcomes (engine structs) survive both ways too
"$HVEXIT" record random --events 3000 --seed 7 -o "$T/r.jsonl" 2>/dev/null || exit 1
"$HVEXIT" convert "$T/r.jsonl" "$T/r.bin" 2>/dev/null || exit 1
"$HVEXIT" convert "$T/r.bin" "$T/r2.jsonl" 2>/dev/null || exit 1
sed 1d "$T/r.jsonl" > "$T/r.body"; sed 1d "$T/r2.jsonl" > "$T/r2.body"
cmp "$T/r.body" "$T/r2.body" || { echo "recorded trace changed by a round trip"; exit 1; }
# an input cannot be its own output (also through a link): refused, kept
cp "$T/r.jsonl" "$T/keep.jsonl"; ln -s "$T/r.jsonl" "$T/link.jsonl"
"$HVEXIT" convert "$T/r.jsonl" "$T/link.jsonl" --to jsonl >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "same file: want 2"; exit 1; }
cmp "$T/r.jsonl" "$T/keep.jsonl" || { echo "input changed"; exit 1; }
# a changed MMIO length is still found through the binary form
sed 's/mmio write len 4 gpa 0x10008000 val 0x31/mmio write len 8 gpa 0x10008000 val 0x31/' \
	corpus/ftrace/handmade-seed000.txt > "$T/bad.txt"
"$HVEXIT" import --ftrace "$T/bad.txt" -o "$T/bad.jsonl" --quiet || exit 1
"$HVEXIT" convert "$T/bad.jsonl" "$T/bad.bin" 2>/dev/null || exit 1
"$HVEXIT" replay "$T/bad.bin" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "want 1"; exit 1; }
expect_finding "$T/out" "kvm.mmio[0].len" 0x4 0x8 ": seq 3 vcpu 1$" || exit 1
# cut anywhere: exit 2 naming the byte and the events read; convert refuses
sz=$(wc -c < "$T/r.bin")
for cut in 7 40 $((sz / 2)) $((sz - 9)); do
	head -c "$cut" "$T/r.bin" > "$T/t.bin"
	"$HVEXIT" replay "$T/t.bin" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 2 ] || { cat "$T/out"; echo "cut at $cut: want 2, got $rc"; exit 1; }
	grep -q "truncated\|empty trace" "$T/out" || { cat "$T/out"; echo "cut at $cut not reported"; exit 1; }
done
"$HVEXIT" convert "$T/t.bin" "$T/t.jsonl" >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "convert of a cut file: want 2"; exit 1; }
[ ! -e "$T/t.jsonl" ] || { echo "convert wrote a cut output"; exit 1; }
"$HVEXIT" convert --allow-truncated "$T/t.bin" "$T/t.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "want 1"; exit 1; }
tail -n 1 "$T/t.jsonl" | grep -q '"interrupted":true' || { echo "partial output not marked"; exit 1; }
"$HVEXIT" replay "$T/t.jsonl" >"$T/out" 2>&1; [ $? -eq 2 ] || { cat "$T/out"; echo "interrupted trace: want 2"; exit 1; }
grep -q "the writer was interrupted" "$T/out" || { cat "$T/out"; exit 1; }
# one flipped byte in every block's compressed data, header or the footer:
# exit 2 with its offset, never a silent skip
python3 - "$T/r.bin" "$T" <<'PY'
import sys
b = open(sys.argv[1], 'rb').read()
offs = [len(b) // 3, len(b) // 2, 8 + 5, len(b) - 20]
for i, o in enumerate(offs):
    c = bytearray(b); c[o] ^= 0x40
    open('%s/flip%d.bin' % (sys.argv[2], i), 'wb').write(bytes(c))
PY
for i in 0 1 2 3; do
	"$HVEXIT" replay "$T/flip$i.bin" >"$T/out" 2>&1; rc=$?
	[ $rc -eq 2 ] || { cat "$T/out"; echo "flip $i: want 2, got $rc"; exit 1; }
	grep -q "byte [0-9]*.*corrupt\|checksum" "$T/out" || { cat "$T/out"; echo "flip $i: no offset"; exit 1; }
done
# format 1 binaries (no blocks, no end record) are still read
python3 - "$T/r.jsonl" "$T/v1.bin" <<'PY'
import json, struct, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
hdr = dict(lines[0]); hdr["hvexit_trace"] = 1
out = bytearray(b"HVXTB\x01\r\n")
def rec(kind, payload):
    out.extend(kind.encode() + struct.pack("<I", len(payload)) + payload)
rec("H", json.dumps(hdr).encode())
n = 0
for e in lines[1:]:
    if e["type"] != "exit":
        continue
    x = e["exit"]; n += 1
    flags = 1 | 2 | 4 | 8 | 32 | 64
    regs = {int(k[1:]): int(v, 16) for k, v in x.get("regs", {}).items()}
    mask = sum(1 << r for r in regs)
    mmio = [int(v, 16) for v in e.get("mmio_data", [])]
    p = struct.pack("<QIIBBBBI", e["seq"], e["vcpu"], flags, int(x["ec"], 16), len(mmio), 0, 0, mask)
    for k in ("esr", "far", "hpfar", "pc"):
        p += struct.pack("<Q", int(x[k], 16))
    p += struct.pack("<I", int(x["insn"], 16))
    for r in sorted(regs):
        p += struct.pack("<Q", regs[r])
    for v in mmio:
        p += struct.pack("<Q", v)
    o = json.dumps(e["outcome"], separators=(",", ":"), sort_keys=True).encode()
    p += struct.pack("<I", len(o)) + o
    rec("E", p)
open(sys.argv[2], "wb").write(bytes(out))
print(n)
PY
"$HVEXIT" replay "$T/v1.bin" >"$T/out" 2>&1 || { cat "$T/out"; echo "format 1 binary"; exit 1; }
grep -q "replay: 1 trace, 3000 events, 0 differences" "$T/out" || { cat "$T/out"; exit 1; }
grep -q "format 1 trace (no end record)" "$T/out" || { cat "$T/out"; echo "format 1 not named"; exit 1; }
exit 0
