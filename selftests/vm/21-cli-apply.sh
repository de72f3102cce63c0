#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sectoremu apply with a tab file: good lines by path, UUID= and WWN=
# come up with their options; malformed lines are reported with their
# line numbers and a missing device is reported while the others still
# come up; a second run finds them present, a changed line is reported
# as a difference and nothing is touched; --dry-run changes nothing.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd sectoremu losetup blkid mkfs.ext4 jq
se_need_nvme
tap_begin
load_module
SE=sectoremu
T=/tmp/sectoremutab
count() { dmsetup ls | grep -vc 'No devices'; }
mm() { cat "/sys/block/$(basename "$1")/dev"; }

uuid=5e5e0000-0000-4000-8000-000000000021
mkfs.ext4 -q -F -U "$uuid" "$NULLB"
wwid=$(cat /sys/block/$(basename "$NVME")/wwid)
check "the NVMe disk has a wwid" test -n "$wwid"

cat > $T <<TAB
# name    device                  options
byuuid    UUID=$uuid              sector-size=1024
bywwn     WWN=$wwid               offset=8,length=65536,read-only
gone      /dev/disk/by-id/nope    defaults
maybe     /dev/disk/by-id/nope2   nofail
bad1      $NULLB                  sector-size=4096
bad2      $NULLB                  offset=8 extra
bad3      $NULLB                  bogus
TAB
$SE apply --tab $T >/tmp/out 2>/tmp/err
check_eq "apply with malformed lines and a missing device: exit status 1" 1 $?
check "the malformed line 6 is named, with its number" grep -q "^sectoremu: $T:6: bad1: sector-size must be 512, 1024 or 2048, not '4096'" /tmp/err
check "the malformed line 7 is named, with its number" grep -q "^sectoremu: $T:7: 4 fields" /tmp/err
check "the malformed line 8 is named, with its number" grep -q "^sectoremu: $T:8: bad3: unknown option 'bogus'" /tmp/err
check "the missing device is reported" grep -q '^gone: /dev/disk/by-id/nope: no such device$' /tmp/out
check "the missing nofail device is reported as such" grep -q '^maybe: .*(nofail)$' /tmp/out
check "UUID= came up" grep -q "^byuuid: created /dev/mapper/byuuid on $NULLB" /tmp/out
check "WWN= came up" grep -q "^bywwn: created /dev/mapper/bywwn on $NVME" /tmp/out
check_eq "UUID=: logical block size 1024" 1024 "$(queue_attr /dev/mapper/byuuid logical_block_size)"
check_eq "UUID=: physical block size 4096" 4096 "$(queue_attr /dev/mapper/byuuid physical_block_size)"
check_eq "UUID=: its table" "0 $(sectors "$NULLB") sectoremu $(mm "$NULLB") 0 2" "$(dmsetup table byuuid)"
check_eq "WWN=: logical block size 512" 512 "$(queue_attr /dev/mapper/bywwn logical_block_size)"
check_eq "WWN=: its table has the offset and the length" "0 65536 sectoremu $(mm "$NVME") 8 1" "$(dmsetup table bywwn)"
check_eq "WWN=: read-only" 1 "$(blockdev --getro /dev/mapper/bywwn)"
check_eq "the ext4 found by UUID= is seen through the mapping" "$uuid" \
	"$(blkid -p -o value -s UUID /dev/mapper/byuuid)"
check_eq "only the two good lines made mappings" "bywwn byuuid" \
	"$(dmsetup ls --target sectoremu | awk '{print $1}' | sort -r | tr '\n' ' ' | sed 's/ $//')"

# A second run: everything that is there is present, nothing changes.
n0=$(count)
t0=$(dmsetup table bywwn)
$SE apply --tab $T --json >/tmp/json 2>/dev/null
check_eq "second run: still exit status 1 (the same bad lines)" 1 $?
check_eq "second run: both present" "present present" \
	"$(jq -r '[.mappings[] | select(.name == "byuuid" or .name == "bywwn") | .result] | join(" ")' /tmp/json)"
check_eq "--json: the malformed lines and their numbers" "6 7 8" \
	"$(jq -r '[.malformed[].line] | map(tostring) | join(" ")' /tmp/json)"
check_eq "--json: the missing devices" "gone:missing:false maybe:missing:true" \
	"$(jq -r '[.mappings[] | select(.result == "missing") | "\(.name):\(.result):\(.nofail)"] | join(" ")' /tmp/json)"
check_eq "--json: resolved devices" "$NULLB $NVME" \
	"$(jq -r '[.mappings[] | select(.resolved != null) | .resolved] | join(" ")' /tmp/json)"
check_eq "second run: nothing created" "$n0" "$(count)"

# Only good lines: exit status 0; a changed line is a difference.
grep -v '^bad\|^gone' $T > $T.good
check "only good lines (a missing one with nofail): exit status 0" $SE apply --tab $T.good
sed 's/offset=8,/offset=16,/' $T.good > $T.changed
$SE apply --tab $T.changed >/tmp/out 2>&1
check_eq "a changed line: exit status 1" 1 $?
check "the difference is reported" grep -q '^bywwn: differs from line 3: offset 16 wanted, 8 mapped' /tmp/out
check_eq "the mapping is left as it is" "$t0" "$(dmsetup table bywwn)"
sed 's/,read-only//' $T.good > $T.rw
check "a read-only difference is reported" sh -c \
	"$SE apply --tab $T.rw bywwn | grep -q '^bywwn: differs from line 3: read-write wanted, mapped read-only'"

# NAME arguments, --dry-run, a device with 512-byte sectors.
check "unmap byuuid" $SE unmap byuuid
$SE apply --tab $T.good --dry-run byuuid >/tmp/out 2>&1
check_eq "--dry-run: exit status 0" 0 $?
check "--dry-run says what it would do" grep -q "^byuuid: would create /dev/mapper/byuuid on $NULLB" /tmp/out
check "--dry-run created nothing" sh -c "! dmsetup info byuuid >/dev/null 2>&1"
check "apply of one name" $SE apply --tab $T.good byuuid
check_eq "it came up" 1024 "$(queue_attr /dev/mapper/byuuid logical_block_size)"
expect_fail "apply of a name without a line" $SE apply --tab $T.good nosuch
dd if=/dev/zero of=/tmp/lo.img bs=1M count=4 2>/dev/null
lo=$(losetup -f --show /tmp/lo.img)
printf 'small %s\nthird %s sector-size=2048\n' "$lo" "$NVME" > $T.lo
check "unmap bywwn" $SE unmap bywwn
$SE apply --tab $T.lo >/tmp/out 2>/tmp/err
check_eq "a 512-byte device: exit status 1" 1 $?
check "it is refused, saying it needs no mapping" grep -q "^small: not created: $lo already has 512-byte logical blocks" /tmp/out
check_eq "the other line still came up" 2048 "$(queue_attr /dev/mapper/third logical_block_size)"
losetup -d "$lo"
expect_fail "a missing tab file" $SE apply --tab /tmp/nosuch
check_eq "usage error: exit status 2" 2 "$($SE apply --bogus >/dev/null 2>&1; echo $?)"
$SE unmap third; $SE unmap byuuid
check_eq "all removed" "" "$(dmsetup ls --target sectoremu | grep -v 'No devices')"
tap_end
