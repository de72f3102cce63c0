#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-deb.sh: the Debian packages, as TAP.  Needs root (debootstrap,
# chroot, mounts in a private mount namespace).
#
#  1. "make deb" builds exactly sectoremu and sectoremu-dkms;
#  2. lintian (pedantic, info tags shown) reports no error and no warning,
#     every override in debian/ has a comment giving its reason and is used;
#  3. contents (dpkg -c, an extracted copy) and versions: both packages,
#     dkms.conf, the VERSION file beside it, the module's MODULE_VERSION (in 4)
#     and "sectoremu version" are all the tree's VERSION; the module source
#     is the tree's kmod/, file for file;
#  4. in a debootstrap'd Debian 12 chroot (cached under build/pkg-chroot,
#     keyed by its recipe; the mirror is the one this machine's apt uses),
#     "apt-get install ./sectoremu_*.deb ./sectoremu-dkms_*.deb" pulls
#     libdevmapper, dkms and, as a recommendation, linux-headers-amd64 (the
#     6.1 series), and DKMS builds and installs dm-sectoremu.ko for every
#     kernel that has headers;
#  5. no module can be loaded on the build host, so an open mapping is
#     faked: a dmsetup stub earlier on the PATH apt gives dpkg lists a
#     sectoremu mapping, and "apt-get purge sectoremu-dkms" must refuse
#     with a message naming it and leave the module installed;
#  6. without the stub, "apt-get purge" of both packages leaves no file
#     named after sectoremu anywhere in the chroot: no module, unit, unit
#     link, /usr/src tree, DKMS tree or dpkg state.
#
# Each check was seen to fail against broken packaging, in a scratch copy
# of the tree: a hand-written PACKAGE_VERSION in dkms.conf.in (dkms.conf,
# DKMS build, install, purge); debian/changelog for another version
# ("make deb" stops), and with debian/rules' guards removed and the tool
# built for that version (versions, /usr/src path, tool versions); kmod/*.h
# left out (contents); sectoremu-dkms Architecture: any; dh_dkms a no-op
# (dkms dependency, dkms.conf, nothing built); no ${shlibs:Depends}, no
# Recommends, no man page, a unit for /usr/local/sbin, dh_installsystemd
# --no-enable, a dbgsym package, a postrm failing on purge (those checks);
# a prerm without the mapping check (5); a prerm without #DEBHELPER#, so no
# "dkms remove" (6: module, DKMS tree, modules.dep); a postrm without
# "set -e" (lintian warning), no debian/copyright (lintian error), an unused
# override and an override without its comment (2).  The headers check in
# 4 still passes without our Recommends, as dkms recommends
# linux-headers-amd64 too: it checks what the user gets.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/tap.sh"

# Mounts made below vanish with this namespace, whatever ends the test.
if [ -z "${SECTOREMU_PKG_NS:-}" ]; then
	SECTOREMU_PKG_NS=1 exec unshare --mount --propagation private "$0" "$@"
fi

tap_begin
if [ "$(id -u)" -ne 0 ]; then
	tap_result 1 "test-deb.sh needs root (debootstrap, chroot, mounts)"
	tap_end
	exit 1
fi
ver=$(cat "$top/VERSION")
arch=$(dpkg --print-architecture)
debs=$top/build/deb
logs=$top/build/pkg
rm -rf "$logs" && mkdir -p "$logs"
# by name alone, so that a wrong version shows as such below
pick() { ls "$debs"/$1 2>/dev/null | head -n1; }

# --- 1. build -------------------------------------------------------------
if ! check "make deb builds the packages" make -s -C "$top" deb; then
	tap_end
	exit 1
fi
tool_deb=$(pick "sectoremu_*_$arch.deb")
dkms_deb=$(pick "sectoremu-dkms_*.deb")
check_eq "make deb builds sectoremu and sectoremu-dkms, nothing else" \
	"sectoremu-dkms_${ver}_all.deb sectoremu_${ver}_$arch.deb" \
	"$(cd "$debs" && echo *.deb)"

