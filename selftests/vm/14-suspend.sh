#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Suspend/resume, noflush suspend and table reloads while the stress test
# runs: nothing is lost, nothing hangs; then the module unloads.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd se-stress
se_need_nvme
tap_begin
load_module

for dev in "$NVME" "$NULLB"; do
	d=$(basename "$dev")
	map_se se "$dev" 0 1
	table=$(dmsetup table se)
	se-stress --dev /dev/mapper/se --size $((32 << 20)) --qd 64 --seconds 25 \
		--seed 41 > /tmp/stress.out 2>&1 &
	pid=$!
	sleep 2
	ok=0 n=0
	while kill -0 $pid 2>/dev/null; do
		n=$((n + 1))
		case $((n % 3)) in
		0) dm suspend se && dm resume se ;;
		1) dm suspend --noflush se && dm resume se ;;
		2) echo "$table" | dm reload se && dm suspend se && dm resume se ;;
		esac || ok=1
		sleep 0.3
	done
	wait $pid
	rc=$?
	tap_result $ok "$d: $n suspend/resume/reload cycles under load succeeded"
	tap_result $rc "$d: stress data verified across the cycles"
	diag "$(cat /tmp/stress.out)"
	check_eq "$d: table unchanged" "$table" "$(dmsetup table se)"
	dm remove se
done
check "module unloads after the cycles" rmmod dm-sectoremu
tap_end
