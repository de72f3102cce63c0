# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the partition-table tests (3x-ptable*.sh): a VM image with a
# 512-byte-sector GPT, and checks of where the kernel and the partitioning
# tools see its partitions.
#
# The image (IMG_MIB MiB) has three partitions; their byte ranges, in MiB,
# are P_START/P_SIZE.  Every start and end is a multiple of 4 KiB, so the
# table can be converted to 4096-byte sectors.  p1 and p3 carry random
# bytes at both ends, p2 an ext4 filesystem with one file.
. "$(dirname "$0")/lib/se.sh"

MIB=1048576
IMG=/tmp/pt512.img
IMG4=/tmp/pt4096.img
IMG_MIB=96
P_START="1 17 49"
P_SIZE="16 32 40"
NVME_NAME=$(basename "$NVME")

# nth <n> <list...>: the n-th word
nth() {
	_i=$1
	shift
	eval echo "\${$_i}"
}

GREETING="a file in the root filesystem of a 512-byte-sector image"

# make_image <file>: build the 512-byte GPT image
make_image() {
	rm -f "$1"
	truncate -s ${IMG_MIB}M "$1"
	sgdisk -o -n 1:1M:+16M -t 1:ef00 -c 1:ESP -n 2:17M:+32M -t 2:8300 -c 2:root \
		-n 3:49M:+40M -t 3:8300 -c 3:data "$1" >/dev/null || return 1
	for m in 1 16 49 88; do
		dd if=/dev/urandom of="$1" bs=1M seek=$m count=1 conv=notrunc 2>/dev/null
	done
	_lo=$(losetup -f --show -P "$1") || return 1
	wait_parts "$(basename "$_lo")" 3
	# 4096-byte blocks: mke2fs picks 1024 for a small filesystem, and
	# the kernel cannot mount that on a disk with 4096-byte sectors.
	mkfs.ext4 -q -b 4096 "${_lo}p2" || return 1
	mkdir -p /mnt/pt
	mount -t ext4 "${_lo}p2" /mnt/pt || return 1
	echo "$GREETING" > /mnt/pt/greeting
	umount /mnt/pt
	losetup -d "$_lo"
}

# check_fs <what> <dev>: the ext4 filesystem checks clean and its file
# reads back
check_fs() {
	check "$1: ext4 checks clean (e2fsck -fn)" e2fsck -fn "$2"
	mkdir -p /mnt/pt
	if mount -t ext4 -o ro "$2" /mnt/pt 2>/dev/null; then
		check_eq "$1: the file in ext4 reads back (sha256)" \
			"$(echo "$GREETING" | sha256sum)" "$(sha256sum < /mnt/pt/greeting)"
		umount /mnt/pt
	else
		tap_result 1 "$1: the file in ext4 reads back (sha256)"
		diag "cannot mount $2"
	fi
}

# pt_begin: start a test: TAP header, the module loaded, no mappings
# left, the image built in $IMG and its partitions' checksums taken
pt_begin() {
	tap_begin
	load_module
	remove_own
	make_image "$IMG" > /tmp/make_image.log 2>&1
	tap_result $? "512-byte GPT image built (sgdisk, mkfs.ext4, random data)"
	[ -s /tmp/make_image.log ] && diag "$(cat /tmp/make_image.log)"
	rm -f /tmp/make_image.log
	image_sums "$IMG"
}

