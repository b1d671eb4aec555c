# hvexit import --ftrace of the hand-made ftrace text (real TP_printk
# formats of Linux 6.1), then replay: KVM's reported MMIO length,
# direction and address must agree with the decoded ESR (Arm ARM D24.2.46).
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib/finding.sh"
IN=corpus/ftrace/handmade-seed000.txt
"$HVEXIT" import --ftrace "$IN" -o "$T/imp.jsonl" 2>"$T/err" || { cat "$T/err"; echo "import failed"; exit 1; }
grep -q "9 exits on 2 vCPUs" "$T/err" || { cat "$T/err"; echo "want 9 exits on 2 vCPUs"; exit 1; }
grep -q "skipped 7 unknown/unattached 'kvm_entry'" "$T/err" || { cat "$T/err"; echo "unknown events not counted"; exit 1; }
head -1 "$T/imp.jsonl" | grep -q '"source":"ftrace"' || { echo "header source"; exit 1; }
# kvm_guest_fault hsr becomes exit.esr; HPFAR = (ipa >> 12) << 4 (FIPA).
grep -q '"esr":"0x93810046","far":"0x10008000","hpfar":"0x100080"' "$T/imp.jsonl" || { echo "fault fields"; exit 1; }
# the read completion supplies the VMM's data
grep -q '"mmio_data":\["0x90"\]' "$T/imp.jsonl" || { echo "mmio read data"; exit 1; }
"$HVEXIT" replay "$T/imp.jsonl" >"$T/out" 2>&1 || { cat "$T/out"; echo "consistent capture must replay clean"; exit 1; }
# A 4-byte store (SAS=2) reported as an 8-byte MMIO: exit 1, names the event.
sed 's/mmio write len 4 gpa 0x10008000 val 0x31/mmio write len 8 gpa 0x10008000 val 0x31/' "$IN" > "$T/bad.txt"
"$HVEXIT" import --ftrace "$T/bad.txt" -o "$T/bad.jsonl" --quiet || exit 1
"$HVEXIT" replay "$T/bad.jsonl" >"$T/out" 2>&1; rc=$?
[ $rc -eq 1 ] || { cat "$T/out"; echo "want exit 1, got $rc"; exit 1; }
expect_finding "$T/out" "kvm.mmio[0].len" 0x4 0x8 ": seq 3 vcpu 1$" || exit 1
grep -q "SAS=2 (4 bytes)" "$T/out" || { cat "$T/out"; echo "decoded exit missing"; exit 1; }
# A load reported as a write (WnR=0 in ESR 0x93800006).
sed 's/mmio unsatisfied-read len 4 gpa 0x10000018/mmio write len 4 gpa 0x10000018/' "$IN" > "$T/dir.txt"
"$HVEXIT" import --ftrace "$T/dir.txt" -o "$T/dir.jsonl" --quiet || exit 1
"$HVEXIT" replay "$T/dir.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "direction: want 1"; exit 1; }
expect_finding "$T/out" "kvm.mmio[0].write" false true || exit 1
# Wrong address: FAR[11:0] is 0x018, KVM says 0x01c.
sed 's/gpa 0x10000018 val 0x90/gpa 0x1000001c val 0x90/' "$IN" > "$T/adr.txt"
"$HVEXIT" import --ftrace "$T/adr.txt" -o "$T/adr.jsonl" --quiet || exit 1
"$HVEXIT" replay "$T/adr.jsonl" >"$T/out" 2>&1; [ $? -eq 1 ] || { cat "$T/out"; echo "address: want 1"; exit 1; }
expect_finding "$T/out" "kvm.mmio[1].gpa" 0x10000018 0x1000001c || exit 1
# Baseline: accept the known difference, then exit 0.
"$HVEXIT" replay "$T/bad.jsonl" --baseline "$T/base.json" --update-baseline >/dev/null 2>&1 || { echo "update-baseline failed"; exit 1; }
"$HVEXIT" replay "$T/bad.jsonl" --baseline "$T/base.json" >"$T/out" 2>&1 || { cat "$T/out"; echo "baselined difference must pass"; exit 1; }
"$HVEXIT" replay "$T/bad.jsonl" "$T/dir.jsonl" --baseline "$T/base.json" >"$T/out" 2>&1; [ $? -eq 1 ] || { echo "new difference must fail despite baseline"; exit 1; }
# JUnit and JSON reports
"$HVEXIT" replay "$T/bad.jsonl" --json --junit "$T/j.xml" >"$T/out.json" 2>/dev/null; [ $? -eq 1 ] || exit 1
grep -q '"field": "kvm.mmio\[0\].len"' "$T/out.json" || { cat "$T/out.json"; echo "json report"; exit 1; }
grep -q '<failure type="finding" message="1 new finding, 1 cause">' "$T/j.xml" || { cat "$T/j.xml"; echo "junit"; exit 1; }
# No KVM events at all: clear error, exit 2.
echo "not a trace" > "$T/junk.txt"
"$HVEXIT" import --ftrace "$T/junk.txt" -o "$T/x.jsonl" 2>"$T/err"; [ $? -eq 2 ] || { echo "junk import: want 2"; exit 1; }
grep -q "no TRAP kvm_exit" "$T/err" || { cat "$T/err"; exit 1; }
# --trace-dat on something that is not a trace.dat: clear error, exit 2.
"$HVEXIT" import --trace-dat "$IN" -o "$T/x.jsonl" 2>"$T/err"; [ $? -eq 2 ] || { echo "trace-dat junk: want 2"; exit 1; }
grep -q "not a readable trace-cmd trace.dat\|libtracecmd is not installed" "$T/err" || { cat "$T/err"; exit 1; }
exit 0
