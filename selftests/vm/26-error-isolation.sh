#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Error isolation.  Under the target, a table whose block B is a dm-flakey
# segment failing every write (reads still work): that block's writes
# fail, partial (its read-modify-write's block write fails) and aligned
# (passthrough), each counted once in the errors counter; concurrent
# partial writes to the blocks around it, in flight at the same time and
# merged in the same batches, succeed and verify (fio crc32c); the
# failed writes leave no trace: block B reads back what it held before,
# during the fault and after it clears, and so do its neighbours.
# The fault itself is the check that failures are seen: block B's writes
# fail and are counted, and the same fio jobs around it succeed.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd fio jq sha256sum
tap_begin
remove_own
load_module
S=131072		# 64 MiB
B=1000			# the failing block
X=$((B * 8))
t_good="0 $S linear $NULLB 0"
t_bad="0 $X linear $NULLB 0
$X 8 flakey $NULLB $X 0 1 1 error_writes
$((X + 8)) $((S - X - 8)) linear $NULLB $((X + 8))"
echo "$t_good" | dm create se_lower
map_se se /dev/mapper/se_lower 0 1
M=/dev/mapper/se

# sums <first block> <blocks>: sha256 of those blocks through the mapping
sums() {
	dd if=$M bs=4096 skip=$1 count=$2 iflag=direct 2>/dev/null | sha256sum
}
dd if=/dev/urandom of=$M bs=4096 seek=$((B - 4)) count=9 oflag=direct 2>/dev/null
before=$(sums $B 1)

echo "$t_bad" | dm reload se_lower && dm suspend se_lower && dm resume se_lower
check_eq "the fault is in place" "flakey" "$(dmsetup table se_lower | awk 'NR == 2 {print $3}')"
check_eq "reads of block B still work" "$before" "$(sums $B 1)"
e0=$(status_field se 9)

fio --output-format=json --output=/tmp/iso.json --ioengine=libaio --direct=1 \
	--bs=512 --iodepth=16 --rw=randwrite --filename=$M --group_reporting=0 \
	--name=before --offset=$(((B - 4) * 4096)) --size=16k --verify=crc32c \
	--name=after --offset=$(((B + 1) * 4096)) --size=16k --verify=crc32c \
	--name=bad --offset=$((B * 4096)) --size=4k \
	--continue_on_error=all >/dev/null 2>&1
job() { jq -r --arg n "$1" ".jobs[] | select(.jobname == \$n) | $2" /tmp/iso.json; }
diag "fio: before err $(job before .error), after err $(job after .error), bad err $(job bad .error) total_err $(job bad .total_err)"
check_eq "the block before B: every write and verify succeeded" 0 "$(job before .error)"
check_eq "the block after B: every write and verify succeeded" 0 "$(job after .error)"
bad=$(job bad .total_err)
check_eq "block B: each of its 8 sectors' partial writes failed" 8 "$bad"
e1=$(status_field se 9)
check_eq "the errors counter counted each failed partial write" "$bad" $((e1 - e0))
expect_fail "an aligned write to block B fails" \
	dd if=/dev/zero of=$M bs=4096 seek=$B count=1 oflag=direct
check_eq "the errors counter counted the failed aligned write once" 1 \
	$(($(status_field se 9) - e1))
check_eq "during the fault block B reads what it held" "$before" "$(sums $B 1)"
nb=$( (sums $((B - 4)) 4; sums $((B + 1)) 4) )

echo "$t_good" | dm reload se_lower && dm suspend se_lower && dm resume se_lower
check_eq "after the fault block B reads what it held" "$before" "$(sums $B 1)"
check_eq "its neighbours read what fio wrote and verified" "$nb" \
	"$( (sums $((B - 4)) 4; sums $((B + 1)) 4) )"
check "block B takes writes again" \
	dd if=/dev/zero of=$M bs=512 seek=$((X + 3)) count=1 oflag=direct
dm remove se
dm remove se_lower
tap_end
