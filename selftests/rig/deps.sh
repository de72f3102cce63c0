#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh: install the Debian 12 packages the build, the tests, the demo
# and the bench need, when they are missing.  Needs root (or sudo).
set -euo pipefail

PKGS=(
	# build
	build-essential make gcc pkg-config libdevmapper-dev libblkid-dev zlib1g-dev libaio-dev
	# kernel module, both series, and its checks
	linux-headers-amd64 linux-headers-6.12-amd64 linux-source-6.1 linux-source-6.12
	sparse dkms kmod man-db groff-base
	# packages (make deb) and their test in a Debian 12 chroot
	debhelper dh-dkms lintian debootstrap
	# VM rig
	qemu-system-x86 qemu-utils busybox-static cpio xz-utils zstd
	# tools used inside the guest and by host tests
	dmsetup fio gdisk fdisk util-linux dosfstools e2fsprogs nvme-cli jq lvm2
	# bench report
	python3 gnuplot-nox
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
