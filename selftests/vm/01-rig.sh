#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The devices the other tests rely on, our module, and the isolation of a
# test's cleanup.  The 4K null_blk device is this test's own (made through
# configfs by lib/se.sh); the NVMe namespace is the one given in SE_NVME.
#
# Cleanup is scoped to what the test owns (lib/se.sh, remove_own): a dm
# device that some other user made (here one made with the real dmsetup,
# outside the test's dmsetup wrapper, on nothing the test owns) must
# survive it, while the test's own mapping and one stacked on its null_blk
# device go.  Proven to fail: the cleanup of before (remove_all: every dm
# device on the machine) is run against a second foreign device at the end
# and must remove it, i.e. fail the "foreign device survives" check; the
# test asserts exactly that.
#
# Skips: 12-fio-verify.sh run with fio hidden from PATH must exit 4
# (KSFT_SKIP) with "1..0 # SKIP ... fio is not installed" and make no
# device.
. "$(dirname "$0")/lib/se.sh"
se_need_nvme
tap_begin

check "NVMe disk is present" test -b "$NVME"
check_eq "NVMe logical block size is 4096" 4096 "$(queue_attr "$NVME" logical_block_size)"
check_eq "NVMe physical block size is 4096" 4096 "$(queue_attr "$NVME" physical_block_size)"
check "null_blk device is present" test -b "$NULLB"
check_eq "null_blk logical block size is 4096" 4096 "$(queue_attr "$NULLB" logical_block_size)"
check "null_blk device is this test's (configfs $SE_PFX)" test -d "/sys/kernel/config/nullb/${SE_PFX}nb0"
check "dm-sectoremu loads" modprobe dm-sectoremu
check "dmsetup targets lists sectoremu v1" sh -c 'dmsetup targets | grep -Eq "^sectoremu +v1\."'
check_eq "module version matches the tree" "$(cat "$SE_DIR"/VERSION)" "$(cat /sys/module/dm_sectoremu/version)"

# exists <name>: a dm device of that name is there
exists() { command dmsetup info "$1" >/dev/null 2>&1; }

# The cleanup before: every dm device on the machine.
old_remove_all() {
	for _n in $(command dmsetup ls 2>/dev/null | awk '$1 != "No" {print $1}'); do
		command dmsetup --noudevsync remove --retry "$_n" >/dev/null 2>&1
	done
}

foreign=sectoremu-foreign-$$
check "a foreign dm device can be created" sh -c \
	"echo '0 8 error' | dmsetup --noudevsync create $foreign"
check "a dm device of the test (UUID $SE_UUID...)" map_se own_se "$NULLB" 0 1
check "its UUID has the test's prefix" sh -c \
	"dmsetup info -c --noheadings -o uuid own_se | grep -q '^$SE_UUID'"
check "a CLI-style device on the test's null_blk (its own UUID)" sh -c \
	"echo '0 8 linear $NULLB 0' | dmsetup --noudevsync create own_lin -u other-uuid-$$"
dmsetup mknodes
check_eq "the test owns exactly its two devices" "own_lin own_se" \
	"$(se_owned_dm | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
remove_own
check "the test's cleanup removed its own mapping" sh -c "! dmsetup info own_se"
check "the test's cleanup removed the device on its null_blk" sh -c "! dmsetup info own_lin"
check "a foreign dm device survives the test's cleanup" exists "$foreign"
command dmsetup --noudevsync remove "$foreign"

# The negative control: the old cleanup fails the same check.
foreign2=sectoremu-foreign2-$$
echo '0 8 error' | command dmsetup --noudevsync create "$foreign2"
old_remove_all
expect_fail "the old machine-wide cleanup fails it (removes the foreign device)" exists "$foreign2"
command dmsetup --noudevsync remove "$foreign2" >/dev/null 2>&1

# A PATH with every tool but fio.
nofio=$SE_STATE/nofio
mkdir -p "$nofio"
for p in $(echo "$PATH" | tr ':' ' '); do
	for x in "$p"/*; do
		b=$(basename "$x")
		[ "$b" = fio ] || [ -e "$nofio/$b" ] || ln -s "$x" "$nofio/$b" 2>/dev/null
	done
done
out=$(env -u SE_STATE -u NULLB -u SE_PFX -u SE_UUID PATH="$nofio" "$SE_DIR"/12-fio-verify.sh 2>&1)
check_eq "a test without its tool exits with KSFT_SKIP (4)" 4 $?
check_eq "it says why, as a KTAP skip" "1..0 # SKIP 12-fio-verify: fio is not installed" \
	"$(echo "$out" | grep '^1\.\.0')"
diag "$out"
check_eq "it made no device" "" "$(ls -d /sys/kernel/config/nullb/sekst12-* 2>/dev/null)"
tap_end
