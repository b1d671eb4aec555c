# ci/fuzz-nightly's crash path and --parallel/--calibrate, on two throwaway
# targets in a temp copy of the tree (the repo's corpus is not touched):
#   boom  heap-buffer-overflow when the input starts with "B!"
#   calm  never crashes
# Run 1 (--parallel 2, --save-regressions) must find boom's crash, exit 1,
# write a minimised reproducer that still crashes and save it as a
# regression. Run 2 (serial, --calibrate) must call the same crash known and
# exit 0. Hand-named seeds ("seed") must survive both merges.
command -v clang >/dev/null || { echo "clang missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
mkdir -p "$tree/ci" "$tree/fuzz" "$tree/build/fuzz/libfuzzer" "$tree/build/fuzz/replay" \
	"$tmp/corpus/fuzz/boom" "$tmp/corpus/fuzz/calm"
cp ci/fuzz-nightly "$tree/ci/"
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
san="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined"
for t in boom calm; do
	clang $san -fsanitize=fuzzer "$tree/fuzz/$t.c" -o "$tree/build/fuzz/libfuzzer/$t" &&
	clang $san "$tree/fuzz/$t.c" fuzz/driver.c -o "$tree/build/fuzz/replay/$t" ||
		{ echo "cannot build $t"; exit 1; }
done
printf 'B' >"$tmp/corpus/fuzz/boom/seed"
printf 'calm' >"$tmp/corpus/fuzz/calm/seed"

"$tree/ci/fuzz-nightly" --targets boom,calm --engine libfuzzer --per-target 3 \
	--budget 6 --parallel 2 --no-build --save-regressions \
	--out "$tmp/out1" --corpus-root "$tmp/corpus" >"$tmp/log1" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "run 1: want exit 1 (new crash), got $rc"; cat "$tmp/log1"; exit 1; }
grep -q '^\[part 0\] .*boom/libfuzzer: fuzzing' "$tmp/log1" &&
grep -q '^\[part 1\] .*calm/libfuzzer: fuzzing' "$tmp/log1" ||
	{ echo "run 1: no per-part progress lines"; cat "$tmp/log1"; exit 1; }
hash=$(python3 - "$tmp/out1" "$tmp/corpus" <<'PY'
import glob, json, os, sys
out, corp = sys.argv[1], sys.argv[2]
s = json.load(open(out + "/summary.json"))
assert s["parallel"] == 2 and s["new_crashes"] == 1, s
rows = {r["target"]: r for r in s["results"]}
assert sorted(rows) == ["boom", "calm"], rows
assert rows["calm"]["new_crashes"] == [] and rows["calm"]["status"] == "ran", rows
(h,) = rows["boom"]["new_crashes"]
d = "%s/crashes/boom/%s" % (out, h)
for f in ("input", "input.min", "stack.txt", "signature.txt", "reproduce.sh"):
    assert os.path.isfile(d + "/" + f), "missing " + f
sig = open(d + "/signature.txt").read().split("\n")
assert sig[0] == "address:heap-buffer-overflow", sig
assert sig[1].startswith("boom_crash;LLVMFuzzerTestOneInput"), sig
assert open(d + "/input.min", "rb").read()[:2] == b"B!"
assert glob.glob("%s/regressions/boom/sig-%s-*" % (corp, h)), "regression not saved"
for t in ("boom", "calm"):	# hand-named seeds survive the merge
    assert os.path.isfile("%s/fuzz/%s/seed" % (corp, t)), t + "/seed dropped"
assert "ceiling" in s and s["ceiling"] == {}, s
print(h)
PY
) || exit 1
HVEXIT_ROOT=$tree "$tmp/out1/crashes/boom/$hash/reproduce.sh" >"$tmp/repro" 2>&1 &&
	{ echo "reproduce.sh did not crash"; exit 1; }
grep -q "heap-buffer-overflow" "$tmp/repro" || { echo "reproduce.sh: wrong report"; exit 1; }

"$tree/ci/fuzz-nightly" --targets boom --engine libfuzzer --per-target 3 \
	--budget 3 --no-build --calibrate 1 \
	--out "$tmp/out2" --corpus-root "$tmp/corpus" >"$tmp/log2" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "run 2: want exit 0 (crash known), got $rc"; cat "$tmp/log2"; exit 1; }
python3 - "$tmp/out2" "$hash" <<'PY' || exit 1
import json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
(r,) = s["results"]
assert s["new_crashes"] == 0 and r["known_crashes"] == [sys.argv[2]], r
assert s["ceiling"].get("libfuzzer", 0) > 0, s["ceiling"]
assert r["ceiling_pct"] > 0, r
PY
[ -f "$tmp/corpus/fuzz/boom/seed" ] || { echo "run 2 dropped boom/seed"; exit 1; }
exit 0
