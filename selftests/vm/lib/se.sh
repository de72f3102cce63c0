# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the in-VM tests (busybox sh).  There is no udev in the test
# initramfs: libdevmapper notices that and creates /dev/mapper nodes
# itself; dmsetup runs with --noudevsync and every change is followed by
# "dmsetup mknodes" so the nodes are right either way.
. /tests/lib/tap.sh
export PATH=/tests/bin:$PATH

NVME=${SE_NVME:-/dev/nvme0n1}
NULLB=${SE_NULLB:-/dev/nullb0}

dm() {
	dmsetup --noudevsync "$@"
	_rc=$?
	dmsetup mknodes >/dev/null 2>&1
	return $_rc
}

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

remove_all() {
	for _n in $(dmsetup ls --target sectoremu 2>/dev/null | awk '{print $1}'); do
		dm remove --retry "$_n" >/dev/null 2>&1
	done
	for _n in $(dmsetup ls 2>/dev/null | awk '$1 != "No" {print $1}'); do
		dm remove --retry "$_n" >/dev/null 2>&1
	done
}

# status_field <name> <index 1..>: one counter of the sectoremu status line
status_field() {
	dmsetup status "$1" | awk -v i="$2" '{print $(4 + i)}'
}
