#!/bin/sh
# The main job on the bundled corpus (what `make demo` runs): every step
# uses the release CLI given as $1 on files under corpus/.
set -e
HV=${1:-build/rel/hvexit}
echo "== hvexit decode: ESR_EL2 values from the notes and seeds"
"$HV" decode 0x93c08046 0x5a00000a 0x62300d40 0x1fe00000 --far 0x10000158 --hpfar 0x100000
