#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Crash consistency, proven by replay.  dm-log-writes sits under the
# target, on the 4K device, so its log holds exactly the block writes the
# target issues:
#   NVMe (256 KiB of it) <- log-writes (log: 4K loop on tmpfs) <- sectoremu
# se-crash runs libaio writes at QD32 on the 256 KiB (512 B .. 16 KiB, most
# inside one block, so many 512-byte writes share blocks; 20% FUA by
# RWF_DSYNC), asynchronous flushes at random points with a mark after each.
# se-crash logcheck checks the log: whole-block writes only, every sector
# its own, FUA on the block write of every FUA write (read-modify-write or
# not).  se-replay replays it onto a fresh 4K loop device to every mark and
# to 2 torn points after each (random subsets of the writes up to the next
# mark, in log order), and se-crash check reads each through a fresh
# mapping and checks the model: every sector is old data or a payload
# written to that very sector, before the point; nothing older than a
# write acknowledged before a completed flush; nothing older than a FUA
# write completed before the mark.
# Proven: the nofua module (RMW block writes lose REQ_FUA) fails logcheck
# and the replay at the first mark after a lost FUA write; the noflush
# module (flushes never reach the device) fails the replay at the first
# mark (the workload runs on the variant, the checks on the real module).
# The whole-block rule: logcheck for 8 KiB blocks fails on the log of a
# mapping over 4 KiB blocks and passes on one over 8 KiB blocks.  Each
# per-sector rule fails on the replayed end state with one sector changed
# (a neighbour's payload, random bytes, zeroes) or checked at the first
# mark (writes from after it), and the replay in raw log order, without
# --payload-order, fails too (blocks revert).
# dm-ebs, when staged, is the control: every rule must hold for it but FUA
# on the block write, reported as diagnostics (dm-bufio writes the block
# without FUA and then flushes).
. "$(dirname "$0")/lib/se.sh"
se_need_cmd losetup truncate se-crash se-replay insmod rmmod
se_need_nvme
se_need_file "$SE_DIR"/dm-sectoremu-nofua.ko "$SE_DIR"/dm-sectoremu-noflush.ko

T=/tmp/crash
J=$T/journal
REGION=$((256 << 10))
RS=$((REGION / 512))

# "$0 point TARGET REPLAYDEV [check options]": se-replay's command at each
# point: a fresh mapping of the replayed device, checked against the model.
if [ "$1" = point ]; then
	tgt=$2 rep=$3
	shift 3
	echo "0 $RS $tgt $rep 0 1" | dm create se_chk || exit 2
	if [ "$SE_KIND" = torn ]; then
		se-crash check --dev /dev/mapper/se_chk --journal $J --mark "$SE_MARK" \
			--next "$SE_NEXT" "$@"
	else
		se-crash check --dev /dev/mapper/se_chk --journal $J --mark "$SE_MARK" "$@"
	fi
	rc=$?
	dm remove se_chk || exit 2
	exit $rc
fi

tap_begin
load_module
mkdir -p $T

# fresh_devs: an empty log device $LOGDEV and a fresh replay device
# $REPDEV, 4K loop devices on tmpfs.
fresh_devs() {
	for l in $LOGDEV $REPDEV; do losetup -d "$l" 2>/dev/null; done
	rm -f $T/log.img $T/replay.img
	truncate -s 128M $T/log.img
	truncate -s $REGION $T/replay.img
	LOGDEV=$(losetup --sector-size 4096 -f --show $T/log.img)
	REPDEV=$(losetup --sector-size 4096 -f --show $T/replay.img)
}

# workload TARGET SEED WRITES [UNDERLYING_SECTORS]: the stack, se-crash run,
# the stack removed.
workload() {
	echo "0 $RS log-writes $NVME $LOGDEV" | dm create se_log &&
		echo "0 $RS $1 /dev/mapper/se_log 0 1 $4" | dm create se_top &&
		se-crash run --dev /dev/mapper/se_top --logdm se_log --journal $J \
			--size $REGION --qd 32 --writes "$3" --seed "$2" \
			--flush-every 40 --fua-marks 10 --block $((${4:-8} * 512))
	_wrc=$?
	dm remove se_top
	dm remove se_log
	return $_wrc
}

# replay TARGET SE-REPLAY-OPTIONS... -- CHECK-OPTIONS...
replay() {
	_t=$1 _ro=
	shift
	while [ "$1" != -- ]; do _ro="$_ro $1"; shift; done
	shift
	# shellcheck disable=SC2086
	se-replay --log "$LOGDEV" --dev "$REPDEV" --start init ${ORDER---payload-order} $_ro \
		--run "$0 point $_t $REPDEV $*"
}

# fails_with DESCRIPTION TEXT COMMAND...: COMMAND exits 1 and says TEXT.
fails_with() {
	_d=$1 _t=$2
	shift 2
	_out=$("$@" 2>&1)
	_rc=$?
	[ $_rc = 1 ] && echo "$_out" | grep -q "$_t"
	tap_result $? "$_d"
	diag "$(echo "$_out" | grep -m 2 -e "$_t" -e VIOLATION -e FAIL)"
}

