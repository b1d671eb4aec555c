# ci/kvm-report.py: the suite inside the guest kernel has applied the
# baseline, so a KNOWN guest passes; the TAP 13 block of `kvm suite --tap`
# must be well-formed (plan = test points, in order); a FAIL with a new finding fails, an
# incomplete log fails; in the matrix a kernel that could not be fetched is
# a SKIP column that does not fail, and stale baseline entries are named
# per kernel ("not reproduced on LABEL: fixed?").
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
cat >"$d/ok" <<'LOG'
noise before
HVEXIT-KVM-BEGIN
{"kernel":"Linux 6.1.0-test arm64"}
{"guest":"a","status":"PASS","findings":[]}
{"guest":"b","status":"KNOWN","end":"shutdown","findings":[{"what":"load-result","cluster":"ldsb","detail":"vCPU 0 ldsb w0: x","known":true}]}
{"guest":"c","status":"SKIP","reason":"no vGICv2","findings":[]}
{"stale":"case gic guest-check check 9"}
HVEXIT-TAP-BEGIN
TAP version 13
1..2
# hvexit kvm suite
ok 1 - a
not ok 2 - b # TODO known: 1 baselined finding
HVEXIT-TAP-END 0
HVEXIT-KVM-END
LOG
cat >"$d/new" <<'LOG'
HVEXIT-KVM-BEGIN
{"kernel":"Linux 7.2.0-test arm64"}
{"guest":"c","status":"FAIL","findings":[{"what":"guest-check","cluster":"check 3","detail":"vCPU 0 check 3: observed 0x1","known":false}]}
HVEXIT-KVM-END
LOG
python3 ci/kvm-report.py --timing t "k1=$d/ok" >"$d/out" || { cat "$d/out"; echo "baselined run failed"; exit 1; }
grep -q "^b  *KNOWN" "$d/out" || { cat "$d/out"; echo "b not KNOWN"; exit 1; }
grep -q "kernel: Linux 6.1.0-test" "$d/out" || { echo "kernel line missing"; exit 1; }
grep -q "not reproduced on k1: fixed? case gic" "$d/out" || { cat "$d/out"; echo "stale entry not named"; exit 1; }
grep -Eq "^\(tap\) +PASS" "$d/out" || { cat "$d/out"; echo "well-formed TAP block not PASS"; exit 1; }
sed 's/^1\.\.2$/1..3/' "$d/ok" >"$d/badtap"
python3 ci/kvm-report.py "k1=$d/badtap" >"$d/out" && { cat "$d/out"; echo "TAP plan mismatch passed"; exit 1; }
python3 ci/kvm-report.py --timing t "k2=$d/new" >"$d/out" && { cat "$d/out"; echo "new finding passed"; exit 1; }
grep -q "\[NEW\] guest-check" "$d/out" || { echo "NEW finding not listed"; exit 1; }
printf 'HVEXIT-KVM-BEGIN\n{"guest":"a","status":"PASS","findings":[]}\n' >"$d/cut"
python3 ci/kvm-report.py "k1=$d/cut" >/dev/null && { echo "incomplete log passed"; exit 1; }
# matrix: a column per kernel; the boot where a guest ran decides its cell
python3 ci/kvm-report.py --matrix "k1@5=$d/ok" "k3=SKIP:no network" >"$d/out" ||
	{ cat "$d/out"; echo "matrix with a skipped kernel failed"; exit 1; }
grep -Eq "^b +KNOWN +SKIP" "$d/out" || { cat "$d/out"; echo "matrix row b wrong"; exit 1; }
grep -q "k3: SKIP (kernel not available: no network)" "$d/out" || { cat "$d/out"; echo "no SKIP line"; exit 1; }
python3 ci/kvm-report.py --matrix "k1=$d/ok,$d/new" >"$d/out" && { cat "$d/out"; echo "matrix FAIL passed"; exit 1; }
grep -Eq "^c +FAIL" "$d/out" || { cat "$d/out"; echo "FAIL boot did not decide c"; exit 1; }
python3 ci/kvm-report.py >/dev/null 2>&1; [ $? -eq 2 ] || { echo "no arguments: want exit 2"; exit 1; }
exit 0
