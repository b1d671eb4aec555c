# ci/kvm-fuzz (the real-KVM differential fuzzer under QEMU) on bad input:
# a one-line error and exit 2 before anything is built or booted; a
# missing kernel is a SKIP (exit 0 with --skip-ok, 2 without). The
# nightly job asks for >= 100 000 checked exits.
cd "$(dirname "$0")/../.." || exit 1
fail() { echo "$*"; exit 1; }

out=$(bash ci/kvm-fuzz --steps 12x 2>&1); rc=$?
[ $rc -eq 2 ] || fail "--steps 12x: want exit 2, got $rc: $out"
[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "--steps 12x: want one line, got: $out"
echo "$out" | grep -q "not a decimal number" || fail "--steps 12x: $out"

out=$(bash ci/kvm-fuzz --no-such-option 2>&1); rc=$?
[ $rc -eq 2 ] || fail "unknown option: want exit 2, got $rc"
echo "$out" | grep -q "unknown option '--no-such-option'" || fail "unknown option: $out"

out=$(bash ci/kvm-fuzz --kernel /nonexistent/Image --skip-ok 2>&1); rc=$?
[ $rc -eq 0 ] || fail "missing kernel with --skip-ok: want exit 0, got $rc"
echo "$out" | grep -q "^kvm-fuzz: SKIP: no kernel image '/nonexistent/Image'" || fail "missing kernel: $out"
bash ci/kvm-fuzz --kernel /nonexistent/Image >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing kernel without --skip-ok: want exit 2"

python3 - <<'PY' || exit 1
import re, sys, yaml
jobs = yaml.safe_load(open("ci/nightly.yml"))["jobs"]
run = " ".join(s.get("run", "") for s in jobs["kvm-fuzz"]["steps"])
m = re.search(r"ci/kvm-fuzz [^\n]*--min-exits (\d+)", run)
if not m or int(m.group(1)) < 100000:
    sys.exit("nightly kvm-fuzz: no ci/kvm-fuzz run with --min-exits >= 100000")
PY
exit 0
