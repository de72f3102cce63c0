#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Crash consistency of a file system on the mapping, proven by replay:
#   NVMe (16 MiB of it) <- log-writes (log: 4K loop on tmpfs) <- sectoremu
# mkfs.ext4 with 1 KiB blocks (so that journal commit blocks, superblock
# and metadata writes are partial-block writes served by read-modify-write),
# then se-crash fs: files created, appended, renamed, unlinked, directories
# made and removed, and every 20 operations a file and its directory
# fsynced and the log marked.  se-replay replays the log onto a fresh 4K
# loop device to every FUA write and every mark; at each point a copy is
# mapped afresh, mounted (journal recovery), unmounted and checked with
# e2fsck -fn, which must be clean; at each mark the file fsynced just
# before it must be there with the size and checksum it had.
# Proven with mkfs on the real module and the load on a test-only one
# (the log goes on; the replay's checks use the real module again): the
# noflush module (flushes never reach the device) and the nofua module
# (RMW block writes lose REQ_FUA, here the journal commit blocks) fail the
# replay.  The variants' replays run to the end and print how many points
# each check failed: on noflush the marks after an fsync lose the fsynced
# file and a few points are not clean for e2fsck; on nofua e2fsck finds
# every point clean (the file system is consistent, only older than fsync
# promised) and the fsync check alone catches it.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd losetup truncate mkfs.ext4 e2fsck se-crash se-replay se-logdump insmod rmmod
se_need_nvme
se_need_file "$SE_DIR"/dm-sectoremu-nofua.ko "$SE_DIR"/dm-sectoremu-noflush.ko

T=/tmp/crash-fs
J=$T/journal
FS=$((16 << 20))
FSS=$((FS / 512))

# "$0 point TARGET REPLAYDEV SCRATCHDEV": se-replay's command at each point.
if [ "$1" = point ]; then
	tgt=$2 rep=$3 scr=$4
	dd if="$rep" of="$scr" bs=1M iflag=direct oflag=direct 2>/dev/null || exit 2
	echo "0 $FSS $tgt $scr 0 1" | dm create se_chk || exit 2
	rc=0
	if ! mount -t ext4 /dev/mapper/se_chk $T/mnt 2>$T/mount.err; then
		echo "$SE_POINT: mount failed: $(cat $T/mount.err)"
		rc=1
	else
		if [ "$SE_KIND" = mark ]; then
			se-crash fscheck --dir $T/mnt --journal $J --mark "$SE_MARK" || rc=1
		fi
		umount $T/mnt || rc=2
		if ! e2fsck -fn /dev/mapper/se_chk >$T/fsck.out 2>&1; then
			echo "$SE_POINT: e2fsck -fn is not clean:"
			grep -v '^Pass\|^e2fsck\|^$' $T/fsck.out | head -n 6
			rc=1
		fi
	fi
	dm remove se_chk || exit 2
	exit $rc
fi

tap_begin
load_module
mkdir -p $T/mnt

# fresh_devs: an empty log device $LOGDEV, a fresh replay device $REPDEV
# and a scratch one $SCRDEV, 4K loop devices on tmpfs.
fresh_devs() {
	for l in $LOGDEV $REPDEV $SCRDEV; do losetup -d "$l" 2>/dev/null; done
	rm -f $T/*.img
	truncate -s 512M $T/log.img
	truncate -s $FS $T/replay.img
	truncate -s $FS $T/scratch.img
	LOGDEV=$(losetup --sector-size 4096 -f --show $T/log.img)
	REPDEV=$(losetup --sector-size 4096 -f --show $T/replay.img)
	SCRDEV=$(losetup --sector-size 4096 -f --show $T/scratch.img)
}

top() { echo "0 $FSS sectoremu /dev/mapper/se_log 0 1" | dm create se_top; }

# workload SEED [VARIANT]: the stack, mkfs, the load, unmount.  With a
# test-only VARIANT, mkfs runs on the real module and the load on VARIANT
# (the log goes on), and the real module is loaded again at the end.
workload() {
	M=/dev/mapper/se_top
	echo "0 $FSS log-writes $NVME $LOGDEV" | dm create se_log && top &&
		mkfs.ext4 -q -F -b 1024 -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 $M &&
		dmsetup message se_log 0 mark mkfs &&
		{ [ -z "$2" ] || { dm remove se_top && rmmod dm-sectoremu &&
			insmod "$SE_DIR"/dm-sectoremu-"$2".ko && top; }; } &&
		mount -t ext4 $M $T/mnt &&
		se-crash fs --dir $T/mnt --logdm se_log --journal $J --ops 300 --fsync-every 20 \
			--seed "$1" &&
		umount $T/mnt
	_wrc=$?
	dmsetup message se_log 0 mark unmounted
	dm remove se_top
	dm remove se_log
	if [ -n "$2" ]; then
		rmmod dm-sectoremu && modprobe dm-sectoremu || _wrc=1
	fi
	return $_wrc
}

replay() {	# replay SE-REPLAY-OPTIONS...
	se-replay --log "$LOGDEV" --dev "$REPDEV" --start mkfs --fua "$@" \
		--run "$0 point sectoremu $REPDEV $SCRDEV"
}

fresh_devs
check "ext4 with 1 KiB blocks: mkfs and a metadata-heavy load over dm-log-writes" workload 1
diag "$_out"
diag "$(se-logdump "$LOGDEV" | awk '/FUA/ { f++ } /FLUSH/ { l++ } END {
	print NR " log entries, " f " FUA, " l " flushes" }')"
check "replay to every FUA write and every mark: mounts, fsynced file there, e2fsck -fn clean" \
	replay
diag "$(echo "$_out" | tail -n 3)"

# variant NAME: the same on a test-only module; the replay must fail.  It
# runs to the end, to count which checks caught it.
variant() {
	remove_own
	fresh_devs
	check "$1: mkfs on the real module, the load on $1, the real module again" \
		workload 2 "$1"
	diag "$_out"
	expect_fail "$1: the replay fails" replay
	diag "$(echo "$_out" | grep -m 3 -E 'failed:|missing|bytes|not clean' )"
	diag "$1: $(echo "$_out" | grep -c 'mount failed') points fail to mount," \
		"$(echo "$_out" | grep -c 'fsynced before the mark\|fsynced with') lose a fsynced file," \
		"$(echo "$_out" | grep -c 'e2fsck -fn is not clean') are not clean for e2fsck"
	diag "$(echo "$_out" | tail -n 1)"
}
variant noflush
variant nofua

for l in $LOGDEV $REPDEV $SCRDEV; do losetup -d "$l"; done
rm -rf $T
tap_end
