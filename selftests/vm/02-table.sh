#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Creating, inspecting and removing mappings: queue limits, table round
# trip, status counters and messages, module reference counting.
. "$(dirname "$0")/lib/se.sh"
se_need_nvme
tap_begin
load_module

for dev in "$NVME" "$NULLB"; do
	d=$(basename "$dev")
	n=se_$d
	check "$d: table can be created" map_se "$n" "$dev" 0 1
	m=/dev/mapper/$n
	check "$d: mapping node exists" test -b "$m"
	check_eq "$d: mapping logical block size is 512" 512 "$(queue_attr "$m" logical_block_size)"
	check_eq "$d: mapping physical block size is 4096" 4096 "$(queue_attr "$m" physical_block_size)"
	check_eq "$d: mapping minimum I/O size is 4096" 4096 "$(queue_attr "$m" minimum_io_size)"
	check_eq "$d: mapping has the device's size" "$(sectors "$dev")" "$(sectors "$m")"
	mm=$(cat /sys/block/$d/dev)
	check_eq "$d: table round-trips (short form)" \
		"0 $(sectors "$dev") sectoremu $mm 0 1" "$(dmsetup table "$n")"
	check_eq "$d: status has 11 zero counters" "11 0 0 0 0 0 0 0 0 0 0 0" \
		"$(dmsetup status "$n" | cut -d' ' -f4-)"
	dd if=/dev/zero of="$m" bs=512 seek=3 count=1 oflag=direct 2>/dev/null
	dd if="$m" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null
	check_eq "$d: one partial write counted" 1 "$(status_field "$n" 4)"
	check_eq "$d: its block read and written once" "1 1" \
		"$(status_field "$n" 6) $(status_field "$n" 7)"
	check_eq "$d: one passthrough read counted" 1 "$(status_field "$n" 1)"
	check "$d: stats_reset is accepted" dmsetup message "$n" 0 stats_reset
	check_eq "$d: counters are zero after stats_reset" "11 0 0 0 0 0 0 0 0 0 0 0" \
		"$(dmsetup status "$n" | cut -d' ' -f4-)"
	expect_fail "$d: unknown message is refused" dmsetup message "$n" 0 frobnicate
	expect_fail "$d: rmmod refused while a mapping exists" rmmod dm-sectoremu
	check "$d: table can be removed" dm remove "$n"
	check "$d: node is gone" test ! -e "$m"
done

# Discard limits on the NVMe disk (null_blk has no discard here).
map_se se_disc "$NVME" 0 1
check_eq "discard granularity is the underlying block" 4096 \
	"$(queue_attr /dev/mapper/se_disc discard_granularity)"
check "discard is advertised" test "$(queue_attr /dev/mapper/se_disc discard_max_bytes)" -gt 0
dm remove se_disc

# Long form with the underlying size and a feature.
s=$(sectors "$NVME")
mm=$(cat /sys/block/$(basename "$NVME")/dev)
check "long form with ignore_discard loads" sh -c \
	"echo '0 $s sectoremu $NVME 0 2 16 1 ignore_discard' | dmsetup --noudevsync create se_long"
dmsetup mknodes
check_eq "long form round-trips" "0 $s sectoremu $mm 0 2 16 1 ignore_discard" "$(dmsetup table se_long)"
check_eq "1K emulation: logical block size 1024" 1024 "$(queue_attr /dev/mapper/se_long logical_block_size)"
check_eq "8K underlying: physical block size 8192" 8192 "$(queue_attr /dev/mapper/se_long physical_block_size)"
check_eq "ignore_discard: no discard advertised" 0 "$(queue_attr /dev/mapper/se_long discard_max_bytes)"
check "long form table can be removed" dm remove se_long

# A dm-ebs table line works with only the target name changed.
check "dm-ebs style line with offset and 3 args loads" sh -c \
	"echo '0 8192 sectoremu $NULLB 8192 1' | dmsetup --noudevsync create se_ebs"
dmsetup mknodes
check_eq "offset mapping has the requested length" 8192 "$(sectors /dev/mapper/se_ebs)"
dm remove se_ebs
check "module unloads once no mapping uses it" rmmod dm-sectoremu
tap_end
