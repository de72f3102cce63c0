#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rig itself: the devices the other tests rely on, and our module.
. /tests/lib/se.sh
tap_begin

check "NVMe disk is present" test -b "$NVME"
check_eq "NVMe logical block size is 4096" 4096 "$(queue_attr "$NVME" logical_block_size)"
check_eq "NVMe physical block size is 4096" 4096 "$(queue_attr "$NVME" physical_block_size)"
check "null_blk device is present" test -b "$NULLB"
check_eq "null_blk logical block size is 4096" 4096 "$(queue_attr "$NULLB" logical_block_size)"
check "dm-sectoremu loads" modprobe dm-sectoremu
check "dmsetup targets lists sectoremu v1" sh -c 'dmsetup targets | grep -Eq "^sectoremu +v1\."'
check_eq "module version matches the tree" "$(cat /tests/VERSION)" "$(cat /sys/module/dm_sectoremu/version)"
tap_end
