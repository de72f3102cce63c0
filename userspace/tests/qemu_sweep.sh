#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Acceptance test of "sectoremu qemu-mem": the advisor must agree with the
# real qemu-system-x86_64 on this host, exactly.  For a sweep of machine
# types (pc, q35 and versioned ones), Intel and AMD CPU models, phys-bits
# 32/36/39/40/41/46, RAM sizes and 0..32 slots, it asks the advisor for the
# largest maxmem, then starts QEMU (TCG, -S, no guest code runs, quit over
# QMP) at that maxmem and at one MiB more.  QEMU's start or refusal must
# match the advisor's "fits", and a refusal must be the very error line the
# advisor predicted ("Address space limit 0x... < 0x... phys-bits too low").
# Then the cases of QEMU's own tests/functional/test_mem_addr_space.py,
# written from their description, with the outcome QEMU's test expects
# (8.2 and later) or the one the 7.1..8.1 code gives.
#
# Skipped when qemu-system-x86_64 is not installed.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$TOP/selftests/lib/tap.sh"

: "${SECTOREMU:?SECTOREMU must name the sectoremu binary}"
export LC_ALL=C
tap_begin

QEMU=$(command -v qemu-system-x86_64)
if [ -z "$QEMU" ] || ! command -v jq >/dev/null; then
	tap_skip "qemu-mem agrees with QEMU" "qemu-system-x86_64 or jq not installed"
	tap_end
	exit 0
