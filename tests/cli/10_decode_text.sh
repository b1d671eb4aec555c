#!/bin/sh
# hvexit decode: text sheet, stdin mode, bad input (exit 2, names input).
H=${HVEXIT:?}
out=$("$H" decode 0x93c08046) || { echo "decode failed"; exit 1; }
echo "$out" | grep -q "DABT_LOW" || { echo "no class"; exit 1; }
echo "$out" | grep -Eq "srt +\[20:16\] +0x0 +x0$" || { echo "no srt line"; exit 1; }
# ISS2 fields that are all zero are not listed (JSON keeps them)
echo "$out" | grep -q "hdbssf" && { echo "zero ISS2 field listed"; exit 1; }
# bits [12:11] of a Translation fault are LST, not SET (D24.2.46)
"$H" decode 0x92000806 | grep -Eq "lst +\[12:11\] +0x1 +ST64BV$" || { echo "no lst line"; exit 1; }
"$H" decode 0x92000806 | grep -Eq "^  set " && { echo "set shown for a translation fault"; exit 1; }
echo "$out" | grep -Eq "dfsc +\[5:0\] +0x6 +translation" || { echo "no dfsc line"; exit 1; }
# stdin: one per line, comments and blank lines skipped; JSON Lines
n=$(printf '0x5a000000\n\n# c\n93c08046\n0xf2000800\n' | "$H" decode --json - | python3 -c '
import json, sys
L = [json.loads(l) for l in sys.stdin]
assert [o["ec_name"] for o in L] == ["HVC64", "DABT_LOW", "BRK64"], L
assert L[2]["fields"]["comment"] == 0x800
print(len(L))') || exit 1
[ "$n" = 3 ] || { echo "stdin: $n results"; exit 1; }
# bad input: exit 2 and a one-line error naming it
for bad in zz 0x1ffffffffffffffff 12g; do
	err=$("$H" decode "$bad" 2>&1 >/dev/null); rc=$?
	[ $rc -eq 2 ] || { echo "$bad: rc $rc"; exit 1; }
	echo "$err" | grep -qF "$bad" || { echo "$bad: error does not name input: $err"; exit 1; }
	[ "$(echo "$err" | wc -l)" -eq 1 ] || { echo "multi-line error"; exit 1; }
done
printf '0x5a000000\nnope\n' | "$H" decode - >/dev/null 2>&1; [ $? -eq 2 ] || { echo "stdin bad: want 2"; exit 1; }
"$H" decode --far >/dev/null 2>&1; [ $? -eq 2 ] || { echo "--far without value"; exit 1; }
"$H" decode >/dev/null 2>&1; [ $? -eq 2 ] || { echo "no args: want 2"; exit 1; }
exit 0
