#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# REQ_FUA and REQ_PREFLUSH keep their meaning through read-modify-write:
# dm-log-writes under the mapping records every write with its flags.
#   NVMe <- log-writes (log on null_blk) <- sectoremu
. "$(dirname "$0")/lib/se.sh"
se_need_cmd se-logdump
se_need_nvme
tap_begin
load_module
S=$(sectors "$NVME")
M=/dev/mapper/se_top

mk_log() { echo "0 $S log-writes $NVME $NULLB" | dm create se_log; }
mk_top() { echo "0 $S sectoremu /dev/mapper/se_log 0 1" | dm create se_top; }
check "log-writes device is created" mk_log
check "sectoremu on top of it is created" mk_top
test -b $M || { tap_end; exit 1; }
check "the mapping supports FUA" test "$(queue_attr $M fua)" = 1
dmsetup message se_log 0 mark start
# A 512-byte O_DSYNC write in block 1 (sectors 8..15): a FUA partial write.
check "partial O_DSYNC write" dd if=/dev/urandom of=$M bs=512 seek=11 count=1 oflag=direct,dsync
dmsetup message se_log 0 mark fua-done
# A partial write in block 2, then fsync: a plain write, then a flush.
check "partial write then fsync" dd if=/dev/urandom of=$M bs=512 seek=20 count=1 oflag=direct conv=fsync
dmsetup message se_log 0 mark end
dm remove se_top
dm remove se_log

log=$(se-logdump "$NULLB")
diag "$log"
between() {	# the log lines between marks (exclusive)
	echo "$log" | awk -v a="$1" -v b="$2" '
		/MARK/ { n++; next } n == a && n < b { print }'
}
# (The VFS follows an O_DSYNC direct write with a flush of its own.)
check_eq "the dsync partial write became one FUA write of its whole block" \
	"8 8 FUA" "$(between 1 2 | grep -v FLUSH | sed 's/ *$//')"
w2=$(between 2 3 | sed 's/ *$//')
check_eq "the plain partial write is one whole-block write without FUA, then a flush" \
	"16 8 -
0 0 FLUSH" "$w2"
tap_end
