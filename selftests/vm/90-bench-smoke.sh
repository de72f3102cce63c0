#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A short run of the bench script (make bench) so it cannot rot: one
# repetition of 4K random reads and 512-byte random writes on every device
# it compares, each measurement present and non-zero.
# The bench loads null_blk with module parameters: no configfs device here.
SE_NO_NULLB=1
. "$(dirname "$0")/lib/se.sh"
se_need_cmd fio
tap_begin
log=/tmp/bench-smoke.log
SE_BENCH=smoke "$SE_DIR"/bench/run > $log 2>&1
check "bench script ran to the end" grep -q '^BENCH-DONE' $log
diag "$(cat $log)"

# measured <job> <dev>: a line for it with a positive IOPS figure, or,
# for the loop device only, one saying that the job failed on it (its
# direct I/O on a 4Kn disk fails 512-byte writes on some kernels)
measured() {
	_l=$(grep "^BENCH backing=nullb-cpu job=$1 dev=$2 " $log)
	echo "$_l" | grep -q ' iops=[1-9][0-9]* cpu_us=[0-9.]* fio_sys=[0-9.]* dio=[01-]$' ||
		{ [ "$2" = loop ] && echo "$_l" | grep -q ' dio=[01] error=1$'; }
}
devs='raw linear sectoremu loop'
if modinfo dm-ebs >/dev/null 2>&1; then
	devs="$devs dm-ebs"
else
	tap_skip "dm-ebs measured" "dm-ebs is not staged (WITH_DM_EBS=1)"
fi
for d in $devs; do
	check "4K random reads measured on $d" measured 4k-randread-qd32 $d
	[ $d = raw ] || [ $d = linear ] ||
		check "512-byte random writes measured on $d" measured 512-randwrite-qd32 $d
done
check "the loop device's direct-I/O state is reported" \
	grep -q '^BENCH .* dev=loop .* dio=[01]' $log
check "no device is left behind" [ -z "$(dmsetup ls | grep bench_)" ]
# null_blk as the rest of the suite knows it
rmmod null_blk && modprobe null_blk nr_devices=1 gb=1 bs=4096 memory_backed=1
tap_end
