#!/bin/sh
# Runs every benchmark binary; each prints its table to stdout and writes a
# JSON object to $BENCH_OUT/<name>.json. The objects are merged into
# build/rel/bench/bench.json; nothing is written outside build/.
set -e
out=build/rel/bench/json
merged=build/rel/bench/bench.json
mkdir -p "$out"
rm -f "$out"/*.json
for b in "$@"; do
	name=$(basename "$b")
	echo "== $name"
	BENCH_OUT="$out" "$b"
done
{
	printf '{\n'
	first=1
	for j in "$out"/*.json; do
		[ -f "$j" ] || continue
		[ $first -eq 1 ] || printf ',\n'
		first=0
		printf '  "%s": ' "$(basename "$j" .json)"
		cat "$j"
	done
	printf '\n}\n'
} > "$merged"
echo "bench: results in $merged"
# The ratios side by side (python3 is a test dependency, ci/install-deps.sh)
python3 - "$merged" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
rows = []
def h(v, unit):
    for lim, suf in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if v >= lim:
            return "%.3g%s%s" % (v / lim, suf, unit)
    return "%.3g %s" % (v, unit)
def row(bench, what, a, b_, unit="/s"):
    if a is None or b_ is None or not b_:
        return
    rows.append((bench, what, h(a, unit), h(b_, unit), a / b_))
g = lambda *k: (lambda d: [d := (d or {}).get(x) for x in k][-1])(b)
row("esr", "esr_decode_dabt vs inline bit extraction", g("esr", "dabt_decodes_per_s"), g("esr", "inline_decodes_per_s"))
row("esr", "esr_decode (full) vs inline bit extraction", g("esr", "full_decodes_per_s"), g("esr", "inline_decodes_per_s"))
row("esr", "esr_decode + every field value vs inline", g("esr", "full_fields_decodes_per_s"), g("esr", "inline_decodes_per_s"))
row("exit", "ISV=0 LDP (emulated) vs ISV=1 MMIO read", g("exit", "isv0_ldp"), g("exit", "isv1_mmio_read"))
for w in ("4k_4level", "64k_2level"):
    row("s2", "%s: minimal loop vs s2_walk model" % w, g("s2", w, "mini_walks_per_s"), g("s2", w, "walks_per_s"))
T = lambda *k: g("trace", *k)
row("trace", "replay binary 1M vs engine ISV=1 (per CPU s)", T("binary", "replay_events_per_cpu_s_1m"), g("exit", "isv1_mmio_read"))
row("trace", "replay binary 1M (per CPU s) vs goal 5 M/s", T("binary", "replay_events_per_cpu_s_1m"), T("goal_binary_replay"))
row("trace", "replay JSON Lines 1M (per CPU s) vs goal 1 M/s", T("jsonl", "replay_events_per_cpu_s_1m"), T("goal_jsonl_replay"))
row("trace", "replay 1M: binary vs JSON Lines (per CPU s)", T("binary", "replay_events_per_cpu_s_1m"), T("jsonl", "replay_events_per_cpu_s_1m"))
row("trace", "record binary 1M (per CPU s) vs goal 2 M/s", T("binary", "record_events_per_cpu_s_1m"), T("goal_binary_record"))
row("trace", "record JSON Lines 1M (per CPU s) vs binary", T("jsonl", "record_events_per_cpu_s_1m"), T("binary", "record_events_per_cpu_s_1m"))
row("trace", "binary bytes/event 1M vs goal 32", T("binary", "bytes_per_event_1m"), T("goal_bytes_per_event"), "B")
row("trace", "size 1M: binary vs JSON Lines", T("binary", "bytes_per_event_1m"), T("jsonl", "bytes_per_event_1m"), "B")
kib = lambda v: v * 1024 if v is not None else None
row("trace", "replay peak RSS binary: 1M vs 100k", kib(T("binary", "replay_max_rss_kb_1m")), kib(T("binary", "replay_max_rss_kb_100k")), "B")
row("trace", "replay peak RSS JSON Lines: 1M vs 100k", kib(T("jsonl", "replay_max_rss_kb_1m")), kib(T("jsonl", "replay_max_rss_kb_100k")), "B")
row("trace", "record peak RSS binary: 1M vs 100k", kib(T("binary", "record_max_rss_kb_1m")), kib(T("binary", "record_max_rss_kb_100k")), "B")
row("trace", "convert 1M peak RSS vs 16 MiB", kib(T("convert_max_rss_kb_1m")), 16 * 1024 * 1024, "B")
row("xcheck", "64 hot words: cache vs no cache", g("xcheck", "xcheck_hot_cache_per_s"), g("xcheck", "xcheck_hot_nocache_per_s"))
row("xcheck", "cold words: cache vs no cache", g("xcheck", "xcheck_cold_cache_per_s"), g("xcheck", "xcheck_cold_nocache_per_s"))
row("xcheck", "xcheck (hot, cache) vs raw Capstone disasm", g("xcheck", "xcheck_hot_cache_per_s"), g("xcheck", "capstone_disasm_per_s"))
row("xcheck", "xcheck (cold, no cache) vs raw Capstone disasm", g("xcheck", "xcheck_cold_nocache_per_s"), g("xcheck", "capstone_disasm_per_s"))
print("== ratios (A / B)")
print("%-7s %-48s %13s %13s %8s" % ("bench", "A vs B", "A", "B", "ratio"))
for r in rows:
    print("%-7s %-48s %13s %13s %7.2fx" % r)
PY
