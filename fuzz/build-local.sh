#!/usr/bin/env bash
# Build every fuzz target (fuzz/<t>.c except driver.c) four ways:
#   build/fuzz/libfuzzer/<t>  clang -fsanitize=fuzzer,address,undefined
#   build/fuzz/afl/<t>        afl-clang-fast, persistent mode through AFL++'s
#                             libAFLDriver (-fsanitize=fuzzer), ASan+UBSan
#   build/fuzz/replay/<t>     clang ASan+UBSan + fuzz/driver.c (files/dirs)
#   build/fuzz/cov/<t>        clang source-based coverage + fuzz/driver.c,
#                             used by `make coverage`
# The project's library sources (mk/sources.mk: decoder/, emu/ and the
# harness rooms below the CLI and the KVM backend) are compiled here with each mode's compiler and flags; no
# gcc object from the main build is reused.
#
# Usage: fuzz/build-local.sh [--modes libfuzzer,afl,replay,cov] [--jobs N]
#                            [target ...]
# Environment: CLANG (clang), AFL_CC (afl-clang-fast), OUT (build/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

CLANG=${CLANG:-clang}
AFL_CC=${AFL_CC:-afl-clang-fast}
OUT=${OUT:-build/fuzz}
modes=libfuzzer,afl,replay,cov
jobs=2
targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--modes) modes=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
	-*) echo "build-local: unknown option '$1'" >&2; exit 2 ;;
	*) targets+=("$1"); shift ;;
	esac
done
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/*.c; do
		t=$(basename "$f" .c)
		[ "$t" = driver ] || targets+=("$t")
	done
fi
for t in "${targets[@]}"; do
	[ -f "fuzz/$t.c" ] || { echo "build-local: no fuzz/$t.c" >&2; exit 2; }
done

# shellcheck disable=SC2207
lib_src=($(make -s -f mk/sources.mk print-lib-src))

PKG_CFLAGS=$(pkg-config --cflags capstone jansson libelf libzstd 2>/dev/null || true)
PKG_LIBS=$(pkg-config --libs capstone jansson libelf libzstd 2>/dev/null || true)
BASE="-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -I. \
$PKG_CFLAGS -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
LIBS="$PKG_LIBS -ldl -lpthread -lm"

# compile CC FLAGS OBJDIR SRC...: parallel compile into OBJDIR, echo objects
compile() {
	local cc=$1 flags=$2 dir=$3; shift 3
	mkdir -p "$dir"
	printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh -c \
		'o="$0/$(echo "{}" | tr / _ | sed "s/\.c$/.o/")"; '"$cc $flags"' -c "{}" -o "$o"' "$dir"
	local s
	for s in "$@"; do
		echo "$dir/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
	done
}

build_mode() {
	local mode=$1 cc=$2 libflags=$3 tflags=$4 link=$5 driver=$6
	local dir=$OUT/$mode objs=() t dobj=""
	echo "== fuzz build: $mode (${targets[*]})"
	mkdir -p "$dir"
	mapfile -t objs < <(compile "$cc" "$BASE $libflags" "$dir/obj" "${lib_src[@]}")
	if [ -n "$driver" ]; then
		dobj=$(compile "$cc" "$BASE $libflags" "$dir/obj" fuzz/driver.c)
	fi
	# Fuzzers link the library as an archive, so each takes only the
	# objects it uses: libFuzzer scans every instrumented counter after
	# each run, and the whole library (Capstone cross-check, jansson
	# traces...) made small targets 10-30 % slower (dabt, insn, s2walk).
	# Replay and coverage builds link every object: coverage reports are
	# over all of decoder/ and emu/.
	local link_objs=("${objs[@]}")
	if [ "$mode" = libfuzzer ] || [ "$mode" = afl ]; then
		rm -f "$dir/obj/libhvexit.a"
		${AR:-ar} rcs "$dir/obj/libhvexit.a" "${objs[@]}"
		link_objs=("$dir/obj/libhvexit.a")
	fi
	for t in "${targets[@]}"; do
		$cc $BASE $tflags -c "fuzz/$t.c" -o "$dir/obj/fuzz_$t.o"
		# shellcheck disable=SC2086
		$cc $link -o "$dir/$t" "$dir/obj/fuzz_$t.o" $dobj "${link_objs[@]}" $LIBS
	done
}

IFS=, read -r -a mode_list <<<"$modes"
for m in "${mode_list[@]}"; do
	case "$m" in
	libfuzzer)
		build_mode libfuzzer "$CLANG" "$SAN -fsanitize=fuzzer-no-link" \
			"$SAN -fsanitize=fuzzer" "$SAN -fsanitize=fuzzer" "" ;;
	afl)
		if ! command -v "$AFL_CC" >/dev/null; then
			echo "build-local: $AFL_CC not found, skipping afl" >&2
			continue
		fi
		# AFL++ persistent mode via libAFLDriver: afl-clang-fast
		# -fsanitize=fuzzer links AFL's driver instead of libFuzzer.
		AFL_QUIET=1 build_mode afl "$AFL_CC" "$SAN" "$SAN -fsanitize=fuzzer" \
			"$SAN -fsanitize=fuzzer" "" ;;
	replay)
		build_mode replay "$CLANG" "$SAN" "$SAN" "$SAN" driver ;;
	cov)
		build_mode cov "$CLANG" "-fprofile-instr-generate -fcoverage-mapping" \
			"-fprofile-instr-generate -fcoverage-mapping" \
			"-fprofile-instr-generate -fcoverage-mapping" driver ;;
	*) echo "build-local: unknown mode '$m'" >&2; exit 2 ;;
	esac
done
echo "== fuzz build done: $OUT/{${modes}}/<target>"
