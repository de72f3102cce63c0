#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# repeat.sh SERIES N WHAT
#
# Boot the guest N times for one piece of work and count how each run
# ended, to measure how often a rare failure happens.  WHAT is either a
# VM test glob (e.g. '10-*', run as by make check) or diag/<name> (a
# script in selftests/vm/diag, such as the raw-NVMe control).  VM_APPEND,
# VM_MEM and the rest of run-vm.sh's environment apply.  Each run's
# console log is kept in build/repeat/SERIES/<n>.console.log; the last
# line is "N runs: P passed, F failed (K guest crashes)".
set -uo pipefail
series=$1 n=$2 what=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/repeat/$series
mkdir -p "$out"
mode=check tests=$what
case $what in diag/*) mode=diag tests=${what#diag/} ;; esac

pass=0 fail=0 crash=0
for i in $(seq 1 "$n"); do
	TESTS=$tests "$here/run-vm.sh" "$series" "$mode" > "$out/$i.log" 2>&1
	rc=$?
	vm=$top/build/vm/$series
	cp "$vm/console.log" "$out/$i.console.log"
	if grep -Eq 'Kernel panic|double fault|general protection fault|Oops' "$vm/console.log"; then
		crash=$((crash + 1))
		fail=$((fail + 1))
		echo "run $i: guest crash: $(grep -Em1 'PANIC|Kernel panic|general protection|Oops' "$vm/console.log")"
	elif [ "$mode" = check ] && [ $rc -ne 0 ]; then
		fail=$((fail + 1))
		echo "run $i: failed (rc $rc), see $out/$i.log"
	elif [ "$mode" = diag ] && ! grep -q "^### exit $tests 0" "$vm/tap.log"; then
		fail=$((fail + 1))
		echo "run $i: failed, see $out/$i.log"
	else
		pass=$((pass + 1))
		echo "run $i: passed"
	fi
done
echo "$n runs: $pass passed, $fail failed ($crash guest crashes)"
