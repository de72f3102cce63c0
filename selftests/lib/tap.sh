# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for shell tests, host side and inside the VM (busybox sh):
#
#	. tap.sh
#	tap_begin
#	check "mapping reports 512-byte sectors" [ "$(cat ...)" = 512 ]
#	expect_fail "refuses a char device" sectoremu map /dev/null
#	tap_end
#
# Every check runs a command and reports "ok N - text" or "not ok N - text";
# a failing check prints its command's output as diagnostics.
#
# When the kselftest KTAP helpers are loaded first (ktap_helpers.sh, as
# the VM suite does), the results go through them instead: "ok N text",
# the plan and "# Totals" at the end, and tap_end exits with the
# kselftest status (0 pass, 1 fail).

TAP_N=0
TAP_FAILED=0

_tap_ktap() { [ -n "${KTAP_TESTNO:-}" ]; }

# TAP_SETUP: a command tap_begin runs first (the VM suite makes the test's
# devices there, once the test has said what it needs).
tap_begin() {
	[ -z "${TAP_SETUP:-}" ] || $TAP_SETUP
	if _tap_ktap; then
		ktap_print_header
	else
		echo "TAP version 13"
	fi
}

tap_result() {	# tap_result <0|1> <description>
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		if _tap_ktap; then ktap_test_pass "$2"; else echo "ok $TAP_N - $2"; fi
	else
		if _tap_ktap; then ktap_test_fail "$2"; else echo "not ok $TAP_N - $2"; fi
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

tap_skip() {	# tap_skip <description> <reason>
	TAP_N=$((TAP_N + 1))
	if _tap_ktap; then
		# the kernel's helper takes no reason: it goes in a comment
		ktap_print_msg "$1: $2"
		ktap_test_skip "$1"
	else
		echo "ok $TAP_N - $1 # SKIP $2"
	fi
}

diag() {
	echo "$*" | sed 's/^/# /'
}

# check <description> <command...>: passes when the command succeeds.
check() {
	_d=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	tap_result $_rc "$_d"
	[ $_rc -eq 0 ] || diag "$_out"
	return $_rc
}

# expect_fail <description> <command...>: passes when the command fails.
expect_fail() {
	_d=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	if [ $_rc -ne 0 ]; then
		tap_result 0 "$_d"
		return 0
	fi
	tap_result 1 "$_d"
	diag "command unexpectedly succeeded: $*"
	diag "$_out"
	return 1
}

# check_eq <description> <expected> <actual>
check_eq() {
	if [ "$2" = "$3" ]; then
		tap_result 0 "$1"
	else
		tap_result 1 "$1"
		diag "expected: '$2'"
		diag "  actual: '$3'"
	fi
}

tap_end() {
	if _tap_ktap; then
		ktap_set_plan "$TAP_N"
		ktap_finished
	fi
	echo "1..$TAP_N"
	[ $TAP_FAILED -eq 0 ]
}
