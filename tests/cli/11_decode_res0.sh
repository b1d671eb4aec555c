#!/bin/sh
# hvexit decode --json reports set RES0 bits without failing (D24.2.46:
# ESR_EL2[63:56] RES0; MSR/MRS ISS "Bits [24:22] Reserved, RES0")
# and uses the sourced SError/SYS128 layouts.
set -e
H=${HVEXIT:?}
"$H" decode --json 0xff00000093c08046 0x6272c001 0x93c08046 0xbe000011 | python3 -c '
import json, sys
L = [json.loads(l) for l in sys.stdin]
assert L[0]["res0_nonzero"] is True and L[0]["res0_bits"] == "0xff00000000000000", L[0]
assert L[0]["fields"]["srt"] == 0 and L[0]["fsc"]["type"] == "translation", L[0]
assert L[1]["res0_nonzero"] is True and L[1]["res0_bits"] == "0x400000", L[1]
assert L[1]["sysreg"] == "CTR_EL0", L[1]
assert L[2]["res0_nonzero"] is False and "res0_bits" not in L[2], L[2]
# QEMU syn_serror(0x11): DFSC 0x11 is "asynchronous SError", not tag check
assert L[3]["fsc"] == {"code": 17, "type": "async_serror", "level": None}, L[3]
'
"$H" decode 0xff00000093c08046 | grep -q "RES0 bits set 0xff00000000000000"
exit 0
