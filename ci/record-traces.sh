#!/bin/sh
# (Re)record the seed-scenario traces under corpus/traces/ with the
# release CLI. Run from the top of the tree after `make`; review the diff.
set -e
H=${HVEXIT:-build/rel/hvexit}
mkdir -p corpus/traces
for s in seed000 seed003 psci-off ldp-isv0; do
	"$H" record "$s" -o "corpus/traces/$s.jsonl"
done