# --- 2. lintian -----------------------------------------------------------
lintian --pedantic --display-info "$tool_deb" "$dkms_deb" > "$logs/lintian.log" 2>&1
check "lintian reports no errors" sh -c "! grep '^E: ' '$logs/lintian.log'"
check "lintian reports no warnings" sh -c "! grep '^W: ' '$logs/lintian.log'"
check "every lintian override is used" sh -c \
	"! grep -E '(unused|mismatched)-override' '$logs/lintian.log'"
# an override line must follow a comment (or another override that the
# same comment explains)
unexplained() {
	awk '/^#/ { why = 1; next } /^[[:space:]]*$/ { why = 0; next }
	     !why { print FILENAME ": " $0 }' "$@"
}
check_eq "every lintian override says why" "" \
	"$(unexplained "$top"/debian/*lintian-overrides 2>&1)"

# --- 3. contents and versions ---------------------------------------------
field() { dpkg-deb -f "$1" "$2"; }
check_eq "sectoremu's version is VERSION" "$ver" "$(field "$tool_deb" Version)"
check_eq "sectoremu-dkms's version is VERSION" "$ver" "$(field "$dkms_deb" Version)"
check_eq "sectoremu-dkms is Architecture: all" all "$(field "$dkms_deb" Architecture)"
check "sectoremu depends on libdevmapper" sh -c \
	"dpkg-deb -f '$tool_deb' Depends | grep -q 'libdevmapper1.02.1'"
check "sectoremu-dkms depends on dkms" sh -c \
	"dpkg-deb -f '$dkms_deb' Depends | grep -q '^dkms\\b'"
check "sectoremu-dkms recommends the headers meta-package" sh -c \
	"dpkg-deb -f '$dkms_deb' Recommends | grep -q 'linux-headers-amd64'"

listing() { dpkg -c "$1" | awk '{ print $6 }' | sed 's,^\./,/,; s,/$,,'; }
has_file() {	# has_file DEB PATH...: every PATH is in DEB
	local deb=$1 p miss=
	shift
	for p in "$@"; do
		listing "$deb" | grep -qx "$p" || miss="$miss $p"
	done
	[ -z "$miss" ] || { echo "missing:$miss"; return 1; }
}
check "sectoremu has the tool, man page, completion and unit" has_file "$tool_deb" \
	/usr/sbin/sectoremu /usr/share/man/man8/sectoremu.8.gz \
	/usr/share/bash-completion/completions/sectoremu /lib/systemd/system/sectoremu.service
src=/usr/src/sectoremu-$ver
check_eq "sectoremu-dkms has $src: dkms.conf, VERSION and the tree's kmod/" \
	"$(cd "$top" && { echo dkms.conf; ls VERSION kmod/Kbuild kmod/Makefile kmod/*.[ch]; } | sort)" \
	"$(listing "$dkms_deb" | sed -n "s,^$src/,,p" | grep -v '^kmod$' | sort)"

x=$logs/extract
dpkg-deb -x "$tool_deb" "$x" && dpkg-deb -x "$dkms_deb" "$x"
check_eq "dkms.conf's PACKAGE_VERSION is VERSION" "PACKAGE_VERSION=\"$ver\"" \
	"$(grep '^PACKAGE_VERSION=' "$x$src/dkms.conf")"
check_eq "dkms.conf's PACKAGE_NAME is sectoremu" 'PACKAGE_NAME="sectoremu"' \
	"$(grep '^PACKAGE_NAME=' "$x$src/dkms.conf")"
check_eq "the VERSION beside dkms.conf is VERSION" "$ver" "$(cat "$x$src/VERSION")"
check "the module source is the tree's" sh -c \
	"for f in '$top'/kmod/*.[ch] '$top'/kmod/Kbuild; do cmp \"\$f\" '$x$src/kmod/'\"\${f##*/}\" || exit 1; done"
