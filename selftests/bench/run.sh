#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [SERIES]: make bench.  Boots the VM rig on kernel SERIES (6.1 by
# default) in bench mode (selftests/vm/bench/run: fio on the raw device,
# sectoremu, dm-ebs and a 512-byte loop device, on null_blk latency-bound
# and CPU-bound and on the QEMU NVMe), then writes the report:
#   Documentation/benchmarks/<date>-<kernel ABI>.md and .png
# Environment: BENCH_RUNTIME (seconds per measurement, 3), BENCH_REPS (3),
# BENCH_NVME_REPS (1: under TCG a full run takes long enough with null_blk,
# the regimes the comparison rests on; the emulated NVMe is a sanity check).
# BENCH_JOBS (a regex of job names) and BENCH_BACKINGS (comma-separated)
# run a part, for a quick look at one change; the report of a part goes to
# build/bench/, not to Documentation/benchmarks/.  BENCH_PERF=1 adds
# perf (Debian's linux-perf) to the guest and prints the hottest kernel
# symbols of every sectoremu and dm-ebs measurement into the log.
set -euo pipefail
series=${1:-6.1}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${BENCH_RUNTIME:=3}" "${BENCH_REPS:=3}" "${BENCH_NVME_REPS:=1}"
read -r _ abi < <("$top/selftests/rig/kernels.sh" "$series")

# What is measured: the commit, marked when the tree has changes.
source=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
append="se.bench=full se.bench.runtime=$BENCH_RUNTIME se.bench.reps=$BENCH_REPS se.bench.nvme_reps=$BENCH_NVME_REPS"
out=$top/Documentation/benchmarks
extra=
if [ "${BENCH_PERF:-0}" = 1 ]; then
	if ! dpkg-query -W -f='${Status}\n' linux-perf 2>/dev/null | grep -q 'ok installed'; then
		sudo=
		[ "$(id -u)" -eq 0 ] || sudo=sudo
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-perf
	fi
	export WITH_PERF=1
	append+=" se.bench.perf=1"
	extra="BENCH_PERF=1 "
	out=$top/build/bench
fi
if [ -n "${BENCH_JOBS:-}${BENCH_BACKINGS:-}" ]; then
	case "${BENCH_JOBS:-}${BENCH_BACKINGS:-}" in
	*[[:space:]]*) echo "bench: BENCH_JOBS and BENCH_BACKINGS take no spaces" >&2; exit 2 ;;
	esac
	append+=" se.bench.jobs=${BENCH_JOBS:-.*} se.bench.backings=${BENCH_BACKINGS:-nullb-latency,nullb-cpu,nvme}"
	extra+="BENCH_JOBS='${BENCH_JOBS:-}' BENCH_BACKINGS='${BENCH_BACKINGS:-}' "
	out=$top/build/bench
fi
# The guest fills a 1 GiB null_blk in memory; give it room besides.
VM_MEM=${VM_MEM:-3072} BOOT_TIMEOUT=${BOOT_TIMEOUT:-10800} VM_APPEND=$append \
	"$top/selftests/rig/run-vm.sh" "$series" bench

date=$(date -u +%F)
# QEMU 7.2's NVMe emulation leaves some commands of newer guests
# uncompleted until the driver's timeout recovers them (testing.rst).
note=
timeouts=$(grep -c 'timeout, aborting' "$top/build/vm/$series/console.log" || true)
[ "${timeouts:-0}" -eq 0 ] ||
	note="$timeouts NVMe commands timed out and were retried (QEMU's NVMe emulation stalls with this guest kernel): the NVMe figures measure those stalls, not the devices"
mkdir -p "$out"
cp "$top/build/vm/$series/tap.log" "$out/$date-$abi.log"
python3 "$here/report.py" "$out/$date-$abi.log" "$out/$date-$abi.md" \
	--chart "$out/$date-$abi.png" --kernel "$abi" --date "$date" --source "$source" --note "$note" \
	--command "${extra}BENCH_RUNTIME=$BENCH_RUNTIME BENCH_REPS=$BENCH_REPS BENCH_NVME_REPS=$BENCH_NVME_REPS make bench KERNEL=$series"
echo "bench: report in ${out#"$top"/}/$date-$abi.md"
