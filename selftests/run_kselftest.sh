#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_kselftest.sh [-l] [-c COLLECTION]... [-t COLLECTION:TEST]...
#                  [-o SECONDS]
#
# Run an installed kselftest tree (make -C selftests install
# INSTALL_PATH=DIR puts this script in DIR): the tests of
# kselftest-list.txt, each COLLECTION (directory) at a time, through
# kselftest/runner.sh.  The options are those of the kernel's
# run_kselftest.sh that this suite needs: -l lists the collection:test
# entries, -c and -t select, -o overrides every per-test timeout.
BASE_DIR=$(cd "$(dirname "$0")" && pwd)
cd "$BASE_DIR" || exit 1
list=$BASE_DIR/kselftest-list.txt
[ -r "$list" ] || { echo "$0: no list of tests ($list)" >&2; exit 1; }
available=$(cat "$list")
. ./kselftest/runner.sh

usage() {
	echo "usage: $0 [-l] [-c COLLECTION]... [-t COLLECTION:TEST]... [-o SECONDS]" >&2
	exit "$1"
}
sel=
kselftest_override_timeout=
while [ $# -gt 0 ]; do
	case $1 in
	-l|--list)	echo "$available"; exit 0 ;;
	-c|--collection)
		[ $# -ge 2 ] || usage 1
		found=$(echo "$available" | grep "^$2:") ||
			{ echo "No such collection '$2'" >&2; exit 1; }
		sel="$sel $found"; shift 2 ;;
	-t|--test)
		[ $# -ge 2 ] || usage 1
		echo "$available" | grep -qx "$2" || { echo "No such test '$2'" >&2; exit 1; }
		sel="$sel $2"; shift 2 ;;
	-o|--override-timeout)
		[ $# -ge 2 ] || usage 1
		kselftest_override_timeout=$2; shift 2 ;;
	-h|--help)	usage 0 ;;
	*)	usage 1 ;;
	esac
done
[ -n "$sel" ] && available=$(echo $sel | tr ' ' '\n')

for c in $(echo "$available" | cut -d: -f1 | uniq); do
	[ -w /dev/kmsg ] && echo "kselftest: Running tests in $c" >> /dev/kmsg
	tests=$(echo "$available" | grep "^$c:" | cut -d: -f2)
	(cd "$c" && run_many $tests)
done
