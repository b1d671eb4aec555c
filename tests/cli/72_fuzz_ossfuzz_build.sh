# fuzz/build.sh as OSS-Fuzz/ClusterFuzzLite would call it (libFuzzer engine,
# ASan flags of the builder image), into a temp $OUT. Checks that every
# fuzz/<t>.c gives an executable $OUT/<t>, a seed zip holding exactly the
# files of corpus/fuzz/<t>/ and corpus/regressions/<t>/, and copies of the
# dict and options; then each fuzzer loads its unzipped seed corpus with
# -runs=0 and must exit 0.
command -v clang >/dev/null && command -v unzip >/dev/null ||
	{ echo "clang or unzip missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out" "$tmp/src"
ln -s "$(pwd)" "$tmp/src/hvexit"
SRC=$tmp/src OUT=$tmp/out CC=clang CXX=clang++ \
	CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash fuzz/build.sh >"$tmp/build.log" 2>&1 ||
	{ echo "fuzz/build.sh failed"; tail -20 "$tmp/build.log"; exit 1; }
n=0
for f in fuzz/*.c; do
	t=$(basename "$f" .c)
	[ "$t" = driver ] && continue
	n=$((n + 1))
	[ -x "$tmp/out/$t" ] || { echo "$t: no fuzzer in \$OUT"; exit 1; }
	want=0
	for d in corpus/fuzz/$t corpus/regressions/$t; do
		[ -d "$d" ] && want=$((want + $(find "$d" -maxdepth 1 -type f | wc -l)))
	done
	mkdir -p "$tmp/seeds/$t"
	if [ "$want" -gt 0 ]; then
		unzip -q "$tmp/out/${t}_seed_corpus.zip" -d "$tmp/seeds/$t" ||
			{ echo "$t: bad seed zip"; exit 1; }
	fi
	got=$(find "$tmp/seeds/$t" -type f | wc -l)
	[ "$got" -eq "$want" ] || { echo "$t: seed zip has $got files, corpus $want"; exit 1; }
	for x in dict options; do
		if [ -f "fuzz/$t.$x" ]; then
			cmp -s "fuzz/$t.$x" "$tmp/out/$t.$x" || { echo "$t.$x not copied"; exit 1; }
		fi
	done
	grep -q '^max_len *= *[0-9]' "$tmp/out/$t.options" || { echo "$t.options: no max_len"; exit 1; }
	ASAN_OPTIONS=detect_leaks=1 "$tmp/out/$t" -runs=0 "$tmp/seeds/$t" >"$tmp/run-$t.log" 2>&1 ||
		{ echo "$t: seed corpus run failed"; tail -20 "$tmp/run-$t.log"; exit 1; }
	grep -q "INITED" "$tmp/run-$t.log" || { echo "$t: did not load its corpus"; exit 1; }
done
[ "$n" -ge 8 ] || { echo "only $n targets"; exit 1; }
exit 0
