# hostnet - the only Makefile (non-recursive). `make help` lists the targets.

VERSION    := 0.1.0

PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/lib
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR    ?=
# What make install puts beside the tools (docs/migration.md, "Installing"):
HOOKDIR       ?= $(LIBEXECDIR)/hostnet/ifupdown
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR       ?= $(PREFIX)/lib/systemd/system
EXAMPLEDIR    ?= $(PREFIX)/share/doc/hostnet/examples
# UML appends this fixed directory (not under PREFIX) to PATH to find uml_net.
UMLDIR        ?= /usr/lib/uml
# QEMU's helper directory (Debian's): uml_net is linked there as
# hostnet-bridge-helper, beside the package's qemu-bridge-helper, never over it.
QEMUDIR       ?= /usr/lib/qemu
QEMU_HELPER   := hostnet-bridge-helper

CC         ?= cc
AR         ?= ar
PKG_CONFIG ?= pkg-config
PKGS       := libnl-3.0 libnl-route-3.0 libmnl libnftnl

# Quiet by default; V=1 shows every command.
ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

# Targets that need no compiler flags must not fail on missing libraries:
# those that install the libraries first and build in a second make (check,
# demo, bench), and those that build nothing.
NOPKG_GOALS := deps deps-test oracles help clean uninstall check demo demo-tools bench
ifneq ($(filter-out $(NOPKG_GOALS),$(or $(MAKECMDGOALS),all)),)
PKG_MISSING := $(shell for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || printf '%s ' $$p; done)
ifneq ($(strip $(PKG_MISSING)),)
$(error missing libraries (pkg-config): $(PKG_MISSING)-- run 'make deps' as root (or 'make demo' / 'make check', which run it first))
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS))
# libnl and libnftnl are linked statically when their archives are there
# (libnl-3-dev, libnl-route-3-dev and libnftnl-dev ship them): every tool is
# a short-lived process, and loading and relocating those shared libraries
# was 0.4 ms of each run, a tenth of a no-change `hostnet apply`. libmnl
# ships no archive. STATIC_LIBS=0 links them all shared.
STATIC_LIBS ?= 1
PKG_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir libnl-3.0)
STATIC_AR  := $(PKG_LIBDIR)/libnl-route-3.a $(PKG_LIBDIR)/libnl-3.a \
	$(shell $(PKG_CONFIG) --variable=libdir libnftnl)/libnftnl.a
ifeq ($(STATIC_LIBS)$(words $(wildcard $(STATIC_AR))),13)
PKG_LIBS := -Wl,-Bstatic -lnl-route-3 -lnl-3 -lnftnl -Wl,-Bdynamic \
	$(filter-out -lnl-route-3 -lnl-3 -lnftnl,$(PKG_LIBS)) -lpthread -lm
endif
endif

WARN := -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wshadow \
	-Wformat=2 -Wwrite-strings -Wvla
ifneq ($(CI),)
WARN += -Werror
endif
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

# User CFLAGS are appended to ours, never replace them.
HN_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(SANFLAGS) -Ilib $(PKG_CFLAGS) \
	-DHN_VERSION='"$(VERSION)"' -DHN_SYSCONFDIR='"$(SYSCONFDIR)"' $(CFLAGS)
HN_LDFLAGS := -Wl,--as-needed $(SANFLAGS) $(LDFLAGS)
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now

# Build outputs live beside their sources; objects of SAN=1 builds elsewhere.
OUT := $(if $(filter 1,$(SAN)),build-san,build)

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(OUT)/%.o)
LIB     := $(if $(filter 1,$(SAN)),build-san/lib,lib)/libhostnet.a

# tool name, source directory; each tool links libhostnet.a.
TOOLS := tunctl
tunctl_DIR := tunctl
TOOLS += brctl
brctl_DIR := bridge
TOOLS += natctl
natctl_DIR := nat
TOOLS += uml_net
uml_net_DIR := uml_net
uml_net_LIBS := -lcap-ng
TOOLS += hostnet
hostnet_DIR := hostnet
# uml_switch needs no privilege: it installs to BINDIR, its page to man1.
TOOLS += uml_switch
uml_switch_DIR := uml_switch
USER_TOOLS := uml_switch
# slirp: user-mode networking for UML's eth0=slirp (libslirp; glib is not
# needed at build time, so no pkg-config here). An unprivileged user's tool.
TOOLS += slirp
slirp_DIR := slirp
slirp_LIBS := -lslirp
USER_TOOLS += slirp

