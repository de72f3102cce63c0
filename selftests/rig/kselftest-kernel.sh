#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest-kernel.sh DIR
#
# The kernel's kselftest runner and KTAP helpers (run_kselftest.sh,
# kselftest/runner.sh, kselftest/ktap_helpers.sh) from Debian's
# linux-source-6.12 (6.1 has no ktap_helpers.sh), unpacked once into DIR
# for run-vm.sh to put in the guest.  Fails when the source is not
# installed; run-vm.sh then keeps this tree's compatible ones.
set -euo pipefail
dir=$1
[ -e "$dir/.done" ] && exit 0
src=/usr/src/linux-source-6.12.tar.xz
[ -r "$src" ] || exit 1
rm -rf "$dir" && mkdir -p "$dir"
p=linux-source-6.12/tools/testing/selftests
tar -xJf "$src" -C "$dir" --strip-components=4 "$p/run_kselftest.sh" \
	"$p/kselftest/runner.sh" "$p/kselftest/ktap_helpers.sh" "$p/kselftest/prefix.pl"
[ -e "$dir/kselftest/ktap_helpers.sh" ] || exit 1
touch "$dir/.done"
