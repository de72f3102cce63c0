# SPDX-License-Identifier: GPL-2.0
#
# The part of the kernel's tools/testing/selftests/lib.mk that the
# directories of this tree use, written for it, so that a directory's
# Makefile ("include $(KSFT_TOP)/lib.mk", KSFT_TOP defaulting to ..) works
# here and, with KSFT_TOP set to a kernel's tools/testing/selftests, with
# the kernel's own lib.mk.  Variables: TEST_PROGS, TEST_GEN_PROGS,
# TEST_GEN_PROGS_EXTENDED, TEST_GEN_FILES, TEST_FILES, OUTPUT; targets:
#	all		build the TEST_GEN_* files into OUTPUT (default: here)
#	run_tests	all, then run the tests through kselftest/runner.sh
#	install		copy everything a run needs to INSTALL_PATH
#	emit_tests	the "collection:test" lines of kselftest-list.txt
#	clean
ifeq ($(OUTPUT),)
OUTPUT := $(CURDIR)
endif
selfdir := $(realpath $(dir $(lastword $(MAKEFILE_LIST))))
COLLECTION ?= $(patsubst $(selfdir)/%,%,$(CURDIR))

TEST_GEN_PROGS := $(patsubst %,$(OUTPUT)/%,$(TEST_GEN_PROGS))
TEST_GEN_PROGS_EXTENDED := $(patsubst %,$(OUTPUT)/%,$(TEST_GEN_PROGS_EXTENDED))
TEST_GEN_FILES := $(patsubst %,$(OUTPUT)/%,$(TEST_GEN_FILES))

all: $(TEST_GEN_PROGS) $(TEST_GEN_PROGS_EXTENDED) $(TEST_GEN_FILES)

# The runner reads settings from BASE_DIR/COLLECTION; with OUTPUT elsewhere
# the tests and their files are copied there first, as the kernel does.
define RUN_TESTS
	BASE_DIR="$(selfdir)"; . "$(selfdir)/kselftest/runner.sh"; run_many $(1)
endef

run_tests: all
ifneq ($(OUTPUT),$(CURDIR))
	@cp -RL $(TEST_PROGS) $(TEST_FILES) $(wildcard settings config) $(OUTPUT)/
	@cd $(OUTPUT) && BASE_DIR="$(dir $(OUTPUT))"; . "$(selfdir)/kselftest/runner.sh"; \
		run_many $(notdir $(TEST_GEN_PROGS)) $(notdir $(TEST_PROGS))
else
	@$(call RUN_TESTS,$(notdir $(TEST_GEN_PROGS)) $(TEST_PROGS))
endif

install: all
ifndef INSTALL_PATH
	$(error Error: set INSTALL_PATH to use install)
endif
	@mkdir -p $(INSTALL_PATH)
	@for f in $(TEST_PROGS) $(TEST_FILES) $(TEST_GEN_PROGS) $(TEST_GEN_PROGS_EXTENDED) \
		$(TEST_GEN_FILES) $(wildcard config settings); do \
		cp -RL "$$f" $(INSTALL_PATH)/ || exit 1; done

emit_tests:
	@for t in $(notdir $(TEST_GEN_PROGS)) $(TEST_PROGS); do \
		echo "$(COLLECTION):$$(basename $$t)"; done

clean:
	rm -f $(TEST_GEN_PROGS) $(TEST_GEN_PROGS_EXTENDED) $(TEST_GEN_FILES)

.PHONY: all run_tests install emit_tests clean
