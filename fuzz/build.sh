#!/bin/bash
# OSS-Fuzz / ClusterFuzzLite build script. The builder image provides
# $CC, $CXX, $CFLAGS (sanitizer + coverage flags), $LIB_FUZZING_ENGINE,
# $SRC and $OUT; this compiles every fuzz target and the project's library
# sources with them and writes, per target <t>:
#   $OUT/<t>                   the fuzzer
#   $OUT/<t>_seed_corpus.zip   corpus/fuzz/<t>/ (+ corpus/regressions/<t>/)
#   $OUT/<t>.dict              fuzz/<t>.dict, if present
#   $OUT/<t>.options           fuzz/<t>.options, if present
#
# Fuzzers are self-contained: they run in the runner image, which has none
# of the build's packages, so capstone, jansson, libelf and libzstd (and what their
# pkg-config --static names, e.g. zlib) are linked from their static
# archives (Debian and Ubuntu ship them in the -dev packages); only the C
# and C++ runtime stays dynamic. A missing archive stops the build.
#
# Any error stops the build with a non-zero exit (set -e here: a `#!/bin/bash
# -eu` line is ignored when the script is run as `bash build.sh`). The fuzz
# targets are compiled first, so an error in one shows within seconds.
#
# Local try-out (libFuzzer):
#   SRC=$PWD/.. OUT=/tmp/out CC=clang CXX=clang++ \
#   CFLAGS="-fsanitize=address -fsanitize=fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash fuzz/build.sh
# The project is expected at $SRC/hvexit (or set PROJECT_DIR).
set -euo pipefail
PROJECT_DIR=${PROJECT_DIR:-$SRC/hvexit}
cd "$PROJECT_DIR"
: "${CFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}" "${OUT:?}"
PKGS="capstone jansson libelf libzstd"

pkg-config --exists $PKGS || { echo "build.sh: pkg-config finds no $PKGS (install their -dev packages)" >&2; exit 1; }
read -r -a inc <<<"-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -I. $(pkg-config --cflags $PKGS)"
# -lX of the packages -> the path of libX.a (from the compiler's search path)
static=()
for l in $(pkg-config --static --libs-only-l $PKGS); do
	a=$($CC -print-file-name="lib${l#-l}.a")
	[ "$a" != "lib${l#-l}.a" ] || { echo "build.sh: no static lib${l#-l}.a for $l" >&2; exit 1; }
	static+=("$a")
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

targets=()
for f in fuzz/*.c; do
	t=$(basename "$f" .c)
	[ "$t" = driver ] && continue
	# shellcheck disable=SC2086
	$CC $CFLAGS "${inc[@]}" -c "$f" -o "$work/fuzz_$t.o"
	targets+=("$t")
done
[ ${#targets[@]} -gt 0 ] || { echo "build.sh: no fuzz/*.c targets" >&2; exit 1; }

# the library: the folders mk/sources.mk names (not the CLI, not KVM)
lib_src=$(make -s -f mk/sources.mk print-lib-src)
objs=()
for f in $lib_src; do
	o=$work/$(echo "$f" | tr / _).o
	# shellcheck disable=SC2086
	$CC $CFLAGS "${inc[@]}" -c "$f" -o "$o"
	objs+=("$o")
done
# An archive, so each fuzzer links only the objects it uses (fewer
# coverage counters for the engine to scan per run).
${AR:-ar} rcs "$work/libhvexit.a" "${objs[@]}"

for t in "${targets[@]}"; do
	# shellcheck disable=SC2086
	${CXX:-$CC} $CFLAGS "$work/fuzz_$t.o" "$work/libhvexit.a" $LIB_FUZZING_ENGINE \
		"${static[@]}" -ldl -lpthread -lm -o "$OUT/$t"
	rm -f "$OUT/${t}_seed_corpus.zip"
	for d in corpus/fuzz/$t corpus/regressions/$t; do
		if [ -d "$d" ]; then (cd "$d" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*); fi
	done
	if [ -f "fuzz/$t.dict" ]; then cp "fuzz/$t.dict" "$OUT/$t.dict"; fi
	if [ -f "fuzz/$t.options" ]; then cp "fuzz/$t.options" "$OUT/$t.options"; fi
	echo "build.sh: $OUT/$t"
done
