# ci/fuzz-nightly's crash path, --parallel/--calibrate, titles, re-used
# --out and reproduce.sh, on two throwaway targets in a temp copy of the
# tree (the repo's corpus is not touched):
#   boom  heap-buffer-overflow (a 1-byte write) when the input starts "B!"
#   calm  never crashes
# Run 1 (--parallel 2) finds boom's crash: exit 1, a title with kind, frame
# and file:line, a minimised reproducer; reproduce.sh (checkout found
# relative to itself) reproduces it. Run 2 re-uses run 1's --out with no
# minimisation budget and --save-regressions: the crash is still new (exit
# 1: only a committed regression makes it known), kept unminimised, saved.
# Run 3 (serial, --calibrate) calls it known: exit 0. Then the bug is fixed
# in the source: reproduce.sh refuses when it cannot rebuild, and otherwise
# rebuilds the replay binary and says "does not reproduce" (exit 0).
command -v clang >/dev/null || { echo "clang missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
. "$(dirname "$0")/lib/nightly.sh"
nightly_tree "$tmp/corpus" boom calm
cat >"$tree/fuzz/boom.c" <<'EOF'
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
__attribute__((noinline)) static void boom_crash(const uint8_t *d, size_t n)
{
	char *p = malloc(4);
	memcpy(p, d, n < 4 ? n : 4);
	p[4 + (p[0] & 1)] = 1;	/* 1 or 2 bytes past the end */
	free(p);
}
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n >= 2 && d[0] == 'B' && d[1] == '!')
		boom_crash(d, n);
	return 0;
}
EOF
cat >"$tree/fuzz/calm.c" <<'EOF'
#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	return n > 3 && d[0] == 'c' ? d[1] : 0;
}
EOF
line=$(grep -n 'past the end' "$tree/fuzz/boom.c" | cut -d: -f1)
want_title="ASAN: heap-buffer-overflow WRITE 1 in boom_crash (fuzz/boom.c:$line)"
nightly_build libfuzzer,replay boom calm
printf 'B' >"$tmp/corpus/fuzz/boom/seed"
printf 'calm' >"$tmp/corpus/fuzz/calm/seed"
out1=$tree/build/fuzz-nightly/r1	# inside the checkout: reproduce.sh finds it

nightly_run "$tmp/log1" 1 "run 1 (a new crash)" --targets boom,calm --engine libfuzzer \
	--per-target 3 --budget 6 --parallel 2 --no-build --minimize-budget 60 --heartbeat 1 \
	--out "$out1" --corpus-root "$tmp/corpus"
log_has "$tmp/log1" "run 1: no part 0 progress line" '^\[part 0\] .*boom/libfuzzer: fuzzing'
log_has "$tmp/log1" "run 1: no part 1 progress line" '^\[part 1\] .*calm/libfuzzer: fuzzing'
log_has "$tmp/log1" "run 1: no heartbeat from part 1" '^\[part 1\] .*calm/libfuzzer: [0-9]*/3 s, execs '
log_has "$tmp/log1" "run 1: no NEW crash line" -F "NEW crash"
log_has "$tmp/log1" "run 1: no crash line with the title" -F ": $want_title"
hash=$(python3 - "$out1" "$tmp/corpus" "$want_title" <<'PY'
import glob, json, os, sys
import xml.etree.ElementTree as ET
out, corp, title = sys.argv[1:4]
s = json.load(open(out + "/summary.json"))
assert s["parallel"] == 2 and s["new_crashes"] == 1 and not s["interrupted"], s
rows = {r["target"]: r for r in s["results"]}
assert sorted(rows) == ["boom", "calm"], rows
assert rows["calm"]["new_crashes"] == [] and rows["calm"]["status"] == "ran", rows
(h,) = rows["boom"]["new_crashes"]
(c,) = s["crashes"]
d = "%s/crashes/boom/%s" % (out, h)
assert c["hash"] == h and c["title"] == title, c
assert c["kind"] == "heap-buffer-overflow" and c["sanitizer"] == "ASAN", c
assert c["frames"] == ["boom_crash", "LLVMFuzzerTestOneInput"], c
assert c["file_line"] == title.rsplit("(", 1)[1].rstrip(")"), c
assert c["status"] == "new" and c["minimized"] and not c["seen_in_earlier_run"], c
# the project's finding model
assert c["source"] == "fuzz" and c["field"] == "boom" and c["fingerprint"] == h, c
assert c["observed"] == title and c["expected"] and c["rule"], c
assert c["cluster"] == "ASAN: heap-buffer-overflow in boom_crash", c
assert c["where"] == d and c["reproduce"] == d + "/reproduce.sh", c
for f in ("input", "input.min", "stack.txt", "signature.txt", "crash.json", "reproduce.sh"):
    assert os.path.isfile(d + "/" + f), "missing " + f
assert json.load(open(d + "/crash.json"))["title"] == title
sig = open(d + "/signature.txt").read().split("\n")
assert sig[0] == "asan:heap-buffer-overflow" and sig[1] == "boom_crash;LLVMFuzzerTestOneInput", sig
m = open(d + "/input.min", "rb").read()
assert m[:2] == b"B!" and len(m) <= len(open(d + "/input", "rb").read()), m
assert not glob.glob("%s/regressions/boom/*" % corp), "saved without --save-regressions"
for t in ("boom", "calm"):	# hand-named seeds survive the merge
    assert os.path.isfile("%s/fuzz/%s/seed" % (corp, t)), t + "/seed dropped"
assert s["ceiling"] == {}, s
# JUnit: a testcase per run and one per crash signature, titled
t = ET.parse(out + "/junit.xml").getroot()
cases = list(t.iter("testcase"))
assert t.get("tests") == "3" and t.get("failures") == "1", ET.tostring(t)[:300]
(crash,) = [x for x in cases if x.find("failure") is not None]
assert crash.get("name") == title and crash.get("classname") == "fuzz.boom.crash"
assert crash.find("failure").get("message") == title
assert "heap-buffer-overflow" in crash.find("failure").text
print(h)
PY
) || exit 1
dir=$out1/crashes/boom/$hash
# reproduce.sh: checkout found above its own folder, replay binary fresh
(cd "$tmp" && "$dir/reproduce.sh") >"$tmp/repro1" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -qF "REPRODUCES boom crash $hash: $want_title" "$tmp/repro1" &&
	grep -q "heap-buffer-overflow" "$tmp/repro1" && ! grep -q rebuilding "$tmp/repro1" ||
	{ echo "reproduce.sh (bug present): want exit 1, REPRODUCES, got $rc"; cat "$tmp/repro1"; exit 1; }

