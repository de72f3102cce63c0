#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh SERIES [MODE]
#
# Build everything for kernel series SERIES (6.1 or 6.12), boot it in
# qemu-system-x86_64 (q35, TCG) with a 4096-byte-LBA NVMe disk and run MODE
# (check: the kselftest-style suite; demo; bench).  Results:
#   build/vm/SERIES/console.log   kernel console (ttyS0)
#   build/vm/SERIES/tap.log       test output (ttyS1)
#   build/results/vm-SERIES-<test>.tap, vm-SERIES-kernel-log.tap (check)
# The guest runs the suite as a kselftest tree: make -C selftests install
# puts it in the initramfs's /tests (run_kselftest.sh, kselftest/, vm/ with
# the test programs, and the test-only module builds in vm/), and, when
# Debian's linux-source-6.12 is installed, the kernel's own runner.sh,
# run_kselftest.sh and ktap_helpers.sh replace this tree's (KSFT_KERNEL=0
# keeps ours).  Per-test time limits come from selftests/vm/settings.
# Environment: TESTS=<glob>[,<glob>...] selects tests, BOOT_TIMEOUT (s) bounds the boot,
# TEST_TIMEOUT (s) is the limit of a demo, bench or diag run, VM_MEM, VM_CPUS;
# SKIP_USERSPACE_BUILD=1 reuses the last userspace build (kernel work);
# WITH_DM_EBS=1 also builds and stages dm-ebs (always done for bench);
# VM_APPEND adds to the guest's kernel command line (bench parameters).
set -euo pipefail
series=$1 mode=${2:-check}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build
results=$build/results
vm=$build/vm/$series
: "${TESTS:=*}" "${BOOT_TIMEOUT:=2400}" "${TEST_TIMEOUT:=300}"
: "${VM_MEM:=2048}" "${VM_CPUS:=2}"

# One VM at a time on this machine (VM_LOCK, shared by every checkout):
# TCG is slow enough without two guests sharing the cores.
exec 9>"${VM_LOCK:-/tmp/sectoremu-vm.lock}"
flock 9

read -r _ abi < <("$here/kernels.sh" "$series")
kdir=$build/kernels/$abi
mkdir -p "$vm" "$results"

echo "== kernel $series: $abi"
"$here/fetch-kernel.sh" "$abi" "$kdir"
make -s -C "$top" kmod KVER="$abi"
[ "${SKIP_USERSPACE_BUILD:-0}" = 1 ] || make -s -C "$top" userspace
make -s -C "$top" kmod-test KVER="$abi"

# Our binaries for the guest, staged in one directory.
extra=$vm/stage
rm -rf "$extra"
mkdir -p "$extra/usr/sbin" "$extra/tests"
cp "$build/userspace/sectoremu" "$extra/usr/sbin/"
make -s -C "$top/selftests" install INSTALL_PATH="$extra/tests" BUILD="$build/ksft"
for v in unsafe nofua noflush poolempty; do
	cp "$build/kmod/$abi-$v/dm-sectoremu.ko" "$extra/tests/vm/dm-sectoremu-$v.ko"
done
cp -r "$top/selftests/vm/demo" "$top/selftests/vm/diag" "$extra/tests/vm/"
if [ "${KSFT_KERNEL:-1}" = 1 ] && "$here/kselftest-kernel.sh" "$build/ksft-kernel"; then
	cp "$build/ksft-kernel/run_kselftest.sh" "$extra/tests/"
	cp "$build/ksft-kernel/kselftest/"* "$extra/tests/kselftest/"
fi
kos=("$build/kmod/$abi/dm-sectoremu.ko")
# The bench compares against dm-ebs, built from Debian's kernel source.
if [ "$mode" = bench ] || [ "${WITH_DM_EBS:-0}" = 1 ]; then
	"$here/build-dm-ebs.sh" "$series" "$abi" "$build/dm-ebs/$abi"
	kos+=("$build/dm-ebs/$abi/dm-ebs.ko")
fi
STAGE_EXTRA=$extra "$here/mkinitramfs.sh" "$abi" "$kdir/root" "$vm/initramfs.cpio" "${kos[@]}"

rm -f "$vm/nvme.img" "$vm/console.log" "$vm/tap.log"
truncate -s 2G "$vm/nvme.img"
: > "$vm/tap.log"

# QEMU 7.2's NVMe emulation sometimes leaves a few commands of a 6.12 guest
# uncompleted (the host is idle, the guest waits): the driver's timeout,
# abort and controller reset recover them, and a short I/O timeout keeps
# that from costing a minute each time.  collect.sh reports the count.
NVME_IO_TIMEOUT=${NVME_IO_TIMEOUT:-10}

# The disk honours discards (QEMU ignores them by default): a deallocated
# block reads back as zeroes, as on most NVMe drives, so a test can tell a
# discarded sector from a kept one.
#
# Single-threaded TCG: with thread=multi, QEMU 7.2 lets a vCPU run stale
# code while another patches a static key with int3 (text_poke_bp), and the
# guest oopses in the int3 handler at random (seen at boot of 6.12).  The
# guest is still SMP; its two vCPUs interleave on one host thread.
echo "== booting $abi ($mode, tests '$TESTS'), boot limit ${BOOT_TIMEOUT}s"
tail -n +1 -f "$vm/tap.log" --pid=$$ 2>/dev/null | sed -u "s/^/[vm $series] /" &
tailpid=$!
set +e
timeout -k 10 "$BOOT_TIMEOUT" qemu-system-x86_64 \
	-machine q35 -accel tcg,thread=single -cpu max -smp "$VM_CPUS" -m "$VM_MEM" \
	-nodefaults -display none -no-reboot \
	-kernel "$kdir/root/boot/vmlinuz-$abi" -initrd "$vm/initramfs.cpio" \
	-append "console=ttyS0 loglevel=7 panic=-1 oops=panic rdinit=/init se.mode=$mode se.tests=$TESTS se.timeout=$TEST_TIMEOUT nvme_core.io_timeout=$NVME_IO_TIMEOUT ${VM_APPEND:-}" \
	-serial "file:$vm/console.log" -serial "file:$vm/tap.log" \
	-drive "file=$vm/nvme.img,if=none,id=nvm,format=raw,cache=writeback,aio=threads,discard=unmap" \
	-device "nvme,serial=SECTOREMU0001,drive=nvm,logical_block_size=4096,physical_block_size=4096${NVME_OPTS:+,$NVME_OPTS}"
qrc=$?
set -e
sleep 0.5
kill "$tailpid" 2>/dev/null || true
wait "$tailpid" 2>/dev/null || true

[ "$mode" = check ] || { grep -q '^### done' "$vm/tap.log"; exit $?; }
exec "$here/collect.sh" "$series" "$vm" "$results" "$qrc"
