#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sectoremu ptable on loop block devices (needs root and loop devices;
# skipped otherwise): a read-only device is refused before anything is
# planned or saved, and a device or image that is the backing file of a
# loop device is in use, whatever name it is given.

. "$(dirname "$0")/lib/ptable.sh"
set -u
tap_begin

LOOPS=()
cleanup() {
	local l
	for ((i = ${#LOOPS[@]} - 1; i >= 0; i--)); do
		l=${LOOPS[i]}
		blockdev --setrw "$l" 2>/dev/null	# the flag outlives the detach
		losetup -d "$l" 2>/dev/null
	done
}
trap cleanup EXIT
# attach <file|dev> [losetup options]: prints the loop device (the
# caller adds it to LOOPS: this runs in a subshell)
attach() {
	losetup -f --show "${@:2}" "$1"
}

truncate -s 1M probe.img
if [ "$(id -u)" != 0 ] || ! l=$(losetup -f --show probe.img 2>/dev/null); then
	tap_skip "loop block devices" "needs root and a free loop device"
	tap_end
	exit
fi
losetup -d "$l"

# A 32 MiB disk holding a 24 MiB image: fix has a backup header to move.
truncate -s 24M small.img
sgdisk -n 1:2048:+8M -c 1:one small.img >/dev/null
truncate -s 32M disk.img
dd if=small.img of=disk.img conv=notrunc status=none

run() {
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
}

# --- read-only block device ---
cp disk.img ro.img
ro=$(attach ro.img)
LOOPS+=("$ro")
blockdev --setro "$ro"
for args in "fix $ro" "fix $ro --force" "convert $ro --to 4096" \
	    "fix $ro --backup ro.bak"; do
	run se $args
	check_eq "read-only device: '$args' exits 1" 1 "$rc"
	check "read-only device: '$args' says it is read-only" \
		grep -q "$ro is read-only; refusing to write" <<<"$err"
done
check "read-only device: no backup file left behind" test ! -e ro.bak
run se fix "$ro" --dry-run
check_eq "read-only device: fix --dry-run still works" 0 "$rc"
check "read-only device: nothing written" cmp disk.img ro.img
blockdev --setrw "$ro"
check "control: read-write again, fix succeeds" se fix "$ro"

# --- a block device under a loop device ---
cp disk.img under.img
lower=$(attach under.img)
LOOPS+=("$lower")
upper=$(attach "$lower")
LOOPS+=("$upper")
run se fix "$lower"
check_eq "device under a loop device: fix exits 1" 1 "$rc"
check "device under a loop device: names the loop device" \
	grep -q "$lower: the device is attached to $upper" <<<"$err"
check "device under a loop device: nothing written" cmp disk.img under.img
check "device under a loop device: --force overrides" se fix "$lower" --force

# --- an image attached under another name (a hard link) ---
cp disk.img img.img
ln img.img link.img
lo=$(attach img.img)
LOOPS+=("$lo")
run se fix link.img
check_eq "image attached under another name: fix exits 1" 1 "$rc"
check "image attached under another name: names the loop device" \
	grep -q "link.img is attached to $lo" <<<"$err"
check "image attached under another name: nothing written" cmp disk.img img.img

tap_end
