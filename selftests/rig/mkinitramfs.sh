#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh ABI KROOT OUT [EXTRA_MODULE.ko...]
#
# Build the test initramfs (an uncompressed cpio) for kernel ABI, whose
# unpacked image package is in KROOT:
#   - busybox-static for the shell and small tools, plus the real kmod,
#     coreutils dd/timeout and the storage tools the tests use, each with
#     the shared libraries ldd reports;
#   - the in-tree modules below, with their dependencies resolved by
#     `modprobe --show-depends` against KROOT, and EXTRA_MODULEs (ours) in
#     updates/, then depmod;
#   - the rig's init, and whatever the caller put in $STAGE_EXTRA (a
#     directory copied over the root: our binaries, the installed tests);
#   - with WITH_PERF=1, perf (Debian's linux-perf) for profiling the bench.
set -euo pipefail
abi=$1 kroot=$2 out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

MODULES="dm-mod dm-bufio nvme null_blk dm-flakey dm-log-writes loop vfat ext4 nls_cp437 nls_iso8859-1 nls_utf8"
TOOLS="dmsetup fio sgdisk sfdisk fdisk losetup blockdev blkid wipefs mkfs.vfat
       fsck.vfat mkfs.ext4 mke2fs e2fsck debugfs nvme jq dd timeout sha256sum
       cmp truncate stat blkdiscard lvm"
[ "${WITH_PERF:-0}" = 1 ] && TOOLS+=" perf"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Debian 12 is usr-merged; keep the same shape so ldd paths just work.
mkdir -p "$stage"/usr/{bin,sbin,lib,lib64} "$stage"/{dev,proc,sys,tmp,run,etc,mnt,root}
ln -s usr/bin "$stage/bin"
ln -s usr/sbin "$stage/sbin"
ln -s usr/lib "$stage/lib"
ln -s usr/lib64 "$stage/lib64"

copy_file() {	# copy a host file (following links) to the same path
	local src=$1 dst=$stage$1
	[ -e "$dst" ] && return 0
	mkdir -p "$(dirname "$dst")"
	cp -L "$src" "$dst"
}

copy_with_libs() {
	local bin=$1 lib
	copy_file "$bin"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		copy_file "$lib"
	done
}

copy_with_libs /usr/bin/busybox
# dash is the shell: busybox's own shell prefers its applets to the real
# tools on PATH (its dd ignores oflag=direct, for one).
copy_with_libs /usr/bin/dash
ln -s dash "$stage/usr/bin/sh"
for t in $TOOLS; do
	p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$t") || {
		echo "mkinitramfs.sh: $t not found (run make deps)" >&2
		exit 1
	}
	copy_with_libs "$(readlink -f "$p")"
	[ "$(readlink -f "$p")" = "$p" ] || { mkdir -p "$stage$(dirname "$p")"; ln -sf "$(readlink -f "$p")" "$stage$p"; }
done
copy_with_libs /usr/bin/kmod
for t in modprobe insmod rmmod lsmod modinfo depmod; do
	ln -sf ../bin/kmod "$stage/usr/sbin/$t"
done
[ -e /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$stage/etc/"
# Every busybox applet whose name no real tool took.
for a in $(/usr/bin/busybox --list); do
	[ -e "$stage/usr/bin/$a" ] || [ -e "$stage/usr/sbin/$a" ] || [ -L "$stage/usr/sbin/$a" ] ||
		ln -s busybox "$stage/usr/bin/$a"
done

# Kernel modules and their dependencies.
mdir=lib/modules/$abi
mkdir -p "$stage/usr/$mdir"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	cp "$kroot/$mdir/$f" "$stage/usr/$mdir/"
done
for m in $MODULES; do
	modprobe -d "$kroot" -S "$abi" --show-depends "$m" |
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		rel=${path#"$kroot"/}
		mkdir -p "$stage/usr/$(dirname "$rel")"
		cp "$path" "$stage/usr/$rel"
	done
done
mkdir -p "$stage/usr/$mdir/updates"
for ko in "$@"; do
	cp "$ko" "$stage/usr/$mdir/updates/"
done
depmod -b "$stage/usr" "$abi"

# Init; the tests come in $STAGE_EXTRA (run-vm.sh installs the kselftest
# tree in its /tests).
if [ -n "${STAGE_EXTRA:-}" ] && [ -d "$STAGE_EXTRA" ]; then
	cp -a "$STAGE_EXTRA/." "$stage/"
	# Shared libraries of staged executables.
	find "$STAGE_EXTRA" -type f -perm -u+x | while read -r f; do
		for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do copy_file "$lib"; done
	done
fi
install -m 755 "$here/init" "$stage/init"

(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
