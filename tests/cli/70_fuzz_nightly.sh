# ci/fuzz-nightly end to end on the sysreg target: ~4 s of libFuzzer into a
# temp dir (corpus copied, the repo corpus is not touched); checks the exit
# code, the heartbeat, summary.json fields and junit.xml. Also option
# handling: --help, bad or missing values exit 2 at once (timeout catches a
# loop), numbers are read in base 10, an --out folder that fuzz-nightly did
# not make is refused.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad() {	# what args...: must exit 2 with a one-line "fuzz-nightly: " error
	what=$1; shift
	timeout 20 ci/fuzz-nightly "$@" >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/bad.err")" -eq 1 ] && grep -q '^fuzz-nightly: ' "$tmp/bad.err" ||
		{ echo "$what: want exit 2 and one error line, got $rc:"; cat "$tmp/bad.out" "$tmp/bad.err"; exit 1; }
}
bad "bad engine" --engine nope
bad "bad budget" --budget x
bad "bad target" --targets no_such
for o in --engine --targets --out --corpus-root --budget --per-target --jobs \
	--parallel --calibrate --heartbeat --minimize-budget --run-id --reproduce; do
	bad "$o without a value" --targets sysreg "$o"
	bad "$o followed by an option" "$o" --no-build
done
bad "--budget 0" --budget 0
bad "--jobs 0" --jobs 0
bad "--heartbeat 0" --heartbeat 0
bad "--budget -1" --budget -1
bad "--budget 1e3" --budget 1e3
bad "--budget too long" --budget 99999999999
bad "unknown option" --frobnicate
mkdir "$tmp/mine" && echo keep >"$tmp/mine/file"
bad "--out not ours" --targets sysreg --out "$tmp/mine"
[ "$(cat "$tmp/mine/file")" = keep ] || { echo "--out not ours: folder touched"; exit 1; }
ci/fuzz-nightly --help >"$tmp/help" 2>&1 || { echo "--help: exit $?"; exit 1; }
head -1 "$tmp/help" | grep -q '^Usage: ci/fuzz-nightly' &&
	! grep -q '^#\|set -uo\|cd "\$(dirname' "$tmp/help" &&
	grep -q -- '--heartbeat SECS' "$tmp/help" && grep -q -- '--minimize-budget SECS' "$tmp/help" ||
	{ echo "--help: want the usage text"; cat "$tmp/help"; exit 1; }

mkdir -p "$tmp/corpus/fuzz" && cp -r corpus/fuzz/sysreg "$tmp/corpus/fuzz/"
# "04": base 10 (not octal, no error)
ci/fuzz-nightly --budget 04 --targets sysreg --engine libfuzzer --heartbeat 1 \
	--out "$tmp/out" --corpus-root "$tmp/corpus" >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "fuzz-nightly exit $rc"; cat "$tmp/log"; exit 1; }
grep -q "sysreg/libfuzzer: fuzzing 4s" "$tmp/log" || { echo "no progress line"; cat "$tmp/log"; exit 1; }
grep -q 'sysreg/libfuzzer: [0-9]*/4 s, execs [0-9][0-9]*, [0-9]* exec/s, cov [0-9]* ft [0-9]*, corpus [0-9]*, crashes 0$' "$tmp/log" ||
	{ echo "no heartbeat with libFuzzer's figures"; cat "$tmp/log"; exit 1; }
n0=$(ls corpus/fuzz/sysreg | wc -l)
python3 - "$tmp/out" "$tmp/corpus/fuzz/sysreg" "$n0" <<'PY' || exit 1
import json, os, sys
import xml.etree.ElementTree as ET
out, corp = sys.argv[1], sys.argv[2]
s = json.load(open(out + "/summary.json"))
for k in ("budget", "per_target", "engine", "jobs", "results", "new_crashes",
          "known_crashes", "crashes", "interrupted", "run_id", "minimize_budget",
          "not_run"):
    assert k in s, "summary lacks " + k
assert s["budget"] == 4 and s["per_target"] == 4 and s["minimize_budget"] == 0, s
assert s["new_crashes"] == 0 and s["engine"] == "libfuzzer" and not s["interrupted"], s
(r,) = s["results"]
assert r["target"] == "sysreg" and r["engine"] == "libfuzzer", r
assert r["status"] == "ran", r
assert r["execs"] > 1000 and r["exec_per_sec"] > 0, r
c = r["coverage"]
assert c["cov_final"] and c["cov_initial"] and c["cov_final"] >= c["cov_initial"], c
assert c["features"] > 0, c
assert r["corpus_before"] == int(sys.argv[3]), r  # the committed seeds
assert r["corpus_after"] == len(os.listdir(corp)) and r["corpus_after"] > 0, r
assert r["new_crashes"] == [] and r["known_crashes"] == [] and s["crashes"] == [], r
assert os.path.getsize(out + "/logs/sysreg.libfuzzer.log") > 0
t = ET.parse(out + "/junit.xml").getroot()
assert t.tag == "testsuites" and t.get("tests") == "1" and t.get("failures") == "0"
assert next(t.iter("testcase")).get("classname") == "fuzz.sysreg"
PY
# the Markdown table used for docs/fuzz-baseline.md
python3 tools/fuzz_summary_md.py "$tmp/out/summary.json" >"$tmp/md" ||
	{ echo "fuzz_summary_md failed"; exit 1; }
grep -q '^| sysreg | libfuzzer | [0-9]* | [0-9]* | [0-9]* | - | cov [0-9]* -> [0-9]*, ft [0-9]* |' "$tmp/md" ||
	{ echo "fuzz_summary_md: no sysreg row"; cat "$tmp/md"; exit 1; }
python3 tools/fuzz_summary_md.py "$tmp/log" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "fuzz_summary_md on a non-JSON file: want exit 2"; exit 1; }
exit 0