# wait_parts <disk name> <n>: wait until sysfs shows n partitions
wait_parts() {
	_i=0
	while [ "$(nparts "$1")" != "$2" ] && [ $_i -lt 20 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# nparts <disk name>: how many partitions the kernel shows for it
nparts() {
	ls -d /sys/block/"$1"/"$1"p[0-9]* 2>/dev/null | wc -l
}

# part_bytes <disk name> <n>: "start size" in bytes, from sysfs (which
# counts in 512-byte units whatever the disk's sector size)
part_bytes() {
	_p=/sys/block/$1/$1p$2
	echo "$(($(cat "$_p/start") * 512)) $(($(cat "$_p/size") * 512))"
}

# expect_bytes <n>: the image's "start size" in bytes of partition n
expect_bytes() {
	echo "$(($(nth "$1" $P_START) * MIB)) $(($(nth "$1" $P_SIZE) * MIB))"
}

# range_sum <dev|file> <start MiB> <count MiB>: sha256 of that byte range,
# read with O_DIRECT from block devices (their page caches are separate)
range_sum() {
	_f=
	[ -b "$1" ] && _f=iflag=direct
	dd if="$1" bs=1M skip="$2" count="$3" $_f 2>/dev/null | sha256sum | cut -d' ' -f1
}

# image_sums <file>: sets SUM1..SUM3, the checksums of the partitions
image_sums() {
	for _n in 1 2 3; do
		eval SUM$_n=$(range_sum "$1" "$(nth $_n $P_START)" "$(nth $_n $P_SIZE)")
	done
}

# check_parts <what> <disk name> [count]: the kernel sees the image's
# three partitions on the disk (count in all, 3 by default), at the
# image's byte offsets
check_parts() {
	wait_parts "$2" "${3:-3}"
	check_eq "$1: the kernel sees ${3:-3} partitions" "${3:-3}" "$(nparts "$2")"
	for _n in 1 2 3; do
		check_eq "$1: partition $_n at the image's byte offset and size (sysfs)" \
			"$(expect_bytes $_n)" "$(part_bytes "$2" $_n 2>/dev/null)"
	done
}

# check_sums <what> <dev prefix>: /dev/<prefix>N hold the image's bytes
check_sums() {
	for _n in 1 2 3; do
		check_eq "$1: partition $_n bytes match the image (sha256)" \
			"$(eval echo \$SUM$_n)" "$(range_sum "/dev/$2$_n" 0 "$(nth $_n $P_SIZE)")"
	done
}

# check_dev_sums <what> <dev>: the partitions' byte ranges on a whole
# device hold the image's bytes
check_dev_sums() {
	for _n in 1 2 3; do
		check_eq "$1: partition $_n byte range matches the image (sha256)" \
			"$(eval echo \$SUM$_n)" "$(range_sum "$2" "$(nth $_n $P_START)" "$(nth $_n $P_SIZE)")"
	done
}

# sfdisk_bytes <dev> <sector size>: "start size" in bytes of each
# partition, as sfdisk reads the table, one line each
sfdisk_bytes() {
	sfdisk -d "$1" 2>/dev/null |
		sed -n 's/.*start= *\([0-9]*\), *size= *\([0-9]*\).*/\1 \2/p' |
		while read -r _s _z; do echo "$((_s * $2)) $((_z * $2))"; done
}

# sgdisk_count <dev|file>: how many partitions sgdisk -p lists
sgdisk_count() {
	sgdisk -p "$1" 2>/dev/null | awk '/^Number/ { f = 1; next } f && NF' | wc -l
}

# ee_size <file>: the sector count of the first MBR entry (the 0xEE one)
ee_size() {
	od -An -tu4 -j458 -N4 "$1" | tr -d ' '
}

# expect_all: what sfdisk_bytes prints for the image's partitions
expect_all() {
	for _n in 1 2 3; do expect_bytes $_n; done
}

# sgdisk_clean <dev>: sgdisk -v finds no problems
sgdisk_clean() {
	sgdisk -v "$1" | grep -q '^No problems found'
}

# jfield <dev|file> <jq filter> [inspect options]: a field of inspect --json
jfield() {
	_jd=$1 _q=$2
	shift 2
	sectoremu ptable inspect --json "$_jd" "$@" 2>/dev/null | jq -r "$_q"
}

# zero_ends <dev>: zero the first and last MiB (no table left anywhere)
zero_ends() {
	_m=$(($(blockdev --getsize64 "$1") / MIB))
	dd if=/dev/zero of="$1" bs=1M count=1 oflag=direct 2>/dev/null &&
		dd if=/dev/zero of="$1" bs=1M seek=$((_m - 1)) count=1 oflag=direct 2>/dev/null
}

# raw_rescan: drop the NVMe's page cache and re-read its partitions
raw_rescan() {
	blockdev --flushbufs "$NVME"
	blockdev --rereadpt "$NVME"
}

# losetup_p <dev> [options]: a partition-scanning loop device on dev
losetup_p() {
	_ld=$1
	shift
	losetup -f --show -P "$@" "$_ld"
}
