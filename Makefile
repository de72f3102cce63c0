# SPDX-License-Identifier: GPL-2.0
#
# sectoremu top-level build.
#
#   make deps         install the Debian packages everything below needs
#   make              the CLI and the module for every kernel series
#   make check        everything, host unit tests, then the VM suite on both
#                     kernels; ends with "N passed, N failed"
#   make demo         boot a VM and show the mission end to end (KERNEL=6.1)
#   make bench        fio comparison in the VM (KERNEL=6.1|6.12)
#   make soak         the soak test for 30 minutes on each kernel (make
#                     check runs it for 3)
#   make kmod KVER=<abi>   the module for one installed kernel ABI
#   make install      the CLI, its man page, bash completion and systemd
#                     unit, and the DKMS source tree (DESTDIR, PREFIX honoured)
#   make install-dkms install, then dkms add/build/install for this host
#   make uninstall
#   make deb          the sectoremu and sectoremu-dkms Debian packages, in
#                     build/deb/ (debian/, built in a copy of the tree)
#   make check-deb    build, lintian and install them in a Debian 12 chroot
#
# Kernel ABIs are resolved from the Debian headers meta-packages
# (selftests/rig/kernels.sh); none is written down here.

TOP     := $(CURDIR)
BUILD   := $(TOP)/build
RESULTS := $(BUILD)/results
SERIES  ?= 6.1 6.12
KERNEL  ?= 6.1
KVER    ?=
VERSION := $(shell cat VERSION)
PREFIX  ?= /usr
DESTDIR ?=
DKMS_SRC = $(DESTDIR)/usr/src/sectoremu-$(VERSION)
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

.PHONY: install install-dkms-src install-dkms uninstall deb check-deb
.PHONY: all deps kmod kmod-test kmod-all userspace vm-progs check check-kmod check-host \
	check-vm demo bench soak clean

all: userspace kmod-all

deps:
	@selftests/rig/deps.sh

