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

# The guest's output is the KTAP stream of run_kselftest.sh: per test
# "# selftests: vm: NAME", its output prefixed "# ", then the runner's
# "ok|not ok N selftests: vm: NAME [# SKIP|# TIMEOUT S seconds|# exit=RC]".
# A skipped test (exit 4) becomes "ok - NAME # SKIP <its reason>".
awk -v dir="$results" -v series="$series" '
	function has(re,   cmd) {
		close(file)
		cmd = "grep -Eq \"" re "\" " file
		return system(cmd) == 0
	}
	/^# selftests: [^:]*: / {
		name = $4; file = dir "/vm-" series "-" name ".tap"; printf "" > file; ntests++
		reason = ""; next
	}
	file != "" && /^(not )?ok [0-9]+ selftests: [^:]*: / {
		res = $0
		if (res ~ /# SKIP/) {
			if (!has("^(not )?ok "))
				print "ok - " name " # SKIP" (reason != "" ? " " reason : "") >> file
		} else if (res ~ /# TIMEOUT/) {
			sub(/.*# TIMEOUT /, "", res)
			print "not ok - " name ": timed out after " res >> file
		} else if (res ~ /^not ok/) {
			st = res; sub(/.*# /, "", st)
			if (!has("^not ok"))
				print "not ok - " name ": the runner reports " st " but the test reported no failure" >> file
		}
		if (!has("^(not )?ok "))
			print "not ok - " name ": produced no test results" >> file
		close(file); file = ""; next
	}
	/^### done/ { done = 1; next }
	file != "" {
		sub(/\r$/, "")
		if ($0 == "#") next
		sub(/^# ?/, "")
		if ($0 ~ /^1\.\.0 # SKIP/) { reason = $0; sub(/^1\.\.0 # SKIP */, "", reason) }
		print >> file
	}
	END {
		f = dir "/vm-" series "-boot.tap"
		if (file != "")
			print "not ok - test " name " did not finish (guest died or boot limit hit)" > f
		else if (!done)
			print "not ok - guest ran the suite to the end" > f
		else if (!ntests)
			print "not ok - guest ran the suite to the end (no test ran)" > f
		else
			print "ok - guest ran the suite to the end" > f
	}' "$vm/tap.log"

klog=$results/vm-$series-kernel-log.tap
pat='WARNING:|BUG:|Oops|general protection fault|double fault|stack guard page|Kernel panic|blocked for more than|UBSAN:|KASAN:|kernel BUG|Call Trace:|list_add corruption|list_del corruption|refcount_t:'
if grep -Eq "$pat" "$vm/console.log"; then
	echo "not ok - guest kernel log is free of oops/WARN/BUG/hung tasks" > "$klog"
	grep -En "$pat|sectoremu-selftest: start" "$vm/console.log" | grep -EB1 "$pat" | head -n 40 | sed 's/^/# /' >> "$klog"
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
