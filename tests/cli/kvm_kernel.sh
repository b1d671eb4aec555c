# ci/kvm-kernel without the network: a bad SPEC is exit 2 with a message;
# a path to an arm64 Image gives its release (from the "Linux version"
# string) and label; a file without the Image magic, or a .deb without a
# kernel, is exit 2; a suite whose index cannot be fetched (and has no
# cache) is a SKIP line with exit 3, never a hang or a crash.
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
K="bash ci/kvm-kernel"
out=$($K nosuch 2>&1); rc=$?
[ $rc -eq 2 ] || { echo "bad SPEC: exit $rc, want 2: $out"; exit 1; }
echo "$out" | grep -q "bad SPEC 'nosuch'" || { echo "no message: $out"; exit 1; }
$K >/dev/null 2>&1; [ $? -eq 2 ] || { echo "no SPEC: want exit 2"; exit 1; }
# an Image: "ARM\x64" at offset 56 (arm64 boot protocol), a version string
head -c 56 /dev/zero >"$d/Image"
printf 'ARMd' >>"$d/Image"
printf '\0\0\0\0Linux version 9.9.9-test-arm64 (x@y) #1 SMP\0' >>"$d/Image"
out=$($K "$d/Image") || { echo "Image rejected: $out"; exit 1; }
[ "$out" = "$(printf '%s\t9.9.9-test-arm64\t9.9.9' "$d/Image")" ] || { echo "Image line: '$out'"; exit 1; }
echo "not an image" >"$d/text"
$K "$d/text" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "text file: want exit 2"; exit 1; }
$K "$d/missing" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "missing file: want exit 2"; exit 1; }
mkdir -p "$d/pkg/DEBIAN" "$d/pkg/usr/share/doc/x"
printf 'Package: x\nVersion: 1\nArchitecture: arm64\nMaintainer: t <t@t>\nDescription: t\n' >"$d/pkg/DEBIAN/control"
echo x >"$d/pkg/usr/share/doc/x/README"
dpkg-deb -b "$d/pkg" "$d/nokernel.deb" >/dev/null 2>&1 || { echo "dpkg-deb -b failed"; exit 1; }
out=$(HVEXIT_KVM_CACHE="$d/cache" $K "$d/nokernel.deb" 2>&1); rc=$?
[ $rc -eq 2 ] || { echo ".deb without a kernel: exit $rc, want 2: $out"; exit 1; }
# no network, no cache: SKIP (connection refused on the discard port)
out=$(HVEXIT_KVM_CACHE="$d/cache" HVEXIT_DEBIAN_MIRROR=http://127.0.0.1:9/debian \
	HVEXIT_DEBIAN_SECURITY=http://127.0.0.1:9/debian-security timeout 120 $K trixie-16k 2>&1); rc=$?
[ $rc -eq 3 ] || { echo "unreachable mirror: exit $rc, want 3: $out"; exit 1; }
echo "$out" | grep -q "^SKIP: trixie-16k: no usable trixie index" || { echo "SKIP line: $out"; exit 1; }
[ -z "$(ls "$d/cache/kernels" 2>/dev/null | grep -v '^debs$\|^resolved$')" ] || { echo "left files in the cache"; exit 1; }
exit 0
