# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the ptable shell tests: scratch images, partition listings
# in bytes as real tools (fdisk, sgdisk, sfdisk) print them, and checksums
# of partition contents.  Sourced by tests/ptable_*.sh.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
. "$TOP/selftests/lib/tap.sh"

: "${SECTOREMU:?SECTOREMU must name the sectoremu binary}"
: "${BUILD:?BUILD must name the build directory}"
SCRATCH=$BUILD/ptable-tests/$(basename "$0" .sh)
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH" || exit 1
export LC_ALL=C

se() { "$SECTOREMU" ptable "$@"; }

# "<start byte> <size bytes> <type uuid> <uuid> <name>" per GPT partition,
# as fdisk reads the table at sector size $2.
gpt_list() {
	fdisk -b "$2" -l -o Start,Sectors,Type-UUID,UUID,Name "$1" 2>/dev/null |
	awk -v ss="$2" '
		f && NF >= 4 {
			n = ""
			for (i = 5; i <= NF; i++)
				n = n (i > 5 ? " " : "") $i
			printf "%d %d %s %s %s\n", $1 * ss, $2 * ss, $3, $4, n
		}
		/^ *Start/ { f = 1 }'
}

# "<start byte> <attributes>" per GPT partition.
gpt_attrs() {
	fdisk -b "$2" -l -o Start,Attrs "$1" 2>/dev/null |
	awk -v ss="$2" 'f && NF { $1 = $1 * ss; print } /^ *Start/ { f = 1 }'
}

# "<number> <start byte> <size bytes> <id>" per MBR partition.
mbr_list() {
	fdisk -b "$2" -l -o Device,Start,Sectors,Id "$1" 2>/dev/null |
	awk -v ss="$2" '
		f && NF >= 4 {
			n = $1; sub(/.*[^0-9]/, "", n)
			printf "%s %d %d %s\n", n, $2 * ss, $3 * ss, $4
		}
		/^Device/ { f = 1 }'
}

# fdisk at sector size $2 reads the table without complaint.
fdisk_clean() {
	_o=$(fdisk -b "$2" -l "$1" 2>&1)
	if echo "$_o" | grep -Eiq 'corrupt|not on the end|mismatch|does not start|invalid|warning|overlap'; then
		echo "$_o"
		return 1
	fi
	echo "$_o" | grep -q 'Disklabel type'
}

# sgdisk -v finds no problem and loads without a caution or warning
# (512-byte tables).  The one warning that is no fault - a gap before
# FirstUsableLBA, as a converted fdisk 4K table keeps - is allowed.
sgdisk_clean() {
	_o=$(sgdisk -v "$1" 2>&1)
	_f=$(echo "$_o" | awk -v RS= '!/There is a gap between the main partition table/')
	if ! echo "$_o" | grep -q '^No problems found' ||
	   echo "$_f" | grep -Eq 'Caution|Warning|ERROR|Problem|corrupt'; then
		echo "$_o"
		return 1
	fi
}

# Fill every partition listed by gpt_list/mbr_list-style "start size"
# columns (given as $2 $3 ... pairs on stdin) with random data.
fill_parts() {	# fill_parts IMG < "start size" lines
	while read -r _s _z _rest; do
		head -c "$_z" /dev/urandom |
			dd of="$1" bs=64K seek="$_s" oflag=seek_bytes conv=notrunc status=none
	done
}

# sha256 of each "start size" range.
sum_parts() {	# sum_parts IMG < "start size" lines
	while read -r _s _z _rest; do
		echo "$_s $(dd if="$1" bs=64K skip="$_s" count="$_z" \
			iflag=skip_bytes,count_bytes status=none | sha256sum | cut -c1-16)"
	done
}

sha() { sha256sum "$1" | cut -c1-64; }

# JSON field of `ptable inspect --json`.
jfield() {	# jfield IMG JQ-EXPR [inspect options]
	_i=$1 _e=$2
	shift 2
	se inspect --json "$@" "$_i" | jq -r "$_e"
}
