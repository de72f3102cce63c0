#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# A VM image with a 512-byte-sector GPT on the 4Kn NVMe disk:
#   1. written raw, neither the kernel nor sgdisk finds its table, and
#      "sgdisk -e" on the raw disk destroys it: a new protective MBR and a
#      4096-byte GPT over bytes 0-8191, so the 512-byte header and the first
#      entries are gone and no mapping brings the partitions back;
#   2. written through a sectoremu mapping instead, "ptable fix" moves its
#      backup GPT to the end of the disk, sgdisk -v is clean and the kernel
#      sees its partitions at the image's byte offsets;
#   3. converted to 4096-byte sectors, in place through the mapping and as
#      an image file written raw, the kernel sees the same partitions at
#      the same byte offsets on the raw disk, with their data intact.
set -u
. "$(dirname "$0")/lib/ptable.sh"
se_need_cmd sectoremu sgdisk sfdisk losetup cmp
se_need_nvme
pt_begin
NSZ=$(blockdev --getsize64 "$NVME")
M=/dev/mapper/se_pt

check_eq "control: sgdisk lists the image's 3 partitions" 3 "$(sgdisk_count $IMG)"
check_eq "control: sfdisk reads the image's partitions at the planned byte offsets" \
	"$(expect_all)" "$(sfdisk_bytes $IMG 512)"

# --- 1. The seed's failure: the image raw on the 4K disk, then sgdisk -e.
zero_ends "$NVME"
check "image written raw to the 4K disk" dd if=$IMG of="$NVME" bs=1M oflag=direct
raw_rescan
check_eq "raw 4K disk: the kernel finds no partitions" 0 "$(nparts "$NVME_NAME")"
check_eq "raw 4K disk: sgdisk -p lists no partitions" 0 "$(sgdisk_count "$NVME")"
check "raw 4K disk: sgdisk -v sees no GPT and makes up an empty one" \
	sh -c "sgdisk -v $NVME | grep -q 'Creating new GPT entries'"
dd if="$NVME" of=/tmp/lba0.before bs=4096 count=1 iflag=direct 2>/dev/null
check_eq "before sgdisk -e: 512-byte GPT header at byte 512" "EFI PART" \
	"$(dd if=/tmp/lba0.before bs=1 skip=512 count=8 2>/dev/null)"
check_eq "before sgdisk -e: 0xEE entry covers the image in 512-byte sectors" \
	$((IMG_MIB * 2048 - 1)) "$(ee_size /tmp/lba0.before)"
check "sgdisk -e on the raw 4K disk reports success" sgdisk -e "$NVME"
dd if="$NVME" of=/tmp/lba01.after bs=4096 count=2 iflag=direct 2>/dev/null
head -c 3584 /dev/zero > /tmp/zero3584
check "after sgdisk -e: bytes 512-4095 (512-byte GPT header, entries 1-24) are zeroed" \
	sh -c "dd if=/tmp/lba01.after bs=512 skip=1 count=7 2>/dev/null | cmp -s - /tmp/zero3584"
check_eq "after sgdisk -e: 0xEE entry rewritten for 4096-byte sectors (disk/4096 - 1)" \
	$((NSZ / 4096 - 1)) "$(ee_size /tmp/lba01.after)"
check_eq "after sgdisk -e: a 4096-byte GPT header at byte 4096" "EFI PART" \
	"$(dd if=/tmp/lba01.after bs=1 skip=4096 count=8 2>/dev/null)"
check_eq "after sgdisk -e: inspect on the raw disk finds an empty 4096-byte GPT" "4096 0" \
	"$(jfield "$NVME" '"\(.sector_size) \(.partitions | length)"')"
map_se se_pt "$NVME" 0 1
lo=$(losetup_p $M --sector-size 512)
wait_parts "$(basename "$lo")" 3
check_eq "after sgdisk -e, through a mapping: the kernel finds none of the 3 partitions" \
	0 "$(nparts "$(basename "$lo")")"
losetup -d "$lo"
check_eq "after sgdisk -e, through a mapping: no valid 512-byte GPT copy, no partitions" \
	"false false 0" \
	"$(jfield $M '"\(.primary_valid) \(.backup_valid) \(.partitions | length)"' --sector-size 512)"
