#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Errors from the device reach the caller through the mapping, and a
# failed read-modify-write leaves the other sectors of its block intact.
# The stack is null_blk <- "low" (linear, or dm-flakey failing I/O) <-
# sectoremu; the low table is swapped with suspend/reload/resume.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd cmp
tap_begin
load_module
S=$(sectors "$NULLB")
M=/dev/mapper/se_top

low() {	# low <table after "0 S">
	dm suspend se_low && echo "0 $S $*" | dm reload se_low && dm resume se_low
}

echo "0 $S linear $NULLB 0" | dm create se_low
echo "0 $S sectoremu /dev/mapper/se_low 0 1" | dm create se_top

# Known content in block 0 (sectors 0..7) and block 1.
dd if=/dev/urandom of=/tmp/pattern bs=4096 count=2 2>/dev/null
check "pattern written through the mapping" dd if=/tmp/pattern of=$M bs=4096 count=2 oflag=direct
dd if=/tmp/pattern of=/tmp/sector3 bs=512 skip=3 count=1 2>/dev/null

# Reads and writes all fail (flakey down, no features = error all I/O).
check "lower device switched to always-failing" low "flakey $NULLB 0 0 3600"
expect_fail "partial read fails with an error" dd if=$M of=/dev/null bs=512 skip=3 count=1 iflag=direct
expect_fail "partial write fails with an error" dd if=/dev/zero of=$M bs=512 seek=3 count=1 oflag=direct
expect_fail "aligned write fails with an error" dd if=/dev/zero of=$M bs=4096 seek=1 count=1 oflag=direct
check "errors are counted" test "$(status_field se_top 9)" -ge 2

# Reads work, writes fail: the RMW read succeeds, its write does not.
check "lower device switched to failing writes only" low "flakey $NULLB 0 0 3600 1 error_writes"
check "partial read works when only writes fail" dd if=$M of=/dev/null bs=512 skip=3 count=1 iflag=direct
expect_fail "partial write fails when the block write fails" dd if=/dev/zero of=$M bs=512 seek=5 count=1 oflag=direct

check "lower device healthy again" low "linear $NULLB 0"
check "block 0 and 1 are unchanged by the failed writes" sh -c \
	"dd if=$M bs=4096 count=2 iflag=direct 2>/dev/null | cmp - /tmp/pattern"
check "the mapping works again" dd if=/dev/zero of=$M bs=512 seek=3 count=1 oflag=direct
dm remove se_top
dm remove se_low
tap_end
