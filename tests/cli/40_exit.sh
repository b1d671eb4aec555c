# hvexit exit: JSON outcomes for hand-built exits (ESR values per Arm ARM
# D24.2.46; PSCI per DEN0022) and bad input.
set -u
H="$HVEXIT"
fail() { echo "FAIL: $*"; exit 1; }
has() { printf '%s' "$1" | grep -q -- "$2" || fail "want $2 in: $1"; }

# STR w1, [UART0]: EC 0x24, IL, ISV, SAS=2, SRT=1, WnR, DFSC 0x07.
o=$("$H" exit --esr 0x93810047 --hpfar 0x100000 --far 0x10000000 --reg x1=0x43 --pc 0x40000000 --json) || fail "store rc $?"
has "$o" '"action":"resume"'
has "$o" '"ipa":"0x10000000","len":4,"write":true,"data":"0x43"'
has "$o" '"pc":"0x40000004"'

# LDRSB x3 (SSE=1, SF=1, SAS=0) from VMM-served MMIO with data 0x80.
o=$("$H" exit --esr 0x93238007 --hpfar 0x90000 --far 0x09000000 --mmio-data 0x80 --json) || fail "ldrsb rc $?"
has "$o" '"x3":"0xffffffffffffff80"'
# Same without data: pending mmio, PC unchanged.
o=$("$H" exit --esr 0x93238007 --hpfar 0x90000 --far 0x09000000 --pc 0x40000100 --json)
has "$o" '"action":"mmio"'
has "$o" '"pending":true'
has "$o" '"pc":"0x40000100"'

# PSCI SYSTEM_OFF over HVC (EC 0x16).
o=$("$H" exit --esr 0x5a000000 --reg x0=0x84000008 --json) || fail "psci rc $?"
has "$o" '"action":"shutdown"'
# Unknown SMCCC function: NOT_SUPPORTED (-1) in x0.
o=$("$H" exit --esr 0x5a000000 --reg x0=0x8400ff00 --json)
has "$o" '"x0":"0xffffffffffffffff"'

# Unknown EC 0x3b: inject UNDEF, ESR_EL1 = EC 0 | IL = 0x2000000, vector
# VBAR_EL1(0) + 0x200 (EL1h), exit status 1 (a finding).
o=$("$H" exit --esr 0xee000000 --pc 0x40000010 --json); rc=$?
[ $rc -eq 1 ] || fail "unknown EC rc $rc"
has "$o" '"esr_el1":"0x2000000"'
has "$o" '"vector":"0x200"'
has "$o" '"elr_el1":"0x40000010"'

# Text mode shows the UART output.
"$H" exit --esr 0x93810047 --hpfar 0x100080 --far 0x10008000 --reg x1=0x43 --vcpu 1 | grep -q '^uart1: C' || fail "text uart1"

# Bad input: exit 2 with a message naming the input.
for args in "" "--esr zz" "--esr 1 --reg x31=1" "--esr 1 --vcpu 9" "--esr 1 --bogus" "--esr" "--esr 1 --insn 0x123456789"; do
	# shellcheck disable=SC2086
	"$H" exit $args >/dev/null 2>err; rc=$?
	[ $rc -eq 2 ] || fail "'$args': rc $rc"
	grep -q "hvexit exit:" err || fail "'$args': no message"
done
rm -f err
exit 0
