#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# sectoremu map --partitions and sectoremu partitions: a 512-byte GPT
# image (ESP, ext4, a named data partition) and an MBR image with logical
# partitions, written through a mapping of the 4Kn NVMe disk, get one
# dm-linear mapping per partition, named and sized as the kernel would
# see them; their filesystems check clean and their data reads back;
# rescan follows sgdisk on the mapping, and nothing that is open is
# removed, shrunk or unmapped.
set -u
. "$(dirname "$0")/lib/ptable.sh"
se_need_cmd sectoremu sgdisk sfdisk losetup mkfs.vfat fsck.vfat mkfs.ext4 e2fsck jq truncate sha256sum
se_need_nvme
tap_begin
load_module
remove_own
SE=sectoremu
G=/tmp/gpt512.img
B=/tmp/mbr512.img
M=/dev/mapper/pt

# sysfs_size <dev>: its size in 512-byte sectors, from sysfs
sysfs_size() {
	cat "$(sysfs_dir "$1")/size"
}

# dm_extent <name>: "start size" in bytes of a partition mapping, from
# its linear table line
dm_extent() {
	dmsetup table "$1" | awk '{print $5 * 512, $2 * 512}'
}

# The GPT image: ESP (FAT, 512-byte sectors), ext4 with 4096-byte blocks
# holding a file, a named data partition; 97 MiB and up stay free.
rm -f $G
truncate -s 160M $G
sgdisk -o -n 1:1M:+32M -t 1:ef00 -c 1:ESP -n 2:33M:+48M -t 2:8300 -c 2:root \
	-n 3:81M:+16M -t 3:8300 -c 3:"vm data" $G >/dev/null
lo=$(losetup -f --show -P $G)
wait_parts "$(basename "$lo")" 3
check "image: mkfs.vfat -S 512 on the ESP" mkfs.vfat -S 512 "${lo}p1"
check "image: mkfs.ext4 -b 4096 on root" mkfs.ext4 -q -b 4096 "${lo}p2"
dd if=/dev/urandom of=/tmp/payload bs=64k count=16 2>/dev/null
SUM=$(sha256sum < /tmp/payload)
mkdir -p /mnt/p
mount -t ext4 "${lo}p2" /mnt/p && cp /tmp/payload /mnt/p/payload && umount /mnt/p
dd if=/dev/urandom of="${lo}p3" bs=1M count=16 2>/dev/null
losetup -d "$lo"
P3SUM=$(dd if=$G bs=1M skip=81 count=16 2>/dev/null | sha256sum)

check "the image written through a mapping of the 4K disk" sh -c \
	"$SE map $NVME --name pt >/dev/null && dd if=$G of=$M bs=1M oflag=direct 2>/dev/null && $SE unmap pt"

check_eq "map --partitions prints the mapping and p1..p3" \
	"$M ${M}p1 ${M}p2 ${M}p3" "$(echo $($SE map $NVME --name pt --partitions))"
check_eq "no mapping for a partition the table does not have" "" "$(ls ${M}p4 2>/dev/null)"
n=1
for mib in 32 48 16; do
	check_eq "p$n: $mib MiB (sysfs)" $((mib * 2048)) "$(sysfs_size ${M}p$n)"
	check_eq "p$n: 512-byte logical blocks" 512 "$(queue_attr ${M}p$n logical_block_size)"
	n=$((n + 1))
done
check "p1: fsck.vfat -n passes" fsck.vfat -n ${M}p1
check "p2: e2fsck -fn passes" e2fsck -fn ${M}p2
mount -t ext4 -o ro ${M}p2 /mnt/p
check_eq "p2: the file written before imaging reads back (sha256)" "$SUM" \
	"$(sha256sum < /mnt/p/payload 2>/dev/null)"
umount /mnt/p
check_eq "p3: the data partition's bytes (sha256)" "$P3SUM" \
	"$(dd if=${M}p3 bs=1M iflag=direct 2>/dev/null | sha256sum)"
check_eq "the partition mappings agree with sfdisk -d on the mapping" \
	"$(sfdisk_bytes $M 512)" "$(for n in 1 2 3; do dm_extent ptp$n; done)"
check "p1 carries the dm UUID part1-<the mapping's UUID>" sh -c \
	"[ \"\$(dmsetup info -c --noheadings -o uuid ptp1)\" = \"part1-\$(dmsetup info -c --noheadings -o uuid pt)\" ]"
check_eq "list --json: the partitions under their mapping" "ptp1 ptp2 ptp3" \
	"$($SE list --json | jq -r '[.mappings[] | select(.name == "pt") | .partitions[].name] | join(" ")')"
check_eq "status --json: p2's number, start and size" "2 67584 50331648" \
	"$($SE status --json pt | jq -r '.partitions[1] | "\(.number) \(.start_sectors) \(.size_bytes)"')"
check "list shows them under the mapping" sh -c "$SE list | grep -q '^  ptp3 *pt '"

# rescan after sgdisk on the mapping
sgdisk -n 4:97M:+16M -c 4:extra $M >/dev/null 2>&1
check "rescan after a partition is added: p4 added" sh -c \
	"$SE partitions rescan pt | grep -q '^ptp4: added'"
