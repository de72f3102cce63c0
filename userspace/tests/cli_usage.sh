#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mapping commands on the command line, without touching a device:
# --help on each, exit status 2 for usage errors and 1 for failures with
# the object named, apply's report of malformed lines and missing devices
# (text and --json), and the systemd unit.

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

for c in map unmap list status apply doctor partitions; do
	run "$c" --help
	check_eq "$c --help: exit status 0" 0 "$rc"
	check "$c --help: a usage line on stdout" grep -q "^Usage: sectoremu $c" <<<"$out"
	run "$c" --bogus-option
	check_eq "$c --bogus-option: exit status 2" 2 "$rc"
done
run --help
check "--help lists apply" grep -q '^  apply ' <<<"$out"
check "--help lists doctor" grep -q '^  doctor ' <<<"$out"
check "--help lists partitions" grep -q '^  partitions ' <<<"$out"
run nosuch
check_eq "an unknown command: exit status 2" 2 "$rc"

# Usage errors: 2, and nothing else happens.
for args in "map" "map /dev/a /dev/b" "map --sector-size 4096 /dev/x" \
	    "map --offset x /dev/x" "map --length 0 /dev/x" "map --feature turbo /dev/x" \
	    "map --name a/b /dev/x" "unmap" "unmap a b" "status" "status a b" "list extra" \
	    "partitions" "partitions grow vm" "partitions add" "partitions add a b" \
	    "partitions rescan --force vm"; do
	run $args
	check_eq "'$args': exit status 2" 2 "$rc"
done
run map --sector-size 4096 /dev/x
check "--sector-size 4096: the message says what is allowed" \
	grep -q "sector-size must be 512, 1024 or 2048, not '4096'" <<<"$err"

# Failures: 1, with the object named.
run map /dev/null
check_eq "map of a character device: exit status 1" 1 "$rc"
check "map of a character device: named as not a block device" \
	grep -q '^sectoremu: /dev/null is not a block device$' <<<"$err"
: > "$tmp/file"
run map "$tmp/file"
check "map of a regular file: not a block device" bash -c \
	"[ $rc = 1 ] && grep -q '$tmp/file is not a block device' <<<'$err'"
run map "$tmp/nonexistent"
check "map of a missing path: exit status 1, naming it" bash -c \
	"[ $rc = 1 ] && grep -q 'cannot access $tmp/nonexistent: No such file' <<<'$err'"
run unmap "$tmp/file"
check "unmap of a file: not a device-mapper device" bash -c \
	"[ $rc = 1 ] && grep -q '$tmp/file is not a device-mapper device' <<<'$err'"

# apply: malformed lines with their numbers, missing devices, --json.
cat > "$tmp/tab" <<TAB
# name   device              options
gone     $tmp/no-such-disk   sector-size=1024
maybe    WWN=no-such-wwn     nofail

bad1     /dev/x              sector-size=4096
bad2
gone     /dev/y
bad3     /dev/x              ro,,force
TAB
run apply --tab "$tmp/tab"
check_eq "apply: exit status 1" 1 "$rc"
check "apply: line 5 is reported" grep -q "^sectoremu: $tmp/tab:5: bad1: sector-size must be 512, 1024 or 2048, not '4096'$" <<<"$err"
check "apply: line 6 is reported" grep -q "^sectoremu: $tmp/tab:6: bad2: no device" <<<"$err"
check "apply: line 7 (a name used twice) is reported" grep -q "^sectoremu: $tmp/tab:7: gone: name already used on line 2$" <<<"$err"
check "apply: line 8 is reported" grep -q "^sectoremu: $tmp/tab:8: bad3: empty option" <<<"$err"
check_eq "apply: the missing devices are reported" \
	"gone: $tmp/no-such-disk: no such device|maybe: WWN=no-such-wwn: no such device (nofail)" \
	"$(tr '\n' '|' <<<"$out" | sed 's/|$//')"
