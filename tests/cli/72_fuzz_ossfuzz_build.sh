# The ClusterFuzzLite / OSS-Fuzz build as the base-builder image runs it:
# .clusterfuzzlite/build.sh with $SRC/hvexit, $OUT, CC=clang, the image's
# ASan $CFLAGS and LIB_FUZZING_ENGINE=-fsanitize=fuzzer; every target is
# built (about 40 s on 2 cores, so make check builds all of them). Checks:
#   1 every fuzz/<t>.c gives an executable $OUT/<t>, a seed zip holding
#     exactly corpus/fuzz/<t>/ + corpus/regressions/<t>/, dict and options;
#   2 each fuzzer is self-contained, as the runner image needs (it has none
#     of the build's packages): its NEEDED entries are only the C/C++
#     runtime, no RPATH/RUNPATH, and ldd resolves nothing outside it;
#   3 each fuzzer loads its seeds (-runs=0) with an empty LD_LIBRARY_PATH
#     and, where this user may create a mount namespace, with every shared
#     library of capstone/jansson/libelf hidden (the dynamically linked
#     hvexit must then fail to start, which shows the hiding works);
#   4 a syntax error planted in fuzz/esr.c of a copy of the tree makes the
#     build exit non-zero.
command -v clang >/dev/null && command -v unzip >/dev/null && command -v readelf >/dev/null ||
	{ echo "clang, unzip or readelf missing"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out" "$tmp/src"
ln -s "$(pwd)" "$tmp/src/hvexit"
builder_env() {	# the variables base-builder sets for an ASan libFuzzer build
	env SRC="$1" OUT="$2" CC=clang CXX=clang++ SANITIZER=address FUZZING_ENGINE=libfuzzer \
		CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" \
		LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash .clusterfuzzlite/build.sh
}
builder_env "$tmp/src" "$tmp/out" >"$tmp/build.log" 2>&1 ||
	{ echo ".clusterfuzzlite/build.sh failed"; tail -20 "$tmp/build.log"; exit 1; }

# What the runner image provides: glibc's libraries, the C++ runtime and
# libgcc_s (which libstdc++ itself needs), and the dynamic loader.
runtime='^(libc|libm|libpthread|libdl|librt|libstdc\+\+|libgcc_s)\.so\.[0-9]+$|^ld-linux-x86-64\.so\.2$|^linux-vdso\.so\.1$'
# The packages' shared libraries (real files), to hide in step 3.
LIBS=$(for l in $(pkg-config --libs-only-l capstone jansson libelf); do
	for d in $(pkg-config --variable=libdir capstone) /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu; do
		for so in "$d/lib${l#-l}".so.*; do [ -f "$so" ] && readlink -f "$so"; done
	done
done | sort -u | tr '\n' ' ')
export LIBS
hide_ok=0
if [ -n "$LIBS" ] && unshare -m true 2>/dev/null; then hide_ok=1; fi
# run "$@" with the packages' shared libraries hidden (bind-mounted empty files)
hidden() {
	unshare -m sh -c 'for so in $LIBS; do mount --bind /dev/null "$so" || exit 97; done; exec "$@"' sh "$@"
}
if [ $hide_ok -eq 1 ]; then
	# the check can fail: the dynamically linked CLI must not start there
	if hidden "$HVEXIT" --version >"$tmp/hide.log" 2>&1; then
		echo "hiding $LIBS did not stop the dynamically linked hvexit"; exit 1
	fi
	grep -q "error while loading shared libraries" "$tmp/hide.log" ||
		{ echo "hidden libraries: unexpected failure"; cat "$tmp/hide.log"; exit 1; }
else
	echo "note: no mount namespace here; the packages' libraries are not hidden (NEEDED/ldd checks only)"
fi

n=0
for f in fuzz/*.c; do
	t=$(basename "$f" .c)
	[ "$t" = driver ] && continue
	n=$((n + 1))
	fz=$tmp/out/$t
	[ -x "$fz" ] || { echo "$t: no fuzzer in \$OUT"; exit 1; }
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

	# 2 self-contained
	needed=$(readelf -d "$fz" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	[ -n "$needed" ] || { echo "$t: readelf shows no NEEDED entries"; exit 1; }
	extra=$(echo "$needed" | grep -Ev "$runtime" || true)
	[ -z "$extra" ] || { echo "$t: needs libraries the runner image lacks:" $extra; exit 1; }
	! readelf -d "$fz" | grep -Eq '\((RPATH|RUNPATH)\)' || { echo "$t: has an RPATH/RUNPATH"; exit 1; }
	ldd "$fz" >"$tmp/ldd-$t" 2>&1 || { echo "$t: ldd failed"; cat "$tmp/ldd-$t"; exit 1; }
	bad=$(awk '{print $1}' "$tmp/ldd-$t" | sed 's|.*/||' | grep -Ev "$runtime" || true)
	[ -z "$bad" ] || { echo "$t: ldd resolves" $bad; exit 1; }

	# 3 runs on its seeds without the packages
	if [ $hide_ok -eq 1 ]; then
		hidden env LD_LIBRARY_PATH= ASAN_OPTIONS=detect_leaks=1 "$fz" -runs=0 "$tmp/seeds/$t" >"$tmp/run-$t.log" 2>&1
	else
		env LD_LIBRARY_PATH= ASAN_OPTIONS=detect_leaks=1 "$fz" -runs=0 "$tmp/seeds/$t" >"$tmp/run-$t.log" 2>&1
	fi || { echo "$t: seed corpus run failed"; tail -20 "$tmp/run-$t.log"; exit 1; }
	grep -q "INITED" "$tmp/run-$t.log" || { echo "$t: did not load its corpus"; exit 1; }
done
[ "$n" -ge 8 ] || { echo "only $n targets"; exit 1; }

# 4 a build error fails the build (a copy of the tree; the fuzz targets are
# compiled first, so this stops within seconds)
mkdir -p "$tmp/bad/src/hvexit" "$tmp/bad/out"
cp -r .clusterfuzzlite fuzz decoder emu harness include "$tmp/bad/src/hvexit/"
echo "int planted_error(void) { return }" >>"$tmp/bad/src/hvexit/fuzz/esr.c"
if builder_env "$tmp/bad/src" "$tmp/bad/out" >"$tmp/bad.log" 2>&1; then
	echo "build with a syntax error in fuzz/esr.c exited 0"; tail -5 "$tmp/bad.log"; exit 1
fi
grep -q "fuzz/esr.c:.*error" "$tmp/bad.log" || { echo "planted error not reported"; tail -5 "$tmp/bad.log"; exit 1; }
[ ! -e "$tmp/bad/out/esr" ] || { echo "a fuzzer was written despite the error"; exit 1; }
exit 0
