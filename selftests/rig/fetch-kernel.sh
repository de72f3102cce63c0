#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh ABI DIR
#
# Unpack Debian's kernel image package for ABI into DIR/root (vmlinuz and
# modules, not installed on the host) and run depmod on it.  Idempotent.
set -euo pipefail
abi=$1 dir=$2
root=$dir/root

if [ -e "$root/boot/vmlinuz-$abi" ] && [ -e "$root/lib/modules/$abi/modules.dep" ]; then
	exit 0
fi
mkdir -p "$dir"
rm -rf "$root" "$dir"/*.deb
(cd "$dir" && apt-get download -q "linux-image-$abi" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
deb=$(ls "$dir"/linux-image-"$abi"_*.deb 2>/dev/null | head -n1)
if [ -z "$deb" ]; then
	echo "fetch-kernel.sh: could not download linux-image-$abi" >&2
	exit 1
fi
dpkg -x "$deb" "$root"
depmod -b "$root" "$abi"
rm -f "$deb"
