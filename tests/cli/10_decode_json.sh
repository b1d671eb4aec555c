#!/bin/sh
# hvexit decode --json: keys and values hand-derived from Arm ARM D24.2.46
# ESR_EL2 (layouts) and D24.2.76 HPFAR_EL2 (IPA = FIPA << 12 | FAR[11:0]).
set -e
H=${HVEXIT:?}
# KVM note MMIO store: EC 0x24, ISV=1 SAS=3 SRT=0 SF=1 WnR=1 DFSC=0x06 (L2 translation)
"$H" decode --json 0x93c08046 --far 0x10000158 --hpfar 0x100000 | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
for k in ("esr","ec","ec_name","il","iss","iss2","reserved","fields","fsc","ipa"):
    assert k in o, k
assert o["esr"] == "0x93c08046" and o["ec"] == 0x24 and o["ec_name"] == "DABT_LOW", o
assert o["il"] == 1 and o["iss"] == 0x1c08046 and o["iss2"] == 0 and o["reserved"] is False
f = o["fields"]
assert (f["isv"], f["sas"], f["sse"], f["srt"], f["sf"], f["ar"], f["wnr"], f["dfsc"], f["s1ptw"], f["cm"], f["ea"], f["lst"], f["vncr"]) == (1,3,0,0,1,0,1,6,0,0,0,0,0), f
# DFSC 0x06 is a Translation fault: bits [12:11] are LST, FnV is RES0 (only
# with DFSC 0b010000); the ISS2 fields are all listed, zero or not
assert "set" not in f and "fnv" not in f, f
assert all(f[k] == 0 for k in ("hdbssf","tnd","tagaccess","gcs","assuredonly","overlay","dirtybit","xs")), f
assert o["fsc"] == {"code": 6, "type": "translation", "level": 2}, o["fsc"]
assert o["ipa"] == "0x10000158", o["ipa"]
'
# 0x92000806: LST = 0b01 (ST64BV) with DFSC 0x06; 0x92001010: SET = 0b10 (UC)
# with DFSC 0x10 (synchronous External abort), and FnV exists there
"$H" decode --json 0x92000806 0x92001410 | python3 -c '
import json, sys
L = [json.loads(l) for l in sys.stdin]
assert L[0]["fields"]["lst"] == 1 and "set" not in L[0]["fields"], L[0]
assert L[1]["fields"]["set"] == 2 and L[1]["fields"]["fnv"] == 1 and "lst" not in L[1]["fields"], L[1]
'
# MRS X1, MPIDR_EL1 trapped: op0=3 op2=5 op1=0 CRn=0 Rt=1 CRm=0 Direction=1
"$H" decode --json 0x623a0021 | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["ec_name"] == "SYS64" and o["ec"] == 0x18, o
f = o["fields"]
assert (f["op0"], f["op2"], f["op1"], f["crn"], f["rt"], f["crm"], f["direction"]) == (3,5,0,0,1,0,1), f
assert o["sysreg"] == "MPIDR_EL1", o.get("sysreg")
'
# HVC #0xa, WFI, reserved EC 0x02, RES0 top bits, instruction abort L1 permission
"$H" decode --json 0x5a00000a 0x06000000 0x0a000000 0xff00000093c08046 0x8200000d | python3 -c '
import json, sys
L = [json.loads(l) for l in sys.stdin]
assert len(L) == 5
assert L[0]["ec_name"] == "HVC64" and L[0]["fields"] == {"imm16": 10}, L[0]
assert L[1]["ec_name"] == "WFx" and L[1]["fields"]["ti"] == 0, L[1]
assert L[2]["reserved"] is True and L[2]["ec"] == 2 and L[2]["fields"] == {}, L[2]
assert L[3]["ec_name"] == "DABT_LOW" and L[3]["fields"]["dfsc"] == 6, L[3]
assert L[4]["ec_name"] == "IABT_LOW" and L[4]["fsc"] == {"code": 13, "type": "permission", "level": 1}, L[4]
'
# HVC #0 with x0 = 0xc4000003 (DEN0022 PSCI CPU_ON, SMC64): DEN0028 bit 31
# fast, bit 30 SMC64, owner [29:24] = 4 (standard secure), number [15:0] = 3
"$H" decode --json 0x5a000000 --x0 0xc4000003 | python3 -c '
import json, sys
c = json.loads(sys.stdin.read())["smccc"]
assert (c["fast"], c["smc64"], c["owner"], c["number"], c["psci"]) == (True, True, 4, 3, "CPU_ON"), c
'
exit 0
