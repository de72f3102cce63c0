#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# The LVM recipe (Documentation/recipes/lvm.rst), run as written: LVM
# refuses to put a 4Kn disk into a volume group of 512-byte PVs
# (allow_mixed_block_sizes=0, its default), and a sectoremu mapping of the
# same disk joins it.  A logical volume over both PVs keeps its data
# across deactivation and activation, which reads the metadata back from
# the PV on the mapping.
# The raw disk's refusal is the control: the same vgextend, minus the
# mapping, must fail (checked, and with LVM's own message).
. "$(dirname "$0")/lib/se.sh"
se_need_cmd sectoremu losetup wipefs truncate lvm sha256sum
se_need_nvme
tap_begin
remove_own
load_module

# No udev in the guest: LVM must neither wait for it nor ask it.
LVMDEV='obtain_device_list_from_udev=0'
lvmc() {
	lvm "$@" --config "devices { $LVMDEV } activation { udev_sync=0 udev_rules=0 }"
}

truncate -s 256M /tmp/pv512.img
L=$(losetup -f --show /tmp/pv512.img)
check_eq "the loop PV has 512-byte sectors" 512 "$(blockdev --getss "$L")"
check_eq "the NVMe disk has 4096-byte sectors" 4096 "$(blockdev --getss "$NVME")"
wipefs -a -q "$NVME"
check "pvcreate on the loop device" lvmc pvcreate -q "$L"
check "vgcreate vg512 on it" lvmc vgcreate -q vg512 "$L"

# The control: the raw 4Kn disk is refused.
out=$(lvmc vgextend vg512 "$NVME" 2>&1)
rc=$?
diag "raw: $out"
check "vgextend with the raw 4Kn disk fails" test $rc -ne 0
case $out in
*"inconsistent logical block sizes"*) tap_result 0 "LVM says why (mixed logical block sizes)" ;;
*) tap_result 1 "LVM says why (mixed logical block sizes)" ;;
esac
lvmc pvremove -q -y "$NVME" >/dev/null 2>&1
wipefs -a -q "$NVME"

# The recipe: map the disk, keep LVM off the raw disk under it (it would
# find the same PV there again), add the mapping.
LVMDEV="$LVMDEV global_filter=[ \"r|^$NVME\$|\" ]"
check "sectoremu map the disk" sectoremu map "$NVME" --name se_pv
check_eq "the mapping has 512-byte sectors" 512 "$(blockdev --getss /dev/mapper/se_pv)"
check "vgextend vg512 with the mapping" lvmc vgextend -q vg512 /dev/mapper/se_pv
check_eq "the VG has two PVs" 2 "$(lvmc vgs --noheadings -o pv_count vg512 | tr -d ' ')"
# An LV larger than the loop PV: its second segment is on the mapping.
check "lvcreate over both PVs" lvmc lvcreate -q -y -n data -L 400M vg512
segs=$(lvmc lvs --noheadings --segments -o devices vg512/data | tr -d ' ' | sort | tr '\n' ' ')
diag "segments: $segs"
case $segs in
*se_pv*) tap_result 0 "a segment of the LV is on the mapping" ;;
*) tap_result 1 "a segment of the LV is on the mapping" ;;
esac
dm mknodes
dd if=/dev/urandom of=/tmp/lv.data bs=1M count=400 2>/dev/null
dd if=/tmp/lv.data of=/dev/mapper/vg512-data bs=1M oflag=direct 2>/dev/null
want=$(sha256sum < /tmp/lv.data)
rm -f /tmp/lv.data
check "deactivate the VG" lvmc vgchange -q -an vg512
check "activate it again" lvmc vgchange -q -ay vg512
dm mknodes
check_eq "the LV's data survived" "$want" \
	"$(dd if=/dev/mapper/vg512-data bs=1M iflag=direct 2>/dev/null | sha256sum)"
check "vgck" lvmc vgck vg512

lvmc vgchange -q -an vg512 >/dev/null 2>&1
lvmc vgremove -q -f vg512 >/dev/null 2>&1
lvmc pvremove -q -y "$L" /dev/mapper/se_pv >/dev/null 2>&1
sectoremu unmap se_pv
losetup -d "$L"
rm -f /tmp/pv512.img
check_eq "nothing left mapped" "" "$(se_owned_dm)"
tap_end
