# ci/fuzz-nightly end to end on the sysreg target: ~4 s of libFuzzer into a
# temp dir (corpus copied, the repo corpus is not touched); checks the exit
# code, summary.json fields and junit.xml. Also bad options exit 2.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ci/fuzz-nightly --engine nope >/dev/null 2>&1; [ $? -eq 2 ] || { echo "bad engine: want exit 2"; exit 1; }
ci/fuzz-nightly --budget x >/dev/null 2>&1; [ $? -eq 2 ] || { echo "bad budget: want exit 2"; exit 1; }
ci/fuzz-nightly --targets no_such >/dev/null 2>&1; [ $? -eq 2 ] || { echo "bad target: want exit 2"; exit 1; }
mkdir -p "$tmp/corpus/fuzz" && cp -r corpus/fuzz/sysreg "$tmp/corpus/fuzz/"
ci/fuzz-nightly --budget 4 --targets sysreg --engine libfuzzer \
	--out "$tmp/out" --corpus-root "$tmp/corpus" >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "fuzz-nightly exit $rc"; cat "$tmp/log"; exit 1; }
grep -q "sysreg/libfuzzer: fuzzing" "$tmp/log" || { echo "no progress line"; exit 1; }
n0=$(ls corpus/fuzz/sysreg | wc -l)
python3 - "$tmp/out" "$tmp/corpus/fuzz/sysreg" "$n0" <<'PY' || exit 1
import json, os, sys
import xml.etree.ElementTree as ET
out, corp = sys.argv[1], sys.argv[2]
s = json.load(open(out + "/summary.json"))
for k in ("budget", "per_target", "engine", "jobs", "results", "new_crashes",
          "known_crashes"):
    assert k in s, "summary lacks " + k
assert s["new_crashes"] == 0 and s["engine"] == "libfuzzer"
(r,) = s["results"]
assert r["target"] == "sysreg" and r["engine"] == "libfuzzer", r
assert r["status"] == "ran", r
assert r["execs"] > 1000 and r["exec_per_sec"] > 0, r
c = r["coverage"]
assert c["cov_final"] and c["cov_initial"] and c["cov_final"] >= c["cov_initial"], c
assert c["features"] > 0, c
assert r["corpus_before"] == int(sys.argv[3]), r  # the committed seeds
assert r["corpus_after"] == len(os.listdir(corp)) and r["corpus_after"] > 0, r
assert r["new_crashes"] == [] and r["known_crashes"] == [], r
t = ET.parse(out + "/junit.xml").getroot()
assert t.tag == "testsuite" and t.get("tests") == "1" and t.get("failures") == "0"
assert t.find("testcase").get("classname") == "fuzz.sysreg"
PY
# the Markdown table used for docs/fuzz-baseline.md
python3 tools/fuzz_summary_md.py "$tmp/out/summary.json" >"$tmp/md" ||
	{ echo "fuzz_summary_md failed"; exit 1; }
grep -q '^| sysreg | libfuzzer | [0-9]* | [0-9]* | [0-9]* | - | cov [0-9]* -> [0-9]*, ft [0-9]* |' "$tmp/md" ||
	{ echo "fuzz_summary_md: no sysreg row"; cat "$tmp/md"; exit 1; }
python3 tools/fuzz_summary_md.py "$tmp/log" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "fuzz_summary_md on a non-JSON file: want exit 2"; exit 1; }
exit 0