fi
QVER=$("$QEMU" --version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p')
QMAJ=${QVER%%.*} QMIN=${QVER#*.}
QNUM=$((QMAJ * 100 + QMIN))
diag "$QEMU is QEMU $QVER"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

G=$((1 << 30)) M=$((1 << 20))
QMP='{"execute":"qmp_capabilities"}
{"execute":"quit"}'

# qemu ARGS...: start QEMU stopped, quit over QMP; sets q_rc and q_err, the
# first stderr line that is not a warning (TCG warns about CPU features).
qemu() {
	timeout 30 "$QEMU" -S -display none -nodefaults -machine accel=tcg \
		-qmp stdio "$@" <<<"$QMP" >/dev/null 2>"$SCRATCH/qemu.err"
	q_rc=$?
	q_err=$(grep -v ': warning: ' "$SCRATCH/qemu.err" | head -n 1)
	q_err=${q_err#*qemu-system-x86_64: }
}

# advise ARGS...: run the advisor with --json; sets a_rc and a_json.
advise() {
	a_json=$("$SECTOREMU" qemu-mem --json "$@")
	a_rc=$?
}

# The advisor's default QEMU version is the one on PATH.
advise --ram 2G --phys-bits 40 --cpu-vendor intel
check_eq "advisor picks up QEMU $QVER from PATH" "$QVER" \
	"$(jq -r .qemu_version <<<"$a_json")"

# The seed report: Ivy Bridge, 36 bits, -m 2G on q35.
for s in 16:14 8:22; do
	advise --ram 2G --slots "${s%%:*}" --phys-bits 36 --cpu-vendor intel
	check_eq "seed: 36 bits, 2G, ${s%%:*} slots -> ${s#*:}G" \
		$((${s#*:} * G)) "$(jq -r .max_maxmem <<<"$a_json")"
done

FAILS=0 RUNS=0

# judge DESC ADVISOR-ARGS -- QEMU-ARGS: QEMU's outcome against the advisor's.
judge() {
	local desc=$1 aargs=() want got a_err a_want
	shift
	while [ "$1" != -- ]; do aargs+=("$1"); shift; done
	shift
	advise "${aargs[@]}"
	qemu "$@"
	RUNS=$((RUNS + 1))
	IFS=$'\t' read -r want a_err < <(jq -r '[.fits, .qemu_error] | @tsv' <<<"$a_json")
	[ "$q_rc" = 0 ] && got=true || got=false
	# exit status 0 when it fits, 1 when not
	[ "$want" = true ] && a_want=0 || a_want=1
	if [ "$got" != "$want" ] || [ "$a_rc" != "$a_want" ] ||
	   { [ "$got" = false ] && [ "$q_err" != "$a_err" ]; }; then
		FAILS=$((FAILS + 1))
		diag "$desc: QEMU exit $q_rc '$q_err'; advisor exit $a_rc fits=$want '$a_err'"
		diag "  sectoremu qemu-mem ${aargs[*]}"
		diag "  qemu-system-x86_64 $*"
		return 1
	fi
}

# sweep_one MACHINE CPUSPEC BITS RAM SLOTS [HOLE64]
# CPUSPEC is "model[,props]:vendor:bits" -- bits 0 for 64-bit models (then
# phys-bits=BITS is set on the model), else the 32-bit model's fixed width.
sweep_one() {
	local mt=$1 spec=$2 bits=$3 ram=$4 slots=$5 hole=${6:-}
	local model=${spec%%:*} rest=${spec#*:} vendor cpu aargs max status m ram_b
	local qargs=(-machine "$mt")
	vendor=${rest%%:*}
	if [ "${rest#*:}" = 0 ]; then
		cpu="$model,phys-bits=$bits"
		aargs=(--phys-bits "$bits")
	else
		cpu=$model
		bits=${rest#*:}
		aargs=(--32bit --phys-bits "$bits")
	fi
	aargs+=(--machine "$mt" --cpu-vendor "$vendor" --ram "$ram" --slots "$slots")
	qargs+=(-cpu "$cpu")
	if [ -n "$hole" ]; then
		aargs+=(--pci-hole64-size "$hole")
		case $mt in
		pc*q35*|q35) qargs+=(-global "q35-pcihost.pci-hole64-size=$hole") ;;
		*) qargs+=(-global "i440FX-pcihost.pci-hole64-size=$hole") ;;
		esac
	fi
	advise "${aargs[@]}"
	read -r max status ram_b < <(jq -r '[.max_maxmem, .max_maxmem_status, .ram] |
		map(tostring) | join(" ")' <<<"$a_json")
	local d="$mt $cpu ram=$ram slots=$slots${hole:+ hole64=$hole}"
	case $status in
	bounded)
		judge "$d at the limit" "${aargs[@]}" --maxmem "$max" -- \
			"${qargs[@]}" -m "$ram,slots=$slots,maxmem=$max"
		m=$((max + M))
		judge "$d 1M past the limit" "${aargs[@]}" --maxmem "$m" -- \
			"${qargs[@]}" -m "$ram,slots=$slots,maxmem=$m"
		;;
	none-fits)
		m=$((ram_b + G))
		judge "$d, none fits" "${aargs[@]}" --maxmem "$m" -- \
			"${qargs[@]}" -m "$ram,slots=$slots,maxmem=$m"
		;;
	unlimited)
		m=$((4096 * G))
		judge "$d, unlimited" "${aargs[@]}" --maxmem "$m" -- \
			"${qargs[@]}" -m "$ram,slots=$slots,maxmem=$m"
		;;
	*)
		FAILS=$((FAILS + 1))
		diag "$d: advisor exit $a_rc, max_maxmem '$max', status '$status'"
		;;
	esac
}

INTEL64=("qemu64,vendor=GenuineIntel:intel:0" "Skylake-Server:intel:0"
	 "Haswell,host-phys-bits=off:intel:0")
AMD64=("qemu64:amd:0" "EPYC:amd:0" "qemu64,host-phys-bits=off:amd:0")
RAMS=(512M 2G 2816M 3584M 4G 6G)
SLOTS=(0 1 2 4 8 16 24 32)
BITS=(32 36 39 40 41 46)
MACHINES=(q35 pc pc-q35-7.1 pc-q35-7.0 pc-i440fx-7.0 pc-q35-5.2 pc-i440fx-2.12
	  pc-q35-2.4 pc-i440fx-2.1 pc-i440fx-2.0)

# The main sweep: every machine type, phys-bits and vendor; RAM, slots and
# CPU model rotate so that each value meets the others across the sweep.
i=0
for mt in "${MACHINES[@]}"; do
	for bits in "${BITS[@]}"; do
		for v in 0 1; do
			if [ $v = 0 ]; then spec=${INTEL64[i % 3]}; else spec=${AMD64[i % 3]}; fi
			sweep_one "$mt" "$spec" "$bits" "${RAMS[i % 6]}" "${SLOTS[(i * 3) % 8]}"
			i=$((i + 1))
		done
	done
done
check_eq "sweep: machine types x phys-bits x vendors ($RUNS QEMU runs)" 0 "$FAILS"

# Every slot count 0..32 on the seed's host, q35 and pc.
FAILS=0 RUNS=0
for s in $(seq 0 32); do
	sweep_one q35 "qemu64,vendor=GenuineIntel:intel:0" 36 2G "$s"
	sweep_one pc "qemu64:amd:0" 36 "${RAMS[s % 6]}" "$s"
done
check_eq "sweep: slots 0..32 at 36 bits ($RUNS QEMU runs)" 0 "$FAILS"

# Around the AMD HyperTransport hole and 1 TiB, with every slot count
# pattern; and non-default 64-bit PCI holes.
FAILS=0 RUNS=0
for mt in q35 pc pc-q35-7.1 pc-q35-7.0 pc-i440fx-7.1; do
	for bits in 40 41; do
		for s in 0 1 16 32; do
			sweep_one "$mt" "EPYC:amd:0" "$bits" 2G "$s"
			sweep_one "$mt" "Skylake-Server:intel:0" "$bits" 4G "$s"
		done
	done
done
for hole in 4K 1G 8G 64G 1T; do
	sweep_one q35 "qemu64,vendor=GenuineIntel:intel:0" 36 2G 4 "$hole"
	sweep_one pc "qemu64:amd:0" 40 4G 8 "$hole"
	sweep_one pc-q35-7.0 "EPYC:amd:0" 41 2G 1 "$hole"
done
check_eq "sweep: AMD 1 TiB hole and pci-hole64-size ($RUNS QEMU runs)" 0 "$FAILS"

# 32-bit CPU models: pentium (32 bits), pentium2 and pse36=on (36 bits),
# pae=on (32 bits before 8.2, d83005424774, 36 after).
FAILS=0 RUNS=0
pae_bits=32
[ "$QNUM" -ge 802 ] && pae_bits=36
for mt in q35 pc pc-q35-7.1; do
	for spec in "pentium:intel:32" "pentium2:intel:36" "pentium,pse36=on:intel:36" \
		    "pentium,pae=on:intel:$pae_bits"; do
		for s in 0 1 8; do
			sweep_one "$mt" "$spec" 0 2G "$s"
		done
	done
done
check_eq "sweep: 32-bit CPU models ($RUNS QEMU runs)" 0 "$FAILS"

# Without hotplug: -m alone must start when the advisor says so.
FAILS=0 RUNS=0
for mt in q35 pc; do
	for spec in "qemu64,phys-bits=32:intel" "qemu64,phys-bits=36:amd" \
		    "Skylake-Server,phys-bits=39:intel"; do
		bits=${spec%%:*}; bits=${bits##*=}
		for ram in 512M 3584M 6G; do
			judge "$mt ${spec%%:*} -m $ram" --machine "$mt" --phys-bits "$bits" \
				--cpu-vendor "${spec#*:}" --ram "$ram" --maxmem "$ram" -- \
				-machine "$mt" -cpu "${spec%%:*}" -m "$ram"
		done
	done
done
check_eq "no hotplug: -m alone ($RUNS QEMU runs)" 0 "$FAILS"

# tests/functional/test_mem_addr_space.py: -m 512,slots=1,maxmem=X, a 1G
# pc-dimm plugged (cases 1-13), the default accelerator.  Expected: QEMU's
# test outcome on 8.2 and later; on 7.1 .. 8.1 the code before cf0386509ece
# charges 32-bit CPUs with P > 32 the 64-bit hole and passes P = 32 (where
# 59.6G then fails the 4 KiB alignment check instead).
EPYC4=EPYC-v4
"$QEMU" -cpu help | grep -q "EPYC-v4 " || EPYC4=EPYC
DIMM=(-object memory-backend-ram,id=mem1,size=1G -device pc-dimm,id=vm0,memdev=mem1)
CXL=(-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1)
# name|machine|cpu|advisor cpu args|maxmem|outcome 8.2+|outcome 7.x|extra
while IFS='|' read -r name mt cpu acpu maxmem new old extra; do
	[ -n "$name" ] || continue
	want=$new
	[ "$QNUM" -lt 802 ] && want=$old
	qargs=(-machine "$mt" -cpu "$cpu" -m "512,slots=1,maxmem=$maxmem")
	aargs=(--machine "${mt%%,*}" --ram 512 --slots 1 --maxmem "$maxmem")
	case $extra in
	dimm) qargs+=("${DIMM[@]}") ;;
	cxl-fmw) qargs+=("${CXL[@]}" -M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=1G)
		 aargs+=(--cxl-fmw 1G) ;;
	cxl) aargs+=(--cxl) ;;
	esac
	# shellcheck disable=SC2086 # $acpu is a word list
	judge "$name" "${aargs[@]}" $acpu -- "${qargs[@]}"
	agree=$?
	if [ "$q_rc" = 0 ]; then got=ok; else got=fail; fi
	[ "$want" = fail ] && ! grep -q 'phys-bits too low\|aligned to multiple' <<<"$q_err" &&
		got="fail ($q_err)"
	check_eq "test_mem_addr_space $name: QEMU $QVER says $want" "$want" "$got"
	check_eq "test_mem_addr_space $name: the advisor agrees" 0 "$agree"
done <<EOF
test_phybits_low_pse36|q35|pentium,pse36=on|--32bit --phys-bits 36 --cpu-vendor intel|59.6G|fail|fail|dimm
test_phybits_low_pae|q35|pentium,pae=on|--32bit --phys-bits $pae_bits --cpu-vendor intel|59.6G|fail|fail|dimm
test_phybits_ok_pentium_pse36|q35|pentium,pse36=on|--32bit --phys-bits 36 --cpu-vendor intel|59.5G|ok|fail|dimm
test_phybits_ok_pentium_pae|q35|pentium,pae=on|--32bit --phys-bits $pae_bits --cpu-vendor intel|59.5G|ok|ok|dimm
test_phybits_ok_pentium2|q35|pentium2|--32bit --phys-bits 36 --cpu-vendor intel|59.5G|ok|fail|dimm
test_phybits_low_nonpse36|q35|pentium|--32bit --phys-bits 32 --cpu-vendor intel|4G|fail|ok|dimm
test_phybits_low_tcg_q35_70_amd|pc-q35-7.0|qemu64|--phys-bits 40 --cpu-vendor amd|988G|fail|fail|dimm
test_phybits_low_tcg_q35_71_amd|pc-q35-7.1|qemu64|--phys-bits 40 --cpu-vendor amd|976G|fail|fail|dimm
test_phybits_ok_tcg_q35_70_amd|pc-q35-7.0|qemu64|--phys-bits 40 --cpu-vendor amd|987.5G|ok|ok|dimm
test_phybits_ok_tcg_q35_71_amd|pc-q35-7.1|qemu64|--phys-bits 40 --cpu-vendor amd|975.5G|ok|ok|dimm
test_phybits_ok_tcg_q35_71_intel|pc-q35-7.1|Skylake-Server|--phys-bits 40 --cpu-vendor intel|976G|ok|ok|dimm
test_phybits_low_tcg_q35_71_amd_41bits|pc-q35-7.1|$EPYC4,phys-bits=41|--phys-bits 41 --cpu-vendor amd|992G|fail|fail|dimm
test_phybits_ok_tcg_q35_71_amd_41bits|pc-q35-7.1|$EPYC4,phys-bits=41|--phys-bits 41 --cpu-vendor amd|990G|ok|ok|dimm
test_phybits_low_tcg_q35_intel_cxl|q35,cxl=on|Skylake-Server,phys-bits=40|--phys-bits 40 --cpu-vendor intel|987G|fail|fail|cxl-fmw
test_phybits_ok_tcg_q35_intel_cxl|q35,cxl=on|Skylake-Server,phys-bits=40|--phys-bits 40 --cpu-vendor intel|987G|ok|ok|cxl
EOF

# The sweep must be able to fail: a deliberately wrong prediction (the
# advisor told about 37 phys-bits while QEMU has 36) is caught.
FAILS=0
sweep_one q35 "qemu64,vendor=GenuineIntel:intel:0" 36 2G 16 >/dev/null
check_eq "control: the right phys-bits agree" 0 "$FAILS"
judge "control" --phys-bits 37 --cpu-vendor intel --ram 2G --slots 16 --maxmem 15G -- \
	-machine q35 -cpu qemu64,phys-bits=36 -m 2G,slots=16,maxmem=15G >/dev/null
check_eq "control: a wrong phys-bits is caught" 1 "$FAILS"

tap_end
