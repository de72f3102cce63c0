#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Soak: se-stress's mixed load (512 B .. 128 KiB at 512-byte offsets, so
# partial, whole-block and spanning I/O; hot blocks) verified against its
# model for SOAK_SECONDS (90 on each kernel in make check, 1800 in make
# soak), while every two seconds the mapping is, in turn, suspended and
# resumed,
# suspended with noflush and resumed, reloaded with its own table, and
# moved to a second 4K device and back: suspended, its range copied,
# the other device's table loaded, resumed.  Every acknowledged write must
# survive every step; the final full read-back is against the model.
# Shown to fail: with the swap's copy one MiB short of the range (the
# writes there lost), se-stress reports mismatches there.
. "$(dirname "$0")/lib/se.sh"
se_need_cmd se-stress losetup truncate
tap_begin
remove_own
load_module
SECS=${SOAK_SECONDS:-90}
MB=64
LEN=$((MB << 11))

# The second device: a 4K loop device on a file in the guest's memory.
truncate -s ${MB}M /tmp/soak2.img
L=$(losetup -f --show --sector-size 4096 /tmp/soak2.img)
check_eq "the second device has 4K blocks" 4096 "$(blockdev --getss "$L")"

t_of() { echo "0 $LEN sectoremu $1 0 1"; }
echo "$(t_of $NULLB)" | dm create se
cur=$NULLB
other=$L

se-stress --dev /dev/mapper/se --size $((MB << 20)) --qd 64 --hot 80 --read 20 \
	--seconds "$SECS" --seed 2401 > /tmp/soak.out 2>&1 &
pid=$!
sleep 2
n=0 fail=0 swaps=0
while kill -0 $pid 2>/dev/null; do
	n=$((n + 1))
	case $((n % 4)) in
	0) dm suspend se && dm resume se ;;
	1) dm suspend --noflush se && dm resume se ;;
	2) t_of $cur | dm reload se && dm suspend se && dm resume se ;;
	3) dm suspend se &&
	   dd if=$cur of=$other bs=1M count=$MB iflag=direct oflag=direct 2>/dev/null &&
	   t_of $other | dm reload se && dm resume se &&
	   { t=$cur; cur=$other; other=$t; swaps=$((swaps + 1)); } ;;
	esac || { fail=$((fail + 1)); diag "step $n ($((n % 4))) failed"; dm resume se 2>/dev/null; }
	sleep 2
done
wait $pid
rc=$?
diag "$(tail -n 3 /tmp/soak.out)"
tap_result $fail "$n suspend, noflush, reload and swap steps succeeded ($swaps swaps)"
check "at least one swap to the second device and one back" test $swaps -ge 2
tap_result $rc "$SECS s of load verified against the model across every step"
check_eq "no I/O errors counted" 0 "$(status_field se 9)"
mm=$(stat -L -c '%t %T' "$cur" | while read -r a b; do echo "$((0x$a)):$((0x$b))"; done)
check_eq "the table names the device the last swap left" "$(t_of "$mm")" "$(dmsetup table se)"
dm remove se
losetup -d "$L"
rm -f /tmp/soak2.img
check_eq "nothing left behind" "" "$(se_owned_dm)"
tap_end
