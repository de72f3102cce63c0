# SPDX-License-Identifier: GPL-2.0
#
# Runs the tests of one kselftest directory: the interface of the kernel's
# tools/testing/selftests/kselftest/runner.sh (BASE_DIR set by the caller,
# run_many TEST..., the "settings" file, kselftest_override_timeout, exit 4
# for a skip), written for this tree, whose suite also runs where no kernel
# source is installed.  The output is KTAP: one result per test,
#	ok N selftests: DIR: TEST [# SKIP]
#	not ok N selftests: DIR: TEST # TIMEOUT S seconds | # exit=RC
# with the test's own output before it, each line prefixed "# ".
skip_rc=4
timeout_rc=124
kselftest_default_timeout=45
# logfile: where the tests' output goes (default: standard output itself,
# not reopened, so a regular file there is appended to, not overwritten)
: "${logfile:=}"

_ksft_log() {
	if [ -n "$logfile" ] && [ "$logfile" != /dev/stdout ]; then
		cat >> "$logfile"
	else
		cat
	fi
}

if [ -z "$BASE_DIR" ]; then
	echo "Error: BASE_DIR must be set before sourcing." >&2
	exit 1
fi

# ksft_settings <dir>: kselftest_timeout from <dir>/settings
ksft_settings() {
	kselftest_timeout=$kselftest_default_timeout
	if [ -r "$1/settings" ]; then
		_t=$(sed -n 's/^timeout=\([0-9][0-9]*\).*/\1/p' "$1/settings" | tail -n 1)
		[ -n "$_t" ] && kselftest_timeout=$_t
	fi
	if [ -n "${kselftest_override_timeout:-}" ]; then
		kselftest_timeout=$kselftest_override_timeout
		echo "# overriding timeout to $kselftest_timeout" | _ksft_log
	else
		echo "# timeout set to $kselftest_timeout" | _ksft_log
	fi
}

run_one() {	# run_one <dir> <test> <number>
	_dir=$1 _test=$2 _num=$3
	_name=$(basename "$_test")
	ksft_settings "$BASE_DIR/$_dir"
	_hdr="selftests: $_dir: $_name"
	echo "# $_hdr"
	if [ ! -e "$_test" ]; then
		echo "# Warning: file $_test is missing!"
		echo "not ok $_num $_hdr"
		return
	fi
	if [ -x "$_test" ]; then
		_cmd=./$_name
	else
		echo "# Warning: file $_test is not executable"
		echo "not ok $_num $_hdr"
		return
	fi
	_rcf=$(mktemp)
	(cd "$(dirname "$_test")" &&
		{ timeout -k 10 "$kselftest_timeout" $_cmd 2>&1; echo $? > "$_rcf"; } |
		awk '{ print "# " $0; fflush() }') | _ksft_log
	_rc=$(cat "$_rcf")
	rm -f "$_rcf"
	case $_rc in
	0)	echo "ok $_num $_hdr" ;;
	$skip_rc)	echo "ok $_num $_hdr # SKIP" ;;
	$timeout_rc|137)
		echo "#"
		echo "not ok $_num $_hdr # TIMEOUT $kselftest_timeout seconds" ;;
	*)	echo "not ok $_num $_hdr # exit=$_rc" ;;
	esac
}

run_many() {	# run_many <test...>, in the directory of the tests
	echo "TAP version 13"
	DIR=${PWD#"$BASE_DIR"/}
	_n=0
	echo "1..$#"
	for TEST in "$@"; do
		_n=$((_n + 1))
		run_one "$DIR" "$TEST" "$_n"
	done
}
