#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The block cache (kmod/sectoremu-cache.c): a stream of small writes to
# one block reads the block once; every other way of writing a block makes
# the cache forget it: an aligned write, write-zeroes, a discard, and a
# write to the device itself while the mapping is suspended.  After each,
# a partial read and a partial write must see the device's new content.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd blkdiscard cmp
se_need_nvme
tap_begin
load_module
map_se se "$NVME" 0 1
M=/dev/mapper/se
RMW_READS=6 HITS=11

# put <file> <sector>: its first 512 bytes to that sector of the mapping
put() {
	dd if="$1" of=$M bs=512 seek="$2" count=1 oflag=direct conv=notrunc 2>/dev/null
}
# put_block <file> <dev>: its 4 KiB to block 0 of <dev>, one aligned write
put_block() {
	dd if="$1" of="$2" bs=4096 count=1 oflag=direct conv=notrunc 2>/dev/null
}
# block0_is <description> <file of 4 KiB>: block 0 read back through
# the mapping, first one partial (cache) then whole (device)
block0_is() {
	check "$1 (partial read)" sh -c "dd if=$M bs=512 count=1 skip=3 iflag=direct 2>/dev/null |
		cmp - /tmp/want3"
	check "$1 (whole block)" sh -c "dd if=$M bs=4096 count=1 iflag=direct 2>/dev/null | cmp - $2"
}
want() {	# want <file>: expected block, and its sector 3 alone
	cp "$1" /tmp/want
	dd if="$1" of=/tmp/want3 bs=512 skip=3 count=1 2>/dev/null
}

dd if=/dev/urandom of=/tmp/a bs=4096 count=1 2>/dev/null
dd if=/dev/urandom of=/tmp/b bs=4096 count=1 2>/dev/null
dd if=/dev/urandom of=/tmp/c bs=4096 count=1 2>/dev/null
dd if=/dev/zero of=/tmp/z bs=4096 count=1 2>/dev/null

# 1. Eight sequential 512-byte writes: one block read, seven cache hits.
dd if=/dev/zero of="$NVME" bs=4096 count=4 oflag=direct 2>/dev/null
dmsetup message se 0 stats_reset
i=0
while [ $i -lt 8 ]; do
	dd if=/tmp/a of=$M bs=512 skip=$i seek=$i count=1 oflag=direct conv=notrunc 2>/dev/null
	i=$((i + 1))
done
check_eq "sequential 512-byte writes read their block once" 1 "$(status_field se $RMW_READS)"
check_eq "the other seven merged into the cached block" 7 "$(status_field se $HITS)"
want /tmp/a
block0_is "the block holds all eight writes" /tmp/want

# 2. An aligned write replaces the block: the cache must forget it.
put_block /tmp/b $M
want /tmp/b
block0_is "after an aligned write" /tmp/want
dd if=/tmp/c of=$M bs=512 skip=5 seek=5 count=1 oflag=direct conv=notrunc 2>/dev/null
dd if=/tmp/c of=/tmp/want bs=512 skip=5 seek=5 count=1 conv=notrunc 2>/dev/null
want /tmp/want
block0_is "a partial write after an aligned one merges into the new block" /tmp/want

# 3. Whole-block write-zeroes and discard through the mapping.
put /tmp/a 2
blkdiscard -z -o 0 -l 4096 $M
want /tmp/z
block0_is "after whole-block write-zeroes" /tmp/z
put_block /tmp/a $M
put /tmp/b 1
blkdiscard -o 0 -l 4096 $M
# NVMe in QEMU reads discarded blocks back as zeroes; whatever the device
# now returns, the mapping must return the same.
dd if="$NVME" of=/tmp/dev bs=4096 count=1 iflag=direct 2>/dev/null
want /tmp/dev
block0_is "after a whole-block discard, the device's content" /tmp/dev

# 4. Written behind the mapping's back while it is suspended.
put_block /tmp/a $M
put /tmp/b 4
dm suspend se
put_block /tmp/c "$NVME"
dm resume se
want /tmp/c
block0_is "after the device was written during a suspend" /tmp/c

dm remove se
tap_end