check_eq "the packaged tool says it is VERSION" "sectoremu $ver" \
	"$("$x/usr/sbin/sectoremu" version 2>&1)"
check "the unit runs /usr/sbin/sectoremu apply" \
	grep -qx 'ExecStart=/usr/sbin/sectoremu apply' "$x/lib/systemd/system/sectoremu.service"

# --- 4. install in a Debian 12 chroot --------------------------------------
# The mirror and the security archive this machine's apt uses for bookworm
# (one-line or deb822 sources).
apt_uri() {	# apt_uri SUITE
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk -v s="$1" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) break;
			if ($(i + 1) == s) { print $i; exit } }'
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk -v s="$1" 'BEGIN { RS = ""; FS = "\n" }
			{ t = u = ok = ""
			  for (i = 1; i <= NF; i++) {
				k = v = $i
				sub(/:.*/, "", k)
				sub(/^[^:]*: */, "", v)
				if (k == "Types") t = v
				if (k == "URIs") { u = v; sub(/ .*/, "", u) }
				if (k == "Suites") { n = split(v, ss, " ")
					for (j = 1; j <= n; j++) if (ss[j] == s) ok = 1 }
			  }
			  if (t ~ /(^| )deb( |$)/ && ok) print u }' "$f"
	done
}
mirror=$(apt_uri bookworm | head -n1)
security=$(apt_uri bookworm-security | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
security=${security:-http://deb.debian.org/debian-security}
diag "mirror $mirror, security $security"

# The base system is cached; the recipe is its key.
recipe="debootstrap --variant=minbase --include=ca-certificates bookworm $mirror
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main"
key=$(printf '%s\n' "$recipe" | sha256sum | cut -c1-16)
cache=$top/build/pkg-chroot/$key
root=$logs/root
mkdir -p "$cache/archives/partial" "$cache/lists/partial"
if [ ! -e "$cache/base.tar" ]; then
	rm -rf "$cache/base" && mkdir -p "$cache/base"
	t0=$(date +%s)
	if debootstrap --variant=minbase --include=ca-certificates bookworm \
		"$cache/base" "$mirror" > "$logs/debootstrap.log" 2>&1; then
		printf '%s\n' "$recipe" | sed 1d > "$cache/base/etc/apt/sources.list"
		tar -C "$cache/base" -cf "$cache/base.tar.part" . &&
			mv "$cache/base.tar.part" "$cache/base.tar"
	fi
	rm -rf "$cache/base"
	diag "debootstrap took $(( $(date +%s) - t0 ))s"
fi
if ! check "a Debian 12 chroot from $mirror" test -e "$cache/base.tar"; then
	diag "$(tail -n 20 "$logs/debootstrap.log")"
	tap_end
	exit 1
fi
mkdir -p "$root" && tar -C "$root" -xf "$cache/base.tar"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
mount --bind "$cache/lists" "$root/var/lib/apt/lists"
mkdir -p "$root/tmp/debs" && cp "$tool_deb" "$dkms_deb" "$root/tmp/debs/"

in_root() {
	chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}
sectoremu_files() {	# every file named after sectoremu, but the .debs
	(cd "$root" && find . -path ./proc -prune -o -path ./tmp/debs -prune -o \
		-path ./var/cache/apt/archives -prune -o -name '*sectoremu*' -print) | sed 's,^\.,,' | sort
}
t0=$(date +%s)
in_root apt-get update -q > "$logs/apt-update.log" 2>&1
check "apt-get install ./sectoremu*.deb in the chroot" sh -c \
	"chroot '$root' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
	 sh -c 'cd /tmp/debs && apt-get install -y -q ./sectoremu_*.deb ./sectoremu-dkms_*.deb' \
	 > '$logs/install.log' 2>&1" || diag "$(tail -n 30 "$logs/install.log")"
diag "apt-get update and install took $(( $(date +%s) - t0 ))s"
check "libdevmapper and dkms came as dependencies" \
	in_root dpkg-query -W libdevmapper1.02.1 dkms
check "linux-headers-amd64 came as a recommendation (automatically installed)" sh -c \
	"chroot '$root' apt-mark showauto | grep -qx linux-headers-amd64"
abi=$(in_root dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
      sed -n 's/^ *linux-headers-\([^ ,]*-amd64\).*/\1/p')
host_abi=$("$top/selftests/rig/kernels.sh" 6.1 2>/dev/null | cut -d' ' -f2)
diag "chroot 6.1 kernel ABI: ${abi:-none}; this host's: ${host_abi:-none}"
check "DKMS status: sectoremu/$ver installed for $abi" sh -c \
	"chroot '$root' dkms status -m sectoremu -v '$ver' -k '$abi' | grep -q ': installed'"
ko=/lib/modules/$abi/updates/dkms/dm-sectoremu.ko
check "$ko is there and says it is VERSION" sh -c \
	"test \"\$(chroot '$root' modinfo -F version '$ko')\" = '$ver'"
check "modules.dep of $abi lists it" grep -q 'updates/dkms/dm-sectoremu.ko' \
	"$root/lib/modules/$abi/modules.dep"
missing=
for b in "$root"/lib/modules/*/build; do
	k=${b#"$root"/lib/modules/} k=${k%/build}
	[ -e "$root/lib/modules/$k/updates/dkms/dm-sectoremu.ko" ] || missing="$missing $k"
done
check_eq "the module is installed for every kernel with headers" "" "$missing"
check_eq "the installed tool says it is VERSION" "sectoremu $ver" \
	"$(in_root sectoremu version 2>&1)"
check "the unit is enabled for boot" \
	test -L "$root/etc/systemd/system/sysinit.target.wants/sectoremu.service"

# --- 5. purge refuses while a mapping is open (faked) ----------------------
cat > "$root/usr/local/sbin/dmsetup" <<'EOF'
#!/bin/sh
# test stub: one sectoremu mapping is open
if [ "$1 $2 $3" = "ls --target sectoremu" ]; then
	printf 'vmdisk\t(254:0)\n'
	exit 0
fi
exec /sbin/dmsetup "$@"
EOF
chmod 755 "$root/usr/local/sbin/dmsetup"
# apt gives dpkg its own PATH (DPkg::Path), which must have the stub's
# directory first.
in_root apt-get purge -y -q -o DPkg::Path=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin \
	sectoremu-dkms > "$logs/purge-open.log" 2>&1
rc=$?
check "purge refuses while a mapping is open" test $rc -ne 0
check "and says why, naming the mapping" sh -c \
	"grep -q 'not removing the module while sectoremu mappings are open' '$logs/purge-open.log' &&
	 grep -q '^  vmdisk\$' '$logs/purge-open.log'"
check "the module stays installed" sh -c \
	"test -e '$root$ko' && chroot '$root' dpkg-query -W -f='\${Status}' sectoremu-dkms | grep -qx 'install ok installed'"
rm -f "$root/usr/local/sbin/dmsetup"

# --- 6. purge leaves nothing -----------------------------------------------
check "apt-get purge sectoremu sectoremu-dkms" sh -c \
	"chroot '$root' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
	 apt-get purge -y -q sectoremu sectoremu-dkms > '$logs/purge.log' 2>&1" ||
	diag "$(tail -n 20 "$logs/purge.log")"
check_eq "no file named after sectoremu is left (module, unit, sources, DKMS, dpkg)" "" \
	"$(sectoremu_files)"
check "no module is left in any modules.dep" sh -c \
	"! grep -l dm-sectoremu '$root'/lib/modules/*/modules.dep"
check_eq "dpkg knows neither package" "" \
	"$(in_root dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' 'sectoremu*' 2>/dev/null | grep -v '^un')"

umount "$root/var/lib/apt/lists" "$root/var/cache/apt/archives" "$root/proc"
rm -rf "$root" "$x"
tap_end
