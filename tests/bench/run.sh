#!/bin/sh
# Runs every benchmark binary; each prints its table to stdout and writes a
# JSON object to $BENCH_OUT/<name>.json. The objects are merged into
# bench.json at the top of the tree.
set -e
out=build/rel/bench/json
mkdir -p "$out"
rm -f "$out"/*.json
for b in "$@"; do
	name=$(basename "$b")
	echo "== $name"
	BENCH_OUT="$out" "$b"
done
{
	printf '{\n'
	first=1
	for j in "$out"/*.json; do
		[ -f "$j" ] || continue
		[ $first -eq 1 ] || printf ',\n'
		first=0
		printf '  "%s": ' "$(basename "$j" .json)"
		cat "$j"
	done
	printf '\n}\n'
} > bench.json
echo "bench: results in bench.json"
