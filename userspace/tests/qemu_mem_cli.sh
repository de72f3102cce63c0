#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sectoremu qemu-mem on the command line: exit status 0/1/2, the seed's
# numbers, the JSON fields, the snippets, and clear errors for bad input.
# Everything is stated (--qemu-version, --phys-bits, --cpu-vendor), so the
# results do not depend on the host or on an installed QEMU.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/selftests/lib/tap.sh"

: "${SECTOREMU:?SECTOREMU must name the sectoremu binary}"
export LC_ALL=C
tap_begin

G=$((1 << 30))
SEED=(--qemu-version 9.2 --machine q35 --phys-bits 36 --cpu-vendor intel --ram 2G)

# run ARGS...: sets rc, out (stdout) and err (stderr).
run() {
	out=$("$SECTOREMU" qemu-mem "$@" 2>"$BUILD/qemu_mem_cli.err")
	rc=$?
	err=$(cat "$BUILD/qemu_mem_cli.err")
}

# --- the seed report (Ivy Bridge, 36 bits, -m 2G) ---
run "${SEED[@]}" --slots 16 --json
check_eq "seed: 16 slots -> 14G" $((14 * G)) "$(jq -r .max_maxmem <<<"$out")"
check_eq "seed: no maxmem judged: exit 0" 0 "$rc"
run "${SEED[@]}" --slots 8 --json
check_eq "seed: 8 slots -> 22G" $((22 * G)) "$(jq -r .max_maxmem <<<"$out")"
check_eq "seed: the table has 32 rows, 16 slots -> 14G" "32 $((14 * G))" \
	"$(jq -r '[(.by_slots | length), .by_slots[15].max_maxmem] | join(" ")' <<<"$out")"
run "${SEED[@]}" --slots 8 --maxmem 22G --json
check_eq "seed: maxmem=22G fits, exit 0" "0 true" "$rc $(jq -r .fits <<<"$out")"
check_eq "seed: address_limit and max_used_gpa" "68719476735 68719476735" \
	"$(jq -r '[.address_limit, .max_used_gpa] | join(" ")' <<<"$out")"
check "seed: layout fields present" jq -e \
	'.below_4g == 2147483648 and .above_4g == 0 and .device_memory_base == 4294967296
	 and .device_memory_size == 30064771072 and .pci_hole64_start == 34359738368
	 and .pci_hole64_size == 34359738368' <<<"$out"
run "${SEED[@]}" --slots 8 --maxmem 22529M --json
check_eq "seed: 1 MiB more does not fit, exit 1" "1 false" "$rc $(jq -r .fits <<<"$out")"
check_eq "seed: QEMU's own error text" \
	"Address space limit 0xfffffffff < 0x103fffffff phys-bits too low (36)" \
	"$(jq -r .qemu_error <<<"$out")"

# --- human output and snippets ---
run "${SEED[@]}" --slots 16
check_eq "human: exit 0" 0 "$rc"
check "human: the QEMU snippet" grep -qx '  -m size=2G,slots=16,maxmem=14G' <<<"$out"
check "human: the Incus [memory] section" grep -q 'maxmem = "14G"' <<<"$out"
check "human: the libvirt element" \
	grep -q "<maxMemory slots='16' unit='KiB'>14680064</maxMemory>" <<<"$out"
check "human: the address limit" grep -q 'Address limit: 0xfffffffff' <<<"$out"
run "${SEED[@]}" --slots 16 --maxmem 15G
check_eq "human: 15G refused, exit 1" 1 "$rc"
check "human: says why" grep -q 'fits: no (QEMU refuses: Address space limit' <<<"$out"

# --- fractional sizes as QEMU reads them (test_mem_addr_space.py) ---
run --qemu-version 8.2 --machine q35 --32bit --phys-bits 36 --cpu-vendor intel \
	--ram 512 --slots 1 --maxmem 59.5G --json
check_eq "59.5G on a 36-bit pentium fits on 8.2" "0 true" "$rc $(jq -r .fits <<<"$out")"
run --qemu-version 8.2 --machine q35 --32bit --phys-bits 36 --cpu-vendor intel \
	--ram 512 --slots 1 --maxmem 59.6G --json
check_eq "59.6G does not" "1 false" "$rc $(jq -r .fits <<<"$out")"

# --- bad input: exit 2 and an error naming the value ---
for bad in "--ram 2x:'2x'" "--ram 2G --maxmem 1G:maxmem 1G is smaller" \
	   "--ram 2G --slots 257 --maxmem 4G:'257'" "--ram 2G --phys-bits 31:'31'" \
	   "--ram 2G --phys-bits 53:'53'" "--ram 2G --maxmem 5.5.5G:'5.5.5G'" \
	   "--ram 2G --machine virt:'virt'" "--ram 2G --cpu-vendor via:'via'" \
	   "--ram 2G --qemu-version 7:'7'" "--slots 4:--ram" \
	   "--ram 2G --bogus:--bogus" "--ram 2G --slots 4 --maxmem 2G:maxmem larger" \
	   "--ram 2G --machine pc-q35-11.0 --qemu-version 7.2:pc-q35-11.0" \
	   "--ram 2G extra:'extra'" "--ram 16E:too large"; do
	args=${bad%%:*}
	# shellcheck disable=SC2086 # a word list
	run --qemu-version 7.2 --phys-bits 36 --cpu-vendor intel $args
	check_eq "bad input '$args': exit 2" 2 "$rc"
	check "bad input '$args': says ${bad#*:}" grep -qF -- "${bad#*:}" <<<"$err"
	check_eq "bad input '$args': nothing on stdout" "" "$out"
done

run --help
check_eq "--help: exit 0" 0 "$rc"
check "--help: lists --maxmem" grep -q -- '--maxmem' <<<"$out"

# --- host defaults: phys-bits from CPUID or /proc/cpuinfo ---
run --ram 2G --json
check_eq "host defaults: exit 0" 0 "$rc"
bits=$(sed -n 's/^address sizes[^:]*: \([0-9]*\) bits physical.*/\1/p' /proc/cpuinfo | head -n 1)
if [ -n "$bits" ]; then
	check_eq "host defaults: phys-bits as /proc/cpuinfo says" "$bits" \
		"$(jq -r .phys_bits <<<"$out")"
else
	tap_skip "host defaults: phys-bits as /proc/cpuinfo says" "no address sizes line"
fi

tap_end