run apply --tab "$tmp/tab" --json
check_eq "apply --json: exit status 1" 1 "$rc"
check "apply --json: valid JSON" jq -e . <<<"$out"
check_eq "apply --json: top-level keys" '["dry_run","malformed","mappings","ok","tab"]' \
	"$(jq -c 'keys' <<<"$out")"
check_eq "apply --json: malformed lines" "5 6 7 8" "$(jq -r '[.malformed[].line] | map(tostring) | join(" ")' <<<"$out")"
check_eq "apply --json: a mapping's keys" '["device","line","message","name","nofail","resolved","result"]' \
	"$(jq -c '.mappings[0] | keys' <<<"$out")"
check_eq "apply --json: results" "gone:2:missing:false:null maybe:3:missing:true:null" \
	"$(jq -r '[.mappings[] | "\(.name):\(.line):\(.result):\(.nofail):\(.resolved)"] | join(" ")' <<<"$out")"
check_eq "apply --json: ok is false" false "$(jq .ok <<<"$out")"
printf 'maybe WWN=no-such-wwn nofail\n# only a comment\n' > "$tmp/tab2"
run apply --tab "$tmp/tab2"
check_eq "apply: only a missing nofail device: exit status 0" 0 "$rc"
run apply --tab "$tmp/tab2" gone
check "apply of a name without a line: exit status 1, naming it" bash -c \
	"[ $rc = 1 ] && grep -q 'tab2: no line for gone' <<<'$err'"
run apply --tab "$tmp/nonexistent"
check "apply of a missing tab file: exit status 1, naming it" bash -c \
	"[ $rc = 1 ] && grep -q 'cannot read $tmp/nonexistent' <<<'$err'"
printf 'a /dev/x\0\n' > "$tmp/binary"
run apply --tab "$tmp/binary"
check "apply of a binary file: refused" bash -c "[ $rc = 1 ] && grep -q 'not a text file' <<<'$err'"

# doctor: a device that is not one is a failure, naming it.
run doctor /dev/null
check "doctor /dev/null: exit status 1, naming it" bash -c \
	"[ $rc = 1 ] && grep -q '/dev/null is not a block device' <<<'$err'"

# Bash completion.
# complete WORDS...: what completing the last word offers, sorted, on one line.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_sectoremu; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		_ "$TOP/userspace/completion/sectoremu" "$@"
}
check_eq "completion: commands" "apply doctor " "$(complete_words sectoremu '' | grep -o 'apply\|doctor' | tr '\n' ' ')"
check_eq "completion: map --sector-size" "1024 2048 512 " "$(complete_words sectoremu map --sector-size '')"
check_eq "completion: map's options" "--feature --force " "$(complete_words sectoremu map /dev/x --f)"
check_eq "completion: apply's options" "--dry-run " "$(complete_words sectoremu apply --d)"
printf 'vm1 /dev/a\n# c\nvm2 /dev/b ro\n' > "$tmp/tab3"
check_eq "completion: apply names come from --tab" "vm1 vm2 " "$(complete_words sectoremu apply --tab "$tmp/tab3" vm)"
check_eq "completion: ptable subcommands" "fix " "$(complete_words sectoremu ptable f)"
check_eq "completion: partitions actions" "remove rescan " "$(complete_words sectoremu partitions re)"
check_eq "completion: map --partitions" "--partitions " "$(complete_words sectoremu map /dev/x --pa)"

# The systemd unit, as make install writes it.
unit=$tmp/sectoremu.service
sed "s,@SBINDIR@,$(dirname "$SECTOREMU"),; s,sectoremu apply,$(basename "$SECTOREMU") apply," \
	"$TOP/userspace/systemd/sectoremu.service.in" > "$unit"
check "the unit runs apply" grep -q "^ExecStart=$SECTOREMU apply$" "$unit"
if command -v systemd-analyze >/dev/null; then
	check_eq "systemd-analyze verify: no complaints" "" \
		"$(systemd-analyze verify --man=no "$unit" 2>&1 | grep -v -e 'modprobe' -e 'udevadm')"
else
	tap_skip "systemd-analyze verify" "no systemd-analyze"
fi
tap_end
