# SPDX-License-Identifier: GPL-2.0-only
#
# What a person types.  The kernel build itself is Kbuild (see Kbuild and
# Kconfig: this directory is security/sigil once overlaid).
#
#   make demo     boot a kiosk-like guest and show sigil allowing and refusing
#   make check    host unit tests, then the guest selftests in QEMU
#   make kernel   build the test kernel (Linux 6.12 + sigil) into build/
#   make unit     host unit tests only
#   make clean    remove build/ outputs except the unpacked kernel and ccache
#
# Every target installs what it is missing through scripts/deps.

SHELL		:= /bin/bash
TOP		:= $(abspath .)
BUILD		:= $(TOP)/build
KVER		:= 6.12
KSRC		:= $(BUILD)/linux-source-$(KVER)
KOBJ		:= $(BUILD)/kernel
BZIMAGE		:= $(KOBJ)/arch/x86/boot/bzImage
JOBS		:= $(shell nproc)
KCC		:= $(if $(shell command -v ccache),ccache gcc,gcc)
KMAKE		:= $(MAKE) -C $(KSRC) O=$(KOBJ) CC="$(KCC)" HOSTCC="$(KCC)"

POLICY_SRCS	:= policy/parser.c policy/eval.c
POLICY_HDRS	:= $(wildcard policy/*.h)

HOST_CFLAGS	:= -std=gnu11 -g -O1 -Wall -Wextra -Werror \
		   -Wno-unused-parameter -Wno-missing-field-initializers \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -Ipolicy -Iselftests/unit
UNIT_TESTS	:= $(patsubst selftests/unit/%.c,$(BUILD)/host/%,$(wildcard selftests/unit/*_test.c))

GUEST_CFLAGS	:= -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -static \
		   -Wno-sign-compare -Wno-format-overflow -Wno-clobbered -D_GNU_SOURCE \
		   -I$(KSRC)/tools/testing/selftests -Iselftests
GUEST_TESTS	:= $(patsubst selftests/%.c,$(BUILD)/guest/%,$(wildcard selftests/*_test.c))
GUEST_PROG	:= $(BUILD)/guest/prog42

.PHONY: all deps kernel unit guest check demo clean

all: kernel unit guest

deps:
	@scripts/deps

# ---- kernel ----

$(KSRC)/Makefile:
	@scripts/deps kernel
	mkdir -p $(BUILD)
	tar -C $(BUILD) -xf /usr/src/linux-source-$(KVER).tar.xz
	touch $@

# tinyconfig plus the fragment; every line of the fragment must survive.
$(KOBJ)/.config: selftests/config Kconfig | $(KSRC)/Makefile
	scripts/overlay $(KSRC)
	mkdir -p $(KOBJ)
	$(KMAKE) -s tinyconfig
	$(KSRC)/scripts/kconfig/merge_config.sh -m -O $(KOBJ) $(KOBJ)/.config selftests/config >/dev/null
	$(KMAKE) -s olddefconfig
	@grep '^CONFIG_' selftests/config | while read -r line; do \
		grep -qxF "$$line" $@ || { echo "config: $$line did not survive olddefconfig" >&2; rm -f $@; exit 1; }; \
	done

kernel: $(KSRC)/Makefile
	@scripts/deps kernel
	@scripts/overlay $(KSRC) >/dev/null
	$(MAKE) $(KOBJ)/.config
	$(KMAKE) -j$(JOBS) bzImage

# ---- tests ----

$(BUILD)/host/%: selftests/unit/%.c $(POLICY_SRCS) $(POLICY_HDRS) selftests/unit/tap.h
	@mkdir -p $(@D)
	gcc $(HOST_CFLAGS) -o $@ $< $(POLICY_SRCS)

unit: $(UNIT_TESTS)
	@scripts/deps host
	@rc=0; for t in $(UNIT_TESTS); do $$t || rc=1; done; exit $$rc

$(BUILD)/guest/%: selftests/%.c selftests/common.h | $(KSRC)/Makefile
	@mkdir -p $(@D)
	gcc $(GUEST_CFLAGS) -o $@ $<

$(GUEST_PROG): selftests/prog42.c
	@mkdir -p $(@D)
	gcc -O2 -static -nostdlib -fno-pie -no-pie -Wall -Werror -o $@ $<

guest: $(GUEST_TESTS) $(GUEST_PROG)

check: deps
	$(MAKE) kernel
	$(MAKE) $(UNIT_TESTS) guest
	selftests/run-check $(UNIT_TESTS) -- $(GUEST_TESTS)

# ---- demo ----

demo: deps
	$(MAKE) kernel
	scripts/demo

clean:
	rm -rf $(BUILD)/host $(BUILD)/guest $(BUILD)/vm.*
