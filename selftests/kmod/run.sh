#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: the host-side tests of the kmod/ leaves (sectoremu-lock.c,
# sectoremu-cache.c, sectoremu-buf.c), as TAP.  Each leaf is compiled as it
# is, in userspace, against shim/ (the few kernel APIs it uses) and the
# kernel's own userspace rbtree (tools/lib/rbtree.c and the rbtree and
# interval tree headers of tools/include, from Debian's linux-source),
# under AddressSanitizer and UBSan; every case of test-*.c is one test.
# Then each mutant below, a copy of a leaf with one bug put in, must fail
# the cases named for it: the proof that those cases can fail.
# SE_SEED=N picks another random sequence (default 1).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/selftests/kmod
out=$top/build/host-kmod
. "$top/selftests/lib/tap.sh"
tap_begin

CC=${CC:-gcc}
CFLAGS="-std=gnu11 -g -O1 -Wall -Werror -pthread
	-fsanitize=address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -I$here/shim -I$out/ksrc -I$top/kmod"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The rbtree comes from the newest linux-source installed.
src=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ ! -e "$out/ksrc/rbtree.c" ]; then
	rm -rf "$out/ksrc" && mkdir -p "$out/ksrc/linux"
	tmp=$(mktemp -d)
	if [ -n "$src" ] && tar -xJf "$src" -C "$tmp" --strip-components=1 --wildcards \
		'*/tools/lib/rbtree.c' '*/tools/include/linux/rbtree.h' \
		'*/tools/include/linux/rbtree_augmented.h' \
		'*/tools/include/linux/interval_tree_generic.h'; then
		cp "$tmp"/tools/include/linux/*.h "$out/ksrc/linux/"
		cp "$tmp/tools/lib/rbtree.c" "$out/ksrc/"
	fi
	rm -rf "$tmp"
fi
if ! check "the kernel's userspace rbtree is at hand (${src:-no linux-source})" \
	test -e "$out/ksrc/rbtree.c"; then
	tap_end
	exit
fi

# build NAME TEST LEAF: the test program NAME from test-TEST.c and LEAF.
build() {
	local extra=
	[ "$2" = lock ] && extra=$out/ksrc/rbtree.c
	# shellcheck disable=SC2086
	$CC $CFLAGS -o "$out/$1" "$here/test-$2.c" "$here/shim.c" "$3" $extra
}

declare -A cases=(
	[lock]="basic model threads noserialise"
	[cache]="sizes fill model disabled initfail"
	[buf]="bound foreign nowait wait initfail"
)
for leaf in lock cache buf; do
	if check "test-$leaf builds with sectoremu-$leaf.c" \
		build "test-$leaf" "$leaf" "$top/kmod/sectoremu-$leaf.c"; then
		for c in ${cases[$leaf]}; do
			check "$leaf: $c" timeout 120 "$out/test-$leaf" "$c"
		done
	fi
done

# Mutants: LEAF NAME SED CASES...  The sed must change the leaf.
mutant() {
	local leaf=$1 name=$2 expr=$3 c
	shift 3
	local m=$out/mut-$leaf-$name.c
	sed "$expr" "$top/kmod/sectoremu-$leaf.c" > "$m"
	if cmp -s "$m" "$top/kmod/sectoremu-$leaf.c"; then
		tap_result 1 "mutant $leaf/$name: the mutation no longer applies"
		return
	fi
	if ! check "mutant $leaf/$name builds" build "test-$leaf-$name" "$leaf" "$m"; then
		return
	fi
	for c in "$@"; do
		expect_fail "$leaf: $c fails against mutant $name" \
			timeout 120 "$out/test-$leaf-$name" "$c"
	done
}

# An off-by-one in the overlap check: ranges end a block early.
mutant lock offbyone 's/#define LAST(r) ((r)->last)/#define LAST(r) ((r)->last - 1)/' \
	basic model threads
# Shared claims do not conflict with exclusive ones.
mutant lock sharedexcl 's/return a->exclusive || b->exclusive;/return a->exclusive \&\& b->exclusive;/' \
	basic model threads
# Releasing a shared claim does not wake the exclusive claims behind it.
mutant lock sharedwake '/se_range_tree_remove(r, &l->root);/,/list_add_tail/ s/if (r->exclusive || l->nr_exclusive) {/if (r->exclusive) {/' \
	basic model threads
# A drop of a few blocks forgets all but the last.
mutant cache droplast 's/for (; first <= last; first++)/for (; first < last; first++)/' \
	fill model
# A get that does not compare the block: blocks sharing a slot alias.
mutant cache alias 's/hit = s->valid \&\& s->block == block;/hit = s->valid;/' \
	fill model
# A drop of more blocks than the cache holds keeps its first block.
mutant cache bigdrop 's/if (s->block >= first \&\& s->block <= last)/if (s->block > first \&\& s->block <= last)/' \
	model
# Twice the memory budget.
mutant cache bytes 's/(256 \* 1024)/(512 * 1024)/' sizes
# The spare list keeps one buffer more than max_spare.
mutant buf spare 's/if (b->nr_spare < b->max_spare) {/if (b->nr_spare <= b->max_spare) {/' \
	bound
# A failed init leaks the buffers mempool_create() gave back.
mutant buf initleak '/half-way/,/return -ENOMEM/ s/^\tse_bufs_free_spare(b);$/\t;/' \
	initfail
tap_end
