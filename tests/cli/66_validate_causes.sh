# hvexit validate: findings grouped by cause, the conformance and the
# robustness classes, the printed reproduce commands, the GIC byte-offset
# ownership bug for every seed. Plugins are examples/plugins/teach.c built
# with -D flags (listed at the top of that file).
. "$(dirname "$0")/lib/plugin.sh"
build() { n=$1; shift; build_plugin "$n" teach "$@"; }	# name flags...
keys() {	# out field: the cause keys of that field's findings
	sed -n "s|^FINDING validate/[a-z]*/$2/\\(.*\\): [0-9]* instances*\$|\\1|p" "$1"
}
# rerun OUT KEY-REGEX: run the reproduce line printed under that cause,
# exactly as printed (with this build's hvexit), and print its output
rerun() {
	cmd=$(awk -v k="$2" '/^FINDING / { on = ($0 ~ k) } on && /reproduce:/ {
		sub(/^ *reproduce: +/, ""); print; exit }' "$1")
	[ -n "$cmd" ] || { echo "no reproduce line for $2"; return 1; }
	case $cmd in hvexit\ *) ;; *) echo "reproduce line does not start with hvexit: $cmd"; return 1;; esac
	eval "\"\$HVEXIT\" ${cmd#hvexit }"
}

# 1. Two independent bugs in mmio_load.rt_value: two causes in one run.
build two -DBUG_SIGN_W64 -DBUG_KEEP_JUNK
"$HVEXIT" validate --plugin "$T/two.so" --only mmio_load --cases 400 >"$T/two.out" 2>"$T/two.err"
rc=$?
[ $rc -eq 1 ] || { echo "two bugs: exit $rc, want 1"; fail=1; }
keys "$T/two.out" mmio_load.rt_value >"$T/two.keys"
[ "$(grep -c . "$T/two.keys")" -eq 2 ] || { echo "two bugs: want 2 causes of rt_value"; cat "$T/two.out"; fail=1; }
grep -q "^LDRSB-W,LDRSH-W " "$T/two.keys" || { echo "two bugs: no cause naming exactly the 32-bit sign-extending loads"; cat "$T/two.keys"; fail=1; }
grep -q "^LDRB,LDRH .*junk" "$T/two.keys" || { echo "two bugs: no cause naming the zero-extending loads with junk"; cat "$T/two.keys"; fail=1; }
[ "$(grep -c '^FINDING' "$T/two.out")" -eq 2 ] || { echo "two bugs: other findings"; fail=1; }
# each cause's reproduce line shows that cause's minimal input again
for k in 'LDRSB-W,LDRSH-W' 'LDRB,LDRH'; do
	rerun "$T/two.out" "$k" >"$T/re.out" 2>&1; rc=$?
	[ $rc -eq 1 ] || { echo "reproduce $k: exit $rc, want 1"; cat "$T/re.out"; fail=1; }
	exp=$(awk -v k="$k" '/^FINDING / { on = ($0 ~ k) } on && /expected:/ { print $2; exit }' "$T/two.out")
	obs=$(awk -v k="$k" '/^FINDING / { on = ($0 ~ k) } on && /observed:/ { print $2; exit }' "$T/two.out")
	grep -q "expected: *$exp" "$T/re.out" && grep -q "observed: *$obs" "$T/re.out" ||
		{ echo "reproduce $k: not the same values ($exp vs $obs)"; cat "$T/re.out"; fail=1; }
done
# the minimal inputs are architecturally possible: EC 0x24, IL=1
grep "input:" "$T/two.out" | grep -v "EC=0x24 IL=1 ISV=1" && { echo "two bugs: impossible minimal input"; fail=1; }
# the same causes in --json (docs/findings.md) and JUnit
"$HVEXIT" validate --plugin "$T/two.so" --only mmio_load --cases 400 --json \
	--junit "$T/two.xml" >"$T/two.json" 2>/dev/null
python3 - "$T/two.json" "$T/two.xml" "$T/two.keys" <<'PY' || fail=1
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
keys = sorted(open(sys.argv[3]).read().split("\n")[:-1])
cl = [c for c in j["clusters"] if c["first"]["field"] == "mmio_load.rt_value"]
assert sorted(c["first"]["cluster"] for c in cl) == keys, (cl, keys)
for c in cl:
    f = c["first"]
    assert c["count"] > 0 and f["kind"] == "conformance" and f["reproduce"] and f["rule"], c
    assert f["expected"] != f["observed"], f
assert j["status"] == "fail"
x = ET.parse(sys.argv[2]).getroot()
failed = [(tc.get("classname"), tc.get("name")) for ts in x for tc in ts
          if tc.find("failure") is not None]
assert ("validate.conformance", "mmio_load") in failed, failed
PY

# One bug that reads the access size from the wrong bits shows in many
# classes and data: a handful of causes, not one per register or value.
build sas -DBUG_SAS_SHIFT
"$HVEXIT" validate --plugin "$T/sas.so" --only decode_dabt,mmio_load --cases 1000 >"$T/sas.out" 2>&1
n=$(grep -c '^FINDING' "$T/sas.out")
[ "$n" -ge 2 ] && [ "$n" -le 5 ] || { echo "SAS bug: $n causes, want 2..5"; grep '^FINDING' "$T/sas.out"; fail=1; }
grep -q "^FINDING validate/conformance/decode_dabt.len/" "$T/sas.out" || { echo "SAS bug: no decode_dabt.len cause"; fail=1; }

