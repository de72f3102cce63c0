#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# sectoremu ptable on bad input in the guest: things that are not disks, a
# device with no table, a device too small for its table, read-only
# devices (blockdev --setro, dmsetup create --readonly) and devices in use.
# Each is refused with a clear message and exit status 1, and the device
# keeps every byte (sha256 before and after).
set -u
. "$(dirname "$0")/lib/ptable.sh"
se_need_cmd sectoremu sgdisk losetup
se_need_nvme
pt_begin
M=/dev/mapper/se_bad

# run CMD...: sets $rc and $err (stderr) for the checks that follow
run() {
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
}

# refused <what> <message> <dev> <ptable args...>: exit 1, the message on
# stderr, and the device unchanged
refused() {
	_w=$1 _msg=$2 _dev=$3
	shift 3
	_before=$(range_sum "$_dev" 0 "$(($(blockdev --getsize64 "$_dev") / MIB))")
	run sectoremu ptable "$@"
	check_eq "$_w: exit status 1" 1 "$rc"
	check "$_w: says '$_msg'" sh -c 'echo "$1" | grep -q -- "$2"' - "$err" "$_msg"
	check_eq "$_w: device unchanged (sha256)" "$_before" \
		"$(range_sum "$_dev" 0 "$(($(blockdev --getsize64 "$_dev") / MIB))")"
}


# --- Not a disk.
for op in "inspect" "fix" "convert --to 4096"; do
	run sectoremu ptable $op /dev/null
	check_eq "character device: $op exits 1" 1 "$rc"
	check "character device: $op says it is not a disk" \
		sh -c 'echo "$1" | grep -q "neither a block device nor an image file"' - "$err"
	mkdir -p /tmp/adir
	run sectoremu ptable $op /tmp/adir
	check_eq "directory: $op exits 1" 1 "$rc"
	check "directory: $op says it is not a disk" \
		sh -c 'echo "$1" | grep -q "neither a block device nor an image file"' - "$err"
done

# --- No table: random bytes at both ends of a 16 MiB mapping.
echo "0 32768 sectoremu $NVME 0 1" | dm create se_bad
dd if=/dev/urandom of=$M bs=1M count=16 oflag=direct 2>/dev/null
refused "no table: fix" "no partition table" $M fix $M
refused "no table: convert" "no partition table" $M convert $M --to 4096
dm remove se_bad

# --- Too small: the 96 MiB image on a 64 MiB mapping (a truncated disk).
echo "0 $((64 * 2048)) sectoremu $NVME 0 1" | dm create se_bad
dd if=$IMG of=$M bs=1M count=64 oflag=direct 2>/dev/null
refused "truncated: fix" 'partition 3 ("data")' $M fix $M
refused "truncated: convert" 'partition 3 ("data")' $M convert $M --to 4096
dm remove se_bad

# --- Read-only: blockdev --setro on a mapping holding the image (a
# 128 MiB mapping, so fix has a backup header to move).
echo "0 $((128 * 2048)) sectoremu $NVME 0 1" | dm create se_bad
dd if=$IMG of=$M bs=1M oflag=direct 2>/dev/null
check "setro: blockdev --setro on the mapping" blockdev --setro $M
check_eq "setro: the mapping is read-only" 1 "$(blockdev --getro $M)"
refused "setro: fix" "read-only" $M fix $M
refused "setro: fix --force" "read-only" $M fix $M --force
refused "setro: convert" "read-only" $M convert $M --to 4096
rm -f /tmp/ro.bak
refused "setro: fix --backup" "read-only" $M fix $M --backup /tmp/ro.bak
check "setro: no backup file left behind" test ! -e /tmp/ro.bak
check "setro: fix --dry-run still shows the plan" \
	sh -c "sectoremu ptable fix $M --dry-run | grep -q 'backup GPT header: my_lba'"
check "setro: inspect still works" sh -c "sectoremu ptable inspect $M | grep -q 'not at the end'"
blockdev --setrw $M
check "control: once read-write, fix succeeds" sectoremu ptable fix $M
check "control: and sgdisk -v finds no problems" sgdisk_clean $M
dm remove se_bad

# --- Read-only: dmsetup create --readonly.
echo "0 $((128 * 2048)) sectoremu $NVME 0 1" | dm create se_bad
dd if=$IMG of=$M bs=1M oflag=direct 2>/dev/null
dm remove se_bad
echo "0 $((128 * 2048)) sectoremu $NVME 0 1" | dm create --readonly se_bad
check_eq "dmsetup --readonly: the mapping is read-only" 1 "$(blockdev --getro $M)"
refused "dmsetup --readonly: fix" "read-only" $M fix $M
refused "dmsetup --readonly: convert" "read-only" $M convert $M --to 4096
dm remove se_bad

# --- In use: a partition of the raw disk mounted.
cp $IMG /tmp/pt4096.img
sectoremu ptable convert /tmp/pt4096.img --to 4096 >/dev/null 2>&1
dd if=/tmp/pt4096.img of="$NVME" bs=1M oflag=direct 2>/dev/null
rm -f /tmp/pt4096.img
raw_rescan
wait_parts "$NVME_NAME" 3
mkdir -p /mnt/pt
check "raw disk: partition 2 mounted" mount -t ext4 "/dev/${NVME_NAME}p2" /mnt/pt
run sectoremu ptable fix "$NVME"
check_eq "raw disk with a mounted partition: fix exits 1" 1 "$rc"
check "raw disk with a mounted partition: says it is mounted" \
	sh -c 'echo "$1" | grep -q "partition '"${NVME_NAME}"'p2 is mounted on /mnt/pt"' - "$err"
umount /mnt/pt
zero_ends "$NVME"
raw_rescan

# --- In use: a mapping with a partition-scanning loop device on top, one
# of whose partitions is mounted (loop devices are not holders in sysfs).
echo "0 $((128 * 2048)) sectoremu $NVME 0 1" | dm create se_bad
dd if=$IMG of=$M bs=1M oflag=direct 2>/dev/null
lo=$(losetup_p $M --sector-size 512)
wait_parts "$(basename "$lo")" 3
check "loop over the mapping: partition 2 mounted" mount -t ext4 "${lo}p2" /mnt/pt
refused "mapping under a loop device with a mounted partition: fix" \
	"is attached to $lo" $M fix $M
umount /mnt/pt
losetup -d "$lo"
check "control: loop detached, fix succeeds" sectoremu ptable fix $M
dm remove se_bad

zero_ends "$NVME"
rm -f $IMG
rmdir /tmp/adir
tap_end
