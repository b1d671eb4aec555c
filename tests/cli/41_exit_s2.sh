# hvexit exit --s2 / --lazy: a real Stage-2 table (ESR per Arm ARM
# D24.2.46: EC [31:26], IL [25], ISV [24], SAS [23:22], SRT [20:16],
# SF [15], WnR [6], DFSC [5:0]; 0x07 translation level 3).
set -u
H="$HVEXIT"
fail() { echo "FAIL: $*"; exit 1; }
has() { printf '%s' "$1" | grep -q -- "$2" || fail "want $2 in: $1"; }

# LDR x1, [0x80003010] on LAZY RAM: mapped on demand, resumed at the same PC.
o=$("$H" exit --s2 --lazy 0x80000000:0x10000 --esr 0x93c18007 --hpfar 0x800030 \
	--far 0x80003010 --pc 0x40000100 --json) || fail "lazy rc $?"
has "$o" '"action":"resume"'
has "$o" '"pc":"0x40000100"'
has "$o" '"accesses":\[\]'
has "$o" '"findings":\[\]'

# Instruction fetch from the UART (a device, never mapped): instruction
# abort injected, EC 0x21 | IL | IFSC 0x10 = 0x86000010, vector 0x200.
o=$("$H" exit --s2 --esr 0x82000007 --hpfar 0x100000 --far 0x10000000 --pc 0x10000000 --json)
has "$o" '"esr_el1":"0x86000010"'
has "$o" '"vector":"0x200"'

# MMIO still emulated with Stage-2 on: STR w1 to UART0.
o=$("$H" exit --s2 --esr 0x93810047 --hpfar 0x100000 --far 0x10000000 --reg x1=0x43 --pc 0x40000000 --json) || fail "mmio rc $?"
has "$o" '"data":"0x43"'
has "$o" '"pc":"0x40000004"'

# Bad --lazy: clear error, status 2.
"$H" exit --s2 --lazy 0x80000800:0x1000 --esr 0x5a000000 2>/tmp/hvx_s2_err.$$; rc=$?
[ $rc -eq 2 ] || fail "misaligned lazy rc $rc"
grep -q "lazy" /tmp/hvx_s2_err.$$ || fail "lazy error text"
"$H" exit --lazy nonsense --esr 0x5a000000 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "bad lazy rc $rc"
rm -f /tmp/hvx_s2_err.$$
exit 0
