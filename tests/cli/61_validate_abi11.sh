# hvexit validate, plugin ABI revision 1.1: the field mask, mmio_load_regs
# and emulate (ISV=0). examples/plugins/emul.c passes; each planted bug is
# found on its entry point and field as one cluster named by its decisive
# features, and its one-line reproducer re-runs it alone; a crash on an
# instruction outside the conformance inputs counts only with --hostile;
# a plugin exporting 1.1 symbols without announcing 1.1 is refused (exit
# 2). ABI 1.0 plugins are covered by 60_validate.sh.
. "$(dirname "$0")/lib/plugin.sh"
build() { n=$1; shift; build_plugin "$n" emul "$@"; }	# name flags...
run() {		# name [validate options] -> $T/name.out, rc
	n=$1; shift
	"$HVEXIT" validate --plugin "$T/$n.so" --cases "${CASES:-500}" --timeout-ms 300 "$@" \
	    >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
}
clusters() {	# name ep.field: the cluster keys of that field, one a line
	sed -n "s|^FINDING validate/[a-z]*/$2/\(.*\): [0-9]* instances\{0,1\}$|\1|p" "$T/$1.out"
}
expect_cluster() {	# name ep.field key [options]: exactly this one cluster
	n=$1; f=$2; k=$3; shift 3
	run "$n" --only "${f%%.*}" "$@"
	[ $rc -eq 1 ] || { echo "$n: exit $rc, want 1"; cat "$T/$n.out"; fail=1; }
	got=$(clusters "$n" "$f")
	[ "$got" = "$k" ] || { echo "$n: $f clusters '$got', want '$k'"; cat "$T/$n.out"; fail=1; }
	[ "$(grep -c '^FINDING ' "$T/$n.out")" -eq 1 ] ||
		{ echo "$n: more than one cluster"; cat "$T/$n.out"; fail=1; }
}
reproduces() {	# name: the first finding's reproduce line fails alone, same field
	line=$(sed -n 's/^ *reproduce: hvexit //p' "$T/$1.out" | head -1)
	field=$(sed -n 's|^FINDING validate/[a-z]*/\([^/]*\)/.*|\1|p' "$T/$1.out" | head -1)
	[ -n "$line" ] || { echo "$1: no reproduce line"; fail=1; return; }
	# shellcheck disable=SC2086
	eval "\"\$HVEXIT\" $line" >"$T/$1.rep" 2>&1
	r=$?
	[ $r -eq 1 ] && grep -q "^FINDING validate/[a-z]*/$field/" "$T/$1.rep" ||
		{ echo "$1: reproduce '$line' gave exit $r"; cat "$T/$1.rep"; fail=1; }
}

# The correct plugin: the 1.1 entry points pass, with every field compared.
build ok
run ok --only mmio_load_regs,emulate
[ $rc -eq 0 ] || { echo "ok: exit $rc, want 0"; cat "$T/ok.out"; fail=1; }
for ep in mmio_load_regs emulate; do
	grep -q "^$ep: .*-> PASS" "$T/ok.out" || { echo "ok: $ep not PASS"; fail=1; }
done
grep -A9 "^emulate:" "$T/ok.out" | grep -Eq "^  transfer_regs +[1-9][0-9]* +0$" ||
	{ echo "ok: emulate compared no transfer registers"; cat "$T/ok.out"; fail=1; }
grep -A9 "^mmio_load_regs:" "$T/ok.out" | grep -Eq "^  rt_value +[1-9][0-9]* +0$" ||
	{ echo "ok: mmio_load_regs compared no X[SRT]"; fail=1; }

# The field mask: AR is not extracted, so not compared ...
run ok --only decode_dabt
[ $rc -eq 0 ] && grep -Eq "^  acq_rel +0 +0$" "$T/ok.out" ||
	{ echo "ok: acq_rel compared (exit $rc)"; cat "$T/ok.out"; fail=1; }
# ... and the same decoder claiming AR gets its (always 0) AR flagged.
build claim -DBUG_CLAIM_AR
run claim --only decode_dabt
[ $rc -eq 1 ] && [ -n "$(clusters claim decode_dabt.acq_rel)" ] ||
	{ echo "claim: no decode_dabt.acq_rel finding"; cat "$T/claim.out"; fail=1; }

# Planted bugs: one cluster each, named by what decides it.
build post -DBUG_POST_INDEX_ADDR
expect_cluster post emulate.accesses "post-index"
reproduces post
build ldpsw -DBUG_LDPSW_ZEXT
expect_cluster ldpsw emulate.transfer_regs "pair signed-load-X"
reproduces ldpsw
build xzr -DBUG_XZR_IS_SP
expect_cluster xzr mmio_load_regs.sp "SRT=31"
reproduces xzr
# Two bugs of one plugin in one run: two clusters.
build two -DBUG_POST_INDEX_ADDR -DBUG_LDPSW_ZEXT
CASES=2000 run two --only emulate
[ "$(clusters two emulate.accesses)" = "post-index" ] &&
	clusters two emulate.transfer_regs | grep -q "pair signed-load-X" ||
	{ echo "two: want both clusters"; cat "$T/two.out"; fail=1; }

# A crash on SIMD&FP/exclusive encodings: not a conformance input, so the
# conformance run passes; --hostile reports it in the robustness class.
build crash -DBUG_CRASH_UNKNOWN
run crash --only emulate
[ $rc -eq 0 ] || { echo "crash: conformance exit $rc, want 0"; cat "$T/crash.out"; fail=1; }
run crash --only emulate --hostile
[ $rc -eq 1 ] && grep -q "^FINDING validate/robustness/emulate.process/" "$T/crash.out" ||
	{ echo "crash --hostile: no robustness finding (exit $rc)"; cat "$T/crash.out"; fail=1; }

# 1.1 symbols without announcing 1.1: refused with the reason.
build nominor -DBUG_NO_MINOR
run nominor
[ $rc -eq 2 ] && grep -q "hvx_plugin_abi_minor" "$T/nominor.err" ||
	{ echo "nominor: exit $rc"; cat "$T/nominor.err"; fail=1; }
# --entry emulate needs --insn; --insn wider than 32 bits is refused.
"$HVEXIT" validate --plugin "$T/ok.so" --entry emulate >/dev/null 2>&1
[ $? -eq 2 ] || { echo "--entry emulate without --insn: want exit 2"; fail=1; }
"$HVEXIT" validate --plugin "$T/ok.so" --entry emulate --insn 0x100000000 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "--insn 33 bits: want exit 2"; fail=1; }
exit $fail
