#!/bin/sh
# The main job on the bundled corpus (what `make demo` runs): every step
# uses the release CLI given as $1 on files under corpus/.
set -e
HV=${1:-build/rel/hvexit}
echo "== hvexit decode: ESR_EL2 values from the notes and seeds"
"$HV" decode 0x93c08046 0x5a00000a 0x62300d40 0x1fe00000 --far 0x10000158 --hpfar 0x100000
echo "== hvexit decode --json: MRS MPIDR_EL1 trap, HVC #0, BRK #0x800"
"$HV" decode --json 0x623a0021 0x5a000000 0xf2000800
echo "== hvexit decode: the $(grep -vc '^#' corpus/vectors/esr.tsv) bundled ESR vectors (JSON Lines, first 3)"
cut -f1 corpus/vectors/esr.tsv | grep -v '^#' | "$HV" decode --json - | head -3
