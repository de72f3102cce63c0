#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Grown devices and real 4K disks for partitioning tools:
#   1. the 512-byte image on a sectoremu mapping of its own size, grown by
#      a table reload: sgdisk -v flags the backup GPT, "ptable fix" moves it
#      to the new end (sgdisk -v clean, data intact), "ptable restore" puts
#      the old sectors back;
#   2. the image converted to 4096-byte sectors on a loop device with
#      4096-byte sectors: sgdisk and sfdisk see a 4K disk and accept the
#      table, sgdisk can add a partition to it; the file grown, "ptable fix"
#      makes sgdisk -v clean again.
set -u
. "$(dirname "$0")/lib/ptable.sh"
se_need_cmd sectoremu sgdisk sfdisk losetup truncate
se_need_nvme
pt_begin
M=/dev/mapper/se_grow
SMALL=$((IMG_MIB * 2048))
BIG=$((4 * SMALL))


# --- 1. A mapping grown by a table reload.
grow() {	# grow <sectors>
	dm suspend se_grow &&
		echo "0 $1 sectoremu $NVME 0 1" | dm reload se_grow &&
		dm resume se_grow
}
zero_ends "$NVME"
echo "0 $SMALL sectoremu $NVME 0 1" | dm create se_grow
check "image written through an image-sized mapping" dd if=$IMG of=$M bs=1M oflag=direct
check "image-sized mapping: sgdisk -v finds no problems" sgdisk_clean $M
check "mapping grown to 4x by a table reload" grow $BIG
check_eq "grown mapping: its new size in sectors" $BIG "$(sectors $M)"
expect_fail "grown mapping: sgdisk -v flags the backup GPT" sgdisk_clean $M
check "grown mapping: inspect says the backup header is not at the end" \
	sh -c "sectoremu ptable inspect $M | grep -q 'not at the end of the device'"
check "fix --dry-run names the backup header's move" \
	sh -c "sectoremu ptable fix $M --dry-run | grep -q 'my_lba $((SMALL - 1)) -> $((BIG - 1))'"
check_eq "fix --dry-run wrote nothing (backup header still at the old end)" \
	$((SMALL - 1)) "$(jfield $M .backup_lba)"
rm -f /tmp/grow.bak
check "ptable fix --backup on the grown mapping" sectoremu ptable fix $M --backup /tmp/grow.bak
check "after fix: sgdisk -v finds no problems" sgdisk_clean $M
check_eq "after fix: backup header and last usable LBA at the new end" \
	"$((BIG - 1)) $((BIG - 34))" "$(jfield $M '"\(.backup_lba) \(.last_usable_lba)"')"
check_eq "after fix: no header left at the old end" "" \
	"$(dd if=$M bs=512 skip=$((SMALL - 1)) count=1 iflag=direct 2>/dev/null | tr -d '\0' | head -c 8)"
check_eq "after fix: sfdisk reads the partitions at the image's byte offsets" \
	"$(expect_all)" "$(sfdisk_bytes $M 512)"
check_dev_sums "grown mapping after fix" $M
lo=$(losetup_p $M --sector-size 512)
check_parts "loop -P over the grown mapping" "$(basename "$lo")"
check_fs "loop -P over the grown mapping, partition 2" "${lo}p2"
losetup -d "$lo"
check "ptable restore puts the saved sectors back" sectoremu ptable restore $M --backup /tmp/grow.bak
check_eq "after restore: the backup header is at the old end again" \
	$((SMALL - 1)) "$(jfield $M .backup_lba)"
expect_fail "after restore: sgdisk -v flags the backup GPT again" sgdisk_clean $M
check "sgdisk -e on the 512-byte mapping does the same repair" sgdisk -e $M
check "after sgdisk -e: ptable inspect finds the table healthy" sectoremu ptable inspect $M
check_dev_sums "grown mapping after restore and sgdisk -e" $M
dm remove se_grow

# --- 2. A loop device with 4096-byte sectors over the converted image.
cp $IMG $IMG4
check "ptable convert --to 4096 of the image file" sectoremu ptable convert $IMG4 --to 4096
lo=$(losetup_p $IMG4 --sector-size 4096)
l=$(basename "$lo")
check_eq "4K loop: logical block size 4096" 4096 "$(blockdev --getss "$lo")"
check_parts "4K loop over the converted image" "$l"
check "4K loop: sgdisk -v finds no problems" sgdisk_clean "$lo"
check "4K loop: sgdisk -p reports 4096-byte sectors" \
	sh -c "sgdisk -p $lo | grep -q 'Sector size (logical/physical): 4096/'"
check_eq "4K loop: sfdisk reads the image's byte offsets in 4096-byte sectors" \
	"$(expect_all)" "$(sfdisk_bytes "$lo" 4096)"
check "4K loop: sfdisk --verify accepts the table" sfdisk --verify "$lo"
check_sums "4K loop" "${l}p"
check "4K loop: sgdisk adds a fourth partition in the free space" \
	sgdisk -n 4:0:+2M -c 4:extra "$lo"
wait_parts "$l" 4
check_eq "4K loop: the kernel sees the fourth partition" 4 "$(nparts "$l")"
check_eq "4K loop: inspect finds a healthy 4096-byte GPT, partitions 1-3 unmoved" \
	"4096 true 4 $(expect_bytes 1 | cut -d' ' -f1) $(expect_bytes 2 | cut -d' ' -f1) $(expect_bytes 3 | cut -d' ' -f1)" \
	"$(jfield "$lo" '[.sector_size, .healthy, (.partitions | length)] + [.partitions[0:3][].start] | map(tostring) | join(" ")')"
losetup -d "$lo"
truncate -s $((2 * IMG_MIB))M $IMG4
lo=$(losetup_p $IMG4 --sector-size 4096)
l=$(basename "$lo")
expect_fail "4K loop over the grown file: sgdisk -v flags the backup GPT" sgdisk_clean "$lo"
check "ptable fix on the grown 4K loop" sectoremu ptable fix "$lo"
check "after fix: sgdisk -v on the 4K loop finds no problems" sgdisk_clean "$lo"
check_eq "after fix: backup header at the last 4096-byte LBA" \
	$((2 * IMG_MIB * 256 - 1)) "$(jfield "$lo" .backup_lba)"
check_parts "grown 4K loop after fix" "$l" 4
check_sums "grown 4K loop after fix" "${l}p"
losetup -d "$lo"

zero_ends "$NVME"
rm -f $IMG $IMG4 /tmp/grow.bak
tap_end
