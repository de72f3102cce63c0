#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# The control for a guest crash seen under 10-stress.sh: the same kind of
# load (se-stress, libaio O_DIRECT, queue depths 64 and 128, misaligned
# buffers, the same duration) on the raw 4K NVMe namespace and on null_blk,
# with dm-sectoremu never loaded.  A crash here is not the target's.
# No misaligned buffers on null_blk: its memory backing copies one logical
# block at a time from wherever a segment starts (copy_to_nullb() in 6.1
# and 6.12), so a 4 KiB-block null_blk given a segment that starts inside
# a block and runs past its end writes past the end of its own page (up to
# 3.5 KiB of someone else's memory); two runs of this script with
# --misalign on null_blk both died of it (a general protection fault in
# __null_lookup_page()).  The target bounces such segments (see
# se_memory_fits()); the raw device has nothing in front of it.
SE_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$SE_DIR/lib/se.sh"
tap_begin
SECS=${STRESS_SECONDS:-15}
check_eq "dm_sectoremu is not loaded" "" "$(lsmod | grep '^dm_sectoremu ')"
for dev in "$NULLB" "$NVME"; do
	d=$(basename "$dev")
	for run in "64 11" "128 12 --misalign" "64 13" "128 14 --misalign" "32 15"; do
		set -- $run
		[ "$dev" = "$NULLB" ] && [ $# -gt 2 ] && set -- $1 $2
		qd=$1 seed=$2
		shift 2
		check "$d raw: qd $qd $*" se-stress --dev "$dev" --size $((64 << 20)) \
			--align 4096 --min 4096 --block 4096 --qd "$qd" --seed "$seed" \
			--seconds "$SECS" "$@"
	done
done
check_eq "dm_sectoremu was never loaded" "" "$(lsmod | grep '^dm_sectoremu ')"
tap_end
