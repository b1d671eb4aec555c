# Replay cross-checks every ISV=1 data abort whose instruction word is known
#: the committed seed000 trace carries STR W1, [X0] for its UART
# stores and must be consistent; edited copies whose ESR and instruction
# disagree must fail (exit 1) naming the ISS field, with a fingerprint a
# baseline accepts.
#
# Expected values (Arm ARM C4.1 "Load/store register (unsigned immediate)",
# D24.2.46 ESR_EL2 ISS for a Data Abort): seed000's ESR 0x93810047 claims
# ISV=1 SAS=2 SSE=0 SRT=1 SF=0 WnR=1.
#   0x79000001 STRH W1, [X0]  (size 01) -> SAS=1: only SAS disagrees
#   0xb9000002 STR  W2, [X0]  (Rt = 2)  -> SRT=2: only SRT disagrees
#   0xa9400801 LDP  X1, X2, [X0]        -> a pair: ISV must be 0
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
f=corpus/traces/seed000.jsonl
"$HVEXIT" replay --json "$f" >"$T/j" 2>"$T/err" || { cat "$T/err"; echo "seed000 must replay clean"; exit 1; }
python3 - "$T/j" <<'PY' || exit 1
import json, sys
x = json.load(open(sys.argv[1]))["xcheck"]
# 8 UART stores (4 characters x 2 vCPUs), each with its instruction word
want = {"isv1": 8, "checked": 8, "consistent": 8, "inconsistent": 0, "no_insn": 0}
bad = {k: (v, x.get(k)) for k, v in want.items() if x.get(k) != v}
if bad:
    sys.exit("seed000 xcheck counts: %r" % bad)
PY
grep -q 'xcheck: 8 ISV=1 data aborts, 8 cross-checked: 8 consistent, 0 inconsistent' "$T/err" ||
	{ cat "$T/err"; echo "summary line lacks the xcheck counts"; exit 1; }

# edit the instruction word of seq 2 (line 4, vCPU 0)
edit() {
	python3 - "$f" "$T/$1.jsonl" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
ev = json.loads(lines[3])
ev["exit"]["insn"] = sys.argv[3]
lines[3] = json.dumps(ev, separators=(",", ":"))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
	python3 "$(dirname "$0")/lib/seal.py" "$T/$1.jsonl" "$T/$1.jsonl"	# a new end record
}
edit strh 0x79000001
"$HVEXIT" replay "$T/strh.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || { cat "$T/out"; echo "STRH vs SAS=2: want exit 1, got $rc"; exit 1; }
expect_finding "$T/out" xcheck.SAS '1 (own 1, capstone 1; insn 0x79000001)' 2 'strh.jsonl:4: seq 2 vcpu 0$' || exit 1
[ "$(count_findings "$T/out")" -eq 1 ] || { cat "$T/out"; echo "only SAS may differ"; exit 1; }
grep -q '7 consistent, 1 inconsistent' "$T/out" || { cat "$T/out"; echo "counts"; exit 1; }

edit srt 0xb9000002
"$HVEXIT" replay "$T/srt.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "SRT: want 1"; exit 1; }
expect_finding "$T/out" xcheck.SRT '2 (own 2, capstone 2; insn 0xb9000002)' 1 || exit 1

edit ldp 0xa9400801
"$HVEXIT" replay --json "$T/ldp.jsonl" >"$T/j" 2>/dev/null; [ $? -eq 1 ] || { echo "LDP with ISV=1: want 1"; exit 1; }
python3 - "$T/j" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
d = [c["first"] for c in r["clusters"] if c["first"]["kind"] == "xcheck"]
if len(d) != 1 or d[0]["field"] != "xcheck.ISV" or d[0]["observed"] != "1":
    sys.exit("LDP: want one xcheck.ISV difference, got %r" % d)
if d[0]["expected"] != "0 (own 0, capstone 0; insn 0xa9400801)":
    sys.exit("LDP xcheck detail: %r" % d[0])
if r["xcheck"]["inconsistent"] != 1 or r["traces"][0]["xcheck"]["inconsistent"] != 1:
    sys.exit("LDP counts: %r" % r["xcheck"])
PY

# JUnit carries the counts; a baseline accepts the known difference
"$HVEXIT" replay "$T/strh.jsonl" --junit "$T/j.xml" >/dev/null 2>&1
grep -q 'name="xcheck" value="{[^"]*&quot;inconsistent&quot;:1' "$T/j.xml" || { cat "$T/j.xml"; echo "junit counts"; exit 1; }
grep -q 'replayed: 1 (own 1, capstone 1; insn 0x79000001)' "$T/j.xml" || { cat "$T/j.xml"; echo "junit failure text"; exit 1; }
"$HVEXIT" replay "$T/strh.jsonl" --baseline "$T/b.json" --update-baseline >/dev/null 2>&1
grep -q '"kind": "xcheck"' "$T/b.json" || { cat "$T/b.json"; echo "baseline lacks the xcheck entry"; exit 1; }
"$HVEXIT" replay "$T/strh.jsonl" --baseline "$T/b.json" >"$T/out" 2>&1 || { cat "$T/out"; echo "baselined: want 0"; exit 1; }
"$HVEXIT" replay "$T/srt.jsonl" --baseline "$T/b.json" >/dev/null 2>&1; [ $? -eq 1 ] || { echo "SRT is not in the STRH baseline"; exit 1; }

# The word can come from a page at PC instead of "insn": an ISV=1 event
# referencing the page of ldp-isv0 (LDP at its PC) must be flagged.
python3 - corpus/traces/ldp-isv0.jsonl "$T/page.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
for i, l in enumerate(lines):
    o = json.loads(l)
    if o.get("type") == "exit":
        o["exit"]["esr"] = "0x93c18007"   # ISV=1 SAS=3 SRT=1 SF=1 load
        o.pop("outcome", None)
        lines[i] = json.dumps(o, separators=(",", ":"))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
python3 "$(dirname "$0")/lib/seal.py" "$T/page.jsonl" "$T/page.jsonl" || exit 1
"$HVEXIT" replay "$T/page.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "page at PC: want 1"; exit 1; }
expect_finding "$T/out" xcheck.ISV '0 (own 0, capstone 0; insn 0xa9400801)' 1 || exit 1
exit 0
