# hvexit walk / s2 build on the seed lab configurations. Tables are
# assembled here by python3 (independently of the builder) and expected
# values come from the Arm ARM (see corpus/s2/*.scn for the derivations).
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "20_walk: $*"; exit 1; }
# image FILE BASE SIZE PA=DESCRIPTOR...: SIZE zero bytes to be loaded at
# BASE, with each 64-bit descriptor written little-endian at its PA
image() {
	python3 - "$@" <<'PY' || fail "image $1"
import struct, sys
path, base, size = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
m = bytearray(size)
for a in sys.argv[4:]:
    pa, v = (int(x, 0) for x in a.split("="))
    struct.pack_into('<Q', m, pa - base, v)
open(path, 'wb').write(m)
PY
}

# Lab 3 (VTCR 0x40094: 44-bit IPA, 4K, start level 0). L0 @0x100000,
# L1 @0x101000, L2 @0x102000. L1[2] = 1GB block PA 2G read-only; L2[0] =
# 2MB block PA 1G with AF=0.
image "$T/t.bin" 0x100000 0x3000 0x100000=0x101003 0x101008=0x102003 \
	0x101010=0x8000077d 0x102000=0x400003fd
W="$HVEXIT walk --vtcr 0x40094 --vttbr 0x100000 --mem $T/t.bin@0x100000 --json"

check() { # ipa access python-assertion
	out=$($W --ipa "$1" --access "$2") || fail "walk $1 exit $?"
	echo "$out" | python3 -c "import json,sys; j=json.load(sys.stdin); assert $3, j" \
		|| fail "walk $1 $2: $out"
}
check 0x80123456 read 'j["result"]=="ok" and j["pa"]=="0x80123456" and j["level"]==1 and j["size"]==1<<30 and j["s2ap"]==1'
check 0x80123456 write 'j["result"]=="fault" and j["fault"]=="permission" and j["level"]==1 and j["dfsc"]==0x0d and j["hpfar"]=="0x801230"'
check 0x40000000 read 'j["fault"]=="access_flag" and j["level"]==2 and j["dfsc"]==0x0a'
check 0x40200000 read 'j["fault"]=="translation" and j["level"]==2 and j["dfsc"]==6'
check 0x8000000000 read 'j["fault"]=="translation" and j["level"]==0 and j["dfsc"]==4'
check 0xc0000000 read 'j["fault"]=="translation" and j["level"]==1'

# ISV=1 data abort: ISS ISV [24], SAS=2 [23:22], SRT=3 [20:16] passed in;
# ESR = EC 0x24<<26 | IL | ISV | SAS | SRT | WnR | DFSC 0x0d = 0x9383004d.
$W --ipa 0x80123456 --access write --syndrome --iss 0x1830000 | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["esr"]=="0x9383004d" and j["far_low"]=="0x456", j' || fail "ISV esr"

# --trace prints one line per descriptor read (3 for the L1 block walk).
n=$($W --ipa 0x80000000 --trace 2>&1 >/dev/null | grep -c '^stage2 level')
[ "$n" -eq 2 ] || fail "trace lines $n, want 2 (L0, L1)"

$W --ipa 0 --trace 2>&1 >/dev/null | grep -q 'start level 0, 1 root' || fail "trace config line"
$HVEXIT walk --vtcr 0x40055 --vttbr 0x10000 --mem $T/t.bin@0x100000 --ipa 0 --trace 2>&1 >/dev/null \
	| grep -q 'IPA 43 bits, OA 44 bits, start level 1, 16 root' || fail "lab4 config line"

# 4K, T0SZ=16, SL0=1: start level 1 would need 32 concatenated tables
# (AArch64.S2InconsistentSL). The architecture gives a Stage-2 level 0
# Translation fault on every access (D8.2.8.2), not an error.
out=$($HVEXIT walk --vtcr 0x50050 --vttbr 0 --mem $T/t.bin@0x100000 --ipa 0 --json --trace 2>"$T/err") \
	|| fail "inconsistent SL0: exit $?"
echo "$out" | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["fault"]=="translation" and j["level"]==0 and j["dfsc"]==4, j' \
	|| fail "inconsistent SL0: $out"