sum_before=$(range_sum $M 0 1)
expect_fail "after sgdisk -e: ptable fix --sector-size 512 has nothing to rebuild from" \
	sectoremu ptable fix $M --sector-size 512
check_eq "the refused fix wrote nothing (sha256 of the first MiB)" "$sum_before" "$(range_sum $M 0 1)"
dm remove se_pt

# --- 2. Avoided: the image through a sectoremu mapping, and ptable fix.
zero_ends "$NVME"
map_se se_pt "$NVME" 0 1
check "image written through the mapping" dd if=$IMG of=$M bs=1M oflag=direct
expect_fail "through the mapping: sgdisk -v flags the backup GPT (not at the end)" sgdisk_clean $M
check "ptable fix on the mapping" sectoremu ptable fix $M
check "after fix: sgdisk -v on the mapping finds no problems" sgdisk_clean $M
check_eq "after fix: backup GPT header at the mapping's last 512-byte LBA" \
	$((NSZ / 512 - 1)) "$(jfield $M .backup_lba)"
check_eq "after fix: sfdisk reads the partitions at the image's byte offsets" \
	"$(expect_all)" "$(sfdisk_bytes $M 512)"
dd if="$NVME" of=/tmp/lba0 bs=4096 count=1 iflag=direct 2>/dev/null
check_eq "after fix: on the raw disk the 512-byte GPT header is at byte 512" "EFI PART" \
	"$(dd if=/tmp/lba0 bs=1 skip=512 count=8 2>/dev/null)"
lo=$(losetup_p $M --sector-size 512)
check_parts "loop -P over the mapping" "$(basename "$lo")"
check_sums "loop -P over the mapping" "$(basename "$lo")p"
check_fs "loop -P over the mapping, partition 2" "${lo}p2"
losetup -d "$lo"

# --- 3a. Converted in place through the mapping, then used raw.
check "ptable convert --to 4096 through the mapping" sectoremu ptable convert $M --to 4096
dm remove se_pt
raw_rescan
check_parts "raw 4K disk after convert through the mapping" "$NVME_NAME"
check_eq "raw 4K disk: sfdisk reads the same byte offsets (4096-byte sectors)" \
	"$(expect_all)" "$(sfdisk_bytes "$NVME" 4096)"
check "raw 4K disk: sgdisk -v finds no problems" sgdisk_clean "$NVME"
check_sums "raw 4K disk after convert through the mapping" "${NVME_NAME}p"
check_fs "raw 4K disk after convert through the mapping, partition 2" "/dev/${NVME_NAME}p2"

# --- 3b. The image file converted, written raw, then grown with fix.
zero_ends "$NVME"
raw_rescan
check_eq "zeroed disk: no partitions left" 0 "$(nparts "$NVME_NAME")"
cp $IMG $IMG4
check "ptable convert --to 4096 of the image file" sectoremu ptable convert $IMG4 --to 4096
check_eq "converted image: written for 4096-byte sectors" 4096 "$(jfield $IMG4 .sector_size)"
check "converted image written raw to the 4K disk" dd if=$IMG4 of="$NVME" bs=1M oflag=direct
raw_rescan
check_parts "raw 4K disk with the converted image" "$NVME_NAME"
check_eq "raw 4K disk with the converted image: sfdisk reads the same byte offsets" \
	"$(expect_all)" "$(sfdisk_bytes "$NVME" 4096)"
check_sums "raw 4K disk with the converted image" "${NVME_NAME}p"
expect_fail "raw 4K disk: sgdisk -v flags the backup GPT at the image's end" sgdisk_clean "$NVME"
check "ptable fix on the raw 4K disk" sectoremu ptable fix "$NVME"
check "after fix: sgdisk -v on the raw 4K disk finds no problems" sgdisk_clean "$NVME"
check_eq "after fix: backup GPT header at the disk's last 4096-byte LBA" \
	$((NSZ / 4096 - 1)) "$(jfield "$NVME" .backup_lba)"
check_parts "raw 4K disk after fix (re-read by fix)" "$NVME_NAME"
check_sums "raw 4K disk after fix" "${NVME_NAME}p"
check_fs "raw 4K disk after fix, partition 2" "/dev/${NVME_NAME}p2"

zero_ends "$NVME"
raw_rescan
rm -f $IMG $IMG4 /tmp/lba0* /tmp/zero3584
tap_end
