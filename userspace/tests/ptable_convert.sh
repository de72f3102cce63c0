#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ptable convert on GPT images made by real tools: sgdisk for 512-byte
# layouts, fdisk -b 4096 for 4K layouts.  After converting, the other
# tool reads the table cleanly and lists the same partitions at the same
# bytes; partition data is untouched; the round trip is byte-identical;
# --dry-run writes nothing; --backup/restore brings the bytes back;
# unaligned partitions are refused with the image unchanged.

. "$(dirname "$0")/lib/ptable.sh"
tap_begin

# --- a 512-byte sgdisk image: names, attributes, 1 MiB alignment ---
truncate -s 64M small.img
sgdisk -n 1:2048:+8M -t 1:ef00 -c 1:EFI -A 1:set:0 \
       -n 2:0:+16M -t 2:8300 -c 2:"root fs" -A 2:set:2 -A 2:set:60 \
       -n 3:0:+20M -t 3:8e00 -c 3:lvm small.img >/dev/null
# --- 128 partitions of 256 KiB, 4 KiB aligned ---
truncate -s 64M many.img
args=()
for i in $(seq 1 128); do
	if [ "$i" = 1 ]; then args+=(-n 1:2048:+256K); else args+=(-n "$i:0:+256K"); fi
	args+=(-c "$i:part$i")
done
sgdisk -a 8 "${args[@]}" many.img >/dev/null

for img in small:3 many:128; do
	n=${img#*:}
	img=${img%:*}
	want=$(gpt_list $img.img 512)
	attrs=$(gpt_attrs $img.img 512)
	check_eq "$img: fdisk lists $n partitions" "$n" "$(grep -c . <<<"$want")"
	echo "$want" | fill_parts $img.img
	sums=$(echo "$want" | sum_parts $img.img)
	cp $img.img $img.orig
	check "$img: sgdisk table is clean" sgdisk_clean $img.img
	check_eq "$img: inspect sees $n partitions at 512" "512 $n" \
		"$(jfield $img.img '"\(.sector_size) \(.partitions | length)"')"
	check_eq "$img: inspect byte offsets agree with fdisk" \
		"$(echo "$want" | cut -d' ' -f1,2)" \
		"$(jfield $img.img '.partitions[] | "\(.start) \(.size)"')"

	out=$(se convert $img.img --to 4096 --dry-run)
	check_eq "$img: --dry-run writes nothing" "$(sha $img.orig)" "$(sha $img.img)"
	check "$img: --dry-run names the sectors and fields" \
		grep -q 'primary GPT header: first_usable 34 -> 6' <<<"$out"

	check "$img: convert --to 4096" se convert $img.img --to 4096 --backup $img.bak
	check "$img: fdisk -b 4096 reads the result cleanly" fdisk_clean $img.img 4096
	check_eq "$img: same partitions at the same bytes at 4096" "$want" \
		"$(gpt_list $img.img 4096)"
	check_eq "$img: same attributes at 4096" "$attrs" "$(gpt_attrs $img.img 4096)"
	check_eq "$img: partition data untouched" "$sums" \
		"$(echo "$want" | sum_parts $img.img)"
	check_eq "$img: inspect: 4096, healthy on a 4096 device" "4096 true" \
		"$(jfield $img.img '"\(.sector_size) \(.healthy)"' --device-sector-size 4096)"
	expect_fail "$img: inspect flags the 4096 table on a 512 device" \
		se inspect --device-sector-size 512 $img.img
	check_eq "$img: the 512-byte reading of the result finds no GPT" "0" \
		"$(se inspect --sector-size 512 --json $img.img | jq '[.partitions[]] | length')"

	cp $img.img $img.4k
	check "$img: convert back --to 512" se convert $img.img --to 512
	check "$img: sgdisk -v accepts the round trip" sgdisk_clean $img.img
	check "$img: round trip 512 -> 4096 -> 512 is byte-identical" \
		cmp $img.orig $img.img

	cp $img.4k $img.img
	check "$img: restore --backup" se restore $img.img --backup $img.bak
	check "$img: restore brings back the original bytes" cmp $img.orig $img.img
done

# --- a 4K layout made by fdisk -b 4096, with names and attributes ---
truncate -s 64M fd4k.img
printf 'g\nn\n1\n\n+8M\nn\n2\n\n+16M\nn\n3\n\n+4M\nx\nn\n1\nESP\nn\n2\nroot data\nA\n2\nS\n3\n62\nr\nt\n1\n1\nw\n' |
	fdisk -b 4096 fd4k.img >/dev/null 2>&1
want=$(gpt_list fd4k.img 4096)
attrs=$(gpt_attrs fd4k.img 4096)
echo "$want" | fill_parts fd4k.img
sums=$(echo "$want" | sum_parts fd4k.img)
cp fd4k.img fd4k.orig
check_eq "fdisk 4K image: three partitions" 3 "$(echo "$want" | wc -l)"
check_eq "fdisk 4K image: detected as written for 4096" 4096 \
	"$(jfield fd4k.img .sector_size)"
check "fdisk 4K image: convert --to 512" se convert fd4k.img --to 512
check "fdisk 4K image: sgdisk -v accepts the 512 table" sgdisk_clean fd4k.img
check "fdisk 4K image: fdisk -b 512 reads it cleanly" fdisk_clean fd4k.img 512
check_eq "fdisk 4K image: same partitions at the same bytes at 512" "$want" \
	"$(gpt_list fd4k.img 512)"
check_eq "fdisk 4K image: same attributes at 512" "$attrs" "$(gpt_attrs fd4k.img 512)"
check_eq "fdisk 4K image: data untouched" "$sums" "$(echo "$want" | sum_parts fd4k.img)"
check "fdisk 4K image: back to 4096" se convert fd4k.img --to 4096
check_eq "fdisk 4K image: round trip keeps the partitions" "$want" \
	"$(gpt_list fd4k.img 4096)"
check_eq "fdisk 4K image: round trip keeps the GPT headers" \
	"$(dd if=fd4k.orig bs=4096 skip=1 count=5 status=none | sha256sum)" \
	"$(dd if=fd4k.img bs=4096 skip=1 count=5 status=none | sha256sum)"

# --- unaligned partitions are refused, nothing written ---
truncate -s 64M odd.img
sgdisk -a 1 -n 1:2048:+8M -n 2:18433:+8M -c 2:odd -n 3:40001:+1M odd.img >/dev/null
cp odd.img odd.orig
out=$(se convert odd.img --to 4096 --backup odd.bak 2>&1)
rc=$?
check_eq "unaligned: convert exits 1" 1 "$rc"
check "unaligned: partition 2 is named" grep -q 'partition 2 ("odd")' <<<"$out"
check "unaligned: partition 3 is named" grep -q 'partition 3 ' <<<"$out"
expect_fail "unaligned: partition 1 is not named" grep -q 'partition 1 ' <<<"$out"
check "unaligned: the image is byte-identical" cmp odd.orig odd.img
check "unaligned: no backup file was made" test ! -e odd.bak

tap_end
