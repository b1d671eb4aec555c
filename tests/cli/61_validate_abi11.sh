# hvexit validate, plugin ABI revision 1.1: the field mask, mmio_load_regs
# and emulate (ISV=0). examples/plugins/emul.c passes; each planted bug is
# found on its entry point and field, a plugin exporting 1.1 symbols
# without announcing 1.1 is refused (exit 2). ABI 1.0 plugins are covered
# by 60_validate.sh (they keep loading and passing).
set -u
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
build() {	# name flags...
	n=$1; shift
	$CC -std=c11 -Wall -Wextra -Werror -O1 -fPIC -shared -Iinclude "$@" \
	    -o "$T/$n.so" examples/plugins/emul.c || { echo "build $n failed"; exit 1; }
}
run() {		# name [validate options] -> $T/name.out, rc
	n=$1; shift
	"$HVEXIT" validate --plugin "$T/$n.so" --cases 500 --timeout-ms 300 "$@" \
	    >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
}
expect_finding() {	# name ep.field word-in-the-finding
	run "$1" --only "${2%%.*}"
	[ $rc -eq 1 ] || { echo "$1: exit $rc, want 1"; cat "$T/$1.out"; fail=1; }
	grep -A2 "FINDING $2:" "$T/$1.out" | grep -q -- "$3" ||
		{ echo "$1: no FINDING $2 mentioning $3"; cat "$T/$1.out"; fail=1; }
}

# The correct plugin: both 1.1 entry points pass.
build ok
run ok --only mmio_load_regs,emulate
[ $rc -eq 0 ] || { echo "ok: exit $rc, want 0"; cat "$T/ok.out"; fail=1; }
for ep in mmio_load_regs emulate; do
	grep -q "^$ep: .*-> PASS" "$T/ok.out" || { echo "ok: $ep not PASS"; fail=1; }
done
# emulate really compared every field of every case
grep -A9 "^emulate:" "$T/ok.out" | grep -Eq "^  transfer_regs +[1-9][0-9]* +0$" ||
	{ echo "ok: emulate compared no transfer registers"; fail=1; }

# The field mask: AR is not extracted, so not compared ...
run ok --only decode_dabt
grep -Eq "^  acq_rel +0 +0$" "$T/ok.out" || { echo "ok: acq_rel compared"; cat "$T/ok.out"; fail=1; }
# ... and the same decoder claiming AR gets its (always 0) AR flagged.
build claim -DBUG_CLAIM_AR
expect_finding claim decode_dabt.acq_rel "AR=1"

# Planted bugs, one entry point and field each.
build post -DBUG_POST_INDEX_ADDR;  expect_finding post emulate.accesses "post"
build ldpsw -DBUG_LDPSW_ZEXT;      expect_finding ldpsw emulate.transfer_regs "LDPSW"
build xzr -DBUG_XZR_IS_SP;         expect_finding xzr mmio_load_regs.sp "SRT=31"
grep -q "FINDING emulate.other_regs:" "$T/xzr.out" && { echo "xzr: --only ignored"; fail=1; }
# Both bugs of one plugin in one run.
build two -DBUG_POST_INDEX_ADDR -DBUG_LDPSW_ZEXT
run two --only emulate --cases 2000
for f in accesses transfer_regs; do
	grep -q "FINDING emulate.$f:" "$T/two.out" || { echo "two: no emulate.$f"; fail=1; }
done

# 1.1 symbols without announcing 1.1: refused with the reason.
build nominor -DBUG_NO_MINOR
run nominor
[ $rc -eq 2 ] && grep -q "hvx_plugin_abi_minor" "$T/nominor.err" ||
	{ echo "nominor: exit $rc"; cat "$T/nominor.err"; fail=1; }
exit $fail
