#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Data integrity under concurrency: se-stress (libaio, O_DIRECT, model of
# the device) on sectoremu mappings over null_blk and the NVMe disk, at
# every emulated size, with a larger underlying block, and on the raw 4K
# device at 4K granularity as a control.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd se-stress
se_need_nvme
tap_begin
load_module
SECS=${STRESS_SECONDS:-15}

# stress <description> <device> <se-stress options...>
stress() {
	_d=$1 _dev=$2
	shift 2
	check "$_d" se-stress --dev "$_dev" --seconds "$SECS" "$@"
	diag "$_out"
}

stress "control: raw null_blk at 4K granularity" "$NULLB" \
	--size $((64 << 20)) --align 4096 --min 4096 --block 4096 --qd 64

for dev in "$NULLB" "$NVME"; do
	d=$(basename "$dev")
	map_se se "$dev" 0 1
	stress "$d 512e: qd 64, 512 B..128 KiB, hot blocks" /dev/mapper/se \
		--size $((64 << 20)) --qd 64 --seed 11
	stress "$d 512e: qd 128, misaligned buffers" /dev/mapper/se \
		--size $((64 << 20)) --qd 128 --misalign --seed 12
	check "$d: partial writes were served by RMW" test "$(status_field se 4)" -gt 0
	check "$d: concurrent writes to one block waited for each other" \
		test "$(status_field se 8)" -gt 0
	check_eq "$d: no I/O errors" 0 "$(status_field se 9)"
	diag "status: $(dmsetup status se)"
	dm remove se
done

for e in 2 4; do
	map_se se "$NULLB" 0 $e
	stress "null_blk $((e * 512))-byte emulation" /dev/mapper/se \
		--size $((64 << 20)) --qd 64 --align $((e * 512)) --min $((e * 512)) --seed 2$e
	dm remove se
done

map_se se "$NULLB" 0 1 16
stress "null_blk 512e over 8 KiB underlying blocks" /dev/mapper/se \
	--size $((64 << 20)) --qd 64 --block 8192 --seed 31
dm remove se
map_se se "$NVME" 0 1 128
stress "NVMe 512e over 64 KiB underlying blocks" /dev/mapper/se \
	--size $((64 << 20)) --qd 32 --block 65536 --seed 32
dm remove se

# A mapping at an offset: data lands exactly at offset + sector.
echo "0 8192 sectoremu $NULLB 8192 1" | dm create se_off
printf 'sectoremu-offset-marker' | dd of=/dev/mapper/se_off bs=512 seek=5 count=1 conv=sync oflag=direct 2>/dev/null
got=$(dd if="$NULLB" bs=4096 skip=$((8192 / 8)) count=1 iflag=direct 2>/dev/null |
	dd bs=512 skip=5 count=1 2>/dev/null | head -c 23)
check_eq "offset mapping writes at offset + sector" "sectoremu-offset-marker" "$got"
dm remove se_off
tap_end