define tool_rules
$(1)_SRC := $$(wildcard $$($(1)_DIR)/*.c)
$(1)_OBJ := $$($(1)_SRC:%.c=$(OUT)/%.o)
$(OUT)/bin/$(1): $$($(1)_OBJ) $(LIB)
	$$(quiet) LD $$@
	@mkdir -p $$(@D)
	$(Q)$$(CC) $$(HN_LDFLAGS) -o $$@ $$($(1)_OBJ) $(LIB) $$(PKG_LIBS) $$($(1)_LIBS)
BINS += $(OUT)/bin/$(1)
OBJS += $$($(1)_OBJ)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rules,$(t))))

# uml_net is the privileged tool: hardening on its objects and its link
# (fortify, stack protector, PIE, full RELRO).
$(uml_net_OBJ): HN_CFLAGS += $(HARDEN)
$(OUT)/bin/uml_net: HN_LDFLAGS += $(HARDEN_LD)

# A test-only uml_net (never installed): the same sources with the policy at
# $(UMLT_ETC)/hostnet/uml_net.conf, for the bats suite. Under /run (root-only,
# and reachable by the unprivileged test user even when the checkout is not),
# one directory per checkout and build flavour; $(OUT)/test/policy-path names it.
# Its lock is $(UMLT_ETC)/uml_net.lock ($(OUT)/test/lock-path), its syslog
# socket $(UMLT_ETC)/log ($(OUT)/test/log-path; the tests listen there).
UMLT_ETC := /run/hostnet-test/$(shell printf %s '$(CURDIR)' | cksum | cut -d' ' -f1)-$(OUT)
UMLT_OBJ := $(uml_net_SRC:%.c=$(OUT)/test/%.o)
$(OUT)/test/uml_net/%.o: uml_net/%.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(HN_CFLAGS) $(HARDEN) -UHN_SYSCONFDIR -DHN_SYSCONFDIR='"$(UMLT_ETC)"' \
		-DUML_NET_LOCK='"$(UMLT_ETC)/uml_net.lock"' -DUML_NET_LOG='"$(UMLT_ETC)/log"' -MMD -MP -c -o $@ $<
$(OUT)/test/bin/uml_net: $(UMLT_OBJ) $(LIB)
	$(quiet) LD $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(HN_LDFLAGS) $(HARDEN_LD) -o $@ $(UMLT_OBJ) $(LIB) $(PKG_LIBS) $(uml_net_LIBS)
	$(Q)echo '$(UMLT_ETC)/hostnet/uml_net.conf' >$(OUT)/test/policy-path
	$(Q)echo '$(UMLT_ETC)/uml_net.lock' >$(OUT)/test/lock-path
	$(Q)echo '$(UMLT_ETC)/log' >$(OUT)/test/log-path
TEST_BINS := $(OUT)/test/bin/uml_net $(OUT)/examples/uml_side
# uml_switch's test and bench client speaks the daemon transport (uml_switch/req.c).
TEST_BINS += $(OUT)/examples/swclient
$(OUT)/examples/swclient: $(OUT)/examples/swclient.o $(OUT)/uml_switch/req.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS) -lpthread
# slirp_peer plays UML for tests/bats/700-slirp.bats and the benchmark.
TEST_BINS += $(OUT)/examples/slirp_peer

# libFuzzer targets (clang), one per parser that reads untrusted bytes:
# uml_net's argv and policy file, hostnet's config and state files, natctl
# batches, every tool's argv. `make fuzz` runs each for FUZZ_TIME seconds,
# seeded from fuzz_conf_SEED and tests/fuzz/seeds/<target>/; crashes land in
# build-fuzz/. Not part of check.
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 20
FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -Ilib $(PKG_CFLAGS) \
	-DHN_VERSION='"$(VERSION)"' -DHN_SYSCONFDIR='"$(SYSCONFDIR)"'
fuzz_args_SRC   := uml_net/args.c uml_net/policy.c lib/parse.c lib/words.c
fuzz_policy_SRC := $(fuzz_args_SRC) tests/fuzz/nss_stub.c
# um_evaluate with varied callers, requests and policies (all of uml_net but main.c).
fuzz_evaluate_SRC := $(filter-out uml_net/main.c,$(uml_net_SRC)) $(LIB_SRC) tests/fuzz/nss_stub.c
fuzz_conf_SRC   := $(wildcard hostnet/conf*.c) lib/parse.c lib/bridge.c lib/vec.c lib/words.c $(wildcard lib/nftnat*.c) \
	lib/nft.c lib/nl.c lib/link.c
fuzz_conf_SEED  := $(wildcard examples/*.conf)
fuzz_conf_SEED  += $(wildcard tests/fuzz/seeds/conf/*.conf)
FUZZERS := fuzz_args fuzz_policy fuzz_conf fuzz_evaluate
# uml_switch's control requests come from any local user who can connect.
fuzz_swreq_SRC  := uml_switch/req.c
FUZZERS += fuzz_swreq
# lib's NAT grammar and printer: parse, print, parse back equal.
fuzz_nat_SRC    := lib/nftnat_words.c lib/nftnat_layout.c lib/parse.c lib/words.c
FUZZERS += fuzz_nat
# slirp: the SLIP decoder + Ethernet shim (guest bytes), and the command parser.
fuzz_slip_SRC := slirp/slip.c
fuzz_slirpcmd_SRC := slirp/cmd.c lib/words.c
FUZZERS += fuzz_slip fuzz_slirpcmd
# Each tool's command line, through its own parser up to where it would act:
# the target includes the tool's main.c (fuzz_<name>_INC, not compiled apart).
FUZZ_TOOL_INC := tests/fuzz/tool_argv.h
fuzz_tunctl_argv_INC  := $(FUZZ_TOOL_INC) tunctl/main.c
fuzz_tunctl_argv_SRC  := $(LIB_SRC) tests/fuzz/nss_stub.c
fuzz_brctl_argv_INC   := $(FUZZ_TOOL_INC) bridge/main.c
fuzz_brctl_argv_SRC   := $(filter-out bridge/main.c,$(brctl_SRC)) $(LIB_SRC)
fuzz_natctl_argv_INC  := $(FUZZ_TOOL_INC) nat/main.c
fuzz_natctl_argv_SRC  := $(filter-out nat/main.c,$(natctl_SRC)) $(LIB_SRC)
fuzz_hostnet_argv_INC := $(FUZZ_TOOL_INC) hostnet/main.c
fuzz_hostnet_argv_SRC := $(filter-out hostnet/main.c,$(hostnet_SRC)) $(LIB_SRC)
# natctl --batch (the reader on a file, and every line's parser); hostnet's state file.
fuzz_natctl_batch_INC := $(fuzz_natctl_argv_INC)
fuzz_natctl_batch_SRC := $(fuzz_natctl_argv_SRC)
fuzz_hostnet_state_SRC := hostnet/state.c $(LIB_SRC)
FUZZERS += fuzz_tunctl_argv fuzz_brctl_argv fuzz_natctl_argv fuzz_hostnet_argv \
	fuzz_natctl_batch fuzz_hostnet_state
FUZZ_BIN := $(FUZZERS:%=build-fuzz/%)
# Each source is compiled once for all targets (build-fuzz/obj/, coverage
# instrumented); a target's own file, which may include a tool's main.c,
# is compiled with the libFuzzer driver at link time.
FUZZ_OBJ = $(sort $(foreach f,$(FUZZERS),$($(f)_SRC:%.c=build-fuzz/obj/%.o)))
build-fuzz/obj/%.o: %.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
define fuzz_rules
build-fuzz/$(1): tests/fuzz/$(1).c $$($(1)_SRC:%.c=build-fuzz/obj/%.o) $$($(1)_INC)
	$$(quiet) FUZZ $$@
	@mkdir -p $$(@D)
	$(Q)$$(FUZZ_CC) $$(FUZZ_FLAGS) -fsanitize=fuzzer -o $$@ $$< $$(filter %.o,$$^) $$(PKG_LIBS)
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzz_rules,$(f))))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/unit/%)
EX_SRC   := $(wildcard examples/*.c)
EX_BIN   := $(EX_SRC:examples/%.c=$(OUT)/examples/%)
HDR_CHECK := $(patsubst lib/%.h,$(OUT)/hdrcheck/%.o,$(wildcard lib/*.h))

MANS := $(wildcard docs/*.[0-9])

# ifupdown hooks (POSIX sh); make install puts SBINDIR into their PATH.
HOOKS := $(wildcard ifupdown/hostnet-*)

.PHONY: all check unit unit-bins examples bats hdrcheck mancheck shellcheck demo \
	deps deps-test oracles install install-setuid uninstall clean bench fuzz help demo-tools
.DEFAULT_GOAL := all
# Keep intermediate objects (examples, unit tests): no stray rm after a build.
.SECONDARY:

all: $(BINS) $(TEST_BINS)

$(OUT)/%.o: %.c
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(HN_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(OUT)/tests/unit/%: $(OUT)/tests/unit/%.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# policy.c and args.c are pure code: their unit tests link them directly.
$(OUT)/tests/unit/test_args: $(OUT)/tests/unit/test_args.o $(OUT)/uml_net/args.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)

# natctl's command table and argument parsers, with stand-ins for its runners.
$(OUT)/tests/unit/test_natctl: $(OUT)/tests/unit/test_natctl.o $(OUT)/nat/cmds.o $(OUT)/nat/parse.o \
		$(OUT)/nat/journal.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)

$(OUT)/tests/unit/test_policy: $(OUT)/tests/unit/test_policy.o $(OUT)/uml_net/policy.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)

# hostnet's config parser is pure code too (conf*.c); so is its state file.
HOSTNET_CONF_OBJ := $(patsubst %.c,$(OUT)/%.o,$(wildcard hostnet/conf*.c))
$(OUT)/tests/unit/test_conf: $(OUT)/tests/unit/test_conf.o $(HOSTNET_CONF_OBJ) $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)
$(OUT)/tests/unit/test_conf_vxlan: $(OUT)/tests/unit/test_conf_vxlan.o $(HOSTNET_CONF_OBJ) $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)
$(OUT)/tests/unit/test_conf_state: $(OUT)/tests/unit/test_conf_state.o $(OUT)/hostnet/state.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)

# uml_switch's request parser and switch core are pure code, like policy.c.
$(OUT)/tests/unit/test_swreq: $(OUT)/tests/unit/test_swreq.o $(OUT)/uml_switch/req.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)
$(OUT)/tests/unit/test_swcore: $(OUT)/tests/unit/test_swcore.o $(OUT)/uml_switch/core.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)
# slirp's codec and command parser are pure code.
$(OUT)/tests/unit/test_slirp_slip: $(OUT)/tests/unit/test_slirp_slip.o $(OUT)/slirp/slip.o
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^)
$(OUT)/tests/unit/test_slirp_cmd: $(OUT)/tests/unit/test_slirp_cmd.o $(OUT)/slirp/cmd.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB)

$(OUT)/examples/%: $(OUT)/examples/%.o $(LIB)
	$(quiet) LD $@
	$(Q)$(CC) $(HN_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# Every lib header compiles on its own (libnl's check-build-headers).
$(OUT)/hdrcheck/%.o: lib/%.h
	$(quiet) HDR $<
	@mkdir -p $(@D)
	$(Q)printf '#include "%s"\n' $(notdir $<) | $(CC) $(HN_CFLAGS) -x c -c -o $@ -

hdrcheck: $(HDR_CHECK)

mancheck:
	$(quiet) LINT docs
	$(Q)for m in $(MANS); do mandoc -Tlint -Wwarning $$m || exit 1; done

SH_SCRIPTS := tests/run tests/deps.sh .ci/run build-aux/dpkg-guard $(wildcard tests/bench/*.sh examples/*.sh) \
	$(HOOKS) $(wildcard tests/bats/fixtures/*/*.sh)
