#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sectoremu qemu-aio: against the real qemu-system-x86_64 (each mode's
# verdict must be what QEMU itself says when asked directly), against a
# stand-in that refuses aio=native with QEMU's text (the Kata report), and
# with a missing binary, a binary that is not QEMU and bad usage.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/selftests/lib/tap.sh"

: "${SECTOREMU:?SECTOREMU must name the sectoremu binary}"
: "${BUILD:?BUILD must name the build directory}"
export LC_ALL=C
FIXTURE=$TOP/userspace/tests/fixtures/qemu-without-linux-aio
SCRATCH=$BUILD/qemu-aio-tests
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
tap_begin

# run ARGS...: sets rc, out (stdout) and err (stderr).
run() {
	out=$("$SECTOREMU" qemu-aio "$@" 2>"$SCRATCH/err")
	rc=$?
	err=$(cat "$SCRATCH/err")
}

# --- the stand-in built without linux-aio ---
run --qemu "$FIXTURE" --path "$SCRATCH" --json
check_eq "stand-in: exit 0 (threads and io_uring work)" 0 "$rc"
check_eq "stand-in: native fails with QEMU's own message" \
	"false|aio=native was specified, but is not supported in this build." \
	"$(jq -r '.modes.native | "\(.works)|\(.error)"' <<<"$out")"
check_eq "stand-in: threads and io_uring work" "true true" \
	"$(jq -r '[.modes.threads.works, .modes.io_uring.works] | map(tostring) | join(" ")' <<<"$out")"
check_eq "stand-in: Kata block_device_aio is not native" "io_uring" \
	"$(jq -r .kata_block_device_aio <<<"$out")"
check "stand-in: the scratch file is gone" \
	[ -z "$(find "$SCRATCH" -name '.sectoremu-aio-*')" ]
run --qemu "$FIXTURE" --path "$SCRATCH"
check "stand-in: human output warns against native" \
	grep -q 'Do not set block_device_aio = "native"' <<<"$out"
check "stand-in: human output quotes the error" \
	grep -q 'aio=native    fails: aio=native was specified, but is not supported in this build.' <<<"$out"

# --- missing and non-QEMU binaries, bad usage ---
run --qemu "$SCRATCH/no-such-qemu" --path "$SCRATCH"
check_eq "missing binary: exit 1" 1 "$rc"
check "missing binary: named" grep -qF "$SCRATCH/no-such-qemu: no such executable" <<<"$err"
check_eq "missing binary: nothing on stdout" "" "$out"
run --qemu no-such-qemu-binary --path "$SCRATCH"
check_eq "missing binary in PATH: exit 1" 1 "$rc"
check "missing binary in PATH: says so" grep -q 'no-such-qemu-binary: no such executable in \$PATH' <<<"$err"
printf '#!/bin/sh\necho "not an emulator"\n' > "$SCRATCH/fake-qemu"
chmod +x "$SCRATCH/fake-qemu"
run --qemu "$SCRATCH/fake-qemu" --path "$SCRATCH"
check_eq "non-QEMU binary: exit 1" 1 "$rc"
check "non-QEMU binary: named" grep -qF "$SCRATCH/fake-qemu is not QEMU" <<<"$err"
run --path "$SCRATCH/missing-dir"
check_eq "missing path: exit 1" 1 "$rc"
check "missing path: named" grep -qF "$SCRATCH/missing-dir: No such file or directory" <<<"$err"
for args in "--bogus" "extra" "--qemu" "--path ''"; do
	eval "run $args"
	check_eq "usage '$args': exit 2" 2 "$rc"
done

# --- the real QEMU ---
QEMU=$(command -v qemu-system-x86_64)
if [ -z "$QEMU" ]; then
	tap_skip "real QEMU" "qemu-system-x86_64 not installed"
	tap_end
	exit
fi
run --qemu "$QEMU" --path "$SCRATCH" --json
check_eq "real QEMU: exit 0" 0 "$rc"
# O_DIRECT as dd sees it
if dd if=/dev/zero of="$SCRATCH/direct" bs=4096 count=1 oflag=direct status=none 2>/dev/null; then
	odirect=true
else
	odirect=false
fi
check_eq "real QEMU: O_DIRECT as dd finds it" "$odirect" "$(jq -r .o_direct <<<"$out")"
# Each mode: what QEMU says when asked directly.
truncate -s 1M "$SCRATCH/img"
for mode in threads native io_uring; do
	direct=off
	[ "$odirect" = true ] && direct=on
	if "$QEMU" -machine none -nodefaults -display none -S -qmp stdio \
		-blockdev "driver=file,node-name=p,filename=$SCRATCH/img,aio=$mode,cache.direct=$direct" \
		<<<'{"execute":"qmp_capabilities"}
{"execute":"quit"}' >/dev/null 2>&1; then
		want=true
	else
		want=false
	fi
	check_eq "real QEMU: aio=$mode works: $want, as QEMU says" "$want" \
		"$(jq -r ".modes.$mode.works" <<<"$out")"
done
check_eq "real QEMU: version from its banner" \
	"$("$QEMU" --version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p')" \
	"$(jq -r .qemu_version <<<"$out")"

# A file without O_DIRECT support: procfs. QEMU then refuses native for
# want of cache.direct=on, and says so.
run --qemu "$QEMU" --path /proc/version --json
check_eq "procfs: no O_DIRECT" false "$(jq -r .o_direct <<<"$out")"
check_eq "procfs: QEMU's reason for native" \
	"aio=native was specified, but it requires cache.direct=on, which was not specified." \
	"$(jq -r .modes.native.error <<<"$out")"

tap_end