# Run 2: the same --out again, crash not fixed and not in the regressions
nightly_run "$tmp/log2" 1 "run 2 (same --out, still a new crash)" --targets boom \
	--engine libfuzzer --budget 3 --no-build --minimize-budget 0 --save-regressions \
	--run-id second --no-merge --out "$out1" --corpus-root "$tmp/corpus"
log_has "$tmp/log2" "run 2: no 'not minimised' line" \
	"crash $hash not minimised: the minimisation budget (0s) is used up"
python3 - "$out1" "$tmp/corpus" "$hash" <<'PY' || exit 1
import glob, json, sys
out, corp, h = sys.argv[1:4]
s = json.load(open(out + "/summary.json"))
assert s["run_id"] == "second" and s["new_crashes"] == 1, s
(c,) = s["crashes"]
assert c["hash"] == h and c["status"] == "new" and c["seen_in_earlier_run"], c
assert not c["minimized"] and "budget" in c["minimize_note"], c
d = "%s/crashes/boom/%s" % (out, h)
assert open(d + "/input.min", "rb").read() == open(d + "/input", "rb").read()
(reg,) = glob.glob("%s/regressions/boom/sig-%s-*" % (corp, h))
assert c["regression"] == reg, c
PY

# Run 3: serial, --calibrate; the crash is known from the regression
out2=$tmp/out2
nightly_run "$tmp/log3" 0 "run 3 (crash known)" --targets boom --engine libfuzzer \
	--per-target 3 --budget 3 --no-build --calibrate 1 --no-merge \
	--out "$out2" --corpus-root "$tmp/corpus"
log_has "$tmp/log3" "run 3: no known-crash line" -F "known crash $hash: $want_title"
python3 - "$out2" "$hash" "$want_title" <<'PY' || exit 1
import json, sys
import xml.etree.ElementTree as ET
out, h, title = sys.argv[1:4]
s = json.load(open(out + "/summary.json"))
(r,) = s["results"]
assert s["new_crashes"] == 0 and r["known_crashes"] == [h], r
(c,) = s["crashes"]
assert c["status"] == "known" and c["title"] == title and c["where"] == c["regression"], c
assert s["ceiling"].get("libfuzzer", 0) > 0, s["ceiling"]
assert r["ceiling_pct"] > 0, r
t = ET.parse(out + "/junit.xml").getroot()
assert t.get("failures") == "0" and t.get("skipped") == "1"
(k,) = [x for x in t.iter("testcase") if x.find("skipped") is not None]
assert k.get("name") == title and title in k.find("skipped").get("message")
PY
python3 tools/fuzz_summary_md.py "$out1/summary.json" "$out2/summary.json" >"$tmp/md" &&
	grep -qF "| boom | libfuzzer | new | $hash | $want_title |" "$tmp/md" &&
	grep -qF "| boom | libfuzzer | known | $hash | $want_title |" "$tmp/md" ||
	{ echo "fuzz_summary_md: no crash rows with the title"; cat "$tmp/md"; exit 1; }

# The bug is fixed in the source; the replay binary is now stale.
sed -i 's/p\[4 + (p\[0\] & 1)\] = 1;/p[p[0] \& 3] = 1;/' "$tree/fuzz/boom.c"
grep -q 'p\[p\[0\] & 3\] = 1;' "$tree/fuzz/boom.c" || { echo "fix not applied"; exit 1; }
CLANG=false "$dir/reproduce.sh" >"$tmp/repro2" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "refusing to run a stale binary" "$tmp/repro2" ||
	{ echo "reproduce.sh, cannot rebuild: want exit 2 and a refusal, got $rc"; cat "$tmp/repro2"; exit 1; }
cp -R "$dir" "$tmp/elsewhere"	# a downloaded crash folder, outside any checkout
(cd "$tmp" && "$tmp/elsewhere/reproduce.sh") >"$tmp/repro3" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "set HVEXIT_ROOT" "$tmp/repro3" ||
	{ echo "reproduce.sh outside a checkout: want exit 2, got $rc"; cat "$tmp/repro3"; exit 1; }
HVEXIT_ROOT=$tree "$tmp/elsewhere/reproduce.sh" >"$tmp/repro4" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "rebuilding build/fuzz/replay/boom (fuzz/boom.c is newer)" "$tmp/repro4" &&
	grep -qF "does not reproduce: boom crash $hash" "$tmp/repro4" ||
	{ echo "reproduce.sh after the fix: want a rebuild and exit 0, got $rc"; cat "$tmp/repro4"; exit 1; }
"$dir/reproduce.sh" >"$tmp/repro5" 2>&1
rc=$?
[ $rc -eq 0 ] && ! grep -q rebuilding "$tmp/repro5" ||
	{ echo "reproduce.sh, fresh binary: want exit 0 without a rebuild, got $rc"; cat "$tmp/repro5"; exit 1; }
exit 0