# mutated DD-OPERANDS MARK: the replayed state left on $REPDEV, changed by
# dd with DD-OPERANDS on a copy of its image, checked at MARK through a
# fresh mapping.
mutated() {
	cp $T/replay.img $T/mut.img
	# shellcheck disable=SC2086
	[ -z "$1" ] || dd of=$T/mut.img bs=512 conv=notrunc status=none $1 || return 2
	_md=$(losetup --sector-size 4096 -f --show $T/mut.img)
	echo "0 $RS sectoremu $_md 0 1" | dm create se_mut || return 2
	se-crash check --dev /dev/mapper/se_mut --journal $J --mark "$2"
	_mrc=$?
	dm remove se_mut
	losetup -d "$_md"
	rm -f $T/mut.img
	return $_mrc
}

fresh_devs
check "sectoremu: workload on the mapping over dm-log-writes" workload sectoremu 1 2000
diag "$_out"
check "sectoremu: the log: whole blocks, own sectors, FUA on every FUA write's block write" \
	se-crash logcheck --log "$LOGDEV" --journal $J --block 4096
diag "$(echo "$_out" | tail -n 2)"
t0=$(date +%s)
check "sectoremu: replay to every mark and 2 torn points after each: the model holds" \
	replay sectoremu --torn 2 --seed 1 --
diag "$(echo "$_out" | tail -n 1) in $(($(date +%s) - t0)) s"

# Each rule of the model fails on a state that breaks it: the end of the
# replay (everything written and flushed) with one sector changed.
check "model: the replayed end state passes at mark final" mutated "" final
fails_with "model: a sector holding its neighbour's payload fails" "from another sector" \
	mutated "if=$T/replay.img skip=9 seek=10 count=1" final
fails_with "model: a sector of random bytes fails" "never written" \
	mutated "if=/dev/urandom seek=20 count=1" final
fails_with "model: a sector back to its old zeroes fails" "older than a flush covered" \
	mutated "if=/dev/zero seek=30 count=1" final
fails_with "model: the end state checked at mark init fails" "written after the point" \
	mutated "" init
# Replayed in raw log order, blocks written by a FUA write revert to plain
# writes logged after it: the model must see that.
ORDER=
fails_with "replay in raw log order (no --payload-order) fails" "older than" \
	replay sectoremu --stop-on-fail --
unset ORDER

# The whole-block rule with 8 KiB underlying blocks, where a 4 KiB block
# write would be representable in the log (and fails the rule, as the
# 4 KiB blocks of the first log do).
expect_fail "logcheck for 8 KiB blocks fails on the log of 4 KiB blocks" \
	se-crash logcheck --log "$LOGDEV" --journal $J --block 8192
diag "$(echo "$_out" | head -n 1)"
fresh_devs
check "sectoremu over 8 KiB blocks: workload" workload sectoremu 4 800 16
check "sectoremu over 8 KiB blocks: the log is whole 8 KiB blocks, FUA kept" \
	se-crash logcheck --log "$LOGDEV" --journal $J --block 8192
diag "$(echo "$_out" | tail -n 2)"
check "sectoremu over 8 KiB blocks: replay to every mark: the model holds" \
	replay sectoremu --
diag "$(echo "$_out" | tail -n 1)"

if modprobe dm-ebs 2>/dev/null; then
	fresh_devs
	check "dm-ebs control: workload" workload ebs 2 1000
	check "dm-ebs control: the log (FUA as diagnostics)" \
		se-crash logcheck --log "$LOGDEV" --journal $J --block 4096 --fua-diag
	diag "$(echo "$_out" | grep -E '^DIAG' | head -n 2)"
	diag "$(echo "$_out" | tail -n 2)"
	# dm-ebs once (in 6 runs) lacked, at one mark, a write acknowledged
	# before the flush, present at later points: its violations are
	# reported, and the control fails only if the replay cannot run.
	ebs_replay() { replay ebs --torn 1 --seed 2 -- --fua-diag; [ $? -le 1 ]; }
	check "dm-ebs control: replay to every mark and torn points (violations as DIAG)" \
		ebs_replay
	diag "dm-ebs: $(echo "$_out" | grep -c 'DIAG .*FUA violations') points with FUA writes missing"
	diag "$(echo "$_out" | grep -m 4 -e '^VIOLATION' -e '^FAIL' | sed 's/^/DIAG dm-ebs: /')"
	diag "$(echo "$_out" | tail -n 1)"
	rmmod dm-ebs
else
	tap_skip "dm-ebs control" "dm-ebs is not staged (WITH_DM_EBS=1)"
fi

# The checks must fail when a guarantee is broken.
# variant NAME RULE-TEXT: workload, logcheck, replay on a test-only module.
variant() {
	remove_own
	rmmod dm-sectoremu 2>/dev/null
	check "$1: test-only module loads" insmod "$SE_DIR"/dm-sectoremu-"$1".ko || return
	fresh_devs
	check "$1: workload" workload sectoremu 3 1000
	# the checks read through the real module
	check "$1: module unloads" rmmod dm-sectoremu
	check "$1: the real module loads again" modprobe dm-sectoremu
	[ "$1" = nofua ] && expect_fail "$1: logcheck fails" \
		se-crash logcheck --log "$LOGDEV" --journal $J --block 4096 &&
		diag "$(echo "$_out" | head -n 2)"
	fails_with "$1: the replay fails on: $2" "$2" replay sectoremu --stop-on-fail --
	diag "$(echo "$_out" | tail -n 2)"
}
variant nofua "older than a completed FUA write"
variant noflush "older than a flush covered"

for l in $LOGDEV $REPDEV; do losetup -d "$l"; done
rm -rf $T
tap_end
