#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bench report against a hand-made log whose medians and ratios are
# known: medians of three repetitions, ratios to dm-ebs and to raw, the
# target check, the page-cache note for a loop device without direct I/O.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap_begin

out=$(python3 "$here/report.py" "$here/fixtures/bench.log" "$tmp/r.md" --kernel 6.1-test)
check "report runs on a log" test -s "$tmp/r.md"
md=$tmp/r.md
# sectoremu 4k randwrite: median of 10800 10900 9000 = 10800; raw median 11000
check "median and range of three repetitions" \
	grep -q '^| 4k-randwrite-qd32 | 11,000 (10,000-12,000) | 9,900 | 10,800 (9,000-10,900) |' "$md"
# 512 randwrite: 5000 / 440 = 11.36x dm-ebs, 5000 / 11000 = 0.45x raw 4K
check "ratio to dm-ebs from medians" grep -q '| 512-randwrite-qd32 |.*| 11.36x | 0.45x |' "$md"
check "loop device without direct I/O is flagged" grep -q '9,000 (dio off)' "$md"
check "4K passthrough target (10800/11000 = 0.98x) met" \
	grep -q '| latency: 4k-randwrite-qd32 through sectoremu vs raw | 0.98x | >= 0.95x | met | 0.90x |' "$md"
check "failures are one note per device, counted, jobs named once" \
	grep -qx -- '- loop: fio failed 3 times, jobs 512-randwrite-qd32, 512-randread-qd32; first: fio: io_u error on file /dev/loop0: Input/output error: write offset=4096, buflen=512' "$md"
# cpu regime: 900 / 1000 = 0.90x < 0.95x
check "a missed target is named in the summary" \
	grep -q 'missed.*cpu: 512-randwrite-qd32 vs dm-ebs' <<< "$out"
check "a device that failed the job says so" \
	grep -q '^| 512-randwrite-qd32 | - | - | 900 | 1,000 | \*\*I/O errors\*\* |' "$md"
check "summary counts" grep -q '^targets: 3 met, 1 missed' <<< "$out"
expect_fail "a log without measurements is an error" \
	python3 "$here/report.py" /dev/null "$tmp/none.md"
tap_end
