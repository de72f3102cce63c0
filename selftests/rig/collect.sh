#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# collect.sh SERIES VMDIR RESULTS QEMU_STATUS
#
# Split the guest's framed test output into one TAP file per test, turn
# timeouts, crashes and missing results into failures, and check the kernel
# console for oops/WARN/BUG/hung tasks.  Prints the per-kernel summary.
set -u
series=$1 vm=$2 results=$3 qrc=$4
rm -f "$results"/vm-"$series"-*.tap

awk -v dir="$results" -v series="$series" '
	/^### test / { name = $3; file = dir "/vm-" series "-" name ".tap"; printf "" > file; next }
	/^### exit / {
		rc = $4
		if (rc == 124 || rc == 137)
			print "not ok - " $3 ": timed out" >> file
		else if (rc != 0) {
			cmd = "grep -q \"^not ok\" " file
			if (system(cmd) != 0)
				print "not ok - " $3 ": exited with status " rc " but reported no failure" >> file
		}
		cmd = "grep -Eq \"^(not )?ok\" " file
		if (system(cmd) != 0)
			print "not ok - " $3 ": produced no test results" >> file
		close(file); file = ""; next
	}
	/^### done/ { done = 1; next }
	file != "" { sub(/\r$/, ""); print >> file }
	END {
		f = dir "/vm-" series "-boot.tap"
		if (file != "")
			print "not ok - test " name " did not finish (guest died or boot limit hit)" > f
		else if (!done)
			print "not ok - guest ran the suite to the end" > f
		else
			print "ok - guest ran the suite to the end" > f
	}' "$vm/tap.log"

klog=$results/vm-$series-kernel-log.tap
pat='WARNING:|BUG:|Oops|general protection fault|double fault|stack guard page|Kernel panic|blocked for more than|UBSAN:|KASAN:|kernel BUG|Call Trace:|list_add corruption|list_del corruption|refcount_t:'
if grep -Eq "$pat" "$vm/console.log"; then
	echo "not ok - guest kernel log is free of oops/WARN/BUG/hung tasks" > "$klog"
	grep -En "$pat|sectoremu-rig: start" "$vm/console.log" | grep -EB1 "$pat" | head -n 40 | sed 's/^/# /' >> "$klog"
else
	echo "ok - guest kernel log is free of oops/WARN/BUG/hung tasks" > "$klog"
fi
[ "$qrc" = 0 ] || echo "# qemu exited with status $qrc" >> "$klog"
# Not a failure of ours (see run-vm.sh), but worth seeing in the results.
nt=$(grep -c 'nvme nvme[0-9]*: I/O tag .* timeout' "$vm/console.log")
[ "$nt" = 0 ] || echo "# note: $nt NVMe command timeouts in the emulated controller, recovered by the driver" >> "$klog"

echo "== summary for kernel $series"
tmp=$(mktemp -d)
cp "$results"/vm-"$series"-*.tap "$tmp/"
"$(dirname "$0")/../lib/summarize.sh" "$tmp"
rc=$?
rm -rf "$tmp"
exit $rc
