# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests of this kselftest directory (POSIX sh: dash or
# busybox sh in the VM).  A test sources it as
#
#	. "$(dirname "$0")/lib/se.sh"
#
# and reaches nothing but this directory (lib/, the programs built here,
# VERSION), the kselftest KTAP helpers (../kselftest/ktap_helpers.sh) and
# $PATH.  The environment may give:
#	SE_NVME		a 4096-byte-LBA NVMe namespace the suite may use as
#			scratch (the VM rig passes se.nvme= on the command
#			line); tests that need it skip without it
#
# Skips: sourcing this file exits with KSFT_SKIP (4) and "1..0 # SKIP" when
# not root or when dmsetup or the dm-sectoremu module is missing; a test
# names its other needs with se_need_cmd/se_need_nvme/se_need_file.
#
# Devices: every test gets its own 1 GiB memory-backed 4K null_blk device
# in $NULLB, made through configfs (/sys/kernel/config/nullb/<prefix>nb0)
# by tap_begin, unless it sets SE_NO_NULLB=1 first.  Everything it creates is named or
# tagged with its own prefix (SE_PFX, "sekst<NN>-" for test NN-*.sh):
#	- null_blk configfs directories: $SE_PFX<name> (on 6.1 the disk is
#	  named after the directory too);
#	- dm devices made by dmsetup or dm in the test get the dm UUID
#	  $SE_UUID<name> (SE_UUID = "SEKST-<test>-"), added by the dmsetup
#	  function below unless the command gives its own;
#	- loop devices attached by losetup in the test are recorded in the
#	  test's state directory.
# The test's cleanup (remove_own, also run on exit) removes only what it
# owns: dm devices with its UUID prefix, and dm devices stacked (directly or
# through other dm devices or partitions) on its own null_blk or loop
# devices or on the NVMe scratch disk, e.g. the CLI's mappings and LVM's
# volumes; then its loop devices and null_blk devices.  A dm device of
# anyone else, on anything else, survives it (01-rig.sh proves it).
# There is no udev in the test initramfs: libdevmapper notices that and
# creates /dev/mapper nodes itself; dmsetup runs with --noudevsync and
# every change is followed by "dmsetup mknodes" so the nodes are right
# either way.

: "${SE_DIR:=$(cd "$(dirname "$0")" && pwd)}"
SE_TEST=$(basename "$0" .sh)

# The kselftest KTAP helpers: the installed kernel's, else this tree's.
if [ -z "${KTAP_TESTNO:-}" ]; then
	. "$SE_DIR/../kselftest/ktap_helpers.sh"
fi
. "$SE_DIR/lib/tap.sh"
# se-stress and the other test programs are built into this directory.
PATH=$SE_DIR:$PATH:/usr/sbin:/sbin
export PATH

# se_skip <reason>: skip the whole test (KSFT_SKIP)
se_skip() {
	ktap_print_header
	ktap_skip_all "$SE_TEST: $*"
	exit "$KSFT_SKIP"
}

# se_need_cmd <command...>: skip unless every command is on PATH
se_need_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || se_skip "$_c is not installed"
	done
}

se_need_nvme() {
	[ -n "${SE_NVME:-}" ] || se_skip "no NVMe namespace given (SE_NVME)"
	[ -b "$SE_NVME" ] || se_skip "SE_NVME=$SE_NVME is not a block device"
}

# se_need_file <file...>: skip unless each exists (staged test modules)
se_need_file() {
	for _f in "$@"; do
		[ -e "$_f" ] || se_skip "$(basename "$_f") is not available"
	done
}

# (checked once: not again in a child of the test, see SE_STATE below)
if [ -z "${SE_STATE:-}" ]; then
	[ "$(id -u)" = 0 ] || se_skip "must be run as root"
	se_need_cmd dmsetup blockdev modprobe
	modinfo dm-sectoremu >/dev/null 2>&1 || lsmod | grep -q '^dm_sectoremu ' ||
		se_skip "the dm-sectoremu module is not installed"
fi

