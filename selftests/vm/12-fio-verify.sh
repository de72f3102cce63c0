#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# fio's own verification (crc32c) through sectoremu mappings: random and
# sequential writes of 512 B .. 64 KiB, read back and checked by fio.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd fio
se_need_nvme
tap_begin
load_module

for dev in "$NULLB" "$NVME"; do
	d=$(basename "$dev")
	# Control: the same load on the device itself, 4 KiB at a time.
	check "$d: control: fio randwrite 4k..64k verify=crc32c on the raw device" \
		fio --name=control --filename="$dev" --ioengine=libaio --direct=1 \
		--iodepth=32 --rw=randwrite --bsrange=4k-64k \
		--size=48m --offset=512m --verify=crc32c --do_verify=1 \
		--verify_fatal=1 --randseed=7 --output-format=terse
	map_se se "$dev" 0 1
	for rw in randwrite write; do
		check "$d: fio $rw 512..64k verify=crc32c" fio --name=verify \
			--filename=/dev/mapper/se --ioengine=libaio --direct=1 \
			--iodepth=32 --rw=$rw --bsrange=512-64k --size=48m \
			--verify=crc32c --do_verify=1 --verify_fatal=1 \
			--randseed=7 --output-format=terse
	done
	check "$d: fio 512-byte random write/read verify at qd 64" fio --name=small \
		--filename=/dev/mapper/se --ioengine=libaio --direct=1 --iodepth=64 \
		--rw=randwrite --bs=512 --size=8m --offset=64m --verify=crc32c \
		--do_verify=1 --verify_fatal=1 --output-format=terse
	dm remove se
done
tap_end