BATS_FILES := $(wildcard tests/bats/*.bats tests/bats/*.bash)

shellcheck:
	$(quiet) SHCK scripts
	$(Q)shellcheck -x $(SH_SCRIPTS)
	$(Q)shellcheck -x -s bash -e SC2030,SC2031,SC2034,SC2154 $(BATS_FILES)
	$(Q)shellcheck -s bash $(wildcard completion/*)

examples: $(EX_BIN)
unit-bins: $(UNIT_BIN)

# One run per target (make -j runs them side by side); a crash prints the
# end of its log and fails.
fuzz: $(FUZZERS:%=fuzz-run-%)
fuzz-run-%: build-fuzz/%
	$(Q)b=build-fuzz/$*; mkdir -p $$b.corpus; \
	case $* in fuzz_conf) cp $(fuzz_conf_SEED) $$b.corpus/ ;; esac; \
	if [ -d tests/fuzz/seeds/$* ]; then cp tests/fuzz/seeds/$*/* $$b.corpus/; fi; \
	$$b -max_total_time=$(FUZZ_TIME) -max_len=8192 -artifact_prefix=build-fuzz/$*- \
		$$b.corpus >$$b.log 2>&1 || { tail -n 40 $$b.log; exit 1; }; \
	echo "$*: $$(grep -E '^Done [0-9]+ runs' $$b.log)"

# Unit tests: no root, no kernel. Each prints TAP.
unit: $(UNIT_BIN)
	$(Q)for t in $(UNIT_BIN); do $$t || exit 1; done

bats: all oracles
	$(Q)HN_ORACLES=$(ORACLES) HN_BIN=$(CURDIR)/$(OUT)/bin bats tests/bats

# The full suite as CI runs it: deps (build and test), the reference tools,
# the UML kernel, lint, fuzz, build, unit, bats, then again under ASan+UBSan
# (build, unit and the tools' bats files; tests/run says which). Summary line from tests/run. check, demo and bench install
# what is missing first, then build in a second make that sees the libraries.
ORACLES := $(CURDIR)/build/oracles
check: deps-test oracles
	$(Q)HN_ORACLES=$(ORACLES) tests/run

deps:
	$(Q)tests/deps.sh build

deps-test:
	$(Q)tests/deps.sh test

oracles:
	$(Q)tests/deps.sh oracles $(ORACLES)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)HN_BIN=$(CURDIR)/$(OUT)/bin examples/demo-hostnet.sh

