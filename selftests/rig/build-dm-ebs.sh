#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-dm-ebs.sh SERIES ABI OUTDIR
#
# Build the kernel's own dm-ebs target, out of tree, from Debian's
# linux-source-SERIES package, for the bench to compare against (Debian's
# kernels do not build it: CONFIG_DM_EBS is unset).  Nothing of it is kept
# in this repository; the sources are unpacked into OUTDIR at build time.
set -euo pipefail
series=$1 abi=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
tarball=/usr/src/linux-source-$series.tar.xz
[ -e "$tarball" ] || { echo "build-dm-ebs.sh: $tarball missing (make deps)" >&2; exit 1; }
[ -e "$out/dm-ebs.ko" ] && exit 0
rm -rf "$out" && mkdir -p "$out"
tar -xJf "$tarball" -C "$out" --strip-components=3 --wildcards \
	'*/drivers/md/dm-ebs-target.c' '*/drivers/md/dm.h' '*/drivers/md/dm-stats.h'
cat > "$out/Kbuild" <<'KBUILD'
obj-m := dm-ebs.o
dm-ebs-y := dm-ebs-target.o
KBUILD
make -s -C "/lib/modules/$abi/build" M="$out" modules 2>&1 | grep -v 'Skipping BTF' || true
test -e "$out/dm-ebs.ko"
