# SPDX-License-Identifier: GPL-2.0
#
# KTAP output for shell tests: the functions and KSFT_* exit codes of the
# kernel's tools/testing/selftests/kselftest/ktap_helpers.sh (Linux 6.9 and
# later; 6.1 has none), written for this tree so that the tests run where
# the kernel's file is not installed.  Where it is (a kselftest install
# tree, or the VM rig, which stages the one from linux-source-6.12), the
# tests use it instead: the same calls, the same output.
#
#	ktap_print_header		"TAP version 13"
#	ktap_set_plan N			"1..N"
#	ktap_test_pass|fail|skip DESC	"ok N DESC", "not ok N DESC",
#					"ok N DESC # SKIP"
#	ktap_test_result DESC CMD...	pass or fail by CMD's status
#	ktap_skip_all REASON		"1..0 # SKIP REASON"
#	ktap_print_msg MSG		"# MSG"
#	ktap_exit_fail_msg MSG		"Bail out! MSG", totals, exit KSFT_FAIL
#	ktap_print_totals		"# Totals: pass:..."
#	ktap_finished			totals; exit KSFT_PASS when every planned
#					test passed or was skipped, else KSFT_FAIL

KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_XPASS=3
KSFT_SKIP=4

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0
KSFT_NUM_TESTS=0

ktap_print_header() {
	echo "TAP version 13"
}

ktap_print_msg() {
	echo "# $*"
}

ktap_set_plan() {
	KSFT_NUM_TESTS=$1
	echo "1..$1"
}

ktap_skip_all() {
	echo "1..0 # SKIP $*"
}

_ktap_line() {	# _ktap_line <ok|not ok> <description> [directive]
	if [ -n "${3:-}" ]; then
		echo "$1 $KTAP_TESTNO $2 # $3"
	else
		echo "$1 $KTAP_TESTNO $2"
	fi
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {
	_ktap_line ok "$1"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_skip() {
	_ktap_line ok "$1" SKIP
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_fail() {
	_ktap_line "not ok" "$1"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

ktap_test_result() {
	_kd=$1
	shift
	if "$@"; then
		ktap_test_pass "$_kd"
	else
		ktap_test_fail "$_kd"
	fi
}

ktap_print_totals() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
}

ktap_exit_fail_msg() {
	echo "Bail out! $*"
	ktap_print_totals
	exit "$KSFT_FAIL"
}

ktap_finished() {
	ktap_print_totals
	if [ $((KTAP_CNT_PASS + KTAP_CNT_SKIP)) -eq "$KSFT_NUM_TESTS" ]; then
		exit "$KSFT_PASS"
	fi
	exit "$KSFT_FAIL"
}
