#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to sectoremu ptable: things that are not disks, images with no
# table, out-of-range sizes and options, read-only files, bad backup
# files.  Each gives a clear error and the documented exit code, and
# nothing is written.

. "$(dirname "$0")/lib/ptable.sh"
tap_begin

truncate -s 32M good.img
sgdisk -n 1:2048:+8M -c 1:one good.img >/dev/null
cp good.img good.orig

# run CMD...: sets $rc and $err (stderr) for the checks that follow.
run() {
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
}

# --- usage errors exit 2 ---
for args in "" "frobnicate good.img" "inspect" "inspect a b" \
	    "convert good.img" "convert good.img --to 1000" \
	    "convert good.img --to 0" "convert good.img --to 4096x" \
	    "fix good.img --sector-size 2048" "inspect good.img --sector-size -1" \
	    "restore good.img" "inspect good.img --dry-run" \
	    "inspect good.img --bogus" "fix good.img --to 512"; do
	run se $args
	check_eq "usage: 'ptable $args' exits 2" 2 "$rc"
done
check "usage: the bad size is quoted" grep -q "'1000'" \
	<<<"$(se convert good.img --to 1000 2>&1)"
check "usage errors wrote nothing" cmp good.orig good.img

# --- not a disk ---
mkdir adir
run se inspect adir
check_eq "directory: exit 1" 1 "$rc"
check "directory: says so" grep -q 'neither a block device nor an image file' <<<"$err"
run se inspect /dev/null
check_eq "character device: exit 1" 1 "$rc"
run se fix missing.img
check_eq "missing file: exit 1" 1 "$rc"
check "missing file: says why" grep -q 'No such file' <<<"$err"

# --- no table ---
head -c 8M /dev/urandom > random.img
cp random.img random.orig
run se inspect random.img
check_eq "random data: inspect exits 1" 1 "$rc"
check_eq "random data: table none" "none" "$(jfield random.img .table)"
run se fix random.img
check_eq "random data: fix exits 1" 1 "$rc"
check "random data: fix says there is no table" grep -q 'no partition table' <<<"$err"
run se convert random.img --to 4096
check_eq "random data: convert exits 1" 1 "$rc"
check "random data: nothing written" cmp random.orig random.img
: > empty.img
run se inspect empty.img
check_eq "empty file: inspect exits 1" 1 "$rc"
run se convert empty.img --to 4096
check_eq "empty file: convert exits 1" 1 "$rc"
check_eq "empty file: still empty" 0 "$(stat -c %s empty.img)"

# --- the image is too small for the target layout ---
truncate -s 40K tiny.img
sgdisk -o tiny.img >/dev/null 2>&1
if [ "$(jfield tiny.img .table)" = gpt ]; then
	cp tiny.img tiny.orig
	run se convert tiny.img --to 4096
	check_eq "tiny GPT: convert to 4096 refused" 1 "$rc"
	check "tiny GPT: nothing written" cmp tiny.orig tiny.img
else
	tap_skip "tiny GPT: convert to 4096 refused" "sgdisk made no table"
	tap_skip "tiny GPT: nothing written" "sgdisk made no table"
fi

# --- read-only file (root needs CAP_DAC_OVERRIDE dropped to feel it) ---
cp good.img ro.img
chmod 444 ro.img
if setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
	ro() { setpriv --bounding-set=-dac_override,-dac_read_search "$@"; }
	run ro "$SECTOREMU" ptable convert ro.img --to 4096
	check_eq "read-only: convert exits 1" 1 "$rc"
	check "read-only: says it cannot open for writing" \
		grep -q 'cannot open ro.img for writing: Permission denied' <<<"$err"
	run ro "$SECTOREMU" ptable convert ro.img --to 4096 --dry-run
	check_eq "read-only: --dry-run still works" 0 "$rc"
	check "read-only: nothing written" cmp good.orig ro.img
else
	for i in 1 2 3 4; do tap_skip "read-only file check $i" "setpriv cannot drop capabilities"; done
fi

# --- backup files ---
cp good.img bk.img
: > exists.bak
run se convert bk.img --to 4096 --backup exists.bak
check_eq "existing backup file: refused" 1 "$rc"
check "existing backup file: says so" grep -q 'already exists' <<<"$err"
check "existing backup file: nothing written" cmp good.orig bk.img
check "convert with a fresh backup" se convert bk.img --to 4096 --backup bk.bak
cp bk.img bk.converted
head -c 1000 bk.bak > cut.bak
run se restore bk.img --backup cut.bak
check_eq "truncated backup file: refused" 1 "$rc"
run se restore bk.img --backup good.img
check_eq "not a backup file: refused" 1 "$rc"
check "not a backup file: says so" grep -q 'not a ptable backup file' <<<"$err"
truncate -s 64M other.img
run se restore other.img --backup bk.bak
check_eq "backup of another device size: refused" 1 "$rc"
check "another size: says so" grep -q 'was taken from a device of 33554432 bytes' <<<"$err"
check "bad restores wrote nothing" cmp bk.converted bk.img
run se restore bk.img --backup bk.bak --dry-run
check_eq "restore --dry-run: exit 0" 0 "$rc"
check "restore --dry-run: nothing written" cmp bk.converted bk.img
check "restore" se restore bk.img --backup bk.bak
check "restore: original bytes back" cmp good.orig bk.img

tap_end