# 2. A plugin that refuses what a guest's data abort never is (EC 0x25,
#    S1PTW=1 with ISV=1) passes conformance, vectors included, and the
#    robustness class (refusing is always fine there).
build strict -DGUEST_ONLY
"$HVEXIT" validate --plugin "$T/strict.so" --cases 500 >"$T/strict.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "guest-only plugin: exit $rc, want 0"; cat "$T/strict.out"; fail=1; }
"$HVEXIT" validate --plugin "$T/strict.so" --cases 500 --hostile >"$T/strict.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "guest-only plugin --hostile: exit $rc, want 0"; cat "$T/strict.out"; fail=1; }
grep -q "^decode_dabt: .* + [1-9][0-9]* robustness" "$T/strict.out" || { echo "--hostile ran no robustness cases"; fail=1; }
# refusing an EC 0x25 syndrome given on the command line is no finding
"$HVEXIT" validate --plugin "$T/strict.so" --entry decode_dabt --esr 0x97440005 >"$T/ec25.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "EC 0x25 refused: exit $rc, want 0"; cat "$T/ec25.out"; fail=1; }
grep -q "robustness" "$T/ec25.out" || { echo "EC 0x25 not run as robustness"; fail=1; }

# 3. The same plugin crashing on a hostile input: conformance passes, the
#    crash is a robustness finding with a working reproduce line.
build strictcrash -DGUEST_ONLY -DBUG_CRASH
"$HVEXIT" validate --plugin "$T/strictcrash.so" --cases 300 --timeout-ms 300 >"$T/sc.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "crash on hostile only: conformance exit $rc, want 0"; cat "$T/sc.out"; fail=1; }
"$HVEXIT" validate --plugin "$T/strictcrash.so" --cases 300 --timeout-ms 300 --hostile \
	--json >"$T/sc.json" 2>/dev/null
rc=$?
[ $rc -eq 1 ] || { echo "crash --hostile: exit $rc, want 1"; fail=1; }
python3 - "$T/sc.json" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1]))
kinds = {c["first"]["kind"] for c in j["clusters"]}
assert kinds == {"robustness"}, kinds
st = {(c["class"], c["name"]): c["status"] for c in j["cases"]}
assert st[("validate.robustness", "decode_dabt")] == "FAIL", st
assert all(s in ("PASS", "SKIP") for (cl, _), s in st.items() if cl == "validate.conformance"), st  # SKIP: not exported
PY
"$HVEXIT" validate --plugin "$T/strictcrash.so" --cases 300 --timeout-ms 300 --hostile \
	--only decode_dabt >"$T/sc.out" 2>&1
rerun "$T/sc.out" "robustness/decode_dabt.process" >"$T/re.out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "^FINDING validate/robustness/decode_dabt.process/crash" "$T/re.out" ||
	{ echo "crash reproduce line: exit $rc"; cat "$T/re.out"; fail=1; }

# 4. GICv2: a byte write to IPRIORITYR that checks the ownership of its
#    word's first interrupt lets the guest change a hypervisor-owned
#    priority: found with every seed (systematic cases come first).
build prio -DBUG_PRIO_BYTE_OWNER
for s in $(seq 1 20); do
	"$HVEXIT" validate --plugin "$T/prio.so" --only gicd --cases 50 --seed "$s" >"$T/g.out" 2>&1
	rc=$?
	[ $rc -eq 1 ] && grep -q "^FINDING validate/conformance/gicd.owned_irq/IPRIORITYR field via IPRIORITYR 1-byte write unaligned:" "$T/g.out" ||
		{ echo "seed $s: byte-offset ownership bug not found (exit $rc)"; cat "$T/g.out"; fail=1; break; }
done
rerun "$T/g.out" "gicd.owned_irq" >"$T/re.out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "^FINDING validate/conformance/gicd.owned_irq/" "$T/re.out" ||
	{ echo "gicd reproduce line: exit $rc"; cat "$T/re.out"; fail=1; }
# the correct distributor passes the same systematic cases
build teach
"$HVEXIT" validate --plugin "$T/teach.so" --only gicd --cases 50 >"$T/g.out" 2>&1 ||
	{ echo "teach gicd: findings"; cat "$T/g.out"; fail=1; }
grep -q "^gicd: .* [1-9][0-9]* systematic" "$T/g.out" || { echo "no systematic gicd cases"; fail=1; }

# 5. Progress on request (stderr), none in a log by default.
"$HVEXIT" validate --plugin "$T/teach.so" --only mmio_load --cases 3000 --progress \
	>"$T/p.out" 2>"$T/p.err"
grep -q "cases, .*/s, ETA" "$T/p.err" || { echo "--progress printed nothing"; cat "$T/p.err"; fail=1; }
"$HVEXIT" validate --plugin "$T/teach.so" --only mmio_load --cases 3000 >"$T/p.out" 2>"$T/p.err"
[ ! -s "$T/p.err" ] || { echo "progress in a log without --progress"; cat "$T/p.err"; fail=1; }

# 6. Bad command lines: one line, exit 2.
for args in "--entry decode_dabt" "--esr 0x93c08046" "--entry mmio_load --esr 0x93210006" \
	    "--entry gicd --gicd nr=63" "--entry gicd --gicd nr=64,w3@0x400=1" "--entry nosuch" \
	    "stray" "--entry decode_dabt --esr 0x93c08046 --bus 1"; do
	# shellcheck disable=SC2086
	"$HVEXIT" validate --plugin "$T/teach.so" $args >/dev/null 2>"$T/e"; rc=$?
	[ $rc -eq 2 ] && tail -1 "$T/e" | grep -q "^hvexit validate: " ||
		{ echo "'$args': exit $rc, want 2 with a message"; cat "$T/e"; fail=1; }
done
exit $fail
