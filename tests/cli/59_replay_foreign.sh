# A trace of another hypervisor: the worked example of docs/trace-format.md
# (a QEMU-virt-like log and its converter, taken from the document so the
# example stays true) replays in the VM of its header's memory map with 0
# differences; a wrong value names the device it came from; the same
# trace without its map does not replay clean; maps the VM cannot be
# built from are errors naming the entry.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
DOC=docs/trace-format.md
ex() {
	awk -v m="<!-- example: $1 -->" '$0 == m { f = 1; next }
		f && /^```/ { if (b) exit; b = 1; next } f && b { print }' "$DOC"
}
ex exitlog >"$T/exits.log"
ex exitlog-to-hvexit.py >"$T/convert.py"
[ -s "$T/exits.log" ] && [ -s "$T/convert.py" ] || { echo "example not found in $DOC"; exit 1; }
python3 "$T/convert.py" "$T/exits.log" >"$T/good.jsonl" || { echo "converter failed"; exit 1; }
nev=$(grep -c '^\[vcpu [0-9]*\] exit ' "$T/exits.log")

# Right outcomes: 0 differences, every exit replayed, the virtio device
# reported unmodelled (its name and the header's address).
"$HVEXIT" replay "$T/good.jsonl" --json >"$T/j" 2>"$T/e" || { cat "$T/e"; echo "foreign trace: want 0 differences"; exit 1; }
python3 - "$T/j" "$nev" <<'PY' || { cat "$T/j"; exit 1; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["differences"] == 0 and r["events"] == int(sys.argv[2]), (r["differences"], r["events"])
um = r["cases"][0]["props"]["unmodelled_devices"]
assert len(um) == 1 and um[0].startswith("virtio-mmio at 0xa000000 "), um
PY
grep -q "unmodelled device: virtio-mmio at 0xa000000" "$T/e" || { cat "$T/e"; echo "unmodelled device not said"; exit 1; }
"$HVEXIT" replay "$T/good.jsonl" --quiet 2>"$T/e" && ! grep -q unmodelled "$T/e" || { cat "$T/e"; echo "--quiet prints only the summary"; exit 1; }

# The map is what makes it replay: without it the UART at 0x09000000 is
# no device of hvexit's default VM (its UARTs are at 0x10000000).
python3 - "$T/good.jsonl" >"$T/nomap.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
h = json.loads(lines[0]); del h["memory"]
print(json.dumps(h)); print("\n".join(lines[1:]))
PY
"$HVEXIT" replay "$T/nomap.jsonl" --findings "$T/nm.jsonl" >/dev/null 2>&1; [ $? -eq 1 ] || { echo "without the map: want differences"; exit 1; }
grep -q '"field":"outcome.action"' "$T/nm.jsonl" || { cat "$T/nm.jsonl"; echo "without the map: action"; exit 1; }

# A wrong value: the log says UARTFR read 0. The PL011 TRM (3.3.3) has
# FR = TXFE (bit 7) | RXFE (bit 4) for a UART with empty FIFOs.
fr=$(printf '0x%x' $(( (1 << 7) | (1 << 4) )))
sed "s/mmio read 0x9000018 size 4 data $fr handled/mmio read 0x9000018 size 4 data 0x0 handled/; s/set x3=$fr\$/set x3=0x0/" \
	"$T/exits.log" >"$T/bad.log"
cmp -s "$T/exits.log" "$T/bad.log" && { echo "the example has no UARTFR read of $fr"; exit 1; }
python3 "$T/convert.py" "$T/bad.log" >"$T/bad.jsonl" || exit 1
"$HVEXIT" replay "$T/bad.jsonl" --findings "$T/f.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "wrong value: want 1"; exit 1; }
python3 - "$T/f.jsonl" "$fr" <<'PY' || { cat "$T/f.jsonl"; exit 1; }
import json, sys
fs = [json.loads(l) for l in open(sys.argv[1])]
assert sorted(f["field"] for f in fs) == ["outcome.accesses[0].data", "outcome.writes.Rt"], fs
for f in fs:
    assert "device: pl011 at 0x9000000 (pl011) +0x18" in f["context"], f["context"]
    assert json.loads(f["expected"]) == sys.argv[2] and json.loads(f["observed"]) == "0x0", f
    assert "seq 1 vcpu 0" in f["where"], f["where"]
PY
# Its reproducer, run as printed, gives the replayed value in the same VM.
cmd=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["reproduce"])' "$T/f.jsonl")
case "$cmd" in "hvexit exit --trace-vm $T/bad.jsonl "*) ;; *) echo "reproducer: $cmd"; exit 1 ;; esac
"$HVEXIT" ${cmd#hvexit } >"$T/r" || { cat "$T/r"; echo "reproducer failed"; exit 1; }
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(o["accesses"][0]["data"] != sys.argv[2])' "$T/r" "$fr" ||
	{ cat "$T/r"; echo "reproducer does not show the replayed value"; exit 1; }

# A device that is not modelled, said to have been handled in the
# hypervisor: the difference names that device, not a guess.
sed 's/data 0x74726976 userspace/data 0x74726976 handled/' "$T/exits.log" >"$T/vio.log"
python3 "$T/convert.py" "$T/vio.log" >"$T/vio.jsonl" || exit 1
"$HVEXIT" replay "$T/vio.jsonl" --findings "$T/v.jsonl" >/dev/null 2>&1; [ $? -eq 1 ] || { echo "virtio: want 1"; exit 1; }
grep -q '"field":"outcome.action".*device: virtio-mmio at 0xa000000 (no hvexit model' "$T/v.jsonl" ||
	{ cat "$T/v.jsonl"; echo "virtio: device not named"; exit 1; }

# Maps the VM cannot be built from: exit 2, one line naming the entry.
bad_map() {	# $1 = python expression editing the list m, $2 = expected text
	python3 - "$T/good.jsonl" "$1" >"$T/m.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
h = json.loads(lines[0]); m = h["memory"]; exec(sys.argv[2])
print(json.dumps(h)); print("\n".join(lines[1:]))
PY
	"$HVEXIT" replay "$T/m.jsonl" >/dev/null 2>"$T/me"; rc=$?
	[ $rc -eq 2 ] || { cat "$T/me"; echo "bad map ($1): want 2, got $rc"; exit 1; }
	grep -q "$2" "$T/me" || { cat "$T/me"; echo "bad map ($1): no '$2'"; exit 1; }
}
bad_map 'm[2]["ipa"] = "0x8000800"' "memory\[2\] 'pl011' at 0x8000800: overlaps an earlier region"
bad_map 'm[4]["flags"] = "rq"' "memory\[4\] 'mach-virt.ram': flags \"rq\""
bad_map 'm[0]["size"] = "0x1000"' "memory\[0\] 'gicv3_dist' at 0x8000000: model gicv3-dist decodes 0x10000 bytes"
bad_map 'm.append({"name": "gic2", "ipa": "0x8100000", "size": "0x1000", "flags": "device", "model": "gicv2-dist"})' \
	"a GICv2 and a GICv3 in one VM"
bad_map 'm[4]["ipa"] = "0x40000800"' "memory\[4\] 'mach-virt.ram' at 0x40000800: base and size must be 4 KiB aligned"
bad_map 'm[4]["model"] = "pl011"' "a \"model\" on RAM"
bad_map 'h["vcpus"] = 9' "the replay VM 1..8"
exit 0
