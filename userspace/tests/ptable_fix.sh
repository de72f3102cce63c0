#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ptable fix on images made by sgdisk and fdisk: a grown image gets its
# backup GPT moved to the end exactly as `sgdisk -e` would; a corrupted
# primary or backup is rebuilt from the other copy; a destroyed protective
# MBR is rewritten; a hybrid MBR is left alone; a truncated image whose
# partitions no longer fit is refused without a write.

. "$(dirname "$0")/lib/ptable.sh"
tap_begin

truncate -s 64M base.img
sgdisk -n 1:2048:+8M -t 1:ef00 -c 1:EFI -n 2:0:+16M -c 2:root -A 2:set:2 \
       -n 3:0:+20M -c 3:data base.img >/dev/null
want=$(gpt_list base.img 512)
echo "$want" | fill_parts base.img
sums=$(echo "$want" | sum_parts base.img)
check_eq "base image: three partitions" 3 "$(grep -c . <<<"$want")"

# --- grown: compare with what sgdisk -e makes of the same image ---
cp base.img grown.img
truncate -s 100M grown.img
cp grown.img sgdisk-e.img
expect_fail "grown: sgdisk -v complains first" sgdisk_clean grown.img
expect_fail "grown: inspect reports problems" se inspect grown.img
check "grown: inspect names the misplaced backup" \
	grep -q 'not at the end of the device' <<<"$(se inspect grown.img)"
cp grown.img grown.before
out=$(se fix grown.img --dry-run)
check_eq "grown: --dry-run writes nothing" "$(sha grown.before)" "$(sha grown.img)"
check "grown: --dry-run shows LastUsableLBA growing" \
	grep -q 'last_usable 131038 -> 204766' <<<"$out"
check "grown: fix" se fix grown.img --backup grown.bak
check "grown: sgdisk -v accepts the result" sgdisk_clean grown.img
check_eq "grown: partitions unchanged" "$want" "$(gpt_list grown.img 512)"
check_eq "grown: data untouched" "$sums" "$(echo "$want" | sum_parts grown.img)"
check_eq "grown: last usable LBA at the new end" "204766" \
	"$(jfield grown.img .last_usable_lba)"
sgdisk -e sgdisk-e.img >/dev/null
# sgdisk -e leaves the old backup array behind; fix wipes it.
dd if=/dev/zero of=sgdisk-e.img bs=512 seek=$((131072 - 33)) count=33 conv=notrunc status=none
check "grown: identical to sgdisk -e (old backup wiped)" cmp sgdisk-e.img grown.img
check "grown: inspect is healthy" se inspect grown.img
check "grown: restore undoes the fix" se restore grown.img --backup grown.bak
check "grown: restored bytes are the original ones" cmp grown.before grown.img

# --- grown 4K layout from fdisk -b 4096 ---
truncate -s 64M g4k.img
printf 'g\nn\n1\n\n+8M\nn\n2\n\n+8M\nw\n' | fdisk -b 4096 g4k.img >/dev/null 2>&1
w4=$(gpt_list g4k.img 4096)
truncate -s 96M g4k.img
expect_fail "grown 4K: fdisk -b 4096 complains first" fdisk_clean g4k.img 4096
check "grown 4K: fix" se fix g4k.img
check "grown 4K: fdisk -b 4096 reads it cleanly" fdisk_clean g4k.img 4096
check_eq "grown 4K: partitions unchanged" "$w4" "$(gpt_list g4k.img 4096)"
check_eq "grown 4K: backup header at the last 4096-byte LBA" "24575" \
	"$(jfield g4k.img .backup_lba)"

# --- corrupted primary header and array ---
cp base.img pri.img
dd if=/dev/urandom of=pri.img bs=512 seek=1 count=3 conv=notrunc status=none
expect_fail "corrupted primary: sgdisk -v complains" sgdisk_clean pri.img
check_eq "corrupted primary: still detected as 512 from the backup" "512 false true" \
	"$(jfield pri.img '"\(.sector_size) \(.primary_valid) \(.backup_valid)"')"
check "corrupted primary: fix" se fix pri.img
check "corrupted primary: image identical to before the damage" cmp base.img pri.img

# --- corrupted backup ---
cp base.img bak.img
dd if=/dev/urandom of=bak.img bs=512 seek=$((131072 - 1)) count=1 conv=notrunc status=none
expect_fail "corrupted backup: sgdisk -v complains" sgdisk_clean bak.img
check "corrupted backup: fix" se fix bak.img
check "corrupted backup: image identical to before the damage" cmp base.img bak.img

# --- protective MBR destroyed, as sgdisk on the raw 4K device does ---
cp base.img pmbr.img
dd if=/dev/zero of=pmbr.img bs=512 count=1 conv=notrunc status=none
check "no protective MBR: inspect reports it" \
	grep -q 'protective MBR missing' <<<"$(se inspect pmbr.img)"
check "no protective MBR: fix" se fix pmbr.img
check "no protective MBR: sgdisk -v accepts the result" sgdisk_clean pmbr.img
check_eq "no protective MBR: sfdisk sees a GPT again" "gpt" \
	"$(sfdisk -J pmbr.img | jq -r .partitiontable.label)"

# --- hybrid MBR: recognised and left alone ---
cp base.img hyb.img
sgdisk -h 1:EE hyb.img >/dev/null
check_eq "hybrid: inspect reports a hybrid MBR" "hybrid" "$(jfield hyb.img .mbr)"
cp hyb.img hyb.before
check "hybrid: fix has nothing to change" se fix hyb.img
check "hybrid: sector 0 untouched" cmp hyb.before hyb.img

# --- healthy: nothing written ---
cp base.img ok.img
check_eq "healthy: fix reports nothing to change" "ok.img: nothing to change" \
	"$(se fix ok.img --backup ok.bak)"
check "healthy: no backup file for no change" test ! -e ok.bak

# --- truncated below the last partition: refused ---
cp base.img trunc.img
truncate -s 40M trunc.img
cp trunc.img trunc.before
check "truncated: inspect reports the backup past the end" \
	grep -q 'truncated image' <<<"$(se inspect trunc.img)"
out=$(se fix trunc.img 2>&1)
check_eq "truncated: fix exits 1" 1 "$?"
check "truncated: the partition that does not fit is named" \
	grep -q 'partition 3 ("data")' <<<"$out"
check "truncated: nothing written" cmp trunc.before trunc.img

# --- truncated, partitions still fit: backup rebuilt at the new end ---
cp base.img short.img
truncate -s 48M short.img
check "short: fix rebuilds the backup at the new end" se fix short.img
check "short: sgdisk -v accepts the result" sgdisk_clean short.img
check_eq "short: partitions unchanged" "$want" "$(gpt_list short.img 512)"

tap_end