NVME=${SE_NVME:-}
# A child that sources this file (the test run again by se-replay, the
# bench script under 90-bench-smoke.sh) keeps its parent's prefixes.
: "${SE_PFX:=sekst${SE_TEST%%-*}-}" "${SE_UUID:=SEKST-$SE_TEST-}"
export SE_PFX SE_UUID

dmsetup() {	# adds the test's UUID to a create without one
	_se_create=0 _se_uuid=0 _se_name=
	for _a in "$@"; do
		case $_se_create$_a in
		*-u|*--uuid|*--uuid=*) _se_uuid=1 ;;
		0create) _se_create=1 ;;
		1-*) ;;
		1*) [ -n "$_se_name" ] || _se_name=$_a ;;
		esac
	done
	if [ $_se_create = 1 ] && [ $_se_uuid = 0 ] && [ -n "$_se_name" ]; then
		command dmsetup "$@" -u "$SE_UUID$_se_name"
	else
		command dmsetup "$@"
	fi
}

dm() {
	dmsetup --noudevsync "$@"
	_rc=$?
	command dmsetup mknodes >/dev/null 2>&1
	return $_rc
}

losetup() {	# records the loop devices the test attaches
	_se_out=$(command losetup "$@")
	_rc=$?
	[ -n "$_se_out" ] && echo "$_se_out"
	case " $* " in
	*" -f "*|*" --find "*)
		[ $_rc = 0 ] && [ -b "$_se_out" ] && [ -n "${SE_STATE:-}" ] &&
			echo "$_se_out" >> "$SE_STATE/loops" ;;
	esac
	return $_rc
}

# se_nullb <name> [size MiB]: a new memory-backed 4K null_blk device of the
# test (configfs $SE_PFX<name>); prints its /dev path
se_nullb() {
	_cf=/sys/kernel/config/nullb
	[ -d $_cf ] || modprobe null_blk nr_devices=0 >/dev/null 2>&1
	[ -d /sys/kernel/config/nullb ] ||
		mount -t configfs none /sys/kernel/config 2>/dev/null
	[ -d $_cf ] || return 1
	_d=$_cf/$SE_PFX$1
	mkdir "$_d" && echo 4096 > "$_d/blocksize" && echo "${2:-1024}" > "$_d/size" &&
		echo 1 > "$_d/memory_backed" && echo 1 > "$_d/power" || return 1
	# 6.1 names the disk after the directory, later kernels nullb<index>
	_b=/dev/$SE_PFX$1
	[ -b "$_b" ] || _b=/dev/nullb$(cat "$_d/index")
	_i=0
	while [ ! -b "$_b" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -b "$_b" ] && echo "$_b"
}

# _se_parent <kernel name>: the disk of a partition, else the name itself
_se_parent() {
	if [ -e "/sys/class/block/$1/partition" ]; then
		basename "$(dirname "$(readlink -f "/sys/class/block/$1")")"
	else
		echo "$1"
	fi
}

# se_owned_dm: the names of the dm devices this test owns (see above)
se_owned_dm() {
	_base=" "
	[ -n "${NULLB:-}" ] && _base="$_base$(basename "$(readlink -f "$NULLB")") "
	[ -n "$NVME" ] && _base="$_base$(basename "$(readlink -f "$NVME")") "
	[ -s "$SE_STATE/loops" ] && for _l in $(cat "$SE_STATE/loops"); do
		_base="$_base$(basename "$_l") "
	done
	_all=$(command dmsetup info -c --noheadings -o name,uuid --separator ' ' 2>/dev/null |
		grep -v '^No devices found')
	_own=" "
	_more=1
	while [ $_more = 1 ]; do
		_more=0
		for _n in $(echo "$_all" | awk '{print $1}'); do
			case $_own in *" $_n "*) continue ;; esac
			_u=$(echo "$_all" | awk -v n="$_n" '$1 == n {print $2}')
			_mine=0
			case $_u in "$SE_UUID"*) _mine=1 ;; esac
			if [ $_mine = 0 ]; then
				for _dep in $(command dmsetup deps -o devname "$_n" 2>/dev/null |
						sed 's/.*://; s/[()]//g'); do
					case "$_own$_base" in
					*" $_dep "*|*" $(_se_parent "$_dep") "*) _mine=1 ;;
					esac
				done
			fi
			[ $_mine = 1 ] && _own="$_own$_n " _more=1
		done
	done
	echo $_own
}