grep -q InconsistentSL "$T/err" || fail "inconsistent SL0 trace: $(cat "$T/err")"
# Reserved TG0 is still refused: exit 2 with the rule.
$HVEXIT walk --vtcr 0xc058 --vttbr 0 --mem $T/t.bin@0x100000 --ipa 0 2>"$T/err"
[ $? -eq 2 ] || fail "reserved TG0: want exit 2"
grep -q TG0 "$T/err" || fail "reserved TG0 message: $(cat "$T/err")"
# --features: an unknown name is a one-line usage error.
$HVEXIT walk --vtcr 0x40094 --vttbr 0x100000 --mem $T/t.bin@0x100000 --ipa 0 --features pan,bogus 2>"$T/err"
[ $? -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "'bogus'" "$T/err" \
	|| fail "--features bogus: $(cat "$T/err")"

# Bad inputs: one-line error, exit 2.
$HVEXIT walk --vtcr 0x40094 --vttbr 0x100000 --mem /nonexistent@0 --ipa 0 2>"$T/err"
[ $? -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] || fail "missing --mem file"
$HVEXIT walk --vtcr 0x40094 --ipa 0 2>/dev/null; [ $? -eq 2 ] || fail "missing args"
$HVEXIT walk --vtcr zz --vttbr 0 --mem $T/t.bin@0 --ipa 0 2>/dev/null; [ $? -eq 2 ] || fail "bad hex"

# s2 build (lab 4: 43-bit IPA, 16 concatenated L1 tables at 64KiB).
printf '# lab 4\n0x7c0000000 0x40000000 0x40000000 rw\n0x0 0x80000000 0x1000 rx # page\n' > "$T/r.txt"
out=$($HVEXIT s2 build --vtcr 0x40055 --regions "$T/r.txt" -o "$T/b.bin" --base 0x10000) \
	|| fail "s2 build exit $?"
echo "$out" | grep -q 'BADDR 0x10000' || fail "s2 build output: $out"
B="$HVEXIT walk --vtcr 0x40055 --vttbr 0x10000 --mem $T/b.bin@0x10000 --json"
$B --ipa 0x7c0000010 | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["pa"]=="0x40000010" and j["level"]==1, j' || fail "built lab4 block"
$B --ipa 0x123 --access exec | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["pa"]=="0x80000123" and j["level"]==3 and j["xn"]==0, j' || fail "built lab4 page"
$B --ipa 0x123 --access write | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["fault"]=="permission" and j["dfsc"]==0x0f, j' || fail "built lab4 perm"
printf '0x1000 0 0x1000 r\n0x1000 0x5000 0x1000 r\n' > "$T/ov.txt"
$HVEXIT s2 build --vtcr 0x40055 --regions "$T/ov.txt" -o "$T/x.bin" --base 0x10000 2>/dev/null
[ $? -eq 2 ] || fail "overlap: want exit 2"
$HVEXIT s2 build --vtcr 0x40055 --regions "$T/nope" -o "$T/x.bin" --base 0x10000 2>/dev/null
[ $? -eq 2 ] || fail "missing regions file: want exit 2"
for r in '' '# only a comment\n\n'; do
	printf "$r" > "$T/none.txt"
	$HVEXIT s2 build --vtcr 0x40055 --regions "$T/none.txt" -o "$T/x.bin" --base 0x10000 2>"$T/err"
	[ $? -eq 2 ] && grep -q 'no regions' "$T/err" && [ ! -e "$T/x.bin" ] || fail "no regions: want exit 2"
done

# Lab 6 two stages: S2 identity 1GB blocks (lab 5 layout), S1 39-bit VA.
image "$T/s.bin" 0x2000 0x2000 0x2000=0x7fd 0x2008=0x400007fd
image "$T/g.bin" 0x40000000 0x3000 0x40000010=0x40001003 0x40001000=0x40002003 \
	0x40001008=0x90000003 0x40002000=0x41234743
S="$HVEXIT walk --stage1 --tcr 0x200000019 --ttbr0 0x40000000 --vtcr 0x20058 --vttbr 0x2000 --mem $T/s.bin@0x2000 --mem $T/g.bin@0x40000000 --json"
$S --va 0x80000010 | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["result"]=="ok" and j["stage1"]["ipa"]=="0x41234010" and j["stage2"]["pa"]=="0x41234010", j' || fail "lab6 ok"
$S --va 0x80200000 --syndrome | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["s1ptw"] and j["stage2"]["hpfar"]=="0x900000" and j["stage2"]["esr"]=="0x92000085", j' || fail "lab6 s1ptw"
exit 0
