# ci/fuzz-nightly with AFL++ and --no-merge on a throwaway target: the
# heartbeat shows AFL++'s figures (edges), and the corpus count is the seeds
# plus the queue entries AFL++ itself added (its fuzzer_stats corpus_found,
# and the queue names without ",orig:"), not the whole queue on top of the
# seeds. The seed folder is left untouched.
command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null ||
	{ echo "AFL++ missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
. "$(dirname "$0")/lib/nightly.sh"
nightly_tree "$tmp/corpus" ladder
cat >"$tree/fuzz/ladder.c" <<'EOF'
#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	int s = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		switch (d[i] & 7) {
		case 0: s += 1; break;
		case 1: s ^= 3; break;
		case 2: if (i > 2) s -= 2; break;
		case 3: if (s > 4) s *= 2; break;
		default: break;
		}
	return s > 1000;
}
EOF
printf 'calm' >"$tmp/corpus/fuzz/ladder/seed1"
printf 'ab' >"$tmp/corpus/fuzz/ladder/seed2"
nightly_build afl,replay ladder
ls "$tmp/corpus/fuzz/ladder" >"$tmp/seeds.before"

"$tree/ci/fuzz-nightly" --targets ladder --engine afl --budget 4 --heartbeat 1 \
	--no-build --no-merge --out "$tmp/out" --corpus-root "$tmp/corpus" >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "AFL++ run: exit $rc"; cat "$tmp/log"; exit 1; }
grep -q 'ladder/afl: [0-9]*/4 s, execs [0-9]*, [0-9]* exec/s, edges [0-9]*, corpus [0-9]*, crashes 0' "$tmp/log" ||
	{ echo "no AFL++ heartbeat"; cat "$tmp/log"; exit 1; }
ls "$tmp/corpus/fuzz/ladder" | cmp -s - "$tmp/seeds.before" ||
	{ echo "--no-merge changed the seed folder"; exit 1; }
python3 - "$tmp/out" <<'PY' || exit 1
import glob, json, os, re, sys
out = sys.argv[1]
s = json.load(open(out + "/summary.json"))
(r,) = s["results"]
assert r["engine"] == "afl" and r["status"] == "ran" and r["execs"] > 0, r
assert r["corpus_before"] == 2 and not r["merged"], r
stats = dict(re.findall(r"^(\w+)\s*:\s*(.*)$",
                        open(out + "/work/ladder/afl/afl/main/fuzzer_stats").read(), re.M))
found = int(stats["corpus_found"])
queue = os.listdir(out + "/work/ladder/afl/afl/main/queue")
added = [q for q in queue if q.startswith("id:") and ",orig:" not in q]
assert found == len(added) and found > 0, (found, added)
assert r["corpus_added"] == found and r["corpus_after"] == 2 + found, r
assert len([q for q in queue if q.startswith("id:")]) == 2 + found	# seeds + added
assert r["coverage"]["edges_final"] > 0, r
PY
exit 0
