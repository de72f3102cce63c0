#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two mappings of one block lose each other's writes, so the tool never
# makes a second one, --force or not: on the NVMe disk, a range that
# shares a block with a mapping (same block, other sectors; one sector in
# common; a partition of the mapped disk; the disk under a mapped
# partition) is refused naming the mapping, with nothing created, while
# an adjacent range comes up.  apply refuses an overlapping line the same
# way and brings up the others.  Without --force the disk under a
# mapping is still refused as in use.  (A range of a disk one of whose
# partitions is mapped is refused by the kernel itself.)
# Shown to fail: with the overlap check taken out of map_plan() (the tool
# before this change) on 6.1, every refusal fails (the overlapping
# mappings are created) and apply brings up its overlapping line.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd sectoremu sgdisk wipefs
se_need_nvme
tap_begin
remove_own
load_module
SE=sectoremu
T=/tmp/sectoremutab
names() { dmsetup ls --target sectoremu | awk '{print $1}' | sort | tr '\n' ' '; }

# refused <description> <name> <expected other mapping> <map args...>
refused() {
	_d=$1 _n=$2 _o=$3
	shift 3
	_before=$(names)
	$SE map "$@" --name "$_n" >/tmp/out 2>/tmp/err
	_rc=$?
	if [ $_rc -ne 0 ] && grep -q "the mapping $_o already covers" /tmp/err &&
	   [ "$(names)" = "$_before" ]; then
		tap_result 0 "$_d: refused, naming $_o"
	else
		tap_result 1 "$_d: refused, naming $_o"
		diag "exit $_rc: $(cat /tmp/err)"
		diag "mappings: $(names)"
	fi
	dmsetup remove "$_n" >/dev/null 2>&1
}

wipefs -a -q "$NVME"
check "map sectors 0..2047 as a" $SE map "$NVME" --length 2048 --name a
expect_fail "without --force the disk under a is in use" \
	$SE map "$NVME" --offset 2048 --length 2048 --name b
check "--force: the adjacent blocks 2048..4095 as b" \
	$SE map "$NVME" --offset 2048 --length 2048 --force --name b
refused "--force: a range across a and b" c a "$NVME" --offset 1024 --length 2048 --force
refused "--force: one block of a" c a "$NVME" --offset 2040 --length 8 --force
refused "--force: the whole disk" c a "$NVME" --force
check_eq "a and b are the only mappings" "a b " "$(names)"

# The same through apply: the overlapping line fails, the others come up.
cat > $T <<TAB
c    $NVME   offset=4096,length=2048,force
d    $NVME   offset=5120,length=2048,force
e    $NVME   offset=8192,length=2048,force
TAB
$SE apply --tab $T >/tmp/out 2>/tmp/err
check_eq "apply with an overlapping line: exit status 1" 1 $?
check "the overlapping line is refused, naming c" grep -q '^d: not created: .*the mapping c already covers' /tmp/out
check_eq "the other lines came up" "a b c e " "$(names)"
for n in a b c e; do dm remove "$n"; done

# A partition of the disk and the disk itself.
sgdisk -o -n 1:256:+8M "$NVME" >/dev/null
blockdev --rereadpt "$NVME"
P=${NVME}p1
check "the disk has a partition" test -b "$P"
check "map the partition as p" $SE map "$P" --name p
refused "--force: the disk under the mapped partition" d p "$NVME" --force
# (A range of the disk past the partition is the kernel's to refuse: it
# lets nothing claim a disk while one of its partitions is claimed.)
dm remove p
check "map the disk's first 8 MiB as w" $SE map "$NVME" --length 16384 --force --name w
refused "--force: the partition of the mapped range" q w "$P" --force
dm remove w
sgdisk -Z "$NVME" >/dev/null 2>&1
blockdev --rereadpt "$NVME"
check_eq "nothing left behind" "" "$(se_owned_dm)"
tap_end
