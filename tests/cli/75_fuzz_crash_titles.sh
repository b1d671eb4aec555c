# Crash titles and signatures (ci/fuzz_report.py classify) on real reports:
# a throwaway target with one bug per first input byte, built like the
# fuzz-nightly replay build (fuzz/build-local.sh: clang ASan+UBSan with
# frame pointers, + fuzz/driver.c) and replayed
# with fuzz-nightly's sanitizer options. Each title must name the sanitizer
# kind, the first frame in the project (not the sanitizer's memcpy or
# malloc, nor libc's abort) and its file:line (the line is found
# by its marker comment in the source); the same bug reached with a
# different input must give the same signature hash, another bug another.
command -v clang >/dev/null || { echo "clang missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
mkdir -p "$tree/fuzz"
cp fuzz/driver.c "$tree/fuzz/"
cat >"$tree/fuzz/multi.c" <<'EOF'
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
static volatile size_t huge = (size_t)3 << 30;
__attribute__((noinline)) static uint64_t read_past(const uint8_t *d)
{
	uint8_t *p = malloc(8);
	uint64_t v;
	memcpy(p, d, 2);
	memcpy(&v, p + 4, sizeof(v));	/* M:heap */
	free(p);
	return v;
}
__attribute__((noinline)) static uint32_t shift_by(uint32_t s)
{
	return UINT32_C(1) << s;	/* M:shift */
}
__attribute__((noinline)) static uint32_t dispatch(const uint8_t *d, size_t n)
{
	return shift_by(32 + (d[1] & 7)) + (uint32_t)n;
}
__attribute__((noinline)) static int pick(unsigned i)
{
	int t[4] = { 1, 2, 3, 4 };
	return t[i];	/* M:index */
}
__attribute__((noinline)) static void fail_invariant(void)
{
	abort();	/* M:abort */
}
__attribute__((noinline)) static void *leak_it(void)
{
	char *p = malloc(16);	/* M:leak */
	if (p)
		p[0] = 1;
	return p;
}
__attribute__((noinline)) static char *big_alloc(void)
{
	char *p = malloc(huge);	/* M:oom */
	if (p)
		p[0] = 1;
	return p;
}
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	volatile uintptr_t keep = 0;
	if (n < 2)
		return 0;
	switch (d[0]) {
	case 'H': return (int)read_past(d);
	case 'S': return (int)dispatch(d, n);
	case 'I': return pick(4 + d[1] % 4);
	case 'A': fail_invariant(); break;
	case 'L': keep = (uintptr_t)leak_it(); break;
	case 'M': keep = (uintptr_t)big_alloc(); break;
	case 'K': raise(SIGKILL); break;
	case 'T': for (;;) keep++;
	}
	return (int)keep;
}
EOF
(cd "$tree" && clang -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined \
	fuzz/multi.c fuzz/driver.c -o multi) >"$tmp/build.log" 2>&1 ||
	{ echo "cannot build"; cat "$tmp/build.log"; exit 1; }
L() { grep -n "M:$1 " "$tree/fuzz/multi.c" | cut -d: -f1; }
# replay NAME INPUT TIMEOUT: the report in $tmp/r/NAME.txt, status in .rc
mkdir "$tmp/r"
replay() {
	printf '%s' "$2" >"$tmp/in.$1"
	(cd "$tree" && ASAN_OPTIONS=handle_abort=1:symbolize=1:detect_leaks=1:max_allocation_size_mb=2048:hard_rss_limit_mb=2048 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:report_error_type=1 \
		timeout "$3" ./multi "$tmp/in.$1"
	 echo $? >"$tmp/r/$1.rc") >"$tmp/r/$1.txt" 2>&1
}
replay heap1 Hx 30; replay heap2 Hy 30; replay shift1 S1 30; replay shift2 S5 30
replay index I0 30; replay abort A0 30; replay leak L0 30; replay oom M0 30
replay kill K0 30; replay hang T0 1; replay clean ok 30
# name <TAB> title <TAB> frames (";"-joined; empty: not checked)
tab=$(printf '\t')
cat >"$tmp/want" <<EOF
heap1${tab}ASAN: heap-buffer-overflow READ 8 in read_past (fuzz/multi.c:$(L heap))${tab}read_past;LLVMFuzzerTestOneInput
heap2${tab}ASAN: heap-buffer-overflow READ 8 in read_past (fuzz/multi.c:$(L heap))${tab}
shift1${tab}UBSAN: shift-exponent in shift_by (fuzz/multi.c:$(L shift))${tab}shift_by;dispatch;LLVMFuzzerTestOneInput
shift2${tab}UBSAN: shift-exponent in shift_by (fuzz/multi.c:$(L shift))${tab}
index${tab}UBSAN: out-of-bounds-index in pick (fuzz/multi.c:$(L index))${tab}
abort${tab}ASAN: ABRT in fail_invariant (fuzz/multi.c:$(L abort))${tab}fail_invariant;LLVMFuzzerTestOneInput
leak${tab}LSAN: memory-leak in leak_it (fuzz/multi.c:$(L leak))${tab}leak_it;LLVMFuzzerTestOneInput
oom${tab}out-of-memory in big_alloc (fuzz/multi.c:$(L oom))${tab}
kill${tab}deadly signal SIGKILL${tab}
hang${tab}timeout${tab}
EOF
python3 ci/fuzz_report.py classify-all --root "$tree" --target multi --dir "$tmp/r" \
	>"$tmp/got" || { echo "classify-all failed"; exit 1; }
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
got = {l.split("\t")[0]: l.rstrip("\n").split("\t") for l in open(tmp + "/got")}
fails, hashes = [], {}
if got["clean"][1:] != ["", ""]:
    fails.append("a clean run was taken for a crash: %s" % got["clean"])
for line in open(tmp + "/want"):
    name, title, frames = line.rstrip("\n").split("\t")
    _, h, t = got[name]
    if t != title:
        fails.append("%s: want title %r, got %r\n%s" % (
            name, title, t, open("%s/r/%s.txt" % (tmp, name)).read()[:1500]))
        continue
    c = json.load(open("%s/r/%s.json" % (tmp, name)))
    if frames and c["frames"] != frames.split(";"):
        fails.append("%s: want frames %s, got %s" % (name, frames, c["frames"]))
    hashes[name] = h
# the same bug from another input: the same signature; other bugs: others
if hashes.get("heap1") != hashes.get("heap2") or hashes.get("shift1") != hashes.get("shift2"):
    fails.append("one bug, two signatures: %s" % hashes)
if len(set(hashes.values())) != 8:
    fails.append("want 8 distinct signatures: %s" % hashes)
if fails:
    print("\n".join(fails))
sys.exit(1 if fails else 0)
PY