# Kbuild writes its objects next to the sources, so each kernel gets its own
# copy of kmod/ under build/kmod/<abi>.
kmod:
	@test -n "$(KVER)" || { echo "make kmod: set KVER=<kernel ABI>" >&2; exit 2; }
	@mkdir -p $(BUILD)/kmod/$(KVER)
	@cp kmod/Kbuild kmod/*.c kmod/*.h $(BUILD)/kmod/$(KVER)/
	@cp VERSION $(BUILD)/kmod/$(KVER)/
	$(MAKE) -C /lib/modules/$(KVER)/build M=$(BUILD)/kmod/$(KVER) KCFLAGS=-Werror modules

# The test-only variants (see kmod/Kbuild): build/kmod/<abi>-<variant>.
TEST_VARIANTS := unsafe nofua noflush poolempty
kmod-test:
	@test -n "$(KVER)" || { echo "make kmod-test: set KVER=<kernel ABI>" >&2; exit 2; }
	@for v in $(TEST_VARIANTS); do \
		mkdir -p $(BUILD)/kmod/$(KVER)-$$v && \
		cp kmod/Kbuild kmod/*.c kmod/*.h VERSION $(BUILD)/kmod/$(KVER)-$$v/ && \
		$(MAKE) -C /lib/modules/$(KVER)/build M=$(BUILD)/kmod/$(KVER)-$$v \
			SECTOREMU_TEST=$$v KCFLAGS=-Werror modules || exit 1; done

kmod-all:
	@selftests/rig/kernels.sh $(SERIES) | while read -r s abi; do \
		$(MAKE) --no-print-directory kmod KVER=$$abi || exit 1; done

userspace:
	@$(MAKE) --no-print-directory -C userspace all

# The VM suite's test programs (selftests/vm, a kselftest directory).
vm-progs:
	@$(MAKE) --no-print-directory -C selftests/vm OUTPUT=$(BUILD)/vm-progs all

# The builds and static checks, then the leaves' host-side tests (each its
# own TAP file); both run even if the first fails.
check-kmod:
	@rc=0; mkdir -p $(RESULTS); \
	selftests/lib/run-tap.sh 1200 $(RESULTS)/build-kmod.tap selftests/rig/check-kmod.sh $(SERIES) || rc=1; \
	selftests/lib/run-tap.sh 600 $(RESULTS)/host-kmod-leaves.tap selftests/kmod/run.sh || rc=1; \
	exit $$rc

check-host: userspace
	@$(MAKE) --no-print-directory -C userspace check RESULTS=$(RESULTS)
	@selftests/lib/run-tap.sh 120 $(RESULTS)/host-bench-report.tap selftests/bench/test-report.sh

check-vm:
	@for s in $(SERIES); do WITH_DM_EBS=1 selftests/rig/run-vm.sh $$s check || true; done

check: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	-@$(MAKE) --no-print-directory check-kmod
	-@$(MAKE) --no-print-directory check-host
	@# The package test runs on the host's second core while the guest
	@# (single-threaded TCG) takes the first; its output follows the VM's.
	-@mkdir -p $(BUILD); \
	$(MAKE) --no-print-directory check-deb > $(BUILD)/check-deb.log 2>&1 & \
	$(MAKE) --no-print-directory check-vm; \
	wait; cat $(BUILD)/check-deb.log
	@echo "== summary"
	@selftests/lib/summarize.sh $(RESULTS)

demo: deps
	@selftests/rig/run-vm.sh $(KERNEL) demo

SOAK_SECONDS ?= 1800
soak: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@for s in $(SERIES); do TESTS='24-*' BOOT_TIMEOUT=$$(($(SOAK_SECONDS) + 1200)) \
		VM_APPEND="SOAK_SECONDS=$(SOAK_SECONDS) se.mintimeout=$$(($(SOAK_SECONDS) + 600))" \
		selftests/rig/run-vm.sh $$s check || true; done
	@selftests/lib/summarize.sh $(RESULTS)

bench: deps
	@selftests/bench/run.sh $(KERNEL)

install: userspace install-dkms-src
	install -D -m 755 $(BUILD)/userspace/sectoremu $(DESTDIR)$(SBINDIR)/sectoremu
	install -d $(DESTDIR)$(UNITDIR)
	sed 's,@SBINDIR@,$(SBINDIR),g' userspace/systemd/sectoremu.service.in \
		> $(DESTDIR)$(UNITDIR)/sectoremu.service
	chmod 644 $(DESTDIR)$(UNITDIR)/sectoremu.service
	install -D -m 644 Documentation/sectoremu.8 $(DESTDIR)$(MANDIR)/man8/sectoremu.8
	install -D -m 644 userspace/completion/sectoremu $(DESTDIR)$(BASHCOMPDIR)/sectoremu

# The DKMS source tree; dkms.conf takes its version from VERSION, as
# dh_dkms -V does for the sectoremu-dkms package.
install-dkms-src:
	install -d $(DKMS_SRC)/kmod
	sed 's/#MODULE_VERSION#/$(VERSION)/g' dkms.conf.in > $(DKMS_SRC)/dkms.conf
	chmod 644 $(DKMS_SRC)/dkms.conf
	install -m 644 VERSION $(DKMS_SRC)/
	install -m 644 kmod/Kbuild kmod/Makefile kmod/*.c kmod/*.h $(DKMS_SRC)/kmod/

install-dkms: install
	dkms status -m sectoremu -v $(VERSION) | grep -q . || dkms add -m sectoremu -v $(VERSION)
	dkms install -m sectoremu -v $(VERSION)

uninstall:
	-dkms remove -m sectoremu -v $(VERSION) --all
	rm -f $(DESTDIR)$(SBINDIR)/sectoremu
	rm -f $(DESTDIR)$(UNITDIR)/sectoremu.service
	rm -f $(DESTDIR)$(MANDIR)/man8/sectoremu.8
	rm -f $(DESTDIR)$(BASHCOMPDIR)/sectoremu
	rm -rf $(DKMS_SRC)

# The packages are built in build/deb/src, a copy of the tree (without
# build/ and .git) that gets a debian/changelog for VERSION, dated like the
# last commit; the .debs land in build/deb/.
DEB_DIR := $(BUILD)/deb
deb:
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	@tar -C $(TOP) --exclude=./build --exclude-vcs -cf - . | tar -C $(DEB_DIR)/src -xf -
	@date=$$(git -C $(TOP) log -1 --format=%cD 2>/dev/null || date -R); \
	maint=$$(sed -n 's/^Maintainer: //p' debian/control); \
	printf '%s\n' "sectoremu ($(VERSION)) unstable; urgency=medium" "" \
		"  * sectoremu $(VERSION), packaged from its source tree." "" \
		" -- $$maint  $$date" > $(DEB_DIR)/src/debian/changelog
	cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc > $(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 40 $(DEB_DIR)/build.log >&2; exit 1; }
	@ls $(DEB_DIR)/*.deb

check-deb:
	@mkdir -p $(RESULTS)
	@selftests/lib/run-tap.sh 1500 $(RESULTS)/host-deb.tap selftests/pkg/test-deb.sh

clean:
	rm -rf $(BUILD)
	$(MAKE) -C userspace clean
