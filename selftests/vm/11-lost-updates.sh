#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# The stress test must catch lost updates: the test-only build without
# per-block write serialisation (SECTOREMU_TEST_UNSAFE) has to fail it.
# On the NVMe disk: null_blk finishes each write before the next block
# read can start, so it never exposes the race.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd se-stress insmod rmmod
se_need_nvme
se_need_file "$SE_DIR"/dm-sectoremu-unsafe.ko
tap_begin
remove_own
rmmod dm-sectoremu 2>/dev/null
check "test-only unsafe module loads" insmod "$SE_DIR"/dm-sectoremu-unsafe.ko
map_se se_unsafe "$NVME" 0 1
caught=no
for seed in 1 2 3 4 5; do
	out=$(se-stress --dev /dev/mapper/se_unsafe --size $((16 << 20)) --qd 128 \
		--hot 90 --read 10 --seconds 10 --seed $seed 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && echo "$out" | grep -q 'lost update'; then
		caught=yes
		break
	fi
done
diag "$(echo "$out" | tail -n 4)"
check_eq "stress test reports lost updates without serialisation" yes $caught
dm remove se_unsafe
check "unsafe module unloads" rmmod dm-sectoremu
check "the real module loads again" modprobe dm-sectoremu
tap_end
