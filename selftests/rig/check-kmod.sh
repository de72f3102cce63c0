#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kmod.sh [SERIES...]: the kernel module's static checks, as TAP:
# for each kernel series it builds warning-free (and -Werror), sparse
# (C=2) reports nothing, and the test-only unsafe variant builds; once,
# checkpatch.pl --strict (from Debian's linux-source-6.1) is clean.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build
. "$top/selftests/lib/tap.sh"
tap_begin

build_kmod() {	# build_kmod ABI DIR [extra make args]: prints compiler output
	local abi=$1 dir=$2
	shift 2
	rm -rf "$dir" && mkdir -p "$dir"
	cp "$top"/kmod/Kbuild "$top"/kmod/*.c "$top"/kmod/*.h "$top"/VERSION "$dir/"
	make -C "/lib/modules/$abi/build" M="$dir" KCFLAGS=-Werror "$@" modules 2>&1
}

no_diagnostics() {	# no_diagnostics LOGFILE: no warning/error lines in it
	! grep -Ei 'warning|error:' "$1"
}

for line in $("$top/selftests/rig/kernels.sh" "${@:-6.1 6.12}" | tr ' ' ':'); do
	series=${line%%:*} abi=${line#*:}
	log=$build/kmod-$abi.log
	build_kmod "$abi" "$build/kmod/$abi" > "$log"
	rc=$?
	tap_result $rc "kmod builds for $series ($abi)"
	[ $rc -eq 0 ] || diag "$(tail -n 20 "$log")"
	check "kmod build for $series has no warnings" no_diagnostics "$log"

	log=$build/kmod-$abi-sparse.log
	build_kmod "$abi" "$build/kmod/$abi-sparse" C=2 CHECK=sparse > "$log"
	check "sparse (C=2) is clean for $series" no_diagnostics "$log"
	grep -Ei 'warning|error:' "$log" | head -n 20 | sed 's/^/# /'

	for v in unsafe nofua noflush poolempty; do
		log=$build/kmod-$abi-$v.log
		build_kmod "$abi" "$build/kmod/$abi-$v" SECTOREMU_TEST=$v > "$log"
		check "test-only $v variant builds for $series" test -e "$build/kmod/$abi-$v/dm-sectoremu.ko"
		check "the $v variant says what it is" \
			grep -aq "test-only build" "$build/kmod/$abi-$v/dm-sectoremu.ko"
	done
	# A variant exported into the environment (as a DKMS build would
	# inherit it) must not select it: only the make command line does.
	log=$build/kmod-$abi-env.log
	SECTOREMU_TEST=unsafe build_kmod "$abi" "$build/kmod/$abi-env" > "$log"
	check "SECTOREMU_TEST from the environment builds the real module" \
		sh -c "test -e '$build/kmod/$abi-env/dm-sectoremu.ko' && ! grep -aq 'test-only build' '$build/kmod/$abi-env/dm-sectoremu.ko'"
done

# DKMS accepts the source tree "make install" lays out and builds the
# module for every series; the version in its dkms.conf is the tree's.
ver=$(cat "$top/VERSION")
droot=$(mktemp -d)
dsrc=$droot/usr/src/sectoremu-$ver
make -s -C "$top" install-dkms-src DESTDIR="$droot" > /dev/null
check_eq "dkms.conf PACKAGE_VERSION matches VERSION" "PACKAGE_VERSION=\"$ver\"" \
	"$(grep '^PACKAGE_VERSION=' "$dsrc/dkms.conf" 2>&1)"
dkms remove -m sectoremu -v "$ver" --all > /dev/null 2>&1
if check "dkms add accepts the tree" dkms add "$dsrc"; then
	for abi in $("$top/selftests/rig/kernels.sh" "${@:-6.1 6.12}" | cut -d' ' -f2); do
		check "dkms build -k $abi" dkms build -m sectoremu -v "$ver" -k "$abi"
		check "dkms status shows it built for $abi" sh -c \
			"dkms status -m sectoremu -v '$ver' -k '$abi' | grep -q built"
	done
	dkms remove -m sectoremu -v "$ver" --all > /dev/null 2>&1
fi
rm -rf "$droot"

# make install honours DESTDIR and lays out the CLI and the DKMS tree.
dest=$(mktemp -d)
if check "make install DESTDIR=... succeeds" make -s -C "$top" install DESTDIR="$dest"; then
	check "the CLI is installed" test -x "$dest/usr/sbin/sectoremu"
	check "the DKMS tree is installed" test -e "$dest/usr/src/sectoremu-$ver/dkms.conf" -a \
		-e "$dest/usr/src/sectoremu-$ver/kmod/sectoremu-target.c"
	check "the man page is installed" test -s "$dest/usr/share/man/man8/sectoremu.8"
	check "the bash completion is installed" \
		test -s "$dest/usr/share/bash-completion/completions/sectoremu"
	check "the systemd unit is installed, running /usr/sbin/sectoremu apply" \
		grep -q '^ExecStart=/usr/sbin/sectoremu apply$' "$dest/usr/lib/systemd/system/sectoremu.service"
	check_eq "the man page renders without warnings" "" \
		"$(man --warnings -l "$dest/usr/share/man/man8/sectoremu.8" 2>&1 >/dev/null)"
	check "make uninstall DESTDIR=... succeeds" make -s -C "$top" uninstall DESTDIR="$dest"
	check_eq "make uninstall leaves no files behind" "" "$(find "$dest" -type f)"
fi
check "PREFIX=/usr/local puts the tool and the unit's command there" sh -c \
	"make -s -C '$top' install DESTDIR='$dest' PREFIX=/usr/local >/dev/null &&
	 test -x '$dest/usr/local/sbin/sectoremu' &&
	 grep -q '^ExecStart=/usr/local/sbin/sectoremu apply$' '$dest/usr/local/lib/systemd/system/sectoremu.service'"
rm -rf "$dest"

# checkpatch.pl comes from Debian's kernel source package.
cp_dir=$build/checkpatch
if [ ! -e "$cp_dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$cp_dir"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cp_dir" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' 2>/dev/null
fi
out=$(perl "$cp_dir/scripts/checkpatch.pl" --no-tree --strict --terse -f \
	"$top"/kmod/*.c "$top"/kmod/*.h 2>&1 | grep -E 'ERROR|WARNING|CHECK')
check_eq "checkpatch.pl --strict is clean on kmod/" "" "$out"

# Only the data path sees the target (sectoremu.h): the leaves and the
# table parser take their own structures.
out=$(cd "$top/kmod" && grep -l '"sectoremu.h"' sectoremu-lock.[ch] \
	sectoremu-cache.[ch] sectoremu-buf.[ch] sectoremu-table.[ch])
check_eq "the leaves and the table parser do not include sectoremu.h" "" "$out"
tap_end