demo-tools: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)HN_BIN=$(CURDIR)/$(OUT)/bin examples/demo-tools.sh

bench: deps-test oracles
	$(Q)$(MAKE) --no-print-directory all
	$(Q)HN_ORACLES=$(ORACLES) HN_BIN=$(CURDIR)/$(OUT)/bin tests/bench/run.sh

# Every path install writes, for the dpkg guard: install never overwrites a
# file a Debian package owns (bridge-utils' brctl under PREFIX=/usr) unless
# DIVERT=1 says so, and then dpkg-divert moves the package's file aside and
# uninstall puts it back. Skipped under DESTDIR (a staging tree).
GUARD := build-aux/dpkg-guard
INSTALLED = $(addprefix $(SBINDIR)/,$(filter-out $(USER_TOOLS),$(TOOLS))) \
	$(addprefix $(BINDIR)/,$(USER_TOOLS)) \
	$(addprefix $(MANDIR)/man1/,$(notdir $(filter %.1,$(MANS)))) \
	$(addprefix $(MANDIR)/man8/,$(notdir $(filter %.8,$(MANS)))) \
	$(addprefix $(MANDIR)/man5/,$(notdir $(filter %.5,$(MANS)))) \
	$(addprefix $(HOOKDIR)/,$(notdir $(HOOKS))) \
	$(foreach d,$(HOOK_DIRS),$(addprefix $(SYSCONFDIR)/network/$(d)/,$(notdir $(HOOKS)))) \
	$(addprefix $(COMPLETIONDIR)/,$(filter $(TOOLS),$(notdir $(wildcard completion/*)))) \
	$(addprefix $(EXAMPLEDIR)/,$(notdir $(EX_CONF))) \
	$(if $(UNIT),$(UNITDIR)/hostnet.service) $(if $(SW_UNIT),'$(UNITDIR)/uml_switch@.service') \
	$(if $(filter uml_net,$(TOOLS)),$(UMLDIR)/uml_net $(SBINDIR)/$(QEMU_HELPER) $(QEMUDIR)/$(QEMU_HELPER))

USER_BINS := $(USER_TOOLS:%=$(OUT)/bin/%)
install: all
	$(if $(DESTDIR),,$(Q)$(GUARD) $(if $(filter 1,$(DIVERT)),divert,check) $(INSTALLED))
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(filter-out $(USER_BINS),$(BINS)) $(DESTDIR)$(SBINDIR)/
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(USER_BINS) $(DESTDIR)$(BINDIR)/
	for m in $(filter %.1,$(MANS)); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(filter %.8,$(MANS)); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man8/; done
	for m in $(filter %.5,$(MANS)); do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	$(install_extras)

# ifupdown hooks (in HOOKDIR, linked from every if-*.d: they dispatch on
# MODE/PHASE), bash completion for each tool, example configs, the systemd
# unit when there is one, and uml_net where UML looks for it.
HOOK_DIRS := if-pre-up.d if-up.d if-down.d if-post-down.d
EX_CONF   := $(wildcard examples/*.conf)
UNIT      := $(wildcard examples/hostnet.service)
SUBST      = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g'
# uml_switch's supervision: a template unit, one switch per user (uml_switch(1)).
SW_UNIT   := $(wildcard examples/uml_switch@.service)
define install_extras
install -d $(DESTDIR)$(HOOKDIR) $(DESTDIR)$(COMPLETIONDIR)
	for h in $(notdir $(HOOKS)); do \
		$(SUBST) ifupdown/$$h >$(DESTDIR)$(HOOKDIR)/$$h && chmod 0755 $(DESTDIR)$(HOOKDIR)/$$h && \
		for d in $(HOOK_DIRS); do \
			install -d $(DESTDIR)$(SYSCONFDIR)/network/$$d && \
			ln -sf $(HOOKDIR)/$$h $(DESTDIR)$(SYSCONFDIR)/network/$$d/$$h || exit 1; \
		done; \
	done
	for t in $(TOOLS); do [ ! -f completion/$$t ] || install -m 0644 completion/$$t $(DESTDIR)$(COMPLETIONDIR)/; done
	$(if $(EX_CONF),install -d $(DESTDIR)$(EXAMPLEDIR) && install -m 0644 $(EX_CONF) $(DESTDIR)$(EXAMPLEDIR)/)
	$(if $(UNIT),install -d $(DESTDIR)$(UNITDIR) && $(SUBST) $(UNIT) >$(DESTDIR)$(UNITDIR)/hostnet.service && chmod 0644 $(DESTDIR)$(UNITDIR)/hostnet.service)
	$(if $(SW_UNIT),install -d $(DESTDIR)$(UNITDIR) && $(SUBST) $(SW_UNIT) >'$(DESTDIR)$(UNITDIR)/uml_switch@.service' && chmod 0644 '$(DESTDIR)$(UNITDIR)/uml_switch@.service')
	$(if $(filter uml_net,$(TOOLS)),install -d $(DESTDIR)$(UMLDIR) && ln -sf $(SBINDIR)/uml_net $(DESTDIR)$(UMLDIR)/uml_net)
	$(if $(filter uml_net,$(TOOLS)),ln -sf uml_net $(DESTDIR)$(SBINDIR)/$(QEMU_HELPER) && \
		install -d $(DESTDIR)$(QEMUDIR) && ln -sf $(SBINDIR)/uml_net $(DESTDIR)$(QEMUDIR)/$(QEMU_HELPER))
endef

# Privileged step kept apart so packagers building as non-root succeed.
# UML_NET_PRIV=caps: file capability cap_net_admin+ep instead of setuid root.
# The group uml-net is created when missing.
UML_NET_PRIV ?= setuid
install-setuid:
	@if [ -x $(DESTDIR)$(SBINDIR)/uml_net ]; then \
		{ getent group uml-net >/dev/null || groupadd --system uml-net; } && \
		chown root:uml-net $(DESTDIR)$(SBINDIR)/uml_net && \
		if [ "$(UML_NET_PRIV)" = caps ]; then chmod 0750 $(DESTDIR)$(SBINDIR)/uml_net && \
			setcap cap_net_admin+ep $(DESTDIR)$(SBINDIR)/uml_net; \
		else chmod 4750 $(DESTDIR)$(SBINDIR)/uml_net; fi; \
	else echo "install-setuid: uml_net is not installed yet (run make install)"; exit 1; fi

uninstall:
	for b in $(TOOLS); do rm -f $(DESTDIR)$(SBINDIR)/$$b $(DESTDIR)$(COMPLETIONDIR)/$$b; done
	for b in $(USER_TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$b; done
	for m in $(notdir $(MANS)); do rm -f $(DESTDIR)$(MANDIR)/man8/$$m $(DESTDIR)$(MANDIR)/man5/$$m \
		$(DESTDIR)$(MANDIR)/man1/$$m; done
	for h in $(notdir $(HOOKS)); do rm -f $(DESTDIR)$(HOOKDIR)/$$h \
		$(foreach d,$(HOOK_DIRS),$(DESTDIR)$(SYSCONFDIR)/network/$(d)/$$h); done
	rm -f $(addprefix $(DESTDIR)$(EXAMPLEDIR)/,$(notdir $(EX_CONF))) \
		$(DESTDIR)$(UNITDIR)/hostnet.service '$(DESTDIR)$(UNITDIR)/uml_switch@.service' $(DESTDIR)$(UMLDIR)/uml_net \
		$(DESTDIR)$(SBINDIR)/$(QEMU_HELPER) $(DESTDIR)$(QEMUDIR)/$(QEMU_HELPER)
	rmdir $(DESTDIR)$(HOOKDIR) $(DESTDIR)$(LIBEXECDIR)/hostnet $(DESTDIR)$(EXAMPLEDIR) \
		$(DESTDIR)$(PREFIX)/share/doc/hostnet 2>/dev/null || true
	$(if $(DESTDIR),,$(Q)$(GUARD) undivert $(INSTALLED))

clean:
	rm -rf build build-san build-fuzz lib/libhostnet.a

help:
	@echo 'hostnet $(VERSION) - targets:'
	@echo '  all             build the tools into build/bin (default)'
	@echo '  check           install deps, build, unit + bats tests, then again with SAN=1'
	@echo '  demo            install deps, build, hostnet apply/status/traffic/down in throwaway namespaces'
	@echo '  demo-tools      the same for the single tools (tunctl, brctl) in a throwaway namespace'
	@echo '  deps            apt-get install what is missing to build and run (Debian 12, as root)'
	@echo '  deps-test       the same plus what the tests need (check runs it)'
	@echo '  oracles         unpack uml-utilities and bridge-utils into build/oracles for the'
	@echo '                  differential tests (never installed into the system)'
	@echo '  bench           benchmarks against the classic tools'
	@echo '  fuzz            libFuzzer on every parser of untrusted input (clang; FUZZ_TIME=20 s each)'
	@echo '  install         install tools, man pages, ifupdown hooks, bash completion, examples;'
	@echo '                  refuses to overwrite a file a Debian package owns unless DIVERT=1 (dpkg-divert)'
	@echo '                  (PREFIX, DESTDIR, SBINDIR, BINDIR for the unprivileged tools, MANDIR, ...)'
	@echo '  install-setuid  make the installed uml_net setuid root (group uml-net, 4750),'
	@echo '                  or UML_NET_PRIV=caps: 0750 with the file capability cap_net_admin'
	@echo '  uninstall       remove what install put there (and undo DIVERT=1)'
	@echo '  clean           remove build outputs'
	@echo 'variables: V=1 (verbose), SAN=1 (ASan+UBSan), CI=1 (-Werror), STATIC_LIBS=0 (libnl, libnftnl shared), CFLAGS, LDFLAGS'

-include $(UMLT_OBJ:.o=.d) $(OBJS:.o=.d) $(LIB_OBJ:.o=.d) $(UNIT_BIN:=.d) $(EX_BIN:=.d) $(FUZZ_OBJ:.o=.d)
