# SPDX-License-Identifier: GPL-2.0-only
#
# What a person types.  The kernel build itself is Kbuild (see Kbuild and
# Kconfig: this directory is security/sigil once overlaid).
#
#   make demo     boot a kiosk-like guest and show sigil allowing and refusing
#   make check    host unit tests, then the guest selftests in QEMU
#   make check-debug  the guest selftests, a 60 s stress test and fault
#                 injection on a KASAN, UBSAN, KFENCE, kmemleak kernel
#                 (SIGIL_ACCEL=kvm where /dev/kvm works; STRESS_SECONDS=N)
#   make kernel   build the test kernel (Linux 6.12 + sigil) into build/
#   make unit     host unit tests only
#   make bench    measure in the guest what signature checks cost an exec,
#                 and the BPF mode in a guest of Debian's kernel
#                 (BENCH_CASES=dmverity: only the dm-verity properties;
#                 BENCH_CASES=bpf: only the BPF mode)
#   make fuzz     run the libFuzzer harnesses (FUZZ_SECONDS each, default 60;
#                 FUZZ_RUNS=N: N inputs each instead, libFuzzer's -runs)
#   make modules  build the OpenPGP key parser as a module against KDIR
#                 (default: Debian's linux-headers-6.12)
#   make clean    remove build/ outputs except the unpacked kernel and ccache
#   make install  sigilctl, its manual page sigilctl(8) and its bash completion
#                 into $(DESTDIR)$(PREFIX) (default /usr/local)
#   make census-doc  regenerate Documentation/census.rst, the table of bad
#                 inputs, from the guest test that checks them
#
# SIGIL_VERSION is sigil's version, the one that "sigilctl --version" prints;
# "make SIGIL_VERSION=..." sets another.
#
# Every target installs what it is missing through scripts/deps.

SHELL		:= /bin/bash
SIGIL_VERSION	:= 0.11.0
TOP		:= $(abspath .)
BUILD		:= $(TOP)/build
KVER		:= 6.12
KSRC		:= $(BUILD)/linux-source-$(KVER)
KOBJ		:= $(BUILD)/kernel
BZIMAGE		:= $(KOBJ)/arch/x86/boot/bzImage
JOBS		:= $(shell nproc)
KCC		:= $(if $(shell command -v ccache),ccache gcc,gcc)
KMAKE		:= $(MAKE) -C $(KSRC) O=$(KOBJ) CC="$(KCC)" HOSTCC="$(KCC)"

# The plain C shared by the kernel, the host tests and the fuzzers.
SHARED_SRCS	:= policy/parser.c policy/eval.c policy/compile.c policy/text.c \
		   policy/manifest.c policy/bpf_layout.c \
		   keys/packet.c keys/cert.c keys/convert.c keys/armor.c keys/sha1_user.c \
		   keys/filesig.c keys/pkcs7.c keys/signed.c
