#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layering.sh USERSPACE_DIR OBJ_DIR: the two rules of lib/ (see
# Documentation/design.rst), as TAP.
#
#  1. Direction: a file in lib/<layer>/ includes only headers of the
#     layers its line below allows ("<layer>/<file>.h" names the layer).
#  2. No output: no library object references stdio output, exit or
#     the err()/warn() family (nm -u).  Output belongs to cli/: the
#     printers and the diagnostics sink the CLI installs.
#
# Proven to fail: run against a copy of userspace/ with a printf() added
# to blkdev_path_of() in lib/host/blkdev.c (object rebuilt) and an
# #include "ops/map.h" (upward) added to lib/dm/table.c, it reported
#	not ok 2 - lib/dm includes only base, host, dm
#	#   actual: 'lib/dm/table.c:"ops/map.h"'
#	not ok 7 - lib/ objects reference no output, exit or err/warn symbols
#	#   actual: 'lib/host/blkdev.o: printf'
# and exited 1; the tree as committed passes.
set -u
src=${1:?usage: layering.sh USERSPACE_DIR OBJ_DIR}
obj=${2:?usage: layering.sh USERSPACE_DIR OBJ_DIR}
. "$(dirname "$0")/../../selftests/lib/tap.sh"

# layer: the layers its files may include (itself included).
declare -A allow=(
	[base]="base"
	[host]="base host"
	[dm]="base host dm"
	[ptable]="base host ptable"
	[ops]="base host dm ptable ops"
	[qemu]="base host qemu"
)
# Headers from outside lib/ that a layer may use.
declare -A extra=(
	[dm]="sectoremu-counters.h"
)
# Exceptions, by object: the symbol and why it is not the library ending
# the program.
declare -A excused=(
	[lib/qemu/binary.o]="_exit"	# the forked child of qemu_run() after a failed exec
)
forbidden='printf|fprintf|vprintf|vfprintf|dprintf|vdprintf|puts|fputs|putchar|fputc|putc|perror|fwrite|exit|_exit|_Exit|err|errx|verr|verrx|warn|warnx|vwarn|vwarnx|error|error_at_line|stdout|stderr'

tap_begin
for dir in "$src"/lib/*/; do
	layer=$(basename "$dir")
	if [ -z "${allow[$layer]+x}" ]; then
		tap_result 1 "lib/$layer: a layer the allow-list knows"
		continue
	fi
	bad=""
	for f in "$dir"*.[ch]; do
		while read -r inc; do
			top=${inc%%/*}
			if [ "$top" = "$inc" ]; then
				case " ${extra[$layer]:-} " in
				*" $inc "*) continue ;;
				esac
				bad+=" ${f#"$src"/}:\"$inc\""
			elif ! grep -qw -- "$top" <<<"${allow[$layer]}"; then
				bad+=" ${f#"$src"/}:\"$inc\""
			fi
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
	done
	check_eq "lib/$layer includes only ${allow[$layer]// /, }" "" "${bad# }"
done

objs=$(find "$obj/lib" -name '*.o' | sort)
if [ -z "$objs" ]; then
	tap_result 1 "library objects under $obj/lib"
else
	bad=""
	for o in $objs; do
		syms=$(nm -u "$o" | awk '{print $NF}' | sed 's/@.*//' |
		       grep -Ex "($forbidden)|__(printf|fprintf|vfprintf)_chk" |
		       grep -vxF -e "${excused[${o#"$obj"/}]:-/}" | tr '\n' ' ')
		[ -n "$syms" ] && bad+=" ${o#"$obj"/}: ${syms% }"
	done
	check_eq "lib/ objects reference no output, exit or err/warn symbols" "" "${bad# }"
fi
tap_end
