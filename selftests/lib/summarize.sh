#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# summarize.sh RESULTS_DIR
#
# Count the top-level TAP lines of every *.tap file in RESULTS_DIR and print
# a per-file summary, then the final line "N passed, N failed".  Skipped
# tests ("# SKIP") are listed but counted as neither.  Exit status 1 when
# anything failed or nothing ran at all.
set -u
dir=$1
pass=0 fail=0 skip=0
for f in "$dir"/*.tap; do
	[ -e "$f" ] || continue
	p=$(grep -E '^ok ' "$f" | grep -vc '# SKIP')
	s=$(grep -Ec '^ok .*# SKIP' "$f")
	n=$(grep -Ec '^not ok ' "$f")
	printf '%-32s %4d passed %4d failed %4d skipped\n' "$(basename "$f" .tap)" "$p" "$n" "$s"
	# each failure with the diagnostic lines that follow it
	awk '/^not ok /{show=1; n=0; print "    " $0; next}
	     show && /^#/ && n < 20 {print "    " $0; n++; next}
	     {show=0}' "$f"
	pass=$((pass + p)) fail=$((fail + n)) skip=$((skip + s))
done
[ $skip -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
