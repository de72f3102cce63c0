#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How the tool reports, without touching a device: a usage error is one
# line and "Try 'sectoremu VERB --help'." with exit status 2; what the
# library says goes to stderr as "sectoremu: <message>", and apply
# carries each line's cause in its message and, under --json, all of it
# in the line's diagnostics instead of on stderr.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/selftests/lib/tap.sh"

: "${SECTOREMU:?SECTOREMU must name the sectoremu binary}"
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap_begin

# run ARGS...: sets rc, out (stdout) and err (stderr).
run() {
	out=$("$SECTOREMU" "$@" 2>"$tmp/err")
	rc=$?
	err=$(cat "$tmp/err")
}

# Usage errors: two lines on stderr, the second naming the verb's --help.
while IFS='|' read -r args verb first; do
	run $args
	check_eq "'$args': exit status 2" 2 "$rc"
	check_eq "'$args': one line, then Try" "$first|Try 'sectoremu $verb --help'." \
		"$(tr '\n' '|' <<<"$err" | sed 's/|$//')"
	check_eq "'$args': nothing on stdout" "" "$out"
done <<'CASES'
map|map|sectoremu: map: which device?
map /dev/a /dev/b|map|sectoremu: map: unexpected operand '/dev/b'
map --bogus /dev/x|map|sectoremu map: unrecognized option '--bogus'
map --offset x /dev/x|map|sectoremu: --offset: 'x' is not a number of sectors
unmap|unmap|sectoremu: unmap: which mapping?
status a b|status|sectoremu: status: unexpected operand 'b'
list extra|list|sectoremu: list: unexpected operand 'extra'
partitions grow vm|partitions|sectoremu: partitions: unknown action 'grow'
partitions add a b|partitions|sectoremu: partitions: unexpected operand 'b'
version extra|version|sectoremu: version: unexpected operand 'extra'
ptable inspect|ptable|sectoremu: ptable inspect: expects exactly one device or image file
qemu-aio extra|qemu-aio|sectoremu: qemu-aio: unexpected argument 'extra'
CASES
run
check_eq "no command: exit status 2" 2 "$rc"
check_eq "no command: one line, then Try" "sectoremu: which command?|Try 'sectoremu --help'." \
	"$(tr '\n' '|' <<<"$err" | sed 's/|$//')"
run version --help
check "version --help: a usage line on stdout" grep -q '^Usage: sectoremu version' <<<"$out"

# apply: a line whose device is a regular file fails in map's checks.
: > "$tmp/file"
printf 'f %s\n' "$tmp/file" > "$tmp/tab"
run apply --tab "$tmp/tab"
check_eq "apply, text: exit status 1" 1 "$rc"
cause=$(sed -n 's/^sectoremu: //p' <<<"$err" | head -n1)
text_err=$err
check "apply, text: the library's message on stderr" test -n "$cause"
check_eq "apply, text: the line says the cause" "f: not created: $cause" "$out"
run apply --tab "$tmp/tab" --json
check_eq "apply --json: exit status 1" 1 "$rc"
check_eq "apply --json: nothing on stderr" "" "$err"
check_eq "apply --json: failed" failed "$(jq -r '.mappings[0].result' <<<"$out")"
check_eq "apply --json: the message is the cause" "$cause" "$(jq -r '.mappings[0].message' <<<"$out")"
check_eq "apply --json: the diagnostics hold it" "error sectoremu $cause" \
	"$(jq -r '[.mappings[0].diagnostics[] | select(.origin == "sectoremu")][0] | "\(.severity) \(.origin) \(.message)"' <<<"$out")"
check_eq "apply --json: the diagnostics are what text mode put on stderr" "$text_err" \
	"$(jq -r '.mappings[0].diagnostics[] | if .origin == "sectoremu" then "sectoremu: \(.message)" else .message end' <<<"$out")"
if [ "$(id -u)" = 0 ]; then
	check_eq "apply: as root, the cause is map's check" "$tmp/file is not a block device" "$cause"
else
	tap_skip "apply: as root, the cause is map's check" "not root"
fi
tap_end
