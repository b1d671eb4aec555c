# Own decoder vs Capstone 4 over a fixed random sample of the load/store
# encoding space: per-class counts, zero unexplained disagreements.
out=$("$HVEXIT_REL" xcheck --sweep --random 200000 --seed 1) || { echo "$out"; echo "sweep has unexplained rows"; exit 1; }
echo "$out"; mkdir -p build && echo "$out" > build/xcheck-sweep.txt
echo "$out" | grep -q "sweep: 200224 words in .* 0 unexplained" || { echo "summary line missing"; exit 1; }
for c in uimm regoff pair_pre excl atomic simd_single_post; do
	echo "$out" | grep -q "^$c " || { echo "class $c missing"; exit 1; }
done
"$HVEXIT_REL" xcheck --sweep --random 20000 --seed 3 --json | python3 -c '
import json,sys
d=json.load(sys.stdin)
assert d["unexplained"]==0 and d["words"]==20224, d
assert sum(c["total"] for c in d["classes"].values())==d["words"]
' || { echo "json sweep"; exit 1; }
# SIGTERM during a long sweep: the partial table is printed, exit 2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$HVEXIT_REL" xcheck --sweep --all >"$T/out" 2>&1 & p=$!
sleep 2; kill -TERM $p; wait $p; rc=$?
[ $rc -eq 2 ] || { cat "$T/out"; echo "interrupted sweep: want 2, got $rc"; exit 1; }
grep -q "^sweep: [0-9]* words in .*(interrupted: partial counts)$" "$T/out" || { cat "$T/out"; echo "no partial table"; exit 1; }
grep -q "^class  *words  *agree" "$T/out" || { cat "$T/out"; echo "no class table"; exit 1; }
exit 0