check_eq "p4: 16 MiB (sysfs)" 32768 "$(sysfs_size ${M}p4)"
check "rescan again changes nothing" sh -c "[ -z \"\$($SE partitions rescan pt)\" ]"
sgdisk -d 4 -n 4:97M:+24M $M >/dev/null 2>&1
check "rescan after p4 grew: reloaded" sh -c "$SE partitions rescan pt | grep -q '^ptp4: now'"
check_eq "p4: 24 MiB (sysfs)" 49152 "$(sysfs_size ${M}p4)"

# Nothing open is removed, shrunk or unmapped
mount -t ext4 ${M}p2 /mnt/p
check "unmap refused while p2 is mounted, naming it" sh -c \
	"! $SE unmap pt 2>/tmp/err && grep -q 'ptp2' /tmp/err"
check "partitions remove refused while p2 is mounted" sh -c \
	"! $SE partitions remove pt 2>/tmp/err && grep -q 'ptp2' /tmp/err"
sgdisk -d 2 -d 4 $M >/dev/null 2>&1
check "rescan refused when mounted p2 is gone from the table, naming it" sh -c \
	"! $SE partitions rescan pt 2>/tmp/err && grep -q 'ptp2 is open' /tmp/err"
check "the refused rescan removed nothing (p4 is still there)" dmsetup info ptp4
check "all still mapped" sh -c "ls ${M}p1 ${M}p2 ${M}p3 ${M}p4 >/dev/null"
umount /mnt/p
exec 7<${M}p4
sgdisk -n 2:33M:+48M -t 2:8300 -c 2:root -n 4:97M:+8M $M >/dev/null 2>&1
check "rescan refused when open p4 would shrink, naming it" sh -c \
	"! $SE partitions rescan pt 2>/tmp/err && grep -q 'ptp4 is open' /tmp/err"
exec 7<&-
check "rescan once closed: p4 shrinks" sh -c "$SE partitions rescan pt | grep -q '^ptp4: now'"
check_eq "p4: 8 MiB (sysfs)" 16384 "$(sysfs_size ${M}p4)"
check "partitions remove" $SE partitions remove pt
check_eq "no partition mappings left" "" "$(dmsetup ls | grep '^ptp')"
check "partitions add brings them back" sh -c "$SE partitions add pt | grep -q '^${M}p4\$'"
check "unmap removes the partition mappings, then the mapping" $SE unmap pt
check_eq "nothing left" "" "$(dmsetup ls | grep '^pt')"

# Refusals: partitions past the end of a shorter mapping, nothing created
n0=$(dmsetup ls | grep -vc 'No devices')
check "a 64 MiB mapping of a 160 MiB table: refused, naming the problem" sh -c \
	"! $SE map $NVME --name short --length 131072 --partitions 2>/tmp/err && grep -q 'past the end of the device' /tmp/err"
check_eq "the refusal left nothing behind" "$n0" "$(dmsetup ls | grep -vc 'No devices')"
check_eq "--partitions with 2048-byte sectors: refused" 1 \
	"$($SE map $NVME --name s2k --sector-size 2048 --partitions >/dev/null 2>&1; echo $?)"

# MBR: one primary, an extended partition, two logical ones
rm -f $B
truncate -s 64M $B
printf 'label: dos\nstart=2048, size=20480, type=83\nstart=22528, size=61440, type=5\nstart=24576, size=8192, type=83\nstart=34816, size=8192, type=83\n' |
	sfdisk -q $B
lo=$(losetup -f --show -P $B)
l=$(basename "$lo")
wait_parts "$l" 4
check "MBR image written through the mapping" sh -c \
	"$SE map $NVME --name mb >/dev/null && dd if=$B of=/dev/mapper/mb bs=1M oflag=direct 2>/dev/null"
# sgdisk left a backup GPT at the end of the disk: the kernel would read
# the MBR, ptable finds the GPT; neither is mapped.
check "a stale backup GPT behind the MBR: refused, saying so" sh -c \
	"! $SE partitions add mb 2>/tmp/err && grep -q 'ignore the GPT' /tmp/err"
check_eq "the refusal mapped nothing" "" "$(dmsetup ls | grep '^mbp')"
s=$(($(blockdev --getsz /dev/mapper/mb) / 2048))
dd if=/dev/zero of=/dev/mapper/mb bs=1M seek=$((s - 1)) count=1 oflag=direct 2>/dev/null
check_eq "partitions add: p1, p5, p6 as the kernel names them" \
	"/dev/mapper/mbp1 /dev/mapper/mbp5 /dev/mapper/mbp6" "$(echo $($SE partitions add mb))"
check_eq "no mapping for the extended container" "" "$(ls /dev/mapper/mbp2 2>/dev/null)"
for n in 1 5 6; do
	check_eq "mbp$n: where the kernel puts ${l}p$n (loop device on the image)" \
		"$(part_bytes "$l" $n)" "$(dm_extent mbp$n)"
done
losetup -d "$lo"
check "unmap mb" $SE unmap mb
check_eq "nothing left" "" "$(dmsetup ls | grep '^mb')"
tap_end
