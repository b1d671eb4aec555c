#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script. The builder image provides
# $CC, $CFLAGS (sanitizer + coverage flags), $LIB_FUZZING_ENGINE, $SRC and
# $OUT; this compiles the project's library sources and every fuzz target
# with them and writes, per target <t>:
#   $OUT/<t>                   the fuzzer
#   $OUT/<t>_seed_corpus.zip   corpus/fuzz/<t>/ (+ corpus/regressions/<t>/)
#   $OUT/<t>.dict              fuzz/<t>.dict, if present
#   $OUT/<t>.options           fuzz/<t>.options, if present
# Local try-out (libFuzzer):
#   SRC=$PWD/.. OUT=/tmp/out CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash fuzz/build.sh
# The project is expected at $SRC/hvexit (or set PROJECT_DIR).
PROJECT_DIR=${PROJECT_DIR:-$SRC/hvexit}
cd "$PROJECT_DIR"
: "${CFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"

inc="-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -I. \
$(pkg-config --cflags capstone jansson libelf 2>/dev/null || true)"
libs="$(pkg-config --libs capstone jansson libelf 2>/dev/null || true) -ldl -lpthread -lm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

objs=()
for f in $(make -s -f mk/sources.mk print-lib-src); do
	o=$work/$(echo "$f" | tr / _).o
	# shellcheck disable=SC2086
	$CC $CFLAGS $inc -c "$f" -o "$o"
	objs+=("$o")
done

# An archive, so each fuzzer links only the objects it uses (fewer
# coverage counters for the engine to scan per run).
${AR:-ar} rcs "$work/libhvexit.a" "${objs[@]}"

for f in fuzz/*.c; do
	t=$(basename "$f" .c)
	[ "$t" = driver ] && continue
	# shellcheck disable=SC2086
	$CC $CFLAGS $inc -c "$f" -o "$work/fuzz_$t.o"
	# shellcheck disable=SC2086
	${CXX:-$CC} $CFLAGS "$work/fuzz_$t.o" "$work/libhvexit.a" $LIB_FUZZING_ENGINE \
		$libs -o "$OUT/$t"
	rm -f "$OUT/${t}_seed_corpus.zip"
	for d in corpus/fuzz/$t corpus/regressions/$t; do
		[ -d "$d" ] && (cd "$d" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
	done
	[ -f "fuzz/$t.dict" ] && cp "fuzz/$t.dict" "$OUT/$t.dict"
	[ -f "fuzz/$t.options" ] && cp "fuzz/$t.options" "$OUT/$t.options"
	echo "build.sh: $OUT/$t"
done
