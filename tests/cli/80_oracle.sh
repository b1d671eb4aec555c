# hvexit oracle: bad input exits 2 with one line; with QEMU and the probe
# image present, a small s2 and syndromes run boot the probe at EL2, agree
# with the models except for the known QEMU 7.2 behaviours (baselines with
# their Arm ARM rules), and a finding's reproduce line reproduces it.
. tests/cli/lib/finding.sh
H=${HVEXIT:-build/san/hvexit}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
PROBE=build/oracle/probe.elf

bad() {	# bad ARGS...: exit 2, the error as the last line on stderr
	"$H" oracle "$@" >"$T/o" 2>"$T/e"; rc=$?
	[ $rc -eq 2 ] || { cat "$T/o" "$T/e"; echo "oracle $*: want 2, got $rc"; exit 1; }
	tail -1 "$T/e" | grep -q "^hvexit oracle: " ||
		{ cat "$T/e"; echo "oracle $*: no error line"; exit 1; }
}
bad
bad nonsense
bad s2 --cases 0
bad s2 --cases x
bad s2 --probe "$T/none.elf"
echo "not an image" >"$T/text.elf"
bad s2 --probe "$T/text.elf" --qemu "$T/no-qemu"
bad s2 --emit "$T" --cases 10
bad syndromes --emit "$T" --features xnx --parange 40
bad s2 --features bogus --parange 40
bad s2 --log "$T/no-log"
bad s2 --emit "$T" --cases 50 --batch 10 --features xnx --parange 40

if ! command -v qemu-system-aarch64 >/dev/null || [ ! -f "$PROBE" ]; then
	echo "SKIP: the QEMU runs need qemu-system-aarch64 and $PROBE (ci/install-deps.sh --kvm; make probe)"
	exit 0
fi
# not the probe: QEMU runs it, no identification line comes
bad s2 --probe "$T/text.elf" --timeout 5

# s2: known QEMU 7.2 cause only; nothing left for the model or unsettled
"$H" oracle s2 --probe "$PROBE" --cases 150 --seed 3 \
	--baseline corpus/baselines/oracle-s2-qemu7.2.json >"$T/s2" 2>"$T/s2e" ||
	{ cat "$T/s2" "$T/s2e"; echo "s2 with the baseline: not 0"; exit 1; }
grep -q "^oracle s2: 150 cases, [0-9]* checks, [0-9]* agree .*model 0, .* unsettled 0)" "$T/s2e" ||
	{ cat "$T/s2e"; echo "s2 summary"; exit 1; }
checks=$(grep ' agree ' "$T/s2e" | sed -n 's/^oracle s2: 150 cases, \([0-9]*\) checks.*/\1/p')
[ "$checks" -gt 1000 ] || { echo "s2: only $checks checks"; exit 1; }
# without it the emulator cause is a finding (exit 1), with its rule
"$H" oracle s2 --probe "$PROBE" --cases 150 --seed 3 >"$T/s2n" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || { cat "$T/s2n"; echo "s2 without baseline: want 1, got $rc"; exit 1; }
grep -q "^FINDING oracle/s2/.*/emulator: IPA size and start level limited by VTCR_EL2.PS" "$T/s2n" ||
	{ cat "$T/s2n"; echo "no PS finding"; exit 1; }
grep -q "rule: *D8.1.10" "$T/s2n" || { echo "no rule"; exit 1; }
# its reproduce line shows the same instance alone
rep=$(grep -m1 "reproduce: hvexit oracle s2" "$T/s2n" | sed 's/.*reproduce: hvexit //')
id=$(grep -m1 "^    id: " "$T/s2n" | awk '{print $2}')
# shellcheck disable=SC2086
"$H" $rep --probe "$PROBE" --findings "$T/one.jsonl" >/dev/null 2>&1
grep -q "\"fingerprint\": *\"$id\"" "$T/one.jsonl" ||
	{ cat "$T/one.jsonl"; echo "reproduce '$rep' did not give $id"; exit 1; }

# another platform: --emit writes the blob, the platform boots the probe
# with it (QEMU here, as a board would under U-Boot), --log compares
F="--cases 30 --batch 30 --seed 5 --features xnx,ttst,lpa,lpa2,hafdbs,pan,wxn --parange 52"
# shellcheck disable=SC2086
"$H" oracle s2 $F --emit "$T" 2>"$T/emit" || { cat "$T/emit"; echo "--emit"; exit 1; }
grep -q "wrote $T/blob.bin" "$T/emit" || { cat "$T/emit"; exit 1; }
qemu-system-aarch64 -M virt,virtualization=on -cpu max -m 1024 -nodefaults -display none \
	-monitor none -serial "file:$T/board.txt" -no-reboot -kernel "$PROBE" \
	-device "loader,file=$T/blob.bin,addr=0x48000000,force-raw=on" || { echo "boot"; exit 1; }
# shellcheck disable=SC2086
"$H" oracle s2 $F --log "$T/board.txt" --baseline corpus/baselines/oracle-s2-qemu7.2.json \
	>/dev/null 2>"$T/loge" || { cat "$T/loge"; echo "--log"; exit 1; }
grep -q "^oracle s2: 30 cases, .* unsettled 0)" "$T/loge" || { cat "$T/loge"; exit 1; }

# syndromes: loads/stores of every class and the trap table
"$H" oracle syndromes --probe "$PROBE" --cases 400 --json \
	--baseline corpus/baselines/oracle-syndromes-qemu7.2.json >"$T/syn" 2>"$T/syne" ||
	{ cat "$T/syne"; echo "syndromes with the baseline: not 0"; exit 1; }
python3 - "$T/syn" <<'PY' || { cat "$T/syne"; exit 1; }
import json, sys
d = json.load(open(sys.argv[1]))
p = d["props"]
assert p["checks"] > 250 and p["agree"] >= p["checks"] - 40, p
assert "alignment" in " ".join(p["not_compared"]) or p["not_compared"], p
names = [c["name"] for c in d["cases"]]
assert any(n.startswith("trap HCR_EL2.TVM=1 SCTLR_EL1") for n in names)
assert any(n.startswith("trap MDCR_EL2.TPMCR=1") for n in names)
known = [c for c in d["clusters"] if c.get("known")]
assert any("TPMCR" in c["key"] for c in known), d["clusters"]
assert not [c for c in d["clusters"] if not c.get("known")], d["clusters"]
PY
exit 0
