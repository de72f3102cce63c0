#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tap.sh TIMEOUT OUTFILE COMMAND [ARGS...]
#
# Run one TAP-producing test program with a time limit, keep its TAP in
# OUTFILE (also echoed), and make sure a crash, a timeout or a missing plan
# shows up as a failed test line instead of vanishing.
set -u
limit=$1 out=$2
shift 2
name=$(basename "$out" .tap)

timeout --kill-after=10 "$limit" "$@" > "$out.raw" 2>&1
rc=$?
cp "$out.raw" "$out"
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "not ok - $name: timed out after ${limit}s" >> "$out"
elif [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
	echo "not ok - $name: exited with status $rc but reported no failure" >> "$out"
fi
if ! grep -Eq '^(not )?ok' "$out"; then
	echo "not ok - $name: produced no test results" >> "$out"
fi
rm -f "$out.raw"
sed "s/^/[$name] /" "$out"
! grep -q '^not ok' "$out"
