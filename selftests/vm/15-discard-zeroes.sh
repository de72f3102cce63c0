#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Write-zeroes and discard on the NVMe disk through a mapping: whole
# blocks pass through, partial blocks are zeroed by RMW (write-zeroes) or
# left as they are (discard, see Documentation/sectoremu.rst).  Then the
# same under concurrency: se-stress races BLKDISCARD and BLKZEROOUT at any
# sector of its hot blocks against partial writes on the blocks' other
# sectors, and checks every read against its model (zeroed sectors read as
# zeroes; a discard keeps the sectors of the blocks it covers in part).
# Shown to fail: against a module whose discard rounds out to whole blocks
# instead of in (148 mismatches in the race, besides the checks above),
# and against one whose write-zeroes across blocks takes no claim (1
# mismatch in 15 s: "expected zeroes, found a write"; a narrow race, so
# this half of the proof is probabilistic).
. "$(dirname "$0")/lib/se.sh"
se_need_cmd blkdiscard cmp
se_need_nvme
tap_begin
load_module
map_se se "$NVME" 0 1
M=/dev/mapper/se

dd if=/dev/urandom of=/tmp/p bs=4096 count=4 2>/dev/null
dd if=/tmp/p of=$M bs=4096 count=4 oflag=direct 2>/dev/null

# expect <description> <file with expected 16 KiB>
expect() {
	check "$1" sh -c "dd if=$M bs=4096 count=4 iflag=direct 2>/dev/null | cmp - $2"
}

cp /tmp/p /tmp/want
check "partial write-zeroes (sectors 1..2) succeeds" blkdiscard -z -o 512 -l 1024 $M
dd if=/dev/zero of=/tmp/want bs=512 seek=1 count=2 conv=notrunc 2>/dev/null
expect "only sectors 1..2 became zero" /tmp/want
check "write-zeroes across blocks (sector 6 .. 2 blocks later)" blkdiscard -z -o 3072 -l 8192 $M
dd if=/dev/zero of=/tmp/want bs=512 seek=6 count=16 conv=notrunc 2>/dev/null
expect "head, middle and tail were zeroed, nothing else" /tmp/want
check "partial RMW write-zeroes was counted" test "$(status_field se 4)" -ge 3

dd if=/tmp/p of=$M bs=4096 count=4 oflag=direct 2>/dev/null
dmsetup message se 0 stats_reset
check "partial discard succeeds" blkdiscard -o 512 -l 1024 $M
expect "a partial discard leaves the data in place" /tmp/p
check_eq "partial discard counted" 1 "$(status_field se 5)"
check "whole-block discard succeeds" blkdiscard -o 4096 -l 4096 $M
check_eq "whole-block discard passed through" 1 "$(status_field se 2)"
# A discard from sector 1 to sector 16 (blocks 0 and 2 partial, block 1
# whole) is served whole, trimmed to block 1: the partial blocks keep
# their data; the device decides what block 1 reads back as.
dd if=/tmp/p of=$M bs=4096 count=4 oflag=direct 2>/dev/null
dmsetup message se 0 stats_reset
check "discard spanning partial and whole blocks succeeds" blkdiscard -o 512 -l 8192 $M
check "the partial blocks of a spanning discard keep their data" sh -c \
	"dd if=$M bs=4096 count=1 iflag=direct 2>/dev/null | cmp - /tmp/p -n 4096 &&
	 dd if=$M bs=4096 skip=2 count=2 iflag=direct 2>/dev/null |
	 cmp - /tmp/p -n 8192 -i 0:8192"
check_eq "its whole block was discarded on the device (one passthrough)" 1 "$(status_field se 2)"
check "and it counted as a partial discard" test "$(status_field se 5)" -ge 1
dm remove se

# stress_extents <description> <device> <se-stress options...>
stress_extents() {
	_d=$1 _dev=$2
	shift 2
	check "$_d" se-stress --dev "$_dev" --size $((32 << 20)) --seconds 15 --seed 15 "$@"
	diag "$_out"
}
map_se se "$NVME" 0 1
stress_extents "NVMe: discard and write-zeroes race partial writes of their blocks" \
	/dev/mapper/se --qd 32 --discard --zeroes
nz=$(echo "$_out" | sed -n 's/.* \([0-9]*\) write-zeroes.*/\1/p')
check "NVMe: the race ran write-zeroes ($nz)" test "${nz:-0}" -gt 0
check "NVMe: the race took partial discards" test "$(status_field se 5)" -gt 0
check_eq "NVMe: no I/O errors in the race" 0 "$(status_field se 9)"
diag "status: $(dmsetup status se)"
dm remove se
# null_blk has neither discard nor write-zeroes: BLKZEROOUT writes zeroes.
map_se se "$NULLB" 0 1
stress_extents "null_blk: zeroing writes race partial writes of their blocks" \
	/dev/mapper/se --qd 64 --zeroes
dm remove se
tap_end
