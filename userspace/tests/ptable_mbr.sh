#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Classic MBR tables with an extended partition and logical partitions,
# made by sfdisk (512) and by fdisk -b 4096: inspect numbers them as the
# kernel does, convert rescales the MBR and every EBR, and fdisk at the
# other size lists the same partitions at the same bytes.

. "$(dirname "$0")/lib/ptable.sh"
tap_begin

truncate -s 64M dos.img
printf 'label: dos\n,8M,83,*\n,8M,82\n,,5\n,10M,83\n,10M,83\n,,83\n' |
	sfdisk -q dos.img
want=$(mbr_list dos.img 512)
check_eq "sfdisk: partitions 1 2 3 5 6 7" "1 2 3 5 6 7" "$(echo $(cut -d' ' -f1 <<<"$want"))"
check_eq "inspect numbers and bytes agree with fdisk" \
	"$(cut -d' ' -f1-3 <<<"$want")" \
	"$(jfield dos.img '.partitions[] | "\(.number) \(.start) \(.size)"')"
check_eq "inspect: mbr written for 512" "mbr 512 true" \
	"$(jfield dos.img '"\(.table) \(.sector_size) \(.healthy)"')"
data=$(grep -v ' 5$' <<<"$want" | cut -d' ' -f2,3)
echo "$data" | fill_parts dos.img
sums=$(echo "$data" | sum_parts dos.img)
cp dos.img dos.orig

check "convert --to 4096" se convert dos.img --to 4096 --backup dos.bak
check "fdisk -b 4096 reads it cleanly" fdisk_clean dos.img 4096
check_eq "same partitions, numbers and bytes at 4096" "$want" "$(mbr_list dos.img 4096)"
check_eq "logical partition data untouched" "$sums" "$(echo "$data" | sum_parts dos.img)"
check_eq "inspect: now written for 4096" 4096 "$(jfield dos.img .sector_size)"
check "convert back --to 512" se convert dos.img --to 512
check_eq "round trip: same partitions at 512" "$want" "$(mbr_list dos.img 512)"
dump() { sfdisk -d "$1" | grep -v '^device:' | sed -E 's/^[a-z0-9]+\.[a-z]+([0-9])/p\1/'; }
check_eq "round trip: sfdisk dump identical" "$(dump dos.orig)" "$(dump dos.img)"
check_eq "restore after the round trip: the sectors already hold the saved bytes" \
	"dos.img: nothing to change" "$(se restore dos.img --backup dos.bak)"

# --- a 4K MBR made by fdisk -b 4096: primary, extended, two logicals ---
truncate -s 64M dos4k.img
printf 'o\nn\np\n1\n\n+8M\nn\ne\n2\n\n\nn\nl\n\n+8M\nn\nl\n\n+8M\nw\n' |
	fdisk -b 4096 dos4k.img >/dev/null 2>&1
w4=$(mbr_list dos4k.img 4096)
check_eq "fdisk 4K: partitions 1 2 5 6" "1 2 5 6" "$(echo $(cut -d' ' -f1 <<<"$w4"))"
check_eq "fdisk 4K: detected as written for 4096" 4096 "$(jfield dos4k.img .sector_size)"
check_eq "fdisk 4K: inspect bytes agree with fdisk" "$(cut -d' ' -f1-3 <<<"$w4")" \
	"$(jfield dos4k.img '.partitions[] | "\(.number) \(.start) \(.size)"')"
check "fdisk 4K: convert --to 512" se convert dos4k.img --to 512
check "fdisk 4K: sfdisk --verify accepts the 512 table" sfdisk -V dos4k.img
check_eq "fdisk 4K: same partitions at 512" "$w4" "$(mbr_list dos4k.img 512)"

# --- 512-style logical partitions right after their EBR cannot go to 4K ---
truncate -s 64M old.img
printf 'label: dos\n1,8M,83\n,,5\n,4M,83\n' | sfdisk -q old.img
cp old.img old.orig
out=$(se convert old.img --to 4096 2>&1)
check_eq "unaligned logical: refused" 1 "$?"
check "unaligned: partition 1 named" grep -q 'partition 1 ' <<<"$out"
check "unaligned: image byte-identical" cmp old.orig old.img

tap_end
