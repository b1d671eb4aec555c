#!/usr/bin/env bash
# `make coverage`: replay each fuzz target's corpus (corpus/fuzz/<t>/ and
# corpus/regressions/<t>/) through a clang source-coverage build, then
#   build/coverage/<t>/index.html   llvm-cov HTML for decoder/ and emu/
#   build/coverage/all/index.html   all targets together
#   build/coverage/summary.txt      one line per target: line and branch
#                                   coverage of decoder/ + emu/
# Usage: fuzz/coverage.sh [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata}
LLVM_COV=${LLVM_COV:-llvm-cov}
out=build/coverage
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/*.c; do
		t=$(basename "$f" .c); [ "$t" = driver ] || targets+=("$t")
	done
fi
bash fuzz/build-local.sh --modes cov "${targets[@]}" >/dev/null
rm -rf "$out"; mkdir -p "$out"
srcs=()
for d in decoder emu; do [ -d "$d" ] && srcs+=("$d"); done
objs=()
: >"$out/summary.txt"
for t in "${targets[@]}"; do
	bin=build/fuzz/cov/$t dirs=()
	for d in corpus/fuzz/$t corpus/regressions/$t; do [ -d "$d" ] && dirs+=("$d"); done
	LLVM_PROFILE_FILE="$out/$t.profraw" "$bin" "${dirs[@]}" >"$out/$t.log" 2>&1 ||
		echo "coverage: $t replay exited non-zero (see $out/$t.log)" >&2
	"$LLVM_PROFDATA" merge -sparse "$out/$t.profraw" -o "$out/$t.profdata"
	"$LLVM_COV" show -format=html -output-dir="$out/$t" \
		-instr-profile="$out/$t.profdata" "$bin" "${srcs[@]}" >/dev/null
	"$LLVM_COV" export -summary-only -instr-profile="$out/$t.profdata" \
		"$bin" "${srcs[@]}" >"$out/$t.json"
	python3 - "$t" "$out/$t.json" "${#dirs[@]}" <<'PY' | tee -a "$out/summary.txt"
import json, sys
t, path = sys.argv[1], sys.argv[2]
tot = json.load(open(path))["data"][0]["totals"]
l, b = tot["lines"], tot["branches"]
print("%-10s lines %5.1f%% (%d/%d)  branches %5.1f%% (%d/%d)  [decoder/ emu/]"
      % (t, l["percent"], l["covered"], l["count"],
         b["percent"], b["covered"], b["count"]))
PY
	objs+=(-object "$bin")
done
"$LLVM_PROFDATA" merge -sparse "$out"/*.profraw -o "$out/all.profdata"
"$LLVM_COV" show -format=html -output-dir="$out/all" \
	-instr-profile="$out/all.profdata" "${objs[@]:1}" "${srcs[@]}" >/dev/null
echo "coverage: HTML in $out/<target>/index.html and $out/all/index.html"
