#!/usr/bin/env bash
# Install every Debian package hvexit needs. Idempotent: packages already
# present are left alone; the script prints what it installed.
#   ci/install-deps.sh            host build, tests, fuzzing (and, if the
#                                 archive has it, linux-source-6.1 for the
#                                 Linux KVM adapter check)
#   ci/install-deps.sh --kvm      also the arm64 cross toolchain, QEMU and
#                                 arm64 libraries for the real-KVM run
#   ci/install-deps.sh --fresh    only debootstrap (ci/fresh-debian builds a
#                                 pristine Debian 12 root with it)
set -euo pipefail

PKGS=(build-essential make pkg-config clang llvm lld libclang-rt-14-dev
      libcmocka-dev libcapstone-dev libelf-dev libjansson-dev libzstd-dev
      libunicorn-dev afl++ zip unzip python3 python3-yaml libtracecmd-dev
      libtraceevent-dev)
KVM_PKGS=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm
          cpio gzip)
KVM_ARM64_PKGS=(libcapstone-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64
                libzstd-dev:arm64 libjansson-dev:arm64)

want_kvm=0; want_fresh=0
for a in "$@"; do
	case "$a" in
	--kvm) want_kvm=1 ;;
	--fresh) want_fresh=1 ;;
	*) echo "install-deps: unknown option '$a'" >&2; exit 2 ;;
	esac
done

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive

missing() {
	local p out=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
	done
	echo "${out[@]:-}"
}

updated=0
apt_install() {
	local need
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	if [ $updated -eq 0 ]; then
		"${SUDO[@]}" apt-get update -qq
		updated=1
	fi
	echo "install-deps: installing: $need"
	# shellcheck disable=SC2086
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends $need >/dev/null
}

if [ $want_fresh -eq 1 ]; then
	apt_install debootstrap
	echo "install-deps: debootstrap present"
	exit 0
fi
apt_install "${PKGS[@]}"
# Linux's own KVM source for the shipped adapter (make linux-kvm-check):
# optional, the check says SKIP without it.
if ! apt_install linux-source-6.1; then
	echo "install-deps: linux-source-6.1 could not be installed; make linux-kvm-check will SKIP"
fi
if [ $want_kvm -eq 1 ]; then
	apt_install "${KVM_PKGS[@]}"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "install-deps: adding dpkg architecture arm64"
		"${SUDO[@]}" dpkg --add-architecture arm64
		updated=0
	fi
	apt_install "${KVM_ARM64_PKGS[@]}"
fi
echo "install-deps: all packages present"
