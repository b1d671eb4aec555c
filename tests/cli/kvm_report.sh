# ci/kvm-report.py: a guest FAIL with findings passes only when every
# finding is in the baseline; a NEW finding fails; markers are required.
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
cat >"$d/log" <<'LOG'
noise before
HVEXIT-KVM-BEGIN
{"kernel":"Linux 6.1.0-test arm64"}
{"guest":"a","status":"PASS","findings":[]}
{"guest":"b","status":"FAIL","end":"shutdown","findings":[{"what":"load-result","detail":"vCPU 0 ldsb w0: x"}]}
{"guest":"c","status":"SKIP","reason":"no emulator","findings":[]}
HVEXIT-KVM-END
LOG
echo "b load-result ldsb" >"$d/base"
python3 ci/kvm-report.py "$d/log" "$d/base" t >"$d/out" || { cat "$d/out"; echo "baselined run failed"; exit 1; }
grep -q "^b  *KNOWN" "$d/out" || { cat "$d/out"; echo "b not KNOWN"; exit 1; }
grep -q "kernel: Linux 6.1.0-test" "$d/out" || { echo "kernel line missing"; exit 1; }
echo "b load-result ldsh" >"$d/base"
python3 ci/kvm-report.py "$d/log" "$d/base" t >"$d/out" && { cat "$d/out"; echo "unbaselined finding passed"; exit 1; }
grep -q "\[NEW\] load-result" "$d/out" || { echo "NEW finding not listed"; exit 1; }
printf 'HVEXIT-KVM-BEGIN\n' >"$d/empty"
python3 ci/kvm-report.py "$d/empty" "$d/base" t >/dev/null && { echo "empty log passed"; exit 1; }
exit 0
