#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sectoremu map / unmap / list / status on null_blk and the NVMe disk:
# the mapping's sysfs block sizes and table, data through it, the
# counters, and each refusal leaving nothing behind.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd sectoremu losetup mkfs.ext4 jq cmp
se_need_nvme
tap_begin
load_module
SE=sectoremu

for dev in "$NULLB" "$NVME"; do
	d=$(basename "$dev")
	check_eq "$d: map prints the new device" /dev/mapper/se-$d "$($SE map "$dev")"
	m=/dev/mapper/se-$d
	check_eq "$d: logical block size 512" 512 "$(queue_attr $m logical_block_size)"
	check_eq "$d: physical block size 4096" 4096 "$(queue_attr $m physical_block_size)"
	check_eq "$d: same size as the device" "$(sectors "$dev")" "$(sectors $m)"
	check_eq "$d: the table is sectoremu's" \
		"0 $(sectors "$dev") sectoremu $(stat -L -c '%t %T' "$dev" |
		while read -r a b; do echo "$((0x$a)):$((0x$b))"; done) 0 1" \
		"$(dmsetup table se-$d)"
	dd if=/dev/urandom of=/tmp/s bs=512 count=3 2>/dev/null
	dd if=/tmp/s of=$m bs=512 seek=5 count=3 oflag=direct 2>/dev/null
	check "$d: a 512-byte write reads back" sh -c \
		"dd if=$m bs=512 skip=5 count=3 iflag=direct 2>/dev/null | cmp - /tmp/s"
	check "$d: list shows it" sh -c "$SE list | grep -q '^se-$d .*$dev '"
	check_eq "$d: list --json" "se-$d $dev 512" \
		"$($SE list --json | jq -r '.mappings[] | select(.name == "se-'$d'") | "\(.name) \(.backing) \(.sector_size)"')"
	check_eq "$d: status --json counts the partial writes" 3 \
		"$($SE status --json se-$d | jq .counters.partial_writes)"
	check "$d: status by device node" sh -c "$SE status $m | grep -q 'partial_writes *3'"
	expect_fail "$d: a second mapping of the same name is refused" $SE map "$dev"
	exec 7<$m
	expect_fail "$d: unmap refuses an open mapping" $SE unmap se-$d
	exec 7<&-
	check "$d: unmap" $SE unmap se-$d
	check "$d: it is gone" sh -c "! dmsetup info se-$d >/dev/null 2>&1"
done

# Options
check_eq "map --name --sector-size 2048 --offset --length" /dev/mapper/two \
	"$($SE map "$NVME" --name two --sector-size 2048 --offset 8 --length 65536)"
check_eq "its logical block size is 2048" 2048 "$(queue_attr /dev/mapper/two logical_block_size)"
check_eq "its table has the offset and size" "0 65536 sectoremu" \
	"$(dmsetup table two | cut -d' ' -f1-3)"
check_eq "its offset is 8" "8 4" "$(dmsetup table two | cut -d' ' -f5-6)"
check "map --read-only" $SE map "$NULLB" --name ro --read-only
check_eq "the read-only mapping is read-only" 1 "$(blockdev --getro /dev/mapper/ro)"
check "map on a device held by another mapping needs --force" sh -c \
	"! $SE map $NVME --name held 2>/tmp/err && grep -q 'held by' /tmp/err"
check "unmap of several" sh -c "$SE unmap two && $SE unmap ro"

# Refusals: message, exit status 1, nothing created
count() { dmsetup ls | grep -vc 'No devices'; }
n0=$(count)
expect_fail "not a block device" $SE map /dev/null
expect_fail "a missing device" $SE map /dev/nonexistent
lo=$(losetup -f --show /tmp/s)
check "a 512-byte device: refused, saying no mapping is needed" sh -c \
	"! $SE map $lo 2>/tmp/err && grep -q 'already has 512-byte logical blocks' /tmp/err"
losetup -d "$lo"
expect_fail "an offset inside a block" $SE map "$NVME" --offset 3
expect_fail "a length past the end" $SE map "$NVME" --length 999999999
mkdir -p /mnt/x && mkfs.ext4 -q -F "$NULLB" && mount "$NULLB" /mnt/x
check "a mounted device: refused, naming the mount" sh -c \
	"! $SE map $NULLB 2>/tmp/err && grep -q 'mounted on /mnt/x' /tmp/err"
umount /mnt/x
check_eq "no refusal left a mapping behind" "$n0" "$(count)"
echo "0 8 linear $NULLB 0" | dm create z
check "unmap refuses a mapping of another target" sh -c \
	"! $SE unmap z 2>/tmp/err && grep -q 'z is not a sectoremu mapping' /tmp/err"
check "it is still there" dmsetup info z
dm remove z
check_eq "usage error: exit status 2" 2 "$($SE map >/dev/null 2>&1; echo $?)"
check_eq "unknown option: exit status 2" 2 "$($SE map --bogus $NVME >/dev/null 2>&1; echo $?)"
tap_end