SHARED_HDRS	:= compat/compat.h $(wildcard policy/*.h) keys/pgp.h keys/filesig.h keys/signed.h

HOST_CFLAGS	:= -std=gnu11 -g -O1 -Wall -Wextra -Werror \
		   -Wno-unused-parameter -Wno-missing-field-initializers \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -Icompat -Ipolicy -Ikeys -Iselftests/unit \
		   -I$(KSRC)/tools/testing/selftests
UNIT_TESTS	:= $(patsubst selftests/unit/%.c,$(BUILD)/host/%,$(wildcard selftests/unit/*_test.c))
PGP_FIXTURES	:= $(BUILD)/host/pgp-fixtures
SIG_FIXTURES	:= $(BUILD)/host/sig-fixtures
POLICY_FIXTURES	:= $(BUILD)/host/policy-fixtures
DMV_FIXTURES	:= $(BUILD)/host/dmv-fixtures
MANIFEST_FIXTURES := $(BUILD)/host/manifest-fixtures
FIXTURES	:= $(PGP_FIXTURES)/manifest $(SIG_FIXTURES)/ids $(POLICY_FIXTURES)/v1.p7
# IPE's documented policies; the host test checks them against $(KSRC).
IPE_EXAMPLES	:= $(TOP)/selftests/fixtures/ipe-examples

FUZZ_SECONDS	?= 60
FUZZERS		:= $(patsubst selftests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard selftests/fuzz/*_fuzz.c))

# make modules: any Linux 6.12 build or headers directory; empty means
# Debian's linux-headers-6.12.
KDIR		?=

GUEST_CFLAGS	:= -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -static \
		   -Wno-sign-compare -Wno-format-overflow -Wno-clobbered -D_GNU_SOURCE \
		   -I$(KSRC)/tools/testing/selftests -Iselftests/guest
GUEST_TESTS	:= $(patsubst selftests/guest/%.c,$(BUILD)/guest/%, \
		   $(wildcard selftests/guest/*_test.c))
GUEST_PROG	:= $(BUILD)/guest/prog42

.PHONY: all deps kernel sigilctl unit guest check bench demo fuzz modules install clean FORCE

all: kernel sigilctl unit guest

deps:
	@scripts/deps

# ---- kernel ----

$(KSRC)/Makefile:
	@scripts/deps kernel
	mkdir -p $(BUILD)
	tar -C $(BUILD) -xf /usr/src/linux-source-$(KVER).tar.xz
	touch $@

# tinyconfig plus the fragments; every line of each must survive.
# $(1): the output directory, $(2): the fragments.
define kconfig
	scripts/overlay $(KSRC)
	mkdir -p $(1)
	$(MAKE) -C $(KSRC) O=$(1) CC="$(KCC)" HOSTCC="$(KCC)" -s tinyconfig
	$(KSRC)/scripts/kconfig/merge_config.sh -m -O $(1) $(1)/.config $(2) >/dev/null
	$(MAKE) -C $(KSRC) O=$(1) CC="$(KCC)" HOSTCC="$(KCC)" -s olddefconfig
	@grep -h '^CONFIG_\|^# CONFIG_.* is not set' $(2) | while read -r line; do \
		grep -qxF "$$line" $(1)/.config || { echo "config: $$line did not survive olddefconfig" >&2; rm -f $(1)/.config; exit 1; }; \
	done
endef

$(KOBJ)/.config: selftests/config Kconfig | $(KSRC)/Makefile
	$(call kconfig,$(KOBJ),selftests/config)

kernel: $(KSRC)/Makefile
	@scripts/deps kernel
	@scripts/overlay $(KSRC) >/dev/null
	$(MAKE) $(KOBJ)/.config
	$(KMAKE) -j$(JOBS) bzImage

# The debug kernel of make check-debug: the test kernel's configuration
# plus KASAN, UBSAN, KFENCE, DEBUG_OBJECTS and kmemleak
# (selftests/config-debug), built beside it in build/kernel-debug.
KOBJ_DEBUG	:= $(BUILD)/kernel-debug
BZIMAGE_DEBUG	:= $(KOBJ_DEBUG)/arch/x86/boot/bzImage

$(KOBJ_DEBUG)/.config: selftests/config selftests/config-debug Kconfig | $(KSRC)/Makefile
	$(call kconfig,$(KOBJ_DEBUG),selftests/config selftests/config-debug)

.PHONY: kernel-debug check-debug
kernel-debug: $(KSRC)/Makefile
	@scripts/deps kernel
	@scripts/overlay $(KSRC) >/dev/null
	$(MAKE) $(KOBJ_DEBUG)/.config
	$(MAKE) -C $(KSRC) O=$(KOBJ_DEBUG) CC="$(KCC)" HOSTCC="$(KCC)" -j$(JOBS) bzImage

# ---- sigilctl ----

SIGILCTL	:= $(BUILD)/sigilctl
SIGILCTL_SRCS	:= $(wildcard userspace/*.c)
TOOL_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		   -Wno-missing-field-initializers -D_GNU_SOURCE \
		   -DSIGIL_VERSION='"$(SIGIL_VERSION)"' -Icompat -Ipolicy -Ikeys -Iuserspace
TOOL_LIBS	:= -lcrypto -lkeyutils -lfsverity -lgpgme -lpthread
# policy sign and policy load undo gpg's compression (zlib).
TOOL_LIBS	+= -lz
# manifest from-deb reads packages with libarchive, from-rpm with librpm.
TOOL_LIBS	+= -larchive -lrpm -lrpmio
# bpf load|status|...: the BPF mode, through libbpf.
TOOL_LIBS	+= -lbpf -lelf

# Rewritten only when SIGIL_VERSION changes, so that sigilctl is rebuilt then.
$(BUILD)/sigil-version: FORCE
	@mkdir -p $(@D)
	@echo '$(SIGIL_VERSION)' | cmp -s - $@ || echo '$(SIGIL_VERSION)' > $@

# ---- the BPF mode: bpf/sigil.bpf.c, compiled once (CO-RE) ----
#
# vmlinux.h comes from the BTF of the kernel the BPF mode targets: Debian's
# 6.12 by default (BPF_KERNEL), which make check boots.  CO-RE relocates
# field offsets at load time, so the object also loads on other kernels
# whose BTF has what it uses.
BPF_KERNEL	?= $(lastword $(sort $(wildcard /boot/vmlinuz-6.12*-amd64)))
BPF_BUILD	:= $(BUILD)/bpf
BPF_OBJ		:= $(BPF_BUILD)/sigil.bpf.o
BPF_SKEL	:= $(BPF_BUILD)/sigil.skel.h
BPF_CFLAGS	:= -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
		   -I$(BPF_BUILD) -Ipolicy

$(BPF_BUILD)/vmlinux.h: | $(KSRC)/Makefile
	@scripts/deps bpf module
	@mkdir -p $(@D)
	@[ -n "$(BPF_KERNEL)" ] || { echo "bpf: no kernel to take BTF from (BPF_KERNEL=/boot/vmlinuz-...)" >&2; exit 1; }
	$(KSRC)/scripts/extract-vmlinux $(BPF_KERNEL) > $(BPF_BUILD)/vmlinux.elf
	bpftool btf dump file $(BPF_BUILD)/vmlinux.elf format c > $@.tmp
	rm -f $(BPF_BUILD)/vmlinux.elf
	mv $@.tmp $@

$(BPF_OBJ): bpf/sigil.bpf.c bpf/kfuncs.h policy/bpf_layout.h policy/enums.h $(BPF_BUILD)/vmlinux.h
	@scripts/deps bpf
	clang $(BPF_CFLAGS) -c $< -o $@

$(BPF_SKEL): $(BPF_OBJ)
	bpftool gen skeleton $< name sigil_bpf > $@.tmp
	mv $@.tmp $@

.PHONY: bpf
bpf: $(BPF_SKEL)

$(SIGILCTL): $(SIGILCTL_SRCS) $(wildcard userspace/*.h) $(SHARED_SRCS) $(SHARED_HDRS) \
		$(BUILD)/sigil-version $(BPF_SKEL)
	@scripts/deps tool
	@mkdir -p $(@D)
	gcc $(TOOL_CFLAGS) -I$(BPF_BUILD) -o $@ $(SIGILCTL_SRCS) $(SHARED_SRCS) $(TOOL_LIBS)

sigilctl: $(SIGILCTL)

# ---- install: sigilctl, sigilctl(8), bash completion ----

PREFIX		?= /usr/local
DESTDIR		?=
SIGILCTL_MAN	:= $(BUILD)/sigilctl.8

# rst2man stops at the first warning: a page that renders wrong fails here.
$(SIGILCTL_MAN): Documentation/sigilctl.rst
	@scripts/deps tool
	@mkdir -p $(@D)
	rst2man --halt=warning --strip-comments $< $@

.PHONY: man
man: $(SIGILCTL_MAN)

install: $(SIGILCTL) $(SIGILCTL_MAN)
	install -D -m 0755 $(SIGILCTL) $(DESTDIR)$(PREFIX)/sbin/sigilctl
	install -D -m 0644 $(SIGILCTL_MAN) $(DESTDIR)$(PREFIX)/share/man/man8/sigilctl.8
	install -D -m 0644 userspace/sigilctl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/sigilctl

# ---- tests ----

$(BUILD)/host/%: selftests/unit/%.c $(SHARED_SRCS) $(SHARED_HDRS) selftests/unit/case.h \
		selftests/unit/fixture.h selftests/unit/bpf_emu.h selftests/unit/rng.h userspace/pgp_evp.h \
		| $(KSRC)/Makefile
	@scripts/deps host
	@mkdir -p $(@D)
	gcc $(HOST_CFLAGS) -o $@ $< $(SHARED_SRCS) -lcrypto

# Drives sigilctl explain --policy.
$(BUILD)/host/explain_test: $(SIGILCTL)

# Keys and signatures made by gpg and sq, once per build directory.
$(PGP_FIXTURES)/manifest: selftests/fixtures/pgp-fixtures
	@scripts/deps host
	selftests/fixtures/pgp-fixtures $(PGP_FIXTURES)

# Files signed by fsverity, evmctl, openssl, gpg and sq, for the host tests
# and the guest.
$(BUILD)/host/pgp2pem: selftests/fixtures/pgp2pem.c keys/packet.c keys/sha1_user.c $(SHARED_HDRS)
	@scripts/deps host
	@mkdir -p $(@D)
	gcc $(HOST_CFLAGS) -o $@ $< keys/packet.c keys/sha1_user.c -lcrypto

$(SIG_FIXTURES)/ids: selftests/fixtures/sig-fixtures selftests/fixtures/signing.sh \
		$(GUEST_PROG) $(BUILD)/host/pgp2pem
	@scripts/deps host
	selftests/fixtures/sig-fixtures $(SIG_FIXTURES) $(GUEST_PROG) $(BUILD)/host/pgp2pem

# Policies signed by openssl, gpg and sq, with the keys above.
$(POLICY_FIXTURES)/v1.p7: selftests/fixtures/policy-fixtures $(SIG_FIXTURES)/ids
	selftests/fixtures/policy-fixtures $(POLICY_FIXTURES) $(SIG_FIXTURES)

# Manifests signed by openssl, gpg and sq, with the keys above, listing
# prog42 by its content, for the guest (at /manifests).
# The BPF mode's guest test: fs-verity signatures made by "fsverity sign",
# certificates, signed policies (selftests/fixtures/bpf-fixtures).
BPF_FIXTURES	:= $(BUILD)/host/bpf-fixtures
BPF_GUEST	:= $(BUILD)/guest/bpf_mode

$(BPF_FIXTURES)/signed.sig: selftests/fixtures/bpf-fixtures $(SIG_FIXTURES)/ids $(GUEST_PROG)
	@scripts/deps host
	selftests/fixtures/bpf-fixtures $(BPF_FIXTURES) $(SIG_FIXTURES) $(GUEST_PROG)

$(MANIFEST_FIXTURES)/prog42.sha256: selftests/fixtures/manifest-fixtures $(SIG_FIXTURES)/ids \
		$(GUEST_PROG)
	@scripts/deps host
	selftests/fixtures/manifest-fixtures $(MANIFEST_FIXTURES) $(SIG_FIXTURES) $(GUEST_PROG)

# Keys made for the guest tests of sigilctl, and policies that sigilctl
# itself signed with them.
SIGILCTL_FIXTURES := $(BUILD)/host/sigilctl-fixtures
$(SIGILCTL_FIXTURES)/ids: selftests/fixtures/sigilctl-fixtures $(SIGILCTL)
	@scripts/deps host
	selftests/fixtures/sigilctl-fixtures $(SIGILCTL_FIXTURES) $(SIGILCTL)

# dm-verity volumes made by veritysetup, and a root hash signed by openssl,
# for the guest.
$(DMV_FIXTURES)/dmv/params: selftests/fixtures/dmverity-fixtures \
		selftests/fixtures/keys/dmverity.pem selftests/fixtures/keys/dmverity.key \
		$(GUEST_PROG)
	@scripts/deps host vm
	selftests/fixtures/dmverity-fixtures $(DMV_FIXTURES) $(GUEST_PROG)

# The C tests, then sigilctl's manifest commands on the host (a script).
unit: $(UNIT_TESTS) $(FIXTURES) $(SIGILCTL) | $(KSRC)/Makefile
	@rc=0; for t in $(UNIT_TESTS); do \
		$$t $(PGP_FIXTURES) $(SIG_FIXTURES) $(POLICY_FIXTURES) $(IPE_EXAMPLES) $(KSRC) || rc=1; \
	done; \
	selftests/unit/sigilctl-manifest-host $(SIGILCTL) $(SIG_FIXTURES) || rc=1; \
	exit $$rc

# The differential fuzzer shares the BPF program's emulation with the unit
# test of the layout (selftests/unit/bpf_emu.h).
$(BUILD)/fuzz/%: selftests/fuzz/%.c $(SHARED_SRCS) $(SHARED_HDRS) selftests/unit/bpf_emu.h
	@scripts/deps host
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Icompat -Ipolicy -Ikeys -Iselftests/unit -o $@ $< $(SHARED_SRCS) -lcrypto

# FUZZ_RUNS=N stops each fuzzer after N inputs instead (libFuzzer -runs).
fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do \
		name=$$(basename $$f _fuzz); mkdir -p $(BUILD)/fuzz/corpus-$$name; \
		$$f $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) \
			-print_final_stats=1 \
			$(BUILD)/fuzz/corpus-$$name selftests/fuzz/corpus/$$name || exit 1; \
	done

$(BUILD)/guest/%: selftests/guest/%.c $(wildcard selftests/guest/*.h) \
		| $(KSRC)/Makefile
	@mkdir -p $(@D)
	gcc $(GUEST_CFLAGS) -o $@ $<

# The benches run in the guest too, and share its helpers.
$(BUILD)/guest/%: selftests/bench/%.c selftests/bench/bench.h selftests/guest/common.h \
		| $(KSRC)/Makefile
	@mkdir -p $(@D)
	gcc $(GUEST_CFLAGS) -o $@ $<

# Guest tests that run sigilctl share its helpers.
$(BUILD)/guest/sigilctl_test $(BUILD)/guest/sigilctl_lock_test: selftests/guest/sigilctl.h

# The manifest test and bench share sha256 and the manifests/ helpers.
$(BUILD)/guest/manifest_test $(BUILD)/guest/manifest_bench: selftests/guest/manifest.h

# The BPF bench runs sigilctl.
$(BUILD)/guest/bpf_bench: selftests/guest/sigilctl.h

$(GUEST_PROG): selftests/guest/prog42.c
	@mkdir -p $(@D)
	gcc -O2 -static -nostdlib -fno-pie -no-pie -Wall -Werror -o $@ $<

# wx_test runs it through the dynamic loader, which it then unmaps: dynamic,
# with every symbol bound at start.
GUEST_SWAP	:= $(BUILD)/guest/exe_swap
$(GUEST_SWAP): selftests/guest/exe_swap.c
	@mkdir -p $(@D)
	gcc -O2 -Wall -Wextra -Werror -Wl,-z,now -o $@ $<

guest: $(GUEST_TESTS) $(GUEST_PROG) $(GUEST_SWAP)

# The bad-input census: Documentation/census.rst holds the table that
# census_test --rst prints; scripts/check-census fails when they differ.
.PHONY: census-doc
census-doc: $(BUILD)/guest/census_test
	scripts/check-census --write $< Documentation/census.rst

# The key parser as a module, built out of tree in build/module.
modules:
	scripts/build-module $(BUILD)/module $(KDIR)

# The stress test and fault injection (selftests/guest/stress.c and
# faults.c) run in a boot of their own after the guest suite; the stress
# test for STRESS_SECONDS (make check: 10, make check-debug: 60).
STRESS_BIN	:= $(BUILD)/guest/stress
FAULTS_BIN	:= $(BUILD)/guest/faults
CHECK_PREREQS	:= $(UNIT_TESTS) $(FIXTURES) $(DMV_FIXTURES)/dmv/params $(FUZZERS) guest \
		   $(STRESS_BIN) $(FAULTS_BIN)
CHECK_ARGS	= --fixtures $(PGP_FIXTURES) --sig-fixtures $(SIG_FIXTURES) \
		  --policy-fixtures $(POLICY_FIXTURES) --dmv-fixtures $(DMV_FIXTURES) \
		  --manifest-fixtures $(MANIFEST_FIXTURES) \
		  --bpf-guest $(BPF_GUEST) --bpf-fixtures $(BPF_FIXTURES) \
		  --ipe-examples $(IPE_EXAMPLES) --ksrc $(KSRC) \
		  --stress $(STRESS_BIN) --stress-seconds $(STRESS_SECONDS) --faults $(FAULTS_BIN)

check: STRESS_SECONDS ?= 10
check: deps
	$(MAKE) kernel
	$(MAKE) $(CHECK_PREREQS)
	$(MAKE) $(MANIFEST_FIXTURES)/prog42.sha256 $(BPF_FIXTURES)/signed.sig $(BPF_GUEST)
	$(MAKE) $(SIGILCTL) $(SIGILCTL_MAN) $(SIGILCTL_FIXTURES)/ids
	selftests/run-check $(CHECK_ARGS) --bench --host $(UNIT_TESTS) \
		--fuzz $(FUZZERS) --guest $(GUEST_TESTS)

# The guest suite, the stress test and fault injection on the debug kernel
# (build/kernel-debug).  Under TCG it is several times slower than make
# check; SIGIL_ACCEL=kvm makes it fast where /dev/kvm works.  KFENCE
# samples an allocation every 10 ms instead of 100.
check-debug: STRESS_SECONDS ?= 60
check-debug: deps
	$(MAKE) kernel-debug
	$(MAKE) $(CHECK_PREREQS)
	$(MAKE) $(MANIFEST_FIXTURES)/prog42.sha256 $(BPF_FIXTURES)/signed.sig $(BPF_GUEST)
	$(MAKE) $(SIGILCTL) $(SIGILCTL_MAN) $(SIGILCTL_FIXTURES)/ids
	SIGIL_KERNEL=$(BZIMAGE_DEBUG) SIGIL_MEM=$${SIGIL_MEM:-2048} selftests/run-check \
		$(CHECK_ARGS) --guest-only --vm-timeout 5400 \
		--append kfence.sample_interval=10 --guest $(GUEST_TESTS)

# ---- benchmark ----

BENCH_BIN	:= $(BUILD)/guest/sig_bench
SCALE_BIN	:= $(BUILD)/guest/scale_bench
MANIFEST_BIN	:= $(BUILD)/guest/manifest_bench
BPF_BENCH_BIN	:= $(BUILD)/guest/bpf_bench
# "dmverity": measure only the dm-verity properties (about 30 s);
# "scale": only the policy-size series; "manifest": only the manifest cases;
# "bpf": only the BPF mode, in Debian's kernel (BPF_KERNEL);
# "quick": every case but the 64 MiB files, in two short rounds, to prove
# that the bench runs (make check).
BENCH_CASES	?=

# One boot of the test kernel: the guest builds the files, applies the
# host's signatures and prints the tables (see selftests/bench/sig_bench.c,
# scale_bench.c and manifest_bench.c).  Then one boot of Debian's kernel
# for the BPF mode (selftests/bench/bpf_bench.c), which the test kernel
# cannot load (no BPF_SYSCALL).
# tsc=reliable: under TCG the clocksource watchdog can demote the TSC to
# jiffies, 4 ms steps.
bench: deps
ifneq ($(BENCH_CASES),bpf)
	$(MAKE) kernel
	$(MAKE) $(BENCH_BIN) $(SCALE_BIN) $(MANIFEST_BIN) $(GUEST_PROG) $(SIG_FIXTURES)/ids \
		$(DMV_FIXTURES)/dmv/params
	selftests/bench/bench-fixtures $(BUILD)/bench $(SIG_FIXTURES) $(BENCH_BIN) $(GUEST_PROG)
	SIGIL_SMP=1 selftests/run-vm --timeout 1800 --append tsc=reliable --add $(BENCH_BIN) \
		--add $(SCALE_BIN) --add $(MANIFEST_BIN) --add $(GUEST_PROG):/bin/prog42 \
		--add $(BUILD)/bench:/bench --add $(DMV_FIXTURES)/dmv:/dmv \
		--drive $(DMV_FIXTURES)/a.img:dmv-a -- sh -c ' \
		case "$(BENCH_CASES)" in scale|manifest) ;; *) /bin/sig_bench /bench $(BENCH_CASES) || exit 1 ;; esac; \
		case "$(BENCH_CASES)" in ""|scale|manifest|quick) \
			/bin/sig_bench --make /mnt/scale-prog 65536 /bin/prog42 || exit 1 ;; esac; \
		case "$(BENCH_CASES)" in ""|scale|quick) \
			/bin/scale_bench /bench/scale $(filter quick,$(BENCH_CASES)) || exit 1 ;; esac; \
		case "$(BENCH_CASES)" in ""|manifest|quick) \
			/bin/manifest_bench /bench/manifest $(filter quick,$(BENCH_CASES)) || exit 1 ;; esac'
endif
ifneq ($(filter x xquick xbpf,x$(BENCH_CASES)),)
	@[ -n "$(BPF_KERNEL)" ] || { echo "bench: no kernel for the BPF mode (BPF_KERNEL=/boot/vmlinuz-...)" >&2; exit 1; }
	$(MAKE) $(BPF_BENCH_BIN) $(GUEST_PROG) $(SIGILCTL)
	selftests/bench/bpf-fixtures $(BUILD)/bench/bpf $(GUEST_PROG)
	SIGIL_SMP=1 SIGIL_KERNEL=$(BPF_KERNEL) selftests/run-vm --timeout 1800 \
		--append tsc=reliable --add $(BPF_BENCH_BIN) --add $(SIGILCTL):/bin/sigilctl \
		--add $(GUEST_PROG):/bin/prog42 --add $(BUILD)/bench/bpf:/bench \
		-- /bin/bpf_bench /bench $(filter quick,$(BENCH_CASES))
endif

# ---- demo ----

demo: deps
	$(MAKE) kernel sigilctl
	scripts/demo

clean:
	rm -rf $(BUILD)/host $(BUILD)/guest $(BUILD)/fuzz $(BUILD)/module $(BUILD)/bench $(BUILD)/vm.*
