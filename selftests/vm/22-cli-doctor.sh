#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sectoremu doctor against the QEMU NVMe disk (whose LBA formats are
# QEMU's: 512 and 4096 bytes, each with 0, 8, 16 and 64 bytes of
# metadata, the 4096-byte one without metadata in use), null_blk and a
# loop device: block sizes, formats, mapping state, the module, the
# mappings, phys-bits, and the exit status.
# timeout: 600
. "$(dirname "$0")/lib/se.sh"
se_need_cmd sectoremu losetup mkfs.ext4 nvme jq
se_need_nvme
tap_begin
load_module
SE=sectoremu
remove_own
# No partition table of an earlier test: the disks are unused.
for d in "$NVME" "$NULLB"; do
	dd if=/dev/zero of="$d" bs=1M count=4 oflag=direct 2>/dev/null
	blockdev --rereadpt "$d" 2>/dev/null
done

$SE doctor --json "$NVME" >/tmp/d.json 2>/tmp/err
check_eq "an unmapped 4Kn NVMe: exit status 1" 1 $?
check "--json is valid JSON" jq -e . /tmp/d.json
disk='.disks[0]'
check_eq "the device" "$NVME" "$(jq -r "$disk.device" /tmp/d.json)"
check_eq "logical and physical block size" "4096 4096" \
	"$(jq -r "\"\($disk.logical_block_size) \($disk.physical_block_size)\"" /tmp/d.json)"
check_eq "its size" "$(($(sectors "$NVME") * 512))" "$(jq -r "$disk.size_bytes" /tmp/d.json)"
check_eq "namespace 1" 1 "$(jq -r "$disk.nvme.nsid" /tmp/d.json)"
check_eq "QEMU's eight LBA formats (data size/metadata size)" \
	"512/0 512/8 512/16 512/64 4096/0 4096/8 4096/16 4096/64" \
	"$(jq -r "[$disk.nvme.lba_formats[] | \"\(.data_size)/\(.metadata_size)\"] | join(\" \")" /tmp/d.json)"
check_eq "format 4 (4096 bytes, no metadata) is in use" "4 4" \
	"$(jq -r "\"\($disk.nvme.format_in_use) \([$disk.nvme.lba_formats[] | select(.in_use) | .index] | join(\",\"))\"" /tmp/d.json)"
check_eq "a 512-byte format exists: format 0" "true 0" \
	"$(jq -r "\"\($disk.nvme.has_512) \($disk.nvme.format_512)\"" /tmp/d.json)"
check_eq "the same as nvme-cli reads" \
	"$(nvme id-ns -o json "$NVME" | jq -r '"\(.nlbaf + 1) \(.flbas)"')" \
	"$(jq -r "\"\($disk.nvme.lba_formats | length) \($disk.nvme.format_in_use)\"" /tmp/d.json)"
check_eq "state: needs-mapping" needs-mapping "$(jq -r "$disk.state" /tmp/d.json)"
check_eq "the module: loaded, its version" "true $(cat $SE_DIR/VERSION)" \
	"$(jq -r '"\(.module.loaded) \(.module.version)"' /tmp/d.json)"
check_eq "phys-bits as /proc/cpuinfo says" \
	"$(sed -n 's/^address sizes.*: \([0-9]*\) bits physical.*/\1/p' /proc/cpuinfo | head -n1)" \
	"$(jq -r .cpu.phys_bits /tmp/d.json)"
check_eq "attention: 1" 1 "$(jq -r .attention /tmp/d.json)"

$SE doctor "$NVME" >/tmp/d.txt 2>&1
check "text: the formats, the one in use marked" grep -q '^     \* 4: 4096 bytes$' /tmp/d.txt
check "text: suggests the mapping" grep -q "sectoremu map $NVME" /tmp/d.txt
check "text: names nvme format as the destructive way" sh -c \
	"grep -q 'DESTROYS ALL DATA' /tmp/d.txt && grep -q 'nvme format $NVME --lbaf=0' /tmp/d.txt"

# Mapped: nothing needs attention.
check "map the NVMe disk" $SE map "$NVME"
$SE doctor --json "$NVME" >/tmp/d.json 2>/tmp/err
check_eq "mapped: exit status 0" 0 $?
check_eq "mapped: state and mapping" "mapped se-$(basename "$NVME")" \
	"$(jq -r "\"\($disk.state) \($disk.mapped_by | join(\",\"))\"" /tmp/d.json)"
check_eq "mapped: the mapping is listed with 512-byte sectors on the disk" "se-$(basename "$NVME") $NVME 512" \
	"$(jq -r '.mappings[] | "\(.name) \(.backing) \(.sector_size)"' /tmp/d.json)"
check_eq "the mapping's sysfs logical block size" 512 \
	"$(queue_attr /dev/mapper/se-$(basename "$NVME") logical_block_size)"

# Every disk: the NVMe disk and null_blk, no loop devices.
$SE doctor --json >/tmp/all.json 2>/tmp/err
check_eq "all disks: null_blk is unmapped, exit status 1" 1 $?
check_eq "all disks: null_blk 4096, not NVMe, needs a mapping" "4096 null needs-mapping" \
	"$(jq -r ".disks[] | select(.device == \"$NULLB\") | \"\(.logical_block_size) \(.nvme) \(.state)\"" /tmp/all.json)"
check_eq "all disks: the NVMe disk is mapped" mapped \
	"$(jq -r ".disks[] | select(.device == \"$NVME\") | .state" /tmp/all.json)"
check_eq "all disks: no loop devices" 0 \
	"$(jq -r '[.disks[] | select(.device | startswith("/dev/loop"))] | length' /tmp/all.json)"

# A 512-byte device needs nothing; one in use is left alone.
dd if=/dev/zero of=/tmp/lo.img bs=1M count=4 2>/dev/null
lo=$(losetup -f --show /tmp/lo.img)
$SE doctor --json "$lo" >/tmp/d.json 2>/dev/null
rc=$?
check_eq "a 512-byte loop device: no mapping needed, exit status 0" "no-mapping-needed 0" \
	"$(jq -r "$disk.state" /tmp/d.json) $rc"
losetup -d "$lo"
mkdir -p /mnt/d && mkfs.ext4 -q -F "$NULLB" && mount "$NULLB" /mnt/d
$SE doctor --json "$NULLB" >/tmp/d.json 2>/dev/null
rc=$?
check_eq "a mounted 4Kn device: in use (by its mount point), exit status 0" "in-use /mnt/d 0" \
	"$(jq -r "\"\($disk.state) \($disk.used_by | join(\",\"))\"" /tmp/d.json) $rc"
umount /mnt/d

# Without the module.
$SE unmap se-$(basename "$NVME")
rmmod dm-sectoremu
$SE doctor --json "$NVME" >/tmp/d.json 2>/dev/null
rc=$?
check_eq "module unloaded: reported, exit status 1" "false 1" \
	"$(jq -r .module.loaded /tmp/d.json) $rc"
$SE doctor "$NVME" 2>&1 | grep -q 'dm-sectoremu is not loaded'
check_eq "text: says the module is not loaded" 0 $?
modprobe dm-sectoremu
expect_fail "doctor of a path that is no block device" $SE doctor /dev/null
check_eq "usage error: exit status 2" 2 "$($SE doctor --bogus >/dev/null 2>&1; echo $?)"
tap_end
