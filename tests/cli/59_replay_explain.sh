# Differences that explain themselves. A recorded trace whose outcomes
# break one rule of the Arm ARM on purpose (a hypervisor that ignores
# ESR_EL2.ISS.SF: LDRSH Wt sign-extended to 64 bits instead of 32,
# D24.2.46) replays as one group with the right labels (replayed = the
# Arm ARM's value, recorded = the broken one), the rule, the
# instruction's disassembly, the first occurrence, and a reproducer that,
# run as printed, shows the replayed value; --quiet prints only the summary.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
"$HVEXIT_REL" record random -o "$T/good.jsonl" --events 3000 --seed 7 2>/dev/null || exit 1
"$HVEXIT" replay "$T/good.jsonl" >/dev/null 2>&1 || { echo "the recorded trace must replay clean"; exit 1; }
# Break it: every ISV=1 halfword load with SSE=1 SF=0 whose value has bit
# 31 set gets the 64-bit sign extension. Print the count, then line, seq,
# vCPU, SRT, the Arm ARM value (sign-extended to 32 bits, upper half 0)
# and the broken value of the first one.
python3 - "$T/good.jsonl" "$T/bad.jsonl" >"$T/first" <<'PY' || exit 1
import json, sys
out, n, first = open(sys.argv[2], "w"), 0, None
for ln, line in enumerate(open(sys.argv[1]), 1):
    o = json.loads(line)
    if o.get("type") == "exit" and o.get("outcome"):
        esr = int(o["exit"]["esr"], 16)
        isv, sas, sse, srt, sf, wnr = esr >> 24 & 1, esr >> 22 & 3, esr >> 21 & 1, esr >> 16 & 31, esr >> 15 & 1, esr >> 6 & 1
        reg = "x%d" % srt
        if isv and sas == 1 and sse and not sf and not wnr and reg in o["outcome"]["writes"]:
            data = int(o["mmio_data"][0], 16) & 0xffff          # the halfword read
            arm = (data | (0xffff0000 if data & 0x8000 else 0))  # SSE=1, SF=0: to 32 bits
            if data & 0x8000:
                broken = arm | 0xffffffff00000000
                o["outcome"]["writes"][reg] = hex(broken)
                n += 1
                if first is None:
                    first = (ln, o["seq"], o["vcpu"], srt, hex(arm), hex(broken))
    out.write(json.dumps(o, separators=(",", ":")) + "\n")
print(n, *first)
PY
read -r n line seq vcpu srt arm broken <"$T/first"
[ "$n" -ge 2 ] || { echo "want >= 2 broken events, got $n"; exit 1; }

"$HVEXIT" replay "$T/bad.jsonl" --findings "$T/all.jsonl" >"$T/out" 2>"$T/err"; [ $? -eq 1 ] || { cat "$T/out" "$T/err"; echo "want 1"; exit 1; }
[ "$(count_findings "$T/out")" -eq 1 ] || { cat "$T/out"; echo "one broken rule, one group"; exit 1; }
grep -q "^FINDING replay/outcome/outcome.writes.Rt/EC 0x24 ISV=1 SAS=1 SSE=1 SF=0 read LDRSH: $n instances$" "$T/out" ||
	{ cat "$T/out"; echo "group key and count $n"; exit 1; }
expect_finding "$T/out" outcome.writes.Rt "\"$arm\"" "\"$broken\"" "^$T/bad.jsonl:$line: seq $seq vcpu $vcpu: outcome.writes.x$srt\$" || exit 1
grep -q "^    replayed:  \"$arm\"$" "$T/out" && grep -q "^    recorded:  \"$broken\"$" "$T/out" ||
	{ cat "$T/out"; echo "labels: replayed is the Arm ARM value, recorded the trace's"; exit 1; }
grep -q "^    rule:      D24.2.46 ESR_EL2, ISS encoding for an exception from a Data Abort: .*SF=0 leaves bits \[63:32\] of Xt zero" "$T/out" ||
	{ cat "$T/out"; echo "rule"; exit 1; }
grep -q "^    input:     .*; instruction: ldrsh w$srt, \[" "$T/out" || { cat "$T/out"; echo "disassembly"; exit 1; }
[ "$(grep -c '"type":"finding"' "$T/all.jsonl")" -eq "$n" ] || { echo "every instance streamed"; exit 1; }

# The reproducer, run as printed, gives the replayed value for that register.
cmd=$(sed -n 's/^    reproduce: //p' "$T/out")
case "$cmd" in "hvexit exit "*" --json") ;; *) cat "$T/out"; echo "reproducer: '$cmd'"; exit 1 ;; esac
"$HVEXIT" ${cmd#hvexit } >"$T/r" || { cat "$T/r"; echo "reproducer failed"; exit 1; }
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(int(o["writes"]["x" + sys.argv[2]], 16) != int(sys.argv[3], 16))' \
	"$T/r" "$srt" "$arm" || { cat "$T/r"; echo "reproducer does not show the replayed $arm"; exit 1; }

# A baseline written before registers were grouped by role (version 1,
# field "outcome.writes.xN", the same fingerprints) still covers them.
python3 - "$T/all.jsonl" "$T/bad.jsonl" >"$T/v1.json" <<'PY' || exit 1
import json, sys
known = []
for l in open(sys.argv[1]):
    f = json.loads(l)
    reg = f["where"].rsplit(": ", 1)[1]
    assert reg.startswith("outcome.writes.x"), f["where"]
    known.append({"kind": "outcome", "field": reg, "fingerprint": f["fingerprint"],
                  "first_seen": sys.argv[2]})
print(json.dumps({"hvexit_baseline": 1, "known": known}))
PY
"$HVEXIT" replay "$T/bad.jsonl" --baseline "$T/v1.json" >"$T/b" 2>&1 || { cat "$T/b"; echo "old baseline no longer covers"; exit 1; }
grep -q "^KNOWN replay/outcome/outcome.writes.Rt/.*: $n instances (baselined)$" "$T/b" || { cat "$T/b"; echo "known group"; exit 1; }

# --quiet: the summary lines only
"$HVEXIT" replay "$T/bad.jsonl" --quiet >"$T/q" 2>"$T/qe"; [ $? -eq 1 ] || exit 1
[ ! -s "$T/q" ] || { cat "$T/q"; echo "--quiet printed details"; exit 1; }
grep -q "^hvexit replay: 1 case: 0 pass, 1 fail, .* $n new findings in 1 cause" "$T/qe" || { cat "$T/qe"; echo "--quiet summary"; exit 1; }
! grep -q "FINDING\|reproduce" "$T/qe" || { cat "$T/qe"; echo "--quiet printed details on stderr"; exit 1; }
exit 0
