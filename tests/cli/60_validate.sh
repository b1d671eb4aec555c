# hvexit validate: the example plugins pass; deliberately broken variants
# are each caught on the right entry point and field (exit 1); load errors
# exit 2. Variants are built here with -D flags (examples/plugins/*.c).
set -u
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
build() {	# name source flags...
	n=$1; src=$2; shift 2
	$CC -std=c11 -Wall -Wextra -Werror -O1 -fPIC -shared -Iinclude "$@" \
	    -o "$T/$n.so" "examples/plugins/$src.c" || { echo "build $n failed"; exit 1; }
}
run() {		# name -> $T/name.out, sets rc
	"$HVEXIT" validate --plugin "$T/$1.so" --cases 300 --timeout-ms 300 \
	    >"$T/$1.out" 2>"$T/$1.err"
	rc=$?
}
expect_finding() {	# name ep.field [word in the finding]
	run "$1"
	[ $rc -eq 1 ] || { echo "$1: exit $rc, want 1"; fail=1; }
	grep -q "FINDING $2:" "$T/$1.out" || { echo "$1: no FINDING $2"; cat "$T/$1.out"; fail=1; }
	if [ $# -ge 3 ]; then
		grep -A3 "FINDING $2:" "$T/$1.out" | grep -q "$3" ||
			{ echo "$1: FINDING $2 does not mention $3"; fail=1; }
	fi
}
check_json() {	# name ep.field: JSON and JUnit report the same finding
	"$HVEXIT" validate --plugin "$T/$1.so" --cases 300 --only "${2%%.*}" \
	    --json --junit "$T/$1.xml" >"$T/$1.json" 2>"$T/$1.err"
	[ $? -eq 1 ] || { echo "$1 --json: want exit 1"; fail=1; }
	python3 - "$T/$1.json" "$T/$1.xml" "${2%%.*}" "${2#*.}" <<'PY' || fail=1
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1]))
ep = [e for e in j["entry_points"] if e["name"] == sys.argv[3]][0]
f = [x for x in ep["fields"] if x["name"] == sys.argv[4]][0]
assert j["result"] == "fail" and f["failures"] > 0 and f["counterexample"]["input"], j
x = ET.parse(sys.argv[2]).getroot()
names = [tc.get("name") for ts in x for tc in ts if tc.find("failure") is not None]
assert sys.argv[4] in names, names
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
build crash teach -DBUG_CRASH;           expect_finding crash decode_dabt.process "Segmentation"
build hang teach -DBUG_HANG;             expect_finding hang mmio_load.process "hang"
build ub teach -DBUG_UB -fsanitize=undefined
expect_finding ub mmio_load.process "runtime error"
# The crashing plugin's DFSC 0x21 finding is shrunk to a minimal input.
grep -A1 "FINDING decode_dabt.process" "$T/crash.out" | grep -q "DFSC=0x21" ||
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
