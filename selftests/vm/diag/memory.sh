#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# A measurement, not a test (selftests/rig/repeat.sh SERIES N diag/memory.sh):
# the target's memory per mapping against the bound that
# Documentation/sectoremu.rst states.  With 64 KiB underlying blocks (B):
# the mempool reserve 16 B, the spare list 16 B and the block cache 4 B,
# 2.25 MiB per idle mapping, plus B per partial I/O in flight.
#
# N mappings of each kind over consecutive regions of the NVMe disk, first
# dm-linear (the control: device-mapper's own cost per mapping and per
# I/O, and se-stress's), then sectoremu.  MemFree, with the page cache
# dropped, is read after the mappings are created, sampled while
# se-stress runs on all of them at once (QD 16 each, partial writes for
# sectoremu, 4 KiB writes for dm-linear), and read again once the load is
# over.  Only the loads' data is checked; the figures per mapping
# (sectoremu's use minus the control's) are printed beside the bound.
# Why it is not a test yet: on 6.12, two runs gave 1.2-1.3 MiB at
# creation, 1.8-2.1 MiB at the peak and 3.2-3.3 MiB idle per mapping.
# Idle above the peak is not physical, so MemFree's noise (per-CPU page
# lists, lazily freed memory) is about 1 MiB per mapping here, as large as
# what it should tell apart; and a module whose spare list had no limit
# measured the same (3.2 MiB), since at QD 16 no more than the list's 16
# buffers are ever returned at once.
SE_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$SE_DIR/lib/se.sh"
se_need_cmd se-stress
se_need_nvme
# No null_blk of its own: its memory would blur the measurement.
SE_NO_NULLB=1
tap_begin
remove_own
load_module
N=16 QD=16 B=65536
REGION=$((64 << 20))
# What the target's own structures may add (the target, per-CPU counters
# and lists, two workqueues' rescuers).
SLACK_KB=${MEMORY_SLACK_KB:-512}
IDLE_KB=$(((16 + 16 + 4) * B / 1024))
PEAK_KB=$((IDLE_KB + QD * B / 1024))

# free_kb: MemFree once it has settled (page cache and slabs dropped,
# RCU-freed objects given time to go)
free_kb() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	echo 3 > /proc/sys/vm/drop_caches
	awk '/^MemFree:/ {print $2}' /proc/meminfo
}

# make_maps <se|linear>: N mappings mem_0 .. mem_<N-1>
make_maps() {
	_i=0
	while [ $_i -lt $N ]; do
		_start=$((_i * REGION / 512))
		if [ "$1" = se ]; then
			_t="sectoremu $NVME $_start 1 128"
		else
			_t="linear $NVME $_start"
		fi
		echo "0 $((REGION / 512)) $_t" | dm create mem_$_i || return 1
		_i=$((_i + 1))
	done
}

remove_maps() {
	_i=0
	while [ $_i -lt $N ]; do
		dm remove mem_$_i
		_i=$((_i + 1))
	done
}

# load_maps <align>: se-stress on every mapping at once; prints the lowest
# MemFree seen meanwhile; fails if one of them failed
load_maps() {
	_i=0
	rm -f /tmp/mem_*.rc
	while [ $_i -lt $N ]; do
		(se-stress --dev /dev/mapper/mem_$_i --size $((4 << 20)) --qd $QD \
			--align "$1" --min "$1" --max $((64 << 10)) --block $B \
			--hot 80 --read 10 --seconds 10 --seed $((4000 + _i)) \
			> /tmp/mem_$_i.out 2>&1
		 echo $? > /tmp/mem_$_i.rc) &
		_i=$((_i + 1))
	done
	_min=$(awk '/^MemFree:/ {print $2}' /proc/meminfo)
	while [ "$(ls /tmp/mem_*.rc 2>/dev/null | wc -l)" -lt $N ]; do
		_f=$(awk '/^MemFree:/ {print $2}' /proc/meminfo)
		[ "$_f" -lt "$_min" ] && _min=$_f
		sleep 0.2
	done
	wait
	echo "$_min"
	! grep -qv '^0$' /tmp/mem_*.rc
}

# measure <se|linear> <align>: sets m_ctr, m_peak, m_idle, m_back (KiB,
# all mappings together)
measure() {
	_f0=$(free_kb)
	make_maps "$1"
	_f1=$(free_kb)
	_min=$(load_maps "$2")
	_lrc=$?
	_f2=$(free_kb)
	remove_maps
	_f3=$(free_kb)
	m_ctr=$((_f0 - _f1)) m_peak=$((_f0 - _min)) m_idle=$((_f0 - _f2)) m_back=$((_f0 - _f3))
	diag "$1: created $m_ctr KiB, peak $m_peak KiB, idle $m_idle KiB, after removal $m_back KiB"
	return $_lrc
}

# measure runs here, not under check: its results are shell variables.
# A first round, not counted, warms up what device-mapper, the block
# layer and se-stress allocate once.
measure linear 4096 >/dev/null
measure linear 4096
check_eq "control: se-stress on $N dm-linear mappings at once" 0 $?
c_ctr=$m_ctr c_peak=$m_peak c_idle=$m_idle
measure se 512
check_eq "se-stress on $N sectoremu mappings (64 KiB blocks) at once" 0 $?
for i in $(seq 0 $((N - 1))); do diag "mem_$i: $(tail -n 1 /tmp/mem_$i.out)"; done

per() { echo $((($1 - $2) / N)); }
ctr=$(per "$m_ctr" "$c_ctr")
peak=$(per "$m_peak" "$c_peak")
idle=$(per "$m_idle" "$c_idle")
diag "per sectoremu mapping beyond dm-linear: created $ctr KiB, peak $peak KiB, idle $idle KiB" \
	"(bound: $IDLE_KB KiB idle, $PEAK_KB KiB at QD $QD; slack $SLACK_KB KiB)"
diag "within the idle bound plus slack at creation: $([ "$ctr" -le $((IDLE_KB + SLACK_KB)) ] && echo yes || echo no)"
diag "within the bound plus slack at the peak: $([ "$peak" -le $((PEAK_KB + SLACK_KB)) ] && echo yes || echo no)"
diag "within the idle bound plus slack when idle: $([ "$idle" -le $((IDLE_KB + SLACK_KB)) ] && echo yes || echo no)"
diag "given back on removal, per mapping: $((m_back / N)) KiB"
tap_end
