# Sourced by the ci/fuzz-nightly CLI tests, which run it on throwaway
# targets in a temporary copy of the tree ($tree, the caller's; $tmp holds
# the logs).
#   nightly_tree CORPUS TARGET...  copies what ci/fuzz-nightly and
#       fuzz/build-local.sh need into $tree and makes the empty seed
#       folders CORPUS/fuzz/TARGET
#   nightly_build MODES TARGET...  builds the targets in $tree, or exits 1
#   nightly_run LOG WANT WHAT ARGS...  runs $tree/ci/fuzz-nightly ARGS with
#       its output in LOG, sets rc; exits 1 (printing LOG) unless rc is WANT
#   log_has LOG WHAT GREP-ARGS...  exits 1 (printing WHAT and LOG) unless
#       grep GREP-ARGS finds a line in LOG
nightly_tree() {
	corp=$1; shift
	mkdir -p "$tree/ci" "$tree/fuzz" "$tree/mk"
	for t in "$@"; do mkdir -p "$corp/fuzz/$t"; done
	cp ci/fuzz-nightly ci/fuzz_report.py "$tree/ci/"
	cp fuzz/build-local.sh fuzz/driver.c "$tree/fuzz/"
	cp mk/sources.mk "$tree/mk/"
}
nightly_build() {
	modes=$1; shift
	(cd "$tree" && bash fuzz/build-local.sh --modes "$modes" "$@") \
		>"$tmp/build.log" 2>&1 || { echo "cannot build"; cat "$tmp/build.log"; exit 1; }
}
nightly_run() {
	log=$1; want=$2; what=$3; shift 3
	"$tree/ci/fuzz-nightly" "$@" >"$log" 2>&1
	rc=$?
	[ $rc -eq "$want" ] || { echo "$what: want exit $want, got $rc"; cat "$log"; exit 1; }
}
log_has() {
	log=$1; what=$2; shift 2
	grep -q "$@" "$log" || { echo "$what"; cat "$log"; exit 1; }
}
