/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target's counters, in the order "dmsetup status" prints them after
 * their number.  This is the one definition: the module and the sectoremu
 * tool each define SE_COUNTER(ENUM_SUFFIX, name, description) and include
 * this file where they need the list; it undefines SE_COUNTER again.
 * (No include guard on purpose.)
 */
SE_COUNTER(PASSTHROUGH_READS, passthrough_reads, "aligned reads remapped")
SE_COUNTER(PASSTHROUGH_WRITES, passthrough_writes, "aligned writes, zeroes, discards remapped")
SE_COUNTER(PARTIAL_READS, partial_reads, "partial-block reads served by read-modify-write")
SE_COUNTER(PARTIAL_WRITES, partial_writes, "partial-block writes and write-zeroes")
SE_COUNTER(PARTIAL_DISCARDS, partial_discards, "discards of partial blocks (data kept)")
SE_COUNTER(RMW_BLOCK_READS, rmw_block_reads, "whole-block reads issued")
SE_COUNTER(RMW_BLOCK_WRITES, rmw_block_writes, "merged whole-block writes issued")
SE_COUNTER(LOCK_WAITS, lock_waits, "writes that waited for an overlapping one")
SE_COUNTER(ERRORS, errors, "bios failed by an error of the device")
SE_COUNTER(BOUNCED, bounced, "whole blocks copied: memory unfit for the device")
SE_COUNTER(CACHE_HITS, cache_hits, "block reads saved by the block cache")

#undef SE_COUNTER
