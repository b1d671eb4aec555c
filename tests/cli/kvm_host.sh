# The KVM backend is arm64-only: on this (x86) host build `hvexit kvm`
# must be reported as not available (exit 2), not crash. On an arm64
# build the command exists and prints usage for no arguments (exit 2).
out=$("$HVEXIT" kvm 2>&1); rc=$?
[ $rc -eq 2 ] || { echo "hvexit kvm: want exit 2, got $rc"; exit 1; }
case "$(uname -m)" in
aarch64) echo "$out" | grep -q "usage: hvexit kvm" || { echo "no usage: $out"; exit 1; } ;;
*) echo "$out" | grep -q "not available in this build" || { echo "unexpected: $out"; exit 1; } ;;
esac
"$HVEXIT" --help | grep -q "kvm .*not in this build" || [ "$(uname -m)" = aarch64 ] ||
	{ echo "--help does not mark kvm as absent"; exit 1; }
exit 0
