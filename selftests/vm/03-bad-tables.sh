#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every invalid table line is refused with its precise message in the
# kernel log, and leaves nothing behind.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd losetup truncate
tap_begin
load_module
S=$(sectors "$NULLB")

# bad <description> <expected message> <table after "0 LEN sectoremu">
bad() {
	_d=$1 _msg=$2 _len=$3
	shift 3
	dmesg -C
	if echo "0 $_len sectoremu $*" | dmsetup --noudevsync create se_bad 2>/dev/null; then
		tap_result 1 "$_d"
		diag "table was accepted: $*"
		dm remove se_bad
		return
	fi
	if dmesg | grep -q "sectoremu: $_msg"; then
		tap_result 0 "$_d"
	else
		tap_result 1 "$_d"
		diag "expected 'sectoremu: $_msg' in dmesg, got:"
		diag "$(dmesg | tail -n 5)"
	fi
	dmsetup remove se_bad >/dev/null 2>&1
}

bad "too few arguments" "Invalid argument count" "$S" "$NULLB 0"
bad "missing device" "Device lookup failed" "$S" /dev/does-not-exist 0 1
bad "offset not a number" "Invalid device offset sector" "$S" "$NULLB x 1"
bad "offset with trailing junk" "Invalid device offset sector" "$S" "$NULLB 8k 1"
bad "emulated size not a power of two" "Invalid emulated block size" "$S" "$NULLB 0 3"
bad "emulated size 0" "Invalid emulated block size" "$S" "$NULLB 0 0"
bad "emulated size above 4 KiB" "Invalid emulated block size" "$S" "$NULLB 0 16"
bad "underlying size not a power of two" "Invalid underlying block size" "$S" "$NULLB 0 1 24"
bad "underlying size below 4 KiB" "Invalid underlying block size" "$S" "$NULLB 0 1 4"
bad "underlying size above 64 KiB" "Invalid underlying block size" "$S" "$NULLB 0 1 256"
bad "offset not a multiple of the block" "Device offset must be multiple of underlying block size" "$((S - 8))" "$NULLB 1 1"
bad "offset not a multiple of a larger block" "Device offset must be multiple of underlying block size" "$((S - 16))" "$NULLB 8 1 16"
bad "length not a multiple of the block" "Target length must be multiple of underlying block size" 9 "$NULLB 0 1"
bad "length beyond the device" "Target extends beyond the end of the device" "$((S + 8))" "$NULLB 0 1"
bad "offset plus length beyond the device" "Target extends beyond the end of the device" "$S" "$NULLB 8 1"
bad "unknown feature" "Unknown feature argument" "$S" "$NULLB 0 1 8 1 frobnicate"
bad "feature count out of range" "Invalid number of feature arguments" "$S" "$NULLB 0 1 8 2 ignore_discard ignore_discard"
bad "feature count larger than the words" "Invalid number of feature arguments" "$S" "$NULLB 0 1 8 1"
bad "words after the features" "Invalid argument count" "$S" "$NULLB 0 1 8 0 extra"

# A device with 512-byte sectors cannot be the underlying device.
truncate -s 64M /tmp/small.img
lo=$(losetup -f --show /tmp/small.img)
bad "512-byte device (nothing to emulate)" "Invalid retrieved underlying block size" 8 "$lo 0 1"
losetup -d "$lo"

# Zoned devices are refused (null_blk through configfs).
mount -t configfs none /sys/kernel/config 2>/dev/null
z=/sys/kernel/config/nullb/${SE_PFX}zoned
if mkdir "$z" 2>/dev/null && echo 4096 > $z/blocksize && echo 256 > $z/size &&
   echo 1 > $z/zoned && echo 64 > $z/zone_size && echo 1 > $z/power; then
	# 6.1 names configfs null_blk disks after their directory.
	zdev=/dev/${SE_PFX}zoned
	[ -b $zdev ] || zdev=/dev/nullb$(cat $z/index)
	bad "zoned device" "Zoned devices are not supported" 8 "$zdev 0 1"
	echo 0 > $z/power
	rmdir $z
else
	tap_result 1 "zoned device"
	diag "could not create a zoned null_blk device"
fi

# A sectoremu target that starts inside a block of the mapped device
# (after a one-sector error target, which dm core always has): every
# aligned bio would be partial.
dmesg -C
if printf '0 1 error\n1 %s sectoremu %s 0 1\n' $((S - 8)) "$NULLB" |
	dmsetup --noudevsync create se_bad 2>/dev/null; then
	tap_result 1 "target start inside a block"
	dm remove se_bad
elif dmesg | grep -q "sectoremu: Target start must be multiple of underlying block size"; then
	tap_result 0 "target start inside a block"
else
	tap_result 1 "target start inside a block"
	diag "$(dmesg | tail -n 5)"
fi
dmsetup remove se_bad >/dev/null 2>&1

check_eq "no mapping was left behind" "" "$(se_owned_dm)"
tap_end
