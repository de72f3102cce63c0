#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh [SERIES...]
#
# Print "SERIES ABI" for each kernel series we build and test against
# (default: 6.1 6.12).  The ABI is resolved from the Debian headers
# meta-package of the series, never written down here, so a new kernel
# upload is picked up by `make deps` alone.
set -euo pipefail

meta_of() {
	case $1 in
	6.1)	echo linux-headers-amd64 ;;
	6.12)	echo linux-headers-6.12-amd64 ;;
	*)	echo "kernels.sh: unknown kernel series '$1' (known: 6.1 6.12)" >&2
		return 1 ;;
	esac
}

for series in "${@:-6.1 6.12}"; do
	for s in $series; do
		meta=$(meta_of "$s")
		# Installed meta-package first (it is what the headers are);
		# else the apt candidate.
		dep=$(dpkg-query -W -f='${Status} ${Depends}\n' "$meta" 2>/dev/null |
		      sed -n 's/^install ok installed //p')
		[ -n "$dep" ] ||
			dep=$(apt-cache show --no-all-versions "$meta" 2>/dev/null |
			      sed -n 's/^Depends: //p')
		abi=$(printf '%s\n' "$dep" | tr ',' '\n' |
		      sed -n 's/^ *linux-headers-\([^ ]*-amd64\).*/\1/p' | head -n1)
		if [ -z "$abi" ]; then
			echo "kernels.sh: cannot resolve the $s kernel ABI from $meta" >&2
			exit 1
		fi
		echo "$s $abi"
	done
done
