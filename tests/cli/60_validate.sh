# hvexit validate: the example plugins pass; deliberately broken variants
# are each caught on the right entry point and field (exit 1); load errors
# exit 2. Variants are built here with -D flags (examples/plugins/*.c).
. "$(dirname "$0")/lib/plugin.sh"
build() { build_plugin "$@"; }	# name source flags...
run() {		# name [options] -> $T/name.out, sets rc
	n=$1; shift
	"$HVEXIT" validate --plugin "$T/$n.so" --cases 300 --timeout-ms 300 "$@" \
	    >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
}
# expect_finding name ep.field [word in the finding [options]]: a cause of
# that field, in the conformance class unless the options say --hostile
expect_finding() {
	n=$1; fld=$2; word=${3:-}; shift; shift; [ $# -gt 0 ] && shift
	run "$n" "$@"
	[ $rc -eq 1 ] || { echo "$n: exit $rc, want 1"; fail=1; }
	grep -q "^FINDING validate/[a-z]*/$fld[/:]" "$T/$n.out" ||
		{ echo "$n: no FINDING $fld"; cat "$T/$n.out"; fail=1; }
	if [ -n "$word" ]; then
		grep -A8 "^FINDING validate/[a-z]*/$fld[/:]" "$T/$n.out" | grep -q "$word" ||
			{ echo "$n: FINDING $fld does not mention $word"; fail=1; }
	fi
}
check_json() {	# name ep.field: JSON and JUnit report the same cause
	"$HVEXIT" validate --plugin "$T/$1.so" --cases 300 --only "${2%%.*}" \
	    --json --junit "$T/$1.xml" >"$T/$1.json" 2>"$T/$1.err"
	[ $? -eq 1 ] || { echo "$1 --json: want exit 1"; fail=1; }
	python3 - "$T/$1.json" "$T/$1.xml" "$2" <<'PY' || fail=1
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
cl = [c for c in j["clusters"] if c["first"]["field"] == sys.argv[3]]
assert j["status"] == "fail" and cl and cl[0]["count"] > 0, j
first = cl[0]["first"]
assert first["kind"] == "conformance" and first["context"] and first["reproduce"], first
ep = [e for e in j["entry_points"] if e["name"] == sys.argv[3].split(".")[0]][0]
assert [f for f in ep["fields"] if f["name"] == sys.argv[3].split(".")[1]][0]["failures"] > 0
x = ET.parse(sys.argv[2]).getroot()
failed = [tc.get("name") for ts in x for tc in ts if tc.find("failure") is not None]
assert sys.argv[3].split(".")[0] in failed, failed
PY
}

# Correct examples: every entry point exported and passing.
for ex in teach kvmlike; do
	build $ex $ex
	run $ex
	[ $rc -eq 0 ] || { echo "$ex: exit $rc, want 0"; cat "$T/$ex.out"; fail=1; }
	for ep in decode_dabt mmio_load s2_translate gicd; do
		grep -q "^$ep: .*-> PASS" "$T/$ex.out" || { echo "$ex: $ep not PASS"; fail=1; }
	done
done

build sse teach -DBUG_IGNORE_SSE;        expect_finding sse mmio_load.rt_value
check_json sse mmio_load.rt_value
build sas teach -DBUG_SAS_SHIFT;         expect_finding sas decode_dabt.len
build x31 teach -DBUG_SRT31_AS_X31;      expect_finding x31 mmio_load.return
build g64 kvmlike -DBUG_64K_INDEX;       expect_finding g64 s2_translate.fault "64K"
build sgi teach -DBUG_SGI_TARGETS_RW;    expect_finding sgi gicd.ITARGETSR0-7
# DFSC 0x21 (alignment) is no guest stage-2 abort: robustness class only.
build crash teach -DBUG_CRASH
run crash
[ $rc -eq 0 ] || { echo "crash: conformance run exit $rc, want 0"; cat "$T/crash.out"; fail=1; }
expect_finding crash decode_dabt.process "Segmentation" --hostile
grep -q "^FINDING validate/robustness/decode_dabt.process/crash" "$T/crash.out" ||
	{ echo "crash: not in the robustness class"; fail=1; }
build hang teach -DBUG_HANG;             expect_finding hang mmio_load.process "hang"
build ub teach -DBUG_UB -fsanitize=undefined
expect_finding ub mmio_load.process "runtime error"
# The crashing plugin's DFSC 0x21 finding is shrunk to a minimal input.
grep -A3 "^FINDING validate/robustness/decode_dabt.process" "$T/crash.out" | grep -q "DFSC=0x21" ||
	{ echo "crash: counterexample lacks DFSC=0x21"; fail=1; }

# Load errors: exit 2 with a clear message.
echo "not a library" >"$T/bad.so"
"$HVEXIT" validate --plugin "$T/bad.so" >/dev/null 2>"$T/e"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot load plugin" "$T/e" || { echo "bad.so: exit $rc"; fail=1; }
printf 'int hvx_plugin_abi(void) { return 2; }\n' >"$T/v2.c"
$CC -fPIC -shared -o "$T/v2.so" "$T/v2.c"
"$HVEXIT" validate --plugin "$T/v2.so" >/dev/null 2>"$T/e"; rc=$?
[ $rc -eq 2 ] && grep -q "returned 2" "$T/e" || { echo "abi 2: exit $rc"; fail=1; }
printf 'int not_a_plugin(void) { return 1; }\n' >"$T/nosym.c"
$CC -fPIC -shared -o "$T/nosym.so" "$T/nosym.c"
"$HVEXIT" validate --plugin "$T/nosym.so" >/dev/null 2>"$T/e"; rc=$?
[ $rc -eq 2 ] && grep -q "hvx_plugin_abi" "$T/e" || { echo "no abi symbol: exit $rc"; fail=1; }
"$HVEXIT" validate --plugin "$T/missing.so" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || { echo "missing file: exit $rc"; fail=1; }
"$HVEXIT" validate --plugin "$T/teach.so" --only frob >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || { echo "--only frob: exit $rc"; fail=1; }
exit $fail
