# hvexit xcheck: ISS vs instruction cross-check and the own-vs-Capstone sweep.
# ESR values built by hand from D24.2.46: EC 0x24 (bits 31:26), IL, ISV,
# SAS [23:22], SSE [21], SRT [20:16], SF [15], AR [14], WnR [6], DFSC 0x06.
fail() { echo "$*"; exit 1; }
H="$HVEXIT"

# STR X0, [X1] (0xf9000020): SAS=3 SRT=0 SF=1 WnR=1 -> 0x93c08046 consistent.
"$H" xcheck --insn f9000020 --esr 93c08046 || fail "str x0 consistent: want exit 0"
# Same word, ESR says SAS=2 (0x93808046): SAS disagrees.
out=$("$H" xcheck --insn f9000020 --esr 93808046); rc=$?
[ $rc -eq 1 ] || fail "SAS mismatch: want exit 1, got $rc"
echo "$out" | grep -q "SAS  iss=2 implied: own=3 capstone=3" || fail "SAS line missing: $out"
# LDRSB W3, [X4] (0x39c00083): SAS=0 SSE=1 SRT=3 SF=0 WnR=0 -> 0x93230006.
"$H" xcheck --insn 39c00083 --esr 93230006 || fail "ldrsb w3 consistent"
# ... with SF=1 claimed (0x9323 8006): SF disagrees.
"$H" xcheck --insn 39c00083 --esr 93238006 | grep -q "^  SF" || fail "SF mismatch not listed"
# LDAR W1, [X2] (0x88dffc41): SAS=2 SRT=1 AR=1 -> 0x93814006; AR=0 is wrong.
"$H" xcheck --insn 88dffc41 --esr 93814006 || fail "ldar consistent"
"$H" xcheck --insn 88dffc41 --esr 93810006 | grep -q "^  AR" || fail "AR mismatch not listed"
# STP (pair) with ISV=1 is itself a disagreement (pairs report ISV=0).
"$H" xcheck --insn a9000020 --esr 93c08046 --json > /tmp/xc.$$ ; rc=$?
[ $rc -eq 1 ] || fail "stp isv=1: want exit 1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["diffs"][0]["field"]=="ISV" and d["diffs"][0]["own"]==0' /tmp/xc.$$ || fail "json ISV diff"
rm -f /tmp/xc.$$
# ISV=0: nothing to check, exit 0.
"$H" xcheck --insn a9000020 --esr 92000046 || fail "isv0: want exit 0"
# Bad input: exit 2 with a message naming the input.
"$H" xcheck --insn zz --esr 93c08046 2>&1 | grep -q -- "--insn 'zz'" || fail "bad --insn message"
"$H" xcheck --insn f9000020 --esr 5a000000 >/dev/null 2>&1; [ $? -eq 2 ] || fail "non-dabt esr: want 2"
"$H" xcheck --insn 100000000 --esr 93c08046 >/dev/null 2>&1; [ $? -eq 2 ] || fail ">32-bit insn: want 2"
exit 0