# remove_own: remove every dm device, loop and null_blk device the test owns
# (and unmount what is mounted from them), nothing else
remove_own() {
	_own=$(se_owned_dm)
	for _n in $_own; do
		awk -v d="/dev/mapper/$_n" '$1 == d {print $2}' /proc/mounts
	done | sort -r | while read -r _m; do umount "$_m" 2>/dev/null; done
	# upper devices first: repeat while something goes
	_left=$_own _i=0
	while [ -n "$_left" ] && [ $_i -lt 10 ]; do
		_next=
		for _n in $_left; do
			if [ $_i -lt 9 ]; then
				command dmsetup --noudevsync remove "$_n" >/dev/null 2>&1 || _next="$_next $_n"
			else
				command dmsetup --noudevsync remove --retry "$_n" >/dev/null 2>&1
			fi
		done
		_left=$_next _i=$((_i + 1))
	done
	command dmsetup mknodes >/dev/null 2>&1
	if [ -s "$SE_STATE/loops" ]; then
		for _l in $(cat "$SE_STATE/loops"); do
			command losetup -d "$_l" 2>/dev/null
		done
		: > "$SE_STATE/loops"
	fi
}

# remove_nullb: remove the test's null_blk devices (after remove_own)
remove_nullb() {
	for _d in /sys/kernel/config/nullb/$SE_PFX*; do
		[ -d "$_d" ] || continue
		awk -v d="$NULLB" '$1 == d {print $2}' /proc/mounts |
			while read -r _m; do umount "$_m" 2>/dev/null; done
		echo 0 > "$_d/power" 2>/dev/null
		rmdir "$_d"
	done
}

_se_exit() {
	remove_own
	remove_nullb
	rm -rf "$SE_STATE"
	echo "sectoremu-selftest: end $SE_TEST" > /dev/kmsg 2>/dev/null
}

# The test's own state and devices, made by tap_begin (after the test's
# se_need_* checks) and once: a test script that runs itself again
# (se-replay's per-point command) shares them.
_se_setup() {
	[ -z "${SE_STATE:-}" ] || return 0
	SE_STATE=$(mktemp -d "${TMPDIR:-/tmp}/$SE_PFX.XXXXXX") || se_skip "no temporary directory"
	export SE_STATE
	echo "sectoremu-selftest: start $SE_TEST" > /dev/kmsg 2>/dev/null
	trap _se_exit EXIT
	trap 'exit 130' INT TERM
	if [ "${SE_NO_NULLB:-0}" != 1 ]; then
		NULLB=$(se_nullb nb0 1024) || se_skip "cannot create a null_blk device (configfs)"
		export NULLB
	fi
}
TAP_SETUP=_se_setup

# sectors <blockdev>: size in 512-byte sectors
sectors() {
	blockdev --getsz "$1"
}

# sysfs_dir <blockdev>: its /sys/dev/block/<major>:<minor> directory
sysfs_dir() {
	echo "/sys/dev/block/$(stat -L -c '%t %T' "$1" | while read -r ma mi; do
		echo "$((0x$ma)):$((0x$mi))"; done)"
}

# queue_attr <blockdev> <attr>: its queue/<attr> in sysfs
queue_attr() {
	cat "$(sysfs_dir "$1")/queue/$2"
}

load_module() {
	lsmod | grep -q '^dm_sectoremu ' || modprobe dm-sectoremu
}

# map_se <name> <dev> <args after the device...>: whole-device mapping
map_se() {
	_n=$1 _dev=$2
	shift 2
	echo "0 $(sectors "$_dev") sectoremu $_dev $*" | dm create "$_n"
}

# status_field <name> <index 1..>: one counter of the sectoremu status line
status_field() {
	dmsetup status "$1" | awk -v i="$2" '{print $(4 + i)}'
}
