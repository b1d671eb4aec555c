# Stopping ci/fuzz-nightly: SIGTERM to a serial run and SIGINT to a
# --parallel 2 run, each once the heartbeat shows the fuzzers running
# (--heartbeat 1, --per-target 60). Each must exit 2 within seconds, leave
# no fuzzer or helper process of the run behind, and write a partial
# summary.json/junit.xml marked interrupted, with the cut-short targets as
# "interrupted" rows (execs so far) and the targets never started in
# "not_run". Two throwaway targets in a temp copy of the tree.
command -v clang >/dev/null || { echo "clang missing"; exit 1; }
tmp=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
tree=$tmp/tree
. "$(dirname "$0")/lib/nightly.sh"
nightly_tree "$tmp/corpus" idle1 idle2
for t in idle1 idle2; do
	cat >"$tree/fuzz/$t.c" <<'EOF'
#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	int s = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		s += d[i] == 'a' ? 1 : d[i] == 'b' ? 2 : 0;
	return s > 100;
}
EOF
	printf 'ab' >"$tmp/corpus/fuzz/$t/seed"
done
nightly_build libfuzzer,replay idle1 idle2

# Processes of this test's runs: fuzzers (their binary is under the temp
# tree) and anything with the temp folder on its command line (libFuzzer
# fork jobs, the heartbeat, parts).
leftovers() {
	for d in /proc/[0-9]*; do
		exe=$(readlink "$d/exe" 2>/dev/null) || exe=""
		case "$exe" in "$tree"/*) echo "${d#/proc/} $exe"; continue ;; esac
		cmd=$(tr '\0' ' ' 2>/dev/null <"$d/cmdline") || continue
		case "$cmd" in *"$tmp"*) echo "${d#/proc/} $cmd" ;; esac
	done
}
# start SIGNAL LOG args...: run, wait until `ready LOG` holds, send
# SIGNAL, wait for the exit; sets rc.
start() {
	sig=$1 log=$2; shift 2
	# a background job of a non-interactive shell ignores SIGINT, and a
	# shell cannot trap what was ignored when it started: give the run
	# the default disposition, as a CI runner's step has
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$tree/ci/fuzz-nightly" "$@" >"$log" 2>&1 &
	pid=$!
	i=0
	until ready "$log"; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "no heartbeat with execs within 120 s (or the run ended)"; cat "$log"; exit 1
		fi
		sleep 0.2
	done
	[ -n "$(leftovers)" ] || { echo "leftovers() does not see the running fuzzers"; exit 1; }
	kill "-$sig" "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do	# a bound, not a timing: it must stop
		i=$((i + 1))
		[ $i -le 300 ] || { echo "still running 60 s after SIG$sig"; cat "$log"; exit 1; }
		sleep 0.2
	done
	wait "$pid"; rc=$?
	pid=""
}
no_leftovers() {
	i=0
	while [ -n "$(leftovers)" ]; do
		i=$((i + 1))
		[ $i -le 20 ] || { echo "$1: processes left behind:"; leftovers; exit 1; }
		sleep 0.1
	done
}
check() {	# out log: the partial summary
	python3 - "$@" <<'PY' || exit 1
import json, sys
import xml.etree.ElementTree as ET
out, want_rows, want_not_run = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
s = json.load(open(out + "/summary.json"))
assert s["interrupted"] is True, s
rows = sorted("%s/%s:%s" % (r["target"], r["engine"], r["status"]) for r in s["results"])
assert rows == sorted(want_rows), rows
for r in s["results"]:
    assert r["execs"] > 0 and r["seconds"] >= 1, r
assert s["not_run"] == [x for x in want_not_run.split(",") if x], s["not_run"]
t = ET.parse(out + "/junit.xml").getroot()
props = {p.get("name"): p.get("value") for p in t.iter("property")}
assert props["interrupted"] == "true", props
errs = [c for c in t.iter("testcase") if c.find("error") is not None]
assert len(errs) == len(want_rows), ET.tostring(t)[:400]
assert all("interrupted" in c.find("error").get("message") for c in errs)
PY
}

# serial: idle1 is cut short, idle2 never starts
ready() { grep -q 'idle1/libfuzzer: [0-9]*/60 s, execs [0-9]' "$1"; }
start TERM "$tmp/log1" \
	--targets idle1,idle2 --per-target 60 --budget 120 --heartbeat 1 --no-build \
	--no-merge --out "$tmp/out1" --corpus-root "$tmp/corpus"
[ $rc -eq 2 ] || { echo "serial SIGTERM: want exit 2, got $rc"; cat "$tmp/log1"; exit 1; }
grep -q "interrupted by SIGTERM" "$tmp/log1" || { echo "serial: no interruption line"; cat "$tmp/log1"; exit 1; }
no_leftovers serial
check "$tmp/out1" "idle1/libfuzzer:interrupted" "idle2/libfuzzer"

# --parallel 2: both parts are cut short
ready() {
	grep -q '^\[part 0\] .*idle1/libfuzzer: [0-9]*/60 s, execs [0-9]' "$1" &&
	grep -q '^\[part 1\] .*idle2/libfuzzer: [0-9]*/60 s, execs [0-9]' "$1"
}
start INT "$tmp/log2" \
	--targets idle1,idle2 --per-target 60 --budget 120 --heartbeat 1 --no-build \
	--no-merge --parallel 2 --out "$tmp/out2" --corpus-root "$tmp/corpus"
[ $rc -eq 2 ] || { echo "parallel SIGINT: want exit 2, got $rc"; cat "$tmp/log2"; exit 1; }
no_leftovers parallel
check "$tmp/out2" "idle1/libfuzzer:interrupted,idle2/libfuzzer:interrupted" ""
exit 0
